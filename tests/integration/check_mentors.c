/**
 * @file check_mentors.c
 * @brief The mentors directory end to end: CRUD with skill and path links,
 *        defaults, validation, filters, sorts (hourly_rate with unpublished
 *        rates), paging through 25+ mentors, ETags, auth, SQL metacharacters.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long
int_at(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
    return json_integer_value(v);
}

/** The strings of array @a key of @a obj, comma-separated, into @a out. */
static void
joined(const json_t *obj, const char *key, char *out, size_t cap)
{
    json_t *arr = json_object_get(obj, key);
    size_t o = 0;

    ck_assert_msg(json_is_array(arr), "'%s' is not an array", key);
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(arr) && o < cap; i++)
        o += (size_t) snprintf(
            out + o, cap - o, "%s%s", i ? "," : "", json_string_value(json_array_get(arr, i)));
}

/** Create a path of our own; its slug in a static rotating buffer. */
static const char *
new_path(void)
{
    return pw_it_new_path("mentor-path", "Mentored");
}

/** POST a mentor (body stolen) that must be created; its slug. */
static void
create_mentor(json_t *body)
{
    struct pw_resp r = pw_editor_send("POST", "/v1/mentors", body);

    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    pw_resp_free(&r);
}

START_TEST(crud_round_trip_with_links)
{
    const char *slug = pw_unique("mentor");
    const char *path = new_path();
    char url[128], loc[128], etag[64], got[512];
    struct pw_resp r;

    r = pw_editor_send("POST",
                       "/v1/mentors",
                       json_pack("{s:s, s:s, s:s, s:s, s:[s, s], s:[s, s], s:i, s:s, s:s, s:b}",
                                 "slug",
                                 slug,
                                 "name",
                                 "Grace Hopper",
                                 "headline",
                                 "Compilers and COBOL",
                                 "bio",
                                 "Line one.\nLine two.",
                                 "skills",
                                 "rust",
                                 "go",
                                 "paths",
                                 "backend-developer",
                                 path,
                                 "hourly_rate",
                                 120,
                                 "currency",
                                 "EUR",
                                 "url",
                                 "https://example.org/grace",
                                 "available",
                                 0));
    ck_assert_int_eq(r.status, 201);
    snprintf(url, sizeof url, "/v1/mentors/%s", slug);
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    ck_assert_str_eq(loc, url);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert_str_eq(pw_str(r.json, "slug"), slug);
    ck_assert_str_eq(pw_str(r.json, "name"), "Grace Hopper");
    ck_assert_str_eq(pw_str(r.json, "headline"), "Compilers and COBOL");
    ck_assert_str_eq(pw_str(r.json, "bio"), "Line one.\nLine two.");
    joined(r.json, "skills", got, sizeof got);
    ck_assert_str_eq(got, "go,rust"); /* sorted */
    joined(r.json, "paths", got, sizeof got);
    ck_assert_ptr_nonnull(strstr(got, "backend-developer"));
    ck_assert_ptr_nonnull(strstr(got, path));
    ck_assert_int_eq(int_at(r.json, "hourly_rate"), 120);
    ck_assert_str_eq(pw_str(r.json, "currency"), "EUR");
    ck_assert_str_eq(pw_str(r.json, "url"), "https://example.org/grace");
    ck_assert(json_is_false(json_object_get(r.json, "available")));
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    ck_assert_int_gt(int_at(r.json, "id"), 0);
    ck_assert_ptr_nonnull(pw_str(r.json, "created_at"));
    ck_assert_ptr_nonnull(pw_str(r.json, "updated_at"));
    ck_assert_uint_eq(json_object_size(r.json), 14);
    pw_resp_free(&r);

    /* Same slug again: 409 naming slug. */
    r = pw_editor_send(
        "POST", "/v1/mentors", json_pack("{s:s, s:s}", "slug", slug, "name", "Twin"));
    pw_assert_fields(&r, 409, "slug");
    pw_resp_free(&r);

    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert(pw_resp_header(&r, "Cache-Control", got, sizeof got));
    ck_assert_str_eq(got, "public, max-age=60");
    pw_resp_free(&r);

    /* PATCH with If-Match: skills replaced, paths untouched, rate withdrawn. */
    const char *h1[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"1\"", NULL };
    r = pw_send_json(
        "PATCH",
        url,
        json_pack("{s:[s], s:n, s:b}", "skills", "postgresql", "hourly_rate", "available", 1),
        h1);
    ck_assert_int_eq(r.status, 200);
    joined(r.json, "skills", got, sizeof got);
    ck_assert_str_eq(got, "postgresql");
    joined(r.json, "paths", got, sizeof got);
    ck_assert_ptr_nonnull(strstr(got, path));
    ck_assert(json_is_null(json_object_get(r.json, "hourly_rate")));
    ck_assert_str_eq(pw_str(r.json, "currency"), "EUR");
    ck_assert(json_is_true(json_object_get(r.json, "available")));
    ck_assert_str_eq(pw_str(r.json, "name"), "Grace Hopper");
    ck_assert_int_eq(int_at(r.json, "version"), 2);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"2\"");
    pw_resp_free(&r);

    r = pw_send_json("PATCH", url, json_pack("{s:s}", "name", "lost update"), h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);
    const char *h2[] = { "If-None-Match: W/\"2\"", NULL };
    r = pw_http("GET", url, NULL, h2);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.len, 0);
    pw_resp_free(&r);

    /* Empty arrays clear the links. */
    r = pw_editor_send("PATCH", url, json_pack("{s:[], s:[]}", "skills", "paths"));
    ck_assert_int_eq(r.status, 200);
    joined(r.json, "skills", got, sizeof got);
    ck_assert_str_eq(got, "");
    joined(r.json, "paths", got, sizeof got);
    ck_assert_str_eq(got, "");
    pw_resp_free(&r);

    /* Renaming the slug moves the resource. */
    const char *renamed = pw_unique("mentor-renamed");
    char new_url[128];
    r = pw_editor_send("PATCH", url, json_pack("{s:s}", "slug", renamed));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "slug"), renamed);
    pw_resp_free(&r);
    pw_expect_problem("GET", url, NULL, NULL, 404);
    snprintf(new_url, sizeof new_url, "/v1/mentors/%s", renamed);

    const char *stale[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"1\"", NULL };
    pw_expect_problem("DELETE", new_url, NULL, stale, 412);
    const char *h4[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    ck_assert_int_eq(pw_status("DELETE", new_url, NULL, h4), 204);
    pw_expect_problem("GET", new_url, NULL, NULL, 404);
    pw_expect_problem("DELETE", new_url, NULL, h4, 404);
    r = pw_editor_send("PATCH", new_url, json_pack("{s:s}", "name", "ghost"));
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
}
END_TEST

START_TEST(optional_fields_default)
{
    const char *slug = pw_unique("mentor-min");
    struct pw_resp r =
        pw_editor_send("POST", "/v1/mentors", json_pack("{s:s, s:s}", "slug", slug, "name", "Min"));

    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(pw_str(r.json, "headline"), "");
    ck_assert_str_eq(pw_str(r.json, "bio"), "");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "skills")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "paths")), 0);
    ck_assert(json_is_null(json_object_get(r.json, "hourly_rate")));
    ck_assert_str_eq(pw_str(r.json, "currency"), "USD");
    ck_assert(json_is_null(json_object_get(r.json, "url")));
    ck_assert(json_is_true(json_object_get(r.json, "available")));
    pw_resp_free(&r);
}
END_TEST

START_TEST(validation_lists_every_field)
{
    char long_headline[260], url[128];
    const char *slug = pw_unique("mentor-val");
    struct pw_resp r;

    r = pw_editor_send("POST", "/v1/mentors", json_object());
    pw_assert_fields(&r, 422, "slug,name");
    pw_resp_free(&r);

    memset(long_headline, 'h', 201);
    long_headline[201] = '\0';
    r = pw_editor_send("POST",
                       "/v1/mentors",
                       json_pack("{s:s, s:s, s:s, s:s, s:[s], s:[i], s:i, s:s, s:s, s:s, s:i}",
                                 "slug",
                                 "Not A Slug",
                                 "name",
                                 "",
                                 "headline",
                                 long_headline,
                                 "bio",
                                 "bell\a",
                                 "skills",
                                 "Not_Slug",
                                 "paths",
                                 7,
                                 "hourly_rate",
                                 100001,
                                 "currency",
                                 "dollars",
                                 "url",
                                 "ftp://example.org",
                                 "available",
                                 "yes",
                                 "extra",
                                 1));
    pw_assert_fields(&r,
                     422,
                     "slug,name,headline,bio,skills[0],paths[0],hourly_rate,currency,url,available,"
                     "extra");
    ck_assert_str_eq(pw_str(r.json, "type"), "/problems/validation");
    pw_resp_free(&r);

    /* Duplicates in an array, negative rate. */
    r = pw_editor_send("POST",
                       "/v1/mentors",
                       json_pack("{s:s, s:s, s:[s, s], s:i}",
                                 "slug",
                                 slug,
                                 "name",
                                 "Dup",
                                 "skills",
                                 "go",
                                 "go",
                                 "hourly_rate",
                                 -1));
    pw_assert_fields(&r, 422, "skills,hourly_rate");
    pw_resp_free(&r);

    /* Unknown link targets: 422 naming the field, nothing created. */
    r = pw_editor_send("POST",
                       "/v1/mentors",
                       json_pack("{s:s, s:s, s:[s, s]}",
                                 "slug",
                                 slug,
                                 "name",
                                 "Ghost skills",
                                 "skills",
                                 "go",
                                 "no-such-skill"));
    pw_assert_fields(&r, 422, "skills");
    ck_assert_ptr_nonnull(strstr(pw_str(r.json, "detail"), "no-such-skill"));
    pw_resp_free(&r);
    r = pw_editor_send(
        "POST",
        "/v1/mentors",
        json_pack(
            "{s:s, s:s, s:[s]}", "slug", slug, "name", "Ghost paths", "paths", "no-such-path"));
    pw_assert_fields(&r, 422, "paths");
    pw_resp_free(&r);
    snprintf(url, sizeof url, "/v1/mentors/%s", slug);
    pw_expect_problem("GET", url, NULL, NULL, 404);

    /* PATCH: required fields cannot be nulled, currency and available neither. */
    create_mentor(json_pack("{s:s, s:s, s:[s]}", "slug", slug, "name", "Valid", "skills", "go"));
    r = pw_editor_send(
        "PATCH", url, json_pack("{s:n, s:n, s:n, s:n}", "slug", "name", "currency", "available"));
    pw_assert_fields(&r, 422, "slug,name,currency,available");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_object());
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
    /* An unknown skill in a PATCH leaves the old links. */
    r = pw_editor_send("PATCH", url, json_pack("{s:[s]}", "skills", "no-such-skill"));
    pw_assert_fields(&r, 422, "skills");
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    char got[128];
    joined(r.json, "skills", got, sizeof got);
    ck_assert_str_eq(got, "go");
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    pw_resp_free(&r);
}
END_TEST

/** The slugs of a list answer, comma-separated, into @a out. */
static void
list_slugs(const char *url, char *out, size_t cap)
{
    struct pw_resp r = pw_http("GET", url, NULL, NULL);
    json_t *data = json_object_get(r.json, "data");
    size_t o = 0;

    ck_assert_msg(r.status == 200, "%s: %ld %s", url, r.status, r.body);
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(data) && o < cap; i++)
        o += (size_t) snprintf(
            out + o, cap - o, "%s%s", i ? "," : "", pw_str(json_array_get(data, i), "slug"));
    pw_resp_free(&r);
}

START_TEST(filters_work_and_combine)
{
    const char *path = new_path();
    char a[80], b[80], c[80], url[256], got[512], want[512];

    /* Three mentors of our own path, named in slug order. */
    snprintf(a, sizeof a, "%s", pw_unique("mf-a"));
    snprintf(b, sizeof b, "%s", pw_unique("mf-b"));
    snprintf(c, sizeof c, "%s", pw_unique("mf-c"));
    create_mentor(json_pack("{s:s, s:s, s:[s, s], s:[s]}",
                            "slug",
                            a,
                            "name",
                            "A",
                            "skills",
                            "go",
                            "rust",
                            "paths",
                            path));
    create_mentor(json_pack("{s:s, s:s, s:[s], s:[s], s:b}",
                            "slug",
                            b,
                            "name",
                            "B",
                            "skills",
                            "go",
                            "paths",
                            path,
                            "available",
                            0));
    create_mentor(json_pack(
        "{s:s, s:s, s:[s], s:[s]}", "slug", c, "name", "C", "skills", "python", "paths", path));

    snprintf(url, sizeof url, "/v1/mentors?path=%s", path);
    list_slugs(url, got, sizeof got);
    snprintf(want, sizeof want, "%s,%s,%s", a, b, c);
    ck_assert_str_eq(got, want);
    snprintf(url, sizeof url, "/v1/mentors?path=%s&skill=go", path);
    list_slugs(url, got, sizeof got);
    snprintf(want, sizeof want, "%s,%s", a, b);
    ck_assert_str_eq(got, want);
    snprintf(url, sizeof url, "/v1/mentors?path=%s&skill=go&available=true", path);
    list_slugs(url, got, sizeof got);
    ck_assert_str_eq(got, a);
    snprintf(url, sizeof url, "/v1/mentors?path=%s&available=false", path);
    list_slugs(url, got, sizeof got);
    ck_assert_str_eq(got, b);
    snprintf(url, sizeof url, "/v1/mentors?path=%s&skill=rust&available=false", path);
    list_slugs(url, got, sizeof got);
    ck_assert_str_eq(got, "");
    snprintf(url, sizeof url, "/v1/mentors?path=%s&skill=no-such-skill", path);
    list_slugs(url, got, sizeof got);
    ck_assert_str_eq(got, "");
    list_slugs("/v1/mentors?path=no-such-path", got, sizeof got);
    ck_assert_str_eq(got, "");

    /* Every listed mentor really has the skill. */
    struct pw_resp r = pw_http("GET", "/v1/mentors?skill=go&limit=100", NULL, NULL);
    json_t *data = json_object_get(r.json, "data");
    ck_assert_uint_ge(json_array_size(data), 2);
    for (size_t i = 0; i < json_array_size(data); i++) {
        joined(json_array_get(data, i), "skills", got, sizeof got);
        ck_assert_msg(strstr(got, "go") != NULL, "%s", got);
    }
    pw_resp_free(&r);

    /* Deleting the path or a skill removes the link, not the mentor. */
    snprintf(url, sizeof url, "/v1/paths/%s", path);
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    ck_assert_int_eq(pw_status("DELETE", url, NULL, editor), 204);
    snprintf(url, sizeof url, "/v1/mentors/%s", c);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "paths")), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(bad_list_queries_are_400)
{
    static const char *const bad[] = {
        "/v1/mentors?limit=0",         "/v1/mentors?limit=101",
        "/v1/mentors?sort=bio",        "/v1/mentors?sort=-available",
        "/v1/mentors?cursor=xyz",      "/v1/mentors?available=maybe",
        "/v1/mentors?available=",      "/v1/mentors?skill=Not_A_Slug",
        "/v1/mentors?path=a--b",       "/v1/mentors?q=grace",
        "/v1/mentors?count=perhaps",   "/v1/mentors?skill=go&skill=rust",
        "/v1/mentors?hourly_rate=100",
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        pw_expect_problem("GET", bad[i], NULL, NULL, 400);
}
END_TEST

/**
 * Walk @a base page by page; assert no slug repeats, and return how many
 * items and pages there were. Sort values of consecutive items are checked
 * by @a check (may be NULL).
 */
static void
walk(const char *base,
     void (*check)(const json_t *prev, const json_t *cur),
     size_t *items,
     int *pages,
     json_t *order)
{
    char url[1200];
    json_t *seen = json_object(), *prev = NULL;

    *items = 0;
    *pages = 0;
    snprintf(url, sizeof url, "%s", base);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *data = json_object_get(r.json, "data");
        const char *next = pw_str(r.json, "next_cursor");
        char link[1400];

        ck_assert_int_eq(r.status, 200);
        for (size_t i = 0; i < json_array_size(data); i++) {
            json_t *m = json_array_get(data, i);

            ck_assert_ptr_null(json_object_get(seen, pw_str(m, "slug")));
            json_object_set_new(seen, pw_str(m, "slug"), json_true());
            if (prev != NULL && check != NULL)
                check(prev, m);
            json_decref(prev);
            prev = json_incref(m);
            if (order != NULL)
                json_array_append(order, json_object_get(m, "slug"));
            (*items)++;
        }
        (*pages)++;
        if (next == NULL) {
            ck_assert(!pw_resp_header(&r, "Link", link, sizeof link));
            pw_resp_free(&r);
            break;
        }
        ck_assert(pw_resp_header(&r, "Link", link, sizeof link));
        ck_assert_ptr_nonnull(strstr(link, "rel=\"next\""));
        snprintf(url, sizeof url, "%s&cursor=%s", base, next);
        pw_resp_free(&r);
        ck_assert_int_lt(*pages, 100);
    }
    json_decref(prev);
    json_decref(seen);
}

static void
name_desc(const json_t *prev, const json_t *cur)
{
    ck_assert(strcmp(pw_str(prev, "name"), pw_str(cur, "name")) > 0);
}

/* A missing rate sorts above every rate (as 100001): last when ascending. */
static long long
rate_key(const json_t *m)
{
    const json_t *v = json_object_get(m, "hourly_rate");

    return json_is_null(v) ? 100001 : json_integer_value(v);
}

static void
rate_asc(const json_t *prev, const json_t *cur)
{
    ck_assert(rate_key(prev) < rate_key(cur) ||
              (rate_key(prev) == rate_key(cur) && int_at(prev, "id") < int_at(cur, "id")));
}

static void
rate_desc(const json_t *prev, const json_t *cur)
{
    ck_assert(rate_key(prev) > rate_key(cur) ||
              (rate_key(prev) == rate_key(cur) && int_at(prev, "id") > int_at(cur, "id")));
}

START_TEST(paging_has_no_gaps_or_duplicates)
{
    char path[96]; /* a copy: pw_unique() reuses its buffers */
    char base[512];
    size_t items;
    int pages;
    json_t *asc = json_array(), *desc = json_array();

    snprintf(path, sizeof path, "%s", new_path());
    /* 27 mentors; every third has no published rate, and rates repeat (ties). */
    for (int i = 0; i < 27; i++) {
        char slug[96], name[96];
        json_t *body;

        snprintf(slug, sizeof slug, "%s-%02d", pw_unique("mp"), i);
        snprintf(name, sizeof name, "Pager %02d", i);
        body = json_pack("{s:s, s:s, s:[s]}", "slug", slug, "name", name, "paths", path);
        if (i % 3 != 0)
            json_object_set_new(body, "hourly_rate", json_integer(100000 - (i % 5) * 1000));
        create_mentor(body);
    }

    snprintf(base, sizeof base, "/v1/mentors?path=%s&limit=10&sort=-name", path);
    walk(base, name_desc, &items, &pages, NULL);
    ck_assert_uint_eq(items, 27);
    ck_assert_int_eq(pages, 3);

    snprintf(base, sizeof base, "/v1/mentors?path=%s&limit=4&sort=hourly_rate", path);
    walk(base, rate_asc, &items, &pages, asc);
    ck_assert_uint_eq(items, 27);
    ck_assert_int_eq(pages, 7);
    snprintf(base, sizeof base, "/v1/mentors?path=%s&limit=7&sort=-hourly_rate", path);
    walk(base, rate_desc, &items, &pages, desc);
    ck_assert_uint_eq(items, 27);
    /* Descending is exactly ascending reversed (ties by id both ways). */
    for (size_t i = 0; i < 27; i++)
        ck_assert_str_eq(json_string_value(json_array_get(asc, i)),
                         json_string_value(json_array_get(desc, 26 - i)));
    json_decref(asc);
    json_decref(desc);

    snprintf(base, sizeof base, "/v1/mentors?path=%s&limit=5&sort=created_at&count=true", path);
    walk(base, NULL, &items, &pages, NULL);
    ck_assert_uint_eq(items, 27);
    ck_assert_int_eq(pages, 6);

    struct pw_resp r = pw_http("GET", base, NULL, NULL);
    char etag[64], inm[96];
    ck_assert_int_eq(pw_json_int(&r, "total"), 27);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    ck_assert_int_eq(pw_status("GET", base, NULL, h), 304);
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    const char *slug = pw_unique("mentor-auth");
    char url[128], www[64];
    struct pw_resp r;

    create_mentor(json_pack("{s:s, s:s}", "slug", slug, "name", "Guarded"));
    snprintf(url, sizeof url, "/v1/mentors/%s", slug);
    r = pw_http("POST", "/v1/mentors", "{}", NULL);
    pw_assert_problem(&r, 401);
    ck_assert(pw_resp_header(&r, "WWW-Authenticate", www, sizeof www));
    pw_resp_free(&r);
    pw_expect_problem("POST", "/v1/mentors", "{}", bad, 401);
    pw_expect_problem("POST", "/v1/mentors", "{}", learner, 403);
    pw_expect_problem("PATCH", url, "{\"name\":\"x\"}", NULL, 401);
    pw_expect_problem("PATCH", url, "{\"name\":\"x\"}", learner, 403);
    pw_expect_problem("DELETE", url, NULL, NULL, 401);
    pw_expect_problem("DELETE", url, NULL, learner, 403);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "name"), "Guarded");
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    pw_resp_free(&r);
    pw_expect_problem("GET", "/v1/mentors/Not_A_Slug", NULL, NULL, 404);
    pw_expect_problem("GET", "/v1/mentors/no-such-mentor", NULL, NULL, 404);
}
END_TEST

START_TEST(sql_metacharacters_are_data)
{
    const char *slug = pw_unique("mentor-meta");
    const char *name = "O'Brien'); DROP TABLE mentors; --";
    const char *bio = "' OR '1'='1\n$1::text /* */ \\";
    char url[128];
    struct pw_resp r;

    create_mentor(json_pack(
        "{s:s, s:s, s:s, s:s}", "slug", slug, "name", name, "headline", "%_\\", "bio", bio));
    snprintf(url, sizeof url, "/v1/mentors/%s", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "name"), name);
    ck_assert_str_eq(pw_str(r.json, "headline"), "%_\\");
    ck_assert_str_eq(pw_str(r.json, "bio"), bio);
    pw_resp_free(&r);

    /* In filters: not a slug or a boolean, so a 400, never a 500 nor a match. */
    pw_expect_problem("GET", "/v1/mentors?skill=go%27%20OR%20%271%27%3D%271", NULL, NULL, 400);
    pw_expect_problem(
        "GET", "/v1/mentors?path=%27%3B%20DROP%20TABLE%20mentors%3B%20--", NULL, NULL, 400);
    pw_expect_problem("GET", "/v1/mentors?available=true%27%20OR%201%3D1", NULL, NULL, 400);
    pw_expect_problem("GET", "/v1/mentors?sort=name%3B%20DROP%20TABLE%20mentors", NULL, NULL, 400);
    pw_expect_problem("GET", "/v1/mentors/x'%20OR%20'1'='1", NULL, NULL, 404);
    /* In a link array: refused as not a slug. */
    r = pw_editor_send(
        "POST",
        "/v1/mentors",
        json_pack(
            "{s:s, s:s, s:[s]}", "slug", pw_unique("mentor-meta"), "name", "x", "skills", "go'--"));
    pw_assert_fields(&r, 422, "skills[0]");
    pw_resp_free(&r);
    /* The table is still there. */
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
}
END_TEST

static Suite *
mentors_suite(void)
{
    Suite *s = suite_create("mentors");
    TCase *tc = tcase_create("mentors");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, crud_round_trip_with_links);
    tcase_add_test(tc, optional_fields_default);
    tcase_add_test(tc, validation_lists_every_field);
    tcase_add_test(tc, filters_work_and_combine);
    tcase_add_test(tc, bad_list_queries_are_400);
    tcase_add_test(tc, paging_has_no_gaps_or_duplicates);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, sql_metacharacters_are_data);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(mentors_suite)
