/**
 * @file check_progress.c
 * @brief A learner's progress and study plan end to end: statuses, the
 *        percent rule, isolation between users, the scheduler's order and
 *        weeks on the seeded roadmap and on a path made for the test.
 */
#include "harness.h"
#include "it_accounts.h"

#include <time.h>

static const char *const generous_env[] = { "RATE_LIMIT_PER_MIN=1000", NULL };

static void
setup(void)
{
    pw_it_start(generous_env);
}

/* ---- the seeded roadmap ------------------------------------------------------ */

#define STEPS_MAX 64

struct roadmap_step {
    long long id;
    int stage; /* stage position */
    int position;
    int hours;
    long long prereqs[8];
    size_t nprereqs;
};

struct roadmap {
    struct roadmap_step steps[STEPS_MAX]; /* in roadmap order */
    size_t n;
    long long hours;
};

/** Read /v1/paths/{slug}/roadmap into @a rm (stages and steps arrive in order). */
static void
load_roadmap(const char *slug, struct roadmap *rm)
{
    char path[128];
    struct pw_resp r;
    json_t *stages;

    snprintf(path, sizeof path, "/v1/paths/%s/roadmap", slug);
    r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    memset(rm, 0, sizeof *rm);
    stages = json_object_get(r.json, "stages");
    for (size_t i = 0; i < json_array_size(stages); i++) {
        json_t *g = json_array_get(stages, i), *steps = json_object_get(g, "steps");

        for (size_t k = 0; k < json_array_size(steps); k++) {
            json_t *t = json_array_get(steps, k), *pre = json_object_get(t, "prerequisites");
            struct roadmap_step *s = &rm->steps[rm->n++];

            ck_assert_uint_lt(rm->n, STEPS_MAX);
            s->id = it_int(t, "id");
            s->stage = (int) it_int(g, "position");
            s->position = (int) it_int(t, "position");
            s->hours = (int) it_int(t, "estimated_hours");
            for (size_t p = 0; p < json_array_size(pre) && p < 8; p++)
                s->prereqs[s->nprereqs++] = json_integer_value(json_array_get(pre, p));
            rm->hours += s->hours;
        }
    }
    pw_resp_free(&r);
}

static long
put_status(const struct it_session *s, long long step, const char *status)
{
    char path[64], body[64];
    const char *h[] = { s->auth, NULL };

    snprintf(path, sizeof path, "/v1/me/progress/%lld", step);
    snprintf(body, sizeof body, "{\"status\":\"%s\"}", status);
    return pw_status("PUT", path, body, h);
}

static long
clear_status(const struct it_session *s, long long step)
{
    char path[64];
    const char *h[] = { s->auth, NULL };

    snprintf(path, sizeof path, "/v1/me/progress/%lld", step);
    return pw_status("DELETE", path, NULL, h);
}

static struct pw_resp
get_progress(const struct it_session *s, const char *slug)
{
    char path[128];
    const char *h[] = { s->auth, NULL };

    snprintf(path, sizeof path, "/v1/me/progress?path=%s", slug);
    return pw_http("GET", path, NULL, h);
}

static struct pw_resp
get_plan(const struct it_session *s, const char *slug, const char *query)
{
    char path[256];
    const char *h[] = { s->auth, NULL };

    snprintf(path, sizeof path, "/v1/me/paths/%s/plan%s", slug, query);
    return pw_http("GET", path, NULL, h);
}

/** The status of step @a id in a progress document. */
static const char *
status_in(const json_t *doc, long long id)
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

/** "YYYY-MM-DD" + @a days, computed with the C library (independently of src/core). */
static void
add_days(const char *date, long days, char out[11])
{
    struct tm tm = { 0 };
    time_t t;

    ck_assert_int_eq(sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday), 3);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 12;
    t = timegm(&tm) + days * 86400;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- progress ------------------------------------------------------------------ */

START_TEST(statuses_and_the_summary)
{
    struct roadmap rm;
    struct it_session s;
    struct pw_resp r;
    json_t *stage;
    const struct roadmap_step *f; /* the Foundation stage: the first 5 steps */
    char path[64], first_updated[40];

    load_roadmap("backend-developer", &rm);
    ck_assert_uint_eq(rm.n, 20);
    f = rm.steps;
    it_new_learner(&s, "prog");
    const char *h[] = { s.auth, NULL };

    snprintf(path, sizeof path, "/v1/me/progress/%lld", f[0].id);
    r = pw_http("PUT", path, "{\"status\":\"done\"}", h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(it_int(r.json, "step_id"), f[0].id);
    ck_assert_str_eq(it_str(r.json, "status"), "done");
    snprintf(first_updated, sizeof first_updated, "%s", it_str(r.json, "updated_at"));
    pw_resp_free(&r);
    /* The same status again changes nothing, not even updated_at. */
    r = pw_http("PUT", path, "{\"status\":\"done\"}", h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(it_str(r.json, "updated_at"), first_updated);
    pw_resp_free(&r);
    ck_assert_int_eq(put_status(&s, f[1].id, "done"), 200);
    ck_assert_int_eq(put_status(&s, f[2].id, "skipped"), 200);
    ck_assert_int_eq(put_status(&s, f[3].id, "in_progress"), 200);

    r = get_progress(&s, "backend-developer");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(it_str(r.json, "path"), "backend-developer");
    ck_assert_str_eq(status_in(r.json, f[0].id), "done");
    ck_assert_str_eq(status_in(r.json, f[2].id), "skipped");
    ck_assert_str_eq(status_in(r.json, f[3].id), "in_progress");
    ck_assert_str_eq(status_in(r.json, f[4].id), "not_started");
    stage = json_array_get(json_object_get(r.json, "stages"), 0);
    ck_assert_int_eq(it_int(stage, "position"), 1);
    ck_assert_int_eq(it_int(stage, "steps_total"), 5);
    ck_assert_int_eq(it_int(stage, "steps_done"), 2);
    ck_assert_int_eq(it_int(stage, "steps_skipped"), 1);
    ck_assert_int_eq(it_int(stage, "steps_in_progress"), 1);
    ck_assert_int_eq(it_int(stage, "steps_not_started"), 1);
    /* Skipped steps are neither done nor remaining: 2 of 4. */
    ck_assert_int_eq(it_int(stage, "percent_done"), 50);
    ck_assert_int_eq(it_int(stage, "hours_done"), f[0].hours + f[1].hours);
    ck_assert_int_eq(it_int(stage, "hours_left"), f[3].hours + f[4].hours);
    ck_assert_int_eq(it_int(stage, "hours_skipped"), f[2].hours);
    /* Overall: 2 done of 19 counted, floored. */
    ck_assert_int_eq(it_int(r.json, "steps_total"), 20);
    ck_assert_int_eq(it_int(r.json, "percent_done"), 200 / 19);
    ck_assert_int_eq(it_int(r.json, "hours_done"), f[0].hours + f[1].hours);
    ck_assert_int_eq(it_int(r.json, "hours_left"), rm.hours - f[0].hours - f[1].hours - f[2].hours);
    stage = json_array_get(json_object_get(r.json, "stages"), 1);
    ck_assert_int_eq(it_int(stage, "percent_done"), 0);
    pw_resp_free(&r);

    /* DELETE clears (idempotent); the step is not started again. */
    ck_assert_int_eq(clear_status(&s, f[1].id), 204);
    ck_assert_int_eq(clear_status(&s, f[1].id), 204);
    r = get_progress(&s, "backend-developer");
    ck_assert_str_eq(status_in(r.json, f[1].id), "not_started");
    ck_assert_int_eq(it_int(json_array_get(json_object_get(r.json, "stages"), 0), "steps_done"), 1);
    pw_resp_free(&r);
}
END_TEST

START_TEST(a_fully_skipped_stage_is_complete)
{
    struct roadmap rm;
    struct it_session s;
    struct pw_resp r;
    json_t *stage;

    load_roadmap("backend-developer", &rm);
    it_new_learner(&s, "skip");
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(put_status(&s, rm.steps[i].id, "skipped"), 200);
    r = get_progress(&s, "backend-developer");
    stage = json_array_get(json_object_get(r.json, "stages"), 0);
    ck_assert_int_eq(it_int(stage, "percent_done"), 100);
    ck_assert_int_eq(it_int(stage, "hours_left"), 0);
    ck_assert_int_eq(it_int(r.json, "percent_done"), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(progress_failures)
{
    struct it_session s;
    struct roadmap rm;
    char path[64];

    load_roadmap("backend-developer", &rm);
    it_new_learner(&s, "fail");
    const char *h[] = { s.auth, NULL };
    snprintf(path, sizeof path, "/v1/me/progress/%lld", rm.steps[0].id);
    pw_expect_problem("PUT", path, "{\"status\":\"finished\"}", h, 422);
    pw_expect_problem("PUT", path, "{\"status\":\"not_started\"}", h, 422);
    pw_expect_problem("PUT", path, "{}", h, 422);
    pw_expect_problem("PUT", path, "{\"status\":\"done\",\"user_id\":1}", h, 422);
    pw_expect_problem("PUT", path, "{\"status\":", h, 400);
    pw_expect_problem("PUT", path, "{\"status\":\"done\"}", NULL, 401);
    pw_expect_problem("DELETE", path, NULL, NULL, 401);
    pw_expect_problem(
        "PUT", "/v1/me/progress/9223372036854775807", "{\"status\":\"done\"}", h, 404);
    pw_expect_problem("DELETE", "/v1/me/progress/9223372036854775807", NULL, h, 404);
    pw_expect_problem("PUT", "/v1/me/progress/abc", "{\"status\":\"done\"}", h, 404);
    pw_expect_problem("POST", path, "{\"status\":\"done\"}", h, 405);

    pw_expect_problem("GET", "/v1/me/progress", NULL, h, 400);
    pw_expect_problem("GET", "/v1/me/progress?path=Not_A_Slug", NULL, h, 400);
    pw_expect_problem("GET", "/v1/me/progress?path=backend-developer&x=1", NULL, h, 400);
    pw_expect_problem("GET", "/v1/me/progress?path=no-such-path-anywhere", NULL, h, 404);
    pw_expect_problem("GET", "/v1/me/progress?path=backend-developer", NULL, NULL, 401);
}
END_TEST

START_TEST(progress_is_private_to_each_user)
{
    struct roadmap rm;
    struct it_session a, b;
    struct pw_resp r;
    long long step;

    load_roadmap("backend-developer", &rm);
    step = rm.steps[0].id;
    it_new_learner(&a, "iso-a");
    it_new_learner(&b, "iso-b");
    ck_assert_int_eq(put_status(&a, step, "done"), 200);

    r = get_progress(&b, "backend-developer");
    ck_assert_str_eq(status_in(r.json, step), "not_started");
    ck_assert_int_eq(it_int(r.json, "steps_done"), 0);
    pw_resp_free(&r);
    /* b's writes touch b's rows only. */
    ck_assert_int_eq(put_status(&b, step, "skipped"), 200);
    ck_assert_int_eq(clear_status(&b, step), 204);
    r = get_progress(&a, "backend-developer");
    ck_assert_str_eq(status_in(r.json, step), "done");
    ck_assert_int_eq(it_int(r.json, "steps_done"), 1);
    pw_resp_free(&r);
    /* And the plans differ: a's no longer holds the step, b's does. */
    r = get_plan(&a, "backend-developer", "");
    ck_assert_int_eq(it_int(r.json, "steps_left"), 19);
    pw_resp_free(&r);
    r = get_plan(&b, "backend-developer", "");
    ck_assert_int_eq(it_int(r.json, "steps_left"), 20);
    pw_resp_free(&r);
}
END_TEST

/* ---- plan ---------------------------------------------------------------------- */

/** Index of step @a id in the plan's steps, or -1. */
static long
plan_index(const json_t *steps, long long id)
{
    for (size_t k = 0; k < json_array_size(steps); k++)
        if (it_int(json_array_get(steps, k), "step_id") == id)
            return (long) k;
    return -1;
}

/** Check weeks and dates of every step, and the totals, against plan.h's rules. */
static void
check_schedule(const json_t *plan, int hpw, const char *start)
{
    json_t *steps = json_object_get(plan, "steps");
    long long at = 0;
    char want[11];

    for (size_t k = 0; k < json_array_size(steps); k++) {
        json_t *s = json_array_get(steps, k);
        long long h = it_int(s, "estimated_hours");
        long long sw = h > 0 ? at / hpw + 1 : (at == 0 ? 1 : (at + hpw - 1) / hpw);
        long long ew = h > 0 ? (at + h + hpw - 1) / hpw : sw;

        ck_assert_int_eq(it_int(s, "start_week"), sw);
        ck_assert_int_eq(it_int(s, "end_week"), ew);
        add_days(start, 7 * (sw - 1), want);
        ck_assert_str_eq(it_str(s, "start_date"), want);
        add_days(start, 7 * ew - 1, want);
        ck_assert_str_eq(it_str(s, "end_date"), want);
        at += h;
    }
    ck_assert_int_eq(it_int(plan, "total_hours"), at);
    ck_assert_int_eq(it_int(plan, "weeks"), (at + hpw - 1) / hpw);
    add_days(start, 7 * ((at + hpw - 1) / hpw), want);
    ck_assert_str_eq(it_str(plan, "finish_date"), want);
    ck_assert_int_eq(it_int(plan, "hours_per_week"), hpw);
    ck_assert_str_eq(it_str(plan, "start"), start);
}

START_TEST(plan_of_a_new_learner)
{
    struct roadmap rm;
    struct it_session s;
    struct pw_resp r;
    json_t *steps;
    char cc[32];

    load_roadmap("backend-developer", &rm);
    it_new_learner(&s, "plan");
    r = get_plan(&s, "backend-developer", "?hours_per_week=10&start=2026-01-05");
    ck_assert_msg(r.status == 200, "%s", r.body);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "no-store");
    steps = json_object_get(r.json, "steps");
    ck_assert_uint_eq(json_array_size(steps), rm.n);
    ck_assert_int_eq(it_int(r.json, "steps_left"), (long long) rm.n);
    ck_assert_int_eq(it_int(r.json, "total_hours"), rm.hours);
    /* Every seeded prerequisite points back in the roadmap: the plan is the roadmap order. */
    for (size_t k = 0; k < rm.n; k++) {
        json_t *st = json_array_get(steps, k);

        ck_assert_int_eq(it_int(st, "step_id"), rm.steps[k].id);
        ck_assert_int_eq(it_int(st, "stage_position"), rm.steps[k].stage);
        ck_assert_int_eq(it_int(st, "position"), rm.steps[k].position);
        ck_assert_str_eq(it_str(st, "status"), "not_started");
        for (size_t p = 0; p < rm.steps[k].nprereqs; p++)
            ck_assert_int_lt(plan_index(steps, rm.steps[k].prereqs[p]), (long) k);
    }
    check_schedule(r.json, 10, "2026-01-05");
    pw_resp_free(&r);

    /* Another pace. */
    r = get_plan(&s, "backend-developer", "?hours_per_week=7&start=2024-02-26");
    ck_assert_int_eq(r.status, 200);
    check_schedule(r.json, 7, "2024-02-26");
    pw_resp_free(&r);
}
END_TEST

START_TEST(plan_follows_progress)
{
    struct roadmap rm;
    struct it_session s;
    struct pw_resp r;
    json_t *steps, *first;
    long long left = 0;

    load_roadmap("backend-developer", &rm);
    it_new_learner(&s, "plan2");
    /* Foundation: three done, one skipped, the programming language in progress. */
    ck_assert_int_eq(put_status(&s, rm.steps[0].id, "in_progress"), 200);
    for (int i = 1; i < 4; i++)
        ck_assert_int_eq(put_status(&s, rm.steps[i].id, "done"), 200);
    ck_assert_int_eq(put_status(&s, rm.steps[4].id, "skipped"), 200);
    for (size_t i = 5; i < rm.n; i++)
        left += rm.steps[i].hours;
    left += rm.steps[0].hours;

    r = get_plan(&s, "backend-developer", "?hours_per_week=10&start=2026-01-05");
    ck_assert_int_eq(r.status, 200);
    steps = json_object_get(r.json, "steps");
    ck_assert_uint_eq(json_array_size(steps), rm.n - 4);
    first = json_array_get(steps, 0);
    ck_assert_int_eq(it_int(first, "step_id"), rm.steps[0].id);
    ck_assert_str_eq(it_str(first, "status"), "in_progress");
    for (int i = 1; i < 5; i++)
        ck_assert_int_eq(plan_index(steps, rm.steps[i].id), -1);
    ck_assert_int_eq(it_int(r.json, "total_hours"), left);
    check_schedule(r.json, 10, "2026-01-05");
    pw_resp_free(&r);
}
END_TEST

START_TEST(plan_parameters)
{
    struct it_session s;
    struct pw_resp r;
    char before[11], after[11];
    const char *start;
    time_t now;

    it_new_learner(&s, "plan3");
    const char *h[] = { s.auth, NULL };
    /* Defaults: 10 hours a week from today (UTC). */
    now = time(NULL);
    strftime(before, sizeof before, "%Y-%m-%d", gmtime(&now));
    r = get_plan(&s, "backend-developer", "");
    now = time(NULL);
    strftime(after, sizeof after, "%Y-%m-%d", gmtime(&now));
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(it_int(r.json, "hours_per_week"), 10);
    start = it_str(r.json, "start");
    ck_assert_msg(strcmp(start, before) == 0 || strcmp(start, after) == 0, "start %s", start);
    pw_resp_free(&r);

    r = get_plan(&s, "backend-developer", "?hours_per_week=1");
    ck_assert_int_eq(r.status, 200);
    check_schedule(r.json, 1, it_str(r.json, "start"));
    pw_resp_free(&r);
    r = get_plan(&s, "backend-developer", "?hours_per_week=80");
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);

    static const char *const bad[] = {
        "?hours_per_week=0",        "?hours_per_week=81", "?hours_per_week=ten",
        "?hours_per_week=",         "?hours_per_week=-5", "?hours_per_week=10.5",
        "?start=2026-02-30",        "?start=05/01/2026",  "?start=",
        "?start=2026-01-05T00:00Z", "?pace=10",           "?start=9999-12-01",
    };
    char path[128];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(path, sizeof path, "/v1/me/paths/backend-developer/plan%s", bad[i]);
        pw_expect_problem("GET", path, NULL, h, 400);
    }
    pw_expect_problem("GET", "/v1/me/paths/no-such-path-anywhere/plan", NULL, h, 404);
    pw_expect_problem("GET", "/v1/me/paths/backend-developer/plan", NULL, NULL, 401);
}
END_TEST

/* ---- a path made for the test ------------------------------------------------------- */

static long long
create(const char *path, const char *body)
{
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r = pw_http("POST", path, body, h);
    long long id;

    ck_assert_msg(r.status == 201, "POST %s: %ld %s", path, r.status, r.body);
    id = json_is_integer(json_object_get(r.json, "id")) ? it_int(r.json, "id") : 0;
    pw_resp_free(&r);
    return id;
}

START_TEST(plan_of_a_custom_path)
{
    const char *slug = pw_unique("plan-path");
    char body[256], url[128];
    long long g1, g2, a, b, c, d;
    struct it_session s;
    struct pw_resp r;
    json_t *steps;

    snprintf(body, sizeof body, "{\"slug\":\"%s\",\"title\":\"Plan test\"}", slug);
    create("/v1/paths", body);
    snprintf(url, sizeof url, "/v1/paths/%s/stages", slug);
    g1 = create(url, "{\"position\":1,\"title\":\"One\"}");
    g2 = create(url, "{\"position\":2,\"title\":\"Two\"}");
    snprintf(url, sizeof url, "/v1/stages/%lld/steps", g2);
    c = create(url, "{\"position\":1,\"title\":\"C\",\"estimated_hours\":10}");
    d = create(url, "{\"position\":2,\"title\":\"D\",\"estimated_hours\":3}");
    snprintf(url, sizeof url, "/v1/stages/%lld/steps", g1);
    a = create(url, "{\"position\":1,\"title\":\"A\",\"estimated_hours\":5}");
    /* B (stage one, no hours) requires C of stage two: it waits for C. */
    snprintf(body,
             sizeof body,
             "{\"position\":2,\"title\":\"B\",\"estimated_hours\":0,\"prerequisites\":[%lld]}",
             c);
    b = create(url, body);

    it_new_learner(&s, "plan4");
    r = get_plan(&s, slug, "?hours_per_week=10&start=2026-03-02");
    ck_assert_int_eq(r.status, 200);
    steps = json_object_get(r.json, "steps");
    ck_assert_uint_eq(json_array_size(steps), 4);
    ck_assert_int_eq(it_int(json_array_get(steps, 0), "step_id"), a);
    ck_assert_int_eq(it_int(json_array_get(steps, 1), "step_id"), c);
    ck_assert_int_eq(it_int(json_array_get(steps, 2), "step_id"), b);
    ck_assert_int_eq(it_int(json_array_get(steps, 3), "step_id"), d);
    /* A [0,5) week 1; C [5,15) weeks 1-2; B takes no time, in week 2; D [15,18) week 2. */
    ck_assert_int_eq(it_int(json_array_get(steps, 1), "end_week"), 2);
    ck_assert_int_eq(it_int(json_array_get(steps, 2), "start_week"), 2);
    ck_assert_int_eq(it_int(json_array_get(steps, 2), "end_week"), 2);
    ck_assert_int_eq(it_int(r.json, "weeks"), 2);
    ck_assert_str_eq(it_str(r.json, "finish_date"), "2026-03-16");
    check_schedule(r.json, 10, "2026-03-02");
    pw_resp_free(&r);

    /* C done: B no longer waits. */
    ck_assert_int_eq(put_status(&s, c, "done"), 200);
    r = get_plan(&s, slug, "?hours_per_week=10&start=2026-03-02");
    steps = json_object_get(r.json, "steps");
    ck_assert_uint_eq(json_array_size(steps), 3);
    ck_assert_int_eq(it_int(json_array_get(steps, 0), "step_id"), a);
    ck_assert_int_eq(it_int(json_array_get(steps, 1), "step_id"), b);
    ck_assert_int_eq(it_int(json_array_get(steps, 2), "step_id"), d);
    pw_resp_free(&r);

    /* Everything done or skipped: nothing left, finished on the start date. */
    ck_assert_int_eq(put_status(&s, a, "done"), 200);
    ck_assert_int_eq(put_status(&s, b, "skipped"), 200);
    ck_assert_int_eq(put_status(&s, d, "done"), 200);
    r = get_plan(&s, slug, "?hours_per_week=10&start=2026-03-02");
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "steps")), 0);
    ck_assert_int_eq(it_int(r.json, "weeks"), 0);
    ck_assert_int_eq(it_int(r.json, "total_hours"), 0);
    ck_assert_str_eq(it_str(r.json, "finish_date"), "2026-03-02");
    pw_resp_free(&r);
    r = get_progress(&s, slug);
    ck_assert_int_eq(it_int(r.json, "percent_done"), 100);
    ck_assert_int_eq(it_int(r.json, "hours_left"), 0);
    pw_resp_free(&r);

    /* A path without stages: an empty plan and an empty summary. */
    const char *empty = pw_unique("plan-empty");
    snprintf(body, sizeof body, "{\"slug\":\"%s\",\"title\":\"Empty\"}", empty);
    create("/v1/paths", body);
    r = get_plan(&s, empty, "?start=2026-03-02");
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "steps")), 0);
    ck_assert_str_eq(it_str(r.json, "finish_date"), "2026-03-02");
    pw_resp_free(&r);
    r = get_progress(&s, empty);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(it_int(r.json, "percent_done"), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "stages")), 0);
    pw_resp_free(&r);
    snprintf(url, sizeof url, "/v1/paths/%s", empty);
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    ck_assert_int_eq(pw_status("DELETE", url, NULL, editor), 204);

    /* Progress on a step that is deleted goes with it. */
    snprintf(url, sizeof url, "/v1/paths/%s", slug);
    const char *eh[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    ck_assert_int_eq(pw_status("DELETE", url, NULL, eh), 204);
    ck_assert_int_eq(put_status(&s, a, "done"), 404);
}
END_TEST

static Suite *
progress_suite(void)
{
    Suite *s = suite_create("progress");
    TCase *progress = tcase_create("progress");
    TCase *plan = tcase_create("plan");

    tcase_add_unchecked_fixture(progress, setup, pw_it_teardown);
    tcase_add_unchecked_fixture(plan, setup, pw_it_teardown);
    tcase_set_timeout(progress, 120);
    tcase_set_timeout(plan, 120);
    tcase_add_test(progress, statuses_and_the_summary);
    tcase_add_test(progress, a_fully_skipped_stage_is_complete);
    tcase_add_test(progress, progress_failures);
    tcase_add_test(progress, progress_is_private_to_each_user);
    tcase_add_test(plan, plan_of_a_new_learner);
    tcase_add_test(plan, plan_follows_progress);
    tcase_add_test(plan, plan_parameters);
    tcase_add_test(plan, plan_of_a_custom_path);
    suite_add_tcase(s, progress);
    suite_add_tcase(s, plan);
    return s;
}

PW_IT_MAIN(progress_suite)
