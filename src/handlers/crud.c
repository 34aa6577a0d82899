/**
 * @file crud.c
 * @brief The five generic handlers every catalogue resource shares.
 *
 * HTTP in, repository call, HTTP out: query checks, keyset cursors, ETags
 * and preconditions are done here once for all resources.
 */
#include "pathways/idempotency.h"
#include "pathways/resource.h"
#include "pathways/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 20
#define MAX_LIMIT 100

static const char *const list_params[] = { "limit", "cursor", "sort", "count", NULL };

static const struct pw_resource *
resource_of(const struct pw_request *rq)
{
    return rq->route->resource;
}

/** The caller's scope for a resource with row visibility, else NULL. */
static const char *
reader_scope(const struct pw_request *rq)
{
    const struct pw_resource *r = resource_of(rq);

    return r->reader_scope != NULL ? r->reader_scope(rq) : NULL;
}

/**
 * Public GETs may be kept by shared caches (DESIGN.md); a read that needs a
 * role, or that shows the caller more than the public sees, may not.
 */
static unsigned
read_cache_flags(const struct pw_request *rq, const char *scope)
{
    return rq->route->min_role == PW_ROLE_NONE && scope == NULL ? PW_CACHE_PUBLIC : 0;
}

/** The key of the addressed row: the route's last parameter. */
static const char *
row_key(const struct pw_request *rq)
{
    return rq->nparams > 0 ? rq->params[rq->nparams - 1] : NULL;
}

static int
in_list(const char *const *names, const char *key)
{
    for (; names != NULL && *names != NULL; names++)
        if (strcmp(*names, key) == 0)
            return 1;
    return 0;
}

int
pw_query_allow_or_reply(struct pw_request *rq,
                        const char *const *allowed,
                        const struct pw_filter *filters,
                        enum MHD_Result *ret)
{
    for (unsigned i = 0; i < rq->query.count; i++) {
        const char *key = rq->query.params[i].key;
        int known = in_list(allowed, key);
        char detail[160];

        for (const struct pw_filter *f = filters; !known && f && f->name; f++)
            known = strcmp(f->name, key) == 0;
        if (known)
            continue;
        snprintf(detail, sizeof detail, "unknown query parameter '%.64s'", key);
        *ret = pw_reply_problem(rq, PW_PROBLEM_BAD_REQUEST, detail, NULL);
        return -1;
    }
    return 0;
}

int
pw_query_none_or_reply(struct pw_request *rq, enum MHD_Result *ret)
{
    static const char *const none[] = { NULL };

    return pw_query_allow_or_reply(rq, none, NULL, ret);
}

/** Append a 400 error for parameter @a name to @a errs. */
static void
add_error(json_t *errs, const char *name, const char *message)
{
    json_array_append_new(errs, json_pack("{s:s, s:s}", "field", name, "message", message));
}

static void
check_filter(const struct pw_filter *f, const char *v, json_t *errs)
{
    int b;

    if (f->is_bool) {
        if (pw_parse_bool(v, &b) != 0)
            add_error(errs, f->name, "must be true or false");
        return;
    }
    if (strlen(v) > f->max_len) {
        char msg[64];

        snprintf(msg, sizeof msg, "must be at most %u characters", f->max_len);
        add_error(errs, f->name, msg);
        return;
    }
    if (f->enum_values != NULL && !in_list(f->enum_values, v))
        add_error(errs, f->name, "is not one of the allowed values");
    else if (f->pattern != PW_PAT_NONE && !pw_pattern_match(f->pattern, v))
        add_error(errs, f->name, "has the wrong format");
}

/** Parsed list query. */
struct list_query {
    struct pw_list_args args;
    const char *filters[16];
    char sort_name[40];
    char after[PW_CURSOR_MAX];
};

/** Longest list identity: resource name, sort and parent key. */
#define LIST_ID_MAX (40 + 40 + PW_PARAM_BUF + 2)

/**
 * The identity a cursor is bound to: "stages:-title", plus the parent key
 * for nested lists ("stages:position:backend-developer"), so that a cursor
 * from one path's stages is refused on another path's list.
 */
static void
list_identity(const struct pw_repo_table *t,
              const char *sort_name,
              const char *parent,
              char out[LIST_ID_MAX])
{
    if (parent != NULL)
        snprintf(out, LIST_ID_MAX, "%s:%s:%s", t->name, sort_name, parent);
    else
        snprintf(out, LIST_ID_MAX, "%s:%s", t->name, sort_name);
}

/** Read limit, sort, cursor, count and filters; 400 listing every bad one. */
static int
read_list_query(struct pw_request *rq, struct list_query *q, enum MHD_Result *ret)
{
    const struct pw_resource *r = resource_of(rq);
    const struct pw_repo_table *t = r->repo;
    json_t *errs = json_array();
    const char *v;
    long long n;
    char list_id[LIST_ID_MAX];

    memset(q, 0, sizeof *q);
    q->args.limit = DEFAULT_LIMIT;
    v = pw_query_get(&rq->query, "limit");
    if (v != NULL && pw_parse_int(v, 1, MAX_LIMIT, &n) != 0)
        add_error(errs, "limit", "must be an integer from 1 to 100");
    else if (v != NULL)
        q->args.limit = (unsigned) n;
    v = pw_query_get(&rq->query, "sort");
    snprintf(q->sort_name,
             sizeof q->sort_name,
             "%s",
             v ? v : (t->default_sort ? t->default_sort : t->sorts[0].name));
    q->args.desc = q->sort_name[0] == '-';
    int si = pw_repo_sort_index(t, q->sort_name + (q->args.desc ? 1 : 0));
    if (si < 0 || (v != NULL && strlen(v) >= sizeof q->sort_name)) {
        char msg[200] = "must be one of:";

        for (unsigned i = 0; t->sorts[i].name != NULL; i++) {
            size_t len = strlen(msg);

            snprintf(msg + len,
                     sizeof msg - len,
                     "%s %s, -%s",
                     i ? "," : "",
                     t->sorts[i].name,
                     t->sorts[i].name);
        }
        add_error(errs, "sort", msg);
        si = 0;
    }
    q->args.sort = (unsigned) si;
    v = pw_query_get(&rq->query, "count");
    if (v != NULL && pw_parse_bool(v, &q->args.want_total) != 0)
        add_error(errs, "count", "must be true or false");
    for (unsigned i = 0; r->filters != NULL && r->filters[i].name != NULL; i++) {
        v = pw_query_get(&rq->query, r->filters[i].name);
        if (v != NULL)
            check_filter(&r->filters[i], v, errs);
        q->filters[i] = v;
        if (v != NULL && r->filters[i].is_bool)
            q->filters[i] = (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) ? "true" : "false";
    }
    v = pw_query_get(&rq->query, "cursor");
    list_identity(t, q->sort_name, t->parent_where ? pw_param(rq, 0) : NULL, list_id);
    if (v != NULL && json_array_size(errs) == 0) {
        if (pw_cursor_decode(&pw_app.cursor_key, list_id, v, q->after, &q->args.after_id) != 0)
            add_error(errs, "cursor", "is not a valid cursor for this list");
        else
            q->args.after = q->after;
    }
    if (json_array_size(errs) > 0) {
        *ret = pw_reply_problem(rq, PW_PROBLEM_BAD_REQUEST, "invalid query parameters", errs);
        return -1;
    }
    json_decref(errs);
    q->args.filters = q->filters;
    q->args.parent = t->parent_where ? pw_param(rq, 0) : NULL;
    q->args.scope = reader_scope(rq);
    return 0;
}

/** Percent-encode @a s for a query string into @a out. */
static size_t
url_encode(char *out, size_t cap, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (; *s != '\0' && o + 4 < cap; s++) {
        unsigned char c = (unsigned char) *s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out[o++] = (char) c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
    return o;
}

/** Link: <path?...&cursor=next>; rel="next" keeping the other parameters. */
static void
next_link(const struct pw_request *rq, const char *cursor, char *out, size_t cap)
{
    size_t o = (size_t) snprintf(out, cap, "<%s?", rq->path);

    for (unsigned i = 0; i < rq->query.count && o < cap; i++) {
        const struct pw_query_param *p = &rq->query.params[i];

        if (strcmp(p->key, "cursor") == 0)
            continue;
        o += url_encode(out + o, cap - o, p->key);
        if (o + 1 < cap)
            out[o++] = '=';
        o += url_encode(out + o, cap - o, p->value);
        if (o + 1 < cap)
            out[o++] = '&';
    }
    if (o < cap)
        snprintf(out + o, cap - o, "cursor=%s>; rel=\"next\"", cursor);
}

enum MHD_Result
pw_reply_page(struct pw_request *rq, struct pw_page *page, const char *list_id, unsigned flags)
{
    char cursor[PW_CURSOR_MAX] = "";
    char etag[32];

    if (page->has_more &&
        pw_cursor_encode(&pw_app.cursor_key, list_id, page->last_value, page->last_id, cursor) != 0)
        page->has_more = 0; /* a sort value too long for a cursor: end the list */

    /* {"data": <PostgreSQL's array>, "next_cursor": ..., "total": ...} */
    size_t cap = page->items.len + PW_CURSOR_MAX + 96;
    char *doc = malloc(cap);
    if (doc == NULL) {
        pw_text_release(&page->items);
        return MHD_NO;
    }
    size_t n = (size_t) snprintf(doc, cap, "{\"data\":");
    memcpy(doc + n, page->items.data, page->items.len);
    n += page->items.len;
    n += (size_t) snprintf(doc + n,
                           cap - n,
                           page->has_more ? ",\"next_cursor\":\"%s\"" : ",\"next_cursor\":null",
                           cursor);
    if (page->total >= 0)
        n += (size_t) snprintf(doc + n, cap - n, ",\"total\":%lld", page->total);
    doc[n++] = '}';
    pw_text_release(&page->items);

    pw_etag_hash(etag, sizeof etag, doc, n);
    if (pw_if_none_match(rq, etag)) {
        free(doc);
        return pw_reply_empty(rq, 304, etag, flags);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(n, doc, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(doc);
        return MHD_NO;
    }
    if (page->has_more) {
        char link[PW_CURSOR_MAX + 1024];

        next_link(rq, cursor, link, sizeof link);
        MHD_add_response_header(resp, "Link", link);
    }
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "ETag", etag);
    return pw_reply_response(rq, 200, resp, n, flags);
}

enum MHD_Result
pw_h_list(struct pw_request *rq)
{
    const struct pw_resource *r = resource_of(rq);
    struct list_query q;
    struct pw_page page = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;
    char list_id[LIST_ID_MAX];

    if (pw_query_allow_or_reply(rq, list_params, r->filters, &ret) != 0 ||
        read_list_query(rq, &q, &ret) != 0)
        return ret;
    st = pw_repo_list(rq->db, r->repo, &q.args, &page);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    if (!page.parent_found) {
        pw_text_release(&page.items);
        return pw_reply_problem(
            rq, PW_PROBLEM_NOT_FOUND, "the parent resource does not exist", NULL);
    }
    list_identity(r->repo, q.sort_name, q.args.parent, list_id);
    return pw_reply_page(rq, &page, list_id, read_cache_flags(rq, q.args.scope));
}

enum MHD_Result
pw_h_get(struct pw_request *rq)
{
    const struct pw_resource *r = resource_of(rq);
    struct pw_text body = { 0 };
    long long version = 0;
    const char *scope;
    enum MHD_Result ret;
    enum pw_db_status st;
    char etag[32];

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    scope = reader_scope(rq);
    st = pw_repo_get_as(rq->db, r->repo, row_key(rq), scope, &body, &version);
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    pw_etag_version(etag, sizeof etag, version);
    if (pw_if_none_match(rq, etag)) {
        pw_text_release(&body);
        return pw_reply_empty(rq, 304, etag, read_cache_flags(rq, scope));
    }
    return pw_reply_json(rq, 200, &body, etag, NULL, read_cache_flags(rq, scope));
}

/** Validate the body; @return its compact text (caller frees) or NULL after a reply. */
static char *
checked_body(struct pw_request *rq, enum pw_spec_mode mode, enum MHD_Result *ret)
{
    json_t *errors = NULL;
    char *text;

    if (pw_spec_validate(resource_of(rq)->fields, rq->json, mode, &errors) != 0) {
        *ret = pw_reply_problem(rq, PW_PROBLEM_VALIDATION, "the request body is not valid", errors);
        return NULL;
    }
    text = json_dumps(rq->json, JSON_COMPACT);
    if (text == NULL)
        *ret = pw_reply_problem(rq, PW_PROBLEM_INTERNAL, NULL, NULL);
    return text;
}

/** 200/201 with the written row, its ETag and (on create) Location. */
static enum MHD_Result
reply_written(struct pw_request *rq, unsigned status, struct pw_written *w)
{
    char etag[32];
    char location[160];

    pw_etag_version(etag, sizeof etag, w->version);
    snprintf(location, sizeof location, "%s%s", resource_of(rq)->location, w->key);
    return pw_reply_json(rq, status, &w->body, etag, status == 201 ? location : NULL, 0);
}

/** POST and PATCH: validate, write, answer with the row as now stored. */
static enum MHD_Result
write_and_reply(struct pw_request *rq, enum pw_spec_mode mode)
{
    const struct pw_resource *r = resource_of(rq);
    struct pw_written w = { 0 };
    enum MHD_Result ret;
    enum pw_db_status st;
    char *json;

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    json = checked_body(rq, mode, &ret);
    if (json == NULL)
        return ret;
    if (mode == PW_SPEC_CREATE)
        st = pw_repo_create(
            rq->db, r->repo, json, r->repo->parent_where ? pw_param(rq, 0) : NULL, &w);
    else
        st = pw_repo_update(rq->db, r->repo, row_key(rq), pw_if_match_version(rq), json, &w);
    free(json);
    if (st != PW_DB_OK) {
        pw_text_release(&w.body);
        return pw_reply_db_error(rq, st);
    }
    return reply_written(rq, mode == PW_SPEC_CREATE ? 201 : 200, &w);
}

static enum MHD_Result
create(struct pw_request *rq)
{
    return write_and_reply(rq, PW_SPEC_CREATE);
}

enum MHD_Result
pw_h_create(struct pw_request *rq)
{
    return pw_idempotent(rq, create);
}

enum MHD_Result
pw_h_update(struct pw_request *rq)
{
    return write_and_reply(rq, PW_SPEC_PATCH);
}

enum MHD_Result
pw_h_delete(struct pw_request *rq)
{
    enum MHD_Result ret;
    enum pw_db_status st;

    if (pw_query_none_or_reply(rq, &ret) != 0)
        return ret;
    st = pw_repo_delete(rq->db, resource_of(rq)->repo, row_key(rq), pw_if_match_version(rq));
    if (st != PW_DB_OK)
        return pw_reply_db_error(rq, st);
    return pw_reply_empty(rq, 204, NULL, 0);
}

int
pw_resources_init(const struct pw_route *routes)
{
    for (unsigned i = 0; routes[i].pattern != NULL; i++)
        if (routes[i].resource != NULL && pw_repo_init(routes[i].resource->repo) != 0)
            return -1;
    return 0;
}

void
pw_resources_free(const struct pw_route *routes)
{
    for (unsigned i = 0; routes[i].pattern != NULL; i++)
        if (routes[i].resource != NULL)
            pw_repo_free(routes[i].resource->repo);
}
