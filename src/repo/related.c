/**
 * @file related.c
 * @brief SQL of related paths: GET /v1/paths/{slug}/related and
 *        PUT/DELETE /v1/paths/{slug}/related/{other}.
 *
 * The relation is symmetric and stored once per unordered pair, smaller
 * path id first (path_relations_order_ck in 0003_site.sql): "a is related to
 * b" and "b is related to a" are the same row, so neither direction can be
 * written or removed alone. Readers go through the view path_neighbours,
 * which shows each pair in both directions.
 *
 * Each write is one statement, so one round trip and no explicit
 * transaction: it reports in the same row whether both paths exist and
 * whether a row was written or removed.
 */
#include "pathways/repo_related.h"
#include "pathways/repo_tables.h"

#include <string.h>

static const struct pw_sort related_sorts[] = {
    { "title", "t.title", "text" },
    { "slug", "t.slug", "text" },
    { NULL, NULL, NULL },
};

static struct pw_repo_gen path_related_gen;

/* List-only view of `paths`: the paths related to the path $5, either side of the pair. */
const struct pw_repo_table pw_repo_path_related = {
    .name = "path_related",
    .table = "paths",
    .key_col = "slug",
    .key_type = "text",
    .item = "json_build_object('slug', t.slug, 'title', t.title, 'summary', t.summary)",
    .parent_where = "t.id IN (SELECT n.other_id FROM path_neighbours n"
                    " JOIN paths p ON p.id = n.path_id WHERE p.slug = $5::text)",
    .parent_exists = "EXISTS (SELECT 1 FROM paths p WHERE p.slug = $5::text)",
    .sorts = related_sorts,
    .gen = &path_related_gen,
};

/** Fill @a out from the (path?, other?, changed?) row of @a res and clear it. */
static void
read_flags(PGresult *res, struct pw_path_relation *out)
{
    out->path_found = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    out->other_found = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    out->changed = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
    PQclear(res);
}

/*
 * FOR KEY SHARE holds both paths until the statement ends, so a path deleted
 * meanwhile is reported as missing rather than failing the foreign key.
 * Relating a path to itself breaks path_relations_order_ck (mapped in
 * constraints.c); the handler refuses it before it gets here.
 */
static struct pw_stmt path_relations_link = {
    .name = "path_relations_link",
    .sql = "WITH a AS (SELECT id FROM paths WHERE slug = $1::text FOR KEY SHARE),"
           " b AS (SELECT id FROM paths WHERE slug = $2::text FOR KEY SHARE),"
           " ins AS (INSERT INTO path_relations (path_a, path_b)"
           " SELECT least(a.id, b.id), greatest(a.id, b.id) FROM a, b"
           " ON CONFLICT (path_a, path_b) DO NOTHING RETURNING 1)"
           " SELECT EXISTS (SELECT 1 FROM a), EXISTS (SELECT 1 FROM b), EXISTS (SELECT 1 FROM ins)",
    .nparams = 2,
};
PW_DB_STMT_EXPORT(path_relations_link);

enum pw_db_status
pw_repo_path_relations_link(struct pw_db *db,
                            const char *slug,
                            const char *other,
                            struct pw_path_relation *out)
{
    const char *const params[] = { slug, other };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &path_relations_link, params, &res);

    memset(out, 0, sizeof *out);
    if (st != PW_DB_OK)
        return st;
    read_flags(res, out);
    return out->path_found && out->other_found ? PW_DB_OK : PW_DB_NOT_FOUND;
}

static struct pw_stmt path_relations_unlink = {
    .name = "path_relations_unlink",
    .sql = "WITH a AS (SELECT id FROM paths WHERE slug = $1::text),"
           " b AS (SELECT id FROM paths WHERE slug = $2::text),"
           " d AS (DELETE FROM path_relations r USING a, b"
           " WHERE r.path_a = least(a.id, b.id) AND r.path_b = greatest(a.id, b.id)"
           " RETURNING 1)"
           " SELECT EXISTS (SELECT 1 FROM a), EXISTS (SELECT 1 FROM b), EXISTS (SELECT 1 FROM d)",
    .nparams = 2,
};
PW_DB_STMT_EXPORT(path_relations_unlink);

enum pw_db_status
pw_repo_path_relations_unlink(struct pw_db *db,
                              const char *slug,
                              const char *other,
                              struct pw_path_relation *out)
{
    const char *const params[] = { slug, other };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &path_relations_unlink, params, &res);

    memset(out, 0, sizeof *out);
    if (st != PW_DB_OK)
        return st;
    read_flags(res, out);
    return out->changed ? PW_DB_OK : PW_DB_NOT_FOUND;
}
