/**
 * @file harness.c
 * @brief Starts the real server against the test database and talks HTTP to it.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t server_pid = -1;
static int server_port;
static CURL *curl;
static char log_path[256];
static const char *scheme = "http";
static char cafile[512];

static int
free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t n = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port;

    if (fd < 0 || bind(fd, (struct sockaddr *) &a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *) &a, &n) != 0) {
        perror("free_port");
        exit(1);
    }
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/** PW_TEST_SERVER_WRAPPER ("valgrind --leak-check=full ..."): runs the server under it. */
static const char *
server_wrapper(void)
{
    const char *w = getenv("PW_TEST_SERVER_WRAPPER");

    return w != NULL && w[0] != '\0' ? w : NULL;
}

int
pw_it_wrapped(void)
{
    return server_wrapper() != NULL;
}

/** The last lines of the server's log onto stderr (a failed exit: sanitizer/valgrind report). */
static void
dump_log_tail(void)
{
    FILE *f = fopen(log_path, "r");
    static char ring[80][512];
    unsigned n = 0;

    if (f == NULL)
        return;
    while (fgets(ring[n % 80], sizeof ring[0], f) != NULL)
        n++;
    fclose(f);
    fprintf(stderr, "harness: last lines of %s:\n", log_path);
    for (unsigned i = n > 80 ? n - 80 : 0; i < n; i++)
        fputs(ring[i % 80], stderr);
}

static void
wait_ready(void)
{
    /* 15 s, or 120 s when the server runs under a (slow) wrapper such as valgrind. */
    int tries = server_wrapper() != NULL ? 2400 : 300;

    for (int i = 0; i < tries; i++) {
        struct pw_resp r = pw_http("GET", "/healthz", NULL, NULL);
        int st;

        if (r.status == 200) {
            pw_resp_free(&r);
            return;
        }
        pw_resp_free(&r);
        if (waitpid(server_pid, &st, WNOHANG) == server_pid) {
            fprintf(stderr, "harness: the server exited at start; see %s\n", log_path);
            exit(1);
        }
        usleep(50 * 1000);
    }
    fprintf(stderr, "harness: the server did not answer /healthz; see %s\n", log_path);
    exit(1);
}

void
pw_it_use_tls(const char *ca)
{
    scheme = ca != NULL ? "https" : "http";
    snprintf(cafile, sizeof cafile, "%s", ca != NULL ? ca : "");
}

void
pw_it_start(const char *const *extra_env)
{
    pw_it_start_args(extra_env, NULL);
}

void
pw_it_start_args(const char *const *extra_env, const char *const *args)
{
    const char *db = getenv("PW_TEST_DATABASE_URL");
    char listen[64];

    if (db == NULL || db[0] == '\0') {
        fprintf(stderr, "harness: PW_TEST_DATABASE_URL is not set; skipping (run scripts/test)\n");
        exit(77);
    }
    if (curl == NULL) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        curl = curl_easy_init();
    }
    server_port = free_port();
    snprintf(listen, sizeof listen, "127.0.0.1:%d", server_port);
    snprintf(log_path, sizeof log_path, "/tmp/pathways-it-%d-%d.log", (int) getpid(), server_port);
    fflush(NULL);
    server_pid = fork();
    if (server_pid == 0) {
        FILE *log = freopen(log_path, "w", stderr);

        (void) log;
        setenv("DATABASE_URL", db, 1);
        setenv("JWT_SECRET", PW_TEST_SECRET, 1);
        setenv("PATHWAYS_LISTEN", listen, 1);
        setenv("PATHWAYS_THREADS", "4", 1);
        for (unsigned i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
            putenv((char *) extra_env[i]);
        char *argv[48];
        unsigned n = 0;
        const char *wrapper = server_wrapper();
        char *words = wrapper != NULL ? strdup(wrapper) : NULL;

        /* The wrapper's words (split on spaces) come first: valgrind ... pathways serve ... */
        for (char *save = NULL, *w = words ? strtok_r(words, " ", &save) : NULL;
             w != NULL && n < 30;
             w = strtok_r(NULL, " ", &save))
            argv[n++] = w;
        argv[n++] = (char *) PW_BINARY;
        argv[n++] = (char *) "serve";
        for (unsigned i = 0; args != NULL && args[i] != NULL && n < 47; i++)
            argv[n++] = (char *) args[i];
        argv[n] = NULL;
        execvp(argv[0], argv);
        _exit(127);
    }
    wait_ready();
}

int
pw_it_stop(void)
{
    int st = 0;

    if (server_pid <= 0)
        return -1;
    kill(server_pid, SIGTERM);
    if (waitpid(server_pid, &st, 0) != server_pid)
        return -1;
    server_pid = -1;
    if (curl != NULL) {
        curl_easy_cleanup(curl);
        curl = NULL;
        curl_global_cleanup();
    }
    if (!WIFEXITED(st)) {
        fprintf(stderr, "harness: server died by signal %d; see %s\n", WTERMSIG(st), log_path);
        dump_log_tail();
        return -1;
    }
    if (WEXITSTATUS(st) != 0) {
        fprintf(stderr, "harness: server exited %d; see %s\n", WEXITSTATUS(st), log_path);
        dump_log_tail();
    }
    return WEXITSTATUS(st);
}

void
pw_it_stop_leftover(void)
{
    if (server_pid > 0)
        pw_it_stop();
}

const char *
pw_it_log_path(void)
{
    return log_path;
}

int
pw_it_pid(void)
{
    return (int) server_pid;
}

int
pw_it_port(void)
{
    return server_port;
}

int
pw_it_wait_exit(int timeout_ms)
{
    int st = 0;

    for (int waited = 0; server_pid > 0; waited += 10) {
        pid_t p = waitpid(server_pid, &st, WNOHANG);

        if (p == server_pid)
            break;
        if (p < 0 || waited >= timeout_ms)
            return -2;
        usleep(10 * 1000);
    }
    if (server_pid <= 0)
        return -1;
    server_pid = -1;
    if (curl != NULL) {
        curl_easy_cleanup(curl);
        curl = NULL;
        curl_global_cleanup();
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "harness: server ended with status 0x%x; see %s\n", st, log_path);
        dump_log_tail();
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct buf {
    char *p;
    size_t n;
};

static size_t
on_data(char *data, size_t size, size_t nmemb, void *cls)
{
    struct buf *b = cls;
    size_t n = size * nmemb;
    char *np = realloc(b->p, b->n + n + 1);

    if (np == NULL)
        return 0;
    memcpy(np + b->n, data, n);
    b->n += n;
    np[b->n] = '\0';
    b->p = np;
    return n;
}

struct pw_resp
pw_http(const char *method, const char *path, const char *body, const char *const *headers)
{
    struct pw_resp r = { 0 };
    struct buf b = { 0 }, h = { 0 };
    struct curl_slist *hl = NULL;
    char url[2048];
    int has_ct = 0;

    snprintf(url, sizeof url, "%s://127.0.0.1:%d%s", scheme, server_port, path);
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    if (cafile[0] != '\0')
        curl_easy_setopt(curl, CURLOPT_CAINFO, cafile);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
    /* Under valgrind a password hash alone can take tens of seconds. */
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, server_wrapper() != NULL ? 600L : 30L);
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    for (unsigned i = 0; headers != NULL && headers[i] != NULL; i++) {
        hl = curl_slist_append(hl, headers[i]);
        if (strncasecmp(headers[i], "Content-Type:", 13) == 0)
            has_ct = 1;
    }
    if (body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long) strlen(body));
        if (!has_ct)
            hl = curl_slist_append(hl, "Content-Type: application/json");
    }
    hl = curl_slist_append(hl, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hl);
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hl);
    r.body = b.p ? b.p : strdup("");
    r.len = b.n;
    r.headers = h.p ? h.p : strdup("");
    r.json = r.len ? json_loadb(r.body, r.len, 0, NULL) : NULL;
    return r;
}

long
pw_http_raw(const char *request, size_t len, char *reply, size_t cap)
{
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t) server_port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    size_t got = 0;
    long code = -1;
    struct timeval tv = { .tv_sec = 10 };

    if (fd < 0 || connect(fd, (struct sockaddr *) &a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (write(fd, request, len) != (ssize_t) len) {
        close(fd);
        return -1;
    }
    shutdown(fd, SHUT_WR);
    while (got + 1 < cap) {
        ssize_t n = read(fd, reply + got, cap - got - 1);

        if (n <= 0)
            break;
        got += (size_t) n;
    }
    reply[got] = '\0';
    close(fd);
    if (sscanf(reply, "HTTP/1.%*d %ld", &code) != 1)
        code = -1;
    return code;
}

void
pw_resp_free(struct pw_resp *r)
{
    free(r->body);
    free(r->headers);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

int
pw_resp_header(const struct pw_resp *r, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);

    for (const char *line = r->headers; line != NULL && *line != '\0';) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t) (end - line) : strlen(line);

        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;

            while (*v == ' ')
                v++;
            snprintf(out, cap, "%.*s", (int) (line + len - v), v);
            return 1;
        }
        line = end ? end + 2 : NULL;
    }
    return 0;
}

const char *
pw_auth(enum pw_role role)
{
    static char tokens[4][1024];
    char *tok;

    if (tokens[role][0] == '\0') {
        tok = pw_jwt_issue((const unsigned char *) PW_TEST_SECRET,
                           strlen(PW_TEST_SECRET),
                           1000 + role,
                           role,
                           time(NULL),
                           3600);
        snprintf(tokens[role], sizeof tokens[role], "%s", tok ? tok : "");
        free(tok);
    }
    return tokens[role];
}

const char *
pw_auth_header(enum pw_role role)
{
    static char headers[4][1100];

    snprintf(headers[role], sizeof headers[role], "Authorization: Bearer %s", pw_auth(role));
    return headers[role];
}

const char *
pw_unique(const char *prefix)
{
    static char bufs[8][80];
    static unsigned n;
    char *b = bufs[n % 8];

    snprintf(b, sizeof bufs[0], "%s-%d-%u", prefix, (int) getpid(), ++n);
    return b;
}

const char *
pw_it_new_path(const char *prefix, const char *title)
{
    const char *slug = pw_unique(prefix);
    struct pw_resp r =
        pw_editor_send("POST",
                       "/v1/paths",
                       json_pack("{s:s, s:s, s:s}", "slug", slug, "title", title, "summary", "S"));

    ck_assert_msg(r.status == 201, "new path %s: %ld %s", slug, r.status, r.body);
    pw_resp_free(&r);
    return slug;
}

long long
pw_metric_in(const char *text, const char *name)
{
    size_t n = strlen(name);
    long long v = -1;

    for (const char *line = text; line != NULL && *line != '\0';) {
        if (strncmp(line, name, n) == 0 && line[n] == ' ')
            v = strtoll(line + n + 1, NULL, 10);
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    return v;
}

long long
pw_it_metric(const char *name)
{
    struct pw_resp r = pw_http("GET", "/metrics", NULL, NULL);
    long long v = r.status == 200 ? pw_metric_in(r.body, name) : -1;

    pw_resp_free(&r);
    return v;
}

int
pw_it_sql(const char *sql)
{
    PGconn *c = PQconnectdb(getenv("PW_TEST_DATABASE_URL"));
    PGresult *res;
    int ok;

    if (PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        return -1;
    }
    res = PQexec(c, sql);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    PQclear(res);
    PQfinish(c);
    return ok ? 0 : -1;
}

void
pw_it_setup(void)
{
    pw_it_start(NULL);
}

void
pw_it_teardown(void)
{
    ck_assert_int_eq(pw_it_stop(), 0); /* clean exit: no sanitizer report, no hang */
}

long
pw_status(const char *method, const char *path, const char *body, const char *const *headers)
{
    struct pw_resp r = pw_http(method, path, body, headers);
    long st = r.status;

    pw_resp_free(&r);
    return st;
}

void
pw_expect_problem(
    const char *method, const char *path, const char *body, const char *const *headers, long status)
{
    struct pw_resp r = pw_http(method, path, body, headers);

    ck_assert_msg(r.status == status,
                  "%s %s: expected %ld, got %ld: %s",
                  method,
                  path,
                  status,
                  r.status,
                  r.body);
    pw_assert_problem(&r, status);
    pw_resp_free(&r);
}

long long
pw_json_int(const struct pw_resp *r, const char *key)
{
    const json_t *v = json_object_get(r->json, key);

    ck_assert_msg(json_is_integer(v), "'%s' is not an integer in %s", key, r->body);
    return json_integer_value(v);
}

int
pw_it_sql_text(const char *sql, char *out, size_t cap)
{
    PGconn *c = PQconnectdb(getenv("PW_TEST_DATABASE_URL"));
    PGresult *res;
    int ok;

    if (PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        return -1;
    }
    res = PQexec(c, sql);
    ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0;
    if (ok)
        snprintf(out, cap, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(c);
    return ok ? 0 : -1;
}

struct pw_resp
pw_send_json(const char *method, const char *path, json_t *body, const char *const *headers)
{
    char *text = json_dumps(body, JSON_COMPACT);
    struct pw_resp r;

    ck_assert_ptr_nonnull(text);
    r = pw_http(method, path, text, headers);
    free(text);
    json_decref(body);
    return r;
}

struct pw_resp
pw_editor_send(const char *method, const char *path, json_t *body)
{
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };

    return pw_send_json(method, path, body, h);
}

const char *
pw_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

void
pw_error_fields(const struct pw_resp *r, char *out, size_t cap)
{
    json_t *errs = json_object_get(r->json, "errors");
    size_t o = 0;

    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(errs) && o < cap; i++)
        o += (size_t) snprintf(
            out + o, cap - o, "%s%s", i ? "," : "", pw_str(json_array_get(errs, i), "field"));
}

void
pw_assert_fields(struct pw_resp *r, long status, const char *fields)
{
    char got[512];

    pw_assert_problem(r, status);
    pw_error_fields(r, got, sizeof got);
    ck_assert_str_eq(got, fields);
}
