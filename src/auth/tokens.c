/**
 * @file tokens.c
 * @brief Refresh tokens: 32 random bytes, base64url, stored as SHA-256.
 *
 * A plain hash (not a password hash) is right here: the token has 256 bits
 * of entropy, so nobody can guess back from the hash, and the look-up must
 * be an index probe on every refresh.
 */
#include "pathways/tokens.h"

#include <sodium.h>
#include <string.h>

_Static_assert(PW_REFRESH_LEN + 1 ==
                   sodium_base64_ENCODED_LEN(PW_REFRESH_BYTES,
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "refresh token text length");

void
pw_refresh_token_new(char out[PW_REFRESH_LEN + 1])
{
    unsigned char raw[PW_REFRESH_BYTES];

    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(
        out, PW_REFRESH_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

int
pw_refresh_token_valid(const char *token, size_t len)
{
    unsigned char raw[PW_REFRESH_BYTES];
    size_t n = 0;
    const char *end = NULL;

    if (token == NULL || len != PW_REFRESH_LEN)
        return 0;
    /* libsodium refuses characters outside the alphabet and non-zero spare
     * bits of the last character, so each token has exactly one spelling. */
    if (sodium_base642bin(raw,
                          sizeof raw,
                          token,
                          len,
                          NULL,
                          &n,
                          &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return 0;
    return n == PW_REFRESH_BYTES && end == token + len;
}

void
pw_refresh_token_hash(const char *token, size_t len, char out[PW_REFRESH_HASH_SQL])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *) token, len);
    out[0] = '\\';
    out[1] = 'x';
    sodium_bin2hex(out + 2, PW_REFRESH_HASH_SQL - 2, h, sizeof h);
}
