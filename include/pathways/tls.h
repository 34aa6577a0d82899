/**
 * @file tls.h
 * @brief HTTPS: the PEM certificate and key given by TLS_CERT / TLS_KEY.
 */
#ifndef PATHWAYS_TLS_H
#define PATHWAYS_TLS_H

#include <stddef.h>

struct pw_tls {
    char *cert; /**< PEM text, NUL-terminated, owned */
    char *key;  /**< PEM text, NUL-terminated, owned; wiped when freed */
};

/**
 * Read both files. @return 0, or -1 with a message for the operator in
 * @a err (unreadable, empty, not PEM, larger than 1 MiB).
 */
int pw_tls_load(
    struct pw_tls *tls, const char *cert_path, const char *key_path, char *err, size_t errlen);

/** Free (and wipe the key); safe on a zeroed struct. */
void pw_tls_free(struct pw_tls *tls);

#endif
