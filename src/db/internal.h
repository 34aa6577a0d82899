/**
 * @file internal.h
 * @brief What the connection pool (pool.c) and the pipelines (pipeline.c) share.
 *
 * Not part of the database API: repositories and the HTTP layer see only
 * include/pathways/db.h.
 */
#ifndef PATHWAYS_DB_INTERNAL_H
#define PATHWAYS_DB_INTERNAL_H

#include "pathways/db.h"

#include <stdatomic.h>

/** Most parameters a deferred statement may have. */
#define PW_DB_DEFER_MAX_PARAMS 24

/** Where a request view's deferred statement is (see pw_db_view_new()). */
enum pw_defer_state {
    PW_DEFER_NONE,      /**< nothing deferred yet: the next statement may be */
    PW_DEFER_RECORDED,  /**< a statement is recorded, waiting for pw_db_view_submit() */
    PW_DEFER_SUBMITTED, /**< on a pipeline */
    PW_DEFER_DONE,      /**< answered: the next call of the same statement takes it */
    PW_DEFER_USED,      /**< taken: every later statement runs on the thread's connection */
};

/**
 * A connection (the pool's, one per thread) or a request view. A view owns no
 * connection: its first read is deferred to a pipeline, anything else runs on
 * @a base, the thread's connection.
 */
struct pw_db {
    PGconn *conn;
    atomic_int connected;    /**< mirrors conn != NULL for other threads (metrics) */
    unsigned char *prepared; /**< PW_DB_MAX_STMTS flags; NULL in a view */
    int64_t retry_after_ms;  /**< monotonic ms before which we don't reconnect */
    int in_tx;
    struct pw_db_error err;
    struct pw_db *next; /**< on the all-connections list */

    /* Request views only. */
    struct pw_db *base;
    enum pw_defer_state defer;
    struct pw_stmt *stmt;
    const char *params[PW_DB_DEFER_MAX_PARAMS]; /**< into param_buf; NULL = SQL NULL */
    char *param_buf;
    int retry_lost; /**< a read: may run again after a lost connection */
    int replica_ok; /**< may be answered by DATABASE_READ_URL (a read needing no fresh writes) */
    int attempts;
    PGresult *result;
    enum pw_db_status status;
    void (*ready)(void *cls); /**< called (on the pipeline's thread) when answered */
    void *ready_cls;
    struct pw_db *queue_next; /**< on a pipeline's queue */
};

/** After a failed connect, answer "unavailable" without retrying for this long. */
#define PW_DB_RECONNECT_BACKOFF_MS 500

/**
 * True while a connection whose connect failed should not try again: until
 * @a retry_after_ms, unless another connection has opened since the failure.
 */
int pw_db_backing_off(int64_t retry_after_ms);

/** Monotonic milliseconds. */
int64_t pw_db_now_ms(void);

/**
 * Open a connection to DATABASE_URL with the pool's settings (statement timeout,
 * application name, notice processor). NULL on failure, with @a err filled and logged.
 */
PGconn *pw_db_open(struct pw_db_error *err);

/** The same, to @a conninfo (DATABASE_READ_URL). */
PGconn *pw_db_open_to(const char *conninfo, struct pw_db_error *err);

/** DATABASE_READ_URL (pw_db_configure_reads()), or NULL. */
const char *pw_db_read_conninfo(void);

/** The statement's slot in the prepared flags (assigned on first use). */
int pw_db_stmt_slot(struct pw_stmt *stmt);

/** Fill @a err from a failed result (or the connection) and classify it. */
enum pw_db_status pw_db_classify(PGconn *conn, PGresult *res, struct pw_db_error *err);

/** Fill @a err (no constraint); NULL strings are empty. */
void pw_db_set_error(struct pw_db_error *err,
                     const char *sqlstate,
                     const char *message,
                     const char *field);

/** Record and log a failure the client only sees as a 500 or a 503. */
void pw_db_log_error(const struct pw_db_error *err, const char *what);

/** Serialization failure or deadlock: the statement may simply run again. */
int pw_db_is_retryable(const struct pw_db_error *err);

/**
 * A statement on a request view (view.c): deferred when it is the first, the
 * answer when it is the deferred one run again, else run on the thread's
 * connection.
 */
enum pw_db_status pw_db_view_exec(struct pw_db *view,
                                  struct pw_stmt *stmt,
                                  const char *const *params,
                                  PGresult **res,
                                  int retry_lost);

/* ---- pipelines (pipeline.c) ---------------------------------------------- */

/** Queue a recorded view on this thread's pipeline; its ready() is called when answered. */
void pw_pipeline_submit(struct pw_db *view);

/** Open and pipeline connections, for /metrics (added to the pool's figures). */
void pw_pipeline_stats(unsigned *open, unsigned *total);

#endif
