/**
 * @file articles.c
 * @brief Blog articles: field spec, list filters, and who sees drafts.
 *
 * Drafts are visible to editors and admins only: to anyone else a draft
 * does not exist (404 on GET, absent from lists and their totals). The
 * server parses a bearer token on public routes too, so the role is known
 * here; it reaches SQL as the reader's scope (see repo.h), never through
 * the query string. Answers that may show drafts are not cached publicly.
 *
 * cover_image_alt must describe the cover image whenever there is one
 * (accessibility); that rule spans two fields and, for PATCH, the stored
 * row, so the database checks it (articles_cover_image_alt_required_ck,
 * mapped to the field in src/repo/constraints.c).
 */
#include "pathways/handlers.h"
#include "pathways/repo_tables.h"

static const char *const article_statuses[] = { "draft", "published", NULL };

static const struct pw_field_spec article_fields[] = {
    PW_FIELD_SLUG,
    { .name = "title", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 200 },
    { .name = "author", .type = PW_T_STRING, .flags = PW_REQUIRED, .min = 1, .max = 100 },
    { .name = "summary", .type = PW_T_STRING, .flags = PW_MULTILINE, .max = 1000 },
    { .name = "body", .type = PW_T_STRING, .flags = PW_MULTILINE, .max = 100000 },
    PW_FIELD_SLUGS("categories", 20),
    { .name = "status", .type = PW_T_STRING, .enum_values = article_statuses },
    { .name = "published_at",
      .type = PW_T_STRING,
      .flags = PW_NULLABLE,
      .min = 1,
      .max = 64,
      .pattern = PW_PAT_DATETIME },
    PW_FIELD_URL("cover_image_url"),
    { .name = "cover_image_alt", .type = PW_T_STRING, .max = 300 },
    PW_SPEC_END,
};

/* In the order of pw_repo_articles.filters ($5..$7). */
static const struct pw_filter article_filters[] = {
    { .name = "category", .pattern = PW_PAT_SLUG, .max_len = 64 },
    { .name = "author", .max_len = 100 },
    { .name = "q", .max_len = 100 },
    { .name = NULL },
};

/** Editors and admins read drafts too; everyone else the public view. */
static const char *
article_reader_scope(const struct pw_request *rq)
{
    return rq->claims.role >= PW_ROLE_EDITOR ? "editor" : NULL;
}

const struct pw_resource pw_res_articles = {
    .name = "article",
    .repo = &pw_repo_articles,
    .fields = article_fields,
    .filters = article_filters,
    .location = "/v1/articles/",
    .reader_scope = article_reader_scope,
};
