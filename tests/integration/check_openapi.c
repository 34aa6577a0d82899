/**
 * @file check_openapi.c
 * @brief GET /openapi.json, and the contract between the route table and the
 *        document: every route is documented and every documented operation
 *        is routed, so the two cannot drift apart unnoticed.
 */
#include "harness.h"
#include "pathways/handlers.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    enum pw_method m;
    const char *name;
} methods[] = {
    { PW_GET, "get" },     { PW_POST, "post" },     { PW_PUT, "put" },
    { PW_PATCH, "patch" }, { PW_DELETE, "delete" },
};

static const char *
method_name(enum pw_method m)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (methods[i].m == m)
            return methods[i].name;
    return "?";
}

START_TEST(document_is_served)
{
    struct pw_resp r = pw_http("GET", "/openapi.json", NULL, NULL);
    char etag[64], inm[96];

    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "openapi")), "3.1.0");
    ck_assert_ptr_nonnull(json_object_get(json_object_get(r.json, "components"), "schemas"));
    ck_assert(pw_resp_header(&r, "ETag", etag, sizeof etag));
    pw_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = { inm, NULL };
    ck_assert_int_eq(pw_status("GET", "/openapi.json", NULL, h), 304);
}
END_TEST

START_TEST(every_route_is_documented)
{
    struct pw_resp r = pw_http("GET", "/openapi.json", NULL, NULL);
    json_t *paths = json_object_get(r.json, "paths");

    for (unsigned i = 0; pw_routes[i].pattern != NULL; i++) {
        json_t *item = json_object_get(paths, pw_routes[i].pattern);

        ck_assert_msg(item != NULL, "%s is not in openapi.yaml", pw_routes[i].pattern);
        ck_assert_msg(json_object_get(item, method_name(pw_routes[i].method)) != NULL,
                      "%s %s is not in openapi.yaml",
                      method_name(pw_routes[i].method),
                      pw_routes[i].pattern);
    }
    pw_resp_free(&r);
}
END_TEST

START_TEST(every_documented_operation_is_routed)
{
    struct pw_resp r = pw_http("GET", "/openapi.json", NULL, NULL);
    json_t *paths = json_object_get(r.json, "paths");
    const char *pattern;
    json_t *item;

    json_object_foreach(paths, pattern, item)
    {
        const char *op;
        json_t *v;

        json_object_foreach(item, op, v)
        {
            int routed = 0;

            if (strcmp(op, "parameters") == 0 || strcmp(op, "summary") == 0 ||
                strcmp(op, "description") == 0)
                continue;
            for (unsigned i = 0; pw_routes[i].pattern != NULL && !routed; i++)
                routed = strcmp(pw_routes[i].pattern, pattern) == 0 &&
                         strcasecmp(method_name(pw_routes[i].method), op) == 0;
            ck_assert_msg(
                routed, "openapi.yaml documents %s %s, which no route serves", op, pattern);
            /* Every operation documents its responses and an id for generated clients. */
            ck_assert_msg(
                json_object_get(v, "responses") != NULL, "%s %s: no responses", op, pattern);
            ck_assert_msg(json_string_value(json_object_get(v, "operationId")) != NULL,
                          "%s %s: no operationId",
                          op,
                          pattern);
        }
    }
    pw_resp_free(&r);
}
END_TEST

static Suite *
openapi_suite(void)
{
    Suite *s = suite_create("openapi");
    TCase *tc = tcase_create("openapi");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, document_is_served);
    tcase_add_test(tc, every_route_is_documented);
    tcase_add_test(tc, every_documented_operation_is_routed);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(openapi_suite)
