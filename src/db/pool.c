/**
 * @file pool.c
 * @brief One libpq connection per thread, prepared once, re-opened when lost.
 *
 * Connections are thread-local: a loop never waits for another loop's
 * connection. All of them are also on a list so shutdown can close them.
 * Statements get a slot number on first use; each connection keeps a flag
 * per slot saying whether that statement is prepared there.
 */
#include "internal.h"
#include "pathways/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/** Attempts for serialization failures and deadlocks. */
#define MAX_TX_ATTEMPTS 4

static const char *pool_conninfo = "";
static const char *pool_read_conninfo; /* DATABASE_READ_URL, or NULL */
/* "-c statement_timeout=N": no query holds a thread longer (57014 -> 503). */
static char pool_options[64] = "";
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pw_db *pool_all;
static _Thread_local struct pw_db *pool_mine;
static atomic_int slot_counter;
static atomic_uint_fast64_t stat_reconnects;
/* When a connection last opened: a connection backing off tries again at once after. */
static atomic_int_fast64_t last_open_ms;
static atomic_uint_fast64_t stat_errors;

int64_t
pw_db_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
pw_db_configure(const char *conninfo, unsigned statement_timeout_ms)
{
    pool_conninfo = conninfo;
    pool_read_conninfo = NULL;
    snprintf(pool_options, sizeof pool_options, "-c statement_timeout=%u", statement_timeout_ms);
}

struct pw_db *
pw_db_thread(void)
{
    if (pool_mine == NULL) {
        struct pw_db *db = calloc(1, sizeof *db);

        if (db != NULL)
            db->prepared = calloc(PW_DB_MAX_STMTS, 1);
        if (db == NULL || db->prepared == NULL)
            abort(); /* out of memory at startup: nothing sensible to do */
        pthread_mutex_lock(&pool_lock);
        db->next = pool_all;
        pool_all = db;
        pthread_mutex_unlock(&pool_lock);
        pool_mine = db;
    }
    return pool_mine;
}

static void
disconnect(struct pw_db *db)
{
    if (db->conn != NULL)
        PQfinish(db->conn);
    db->conn = NULL;
    atomic_store_explicit(&db->connected, 0, memory_order_relaxed);
    db->in_tx = 0;
    memset(db->prepared, 0, PW_DB_MAX_STMTS);
}

void
pw_db_close_all(void)
{
    pthread_mutex_lock(&pool_lock);
    while (pool_all != NULL) {
        struct pw_db *db = pool_all;

        pool_all = db->next;
        disconnect(db);
        free(db->prepared);
        free(db);
    }
    pthread_mutex_unlock(&pool_lock);
    pool_mine = NULL;
}

void
pw_db_set_error(struct pw_db_error *err,
                const char *sqlstate,
                const char *message,
                const char *field)
{
    err->constraint[0] = '\0';
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", sqlstate ? sqlstate : "");
    snprintf(err->message, sizeof err->message, "%s", message ? message : "");
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
}

void
pw_db_log_error(const struct pw_db_error *err, const char *what)
{
    char msg[300];

    atomic_fetch_add(&stat_errors, 1);
    pw_json_escape(msg, sizeof msg, err->message, strlen(err->message));
    pw_log(PW_LOG_ERROR, what, "\"sqlstate\":\"%s\",\"error\":%s", err->sqlstate, msg);
}

/** Server NOTICEs go to the JSON log (debug), never raw onto stderr. */
static void
on_notice(void *arg, const char *message)
{
    char quoted[512];

    (void) arg;
    pw_json_escape(quoted, sizeof quoted, message, strcspn(message, "\n"));
    pw_log(PW_LOG_DEBUG, "database notice", "\"notice\":%s", quoted);
}

void
pw_db_configure_reads(const char *read_conninfo)
{
    pool_read_conninfo = read_conninfo != NULL && read_conninfo[0] != '\0' ? read_conninfo : NULL;
}

const char *
pw_db_read_conninfo(void)
{
    return pool_read_conninfo;
}

PGconn *
pw_db_open(struct pw_db_error *err)
{
    return pw_db_open_to(pool_conninfo, err);
}

PGconn *
pw_db_open_to(const char *conninfo, struct pw_db_error *err)
{
    static const char *const keys[] = {
        "connect_timeout", "application_name", "options", "dbname", NULL
    };
    const char *values[] = { "3", "pathways", pool_options, conninfo, NULL };
    /* expand_dbname: the URL's own settings win over the defaults before it. */
    PGconn *conn = PQconnectdbParams(keys, values, 1);

    atomic_fetch_add(&stat_reconnects, 1);
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        pw_db_set_error(err, "08006", conn ? PQerrorMessage(conn) : "out of memory", NULL);
        pw_db_log_error(err, "database connection failed");
        if (conn != NULL)
            PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, on_notice, NULL);
    atomic_store_explicit(&last_open_ms, pw_db_now_ms(), memory_order_relaxed);
    return conn;
}

int
pw_db_backing_off(int64_t retry_after_ms)
{
    int64_t failed_at = retry_after_ms - PW_DB_RECONNECT_BACKOFF_MS;

    return pw_db_now_ms() < retry_after_ms &&
           atomic_load_explicit(&last_open_ms, memory_order_relaxed) < failed_at;
}

/** Make sure @a db has a live connection. @return 0, or -1 (unavailable). */
static int
ensure_connected(struct pw_db *db)
{
    if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
        return 0;
    disconnect(db);
    if (pw_db_backing_off(db->retry_after_ms))
        return -1;
    db->conn = pw_db_open(&db->err);
    if (db->conn == NULL) {
        db->retry_after_ms = pw_db_now_ms() + PW_DB_RECONNECT_BACKOFF_MS;
        return -1;
    }
    atomic_store_explicit(&db->connected, 1, memory_order_relaxed);
    return 0;
}

int
pw_db_stmt_slot(struct pw_stmt *stmt)
{
    int slot = __atomic_load_n(&stmt->slot, __ATOMIC_ACQUIRE);

    if (slot == 0) {
        pthread_mutex_lock(&pool_lock);
        slot = stmt->slot;
        if (slot == 0) {
            slot = atomic_fetch_add(&slot_counter, 1) + 1;
            if (slot >= PW_DB_MAX_STMTS)
                abort(); /* raise PW_DB_MAX_STMTS: a build-time constant */
            __atomic_store_n(&stmt->slot, slot, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&pool_lock);
    }
    return slot;
}

enum pw_db_status
pw_db_classify(PGconn *conn, PGresult *res, struct pw_db_error *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;

    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        pw_db_set_error(err, "08006", conn ? PQerrorMessage(conn) : "no connection", NULL);
        return PW_DB_UNAVAILABLE;
    }
    pw_db_set_error(err, state ? state : "XX000", msg ? msg : PQerrorMessage(conn), hint);
    const char *constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    snprintf(err->constraint, sizeof err->constraint, "%s", constraint ? constraint : "");
    return pw_db_map_sqlstate(err->sqlstate);
}

/** Classify a failed result on @a db; records the error. */
static enum pw_db_status
classify(struct pw_db *db, PGresult *res)
{
    return pw_db_classify(db->conn, res, &db->err);
}

/** One attempt: prepare if needed, execute. */
static enum pw_db_status
exec_once(struct pw_db *db, struct pw_stmt *stmt, const char *const *params, PGresult **out)
{
    int slot = pw_db_stmt_slot(stmt);
    PGresult *res;
    ExecStatusType rs;

    if (ensure_connected(db) != 0)
        return PW_DB_UNAVAILABLE;
    if (!db->prepared[slot]) {
        res = PQprepare(db->conn, stmt->name, stmt->sql, stmt->nparams, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            enum pw_db_status st = classify(db, res);

            PQclear(res);
            /* A statement that does not prepare is our bug, unless the link died. */
            return st == PW_DB_UNAVAILABLE ? st : PW_DB_FAILED;
        }
        PQclear(res);
        db->prepared[slot] = 1;
    }
    res = PQexecPrepared(db->conn, stmt->name, stmt->nparams, params, NULL, NULL, 0);
    rs = PQresultStatus(res);
    if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
        *out = res;
        return PW_DB_OK;
    }
    enum pw_db_status st = classify(db, res);
    PQclear(res);
    if (strcmp(db->err.sqlstate, "26000") == 0) {
        /* Prepared statement gone (a pooler gave us another backend). */
        memset(db->prepared, 0, PW_DB_MAX_STMTS);
    }
    return st;
}

int
pw_db_is_retryable(const struct pw_db_error *err)
{
    return strcmp(err->sqlstate, "40001") == 0 || strcmp(err->sqlstate, "40P01") == 0;
}

static enum pw_db_status
exec_retrying(struct pw_db *db,
              struct pw_stmt *stmt,
              const char *const *params,
              PGresult **res,
              int retry_lost)
{
    enum pw_db_status st = PW_DB_FAILED;

    *res = NULL;
    for (int attempt = 0; attempt < MAX_TX_ATTEMPTS; attempt++) {
        int was_connected = db->conn != NULL;

        st = exec_once(db, stmt, params, res);
        if (st == PW_DB_OK || db->in_tx)
            break;
        if (strcmp(db->err.sqlstate, "26000") == 0)
            continue;
        if (st == PW_DB_UNAVAILABLE && was_connected && retry_lost &&
            (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)) {
            /* The connection died under us (server restart): one fresh try. */
            disconnect(db);
            retry_lost = 0;
            continue;
        }
        if (!pw_db_is_retryable(&db->err))
            break;
    }
    if (st == PW_DB_FAILED)
        pw_db_log_error(&db->err, stmt->name);
    return st;
}

enum pw_db_status
pw_db_exec(struct pw_db *db, struct pw_stmt *stmt, const char *const *params, PGresult **res)
{
    if (db->base != NULL)
        return pw_db_view_exec(db, stmt, params, res, 0);
    return exec_retrying(db, stmt, params, res, 0);
}

enum pw_db_status
pw_db_read(struct pw_db *db, struct pw_stmt *stmt, const char *const *params, PGresult **res)
{
    if (db->base != NULL)
        return pw_db_view_exec(db, stmt, params, res, 1);
    return exec_retrying(db, stmt, params, res, 1);
}

enum pw_db_status
pw_db_read_row(struct pw_db *db, struct pw_stmt *stmt, const char *const *params, PGresult **res)
{
    enum pw_db_status st = pw_db_read(db, stmt, params, res);

    if (st == PW_DB_OK && PQntuples(*res) != 1) {
        PQclear(*res);
        *res = NULL;
        return PW_DB_NOT_FOUND;
    }
    return st;
}

/** Run a fixed command (BEGIN, COMMIT, ROLLBACK). */
static enum pw_db_status
simple(struct pw_db *db, const char *sql)
{
    PGresult *res = PQexec(db->conn, sql);
    enum pw_db_status st = PW_DB_OK;

    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        st = classify(db, res);
    PQclear(res);
    return st;
}

enum pw_db_status
pw_db_run_tx(struct pw_db *db, pw_db_tx_fn fn, void *cls)
{
    enum pw_db_status st = PW_DB_FAILED;

    if (db->base != NULL) {
        /* A request view: transactions run on the thread's connection, never deferred. */
        st = pw_db_run_tx(db->base, fn, cls);
        if (st != PW_DB_OK)
            db->err = db->base->err;
        return st;
    }
    for (int attempt = 0; attempt < MAX_TX_ATTEMPTS; attempt++) {
        if (ensure_connected(db) != 0)
            return PW_DB_UNAVAILABLE;
        st = simple(db, "BEGIN");
        if (st != PW_DB_OK)
            return st;
        db->in_tx = 1;
        st = fn(db, cls);
        if (st == PW_DB_OK)
            st = simple(db, "COMMIT");
        else if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK) {
            struct pw_db_error keep = db->err;

            simple(db, "ROLLBACK");
            db->err = keep;
        }
        db->in_tx = 0;
        if (st == PW_DB_OK || !pw_db_is_retryable(&db->err))
            break;
    }
    return st;
}

const struct pw_db_error *
pw_db_last_error(const struct pw_db *db)
{
    return &db->err;
}

enum pw_db_status
pw_db_invalid(struct pw_db *db, const char *field, const char *message)
{
    pw_db_set_error(&db->err, "PW422", message, field);
    return PW_DB_INVALID;
}

PGconn *
pw_db_conn(struct pw_db *db)
{
    if (db->base != NULL)
        db = db->base;
    if (ensure_connected(db) != 0)
        return NULL;
    return db->conn;
}

void
pw_db_pool_stats(unsigned *open, unsigned *total)
{
    unsigned pipe_open, pipe_total;

    *open = *total = 0;
    pthread_mutex_lock(&pool_lock);
    for (struct pw_db *db = pool_all; db != NULL; db = db->next) {
        (*total)++;
        if (atomic_load_explicit(&db->connected, memory_order_relaxed))
            (*open)++;
    }
    pthread_mutex_unlock(&pool_lock);
    pw_pipeline_stats(&pipe_open, &pipe_total);
    *open += pipe_open;
    *total += pipe_total;
}

uint64_t
pw_db_reconnects(void)
{
    return atomic_load(&stat_reconnects);
}

uint64_t
pw_db_errors(void)
{
    return atomic_load(&stat_errors);
}

void
pw_text_from_result(struct pw_text *t, PGresult *res, int row, int col)
{
    t->owner = res;
    t->data = PQgetvalue(res, row, col);
    t->len = (size_t) PQgetlength(res, row, col);
}

void
pw_text_release(struct pw_text *t)
{
    if (t->owner != NULL)
        PQclear(t->owner);
    memset(t, 0, sizeof *t);
}

/*
 * The registry section of PW_DB_STMT_EXPORT; the linker defines its bounds.
 * Weak, so that a program exporting nothing still links.
 */
extern struct pw_stmt *const __start_pw_stmts[] __attribute__((weak));
extern struct pw_stmt *const __stop_pw_stmts[] __attribute__((weak));

void
pw_db_stmt_each(void (*fn)(const struct pw_stmt *stmt, void *cls), void *cls)
{
    if (__start_pw_stmts == NULL)
        return;
    for (struct pw_stmt *const *p = __start_pw_stmts; p < __stop_pw_stmts; p++)
        fn(*p, cls);
}

const struct pw_stmt *
pw_db_stmt_find(const char *name)
{
    if (__start_pw_stmts == NULL)
        return NULL;
    for (struct pw_stmt *const *p = __start_pw_stmts; p < __stop_pw_stmts; p++)
        if (strcmp((*p)->name, name) == 0)
            return *p;
    return NULL;
}
