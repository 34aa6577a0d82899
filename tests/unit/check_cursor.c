/**
 * @file check_cursor.c
 * @brief Unit tests for signed pagination cursors and base64url.
 */
#include "check_main.h"
#include "pathways/b64url.h"
#include "pathways/cursor.h"

#include <stdint.h>
#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static struct pw_cursor_key key;

static void
setup(void)
{
    pw_cursor_key_derive(&key, "test-secret", strlen("test-secret"));
}

/* Longest value that still fits: (1023 * 3 / 4) raw bytes minus header and MAC. */
#define LONGEST_VALUE (1023 * 3 / 4 - 9 - 16)

static char long_value[LONGEST_VALUE + 1];

static const char *
value_at(int i)
{
    static const char *const values[] = {
        "",
        "Go",
        "2026-01-05 10:20:30+00",
        "caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac",
        "with, \"quotes\" and\nnewline",
        NULL, /* long_value */
    };

    if (values[i] != NULL)
        return values[i];
    memset(long_value, 'v', LONGEST_VALUE);
    long_value[LONGEST_VALUE] = '\0';
    return long_value;
}

static const int64_t ids[] = { 0, 1, -1, 42, INT64_MAX, INT64_MIN, 0x0102030405060708 };

START_TEST(test_round_trip)
{
    const char *value = value_at(_i);
    char out[PW_CURSOR_MAX], got[PW_CURSOR_MAX];

    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        int64_t id = 99;

        ck_assert_int_eq(pw_cursor_encode(&key, "skills:-name", value, ids[k], out), 0);
        ck_assert_uint_lt(strlen(out), PW_CURSOR_MAX);
        ck_assert_uint_eq(strspn(out, alphabet), strlen(out)); /* URL-safe as is */
        ck_assert_int_eq(pw_cursor_decode(&key, "skills:-name", out, got, &id), 0);
        ck_assert_str_eq(got, value);
        ck_assert_int_eq(id, ids[k]);
    }
}
END_TEST

START_TEST(test_too_long)
{
    char value[LONGEST_VALUE + 2], out[PW_CURSOR_MAX];

    memset(value, 'v', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    ck_assert_int_eq(pw_cursor_encode(&key, "l", value, 1, out), -1);
    /* A value we would refuse on decode is not encoded either. */
    ck_assert_int_eq(pw_cursor_encode(&key, "l", "\xc3\x28", 1, out), -1);
    ck_assert_int_eq(pw_cursor_encode(&key, "l", NULL, 1, out), -1);
}
END_TEST

START_TEST(test_tamper_every_byte)
{
    char out[PW_CURSOR_MAX], got[PW_CURSOR_MAX], bad[PW_CURSOR_MAX];
    int64_t id = 5;
    size_t len;

    ck_assert_int_eq(pw_cursor_encode(&key, "paths:title", "Backend", 1234, out), 0);
    len = strlen(out);
    for (size_t i = 0; i < len; i++) {
        for (const char *c = alphabet; *c != '\0'; c++) {
            if (*c == out[i])
                continue;
            memcpy(bad, out, len + 1);
            bad[i] = *c;
            ck_assert_msg(
                pw_cursor_decode(&key, "paths:title", bad, got, &id) == -1, "accepted %s", bad);
        }
    }
    ck_assert_int_eq(id, 5); /* never written on failure */
    /* Truncated and extended cursors too. */
    memcpy(bad, out, len + 1);
    for (size_t n = len; n > 0; n--) {
        bad[n - 1] = '\0';
        ck_assert_int_eq(pw_cursor_decode(&key, "paths:title", bad, got, &id), -1);
    }
    memcpy(bad, out, len);
    memcpy(bad + len, "A", 2);
    ck_assert_int_eq(pw_cursor_decode(&key, "paths:title", bad, got, &id), -1);
    memcpy(bad + len, "AAAA", 5);
    ck_assert_int_eq(pw_cursor_decode(&key, "paths:title", bad, got, &id), -1);
}
END_TEST

START_TEST(test_wrong_list_or_key)
{
    char out[PW_CURSOR_MAX], got[PW_CURSOR_MAX];
    struct pw_cursor_key other;
    int64_t id;

    ck_assert_int_eq(pw_cursor_encode(&key, "skills:-name", "Go", 7, out), 0);
    ck_assert_int_eq(pw_cursor_decode(&key, "skills:name", out, got, &id), -1);
    ck_assert_int_eq(pw_cursor_decode(&key, "mentors:-name", out, got, &id), -1);
    ck_assert_int_eq(pw_cursor_decode(&key, "", out, got, &id), -1);
    pw_cursor_key_derive(&other, "test-secreT", strlen("test-secreT"));
    ck_assert_int_eq(pw_cursor_decode(&other, "skills:-name", out, got, &id), -1);
    /* The same secret gives the same key: every replica accepts every cursor. */
    pw_cursor_key_derive(&other, "test-secret", strlen("test-secret"));
    ck_assert_int_eq(pw_cursor_decode(&other, "skills:-name", out, got, &id), 0);
    /* The list separator: "ab" + payload must not equal "a" + "b..." */
    ck_assert_int_eq(pw_cursor_encode(&key, "a", "", 0, out), 0);
    ck_assert_int_eq(pw_cursor_decode(&key, "a\x01", out, got, &id), -1);
}
END_TEST

static const char *const garbage[] = {
    "",
    "A",
    "AA",
    "not a cursor",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
    "////////////////////////////////////////////",
    "++++++++++++++++++++++++++++++++++++++++++++",
    "AAAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA",
    "AAAAAAAAAAAAAAAAAAAAAA\nAAAAAAAAAAAAAAAAAAAAA",
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
};

START_TEST(test_garbage)
{
    char got[PW_CURSOR_MAX];
    int64_t id;

    ck_assert_int_eq(pw_cursor_decode(&key, "l", garbage[_i], got, &id), -1);
}
END_TEST

START_TEST(test_oversized_input)
{
    static char huge[4 * PW_CURSOR_MAX];
    char got[PW_CURSOR_MAX];
    int64_t id;

    memset(huge, 'A', sizeof huge - 1);
    ck_assert_int_eq(pw_cursor_decode(&key, "l", huge, got, &id), -1);
    huge[PW_CURSOR_MAX - 1] = '\0'; /* 1023 chars: decodes, but the MAC fails */
    ck_assert_int_eq(pw_cursor_decode(&key, "l", huge, got, &id), -1);
    ck_assert_int_eq(pw_cursor_decode(&key, "l", NULL, got, &id), -1);
}
END_TEST

struct b64_case {
    const char *raw;
    const char *enc;
};

/* RFC 4648 section 10 vectors, unpadded, plus the two URL-safe letters. */
static const struct b64_case vectors[] = {
    { "", "" },           { "f", "Zg" },          { "fo", "Zm8" },          { "foo", "Zm9v" },
    { "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" }, { "foobar", "Zm9vYmFy" }, { "\xfb\xff", "-_8" },
};

START_TEST(test_b64_vectors)
{
    const struct b64_case *c = &vectors[_i];
    char enc[32];
    unsigned char dec[32];
    size_t n = strlen(c->raw);

    ck_assert_int_eq(pw_b64url_encode((const unsigned char *) c->raw, n, enc, sizeof enc),
                     (long) strlen(c->enc));
    ck_assert_str_eq(enc, c->enc);
    ck_assert_int_eq(pw_b64url_decode(c->enc, strlen(c->enc), dec, sizeof dec), (long) n);
    ck_assert_mem_eq(dec, c->raw, n);
    /* Exactly big enough works, one byte less does not. */
    ck_assert_int_eq(pw_b64url_encode((const unsigned char *) c->raw, n, enc, strlen(c->enc) + 1),
                     (long) strlen(c->enc));
    ck_assert_int_eq(pw_b64url_encode((const unsigned char *) c->raw, n, enc, strlen(c->enc)), -1);
    if (n > 0)
        ck_assert_int_eq(pw_b64url_decode(c->enc, strlen(c->enc), dec, n - 1), -1);
}
END_TEST

START_TEST(test_b64_strict)
{
    static const char *const bad[] = {
        "Zg==", "Zm8=", "Zh", "Zm9", "Z", "Zm9vY", "Zm+v", "Zm/v", "Zm9 ", "Zm\n9", "Zm9v\r",
    };
    unsigned char dec[16];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(pw_b64url_decode(bad[i], strlen(bad[i]), dec, sizeof dec) == -1,
                      "accepted \"%s\"",
                      bad[i]);
    /* "Zh" and "Zm9" are non-canonical spellings of "f" and "fo". */
}
END_TEST

static void
add_test(Suite *s, const char *name, const TTest *t, int loops)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, setup, NULL);
    if (loops > 0)
        tcase_add_loop_test(tc, t, 0, loops);
    else
        tcase_add_test(tc, t);
    suite_add_tcase(s, tc);
}

#define COUNT(a) ((int) (sizeof(a) / sizeof((a)[0])))

Suite *
cursor_suite(void)
{
    Suite *s = suite_create("cursor");

    add_test(s, "round_trip", test_round_trip, 6);
    add_test(s, "too_long", test_too_long, 0);
    add_test(s, "tamper", test_tamper_every_byte, 0);
    add_test(s, "wrong_list_or_key", test_wrong_list_or_key, 0);
    add_test(s, "garbage", test_garbage, COUNT(garbage));
    add_test(s, "oversized_input", test_oversized_input, 0);
    add_test(s, "b64_vectors", test_b64_vectors, COUNT(vectors));
    add_test(s, "b64_strict", test_b64_strict, 0);
    return s;
}

PW_CHECK_MAIN(cursor_suite)
