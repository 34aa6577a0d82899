/**
 * @file check_resources.c
 * @brief Learning resources end to end: seeded books, filters, CRUD with skills,
 *        validation, auth, paging, ETags, and the step <-> resource links.
 *
 * Other suites (and reruns) add resources to the same database, so no test
 * counts rows it did not make: lists are read to the end through their
 * cursors, or narrowed with q= and a prefix unique to this run.
 */
#include "harness.h"
#include "check_main.h"

#include <libpq-fe.h>
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

static const char *
editor(void)
{
    return pw_auth_header(PW_ROLE_EDITOR);
}

/** First column of the first row of @a sql on the test database, into @a out. */
static void
sql_value(const char *sql, char *out, size_t cap)
{
    PGconn *c = PQconnectdb(getenv("PW_TEST_DATABASE_URL"));
    PGresult *res;

    ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
    res = PQexec(c, sql);
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    ck_assert_int_eq(PQntuples(res), 1);
    snprintf(out, cap, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(c);
}

/** Id of step @a step of stage @a stage of the seeded backend-developer path. */
static void
seeded_step_id(int stage, int step, char *out, size_t cap)
{
    char sql[400];

    snprintf(sql,
             sizeof sql,
             "SELECT t.id FROM steps t JOIN stages s ON s.id = t.stage_id"
             " JOIN paths p ON p.id = s.path_id"
             " WHERE p.slug = 'backend-developer' AND s.position = %d AND t.position = %d",
             stage,
             step);
    sql_value(sql, out, cap);
}

/**
 * Every item of the list at @a path (which has a '?'), following
 * next_cursor to the end; checks each page's status. Caller decrefs.
 */
static json_t *
collect(const char *path)
{
    json_t *all = json_array();
    char url[1024];

    snprintf(url, sizeof url, "%s", path);
    for (int pages = 0;; pages++) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        const char *next;

        ck_assert_int_eq(r.status, 200);
        ck_assert_int_lt(pages, 1000);
        json_array_extend(all, json_object_get(r.json, "data"));
        next = json_string_value(json_object_get(r.json, "next_cursor"));
        if (next == NULL) {
            pw_resp_free(&r);
            return all;
        }
        snprintf(url, sizeof url, "%s&cursor=%s", path, next);
        pw_resp_free(&r);
    }
}

/** The item of @a list titled @a title, or NULL (borrowed). */
static json_t *
find_title(json_t *list, const char *title)
{
    size_t i;
    json_t *it;

    json_array_foreach(list, i, it) if (strcmp(json_string_value(json_object_get(it, "title")),
                                               title) == 0) return it;
    return NULL;
}

/** How many items of @a list are titled @a title. */
static int
count_title(json_t *list, const char *title)
{
    size_t i;
    json_t *it;
    int n = 0;

    json_array_foreach(list, i, it) n +=
        strcmp(json_string_value(json_object_get(it, "title")), title) == 0;
    return n;
}

/** Is @a s one of the strings in the JSON array @a arr? */
static int
has_string(const json_t *arr, const char *s)
{
    size_t i;
    json_t *it;

    json_array_foreach(arr, i, it) if (strcmp(json_string_value(it), s) == 0) return 1;
    return 0;
}

/** Assert the JSON array @a arr is exactly the strings @a want (NULL-terminated). */
static void
assert_strings(const json_t *arr, const char *const *want)
{
    size_t n = 0;

    ck_assert(json_is_array(arr));
    for (; want[n] != NULL; n++) {
        ck_assert_ptr_nonnull(json_array_get(arr, n));
        ck_assert_str_eq(json_string_value(json_array_get(arr, n)), want[n]);
    }
    ck_assert_uint_eq(json_array_size(arr), n);
}

/** POST a resource; returns the response. */
static struct pw_resp
create_resource(const char *title, const char *kind, const char *level, const char *skills)
{
    char body[1024];
    const char *h[] = { editor(), NULL };

    snprintf(body,
             sizeof body,
             "{\"kind\":\"%s\",\"title\":\"%s\",\"cost\":\"free\",\"level\":\"%s\","
             "\"skills\":%s}",
             kind,
             title,
             level,
             skills ? skills : "[]");
    return pw_http("POST", "/v1/resources", body, h);
}

/** Create a resource and put its id into @a id. */
static void
create_resource_id(const char *title, char *id, size_t cap)
{
    struct pw_resp r = create_resource(title, "article", "beginner", NULL);

    ck_assert_int_eq(r.status, 201);
    snprintf(id, cap, "%lld", (long long) json_integer_value(json_object_get(r.json, "id")));
    pw_resp_free(&r);
}

/* ---- the catalogue --------------------------------------------------------- */

START_TEST(seeded_books_have_their_authors)
{
    json_t *books = collect("/v1/resources?kind=book&limit=100");
    json_t *ddia = find_title(books, "Designing Data-Intensive Applications");
    json_t *cookbook = find_title(books, "Python Cookbook");
    static const char *const kleppmann[] = { "Martin Kleppmann", NULL };
    static const char *const beazley_jones[] = { "David Beazley", "Brian K. Jones", NULL };
    static const char *const ddia_skills[] = {
        "distributed-systems", "kafka", "system-design", NULL
    };
    char path[64], etag[64], cc[64];

    ck_assert_ptr_nonnull(ddia);
    ck_assert_ptr_nonnull(cookbook);
    ck_assert_ptr_nonnull(find_title(books, "Microservice APIs"));
    ck_assert_ptr_nonnull(find_title(books, "High Performance Python"));
    ck_assert_ptr_nonnull(find_title(books, "A Byte of Python"));
    assert_strings(json_object_get(ddia, "authors"), kleppmann);
    assert_strings(json_object_get(cookbook, "authors"), beazley_jones);
    assert_strings(json_object_get(ddia, "skills"), ddia_skills);
    ck_assert_str_eq(json_string_value(json_object_get(ddia, "url")), "https://dataintensive.net/");
    ck_assert_str_eq(json_string_value(json_object_get(ddia, "cost")), "paid");
    ck_assert_str_eq(json_string_value(json_object_get(ddia, "level")), "advanced");
    ck_assert_str_eq(json_string_value(json_object_get(cookbook, "level")), "intermediate");

    /* The single GET answers with exactly the list's object. */
    snprintf(path,
             sizeof path,
             "/v1/resources/%lld",
             (long long) json_integer_value(json_object_get(ddia, "id")));
    struct pw_resp r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_equal(r.json, ddia));
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "public, max-age=60");
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r.json, "created_at")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r.json, "updated_at")));
    pw_resp_free(&r);

    /* A resource without authors or url has [] and null. */
    json_t *courses = collect("/v1/resources?kind=course&q=Advanced%20Python");
    json_t *adv = find_title(courses, "Advanced Python");
    ck_assert_ptr_nonnull(adv);
    ck_assert_uint_eq(json_array_size(json_object_get(adv, "authors")), 0);
    ck_assert(json_is_null(json_object_get(adv, "url")));
    json_decref(courses);
    json_decref(books);
}
END_TEST

START_TEST(filters_work_and_combine)
{
    json_t *l;
    size_t i;
    json_t *it;

    l = collect("/v1/resources?cost=free&limit=100");
    ck_assert_ptr_nonnull(find_title(l, "A Byte of Python"));
    ck_assert_ptr_null(find_title(l, "Python Cookbook"));
    json_array_foreach(l, i, it)
        ck_assert_str_eq(json_string_value(json_object_get(it, "cost")), "free");
    json_decref(l);

    l = collect("/v1/resources?level=advanced&limit=100");
    ck_assert_ptr_nonnull(find_title(l, "Designing Data-Intensive Applications"));
    ck_assert_ptr_null(find_title(l, "Python Cookbook"));
    json_array_foreach(l, i, it)
        ck_assert_str_eq(json_string_value(json_object_get(it, "level")), "advanced");
    json_decref(l);

    l = collect("/v1/resources?skill=sql&limit=100");
    ck_assert_ptr_nonnull(find_title(l, "StrataScratch"));
    ck_assert_ptr_nonnull(find_title(l, "Codecademy: Learn SQL"));
    ck_assert_ptr_nonnull(find_title(l, "Python for Everybody"));
    ck_assert_ptr_null(find_title(l, "Python Cookbook"));
    json_array_foreach(l, i, it) ck_assert(has_string(json_object_get(it, "skills"), "sql"));
    json_decref(l);

    /* All four at once: free python courses. */
    l = collect("/v1/resources?kind=course&cost=free&level=beginner&skill=python&limit=5");
    ck_assert_ptr_nonnull(find_title(l, "Python for Everybody"));
    ck_assert_ptr_null(find_title(l, "A Byte of Python"));      /* a book */
    ck_assert_ptr_null(find_title(l, "Advanced Python"));       /* paid, advanced */
    ck_assert_ptr_null(find_title(l, "Codecademy: Learn SQL")); /* no python */
    json_array_foreach(l, i, it)
    {
        ck_assert_str_eq(json_string_value(json_object_get(it, "kind")), "course");
        ck_assert_str_eq(json_string_value(json_object_get(it, "cost")), "free");
        ck_assert_str_eq(json_string_value(json_object_get(it, "level")), "beginner");
        ck_assert(has_string(json_object_get(it, "skills"), "python"));
    }
    json_decref(l);

    /* q: case-insensitive, over title, summary and authors. */
    l = collect("/v1/resources?q=bEAZLEY");
    ck_assert_ptr_nonnull(find_title(l, "Python Cookbook"));
    json_decref(l);
    l = collect("/v1/resources?q=REPLICATION%2C%20partitioning");
    ck_assert_ptr_nonnull(find_title(l, "Designing Data-Intensive Applications"));
    json_decref(l);
    l = collect("/v1/resources?q=cookbook&kind=course");
    ck_assert_uint_eq(json_array_size(l), 0);
    json_decref(l);
    l = collect("/v1/resources?q=kleppmann&level=advanced&cost=paid&skill=kafka");
    ck_assert_ptr_nonnull(find_title(l, "Designing Data-Intensive Applications"));
    json_decref(l);

    /* An unknown skill is an empty list, not an error. */
    struct pw_resp r = pw_http("GET", "/v1/resources?skill=no-such-skill-anywhere", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    pw_resp_free(&r);
}
END_TEST

START_TEST(bad_list_queries_are_400)
{
    static const char *const bad[] = {
        "/v1/resources?kind=podcast",   "/v1/resources?cost=cheap",
        "/v1/resources?level=expert",   "/v1/resources?skill=Not%20A%20Slug",
        "/v1/resources?sort=kind",      "/v1/resources?sort=-url",
        "/v1/resources?author=x",       "/v1/resources?limit=101",
        "/v1/resources?cursor=garbage", "/v1/steps/1/resources?kind=book",
        "/v1/resources?kind=BOOK",      "/v1/resources?cost=free&cost=paid",
    };
    char q[160] = "/v1/resources?q=";
    struct pw_resp r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = pw_http("GET", bad[i], NULL, NULL);
        pw_assert_problem(&r, 400);
        pw_resp_free(&r);
    }
    /* q of 101 characters. */
    memset(q + strlen(q), 'a', 101);
    r = pw_http("GET", q, NULL, NULL);
    pw_assert_problem(&r, 400);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r.json, "errors"), 0), "field")),
                     "q");
    pw_resp_free(&r);
    /* Every bad filter is named. */
    r = pw_http("GET", "/v1/resources?kind=x&cost=y&level=z", NULL, NULL);
    pw_assert_problem(&r, 400);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "errors")), 3);
    pw_resp_free(&r);
}
END_TEST

START_TEST(crud_round_trip_with_skills)
{
    const char *title = pw_unique("Resource round trip");
    const char *h[] = { editor(), NULL };
    char body[1024], path[64], loc[128], etag[64], url[256];
    static const char *const two_skills[] = { "python", "sql", NULL };
    static const char *const authors[] = { "Ada Lovelace", "Grace Hopper", NULL };
    struct pw_resp r;
    long long id;

    snprintf(body,
             sizeof body,
             "{\"kind\":\"video\",\"title\":\"%s\",\"authors\":[\"Ada Lovelace\",\"Grace Hopper\"],"
             "\"url\":\"https://example.org/v\",\"summary\":\"line one\\nline two\","
             "\"cost\":\"paid\",\"level\":\"intermediate\",\"skills\":[\"sql\",\"python\"]}",
             title);
    r = pw_http("POST", "/v1/resources", body, h);
    ck_assert_int_eq(r.status, 201);
    id = json_integer_value(json_object_get(r.json, "id"));
    ck_assert_int_gt(id, 0);
    snprintf(path, sizeof path, "/v1/resources/%lld", id);
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    ck_assert_str_eq(loc, path);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "kind")), "video");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "summary")), "line one\nline two");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    assert_strings(json_object_get(r.json, "skills"), two_skills); /* ordered by slug */
    assert_strings(json_object_get(r.json, "authors"), authors);
    json_t *created = json_incref(r.json);
    pw_resp_free(&r);

    /* GET answers what POST did; the skill filter finds it. */
    r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_equal(r.json, created));
    pw_resp_free(&r);
    snprintf(url, sizeof url, "/v1/resources?skill=sql&kind=video&q=%s", title);
    for (char *p = url; *p; p++)
        if (*p == ' ')
            *p = '+';
    json_t *l = collect(url);
    ck_assert_uint_eq(json_array_size(l), 1);
    ck_assert(json_equal(json_array_get(l, 0), created));
    json_decref(l);
    json_decref(created);

    /* PATCH with the current ETag: replace the skills, clear the url. */
    const char *h1[] = { editor(), "If-Match: W/\"1\"", NULL };
    r = pw_http("PATCH", path, "{\"skills\":[\"go\"],\"url\":null,\"level\":\"advanced\"}", h1);
    ck_assert_int_eq(r.status, 200);
    static const char *const go[] = { "go", NULL };
    assert_strings(json_object_get(r.json, "skills"), go);
    assert_strings(json_object_get(r.json, "authors"), authors); /* untouched */
    ck_assert(json_is_null(json_object_get(r.json, "url")));
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "level")), "advanced");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), title);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"2\"");
    pw_resp_free(&r);

    /* A PATCH without skills keeps them; skills [] clears them. */
    r = pw_http("PATCH", path, "{\"authors\":[]}", h);
    ck_assert_int_eq(r.status, 200);
    assert_strings(json_object_get(r.json, "skills"), go);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "authors")), 0);
    pw_resp_free(&r);
    r = pw_http("PATCH", path, "{\"skills\":[]}", h);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "skills")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 4);
    pw_resp_free(&r);

    /* Stale If-Match: 412 on PATCH and DELETE. */
    r = pw_http("PATCH", path, "{\"title\":\"lost update\"}", h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);
    r = pw_http("DELETE", path, NULL, h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);

    /* If-None-Match: 304 when current, 200 when not. */
    const char *h3[] = { "If-None-Match: W/\"4\"", NULL };
    r = pw_http("GET", path, NULL, h3);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.len, 0);
    pw_resp_free(&r);
    const char *h4[] = { "If-None-Match: W/\"3\"", NULL };
    r = pw_http("GET", path, NULL, h4);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);

    const char *h5[] = { editor(), "If-Match: W/\"4\"", NULL };
    r = pw_http("DELETE", path, NULL, h5);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    r = pw_http("GET", path, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("DELETE", path, NULL, h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("PATCH", path, "{\"title\":\"gone\"}", h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
}
END_TEST

START_TEST(optional_fields_default)
{
    const char *title = pw_unique("Minimal resource");
    const char *h[] = { editor(), NULL };
    char body[512];
    struct pw_resp r;

    snprintf(body,
             sizeof body,
             "{\"kind\":\"project\",\"title\":\"%s\",\"cost\":\"free\",\"level\":\"beginner\"}",
             title);
    r = pw_http("POST", "/v1/resources", body, h);
    ck_assert_int_eq(r.status, 201);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "authors")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "skills")), 0);
    ck_assert(json_is_null(json_object_get(r.json, "url")));
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "summary")), "");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), title);
    pw_resp_free(&r);
}
END_TEST

START_TEST(unknown_skill_is_422_naming_skills)
{
    const char *title = pw_unique("Unknown skill");
    const char *h[] = { editor(), NULL };
    char body[512], path[64], url[256];
    struct pw_resp r;
    json_t *err;

    snprintf(body,
             sizeof body,
             "{\"kind\":\"book\",\"title\":\"%s\",\"cost\":\"free\",\"level\":\"beginner\","
             "\"skills\":[\"python\",\"no-such-skill-here\"]}",
             title);
    r = pw_http("POST", "/v1/resources", body, h);
    pw_assert_problem(&r, 422);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "errors")), 1);
    err = json_array_get(json_object_get(r.json, "errors"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(err, "field")), "skills");
    ck_assert_ptr_nonnull(
        strstr(json_string_value(json_object_get(err, "message")), "no-such-skill-here"));
    pw_resp_free(&r);
    /* Nothing was written. */
    snprintf(url, sizeof url, "/v1/resources?q=%s", title);
    for (char *p = url; *p; p++)
        if (*p == ' ')
            *p = '+';
    json_t *l = collect(url);
    ck_assert_uint_eq(json_array_size(l), 0);
    json_decref(l);

    /* On PATCH too, and the row keeps its skills and version. */
    r = create_resource(title, "book", "beginner", "[\"python\"]");
    ck_assert_int_eq(r.status, 201);
    snprintf(path,
             sizeof path,
             "/v1/resources/%lld",
             (long long) json_integer_value(json_object_get(r.json, "id")));
    pw_resp_free(&r);
    r = pw_http("PATCH", path, "{\"title\":\"renamed\",\"skills\":[\"nope-nope\"]}", h);
    pw_assert_problem(&r, 422);
    err = json_array_get(json_object_get(r.json, "errors"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(err, "field")), "skills");
    pw_resp_free(&r);
    r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), title);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    ck_assert(has_string(json_object_get(r.json, "skills"), "python"));
    pw_resp_free(&r);
}
END_TEST

START_TEST(validation_lists_every_field)
{
    const char *h[] = { editor(), NULL };
    char body[4096], summary[2100];
    struct pw_resp r;
    json_t *errs;
    static const char *const fields[] = { "kind", "title", "authors[1]", "url",  "summary",
                                          "cost", "level", "skills[0]",  "extra" };

    memset(summary, 's', 2001);
    summary[2001] = '\0';
    snprintf(body,
             sizeof body,
             "{\"kind\":\"podcast\",\"title\":\"\",\"authors\":[\"ok\",\"\"],\"url\":\"ftp://x\","
             "\"summary\":\"%s\",\"cost\":\"cheap\",\"skills\":[\"Bad Slug\"],\"extra\":1}",
             summary);
    r = pw_http("POST", "/v1/resources", body, h);
    pw_assert_problem(&r, 422);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "type")), "/problems/validation");
    errs = json_object_get(r.json, "errors");
    ck_assert_uint_eq(json_array_size(errs), sizeof fields / sizeof fields[0]);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errs, i), "field")),
                         fields[i]);
    pw_resp_free(&r);

    /* Array limits, duplicates, nulls, and a PATCH with nothing in it. */
    static const char *const bodies[] = {
        "{\"skills\":[\"sql\",\"sql\"]}",
        /* One element on two lines: parenthesised for clang's -Wstring-concatenation. */
        ("{\"authors\":[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\","
         "\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}"),
        "{\"kind\":null}",
        "{\"authors\":\"Ada\"}",
        "{\"title\":\"two\\nlines\"}",
        "{}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        r = pw_http("PATCH", "/v1/resources/1", bodies[i], h);
        pw_assert_problem(&r, 422);
        pw_resp_free(&r);
    }
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    char www[64];
    struct pw_resp r = pw_http("POST", "/v1/resources", "{}", NULL);

    pw_assert_problem(&r, 401);
    ck_assert(pw_resp_header(&r, "WWW-Authenticate", www, sizeof www));
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/resources", "{}", bad);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/resources", "{}", learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("PATCH", "/v1/resources/1", "{\"title\":\"x\"}", learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("DELETE", "/v1/resources/1", NULL, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("DELETE", "/v1/resources/1", NULL, NULL);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
}
END_TEST

/** Page through @a base @a limit at a time: full pages, Link headers, each of @a n rows once. */
static void
page_through(const char *base, int n, int limit)
{
    char url[1200];
    json_t *seen = json_object();
    int pages = 0;

    snprintf(url, sizeof url, "%s", base);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *data = json_object_get(r.json, "data");
        const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
        char link[1400], key[32];
        size_t i;
        json_t *it;

        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), n);
        ck_assert_int_le((int) json_array_size(data), limit);
        json_array_foreach(data, i, it)
        {
            snprintf(
                key, sizeof key, "%lld", (long long) json_integer_value(json_object_get(it, "id")));
            ck_assert_ptr_null(json_object_get(seen, key));
            json_object_set_new(seen, key, json_true());
        }
        pages++;
        if (next == NULL) {
            ck_assert(!pw_resp_header(&r, "Link", link, sizeof link));
            pw_resp_free(&r);
            break;
        }
        ck_assert_int_eq((int) json_array_size(data), limit);
        ck_assert(pw_resp_header(&r, "Link", link, sizeof link));
        ck_assert_ptr_nonnull(strstr(link, "rel=\"next\""));
        snprintf(url, sizeof url, "%s&cursor=%s", base, next);
        pw_resp_free(&r);
    }
    ck_assert_int_eq(pages, (n + limit - 1) / limit);
    ck_assert_int_eq((int) json_object_size(seen), n);
    json_decref(seen);
}

START_TEST(paging_has_no_gaps_or_duplicates)
{
    static const char *const levels[] = { "advanced", "beginner", "intermediate" };
    const char *prefix = pw_unique("rpage");
    char base[256];
    json_t *all;
    size_t i;
    json_t *it;

    for (int k = 0; k < 27; k++) {
        char title[96];

        snprintf(title, sizeof title, "%s item %02d", prefix, k);
        struct pw_resp c = create_resource(title, "course", levels[k % 3], NULL);
        ck_assert_int_eq(c.status, 201);
        pw_resp_free(&c);
    }

    /* Descending title, 10 a page: 3 pages, strictly ordered. */
    snprintf(base, sizeof base, "/v1/resources?limit=10&sort=-title&count=true&q=%s", prefix);
    page_through(base, 27, 10);
    all = collect(base);
    ck_assert_uint_eq(json_array_size(all), 27);
    json_array_foreach(all, i, it) if (i > 0)
        ck_assert(strcmp(json_string_value(json_object_get(json_array_get(all, i - 1), "title")),
                         json_string_value(json_object_get(it, "title"))) > 0);
    json_decref(all);

    /* By level (difficulty, with many ties broken by id), 4 a page. */
    snprintf(base, sizeof base, "/v1/resources?limit=4&sort=level&count=true&q=%s", prefix);
    page_through(base, 27, 4);
    all = collect(base);
    ck_assert_uint_eq(json_array_size(all), 27);
    static const char *const order[] = { "beginner", "intermediate", "advanced" };
    int rank = 0;
    json_array_foreach(all, i, it)
    {
        const char *lv = json_string_value(json_object_get(it, "level"));

        while (rank < 3 && strcmp(lv, order[rank]) != 0)
            rank++;
        ck_assert_int_lt(rank, 3); /* never goes back to an easier level */
    }
    json_decref(all);

    /* And newest first by created_at, with the kind filter on. */
    snprintf(base,
             sizeof base,
             "/v1/resources?limit=7&sort=-created_at&kind=course&count=true&q=%s",
             prefix);
    page_through(base, 27, 7);
}
END_TEST

START_TEST(list_etag)
{
    struct pw_resp r = pw_http("GET", "/v1/resources?kind=book&limit=3", NULL, NULL);
    char etag[64], inm[96];

    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    r = pw_http("GET", "/v1/resources?kind=book&limit=3", NULL, h);
    ck_assert_int_eq(r.status, 304);
    pw_resp_free(&r);
}
END_TEST

/* ---- a step's resources ------------------------------------------------------ */

START_TEST(seeded_step_lists_its_resources)
{
    char step[24], path[96];
    json_t *l;
    size_t i;
    json_t *it;

    seeded_step_id(1, 1, step, sizeof step); /* "Choose and master one programming language" */
    snprintf(path, sizeof path, "/v1/steps/%s/resources?limit=2", step);
    l = collect(path);
    ck_assert_int_ge((int) json_array_size(l), 7);
    ck_assert_int_eq(count_title(l, "A Byte of Python"), 1);
    ck_assert_ptr_nonnull(find_title(l, "The Python Tutorial"));
    ck_assert_ptr_nonnull(find_title(l, "Python Cookbook"));
    ck_assert_ptr_null(find_title(l, "StrataScratch"));
    /* Default order is by title, and each item is exactly the catalogue's object. */
    json_array_foreach(l, i, it)
    {
        char rpath[64];

        if (i > 0)
            ck_assert(strcmp(json_string_value(json_object_get(json_array_get(l, i - 1), "title")),
                             json_string_value(json_object_get(it, "title"))) <= 0);
        snprintf(rpath,
                 sizeof rpath,
                 "/v1/resources/%lld",
                 (long long) json_integer_value(json_object_get(it, "id")));
        struct pw_resp r = pw_http("GET", rpath, NULL, NULL);
        ck_assert_int_eq(r.status, 200);
        ck_assert(json_equal(r.json, it));
        pw_resp_free(&r);
    }
    json_decref(l);

    /* The envelope: data + next_cursor, Link, count, sorts. */
    snprintf(path, sizeof path, "/v1/steps/%s/resources?limit=2&count=true&sort=-level", step);
    struct pw_resp r = pw_http("GET", path, NULL, NULL);
    char link[512];
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 2);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r.json, "next_cursor")));
    ck_assert_int_ge(json_integer_value(json_object_get(r.json, "total")), 7);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r.json, "data"), 0), "level")),
                     "advanced");
    ck_assert(pw_resp_header(&r, "Link", link, sizeof link));
    ck_assert_ptr_nonnull(strstr(link, "/resources?"));
    pw_resp_free(&r);

    /* A step with no resources is an empty list, not a 404. */
    seeded_step_id(1, 5, step, sizeof step); /* "Development environment and Git" */
    snprintf(path, sizeof path, "/v1/steps/%s/resources", step);
    r = pw_http("GET", path, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_is_array(json_object_get(r.json, "data")));
    pw_resp_free(&r);
}
END_TEST

START_TEST(link_and_unlink_round_trip)
{
    const char *title = pw_unique("Linked resource");
    const char *h[] = { editor(), NULL };
    char step[24], rid[24], link[128], list[128], msg[160];
    struct pw_resp r;
    json_t *l;

    seeded_step_id(2, 3, step, sizeof step);
    create_resource_id(title, rid, sizeof rid);
    snprintf(link, sizeof link, "/v1/steps/%s/resources/%s", step, rid);
    snprintf(list, sizeof list, "/v1/steps/%s/resources?limit=100", step);

    l = collect(list);
    ck_assert_ptr_null(find_title(l, title));
    json_decref(l);

    /* PUT links, and PUT again is the same 204 with still one link. */
    for (int k = 0; k < 2; k++) {
        r = pw_http("PUT", link, NULL, h);
        ck_assert_int_eq(r.status, 204);
        ck_assert_uint_eq(r.len, 0);
        pw_resp_free(&r);
        l = collect(list);
        ck_assert_int_eq(count_title(l, title), 1);
        json_decref(l);
    }

    /* DELETE unlinks; a second DELETE finds no link. */
    r = pw_http("DELETE", link, NULL, h);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    l = collect(list);
    ck_assert_ptr_null(find_title(l, title));
    json_decref(l);
    r = pw_http("DELETE", link, NULL, h);
    pw_assert_problem(&r, 404);
    snprintf(msg, sizeof msg, "resource %s is not linked to step %s", rid, step);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "detail")), msg);
    pw_resp_free(&r);

    /* Deleting a linked resource removes it from the step's list. */
    r = pw_http("PUT", link, NULL, h);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    snprintf(msg, sizeof msg, "/v1/resources/%s", rid);
    r = pw_http("DELETE", msg, NULL, h);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    l = collect(list);
    ck_assert_ptr_null(find_title(l, title));
    json_decref(l);
}
END_TEST

START_TEST(missing_step_resource_or_link_is_404)
{
    const char *h[] = { editor(), NULL };
    char step[24], rid[24], path[128];
    struct pw_resp r;

    seeded_step_id(1, 1, step, sizeof step);
    create_resource_id(pw_unique("Never linked"), rid, sizeof rid);

    r = pw_http("GET", "/v1/steps/9223372036854775807/resources", NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);

    snprintf(path, sizeof path, "/v1/steps/9223372036854775807/resources/%s", rid);
    r = pw_http("PUT", path, NULL, h);
    pw_assert_problem(&r, 404);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "detail")),
                     "step 9223372036854775807 does not exist");
    pw_resp_free(&r);
    r = pw_http("DELETE", path, NULL, h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);

    snprintf(path, sizeof path, "/v1/steps/%s/resources/9223372036854775807", step);
    r = pw_http("PUT", path, NULL, h);
    pw_assert_problem(&r, 404);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "detail")),
                     "resource 9223372036854775807 does not exist");
    pw_resp_free(&r);
    r = pw_http("DELETE", path, NULL, h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);

    /* Both exist, never linked. */
    snprintf(path, sizeof path, "/v1/steps/%s/resources/%s", step, rid);
    r = pw_http("DELETE", path, NULL, h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);

    /* Ids that are not positive integers never reach a handler. */
    r = pw_http("PUT", "/v1/steps/0/resources/1", NULL, h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("PUT", "/v1/steps/1/resources/abc", NULL, h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    /* Wrong method on a link: 405 with Allow. */
    r = pw_http("GET", path, NULL, NULL);
    pw_assert_problem(&r, 405);
    pw_resp_free(&r);
}
END_TEST

START_TEST(links_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    char step[24], path[128];
    struct pw_resp r;

    seeded_step_id(1, 1, step, sizeof step);
    snprintf(path, sizeof path, "/v1/steps/%s/resources/1", step);
    r = pw_http("PUT", path, NULL, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("DELETE", path, NULL, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("PUT", path, NULL, NULL);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("DELETE", path, NULL, NULL);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
}
END_TEST

static Suite *
resources_suite(void)
{
    Suite *s = suite_create("resources");
    TCase *tc = tcase_create("catalogue");
    TCase *links = tcase_create("step_links");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_books_have_their_authors);
    tcase_add_test(tc, filters_work_and_combine);
    tcase_add_test(tc, bad_list_queries_are_400);
    tcase_add_test(tc, crud_round_trip_with_skills);
    tcase_add_test(tc, optional_fields_default);
    tcase_add_test(tc, unknown_skill_is_422_naming_skills);
    tcase_add_test(tc, validation_lists_every_field);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, paging_has_no_gaps_or_duplicates);
    tcase_add_test(tc, list_etag);
    suite_add_tcase(s, tc);

    tcase_add_unchecked_fixture(links, setup, teardown);
    tcase_set_timeout(links, 120);
    tcase_add_test(links, seeded_step_lists_its_resources);
    tcase_add_test(links, link_and_unlink_round_trip);
    tcase_add_test(links, missing_step_resource_or_link_is_404);
    tcase_add_test(links, links_need_editor);
    suite_add_tcase(s, links);
    return s;
}

PW_IT_MAIN(resources_suite)
