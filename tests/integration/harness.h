/**
 * @file harness.h
 * @brief Integration-test support: the real `pathways` binary, real
 *        PostgreSQL (PW_TEST_DATABASE_URL), real HTTP through libcurl.
 */
#ifndef PATHWAYS_HARNESS_H
#define PATHWAYS_HARNESS_H

#include <check.h>
#include <jansson.h>
#include <stddef.h>

#include "pathways/jwt.h"

#define PW_TEST_SECRET "integration-test-secret-0123456789abcdef"

struct pw_resp {
    long status;
    char *body; /**< NUL-terminated */
    size_t len;
    char *headers; /**< raw header block */
    json_t *json;  /**< parsed body when it is JSON, else NULL */
};

/**
 * Start `pathways serve` on a free loopback port (exits 77 when
 * PW_TEST_DATABASE_URL is unset: ctest's "skipped"). Extra environment
 * assignments ("NAME=value", NULL-terminated) may be given.
 */
void pw_it_start(const char *const *extra_env);

/** The same with extra arguments after `serve` (NULL-terminated, may be NULL). */
void pw_it_start_args(const char *const *extra_env, const char *const *args);

/** Talk HTTPS from now on, trusting the PEM certificate @a ca (NULL: back to HTTP). */
void pw_it_use_tls(const char *ca);

/** SIGTERM the server and return its exit status (or -1 on a signal death). */
int pw_it_stop(void);

/** A checked teardown for suites whose tests start their own server: stop one left running. */
void pw_it_stop_leftover(void);

/** The server's pid (for fault tests). */
int pw_it_pid(void);

/** The file the last server started wrote its log (stderr) to; it stays after the stop. */
const char *pw_it_log_path(void);

/** The server's loopback port (for raw-socket fault tests). */
int pw_it_port(void);

/**
 * After the test signalled the server itself: wait up to @a timeout_ms for it
 * to end. @return its exit status, -1 on a signal death, -2 on a timeout (it
 * is still running; pw_it_stop can still be used).
 */
int pw_it_wait_exit(int timeout_ms);

/** 1 when PW_TEST_SERVER_WRAPPER (e.g. valgrind) runs the server: everything is slower. */
int pw_it_wrapped(void);

/**
 * One request. @a headers: NULL-terminated "Name: value" strings (may be
 * NULL). @a body may be NULL. Content-Type application/json is sent with a
 * body unless @a headers sets one.
 */
struct pw_resp
pw_http(const char *method, const char *path, const char *body, const char *const *headers);

/** Raw bytes over a plain socket (for requests curl will not send). Returns the status line's code.
 */
long pw_http_raw(const char *request, size_t len, char *reply, size_t cap);

void pw_resp_free(struct pw_resp *r);

/** Header value (case-insensitive name) into @a out; @return 1 if present. */
int pw_resp_header(const struct pw_resp *r, const char *name, char *out, size_t cap);

/** A token for @a role signed with the test secret (static buffer per role). */
const char *pw_auth(enum pw_role role);

/** "Authorization: Bearer <token>" for @a role (static). */
const char *pw_auth_header(enum pw_role role);

/** A slug unique to this run: prefix-<pid>-<n>. Static rotating buffers. */
const char *pw_unique(const char *prefix);

/** POST a new career path (slug from pw_unique(@a prefix), @a title); asserts 201. */
const char *pw_it_new_path(const char *prefix, const char *title);

/** Run a psql-free SQL statement on the test database (for setup); 0 or -1. */
int pw_it_sql(const char *sql);

/** The value of sample @a name (a whole series name, labels included) in the Prometheus
 *  text @a text, or -1 when absent. */
long long pw_metric_in(const char *text, const char *name);

/** The same in a fresh GET /metrics. */
long long pw_it_metric(const char *name);

/** The usual unchecked fixture: start the server / stop it and require exit 0. */
void pw_it_setup(void);
void pw_it_teardown(void);

/** One request whose body is not needed: @return its status. */
long pw_status(const char *method, const char *path, const char *body, const char *const *headers);

/** One request that must answer a problem+json with @a status. */
void pw_expect_problem(const char *method,
                       const char *path,
                       const char *body,
                       const char *const *headers,
                       long status);

/** Send @a body (stolen) as JSON with @a headers (NULL-terminated, may be NULL). */
struct pw_resp
pw_send_json(const char *method, const char *path, json_t *body, const char *const *headers);

/** Send @a body (stolen) as JSON with an editor's token. */
struct pw_resp pw_editor_send(const char *method, const char *path, json_t *body);

/** String at @a key of @a obj, or NULL. */
const char *pw_str(const json_t *obj, const char *key);

/** The field names of a problem's errors, in order, comma-separated, into @a out. */
void pw_error_fields(const struct pw_resp *r, char *out, size_t cap);

/** Assert a problem with @a status whose errors name exactly @a fields ("a,b"). */
void pw_assert_fields(struct pw_resp *r, long status, const char *fields);

/** JSON integer at @a key of the response (asserting it is one). */
long long pw_json_int(const struct pw_resp *r, const char *key);

/** First column of the first row of @a sql on the test database into @a out; 0 or -1. */
int pw_it_sql_text(const char *sql, char *out, size_t cap);

/** Shorthand: assert status and a problem+json body with that status. */
#define pw_assert_problem(r, code)                                                                 \
    do {                                                                                           \
        char ct_[128] = "";                                                                        \
        ck_assert_int_eq((r)->status, (code));                                                     \
        ck_assert(pw_resp_header((r), "Content-Type", ct_, sizeof ct_));                           \
        ck_assert_str_eq(ct_, "application/problem+json");                                         \
        ck_assert_ptr_nonnull((r)->json);                                                          \
        ck_assert_int_eq(json_integer_value(json_object_get((r)->json, "status")), (code));        \
        ck_assert_ptr_nonnull(json_string_value(json_object_get((r)->json, "title")));             \
        ck_assert_ptr_nonnull(json_string_value(json_object_get((r)->json, "request_id")));        \
    } while (0)

/** main() for integration suites: no fork, so the server outlives each test. */
#define PW_IT_MAIN(suite_fn)                                                                       \
    int main(void)                                                                                 \
    {                                                                                              \
        SRunner *sr = srunner_create(suite_fn());                                                  \
        srunner_set_fork_status(sr, CK_NOFORK);                                                    \
        srunner_run_all(sr, CK_NORMAL);                                                            \
        int failed = srunner_ntests_failed(sr);                                                    \
        srunner_free(sr);                                                                          \
        return failed == 0 ? 0 : 1;                                                                \
    }

#endif
