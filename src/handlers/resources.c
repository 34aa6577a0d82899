/**
 * @file resources.c
 * @brief Learning resources: the catalogue's field spec and filters, a step's
 *        resource list, and linking resources to steps.
 *
 * PUT /v1/steps/{id}/resources/{resource_id} is idempotent and answers 204
 * whether it created the link or found it already there: the answer depends
 * only on the final state, so a client may retry it blindly. DELETE answers
 * 204 when it removed the link and 404 when there was none. Links carry no
 * version, so If-Match does not apply to them.
 */
#include "pathways/handlers.h"
#include "pathways/repo_resources.h"
#include "pathways/repo_tables.h"

#include <stdio.h>

static const char *const resource_kinds[] = { "book",          "course",   "article", "video",
                                              "documentation", "tutorial", "project", NULL };
static const char *const resource_costs[] = { "free", "paid", NULL };
static const char *const resource_levels[] = { "beginner", "intermediate", "advanced", NULL };

static const struct pw_field_spec resource_fields[] = {
    { .name = "kind", .type = PW_T_STRING, .flags = PW_REQUIRED, .enum_values = resource_kinds },
    { .name = "title", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 300 },
    { .name = "authors", .type = PW_T_STRING_ARRAY, .max = 20, .item_min = 1, .item_max = 200 },
    PW_FIELD_URL("url"),
    { .name = "summary", .type = PW_T_STRING, .flags = PW_MULTILINE, .max = 2000 },
    { .name = "cost", .type = PW_T_STRING, .flags = PW_REQUIRED, .enum_values = resource_costs },
    { .name = "level", .type = PW_T_STRING, .flags = PW_REQUIRED, .enum_values = resource_levels },
    PW_FIELD_SLUGS("skills", 50),
    PW_SPEC_END,
};

/* In the order of pw_repo_resources.filters ($5..$9). */
static const struct pw_filter resource_filters[] = {
    { .name = "kind", .enum_values = resource_kinds, .max_len = 32 },
    { .name = "cost", .enum_values = resource_costs, .max_len = 32 },
    { .name = "level", .enum_values = resource_levels, .max_len = 32 },
    { .name = "skill", .pattern = PW_PAT_SLUG, .max_len = 64 },
    { .name = "q", .max_len = 100 },
    { .name = NULL },
};

const struct pw_resource pw_res_resources = {
    .name = "resource",
    .repo = &pw_repo_resources,
    .fields = resource_fields,
    .filters = resource_filters,
    .location = "/v1/resources/",
};

/* GET /v1/steps/{id}/resources only: items are written through /v1/resources. */
const struct pw_resource pw_res_step_resources = {
    .name = "resource",
    .repo = &pw_repo_step_resources,
    .location = "/v1/resources/",
};

/** 404 naming what is missing: the step, the resource, or the link between them. */
static enum MHD_Result
reply_link_missing(struct pw_request *rq, const struct pw_step_link *link)
{
    char detail[160];

    if (!link->step_found)
        snprintf(detail, sizeof detail, "step %s does not exist", pw_param(rq, 0));
    else if (!link->resource_found)
        snprintf(detail, sizeof detail, "resource %s does not exist", pw_param(rq, 1));
    else
        snprintf(detail,
                 sizeof detail,
                 "resource %s is not linked to step %s",
                 pw_param(rq, 1),
                 pw_param(rq, 0));
    return pw_reply_problem(rq, PW_PROBLEM_NOT_FOUND, detail, NULL);
}

enum MHD_Result
pw_h_step_resource_put(struct pw_request *rq)
{
    struct pw_step_link link;
    enum MHD_Result ret;
    enum pw_db_status st;

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    st = pw_repo_step_resources_link(rq->db, pw_param(rq, 0), pw_param(rq, 1), &link);
    if (st == PW_DB_NOT_FOUND)
        return reply_link_missing(rq, &link);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_empty(rq, 204, NULL, 0); /* new or already there: see the file comment */
}

enum MHD_Result
pw_h_step_resource_delete(struct pw_request *rq)
{
    struct pw_step_link link;
    enum MHD_Result ret;
    enum pw_db_status st;

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    st = pw_repo_step_resources_unlink(rq->db, pw_param(rq, 0), pw_param(rq, 1), &link);
    if (st == PW_DB_NOT_FOUND)
        return reply_link_missing(rq, &link);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_empty(rq, 204, NULL, 0);
}
