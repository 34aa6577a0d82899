/**
 * @file password.c
 * @brief Argon2id password hashes (libsodium) and the dummy check that keeps
 *        login time independent of whether the email exists.
 */
#include "pathways/password.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <string.h>

#define OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(PW_PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "hash buffer size");

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];
static int dummy_ok;
/* Argon2id checks run, real or dummy: /metrics shows it, so a test can see
 * that an unknown email costs the same hash as a wrong password. */
static atomic_uint_fast64_t verifications;

uint64_t
pw_password_verifications(void)
{
    return atomic_load(&verifications);
}

static void
make_dummy(void)
{
    unsigned char secret[32];

    /* A random password nobody knows: the dummy check can never succeed. */
    randombytes_buf(secret, sizeof secret);
    dummy_ok = crypto_pwhash_str(
                   dummy_hash, (const char *) secret, sizeof secret, OPSLIMIT, MEMLIMIT) == 0;
    sodium_memzero(secret, sizeof secret);
}

int
pw_password_init(void)
{
    pthread_once(&dummy_once, make_dummy);
    return dummy_ok ? 0 : -1;
}

int
pw_password_hash(const char *password, size_t len, char out[PW_PASSWORD_HASH_MAX])
{
    return crypto_pwhash_str(out, password, len, OPSLIMIT, MEMLIMIT) == 0 ? 0 : -1;
}

int
pw_password_verify(const char *hash, const char *password, size_t len)
{
    /* crypto_pwhash_str_verify() compares in constant time. */
    if (hash != NULL)
        atomic_fetch_add(&verifications, 1);
    return hash != NULL && crypto_pwhash_str_verify(hash, password, len) == 0;
}

int
pw_password_verify_dummy(const char *password, size_t len)
{
    pthread_once(&dummy_once, make_dummy);
    if (dummy_ok) {
        /* The result is meaningless (nobody knows the dummy password): only the work counts. */
        volatile int sink = crypto_pwhash_str_verify(dummy_hash, password, len);

        (void) sink;
        atomic_fetch_add(&verifications, 1);
    }
    return 0;
}

int
pw_password_needs_rehash(const char *hash)
{
    /* -1 (not a hash of ours at all) also asks for a new one. */
    return crypto_pwhash_str_needs_rehash(hash, OPSLIMIT, MEMLIMIT) != 0;
}
