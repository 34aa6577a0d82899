/**
 * @file roadmap.c
 * @brief SQL of GET /v1/paths/{slug}/roadmap: the whole document in one query.
 *
 * DESIGN.md, architecture rule 1: "The roadmap document of a path is one
 * query, one round trip." PostgreSQL builds every byte of the body.
 *
 * The statement works set-wise on the one path: its stages, then their
 * steps, then each link table (skills, prerequisites, resources) read once
 * for all of those steps through its (step_id, ...) primary key and grouped
 * by step, and finally the steps grouped by stage. Measured on the seeded
 * data this was ~0.6-0.8 ms per execution, against ~1 ms for the same
 * document built with one correlated subquery per step and link table (each
 * of which hash-joins the whole skills or resources table on small data);
 * with 2000 paths and 5000 skills both stay index-only-driven and about as
 * fast. The path's salary bands (by min_years, min_amount) and its related
 * paths (by title, through the view path_neighbours of 0003_site.sql) are two
 * more one-row aggregates: ~0.15 ms more (pgbench, prepared, seeded data:
 * 0.83 against 0.66-0.73 ms without them).
 *
 * Every json_agg has a total order (ties broken by slug or id): the handler's
 * ETag is a hash of these bytes, so equal data must give equal bytes.
 */
#include "pathways/repo_roadmap.h"

static struct pw_stmt roadmap_get = {
    .name = "roadmap_get",
    .sql = "WITH p AS ("
           "  SELECT id, slug, title, summary, overview, responsibilities, work_environment,"
           "         version, updated_at"
           "    FROM paths WHERE slug = $1::text),"
           " s AS ("
           "  SELECT s.id, s.position, s.title, s.goal, s.start_month, s.end_month"
           "    FROM stages s JOIN p ON s.path_id = p.id),"
           " st AS ("
           "  SELECT st.id, st.stage_id, st.position, st.title, st.description, st.topics,"
           "         st.estimated_hours"
           "    FROM steps st JOIN s ON st.stage_id = s.id),"
           " sk AS ("
           "  SELECT l.step_id,"
           "         json_agg(json_build_object('slug', k.slug, 'name', k.name,"
           "                                    'category', k.category)"
           "                  ORDER BY k.name, k.slug) AS j"
           "    FROM step_skills l JOIN skills k ON k.id = l.skill_id"
           "   WHERE l.step_id IN (SELECT id FROM st)"
           "   GROUP BY l.step_id),"
           " pr AS ("
           "  SELECT l.step_id, json_agg(l.prerequisite_id ORDER BY l.prerequisite_id) AS j"
           "    FROM step_prerequisites l"
           "   WHERE l.step_id IN (SELECT id FROM st)"
           "   GROUP BY l.step_id),"
           " rs AS ("
           "  SELECT l.step_id,"
           "         json_agg(json_build_object('id', r.id, 'kind', r.kind, 'title', r.title,"
           "                                    'authors', r.authors, 'url', r.url,"
           "                                    'cost', r.cost, 'level', r.level)"
           "                  ORDER BY r.kind, r.title, r.id) AS j"
           "    FROM step_resources l JOIN resources r ON r.id = l.resource_id"
           "   WHERE l.step_id IN (SELECT id FROM st)"
           "   GROUP BY l.step_id),"
           " by_stage AS ("
           "  SELECT st.stage_id,"
           "         json_agg(json_build_object("
           "                    'id', st.id, 'position', st.position, 'title', st.title,"
           "                    'description', st.description, 'topics', st.topics,"
           "                    'estimated_hours', st.estimated_hours,"
           "                    'skills', coalesce(sk.j, '[]'),"
           "                    'prerequisites', coalesce(pr.j, '[]'),"
           "                    'resources', coalesce(rs.j, '[]'))"
           "                  ORDER BY st.position) AS j,"
           "         count(*) AS steps, sum(st.estimated_hours) AS hours"
           "    FROM st"
           "    LEFT JOIN sk ON sk.step_id = st.id"
           "    LEFT JOIN pr ON pr.step_id = st.id"
           "    LEFT JOIN rs ON rs.step_id = st.id"
           "   GROUP BY st.stage_id),"
           " doc AS ("
           "  SELECT json_agg(json_build_object("
           "                    'id', s.id, 'position', s.position, 'title', s.title,"
           "                    'goal', s.goal, 'start_month', s.start_month,"
           "                    'end_month', s.end_month,"
           "                    'estimated_hours', coalesce(b.hours, 0),"
           "                    'steps', coalesce(b.j, '[]'))"
           "                  ORDER BY s.position) AS stages,"
           "         count(s.id) AS nstages, coalesce(sum(b.steps), 0) AS nsteps,"
           "         coalesce(sum(b.hours), 0) AS hours"
           "    FROM s LEFT JOIN by_stage b ON b.stage_id = s.id),"
           " sb AS ("
           "  SELECT json_agg(json_build_object("
           "           'id', b.id, 'level', b.level, 'min_years', b.min_years,"
           "           'max_years', b.max_years, 'currency', b.currency,"
           "           'min_amount', b.min_amount, 'max_amount', b.max_amount,"
           "           'region', b.region, 'source', b.source,"
           "           'as_of', to_char(b.as_of, 'YYYY-MM-DD'))"
           "         ORDER BY b.min_years, b.min_amount, b.id) AS j"
           "    FROM salary_bands b JOIN p ON b.path_id = p.id),"
           " rel AS ("
           "  SELECT json_agg(json_build_object('slug', o.slug, 'title', o.title,"
           "                                    'summary', o.summary)"
           "                  ORDER BY o.title, o.slug) AS j"
           "    FROM path_neighbours n JOIN p ON n.path_id = p.id"
           "    JOIN paths o ON o.id = n.other_id)"
           " SELECT json_build_object("
           "          'slug', p.slug, 'title', p.title, 'summary', p.summary,"
           "          'overview', p.overview, 'responsibilities', p.responsibilities,"
           "          'work_environment', p.work_environment, 'version', p.version,"
           "          'updated_at', pw_time(p.updated_at),"
           "          'stages', coalesce(doc.stages, '[]'),"
           "          'totals', json_build_object('stages', doc.nstages, 'steps', doc.nsteps,"
           "                                      'estimated_hours', doc.hours),"
           "          'salary_bands', coalesce(sb.j, '[]'),"
           "          'related', coalesce(rel.j, '[]'))::text"
           "   FROM p CROSS JOIN doc CROSS JOIN sb CROSS JOIN rel",
    .nparams = 1,
};
PW_DB_STMT_EXPORT(roadmap_get);

enum pw_db_status
pw_repo_roadmap(struct pw_db *db, const char *slug, struct pw_text *out)
{
    const char *const params[] = { slug };
    PGresult *res;
    enum pw_db_status st = pw_db_read_row(db, &roadmap_get, params, &res);

    if (st != PW_DB_OK)
        return st;
    pw_text_from_result(out, res, 0, 0);
    return PW_DB_OK;
}
