/**
 * @file main.c
 * @brief The `pathways` binary: serve | migrate | seed | user create | version.
 */
#include "pathways/cli.h"
#include "pathways/config.h"
#include "pathways/db.h"
#include "pathways/handlers.h"
#include "pathways/log.h"
#include "pathways/migrate.h"
#include "pathways/server.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
usage(FILE *to)
{
    fprintf(to,
            "usage: pathways <command> [options]\n"
            "\n"
            "commands:\n"
            "  serve [--migrate]   serve the API (refuses pending migrations without --migrate;\n"
            "                      --migrate needs DATABASE_URL to name the schema owner)\n"
            "  migrate             apply pending database migrations (as the schema owner), then\n"
            "                      grant PATHWAYS_APP_ROLE, if set, DML on the tables\n"
            "  seed [--if-empty]   load the sample data (idempotent, one transaction)\n"
            "  user create --email E --role R [--display-name N]\n"
            "                      create an account; the password is read from stdin\n"
            "  version             print the version\n"
            "  sql --list | NAME...  print the SQL of the service's prepared statements\n"
            "                      (a tool for benchmarks: bench/run feeds it to pgbench)\n"
            "\n"
            "options (each also an environment variable):\n");
    pw_config_usage(to);
}

/** A dedicated connection for the tools (migrate, seed, start-up checks). */
static PGconn *
tool_connect(const struct pw_config *cfg)
{
    PGconn *conn = PQconnectdb(cfg->database_url);

    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "pathways: cannot connect to the database: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    return conn;
}

static int
cmd_migrate(const struct pw_config *cfg)
{
    PGconn *conn = tool_connect(cfg);
    char err[1024] = "";
    int applied = 0;

    if (conn == NULL)
        return 1;
    enum pw_migrate_status st = pw_migrate_apply(conn, &applied, err, sizeof err);
    if (st != PW_MIGRATE_OK) {
        PQfinish(conn);
        fprintf(stderr, "pathways: migrate failed: %s\n", err);
        return 1;
    }
    fprintf(stderr, "pathways: %d migration(s) applied, schema is current\n", applied);
    if (cfg->app_role != NULL) {
        if (pw_migrate_grant(conn, cfg->app_role, err, sizeof err) != 0) {
            PQfinish(conn);
            fprintf(stderr, "pathways: migrate: granting the app role failed: %s\n", err);
            return 1;
        }
        fprintf(stderr, "pathways: role %s may read and write the tables\n", cfg->app_role);
    }
    PQfinish(conn);
    return 0;
}

static int
cmd_seed(const struct pw_config *cfg)
{
    PGconn *conn = tool_connect(cfg);
    char err[1024] = "";
    int loaded = 0;
    int pending = 0;

    if (conn == NULL)
        return 1;
    if (pw_migrate_check(conn, &pending, err, sizeof err) != PW_MIGRATE_OK) {
        fprintf(stderr,
                "pathways: seed needs a current schema: %s\n",
                err[0] ? err : "run 'pathways migrate' first");
        PQfinish(conn);
        return 1;
    }
    int rc = pw_seed_run(conn, cfg->if_empty, &loaded, err, sizeof err);
    PQfinish(conn);
    if (rc != 0) {
        fprintf(stderr, "pathways: seed failed: %s\n", err);
        return 1;
    }
    fprintf(stderr,
            "pathways: %s\n",
            loaded ? "sample data loaded" : "database not empty, seed skipped");
    return 0;
}

/** Before serving: the schema must be current (or be made so with --migrate). */
static int
check_schema(const struct pw_config *cfg)
{
    char err[1024] = "";
    int pending = 0;
    PGconn *conn;

    if (cfg->migrate && cmd_migrate(cfg) != 0)
        return -1;
    conn = tool_connect(cfg);
    if (conn == NULL)
        return -1;
    enum pw_migrate_status st = pw_migrate_check(conn, &pending, err, sizeof err);
    PQfinish(conn);
    if (st == PW_MIGRATE_PENDING) {
        fprintf(stderr,
                "pathways: %d migration(s) pending: run 'pathways migrate' or 'pathways serve "
                "--migrate'\n",
                pending);
        return -1;
    }
    if (st != PW_MIGRATE_OK) {
        fprintf(stderr, "pathways: %s\n", err);
        return -1;
    }
    return 0;
}

static int
cmd_serve(const struct pw_config *cfg)
{
    char err[256];
    int rc;

    if (pw_config_check_serve(cfg, err, sizeof err) != 0) {
        fprintf(stderr, "pathways: %s\n", err);
        return 1;
    }
    if (check_schema(cfg) != 0)
        return 1;
    pw_db_configure(cfg->database_url, cfg->statement_timeout_ms);
    pw_db_configure_reads(cfg->read_url);
    if (cfg->read_url != NULL && !cfg->db_pipeline)
        fprintf(stderr,
                "pathways: DATABASE_READ_URL is used through the pipelines: with "
                "PATHWAYS_DB_PIPELINE=off every statement goes to DATABASE_URL\n");
    if (pw_resources_init(pw_routes) != 0)
        return 1;
    if (pw_accounts_init(cfg) != 0) {
        fprintf(stderr, "pathways: could not set up accounts (out of memory)\n");
        pw_resources_free(pw_routes);
        return 1;
    }
    rc = pw_server_run(cfg, pw_routes);
    pw_accounts_shutdown();
    pw_resources_free(pw_routes);
    return rc == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
    struct pw_config cfg;
    char err[256];
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (cmd == NULL || strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "-h") == 0) {
        usage(cmd == NULL ? stderr : stdout);
        return cmd == NULL ? 2 : 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("pathways %s\n", PW_VERSION);
        return 0;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "pathways: libsodium failed to initialise\n");
        return 1;
    }
    if (strcmp(cmd, "sql") == 0)
        return pw_cli_sql(argc - 2, argv + 2, pw_routes);
    if (strcmp(cmd, "user") == 0)
        return pw_cli_user(argc - 2, argv + 2, stdin);
    if (pw_config_load(&cfg, argc - 2, argv + 2, err, sizeof err) != 0) {
        fprintf(stderr, "pathways: %s\n", err);
        return 2;
    }
    pw_log_set_level(cfg.log_level);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(&cfg);
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(&cfg);
    if (strcmp(cmd, "seed") == 0)
        return cmd_seed(&cfg);
    fprintf(stderr, "pathways: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
