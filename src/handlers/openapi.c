/**
 * @file openapi.c
 * @brief GET /openapi.json: the OpenAPI document, generated at build time
 *        from openapi.yaml and compiled in (one source, no hand-kept copy).
 */
#include "pathways/embedded.h"
#include "pathways/handlers.h"

#include <pthread.h>

static char openapi_etag[32];
static pthread_once_t etag_once = PTHREAD_ONCE_INIT;

static void
compute_etag(void)
{
    pw_etag_hash(
        openapi_etag, sizeof openapi_etag, pw_embedded_openapi[0].data, pw_embedded_openapi[0].len);
}

enum MHD_Result
pw_h_openapi(struct pw_request *rq)
{
    enum MHD_Result ret;

    if (pw_query_allow_or_reply(rq, NULL, NULL, &ret) != 0)
        return ret;
    pthread_once(&etag_once, compute_etag);
    if (pw_if_none_match(rq, openapi_etag))
        return pw_reply_empty(rq, 304, openapi_etag, PW_CACHE_PUBLIC);
    return pw_reply_static(
        rq, pw_embedded_openapi[0].data, pw_embedded_openapi[0].len, openapi_etag, PW_CACHE_PUBLIC);
}
