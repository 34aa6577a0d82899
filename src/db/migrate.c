/**
 * @file migrate.c
 * @brief Applies the compiled-in migrations under an advisory lock.
 *
 * Tools code: runs before the server starts (or from `pathways migrate`),
 * on one connection, with libpq directly; the request path never comes here.
 */
#include "pathways/migrate.h"
#include "pathways/embedded.h"
#include "pathways/log.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arbitrary constant naming "pathways migrations" for pg_advisory_lock. */
#define MIGRATION_LOCK_KEY "727217001"

static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                       " version integer PRIMARY KEY,"
                                       " name text NOT NULL,"
                                       " checksum text NOT NULL,"
                                       " applied_at timestamptz NOT NULL DEFAULT now())";

int
pw_migrate_count(void)
{
    int n = 0;

    while (pw_embedded_migrations[n].name != NULL)
        n++;
    return n;
}

static void
checksum_hex(const struct pw_embedded *m, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *) m->data, m->len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static int
version_of(const struct pw_embedded *m)
{
    return atoi(m->name); /* "0007_x.sql" -> 7; names are checked at build by review */
}

static int
run(PGconn *conn, const char *sql, char *err, size_t errlen)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

    if (!ok)
        snprintf(err, errlen, "%s", PQresultErrorMessage(res));
    PQclear(res);
    return ok ? 0 : -1;
}

/**
 * Compare applied rows with the binary. @return status; *pending counts the
 * migrations the database lacks.
 */
static enum pw_migrate_status
compare(PGconn *conn, int *pending, char *err, size_t errlen)
{
    PGresult *res = PQexec(conn,
                           "SELECT version, name, checksum FROM schema_migrations "
                           "WHERE to_regclass('schema_migrations') IS NOT NULL ORDER BY version");
    int n = pw_migrate_count();

    *pending = n;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        /* No table yet: everything is pending. */
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        int missing = state != NULL && strcmp(state, "42P01") == 0;

        if (!missing)
            snprintf(err, errlen, "%s", PQresultErrorMessage(res));
        PQclear(res);
        return missing ? PW_MIGRATE_OK : PW_MIGRATE_DB_ERROR;
    }
    for (int r = 0; r < PQntuples(res); r++) {
        int version = atoi(PQgetvalue(res, r, 0));
        int found = 0;

        for (int i = 0; i < n; i++) {
            const struct pw_embedded *m = &pw_embedded_migrations[i];
            char sum[65];

            if (version_of(m) != version)
                continue;
            found = 1;
            checksum_hex(m, sum);
            if (strcmp(sum, PQgetvalue(res, r, 2)) != 0) {
                snprintf(err,
                         errlen,
                         "migration %s was changed after it was applied (checksum %s in the "
                         "database, %s in this binary); migrations are forward-only: restore "
                         "the file and add a new migration instead",
                         m->name,
                         PQgetvalue(res, r, 2),
                         sum);
                PQclear(res);
                return PW_MIGRATE_CHANGED;
            }
            (*pending)--;
        }
        if (!found) {
            snprintf(err,
                     errlen,
                     "the database has migration %d (%s) which this binary does not know: "
                     "it is older than the schema",
                     version,
                     PQgetvalue(res, r, 1));
            PQclear(res);
            return PW_MIGRATE_UNKNOWN;
        }
    }
    PQclear(res);
    return PW_MIGRATE_OK;
}

enum pw_migrate_status
pw_migrate_check(PGconn *conn, int *pending, char *err, size_t errlen)
{
    enum pw_migrate_status st = compare(conn, pending, err, errlen);

    if (st == PW_MIGRATE_OK && *pending > 0)
        return PW_MIGRATE_PENDING;
    return st;
}

static int
is_applied(PGconn *conn, int version)
{
    char v[16];
    const char *params[] = { v };
    PGresult *res;
    int yes;

    snprintf(v, sizeof v, "%d", version);
    res = PQexecParams(
        conn, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, NULL, params, NULL, NULL, 0);
    yes = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    PQclear(res);
    return yes;
}

static int
apply_one(PGconn *conn, const struct pw_embedded *m, char *err, size_t errlen)
{
    char v[16];
    char sum[65];
    const char *params[] = { v, m->name, sum };
    PGresult *res;

    snprintf(v, sizeof v, "%d", version_of(m));
    checksum_hex(m, sum);
    if (run(conn, "BEGIN", err, errlen) != 0)
        return -1;
    if (run(conn, m->data, err, errlen) != 0) {
        char inner[512];

        snprintf(inner, sizeof inner, "%s", err);
        snprintf(err, errlen, "migration %s failed: %s", m->name, inner);
        PQclear(PQexec(conn, "ROLLBACK"));
        return -1;
    }
    res =
        PQexecParams(conn,
                     "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                     3,
                     NULL,
                     params,
                     NULL,
                     NULL,
                     0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        snprintf(err, errlen, "recording %s: %s", m->name, PQresultErrorMessage(res));
        PQclear(res);
        PQclear(PQexec(conn, "ROLLBACK"));
        return -1;
    }
    PQclear(res);
    return run(conn, "COMMIT", err, errlen);
}

enum pw_migrate_status
pw_migrate_apply(PGconn *conn, int *applied, char *err, size_t errlen)
{
    enum pw_migrate_status st;
    int pending;

    *applied = 0;
    /* Lock first: concurrent CREATE TABLE IF NOT EXISTS can still collide. */
    if (run(conn, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", err, errlen) != 0)
        return PW_MIGRATE_DB_ERROR;
    if (run(conn, create_table_sql, err, errlen) != 0) {
        PQclear(PQexec(conn, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")"));
        return PW_MIGRATE_DB_ERROR;
    }
    /* Under the lock: another replica may have applied some meanwhile. */
    st = compare(conn, &pending, err, errlen);
    for (int i = 0; st == PW_MIGRATE_OK && pw_embedded_migrations[i].name != NULL; i++) {
        const struct pw_embedded *m = &pw_embedded_migrations[i];
        char quoted[128];

        if (is_applied(conn, version_of(m)))
            continue;
        if (apply_one(conn, m, err, errlen) != 0) {
            st = PW_MIGRATE_DB_ERROR;
            break;
        }
        (*applied)++;
        pw_json_escape(quoted, sizeof quoted, m->name, strlen(m->name));
        pw_log(PW_LOG_INFO, "migration applied", "\"migration\":%s", quoted);
    }
    PQclear(PQexec(conn, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")"));
    return st;
}

int
pw_migrate_grant(PGconn *conn, const char *role, char *err, size_t errlen)
{
    /* Each statement ends with the quoted role name. */
    static const char *const stmts[] = {
        "GRANT USAGE ON SCHEMA public TO ",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ",
        /* The service only reads the migration record (serve's pending check, /readyz). */
        "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ",
    };
    const char *params[] = { role };
    PGresult *res;
    char *ident;
    int exists;

    res = PQexecParams(
        conn, "SELECT 1 FROM pg_roles WHERE rolname = $1", 1, NULL, params, NULL, NULL, 0);
    exists = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        snprintf(err, errlen, "%s", PQresultErrorMessage(res));
    else if (!exists)
        snprintf(err,
                 errlen,
                 "PATHWAYS_APP_ROLE names role '%s', which does not exist (create it with "
                 "CREATE ROLE ... LOGIN, without CREATEDB/CREATEROLE)",
                 role);
    PQclear(res);
    if (!exists)
        return -1;
    ident = PQescapeIdentifier(conn, role, strlen(role));
    if (ident == NULL) {
        snprintf(err, errlen, "%s", PQerrorMessage(conn));
        return -1;
    }
    if (run(conn, "BEGIN", err, errlen) != 0) {
        PQfreemem(ident);
        return -1;
    }
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
        char sql[256];

        snprintf(sql, sizeof sql, "%s%s", stmts[i], ident);
        if (run(conn, sql, err, errlen) != 0) {
            PQclear(PQexec(conn, "ROLLBACK"));
            PQfreemem(ident);
            return -1;
        }
    }
    PQfreemem(ident);
    return run(conn, "COMMIT", err, errlen);
}

int
pw_seed_run(PGconn *conn, int if_empty, int *loaded, char *err, size_t errlen)
{
    *loaded = 0;
    if (errlen > 0)
        err[0] = '\0';
    if (run(conn, "BEGIN", err, errlen) != 0)
        return -1;
    if (if_empty) {
        PGresult *res = PQexec(conn, "SELECT EXISTS (SELECT 1 FROM paths)");
        int has_rows =
            PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0;

        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            snprintf(err, errlen, "%s", PQresultErrorMessage(res));
        PQclear(res);
        if (has_rows || err[0] != '\0') {
            PQclear(PQexec(conn, "ROLLBACK"));
            return has_rows ? 0 : -1;
        }
    }
    for (int i = 0; pw_embedded_data[i].name != NULL; i++) {
        if (run(conn, pw_embedded_data[i].data, err, errlen) != 0) {
            char inner[512];

            snprintf(inner, sizeof inner, "%s", err);
            snprintf(err, errlen, "%s: %s", pw_embedded_data[i].name, inner);
            PQclear(PQexec(conn, "ROLLBACK"));
            return -1;
        }
    }
    if (run(conn, "COMMIT", err, errlen) != 0)
        return -1;
    *loaded = 1;
    return 0;
}
