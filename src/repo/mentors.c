/**
 * @file mentors.c
 * @brief SQL of the mentors directory: people, the skills they coach and
 *        the career paths they guide.
 *
 * skills and paths are link tables (mentor_skills, mentor_paths) written
 * through `.links`: unknown slugs are a 422 naming the field, and the rows
 * are replaced whenever the field is in the body.
 */
#include "pathways/repo_tables.h"

/*
 * Sort expressions must never be NULL (keyset paging compares them), but a
 * mentor may publish no hourly rate. Unpublished rates sort as 100001, above
 * the largest rate the spec accepts (100000): last when ascending and first
 * when descending, as PostgreSQL orders NULLs by default. The expression is
 * indexed as mentors_rate_id_idx.
 */
static const struct pw_sort mentor_sorts[] = {
    { "name", "t.name", "text" },
    { "created_at", "t.created_at", "timestamptz" },
    { "hourly_rate", "coalesce(t.hourly_rate, 100001)", "int" },
    { NULL, NULL, NULL },
};

static const struct pw_link mentor_links[] = {
    { .field = "skills",
      .table = "mentor_skills",
      .owner_col = "mentor_id",
      .target_col = "skill_id",
      .target_table = "skills",
      .target_key = "slug",
      .target_type = "text",
      .noun = "skill" },
    { .field = "paths",
      .table = "mentor_paths",
      .owner_col = "mentor_id",
      .target_col = "path_id",
      .target_table = "paths",
      .target_key = "slug",
      .target_type = "text",
      .noun = "path" },
    { .field = NULL },
};

static struct pw_repo_gen mentors_gen;

const struct pw_repo_table pw_repo_mentors = {
    .name = "mentors",
    .table = "mentors",
    .key_col = "slug",
    .key_type = "text",
    .item = "json_build_object('id', t.id, 'slug', t.slug, 'name', t.name,"
            " 'headline', t.headline, 'bio', t.bio,"
            " 'skills', coalesce((SELECT json_agg(s.slug ORDER BY s.slug COLLATE \"C\")"
            " FROM mentor_skills ms JOIN skills s ON s.id = ms.skill_id"
            " WHERE ms.mentor_id = t.id), '[]'),"
            " 'paths', coalesce((SELECT json_agg(p.slug ORDER BY p.slug COLLATE \"C\")"
            " FROM mentor_paths mp JOIN paths p ON p.id = mp.path_id"
            " WHERE mp.mentor_id = t.id), '[]'),"
            " 'hourly_rate', t.hourly_rate, 'currency', t.currency, 'url', t.url,"
            " 'available', t.available,"
            " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at),"
            " 'version', t.version)",
    /*
     * $5 skill slug, $6 path slug, $7 available. The link filters are
     * semi-joins through mentor_skills_skill_id_idx / mentor_paths_path_id_idx;
     * an unknown slug simply matches nothing.
     */
    .filters = "($5::text IS NULL OR t.id IN (SELECT ms.mentor_id FROM mentor_skills ms"
               " JOIN skills s ON s.id = ms.skill_id WHERE s.slug = $5::text))"
               " AND ($6::text IS NULL OR t.id IN (SELECT mp.mentor_id FROM mentor_paths mp"
               " JOIN paths p ON p.id = mp.path_id WHERE p.slug = $6::text))"
               " AND ($7::bool IS NULL OR t.available = $7::bool)",
    .nfilters = 3,
    .sorts = mentor_sorts,
    .insert_sql = "INSERT INTO mentors (slug, name, headline, bio, hourly_rate, currency, url,"
                  " available)"
                  " SELECT r.slug, r.name, coalesce(r.headline, ''), coalesce(r.bio, ''),"
                  " r.hourly_rate, coalesce(r.currency, 'USD'), r.url, coalesce(r.available, true)"
                  " FROM jsonb_populate_record(NULL::mentors, $1::jsonb) r RETURNING id",
    .update_sql = "UPDATE mentors t SET (slug, name, headline, bio, hourly_rate, currency, url,"
                  " available) ="
                  " (SELECT r.slug, r.name, r.headline, r.bio, r.hourly_rate, r.currency, r.url,"
                  " r.available FROM jsonb_populate_record(t, $2::jsonb) r),"
                  " version = t.version + 1, updated_at = now() WHERE t.id = $1::bigint",
    .links = mentor_links,
    .gen = &mentors_gen,
};
