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
 *   status does not depend on whether claims are asked for;
 * - a token issued by pw_jwt_issue() for a user, role, time and lifetime
 *   taken from the input verifies, with exactly those claims, until it
 *   expires; changing any one byte of it (position and bits from the
 *   input) never verifies at all, so in particular never with other claims.
 */
#include "fuzz.h"
#include "pathways/jwt.h"

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_verify(data, size);
    fuzz_issue(data, size);
    return 0;
}
