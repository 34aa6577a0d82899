/**
 * @file log.h
 * @brief JSON-lines logging on stderr.
 *
 * Service events (start, stop, database trouble) are written at once.
 * Access-log lines are appended to a shared buffer and written by a
 * background thread at the latest every second, or when the buffer fills,
 * so that a request costs no system call for its log line (DESIGN.md rule 7).
 */
#ifndef PATHWAYS_LOG_H
#define PATHWAYS_LOG_H

#include <stddef.h>
#include "pathways/config.h"

/** Set the threshold (default info). */
void pw_log_set_level(enum pw_log_level level);

/**
 * Write one event line: {"time":..,"level":..,"msg":..} plus the
 * already-JSON-formatted members in @a fmt (may be NULL), e.g.
 * pw_log(PW_LOG_ERROR, "database unreachable", "\"error\":%s", quoted).
 * printf-style; the caller escapes what it passes (pw_json_escape).
 */
void pw_log(enum pw_log_level level, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Start the access-log flusher thread. @return 0 or -1. */
int pw_log_access_start(void);

/** Append one complete line (without newline) to the access log buffer. */
void pw_log_access(const char *line, size_t len);

/** Flush what is buffered and stop the flusher thread. */
void pw_log_access_stop(void);

/**
 * Write @a s as a JSON string literal (with quotes) into @a out of @a cap
 * bytes, NUL-terminated, truncating (at a character boundary) if needed.
 * @return the length written.
 */
size_t pw_json_escape(char *out, size_t cap, const char *s, size_t len);

/**
 * A log line assembled piece by piece into a caller's buffer (what runs per request
 * should not need printf). Past the end nothing more is written and full is set.
 */
struct pw_line {
    char *p, *end;
    int full;
};

/** Append @a n bytes of @a s. */
void pw_line_put(struct pw_line *l, const char *s, size_t n);
/** Append the NUL-terminated @a s (no escaping: the caller knows it is safe). */
void pw_line_str(struct pw_line *l, const char *s);
/** Append @a v in decimal. */
void pw_line_uint(struct pw_line *l, unsigned long long v);
/** Append a string literal. */
#define PW_LINE_LIT(l, lit) pw_line_put((l), (lit), sizeof(lit) - 1)

/** Current UTC time as RFC 3339 with microseconds into @a out (>= 32 bytes). */
void pw_log_time(char *out, size_t cap);

#endif
