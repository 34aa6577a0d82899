/**
 * @file check_cors.c
 * @brief CORS against the real server: allowed origins read responses and
 *        exposed headers, preflights answer, other origins get nothing.
 */
#include "harness.h"

#include <string.h>

static void
setup(void)
{
    static const char *const env[] = { "CORS_ORIGINS=https://app.example.com,http://localhost:5173",
                                       NULL };

    pw_it_start(env);
}

START_TEST(allowed_origin_reads_and_sees_headers)
{
    const char *h[] = { "Origin: http://localhost:5173", NULL };
    struct pw_resp r = pw_http("GET", "/v1/skills/postgresql", NULL, h);
    char v[256];

    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    ck_assert_str_eq(v, "http://localhost:5173");
    ck_assert(pw_resp_header(&r, "Access-Control-Expose-Headers", v, sizeof v));
    ck_assert_ptr_nonnull(strstr(v, "ETag"));
    ck_assert_ptr_nonnull(strstr(v, "Link"));
    ck_assert_ptr_nonnull(strstr(v, "Location"));
    ck_assert(pw_resp_header(&r, "Vary", v, sizeof v));
    ck_assert_str_eq(v, "Origin");
    pw_resp_free(&r);
    /* Errors too: a frontend must be able to read the problem. */
    r = pw_http("GET", "/v1/skills/no-such-skill", NULL, h);
    ck_assert_int_eq(r.status, 404);
    ck_assert(pw_resp_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    pw_resp_free(&r);
}
END_TEST

START_TEST(preflight)
{
    const char *h[] = { "Origin: https://app.example.com",
                        "Access-Control-Request-Method: PATCH",
                        "Access-Control-Request-Headers: authorization, content-type, if-match",
                        NULL };
    struct pw_resp r = pw_http("OPTIONS", "/v1/skills/postgresql", NULL, h);
    char v[256];

    ck_assert_int_eq(r.status, 204);
    ck_assert(pw_resp_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    ck_assert_str_eq(v, "https://app.example.com");
    ck_assert(pw_resp_header(&r, "Access-Control-Allow-Methods", v, sizeof v));
    ck_assert_ptr_nonnull(strstr(v, "PATCH"));
    ck_assert_ptr_nonnull(strstr(v, "DELETE"));
    ck_assert(pw_resp_header(&r, "Access-Control-Allow-Headers", v, sizeof v));
    ck_assert_ptr_nonnull(strstr(v, "Authorization"));
    ck_assert_ptr_nonnull(strstr(v, "If-Match"));
    ck_assert(pw_resp_header(&r, "Access-Control-Max-Age", v, sizeof v));
    pw_resp_free(&r);
}
END_TEST

START_TEST(other_origins_get_nothing)
{
    const char *h[] = { "Origin: https://evil.example.com", NULL };
    const char *pre[] = { "Origin: https://evil.example.com",
                          "Access-Control-Request-Method: DELETE",
                          NULL };
    struct pw_resp r = pw_http("GET", "/v1/skills/postgresql", NULL, h);
    char v[256];

    ck_assert_int_eq(r.status, 200);
    ck_assert(!pw_resp_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    pw_resp_free(&r);
    r = pw_http("OPTIONS", "/v1/skills/postgresql", NULL, pre);
    ck_assert_int_eq(r.status, 204);
    ck_assert(!pw_resp_header(&r, "Access-Control-Allow-Origin", v, sizeof v));
    ck_assert(!pw_resp_header(&r, "Access-Control-Allow-Methods", v, sizeof v));
    pw_resp_free(&r);
}
END_TEST

static Suite *
cors_suite(void)
{
    Suite *s = suite_create("cors");
    TCase *tc = tcase_create("cors");

    tcase_add_unchecked_fixture(tc, setup, pw_it_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, allowed_origin_reads_and_sees_headers);
    tcase_add_test(tc, preflight);
    tcase_add_test(tc, other_origins_get_nothing);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(cors_suite)
