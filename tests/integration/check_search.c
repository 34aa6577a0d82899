/**
 * @file check_search.c
 * @brief GET /v1/search and the catalogue's full-text `q` filters: relevance
 *        on the sample data, types, paging without duplicates, snippets,
 *        drafts never found, query validation, SQL metacharacters as data.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/** POST @a body (stolen) to @a path as an editor; must answer 201. */
static void
create(const char *path, json_t *body)
{
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char *text = json_dumps(body, JSON_COMPACT);
    struct pw_resp r = pw_http("POST", path, text, h);

    ck_assert_msg(r.status == 201, "%s: %ld %s", path, r.status, r.body);
    pw_resp_free(&r);
    free(text);
    json_decref(body);
}

/** A word unique to this run and @a n (letters only, so one lexeme). */
static const char *
unique_word(unsigned n)
{
    static char bufs[4][64];
    static unsigned k;
    char *b = bufs[k++ % 4];
    unsigned v = (unsigned) getpid() * 64u + n;
    size_t o = 0;

    o += (size_t) snprintf(b, sizeof bufs[0], "zyx");
    for (; v > 0; v /= 26)
        b[o++] = (char) ('a' + v % 26);
    b[o] = '\0';
    return b;
}

/** Every hit for @a query ("q=...&..."), @a limit a page, following the cursors. */
static json_t *
collect(const char *query, unsigned limit, int *pages)
{
    json_t *all = json_array();
    char url[1024];

    *pages = 0;
    snprintf(url, sizeof url, "/v1/search?%s&limit=%u", query, limit);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        const char *next;
        char link[1200];

        ck_assert_msg(r.status == 200, "%s: %ld %s", url, r.status, r.body);
        ck_assert_uint_le(json_array_size(json_object_get(r.json, "data")), limit);
        json_array_extend(all, json_object_get(r.json, "data"));
        (*pages)++;
        ck_assert_int_lt(*pages, 100);
        next = pw_str(r.json, "next_cursor");
        if (next == NULL) {
            ck_assert(!pw_resp_header(&r, "Link", link, sizeof link));
            pw_resp_free(&r);
            return all;
        }
        ck_assert(pw_resp_header(&r, "Link", link, sizeof link));
        ck_assert_ptr_nonnull(strstr(link, "rel=\"next\""));
        snprintf(url, sizeof url, "/v1/search?%s&limit=%u&cursor=%s", query, limit, next);
        pw_resp_free(&r);
    }
}

static void
assert_hit_shape(const json_t *hit)
{
    char url[256];

    ck_assert_uint_eq(json_object_size(hit), 5);
    ck_assert_ptr_nonnull(pw_str(hit, "type"));
    ck_assert_ptr_nonnull(pw_str(hit, "key"));
    ck_assert_ptr_nonnull(pw_str(hit, "title"));
    ck_assert_ptr_nonnull(pw_str(hit, "snippet"));
    snprintf(url, sizeof url, "/v1/%ss/%s", pw_str(hit, "type"), pw_str(hit, "key"));
    ck_assert_str_eq(pw_str(hit, "url"), url);
}

START_TEST(postgres_finds_the_postgresql_skill_first)
{
    static const char *const queries[] = {
        "postgres", "postgre", "PostgreSQL", "open-source%20database%20postgres"
    };

    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char url[128];
        char cc[64];

        snprintf(url, sizeof url, "/v1/search?q=%s", queries[i]);
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *first = json_array_get(json_object_get(r.json, "data"), 0);

        ck_assert_int_eq(r.status, 200);
        ck_assert_msg(first != NULL, "%s found nothing", url);
        assert_hit_shape(first);
        ck_assert_str_eq(pw_str(first, "type"), "skill");
        ck_assert_str_eq(pw_str(first, "key"), "postgresql");
        ck_assert_str_eq(pw_str(first, "title"), "PostgreSQL");
        ck_assert_str_eq(pw_str(first, "url"), "/v1/skills/postgresql");
        ck_assert_ptr_nonnull(strstr(pw_str(first, "snippet"), "<mark>PostgreSQL</mark>"));
        ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
        ck_assert_str_eq(cc, "public, max-age=60");
        pw_resp_free(&r);
    }
    /* The seeded article that mentions PostgreSQL ranks below the skill named so. */
    int pages;
    json_t *all = collect("q=postgres", 100, &pages);
    int article_at = -1;
    size_t i;
    json_t *hit;
    json_array_foreach(all, i, hit) if (strcmp(pw_str(hit, "key"), "learn-backend-development") ==
                                        0) article_at = (int) i;
    ck_assert_int_gt(article_at, 0);
    json_decref(all);
}
END_TEST

START_TEST(sample_data_across_types)
{
    int pages;
    json_t *all = collect("q=backend%20developer", 100, &pages);
    int found_path = 0, found_article = 0;
    size_t i;
    json_t *hit;

    json_array_foreach(all, i, hit)
    {
        assert_hit_shape(hit);
        found_path |= strcmp(pw_str(hit, "url"), "/v1/paths/backend-developer") == 0;
        found_article |=
            strcmp(pw_str(hit, "url"), "/v1/articles/what-is-a-backend-developer") == 0;
    }
    ck_assert(found_path);
    ck_assert(found_article);
    json_decref(all);

    /* A book by its author, a step by its topic. */
    all = collect("q=kleppmann", 100, &pages);
    ck_assert_uint_ge(json_array_size(all), 1);
    ck_assert_str_eq(pw_str(json_array_get(all, 0), "title"),
                     "Designing Data-Intensive Applications");
    ck_assert_str_eq(pw_str(json_array_get(all, 0), "type"), "resource");
    json_decref(all);
    all = collect("q=dictionaries&types=step", 100, &pages);
    ck_assert_uint_ge(json_array_size(all), 1);
    ck_assert_str_eq(pw_str(json_array_get(all, 0), "type"), "step");
    json_decref(all);
}
END_TEST

START_TEST(types_filter)
{
    int pages;
    json_t *all = collect("q=backend&types=article", 100, &pages);
    size_t i;
    json_t *hit;

    ck_assert_uint_ge(json_array_size(all), 4);
    json_array_foreach(all, i, hit) ck_assert_str_eq(pw_str(hit, "type"), "article");
    json_decref(all);

    all = collect("q=python&types=skill,resource", 100, &pages);
    int skills = 0, resources = 0;
    json_array_foreach(all, i, hit)
    {
        skills += strcmp(pw_str(hit, "type"), "skill") == 0;
        resources += strcmp(pw_str(hit, "type"), "resource") == 0;
    }
    ck_assert_int_ge(skills, 1);
    ck_assert_int_ge(resources, 1);
    ck_assert_uint_eq(json_array_size(all), (size_t) (skills + resources));
    json_decref(all);

    /* The same type twice is the same filter. */
    all = collect("q=python&types=skill,skill", 100, &pages);
    json_array_foreach(all, i, hit) ck_assert_str_eq(pw_str(hit, "type"), "skill");
    json_decref(all);
}
END_TEST

START_TEST(paging_without_duplicates)
{
    const char *word = unique_word(1);
    char query[128];
    int pages;
    json_t *all, *seen = json_object();
    size_t i;
    json_t *hit;

    /* 12 skills named with the word (rank ties), 8 that only describe it, 5 resources. */
    for (int k = 0; k < 25; k++) {
        char name[128], desc[128];
        const char *slug = pw_unique("srch");

        snprintf(name, sizeof name, "%s %02d", k < 12 ? word : "Plain", k);
        snprintf(desc, sizeof desc, "About %s and more.", word);
        if (k < 20)
            create("/v1/skills",
                   json_pack("{s:s, s:s, s:s, s:s}",
                             "slug",
                             slug,
                             "name",
                             name,
                             "category",
                             "concept",
                             "description",
                             desc));
        else
            create("/v1/resources",
                   json_pack("{s:s, s:s, s:s, s:s, s:s}",
                             "kind",
                             "book",
                             "title",
                             name,
                             "summary",
                             desc,
                             "cost",
                             "free",
                             "level",
                             "beginner"));
    }
    snprintf(query, sizeof query, "q=%s", word);
    for (unsigned limit = 1; limit <= 25; limit += 6) {
        all = collect(query, limit, &pages);
        ck_assert_uint_eq(json_array_size(all), 25);
        ck_assert_int_eq(pages, (int) ((25 + limit - 1) / limit));
        json_object_clear(seen);
        json_array_foreach(all, i, hit)
        {
            ck_assert_msg(json_object_get(seen, pw_str(hit, "url")) == NULL,
                          "%s twice (limit %u)",
                          pw_str(hit, "url"),
                          limit);
            json_object_set_new(seen, pw_str(hit, "url"), json_true());
            ck_assert_ptr_nonnull(strstr(pw_str(hit, "snippet"), "<mark>"));
        }
        /* Named after the word first: the first 12 hits are those 12 skills. */
        for (i = 0; i < 12; i++)
            ck_assert_msg(strncmp(pw_str(json_array_get(all, i), "title"), word, strlen(word)) == 0,
                          "hit %zu: %s",
                          i,
                          pw_str(json_array_get(all, i), "title"));
        json_decref(all);
    }
    /* Narrowed to resources, paged the same way. */
    snprintf(query, sizeof query, "q=%s&types=resource", word);
    all = collect(query, 2, &pages);
    ck_assert_uint_eq(json_array_size(all), 5);
    ck_assert_int_eq(pages, 3);
    json_decref(all);
    json_decref(seen);
}
END_TEST

START_TEST(snippets_are_html_safe)
{
    const char *word = unique_word(2);
    char desc[256], url[128];
    struct pw_resp r;

    snprintf(desc,
             sizeof desc,
             "Compare a < b & c > d, then <script>alert(\"x\")</script> O'Brien's %s here.",
             word);
    create("/v1/skills",
           json_pack("{s:s, s:s, s:s, s:s}",
                     "slug",
                     pw_unique("html"),
                     "name",
                     "Escaping",
                     "category",
                     "concept",
                     "description",
                     desc));
    snprintf(url, sizeof url, "/v1/search?q=%s", word);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    const char *snippet = pw_str(json_array_get(json_object_get(r.json, "data"), 0), "snippet");
    ck_assert_ptr_nonnull(snippet);
    ck_assert_ptr_nonnull(strstr(snippet, "&lt;"));
    ck_assert_ptr_nonnull(strstr(snippet, "&amp;"));
    ck_assert_ptr_nonnull(strstr(snippet, "&#39;"));
    /* The only markup left is <mark>...</mark> around the word. */
    char marked[128], rest[512];
    snprintf(marked, sizeof marked, "<mark>%s</mark>", word);
    ck_assert_ptr_nonnull(strstr(snippet, marked));
    size_t o = 0;
    for (const char *p = snippet; *p && o + 1 < sizeof rest;) {
        if (strncmp(p, "<mark>", 6) == 0)
            p += 6;
        else if (strncmp(p, "</mark>", 7) == 0)
            p += 7;
        else
            rest[o++] = *p++;
    }
    rest[o] = '\0';
    ck_assert_ptr_null(strchr(rest, '<'));
    ck_assert_ptr_null(strchr(rest, '>'));
    ck_assert_ptr_null(strchr(rest, '"'));
    pw_resp_free(&r);
}
END_TEST

START_TEST(drafts_are_never_hits)
{
    const char *word = unique_word(3);
    const char *slug = pw_unique("searchdraft");
    char url[128], path[128];
    struct pw_resp r;

    create("/v1/articles",
           json_pack("{s:s, s:s, s:s, s:s}",
                     "slug",
                     slug,
                     "title",
                     "Unpublished thoughts",
                     "author",
                     "Ada",
                     "body",
                     word));
    snprintf(url, sizeof url, "/v1/search?q=%s", word);
    static const enum pw_role roles[] = { PW_ROLE_NONE, PW_ROLE_EDITOR, PW_ROLE_ADMIN };
    for (size_t i = 0; i < 3; i++) {
        const char *h[] = { roles[i] ? pw_auth_header(roles[i]) : NULL, NULL };

        r = pw_http("GET", url, NULL, h);
        ck_assert_int_eq(r.status, 200);
        ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
        pw_resp_free(&r);
    }
    /* Published: found, with its URL. */
    snprintf(path, sizeof path, "/v1/articles/%s", slug);
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    r = pw_http("PATCH", path, "{\"status\":\"published\"}", h);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 1);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "url"), path);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "type"), "article");
    pw_resp_free(&r);
}
END_TEST

START_TEST(query_validation)
{
    static const char *const bad[] = {
        "/v1/search",
        "/v1/search?q=",
        "/v1/search?q=%20%20%09",
        "/v1/search?q=x&types=",
        "/v1/search?q=x&types=skills",
        "/v1/search?q=x&types=skill,",
        "/v1/search?q=x&types=,skill",
        "/v1/search?q=x&types=skill,bogus",
        "/v1/search?q=x&types=SKILL",
        "/v1/search?q=x&limit=0",
        "/v1/search?q=x&limit=101",
        "/v1/search?q=x&cursor=garbage",
        "/v1/search?q=x&sort=rank",
        "/v1/search?q=x&count=true",
        "/v1/search?q=%C3%28",
        "/v1/search?q=a&q=b",
    };
    char url[1400], q[1024];
    struct pw_resp r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        pw_expect_problem("GET", bad[i], NULL, NULL, 400);
    r = pw_http("GET", "/v1/search?types=bogus", NULL, NULL);
    pw_assert_problem(&r, 400);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "errors")), 2); /* q and types */
    pw_resp_free(&r);

    /* 200 characters (code points: é is 2 bytes) are fine, 201 are not. */
    q[0] = '\0';
    for (int i = 0; i < 200; i++)
        strcat(q, i % 2 ? "%C3%A9" : "a");
    snprintf(url, sizeof url, "/v1/search?q=%s", q);
    ck_assert_int_eq(pw_status("GET", url, NULL, NULL), 200);
    snprintf(url, sizeof url, "/v1/search?q=%sb", q);
    r = pw_http("GET", url, NULL, NULL);
    pw_assert_problem(&r, 400);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "field"), "q");
    pw_resp_free(&r);

    /* A cursor is bound to its search: another q or types refuses it. */
    r = pw_http("GET", "/v1/search?q=python&limit=1", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    const char *next = pw_str(r.json, "next_cursor");
    ck_assert_ptr_nonnull(next);
    snprintf(url, sizeof url, "/v1/search?q=python&limit=1&cursor=%s", next);
    ck_assert_int_eq(pw_status("GET", url, NULL, NULL), 200);
    snprintf(url, sizeof url, "/v1/search?q=java&limit=1&cursor=%s", next);
    pw_expect_problem("GET", url, NULL, NULL, 400);
    snprintf(url, sizeof url, "/v1/search?q=python&types=skill&limit=1&cursor=%s", next);
    pw_expect_problem("GET", url, NULL, NULL, 400);
    pw_resp_free(&r);

    /* Only stop words or punctuation: a valid search that finds nothing. */
    r = pw_http("GET", "/v1/search?q=the%20and%20of", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    pw_resp_free(&r);

    ck_assert_int_eq(pw_status("POST", "/v1/search?q=x", "{}", NULL), 405);
}
END_TEST

START_TEST(sql_metacharacters_are_data)
{
    static const char *const encoded[] = {
        "%27",
        "%22",
        "%27%3B%20DROP%20TABLE%20skills%3B%20--",
        "%27%20OR%20%271%27%3D%271",
        "%25_%5C",
        "%241%3A%3Atext",
        "%2F*%20comment%20*%2F",
        "%27)%20UNION%20SELECT%201%20--",
        "a%3A*%20%26%20b%20%7C%20!c%20%3C-%3E%20d",
        "%22unclosed%20phrase",
        "-",
        "or",
        "%5C",
    };

    for (size_t i = 0; i < sizeof encoded / sizeof encoded[0]; i++) {
        char url[256];
        struct pw_resp r;

        snprintf(url, sizeof url, "/v1/search?q=%s", encoded[i]);
        r = pw_http("GET", url, NULL, NULL);
        ck_assert_msg(r.status == 200, "%s: %ld %s", url, r.status, r.body);
        ck_assert(json_is_array(json_object_get(r.json, "data")));
        pw_resp_free(&r);
        for (const char *const *list =
                 (const char *const[]){
                     "/v1/skills", "/v1/paths", "/v1/resources", "/v1/articles", NULL };
             *list != NULL;
             list++) {
            snprintf(url, sizeof url, "%s?q=%s", *list, encoded[i]);
            ck_assert_msg(pw_status("GET", url, NULL, NULL) == 200, "%s", url);
        }
    }
    /* The data is intact. */
    ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
    struct pw_resp r = pw_http("GET", "/v1/search?q=%27drop%20table%27", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
}
END_TEST

START_TEST(catalogue_q_is_full_text)
{
    struct pw_resp r;

    /* Words and prefixes of the last word, with stemming, in any case. */
    r = pw_http("GET", "/v1/skills?q=postgre", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "slug"),
                     "postgresql");
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/paths?q=BACKEND%20developers", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_ge(json_array_size(json_object_get(r.json, "data")), 1);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/resources?q=kleppmann", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "title"),
                     "Designing Data-Intensive Applications");
    pw_resp_free(&r);
    /* Not substrings: the middle of a word matches nothing. */
    r = pw_http("GET", "/v1/skills?q=greSQL", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    pw_resp_free(&r);
    /* Web-search syntax: -word excludes. */
    r = pw_http("GET", "/v1/skills?q=relational%20database%20-postgresql&limit=100", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    size_t i;
    json_t *it;
    ck_assert_uint_ge(json_array_size(json_object_get(r.json, "data")), 1);
    json_array_foreach(json_object_get(r.json, "data"), i, it)
        ck_assert_str_ne(pw_str(it, "slug"), "postgresql");
    pw_resp_free(&r);
}
END_TEST

START_TEST(etag_and_304)
{
    struct pw_resp r = pw_http("GET", "/v1/search?q=python", NULL, NULL);
    char etag[64], inm[96];

    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    ck_assert_int_eq(pw_status("GET", "/v1/search?q=python", NULL, h), 304);
}
END_TEST

static Suite *
search_suite(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("search");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, postgres_finds_the_postgresql_skill_first);
    tcase_add_test(tc, sample_data_across_types);
    tcase_add_test(tc, types_filter);
    tcase_add_test(tc, paging_without_duplicates);
    tcase_add_test(tc, snippets_are_html_safe);
    tcase_add_test(tc, drafts_are_never_hits);
    tcase_add_test(tc, query_validation);
    tcase_add_test(tc, sql_metacharacters_are_data);
    tcase_add_test(tc, catalogue_q_is_full_text);
    tcase_add_test(tc, etag_and_304);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(search_suite)
