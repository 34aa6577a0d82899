/**
 * @file me.c
 * @brief GET/PATCH /v1/me (the caller's own account) and the admin's
 *        GET/PATCH /v1/users/{id} (which sets roles).
 *
 * Roles change in exactly one place: PATCH /v1/users/{id}, admin only.
 * `role` is not a field of PATCH /v1/me (nor of registration), so sending
 * it there is a 422 like any unknown field, never a promotion. A role change
 * reaches the user's access token when it is next refreshed (DESIGN.md:
 * a token's role is trusted without a database look-up).
 *
 * Everything here is private to one user: replies carry no-store (reply.c's
 * default) and an ETag from the user's version for If-None-Match/If-Match.
 */
#include "accounts.h"
#include "pathways/password.h"
#include "pathways/repo_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** 200 (or 304) with user @a id; when there is none, 401 for the caller (@a self) else 404. */
static enum MHD_Result
reply_user(struct pw_request *rq, int64_t id, int self)
{
    struct pw_text body = { 0 };
    long long version = 0;
    enum MHD_Result ret;
    enum pw_db_status st;
    char etag[32];

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    st = pw_repo_users_get(rq->db, id, &body, &version);
    if (st == PW_DB_NOT_FOUND)
        return self ? pw_accounts_reply_gone(rq)
                    : pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, "no user has this id", NULL);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    pw_etag_version(etag, sizeof etag, version);
    if (pw_if_none_match(rq, etag)) {
        pw_text_release(&body);
        return pw_reply_empty(rq, 304, etag, PW_CACHE_NO_STORE);
    }
    return pw_reply_json(rq, 200, &body, etag, NULL, PW_CACHE_NO_STORE);
}

/** 200 with the row just written, or the problem for @a st. */
static enum MHD_Result
reply_written_user(struct pw_request *rq, enum pw_db_status st, struct pw_written *w, int self)
{
    char etag[32];

    if (st == PW_DB_NOT_FOUND)
        return self ? pw_accounts_reply_gone(rq)
                    : pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, "no user has this id", NULL);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    pw_etag_version(etag, sizeof etag, w->version);
    return pw_reply_json(rq, 200, &w->body, etag, NULL, PW_CACHE_NO_STORE);
}

enum MHD_Result
pw_h_me_get(struct pw_request *rq)
{
    return reply_user(rq, rq->claims.user_id, 1);
}

static const struct pw_field_spec me_fields[] = {
    { .name = "display_name", .type = PW_T_STRING, .min = 1, .max = 100 },
    { .name = "password", .type = PW_T_STRING, .min = PW_PASSWORD_MIN, .max = PW_PASSWORD_MAX },
    { .name = "current_password", .type = PW_T_STRING, .min = 1, .max = 1024 },
    PW_SPEC_END,
};

static enum MHD_Result
reply_field(struct pw_request *rq, const char *field, const char *message)
{
    return pw_reply_problem(rq,
                            PW_PROBLEM_VALIDATION,
                            "the request body is not valid",
                            json_pack("[{s:s, s:s}]", "field", field, "message", message));
}

/**
 * A password change: the current password must be given and right.
 * @return 0 with @a hash set, or -1 after a reply
 */
static int
new_password_or_reply(struct pw_request *rq, char hash[PW_PASSWORD_HASH_MAX], enum MHD_Result *ret)
{
    struct pw_credentials cred;
    size_t clen = 0, plen = 0;
    const char *current = pw_accounts_str(rq, "current_password", &clen);
    const char *password = pw_accounts_str(rq, "password", &plen);
    enum pw_db_status st;

    if (current == NULL) {
        *ret = reply_field(rq, "current_password", "is required to change the password");
        return -1;
    }
    /* Guessing the current password with a stolen access token costs a budget too. */
    if (pw_ratelimit_or_reply(pw_accounts_limiter(), PW_RL_PASSWORD, rq, ret) != 0)
        return -1;
    st = pw_repo_users_password_hash(rq->db, rq->claims.user_id, &cred);
    if (st != PW_DB_OK || !cred.found) {
        *ret = st != PW_DB_OK ? pw_reply_db_error(rq, st) : pw_accounts_reply_gone(rq);
        return -1;
    }
    if (!pw_password_verify(cred.password_hash, current, clen)) {
        *ret = reply_field(rq, "current_password", "is not the current password");
        return -1;
    }
    if (pw_password_hash(password, plen, hash) != 0) {
        *ret =
            pw_reply_problem(rq, PW_PROBLEM_UNAVAILABLE, "the server is busy; retry shortly", NULL);
        return -1;
    }
    return 0;
}

enum MHD_Result
pw_h_me_update(struct pw_request *rq)
{
    char hash[PW_PASSWORD_HASH_MAX];
    struct pw_written w = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;
    int new_password = json_object_get(rq->json, "password") != NULL;

    if (pw_query_none_or_reply(rq, &ret) != 0 ||
        pw_accounts_body_or_reply(rq, me_fields, PW_SPEC_PATCH, &ret) != 0)
        return ret;
    if (!new_password && json_object_get(rq->json, "current_password") != NULL)
        return reply_field(rq, "current_password", "is only used together with password");
    if (new_password && new_password_or_reply(rq, hash, &ret) != 0)
        return ret;
    st = pw_repo_users_update_profile(rq->db,
                                      rq->claims.user_id,
                                      pw_if_match_version(rq),
                                      pw_accounts_str(rq, "display_name", NULL),
                                      new_password ? hash : NULL,
                                      &w);
    return reply_written_user(rq, st, &w, 1);
}

enum MHD_Result
pw_h_users_get(struct pw_request *rq)
{
    return reply_user(rq, strtoll(pw_param(rq, 0), NULL, 10), 0);
}

static const char *const roles[] = { "learner", "editor", "admin", NULL };

static const struct pw_field_spec role_fields[] = {
    { .name = "role", .type = PW_T_STRING, .flags = PW_REQUIRED, .enum_values = roles },
    PW_SPEC_END,
};

enum MHD_Result
pw_h_users_update(struct pw_request *rq)
{
    struct pw_written w = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;

    if (pw_query_none_or_reply(rq, &ret) != 0 ||
        pw_accounts_body_or_reply(rq, role_fields, PW_SPEC_CREATE, &ret) != 0)
        return ret;
    st = pw_repo_users_set_role(rq->db,
                                strtoll(pw_param(rq, 0), NULL, 10),
                                pw_if_match_version(rq),
                                pw_accounts_str(rq, "role", NULL),
                                &w);
    return reply_written_user(rq, st, &w, 0);
}
