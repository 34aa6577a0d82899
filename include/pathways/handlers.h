/**
 * @file handlers.h
 * @brief Resources and handlers the route table (src/handlers/routes.c) names.
 */
#ifndef PATHWAYS_HANDLERS_H
#define PATHWAYS_HANDLERS_H

#include "pathways/resource.h"

/** The route table of the service, ended by a row with a NULL pattern. */
extern const struct pw_route pw_routes[];

extern const struct pw_resource pw_res_skills;
extern const struct pw_resource pw_res_steps;
extern const struct pw_resource pw_res_paths;
extern const struct pw_resource pw_res_stages;
extern const struct pw_resource pw_res_resources;
extern const struct pw_resource pw_res_step_resources;
extern const struct pw_resource pw_res_articles;
extern const struct pw_resource pw_res_subscribers;
extern const struct pw_resource pw_res_salaries;
extern const struct pw_resource pw_res_mentors;
extern const struct pw_resource pw_res_path_related;

enum MHD_Result pw_h_healthz(struct pw_request *rq);
enum MHD_Result pw_h_readyz(struct pw_request *rq);
/** GET /metrics: Prometheus text format. */
enum MHD_Result pw_h_metrics(struct pw_request *rq);
/** GET /openapi.json: the compiled-in OpenAPI document. */
enum MHD_Result pw_h_openapi(struct pw_request *rq);
/** PUT /v1/steps/{id}/resources/{resource_id}: link (idempotent, 204). */
enum MHD_Result pw_h_step_resource_put(struct pw_request *rq);
/** DELETE /v1/steps/{id}/resources/{resource_id}: unlink (204, 404 without a link). */
enum MHD_Result pw_h_step_resource_delete(struct pw_request *rq);

/** GET /v1/paths/{slug}/roadmap: the whole roadmap document of a path. */
enum MHD_Result pw_h_roadmap(struct pw_request *rq);

/** POST /v1/subscriptions: sign up for the newsletter (202, same answer for any address). */
enum MHD_Result pw_h_subscribe(struct pw_request *rq);
/** POST /v1/subscriptions/unsubscribe: honour an unsubscribe token (204). */
enum MHD_Result pw_h_unsubscribe(struct pw_request *rq);
/** GET /v1/search: ranked full-text hits across the catalogue and the articles. */
enum MHD_Result pw_h_search(struct pw_request *rq);
/** PUT /v1/paths/{slug}/related/{other}: relate two paths (symmetric, idempotent, 204). */
enum MHD_Result pw_h_path_related_put(struct pw_request *rq);
/** DELETE /v1/paths/{slug}/related/{other}: unrelate them (204, 404 when not related). */
enum MHD_Result pw_h_path_related_delete(struct pw_request *rq);
/* Accounts (src/handlers/auth.c, me.c, progress.c). */
struct pw_config;
/** Start-up of the account routes: the dummy password hash, the rate limiter. @return 0 or -1. */
int pw_accounts_init(const struct pw_config *cfg);
void pw_accounts_shutdown(void);
/** POST /v1/auth/register: 201 with the new learner. */
enum MHD_Result pw_h_auth_register(struct pw_request *rq);
/** POST /v1/auth/login: an access token and the first refresh token of a session. */
enum MHD_Result pw_h_auth_login(struct pw_request *rq);
/** POST /v1/auth/refresh: a new pair; a reused refresh token revokes its session. */
enum MHD_Result pw_h_auth_refresh(struct pw_request *rq);
/** POST /v1/auth/logout: revoke the session of a refresh token (204). */
enum MHD_Result pw_h_auth_logout(struct pw_request *rq);
/** GET /v1/me: the caller's account. */
enum MHD_Result pw_h_me_get(struct pw_request *rq);
/** PATCH /v1/me: display_name, or password with current_password. */
enum MHD_Result pw_h_me_update(struct pw_request *rq);
/** GET /v1/users/{id} (admin). */
enum MHD_Result pw_h_users_get(struct pw_request *rq);
/** PATCH /v1/users/{id} (admin): {role}. */
enum MHD_Result pw_h_users_update(struct pw_request *rq);
/** GET /v1/me/progress?path=slug: statuses, percent done, hours done and left. */
enum MHD_Result pw_h_progress_get(struct pw_request *rq);
/** PUT /v1/me/progress/{step_id}: {status}. */
enum MHD_Result pw_h_progress_put(struct pw_request *rq);
/** DELETE /v1/me/progress/{step_id}: back to not started (204). */
enum MHD_Result pw_h_progress_delete(struct pw_request *rq);
/** GET /v1/me/paths/{slug}/plan: the remaining steps scheduled at a pace. */
enum MHD_Result pw_h_plan_get(struct pw_request *rq);

/** Allowed values shared by several specs. */
extern const char *const pw_skill_categories[];

#endif
