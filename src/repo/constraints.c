/**
 * @file constraints.c
 * @brief What each named constraint of the schema means to a client.
 *
 * The specs catch bad input before SQL runs; these catch what only the
 * database can know (uniqueness, rows that vanished, cross-field rules) and
 * turn it into a field and a message instead of a generic 409/422.
 */
#include "pathways/db.h"

#include <string.h>

static const struct pw_constraint_info constraints[] = {
    { "paths_slug_uq", "slug", "is already taken by another path" },
    { "skills_slug_uq", "slug", "is already taken by another skill" },
    { "stages_path_position_uq", "position", "is already taken by another stage of this path" },
    { "steps_stage_position_uq", "position", "is already taken by another step of this stage" },
    { "stages_months_ck", "end_month", "must not be before start_month" },
    { "step_prerequisites_not_self_ck", "prerequisites", "a step cannot require itself" },
    { "stages_path_fk", "path", "does not exist" },
    { "steps_stage_fk", "stage_id", "does not exist" },
    { "step_skills_skill_fk", "skills", "refers to a skill that does not exist" },
    { "resource_skills_skill_fk", "skills", "refers to a skill that does not exist" },
    { "step_prerequisites_prerequisite_fk",
      "prerequisites",
      "refers to a step that does not exist" },
    { "step_resources_resource_fk", "resource_id", "does not exist" },
    { "step_resources_step_fk", "step_id", "does not exist" },
    { "resources_kind_ck", "kind", "is not one of the allowed values" },
    { "resources_title_ck", "title", "must be 1 to 300 characters" },
    { "resources_authors_ck", "authors", "must have at most 20 non-empty items" },
    { "resources_url_ck", "url", "must be an absolute http or https URL" },
    { "resources_summary_ck", "summary", "must be at most 2000 characters" },
    { "resources_cost_ck", "cost", "is not one of the allowed values" },
    { "resources_level_ck", "level", "is not one of the allowed values" },
    { "articles_slug_uq", "slug", "is already taken by another article" },
    { "articles_cover_image_alt_required_ck",
      "cover_image_alt",
      "is required when cover_image_url is set: describe the image for readers who cannot see "
      "it" },
    { "articles_published_at_ck", "published_at", "is required on a published article" },
    { "articles_categories_ck", "categories", "must be at most 20 slugs" },
    { "articles_cover_image_url_ck", "cover_image_url", "must be an absolute http or https URL" },
    { "salary_bands_years_ck", "max_years", "must not be below min_years" },
    { "salary_bands_amounts_ck", "max_amount", "must not be below min_amount" },
    { "salary_bands_path_fk", "path", "does not exist" },
    { "path_relations_order_ck", "other", "a path cannot be related to itself" },
    { "mentors_slug_uq", "slug", "is already taken by another mentor" },
    { "mentor_skills_skill_fk", "skills", "refers to a skill that does not exist" },
    { "mentor_paths_path_fk", "paths", "refers to a path that does not exist" },
    { "users_email_uq", "email", "is already registered" },
    { "users_email_ck", "email", "must be an email address" },
    { "users_display_name_ck", "display_name", "must be 1 to 100 characters" },
    { "users_role_ck", "role", "is not one of the allowed values" },
    { "progress_status_ck", "status", "is not one of the allowed values" },
    { "progress_step_fk", "step_id", "does not exist" },
    { NULL, NULL, NULL },
};

const struct pw_constraint_info *
pw_db_constraint(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return NULL;
    for (const struct pw_constraint_info *c = constraints; c->name != NULL; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}
