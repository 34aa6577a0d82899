/**
 * @file health.c
 * @brief /healthz (the process serves) and /readyz (and so does its database).
 */
#include "pathways/handlers.h"
#include "pathways/migrate.h"
#include "pathways/repo_health.h"

#include <stdlib.h>
#include <string.h>

static const char healthy[] = "{\"status\":\"ok\"}";

enum MHD_Result
pw_h_healthz(struct pw_request *rq)
{
    return pw_reply_json_copy(rq, 200, healthy, sizeof healthy - 1, PW_CACHE_NO_STORE);
}

enum MHD_Result
pw_h_readyz(struct pw_request *rq)
{
    static const char ready[] = "{\"status\":\"ready\",\"database\":\"ok\",\"migrations\":\"ok\"}";
    int applied = 0;
    int newest = 0;
    enum pw_db_status st = pw_repo_health_migrations(rq->db, &applied, &newest);

    if (st != PW_DB_OK)
        return pw_reply_problem(rq, PW_PROBLEM_UNAVAILABLE, "the database is not reachable", NULL);
    if (applied < pw_migrate_count())
        return pw_reply_problem(rq,
                                PW_PROBLEM_UNAVAILABLE,
                                "database migrations are pending: run 'pathways migrate'",
                                NULL);
    return pw_reply_json_copy(rq, 200, ready, sizeof ready - 1, PW_CACHE_NO_STORE);
}
