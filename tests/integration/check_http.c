/**
 * @file check_http.c
 * @brief The HTTP error contract: routing, methods, bodies, media types,
 *        request ids and health endpoints, against the real server.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
setup(void)
{
    static const char *const env[] = { "MAX_BODY_BYTES=4096", NULL };

    pw_it_start(env);
}

static void
teardown(void)
{
    ck_assert_int_eq(pw_it_stop(), 0);
}

START_TEST(health_endpoints)
{
    struct pw_resp r = pw_http("GET", "/healthz", NULL, NULL);

    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "ok");
    pw_resp_free(&r);
    r = pw_http("GET", "/readyz", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "ready");
    pw_resp_free(&r);
}
END_TEST

START_TEST(unknown_route_is_404)
{
    static const char *const paths[] = { "/",           "/v1",        "/v1/nothing",
                                         "/v1/skills/", "/v2/skills", "/v1/skills/postgresql/extra",
                                         "/V1/SKILLS" };

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct pw_resp r = pw_http("GET", paths[i], NULL, NULL);

        pw_assert_problem(&r, 404);
        ck_assert_str_eq(json_string_value(json_object_get(r.json, "instance")), paths[i]);
        ck_assert_str_eq(json_string_value(json_object_get(r.json, "type")), "/problems/not-found");
        pw_resp_free(&r);
    }
}
END_TEST

START_TEST(wrong_method_is_405_with_allow)
{
    struct pw_resp r = pw_http("PUT", "/v1/skills", "{}", NULL);
    char allow[128];

    pw_assert_problem(&r, 405);
    ck_assert(pw_resp_header(&r, "Allow", allow, sizeof allow));
    ck_assert_str_eq(allow, "GET, HEAD, POST, OPTIONS");
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/skills/postgresql", "{}", NULL);
    pw_assert_problem(&r, 405);
    ck_assert(pw_resp_header(&r, "Allow", allow, sizeof allow));
    ck_assert_str_eq(allow, "GET, HEAD, PATCH, DELETE, OPTIONS");
    pw_resp_free(&r);
    r = pw_http("BREW", "/v1/skills", NULL, NULL);
    pw_assert_problem(&r, 405);
    pw_resp_free(&r);
}
END_TEST

START_TEST(options_and_head)
{
    struct pw_resp r = pw_http("OPTIONS", "/v1/skills/postgresql", NULL, NULL);
    char allow[128], len[32];

    ck_assert_int_eq(r.status, 204);
    ck_assert(pw_resp_header(&r, "Allow", allow, sizeof allow));
    ck_assert_str_eq(allow, "GET, HEAD, PATCH, DELETE, OPTIONS");
    pw_resp_free(&r);
    r = pw_http("OPTIONS", "/v1/nothing", NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("HEAD", "/v1/skills/postgresql", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.len, 0);
    ck_assert(pw_resp_header(&r, "Content-Length", len, sizeof len));
    ck_assert_int_gt(atoi(len), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(request_id_is_echoed_or_made)
{
    const char *mine[] = { "X-Request-Id: my-trace.42", NULL };
    const char *insane[] = { "X-Request-Id: <script>alert(1)</script>", NULL };
    struct pw_resp r = pw_http("GET", "/v1/skills/postgresql", NULL, mine);
    char id[128];

    ck_assert(pw_resp_header(&r, "X-Request-Id", id, sizeof id));
    ck_assert_str_eq(id, "my-trace.42");
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/nothing", NULL, insane);
    ck_assert(pw_resp_header(&r, "X-Request-Id", id, sizeof id));
    ck_assert_uint_eq(strlen(id), 16);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "request_id")), id);
    pw_resp_free(&r);
    r = pw_http("GET", "/healthz", NULL, NULL);
    ck_assert(pw_resp_header(&r, "X-Request-Id", id, sizeof id));
    ck_assert_uint_eq(strlen(id), 16);
    ck_assert(pw_resp_header(&r, "X-Content-Type-Options", id, sizeof id));
    ck_assert_str_eq(id, "nosniff");
    pw_resp_free(&r);
}
END_TEST

START_TEST(malformed_json_is_400_with_position)
{
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r = pw_http("POST", "/v1/skills", "{\"slug\": \"a\",\n  \"name\": }", h);
    const char *detail;

    pw_assert_problem(&r, 400);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "type")),
                     "/problems/malformed-json");
    detail = json_string_value(json_object_get(r.json, "detail"));
    ck_assert_ptr_nonnull(strstr(detail, "line 2"));
    ck_assert_ptr_nonnull(strstr(detail, "column"));
    pw_resp_free(&r);
}
END_TEST

/*
 * A NUL byte right after a number: jansson's json_loadb() skips it, so this body used to
 * load as {"slug": "a", "position": 1} and get a 422 (the fuzz_jwt finding, in the body).
 */
START_TEST(nul_byte_in_body_is_400)
{
    static const char body[] = "{\"slug\": \"a\",\n \"position\": 1\0}";
    char req[2048], reply[8192];
    int len = snprintf(req,
                       sizeof req,
                       "POST /v1/skills HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "%s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                       pw_auth_header(PW_ROLE_EDITOR),
                       sizeof body - 1);

    ck_assert(len > 0 && (size_t) len + sizeof body < sizeof req);
    memcpy(req + len, body, sizeof body - 1);
    ck_assert_int_eq(pw_http_raw(req, (size_t) len + sizeof body - 1, reply, sizeof reply), 400);
    ck_assert_ptr_nonnull(strstr(reply, "/problems/malformed-json"));
    ck_assert_ptr_nonnull(strstr(reply, "line 2, column 15: NUL byte"));
}
END_TEST

START_TEST(bad_bodies)
{
    static const char *const bodies[] = {
        "",                                   /* missing */
        "{\"slug\": \"a\xff\"}",              /* invalid UTF-8 */
        "{\"slug\": \"a\", \"slug\": \"b\"}", /* duplicate key */
        "{\"name\": \"\\u0000\"}",            /* NUL */
        "[1, 2",                              /* truncated */
        "nul",                                /* not JSON */
    };
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };

    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct pw_resp r = pw_http("POST", "/v1/skills", bodies[i], h);

        pw_assert_problem(&r, 400);
        pw_resp_free(&r);
    }
}
END_TEST

START_TEST(deeply_nested_json_is_refused)
{
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    size_t depth = 2000;
    char *body = malloc(2 * depth + 1);
    struct pw_resp r;

    memset(body, '[', depth);
    memset(body + depth, ']', depth);
    body[2 * depth] = '\0';
    r = pw_http("POST", "/v1/skills", body, h);
    /* Either the parser's depth limit (400) or the spec (422): never a crash. */
    ck_assert(r.status == 400 || r.status == 422);
    pw_assert_problem(&r, r.status);
    pw_resp_free(&r);
    free(body);
    r = pw_http("GET", "/healthz", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
}
END_TEST

START_TEST(non_object_body_is_422)
{
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r = pw_http("POST", "/v1/skills", "[1,2,3]", h);

    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
    r = pw_http("PATCH", "/v1/skills/postgresql", "{}", h);
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
}
END_TEST

START_TEST(wrong_media_type_is_415)
{
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), "Content-Type: text/plain", NULL };
    const char *h2[] = { pw_auth_header(PW_ROLE_EDITOR),
                         "Content-Type: application/json; charset=latin1",
                         NULL };
    const char *ok[] = { pw_auth_header(PW_ROLE_EDITOR),
                         "Content-Type: application/json; charset=UTF-8",
                         NULL };
    struct pw_resp r = pw_http("POST", "/v1/skills", "{}", h);

    pw_assert_problem(&r, 415);
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/skills", "{}", h2);
    pw_assert_problem(&r, 415);
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/skills", "{}", ok);
    pw_assert_problem(&r, 422); /* past the media type check */
    pw_resp_free(&r);
}
END_TEST

START_TEST(oversized_body_is_413)
{
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    size_t n = 10000; /* MAX_BODY_BYTES is 4096 in this suite */
    char *body = malloc(n + 1);
    char req[512], reply[4096];
    struct pw_resp r;
    long code;

    memset(body, ' ', n);
    body[0] = '{';
    body[n - 1] = '}';
    body[n] = '\0';
    r = pw_http("POST", "/v1/skills", body, h);
    pw_assert_problem(&r, 413);
    pw_resp_free(&r);
    free(body);
    /* Chunked, so no Content-Length announces it: cut off while reading. */
    int len = snprintf(req,
                       sizeof req,
                       "POST /v1/skills HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "%s\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                       pw_auth_header(PW_ROLE_EDITOR));
    size_t total = (size_t) len;
    char *raw = malloc(total + 3 * 2100 + 16);
    memcpy(raw, req, total);
    for (int c = 0; c < 3; c++) {
        total += (size_t) sprintf(raw + total, "800\r\n");
        memset(raw + total, ' ', 0x800);
        total += 0x800;
        total += (size_t) sprintf(raw + total, "\r\n");
    }
    total += (size_t) sprintf(raw + total, "0\r\n\r\n");
    code = pw_http_raw(raw, total, reply, sizeof reply);
    free(raw);
    ck_assert_int_eq(code, 413);
    ck_assert_ptr_nonnull(strstr(reply, "application/problem+json"));
}
END_TEST

START_TEST(bad_path_parameters_are_404)
{
    static const char *const paths[] = {
        "/v1/skills/UPPER", "/v1/skills/a--b", "/v1/skills/-a", "/v1/skills/%00", "/v1/skills/a%2Fb"
    };

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct pw_resp r = pw_http("GET", paths[i], NULL, NULL);

        pw_assert_problem(&r, 404);
        pw_resp_free(&r);
    }
}
END_TEST

START_TEST(tokens_are_checked)
{
    const char *basic[] = { "Authorization: Basic dXNlcjpwYXNz", NULL };
    const char *none[] = { "Authorization: Bearer "
                           "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
                           "eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIiwiaXNzIjoicGF0aHdheXMiLCJpYXQiOjE3MDA"
                           "wMDAwMDAsImV4cCI6OTk5OTk5OTk5OX0.",
                           NULL };
    struct pw_resp r = pw_http("DELETE", "/v1/skills/postgresql", NULL, basic);

    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("DELETE", "/v1/skills/postgresql", NULL, none);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/skills/postgresql", NULL, NULL);
    ck_assert_int_eq(r.status, 200); /* still there */
    pw_resp_free(&r);
}
END_TEST

/* One JSON object per request in the access log, whatever the request line held. */
START_TEST(access_log_lines_are_json)
{
    static const char odd[] = "G\"E\\T /v1/skills/postgresql HTTP/1.1\r\nHost: x\r\n"
                              "Connection: close\r\n\r\n";
    const char *auth[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    const char *named[] = { "X-Request-Id: log-check:1", NULL };
    char reply[2048], line[4096];
    unsigned requests = 0, odd_seen = 0, user_seen = 0, named_seen = 0;
    FILE *f;

    pw_it_start(NULL);
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, named), 200);
    ck_assert_int_gt(pw_http_raw(odd, sizeof odd - 1, reply, sizeof reply), 0);
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, auth), 200);
    ck_assert_int_eq(pw_it_stop(), 0); /* the access log is flushed at exit */
    f = fopen(pw_it_log_path(), "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f) != NULL) {
        json_error_t err;
        json_t *j = json_loads(line, 0, &err);
        const char *method;

        ck_assert_msg(j != NULL, "not JSON (%s): %s", err.text, line);
        if (strcmp(pw_str(j, "msg"), "request") != 0) {
            json_decref(j);
            continue;
        }
        method = pw_str(j, "method");
        if (strcmp(pw_str(j, "path"), "/healthz") == 0) {
            json_decref(j); /* the harness waiting for the start */
            continue;
        }
        requests++;
        ck_assert_str_eq(pw_str(j, "path"), "/v1/skills/postgresql");
        ck_assert(json_is_integer(json_object_get(j, "status")));
        ck_assert(json_is_integer(json_object_get(j, "bytes")));
        ck_assert(json_is_integer(json_object_get(j, "duration_us")));
        ck_assert_uint_eq(strlen(pw_str(j, "time")), strlen("2026-01-05T09:30:00.000000Z"));
        odd_seen += strcmp(method, "G\"E\\T") == 0;
        named_seen += strcmp(pw_str(j, "request_id"), "log-check:1") == 0;
        if (json_is_integer(json_object_get(j, "user_id"))) {
            ck_assert_int_eq(json_integer_value(json_object_get(j, "user_id")),
                             1000 + PW_ROLE_EDITOR);
            user_seen++;
        } else {
            ck_assert(json_is_null(json_object_get(j, "user_id")));
        }
        json_decref(j);
    }
    fclose(f);
    ck_assert_uint_eq(requests, 3);
    ck_assert_uint_eq(odd_seen, 1);
    ck_assert_uint_eq(user_seen, 1);
    ck_assert_uint_eq(named_seen, 1);
}
END_TEST

static Suite *
http_suite(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("contract");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, health_endpoints);
    tcase_add_test(tc, unknown_route_is_404);
    tcase_add_test(tc, wrong_method_is_405_with_allow);
    tcase_add_test(tc, options_and_head);
    tcase_add_test(tc, request_id_is_echoed_or_made);
    tcase_add_test(tc, malformed_json_is_400_with_position);
    tcase_add_test(tc, nul_byte_in_body_is_400);
    tcase_add_test(tc, bad_bodies);
    tcase_add_test(tc, deeply_nested_json_is_refused);
    tcase_add_test(tc, non_object_body_is_422);
    tcase_add_test(tc, wrong_media_type_is_415);
    tcase_add_test(tc, oversized_body_is_413);
    tcase_add_test(tc, bad_path_parameters_are_404);
    tcase_add_test(tc, tokens_are_checked);
    suite_add_tcase(s, tc);
    tc = tcase_create("access_log");
    tcase_add_checked_fixture(tc, NULL, pw_it_stop_leftover);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, access_log_lines_are_json);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(http_suite)
