/**
 * @file ratelimit.c
 * @brief In-memory GCRA rate limiter with idle expiry and a hard size cap.
 *
 * One mutex-protected chained hash table; each entry is the "theoretical
 * arrival time" (TAT) of its key: the moment its budget would be full again.
 * A request at time t is allowed when TAT - t <= (N - 1) * T, T = 60 s / N,
 * and then pushes TAT to max(TAT, t) + T. An entry with TAT <= t is
 * indistinguishable from a key never seen, so sweeps simply drop it.
 *
 * Sweeps run at most once a minute in passing (O(entries), under the lock),
 * and when an insertion finds the table full (at most once a second, so a
 * flood cannot make every request pay for a full scan). Bucket indices come
 * from keyed SipHash (crypto_shorthash) so clients cannot aim their
 * addresses at one chain.
 */
#include "pathways/ratelimit.h"
#include "pathways/server.h"

#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define NBUCKETS 4096 /* a power of two */
#define SWEEP_EVERY_US (60 * 1000000LL)
#define FULL_SWEEP_EVERY_US 1000000LL
#define PERIOD_US (60 * 1000000LL)

struct entry {
    struct entry *next;
    int64_t tat_us;
    unsigned char len;
    unsigned char key[PW_RATELIMIT_KEY_MAX];
};

struct pw_ratelimit {
    pthread_mutex_t lock;
    int64_t interval_us; /**< T: one request's share of the minute */
    int64_t burst_us;    /**< (N - 1) * T: how far ahead of now TAT may run */
    size_t max_entries;
    size_t count;
    int64_t last_sweep_us;
    int64_t last_full_sweep_us;
    unsigned char hash_key[crypto_shorthash_KEYBYTES];
    struct entry *buckets[NBUCKETS];
};

struct pw_ratelimit *
pw_ratelimit_new(unsigned per_min, size_t max_entries)
{
    struct pw_ratelimit *rl;

    if (per_min == 0 || max_entries == 0)
        return NULL;
    rl = calloc(1, sizeof *rl);
    if (rl == NULL)
        return NULL;
    pthread_mutex_init(&rl->lock, NULL);
    rl->interval_us = PERIOD_US / per_min;
    if (rl->interval_us < 1)
        rl->interval_us = 1;
    rl->burst_us = rl->interval_us * (int64_t) (per_min - 1);
    rl->max_entries = max_entries;
    rl->last_sweep_us = INT64_MIN;
    rl->last_full_sweep_us = INT64_MIN;
    randombytes_buf(rl->hash_key, sizeof rl->hash_key);
    return rl;
}

void
pw_ratelimit_free(struct pw_ratelimit *rl)
{
    if (rl == NULL)
        return;
    for (size_t b = 0; b < NBUCKETS; b++) {
        while (rl->buckets[b] != NULL) {
            struct entry *e = rl->buckets[b];

            rl->buckets[b] = e->next;
            free(e);
        }
    }
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

static size_t
bucket_of(const struct pw_ratelimit *rl, const void *key, size_t len)
{
    uint64_t h;

    crypto_shorthash((unsigned char *) &h, key, len, rl->hash_key);
    return (size_t) (h & (NBUCKETS - 1));
}

/** Drop every entry whose budget is full again. Caller holds the lock. */
static void
sweep(struct pw_ratelimit *rl, int64_t now_us)
{
    for (size_t b = 0; b < NBUCKETS; b++) {
        struct entry **p = &rl->buckets[b];

        while (*p != NULL) {
            struct entry *e = *p;

            if (e->tat_us <= now_us) {
                *p = e->next;
                free(e);
                rl->count--;
            } else {
                p = &e->next;
            }
        }
    }
    rl->last_sweep_us = now_us;
}

/** Seconds until TAT - now is back within the burst, rounded up, at least 1. */
static unsigned
wait_seconds(int64_t excess_us)
{
    int64_t s = (excess_us + 999999) / 1000000;

    return s < 1 ? 1u : (unsigned) s;
}

/** A new entry for @a key in bucket @a b, or NULL when the table is full. */
static struct entry *
insert(struct pw_ratelimit *rl, size_t b, const void *key, size_t len, int64_t now_us)
{
    struct entry *e;

    if (rl->count >= rl->max_entries && (rl->last_full_sweep_us == INT64_MIN ||
                                         now_us - rl->last_full_sweep_us >= FULL_SWEEP_EVERY_US)) {
        rl->last_full_sweep_us = now_us;
        sweep(rl, now_us);
    }
    if (rl->count >= rl->max_entries)
        return NULL;
    e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->len = (unsigned char) len;
    memcpy(e->key, key, len);
    e->tat_us = now_us;
    e->next = rl->buckets[b];
    rl->buckets[b] = e;
    rl->count++;
    return e;
}

unsigned
pw_ratelimit_hit(struct pw_ratelimit *rl, const void *key, size_t len, int64_t now_us)
{
    struct entry *e;
    size_t b;
    int64_t tat;
    unsigned wait = 0;

    if (len > PW_RATELIMIT_KEY_MAX)
        len = PW_RATELIMIT_KEY_MAX;
    b = bucket_of(rl, key, len);
    pthread_mutex_lock(&rl->lock);
    if (rl->last_sweep_us == INT64_MIN)
        rl->last_sweep_us = now_us;
    else if (now_us - rl->last_sweep_us >= SWEEP_EVERY_US)
        sweep(rl, now_us);
    for (e = rl->buckets[b]; e != NULL; e = e->next)
        if (e->len == len && memcmp(e->key, key, len) == 0)
            break;
    tat = e != NULL && e->tat_us > now_us ? e->tat_us : now_us;
    if (tat - now_us > rl->burst_us) {
        wait = wait_seconds(tat - now_us - rl->burst_us);
    } else {
        if (e == NULL)
            e = insert(rl, b, key, len, now_us);
        if (e == NULL)
            wait = wait_seconds(rl->interval_us); /* full: see the header */
        else
            e->tat_us = tat + rl->interval_us;
    }
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

size_t
pw_ratelimit_entries(struct pw_ratelimit *rl)
{
    size_t n;

    pthread_mutex_lock(&rl->lock);
    n = rl->count;
    pthread_mutex_unlock(&rl->lock);
    return n;
}

size_t
pw_ratelimit_addr_key(unsigned char scope,
                      const struct sockaddr *sa,
                      unsigned char out[PW_RATELIMIT_KEY_MAX])
{
    static const unsigned char v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

    out[0] = scope;
    if (sa == NULL)
        return 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) (const void *) sa;

        out[1] = 4;
        memcpy(out + 2, &in->sin_addr, 4);
        return 6;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) (const void *) sa;
        const unsigned char *a = in6->sin6_addr.s6_addr;

        if (memcmp(a, v4_mapped, sizeof v4_mapped) == 0) {
            out[1] = 4;
            memcpy(out + 2, a + 12, 4);
            return 6;
        }
        out[1] = 6;
        memcpy(out + 2, a, 8);
        return 10;
    }
    return 0;
}

static int64_t
monotonic_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/** Up to this many X-Forwarded-For header lines are read (their last ones matter). */
#define XFF_LINES_MAX 8

struct xff_lines {
    const char *v[XFF_LINES_MAX];
    unsigned n;
};

static enum MHD_Result
collect_xff(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct xff_lines *x = cls;

    (void) kind;
    if (value != NULL && strcasecmp(key, "X-Forwarded-For") == 0) {
        if (x->n == XFF_LINES_MAX) /* keep the last ones: the nearest proxies wrote them */
            memmove(x->v, x->v + 1, sizeof x->v[0] * (XFF_LINES_MAX - 1));
        else
            x->n++;
        x->v[x->n - 1] = value;
    }
    return MHD_YES;
}

int
pw_ratelimit_or_reply(struct pw_ratelimit *rl,
                      unsigned char scope,
                      struct pw_request *rq,
                      enum MHD_Result *ret)
{
    const union MHD_ConnectionInfo *ci;
    struct sockaddr_storage client;
    struct xff_lines xff = { .n = 0 };
    unsigned char key[PW_RATELIMIT_KEY_MAX];
    size_t len;
    unsigned wait;

    if (rl == NULL)
        return 0;
    ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (pw_app.cfg->proxies.n > 0)
        (void) MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, collect_xff, &xff);
    /* Behind a trusted proxy the client is who it says it forwarded for. */
    pw_proxies_client(
        &pw_app.cfg->proxies, ci != NULL ? ci->client_addr : NULL, xff.v, xff.n, &client);
    len = pw_ratelimit_addr_key(scope, (const struct sockaddr *) &client, key);
    if (len == 0) {
        key[1] = 0; /* no address (cannot happen over TCP): one shared budget */
        len = 2;
    }
    wait = pw_ratelimit_hit(rl, key, len, monotonic_us());
    if (wait == 0)
        return 0;
    *ret = pw_reply_rate_limited(rq, wait);
    return -1;
}
