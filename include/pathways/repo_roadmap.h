/**
 * @file repo_roadmap.h
 * @brief The roadmap document of a career path: one query, one round trip.
 */
#ifndef PATHWAYS_REPO_ROADMAP_H
#define PATHWAYS_REPO_ROADMAP_H

#include "pathways/db.h"

/**
 * Build the whole roadmap document of the path @a slug (the path, its
 * stages in position order, their steps with skills, prerequisites and
 * resources, totals, its salary bands by (min_years, min_amount) and its
 * related paths by title), shaped by PostgreSQL as the response body.
 * @param[out] out  the JSON text on PW_DB_OK (release with pw_text_release()
 *                  or hand it to a reply)
 * @return PW_DB_OK, PW_DB_NOT_FOUND when there is no such path, or a
 *         database error status
 */
enum pw_db_status pw_repo_roadmap(struct pw_db *db, const char *slug, struct pw_text *out);

#endif
