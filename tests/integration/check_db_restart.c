/**
 * @file check_db_restart.c
 * @brief PostgreSQL stops under a running server: 503 + Retry-After while it
 *        is down, full service again once it is back, without a restart.
 *
 * Needs PW_TEST_PG_STOP / PW_TEST_PG_START (scripts/test exports them); runs
 * alone (RUN_SERIAL) because it takes the database away from everyone.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
setup(void)
{
    if (getenv("PW_TEST_PG_STOP") == NULL || getenv("PW_TEST_PG_START") == NULL) {
        fprintf(stderr, "PW_TEST_PG_STOP/START not set; skipping (run scripts/test)\n");
        exit(77);
    }
    pw_it_start(NULL);
}

static void
teardown(void)
{
    ck_assert_int_eq(pw_it_stop(), 0);
}

static long
get_status(const char *path, char *retry_after, size_t cap)
{
    struct pw_resp r = pw_http("GET", path, NULL, NULL);
    long st = r.status;

    if (retry_after != NULL && !pw_resp_header(&r, "Retry-After", retry_after, cap))
        retry_after[0] = '\0';
    if (st == 503)
        pw_assert_problem(&r, 503);
    pw_resp_free(&r);
    return st;
}

START_TEST(outage_then_recovery)
{
    char retry[32];
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r;
    int back = 0;

    /* Warm every worker's connection so the outage hits live connections. */
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(get_status("/v1/skills/postgresql", NULL, 0), 200);

    ck_assert_int_eq(system(getenv("PW_TEST_PG_STOP")), 0);
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(get_status("/v1/skills/postgresql", retry, sizeof retry), 503);
        ck_assert_str_eq(retry, "1");
    }
    ck_assert_int_eq(get_status("/v1/skills?limit=5", NULL, 0), 503);
    ck_assert_int_eq(get_status("/readyz", NULL, 0), 503);
    ck_assert_int_eq(get_status("/healthz", NULL, 0), 200);
    r = pw_http("PATCH", "/v1/skills/postgresql", "{\"description\":\"x\"}", h);
    pw_assert_problem(&r, 503);
    pw_resp_free(&r);

    ck_assert_int_eq(system(getenv("PW_TEST_PG_START")), 0);
    /* Connections come back on their own: within a few seconds every worker serves. */
    for (int i = 0; i < 100 && !back; i++) {
        back = get_status("/v1/skills/postgresql", NULL, 0) == 200;
        if (!back)
            usleep(100 * 1000);
    }
    ck_assert(back);
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(get_status("/v1/skills/postgresql", NULL, 0), 200);
    ck_assert_int_eq(get_status("/readyz", NULL, 0), 200);
}
END_TEST

static Suite *
db_restart_suite(void)
{
    Suite *s = suite_create("db_restart");
    TCase *tc = tcase_create("restart");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, outage_then_recovery);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(db_restart_suite)
