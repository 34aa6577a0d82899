/**
 * @file proxies.c
 * @brief PATHWAYS_TRUSTED_PROXIES: parsing, membership, and the client behind them.
 */
#include "pathways/proxies.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/** An address in the form networks are kept in: IPv4-mapped IPv6 counts as IPv4. */
struct ip {
    int family;
    unsigned char addr[16];
};

static const unsigned char v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static int
ip_of_sockaddr(const struct sockaddr *sa, struct ip *ip)
{
    if (sa == NULL)
        return -1;
    if (sa->sa_family == AF_INET) {
        ip->family = AF_INET;
        memcpy(ip->addr, &((const struct sockaddr_in *) (const void *) sa)->sin_addr, 4);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const unsigned char *a =
            ((const struct sockaddr_in6 *) (const void *) sa)->sin6_addr.s6_addr;

        if (memcmp(a, v4_mapped, sizeof v4_mapped) == 0) {
            ip->family = AF_INET;
            memcpy(ip->addr, a + 12, 4);
        } else {
            ip->family = AF_INET6;
            memcpy(ip->addr, a, 16);
        }
        return 0;
    }
    return -1;
}

/** Parse a bare IPv4 or IPv6 address of @a len bytes. @return 0 or -1. */
static int
ip_parse(const char *s, size_t len, struct ip *ip)
{
    char buf[INET6_ADDRSTRLEN];

    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, ip->addr) == 1) {
        ip->family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, buf, ip->addr) == 1) {
        ip->family = AF_INET6;
        if (memcmp(ip->addr, v4_mapped, sizeof v4_mapped) == 0) {
            memmove(ip->addr, ip->addr + 12, 4);
            ip->family = AF_INET;
        }
        return 0;
    }
    return -1;
}

static int
all_digits(const char *s, size_t len)
{
    if (len == 0 || len > 5)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/** An X-Forwarded-For entry: "v4", "v6", "v4:port", "[v6]" or "[v6]:port". */
static int
entry_parse(const char *s, size_t len, struct ip *ip)
{
    const char *colon;

    if (len > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        size_t rest;

        if (close == NULL)
            return -1;
        rest = len - (size_t) (close + 1 - s);
        if (rest != 0 && (close[1] != ':' || !all_digits(close + 2, rest - 1)))
            return -1;
        return ip_parse(s + 1, (size_t) (close - s - 1), ip) == 0 && ip->family == AF_INET6 ? 0
                                                                                            : -1;
    }
    colon = memchr(s, ':', len);
    if (colon != NULL && memchr(colon + 1, ':', len - (size_t) (colon + 1 - s)) == NULL) {
        /* One colon: an IPv4 address and a port. */
        size_t n = (size_t) (colon - s);

        if (!all_digits(colon + 1, len - n - 1))
            return -1;
        return ip_parse(s, n, ip) == 0 && ip->family == AF_INET ? 0 : -1;
    }
    return ip_parse(s, len, ip);
}

static int
in_net(const struct pw_proxies *p, unsigned i, const struct ip *ip)
{
    unsigned bits = p->net[i].bits;
    unsigned whole = bits / 8, rest = bits % 8;

    if (p->net[i].family != ip->family || memcmp(p->net[i].addr, ip->addr, whole) != 0)
        return 0;
    return rest == 0 ||
           ((p->net[i].addr[whole] ^ ip->addr[whole]) & (unsigned char) (0xff << (8 - rest))) == 0;
}

static int
trusted(const struct pw_proxies *p, const struct ip *ip)
{
    for (unsigned i = 0; i < p->n; i++)
        if (in_net(p, i, ip))
            return 1;
    return 0;
}

static int
is_space(char c)
{
    return c == ' ' || c == '\t';
}

/** Trim blanks around [*s, *s + *len). */
static void
trim(const char **s, size_t *len)
{
    while (*len > 0 && is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && is_space((*s)[*len - 1]))
        (*len)--;
}

int
pw_proxies_parse(const char *list, struct pw_proxies *out, char *err, size_t errlen)
{
    const char *s = list;

    memset(out, 0, sizeof *out);
    if (list == NULL)
        return 0;
    while (*s != '\0') {
        const char *comma = strchr(s, ',');
        size_t len = comma != NULL ? (size_t) (comma - s) : strlen(s);
        const char *e = s, *slash;
        size_t elen = len, alen;
        unsigned max, bits;
        struct ip ip;

        trim(&e, &elen);
        slash = memchr(e, '/', elen);
        alen = slash != NULL ? (size_t) (slash - e) : elen;
        if (elen == 0 && comma == NULL && out->n > 0)
            break; /* a trailing comma */
        if (ip_parse(e, alen, &ip) != 0)
            goto bad;
        max = ip.family == AF_INET ? 32 : 128;
        bits = max;
        if (slash != NULL) {
            size_t blen = elen - alen - 1;

            if (blen == 0 || blen > 3 || !all_digits(slash + 1, blen))
                goto bad;
            bits = 0;
            for (size_t i = 0; i < blen; i++)
                bits = bits * 10 + (unsigned) (slash[1 + i] - '0');
            if (bits > max)
                goto bad;
        }
        if (out->n == PW_PROXIES_MAX) {
            snprintf(
                err, errlen, "PATHWAYS_TRUSTED_PROXIES has more than %d entries", PW_PROXIES_MAX);
            return -1;
        }
        out->net[out->n].family = ip.family;
        out->net[out->n].bits = bits;
        /* Host bits cleared: 10.1.2.3/8 is 10.0.0.0/8. */
        for (unsigned i = 0; i < 16; i++) {
            unsigned keep = bits >= 8 * (i + 1) ? 8 : bits > 8 * i ? bits - 8 * i : 0;

            out->net[out->n].addr[i] = (unsigned char) (ip.addr[i] & (0xff00u >> keep));
        }
        out->n++;
        if (comma == NULL)
            break;
        s = comma + 1;
        continue;
    bad:
        snprintf(err,
                 errlen,
                 "PATHWAYS_TRUSTED_PROXIES: '%.*s' is not an IPv4 or IPv6 address or network",
                 (int) (elen > 64 ? 64 : elen),
                 e);
        return -1;
    }
    return 0;
}

int
pw_proxies_trust(const struct pw_proxies *p, const struct sockaddr *sa)
{
    struct ip ip;

    return ip_of_sockaddr(sa, &ip) == 0 && trusted(p, &ip);
}

static void
store(const struct ip *ip, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof *out);
    if (ip->family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *) (void *) out;

        in->sin_family = AF_INET;
        memcpy(&in->sin_addr, ip->addr, 4);
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) (void *) out;

        in6->sin6_family = AF_INET6;
        memcpy(in6->sin6_addr.s6_addr, ip->addr, 16);
    }
}

void
pw_proxies_client(const struct pw_proxies *p,
                  const struct sockaddr *peer,
                  const char *const *xff,
                  unsigned n,
                  struct sockaddr_storage *out)
{
    struct ip ip;

    memset(out, 0, sizeof *out);
    if (ip_of_sockaddr(peer, &ip) != 0)
        return; /* family AF_UNSPEC: no address */
    store(&ip, out);
    if (!trusted(p, &ip))
        return;
    /* The last header line holds the nearest proxy's entry; each line's last entry first. */
    for (unsigned h = n; h-- > 0;) {
        const char *v = xff[h];
        size_t end = strlen(v);

        while (1) {
            size_t start = end;
            const char *e;
            size_t len;

            while (start > 0 && v[start - 1] != ',')
                start--;
            e = v + start;
            len = end - start;
            trim(&e, &len);
            if (entry_parse(e, len, &ip) != 0)
                return; /* the last address read stands */
            store(&ip, out);
            if (!trusted(p, &ip))
                return;
            if (start == 0)
                break;
            end = start - 1;
        }
    }
}
