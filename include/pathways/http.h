/**
 * @file http.h
 * @brief The HTTP layer seen by handlers: the request, the route table, replies.
 *
 * libmicrohttpd wiring lives in src/http/server.c; handlers get a fully
 * received, routed, authenticated and (for JSON routes) parsed request and
 * answer through the pw_reply_* functions, the only code that queues
 * responses (so common headers are added in one place).
 */
#ifndef PATHWAYS_HTTP_H
#define PATHWAYS_HTTP_H

#include <microhttpd.h>
#include <jansson.h>
#include <stdint.h>

#include "pathways/db.h"
#include "pathways/jwt.h"
#include "pathways/query.h"

enum pw_method {
    PW_GET = 1 << 0,
    PW_POST = 1 << 1,
    PW_PUT = 1 << 2,
    PW_PATCH = 1 << 3,
    PW_DELETE = 1 << 4,
    PW_HEAD = 1 << 5,
    PW_OPTIONS = 1 << 6,
};

enum pw_body_kind {
    PW_BODY_NONE = 0, /**< a body is ignored */
    PW_BODY_JSON,     /**< application/json object required */
};

struct pw_request;
struct pw_resource;

/** A request whose handler may block runs on a worker thread: its stages. */
enum pw_work {
    PW_WORK_NONE,    /**< on its loop */
    PW_WORK_PARKED,  /**< to be handed to a worker in MHD's next call */
    PW_WORK_RUNNING, /**< a worker runs the handler; replies are held (rq->held) */
    PW_WORK_DONE,    /**< back on the loop: queue the held reply */
};
struct pw_loop;

typedef enum MHD_Result (*pw_handler_fn)(struct pw_request *rq);

/** One row of a route table (see src/handlers/routes.c). */
struct pw_route {
    enum pw_method method;
    const char *pattern; /**< "/v1/paths/{slug}/stages": {slug} and {id} are checked */
    pw_handler_fn handler;
    enum pw_role min_role; /**< PW_ROLE_NONE: public */
    enum pw_body_kind body;
    const struct pw_resource *resource; /**< for the generic CRUD handlers */
    /**
     * The handler's first statement may wait on a pipeline (see db.h): the handler
     * runs again from the start when the answer is in, so it must do nothing before
     * that statement it cannot do twice, and must pass PW_DB_PENDING to
     * pw_reply_db_error() like any other failure.
     */
    int defer;
    /** Answers from memory (health, metrics, the document): runs on the loop, not a worker. */
    int fast;
};

#define PW_MAX_PATH_PARAMS 4
#define PW_PARAM_BUF 160
#define PW_REQUEST_ID_MAX 64

/** A copy of the reply, taken for Idempotency-Key replays (see handlers/idempotency.c). */
struct pw_capture {
    unsigned status;
    char *body; /**< malloc'ed copy, owned by the capture */
    size_t len;
    char content_type[40];
    char location[192];
    char etag[40];
};

/** Everything about one request; lives from URI log to completion. */
struct pw_request {
    struct MHD_Connection *conn;
    enum pw_method method;
    const char *method_name; /**< as received, for the log */
    const char *path;        /**< decoded path (MHD's url argument) */
    char *raw_uri;           /**< as received, owned */
    char request_id[PW_REQUEST_ID_MAX + 1];
    uint64_t start_us;
    const struct pw_route *route;
    unsigned route_index;
    /** Path parameters in pattern order, e.g. {slug} then {id}; in param_buf. */
    char *params[PW_MAX_PATH_PARAMS];
    unsigned nparams;
    char param_buf[PW_PARAM_BUF];
    struct pw_query query;
    char *body;
    size_t body_len;
    size_t body_cap;
    int body_too_large;
    json_t *json;            /**< parsed body for PW_BODY_JSON routes, owned */
    struct pw_claims claims; /**< role PW_ROLE_NONE when anonymous */
    struct pw_db *db;
    struct pw_db *view;         /**< rq->db when the route defers (owned), else NULL */
    struct pw_capture *capture; /**< when set, JSON and problem replies are copied here */
    unsigned status;            /**< for the access log */
    size_t bytes;
    int dispatched;
    /* Blocking handlers run on a worker (src/http/workers.c). */
    enum pw_work work;              /**< where the handler runs */
    enum MHD_Result worker_ret;     /**< what the handler returned there */
    struct MHD_Response *held;      /**< its reply (status in rq->status), queued by the loop */
    struct pw_request *worker_next; /**< on the workers' queue */
    struct pw_loop *loop;           /**< the loop to give it back to when the worker is done */
};

/** A path parameter by position (0-based) in the pattern. */
const char *pw_param(const struct pw_request *rq, unsigned i);

/** Request header value or NULL. */
const char *pw_header(const struct pw_request *rq, const char *name);

/* ---- replies -------------------------------------------------------------- */

/** Problem types (RFC 9457); each has one status and title in reply.c. */
enum pw_problem {
    PW_PROBLEM_BAD_REQUEST,    /**< 400 */
    PW_PROBLEM_MALFORMED_JSON, /**< 400 */
    PW_PROBLEM_UNAUTHORIZED,   /**< 401 + WWW-Authenticate */
    PW_PROBLEM_FORBIDDEN,      /**< 403 */
    PW_PROBLEM_NOT_FOUND,      /**< 404 */
    PW_PROBLEM_METHOD,         /**< 405 + Allow */
    PW_PROBLEM_CONFLICT,       /**< 409 */
    PW_PROBLEM_PRECONDITION,   /**< 412 */
    PW_PROBLEM_TOO_LARGE,      /**< 413 */
    PW_PROBLEM_MEDIA_TYPE,     /**< 415 */
    PW_PROBLEM_VALIDATION,     /**< 422 */
    PW_PROBLEM_RATE_LIMITED,   /**< 429 + Retry-After */
    PW_PROBLEM_INTERNAL,       /**< 500 */
    PW_PROBLEM_UNAVAILABLE,    /**< 503 + Retry-After */
};

/** Flags for successful replies. */
enum pw_reply_flags {
    PW_CACHE_PUBLIC = 1 << 0,   /**< Cache-Control: public, max-age=60 */
    PW_CACHE_NO_STORE = 1 << 1, /**< Cache-Control: no-store */
    PW_PREFLIGHT = 1 << 2,      /**< (reply.c) CORS preflight headers already added */
};

/**
 * Queue a problem+json reply. @a detail may be NULL; @a errors (a JSON array
 * of {field, message}) is stolen and may be NULL.
 */
enum MHD_Result pw_reply_problem(struct pw_request *rq,
                                 enum pw_problem problem,
                                 const char *detail,
                                 json_t *errors);

/** 429 with `Retry-After: @a retry_after` (seconds, >= 1). */
enum MHD_Result pw_reply_rate_limited(struct pw_request *rq, unsigned retry_after);

/** 405 with Allow built from @a allowed (a mask of enum pw_method). */
enum MHD_Result pw_reply_method_not_allowed(struct pw_request *rq, unsigned allowed);

/** 204 answer to OPTIONS with Allow built from @a allowed. */
enum MHD_Result pw_reply_options(struct pw_request *rq, unsigned allowed);

/** Map a repository status to its problem reply (never for PW_DB_OK). */
enum MHD_Result pw_reply_db_error(struct pw_request *rq, enum pw_db_status st);

/**
 * Queue a JSON body taken from @a body (stolen: released when sent).
 * @param etag  a complete ETag value (W/"3") or NULL
 * @param location  a Location header value or NULL
 */
enum MHD_Result pw_reply_json(struct pw_request *rq,
                              unsigned status,
                              struct pw_text *body,
                              const char *etag,
                              const char *location,
                              unsigned flags);

/** Same, for a body built in C (copied). */
enum MHD_Result pw_reply_json_copy(
    struct pw_request *rq, unsigned status, const char *body, size_t len, unsigned flags);

/** Queue a response the caller built (headers it added stay); takes @a resp. */
enum MHD_Result pw_reply_response(
    struct pw_request *rq, unsigned status, struct MHD_Response *resp, size_t len, unsigned flags);

/** A JSON body that lives for the whole process (not copied), with an optional ETag. */
enum MHD_Result pw_reply_static(
    struct pw_request *rq, const char *body, size_t len, const char *etag, unsigned flags);

/** A malloc'ed body of any type (stolen: freed when sent). */
enum MHD_Result pw_reply_text_steal(struct pw_request *rq,
                                    unsigned status,
                                    const char *content_type,
                                    char *body,
                                    size_t len,
                                    unsigned flags);

/** Empty reply (204, 304) with an optional ETag. */
enum MHD_Result
pw_reply_empty(struct pw_request *rq, unsigned status, const char *etag, unsigned flags);

/** Build the constant replies once (call before serving). */
int pw_reply_init(void);
void pw_reply_shutdown(void);

/* ---- conditional requests ------------------------------------------------- */

/** Format a weak ETag for @a version into @a out (>= 24 bytes). */
void pw_etag_version(char *out, size_t cap, long long version);

/** Weak ETag from a hash of @a len bytes of @a data (lists). */
void pw_etag_hash(char *out, size_t cap, const char *data, size_t len);

/**
 * True when an If-None-Match value @a header (a comma-separated list of
 * tags, or `*`; NULL = absent) matches @a etag, by weak comparison.
 */
int pw_etag_list_matches(const char *header, const char *etag);

/** An If-Match value as a version: see pw_if_match_version(). */
long long pw_etag_version_of(const char *header);

/** True when If-None-Match matches @a etag (weak comparison, `*` matches). */
int pw_if_none_match(const struct pw_request *rq, const char *etag);

/**
 * If-Match as a version for SQL: -1 when absent or `*` (no check),
 * 0 when present but unparseable (never matches: a 412), else the version.
 */
long long pw_if_match_version(const struct pw_request *rq);

#endif
