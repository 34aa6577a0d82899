/**
 * @file check_etag.c
 * @brief ETag formatting and the If-None-Match / If-Match parsing.
 */
#include "check_main.h"
#include "pathways/http.h"

#include <string.h>

START_TEST(version_tags)
{
    char t[32];

    pw_etag_version(t, sizeof t, 7);
    ck_assert_str_eq(t, "W/\"7\"");
}
END_TEST

START_TEST(hash_tags_differ_with_content)
{
    char a[32], b[32], c[32];

    pw_etag_hash(a, sizeof a, "{\"data\":[]}", 11);
    pw_etag_hash(b, sizeof b, "{\"data\":[1]}", 12);
    pw_etag_hash(c, sizeof c, "{\"data\":[]}", 11);
    ck_assert_str_ne(a, b);
    ck_assert_str_eq(a, c);
    ck_assert_uint_eq(strlen(a), 20); /* W/"<16 hex>" */
}
END_TEST

START_TEST(if_none_match)
{
    ck_assert(!pw_etag_list_matches(NULL, "W/\"3\""));
    ck_assert(pw_etag_list_matches("W/\"3\"", "W/\"3\""));
    ck_assert(pw_etag_list_matches("\"3\"", "W/\"3\"")); /* weak comparison */
    ck_assert(pw_etag_list_matches("*", "W/\"3\""));
    ck_assert(pw_etag_list_matches("W/\"1\", W/\"3\"", "W/\"3\""));
    ck_assert(pw_etag_list_matches("  W/\"1\" ,W/\"3\"  ", "W/\"3\""));
    ck_assert(!pw_etag_list_matches("W/\"33\"", "W/\"3\""));
    ck_assert(!pw_etag_list_matches("W/\"1\", W/\"2\"", "W/\"3\""));
    ck_assert(!pw_etag_list_matches("3", "W/\"3\""));     /* unquoted: malformed */
    ck_assert(!pw_etag_list_matches("W/\"3", "W/\"3\"")); /* unterminated */
    ck_assert(!pw_etag_list_matches("", "W/\"3\""));
    ck_assert(!pw_etag_list_matches(",,,", "W/\"3\""));
}
END_TEST

START_TEST(if_match_versions)
{
    ck_assert_int_eq(pw_etag_version_of(NULL), -1);
    ck_assert_int_eq(pw_etag_version_of("*"), -1);
    ck_assert_int_eq(pw_etag_version_of("W/\"12\""), 12);
    ck_assert_int_eq(pw_etag_version_of("\"12\""), 12);
    ck_assert_int_eq(pw_etag_version_of("W/\"abc\""), 0);
    ck_assert_int_eq(pw_etag_version_of("W/\"\""), 0);
    ck_assert_int_eq(pw_etag_version_of("12"), 0);
    ck_assert_int_eq(pw_etag_version_of("W/\"99999999999999999999\""), 0);
    ck_assert_int_eq(pw_etag_version_of("W/\"-1\""), 0);
}
END_TEST

static Suite *
etag_suite(void)
{
    Suite *s = suite_create("etag");
    TCase *tc = tcase_create("etag");

    tcase_add_test(tc, version_tags);
    tcase_add_test(tc, hash_tags_differ_with_content);
    tcase_add_test(tc, if_none_match);
    tcase_add_test(tc, if_match_versions);
    suite_add_tcase(s, tc);
    return s;
}

PW_CHECK_MAIN(etag_suite)
