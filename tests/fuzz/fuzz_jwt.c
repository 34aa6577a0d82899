/**
 * @file fuzz_jwt.c
 * @brief libFuzzer target: the HS256 access-token verifier (and issuer).
 *
 * Properties checked:
 *
 * - the input as a bearer token, verified with a fixed secret at a fixed
 *   time: the claims are filled only on PW_JWT_OK, and then hold a user id
 *   > 0, a known role, exp after now and iat not in the future; such a
 *   token is refused under another secret and under an empty one, and the
 *   status does not depend on whether claims are asked for; the memo
 *   (pw_jwt_verify_memo) answers the same, verifying or remembering, also
 *   at a later time;
 * - a token issued by pw_jwt_issue() for a user, role, time and lifetime
 *   taken from the input verifies, with exactly those claims, until it
 *   expires; changing any one byte of it (position and bits from the
 *   input) never verifies at all, so in particular never with other claims;
 * - what a holder of the secret could send: a header and a payload from the
 *   input (split at the first newline), signed here. It verifies exactly
 *   when a reference reading of both JSON texts (written here) says the
 *   header pins HS256 and the claims are complete, well-typed and current,
 *   and then with exactly those claims.
 */
#include "fuzz.h"
#include "pathways/jwt.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>

#define NOW ((time_t) 1700000000)
#define SECRET_LEN (sizeof SECRET - 1)
#define OTHER_LEN (sizeof OTHER - 1)

/* The seed tokens in corpus/fuzz_jwt are signed with this. */
static const unsigned char SECRET[] = "fuzz-secret-0123456789abcdefghijklmnop";
static const unsigned char OTHER[] = "fuzz-secret-0123456789abcdefghijklmnoq";

static void
fuzz_verify(const uint8_t *data, size_t size)
{
    const char *token = (const char *) data; /* not NUL-terminated: the length says */
    struct pw_claims c, untouched;
    enum pw_jwt_status st;

    memset(&c, 0xa5, sizeof c);
    untouched = c;
    st = pw_jwt_verify(SECRET, SECRET_LEN, token, size, NOW, &c);
    FUZZ_CHECK(pw_jwt_status_str(st) != NULL);
    FUZZ_CHECK(st == pw_jwt_verify(SECRET, SECRET_LEN, token, size, NOW, NULL));
    /* The memo answers the same, whether it verifies or remembers (second call). */
    for (int round = 0; round < 2; round++) {
        struct pw_claims m;

        memset(&m, 0xa5, sizeof m);
        FUZZ_CHECK(st == pw_jwt_verify_memo(SECRET, SECRET_LEN, token, size, NOW, &m));
        FUZZ_CHECK(m.user_id == c.user_id && m.role == c.role && m.iat == c.iat && m.exp == c.exp &&
                   m.nbf == c.nbf);
        FUZZ_CHECK(pw_jwt_verify_memo(SECRET, SECRET_LEN, token, size, NOW + 1000000000, NULL) ==
                   pw_jwt_verify(SECRET, SECRET_LEN, token, size, NOW + 1000000000, NULL));
    }
    if (size == 0 || size > PW_JWT_MAX_LEN)
        FUZZ_CHECK(st == PW_JWT_MALFORMED);
    if (st != PW_JWT_OK) {
        FUZZ_CHECK(memcmp(&c, &untouched, sizeof c) == 0);
        return;
    }
    FUZZ_CHECK(c.user_id > 0);
    FUZZ_CHECK(c.role == PW_ROLE_LEARNER || c.role == PW_ROLE_EDITOR || c.role == PW_ROLE_ADMIN);
    FUZZ_CHECK(c.exp > NOW && c.iat <= NOW + 60);
    FUZZ_CHECK(pw_jwt_verify(OTHER, OTHER_LEN, token, size, NOW, NULL) == PW_JWT_BAD_SIGNATURE);
    FUZZ_CHECK(pw_jwt_verify(SECRET, 0, token, size, NOW, NULL) != PW_JWT_OK);
    FUZZ_CHECK(pw_jwt_verify(NULL, 0, token, size, NOW, NULL) != PW_JWT_OK);
}

/* Input: user id (8 bytes), role (1), now (5), ttl (4), tamper position (2) and bits (1). */
static void
fuzz_issue(const uint8_t *data, size_t size)
{
    int64_t user_id = (int64_t) (fuzz_take_u64(&data, &size, 8) & INT64_MAX);
    enum pw_role role = (enum pw_role)(fuzz_take_u64(&data, &size, 1) % 3 + 1);
    time_t now = (time_t) fuzz_take_u64(&data, &size, 5);
    long ttl = (long) (fuzz_take_u64(&data, &size, 4) % 0x7fffffff) + 1;
    size_t pos = (size_t) fuzz_take_u64(&data, &size, 2);
    unsigned char bits = (unsigned char) fuzz_take_u64(&data, &size, 1);
    struct pw_claims c = { 0 };
    char *token;
    size_t len;

    if (user_id == 0)
        user_id = 1;
    if (bits == 0)
        bits = 0x20;
    token = pw_jwt_issue(SECRET, SECRET_LEN, user_id, role, now, ttl);
    FUZZ_CHECK(token != NULL);
    len = strlen(token);
    FUZZ_CHECK(len > 0 && len <= PW_JWT_MAX_LEN);

    FUZZ_CHECK(pw_jwt_verify(SECRET, SECRET_LEN, token, len, now, &c) == PW_JWT_OK);
    FUZZ_CHECK(c.user_id == user_id && c.role == role && c.iat == now && c.exp == now + ttl);
    FUZZ_CHECK(pw_jwt_verify(SECRET, SECRET_LEN, token, len, now + ttl - 1, NULL) == PW_JWT_OK);
    FUZZ_CHECK(pw_jwt_verify(SECRET, SECRET_LEN, token, len, now + ttl, NULL) == PW_JWT_EXPIRED);
    FUZZ_CHECK(pw_jwt_verify(SECRET, SECRET_LEN, token, len, now - 61, NULL) ==
               PW_JWT_NOT_YET_VALID);
    FUZZ_CHECK(pw_jwt_verify(OTHER, OTHER_LEN, token, len, now, NULL) == PW_JWT_BAD_SIGNATURE);
    /* One byte changed: never accepted, whatever claims it would carry. */
    pos %= len;
    token[pos] = (char) (token[pos] ^ bits);
    memset(&c, 0, sizeof c);
    if (pw_jwt_verify(SECRET, SECRET_LEN, token, len, now, &c) == PW_JWT_OK) {
        FUZZ_CHECK(c.user_id == user_id && c.role == role && c.iat == now &&
                   c.exp == now + ttl); /* worse still: other claims */
        FUZZ_CHECK(!"a token with one byte changed verified");
    }
    free(token);
}

/* ---- signed by us: the claims logic behind the signature ---- */

static char *
b64url(const void *in, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(cap);

    FUZZ_CHECK(out != NULL);
    sodium_bin2base64(out, cap, in, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

static char *
sign(const uint8_t *header, size_t hlen, const uint8_t *payload, size_t plen)
{
    char *h = b64url(header, hlen), *p = b64url(payload, plen), *sig, *token;
    size_t cap = strlen(h) + strlen(p) + 2;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;

    token = malloc(cap + 64);
    FUZZ_CHECK(token != NULL);
    snprintf(token, cap, "%s.%s", h, p);
    crypto_auth_hmacsha256_init(&st, SECRET, SECRET_LEN);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *) token, strlen(token));
    crypto_auth_hmacsha256_final(&st, mac);
    sig = b64url(mac, sizeof mac);
    strcat(token, ".");
    strcat(token, sig);
    free(h);
    free(p);
    free(sig);
    return token;
}

static int
ref_string_is(const json_t *obj, const char *key, const char *want)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_string(v) && strlen(want) == json_string_length(v) &&
           strcmp(json_string_value(v), want) == 0;
}

/* The reference: @return 1 and the claims when header and payload make a valid token at NOW. */
static int
ref_claims(
    const uint8_t *header, size_t hlen, const uint8_t *payload, size_t plen, struct pw_claims *c)
{
    json_t *h, *p;
    const json_t *sub, *role, *iat, *exp, *nbf;
    int ok = 0;

    /* RFC 8259 has no place for a NUL byte in JSON text; jansson's json_loadb() lets one
     * through right after a number (found by this target: see check_jwt.c). */
    if (memchr(header, '\0', hlen) != NULL || memchr(payload, '\0', plen) != NULL)
        return 0;
    h = json_loadb((const char *) header, hlen, JSON_REJECT_DUPLICATES, NULL);
    p = json_loadb((const char *) payload, plen, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(h) || !json_is_object(p) || !ref_string_is(h, "alg", "HS256") ||
        (json_object_get(h, "typ") != NULL && !ref_string_is(h, "typ", "JWT")) ||
        !ref_string_is(p, "iss", PW_JWT_ISSUER))
        goto out;
    sub = json_object_get(p, "sub");
    role = json_object_get(p, "role");
    iat = json_object_get(p, "iat");
    exp = json_object_get(p, "exp");
    nbf = json_object_get(p, "nbf");
    if (!json_is_string(sub) || !json_is_string(role) || !json_is_integer(iat) ||
        !json_is_integer(exp) || (nbf != NULL && !json_is_integer(nbf)))
        goto out;
    /* sub: 1..INT64_MAX spelled canonically, i.e. as printf spells it. */
    const char *s = json_string_value(sub);
    char *end, canon[24];
    errno = 0;
    long long id = s[0] >= '1' && s[0] <= '9' ? strtoll(s, &end, 10) : 0;
    if (id <= 0 || errno != 0 || *end != '\0' || (size_t) (end - s) != json_string_length(sub))
        goto out;
    snprintf(canon, sizeof canon, "%lld", id);
    FUZZ_CHECK(strcmp(canon, s) == 0);
    c->user_id = id;
    c->role = ref_string_is(p, "role", "learner")  ? PW_ROLE_LEARNER
              : ref_string_is(p, "role", "editor") ? PW_ROLE_EDITOR
              : ref_string_is(p, "role", "admin")  ? PW_ROLE_ADMIN
                                                   : PW_ROLE_NONE;
    c->iat = (time_t) json_integer_value(iat);
    c->exp = (time_t) json_integer_value(exp);
    ok = c->role != PW_ROLE_NONE && c->exp > NOW && c->iat <= NOW + 60 &&
         (nbf == NULL || json_integer_value(nbf) <= NOW);
out:
    json_decref(h);
    json_decref(p);
    return ok;
}

/* Input: header JSON, '\n', payload JSON. */
static void
fuzz_signed(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    struct pw_claims c, want = { 0 };
    enum pw_jwt_status st;
    size_t hlen, len;
    char *token;
    int ok;

    if (nl == NULL)
        return;
    hlen = (size_t) (nl - data);
    token = sign(data, hlen, nl + 1, size - hlen - 1);
    len = strlen(token);
    memset(&c, 0, sizeof c);
    st = pw_jwt_verify(SECRET, SECRET_LEN, token, len, NOW, &c);
    if (len > PW_JWT_MAX_LEN) {
        FUZZ_CHECK(st == PW_JWT_MALFORMED);
    } else {
        ok = ref_claims(data, hlen, nl + 1, size - hlen - 1, &want);
        FUZZ_CHECK((st == PW_JWT_OK) == ok);
        if (ok)
            FUZZ_CHECK(c.user_id == want.user_id && c.role == want.role && c.iat == want.iat &&
                       c.exp == want.exp);
    }
    free(token);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_verify(data, size);
    fuzz_issue(data, size);
    fuzz_signed(data, size);
    return 0;
}
