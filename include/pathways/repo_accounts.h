/**
 * @file repo_accounts.h
 * @brief Users and their refresh-token sessions: parameterised SQL only.
 *
 * Emails are lower-cased by the SQL itself (lower($1)) on every write and
 * look-up, so callers pass them as the client sent them. Password hashes
 * and token hashes come in already computed (src/auth); this layer never
 * sees a password or a token.
 */
#ifndef PATHWAYS_REPO_ACCOUNTS_H
#define PATHWAYS_REPO_ACCOUNTS_H

#include <stdint.h>

#include "pathways/jwt.h"
#include "pathways/password.h"
#include "pathways/repo.h"

/* ---- users ---------------------------------------------------------------- */

/**
 * Create a user. @a role is "learner", "editor" or "admin".
 * @param[out] out  the user as JSON, its version, and its id in out->key
 * @return PW_DB_CONFLICT (constraint users_email_uq) when the email is taken
 */
enum pw_db_status pw_repo_users_create(struct pw_db *db,
                                       const char *email,
                                       const char *password_hash,
                                       const char *display_name,
                                       const char *role,
                                       struct pw_written *out);

/** What login needs to know about an email. */
struct pw_credentials {
    int found;
    int64_t user_id;
    enum pw_role role;
    char password_hash[PW_PASSWORD_HASH_MAX];
};

/** Look up the account of @a email (any case). @a out->found = 0 when none. */
enum pw_db_status
pw_repo_users_credentials(struct pw_db *db, const char *email, struct pw_credentials *out);

/** The password hash of user @a id (@a out->found = 0 when no such user). */
enum pw_db_status
pw_repo_users_password_hash(struct pw_db *db, int64_t id, struct pw_credentials *out);

/**
 * One user as JSON (id, email, display_name, role, created_at, updated_at,
 * version). @return PW_DB_NOT_FOUND when there is no such user.
 */
enum pw_db_status
pw_repo_users_get(struct pw_db *db, int64_t id, struct pw_text *body, long long *version);

/**
 * Change the caller's own profile: @a display_name and/or @a password_hash
 * (NULL = leave as is). A new password also revokes every refresh token of
 * the user (every session must sign in again).
 * @param if_match  -1: no precondition; else the version the client saw
 * @return PW_DB_NOT_FOUND, PW_DB_STALE, ...
 */
enum pw_db_status pw_repo_users_update_profile(struct pw_db *db,
                                               int64_t id,
                                               long long if_match,
                                               const char *display_name,
                                               const char *password_hash,
                                               struct pw_written *out);

/**
 * Set the role of user @a id (an admin's decision). Refused with
 * PW_DB_INVALID (field "role") when it would leave no admin at all.
 * @return PW_DB_NOT_FOUND, PW_DB_STALE, PW_DB_INVALID, ...
 */
enum pw_db_status pw_repo_users_set_role(
    struct pw_db *db, int64_t id, long long if_match, const char *role, struct pw_written *out);

/* ---- sessions (refresh tokens) ------------------------------------------------ */

/**
 * Start a session (a token family) for @a user_id with its first refresh
 * token @a token_hash (bytea text, see pw_refresh_token_hash()). When
 * @a new_password_hash is not NULL it replaces the stored hash (rehash on
 * login). Also drops the user's expired tokens.
 * @return PW_DB_NOT_FOUND when the user vanished meanwhile
 */
enum pw_db_status pw_repo_sessions_start(struct pw_db *db,
                                         int64_t user_id,
                                         const char *token_hash,
                                         const char *new_password_hash);

enum pw_refresh_outcome {
    PW_REFRESH_ROTATED = 0, /**< the token was live: replaced by the new one */
    PW_REFRESH_UNKNOWN,     /**< no such token (never issued, or purged) */
    PW_REFRESH_EXPIRED,     /**< past its expiry: nothing changed */
    PW_REFRESH_REUSED,      /**< already rotated: its whole family is revoked now */
    PW_REFRESH_REVOKED,     /**< revoked by a logout or a reuse: family revoked (again) */
};

struct pw_refresh_result {
    enum pw_refresh_outcome outcome;
    int64_t user_id;   /**< the owner (rotated, reused) */
    enum pw_role role; /**< the owner's role now (rotated) */
};

/**
 * Rotate the refresh token whose hash is @a old_hash: revoke it and store
 * @a new_hash in the same family, in one transaction that holds the old
 * token's row lock (two concurrent refreshes with one token: the second sees
 * it revoked, which counts as reuse).
 * @return PW_DB_OK with @a out->outcome telling what happened (a reuse is
 *         committed, so the revocation sticks), or a database failure
 */
enum pw_db_status pw_repo_sessions_rotate(struct pw_db *db,
                                          const char *old_hash,
                                          const char *new_hash,
                                          struct pw_refresh_result *out);

/** Revoke the family of the refresh token @a token_hash (logout; unknown is fine). */
enum pw_db_status pw_repo_sessions_end(struct pw_db *db, const char *token_hash);

#endif
