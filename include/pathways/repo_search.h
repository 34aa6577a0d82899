/**
 * @file repo_search.h
 * @brief Full-text search across paths, steps, skills, resources and
 *        published articles (src/repo/search.c).
 */
#ifndef PATHWAYS_REPO_SEARCH_H
#define PATHWAYS_REPO_SEARCH_H

#include "pathways/repo.h"

struct pw_search_args {
    const char *q;     /**< the user's search text (websearch syntax) */
    const char *types; /**< PostgreSQL text[] literal such as "{skill,article}", or NULL: all */
    const char *after; /**< cursor value ("<rank> <type>"), NULL on the first page */
    int64_t after_id;  /**< cursor id */
    unsigned limit;    /**< 1..100 */
};

/**
 * One page of hits, best first: a JSON array of {type, key, title, snippet,
 * url} in page->items, and in last_value / last_id the keyset position of
 * the last hit ("<rank> <type>", id) for the next cursor. page->total is -1.
 */
enum pw_db_status
pw_repo_search(struct pw_db *db, const struct pw_search_args *a, struct pw_page *page);

#endif
