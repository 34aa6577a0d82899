/**
 * @file repo_subscriptions.h
 * @brief Newsletter sign-ups and unsubscribes (src/repo/subscriptions.c).
 *
 * Unsubscribe tokens reach this layer only as the hex SHA-256 of their
 * bytes: the database never sees a token itself.
 */
#ifndef PATHWAYS_REPO_SUBSCRIPTIONS_H
#define PATHWAYS_REPO_SUBSCRIPTIONS_H

#include "pathways/db.h"

/** Hex digits of a SHA-256, NUL included. */
#define PW_TOKEN_HASH_HEX 65

/**
 * Subscribe @a email (already normalised), new or known, and record a new
 * unsubscribe token for it. A known address stays or becomes subscribed;
 * its few newest earlier tokens stay valid.
 * @param source     where the sign-up came from, or NULL
 * @param token_hash hex SHA-256 of the new token
 */
enum pw_db_status
pw_repo_subscribe(struct pw_db *db, const char *email, const char *source, const char *token_hash);

/**
 * Unsubscribe the address the token with @a token_hash was issued for and
 * invalidate all of its tokens. An unknown or spent token changes nothing
 * and is not an error (PW_DB_OK either way: callers must not tell them apart).
 */
enum pw_db_status pw_repo_unsubscribe(struct pw_db *db, const char *token_hash);

#endif
