/**
 * @file subscriptions.c
 * @brief SQL of the newsletter: sign-up, unsubscribe, and the admin's list.
 *
 * A sign-up is one statement whatever the address's history: an upsert on
 * subscribers_email_uq (new -> inserted; known -> back to subscribed), the
 * new token's hash, and the pruning of the address's older tokens. Its
 * answer carries nothing that tells the cases apart (no enumeration; the
 * handler answers the same either way).
 *
 * Tokens: each sign-up adds one; the TOKENS_KEPT newest stay valid, so a
 * mail sent before a repeated sign-up still unsubscribes, while a flood of
 * sign-ups for one address cannot grow the table without bound. The
 * pruning DELETE runs on the statement's snapshot, which does not contain
 * the token being inserted: it keeps TOKENS_KEPT - 1 older ones.
 */
#include "pathways/repo_subscriptions.h"
#include "pathways/repo_tables.h"

#define TOKENS_KEPT_OLDER "4" /* + the new one = 5 valid tokens per address */

static struct pw_stmt subscriptions_subscribe = {
    .name = "subscriptions_subscribe",
    .sql = "WITH sub AS ("
           " INSERT INTO subscribers AS s (email, source) VALUES ($1::text, $2::text)"
           " ON CONFLICT (email) DO UPDATE SET status = 'subscribed',"
           " source = CASE WHEN s.status = 'unsubscribed' THEN excluded.source ELSE s.source END,"
           " consented_at = now(),"
           " subscribed_at = CASE WHEN s.status = 'unsubscribed' THEN now()"
           " ELSE s.subscribed_at END,"
           " unsubscribed_at = NULL, updated_at = now(), version = s.version + 1"
           " RETURNING s.id),"
           " ins AS (INSERT INTO subscriber_tokens (token_hash, subscriber_id)"
           " SELECT decode($3::text, 'hex'), sub.id FROM sub RETURNING subscriber_id),"
           " pruned AS (DELETE FROM subscriber_tokens o USING sub"
           " WHERE o.subscriber_id = sub.id AND o.token_hash NOT IN ("
           " SELECT k.token_hash FROM subscriber_tokens k WHERE k.subscriber_id = sub.id"
           " ORDER BY k.created_at DESC, k.token_hash LIMIT " TOKENS_KEPT_OLDER "))"
           " SELECT count(*) FROM ins",
    .nparams = 3,
};
PW_DB_STMT_EXPORT(subscriptions_subscribe);

enum pw_db_status
pw_repo_subscribe(struct pw_db *db, const char *email, const char *source, const char *token_hash)
{
    const char *const params[] = { email, source, token_hash };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &subscriptions_subscribe, params, &res);

    if (st != PW_DB_OK)
        return st;
    PQclear(res);
    return PW_DB_OK;
}

/* Spent and unknown tokens match no row: the statement then changes nothing. */
static struct pw_stmt subscriptions_unsubscribe = {
    .name = "subscriptions_unsubscribe",
    .sql = "WITH k AS (SELECT subscriber_id FROM subscriber_tokens"
           " WHERE token_hash = decode($1::text, 'hex')),"
           " spent AS (DELETE FROM subscriber_tokens"
           " WHERE subscriber_id IN (SELECT subscriber_id FROM k))"
           " UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = now(),"
           " updated_at = now(), version = version + 1"
           " WHERE id IN (SELECT subscriber_id FROM k) AND status = 'subscribed'",
    .nparams = 1,
};
PW_DB_STMT_EXPORT(subscriptions_unsubscribe);

enum pw_db_status
pw_repo_unsubscribe(struct pw_db *db, const char *token_hash)
{
    const char *const params[] = { token_hash };
    PGresult *res;
    enum pw_db_status st = pw_db_exec(db, &subscriptions_unsubscribe, params, &res);

    if (st != PW_DB_OK)
        return st;
    PQclear(res);
    return PW_DB_OK;
}

static const struct pw_sort subscriber_sorts[] = {
    { "created_at", "t.created_at", "timestamptz" },
    { "email", "t.email", "text" },
    { NULL, NULL, NULL },
};

static struct pw_repo_gen subscribers_gen;

/*
 * GET /v1/subscriptions (admins): list-only, newest first. The tokens live
 * in another table and are never part of an item.
 */
const struct pw_repo_table pw_repo_subscribers = {
    .name = "subscribers",
    .table = "subscribers",
    .key_col = "id",
    .key_type = "bigint",
    .item = "json_build_object('id', t.id, 'email', t.email, 'status', t.status,"
            " 'source', t.source, 'consented_at', pw_time(t.consented_at),"
            " 'subscribed_at', pw_time(t.subscribed_at),"
            " 'unsubscribed_at', pw_time(t.unsubscribed_at),"
            " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at))",
    /*
     * $5 status, $6 email in any case: stored addresses have their ASCII
     * letters in lower case, which translate() does whatever the database's
     * locale (lower() would also fold other letters under most of them).
     */
    .filters = "($5::text IS NULL OR t.status = $5::text)"
               " AND ($6::text IS NULL OR t.email = translate($6::text,"
               " 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'))",
    .nfilters = 2,
    .sorts = subscriber_sorts,
    .default_sort = "-created_at",
    .gen = &subscribers_gen,
};
