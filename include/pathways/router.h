/**
 * @file router.h
 * @brief Matches a path and method against a route table.
 *
 * Patterns are literal segments and parameters: `{id}` and names ending in
 * `_id` take a positive 64-bit integer, every other `{name}` a slug. A
 * parameter that has the wrong shape simply does not match, so such paths
 * are 404s without the handler ever running.
 */
#ifndef PATHWAYS_ROUTER_H
#define PATHWAYS_ROUTER_H

#include "pathways/http.h"

struct pw_match {
    const struct pw_route *route; /**< the route for path + method, or NULL */
    unsigned index;               /**< its index in the table */
    unsigned allowed;             /**< methods any route accepts for this path */
    unsigned nparams;
    char *params[PW_MAX_PATH_PARAMS]; /**< point into buf */
    char buf[PW_PARAM_BUF];
};

/**
 * Find the route for @a path and @a method (HEAD matches GET routes).
 * @return 1 when a route matched; 0 otherwise, with m->allowed != 0 when
 *         the path exists under other methods (405) and 0 when not (404).
 */
int pw_router_match(const struct pw_route *routes,
                    const char *path,
                    enum pw_method method,
                    struct pw_match *m);

/** True when @a s is a positive decimal int64 without sign or leading zero. */
int pw_is_id(const char *s, size_t len);

/** Parse an HTTP method name. @return the method, or 0 when unsupported. */
enum pw_method pw_method_parse(const char *name);

#endif
