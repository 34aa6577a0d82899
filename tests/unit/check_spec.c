/**
 * @file check_spec.c
 * @brief Unit tests for the JSON body validator, its patterns and strict UTF-8.
 */
#include "check_main.h"
#include "pathways/spec.h"

#include <string.h>

static const char *const categories[] = { "language", "framework", "tool", NULL };

static const struct pw_field_spec fields[] = {
    { .name = "slug",
      .type = PW_T_STRING,
      .flags = PW_REQUIRED,
      .min = 1,
      .max = 64,
      .pattern = PW_PAT_SLUG },
    { .name = "title", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 2, .max = 5 },
    { .name = "body", .type = PW_T_STRING, .flags = PW_MULTILINE | PW_NULLABLE, .max = 100 },
    { .name = "category", .type = PW_T_STRING, .enum_values = categories },
    { .name = "hours", .type = PW_T_INT, .min = 0, .max = 2000 },
    { .name = "available", .type = PW_T_BOOL },
    { .name = "skills",
      .type = PW_T_STRING_ARRAY,
      .flags = PW_UNIQUE,
      .max = 3,
      .pattern = PW_PAT_SLUG,
      .item_min = 1,
      .item_max = 64 },
    { .name = "steps",
      .type = PW_T_INT_ARRAY,
      .flags = PW_UNIQUE,
      .min = 1,
      .max = 4,
      .item_min = 1,
      .item_max = 100 },
    { .name = "currency", .type = PW_T_STRING, .pattern = PW_PAT_CURRENCY },
    PW_SPEC_END,
};

/* Validates @a text; returns the error count and, through *errors, the list. */
static int
run(const char *text, enum pw_spec_mode mode, json_t **errors)
{
    json_error_t jerr;
    json_t *body = json_loads(text, JSON_DECODE_ANY, &jerr);
    int n;

    ck_assert_msg(body != NULL, "bad test JSON %s: %s", text, jerr.text);
    n = pw_spec_validate(fields, body, mode, errors);
    json_decref(body);
    return n;
}

/* Asserts that @a text gives exactly one error, on @a field with @a message. */
static void
expect_one(const char *text, const char *field, const char *message)
{
    json_t *errors = NULL;
    int n = run(text, PW_SPEC_CREATE, &errors);

    ck_assert_msg(n == 1, "%s: %d errors", text, n);
    ck_assert_uint_eq(json_array_size(errors), 1);
    json_t *e = json_array_get(errors, 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "field")), field);
    ck_assert_str_eq(json_string_value(json_object_get(e, "message")), message);
    ck_assert_uint_eq(json_object_size(e), 2);
    json_decref(errors);
}

static void
expect_valid(const char *text, enum pw_spec_mode mode)
{
    json_t *errors = (json_t *) 1;
    int n = run(text, mode, &errors);

    ck_assert_msg(n == 0, "%s: %d errors", text, n);
    ck_assert_ptr_null(errors);
}

#define BASE "\"slug\":\"go\",\"title\":\"Go\""

struct bad_case {
    const char *json;
    const char *field;
    const char *message;
};

static const struct bad_case bad[] = {
    { "{" BASE ",\"slug\":7}", "slug", "must be a string" },
    { "{\"slug\":\"Go\",\"title\":\"Go\"}",
      "slug",
      "must be a slug (lower-case letters, digits and single hyphens, at most 64 characters)" },
    { "{" BASE ",\"title\":\"G\"}", "title", "must be at least 2 characters" },
    { "{" BASE ",\"title\":\"abcdef\"}", "title", "must be at most 5 characters" },
    { "{" BASE ",\"title\":\"a\\tb\"}", "title", "must not contain control characters" },
    { "{" BASE ",\"title\":\"a\\u007fb\"}", "title", "must not contain control characters" },
    { "{" BASE ",\"body\":\"a\\u0001\"}", "body", "must not contain control characters" },
    { "{" BASE ",\"title\":null}", "title", "must not be null" },
    { "{" BASE ",\"category\":\"Tool\"}", "category", "must be one of: language, framework, tool" },
    { "{" BASE ",\"hours\":1.5}", "hours", "must be an integer" },
    { "{" BASE ",\"hours\":\"1\"}", "hours", "must be an integer" },
    { "{" BASE ",\"hours\":-1}", "hours", "must be between 0 and 2000" },
    { "{" BASE ",\"hours\":2001}", "hours", "must be between 0 and 2000" },
    { "{" BASE ",\"available\":1}", "available", "must be a boolean" },
    { "{" BASE ",\"skills\":\"go\"}", "skills", "must be an array of strings" },
    { "{" BASE ",\"skills\":[\"a\",\"b\",\"c\",\"d\"]}", "skills", "must have at most 3 items" },
    { "{" BASE ",\"skills\":[\"a\",\"B\"]}",
      "skills[1]",
      "must be a slug (lower-case letters, digits and single hyphens, at most 64 characters)" },
    { "{" BASE ",\"skills\":[\"a\",\"a\"]}", "skills", "must not contain duplicates" },
    { "{" BASE ",\"skills\":[\"a\",null]}", "skills[1]", "must be a string" },
    { "{" BASE ",\"steps\":[]}", "steps", "must have at least 1 item" },
    { "{" BASE ",\"steps\":{}}", "steps", "must be an array of integers" },
    { "{" BASE ",\"steps\":[1,2.0]}", "steps[1]", "must be an integer" },
    { "{" BASE ",\"steps\":[1,101]}", "steps[1]", "must be between 1 and 100" },
    { "{" BASE ",\"steps\":[3,1,3]}", "steps", "must not contain duplicates" },
    { "{" BASE ",\"currency\":\"eur\"}", "currency", "must be a 3-letter ISO 4217 currency code" },
    { "{\"title\":\"Go\"}", "slug", "is required" },
    { "{" BASE ",\"extra\":1}", "extra", "is not a known field" },
    { "[]", "", "must be a JSON object" },
    { "\"text\"", "", "must be a JSON object" },
    { "null", "", "must be a JSON object" },
    { "42", "", "must be a JSON object" },
};

START_TEST(test_bad_one_error)
{
    expect_one(bad[_i].json, bad[_i].field, bad[_i].message);
}
END_TEST

static const char *const good[] = {
    "{" BASE "}",
    "{" BASE ",\"title\":\"\\u00e9t\\u00e9s\"}", /* 5 code points, 10 bytes */
    "{" BASE ",\"title\":\"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"}",
    "{" BASE ",\"body\":\"line\\nnext\\r\\n\\ttab\"}",
    "{" BASE ",\"body\":null}",
    "{" BASE ",\"body\":\"\"}",
    "{" BASE ",\"category\":\"tool\"}",
    "{" BASE ",\"hours\":0}",
    "{" BASE ",\"hours\":2000}",
    "{" BASE ",\"available\":false}",
    "{" BASE ",\"skills\":[]}",
    "{" BASE ",\"skills\":[\"a\",\"b-c\",\"d1\"]}",
    "{" BASE ",\"steps\":[4,3,2,1]}",
    "{" BASE ",\"currency\":\"EUR\"}",
};

START_TEST(test_good)
{
    expect_valid(good[_i], PW_SPEC_CREATE);
}
END_TEST

START_TEST(test_errors_in_order)
{
    json_t *errors = NULL;
    int n = run("{\"zeta\":1,\"hours\":\"x\",\"title\":\"\",\"alpha\":2,"
                "\"skills\":[\"ok\",\"Bad\",\"-x\"]}",
                PW_SPEC_CREATE,
                &errors);
    static const char *const expect[][2] = {
        { "slug", "is required" },
        { "title", "must be at least 2 characters" },
        { "hours", "must be an integer" },
        { "skills[1]", NULL },
        { "skills[2]", NULL },
        { "zeta", "is not a known field" },
        { "alpha", "is not a known field" },
    };

    ck_assert_int_eq(n, 7);
    ck_assert_uint_eq(json_array_size(errors), 7);
    for (size_t i = 0; i < 7; i++) {
        json_t *e = json_array_get(errors, i);
        ck_assert_str_eq(json_string_value(json_object_get(e, "field")), expect[i][0]);
        if (expect[i][1] != NULL)
            ck_assert_str_eq(json_string_value(json_object_get(e, "message")), expect[i][1]);
    }
    json_decref(errors);
}
END_TEST

/* An unknown key can spell an item ("skills[1]"): both errors are reported, told apart by
 * their message (found by fuzz_spec; regression seed
 * tests/fuzz/corpus/fuzz_spec/unknown-item.json). */
START_TEST(test_unknown_key_spelling_an_item)
{
    json_t *errors = NULL;
    int n = run("{" BASE ",\"skills[1]\":[],\"skills\":[\"a\",\"B\"]}", PW_SPEC_CREATE, &errors);

    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "field")),
                     "skills[1]");
    ck_assert_str_ne(json_string_value(json_object_get(json_array_get(errors, 0), "message")),
                     "is not a known field");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 1), "field")),
                     "skills[1]");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 1), "message")),
                     "is not a known field");
    json_decref(errors);
}
END_TEST

START_TEST(test_patch)
{
    json_t *errors = NULL;

    expect_valid("{\"hours\":3}", PW_SPEC_PATCH);
    expect_valid("{\"title\":\"Go\"}", PW_SPEC_PATCH);
    ck_assert_int_eq(run("{}", PW_SPEC_PATCH, &errors), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "message")),
                     "must contain at least one field");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "field")), "");
    json_decref(errors);
    /* Rules other than "required" still apply. */
    ck_assert_int_eq(run("{\"hours\":-5,\"nope\":1}", PW_SPEC_PATCH, &errors), 2);
    json_decref(errors);
    ck_assert_int_eq(run("[1]", PW_SPEC_PATCH, &errors), 1);
    json_decref(errors);
    /* In create mode an empty object is only missing its required fields. */
    ck_assert_int_eq(run("{}", PW_SPEC_CREATE, &errors), 2);
    json_decref(errors);
}
END_TEST

START_TEST(test_hand_built_values)
{
    static const struct pw_field_spec one[] = {
        { .name = "t", .type = PW_T_STRING, .max = 10 },
        PW_SPEC_END,
    };
    json_t *body = json_object(), *errors = NULL;

    /* jansson only checks UTF-8 on parse; the validator must not trust the rest. */
    json_object_set_new(body, "t", json_stringn_nocheck("\xc0\xaf", 2));
    ck_assert_int_eq(pw_spec_validate(one, body, PW_SPEC_CREATE, &errors), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "message")),
                     "must be valid UTF-8");
    json_decref(errors);
    json_object_set_new(body, "t", json_stringn("a\0b", 3));
    ck_assert_int_eq(pw_spec_validate(one, body, PW_SPEC_CREATE, &errors), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "message")),
                     "must not contain control characters");
    json_decref(errors);
    ck_assert_int_eq(pw_spec_validate(one, NULL, PW_SPEC_CREATE, &errors), 1);
    json_decref(errors);
    json_decref(body);
}
END_TEST

static const char *const slugs_ok[] = {
    "a",     "go", "c-plus-plus",
    "a1-2b", "0",  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 64 */
};
static const char *const slugs_bad[] = {
    "",    "-a",
    "a-",  "a--b",
    "A",   "a_b",
    "a b", "\xc3\xa9",
    "a.b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 65 */
};

START_TEST(test_slug_ok)
{
    ck_assert_msg(pw_is_slug(slugs_ok[_i]), "%s", slugs_ok[_i]);
}
END_TEST

START_TEST(test_slug_bad)
{
    ck_assert_msg(!pw_is_slug(slugs_bad[_i]), "%s", slugs_bad[_i]);
}
END_TEST

struct pattern_case {
    enum pw_pattern pat;
    const char *s;
    int ok;
};

static const struct pattern_case patterns[] = {
    { PW_PAT_NONE, "anything at all", 1 },
    { PW_PAT_URL, "https://example.org", 1 },
    { PW_PAT_URL, "http://example.org/a?b=c#d", 1 },
    { PW_PAT_URL, "HTTPS://Example.org/\xc3\xa9", 1 },
    { PW_PAT_URL, "https://user@host:8080/x", 1 },
    { PW_PAT_URL, "http://[::1]:80/", 1 },
    { PW_PAT_URL, "ftp://example.org", 0 },
    { PW_PAT_URL, "javascript:alert(1)", 0 },
    { PW_PAT_URL, "https://", 0 },
    { PW_PAT_URL, "https:///path", 0 },
    { PW_PAT_URL, "https://:80", 0 },
    { PW_PAT_URL, "https://host:", 0 },
    { PW_PAT_URL, "https://host:8x", 0 },
    { PW_PAT_URL, "https://user@", 0 },
    { PW_PAT_URL, "http://[]/", 0 },
    { PW_PAT_URL, "https://exa mple.org", 0 },
    { PW_PAT_URL, "https://example.org/\"><script>", 0 },
    { PW_PAT_URL, "https://example.org/\t", 0 },
    { PW_PAT_URL, "example.org", 0 },
    { PW_PAT_CURRENCY, "EUR", 1 },
    { PW_PAT_CURRENCY, "eur", 0 },
    { PW_PAT_CURRENCY, "EU", 0 },
    { PW_PAT_CURRENCY, "EURO", 0 },
    { PW_PAT_CURRENCY, "E1R", 0 },
    { PW_PAT_DATE, "2026-01-05", 1 },
    { PW_PAT_DATE, "2024-02-29", 1 },
    { PW_PAT_DATE, "2000-02-29", 1 },
    { PW_PAT_DATE, "1900-01-01", 1 },
    { PW_PAT_DATE, "2999-12-31", 1 },
    { PW_PAT_DATE, "1900-02-29", 0 },
    { PW_PAT_DATE, "2023-02-29", 0 },
    { PW_PAT_DATE, "2023-04-31", 0 },
    { PW_PAT_DATE, "2023-13-01", 0 },
    { PW_PAT_DATE, "2023-00-10", 0 },
    { PW_PAT_DATE, "2023-01-00", 0 },
    { PW_PAT_DATE, "1899-12-31", 0 },
    { PW_PAT_DATE, "3000-01-01", 0 },
    { PW_PAT_DATE, "2023-1-01", 0 },
    { PW_PAT_DATE, "2023-01-01T00:00:00Z", 0 },
    { PW_PAT_DATE, "2023-01-0", 0 },
    { PW_PAT_DATETIME, "2026-01-05T10:20:30Z", 1 },
    { PW_PAT_DATETIME, "2026-01-05t10:20:30z", 1 },
    { PW_PAT_DATETIME, "2026-01-05T10:20:30.123456+02:00", 1 },
    { PW_PAT_DATETIME, "2026-01-05T23:59:60-11:30", 1 },
    { PW_PAT_DATETIME, "2026-01-05 10:20:30Z", 0 },
    { PW_PAT_DATETIME, "2026-01-05T10:20:30", 0 },
    { PW_PAT_DATETIME, "2026-01-05T24:00:00Z", 0 },
    { PW_PAT_DATETIME, "2026-01-05T10:60:00Z", 0 },
    { PW_PAT_DATETIME, "2026-01-05T10:20:30.Z", 0 },
    { PW_PAT_DATETIME, "2026-01-05T10:20:30+0200", 0 },
    { PW_PAT_DATETIME, "2026-01-05T10:20:30+24:00", 0 },
    { PW_PAT_DATETIME, "2026-01-05T10:20:30Zjunk", 0 },
    { PW_PAT_DATETIME, "2026-02-30T10:20:30Z", 0 },
    { PW_PAT_EMAIL, "a@b.c", 1 },
    { PW_PAT_EMAIL, "first.last+tag@example.co.uk", 1 },
    { PW_PAT_EMAIL, "a@b", 0 },
    { PW_PAT_EMAIL, "@b.c", 0 },
    { PW_PAT_EMAIL, "a@@b.c", 0 },
    { PW_PAT_EMAIL, "a@b@c.d", 0 },
    { PW_PAT_EMAIL, "a b@c.d", 0 },
    { PW_PAT_EMAIL, "a@.b.c", 0 },
    { PW_PAT_EMAIL, "a@b.c.", 0 },
    { PW_PAT_EMAIL, "a@-b.c", 0 },
    { PW_PAT_EMAIL, "a@b.c-", 0 },
    { PW_PAT_EMAIL, "a@b..c", 0 },
    { PW_PAT_EMAIL, "a\n@b.c", 0 },
    { PW_PAT_EMAIL,
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@b.c", /* local 65 */
      0 },
};

START_TEST(test_pattern)
{
    const struct pattern_case *c = &patterns[_i];

    ck_assert_msg(pw_pattern_match(c->pat, c->s) == c->ok, "pattern %d on \"%s\"", c->pat, c->s);
}
END_TEST

START_TEST(test_pattern_messages)
{
    static const struct pw_field_spec f[] = {
        { .name = "u", .type = PW_T_STRING, .pattern = PW_PAT_URL },
        { .name = "d", .type = PW_T_STRING, .pattern = PW_PAT_DATE },
        { .name = "t", .type = PW_T_STRING, .pattern = PW_PAT_DATETIME },
        { .name = "e", .type = PW_T_STRING, .pattern = PW_PAT_EMAIL },
        PW_SPEC_END,
    };
    static const char *const msgs[] = {
        "must be an absolute http(s) URL",
        "must be a date (YYYY-MM-DD)",
        "must be an RFC 3339 date-time",
        "must be an email address",
    };
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "u", "x", "d", "x", "t", "x", "e", "x");
    json_t *errors = NULL;

    ck_assert_int_eq(pw_spec_validate(f, body, PW_SPEC_CREATE, &errors), 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, i), "message")),
                         msgs[i]);
    json_decref(errors);
    json_decref(body);
    /* A pattern value no table row knows is a spec bug: nothing matches it. */
    ck_assert_int_eq(pw_pattern_match((enum pw_pattern) 99, "x"), 0);
    ck_assert_int_eq(pw_pattern_match(PW_PAT_NONE, NULL), 0);
}
END_TEST

struct utf8_case {
    const char *s;
    size_t len;
    long long expect;
};

#define U(lit, n)                                                                                  \
    {                                                                                              \
        lit, sizeof lit - 1, n                                                                     \
    }
static const struct utf8_case utf8[] = {
    U("", 0),
    U("abc", 3),
    U("\xc3\xa9", 1),
    U("\xe2\x82\xac", 1),
    U("\xf0\x9f\x98\x80", 1),
    U("\xf4\x8f\xbf\xbf", 1),  /* U+10FFFF */
    U("\xed\x9f\xbf", 1),      /* U+D7FF */
    U("a\0b", 3),              /* NUL is valid UTF-8; callers refuse it */
    U("\x80", -1),             /* lone continuation */
    U("\xc3", -1),             /* truncated */
    U("\xe2\x82", -1),         /* truncated */
    U("\xf0\x9f\x98", -1),     /* truncated */
    U("\xc0\xaf", -1),         /* overlong '/' */
    U("\xc1\xbf", -1),         /* overlong */
    U("\xe0\x80\xaf", -1),     /* overlong */
    U("\xf0\x80\x80\xaf", -1), /* overlong */
    U("\xed\xa0\x80", -1),     /* surrogate U+D800 */
    U("\xed\xbf\xbf", -1),     /* surrogate U+DFFF */
    U("\xf4\x90\x80\x80", -1), /* U+110000 */
    U("\xf5\x80\x80\x80", -1), /* beyond */
    U("\xff", -1),
    U("\xc3\x28", -1), /* bad continuation */
};

START_TEST(test_utf8)
{
    ck_assert_int_eq(pw_utf8_length(utf8[_i].s, utf8[_i].len), utf8[_i].expect);
}
END_TEST

static void
add_loop(Suite *s, const char *name, const TTest *t, int n)
{
    TCase *tc = tcase_create(name);

    tcase_add_loop_test(tc, t, 0, n);
    suite_add_tcase(s, tc);
}

#define COUNT(a) ((int) (sizeof(a) / sizeof((a)[0])))

Suite *
spec_suite(void)
{
    Suite *s = suite_create("spec");
    TCase *tc;

    add_loop(s, "bad_inputs", test_bad_one_error, COUNT(bad));
    add_loop(s, "good_inputs", test_good, COUNT(good));
    add_loop(s, "slug_ok", test_slug_ok, COUNT(slugs_ok));
    add_loop(s, "slug_bad", test_slug_bad, COUNT(slugs_bad));
    add_loop(s, "patterns", test_pattern, COUNT(patterns));
    add_loop(s, "utf8", test_utf8, COUNT(utf8));
    tc = tcase_create("errors_in_order");
    tcase_add_test(tc, test_errors_in_order);
    tcase_add_test(tc, test_unknown_key_spelling_an_item);
    suite_add_tcase(s, tc);
    tc = tcase_create("patch");
    tcase_add_test(tc, test_patch);
    suite_add_tcase(s, tc);
    tc = tcase_create("hand_built_values");
    tcase_add_test(tc, test_hand_built_values);
    suite_add_tcase(s, tc);
    tc = tcase_create("pattern_messages");
    tcase_add_test(tc, test_pattern_messages);
    suite_add_tcase(s, tc);
    return s;
}

PW_CHECK_MAIN(spec_suite)
