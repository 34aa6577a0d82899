/**
 * @file server.h
 * @brief The libmicrohttpd daemon: start, run until a signal, stop gracefully.
 */
#ifndef PATHWAYS_SERVER_H
#define PATHWAYS_SERVER_H

#include "pathways/config.h"
#include "pathways/cursor.h"
#include "pathways/http.h"

#include <stdint.h>

/** Process-wide state shared by handlers (read-only after start). */
struct pw_app {
    const struct pw_config *cfg;
    struct pw_cursor_key cursor_key;
    const struct pw_route *routes;
};

extern struct pw_app pw_app;

/**
 * Serve until SIGINT or SIGTERM, then stop accepting, let in-flight
 * requests finish (bounded wait) and return. @return 0 or -1 (start failed).
 */
int pw_server_run(const struct pw_config *cfg, const struct pw_route *routes);

/** Requests started and not yet finished. */
int pw_server_in_flight(void);

/** HTTP connections open now. */
int pw_server_connections(void);

/** Connections closed at accept because PATHWAYS_MAX_CONNECTIONS were open. */
uint64_t pw_server_refused(void);

#endif
