/**
 * @file check_attacks.c
 * @brief Attack suite, part 1 (OWASP API Security Top 10): broken object
 *        level authorisation (one user reaching another's progress or
 *        account), mass assignment on every write route, and secrets
 *        (password, refresh-token and unsubscribe-token hashes) in any
 *        response of a broad tour of the API.
 *
 * Tokens, security headers and request-size limits: check_attack_tokens.c.
 */
#include "it_accounts.h"

#include <ctype.h>
#include <sodium.h>

static const char *const rate_env[] = { "RATE_LIMIT_PER_MIN=1000", NULL };

static void
setup(void)
{
    pw_it_start(rate_env);
}

/* ---- helpers ------------------------------------------------------------ */

/** Id of the first step of the seeded backend-developer path. */
static long long
first_step(void)
{
    char v[32];

    ck_assert_int_eq(pw_it_sql_text("SELECT t.id FROM steps t JOIN stages s ON s.id = t.stage_id"
                                    " JOIN paths p ON p.id = s.path_id"
                                    " WHERE p.slug = 'backend-developer'"
                                    " ORDER BY s.position, t.position LIMIT 1",
                                    v,
                                    sizeof v),
                     0);
    return atoll(v);
}

/** The progress status of step @a id for @a s. */
static void
status_of(const struct it_session *s, long long id, char *out, size_t cap)
{
    const char *h[] = { s->auth, NULL };
    struct pw_resp r = pw_http("GET", "/v1/me/progress?path=backend-developer", NULL, h);
    json_t *stages = json_object_get(r.json, "stages");

    ck_assert_int_eq(r.status, 200);
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(stages); i++) {
        json_t *steps = json_object_get(json_array_get(stages, i), "steps");

        for (size_t k = 0; k < json_array_size(steps); k++)
            if (it_int(json_array_get(steps, k), "id") == id)
                snprintf(out, cap, "%s", it_str(json_array_get(steps, k), "status"));
    }
    pw_resp_free(&r);
    ck_assert_msg(out[0] != '\0', "step %lld not in the progress document", id);
}

/** @a r is a 422 whose errors name @a field. */
static void
assert_names_field(const struct pw_resp *r, const char *field, const char *what)
{
    json_t *errors = json_object_get(r->json, "errors");
    int named = 0;

    ck_assert_msg(r->status == 422, "%s with '%s': %ld %s", what, field, r->status, r->body);
    for (size_t i = 0; i < json_array_size(errors); i++) {
        const char *f = json_string_value(json_object_get(json_array_get(errors, i), "field"));

        if (f != NULL && strcmp(f, field) == 0)
            named = 1;
    }
    ck_assert_msg(named, "%s: 422 does not name '%s': %s", what, field, r->body);
}

/* ---- broken object level authorisation ---------------------------------- */

START_TEST(one_user_cannot_reach_another)
{
    struct it_session a, b;
    const char *ha[2] = { NULL, NULL };
    long long step = first_step();
    char path[128], body[128], st[32];
    struct pw_resp r;

    it_new_learner(&a, "bola-a");
    it_new_learner(&b, "bola-b");
    ha[0] = a.auth;
    const char *hb[] = { b.auth, NULL };

    /* b records progress; nothing a does through any /v1/me* route touches it. */
    snprintf(path, sizeof path, "/v1/me/progress/%lld", step);
    ck_assert_int_eq(pw_status("PUT", path, "{\"status\":\"done\"}", hb), 200);
    ck_assert_int_eq(pw_status("DELETE", path, NULL, ha), 204); /* a's own (absent) row */
    ck_assert_int_eq(pw_status("PUT", path, "{\"status\":\"skipped\"}", ha), 200);
    status_of(&b, step, st, sizeof st);
    ck_assert_str_eq(st, "done");
    status_of(&a, step, st, sizeof st);
    ck_assert_str_eq(st, "skipped");

    /* The owner cannot be steered through the query or the body. */
    snprintf(path, sizeof path, "/v1/me/progress?path=backend-developer&user_id=%lld", b.user_id);
    pw_expect_problem("GET", path, NULL, ha, 400);
    snprintf(path, sizeof path, "/v1/me/paths/backend-developer/plan?user_id=%lld", b.user_id);
    pw_expect_problem("GET", path, NULL, ha, 400);
    snprintf(path, sizeof path, "/v1/me/progress/%lld", step);
    snprintf(body, sizeof body, "{\"status\":\"in_progress\",\"user_id\":%lld}", b.user_id);
    r = pw_http("PUT", path, body, ha);
    assert_names_field(&r, "user_id", "PUT /v1/me/progress");
    pw_resp_free(&r);
    snprintf(body, sizeof body, "{\"id\":%lld,\"display_name\":\"Mallory\"}", b.user_id);
    r = pw_http("PATCH", "/v1/me", body, ha);
    assert_names_field(&r, "id", "PATCH /v1/me");
    pw_resp_free(&r);
    status_of(&b, step, st, sizeof st);
    ck_assert_str_eq(st, "done");

    /* /v1/me is the caller, whatever else the request says. */
    snprintf(path, sizeof path, "/v1/me?id=%lld", b.user_id);
    pw_expect_problem("GET", path, NULL, ha, 400);
    r = pw_http("GET", "/v1/me", NULL, ha);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(it_int(r.json, "id"), a.user_id);
    ck_assert_str_eq(it_str(r.json, "email"), a.email);
    pw_resp_free(&r);

    /* /v1/users/{id} is for admins: a learner gets 403 on another's account and its own. */
    snprintf(path, sizeof path, "/v1/users/%lld", b.user_id);
    pw_expect_problem("GET", path, NULL, ha, 403);
    pw_expect_problem("PATCH", path, "{\"role\":\"learner\"}", ha, 403);
    snprintf(path, sizeof path, "/v1/users/%lld", a.user_id);
    pw_expect_problem("GET", path, NULL, ha, 403);
    pw_expect_problem("PATCH", path, "{\"role\":\"admin\"}", ha, 403);
    /* An editor is no admin either. */
    {
        const char *ed[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };

        snprintf(path, sizeof path, "/v1/users/%lld", b.user_id);
        pw_expect_problem("GET", path, NULL, ed, 403);
        pw_expect_problem("PATCH", path, "{\"role\":\"editor\"}", ed, 403);
    }
    /* Without a token: 401 on every /v1/me* route and /v1/users/{id}. */
    pw_expect_problem("GET", "/v1/me", NULL, NULL, 401);
    pw_expect_problem("PATCH", "/v1/me", "{\"display_name\":\"x\"}", NULL, 401);
    pw_expect_problem("GET", "/v1/me/progress?path=backend-developer", NULL, NULL, 401);
    snprintf(path, sizeof path, "/v1/me/progress/%lld", step);
    pw_expect_problem("PUT", path, "{\"status\":\"done\"}", NULL, 401);
    pw_expect_problem("DELETE", path, NULL, NULL, 401);
    pw_expect_problem("GET", "/v1/me/paths/backend-developer/plan", NULL, NULL, 401);
    snprintf(path, sizeof path, "/v1/users/%lld", b.user_id);
    pw_expect_problem("GET", path, NULL, NULL, 401);
    pw_expect_problem("PATCH", path, "{\"role\":\"admin\"}", NULL, 401);

    /* b is still a learner with its progress. */
    r = pw_http("GET", "/v1/me", NULL, hb);
    ck_assert_str_eq(it_str(r.json, "role"), "learner");
    pw_resp_free(&r);
    status_of(&b, step, st, sizeof st);
    ck_assert_str_eq(st, "done");
}
END_TEST

START_TEST(a_guessed_refresh_token_ends_no_session)
{
    struct it_session a, b;
    char body[256];
    struct pw_resp r;

    it_new_learner(&a, "rt-a");
    it_new_learner(&b, "rt-b");
    /* Logging out needs the token itself: a guessed or altered one does nothing. */
    /* Alter the last character (to one it is not: 'A' unless it already is 'A'). */
    snprintf(body,
             sizeof body,
             "{\"refresh_token\":\"%.42s%c\"}",
             b.refresh,
             b.refresh[42] == 'A' ? 'B' : 'A');
    r = pw_http("POST", "/v1/auth/logout", body, NULL);
    ck_assert_msg(r.status == 204 || r.status == 401, "%ld", r.status);
    pw_resp_free(&r);
    r = it_refresh(b.refresh);
    ck_assert_int_eq(r.status, 200); /* b's session is intact */
    pw_resp_free(&r);
    (void) a;
}
END_TEST

/* ---- mass assignment ------------------------------------------------------ */

/* Server-managed or privileged fields no write body may set. */
static const char *const managed[] = { "id",         "version",       "created_at", "updated_at",
                                       "role",       "password_hash", "user_id",    "owner_id",
                                       "token_hash", "is_admin" };
#define NMANAGED (sizeof managed / sizeof managed[0])

/** @a body (a JSON object text) plus "field": value. */
static char *
with_field(const char *body, const char *field)
{
    json_t *o = json_loads(body, 0, NULL);
    char *out;

    ck_assert_ptr_nonnull(o);
    if (strcmp(field, "id") == 0 || strcmp(field, "version") == 0 ||
        strcmp(field, "user_id") == 0 || strcmp(field, "owner_id") == 0)
        json_object_set_new(o, field, json_integer(1));
    else if (strcmp(field, "is_admin") == 0)
        json_object_set_new(o, field, json_true());
    else if (strcmp(field, "role") == 0)
        json_object_set_new(o, field, json_string("admin"));
    else if (strstr(field, "_at") != NULL)
        json_object_set_new(o, field, json_string("2020-01-01T00:00:00Z"));
    else
        json_object_set_new(o, field, json_string("$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA"));
    out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return out;
}

/**
 * Every managed field (except @a allowed) added to @a body of @a method @a url
 * is a 422 naming it; the same body without it is then accepted with @a ok.
 */
static void
refuses_managed(const char *method,
                const char *url,
                const char *body,
                const char *auth,
                const char *allowed,
                long ok)
{
    const char *h[] = { auth, NULL };
    char what[512];

    snprintf(what, sizeof what, "%s %s", method, url);
    for (size_t i = 0; i < NMANAGED; i++) {
        char *b;
        struct pw_resp r;

        if (allowed != NULL && strcmp(allowed, managed[i]) == 0)
            continue;
        b = with_field(body, managed[i]);
        r = pw_http(method, url, b, h);
        assert_names_field(&r, managed[i], what);
        pw_resp_free(&r);
        free(b);
    }
    if (ok != 0) {
        long st = pw_status(method, url, body, h);

        ck_assert_msg(st == ok, "%s: the clean body answered %ld, not %ld", what, st, ok);
    }
}

/** POST @a body to @a url as editor; @return the Location (static). */
static const char *
create(const char *url, const char *body)
{
    static char loc[4][256];
    static unsigned n;
    char *l = loc[n++ % 4];
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r = pw_http("POST", url, body, h);

    ck_assert_msg(r.status == 201, "POST %s: %ld %s", url, r.status, r.body);
    ck_assert(pw_resp_header(&r, "Location", l, 256));
    pw_resp_free(&r);
    return l;
}

START_TEST(mass_assignment_is_refused_on_every_write_route)
{
    const char *ed = pw_auth_header(PW_ROLE_EDITOR);
    const char *admin = pw_auth_header(PW_ROLE_ADMIN);
    char body[512], url[400], path_slug[96], stage_url[256], step_url[256];
    struct it_session s;
    long long step = first_step();

    /* Catalogue: create (POST) and update (PATCH) of each resource. */
    snprintf(path_slug, sizeof path_slug, "%s", pw_unique("ma-path"));
    snprintf(body, sizeof body, "{\"slug\":\"%s\",\"title\":\"MA\"}", pw_unique("ma-path"));
    refuses_managed("POST", "/v1/paths", body, ed, NULL, 201);
    snprintf(body, sizeof body, "{\"slug\":\"%s\",\"title\":\"MA\"}", path_slug);
    snprintf(url, sizeof url, "%s", create("/v1/paths", body));
    refuses_managed("PATCH", url, "{\"title\":\"MA2\"}", ed, NULL, 200);
    /* published_at belongs to articles only. */
    refuses_managed("PATCH", url, "{\"title\":\"MA3\"}", ed, NULL, 0);
    {
        const char *h[] = { ed, NULL };
        struct pw_resp r = pw_http("PATCH", url, "{\"published_at\":\"2020-01-01T00:00:00Z\"}", h);

        assert_names_field(&r, "published_at", "PATCH path");
        pw_resp_free(&r);
    }

    snprintf(url, sizeof url, "/v1/paths/%s/stages", path_slug);
    refuses_managed("POST", url, "{\"position\":1,\"title\":\"S\"}", ed, NULL, 0);
    snprintf(stage_url, sizeof stage_url, "%s", create(url, "{\"position\":1,\"title\":\"S\"}"));
    refuses_managed("PATCH", stage_url, "{\"title\":\"S2\"}", ed, NULL, 200);

    snprintf(url, sizeof url, "%s/steps", stage_url);
    refuses_managed("POST", url, "{\"position\":1,\"title\":\"T\"}", ed, NULL, 0);
    snprintf(step_url, sizeof step_url, "%s", create(url, "{\"position\":1,\"title\":\"T\"}"));
    refuses_managed("PATCH", step_url, "{\"title\":\"T2\"}", ed, NULL, 200);

    snprintf(url, sizeof url, "/v1/paths/%s/salaries", path_slug);
    static const char salary[] =
        "{\"level\":\"Junior\",\"min_years\":0,\"currency\":\"USD\",\"min_amount\":1,"
        "\"region\":\"US\"}";
    refuses_managed("POST", url, salary, ed, NULL, 0);
    refuses_managed("PATCH", create(url, salary), "{\"region\":\"EU\"}", ed, NULL, 200);

    snprintf(body,
             sizeof body,
             "{\"slug\":\"%s\",\"name\":\"S\",\"category\":\"tool\"}",
             pw_unique("ma-skill"));
    refuses_managed("POST", "/v1/skills", body, ed, NULL, 0);
    refuses_managed("PATCH", create("/v1/skills", body), "{\"name\":\"S2\"}", ed, NULL, 200);

    static const char resource[] =
        "{\"kind\":\"book\",\"title\":\"R\",\"cost\":\"free\",\"level\":\"beginner\"}";
    refuses_managed("POST", "/v1/resources", resource, ed, NULL, 0);
    refuses_managed(
        "PATCH", create("/v1/resources", resource), "{\"title\":\"R2\"}", ed, NULL, 200);

    snprintf(body, sizeof body, "{\"slug\":\"%s\",\"name\":\"M\"}", pw_unique("ma-mentor"));
    refuses_managed("POST", "/v1/mentors", body, ed, NULL, 0);
    refuses_managed("PATCH", create("/v1/mentors", body), "{\"name\":\"M2\"}", ed, NULL, 200);

    snprintf(body,
             sizeof body,
             "{\"slug\":\"%s\",\"title\":\"A\",\"author\":\"Ann\"}",
             pw_unique("ma-article"));
    refuses_managed("POST", "/v1/articles", body, ed, NULL, 0);
    refuses_managed("PATCH", create("/v1/articles", body), "{\"title\":\"A2\"}", ed, NULL, 200);

    /* Public writes: newsletter and accounts. */
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"consent\":true}", it_email("ma-sub"));
    refuses_managed("POST", "/v1/subscriptions", body, NULL, NULL, 202);
    refuses_managed("POST", "/v1/subscriptions/unsubscribe", "{\"token\":\"x\"}", NULL, NULL, 0);
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"M\"}",
             it_email("ma-reg"),
             IT_PASSWORD);
    refuses_managed("POST", "/v1/auth/register", body, NULL, NULL, 201);

    it_new_learner(&s, "ma-learner");
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", s.email, IT_PASSWORD);
    refuses_managed("POST", "/v1/auth/login", body, NULL, NULL, 200);
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", s.refresh);
    refuses_managed("POST", "/v1/auth/refresh", body, NULL, NULL, 0);
    refuses_managed("POST", "/v1/auth/logout", body, NULL, NULL, 0);
    refuses_managed("PATCH", "/v1/me", "{\"display_name\":\"New\"}", s.auth, NULL, 200);
    snprintf(url, sizeof url, "/v1/me/progress/%lld", step);
    refuses_managed("PUT", url, "{\"status\":\"done\"}", s.auth, NULL, 200);
    /* The admin route: role is its field, nothing else is. */
    snprintf(url, sizeof url, "/v1/users/%lld", s.user_id);
    refuses_managed("PATCH", url, "{\"role\":\"learner\"}", admin, "role", 200);
    {
        const char *h[] = { admin, NULL };
        struct pw_resp r =
            pw_http("PATCH", url, "{\"role\":\"learner\",\"email\":\"evil@example.com\"}", h);

        assert_names_field(&r, "email", "PATCH /v1/users/{id}");
        pw_resp_free(&r);
    }
    /* Nothing stuck: still a learner, same email. */
    {
        const char *h[] = { s.auth, NULL };
        struct pw_resp r = pw_http("GET", "/v1/me", NULL, h);

        ck_assert_str_eq(it_str(r.json, "role"), "learner");
        ck_assert_str_eq(it_str(r.json, "email"), s.email);
        ck_assert_int_eq(it_int(r.json, "id"), s.user_id);
        pw_resp_free(&r);
    }
}
END_TEST

/* ---- secrets never leave ------------------------------------------------ */

#define MAX_SECRETS 64

struct secrets {
    char *items[MAX_SECRETS];
    size_t n;
};

static void
secret_add(struct secrets *s, const char *v)
{
    ck_assert(s->n < MAX_SECRETS);
    s->items[s->n++] = strdup(v);
}

/** Record the SHA-256 (hex, upper and lower case) of @a token. */
static void
secret_add_sha256(struct secrets *s, const char *token)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];

    crypto_hash_sha256(h, (const unsigned char *) token, strlen(token));
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    secret_add(s, hex);
    for (char *p = hex; *p; p++)
        *p = (char) toupper((unsigned char) *p);
    secret_add(s, hex);
}

/** Every stored hash of the accounts and subscriptions the tour made, as the database has it. */
static void
secret_add_stored(struct secrets *s, const char *sql)
{
    char v[512];

    if (pw_it_sql_text(sql, v, sizeof v) == 0 && v[0] != '\0') {
        secret_add(s, v);
        if (v[0] == '\\' && v[1] == 'x')
            secret_add(s, v + 2); /* bytea hex without the \x */
    }
}

/** Does @a hay contain @a needle, ignoring ASCII case? */
static int
contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay != '\0'; hay++) {
        size_t i = 0;

        while (i < n && hay[i] != '\0' &&
               tolower((unsigned char) hay[i]) == tolower((unsigned char) needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/** No JSON object key anywhere in @a j mentions a hash or a password. */
static void
no_secret_keys(const json_t *j, const char *where)
{
    const char *key;
    json_t *v;
    size_t i;

    if (json_is_object(j)) {
        json_object_foreach((json_t *) j, key, v)
        {
            ck_assert_msg(!contains_nocase(key, "hash") && !contains_nocase(key, "password") &&
                              !contains_nocase(key, "secret"),
                          "%s: key '%s'",
                          where,
                          key);
            no_secret_keys(v, where);
        }
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v) no_secret_keys(v, where);
    }
}

static unsigned long scanned;

/** Assert @a r carries no secret and no argon2 string; with @a keys, no hash-named key either. */
static void
scan(const struct secrets *s, const char *where, struct pw_resp *r, int keys)
{
    scanned++;
    ck_assert_msg(strstr(r->body, "$argon2") == NULL, "%s: argon2 hash in %s", where, r->body);
    ck_assert_msg(strstr(r->headers, "$argon2") == NULL, "%s: argon2 hash in headers", where);
    for (size_t i = 0; i < s->n; i++) {
        ck_assert_msg(strstr(r->body, s->items[i]) == NULL,
                      "%s: stored secret %s in the body",
                      where,
                      s->items[i]);
        ck_assert_msg(strstr(r->headers, s->items[i]) == NULL,
                      "%s: stored secret %s in the headers",
                      where,
                      s->items[i]);
    }
    if (keys && r->json != NULL)
        no_secret_keys(r->json, where);
}

/** A request of the tour: @return the response (caller frees) after scanning it. */
static struct pw_resp
visit(const struct secrets *s,
      const char *method,
      const char *url,
      const char *body,
      const char *auth)
{
    const char *h[] = { auth, NULL };
    struct pw_resp r = pw_http(method, url, body, h);
    char where[300];

    snprintf(where, sizeof where, "%s %s", method, url);
    ck_assert_msg(r.status < 500, "%s: %ld %s", where, r.status, r.body);
    scan(s, where, &r, strcmp(url, "/openapi.json") != 0);
    return r;
}

static void
visit_free(const struct secrets *s,
           const char *method,
           const char *url,
           const char *body,
           const char *auth)
{
    struct pw_resp r = visit(s, method, url, body, auth);

    pw_resp_free(&r);
}

/** GET every item the list @a url holds (first page), under @a prefix + the item's key. */
static void
visit_items(const struct secrets *s, const char *list, const char *prefix, const char *key)
{
    struct pw_resp r = visit(s, "GET", list, NULL, pw_auth_header(PW_ROLE_EDITOR));
    json_t *data = json_object_get(r.json, "data");

    for (size_t i = 0; i < json_array_size(data) && i < 5; i++) {
        json_t *k = json_object_get(json_array_get(data, i), key);
        char url[300];

        if (json_is_string(k))
            snprintf(url, sizeof url, "%s%s", prefix, json_string_value(k));
        else
            snprintf(url, sizeof url, "%s%lld", prefix, (long long) json_integer_value(k));
        visit_free(s, "GET", url, NULL, NULL);
        visit_free(s, "GET", url, NULL, pw_auth_header(PW_ROLE_EDITOR));
    }
    pw_resp_free(&r);
}

START_TEST(no_response_carries_a_secret)
{
    struct secrets s = { 0 };
    const char *email = it_email("tour");
    const char *admin = pw_auth_header(PW_ROLE_ADMIN);
    char body[512], url[256], sql[512], refresh[64], refresh2[64], access[1024], auth[1100];
    char unsub[256], sub_email[128];
    long long uid, step = first_step();
    struct pw_resp r;

    /* Sign up, sign in, rotate, read and change the account. */
    snprintf(body,
             sizeof body,
             "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"Tour\"}",
             email,
             IT_PASSWORD);
    r = visit(&s, "POST", "/v1/auth/register", body, NULL);
    ck_assert_int_eq(r.status, 201);
    uid = it_int(r.json, "id");
    pw_resp_free(&r);
    snprintf(sql, sizeof sql, "SELECT password_hash FROM users WHERE id = %lld", uid);
    secret_add_stored(&s, sql);
    ck_assert_int_eq(s.n, 1); /* the argon2 string itself */
    ck_assert_ptr_nonnull(strstr(s.items[0], "$argon2id$"));
    visit_free(&s, "POST", "/v1/auth/register", body, NULL); /* duplicate: 409 */

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, IT_PASSWORD);
    r = visit(&s, "POST", "/v1/auth/login", body, NULL);
    ck_assert_int_eq(r.status, 200);
    snprintf(refresh, sizeof refresh, "%s", it_str(r.json, "refresh_token"));
    pw_resp_free(&r);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"wrong password!\"}", email);
    visit_free(&s, "POST", "/v1/auth/login", body, NULL);
    secret_add_sha256(&s, refresh);

    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", refresh);
    r = visit(&s, "POST", "/v1/auth/refresh", body, NULL);
    ck_assert_int_eq(r.status, 200);
    snprintf(refresh2, sizeof refresh2, "%s", it_str(r.json, "refresh_token"));
    snprintf(access, sizeof access, "%s", it_str(r.json, "access_token"));
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", access);
    pw_resp_free(&r);
    secret_add_sha256(&s, refresh2);
    snprintf(sql,
             sizeof sql,
             "SELECT string_agg(encode(token_hash, 'hex'), '') FROM refresh_tokens WHERE user_id = "
             "%lld",
             uid);
    {
        char all[512];

        ck_assert_int_eq(pw_it_sql_text(sql, all, sizeof all), 0);
        ck_assert_uint_eq(strlen(all), 128); /* two tokens, as the test computed them */
        for (size_t k = 0; k < 2; k++) {
            char one[65];

            memcpy(one, all + 64 * k, 64);
            one[64] = '\0';
            int known = 0;

            for (size_t i = 0; i < s.n; i++)
                known |= strcmp(s.items[i], one) == 0;
            ck_assert_msg(known, "stored refresh hash %s is not SHA-256 of a known token", one);
        }
    }

    visit_free(&s, "GET", "/v1/me", NULL, auth);
    visit_free(&s, "PATCH", "/v1/me", "{\"display_name\":\"Tourist\"}", auth);
    snprintf(body,
             sizeof body,
             "{\"password\":\"another long password\",\"current_password\":\"%s\"}",
             IT_PASSWORD);
    visit_free(&s, "PATCH", "/v1/me", body, auth);
    snprintf(sql, sizeof sql, "SELECT password_hash FROM users WHERE id = %lld", uid);
    secret_add_stored(&s, sql);
    snprintf(url, sizeof url, "/v1/me/progress/%lld", step);
    visit_free(&s, "PUT", url, "{\"status\":\"done\"}", auth);
    visit_free(&s, "GET", "/v1/me/progress?path=backend-developer", NULL, auth);
    visit_free(&s, "GET", "/v1/me/paths/backend-developer/plan", NULL, auth);
    visit_free(&s, "DELETE", url, NULL, auth);

    /* The admin's view of the account, and a role change. */
    snprintf(url, sizeof url, "/v1/users/%lld", uid);
    visit_free(&s, "GET", url, NULL, admin);
    visit_free(&s, "PATCH", url, "{\"role\":\"editor\"}", admin);
    visit_free(&s, "GET", url, NULL, admin);

    /* Newsletter: the sign-up answer carries the unsubscribe token, never its hash. */
    snprintf(sub_email, sizeof sub_email, "%s", it_email("tour-sub"));
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"consent\":true,\"source\":\"t\"}", sub_email);
    r = visit(&s, "POST", "/v1/subscriptions", body, NULL);
    ck_assert_int_eq(r.status, 202);
    {
        const char *t = json_string_value(json_object_get(r.json, "unsubscribe_token"));

        snprintf(unsub, sizeof unsub, "%s", t != NULL ? t : "");
    }
    pw_resp_free(&r);
    if (unsub[0] != '\0')
        secret_add_sha256(&s, unsub);
    snprintf(sql,
             sizeof sql,
             "SELECT string_agg(encode(t.token_hash, 'hex'), '') FROM subscriber_tokens t"
             " JOIN subscribers s ON s.id = t.subscriber_id WHERE s.email = '%s'",
             sub_email);
    secret_add_stored(&s, sql);
    visit_free(&s, "POST", "/v1/subscriptions", body, NULL); /* known address: same answer */
    visit_free(&s, "GET", "/v1/subscriptions", NULL, admin);
    visit_free(&s, "GET", "/v1/subscriptions?limit=100", NULL, admin);
    if (unsub[0] != '\0') {
        snprintf(body, sizeof body, "{\"token\":\"%s\"}", unsub);
        visit_free(&s, "POST", "/v1/subscriptions/unsubscribe", body, NULL);
    }

    /* Every public route: lists, items, documents, search, operations. */
    visit_items(&s, "/v1/paths", "/v1/paths/", "slug");
    visit_items(&s, "/v1/skills?limit=5", "/v1/skills/", "slug");
    visit_items(&s, "/v1/resources?limit=5", "/v1/resources/", "id");
    visit_items(&s, "/v1/mentors?limit=5", "/v1/mentors/", "slug");
    visit_items(&s, "/v1/articles?limit=5", "/v1/articles/", "slug");
    visit_items(&s, "/v1/paths/backend-developer/stages", "/v1/stages/", "id");
    visit_items(&s, "/v1/paths/backend-developer/salaries", "/v1/salaries/", "id");
    visit_free(&s, "GET", "/v1/paths/backend-developer/roadmap", NULL, NULL);
    visit_free(&s, "GET", "/v1/paths/backend-developer/related", NULL, NULL);
    visit_free(&s, "GET", "/v1/search?q=sql", NULL, NULL);
    visit_free(&s, "GET", "/v1/search?q=password", NULL, NULL);
    visit_free(&s, "GET", "/healthz", NULL, NULL);
    visit_free(&s, "GET", "/readyz", NULL, NULL);
    visit_free(&s, "GET", "/metrics", NULL, NULL);
    visit_free(&s, "GET", "/openapi.json", NULL, NULL);
    snprintf(url, sizeof url, "/v1/stages/%lld/steps", step);
    visit_free(&s, "GET", url, NULL, NULL);
    snprintf(url, sizeof url, "/v1/steps/%lld", step);
    visit_free(&s, "GET", url, NULL, NULL);
    snprintf(url, sizeof url, "/v1/steps/%lld/resources", step);
    visit_free(&s, "GET", url, NULL, NULL);

    /* Errors do not echo secrets either; log out, then the revoked token is refused. */
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", refresh2);
    visit_free(&s, "POST", "/v1/auth/logout", body, NULL);
    visit_free(&s, "POST", "/v1/auth/refresh", body, NULL);
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", refresh);
    visit_free(&s, "POST", "/v1/auth/refresh", body, NULL); /* reuse of a rotated token */

    ck_assert_uint_ge(s.n, 6);
    ck_assert_uint_ge(scanned, 60);
    for (size_t i = 0; i < s.n; i++)
        free(s.items[i]);
}
END_TEST

static Suite *
attacks_suite(void)
{
    Suite *s = suite_create("attacks");
    TCase *tc = tcase_create("attacks");

    if (sodium_init() < 0)
        abort();
    tcase_add_unchecked_fixture(tc, setup, pw_it_teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, one_user_cannot_reach_another);
    tcase_add_test(tc, a_guessed_refresh_token_ends_no_session);
    tcase_add_test(tc, mass_assignment_is_refused_on_every_write_route);
    tcase_add_test(tc, no_response_carries_a_secret);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(attacks_suite)
