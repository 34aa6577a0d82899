/**
 * @file progress.c
 * @brief A learner's progress and study plan:
 *        PUT/DELETE /v1/me/progress/{step_id}, GET /v1/me/progress?path=slug,
 *        GET /v1/me/paths/{slug}/plan?hours_per_week=H&start=YYYY-MM-DD.
 *
 * Progress is per step, so PUT accepts any step of any path; the summary and
 * the plan look at one path. The plan is computed here from one query's rows
 * (src/core/plan.c does the scheduling): PostgreSQL builds each step's JSON
 * object and this file appends the schedule to it, as the list handler
 * wraps PostgreSQL's arrays.
 */
#include "accounts.h"
#include "pathways/log.h"
#include "pathways/plan.h"
#include "pathways/repo_progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const statuses[] = { "in_progress", "done", "skipped", NULL };

static const struct pw_field_spec progress_fields[] = {
    { .name = "status", .type = PW_T_STRING, .flags = PW_REQUIRED, .enum_values = statuses },
    PW_SPEC_END,
};

/** 404 naming the step, or 401 when the caller's account is gone. */
static enum MHD_Result
reply_missing(struct pw_request *rq, const struct pw_progress_write *w)
{
    char detail[96];

    if (!w->user_found)
        return pw_accounts_reply_gone(rq);
    snprintf(detail, sizeof detail, "step %s does not exist", pw_param(rq, 0));
    return pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, detail, NULL);
}

enum MHD_Result
pw_h_progress_put(struct pw_request *rq)
{
    struct pw_progress_write w;
    struct pw_text body = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;

    if (pw_query_none_or_reply(rq, &ret) != 0 ||
        pw_accounts_body_or_reply(rq, progress_fields, PW_SPEC_CREATE, &ret) != 0)
        return ret;
    st = pw_repo_progress_put(rq->db,
                              rq->claims.user_id,
                              pw_param(rq, 0),
                              pw_accounts_str(rq, "status", NULL),
                              &w,
                              &body);
    if (st == PW_DB_NOT_FOUND)
        return reply_missing(rq, &w);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_json(rq, 200, &body, NULL, NULL, PW_CACHE_NO_STORE);
}

enum MHD_Result
pw_h_progress_delete(struct pw_request *rq)
{
    struct pw_progress_write w;
    enum MHD_Result ret;
    enum pw_db_status st;

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    st = pw_repo_progress_clear(rq->db, rq->claims.user_id, pw_param(rq, 0), &w);
    if (st == PW_DB_NOT_FOUND)
        return reply_missing(rq, &w);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_empty(rq, 204, NULL, 0); /* also when it was not set: idempotent */
}

/** 400 naming the query parameter @a name. */
static enum MHD_Result
reply_param(struct pw_request *rq, const char *name, const char *message)
{
    return pw_reply_problem(rq,
                            PW_PROBLEM_BAD_REQUEST,
                            "invalid query parameters",
                            json_pack("[{s:s, s:s}]", "field", name, "message", message));
}

enum MHD_Result
pw_h_progress_get(struct pw_request *rq)
{
    static const char *const params[] = { "path", NULL };
    struct pw_text body = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;
    const char *slug;

    if (pw_query_allow_or_reply(rq, params, NULL, &ret) != 0)
        return ret;
    slug = pw_query_get(&rq->query, "path");
    if (slug == NULL)
        return reply_param(rq, "path", "is required: the slug of a career path");
    if (!pw_is_slug(slug))
        return reply_param(rq, "path", pw_pattern_message(PW_PAT_SLUG));
    st = pw_repo_progress_summary(rq->db, rq->claims.user_id, slug, &body);
    if (st == PW_DB_NOT_FOUND)
        return pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, "no career path has this slug", NULL);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_json(rq, 200, &body, NULL, NULL, PW_CACHE_NO_STORE);
}

/* ---- plan ---------------------------------------------------------------------- */

struct plan_query {
    int hours_per_week;
    int32_t start;
};

static int
read_plan_query(struct pw_request *rq, struct plan_query *q, enum MHD_Result *ret)
{
    static const char *const params[] = { "hours_per_week", "start", NULL };
    const char *h, *s;
    long long n;

    if (pw_query_allow_or_reply(rq, params, NULL, ret) != 0)
        return -1;
    h = pw_query_get(&rq->query, "hours_per_week");
    s = pw_query_get(&rq->query, "start");
    q->hours_per_week = PW_PLAN_DEFAULT_HOURS_PER_WEEK;
    q->start = pw_date_today(time(NULL));
    if (h != NULL) {
        if (pw_parse_int(h, PW_PLAN_MIN_HOURS_PER_WEEK, PW_PLAN_MAX_HOURS_PER_WEEK, &n) != 0) {
            *ret = reply_param(rq, "hours_per_week", "must be an integer from 1 to 80");
            return -1;
        }
        q->hours_per_week = (int) n;
    }
    if (s != NULL && pw_date_parse(s, &q->start) != 0) {
        *ret = reply_param(rq, "start", "must be a date, YYYY-MM-DD");
        return -1;
    }
    return 0;
}

/** One step: PostgreSQL's object with the schedule appended before its '}'. */
static size_t
put_step(char *out,
         size_t cap,
         const char *item,
         size_t len,
         const struct pw_plan_step *s,
         int32_t start)
{
    char from[11], to[11];
    int n;

    while (len > 0 && item[len - 1] != '}')
        len--;
    if (len == 0 || len >= cap)
        return 0;
    memcpy(out, item, len - 1);
    pw_date_format(start + 7 * (s->start_week - 1), from);
    pw_date_format(start + 7 * s->end_week - 1, to);
    n = snprintf(out + len - 1,
                 cap - (len - 1),
                 ", \"start_week\" : %d, \"end_week\" : %d, \"start_date\" : \"%s\","
                 " \"end_date\" : \"%s\"}",
                 s->start_week,
                 s->end_week,
                 from,
                 to);
    return n > 0 && (size_t) n < cap - (len - 1) ? len - 1 + (size_t) n : 0;
}

#define STEP_EXTRA 128 /* room for the schedule appended to each step */

/** The plan document; @return a malloc'ed body, its length in @a len, or NULL. */
static char *
plan_document(const char *slug,
              const struct plan_query *q,
              const struct pw_plan_input *in,
              const size_t *order,
              const struct pw_plan_result *res,
              size_t *len)
{
    size_t cap = 512, o;
    char start[11], finish[11];
    char *doc;

    for (size_t i = 0; i < in->n; i++)
        cap += in->item_lens[i] + STEP_EXTRA;
    doc = malloc(cap);
    if (doc == NULL)
        return NULL;
    pw_date_format(q->start, start);
    pw_date_format(q->start + 7 * res->weeks, finish);
    o = (size_t) snprintf(doc,
                          cap,
                          "{\"path\":\"%s\",\"hours_per_week\":%d,\"start\":\"%s\","
                          "\"finish_date\":\"%s\",\"weeks\":%d,\"total_hours\":%lld,"
                          "\"steps_left\":%zu,\"steps\":[",
                          slug,
                          q->hours_per_week,
                          start,
                          finish,
                          res->weeks,
                          (long long) res->total_hours,
                          in->n);
    for (size_t k = 0; k < in->n; k++) {
        size_t i = order[k], n;

        if (k > 0)
            doc[o++] = ',';
        n = put_step(doc + o, cap - o - 3, in->items[i], in->item_lens[i], &in->steps[i], q->start);
        if (n == 0) {
            free(doc);
            return NULL;
        }
        o += n;
    }
    doc[o++] = ']';
    doc[o++] = '}';
    *len = o;
    return doc;
}

enum MHD_Result
pw_h_plan_get(struct pw_request *rq)
{
    struct plan_query q;
    struct pw_plan_input in;
    struct pw_plan_result res;
    enum MHD_Result ret;
    enum pw_db_status st;
    size_t *order, len = 0;
    char *doc = NULL;
    int32_t last_day;

    if (read_plan_query(rq, &q, &ret) != 0)
        return ret;
    st = pw_repo_progress_plan_input(rq->db, rq->claims.user_id, pw_param(rq, 0), &in);
    if (st != PW_DB_OK) {
        pw_repo_plan_input_free(&in);
        if (st == PW_DB_NOT_FOUND)
            return pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, "no career path has this slug", NULL);
        return pw_reply_db_error(rq, st);
    }
    order = malloc((in.n ? in.n : 1) * sizeof *order);
    if (order != NULL && pw_plan_schedule(in.steps, in.n, q.hours_per_week, order, &res) == 0) {
        (void) pw_date_parse("9999-12-31", &last_day);
        if ((int64_t) q.start + 7 * (int64_t) res.weeks > last_day) {
            free(order);
            pw_repo_plan_input_free(&in);
            return reply_param(rq, "start", "the plan would end after 9999-12-31");
        }
        if (res.had_cycle)
            pw_log(PW_LOG_WARN,
                   "prerequisite cycle in a path: plan order broken in roadmap order",
                   "\"request_id\":\"%s\"",
                   rq->request_id);
        doc = plan_document(pw_param(rq, 0), &q, &in, order, &res, &len);
    }
    free(order);
    pw_repo_plan_input_free(&in);
    if (doc == NULL)
        return pw_reply_problem(rq, PW_PROBLEM_INTERNAL, "an internal error occurred", NULL);
    return pw_reply_text_steal(rq, 200, "application/json", doc, len, PW_CACHE_NO_STORE);
}
