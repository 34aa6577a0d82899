/**
 * @file proxies.h
 * @brief Who the client is behind trusted reverse proxies (PATHWAYS_TRUSTED_PROXIES).
 *
 * Behind nginx every request comes from nginx's address, so a limit per client
 * address (login, register) would be one budget for everybody. A proxy appends the
 * address it saw to X-Forwarded-For; anyone can write that header, so it is read
 * only when the peer is a configured proxy, and then from the right: the client is
 * the rightmost address that is not itself a trusted proxy (what nginx's
 * `real_ip_recursive on` does). Entries further left were written by the client.
 */
#ifndef PATHWAYS_PROXIES_H
#define PATHWAYS_PROXIES_H

#include <stddef.h>
#include <sys/socket.h>

/** Networks in one PATHWAYS_TRUSTED_PROXIES list, at most. */
#define PW_PROXIES_MAX 32

struct pw_proxies {
    unsigned n;
    struct {
        int family; /**< AF_INET or AF_INET6 */
        unsigned bits;
        unsigned char addr[16]; /**< 4 or 16 bytes, host bits cleared */
    } net[PW_PROXIES_MAX];
};

/**
 * Parse a comma list of addresses and CIDR networks ("10.0.0.0/8, 127.0.0.1,
 * fd00::/8"); NULL or "" is the empty list (nobody trusted).
 * @return 0, or -1 with a message naming the bad entry in @a err
 */
int pw_proxies_parse(const char *list, struct pw_proxies *out, char *err, size_t errlen);

/** Is @a sa (IPv4, IPv6, or IPv4-mapped IPv6) in one of the networks? */
int pw_proxies_trust(const struct pw_proxies *p, const struct sockaddr *sa);

/**
 * The client's address: @a peer itself unless it is a trusted proxy; then, walking
 * the X-Forwarded-For values @a xff (@a n header lines, in the order received) from
 * the right, the first address that is not a trusted proxy (or the leftmost, when
 * all are). An entry that is not an address (nor "[v6]:port" or "v4:port") stops the
 * walk at the last address read, so a broken header never yields a chosen one.
 */
void pw_proxies_client(const struct pw_proxies *p,
                       const struct sockaddr *peer,
                       const char *const *xff,
                       unsigned n,
                       struct sockaddr_storage *out);

#endif
