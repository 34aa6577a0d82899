/**
 * @file jwt.c
 * @brief HS256 access tokens: strict structural checks, then the HMAC.
 *
 * libjwt 1.10 trusts the token's own "alg" header and happily parses
 * "alg":"none" when no key is given, so the header is decoded and pinned
 * here. Verification does not use libjwt (which re-parsed both JSON parts and
 * re-keyed HMAC on every token): the HMAC is libsodium's, with the key's pads
 * hashed once per key; claims are read from our own strict parse of the
 * payload (duplicate keys refused) once the signature over exactly those
 * bytes has verified. Tokens are still issued through libjwt.
 */
#include "pathways/jwt.h"
#include "pathways/b64url.h"

#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <jwt.h>
#include <sodium.h>

/** Clock skew tolerated on `iat`: a token minted slightly ahead is fine. */
#define PW_JWT_IAT_SKEW 60

/** The three dot-separated parts of a compact JWS. */
struct jwt_parts {
    const char *seg[3];
    size_t len[3];
};

const char *
pw_role_name(enum pw_role role)
{
    switch (role) {
    case PW_ROLE_LEARNER:
        return "learner";
    case PW_ROLE_EDITOR:
        return "editor";
    case PW_ROLE_ADMIN:
        return "admin";
    case PW_ROLE_NONE:
        break;
    }
    return "none";
}

enum pw_role
pw_role_parse(const char *name)
{
    static const enum pw_role roles[] = { PW_ROLE_LEARNER, PW_ROLE_EDITOR, PW_ROLE_ADMIN };
    if (name == NULL)
        return PW_ROLE_NONE;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        if (strcmp(name, pw_role_name(roles[i])) == 0)
            return roles[i];
    }
    return PW_ROLE_NONE;
}

const char *
pw_jwt_status_str(enum pw_jwt_status st)
{
    switch (st) {
    case PW_JWT_OK:
        return "ok";
    case PW_JWT_MALFORMED:
        return "malformed token";
    case PW_JWT_BAD_ALG:
        return "algorithm not allowed";
    case PW_JWT_BAD_SIGNATURE:
        return "bad signature";
    case PW_JWT_EXPIRED:
        return "token expired";
    case PW_JWT_NOT_YET_VALID:
        return "token not yet valid";
    case PW_JWT_BAD_ISSUER:
        return "bad issuer";
    case PW_JWT_BAD_CLAIMS:
        return "bad claims";
    }
    return "unknown status";
}

/** Strict base64url (pathways/b64url.h): each byte string has one encoding. */
static bool
b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap, size_t *out_len)
{
    long n = pw_b64url_decode(in, len, out, cap);

    if (n < 0)
        return false;
    *out_len = (size_t) n;
    return true;
}

/* ---- structure ------------------------------------------------------- */

static bool
segment_ok(const char *s, size_t len)
{
    return len > 0 && pw_b64url_chars_ok(s, len);
}

/** Exactly three non-empty base64url segments; anything else is malformed. */
static bool
split_token(const char *token, size_t len, struct jwt_parts *parts)
{
    size_t start = 0;
    int n = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && token[i] != '.')
            continue;
        if (n == 3)
            return false; /* a fourth segment */
        parts->seg[n] = token + start;
        parts->len[n] = i - start;
        if (!segment_ok(parts->seg[n], parts->len[n]))
            return false;
        n++;
        start = i + 1;
    }
    return n == 3;
}

/**
 * Decode one segment into a JSON object. @return a new reference the caller
 * must json_decref(), or NULL if it is not base64url of a JSON object.
 */
static json_t *
decode_json_object(const char *seg, size_t len)
{
    unsigned char buf[PW_JWT_MAX_LEN]; /* decoded is always shorter than the token */
    size_t n = 0;
    if (!b64url_decode(seg, len, buf, sizeof buf, &n))
        return NULL;
    /* A NUL byte is never part of JSON text, but jansson's json_loadb() skips one that
     * directly follows a number ({"exp":1\0} loads as {"exp":1}), while libjwt reads the
     * segment as a C string and sees another document: refuse it before either reads it. */
    if (memchr(buf, '\0', n) != NULL)
        return NULL;
    /* Duplicate keys are refused: {"alg":"HS256","alg":"none"} must not mean
     * one thing here and another in some other parser. */
    json_t *obj = json_loadb((const char *) buf, n, JSON_REJECT_DUPLICATES, NULL);
    if (obj != NULL && !json_is_object(obj)) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static bool
string_member_is(const json_t *obj, const char *key, const char *want)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) && strcmp(json_string_value(v), want) == 0;
}

/** The algorithm pin: our own reading of the header, not libjwt's. */
static enum pw_jwt_status
check_header(const struct jwt_parts *parts)
{
    json_t *hdr = decode_json_object(parts->seg[0], parts->len[0]);
    if (hdr == NULL)
        return PW_JWT_MALFORMED;
    enum pw_jwt_status st = PW_JWT_OK;
    if (!string_member_is(hdr, "alg", "HS256"))
        st = PW_JWT_BAD_ALG;
    else if (json_object_get(hdr, "typ") != NULL && !string_member_is(hdr, "typ", "JWT"))
        st = PW_JWT_BAD_ALG;
    json_decref(hdr);
    return st;
}

/*
 * The HMAC check (libsodium), only reached once the header says HS256: the
 * signature segment must decode to exactly 32 bytes equal, in constant time,
 * to HMAC-SHA256(secret, "header.payload"). HMAC-SHA256 keyed state for the last secret this thread
 * saw: the key's inner and outer pads are hashed once per key, not once per token.
 */
struct hmac_cache {
    unsigned char key[256];
    size_t key_len;
    crypto_auth_hmacsha256_state state;
};

static const crypto_auth_hmacsha256_state *
hmac_keyed(const unsigned char *secret, size_t secret_len, crypto_auth_hmacsha256_state *scratch)
{
    static _Thread_local struct hmac_cache cache;

    if (secret_len > sizeof cache.key) {
        crypto_auth_hmacsha256_init(scratch, secret, secret_len);
        return scratch;
    }
    if (cache.key_len != secret_len || sodium_memcmp(cache.key, secret, secret_len) != 0) {
        crypto_auth_hmacsha256_init(&cache.state, secret, secret_len);
        memcpy(cache.key, secret, secret_len);
        cache.key_len = secret_len;
    }
    return &cache.state;
}

static enum pw_jwt_status
check_signature(const unsigned char *secret, size_t secret_len, const struct jwt_parts *parts)
{
    unsigned char sig[crypto_auth_hmacsha256_BYTES + 3];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    size_t sig_len = 0;
    crypto_auth_hmacsha256_state scratch, st;

    if (secret == NULL || secret_len == 0)
        return PW_JWT_BAD_SIGNATURE;
    if (!b64url_decode(parts->seg[2], parts->len[2], sig, sizeof sig, &sig_len) ||
        sig_len != sizeof mac)
        return PW_JWT_BAD_SIGNATURE;
    /* The signed input is "header.payload", as it appears in the token. */
    st = *hmac_keyed(secret, secret_len, &scratch);
    crypto_auth_hmacsha256_update(
        &st, (const unsigned char *) parts->seg[0], parts->len[0] + 1 + parts->len[1]);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
    sodium_memzero(&scratch, sizeof scratch);
    return sodium_memcmp(mac, sig, sizeof mac) == 0 ? PW_JWT_OK : PW_JWT_BAD_SIGNATURE;
}

/* ---- claims ---------------------------------------------------------- */

/** `sub`: canonical decimal string (no sign, no leading zero), 1..INT64_MAX. */
static bool
parse_user_id(const json_t *sub, int64_t *out)
{
    if (!json_is_string(sub))
        return false;
    const char *s = json_string_value(sub);
    size_t len = json_string_length(sub);
    if (len == 0 || len > 19 || s[0] < '1' || s[0] > '9')
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        int d = s[i] - '0';
        if (v > (INT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/** A JSON integer claim that also fits time_t. Reals and strings are refused. */
static bool
time_claim(const json_t *payload, const char *key, time_t *out)
{
    const json_t *v = json_object_get(payload, key);
    if (!json_is_integer(v))
        return false;
    json_int_t i = json_integer_value(v);
    if ((json_int_t) (time_t) i != i)
        return false;
    *out = (time_t) i;
    return true;
}

/** @return true if @a iat lies more than the allowed skew after @a now. */
static bool
issued_in_future(time_t iat, time_t now)
{
    /* Written so that no operand can overflow, whatever the clock says. */
    return iat > now && (uintmax_t) iat - (uintmax_t) now > PW_JWT_IAT_SKEW;
}

enum pw_jwt_status
pw_jwt_check_times(const struct pw_claims *c, time_t now)
{
    if (c->exp <= now)
        return PW_JWT_EXPIRED;
    if (c->nbf > now)
        return PW_JWT_NOT_YET_VALID;
    if (issued_in_future(c->iat, now))
        return PW_JWT_NOT_YET_VALID;
    return PW_JWT_OK;
}

static enum pw_jwt_status
read_claims(const json_t *payload, time_t now, struct pw_claims *out)
{
    if (!string_member_is(payload, "iss", PW_JWT_ISSUER))
        return PW_JWT_BAD_ISSUER;
    struct pw_claims c = { 0 };
    const json_t *role = json_object_get(payload, "role");
    if (!parse_user_id(json_object_get(payload, "sub"), &c.user_id) || !json_is_string(role))
        return PW_JWT_BAD_CLAIMS;
    c.role = pw_role_parse(json_string_value(role));
    if (c.role == PW_ROLE_NONE)
        return PW_JWT_BAD_CLAIMS;
    if (!time_claim(payload, "iat", &c.iat) || !time_claim(payload, "exp", &c.exp))
        return PW_JWT_BAD_CLAIMS;
    if (json_object_get(payload, "nbf") != NULL && !time_claim(payload, "nbf", &c.nbf))
        return PW_JWT_BAD_CLAIMS;
    enum pw_jwt_status st = pw_jwt_check_times(&c, now);
    if (st == PW_JWT_OK && out != NULL)
        *out = c;
    return st;
}

/* ---- public ---------------------------------------------------------- */

enum pw_jwt_status
pw_jwt_verify(const unsigned char *secret,
              size_t secret_len,
              const char *token,
              size_t len,
              time_t now,
              struct pw_claims *out)
{
    if (token == NULL || len == 0 || len > PW_JWT_MAX_LEN)
        return PW_JWT_MALFORMED;
    struct jwt_parts parts;
    if (!split_token(token, len, &parts))
        return PW_JWT_MALFORMED;
    enum pw_jwt_status st = check_header(&parts);
    if (st != PW_JWT_OK)
        return st;
    /* Parsed before the HMAC only so that a non-JSON payload is reported as
     * malformed; nothing in it is trusted until the signature checks out. */
    json_t *payload = decode_json_object(parts.seg[1], parts.len[1]);
    if (payload == NULL)
        return PW_JWT_MALFORMED;
    st = check_signature(secret, secret_len, &parts);
    if (st == PW_JWT_OK)
        st = read_claims(payload, now, out);
    json_decref(payload);
    return st;
}

static int
add_claims(jwt_t *jwt, int64_t user_id, enum pw_role role, long iat, long exp)
{
    char sub[24];
    snprintf(sub, sizeof sub, "%" PRId64, user_id);
    int rc = jwt_add_grant(jwt, "sub", sub);
    if (rc == 0)
        rc = jwt_add_grant(jwt, "role", pw_role_name(role));
    if (rc == 0)
        rc = jwt_add_grant(jwt, "iss", PW_JWT_ISSUER);
    if (rc == 0)
        rc = jwt_add_grant_int(jwt, "iat", iat);
    if (rc == 0)
        rc = jwt_add_grant_int(jwt, "exp", exp);
    return rc;
}

char *
pw_jwt_issue(const unsigned char *secret,
             size_t secret_len,
             int64_t user_id,
             enum pw_role role,
             time_t now,
             long ttl)
{
    /* An empty key makes libjwt 1.10 silently emit an unsigned alg "none" token. */
    if (secret == NULL || secret_len == 0 || secret_len > INT_MAX || user_id <= 0)
        return NULL;
    if (role != PW_ROLE_LEARNER && role != PW_ROLE_EDITOR && role != PW_ROLE_ADMIN)
        return NULL;
    /* libjwt stores integer grants as long; iat and exp must both fit. */
    if (ttl <= 0 || now < LONG_MIN || now > LONG_MAX - ttl)
        return NULL;
    jwt_t *jwt = NULL;
    if (jwt_new(&jwt) != 0)
        return NULL;
    char *token = NULL;
    if (add_claims(jwt, user_id, role, (long) now, (long) now + ttl) == 0 &&
        jwt_set_alg(jwt, JWT_ALG_HS256, secret, (int) secret_len) == 0)
        token = jwt_encode_str(jwt); /* plain malloc() in libjwt 1.10: caller free()s */
    jwt_free(jwt);
    return token;
}
