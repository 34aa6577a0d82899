/**
 * @file workers.c
 * @brief A small pool of threads for the handlers that block: transactions,
 *        password hashing, anything not on a pipeline.
 *
 * The event loop suspends the request's connection and queues the request here;
 * a worker runs the handler on its own database connection, with its reply held
 * in the request (reply.c) instead of queued, and resumes the connection; the
 * loop then queues the held reply (server.c). So a 50 ms Argon2id hash or a
 * transaction waiting on a row lock holds a worker, never a loop and the
 * connections it serves.
 */
#include "workers.h"
#include "loop.h"
#include "pathways/db.h"
#include "pathways/log.h"

#include <pthread.h>
#include <stdlib.h>

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct pw_request *head, *tail;
    int stopping;
    unsigned n;
    pthread_t thread[];
};

static struct pool *pool;

static void *
run(void *arg)
{
    struct pool *p = arg;

    for (;;) {
        struct pw_request *rq;

        pthread_mutex_lock(&p->lock);
        while (p->head == NULL && !p->stopping)
            pthread_cond_wait(&p->ready, &p->lock);
        rq = p->head;
        if (rq != NULL) {
            p->head = rq->worker_next;
            if (p->head == NULL)
                p->tail = NULL;
        }
        pthread_mutex_unlock(&p->lock);
        if (rq == NULL)
            break; /* stopping, and nothing left to do */
        rq->db = pw_db_thread();
        rq->worker_ret = rq->route->handler(rq);
        rq->work = PW_WORK_DONE;
        /* From here the request is its loop's again. */
        pw_loop_give_back(rq->loop, rq);
    }
    return NULL;
}

int
pw_workers_start(unsigned n)
{
    pool = calloc(1, sizeof *pool + n * sizeof pool->thread[0]);
    if (pool == NULL)
        return -1;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->ready, NULL);
    for (; pool->n < n; pool->n++)
        if (pthread_create(&pool->thread[pool->n], NULL, run, pool) != 0) {
            pw_workers_stop();
            return -1;
        }
    return 0;
}

void
pw_workers_submit(struct pw_request *rq)
{
    rq->worker_next = NULL;
    pthread_mutex_lock(&pool->lock);
    if (pool->tail != NULL)
        pool->tail->worker_next = rq;
    else
        pool->head = rq;
    pool->tail = rq;
    pthread_cond_signal(&pool->ready);
    pthread_mutex_unlock(&pool->lock);
}

void
pw_workers_stop(void)
{
    if (pool == NULL)
        return;
    /* Workers finish what is queued (its connections are resumed), then exit. */
    pthread_mutex_lock(&pool->lock);
    pool->stopping = 1;
    pthread_cond_broadcast(&pool->ready);
    pthread_mutex_unlock(&pool->lock);
    for (unsigned i = 0; i < pool->n; i++)
        pthread_join(pool->thread[i], NULL);
    pthread_cond_destroy(&pool->ready);
    pthread_mutex_destroy(&pool->lock);
    free(pool);
    pool = NULL;
}
