/**
 * @file stages.c
 * @brief SQL of the stages of a path's roadmap.
 *
 * A stage is addressed by id but listed and created under its path's slug
 * ($5 of the list statements, $2 of the insert). The months rule
 * (end_month >= start_month) and the unique position per path are the
 * schema's constraints stages_months_ck and stages_path_position_uq, mapped
 * to fields in constraints.c: only the database sees both the stored row
 * and a PATCH that changes one side of the rule.
 */
#include "pathways/repo_tables.h"

static const struct pw_sort stage_sorts[] = {
    { "position", "t.position", "integer" },
    { "title", "t.title", "text" },
    { "created_at", "t.created_at", "timestamptz" },
    { NULL, NULL, NULL },
};

static struct pw_repo_gen stages_gen;

const struct pw_repo_table pw_repo_stages = {
    .name = "stages",
    .table = "stages",
    .key_col = "id",
    .key_type = "bigint",
    .item = "json_build_object('id', t.id,"
            " 'path', (SELECT p.slug FROM paths p WHERE p.id = t.path_id),"
            " 'position', t.position, 'title', t.title, 'goal', t.goal,"
            " 'start_month', t.start_month, 'end_month', t.end_month,"
            " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at),"
            " 'version', t.version)",
    .parent_where = "t.path_id = (SELECT p.id FROM paths p WHERE p.slug = $5::text)",
    .parent_exists = "EXISTS (SELECT 1 FROM paths p WHERE p.slug = $5::text)",
    .sorts = stage_sorts,
    /* No path row, no insert: pw_repo_create() answers PW_DB_NOT_FOUND. */
    .insert_sql = "INSERT INTO stages (path_id, position, title, goal, start_month, end_month)"
                  " SELECT p.id, r.position, r.title, coalesce(r.goal, ''),"
                  " coalesce(r.start_month, 0), r.end_month"
                  " FROM paths p, jsonb_populate_record(NULL::stages, $1::jsonb) r"
                  " WHERE p.slug = $2::text RETURNING id",
    .update_sql = "UPDATE stages t SET (position, title, goal, start_month, end_month) ="
                  " (SELECT r.position, r.title, r.goal, r.start_month, r.end_month"
                  " FROM jsonb_populate_record(t, $2::jsonb) r),"
                  " version = t.version + 1, updated_at = now() WHERE t.id = $1::bigint",
    .gen = &stages_gen,
};
