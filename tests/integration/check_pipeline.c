/**
 * @file check_pipeline.c
 * @brief Statements on pipeline connections (PATHWAYS_DB_PIPELINES): every answer
 *        reaches the request that asked, under concurrency, after the pipelines'
 *        connections are killed, and with pipelines switched off.
 */
#include "harness.h"
#include "it_accounts.h"
#include "it_raw.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <pthread.h>

enum { CLIENTS = 16, ROUNDS = 25 };

static const char *const no_pipelines_env[] = { "PATHWAYS_DB_PIPELINE=off", NULL };

/** Slugs of the first @a n skills (sorted by slug). */
static void
skill_slugs(char slugs[][64], unsigned n)
{
    char path[64];
    struct pw_resp r;
    json_t *j, *data;

    snprintf(path, sizeof path, "/v1/skills?sort=slug&limit=%u", n);
    r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    j = json_loads(r.body, 0, NULL);
    data = json_object_get(j, "data");
    ck_assert_uint_eq(json_array_size(data), n);
    for (unsigned i = 0; i < n; i++)
        snprintf(slugs[i],
                 64,
                 "%s",
                 json_string_value(json_object_get(json_array_get(data, i), "slug")));
    json_decref(j);
    pw_resp_free(&r);
}

struct client {
    const char *slug;
    int half_close; /* shut the sending side after each request */
    int ok;
    char failure[320];
};

static pthread_barrier_t start_together;

/** GET its own skill ROUNDS times: every answer must be about that skill. */
static void *
client(void *arg)
{
    struct client *c = arg;
    char path[96];

    snprintf(path, sizeof path, "/v1/skills/%s", c->slug);
    pthread_barrier_wait(&start_together);
    for (int i = 0; i < ROUNDS; i++) {
        struct it_raw r;
        int rc = it_raw_request_ex("GET", path, NULL, NULL, 30, c->half_close, &r);
        json_t *j = it_raw_json(&r);
        const char *slug = json_string_value(json_object_get(j, "slug"));
        int mine = slug != NULL && strcmp(slug, c->slug) == 0;

        json_decref(j);
        if (rc != 0 || r.status != 200 || !mine) {
            snprintf(c->failure,
                     sizeof c->failure,
                     "%s: status %ld, complete %d, body %.80s",
                     path,
                     r.status,
                     r.complete,
                     it_raw_body(&r));
            it_raw_free(&r);
            return NULL;
        }
        c->ok++;
        it_raw_free(&r);
    }
    return NULL;
}

/** CLIENTS clients at once, each reading its own skill ROUNDS times. */
static void
run_clients(int half_close)
{
    char slugs[CLIENTS][64];
    struct client cs[CLIENTS];
    pthread_t th[CLIENTS];
    long long before;

    pw_it_start(NULL);
    skill_slugs(slugs, CLIENTS);
    before = pw_it_metric("pathways_db_pipelined_total");
    ck_assert_int_ge(before, 0);
    pthread_barrier_init(&start_together, NULL, CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
        cs[i] = (struct client){ .slug = slugs[i], .half_close = half_close };
        ck_assert_int_eq(pthread_create(&th[i], NULL, client, &cs[i]), 0);
    }
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start_together);
    for (int i = 0; i < CLIENTS; i++) {
        ck_assert_msg(cs[i].failure[0] == '\0', "client %d: %s", i, cs[i].failure);
        ck_assert_int_eq(cs[i].ok, ROUNDS);
    }
    /* They went through the pipelines. */
    ck_assert_int_ge(pw_it_metric("pathways_db_pipelined_total"), before + CLIENTS * ROUNDS);
    ck_assert_int_eq(pw_it_metric("pathways_db_connections{state=\"open\"}") >= 1, 1);
    ck_assert_int_eq(pw_it_stop(), 0);
}

START_TEST(concurrent_reads_each_get_their_own_answer)
{
    run_clients(0);
}
END_TEST

/*
 * Clients that shut their sending side right after the request still get every answer,
 * although their FIN arrives while the request waits suspended on the pipeline
 * (libmicrohttpd 0.9.75 used to close such a connection on resume: wait_for_db()).
 */
START_TEST(half_closing_clients_get_every_answer)
{
    run_clients(1);
}
END_TEST

/** Answers that are not 200 come back through the pipeline too, with their headers. */
START_TEST(errors_and_conditionals_through_the_pipeline)
{
    struct pw_resp r;
    char etag[64], inm[96];

    pw_it_start(NULL);
    pw_expect_problem("GET", "/v1/skills/no-such-skill", NULL, NULL, 404);
    pw_expect_problem("GET", "/v1/paths/no-such-path/roadmap", NULL, NULL, 404);
    r = pw_http("GET", "/v1/skills/postgresql", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    r = pw_http("GET", "/v1/skills/postgresql", NULL, h);
    ck_assert_int_eq(r.status, 304);
    pw_resp_free(&r);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

/** A one-statement write (PUT progress) goes through a pipeline and is stored once. */
START_TEST(progress_write_through_the_pipeline)
{
    struct it_session u;
    char path[96], step[24], got[16], sql[200];
    long long before;

    pw_it_start(NULL);
    it_new_learner(&u, "pipe");
    ck_assert_int_eq(pw_it_sql_text("SELECT min(st.id) FROM steps st JOIN stages sg ON sg.id = "
                                    "st.stage_id JOIN paths p ON p.id = sg.path_id"
                                    " WHERE p.slug = 'backend-developer'",
                                    step,
                                    sizeof step),
                     0);
    before = pw_it_metric("pathways_db_pipelined_total");
    snprintf(path, sizeof path, "/v1/me/progress/%s", step);
    const char *h[] = { u.auth, NULL };
    struct pw_resp r = pw_http("PUT", path, "{\"status\":\"done\"}", h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "status"), "done");
    pw_resp_free(&r);
    ck_assert_int_ge(pw_it_metric("pathways_db_pipelined_total"), before + 1);
    snprintf(sql,
             sizeof sql,
             "SELECT count(*) FROM progress WHERE user_id = %lld AND status = 'done'",
             u.user_id);
    ck_assert_int_eq(pw_it_sql_text(sql, got, sizeof got), 0);
    ck_assert_str_eq(got, "1");
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

/**
 * "VAR=<PW_TEST_DATABASE_URL> application_name=APP": the test database under a name of
 * its own in pg_stat_activity (the connection string's own settings win). Static.
 */
static const char *
db_env(const char *var, const char *app)
{
    static char buf[2][1200];
    static unsigned n;
    char *out = buf[n++ % 2];
    const char *db = getenv("PW_TEST_DATABASE_URL");
    const char *sep = strncmp(db, "postgres", 8) != 0 ? " " : strchr(db, '?') ? "&" : "?";

    snprintf(out, sizeof buf[0], "%s=%s%sapplication_name=%s", var, db, sep, app);
    return out;
}

/** Backends of application @a app now. */
static long long
backends_of(const char *app)
{
    char sql[160], n[16];

    snprintf(sql,
             sizeof sql,
             "SELECT count(*) FROM pg_stat_activity WHERE application_name = '%s'",
             app);
    ck_assert_int_eq(pw_it_sql_text(sql, n, sizeof n), 0);
    return atoll(n);
}

/** Killed backends: the next reads run on new connections, nobody sees an error. */
START_TEST(reads_survive_killed_pipeline_connections)
{
    /* Its own application_name, so that only this server's connections are killed (other
       suites run beside this one). */
    const char *env[] = { db_env("DATABASE_URL", "pw_it_pipeline"), NULL };

    pw_it_start(env);
    for (int round = 0; round < 5; round++) {
        ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
        ck_assert_int_eq(pw_it_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                   " WHERE application_name = 'pw_it_pipeline'"),
                         0);
        usleep(100 * 1000); /* let the kills land */
        ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
        ck_assert_int_eq(pw_status("GET", "/v1/paths/backend-developer/roadmap", NULL, NULL), 200);
    }
    ck_assert_int_ge(pw_it_metric("pathways_db_connects_total"), 5);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

START_TEST(pipelines_can_be_switched_off)
{
    pw_it_start(no_pipelines_env);
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
    ck_assert_int_eq(pw_status("GET", "/v1/paths/backend-developer/roadmap", NULL, NULL), 200);
    pw_expect_problem("GET", "/v1/skills/no-such-skill", NULL, NULL, 404);
    ck_assert_int_eq(pw_it_metric("pathways_db_pipelined_total"), 0);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

/** Threads of the server at niceness @a nice (from /proc: field 19 of each task's stat). */
static unsigned
threads_at_nice(int nice)
{
    char dir[64];
    unsigned n = 0;

    snprintf(dir, sizeof dir, "/proc/%d/task", pw_it_pid());
    DIR *d = opendir(dir);
    struct dirent *e;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        char path[384], line[1024];
        FILE *f;
        const char *p;
        int field = 2, value;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s/stat", dir, e->d_name);
        f = fopen(path, "r");
        if (f == NULL)
            continue; /* the thread ended meanwhile */
        p = fgets(line, sizeof line, f) != NULL ? strrchr(line, ')') : NULL;
        fclose(f);
        ck_assert_ptr_nonnull(p);
        /* Fields after the command's ")" start at 3 (state). */
        while (field < 19 && (p = strchr(p + 1, ' ')) != NULL)
            field++;
        ck_assert_ptr_nonnull(p);
        value = atoi(p + 1);
        n += value == nice;
    }
    closedir(d);
    return n;
}

/* The loops run at PATHWAYS_LOOP_NICE (-5 by default), the other threads as started;
   without the right to raise a priority (not root) the loops keep theirs and serve. */
START_TEST(loops_run_at_their_niceness)
{
    static const char *const two_loops[] = { "PATHWAYS_THREADS=2", NULL };
    static const char *const nice_zero[] = { "PATHWAYS_THREADS=2", "PATHWAYS_LOOP_NICE=0", NULL };
    static const char *const nice_three[] = { "PATHWAYS_THREADS=2", "PATHWAYS_LOOP_NICE=3", NULL };
    int privileged = geteuid() == 0;

    pw_it_start(two_loops);
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
    ck_assert_uint_eq(threads_at_nice(-5), privileged ? 2 : 0);
    ck_assert_uint_ge(threads_at_nice(0), 1 + 4); /* main and the workers at least */
    ck_assert_int_eq(pw_it_stop(), 0);
    pw_it_start(nice_zero);
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
    ck_assert_uint_eq(threads_at_nice(-5), 0);
    ck_assert_int_eq(pw_it_stop(), 0);
    /* Lowering a priority needs no privilege. */
    pw_it_start(nice_three);
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
    ck_assert_uint_eq(threads_at_nice(3), 2);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

/** DATABASE_READ_URL takes anonymous reads; signed-in reads and writes stay on the primary. */
START_TEST(anonymous_reads_go_to_the_read_url)
{
    const char *env[] = { db_env("DATABASE_READ_URL", "pw_it_read"), NULL };
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct it_session u;

    pw_it_start(env);
    it_new_learner(&u, "replica");
    const char *learner[] = { u.auth, NULL };
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, editor), 200);
    ck_assert_int_eq(pw_status("GET", "/v1/me", NULL, learner), 200);
    ck_assert_int_eq(pw_status("GET", "/v1/me/progress?path=backend-developer", NULL, learner),
                     200);
    ck_assert_int_eq(
        pw_status("PATCH", "/v1/skills/docker", "{\"description\":\"Containers.\"}", editor), 200);
    ck_assert_int_eq(backends_of("pw_it_read"), 0);
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
    ck_assert_int_eq(pw_status("GET", "/v1/paths/backend-developer/roadmap", NULL, NULL), 200);
    ck_assert_int_ge(backends_of("pw_it_read"), 1);
    ck_assert_int_eq(pw_it_stop(), 0);
    /* Closed at exit (the backend goes a moment after the client). */
    for (int i = 0; i < 60 && backends_of("pw_it_read") != 0; i++)
        usleep(50 * 1000);
    ck_assert_int_eq(backends_of("pw_it_read"), 0);
}
END_TEST

/** A replica out of reach: the primary answers its reads. */
START_TEST(an_unreachable_read_url_falls_back_to_the_primary)
{
    static const char *const env[] = {
        "DATABASE_READ_URL=host=/nonexistent/pathways-replica dbname=pathways", NULL
    };

    pw_it_start(env);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
    ck_assert_int_eq(pw_status("GET", "/v1/paths/backend-developer/roadmap", NULL, NULL), 200);
    pw_expect_problem("GET", "/v1/skills/no-such-skill", NULL, NULL, 404);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

/** A client that sends ROUNDS_LOCKED requests, each of which must answer @a want. */
enum { ROUNDS_LOCKED = 3 };

struct caller {
    const char *method;
    const char *paths[ROUNDS_LOCKED]; /* one per round */
    const char *headers;              /* "Name: value\r\n" lines, or NULL */
    const char *body;
    long want;
    int answered;
    char failure[200];
};

static void *
caller(void *arg)
{
    struct caller *c = arg;

    pthread_barrier_wait(&start_together);
    for (int i = 0; i < ROUNDS_LOCKED; i++) {
        struct it_raw resp;

        it_raw_request(c->method, c->paths[i], c->headers, c->body, 30, &resp);
        if (resp.status != c->want || !resp.complete) {
            snprintf(c->failure,
                     sizeof c->failure,
                     "%s %s: status %ld",
                     c->method,
                     c->paths[i],
                     resp.status);
            it_raw_free(&resp);
            return NULL;
        }
        c->answered++;
        it_raw_free(&resp);
    }
    return NULL;
}

/** A session of our own that ran @a sql (BEGIN; a lock) and holds what it locked. */
static PGconn *
hold_lock(const char *sql)
{
    PGconn *c = PQconnectdb(getenv("PW_TEST_DATABASE_URL"));
    PGresult *res;

    ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
    res = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
                  "%s: %s",
                  sql,
                  PQerrorMessage(c));
    PQclear(res);
    return c;
}

/** Run the @a n callers at once while @a locker holds its lock; then release it and
    check every caller got what it wanted every time. */
static void
run_callers_then_release(struct caller *cs, int n, PGconn *locker)
{
    pthread_t th[16];

    ck_assert_int_le(n, 16);
    pthread_barrier_init(&start_together, NULL, (unsigned) n);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, caller, &cs[i]), 0);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start_together);
    PQclear(PQexec(locker, "COMMIT"));
    PQfinish(locker);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(cs[i].failure[0] == '\0', "caller %d: %s", i, cs[i].failure);
        ck_assert_int_eq(cs[i].answered, ROUNDS_LOCKED);
    }
}

/*
 * Reads queued together share one Sync; when one of them fails (here: cancelled by the
 * statement timeout, waiting on a table lock), the reads sent after it in its batch did
 * not run and are sent again: they still answer 200, only the failed one 503.
 */
START_TEST(a_failed_read_does_not_fail_the_reads_batched_with_it)
{
    enum { READERS = 8 };
    static const char *const env[] = { "PATHWAYS_STATEMENT_TIMEOUT_MS=300",
                                       "PATHWAYS_DB_PIPELINES=1",
                                       NULL };
    static const char *const skill = "/v1/skills/postgresql", *const path =
                                                                  "/v1/paths/backend-developer";
    struct caller cs[READERS];
    PGconn *locker;

    pw_it_start(env);
    locker = hold_lock("BEGIN; LOCK TABLE skills IN ACCESS EXCLUSIVE MODE");
    for (int i = 0; i < READERS; i++) {
        const char *p = i % 2 ? path : skill;

        cs[i] = (struct caller){ .method = "GET", .paths = { p, p, p }, .want = i % 2 ? 200 : 503 };
    }
    run_callers_then_release(cs, READERS, locker);
    /* The lock is gone: the skill reads again. */
    ck_assert_int_eq(pw_status("GET", skill, NULL, NULL), 200);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

/*
 * Writes queued together share one Sync too, so one that fails rolls the others back:
 * they are sent again and stored, the failed one answers its error (here: a progress
 * row locked by another session, cancelled by the statement timeout: 503).
 */
START_TEST(a_failed_write_does_not_lose_the_writes_batched_with_it)
{
    enum { WRITERS = 8 };
    static const char *const env[] = { "PATHWAYS_STATEMENT_TIMEOUT_MS=300",
                                       "PATHWAYS_DB_PIPELINES=1",
                                       NULL };
    static const char *const done = "{\"status\":\"done\"}";
    struct it_session locked, others[WRITERS / 2];
    struct caller cs[WRITERS];
    char steps[4][24], paths[4][112], headers[WRITERS][1200], sql[256], got[16];

    pw_it_start(env);
    for (int i = 0; i < 4; i++) {
        snprintf(sql,
                 sizeof sql,
                 "SELECT st.id FROM steps st JOIN stages sg ON sg.id = st.stage_id JOIN paths p "
                 "ON p.id = sg.path_id WHERE p.slug = 'backend-developer' ORDER BY st.id "
                 "OFFSET %d LIMIT 1",
                 i);
        ck_assert_int_eq(pw_it_sql_text(sql, steps[i], sizeof steps[i]), 0);
        snprintf(paths[i], sizeof paths[i], "/v1/me/progress/%s", steps[i]);
    }
    it_new_learner(&locked, "locked");
    for (int i = 0; i < WRITERS / 2; i++)
        it_new_learner(&others[i], "batched");
    {
        const char *h[] = { locked.auth, NULL };

        ck_assert_int_eq(pw_status("PUT", paths[0], done, h), 200);
    }
    snprintf(sql,
             sizeof sql,
             "BEGIN; SELECT 1 FROM progress WHERE user_id = %lld AND step_id = %s FOR UPDATE",
             locked.user_id,
             steps[0]);
    PGconn *locker = hold_lock(sql);

    for (int i = 0; i < WRITERS; i++) {
        const struct it_session *who = i % 2 ? &locked : &others[i / 2];

        snprintf(headers[i], sizeof headers[i], "%s\r\n", who->auth);
        cs[i] = (struct caller){ .method = "PUT", .headers = headers[i], .body = done };
        if (i % 2) {
            cs[i].paths[0] = cs[i].paths[1] = cs[i].paths[2] = paths[0];
            cs[i].want = 503;
        } else {
            for (int k = 0; k < ROUNDS_LOCKED; k++)
                cs[i].paths[k] = paths[k + 1];
            cs[i].want = 200;
        }
    }
    run_callers_then_release(cs, WRITERS, locker);
    /* Every acknowledged write is stored, once. */
    for (int i = 0; i < WRITERS / 2; i++) {
        snprintf(sql,
                 sizeof sql,
                 "SELECT count(*) FROM progress WHERE user_id = %lld AND status = 'done'",
                 others[i].user_id);
        ck_assert_int_eq(pw_it_sql_text(sql, got, sizeof got), 0);
        ck_assert_str_eq(got, "3");
    }
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

static Suite *
pipeline_suite(void)
{
    Suite *s = suite_create("pipeline");
    TCase *tc = tcase_create("pipeline");

    tcase_add_checked_fixture(tc, NULL, pw_it_stop_leftover);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, concurrent_reads_each_get_their_own_answer);
    tcase_add_test(tc, half_closing_clients_get_every_answer);
    tcase_add_test(tc, errors_and_conditionals_through_the_pipeline);
    tcase_add_test(tc, a_failed_read_does_not_fail_the_reads_batched_with_it);
    tcase_add_test(tc, a_failed_write_does_not_lose_the_writes_batched_with_it);
    tcase_add_test(tc, progress_write_through_the_pipeline);
    tcase_add_test(tc, reads_survive_killed_pipeline_connections);
    tcase_add_test(tc, pipelines_can_be_switched_off);
    tcase_add_test(tc, loops_run_at_their_niceness);
    tcase_add_test(tc, anonymous_reads_go_to_the_read_url);
    tcase_add_test(tc, an_unreachable_read_url_falls_back_to_the_primary);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(pipeline_suite)
