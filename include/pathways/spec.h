/**
 * @file spec.h
 * @brief Declarative validation of JSON request bodies.
 *
 * A resource declares a `static const struct pw_field_spec[]` table; the
 * validator checks a parsed body against it and collects *every* problem
 * (not just the first) so that a 422 can list all bad fields at once.
 * Unknown keys are errors. The validator never modifies the document: the
 * caller hands the checked object to the repository as one JSON parameter.
 */
#ifndef PATHWAYS_SPEC_H
#define PATHWAYS_SPEC_H

#include <stddef.h>
#include <jansson.h>

enum pw_field_type {
    PW_T_STRING,       /**< JSON string; min/max are lengths in code points */
    PW_T_INT,          /**< JSON integer; min/max are the value range */
    PW_T_BOOL,         /**< JSON true/false */
    PW_T_STRING_ARRAY, /**< array of strings; min/max = item count, item_* = each item */
    PW_T_INT_ARRAY,    /**< array of integers; min/max = item count, item_* = value range */
};

/** Extra checks on a string (or on each string of a string array). */
enum pw_pattern {
    PW_PAT_NONE = 0,
    PW_PAT_SLUG,     /**< ^[a-z0-9]+(-[a-z0-9]+)*$, at most 64 chars */
    PW_PAT_URL,      /**< absolute http:// or https:// URL, no spaces or controls */
    PW_PAT_CURRENCY, /**< ISO 4217 shape: three upper-case letters */
    PW_PAT_DATE,     /**< YYYY-MM-DD, a real calendar date */
    PW_PAT_DATETIME, /**< RFC 3339 date-time with Z or a numeric offset */
    PW_PAT_EMAIL,    /**< one @, no spaces or control characters */
};

enum pw_field_flags {
    PW_REQUIRED = 1u << 0,  /**< must be present on create (ignored in PW_SPEC_PATCH mode) */
    PW_NULLABLE = 1u << 1,  /**< JSON null is accepted */
    PW_MULTILINE = 1u << 2, /**< string may hold \n, \r and \t; other controls never */
    PW_UNIQUE = 1u << 3,    /**< array items must be distinct */
};

struct pw_field_spec {
    const char *name;
    enum pw_field_type type;
    unsigned flags;
    long long min; /**< string length / int value / array item count */
    long long max;
    const char *const *enum_values; /**< NULL-terminated allowed strings, or NULL */
    enum pw_pattern pattern;        /**< for strings and string-array items */
    long long item_min;             /**< arrays: item string length or item int value */
    long long item_max;
};

/** The public key of a catalogue resource: `slug`, required, PW_PAT_SLUG. */
#define PW_FIELD_SLUG                                                                              \
    {                                                                                              \
        .name = "slug", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 64,            \
        .pattern = PW_PAT_SLUG                                                                     \
    }

/** Links to other resources by slug: a list of at most @a n distinct slugs. */
#define PW_FIELD_SLUGS(field, n)                                                                   \
    {                                                                                              \
        .name = field, .type = PW_T_STRING_ARRAY, .flags = PW_UNIQUE, .max = n, .item_min = 1,     \
        .item_max = 64, .pattern = PW_PAT_SLUG                                                     \
    }

/** An optional absolute http(s) URL (`null` clears it). */
#define PW_FIELD_URL(field)                                                                        \
    {                                                                                              \
        .name = field, .type = PW_T_STRING, .flags = PW_NULLABLE, .min = 1, .max = 2048,           \
        .pattern = PW_PAT_URL                                                                      \
    }

/** Terminates a spec table. */
#define PW_SPEC_END                                                                                \
    {                                                                                              \
        .name = NULL                                                                               \
    }

enum pw_spec_mode {
    PW_SPEC_CREATE, /**< PW_REQUIRED fields must be present */
    PW_SPEC_PATCH,  /**< every field optional, but at least one must be present */
};

/**
 * Check @a body against @a spec.
 *
 * @param spec   table terminated by PW_SPEC_END
 * @param body   parsed request body (any JSON type; a non-object is one error)
 * @param mode   create or patch rules
 * @param[out] errors  set to NULL when valid, else to a new JSON array of
 *                     {"field": "...", "message": "..."} objects, in spec
 *                     order then unknown keys; the caller owns it (json_decref)
 * @return 0 when valid, else the number of errors
 */
int pw_spec_validate(const struct pw_field_spec *spec,
                     const json_t *body,
                     enum pw_spec_mode mode,
                     json_t **errors);

/** True when @a s (NUL-terminated) is a valid slug as DESIGN.md defines it. */
int pw_is_slug(const char *s);

/** True when @a s matches @a pat (PW_PAT_NONE is always true). */
int pw_pattern_match(enum pw_pattern pat, const char *s);

/** The client-facing message for a failed @a pat ("must be a slug ..."). */
const char *pw_pattern_message(enum pw_pattern pat);

/** Number of UTF-8 code points in @a s, or -1 when @a s is not valid UTF-8. */
long long pw_utf8_length(const char *s, size_t len);

#endif
