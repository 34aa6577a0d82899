/**
 * @file progress.c
 * @brief SQL of a learner's progress: set, clear, the per-path summary, and
 *        the remaining steps a study plan is computed from.
 *
 * Percent done (the rule the README documents): skipped steps count as
 * neither done nor remaining, so percent_done = floor(100 x done / (steps -
 * skipped)); when every step of a stage is skipped nothing remains and it is
 * 100, and a stage without steps is 0. Hours done are the estimated hours of
 * done steps; hours left those of steps not started or in progress (an
 * in-progress step counts whole: how far into it a learner is, nobody knows).
 */
#include "pathways/repo_progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
read_flags(PGresult *res, struct pw_progress_write *w)
{
    w->user_found = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    w->step_found = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    w->changed = !PQgetisnull(res, 0, 2) && strcmp(PQgetvalue(res, 0, 2), "f") != 0;
}

/*
 * FOR KEY SHARE keeps the user and the step from vanishing before the
 * insert's foreign keys are checked (a missing one is reported instead).
 * Setting the status a step already has keeps its updated_at.
 */
static struct pw_stmt progress_put = {
    .name = "progress_put",
    .sql = "WITH u AS (SELECT id FROM users WHERE id = $1::bigint FOR KEY SHARE),"
           " s AS (SELECT id FROM steps WHERE id = $2::bigint FOR KEY SHARE),"
           " up AS ("
           "  INSERT INTO progress AS p (user_id, step_id, status)"
           "  SELECT u.id, s.id, $3::text FROM u, s"
           "  ON CONFLICT (user_id, step_id) DO UPDATE SET status = excluded.status,"
           "     updated_at = CASE WHEN p.status = excluded.status THEN p.updated_at"
           "                       ELSE now() END"
           "  RETURNING p.step_id, p.status, p.updated_at)"
           " SELECT EXISTS (SELECT 1 FROM u), EXISTS (SELECT 1 FROM s),"
           " (SELECT json_build_object('step_id', up.step_id, 'status', up.status,"
           "                           'updated_at', pw_time(up.updated_at))::text FROM up)",
    .nparams = 3,
};
PW_DB_STMT_EXPORT(progress_put);

enum pw_db_status
pw_repo_progress_put(struct pw_db *db,
                     int64_t user_id,
                     const char *step_id,
                     const char *status,
                     struct pw_progress_write *w,
                     struct pw_text *body)
{
    char uid[24];
    const char *const params[] = { uid, step_id, status };
    PGresult *res;
    enum pw_db_status st;

    snprintf(uid, sizeof uid, "%lld", (long long) user_id);
    memset(w, 0, sizeof *w);
    st = pw_db_exec(db, &progress_put, params, &res);
    if (st != PW_DB_OK)
        return st;
    read_flags(res, w);
    if (!w->user_found || !w->step_found) {
        PQclear(res);
        return PW_DB_NOT_FOUND;
    }
    pw_text_from_result(body, res, 0, 2);
    return PW_DB_OK;
}

static struct pw_stmt progress_clear = {
    .name = "progress_clear",
    .sql = "WITH d AS (DELETE FROM progress WHERE user_id = $1::bigint AND step_id = $2::bigint"
           "  RETURNING 1)"
           " SELECT EXISTS (SELECT 1 FROM users WHERE id = $1::bigint),"
           " EXISTS (SELECT 1 FROM steps WHERE id = $2::bigint), EXISTS (SELECT 1 FROM d)",
    .nparams = 2,
};
PW_DB_STMT_EXPORT(progress_clear);

enum pw_db_status
pw_repo_progress_clear(struct pw_db *db,
                       int64_t user_id,
                       const char *step_id,
                       struct pw_progress_write *w)
{
    char uid[24];
    const char *const params[] = { uid, step_id };
    PGresult *res;
    enum pw_db_status st;

    snprintf(uid, sizeof uid, "%lld", (long long) user_id);
    memset(w, 0, sizeof *w);
    st = pw_db_exec(db, &progress_clear, params, &res);
    if (st != PW_DB_OK)
        return st;
    read_flags(res, w);
    PQclear(res);
    return w->user_found && w->step_found ? PW_DB_OK : PW_DB_NOT_FOUND;
}

/* Counts of a stage or of the path (alias X over n, done, in_progress, skipped, hours_*). */
#define SUMMARY_FIELDS(X)                                                                          \
    "'steps_total', " X ".n, 'steps_done', " X ".done, 'steps_in_progress', " X ".in_progress,"    \
    " 'steps_skipped', " X ".skipped,"                                                             \
    " 'steps_not_started', " X ".n - " X ".done - " X ".in_progress - " X ".skipped,"              \
    " 'percent_done', CASE WHEN " X ".n - " X ".skipped > 0"                                       \
    "   THEN (100 * " X ".done) / (" X ".n - " X ".skipped)"                                       \
    "   WHEN " X ".n > 0 THEN 100 ELSE 0 END,"                                                     \
    " 'hours_done', " X ".hours_done, 'hours_left', " X ".hours_left,"                             \
    " 'hours_skipped', " X ".hours_skipped"

#define TOTAL_FIELDS SUMMARY_FIELDS("tot")
#define STAGE_FIELDS SUMMARY_FIELDS("r")

static struct pw_stmt progress_summary = {
    .name = "progress_summary",
    .sql = "WITH p AS (SELECT id, slug, title FROM paths WHERE slug = $2::text),"
           " s AS (SELECT g.id, g.position, g.title FROM stages g JOIN p ON g.path_id = p.id),"
           " st AS ("
           "  SELECT t.id, t.stage_id, t.position, t.title, t.estimated_hours AS hours,"
           "         coalesce(pr.status, 'not_started') AS status, pr.updated_at"
           "    FROM steps t JOIN s ON t.stage_id = s.id"
           "    LEFT JOIN progress pr ON pr.user_id = $1::bigint AND pr.step_id = t.id),"
           " by_stage AS ("
           "  SELECT st.stage_id,"
           "         json_agg(json_build_object('id', st.id, 'position', st.position,"
           "                    'title', st.title, 'estimated_hours', st.hours,"
           "                    'status', st.status, 'updated_at', pw_time(st.updated_at))"
           "                  ORDER BY st.position, st.id) AS steps,"
           "         count(*) AS n,"
           "         count(*) FILTER (WHERE st.status = 'done') AS done,"
           "         count(*) FILTER (WHERE st.status = 'in_progress') AS in_progress,"
           "         count(*) FILTER (WHERE st.status = 'skipped') AS skipped,"
           "         coalesce(sum(st.hours) FILTER (WHERE st.status = 'done'), 0) AS hours_done,"
           "         coalesce(sum(st.hours) FILTER (WHERE st.status IN"
           "                  ('not_started', 'in_progress')), 0) AS hours_left,"
           "         coalesce(sum(st.hours) FILTER (WHERE st.status = 'skipped'), 0)"
           "           AS hours_skipped"
           "    FROM st GROUP BY st.stage_id),"
           " r AS ("
           "  SELECT s.id, s.position, s.title, coalesce(b.steps, '[]') AS steps,"
           "         coalesce(b.n, 0) AS n, coalesce(b.done, 0) AS done,"
           "         coalesce(b.in_progress, 0) AS in_progress,"
           "         coalesce(b.skipped, 0) AS skipped,"
           "         coalesce(b.hours_done, 0)::bigint AS hours_done,"
           "         coalesce(b.hours_left, 0)::bigint AS hours_left,"
           "         coalesce(b.hours_skipped, 0)::bigint AS hours_skipped"
           "    FROM s LEFT JOIN by_stage b ON b.stage_id = s.id),"
           " tot AS ("
           "  SELECT coalesce(sum(n), 0)::bigint AS n, coalesce(sum(done), 0)::bigint AS done,"
           "         coalesce(sum(in_progress), 0)::bigint AS in_progress,"
           "         coalesce(sum(skipped), 0)::bigint AS skipped,"
           "         coalesce(sum(hours_done), 0)::bigint AS hours_done,"
           "         coalesce(sum(hours_left), 0)::bigint AS hours_left,"
           "         coalesce(sum(hours_skipped), 0)::bigint AS hours_skipped"
           "    FROM r)"
           " SELECT json_build_object('path', p.slug, 'title', p.title, " TOTAL_FIELDS ","
           " 'stages', coalesce((SELECT json_agg(json_build_object("
           "     'id', r.id, 'position', r.position, 'title', r.title, " STAGE_FIELDS ","
           "     'steps', r.steps) ORDER BY r.position) FROM r), '[]'))::text"
           " FROM p CROSS JOIN tot",
    .nparams = 2,
};
PW_DB_STMT_EXPORT(progress_summary);

enum pw_db_status
pw_repo_progress_summary(struct pw_db *db, int64_t user_id, const char *slug, struct pw_text *out)
{
    char uid[24];
    const char *const params[] = { uid, slug };
    PGresult *res;
    enum pw_db_status st;

    snprintf(uid, sizeof uid, "%lld", (long long) user_id);
    st = pw_db_read_row(db, &progress_summary, params, &res);
    if (st != PW_DB_OK)
        return st;
    pw_text_from_result(out, res, 0, 0);
    return PW_DB_OK;
}

/*
 * One row per remaining step, or one row of NULLs when the path exists and
 * nothing remains, or no row when there is no such path. Column 4 lists the
 * step's prerequisites that are themselves remaining ("3,5"): done and
 * skipped ones are satisfied.
 */
static struct pw_stmt progress_plan_input = {
    .name = "progress_plan_input",
    .sql = "WITH p AS (SELECT id FROM paths WHERE slug = $2::text),"
           " st AS ("
           "  SELECT t.id, t.stage_id, g.position AS stage_position, g.title AS stage_title,"
           "         t.position, t.title, t.estimated_hours,"
           "         coalesce(pr.status, 'not_started') AS status"
           "    FROM p JOIN stages g ON g.path_id = p.id JOIN steps t ON t.stage_id = g.id"
           "    LEFT JOIN progress pr ON pr.user_id = $1::bigint AND pr.step_id = t.id"
           "   WHERE pr.status IS NULL OR pr.status = 'in_progress')"
           " SELECT st.id, st.stage_position, st.position, st.estimated_hours,"
           "  coalesce((SELECT string_agg(l.prerequisite_id::text, ',' ORDER BY"
           "            l.prerequisite_id)"
           "             FROM step_prerequisites l JOIN st r ON r.id = l.prerequisite_id"
           "            WHERE l.step_id = st.id), ''),"
           "  json_build_object('step_id', st.id, 'title', st.title, 'stage_id', st.stage_id,"
           "                    'stage_position', st.stage_position,"
           "                    'stage_title', st.stage_title, 'position', st.position,"
           "                    'estimated_hours', st.estimated_hours,"
           "                    'status', st.status)::text"
           "   FROM p LEFT JOIN st ON true"
           "  ORDER BY st.stage_position, st.position, st.id",
    .nparams = 2,
};
PW_DB_STMT_EXPORT(progress_plan_input);

/** Number of ids in a "3,5,8" list. */
static size_t
count_ids(const char *s)
{
    size_t n = *s != '\0';

    for (; *s != '\0'; s++)
        n += *s == ',';
    return n;
}

void
pw_repo_plan_input_free(struct pw_plan_input *in)
{
    free(in->steps);
    free(in->items);
    free(in->item_lens);
    free(in->prereq_ids);
    if (in->owner != NULL)
        PQclear(in->owner);
    memset(in, 0, sizeof *in);
}

/** Fill @a in from the rows of @a res (which it keeps). */
static enum pw_db_status
take_plan_rows(PGresult *res, struct pw_plan_input *in)
{
    int rows = PQntuples(res);
    size_t n = rows > 0 && !PQgetisnull(res, 0, 0) ? (size_t) rows : 0;
    size_t nids = 0, used = 0;

    in->owner = res;
    for (size_t i = 0; i < n; i++)
        nids += count_ids(PQgetvalue(res, (int) i, 4));
    in->steps = calloc(n ? n : 1, sizeof *in->steps);
    in->items = calloc(n ? n : 1, sizeof *in->items);
    in->item_lens = calloc(n ? n : 1, sizeof *in->item_lens);
    in->prereq_ids = calloc(nids ? nids : 1, sizeof *in->prereq_ids);
    if (!in->steps || !in->items || !in->item_lens || !in->prereq_ids)
        return PW_DB_FAILED;
    for (size_t i = 0; i < n; i++) {
        struct pw_plan_step *s = &in->steps[i];
        const char *ids = PQgetvalue(res, (int) i, 4);

        s->id = atoll(PQgetvalue(res, (int) i, 0));
        s->stage_position = atoi(PQgetvalue(res, (int) i, 1));
        s->position = atoi(PQgetvalue(res, (int) i, 2));
        s->hours = atoi(PQgetvalue(res, (int) i, 3));
        s->prereqs = in->prereq_ids + used;
        while (*ids != '\0') {
            char *end;

            in->prereq_ids[used++] = strtoll(ids, &end, 10);
            s->nprereqs++;
            ids = *end == ',' ? end + 1 : end;
        }
        in->items[i] = PQgetvalue(res, (int) i, 5);
        in->item_lens[i] = (size_t) PQgetlength(res, (int) i, 5);
    }
    in->n = n;
    return PW_DB_OK;
}

enum pw_db_status
pw_repo_progress_plan_input(struct pw_db *db,
                            int64_t user_id,
                            const char *slug,
                            struct pw_plan_input *in)
{
    char uid[24];
    const char *const params[] = { uid, slug };
    PGresult *res;
    enum pw_db_status st;

    memset(in, 0, sizeof *in);
    snprintf(uid, sizeof uid, "%lld", (long long) user_id);
    st = pw_db_read(db, &progress_plan_input, params, &res);
    if (st != PW_DB_OK)
        return st;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return PW_DB_NOT_FOUND;
    }
    return take_plan_rows(res, in);
}
