/**
 * @file repo_related.h
 * @brief Related paths: a symmetric relation between two career paths.
 *
 * The list (GET /v1/paths/{slug}/related) is the table-driven
 * pw_repo_path_related (repo_tables.h); these write one pair.
 */
#ifndef PATHWAYS_REPO_RELATED_H
#define PATHWAYS_REPO_RELATED_H

#include "pathways/db.h"

/** What a relation write found: which path is missing, and whether it changed anything. */
struct pw_path_relation {
    int path_found;
    int other_found;
    int changed; /**< link: a new row was written; unlink: a row was removed */
};

/**
 * Relate the paths @a slug and @a other (idempotent and symmetric: relating
 * b to a when a is related to b changes nothing, with @a out->changed = 0).
 * @param slug, other  two different slugs (checked by the router and handler)
 * @param[out] out  what was found and done
 * @return PW_DB_NOT_FOUND when either path does not exist (see @a out for
 *         which), PW_DB_OK otherwise, or a database failure
 */
enum pw_db_status pw_repo_path_relations_link(struct pw_db *db,
                                              const char *slug,
                                              const char *other,
                                              struct pw_path_relation *out);

/**
 * Remove the relation between @a slug and @a other, whichever way it was made.
 * @param[out] out  what was found and done
 * @return PW_DB_NOT_FOUND when the paths were not related (@a out tells
 *         whether both exist), PW_DB_OK when the relation was removed
 */
enum pw_db_status pw_repo_path_relations_unlink(struct pw_db *db,
                                                const char *slug,
                                                const char *other,
                                                struct pw_path_relation *out);

#endif
