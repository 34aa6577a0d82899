/**
 * @file ratelimit.h
 * @brief Per-client request budgets (register and login), kept in memory.
 *
 * Each key (a client address within a scope) gets RATE_LIMIT_PER_MIN
 * requests a minute: a burst of that many, then one more every 60/N
 * seconds (GCRA, the "generic cell rate algorithm": one timestamp per key,
 * equivalent to a token bucket that refills continuously). An entry whose
 * budget is full again carries no information and is dropped by a sweep,
 * so memory follows the clients of the last minute; a hard cap bounds it
 * whatever happens (see pw_ratelimit_hit()).
 *
 * The counters live in the process: behind several replicas each keeps its
 * own (DESIGN.md "Scale-out"), so the effective limit is N per replica.
 */
#ifndef PATHWAYS_RATELIMIT_H
#define PATHWAYS_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "pathways/http.h"

/** Longest key: a scope byte and an IPv6 prefix (or IPv4 address). */
#define PW_RATELIMIT_KEY_MAX 20

/** Default hard cap on tracked keys (about 64 bytes each). */
#define PW_RATELIMIT_MAX_ENTRIES 100000

struct pw_ratelimit;

/**
 * A limiter allowing @a per_min requests a minute per key, tracking at most
 * @a max_entries keys. @return NULL when out of memory or @a per_min is 0.
 */
struct pw_ratelimit *pw_ratelimit_new(unsigned per_min, size_t max_entries);

/** Free @a rl (NULL is fine). */
void pw_ratelimit_free(struct pw_ratelimit *rl);

/**
 * Count one request for @a key (@a len <= PW_RATELIMIT_KEY_MAX bytes) at
 * monotonic time @a now_us (microseconds).
 *
 * When the table is full even after dropping idle entries, a new key is
 * refused as if over its budget: under a flood of distinct addresses the
 * service fails closed for newcomers rather than forgetting the budgets of
 * the addresses it tracks.
 *
 * @return 0 when the request may proceed, else the whole seconds (>= 1)
 *         after which the next one will be allowed.
 */
unsigned pw_ratelimit_hit(struct pw_ratelimit *rl, const void *key, size_t len, int64_t now_us);

/** Number of keys tracked now (for tests and metrics). */
size_t pw_ratelimit_entries(struct pw_ratelimit *rl);

/**
 * The key of a client address: @a scope, then the IPv4 address, or the
 * /64 prefix of an IPv6 address (one host usually owns a whole /64, so
 * counting single IPv6 addresses would count nothing). IPv4-mapped IPv6
 * addresses count as IPv4. @return the key length, or 0 for other families.
 */
size_t pw_ratelimit_addr_key(unsigned char scope,
                             const struct sockaddr *sa,
                             unsigned char out[PW_RATELIMIT_KEY_MAX]);

/**
 * Count a request of @a rq in @a scope against @a rl.
 * @return 0 to go on, or -1 after queuing a 429 with Retry-After (in @a ret).
 */
int pw_ratelimit_or_reply(struct pw_ratelimit *rl,
                          unsigned char scope,
                          struct pw_request *rq,
                          enum MHD_Result *ret);

#endif
