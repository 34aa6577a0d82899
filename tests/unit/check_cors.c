/**
 * @file check_cors.c
 * @brief Parsing CORS_ORIGINS and deciding which origins may read responses.
 */
#include "check_main.h"
#include "pathways/cors.h"

START_TEST(off_by_default)
{
    ck_assert_int_eq(pw_cors_init(NULL), 0);
    ck_assert(!pw_cors_allowed("https://app.example.com"));
    ck_assert_int_eq(pw_cors_init(""), 0);
    ck_assert(!pw_cors_allowed("https://app.example.com"));
}
END_TEST

START_TEST(any_origin)
{
    ck_assert_int_eq(pw_cors_init("*"), 0);
    ck_assert(pw_cors_allowed("https://app.example.com"));
    ck_assert(pw_cors_allowed("http://localhost:5173"));
    ck_assert(!pw_cors_allowed(NULL));
    pw_cors_free();
}
END_TEST

START_TEST(exact_list)
{
    ck_assert_int_eq(pw_cors_init(" https://app.example.com , http://localhost:5173"), 0);
    ck_assert(pw_cors_allowed("https://app.example.com"));
    ck_assert(pw_cors_allowed("http://localhost:5173"));
    ck_assert(!pw_cors_allowed("http://localhost:5174"));
    ck_assert(!pw_cors_allowed("https://app.example.com.evil.test"));
    ck_assert(!pw_cors_allowed("http://app.example.com"));
    ck_assert(!pw_cors_allowed("null"));
    pw_cors_free();
}
END_TEST

START_TEST(bad_entries_refused)
{
    static const char *const bad[] = { "app.example.com",
                                       "https://app.example.com/",
                                       "https://a.test/path",
                                       "ftp://a.test",
                                       "https://a b.test" };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(pw_cors_init(bad[i]), -1);
        ck_assert(!pw_cors_allowed("https://app.example.com"));
    }
}
END_TEST

static Suite *
cors_suite(void)
{
    Suite *s = suite_create("cors");
    TCase *tc = tcase_create("cors");

    tcase_add_test(tc, off_by_default);
    tcase_add_test(tc, any_origin);
    tcase_add_test(tc, exact_list);
    tcase_add_test(tc, bad_entries_refused);
    suite_add_tcase(s, tc);
    return s;
}

PW_CHECK_MAIN(cors_suite)
