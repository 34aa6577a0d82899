/**
 * @file subscriptions.c
 * @brief The newsletter: sign-up, unsubscribe, and the admins' subscriber list.
 *
 * No enumeration. POST /v1/subscriptions answers 202 with the same status,
 * headers and body shape whether the address is new, subscribed already or
 * unsubscribed: {"email": <as stored>, "unsubscribe_token": <new token>}.
 * Only the token (fresh on every sign-up) and the request id differ. The
 * repository does the same work in one statement in every case.
 *
 * The token stands in for the link a mailer would send: 32 random bytes
 * (libsodium), base64url without padding (43 characters). Only the SHA-256
 * of those bytes is stored, so a database dump cannot unsubscribe anyone.
 * Looking a token up by its hash needs no constant-time comparison: timing
 * can at most reveal a prefix of a hash, which does not help to forge a token.
 *
 * POST /v1/subscriptions/unsubscribe answers 204 for a valid token, and also
 * for an unknown or spent one: a different answer would let a client probe
 * which tokens exist. Only a token that cannot be one (wrong length or
 * alphabet) is a 422.
 *
 * Email addresses are compared and stored with their ASCII letters in lower
 * case (so Ada@Example.org and ada@example.org are one subscriber); other
 * characters are kept as sent.
 */
#include "pathways/b64url.h"
#include "pathways/handlers.h"
#include "pathways/repo_subscriptions.h"
#include "pathways/repo_tables.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_BYTES 32
#define TOKEN_CHARS 43 /* base64url of 32 bytes, no padding */

static const struct pw_field_spec subscribe_fields[] = {
    { .name = "email",
      .type = PW_T_STRING,
      .flags = PW_REQUIRED,
      .min = 3,
      .max = 254,
      .pattern = PW_PAT_EMAIL },
    { .name = "consent", .type = PW_T_BOOL, .flags = PW_REQUIRED },
    { .name = "source", .type = PW_T_STRING, .flags = PW_NULLABLE, .max = 100 },
    PW_SPEC_END,
};

static const struct pw_field_spec unsubscribe_fields[] = {
    { .name = "token", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 256 },
    PW_SPEC_END,
};

/** Hex SHA-256 of the @a len bytes at @a bytes into @a hex. */
static void
token_hash(const unsigned char *bytes, size_t len, char hex[PW_TOKEN_HASH_HEX])
{
    unsigned char digest[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(digest, bytes, len);
    sodium_bin2hex(hex, PW_TOKEN_HASH_HEX, digest, sizeof digest);
}

/** Position of the first error in @a errors about a field that follows @a field in @a spec. */
static size_t
error_position(const struct pw_field_spec *spec, json_t *errors, const char *field)
{
    size_t i;

    for (i = 0; i < json_array_size(errors); i++) {
        const char *other = json_string_value(json_object_get(json_array_get(errors, i), "field"));
        const struct pw_field_spec *f = spec;

        while (f->name != NULL && strcmp(f->name, field) != 0 && strcmp(f->name, other) != 0)
            f++;
        if (f->name == NULL || strcmp(f->name, field) == 0)
            break; /* an unknown field, or one after ours */
    }
    return i;
}

/**
 * Validate @a spec, plus the rule the spec cannot say (@a extra_field /
 * @a extra_message when set, listed in spec order); on any error queue one
 * 422 listing them all. @return 0 when valid.
 */
static int
validate_or_reply(struct pw_request *rq,
                  const struct pw_field_spec *spec,
                  const char *extra_field,
                  const char *extra_message,
                  enum MHD_Result *ret)
{
    json_t *errors = NULL;

    pw_spec_validate(spec, rq->json, PW_SPEC_CREATE, &errors);
    if (extra_field != NULL) {
        if (errors == NULL)
            errors = json_array();
        json_array_insert_new(
            errors,
            error_position(spec, errors, extra_field),
            json_pack("{s:s, s:s}", "field", extra_field, "message", extra_message));
    }
    if (errors == NULL)
        return 0;
    *ret = pw_reply_problem(rq, PW_PROBLEM_VALIDATION, "the request body is not valid", errors);
    return -1;
}

enum MHD_Result
pw_h_subscribe(struct pw_request *rq)
{
    unsigned char token[TOKEN_BYTES];
    char token_text[TOKEN_CHARS + 1];
    char hash[PW_TOKEN_HASH_HEX];
    enum MHD_Result ret;
    enum pw_db_status st;

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    /* consent: false is well-formed but not a consent (checked beside the spec's rules). */
    int refused = json_is_false(json_object_get(rq->json, "consent"));
    if (validate_or_reply(rq,
                          subscribe_fields,
                          refused ? "consent" : NULL,
                          "must be true: we only subscribe people who agreed to receive the "
                          "newsletter",
                          &ret) != 0)
        return ret;

    char *email = strdup(json_string_value(json_object_get(rq->json, "email")));
    if (email == NULL)
        return MHD_NO;
    for (char *p = email; *p != '\0'; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char) (*p - 'A' + 'a');
    randombytes_buf(token, sizeof token);
    pw_b64url_encode(token, sizeof token, token_text, sizeof token_text);
    token_hash(token, sizeof token, hash);
    sodium_memzero(token, sizeof token);

    st = pw_repo_subscribe(
        rq->db, email, json_string_value(json_object_get(rq->json, "source")), hash);
    if (st != PW_DB_OK) {
        free(email);
        return pw_reply_db_error(rq, st);
    }
    json_t *doc = json_pack("{s:s, s:s}", "email", email, "unsubscribe_token", token_text);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;

    json_decref(doc);
    free(email);
    if (text == NULL)
        return pw_reply_problem(rq, PW_PROBLEM_INTERNAL, NULL, NULL);
    ret = pw_reply_json_copy(rq, 202, text, strlen(text), PW_CACHE_NO_STORE);
    free(text);
    return ret;
}

enum MHD_Result
pw_h_unsubscribe(struct pw_request *rq)
{
    unsigned char token[TOKEN_BYTES + 1];
    char hash[PW_TOKEN_HASH_HEX];
    enum MHD_Result ret;
    enum pw_db_status st;
    const char *text = json_string_value(json_object_get(rq->json, "token"));
    int malformed =
        text != NULL && (strlen(text) != TOKEN_CHARS ||
                         pw_b64url_decode(text, TOKEN_CHARS, token, sizeof token) != TOKEN_BYTES);

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    if (validate_or_reply(rq,
                          unsubscribe_fields,
                          malformed ? "token" : NULL,
                          "is not an unsubscribe token",
                          &ret) != 0)
        return ret;
    token_hash(token, TOKEN_BYTES, hash);
    st = pw_repo_unsubscribe(rq->db, hash);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_empty(rq, 204, NULL, 0); /* known, unknown or spent: see the file comment */
}

static const char *const subscriber_statuses[] = { "subscribed", "unsubscribed", NULL };

static const struct pw_filter subscriber_filters[] = {
    { .name = "status", .enum_values = subscriber_statuses, .max_len = 16 },
    { .name = "email", .max_len = 254 },
    { .name = NULL },
};

/* GET /v1/subscriptions only (the route needs an admin): nothing is written through it. */
const struct pw_resource pw_res_subscribers = {
    .name = "subscriber",
    .repo = &pw_repo_subscribers,
    .filters = subscriber_filters,
    .location = "/v1/subscriptions/",
};
