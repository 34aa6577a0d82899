/**
 * @file crud_run.c
 * @brief Runs the generated statements of a table-driven repository.
 *
 * Writes are one transaction each: lock or insert, link rows, checks, then
 * the row read back with the same JSON expression reads use, so a write's
 * answer is exactly what a later GET returns.
 */
#include "pathways/repo.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum pw_db_status
pw_repo_get(struct pw_db *db,
            const struct pw_repo_table *t,
            const char *key,
            struct pw_text *body,
            long long *version)
{
    return pw_repo_get_as(db, t, key, NULL, body, version);
}

enum pw_db_status
pw_repo_get_as(struct pw_db *db,
               const struct pw_repo_table *t,
               const char *key,
               const char *scope,
               struct pw_text *body,
               long long *version)
{
    const char *params[] = { key, scope }; /* the statement takes the scope when t->visible */
    PGresult *res;
    enum pw_db_status st = pw_db_read_row(db, &t->gen->get, params, &res);

    if (st != PW_DB_OK)
        return st;
    *version = atoll(PQgetvalue(res, 0, 1));
    pw_text_from_result(body, res, 0, 0);
    return PW_DB_OK;
}

enum pw_db_status
pw_repo_list(struct pw_db *db,
             const struct pw_repo_table *t,
             const struct pw_list_args *a,
             struct pw_page *page)
{
    const char *params[5 + 16 + 1];
    char after_id[24], limit[12];
    unsigned n = 0;
    PGresult *res;
    enum pw_db_status st;

    if (t->nfilters > 16)
        return PW_DB_FAILED;
    snprintf(after_id, sizeof after_id, "%lld", (long long) a->after_id);
    snprintf(limit, sizeof limit, "%u", a->limit);
    params[n++] = a->after;
    params[n++] = a->after ? after_id : NULL;
    params[n++] = limit;
    params[n++] = a->want_total ? "true" : "false";
    if (t->parent_where != NULL)
        params[n++] = a->parent;
    for (unsigned i = 0; i < t->nfilters; i++)
        params[n++] = a->filters ? a->filters[i] : NULL;
    if (t->visible != NULL)
        params[n++] = a->scope;
    st = pw_db_read(db, &t->gen->list[2 * a->sort + (a->desc ? 1 : 0)], params, &res);
    if (st != PW_DB_OK)
        return st;
    page->has_more = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
    page->last_value = PQgetvalue(res, 0, 1);
    page->last_id = atoll(PQgetvalue(res, 0, 2));
    page->total = PQgetisnull(res, 0, 4) ? -1 : atoll(PQgetvalue(res, 0, 4));
    page->parent_found = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
    pw_text_from_result(&page->items, res, 0, 0);
    return PW_DB_OK;
}

/** Read the written row back. */
static enum pw_db_status
read_back(struct pw_db *db, const struct pw_repo_table *t, const char *id, struct pw_written *out)
{
    const char *params[] = { id };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &t->gen->get_by_id, params, &res);

    if (st != PW_DB_OK)
        return st;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return PW_DB_FAILED;
    }
    out->version = atoll(PQgetvalue(res, 0, 1));
    snprintf(out->key, sizeof out->key, "%s", PQgetvalue(res, 0, 2));
    pw_text_from_result(&out->body, res, 0, 0);
    return PW_DB_OK;
}

/** Run a statement that must succeed; its rows are not needed. */
static enum pw_db_status
run(struct pw_db *db, struct pw_stmt *st, const char *const *params)
{
    PGresult *res;
    enum pw_db_status s = pw_db_exec(db, st, params, &res);

    if (s == PW_DB_OK)
        PQclear(res);
    return s;
}

/** Replace the link rows of every link field present in @a body. */
static enum pw_db_status
write_links(struct pw_db *db, const struct pw_repo_table *t, const char *id, json_t *body)
{
    for (unsigned i = 0; i < t->gen->nlinks; i++) {
        const struct pw_link *l = &t->links[i];
        json_t *arr = json_object_get(body, l->field);
        char *items;
        PGresult *res;
        enum pw_db_status st;

        if (arr == NULL)
            continue;
        items = json_dumps(arr, JSON_COMPACT);
        if (items == NULL)
            return PW_DB_FAILED;
        const char *p1[] = { items };
        st = pw_db_exec(db, &t->gen->link_unknown[i], p1, &res);
        if (st == PW_DB_OK) {
            if (PQntuples(res) > 0) {
                char msg[200];

                snprintf(msg, sizeof msg, "unknown %s: %s", l->noun, PQgetvalue(res, 0, 0));
                st = pw_db_invalid(db, l->field, msg);
            }
            PQclear(res);
        }
        const char *p2[] = { id, items };
        if (st == PW_DB_OK)
            st = run(db, &t->gen->link_clear[i], p2);
        if (st == PW_DB_OK)
            st = run(db, &t->gen->link_insert[i], p2);
        free(items);
        if (st != PW_DB_OK)
            return st;
    }
    return PW_DB_OK;
}

/** Run the table's checks; the first row any returns is the input error. */
static enum pw_db_status
run_checks(struct pw_db *db, const struct pw_repo_table *t, const char *id, const char *json)
{
    const char *params[] = { id, json };

    for (unsigned i = 0; i < t->gen->nchecks; i++) {
        PGresult *res;
        enum pw_db_status st = pw_db_exec(db, &t->gen->checks[i], params, &res);

        if (st != PW_DB_OK)
            return st;
        if (PQntuples(res) > 0)
            st = pw_db_invalid(db, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
        PQclear(res);
        if (st != PW_DB_OK)
            return st;
    }
    return PW_DB_OK;
}

/** What a write transaction needs. */
struct write_ctx {
    const struct pw_repo_table *t;
    const char *key;
    const char *parent;
    const char *json;
    long long if_match;
    int is_delete;
    struct pw_written *out;
};

/** Links, checks, read back: the common tail of create and update. */
static enum pw_db_status
finish_write(struct pw_db *db, struct write_ctx *c, const char *id)
{
    json_t *body = json_loads(c->json, 0, NULL);
    enum pw_db_status st;

    pw_text_release(&c->out->body); /* from an attempt that was retried */
    if (body == NULL)
        return PW_DB_FAILED;
    st = write_links(db, c->t, id, body);
    json_decref(body);
    if (st == PW_DB_OK)
        st = run_checks(db, c->t, id, c->json);
    if (st == PW_DB_OK)
        st = read_back(db, c->t, id, c->out);
    return st;
}

static enum pw_db_status
create_tx(struct pw_db *db, void *cls)
{
    struct write_ctx *c = cls;
    const char *params[] = { c->json, c->parent };
    PGresult *res;
    char id[24];
    enum pw_db_status st = pw_db_exec(db, &c->t->gen->insert, params, &res);

    if (st != PW_DB_OK)
        return st;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return PW_DB_NOT_FOUND; /* the parent named in the path is gone */
    }
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return finish_write(db, c, id);
}

/** Lock the row and check If-Match. @param[out] id its id. */
static enum pw_db_status
lock_row(struct pw_db *db, struct write_ctx *c, char id[24])
{
    const char *params[] = { c->key };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &c->t->gen->lock, params, &res);

    if (st != PW_DB_OK)
        return st;
    if (PQntuples(res) != 1)
        st = PW_DB_NOT_FOUND;
    else if (c->if_match >= 0 && atoll(PQgetvalue(res, 0, 1)) != c->if_match)
        st = PW_DB_STALE;
    else
        snprintf(id, 24, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return st;
}

static enum pw_db_status
update_tx(struct pw_db *db, void *cls)
{
    struct write_ctx *c = cls;
    char id[24];
    enum pw_db_status st = lock_row(db, c, id);

    if (st != PW_DB_OK)
        return st;
    if (c->is_delete) {
        const char *params[] = { id };
        return run(db, &c->t->gen->del, params);
    }
    const char *params[] = { id, c->json };
    st = run(db, &c->t->gen->update, params);
    if (st != PW_DB_OK)
        return st;
    return finish_write(db, c, id);
}

enum pw_db_status
pw_repo_create(struct pw_db *db,
               const struct pw_repo_table *t,
               const char *json,
               const char *parent,
               struct pw_written *out)
{
    struct write_ctx c = { .t = t, .parent = parent, .json = json, .out = out };

    if (t->insert_sql == NULL)
        return PW_DB_FAILED; /* a list-only view: no route may create through it */
    return pw_db_run_tx(db, create_tx, &c);
}

enum pw_db_status
pw_repo_update(struct pw_db *db,
               const struct pw_repo_table *t,
               const char *key,
               long long if_match,
               const char *json,
               struct pw_written *out)
{
    struct write_ctx c = { .t = t, .key = key, .json = json, .if_match = if_match, .out = out };

    if (t->update_sql == NULL)
        return PW_DB_FAILED; /* a list-only view: no route may update through it */
    return pw_db_run_tx(db, update_tx, &c);
}

enum pw_db_status
pw_repo_delete(struct pw_db *db, const struct pw_repo_table *t, const char *key, long long if_match)
{
    struct write_ctx c = { .t = t, .key = key, .if_match = if_match, .is_delete = 1 };

    return pw_db_run_tx(db, update_tx, &c);
}
