/**
 * @file metrics.h
 * @brief Prometheus metrics: requests by route and status class, latency
 *        histograms, in-flight requests, database reconnects and errors.
 *
 * The hot path only does a few relaxed atomic increments per request;
 * all formatting happens when /metrics is scraped.
 */
#ifndef PATHWAYS_METRICS_H
#define PATHWAYS_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "pathways/http.h"

/** Route index for requests that matched no route. */
#define PW_METRICS_UNMATCHED UINT32_MAX

/** Size the counters for @a routes (call once before serving). @return 0 or -1. */
int pw_metrics_init(const struct pw_route *routes);

void pw_metrics_free(void);

/** Count one finished request. */
void pw_metrics_observe(uint32_t route, unsigned status, uint64_t duration_us);

/**
 * The exposition text (Prometheus text format 0.0.4).
 * @return a malloc'ed string the caller frees, length in *len; NULL on OOM.
 */
char *pw_metrics_render(size_t *len);

#endif
