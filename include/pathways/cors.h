/**
 * @file cors.h
 * @brief Cross-origin resource sharing for browser frontends (CORS_ORIGINS).
 *
 * The allowed origins are parsed once at start. Every response to a request
 * from an allowed Origin names that origin and exposes the headers a
 * frontend needs (ETag, Link, Location, X-Request-Id, Retry-After); a
 * preflight OPTIONS also lists the methods the path allows and the request
 * headers the API reads. Requests from other origins get no CORS headers,
 * so the browser withholds the response from the page.
 */
#ifndef PATHWAYS_CORS_H
#define PATHWAYS_CORS_H

#include <microhttpd.h>

/**
 * Parse CORS_ORIGINS: NULL or "" (off), "*" (any origin), or a comma list
 * of exact origins such as "https://app.example.com,http://localhost:5173".
 * @return 0, or -1 when an entry is not an origin (scheme://host[:port]).
 */
int pw_cors_init(const char *origins);

void pw_cors_free(void);

/**
 * Add the CORS headers for a request whose Origin header is @a origin (may
 * be NULL). With @a preflight_allow (an Allow list such as "GET, POST") the
 * preflight headers are added too.
 */
void pw_cors_apply(struct MHD_Response *resp, const char *origin, const char *preflight_allow);

/** True when @a origin (NUL-terminated) may read responses. */
int pw_cors_allowed(const char *origin);

#endif
