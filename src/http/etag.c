/**
 * @file etag.c
 * @brief Entity tags: weak ETags from versions or body hashes, and the
 *        If-None-Match / If-Match comparisons (RFC 9110 section 13).
 */
#include "pathways/http.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void
pw_etag_version(char *out, size_t cap, long long version)
{
    snprintf(out, cap, "W/\"%lld\"", version);
}

/*
 * Body hashes for list and roadmap ETags: change detection, not collision
 * resistance, but over bodies of up to ~100 KB on every such GET, so eight
 * bytes a step (a byte-wise FNV-1a cost ~130 us for a 49 KB roadmap, this
 * ~15 us). Each word is mixed in with a multiply and an xor-shift (the
 * shift carries high bits down, so every input bit reaches every output
 * bit after a few words); the tail and the length are mixed in last.
 */
static uint64_t
mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

void
pw_etag_hash(char *out, size_t cap, const char *data, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    uint64_t w;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, data + i, 8);
        h = mix(h, w);
    }
    w = 0;
    if (len > i)
        memcpy(&w, data + i, len - i);
    h = mix(mix(h, w), (uint64_t) len);
    h = mix(h, h >> 32);
    snprintf(out, cap, "W/\"%016llx\"", (unsigned long long) h);
}

/** Strip W/ and quotes: `W/"12"` -> `12`. @return length, or 0 when malformed. */
static size_t
opaque_tag(const char *s, size_t n, const char **out)
{
    if (n >= 2 && s[0] == 'W' && s[1] == '/') {
        s += 2;
        n -= 2;
    }
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        return 0;
    *out = s + 1;
    return n - 2;
}

int
pw_etag_list_matches(const char *h, const char *etag)
{
    const char *mine = NULL;
    size_t mine_len;

    if (h == NULL)
        return 0;
    mine_len = opaque_tag(etag, strlen(etag), &mine);
    /* A comma-separated list of tags, or "*". */
    while (*h != '\0') {
        const char *start;
        const char *tag;
        size_t n;

        while (*h == ' ' || *h == '\t' || *h == ',')
            h++;
        start = h;
        while (*h != '\0' && *h != ',')
            h++;
        n = (size_t) (h - start);
        while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t'))
            n--;
        if (n == 1 && start[0] == '*')
            return 1;
        size_t tn = opaque_tag(start, n, &tag);
        if (tn != 0 && tn == mine_len && memcmp(tag, mine, tn) == 0)
            return 1;
    }
    return 0;
}

long long
pw_etag_version_of(const char *h)
{
    const char *tag;
    size_t n;
    long long v = 0;

    if (h == NULL || strcmp(h, "*") == 0)
        return -1;
    n = opaque_tag(h, strlen(h), &tag);
    if (n == 0 || n > 9)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (tag[i] < '0' || tag[i] > '9')
            return 0;
        v = v * 10 + (tag[i] - '0');
    }
    return v;
}

int
pw_if_none_match(const struct pw_request *rq, const char *etag)
{
    return pw_etag_list_matches(pw_header(rq, "If-None-Match"), etag);
}

long long
pw_if_match_version(const struct pw_request *rq)
{
    return pw_etag_version_of(pw_header(rq, "If-Match"));
}
