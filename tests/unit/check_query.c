/**
 * @file check_query.c
 * @brief Unit tests for strict query-string parsing and the typed getters.
 */
#include "check_main.h"
#include "pathways/query.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Parses a NUL-terminated literal. */
static enum pw_query_status
parse(const char *raw, struct pw_query *q)
{
    return pw_query_parse(raw, strlen(raw), q);
}

static void
assert_zeroed(const struct pw_query *q)
{
    ck_assert_uint_eq(q->count, 0);
    ck_assert_ptr_null(q->storage);
}

START_TEST(test_empty)
{
    struct pw_query q;

    ck_assert_int_eq(pw_query_parse(NULL, 0, &q), PW_QUERY_OK);
    assert_zeroed(&q);
    ck_assert_int_eq(parse("", &q), PW_QUERY_OK);
    assert_zeroed(&q);
    ck_assert_int_eq(parse("&&&", &q), PW_QUERY_OK);
    ck_assert_uint_eq(q.count, 0);
    pw_query_free(&q);
    ck_assert_int_eq(parse("=", &q), PW_QUERY_OK);
    ck_assert_uint_eq(q.count, 0);
    pw_query_free(&q);
    ck_assert_ptr_null(pw_query_get(&q, "a"));
    pw_query_free(&q); /* twice: safe on a zeroed struct */
}
END_TEST

START_TEST(test_decoding)
{
    struct pw_query q;

    ck_assert_int_eq(parse("a&b=&c=1&&d=x%20y+z&e=%C3%a9&f=a=b&g=%2B%26%3d&", &q), PW_QUERY_OK);
    ck_assert_uint_eq(q.count, 7);
    ck_assert_str_eq(pw_query_get(&q, "a"), "");
    ck_assert_str_eq(pw_query_get(&q, "b"), "");
    ck_assert_str_eq(pw_query_get(&q, "c"), "1");
    ck_assert_str_eq(pw_query_get(&q, "d"), "x y z");
    ck_assert_str_eq(pw_query_get(&q, "e"), "\xc3\xa9");
    ck_assert_str_eq(pw_query_get(&q, "f"), "a=b"); /* only the first '=' splits */
    ck_assert_str_eq(pw_query_get(&q, "g"), "+&=");
    ck_assert_ptr_null(pw_query_get(&q, "h"));
    ck_assert_ptr_null(pw_query_get(&q, NULL));
    ck_assert_str_eq(q.params[0].key, "a"); /* order kept */
    ck_assert_str_eq(q.params[6].key, "g");
    pw_query_free(&q);
    assert_zeroed(&q);

    ck_assert_int_eq(parse("+", &q), PW_QUERY_OK);
    ck_assert_uint_eq(q.count, 1);
    ck_assert_str_eq(q.params[0].key, " ");
    ck_assert_str_eq(q.params[0].value, "");
    pw_query_free(&q);

    ck_assert_int_eq(parse("sort%3D=-title", &q), PW_QUERY_OK); /* encoded '=' is key text */
    ck_assert_str_eq(pw_query_get(&q, "sort="), "-title");
    pw_query_free(&q);

    /* Only len bytes are read: the rest of the buffer is not the query. */
    ck_assert_int_eq(pw_query_parse("a=1&b=2", 3, &q), PW_QUERY_OK);
    ck_assert_uint_eq(q.count, 1);
    ck_assert_str_eq(pw_query_get(&q, "a"), "1");
    pw_query_free(&q);
}
END_TEST

struct bad_query {
    const char *raw;
    enum pw_query_status st;
};

static const struct bad_query bad[] = {
    { "a=1&a=2", PW_QUERY_DUPLICATE },
    { "a=1&%61=2", PW_QUERY_DUPLICATE }, /* equal once decoded */
    { "a&a", PW_QUERY_DUPLICATE },
    { "%zz", PW_QUERY_BAD_ESCAPE },
    { "a=%", PW_QUERY_BAD_ESCAPE },
    { "a=%4", PW_QUERY_BAD_ESCAPE },
    { "a=%4g", PW_QUERY_BAD_ESCAPE },
    { "a=%%41", PW_QUERY_BAD_ESCAPE },
    { "a=1&b=x%", PW_QUERY_BAD_ESCAPE },
    { "%00", PW_QUERY_NUL },
    { "a=x%00y", PW_QUERY_NUL },
    { "a=%C3%28", PW_QUERY_BAD_UTF8 },
    { "%C3%28", PW_QUERY_BAD_UTF8 },
    { "a=%C3", PW_QUERY_BAD_UTF8 },
    { "a=%C0%AF", PW_QUERY_BAD_UTF8 },
    { "a=%ED%A0%80", PW_QUERY_BAD_UTF8 },
    { "a=\xff", PW_QUERY_BAD_UTF8 }, /* raw, not escaped */
    { "=x", PW_QUERY_EMPTY_KEY },
    { "a=1&=2", PW_QUERY_EMPTY_KEY },
    { "==", PW_QUERY_EMPTY_KEY },
};

START_TEST(test_bad)
{
    struct pw_query q;

    ck_assert_msg(parse(bad[_i].raw, &q) == bad[_i].st, "%s", bad[_i].raw);
    assert_zeroed(&q);
    pw_query_free(&q);
}
END_TEST

START_TEST(test_raw_nul)
{
    struct pw_query q;

    ck_assert_int_eq(pw_query_parse("a=x\0y", 5, &q), PW_QUERY_NUL);
    assert_zeroed(&q);
}
END_TEST

/* Builds "p0=0&p1=1&..." with @a n parameters into @a buf. */
static void
make_params(char *buf, size_t cap, int n)
{
    size_t w = 0;

    buf[0] = '\0';
    for (int i = 0; i < n; i++)
        w += (size_t) snprintf(buf + w, cap - w, "%sp%d=%d", i ? "&" : "", i, i);
}

START_TEST(test_limits)
{
    static char buf[PW_QUERY_MAX_LEN + 2];
    struct pw_query q;

    make_params(buf, sizeof buf, PW_QUERY_MAX_PARAMS);
    ck_assert_int_eq(parse(buf, &q), PW_QUERY_OK);
    ck_assert_uint_eq(q.count, PW_QUERY_MAX_PARAMS);
    ck_assert_str_eq(pw_query_get(&q, "p31"), "31");
    pw_query_free(&q);

    make_params(buf, sizeof buf, 50);
    ck_assert_int_eq(parse(buf, &q), PW_QUERY_TOO_MANY);
    assert_zeroed(&q);

    /* Longest accepted: one key and a value filling the rest. */
    memset(buf, 'x', PW_QUERY_MAX_LEN);
    buf[0] = 'k';
    buf[1] = '=';
    buf[PW_QUERY_MAX_LEN] = '\0';
    ck_assert_int_eq(parse(buf, &q), PW_QUERY_OK);
    ck_assert_uint_eq(strlen(pw_query_get(&q, "k")), PW_QUERY_MAX_LEN - 2);
    pw_query_free(&q);
    buf[PW_QUERY_MAX_LEN] = 'x';
    buf[PW_QUERY_MAX_LEN + 1] = '\0';
    ck_assert_int_eq(parse(buf, &q), PW_QUERY_TOO_LONG);
    assert_zeroed(&q);

    /* The worst case for storage: 32 one-byte keys with no '='. */
    make_params(buf, sizeof buf, 0);
    for (int i = 0; i < PW_QUERY_MAX_PARAMS; i++)
        snprintf(buf + strlen(buf), 3, "%s%c", i ? "&" : "", 'A' + i);
    ck_assert_int_eq(parse(buf, &q), PW_QUERY_OK);
    ck_assert_uint_eq(q.count, PW_QUERY_MAX_PARAMS);
    pw_query_free(&q);
}
END_TEST

START_TEST(test_status_str)
{
    ck_assert_str_eq(pw_query_status_str(PW_QUERY_BAD_ESCAPE),
                     "malformed percent-encoding in the query string");
    for (int st = PW_QUERY_OK; st <= PW_QUERY_EMPTY_KEY; st++)
        ck_assert_ptr_nonnull(pw_query_status_str((enum pw_query_status) st));
}
END_TEST

struct int_case {
    const char *s;
    long long min, max;
    int rc;
    long long v;
};

static const struct int_case ints[] = {
    { "0", 0, 100, 0, 0 },
    { "20", 1, 100, 0, 20 },
    { "100", 1, 100, 0, 100 },
    { "-0", -5, 5, 0, 0 },
    { "-5", -5, 5, 0, -5 },
    { "007", 0, 100, 0, 7 },
    { "9223372036854775807", LLONG_MIN, LLONG_MAX, 0, LLONG_MAX },
    { "-9223372036854775808", LLONG_MIN, LLONG_MAX, 0, LLONG_MIN },
    { "9223372036854775808", LLONG_MIN, LLONG_MAX, -1, 0 },
    { "-9223372036854775809", LLONG_MIN, LLONG_MAX, -1, 0 },
    { "99999999999999999999999", LLONG_MIN, LLONG_MAX, -1, 0 },
    { "101", 1, 100, -1, 0 },
    { "0", 1, 100, -1, 0 },
    { "-6", -5, 5, -1, 0 },
    { "", 0, 100, -1, 0 },
    { "-", 0, 100, -1, 0 },
    { "+1", 0, 100, -1, 0 },
    { "--1", -5, 100, -1, 0 },
    { "1e3", 0, 10000, -1, 0 },
    { " 1", 0, 100, -1, 0 },
    { "1 ", 0, 100, -1, 0 },
    { "0x10", 0, 100, -1, 0 },
    { "1.0", 0, 100, -1, 0 },
};

START_TEST(test_parse_int)
{
    const struct int_case *c = &ints[_i];
    long long v = 12345;

    ck_assert_msg(pw_parse_int(c->s, c->min, c->max, &v) == c->rc, "\"%s\"", c->s);
    ck_assert_int_eq(v, c->rc == 0 ? c->v : 12345); /* untouched on failure */
}
END_TEST

START_TEST(test_parse_bool)
{
    static const char *const bad_bools[] = { "", "TRUE", "yes", "2", "true ", "tru", NULL };
    int b = 7;

    ck_assert_int_eq(pw_parse_bool("true", &b), 0);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(pw_parse_bool("0", &b), 0);
    ck_assert_int_eq(b, 0);
    ck_assert_int_eq(pw_parse_bool("1", &b), 0);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(pw_parse_bool("false", &b), 0);
    ck_assert_int_eq(b, 0);
    for (int i = 0; bad_bools[i] != NULL; i++)
        ck_assert_msg(pw_parse_bool(bad_bools[i], &b) == -1, "\"%s\"", bad_bools[i]);
    ck_assert_int_eq(pw_parse_bool(NULL, &b), -1);
    ck_assert_int_eq(pw_parse_int(NULL, 0, 1, NULL), -1);
}
END_TEST

static void
add_test(Suite *s, const char *name, const TTest *t)
{
    TCase *tc = tcase_create(name);

    tcase_add_test(tc, t);
    suite_add_tcase(s, tc);
}

static void
add_loop(Suite *s, const char *name, const TTest *t, int n)
{
    TCase *tc = tcase_create(name);

    tcase_add_loop_test(tc, t, 0, n);
    suite_add_tcase(s, tc);
}

#define COUNT(a) ((int) (sizeof(a) / sizeof((a)[0])))

Suite *
query_suite(void)
{
    Suite *s = suite_create("query");

    add_test(s, "empty", test_empty);
    add_test(s, "decoding", test_decoding);
    add_loop(s, "bad_queries", test_bad, COUNT(bad));
    add_test(s, "raw_nul", test_raw_nul);
    add_test(s, "limits", test_limits);
    add_test(s, "status_str", test_status_str);
    add_loop(s, "parse_int", test_parse_int, COUNT(ints));
    add_test(s, "parse_bool", test_parse_bool);
    return s;
}

PW_CHECK_MAIN(query_suite)
