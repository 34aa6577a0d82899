/**
 * @file reply.c
 * @brief The only code that queues responses.
 *
 * Every reply gets X-Request-Id and X-Content-Type-Options here, so no
 * handler can forget them. Errors are RFC 9457 problem+json built from one
 * table, so a problem's status, type and title never disagree.
 */
#include "pathways/cors.h"
#include "pathways/http.h"
#include "pathways/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct problem_info {
    unsigned status;
    const char *type;
    const char *title;
};

static const struct problem_info problems[] = {
    [PW_PROBLEM_BAD_REQUEST] = { 400, "/problems/bad-request", "Bad request" },
    [PW_PROBLEM_MALFORMED_JSON] = { 400, "/problems/malformed-json", "Malformed JSON" },
    [PW_PROBLEM_UNAUTHORIZED] = { 401, "/problems/unauthorized", "Authentication required" },
    [PW_PROBLEM_FORBIDDEN] = { 403, "/problems/forbidden", "Forbidden" },
    [PW_PROBLEM_NOT_FOUND] = { 404, "/problems/not-found", "Not found" },
    [PW_PROBLEM_METHOD] = { 405, "/problems/method-not-allowed", "Method not allowed" },
    [PW_PROBLEM_CONFLICT] = { 409, "/problems/conflict", "Conflict" },
    [PW_PROBLEM_PRECONDITION] = { 412, "/problems/precondition-failed", "Precondition failed" },
    [PW_PROBLEM_TOO_LARGE] = { 413, "/problems/payload-too-large", "Payload too large" },
    [PW_PROBLEM_MEDIA_TYPE] = { 415, "/problems/unsupported-media-type", "Unsupported media type" },
    [PW_PROBLEM_VALIDATION] = { 422, "/problems/validation", "Validation failed" },
    [PW_PROBLEM_RATE_LIMITED] = { 429, "/problems/rate-limited", "Too many requests" },
    [PW_PROBLEM_INTERNAL] = { 500, "/problems/internal", "Internal server error" },
    [PW_PROBLEM_UNAVAILABLE] = { 503, "/problems/unavailable", "Service unavailable" },
};

/** Keep a copy of what is being sent when the request asked for one. */
static void
capture(struct pw_request *rq,
        unsigned status,
        const char *content_type,
        const char *body,
        size_t len,
        const char *location,
        const char *etag)
{
    struct pw_capture *c = rq->capture;

    if (c == NULL)
        return;
    free(c->body);
    c->body = malloc(len + 1);
    if (c->body == NULL) {
        c->status = 0; /* nothing to replay: the caller forgets the key */
        return;
    }
    memcpy(c->body, body, len);
    c->body[len] = '\0';
    c->len = len;
    c->status = status;
    snprintf(c->content_type, sizeof c->content_type, "%s", content_type);
    snprintf(c->location, sizeof c->location, "%s", location ? location : "");
    snprintf(c->etag, sizeof c->etag, "%s", etag ? etag : "");
}

static const char *const method_names[] = { "GET",    "POST", "PUT",    "PATCH",
                                            "DELETE", "HEAD", "OPTIONS" };

int
pw_reply_init(void)
{
    return 0;
}

void
pw_reply_shutdown(void)
{
}

/** Add the headers every reply carries and queue it. Takes @a resp. */
static enum MHD_Result
queue(struct pw_request *rq, unsigned status, struct MHD_Response *resp, size_t len, unsigned flags)
{
    enum MHD_Result ret;

    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "X-Request-Id", rq->request_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (!(flags & PW_PREFLIGHT))
        pw_cors_apply(resp, pw_header(rq, "Origin"), NULL);
    if (flags & PW_CACHE_PUBLIC)
        MHD_add_response_header(resp, "Cache-Control", "public, max-age=60");
    else
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    rq->status = status;
    rq->bytes = len;
    if (rq->work == PW_WORK_RUNNING) {
        /* Off the loop: the loop queues it when the connection is resumed (server.c). */
        if (rq->held != NULL)
            MHD_destroy_response(rq->held);
        rq->held = resp; /* with rq->status */
        return MHD_YES;
    }
    ret = MHD_queue_response(rq->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result
pw_reply_response(
    struct pw_request *rq, unsigned status, struct MHD_Response *resp, size_t len, unsigned flags)
{
    return queue(rq, status, resp, len, flags);
}

/** A problem reply; @a retry_after (seconds) overrides the default of 429/503 when > 0. */
static enum MHD_Result
reply_problem(struct pw_request *rq,
              enum pw_problem problem,
              const char *detail,
              json_t *errors,
              unsigned retry_after)
{
    const struct problem_info *p = &problems[problem];
    json_t *doc = json_pack("{s:s, s:s, s:i, s:s?, s:s, s:s}",
                            "type",
                            p->type,
                            "title",
                            p->title,
                            "status",
                            (int) p->status,
                            "detail",
                            detail,
                            "instance",
                            rq->path ? rq->path : "",
                            "request_id",
                            rq->request_id);
    struct MHD_Response *resp;
    char *text;
    size_t len;

    if (doc != NULL && errors != NULL)
        json_object_set_new(doc, "errors", errors);
    else if (errors != NULL)
        json_decref(errors);
    /* json_pack refuses invalid UTF-8 in detail/instance: fall back to none. */
    text = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(doc);
    if (text == NULL) {
        char fallback[256];
        int n = snprintf(fallback,
                         sizeof fallback,
                         "{\"type\":\"%s\",\"title\":\"%s\",\"status\":%u}",
                         p->type,
                         p->title,
                         p->status);
        text = strndup(fallback, (size_t) n);
        if (text == NULL)
            return MHD_NO;
    }
    len = strlen(text);
    capture(rq, p->status, "application/problem+json", text, len, NULL, NULL);
    resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/problem+json");
    if (problem == PW_PROBLEM_UNAUTHORIZED)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"pathways\"");
    if (problem == PW_PROBLEM_UNAVAILABLE || problem == PW_PROBLEM_RATE_LIMITED) {
        char seconds[16];

        if (retry_after == 0)
            retry_after = problem == PW_PROBLEM_UNAVAILABLE ? 1 : 60;
        snprintf(seconds, sizeof seconds, "%u", retry_after);
        MHD_add_response_header(resp, "Retry-After", seconds);
    }
    return queue(rq, p->status, resp, len, 0);
}

enum MHD_Result
pw_reply_problem(struct pw_request *rq, enum pw_problem problem, const char *detail, json_t *errors)
{
    return reply_problem(rq, problem, detail, errors, 0);
}

enum MHD_Result
pw_reply_rate_limited(struct pw_request *rq, unsigned retry_after)
{
    char detail[96];

    snprintf(detail, sizeof detail, "too many requests: retry in %u s", retry_after);
    return reply_problem(rq, PW_PROBLEM_RATE_LIMITED, detail, NULL, retry_after);
}

/** "GET, HEAD, POST, ..." for an Allow header; @a out needs 64 bytes. */
static void
allow_list(unsigned allowed, char *out)
{
    static const unsigned order[] = { PW_GET,   PW_HEAD,   PW_POST,   PW_PUT,
                                      PW_PATCH, PW_DELETE, PW_OPTIONS };

    out[0] = '\0';
    allowed |= PW_OPTIONS | ((allowed & PW_GET) ? PW_HEAD : 0);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!(allowed & order[i]))
            continue;
        if (out[0] != '\0')
            strcat(out, ", ");
        for (unsigned b = 0; b < 7; b++)
            if (order[i] == (1u << b))
                strcat(out, method_names[b]);
    }
}

enum MHD_Result
pw_reply_options(struct pw_request *rq, unsigned allowed)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    char allow[80];

    if (resp == NULL)
        return MHD_NO;
    allow_list(allowed, allow);
    MHD_add_response_header(resp, "Allow", allow);
    pw_cors_apply(resp, pw_header(rq, "Origin"), allow);
    return queue(rq, 204, resp, 0, PW_PREFLIGHT);
}

enum MHD_Result
pw_reply_method_not_allowed(struct pw_request *rq, unsigned allowed)
{
    char allow[80];
    char detail[128];
    json_t *doc;
    struct MHD_Response *resp;
    char *text;
    size_t len;

    allow_list(allowed, allow);
    snprintf(detail, sizeof detail, "allowed methods: %s", allow);
    doc = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}",
                    "type",
                    problems[PW_PROBLEM_METHOD].type,
                    "title",
                    problems[PW_PROBLEM_METHOD].title,
                    "status",
                    405,
                    "detail",
                    detail,
                    "instance",
                    rq->path,
                    "request_id",
                    rq->request_id);
    text = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(doc);
    if (text == NULL)
        return pw_reply_problem(rq, PW_PROBLEM_METHOD, detail, NULL);
    len = strlen(text);
    resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/problem+json");
    MHD_add_response_header(resp, "Allow", allow);
    return queue(rq, 405, resp, len, 0);
}

enum MHD_Result
pw_reply_db_error(struct pw_request *rq, enum pw_db_status st)
{
    const struct pw_db_error *e = rq->db ? pw_db_last_error(rq->db) : NULL;
    const struct pw_constraint_info *c = e ? pw_db_constraint(e->constraint) : NULL;

    switch (st) {
    case PW_DB_NOT_FOUND:
        return pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, "no such resource", NULL);
    case PW_DB_STALE:
        return pw_reply_problem(rq,
                                PW_PROBLEM_PRECONDITION,
                                "the resource has changed: fetch it again for its current ETag",
                                NULL);
    case PW_DB_CONFLICT:
        if (c != NULL)
            return pw_reply_problem(
                rq,
                PW_PROBLEM_CONFLICT,
                "a resource with the same unique key already exists",
                json_pack("[{s:s, s:s}]", "field", c->field, "message", c->message));
        return pw_reply_problem(
            rq, PW_PROBLEM_CONFLICT, "a resource with the same unique key already exists", NULL);
    case PW_DB_INVALID:
        /* Only our own PW422 messages and known constraints are shown; others are generic. */
        if (e != NULL && strcmp(e->sqlstate, "PW422") == 0) {
            json_t *errs = json_pack("[{s:s, s:s}]", "field", e->field, "message", e->message);

            return pw_reply_problem(rq, PW_PROBLEM_VALIDATION, e->message, errs);
        }
        if (c != NULL)
            return pw_reply_problem(
                rq,
                PW_PROBLEM_VALIDATION,
                "the request body is not valid",
                json_pack("[{s:s, s:s}]", "field", c->field, "message", c->message));
        return pw_reply_problem(
            rq, PW_PROBLEM_VALIDATION, "the request conflicts with a constraint of the data", NULL);
    case PW_DB_UNAVAILABLE:
        return pw_reply_problem(
            rq, PW_PROBLEM_UNAVAILABLE, "the database is unavailable; retry shortly", NULL);
    case PW_DB_PENDING:
        return MHD_YES; /* no reply yet: the request runs again with the answer (server.c) */
    case PW_DB_OK:
    case PW_DB_FAILED:
    default:
        pw_log(PW_LOG_ERROR,
               "request failed",
               "\"request_id\":\"%s\",\"sqlstate\":\"%s\"",
               rq->request_id,
               e ? e->sqlstate : "");
        return pw_reply_problem(rq, PW_PROBLEM_INTERNAL, "an internal error occurred", NULL);
    }
}

static void
on_result_sent(void *cls)
{
    PQclear(cls);
}

enum MHD_Result
pw_reply_json(struct pw_request *rq,
              unsigned status,
              struct pw_text *body,
              const char *etag,
              const char *location,
              unsigned flags)
{
    struct MHD_Response *resp;
    size_t len = body->len;

    capture(rq, status, "application/json", body->data, len, location, etag);
    /* The bytes PostgreSQL produced go out as they are: no copy, no re-parse. */
    resp = MHD_create_response_from_buffer_with_free_callback_cls(
        len, (void *) body->data, on_result_sent, body->owner);
    if (resp == NULL) {
        pw_text_release(body);
        return MHD_NO;
    }
    memset(body, 0, sizeof *body); /* now owned by the response */
    MHD_add_response_header(resp, "Content-Type", "application/json");
    if (etag != NULL)
        MHD_add_response_header(resp, "ETag", etag);
    if (location != NULL)
        MHD_add_response_header(resp, "Location", location);
    return queue(rq, status, resp, len, flags);
}

enum MHD_Result
pw_reply_json_copy(
    struct pw_request *rq, unsigned status, const char *body, size_t len, unsigned flags)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *) body, MHD_RESPMEM_MUST_COPY);

    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/json");
    return queue(rq, status, resp, len, flags);
}

enum MHD_Result
pw_reply_static(
    struct pw_request *rq, const char *body, size_t len, const char *etag, unsigned flags)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *) body, MHD_RESPMEM_PERSISTENT);

    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/json");
    if (etag != NULL)
        MHD_add_response_header(resp, "ETag", etag);
    return queue(rq, 200, resp, len, flags);
}

enum MHD_Result
pw_reply_text_steal(struct pw_request *rq,
                    unsigned status,
                    const char *content_type,
                    char *body,
                    size_t len,
                    unsigned flags)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);

    if (resp == NULL) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", content_type);
    return queue(rq, status, resp, len, flags);
}

enum MHD_Result
pw_reply_empty(struct pw_request *rq, unsigned status, const char *etag, unsigned flags)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);

    if (resp == NULL)
        return MHD_NO;
    if (etag != NULL)
        MHD_add_response_header(resp, "ETag", etag);
    return queue(rq, status, resp, 0, flags);
}
