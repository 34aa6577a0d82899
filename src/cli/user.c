/**
 * @file user.c
 * @brief `pathways user create`: bootstrap accounts (the first admin) from
 *        a shell, with the password read from standard input.
 *
 * The password never appears in argv (visible to every user of the machine
 * in ps and /proc) nor in the environment: it is the first line of stdin,
 * read without echo when stdin is a terminal. The account is written with
 * the same repository statement as POST /v1/auth/register, on a connection
 * of its own, once the schema is known to be current.
 */
#include "pathways/cli.h"
#include "pathways/config.h"
#include "pathways/migrate.h"
#include "pathways/password.h"
#include "pathways/repo_accounts.h"
#include "pathways/spec.h"

#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define MAX_ARGS 64

struct user_args {
    const char *email;
    const char *role;
    const char *display_name;
    int rest_argc; /* config flags, passed on to pw_config_load() */
    char *rest[MAX_ARGS];
};

static void
usage(FILE *to)
{
    fprintf(to,
            "usage: pathways user create --email E --role learner|editor|admin"
            " [--display-name N] [options]\n"
            "  The password is read from the first line of standard input (10 to 128"
            " characters).\n"
            "  Example: printf '%%s\\n' \"$ADMIN_PASSWORD\" | pathways user create"
            " --email admin@example.com --role admin\n");
}

/** Split our flags from the configuration flags. @return 0 or -1 (usage). */
static int
parse_args(int argc, char **argv, struct user_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char **dst = NULL;

        if (strcmp(argv[i], "--email") == 0)
            dst = &a->email;
        else if (strcmp(argv[i], "--role") == 0)
            dst = &a->role;
        else if (strcmp(argv[i], "--display-name") == 0)
            dst = &a->display_name;
        else if (strcmp(argv[i], "--password") == 0) {
            fprintf(stderr, "pathways: the password is read from stdin, never from arguments\n");
            return -1;
        }
        if (dst != NULL) {
            if (i + 1 >= argc) {
                fprintf(stderr, "pathways: option '%s' needs a value\n", argv[i]);
                return -1;
            }
            *dst = argv[++i];
        } else if (a->rest_argc < MAX_ARGS) {
            a->rest[a->rest_argc++] = argv[i];
        }
    }
    if (a->email == NULL || a->role == NULL) {
        fprintf(stderr, "pathways: --email and --role are required\n");
        return -1;
    }
    return 0;
}

/** Check what the API would check. @return 0 or -1 (with a message). */
static int
check_args(const struct user_args *a)
{
    long long n = a->display_name ? pw_utf8_length(a->display_name, strlen(a->display_name)) : 1;

    if (strlen(a->email) > 254 || !pw_pattern_match(PW_PAT_EMAIL, a->email)) {
        fprintf(stderr, "pathways: --email must be an email address\n");
        return -1;
    }
    if (pw_role_parse(a->role) == PW_ROLE_NONE) {
        fprintf(stderr, "pathways: --role must be learner, editor or admin\n");
        return -1;
    }
    if (n < 1 || n > 100) {
        fprintf(stderr, "pathways: --display-name must be 1 to 100 characters\n");
        return -1;
    }
    return 0;
}

/**
 * The first line of @a in, without its line end, into a malloc'ed string.
 * Echo is off while a terminal is read. @return NULL on end of input.
 */
static char *
read_password(FILE *in)
{
    struct termios saved, quiet;
    int tty = isatty(fileno(in)) && tcgetattr(fileno(in), &saved) == 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (tty) {
        fprintf(stderr, "password: ");
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t) ECHO;
        tcsetattr(fileno(in), TCSAFLUSH, &quiet);
    }
    n = getline(&line, &cap, in);
    if (tty) {
        tcsetattr(fileno(in), TCSAFLUSH, &saved);
        fprintf(stderr, "\n");
    }
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

/** 10..128 characters of valid UTF-8 without control characters, as the API demands. */
static int
password_ok(const char *p)
{
    size_t len = strlen(p);
    long long chars = pw_utf8_length(p, len);

    for (size_t i = 0; i < len; i++)
        if ((unsigned char) p[i] < 0x20 || p[i] == 0x7F)
            return 0;
    return chars >= PW_PASSWORD_MIN && chars <= PW_PASSWORD_MAX;
}

/** The schema must be current, as for serve. @return 0 or -1. */
static int
schema_current(const struct pw_config *cfg)
{
    PGconn *conn = PQconnectdb(cfg->database_url);
    char err[1024] = "";
    int pending = 0;
    enum pw_migrate_status st;

    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "pathways: cannot connect to the database: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return -1;
    }
    st = pw_migrate_check(conn, &pending, err, sizeof err);
    PQfinish(conn);
    if (st == PW_MIGRATE_OK)
        return 0;
    if (st == PW_MIGRATE_PENDING)
        fprintf(
            stderr, "pathways: %d migration(s) pending: run 'pathways migrate' first\n", pending);
    else
        fprintf(stderr, "pathways: %s\n", err);
    return -1;
}

static int
create_user(const struct pw_config *cfg, const struct user_args *a, const char *password)
{
    char hash[PW_PASSWORD_HASH_MAX];
    char name[101 * 4];
    struct pw_written w = { 0 };
    enum pw_db_status st;
    int rc = 1;

    if (a->display_name != NULL) {
        snprintf(name, sizeof name, "%s", a->display_name);
    } else { /* the part before the @, which check_args() made 1..64 bytes */
        snprintf(name, sizeof name, "%.*s", (int) strcspn(a->email, "@"), a->email);
    }
    if (pw_password_hash(password, strlen(password), hash) != 0) {
        fprintf(stderr, "pathways: not enough memory to hash the password\n");
        return 1;
    }
    pw_db_configure(cfg->database_url, cfg->statement_timeout_ms);
    st = pw_repo_users_create(pw_db_thread(), a->email, hash, name, a->role, &w);
    if (st == PW_DB_OK) {
        printf("%.*s\n", (int) w.body.len, w.body.data);
        fprintf(stderr, "pathways: user %s created with role %s\n", w.key, a->role);
        rc = 0;
    } else if (st == PW_DB_CONFLICT) {
        fprintf(stderr, "pathways: a user with this email already exists\n");
    } else {
        fprintf(stderr,
                "pathways: could not create the user: %s\n",
                pw_db_last_error(pw_db_thread())->message);
    }
    pw_text_release(&w.body);
    pw_db_close_all();
    return rc;
}

int
pw_cli_user(int argc, char **argv, FILE *in)
{
    struct user_args a;
    struct pw_config cfg;
    char err[256];
    char *password;
    int rc;

    if (argc < 1 || strcmp(argv[0], "create") != 0) {
        usage(stderr);
        return 2;
    }
    if (parse_args(argc - 1, argv + 1, &a) != 0 || check_args(&a) != 0) {
        usage(stderr);
        return 2;
    }
    if (pw_config_load(&cfg, a.rest_argc, a.rest, err, sizeof err) != 0) {
        fprintf(stderr, "pathways: %s\n", err);
        return 2;
    }
    password = read_password(in);
    if (password == NULL || !password_ok(password)) {
        fprintf(stderr,
                "pathways: the password (first line of stdin) must be %d to %d characters,"
                " without control characters\n",
                PW_PASSWORD_MIN,
                PW_PASSWORD_MAX);
        free(password);
        return 2;
    }
    rc = schema_current(&cfg) == 0 ? create_user(&cfg, &a, password) : 1;
    explicit_bzero(password, strlen(password));
    free(password);
    return rc;
}
