/**
 * @file skills.c
 * @brief SQL of the skills catalogue.
 */
#include "pathways/repo_tables.h"

static const struct pw_sort skill_sorts[] = {
    { "name", "t.name", "text" },
    { "slug", "t.slug", "text" },
    { "category", "t.category", "text" },
    { "created_at", "t.created_at", "timestamptz" },
    { "updated_at", "t.updated_at", "timestamptz" },
    { NULL, NULL, NULL },
};

static struct pw_repo_gen skills_gen;

const struct pw_repo_table pw_repo_skills = {
    .name = "skills",
    .table = "skills",
    .key_col = "slug",
    .key_type = "text",
    .item = "json_build_object('id', t.id, 'slug', t.slug, 'name', t.name,"
            " 'category', t.category, 'description', t.description, 'url', t.url,"
            " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at),"
            " 'version', t.version)",
    /* $5 category, $6 q: full-text search (see PW_REPO_Q_MATCH in repo_tables.h). */
    .filters = "($5::text IS NULL OR t.category = $5::text)"
               " AND ($6::text IS NULL OR " PW_REPO_Q_MATCH("$6") ")",
    .nfilters = 2,
    .sorts = skill_sorts,
    .insert_sql = "INSERT INTO skills (slug, name, category, description, url)"
                  " SELECT r.slug, r.name, r.category, coalesce(r.description, ''), r.url"
                  " FROM jsonb_populate_record(NULL::skills, $1::jsonb) r RETURNING id",
    .update_sql = "UPDATE skills t SET (slug, name, category, description, url) ="
                  " (SELECT r.slug, r.name, r.category, r.description, r.url"
                  " FROM jsonb_populate_record(t, $2::jsonb) r),"
                  " version = t.version + 1, updated_at = now() WHERE t.id = $1::bigint",
    .gen = &skills_gen,
};
