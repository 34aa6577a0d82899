/**
 * @file fuzz_cursor.c
 * @brief libFuzzer target: the signed pagination cursor codec and base64url.
 *
 * Properties checked:
 *
 * - the input as a cursor (as a client sends it in ?cursor=): decoding
 *   either fails or yields a NUL-free UTF-8 value that, encoded again with
 *   the same list and id, gives back exactly the input (one spelling per
 *   cursor);
 * - a list name, value and id taken from the input: encoding succeeds
 *   exactly when the value is valid UTF-8 and short enough, and then the
 *   cursor decodes to the same value and id under its own list, and under
 *   no other list, and no longer once any one character is changed or it
 *   is cut short;
 * - what a holder of the key could send: any payload (version byte, id,
 *   value bytes with NULs or bad UTF-8) with a MAC made here as cursor.c
 *   documents it; the decoder still accepts only version 1 with a NUL-free
 *   UTF-8 value, and then returns exactly what was signed;
 * - base64url: encode then decode gives the bytes back; a string that
 *   decodes encodes back to itself.
 */
#include "fuzz.h"
#include "pathways/b64url.h"
#include "pathways/cursor.h"

#include <jansson.h>
#include <sodium.h>

#define LIST "skills:-name"
#define NESTED_LIST "stages:position:backend-developer"
/* The longest value that fits: (PW_CURSOR_MAX - 1) * 3 / 4 raw bytes, less version, id, MAC. */
#define VALUE_MAX ((PW_CURSOR_MAX - 1) * 3 / 4 - 9 - 16)
#define RAW_MAX ((PW_CURSOR_MAX - 1) * 3 / 4)
#define MAC_LEN 16

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static struct pw_cursor_key key;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    static const char label_and_secret[] = "pathways-cursor-v1"
                                           "fuzz-secret";
    unsigned char k[crypto_hash_sha256_BYTES];

    pw_cursor_key_derive(&key, "fuzz-secret", strlen("fuzz-secret"));
    /* The key is what cursor.c says: SHA-256 of a label and the secret. */
    crypto_hash_sha256(k, (const unsigned char *) label_and_secret, sizeof label_and_secret - 1);
    FUZZ_CHECK(memcmp(k, key.k, sizeof k) == 0);
    return 0;
}

static void
check_decoded(const char *list, const char *cursor, const char *value, int64_t id)
{
    char again[PW_CURSOR_MAX];
    size_t n = strlen(value);
    json_t *utf8 = json_stringn(value, n);

    FUZZ_CHECK(n < PW_CURSOR_MAX && utf8 != NULL);
    json_decref(utf8);
    FUZZ_CHECK(pw_cursor_encode(&key, list, value, id, again) == 0);
    FUZZ_CHECK(strcmp(again, cursor) == 0);
}

/* The input, as received from a client. */
static void
fuzz_decode(const uint8_t *data, size_t size)
{
    char *cursor = fuzz_cstr(data, size);
    char value[PW_CURSOR_MAX];
    int64_t id = 0;

    if (pw_cursor_decode(&key, LIST, cursor, value, &id) == 0)
        check_decoded(LIST, cursor, value, id);
    if (pw_cursor_decode(&key, NESTED_LIST, cursor, value, &id) == 0)
        check_decoded(NESTED_LIST, cursor, value, id);
    free(cursor);
}

static int
must_not_decode(const char *list, const char *cursor)
{
    char value[PW_CURSOR_MAX];
    int64_t id = 0;

    return pw_cursor_decode(&key, list, cursor, value, &id) != 0;
}

/* Input: id (8 bytes), list length (1 byte), tamper position and step (2 bytes), list, value. */
static void
fuzz_round_trip(const uint8_t *data, size_t size)
{
    int64_t id = (int64_t) fuzz_take_u64(&data, &size, 8);
    size_t list_len = (size_t) fuzz_take_u64(&data, &size, 1) % 48;
    size_t pos = (size_t) fuzz_take_u64(&data, &size, 1);
    size_t step = (size_t) fuzz_take_u64(&data, &size, 1) % 63 + 1;
    char *list, *value, *other, cursor[PW_CURSOR_MAX], got[PW_CURSOR_MAX];
    size_t vlen, clen;
    int64_t got_id = 0;
    json_t *utf8;
    int rc, fits;

    if (list_len > size)
        list_len = size;
    list = fuzz_cstr(data, list_len); /* C strings: each ends at its first NUL */
    value = fuzz_cstr(data + list_len, size - list_len);
    vlen = strlen(value);
    utf8 = json_stringn(value, vlen);
    fits = utf8 != NULL && vlen <= VALUE_MAX;
    json_decref(utf8);

    rc = pw_cursor_encode(&key, list, value, id, cursor);
    FUZZ_CHECK((rc == 0) == fits);
    if (rc != 0)
        goto out;
    clen = strlen(cursor);
    FUZZ_CHECK(clen < PW_CURSOR_MAX && strspn(cursor, alphabet) == clen);

    FUZZ_CHECK(pw_cursor_decode(&key, list, cursor, got, &got_id) == 0);
    FUZZ_CHECK(strcmp(got, value) == 0 && got_id == id);

    /* Another list: one more character, or the last one changed. */
    other = malloc(strlen(list) + 2);
    FUZZ_CHECK(other != NULL);
    sprintf(other, "%s%c", list, list[0] != '\0' ? list[0] : 'x');
    FUZZ_CHECK(must_not_decode(other, cursor));
    if (list[0] != '\0') {
        other[strlen(list)] = '\0';
        other[strlen(list) - 1] ^= 1;
        FUZZ_CHECK(must_not_decode(other, cursor));
    }
    free(other);

    /* One character changed to another of the alphabet, or the cursor cut short. */
    pos %= clen;
    char orig = cursor[pos];
    size_t idx = (size_t) (strchr(alphabet, orig) - alphabet);
    cursor[pos] = alphabet[(idx + step) % 64];
    FUZZ_CHECK(must_not_decode(list, cursor));
    cursor[pos] = orig;
    cursor[clen - 1 - pos % 4] = '\0';
    FUZZ_CHECK(must_not_decode(list, cursor));
out:
    free(list);
    free(value);
}

/* Input: the raw payload (version, id, value), signed here. */
static void
fuzz_signed(const uint8_t *data, size_t size)
{
    unsigned char raw[RAW_MAX], full[crypto_auth_hmacsha256_BYTES];
    size_t plen = size < RAW_MAX - MAC_LEN ? size : RAW_MAX - MAC_LEN;
    char cursor[PW_CURSOR_MAX], value[PW_CURSOR_MAX];
    crypto_auth_hmacsha256_state st;
    int64_t id = 0;
    int rc, expect = 0;
    json_t *utf8;

    if (plen > 0)
        memcpy(raw, data, plen);
    crypto_auth_hmacsha256_init(&st, key.k, sizeof key.k);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *) LIST, sizeof LIST); /* with NUL */
    crypto_auth_hmacsha256_update(&st, raw, plen);
    crypto_auth_hmacsha256_final(&st, full);
    memcpy(raw + plen, full, MAC_LEN);
    FUZZ_CHECK(pw_b64url_encode(raw, plen + MAC_LEN, cursor, sizeof cursor) > 0);

    rc = pw_cursor_decode(&key, LIST, cursor, value, &id);
    if (plen >= 9 && raw[0] == 1 && memchr(raw + 9, '\0', plen - 9) == NULL) {
        utf8 = json_stringn((const char *) raw + 9, plen - 9);
        expect = utf8 != NULL;
        json_decref(utf8);
    }
    FUZZ_CHECK((rc == 0) == expect);
    if (rc == 0) {
        uint64_t u = 0;

        for (int i = 1; i <= 8; i++)
            u = u << 8 | raw[i];
        FUZZ_CHECK((uint64_t) id == u);
        FUZZ_CHECK(strlen(value) == plen - 9 && memcmp(value, raw + 9, plen - 9) == 0);
        FUZZ_CHECK(must_not_decode(NESTED_LIST, cursor));
    }
}

static void
fuzz_b64(const uint8_t *data, size_t size)
{
    size_t cap = size / 3 * 4 + 5;
    char *enc = malloc(cap), *s;
    unsigned char *dec = malloc(size + 1);
    long n;

    FUZZ_CHECK(enc != NULL && dec != NULL);
    n = pw_b64url_encode(data, size, enc, cap);
    FUZZ_CHECK(n >= 0 && (size_t) n == strlen(enc) && strspn(enc, alphabet) == (size_t) n);
    /* Too small an output buffer is refused, not overrun. */
    FUZZ_CHECK(pw_b64url_encode(data, size, enc, (size_t) n) == -1);
    FUZZ_CHECK(pw_b64url_decode(enc, (size_t) n, dec, size + 1) == (long) size);
    FUZZ_CHECK(size == 0 || memcmp(dec, data, size) == 0);
    if (size > 0)
        FUZZ_CHECK(pw_b64url_decode(enc, (size_t) n, dec, size - 1) == -1);
    free(enc);
    free(dec);

    /* The input as base64url text: decodes only when canonical. */
    s = fuzz_cstr(data, size);
    dec = malloc(size + 1);
    FUZZ_CHECK(dec != NULL);
    n = pw_b64url_decode(s, size, dec, size + 1);
    if (n >= 0) {
        enc = malloc(size + 1);
        FUZZ_CHECK(enc != NULL);
        FUZZ_CHECK(pw_b64url_encode(dec, (size_t) n, enc, size + 1) == (long) size);
        FUZZ_CHECK(memcmp(enc, s, size) == 0);
        free(enc);
    }
    free(dec);
    free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_decode(data, size);
    fuzz_round_trip(data, size);
    fuzz_signed(data, size);
    fuzz_b64(data, size);
    return 0;
}
