/**
 * @file fuzz.h
 * @brief Shared helpers of the libFuzzer targets in tests/fuzz.
 *
 * A property that does not hold is a crash: FUZZ_CHECK prints where and
 * aborts, which libFuzzer reports like any sanitizer error and saves the
 * input as crash-<sha1>. Not assert(): the fuzz build may define NDEBUG.
 */
#ifndef PATHWAYS_FUZZ_H
#define PATHWAYS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/** The libFuzzer entry point every target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * A malloc'ed copy of @a data with a NUL after it (it may hold NULs of its
 * own: C-string APIs then see only the part before the first one). Exactly
 * size + 1 bytes, so ASan catches a read past the terminator.
 */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    FUZZ_CHECK(s != NULL);
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/** Consume up to 8 bytes (big-endian) from *data; missing bytes read as 0. */
static inline uint64_t
fuzz_take_u64(const uint8_t **data, size_t *size, size_t nbytes)
{
    uint64_t v = 0;

    for (size_t i = 0; i < nbytes; i++) {
        v <<= 8;
        if (*size > 0) {
            v |= **data;
            (*data)++;
            (*size)--;
        }
    }
    return v;
}

#endif
