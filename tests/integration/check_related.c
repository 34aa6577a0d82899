/**
 * @file check_related.c
 * @brief Related paths end to end: the seeded relations, symmetry, idempotent
 *        PUT, DELETE from either side, self-links, missing paths, auth,
 *        paging, ETags, cascades, the roadmap document, SQL metacharacters.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Create a path of our own titled @a title; its slug in a static rotating buffer. */
static const char *
new_path(const char *title)
{
    return pw_it_new_path("rel-path", title);
}

/** PUT or DELETE the relation @a a - @a b as @a headers (NULL: the editor); the status. */
static long
relate(const char *method, const char *a, const char *b, const char *const *headers)
{
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char url[1200];

    snprintf(url, sizeof url, "/v1/paths/%s/related/%s", a, b);
    return pw_status(method, url, NULL, headers ? headers : editor);
}

/** The related slugs of @a slug (first page of 100), comma-separated, into @a out. */
static void
related_of(const char *slug, char *out, size_t cap)
{
    char url[256];
    struct pw_resp r;
    json_t *data;
    size_t o = 0;

    snprintf(url, sizeof url, "/v1/paths/%s/related?limit=100", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_msg(r.status == 200, "%s: %ld", url, r.status);
    data = json_object_get(r.json, "data");
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(data) && o < cap; i++)
        o += (size_t) snprintf(
            out + o, cap - o, "%s%s", i ? "," : "", pw_str(json_array_get(data, i), "slug"));
    pw_resp_free(&r);
}

START_TEST(seeded_relations)
{
    static const char *const slugs[] = {
        "data-engineer",      "data-scientist",       "devops-engineer",
        "frontend-developer", "full-stack-developer", "mobile-developer",
    };
    static const char *const titles[] = {
        "Data Engineer",      "Data Scientist",       "DevOps Engineer",
        "Frontend Developer", "Full-Stack Developer", "Mobile Developer",
    };
    struct pw_resp r = pw_http("GET", "/v1/paths/backend-developer/related", NULL, NULL);
    json_t *data = json_object_get(r.json, "data");
    char cc[64], etag[64], got[1024];

    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "public, max-age=60");
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    ck_assert_uint_eq(json_array_size(data), 6);
    for (size_t i = 0; i < 6; i++) {
        json_t *p = json_array_get(data, i);

        ck_assert_str_eq(pw_str(p, "slug"), slugs[i]);
        ck_assert_str_eq(pw_str(p, "title"), titles[i]);
        ck_assert_uint_gt(strlen(pw_str(p, "summary")), 0);
        ck_assert_uint_eq(json_object_size(p), 3);
    }
    pw_resp_free(&r);

    /* Symmetric: each of them lists backend-developer. */
    for (size_t i = 0; i < 6; i++) {
        related_of(slugs[i], got, sizeof got);
        ck_assert_msg(strstr(got, "backend-developer") != NULL, "%s: %s", slugs[i], got);
    }
    r = pw_http("GET", "/v1/paths/frontend-developer/related", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "slug"),
                     "backend-developer");
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "title"),
                     "Backend Developer");
    pw_resp_free(&r);

    /* Sorted by slug, descending, 4 a page. */
    r = pw_http("GET", "/v1/paths/backend-developer/related?sort=-slug&limit=4", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 4);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "slug"),
                     "mobile-developer");
    ck_assert_ptr_nonnull(pw_str(r.json, "next_cursor"));
    pw_resp_free(&r);

    /* Unchanged data, same ETag: 304. */
    char inm[96];
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    ck_assert_int_eq(pw_status("GET", "/v1/paths/backend-developer/related", NULL, h), 304);
}
END_TEST

START_TEST(put_is_idempotent_and_symmetric)
{
    const char *a = new_path("Alpha path");
    const char *b = new_path("Beta path");
    char got[1024];

    related_of(a, got, sizeof got);
    ck_assert_str_eq(got, "");
    ck_assert_int_eq(relate("PUT", a, b, NULL), 204);
    ck_assert_int_eq(relate("PUT", a, b, NULL), 204); /* again: the same state */
    ck_assert_int_eq(relate("PUT", b, a, NULL), 204); /* the other way: the same pair */
    related_of(a, got, sizeof got);
    ck_assert_str_eq(got, b);
    related_of(b, got, sizeof got);
    ck_assert_str_eq(got, a);

    /* DELETE from the other side removes it for both; then it is a 404. */
    ck_assert_int_eq(relate("DELETE", b, a, NULL), 204);
    related_of(a, got, sizeof got);
    ck_assert_str_eq(got, "");
    related_of(b, got, sizeof got);
    ck_assert_str_eq(got, "");
    ck_assert_int_eq(relate("DELETE", a, b, NULL), 404);
    ck_assert_int_eq(relate("DELETE", b, a, NULL), 404);

    /* And it can be made again. */
    ck_assert_int_eq(relate("PUT", b, a, NULL), 204);
    related_of(a, got, sizeof got);
    ck_assert_str_eq(got, b);
    ck_assert_int_eq(relate("DELETE", a, b, NULL), 204);
}
END_TEST

START_TEST(self_links_are_422)
{
    const char *a = new_path("Self");
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char url[256], got[256];
    const char *methods[] = { "PUT", "DELETE" };

    snprintf(url, sizeof url, "/v1/paths/%s/related/%s", a, a);
    for (size_t i = 0; i < 2; i++) {
        struct pw_resp r = pw_http(methods[i], url, NULL, editor);
        json_t *errs;

        pw_assert_problem(&r, 422);
        errs = json_object_get(r.json, "errors");
        ck_assert_uint_eq(json_array_size(errs), 1);
        ck_assert_str_eq(pw_str(json_array_get(errs, 0), "field"), "other");
        pw_resp_free(&r);
    }
    pw_expect_problem(
        "PUT", "/v1/paths/backend-developer/related/backend-developer", NULL, editor, 422);
    related_of(a, got, sizeof got);
    ck_assert_str_eq(got, "");
}
END_TEST

START_TEST(missing_paths_are_404)
{
    const char *a = new_path("Lonely");
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char url[256];
    struct pw_resp r;

    snprintf(url, sizeof url, "/v1/paths/%s/related/no-such-path", a);
    r = pw_http("PUT", url, NULL, editor);
    pw_assert_problem(&r, 404);
    ck_assert_ptr_nonnull(strstr(pw_str(r.json, "detail"), "no-such-path"));
    pw_resp_free(&r);
    pw_expect_problem("DELETE", url, NULL, editor, 404);
    snprintf(url, sizeof url, "/v1/paths/no-such-path/related/%s", a);
    r = pw_http("PUT", url, NULL, editor);
    pw_assert_problem(&r, 404);
    ck_assert_ptr_nonnull(strstr(pw_str(r.json, "detail"), "no-such-path"));
    pw_resp_free(&r);
    pw_expect_problem("DELETE", url, NULL, editor, 404);
    /* Both exist but are not related. */
    snprintf(url, sizeof url, "/v1/paths/%s/related/backend-developer", a);
    r = pw_http("DELETE", url, NULL, editor);
    pw_assert_problem(&r, 404);
    ck_assert_ptr_nonnull(strstr(pw_str(r.json, "detail"), "not related"));
    pw_resp_free(&r);

    pw_expect_problem("GET", "/v1/paths/no-such-path/related", NULL, NULL, 404);
    pw_expect_problem("GET", "/v1/paths/Not_A_Slug/related", NULL, NULL, 404);
    pw_expect_problem("PUT", "/v1/paths/backend-developer/related/Not_A_Slug", NULL, editor, 404);
    pw_expect_problem("PUT", "/v1/paths/backend-developer/related/1", NULL, NULL, 401);
    /* The list is read-only; the pair routes have no GET. */
    pw_expect_problem("POST", "/v1/paths/backend-developer/related", "{}", editor, 405);
    r = pw_http("GET", "/v1/paths/backend-developer/related/frontend-developer", NULL, NULL);
    pw_assert_problem(&r, 405);
    pw_resp_free(&r);
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *a = new_path("Guarded A");
    const char *b = new_path("Guarded B");
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    const char *none[] = { NULL };
    char got[512];

    ck_assert_int_eq(relate("PUT", a, b, none), 401);
    ck_assert_int_eq(relate("PUT", a, b, bad), 401);
    ck_assert_int_eq(relate("PUT", a, b, learner), 403);
    related_of(a, got, sizeof got);
    ck_assert_str_eq(got, "");
    ck_assert_int_eq(relate("PUT", a, b, NULL), 204);
    ck_assert_int_eq(relate("DELETE", a, b, none), 401);
    ck_assert_int_eq(relate("DELETE", a, b, learner), 403);
    related_of(a, got, sizeof got);
    ck_assert_str_eq(got, b);
    const char *admin[] = { pw_auth_header(PW_ROLE_ADMIN), NULL };
    ck_assert_int_eq(relate("DELETE", a, b, admin), 204);
}
END_TEST

START_TEST(paging_by_title)
{
    char hub[96], slugs[7][80], url[1024], base[256];
    json_t *seen = json_object();
    const char *prev = NULL;
    char prev_title[64] = "";
    int pages = 0;

    snprintf(hub, sizeof hub, "%s", new_path("Hub")); /* a copy: pw_unique() reuses buffers */
    /* Seven neighbours, titled out of slug order. */
    for (int i = 0; i < 7; i++) {
        char title[32];

        snprintf(title, sizeof title, "Neighbour %c", 'G' - i);
        snprintf(slugs[i], sizeof slugs[i], "%s", new_path(title));
        ck_assert_int_eq(relate("PUT", i % 2 ? hub : slugs[i], i % 2 ? slugs[i] : hub, NULL), 204);
    }
    snprintf(base, sizeof base, "/v1/paths/%s/related?limit=3&count=true", hub);
    snprintf(url, sizeof url, "%s", base);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *data = json_object_get(r.json, "data");

        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(pw_json_int(&r, "total"), 7);
        for (size_t i = 0; i < json_array_size(data); i++) {
            const json_t *p = json_array_get(data, i);

            ck_assert_ptr_null(json_object_get(seen, pw_str(p, "slug")));
            json_object_set_new(seen, pw_str(p, "slug"), json_true());
            ck_assert(strcmp(prev_title, pw_str(p, "title")) < 0);
            snprintf(prev_title, sizeof prev_title, "%s", pw_str(p, "title"));
        }
        pages++;
        prev = pw_str(r.json, "next_cursor");
        if (prev == NULL) {
            pw_resp_free(&r);
            break;
        }
        snprintf(url, sizeof url, "%s&cursor=%s", base, prev);
        pw_resp_free(&r);
    }
    ck_assert_int_eq(pages, 3);
    ck_assert_uint_eq(json_object_size(seen), 7);
    json_decref(seen);

    pw_expect_problem("GET", "/v1/paths/backend-developer/related?sort=summary", NULL, NULL, 400);
    pw_expect_problem("GET", "/v1/paths/backend-developer/related?q=data", NULL, NULL, 400);
    pw_expect_problem("GET", "/v1/paths/backend-developer/related?cursor=abc", NULL, NULL, 400);
}
END_TEST

START_TEST(deleting_a_path_unrelates_it)
{
    const char *a = new_path("Stays");
    const char *b = new_path("Goes");
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char url[256], got[512];

    ck_assert_int_eq(relate("PUT", a, b, NULL), 204);
    snprintf(url, sizeof url, "/v1/paths/%s", b);
    ck_assert_int_eq(pw_status("DELETE", url, NULL, editor), 204);
    related_of(a, got, sizeof got);
    ck_assert_str_eq(got, "");
}
END_TEST

START_TEST(roadmap_lists_related_paths)
{
    const char *a = new_path("Roadmap hub");
    const char *b = new_path("Zeta neighbour");
    const char *c = new_path("Eta neighbour");
    char url[256], etag[64], again[64];
    struct pw_resp r;
    json_t *rel;

    snprintf(url, sizeof url, "/v1/paths/%s/roadmap", a);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "related")), 0);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);

    ck_assert_int_eq(relate("PUT", a, b, NULL), 204);
    ck_assert_int_eq(relate("PUT", c, a, NULL), 204);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    rel = json_object_get(r.json, "related");
    ck_assert_uint_eq(json_array_size(rel), 2);
    ck_assert_str_eq(pw_str(json_array_get(rel, 0), "slug"), c); /* by title: Eta, Zeta */
    ck_assert_str_eq(pw_str(json_array_get(rel, 0), "title"), "Eta neighbour");
    ck_assert_str_eq(pw_str(json_array_get(rel, 0), "summary"), "S");
    ck_assert_uint_eq(json_object_size(json_array_get(rel, 0)), 3);
    ck_assert_str_eq(pw_str(json_array_get(rel, 1), "slug"), b);
    ck_assert(pw_resp_header(&r, "ETag", again, sizeof again));
    ck_assert_str_ne(again, etag); /* the document changed, so did its ETag */
    pw_resp_free(&r);

    /* And from the other side. */
    snprintf(url, sizeof url, "/v1/paths/%s/roadmap", b);
    r = pw_http("GET", url, NULL, NULL);
    rel = json_object_get(r.json, "related");
    ck_assert_uint_eq(json_array_size(rel), 1);
    ck_assert_str_eq(pw_str(json_array_get(rel, 0), "slug"), a);
    pw_resp_free(&r);
}
END_TEST

START_TEST(sql_metacharacters_are_data)
{
    static const char *const encoded[] = {
        "%27",
        "%27%3B%20DROP%20TABLE%20path_relations%3B%20--",
        "%27%20OR%20%271%27%3D%271",
        "x%27)%20UNION%20SELECT%201%20--",
    };
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };

    for (size_t i = 0; i < sizeof encoded / sizeof encoded[0]; i++) {
        char url[256];

        snprintf(url, sizeof url, "/v1/paths/backend-developer/related/%s", encoded[i]);
        pw_expect_problem("PUT", url, NULL, editor, 404);
        pw_expect_problem("DELETE", url, NULL, editor, 404);
        snprintf(url, sizeof url, "/v1/paths/%s/related", encoded[i]);
        pw_expect_problem("GET", url, NULL, NULL, 404);
        snprintf(url, sizeof url, "/v1/paths/backend-developer/related?sort=%s", encoded[i]);
        pw_expect_problem("GET", url, NULL, NULL, 400);
    }
    /* The relations are intact. */
    struct pw_resp r = pw_http("GET", "/v1/paths/backend-developer/related?count=true", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(pw_json_int(&r, "total"), 6);
    pw_resp_free(&r);
}
END_TEST

static Suite *
related_suite(void)
{
    Suite *s = suite_create("related");
    TCase *tc = tcase_create("related");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_relations);
    tcase_add_test(tc, put_is_idempotent_and_symmetric);
    tcase_add_test(tc, self_links_are_422);
    tcase_add_test(tc, missing_paths_are_404);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, paging_by_title);
    tcase_add_test(tc, deleting_a_path_unrelates_it);
    tcase_add_test(tc, roadmap_lists_related_paths);
    tcase_add_test(tc, sql_metacharacters_are_data);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(related_suite)
