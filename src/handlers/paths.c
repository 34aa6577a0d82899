/**
 * @file paths.c
 * @brief The paths resource: field spec and list filters.
 */
#include "pathways/handlers.h"
#include "pathways/repo_tables.h"

static const struct pw_field_spec path_fields[] = {
    PW_FIELD_SLUG,
    { .name = "title", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 200 },
    { .name = "summary", .type = PW_T_STRING, .max = 1000 },
    { .name = "overview", .type = PW_T_STRING, .flags = PW_MULTILINE, .max = 20000 },
    { .name = "responsibilities",
      .type = PW_T_STRING_ARRAY,
      .max = 50,
      .item_min = 1,
      .item_max = 500 },
    { .name = "work_environment",
      .type = PW_T_STRING_ARRAY,
      .max = 50,
      .item_min = 1,
      .item_max = 500 },
    PW_SPEC_END,
};

static const struct pw_filter path_filters[] = {
    { .name = "q", .max_len = 100 },
    { .name = NULL },
};

const struct pw_resource pw_res_paths = {
    .name = "path",
    .repo = &pw_repo_paths,
    .fields = path_fields,
    .filters = path_filters,
    .location = "/v1/paths/",
};
