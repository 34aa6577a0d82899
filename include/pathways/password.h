/**
 * @file password.h
 * @brief Password hashing: Argon2id through libsodium's crypto_pwhash_str().
 *
 * Parameters are libsodium's "interactive" limits (2 passes, 64 MiB). Each
 * hash or check holds 64 MiB for its ~50 ms; with the default 4..16 worker
 * threads that is at most 1 GiB at once, and only on register, login and
 * password changes (which are rate limited). Stored hashes carry their own
 * parameters, so raising these later only needs pw_password_needs_rehash()
 * on the next successful login.
 */
#ifndef PATHWAYS_PASSWORD_H
#define PATHWAYS_PASSWORD_H

#include <stddef.h>
#include <stdint.h>

/** Room for a hash string, NUL included (crypto_pwhash_STRBYTES). */
#define PW_PASSWORD_HASH_MAX 128

/** Limits on passwords, in code points (DESIGN.md: 10..128). */
#define PW_PASSWORD_MIN 10
#define PW_PASSWORD_MAX 128

/**
 * Compute the dummy hash that pw_password_verify_dummy() checks against
 * (same parameters as real hashes). Call once at start-up, after
 * sodium_init(); later calls do nothing. @return 0, or -1 (out of memory).
 */
int pw_password_init(void);

/**
 * Hash @a password (@a len bytes) into @a out.
 * @return 0, or -1 when the machine could not spare the memory.
 */
int pw_password_hash(const char *password, size_t len, char out[PW_PASSWORD_HASH_MAX]);

/** @return 1 when @a password matches the stored @a hash, else 0. */
int pw_password_verify(const char *hash, const char *password, size_t len);

/**
 * Spend the time of a real check when there is no account to check against,
 * so that "no such email" and "wrong password" take the same time. Always 0.
 */
int pw_password_verify_dummy(const char *password, size_t len);

/** @return 1 when @a hash was made with other parameters than ours now. */
int pw_password_needs_rehash(const char *hash);

/** Argon2id verifications run so far (real and dummy), for /metrics. */
uint64_t pw_password_verifications(void);

#endif
