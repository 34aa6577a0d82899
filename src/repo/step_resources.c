/**
 * @file step_resources.c
 * @brief SQL of the step <-> resource links (PUT/DELETE /v1/steps/{id}/resources/{resource_id}).
 *
 * Each write is one statement, so one round trip and no explicit
 * transaction: it reports in the same row whether the step and the resource
 * exist and whether a link row was written or removed.
 */
#include "pathways/repo_resources.h"

#include <string.h>

/** Fill @a out from the (step?, resource?, changed?) row of @a res and clear it. */
static void
read_flags(PGresult *res, struct pw_step_link *out)
{
    out->step_found = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    out->resource_found = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    out->changed = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
    PQclear(res);
}

/*
 * FOR KEY SHARE holds both rows until the statement ends, so a step or
 * resource deleted meanwhile is reported as missing rather than failing the
 * insert's foreign key.
 */
static struct pw_stmt step_resources_link = {
    .name = "step_resources_link",
    .sql = "WITH s AS (SELECT id FROM steps WHERE id = $1::bigint FOR KEY SHARE),"
           " r AS (SELECT id FROM resources WHERE id = $2::bigint FOR KEY SHARE),"
           " ins AS (INSERT INTO step_resources (step_id, resource_id)"
           " SELECT s.id, r.id FROM s, r ON CONFLICT (step_id, resource_id) DO NOTHING"
           " RETURNING 1)"
           " SELECT EXISTS (SELECT 1 FROM s), EXISTS (SELECT 1 FROM r), EXISTS (SELECT 1 FROM ins)",
    .nparams = 2,
};
PW_DB_STMT_EXPORT(step_resources_link);

enum pw_db_status
pw_repo_step_resources_link(struct pw_db *db,
                            const char *step_id,
                            const char *resource_id,
                            struct pw_step_link *out)
{
    const char *const params[] = { step_id, resource_id };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &step_resources_link, params, &res);

    memset(out, 0, sizeof *out);
    if (st != PW_DB_OK)
        return st;
    read_flags(res, out);
    return out->step_found && out->resource_found ? PW_DB_OK : PW_DB_NOT_FOUND;
}

static struct pw_stmt step_resources_unlink = {
    .name = "step_resources_unlink",
    .sql = "WITH d AS (DELETE FROM step_resources"
           " WHERE step_id = $1::bigint AND resource_id = $2::bigint RETURNING 1)"
           " SELECT EXISTS (SELECT 1 FROM steps WHERE id = $1::bigint),"
           " EXISTS (SELECT 1 FROM resources WHERE id = $2::bigint),"
           " EXISTS (SELECT 1 FROM d)",
    .nparams = 2,
};
PW_DB_STMT_EXPORT(step_resources_unlink);

enum pw_db_status
pw_repo_step_resources_unlink(struct pw_db *db,
                              const char *step_id,
                              const char *resource_id,
                              struct pw_step_link *out)
{
    const char *const params[] = { step_id, resource_id };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &step_resources_unlink, params, &res);

    memset(out, 0, sizeof *out);
    if (st != PW_DB_OK)
        return st;
    read_flags(res, out);
    return out->changed ? PW_DB_OK : PW_DB_NOT_FOUND;
}
