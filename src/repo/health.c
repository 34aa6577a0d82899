/**
 * @file health.c
 * @brief SQL of the readiness probe.
 */
#include "pathways/repo_health.h"

#include <stdlib.h>

static struct pw_stmt health_migrations = {
    .name = "health_migrations",
    .sql = "SELECT count(*), coalesce(max(version), 0) FROM schema_migrations",
    .nparams = 0,
};
PW_DB_STMT_EXPORT(health_migrations);

enum pw_db_status
pw_repo_health_migrations(struct pw_db *db, int *applied, int *newest)
{
    PGresult *res;
    enum pw_db_status st = pw_db_read(db, &health_migrations, NULL, &res);

    if (st != PW_DB_OK)
        return st;
    *applied = atoi(PQgetvalue(res, 0, 0));
    *newest = atoi(PQgetvalue(res, 0, 1));
    PQclear(res);
    return PW_DB_OK;
}
