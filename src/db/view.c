/**
 * @file view.c
 * @brief A request's view of the database: its first statement goes to a pipeline.
 *
 * See "pipelines and request views" in db.h. The view records the statement and a
 * copy of its parameters (the caller's buffers are gone by the time a pipeline sends
 * them), the pipeline fills in the answer, and the request's second run takes it.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct pw_db *
pw_db_view_new(void (*ready)(void *cls), void *cls, int replica_ok)
{
    struct pw_db *view;

    if (!pw_db_pipelines_enabled())
        return NULL;
    view = calloc(1, sizeof *view);
    if (view == NULL)
        return NULL;
    view->base = pw_db_thread();
    view->ready = ready;
    view->ready_cls = cls;
    view->replica_ok = replica_ok;
    return view;
}

void
pw_db_view_free(struct pw_db *view)
{
    if (view == NULL)
        return;
    PQclear(view->result);
    free(view->param_buf);
    free(view);
}

int
pw_db_view_pending(const struct pw_db *view)
{
    return view != NULL && view->defer == PW_DEFER_RECORDED;
}

void
pw_db_view_submit(struct pw_db *view)
{
    view->defer = PW_DEFER_SUBMITTED;
    pw_pipeline_submit(view);
}

int
pw_db_view_answered(const struct pw_db *view)
{
    return view != NULL && view->defer == PW_DEFER_DONE;
}

/** Keep @a stmt and a copy of its parameters. @return 0, or -1 (no memory). */
static int
record(struct pw_db *view, struct pw_stmt *stmt, const char *const *params, int retry_lost)
{
    size_t total = 0;
    char *p;

    for (int i = 0; i < stmt->nparams; i++)
        total += params[i] != NULL ? strlen(params[i]) + 1 : 0;
    view->param_buf = malloc(total > 0 ? total : 1);
    if (view->param_buf == NULL)
        return -1;
    p = view->param_buf;
    for (int i = 0; i < stmt->nparams; i++) {
        if (params[i] == NULL) {
            view->params[i] = NULL;
            continue;
        }
        size_t n = strlen(params[i]) + 1;

        memcpy(p, params[i], n);
        view->params[i] = p;
        p += n;
    }
    view->stmt = stmt;
    view->retry_lost = retry_lost;
    view->defer = PW_DEFER_RECORDED;
    return 0;
}

enum pw_db_status
pw_db_view_exec(struct pw_db *view,
                struct pw_stmt *stmt,
                const char *const *params,
                PGresult **res,
                int retry_lost)
{
    enum pw_db_status st;

    *res = NULL;
    switch (view->defer) {
    case PW_DEFER_NONE:
        if (!view->base->in_tx && stmt->nparams <= PW_DB_DEFER_MAX_PARAMS &&
            record(view, stmt, params, retry_lost) == 0)
            return PW_DB_PENDING;
        view->defer = PW_DEFER_USED;
        break;
    case PW_DEFER_RECORDED:
    case PW_DEFER_SUBMITTED:
        return PW_DB_PENDING; /* the handler went on after PW_DB_PENDING: it stops here */
    case PW_DEFER_DONE:
        view->defer = PW_DEFER_USED;
        if (stmt != view->stmt)
            break; /* not the statement it deferred: run this one as usual */
        st = view->status;
        if (st == PW_DB_OK) {
            *res = view->result;
            view->result = NULL;
        }
        return st;
    case PW_DEFER_USED:
        break;
    }
    st = retry_lost ? pw_db_read(view->base, stmt, params, res)
                    : pw_db_exec(view->base, stmt, params, res);
    if (st != PW_DB_OK)
        view->err = view->base->err;
    return st;
}
