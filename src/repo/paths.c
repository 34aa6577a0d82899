/**
 * @file paths.c
 * @brief SQL of the career paths catalogue.
 *
 * Stages and steps hang off a path with ON DELETE CASCADE (0001_init.sql),
 * so deleting a path needs nothing here beyond the generated DELETE.
 */
#include "pathways/repo_tables.h"

static const struct pw_sort path_sorts[] = {
    { "title", "t.title", "text" },
    { "slug", "t.slug", "text" },
    { "created_at", "t.created_at", "timestamptz" },
    { "updated_at", "t.updated_at", "timestamptz" },
    { NULL, NULL, NULL },
};

static struct pw_repo_gen paths_gen;

const struct pw_repo_table pw_repo_paths = {
    .name = "paths",
    .table = "paths",
    .key_col = "slug",
    .key_type = "text",
    .item = "json_build_object('id', t.id, 'slug', t.slug, 'title', t.title,"
            " 'summary', t.summary, 'overview', t.overview,"
            " 'responsibilities', to_json(t.responsibilities),"
            " 'work_environment', to_json(t.work_environment),"
            " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at),"
            " 'version', t.version)",
    /* $5 q: full-text search (see PW_REPO_Q_MATCH in repo_tables.h). */
    .filters = "($5::text IS NULL OR " PW_REPO_Q_MATCH("$5") ")",
    .nfilters = 1,
    .sorts = path_sorts,
    .insert_sql = "INSERT INTO paths (slug, title, summary, overview, responsibilities,"
                  " work_environment)"
                  " SELECT r.slug, r.title, coalesce(r.summary, ''), coalesce(r.overview, ''),"
                  " coalesce(r.responsibilities, '{}'), coalesce(r.work_environment, '{}')"
                  " FROM jsonb_populate_record(NULL::paths, $1::jsonb) r RETURNING id",
    .update_sql = "UPDATE paths t SET (slug, title, summary, overview, responsibilities,"
                  " work_environment) ="
                  " (SELECT r.slug, r.title, r.summary, r.overview, r.responsibilities,"
                  " r.work_environment FROM jsonb_populate_record(t, $2::jsonb) r),"
                  " version = t.version + 1, updated_at = now() WHERE t.id = $1::bigint",
    .gen = &paths_gen,
};
