/**
 * @file check_jwt.c
 * @brief Unit tests for src/auth/jwt.c.
 *
 * Hostile tokens are built by hand here (our own base64url and libsodium's
 * HMAC-SHA256) rather than through libjwt, so every byte of the header,
 * payload and signature is under the test's control.
 */
#include "pathways/jwt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "check_main.h"

#define NOW ((time_t) 1700000000)
#define HS256_HDR "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

/* 43 bytes: deliberately not the 32 that crypto_auth_hmacsha256() insists on. */
static const unsigned char SECRET[] = "unit-test-secret-that-is-not-32-bytes-long!";
#define SECRET_LEN (sizeof SECRET - 1)

/* ---- token crafting -------------------------------------------------- */

/** @return malloc'ed unpadded base64url of @a in. */
static char *
b64url(const void *in, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    sodium_bin2base64(out, cap, in, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/** HMAC-SHA256 with a key of any length (the one-shot API wants 32 bytes). */
static void
hmac256(const unsigned char *key, size_t key_len, const char *msg, unsigned char mac[32])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *) msg, strlen(msg));
    crypto_auth_hmacsha256_final(&st, mac);
}

/** craft_with_key() for a header and payload of any bytes, NULs included. */
static char *
craft_bytes(const unsigned char *key,
            size_t key_len,
            const char *header,
            size_t header_len,
            const char *payload,
            size_t payload_len)
{
    char *h = b64url(header, header_len);
    char *p = b64url(payload, payload_len);
    size_t cap = strlen(h) + strlen(p) + 64;
    char *tok = malloc(cap);
    ck_assert_ptr_nonnull(tok);
    snprintf(tok, cap, "%s.%s", h, p);
    unsigned char mac[32];
    hmac256(key, key_len, tok, mac);
    char *s = b64url(mac, sizeof mac);
    strcat(tok, ".");
    strcat(tok, s);
    free(h);
    free(p);
    free(s);
    return tok;
}

/** @return malloc'ed "b64(header).b64(payload).b64(HMAC)" signed with @a key. */
static char *
craft_with_key(const unsigned char *key, size_t key_len, const char *header, const char *payload)
{
    return craft_bytes(key, key_len, header, strlen(header), payload, strlen(payload));
}

static char *
craft(const char *header, const char *payload)
{
    return craft_with_key(SECRET, SECRET_LEN, header, payload);
}

/** A well-formed payload for user 42; callers vary the pieces they test. */
static void
payload_times(char *buf, size_t cap, long long iat, long long exp)
{
    snprintf(buf,
             cap,
             "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":%lld,\"exp\":%lld}",
             iat,
             exp);
}

static enum pw_jwt_status
verify_str(const char *tok)
{
    return pw_jwt_verify(SECRET, SECRET_LEN, tok, strlen(tok), NOW, NULL);
}

static enum pw_jwt_status
verify_crafted(const char *header, const char *payload)
{
    char *tok = craft(header, payload);
    enum pw_jwt_status st = verify_str(tok);
    free(tok);
    return st;
}

static enum pw_jwt_status
verify_payload(const char *payload)
{
    return verify_crafted(HS256_HDR, payload);
}

/** Payload with iss/iat/exp fixed and the given raw JSON for sub and role. */
static enum pw_jwt_status
verify_sub_role(const char *sub_json, const char *role_json)
{
    char p[512];
    snprintf(p,
             sizeof p,
             "{\"sub\":%s,\"role\":%s,\"iss\":\"pathways\",\"iat\":%lld,\"exp\":%lld}",
             sub_json,
             role_json,
             (long long) NOW,
             (long long) NOW + 900);
    return verify_payload(p);
}

/* ---- roles and status strings ---------------------------------------- */

START_TEST(test_role_names)
{
    ck_assert_str_eq(pw_role_name(PW_ROLE_NONE), "none");
    ck_assert_str_eq(pw_role_name(PW_ROLE_LEARNER), "learner");
    ck_assert_str_eq(pw_role_name(PW_ROLE_EDITOR), "editor");
    ck_assert_str_eq(pw_role_name(PW_ROLE_ADMIN), "admin");
    ck_assert_str_eq(pw_role_name((enum pw_role) 99), "none");
}
END_TEST

START_TEST(test_role_parse)
{
    ck_assert_int_eq(pw_role_parse("learner"), PW_ROLE_LEARNER);
    ck_assert_int_eq(pw_role_parse("editor"), PW_ROLE_EDITOR);
    ck_assert_int_eq(pw_role_parse("admin"), PW_ROLE_ADMIN);
    ck_assert_int_eq(pw_role_parse("none"), PW_ROLE_NONE);
    ck_assert_int_eq(pw_role_parse("Admin"), PW_ROLE_NONE);
    ck_assert_int_eq(pw_role_parse("admin "), PW_ROLE_NONE);
    ck_assert_int_eq(pw_role_parse(""), PW_ROLE_NONE);
    ck_assert_int_eq(pw_role_parse(NULL), PW_ROLE_NONE);
}
END_TEST

START_TEST(test_status_strings)
{
    for (int i = PW_JWT_OK; i <= PW_JWT_BAD_CLAIMS; i++) {
        const char *s = pw_jwt_status_str((enum pw_jwt_status) i);
        ck_assert_ptr_nonnull(s);
        for (int j = PW_JWT_OK; j < i; j++)
            ck_assert_str_ne(s, pw_jwt_status_str((enum pw_jwt_status) j));
    }
    ck_assert_ptr_nonnull(pw_jwt_status_str((enum pw_jwt_status) 99));
}
END_TEST

/* ---- issue / verify round trip --------------------------------------- */

START_TEST(test_round_trip)
{
    static const enum pw_role roles[] = { PW_ROLE_LEARNER, PW_ROLE_EDITOR, PW_ROLE_ADMIN };
    for (size_t i = 0; i < 3; i++) {
        char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 42, roles[i], NOW, 900);
        ck_assert_ptr_nonnull(tok);
        struct pw_claims c;
        ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, tok, strlen(tok), NOW, &c), PW_JWT_OK);
        ck_assert_int_eq(c.user_id, 42);
        ck_assert_int_eq(c.role, roles[i]);
        ck_assert_int_eq(c.iat, NOW);
        ck_assert_int_eq(c.exp, NOW + 900);
        free(tok);
    }
}
END_TEST

START_TEST(test_round_trip_lifetime)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 7, PW_ROLE_ADMIN, NOW, 60);
    ck_assert_ptr_nonnull(tok);
    size_t n = strlen(tok);
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, tok, n, NOW + 59, NULL), PW_JWT_OK);
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, tok, n, NOW + 60, NULL), PW_JWT_EXPIRED);
    /* A clock slightly behind the issuer's is tolerated (iat skew). */
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, tok, n, NOW - 30, NULL), PW_JWT_OK);
    /* The same token under another secret is refused. */
    static const unsigned char other[] = "another-secret";
    ck_assert_int_eq(pw_jwt_verify(other, sizeof other - 1, tok, n, NOW, NULL),
                     PW_JWT_BAD_SIGNATURE);
    free(tok);
}
END_TEST

START_TEST(test_round_trip_max_user_id)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, INT64_MAX, PW_ROLE_LEARNER, NOW, 900);
    ck_assert_ptr_nonnull(tok);
    struct pw_claims c;
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, tok, strlen(tok), NOW, &c), PW_JWT_OK);
    ck_assert(c.user_id == INT64_MAX);
    free(tok);
}
END_TEST

START_TEST(test_issue_header_is_hs256)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 1, PW_ROLE_LEARNER, NOW, 900);
    ck_assert_ptr_nonnull(tok);
    const char *dot = strchr(tok, '.');
    ck_assert_ptr_nonnull(dot);
    char hdr[256];
    size_t n = 0;
    ck_assert_int_eq(sodium_base642bin((unsigned char *) hdr,
                                       sizeof hdr - 1,
                                       tok,
                                       (size_t) (dot - tok),
                                       NULL,
                                       &n,
                                       NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    hdr[n] = '\0';
    ck_assert_ptr_nonnull(strstr(hdr, "\"alg\":\"HS256\""));
    free(tok);
}
END_TEST

START_TEST(test_issue_rejects_bad_input)
{
    ck_assert_ptr_null(pw_jwt_issue(NULL, SECRET_LEN, 1, PW_ROLE_LEARNER, NOW, 900));
    ck_assert_ptr_null(pw_jwt_issue(SECRET, 0, 1, PW_ROLE_LEARNER, NOW, 900));
    ck_assert_ptr_null(pw_jwt_issue(SECRET, SECRET_LEN, 0, PW_ROLE_LEARNER, NOW, 900));
    ck_assert_ptr_null(pw_jwt_issue(SECRET, SECRET_LEN, -5, PW_ROLE_LEARNER, NOW, 900));
    ck_assert_ptr_null(pw_jwt_issue(SECRET, SECRET_LEN, 1, PW_ROLE_NONE, NOW, 900));
    ck_assert_ptr_null(pw_jwt_issue(SECRET, SECRET_LEN, 1, (enum pw_role) 9, NOW, 900));
    ck_assert_ptr_null(pw_jwt_issue(SECRET, SECRET_LEN, 1, PW_ROLE_LEARNER, NOW, 0));
    ck_assert_ptr_null(pw_jwt_issue(SECRET, SECRET_LEN, 1, PW_ROLE_LEARNER, NOW, -1));
}
END_TEST

START_TEST(test_crafted_good_token)
{
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    char *tok = craft(HS256_HDR, p);
    struct pw_claims c;
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, tok, strlen(tok), NOW, &c), PW_JWT_OK);
    ck_assert_int_eq(c.user_id, 42);
    ck_assert_int_eq(c.role, PW_ROLE_LEARNER);
    free(tok);
    /* typ is optional, and unknown extra claims are ignored. */
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256\"}", p), PW_JWT_OK);
    char q[320];
    snprintf(q,
             sizeof q,
             "{\"jti\":\"x\",\"sub\":\"42\",\"role\":\"editor\",\"iss\":\"pathways\","
             "\"iat\":%lld,\"exp\":%lld,\"nbf\":%lld}",
             (long long) NOW,
             (long long) NOW + 900,
             (long long) NOW);
    ck_assert_int_eq(verify_payload(q), PW_JWT_OK);
}
END_TEST

START_TEST(test_not_nul_terminated)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 42, PW_ROLE_EDITOR, NOW, 900);
    ck_assert_ptr_nonnull(tok);
    size_t n = strlen(tok);
    char *buf = malloc(n + 8);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, tok, n);
    memcpy(buf + n, "GARBAGE!", 8); /* no NUL anywhere */
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, buf, n, NOW, NULL), PW_JWT_OK);
    free(buf);
    free(tok);
}
END_TEST

START_TEST(test_out_untouched_on_failure)
{
    char p[256];
    payload_times(p, sizeof p, NOW - 1000, NOW - 1);
    char *tok = craft(HS256_HDR, p);
    struct pw_claims c = { .user_id = -77, .role = PW_ROLE_NONE, .iat = 5, .exp = 6 };
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, tok, strlen(tok), NOW, &c), PW_JWT_EXPIRED);
    ck_assert_int_eq(c.user_id, -77);
    ck_assert_int_eq(c.iat, 5);
    ck_assert_int_eq(c.exp, 6);
    free(tok);
}
END_TEST

/* ---- algorithm pinning ----------------------------------------------- */

START_TEST(test_alg_none)
{
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    static const char none_hdr[] = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
    char *h = b64url(none_hdr, strlen(none_hdr));
    char *pb = b64url(p, strlen(p));
    char tok[1024];
    /* Classic unsecured JWS: empty signature segment. */
    snprintf(tok, sizeof tok, "%s.%s.", h, pb);
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    /* Signature omitted entirely. */
    snprintf(tok, sizeof tok, "%s.%s", h, pb);
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    free(h);
    free(pb);
    /* Even with a genuine HMAC attached, "none" is not HS256. */
    ck_assert_int_eq(verify_crafted("{\"alg\":\"none\",\"typ\":\"JWT\"}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"None\"}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"hs256\"}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256 \"}", p), PW_JWT_BAD_ALG);
}
END_TEST

START_TEST(test_alg_other)
{
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"ES256\"}", p), PW_JWT_BAD_ALG);
}
END_TEST

START_TEST(test_alg_missing_or_mistyped)
{
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    ck_assert_int_eq(verify_crafted("{\"typ\":\"JWT\"}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":256}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":null}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":[\"HS256\"]}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"ALG\":\"HS256\"}", p), PW_JWT_BAD_ALG);
}
END_TEST

START_TEST(test_header_typ)
{
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256\",\"typ\":\"JWS\"}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256\",\"typ\":1}", p), PW_JWT_BAD_ALG);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256\",\"typ\":null}", p), PW_JWT_BAD_ALG);
}
END_TEST

START_TEST(test_header_not_json_object)
{
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    ck_assert_int_eq(verify_crafted("not json", p), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_crafted("[\"HS256\"]", p), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_crafted("\"HS256\"", p), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256\"", p), PW_JWT_MALFORMED);
    /* Trailing bytes after the JSON object. */
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256\"}x", p), PW_JWT_MALFORMED);
    /* Duplicate keys could be read differently by different parsers. */
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256\",\"alg\":\"none\"}", p), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"none\",\"alg\":\"HS256\"}", p), PW_JWT_MALFORMED);
}
END_TEST

/* ---- signature ------------------------------------------------------- */

START_TEST(test_bad_signature_flipped)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 42, PW_ROLE_LEARNER, NOW, 900);
    ck_assert_ptr_nonnull(tok);
    char *sig = strrchr(tok, '.') + 1;
    ck_assert_uint_eq(strlen(sig), 43);
    sig[10] = sig[10] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(verify_str(tok), PW_JWT_BAD_SIGNATURE);
    free(tok);
}
END_TEST

START_TEST(test_bad_signature_other_secret)
{
    static const unsigned char other[] = "some-other-secret";
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    char *tok = craft_with_key(other, sizeof other - 1, HS256_HDR, p);
    ck_assert_int_eq(verify_str(tok), PW_JWT_BAD_SIGNATURE);
    free(tok);
}
END_TEST

START_TEST(test_bad_signature_truncated_or_swapped)
{
    char *a = pw_jwt_issue(SECRET, SECRET_LEN, 1, PW_ROLE_LEARNER, NOW, 900);
    char *b = pw_jwt_issue(SECRET, SECRET_LEN, 2, PW_ROLE_ADMIN, NOW, 900);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    /* Drop the last four signature characters (keeps a valid b64 length). */
    char *cut = strdup(a);
    ck_assert_ptr_nonnull(cut);
    cut[strlen(cut) - 4] = '\0';
    ck_assert_int_eq(verify_str(cut), PW_JWT_BAD_SIGNATURE);
    /* a's header and payload with b's signature. */
    char swapped[1024];
    snprintf(swapped, sizeof swapped, "%.*s%s", (int) (strrchr(a, '.') - a), a, strrchr(b, '.'));
    ck_assert_int_eq(verify_str(swapped), PW_JWT_BAD_SIGNATURE);
    free(cut);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_tampered_payload)
{
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    char *tok = craft(HS256_HDR, p);
    ck_assert_int_eq(verify_str(tok), PW_JWT_OK);
    /* Promote ourselves to admin, keeping header and signature. */
    char *role = strstr(p, "\"learner\"");
    ck_assert_ptr_nonnull(role);
    char evil[256];
    snprintf(evil, sizeof evil, "%.*s\"admin\"%s", (int) (role - p), p, role + 9);
    char *eb = b64url(evil, strlen(evil));
    const char *d1 = strchr(tok, '.');
    const char *d2 = strrchr(tok, '.');
    char forged[1024];
    snprintf(forged, sizeof forged, "%.*s.%s%s", (int) (d1 - tok), tok, eb, d2);
    ck_assert_int_eq(verify_str(forged), PW_JWT_BAD_SIGNATURE);
    free(eb);
    free(tok);
}
END_TEST

START_TEST(test_empty_secret_refused)
{
    /* libjwt 1.10 does not verify at all when key_len is 0; we must. */
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    char *tok = craft_with_key((const unsigned char *) "", 0, HS256_HDR, p);
    ck_assert_int_eq(pw_jwt_verify((const unsigned char *) "", 0, tok, strlen(tok), NOW, NULL),
                     PW_JWT_BAD_SIGNATURE);
    ck_assert_int_eq(pw_jwt_verify(NULL, 0, tok, strlen(tok), NOW, NULL), PW_JWT_BAD_SIGNATURE);
    free(tok);
}
END_TEST

/* ---- time claims ----------------------------------------------------- */

START_TEST(test_expired)
{
    char p[256];
    payload_times(p, sizeof p, NOW - 1000, NOW - 1);
    ck_assert_int_eq(verify_payload(p), PW_JWT_EXPIRED);
    payload_times(p, sizeof p, NOW - 1000, NOW); /* exp == now is already expired */
    ck_assert_int_eq(verify_payload(p), PW_JWT_EXPIRED);
    payload_times(p, sizeof p, NOW - 1000, NOW + 1);
    ck_assert_int_eq(verify_payload(p), PW_JWT_OK);
    payload_times(p, sizeof p, NOW - 1000, -1);
    ck_assert_int_eq(verify_payload(p), PW_JWT_EXPIRED);
}
END_TEST

START_TEST(test_nbf)
{
    static const char fmt[] = "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\","
                              "\"iat\":%lld,\"exp\":%lld,\"nbf\":%s}";
    char p[256];
    char nbf[32];
    snprintf(nbf, sizeof nbf, "%lld", (long long) NOW + 10);
    snprintf(p, sizeof p, fmt, (long long) NOW, (long long) NOW + 900, nbf);
    ck_assert_int_eq(verify_payload(p), PW_JWT_NOT_YET_VALID);
    snprintf(nbf, sizeof nbf, "%lld", (long long) NOW + 1);
    snprintf(p, sizeof p, fmt, (long long) NOW, (long long) NOW + 900, nbf);
    ck_assert_int_eq(verify_payload(p), PW_JWT_NOT_YET_VALID);
    snprintf(nbf, sizeof nbf, "%lld", (long long) NOW);
    snprintf(p, sizeof p, fmt, (long long) NOW, (long long) NOW + 900, nbf);
    ck_assert_int_eq(verify_payload(p), PW_JWT_OK);
    snprintf(p, sizeof p, fmt, (long long) NOW, (long long) NOW + 900, "\"1700000000\"");
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS);
    snprintf(p, sizeof p, fmt, (long long) NOW, (long long) NOW + 900, "null");
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS);
}
END_TEST

START_TEST(test_iat_future)
{
    char p[256];
    payload_times(p, sizeof p, NOW + 60, NOW + 900);
    ck_assert_int_eq(verify_payload(p), PW_JWT_OK);
    payload_times(p, sizeof p, NOW + 61, NOW + 900);
    ck_assert_int_eq(verify_payload(p), PW_JWT_NOT_YET_VALID);
    payload_times(p, sizeof p, NOW + 86400 * 365, NOW + 86400 * 366);
    ck_assert_int_eq(verify_payload(p), PW_JWT_NOT_YET_VALID);
    payload_times(p, sizeof p, INT64_MAX, INT64_MAX);
    ck_assert_int_eq(verify_payload(p), PW_JWT_NOT_YET_VALID);
}
END_TEST

START_TEST(test_time_claims_missing_or_mistyped)
{
    char p[256];
    snprintf(p,
             sizeof p,
             "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":%lld}",
             (long long) NOW);
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS); /* no exp */
    snprintf(p,
             sizeof p,
             "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\",\"exp\":%lld}",
             (long long) NOW + 900);
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS); /* no iat */
    snprintf(p,
             sizeof p,
             "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":%lld,"
             "\"exp\":\"%lld\"}",
             (long long) NOW,
             (long long) NOW + 900);
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS); /* exp as a string */
    snprintf(p,
             sizeof p,
             "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":%lld,"
             "\"exp\":%lld.5}",
             (long long) NOW,
             (long long) NOW + 900);
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS); /* exp as a real */
    snprintf(p,
             sizeof p,
             "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":true,"
             "\"exp\":%lld}",
             (long long) NOW + 900);
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS); /* iat as a bool */
}
END_TEST

/* ---- iss, sub, role -------------------------------------------------- */

START_TEST(test_issuer)
{
    static const char fmt[] = "{\"sub\":\"42\",\"role\":\"learner\"%s,\"iat\":%lld,\"exp\":%lld}";
    static const char *const bad[] = {
        ",\"iss\":\"evil\"",
        ",\"iss\":\"Pathways\"",
        ",\"iss\":\"pathways \"",
        ",\"iss\":\"\"",
        ",\"iss\":null",
        ",\"iss\":[\"pathways\"]",
        "", /* missing */
    };
    char p[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(p, sizeof p, fmt, bad[i], (long long) NOW, (long long) NOW + 900);
        ck_assert_msg(verify_payload(p) == PW_JWT_BAD_ISSUER, "accepted iss: %s", bad[i]);
    }
}
END_TEST

START_TEST(test_sub)
{
    static const char *const bad[] = {
        "42",
        "\"0\"",
        "\"abc\"",
        "\"-1\"",
        "\"+1\"",
        "\"007\"",
        "\"\"",
        "\"1 \"",
        "\" 1\"",
        "\"1.0\"",
        "\"1e3\"",
        "null",
        "[\"42\"]",
        "\"9223372036854775808\"",
        "\"99999999999999999999\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(verify_sub_role(bad[i], "\"learner\"") == PW_JWT_BAD_CLAIMS,
                      "accepted sub: %s",
                      bad[i]);
    ck_assert_int_eq(verify_sub_role("\"1\"", "\"learner\""), PW_JWT_OK);
    ck_assert_int_eq(verify_sub_role("\"9223372036854775807\"", "\"learner\""), PW_JWT_OK);
    /* sub missing altogether */
    char p[256];
    snprintf(p,
             sizeof p,
             "{\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":%lld,\"exp\":%lld}",
             (long long) NOW,
             (long long) NOW + 900);
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS);
}
END_TEST

START_TEST(test_role_claim)
{
    static const char *const bad[] = {
        "\"root\"", "\"Admin\"", "\"none\"", "\"\"", "3", "null", "[\"admin\"]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(
            verify_sub_role("\"42\"", bad[i]) == PW_JWT_BAD_CLAIMS, "accepted role: %s", bad[i]);
    ck_assert_int_eq(verify_sub_role("\"42\"", "\"admin\""), PW_JWT_OK);
    char p[256];
    snprintf(p,
             sizeof p,
             "{\"sub\":\"42\",\"iss\":\"pathways\",\"iat\":%lld,\"exp\":%lld}",
             (long long) NOW,
             (long long) NOW + 900);
    ck_assert_int_eq(verify_payload(p), PW_JWT_BAD_CLAIMS); /* role missing */
}
END_TEST

START_TEST(test_payload_not_json_object)
{
    ck_assert_int_eq(verify_payload("not json"), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_payload("[1,2]"), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_payload("42"), PW_JWT_MALFORMED);
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    strcat(p, " {}");
    ck_assert_int_eq(verify_payload(p), PW_JWT_MALFORMED);
}
END_TEST

/*
 * Found by tests/fuzz/fuzz_jwt.c. A NUL byte is never part of JSON text, but jansson's
 * json_loadb() skips one that directly follows a number, so the payload below read as
 * valid here ("nbf":17000) while libjwt, which reads each segment as a C string, saw a
 * truncated document: our claims and libjwt's were not the same bytes' reading.
 */
START_TEST(test_nul_byte_in_json)
{
    static const char hdr[] = "{\"alg\":\"HS256\"}";
    static const char fuzz_payload[] = "{\"sub\":\"4\",\"role\":\"admin\",\"iss\":\"pathways\","
                                       "\"iat\":170000000,\"exp\":1700043600,\"nbf\":17000\0}";
    static const char nul_hdr[] = "{\"alg\":\"HS256\",\"v\":1\0}";
    char p[256];
    char *tok;

    /* The fuzzer's input, exactly: signed with the right secret, so only the NUL is wrong. */
    tok =
        craft_bytes(SECRET, SECRET_LEN, hdr, sizeof hdr - 1, fuzz_payload, sizeof fuzz_payload - 1);
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    free(tok);

    /* A NUL before the closing brace of an otherwise valid payload. */
    payload_times(p, sizeof p, NOW, NOW + 900);
    size_t n = strlen(p);
    ck_assert(n + 2 <= sizeof p);
    memcpy(p + n - 1, "\0}", 2); /* ...,"exp":1700000900\0} */
    tok = craft_bytes(SECRET, SECRET_LEN, hdr, sizeof hdr - 1, p, n + 1);
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    free(tok);

    /* The same in the header. */
    payload_times(p, sizeof p, NOW, NOW + 900);
    tok = craft_bytes(SECRET, SECRET_LEN, nul_hdr, sizeof nul_hdr - 1, p, strlen(p));
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    free(tok);

    /* Without the NUL bytes, both are fine. */
    payload_times(p, sizeof p, NOW, NOW + 900);
    ck_assert_int_eq(verify_crafted("{\"alg\":\"HS256\",\"v\":1}", p), PW_JWT_OK);
}
END_TEST

/* ---- structure ------------------------------------------------------- */

START_TEST(test_segment_count)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 42, PW_ROLE_LEARNER, NOW, 900);
    ck_assert_ptr_nonnull(tok);
    const char *d1 = strchr(tok, '.');
    const char *d2 = strrchr(tok, '.');
    char buf[1024];
    snprintf(buf, sizeof buf, "%.*s", (int) (d2 - tok), tok); /* header.payload */
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    snprintf(buf, sizeof buf, "%s.%s", tok, d2 + 1); /* four segments */
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    snprintf(buf, sizeof buf, "%.*s..%s", (int) (d1 - tok), tok, d2 + 1); /* empty payload */
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    snprintf(buf, sizeof buf, "%s", d1); /* empty header */
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    snprintf(buf, sizeof buf, "%.*s.", (int) (d2 - tok), tok); /* empty signature */
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_str(".."), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_str("..."), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_str("abc"), PW_JWT_MALFORMED);
    ck_assert_int_eq(verify_str("a.b.c.d"), PW_JWT_MALFORMED);
    free(tok);
}
END_TEST

START_TEST(test_empty_and_null)
{
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, "", 0, NOW, NULL), PW_JWT_MALFORMED);
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, NULL, 10, NOW, NULL), PW_JWT_MALFORMED);
}
END_TEST

START_TEST(test_non_base64_chars)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 42, PW_ROLE_LEARNER, NOW, 900);
    ck_assert_ptr_nonnull(tok);
    static const char bad[] = { '+', '/', '=', ' ', '\n', '%', '\0', (char) 0xC3 };
    size_t n = strlen(tok);
    char *buf = malloc(n + 1);
    ck_assert_ptr_nonnull(buf);
    /* Positions in the header, the payload and the signature. */
    size_t pos[] = { 3, (size_t) (strchr(tok, '.') - tok) + 3, n - 5 };
    for (size_t i = 0; i < sizeof bad; i++) {
        for (size_t j = 0; j < 3; j++) {
            memcpy(buf, tok, n + 1);
            buf[pos[j]] = bad[i];
            ck_assert_msg(pw_jwt_verify(SECRET, SECRET_LEN, buf, n, NOW, NULL) == PW_JWT_MALFORMED,
                          "accepted byte 0x%02x at %zu",
                          (unsigned char) bad[i],
                          pos[j]);
        }
    }
    free(buf);
    free(tok);
}
END_TEST

START_TEST(test_padding_and_noncanonical_b64)
{
    char p[256];
    payload_times(p, sizeof p, NOW, NOW + 900);
    /* "{}" encodes to "e30"; "e31" decodes to the same bytes with a stray bit. */
    char *pb = b64url(p, strlen(p));
    char tok[1024];
    snprintf(tok, sizeof tok, "e31.%s.AAAA", pb);
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    /* A segment whose length is 1 mod 4 cannot be base64. */
    snprintf(tok, sizeof tok, "e30AB.%s.AAAA", pb);
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    /* Padded base64 ('=') is not base64url as JWS uses it. */
    snprintf(tok, sizeof tok, "e30=.%s.AAAA", pb);
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    free(pb);
}
END_TEST

START_TEST(test_trailing_garbage)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 42, PW_ROLE_LEARNER, NOW, 900);
    ck_assert_ptr_nonnull(tok);
    char buf[1024];
    snprintf(buf, sizeof buf, "%sx", tok); /* still base64url: a different signature */
    ck_assert_int_eq(verify_str(buf), PW_JWT_BAD_SIGNATURE);
    snprintf(buf, sizeof buf, "%sAAAA", tok);
    ck_assert_int_eq(verify_str(buf), PW_JWT_BAD_SIGNATURE);
    snprintf(buf, sizeof buf, "%s ", tok);
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    snprintf(buf, sizeof buf, "%s\n", tok);
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    snprintf(buf, sizeof buf, "%s.", tok);
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    snprintf(buf, sizeof buf, "%s.x", tok);
    ck_assert_int_eq(verify_str(buf), PW_JWT_MALFORMED);
    /* An embedded NUL counted in len is garbage too, not an early end. */
    size_t n = strlen(tok);
    memcpy(buf, tok, n);
    buf[n] = '\0';
    buf[n + 1] = 'x';
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, buf, n + 2, NOW, NULL), PW_JWT_MALFORMED);
    free(tok);
}
END_TEST

/** A validly signed token whose payload carries @a pad_len bytes of padding. */
static char *
padded_token(size_t pad_len)
{
    char *pad = malloc(pad_len + 1);
    ck_assert_ptr_nonnull(pad);
    memset(pad, 'x', pad_len);
    pad[pad_len] = '\0';
    size_t cap = pad_len + 256;
    char *p = malloc(cap);
    ck_assert_ptr_nonnull(p);
    snprintf(p,
             cap,
             "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\",\"iat\":%lld,\"exp\":%lld,"
             "\"pad\":\"%s\"}",
             (long long) NOW,
             (long long) NOW + 900,
             pad);
    char *tok = craft(HS256_HDR, p);
    free(p);
    free(pad);
    return tok;
}

START_TEST(test_oversized)
{
    /* Find the largest padded token that still fits, and the next one up. */
    size_t pad = 2900;
    char *tok = padded_token(pad);
    while (strlen(tok) <= PW_JWT_MAX_LEN) {
        free(tok);
        tok = padded_token(++pad);
    }
    ck_assert_uint_gt(strlen(tok), PW_JWT_MAX_LEN);
    ck_assert_int_eq(verify_str(tok), PW_JWT_MALFORMED);
    free(tok);
    tok = padded_token(pad - 1);
    ck_assert_uint_le(strlen(tok), PW_JWT_MAX_LEN);
    ck_assert_int_eq(verify_str(tok), PW_JWT_OK);
    free(tok);
    /* Huge input: refused on length alone, never read past the limit's worth. */
    size_t big = 1u << 20;
    char *huge = malloc(big);
    ck_assert_ptr_nonnull(huge);
    memset(huge, 'A', big);
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, huge, big, NOW, NULL), PW_JWT_MALFORMED);
    free(huge);
}
END_TEST

/* ---- the memo of verified tokens (jwt_memo.c) ------------------------ */

static const unsigned char OTHER_SECRET[] = "another-unit-test-secret-0123456789abcdef";
#define OTHER_LEN (sizeof OTHER_SECRET - 1)

static enum pw_jwt_status
memo(const unsigned char *key, size_t key_len, const char *tok, time_t now, struct pw_claims *c)
{
    return pw_jwt_verify_memo(key, key_len, tok, strlen(tok), now, c);
}

START_TEST(test_memo_answers_like_verify)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 42, PW_ROLE_EDITOR, NOW, 900);
    struct pw_claims a, b, c;

    ck_assert_ptr_nonnull(tok);
    memset(&a, 0, sizeof a);
    ck_assert_int_eq(pw_jwt_verify(SECRET, SECRET_LEN, tok, strlen(tok), NOW, &a), PW_JWT_OK);
    for (int round = 0; round < 2; round++) { /* first verified, then remembered */
        memset(&b, 0, sizeof b);
        ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW, &b), PW_JWT_OK);
        ck_assert_mem_eq(&a, &b, sizeof a);
    }
    /* Times are checked on every use: the remembered token expires. */
    c = (struct pw_claims){ .user_id = -7 };
    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW + 900, &c), PW_JWT_EXPIRED);
    ck_assert_int_eq(c.user_id, -7); /* untouched on failure */
    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW + 899, NULL), PW_JWT_OK);
    /* Another secret: not the same verdict. */
    ck_assert_int_eq(memo(OTHER_SECRET, OTHER_LEN, tok, NOW, NULL), PW_JWT_BAD_SIGNATURE);
    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW, NULL), PW_JWT_OK);
    /* Not NUL-terminated: the length says. */
    size_t n = strlen(tok);
    char *buf = malloc(n + 8);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, tok, n);
    memcpy(buf + n, "GARBAGE!", 8);
    ck_assert_int_eq(pw_jwt_verify_memo(SECRET, SECRET_LEN, buf, n, NOW, NULL), PW_JWT_OK);
    ck_assert_int_ne(pw_jwt_verify_memo(SECRET, SECRET_LEN, buf, n + 1, NOW, NULL), PW_JWT_OK);
    free(buf);
    free(tok);
}
END_TEST

/* A remembered token's every byte counts: each one-character change is checked afresh. */
START_TEST(test_memo_tampered_tokens_fail)
{
    char *tok = pw_jwt_issue(SECRET, SECRET_LEN, 42, PW_ROLE_LEARNER, NOW, 900);
    size_t n;

    ck_assert_ptr_nonnull(tok);
    n = strlen(tok);
    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW, NULL), PW_JWT_OK);
    for (size_t i = 0; i < n; i++) {
        char saved = tok[i];

        if (saved == '.')
            continue;
        tok[i] = saved == 'A' ? 'B' : 'A';
        ck_assert_msg(memo(SECRET, SECRET_LEN, tok, NOW, NULL) != PW_JWT_OK,
                      "byte %zu changed and still accepted",
                      i);
        tok[i] = saved;
        ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW, NULL), PW_JWT_OK);
    }
    free(tok);
}
END_TEST

/* nbf and iat are checked again too (a clock set back). */
START_TEST(test_memo_rechecks_not_before)
{
    char p[256];

    snprintf(p,
             sizeof p,
             "{\"sub\":\"42\",\"role\":\"learner\",\"iss\":\"pathways\","
             "\"iat\":%lld,\"exp\":%lld,\"nbf\":%lld}",
             (long long) NOW + 100,
             (long long) NOW + 900,
             (long long) NOW + 10);
    char *tok = craft(HS256_HDR, p);
    struct pw_claims c;

    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW + 50, &c), PW_JWT_OK);
    ck_assert_int_eq(c.nbf, NOW + 10);
    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW + 5, NULL), PW_JWT_NOT_YET_VALID);
    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW + 60, NULL), PW_JWT_OK);
    /* iat 100 s ahead of a clock at NOW + 20: more than the 60 s skew. */
    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW + 20, NULL), PW_JWT_NOT_YET_VALID);
    free(tok);
}
END_TEST

/* More tokens than slots: each still gets its own claims, and so do tokens too long for
   the memo. */
START_TEST(test_memo_many_and_long_tokens)
{
    enum { USERS = 300 };
    char *toks[USERS];
    char p[900];
    struct pw_claims c;

    for (int i = 0; i < USERS; i++) {
        toks[i] = pw_jwt_issue(SECRET, SECRET_LEN, 1000 + i, PW_ROLE_LEARNER, NOW, 900);
        ck_assert_ptr_nonnull(toks[i]);
    }
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < USERS; i++) {
            int k = (i * 7 + round) % USERS;

            ck_assert_int_eq(memo(SECRET, SECRET_LEN, toks[k], NOW, &c), PW_JWT_OK);
            ck_assert_int_eq(c.user_id, 1000 + k);
        }
    for (int i = 0; i < USERS; i++)
        free(toks[i]);
    /* Over 512 bytes: verified every time. */
    snprintf(p,
             sizeof p,
             "{\"sub\":\"43\",\"role\":\"admin\",\"iss\":\"pathways\",\"iat\":%lld,"
             "\"exp\":%lld,\"pad\":\"%0500d\"}",
             (long long) NOW,
             (long long) NOW + 900,
             0);
    char *tok = craft(HS256_HDR, p);
    ck_assert_uint_gt(strlen(tok), 512);
    for (int round = 0; round < 2; round++) {
        ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW, &c), PW_JWT_OK);
        ck_assert_int_eq(c.user_id, 43);
        ck_assert_int_eq(c.role, PW_ROLE_ADMIN);
    }
    ck_assert_int_eq(memo(SECRET, SECRET_LEN, tok, NOW + 900, NULL), PW_JWT_EXPIRED);
    free(tok);
}
END_TEST

Suite *
jwt_suite(void)
{
    /* The crafting helpers use libsodium, which wants initialising first. */
    if (sodium_init() < 0)
        abort();
    Suite *s = suite_create("jwt");
    TCase *roles = tcase_create("roles");
    tcase_add_test(roles, test_role_names);
    tcase_add_test(roles, test_role_parse);
    tcase_add_test(roles, test_status_strings);
    suite_add_tcase(s, roles);

    TCase *rt = tcase_create("round_trip");
    tcase_add_test(rt, test_round_trip);
    tcase_add_test(rt, test_round_trip_lifetime);
    tcase_add_test(rt, test_round_trip_max_user_id);
    tcase_add_test(rt, test_issue_header_is_hs256);
    tcase_add_test(rt, test_issue_rejects_bad_input);
    tcase_add_test(rt, test_crafted_good_token);
    tcase_add_test(rt, test_not_nul_terminated);
    tcase_add_test(rt, test_out_untouched_on_failure);
    suite_add_tcase(s, rt);

    TCase *alg = tcase_create("alg");
    tcase_add_test(alg, test_alg_none);
    tcase_add_test(alg, test_alg_other);
    tcase_add_test(alg, test_alg_missing_or_mistyped);
    tcase_add_test(alg, test_header_typ);
    tcase_add_test(alg, test_header_not_json_object);
    suite_add_tcase(s, alg);

    TCase *sig = tcase_create("signature");
    tcase_add_test(sig, test_bad_signature_flipped);
    tcase_add_test(sig, test_bad_signature_other_secret);
    tcase_add_test(sig, test_bad_signature_truncated_or_swapped);
    tcase_add_test(sig, test_tampered_payload);
    tcase_add_test(sig, test_empty_secret_refused);
    suite_add_tcase(s, sig);

    TCase *claims = tcase_create("claims");
    tcase_add_test(claims, test_expired);
    tcase_add_test(claims, test_nbf);
    tcase_add_test(claims, test_iat_future);
    tcase_add_test(claims, test_time_claims_missing_or_mistyped);
    tcase_add_test(claims, test_issuer);
    tcase_add_test(claims, test_sub);
    tcase_add_test(claims, test_role_claim);
    tcase_add_test(claims, test_payload_not_json_object);
    tcase_add_test(claims, test_nul_byte_in_json);
    suite_add_tcase(s, claims);

    TCase *shape = tcase_create("structure");
    tcase_add_test(shape, test_segment_count);
    tcase_add_test(shape, test_empty_and_null);
    tcase_add_test(shape, test_non_base64_chars);
    tcase_add_test(shape, test_padding_and_noncanonical_b64);
    tcase_add_test(shape, test_trailing_garbage);
    tcase_add_test(shape, test_oversized);
    suite_add_tcase(s, shape);

    TCase *m = tcase_create("memo");
    tcase_add_test(m, test_memo_answers_like_verify);
    tcase_add_test(m, test_memo_tampered_tokens_fail);
    tcase_add_test(m, test_memo_rechecks_not_before);
    tcase_add_test(m, test_memo_many_and_long_tokens);
    suite_add_tcase(s, m);
    return s;
}

PW_CHECK_MAIN(jwt_suite)
