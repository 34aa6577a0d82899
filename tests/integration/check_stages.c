/**
 * @file check_stages.c
 * @brief The stages of a path end to end: nested list and create, CRUD by id,
 *        the months rule, position conflicts, validation, auth, cascades.
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

static long long
int_at(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/** Create a path of our own; its slug in a static rotating buffer. */
static const char *
new_path(void)
{
    return pw_it_new_path("stg-path", "Stages");
}

/** POST a stage under @a slug; the reply. */
static struct pw_resp
post_stage(const char *slug, json_t *body)
{
    char url[160];

    snprintf(url, sizeof url, "/v1/paths/%s/stages", slug);
    return pw_editor_send("POST", url, body);
}

/** Create a stage that must succeed; writes its URL into @a url. */
static void
create_stage(const char *slug, json_t *body, char *url, size_t cap)
{
    struct pw_resp r = post_stage(slug, body);

    ck_assert_int_eq(r.status, 201);
    snprintf(url, cap, "/v1/stages/%lld", int_at(r.json, "id"));
    pw_resp_free(&r);
}

START_TEST(seeded_stages_in_position_order)
{
    static const struct {
        const char *title;
        int start, end; /* end < 0: open-ended */
    } want[] = {
        { "Foundation", 0, 3 },
        { "Intermediate", 3, 6 },
        { "Advanced", 6, 12 },
        { "Professional", 12, -1 },
    };
    struct pw_resp r = pw_http("GET", "/v1/paths/backend-developer/stages", NULL, NULL);
    json_t *data = json_object_get(r.json, "data");
    char cc[64], url[64];

    ck_assert_int_eq(r.status, 200);
    ck_assert(pw_resp_header(&r, "Cache-Control", cc, sizeof cc));
    ck_assert_str_eq(cc, "public, max-age=60");
    ck_assert_uint_ge(json_array_size(data), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *s = json_array_get(data, i);

        ck_assert_int_eq(int_at(s, "position"), (long long) i + 1);
        ck_assert_str_eq(pw_str(s, "title"), want[i].title);
        ck_assert_str_eq(pw_str(s, "path"), "backend-developer");
        ck_assert_int_eq(int_at(s, "start_month"), want[i].start);
        if (want[i].end < 0)
            ck_assert(json_is_null(json_object_get(s, "end_month")));
        else
            ck_assert_int_eq(int_at(s, "end_month"), want[i].end);
        ck_assert_ptr_nonnull(pw_str(s, "goal"));
        ck_assert_ptr_nonnull(pw_str(s, "created_at"));
        ck_assert_ptr_nonnull(pw_str(s, "updated_at"));
        ck_assert(int_at(s, "version") >= 1);
        ck_assert_uint_eq(json_object_size(s), 10);
    }
    for (size_t i = 1; i < json_array_size(data); i++)
        ck_assert(int_at(json_array_get(data, i - 1), "position") <
                  int_at(json_array_get(data, i), "position"));

    /* Each one is served by id too. */
    snprintf(url, sizeof url, "/v1/stages/%lld", int_at(json_array_get(data, 0), "id"));
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Foundation");
    ck_assert_str_eq(pw_str(r.json, "path"), "backend-developer");
    ck_assert_ptr_nonnull(strstr(pw_str(r.json, "goal"), "programming fundamentals"));
    pw_resp_free(&r);

    /* Sorted by title: Advanced, Foundation, Intermediate, Professional. */
    r = pw_http("GET", "/v1/paths/backend-developer/stages?sort=title&limit=2", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "title"),
                     "Advanced");
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 1), "title"),
                     "Foundation");
    pw_resp_free(&r);
}
END_TEST

START_TEST(crud_round_trip)
{
    const char *slug = new_path();
    char url[64], loc[64], etag[64];
    struct pw_resp r = post_stage(slug, json_pack("{s:i, s:s}", "position", 1, "title", "Basics"));

    ck_assert_int_eq(r.status, 201);
    snprintf(url, sizeof url, "/v1/stages/%lld", int_at(r.json, "id"));
    ck_assert(pw_resp_header(&r, "Location", loc, sizeof loc));
    ck_assert_str_eq(loc, url);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"1\"");
    ck_assert_str_eq(pw_str(r.json, "path"), slug);
    ck_assert_int_eq(int_at(r.json, "position"), 1);
    ck_assert_str_eq(pw_str(r.json, "goal"), "");
    ck_assert_int_eq(int_at(r.json, "start_month"), 0);
    ck_assert(json_is_null(json_object_get(r.json, "end_month")));
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    pw_resp_free(&r);

    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Basics");
    pw_resp_free(&r);

    /* PATCH with the current ETag changes only what is sent. */
    const char *h1[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"1\"", NULL };
    r = pw_send_json(
        "PATCH",
        url,
        json_pack(
            "{s:s, s:i, s:i}", "goal", "Learn.\nThen practise.", "start_month", 2, "end_month", 5),
        h1);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Basics");
    ck_assert_str_eq(pw_str(r.json, "goal"), "Learn.\nThen practise.");
    ck_assert_int_eq(int_at(r.json, "start_month"), 2);
    ck_assert_int_eq(int_at(r.json, "end_month"), 5);
    ck_assert_int_eq(int_at(r.json, "version"), 2);
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    ck_assert_str_eq(etag, "W/\"2\"");
    pw_resp_free(&r);

    r = pw_send_json("PATCH", url, json_pack("{s:s}", "title", "lost update"), h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);

    const char *h3[] = { "If-None-Match: W/\"2\"", NULL };
    r = pw_http("GET", url, NULL, h3);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.len, 0);
    pw_resp_free(&r);

    /* The nested list shows it. */
    char list[160];
    snprintf(list, sizeof list, "/v1/paths/%s/stages", slug);
    r = pw_http("GET", list, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 1);
    ck_assert_str_eq(pw_str(json_array_get(json_object_get(r.json, "data"), 0), "title"), "Basics");
    pw_resp_free(&r);

    r = pw_http("DELETE", url, NULL, h1);
    pw_assert_problem(&r, 412);
    pw_resp_free(&r);
    const char *h4[] = { pw_auth_header(PW_ROLE_EDITOR), "If-Match: W/\"2\"", NULL };
    r = pw_http("DELETE", url, NULL, h4);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:s}", "title", "ghost"));
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("DELETE", url, NULL, h4);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);

    /* An empty list for a path that exists: 200, not 404. */
    r = pw_http("GET", list, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    pw_resp_free(&r);
}
END_TEST

START_TEST(missing_parents_and_bad_ids)
{
    static const char *const missing[] = {
        "/v1/stages/0",
        "/v1/stages/abc",
        "/v1/stages/-1",
        "/v1/stages/1.5",
        "/v1/stages/01",
        "/v1/stages/99999999999",
        "/v1/stages/9223372036854775808",
    };
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r = pw_http("GET", "/v1/paths/no-such-path/stages", NULL, NULL);

    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = post_stage("no-such-path", json_pack("{s:i, s:s}", "position", 1, "title", "Orphan"));
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("GET", "/v1/paths/Not_A_Slug/stages", NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        r = pw_http("GET", missing[i], NULL, NULL);
        pw_assert_problem(&r, 404);
        pw_resp_free(&r);
        r = pw_http("PATCH", missing[i], "{\"title\":\"x\"}", editor);
        pw_assert_problem(&r, 404);
        pw_resp_free(&r);
        r = pw_http("DELETE", missing[i], NULL, editor);
        pw_assert_problem(&r, 404);
        pw_resp_free(&r);
    }
}
END_TEST

START_TEST(months_rule)
{
    const char *slug = new_path();
    char url[64], before[64];
    struct pw_resp r;

    /* Create: end before start is refused, equal is fine. */
    r = post_stage(slug,
                   json_pack("{s:i, s:s, s:i, s:i}",
                             "position",
                             1,
                             "title",
                             "Back",
                             "start_month",
                             6,
                             "end_month",
                             3));
    pw_assert_fields(&r, 422, "end_month");
    pw_resp_free(&r);
    create_stage(slug,
                 json_pack("{s:i, s:s, s:i, s:i}",
                           "position",
                           1,
                           "title",
                           "Zero length",
                           "start_month",
                           3,
                           "end_month",
                           3),
                 url,
                 sizeof url);
    /* Without start_month the default 0 applies: end_month 0 is fine. */
    r = post_stage(slug,
                   json_pack("{s:i, s:s, s:i}", "position", 2, "title", "At 0", "end_month", 0));
    ck_assert_int_eq(r.status, 201);
    ck_assert_int_eq(int_at(r.json, "start_month"), 0);
    ck_assert_int_eq(int_at(r.json, "end_month"), 0);
    pw_resp_free(&r);

    r = pw_http("GET", url, NULL, NULL);
    snprintf(before, sizeof before, "%s", pw_str(r.json, "updated_at"));
    pw_resp_free(&r);

    /* PATCH end_month alone, start_month alone, both: each checked against the stored row. */
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "end_month", 2));
    pw_assert_fields(&r, 422, "end_month");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "start_month", 4));
    pw_assert_fields(&r, 422, "end_month");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i, s:i}", "start_month", 10, "end_month", 9));
    pw_assert_fields(&r, 422, "end_month");
    pw_resp_free(&r);

    /* Nothing was written by the refused PATCHes. */
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(int_at(r.json, "start_month"), 3);
    ck_assert_int_eq(int_at(r.json, "end_month"), 3);
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    ck_assert_str_eq(pw_str(r.json, "updated_at"), before);
    pw_resp_free(&r);

    /* Open-ended: end_month null; then any start_month is fine. */
    r = pw_editor_send("PATCH", url, json_pack("{s:n}", "end_month"));
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_is_null(json_object_get(r.json, "end_month")));
    ck_assert_int_eq(int_at(r.json, "start_month"), 3);
    ck_assert_int_eq(int_at(r.json, "version"), 2);
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "start_month", 600));
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(int_at(r.json, "start_month"), 600);
    ck_assert(json_is_null(json_object_get(r.json, "end_month")));
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert(json_is_null(json_object_get(r.json, "end_month")));
    pw_resp_free(&r);

    /* Closing it again below start_month is refused; at start_month it is fine. */
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "end_month", 599));
    pw_assert_fields(&r, 422, "end_month");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_pack("{s:i}", "end_month", 600));
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(int_at(r.json, "end_month"), 600);
    pw_resp_free(&r);
}
END_TEST

START_TEST(position_conflicts)
{
    const char *slug = new_path();
    const char *other = new_path();
    char first[64], second[64];
    struct pw_resp r;

    create_stage(slug, json_pack("{s:i, s:s}", "position", 1, "title", "One"), first, sizeof first);
    create_stage(
        slug, json_pack("{s:i, s:s}", "position", 2, "title", "Two"), second, sizeof second);

    r = post_stage(slug, json_pack("{s:i, s:s}", "position", 1, "title", "One again"));
    pw_assert_fields(&r, 409, "position");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", second, json_pack("{s:i}", "position", 1));
    pw_assert_fields(&r, 409, "position");
    pw_resp_free(&r);

    /* Positions are per path. */
    r = post_stage(other, json_pack("{s:i, s:s}", "position", 1, "title", "Elsewhere"));
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(pw_str(r.json, "path"), other);
    pw_resp_free(&r);

    /* Moving to a free position works. */
    r = pw_editor_send("PATCH", second, json_pack("{s:i}", "position", 1000));
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(int_at(r.json, "position"), 1000);
    pw_resp_free(&r);
}
END_TEST

START_TEST(validation_lists_every_field)
{
    const char *slug = new_path();
    char goal[2002], url[64], fields[256];
    struct pw_resp r;

    memset(goal, 'g', 2001);
    goal[2001] = '\0';
    r = post_stage(slug,
                   json_pack("{s:i, s:s, s:s, s:i, s:s, s:s}",
                             "position",
                             0,
                             "title",
                             "",
                             "goal",
                             goal,
                             "start_month",
                             601,
                             "end_month",
                             "3",
                             "path",
                             "elsewhere"));
    pw_assert_problem(&r, 422);
    ck_assert_str_eq(pw_str(r.json, "type"), "/problems/validation");
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields, "position,title,goal,start_month,end_month,path");
    pw_resp_free(&r);

    r = post_stage(
        slug,
        json_pack("{s:f, s:n, s:n, s:i}", "position", 1.5, "goal", "start_month", "end_month", -1));
    pw_assert_problem(&r, 422);
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields, "position,title,goal,start_month,end_month");
    pw_resp_free(&r);

    r = post_stage(slug,
                   json_pack("{s:i, s:s, s:i}", "position", 1001, "title", "x", "end_month", 601));
    pw_assert_problem(&r, 422);
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields, "position,end_month");
    pw_resp_free(&r);

    /* The bounds themselves are accepted. */
    goal[2000] = '\0';
    create_stage(slug,
                 json_pack("{s:i, s:s, s:s, s:i, s:i}",
                           "position",
                           1000,
                           "title",
                           "Edge",
                           "goal",
                           goal,
                           "start_month",
                           600,
                           "end_month",
                           600),
                 url,
                 sizeof url);

    /* PATCH refuses the same, and read-only fields. */
    r = pw_editor_send(
        "PATCH",
        url,
        json_pack("{s:n, s:i, s:i, s:s}", "title", "id", 5, "version", 9, "path", "x"));
    pw_assert_problem(&r, 422);
    pw_error_fields(&r, fields, sizeof fields);
    ck_assert_str_eq(fields, "title,id,version,path");
    pw_resp_free(&r);
    r = pw_editor_send("PATCH", url, json_object());
    pw_assert_problem(&r, 422);
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(int_at(r.json, "version"), 1);
    pw_resp_free(&r);
}
END_TEST

START_TEST(writes_need_editor)
{
    const char *learner[] = { pw_auth_header(PW_ROLE_LEARNER), NULL };
    const char *bad[] = { "Authorization: Bearer not.a.token", NULL };
    const char *body = "{\"position\":9,\"title\":\"x\"}";
    struct pw_resp r = pw_http("GET", "/v1/paths/backend-developer/stages", NULL, NULL);
    char url[64], www[64];

    ck_assert_int_eq(r.status, 200);
    snprintf(url,
             sizeof url,
             "/v1/stages/%lld",
             int_at(json_array_get(json_object_get(r.json, "data"), 0), "id"));
    pw_resp_free(&r);

    r = pw_http("POST", "/v1/paths/backend-developer/stages", body, NULL);
    pw_assert_problem(&r, 401);
    ck_assert(pw_resp_header(&r, "WWW-Authenticate", www, sizeof www));
    pw_resp_free(&r);
    r = pw_http("PATCH", url, body, bad);
    pw_assert_problem(&r, 401);
    pw_resp_free(&r);
    r = pw_http("POST", "/v1/paths/backend-developer/stages", body, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("PATCH", url, body, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("DELETE", url, NULL, learner);
    pw_assert_problem(&r, 403);
    pw_resp_free(&r);
    r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(pw_str(r.json, "title"), "Foundation");
    pw_resp_free(&r);
}
END_TEST

START_TEST(nested_paging)
{
    const char *slug = new_path();
    char base[160], url[1200], scratch[64];
    long long last = 0;
    int pages = 0, seen = 0;

    /* Created out of order: the list still comes back by position. */
    for (int i = 0; i < 7; i++) {
        int pos = (i * 3) % 7 + 1; /* 1, 4, 7, 3, 6, 2, 5 */

        create_stage(slug,
                     json_pack("{s:i, s:s}", "position", pos * 10, "title", "S"),
                     scratch,
                     sizeof scratch);
    }
    snprintf(base, sizeof base, "/v1/paths/%s/stages?limit=3&count=true", slug);
    snprintf(url, sizeof url, "%s", base);
    for (;;) {
        struct pw_resp r = pw_http("GET", url, NULL, NULL);
        json_t *data = json_object_get(r.json, "data");
        const char *next = pw_str(r.json, "next_cursor");
        char link[1400], want_link[200];

        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(int_at(r.json, "total"), 7);
        for (size_t i = 0; i < json_array_size(data); i++) {
            long long pos = int_at(json_array_get(data, i), "position");

            ck_assert(pos > last);
            ck_assert_int_eq(pos, (long long) (seen + 1) * 10);
            last = pos;
            seen++;
        }
        pages++;
        if (next == NULL) {
            pw_resp_free(&r);
            break;
        }
        ck_assert(pw_resp_header(&r, "Link", link, sizeof link));
        snprintf(want_link, sizeof want_link, "</v1/paths/%s/stages?", slug);
        ck_assert_ptr_nonnull(strstr(link, want_link));
        snprintf(url, sizeof url, "%s&cursor=%s", base, next);
        pw_resp_free(&r);
    }
    ck_assert_int_eq(pages, 3);
    ck_assert_int_eq(seen, 7);

    /* A cursor is bound to its path's list: refused on another path's stages. */
    snprintf(url, sizeof url, "/v1/paths/%s/stages?limit=3", slug);
    struct pw_resp first = pw_http("GET", url, NULL, NULL);
    const char *cursor = pw_str(first.json, "next_cursor");
    ck_assert_ptr_nonnull(cursor);
    snprintf(url, sizeof url, "/v1/paths/%s/stages?limit=3&cursor=%s", slug, cursor);
    struct pw_resp again = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(again.status, 200);
    pw_resp_free(&again);
    snprintf(url, sizeof url, "/v1/paths/backend-developer/stages?limit=3&cursor=%s", cursor);
    again = pw_http("GET", url, NULL, NULL);
    pw_assert_problem(&again, 400);
    pw_resp_free(&again);
    pw_resp_free(&first);

    /* Descending by position. */
    snprintf(url, sizeof url, "/v1/paths/%s/stages?sort=-position&limit=1", slug);
    struct pw_resp r = pw_http("GET", url, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(int_at(json_array_get(json_object_get(r.json, "data"), 0), "position"), 70);
    pw_resp_free(&r);

    static const char *const bad[] = { "sort=goal", "sort=slug", "q=x", "limit=0", "cursor=x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(url, sizeof url, "/v1/paths/%s/stages?%s", slug, bad[i]);
        r = pw_http("GET", url, NULL, NULL);
        pw_assert_problem(&r, 400);
        pw_resp_free(&r);
    }
}
END_TEST

START_TEST(deleting_a_path_cascades)
{
    const char *slug = new_path();
    char one[64], two[64], path[128], list[160];
    const char *editor[] = { pw_auth_header(PW_ROLE_EDITOR), NULL };
    struct pw_resp r;

    create_stage(slug, json_pack("{s:i, s:s}", "position", 1, "title", "A"), one, sizeof one);
    create_stage(slug, json_pack("{s:i, s:s}", "position", 2, "title", "B"), two, sizeof two);
    snprintf(path, sizeof path, "/v1/paths/%s", slug);
    snprintf(list, sizeof list, "/v1/paths/%s/stages", slug);

    r = pw_http("DELETE", path, NULL, editor);
    ck_assert_int_eq(r.status, 204);
    pw_resp_free(&r);
    r = pw_http("GET", one, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("GET", two, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = pw_http("GET", list, NULL, NULL);
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);
    r = post_stage(slug, json_pack("{s:i, s:s}", "position", 1, "title", "Late"));
    pw_assert_problem(&r, 404);
    pw_resp_free(&r);

    /* A new path with the same slug starts empty. */
    r = pw_editor_send(
        "POST", "/v1/paths", json_pack("{s:s, s:s}", "slug", slug, "title", "Again"));
    ck_assert_int_eq(r.status, 201);
    pw_resp_free(&r);
    r = pw_http("GET", list, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    pw_resp_free(&r);
}
END_TEST

static Suite *
stages_suite(void)
{
    Suite *s = suite_create("stages");
    TCase *tc = tcase_create("stages");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seeded_stages_in_position_order);
    tcase_add_test(tc, crud_round_trip);
    tcase_add_test(tc, missing_parents_and_bad_ids);
    tcase_add_test(tc, months_rule);
    tcase_add_test(tc, position_conflicts);
    tcase_add_test(tc, validation_lists_every_field);
    tcase_add_test(tc, writes_need_editor);
    tcase_add_test(tc, nested_paging);
    tcase_add_test(tc, deleting_a_path_cascades);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(stages_suite)
