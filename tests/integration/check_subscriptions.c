/**
 * @file check_subscriptions.c
 * @brief The newsletter end to end: sign-up answers that do not tell new,
 *        subscribed and unsubscribed addresses apart, validation, the
 *        unsubscribe flow with its tokens, and the admins' subscriber list.
 */
#include "harness.h"
#include "pathways/b64url.h"
#include "pathways/cursor.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/** An address unique to this run, with some upper-case letters. */
static const char *
unique_email(void)
{
    static char bufs[4][96];
    static unsigned k;
    char *b = bufs[k++ % 4];

    snprintf(b, sizeof bufs[0], "Reader.%s@Example.ORG", pw_unique("n"));
    return b;
}

/** @a s with ASCII letters in lower case, into @a out. */
static void
lower(const char *s, char *out, size_t cap)
{
    size_t i;

    for (i = 0; s[i] != '\0' && i + 1 < cap; i++)
        out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char) (s[i] - 'A' + 'a') : s[i];
    out[i] = '\0';
}

static struct pw_resp
subscribe(const char *email, const char *source)
{
    json_t *body = json_pack("{s:s, s:b}", "email", email, "consent", 1);
    char *text;
    struct pw_resp r;

    if (source != NULL)
        json_object_set_new(body, "source", json_string(source));
    text = json_dumps(body, JSON_COMPACT);
    r = pw_http("POST", "/v1/subscriptions", text, NULL);
    free(text);
    json_decref(body);
    return r;
}

/** Sign @a email up (must succeed) and copy its token into @a token. */
static void
subscribe_token(const char *email, char *token, size_t cap)
{
    struct pw_resp r = subscribe(email, NULL);

    ck_assert_msg(r.status == 202, "%ld %s", r.status, r.body);
    snprintf(token, cap, "%s", pw_str(r.json, "unsubscribe_token"));
    pw_resp_free(&r);
}

static long
unsubscribe(const char *token)
{
    char body[256];

    snprintf(body, sizeof body, "{\"token\":\"%s\"}", token);
    return pw_status("POST", "/v1/subscriptions/unsubscribe", body, NULL);
}

/** The admin list's item for @a email (a new reference), or NULL. */
static json_t *
admin_item(const char *email)
{
    const char *h[] = { pw_auth_header(PW_ROLE_ADMIN), NULL };
    char url[256];
    json_t *item;

    snprintf(url, sizeof url, "/v1/subscriptions?email=%s", email);
    struct pw_resp r = pw_http("GET", url, NULL, h);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_uint_le(json_array_size(json_object_get(r.json, "data")), 1);
    item = json_incref(json_array_get(json_object_get(r.json, "data"), 0));
    pw_resp_free(&r);
    return item;
}

static const char *
status_of(const char *email)
{
    static char status[32];
    json_t *it = admin_item(email);

    ck_assert_ptr_nonnull(it);
    snprintf(status, sizeof status, "%s", pw_str(it, "status"));
    json_decref(it);
    return status;
}

/**
 * The header block of @a r without the lines that may differ between any two
 * responses (Date, X-Request-Id), into @a out.
 */
static void
stable_headers(const struct pw_resp *r, char *out, size_t cap)
{
    const char *p = r->headers;
    size_t o = 0;

    while (*p != '\0') {
        size_t n = strcspn(p, "\n");

        if (strncasecmp(p, "Date:", 5) != 0 && strncasecmp(p, "X-Request-Id:", 13) != 0) {
            ck_assert_uint_lt(o + n + 1, cap);
            memcpy(out + o, p, n);
            o += n;
            out[o++] = '\n';
        }
        p += n + (p[n] == '\n');
    }
    out[o] = '\0';
}

/** The body of @a r with its token replaced by "TOKEN", into @a out. */
static void
body_without_token(const struct pw_resp *r, char *out, size_t cap)
{
    const char *tok = pw_str(r->json, "unsubscribe_token");
    const char *at;

    ck_assert_ptr_nonnull(tok);
    at = strstr(r->body, tok);
    ck_assert_ptr_nonnull(at);
    snprintf(out, cap, "%.*sTOKEN%s", (int) (at - r->body), r->body, at + strlen(tok));
}

START_TEST(no_enumeration)
{
    const char *email = unique_email();
    char want_email[96];
    struct pw_resp r[4];
    char headers[4][1024], bodies[4][256];
    char tokens[4][64];

    lower(email, want_email, sizeof want_email);
    r[0] = subscribe(email, "footer");    /* new */
    r[1] = subscribe(email, "footer");    /* subscribed already */
    r[2] = subscribe(want_email, "blog"); /* the same address, other case and source */
    ck_assert_int_eq(unsubscribe(pw_str(r[2].json, "unsubscribe_token")), 204);
    r[3] = subscribe(email, "footer"); /* unsubscribed */

    for (int i = 0; i < 4; i++) {
        ck_assert_msg(r[i].status == 202, "%d: %ld %s", i, r[i].status, r[i].body);
        ck_assert_uint_eq(json_object_size(r[i].json), 2);
        ck_assert_str_eq(pw_str(r[i].json, "email"), want_email);
        snprintf(tokens[i], sizeof tokens[i], "%s", pw_str(r[i].json, "unsubscribe_token"));
        ck_assert_uint_eq(strlen(tokens[i]), 43);
        stable_headers(&r[i], headers[i], sizeof headers[i]);
        body_without_token(&r[i], bodies[i], sizeof bodies[i]);
        ck_assert_uint_eq(r[i].len, r[0].len);
        ck_assert_str_eq(headers[i], headers[0]);
        ck_assert_str_eq(bodies[i], bodies[0]);
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(tokens[i], tokens[j]); /* a fresh token every time */
    }
    ck_assert_ptr_nonnull(strstr(headers[0], "Cache-Control: no-store"));
    ck_assert_ptr_null(strstr(headers[0], "Location"));
    for (int i = 0; i < 4; i++)
        pw_resp_free(&r[i]);
    /* Re-subscribed by the last sign-up, whose token works. */
    ck_assert_str_eq(status_of(want_email), "subscribed");
    ck_assert_int_eq(unsubscribe(tokens[3]), 204);
    ck_assert_str_eq(status_of(want_email), "unsubscribed");
}
END_TEST

START_TEST(unsubscribe_flow)
{
    const char *email = unique_email();
    char t1[64], t2[64], t3[64];
    json_t *it;

    subscribe_token(email, t1, sizeof t1);
    subscribe_token(email, t2, sizeof t2);
    it = admin_item(email);
    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(pw_str(it, "status"), "subscribed");
    ck_assert(json_is_null(json_object_get(it, "unsubscribed_at")));
    ck_assert_ptr_nonnull(pw_str(it, "consented_at"));
    json_decref(it);

    /* The older token still works (a mail sent before the second sign-up). */
    ck_assert_int_eq(unsubscribe(t1), 204);
    it = admin_item(email);
    ck_assert_str_eq(pw_str(it, "status"), "unsubscribed");
    ck_assert_ptr_nonnull(pw_str(it, "unsubscribed_at"));
    json_decref(it);

    /* Spent, and every other token of the address with it: 204, nothing changes. */
    ck_assert_int_eq(unsubscribe(t1), 204);
    ck_assert_int_eq(unsubscribe(t2), 204);
    subscribe_token(email, t3, sizeof t3);
    ck_assert_str_eq(status_of(email), "subscribed");
    ck_assert_int_eq(unsubscribe(t2), 204);
    ck_assert_str_eq(status_of(email), "subscribed"); /* t2 died with the unsubscribe */
    ck_assert_int_eq(unsubscribe(t3), 204);
    ck_assert_str_eq(status_of(email), "unsubscribed");
}
END_TEST

START_TEST(older_tokens_expire_after_five)
{
    const char *email = unique_email();
    char tokens[6][64];

    for (int i = 0; i < 6; i++)
        subscribe_token(email, tokens[i], sizeof tokens[i]);
    /* The first was pruned: it changes nothing; the second is among the five kept. */
    ck_assert_int_eq(unsubscribe(tokens[0]), 204);
    ck_assert_str_eq(status_of(email), "subscribed");
    ck_assert_int_eq(unsubscribe(tokens[1]), 204);
    ck_assert_str_eq(status_of(email), "unsubscribed");
}
END_TEST

START_TEST(unknown_and_malformed_tokens)
{
    unsigned char raw[32];
    char token[64];

    /* Well-formed but never issued: 204, like a valid one (no probing). */
    randombytes_buf(raw, sizeof raw);
    ck_assert_int_eq(pw_b64url_encode(raw, sizeof raw, token, sizeof token), 43);
    ck_assert_int_eq(unsubscribe(token), 204);

    static const char *const bad[] = {
        "{\"token\":\"abc\"}",
        "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", /* 44 */
        "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!\"}",  /* 43, not base64url */
        "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
        "{\"token\":\"\"}",
        "{\"token\":42}",
        "{}",
        "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"x\":1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct pw_resp r = pw_http("POST", "/v1/subscriptions/unsubscribe", bad[i], NULL);

        pw_assert_problem(&r, 422);
        pw_resp_free(&r);
    }
    struct pw_resp r = pw_http("POST", "/v1/subscriptions/unsubscribe", bad[0], NULL);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     "token");
    pw_resp_free(&r);
    pw_expect_problem("POST", "/v1/subscriptions/unsubscribe", "{", NULL, 400);
}
END_TEST

/* Sign-up bodies that are refused, and the field each names first. */
static const struct {
    const char *body;
    const char *field;
} bad_signups[] = {
    { "{\"email\":\"a@example.org\",\"consent\":false}", "consent" },
    { "{\"email\":\"a@example.org\"}", "consent" },
    { "{\"email\":\"a@example.org\",\"consent\":\"yes\"}", "consent" },
    { "{\"email\":\"a@example.org\",\"consent\":null}", "consent" },
    { "{\"consent\":true}", "email" },
    { "{\"email\":\"no-at-sign.example.org\",\"consent\":true}", "email" },
    { "{\"email\":\"two@at@example.org\",\"consent\":true}", "email" },
    { "{\"email\":\"space in@example.org\",\"consent\":true}", "email" },
    { "{\"email\":\"tab\\t@example.org\",\"consent\":true}", "email" },
    { "{\"email\":\"ctl\\u0001@example.org\",\"consent\":true}", "email" },
    { "{\"email\":\"a@nodot\",\"consent\":true}", "email" },
    { "{\"email\":\"@example.org\",\"consent\":true}", "email" },
    { "{\"email\":\"a@example.org\",\"consent\":true,\"source\":7}", "source" },
    { "{\"email\":\"a@example.org\",\"consent\":true,\"name\":\"Ada\"}", "name" },
    { "[\"a@example.org\"]", "" },
};

START_TEST(signup_validation)
{
    struct pw_resp r = pw_http("POST", "/v1/subscriptions", bad_signups[_i].body, NULL);

    pw_assert_problem(&r, 422);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     bad_signups[_i].field);
    pw_resp_free(&r);
}
END_TEST

START_TEST(signup_limits_and_errors)
{
    char body[512], local[80], label[128];
    struct pw_resp r;

    /* Every bad field at once, in field order. */
    r = pw_http("POST",
                "/v1/subscriptions",
                "{\"email\":\"x\",\"consent\":false,\"source\":null,\"extra\":1}",
                NULL);
    pw_assert_problem(&r, 422);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "errors")), 3);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     "email");
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 1), "field"),
                     "consent");
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 2), "field"),
                     "extra");
    pw_resp_free(&r);

    /* source: 100 characters are fine, 101 are not. */
    memset(label, 's', 100);
    label[100] = '\0';
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"consent\":true,\"source\":\"%s\"}",
             unique_email(),
             label);
    ck_assert_int_eq(pw_status("POST", "/v1/subscriptions", body, NULL), 202);
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"consent\":true,\"source\":\"%ss\"}",
             unique_email(),
             label);
    pw_expect_problem("POST", "/v1/subscriptions", body, NULL, 422);

    /* email: 254 characters at most. */
    memset(local, 'a', 64);
    local[64] = '\0';
    memset(label, 'b', 60);
    label[60] = '\0';
    /* 64 + 1 + 3 * 61 + 6 = 254 */
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s@%s.%s.%s.e%d.org\",\"consent\":true}",
             local,
             label,
             label,
             label,
             (int) getpid() % 10);
    ck_assert_int_eq(pw_status("POST", "/v1/subscriptions", body, NULL), 202);
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s@%s.%s.%s.ex%d.org\",\"consent\":true}",
             local,
             label,
             label,
             label,
             (int) getpid() % 10);
    pw_expect_problem("POST", "/v1/subscriptions", body, NULL, 422);

    /* Not JSON, not an object of the right media type. */
    pw_expect_problem("POST", "/v1/subscriptions", "{\"email\":", NULL, 400);
    const char *text[] = { "Content-Type: text/plain", NULL };
    pw_expect_problem("POST", "/v1/subscriptions", "email=a@example.org", text, 415);
    pw_expect_problem("POST", "/v1/subscriptions?source=x", "{}", NULL, 400);
}
END_TEST

START_TEST(admin_only_list)
{
    const char *email = unique_email();
    char token[64], hex[65], want_email[96];
    unsigned char raw[33], digest[crypto_hash_sha256_BYTES];
    const char *admin[] = { pw_auth_header(PW_ROLE_ADMIN), NULL };
    struct pw_resp r;
    char cc[64];

    subscribe_token(email, token, sizeof token);
    lower(email, want_email, sizeof want_email);

    pw_expect_problem("GET", "/v1/subscriptions", NULL, NULL, 401);
    static const enum pw_role others[] = { PW_ROLE_LEARNER, PW_ROLE_EDITOR };
    for (size_t i = 0; i < 2; i++) {
        const char *h[] = { pw_auth_header(others[i]), NULL };

        pw_expect_problem("GET", "/v1/subscriptions", NULL, h, 403);
    }
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    pw_expect_problem("GET", "/v1/subscriptions", NULL, bad, 401);

    r = pw_http("GET", "/v1/subscriptions?limit=100&count=true", NULL, admin);
    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "no-store");
    ck_assert_int_ge(pw_json_int(&r, "total"), 1);
    /* Newest first: ours is on the first page unless a parallel suite signed up 100 since. */
    /* No token and no hash of one, under any name. */
    ck_assert_ptr_null(strstr(r.body, "token"));
    ck_assert_ptr_null(strstr(r.body, "hash"));
    ck_assert_int_eq(pw_b64url_decode(token, strlen(token), raw, sizeof raw), 32);
    crypto_hash_sha256(digest, raw, 32);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    ck_assert_ptr_null(strstr(r.body, hex));
    ck_assert_ptr_null(strstr(r.body, token));
    pw_resp_free(&r);

    /* The item: exactly these fields. */
    json_t *it = admin_item(email);
    static const char *const keys[] = {
        "id",           "email",         "status",          "source",
        "consented_at", "subscribed_at", "unsubscribed_at", "created_at",
        "updated_at"
    };
    ck_assert_ptr_nonnull(it);
    ck_assert_uint_eq(json_object_size(it), sizeof keys / sizeof keys[0]);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        ck_assert_msg(json_object_get(it, keys[i]) != NULL, "no %s", keys[i]);
    ck_assert_str_eq(pw_str(it, "email"), want_email);
    json_decref(it);

    /* status filter. */
    ck_assert_int_eq(unsubscribe(token), 204);
    r = pw_http("GET", "/v1/subscriptions?status=unsubscribed&limit=100", NULL, admin);
    ck_assert_int_eq(r.status, 200);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(r.json, "data"), i, x)
        ck_assert_str_eq(pw_str(x, "status"), "unsubscribed");
    pw_resp_free(&r);
    pw_expect_problem("GET", "/v1/subscriptions?status=pending", NULL, admin, 400);
    pw_expect_problem("GET", "/v1/subscriptions?sort=token_hash", NULL, admin, 400);
    pw_expect_problem("GET", "/v1/subscriptions/1", NULL, admin, 404);
    /* No other method on the collection. */
    ck_assert_int_eq(pw_status("DELETE", "/v1/subscriptions", NULL, admin), 405);
}
END_TEST

START_TEST(admin_list_pages)
{
    const char *admin[] = { pw_auth_header(PW_ROLE_ADMIN), NULL };
    char url[1024];
    json_t *seen = json_object();
    int pages = 0;

    for (int i = 0; i < 5; i++) {
        char token[64];

        subscribe_token(unique_email(), token, sizeof token);
    }
    /* Page through the whole list by email, 7 at a time: strictly ordered, no repeats. */
    snprintf(url, sizeof url, "/v1/subscriptions?limit=7&sort=email");
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, admin);
        json_t *data = json_object_get(r.json, "data");
        const char *next;

        ck_assert_int_eq(r.status, 200);
        for (size_t i = 0; i < json_array_size(data); i++) {
            const char *e = pw_str(json_array_get(data, i), "email");

            ck_assert_ptr_null(json_object_get(seen, e));
            json_object_set_new(seen, e, json_true());
            if (i > 0)
                ck_assert_str_lt(pw_str(json_array_get(data, i - 1), "email"), e);
        }
        pages++;
        ck_assert_int_lt(pages, 1000);
        next = pw_str(r.json, "next_cursor");
        if (next == NULL) {
            pw_resp_free(&r);
            break;
        }
        snprintf(url, sizeof url, "/v1/subscriptions?limit=7&sort=email&cursor=%s", next);
        pw_resp_free(&r);
    }
    ck_assert_uint_ge(json_object_size(seen), 5);
    json_decref(seen);
}
END_TEST

static Suite *
subscriptions_suite(void)
{
    Suite *s = suite_create("subscriptions");
    TCase *tc = tcase_create("subscriptions");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, no_enumeration);
    tcase_add_test(tc, unsubscribe_flow);
    tcase_add_test(tc, older_tokens_expire_after_five);
    tcase_add_test(tc, unknown_and_malformed_tokens);
    tcase_add_loop_test(tc, signup_validation, 0, sizeof bad_signups / sizeof bad_signups[0]);
    tcase_add_test(tc, signup_limits_and_errors);
    tcase_add_test(tc, admin_only_list);
    tcase_add_test(tc, admin_list_pages);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(subscriptions_suite)
