/**
 * @file check_attack_tokens.c
 * @brief Attack suite, part 2: hostile bearer tokens against a protected
 *        route (alg none, HS/RS confusion, wrong issuer, expired, not yet
 *        valid, tampered payload, wrong key, oversized), the security headers
 *        of every route class, and what a client gets past the request-size
 *        limits (README "Limits and failure behaviour").
 *
 * Tokens are built here byte by byte (base64url + libsodium's HMAC-SHA256),
 * as in tests/unit/check_jwt.c, so the server's libjwt never helps.
 */
#include "it_accounts.h"

#include <sodium.h>
#include <time.h>

static const char *const rate_env[] = { "RATE_LIMIT_PER_MIN=1000", NULL };

static void
setup(void)
{
    pw_it_start(rate_env);
}

/* ---- token crafting ------------------------------------------------------- */

static char *
b64url(const void *in, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(cap);

    ck_assert_ptr_nonnull(out);
    sodium_bin2base64(out, cap, in, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/** "b64(header).b64(payload).b64(HMAC-SHA256(key, first two))", malloc'ed. */
static char *
craft_key(const char *key, const char *header, const char *payload)
{
    char *h = b64url(header, strlen(header));
    char *p = b64url(payload, strlen(payload));
    size_t cap = strlen(h) + strlen(p) + 64;
    char *tok = malloc(cap);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    char *sig;

    ck_assert_ptr_nonnull(tok);
    snprintf(tok, cap, "%s.%s", h, p);
    crypto_auth_hmacsha256_init(&st, (const unsigned char *) key, strlen(key));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *) tok, strlen(tok));
    crypto_auth_hmacsha256_final(&st, mac);
    sig = b64url(mac, sizeof mac);
    strcat(tok, ".");
    strcat(tok, sig);
    free(h);
    free(p);
    free(sig);
    return tok;
}

static char *
craft(const char *header, const char *payload)
{
    return craft_key(PW_TEST_SECRET, header, payload);
}

#define HS256 "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

/** A payload for user @a sub: role, issuer and times as given. */
static void
payload(char *out,
        size_t cap,
        long long sub,
        const char *role,
        const char *iss,
        long long iat,
        long long exp)
{
    snprintf(out,
             cap,
             "{\"sub\":\"%lld\",\"role\":\"%s\",\"iss\":\"%s\",\"iat\":%lld,\"exp\":%lld}",
             sub,
             role,
             iss,
             iat,
             exp);
}

/** GET /v1/me with "Bearer @a token": the status; a 401 must be a proper challenge. */
static long
try_token(const char *token, const char *what)
{
    size_t cap = strlen(token) + 64;
    char *hdr = malloc(cap);
    const char *h[] = { hdr, NULL };
    struct pw_resp r;
    long st;

    snprintf(hdr, cap, "Authorization: Bearer %s", token);
    r = pw_http("GET", "/v1/me", NULL, h);
    st = r.status;
    if (st == 401) {
        char www[128];

        pw_assert_problem(&r, 401);
        ck_assert_msg(pw_resp_header(&r, "WWW-Authenticate", www, sizeof www), "%s", what);
        ck_assert_msg(strncmp(www, "Bearer", 6) == 0, "%s: %s", what, www);
    }
    pw_resp_free(&r);
    free(hdr);
    return st;
}

static void
refused(char *token, const char *what)
{
    long st = try_token(token, what);

    ck_assert_msg(st == 401, "%s: %ld, not 401", what, st);
    free(token);
}

START_TEST(hostile_tokens_are_401)
{
    struct it_session s;
    long long now = (long long) time(NULL);
    char p[512], other[512];
    char *tok;

    it_new_learner(&s, "tok");
    /* Positive control: the crafting is right, so each refusal below is the server's. */
    payload(p, sizeof p, s.user_id, "learner", "pathways", now, now + 600);
    tok = craft(HS256, p);
    ck_assert_int_eq(try_token(tok, "valid"), 200);
    free(tok);

    /* alg none: unsigned, and "signed" anyway. */
    {
        char *h = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}", 27);
        char *b = b64url(p, strlen(p));
        size_t cap = strlen(h) + strlen(b) + 4;

        tok = malloc(cap);
        snprintf(tok, cap, "%s.%s.", h, b);
        refused(tok, "alg none, empty signature");
        free(h);
        free(b);
    }
    refused(craft("{\"alg\":\"none\",\"typ\":\"JWT\"}", p), "alg none, HMAC signature");
    refused(craft("{\"alg\":\"None\"}", p), "alg None");
    refused(craft("{\"typ\":\"JWT\"}", p), "no alg");
    /* HS/RS confusion: RS256 header, signed with HMAC of the shared secret. */
    refused(craft("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", p), "RS256 signed with HMAC");
    refused(craft("{\"alg\":\"ES256\",\"typ\":\"JWT\"}", p), "ES256");
    refused(craft("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", p), "HS512");
    /* Key hints (jku, kid, jwk) are not followed: the pinned secret decides either way. */
    tok = craft_key("attacker-key-0123456789abcdef0123456789",
                    "{\"alg\":\"HS256\",\"jku\":\"http://evil.example/k\",\"kid\":\"evil\"}",
                    p);
    refused(tok, "jku/kid naming the attacker's key");
    tok = craft("{\"alg\":\"HS256\",\"kid\":\"../../dev/null\"}", p);
    ck_assert_int_eq(try_token(tok, "kid ignored"), 200);
    free(tok);
    /* Another key. */
    refused(craft_key("not-the-server-secret-0123456789abcdef", HS256, p), "wrong key");
    refused(craft_key("", HS256, p), "empty key");
    /* Claims. */
    payload(other, sizeof other, s.user_id, "learner", "someone-else", now, now + 600);
    refused(craft(HS256, other), "wrong iss");
    snprintf(other,
             sizeof other,
             "{\"sub\":\"%lld\",\"role\":\"learner\",\"iat\":%lld,\"exp\":%lld}",
             s.user_id,
             now,
             now + 600);
    refused(craft(HS256, other), "no iss");
    payload(other, sizeof other, s.user_id, "learner", "pathways", now - 3600, now - 60);
    refused(craft(HS256, other), "expired");
    payload(other, sizeof other, s.user_id, "learner", "pathways", now + 3600, now + 7200);
    refused(craft(HS256, other), "issued in the future");
    snprintf(other,
             sizeof other,
             "{\"sub\":\"%lld\",\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":%lld,"
             "\"nbf\":%lld,\"exp\":%lld}",
             s.user_id,
             now,
             now + 3600,
             now + 7200);
    refused(craft(HS256, other), "not yet valid (nbf)");
    snprintf(other,
             sizeof other,
             "{\"sub\":\"%lld\",\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":%lld}",
             s.user_id,
             now);
    refused(craft(HS256, other), "no exp");
    payload(other, sizeof other, s.user_id, "superuser", "pathways", now, now + 600);
    refused(craft(HS256, other), "unknown role");

    /* Tampered payload under the original signature: role raised, subject changed. */
    {
        char *good = craft(HS256, p);
        char *dot1 = strchr(good, '.'), *dot2 = strrchr(good, '.');
        char *b;
        size_t cap;

        payload(other, sizeof other, s.user_id, "admin", "pathways", now, now + 600);
        b = b64url(other, strlen(other));
        cap = strlen(good) + strlen(b) + 8;
        tok = malloc(cap);
        snprintf(tok, cap, "%.*s.%s%s", (int) (dot1 - good), good, b, dot2);
        refused(tok, "role raised under the old signature");
        free(b);
        payload(other, sizeof other, s.user_id + 1, "learner", "pathways", now, now + 600);
        b = b64url(other, strlen(other));
        tok = malloc(cap + 8);
        snprintf(tok, cap + 8, "%.*s.%s%s", (int) (dot1 - good), good, b, dot2);
        refused(tok, "another subject under the old signature");
        free(b);
        /* One flipped signature character. */
        tok = strdup(good);
        tok[strlen(tok) - 2] = tok[strlen(tok) - 2] == 'A' ? 'B' : 'A';
        refused(tok, "flipped signature");
        /* Extra parts and padding. */
        cap = strlen(good) + 8;
        tok = malloc(cap);
        snprintf(tok, cap, "%s.x", good);
        refused(tok, "four parts");
        tok = malloc(cap);
        snprintf(tok, cap, "%s==", good);
        refused(tok, "padded");
        free(good);
    }
    /* A real learner token must not reach admin routes: role from a valid token is 403. */
    {
        const char *h[] = { s.auth, NULL };

        pw_expect_problem("GET", "/v1/subscriptions", NULL, h, 403);
    }

    /* Oversized: 10 KB (above the 4 KiB the verifier accepts, far below the header limit). */
    {
        size_t n = 10 * 1024;

        tok = malloc(n + 1);
        memset(tok, 'A', n);
        tok[n] = '\0';
        memcpy(tok, "eyJhbGciOiJIUzI1NiJ9.", 21);
        tok[n / 2] = '.';
        refused(tok, "10 KB token");
    }
    /* Not a bearer token at all. */
    refused(strdup(""), "empty");
    refused(strdup("not.a.jwt"), "garbage");
    {
        const char *h[] = { "Authorization: Basic dXNlcjpwYXNzd29yZA==", NULL };

        pw_expect_problem("GET", "/v1/me", NULL, h, 401);
    }
}
END_TEST

/* ---- security headers ---------------------------------------------------- */

/** nosniff always; no-store when @a private_reply. */
static void
headers_ok(
    const char *method, const char *url, const char *body, const char *auth, int private_reply)
{
    const char *h[] = { auth, NULL };
    struct pw_resp r = pw_http(method, url, body, h);
    char v[128];

    ck_assert_msg(pw_resp_header(&r, "X-Content-Type-Options", v, sizeof v),
                  "%s %s (%ld): no X-Content-Type-Options",
                  method,
                  url,
                  r.status);
    ck_assert_str_eq(v, "nosniff");
    ck_assert_msg(pw_resp_header(&r, "X-Request-Id", v, sizeof v), "%s %s", method, url);
    if (private_reply) {
        ck_assert_msg(pw_resp_header(&r, "Cache-Control", v, sizeof v),
                      "%s %s (%ld): no Cache-Control",
                      method,
                      url,
                      r.status);
        ck_assert_msg(
            strcmp(v, "no-store") == 0, "%s %s (%ld): Cache-Control %s", method, url, r.status, v);
    }
    pw_resp_free(&r);
}

START_TEST(security_headers_on_every_route_class)
{
    struct it_session s;
    const char *ed = pw_auth_header(PW_ROLE_EDITOR);
    const char *admin = pw_auth_header(PW_ROLE_ADMIN);
    char body[512], url[128];

    it_new_learner(&s, "hdr");
    /* Operations and documents. */
    headers_ok("GET", "/healthz", NULL, NULL, 0);
    headers_ok("GET", "/readyz", NULL, NULL, 0);
    headers_ok("GET", "/metrics", NULL, NULL, 0);
    headers_ok("GET", "/openapi.json", NULL, NULL, 0);
    /* Public catalogue: lists, items, 304, documents, search. */
    headers_ok("GET", "/v1/paths", NULL, NULL, 0);
    headers_ok("GET", "/v1/paths/backend-developer", NULL, NULL, 0);
    headers_ok("GET", "/v1/paths/backend-developer/roadmap", NULL, NULL, 0);
    headers_ok("GET", "/v1/skills?limit=2", NULL, NULL, 0);
    headers_ok("GET", "/v1/search?q=sql", NULL, NULL, 0);
    headers_ok("HEAD", "/v1/paths", NULL, NULL, 0);
    headers_ok("OPTIONS", "/v1/paths", NULL, NULL, 0);
    /* Errors of every kind. */
    headers_ok("GET", "/v1/nothing-here", NULL, NULL, 1);
    headers_ok("PUT", "/v1/paths", "{}", ed, 1);
    headers_ok("POST", "/v1/skills", "{", ed, 1);
    headers_ok("POST", "/v1/skills", "{}", ed, 1);
    headers_ok("POST", "/v1/skills", "{}", NULL, 1);
    headers_ok("GET", "/v1/skills?cursor=bogus", NULL, NULL, 1);
    /* Writes. */
    snprintf(body,
             sizeof body,
             "{\"slug\":\"%s\",\"name\":\"H\",\"category\":\"tool\"}",
             pw_unique("hdr"));
    headers_ok("POST", "/v1/skills", body, ed, 1);
    /* Auth: every answer no-store, success or not. */
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", s.email, IT_PASSWORD);
    headers_ok("POST", "/v1/auth/login", body, NULL, 1);
    headers_ok(
        "POST", "/v1/auth/login", "{\"email\":\"x@example.com\",\"password\":\"y\"}", NULL, 1);
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"H\"}",
             it_email("hdr2"),
             IT_PASSWORD);
    headers_ok("POST", "/v1/auth/register", body, NULL, 1);
    headers_ok("POST", "/v1/auth/register", "{}", NULL, 1);
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", s.refresh);
    headers_ok("POST", "/v1/auth/refresh", body, NULL, 1);
    headers_ok("POST", "/v1/auth/refresh", body, NULL, 1); /* reused: 401 */
    headers_ok("POST", "/v1/auth/logout", body, NULL, 1);
    /* The caller's own data. */
    {
        char email[128];

        snprintf(email, sizeof email, "%s", s.email);
        it_login(&s, email, IT_PASSWORD);
    }
    headers_ok("GET", "/v1/me", NULL, s.auth, 1);
    headers_ok("GET", "/v1/me", NULL, NULL, 1);
    headers_ok("PATCH", "/v1/me", "{\"display_name\":\"H2\"}", s.auth, 1);
    headers_ok("GET", "/v1/me/progress?path=backend-developer", NULL, s.auth, 1);
    headers_ok("GET", "/v1/me/paths/backend-developer/plan", NULL, s.auth, 1);
    headers_ok("PUT", "/v1/me/progress/999999999", "{\"status\":\"done\"}", s.auth, 1);
    headers_ok("DELETE", "/v1/me/progress/999999999", NULL, s.auth, 1);
    snprintf(url, sizeof url, "/v1/users/%lld", s.user_id);
    headers_ok("GET", url, NULL, admin, 1);
    headers_ok("GET", url, NULL, s.auth, 1);
    headers_ok("GET", "/v1/subscriptions", NULL, admin, 1);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"consent\":true}", it_email("hdr-sub"));
    headers_ok("POST", "/v1/subscriptions", body, NULL, 1);
    /* Public GETs are cacheable, and said so. */
    {
        struct pw_resp r = pw_http("GET", "/v1/paths/backend-developer", NULL, NULL);
        char v[64];

        ck_assert(pw_resp_header(&r, "Cache-Control", v, sizeof v));
        ck_assert_str_eq(v, "public, max-age=60");
        pw_resp_free(&r);
    }
}
END_TEST

/* ---- request-size limits ------------------------------------------------ */

/** Send @a request raw; the status code, with the reply in @a reply. */
static long
raw(const char *request, char *reply, size_t cap)
{
    return pw_http_raw(request, strlen(request), reply, cap);
}

START_TEST(oversized_headers_and_request_lines_are_refused)
{
    size_t big = 40 * 1024; /* above libmicrohttpd's 32 KiB per-connection memory */
    char *req = malloc(big + 256);
    char *filler = malloc(big + 1);
    char reply[4096];
    long st;

    memset(filler, 'a', big);
    filler[big] = '\0';
    /* One huge header: 431 Request Header Fields Too Large. */
    snprintf(req,
             big + 256,
             "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\nConnection: close\r\n\r\n",
             filler);
    st = raw(req, reply, sizeof reply);
    ck_assert_msg(st == 431, "40 KiB header: %ld\n%s", st, reply);
    /* A huge request line (URI): 414 URI Too Long. */
    snprintf(req,
             big + 256,
             "GET /v1/search?q=%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
             filler);
    st = raw(req, reply, sizeof reply);
    ck_assert_msg(st == 414, "40 KiB request line: %ld\n%s", st, reply);
    /* Many small headers adding up: 431 too. */
    {
        size_t n = 0;

        n += (size_t) snprintf(req + n, big + 256 - n, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; n + 64 < big; i++)
            n += (size_t) snprintf(req + n, big + 256 - n, "X-H%d: %.40s\r\n", i, filler);
        snprintf(req + n, big + 256 - n, "Connection: close\r\n\r\n");
        st = raw(req, reply, sizeof reply);
        ck_assert_msg(st == 431, "many headers: %ld\n%s", st, reply);
    }
    /* A large but acceptable header (a 10 KB token) is read and answered. */
    snprintf(req,
             big + 256,
             "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %.10240s\r\nConnection: close\r\n\r\n",
             filler);
    ck_assert_int_eq(raw(req, reply, sizeof reply), 200);
    /* And the server still serves. */
    ck_assert_int_eq(pw_status("GET", "/healthz", NULL, NULL), 200);
    free(req);
    free(filler);
}
END_TEST

static Suite *
attack_tokens_suite(void)
{
    Suite *s = suite_create("attack_tokens");
    TCase *tc = tcase_create("attack_tokens");

    if (sodium_init() < 0)
        abort();
    tcase_add_unchecked_fixture(tc, setup, pw_it_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, hostile_tokens_are_401);
    tcase_add_test(tc, security_headers_on_every_route_class);
    tcase_add_test(tc, oversized_headers_and_request_lines_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(attack_tokens_suite)
