/**
 * @file check_tokens.c
 * @brief Refresh tokens (shape, randomness, hashing) and access tokens as
 *        the accounts code issues them (lifetime, claims, tampering).
 */
#include "check_main.h"
#include "pathways/jwt.h"
#include "pathways/password.h"
#include "pathways/tokens.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char secret[] = "unit-test-secret-0123456789abcdef-xyz";
#define SECRET_LEN (sizeof secret - 1)

static void
init(void)
{
    ck_assert_int_ge(sodium_init(), 0);
}

START_TEST(refresh_tokens_have_the_documented_shape)
{
    char t[PW_REFRESH_LEN + 1];

    pw_refresh_token_new(t);
    ck_assert_uint_eq(strlen(t), 43);
    for (size_t i = 0; i < 43; i++)
        ck_assert_msg((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z') ||
                          (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '_',
                      "not base64url: %s",
                      t);
    ck_assert(pw_refresh_token_valid(t, strlen(t)));
}
END_TEST

START_TEST(refresh_tokens_do_not_repeat)
{
    enum { N = 200 };
    static char t[N][PW_REFRESH_LEN + 1];

    for (int i = 0; i < N; i++) {
        pw_refresh_token_new(t[i]);
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(t[i], t[j]);
    }
}
END_TEST

START_TEST(malformed_refresh_tokens_are_refused)
{
    char t[PW_REFRESH_LEN + 8];

    pw_refresh_token_new(t);
    ck_assert(!pw_refresh_token_valid(t, 42));
    ck_assert(!pw_refresh_token_valid("", 0));
    ck_assert(!pw_refresh_token_valid(NULL, 43));
    strcat(t, "A");
    ck_assert(!pw_refresh_token_valid(t, 44));
    /* Padding, the standard alphabet and spaces are not our spelling. */
    pw_refresh_token_new(t);
    t[10] = '+';
    ck_assert(!pw_refresh_token_valid(t, 43));
    t[10] = '/';
    ck_assert(!pw_refresh_token_valid(t, 43));
    t[10] = ' ';
    ck_assert(!pw_refresh_token_valid(t, 43));
    t[10] = '=';
    ck_assert(!pw_refresh_token_valid(t, 43));
    /* 32 bytes leave 2 spare bits in the last character: 'A' has them clear, 'B' not. */
    pw_refresh_token_new(t);
    t[42] = 'A';
    ck_assert(pw_refresh_token_valid(t, 43));
    t[42] = 'B';
    ck_assert(!pw_refresh_token_valid(t, 43));
}
END_TEST

START_TEST(refresh_token_hash_is_sha256_hex)
{
    char h[PW_REFRESH_HASH_SQL];

    pw_refresh_token_hash("abc", 3, h);
    ck_assert_str_eq(h, "\\xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    pw_refresh_token_hash("abd", 3, h);
    ck_assert_str_ne(h, "\\xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(access_token_lifetime)
{
    time_t now = 1767600000; /* 2026-01-05 */
    char *tok = pw_jwt_issue(secret, SECRET_LEN, 42, PW_ROLE_LEARNER, now, PW_ACCESS_TTL);
    struct pw_claims c;

    ck_assert_ptr_nonnull(tok);
    ck_assert_int_eq(pw_jwt_verify(secret, SECRET_LEN, tok, strlen(tok), now, &c), PW_JWT_OK);
    ck_assert_int_eq(c.user_id, 42);
    ck_assert_int_eq(c.role, PW_ROLE_LEARNER);
    ck_assert_int_eq(c.exp - c.iat, 900);
    ck_assert_int_eq(pw_jwt_verify(secret, SECRET_LEN, tok, strlen(tok), now + 899, &c), PW_JWT_OK);
    ck_assert_int_eq(pw_jwt_verify(secret, SECRET_LEN, tok, strlen(tok), now + 900, &c),
                     PW_JWT_EXPIRED);
    free(tok);
}
END_TEST

START_TEST(access_token_tampering)
{
    time_t now = 1767600000;
    char *tok = pw_jwt_issue(secret, SECRET_LEN, 7, PW_ROLE_LEARNER, now, PW_ACCESS_TTL);
    char *admin = pw_jwt_issue(secret, SECRET_LEN, 7, PW_ROLE_ADMIN, now, PW_ACCESS_TTL);
    char forged[2048];
    const char *p1 = strchr(tok, '.'), *s2 = strrchr(admin, '.');
    const char *a1 = strchr(admin, '.');
    struct pw_claims c;

    /* The learner's header and signature around the admin payload. */
    snprintf(forged,
             sizeof forged,
             "%.*s%.*s%s",
             (int) (p1 - tok),
             tok,
             (int) (s2 - a1),
             a1,
             strrchr(tok, '.'));
    ck_assert_int_eq(pw_jwt_verify(secret, SECRET_LEN, forged, strlen(forged), now, &c),
                     PW_JWT_BAD_SIGNATURE);
    /* Another key. */
    ck_assert_int_eq(pw_jwt_verify((const unsigned char *) "another-secret-0123456789abcdef!!",
                                   33,
                                   tok,
                                   strlen(tok),
                                   now,
                                   &c),
                     PW_JWT_BAD_SIGNATURE);
    free(tok);
    free(admin);
}
END_TEST

START_TEST(passwords_hash_verify_and_rehash)
{
    char h[PW_PASSWORD_HASH_MAX];
    /* Parameters far below ours (1 pass, 8 KiB): a hash of an older configuration. */
    char weak[PW_PASSWORD_HASH_MAX];

    ck_assert_int_eq(pw_password_init(), 0);
    ck_assert_int_eq(pw_password_hash("correct horse", 13, h), 0);
    ck_assert(strncmp(h, "$argon2id$", 10) == 0);
    ck_assert(pw_password_verify(h, "correct horse", 13));
    ck_assert(!pw_password_verify(h, "correct horsE", 13));
    ck_assert(!pw_password_verify(h, "correct hors", 12));
    ck_assert(!pw_password_needs_rehash(h));
    ck_assert_int_eq(crypto_pwhash_str_alg(weak,
                                           "correct horse",
                                           13,
                                           crypto_pwhash_OPSLIMIT_MIN,
                                           crypto_pwhash_MEMLIMIT_MIN,
                                           crypto_pwhash_ALG_ARGON2ID13),
                     0);
    ck_assert(pw_password_verify(weak, "correct horse", 13));
    ck_assert(pw_password_needs_rehash(weak));
    ck_assert(pw_password_needs_rehash("not a hash"));
    ck_assert_int_eq(pw_password_verify_dummy("anything at all", 15), 0);
}
END_TEST

static Suite *
tokens_suite(void)
{
    Suite *s = suite_create("tokens");
    TCase *refresh = tcase_create("refresh");
    TCase *access = tcase_create("access");
    TCase *passwords = tcase_create("passwords");

    tcase_add_checked_fixture(refresh, init, NULL);
    tcase_add_checked_fixture(access, init, NULL);
    tcase_add_checked_fixture(passwords, init, NULL);
    tcase_add_test(refresh, refresh_tokens_have_the_documented_shape);
    tcase_add_test(refresh, refresh_tokens_do_not_repeat);
    tcase_add_test(refresh, malformed_refresh_tokens_are_refused);
    tcase_add_test(refresh, refresh_token_hash_is_sha256_hex);
    tcase_add_test(access, access_token_lifetime);
    tcase_add_test(access, access_token_tampering);
    tcase_add_test(passwords, passwords_hash_verify_and_rehash);
    tcase_set_timeout(passwords, 60);
    suite_add_tcase(s, refresh);
    suite_add_tcase(s, access);
    suite_add_tcase(s, passwords);
    return s;
}

PW_CHECK_MAIN(tokens_suite)
