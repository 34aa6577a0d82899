/**
 * @file check_salaries.c
 * @brief Salary bands end to end: the seeded bands, nested list and create,
 *        CRUD by id, the cross-field rules on POST and on PATCHes of one side,
 *        validation, auth, sorting and paging, ETags, SQL metacharacters.
 */
#include "harness.h"
#include "check_main.h"

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

/** Create a path of our own; its slug in a static rotating buffer. */
static const char *
new_path(void)
{
    return pw_it_new_path("sal-path", "Pay");
}

/** A valid band body: @a min_years..@a max_years (< 0: null), amounts likewise. */
static json_t *
band(const char *level, int min_years, int max_years, int min_amount, int max_amount)
{
    json_t *b = json_pack("{s:s, s:i, s:s, s:i, s:s}",
                          "level",
                          level,
                          "min_years",
                          min_years,
                          "currency",
                          "EUR",
                          "min_amount",
                          min_amount,
                          "region",
                          "Germany");

    json_object_set_new(b, "max_years", max_years < 0 ? json_null() : json_integer(max_years));
    json_object_set_new(b, "max_amount", max_amount < 0 ? json_null() : json_integer(max_amount));
    return b;
}

/** POST a band under @a slug; the reply. */
static struct pw_resp
post_band(const char *slug, json_t *body)
{
    char url[160];

    snprintf(url, sizeof url, "/v1/paths/%s/salaries", slug);
    return pw_editor_send("POST", url, body);
}

/** Create a band that must succeed; writes its URL into @a url. */
static void
create_band(const char *slug, json_t *body, char *url, size_t cap)
{
    struct pw_resp r = post_band(slug, body);

    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    snprintf(url, cap, "/v1/salaries/%lld", int_at(r.json, "id"));
    pw_resp_free(&r);
}

/** @a v is JSON null when @a want < 0, else that integer. */
static void
assert_int_or_null(const json_t *obj, const char *key, long long want)
{
    if (want < 0)
        ck_assert_msg(json_is_null(json_object_get(obj, key)), "'%s' is not null", key);
    else
        ck_assert_int_eq(int_at(obj, key), want);
}

START_TEST(seeded_bands_with_exact_figures)
{
    static const struct {
        const char *level;
        long long min_years, max_years, min_amount, max_amount; /* -1: null (open) */
    } want[] = {
        { "Junior Backend Developer", 0, 2, 60000, 80000 },
        { "Backend Developer", 2, 4, 80000, 110000 },
        { "Senior Backend Developer", 4, 7, 110000, 140000 },
        { "Backend Architect", 7, -1, 140000, 180000 },
        { "Principal Backend Engineer", 8, -1, 170000, -1 },
    };
    struct pw_resp r =
        pw_http("GET", "/v1/paths/backend-developer/salaries?count=true", NULL, NULL);
    json_t *data = json_object_get(r.json, "data");
    char cc[64], url[64];

    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "public, max-age=60");
    ck_assert_int_eq(pw_json_int(&r, "total"), 5);
    ck_assert_uint_eq(json_array_size(data), 5);
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    for (size_t i = 0; i < 5; i++) {
        json_t *b = json_array_get(data, i);

        ck_assert_str_eq(pw_str(b, "level"), want[i].level);
        ck_assert_str_eq(pw_str(b, "path"), "backend-developer");
        ck_assert_str_eq(pw_str(b, "currency"), "USD");
        ck_assert_str_eq(pw_str(b, "region"), "United States");
        ck_assert_int_eq(int_at(b, "min_years"), want[i].min_years);
        assert_int_or_null(b, "max_years", want[i].max_years);
        ck_assert_int_eq(int_at(b, "min_amount"), want[i].min_amount);
        assert_int_or_null(b, "max_amount", want[i].max_amount);
        ck_assert_ptr_nonnull(pw_str(b, "source"));
        ck_assert(json_is_null(json_object_get(b, "as_of")) ||
                  json_is_string(json_object_get(b, "as_of")));
        ck_assert_ptr_nonnull(pw_str(b, "created_at"));
        ck_assert_ptr_nonnull(pw_str(b, "updated_at"));
        ck_assert_int_ge(int_at(b, "version"), 1);
        ck_assert_int_gt(int_at(b, "id"), 0);
        ck_assert_uint_eq(json_object_size(b), 14);
    }

    /* Each is served by id with its version as ETag. */
    snprintf(url, sizeof url, "/v1/salaries/%lld", int_at(json_array_get(data, 4), "id"));
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "level"), "Principal Backend Engineer");
    ck_assert(json_is_null(json_object_get(r.json, "max_amount")));
    ck_assert(pw_resp_header(&r, "ETag", cc, sizeof cc));
    ck_assert_str_eq(cc, "W/\"1\"");
    pw_resp_free(&r);

    /* Sorted by level: alphabetical. */
    r = pw_http("GET", "/v1/paths/backend-developer/salaries?sort=level&limit=2", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    data = json_object_get(r.json, "data");
    ck_assert_str_eq(pw_str(json_array_get(data, 0), "level"), "Backend Architect");
    ck_assert_str_eq(pw_str(json_array_get(data, 1), "level"), "Backend Developer");
    ck_assert_ptr_nonnull(pw_str(r.json, "next_cursor"));
    pw_resp_free(&r);
}
END_TEST

START_TEST(crud_round_trip)
{
    const char *slug = new_path();
    char url[64], loc[64], etag[64], list[160];
    json_t *body = band("Staff Engineer", 6, 10, 90000, 130000);
    struct pw_resp r;

    json_object_set_new(body, "source", json_string("Salary survey 2024"));
    json_object_set_new(body, "as_of", json_string("2024-02-29"));
    r = post_band(slug, body);
    ck_assert_int_eq(r.status, 201);
    snprintf(url, sizeof url, "/v1/salaries/%lld", int_at(r.json, "id"));
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    ck_assert_str_eq(loc, url);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert_str_eq(pw_str(r.json, "path"), slug);
    ck_assert_str_eq(pw_str(r.json, "level"), "Staff Engineer");
    ck_assert_int_eq(int_at(r.json, "min_years"), 6);
    ck_assert_int_eq(int_at(r.json, "max_years"), 10);
    ck_assert_str_eq(pw_str(r.json, "currency"), "EUR");
    ck_assert_int_eq(int_at(r.json, "min_amount"), 90000);
    ck_assert_int_eq(int_at(r.json, "max_amount"), 130000);
    ck_assert_str_eq(pw_str(r.json, "region"), "Germany");
    ck_assert_str_eq(pw_str(r.json, "source"), "Salary survey 2024");
    ck_assert_str_eq(pw_str(r.json, "as_of"), "2024-02-29");
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    pw_resp_free(&r);

    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "as_of"), "2024-02-29");
    pw_resp_free(&r);

    /* PATCH with the current ETag changes only what is sent; null opens a band. */
    const char *h1[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"1\"", NULL };
    r = pw_send_json(
        "PATCH", url, json_pack("{s:n, s:n, s:s}", "max_amount", "as_of", "currency", "CHF"), h1);
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_is_null(json_object_get(r.json, "max_amount")));
    ck_assert(json_is_null(json_object_get(r.json, "as_of")));
    ck_assert_str_eq(pw_str(r.json, "currency"), "CHF");
    ck_assert_str_eq(pw_str(r.json, "level"), "Staff Engineer");
    ck_assert_str_eq(pw_str(r.json, "source"), "Salary survey 2024");
    ck_assert_int_eq(int_at(r.json, "max_years"), 10);
    ck_assert_int_eq(int_at(r.json, "version"), 2);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"2\"");
    pw_resp_free(&r);

    r = pw_send_json("PATCH", url, json_pack("{s:s}", "level", "lost update"), h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);

    const char *h3[] = { "If-None-Match: W/\"2\"", NULL };
    r = pw_http("GET", url, NULL, h3);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.len, 0);
    pw_resp_free(&r);

    /* The nested list shows it. */
    snprintf(list, sizeof list, "/v1/paths/%s/salaries", slug);
    r = pw_http("GET", list, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 1);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "currency"), "CHF");
    pw_resp_free(&r);

    pw_expect_problem("DELETE", url, NULL, h1, 412);
    const char *h4[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"2\"", NULL };
    ck_assert_int_eq(pw_status("DELETE", url, NULL, h4), 204);
    pw_expect_problem("GET", url, NULL, NULL, 404);
    r = pw_editor_send("PATCH", url, json_pack("{s:s}", "level", "ghost"));
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    pw_expect_problem("DELETE", url, NULL, h4, 404);

    /* An empty list for a path that exists: 200, not 404. */
    r = pw_http("GET", list, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(optional_fields_default)
{
    const char *slug = new_path();
    struct pw_resp r = post_band(slug,
                                 json_pack("{s:s, s:i, s:s, s:i, s:s}",
                                           "level",
                                           "Intern",
                                           "min_years",
                                           0,
                                           "currency",
                                           "GBP",
                                           "min_amount",
                                           0,
                                           "region",
                                           "United Kingdom"));

    ck_assert_int_eq(r.status, 201);
    ck_assert(json_is_null(json_object_get(r.json, "max_years")));
    ck_assert(json_is_null(json_object_get(r.json, "max_amount")));
    ck_assert(json_is_null(json_object_get(r.json, "as_of")));
    ck_assert_str_eq(pw_str(r.json, "source"), "");
    ck_assert_int_eq(int_at(r.json, "min_amount"), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(validation_lists_every_field)
{
    const char *slug = new_path();
    char long_source[260], url[160], band_url[64];
    struct pw_resp r;
    json_t *bad;

    /* Nothing: every required field. */
    r = post_band(slug, json_object());
    pw_assert_fields(&r, 422, "level,min_years,currency,min_amount,region");
    ck_assert_str_eq(pw_str(r.json, "type"), "/problems/validation");
    pw_resp_free(&r);

    /* Every field wrong at once, in spec order, then the unknown one. */
    memset(long_source, 's', 201);
    long_source[201] = '\0';
    bad = json_pack("{s:s, s:i, s:i, s:s, s:i, s:i, s:s, s:s, s:s, s:i}",
                    "level",
                    "",
                    "min_years",
                    -1,
                    "max_years",
                    61,
                    "currency",
                    "usd",
                    "min_amount",
                    100000001,
                    "max_amount",
                    -5,
                    "region",
                    "",
                    "source",
                    long_source,
                    "as_of",
                    "2023-02-29",
                    "extra",
                    1);
    r = post_band(slug, bad);
    pw_assert_fields(
        &r,
        422,
        "level,min_years,max_years,currency,min_amount,max_amount,region,source,as_of,extra");
    pw_resp_free(&r);

    /* Wrong types. */
    r = post_band(slug,
                  json_pack("{s:i, s:s, s:s, s:s, s:b, s:i}",
                            "level",
                            7,
                            "min_years",
                            "3",
                            "currency",
                            "US",
                            "min_amount",
                            "60000",
                            "region",
                            1,
                            "as_of",
                            20240101));
    pw_assert_fields(&r, 422, "level,min_years,currency,min_amount,region,as_of");
    pw_resp_free(&r);
    r = post_band(slug, band("Money", 0, 1, 0, 1));
    ck_assert_int_eq(r.status, 201);
    snprintf(band_url, sizeof band_url, "/v1/salaries/%lld", int_at(r.json, "id"));
    pw_resp_free(&r);

    /* Required fields cannot be nulled; an empty PATCH is refused. */
    r = pw_editor_send(
        "PATCH", band_url, json_pack("{s:n, s:n, s:n}", "level", "currency", "region"));
    pw_assert_fields(&r, 422, "level,currency,region");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", band_url, json_object());
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", band_url, json_pack("{s:s}", "path", "backend-developer"));
    pw_assert_fields(&r, 422, "path");
    pw_resp_free(&r);

    /* Not JSON: 400; not application/json: 415. */
    snprintf(url, sizeof url, "/v1/paths/%s/salaries", slug);
    const char *h[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    pw_expect_problem("POST", url, "{\"level\":", h, 400);
    const char *text[] = { pw_auth_header(PW_ROLE_EDITOR), "Content-Type: text/plain", NULL };
    pw_expect_problem("POST", url, "{}", text, 415);
}
END_TEST

START_TEST(cross_field_rules_on_create)
{
    const char *slug = new_path();
    struct pw_resp r;

    r = post_band(slug, band("Backwards years", 5, 3, 100, 200));
    pw_assert_fields(&r, 422, "max_years");
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "message"),
                     "must not be below min_years");
    pw_resp_free(&r);
    r = post_band(slug, band("Backwards pay", 1, 3, 200, 100));
    pw_assert_fields(&r, 422, "max_amount");
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "errors"), 0), "message"),
                     "must not be below min_amount");
    pw_resp_free(&r);
    /* Both wrong: one of them is named (PostgreSQL reports one constraint). */
    r = post_band(slug, band("Both", 5, 3, 200, 100));
    pw_assert_problem(&r, 422);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "errors")), 1);
    pw_resp_free(&r);

    /* Nothing was written. */
    char url[160];
    snprintf(url, sizeof url, "/v1/paths/%s/salaries?count=true", slug);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(pw_json_int(&r, "total"), 0);
    pw_resp_free(&r);

    /* Equal ends and open ends are fine. */
    r = post_band(slug, band("Point", 3, 3, 100, 100));
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
    r = post_band(slug, band("Open", 60, -1, 100000000, -1));
    ck_assert_int_eq(r.status, 201);
    ck_assert(json_is_null(json_object_get(r.json, "max_years")));
    ck_assert(json_is_null(json_object_get(r.json, "max_amount")));
    pw_resp_free(&r);
}
END_TEST

START_TEST(cross_field_rules_on_patch_of_one_side)
{
    const char *slug = new_path();
    char url[64], before[64];
    struct pw_resp r;

    create_band(slug, band("Mid", 2, 4, 50000, 70000), url, sizeof url);
    r = pw_http("GET", url, NULL, NULL);
    snprintf(before, sizeof before, "%s", pw_str(r.json, "updated_at"));
    pw_resp_free(&r);

    /* Each side alone, measured against the stored other side. */
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "min_years", 5));
    pw_assert_fields(&r, 422, "max_years");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "max_years", 1));
    pw_assert_fields(&r, 422, "max_years");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "min_amount", 70001));
    pw_assert_fields(&r, 422, "max_amount");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "max_amount", 49999));
    pw_assert_fields(&r, 422, "max_amount");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i, s:i}", "min_years", 9, "max_years", 8));
    pw_assert_fields(&r, 422, "max_years");
    pw_resp_free(&r);

    /* Nothing was written by the refused PATCHes. */
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(int_at(r.json, "min_years"), 2);
    ck_assert_int_eq(int_at(r.json, "max_years"), 4);
    ck_assert_int_eq(int_at(r.json, "min_amount"), 50000);
    ck_assert_int_eq(int_at(r.json, "max_amount"), 70000);
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    ck_assert_str_eq(pw_str(r.json, "updated_at"), before);
    pw_resp_free(&r);

    /* Up to the other side is fine; opening a side frees the other. */
    r = pw_editor_send("PATCH", url, json_pack("{s:i, s:i}", "min_years", 4, "min_amount", 70000));
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(int_at(r.json, "version"), 2);
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:n}", "max_years"));
    ck_assert_int_eq(r.status, 200);
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "min_years", 60));
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(int_at(r.json, "min_years"), 60);
    ck_assert(json_is_null(json_object_get(r.json, "max_years")));
    pw_resp_free(&r);
    /* Closing it again below min_years is refused. */
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "max_years", 59));
    pw_assert_fields(&r, 422, "max_years");
    pw_resp_free(&r);
}
END_TEST

START_TEST(missing_parents_and_bad_ids)
{
    static const char *const missing[] = {
        "/v1/salaries/0",  "/v1/salaries/abc",         "/v1/salaries/-1",
        "/v1/salaries/01", "/v1/salaries/99999999999", "/v1/salaries/9223372036854775808",
    };
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r;

    pw_expect_problem("GET", "/v1/paths/no-such-path/salaries", NULL, NULL, 404);
    r = post_band("no-such-path", band("Orphan", 0, 1, 0, 1));
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    pw_expect_problem("GET", "/v1/paths/Not_A_Slug/salaries", NULL, NULL, 404);
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        pw_expect_problem("GET", missing[i], NULL, NULL, 404);
        pw_expect_problem("PATCH", missing[i], "{\"level\":\"x\"}", editor, 404);
        pw_expect_problem("DELETE", missing[i], NULL, editor, 404);
    }
    /* Bands are not created by id, nor listed at the top level. */
    pw_expect_problem("POST", "/v1/salaries/1", "{}", editor, 405);
    pw_expect_problem("GET", "/v1/salaries", NULL, NULL, 404);
}
END_TEST

START_TEST(deleting_the_path_deletes_its_bands)
{
    const char *slug = new_path();
    char url[64], path[160];

    create_band(slug, band("Gone", 0, 1, 0, 1), url, sizeof url);
    snprintf(path, sizeof path, "/v1/paths/%s", slug);
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    ck_assert_int_eq(pw_status("DELETE", path, NULL, editor), 204);
    pw_expect_problem("GET", url, NULL, NULL, 404);
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    const char *slug = new_path();
    char url[64], list[160], www[64];
    struct pw_resp r;

    create_band(slug, band("Guarded", 0, 1, 0, 1), url, sizeof url);
    snprintf(list, sizeof list, "/v1/paths/%s/salaries", slug);
    r = pw_http("POST", list, "{}", NULL);
    pw_assert_problem(&r, 401);
    ck_assert(pw_resp_header(&r, "WWW-Authenticate", www, sizeof www));
    pw_resp_free(&r);
    pw_expect_problem("POST", list, "{}", bad, 401);
    pw_expect_problem("POST", list, "{}", learner, 403);
    pw_expect_problem("PATCH", url, "{\"level\":\"x\"}", NULL, 401);
    pw_expect_problem("PATCH", url, "{\"level\":\"x\"}", learner, 403);
    pw_expect_problem("DELETE", url, NULL, NULL, 401);
    pw_expect_problem("DELETE", url, NULL, learner, 403);
    /* Reads are public; the band is untouched. */
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "level"), "Guarded");
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    pw_resp_free(&r);
}
END_TEST

/** Walk @a url (without cursor) page by page; the levels in order into @a out. */
static void
walk(const char *base, json_t *out)
{
    char url[1024];
    int guard = 0;

    snprintf(url, sizeof url, "%s", base);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *data = json_object_get(r.json, "data");
        const char *next = pw_str(r.json, "next_cursor");

        ck_assert_int_eq(r.status, 200);
        for (size_t i = 0; i < json_array_size(data); i++)
            json_array_append(out, json_object_get(json_array_get(data, i), "level"));
        if (next == NULL) {
            pw_resp_free(&r);
            break;
        }
        snprintf(url, sizeof url, "%s&cursor=%s", base, next);
        pw_resp_free(&r);
        ck_assert_int_lt(++guard, 50);
    }
}

/** Assert the levels in @a got are exactly @a want (n of them). */
static void
assert_levels(const json_t *got, const char *const *want, size_t n)
{
    ck_assert_uint_eq(json_array_size(got), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(json_string_value(json_array_get(got, i)), want[i]);
}

START_TEST(sorts_and_paging)
{
    /* Inserted out of order, with ties on min_years and on min_amount. */
    static const struct {
        const char *level;
        int min_years, min_amount;
    } rows[] = {
        { "e", 3, 500 }, { "a", 0, 100 }, { "g", 5, 50 },  { "c", 2, 300 },
        { "b", 2, 200 }, { "f", 3, 600 }, { "d", 2, 400 },
    };
    static const char *const by_years[] = { "a", "b", "c", "d", "e", "f", "g" };
    static const char *const by_years_desc[] = { "g", "f", "e", "d", "c", "b", "a" };
    static const char *const by_amount[] = { "g", "a", "b", "c", "d", "e", "f" };
    const char *slug = new_path();
    char base[256], url[64];
    json_t *got;

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        create_band(slug,
                    band(rows[i].level, rows[i].min_years, -1, rows[i].min_amount, -1),
                    url,
                    sizeof url);

    /* Default: min_years, then min_amount; 3 a page. */
    snprintf(base, sizeof base, "/v1/paths/%s/salaries?limit=3", slug);
    got = json_array();
    walk(base, got);
    assert_levels(got, by_years, 7);
    json_decref(got);

    snprintf(base, sizeof base, "/v1/paths/%s/salaries?limit=2&sort=-min_years", slug);
    got = json_array();
    walk(base, got);
    assert_levels(got, by_years_desc, 7);
    json_decref(got);

    snprintf(base, sizeof base, "/v1/paths/%s/salaries?limit=4&sort=min_amount", slug);
    got = json_array();
    walk(base, got);
    assert_levels(got, by_amount, 7);
    json_decref(got);

    snprintf(base, sizeof base, "/v1/paths/%s/salaries?limit=5&sort=-level", slug);
    got = json_array();
    walk(base, got);
    assert_levels(got, by_years_desc, 7);
    json_decref(got);

    snprintf(base, sizeof base, "/v1/paths/%s/salaries?limit=1&sort=created_at", slug);
    got = json_array();
    walk(base, got);
    ck_assert_uint_eq(json_array_size(got), 7);
    for (size_t i = 0; i < 7; i++)
        ck_assert_str_eq(json_string_value(json_array_get(got, i)), rows[i].level);
    json_decref(got);
}
END_TEST

START_TEST(list_query_errors_and_etag)
{
    static const char *const bad[] = {
        "/v1/paths/backend-developer/salaries?limit=0",
        "/v1/paths/backend-developer/salaries?limit=101",
        "/v1/paths/backend-developer/salaries?sort=max_amount",
        "/v1/paths/backend-developer/salaries?sort=region",
        "/v1/paths/backend-developer/salaries?cursor=xyz",
        "/v1/paths/backend-developer/salaries?currency=USD",
        "/v1/paths/backend-developer/salaries?q=junior",
        "/v1/paths/backend-developer/salaries?count=maybe",
    };
    const char *other = new_path();
    char url[256], etag[64], inm[96];
    struct pw_resp r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        pw_expect_problem("GET", bad[i], NULL, NULL, 400);

    /* A cursor of one path's list is refused on another path's list. */
    r = pw_http("GET", "/v1/paths/backend-developer/salaries?limit=2", NULL, NULL);
    ck_assert_ptr_nonnull(pw_str(r.json, "next_cursor"));
    snprintf(url,
             sizeof url,
             "/v1/paths/%s/salaries?limit=2&cursor=%s",
             other,
             pw_str(r.json, "next_cursor"));
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    pw_expect_problem("GET", url, NULL, NULL, 400);

    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    ck_assert_int_eq(pw_status("GET", "/v1/paths/backend-developer/salaries?limit=2", NULL, h),
                     304);
}
END_TEST

START_TEST(sql_metacharacters_are_data)
{
    const char *slug = new_path();
    const char *level = "Lead'); DROP TABLE salary_bands; --";
    const char *region = "x' OR '1'='1";
    char url[64];
    json_t *b = band(level, 1, 2, 3, 4);
    struct pw_resp r;

    json_object_set_new(b, "region", json_string(region));
    json_object_set_new(b, "source", json_string("$1::text /* */ \\"));
    r = post_band(slug, b);
    ck_assert_int_eq(r.status, 201);
    snprintf(url, sizeof url, "/v1/salaries/%lld", int_at(r.json, "id"));
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "level"), level);
    ck_assert_str_eq(pw_str(r.json, "region"), region);
    ck_assert_str_eq(pw_str(r.json, "source"), "$1::text /* */ \\");
    pw_resp_free(&r);
    pw_expect_problem("GET", "/v1/paths/x'%20OR%20'1'='1/salaries", NULL, NULL, 404);
    pw_expect_problem("GET", "/v1/salaries/1%20OR%201=1", NULL, NULL, 404);
    pw_expect_problem("GET",
                      "/v1/paths/backend-developer/salaries?sort=min_years%3B%20DROP%20TABLE%20x",
                      NULL,
                      NULL,
                      400);
    /* The table is still there with the seeded bands. */
    r = pw_http("GET", "/v1/paths/backend-developer/salaries?count=true", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(pw_json_int(&r, "total"), 5);
    pw_resp_free(&r);
}
END_TEST

static Suite *
salaries_suite(void)
{
    Suite *s = suite_create("salaries");
    TCase *tc = tcase_create("salaries");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_bands_with_exact_figures);
    tcase_add_test(tc, crud_round_trip);
    tcase_add_test(tc, optional_fields_default);
    tcase_add_test(tc, validation_lists_every_field);
    tcase_add_test(tc, cross_field_rules_on_create);
    tcase_add_test(tc, cross_field_rules_on_patch_of_one_side);
    tcase_add_test(tc, missing_parents_and_bad_ids);
    tcase_add_test(tc, deleting_the_path_deletes_its_bands);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, sorts_and_paging);
    tcase_add_test(tc, list_query_errors_and_etag);
    tcase_add_test(tc, sql_metacharacters_are_data);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(salaries_suite)
