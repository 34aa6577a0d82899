/**
 * @file articles.c
 * @brief SQL of the blog articles.
 *
 * Drafts are for editors: every read sees a row only when it is published
 * or the reader's scope (src/handlers/articles.c, from the caller's role) is
 * "editor"; the generated get, list and count apply `visible` (see repo.h).
 *
 * A published article always has published_at: publishing without one
 * stamps now() (the same CASE in the INSERT and the UPDATE, over the row as
 * it will be after the write, so a PATCH that only sets status publishes
 * too). Unpublishing keeps the date.
 *
 * The list is newest first. published_at is NULL on a draft never
 * published, so the sort key is coalesce(published_at, created_at): keyset
 * pagination needs a sort value on every row, and such a draft then sorts by
 * when it was written (index articles_published_id_idx, 0004).
 */
#include "pathways/repo_tables.h"

static const struct pw_sort article_sorts[] = {
    { "published_at", "coalesce(t.published_at, t.created_at)", "timestamptz" },
    { "title", "t.title", "text" },
    { "created_at", "t.created_at", "timestamptz" },
    { NULL, NULL, NULL },
};

/* published_at as stored, over the record r of the row after the write. */
#define ARTICLE_PUBLISHED_AT                                                                       \
    "CASE WHEN r.status = 'published' THEN coalesce(r.published_at, now())"                        \
    " ELSE r.published_at END"

static struct pw_repo_gen articles_gen;

const struct pw_repo_table pw_repo_articles = {
    .name = "articles",
    .table = "articles",
    .key_col = "slug",
    .key_type = "text",
    .item = "json_build_object('id', t.id, 'slug', t.slug, 'title', t.title,"
            " 'author', t.author, 'summary', t.summary, 'body', t.body,"
            " 'categories', to_json(t.categories), 'status', t.status,"
            " 'published_at', pw_time(t.published_at),"
            " 'cover_image_url', t.cover_image_url, 'cover_image_alt', t.cover_image_alt,"
            " 'created_at', pw_time(t.created_at), 'updated_at', pw_time(t.updated_at),"
            " 'version', t.version)",
    /*
     * $5 category (GIN articles_categories_idx), $6 author (whole name, any
     * case), $7 q: full-text search (see PW_REPO_Q_MATCH in repo_tables.h).
     */
    .filters = "($5::text IS NULL OR t.categories @> ARRAY[$5::text])"
               " AND ($6::text IS NULL OR lower(t.author) = lower($6::text))"
               " AND ($7::text IS NULL OR " PW_REPO_Q_MATCH("$7") ")",
    .nfilters = 3,
    .sorts = article_sorts,
    .default_sort = "-published_at",
    .visible = "t.status = 'published' OR reader.scope = 'editor'",
    .insert_sql = "INSERT INTO articles (slug, title, author, summary, body, categories, status,"
                  " published_at, cover_image_url, cover_image_alt)"
                  " SELECT r.slug, r.title, r.author, coalesce(r.summary, ''),"
                  " coalesce(r.body, ''), coalesce(r.categories, '{}'), r.status,"
                  " " ARTICLE_PUBLISHED_AT ", r.cover_image_url, coalesce(r.cover_image_alt, '')"
                  " FROM jsonb_populate_record(NULL::articles,"
                  " jsonb_build_object('status', 'draft') || $1::jsonb) r RETURNING id",
    .update_sql = "UPDATE articles t SET (slug, title, author, summary, body, categories, status,"
                  " published_at, cover_image_url, cover_image_alt) ="
                  " (SELECT r.slug, r.title, r.author, r.summary, r.body, r.categories, r.status,"
                  " " ARTICLE_PUBLISHED_AT ", r.cover_image_url, r.cover_image_alt"
                  " FROM jsonb_populate_record(t, $2::jsonb) r),"
                  " version = t.version + 1, updated_at = now() WHERE t.id = $1::bigint",
    .gen = &articles_gen,
};
