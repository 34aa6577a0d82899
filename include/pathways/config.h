/**
 * @file config.h
 * @brief Service configuration: environment variables, each overridable by a flag.
 */
#ifndef PATHWAYS_CONFIG_H
#define PATHWAYS_CONFIG_H

#include "pathways/proxies.h"

#include <stddef.h>
#include <stdio.h>

enum pw_log_level { PW_LOG_DEBUG, PW_LOG_INFO, PW_LOG_WARN, PW_LOG_ERROR };

struct pw_config {
    const char *database_url;   /**< DATABASE_URL / --database-url (libpq URL or conninfo) */
    const char *read_url;       /**< DATABASE_READ_URL / --database-read-url: a replica, or NULL */
    char listen_host[64];       /**< PATHWAYS_LISTEN host part, default 127.0.0.1 */
    unsigned short listen_port; /**< PATHWAYS_LISTEN port part, default 8080 (0 = any) */
    unsigned threads;           /**< PATHWAYS_THREADS / --threads: event loops, default cores / 2 */
    int db_pipeline;            /**< PATHWAYS_DB_PIPELINE / --db-pipeline: on (default) or off */
    unsigned db_pipelines;      /**< PATHWAYS_DB_PIPELINES / --db-pipelines: per loop, 1..8 */
    unsigned workers;           /**< PATHWAYS_WORKERS / --workers: threads for blocking handlers */
    int loop_nice;              /**< PATHWAYS_LOOP_NICE / --loop-nice: the loops' nice, -20..19 */
    const char *jwt_secret;     /**< JWT_SECRET, at least 32 bytes for serve */
    size_t jwt_secret_len;
    const char *cors_origins;      /**< CORS_ORIGINS (comma list or "*"), NULL = CORS off */
    const char *tls_cert;          /**< TLS_CERT path (PEM) */
    const char *tls_key;           /**< TLS_KEY path (PEM) */
    enum pw_log_level log_level;   /**< LOG_LEVEL: debug, info, warn, error */
    unsigned rate_limit_per_min;   /**< RATE_LIMIT_PER_MIN, default 10 */
    const char *trusted_proxies;   /**< PATHWAYS_TRUSTED_PROXIES as given (NULL = nobody) */
    struct pw_proxies proxies;     /**< ...parsed: whose X-Forwarded-For counts */
    size_t max_body_bytes;         /**< MAX_BODY_BYTES, default 1 MiB */
    unsigned connection_limit;     /**< PATHWAYS_MAX_CONNECTIONS, default 1024 */
    unsigned connection_timeout;   /**< PATHWAYS_IDLE_TIMEOUT seconds, default 30 */
    unsigned statement_timeout_ms; /**< PATHWAYS_STATEMENT_TIMEOUT_MS, default 5000 */
    const char *app_role;          /**< PATHWAYS_APP_ROLE: `migrate` grants it DML (NULL = none) */
    int migrate;                   /**< serve --migrate: apply pending migrations first */
    int if_empty;                  /**< seed --if-empty */
};

/**
 * Fill @a cfg from the environment, then from flags in argv (which win).
 * The flags and variables are the rows of the settings table in config.c (listed by
 * pw_config_usage()), plus --migrate and --if-empty.
 * Strings point into the environment or argv (no ownership).
 * @param[out] err  a message for the operator on failure
 * @return 0, or -1 with @a err filled
 */
int pw_config_load(struct pw_config *cfg, int argc, char **argv, char *err, size_t errlen);

/** One line per setting (flag, its value, variable, default) for --help. */
void pw_config_usage(FILE *to);

/** Check what `serve` needs beyond pw_config_load (JWT_SECRET length...). */
int pw_config_check_serve(const struct pw_config *cfg, char *err, size_t errlen);

#endif
