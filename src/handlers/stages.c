/**
 * @file stages.c
 * @brief The stages resource: field spec; listed and created under a path.
 *
 * end_month may be null (an open-ended stage). Whether it is before
 * start_month is left to the schema's stages_months_ck, which also sees the
 * stored start_month when a PATCH changes only one of the two.
 */
#include "pathways/handlers.h"
#include "pathways/repo_tables.h"

static const struct pw_field_spec stage_fields[] = {
    { .name = "position", .type = PW_T_INT, .flags = PW_REQUIRED, .min = 1, .max = 1000 },
    { .name = "title", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 200 },
    { .name = "goal", .type = PW_T_STRING, .flags = PW_MULTILINE, .max = 2000 },
    { .name = "start_month", .type = PW_T_INT, .min = 0, .max = 600 },
    { .name = "end_month", .type = PW_T_INT, .flags = PW_NULLABLE, .min = 0, .max = 600 },
    PW_SPEC_END,
};

const struct pw_resource pw_res_stages = {
    .name = "stage",
    .repo = &pw_repo_stages,
    .fields = stage_fields,
    .location = "/v1/stages/",
};
