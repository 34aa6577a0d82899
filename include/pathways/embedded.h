/**
 * @file embedded.h
 * @brief SQL files compiled into the binary (see cmake/embed.cmake).
 */
#ifndef PATHWAYS_EMBEDDED_H
#define PATHWAYS_EMBEDDED_H

#include <stddef.h>

struct pw_embedded {
    const char *name; /**< file name, e.g. "0001_init.sql"; NULL ends a table */
    const char *data; /**< contents, NUL-terminated */
    size_t len;       /**< length without the NUL */
};

/** migrations/ (every .sql file) in name order. */
extern const struct pw_embedded pw_embedded_migrations[];
/** data/ (every .sql file) in name order. */
extern const struct pw_embedded pw_embedded_data[];

/** The OpenAPI document as JSON (generated from openapi.yaml): one entry. */
extern const struct pw_embedded pw_embedded_openapi[];

#endif
