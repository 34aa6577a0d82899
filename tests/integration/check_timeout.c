/**
 * @file check_timeout.c
 * @brief A statement slower than PATHWAYS_STATEMENT_TIMEOUT_MS is cancelled:
 *        the client gets 503 + Retry-After and the worker is free again.
 */
#include "harness.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void
setup(void)
{
    static const char *const env[] = { "PATHWAYS_STATEMENT_TIMEOUT_MS=500", NULL };

    pw_it_start(env);
}

static void
exec_ok(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);

    ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
                  "%s: %s",
                  sql,
                  PQerrorMessage(c));
    PQclear(r);
}

START_TEST(blocked_write_times_out_with_503)
{
    const char *slug = pw_unique("slow");
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char body[256], path[128], sql[256], retry[16];
    PGconn *blocker = PQconnectdb(getenv("PW_TEST_DATABASE_URL"));
    struct timespec t0, t1;
    struct pw_resp r;

    ck_assert_int_eq(PQstatus(blocker), CONNECTION_OK);
    snprintf(body, sizeof body, "{\"slug\":\"%s\",\"name\":\"Slow\",\"category\":\"tool\"}", slug);
    ck_assert_int_eq(pw_status("POST", "/v1/skills", body, editor), 201);
    snprintf(path, sizeof path, "/v1/skills/%s", slug);

    /* Another session holds the row: the PATCH waits for its lock until cancelled. */
    exec_ok(blocker, "BEGIN");
    snprintf(sql, sizeof sql, "SELECT 1 FROM skills WHERE slug = '%s' FOR UPDATE", slug);
    exec_ok(blocker, sql);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = pw_http("PATCH", path, "{\"name\":\"Never\"}", editor);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pw_assert_problem(&r, 503);
    ck_assert(pw_resp_header(&r, "Retry-After", retry, sizeof retry));
    pw_resp_free(&r);
    double waited = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(waited >= 0.4 && waited < 5.0, "waited %.2f s", waited);

    /* Reads are not blocked meanwhile; after the lock is gone the write goes through. */
    ck_assert_int_eq(pw_status("GET", path, NULL, NULL), 200);
    exec_ok(blocker, "COMMIT");
    PQfinish(blocker);
    r = pw_http("PATCH", path, "{\"name\":\"Now\"}", editor);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "Now");
    pw_resp_free(&r);
}
END_TEST

static Suite *
timeout_suite(void)
{
    Suite *s = suite_create("timeout");
    TCase *tc = tcase_create("timeout");

    tcase_add_unchecked_fixture(tc, setup, pw_it_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, blocked_write_times_out_with_503);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(timeout_suite)
