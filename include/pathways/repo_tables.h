/**
 * @file repo_tables.h
 * @brief The repository tables of the catalogue resources (src/repo/<resource>.c).
 */
#ifndef PATHWAYS_REPO_TABLES_H
#define PATHWAYS_REPO_TABLES_H

#include "pathways/repo.h"

extern const struct pw_repo_table pw_repo_skills;
extern const struct pw_repo_table pw_repo_steps;
extern const struct pw_repo_table pw_repo_paths;
extern const struct pw_repo_table pw_repo_stages;
extern const struct pw_repo_table pw_repo_resources;
/** List-only: the resources linked to the step $5. */
extern const struct pw_repo_table pw_repo_step_resources;
extern const struct pw_repo_table pw_repo_salaries;
extern const struct pw_repo_table pw_repo_mentors;
/** List-only: the paths related to the path $5 (src/repo/related.c). */
extern const struct pw_repo_table pw_repo_path_related;

#endif
