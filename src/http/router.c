/**
 * @file router.c
 * @brief Segment-by-segment matching of paths against the route table.
 */
#include "pathways/router.h"
#include "pathways/spec.h"

#include <string.h>

/** More segments than any route has: such a path is a 404 without looking further. */
#define PW_MAX_SEGMENTS 16

int
pw_is_id(const char *s, size_t len)
{
    static const char max[] = "9223372036854775807";

    if (len == 0 || len > sizeof max - 1 || s[0] == '0')
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return len < sizeof max - 1 || memcmp(s, max, len) <= 0;
}

enum pw_method
pw_method_parse(const char *name)
{
    static const struct {
        const char *name;
        enum pw_method m;
    } methods[] = {
        { "GET", PW_GET },         { "POST", PW_POST },     { "PUT", PW_PUT },
        { "PATCH", PW_PATCH },     { "DELETE", PW_DELETE }, { "HEAD", PW_HEAD },
        { "OPTIONS", PW_OPTIONS },
    };

    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(name, methods[i].name) == 0)
            return methods[i].m;
    return 0;
}

/** Does segment [s, s+n) fit parameter {name} (pattern text [p, p+pn))? */
static int
param_fits(const char *p, size_t pn, const char *s, size_t n)
{
    int is_id =
        (pn == 4 && memcmp(p, "{id}", 4) == 0) || (pn > 5 && memcmp(p + pn - 4, "_id}", 4) == 0);
    char tmp[72];

    if (is_id)
        return pw_is_id(s, n);
    if (n == 0 || n > 64)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return pw_is_slug(tmp);
}

/** The path cut into its segments once, for every pattern to compare against. */
struct segments {
    unsigned n;
    const char *at[PW_MAX_SEGMENTS];
    size_t len[PW_MAX_SEGMENTS];
};

/** Cut @a path ("/a/b") into segments. @return 0, or -1 when no route can match it. */
static int
split(const char *path, struct segments *sg)
{
    sg->n = 0;
    while (*path == '/') {
        const char *s = ++path;

        while (*path != '\0' && *path != '/')
            path++;
        if (sg->n == PW_MAX_SEGMENTS)
            return -1;
        sg->at[sg->n] = s;
        sg->len[sg->n++] = (size_t) (path - s);
    }
    return *path == '\0' && sg->n > 0 ? 0 : -1;
}

/**
 * Match one pattern against the path's segments; on success store parameters in @a m.
 * @return 1 on match, 0 otherwise.
 */
static int
match_pattern(const char *pattern, const struct segments *sg, struct pw_match *m)
{
    const char *p = pattern;
    size_t used = 0;

    m->nparams = 0;
    for (unsigned i = 0; i < sg->n; i++) {
        const char *s = sg->at[i];
        size_t sn = sg->len[i];
        const char *pe;

        if (*p++ != '/')
            return 0; /* the pattern has fewer segments */
        if (*p != '{') {
            /* A literal: compare as we go, most patterns differ at once. */
            size_t k = 0;

            while (k < sn && p[k] == s[k])
                k++;
            if (k < sn || (p[k] != '/' && p[k] != '\0'))
                return 0;
            p += k;
            continue;
        }
        for (pe = p; *pe != '/' && *pe != '\0'; pe++) {
        }
        if (!param_fits(p, (size_t) (pe - p), s, sn) || m->nparams == PW_MAX_PATH_PARAMS ||
            used + sn + 1 > sizeof m->buf)
            return 0;
        m->params[m->nparams++] = memcpy(m->buf + used, s, sn);
        m->buf[used + sn] = '\0';
        used += sn + 1;
        p = pe;
    }
    return *p == '\0';
}

int
pw_router_match(const struct pw_route *routes,
                const char *path,
                enum pw_method method,
                struct pw_match *m)
{
    enum pw_method want = method == PW_HEAD ? PW_GET : method;
    struct segments sg;
    struct pw_match probe;

    m->route = NULL;
    m->index = 0;
    m->allowed = 0;
    m->nparams = 0;
    if (split(path, &sg) != 0)
        return 0;
    for (unsigned i = 0; routes[i].pattern != NULL; i++) {
        if (!match_pattern(routes[i].pattern, &sg, &probe))
            continue;
        /* Every row of this path counts, before and after the one that wins:
         * the mask is the Allow header of a 405 and of OPTIONS. */
        m->allowed |= routes[i].method;
        if (m->route != NULL || routes[i].method != want)
            continue;
        m->route = &routes[i];
        m->index = i;
        m->nparams = probe.nparams;
        memcpy(m->buf, probe.buf, sizeof m->buf);
        /* Re-point parameters into m's own buffer. */
        for (unsigned k = 0; k < probe.nparams; k++)
            m->params[k] = m->buf + (probe.params[k] - probe.buf);
    }
    return m->route != NULL;
}
