/**
 * @file check_migrate.c
 * @brief `pathways migrate`, `seed` and `serve`'s start-up checks against
 *        fresh databases: pending migrations refused, checksums enforced,
 *        concurrent migrators serialised, seeding idempotent.
 */
#include "harness.h"

#include <fcntl.h>
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

static void
setup(void)
{
    if (getenv("PW_TEST_DATABASE_URL") == NULL) {
        fprintf(stderr, "PW_TEST_DATABASE_URL not set; skipping (run scripts/test)\n");
        exit(77);
    }
    srand((unsigned) getpid());
    fresh_database();
}

static const char secret[] = "migrate-test-secret-0123456789abcdef";

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
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(migrate_suite)
