/**
 * @file users.c
 * @brief SQL of the user accounts: sign-up, credentials, profile, role.
 *
 * The JSON of a user never includes the password hash: USER_JSON is the
 * only shape any statement returns.
 */
#include "pathways/repo_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** One row of `users` aliased u, as the API shows it. */
#define USER_JSON                                                                                  \
    "json_build_object('id', u.id, 'email', u.email, 'display_name', u.display_name,"              \
    " 'role', u.role, 'created_at', pw_time(u.created_at), 'updated_at', pw_time(u.updated_at),"   \
    " 'version', u.version)::text"

/** Fill @a out from a (json, version, id) row of @a res (stolen). */
static void
take_written(PGresult *res, struct pw_written *out)
{
    out->version = atoll(PQgetvalue(res, 0, 1));
    snprintf(out->key, sizeof out->key, "%s", PQgetvalue(res, 0, 2));
    pw_text_from_result(&out->body, res, 0, 0);
}

static struct pw_stmt users_create = {
    .name = "users_create",
    .sql = "INSERT INTO users AS u (email, password_hash, display_name, role)"
           " VALUES (lower($1::text), $2::text, $3::text, $4::text)"
           " RETURNING " USER_JSON ", u.version, u.id",
    .nparams = 4,
};
PW_DB_STMT_EXPORT(users_create);

enum pw_db_status
pw_repo_users_create(struct pw_db *db,
                     const char *email,
                     const char *password_hash,
                     const char *display_name,
                     const char *role,
                     struct pw_written *out)
{
    const char *const params[] = { email, password_hash, display_name, role };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &users_create, params, &res);

    if (st != PW_DB_OK)
        return st;
    take_written(res, out);
    return PW_DB_OK;
}

static void
take_credentials(PGresult *res, struct pw_credentials *out)
{
    memset(out, 0, sizeof *out);
    if (PQntuples(res) == 1) {
        out->found = 1;
        out->user_id = atoll(PQgetvalue(res, 0, 0));
        out->role = pw_role_parse(PQgetvalue(res, 0, 1));
        snprintf(out->password_hash, sizeof out->password_hash, "%s", PQgetvalue(res, 0, 2));
    }
    PQclear(res);
}

static struct pw_stmt users_credentials = {
    .name = "users_credentials",
    .sql = "SELECT id, role, password_hash FROM users WHERE email = lower($1::text)",
    .nparams = 1,
};
PW_DB_STMT_EXPORT(users_credentials);

enum pw_db_status
pw_repo_users_credentials(struct pw_db *db, const char *email, struct pw_credentials *out)
{
    const char *const params[] = { email };
    PGresult *res;
    enum pw_db_status st = pw_db_read(db, &users_credentials, params, &res);

    memset(out, 0, sizeof *out);
    if (st != PW_DB_OK)
        return st;
    take_credentials(res, out);
    return PW_DB_OK;
}

static struct pw_stmt users_password_hash = {
    .name = "users_password_hash",
    .sql = "SELECT id, role, password_hash FROM users WHERE id = $1::bigint",
    .nparams = 1,
};
PW_DB_STMT_EXPORT(users_password_hash);

enum pw_db_status
pw_repo_users_password_hash(struct pw_db *db, int64_t id, struct pw_credentials *out)
{
    char key[24];
    const char *const params[] = { key };
    PGresult *res;
    enum pw_db_status st;

    snprintf(key, sizeof key, "%lld", (long long) id);
    st = pw_db_read(db, &users_password_hash, params, &res);
    memset(out, 0, sizeof *out);
    if (st != PW_DB_OK)
        return st;
    take_credentials(res, out);
    return PW_DB_OK;
}

static struct pw_stmt users_get = {
    .name = "users_get",
    .sql = "SELECT " USER_JSON ", u.version FROM users u WHERE u.id = $1::bigint",
    .nparams = 1,
};
PW_DB_STMT_EXPORT(users_get);

enum pw_db_status
pw_repo_users_get(struct pw_db *db, int64_t id, struct pw_text *body, long long *version)
{
    char key[24];
    const char *const params[] = { key };
    PGresult *res;
    enum pw_db_status st;

    snprintf(key, sizeof key, "%lld", (long long) id);
    st = pw_db_read_row(db, &users_get, params, &res);
    if (st != PW_DB_OK)
        return st;
    *version = atoll(PQgetvalue(res, 0, 1));
    pw_text_from_result(body, res, 0, 0);
    return PW_DB_OK;
}

/**
 * Columns 0-2: the written row (json, version, id) or NULLs; 3: whether the
 * user exists (to tell 404 from 412); 4: the refusal of a guard, or NULL.
 * @return the status those say
 */
static enum pw_db_status
take_update(struct pw_db *db, PGresult *res, struct pw_written *out)
{
    if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
        int exists = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 3), "t") == 0;
        int guarded = PQntuples(res) == 1 && !PQgetisnull(res, 0, 4);
        enum pw_db_status st = !exists   ? PW_DB_NOT_FOUND
                               : guarded ? pw_db_invalid(db, "role", PQgetvalue(res, 0, 4))
                                         : PW_DB_STALE;

        PQclear(res);
        return st;
    }
    take_written(res, out);
    return PW_DB_OK;
}

/*
 * The version check sits in the UPDATE's WHERE: under READ COMMITTED a
 * concurrent update makes PostgreSQL re-check it on the new row version,
 * so of two writers with the same If-Match only one succeeds.
 */
static struct pw_stmt users_update_profile = {
    .name = "users_update_profile",
    .sql = "WITH upd AS ("
           "  UPDATE users u SET display_name = coalesce($3::text, u.display_name),"
           "         password_hash = coalesce($4::text, u.password_hash),"
           "         version = u.version + 1, updated_at = now()"
           "   WHERE u.id = $1::bigint AND ($2::bigint < 0 OR u.version = $2::bigint)"
           "  RETURNING u.*),"
           " rev AS ("
           "  UPDATE refresh_tokens t SET revoked_at = now() FROM upd"
           "   WHERE $4::text IS NOT NULL AND t.user_id = upd.id AND t.revoked_at IS NULL"
           "  RETURNING 1)"
           " SELECT (SELECT " USER_JSON " FROM upd u), (SELECT version FROM upd),"
           " (SELECT id FROM upd), EXISTS (SELECT 1 FROM users WHERE id = $1::bigint),"
           " NULL::text, (SELECT count(*) FROM rev)",
    .nparams = 4,
};
PW_DB_STMT_EXPORT(users_update_profile);

enum pw_db_status
pw_repo_users_update_profile(struct pw_db *db,
                             int64_t id,
                             long long if_match,
                             const char *display_name,
                             const char *password_hash,
                             struct pw_written *out)
{
    char key[24], ver[24];
    const char *const params[] = { key, ver, display_name, password_hash };
    PGresult *res;
    enum pw_db_status st;

    snprintf(key, sizeof key, "%lld", (long long) id);
    snprintf(ver, sizeof ver, "%lld", if_match);
    st = pw_db_exec(db, &users_update_profile, params, &res);
    if (st != PW_DB_OK)
        return st;
    return take_update(db, res, out);
}

/*
 * The last-admin guard: the admins' rows are locked first (in id order, so
 * two such statements cannot deadlock), and a demotion of the only one left
 * is refused. Two admins demoting each other at once: the second waits for
 * the first's locks, then sees one admin left and is refused.
 */
static struct pw_stmt users_set_role = {
    .name = "users_set_role",
    .sql = "WITH admins AS MATERIALIZED ("
           "  SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE),"
           " guard AS ("
           "  SELECT 'would leave no admin: promote another user to admin first'::text AS msg"
           "   WHERE $3::text <> 'admin' AND $1::bigint IN (SELECT id FROM admins)"
           "     AND (SELECT count(*) FROM admins) <= 1),"
           " upd AS ("
           "  UPDATE users u SET role = $3::text, version = u.version + 1, updated_at = now()"
           "   WHERE u.id = $1::bigint AND ($2::bigint < 0 OR u.version = $2::bigint)"
           "     AND NOT EXISTS (SELECT 1 FROM guard)"
           "  RETURNING u.*)"
           " SELECT (SELECT " USER_JSON " FROM upd u), (SELECT version FROM upd),"
           " (SELECT id FROM upd), EXISTS (SELECT 1 FROM users WHERE id = $1::bigint),"
           " (SELECT msg FROM guard)",
    .nparams = 3,
};
PW_DB_STMT_EXPORT(users_set_role);

enum pw_db_status
pw_repo_users_set_role(
    struct pw_db *db, int64_t id, long long if_match, const char *role, struct pw_written *out)
{
    char key[24], ver[24];
    const char *const params[] = { key, ver, role };
    PGresult *res;
    enum pw_db_status st;

    snprintf(key, sizeof key, "%lld", (long long) id);
    snprintf(ver, sizeof ver, "%lld", if_match);
    st = pw_db_exec(db, &users_set_role, params, &res);
    if (st != PW_DB_OK)
        return st;
    return take_update(db, res, out);
}
