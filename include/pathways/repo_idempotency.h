/**
 * @file repo_idempotency.h
 * @brief Storage of replies for Idempotency-Key retries (migration 0006).
 */
#ifndef PATHWAYS_REPO_IDEMPOTENCY_H
#define PATHWAYS_REPO_IDEMPOTENCY_H

#include "pathways/db.h"

/** What a claim found. */
struct pw_idem_claim {
    int claimed;               /**< 1: this request owns the key now */
    int same_request;          /**< the stored fingerprint equals ours */
    int in_progress_elsewhere; /**< a concurrent request claimed it after our snapshot */
    int completed;             /**< the first request finished: a reply is stored */
    PGresult *res;             /**< owns the strings below; pw_idem_claim_release() */
    unsigned status;
    const char *content_type, *body, *location, *etag;
    size_t body_len;
};

/**
 * Claim (@a scope, @a key) for a request with @a fingerprint (hex), or read
 * what an earlier request with that key left. Purges a few expired keys.
 */
enum pw_db_status pw_repo_idem_claim(struct pw_db *db,
                                     const char *scope,
                                     const char *key,
                                     const char *fingerprint,
                                     struct pw_idem_claim *out);

void pw_idem_claim_release(struct pw_idem_claim *c);

/** Store the reply of the request that claimed the key. */
enum pw_db_status pw_repo_idem_complete(struct pw_db *db,
                                        const char *scope,
                                        const char *key,
                                        unsigned status,
                                        const char *content_type,
                                        const char *body,
                                        const char *location,
                                        const char *etag);

/** Forget a claim (the request failed in a way a retry may fix). */
enum pw_db_status pw_repo_idem_release(struct pw_db *db, const char *scope, const char *key);

#endif
