/**
 * @file check_faults.c
 * @brief Misbehaving clients and shutdown under load, against the real binary:
 *        clients that vanish mid-body or mid-response, slowloris, more
 *        connections than PATHWAYS_MAX_CONNECTIONS, SIGTERM with requests in
 *        flight. Each test starts its own server (its own settings) and
 *        requires a clean exit 0 at the end (under ASan: no leak).
 *
 * Runs alone (RUN_SERIAL): it measures how fast other clients are served.
 */
#include "harness.h"
#include "it_raw.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>

/** Time bounds grow under a slow wrapper (valgrind). */
static double
slack(void)
{
    return pw_it_wrapped() ? 10.0 : 1.0;
}

/** Wait until metric @a name equals @a want (up to @a seconds); @return the last value. */
static long long
metric_settles(const char *name, long long want, double seconds)
{
    double until = it_now() + seconds * slack();
    long long v;

    while ((v = pw_it_metric(name)) != want && it_now() < until)
        usleep(50 * 1000);
    return v;
}

/** Close @a fd with a TCP RST (SO_LINGER 0) instead of a FIN. */
static void
close_reset(int fd)
{
    struct linger l = { .l_onoff = 1, .l_linger = 0 };

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}

static void
assert_serves(int n)
{
    for (int i = 0; i < n; i++) {
        struct pw_resp r = pw_http("GET", "/v1/skills?limit=5", NULL, NULL);

        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(json_array_size(json_object_get(r.json, "data")), 5);
        pw_resp_free(&r);
    }
}

/* ---- clients that go away --------------------------------------------------------- */

START_TEST(clients_vanishing_mid_body_or_mid_response)
{
    const char *big = "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
    char head[1400], buf[256];
    size_t hl;

    pw_it_start(NULL);
    /* Mid-body: 10 of 1000 announced bytes, then FIN or RST. */
    hl = (size_t) snprintf(head,
                           sizeof head,
                           "POST /v1/skills HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: "
                           "application/json\r\nContent-Length: 1000\r\n\r\n{\"slug\":\"x",
                           pw_auth_header(PW_ROLE_EDITOR));
    for (int i = 0; i < 20; i++) {
        int fd = it_connect(10);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(it_send_all(fd, head, hl), 0);
        usleep(20 * 1000); /* let the server take the headers and start the body */
        if (i % 2)
            close_reset(fd);
        else
            close(fd);
    }
    /* Mid-response: 20 pipelined requests for a 100+ KB document (megabytes in all),
       read a little, then go. The server is writing when the connection dies. */
    for (int i = 0; i < 10; i++) {
        int fd = it_connect(10);
        char pipelined[20 * 64];
        size_t n = 0;

        ck_assert_int_ge(fd, 0);
        for (int k = 0; k < 20; k++)
            n += (size_t) snprintf(pipelined + n, sizeof pipelined - n, "%s", big);
        ck_assert_int_eq(it_send_all(fd, pipelined, n), 0);
        ck_assert_int_gt(recv(fd, buf, sizeof buf, 0), 0);
        if (i % 2)
            close_reset(fd);
        else
            close(fd);
    }
    /* A list requested and never read. */
    for (int i = 0; i < 10; i++) {
        int fd = it_connect(10);
        const char *list = "GET /v1/skills?limit=100 HTTP/1.1\r\nHost: x\r\n\r\n";

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(it_send_all(fd, list, strlen(list)), 0);
        close_reset(fd);
    }
    /* Every abandoned request was finished off (only the /metrics request itself is in
       flight), and the server carries on. */
    ck_assert_int_eq(metric_settles("pathways_http_requests_in_flight", 1, 5), 1);
    assert_serves(20);
    ck_assert_int_eq(pw_it_stop(), 0); /* under ASan: nothing leaked */
}
END_TEST

/* ---- slowloris ---------------------------------------------------------------------- */

enum { SLOW = 300, IDLE = 100 };

struct slowloris {
    int fds[SLOW];
    double until;
    int sent_bytes;
};

/** A byte a second on each connection: a request whose header never ends. */
static void *
drip(void *arg)
{
    struct slowloris *s = arg;

    while (it_now() < s->until) {
        for (int i = 0; i < SLOW; i++)
            if (s->fds[i] >= 0 && send(s->fds[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
                s->sent_bytes++;
        usleep(1000 * 1000);
    }
    return NULL;
}

/** 1 when the server closed @a fd (EOF or reset), 0 when it is still open. */
static int
closed_by_server(int fd)
{
    char c;
    ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);

    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

START_TEST(slowloris_does_not_starve_other_clients)
{
    static const char *const env[] = { "PATHWAYS_IDLE_TIMEOUT=2", NULL };
    static struct slowloris s;
    int idle[IDLE];
    pthread_t th;
    double worst = 0, t_end;
    int served = 0, idle_closed = 0;

    pw_it_start(env);
    /* 300 connections that start a request and then send a byte a second... */
    for (int i = 0; i < SLOW; i++) {
        const char *start = "GET /v1/skills HTTP/1.1\r\nHost: x\r\nX-Slow: ";

        s.fds[i] = it_connect(5);
        ck_assert_int_ge(s.fds[i], 0);
        ck_assert_int_eq(it_send_all(s.fds[i], start, strlen(start)), 0);
    }
    /* ...and 100 that connect and say nothing. */
    for (int i = 0; i < IDLE; i++) {
        idle[i] = it_connect(5);
        ck_assert_int_ge(idle[i], 0);
    }
    s.until = it_now() + 8;
    ck_assert_int_eq(pthread_create(&th, NULL, drip, &s), 0);

    /* Meanwhile an ordinary client is served, every time, promptly. */
    t_end = it_now() + 7;
    while (it_now() < t_end) {
        double t0 = it_now();
        struct pw_resp r = pw_http("GET", "/v1/skills?limit=20", NULL, NULL);
        double took = it_now() - t0;

        ck_assert_int_eq(r.status, 200);
        pw_resp_free(&r);
        if (took > worst)
            worst = took;
        served++;
        usleep(100 * 1000);
    }
    pthread_join(th, NULL);
    ck_assert_msg(worst < 1.0 * slack(), "slowest ordinary request took %.2f s", worst);
    ck_assert_int_ge(served, 20);
    ck_assert_int_gt(s.sent_bytes, SLOW * 4);

    /* The idle timeout (2 s) closed the silent connections long ago (8 s). */
    for (int i = 0; i < IDLE; i++) {
        idle_closed += closed_by_server(idle[i]);
        close(idle[i]);
    }
    ck_assert_int_eq(idle_closed, IDLE);
    /* The drip stopped: now they are idle too and get closed within the timeout. */
    double until = it_now() + 6 * slack();
    int slow_closed = 0;

    while (it_now() < until) {
        slow_closed = 0;
        for (int i = 0; i < SLOW; i++)
            slow_closed += closed_by_server(s.fds[i]);
        if (slow_closed == SLOW)
            break;
        usleep(200 * 1000);
    }
    ck_assert_int_eq(slow_closed, SLOW);
    for (int i = 0; i < SLOW; i++)
        close(s.fds[i]);
    assert_serves(5);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

/* ---- connection limit ------------------------------------------------------------------ */

START_TEST(connections_beyond_the_limit_are_refused_at_once)
{
    static const char *const env[] = { "PATHWAYS_MAX_CONNECTIONS=20", NULL };
    const char *const close_hdr[] = { "Connection: close", NULL };
    enum { OPEN = 40 };
    int fds[OPEN], served = 0, refused = 0;
    const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    pw_it_start(env);
    /* The harness's own keep-alive connection goes away first. */
    ck_assert_int_eq(pw_status("GET", "/healthz", NULL, close_hdr), 200);
    usleep(200 * 1000);
    for (int i = 0; i < OPEN; i++) {
        fds[i] = it_connect(3);
        ck_assert_int_ge(fds[i], 0); /* the kernel completes every handshake */
        usleep(5 * 1000);
    }
    /* Each asks for /healthz: the admitted ones are answered, the others were closed at
       accept (EOF or reset) - none is left waiting. */
    for (int i = 0; i < OPEN; i++) {
        struct it_raw r;
        double t0 = it_now();

        if (it_send_all(fds[i], req, strlen(req)) == 0)
            it_raw_read(fds[i], &r, 0);
        else
            memset(&r, 0, sizeof r);
        ck_assert_msg(it_now() - t0 < 2.5, "connection %d waited %.1f s", i, it_now() - t0);
        if (r.complete && r.status == 200)
            served++;
        else {
            ck_assert_uint_eq(r.len, 0); /* nothing half-said */
            refused++;
        }
        it_raw_free(&r);
    }
    /* Worker threads admit in parallel: at most threads - 1 (3) over the limit. */
    ck_assert_msg(served >= 20 && served <= 23, "served %d", served);
    ck_assert_int_eq(served + refused, OPEN);
    /* When they go away the server serves again, and says what it refused. */
    for (int i = 0; i < OPEN; i++)
        close(fds[i]);
    ck_assert_int_eq(metric_settles("pathways_http_connections", 1, 5), 1);
    ck_assert_int_ge(pw_it_metric("pathways_http_connections_refused_total"), refused);
    assert_serves(20);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

/* ---- SIGTERM under load ------------------------------------------------------------------ */

struct loader {
    const char *path;
    volatile int *stop;
    int complete_ok; /* complete 200 responses */
    int no_answer;   /* refused / reset before a single byte */
    int after_term;  /* complete 200 responses that started after SIGTERM */
    volatile double *term_at;
    char failure[200];
};

static void *
load(void *arg)
{
    struct loader *l = arg;

    while (!*l->stop) {
        struct it_raw r;
        double t0 = it_now();
        int rc = it_raw_request("GET", l->path, NULL, NULL, 20, &r);

        if (rc != 0 || r.len == 0) {
            l->no_answer++;
            it_raw_free(&r);
            if (*l->term_at > 0)
                break; /* the server no longer takes connections */
            continue;
        }
        if (!r.complete || r.status != 200) {
            snprintf(l->failure,
                     sizeof l->failure,
                     "%s: status %ld, %zu bytes, complete %d",
                     l->path,
                     r.status,
                     r.len,
                     r.complete);
            it_raw_free(&r);
            break;
        }
        l->complete_ok++;
        if (*l->term_at > 0 && t0 > *l->term_at)
            l->after_term++;
        it_raw_free(&r);
    }
    return NULL;
}

struct slow_patch {
    const char *path;
    long status;
    int complete;
};

static void *
patch_blocked(void *arg)
{
    struct slow_patch *p = arg;
    char headers[1200];
    struct it_raw r;

    snprintf(headers, sizeof headers, "%s\r\n", pw_auth_header(PW_ROLE_EDITOR));
    it_raw_request("PATCH", p->path, headers, "{\"name\":\"Finished\"}", 30, &r);
    p->status = r.status;
    p->complete = r.complete;
    it_raw_free(&r);
    return NULL;
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

/**
 * Create skill @a slug (named @a name), lock its row from a connection of our own and
 * start a PATCH of it on thread @a pt (renaming it "Finished"): the PATCH stays in
 * flight until the returned connection commits. @a path receives the skill's path.
 */
static PGconn *
start_blocked_patch(
    const char *slug, const char *name, char path[128], struct slow_patch *sp, pthread_t *pt)
{
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char body[200], sql[200];
    PGconn *blocker;

    snprintf(
        body, sizeof body, "{\"slug\":\"%s\",\"name\":\"%s\",\"category\":\"tool\"}", slug, name);
    ck_assert_int_eq(pw_status("POST", "/v1/skills", body, editor), 201);
    snprintf(path, 128, "/v1/skills/%s", slug);
    blocker = PQconnectdb(getenv("PW_TEST_DATABASE_URL"));
    ck_assert_int_eq(PQstatus(blocker), CONNECTION_OK);
    exec_ok(blocker, "BEGIN");
    snprintf(sql, sizeof sql, "SELECT 1 FROM skills WHERE slug = '%s' FOR UPDATE", slug);
    exec_ok(blocker, sql);
    sp->path = path;
    ck_assert_int_eq(pthread_create(pt, NULL, patch_blocked, sp), 0);
    return blocker;
}

/** Wait until one of the server's backends waits for a lock (the blocked PATCH). */
static void
wait_for_lock_waiter(void)
{
    for (double until = it_now() + 10 * slack();; usleep(50 * 1000)) {
        char waiting[16] = "0";

        pw_it_sql_text("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pathways' "
                       "AND wait_event_type = 'Lock'",
                       waiting,
                       sizeof waiting);
        if (strcmp(waiting, "1") == 0)
            return;
        ck_assert_msg(it_now() < until, "the PATCH never reached the database");
    }
}

/*
 * A handler that blocks (here a PATCH whose transaction waits on a row lock) runs on a
 * worker: the one event loop goes on answering everybody else at once.
 */
START_TEST(a_blocked_transaction_does_not_hold_the_loop)
{
    static const char *const env[] = {
        "PATHWAYS_THREADS=1", "PATHWAYS_WORKERS=2", "PATHWAYS_STATEMENT_TIMEOUT_MS=120000", NULL
    };
    static const char *const paths[] = { "/v1/skills/postgresql",
                                         "/v1/skills?limit=5",
                                         "/healthz",
                                         "/v1/paths/backend-developer/roadmap" };
    const char *slug = pw_unique("held");
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char body[200], path[128], sql[200], name[64];
    struct slow_patch sp = { 0 };
    pthread_t pt;
    PGconn *blocker;

    pw_it_start(env);
    blocker = start_blocked_patch(slug, "Held", path, &sp, &pt);
    wait_for_lock_waiter();

    /* Reads, pipelined or not, and a second write on the other worker: all answered
       while the PATCH still waits. */
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
            struct it_raw r;
            double t0 = it_now();

            ck_assert_int_eq(it_raw_request("GET", paths[i], NULL, NULL, 10, &r), 0);
            ck_assert_msg(r.status == 200 && r.complete, "%s: status %ld", paths[i], r.status);
            ck_assert_msg(it_now() - t0 < 1.0 * slack(),
                          "%s took %.2f s while a transaction waited",
                          paths[i],
                          it_now() - t0);
            it_raw_free(&r);
        }
    snprintf(body,
             sizeof body,
             "{\"slug\":\"%s\",\"name\":\"Free\",\"category\":\"tool\"}",
             pw_unique("free"));
    ck_assert_int_eq(pw_status("POST", "/v1/skills", body, editor), 201);
    ck_assert_int_eq(sp.status, 0); /* still waiting */

    exec_ok(blocker, "COMMIT");
    PQfinish(blocker);
    pthread_join(pt, NULL);
    ck_assert_int_eq(sp.status, 200);
    ck_assert(sp.complete);
    snprintf(sql, sizeof sql, "SELECT name FROM skills WHERE slug = '%s'", slug);
    ck_assert_int_eq(pw_it_sql_text(sql, name, sizeof name), 0);
    ck_assert_str_eq(name, "Finished");
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

START_TEST(sigterm_under_load_finishes_what_was_started)
{
    enum { LOADERS = 6 };
    static const char *const paths[] = { "/v1/skills?limit=50",
                                         "/openapi.json",
                                         "/v1/skills/postgresql" };
    static const char *const env[] = { "PATHWAYS_STATEMENT_TIMEOUT_MS=120000", NULL };
    struct loader ls[LOADERS];
    pthread_t th[LOADERS], pt;
    volatile int stop = 0;
    volatile double term_at = 0;
    const char *slug = pw_unique("term");
    char path[128], sql[200], name[64];
    struct slow_patch sp = { 0 };
    PGconn *blocker;
    int ok = 0, exit_status;
    double t_exit;

    pw_it_start(env);
    /* An in-flight write that cannot finish before we say so: its row is locked. */
    blocker = start_blocked_patch(slug, "Term", path, &sp, &pt);

    for (int i = 0; i < LOADERS; i++) {
        ls[i] = (struct loader){ .path = paths[i % 3], .stop = &stop, .term_at = &term_at };
        ck_assert_int_eq(pthread_create(&th[i], NULL, load, &ls[i]), 0);
    }
    wait_for_lock_waiter();
    usleep(1000 * 1000); /* load keeps flowing */
    term_at = it_now();
    ck_assert_int_eq(kill(pw_it_pid(), SIGTERM), 0);
    /* The server waits for the blocked PATCH; release it a second later. Meanwhile a new
       client is turned away at once, not left waiting in the listen backlog. */
    usleep(300 * 1000);
    {
        struct it_raw late;
        double t0 = it_now();
        int rc = it_raw_request("GET", "/v1/skills/postgresql", NULL, NULL, 5, &late);

        ck_assert_msg(rc != 0 || late.len == 0, "a client that came after SIGTERM got an answer");
        ck_assert_msg(it_now() - t0 < 1.0 * slack(),
                      "a client that came after SIGTERM waited %.1f s",
                      it_now() - t0);
        it_raw_free(&late);
    }
    usleep(700 * 1000);
    exec_ok(blocker, "COMMIT");
    PQfinish(blocker);
    pthread_join(pt, NULL);
    exit_status = pw_it_wait_exit((int) (12000 * slack()));
    t_exit = it_now();
    stop = 1;
    for (int i = 0; i < LOADERS; i++)
        pthread_join(th[i], NULL);
    if (exit_status == -2) /* still running: do not leave it behind */
        pw_it_stop();

    /* The request in flight at SIGTERM completed, with its write. */
    ck_assert_int_eq(sp.status, 200);
    ck_assert(sp.complete);
    /* Every response anyone got was complete (status + Content-Length bytes) and 200. */
    for (int i = 0; i < LOADERS; i++) {
        ck_assert_msg(ls[i].failure[0] == '\0', "loader %d: %s", i, ls[i].failure);
        ok += ls[i].complete_ok;
    }
    ck_assert_int_gt(ok, 10);
    /* Exit 0 within the 10 s grace period (it had to wait for the PATCH: ~1 s). */
    ck_assert_int_eq(exit_status, 0);
    ck_assert_msg(t_exit - term_at < 11.0 * slack(), "exit took %.1f s", t_exit - term_at);
    ck_assert_msg(
        t_exit - term_at > 0.9, "exited after %.1f s, before the PATCH finished", t_exit - term_at);

    /* The PATCH's write is there (read straight from the database). */
    snprintf(sql, sizeof sql, "SELECT name FROM skills WHERE slug = '%s'", slug);
    ck_assert_int_eq(pw_it_sql_text(sql, name, sizeof name), 0);
    ck_assert_str_eq(name, "Finished");
}
END_TEST

static Suite *
faults_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = tcase_create("faults");

    tcase_add_checked_fixture(tc, NULL, pw_it_stop_leftover);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, clients_vanishing_mid_body_or_mid_response);
    tcase_add_test(tc, slowloris_does_not_starve_other_clients);
    tcase_add_test(tc, connections_beyond_the_limit_are_refused_at_once);
    tcase_add_test(tc, a_blocked_transaction_does_not_hold_the_loop);
    tcase_add_test(tc, sigterm_under_load_finishes_what_was_started);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(faults_suite)
