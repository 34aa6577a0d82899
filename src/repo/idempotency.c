/**
 * @file idempotency.c
 * @brief SQL of the Idempotency-Key store (see repo_idempotency.h).
 */
#include "pathways/repo_idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One statement: purge a few dead keys, claim ours (or take over a dead
 * one), and read what was there before. The SELECT sees the table as it
 * was when the statement began, so on a fresh claim it finds no row, and on
 * a conflict it finds the other request's row.
 */
static struct pw_stmt idem_claim = {
    .name = "idempotency_claim",
    .sql = "WITH purge AS (DELETE FROM idempotency_keys WHERE ctid IN ("
           " SELECT ctid FROM idempotency_keys WHERE created_at < now() - interval '24 hours'"
           " LIMIT 100)),"
           " ins AS (INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES ($1, $2, $3)"
           " ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,"
           " status = NULL, content_type = NULL, body = NULL, location = NULL, etag = NULL,"
           " created_at = now()"
           " WHERE idempotency_keys.created_at < now() - interval '24 hours' RETURNING 1)"
           " SELECT (SELECT count(*) FROM ins) > 0, k.fingerprint = $3, k.status,"
           " k.content_type, k.body, k.location, k.etag, k.key IS NOT NULL"
           " FROM (SELECT 1) one LEFT JOIN idempotency_keys k ON k.scope = $1 AND k.key = $2",
    .nparams = 3,
};
PW_DB_STMT_EXPORT(idem_claim);

enum pw_db_status
pw_repo_idem_claim(struct pw_db *db,
                   const char *scope,
                   const char *key,
                   const char *fingerprint,
                   struct pw_idem_claim *out)
{
    const char *params[] = { scope, key, fingerprint };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &idem_claim, params, &res);

    memset(out, 0, sizeof *out);
    if (st != PW_DB_OK)
        return st;
    out->res = res;
    out->claimed = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    /* Not claimed and no row seen: another request inserted the key after this
     * statement's snapshot was taken, so it is still running (a 409, not a 422). */
    out->in_progress_elsewhere = !out->claimed && strcmp(PQgetvalue(res, 0, 7), "t") != 0;
    out->same_request = out->in_progress_elsewhere || strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    out->completed = !PQgetisnull(res, 0, 2);
    if (out->completed) {
        out->status = (unsigned) atoi(PQgetvalue(res, 0, 2));
        out->content_type = PQgetvalue(res, 0, 3);
        out->body = PQgetvalue(res, 0, 4);
        out->body_len = (size_t) PQgetlength(res, 0, 4);
        out->location = PQgetvalue(res, 0, 5);
        out->etag = PQgetvalue(res, 0, 6);
    }
    return PW_DB_OK;
}

void
pw_idem_claim_release(struct pw_idem_claim *c)
{
    PQclear(c->res);
    memset(c, 0, sizeof *c);
}

static struct pw_stmt idem_complete = {
    .name = "idempotency_complete",
    .sql = "UPDATE idempotency_keys SET status = $3::int, content_type = $4, body = $5,"
           " location = nullif($6, ''), etag = nullif($7, '')"
           " WHERE scope = $1 AND key = $2 AND status IS NULL",
    .nparams = 7,
};
PW_DB_STMT_EXPORT(idem_complete);

enum pw_db_status
pw_repo_idem_complete(struct pw_db *db,
                      const char *scope,
                      const char *key,
                      unsigned status,
                      const char *content_type,
                      const char *body,
                      const char *location,
                      const char *etag)
{
    char st_text[8];
    const char *params[] = { scope, key, st_text, content_type, body, location, etag };
    PGresult *res;
    enum pw_db_status st;

    snprintf(st_text, sizeof st_text, "%u", status);
    st = pw_db_exec(db, &idem_complete, params, &res);
    if (st == PW_DB_OK)
        PQclear(res);
    return st;
}

static struct pw_stmt idem_release = {
    .name = "idempotency_release",
    .sql = "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL",
    .nparams = 2,
};
PW_DB_STMT_EXPORT(idem_release);

enum pw_db_status
pw_repo_idem_release(struct pw_db *db, const char *scope, const char *key)
{
    const char *params[] = { scope, key };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &idem_release, params, &res);

    if (st == PW_DB_OK)
        PQclear(res);
    return st;
}
