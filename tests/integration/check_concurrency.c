/**
 * @file check_concurrency.c
 * @brief Nothing is lost under concurrency: optimistic locking with If-Match
 *        has exactly one winner per version, read-modify-write loops lose no
 *        update, and concurrent progress writes of one user end consistent.
 *
 * Every client is a thread with its own connection (it_raw.h); a barrier
 * releases them together so the requests really overlap.
 */
#include "harness.h"
#include "it_accounts.h"
#include "it_raw.h"

#include <pthread.h>

static const char *const generous_env[] = { "RATE_LIMIT_PER_MIN=1000", NULL };

static void
setup(void)
{
    pw_it_start(generous_env);
}

enum { CLIENTS = 8 };

static char editor_block[1200]; /* "Authorization: Bearer ...\r\n" */

static const char *
editor_headers(void)
{
    snprintf(editor_block, sizeof editor_block, "%s\r\n", pw_auth_header(PW_ROLE_EDITOR));
    return editor_block;
}

/** A new skill; its path into @a path. */
static void
new_skill(char *path, size_t cap)
{
    const char *slug = pw_unique("conc");
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char body[256];

    snprintf(body,
             sizeof body,
             "{\"slug\":\"%s\",\"name\":\"Concurrent\",\"category\":\"tool\",\"description\":\"\"}",
             slug);
    ck_assert_int_eq(pw_status("POST", "/v1/skills", body, h), 201);
    snprintf(path, cap, "/v1/skills/%s", slug);
}

/** GET @a path: its version (asserting ETag == W/"version") and description. */
static long long
read_skill(const char *path, char *description, size_t cap)
{
    struct it_raw r;
    json_t *j;
    char etag[64], want[64];
    long long version;

    ck_assert_int_eq(it_raw_request("GET", path, NULL, NULL, 30, &r), 0);
    ck_assert_msg(r.status == 200 && r.complete, "GET %s: %ld", path, r.status);
    j = it_raw_json(&r);
    ck_assert_ptr_nonnull(j);
    version = json_integer_value(json_object_get(j, "version"));
    snprintf(want, sizeof want, "W/\"%lld\"", version);
    ck_assert(it_raw_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, want);
    if (description != NULL)
        snprintf(description, cap, "%s", json_string_value(json_object_get(j, "description")));
    json_decref(j);
    it_raw_free(&r);
    return version;
}

/* ---- one winner per version ------------------------------------------------------ */

struct patcher {
    pthread_barrier_t *start;
    const char *path;
    long long version;
    int client;
    int round;
    long status;
    int problem; /* the 412 is application/problem+json */
    long long new_version;
};

static void *
patch_once(void *arg)
{
    struct patcher *p = arg;
    char headers[1400], body[128], ct[64];
    struct it_raw r;

    snprintf(headers, sizeof headers, "%sIf-Match: W/\"%lld\"\r\n", editor_block, p->version);
    snprintf(body, sizeof body, "{\"description\":\"round %d client %d\"}", p->round, p->client);
    pthread_barrier_wait(p->start);
    it_raw_request("PATCH", p->path, headers, body, 30, &r);
    p->status = r.complete ? r.status : -1;
    p->problem = it_raw_header(&r, "Content-Type", ct, sizeof ct) &&
                 strcmp(ct, "application/problem+json") == 0;
    if (p->status == 200) {
        json_t *j = it_raw_json(&r);

        p->new_version = json_integer_value(json_object_get(j, "version"));
        json_decref(j);
    }
    it_raw_free(&r);
    return NULL;
}

START_TEST(if_match_has_one_winner_per_version)
{
    enum { ROUNDS = 6 };
    char path[128], stored[256], want[128];
    int wins_total = 0;

    editor_headers();
    new_skill(path, sizeof path);
    ck_assert_int_eq(read_skill(path, NULL, 0), 1);
    for (int round = 0; round < ROUNDS; round++) {
        long long v = read_skill(path, NULL, 0);
        struct patcher ps[CLIENTS];
        pthread_t th[CLIENTS];
        pthread_barrier_t start;
        int winner = -1;

        pthread_barrier_init(&start, NULL, CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            ps[i] = (struct patcher){
                .start = &start, .path = path, .version = v, .client = i, .round = round
            };
            ck_assert_int_eq(pthread_create(&th[i], NULL, patch_once, &ps[i]), 0);
        }
        for (int i = 0; i < CLIENTS; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&start);
        for (int i = 0; i < CLIENTS; i++) {
            ck_assert_msg(ps[i].status == 200 || ps[i].status == 412,
                          "round %d client %d: %ld",
                          round,
                          i,
                          ps[i].status);
            if (ps[i].status == 200) {
                ck_assert_msg(winner < 0, "round %d: clients %d and %d both won", round, winner, i);
                winner = i;
                ck_assert_int_eq(ps[i].new_version, v + 1);
            } else {
                ck_assert(ps[i].problem);
            }
        }
        ck_assert_msg(winner >= 0, "round %d: nobody won", round);
        wins_total++;
        /* The stored value is the winner's, and the version moved by exactly one. */
        ck_assert_int_eq(read_skill(path, stored, sizeof stored), v + 1);
        snprintf(want, sizeof want, "round %d client %d", round, winner);
        ck_assert_str_eq(stored, want);
    }
    ck_assert_int_eq(read_skill(path, NULL, 0), wins_total + 1);
}
END_TEST

/* ---- read-modify-write loops lose nothing --------------------------------------- */

enum { APPENDS = 4, MAX_ATTEMPTS = 400 };

struct appender {
    pthread_barrier_t *start;
    const char *path;
    int client;
    int done;
    int conflicts;
    char failure[200];
};

static void *
append_loop(void *arg)
{
    struct appender *a = arg;
    char headers[1400], body[2400], description[2100], token[16];

    pthread_barrier_wait(a->start);
    for (int attempt = 0; a->done < APPENDS && attempt < MAX_ATTEMPTS; attempt++) {
        struct it_raw r;
        json_t *j;
        long long v;

        /* Read, */
        it_raw_request("GET", a->path, NULL, NULL, 30, &r);
        j = it_raw_json(&r);
        if (r.status != 200 || j == NULL) {
            snprintf(a->failure, sizeof a->failure, "GET answered %ld", r.status);
            json_decref(j);
            it_raw_free(&r);
            return NULL;
        }
        v = json_integer_value(json_object_get(j, "version"));
        snprintf(description,
                 sizeof description,
                 "%s",
                 json_string_value(json_object_get(j, "description")));
        json_decref(j);
        it_raw_free(&r);
        /* modify, */
        snprintf(token, sizeof token, "c%d.%d;", a->client, a->done);
        snprintf(headers, sizeof headers, "%sIf-Match: W/\"%lld\"\r\n", editor_block, v);
        snprintf(body, sizeof body, "{\"description\":\"%s%s\"}", description, token);
        /* write if nobody else did meanwhile. */
        it_raw_request("PATCH", a->path, headers, body, 30, &r);
        if (r.status == 200 && r.complete)
            a->done++;
        else if (r.status == 412 && r.complete)
            a->conflicts++;
        else {
            snprintf(a->failure, sizeof a->failure, "PATCH answered %ld", r.status);
            it_raw_free(&r);
            return NULL;
        }
        it_raw_free(&r);
    }
    if (a->done < APPENDS)
        snprintf(
            a->failure, sizeof a->failure, "only %d appends in %d attempts", a->done, MAX_ATTEMPTS);
    return NULL;
}

START_TEST(read_modify_write_loses_no_update)
{
    char path[128], stored[2100], token[16];
    struct appender as[CLIENTS];
    pthread_t th[CLIENTS];
    pthread_barrier_t start;
    int conflicts = 0;

    editor_headers();
    new_skill(path, sizeof path);
    pthread_barrier_init(&start, NULL, CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
        as[i] = (struct appender){ .start = &start, .path = path, .client = i };
        ck_assert_int_eq(pthread_create(&th[i], NULL, append_loop, &as[i]), 0);
    }
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < CLIENTS; i++) {
        ck_assert_msg(as[i].failure[0] == '\0', "client %d: %s", i, as[i].failure);
        conflicts += as[i].conflicts;
    }
    /* Every acknowledged append is there exactly once; one version per append. */
    ck_assert_int_eq(read_skill(path, stored, sizeof stored), 1 + CLIENTS * APPENDS);
    for (int i = 0; i < CLIENTS; i++)
        for (int k = 0; k < APPENDS; k++) {
            const char *at;

            snprintf(token, sizeof token, "c%d.%d;", i, k);
            at = strstr(stored, token);
            ck_assert_msg(at != NULL, "lost update %s in '%s'", token, stored);
            ck_assert_msg(strstr(at + 1, token) == NULL, "%s twice in '%s'", token, stored);
        }
    ck_assert_uint_eq(strlen(stored), (size_t) (CLIENTS * APPENDS) * strlen("c0.0;"));
    /* The clients did collide (otherwise this proved nothing about concurrency). */
    ck_assert_int_gt(conflicts, 0);
}
END_TEST

/* ---- concurrent progress writes of one user --------------------------------------- */

#define NSTATUS 3
static const char *const statuses[NSTATUS] = { "in_progress", "done", "skipped" };

enum { PROGRESS_ROUNDS = 12 };

struct progress_writer {
    pthread_barrier_t *start;
    const char *auth; /* "Authorization: Bearer ...\r\n" */
    long long shared_step;
    long long own_step;
    int client;
    int last_shared; /* index into statuses of its last write to the shared step, -1 cleared */
    int last_own;
    char failure[200];
};

static int
put_progress(const char *auth, long long step, int status, char *failure, size_t cap)
{
    char path[64], body[64];
    struct it_raw r;
    long st;

    snprintf(path, sizeof path, "/v1/me/progress/%lld", step);
    snprintf(body, sizeof body, "{\"status\":\"%s\"}", status >= 0 ? statuses[status] : "");
    it_raw_request(status >= 0 ? "PUT" : "DELETE", path, auth, status >= 0 ? body : NULL, 30, &r);
    st = r.complete ? r.status : -1;
    it_raw_free(&r);
    if (st != (status >= 0 ? 200 : 204)) {
        snprintf(
            failure, cap, "%s step %lld answered %ld", status >= 0 ? "PUT" : "DELETE", step, st);
        return -1;
    }
    return 0;
}

static void *
progress_loop(void *arg)
{
    struct progress_writer *w = arg;

    for (int round = 0; round < PROGRESS_ROUNDS; round++) {
        /* Mostly a status, now and then a DELETE (-1): rows appear and vanish under the race. */
        int shared = (w->client + round) % 5 == 4 ? -1 : (w->client + round) % NSTATUS;
        int own = (w->client * 7 + round) % NSTATUS;

        pthread_barrier_wait(w->start); /* every round starts together */
        if (w->failure[0] != '\0')
            continue; /* keep meeting the others at the barrier */
        if (put_progress(w->auth, w->shared_step, shared, w->failure, sizeof w->failure) != 0 ||
            put_progress(w->auth, w->own_step, own, w->failure, sizeof w->failure) != 0)
            continue;
        w->last_shared = shared;
        w->last_own = own;
    }
    return NULL;
}

/** Status string of step @a id in a progress document and its stage's JSON. */
static const char *
step_status(const json_t *doc, long long id)
{
    json_t *stages = json_object_get(doc, "stages");

    for (size_t i = 0; i < json_array_size(stages); i++) {
        json_t *steps = json_object_get(json_array_get(stages, i), "steps");

        for (size_t k = 0; k < json_array_size(steps); k++)
            if (it_int(json_array_get(steps, k), "id") == id)
                return it_str(json_array_get(steps, k), "status");
    }
    ck_abort_msg("step %lld is not in the progress document", id);
    return NULL;
}

START_TEST(concurrent_progress_writes_end_consistent)
{
    struct it_session s;
    struct pw_resp r;
    long long steps[1 + CLIENTS];
    size_t n = 0;
    struct progress_writer ws[CLIENTS];
    pthread_t th[CLIENTS];
    pthread_barrier_t start;
    char auth[1200];
    long long totals[4] = { 0 };

    /* The seeded roadmap's first 9 steps: one shared, one per client. */
    r = pw_http("GET", "/v1/paths/backend-developer/roadmap", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *stages = json_object_get(r.json, "stages");
    for (size_t i = 0; i < json_array_size(stages) && n < 1 + CLIENTS; i++) {
        json_t *st = json_object_get(json_array_get(stages, i), "steps");

        for (size_t k = 0; k < json_array_size(st) && n < 1 + CLIENTS; k++)
            steps[n++] = it_int(json_array_get(st, k), "id");
    }
    pw_resp_free(&r);
    ck_assert_uint_eq(n, 1 + CLIENTS);

    it_new_learner(&s, "concprog");
    snprintf(auth, sizeof auth, "%s\r\n", s.auth);
    pthread_barrier_init(&start, NULL, CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
        ws[i] = (struct progress_writer){ .start = &start,
                                          .auth = auth,
                                          .shared_step = steps[0],
                                          .own_step = steps[1 + i],
                                          .client = i };
        ck_assert_int_eq(pthread_create(&th[i], NULL, progress_loop, &ws[i]), 0);
    }
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < CLIENTS; i++)
        ck_assert_msg(ws[i].failure[0] == '\0', "client %d: %s", i, ws[i].failure);

    const char *h[] = { s.auth, NULL };
    r = pw_http("GET", "/v1/me/progress?path=backend-developer", NULL, h);
    ck_assert_int_eq(r.status, 200);
    /* A step with one writer ends at that writer's last write. */
    for (int i = 0; i < CLIENTS; i++)
        ck_assert_str_eq(step_status(r.json, steps[1 + i]), statuses[ws[i].last_own]);
    /* The shared step ends at the last write of one of the clients (the last one to land). */
    const char *shared = step_status(r.json, steps[0]);
    int found = 0;
    for (int i = 0; i < CLIENTS; i++)
        found |= strcmp(shared,
                        ws[i].last_shared >= 0 ? statuses[ws[i].last_shared] : "not_started") == 0;
    ck_assert_msg(found, "shared step ended as '%s', which no client wrote last", shared);

    /* The summary agrees with the per-step statuses: every count adds up. */
    stages = json_object_get(r.json, "stages");
    for (size_t i = 0; i < json_array_size(stages); i++) {
        json_t *g = json_array_get(stages, i), *st = json_object_get(g, "steps");
        long long c[4] = { 0 };

        for (size_t k = 0; k < json_array_size(st); k++) {
            const char *v = it_str(json_array_get(st, k), "status");

            c[strcmp(v, "done") == 0          ? 0
              : strcmp(v, "skipped") == 0     ? 1
              : strcmp(v, "in_progress") == 0 ? 2
                                              : 3]++;
        }
        ck_assert_int_eq(it_int(g, "steps_done"), c[0]);
        ck_assert_int_eq(it_int(g, "steps_skipped"), c[1]);
        ck_assert_int_eq(it_int(g, "steps_in_progress"), c[2]);
        ck_assert_int_eq(it_int(g, "steps_not_started"), c[3]);
        ck_assert_int_eq(it_int(g, "steps_total"), c[0] + c[1] + c[2] + c[3]);
        for (int k = 0; k < 4; k++)
            totals[k] += c[k];
    }
    ck_assert_int_eq(it_int(r.json, "steps_total"), totals[0] + totals[1] + totals[2] + totals[3]);
    ck_assert_int_eq(it_int(r.json, "steps_total"), 20);
    /* Percent rule (README): done / (total - skipped), floored. */
    ck_assert_int_eq(it_int(r.json, "percent_done"), totals[0] * 100 / (20 - totals[1]));
    pw_resp_free(&r);
}
END_TEST

static Suite *
concurrency_suite(void)
{
    Suite *s = suite_create("concurrency");
    TCase *tc = tcase_create("concurrency");

    tcase_add_unchecked_fixture(tc, setup, pw_it_teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, if_match_has_one_winner_per_version);
    tcase_add_test(tc, read_modify_write_loses_no_update);
    tcase_add_test(tc, concurrent_progress_writes_end_consistent);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(concurrency_suite)
