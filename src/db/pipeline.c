/**
 * @file pipeline.c
 * @brief Each event-loop thread's connection in libpq's pipeline mode.
 *
 * Handlers queue request views on their thread's pipelines (pw_pipeline_submit);
 * the thread's loop sends them all at once (pw_db_pipeline_flush), polls the sockets
 * beside its HTTP work, and reads the answers in order (pw_db_pipeline_input),
 * calling each view's ready(). Under load a backend reads many statements per
 * wake-up and the loop delivers many answers per poll; nothing crosses threads.
 *
 * Syncs: the statements queued together share one Sync (one implicit transaction):
 * libpq 15 writes to the socket at every Sync, so this is one write and one backend
 * wake-up per batch instead of per statement (bench/RESULTS.md: p99 a third). In a
 * batch of reads each is answered as its result arrives; when one fails, the ones
 * after it come back "aborted", unrun, and are sent again. A batch with a write holds
 * every answer until its Sync: when a statement failed, the batch was rolled back, so
 * that one answers its error and every other is sent again (none of them happened).
 *
 * Failures keep the pool's behaviour: a read whose connection died runs once more on a
 * new one, serialization failures and deadlocks run again (a few times), a statement
 * the server forgot (26000) is prepared again, and while PostgreSQL is unreachable
 * every statement answers PW_DB_UNAVAILABLE at once (after one failed connect, for
 * PW_DB_RECONNECT_BACKOFF_MS).
 */
#include "internal.h"
#include "pathways/log.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/** Statements sent and not yet answered, per pipeline. */
#define IN_FLIGHT_MAX 256
/** Runs of one statement after serialization failures, deadlocks or 26000. */
#define MAX_ATTEMPTS 4

enum entry_kind {
    ENTRY_PREPARE, /**< a PREPARE and its Sync */
    ENTRY_EXEC,    /**< a statement; its batch's Sync comes after the last (ENTRY_SYNC) */
    ENTRY_SYNC,    /**< the Sync of a batch */
};

/** What was sent and is not answered yet: a PREPARE, a statement, or a batch's Sync. */
struct entry {
    enum entry_kind kind;
    int slot;                         /**< ENTRY_PREPARE: the statement's slot */
    struct pw_db *view;               /**< ENTRY_EXEC */
    PGresult *result;                 /**< the last result before the Sync */
    enum pw_db_status prepare_failed; /**< its PREPARE failed so: answer that (view->err) */
    int hold; /**< ENTRY_EXEC in a batch with writes: answered at the batch's Sync */
};

enum target { PRIMARY, REPLICA, TARGETS };

/** After a failed connect to the replica, its reads go to the primary this long. */
#define REPLICA_BACKOFF_MS 5000

struct pipeline {
    enum target target;
    PGconn *conn;
    unsigned char prepared[PW_DB_MAX_STMTS];
    struct pw_db *todo_head, *todo_tail; /**< submitted, not sent yet */
    unsigned todo_n;                     /**< how many */
    struct entry fifo[IN_FLIGHT_MAX];
    unsigned head, count;
    unsigned held; /**< entries from head on whose results are in, held until their Sync */
    int want_write;
    int64_t retry_after_ms;
    struct pw_db_error err;
};

static _Thread_local struct pipeline *mine[TARGETS][PW_DB_PIPELINES_MAX];
/** The pipeline of each socket pw_db_pipeline_fds() handed out, in its order. */
static _Thread_local struct pipeline *polled[PW_DB_PIPELINE_FDS];
static atomic_int enabled;
static atomic_uint per_loop = 1;
static atomic_uint pipes_total, pipes_open;
static atomic_uint_fast64_t stat_pipelined;

int
pw_db_pipelines_enabled(void)
{
    return atomic_load_explicit(&enabled, memory_order_relaxed);
}

void
pw_db_pipelines_enable(int on, unsigned per_thread)
{
    atomic_store(&enabled, on);
    atomic_store(&per_loop,
                 per_thread < 1                     ? 1
                 : per_thread > PW_DB_PIPELINES_MAX ? PW_DB_PIPELINES_MAX
                                                    : per_thread);
}

uint64_t
pw_db_pipelined(void)
{
    return atomic_load(&stat_pipelined);
}

void
pw_pipeline_stats(unsigned *open, unsigned *total)
{
    *open = atomic_load_explicit(&pipes_open, memory_order_relaxed);
    *total = atomic_load_explicit(&pipes_total, memory_order_relaxed);
}

/** Entry @a i of @a p's FIFO, counted from the oldest. */
static struct entry *
entry_at(struct pipeline *p, unsigned i)
{
    return &p->fifo[(p->head + i) % IN_FLIGHT_MAX];
}

/** Statements queued and in flight on @a p. */
static unsigned
load(const struct pipeline *p)
{
    return p->count + p->todo_n;
}

/**
 * The least busy of this thread's pipelines to @a target (statements queued and in
 * flight). A new one (connected on first use) only when every open one has work: an
 * idle server keeps one connection, a busy one spreads its statements over up to
 * PATHWAYS_DB_PIPELINES backends, so a heavy statement does not hold all the others.
 */
static struct pipeline *
least_busy(enum target target)
{
    unsigned n = atomic_load_explicit(&per_loop, memory_order_relaxed);
    struct pipeline *best = NULL;

    for (unsigned i = 0; i < n; i++) {
        struct pipeline *p = mine[target][i];

        if (p == NULL) {
            if (best != NULL && load(best) == 0)
                return best;
            p = mine[target][i] = calloc(1, sizeof *p);
            if (p == NULL)
                abort(); /* out of memory: nothing sensible to do */
            p->target = target;
            atomic_fetch_add(&pipes_total, 1);
            return p;
        }
        if (best == NULL || load(p) < load(best))
            best = p;
    }
    return best;
}

static void
append_todo(struct pipeline *p, struct pw_db *view)
{
    view->queue_next = NULL;
    if (p->todo_tail != NULL)
        p->todo_tail->queue_next = view;
    else
        p->todo_head = view;
    p->todo_tail = view;
    p->todo_n++;
}

/** Take the oldest queued view off @a p's queue. */
static struct pw_db *
take_todo(struct pipeline *p)
{
    struct pw_db *view = p->todo_head;

    p->todo_head = view->queue_next;
    if (p->todo_head == NULL)
        p->todo_tail = NULL;
    p->todo_n--;
    return view;
}

void
pw_pipeline_submit(struct pw_db *view)
{
    /* Only reads that need no fresh writes may see a replica's slightly older data. */
    int replica = view->replica_ok && view->retry_lost && pw_db_read_conninfo() != NULL;

    append_todo(least_busy(replica ? REPLICA : PRIMARY), view);
}

/** Answer @a view with @a st (its result and error already in place). */
static void
deliver(struct pw_db *view, enum pw_db_status st)
{
    view->status = st;
    view->defer = PW_DEFER_DONE;
    atomic_fetch_add_explicit(&stat_pipelined, 1, memory_order_relaxed);
    view->ready(view->ready_cls); /* the view is the caller's; it stays until freed there */
}

static void
fail(struct pw_db *view, const char *message)
{
    pw_db_set_error(&view->err, "08006", message, NULL);
    deliver(view, PW_DB_UNAVAILABLE);
}

/** @return how many views were answered */
static unsigned
fail_todo(struct pipeline *p, const char *message)
{
    unsigned n = 0;

    while (p->todo_head != NULL) {
        fail(take_todo(p), message);
        n++;
    }
    return n;
}

/**
 * The connection is gone: reads in flight run again on the next one (once), writes
 * are answered "unavailable" (whether they committed, nobody can say).
 */
static void
broken(struct pipeline *p)
{
    struct pw_db *retry_head = NULL, *retry_tail = NULL;
    unsigned retries = 0;

    for (unsigned i = 0; i < p->count; i++) {
        struct entry *e = entry_at(p, i);

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
            retries++;
        } else {
            fail(e->view, "the database connection was lost");
        }
    }
    p->head = p->count = p->held = 0;
    if (retry_head != NULL) { /* before anything newer */
        retry_tail->queue_next = p->todo_head;
        if (p->todo_head == NULL)
            p->todo_tail = retry_tail;
        p->todo_head = retry_head;
        p->todo_n += retries;
    }
    if (p->conn == NULL)
        return;
    pw_db_set_error(&p->err, "08006", PQerrorMessage(p->conn), NULL);
    pw_db_log_error(&p->err, "pipeline connection lost");
    PQfinish(p->conn);
    p->conn = NULL;
    p->want_write = 0;
    atomic_fetch_sub(&pipes_open, 1);
}

/** A live connection in pipeline mode, or -1 (answer everything "unavailable"). */
static int
ensure_connected(struct pipeline *p)
{
    if (p->conn != NULL)
        return 0;
    if (pw_db_backing_off(p->retry_after_ms))
        return -1;
    p->conn =
        p->target == REPLICA ? pw_db_open_to(pw_db_read_conninfo(), &p->err) : pw_db_open(&p->err);
    if (p->conn != NULL &&
        (PQsetnonblocking(p->conn, 1) != 0 || PQenterPipelineMode(p->conn) != 1)) {
        PQfinish(p->conn);
        p->conn = NULL;
    }
    if (p->conn == NULL) {
        p->retry_after_ms = pw_db_now_ms() + (p->target == REPLICA ? REPLICA_BACKOFF_MS
                                                                   : PW_DB_RECONNECT_BACKOFF_MS);
        return -1;
    }
    memset(p->prepared, 0, sizeof p->prepared);
    atomic_fetch_add(&pipes_open, 1);
    return 0;
}

static struct entry *
push_entry(struct pipeline *p, enum entry_kind kind)
{
    struct entry *e = entry_at(p, p->count);

    p->count++;
    memset(e, 0, sizeof *e);
    e->kind = kind;
    return e;
}

/**
 * End the open batch with its Sync. A batch with a write holds every answer until the
 * Sync says the batch committed. @return 0, or -1 when the connection broke.
 */
static int
close_batch(struct pipeline *p, unsigned *open, int writes)
{
    if (*open == 0)
        return 0;
    if (!PQpipelineSync(p->conn))
        return -1;
    for (unsigned i = 1; i <= *open; i++)
        entry_at(p, p->count - i)->hold = writes;
    *open = 0;
    push_entry(p, ENTRY_SYNC);
    return 0;
}

/** Send what fits. @return 0, or -1 when the connection broke. */
static int
send_todo(struct pipeline *p)
{
    unsigned open = 0; /* statements sent since the last Sync */
    int writes = 0;    /* ...and whether any of them writes */

    /* At most four entries a turn: a batch's Sync, a PREPARE, the statement, and room. */
    while (p->todo_head != NULL && p->count + 4 <= IN_FLIGHT_MAX) {
        struct pw_db *view = p->todo_head;
        struct pw_stmt *stmt = view->stmt;
        int slot = pw_db_stmt_slot(stmt);

        if (!p->prepared[slot]) {
            if (close_batch(p, &open, writes) != 0 ||
                !PQsendPrepare(p->conn, stmt->name, stmt->sql, stmt->nparams, NULL) ||
                !PQpipelineSync(p->conn))
                return -1;
            writes = 0;
            push_entry(p, ENTRY_PREPARE)->slot = slot;
            p->prepared[slot] = 1;
        }
        if (!PQsendQueryPrepared(p->conn, stmt->name, stmt->nparams, view->params, NULL, NULL, 0))
            return -1;
        open++;
        writes |= !view->retry_lost;
        (void) take_todo(p);
        view->attempts++;
        push_entry(p, ENTRY_EXEC)->view = view;
    }
    return close_batch(p, &open, writes);
}

/** @a view did not run (its batch was rolled back or aborted): send it again, uncounted. */
static void
send_again(struct pipeline *p, struct pw_db *view)
{
    view->attempts--;
    append_todo(p, view);
}

/** The Sync of the oldest entry arrived: answer it. */
static void
complete(struct pipeline *p, struct entry *e)
{
    PGresult *res = e->result;
    ExecStatusType rs = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;

    if (e->kind == ENTRY_PREPARE) {
        if (rs != PGRES_COMMAND_OK) {
            struct entry *next = entry_at(p, 0); /* the statement it was sent for */
            enum pw_db_status st = pw_db_classify(p->conn, res, &p->err);

            if (strcmp(p->err.sqlstate, "42P05") == 0) {
                /* Already prepared (a 26000 made us forget them all): it is there. */
                PQclear(res);
                return;
            }
            pw_db_log_error(&p->err, "pipeline prepare");
            p->prepared[e->slot] = 0;
            /* Its statement then fails as "does not exist": it answers with the
               PREPARE's own error instead (a timeout waiting on a lock is a 503). */
            if (p->count > 0 && next->kind == ENTRY_EXEC &&
                pw_db_stmt_slot(next->view->stmt) == e->slot) {
                next->prepare_failed = st != PW_DB_OK ? st : PW_DB_FAILED;
                next->view->err = p->err;
            }
        }
        PQclear(res);
        return;
    }
    struct pw_db *view = e->view;

    if (e->prepare_failed != PW_DB_OK) {
        PQclear(res);
        if (pw_db_is_retryable(&view->err) && view->attempts < MAX_ATTEMPTS)
            append_todo(p, view);
        else
            deliver(view, e->prepare_failed);
        return;
    }

    if (rs == PGRES_PIPELINE_ABORTED) {
        /* A statement before it in its batch failed, so it did not run. */
        PQclear(res);
        send_again(p, view);
        return;
    }
    if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
        view->result = res;
        deliver(view, PW_DB_OK);
        return;
    }
    enum pw_db_status st = pw_db_classify(p->conn, res, &view->err);

    PQclear(res);
    if (strcmp(view->err.sqlstate, "26000") == 0)
        memset(p->prepared, 0, sizeof p->prepared); /* a pooler gave us another backend */
    if ((strcmp(view->err.sqlstate, "26000") == 0 || pw_db_is_retryable(&view->err)) &&
        view->attempts < MAX_ATTEMPTS) {
        append_todo(p, view);
        return;
    }
    if (st == PW_DB_FAILED)
        pw_db_log_error(&view->err, view->stmt->name);
    deliver(view, st);
}

/** Take the oldest entry off the FIFO (it stays readable until the next push). */
static struct entry *
shift(struct pipeline *p)
{
    struct entry *e = entry_at(p, 0);

    p->head = (p->head + 1) % IN_FLIGHT_MAX;
    p->count--;
    return e;
}

/** Take the oldest entry off the FIFO and answer it. */
static void
pop(struct pipeline *p)
{
    struct entry *e = shift(p);

    if (e->kind != ENTRY_SYNC)
        complete(p, e);
}

static int
succeeded(const struct entry *e)
{
    ExecStatusType rs = PQresultStatus(e->result);

    return rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK;
}

/**
 * The Sync of a batch with writes arrived: answer its held entries. When one failed,
 * the batch was rolled back: that one has its error, the others did not happen and
 * are sent again.
 */
static void
release_held(struct pipeline *p)
{
    int failed = 0;

    for (unsigned i = 0; i < p->held; i++)
        failed |= !succeeded(entry_at(p, i));
    for (; p->held > 0; p->held--) {
        if (failed && succeeded(entry_at(p, 0))) {
            struct entry *e = shift(p);

            PQclear(e->result);
            send_again(p, e->view);
        } else {
            pop(p); /* its error, or "aborted": sent again by complete() */
        }
    }
}

/** Read every answer that is in. @return 0, or -1 when the connection broke. */
static int
read_results(struct pipeline *p)
{
    int nulls = 0;

    if (!PQconsumeInput(p->conn))
        return -1;
    while (p->count > p->held && !PQisBusy(p->conn)) {
        PGresult *res = PQgetResult(p->conn);
        struct entry *e = entry_at(p, p->held);

        if (res == NULL) {
            /* The end of one statement's results: answered now, or held for its Sync. */
            if (e->kind == ENTRY_EXEC && e->result != NULL) {
                nulls = 0;
                if (e->hold)
                    p->held++;
                else
                    pop(p);
                continue;
            }
            /* Twice in a row means nothing more is in. */
            if (++nulls > 1)
                break;
            continue;
        }
        nulls = 0;
        if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            if (e->kind == ENTRY_EXEC) /* cannot happen: each statement has its result */
                return -1;
            release_held(p);
            pop(p); /* a PREPARE's or a batch's Sync */
            continue;
        }
        PQclear(e->result); /* a statement has one result; keep the last if not */
        e->result = res;
    }
    return PQstatus(p->conn) == CONNECTION_OK ? 0 : -1;
}

/** Send and flush @a p's queue. @return how many views were answered at once. */
static unsigned
flush(struct pipeline *p)
{
    /* A connection that breaks meanwhile gets one replacement (reads run again on it). */
    for (int tries = 0; tries < 2; tries++) {
        if (p->todo_head != NULL) {
            if (ensure_connected(p) != 0)
                break;
            if (send_todo(p) != 0) {
                broken(p);
                continue;
            }
        }
        if (p->conn != NULL && (p->want_write || p->count > 0)) {
            int f = PQflush(p->conn);

            if (f < 0) {
                broken(p);
                continue;
            }
            p->want_write = f == 1;
        }
        break;
    }
    if (p->conn != NULL || p->todo_head == NULL)
        return 0;
    if (p->target == REPLICA) {
        /* The replica is out of reach: the primary answers its reads meanwhile. */
        while (p->todo_head != NULL)
            append_todo(least_busy(PRIMARY), take_todo(p));
        return 0;
    }
    return fail_todo(p, "the database is not reachable");
}

unsigned
pw_db_pipeline_flush(void)
{
    unsigned answered = 0;

    /* The replica first: what it cannot take goes to the primary. */
    for (int t = REPLICA; t >= PRIMARY; t--)
        for (unsigned i = 0; i < PW_DB_PIPELINES_MAX; i++)
            if (mine[t][i] != NULL)
                answered += flush(mine[t][i]);
    return answered;
}

unsigned
pw_db_pipeline_fds(struct pollfd fds[PW_DB_PIPELINE_FDS])
{
    unsigned n = 0;

    for (int t = 0; t < TARGETS; t++)
        for (unsigned i = 0; i < PW_DB_PIPELINES_MAX; i++) {
            struct pipeline *p = mine[t][i];

            if (p == NULL || p->conn == NULL)
                continue;
            fds[n].fd = PQsocket(p->conn);
            fds[n].events = (short) (POLLIN | (p->want_write ? POLLOUT : 0));
            fds[n].revents = 0;
            polled[n++] = p;
        }
    return n;
}

void
pw_db_pipeline_input(const struct pollfd *fds, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        struct pipeline *p = polled[i];

        if (fds[i].revents != 0 && p->conn != NULL && read_results(p) != 0)
            broken(p);
    }
}

static void
close_pipeline(struct pipeline *p)
{
    (void) fail_todo(p, "the server is stopping");
    for (unsigned i = 0; i < p->count; i++) {
        struct entry *e = entry_at(p, i);

        PQclear(e->result);
        if (e->kind == ENTRY_EXEC)
            fail(e->view, "the server is stopping");
    }
    if (p->conn != NULL) {
        PQfinish(p->conn);
        atomic_fetch_sub(&pipes_open, 1);
    }
    atomic_fetch_sub(&pipes_total, 1);
    free(p);
}

void
pw_db_pipeline_close(void)
{
    for (int t = 0; t < TARGETS; t++)
        for (unsigned i = 0; i < PW_DB_PIPELINES_MAX; i++) {
            if (mine[t][i] != NULL)
                close_pipeline(mine[t][i]);
            mine[t][i] = NULL;
        }
}
