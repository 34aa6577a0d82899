/**
 * @file repo_progress.h
 * @brief A learner's progress along roadmaps, and the data of a study plan.
 *
 * Progress is per step (a row per user and step; no row = not started), so a
 * step shared by several pages of a site keeps one status. Summaries are
 * built by PostgreSQL in one statement.
 */
#ifndef PATHWAYS_REPO_PROGRESS_H
#define PATHWAYS_REPO_PROGRESS_H

#include <stdint.h>

#include "pathways/db.h"
#include "pathways/plan.h"

/** What a progress write found. */
struct pw_progress_write {
    int user_found;
    int step_found;
    int changed; /**< clear: a row was removed */
};

/**
 * Set the status of step @a step_id (decimal text) for @a user_id to
 * @a status (in_progress, done, skipped).
 * @param[out] body  {step_id, status, updated_at}
 * @return PW_DB_NOT_FOUND when the user or the step is missing (see @a w)
 */
enum pw_db_status pw_repo_progress_put(struct pw_db *db,
                                       int64_t user_id,
                                       const char *step_id,
                                       const char *status,
                                       struct pw_progress_write *w,
                                       struct pw_text *body);

/**
 * Forget the status of step @a step_id (back to not started).
 * @return PW_DB_NOT_FOUND when the user or the step is missing (see @a w);
 *         PW_DB_OK also when there was nothing to clear
 */
enum pw_db_status pw_repo_progress_clear(struct pw_db *db,
                                         int64_t user_id,
                                         const char *step_id,
                                         struct pw_progress_write *w);

/**
 * The progress document of @a user_id on the path @a slug: every step with
 * its status, per-stage and overall counts, percent done and hours.
 * @return PW_DB_NOT_FOUND when there is no such path
 */
enum pw_db_status
pw_repo_progress_summary(struct pw_db *db, int64_t user_id, const char *slug, struct pw_text *out);

/**
 * The steps of path @a slug that @a user_id has neither done nor skipped,
 * ready for pw_plan_schedule(): their prerequisites are restricted to other
 * steps of this set (the rest are satisfied), and items[i] is the JSON object
 * of steps[i] built by PostgreSQL (without the schedule).
 */
struct pw_plan_input {
    size_t n;
    struct pw_plan_step *steps;
    const char **items; /**< point into owner */
    size_t *item_lens;
    int64_t *prereq_ids; /**< storage behind steps[i].prereqs */
    PGresult *owner;
};

/**
 * @return PW_DB_NOT_FOUND when there is no such path; PW_DB_FAILED when out
 *         of memory. Free @a in with pw_repo_plan_input_free() in any case.
 */
enum pw_db_status pw_repo_progress_plan_input(struct pw_db *db,
                                              int64_t user_id,
                                              const char *slug,
                                              struct pw_plan_input *in);

void pw_repo_plan_input_free(struct pw_plan_input *in);

#endif
