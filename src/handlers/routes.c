/**
 * @file routes.c
 * @brief The route table: every endpoint, its handler, role and body kind.
 *
 * The router derives 404, 405 + Allow, OPTIONS and the role check from this
 * table, and {slug} / {id} shapes from the patterns; no handler repeats them.
 * `.defer = 1` lets a handler's first statement wait on a pipeline (http.h says
 * what such a handler must respect): reads, and writes of one statement.
 */
#include "pathways/handlers.h"

#define CRUD_COLLECTION(path, res)                                                                 \
    { .method = PW_GET, .pattern = path, .handler = pw_h_list, .resource = &res, .defer = 1 },     \
    {                                                                                              \
        .method = PW_POST, .pattern = path, .handler = pw_h_create, .resource = &res,              \
        .min_role = PW_ROLE_EDITOR, .body = PW_BODY_JSON                                           \
    }

#define CRUD_ITEM(path, res)                                                                       \
    { .method = PW_GET, .pattern = path, .handler = pw_h_get, .resource = &res, .defer = 1 },      \
        { .method = PW_PATCH,                                                                      \
          .pattern = path,                                                                         \
          .handler = pw_h_update,                                                                  \
          .resource = &res,                                                                        \
          .min_role = PW_ROLE_EDITOR,                                                              \
          .body = PW_BODY_JSON },                                                                  \
    {                                                                                              \
        .method = PW_DELETE, .pattern = path, .handler = pw_h_delete, .resource = &res,            \
        .min_role = PW_ROLE_EDITOR                                                                 \
    }

const struct pw_route pw_routes[] = {
    { .method = PW_GET, .pattern = "/healthz", .handler = pw_h_healthz, .fast = 1 },
    { .method = PW_GET, .pattern = "/readyz", .handler = pw_h_readyz },
    { .method = PW_GET, .pattern = "/metrics", .handler = pw_h_metrics, .fast = 1 },
    { .method = PW_GET, .pattern = "/openapi.json", .handler = pw_h_openapi, .fast = 1 },
    CRUD_COLLECTION("/v1/skills", pw_res_skills),
    CRUD_ITEM("/v1/skills/{slug}", pw_res_skills),
    CRUD_COLLECTION("/v1/stages/{id}/steps", pw_res_steps),
    CRUD_ITEM("/v1/steps/{id}", pw_res_steps),
    CRUD_COLLECTION("/v1/paths", pw_res_paths),
    CRUD_ITEM("/v1/paths/{slug}", pw_res_paths),
    CRUD_COLLECTION("/v1/paths/{slug}/stages", pw_res_stages),
    CRUD_ITEM("/v1/stages/{id}", pw_res_stages),
    CRUD_COLLECTION("/v1/resources", pw_res_resources),
    CRUD_ITEM("/v1/resources/{id}", pw_res_resources),
    { .method = PW_GET,
      .pattern = "/v1/steps/{id}/resources",
      .handler = pw_h_list,
      .resource = &pw_res_step_resources,
      .defer = 1 },
    { .method = PW_PUT,
      .pattern = "/v1/steps/{id}/resources/{resource_id}",
      .handler = pw_h_step_resource_put,
      .min_role = PW_ROLE_EDITOR },
    { .method = PW_DELETE,
      .pattern = "/v1/steps/{id}/resources/{resource_id}",
      .handler = pw_h_step_resource_delete,
      .min_role = PW_ROLE_EDITOR },
    { .method = PW_GET,
      .pattern = "/v1/paths/{slug}/roadmap",
      .handler = pw_h_roadmap,
      .defer = 1 },
    CRUD_COLLECTION("/v1/articles", pw_res_articles),
    CRUD_ITEM("/v1/articles/{slug}", pw_res_articles),
    { .method = PW_GET,
      .pattern = "/v1/subscriptions",
      .handler = pw_h_list,
      .resource = &pw_res_subscribers,
      .min_role = PW_ROLE_ADMIN,
      .defer = 1 },
    { .method = PW_POST,
      .pattern = "/v1/subscriptions",
      .handler = pw_h_subscribe,
      .body = PW_BODY_JSON },
    { .method = PW_POST,
      .pattern = "/v1/subscriptions/unsubscribe",
      .handler = pw_h_unsubscribe,
      .body = PW_BODY_JSON },
    { .method = PW_GET, .pattern = "/v1/search", .handler = pw_h_search, .defer = 1 },
    CRUD_COLLECTION("/v1/paths/{slug}/salaries", pw_res_salaries),
    CRUD_ITEM("/v1/salaries/{id}", pw_res_salaries),
    { .method = PW_GET,
      .pattern = "/v1/paths/{slug}/related",
      .handler = pw_h_list,
      .resource = &pw_res_path_related,
      .defer = 1 },
    { .method = PW_PUT,
      .pattern = "/v1/paths/{slug}/related/{other}",
      .handler = pw_h_path_related_put,
      .min_role = PW_ROLE_EDITOR },
    { .method = PW_DELETE,
      .pattern = "/v1/paths/{slug}/related/{other}",
      .handler = pw_h_path_related_delete,
      .min_role = PW_ROLE_EDITOR },
    CRUD_COLLECTION("/v1/mentors", pw_res_mentors),
    CRUD_ITEM("/v1/mentors/{slug}", pw_res_mentors),
    { .method = PW_POST,
      .pattern = "/v1/auth/register",
      .handler = pw_h_auth_register,
      .body = PW_BODY_JSON },
    { .method = PW_POST,
      .pattern = "/v1/auth/login",
      .handler = pw_h_auth_login,
      .body = PW_BODY_JSON },
    { .method = PW_POST,
      .pattern = "/v1/auth/refresh",
      .handler = pw_h_auth_refresh,
      .body = PW_BODY_JSON },
    { .method = PW_POST,
      .pattern = "/v1/auth/logout",
      .handler = pw_h_auth_logout,
      .body = PW_BODY_JSON },
    { .method = PW_GET,
      .pattern = "/v1/me",
      .handler = pw_h_me_get,
      .min_role = PW_ROLE_LEARNER,
      .defer = 1 },
    { .method = PW_PATCH,
      .pattern = "/v1/me",
      .handler = pw_h_me_update,
      .min_role = PW_ROLE_LEARNER,
      .body = PW_BODY_JSON },
    { .method = PW_GET,
      .pattern = "/v1/users/{id}",
      .handler = pw_h_users_get,
      .min_role = PW_ROLE_ADMIN,
      .defer = 1 },
    { .method = PW_PATCH,
      .pattern = "/v1/users/{id}",
      .handler = pw_h_users_update,
      .min_role = PW_ROLE_ADMIN,
      .body = PW_BODY_JSON },
    { .method = PW_GET,
      .pattern = "/v1/me/progress",
      .handler = pw_h_progress_get,
      .min_role = PW_ROLE_LEARNER,
      .defer = 1 },
    { .method = PW_PUT,
      .pattern = "/v1/me/progress/{step_id}",
      .handler = pw_h_progress_put,
      .min_role = PW_ROLE_LEARNER,
      .body = PW_BODY_JSON,
      .defer = 1 },
    { .method = PW_DELETE,
      .pattern = "/v1/me/progress/{step_id}",
      .handler = pw_h_progress_delete,
      .min_role = PW_ROLE_LEARNER,
      .defer = 1 },
    { .method = PW_GET,
      .pattern = "/v1/me/paths/{slug}/plan",
      .handler = pw_h_plan_get,
      .min_role = PW_ROLE_LEARNER,
      .defer = 1 },
    { .pattern = NULL },
};
