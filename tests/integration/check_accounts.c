/**
 * @file check_accounts.c
 * @brief Accounts end to end: register, login, tokens (bad, expired,
 *        tampered, alg none), refresh rotation and reuse, logout, /v1/me,
 *        role changes by an admin made with `pathways user create`, role
 *        escalation attempts, and the login/register rate limit.
 */
#include "harness.h"
#include "it_accounts.h"

#include <pthread.h>
#include <sodium.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const generous_env[] = { "RATE_LIMIT_PER_MIN=1000", NULL };

static void
setup(void)
{
    pw_it_start(generous_env);
}

/* ---- helpers ------------------------------------------------------------- */

static long
status_with(const char *method, const char *path, const char *body, const char *auth)
{
    const char *h[] = { auth, NULL };

    return pw_status(method, path, body, auth ? h : NULL);
}

/** The claims of an access token, verified with the test secret. */
static struct pw_claims
claims_of(const char *token)
{
    struct pw_claims c;

    ck_assert_int_eq(pw_jwt_verify((const unsigned char *) PW_TEST_SECRET,
                                   strlen(PW_TEST_SECRET),
                                   token,
                                   strlen(token),
                                   time(NULL),
                                   &c),
                     PW_JWT_OK);
    return c;
}

static void
b64url(const char *in, char *out, size_t cap)
{
    sodium_bin2base64(
        out, cap, (const unsigned char *) in, strlen(in), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/** Run `pathways user create ARGS` with @a input on stdin; stdout into @a out. */
static int
run_user_create(const char *const *args, const char *input, char *out, size_t cap)
{
    int in_pipe[2], out_pipe[2], st = 0;
    const char *argv[16] = { PW_BINARY, "user", "create" };
    unsigned n = 3;
    size_t got = 0;
    pid_t pid;

    for (unsigned i = 0; args[i] != NULL && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    ck_assert_int_eq(pipe(in_pipe), 0);
    ck_assert_int_eq(pipe(out_pipe), 0);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        close(in_pipe[1]);
        close(out_pipe[0]);
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(126);
        setenv("DATABASE_URL", getenv("PW_TEST_DATABASE_URL"), 1);
        execv(PW_BINARY, (char *const *) argv);
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (input != NULL)
        ck_assert_int_eq(write(in_pipe[1], input, strlen(input)), (ssize_t) strlen(input));
    close(in_pipe[1]);
    for (;;) {
        ssize_t k = read(out_pipe[0], out + got, cap - got - 1);

        if (k <= 0)
            break;
        got += (size_t) k;
    }
    out[got] = '\0';
    close(out_pipe[0]);
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

/** A new admin made by the CLI, signed in. */
static void
new_admin(struct it_session *s)
{
    const char *email = it_email("admin");
    const char *args[] = { "--email", email, "--role", "admin", NULL };
    char out[1024];
    json_t *j;

    memset(s, 0, sizeof *s);
    ck_assert_int_eq(run_user_create(args, IT_PASSWORD "\n", out, sizeof out), 0);
    j = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(it_str(j, "role"), "admin");
    s->user_id = it_int(j, "id");
    json_decref(j);
    it_login(s, email, IT_PASSWORD);
}

/* ---- register -------------------------------------------------------------- */

START_TEST(register_creates_a_learner)
{
    const char *email = it_email("reg");
    char upper[128], body[512], loc[64], want[64], cc[64];
    struct pw_resp r;

    /* The address as typed, with capitals: stored lower-cased. */
    snprintf(upper, sizeof upper, "%s", email);
    upper[0] = 'R';
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"Ada L.\"}",
             upper,
             IT_PASSWORD);
    r = pw_http("POST", "/v1/auth/register", body, NULL);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(it_str(r.json, "email"), email);
    ck_assert_str_eq(it_str(r.json, "display_name"), "Ada L.");
    ck_assert_str_eq(it_str(r.json, "role"), "learner");
    ck_assert_int_eq(it_int(r.json, "version"), 1);
    ck_assert_ptr_nonnull(json_object_get(r.json, "created_at"));
    ck_assert_ptr_null(json_object_get(r.json, "password"));
    ck_assert_ptr_null(json_object_get(r.json, "password_hash"));
    ck_assert(strstr(r.body, "argon2") == NULL);
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    snprintf(want, sizeof want, "/v1/users/%lld", it_int(r.json, "id"));
    ck_assert_str_eq(loc, want);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "no-store");
    pw_resp_free(&r);

    /* The same email in any case is taken: 409 naming the field. */
    r = pw_http("POST", "/v1/auth/register", body, NULL);
    pw_assert_problem(&r, 409);
    ck_assert_str_eq(it_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     "email");
    pw_resp_free(&r);
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"password\":\"another password\",\"display_name\":\"X\"}",
             email);
    pw_expect_problem("POST", "/v1/auth/register", body, NULL, 409);
}
END_TEST

static const struct {
    const char *body;
    const char *field;
} bad_registrations[] = {
    { "{\"password\":\"0123456789\",\"display_name\":\"A\"}", "email" },
    { "{\"email\":\"no-at-sign.example.com\",\"password\":\"0123456789\",\"display_name\":\"A\"}",
      "email" },
    { "{\"email\":\"a@b\",\"password\":\"0123456789\",\"display_name\":\"A\"}", "email" },
    { "{\"email\":\"x@example.com\",\"password\":\"012345678\",\"display_name\":\"A\"}",
      "password" },
    { "{\"email\":\"x@example.com\",\"password\":"
      "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\","
      "\"display_name\":\"A\"}",
      "password" },
    { "{\"email\":\"x@example.com\",\"display_name\":\"A\"}", "password" },
    { "{\"email\":\"x@example.com\",\"password\":1234567890,\"display_name\":\"A\"}", "password" },
    { "{\"email\":\"x@example.com\",\"password\":\"0123456789\",\"display_name\":\"\"}",
      "display_name" },
    { "{\"email\":\"x@example.com\",\"password\":\"0123456789\"}", "display_name" },
    /* Escalation attempts: role is not a field of registration. */
    { "{\"email\":\"x@example.com\",\"password\":\"0123456789\",\"display_name\":\"A\","
      "\"role\":\"admin\"}",
      "role" },
    { "{\"email\":\"x@example.com\",\"password\":\"0123456789\",\"display_name\":\"A\","
      "\"role\":\"learner\"}",
      "role" },
};

START_TEST(register_validation)
{
    struct pw_resp r = pw_http("POST", "/v1/auth/register", bad_registrations[_i].body, NULL);
    json_t *errs = json_object_get(r.json, "errors");
    int named = 0;

    ck_assert_msg(r.status == 422, "%s: %ld", bad_registrations[_i].body, r.status);
    pw_assert_problem(&r, 422);
    for (size_t k = 0; k < json_array_size(errs); k++)
        named |= strcmp(it_str(json_array_get(errs, k), "field"), bad_registrations[_i].field) == 0;
    ck_assert_msg(named, "%s does not name %s", r.body, bad_registrations[_i].field);
    pw_resp_free(&r);
}
END_TEST

START_TEST(register_needs_json)
{
    const char *form[] = { "Content-Type: application/x-www-form-urlencoded", NULL };

    pw_expect_problem("POST", "/v1/auth/register", "email=a", form, 415);
    pw_expect_problem("POST", "/v1/auth/register", "{\"email\":", NULL, 400);
    pw_expect_problem("GET", "/v1/auth/register", NULL, NULL, 405);
}
END_TEST

START_TEST(escalation_by_registration_is_refused)
{
    const char *email = it_email("esc");
    char body[512];
    struct it_session s;

    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"E\",\"role\":\"admin\"}",
             email,
             IT_PASSWORD);
    pw_expect_problem("POST", "/v1/auth/register", body, NULL, 422);
    /* Nothing was created: the email is still free, and then it is a learner's. */
    it_register(email, IT_PASSWORD);
    it_login(&s, email, IT_PASSWORD);
    ck_assert_int_eq(claims_of(s.access).role, PW_ROLE_LEARNER);
}
END_TEST

/* ---- login ------------------------------------------------------------------ */

START_TEST(login_returns_a_token_pair)
{
    const char *email = it_email("login");
    long long id = it_register(email, IT_PASSWORD);
    char body[512], cc[64];
    struct pw_resp r;
    struct pw_claims c;
    const char *access, *refresh;
    const char *h[2] = { NULL, NULL };
    char auth[1100];

    /* Any case of the email signs in. */
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, IT_PASSWORD);
    for (char *p = body; *p != '\0' && *p != '@'; p++)
        if (*p >= 'a' && *p <= 'z' && p > body + 10)
            *p = (char) (*p - 'a' + 'A');
    r = pw_http("POST", "/v1/auth/login", body, NULL);
    ck_assert_msg(r.status == 200, "%s", r.body);
    ck_assert_str_eq(it_str(r.json, "token_type"), "Bearer");
    ck_assert_int_eq(it_int(r.json, "expires_in"), 900);
    access = it_str(r.json, "access_token");
    refresh = it_str(r.json, "refresh_token");
    ck_assert_uint_eq(strlen(refresh), 43);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "no-store");
    c = claims_of(access);
    ck_assert_int_eq(c.user_id, id);
    ck_assert_int_eq(c.role, PW_ROLE_LEARNER);
    ck_assert_int_eq(c.exp - c.iat, 900);
    ck_assert_int_le(llabs((long long) c.iat - (long long) time(NULL)), 60);

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", access);
    h[0] = auth;
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/me", NULL, h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(it_int(r.json, "id"), id);
    ck_assert_str_eq(it_str(r.json, "email"), email);
    pw_resp_free(&r);
}
END_TEST

/** pathways_password_verifications_total from /metrics. */
static long long
verifications(void)
{
    struct pw_resp r = pw_http("GET", "/metrics", NULL, NULL);
    const char *p = strstr(r.body, "\npathways_password_verifications_total ");
    long long n;

    ck_assert_ptr_nonnull(p);
    n = atoll(p + strlen("\npathways_password_verifications_total "));
    pw_resp_free(&r);
    return n;
}

/** One login with @a body; @a hashes receives how many Argon2id checks it ran. */
static struct pw_resp
counted_login(const char *body, long long *hashes)
{
    long long before = verifications();
    struct pw_resp r = pw_http("POST", "/v1/auth/login", body, NULL);

    *hashes = verifications() - before;
    return r;
}

START_TEST(unknown_email_and_wrong_password_look_the_same)
{
    const char *email = it_email("enum");
    char wrong[512], unknown[512];
    struct pw_resp a, b;
    long long ha, hb;
    const char *keys[] = { "type", "title", "detail", "instance" };
    char wa[128], wb[128];

    it_register(email, IT_PASSWORD);
    snprintf(wrong, sizeof wrong, "{\"email\":\"%s\",\"password\":\"not the password\"}", email);
    snprintf(unknown,
             sizeof unknown,
             "{\"email\":\"%s\",\"password\":\"not the password\"}",
             it_email("nobody"));
    a = counted_login(wrong, &ha);
    b = counted_login(unknown, &hb);
    pw_assert_problem(&a, 401);
    pw_assert_problem(&b, 401);
    /* Same body but for the request id; same headers that matter. */
    ck_assert_uint_eq(json_object_size(a.json), json_object_size(b.json));
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        ck_assert_str_eq(it_str(a.json, keys[i]), it_str(b.json, keys[i]));
    ck_assert_uint_eq(a.len - strlen(it_str(a.json, "request_id")),
                      b.len - strlen(it_str(b.json, "request_id")));
    ck_assert(pw_resp_header(&a, "WWW-Authenticate", wa, sizeof wa));
    ck_assert(pw_resp_header(&b, "WWW-Authenticate", wb, sizeof wb));
    ck_assert_str_eq(wa, wb);
    /* Both run exactly one Argon2id check (the unknown email against a dummy
     * hash), so neither answers faster: counted, not timed, so that a loaded
     * machine cannot make the test flaky. */
    ck_assert_int_eq(ha, 1);
    ck_assert_int_eq(hb, 1);
    pw_resp_free(&a);
    pw_resp_free(&b);
}
END_TEST

START_TEST(login_validation)
{
    pw_expect_problem("POST", "/v1/auth/login", "{\"email\":\"a@example.com\"}", NULL, 422);
    pw_expect_problem("POST", "/v1/auth/login", "{\"password\":\"0123456789\"}", NULL, 422);
    pw_expect_problem(
        "POST",
        "/v1/auth/login",
        "{\"email\":\"a@example.com\",\"password\":\"0123456789\",\"role\":\"admin\"}",
        NULL,
        422);
    pw_expect_problem("POST", "/v1/auth/login", "[]", NULL, 422);
}
END_TEST

/* ---- access tokens ---------------------------------------------------------------- */

START_TEST(bad_tokens_are_401)
{
    struct it_session s;
    char hdr[2048], payload[256], p64[512], h64[128], forged[1024];
    char *expired;
    const char *dot1, *dot2;
    struct pw_resp r;

    it_new_learner(&s, "tok");
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, s.auth), 200);

    /* No token, a malformed one, another scheme. */
    pw_expect_problem("GET", "/v1/me", NULL, NULL, 401);
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, "Authorization: Bearer garbage"), 401);
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, "Authorization: Basic dXNlcjpwYXNz"), 401);

    /* Expired: signed with the right key, 15 minutes long, issued 20 minutes ago. */
    expired = pw_jwt_issue((const unsigned char *) PW_TEST_SECRET,
                           strlen(PW_TEST_SECRET),
                           s.user_id,
                           PW_ROLE_LEARNER,
                           time(NULL) - 1200,
                           900);
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", expired);
    free(expired);
    const char *eh[] = { hdr, NULL };
    r = pw_http("GET", "/v1/me", NULL, eh);
    pw_assert_problem(&r, 401);
    ck_assert(strstr(it_str(r.json, "detail"), "expired") != NULL);
    pw_resp_free(&r);

    /* Tampered: the payload says admin, the signature is the learner's. */
    dot1 = strchr(s.access, '.');
    dot2 = strrchr(s.access, '.');
    snprintf(payload,
             sizeof payload,
             "{\"sub\":\"%lld\",\"role\":\"admin\",\"iss\":\"pathways\",\"iat\":%lld,\"exp\":%lld}",
             s.user_id,
             (long long) time(NULL),
             (long long) time(NULL) + 900);
    b64url(payload, p64, sizeof p64);
    snprintf(forged, sizeof forged, "%.*s.%s%s", (int) (dot1 - s.access), s.access, p64, dot2);
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", forged);
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, hdr), 401);
    ck_assert_int_eq(status_with("GET", "/v1/users/1", NULL, hdr), 401);

    /* alg none, with and without a signature part. */
    b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}", h64, sizeof h64);
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s.%s.", h64, p64);
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, hdr), 401);
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s.%s%s", h64, p64, dot2);
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, hdr), 401);

    /* Signed with another key. */
    expired = pw_jwt_issue((const unsigned char *) "some-other-secret-0123456789abcdefgh",
                           36,
                           s.user_id,
                           PW_ROLE_ADMIN,
                           time(NULL),
                           900);
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", expired);
    free(expired);
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, hdr), 401);

    /* A refresh token is not an access token. */
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", s.refresh);
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, hdr), 401);
}
END_TEST

/* ---- refresh and logout ------------------------------------------------------------- */

START_TEST(refresh_rotates_the_pair)
{
    struct it_session s, t;
    struct pw_resp r;
    char cc[64];

    it_new_learner(&s, "rot");
    r = it_refresh(s.refresh);
    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "no-store");
    ck_assert_int_eq(it_int(r.json, "expires_in"), 900);
    t = s;
    it_take_tokens(&t, &r);
    pw_resp_free(&r);
    ck_assert_str_ne(t.refresh, s.refresh);
    ck_assert_int_eq(claims_of(t.access).user_id, s.user_id);
    ck_assert_int_eq(status_with("GET", "/v1/me", NULL, t.auth), 200);
    /* The new refresh token rotates again. */
    r = it_refresh(t.refresh);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
}
END_TEST

START_TEST(refresh_reuse_revokes_the_family)
{
    struct it_session s, t, other;
    struct pw_resp r;

    it_new_learner(&s, "reuse");
    /* A second session of the same user (another device): a family of its own. */
    it_login(&other, s.email, IT_PASSWORD);

    r = it_refresh(s.refresh);
    t = s;
    it_take_tokens(&t, &r);
    pw_resp_free(&r);

    /* The old token again: someone kept a copy. 401, and the whole family is revoked. */
    r = it_refresh(s.refresh);
    pw_assert_problem(&r, 401);
    ck_assert(strstr(it_str(r.json, "detail"), "already used") != NULL);
    pw_resp_free(&r);
    r = it_refresh(t.refresh);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    /* Tokens of that family stay dead. */
    r = it_refresh(s.refresh);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);

    /* The other session is untouched. */
    r = it_refresh(other.refresh);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
}
END_TEST

struct racer {
    char request[512];
    size_t len;
    long status;
    char reply[8192];
};

static void *
race(void *arg)
{
    struct racer *r = arg;

    r->status = pw_http_raw(r->request, r->len, r->reply, sizeof r->reply);
    return NULL;
}

START_TEST(concurrent_refreshes_with_one_token)
{
    enum { N = 6 };
    struct it_session s;
    struct racer racers[N];
    pthread_t t[N];
    char body[128];
    const char *winner_refresh = NULL;
    json_t *winner = NULL;
    int won = 0;

    it_new_learner(&s, "race");
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", s.refresh);
    for (int i = 0; i < N; i++) {
        racers[i].len = (size_t) snprintf(racers[i].request,
                                          sizeof racers[i].request,
                                          "POST /v1/auth/refresh HTTP/1.1\r\nHost: x\r\n"
                                          "Content-Type: application/json\r\n"
                                          "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                          strlen(body),
                                          body);
        pthread_create(&t[i], NULL, race, &racers[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        ck_assert_msg(racers[i].status == 200 || racers[i].status == 401,
                      "racer %d got %ld",
                      i,
                      racers[i].status);
        if (racers[i].status == 200) {
            won++;
            winner = json_loads(strstr(racers[i].reply, "\r\n\r\n") + 4, 0, NULL);
        }
    }
    /* Exactly one rotation; the others were reuses, which revoked the winner's token too. */
    ck_assert_int_eq(won, 1);
    ck_assert_ptr_nonnull(winner);
    winner_refresh = it_str(winner, "refresh_token");
    struct pw_resp r = it_refresh(winner_refresh);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    json_decref(winner);
}
END_TEST

START_TEST(refresh_token_validation)
{
    char fake[64];

    pw_expect_problem("POST", "/v1/auth/refresh", "{}", NULL, 422);
    pw_expect_problem("POST", "/v1/auth/refresh", "{\"refresh_token\":7}", NULL, 422);
    pw_expect_problem("POST", "/v1/auth/refresh", "{\"refresh_token\":\"short\"}", NULL, 401);
    /* Well formed, never issued. */
    memset(fake, 'A', 43);
    fake[43] = '\0';
    struct pw_resp r = it_refresh(fake);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    /* An access token is not a refresh token. */
    r = it_refresh(pw_auth(PW_ROLE_LEARNER));
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
}
END_TEST

START_TEST(logout_revokes)
{
    struct it_session s, other;
    char body[128];
    struct pw_resp r;

    it_new_learner(&s, "logout");
    it_login(&other, s.email, IT_PASSWORD);
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", s.refresh);
    ck_assert_int_eq(pw_status("POST", "/v1/auth/logout", body, NULL), 204);
    r = it_refresh(s.refresh);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    /* Idempotent, and nothing to say about tokens it does not know. */
    ck_assert_int_eq(pw_status("POST", "/v1/auth/logout", body, NULL), 204);
    ck_assert_int_eq(pw_status("POST", "/v1/auth/logout", "{\"refresh_token\":\"nope\"}", NULL),
                     204);
    pw_expect_problem("POST", "/v1/auth/logout", "{}", NULL, 422);
    /* Only that session ended. */
    r = it_refresh(other.refresh);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
}
END_TEST

/* ---- /v1/me ----------------------------------------------------------------------- */

START_TEST(me_reads_and_updates_the_profile)
{
    struct it_session s;
    struct pw_resp r;
    char etag[32], inm[64], cc[64];

    it_new_learner(&s, "me");
    const char *h[] = { s.auth, NULL };
    r = pw_http("GET", "/v1/me", NULL, h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(it_str(r.json, "role"), "learner");
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "no-store");
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h304[] = { s.auth, inm, NULL };
    ck_assert_int_eq(pw_status("GET", "/v1/me", NULL, h304), 304);

    r = pw_http("PATCH", "/v1/me", "{\"display_name\":\"New Name\"}", h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(it_str(r.json, "display_name"), "New Name");
    ck_assert_int_eq(it_int(r.json, "version"), 2);
    pw_resp_free(&r);
    /* A stale If-Match: 412. */
    const char *stale[] = { s.auth, "If-Match: W/\"1\"", NULL };
    pw_expect_problem("PATCH", "/v1/me", "{\"display_name\":\"Lost\"}", stale, 412);
    const char *fresh[] = { s.auth, "If-Match: W/\"2\"", NULL };
    ck_assert_int_eq(pw_status("PATCH", "/v1/me", "{\"display_name\":\"Kept\"}", fresh), 200);

    pw_expect_problem("PATCH", "/v1/me", "{}", h, 422);
    pw_expect_problem("PATCH", "/v1/me", "{\"display_name\":\"\"}", h, 422);
    pw_expect_problem("PATCH", "/v1/me", "{\"email\":\"x@example.com\"}", h, 422);
    pw_expect_problem("GET", "/v1/me", NULL, NULL, 401);
    pw_expect_problem("PATCH", "/v1/me", "{\"display_name\":\"Anon\"}", NULL, 401);
}
END_TEST

START_TEST(escalation_by_patch_me_is_refused)
{
    struct it_session s;
    struct pw_resp r;

    it_new_learner(&s, "escme");
    const char *h[] = { s.auth, NULL };
    r = pw_http("PATCH", "/v1/me", "{\"role\":\"admin\"}", h);
    pw_assert_problem(&r, 422);
    ck_assert_str_eq(it_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"), "role");
    pw_resp_free(&r);
    pw_expect_problem("PATCH", "/v1/me", "{\"display_name\":\"X\",\"role\":\"editor\"}", h, 422);
    /* Nothing changed, and the next token still says learner. */
    r = pw_http("GET", "/v1/me", NULL, h);
    ck_assert_str_eq(it_str(r.json, "role"), "learner");
    ck_assert_str_eq(it_str(r.json, "display_name"), "Learner");
    pw_resp_free(&r);
    r = it_refresh(s.refresh);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(claims_of(it_str(r.json, "access_token")).role, PW_ROLE_LEARNER);
    pw_resp_free(&r);
    /* Nor may a learner use the admin route, on itself or anyone. */
    char path[64];
    snprintf(path, sizeof path, "/v1/users/%lld", s.user_id);
    pw_expect_problem("PATCH", path, "{\"role\":\"admin\"}", h, 403);
    pw_expect_problem("GET", path, NULL, h, 403);
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    pw_expect_problem("PATCH", path, "{\"role\":\"admin\"}", editor, 403);
}
END_TEST

START_TEST(password_change)
{
    struct it_session s, again;
    char body[256];
    struct pw_resp r;

    it_new_learner(&s, "pwd");
    const char *h[] = { s.auth, NULL };
    pw_expect_problem("PATCH", "/v1/me", "{\"password\":\"a new password\"}", h, 422);
    pw_expect_problem("PATCH",
                      "/v1/me",
                      "{\"password\":\"a new password\",\"current_password\":\"wrong one\"}",
                      h,
                      422);
    pw_expect_problem("PATCH", "/v1/me", "{\"current_password\":\"" IT_PASSWORD "\"}", h, 422);
    pw_expect_problem("PATCH",
                      "/v1/me",
                      "{\"password\":\"short\",\"current_password\":\"" IT_PASSWORD "\"}",
                      h,
                      422);
    r = pw_http("PATCH",
                "/v1/me",
                "{\"password\":\"a new password\",\"current_password\":\"" IT_PASSWORD "\"}",
                h);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    /* Every session ends; the old password no longer works, the new one does. */
    r = it_refresh(s.refresh);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", s.email, IT_PASSWORD);
    pw_expect_problem("POST", "/v1/auth/login", body, NULL, 401);
    it_login(&again, s.email, "a new password");
}
END_TEST

START_TEST(deleted_account_token_is_401)
{
    struct it_session s;
    char sql[128];

    it_new_learner(&s, "gone");
    snprintf(sql, sizeof sql, "DELETE FROM users WHERE id = %lld", s.user_id);
    ck_assert_int_eq(pw_it_sql(sql), 0);
    const char *h[] = { s.auth, NULL };
    pw_expect_problem("GET", "/v1/me", NULL, h, 401);
    pw_expect_problem("PATCH", "/v1/me", "{\"display_name\":\"Ghost\"}", h, 401);
    pw_expect_problem("PUT", "/v1/me/progress/1", "{\"status\":\"done\"}", h, 401);
    struct pw_resp r = it_refresh(s.refresh);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
}
END_TEST

/* ---- admin and the CLI -------------------------------------------------------------- */

START_TEST(admin_promotes_a_learner)
{
    struct it_session admin, s, t;
    char path[64];
    struct pw_resp r;
    char skill[256];

    new_admin(&admin);
    ck_assert_int_eq(claims_of(admin.access).role, PW_ROLE_ADMIN);
    it_new_learner(&s, "promo");
    snprintf(path, sizeof path, "/v1/users/%lld", s.user_id);
    const char *ah[] = { admin.auth, NULL };
    const char *lh[] = { s.auth, NULL };

    r = pw_http("GET", path, NULL, ah);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(it_str(r.json, "role"), "learner");
    pw_resp_free(&r);

    pw_expect_problem("PATCH", path, "{\"role\":\"owner\"}", ah, 422);
    pw_expect_problem("PATCH", path, "{}", ah, 422);
    pw_expect_problem("PATCH", path, "{\"role\":\"editor\",\"email\":\"x@example.com\"}", ah, 422);
    pw_expect_problem("PATCH", "/v1/users/999999999", "{\"role\":\"editor\"}", ah, 404);
    pw_expect_problem("GET", "/v1/users/999999999", NULL, ah, 404);
    const char *stale[] = { admin.auth, "If-Match: W/\"7\"", NULL };
    pw_expect_problem("PATCH", path, "{\"role\":\"editor\"}", stale, 412);

    r = pw_http("PATCH", path, "{\"role\":\"editor\"}", ah);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(it_str(r.json, "role"), "editor");
    ck_assert_int_eq(it_int(r.json, "version"), 2);
    pw_resp_free(&r);

    /* The learner's current token still says learner: catalogue writes are refused... */
    snprintf(skill,
             sizeof skill,
             "{\"slug\":\"%s\",\"name\":\"Promoted\",\"category\":\"tool\"}",
             pw_unique("promo-skill"));
    pw_expect_problem("POST", "/v1/skills", skill, lh, 403);
    /* ...until the token is renewed: the new one carries the editor role. */
    r = it_refresh(s.refresh);
    t = s;
    it_take_tokens(&t, &r);
    pw_resp_free(&r);
    ck_assert_int_eq(claims_of(t.access).role, PW_ROLE_EDITOR);
    const char *th[] = { t.auth, NULL };
    ck_assert_int_eq(pw_status("POST", "/v1/skills", skill, th), 201);
    r = pw_http("GET", "/v1/me", NULL, th);
    ck_assert_str_eq(it_str(r.json, "role"), "editor");
    pw_resp_free(&r);
}
END_TEST

START_TEST(the_last_admin_stays)
{
    struct it_session a, b;
    char sql[160], path[64];

    new_admin(&a);
    new_admin(&b);
    /* Make a the only admin (other suites never hold real admins). */
    snprintf(sql,
             sizeof sql,
             "UPDATE users SET role = 'editor' WHERE role = 'admin' AND id <> %lld",
             a.user_id);
    ck_assert_int_eq(pw_it_sql(sql), 0);
    snprintf(path, sizeof path, "/v1/users/%lld", a.user_id);
    const char *ah[] = { a.auth, NULL };
    struct pw_resp r = pw_http("PATCH", path, "{\"role\":\"learner\"}", ah);
    pw_assert_problem(&r, 422);
    ck_assert_str_eq(it_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"), "role");
    pw_resp_free(&r);
    /* With a second admin, stepping down is fine. */
    snprintf(path, sizeof path, "/v1/users/%lld", b.user_id);
    ck_assert_int_eq(pw_status("PATCH", path, "{\"role\":\"admin\"}", ah), 200);
    snprintf(path, sizeof path, "/v1/users/%lld", a.user_id);
    ck_assert_int_eq(pw_status("PATCH", path, "{\"role\":\"learner\"}", ah), 200);
}
END_TEST

START_TEST(user_create_cli_refuses_bad_input)
{
    const char *email = it_email("cli");
    const char *ok[] = { "--email", email, "--role", "editor", "--display-name", "Ed", NULL };
    const char *no_role[] = { "--email", email, NULL };
    const char *bad_role[] = { "--email", email, "--role", "root", NULL };
    const char *bad_email[] = { "--email", "not-an-email", "--role", "editor", NULL };
    const char *argv_pw[] = { "--email", email, "--role", "editor", "--password", "x", NULL };
    char out[1024];
    json_t *j;

    ck_assert_int_eq(run_user_create(ok, "short\n", out, sizeof out), 2);
    ck_assert_int_eq(run_user_create(ok, "", out, sizeof out), 2);
    ck_assert_int_eq(run_user_create(no_role, IT_PASSWORD "\n", out, sizeof out), 2);
    ck_assert_int_eq(run_user_create(bad_role, IT_PASSWORD "\n", out, sizeof out), 2);
    ck_assert_int_eq(run_user_create(bad_email, IT_PASSWORD "\n", out, sizeof out), 2);
    ck_assert_int_eq(run_user_create(argv_pw, IT_PASSWORD "\n", out, sizeof out), 2);
    /* Nothing was created by those: now it is, once. Only the first line is the password. */
    ck_assert_int_eq(run_user_create(ok, IT_PASSWORD "\r\nsecond line\n", out, sizeof out), 0);
    j = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(it_str(j, "role"), "editor");
    ck_assert_str_eq(it_str(j, "display_name"), "Ed");
    json_decref(j);
    ck_assert_int_eq(run_user_create(ok, IT_PASSWORD "\n", out, sizeof out), 1);
    struct it_session s;
    it_login(&s, email, IT_PASSWORD);
    ck_assert_int_eq(claims_of(s.access).role, PW_ROLE_EDITOR);
}
END_TEST

/* ---- rate limits (a server of their own, 3 a minute) ---------------------------------- */

static const char *const strict_env[] = { "RATE_LIMIT_PER_MIN=3", NULL };

static void
strict_setup(void)
{
    pw_it_start(strict_env);
}

START_TEST(login_and_register_are_rate_limited)
{
    const char *bad = "{\"email\":\"rl@example.com\",\"password\":\"not the password\"}";
    struct pw_resp r;
    char ra[16];
    long secs;

    for (int i = 0; i < 3; i++)
        pw_expect_problem("POST", "/v1/auth/login", bad, NULL, 401);
    r = pw_http("POST", "/v1/auth/login", bad, NULL);
    pw_assert_problem(&r, 429);
    ck_assert(pw_resp_header(&r, "Retry-After", ra, sizeof ra));
    secs = strtol(ra, NULL, 10);
    ck_assert_msg(secs >= 1 && secs <= 20, "Retry-After: %s", ra);
    ck_assert_str_eq(it_str(r.json, "type"), "/problems/rate-limited");
    pw_resp_free(&r);
    /* Registration has a budget of its own: three, then 429. */
    it_register(it_email("rl"), IT_PASSWORD);
    it_register(it_email("rl"), IT_PASSWORD);
    it_register(it_email("rl"), IT_PASSWORD);
    char body[256];
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"R\"}",
             it_email("rl"),
             IT_PASSWORD);
    pw_expect_problem("POST", "/v1/auth/register", body, NULL, 429);
    /* Other routes are not limited. */
    ck_assert_int_eq(pw_status("GET", "/v1/paths/backend-developer", NULL, NULL), 200);
    pw_expect_problem("POST", "/v1/auth/login", bad, NULL, 429);
}
END_TEST

/* Behind a trusted proxy (PATHWAYS_TRUSTED_PROXIES) each client has its own budget, named
   by X-Forwarded-For; from anyone else the header is ignored. */
static long
login_from(const char *forwarded_for)
{
    const char *bad = "{\"email\":\"rl-proxy@example.com\",\"password\":\"not the password\"}";
    char h[128];
    const char *headers[] = { h, NULL };

    snprintf(h, sizeof h, "X-Forwarded-For: %s", forwarded_for);
    return pw_status("POST", "/v1/auth/login", bad, headers);
}

START_TEST(clients_behind_a_trusted_proxy_have_their_own_budgets)
{
    static const char *const behind_proxy[] = { "RATE_LIMIT_PER_MIN=2",
                                                "PATHWAYS_TRUSTED_PROXIES=10.0.0.0/8, 127.0.0.1",
                                                NULL };

    pw_it_start(behind_proxy);
    ck_assert_int_eq(login_from("203.0.113.1"), 401);
    ck_assert_int_eq(login_from("203.0.113.1"), 401);
    ck_assert_int_eq(login_from("203.0.113.1"), 429);
    /* Another client behind the same proxy. */
    ck_assert_int_eq(login_from("203.0.113.2"), 401);
    /* What a client writes left of the proxy's entry does not change who it is. */
    ck_assert_int_eq(login_from("198.51.100.7, 203.0.113.1"), 429);
    /* A chain of trusted proxies: the rightmost address not one of them. */
    ck_assert_int_eq(login_from("203.0.113.1, 10.0.0.2"), 429);
    ck_assert_int_eq(login_from("203.0.113.3, 10.0.0.2"), 401);
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

START_TEST(forwarded_for_is_ignored_without_trusted_proxies)
{
    static const char *const direct[] = { "RATE_LIMIT_PER_MIN=2", NULL };

    pw_it_start(direct);
    ck_assert_int_eq(login_from("203.0.113.1"), 401);
    ck_assert_int_eq(login_from("203.0.113.2"), 401);
    ck_assert_int_eq(login_from("203.0.113.3"), 429); /* all one client: 127.0.0.1 */
    ck_assert_int_eq(pw_it_stop(), 0);
}
END_TEST

static Suite *
accounts_suite(void)
{
    Suite *s = suite_create("accounts");
    TCase *reg = tcase_create("register");
    TCase *login = tcase_create("login");
    TCase *tokens = tcase_create("tokens");
    TCase *me = tcase_create("me");
    TCase *admin = tcase_create("admin");
    TCase *limits = tcase_create("ratelimit");
    TCase *proxied = tcase_create("trusted_proxies");
    TCase *all[] = { reg, login, tokens, me, admin, limits };

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        tcase_add_unchecked_fixture(
            all[i], all[i] == limits ? strict_setup : setup, pw_it_teardown);
        tcase_set_timeout(all[i], 120);
        suite_add_tcase(s, all[i]);
    }
    tcase_add_test(reg, register_creates_a_learner);
    tcase_add_loop_test(reg,
                        register_validation,
                        0,
                        (int) (sizeof bad_registrations / sizeof bad_registrations[0]));
    tcase_add_test(reg, register_needs_json);
    tcase_add_test(reg, escalation_by_registration_is_refused);
    tcase_add_test(login, login_returns_a_token_pair);
    tcase_add_test(login, unknown_email_and_wrong_password_look_the_same);
    tcase_add_test(login, login_validation);
    tcase_add_test(tokens, bad_tokens_are_401);
    tcase_add_test(tokens, refresh_rotates_the_pair);
    tcase_add_test(tokens, refresh_reuse_revokes_the_family);
    tcase_add_test(tokens, concurrent_refreshes_with_one_token);
    tcase_add_test(tokens, refresh_token_validation);
    tcase_add_test(tokens, logout_revokes);
    tcase_add_test(me, me_reads_and_updates_the_profile);
    tcase_add_test(me, escalation_by_patch_me_is_refused);
    tcase_add_test(me, password_change);
    tcase_add_test(me, deleted_account_token_is_401);
    tcase_add_test(admin, admin_promotes_a_learner);
    tcase_add_test(admin, the_last_admin_stays);
    tcase_add_test(admin, user_create_cli_refuses_bad_input);
    tcase_add_checked_fixture(proxied, NULL, pw_it_stop_leftover);
    tcase_set_timeout(proxied, 120);
    suite_add_tcase(s, proxied);
    /* Several logins inside one refill interval cannot happen under valgrind, where a
       password hash takes seconds: these run only at native speed. */
    if (!pw_it_wrapped()) {
        tcase_add_test(limits, login_and_register_are_rate_limited);
        tcase_add_test(proxied, clients_behind_a_trusted_proxy_have_their_own_budgets);
        tcase_add_test(proxied, forwarded_for_is_ignored_without_trusted_proxies);
    }
    return s;
}

PW_IT_MAIN(accounts_suite)
