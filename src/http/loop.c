/**
 * @file loop.c
 * @brief One event loop per thread: a libmicrohttpd daemon and the thread's
 *        database pipeline, polled together.
 *
 * All daemons share one listening socket. A loop polls its daemon's epoll
 * descriptor, its pipeline's socket and an eventfd for orders from the main
 * thread; then it reads the database answers that are in (resuming the HTTP
 * connections that waited for them), runs the daemon (which calls the handlers,
 * which queue statements), and sends the queued statements in one write. So a
 * request that waits on PostgreSQL holds no thread, and neither the loop nor the
 * backend wakes once per statement under load; nothing crosses threads.
 */
#include "loop.h"
#include "pathways/db.h"
#include "pathways/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/** Longest poll without looking at MHD's timeouts again (ms). */
#define POLL_MAX_MS 1000

struct pw_loop {
    pthread_t thread;
    struct MHD_Daemon *daemon;
    int wake; /**< eventfd: the main thread has an order, or a worker gave a request back */
    atomic_int quiesce, quiesced, stop;
    int nice;                      /**< this thread's scheduling niceness (PATHWAYS_LOOP_NICE) */
    pthread_mutex_t lock;          /**< guards given_back */
    struct pw_request *given_back; /**< by workers, to resume (linked by worker_next) */
};

static _Thread_local struct pw_loop *current;

struct pw_loop *
pw_loop_current(void)
{
    return current;
}

struct pw_loops {
    unsigned n;
    struct pw_loop loop[];
};

int
pw_listen_open(const char *host, unsigned short port, unsigned short *bound)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
    socklen_t len = sizeof addr;
    int one = 1;
    int fd;

    if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &addr.sin_addr) !=
        1) {
        pw_log(PW_LOG_ERROR, "PATHWAYS_LISTEN host must be an IPv4 address", NULL);
        return -1;
    }
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0 || listen(fd, SOMAXCONN) != 0 ||
        getsockname(fd, (struct sockaddr *) &addr, &len) != 0) {
        close(fd);
        return -1;
    }
    *bound = ntohs(addr.sin_port);
    return fd;
}

static void
signal_loop(struct pw_loop *l)
{
    uint64_t one = 1;

    while (write(l->wake, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void
pw_loop_give_back(struct pw_loop *l, struct pw_request *rq)
{
    pthread_mutex_lock(&l->lock);
    rq->worker_next = l->given_back;
    l->given_back = rq;
    pthread_mutex_unlock(&l->lock);
    signal_loop(l);
}

/** Resume the connections of the requests workers gave back. */
static void
resume_given_back(struct pw_loop *l)
{
    struct pw_request *rq;

    pthread_mutex_lock(&l->lock);
    rq = l->given_back;
    l->given_back = NULL;
    pthread_mutex_unlock(&l->lock);
    while (rq != NULL) {
        struct pw_request *next = rq->worker_next;

        MHD_resume_connection(rq->conn);
        rq = next;
    }
}

/**
 * Give this thread niceness @a nice (Linux: per thread). Raising the priority needs
 * root or CAP_SYS_NICE; without, the loop keeps the inherited one, which works too.
 */
static void
set_nice(int nice)
{
    if (setpriority(PRIO_PROCESS, (id_t) syscall(SYS_gettid), nice) != 0)
        pw_log(PW_LOG_INFO,
               "loop priority not changed",
               "\"nice\":%d,\"errno\":%d,\"hint\":\"needs root or CAP_SYS_NICE\"",
               nice,
               errno);
}

static void *
run(void *arg)
{
    struct pw_loop *l = arg;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(l->daemon, MHD_DAEMON_INFO_EPOLL_FD);
    int mhd_fd = info != NULL ? info->epoll_fd : -1;

    current = l;
    set_nice(l->nice);

    while (!atomic_load(&l->stop)) {
        MHD_UNSIGNED_LONG_LONG mhd_timeout;
        int timeout = POLL_MAX_MS;
        struct pollfd fds[2 + PW_DB_PIPELINE_FDS] = {
            { .fd = l->wake, .events = POLLIN },
            { .fd = mhd_fd, .events = POLLIN },
        };
        unsigned npipes;
        uint64_t n;
        int woken;

        /* The statements the handlers queued go out in one write. */
        if (pw_db_pipeline_flush() > 0)
            timeout = 0; /* answered at once: their connections were resumed */
        npipes = pw_db_pipeline_fds(fds + 2);
        if (MHD_get_timeout(l->daemon, &mhd_timeout) == MHD_YES && mhd_timeout < (unsigned) timeout)
            timeout = (int) mhd_timeout;
        if (poll(fds, 2 + npipes, timeout) < 0 && errno != EINTR)
            pw_log(PW_LOG_ERROR, "poll failed", "\"errno\":%d", errno);
        woken = (fds[0].revents & POLLIN) != 0;
        if (woken && read(l->wake, &n, sizeof n) < 0 && errno != EAGAIN)
            break;
        if (atomic_load(&l->quiesce) && !atomic_load(&l->quiesced)) {
            /* The socket is shared: it stays open (the main thread shuts it down). */
            (void) MHD_quiesce_daemon(l->daemon);
            atomic_store(&l->quiesced, 1);
        }
        if (woken) /* a worker signals after it gave a request back */
            resume_given_back(l);
        pw_db_pipeline_input(fds + 2, npipes); /* resumes the connections answered */
        MHD_run(l->daemon);
    }
    /* Statements still on the pipeline (past the grace period) fail before the daemon
       goes; quiesced, MHD leaves the shared socket to the main thread. */
    pw_db_pipeline_close();
    if (!atomic_load(&l->quiesced))
        (void) MHD_quiesce_daemon(l->daemon);
    MHD_stop_daemon(l->daemon);
    return NULL;
}

struct pw_loops *
pw_loops_start(struct MHD_Daemon *const *daemons, unsigned n, int nice)
{
    struct pw_loops *loops = calloc(1, sizeof *loops + n * sizeof loops->loop[0]);

    if (loops == NULL)
        return NULL;
    for (unsigned i = 0; i < n; i++) {
        struct pw_loop *l = &loops->loop[i];

        l->daemon = daemons[i];
        l->nice = nice;
        l->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        pthread_mutex_init(&l->lock, NULL);
        if (l->wake < 0 || pthread_create(&l->thread, NULL, run, l) != 0) {
            if (l->wake >= 0)
                close(l->wake);
            loops->n = i;
            /* The daemons not yet running are stopped here. */
            for (unsigned j = i; j < n; j++) {
                (void) MHD_quiesce_daemon(daemons[j]);
                MHD_stop_daemon(daemons[j]);
            }
            pw_loops_stop(loops);
            return NULL;
        }
        loops->n = i + 1;
    }
    return loops;
}

void
pw_loops_quiesce(struct pw_loops *loops)
{
    for (unsigned i = 0; i < loops->n; i++) {
        atomic_store(&loops->loop[i].quiesce, 1);
        signal_loop(&loops->loop[i]);
    }
}

void
pw_loops_stop(struct pw_loops *loops)
{
    if (loops == NULL)
        return;
    for (unsigned i = 0; i < loops->n; i++) {
        atomic_store(&loops->loop[i].stop, 1);
        signal_loop(&loops->loop[i]);
    }
    for (unsigned i = 0; i < loops->n; i++) {
        pthread_join(loops->loop[i].thread, NULL);
        close(loops->loop[i].wake);
        pthread_mutex_destroy(&loops->loop[i].lock);
    }
    free(loops);
}
