/**
 * @file skills.c
 * @brief The skills resource: field spec and list filters.
 */
#include "pathways/handlers.h"
#include "pathways/repo_tables.h"

const char *const pw_skill_categories[] = { "language", "framework", "database", "api",
                                            "security", "tool",      "testing",  "devops",
                                            "concept",  NULL };

static const struct pw_field_spec skill_fields[] = {
    PW_FIELD_SLUG,
    { .name = "name", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 100 },
    { .name = "category",
      .type = PW_T_STRING,
      .flags = PW_REQUIRED,
      .enum_values = pw_skill_categories },
    { .name = "description", .type = PW_T_STRING, .flags = PW_MULTILINE, .max = 2000 },
    PW_FIELD_URL("url"),
    PW_SPEC_END,
};

static const struct pw_filter skill_filters[] = {
    { .name = "category", .enum_values = pw_skill_categories, .max_len = 32 },
    { .name = "q", .max_len = 100 },
    { .name = NULL },
};

const struct pw_resource pw_res_skills = {
    .name = "skill",
    .repo = &pw_repo_skills,
    .fields = skill_fields,
    .filters = skill_filters,
    .location = "/v1/skills/",
};
