/**
 * @file b64url.h
 * @brief base64url (RFC 4648 section 5) without padding.
 *
 * The decoder is strict - no padding, no whitespace, no other alphabet, and the
 * unused low bits of the last character must be zero - so every byte string has
 * exactly one spelling: a cursor or a token cannot be altered without changing
 * its bytes.
 */
#ifndef PATHWAYS_B64URL_H
#define PATHWAYS_B64URL_H

#include <stddef.h>

/**
 * Encode @a len bytes. @return the output length, or -1 when @a out (of @a cap
 * bytes, NUL included) is too small.
 */
long pw_b64url_encode(const unsigned char *in, size_t len, char *out, size_t cap);

/** True when every one of the @a len characters of @a s is in the alphabet. */
int pw_b64url_chars_ok(const char *s, size_t len);

/** Decode into @a out (@a cap bytes). @return the byte count, or -1 (invalid, too long). */
long pw_b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap);

#endif
