/**
 * @file repo_tables.h
 * @brief The repository tables of the catalogue resources (src/repo/<resource>.c).
 */
#ifndef PATHWAYS_REPO_TABLES_H
#define PATHWAYS_REPO_TABLES_H

#include "pathways/repo.h"

/**
 * The `q` list filter: the row's full-text vector (`search`, generated in
 * 0005_search.sql with weights, English stemming, GIN-indexed) against the
 * text in parameter @a param read as a web search (words, "phrases", `or`,
 * `-word`) whose last word is also a prefix (pw_search_query). So `q` finds
 * words, not substrings: "postgre" and "postgres" find PostgreSQL, "developers"
 * finds "developer", but "greSQL" finds nothing. The scalar subquery builds the
 * query once per statement, also under a generic plan.
 */
#define PW_REPO_Q_MATCH(param) "t.search @@ (SELECT pw_search_query(" param "::text))"

extern const struct pw_repo_table pw_repo_skills;
extern const struct pw_repo_table pw_repo_steps;
extern const struct pw_repo_table pw_repo_paths;
extern const struct pw_repo_table pw_repo_stages;
extern const struct pw_repo_table pw_repo_resources;
/** List-only: the resources linked to the step $5. */
extern const struct pw_repo_table pw_repo_step_resources;
/** Blog articles; drafts visible to the scope "editor" only. */
extern const struct pw_repo_table pw_repo_articles;
/** Newsletter subscribers: the admin's list-only view. */
extern const struct pw_repo_table pw_repo_subscribers;
extern const struct pw_repo_table pw_repo_salaries;
extern const struct pw_repo_table pw_repo_mentors;
/** List-only: the paths related to the path $5 (src/repo/related.c). */
extern const struct pw_repo_table pw_repo_path_related;

#endif
