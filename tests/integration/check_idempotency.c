/**
 * @file check_idempotency.c
 * @brief Idempotency-Key on POST: replays, mismatches, scopes, expiry and
 *        concurrent retries that must create exactly one resource.
 */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pw_resp
post_with_key(const char *key, const char *body, enum pw_role role)
{
    char kh[400];
    const char *h[] = { pw_auth_header(role), kh, NULL };

    snprintf(kh, sizeof kh, "Idempotency-Key: %s", key);
    return pw_http("POST", "/v1/skills", body, h);
}

static void
skill_body(char *out, size_t cap, const char *slug)
{
    snprintf(out, cap, "{\"slug\":\"%s\",\"name\":\"Idem %s\",\"category\":\"tool\"}", slug, slug);
}

START_TEST(retry_replays_the_first_reply)
{
    const char *key = pw_unique("key");
    char body[256], loc1[128], loc2[128], replayed[16];
    struct pw_resp a, b;

    skill_body(body, sizeof body, pw_unique("idem"));
    a = post_with_key(key, body, PW_ROLE_EDITOR);
    ck_assert_int_eq(a.status, 201);
    ck_assert(!pw_resp_header(&a, "Idempotent-Replayed", replayed, sizeof replayed));
    b = post_with_key(key, body, PW_ROLE_EDITOR);
    ck_assert_int_eq(b.status, 201); /* not 409: the first reply, again */
    ck_assert(pw_resp_header(&b, "Idempotent-Replayed", replayed, sizeof replayed));
    ck_assert_str_eq(replayed, "true");
    ck_assert(pw_resp_header(&a, "Location", loc1, sizeof loc1));
    ck_assert(pw_resp_header(&b, "Location", loc2, sizeof loc2));
    ck_assert_str_eq(loc1, loc2);
    ck_assert_str_eq(a.body, b.body);
    pw_resp_free(&a);
    pw_resp_free(&b);
}
END_TEST

START_TEST(same_key_other_request_is_422)
{
    const char *key = pw_unique("key");
    char body[256], other[256];
    struct pw_resp r;

    skill_body(body, sizeof body, pw_unique("idem"));
    skill_body(other, sizeof other, pw_unique("idem"));
    r = post_with_key(key, body, PW_ROLE_EDITOR);
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
    r = post_with_key(key, other, PW_ROLE_EDITOR);
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
}
END_TEST

START_TEST(keys_belong_to_their_user)
{
    const char *key = pw_unique("key");
    char body[256], other[256];
    struct pw_resp r;

    skill_body(body, sizeof body, pw_unique("idem"));
    skill_body(other, sizeof other, pw_unique("idem"));
    r = post_with_key(key, body, PW_ROLE_EDITOR);
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
    r = post_with_key(key, other, PW_ROLE_ADMIN); /* another user, same key: a new request */
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
}
END_TEST

START_TEST(client_errors_are_replayed_too)
{
    const char *key = pw_unique("key");
    struct pw_resp a = post_with_key(key, "{\"slug\":\"Bad Slug\"}", PW_ROLE_EDITOR);
    struct pw_resp b = post_with_key(key, "{\"slug\":\"Bad Slug\"}", PW_ROLE_EDITOR);

    pw_assert_problem(&a, 422);
    pw_assert_problem(&b, 422);
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "request_id")),
                     json_string_value(json_object_get(b.json, "request_id")));
    pw_resp_free(&a);
    pw_resp_free(&b);
}
END_TEST

START_TEST(malformed_keys_are_400)
{
    char longkey[300], body[256];
    struct pw_resp r;

    memset(longkey, 'k', 256);
    longkey[256] = '\0';
    skill_body(body, sizeof body, pw_unique("idem"));
    r = post_with_key(longkey, body, PW_ROLE_EDITOR);
    pw_assert_problem(&r, 400);
    pw_resp_free(&r);
    r = post_with_key("two words", body, PW_ROLE_EDITOR);
    pw_assert_problem(&r, 400);
    pw_resp_free(&r);
}
END_TEST

START_TEST(expired_keys_start_afresh)
{
    const char *key = pw_unique("key");
    char body[256], other[256], sql[512];
    struct pw_resp r;

    skill_body(body, sizeof body, pw_unique("idem"));
    skill_body(other, sizeof other, pw_unique("idem"));
    r = post_with_key(key, body, PW_ROLE_EDITOR);
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
    snprintf(
        sql,
        sizeof sql,
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = '%s'",
        key);
    ck_assert_int_eq(pw_it_sql(sql), 0);
    r = post_with_key(key, other, PW_ROLE_EDITOR);
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
}
END_TEST

struct racer {
    char request[2048];
    size_t len;
    long status;
};

static void *
race(void *arg)
{
    struct racer *r = arg;
    char reply[8192];

    r->status = pw_http_raw(r->request, r->len, reply, sizeof reply);
    return NULL;
}

START_TEST(concurrent_retries_create_one_resource)
{
    enum { N = 8 };
    const char *key = pw_unique("key");
    const char *slug = pw_unique("race");
    char body[256], path[128];
    struct racer racers[N];
    pthread_t t[N];
    int created = 0;

    skill_body(body, sizeof body, slug);
    for (int i = 0; i < N; i++) {
        racers[i].len =
            (size_t) snprintf(racers[i].request,
                              sizeof racers[i].request,
                              "POST /v1/skills HTTP/1.1\r\nHost: x\r\n%s\r\n"
                              "Idempotency-Key: %s\r\nContent-Type: application/json\r\n"
                              "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                              pw_auth_header(PW_ROLE_EDITOR),
                              key,
                              strlen(body),
                              body);
        pthread_create(&t[i], NULL, race, &racers[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        /* The winner, replays, or "still being processed": never a duplicate (409 slug). */
        ck_assert_msg(racers[i].status == 201 || racers[i].status == 409,
                      "racer %d got %ld",
                      i,
                      racers[i].status);
        created += racers[i].status == 201;
    }
    ck_assert_int_ge(created, 1);
    snprintf(path, sizeof path, "/v1/skills?q=%s&count=true", slug);
    struct pw_resp r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(pw_json_int(&r, "total"), 1);
    pw_resp_free(&r);
}
END_TEST

static Suite *
idempotency_suite(void)
{
    Suite *s = suite_create("idempotency");
    TCase *tc = tcase_create("idempotency");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, retry_replays_the_first_reply);
    tcase_add_test(tc, same_key_other_request_is_422);
    tcase_add_test(tc, keys_belong_to_their_user);
    tcase_add_test(tc, client_errors_are_replayed_too);
    tcase_add_test(tc, malformed_keys_are_400);
    tcase_add_test(tc, expired_keys_start_afresh);
    tcase_add_test(tc, concurrent_retries_create_one_resource);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(idempotency_suite)
