/**
 * @file check_paths.c
 * @brief The paths resource end to end: seeded data, CRUD, validation, auth, paging, ETags.
 */
#include "harness.h"
#include "check_main.h"

#include <stdio.h>
#include <stdlib.h>
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

/** A string of @a n copies of @a c (4 static rotating buffers, n <= 20001). */
static const char *
repeat(char c, size_t n)
{
    static char bufs[4][20002];
    static unsigned k;
    char *b = bufs[k++ % 4];

    ck_assert_uint_lt(n, sizeof bufs[0]);
    memset(b, c, n);
    b[n] = '\0';
    return b;
}

START_TEST(seeded_path_is_served)
{
    struct pw_resp r = pw_http("GET", "/v1/paths/backend-developer", NULL, NULL);
    json_t *resp, *work;
    char etag[64], cc[64];

    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "slug"), "backend-developer");
    ck_assert_str_eq(pw_str(r.json, "title"), "Backend Developer");
    ck_assert_ptr_nonnull(strstr(pw_str(r.json, "summary"), "server-side logic"));
    ck_assert_ptr_nonnull(strstr(pw_str(r.json, "overview"), "nine months and two years"));
    resp = json_object_get(r.json, "responsibilities");
    ck_assert_uint_eq(json_array_size(resp), 5);
    ck_assert_str_eq(json_string_value(json_array_get(resp, 0)),
                     "Design and develop REST and GraphQL APIs");
    ck_assert_str_eq(json_string_value(json_array_get(resp, 2)),
                     "Integrate with databases (SQL and NoSQL)");
    ck_assert_str_eq(json_string_value(json_array_get(resp, 4)), "Optimize server performance");
    work = json_object_get(r.json, "work_environment");
    ck_assert_uint_eq(json_array_size(work), 5);
    ck_assert_str_eq(json_string_value(json_array_get(work, 1)), "Remote-friendly positions");
    ck_assert(json_integer_value(json_object_get(r.json, "id")) > 0);
    ck_assert_ptr_nonnull(pw_str(r.json, "created_at"));
    ck_assert_ptr_nonnull(pw_str(r.json, "updated_at"));
    ck_assert(json_integer_value(json_object_get(r.json, "version")) >= 1);
    ck_assert_uint_eq(json_object_size(r.json), 10);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "public, max-age=60");
    pw_resp_free(&r);

    /* The related paths of the sample data are there too. */
    r = pw_http("GET", "/v1/paths/data-scientist", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Data Scientist");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "responsibilities")), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(crud_round_trip)
{
    const char *slug = pw_unique("path");
    char path[128], loc[128], etag[64];
    struct pw_resp r = pw_editor_send("POST",
                                      "/v1/paths",
                                      json_pack("{s:s, s:s, s:s, s:s, s:[s,s], s:[s]}",
                                                "slug",
                                                slug,
                                                "title",
                                                "Platform Engineer",
                                                "summary",
                                                "Builds internal platforms.",
                                                "overview",
                                                "First line.\nSecond line.\n\tIndented.",
                                                "responsibilities",
                                                "Run the platform",
                                                "Write golden paths",
                                                "work_environment",
                                                "On call"));

    ck_assert_int_eq(r.status, 201);
    snprintf(path, sizeof path, "/v1/paths/%s", slug);
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    ck_assert_str_eq(loc, path);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert_str_eq(pw_str(r.json, "slug"), slug);
    ck_assert_str_eq(pw_str(r.json, "overview"), "First line.\nSecond line.\n\tIndented.");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "responsibilities")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    pw_resp_free(&r);

    /* What POST answered is what GET serves. */
    r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(
        json_string_value(json_array_get(json_object_get(r.json, "responsibilities"), 1)),
        "Write golden paths");
    ck_assert_str_eq(
        json_string_value(json_array_get(json_object_get(r.json, "work_environment"), 0)),
        "On call");
    pw_resp_free(&r);

    /* Same slug again: 409 naming slug. */
    r = pw_editor_send(
        "POST", "/v1/paths", json_pack("{s:s, s:s}", "slug", slug, "title", "Again"));
    pw_assert_problem(&r, 409);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"), "slug");
    pw_resp_free(&r);

    /* PATCH with the current ETag: only the fields sent change; arrays are replaced. */
    const char *h1[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"1\"", NULL };
    r = pw_send_json(
        "PATCH",
        path,
        json_pack(
            "{s:s, s:[s]}", "title", "Platform Engineer II", "responsibilities", "Keep it running"),
        h1);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Platform Engineer II");
    ck_assert_str_eq(pw_str(r.json, "summary"), "Builds internal platforms.");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "responsibilities")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "work_environment")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"2\"");
    pw_resp_free(&r);

    /* An empty array clears the list. */
    r = pw_editor_send("PATCH", path, json_pack("{s:[]}", "work_environment"));
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "work_environment")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 3);
    pw_resp_free(&r);

    /* The stale ETag: 412, nothing written. */
    r = pw_send_json("PATCH", path, json_pack("{s:s}", "title", "lost update"), h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);

    /* If-None-Match with the current ETag: 304 and no body; an old one: 200. */
    const char *h3[] = { "If-None-Match: W/\"3\"", NULL };
    r = pw_http("GET", path, NULL, h3);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.len, 0);
    pw_resp_free(&r);
    const char *h3old[] = { "If-None-Match: W/\"2\"", NULL };
    r = pw_http("GET", path, NULL, h3old);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Platform Engineer II");
    pw_resp_free(&r);

    r = pw_http("DELETE", path, NULL, h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);
    const char *h4[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"3\"", NULL };
    r = pw_http("DELETE", path, NULL, h4);
    ck_assert_int_eq(r.status, 204);
    ck_assert_uint_eq(r.len, 0);
    pw_resp_free(&r);
    r = pw_http("GET", path, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", path, json_pack("{s:s}", "title", "ghost"));
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("DELETE", path, NULL, h4);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
}
END_TEST

START_TEST(optional_fields_default)
{
    const char *slug = pw_unique("path-min");
    struct pw_resp r =
        pw_editor_send("POST", "/v1/paths", json_pack("{s:s, s:s}", "slug", slug, "title", "T"));

    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(pw_str(r.json, "title"), "T");
    ck_assert_str_eq(pw_str(r.json, "summary"), "");
    ck_assert_str_eq(pw_str(r.json, "overview"), "");
    ck_assert(json_is_array(json_object_get(r.json, "responsibilities")));
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "responsibilities")), 0);
    ck_assert(json_is_array(json_object_get(r.json, "work_environment")));
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "work_environment")), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(array_items_are_data)
{
    static const char *const items[] = { "NULL", "{x}", "a,b", "q\"uote", "back\\slash", "ü €" };
    const char *slug = pw_unique("path-items");
    char url[128];
    json_t *arr = json_array();
    struct pw_resp r;

    for (size_t i = 0; i < 6; i++)
        json_array_append_new(arr, json_string(items[i]));
    r = pw_editor_send(
        "POST",
        "/v1/paths",
        json_pack("{s:s, s:s, s:o}", "slug", slug, "title", "Items", "work_environment", arr));
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
    snprintf(url, sizeof url, "/v1/paths/%s", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    arr = json_object_get(r.json, "work_environment");
    ck_assert_uint_eq(json_array_size(arr), 6);
    for (size_t i = 0; i < 6; i++)
        ck_assert_str_eq(json_string_value(json_array_get(arr, i)), items[i]);
    pw_resp_free(&r);
}
END_TEST

START_TEST(slug_can_be_renamed)
{
    const char *slug = pw_unique("path-old");
    const char *renamed = pw_unique("path-new");
    char old_path[128], new_path[128];
    struct pw_resp r =
        pw_editor_send("POST", "/v1/paths", json_pack("{s:s, s:s}", "slug", slug, "title", "Old"));

    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
    snprintf(old_path, sizeof old_path, "/v1/paths/%s", slug);
    snprintf(new_path, sizeof new_path, "/v1/paths/%s", renamed);
    r = pw_editor_send("PATCH", old_path, json_pack("{s:s}", "slug", renamed));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "slug"), renamed);
    pw_resp_free(&r);
    r = pw_http("GET", old_path, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("GET", new_path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Old");
    pw_resp_free(&r);

    /* Renaming onto a taken slug: 409 naming slug. */
    r = pw_editor_send("PATCH", new_path, json_pack("{s:s}", "slug", "backend-developer"));
    pw_assert_problem(&r, 409);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"), "slug");
    pw_resp_free(&r);
}
END_TEST

START_TEST(validation_lists_every_field)
{
    char fields[512];
    struct pw_resp r = pw_editor_send("POST",
                                      "/v1/paths",
                                      json_pack("{s:s, s:s, s:s, s:i, s:[s,s,i,s], s:s, s:i}",
                                                "slug",
                                                "Not A Slug",
                                                "title",
                                                "",
                                                "summary",
                                                repeat('s', 1001),
                                                "overview",
                                                5,
                                                "responsibilities",
                                                "fine",
                                                "",
                                                7,
                                                repeat('r', 501),
                                                "work_environment",
                                                "not an array",
                                                "extra",
                                                1));

    pw_assert_problem(&r, 422);
    ck_assert_str_eq(pw_str(r.json, "type"), "/problems/validation");
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields,
                     "slug,title,summary,overview,responsibilities[1],responsibilities[2],"
                     "responsibilities[3],work_environment,extra");
    pw_resp_free(&r);

    /* Required fields missing; a slug one character too long; control characters. */
    r = pw_editor_send("POST", "/v1/paths", json_pack("{s:s}", "summary", "a\nb"));
    pw_assert_problem(&r, 422);
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields, "slug,title,summary");
    pw_resp_free(&r);
    r = pw_editor_send("POST",
                       "/v1/paths",
                       json_pack("{s:s, s:s, s:s}",
                                 "slug",
                                 repeat('a', 65),
                                 "title",
                                 repeat('t', 201),
                                 "overview",
                                 repeat('o', 20001)));
    pw_assert_problem(&r, 422);
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields, "slug,title,overview");
    pw_resp_free(&r);

    /* Limits are inclusive: 64-char slug, 200-char title, 20000-char overview pass. */
    char slug[80];
    snprintf(slug, sizeof slug, "%s", pw_unique("p"));
    size_t n = strlen(slug);
    memset(slug + n, 'x', 64 - n);
    slug[64] = '\0';
    r = pw_editor_send("POST",
                       "/v1/paths",
                       json_pack("{s:s, s:s, s:s, s:s}",
                                 "slug",
                                 slug,
                                 "title",
                                 repeat('t', 200),
                                 "overview",
                                 repeat('o', 20000),
                                 "summary",
                                 repeat('s', 1000)));
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);

    /* 51 items: one error for the array, not one per item. */
    json_t *many = json_array();
    for (int i = 0; i < 51; i++)
        json_array_append_new(many, json_string("item"));
    r = pw_editor_send("POST",
                       "/v1/paths",
                       json_pack("{s:s, s:s, s:o}",
                                 "slug",
                                 pw_unique("path-many"),
                                 "title",
                                 "Many",
                                 "work_environment",
                                 many));
    pw_assert_problem(&r, 422);
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields, "work_environment");
    pw_resp_free(&r);

    /* PATCH: nulls, wrong types, an empty body. */
    r = pw_editor_send("PATCH",
                       "/v1/paths/backend-developer",
                       json_pack("{s:n, s:b, s:n}", "title", "summary", 1, "responsibilities"));
    pw_assert_problem(&r, 422);
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields, "title,summary,responsibilities");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", "/v1/paths/backend-developer", json_object());
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/paths/backend-developer", NULL, NULL);
    ck_assert_str_eq(pw_str(r.json, "title"), "Backend Developer");
    pw_resp_free(&r);
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    const char *body = "{\"title\":\"x\"}";
    struct pw_resp r = pw_http("POST", "/v1/paths", "{}", NULL);
    char www[64];

    pw_assert_problem(&r, 401);
    ck_assert(pw_resp_header(&r, "WWW-Authenticate", www, sizeof www));
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/paths", "{}", bad);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("PATCH", "/v1/paths/backend-developer", body, NULL);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/paths", "{}", learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("PATCH", "/v1/paths/backend-developer", body, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("DELETE", "/v1/paths/backend-developer", NULL, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/paths/backend-developer", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Backend Developer");
    pw_resp_free(&r);
}
END_TEST

/** Walk every page of @a first_url; check order by @a key (descending when @a desc). */
static void
walk_pages(const char *base, int desc, const char *key, int want, int want_pages)
{
    char url[1200];
    json_t *seen = json_object();
    int pages = 0;

    snprintf(url, sizeof url, "%s", base);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *data = json_object_get(r.json, "data");
        const char *next = pw_str(r.json, "next_cursor");
        char link[1400];

        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), want);
        for (size_t i = 0; i < json_array_size(data); i++) {
            const char *slug = pw_str(json_array_get(data, i), "slug");

            ck_assert_ptr_null(json_object_get(seen, slug));
            json_object_set_new(seen, slug, json_true());
            if (i > 0) {
                const char *prev = pw_str(json_array_get(data, i - 1), key);
                const char *cur = pw_str(json_array_get(data, i), key);

                ck_assert(desc ? strcmp(prev, cur) > 0 : strcmp(prev, cur) < 0);
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
        ck_assert_ptr_nonnull(strstr(link, "</v1/paths?"));
        snprintf(url, sizeof url, "%s&cursor=%s", base, next);
        pw_resp_free(&r);
    }
    ck_assert_int_eq(pages, want_pages);
    ck_assert_uint_eq(json_object_size(seen), (size_t) want);
    json_decref(seen);
}

START_TEST(paging_has_no_gaps_or_duplicates)
{
    const char *prefix = pw_unique("page");
    char url[256];

    for (int i = 0; i < 27; i++) {
        char slug[96], title[96];

        /* Titles sort in the reverse order of slugs, so the two sorts differ. */
        snprintf(slug, sizeof slug, "%s-%02d", prefix, i);
        snprintf(title, sizeof title, "%s %02d", prefix, 26 - i);
        struct pw_resp c = pw_editor_send(
            "POST", "/v1/paths", json_pack("{s:s, s:s}", "slug", slug, "title", title));
        ck_assert_int_eq(c.status, 201);
        pw_resp_free(&c);
    }
    snprintf(url, sizeof url, "/v1/paths?limit=10&count=true&q=%s", prefix);
    walk_pages(url, 0, "title", 27, 3);
    snprintf(url, sizeof url, "/v1/paths?limit=10&sort=-title&count=true&q=%s", prefix);
    walk_pages(url, 1, "title", 27, 3);
    snprintf(url, sizeof url, "/v1/paths?limit=7&sort=slug&count=true&q=%s", prefix);
    walk_pages(url, 0, "slug", 27, 4);

    /* Default sort is title: the first row has the smallest title, i.e. the last slug. */
    snprintf(url, sizeof url, "/v1/paths?limit=1&q=%s", prefix);
    struct pw_resp r = pw_http("GET", url, NULL, NULL);
    char want[96];
    snprintf(want, sizeof want, "%s-26", prefix);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "slug"), want);
    ck_assert_ptr_nonnull(pw_str(r.json, "next_cursor"));
    ck_assert_ptr_null(json_object_get(r.json, "total"));
    pw_resp_free(&r);
}
END_TEST

/** True when the list reply @a doc has a row with @a slug. */
static int
contains_slug(const json_t *doc, const char *slug)
{
    json_t *data = json_object_get(doc, "data");

    for (size_t i = 0; i < json_array_size(data); i++)
        if (strcmp(pw_str(json_array_get(data, i), "slug"), slug) == 0)
            return 1;
    return 0;
}

START_TEST(q_filter)
{
    const char *slug = pw_unique("qfilter");
    char url[256];
    struct pw_resp r;

    r = pw_editor_send("POST",
                       "/v1/paths",
                       json_pack("{s:s, s:s, s:s}",
                                 "slug",
                                 slug,
                                 "title",
                                 "Plain title",
                                 "summary",
                                 "Wrangles ZEBRAS-OF-OZ professionally."));
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);

    /* By slug, case-insensitively by summary, and nothing for a non-match. */
    snprintf(url, sizeof url, "/v1/paths?q=%s", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 1);
    ck_assert(contains_slug(r.json, slug));
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/paths?q=zebras-of-oz&limit=100", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(contains_slug(r.json, slug));
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/paths?q=BACKEND%20developer", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_array_size(json_object_get(r.json, "data")) >= 1);
    pw_resp_free(&r);
    snprintf(url, sizeof url, "/v1/paths?q=%s-nomatch", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    pw_resp_free(&r);

    /* LIKE metacharacters are plain text: as patterns, both would match our row. */
    snprintf(url, sizeof url, "/v1/paths?q=%%25%s", slug + 1);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(!contains_slug(r.json, slug));
    pw_resp_free(&r);
    snprintf(url, sizeof url, "/v1/paths?q=_%s", slug + 1);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(!contains_slug(r.json, slug));
    pw_resp_free(&r);

    /* 100 characters are fine, 101 are not. */
    snprintf(url, sizeof url, "/v1/paths?q=%s", repeat('q', 100));
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    snprintf(url, sizeof url, "/v1/paths?q=%s", repeat('q', 101));
    r = pw_http("GET", url, NULL, NULL);
    pw_assert_problem(&r, 400);
    pw_resp_free(&r);
}
END_TEST

START_TEST(list_query_errors)
{
    static const char *const bad[] = {
        "/v1/paths?limit=0",         "/v1/paths?limit=101",
        "/v1/paths?sort=name",       "/v1/paths?sort=-goal",
        "/v1/paths?cursor=xyz",      "/v1/paths?count=maybe",
        "/v1/paths?category=x",      "/v1/paths?q=%C3%28",
        "/v1/paths?limit=1&limit=2", "/v1/paths/backend-developer?x=1",
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct pw_resp r = pw_http("GET", bad[i], NULL, NULL);

        pw_assert_problem(&r, 400);
        pw_resp_free(&r);
    }
}
END_TEST

START_TEST(list_etag_and_unknown_routes)
{
    struct pw_resp r = pw_http("GET", "/v1/paths?q=backend-developer", NULL, NULL);
    char etag[64], inm[96], allow[64];

    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "slug"),
                     "backend-developer");
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    r = pw_http("GET", "/v1/paths?q=backend-developer", NULL, h);
    ck_assert_int_eq(r.status, 304);
    pw_resp_free(&r);

    r = pw_http("GET", "/v1/paths/Not_A_Slug", NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/paths/no-such-path", NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("PUT", "/v1/paths/backend-developer", "{}", NULL);
    pw_assert_problem(&r, 405);
    ck_assert(pw_resp_header(&r, "Allow", allow, sizeof allow));
    ck_assert_ptr_nonnull(strstr(allow, "PATCH"));
    ck_assert_ptr_nonnull(strstr(allow, "DELETE"));
    pw_resp_free(&r);
}
END_TEST

static Suite *
paths_suite(void)
{
    Suite *s = suite_create("paths");
    TCase *tc = tcase_create("paths");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_path_is_served);
    tcase_add_test(tc, crud_round_trip);
    tcase_add_test(tc, optional_fields_default);
    tcase_add_test(tc, array_items_are_data);
    tcase_add_test(tc, slug_can_be_renamed);
    tcase_add_test(tc, validation_lists_every_field);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, paging_has_no_gaps_or_duplicates);
    tcase_add_test(tc, q_filter);
    tcase_add_test(tc, list_query_errors);
    tcase_add_test(tc, list_etag_and_unknown_routes);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(paths_suite)
