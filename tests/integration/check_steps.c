/**
 * @file check_steps.c
 * @brief The steps resource end to end: nested list and create under a
 *        stage, skills and prerequisites links, the prerequisite rules
 *        (same path, no self, no cycles, also under concurrent writes),
 *        ETags, paging, 404s and auth.
 *
 * Tests never modify the seeded steps: every write goes to a path and
 * stage created here with unique slugs, so the suite can run again on the
 * same database.
 */
#include "harness.h"
#include "check_main.h"

#include <libpq-fe.h>
#include <pthread.h>
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

/** First column of the first row of @a sql into @a out (setup queries only). */
static void
sql_value(const char *sql, char *out, size_t cap)
{
    PGconn *c = PQconnectdb(getenv("PW_TEST_DATABASE_URL"));
    PGresult *res;

    ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
    res = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1,
                  "%s: %s",
                  sql,
                  PQresultErrorMessage(res));
    snprintf(out, cap, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(c);
}

/**
 * A new path (unique slug into @a path_slug) with one stage; its id into
 * @a stage_id. POST /v1/paths and its stages are other branches' work, so
 * these rows are written directly.
 */
static void
make_stage(char *stage_id, size_t cap, char *path_slug, size_t slug_cap)
{
    char sql[512];

    snprintf(path_slug, slug_cap, "%s", pw_unique("steps-path"));
    snprintf(sql,
             sizeof sql,
             "WITH p AS (INSERT INTO paths (slug, title) VALUES ('%s', 'Steps test path')"
             " RETURNING id)"
             " INSERT INTO stages (path_id, position, title) SELECT id, 1, 'Only stage' FROM p"
             " RETURNING id",
             path_slug);
    sql_value(sql, stage_id, cap);
}

static const char *
editor(void)
{
    return pw_auth_header(PW_ROLE_EDITOR);
}

/** POST a step under @a stage with @a position, @a title and extra members. */
static struct pw_resp
post_step(const char *stage, int position, const char *title, const char *extra)
{
    char url[96], body[1024];
    const char *h[] = { editor(), NULL };

    snprintf(url, sizeof url, "/v1/stages/%s/steps", stage);
    snprintf(body,
             sizeof body,
             "{\"position\":%d,\"title\":\"%s\"%s%s}",
             position,
             title,
             extra ? "," : "",
             extra ? extra : "");
    return pw_http("POST", url, body, h);
}

/** POST a step that must be created; @return its id. */
static long long
new_step(const char *stage, int position, const char *title, const char *extra)
{
    struct pw_resp r = post_step(stage, position, title, extra);
    long long id;

    ck_assert_msg(r.status == 201, "create step: %ld %s", r.status, r.body);
    id = json_integer_value(json_object_get(r.json, "id"));
    ck_assert_int_gt(id, 0);
    pw_resp_free(&r);
    return id;
}

static struct pw_resp
patch_step(long long id, const char *body)
{
    char url[64];
    const char *h[] = { editor(), NULL };

    snprintf(url, sizeof url, "/v1/steps/%lld", id);
    return pw_http("PATCH", url, body, h);
}

static struct pw_resp
get_step(long long id)
{
    char url[64];

    snprintf(url, sizeof url, "/v1/steps/%lld", id);
    return pw_http("GET", url, NULL, NULL);
}

/** The JSON array text of @a field in @a r (compact, for exact comparisons). */
static char *
array_text(const struct pw_resp *r, const char *field)
{
    json_t *a = json_object_get(r->json, field);

    ck_assert_msg(json_is_array(a), "%s is not an array in %s", field, r->body);
    return json_dumps(a, JSON_COMPACT);
}

static void
assert_array(const struct pw_resp *r, const char *field, const char *want)
{
    char *got = array_text(r, field);

    ck_assert_str_eq(got, want);
    free(got);
}

/** A 422 naming @a field whose message contains @a needle. */
static void
assert_invalid(struct pw_resp *r, const char *field, const char *needle)
{
    json_t *errs;
    const char *msg;

    pw_assert_problem(r, 422);
    errs = json_object_get(r->json, "errors");
    ck_assert_uint_eq(json_array_size(errs), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errs, 0), "field")), field);
    msg = json_string_value(json_object_get(json_array_get(errs, 0), "message"));
    ck_assert_ptr_nonnull(msg);
    ck_assert_msg(strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg, needle);
}

/** Prerequisites of step @a id as JSON text, e.g. "[3,4]". */
static void
assert_prerequisites(long long id, const char *want)
{
    struct pw_resp r = get_step(id);

    ck_assert_int_eq(r.status, 200);
    assert_array(&r, "prerequisites", want);
    pw_resp_free(&r);
}

START_TEST(seeded_foundation_stage_lists_its_steps)
{
    static const char *const topics = "[\"variables and data\",\"comparison operators\",\"loops\","
                                      "\"lists\",\"functions\",\"dictionaries\","
                                      "\"errors and exceptions\"]";
    char stage[32], url[96];
    struct pw_resp r;
    json_t *data;

    sql_value("SELECT s.id FROM stages s JOIN paths p ON p.id = s.path_id"
              " WHERE p.slug = 'backend-developer' AND s.title = 'Foundation'",
              stage,
              sizeof stage);
    snprintf(url, sizeof url, "/v1/stages/%s/steps", stage);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    data = json_object_get(r.json, "data");
    ck_assert_uint_eq(json_array_size(data), 5);
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    for (size_t i = 0; i < 5; i++) {
        json_t *s = json_array_get(data, i);

        ck_assert_int_eq(json_integer_value(json_object_get(s, "position")), (long long) i + 1);
        ck_assert_int_eq(json_integer_value(json_object_get(s, "stage_id")), atoll(stage));
        ck_assert_str_eq(json_string_value(json_object_get(s, "path")), "backend-developer");
    }
    json_t *first = json_array_get(data, 0);
    char *got = json_dumps(json_object_get(first, "topics"), JSON_COMPACT);
    ck_assert_str_eq(got, topics);
    free(got);
    ck_assert_str_eq(json_string_value(json_object_get(first, "title")),
                     "Choose and master one programming language");
    ck_assert_int_eq(json_integer_value(json_object_get(first, "estimated_hours")), 60);
    /* The second step requires the first, in the seed. */
    json_t *pre = json_object_get(json_array_get(data, 1), "prerequisites");
    ck_assert_uint_eq(json_array_size(pre), 1);
    ck_assert_int_eq(json_integer_value(json_array_get(pre, 0)),
                     json_integer_value(json_object_get(first, "id")));
    pw_resp_free(&r);

    /* Descending by position reverses it. */
    snprintf(url, sizeof url, "/v1/stages/%s/steps?sort=-position", stage);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(json_object_get(r.json, "data"), 0), "position")),
                     5);
    pw_resp_free(&r);
}
END_TEST

START_TEST(create_with_links_and_read_back)
{
    char stage[32], path[96], loc[96], want_loc[96], want[64], extra[256];
    long long p1, p2, id;
    struct pw_resp r, g;

    make_stage(stage, sizeof stage, path, sizeof path);
    p1 = new_step(stage, 1, "First", NULL);
    p2 = new_step(stage, 2, "Second", NULL);
    snprintf(want, sizeof want, "\"prerequisites\":[%lld,%lld]", p2, p1);
    r = post_step(stage,
                  3,
                  "Third",
                  "\"description\":\"line one\\nline two\",\"topics\":[\"a\",\"b c\"],"
                  "\"estimated_hours\":12,\"skills\":[\"python\",\"go\",\"sql\"],"
                  "\"prerequisites\":[0]");
    /* 0 is not a step id: refused by the spec before any SQL. */
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
    snprintf(extra,
             sizeof extra,
             "\"description\":\"line one\\nline two\",\"topics\":[\"a\",\"b c\"],"
             "\"estimated_hours\":12,\"skills\":[\"python\",\"go\",\"sql\"],%s",
             want);
    r = post_step(stage, 3, "Third", extra);
    ck_assert_int_eq(r.status, 201);
    id = json_integer_value(json_object_get(r.json, "id"));
    snprintf(want_loc, sizeof want_loc, "/v1/steps/%lld", id);
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    ck_assert_str_eq(loc, want_loc);
    ck_assert(pw_resp_header(&r, "ETag", loc, sizeof loc));
    ck_assert_str_eq(loc, "W/\"1\"");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "stage_id")), atoll(stage));
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "path")), path);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "position")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), "Third");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "description")),
                     "line one\nline two");
    assert_array(&r, "topics", "[\"a\",\"b c\"]");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "estimated_hours")), 12);
    assert_array(&r, "skills", "[\"go\",\"python\",\"sql\"]"); /* ordered by slug */
    snprintf(want, sizeof want, "[%lld,%lld]", p1, p2);        /* ascending */
    assert_array(&r, "prerequisites", want);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r.json, "created_at")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r.json, "updated_at")));
    ck_assert_uint_eq(json_object_size(r.json), 13);

    /* A later GET answers exactly what the write answered. */
    g = get_step(id);
    ck_assert_int_eq(g.status, 200);
    ck_assert(json_equal(g.json, r.json));
    pw_resp_free(&g);
    pw_resp_free(&r);

    /* Defaults of the optional fields. */
    r = get_step(p1);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "description")), "");
    assert_array(&r, "topics", "[]");
    assert_array(&r, "skills", "[]");
    assert_array(&r, "prerequisites", "[]");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "estimated_hours")), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(patch_replaces_and_clears_skills)
{
    char stage[32], path[96], want[64];
    long long p1, id;
    struct pw_resp r;

    make_stage(stage, sizeof stage, path, sizeof path);
    p1 = new_step(stage, 1, "Base", NULL);
    snprintf(want, sizeof want, "\"skills\":[\"go\",\"rust\"],\"prerequisites\":[%lld]", p1);
    id = new_step(stage, 2, "Linked", want);

    r = patch_step(id, "{\"skills\":[\"sql\",\"docker\"]}");
    ck_assert_int_eq(r.status, 200);
    assert_array(&r, "skills", "[\"docker\",\"sql\"]");
    snprintf(want, sizeof want, "[%lld]", p1);
    assert_array(&r, "prerequisites", want); /* absent field: links untouched */
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), "Linked");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    pw_resp_free(&r);

    r = patch_step(id, "{\"skills\":[],\"title\":\"Renamed\",\"topics\":[\"x\"]}");
    ck_assert_int_eq(r.status, 200);
    assert_array(&r, "skills", "[]");
    assert_array(&r, "topics", "[\"x\"]");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), "Renamed");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 3);
    pw_resp_free(&r);
    r = get_step(id);
    assert_array(&r, "skills", "[]");
    assert_array(&r, "prerequisites", want);
    pw_resp_free(&r);

    r = patch_step(id, "{\"prerequisites\":[]}");
    ck_assert_int_eq(r.status, 200);
    assert_array(&r, "prerequisites", "[]");
    pw_resp_free(&r);
}
END_TEST

START_TEST(unknown_links_are_422)
{
    char stage[32], path[96], url[96];
    long long id;
    struct pw_resp r;

    make_stage(stage, sizeof stage, path, sizeof path);
    r = post_step(stage, 1, "Bad skill", "\"skills\":[\"go\",\"no-such-skill\"]");
    assert_invalid(&r, "skills", "unknown skill: no-such-skill");
    pw_resp_free(&r);
    r = post_step(stage, 1, "Bad prerequisite", "\"prerequisites\":[999999999999]");
    assert_invalid(&r, "prerequisites", "999999999999");
    pw_resp_free(&r);
    /* Nothing was created by the refused writes. */
    snprintf(url, sizeof url, "/v1/stages/%s/steps?count=true", stage);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 0);
    pw_resp_free(&r);

    id = new_step(stage, 1, "Good", "\"skills\":[\"go\"]");
    r = patch_step(id, "{\"skills\":[\"nope-nope\"]}");
    assert_invalid(&r, "skills", "unknown skill: nope-nope");
    pw_resp_free(&r);
    r = patch_step(id, "{\"prerequisites\":[999999999998]}");
    assert_invalid(&r, "prerequisites", "999999999998");
    pw_resp_free(&r);
    r = get_step(id);
    assert_array(&r, "skills", "[\"go\"]");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    pw_resp_free(&r);
}
END_TEST

START_TEST(self_prerequisite_is_422)
{
    char stage[32], path[96], body[64];
    long long a, b;
    struct pw_resp r;

    make_stage(stage, sizeof stage, path, sizeof path);
    a = new_step(stage, 1, "A", NULL);
    b = new_step(stage, 2, "B", NULL);
    snprintf(body, sizeof body, "{\"prerequisites\":[%lld]}", b);
    r = patch_step(a, body);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    snprintf(body, sizeof body, "{\"prerequisites\":[%lld,%lld]}", b, a);
    r = patch_step(a, body);
    assert_invalid(&r, "prerequisites", "itself");
    pw_resp_free(&r);
    snprintf(body, sizeof body, "[%lld]", b);
    assert_prerequisites(a, body); /* the refused write changed nothing */
}
END_TEST

START_TEST(cycles_are_rejected)
{
    char stage[32], path[96], body[64], want[64];
    long long a, b, c, d;
    struct pw_resp r;

    make_stage(stage, sizeof stage, path, sizeof path);
    a = new_step(stage, 1, "A", NULL);
    b = new_step(stage, 2, "B", NULL);
    c = new_step(stage, 3, "C", NULL);

    /* Two: A requires B, then B requires A. */
    snprintf(body, sizeof body, "{\"prerequisites\":[%lld]}", b);
    r = patch_step(a, body);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    snprintf(body, sizeof body, "{\"prerequisites\":[%lld]}", a);
    r = patch_step(b, body);
    assert_invalid(&r, "prerequisites", "cycle");
    pw_resp_free(&r);
    assert_prerequisites(b, "[]");

    /* Three: A requires B, B requires C, then C requires A. */
    snprintf(body, sizeof body, "{\"prerequisites\":[%lld]}", c);
    r = patch_step(b, body);
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    snprintf(body, sizeof body, "{\"title\":\"C2\",\"prerequisites\":[%lld]}", a);
    r = patch_step(c, body);
    assert_invalid(&r, "prerequisites", "cycle");
    pw_resp_free(&r);
    r = get_step(c);
    assert_array(&r, "prerequisites", "[]");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), "C"); /* rolled back */
    pw_resp_free(&r);

    /* A new step D requiring A and C is fine; then C requiring D closes D -> C -> D. */
    snprintf(body, sizeof body, "\"prerequisites\":[%lld,%lld]", a, c);
    d = new_step(stage, 4, "D", body);
    snprintf(body, sizeof body, "{\"prerequisites\":[%lld]}", d);
    r = patch_step(c, body);
    assert_invalid(&r, "prerequisites", "cycle");
    pw_resp_free(&r);

    /* Diamonds are not cycles: D requires A and C, A requires B, B requires C. */
    snprintf(body, sizeof body, "{\"prerequisites\":[%lld,%lld,%lld]}", a, b, c);
    r = patch_step(d, body);
    ck_assert_int_eq(r.status, 200);
    snprintf(want, sizeof want, "[%lld,%lld,%lld]", a, b, c);
    assert_array(&r, "prerequisites", want);
    pw_resp_free(&r);
}
END_TEST

START_TEST(prerequisite_from_another_path_is_422)
{
    char stage1[32], path1[96], stage2[32], path2[96], body[64];
    long long x, y, z;
    struct pw_resp r;

    make_stage(stage1, sizeof stage1, path1, sizeof path1);
    make_stage(stage2, sizeof stage2, path2, sizeof path2);
    x = new_step(stage1, 1, "X", NULL);
    y = new_step(stage2, 1, "Y", NULL);
    snprintf(body, sizeof body, "{\"prerequisites\":[%lld]}", y);
    r = patch_step(x, body);
    assert_invalid(&r, "prerequisites", "another path");
    pw_resp_free(&r);
    assert_prerequisites(x, "[]");

    snprintf(body, sizeof body, "\"prerequisites\":[%lld]", y);
    r = post_step(stage1, 2, "Z", body);
    assert_invalid(&r, "prerequisites", "another path");
    pw_resp_free(&r);
    /* Same path is fine. */
    snprintf(body, sizeof body, "\"prerequisites\":[%lld]", x);
    z = new_step(stage1, 2, "Z", body);
    ck_assert_int_gt(z, x);
}
END_TEST

START_TEST(delete_removes_it_from_prerequisites)
{
    char stage[32], path[96], body[64], url[64];
    long long a, b, c;
    const char *h[] = { editor(), NULL };
    struct pw_resp r;

    make_stage(stage, sizeof stage, path, sizeof path);
    a = new_step(stage, 1, "A", NULL);
    c = new_step(stage, 2, "C", NULL);
    snprintf(body, sizeof body, "\"prerequisites\":[%lld,%lld]", a, c);
    b = new_step(stage, 3, "B", body);
    snprintf(url, sizeof url, "/v1/steps/%lld", a);
    r = pw_http("DELETE", url, NULL, h);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    snprintf(body, sizeof body, "[%lld]", c);
    assert_prerequisites(b, body);
}
END_TEST

START_TEST(position_conflict_is_409)
{
    char stage[32], path[96];
    long long b;
    struct pw_resp r;
    json_t *e;

    make_stage(stage, sizeof stage, path, sizeof path);
    new_step(stage, 1, "A", NULL);
    b = new_step(stage, 2, "B", NULL);
    r = post_step(stage, 1, "Again", NULL);
    pw_assert_problem(&r, 409);
    e = json_array_get(json_object_get(r.json, "errors"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "field")), "position");
    pw_resp_free(&r);
    r = patch_step(b, "{\"position\":1}");
    pw_assert_problem(&r, 409);
    e = json_array_get(json_object_get(r.json, "errors"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "field")), "position");
    pw_resp_free(&r);
}
END_TEST

START_TEST(validation_lists_every_field)
{
    char stage[32], path[96], url[96];
    const char *h[] = { editor(), NULL };
    const char *fields[] = { "position",        "title",  "description",   "topics",
                             "estimated_hours", "skills", "prerequisites", "stage_id" };
    struct pw_resp r;
    json_t *errs;

    make_stage(stage, sizeof stage, path, sizeof path);
    snprintf(url, sizeof url, "/v1/stages/%s/steps", stage);
    r = pw_http("POST",
                url,
                "{\"position\":0,\"description\":\"bell\\u0007\",\"topics\":[\"\"],"
                "\"estimated_hours\":10001,\"skills\":[\"go\",\"go\"],"
                "\"prerequisites\":[1,1],\"stage_id\":1}",
                h);
    pw_assert_problem(&r, 422);
    errs = json_object_get(r.json, "errors");
    ck_assert_msg(json_array_size(errs) == 8, "%s", r.body);
    for (size_t i = 0; i < 8; i++) {
        const char *f = json_string_value(json_object_get(json_array_get(errs, i), "field"));

        ck_assert_ptr_nonnull(f);
        ck_assert_msg(strncmp(f, fields[i], strlen(fields[i])) == 0, "%s vs %s", f, fields[i]);
    }
    pw_resp_free(&r);

    r = pw_http("PATCH", "/v1/steps/1", "{}", h);
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/stages/1/steps?sort=stage_id", NULL, NULL);
    pw_assert_problem(&r, 400);
    pw_resp_free(&r);
}
END_TEST

START_TEST(not_found)
{
    const char *h[] = { editor(), NULL };
    static const char *const gets[] = {
        "/v1/stages/999999999/steps",
        "/v1/steps/0",
        "/v1/steps/999999999",
    };
    struct pw_resp r;

    for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) {
        r = pw_http("GET", gets[i], NULL, NULL);
        pw_assert_problem(&r, 404);
        pw_resp_free(&r);
    }
    r = pw_http("POST", "/v1/stages/999999999/steps", "{\"position\":1,\"title\":\"x\"}", h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("PATCH", "/v1/steps/999999999", "{\"title\":\"x\"}", h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("DELETE", "/v1/steps/999999999", NULL, h);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
}
END_TEST

START_TEST(etag_if_match_round_trip)
{
    char stage[32], path[96], url[64], etag[64];
    long long id;
    struct pw_resp r;

    make_stage(stage, sizeof stage, path, sizeof path);
    id = new_step(stage, 1, "Versioned", NULL);
    snprintf(url, sizeof url, "/v1/steps/%lld", id);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert(pw_resp_header(&r, "Cache-Control", etag, sizeof etag));
    ck_assert_str_eq(etag, "public, max-age=60");
    pw_resp_free(&r);

    const char *v1[] = { editor(), "If-Match: W/\"1\"", NULL };
    r = pw_http("PATCH", url, "{\"estimated_hours\":7}", v1);
    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"2\"");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "estimated_hours")), 7);
    pw_resp_free(&r);
    r = pw_http("PATCH", url, "{\"estimated_hours\":8}", v1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);

    const char *inm[] = { "If-None-Match: W/\"2\"", NULL };
    r = pw_http("GET", url, NULL, inm);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.len, 0);
    pw_resp_free(&r);

    r = pw_http("DELETE", url, NULL, v1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);
    const char *v2[] = { editor(), "If-Match: W/\"2\"", NULL };
    r = pw_http("DELETE", url, NULL, v2);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
}
END_TEST

/** Walk every page of @a base (has a '?'); check order with @a field, no gaps. */
static void
walk_pages(const char *base, const char *field, int desc, int want_total, int want_pages)
{
    char url[1200];
    json_t *seen = json_object();
    int pages = 0;
    long long prev_value = 0, prev_id = 0;

    snprintf(url, sizeof url, "%s", base);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *data = json_object_get(r.json, "data");
        const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
        char link[1400];

        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), want_total);
        for (size_t i = 0; i < json_array_size(data); i++) {
            json_t *s = json_array_get(data, i);
            long long id = json_integer_value(json_object_get(s, "id"));
            long long v = json_integer_value(json_object_get(s, field));
            char key[32];

            snprintf(key, sizeof key, "%lld", id);
            ck_assert_ptr_null(json_object_get(seen, key));
            json_object_set_new(seen, key, json_true());
            if (json_object_size(seen) > 1) /* (value, id) keyset order, across pages too */
                ck_assert(desc ? (v < prev_value || (v == prev_value && id < prev_id))
                               : (v > prev_value || (v == prev_value && id > prev_id)));
            prev_value = v;
            prev_id = id;
        }
        pages++;
        if (next == NULL) {
            ck_assert(!pw_resp_header(&r, "Link", link, sizeof link));
            pw_resp_free(&r);
            break;
        }
        ck_assert(pw_resp_header(&r, "Link", link, sizeof link));
        ck_assert_ptr_nonnull(strstr(link, "rel=\"next\""));
        snprintf(url, sizeof url, "%s&cursor=%s", base, next);
        pw_resp_free(&r);
    }
    ck_assert_int_eq(pages, want_pages);
    ck_assert_uint_eq(json_object_size(seen), (size_t) want_total);
    json_decref(seen);
}

START_TEST(paging_has_no_gaps_or_duplicates)
{
    char stage[32], path[96], base[200];

    make_stage(stage, sizeof stage, path, sizeof path);
    /* Created out of position order; estimated_hours repeat (ties on the sort key). */
    for (int i = 0; i < 27; i++) {
        char title[32], extra[64];
        int position = (i * 10) % 27 + 1;

        snprintf(title, sizeof title, "Step %02d", position);
        snprintf(extra, sizeof extra, "\"estimated_hours\":%d", (i % 4) * 5);
        new_step(stage, position, title, extra);
    }
    snprintf(base, sizeof base, "/v1/stages/%s/steps?limit=10&count=true", stage);
    walk_pages(base, "position", 0, 27, 3);
    snprintf(base, sizeof base, "/v1/stages/%s/steps?limit=10&count=true&sort=-position", stage);
    walk_pages(base, "position", 1, 27, 3);
    snprintf(
        base, sizeof base, "/v1/stages/%s/steps?limit=4&count=true&sort=estimated_hours", stage);
    walk_pages(base, "estimated_hours", 0, 27, 7);
    snprintf(
        base, sizeof base, "/v1/stages/%s/steps?limit=5&count=true&sort=-estimated_hours", stage);
    walk_pages(base, "estimated_hours", 1, 27, 6);
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    const char *body = "{\"position\":1,\"title\":\"x\"}";
    char stage[32], path[96], url[96], item[64], www[64];
    long long id;
    struct pw_resp r;

    make_stage(stage, sizeof stage, path, sizeof path);
    id = new_step(stage, 1, "Guarded", NULL);
    snprintf(url, sizeof url, "/v1/stages/%s/steps", stage);
    snprintf(item, sizeof item, "/v1/steps/%lld", id);
    r = pw_http("POST", url, body, NULL);
    pw_assert_problem(&r, 401);
    ck_assert(pw_resp_header(&r, "WWW-Authenticate", www, sizeof www));
    pw_resp_free(&r);
    r = pw_http("PATCH", item, "{\"title\":\"y\"}", bad);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("DELETE", item, NULL, NULL);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("POST", url, body, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("PATCH", item, "{\"title\":\"y\"}", learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("DELETE", item, NULL, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    /* Reads are public, and the step is untouched. */
    r = pw_http("GET", item, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), "Guarded");
    pw_resp_free(&r);
}
END_TEST

/* ---- concurrent writers ------------------------------------------------- */

#define RACE_PAIRS 12

struct racer {
    pthread_barrier_t *start;
    char request[2048];
    long status;
};

static void *
race(void *cls)
{
    struct racer *r = cls;
    char reply[8192];

    pthread_barrier_wait(r->start);
    r->status = pw_http_raw(r->request, strlen(r->request), reply, sizeof reply);
    return NULL;
}

static void
race_request(struct racer *r, long long id, long long requires)
{
    char body[64];

    snprintf(body, sizeof body, "{\"prerequisites\":[%lld]}", requires);
    snprintf(r->request,
             sizeof r->request,
             "PATCH /v1/steps/%lld HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n%s",
             id,
             editor(),
             strlen(body),
             body);
}

/*
 * A requires B and B requires A, written at the same moment: under READ
 * COMMITTED each cycle check alone would pass. Exactly one may win.
 */
START_TEST(concurrent_writes_cannot_form_a_cycle)
{
    char stage[32], path[96];
    long long a[RACE_PAIRS], b[RACE_PAIRS];
    struct racer rs[2];
    pthread_barrier_t start;
    pthread_t th[2];

    make_stage(stage, sizeof stage, path, sizeof path);
    for (int i = 0; i < RACE_PAIRS; i++) {
        a[i] = new_step(stage, 2 * i + 1, "A", NULL);
        b[i] = new_step(stage, 2 * i + 2, "B", NULL);
    }
    for (int i = 0; i < RACE_PAIRS; i++) {
        pthread_barrier_init(&start, NULL, 2);
        race_request(&rs[0], a[i], b[i]);
        race_request(&rs[1], b[i], a[i]);
        for (int k = 0; k < 2; k++) {
            rs[k].start = &start;
            ck_assert_int_eq(pthread_create(&th[k], NULL, race, &rs[k]), 0);
        }
        for (int k = 0; k < 2; k++)
            pthread_join(th[k], NULL);
        pthread_barrier_destroy(&start);
        ck_assert_msg((rs[0].status == 200 && rs[1].status == 422) ||
                          (rs[0].status == 422 && rs[1].status == 200),
                      "pair %d: %ld and %ld",
                      i,
                      rs[0].status,
                      rs[1].status);
    }
    /* And the stored graph agrees: in each pair only one edge. */
    for (int i = 0; i < RACE_PAIRS; i++) {
        struct pw_resp ra = get_step(a[i]), rb = get_step(b[i]);
        size_t na = json_array_size(json_object_get(ra.json, "prerequisites"));
        size_t nb = json_array_size(json_object_get(rb.json, "prerequisites"));

        ck_assert_uint_eq(na + nb, 1);
        pw_resp_free(&ra);
        pw_resp_free(&rb);
    }
}
END_TEST

static Suite *
steps_suite(void)
{
    Suite *s = suite_create("steps");
    TCase *tc = tcase_create("steps");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_foundation_stage_lists_its_steps);
    tcase_add_test(tc, create_with_links_and_read_back);
    tcase_add_test(tc, patch_replaces_and_clears_skills);
    tcase_add_test(tc, unknown_links_are_422);
    tcase_add_test(tc, self_prerequisite_is_422);
    tcase_add_test(tc, cycles_are_rejected);
    tcase_add_test(tc, prerequisite_from_another_path_is_422);
    tcase_add_test(tc, delete_removes_it_from_prerequisites);
    tcase_add_test(tc, position_conflict_is_409);
    tcase_add_test(tc, validation_lists_every_field);
    tcase_add_test(tc, not_found);
    tcase_add_test(tc, etag_if_match_round_trip);
    tcase_add_test(tc, paging_has_no_gaps_or_duplicates);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, concurrent_writes_cannot_form_a_cycle);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(steps_suite)
