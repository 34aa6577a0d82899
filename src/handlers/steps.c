/**
 * @file steps.c
 * @brief The steps resource (under a stage): field spec.
 */
#include "pathways/handlers.h"
#include "pathways/repo_tables.h"

#include <stdint.h>

static const struct pw_field_spec step_fields[] = {
    { .name = "position", .type = PW_T_INT, .flags = PW_REQUIRED, .min = 1, .max = 1000 },
    { .name = "title", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 200 },
    { .name = "description", .type = PW_T_STRING, .flags = PW_MULTILINE, .max = 20000 },
    { .name = "topics", .type = PW_T_STRING_ARRAY, .max = 50, .item_min = 1, .item_max = 200 },
    { .name = "estimated_hours", .type = PW_T_INT, .min = 0, .max = 10000 },
    PW_FIELD_SLUGS("skills", 50),
    { .name = "prerequisites",
      .type = PW_T_INT_ARRAY,
      .flags = PW_UNIQUE,
      .max = 50,
      .item_min = 1,
      .item_max = INT64_MAX },
    PW_SPEC_END,
};

const struct pw_resource pw_res_steps = {
    .name = "step",
    .repo = &pw_repo_steps,
    .fields = step_fields,
    .location = "/v1/steps/",
};
