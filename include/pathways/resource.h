/**
 * @file resource.h
 * @brief Generic CRUD handlers driven by a resource description.
 *
 * A catalogue resource is a `const struct pw_resource`: its field specs,
 * its list filters and where it lives; the five generic handlers below do
 * the HTTP side (query checks, pagination, ETags, preconditions, Location)
 * and call the table-driven repository (repo.h) for the SQL.
 */
#ifndef PATHWAYS_RESOURCE_H
#define PATHWAYS_RESOURCE_H

#include "pathways/http.h"
#include "pathways/repo.h"
#include "pathways/spec.h"

/** A list filter from the query string, in the repository's filter order. */
struct pw_filter {
    const char *name;               /**< query parameter; NULL ends the table */
    const char *const *enum_values; /**< allowed values, or NULL */
    enum pw_pattern pattern;        /**< PW_PAT_SLUG for slugs... */
    unsigned max_len;               /**< longest accepted value (bytes) */
    int is_bool;                    /**< "true"/"false", passed to SQL as such */
};

/**
 * The reader's scope for a table with row visibility (repo->visible): text
 * bound for the SQL, computed from the request's claims and never from its
 * query string; NULL is the public view. A read answered under a non-NULL
 * scope depends on who asks, so it is sent Cache-Control: no-store.
 */
typedef const char *(*pw_scope_fn)(const struct pw_request *rq);

struct pw_resource {
    const char *name; /**< "skill", for messages */
    const struct pw_repo_table *repo;
    const struct pw_field_spec *fields; /**< create: PW_REQUIRED apply; PATCH: all optional */
    const struct pw_filter *filters;    /**< or NULL; count must match repo->nfilters */
    const char *location;               /**< "/v1/skills/": Location = location + key */
    pw_scope_fn reader_scope;           /**< or NULL: every reader sees the same rows */
};

/** GET collection (under a parent when the route has a parameter). */
enum MHD_Result pw_h_list(struct pw_request *rq);
/** GET one, by the route's last parameter. */
enum MHD_Result pw_h_get(struct pw_request *rq);
/** POST to the collection: 201 + Location. */
enum MHD_Result pw_h_create(struct pw_request *rq);
/** PATCH one, honouring If-Match. */
enum MHD_Result pw_h_update(struct pw_request *rq);
/** DELETE one, honouring If-Match: 204. */
enum MHD_Result pw_h_delete(struct pw_request *rq);

/**
 * Refuse query parameters other than @a allowed (NULL-terminated).
 * @return 0, or -1 after queuing a 400 naming the parameter.
 */
int pw_query_allow_or_reply(struct pw_request *rq,
                            const char *const *allowed,
                            const struct pw_filter *filters,
                            enum MHD_Result *ret);

/** pw_query_allow_or_reply() for a route that takes no query parameter at all. */
int pw_query_none_or_reply(struct pw_request *rq, enum MHD_Result *ret);

/**
 * Answer a page of a list: {"data": <page->items>, "next_cursor": ..., "total": ...}
 * with a Link header to the next page, a hash ETag and 304 on If-None-Match.
 * Releases page->items.
 * @param list_id  what the next cursor is bound to (see cursor.h)
 * @param flags    PW_CACHE_PUBLIC for a public list
 */
enum MHD_Result
pw_reply_page(struct pw_request *rq, struct pw_page *page, const char *list_id, unsigned flags);

/** Prepare every repository the routes use (at start). @return 0 or -1. */
int pw_resources_init(const struct pw_route *routes);
void pw_resources_free(const struct pw_route *routes);

#endif
