/**
 * @file fuzz_proxies.c
 * @brief libFuzzer target: PATHWAYS_TRUSTED_PROXIES lists and the X-Forwarded-For walk.
 *
 * Input: a peer choice (first byte), a proxies list (to the first newline), then up
 * to eight X-Forwarded-For header lines (one per line). Properties checked:
 *
 * - a list either parses (at most PW_PROXIES_MAX networks) or is refused with a
 *   message naming the variable;
 * - the client is always an IPv4 or IPv6 address; an untrusted peer is its own
 *   client, whatever the headers say; without headers a peer is its own client too;
 * - the client is an address the peer or the headers named: the peer, or one of
 *   the header entries (compared as text after normalisation);
 * - the same input gives the same client.
 */
#include "fuzz.h"
#include "pathways/proxies.h"

#include <arpa/inet.h>
#include <netinet/in.h>

static const char *const peers[] = { "127.0.0.1", "10.1.2.3", "192.0.2.1", "::1", "2001:db8::5" };

static struct sockaddr_storage
peer_addr(const char *text)
{
    struct sockaddr_storage ss;

    memset(&ss, 0, sizeof ss);
    if (strchr(text, ':') == NULL) {
        struct sockaddr_in *in = (struct sockaddr_in *) (void *) &ss;

        in->sin_family = AF_INET;
        FUZZ_CHECK(inet_pton(AF_INET, text, &in->sin_addr) == 1);
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) (void *) &ss;

        in6->sin6_family = AF_INET6;
        FUZZ_CHECK(inet_pton(AF_INET6, text, &in6->sin6_addr) == 1);
    }
    return ss;
}

/** IPv6 bytes @a a as text, an IPv4-mapped address written as IPv4. */
static void
v6_text(const unsigned char a[16], char out[INET6_ADDRSTRLEN])
{
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

    if (memcmp(a, mapped, sizeof mapped) == 0)
        inet_ntop(AF_INET, a + 12, out, INET6_ADDRSTRLEN);
    else
        inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN);
}

/** @a ss as text. */
static void
text_of(const struct sockaddr_storage *ss, char out[INET6_ADDRSTRLEN])
{
    if (ss->ss_family == AF_INET) {
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *) (const void *) ss)->sin_addr,
                  out,
                  INET6_ADDRSTRLEN);
        return;
    }
    FUZZ_CHECK(ss->ss_family == AF_INET6);
    v6_text(((const struct sockaddr_in6 *) (const void *) ss)->sin6_addr.s6_addr, out);
}

/**
 * One X-Forwarded-For entry [v+a, v+b), read loosely (brackets and a port dropped),
 * as address text in @a out. @return 1 when it is an address.
 */
static int
entry_text(const char *v, size_t a, size_t b, char out[INET6_ADDRSTRLEN])
{
    char buf[64];
    unsigned char bin[16];
    const char *colon;

    while (a < b && (v[a] == ' ' || v[a] == '\t'))
        a++;
    while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
        b--;
    colon = memchr(v + a, ':', b - a);
    if (a < b && v[a] == '[') {
        const char *close = memchr(v + a, ']', b - a);

        if (close != NULL) {
            b = (size_t) (close - v);
            a++;
        }
    } else if (colon != NULL && memchr(colon + 1, ':', b - (size_t) (colon + 1 - v)) == NULL) {
        b = (size_t) (colon - v); /* an IPv4 address and a port */
    }
    if (b - a >= sizeof buf)
        return 0;
    memcpy(buf, v + a, b - a);
    buf[b - a] = '\0';
    if (inet_pton(AF_INET, buf, bin) == 1) {
        inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN);
        return 1;
    }
    if (inet_pton(AF_INET6, buf, bin) == 1) {
        v6_text(bin, out);
        return 1;
    }
    return 0;
}

/** Does some entry of the header lines name the address @a want? */
static int
named_in_headers(const char *const *xff, unsigned n, const char *want)
{
    char text[INET6_ADDRSTRLEN];

    for (unsigned h = 0; h < n; h++) {
        const char *v = xff[h];
        size_t at = 0;

        while (v[at] != '\0') {
            size_t len = strcspn(v + at, ",");

            if (entry_text(v, at, at + len, text) && strcmp(text, want) == 0)
                return 1;
            at += len + (v[at + len] == ',');
        }
    }
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pw_proxies p;
    struct sockaddr_storage peer, out, again;
    char err[160], peer_text[INET6_ADDRSTRLEN], out_text[INET6_ADDRSTRLEN];
    const char *lines[8];
    unsigned n = 0;
    char *s, *nl;

    if (size == 0)
        return 0;
    peer = peer_addr(peers[data[0] % (sizeof peers / sizeof peers[0])]);
    s = fuzz_cstr(data + 1, size - 1);
    nl = strchr(s, '\n');
    if (nl != NULL)
        *nl = '\0';
    err[0] = '\0';
    if (pw_proxies_parse(s, &p, err, sizeof err) != 0) {
        FUZZ_CHECK(strstr(err, "PATHWAYS_TRUSTED_PROXIES") != NULL);
        free(s);
        return 0;
    }
    FUZZ_CHECK(p.n <= PW_PROXIES_MAX);
    while (nl != NULL && n < 8) {
        lines[n++] = nl + 1;
        nl = strchr(nl + 1, '\n');
        if (nl != NULL)
            *nl = '\0';
    }
    pw_proxies_client(&p, (const struct sockaddr *) &peer, NULL, 0, &out);
    text_of(&peer, peer_text);
    text_of(&out, out_text);
    FUZZ_CHECK(strcmp(peer_text, out_text) == 0);
    pw_proxies_client(&p, (const struct sockaddr *) &peer, lines, n, &out);
    pw_proxies_client(&p, (const struct sockaddr *) &peer, lines, n, &again);
    FUZZ_CHECK(memcmp(&out, &again, sizeof out) == 0);
    text_of(&out, out_text);
    if (!pw_proxies_trust(&p, (const struct sockaddr *) &peer))
        FUZZ_CHECK(strcmp(peer_text, out_text) == 0);
    FUZZ_CHECK(strcmp(peer_text, out_text) == 0 || named_in_headers(lines, n, out_text));
    free(s);
    return 0;
}
