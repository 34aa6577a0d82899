/**
 * @file check_db_restart.c
 * @brief PostgreSQL stops under a running server: 503 + Retry-After while it
 *        is down, full service again once it is back, without a restart.
 *
 * Needs PW_TEST_PG_STOP / PW_TEST_PG_START / PW_TEST_PG_KILL (scripts/test
 * exports them); runs alone (RUN_SERIAL) because it takes the database away
 * from everyone.
 */
#include "harness.h"
#include "it_raw.h"

#include <pthread.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
setup(void)
{
    if (getenv("PW_TEST_PG_STOP") == NULL || getenv("PW_TEST_PG_START") == NULL ||
        getenv("PW_TEST_PG_KILL") == NULL) {
        fprintf(stderr, "PW_TEST_PG_STOP/START/KILL not set; skipping (run scripts/test)\n");
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

/* ---- kill -9 with requests in flight ------------------------------------------------ */

enum { CLIENTS = 6 };

struct client {
    int id;
    volatile int *stop;
    int ok, unavailable;
    int ok_after_503; /* 200s after this client's first 503: it saw the recovery */
    char failure[256];
};

/*
 * Each client loops over fresh connections: reads (a single skill, a list) and,
 * every third request, a write. What is asserted for every single request: a
 * complete response (status line, headers, Content-Length bytes of body), and
 * either 200 or a 503 problem+json with Retry-After. No 500, no other status,
 * no connection closed or reset without an answer, no hang (30 s socket
 * timeout). There is no exception for requests on the database at the moment
 * of the kill: Pathways sees a lost database connection as "unavailable" and
 * answers 503 itself; only PostgreSQL's side of the connection dies.
 */
static void *
client_loop(void *arg)
{
    struct client *c = arg;
    char editor[1200], body[96];

    snprintf(editor, sizeof editor, "%s\r\n", pw_auth_header(PW_ROLE_EDITOR));
    for (int n = 0; !*c->stop && c->failure[0] == '\0'; n++) {
        struct it_raw r;
        char ct[64], retry[16];
        const char *what = n % 3 == 0 ? "PATCH" : n % 3 == 1 ? "GET one" : "GET list";

        snprintf(body, sizeof body, "{\"description\":\"client %d request %d\"}", c->id, n);
        if (n % 3 == 0)
            it_raw_request("PATCH", "/v1/skills/docker", editor, body, 30, &r);
        else
            it_raw_request("GET",
                           n % 3 == 1 ? "/v1/skills/postgresql" : "/v1/skills?limit=10",
                           NULL,
                           NULL,
                           30,
                           &r);
        if (!r.complete)
            snprintf(c->failure,
                     sizeof c->failure,
                     "%s: incomplete answer (status %ld, %zu bytes%s)",
                     what,
                     r.status,
                     r.len,
                     r.reset ? ", reset/timeout" : "");
        else if (r.status == 200) {
            c->ok++;
            if (c->unavailable > 0)
                c->ok_after_503++;
        } else if (r.status == 503) {
            c->unavailable++;
            if (!it_raw_header(&r, "Retry-After", retry, sizeof retry) ||
                !it_raw_header(&r, "Content-Type", ct, sizeof ct) ||
                strcmp(ct, "application/problem+json") != 0)
                snprintf(c->failure,
                         sizeof c->failure,
                         "%s: 503 without Retry-After or problem+json",
                         what);
        } else
            snprintf(c->failure,
                     sizeof c->failure,
                     "%s: status %ld: %s",
                     what,
                     r.status,
                     it_raw_body(&r));
        it_raw_free(&r);
    }
    return NULL;
}

START_TEST(killed_under_load_then_recovery)
{
    struct client cs[CLIENTS];
    pthread_t th[CLIENTS];
    volatile int stop = 0;
    int back = 0, unavailable = 0;
    double t_start;

    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(get_status("/v1/skills/postgresql", NULL, 0), 200);
    for (int i = 0; i < CLIENTS; i++) {
        cs[i] = (struct client){ .id = i, .stop = &stop };
        ck_assert_int_eq(pthread_create(&th[i], NULL, client_loop, &cs[i]), 0);
    }
    usleep(700 * 1000); /* traffic is flowing */
    /* SIGKILL the postmaster and every backend at once, mid-traffic. */
    ck_assert_int_eq(system(getenv("PW_TEST_PG_KILL")), 0);
    usleep(1000 * 1000); /* a second of outage under load */
    /* Restart: PostgreSQL runs crash recovery first. */
    ck_assert_int_eq(system(getenv("PW_TEST_PG_START")), 0);
    t_start = it_now();
    /* Recovery without restarting Pathways: every client gets 200s again. */
    while (!back && it_now() - t_start < 15) {
        back = 1;
        for (int i = 0; i < CLIENTS; i++)
            back &= cs[i].ok_after_503 >= 5 || (cs[i].unavailable == 0 && cs[i].ok > 0) ||
                    cs[i].failure[0] != '\0';
        usleep(100 * 1000);
    }
    usleep(500 * 1000);
    stop = 1;
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(cs[i].failure[0] == '\0', "client %d: %s", i, cs[i].failure);
        unavailable += cs[i].unavailable;
    }
    ck_assert_msg(back, "not every client was served again within 15 s of the restart");
    ck_assert_int_gt(unavailable, 0); /* the outage was real */
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
    tcase_add_test(tc, killed_under_load_then_recovery);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(db_restart_suite)
