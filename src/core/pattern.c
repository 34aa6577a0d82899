/**
 * @file pattern.c
 * @brief Strict UTF-8 and the string patterns of field specs (see spec.h).
 *
 * The patterns are hand-written: they are few, simple, and a regex library
 * would be one more dependency to audit.
 */
#include "pathways/spec.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- strict UTF-8 and the string patterns ---- */

long long
pw_utf8_length(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *) s;
    long long count = 0;
    size_t i = 0;

    if (s == NULL)
        return len == 0 ? 0 : -1;
    while (i < len) {
        unsigned c = p[i], cp;
        size_t need;

        if (c < 0x80) {
            i++;
            count++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) { /* 0xC0, 0xC1 only start overlongs */
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) { /* above 0xF4 is past U+10FFFF */
            need = 3;
            cp = c & 0x07;
        } else {
            return -1;
        }
        if (len - i - 1 < need)
            return -1; /* truncated sequence */
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            return -1; /* overlong, or a UTF-16 surrogate */
        if (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))
            return -1;
        i += need + 1;
        count++;
    }
    return count;
}

int
pw_is_slug(const char *s)
{
    size_t n = 0;
    int prev_hyphen = 1; /* refuses a leading hyphen */

    if (s == NULL || *s == '\0')
        return 0;
    for (; s[n] != '\0'; n++) {
        char c = s[n];

        if (n >= 64)
            return 0;
        if (c == '-') {
            if (prev_hyphen)
                return 0;
            prev_hyphen = 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            prev_hyphen = 0;
        } else {
            return 0;
        }
    }
    return !prev_hyphen; /* refuses a trailing hyphen */
}

/* Reads exactly @a n ASCII digits; stops at the NUL, so never reads past it. */
static int
read_digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int
days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* YYYY-MM-DD; @return the character after it, or NULL. */
static const char *
parse_date(const char *s)
{
    int y, m, d;

    if (!read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) || s[7] != '-' ||
        !read_digits(s + 8, 2, &d))
        return NULL;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return NULL;
    return s + 10;
}

static int
is_date(const char *s)
{
    const char *end = parse_date(s);

    return end != NULL && *end == '\0';
}

/* RFC 3339 section 5.6; 't' and 'z' are allowed by its note, second 60 is a leap second. */
static int
is_datetime(const char *s)
{
    int hh, mm, ss, oh, om;
    const char *p = parse_date(s);

    if (p == NULL || (*p != 'T' && *p != 't'))
        return 0;
    p++;
    if (!read_digits(p, 2, &hh) || p[2] != ':' || !read_digits(p + 3, 2, &mm) || p[5] != ':' ||
        !read_digits(p + 6, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
        return 0;
    p += 8;
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9')
            return 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
        return 1;
    if (*p != '+' && *p != '-')
        return 0;
    return read_digits(p + 1, 2, &oh) && p[3] == ':' && read_digits(p + 4, 2, &om) &&
           p[6] == '\0' && oh <= 23 && om <= 59;
}

/* Characters never allowed in a stored URL: they break out of HTML attributes or logs. */
static int
url_bad_char(unsigned char c)
{
    return c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '\\';
}

/* Host (after any userinfo) must be non-empty; a port, when given, 1..5 digits. */
static int
url_host_ok(const char *auth, size_t n)
{
    const char *at = NULL, *host, *end = auth + n, *colon;

    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    host = at != NULL ? at + 1 : auth;
    if (host < end && *host == '[') { /* IPv6 literal */
        const char *close = memchr(host, ']', (size_t) (end - host));

        if (close == NULL || close == host + 1)
            return 0;
        colon = close + 1 < end ? close + 1 : NULL;
        if (colon != NULL && *colon != ':')
            return 0;
    } else {
        colon = memchr(host, ':', (size_t) (end - host));
        if ((colon != NULL ? colon : end) == host)
            return 0;
    }
    if (colon == NULL)
        return 1;
    size_t port_len = (size_t) (end - colon - 1);
    if (port_len < 1 || port_len > 5)
        return 0;
    for (const char *p = colon + 1; p < end; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int
is_url(const char *s)
{
    size_t skip;

    /* RFC 3986: the scheme is case-insensitive. */
    if (strncasecmp(s, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(s, "http://", 7) == 0)
        skip = 7;
    else
        return 0;
    for (const char *p = s; *p != '\0'; p++)
        if (url_bad_char((unsigned char) *p))
            return 0;
    return url_host_ok(s + skip, strcspn(s + skip, "/?#"));
}

static int
is_currency(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return s[3] == '\0';
}

static int
is_email(const char *s)
{
    size_t len = strlen(s);
    const char *at = strchr(s, '@'), *domain;
    size_t dlen;

    if (len < 3 || len > 254 || at == NULL || strchr(at + 1, '@') != NULL)
        return 0;
    if (at == s || at - s > 64)
        return 0;
    for (const char *p = s; *p != '\0'; p++)
        if ((unsigned char) *p <= 0x20 || *p == 0x7F)
            return 0;
    domain = at + 1;
    dlen = strlen(domain);
    if (dlen == 0 || strchr(domain, '.') == NULL || strstr(domain, "..") != NULL)
        return 0;
    return domain[0] != '.' && domain[0] != '-' && domain[dlen - 1] != '.' &&
           domain[dlen - 1] != '-';
}

static int
any_string(const char *s)
{
    (void) s;
    return 1;
}

/* One row per pattern: how it is checked and what the client is told. */
static const struct {
    int (*match)(const char *s);
    const char *message;
} patterns[] = {
    [PW_PAT_NONE] = { any_string, "is not valid" },
    [PW_PAT_SLUG] = { pw_is_slug,
                      "must be a slug (lower-case letters, digits and single hyphens, at most 64 "
                      "characters)" },
    [PW_PAT_URL] = { is_url, "must be an absolute http(s) URL" },
    [PW_PAT_CURRENCY] = { is_currency, "must be a 3-letter ISO 4217 currency code" },
    [PW_PAT_DATE] = { is_date, "must be a date (YYYY-MM-DD)" },
    [PW_PAT_DATETIME] = { is_datetime, "must be an RFC 3339 date-time" },
    [PW_PAT_EMAIL] = { is_email, "must be an email address" },
};

int
pw_pattern_match(enum pw_pattern pat, const char *s)
{
    /* An unknown pattern is a bug in a spec table: refuse rather than let anything through. */
    if (s == NULL || (unsigned) pat >= sizeof patterns / sizeof patterns[0])
        return 0;
    return patterns[pat].match(s);
}

const char *
pw_pattern_message(enum pw_pattern pat)
{
    return (unsigned) pat < sizeof patterns / sizeof patterns[0] ? patterns[pat].message
                                                                 : patterns[PW_PAT_NONE].message;
}
