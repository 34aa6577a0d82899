/**
 * @file plan.h
 * @brief The study plan: which remaining step to take next, and when each
 *        is done at a given number of hours a week. Pure computation.
 *
 * Order. The steps form a graph through their prerequisites. The plan is
 * the topological order that, among the steps whose prerequisites are all
 * planned, always takes the first by (stage position, step position, id):
 * Kahn's algorithm with that priority. When every prerequisite points to an
 * earlier step of the roadmap (as in the sample data) this is exactly the
 * roadmap order; a prerequisite further along only makes its dependant
 * wait for it. Prerequisites that are not in the input (done or skipped
 * steps, or steps of another path) are satisfied. The catalogue refuses
 * cycles; should one appear anyway, its steps are appended in roadmap order
 * rather than dropped, and the result says so.
 *
 * Time. Steps are studied one after another at @a hours_per_week (H): a
 * step of h hours occupies the continuous hours [a, a + h) after the a
 * hours of the steps before it. It starts in week floor(a / H) + 1 and ends
 * in week ceil((a + h) / H) (weeks are 1-based). A step of 0 hours takes no
 * time: it sits in the week where the previous step ended (week 1 at the
 * very start). The whole plan takes ceil(total / H) weeks.
 *
 * Dates. Week w runs from start + 7 (w - 1) days to start + 7 w - 1 days
 * inclusive; the finish date is start + 7 x weeks (the first day after the
 * last week, equal to start when nothing remains).
 */
#ifndef PATHWAYS_PLAN_H
#define PATHWAYS_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PW_PLAN_MIN_HOURS_PER_WEEK 1
#define PW_PLAN_MAX_HOURS_PER_WEEK 80
#define PW_PLAN_DEFAULT_HOURS_PER_WEEK 10

/** One step to plan. Inputs are filled by the caller, outputs by pw_plan_schedule(). */
struct pw_plan_step {
    /* in */
    int64_t id;
    int stage_position;
    int position;
    int hours;              /**< >= 0 (negative counts as 0) */
    const int64_t *prereqs; /**< ids of steps this one requires (any order; unknown ids ignored) */
    size_t nprereqs;
    /* out */
    int64_t start_hour; /**< a: hours studied before this step */
    int64_t end_hour;   /**< a + h */
    int start_week;     /**< 1-based */
    int end_week;
};

struct pw_plan_result {
    int64_t total_hours; /**< sum of the steps' hours */
    int weeks;           /**< ceil(total_hours / hours_per_week) */
    int had_cycle;       /**< 1 when a cycle forced a step out of dependency order */
};

/**
 * Order @a steps and schedule them at @a hours_per_week (>= 1).
 * @param[out] order  @a n indices into @a steps, in study order
 * @param[out] res    totals
 * @return 0, or -1 when out of memory or @a hours_per_week < 1
 */
int pw_plan_schedule(struct pw_plan_step *steps,
                     size_t n,
                     int hours_per_week,
                     size_t *order,
                     struct pw_plan_result *res);

/* ---- calendar dates as days since 1970-01-01 (proleptic Gregorian) ---- */

/** Parse a real calendar date "YYYY-MM-DD" (years 1..9999). @return 0 or -1. */
int pw_date_parse(const char *s, int32_t *days);

/** Format @a days as "YYYY-MM-DD" into @a out (11 bytes). */
void pw_date_format(int32_t days, char out[11]);

/** Today's date in UTC at @a now. */
int32_t pw_date_today(time_t now);

#endif
