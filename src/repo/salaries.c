/**
 * @file salaries.c
 * @brief SQL of the salary bands of a path (GET/POST /v1/paths/{slug}/salaries,
 *        /v1/salaries/{id}).
 *
 * Money is whole currency units per year, as integers beside `currency`
 * (DESIGN.md, HTTP conventions). A NULL max_years or max_amount is an
 * open-ended band ("8+ years", "170,000 and up").
 *
 * The rules max_years >= min_years and max_amount >= min_amount are the
 * schema's salary_bands_years_ck and salary_bands_amounts_ck (0003_site.sql),
 * mapped to the fields max_years and max_amount in constraints.c: only the
 * database sees both the stored row and a PATCH that changes one side. When
 * a write breaks both, PostgreSQL reports one constraint (the first by name),
 * so the 422 names max_amount, and max_years after that is fixed.
 */
#include "pathways/repo_tables.h"

/*
 * The default sort, min_years, orders by (min_years, min_amount, id) as the
 * roadmap document does. Keyset paging needs one sort value, so the pair is
 * keyed as one bigint: min_amount is at most 100000000 (the spec and
 * salary_bands_min_amount_ck), below the 10^9 step of min_years, so the
 * bigint orders exactly as the pair. salary_bands_path_years_idx indexes the
 * same expression under each path.
 */
static const struct pw_sort salary_sorts[] = {
    { "min_years", "(t.min_years::bigint * 1000000000 + t.min_amount)", "bigint" },
    { "min_amount", "t.min_amount", "int" },
    { "level", "t.level", "text" },
    { "created_at", "t.created_at", "timestamptz" },
    { NULL, NULL, NULL },
};

static struct pw_repo_gen salaries_gen;

const struct pw_repo_table pw_repo_salaries = {
    .name = "salaries",
    .table = "salary_bands",
    .key_col = "id",
    .key_type = "bigint",
    .item = "json_build_object('id', t.id,"
            " 'path', (SELECT p.slug FROM paths p WHERE p.id = t.path_id),"
            " 'level', t.level, 'min_years', t.min_years, 'max_years', t.max_years,"
            " 'currency', t.currency, 'min_amount', t.min_amount, 'max_amount', t.max_amount,"
            " 'region', t.region, 'source', t.source, 'as_of', to_char(t.as_of, 'YYYY-MM-DD'),"
            " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at),"
            " 'version', t.version)",
    .parent_where = "t.path_id = (SELECT p.id FROM paths p WHERE p.slug = $5::text)",
    .parent_exists = "EXISTS (SELECT 1 FROM paths p WHERE p.slug = $5::text)",
    .sorts = salary_sorts,
    /* No path row, no insert: pw_repo_create() answers PW_DB_NOT_FOUND. */
    .insert_sql = "INSERT INTO salary_bands (path_id, level, min_years, max_years, currency,"
                  " min_amount, max_amount, region, source, as_of)"
                  " SELECT p.id, r.level, r.min_years, r.max_years, r.currency, r.min_amount,"
                  " r.max_amount, r.region, coalesce(r.source, ''), r.as_of"
                  " FROM paths p, jsonb_populate_record(NULL::salary_bands, $1::jsonb) r"
                  " WHERE p.slug = $2::text RETURNING id",
    .update_sql = "UPDATE salary_bands t SET (level, min_years, max_years, currency, min_amount,"
                  " max_amount, region, source, as_of) ="
                  " (SELECT r.level, r.min_years, r.max_years, r.currency, r.min_amount,"
                  " r.max_amount, r.region, r.source, r.as_of"
                  " FROM jsonb_populate_record(t, $2::jsonb) r),"
                  " version = t.version + 1, updated_at = now() WHERE t.id = $1::bigint",
    .gen = &salaries_gen,
};
