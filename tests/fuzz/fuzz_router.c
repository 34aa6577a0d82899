/**
 * @file fuzz_router.c
 * @brief libFuzzer target: the router's path matcher against the service's own table.
 *
 * The input is a decoded request path, matched with every method against
 * pw_routes (src/handlers/routes.c). Properties checked:
 *
 * - the result agrees with a reference matcher written here (split both
 *   into segments, compare literals, check parameter shapes): the same
 *   route (the first row of the path for the method, HEAD taking GET
 *   rows), the same Allow mask, the same parameters;
 * - parameters are what router.h promises: `{id}` and `{..._id}` a positive
 *   int64 without sign or leading zero, every other `{name}` a slug, each
 *   NUL-terminated inside the match's own buffer, and putting them back
 *   into the pattern gives the path again;
 * - the Allow mask is a property of the path alone (the same for every
 *   method) and every method in it matches.
 *
 * pw_is_id() on the raw bytes and pw_method_parse() on the input are
 * checked against references too.
 */
#include "fuzz.h"
#include "pathways/handlers.h"
#include "pathways/router.h"

#include <errno.h>

static const enum pw_method methods[] = { PW_GET,    PW_POST, PW_PUT,    PW_PATCH,
                                          PW_DELETE, PW_HEAD, PW_OPTIONS };
static const char *const method_names[] = { "GET",    "POST", "PUT",    "PATCH",
                                            "DELETE", "HEAD", "OPTIONS" };
#define NMETHODS (sizeof methods / sizeof methods[0])
#define REF_MAX_PARAMS 16

/* ---- references ---- */

static int
ref_slug(const char *s, size_t n)
{
    if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
        if (c == '-' && s[i + 1] == '-')
            return 0;
    }
    return 1;
}

static int
ref_id(const char *s, size_t n)
{
    char buf[32], *end;
    unsigned long long v;

    if (n == 0 || n > 19 || s[0] == '0')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    v = strtoull(buf, &end, 10);
    return errno == 0 && *end == '\0' && v <= (unsigned long long) INT64_MAX;
}

/* Is the pattern segment [p, p+pn) a parameter, and does it want an id? */
static int
ref_param_kind(const char *p, size_t pn)
{
    if (pn < 3 || p[0] != '{' || p[pn - 1] != '}')
        return 0; /* a literal */
    if ((pn == 4 && memcmp(p, "{id}", 4) == 0) || (pn > 5 && memcmp(p + pn - 4, "_id}", 4) == 0))
        return 2; /* id */
    return 1;     /* slug */
}

struct ref_params {
    unsigned n;
    const char *at[REF_MAX_PARAMS]; /* into the path */
    size_t len[REF_MAX_PARAMS];
};

static int
ref_match(const char *pattern, const char *path, struct ref_params *rp)
{
    rp->n = 0;
    if (path[0] != '/')
        return 0;
    for (;;) {
        /* Both point at a '/': compare the segments after it. */
        const char *p = pattern + 1, *s = path + 1;
        size_t pn = strcspn(p, "/"), sn = strcspn(s, "/");
        int kind = ref_param_kind(p, pn);

        if (kind == 0) {
            if (pn != sn || memcmp(p, s, pn) != 0)
                return 0;
        } else {
            if (kind == 1 ? !ref_slug(s, sn) : !ref_id(s, sn))
                return 0;
            FUZZ_CHECK(rp->n < REF_MAX_PARAMS);
            rp->at[rp->n] = s;
            rp->len[rp->n] = sn;
            rp->n++;
        }
        pattern = p + pn;
        path = s + sn;
        if (*pattern == '\0' || *path == '\0')
            return *pattern == '\0' && *path == '\0';
    }
}

/* ---- properties ---- */

static void
check_params_in_pattern(const struct pw_match *m, const char *path)
{
    const char *p = m->route->pattern;
    char rebuilt[8192];
    size_t w = 0;
    unsigned k = 0;

    for (unsigned i = 0; i < m->nparams; i++) {
        const char *v = m->params[i];

        FUZZ_CHECK(v >= m->buf && v < m->buf + sizeof m->buf);
        FUZZ_CHECK(memchr(v, '\0', (size_t) (m->buf + sizeof m->buf - v)) != NULL);
    }
    /* Substitute the parameters into the pattern: that is the path. */
    while (*p != '\0') {
        size_t n = strcspn(p, "/");
        int kind = ref_param_kind(p, n);

        if (kind != 0) {
            const char *v;

            FUZZ_CHECK(k < m->nparams);
            v = m->params[k++];
            FUZZ_CHECK(kind == 2 ? pw_is_id(v, strlen(v)) && ref_id(v, strlen(v))
                                 : pw_is_slug(v) && ref_slug(v, strlen(v)));
            FUZZ_CHECK(w + strlen(v) < sizeof rebuilt);
            memcpy(rebuilt + w, v, strlen(v));
            w += strlen(v);
        } else {
            FUZZ_CHECK(w + n < sizeof rebuilt);
            memcpy(rebuilt + w, p, n);
            w += n;
        }
        p += n;
        if (*p == '/') {
            FUZZ_CHECK(w + 1 < sizeof rebuilt);
            rebuilt[w++] = '/';
            p++;
        }
    }
    rebuilt[w] = '\0';
    FUZZ_CHECK(k == m->nparams);
    FUZZ_CHECK(strcmp(rebuilt, path) == 0);
}

static unsigned
check_method(const char *path, enum pw_method method)
{
    enum pw_method want = method == PW_HEAD ? PW_GET : method;
    struct pw_match m;
    struct ref_params rp, win = { 0 };
    unsigned allowed = 0;
    int found, ref_index = -1;

    for (unsigned i = 0; pw_routes[i].pattern != NULL; i++) {
        if (!ref_match(pw_routes[i].pattern, path, &rp))
            continue;
        allowed |= pw_routes[i].method;
        if (ref_index < 0 && pw_routes[i].method == want) {
            ref_index = (int) i;
            win = rp;
        }
    }

    memset(&m, 0xa5, sizeof m); /* nothing may be left as it was */
    found = pw_router_match(pw_routes, path, method, &m);
    FUZZ_CHECK(found == (m.route != NULL));
    FUZZ_CHECK(found == (ref_index >= 0));
    FUZZ_CHECK(m.allowed == allowed);
    if (!found) {
        FUZZ_CHECK(m.nparams == 0);
        return allowed;
    }
    FUZZ_CHECK(m.index == (unsigned) ref_index && m.route == &pw_routes[m.index]);
    FUZZ_CHECK(m.route->method == want && (m.allowed & want));
    FUZZ_CHECK(m.nparams == win.n && m.nparams <= PW_MAX_PATH_PARAMS);
    for (unsigned i = 0; i < win.n; i++)
        FUZZ_CHECK(strlen(m.params[i]) == win.len[i] &&
                   memcmp(m.params[i], win.at[i], win.len[i]) == 0);
    check_params_in_pattern(&m, path);
    return allowed;
}

static void
fuzz_path(const char *path)
{
    unsigned allowed[NMETHODS];

    for (size_t i = 0; i < NMETHODS; i++) {
        allowed[i] = check_method(path, methods[i]);
        FUZZ_CHECK(allowed[i] == allowed[0]);
    }
    /* Every method of the mask matches (HEAD too, when GET is in it). */
    for (size_t i = 0; i < NMETHODS; i++) {
        struct pw_match m;
        enum pw_method want = methods[i] == PW_HEAD ? PW_GET : methods[i];

        FUZZ_CHECK(pw_router_match(pw_routes, path, methods[i], &m) == ((allowed[0] & want) != 0));
    }
}

static void
fuzz_method_name(const char *s)
{
    enum pw_method m = pw_method_parse(s);
    int ref = 0;

    for (size_t i = 0; i < NMETHODS; i++)
        if (strcmp(s, method_names[i]) == 0)
            ref = methods[i];
    FUZZ_CHECK((int) m == ref);
}

static void
fuzz_is_id(const uint8_t *data, size_t size)
{
    char *buf = malloc(size > 0 ? size : 1); /* exact size: no terminator to lean on */

    FUZZ_CHECK(buf != NULL);
    if (size > 0)
        memcpy(buf, data, size);
    FUZZ_CHECK(!pw_is_id(buf, size) == !ref_id(buf, size));
    free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);

    fuzz_path(s);
    fuzz_method_name(s);
    fuzz_is_id(data, size);
    free(s);
    return 0;
}
