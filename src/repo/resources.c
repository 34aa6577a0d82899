/**
 * @file resources.c
 * @brief SQL of the learning-resources catalogue and of a step's resource list.
 *
 * Both tables read `resources` and build items with PW_RESOURCE_ITEM_SQL;
 * the second one is a list-only view scoped to the resources linked to one
 * step (the links themselves are written by src/repo/step_resources.c).
 */
#include "pathways/repo_resources.h"
#include "pathways/repo_tables.h"

/*
 * level sorts by difficulty, not alphabetically; the expression is never NULL
 * (resources_level_ck) and its text form round-trips through the cursor.
 */
static const struct pw_sort resource_sorts[] = {
    { "title", "t.title", "text" },
    { "created_at", "t.created_at", "timestamptz" },
    { "updated_at", "t.updated_at", "timestamptz" },
    { "level",
      "array_position(ARRAY['beginner', 'intermediate', 'advanced']::text[], t.level)",
      "int" },
    { NULL, NULL, NULL },
};

static const struct pw_link resource_links[] = {
    { .field = "skills",
      .table = "resource_skills",
      .owner_col = "resource_id",
      .target_col = "skill_id",
      .target_table = "skills",
      .target_key = "slug",
      .target_type = "text",
      .noun = "skill" },
    { .field = NULL },
};

static struct pw_repo_gen resources_gen;

const struct pw_repo_table pw_repo_resources = {
    .name = "resources",
    .table = "resources",
    .key_col = "id",
    .key_type = "bigint",
    .item = PW_RESOURCE_ITEM_SQL,
    /*
     * $5 kind, $6 cost, $7 level, $8 skill slug, $9 q. The skill filter is a
     * semi-join through resource_skills_skill_id_idx; an unknown slug simply
     * matches nothing. q is a full-text search over title, summary and
     * authors (see PW_REPO_Q_MATCH in repo_tables.h).
     */
    .filters = "($5::text IS NULL OR t.kind = $5::text)"
               " AND ($6::text IS NULL OR t.cost = $6::text)"
               " AND ($7::text IS NULL OR t.level = $7::text)"
               " AND ($8::text IS NULL OR t.id IN (SELECT rs.resource_id FROM resource_skills rs"
               " JOIN skills s ON s.id = rs.skill_id WHERE s.slug = $8::text))"
               " AND ($9::text IS NULL OR " PW_REPO_Q_MATCH("$9") ")",
    .nfilters = 5,
    .sorts = resource_sorts,
    .insert_sql = "INSERT INTO resources (kind, title, authors, url, summary, cost, level)"
                  " SELECT r.kind, r.title, coalesce(r.authors, '{}'), r.url,"
                  " coalesce(r.summary, ''), r.cost, r.level"
                  " FROM jsonb_populate_record(NULL::resources, $1::jsonb) r RETURNING id",
    .update_sql = "UPDATE resources t SET (kind, title, authors, url, summary, cost, level) ="
                  " (SELECT r.kind, r.title, r.authors, r.url, r.summary, r.cost, r.level"
                  " FROM jsonb_populate_record(t, $2::jsonb) r),"
                  " version = t.version + 1, updated_at = now() WHERE t.id = $1::bigint",
    .links = resource_links,
    .gen = &resources_gen,
};

static struct pw_repo_gen step_resources_gen;

/* GET /v1/steps/{id}/resources: $5 the step id; same items, sorts and paging. */
const struct pw_repo_table pw_repo_step_resources = {
    .name = "step_resources",
    .table = "resources",
    .key_col = "id",
    .key_type = "bigint",
    .item = PW_RESOURCE_ITEM_SQL,
    .parent_where = "t.id IN (SELECT sr.resource_id FROM step_resources sr"
                    " WHERE sr.step_id = $5::bigint)",
    .parent_exists = "EXISTS (SELECT 1 FROM steps WHERE id = $5::bigint)",
    .sorts = resource_sorts,
    .gen = &step_resources_gen,
};
