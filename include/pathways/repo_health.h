/**
 * @file repo_health.h
 * @brief The readiness probe's one query.
 */
#ifndef PATHWAYS_REPO_HEALTH_H
#define PATHWAYS_REPO_HEALTH_H

#include "pathways/db.h"

/**
 * Ask the database which migrations it has.
 * @param[out] applied number of rows in schema_migrations
 * @param[out] newest  highest applied version (0 when none)
 */
enum pw_db_status pw_repo_health_migrations(struct pw_db *db, int *applied, int *newest);

#endif
