/**
 * @file idempotency.h
 * @brief Idempotency-Key on POST: a retry replays the first reply.
 *
 * A client that did not see the answer to a POST (a timeout, a dropped
 * connection) retries it with the same Idempotency-Key and gets the first
 * reply again instead of a second resource. Keys are per user, live 24
 * hours, and bind the exact request: the same key with another request is a
 * 422; while the first request is still running, a 409. Replies of 5xx are
 * not kept, so such a request can be retried for real.
 *
 * Used by the generic create handler. Not by routes whose reply holds a
 * secret (login, refresh, newsletter tokens): the store keeps replies in
 * plain text.
 */
#ifndef PATHWAYS_IDEMPOTENCY_H
#define PATHWAYS_IDEMPOTENCY_H

#include "pathways/http.h"

/** Run @a inner under the request's Idempotency-Key, if it has one. */
enum MHD_Result pw_idempotent(struct pw_request *rq, pw_handler_fn inner);

#endif
