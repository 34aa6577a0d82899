/**
 * @file check_migrate.c
 * @brief `pathways migrate`, `seed` and `serve`'s start-up checks against
 *        fresh databases: pending migrations refused, checksums enforced,
 *        concurrent migrators serialised, seeding idempotent; migrate grants
 *        the app role (PATHWAYS_APP_ROLE) DML and nothing more.
 *
 * These tests create databases and run migrations: they connect as the owner
 * (PW_TEST_OWNER_DATABASE_URL when scripts/test provides it).
 */
#include "harness.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dbname[64];
static char conninfo[512];

/** Run the binary with DATABASE_URL=conninfo; @return exit code, output in @a out. */
static int
run_tool(const char *const *args, const char *jwt_secret, char *out, size_t cap)
{
    char path[] = "/tmp/pathways-migrate-XXXXXX";
    int fd = mkstemp(path);
    pid_t pid;
    int st = 0;
    const char *argv[8] = { PW_BINARY };
    unsigned n = 1;

    ck_assert_int_ge(fd, 0);
    for (; args[n - 1] != NULL && n < 7; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid = fork();
    if (pid == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("DATABASE_URL", conninfo, 1);
        setenv("PATHWAYS_LISTEN", "127.0.0.1:0", 1);
        if (jwt_secret)
            setenv("JWT_SECRET", jwt_secret, 1);
        else
            unsetenv("JWT_SECRET");
        execv(PW_BINARY, (char *const *) argv);
        _exit(127);
    }
    waitpid(pid, &st, 0);
    ssize_t got = pread(fd, out, cap - 1, 0);
    out[got > 0 ? got : 0] = '\0';
    close(fd);
    unlink(path);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
fresh_database(void)
{
    char sql[128];

    snprintf(dbname, sizeof dbname, "pw_migrate_%d_%d", (int) getpid(), rand() % 100000);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", dbname);
    ck_assert_int_eq(pw_it_sql(sql), 0);
    snprintf(conninfo, sizeof conninfo, "%s dbname=%s", getenv("PW_TEST_DATABASE_URL"), dbname);
}

static void
drop_database(void)
{
    char sql[128];

    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
    pw_it_sql(sql);
}

/** Run SQL in the fresh database. */
static int
fresh_sql(const char *sql)
{
    char saved[512];
    const char *base = getenv("PW_TEST_DATABASE_URL");
    int rc;

    snprintf(saved, sizeof saved, "%s", base);
    setenv("PW_TEST_DATABASE_URL", conninfo, 1);
    rc = pw_it_sql(sql);
    setenv("PW_TEST_DATABASE_URL", saved, 1);
    return rc;
}

/* The service's login role (PW_TEST_DATABASE_URL) and its conninfo for the fresh database. */
static char app_url[400];
static char app_role[64];

static void
setup(void)
{
    const char *owner = getenv("PW_TEST_OWNER_DATABASE_URL");

    if (getenv("PW_TEST_DATABASE_URL") == NULL) {
        fprintf(stderr, "PW_TEST_DATABASE_URL not set; skipping (run scripts/test)\n");
        exit(77);
    }
    if (app_url[0] == '\0') {
        ck_assert_uint_lt(strlen(getenv("PW_TEST_DATABASE_URL")), sizeof app_url);
        snprintf(app_url, sizeof app_url, "%s", getenv("PW_TEST_DATABASE_URL"));
        ck_assert_int_eq(pw_it_sql_text("SELECT current_user", app_role, sizeof app_role), 0);
    }
    if (owner != NULL && owner[0] != '\0')
        setenv("PW_TEST_DATABASE_URL", owner, 1);
    srand((unsigned) getpid());
    fresh_database();
}

static const char secret[] = "migrate-test-secret-0123456789abcdef";
static const char *const seed_args[] = { "seed", NULL };

START_TEST(serve_refuses_pending_migrations)
{
    const char *serve[] = { "serve", NULL };
    const char *migrate[] = { "migrate", NULL };
    char out[4096];

    ck_assert_int_eq(run_tool(serve, secret, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "pending"));
    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "applied"));
    /* Again: nothing to do, still success. */
    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "0 migration(s) applied"));
}
END_TEST

START_TEST(serve_migrate_flag_migrates_then_serves)
{
    char env_db[600];
    const char *env[] = { env_db, NULL };
    const char *args[] = { "--migrate", NULL };

    snprintf(env_db, sizeof env_db, "DATABASE_URL=%s", conninfo);
    pw_it_start_args(env, args);
    ck_assert_int_eq(pw_status("GET", "/readyz", NULL, NULL), 200);
    ck_assert_int_eq(pw_status("GET", "/v1/skills?limit=1", NULL, NULL), 200);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

START_TEST(serve_needs_a_real_secret)
{
    const char *serve[] = { "serve", NULL };
    char out[4096];

    ck_assert_int_eq(run_tool(serve, NULL, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "JWT_SECRET"));
    ck_assert_int_eq(run_tool(serve, "too-short", out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "JWT_SECRET"));
}
END_TEST

START_TEST(concurrent_migrators_are_serialised)
{
    const char *migrate[] = { "migrate", NULL };
    pid_t kids[4];
    int ok = 0;
    char out[4096];

    for (int i = 0; i < 4; i++) {
        kids[i] = fork();
        if (kids[i] == 0)
            _exit(run_tool(migrate, NULL, out, sizeof out));
    }
    for (int i = 0; i < 4; i++) {
        int st;

        waitpid(kids[i], &st, 0);
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    ck_assert_int_eq(ok, 4);
    /* Each migration recorded once. */
    ck_assert_int_eq(fresh_sql("DO $$ BEGIN IF (SELECT count(*) <> count(DISTINCT version) "
                               "FROM schema_migrations) THEN RAISE 'dup'; END IF; END $$"),
                     0);
}
END_TEST

START_TEST(changed_migration_stops_everything)
{
    const char *migrate[] = { "migrate", NULL };
    const char *serve[] = { "serve", NULL };
    char out[4096];

    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 0);
    ck_assert_int_eq(
        fresh_sql("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1"), 0);
    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "changed"));
    ck_assert_int_eq(run_tool(serve, secret, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "changed"));
}
END_TEST

START_TEST(unknown_migration_stops_everything)
{
    const char *migrate[] = { "migrate", NULL };
    char out[4096];

    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 0);
    ck_assert_int_eq(fresh_sql("INSERT INTO schema_migrations (version, name, checksum) "
                               "VALUES (9999, '9999_future.sql', 'x')"),
                     0);
    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "9999"));
}
END_TEST

START_TEST(seed_is_idempotent)
{
    const char *migrate[] = { "migrate", NULL };
    const char *seed[] = { "seed", NULL };
    const char *seed_if_empty[] = { "seed", "--if-empty", NULL };
    char out[4096];
    const char *snapshot =
        "CREATE TABLE IF NOT EXISTS counts AS SELECT"
        " (SELECT count(*) FROM paths) p, (SELECT count(*) FROM stages) s,"
        " (SELECT count(*) FROM steps) st, (SELECT count(*) FROM skills) sk,"
        " (SELECT count(*) FROM resources) r, (SELECT count(*) FROM step_skills) l";
    const char *same = "DO $$ BEGIN IF (SELECT (p, s, st, sk, r, l) FROM counts) IS DISTINCT FROM"
                       " (SELECT ((SELECT count(*) FROM paths), (SELECT count(*) FROM stages),"
                       " (SELECT count(*) FROM steps), (SELECT count(*) FROM skills),"
                       " (SELECT count(*) FROM resources), (SELECT count(*) FROM step_skills)))"
                       " THEN RAISE 'counts changed'; END IF; END $$";

    ck_assert_int_eq(run_tool(seed, NULL, out, sizeof out), 1); /* schema missing */
    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 0);
    ck_assert_int_eq(run_tool(seed_if_empty, NULL, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "loaded"));
    ck_assert_int_eq(fresh_sql(snapshot), 0);
    ck_assert_int_eq(fresh_sql("DO $$ BEGIN IF (SELECT st FROM counts) <> 20 THEN RAISE 'steps'; "
                               "END IF; END $$"),
                     0);
    ck_assert_int_eq(run_tool(seed_if_empty, NULL, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "skipped"));
    ck_assert_int_eq(run_tool(seed, NULL, out, sizeof out), 0);
    ck_assert_int_eq(fresh_sql(same), 0);
}
END_TEST

/* Timestamps keep their shape whatever the session's time zone, and pw_time() is
   inlined (EXPLAIN shows its body): a SQL function call per row costs a planned
   statement each time. */
START_TEST(pw_time_is_inlined_and_keeps_its_shape)
{
    const char *migrate[] = { "migrate", NULL };
    char out[4096];

    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 0);
    ck_assert_int_eq(
        fresh_sql("DO $$ DECLARE line text; plan text := ''; BEGIN"
                  " SET LOCAL TimeZone = 'Asia/Tokyo';"
                  " IF pw_time('2026-01-05 09:30:00.1234+02') <> '2026-01-05T07:30:00.123Z'"
                  " THEN RAISE 'shape: %', pw_time('2026-01-05 09:30:00.1234+02'); END IF;"
                  " FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) SELECT pw_time(now())'"
                  " LOOP plan := plan || line; END LOOP;"
                  " IF plan LIKE '%pw_time%' OR plan NOT LIKE '%to_char%'"
                  " THEN RAISE 'not inlined: %', plan; END IF; END $$"),
        0);
}
END_TEST

/** Run @a sql on the fresh database as the app role; @return its SQLSTATE ("" on success). */
static void
as_app(const char *sql, char *state, size_t cap)
{
    char url[700];
    PGconn *c;
    PGresult *res;
    const char *s;

    snprintf(url, sizeof url, "%s dbname=%s", app_url, dbname);
    c = PQconnectdb(url);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    res = PQexec(c, sql);
    s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    snprintf(state, cap, "%s", s != NULL ? s : "");
    PQclear(res);
    PQfinish(c);
}

START_TEST(app_role_reads_and_writes_but_cannot_create_or_drop)
{
    const char *migrate[] = { "migrate", NULL };
    char out[4096], state[8], owner_conninfo[512], env_db[700];
    const char *env[] = { env_db, NULL };

    if (getenv("PW_TEST_OWNER_DATABASE_URL") == NULL ||
        strcmp(getenv("PW_TEST_OWNER_DATABASE_URL"), app_url) == 0) {
        fprintf(stderr, "no separate app role (PW_TEST_OWNER_DATABASE_URL unset): skipped\n");
        return;
    }
    /* As the owner, naming the app role: it is granted DML. */
    setenv("PATHWAYS_APP_ROLE", app_role, 1);
    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 0);
    unsetenv("PATHWAYS_APP_ROLE");
    ck_assert_msg(strstr(out, app_role) != NULL, "%s", out);
    ck_assert_int_eq(run_tool(seed_args, NULL, out, sizeof out), 0);

    /* DML works... */
    as_app("SELECT count(*) FROM paths", state, sizeof state);
    ck_assert_str_eq(state, "");
    as_app("INSERT INTO skills (slug, name, category) VALUES ('lp-probe', 'x', 'tool')",
           state,
           sizeof state);
    ck_assert_str_eq(state, "");
    as_app("UPDATE skills SET name = 'y' WHERE slug = 'lp-probe'", state, sizeof state);
    ck_assert_str_eq(state, "");
    as_app("DELETE FROM skills WHERE slug = 'lp-probe'", state, sizeof state);
    ck_assert_str_eq(state, "");
    as_app("SELECT count(*) FROM schema_migrations", state, sizeof state);
    ck_assert_str_eq(state, "");
    /* ...DDL and the migration record do not: 42501 insufficient_privilege. */
    as_app("CREATE TABLE lp_probe (x int)", state, sizeof state);
    ck_assert_str_eq(state, "42501");
    as_app("DROP TABLE skills", state, sizeof state);
    ck_assert_str_eq(state, "42501");
    as_app("ALTER TABLE skills ADD COLUMN lp int", state, sizeof state);
    ck_assert_str_eq(state, "42501");
    as_app("TRUNCATE skills CASCADE", state, sizeof state);
    ck_assert_str_eq(state, "42501");
    as_app("DELETE FROM schema_migrations", state, sizeof state);
    ck_assert_str_eq(state, "42501");
    as_app("CREATE SCHEMA lp_probe", state, sizeof state);
    ck_assert_str_eq(state, "42501");
    as_app("CREATE DATABASE lp_probe", state, sizeof state);
    ck_assert_str_eq(state, "42501");

    /* `migrate` as the app role fails; `serve` as the app role starts and serves. */
    snprintf(owner_conninfo, sizeof owner_conninfo, "%s", conninfo);
    snprintf(conninfo, sizeof conninfo, "%s dbname=%s", app_url, dbname);
    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 1);
    ck_assert_msg(strstr(out, "permission denied") != NULL, "%s", out);
    snprintf(conninfo, sizeof conninfo, "%s", owner_conninfo);
    snprintf(env_db, sizeof env_db, "DATABASE_URL=%s dbname=%s", app_url, dbname);
    pw_it_start(env);
    ck_assert_int_eq(pw_status("GET", "/readyz", NULL, NULL), 200);
    ck_assert_int_eq(pw_status("GET", "/v1/paths/backend-developer/roadmap", NULL, NULL), 200);
    {
        const char *ed[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };

        ck_assert_int_eq(pw_status("POST",
                                   "/v1/skills",
                                   "{\"slug\":\"lp-http\",\"name\":\"LP\",\"category\":\"tool\"}",
                                   ed),
                         201);
        ck_assert_int_eq(pw_status("DELETE", "/v1/skills/lp-http", NULL, ed), 204);
    }
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

START_TEST(granting_a_missing_role_fails_clearly)
{
    const char *migrate[] = { "migrate", NULL };
    char out[4096];

    setenv("PATHWAYS_APP_ROLE", "no_such_role_pw", 1);
    ck_assert_int_eq(run_tool(migrate, NULL, out, sizeof out), 1);
    unsetenv("PATHWAYS_APP_ROLE");
    ck_assert_msg(strstr(out, "no_such_role_pw") != NULL, "%s", out);
}
END_TEST

static Suite *
migrate_suite(void)
{
    Suite *s = suite_create("migrate");
    TCase *tc = tcase_create("migrate");

    /* A fresh database per test. */
    tcase_add_checked_fixture(tc, setup, drop_database);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, serve_refuses_pending_migrations);
    tcase_add_test(tc, serve_migrate_flag_migrates_then_serves);
    tcase_add_test(tc, serve_needs_a_real_secret);
    tcase_add_test(tc, concurrent_migrators_are_serialised);
    tcase_add_test(tc, changed_migration_stops_everything);
    tcase_add_test(tc, unknown_migration_stops_everything);
    tcase_add_test(tc, seed_is_idempotent);
    tcase_add_test(tc, pw_time_is_inlined_and_keeps_its_shape);
    tcase_add_test(tc, app_role_reads_and_writes_but_cannot_create_or_drop);
    tcase_add_test(tc, granting_a_missing_role_fails_clearly);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(migrate_suite)
