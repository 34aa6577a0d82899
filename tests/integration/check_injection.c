/**
 * @file check_injection.c
 * @brief SQL metacharacters in every path, query and body parameter of every
 *        route (catalogue, articles, search, subscriptions, auth, /v1/me,
 *        progress, plan, users): each is data (a clean 2xx/4xx, never a 500),
 *        it round-trips unchanged when stored, and the data is intact afterwards.
 */
#include "it_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Raw payloads (for bodies) and their URL encodings (for paths and queries). */
static const char *const payloads[] = {
    "'",
    "\\\"",
    "'; DROP TABLE paths; --",
    "' OR '1'='1",
    "1; DELETE FROM skills",
    "%_\\\\",
    "$1::text",
    "/* comment */",
    "\\u0027) UNION SELECT 1 --",
};
static const char *const encoded[] = {
    "%27",
    "%22",
    "%27%3B%20DROP%20TABLE%20paths%3B%20--",
    "%27%20OR%20%271%27%3D%271",
    "1%3B%20DELETE%20FROM%20skills",
    "%25_%5C",
    "%241%3A%3Atext",
    "%2F*%20comment%20*%2F",
    "%27)%20UNION%20SELECT%201%20--",
};
#define NPAYLOADS (sizeof payloads / sizeof payloads[0])

static const char *const rate_env[] = { "RATE_LIMIT_PER_MIN=1000", NULL };

static void
setup(void)
{
    pw_it_start(rate_env);
}

/* Every route with a path parameter, "{}" where the parameter goes. */
static const char *const path_templates[] = {
    "/v1/paths/{}",          "/v1/paths/{}/stages",    "/v1/paths/{}/roadmap",
    "/v1/skills/{}",         "/v1/stages/{}",          "/v1/stages/{}/steps",
    "/v1/steps/{}",          "/v1/steps/{}/resources", "/v1/resources/{}",
    "/v1/paths/{}/salaries", "/v1/salaries/{}",        "/v1/paths/{}/related",
    "/v1/mentors/{}",        "/v1/articles/{}",        "/v1/users/{}",
    "/v1/me/progress/{}",    "/v1/me/paths/{}/plan",
};

/* Every list filter and paging parameter. */
static const char *const query_templates[] = {
    "/v1/paths?q={}",
    "/v1/skills?q={}",
    "/v1/skills?category={}",
    "/v1/resources?q={}",
    "/v1/resources?kind={}",
    "/v1/resources?cost={}",
    "/v1/resources?level={}",
    "/v1/resources?skill={}",
    "/v1/skills?sort={}",
    "/v1/skills?cursor={}",
    "/v1/skills?limit={}",
    "/v1/skills?count={}",
    "/v1/paths/backend-developer/stages?sort={}",
    "/v1/mentors?skill={}",
    "/v1/mentors?path={}",
    "/v1/mentors?available={}",
    "/v1/mentors?sort={}",
    "/v1/paths/backend-developer/salaries?sort={}",
    "/v1/paths/backend-developer/related?sort={}",
    "/v1/articles?q={}",
    "/v1/articles?category={}",
    "/v1/articles?author={}",
    "/v1/articles?sort={}",
    "/v1/search?q={}",
    "/v1/search?types={}",
    "/v1/search?limit={}",
    "/v1/search?q=sql&cursor={}",
    "/v1/subscriptions?status={}",
    "/v1/subscriptions?email={}",
    "/v1/me/progress?path={}",
    "/v1/me/paths/backend-developer/plan?hours_per_week={}",
    "/v1/me/paths/backend-developer/plan?start={}",
};

/** @a tmpl with its "{}" replaced by @a value. */
static void
fill(char *out, size_t cap, const char *tmpl, const char *value)
{
    const char *hole = strstr(tmpl, "{}");

    ck_assert_ptr_nonnull(hole);
    snprintf(out, cap, "%.*s%s%s", (int) (hole - tmpl), tmpl, value, hole + 2);
}

/**
 * A fingerprint of the sample data (the rows the seed transaction wrote,
 * which share its timestamp): other suites running beside this one create
 * and delete rows of their own, but none of them touches these.
 */
struct census {
    char digest[64];
};

static void
take_census(struct census *c)
{
    static const char sql[] = "SELECT md5(string_agg(r, '|' ORDER BY r)) FROM ("
                              " SELECT 'p' || id || slug || title AS r FROM paths"
                              "  WHERE created_at = (SELECT min(created_at) FROM paths)"
                              " UNION ALL SELECT 's' || id || slug || name FROM skills"
                              "  WHERE created_at = (SELECT min(created_at) FROM skills)"
                              " UNION ALL SELECT 'r' || id || title FROM resources"
                              "  WHERE created_at = (SELECT min(created_at) FROM resources)"
                              " UNION ALL SELECT 'g' || id || title FROM stages"
                              "  WHERE created_at = (SELECT min(created_at) FROM stages)"
                              " UNION ALL SELECT 't' || id || title FROM steps"
                              "  WHERE created_at = (SELECT min(created_at) FROM steps)"
                              " UNION ALL SELECT 'a' || id || slug || title FROM articles"
                              "  WHERE created_at = (SELECT min(created_at) FROM articles)) x";

    memset(c, 0, sizeof *c);
    ck_assert_int_eq(pw_it_sql_text(sql, c->digest, sizeof c->digest), 0);
}

START_TEST(path_parameters)
{
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct census before, after;

    take_census(&before);
    for (size_t t = 0; t < sizeof path_templates / sizeof path_templates[0]; t++) {
        for (size_t p = 0; p < NPAYLOADS; p++) {
            char path[256];

            fill(path, sizeof path, path_templates[t], encoded[p]);
            pw_expect_problem("GET", path, NULL, NULL, 404);
            /* A parameter that cannot be a slug or an id matches no route: 404 for any method. */
            pw_expect_problem("DELETE", path, NULL, editor, 404);
        }
    }
    for (size_t p = 0; p < NPAYLOADS; p++) {
        char path[256];

        snprintf(path, sizeof path, "/v1/steps/1/resources/%s", encoded[p]);
        pw_expect_problem("PUT", path, NULL, editor, 404);
        snprintf(path, sizeof path, "/v1/paths/backend-developer/related/%s", encoded[p]);
        pw_expect_problem("PUT", path, NULL, editor, 404);
    }
    take_census(&after);
    ck_assert_mem_eq(&before, &after, sizeof before);
}
END_TEST

/** Free-text parameters: any string is a valid (if fruitless) filter. */
static int
free_text(const char *tmpl)
{
    static const char *const keys[] = { "q=", "skill=", "author=", "email=", "path=" };

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *k = strstr(tmpl, keys[i]);

        if (k != NULL && (k[-1] == '?' || k[-1] == '&') && strcmp(k + strlen(keys[i]), "{}") == 0)
            return 1;
    }
    return 0;
}

START_TEST(query_parameters)
{
    struct census before, after;
    struct it_session s;

    it_new_learner(&s, "inj-q");
    take_census(&before);
    for (size_t t = 0; t < sizeof query_templates / sizeof query_templates[0]; t++) {
        for (size_t p = 0; p < NPAYLOADS; p++) {
            char url[256];
            long st;

            const char *h[] = { strncmp(query_templates[t], "/v1/me", 6) == 0
                                    ? s.auth
                                    : pw_auth_header(PW_ROLE_ADMIN),
                                NULL };

            fill(url, sizeof url, query_templates[t], encoded[p]);
            st = pw_status("GET", url, NULL, h);
            /* Free text filters answer (probably empty) lists; the rest refuse. A path
               slug that is no slug finds no path: 400 or 404. */
            ck_assert_msg(st == 200 || st == 400 || st == 404, "%s answered %ld", url, st);
            if (!free_text(query_templates[t]))
                ck_assert_msg(st == 400, "%s answered %ld", url, st);
        }
    }
    take_census(&after);
    ck_assert_mem_eq(&before, &after, sizeof before);
}
END_TEST

/** POST @a body to @a url; the stored @a field must equal @a want exactly. */
static void
stored_verbatim(const char *url, const char *body, const char *field, const char *want)
{
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r = pw_http("POST", url, body, editor);
    char loc[256];

    ck_assert_msg(r.status == 201, "%s %s: %ld %s", url, body, r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, field)), want);
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    pw_resp_free(&r);
    /* Read back through GET (as the editor: a new article is a draft), then remove it. */
    r = pw_http("GET", loc, NULL, editor);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, field)), want);
    pw_resp_free(&r);
    ck_assert_int_eq(pw_status("DELETE", loc, NULL, editor), 204);
}

/** @a status must be one of the clean answers (never 500): 2xx or 4xx. */
static void
clean(long status, const char *what)
{
    ck_assert_msg(status >= 200 && status < 500, "%s answered %ld", what, status);
}

/** What the JSON string literal "@a raw" decodes to, into @a out. */
static void
decoded(const char *raw, char *out, size_t cap)
{
    char lit[256];
    json_t *d;

    snprintf(lit, sizeof lit, "\"%s\"", raw);
    d = json_loads(lit, JSON_DECODE_ANY, NULL);
    ck_assert_ptr_nonnull(d);
    snprintf(out, cap, "%s", json_string_value(d));
    json_decref(d);
}

static void
accounts_bodies(void)
{
    const char *admin[] = { pw_auth_header(PW_ROLE_ADMIN), NULL };
    struct it_session s;
    char body[1024], want[128], url[128];
    struct pw_resp r;

    it_new_learner(&s, "inj-acct");
    const char *me[] = { s.auth, NULL };
    for (size_t p = 0; p < NPAYLOADS; p++) {
        decoded(payloads[p], want, sizeof want);
        /* Stored verbatim: the display name (registration and PATCH /v1/me). */
        snprintf(body,
                 sizeof body,
                 "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"%s\"}",
                 it_email("inj-reg"),
                 IT_PASSWORD,
                 payloads[p]);
        r = pw_http("POST", "/v1/auth/register", body, NULL);
        ck_assert_msg(r.status == 201, "register: %ld %s", r.status, r.body);
        ck_assert_str_eq(json_string_value(json_object_get(r.json, "display_name")), want);
        pw_resp_free(&r);
        snprintf(body, sizeof body, "{\"display_name\":\"%s\"}", payloads[p]);
        r = pw_http("PATCH", "/v1/me", body, me);
        ck_assert_int_eq(r.status, 200);
        pw_resp_free(&r);
        r = pw_http("GET", "/v1/me", NULL, me);
        ck_assert_str_eq(json_string_value(json_object_get(r.json, "display_name")), want);
        pw_resp_free(&r);
        /* As an email: stored verbatim when it is a valid address (a' is), else 422. */
        {
            char email[256], want_email[256];

            snprintf(email, sizeof email, "%s%s@example.com", pw_unique("inj"), payloads[p]);
            decoded(email, want_email, sizeof want_email);
            snprintf(body,
                     sizeof body,
                     "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"x\"}",
                     email,
                     IT_PASSWORD);
            r = pw_http("POST", "/v1/auth/register", body, NULL);
            ck_assert_msg(r.status == 201 || r.status == 422, "%s: %ld", body, r.status);
            if (r.status == 201)
                ck_assert_str_eq(json_string_value(json_object_get(r.json, "email")), want_email);
            pw_resp_free(&r);
        }
        /* As a password, a token, a status, a role: refused, never a 500. */
        snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", s.email, payloads[p]);
        pw_expect_problem("POST", "/v1/auth/login", body, NULL, 401);
        snprintf(
            body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", payloads[p], IT_PASSWORD);
        clean(pw_status("POST", "/v1/auth/login", body, NULL), "login email");
        snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", payloads[p]);
        clean(pw_status("POST", "/v1/auth/refresh", body, NULL), "refresh");
        ck_assert_int_ne(pw_status("POST", "/v1/auth/refresh", body, NULL), 200);
        clean(pw_status("POST", "/v1/auth/logout", body, NULL), "logout");
        snprintf(body, sizeof body, "{\"token\":\"%s\"}", payloads[p]);
        clean(pw_status("POST", "/v1/subscriptions/unsubscribe", body, NULL), "unsubscribe");
        snprintf(body,
                 sizeof body,
                 "{\"email\":\"%s\",\"consent\":true,\"source\":\"%s\"}",
                 it_email("inj-sub"),
                 payloads[p]);
        ck_assert_int_eq(pw_status("POST", "/v1/subscriptions", body, NULL), 202);
        snprintf(body, sizeof body, "{\"email\":\"%s\",\"consent\":true}", payloads[p]);
        pw_expect_problem("POST", "/v1/subscriptions", body, NULL, 422);
        snprintf(body, sizeof body, "{\"status\":\"%s\"}", payloads[p]);
        pw_expect_problem("PUT", "/v1/me/progress/1", body, me, 422);
        snprintf(url, sizeof url, "/v1/users/%lld", s.user_id);
        snprintf(body, sizeof body, "{\"role\":\"%s\"}", payloads[p]);
        pw_expect_problem("PATCH", url, body, admin, 422);
    }
    /* The learner is still a learner, and can still sign in. */
    r = pw_http("GET", "/v1/me", NULL, me);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "learner");
    pw_resp_free(&r);
    {
        char email[128];

        snprintf(email, sizeof email, "%s", s.email);
        it_login(&s, email, IT_PASSWORD);
    }
}

START_TEST(body_fields)
{
    struct census before, after;

    take_census(&before);
    for (size_t p = 0; p < NPAYLOADS; p++) {
        char body[512], want[128];
        json_t *decoded;

        /* What the JSON string literal decodes to. */
        snprintf(body, sizeof body, "\"%s\"", payloads[p]);
        decoded = json_loads(body, JSON_DECODE_ANY, NULL);
        ck_assert_ptr_nonnull(decoded);
        snprintf(want, sizeof want, "%s", json_string_value(decoded));
        json_decref(decoded);

        snprintf(body,
                 sizeof body,
                 "{\"slug\":\"%s\",\"name\":\"%s\",\"category\":\"tool\"}",
                 pw_unique("inj"),
                 payloads[p]);
        stored_verbatim("/v1/skills", body, "name", want);
        snprintf(body,
                 sizeof body,
                 "{\"slug\":\"%s\",\"title\":\"%s\",\"summary\":\"%s\"}",
                 pw_unique("inj"),
                 payloads[p],
                 payloads[p]);
        stored_verbatim("/v1/paths", body, "summary", want);
        snprintf(body,
                 sizeof body,
                 "{\"kind\":\"book\",\"title\":\"%s\",\"cost\":\"free\",\"level\":\"beginner\","
                 "\"authors\":[\"%s\"]}",
                 payloads[p],
                 payloads[p]);
        stored_verbatim("/v1/resources", body, "title", want);
        snprintf(body,
                 sizeof body,
                 "{\"position\":%zu,\"title\":\"%s\",\"goal\":\"%s\"}",
                 500 + p,
                 payloads[p],
                 payloads[p]);
        stored_verbatim("/v1/paths/backend-developer/stages", body, "goal", want);
        snprintf(body,
                 sizeof body,
                 "{\"level\":\"%s\",\"min_years\":0,\"currency\":\"USD\",\"min_amount\":0,"
                 "\"region\":\"%s\",\"source\":\"%s\"}",
                 payloads[p],
                 payloads[p],
                 payloads[p]);
        stored_verbatim("/v1/paths/data-scientist/salaries", body, "region", want);
        snprintf(body,
                 sizeof body,
                 "{\"slug\":\"%s\",\"name\":\"%s\",\"headline\":\"%s\",\"bio\":\"%s\"}",
                 pw_unique("inj"),
                 payloads[p],
                 payloads[p],
                 payloads[p]);
        stored_verbatim("/v1/mentors", body, "bio", want);
        snprintf(body,
                 sizeof body,
                 "{\"slug\":\"%s\",\"title\":\"%s\",\"author\":\"%s\",\"summary\":\"%s\","
                 "\"body\":\"%s\"}",
                 pw_unique("inj"),
                 payloads[p],
                 payloads[p],
                 payloads[p],
                 payloads[p]);
        stored_verbatim("/v1/articles", body, "author", want);
    }
    /* As a slug or an enum it is refused, with every field named. */
    {
        const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };

        pw_expect_problem(
            "POST",
            "/v1/skills",
            "{\"slug\":\"'; DROP TABLE skills; --\",\"name\":\"x\",\"category\":\"' OR '1'='1\"}",
            editor,
            422);
        pw_expect_problem("POST",
                          "/v1/resources",
                          "{\"kind\":\"book\",\"title\":\"x\",\"cost\":\"free\",\"level\":"
                          "\"beginner\",\"skills\":[\"'--\"]}",
                          editor,
                          422);
    }
    take_census(&after);
    ck_assert_mem_eq(&before, &after, sizeof before);
    /* The accounts, newsletter and progress bodies. */
    accounts_bodies();
    take_census(&after);
    ck_assert_mem_eq(&before, &after, sizeof before);
    /* The seeded document is whole. */
    struct pw_resp r = pw_http("GET", "/v1/paths/backend-developer/roadmap", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(r.json, "totals"), "steps")), 20);
    pw_resp_free(&r);
}
END_TEST

static Suite *
injection_suite(void)
{
    Suite *s = suite_create("injection");
    TCase *tc = tcase_create("injection");

    tcase_add_unchecked_fixture(tc, setup, pw_it_teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, path_parameters);
    tcase_add_test(tc, query_parameters);
    tcase_add_test(tc, body_fields);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(injection_suite)
