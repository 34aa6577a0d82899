/**
 * @file it_raw.h
 * @brief Thread-safe raw HTTP/1.1 over loopback sockets for the fault and
 *        concurrency suites (pw_http shares one curl handle and is not).
 *        Header-only, so that each suite stays one program.
 */
#ifndef PATHWAYS_IT_RAW_H
#define PATHWAYS_IT_RAW_H

#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/** What came back for one request. */
struct it_raw {
    long status;         /**< status code, -1 when no status line arrived */
    int head_complete;   /**< the header block ended (CRLF CRLF) */
    int complete;        /**< head complete and Content-Length bytes of body received */
    int reset;           /**< read() failed (ECONNRESET, timeout) rather than EOF */
    long content_length; /**< -1 when absent */
    size_t head_len;     /**< bytes up to and including CRLF CRLF */
    size_t len;          /**< bytes received */
    char *data;          /**< NUL-terminated: head then body (caller frees with it_raw_free) */
};

static inline double
it_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/** A connected socket to the server with send/receive timeouts, or -1. */
static inline int
it_connect(int timeout_s)
{
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t) pw_it_port()),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    struct timeval tv = { .tv_sec = timeout_s };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *) &a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/** Write all of @a buf; 0 or -1. */
static inline int
it_send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t) n;
    }
    return 0;
}

/** Header value (case-insensitive) from the head of @a r into @a out; 1 if present. */
static inline int
it_raw_header(const struct it_raw *r, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    const char *end = r->data + r->head_len;

    for (const char *line = r->data ? strstr(r->data, "\r\n") : NULL; line != NULL && line < end;
         line = strstr(line + 2, "\r\n")) {
        const char *p = line + 2;

        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1, *e = strstr(v, "\r\n");

            while (*v == ' ')
                v++;
            snprintf(out, cap, "%.*s", (int) (e ? e - v : (long) strlen(v)), v);
            return 1;
        }
    }
    return 0;
}

/** Look at what arrived so far: status, end of head, Content-Length, completeness. */
static inline void
it_raw_parse(struct it_raw *r, int head_request)
{
    const char *eoh = r->data ? strstr(r->data, "\r\n\r\n") : NULL;
    char cl[32];

    r->status = -1;
    if (r->data == NULL || sscanf(r->data, "HTTP/1.%*d %ld", &r->status) != 1)
        r->status = -1;
    r->head_complete = eoh != NULL;
    r->complete = 0;
    r->content_length = -1;
    if (eoh == NULL)
        return;
    r->head_len = (size_t) (eoh - r->data) + 4;
    if (it_raw_header(r, "Content-Length", cl, sizeof cl))
        r->content_length = strtol(cl, NULL, 10);
    if (head_request || r->status == 204 || r->status == 304)
        r->complete = 1;
    else if (r->content_length >= 0)
        r->complete = r->len - r->head_len >= (size_t) r->content_length;
}

/** Read a response on @a fd until it is complete, EOF, an error or the socket timeout. */
static inline void
it_raw_read(int fd, struct it_raw *r, int head_request)
{
    size_t cap = 4096;

    memset(r, 0, sizeof *r);
    r->data = malloc(cap);
    r->data[0] = '\0';
    for (;;) {
        ssize_t n;

        if (r->len + 1 >= cap) {
            cap *= 2;
            r->data = realloc(r->data, cap);
        }
        n = recv(fd, r->data + r->len, cap - r->len - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            r->reset = 1;
        if (n <= 0)
            break;
        r->len += (size_t) n;
        r->data[r->len] = '\0';
        it_raw_parse(r, head_request);
        if (r->complete)
            break;
    }
    it_raw_parse(r, head_request);
}

/** The body (after the head) of a parsed response, "" when none. */
static inline const char *
it_raw_body(const struct it_raw *r)
{
    return r->head_complete ? r->data + r->head_len : "";
}

static inline void
it_raw_free(struct it_raw *r)
{
    free(r->data);
    memset(r, 0, sizeof *r);
}

/**
 * One request on its own connection ("Connection: close" is added): @a headers
 * is a block of "Name: value\r\n" lines (may be NULL), @a body may be NULL (a
 * JSON body gets Content-Type application/json). With @a half_close the client
 * shuts its sending side right after the request (as `curl --no-keepalive` over
 * some proxies, and many one-shot tools, do) and then reads the answer.
 * @return 0, or -1 when it could not connect or send (r->status is then -1).
 */
static inline int
it_raw_request_ex(const char *method,
                  const char *path,
                  const char *headers,
                  const char *body,
                  int timeout_s,
                  int half_close,
                  struct it_raw *r)
{
    char head[4096];
    int fd = it_connect(timeout_s);
    int n;

    memset(r, 0, sizeof *r);
    r->status = -1;
    if (fd < 0)
        return -1;
    n = snprintf(head,
                 sizeof head,
                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s",
                 method,
                 path,
                 headers ? headers : "");
    if (body != NULL)
        n += snprintf(head + n,
                      sizeof head - (size_t) n,
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n",
                      strlen(body));
    n += snprintf(head + n, sizeof head - (size_t) n, "\r\n");
    if (it_send_all(fd, head, (size_t) n) != 0 ||
        (body != NULL && it_send_all(fd, body, strlen(body)) != 0)) {
        /* The server may still have answered (e.g. 503 while shutting down). */
        it_raw_read(fd, r, strcmp(method, "HEAD") == 0);
        close(fd);
        return r->status > 0 ? 0 : -1;
    }
    if (half_close)
        shutdown(fd, SHUT_WR);
    it_raw_read(fd, r, strcmp(method, "HEAD") == 0);
    close(fd);
    return 0;
}

/** it_raw_request_ex() without the half-close. */
static inline int
it_raw_request(const char *method,
               const char *path,
               const char *headers,
               const char *body,
               int timeout_s,
               struct it_raw *r)
{
    return it_raw_request_ex(method, path, headers, body, timeout_s, 0, r);
}

/** The parsed JSON body of a complete response (caller decrefs), or NULL. */
static inline json_t *
it_raw_json(const struct it_raw *r)
{
    return r->complete ? json_loads(it_raw_body(r), 0, NULL) : NULL;
}

#endif
