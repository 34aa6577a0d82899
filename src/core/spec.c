/**
 * @file spec.c
 * @brief Declarative validation of JSON request bodies (see spec.h).
 *
 * Every problem is collected, in spec order and then unknown keys, so that
 * one 422 tells the client everything (DESIGN.md "HTTP conventions"). Each
 * field gets at most one error, except arrays, where every bad item gets its
 * own ("skills[2]"). The string patterns are hand-written: they are few,
 * simple, and a regex library would be one more dependency to audit.
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

/* ---- strict UTF-8 and the string patterns ---- */

long long
pw_utf8_length(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *) s;
    long long count = 0;
    size_t i = 0;

    if (s == NULL)
        return len == 0 ? 0 : -1;
    while (i < len) {
        unsigned c = p[i], cp;
        size_t need;

        if (c < 0x80) {
            i++;
            count++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) { /* 0xC0, 0xC1 only start overlongs */
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) { /* above 0xF4 is past U+10FFFF */
            need = 3;
            cp = c & 0x07;
        } else {
            return -1;
        }
        if (len - i - 1 < need)
            return -1; /* truncated sequence */
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            return -1; /* overlong, or a UTF-16 surrogate */
        if (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))
            return -1;
        i += need + 1;
        count++;
    }
    return count;
}

int
pw_is_slug(const char *s)
{
    size_t n = 0;
    int prev_hyphen = 1; /* refuses a leading hyphen */

    if (s == NULL || *s == '\0')
        return 0;
    for (; s[n] != '\0'; n++) {
        char c = s[n];

        if (n >= 64)
            return 0;
        if (c == '-') {
            if (prev_hyphen)
                return 0;
            prev_hyphen = 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            prev_hyphen = 0;
        } else {
            return 0;
        }
    }
    return !prev_hyphen; /* refuses a trailing hyphen */
}

/* Reads exactly @a n ASCII digits; stops at the NUL, so never reads past it. */
static int
read_digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int
days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* YYYY-MM-DD; @return the character after it, or NULL. */
static const char *
parse_date(const char *s)
{
    int y, m, d;

    if (!read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) || s[7] != '-' ||
        !read_digits(s + 8, 2, &d))
        return NULL;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return NULL;
    return s + 10;
}

static int
is_date(const char *s)
{
    const char *end = parse_date(s);

    return end != NULL && *end == '\0';
}

/* RFC 3339 section 5.6; 't' and 'z' are allowed by its note, second 60 is a leap second. */
static int
is_datetime(const char *s)
{
    int hh, mm, ss, oh, om;
    const char *p = parse_date(s);

    if (p == NULL || (*p != 'T' && *p != 't'))
        return 0;
    p++;
    if (!read_digits(p, 2, &hh) || p[2] != ':' || !read_digits(p + 3, 2, &mm) || p[5] != ':' ||
        !read_digits(p + 6, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
        return 0;
    p += 8;
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9')
            return 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
        return 1;
    if (*p != '+' && *p != '-')
        return 0;
    return read_digits(p + 1, 2, &oh) && p[3] == ':' && read_digits(p + 4, 2, &om) &&
           p[6] == '\0' && oh <= 23 && om <= 59;
}

/* Characters never allowed in a stored URL: they break out of HTML attributes or logs. */
static int
url_bad_char(unsigned char c)
{
    return c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '\\';
}

/* Host (after any userinfo) must be non-empty; a port, when given, 1..5 digits. */
static int
url_host_ok(const char *auth, size_t n)
{
    const char *at = NULL, *host, *end = auth + n, *colon;

    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    host = at != NULL ? at + 1 : auth;
    if (host < end && *host == '[') { /* IPv6 literal */
        const char *close = memchr(host, ']', (size_t) (end - host));

        if (close == NULL || close == host + 1)
            return 0;
        colon = close + 1 < end ? close + 1 : NULL;
        if (colon != NULL && *colon != ':')
            return 0;
    } else {
        colon = memchr(host, ':', (size_t) (end - host));
        if ((colon != NULL ? colon : end) == host)
            return 0;
    }
    if (colon == NULL)
        return 1;
    size_t port_len = (size_t) (end - colon - 1);
    if (port_len < 1 || port_len > 5)
        return 0;
    for (const char *p = colon + 1; p < end; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int
is_url(const char *s)
{
    size_t skip;

    /* RFC 3986: the scheme is case-insensitive. */
    if (strncasecmp(s, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(s, "http://", 7) == 0)
        skip = 7;
    else
        return 0;
    for (const char *p = s; *p != '\0'; p++)
        if (url_bad_char((unsigned char) *p))
            return 0;
    return url_host_ok(s + skip, strcspn(s + skip, "/?#"));
}

static int
is_currency(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return s[3] == '\0';
}

static int
is_email(const char *s)
{
    size_t len = strlen(s);
    const char *at = strchr(s, '@'), *domain;
    size_t dlen;

    if (len < 3 || len > 254 || at == NULL || strchr(at + 1, '@') != NULL)
        return 0;
    if (at == s || at - s > 64)
        return 0;
    for (const char *p = s; *p != '\0'; p++)
        if ((unsigned char) *p <= 0x20 || *p == 0x7F)
            return 0;
    domain = at + 1;
    dlen = strlen(domain);
    if (dlen == 0 || strchr(domain, '.') == NULL || strstr(domain, "..") != NULL)
        return 0;
    return domain[0] != '.' && domain[0] != '-' && domain[dlen - 1] != '.' &&
           domain[dlen - 1] != '-';
}

static int
any_string(const char *s)
{
    (void) s;
    return 1;
}

/* One row per pattern: how it is checked and what the client is told. */
static const struct {
    int (*match)(const char *s);
    const char *message;
} patterns[] = {
    [PW_PAT_NONE] = { any_string, "is not valid" },
    [PW_PAT_SLUG] = { pw_is_slug,
                      "must be a slug (lower-case letters, digits and single hyphens, at most 64 "
                      "characters)" },
    [PW_PAT_URL] = { is_url, "must be an absolute http(s) URL" },
    [PW_PAT_CURRENCY] = { is_currency, "must be a 3-letter ISO 4217 currency code" },
    [PW_PAT_DATE] = { is_date, "must be a date (YYYY-MM-DD)" },
    [PW_PAT_DATETIME] = { is_datetime, "must be an RFC 3339 date-time" },
    [PW_PAT_EMAIL] = { is_email, "must be an email address" },
};

int
pw_pattern_match(enum pw_pattern pat, const char *s)
{
    /* An unknown pattern is a bug in a spec table: refuse rather than let anything through. */
    if (s == NULL || (unsigned) pat >= sizeof patterns / sizeof patterns[0])
        return 0;
    return patterns[pat].match(s);
}

static const char *
pattern_message(enum pw_pattern pat)
{
    return (unsigned) pat < sizeof patterns / sizeof patterns[0] ? patterns[pat].message
                                                                 : patterns[PW_PAT_NONE].message;
}

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
        fail(e, w, pattern_message(f->pattern));
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
