/**
 * @file config.c
 * @brief Reads the service configuration from the environment and flags.
 *
 * Every setting has one environment variable (what containers and
 * scripts/run use) and one flag (what a person types); the flag wins.
 */
#include "pathways/config.h"
#include "pathways/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/** One setting: its variable, its flag, and how to store it. */
struct setting {
    const char *env;
    const char *flag;
    int (*apply)(struct pw_config *cfg, const char *value, char *err, size_t errlen);
};

static int
set_database_url(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    (void) err;
    (void) errlen;
    cfg->database_url = v;
    return 0;
}

static int
set_read_url(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    (void) err;
    (void) errlen;
    cfg->read_url = v[0] != '\0' ? v : NULL;
    return 0;
}

static int
set_listen(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    const char *colon = strrchr(v, ':');
    long long port;

    if (colon == NULL || (size_t) (colon - v) >= sizeof cfg->listen_host ||
        pw_parse_int(colon + 1, 0, 65535, &port) != 0) {
        snprintf(err, errlen, "PATHWAYS_LISTEN must be HOST:PORT, got '%s'", v);
        return -1;
    }
    memcpy(cfg->listen_host, v, (size_t) (colon - v));
    cfg->listen_host[colon - v] = '\0';
    cfg->listen_port = (unsigned short) port;
    return 0;
}

static int
set_uint(unsigned *dst,
         const char *name,
         const char *v,
         long long min,
         long long max,
         char *err,
         size_t errlen)
{
    long long n;

    if (pw_parse_int(v, min, max, &n) != 0) {
        snprintf(err, errlen, "%s must be an integer from %lld to %lld", name, min, max);
        return -1;
    }
    *dst = (unsigned) n;
    return 0;
}

static int
set_threads(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    return set_uint(&cfg->threads, "PATHWAYS_THREADS", v, 1, 256, err, errlen);
}

static int
set_workers(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    return set_uint(&cfg->workers, "PATHWAYS_WORKERS", v, 1, 256, err, errlen);
}

static int
set_db_pipelines(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    return set_uint(&cfg->db_pipelines, "PATHWAYS_DB_PIPELINES", v, 1, 8, err, errlen);
}

static int
set_db_pipeline(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    if (strcmp(v, "on") == 0 || strcmp(v, "off") == 0) {
        cfg->db_pipeline = v[1] == 'n';
        return 0;
    }
    if (pw_parse_bool(v, &cfg->db_pipeline) != 0) {
        snprintf(err, errlen, "PATHWAYS_DB_PIPELINE must be on or off, got '%s'", v);
        return -1;
    }
    return 0;
}

static int
set_rate_limit(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    return set_uint(&cfg->rate_limit_per_min, "RATE_LIMIT_PER_MIN", v, 1, 1000000, err, errlen);
}

static int
set_connection_limit(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    return set_uint(&cfg->connection_limit, "PATHWAYS_MAX_CONNECTIONS", v, 1, 65536, err, errlen);
}

static int
set_idle_timeout(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    return set_uint(&cfg->connection_timeout, "PATHWAYS_IDLE_TIMEOUT", v, 1, 3600, err, errlen);
}

static int
set_statement_timeout(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    return set_uint(
        &cfg->statement_timeout_ms, "PATHWAYS_STATEMENT_TIMEOUT_MS", v, 0, 3600000, err, errlen);
}

static int
set_max_body(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    unsigned n;

    if (set_uint(&n, "MAX_BODY_BYTES", v, 1024, 64 * 1024 * 1024, err, errlen) != 0)
        return -1;
    cfg->max_body_bytes = n;
    return 0;
}

static int
set_jwt_secret(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    (void) err;
    (void) errlen;
    cfg->jwt_secret = v;
    cfg->jwt_secret_len = strlen(v);
    return 0;
}

static int
set_cors(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    (void) err;
    (void) errlen;
    cfg->cors_origins = v[0] != '\0' ? v : NULL;
    return 0;
}

static int
set_tls_cert(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    (void) err;
    (void) errlen;
    cfg->tls_cert = v[0] != '\0' ? v : NULL;
    return 0;
}

static int
set_tls_key(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    (void) err;
    (void) errlen;
    cfg->tls_key = v[0] != '\0' ? v : NULL;
    return 0;
}

static int
set_log_level(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    static const char *const names[] = { "debug", "info", "warn", "error" };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(v, names[i]) == 0) {
            cfg->log_level = (enum pw_log_level) i;
            return 0;
        }
    }
    snprintf(err, errlen, "LOG_LEVEL must be debug, info, warn or error, got '%s'", v);
    return -1;
}

static int
set_app_role(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    (void) err;
    (void) errlen;
    cfg->app_role = v[0] != '\0' ? v : NULL;
    return 0;
}

static const struct setting settings[] = {
    { "DATABASE_URL", "--database-url", set_database_url },
    { "DATABASE_READ_URL", "--database-read-url", set_read_url },
    { "PATHWAYS_LISTEN", "--listen", set_listen },
    { "PATHWAYS_THREADS", "--threads", set_threads },
    { "PATHWAYS_DB_PIPELINE", "--db-pipeline", set_db_pipeline },
    { "PATHWAYS_DB_PIPELINES", "--db-pipelines", set_db_pipelines },
    { "PATHWAYS_WORKERS", "--workers", set_workers },
    { "JWT_SECRET", "--jwt-secret", set_jwt_secret },
    { "CORS_ORIGINS", "--cors-origins", set_cors },
    { "TLS_CERT", "--tls-cert", set_tls_cert },
    { "TLS_KEY", "--tls-key", set_tls_key },
    { "LOG_LEVEL", "--log-level", set_log_level },
    { "RATE_LIMIT_PER_MIN", "--rate-limit-per-min", set_rate_limit },
    { "MAX_BODY_BYTES", "--max-body-bytes", set_max_body },
    { "PATHWAYS_MAX_CONNECTIONS", "--max-connections", set_connection_limit },
    { "PATHWAYS_IDLE_TIMEOUT", "--idle-timeout", set_idle_timeout },
    { "PATHWAYS_STATEMENT_TIMEOUT_MS", "--statement-timeout", set_statement_timeout },
    { "PATHWAYS_APP_ROLE", "--app-role", set_app_role },
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

static void
set_defaults(struct pw_config *cfg)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    memset(cfg, 0, sizeof *cfg);
    cfg->database_url = "postgresql:///pathways";
    strcpy(cfg->listen_host, "127.0.0.1");
    cfg->listen_port = 8080;
    /* A loop never blocks (workers take what may), so one per two cores: the other core
       runs the backends its pipelines keep busy (bench/RESULTS.md, "loops and workers"). */
    cfg->threads = cores > 2 ? (unsigned) (cores / 2) : 1;
    if (cfg->threads > 16)
        cfg->threads = 16;
    /* Reads and one-statement writes share each loop's pipeline connection. */
    cfg->db_pipeline = 1;
    cfg->db_pipelines = 2;
    /* Transactions and password hashes wait on these, never on a loop. */
    cfg->workers = 4;
    cfg->log_level = PW_LOG_INFO;
    cfg->rate_limit_per_min = 10;
    cfg->max_body_bytes = 1024 * 1024;
    cfg->connection_limit = 1024;
    cfg->connection_timeout = 30;
    cfg->statement_timeout_ms = 5000;
}

int
pw_config_load(struct pw_config *cfg, int argc, char **argv, char *err, size_t errlen)
{
    set_defaults(cfg);
    for (size_t i = 0; i < NSETTINGS; i++) {
        const char *v = getenv(settings[i].env);

        if (v != NULL && settings[i].apply(cfg, v, err, errlen) != 0)
            return -1;
    }
    for (int a = 0; a < argc; a++) {
        const char *arg = argv[a];
        size_t i;

        if (strcmp(arg, "--migrate") == 0) {
            cfg->migrate = 1;
            continue;
        }
        if (strcmp(arg, "--if-empty") == 0) {
            cfg->if_empty = 1;
            continue;
        }
        for (i = 0; i < NSETTINGS; i++) {
            if (strcmp(arg, settings[i].flag) == 0)
                break;
        }
        if (i == NSETTINGS) {
            snprintf(err, errlen, "unknown option '%s'", arg);
            return -1;
        }
        if (a + 1 >= argc) {
            snprintf(err, errlen, "option '%s' needs a value", arg);
            return -1;
        }
        if (settings[i].apply(cfg, argv[++a], err, errlen) != 0)
            return -1;
    }
    return 0;
}

int
pw_config_check_serve(const struct pw_config *cfg, char *err, size_t errlen)
{
    if (cfg->jwt_secret == NULL || cfg->jwt_secret_len < 32) {
        snprintf(err, errlen, "JWT_SECRET must be set to at least 32 bytes");
        return -1;
    }
    if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
        snprintf(err, errlen, "TLS_CERT and TLS_KEY must be given together");
        return -1;
    }
    return 0;
}
