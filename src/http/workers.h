/**
 * @file workers.h
 * @brief Threads that run blocking handlers off the event loops (src/http/workers.c).
 */
#ifndef PATHWAYS_HTTP_WORKERS_H
#define PATHWAYS_HTTP_WORKERS_H

#include "pathways/http.h"

/** Start @a n worker threads. @return 0, or -1. */
int pw_workers_start(unsigned n);

/**
 * Run @a rq's handler on a worker. The caller (the loop) has suspended its
 * connection; the worker resumes it when the handler has returned, with the
 * reply held in the request (rq->held) for the loop to queue.
 */
void pw_workers_submit(struct pw_request *rq);

/** Finish the queued requests and join the workers (the loops still run). */
void pw_workers_stop(void);

#endif
