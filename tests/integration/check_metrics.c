/**
 * @file check_metrics.c
 * @brief GET /metrics counts what the server did, per route and status class.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(counts_requests_by_route_and_class)
{
    struct pw_resp r;

    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(pw_status("GET", "/v1/skills/postgresql", NULL, NULL), 200);
    ck_assert_int_eq(pw_status("GET", "/v1/skills/no-such-skill", NULL, NULL), 404);
    ck_assert_int_eq(pw_status("GET", "/nowhere", NULL, NULL), 404);
    r = pw_http("GET", "/metrics", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    char ct[128];
    ck_assert(pw_resp_header(&r, "Content-Type", ct, sizeof ct));
    ck_assert_ptr_nonnull(strstr(ct, "text/plain"));
    ck_assert(
        pw_metric_in(r.body,
                     "pathways_http_requests_total{method=\"GET\",route=\"/v1/skills/{slug}\","
                     "status=\"2xx\"}") >= 5);
    ck_assert(
        pw_metric_in(r.body,
                     "pathways_http_requests_total{method=\"GET\",route=\"/v1/skills/{slug}\","
                     "status=\"4xx\"}") >= 1);
    ck_assert(
        pw_metric_in(
            r.body,
            "pathways_http_requests_total{method=\"ANY\",route=\"unmatched\",status=\"4xx\"}") >=
        1);
    ck_assert(
        pw_metric_in(r.body,
                     "pathways_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/"
                     "skills/{slug}\"}") >= 6);
    ck_assert(
        pw_metric_in(r.body,
                     "pathways_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/"
                     "skills/{slug}\",le=\"+Inf\"}") >= 6);
    ck_assert(pw_metric_in(r.body, "pathways_http_requests_in_flight") >= 1); /* this scrape */
    ck_assert(pw_metric_in(r.body, "pathways_db_connections{state=\"open\"}") >= 1);
    ck_assert(pw_metric_in(r.body, "pathways_db_connects_total") >= 1);
    ck_assert(pw_metric_in(r.body, "pathways_db_errors_total") >= 0);
    ck_assert_ptr_nonnull(strstr(r.body, "pathways_build_info{version=\""));
    pw_resp_free(&r);
}
END_TEST

static Suite *
metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("metrics");

    tcase_add_unchecked_fixture(tc, pw_it_setup, pw_it_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, counts_requests_by_route_and_class);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(metrics_suite)
