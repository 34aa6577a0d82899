/**
 * @file b64url.c
 * @brief base64url (RFC 4648 section 5) without padding, strict: one spelling
 *        per byte string (list cursors, JWT segments).
 */
#include "pathways/b64url.h"

#include <limits.h>

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

long
pw_b64url_encode(const unsigned char *in, size_t len, char *out, size_t cap)
{
    size_t need, w = 0, i = 0;

    if (len > (size_t) LONG_MAX / 4 * 3 - 3)
        return -1;
    need = len / 3 * 4 + (len % 3 != 0 ? len % 3 + 1 : 0);
    if (out == NULL || need >= cap)
        return -1;
    for (; i + 3 <= len; i += 3) {
        unsigned long v = (unsigned long) in[i] << 16 | (unsigned long) in[i + 1] << 8 | in[i + 2];

        out[w++] = b64url_alphabet[v >> 18 & 63];
        out[w++] = b64url_alphabet[v >> 12 & 63];
        out[w++] = b64url_alphabet[v >> 6 & 63];
        out[w++] = b64url_alphabet[v & 63];
    }
    if (len - i == 1) {
        out[w++] = b64url_alphabet[in[i] >> 2];
        out[w++] = b64url_alphabet[(in[i] & 3) << 4];
    } else if (len - i == 2) {
        out[w++] = b64url_alphabet[in[i] >> 2];
        out[w++] = b64url_alphabet[(in[i] & 3) << 4 | in[i + 1] >> 4];
        out[w++] = b64url_alphabet[(in[i + 1] & 15) << 2];
    }
    out[w] = '\0';
    return (long) w;
}

static int
b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1; /* also '=', '+', '/', whitespace: one spelling per cursor */
}

int
pw_b64url_chars_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (b64url_value(s[i]) < 0)
            return 0;
    return 1;
}

long
pw_b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
    size_t need, w = 0;
    unsigned long acc = 0;
    int bits = 0;

    if (len % 4 == 1 || len > (size_t) LONG_MAX) /* one char is 6 bits: never a byte */
        return -1;
    need = len / 4 * 3 + (len % 4 != 0 ? len % 4 - 1 : 0);
    if (need > cap || (need > 0 && out == NULL))
        return -1;
    for (size_t i = 0; i < len; i++) {
        int v = b64url_value(in[i]);

        if (v < 0)
            return -1;
        acc = (acc << 6 | (unsigned long) v) & 0xFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[w++] = (unsigned char) (acc >> bits);
        }
    }
    /* Leftover bits must be zero, else two strings would decode to the same bytes. */
    if ((acc & ((1ul << bits) - 1)) != 0)
        return -1;
    return (long) w;
}
