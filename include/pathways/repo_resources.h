/**
 * @file repo_resources.h
 * @brief Learning resources (books, courses...): the shared JSON shape of one
 *        resource and the step <-> resource links.
 *
 * The resources catalogue itself is the table-driven pw_repo_resources
 * (repo_tables.h); what lists resources elsewhere (a step's resources, the
 * roadmap document) builds each item with PW_RESOURCE_ITEM_SQL so that every
 * endpoint answers with exactly the same object.
 */
#ifndef PATHWAYS_REPO_RESOURCES_H
#define PATHWAYS_REPO_RESOURCES_H

#include "pathways/db.h"

/**
 * JSON of one row of `resources` aliased `t`: id, kind, title, authors, url,
 * summary, cost, level, skills (slugs in byte order), created_at, updated_at,
 * version. Uses the aliases rs and s inside its own sub-select only.
 */
#define PW_RESOURCE_ITEM_SQL                                                                       \
    "json_build_object('id', t.id, 'kind', t.kind, 'title', t.title, 'authors', t.authors,"        \
    " 'url', t.url, 'summary', t.summary, 'cost', t.cost, 'level', t.level,"                       \
    " 'skills', coalesce((SELECT json_agg(s.slug ORDER BY s.slug COLLATE \"C\")"                   \
    " FROM resource_skills rs JOIN skills s ON s.id = rs.skill_id"                                 \
    " WHERE rs.resource_id = t.id), '[]'),"                                                        \
    " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at),"                   \
    " 'version', t.version)"

/** What a link write found: which side is missing, and whether it changed anything. */
struct pw_step_link {
    int step_found;
    int resource_found;
    int changed; /**< link: a new row was written; unlink: a row was removed */
};

/**
 * Link resource @a resource_id to step @a step_id (idempotent: an existing
 * link is left as it is, with @a out->changed = 0).
 * @param step_id, resource_id  positive integers as text (checked by the router)
 * @param[out] out  what was found and done
 * @return PW_DB_NOT_FOUND when the step or the resource does not exist
 *         (see @a out for which), PW_DB_OK otherwise, or a database failure
 */
enum pw_db_status pw_repo_step_resources_link(struct pw_db *db,
                                              const char *step_id,
                                              const char *resource_id,
                                              struct pw_step_link *out);

/**
 * Remove the link between step @a step_id and resource @a resource_id.
 * @param[out] out  what was found and done
 * @return PW_DB_NOT_FOUND when there was no such link (@a out tells whether
 *         the step and the resource exist), PW_DB_OK when it was removed
 */
enum pw_db_status pw_repo_step_resources_unlink(struct pw_db *db,
                                                const char *step_id,
                                                const char *resource_id,
                                                struct pw_step_link *out);

#endif
