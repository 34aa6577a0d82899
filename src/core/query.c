/**
 * @file query.c
 * @brief Strict parsing of URL query strings (see query.h).
 *
 * Every key and value is decoded into one buffer owned by the pw_query, so
 * a handler's query needs one free and cannot leak half of itself. A
 * parameter of n raw bytes decodes to at most n bytes plus two NULs (the
 * '=' it loses pays for one of them), so len + 2 * PW_QUERY_MAX_PARAMS
 * bytes always suffice. Running out of memory for those few KiB aborts,
 * as spec.c does: no status of the header says "our fault".
 */
#include "pathways/query.h"
#include "pathways/spec.h" /* pw_utf8_length() */

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Decode @a n bytes of @a src into @a dst (NUL-terminated) and check the
 * result. @return PW_QUERY_OK and the decoded length in *out_len.
 */
static enum pw_query_status
decode(const char *src, size_t n, char *dst, size_t *out_len)
{
    size_t w = 0;

    for (size_t i = 0; i < n; i++) {
        if (src[i] == '+') {
            dst[w++] = ' ';
        } else if (src[i] != '%') {
            dst[w++] = src[i];
        } else {
            int hi = i + 2 < n ? hex_value(src[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value(src[i + 2]) : -1;

            if (lo < 0)
                return PW_QUERY_BAD_ESCAPE;
            dst[w++] = (char) (hi << 4 | lo);
            i += 2;
        }
    }
    dst[w] = '\0';
    /* A NUL would silently cut the C string short: "a%00b" must not read as "a". */
    if (memchr(dst, '\0', w) != NULL)
        return PW_QUERY_NUL;
    if (pw_utf8_length(dst, w) < 0)
        return PW_QUERY_BAD_UTF8;
    *out_len = w;
    return PW_QUERY_OK;
}

/* Parse one '&'-separated segment, writing its key and value at *w. */
static enum pw_query_status
add_param(struct pw_query *q, const char *seg, size_t n, char **w)
{
    const char *eq = n > 0 ? memchr(seg, '=', n) : NULL;
    size_t klen_raw = eq != NULL ? (size_t) (eq - seg) : n;
    size_t vlen_raw = eq != NULL ? n - klen_raw - 1 : 0;
    size_t klen, vlen;
    char *key = *w, *value;
    enum pw_query_status st;

    /* Decoding never empties a non-empty part, so empty is decided on the raw bytes. */
    if (klen_raw == 0 && vlen_raw == 0)
        return PW_QUERY_OK; /* "a&&b", trailing '&', a lone '=' */
    if (q->count == PW_QUERY_MAX_PARAMS)
        return PW_QUERY_TOO_MANY;
    st = decode(seg, klen_raw, key, &klen);
    if (st != PW_QUERY_OK)
        return st;
    value = key + klen + 1;
    st = decode(eq != NULL ? eq + 1 : "", vlen_raw, value, &vlen);
    if (st != PW_QUERY_OK)
        return st;
    if (klen == 0)
        return PW_QUERY_EMPTY_KEY;
    for (unsigned i = 0; i < q->count; i++)
        if (strcmp(q->params[i].key, key) == 0)
            return PW_QUERY_DUPLICATE;
    q->params[q->count].key = key;
    q->params[q->count].value = value;
    q->count++;
    *w = value + vlen + 1;
    return PW_QUERY_OK;
}

enum pw_query_status
pw_query_parse(const char *raw, size_t len, struct pw_query *q)
{
    size_t start = 0;
    char *w;

    memset(q, 0, sizeof *q);
    if (raw == NULL || len == 0)
        return PW_QUERY_OK;
    if (len > PW_QUERY_MAX_LEN)
        return PW_QUERY_TOO_LONG;
    q->storage = malloc(len + 2 * PW_QUERY_MAX_PARAMS); /* owned by q; see file comment */
    if (q->storage == NULL)
        abort(); /* no status fits, and a 400 would blame the client; as in spec.c */
    w = q->storage;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && raw[i] != '&')
            continue;
        enum pw_query_status st = add_param(q, raw + start, i - start, &w);
        if (st != PW_QUERY_OK) {
            pw_query_free(q);
            return st;
        }
        start = i + 1;
    }
    return PW_QUERY_OK;
}

void
pw_query_free(struct pw_query *q)
{
    if (q == NULL)
        return;
    free(q->storage);
    memset(q, 0, sizeof *q);
}

const char *
pw_query_get(const struct pw_query *q, const char *key)
{
    if (q == NULL || key == NULL)
        return NULL;
    for (unsigned i = 0; i < q->count; i++)
        if (strcmp(q->params[i].key, key) == 0)
            return q->params[i].value;
    return NULL;
}

const char *
pw_query_status_str(enum pw_query_status st)
{
    switch (st) {
    case PW_QUERY_OK:
        return "ok";
    case PW_QUERY_TOO_LONG:
        return "the query string is too long";
    case PW_QUERY_TOO_MANY:
        return "too many query parameters";
    case PW_QUERY_BAD_ESCAPE:
        return "malformed percent-encoding in the query string";
    case PW_QUERY_BAD_UTF8:
        return "the query string is not valid UTF-8";
    case PW_QUERY_NUL:
        return "the query string contains a NUL byte";
    case PW_QUERY_DUPLICATE:
        return "a query parameter is given more than once";
    case PW_QUERY_EMPTY_KEY:
        return "a query parameter has an empty name";
    }
    return "invalid query string";
}

int
pw_parse_int(const char *s, long long min, long long max, long long *out)
{
    int neg;
    long long v = 0;

    if (s == NULL)
        return -1;
    neg = *s == '-';
    s += neg;
    if (*s == '\0')
        return -1;
    /* Accumulate negatively: LLONG_MIN has no positive counterpart. */
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        int d = *s - '0';
        if (v < (LLONG_MIN + d) / 10)
            return -1;
        v = v * 10 - d;
    }
    if (!neg) {
        if (v == LLONG_MIN)
            return -1;
        v = -v;
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int
pw_parse_bool(const char *s, int *out)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0) {
        *out = 1;
        return 0;
    }
    if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) {
        *out = 0;
        return 0;
    }
    return -1;
}
