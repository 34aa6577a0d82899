/**
 * @file check_sql_registry.c
 * @brief The statement registry behind `pathways sql` (bench/run reads the
 *        service's SQL through it) and the ETag body hash's sensitivity.
 */
#include "check_main.h"
#include "pathways/db.h"
#include "pathways/handlers.h"
#include "pathways/http.h"

#include <stdlib.h>
#include <string.h>

START_TEST(finds_exported_statements)
{
    /* Link what the binary links: the route table pulls in every repository file. */
    ck_assert_ptr_nonnull(pw_routes[0].pattern);
    static const char *const names[] = {
        "roadmap_get", "search_hits", "progress_put", "progress_summary"
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct pw_stmt *st = pw_db_stmt_find(names[i]);

        ck_assert_msg(st != NULL, "%s not in the registry", names[i]);
        ck_assert_str_eq(st->name, names[i]);
        ck_assert_ptr_nonnull(strstr(st->sql, "$1"));
    }
    ck_assert_ptr_null(pw_db_stmt_find("no_such_statement"));
}
END_TEST

struct names {
    const char *seen[PW_DB_MAX_STMTS];
    unsigned n;
    int dup;
};

static void
collect(const struct pw_stmt *st, void *cls)
{
    struct names *s = cls;

    for (unsigned i = 0; i < s->n; i++)
        s->dup |= strcmp(s->seen[i], st->name) == 0;
    if (s->n < PW_DB_MAX_STMTS)
        s->seen[s->n++] = st->name;
}

START_TEST(names_are_unique)
{
    struct names *s = calloc(1, sizeof *s);

    ck_assert_ptr_nonnull(s);
    pw_db_stmt_each(collect, s);
    ck_assert_uint_ge(s->n, 20);
    ck_assert_int_eq(s->dup, 0);
    free(s);
}
END_TEST

START_TEST(body_hash_sees_every_byte)
{
    char body[100], base[40], other[40];

    memset(body, 'x', sizeof body);
    pw_etag_hash(base, sizeof base, body, sizeof body);
    for (size_t i = 0; i < sizeof body; i++) {
        body[i] = 'y';
        pw_etag_hash(other, sizeof other, body, sizeof body);
        ck_assert_str_ne(base, other);
        body[i] = 'x';
    }
    /* The length counts: a body and its prefix padded with NULs differ. */
    memset(body, 0, sizeof body);
    pw_etag_hash(base, sizeof base, body, 9);
    pw_etag_hash(other, sizeof other, body, 10);
    ck_assert_str_ne(base, other);
    pw_etag_hash(other, sizeof other, NULL, 0);
    ck_assert_str_ne(base, other);
}
END_TEST

static Suite *
registry_suite(void)
{
    Suite *s = suite_create("sql_registry");
    TCase *tc = tcase_create("sql_registry");

    tcase_add_test(tc, finds_exported_statements);
    tcase_add_test(tc, names_are_unique);
    tcase_add_test(tc, body_hash_sees_every_byte);
    suite_add_tcase(s, tc);
    return s;
}

PW_CHECK_MAIN(registry_suite)
