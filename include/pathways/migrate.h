/**
 * @file migrate.h
 * @brief Forward-only schema migrations and the sample-data loader.
 *
 * Migrations are the migrations/NNNN_name.sql files compiled into the
 * binary. Each is applied in its own transaction and recorded in
 * schema_migrations(version, name, checksum, applied_at); the whole run holds
 * a PostgreSQL advisory lock so that replicas starting together are safe.
 * A recorded migration whose checksum differs from the binary's stops
 * everything with a clear message (DESIGN.md rule 5).
 */
#ifndef PATHWAYS_MIGRATE_H
#define PATHWAYS_MIGRATE_H

#include "pathways/db.h"

enum pw_migrate_status {
    PW_MIGRATE_OK = 0,
    PW_MIGRATE_PENDING,  /**< (status only) some migrations are not applied */
    PW_MIGRATE_CHANGED,  /**< an applied migration's checksum differs */
    PW_MIGRATE_UNKNOWN,  /**< the database has a version this binary lacks */
    PW_MIGRATE_DB_ERROR, /**< could not talk to the database */
};

/**
 * Apply every pending migration. Prints one line per applied migration to
 * stderr via the event log. @param[out] applied number applied.
 * @param[out] err a message for the operator on failure
 */
enum pw_migrate_status pw_migrate_apply(PGconn *conn, int *applied, char *err, size_t errlen);

/**
 * Compare the database with the binary without changing anything.
 * @param[out] pending number of migrations not yet applied
 */
enum pw_migrate_status pw_migrate_check(PGconn *conn, int *pending, char *err, size_t errlen);

/**
 * Least privilege: give the login role @a role (the one `serve` connects as)
 * SELECT, INSERT, UPDATE, DELETE on every table of schema public and USAGE,
 * SELECT on its sequences, read-only access to schema_migrations, and nothing
 * else (no CREATE, no DROP, no TRUNCATE). Idempotent; run by `migrate` after
 * the migrations, as the owner, so tables a later migration adds are covered.
 * @return 0, or -1 with @a err (e.g. the role does not exist)
 */
int pw_migrate_grant(PGconn *conn, const char *role, char *err, size_t errlen);

/** Number of migrations compiled in. */
int pw_migrate_count(void);

/**
 * Load data/ (every .sql file) in one transaction. With @a if_empty, do nothing when the
 * paths table already has rows. @param[out] loaded 1 when data was loaded.
 * @return 0 or -1 (with @a err)
 */
int pw_seed_run(PGconn *conn, int if_empty, int *loaded, char *err, size_t errlen);

#endif
