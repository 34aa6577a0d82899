/**
 * @file loop.h
 * @brief Event loops: each thread runs one libmicrohttpd daemon and its own
 *        database pipeline, polled together (src/http/loop.c).
 */
#ifndef PATHWAYS_HTTP_LOOP_H
#define PATHWAYS_HTTP_LOOP_H

#include "pathways/http.h"

#include <microhttpd.h>

struct pw_loops;

/**
 * A non-blocking listening TCP socket on @a host (IPv4 or "localhost"):@a port
 * (0 = any free port). @return the socket, or -1 (logged).
 * @param[out] bound the port it listens on
 */
int pw_listen_open(const char *host, unsigned short port, unsigned short *bound);

/**
 * Run each of @a n daemons (external polling, epoll) on a thread of its own, at
 * niceness @a nice where the process may set it.
 */
struct pw_loops *pw_loops_start(struct MHD_Daemon *const *daemons, unsigned n, int nice);

/** This thread's loop, for pw_loop_give_back() from another thread (NULL off a loop). */
struct pw_loop *pw_loop_current(void);

/**
 * Hand @a rq (whose connection @a loop suspended) back from another thread: the
 * loop resumes its connection itself, between two turns. In external polling mode
 * nothing would wake the loop after an MHD_resume_connection() from here, and the
 * loop may still be inside the call that suspended the connection.
 */
void pw_loop_give_back(struct pw_loop *loop, struct pw_request *rq);

/**
 * Ask every loop to stop accepting (MHD_quiesce_daemon); returns at once (a loop busy
 * in a handler does it when the handler returns). The caller may then shut the
 * listening socket down: a loop that still polls it only sees accept() fail.
 */
void pw_loops_quiesce(struct pw_loops *loops);

/** Stop every loop and its daemon, join the threads, free @a loops. */
void pw_loops_stop(struct pw_loops *loops);

#endif
