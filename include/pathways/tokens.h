/**
 * @file tokens.h
 * @brief Refresh tokens (opaque, random, stored only as a hash) and the
 *        lifetimes of both kinds of token.
 *
 * A refresh token is 32 bytes from libsodium's CSPRNG, sent as unpadded
 * base64url (43 characters). The database keeps only its SHA-256, so a
 * leaked table gives nobody a usable token. Access tokens are the JWTs of
 * jwt.h.
 */
#ifndef PATHWAYS_TOKENS_H
#define PATHWAYS_TOKENS_H

#include <stddef.h>

/** Access-token lifetime (DESIGN.md: 15 minutes). */
#define PW_ACCESS_TTL 900
/** Refresh-token lifetime (DESIGN.md: 30 days), as SQL interval text and seconds. */
#define PW_REFRESH_TTL_SQL "30 days"
#define PW_REFRESH_TTL 2592000

#define PW_REFRESH_BYTES 32
/** Length of the text form: unpadded base64url of 32 bytes. */
#define PW_REFRESH_LEN 43
/** Room for the SHA-256 as a bytea hex literal: "\x" + 64 digits + NUL. */
#define PW_REFRESH_HASH_SQL 67

/** A new refresh token into @a out (NUL-terminated). Never fails. */
void pw_refresh_token_new(char out[PW_REFRESH_LEN + 1]);

/**
 * True when @a token (@a len bytes) has the exact shape of our tokens:
 * 43 base64url characters that decode to 32 bytes in their one canonical
 * spelling. Anything else cannot be a token we issued.
 */
int pw_refresh_token_valid(const char *token, size_t len);

/**
 * SHA-256 of the token text as a bytea literal for a text parameter
 * ("\x" followed by 64 lower-case hex digits).
 */
void pw_refresh_token_hash(const char *token, size_t len, char out[PW_REFRESH_HASH_SQL]);

#endif
