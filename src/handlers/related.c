/**
 * @file related.c
 * @brief Related paths: GET /v1/paths/{slug}/related, and PUT/DELETE
 *        /v1/paths/{slug}/related/{other} to relate or unrelate two paths.
 *
 * The relation is symmetric: after PUT /v1/paths/a/related/b, b lists a
 * and a lists b, and DELETE from either side removes it (src/repo/related.c
 * stores one row per pair). PUT is idempotent and answers 204 whether it
 * made the relation or found it there (404 when either path is missing);
 * DELETE answers 204 when it removed one and 404 when there was none. A
 * path is never related to itself: both methods answer 422 naming `other`.
 * Relations carry no version, so If-Match does not apply to them.
 */
#include "pathways/handlers.h"
#include "pathways/repo_related.h"
#include "pathways/repo_tables.h"

#include <stdio.h>
#include <string.h>

/* GET only: the related paths themselves are edited through /v1/paths. */
const struct pw_resource pw_res_path_related = {
    .name = "related path",
    .repo = &pw_repo_path_related,
    .location = "/v1/paths/",
};

/** 404 naming what is missing: either path, or the relation between them. */
static enum MHD_Result
reply_missing(struct pw_request *rq, const struct pw_path_relation *rel)
{
    char detail[200];

    if (!rel->path_found)
        snprintf(detail, sizeof detail, "path %s does not exist", pw_param(rq, 0));
    else if (!rel->other_found)
        snprintf(detail, sizeof detail, "path %s does not exist", pw_param(rq, 1));
    else
        snprintf(detail,
                 sizeof detail,
                 "paths %s and %s are not related",
                 pw_param(rq, 0),
                 pw_param(rq, 1));
    return pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, detail, NULL);
}

/** Query and self-relation checks both methods share. @return 0, or -1 after a reply. */
static int
check_pair_or_reply(struct pw_request *rq, enum MHD_Result *ret)
{
    if (pw_query_none_or_reply(rq, ret) != 0)
        return -1;
    if (strcmp(pw_param(rq, 0), pw_param(rq, 1)) == 0) {
        *ret = pw_reply_problem(
            rq,
            PW_PROBLEM_VALIDATION,
            "a path cannot be related to itself",
            json_pack("[{s:s, s:s}]", "field", "other", "message", "must be another path"));
        return -1;
    }
    return 0;
}

enum MHD_Result
pw_h_path_related_put(struct pw_request *rq)
{
    struct pw_path_relation rel;
    enum MHD_Result ret;
    enum pw_db_status st;

    if (check_pair_or_reply(rq, &ret) != 0)
        return ret;
    st = pw_repo_path_relations_link(rq->db, pw_param(rq, 0), pw_param(rq, 1), &rel);
    if (st == PW_DB_NOT_FOUND)
        return reply_missing(rq, &rel);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_empty(rq, 204, NULL, 0); /* new or already there: see the file comment */
}

enum MHD_Result
pw_h_path_related_delete(struct pw_request *rq)
{
    struct pw_path_relation rel;
    enum MHD_Result ret;
    enum pw_db_status st;

    if (check_pair_or_reply(rq, &ret) != 0)
        return ret;
    st = pw_repo_path_relations_unlink(rq->db, pw_param(rq, 0), pw_param(rq, 1), &rel);
    if (st == PW_DB_NOT_FOUND)
        return reply_missing(rq, &rel);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_empty(rq, 204, NULL, 0);
}
