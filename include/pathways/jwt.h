/**
 * @file jwt.h
 * @brief Access tokens: HS256 JSON Web Tokens through libjwt.
 *
 * The algorithm is pinned: the header is inspected before libjwt sees the
 * token, and anything but {"alg":"HS256"} (including "none") is refused.
 * A valid token's `sub` and `role` are trusted without a database look-up.
 */
#ifndef PATHWAYS_JWT_H
#define PATHWAYS_JWT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PW_JWT_ISSUER "pathways"
#define PW_JWT_MAX_LEN 4096 /**< longer bearer tokens are refused unparsed */

enum pw_role {
    PW_ROLE_NONE = 0, /**< anonymous: no token */
    PW_ROLE_LEARNER = 1,
    PW_ROLE_EDITOR = 2,
    PW_ROLE_ADMIN = 3,
};

struct pw_claims {
    int64_t user_id; /**< from `sub`, a decimal string > 0 */
    enum pw_role role;
    time_t iat;
    time_t exp;
    time_t nbf; /**< from `nbf`; 0 when the token has none */
};

enum pw_jwt_status {
    PW_JWT_OK = 0,
    PW_JWT_MALFORMED,     /**< not three base64url parts, bad JSON, too long */
    PW_JWT_BAD_ALG,       /**< header alg is not HS256 (none, RS256, ...) */
    PW_JWT_BAD_SIGNATURE, /**< HMAC mismatch */
    PW_JWT_EXPIRED,       /**< exp <= now */
    PW_JWT_NOT_YET_VALID, /**< nbf > now, or iat more than 60 s in the future */
    PW_JWT_BAD_ISSUER,    /**< iss != "pathways" */
    PW_JWT_BAD_CLAIMS,    /**< sub/role/exp/iat missing or of the wrong type */
};

/** Name of a role ("learner", "editor", "admin"; "none" for PW_ROLE_NONE). */
const char *pw_role_name(enum pw_role role);

/** Parse a role name. @return the role, or PW_ROLE_NONE when unknown. */
enum pw_role pw_role_parse(const char *name);

/**
 * Verify @a token (not NUL-terminated necessarily; @a len bytes) signed with
 * @a secret, at time @a now. Fills @a out only on PW_JWT_OK.
 */
enum pw_jwt_status pw_jwt_verify(const unsigned char *secret,
                                 size_t secret_len,
                                 const char *token,
                                 size_t len,
                                 time_t now,
                                 struct pw_claims *out);

/**
 * pw_jwt_verify(), remembering the tokens this thread verified (src/auth/jwt_memo.c):
 * a client sends the same token with every request, and a token's signature and claims
 * depend on its bytes and the secret only, so a token seen before is recognised by
 * comparing its bytes; its times are checked against @a now again every time.
 */
enum pw_jwt_status pw_jwt_verify_memo(const unsigned char *secret,
                                      size_t secret_len,
                                      const char *token,
                                      size_t len,
                                      time_t now,
                                      struct pw_claims *out);

/** The time checks of pw_jwt_verify() on claims it returned: exp, nbf, iat (skew). */
enum pw_jwt_status pw_jwt_check_times(const struct pw_claims *c, time_t now);

/**
 * Issue an HS256 token for @a user_id / @a role, valid from @a now for
 * @a ttl seconds, iss "pathways". @return a malloc'ed NUL-terminated token
 * the caller frees with free(), or NULL on failure.
 */
char *pw_jwt_issue(const unsigned char *secret,
                   size_t secret_len,
                   int64_t user_id,
                   enum pw_role role,
                   time_t now,
                   long ttl);

/** Text for a status, for logs (never shown to clients in detail). */
const char *pw_jwt_status_str(enum pw_jwt_status st);

#endif
