/**
 * @file it_accounts.h
 * @brief Helpers the account suites share: sign up, sign in, bearer headers.
 *        (Header-only, so that each suite stays one program.)
 */
#ifndef PATHWAYS_IT_ACCOUNTS_H
#define PATHWAYS_IT_ACCOUNTS_H

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IT_PASSWORD "correct horse battery staple"

/** One signed-in session. */
struct it_session {
    long long user_id;
    char email[128];
    char access[1024];
    char refresh[64];
    char auth[1100]; /**< "Authorization: Bearer <access>" */
};

/** A fresh unique email for this run. */
static inline const char *
it_email(const char *prefix)
{
    static char bufs[4][128];
    static unsigned n;
    char *b = bufs[n++ % 4];

    snprintf(b, sizeof bufs[0], "%s@example.com", pw_unique(prefix));
    return b;
}

/** POST /v1/auth/register; asserts 201 and returns the new user's id. */
static inline long long
it_register(const char *email, const char *password)
{
    char body[512];
    struct pw_resp r;
    long long id;

    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"Learner\"}",
             email,
             password);
    r = pw_http("POST", "/v1/auth/register", body, NULL);
    ck_assert_msg(r.status == 201, "register %s: %ld %s", email, r.status, r.body);
    id = pw_json_int(&r, "id");
    pw_resp_free(&r);
    return id;
}

/** Fill @a s from a token response. */
static inline void
it_take_tokens(struct it_session *s, const struct pw_resp *r)
{
    const char *a = json_string_value(json_object_get(r->json, "access_token"));
    const char *f = json_string_value(json_object_get(r->json, "refresh_token"));

    ck_assert_msg(r->status == 200 && a != NULL && f != NULL, "tokens: %ld %s", r->status, r->body);
    snprintf(s->access, sizeof s->access, "%s", a);
    snprintf(s->refresh, sizeof s->refresh, "%s", f);
    snprintf(s->auth, sizeof s->auth, "Authorization: Bearer %s", s->access);
}

/** POST /v1/auth/login; asserts 200. */
static inline void
it_login(struct it_session *s, const char *email, const char *password)
{
    char body[512];
    struct pw_resp r;

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    r = pw_http("POST", "/v1/auth/login", body, NULL);
    it_take_tokens(s, &r);
    snprintf(s->email, sizeof s->email, "%s", email);
    pw_resp_free(&r);
}

/** A new learner, signed in. */
static inline void
it_new_learner(struct it_session *s, const char *prefix)
{
    const char *email = it_email(prefix);

    memset(s, 0, sizeof *s);
    s->user_id = it_register(email, IT_PASSWORD);
    it_login(s, email, IT_PASSWORD);
}

/** POST /v1/auth/refresh with @a token; the response (caller frees). */
static inline struct pw_resp
it_refresh(const char *token)
{
    char body[256];

    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", token);
    return pw_http("POST", "/v1/auth/refresh", body, NULL);
}

/** The string member @a key of a JSON object (asserting it is one). */
static inline const char *
it_str(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));

    ck_assert_msg(v != NULL, "'%s' is not a string", key);
    return v;
}

/** Integer member of a JSON object (asserting it is one). */
static inline long long
it_int(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
    return json_integer_value(v);
}

#endif
