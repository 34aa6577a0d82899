/**
 * @file cursor.c
 * @brief Opaque, tamper-checked keyset-pagination cursors (see cursor.h).
 *
 * Wire form: base64url, no padding, of
 *
 *     0x01 | id (8 bytes, big-endian) | value bytes | mac (16 bytes)
 *
 * where mac = HMAC-SHA-256(key, list | 0x00 | payload) cut to 16 bytes.
 * The list name is bound through the MAC instead of being carried, which
 * keeps cursors short and makes a cursor of another list or sort simply
 * inauthentic; the 0x00 keeps "ab"+payload apart from "a"+"b..." since a
 * list name cannot hold a NUL. 128 bits of tag are plenty for a value the
 * client can only replay against our own keyset query.
 *
 * Nothing here needs sodium_init(): SHA-256, HMAC-SHA-256 and
 * sodium_memcmp() are plain C in libsodium, so the functions are safe even
 * if the caller forgot it.
 */
#include "pathways/b64url.h"
#include "pathways/cursor.h"
#include "pathways/spec.h" /* pw_utf8_length() */

#include <limits.h>
#include <string.h>
#include <sodium.h>

#define CURSOR_VERSION 1
#define CURSOR_MAC_LEN 16
#define CURSOR_HEAD_LEN 9 /* version + id */
/* Longest raw cursor whose base64url form, plus NUL, fits PW_CURSOR_MAX. */
#define CURSOR_RAW_MAX ((PW_CURSOR_MAX - 1) * 3 / 4)

void
pw_cursor_key_derive(struct pw_cursor_key *key, const char *secret, size_t secret_len)
{
    static const char domain[] = "pathways-cursor-v1";
    crypto_hash_sha256_state st;

    /* A label in front keeps this key apart from any other use of the same secret (JWTs). */
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *) domain, sizeof domain - 1);
    crypto_hash_sha256_update(&st, (const unsigned char *) secret, secret_len);
    crypto_hash_sha256_final(&st, key->k);
    sodium_memzero(&st, sizeof st);
}

static void
cursor_mac(const struct pw_cursor_key *key,
           const char *list,
           const unsigned char *payload,
           size_t len,
           unsigned char mac[CURSOR_MAC_LEN])
{
    static const unsigned char sep = 0;
    unsigned char full[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;

    crypto_auth_hmacsha256_init(&st, key->k, sizeof key->k);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *) list, strlen(list));
    crypto_auth_hmacsha256_update(&st, &sep, 1);
    crypto_auth_hmacsha256_update(&st, payload, len);
    crypto_auth_hmacsha256_final(&st, full);
    memcpy(mac, full, CURSOR_MAC_LEN);
    sodium_memzero(&st, sizeof st);
}

int
pw_cursor_encode(const struct pw_cursor_key *key,
                 const char *list,
                 const char *value,
                 int64_t id,
                 char out[PW_CURSOR_MAX])
{
    unsigned char raw[CURSOR_RAW_MAX];
    uint64_t u = (uint64_t) id; /* well-defined: modulo 2^64 */
    size_t vlen, len;

    if (key == NULL || list == NULL || value == NULL || out == NULL)
        return -1;
    vlen = strlen(value);
    if (vlen > sizeof raw - CURSOR_HEAD_LEN - CURSOR_MAC_LEN)
        return -1;
    /* Decode refuses such a value, so never hand one out. */
    if (pw_utf8_length(value, vlen) < 0)
        return -1;
    raw[0] = CURSOR_VERSION;
    for (int i = 0; i < 8; i++)
        raw[1 + i] = (unsigned char) (u >> (56 - 8 * i));
    memcpy(raw + CURSOR_HEAD_LEN, value, vlen);
    len = CURSOR_HEAD_LEN + vlen;
    cursor_mac(key, list, raw, len, raw + len);
    return pw_b64url_encode(raw, len + CURSOR_MAC_LEN, out, PW_CURSOR_MAX) < 0 ? -1 : 0;
}

static int64_t
id_from_be(const unsigned char *p)
{
    uint64_t u = 0;

    for (int i = 0; i < 8; i++)
        u = (u << 8) | p[i];
    /* Converting a uint64_t above INT64_MAX to int64_t is implementation-defined. */
    if (u <= (uint64_t) INT64_MAX)
        return (int64_t) u;
    return -(int64_t) (~u) - 1;
}

int
pw_cursor_decode(const struct pw_cursor_key *key,
                 const char *list,
                 const char *cursor,
                 char value[PW_CURSOR_MAX],
                 int64_t *id)
{
    unsigned char raw[CURSOR_RAW_MAX], mac[CURSOR_MAC_LEN];
    size_t clen, plen, vlen;
    long n;

    if (key == NULL || list == NULL || cursor == NULL || value == NULL || id == NULL)
        return -1;
    clen = strnlen(cursor, PW_CURSOR_MAX);
    if (clen >= PW_CURSOR_MAX)
        return -1;
    n = pw_b64url_decode(cursor, clen, raw, sizeof raw);
    if (n < CURSOR_HEAD_LEN + CURSOR_MAC_LEN)
        return -1;
    plen = (size_t) n - CURSOR_MAC_LEN;
    /* Authenticate before looking at anything else the client sent. */
    cursor_mac(key, list, raw, plen, mac);
    if (sodium_memcmp(mac, raw + plen, CURSOR_MAC_LEN) != 0)
        return -1;
    if (raw[0] != CURSOR_VERSION)
        return -1;
    vlen = plen - CURSOR_HEAD_LEN;
    /* Our own cursors never hold these, but a leaked key must not yield a bad string. */
    if (memchr(raw + CURSOR_HEAD_LEN, '\0', vlen) != NULL ||
        pw_utf8_length((const char *) raw + CURSOR_HEAD_LEN, vlen) < 0)
        return -1;
    memcpy(value, raw + CURSOR_HEAD_LEN, vlen);
    value[vlen] = '\0';
    *id = id_from_be(raw + 1);
    return 0;
}
