/**
 * @file check_config.c
 * @brief Settings from the environment and flags: defaults, precedence, refusals.
 */
#include "check_main.h"
#include "pathways/config.h"

#include <stdlib.h>
#include <string.h>

static const char *const vars[] = { "DATABASE_URL",
                                    "DATABASE_READ_URL",
                                    "PATHWAYS_DB_PIPELINE",
                                    "PATHWAYS_THREADS",
                                    "PATHWAYS_LISTEN",
                                    "PATHWAYS_WORKERS",
                                    "PATHWAYS_DB_PIPELINES",
                                    "PATHWAYS_LOOP_NICE",
                                    "PATHWAYS_TRUSTED_PROXIES",
                                    NULL };

static void
clear_env(void)
{
    for (unsigned i = 0; vars[i] != NULL; i++)
        unsetenv(vars[i]);
}

/** Load with @a argv (NULL-terminated); @return pw_config_load()'s result. */
static int
load(struct pw_config *cfg, const char *const *argv, char *err)
{
    int argc = 0;

    while (argv != NULL && argv[argc] != NULL)
        argc++;
    err[0] = '\0';
    return pw_config_load(cfg, argc, (char **) argv, err, 256);
}

START_TEST(defaults)
{
    struct pw_config cfg;
    char err[256];

    clear_env();
    ck_assert_int_eq(load(&cfg, NULL, err), 0);
    ck_assert_str_eq(cfg.database_url, "postgresql:///pathways");
    ck_assert_ptr_null(cfg.read_url);
    ck_assert_int_eq(cfg.db_pipeline, 1);
    ck_assert_uint_ge(cfg.threads, 1);
    ck_assert_uint_le(cfg.threads, 16);
    ck_assert_uint_eq(cfg.db_pipelines, 2);
    ck_assert_uint_eq(cfg.workers, 4);
    ck_assert_int_eq(cfg.loop_nice, -5);
    ck_assert_str_eq(cfg.listen_host, "127.0.0.1");
    ck_assert_uint_eq(cfg.listen_port, 8080);
}
END_TEST

START_TEST(flags_win_over_the_environment)
{
    static const char *const argv[] = { "--database-read-url",
                                        "host=/flag",
                                        "--db-pipeline",
                                        "on",
                                        "--threads",
                                        "6",
                                        "--workers",
                                        "3",
                                        "--db-pipelines",
                                        "5",
                                        "--loop-nice",
                                        "-20",
                                        NULL };
    struct pw_config cfg;
    char err[256];

    clear_env();
    setenv("DATABASE_READ_URL", "host=/env", 1);
    setenv("PATHWAYS_DB_PIPELINE", "off", 1);
    setenv("PATHWAYS_THREADS", "2", 1);
    setenv("PATHWAYS_WORKERS", "9", 1);
    setenv("PATHWAYS_LOOP_NICE", "19", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), 0);
    ck_assert_uint_eq(cfg.workers, 9);
    ck_assert_int_eq(cfg.loop_nice, 19);
    ck_assert_str_eq(cfg.read_url, "host=/env");
    ck_assert_int_eq(cfg.db_pipeline, 0);
    ck_assert_uint_eq(cfg.threads, 2);
    ck_assert_int_eq(load(&cfg, argv, err), 0);
    ck_assert_str_eq(cfg.read_url, "host=/flag");
    ck_assert_int_eq(cfg.db_pipeline, 1);
    ck_assert_uint_eq(cfg.threads, 6);
    ck_assert_uint_eq(cfg.workers, 3);
    ck_assert_uint_eq(cfg.db_pipelines, 5);
    ck_assert_int_eq(cfg.loop_nice, -20);
    clear_env();
}
END_TEST

START_TEST(pipeline_switch_values)
{
    static const struct {
        const char *value;
        int ok, on;
    } cases[] = {
        { "on", 1, 1 }, { "off", 1, 0 }, { "true", 1, 1 }, { "false", 1, 0 },
        { "1", 1, 1 },  { "0", 1, 0 },   { "yes", 0, 0 },  { "", 0, 0 },
        { "On", 0, 0 }, { "onn", 0, 0 }, { "2", 0, 0 },
    };
    struct pw_config cfg;
    char err[256];

    clear_env();
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("PATHWAYS_DB_PIPELINE", cases[i].value, 1);
        if (cases[i].ok) {
            ck_assert_msg(load(&cfg, NULL, err) == 0, "'%s': %s", cases[i].value, err);
            ck_assert_int_eq(cfg.db_pipeline, cases[i].on);
        } else {
            ck_assert_msg(load(&cfg, NULL, err) == -1, "'%s' was taken", cases[i].value);
            ck_assert_ptr_nonnull(strstr(err, "PATHWAYS_DB_PIPELINE"));
        }
    }
    clear_env();
}
END_TEST

START_TEST(an_empty_read_url_means_none)
{
    struct pw_config cfg;
    char err[256];

    clear_env();
    setenv("DATABASE_READ_URL", "", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), 0);
    ck_assert_ptr_null(cfg.read_url);
    clear_env();
}
END_TEST

START_TEST(bad_values_are_refused_with_their_name)
{
    static const char *const unknown[] = { "--no-such-flag", "1", NULL };
    static const char *const missing[] = { "--threads", NULL };
    struct pw_config cfg;
    char err[256];

    clear_env();
    setenv("PATHWAYS_THREADS", "0", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "PATHWAYS_THREADS"));
    setenv("PATHWAYS_THREADS", "4x", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), -1);
    clear_env();
    setenv("PATHWAYS_WORKERS", "0", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "PATHWAYS_WORKERS"));
    clear_env();
    setenv("PATHWAYS_DB_PIPELINES", "9", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "PATHWAYS_DB_PIPELINES"));
    clear_env();
    setenv("PATHWAYS_TRUSTED_PROXIES", "10.0.0.0/33", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "PATHWAYS_TRUSTED_PROXIES"));
    ck_assert_ptr_nonnull(strstr(err, "10.0.0.0/33"));
    setenv("PATHWAYS_TRUSTED_PROXIES", "", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), 0);
    ck_assert_ptr_null(cfg.trusted_proxies);
    setenv("PATHWAYS_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), 0);
    ck_assert_str_eq(cfg.trusted_proxies, "127.0.0.1, 10.0.0.0/8");
    unsetenv("PATHWAYS_TRUSTED_PROXIES");
    setenv("PATHWAYS_LOOP_NICE", "-21", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "PATHWAYS_LOOP_NICE must be an integer from -20 to 19"));
    setenv("PATHWAYS_LOOP_NICE", "20", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), -1);
    clear_env();
    setenv("PATHWAYS_LISTEN", "127.0.0.1", 1);
    ck_assert_int_eq(load(&cfg, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "PATHWAYS_LISTEN"));
    clear_env();
    ck_assert_int_eq(load(&cfg, unknown, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "--no-such-flag"));
    ck_assert_int_eq(load(&cfg, missing, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "needs a value"));
}
END_TEST

/* --help lists every setting from the one table that reads them. */
START_TEST(usage_lists_every_setting)
{
    static const char *const lines[] = {
        "  --database-url URL         DATABASE_URL (default postgresql:///pathways)\n",
        "  --loop-nice N              PATHWAYS_LOOP_NICE: the loops' niceness, -20..19 (default "
        "-5)\n",
        "  --trusted-proxies LIST     PATHWAYS_TRUSTED_PROXIES: proxies whose X-Forwarded-For "
        "counts\n",
        "  --statement-timeout MS     PATHWAYS_STATEMENT_TIMEOUT_MS (default 5000, 0 = none)\n",
    };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    unsigned n = 0;

    ck_assert_ptr_nonnull(f);
    pw_config_usage(f);
    fclose(f);
    for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ck_assert_msg(strstr(text, lines[i]) != NULL, "missing: %s", lines[i]);
    for (unsigned i = 0; vars[i] != NULL; i++)
        ck_assert_msg(strstr(text, vars[i]) != NULL, "missing: %s", vars[i]);
    for (const char *p = text; *p != '\0'; p = strchr(p, '\n') + 1, n++)
        ck_assert_msg(strncmp(p, "  --", 4) == 0, "%s", p);
    ck_assert_uint_eq(n, 20);
    free(text);
}
END_TEST

static Suite *
config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");

    tcase_add_test(tc, defaults);
    tcase_add_test(tc, flags_win_over_the_environment);
    tcase_add_test(tc, pipeline_switch_values);
    tcase_add_test(tc, an_empty_read_url_means_none);
    tcase_add_test(tc, bad_values_are_refused_with_their_name);
    tcase_add_test(tc, usage_lists_every_setting);
    suite_add_tcase(s, tc);
    return s;
}

PW_CHECK_MAIN(config_suite)
