/**
 * @file auth.c
 * @brief POST /v1/auth/register, /login, /refresh, /logout.
 *
 * No account enumeration on login: an unknown email and a wrong password
 * answer the same 401 with the same body, and both run one Argon2id check
 * (against a dummy hash when there is no account), so neither the answer
 * nor its timing tells them apart. Registration necessarily tells that an
 * email is taken (409); it is rate limited like login.
 *
 * Tokens: a 15-minute HS256 access token and a 30-day refresh token that is
 * rotated on every use; presenting a refresh token a second time revokes
 * its whole family (see src/repo/sessions.c). The answers carry
 * Cache-Control: no-store (reply.c's default for everything not public).
 * Idempotency-Key is not honoured here: replies with tokens must not be
 * stored, and a retried registration simply answers 409.
 */
#include "accounts.h"
#include "pathways/log.h"
#include "pathways/password.h"
#include "pathways/repo_accounts.h"
#include "pathways/server.h"
#include "pathways/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pw_ratelimit *limiter;

struct pw_ratelimit *
pw_accounts_limiter(void)
{
    return limiter;
}

int
pw_accounts_init(const struct pw_config *cfg)
{
    if (pw_password_init() != 0)
        return -1;
    limiter = pw_ratelimit_new(cfg->rate_limit_per_min, PW_RATELIMIT_MAX_ENTRIES);
    return limiter != NULL ? 0 : -1;
}

void
pw_accounts_shutdown(void)
{
    pw_ratelimit_free(limiter);
    limiter = NULL;
}

int
pw_accounts_body_or_reply(struct pw_request *rq,
                          const struct pw_field_spec *spec,
                          enum pw_spec_mode mode,
                          enum MHD_Result *ret)
{
    json_t *errors = NULL;

    if (pw_spec_validate(spec, rq->json, mode, &errors) == 0)
        return 0;
    *ret = pw_reply_problem(rq, PW_PROBLEM_VALIDATION, "the request body is not valid", errors);
    return -1;
}

const char *
pw_accounts_str(const struct pw_request *rq, const char *name, size_t *len)
{
    const json_t *v = json_object_get(rq->json, name);

    if (!json_is_string(v))
        return NULL;
    if (len != NULL)
        *len = json_string_length(v);
    return json_string_value(v);
}

enum MHD_Result
pw_accounts_reply_gone(struct pw_request *rq)
{
    return pw_reply_problem(rq, PW_PROBLEM_UNAUTHORIZED, "this account no longer exists", NULL);
}

/* ---- register ---------------------------------------------------------------- */

/* No `role`: a new account is a learner; anything else is an unknown field (422). */
static const struct pw_field_spec register_fields[] = {
    { .name = "email",
      .type = PW_T_STRING,
      .flags = PW_REQUIRED,
      .min = 3,
      .max = 254,
      .pattern = PW_PAT_EMAIL },
    { .name = "password",
      .type = PW_T_STRING,
      .flags = PW_REQUIRED,
      .min = PW_PASSWORD_MIN,
      .max = PW_PASSWORD_MAX },
    { .name = "display_name", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 100 },
    PW_SPEC_END,
};

enum MHD_Result
pw_h_auth_register(struct pw_request *rq)
{
    char hash[PW_PASSWORD_HASH_MAX];
    char location[96];
    char etag[32];
    struct pw_written w = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;
    size_t plen = 0;
    const char *password;

    if (pw_ratelimit_or_reply(limiter, PW_RL_REGISTER, rq, &ret) != 0 ||
        pw_query_none_or_reply(rq, &ret) != 0 ||
        pw_accounts_body_or_reply(rq, register_fields, PW_SPEC_CREATE, &ret) != 0)
        return ret;
    password = pw_accounts_str(rq, "password", &plen);
    if (pw_password_hash(password, plen, hash) != 0)
        return pw_reply_problem(
            rq, PW_PROBLEM_UNAVAILABLE, "the server is busy; retry shortly", NULL);
    st = pw_repo_users_create(rq->db,
                              pw_accounts_str(rq, "email", NULL),
                              hash,
                              pw_accounts_str(rq, "display_name", NULL),
                              pw_role_name(PW_ROLE_LEARNER),
                              &w);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st); /* 409 naming "email" when it is taken */
    snprintf(location, sizeof location, "/v1/users/%s", w.key);
    pw_etag_version(etag, sizeof etag, w.version);
    return pw_reply_json(rq, 201, &w.body, etag, location, PW_CACHE_NO_STORE);
}

/* ---- tokens ------------------------------------------------------------------ */

/** 200 {access_token, token_type, expires_in, refresh_token} for @a user_id. */
static enum MHD_Result
reply_tokens(struct pw_request *rq, int64_t user_id, enum pw_role role, const char *refresh)
{
    char *access = pw_jwt_issue((const unsigned char *) pw_app.cfg->jwt_secret,
                                pw_app.cfg->jwt_secret_len,
                                user_id,
                                role,
                                time(NULL),
                                PW_ACCESS_TTL);
    char body[PW_JWT_MAX_LEN + 256];
    int n;

    if (access == NULL)
        return pw_reply_problem(rq, PW_PROBLEM_INTERNAL, "an internal error occurred", NULL);
    n = snprintf(body,
                 sizeof body,
                 "{\"access_token\":\"%s\",\"token_type\":\"Bearer\",\"expires_in\":%d,"
                 "\"refresh_token\":\"%s\"}",
                 access,
                 PW_ACCESS_TTL,
                 refresh);
    free(access);
    if (n < 0 || (size_t) n >= sizeof body)
        return pw_reply_problem(rq, PW_PROBLEM_INTERNAL, "an internal error occurred", NULL);
    return pw_reply_json_copy(rq, 200, body, (size_t) n, PW_CACHE_NO_STORE);
}

/* ---- login ------------------------------------------------------------------- */

/* Lengths are generous: a login never says more than "wrong email or password". */
static const struct pw_field_spec login_fields[] = {
    { .name = "email", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 254 },
    { .name = "password", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 1024 },
    PW_SPEC_END,
};

/** The one answer to every failed login, whatever failed. */
static enum MHD_Result
reply_bad_credentials(struct pw_request *rq)
{
    return pw_reply_problem(
        rq, PW_PROBLEM_UNAUTHORIZED, "the email or the password is not correct", NULL);
}

enum MHD_Result
pw_h_auth_login(struct pw_request *rq)
{
    struct pw_credentials cred;
    char rehash[PW_PASSWORD_HASH_MAX];
    char refresh[PW_REFRESH_LEN + 1];
    char refresh_hash[PW_REFRESH_HASH_SQL];
    enum MHD_Result ret;
    enum pw_db_status st;
    size_t plen = 0;
    const char *password;
    int ok;

    if (pw_ratelimit_or_reply(limiter, PW_RL_LOGIN, rq, &ret) != 0 ||
        pw_query_none_or_reply(rq, &ret) != 0 ||
        pw_accounts_body_or_reply(rq, login_fields, PW_SPEC_CREATE, &ret) != 0)
        return ret;
    password = pw_accounts_str(rq, "password", &plen);
    st = pw_repo_users_credentials(rq->db, pw_accounts_str(rq, "email", NULL), &cred);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    /* One Argon2id check on both paths: see the file comment. */
    ok = cred.found ? pw_password_verify(cred.password_hash, password, plen)
                    : pw_password_verify_dummy(password, plen);
    if (!ok)
        return reply_bad_credentials(rq);
    /* Parameters changed since this hash was made: store one made with today's. */
    if (!pw_password_needs_rehash(cred.password_hash) ||
        pw_password_hash(password, plen, rehash) != 0)
        rehash[0] = '\0';
    pw_refresh_token_new(refresh);
    pw_refresh_token_hash(refresh, PW_REFRESH_LEN, refresh_hash);
    st = pw_repo_sessions_start(
        rq->db, cred.user_id, refresh_hash, rehash[0] != '\0' ? rehash : NULL);
    if (st == PW_DB_NOT_FOUND) /* deleted between the two statements */
        return reply_bad_credentials(rq);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return reply_tokens(rq, cred.user_id, cred.role, refresh);
}

/* ---- refresh and logout -------------------------------------------------------- */

static const struct pw_field_spec refresh_fields[] = {
    { .name = "refresh_token", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 512 },
    PW_SPEC_END,
};

enum MHD_Result
pw_h_auth_refresh(struct pw_request *rq)
{
    struct pw_refresh_result r;
    char next[PW_REFRESH_LEN + 1];
    char old_hash[PW_REFRESH_HASH_SQL], new_hash[PW_REFRESH_HASH_SQL];
    enum MHD_Result ret;
    enum pw_db_status st;
    size_t len = 0;
    const char *token;

    if (pw_query_none_or_reply(rq, &ret) != 0 ||
        pw_accounts_body_or_reply(rq, refresh_fields, PW_SPEC_CREATE, &ret) != 0)
        return ret;
    token = pw_accounts_str(rq, "refresh_token", &len);
    if (!pw_refresh_token_valid(token, len))
        return pw_reply_problem(
            rq, PW_PROBLEM_UNAUTHORIZED, "the refresh token is not valid", NULL);
    pw_refresh_token_hash(token, len, old_hash);
    pw_refresh_token_new(next);
    pw_refresh_token_hash(next, PW_REFRESH_LEN, new_hash);
    st = pw_repo_sessions_rotate(rq->db, old_hash, new_hash, &r);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    switch (r.outcome) {
    case PW_REFRESH_ROTATED:
        return reply_tokens(rq, r.user_id, r.role, next);
    case PW_REFRESH_REUSED:
        /* Someone holds a copy of a rotated token: the legitimate client or a thief. */
        pw_log(PW_LOG_WARN,
               "refresh token reused: its session is revoked",
               "\"request_id\":\"%s\",\"user_id\":%lld",
               rq->request_id,
               (long long) r.user_id);
        return pw_reply_problem(rq,
                                PW_PROBLEM_UNAUTHORIZED,
                                "this refresh token was already used; the session is revoked "
                                "and must sign in again",
                                NULL);
    case PW_REFRESH_REVOKED:
        return pw_reply_problem(rq,
                                PW_PROBLEM_UNAUTHORIZED,
                                "this refresh token was revoked (logout or reuse); sign in again",
                                NULL);
    case PW_REFRESH_EXPIRED:
        return pw_reply_problem(rq, PW_PROBLEM_UNAUTHORIZED, "the refresh token has expired", NULL);
    case PW_REFRESH_UNKNOWN:
    default:
        return pw_reply_problem(
            rq, PW_PROBLEM_UNAUTHORIZED, "the refresh token is not valid", NULL);
    }
}

enum MHD_Result
pw_h_auth_logout(struct pw_request *rq)
{
    char hash[PW_REFRESH_HASH_SQL];
    enum MHD_Result ret;
    enum pw_db_status st;
    size_t len = 0;
    const char *token;

    if (pw_query_none_or_reply(rq, &ret) != 0 ||
        pw_accounts_body_or_reply(rq, refresh_fields, PW_SPEC_CREATE, &ret) != 0)
        return ret;
    token = pw_accounts_str(rq, "refresh_token", &len);
    /* Idempotent: an unknown or already revoked token is already logged out. */
    if (pw_refresh_token_valid(token, len)) {
        pw_refresh_token_hash(token, len, hash);
        st = pw_repo_sessions_end(rq->db, hash);
        if (st != PW_DB_OK)
            return pw_reply_db_error(rq, st);
    }
    return pw_reply_empty(rq, 204, NULL, 0);
}
