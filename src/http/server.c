/**
 * @file server.c
 * @brief libmicrohttpd wiring: request lifecycle, body intake, dispatch, access log.
 *
 * Lifecycle of a request (libmicrohttpd 0.9.75):
 *  1. on_uri(): allocate struct pw_request, note the start time.
 *  2. on_request() first call: only set up; replying now would make MHD
 *     close the connection (DESIGN.md rule 3) - except for a Content-Length
 *     beyond MAX_BODY_BYTES, where closing is exactly what we want.
 *  3. further calls with data: append up to MAX_BODY_BYTES, drop the rest.
 *  4. the call with *upload_data_size == 0: route, authenticate, check the
 *     body, call the handler, which queues exactly one reply - or, on a
 *     `.defer` route, stops at its first statement. That call returns without a
 *     reply, so MHD calls again on its next pass (wait_for_db(): see there why
 *     not at once); then the connection is suspended until the loop's pipeline
 *     has the answer, and the handler runs again from the start in the call
 *     that follows the resume (run_handler).
 *  5. on_completed(): one access-log line, free everything.
 */
#include "pathways/server.h"
#include "loop.h"
#include "workers.h"
#include "pathways/tls.h"
#include "pathways/cors.h"
#include "pathways/log.h"
#include "pathways/metrics.h"
#include "pathways/router.h"
#include "pathways/spec.h"

#include <errno.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SHUTDOWN_GRACE_MS 10000

struct pw_app pw_app;

static atomic_int in_flight;
/* PATHWAYS_MAX_CONNECTIONS is enforced here, not by MHD: at its own limit MHD stops
   accepting and the surplus waits unanswered in the kernel's backlog; refusing them at
   accept tells those clients at once. MHD's limit is set high enough never to bite first. */
static atomic_int open_connections;
static atomic_uint_fast64_t refused_connections;
static unsigned connection_limit;

int
pw_server_in_flight(void)
{
    return atomic_load(&in_flight);
}

int
pw_server_connections(void)
{
    return atomic_load(&open_connections);
}

uint64_t
pw_server_refused(void)
{
    return atomic_load(&refused_connections);
}

/** Accept policy: close a new connection at once when PATHWAYS_MAX_CONNECTIONS are open. */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void) cls;
    (void) addr;
    (void) addrlen;
    /* Event loops accept in parallel: the count may overshoot by threads - 1 at most. */
    if ((unsigned) atomic_load(&open_connections) >= connection_limit) {
        atomic_fetch_add(&refused_connections, 1);
        return MHD_NO;
    }
    return MHD_YES;
}

static void
on_connection(void *cls,
              struct MHD_Connection *conn,
              void **socket_ctx,
              enum MHD_ConnectionNotificationCode code)
{
    (void) cls;
    (void) conn;
    (void) socket_ctx;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&open_connections, 1);
    else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
        atomic_fetch_sub(&open_connections, 1);
}

static uint64_t
now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

const char *
pw_param(const struct pw_request *rq, unsigned i)
{
    return i < rq->nparams ? rq->params[i] : NULL;
}

const char *
pw_header(const struct pw_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

static int
isalnum_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/** Request ids: accepted from the client when sane, else made here. */
static void
set_request_id(struct pw_request *rq)
{
    static _Thread_local uint64_t state;
    const char *given = pw_header(rq, "X-Request-Id");

    if (given != NULL) {
        size_t n = strlen(given);
        size_t i = 0;

        while (i < n && (isalnum_ascii(given[i]) || given[i] == '-' || given[i] == '_' ||
                         given[i] == '.' || given[i] == ':'))
            i++;
        if (n > 0 && n <= PW_REQUEST_ID_MAX && i == n) {
            memcpy(rq->request_id, given, n + 1);
            return;
        }
    }
    if (state == 0)
        randombytes_buf(&state, sizeof state);
    /* xorshift64*: unique enough for correlation, no system call. */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    uint64_t id = state * 2685821657736338717ULL;
    for (int i = 15; i >= 0; i--, id >>= 4)
        rq->request_id[i] = "0123456789abcdef"[id & 15];
    rq->request_id[16] = '\0';
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct pw_request *rq = calloc(1, sizeof *rq);

    (void) cls;
    if (rq == NULL)
        return NULL;
    rq->start_us = now_us();
    rq->conn = conn;
    rq->route_index = PW_METRICS_UNMATCHED;
    rq->raw_uri = strdup(uri != NULL ? uri : "");
    atomic_fetch_add(&in_flight, 1);
    return rq;
}

/** One JSON access-log line (DESIGN.md rule 7). */
static void
log_request(const struct pw_request *rq)
{
    char line[1024];
    char when[40];
    char path[512];
    char method_q[40];
    const char *q = rq->raw_uri ? rq->raw_uri : "";
    const char *method = rq->method_name ? rq->method_name : "-";
    struct pw_line l = { line, line + sizeof line, 0 };

    /* Every request writes one: assembled piece by piece, without printf. */
    pw_log_time(when, sizeof when);
    PW_LINE_LIT(&l, "{\"time\":\"");
    pw_line_str(&l, when);
    PW_LINE_LIT(&l, "\",\"level\":\"info\",\"msg\":\"request\",\"request_id\":\"");
    pw_line_str(&l, rq->request_id);
    PW_LINE_LIT(&l, "\",\"method\":");
    /* Escaped: libmicrohttpd passes on whatever the request line said. */
    pw_line_put(&l, method_q, pw_json_escape(method_q, sizeof method_q, method, strlen(method)));
    PW_LINE_LIT(&l, ",\"path\":");
    pw_line_put(&l, path, pw_json_escape(path, sizeof path, q, strcspn(q, "?")));
    PW_LINE_LIT(&l, ",\"status\":");
    pw_line_uint(&l, rq->status);
    PW_LINE_LIT(&l, ",\"bytes\":");
    pw_line_uint(&l, rq->bytes);
    PW_LINE_LIT(&l, ",\"duration_us\":");
    pw_line_uint(&l, now_us() - rq->start_us);
    PW_LINE_LIT(&l, ",\"user_id\":");
    if (rq->claims.role != PW_ROLE_NONE && rq->claims.user_id > 0)
        pw_line_uint(&l, (unsigned long long) rq->claims.user_id);
    else
        PW_LINE_LIT(&l, "null");
    PW_LINE_LIT(&l, "}");
    if (!l.full)
        pw_log_access(line, (size_t) (l.p - line));
}

static void
on_completed(void *cls,
             struct MHD_Connection *conn,
             void **req_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct pw_request *rq = *req_cls;

    (void) cls;
    (void) conn;
    (void) toe;
    if (rq == NULL)
        return;
    if (rq->request_id[0] != '\0') {
        pw_metrics_observe(rq->route_index, rq->status, now_us() - rq->start_us);
        log_request(rq);
    }
    pw_query_free(&rq->query);
    pw_db_view_free(rq->view);
    if (rq->held != NULL)
        MHD_destroy_response(rq->held);
    json_decref(rq->json);
    free(rq->body);
    free(rq->raw_uri);
    free(rq);
    *req_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

/** Append body bytes; past the limit only count (the excess is never kept). */
static void
take_body(struct pw_request *rq, const char *data, size_t n)
{
    size_t max = pw_app.cfg->max_body_bytes;

    if (rq->body_too_large || rq->body_len + n > max) {
        rq->body_too_large = 1;
        return;
    }
    if (rq->body_len + n + 1 > rq->body_cap) {
        size_t cap = rq->body_cap ? rq->body_cap : 1024;
        char *nb;

        while (cap < rq->body_len + n + 1)
            cap *= 2;
        if (cap > max + 1)
            cap = max + 1;
        nb = realloc(rq->body, cap);
        if (nb == NULL) {
            rq->body_too_large = 1;
            return;
        }
        rq->body = nb;
        rq->body_cap = cap;
    }
    memcpy(rq->body + rq->body_len, data, n);
    rq->body_len += n;
    rq->body[rq->body_len] = '\0';
}

/** Content-Length beyond the limit: refuse before reading a byte of it. */
static int
declared_too_large(const struct pw_request *rq)
{
    const char *cl = pw_header(rq, "Content-Length");
    long long n;

    return cl != NULL && pw_parse_int(cl, 0, INT64_MAX, &n) == 0 &&
           (unsigned long long) n > pw_app.cfg->max_body_bytes;
}

static int
is_json_type(const char *ct)
{
    static const char want[] = "application/json";
    size_t n = sizeof want - 1;

    if (ct == NULL || strncasecmp(ct, want, n) != 0)
        return 0;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    if (*ct == '\0')
        return 1;
    if (*ct != ';')
        return 0;
    /* Parameters: only charset=utf-8 means anything; UTF-8 is all we take. */
    ct++;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return strncasecmp(ct, "charset=", 8) != 0 || strncasecmp(ct + 8, "utf-8", 5) == 0 ||
           strncasecmp(ct + 8, "\"utf-8\"", 7) == 0;
}

/** Authorization: Bearer <token>. @return 0 ok/absent, -1 after queuing a 401. */
static int
authenticate(struct pw_request *rq, enum MHD_Result *ret)
{
    const char *h = pw_header(rq, "Authorization");
    enum pw_jwt_status st;

    if (h == NULL)
        return 0;
    if (strncasecmp(h, "Bearer ", 7) != 0) {
        *ret = pw_reply_problem(
            rq, PW_PROBLEM_UNAUTHORIZED, "the Authorization header must be 'Bearer <token>'", NULL);
        return -1;
    }
    h += 7;
    while (*h == ' ')
        h++;
    st = pw_jwt_verify_memo((const unsigned char *) pw_app.cfg->jwt_secret,
                            pw_app.cfg->jwt_secret_len,
                            h,
                            strlen(h),
                            time(NULL),
                            &rq->claims);
    if (st != PW_JWT_OK) {
        memset(&rq->claims, 0, sizeof rq->claims);
        *ret = pw_reply_problem(rq,
                                PW_PROBLEM_UNAUTHORIZED,
                                st == PW_JWT_EXPIRED ? "the access token has expired"
                                                     : "the access token is not valid",
                                NULL);
        return -1;
    }
    return 0;
}

/** Parse the JSON body. @return 0, or -1 after queuing 400/413/415. */
static int
read_json_body(struct pw_request *rq, enum MHD_Result *ret)
{
    json_error_t err;

    if (!is_json_type(pw_header(rq, "Content-Type"))) {
        *ret = pw_reply_problem(
            rq, PW_PROBLEM_MEDIA_TYPE, "the request body must be application/json", NULL);
        return -1;
    }
    if (rq->body_len == 0) {
        *ret =
            pw_reply_problem(rq, PW_PROBLEM_BAD_REQUEST, "a JSON request body is required", NULL);
        return -1;
    }
    /* A NUL byte is never part of JSON text, but jansson's json_loadb() skips one that
     * directly follows a number: {"position":1\0} would load as {"position":1}. */
    const char *nul = memchr(rq->body, '\0', rq->body_len);
    if (nul != NULL) {
        char detail[96];
        int line = 1;
        const char *bol = rq->body;

        for (const char *p = rq->body; p < nul; p++)
            if (*p == '\n') {
                line++;
                bol = p + 1;
            }
        snprintf(detail,
                 sizeof detail,
                 "invalid JSON at line %d, column %d: NUL byte",
                 line,
                 (int) (nul - bol) + 1);
        *ret = pw_reply_problem(rq, PW_PROBLEM_MALFORMED_JSON, detail, NULL);
        return -1;
    }
    rq->json = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);
    if (rq->json == NULL) {
        char detail[256];

        snprintf(detail,
                 sizeof detail,
                 "invalid JSON at line %d, column %d: %s",
                 err.line,
                 err.column,
                 err.text);
        *ret = pw_reply_problem(rq, PW_PROBLEM_MALFORMED_JSON, detail, NULL);
        return -1;
    }
    return 0;
}

/** A pipeline answered the request's statement (on the pipeline's thread). */
static void
on_db_ready(void *cls)
{
    struct pw_request *rq = cls;

    MHD_resume_connection(rq->conn);
}

/**
 * Run the route's handler. When it stopped at a statement for the pipeline, no reply
 * is queued: MHD then calls on_request() again on its next pass, which goes to
 * wait_for_db().
 */
static enum MHD_Result
run_handler(struct pw_request *rq)
{
    enum MHD_Result ret = rq->route->handler(rq);

    return pw_db_view_pending(rq->view) ? MHD_YES : ret;
}

/**
 * Suspend the connection and send the request's statement; the handler runs again,
 * from the start, once the answer is in (see on_request()).
 *
 * Why a pass later than the handler: libmicrohttpd 0.9.75 keeps a suspended
 * connection's poll state as it was before the pass that suspended it, and reads
 * first after the resume when that state was "reading". In the pass that read the
 * request it was; a client that had half-closed (shutdown(SHUT_WR) after its request)
 * then made that read find the FIN, and MHD closed the connection, answer unsent. A
 * final call that queues no reply leaves the state at "blocked, call again", which
 * the resume keeps: no read, the answer goes out (check_pipeline's half-close test).
 */
static enum MHD_Result
wait_for_db(struct pw_request *rq)
{
    MHD_suspend_connection(rq->conn);
    pw_db_view_submit(rq->view);
    return MHD_YES;
}

/** Suspend the connection and run the handler on a worker (see wait_for_db() for when). */
static enum MHD_Result
hand_to_worker(struct pw_request *rq)
{
    MHD_suspend_connection(rq->conn);
    rq->loop = pw_loop_current();
    rq->work = PW_WORK_RUNNING;
    pw_workers_submit(rq);
    return MHD_YES;
}

/** Back from a worker (the loop resumed the connection): queue the reply it held. */
static enum MHD_Result
queue_held_reply(struct pw_request *rq)
{
    struct MHD_Response *resp = rq->held;
    enum MHD_Result ret = rq->worker_ret;

    rq->work = PW_WORK_NONE;
    rq->held = NULL;
    if (resp != NULL) {
        ret = MHD_queue_response(rq->conn, rq->status, resp);
        MHD_destroy_response(resp);
    }
    return ret;
}

static enum MHD_Result
dispatch(struct pw_request *rq)
{
    struct pw_match m;
    enum MHD_Result ret = MHD_YES;
    const char *qs = strchr(rq->raw_uri, '?');
    enum pw_query_status qst;

    set_request_id(rq);
    if (rq->method == 0)
        return pw_reply_method_not_allowed(rq, 0);
    qst = qs ? pw_query_parse(qs + 1, strlen(qs + 1), &rq->query) : PW_QUERY_OK;
    if (qst != PW_QUERY_OK)
        return pw_reply_problem(rq, PW_PROBLEM_BAD_REQUEST, pw_query_status_str(qst), NULL);
    int found = pw_router_match(pw_app.routes, rq->path, rq->method, &m);

    if (!found && m.allowed == 0)
        return pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, "no resource at this path", NULL);
    if (rq->method == PW_OPTIONS)
        return pw_reply_options(rq, m.allowed);
    if (!found)
        return pw_reply_method_not_allowed(rq, m.allowed);
    rq->route = m.route;
    rq->route_index = m.index;
    rq->nparams = m.nparams;
    memcpy(rq->param_buf, m.buf, sizeof rq->param_buf);
    for (unsigned i = 0; i < m.nparams; i++)
        rq->params[i] = rq->param_buf + (m.params[i] - m.buf);
    if (rq->body_too_large)
        return pw_reply_problem(rq, PW_PROBLEM_TOO_LARGE, "the request body is too large", NULL);
    if (authenticate(rq, &ret) != 0)
        return ret;
    if (rq->claims.role < m.route->min_role) {
        if (rq->claims.role == PW_ROLE_NONE)
            return pw_reply_problem(
                rq, PW_PROBLEM_UNAUTHORIZED, "a bearer token is required", NULL);
        return pw_reply_problem(rq, PW_PROBLEM_FORBIDDEN, "your role may not do this", NULL);
    }
    if (m.route->body == PW_BODY_JSON && read_json_body(rq, &ret) != 0)
        return ret;
    if (!m.route->fast && (!m.route->defer || !pw_db_pipelines_enabled())) {
        /* It may block (a transaction, a password hash): a worker runs it, the loop goes
           on. Handed over in MHD's next call, for the reason given at wait_for_db(). */
        rq->work = PW_WORK_PARKED;
        return MHD_YES;
    }
    rq->db = pw_db_thread();
    if (m.route->defer) {
        /* Anonymous reads may see a replica's data; a signed-in caller sees the primary's
           (an editor reads what they just wrote, a learner their own progress). */
        rq->view = pw_db_view_new(
            on_db_ready, rq, m.route->method == PW_GET && rq->claims.role == PW_ROLE_NONE);
        if (rq->view != NULL)
            rq->db = rq->view;
    }
    return run_handler(rq);
}

static enum MHD_Result
on_request(void *cls,
           struct MHD_Connection *conn,
           const char *url,
           const char *method,
           const char *version,
           const char *upload_data,
           size_t *upload_data_size,
           void **req_cls)
{
    struct pw_request *rq = *req_cls;

    (void) cls;
    (void) version;
    if (rq == NULL)
        return MHD_NO; /* on_uri could not allocate */
    if (rq->method_name == NULL) {
        /* First call: headers are in; do not reply yet (see file comment). */
        rq->conn = conn;
        rq->path = url;
        rq->method_name = method;
        rq->method = pw_method_parse(method);
        if (declared_too_large(rq)) {
            rq->dispatched = 1; /* this is the one reply; MHD closes the connection */
            set_request_id(rq);
            return pw_reply_problem(
                rq, PW_PROBLEM_TOO_LARGE, "the request body is too large", NULL);
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        take_body(rq, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->dispatched) {
        if (rq->work == PW_WORK_PARKED)
            return hand_to_worker(rq);
        if (rq->work == PW_WORK_DONE)
            return queue_held_reply(rq);
        if (pw_db_view_pending(rq->view))
            return wait_for_db(rq);
        return pw_db_view_answered(rq->view) ? run_handler(rq) : MHD_YES;
    }
    rq->dispatched = 1;
    return dispatch(rq);
}

/** One daemon for one event loop (external polling, epoll), on the shared socket. */
static struct MHD_Daemon *
start_daemon(const struct pw_config *cfg, const struct pw_tls *tls, int listen_fd)
{
    /* Suspend/resume: a request waiting on the pipeline holds no thread. */
    unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    /* HTTPS options only when TLS is on: MHD refuses them otherwise. */
    struct MHD_OptionItem tls_options[] = {
        { MHD_OPTION_HTTPS_MEM_KEY, 0, tls->key },
        { MHD_OPTION_HTTPS_MEM_CERT, 0, tls->cert },
        { MHD_OPTION_END, 0, NULL },
    };

    if (tls->cert != NULL)
        flags |= MHD_USE_TLS;
    else
        tls_options[0].option = MHD_OPTION_END;
    return MHD_start_daemon(flags,
                            0,
                            on_accept,
                            NULL,
                            on_request,
                            NULL,
                            MHD_OPTION_LISTEN_SOCKET,
                            (MHD_socket) listen_fd,
                            /* Each loop may take them all, plus room to refuse. */
                            MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned int) cfg->connection_limit + 16,
                            MHD_OPTION_NOTIFY_CONNECTION,
                            on_connection,
                            NULL,
                            MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned int) cfg->connection_timeout,
                            MHD_OPTION_URI_LOG_CALLBACK,
                            on_uri,
                            NULL,
                            MHD_OPTION_NOTIFY_COMPLETED,
                            on_completed,
                            NULL,
                            MHD_OPTION_ARRAY,
                            tls_options,
                            MHD_OPTION_END);
}

/** A daemon per event loop, all on @a listen_fd. @return the loops, or NULL (logged). */
static struct pw_loops *
start_loops(const struct pw_config *cfg, const struct pw_tls *tls, int listen_fd)
{
    struct MHD_Daemon **daemons = calloc(cfg->threads, sizeof *daemons);
    struct pw_loops *loops = NULL;
    unsigned n = 0;

    while (daemons != NULL && n < cfg->threads &&
           (daemons[n] = start_daemon(cfg, tls, listen_fd)) != NULL)
        n++;
    if (daemons != NULL && n == cfg->threads)
        loops = pw_loops_start(daemons, n, cfg->loop_nice);
    else
        for (unsigned i = 0; i < n; i++) {
            (void) MHD_quiesce_daemon(daemons[i]); /* the socket is not theirs to close */
            MHD_stop_daemon(daemons[i]);
        }
    free(daemons);
    return loops;
}

static void
wait_in_flight(void)
{
    for (int waited = 0; waited < SHUTDOWN_GRACE_MS; waited += 10) {
        if (atomic_load(&in_flight) == 0)
            return;
        usleep(10 * 1000);
    }
    pw_log(PW_LOG_WARN, "shutdown grace period over with requests in flight", NULL);
}

int
pw_server_run(const struct pw_config *cfg, const struct pw_route *routes)
{
    struct pw_loops *loops;
    struct pw_tls tls = { 0 };
    sigset_t stop;
    int sig = 0;
    int listen_fd;
    unsigned short port = 0;

    pw_app.cfg = cfg;
    pw_app.routes = routes;
    pw_cursor_key_derive(&pw_app.cursor_key, cfg->jwt_secret, cfg->jwt_secret_len);
    /* Signals are taken by sigwait() here, never by an event-loop thread. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (pw_cors_init(cfg->cors_origins) != 0) {
        pw_log(
            PW_LOG_ERROR, "CORS_ORIGINS must be * or a comma list of scheme://host[:port]", NULL);
        return -1;
    }
    if (pw_reply_init() != 0 || pw_metrics_init(routes) != 0 || pw_log_access_start() != 0)
        return -1;
    if (cfg->tls_cert != NULL) {
        char err[512];

        if (pw_tls_load(&tls, cfg->tls_cert, cfg->tls_key, err, sizeof err) != 0) {
            char quoted[600];

            pw_json_escape(quoted, sizeof quoted, err, strlen(err));
            pw_log(PW_LOG_ERROR, "cannot load the TLS certificate", "\"error\":%s", quoted);
            pw_log_access_stop();
            return -1;
        }
    }
    connection_limit = cfg->connection_limit;
    pw_db_pipelines_enable(cfg->db_pipeline, cfg->db_pipelines);
    if (pw_workers_start(cfg->workers) != 0) {
        pw_log(PW_LOG_ERROR, "could not start the worker threads", NULL);
        pw_tls_free(&tls);
        pw_log_access_stop();
        return -1;
    }
    listen_fd = pw_listen_open(cfg->listen_host, cfg->listen_port, &port);
    loops = listen_fd >= 0 ? start_loops(cfg, &tls, listen_fd) : NULL;
    if (loops == NULL) {
        pw_workers_stop();
        pw_log(PW_LOG_ERROR,
               "could not start the HTTP server",
               "\"listen\":\"%s:%u\"",
               cfg->listen_host,
               cfg->listen_port);
        if (listen_fd >= 0)
            close(listen_fd);
        pw_tls_free(&tls);
        pw_log_access_stop();
        return -1;
    }
    pw_log(PW_LOG_INFO,
           "listening",
           "\"host\":\"%s\",\"port\":%u,\"threads\":%u,\"db_pipeline\":%s,"
           "\"db_pipelines\":%u,\"workers\":%u,\"loop_nice\":%d,\"tls\":%s,\"version\":\"%s\"",
           cfg->listen_host,
           (unsigned) port,
           cfg->threads,
           cfg->db_pipeline ? "true" : "false",
           cfg->db_pipelines,
           cfg->workers,
           cfg->loop_nice,
           tls.cert != NULL ? "true" : "false",
           PW_VERSION);
    while (sigwait(&stop, &sig) != 0) {
    }
    pw_log(PW_LOG_INFO, "shutting down", "\"signal\":%d", sig);
    /* Stop accepting; connections already open finish what they started. Once no loop
       polls the listening socket, shutting it down refuses new clients at once (Linux
       resets the backlog) instead of leaving them queued until exit. */
    pw_loops_quiesce(loops);
    shutdown(listen_fd, SHUT_RDWR);
    wait_in_flight();
    /* Workers first: what they finish resumes connections on the loops. */
    pw_workers_stop();
    pw_loops_stop(loops);
    close(listen_fd);
    pw_tls_free(&tls);
    pw_db_close_all();
    pw_log(PW_LOG_INFO, "stopped", NULL);
    pw_log_access_stop();
    pw_reply_shutdown();
    pw_cors_free();
    pw_metrics_free();
    return 0;
}
