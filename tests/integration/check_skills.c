/**
 * @file check_skills.c
 * @brief The skills resource end to end: CRUD, validation, auth, paging, ETags.
 */
#include "harness.h"
#include "check_main.h"

#include <stdio.h>
#include <string.h>

static void
setup(void)
{
    pw_it_start(NULL);
}

static void
teardown(void)
{
    ck_assert_int_eq(pw_it_stop(), 0); /* clean exit, no sanitizer report */
}

static const char *
editor_json_headers(void)
{
    return pw_auth_header(PW_ROLE_EDITOR);
}

/** POST a skill with @a slug; returns the response. */
static struct pw_resp
create_skill(const char *slug, const char *name, const char *category)
{
    char body[512];
    const char *h[] = { editor_json_headers(), NULL };

    snprintf(body,
             sizeof body,
             "{\"slug\":\"%s\",\"name\":\"%s\",\"category\":\"%s\",\"description\":\"d\"}",
             slug,
             name,
             category);
    return pw_http("POST", "/v1/skills", body, h);
}

START_TEST(seeded_skill_is_served)
{
    struct pw_resp r = pw_http("GET", "/v1/skills/postgresql", NULL, NULL);
    char etag[64], cc[64];

    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "PostgreSQL");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "category")), "database");
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "public, max-age=60");
    pw_resp_free(&r);
}
END_TEST

START_TEST(crud_round_trip)
{
    const char *slug = pw_unique("skill");
    char path[128], loc[128], etag[64], stale[80], fresh[80];
    struct pw_resp r = create_skill(slug, "Zig", "language");

    ck_assert_int_eq(r.status, 201);
    snprintf(path, sizeof path, "/v1/skills/%s", slug);
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    ck_assert_str_eq(loc, path);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    ck_assert(json_is_null(json_object_get(r.json, "url")));
    pw_resp_free(&r);

    /* Same slug again: 409. */
    r = create_skill(slug, "Zig", "language");
    pw_assert_problem(&r, 409);
    pw_resp_free(&r);

    /* PATCH with the current ETag, then with the stale one. */
    snprintf(fresh, sizeof fresh, "If-Match: W/\"1\"");
    const char *h1[] = { editor_json_headers(), fresh, NULL };
    r = pw_http("PATCH", path, "{\"name\":\"Zig lang\",\"url\":\"https://ziglang.org/\"}", h1);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "Zig lang");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "category")), "language");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"2\"");
    pw_resp_free(&r);

    snprintf(stale, sizeof stale, "If-Match: W/\"1\"");
    const char *h2[] = { editor_json_headers(), stale, NULL };
    r = pw_http("PATCH", path, "{\"name\":\"lost update\"}", h2);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);

    /* If-None-Match with the current ETag: 304 and no body. */
    const char *h3[] = { "If-None-Match: W/\"2\"", NULL };
    r = pw_http("GET", path, NULL, h3);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.len, 0);
    pw_resp_free(&r);

    r = pw_http("DELETE", path, NULL, h2);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);
    const char *h4[] = { editor_json_headers(), NULL };
    r = pw_http("DELETE", path, NULL, h4);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    r = pw_http("GET", path, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("DELETE", path, NULL, h4);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
}
END_TEST

START_TEST(validation_lists_every_field)
{
    const char *h[] = { editor_json_headers(), NULL };
    struct pw_resp r =
        pw_http("POST",
                "/v1/skills",
                "{\"slug\":\"Not A Slug\",\"category\":\"magic\",\"url\":\"ftp://x\",\"extra\":1}",
                h);
    json_t *errs;
    const char *fields[] = { "slug", "name", "category", "url", "extra" };

    pw_assert_problem(&r, 422);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "type")), "/problems/validation");
    errs = json_object_get(r.json, "errors");
    ck_assert_uint_eq(json_array_size(errs), 5);
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errs, i), "field")),
                         fields[i]);
    pw_resp_free(&r);
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    struct pw_resp r = pw_http("POST", "/v1/skills", "{}", NULL);
    char www[64];

    pw_assert_problem(&r, 401);
    ck_assert(pw_resp_header(&r, "WWW-Authenticate", www, sizeof www));
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/skills", "{}", bad);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/skills", "{}", learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("DELETE", "/v1/skills/postgresql", NULL, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
}
END_TEST

START_TEST(paging_has_no_gaps_or_duplicates)
{
    const char *prefix = pw_unique("page");
    char url[1200], q[64];
    json_t *seen = json_object();
    int pages = 0;

    for (int i = 0; i < 27; i++) {
        char slug[96], name[96];

        snprintf(slug, sizeof slug, "%s-%02d", prefix, i);
        snprintf(name, sizeof name, "%s %02d", prefix, i);
        struct pw_resp c = create_skill(slug, name, "concept");
        ck_assert_int_eq(c.status, 201);
        pw_resp_free(&c);
    }
    /* Descending by name, 10 a page, filtered to our rows with q. */
    snprintf(q, sizeof q, "%s", prefix);
    snprintf(url, sizeof url, "/v1/skills?limit=10&sort=-name&count=true&q=%s", q);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *data = json_object_get(r.json, "data");
        const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
        char link[1400];

        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 27);
        for (size_t i = 0; i < json_array_size(data); i++) {
            const char *slug = json_string_value(json_object_get(json_array_get(data, i), "slug"));

            ck_assert_ptr_null(json_object_get(seen, slug));
            json_object_set_new(seen, slug, json_true());
            if (i > 0) {
                const char *prev =
                    json_string_value(json_object_get(json_array_get(data, i - 1), "name"));
                const char *cur =
                    json_string_value(json_object_get(json_array_get(data, i), "name"));
                ck_assert(strcmp(prev, cur) > 0);
            }
        }
        pages++;
        if (next == NULL) {
            ck_assert(!pw_resp_header(&r, "Link", link, sizeof link));
            pw_resp_free(&r);
            break;
        }
        ck_assert(pw_resp_header(&r, "Link", link, sizeof link));
        ck_assert_ptr_nonnull(strstr(link, "rel=\"next\""));
        snprintf(
            url, sizeof url, "/v1/skills?limit=10&sort=-name&count=true&q=%s&cursor=%s", q, next);
        pw_resp_free(&r);
    }
    ck_assert_int_eq(pages, 3);
    ck_assert_uint_eq(json_object_size(seen), 27);
    json_decref(seen);
}
END_TEST

START_TEST(list_query_errors)
{
    static const char *const bad[] = {
        "/v1/skills?limit=0",       "/v1/skills?limit=101",  "/v1/skills?limit=abc",
        "/v1/skills?sort=password", "/v1/skills?cursor=xyz", "/v1/skills?category=magic",
        "/v1/skills?count=maybe",   "/v1/skills?nope=1",     "/v1/skills?limit=1&limit=2",
        "/v1/skills?q=%ZZ",         "/v1/skills?q=%C3%28",
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct pw_resp r = pw_http("GET", bad[i], NULL, NULL);

        pw_assert_problem(&r, 400);
        pw_resp_free(&r);
    }
}
END_TEST

START_TEST(list_filters_and_etag)
{
    struct pw_resp r = pw_http("GET", "/v1/skills?category=database&limit=100", NULL, NULL);
    json_t *data = json_object_get(r.json, "data");
    char etag[64], inm[96];

    ck_assert_int_eq(r.status, 200);
    char ct[64];
    ck_assert(pw_resp_header(&r, "Content-Type", ct, sizeof ct));
    ck_assert_str_eq(ct, "application/json");
    ck_assert_uint_eq(json_array_size(data), 10);
    for (size_t i = 0; i < json_array_size(data); i++)
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(data, i), "category")),
                         "database");
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    r = pw_http("GET", "/v1/skills?category=database&limit=100", NULL, h);
    ck_assert_int_eq(r.status, 304);
    pw_resp_free(&r);
}
END_TEST

START_TEST(sql_metacharacters_are_data)
{
    const char *h[] = { editor_json_headers(), NULL };
    const char *slug = pw_unique("meta");
    char body[512], url[256], want[128];
    struct pw_resp r;

    snprintf(want, sizeof want, "%s '; DROP TABLE skills; --", slug);
    snprintf(
        body, sizeof body, "{\"slug\":\"%s\",\"name\":\"%s\",\"category\":\"tool\"}", slug, want);
    r = pw_http("POST", "/v1/skills", body, h);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), want);
    pw_resp_free(&r);
    snprintf(
        url, sizeof url, "/v1/skills?q=%s%%20%%27%%3B%%20DROP%%20TABLE%%20skills%%3B%%20--", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 1);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/skills/x'%20OR%20'1'='1", NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/skills/postgresql", NULL, NULL);
    ck_assert_int_eq(r.status, 200); /* the table is still there */
    pw_resp_free(&r);
}
END_TEST

static Suite *
skills_suite(void)
{
    Suite *s = suite_create("skills");
    TCase *tc = tcase_create("skills");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_skill_is_served);
    tcase_add_test(tc, crud_round_trip);
    tcase_add_test(tc, validation_lists_every_field);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, paging_has_no_gaps_or_duplicates);
    tcase_add_test(tc, list_query_errors);
    tcase_add_test(tc, list_filters_and_etag);
    tcase_add_test(tc, sql_metacharacters_are_data);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(skills_suite)
