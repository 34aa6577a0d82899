/**
 * @file db.h
 * @brief PostgreSQL access: connections per event-loop thread, prepared statements.
 *
 * Each thread that touches the database owns one libpq connection
 * (opened lazily, kept for the life of the process). A statement is
 * prepared on a connection the first time it runs there and again after a
 * reconnect or when the server says it is gone (26000, e.g. PgBouncer in
 * transaction mode). A broken connection is re-opened transparently; while
 * PostgreSQL is unreachable every call answers PW_DB_UNAVAILABLE quickly.
 *
 * This layer knows nothing about HTTP: it reports an enum pw_db_status,
 * which only src/http/reply.c turns into a status code.
 */
#ifndef PATHWAYS_DB_H
#define PATHWAYS_DB_H

#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <libpq-fe.h>

enum pw_db_status {
    PW_DB_OK = 0,
    PW_DB_NOT_FOUND,   /**< the addressed row (or its parent) does not exist */
    PW_DB_STALE,       /**< If-Match version did not match */
    PW_DB_CONFLICT,    /**< 23505 unique_violation */
    PW_DB_INVALID,     /**< 23503, 23514, 22xxx, or our own PW422: the input */
    PW_DB_UNAVAILABLE, /**< no connection, or retries exhausted (40001/40P01) */
    PW_DB_FAILED,      /**< anything else: a bug, logged, never shown */
    PW_DB_PENDING,     /**< deferred to a pipeline (request views only): stop, the
                            request runs again when the answer is in */
};

/**
 * A statement: name unique in the program, parameterised SQL. The slot is
 * assigned on first use and indexes each connection's "prepared" flags.
 */
struct pw_stmt {
    const char *name;
    const char *sql;
    int nparams;
    int slot; /**< 0 until first use; written once under a lock */
};

/**
 * Put the static statement @a var in the program's statement registry, so
 * that tools can look it up by name (pw_db_stmt_find(), `pathways sql`,
 * bench/run). Write it right below the statement's definition. The registry
 * is a linker section of pointers: nothing runs at start-up.
 */
#define PW_DB_STMT_EXPORT(var)                                                                     \
    static struct pw_stmt *const pw_stmt_export_##var                                              \
        __attribute__((used, section("pw_stmts"), aligned(sizeof(void *)))) = &(var)

/** The static statement called @a name (see PW_DB_STMT_EXPORT), or NULL. */
const struct pw_stmt *pw_db_stmt_find(const char *name);

/** Call @a fn for every exported static statement. */
void pw_db_stmt_each(void (*fn)(const struct pw_stmt *stmt, void *cls), void *cls);

/** Most statements the program may have (generated ones included). */
#define PW_DB_MAX_STMTS 1024

/** What the last failed call on a connection reported (for logs and 422s). */
struct pw_db_error {
    char sqlstate[6];
    char message[256];   /**< shown to clients only for our own PW4xx errors */
    char field[64];      /**< HINT of our own PW4xx errors: the input field */
    char constraint[64]; /**< the violated constraint (23xxx), or "" */
};

/** What a violated constraint means to a client (src/repo/constraints.c). */
struct pw_constraint_info {
    const char *name;    /**< constraint name in the migrations */
    const char *field;   /**< request field it guards */
    const char *message; /**< e.g. "is already taken" */
};

/** Look up a constraint by name; NULL when it has no client-facing meaning. */
const struct pw_constraint_info *pw_db_constraint(const char *name);

struct pw_db;

/**
 * Set the connection string used by every connection and open none yet.
 * @a conninfo is a libpq URL or keyword string; it must outlive the pool.
 * Every statement is cancelled after @a statement_timeout_ms (0 = never),
 * unless the connection string sets its own `options`.
 */
void pw_db_configure(const char *conninfo, unsigned statement_timeout_ms);

/**
 * Send reads that need no fresh writes (see pw_db_view_new()) to @a read_conninfo,
 * a streaming replica (DATABASE_READ_URL; NULL or "" = no replica). When it cannot be
 * reached, the primary answers them. Call after pw_db_configure().
 */
void pw_db_configure_reads(const char *read_conninfo);

/** This thread's connection (created on first use; never NULL). */
struct pw_db *pw_db_thread(void);

/** Close every connection (at shutdown, after the event loops stopped). */
void pw_db_close_all(void);

/**
 * Run a prepared statement with text parameters (NULL = SQL NULL).
 * Retries 40001/40P01 and, when @a retry_lost is set (reads), a lost
 * connection. Not inside a transaction opened by pw_db_begin(): there it
 * never retries and the caller's transaction runner does.
 * @param[out] res  the result on PW_DB_OK (caller PQclear()s), else NULL
 */
enum pw_db_status
pw_db_exec(struct pw_db *db, struct pw_stmt *stmt, const char *const *params, PGresult **res);

/** Like pw_db_exec() for reads: a lost connection is retried once. */
enum pw_db_status
pw_db_read(struct pw_db *db, struct pw_stmt *stmt, const char *const *params, PGresult **res);

/** pw_db_read() of a statement that answers one row: no row is PW_DB_NOT_FOUND. */
enum pw_db_status
pw_db_read_row(struct pw_db *db, struct pw_stmt *stmt, const char *const *params, PGresult **res);

/** A unit of work run by pw_db_run_tx(); returns PW_DB_OK to commit. */
typedef enum pw_db_status (*pw_db_tx_fn)(struct pw_db *db, void *cls);

/**
 * Run @a fn inside BEGIN ... COMMIT, retrying the whole unit on
 * serialization failures and deadlocks (a few times, then
 * PW_DB_UNAVAILABLE). Anything but PW_DB_OK from @a fn rolls back.
 */
enum pw_db_status pw_db_run_tx(struct pw_db *db, pw_db_tx_fn fn, void *cls);

/** The error of the last failed call on @a db. */
const struct pw_db_error *pw_db_last_error(const struct pw_db *db);

/** Record our own input error (→ PW_DB_INVALID) for the reply to show. */
enum pw_db_status pw_db_invalid(struct pw_db *db, const char *field, const char *message);

/** Map a SQLSTATE to a status (the one place that knows them). */
enum pw_db_status pw_db_map_sqlstate(const char *sqlstate);

/** The raw libpq connection, for tools that need more (migrate); may be NULL. */
PGconn *pw_db_conn(struct pw_db *db);

/** Connections that are open now, and all the pool has (one per thread that ran a query). */
void pw_db_pool_stats(unsigned *open, unsigned *total);

/* ---- pipelines and request views ------------------------------------------------------
 *
 * A pipeline is a connection in libpq's pipeline mode owned by one event-loop thread
 * (src/http/loop.c): it carries the statements of all the thread's requests at once,
 * so that neither the thread nor PostgreSQL's backend sleeps and wakes once per
 * statement. A request reaches it through a view: the first statement run on a view
 * outside a transaction is not run but recorded, and answers PW_DB_PENDING; the caller
 * (the HTTP layer) then submits it, and when the pipeline has the answer it calls the
 * view's ready() and runs the request's handler again from the start, where the same
 * statement now returns that answer at once. Every other statement of the request runs
 * on the thread's own connection as before. So a handler that uses a view must do
 * nothing before its first statement that it cannot do twice, and must stop at
 * PW_DB_PENDING.
 */

/** Most pipeline connections per thread and database (PATHWAYS_DB_PIPELINES). */
#define PW_DB_PIPELINES_MAX 8

/**
 * Switch views on (PATHWAYS_DB_PIPELINE); off, pw_db_view_new() answers NULL. Each
 * thread opens up to @a per_thread pipeline connections per database, a new one
 * only when the open ones all have statements in flight.
 */
void pw_db_pipelines_enable(int on, unsigned per_thread);

/** True when they are on. */
int pw_db_pipelines_enabled(void);

/**
 * Send the statements this thread's requests queued (the loop, before it polls).
 * @return how many were answered at once (the database is unreachable): their
 *         requests must run before the loop waits
 */
unsigned pw_db_pipeline_flush(void);

/** Most sockets this thread's pipelines wait on (to the primary and to the replica). */
#define PW_DB_PIPELINE_FDS (2 * PW_DB_PIPELINES_MAX)

/** Fill @a fds with the sockets this thread's pipelines wait on. @return how many. */
unsigned pw_db_pipeline_fds(struct pollfd fds[PW_DB_PIPELINE_FDS]);

/**
 * Read the answers that are in and hand each to its view: @a fds are the @a n sockets
 * the last pw_db_pipeline_fds() of this thread filled, as poll() left them.
 */
void pw_db_pipeline_input(const struct pollfd *fds, unsigned n);

/** Close this thread's pipeline; statements still on it answer "unavailable". */
void pw_db_pipeline_close(void);

/**
 * A view for one request on this thread, calling @a ready(@a cls) (from
 * pw_db_pipeline_input() on this thread) when its deferred statement is answered;
 * NULL when pipelines are off (use pw_db_thread()) or out of memory. With
 * @a replica_ok, a read may be answered by the replica (pw_db_configure_reads()): for
 * requests that need not see their own or anyone's latest writes.
 */
struct pw_db *pw_db_view_new(void (*ready)(void *cls), void *cls, int replica_ok);

/** True when a statement was deferred and waits for pw_db_view_submit(). */
int pw_db_view_pending(const struct pw_db *view);

/** Queue the deferred statement on this thread's pipeline. */
void pw_db_view_submit(struct pw_db *view);

/** True when the deferred statement is answered and the request should run again. */
int pw_db_view_answered(const struct pw_db *view);

/** Free a view (never while its statement is on a pipeline); NULL is fine. */
void pw_db_view_free(struct pw_db *view);

/** Statements answered by pipelines (for /metrics). */
uint64_t pw_db_pipelined(void);

/** Number of (re)connections made and database errors seen (for /metrics). */
uint64_t pw_db_reconnects(void);
uint64_t pw_db_errors(void);

/**
 * A text value handed from the repository to the reply without a copy:
 * @a data points into @a owner (a PGresult), released with
 * pw_text_release() or by the reply that takes it.
 */
struct pw_text {
    const char *data;
    size_t len;
    PGresult *owner;
};

/** Take row @a row, column @a col of @a res (steals @a res). */
void pw_text_from_result(struct pw_text *t, PGresult *res, int row, int col);

/** Release what @a t owns; safe on a zeroed struct. */
void pw_text_release(struct pw_text *t);

#endif
