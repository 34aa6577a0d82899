/**
 * @file check_articles.c
 * @brief Blog articles end to end: the seeded posts, CRUD, publishing,
 *        validation (the cover image's alt text included), draft visibility
 *        by role, filters, paging, ETags and caching.
 *
 * Other suites and reruns share the database, so lists are narrowed to rows
 * this run made (an author name unique to the run) or read to the end.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** "Authorization: ..." for @a role, or NULL for an anonymous request. */
static const char *
auth(enum pw_role role)
{
    return role == PW_ROLE_NONE ? NULL : pw_auth_header(role);
}

/** @a method @a path with @a body (stolen; may be NULL) as @a role. */
static struct pw_resp
send_as(enum pw_role role, const char *method, const char *path, json_t *body)
{
    const char *h[] = { auth(role), NULL };
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct pw_resp r = pw_http(method, path, text, h);

    free(text);
    json_decref(body);
    return r;
}

/** POST a minimal article (editor); @a extra fields are merged in (stolen, may be NULL). */
static struct pw_resp
create_article(const char *slug, const char *author, json_t *extra)
{
    json_t *body = json_pack("{s:s, s:s, s:s}", "slug", slug, "title", "A title", "author", author);

    if (extra != NULL) {
        json_object_update(body, extra);
        json_decref(extra);
    }
    return send_as(PW_ROLE_EDITOR, "POST", "/v1/articles", body);
}

/** Every item of the list at @a url as @a role, following next_cursor. Caller decrefs. */
static json_t *
collect(enum pw_role role, const char *url)
{
    json_t *all = json_array();
    char next_url[2048];

    snprintf(next_url, sizeof next_url, "%s", url);
    for (int pages = 0;; pages++) {
        struct pw_resp r = send_as(role, "GET", next_url, NULL);
        const char *next;

        ck_assert_msg(r.status == 200, "%s: %ld %s", next_url, r.status, r.body);
        ck_assert_int_lt(pages, 100);
        json_array_extend(all, json_object_get(r.json, "data"));
        next = pw_str(r.json, "next_cursor");
        if (next == NULL) {
            pw_resp_free(&r);
            return all;
        }
        snprintf(next_url, sizeof next_url, "%s&cursor=%s", url, next);
        pw_resp_free(&r);
    }
}

static int
has_slug(const json_t *items, const char *slug)
{
    size_t i;
    json_t *it;

    json_array_foreach(items, i, it) if (strcmp(pw_str(it, "slug"), slug) == 0) return 1;
    return 0;
}

/** A list URL narrowed to @a author ('+' for spaces). */
static void
author_url(char *out, size_t cap, const char *author, const char *extra)
{
    snprintf(out, cap, "/v1/articles?author=%s%s", author, extra);
    for (char *p = out; *p; p++)
        if (*p == ' ')
            *p = '+';
}

START_TEST(seeded_articles)
{
    struct pw_resp r = pw_http("GET", "/v1/articles/learn-backend-development", NULL, NULL);
    char cc[64];
    json_t *l;

    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"),
                     "Learn Backend Development: Complete Path for Beginners");
    ck_assert_str_eq(pw_str(r.json, "author"), "Lane Wagner");
    ck_assert_str_eq(pw_str(r.json, "status"), "published");
    ck_assert_str_eq(pw_str(r.json, "published_at"), "2022-07-24T09:00:00.000Z");
    ck_assert_str_eq(pw_str(r.json, "updated_at"), "2023-12-04T09:00:00.000Z");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r.json, "categories"), 0)),
                     "backend");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "categories")), 1);
    ck_assert_ptr_nonnull(strstr(pw_str(r.json, "body"), "## "));
    ck_assert(json_is_null(json_object_get(r.json, "cover_image_url")));
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "public, max-age=60");
    pw_resp_free(&r);

    /* Each seeded title under its category. */
    static const struct {
        const char *slug, *category;
    } seeded[] = {
        { "learn-backend-development", "backend" },
        { "what-is-a-backend-developer", "backend" },
        { "webhooks-an-integration-pattern", "backend" },
        { "https-explained", "security" },
        { "frontend-or-backend-first", "career" },
        { "data-engineer-vs-backend-engineer", "career" },
    };
    for (size_t i = 0; i < sizeof seeded / sizeof seeded[0]; i++) {
        char url[128];

        snprintf(url, sizeof url, "/v1/articles?limit=100&category=%s", seeded[i].category);
        l = collect(PW_ROLE_NONE, url);
        ck_assert_msg(has_slug(l, seeded[i].slug), "%s not in %s", seeded[i].slug, url);
        json_decref(l);
    }
    /* author: the whole name, in any case. */
    l = collect(PW_ROLE_NONE, "/v1/articles?author=lane+WAGNER");
    ck_assert(has_slug(l, "learn-backend-development"));
    ck_assert(!has_slug(l, "https-explained"));
    json_decref(l);
    l = collect(PW_ROLE_NONE, "/v1/articles?author=Lane");
    ck_assert(!has_slug(l, "learn-backend-development"));
    json_decref(l);
}
END_TEST

START_TEST(default_order_is_newest_first)
{
    json_t *l = collect(PW_ROLE_NONE, "/v1/articles?limit=3");
    size_t i;
    json_t *it;

    ck_assert_uint_ge(json_array_size(l), 6);
    json_array_foreach(l, i, it)
    {
        if (i == 0)
            continue;
        /* RFC 3339 UTC with milliseconds compares as text. */
        ck_assert_str_ge(pw_str(json_array_get(l, i - 1), "published_at"),
                         pw_str(it, "published_at"));
        ck_assert_str_eq(pw_str(it, "status"), "published");
    }
    json_decref(l);
}
END_TEST

START_TEST(crud_and_publishing)
{
    const char *slug = pw_unique("article");
    char path[128], loc[128], etag[64];
    struct pw_resp r = create_article(slug,
                                      "Ada Lovelace",
                                      json_pack("{s:s, s:s, s:[s,s]}",
                                                "summary",
                                                "On engines.",
                                                "body",
                                                "# Notes\n\nThe *Analytical Engine*.\n\n\tcode",
                                                "categories",
                                                "history",
                                                "backend"));

    ck_assert_int_eq(r.status, 201);
    snprintf(path, sizeof path, "/v1/articles/%s", slug);
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    ck_assert_str_eq(loc, path);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert_str_eq(pw_str(r.json, "status"), "draft"); /* the default */
    ck_assert(json_is_null(json_object_get(r.json, "published_at")));
    ck_assert_str_eq(pw_str(r.json, "body"), "# Notes\n\nThe *Analytical Engine*.\n\n\tcode");
    ck_assert_str_eq(pw_str(r.json, "cover_image_alt"), "");
    ck_assert_int_eq(pw_json_int(&r, "version"), 1);
    ck_assert_int_gt(pw_json_int(&r, "id"), 0);
    static const char *const keys[] = {
        "id",         "slug",   "title",        "author",          "summary",         "body",
        "categories", "status", "published_at", "cover_image_url", "cover_image_alt", "created_at",
        "updated_at", "version"
    };
    ck_assert_uint_eq(json_object_size(r.json), sizeof keys / sizeof keys[0]);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        ck_assert_msg(json_object_get(r.json, keys[i]) != NULL, "no %s", keys[i]);
    pw_resp_free(&r);

    /* Same slug: 409 naming it. */
    r = create_article(slug, "Someone", NULL);
    pw_assert_problem(&r, 409);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"), "slug");
    pw_resp_free(&r);

    /* Publishing without a date stamps now(). */
    const char *h1[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"1\"", NULL };
    r = pw_http("PATCH", path, "{\"status\":\"published\"}", h1);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "status"), "published");
    ck_assert_ptr_nonnull(pw_str(r.json, "published_at"));
    ck_assert_str_ge(pw_str(r.json, "published_at"), pw_str(r.json, "created_at"));
    ck_assert_str_eq(pw_str(r.json, "summary"), "On engines."); /* untouched */
    ck_assert_int_eq(pw_json_int(&r, "version"), 2);
    pw_resp_free(&r);

    /* A stale If-Match: 412. */
    r = pw_http("PATCH", path, "{\"title\":\"lost update\"}", h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);

    /* An explicit date is kept; clearing it on a published article stamps now() again. */
    r = send_as(PW_ROLE_EDITOR,
                "PATCH",
                path,
                json_pack("{s:s}", "published_at", "2021-03-04T05:06:07+02:00"));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "published_at"), "2021-03-04T03:06:07.000Z");
    pw_resp_free(&r);
    r = send_as(PW_ROLE_EDITOR, "PATCH", path, json_pack("{s:n}", "published_at"));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_gt(pw_str(r.json, "published_at"), "2021-03-04T03:06:07.000Z");
    pw_resp_free(&r);

    /* Back to draft: the date stays, the public no longer sees it. */
    r = send_as(PW_ROLE_EDITOR, "PATCH", path, json_pack("{s:s}", "status", "draft"));
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(pw_str(r.json, "published_at"));
    pw_resp_free(&r);
    pw_expect_problem("GET", path, NULL, NULL, 404);

    /* If-None-Match with the current ETag (an editor reading the draft): 304. */
    const char *h2[] = { pw_auth_header(PW_ROLE_EDITOR), "If-None-Match: W/\"5\"", NULL };
    ck_assert_int_eq(pw_status("GET", path, NULL, h2), 304);

    const char *h3[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    ck_assert_int_eq(pw_status("DELETE", path, NULL, h3), 204);
    pw_expect_problem("GET", path, NULL, h3, 404);
    pw_expect_problem("DELETE", path, NULL, h3, 404);
}
END_TEST

START_TEST(create_published_stamps_now)
{
    const char *slug = pw_unique("article");
    struct pw_resp r =
        create_article(slug, "Ada Lovelace", json_pack("{s:s}", "status", "published"));

    ck_assert_int_eq(r.status, 201);
    ck_assert_ptr_nonnull(pw_str(r.json, "published_at"));
    ck_assert_str_eq(pw_str(r.json, "published_at"), pw_str(r.json, "created_at"));
    pw_resp_free(&r);

    slug = pw_unique("article");
    r = create_article(
        slug,
        "Ada Lovelace",
        json_pack("{s:s, s:s}", "status", "published", "published_at", "2020-01-02T03:04:05.250Z"));
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(pw_str(r.json, "published_at"), "2020-01-02T03:04:05.250Z");
    pw_resp_free(&r);
}
END_TEST

START_TEST(draft_visibility_by_role)
{
    char slug[80], author[80], path[128], url[256], cc[64];

    snprintf(slug, sizeof slug, "%s", pw_unique("draft"));
    snprintf(author, sizeof author, "%s", pw_unique("Draft Author"));
    struct pw_resp r = create_article(slug, author, NULL);
    json_t *l;

    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
    snprintf(path, sizeof path, "/v1/articles/%s", slug);

    /* Anonymous and learner: the draft does not exist, in reads, lists and totals. */
    static const enum pw_role outsiders[] = { PW_ROLE_NONE, PW_ROLE_LEARNER };
    for (size_t i = 0; i < 2; i++) {
        const char *h[] = { auth(outsiders[i]), NULL };

        pw_expect_problem("GET", path, NULL, h, 404);
        author_url(url, sizeof url, author, "&count=true");
        r = send_as(outsiders[i], "GET", url, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
        ck_assert_int_eq(pw_json_int(&r, "total"), 0);
        ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
        ck_assert_str_eq(cc, "public, max-age=60");
        pw_resp_free(&r);
        l = collect(outsiders[i], "/v1/articles?limit=100");
        ck_assert(!has_slug(l, slug));
        json_decref(l);
    }

    /* Editor and admin: visible, and never cached publicly. */
    static const enum pw_role insiders[] = { PW_ROLE_EDITOR, PW_ROLE_ADMIN };
    for (size_t i = 0; i < 2; i++) {
        r = send_as(insiders[i], "GET", path, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert_str_eq(pw_str(r.json, "status"), "draft");
        ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
        ck_assert_str_eq(cc, "no-store");
        pw_resp_free(&r);
        author_url(url, sizeof url, author, "&count=true");
        r = send_as(insiders[i], "GET", url, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(pw_json_int(&r, "total"), 1);
        ck_assert(has_slug(json_object_get(r.json, "data"), slug));
        ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
        ck_assert_str_eq(cc, "no-store");
        pw_resp_free(&r);
        l = collect(insiders[i], "/v1/articles?limit=100");
        ck_assert(has_slug(l, slug));
        json_decref(l);
    }

    /* Published: everyone sees it. */
    r = send_as(PW_ROLE_EDITOR, "PATCH", path, json_pack("{s:s}", "status", "published"));
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    author_url(url, sizeof url, author, "");
    l = collect(PW_ROLE_NONE, url);
    ck_assert(has_slug(l, slug));
    json_decref(l);
}
END_TEST

START_TEST(validation_lists_every_field)
{
    json_t *body = json_pack("{s:s, s:s, s:s, s:[s,s], s:s, s:s, s:s, s:s, s:i}",
                             "slug",
                             "Not A Slug",
                             "summary",
                             "",
                             "title",
                             "",
                             "categories",
                             "backend",
                             "backend",
                             "status",
                             "archived",
                             "published_at",
                             "2024-13-01T00:00:00Z",
                             "cover_image_url",
                             "ftp://example.org/x.png",
                             "cover_image_alt",
                             "ok",
                             "extra",
                             1);
    static const char *const fields[] = { "slug",   "title",        "author",          "categories",
                                          "status", "published_at", "cover_image_url", "extra" };
    struct pw_resp r = send_as(PW_ROLE_EDITOR, "POST", "/v1/articles", body);
    json_t *errs;

    pw_assert_problem(&r, 422);
    errs = json_object_get(r.json, "errors");
    ck_assert_uint_eq(json_array_size(errs), sizeof fields / sizeof fields[0]);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_str_eq(pw_str(json_array_get(errs, i), "field"), fields[i]);
    pw_resp_free(&r);
}
END_TEST

/* One bad field per row: each alone is a 422 naming it. */
static const struct {
    const char *field;
    const char *json; /* a JSON value */
} bad_values[] = {
    { "title", "\"\"" },
    { "author", "\"\"" },
    { "author", "123" },
    { "summary", "null" },
    { "categories", "[\"ok\",\"Not A Slug\"]" },
    { "categories",
      "[\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",\"a8\",\"a9\",\"a10\",\"a11\",\"a12\","
      "\"a13\",\"a14\",\"a15\",\"a16\",\"a17\",\"a18\",\"a19\",\"a20\",\"a21\"]" },
    { "status", "\"Published\"" },
    { "published_at", "\"2024-01-01\"" },
    { "published_at", "\"yesterday\"" },
    { "cover_image_url", "\"not a url\"" },
    { "title", "\"tab\\tin title\"" },
};

START_TEST(each_bad_value)
{
    char body[1024];

    snprintf(body,
             sizeof body,
             "{\"slug\":\"%s\",\"title\":\"t\",\"author\":\"a\",\"%s\":%s}",
             pw_unique("bad"),
             bad_values[_i].field,
             bad_values[_i].json);
    /* A duplicate key is a 400 (malformed JSON): drop the defaults it would repeat. */
    if (strcmp(bad_values[_i].field, "title") == 0 || strcmp(bad_values[_i].field, "author") == 0) {
        snprintf(body,
                 sizeof body,
                 "{\"slug\":\"%s\",\"%s\":%s,\"%s\":\"x\"}",
                 pw_unique("bad"),
                 bad_values[_i].field,
                 bad_values[_i].json,
                 strcmp(bad_values[_i].field, "title") == 0 ? "author" : "title");
    }
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r = pw_http("POST", "/v1/articles", body, h);

    pw_assert_problem(&r, 422);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "errors")), 1);
    /* The field itself, or one of its items ("categories[1]"). */
    const char *field = pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field");
    ck_assert_ptr_nonnull(field);
    ck_assert_msg(strncmp(field, bad_values[_i].field, strlen(bad_values[_i].field)) == 0,
                  "%s: %s",
                  bad_values[_i].field,
                  field);
    pw_resp_free(&r);
}
END_TEST

/** A string of @a n copies of 'x' (caller frees). */
static char *
xs(size_t n)
{
    char *s = malloc(n + 1);

    ck_assert_ptr_nonnull(s);
    memset(s, 'x', n);
    s[n] = '\0';
    return s;
}

START_TEST(length_limits)
{
    static const struct {
        const char *field;
        size_t max;
    } limits[] = {
        { "title", 200 },   { "author", 100 },          { "summary", 1000 },
        { "body", 100000 }, { "cover_image_alt", 300 },
    };

    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        for (size_t extra = 0; extra < 2; extra++) {
            char *v = xs(limits[i].max + extra);
            json_t *body =
                json_pack("{s:s, s:s, s:s}", "slug", pw_unique("len"), "title", "t", "author", "a");
            struct pw_resp r;

            json_object_set_new(body, limits[i].field, json_string(v));
            free(v);
            r = send_as(PW_ROLE_EDITOR, "POST", "/v1/articles", body);
            if (extra == 0) {
                ck_assert_msg(r.status == 201, "%s at its limit: %ld", limits[i].field, r.status);
            } else {
                pw_assert_problem(&r, 422);
                ck_assert_str_eq(
                    pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                    limits[i].field);
            }
            pw_resp_free(&r);
        }
    }
}
END_TEST

START_TEST(cover_image_needs_alt_text)
{
    const char *slug = pw_unique("cover");
    char path[128];
    struct pw_resp r;

    /* A cover without a description: 422 naming cover_image_alt, on create... */
    r = create_article(slug,
                       "Ada Lovelace",
                       json_pack("{s:s}", "cover_image_url", "https://example.org/cover.png"));
    pw_assert_problem(&r, 422);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     "cover_image_alt");
    pw_resp_free(&r);
    r = create_article(slug,
                       "Ada Lovelace",
                       json_pack("{s:s, s:s}",
                                 "cover_image_url",
                                 "https://example.org/cover.png",
                                 "cover_image_alt",
                                 "   "));
    pw_assert_problem(&r, 422);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     "cover_image_alt");
    pw_resp_free(&r);

    r = create_article(slug,
                       "Ada Lovelace",
                       json_pack("{s:s, s:s}",
                                 "cover_image_url",
                                 "https://example.org/cover.png",
                                 "cover_image_alt",
                                 "A brass difference engine on a desk"));
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(pw_str(r.json, "cover_image_url"), "https://example.org/cover.png");
    pw_resp_free(&r);
    snprintf(path, sizeof path, "/v1/articles/%s", slug);

    /* ...and on PATCH, judged on the row as it would be. */
    r = send_as(PW_ROLE_EDITOR, "PATCH", path, json_pack("{s:s}", "cover_image_alt", ""));
    pw_assert_problem(&r, 422);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     "cover_image_alt");
    pw_resp_free(&r);
    r = send_as(PW_ROLE_EDITOR,
                "PATCH",
                path,
                json_pack("{s:n, s:s}", "cover_image_url", "cover_image_alt", ""));
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_is_null(json_object_get(r.json, "cover_image_url")));
    pw_resp_free(&r);
    r = send_as(PW_ROLE_EDITOR,
                "PATCH",
                path,
                json_pack("{s:s}", "cover_image_url", "https://example.org/other.png"));
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *body = "{\"slug\":\"x\",\"title\":\"t\",\"author\":\"a\"}";

    pw_expect_problem("POST", "/v1/articles", body, NULL, 401);
    pw_expect_problem("POST", "/v1/articles", body, learner, 403);
    pw_expect_problem("PATCH", "/v1/articles/https-explained", "{\"title\":\"x\"}", learner, 403);
    pw_expect_problem("DELETE", "/v1/articles/https-explained", NULL, learner, 403);
    pw_expect_problem("DELETE", "/v1/articles/https-explained", NULL, NULL, 401);
}
END_TEST

/** Walk @a url (as an editor) @a limit at a time: no duplicates, @a want rows, in order. */
static void
walk(const char *url, int desc, const char *key, size_t want)
{
    json_t *all = collect(PW_ROLE_EDITOR, url);
    json_t *seen = json_object();
    size_t i;
    json_t *it;

    json_array_foreach(all, i, it)
    {
        ck_assert_ptr_null(json_object_get(seen, pw_str(it, "slug")));
        json_object_set_new(seen, pw_str(it, "slug"), json_true());
        if (i > 0) {
            const char *a = pw_str(json_array_get(all, i - 1), key);
            const char *b = pw_str(it, key);
            if (a == NULL) /* a draft never published sorts by created_at */
                a = pw_str(json_array_get(all, i - 1), "created_at");
            if (b == NULL)
                b = pw_str(it, "created_at");
            ck_assert_msg(
                desc ? strcmp(a, b) >= 0 : strcmp(a, b) <= 0, "%s: %s then %s", url, a, b);
        }
    }
    ck_assert_uint_eq(json_array_size(all), want);
    json_decref(all);
    json_decref(seen);
}

START_TEST(paging_has_no_gaps_or_duplicates)
{
    char author[80], url[256];

    snprintf(author, sizeof author, "%s", pw_unique("Pager")); /* pw_unique's buffers rotate */
    /* 24 articles: 8 dates used 2 times each (ties broken by id), and 8 drafts without one. */
    for (int i = 0; i < 24; i++) {
        char date[32], title[32];
        json_t *extra;

        snprintf(date, sizeof date, "2019-0%d-15T12:00:00Z", 1 + (i % 8));
        snprintf(title, sizeof title, "Title %02d", (i * 7) % 24);
        extra = i < 16 ? json_pack("{s:s, s:s, s:s}",
                                   "status",
                                   "published",
                                   "published_at",
                                   date,
                                   "title",
                                   title)
                       : json_pack("{s:s}", "title", title);
        struct pw_resp r = create_article(pw_unique("page"), author, extra);
        ck_assert_int_eq(r.status, 201);
        pw_resp_free(&r);
    }
    author_url(url, sizeof url, author, "&limit=5");
    walk(url, 1, "published_at", 24);
    author_url(url, sizeof url, author, "&limit=5&sort=published_at");
    walk(url, 0, "published_at", 24);
    author_url(url, sizeof url, author, "&limit=7&sort=-title");
    walk(url, 1, "title", 24);
    author_url(url, sizeof url, author, "&limit=4&sort=created_at");
    walk(url, 0, "created_at", 24);

    /* The public sees the 16 published ones only, paged the same way. */
    author_url(url, sizeof url, author, "&limit=5&count=true");
    json_t *pub = collect(PW_ROLE_NONE, url);
    ck_assert_uint_eq(json_array_size(pub), 16);
    json_decref(pub);
}
END_TEST

START_TEST(list_query_errors)
{
    static const char *const bad[] = {
        "/v1/articles?sort=author",
        "/v1/articles?sort=-updated_at",
        "/v1/articles?category=Not%20A%20Slug",
        "/v1/articles?status=draft",
        "/v1/articles?include_drafts=true",
        "/v1/articles?limit=0",
        "/v1/articles?cursor=xyz",
        "/v1/articles/https-explained?x=1",
    };
    char url[256];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        pw_expect_problem("GET", bad[i], NULL, NULL, 400);
    snprintf(url, sizeof url, "/v1/articles?author=%0101d", 0);
    pw_expect_problem("GET", url, NULL, NULL, 400);

    /* A cursor of another sort is refused. */
    struct pw_resp r = pw_http("GET", "/v1/articles?limit=1", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    snprintf(url,
             sizeof url,
             "/v1/articles?limit=1&sort=title&cursor=%s",
             pw_str(r.json, "next_cursor"));
    pw_resp_free(&r);
    pw_expect_problem("GET", url, NULL, NULL, 400);
}
END_TEST

START_TEST(q_filter_and_etag)
{
    json_t *l = collect(PW_ROLE_NONE, "/v1/articles?q=webhook+deliveries");
    char etag[64], inm[96];
    struct pw_resp r;

    ck_assert(has_slug(l, "webhooks-an-integration-pattern"));
    ck_assert(!has_slug(l, "https-explained"));
    json_decref(l);
    l = collect(PW_ROLE_NONE, "/v1/articles?q=certif&category=security");
    ck_assert(has_slug(l, "https-explained"));
    json_decref(l);
    l = collect(PW_ROLE_NONE, "/v1/articles?q=%27%3B%20DROP%20TABLE%20articles%3B%20--");
    ck_assert_uint_eq(json_array_size(l), 0);
    json_decref(l);

    r = pw_http("GET", "/v1/articles?category=career", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    ck_assert_int_eq(pw_status("GET", "/v1/articles?category=career", NULL, h), 304);
    r = pw_http("GET", "/v1/articles/https-explained", NULL, NULL);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    ck_assert_int_eq(pw_status("GET", "/v1/articles/https-explained", NULL, h), 304);
}
END_TEST

static Suite *
articles_suite(void)
{
    Suite *s = suite_create("articles");
    TCase *tc = tcase_create("articles");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_articles);
    tcase_add_test(tc, default_order_is_newest_first);
    tcase_add_test(tc, crud_and_publishing);
    tcase_add_test(tc, create_published_stamps_now);
    tcase_add_test(tc, draft_visibility_by_role);
    tcase_add_test(tc, validation_lists_every_field);
    tcase_add_loop_test(tc, each_bad_value, 0, sizeof bad_values / sizeof bad_values[0]);
    tcase_add_test(tc, length_limits);
    tcase_add_test(tc, cover_image_needs_alt_text);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, paging_has_no_gaps_or_duplicates);
    tcase_add_test(tc, list_query_errors);
    tcase_add_test(tc, q_filter_and_etag);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(articles_suite)
