/**
 * @file fuzz_spec.c
 * @brief libFuzzer target: the JSON field-spec validator, its patterns and strict UTF-8.
 *
 * The input is a request body: it is parsed as the server parses one
 * (json_loadb with JSON_REJECT_DUPLICATES) and validated in both modes
 * against a table that uses every field type, every pattern, enums on
 * strings and string-array items, array counts, item bounds, uniqueness,
 * nullable, multiline and required fields. Properties checked:
 *
 * - the count matches the error array, each error is {field, message} and
 *   names "", a spec field, "field[i]" of an array in the body, or an
 *   unknown key of the body; every unknown key is reported exactly once and
 *   a field at most once (arrays: once per item, or once for the whole),
 *   though an unknown key may spell the same name as an item error;
 * - PATCH errors are exactly the CREATE errors without "is required"
 *   (for a non-empty object), and validation neither changes the body nor
 *   depends on anything but its input.
 *
 * The raw bytes also go to pw_utf8_length() (compared with jansson's own
 * UTF-8 check) and to every pattern, each compared with a reference or
 * with what a match must at least imply.
 */
#include "fuzz.h"
#include "pathways/spec.h"

#include <jansson.h>
#include <strings.h>
#include <time.h>

static const char *const levels[] = { "beginner", "intermediate", "advanced", NULL };
static const char *const kinds[] = { "book", "course", "video", "article", "", NULL };

static const struct pw_field_spec fields[] = {
    { .name = "slug",
      .type = PW_T_STRING,
      .flags = PW_REQUIRED,
      .min = 1,
      .max = 64,
      .pattern = PW_PAT_SLUG },
    { .name = "title", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 200 },
    { .name = "summary", .type = PW_T_STRING, .flags = PW_MULTILINE | PW_NULLABLE, .max = 2000 },
    { .name = "level", .type = PW_T_STRING, .flags = PW_REQUIRED, .enum_values = levels },
    { .name = "kind", .type = PW_T_STRING, .flags = PW_NULLABLE, .max = 16, .enum_values = kinds },
    { .name = "url",
      .type = PW_T_STRING,
      .flags = PW_NULLABLE,
      .max = 2048,
      .pattern = PW_PAT_URL },
    { .name = "currency", .type = PW_T_STRING, .pattern = PW_PAT_CURRENCY },
    { .name = "published_on", .type = PW_T_STRING, .pattern = PW_PAT_DATE },
    { .name = "updated_at", .type = PW_T_STRING, .pattern = PW_PAT_DATETIME },
    { .name = "contact", .type = PW_T_STRING, .max = 254, .pattern = PW_PAT_EMAIL },
    { .name = "position", .type = PW_T_INT, .flags = PW_REQUIRED, .min = 1, .max = 1000 },
    { .name = "offset", .type = PW_T_INT, .min = -100, .max = 100 },
    { .name = "weight", .type = PW_T_INT }, /* 0/0: any integer */
    { .name = "free", .type = PW_T_BOOL, .flags = PW_NULLABLE },
    { .name = "skills",
      .type = PW_T_STRING_ARRAY,
      .flags = PW_UNIQUE,
      .max = 8,
      .pattern = PW_PAT_SLUG,
      .item_min = 1,
      .item_max = 64 },
    { .name = "authors",
      .type = PW_T_STRING_ARRAY,
      .flags = PW_NULLABLE | PW_MULTILINE,
      .max = 20,
      .item_min = 1,
      .item_max = 200 },
    { .name = "tags", .type = PW_T_STRING_ARRAY, .enum_values = kinds },
    { .name = "step_ids",
      .type = PW_T_INT_ARRAY,
      .flags = PW_REQUIRED | PW_UNIQUE,
      .min = 1,
      .max = 10,
      .item_min = 1,
      .item_max = 1000000 },
    { .name = "scores", .type = PW_T_INT_ARRAY }, /* no limits at all */
    PW_SPEC_END,
};

static const struct pw_field_spec *
spec_field(const char *name)
{
    for (const struct pw_field_spec *f = fields; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* Is @a field "name[i]" for an array field of the spec present in @a body, i in range? */
static int
is_item_of_body_array(const json_t *body, const char *field)
{
    const char *open = strchr(field, '[');
    char name[64], *end;
    unsigned long long i;
    size_t n;

    if (open == NULL || (n = (size_t) (open - field)) >= sizeof name)
        return 0;
    memcpy(name, field, n);
    name[n] = '\0';
    const struct pw_field_spec *f = spec_field(name);
    if (f == NULL || (f->type != PW_T_STRING_ARRAY && f->type != PW_T_INT_ARRAY))
        return 0;
    if (open[1] < '0' || open[1] > '9' || (open[1] == '0' && open[2] != ']'))
        return 0;
    i = strtoull(open + 1, &end, 10);
    if (strcmp(end, "]") != 0)
        return 0;
    return i < json_array_size(json_object_get(body, name));
}

static void
check_errors(const json_t *body, enum pw_spec_mode mode, int n, const json_t *errors)
{
    FUZZ_CHECK(n >= 0);
    FUZZ_CHECK((n == 0) == (errors == NULL));
    if (errors == NULL)
        return;
    FUZZ_CHECK(json_is_array(errors));
    FUZZ_CHECK(json_array_size(errors) == (size_t) n);
    for (size_t i = 0; i < json_array_size(errors); i++) {
        const json_t *e = json_array_get(errors, i);
        const json_t *field = json_object_get(e, "field"), *message = json_object_get(e, "message");

        FUZZ_CHECK(json_is_object(e) && json_object_size(e) == 2);
        FUZZ_CHECK(json_is_string(field) && json_is_string(message));
        FUZZ_CHECK(json_string_length(message) > 0);
        const char *fs = json_string_value(field), *ms = json_string_value(message);
        if (mode == PW_SPEC_PATCH)
            FUZZ_CHECK(strcmp(ms, "is required") != 0);
        if (strcmp(ms, "is not a known field") == 0) {
            FUZZ_CHECK(spec_field(fs) == NULL && json_object_get(body, fs) != NULL);
        } else if (fs[0] == '\0') {
            /* The whole body: not an object, or an empty PATCH; then it is the only error. */
            FUZZ_CHECK(n == 1);
            FUZZ_CHECK(!json_is_object(body) ||
                       (mode == PW_SPEC_PATCH && json_object_size(body) == 0));
        } else if (spec_field(fs) != NULL) {
            FUZZ_CHECK((json_object_get(body, fs) != NULL) != (strcmp(ms, "is required") == 0));
        } else {
            FUZZ_CHECK(is_item_of_body_array(body, fs));
        }
        /* Each field is named at most once among the errors about spec fields and items,
         * and each unknown key at most once. An unknown key may spell an item ("tags[0]"
         * beside "tags"): both errors are then true and told apart by their message. */
        for (size_t k = 0; k < i; k++) {
            const json_t *other = json_array_get(errors, k);
            const char *om = json_string_value(json_object_get(other, "message"));

            FUZZ_CHECK(strcmp(json_string_value(json_object_get(other, "field")), fs) != 0 ||
                       (strcmp(om, "is not a known field") == 0) !=
                           (strcmp(ms, "is not a known field") == 0));
        }
    }
    if (json_is_object(body) && !(mode == PW_SPEC_PATCH && json_object_size(body) == 0)) {
        /* Every unknown key is reported. */
        const char *key;
        json_t *v;
        size_t unknown = 0, reported = 0;

        json_object_foreach((json_t *) body, key, v)
        {
            (void) v;
            unknown += spec_field(key) == NULL;
        }
        for (size_t i = 0; i < json_array_size(errors); i++)
            reported +=
                strcmp(json_string_value(json_object_get(json_array_get(errors, i), "message")),
                       "is not a known field") == 0;
        FUZZ_CHECK(unknown == reported);
    }
}

/* CREATE errors minus "is required": what PATCH must report for a non-empty object. */
static json_t *
without_required(const json_t *errors)
{
    json_t *out = json_array();

    FUZZ_CHECK(out != NULL);
    for (size_t i = 0; i < json_array_size(errors); i++) {
        json_t *e = json_array_get(errors, i);

        if (strcmp(json_string_value(json_object_get(e, "message")), "is required") != 0)
            FUZZ_CHECK(json_array_append(out, e) == 0);
    }
    return out;
}

static void
fuzz_body(const uint8_t *data, size_t size)
{
    json_t *body = json_loadb((const char *) data, size, JSON_REJECT_DUPLICATES, NULL);
    json_t *before, *err_create = NULL, *err_patch = NULL, *again = NULL;
    int n_create, n_patch;

    if (body == NULL)
        return;
    before = json_deep_copy(body);
    FUZZ_CHECK(before != NULL);

    n_create = pw_spec_validate(fields, body, PW_SPEC_CREATE, &err_create);
    check_errors(body, PW_SPEC_CREATE, n_create, err_create);
    n_patch = pw_spec_validate(fields, body, PW_SPEC_PATCH, &err_patch);
    check_errors(body, PW_SPEC_PATCH, n_patch, err_patch);
    FUZZ_CHECK(json_equal(body, before));

    /* Same input, same answer. */
    FUZZ_CHECK(pw_spec_validate(fields, body, PW_SPEC_CREATE, &again) == n_create);
    FUZZ_CHECK(again == err_create || json_equal(again, err_create));
    json_decref(again);

    if (json_is_object(body) && json_object_size(body) > 0) {
        json_t *expect = without_required(err_create);
        json_t *got = err_patch != NULL ? json_incref(err_patch) : json_array();

        FUZZ_CHECK(json_equal(expect, got));
        json_decref(expect);
        json_decref(got);
    }
    json_decref(err_create);
    json_decref(err_patch);
    json_decref(before);
    json_decref(body);
}

/* ---- patterns and UTF-8 on the raw bytes ---- */

static int
ref_slug(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-' || strstr(s, "--") != NULL)
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static int
ref_currency(const char *s)
{
    return strlen(s) == 3 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
}

/* YYYY-MM-DD in 1900..2999 that the C library's calendar does not normalise away. */
static int
ref_date(const char *s, size_t n)
{
    struct tm tm = { 0 }, back;
    time_t t;

    if (n != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789") != 4 ||
        strspn(s + 5, "0123456789") != 2 || strspn(s + 8, "0123456789") != 2)
        return 0;
    tm.tm_year = atoi(s) - 1900;
    tm.tm_mon = atoi(s + 5) - 1;
    tm.tm_mday = atoi(s + 8);
    tm.tm_hour = 12;
    if (tm.tm_year < 0 || tm.tm_year > 1099)
        return 0;
    back = tm;
    t = timegm(&back); /* normalises its argument: 02-30 becomes 03-01 */
    FUZZ_CHECK(gmtime_r(&t, &back) != NULL);
    return back.tm_year == tm.tm_year && back.tm_mon == tm.tm_mon && back.tm_mday == tm.tm_mday;
}

static void
fuzz_patterns(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    size_t n = strlen(s);

    FUZZ_CHECK(pw_pattern_match(PW_PAT_NONE, s) == 1);
    FUZZ_CHECK(!pw_pattern_match(PW_PAT_SLUG, s) == !ref_slug(s));
    FUZZ_CHECK(!pw_is_slug(s) == !ref_slug(s));
    FUZZ_CHECK(!pw_pattern_match(PW_PAT_CURRENCY, s) == !ref_currency(s));
    FUZZ_CHECK(!pw_pattern_match(PW_PAT_DATE, s) == !ref_date(s, n));
    if (pw_pattern_match(PW_PAT_DATETIME, s)) {
        char date[11];

        FUZZ_CHECK(n >= 20 && (s[10] == 'T' || s[10] == 't'));
        memcpy(date, s, 10);
        date[10] = '\0';
        FUZZ_CHECK(ref_date(date, 10));
    }
    if (pw_pattern_match(PW_PAT_URL, s)) {
        FUZZ_CHECK(strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((unsigned char) s[i] > 0x20 && s[i] != 0x7F && !strchr("<>\"\\", s[i]));
    }
    if (pw_pattern_match(PW_PAT_EMAIL, s)) {
        const char *at = strchr(s, '@');

        FUZZ_CHECK(at != NULL && at != s && strchr(at + 1, '@') == NULL && n <= 254);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((unsigned char) s[i] > 0x20 && s[i] != 0x7F);
    }
    /* A pattern the table does not know refuses everything. */
    FUZZ_CHECK(pw_pattern_match((enum pw_pattern)(PW_PAT_EMAIL + 1), s) == 0);
    FUZZ_CHECK(pw_pattern_match((enum pw_pattern) 1000, s) == 0);
    for (int p = PW_PAT_NONE; p <= PW_PAT_EMAIL + 1; p++)
        FUZZ_CHECK(pw_pattern_message((enum pw_pattern) p) != NULL);
    free(s);
}

static void
fuzz_utf8(const uint8_t *data, size_t size)
{
    /* An exact-size copy: a read past the end is an ASan report. */
    char *buf = malloc(size > 0 ? size : 1);
    long long len;
    json_t *ref;

    FUZZ_CHECK(buf != NULL);
    if (size > 0)
        memcpy(buf, data, size);
    len = pw_utf8_length(buf, size);
    ref = json_stringn(buf, size); /* jansson refuses the same: overlongs, surrogates, > U+10FFFF */
    FUZZ_CHECK((len >= 0) == (ref != NULL));
    if (len >= 0) {
        long long starts = 0;

        for (size_t i = 0; i < size; i++)
            starts += ((unsigned char) buf[i] & 0xC0) != 0x80;
        FUZZ_CHECK(len == starts);
    }
    json_decref(ref);
    free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_body(data, size);
    fuzz_patterns(data, size);
    fuzz_utf8(data, size);
    return 0;
}
