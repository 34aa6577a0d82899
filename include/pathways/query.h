/**
 * @file query.h
 * @brief Strict parsing of URL query strings.
 *
 * libmicrohttpd's own argument parsing is lenient; the service parses the
 * raw query itself so that malformed input (bad percent escapes, invalid
 * UTF-8, NUL bytes, repeated keys, too many keys) is a clear 400 instead of
 * a silently different request. Also the typed getters used by handlers.
 */
#ifndef PATHWAYS_QUERY_H
#define PATHWAYS_QUERY_H

#include <stddef.h>

#define PW_QUERY_MAX_PARAMS 32
#define PW_QUERY_MAX_LEN 4096

struct pw_query_param {
    char *key;   /**< decoded, NUL-terminated, owned by the pw_query */
    char *value; /**< decoded, NUL-terminated ("" for `?flag` and `?flag=`) */
};

struct pw_query {
    struct pw_query_param params[PW_QUERY_MAX_PARAMS];
    unsigned count;
    char *storage; /**< one allocation holding every key and value */
};

enum pw_query_status {
    PW_QUERY_OK = 0,
    PW_QUERY_TOO_LONG,   /**< raw query over PW_QUERY_MAX_LEN bytes */
    PW_QUERY_TOO_MANY,   /**< more than PW_QUERY_MAX_PARAMS parameters */
    PW_QUERY_BAD_ESCAPE, /**< '%' not followed by two hex digits */
    PW_QUERY_BAD_UTF8,   /**< a decoded key or value is not valid UTF-8 */
    PW_QUERY_NUL,        /**< a decoded key or value contains a NUL byte */
    PW_QUERY_DUPLICATE,  /**< a key appears twice */
    PW_QUERY_EMPTY_KEY,  /**< `?=x` or `a=1&&b=2`-style empty key with a value */
};

/**
 * Parse @a raw (the part after '?', may be NULL or empty; '+' decodes to a
 * space) into @a q. On any status other than PW_QUERY_OK, @a q holds
 * nothing that needs freeing. Empty segments ("a=1&&b=2", trailing '&') are skipped.
 */
enum pw_query_status pw_query_parse(const char *raw, size_t len, struct pw_query *q);

/** Free what pw_query_parse() allocated; safe on a zeroed struct. */
void pw_query_free(struct pw_query *q);

/** Value of @a key, or NULL when absent. */
const char *pw_query_get(const struct pw_query *q, const char *key);

/** Human-readable text for a status, for a 400 detail. */
const char *pw_query_status_str(enum pw_query_status st);

/**
 * Parse a decimal integer in [min, max] with no sign games, spaces or
 * trailing garbage. @return 0 and sets *out, or -1.
 */
int pw_parse_int(const char *s, long long min, long long max, long long *out);

/** "true"/"false" (also "1"/"0"). @return 0 and sets *out, or -1. */
int pw_parse_bool(const char *s, int *out);

#endif
