/**
 * @file sql.c
 * @brief `pathways sql`: print the SQL text of the service's statements, for
 *        benchmarks (bench/run feeds them to pgbench) and for reading plans.
 *
 * The statements are the program's own: the static ones exported with
 * PW_DB_STMT_EXPORT and the ones pw_repo_init() generates from the
 * repository tables of the routes, exactly as `serve` prepares them. No
 * database is needed.
 */
#include "pathways/cli.h"
#include "pathways/db.h"
#include "pathways/resource.h"

#include <string.h>

struct sql_walk {
    const char *want; /* NULL: list every statement */
    FILE *out;
    int found;
};

static void
visit(const struct pw_stmt *st, void *cls)
{
    struct sql_walk *w = cls;

    if (st->name == NULL || st->sql == NULL)
        return;
    if (w->want == NULL) {
        fprintf(w->out, "%s\t%d\n", st->name, st->nparams);
    } else if (!w->found && strcmp(st->name, w->want) == 0) {
        fprintf(w->out, "%s\n", st->sql);
        w->found = 1;
    }
}

/** The statements generated for table @a t. */
static void
visit_table(const struct pw_repo_table *t, struct sql_walk *w)
{
    const struct pw_repo_gen *g = t->gen;

    visit(&g->get, w);
    visit(&g->get_by_id, w);
    visit(&g->lock, w);
    visit(&g->del, w);
    visit(&g->insert, w);
    visit(&g->update, w);
    for (unsigned i = 0; i < 2 * g->nsorts; i++)
        visit(&g->list[i], w);
    for (unsigned i = 0; i < g->nlinks; i++) {
        visit(&g->link_unknown[i], w);
        visit(&g->link_clear[i], w);
        visit(&g->link_insert[i], w);
    }
    for (unsigned i = 0; i < g->nchecks; i++)
        visit(&g->checks[i], w);
}

static void
walk(const struct pw_route *routes, struct sql_walk *w)
{
    pw_db_stmt_each(visit, w);
    for (unsigned i = 0; routes[i].pattern != NULL; i++) {
        const struct pw_repo_table *t =
            routes[i].resource != NULL ? routes[i].resource->repo : NULL;
        int seen = 0;

        if (t == NULL)
            continue;
        for (unsigned j = 0; j < i && !seen; j++)
            seen = routes[j].resource != NULL && routes[j].resource->repo == t;
        if (!seen)
            visit_table(t, w);
    }
}

int
pw_cli_sql(int argc, char **argv, const struct pw_route *routes)
{
    struct sql_walk w = { .out = stdout };
    int rc = 0;

    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fprintf(argc < 1 ? stderr : stdout,
                "usage: pathways sql --list | NAME...\n"
                "  --list  every statement the service prepares: name, tab, parameter count\n"
                "  NAME    print that statement's SQL text ($1..$n are its parameters)\n");
        return argc < 1 ? 2 : 0;
    }
    if (pw_resources_init(routes) != 0)
        return 1;
    if (strcmp(argv[0], "--list") == 0) {
        walk(routes, &w);
    } else {
        for (int i = 0; i < argc; i++) {
            w.want = argv[i];
            w.found = 0;
            walk(routes, &w);
            if (!w.found) {
                fprintf(stderr, "pathways: no statement called '%s'\n", argv[i]);
                rc = 1;
            }
        }
    }
    pw_resources_free(routes);
    return rc;
}
