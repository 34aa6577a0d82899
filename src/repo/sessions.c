/**
 * @file sessions.c
 * @brief SQL of refresh-token sessions: start (login), rotate (refresh),
 *        end (logout), and the family revocation that answers a reuse.
 *
 * Tokens arrive here as their SHA-256 in bytea text form; the token itself
 * never reaches the database.
 */
#include "pathways/repo_accounts.h"
#include "pathways/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One statement: drop the user's expired tokens, store the new password
 * hash when login asked for a rehash, and start a family. The INSERT reads
 * the users row so that a user deleted meanwhile yields no row instead of
 * a foreign-key error.
 */
static struct pw_stmt sessions_start = {
    .name = "sessions_start",
    .sql = "WITH purge AS ("
           "  DELETE FROM refresh_tokens WHERE user_id = $1::bigint AND expires_at < now()),"
           " rehash AS ("
           "  UPDATE users SET password_hash = $3::text"
           "   WHERE id = $1::bigint AND $3::text IS NOT NULL),"
           " ins AS ("
           "  INSERT INTO refresh_tokens (user_id, family, token_hash, expires_at)"
           "  SELECT u.id, gen_random_uuid(), $2::bytea, now() + interval '" PW_REFRESH_TTL_SQL "'"
           "    FROM users u WHERE u.id = $1::bigint"
           "  RETURNING id)"
           " SELECT count(*) FROM ins",
    .nparams = 3,
};
PW_DB_STMT_EXPORT(sessions_start);

enum pw_db_status
pw_repo_sessions_start(struct pw_db *db,
                       int64_t user_id,
                       const char *token_hash,
                       const char *new_password_hash)
{
    char uid[24];
    const char *const params[] = { uid, token_hash, new_password_hash };
    PGresult *res;
    enum pw_db_status st;
    int inserted;

    snprintf(uid, sizeof uid, "%lld", (long long) user_id);
    st = pw_db_exec(db, &sessions_start, params, &res);
    if (st != PW_DB_OK)
        return st;
    inserted = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return inserted == 1 ? PW_DB_OK : PW_DB_NOT_FOUND;
}

/*
 * Rotation is three statements in one transaction on purpose. The first
 * locks the presented token's row; under READ COMMITTED the next statement
 * gets a fresh snapshot, so when two requests race with one token the
 * loser, having waited for the lock, sees the winner's committed rotation,
 * including the winner's new token, and revokes that too. A single
 * statement would revoke with the snapshot from before it waited and miss
 * the winner's new token.
 */
static struct pw_stmt sessions_lock = {
    .name = "sessions_lock",
    .sql = "SELECT t.id, t.family, t.user_id, u.role, t.revoked_at IS NOT NULL,"
           " t.expires_at <= now(), t.replaced_by IS NOT NULL"
           " FROM refresh_tokens t JOIN users u ON u.id = t.user_id"
           " WHERE t.token_hash = $1::bytea FOR UPDATE OF t",
    .nparams = 1,
};
PW_DB_STMT_EXPORT(sessions_lock);

static struct pw_stmt sessions_revoke_family = {
    .name = "sessions_revoke_family",
    .sql = "UPDATE refresh_tokens SET revoked_at = now()"
           " WHERE family = $1::uuid AND revoked_at IS NULL",
    .nparams = 1,
};
PW_DB_STMT_EXPORT(sessions_revoke_family);

static struct pw_stmt sessions_replace = {
    .name = "sessions_replace",
    .sql = "WITH ins AS ("
           "  INSERT INTO refresh_tokens (user_id, family, token_hash, expires_at)"
           "  VALUES ($2::bigint, $3::uuid, $4::bytea, now() + interval '" PW_REFRESH_TTL_SQL "')"
           "  RETURNING id)"
           " UPDATE refresh_tokens t SET revoked_at = now(), replaced_by = ins.id"
           "   FROM ins WHERE t.id = $1::bigint",
    .nparams = 4,
};
PW_DB_STMT_EXPORT(sessions_replace);

struct rotate_args {
    const char *old_hash;
    const char *new_hash;
    struct pw_refresh_result *out;
};

static enum pw_db_status
rotate_tx(struct pw_db *db, void *cls)
{
    struct rotate_args *a = cls;
    const char *const lock_params[] = { a->old_hash };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &sessions_lock, lock_params, &res);
    char id[24], family[40], user[24];

    memset(a->out, 0, sizeof *a->out);
    if (st != PW_DB_OK)
        return st;
    if (PQntuples(res) != 1) {
        PQclear(res);
        a->out->outcome = PW_REFRESH_UNKNOWN;
        return PW_DB_OK;
    }
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    snprintf(family, sizeof family, "%s", PQgetvalue(res, 0, 1));
    snprintf(user, sizeof user, "%s", PQgetvalue(res, 0, 2));
    a->out->user_id = atoll(user);
    a->out->role = pw_role_parse(PQgetvalue(res, 0, 3));
    int revoked = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
    int expired = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
    int replaced = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
    PQclear(res);

    if (revoked) {
        const char *const params[] = { family };

        /* Revoking again is harmless after a logout, and essential after a rotation. */
        a->out->outcome = replaced ? PW_REFRESH_REUSED : PW_REFRESH_REVOKED;
        st = pw_db_exec(db, &sessions_revoke_family, params, &res);
    } else if (expired) {
        a->out->outcome = PW_REFRESH_EXPIRED;
        return PW_DB_OK;
    } else {
        const char *const params[] = { id, user, family, a->new_hash };

        a->out->outcome = PW_REFRESH_ROTATED;
        st = pw_db_exec(db, &sessions_replace, params, &res);
    }
    if (st == PW_DB_OK)
        PQclear(res);
    return st;
}

enum pw_db_status
pw_repo_sessions_rotate(struct pw_db *db,
                        const char *old_hash,
                        const char *new_hash,
                        struct pw_refresh_result *out)
{
    struct rotate_args a = { old_hash, new_hash, out };

    return pw_db_run_tx(db, rotate_tx, &a);
}

static struct pw_stmt sessions_end = {
    .name = "sessions_end",
    .sql = "UPDATE refresh_tokens SET revoked_at = now()"
           " WHERE family = (SELECT family FROM refresh_tokens WHERE token_hash = $1::bytea)"
           "   AND revoked_at IS NULL",
    .nparams = 1,
};
PW_DB_STMT_EXPORT(sessions_end);

enum pw_db_status
pw_repo_sessions_end(struct pw_db *db, const char *token_hash)
{
    const char *const params[] = { token_hash };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &sessions_end, params, &res);

    if (st == PW_DB_OK)
        PQclear(res);
    return st;
}
