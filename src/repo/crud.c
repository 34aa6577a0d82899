/**
 * @file crud.c
 * @brief Generates and runs the statements of a table-driven repository.
 *
 * The generated SQL is assembled once at start from the compile-time parts
 * of a struct pw_repo_table; nothing a client sends is ever spliced in.
 */
#include "pathways/repo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** printf into a new string; aborts on out-of-memory at start-up. */
static char *sql_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
sql_printf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || (s = malloc((size_t) n + 1)) == NULL)
        abort();
    va_start(ap, fmt);
    vsnprintf(s, (size_t) n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static void
stmt_set(struct pw_stmt *st, char *name, char *sql, int nparams)
{
    st->name = name;
    st->sql = sql;
    st->nparams = nparams;
    st->slot = 0;
}

/**
 * "table t", joined to the reader's scope bound as $@a scope_param when the
 * table has row visibility (see repo.h). The caller frees it.
 */
static char *
from_clause(const struct pw_repo_table *t, unsigned scope_param)
{
    if (t->visible == NULL)
        return sql_printf("%s t", t->table);
    return sql_printf("%s t CROSS JOIN (SELECT $%u::text AS scope) reader", t->table, scope_param);
}

static void
gen_list(const struct pw_repo_table *t, struct pw_repo_gen *g)
{
    unsigned first_filter = t->parent_where ? 6 : 5;
    unsigned scope_param = first_filter + t->nfilters;
    int nparams = (int) (scope_param - 1 + (t->visible ? 1 : 0));
    const char *parent = t->parent_where ? t->parent_where : "true";
    const char *filters = t->filters ? t->filters : "true";
    const char *exists = t->parent_exists ? t->parent_exists : "true";
    const char *visible = t->visible ? t->visible : "true";
    char *from = from_clause(t, scope_param);

    g->list = calloc(2 * g->nsorts, sizeof *g->list);
    if (g->list == NULL)
        abort();
    for (unsigned i = 0; i < g->nsorts; i++) {
        const struct pw_sort *s = &t->sorts[i];

        for (int desc = 0; desc < 2; desc++) {
            const char *dir = desc ? "DESC" : "ASC";
            const char *cmp = desc ? "<" : ">";

            /* Keyset pagination: (sort value, id) strictly after the cursor. */
            stmt_set(
                &g->list[2 * i + desc],
                sql_printf("%s_list_%s_%s", t->name, s->name, desc ? "desc" : "asc"),
                sql_printf("WITH page AS ("
                           " SELECT row_number() OVER (ORDER BY %s %s, t.id %s) AS n,"
                           " %s AS j, (%s)::text AS k, t.id AS id"
                           " FROM %s"
                           " WHERE (%s) AND (%s) AND (%s)"
                           " AND ($1::text IS NULL OR (%s, t.id) %s ($1::%s, $2::bigint))"
                           " ORDER BY %s %s, t.id %s LIMIT $3::int + 1)"
                           " SELECT coalesce(json_agg(j ORDER BY n) FILTER (WHERE n <= $3::int),"
                           " '[]')::text,"
                           " max(k) FILTER (WHERE n = $3::int),"
                           " max(id) FILTER (WHERE n = $3::int),"
                           " count(*) > $3::int,"
                           " CASE WHEN $4::bool THEN (SELECT count(*) FROM %s"
                           " WHERE (%s) AND (%s) AND (%s)) END,"
                           " %s"
                           " FROM page",
                           s->expr,
                           dir,
                           dir,
                           t->item,
                           s->expr,
                           from,
                           parent,
                           filters,
                           visible,
                           s->expr,
                           cmp,
                           s->type,
                           s->expr,
                           dir,
                           dir,
                           from,
                           parent,
                           filters,
                           visible,
                           exists),
                nparams);
        }
    }
    free(from);
}

static void
gen_links(const struct pw_repo_table *t, struct pw_repo_gen *g)
{
    for (g->nlinks = 0; t->links != NULL && t->links[g->nlinks].field != NULL; g->nlinks++) {
    }
    if (g->nlinks == 0)
        return;
    g->link_unknown = calloc(g->nlinks, sizeof *g->link_unknown);
    g->link_clear = calloc(g->nlinks, sizeof *g->link_clear);
    g->link_insert = calloc(g->nlinks, sizeof *g->link_insert);
    if (g->link_unknown == NULL || g->link_clear == NULL || g->link_insert == NULL)
        abort();
    for (unsigned i = 0; i < g->nlinks; i++) {
        const struct pw_link *l = &t->links[i];

        stmt_set(&g->link_unknown[i],
                 sql_printf("%s_%s_unknown", t->name, l->field),
                 sql_printf("SELECT x FROM jsonb_array_elements_text($1::jsonb) x"
                            " WHERE NOT EXISTS (SELECT 1 FROM %s WHERE %s = x::%s) LIMIT 1",
                            l->target_table,
                            l->target_key,
                            l->target_type),
                 1);
        stmt_set(&g->link_clear[i],
                 sql_printf("%s_%s_clear", t->name, l->field),
                 sql_printf("DELETE FROM %s WHERE %s = $1::bigint", l->table, l->owner_col),
                 1);
        stmt_set(
            &g->link_insert[i],
            sql_printf("%s_%s_insert", t->name, l->field),
            sql_printf("INSERT INTO %s (%s, %s) SELECT $1::bigint, x.id FROM %s x"
                       " WHERE x.%s IN (SELECT v::%s FROM jsonb_array_elements_text($2::jsonb) v)"
                       " ON CONFLICT DO NOTHING",
                       l->table,
                       l->owner_col,
                       l->target_col,
                       l->target_table,
                       l->target_key,
                       l->target_type),
            2);
    }
}

int
pw_repo_init(const struct pw_repo_table *t)
{
    struct pw_repo_gen *g = t->gen;

    if (g->ready)
        return 0;
    for (g->nsorts = 0; t->sorts[g->nsorts].name != NULL; g->nsorts++) {
    }
    char *from = from_clause(t, 2);
    stmt_set(&g->get,
             sql_printf("%s_get", t->name),
             sql_printf("SELECT (%s)::text, t.version FROM %s WHERE t.%s = $1::%s AND (%s)",
                        t->item,
                        from,
                        t->key_col,
                        t->key_type,
                        t->visible ? t->visible : "true"),
             t->visible ? 2 : 1);
    free(from);
    stmt_set(
        &g->get_by_id,
        sql_printf("%s_get_by_id", t->name),
        sql_printf("SELECT (%s)::text, t.version, t.%s::text FROM %s t WHERE t.id = $1::bigint",
                   t->item,
                   t->key_col,
                   t->table),
        1);
    /*
     * FOR NO KEY UPDATE, the mode an UPDATE of non-key columns takes: it
     * serialises writers of the row (If-Match is checked under it) but lets
     * other transactions insert rows that reference it (their foreign-key
     * checks take KEY SHARE, which FOR UPDATE would block, inviting
     * deadlocks between writers that link rows to each other). DELETE
     * upgrades the lock when it runs.
     */
    stmt_set(&g->lock,
             sql_printf("%s_lock", t->name),
             sql_printf("SELECT t.id, t.version FROM %s t WHERE t.%s = $1::%s FOR NO KEY UPDATE",
                        t->table,
                        t->key_col,
                        t->key_type),
             1);
    stmt_set(&g->del,
             sql_printf("%s_delete", t->name),
             sql_printf("DELETE FROM %s WHERE id = $1::bigint", t->table),
             1);
    /* A list-only view (no create/update route) has no insert/update SQL. */
    stmt_set(&g->insert,
             sql_printf("%s_insert", t->name),
             t->insert_sql ? strdup(t->insert_sql) : NULL,
             t->parent_where ? 2 : 1);
    stmt_set(&g->update,
             sql_printf("%s_update", t->name),
             t->update_sql ? strdup(t->update_sql) : NULL,
             2);
    gen_list(t, g);
    gen_links(t, g);
    for (g->nchecks = 0; t->checks != NULL && t->checks[g->nchecks] != NULL; g->nchecks++) {
    }
    if (g->nchecks > 0) {
        g->checks = calloc(g->nchecks, sizeof *g->checks);
        if (g->checks == NULL)
            abort();
        for (unsigned i = 0; i < g->nchecks; i++)
            stmt_set(&g->checks[i], sql_printf("%s_check_%u", t->name, i), strdup(t->checks[i]), 2);
    }
    g->ready = 1;
    return 0;
}

static void
stmt_free(struct pw_stmt *st)
{
    free((char *) st->name);
    free((char *) st->sql);
}

void
pw_repo_free(const struct pw_repo_table *t)
{
    struct pw_repo_gen *g = t->gen;

    if (!g->ready)
        return;
    stmt_free(&g->get);
    stmt_free(&g->get_by_id);
    stmt_free(&g->lock);
    stmt_free(&g->del);
    stmt_free(&g->insert);
    stmt_free(&g->update);
    for (unsigned i = 0; i < 2 * g->nsorts; i++)
        stmt_free(&g->list[i]);
    for (unsigned i = 0; i < g->nlinks; i++) {
        stmt_free(&g->link_unknown[i]);
        stmt_free(&g->link_clear[i]);
        stmt_free(&g->link_insert[i]);
    }
    for (unsigned i = 0; i < g->nchecks; i++)
        stmt_free(&g->checks[i]);
    free(g->list);
    free(g->link_unknown);
    free(g->link_clear);
    free(g->link_insert);
    free(g->checks);
    memset(g, 0, sizeof *g);
}

int
pw_repo_sort_index(const struct pw_repo_table *t, const char *name)
{
    for (int i = 0; t->sorts[i].name != NULL; i++)
        if (strcmp(t->sorts[i].name, name) == 0)
            return i;
    return -1;
}
