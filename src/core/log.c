/**
 * @file log.c
 * @brief JSON-lines event log and the batched access log.
 */
#include "pathways/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define ACCESS_BUF_SIZE (256 * 1024)
#define ACCESS_FLUSH_AT (64 * 1024)

static enum pw_log_level threshold = PW_LOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void
pw_log_set_level(enum pw_log_level level)
{
    threshold = level;
}

void
pw_line_put(struct pw_line *l, const char *s, size_t n)
{
    if (l->full || (size_t) (l->end - l->p) < n) {
        l->full = 1;
        return;
    }
    memcpy(l->p, s, n);
    l->p += n;
}

void
pw_line_str(struct pw_line *l, const char *s)
{
    pw_line_put(l, s, strlen(s));
}

void
pw_line_uint(struct pw_line *l, unsigned long long v)
{
    char d[20];
    size_t i = sizeof d;

    do
        d[--i] = (char) ('0' + v % 10);
    while ((v /= 10) != 0);
    pw_line_put(l, d + i, sizeof d - i);
}

void
pw_log_time(char *out, size_t cap)
{
    /* The date and second change once a second: formatted then, not per log line. */
    static _Thread_local time_t cached_sec = -1;
    static _Thread_local char cached[24];
    struct timeval tv;
    char stamp[32];
    unsigned us;

    gettimeofday(&tv, NULL);
    if (tv.tv_sec != cached_sec) {
        struct tm tm;

        gmtime_r(&tv.tv_sec, &tm);
        /* The modulos bound every field so the format provably fits. */
        snprintf(cached,
                 sizeof cached,
                 "%04u-%02u-%02uT%02u:%02u:%02u.",
                 (unsigned) (tm.tm_year + 1900) % 10000u,
                 (unsigned) (tm.tm_mon + 1) % 100u,
                 (unsigned) tm.tm_mday % 100u,
                 (unsigned) tm.tm_hour % 100u,
                 (unsigned) tm.tm_min % 100u,
                 (unsigned) tm.tm_sec % 100u);
        cached_sec = tv.tv_sec;
    }
    memcpy(stamp, cached, 20);
    us = (unsigned) tv.tv_usec % 1000000u;
    for (int i = 25; i >= 20; i--, us /= 10)
        stamp[i] = (char) ('0' + us % 10);
    stamp[26] = 'Z';
    if (cap == 0)
        return;
    cap = cap > 28 ? 28 : cap;
    memcpy(out, stamp, cap - 1);
    out[cap - 1] = '\0';
}

size_t
pw_json_escape(char *out, size_t cap, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;

    if (cap < 3) {
        if (cap > 0)
            out[0] = '\0';
        return 0;
    }
    out[o++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) s[i];
        char esc[7];
        size_t n;

        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char) c;
            n = 2;
        } else if (c < 0x20 || c == 0x7f) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        } else {
            /* Do not cut a multi-byte character: stop before its lead byte. */
            if (c >= 0xc0) {
                size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
                if (o + need + 2 > cap)
                    break;
            }
            esc[0] = (char) c;
            n = 1;
        }
        if (o + n + 2 > cap)
            break;
        memcpy(out + o, esc, n);
        o += n;
    }
    out[o++] = '"';
    out[o] = '\0';
    return o;
}

void
pw_log(enum pw_log_level level, const char *msg, const char *fmt, ...)
{
    char line[2048];
    char when[40];
    char qmsg[512];
    size_t n;

    if (level < threshold)
        return;
    pw_log_time(when, sizeof when);
    pw_json_escape(qmsg, sizeof qmsg, msg, strlen(msg));
    n = (size_t) snprintf(line,
                          sizeof line,
                          "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":%s",
                          when,
                          level_names[level],
                          qmsg);
    if (fmt != NULL && n < sizeof line - 1) {
        va_list ap;

        line[n++] = ',';
        va_start(ap, fmt);
        n += (size_t) vsnprintf(line + n, sizeof line - n, fmt, ap);
        va_end(ap);
    }
    if (n > sizeof line - 3)
        n = sizeof line - 3;
    line[n++] = '}';
    line[n++] = '\n';
    /* One write per event line keeps lines whole between threads. */
    if (write(STDERR_FILENO, line, n) < 0) {
        /* Nowhere left to report it. */
    }
}

/* The access log: a buffer filled by the workers, written by one thread. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    char *buf;
    size_t len;
    int running;
    int stop;
} alog = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void
write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);

        if (w <= 0)
            return;
        p += w;
        n -= (size_t) w;
    }
}

static void *
flusher(void *arg)
{
    char *mine = malloc(ACCESS_BUF_SIZE);

    (void) arg;
    pthread_mutex_lock(&alog.lock);
    for (;;) {
        struct timespec until;

        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        while (!alog.stop && alog.len < ACCESS_FLUSH_AT &&
               pthread_cond_timedwait(&alog.wake, &alog.lock, &until) == 0) {
        }
        if (alog.len > 0 && mine != NULL) {
            /* Swap buffers so the workers never wait on the write. */
            char *full = alog.buf;
            size_t n = alog.len;

            alog.buf = mine;
            alog.len = 0;
            mine = full;
            pthread_mutex_unlock(&alog.lock);
            write_all(mine, n);
            pthread_mutex_lock(&alog.lock);
        }
        if (alog.stop && alog.len == 0)
            break;
    }
    pthread_mutex_unlock(&alog.lock);
    free(mine);
    return NULL;
}

int
pw_log_access_start(void)
{
    alog.buf = malloc(ACCESS_BUF_SIZE);
    if (alog.buf == NULL)
        return -1;
    alog.len = 0;
    alog.stop = 0;
    if (pthread_create(&alog.thread, NULL, flusher, NULL) != 0) {
        free(alog.buf);
        alog.buf = NULL;
        return -1;
    }
    alog.running = 1;
    return 0;
}

void
pw_log_access(const char *line, size_t len)
{
    if (!alog.running) {
        char nl = '\n';

        write_all(line, len);
        write_all(&nl, 1);
        return;
    }
    pthread_mutex_lock(&alog.lock);
    if (alog.len + len + 1 > ACCESS_BUF_SIZE) {
        /* The flusher is behind: write directly rather than drop the line. */
        pthread_mutex_unlock(&alog.lock);
        char nl = '\n';
        write_all(line, len);
        write_all(&nl, 1);
        return;
    }
    memcpy(alog.buf + alog.len, line, len);
    alog.buf[alog.len + len] = '\n';
    alog.len += len + 1;
    if (alog.len >= ACCESS_FLUSH_AT)
        pthread_cond_signal(&alog.wake);
    pthread_mutex_unlock(&alog.lock);
}

void
pw_log_access_stop(void)
{
    if (!alog.running)
        return;
    pthread_mutex_lock(&alog.lock);
    alog.stop = 1;
    pthread_cond_signal(&alog.wake);
    pthread_mutex_unlock(&alog.lock);
    pthread_join(alog.thread, NULL);
    alog.running = 0;
    free(alog.buf);
    alog.buf = NULL;
}
