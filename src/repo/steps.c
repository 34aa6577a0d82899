/**
 * @file steps.c
 * @brief SQL of the steps catalogue: the ordered items of a stage, their
 *        skills and their prerequisites (other steps of the same path).
 *
 * Prerequisites form a directed graph per path that must stay acyclic.
 * The rules are checked after the link rows are written, inside the write
 * transaction (see the checks below).
 *
 * Concurrency. Under READ COMMITTED two transactions could each add one
 * edge (A requires B, B requires A), each see only its own edge in its
 * cycle check, and both commit: a cycle no single check ever saw. So every
 * write that carries `prerequisites` first takes a transaction-scoped
 * advisory lock keyed by the step's path, in the INSERT/UPDATE statement
 * itself, i.e. *before* the statement that checks for cycles. READ
 * COMMITTED gives each statement a fresh snapshot, so the cycle check of
 * the second writer (which waited for the lock) sees the first writer's
 * committed edges. The lock must not be taken inside the check statement:
 * that statement's snapshot is taken before the lock is granted, and it
 * would miss the edges committed while it waited (the concurrency test in
 * tests/integration/check_steps.c fails that way, and without the lock).
 *
 * Why an advisory lock rather than SERIALIZABLE or a row lock on the path:
 * SERIALIZABLE would have to be the level of every transaction that
 * writes steps to help, and turns the conflict into retries; a row lock on
 * the paths row would also make PATCHes of the path itself wait (and, FOR
 * UPDATE, inserts of stages and other rows that reference it). The advisory
 * lock only serialises prerequisite writes within one path; writes without
 * `prerequisites` (and writes in other paths) never wait for it.
 *
 * Lock order: a PATCH holds its step row (FOR NO KEY UPDATE, see crud.c)
 * before it asks for the path lock, and the lock holder's link rows take
 * KEY SHARE locks on the prerequisite steps; those two row-lock modes do
 * not conflict, so two PATCHes of one path cannot deadlock here. The key is
 * a 64-bit hash of a name-spaced string, so it cannot meet other users of
 * advisory locks such as the migration runner except by a harmless
 * hash collision (which only serialises a little more).
 */
#include "pathways/repo_tables.h"

static const struct pw_sort step_sorts[] = {
    { "position", "t.position", "int" },
    { "title", "t.title", "text" },
    { "estimated_hours", "t.estimated_hours", "int" },
    { "created_at", "t.created_at", "timestamptz" },
    { NULL, NULL, NULL },
};

static const struct pw_link step_links[] = {
    { .field = "skills",
      .table = "step_skills",
      .owner_col = "step_id",
      .target_col = "skill_id",
      .target_table = "skills",
      .target_key = "slug",
      .target_type = "text",
      .noun = "skill" },
    { .field = "prerequisites",
      .table = "step_prerequisites",
      .owner_col = "step_id",
      .target_col = "prerequisite_id",
      .target_table = "steps",
      .target_key = "id",
      .target_type = "bigint",
      .noun = "step" },
    { .field = NULL },
};

/* The advisory lock of a path's prerequisite graph, over a path id `path_id`. */
#define STEP_GRAPH_LOCK                                                                            \
    "pg_advisory_xact_lock(hashtextextended('pathways.step_prerequisites:' || path_id::text, 0))"

/*
 * Checks over $1 step id, $2 the body; they only run their query when the
 * body carries prerequisites (otherwise the graph did not change). A step
 * requiring itself is refused earlier by step_prerequisites_not_self_ck
 * (mapped in constraints.c) when its link row is inserted; the cycle check
 * would catch it too.
 */
static const char *const step_checks[] = {
    /* Every prerequisite belongs to the path of the step. */
    "SELECT 'prerequisites', format('step %s belongs to another path', p.prerequisite_id)"
    " FROM step_prerequisites p"
    " JOIN steps s ON s.id = p.prerequisite_id"
    " JOIN stages g ON g.id = s.stage_id"
    " WHERE $2::jsonb ? 'prerequisites' AND p.step_id = $1::bigint"
    " AND g.path_id <> (SELECT og.path_id FROM steps o JOIN stages og ON og.id = o.stage_id"
    " WHERE o.id = $1::bigint)"
    " ORDER BY p.prerequisite_id LIMIT 1",
    /*
     * No cycle: walk the graph from each direct prerequisite (root) of the
     * step; reaching the step again closes a cycle. UNION (not UNION ALL)
     * drops pairs already seen, so the walk ends even on a cyclic graph.
     */
    "WITH RECURSIVE reach(root, id) AS ("
    " SELECT p.prerequisite_id, p.prerequisite_id FROM step_prerequisites p"
    " WHERE p.step_id = $1::bigint AND $2::jsonb ? 'prerequisites'"
    " UNION"
    " SELECT r.root, p.prerequisite_id FROM reach r"
    " JOIN step_prerequisites p ON p.step_id = r.id)"
    " SELECT 'prerequisites',"
    " format('would create a cycle: step %s already requires step %s, directly or indirectly',"
    " r.root, $1::bigint)"
    " FROM reach r WHERE r.id = $1::bigint ORDER BY r.root LIMIT 1",
    NULL,
};

static struct pw_repo_gen steps_gen;

const struct pw_repo_table pw_repo_steps = {
    .name = "steps",
    .table = "steps",
    .key_col = "id",
    .key_type = "bigint",
    .item = "json_build_object('id', t.id, 'stage_id', t.stage_id,"
            " 'path', (SELECT p.slug FROM stages g JOIN paths p ON p.id = g.path_id"
            " WHERE g.id = t.stage_id),"
            " 'position', t.position, 'title', t.title, 'description', t.description,"
            " 'topics', to_json(t.topics), 'estimated_hours', t.estimated_hours,"
            " 'skills', coalesce((SELECT json_agg(k.slug ORDER BY k.slug) FROM step_skills ss"
            " JOIN skills k ON k.id = ss.skill_id WHERE ss.step_id = t.id), '[]'),"
            " 'prerequisites', coalesce((SELECT json_agg(sp.prerequisite_id"
            " ORDER BY sp.prerequisite_id) FROM step_prerequisites sp"
            " WHERE sp.step_id = t.id), '[]'),"
            " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at),"
            " 'version', t.version)",
    .parent_where = "t.stage_id = $5::bigint",
    .parent_exists = "EXISTS (SELECT 1 FROM stages WHERE id = $5::bigint)",
    .sorts = step_sorts,
    /* The lock CTE is MATERIALIZED and counted so that it runs exactly once. */
    .insert_sql = "WITH g AS (SELECT id, path_id FROM stages WHERE id = $2::bigint),"
                  " lk AS MATERIALIZED (SELECT " STEP_GRAPH_LOCK " FROM g"
                  " WHERE $1::jsonb ? 'prerequisites')"
                  " INSERT INTO steps (stage_id, position, title, description, topics,"
                  " estimated_hours)"
                  " SELECT g.id, r.position, r.title, coalesce(r.description, ''),"
                  " coalesce(r.topics, '{}'), coalesce(r.estimated_hours, 0)"
                  " FROM g CROSS JOIN (SELECT count(*) FROM lk) c"
                  " CROSS JOIN jsonb_populate_record(NULL::steps, $1::jsonb) r RETURNING id",
    .update_sql = "WITH lk AS MATERIALIZED (SELECT " STEP_GRAPH_LOCK
                  " FROM steps s JOIN stages g ON g.id = s.stage_id"
                  " WHERE s.id = $1::bigint AND $2::jsonb ? 'prerequisites')"
                  " UPDATE steps t SET (position, title, description, topics, estimated_hours) ="
                  " (SELECT r.position, r.title, r.description, r.topics, r.estimated_hours"
                  " FROM jsonb_populate_record(t, $2::jsonb) r),"
                  " version = t.version + 1, updated_at = now()"
                  " FROM (SELECT count(*) FROM lk) c WHERE t.id = $1::bigint",
    .links = step_links,
    .checks = step_checks,
    .gen = &steps_gen,
};
