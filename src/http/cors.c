/**
 * @file cors.c
 * @brief The CORS_ORIGINS allow-list and the headers it earns (see cors.h).
 */
#include "pathways/cors.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ORIGINS 32

static struct {
    int enabled;
    int any;
    unsigned count;
    char *list[MAX_ORIGINS];
} cors;

/** scheme://host[:port] with no path, query, spaces or trailing slash. */
static int
is_origin(const char *s, size_t n)
{
    size_t start;

    if (n > 7 && strncmp(s, "http://", 7) == 0)
        start = 7;
    else if (n > 8 && strncmp(s, "https://", 8) == 0)
        start = 8;
    else
        return 0;
    for (size_t i = start; i < n; i++)
        if (s[i] == '/' || s[i] == '?' || s[i] == '#' || s[i] == ' ' || s[i] == '\t')
            return 0;
    return 1;
}

int
pw_cors_init(const char *origins)
{
    pw_cors_free();
    if (origins == NULL || origins[0] == '\0')
        return 0;
    cors.enabled = 1;
    if (strcmp(origins, "*") == 0) {
        cors.any = 1;
        return 0;
    }
    for (const char *p = origins; *p != '\0';) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t) (end - p) : strlen(p);

        while (n > 0 && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n > 0) {
            if (!is_origin(p, n) || cors.count == MAX_ORIGINS) {
                pw_cors_free();
                return -1;
            }
            cors.list[cors.count] = strndup(p, n);
            if (cors.list[cors.count] == NULL) {
                pw_cors_free();
                return -1;
            }
            cors.count++;
        }
        p = end ? end + 1 : p + n;
    }
    return 0;
}

void
pw_cors_free(void)
{
    for (unsigned i = 0; i < cors.count; i++)
        free(cors.list[i]);
    memset(&cors, 0, sizeof cors);
}

int
pw_cors_allowed(const char *origin)
{
    if (!cors.enabled || origin == NULL)
        return 0;
    if (cors.any)
        return 1;
    for (unsigned i = 0; i < cors.count; i++)
        if (strcmp(cors.list[i], origin) == 0)
            return 1;
    return 0;
}

void
pw_cors_apply(struct MHD_Response *resp, const char *origin, const char *preflight_allow)
{
    if (!cors.enabled)
        return;
    /* The answer depends on Origin whenever the list is not "*". */
    if (!cors.any)
        MHD_add_response_header(resp, "Vary", "Origin");
    if (!pw_cors_allowed(origin))
        return;
    /* Tokens travel in Authorization, never in cookies: no Allow-Credentials. */
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", cors.any ? "*" : origin);
    MHD_add_response_header(
        resp, "Access-Control-Expose-Headers", "ETag, Link, Location, X-Request-Id, Retry-After");
    if (preflight_allow != NULL) {
        MHD_add_response_header(resp, "Access-Control-Allow-Methods", preflight_allow);
        MHD_add_response_header(resp,
                                "Access-Control-Allow-Headers",
                                "Authorization, Content-Type, If-Match, If-None-Match, "
                                "Idempotency-Key, X-Request-Id");
        MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
    }
}
