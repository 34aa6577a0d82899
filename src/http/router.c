/**
 * @file router.c
 * @brief Segment-by-segment matching of paths against the route table.
 */
#include "pathways/router.h"
#include "pathways/spec.h"

#include <string.h>

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

/**
 * Match one pattern; on success store parameters in @a m.
 * @return 1 on match, 0 otherwise.
 */
static int
match_pattern(const char *pattern, const char *path, struct pw_match *m)
{
    const char *p = pattern;
    const char *s = path;
    size_t used = 0;

    m->nparams = 0;
    while (*p != '\0' && *s != '\0') {
        const char *pe;
        const char *se;

        if (*p != '/' || *s != '/')
            return 0;
        p++;
        s++;
        pe = strchr(p, '/');
        se = strchr(s, '/');
        if (pe == NULL)
            pe = p + strlen(p);
        if (se == NULL)
            se = s + strlen(s);
        size_t pn = (size_t) (pe - p);
        size_t sn = (size_t) (se - s);

        if (pn > 0 && p[0] == '{') {
            if (!param_fits(p, pn, s, sn) || m->nparams == PW_MAX_PATH_PARAMS ||
                used + sn + 1 > sizeof m->buf)
                return 0;
            m->params[m->nparams++] = memcpy(m->buf + used, s, sn);
            m->buf[used + sn] = '\0';
            used += sn + 1;
        } else if (pn != sn || memcmp(p, s, sn) != 0) {
            return 0;
        }
        p = pe;
        s = se;
    }
    return *p == '\0' && *s == '\0';
}

int
pw_router_match(const struct pw_route *routes,
                const char *path,
                enum pw_method method,
                struct pw_match *m)
{
    enum pw_method want = method == PW_HEAD ? PW_GET : method;
    struct pw_match probe;

    m->route = NULL;
    m->index = 0;
    m->allowed = 0;
    m->nparams = 0;
    for (unsigned i = 0; routes[i].pattern != NULL; i++) {
        if (!match_pattern(routes[i].pattern, path, &probe))
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
