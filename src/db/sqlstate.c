/**
 * @file sqlstate.c
 * @brief The one table that turns a SQLSTATE into a pw_db_status.
 *
 * Exact codes first, then classes (like PostgREST's mapSQLtoHTTP). Our own
 * stored-procedure errors use the class "PW": PW422 is an input problem
 * whose message and HINT (the field) may be shown to the client.
 */
#include "pathways/db.h"

#include <string.h>

struct sqlstate_rule {
    const char *code; /**< 5 characters, or a 2-character class */
    enum pw_db_status status;
};

static const struct sqlstate_rule sqlstate_map[] = {
    { "23505", PW_DB_CONFLICT },    /* unique_violation */
    { "23503", PW_DB_INVALID },     /* foreign_key_violation */
    { "23514", PW_DB_INVALID },     /* check_violation */
    { "23502", PW_DB_INVALID },     /* not_null_violation */
    { "40001", PW_DB_UNAVAILABLE }, /* serialization_failure: after retries */
    { "40P01", PW_DB_UNAVAILABLE }, /* deadlock_detected: after retries */
    { "57014", PW_DB_UNAVAILABLE }, /* query_canceled (statement_timeout) */
    { "57P01", PW_DB_UNAVAILABLE }, /* admin_shutdown */
    { "57P02", PW_DB_UNAVAILABLE }, /* crash_shutdown */
    { "57P03", PW_DB_UNAVAILABLE }, /* cannot_connect_now */
    { "53300", PW_DB_UNAVAILABLE }, /* too_many_connections */
    { "PW404", PW_DB_NOT_FOUND },   /* ours: a referenced row is missing */
    { "PW422", PW_DB_INVALID },     /* ours: input rejected by a procedure */
    { "08", PW_DB_UNAVAILABLE },    /* connection exception */
    { "22", PW_DB_INVALID },        /* data exception (bad cast, out of range) */
};

enum pw_db_status
pw_db_map_sqlstate(const char *sqlstate)
{
    if (sqlstate == NULL || strlen(sqlstate) != 5)
        return PW_DB_FAILED;
    for (size_t i = 0; i < sizeof sqlstate_map / sizeof sqlstate_map[0]; i++) {
        const char *code = sqlstate_map[i].code;

        if (strncmp(sqlstate, code, strlen(code)) == 0)
            return sqlstate_map[i].status;
    }
    return PW_DB_FAILED;
}
