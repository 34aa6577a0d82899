/**
 * @file mentors.c
 * @brief The mentors directory: field spec and list filters.
 *
 * currency is optional on input and defaults to "USD" (so a mentor without
 * a published rate needs none), but is always present in answers: a rate is
 * never shown without its currency. hourly_rate may be null (not published).
 */
#include "pathways/handlers.h"
#include "pathways/repo_tables.h"

static const struct pw_field_spec mentor_fields[] = {
    PW_FIELD_SLUG,
    { .name = "name", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 100 },
    { .name = "headline", .type = PW_T_STRING, .max = 200 },
    { .name = "bio", .type = PW_T_STRING, .flags = PW_MULTILINE, .max = 5000 },
    PW_FIELD_SLUGS("skills", 50),
    PW_FIELD_SLUGS("paths", 20),
    { .name = "hourly_rate", .type = PW_T_INT, .flags = PW_NULLABLE, .min = 0, .max = 100000 },
    { .name = "currency", .type = PW_T_STRING, .pattern = PW_PAT_CURRENCY },
    PW_FIELD_URL("url"),
    { .name = "available", .type = PW_T_BOOL },
    PW_SPEC_END,
};

/* In the order of pw_repo_mentors.filters ($5..$7). */
static const struct pw_filter mentor_filters[] = {
    { .name = "skill", .pattern = PW_PAT_SLUG, .max_len = 64 },
    { .name = "path", .pattern = PW_PAT_SLUG, .max_len = 64 },
    { .name = "available", .is_bool = 1 },
    { .name = NULL },
};

const struct pw_resource pw_res_mentors = {
    .name = "mentor",
    .repo = &pw_repo_mentors,
    .fields = mentor_fields,
    .filters = mentor_filters,
    .location = "/v1/mentors/",
};
