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

enum MHD_Result pw_h_healthz(struct pw_request *rq);
enum MHD_Result pw_h_readyz(struct pw_request *rq);

/** GET /v1/paths/{slug}/roadmap: the whole roadmap document of a path. */
enum MHD_Result pw_h_roadmap(struct pw_request *rq);

/** Allowed values shared by several specs. */
extern const char *const pw_skill_categories[];

#endif
