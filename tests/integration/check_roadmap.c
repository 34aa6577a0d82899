/**
 * @file check_roadmap.c
 * @brief GET /v1/paths/{slug}/roadmap end to end: the seeded document (with
 *        its salary bands and related paths), its shape and orderings, empty
 *        paths, errors, ETags and caching.
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

static const char seeded[] = "/v1/paths/backend-developer/roadmap";

static json_int_t
int_of(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
    return json_integer_value(v);
}

static const char *
str_of(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    ck_assert_msg(s != NULL, "'%s' is not a string", key);
    return s;
}

static json_t *
array_of(const json_t *obj, const char *key)
{
    json_t *a = json_object_get(obj, key);

    ck_assert_msg(json_is_array(a), "'%s' is not an array", key);
    return a;
}

/** True when some object of @a arr has @a key equal to @a value. */
static int
has_item(const json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *it;

    json_array_foreach(arr, i, it)
    {
        const char *s = json_string_value(json_object_get(it, key));

        if (s != NULL && strcmp(s, value) == 0)
            return 1;
    }
    return 0;
}

/** @a key of @a obj is JSON null or an integer of at least @a min; its value or -1. */
static json_int_t
int_or_null(const json_t *obj, const char *key, json_int_t min)
{
    const json_t *v = json_object_get(obj, key);

    ck_assert_msg(json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= min),
                  "'%s' is neither null nor an integer >= %lld",
                  key,
                  (long long) min);
    return json_is_null(v) ? -1 : json_integer_value(v);
}

/**
 * Salary bands: every field with its type, max not below min, ordered by
 * (min_years, min_amount). Related paths: slug, title and summary only,
 * ordered by title.
 */
static void
check_bands_and_related(const json_t *doc)
{
    json_t *bands = array_of(doc, "salary_bands");
    json_t *related = array_of(doc, "related");
    size_t i;
    json_t *b, *p;

    json_array_foreach(bands, i, b)
    {
        json_int_t max_years = int_or_null(b, "max_years", 0);
        json_int_t max_amount = int_or_null(b, "max_amount", 0);

        ck_assert_int_gt(int_of(b, "id"), 0);
        str_of(b, "level");
        ck_assert_uint_eq(strlen(str_of(b, "currency")), 3);
        str_of(b, "region");
        str_of(b, "source");
        ck_assert(json_is_null(json_object_get(b, "as_of")) ||
                  strlen(str_of(b, "as_of")) == 10); /* 2024-01-31 */
        ck_assert(max_years < 0 || max_years >= int_of(b, "min_years"));
        ck_assert(max_amount < 0 || max_amount >= int_of(b, "min_amount"));
        ck_assert_uint_eq(json_object_size(b), 10);
        if (i > 0) {
            const json_t *q = json_array_get(bands, i - 1);

            ck_assert(int_of(q, "min_years") < int_of(b, "min_years") ||
                      (int_of(q, "min_years") == int_of(b, "min_years") &&
                       int_of(q, "min_amount") <= int_of(b, "min_amount")));
        }
    }
    json_array_foreach(related, i, p)
    {
        str_of(p, "slug");
        str_of(p, "summary");
        ck_assert_str_ne(str_of(p, "slug"), str_of(doc, "slug"));
        ck_assert_uint_eq(json_object_size(p), 3);
        if (i > 0)
            ck_assert(strcmp(str_of(json_array_get(related, i - 1), "title"), str_of(p, "title")) <=
                      0);
    }
}

/**
 * Check what holds for every roadmap document: positions ascending, step
 * and link orderings, every field present with its type, stage hours the
 * sum of their steps, totals the sums of the stages.
 */
static void
check_document_shape(const json_t *doc)
{
    json_t *stages = array_of(doc, "stages");
    const json_t *totals = json_object_get(doc, "totals");
    json_int_t nsteps = 0, hours = 0, prev_stage = 0;
    size_t i;
    json_t *stage;

    str_of(doc, "slug");
    str_of(doc, "title");
    str_of(doc, "summary");
    str_of(doc, "overview");
    array_of(doc, "responsibilities");
    array_of(doc, "work_environment");
    ck_assert_int_ge(int_of(doc, "version"), 1);
    ck_assert_uint_eq(strlen(str_of(doc, "updated_at")), 24); /* 2026-01-05T09:30:00.000Z */
    ck_assert(json_is_object(totals));

    json_array_foreach(stages, i, stage)
    {
        json_t *steps = array_of(stage, "steps");
        const json_t *end = json_object_get(stage, "end_month");
        json_int_t stage_hours = 0, prev_step = 0;
        size_t j;
        json_t *step;

        ck_assert_int_gt(int_of(stage, "id"), 0);
        ck_assert_int_gt(int_of(stage, "position"), prev_stage);
        prev_stage = int_of(stage, "position");
        str_of(stage, "title");
        str_of(stage, "goal");
        ck_assert(json_is_null(end) || json_integer_value(end) >= int_of(stage, "start_month"));
        json_array_foreach(steps, j, step)
        {
            json_t *skills = array_of(step, "skills");
            json_t *prereqs = array_of(step, "prerequisites");
            json_t *resources = array_of(step, "resources");

            ck_assert_int_gt(int_of(step, "id"), 0);
            ck_assert_int_gt(int_of(step, "position"), prev_step);
            prev_step = int_of(step, "position");
            str_of(step, "title");
            str_of(step, "description");
            array_of(step, "topics");
            stage_hours += int_of(step, "estimated_hours");
            for (size_t k = 0; k < json_array_size(skills); k++) {
                const json_t *sk = json_array_get(skills, k);

                str_of(sk, "slug");
                str_of(sk, "category");
                if (k > 0)
                    ck_assert(strcmp(str_of(json_array_get(skills, k - 1), "name"),
                                     str_of(sk, "name")) <= 0);
                ck_assert_uint_eq(json_object_size(sk), 3);
            }
            for (size_t k = 0; k < json_array_size(prereqs); k++) {
                ck_assert(json_is_integer(json_array_get(prereqs, k)));
                if (k > 0)
                    ck_assert_int_lt(json_integer_value(json_array_get(prereqs, k - 1)),
                                     json_integer_value(json_array_get(prereqs, k)));
            }
            for (size_t k = 0; k < json_array_size(resources); k++) {
                const json_t *r = json_array_get(resources, k);

                ck_assert_int_gt(int_of(r, "id"), 0);
                array_of(r, "authors");
                str_of(r, "cost");
                str_of(r, "level");
                ck_assert(json_is_null(json_object_get(r, "url")) ||
                          json_is_string(json_object_get(r, "url")));
                ck_assert_uint_eq(json_object_size(r), 7);
                if (k > 0) {
                    const json_t *q = json_array_get(resources, k - 1);
                    int c = strcmp(str_of(q, "kind"), str_of(r, "kind"));

                    ck_assert(c < 0 ||
                              (c == 0 && strcmp(str_of(q, "title"), str_of(r, "title")) <= 0));
                }
            }
        }
        ck_assert_int_eq(int_of(stage, "estimated_hours"), stage_hours);
        nsteps += (json_int_t) json_array_size(steps);
        hours += stage_hours;
    }
    ck_assert_int_eq(int_of(totals, "stages"), (json_int_t) json_array_size(stages));
    ck_assert_int_eq(int_of(totals, "steps"), nsteps);
    ck_assert_int_eq(int_of(totals, "estimated_hours"), hours);
    check_bands_and_related(doc);
}

/** The 5 salary bands and 6 related paths of the seeded backend-developer path. */
static void
check_seeded_bands_and_related(const json_t *doc)
{
    static const struct {
        const char *level;
        json_int_t min_years, max_years, min_amount, max_amount; /* -1: null (open) */
    } bands[] = {
        { "Junior Backend Developer", 0, 2, 60000, 80000 },
        { "Backend Developer", 2, 4, 80000, 110000 },
        { "Senior Backend Developer", 4, 7, 110000, 140000 },
        { "Backend Architect", 7, -1, 140000, 180000 },
        { "Principal Backend Engineer", 8, -1, 170000, -1 },
    };
    static const char *const related[][2] = {
        { "data-engineer", "Data Engineer" },
        { "data-scientist", "Data Scientist" },
        { "devops-engineer", "DevOps Engineer" },
        { "frontend-developer", "Frontend Developer" },
        { "full-stack-developer", "Full-Stack Developer" },
        { "mobile-developer", "Mobile Developer" },
    };
    json_t *b = array_of(doc, "salary_bands");
    json_t *p = array_of(doc, "related");

    ck_assert_uint_eq(json_array_size(b), 5);
    for (size_t i = 0; i < 5; i++) {
        const json_t *x = json_array_get(b, i);

        ck_assert_str_eq(str_of(x, "level"), bands[i].level);
        ck_assert_str_eq(str_of(x, "currency"), "USD");
        ck_assert_str_eq(str_of(x, "region"), "United States");
        ck_assert_int_eq(int_of(x, "min_years"), bands[i].min_years);
        ck_assert_int_eq(int_or_null(x, "max_years", 0), bands[i].max_years);
        ck_assert_int_eq(int_of(x, "min_amount"), bands[i].min_amount);
        ck_assert_int_eq(int_or_null(x, "max_amount", 0), bands[i].max_amount);
    }
    ck_assert_uint_eq(json_array_size(p), 6);
    for (size_t i = 0; i < 6; i++) {
        ck_assert_str_eq(str_of(json_array_get(p, i), "slug"), related[i][0]);
        ck_assert_str_eq(str_of(json_array_get(p, i), "title"), related[i][1]);
    }
}

START_TEST(seeded_backend_roadmap)
{
    static const char *const titles[] = {
        "Foundation", "Intermediate", "Advanced", "Professional"
    };
    static const int months[][2] = { { 0, 3 }, { 3, 6 }, { 6, 12 }, { 12, -1 } };
    static const char *const topics[] = {
        "variables and data", "comparison operators",  "loops", "lists", "functions",
        "dictionaries",       "errors and exceptions",
    };
    struct pw_resp r = pw_http("GET", seeded, NULL, NULL);
    json_t *stages, *first, *sql_step = NULL, *ids = json_object();
    json_int_t first_three = 0;
    char ct[64];

    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "Content-Type", ct, sizeof ct));
    ck_assert_str_eq(ct, "application/json");
    ck_assert_ptr_nonnull(r.json);
    check_document_shape(r.json);
    ck_assert_str_eq(str_of(r.json, "slug"), "backend-developer");
    ck_assert_str_eq(str_of(r.json, "title"), "Backend Developer");
    ck_assert_uint_eq(json_array_size(array_of(r.json, "responsibilities")), 5);
    ck_assert_uint_eq(json_array_size(array_of(r.json, "work_environment")), 5);

    stages = array_of(r.json, "stages");
    ck_assert_uint_eq(json_array_size(stages), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *stage = json_array_get(stages, i);
        json_t *steps = array_of(stage, "steps");

        ck_assert_str_eq(str_of(stage, "title"), titles[i]);
        ck_assert_int_eq(int_of(stage, "position"), (json_int_t) i + 1);
        ck_assert_int_eq(int_of(stage, "start_month"), months[i][0]);
        if (months[i][1] < 0)
            ck_assert(json_is_null(json_object_get(stage, "end_month")));
        else
            ck_assert_int_eq(int_of(stage, "end_month"), months[i][1]);
        ck_assert_uint_eq(json_array_size(steps), 5);
        for (size_t j = 0; j < 5; j++) {
            json_t *step = json_array_get(steps, j);
            char id[32];

            ck_assert_int_eq(int_of(step, "position"), (json_int_t) j + 1);
            snprintf(id, sizeof id, "%lld", (long long) int_of(step, "id"));
            json_object_set_new(ids, id, json_true());
            if (i == 0 && strncmp(str_of(step, "title"), "SQL", 3) == 0)
                sql_step = step;
        }
        if (i < 3)
            first_three += int_of(stage, "estimated_hours");
    }
    ck_assert_int_ge(first_three, 400);
    ck_assert_int_le(first_three, 900);
    ck_assert_int_eq(int_of(json_object_get(r.json, "totals"), "stages"), 4);
    ck_assert_int_eq(int_of(json_object_get(r.json, "totals"), "steps"), 20);

    /* The first step: its topics exactly, A Byte of Python among its resources. */
    first = json_array_get(array_of(json_array_get(stages, 0), "steps"), 0);
    ck_assert_uint_eq(json_array_size(array_of(first, "topics")), 7);
    for (size_t k = 0; k < 7; k++)
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(first, "topics"), k)),
                         topics[k]);
    ck_assert(has_item(array_of(first, "resources"), "title", "A Byte of Python"));
    ck_assert(has_item(array_of(first, "skills"), "slug", "python"));

    ck_assert_ptr_nonnull(sql_step);
    ck_assert(has_item(array_of(sql_step, "skills"), "slug", "postgresql"));
    ck_assert(has_item(array_of(sql_step, "skills"), "name", "PostgreSQL"));

    /* Every prerequisite is a step of this roadmap; some step has one. */
    int any_prereq = 0;
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 5; j++) {
            json_t *pr = json_object_get(
                json_array_get(json_object_get(json_array_get(stages, i), "steps"), j),
                "prerequisites");

            for (size_t k = 0; k < json_array_size(pr); k++) {
                char id[32];

                snprintf(
                    id, sizeof id, "%lld", (long long) json_integer_value(json_array_get(pr, k)));
                ck_assert_ptr_nonnull(json_object_get(ids, id));
                any_prereq = 1;
            }
        }
    ck_assert(any_prereq);
    json_decref(ids);
    check_seeded_bands_and_related(r.json);
    pw_resp_free(&r);
}
END_TEST

START_TEST(unknown_path_and_bad_requests)
{
    struct pw_resp r = pw_http("GET", "/v1/paths/no-such-path/roadmap", NULL, NULL);

    pw_assert_problem(&r, 404);
    ck_assert_str_eq(str_of(r.json, "instance"), "/v1/paths/no-such-path/roadmap");
    pw_resp_free(&r);

    /* Not a slug: the router refuses it before the handler runs. */
    r = pw_http("GET", "/v1/paths/Backend-Developer/roadmap", NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);

    r = pw_http("GET", "/v1/paths/backend-developer/roadmap?expand=all", NULL, NULL);
    pw_assert_problem(&r, 400);
    ck_assert_ptr_nonnull(strstr(str_of(r.json, "detail"), "expand"));
    pw_resp_free(&r);

    r = pw_http("GET", "/v1/paths/backend-developer/roadmap?limit=10", NULL, NULL);
    pw_assert_problem(&r, 400);
    pw_resp_free(&r);

    /* Read-only: other methods are 405 with Allow. */
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    char allow[64];
    r = pw_http("POST", seeded, "{}", h);
    pw_assert_problem(&r, 405);
    ck_assert(pw_resp_header(&r, "Allow", allow, sizeof allow));
    ck_assert_ptr_nonnull(strstr(allow, "GET"));
    ck_assert_ptr_null(strstr(allow, "POST"));
    pw_resp_free(&r);
}
END_TEST

START_TEST(etag_and_cache_headers)
{
    struct pw_resp r = pw_http("GET", seeded, NULL, NULL);
    char etag[64], again[64], cc[64], inm[96];

    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert(strncmp(etag, "W/\"", 3) == 0);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "public, max-age=60");
    pw_resp_free(&r);

    /* Same data, same bytes, same ETag. */
    r = pw_http("GET", seeded, NULL, NULL);
    ck_assert(pw_resp_header(&r, "ETag", again, sizeof again));
    ck_assert_str_eq(again, etag);
    pw_resp_free(&r);

    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    r = pw_http("GET", seeded, NULL, h);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.len, 0);
    ck_assert(pw_resp_header(&r, "ETag", again, sizeof again));
    ck_assert_str_eq(again, etag);
    pw_resp_free(&r);

    const char *other[] = { "If-None-Match: W/\"0000000000000000\"", NULL };
    r = pw_http("GET", seeded, NULL, other);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_gt(r.len, 0);
    pw_resp_free(&r);

    r = pw_http("HEAD", seeded, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "ETag", again, sizeof again));
    ck_assert_str_eq(again, etag);
    pw_resp_free(&r);
}
END_TEST

static void
assert_empty_roadmap(const char *slug)
{
    char url[160];
    struct pw_resp r;
    const json_t *totals;

    snprintf(url, sizeof url, "/v1/paths/%s/roadmap", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    check_document_shape(r.json);
    ck_assert_str_eq(str_of(r.json, "slug"), slug);
    ck_assert_uint_eq(json_array_size(array_of(r.json, "stages")), 0);
    totals = json_object_get(r.json, "totals");
    ck_assert_int_eq(int_of(totals, "stages"), 0);
    ck_assert_int_eq(int_of(totals, "steps"), 0);
    ck_assert_int_eq(int_of(totals, "estimated_hours"), 0);
    ck_assert_uint_eq(json_array_size(array_of(r.json, "salary_bands")), 0);
    pw_resp_free(&r);
}

START_TEST(path_without_stages)
{
    const char *slug = pw_unique("empty-roadmap");
    char sql[256];

    assert_empty_roadmap("data-engineer");
    snprintf(sql, sizeof sql, "INSERT INTO paths (slug, title) VALUES ('%s', 'Empty')", slug);
    ck_assert_int_eq(pw_it_sql(sql), 0);
    assert_empty_roadmap(slug);
    snprintf(sql, sizeof sql, "DELETE FROM paths WHERE slug = '%s'", slug);
    ck_assert_int_eq(pw_it_sql(sql), 0);
}
END_TEST

/** Run the SQL @a tmpl with every "$SLUG" replaced by @a slug; asserts success. */
static void
sql_for(const char *tmpl, const char *slug)
{
    static const char mark[] = "$SLUG";
    char sql[4096];
    size_t n = 0, slen = strlen(slug);

    for (const char *t = tmpl; *t != '\0';) {
        if (strncmp(t, mark, sizeof mark - 1) == 0) {
            ck_assert(n + slen < sizeof sql);
            memcpy(sql + n, slug, slen);
            n += slen;
            t += sizeof mark - 1;
        } else {
            ck_assert(n + 1 < sizeof sql);
            sql[n++] = *t++;
        }
    }
    sql[n] = '\0';
    ck_assert_msg(pw_it_sql(sql) == 0, "setup SQL failed: %s", sql);
}

/* Steps of the test path, by title, for the statements below. */
#define STEP_OF(title)                                                                             \
    "(SELECT t.id FROM steps t JOIN stages s ON s.id = t.stage_id JOIN paths p ON p.id = "         \
    "s.path_id WHERE p.slug = '$SLUG' AND t.title = '" title "')"

START_TEST(document_follows_the_data)
{
    const char *slug = pw_unique("roadmap");
    char url[160], etag[64], etag2[64], inm[96];
    struct pw_resp r;
    json_t *stages, *steps, *gamma;

    /* Stages and steps inserted out of order: the document orders them. */
    sql_for("INSERT INTO paths (slug, title, responsibilities)"
            " VALUES ('$SLUG', 'Roadmap test', ARRAY['one', 'two']);"
            "INSERT INTO stages (path_id, position, title, goal, start_month, end_month)"
            " SELECT id, v.pos, v.title, 'g', v.sm, v.em FROM paths,"
            " (VALUES (2, 'Later', 5, NULL::int), (1, 'First', 0, 5)) v(pos, title, sm, em)"
            " WHERE slug = '$SLUG';"
            "INSERT INTO steps (stage_id, position, title, topics, estimated_hours)"
            " SELECT s.id, v.pos, v.title, v.topics, v.h FROM stages s JOIN paths p"
            " ON p.id = s.path_id, (VALUES (3, 'Gamma', ARRAY['x', 'y'], 7),"
            " (1, 'Alpha', '{}'::text[], 10), (2, 'Beta', ARRAY['z'], 20)) v(pos, title, topics, h)"
            " WHERE p.slug = '$SLUG' AND s.position = 1",
            slug);
    sql_for("INSERT INTO step_prerequisites (step_id, prerequisite_id)"
            " SELECT " STEP_OF("Gamma") ", " STEP_OF(
                "Beta") ";"
                        "INSERT INTO step_prerequisites (step_id, prerequisite_id)"
                        " SELECT " STEP_OF("Gamma") ", " STEP_OF("Alpha"),
            slug);
    sql_for("INSERT INTO step_skills (step_id, skill_id)"
            " SELECT " STEP_OF("Gamma") ", id FROM skills WHERE slug IN ('sql', 'postgresql');"
                                        "INSERT INTO step_resources (step_id, resource_id)"
                                        " SELECT " STEP_OF(
                                            "Gamma") ", id FROM resources"
                                                     " WHERE title IN ('Advanced Python', 'Python "
                                                     "Cookbook', 'A Byte of Python')",
            slug);

    snprintf(url, sizeof url, "/v1/paths/%s/roadmap", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    check_document_shape(r.json);
    ck_assert_str_eq(str_of(r.json, "title"), "Roadmap test");
    ck_assert_int_eq(int_of(r.json, "version"), 1);
    ck_assert_uint_eq(json_array_size(array_of(r.json, "responsibilities")), 2);
    stages = array_of(r.json, "stages");
    ck_assert_uint_eq(json_array_size(stages), 2);
    ck_assert_str_eq(str_of(json_array_get(stages, 0), "title"), "First");
    ck_assert_int_eq(int_of(json_array_get(stages, 0), "end_month"), 5);
    ck_assert_int_eq(int_of(json_array_get(stages, 0), "estimated_hours"), 37);
    ck_assert_str_eq(str_of(json_array_get(stages, 1), "title"), "Later");
    ck_assert(json_is_null(json_object_get(json_array_get(stages, 1), "end_month")));
    ck_assert_int_eq(int_of(json_array_get(stages, 1), "estimated_hours"), 0);
    ck_assert_uint_eq(json_array_size(array_of(json_array_get(stages, 1), "steps")), 0);
    steps = array_of(json_array_get(stages, 0), "steps");
    ck_assert_uint_eq(json_array_size(steps), 3);
    ck_assert_str_eq(str_of(json_array_get(steps, 0), "title"), "Alpha");
    ck_assert_str_eq(str_of(json_array_get(steps, 1), "title"), "Beta");
    ck_assert_str_eq(str_of(json_array_get(steps, 2), "title"), "Gamma");
    gamma = json_array_get(steps, 2);
    ck_assert_uint_eq(json_array_size(array_of(gamma, "topics")), 2);
    ck_assert_uint_eq(json_array_size(array_of(json_array_get(steps, 0), "topics")), 0);
    ck_assert_uint_eq(json_array_size(array_of(json_array_get(steps, 0), "skills")), 0);
    ck_assert_uint_eq(json_array_size(array_of(json_array_get(steps, 0), "resources")), 0);
    ck_assert_uint_eq(json_array_size(array_of(json_array_get(steps, 0), "prerequisites")), 0);
    /* Prerequisites: the ids of Alpha and Beta, ascending. */
    json_int_t alpha = int_of(json_array_get(steps, 0), "id");
    json_int_t beta = int_of(json_array_get(steps, 1), "id");
    json_t *pr = array_of(gamma, "prerequisites");
    ck_assert_uint_eq(json_array_size(pr), 2);
    ck_assert_int_eq(json_integer_value(json_array_get(pr, 0)), alpha < beta ? alpha : beta);
    ck_assert_int_eq(json_integer_value(json_array_get(pr, 1)), alpha < beta ? beta : alpha);
    /* Skills by name: PostgreSQL before SQL. */
    json_t *sk = array_of(gamma, "skills");
    ck_assert_uint_eq(json_array_size(sk), 2);
    ck_assert_str_eq(str_of(json_array_get(sk, 0), "slug"), "postgresql");
    ck_assert_str_eq(str_of(json_array_get(sk, 0), "name"), "PostgreSQL");
    ck_assert_str_eq(str_of(json_array_get(sk, 0), "category"), "database");
    ck_assert_str_eq(str_of(json_array_get(sk, 1), "slug"), "sql");
    /* Resources by kind, then title: the two books, then the course. */
    json_t *rs = array_of(gamma, "resources");
    ck_assert_uint_eq(json_array_size(rs), 3);
    ck_assert_str_eq(str_of(json_array_get(rs, 0), "title"), "A Byte of Python");
    ck_assert_str_eq(str_of(json_array_get(rs, 0), "kind"), "book");
    ck_assert_str_eq(str_of(json_array_get(rs, 0), "cost"), "free");
    ck_assert_str_eq(str_of(json_array_get(rs, 1), "title"), "Python Cookbook");
    ck_assert_uint_eq(json_array_size(array_of(json_array_get(rs, 1), "authors")), 2);
    ck_assert_str_eq(str_of(json_array_get(rs, 2), "title"), "Advanced Python");
    ck_assert_str_eq(str_of(json_array_get(rs, 2), "kind"), "course");
    ck_assert_int_eq(int_of(json_object_get(r.json, "totals"), "stages"), 2);
    ck_assert_int_eq(int_of(json_object_get(r.json, "totals"), "steps"), 3);
    ck_assert_int_eq(int_of(json_object_get(r.json, "totals"), "estimated_hours"), 37);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);

    /* A change to a step (not to the path itself) shows, with a new ETag. */
    sql_for("UPDATE steps SET estimated_hours = 12, version = version + 1, updated_at = now()"
            " WHERE id = " STEP_OF("Alpha"),
            slug);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    r = pw_http("GET", url, NULL, h);
    ck_assert_int_eq(r.status, 200);
    check_document_shape(r.json);
    ck_assert(pw_resp_header(&r, "ETag", etag2, sizeof etag2));
    ck_assert_str_ne(etag2, etag);
    ck_assert_int_eq(int_of(json_array_get(array_of(r.json, "stages"), 0), "estimated_hours"), 39);
    ck_assert_int_eq(int_of(json_object_get(r.json, "totals"), "estimated_hours"), 39);
    pw_resp_free(&r);

    /* An update of the path: its version and title. */
    sql_for("UPDATE paths SET title = 'Roadmap test 2', version = version + 1, updated_at = now()"
            " WHERE slug = '$SLUG'",
            slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(str_of(r.json, "title"), "Roadmap test 2");
    ck_assert_int_eq(int_of(r.json, "version"), 2);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_ne(etag, etag2);
    pw_resp_free(&r);

    /* Removing a link removes it from the document. */
    sql_for("DELETE FROM step_skills WHERE step_id = " STEP_OF("Gamma"), slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    gamma = json_array_get(array_of(json_array_get(array_of(r.json, "stages"), 0), "steps"), 2);
    ck_assert_uint_eq(json_array_size(array_of(gamma, "skills")), 0);
    ck_assert_uint_eq(json_array_size(array_of(gamma, "resources")), 3);
    pw_resp_free(&r);

    /* Deleting the path (stages and steps cascade): 404. */
    sql_for("DELETE FROM paths WHERE slug = '$SLUG'", slug);
    r = pw_http("GET", url, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
}
END_TEST

START_TEST(bands_and_related_follow_the_data)
{
    const char *slug = pw_unique("roadmap-pay");
    char url[160];
    struct pw_resp r;
    json_t *bands, *rel;

    /* Bands inserted out of order, a tie on min_years; related from both sides. */
    sql_for("INSERT INTO paths (slug, title) VALUES ('$SLUG', 'Pay test');"
            "INSERT INTO salary_bands (path_id, level, min_years, max_years, currency,"
            " min_amount, max_amount, region, source, as_of)"
            " SELECT id, v.level, v.y, v.my, 'EUR', v.a, v.ma, 'Germany', 'test', v.d"
            " FROM paths, (VALUES ('Senior', 5, NULL::int, 70000, NULL::int, NULL::date),"
            " ('Junior', 0, 2, 40000, 50000, DATE '2024-03-01'),"
            " ('Mid high', 2, 5, 60000, 65000, NULL), ('Mid low', 2, 5, 50000, 60000, NULL))"
            " v(level, y, my, a, ma, d) WHERE slug = '$SLUG';"
            "INSERT INTO path_relations (path_a, path_b)"
            " SELECT least(p.id, o.id), greatest(p.id, o.id) FROM paths p, paths o"
            " WHERE p.slug = '$SLUG' AND o.slug IN ('mobile-developer', 'data-engineer')",
            slug);
    snprintf(url, sizeof url, "/v1/paths/%s/roadmap", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    check_document_shape(r.json);
    bands = array_of(r.json, "salary_bands");
    ck_assert_uint_eq(json_array_size(bands), 4);
    ck_assert_str_eq(str_of(json_array_get(bands, 0), "level"), "Junior");
    ck_assert_str_eq(str_of(json_array_get(bands, 0), "as_of"), "2024-03-01");
    ck_assert_str_eq(str_of(json_array_get(bands, 0), "source"), "test");
    ck_assert_str_eq(str_of(json_array_get(bands, 1), "level"), "Mid low");
    ck_assert_str_eq(str_of(json_array_get(bands, 2), "level"), "Mid high");
    ck_assert_str_eq(str_of(json_array_get(bands, 3), "level"), "Senior");
    ck_assert(json_is_null(json_object_get(json_array_get(bands, 3), "max_years")));
    ck_assert(json_is_null(json_object_get(json_array_get(bands, 3), "max_amount")));
    ck_assert(json_is_null(json_object_get(json_array_get(bands, 3), "as_of")));
    rel = array_of(r.json, "related");
    ck_assert_uint_eq(json_array_size(rel), 2);
    ck_assert_str_eq(str_of(json_array_get(rel, 0), "slug"), "data-engineer");
    ck_assert_str_eq(str_of(json_array_get(rel, 1), "slug"), "mobile-developer");
    pw_resp_free(&r);

    /* Deleting the path takes its bands and relations with it. */
    sql_for("DELETE FROM paths WHERE slug = '$SLUG'", slug);
    r = pw_http("GET", "/v1/paths/mobile-developer/related?limit=100", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(!has_item(array_of(r.json, "data"), "slug", slug));
    pw_resp_free(&r);
}
END_TEST

static Suite *
roadmap_suite(void)
{
    Suite *s = suite_create("roadmap");
    TCase *tc = tcase_create("roadmap");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_backend_roadmap);
    tcase_add_test(tc, unknown_path_and_bad_requests);
    tcase_add_test(tc, etag_and_cache_headers);
    tcase_add_test(tc, path_without_stages);
    tcase_add_test(tc, document_follows_the_data);
    tcase_add_test(tc, bands_and_related_follow_the_data);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(roadmap_suite)
