/**
 * @file pipeline.c
 * @brief Connections in libpq's pipeline mode, each driven by its own thread.
 *
 * Workers hand request views to the least busy pipeline (a locked queue and an
 * eventfd). The pipeline's thread sends every queued statement at once, each followed
 * by a Sync so that it is its own implicit transaction and one failure aborts nothing
 * else, then reads the answers in order and calls each view's ready(). Under load a
 * backend reads many statements per wake-up and the thread delivers many answers per
 * poll: that is the point.
 *
 * Failures keep the pool's behaviour: a read whose connection died runs once more on a
 * new one, serialization failures and deadlocks run again (a few times), a statement
 * the server forgot (26000) is prepared again, and while PostgreSQL is unreachable
 * every statement answers PW_DB_UNAVAILABLE at once (after one failed connect, for
 * RECONNECT_BACKOFF_MS).
 */
#include "internal.h"
#include "pathways/log.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define RECONNECT_BACKOFF_MS 500
/** Statements sent and not yet answered, per pipeline. */
#define IN_FLIGHT_MAX 256
/** Runs of one statement after serialization failures, deadlocks or 26000. */
#define MAX_ATTEMPTS 4

enum entry_kind { ENTRY_PREPARE, ENTRY_EXEC };

/** A statement sent and not yet answered (with its Sync). */
struct entry {
    enum entry_kind kind;
    int slot;            /**< ENTRY_PREPARE: the statement's slot */
    struct pw_db *view;  /**< ENTRY_EXEC */
    PGresult *result;    /**< the last result before the Sync */
};

struct pipeline {
    pthread_t thread;
    int wake; /**< eventfd: new work, or stop */
    pthread_mutex_t lock;
    struct pw_db *queue_head, *queue_tail; /**< submitted, under lock */
    atomic_int depth;                      /**< submitted and not answered (load balancing) */
    atomic_int connected;

    /* The pipeline's thread only. */
    PGconn *conn;
    unsigned char prepared[PW_DB_MAX_STMTS];
    struct pw_db *todo_head, *todo_tail; /**< taken from the queue, not sent yet */
    struct entry fifo[IN_FLIGHT_MAX];
    unsigned head, count;
    int want_write;
    int64_t retry_after_ms;
    struct pw_db_error err;
};

static struct pipeline *pipes;
static unsigned npipes;
static atomic_int stopping;
static atomic_uint_fast64_t stat_pipelined;

int
pw_pipeline_enabled(void)
{
    return npipes > 0;
}

uint64_t
pw_db_pipelined(void)
{
    return atomic_load(&stat_pipelined);
}

void
pw_pipeline_stats(unsigned *open, unsigned *total)
{
    *open = 0;
    *total = npipes;
    for (unsigned i = 0; i < npipes; i++)
        *open += (unsigned) atomic_load_explicit(&pipes[i].connected, memory_order_relaxed);
}

static void
wake(struct pipeline *p)
{
    uint64_t one = 1;

    while (write(p->wake, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void
pw_pipeline_submit(struct pw_db *view)
{
    struct pipeline *p = &pipes[0];

    for (unsigned i = 1; i < npipes; i++)
        if (atomic_load_explicit(&pipes[i].depth, memory_order_relaxed) <
            atomic_load_explicit(&p->depth, memory_order_relaxed))
            p = &pipes[i];
    atomic_fetch_add_explicit(&p->depth, 1, memory_order_relaxed);
    view->queue_next = NULL;
    pthread_mutex_lock(&p->lock);
    int was_empty = p->queue_head == NULL;
    if (p->queue_tail != NULL)
        p->queue_tail->queue_next = view;
    else
        p->queue_head = view;
    p->queue_tail = view;
    pthread_mutex_unlock(&p->lock);
    /* One wake-up per batch: the thread takes the whole queue when it runs. */
    if (was_empty)
        wake(p);
}

/** Answer @a view with @a st (its result and error already in place). */
static void
deliver(struct pipeline *p, struct pw_db *view, enum pw_db_status st)
{
    view->status = st;
    view->defer = PW_DEFER_DONE;
    atomic_fetch_add_explicit(&stat_pipelined, 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&p->depth, 1, memory_order_relaxed);
    view->ready(view->ready_cls); /* may free nothing of ours: the view is the caller's */
}

static void
fail(struct pipeline *p, struct pw_db *view, const char *message)
{
    snprintf(view->err.sqlstate, sizeof view->err.sqlstate, "08006");
    snprintf(view->err.message, sizeof view->err.message, "%s", message);
    view->err.field[0] = view->err.constraint[0] = '\0';
    deliver(p, view, PW_DB_UNAVAILABLE);
}

static void
take_queue(struct pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    struct pw_db *head = p->queue_head, *tail = p->queue_tail;
    p->queue_head = p->queue_tail = NULL;
    pthread_mutex_unlock(&p->lock);
    if (head == NULL)
        return;
    if (p->todo_tail != NULL)
        p->todo_tail->queue_next = head;
    else
        p->todo_head = head;
    p->todo_tail = tail;
}

static void
fail_todo(struct pipeline *p, const char *message)
{
    while (p->todo_head != NULL) {
        struct pw_db *view = p->todo_head;

        p->todo_head = view->queue_next;
        fail(p, view, message);
    }
    p->todo_tail = NULL;
}

/**
 * The connection is gone: reads in flight run again on the next one (once), writes
 * are answered "unavailable" (whether they committed, nobody can say).
 */
static void
broken(struct pipeline *p)
{
    struct pw_db *retry_head = NULL, *retry_tail = NULL;

    for (unsigned i = 0; i < p->count; i++) {
        struct entry *e = &p->fifo[(p->head + i) % IN_FLIGHT_MAX];

        PQclear(e->result);
        if (e->kind != ENTRY_EXEC)
            continue;
        if (e->view->retry_lost && e->view->attempts < 2) {
            e->view->queue_next = NULL;
            if (retry_tail != NULL)
                retry_tail->queue_next = e->view;
            else
                retry_head = e->view;
            retry_tail = e->view;
        } else {
            fail(p, e->view, "the database connection was lost");
        }
    }
    p->head = p->count = 0;
    if (retry_head != NULL) { /* before anything newer */
        retry_tail->queue_next = p->todo_head;
        if (p->todo_head == NULL)
            p->todo_tail = retry_tail;
        p->todo_head = retry_head;
    }
    if (p->conn != NULL) {
        snprintf(p->err.message, sizeof p->err.message, "%s", PQerrorMessage(p->conn));
        snprintf(p->err.sqlstate, sizeof p->err.sqlstate, "08006");
        pw_db_log_error(&p->err, "pipeline connection lost");
        PQfinish(p->conn);
    }
    p->conn = NULL;
    p->want_write = 0;
    atomic_store_explicit(&p->connected, 0, memory_order_relaxed);
}

/** A live connection in pipeline mode, or -1 (answer everything "unavailable"). */
static int
ensure_connected(struct pipeline *p)
{
    if (p->conn != NULL)
        return 0;
    if (pw_db_now_ms() < p->retry_after_ms)
        return -1;
    p->conn = pw_db_open(&p->err);
    if (p->conn != NULL &&
        (PQsetnonblocking(p->conn, 1) != 0 || PQenterPipelineMode(p->conn) != 1)) {
        PQfinish(p->conn);
        p->conn = NULL;
    }
    if (p->conn == NULL) {
        p->retry_after_ms = pw_db_now_ms() + RECONNECT_BACKOFF_MS;
        return -1;
    }
    memset(p->prepared, 0, sizeof p->prepared);
    atomic_store_explicit(&p->connected, 1, memory_order_relaxed);
    return 0;
}

static struct entry *
push_entry(struct pipeline *p, enum entry_kind kind)
{
    struct entry *e = &p->fifo[(p->head + p->count) % IN_FLIGHT_MAX];

    p->count++;
    memset(e, 0, sizeof *e);
    e->kind = kind;
    return e;
}

/** Send what fits. @return 0, or -1 when the connection broke. */
static int
send_todo(struct pipeline *p)
{
    while (p->todo_head != NULL && p->count + 2 <= IN_FLIGHT_MAX) {
        struct pw_db *view = p->todo_head;
        struct pw_stmt *stmt = view->stmt;
        int slot = pw_db_stmt_slot(stmt);

        if (!p->prepared[slot]) {
            if (!PQsendPrepare(p->conn, stmt->name, stmt->sql, stmt->nparams, NULL) ||
                !PQpipelineSync(p->conn))
                return -1;
            push_entry(p, ENTRY_PREPARE)->slot = slot;
            p->prepared[slot] = 1;
        }
        if (!PQsendQueryPrepared(
                p->conn, stmt->name, stmt->nparams, view->params, NULL, NULL, 0) ||
            !PQpipelineSync(p->conn))
            return -1;
        p->todo_head = view->queue_next;
        if (p->todo_head == NULL)
            p->todo_tail = NULL;
        view->attempts++;
        push_entry(p, ENTRY_EXEC)->view = view;
    }
    return 0;
}

/** The Sync of the oldest entry arrived: answer it. */
static void
complete(struct pipeline *p, struct entry *e)
{
    PGresult *res = e->result;
    ExecStatusType rs = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;

    if (e->kind == ENTRY_PREPARE) {
        if (rs != PGRES_COMMAND_OK) {
            pw_db_classify(p->conn, res, &p->err);
            pw_db_log_error(&p->err, "pipeline prepare");
            p->prepared[e->slot] = 0;
        }
        PQclear(res);
        return;
    }
    struct pw_db *view = e->view;

    if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
        view->result = res;
        deliver(p, view, PW_DB_OK);
        return;
    }
    enum pw_db_status st;

    if (rs == PGRES_PIPELINE_ABORTED) { /* its PREPARE failed (and was logged) */
        snprintf(view->err.sqlstate, sizeof view->err.sqlstate, "XX000");
        snprintf(view->err.message, sizeof view->err.message, "statement not prepared");
        st = PW_DB_FAILED;
    } else {
        st = pw_db_classify(p->conn, res, &view->err);
    }
    PQclear(res);
    if (strcmp(view->err.sqlstate, "26000") == 0)
        memset(p->prepared, 0, sizeof p->prepared); /* a pooler gave us another backend */
    if ((strcmp(view->err.sqlstate, "26000") == 0 || pw_db_is_retryable(&view->err)) &&
        view->attempts < MAX_ATTEMPTS) {
        view->queue_next = NULL;
        if (p->todo_tail != NULL)
            p->todo_tail->queue_next = view;
        else
            p->todo_head = view;
        p->todo_tail = view;
        return;
    }
    if (st == PW_DB_FAILED)
        pw_db_log_error(&view->err, view->stmt->name);
    deliver(p, view, st);
}

/** Read every answer that is in. @return 0, or -1 when the connection broke. */
static int
read_results(struct pipeline *p)
{
    int nulls = 0;

    if (!PQconsumeInput(p->conn))
        return -1;
    while (p->count > 0 && !PQisBusy(p->conn)) {
        PGresult *res = PQgetResult(p->conn);
        struct entry *e = &p->fifo[p->head];

        if (res == NULL) {
            /* Between two statements' results; twice in a row means nothing more is in. */
            if (++nulls > 1)
                break;
            continue;
        }
        nulls = 0;
        if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            p->head = (p->head + 1) % IN_FLIGHT_MAX;
            p->count--;
            complete(p, e);
            continue;
        }
        PQclear(e->result); /* a statement has one result; keep the last if not */
        e->result = res;
    }
    return PQstatus(p->conn) == CONNECTION_OK ? 0 : -1;
}

static void *
run(void *arg)
{
    struct pipeline *p = arg;

    for (;;) {
        struct pollfd fds[2] = { { .fd = p->wake, .events = POLLIN }, { .fd = -1 } };
        uint64_t n;

        if (p->conn != NULL) {
            fds[1].fd = PQsocket(p->conn);
            fds[1].events = POLLIN | (p->want_write ? POLLOUT : 0);
        }
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if ((fds[0].revents & POLLIN) && read(p->wake, &n, sizeof n) < 0 && errno != EAGAIN)
            break;
        take_queue(p);
        if (atomic_load(&stopping) && p->todo_head == NULL && p->count == 0)
            break;
        if (p->conn != NULL && fds[1].revents != 0 && read_results(p) != 0)
            broken(p);
        /* Send and flush; a connection that breaks meanwhile gets one replacement. */
        for (int tries = 0; tries < 2; tries++) {
            if (p->todo_head != NULL) {
                if (ensure_connected(p) != 0)
                    break;
                if (send_todo(p) != 0) {
                    broken(p);
                    continue;
                }
            }
            if (p->conn != NULL) {
                int f = PQflush(p->conn);

                if (f < 0) {
                    broken(p);
                    continue;
                }
                p->want_write = f == 1;
            }
            break;
        }
        if (p->conn == NULL)
            fail_todo(p, "the database is not reachable");
    }
    if (p->conn != NULL)
        PQfinish(p->conn);
    p->conn = NULL;
    return NULL;
}

int
pw_db_pipelines_start(unsigned n)
{
    if (n == 0)
        return 0;
    pipes = calloc(n, sizeof *pipes);
    if (pipes == NULL)
        return -1;
    atomic_store(&stopping, 0);
    for (unsigned i = 0; i < n; i++) {
        struct pipeline *p = &pipes[i];

        pthread_mutex_init(&p->lock, NULL);
        p->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (p->wake < 0 || pthread_create(&p->thread, NULL, run, p) != 0) {
            if (p->wake >= 0)
                close(p->wake);
            npipes = i;
            pw_db_pipelines_stop();
            return -1;
        }
        npipes = i + 1;
    }
    return 0;
}

void
pw_db_pipelines_stop(void)
{
    atomic_store(&stopping, 1);
    for (unsigned i = 0; i < npipes; i++)
        wake(&pipes[i]);
    for (unsigned i = 0; i < npipes; i++) {
        pthread_join(pipes[i].thread, NULL);
        close(pipes[i].wake);
        pthread_mutex_destroy(&pipes[i].lock);
    }
    free(pipes);
    pipes = NULL;
    npipes = 0;
}
