/**
 * @file jwt_memo.c
 * @brief The bearer tokens this thread verified, remembered.
 *
 * A signed-in client sends the same token with every request, and verifying it
 * (two JSON parses and an HMAC) was an eighth of an authenticated request's CPU.
 * Whether a token verifies, and its claims, depend on its bytes and the secret
 * only; the times are checked again on every use. So a token verified before is
 * recognised by its bytes: a slot chosen by a keyed hash (SipHash, a random key
 * per thread, so nobody can aim tokens at a slot), then a constant-time compare
 * of the whole token. Only tokens that verified are remembered; each thread has
 * its own table (no locks), direct-mapped: a newer token takes an older one's slot.
 */
#include "pathways/jwt.h"

#include <sodium.h>
#include <string.h>

/** Slots per thread: signed-in clients a loop serves at once, roughly. */
#define MEMO_SLOTS 64
/** Longer tokens (ours are about 200 bytes) are verified every time. */
#define MEMO_TOKEN_MAX 512
/** Secrets up to this long are remembered too; longer ones bypass the memo. */
#define MEMO_SECRET_MAX 256

struct memo_slot {
    size_t len; /**< 0: empty */
    unsigned char token[MEMO_TOKEN_MAX];
    struct pw_claims claims;
};

struct memo {
    int ready;
    unsigned char hash_key[crypto_shorthash_KEYBYTES];
    size_t secret_len;
    unsigned char secret[MEMO_SECRET_MAX];
    struct memo_slot slot[MEMO_SLOTS];
};

static _Thread_local struct memo memo;

/** The memo for @a secret, emptied when the secret is not the one it was filled for. */
static struct memo *
memo_for(const unsigned char *secret, size_t secret_len)
{
    struct memo *m = &memo;

    if (!m->ready) {
        crypto_shorthash_keygen(m->hash_key);
        m->ready = 1;
    }
    if (m->secret_len != secret_len || sodium_memcmp(m->secret, secret, secret_len) != 0) {
        for (unsigned i = 0; i < MEMO_SLOTS; i++)
            m->slot[i].len = 0;
        memcpy(m->secret, secret, secret_len);
        m->secret_len = secret_len;
    }
    return m;
}

enum pw_jwt_status
pw_jwt_verify_memo(const unsigned char *secret,
                   size_t secret_len,
                   const char *token,
                   size_t len,
                   time_t now,
                   struct pw_claims *out)
{
    unsigned char h[crypto_shorthash_BYTES];
    struct memo *m;
    struct memo_slot *s;
    struct pw_claims c;
    enum pw_jwt_status st;

    if (secret == NULL || secret_len == 0 || secret_len > MEMO_SECRET_MAX || token == NULL ||
        len == 0 || len > MEMO_TOKEN_MAX)
        return pw_jwt_verify(secret, secret_len, token, len, now, out);
    m = memo_for(secret, secret_len);
    crypto_shorthash(h, (const unsigned char *) token, len, m->hash_key);
    s = &m->slot[h[0] % MEMO_SLOTS];
    if (s->len == len && sodium_memcmp(s->token, token, len) == 0) {
        st = pw_jwt_check_times(&s->claims, now);
        if (st == PW_JWT_OK && out != NULL)
            *out = s->claims;
        return st;
    }
    st = pw_jwt_verify(secret, secret_len, token, len, now, &c);
    if (st != PW_JWT_OK)
        return st;
    memcpy(s->token, token, len);
    s->len = len;
    s->claims = c;
    if (out != NULL)
        *out = c;
    return st;
}
