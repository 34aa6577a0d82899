/**
 * @file spec.c
 * @brief Declarative validation of JSON request bodies (see spec.h).
 *
 * Every problem is collected, in spec order and then unknown keys, so that
 * one 422 tells the client everything (DESIGN.md "HTTP conventions"). Each
 * field gets at most one error, except arrays, where every bad item gets its
 * own ("skills[2]"). The string patterns live in pattern.c.
 *
 * Limits of 0 mean "no limit" for lengths and counts (max == 0), and for
 * integers when both min and max are 0: a spec table may leave them out
 * with designated initialisers, and a string of at most 0 characters or an
 * integer that must be 0 is never what is meant.
 *
 * Memory: running out while building the error list aborts; a 422 that
 * silently lists fewer errors would be worse, and there is no way to report
 * it through the int return of pw_spec_validate().
 */
#include "pathways/spec.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- collecting errors ---- */

struct errs {
    json_t *list; /* created on the first error; handed to the caller */
    int count;
};

/* Names the field an error is about: the field itself, or item @a index of it. */
struct where {
    const char *name;
    long long index; /* < 0: the field itself */
};

static void
add_error(struct errs *e, json_t *field, json_t *message)
{
    /* json_pack steals both "o" arguments, also when it fails. */
    json_t *err = json_pack("{s:o, s:o}", "field", field, "message", message);

    if (e->list == NULL)
        e->list = json_array();
    if (err == NULL || e->list == NULL || json_array_append_new(e->list, err) != 0)
        abort(); /* out of memory: see the file comment */
    e->count++;
}

static void
fail_at(struct errs *e, struct where w, json_t *message)
{
    json_t *field = w.index < 0 ? json_string(w.name) : json_sprintf("%s[%lld]", w.name, w.index);

    add_error(e, field, message);
}

static void
fail(struct errs *e, struct where w, const char *message)
{
    fail_at(e, w, json_string(message));
}

/* "must be at least 3 characters", "must have at most 1 item" */
static json_t *
count_message(const char *verb, const char *bound, long long n, const char *noun)
{
    return json_sprintf("must %s %s %lld %s%s", verb, bound, n, noun, n == 1 ? "" : "s");
}

static json_t *
enum_message(const char *const *values)
{
    size_t len = sizeof "must be one of: ";
    char *buf;
    json_t *msg;

    for (const char *const *v = values; *v != NULL; v++)
        len += strlen(*v) + 2;
    buf = malloc(len); /* owned here, freed below */
    if (buf == NULL)
        return NULL;
    strcpy(buf, "must be one of: ");
    for (const char *const *v = values; *v != NULL; v++) {
        if (v != values)
            strcat(buf, ", ");
        strcat(buf, *v);
    }
    msg = json_string(buf);
    free(buf);
    return msg;
}

/* ---- per-type checks; each reports at most one error and returns 1 when fine ---- */

static int
has_control(const char *s, size_t n, int multiline)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char) s[i];

        if (multiline && (c == '\n' || c == '\r' || c == '\t'))
            continue;
        if (c < 0x20 || c == 0x7F)
            return 1;
    }
    return 0;
}

static int
in_enum(const char *const *values, const char *s, size_t n)
{
    for (const char *const *v = values; *v != NULL; v++)
        if (strlen(*v) == n && memcmp(*v, s, n) == 0)
            return 1;
    return 0;
}

static int
check_string(struct errs *e,
             struct where w,
             const struct pw_field_spec *f,
             const json_t *v,
             long long min,
             long long max)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    long long chars;

    if (!json_is_string(v)) {
        fail(e, w, "must be a string");
        return 0;
    }
    chars = pw_utf8_length(s, n); /* jansson checks on parse, not json_stringn_nocheck() */
    if (chars < 0) {
        fail(e, w, "must be valid UTF-8");
    } else if (has_control(s, n, (f->flags & PW_MULTILINE) != 0)) {
        fail(e, w, "must not contain control characters"); /* NUL included */
    } else if (chars < min) {
        fail_at(e, w, count_message("be", "at least", min, "character"));
    } else if (max > 0 && chars > max) {
        fail_at(e, w, count_message("be", "at most", max, "character"));
    } else if (f->enum_values != NULL && !in_enum(f->enum_values, s, n)) {
        fail_at(e, w, enum_message(f->enum_values));
    } else if (!pw_pattern_match(f->pattern, s)) {
        fail(e, w, pw_pattern_message(f->pattern));
    } else {
        return 1;
    }
    return 0;
}

static int
check_int(struct errs *e, struct where w, const json_t *v, long long min, long long max)
{
    json_int_t x;

    if (!json_is_integer(v)) { /* 1.5 is a real, "1" a string: both refused */
        fail(e, w, "must be an integer");
        return 0;
    }
    x = json_integer_value(v);
    if ((min != 0 || max != 0) && (x < min || x > max)) {
        fail_at(e, w, json_sprintf("must be between %lld and %lld", min, max));
        return 0;
    }
    return 1;
}

static int
cmp_string_items(const void *a, const void *b)
{
    const json_t *x = *(const json_t *const *) a, *y = *(const json_t *const *) b;
    size_t nx = json_string_length(x), ny = json_string_length(y);
    int c = memcmp(json_string_value(x), json_string_value(y), nx < ny ? nx : ny);

    return c != 0 ? c : (nx > ny) - (nx < ny);
}

static int
cmp_int_items(const void *a, const void *b)
{
    json_int_t x = json_integer_value(*(const json_t *const *) a);
    json_int_t y = json_integer_value(*(const json_t *const *) b);

    return (x > y) - (x < y);
}

/* Sorting a copy keeps this O(n log n): the body limit, not the spec, may bound n. */
static int
has_duplicates(const json_t *arr, int strings)
{
    size_t n = json_array_size(arr);
    const json_t **items;
    int dup = 0;

    if (n < 2)
        return 0;
    items = malloc(n * sizeof *items); /* owned here, freed below */
    if (items == NULL)
        abort(); /* see the file comment */
    for (size_t i = 0; i < n; i++)
        items[i] = json_array_get(arr, i);
    qsort(items, n, sizeof *items, strings ? cmp_string_items : cmp_int_items);
    for (size_t i = 1; i < n && !dup; i++)
        dup = (strings ? cmp_string_items : cmp_int_items)(&items[i - 1], &items[i]) == 0;
    free(items);
    return dup;
}

static void
check_array(struct errs *e, const struct pw_field_spec *f, const json_t *v)
{
    int strings = f->type == PW_T_STRING_ARRAY, all_ok = 1;
    struct where self = { f->name, -1 };
    long long n;

    if (!json_is_array(v)) {
        fail(e, self, strings ? "must be an array of strings" : "must be an array of integers");
        return;
    }
    n = (long long) json_array_size(v);
    /* A bad count is reported alone: listing each item of a huge array helps nobody. */
    if (n < f->min) {
        fail_at(e, self, count_message("have", "at least", f->min, "item"));
        return;
    }
    if (f->max > 0 && n > f->max) {
        fail_at(e, self, count_message("have", "at most", f->max, "item"));
        return;
    }
    for (long long i = 0; i < n; i++) {
        struct where item = { f->name, i };
        const json_t *x = json_array_get(v, (size_t) i);

        all_ok &= strings ? check_string(e, item, f, x, f->item_min, f->item_max)
                          : check_int(e, item, x, f->item_min, f->item_max);
    }
    /* Duplicates among bad items would only repeat what was already said. */
    if (all_ok && (f->flags & PW_UNIQUE) && has_duplicates(v, strings))
        fail(e, self, "must not contain duplicates");
}

static void
check_field(struct errs *e, const struct pw_field_spec *f, const json_t *v)
{
    struct where self = { f->name, -1 };

    if (json_is_null(v)) {
        if (!(f->flags & PW_NULLABLE))
            fail(e, self, "must not be null");
        return;
    }
    switch (f->type) {
    case PW_T_STRING:
        check_string(e, self, f, v, f->min, f->max);
        break;
    case PW_T_INT:
        check_int(e, self, v, f->min, f->max);
        break;
    case PW_T_BOOL:
        if (!json_is_boolean(v))
            fail(e, self, "must be a boolean");
        break;
    case PW_T_STRING_ARRAY:
    case PW_T_INT_ARRAY:
        check_array(e, f, v);
        break;
    }
}

static int
in_spec(const struct pw_field_spec *spec, const char *key)
{
    for (const struct pw_field_spec *f = spec; f->name != NULL; f++)
        if (strcmp(f->name, key) == 0)
            return 1;
    return 0;
}

static void
check_unknown(struct errs *e, const struct pw_field_spec *spec, const json_t *body)
{
    /* json_object_iter() takes a non-const pointer but only reads. */
    for (void *it = json_object_iter((json_t *) body); it != NULL;
         it = json_object_iter_next((json_t *) body, it)) {
        const char *key = json_object_iter_key(it);

        if (!in_spec(spec, key)) {
            /* Keys from json_loads() are valid UTF-8; a hand-built one may not be. */
            json_t *field = json_string(key);

            add_error(
                e, field != NULL ? field : json_string(""), json_string("is not a known field"));
        }
    }
}

int
pw_spec_validate(const struct pw_field_spec *spec,
                 const json_t *body,
                 enum pw_spec_mode mode,
                 json_t **errors)
{
    struct errs e = { NULL, 0 };
    struct where whole = { "", -1 };

    if (!json_is_object(body)) {
        fail(&e, whole, "must be a JSON object");
    } else if (mode == PW_SPEC_PATCH && json_object_size(body) == 0) {
        fail(&e, whole, "must contain at least one field");
    } else {
        for (const struct pw_field_spec *f = spec; f->name != NULL; f++) {
            const json_t *v = json_object_get(body, f->name);
            struct where self = { f->name, -1 };

            if (v != NULL)
                check_field(&e, f, v);
            else if (mode == PW_SPEC_CREATE && (f->flags & PW_REQUIRED))
                fail(&e, self, "is required");
        }
        check_unknown(&e, spec, body);
    }
    *errors = e.list;
    return e.count;
}
