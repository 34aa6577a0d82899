/**
 * @file check_plan.c
 * @brief The study-plan scheduler on its own: order, weeks, dates.
 */
#include "check_main.h"
#include "pathways/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 32

/** A step list under construction; prerequisites live in prq. */
struct fixture {
    struct pw_plan_step s[MAXN];
    int64_t prq[MAXN][8];
    size_t n;
    size_t order[MAXN];
    struct pw_plan_result res;
};

static struct pw_plan_step *
add(struct fixture *f, int64_t id, int stage, int pos, int hours)
{
    struct pw_plan_step *s = &f->s[f->n];

    memset(s, 0, sizeof *s);
    s->id = id;
    s->stage_position = stage;
    s->position = pos;
    s->hours = hours;
    s->prereqs = f->prq[f->n];
    f->n++;
    return s;
}

static void requires(struct pw_plan_step *s, int64_t prereq)
{
    ((int64_t *) s->prereqs)[s->nprereqs++] = prereq;
}

/** Ids in planned order, for comparisons: "3 1 2". */
static const char *
order_ids(const struct fixture *f)
{
    static char buf[512];
    size_t o = 0;

    buf[0] = '\0';
    for (size_t k = 0; k < f->n; k++)
        o += (size_t) snprintf(
            buf + o, sizeof buf - o, "%s%lld", k ? " " : "", (long long) f->s[f->order[k]].id);
    return buf;
}

static void
run(struct fixture *f, int hpw)
{
    ck_assert_int_eq(pw_plan_schedule(f->s, f->n, hpw, f->order, &f->res), 0);
}

START_TEST(roadmap_order_without_prerequisites)
{
    struct fixture f = { 0 };

    /* Given out of order: stage first, then position, then id. */
    add(&f, 10, 2, 1, 5);
    add(&f, 11, 1, 2, 5);
    add(&f, 12, 1, 1, 5);
    add(&f, 13, 3, 1, 5);
    add(&f, 9, 2, 1, 5); /* same stage and position as 10: the smaller id first */
    run(&f, 10);
    ck_assert_str_eq(order_ids(&f), "12 11 9 10 13");
    ck_assert_int_eq(f.res.had_cycle, 0);
}
END_TEST

START_TEST(prerequisite_later_in_the_roadmap_waits)
{
    struct fixture f = { 0 };

    /* 1 requires 4 (a later stage): 1 waits for 4; the rest keep roadmap order. */
    requires(add(&f, 1, 1, 1, 1), 4);
    add(&f, 2, 1, 2, 1);
    add(&f, 3, 2, 1, 1);
    add(&f, 4, 2, 2, 1);
    add(&f, 5, 3, 1, 1);
    run(&f, 10);
    ck_assert_str_eq(order_ids(&f), "2 3 4 1 5");
}
END_TEST

START_TEST(prerequisites_in_earlier_stages_and_chains)
{
    struct fixture f = { 0 };

    /* 21 requires 22 in the same stage (a later position); 31 requires 21. */
    add(&f, 11, 1, 1, 2);
    requires(add(&f, 21, 2, 1, 2), 22);
    requires(add(&f, 22, 2, 2, 2), 11);
    requires(add(&f, 31, 3, 1, 2), 21);
    run(&f, 10);
    ck_assert_str_eq(order_ids(&f), "11 22 21 31");
}
END_TEST

START_TEST(missing_prerequisites_are_satisfied)
{
    struct fixture f = { 0 };
    struct pw_plan_step *a = add(&f, 5, 1, 2, 3);

    /* 4 (done, skipped or of another path) is not in the input; 5 is itself. */
    requires(a, 4);
    requires(a, 5);
    requires(add(&f, 6, 1, 3, 3), 4);
    run(&f, 10);
    ck_assert_str_eq(order_ids(&f), "5 6");
    ck_assert_int_eq(f.res.had_cycle, 0);
}
END_TEST

START_TEST(duplicate_prerequisites_count_once_each_way)
{
    struct fixture f = { 0 };
    struct pw_plan_step *b;

    add(&f, 1, 1, 2, 1);
    b = add(&f, 2, 1, 1, 1);
    requires(b, 1);
    requires(b, 1);
    run(&f, 10);
    ck_assert_str_eq(order_ids(&f), "1 2");
}
END_TEST

START_TEST(cycle_is_broken_in_roadmap_order)
{
    struct fixture f = { 0 };

    requires(add(&f, 1, 1, 1, 1), 2);
    requires(add(&f, 2, 1, 2, 1), 1);
    requires(add(&f, 3, 1, 3, 1), 2);
    add(&f, 4, 2, 1, 1);
    run(&f, 10);
    ck_assert_int_eq(f.res.had_cycle, 1);
    /* 4 has no prerequisite but a later stage: it comes first, then the cycle. */
    ck_assert_str_eq(order_ids(&f), "4 1 2 3");
}
END_TEST

START_TEST(weeks_of_continuous_hours)
{
    struct fixture f = { 0 };

    add(&f, 1, 1, 1, 15); /* [0, 15): weeks 1-2 */
    add(&f, 2, 1, 2, 5);  /* [15, 20): week 2 */
    add(&f, 3, 1, 3, 1);  /* [20, 21): week 3 */
    add(&f, 4, 1, 4, 39); /* [21, 60): weeks 3-6 */
    run(&f, 10);
    ck_assert_int_eq(f.s[0].start_week, 1);
    ck_assert_int_eq(f.s[0].end_week, 2);
    ck_assert_int_eq(f.s[1].start_week, 2);
    ck_assert_int_eq(f.s[1].end_week, 2);
    ck_assert_int_eq(f.s[2].start_week, 3);
    ck_assert_int_eq(f.s[2].end_week, 3);
    ck_assert_int_eq(f.s[3].start_week, 3);
    ck_assert_int_eq(f.s[3].end_week, 6);
    ck_assert_int_eq(f.s[3].start_hour, 21);
    ck_assert_int_eq(f.s[3].end_hour, 60);
    ck_assert_int_eq(f.res.total_hours, 60);
    ck_assert_int_eq(f.res.weeks, 6);
}
END_TEST

START_TEST(zero_hour_steps_take_no_time)
{
    struct fixture f = { 0 };

    add(&f, 1, 1, 1, 0);  /* at the start: week 1 */
    add(&f, 2, 1, 2, 10); /* [0, 10): week 1 */
    add(&f, 3, 1, 3, 0);  /* right after hour 10: still week 1 */
    add(&f, 4, 1, 4, 1);  /* [10, 11): week 2 */
    run(&f, 10);
    ck_assert_int_eq(f.s[0].start_week, 1);
    ck_assert_int_eq(f.s[0].end_week, 1);
    ck_assert_int_eq(f.s[2].start_week, 1);
    ck_assert_int_eq(f.s[2].end_week, 1);
    ck_assert_int_eq(f.s[2].start_hour, 10);
    ck_assert_int_eq(f.s[2].end_hour, 10);
    ck_assert_int_eq(f.s[3].start_week, 2);
    ck_assert_int_eq(f.res.weeks, 2);
}
END_TEST

START_TEST(pace_changes_the_weeks)
{
    struct fixture f = { 0 };

    add(&f, 1, 1, 1, 40);
    add(&f, 2, 1, 2, 41);
    run(&f, 80);
    ck_assert_int_eq(f.s[0].end_week, 1);
    ck_assert_int_eq(f.s[1].start_week, 1);
    ck_assert_int_eq(f.s[1].end_week, 2);
    ck_assert_int_eq(f.res.weeks, 2);
    run(&f, 1);
    ck_assert_int_eq(f.s[0].end_week, 40);
    ck_assert_int_eq(f.s[1].start_week, 41);
    ck_assert_int_eq(f.s[1].end_week, 81);
    ck_assert_int_eq(f.res.weeks, 81);
}
END_TEST

START_TEST(nothing_left)
{
    struct pw_plan_result res;
    size_t order[1];

    ck_assert_int_eq(pw_plan_schedule(NULL, 0, 10, order, &res), 0);
    ck_assert_int_eq(res.total_hours, 0);
    ck_assert_int_eq(res.weeks, 0);
}
END_TEST

START_TEST(bad_pace_is_refused)
{
    struct fixture f = { 0 };

    add(&f, 1, 1, 1, 1);
    ck_assert_int_eq(pw_plan_schedule(f.s, f.n, 0, f.order, &f.res), -1);
}
END_TEST

START_TEST(large_graph)
{
    /* A long chain given backwards plus fan-out: stays linear and correct. */
    enum { N = 2000 };
    struct pw_plan_step *s = calloc(N, sizeof *s);
    int64_t *pr = calloc(N, sizeof *pr);
    size_t *order = calloc(N, sizeof *order);
    struct pw_plan_result res;

    for (int i = 0; i < N; i++) {
        s[i].id = i + 1;
        s[i].stage_position = 1;
        s[i].position = N - i; /* roadmap order is the reverse of the chain */
        s[i].hours = 1;
        if (i > 0) {
            pr[i] = i; /* step i+1 requires step i */
            s[i].prereqs = &pr[i];
            s[i].nprereqs = 1;
        }
    }
    ck_assert_int_eq(pw_plan_schedule(s, N, 7, order, &res), 0);
    for (int k = 0; k < N; k++)
        ck_assert_int_eq(s[order[k]].id, k + 1);
    ck_assert_int_eq(res.total_hours, N);
    ck_assert_int_eq(res.weeks, (N + 6) / 7);
    free(s);
    free(pr);
    free(order);
}
END_TEST

START_TEST(dates_parse_and_format)
{
    int32_t d;
    char out[11];

    ck_assert_int_eq(pw_date_parse("1970-01-01", &d), 0);
    ck_assert_int_eq(d, 0);
    ck_assert_int_eq(pw_date_parse("2026-01-05", &d), 0);
    ck_assert_int_eq(d, 20458);
    pw_date_format(d + 7 * 6, out);
    ck_assert_str_eq(out, "2026-02-16");
    ck_assert_int_eq(pw_date_parse("2024-02-29", &d), 0);
    pw_date_format(d + 1, out);
    ck_assert_str_eq(out, "2024-03-01");
    ck_assert_int_eq(pw_date_parse("2000-02-29", &d), 0);
    ck_assert_int_eq(pw_date_parse("1969-12-31", &d), 0);
    ck_assert_int_eq(d, -1);
    pw_date_format(d, out);
    ck_assert_str_eq(out, "1969-12-31");
    ck_assert_int_eq(pw_date_parse("2025-12-29", &d), 0);
    pw_date_format(d + 7, out);
    ck_assert_str_eq(out, "2026-01-05");
}
END_TEST

START_TEST(bad_dates_are_refused)
{
    static const char *const bad[] = {
        "2023-02-29",           "1900-02-29", "2026-13-01",  "2026-00-10", "2026-04-31",
        "2026-01-00",           "0000-01-01", "2026-1-05",   "2026/01/05", "20260105",
        "2026-01-05T00:00:00Z", "",           " 2026-01-05", "2026-01-0a", "+026-01-05",
    };
    int32_t d;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(pw_date_parse(bad[i], &d) == -1, "accepted '%s'", bad[i]);
    ck_assert_int_eq(pw_date_parse(NULL, &d), -1);
}
END_TEST

START_TEST(today_in_utc)
{
    ck_assert_int_eq(pw_date_today(0), 0);
    ck_assert_int_eq(pw_date_today(86399), 0);
    ck_assert_int_eq(pw_date_today(86400), 1);
    ck_assert_int_eq(pw_date_today(-1), -1);
    ck_assert_int_eq(pw_date_today((time_t) 20458 * 86400 + 3600), 20458);
}
END_TEST

static Suite *
plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *order = tcase_create("order");
    TCase *time = tcase_create("time");
    TCase *dates = tcase_create("dates");

    tcase_add_test(order, roadmap_order_without_prerequisites);
    tcase_add_test(order, prerequisite_later_in_the_roadmap_waits);
    tcase_add_test(order, prerequisites_in_earlier_stages_and_chains);
    tcase_add_test(order, missing_prerequisites_are_satisfied);
    tcase_add_test(order, duplicate_prerequisites_count_once_each_way);
    tcase_add_test(order, cycle_is_broken_in_roadmap_order);
    tcase_add_test(order, large_graph);
    tcase_add_test(time, weeks_of_continuous_hours);
    tcase_add_test(time, zero_hour_steps_take_no_time);
    tcase_add_test(time, pace_changes_the_weeks);
    tcase_add_test(time, nothing_left);
    tcase_add_test(time, bad_pace_is_refused);
    tcase_add_test(dates, dates_parse_and_format);
    tcase_add_test(dates, bad_dates_are_refused);
    tcase_add_test(dates, today_in_utc);
    suite_add_tcase(s, order);
    suite_add_tcase(s, time);
    suite_add_tcase(s, dates);
    return s;
}

PW_CHECK_MAIN(plan_suite)
