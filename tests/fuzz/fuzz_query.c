/**
 * @file fuzz_query.c
 * @brief libFuzzer target: the strict query-string parser and the typed getters.
 *
 * The input is a raw query (the part after '?'). Properties checked:
 *
 * - pw_query_parse() agrees with a small reference parser written here
 *   (segments, percent-decoding, '+', the order in which problems are
 *   found) on the status and, when it succeeds, on every key and value;
 * - a failed parse leaves nothing to free; every key is non-empty, unique,
 *   valid UTF-8 without NUL, and pw_query_get() finds its value;
 * - re-encoding the parsed parameters and parsing again gives them back;
 * - pw_parse_int() agrees with strtoll() plus a digits-only shape check,
 *   for several ranges, and pw_parse_bool() accepts exactly its four words.
 */
#include "fuzz.h"
#include "pathways/query.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>

/* ---- reference parser ---- */

static int
ref_hex(char c)
{
    char two[2] = { c, '\0' };

    return isxdigit((unsigned char) c) ? (int) strtol(two, NULL, 16) : -1;
}

/* Decode @a n bytes into a new string; *st says what went wrong. */
static char *
ref_decode(const char *src, size_t n, enum pw_query_status *st)
{
    char *out = malloc(n + 1);
    size_t w = 0;
    json_t *utf8;

    FUZZ_CHECK(out != NULL);
    *st = PW_QUERY_OK;
    for (size_t i = 0; i < n; i++) {
        if (src[i] != '%') {
            out[w++] = src[i] == '+' ? ' ' : src[i];
        } else if (n - i >= 3 && ref_hex(src[i + 1]) >= 0 && ref_hex(src[i + 2]) >= 0) {
            out[w++] = (char) (ref_hex(src[i + 1]) * 16 + ref_hex(src[i + 2]));
            i += 2;
        } else {
            *st = PW_QUERY_BAD_ESCAPE;
            free(out);
            return NULL;
        }
    }
    out[w] = '\0';
    if (strlen(out) != w) {
        *st = PW_QUERY_NUL;
    } else if ((utf8 = json_stringn(out, w)) == NULL) {
        *st = PW_QUERY_BAD_UTF8;
    } else {
        json_decref(utf8);
        return out;
    }
    free(out);
    return NULL;
}

struct ref_query {
    char *key[PW_QUERY_MAX_PARAMS];
    char *value[PW_QUERY_MAX_PARAMS];
    unsigned count;
};

static void
ref_free(struct ref_query *r)
{
    for (unsigned i = 0; i < r->count; i++) {
        free(r->key[i]);
        free(r->value[i]);
    }
    r->count = 0;
}

static enum pw_query_status
ref_segment(struct ref_query *r, const char *seg, size_t n)
{
    const char *eq = memchr(seg, '=', n);
    size_t kn = eq != NULL ? (size_t) (eq - seg) : n;
    enum pw_query_status st;
    char *key, *value;

    if (n == 0 || (n == 1 && eq != NULL))
        return PW_QUERY_OK; /* "" and "=" are skipped */
    if (r->count == PW_QUERY_MAX_PARAMS)
        return PW_QUERY_TOO_MANY;
    if ((key = ref_decode(seg, kn, &st)) == NULL)
        return st;
    if ((value = ref_decode(eq != NULL ? eq + 1 : "", eq != NULL ? n - kn - 1 : 0, &st)) == NULL) {
        free(key);
        return st;
    }
    st = key[0] == '\0' ? PW_QUERY_EMPTY_KEY : PW_QUERY_OK;
    for (unsigned i = 0; i < r->count && st == PW_QUERY_OK; i++)
        if (strcmp(r->key[i], key) == 0)
            st = PW_QUERY_DUPLICATE;
    if (st != PW_QUERY_OK) {
        free(key);
        free(value);
        return st;
    }
    r->key[r->count] = key;
    r->value[r->count] = value;
    r->count++;
    return PW_QUERY_OK;
}

static enum pw_query_status
ref_parse(const char *raw, size_t len, struct ref_query *r)
{
    size_t start = 0;

    r->count = 0;
    if (len > PW_QUERY_MAX_LEN)
        return PW_QUERY_TOO_LONG;
    while (start <= len && len > 0) {
        const char *amp = memchr(raw + start, '&', len - start);
        size_t end = amp != NULL ? (size_t) (amp - raw) : len;
        enum pw_query_status st = ref_segment(r, raw + start, end - start);

        if (st != PW_QUERY_OK) {
            ref_free(r);
            return st;
        }
        start = end + 1;
    }
    return PW_QUERY_OK;
}

/* ---- properties ---- */

static void
check_parsed(const struct pw_query *q, const struct ref_query *r)
{
    FUZZ_CHECK(q->count == r->count);
    FUZZ_CHECK(q->count <= PW_QUERY_MAX_PARAMS);
    for (unsigned i = 0; i < q->count; i++) {
        const char *k = q->params[i].key, *v = q->params[i].value;

        FUZZ_CHECK(k != NULL && v != NULL && k[0] != '\0');
        FUZZ_CHECK(strcmp(k, r->key[i]) == 0 && strcmp(v, r->value[i]) == 0);
        FUZZ_CHECK(pw_query_get(q, k) == v);
    }
    FUZZ_CHECK(pw_query_get(q, NULL) == NULL);
    FUZZ_CHECK(pw_query_get(NULL, "limit") == NULL);
}

static size_t
encode_into(char *out, const char *s, int plus)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t w = 0;

    for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p) != NULL) {
            out[w++] = (char) *p;
        } else if (*p == ' ' && plus) {
            out[w++] = '+';
        } else {
            out[w++] = '%';
            out[w++] = hex[*p >> 4];
            out[w++] = hex[*p & 15];
        }
    }
    return w;
}

/* Encode the parameters again (with spare '&'s) and parse that: the same parameters. */
static void
check_round_trip(const struct pw_query *q)
{
    char *raw = malloc(PW_QUERY_MAX_LEN * 3 + 8 * PW_QUERY_MAX_PARAMS);
    size_t w = 0;
    struct pw_query again;

    FUZZ_CHECK(raw != NULL);
    for (unsigned i = 0; i < q->count; i++) {
        raw[w++] = '&';
        if (i % 3 == 1)
            raw[w++] = '&';
        w += encode_into(raw + w, q->params[i].key, i % 2);
        if (q->params[i].value[0] != '\0' || i % 2 == 0) {
            raw[w++] = '=';
            w += encode_into(raw + w, q->params[i].value, i % 2 == 0);
        }
    }
    if (w <= PW_QUERY_MAX_LEN) {
        FUZZ_CHECK(pw_query_parse(raw, w, &again) == PW_QUERY_OK);
        FUZZ_CHECK(again.count == q->count);
        for (unsigned i = 0; i < q->count; i++) {
            FUZZ_CHECK(strcmp(again.params[i].key, q->params[i].key) == 0);
            FUZZ_CHECK(strcmp(again.params[i].value, q->params[i].value) == 0);
        }
        pw_query_free(&again);
    }
    free(raw);
}

static void
check_int(const char *s, long long min, long long max)
{
    const long long untouched = 0x5eed;
    long long out = untouched, ref;
    int rc = pw_parse_int(s, min, max, &out);
    const char *digits = s[0] == '-' ? s + 1 : s;
    int shape = digits[0] != '\0' && strspn(digits, "0123456789") == strlen(digits);
    char *end;

    errno = 0;
    ref = strtoll(s, &end, 10);
    FUZZ_CHECK((rc == 0) == (shape && errno != ERANGE && ref >= min && ref <= max));
    FUZZ_CHECK(rc == 0 ? out == ref : out == untouched);
}

static void
check_bool(const char *s)
{
    int out = 7, rc = pw_parse_bool(s, &out);
    int yes = strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
    int no = strcmp(s, "false") == 0 || strcmp(s, "0") == 0;

    FUZZ_CHECK((rc == 0) == (yes || no));
    FUZZ_CHECK(rc == 0 ? out == yes : out == 7);
}

static void
check_scalars(const char *s)
{
    check_int(s, 1, 100); /* ?limit= */
    check_int(s, LLONG_MIN, LLONG_MAX);
    check_int(s, 0, 0);
    check_int(s, -5, 5);
    check_bool(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *raw = (const char *) data;
    struct pw_query q;
    struct ref_query r;
    enum pw_query_status st = pw_query_parse(raw, size, &q);
    enum pw_query_status ref_st = ref_parse(raw, size, &r);
    char *s;

    FUZZ_CHECK(pw_query_status_str(st) != NULL);
    FUZZ_CHECK(st == ref_st);
    if (st == PW_QUERY_OK) {
        check_parsed(&q, &r);
        check_round_trip(&q);
        for (unsigned i = 0; i < q.count; i++)
            check_scalars(q.params[i].value);
    } else {
        FUZZ_CHECK(q.storage == NULL && q.count == 0); /* nothing to free */
    }
    pw_query_free(&q);
    pw_query_free(&q); /* safe on the zeroed struct */
    ref_free(&r);

    s = fuzz_cstr(data, size);
    check_scalars(s);
    free(s);
    return 0;
}
