/**
 * @file search.c
 * @brief SQL of GET /v1/search: ranked hits across the catalogue and the
 *        published articles, one statement.
 *
 * Each table contributes the rows its tsvector (`search`, 0005_search.sql,
 * GIN-indexed) matches for pw_search_query($1), computed once. Drafts are
 * never hits, whoever asks: search results are public and cacheable.
 *
 * Rank. ts_rank() with normalisation 1 (divided by 1 + log of the document
 * length), so that a short entry named after the words (the PostgreSQL skill
 * for "postgres") beats a long text that mentions them often. ts_rank() is
 * a float4; it is cast to numeric, which keeps 6 significant digits. The
 * numeric is the sort key: its text form is exact, so the cursor carries it
 * without rounding, and equal ranks after the cast are simply ties.
 *
 * Order and keyset. Hits are ordered by rank descending, then type and id
 * ascending: (type, id) is unique across the union, so the order is total
 * and a cursor (rank, type, id) resumes exactly after the last hit of a page,
 * with neither duplicates nor gaps while the data does not change. The
 * directions differ, so the "after" test is spelled out instead of a row
 * comparison.
 *
 * Snippets (pw_search_snippet: escaped text, matches in <mark>) are only
 * computed for the hits of the page: ts_headline re-parses the whole text.
 */
#include "pathways/repo_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One SELECT of the union: type name, table, key expression, title, text for the snippet. */
#define SEARCH_HITS(type, table, key, title, doc, extra)                                           \
    " SELECT '" type "'::text AS type, t.id, " key " AS key, " title " AS title,"                  \
    " " doc " AS doc, ts_rank(t.search, q.query, 1)::numeric AS rank"                              \
    " FROM " table " t, q"                                                                         \
    " WHERE t.search @@ q.query" extra " AND ($2::text[] IS NULL OR '" type                        \
    "' = ANY ($2::text[]))"

#define HITS_PATHS                                                                                 \
    SEARCH_HITS("path",                                                                            \
                "paths",                                                                           \
                "t.slug",                                                                          \
                "t.title",                                                                         \
                "concat_ws(' ', t.title, t.summary, t.overview)",                                  \
                "")
#define HITS_STEPS                                                                                 \
    SEARCH_HITS("step",                                                                            \
                "steps",                                                                           \
                "t.id::text",                                                                      \
                "t.title",                                                                         \
                "concat_ws(' ', t.title, pw_words(t.topics), t.description)",                      \
                "")
#define HITS_SKILLS                                                                                \
    SEARCH_HITS("skill", "skills", "t.slug", "t.name", "concat_ws(' ', t.name, t.description)", "")
#define HITS_RESOURCES                                                                             \
    SEARCH_HITS("resource",                                                                        \
                "resources",                                                                       \
                "t.id::text",                                                                      \
                "t.title",                                                                         \
                "concat_ws(' ', t.title, t.summary, pw_words(t.authors))",                         \
                "")
#define HITS_ARTICLES                                                                              \
    SEARCH_HITS("article",                                                                         \
                "articles",                                                                        \
                "t.slug",                                                                          \
                "t.title",                                                                         \
                "concat_ws(' ', t.title, t.summary, t.body)",                                      \
                " AND t.status = 'published'")

/* $1 q, $2 types (text[] or NULL), $3 cursor "<rank> <type>", $4 cursor id, $5 limit. */
static struct pw_stmt search_hits = {
    .name = "search_hits",
    .sql = "WITH q AS MATERIALIZED (SELECT pw_search_query($1::text) AS query),"
           " hits AS (" HITS_PATHS " UNION ALL" HITS_STEPS " UNION ALL" HITS_SKILLS
           " UNION ALL" HITS_RESOURCES " UNION ALL" HITS_ARTICLES "),"
           " page AS ("
           " SELECT row_number() OVER (ORDER BY h.rank DESC, h.type, h.id) AS n, h.*"
           " FROM hits h"
           " WHERE $3::text IS NULL"
           " OR h.rank < split_part($3::text, ' ', 1)::numeric"
           " OR (h.rank = split_part($3::text, ' ', 1)::numeric"
           " AND (h.type, h.id) > (split_part($3::text, ' ', 2), $4::bigint))"
           " ORDER BY h.rank DESC, h.type, h.id LIMIT $5::int + 1)"
           /* Every type's collection is its name plus "s": /v1/skills/postgresql. */
           " SELECT coalesce(json_agg(json_build_object('type', p.type, 'key', p.key,"
           " 'title', p.title, 'snippet', pw_search_snippet(p.doc, q.query),"
           " 'url', '/v1/' || p.type || 's/' || p.key) ORDER BY p.n)"
           " FILTER (WHERE p.n <= $5::int), '[]')::text,"
           " max(p.rank::text || ' ' || p.type) FILTER (WHERE p.n = $5::int),"
           " max(p.id) FILTER (WHERE p.n = $5::int),"
           " count(*) > $5::int"
           " FROM page p, q",
    .nparams = 5,
};
PW_DB_STMT_EXPORT(search_hits);

enum pw_db_status
pw_repo_search(struct pw_db *db, const struct pw_search_args *a, struct pw_page *page)
{
    char after_id[24], limit[12];
    PGresult *res;
    enum pw_db_status st;

    snprintf(after_id, sizeof after_id, "%lld", (long long) a->after_id);
    snprintf(limit, sizeof limit, "%u", a->limit);
    const char *const params[] = { a->q, a->types, a->after, a->after ? after_id : NULL, limit };
    st = pw_db_read(db, &search_hits, params, &res);
    if (st != PW_DB_OK)
        return st;
    page->has_more = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
    page->last_value = PQgetvalue(res, 0, 1);
    page->last_id = atoll(PQgetvalue(res, 0, 2));
    page->total = -1;
    page->parent_found = 1;
    pw_text_from_result(&page->items, res, 0, 0);
    return PW_DB_OK;
}
