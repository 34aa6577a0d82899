/**
 * @file search.c
 * @brief GET /v1/search?q=...&types=...: ranked full-text hits across paths,
 *        steps, skills, resources and published articles.
 *
 * q is required (1..200 characters, not only spaces) and read with web-search
 * syntax (see pw_search_query in 0005_search.sql): words, "quoted phrases",
 * `or`, `-excluded`; the last word also matches as a prefix. types narrows
 * the hits to a comma-separated subset of the five types. Pages are keyset
 * paginated like every list (limit, cursor, Link); a cursor is bound to its q
 * and types. Search results are public: drafts never appear, whoever asks.
 */
#include "pathways/handlers.h"
#include "pathways/repo_search.h"
#include "pathways/server.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_LIMIT 20
#define MAX_LIMIT 100
#define MAX_Q_CHARS 200

static const char *const search_params[] = { "q", "types", "limit", "cursor", NULL };
static const char *const search_types[] = { "path", "step", "skill", "resource", "article", NULL };

/** Longest types value: the five names, commas, braces. */
#define TYPES_MAX 64

static void
add_error(json_t *errs, const char *field, const char *message)
{
    json_array_append_new(errs, json_pack("{s:s, s:s}", "field", field, "message", message));
}

/**
 * Turn "skill,article" into the text[] literal "{skill,article}" in @a out.
 * @return 0, or -1 for an empty item, an unknown type or a too long list.
 */
static int
types_literal(const char *v, char out[TYPES_MAX])
{
    size_t o = 0;

    out[o++] = '{';
    while (1) {
        size_t n = strcspn(v, ",");
        int known = 0;

        for (const char *const *t = search_types; *t != NULL && !known; t++)
            known = strlen(*t) == n && strncmp(*t, v, n) == 0;
        if (!known || o + n + 2 > TYPES_MAX)
            return -1;
        memcpy(out + o, v, n);
        o += n;
        if (v[n] == '\0')
            break;
        out[o++] = ',';
        v += n + 1;
    }
    out[o++] = '}';
    out[o] = '\0';
    return 0;
}

static int
blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/** What a cursor is bound to: "search:<types>:<q>" (q is at most 200 code points). */
#define SEARCH_ID_MAX (16 + TYPES_MAX + 4 * MAX_Q_CHARS)

/** Read q, types, limit and cursor into @a a; 400 listing every bad one. */
static int
read_search_query(struct pw_request *rq,
                  struct pw_search_args *a,
                  char types[TYPES_MAX],
                  char after[PW_CURSOR_MAX],
                  char list_id[SEARCH_ID_MAX],
                  enum MHD_Result *ret)
{
    json_t *errs = json_array();
    const char *v;
    long long n;

    a->limit = DEFAULT_LIMIT;
    a->q = pw_query_get(&rq->query, "q");
    if (a->q == NULL || blank(a->q))
        add_error(errs, "q", "is required: the words to search for");
    else if (pw_utf8_length(a->q, strlen(a->q)) > MAX_Q_CHARS)
        add_error(errs, "q", "must be at most 200 characters");
    v = pw_query_get(&rq->query, "types");
    if (v != NULL && types_literal(v, types) != 0)
        add_error(errs,
                  "types",
                  "must be a comma-separated list of: path, step, skill, resource, article");
    else
        a->types = v != NULL ? types : NULL;
    v = pw_query_get(&rq->query, "limit");
    if (v != NULL && pw_parse_int(v, 1, MAX_LIMIT, &n) != 0)
        add_error(errs, "limit", "must be an integer from 1 to 100");
    else if (v != NULL)
        a->limit = (unsigned) n;
    v = pw_query_get(&rq->query, "cursor");
    if (json_array_size(errs) == 0) {
        snprintf(list_id, SEARCH_ID_MAX, "search:%s:%s", a->types ? a->types : "", a->q);
        if (v != NULL && pw_cursor_decode(&pw_app.cursor_key, list_id, v, after, &a->after_id) != 0)
            add_error(errs, "cursor", "is not a valid cursor for this search");
        else if (v != NULL)
            a->after = after;
    }
    if (json_array_size(errs) > 0) {
        *ret = pw_reply_problem(rq, PW_PROBLEM_BAD_REQUEST, "invalid query parameters", errs);
        return -1;
    }
    json_decref(errs);
    return 0;
}

enum MHD_Result
pw_h_search(struct pw_request *rq)
{
    struct pw_search_args a = { 0 };
    struct pw_page page = { 0 };
    char types[TYPES_MAX], after[PW_CURSOR_MAX], list_id[SEARCH_ID_MAX];
    enum MHD_Result ret;
    enum pw_db_status st;

    if (pw_query_allow_or_reply(rq, search_params, NULL, &ret) != 0 ||
        read_search_query(rq, &a, types, after, list_id, &ret) != 0)
        return ret;
    st = pw_repo_search(rq->db, &a, &page);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_page(rq, &page, list_id, PW_CACHE_PUBLIC);
}
