/**
 * @file config.c
 * @brief Reads the service configuration from the environment and flags.
 *
 * Every setting has one environment variable (what containers and
 * scripts/run use) and one flag (what a person types); the flag wins.
 */
#include "pathways/config.h"
#include "pathways/query.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/** How a setting is stored. */
enum setting_kind {
    S_TEXT,         /**< the value as given, in a const char * field */
    S_TEXT_OR_NULL, /**< the same, "" meaning unset (NULL) */
    S_UINT,         /**< an integer from min to max, in an unsigned field */
    S_INT,          /**< an integer from min to max, in an int field */
    S_CUSTOM,       /**< apply() checks and stores it */
};

/** One setting: its variable, its flag, and how to store it. */
struct setting {
    const char *env;
    const char *flag;
    enum setting_kind kind;
    size_t field;       /**< S_TEXT*, S_UINT, S_INT: offsetof(struct pw_config, ...) */
    long long min, max; /**< S_UINT, S_INT */
    int (*apply)(struct pw_config *cfg, const char *value, char *err, size_t errlen);
    const char *arg;  /**< the flag's value in --help: "N", "URL"... */
    const char *help; /**< the rest of its --help line, after the variable's name */
};

/* The offset of @a member, which must have type @a type (no other type is selectable:
   a compile error otherwise). */
#define FIELD(member, type)                                                                        \
    _Generic(((struct pw_config *) 0)->member, type : offsetof(struct pw_config, member))
#define TEXT(env, flag, member, arg, help)                                                         \
    {                                                                                              \
        env, flag, S_TEXT, FIELD(member, const char *), 0, 0, NULL, arg, help                      \
    }
#define TEXT_OR_NULL(env, flag, member, arg, help)                                                 \
    {                                                                                              \
        env, flag, S_TEXT_OR_NULL, FIELD(member, const char *), 0, 0, NULL, arg, help              \
    }
#define UINT(env, flag, member, lo, hi, arg, help)                                                 \
    {                                                                                              \
        env, flag, S_UINT, FIELD(member, unsigned), lo, hi, NULL, arg, help                        \
    }
#define INT(env, flag, member, lo, hi, arg, help)                                                  \
    {                                                                                              \
        env, flag, S_INT, FIELD(member, int), lo, hi, NULL, arg, help                              \
    }
#define CUSTOM(env, flag, fn, arg, help)                                                           \
    {                                                                                              \
        env, flag, S_CUSTOM, 0, 0, 0, fn, arg, help                                                \
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
set_max_body(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    long long n;

    if (pw_parse_int(v, 1024, 64 * 1024 * 1024, &n) != 0) {
        snprintf(
            err, errlen, "MAX_BODY_BYTES must be an integer from 1024 to %d", 64 * 1024 * 1024);
        return -1;
    }
    cfg->max_body_bytes = (size_t) n;
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
set_trusted_proxies(struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    if (pw_proxies_parse(v, &cfg->proxies, err, errlen) != 0)
        return -1;
    cfg->trusted_proxies = v[0] != '\0' ? v : NULL;
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

static const struct setting settings[] = {
    TEXT(
        "DATABASE_URL", "--database-url", database_url, "URL", " (default postgresql:///pathways)"),
    TEXT_OR_NULL("DATABASE_READ_URL",
                 "--database-read-url",
                 read_url,
                 "URL",
                 " (a replica for anonymous reads)"),
    CUSTOM("PATHWAYS_LISTEN", "--listen", set_listen, "HOST:PORT", " (default 127.0.0.1:8080)"),
    UINT("PATHWAYS_THREADS",
         "--threads",
         threads,
         1,
         256,
         "N",
         ": event loops (default cores / 2, at least 1)"),
    CUSTOM("PATHWAYS_DB_PIPELINE", "--db-pipeline", set_db_pipeline, "on|off", " (default on)"),
    UINT("PATHWAYS_DB_PIPELINES",
         "--db-pipelines",
         db_pipelines,
         1,
         8,
         "N",
         ": pipeline connections per loop (default 2)"),
    UINT("PATHWAYS_WORKERS",
         "--workers",
         workers,
         1,
         256,
         "N",
         ": threads for blocking handlers (default 4)"),
    INT("PATHWAYS_LOOP_NICE",
        "--loop-nice",
        loop_nice,
        -20,
        19,
        "N",
        ": the loops' niceness, -20..19 (default -5)"),
    CUSTOM("JWT_SECRET", "--jwt-secret", set_jwt_secret, "S", " (required by serve, >= 32 bytes)"),
    TEXT_OR_NULL(
        "CORS_ORIGINS", "--cors-origins", cors_origins, "O", " (* or a comma list of origins)"),
    TEXT_OR_NULL("TLS_CERT", "--tls-cert", tls_cert, "F", " (PEM, with TLS_KEY)"),
    TEXT_OR_NULL("TLS_KEY", "--tls-key", tls_key, "F", " (PEM, with TLS_CERT)"),
    CUSTOM("LOG_LEVEL", "--log-level", set_log_level, "L", " (debug, info, warn, error)"),
    UINT("RATE_LIMIT_PER_MIN",
         "--rate-limit-per-min",
         rate_limit_per_min,
         1,
         1000000,
         "N",
         " (default 10)"),
    CUSTOM("PATHWAYS_TRUSTED_PROXIES",
           "--trusted-proxies",
           set_trusted_proxies,
           "LIST",
           ": proxies whose X-Forwarded-For counts"),
    CUSTOM("MAX_BODY_BYTES", "--max-body-bytes", set_max_body, "N", " (default 1048576)"),
    UINT("PATHWAYS_MAX_CONNECTIONS",
         "--max-connections",
         connection_limit,
         1,
         65536,
         "N",
         " (default 1024)"),
    UINT("PATHWAYS_IDLE_TIMEOUT",
         "--idle-timeout",
         connection_timeout,
         1,
         3600,
         "S",
         " (default 30)"),
    UINT("PATHWAYS_STATEMENT_TIMEOUT_MS",
         "--statement-timeout",
         statement_timeout_ms,
         0,
         3600000,
         "MS",
         " (default 5000, 0 = none)"),
    TEXT_OR_NULL(
        "PATHWAYS_APP_ROLE", "--app-role", app_role, "R", " (migrate: role serve connects as)"),
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

/** Store @a v for setting @a st, or say in @a err why not. @return 0 or -1. */
static int
apply(const struct setting *st, struct pw_config *cfg, const char *v, char *err, size_t errlen)
{
    char *field = (char *) cfg + st->field;
    long long n;

    switch (st->kind) {
    case S_TEXT:
        *(const char **) field = v;
        return 0;
    case S_TEXT_OR_NULL:
        *(const char **) field = v[0] != '\0' ? v : NULL;
        return 0;
    case S_UINT:
    case S_INT:
        if (pw_parse_int(v, st->min, st->max, &n) != 0) {
            snprintf(
                err, errlen, "%s must be an integer from %lld to %lld", st->env, st->min, st->max);
            return -1;
        }
        if (st->kind == S_UINT)
            *(unsigned *) field = (unsigned) n;
        else
            *(int *) field = (int) n;
        return 0;
    case S_CUSTOM:
        break;
    }
    return st->apply(cfg, v, err, errlen);
}

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
    /* A loop serves every connection it holds: descheduled for a time slice, all of them
       wait. Ahead of the backends and the load it serves, it finishes a turn instead
       (like nginx's worker_priority; bench/RESULTS.md, "loop priority"). */
    cfg->loop_nice = -5;
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

        if (v != NULL && apply(&settings[i], cfg, v, err, errlen) != 0)
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
        if (apply(&settings[i], cfg, argv[++a], err, errlen) != 0)
            return -1;
    }
    return 0;
}

void
pw_config_usage(FILE *to)
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        char left[64];

        snprintf(left, sizeof left, "%s %s", settings[i].flag, settings[i].arg);
        fprintf(to, "  %-26s %s%s\n", left, settings[i].env, settings[i].help);
    }
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
