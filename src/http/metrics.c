/**
 * @file metrics.c
 * @brief Request counters and latency histograms per route (see metrics.h).
 */
#include "pathways/metrics.h"
#include "pathways/db.h"
#include "pathways/password.h"
#include "pathways/server.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Latency buckets in microseconds (upper bounds; +Inf is implicit). */
static const uint64_t bucket_us[] = { 500,   1000,   2500,   5000,   10000,   25000,
                                      50000, 100000, 250000, 500000, 1000000, 2500000 };
#define NBUCKETS (sizeof bucket_us / sizeof bucket_us[0])
#define NCLASSES 5 /* 1xx .. 5xx */

struct route_stats {
    atomic_uint_fast64_t by_class[NCLASSES];
    atomic_uint_fast64_t buckets[NBUCKETS + 1]; /* last one: +Inf only */
    atomic_uint_fast64_t sum_us;
};

static struct {
    const struct pw_route *routes;
    uint32_t nroutes;
    struct route_stats *stats; /* nroutes + 1: the last is "unmatched" */
} m;

int
pw_metrics_init(const struct pw_route *routes)
{
    uint32_t n = 0;

    while (routes[n].pattern != NULL)
        n++;
    m.stats = calloc(n + 1, sizeof *m.stats);
    if (m.stats == NULL)
        return -1;
    m.routes = routes;
    m.nroutes = n;
    return 0;
}

void
pw_metrics_free(void)
{
    free(m.stats);
    m.stats = NULL;
    m.nroutes = 0;
}

void
pw_metrics_observe(uint32_t route, unsigned status, uint64_t duration_us)
{
    struct route_stats *s;
    unsigned cls = status / 100;
    size_t b = 0;

    if (m.stats == NULL)
        return;
    s = &m.stats[route < m.nroutes ? route : m.nroutes];
    if (cls >= 1 && cls <= NCLASSES)
        atomic_fetch_add_explicit(&s->by_class[cls - 1], 1, memory_order_relaxed);
    while (b < NBUCKETS && duration_us > bucket_us[b])
        b++;
    atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_us, duration_us, memory_order_relaxed);
}

/** A growing text buffer; on OOM it stops growing and reports failure at the end. */
struct out {
    char *p;
    size_t len, cap;
    int failed;
};

static void __attribute__((format(printf, 2, 3))) put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->failed = 1;
            return;
        }
        if ((size_t) n < o->cap - o->len) {
            o->len += (size_t) n;
            return;
        }
        size_t cap = o->cap * 2 + (size_t) n;
        char *np = realloc(o->p, cap);
        if (np == NULL) {
            o->failed = 1;
            return;
        }
        o->p = np;
        o->cap = cap;
    }
}

static const char *
method_of(const struct pw_route *r)
{
    static const char *const names[] = {
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"
    };

    for (unsigned b = 0; b < 7; b++)
        if ((unsigned) r->method == (1u << b))
            return names[b];
    return "OTHER";
}

static void
render_route(struct out *o, const char *method, const char *route, struct route_stats *s)
{
    uint64_t cumulative = 0;

    for (unsigned c = 0; c < NCLASSES; c++) {
        uint64_t v = atomic_load_explicit(&s->by_class[c], memory_order_relaxed);

        if (v > 0)
            put(o,
                "pathways_http_requests_total{method=\"%s\",route=\"%s\",status=\"%uxx\"} %llu\n",
                method,
                route,
                c + 1,
                (unsigned long long) v);
    }
    for (size_t b = 0; b <= NBUCKETS; b++)
        cumulative += atomic_load_explicit(&s->buckets[b], memory_order_relaxed);
    if (cumulative == 0)
        return;
    cumulative = 0;
    for (size_t b = 0; b < NBUCKETS; b++) {
        cumulative += atomic_load_explicit(&s->buckets[b], memory_order_relaxed);
        put(o,
            "pathways_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} "
            "%llu\n",
            method,
            route,
            (double) bucket_us[b] / 1e6,
            (unsigned long long) cumulative);
    }
    cumulative += atomic_load_explicit(&s->buckets[NBUCKETS], memory_order_relaxed);
    put(o,
        "pathways_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} "
        "%llu\n",
        method,
        route,
        (unsigned long long) cumulative);
    put(o,
        "pathways_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
        method,
        route,
        (double) atomic_load_explicit(&s->sum_us, memory_order_relaxed) / 1e6);
    put(o,
        "pathways_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
        method,
        route,
        (unsigned long long) cumulative);
}

/** One unlabelled sample with its HELP and TYPE lines. */
static void
put_scalar(struct out *o, const char *name, const char *type, const char *help, uint64_t value)
{
    put(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
    put(o, "%s %llu\n", name, (unsigned long long) value);
}

char *
pw_metrics_render(size_t *len)
{
    struct out o = { .cap = 16384 };
    unsigned open_conns = 0, total_conns = 0;

    o.p = malloc(o.cap);
    if (o.p == NULL)
        return NULL;
    put(&o, "# HELP pathways_build_info Version of the running binary.\n");
    put(&o, "# TYPE pathways_build_info gauge\n");
    put(&o, "pathways_build_info{version=\"%s\"} 1\n", PW_VERSION);
    put(&o, "# HELP pathways_http_requests_total Finished requests by route and status class.\n");
    put(&o, "# TYPE pathways_http_requests_total counter\n");
    put(&o, "# HELP pathways_http_request_duration_seconds Time from request line to reply.\n");
    put(&o, "# TYPE pathways_http_request_duration_seconds histogram\n");
    for (uint32_t i = 0; i < m.nroutes && m.stats != NULL; i++)
        render_route(&o, method_of(&m.routes[i]), m.routes[i].pattern, &m.stats[i]);
    if (m.stats != NULL)
        render_route(&o, "ANY", "unmatched", &m.stats[m.nroutes]);
    put_scalar(&o,
               "pathways_http_requests_in_flight",
               "gauge",
               "Requests being served now.",
               (uint64_t) pw_server_in_flight());
    put_scalar(&o,
               "pathways_http_connections",
               "gauge",
               "Open HTTP connections.",
               (uint64_t) pw_server_connections());
    put_scalar(&o,
               "pathways_http_connections_refused_total",
               "counter",
               "Connections closed at accept (PATHWAYS_MAX_CONNECTIONS reached).",
               pw_server_refused());
    pw_db_pool_stats(&open_conns, &total_conns);
    put(&o,
        "# HELP pathways_db_connections Database connections (per event-loop thread: an "
        "ordinary one and its pipelines).\n");
    put(&o, "# TYPE pathways_db_connections gauge\n");
    put(&o, "pathways_db_connections{state=\"open\"} %u\n", open_conns);
    put(&o, "pathways_db_connections{state=\"closed\"} %u\n", total_conns - open_conns);
    put_scalar(&o,
               "pathways_db_connects_total",
               "counter",
               "Connection attempts (first connects and reconnects).",
               pw_db_reconnects());
    put_scalar(&o,
               "pathways_db_pipelined_total",
               "counter",
               "Statements answered by a pipeline connection (PATHWAYS_DB_PIPELINE).",
               pw_db_pipelined());
    put_scalar(&o,
               "pathways_db_errors_total",
               "counter",
               "Database errors (failed connects, failed statements).",
               pw_db_errors());
    put_scalar(&o,
               "pathways_password_verifications_total",
               "counter",
               "Argon2id checks run (dummy ones for unknown emails included).",
               pw_password_verifications());
    if (o.failed) {
        free(o.p);
        return NULL;
    }
    *len = o.len;
    return o.p;
}
