/**
 * @file roadmap.c
 * @brief GET /v1/paths/{slug}/roadmap: the page a frontend renders for a path.
 *
 * The body comes from PostgreSQL as it is (src/repo/roadmap.c). It gathers
 * rows of several tables, so the path's own version cannot stand for it: the
 * ETag is a hash of the body, as for lists (DESIGN.md, HTTP conventions).
 */
#include "pathways/handlers.h"
#include "pathways/repo_roadmap.h"

enum MHD_Result
pw_h_roadmap(struct pw_request *rq)
{
    struct pw_text body = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;
    char etag[32];

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    st = pw_repo_roadmap(rq->db, pw_param(rq, 0), &body);
    if (st == PW_DB_NOT_FOUND)
        return pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, "no career path has this slug", NULL);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    pw_etag_hash(etag, sizeof etag, body.data, body.len);
    if (pw_if_none_match(rq, etag)) {
        pw_text_release(&body);
        return pw_reply_empty(rq, 304, etag, PW_CACHE_PUBLIC);
    }
    return pw_reply_json(rq, 200, &body, etag, NULL, PW_CACHE_PUBLIC);
}
