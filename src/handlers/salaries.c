/**
 * @file salaries.c
 * @brief The salary bands of a path: field spec; listed and created under a path.
 *
 * Yearly figures in whole currency units beside an ISO 4217 `currency`
 * (DESIGN.md, HTTP conventions). max_years and max_amount may be null (an
 * open-ended band). Whether they are below min_years / min_amount is left
 * to the schema's salary_bands_years_ck and salary_bands_amounts_ck, which
 * also see the stored side when a PATCH changes only one of the two.
 */
#include "pathways/handlers.h"
#include "pathways/repo_tables.h"

static const struct pw_field_spec salary_fields[] = {
    { .name = "level", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 100 },
    { .name = "min_years", .type = PW_T_INT, .flags = PW_REQUIRED, .min = 0, .max = 60 },
    { .name = "max_years", .type = PW_T_INT, .flags = PW_NULLABLE, .min = 0, .max = 60 },
    { .name = "currency", .type = PW_T_STRING, .flags = PW_REQUIRED, .pattern = PW_PAT_CURRENCY },
    { .name = "min_amount", .type = PW_T_INT, .flags = PW_REQUIRED, .min = 0, .max = 100000000 },
    { .name = "max_amount", .type = PW_T_INT, .flags = PW_NULLABLE, .min = 0, .max = 100000000 },
    { .name = "region", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 100 },
    { .name = "source", .type = PW_T_STRING, .max = 200 },
    { .name = "as_of", .type = PW_T_STRING, .flags = PW_NULLABLE, .pattern = PW_PAT_DATE },
    PW_SPEC_END,
};

const struct pw_resource pw_res_salaries = {
    .name = "salary band",
    .repo = &pw_repo_salaries,
    .fields = salary_fields,
    .location = "/v1/salaries/",
};
