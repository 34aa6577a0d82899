/**
 * @file tls.c
 * @brief Loads the PEM files libmicrohttpd's GnuTLS backend serves HTTPS with.
 */
#include "pathways/tls.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PEM (1024 * 1024)

/** Read a whole PEM file. @return malloc'ed text or NULL with @a err set. */
static char *
read_pem(const char *path, const char *what, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open %s", what, path);
        return NULL;
    }
    buf = malloc(MAX_PEM + 1);
    if (buf == NULL) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", what);
        return NULL;
    }
    n = fread(buf, 1, MAX_PEM + 1, f);
    fclose(f);
    buf[n <= MAX_PEM ? n : MAX_PEM] = '\0';
    if (n == 0 || n > MAX_PEM || strstr(buf, "-----BEGIN ") == NULL) {
        snprintf(err, errlen, "%s: %s is not a PEM file (or is larger than 1 MiB)", what, path);
        sodium_memzero(buf, MAX_PEM + 1);
        free(buf);
        return NULL;
    }
    return buf;
}

int
pw_tls_load(
    struct pw_tls *tls, const char *cert_path, const char *key_path, char *err, size_t errlen)
{
    memset(tls, 0, sizeof *tls);
    tls->cert = read_pem(cert_path, "TLS_CERT", err, errlen);
    if (tls->cert == NULL)
        return -1;
    tls->key = read_pem(key_path, "TLS_KEY", err, errlen);
    if (tls->key == NULL) {
        pw_tls_free(tls);
        return -1;
    }
    return 0;
}

void
pw_tls_free(struct pw_tls *tls)
{
    free(tls->cert);
    if (tls->key != NULL) {
        sodium_memzero(tls->key, strlen(tls->key));
        free(tls->key);
    }
    memset(tls, 0, sizeof *tls);
}
