/**
 * @file cursor.h
 * @brief Opaque, tamper-checked keyset-pagination cursors.
 *
 * A cursor names the position after the last row of a page: the value of
 * the sort key (as PostgreSQL's text form) and the row id. It is bound to
 * the list (resource name, sort spec such as "-title" and, for nested lists,
 * the parent key) so a cursor from
 * another list or sort is refused. Encoding: base64url (no padding) of
 * a small payload followed by a truncated HMAC-SHA-256 (libsodium) under a
 * key derived from the service secret, so every replica accepts the
 * cursors of every other one.
 */
#ifndef PATHWAYS_CURSOR_H
#define PATHWAYS_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#define PW_CURSOR_MAX 1024 /**< longest encoded cursor accepted or produced, incl. NUL */

struct pw_cursor_key {
    unsigned char k[32];
};

/** Derive the cursor MAC key from the service secret (JWT_SECRET). */
void pw_cursor_key_derive(struct pw_cursor_key *key, const char *secret, size_t secret_len);

/**
 * Encode a cursor into @a out (NUL-terminated).
 * @param list   list identity, e.g. "skills:-name", or "stages:position:backend-developer"
 *               for a nested list (binds the cursor to the list, sort and parent)
 * @param value  sort-key value in PostgreSQL text form (may be "")
 * @param id     row id
 * @return 0, or -1 when it would not fit PW_CURSOR_MAX
 */
int pw_cursor_encode(const struct pw_cursor_key *key,
                     const char *list,
                     const char *value,
                     int64_t id,
                     char out[PW_CURSOR_MAX]);

/**
 * Decode and verify @a cursor (NUL-terminated, as received).
 * @param[out] value  receives the sort-key value, NUL-terminated (needs
 *                    PW_CURSOR_MAX bytes)
 * @param[out] id     row id
 * @return 0 when the cursor is authentic and bound to @a list, else -1
 *         (malformed, wrong MAC, other list: all the same to the client)
 */
int pw_cursor_decode(const struct pw_cursor_key *key,
                     const char *list,
                     const char *cursor,
                     char value[PW_CURSOR_MAX],
                     int64_t *id);

#endif
