/**
 * @file accounts.h
 * @brief What the account handlers (auth.c, me.c, progress.c) share.
 */
#ifndef PATHWAYS_HANDLERS_ACCOUNTS_H
#define PATHWAYS_HANDLERS_ACCOUNTS_H

#include "pathways/handlers.h"
#include "pathways/ratelimit.h"
#include "pathways/spec.h"

/** Rate-limit scopes: each route family has its own budget per client. */
enum {
    PW_RL_REGISTER = 'R',
    PW_RL_LOGIN = 'L',
    PW_RL_PASSWORD = 'P', /**< password changes on PATCH /v1/me */
};

/** The limiter of register, login and password changes (NULL before init). */
struct pw_ratelimit *pw_accounts_limiter(void);

/**
 * Check the request body against @a spec.
 * @return 0, or -1 after queuing a 422 listing every bad field (in @a ret)
 */
int pw_accounts_body_or_reply(struct pw_request *rq,
                              const struct pw_field_spec *spec,
                              enum pw_spec_mode mode,
                              enum MHD_Result *ret);

/** A string member of the (validated) body, or NULL when absent. */
const char *pw_accounts_str(const struct pw_request *rq, const char *name, size_t *len);

/** 401 for a valid token whose account is gone (deleted since it was issued). */
enum MHD_Result pw_accounts_reply_gone(struct pw_request *rq);

#endif
