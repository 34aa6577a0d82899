/**
 * @file metrics.c
 * @brief GET /metrics: Prometheus text exposition (formatting in src/http/metrics.c).
 */
#include "pathways/handlers.h"
#include "pathways/metrics.h"

enum MHD_Result
pw_h_metrics(struct pw_request *rq)
{
    enum MHD_Result ret;
    size_t len = 0;
    char *text;

    if (pw_query_allow_or_reply(rq, NULL, NULL, &ret) != 0)
        return ret;
    text = pw_metrics_render(&len);
    if (text == NULL)
        return pw_reply_problem(rq, PW_PROBLEM_INTERNAL, "out of memory", NULL);
    return pw_reply_text_steal(
        rq, 200, "text/plain; version=0.0.4; charset=utf-8", text, len, PW_CACHE_NO_STORE);
}
