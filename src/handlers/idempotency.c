/**
 * @file idempotency.c
 * @brief Claim, run, remember, replay (see idempotency.h).
 */
#include "pathways/idempotency.h"
#include "pathways/log.h"
#include "pathways/repo_idempotency.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEY 255

/** 1..255 visible ASCII characters (RFC draft "The Idempotency-Key HTTP Header Field"). */
static int
key_ok(const char *k)
{
    size_t n = strlen(k);

    if (n == 0 || n > MAX_KEY)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char) k[i] < 0x21 || (unsigned char) k[i] > 0x7e)
            return 0;
    return 1;
}

/** SHA-256 over method, URI and body: what makes two requests "the same". */
static void
fingerprint(const struct pw_request *rq, char hex[2 * crypto_hash_sha256_BYTES + 1])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    const char *method = rq->method_name ? rq->method_name : "";
    const char *uri = rq->raw_uri ? rq->raw_uri : "";

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *) method, strlen(method) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *) uri, strlen(uri) + 1);
    if (rq->body != NULL)
        crypto_hash_sha256_update(&st, (const unsigned char *) rq->body, rq->body_len);
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof h);
}

static enum MHD_Result
replay(struct pw_request *rq, const struct pw_idem_claim *c)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(c->body_len, (void *) c->body, MHD_RESPMEM_MUST_COPY);

    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", c->content_type);
    if (c->location[0] != '\0')
        MHD_add_response_header(resp, "Location", c->location);
    if (c->etag[0] != '\0')
        MHD_add_response_header(resp, "ETag", c->etag);
    MHD_add_response_header(resp, "Idempotent-Replayed", "true");
    return pw_reply_response(rq, c->status, resp, c->body_len, 0);
}

/** Run the request that owns the key, then remember (or forget) its reply. */
static enum MHD_Result
run_and_remember(struct pw_request *rq, pw_handler_fn inner, const char *scope, const char *key)
{
    struct pw_capture cap = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;

    rq->capture = &cap;
    ret = inner(rq);
    rq->capture = NULL;
    if (cap.status >= 200 && cap.status < 500)
        st = pw_repo_idem_complete(
            rq->db, scope, key, cap.status, cap.content_type, cap.body, cap.location, cap.etag);
    else
        st = pw_repo_idem_release(rq->db, scope, key);
    if (st != PW_DB_OK)
        pw_log(
            PW_LOG_WARN, "idempotency key not recorded", "\"request_id\":\"%s\"", rq->request_id);
    free(cap.body);
    return ret;
}

enum MHD_Result
pw_idempotent(struct pw_request *rq, pw_handler_fn inner)
{
    const char *key = pw_header(rq, "Idempotency-Key");
    char scope[24];
    char fp[2 * crypto_hash_sha256_BYTES + 1];
    struct pw_idem_claim c;
    enum pw_db_status st;
    enum MHD_Result ret;

    if (key == NULL)
        return inner(rq);
    if (!key_ok(key))
        return pw_reply_problem(rq,
                                PW_PROBLEM_BAD_REQUEST,
                                "Idempotency-Key must be 1 to 255 visible ASCII characters",
                                NULL);
    snprintf(scope, sizeof scope, "%lld", (long long) rq->claims.user_id);
    fingerprint(rq, fp);
    st = pw_repo_idem_claim(rq->db, scope, key, fp, &c);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    if (c.claimed) {
        pw_idem_claim_release(&c);
        return run_and_remember(rq, inner, scope, key);
    }
    if (!c.same_request)
        ret = pw_reply_problem(rq,
                               PW_PROBLEM_VALIDATION,
                               "this Idempotency-Key was used for a different request",
                               json_pack("[{s:s, s:s}]",
                                         "field",
                                         "Idempotency-Key",
                                         "message",
                                         "was used for a different request"));
    else if (!c.completed)
        ret = pw_reply_problem(rq,
                               PW_PROBLEM_CONFLICT,
                               "a request with this Idempotency-Key is still being processed",
                               NULL);
    else
        ret = replay(rq, &c);
    pw_idem_claim_release(&c);
    return ret;
}
