/**
 * @file check_router.c
 * @brief Unit tests for path matching (src/http/router.c) against a small
 *        route table of our own: literals, {slug} and {id} parameters,
 *        HEAD, 404 vs 405, shapes that must not match, method names.
 */
#include "check_main.h"
#include "pathways/router.h"

#include <stdio.h>
#include <string.h>

static enum MHD_Result
dummy(struct pw_request *rq)
{
    (void) rq;
    return MHD_YES;
}

/* Indexes into the table below, named for the assertions. */
enum {
    R_HEALTHZ,
    R_THINGS_POST, /* POST before GET: the Allow mask must still hold both */
    R_THINGS_GET,
    R_THING_FEATURED, /* a literal before the {slug} row it shadows */
    R_THING_GET,
    R_THING_PATCH,
    R_THING_DELETE,
    R_THING_PARTS,
    R_PART_GET,
    R_STEP_RES_PUT,
    R_STEP_RES_DELETE,
    R_RELATED,
    R_ACTION,
    R_FIVE_PARAMS,
    R_ROOT,
};

static const struct pw_route routes[] = {
    [R_HEALTHZ] = { .method = PW_GET, .pattern = "/healthz", .handler = dummy },
    [R_THINGS_POST] = { .method = PW_POST, .pattern = "/v1/things", .handler = dummy },
    [R_THINGS_GET] = { .method = PW_GET, .pattern = "/v1/things", .handler = dummy },
    [R_THING_FEATURED] = { .method = PW_GET, .pattern = "/v1/things/featured", .handler = dummy },
    [R_THING_GET] = { .method = PW_GET, .pattern = "/v1/things/{slug}", .handler = dummy },
    [R_THING_PATCH] = { .method = PW_PATCH, .pattern = "/v1/things/{slug}", .handler = dummy },
    [R_THING_DELETE] = { .method = PW_DELETE, .pattern = "/v1/things/{slug}", .handler = dummy },
    [R_THING_PARTS] = { .method = PW_GET, .pattern = "/v1/things/{slug}/parts", .handler = dummy },
    [R_PART_GET] = { .method = PW_GET, .pattern = "/v1/parts/{id}", .handler = dummy },
    [R_STEP_RES_PUT] = { .method = PW_PUT,
                         .pattern = "/v1/steps/{id}/resources/{resource_id}",
                         .handler = dummy },
    [R_STEP_RES_DELETE] = { .method = PW_DELETE,
                            .pattern = "/v1/steps/{id}/resources/{resource_id}",
                            .handler = dummy },
    [R_RELATED] = { .method = PW_GET,
                    .pattern = "/v1/paths/{slug}/related/{other}",
                    .handler = dummy },
    [R_ACTION] = { .method = PW_POST, .pattern = "/v1/actions/run", .handler = dummy },
    [R_FIVE_PARAMS] = { .method = PW_GET, .pattern = "/x/{a}/{b}/{c}/{d}/{e}", .handler = dummy },
    [R_ROOT] = { .method = PW_GET, .pattern = "/", .handler = dummy },
    { .pattern = NULL },
};

/** Match and check the invariants every result has. */
static int
match(const char *path, enum pw_method method, struct pw_match *m)
{
    int found;

    memset(m, 0xa5, sizeof *m); /* no field may be left as it was */
    found = pw_router_match(routes, path, method, m);
    ck_assert_int_eq(found, m->route != NULL);
    if (found) {
        ck_assert_ptr_eq(m->route, &routes[m->index]);
        ck_assert_uint_le(m->nparams, PW_MAX_PATH_PARAMS);
        for (unsigned i = 0; i < m->nparams; i++) {
            ck_assert(m->params[i] >= m->buf && m->params[i] < m->buf + sizeof m->buf);
            ck_assert(m->params[i] + strlen(m->params[i]) < m->buf + sizeof m->buf);
        }
        /* The matched route's own method is always part of the mask. */
        ck_assert(m->allowed & m->route->method);
    } else {
        ck_assert_uint_eq(m->nparams, 0);
    }
    return found;
}

/** The path matches route @a index for @a method with no parameters. */
static void
assert_route(const char *path, enum pw_method method, unsigned index)
{
    struct pw_match m;

    ck_assert_msg(match(path, method, &m), "%s did not match", path);
    ck_assert_uint_eq(m.index, index);
}

/** Neither the path nor any method: a 404. */
static void
assert_404(const char *path)
{
    static const enum pw_method all[] = { PW_GET,    PW_POST, PW_PUT,    PW_PATCH,
                                          PW_DELETE, PW_HEAD, PW_OPTIONS };
    struct pw_match m;

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        ck_assert_msg(!match(path, all[i], &m), "'%s' matched", path);
        ck_assert_msg(m.allowed == 0, "'%s' has allowed methods %#x", path, m.allowed);
    }
}

START_TEST(literal_routes)
{
    struct pw_match m;

    ck_assert(match("/healthz", PW_GET, &m));
    ck_assert_uint_eq(m.index, R_HEALTHZ);
    ck_assert(m.route->handler == dummy);
    ck_assert_uint_eq(m.nparams, 0);
    ck_assert_uint_eq(m.allowed, PW_GET);
    assert_route("/v1/actions/run", PW_POST, R_ACTION);
    assert_route("/", PW_GET, R_ROOT);
    /* Table order decides: the literal row comes before the {slug} row. */
    assert_route("/v1/things/featured", PW_GET, R_THING_FEATURED);
    ck_assert(match("/v1/things/featured", PW_PATCH, &m)); /* only {slug} has PATCH */
    ck_assert_uint_eq(m.index, R_THING_PATCH);
    ck_assert_str_eq(m.params[0], "featured");
    /* Segments compare whole, case-sensitively. */
    assert_404("/health");
    assert_404("/healthzz");
    assert_404("/HEALTHZ");
    assert_404("/v1");
    assert_404("/v1/thing");
    assert_404("/v2/things");
    assert_404("/v1/things/abc/part");
    assert_404("/v1/things/abc/parts/x");
    assert_404("");
    assert_404("healthz");     /* no leading slash */
    assert_404("/healthz/");   /* trailing slash */
    assert_404("//healthz");   /* empty first segment */
    assert_404("/v1/things/"); /* empty last segment */
    /* More segments than any route (the path is cut once, 16 at most). */
    assert_404("/v1/things/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t");
    assert_404("/x/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w");
}
END_TEST

START_TEST(allowed_mask_lists_every_method_of_the_path)
{
    struct pw_match m;

    /* GET matches the second row; POST from the first row is still allowed. */
    ck_assert(match("/v1/things", PW_GET, &m));
    ck_assert_uint_eq(m.index, R_THINGS_GET);
    ck_assert_uint_eq(m.allowed, PW_GET | PW_POST);
    ck_assert(match("/v1/things", PW_POST, &m));
    ck_assert_uint_eq(m.index, R_THINGS_POST);
    ck_assert_uint_eq(m.allowed, PW_GET | PW_POST);
    ck_assert(match("/v1/things/abc", PW_DELETE, &m));
    ck_assert_uint_eq(m.index, R_THING_DELETE);
    ck_assert_uint_eq(m.allowed, PW_GET | PW_PATCH | PW_DELETE);
    ck_assert(match("/v1/things/featured", PW_GET, &m));
    ck_assert_uint_eq(m.allowed, PW_GET | PW_PATCH | PW_DELETE);
}
END_TEST

START_TEST(slug_and_id_parameters)
{
    struct pw_match m;
    char slug64[65], path[192];

    ck_assert(match("/v1/things/backend-developer", PW_GET, &m));
    ck_assert_uint_eq(m.index, R_THING_GET);
    ck_assert_uint_eq(m.nparams, 1);
    ck_assert_str_eq(m.params[0], "backend-developer");

    ck_assert(match("/v1/things/a1-b2-3c/parts", PW_GET, &m));
    ck_assert_uint_eq(m.index, R_THING_PARTS);
    ck_assert_str_eq(m.params[0], "a1-b2-3c");

    ck_assert(match("/v1/things/42", PW_GET, &m)); /* digits are a slug too */
    ck_assert_str_eq(m.params[0], "42");

    ck_assert(match("/v1/parts/1", PW_GET, &m));
    ck_assert_uint_eq(m.index, R_PART_GET);
    ck_assert_str_eq(m.params[0], "1");

    ck_assert(match("/v1/parts/9223372036854775807", PW_GET, &m)); /* INT64_MAX */
    ck_assert_str_eq(m.params[0], "9223372036854775807");

    ck_assert(match("/v1/steps/12/resources/7", PW_PUT, &m));
    ck_assert_uint_eq(m.index, R_STEP_RES_PUT);
    ck_assert_uint_eq(m.nparams, 2);
    ck_assert_str_eq(m.params[0], "12");
    ck_assert_str_eq(m.params[1], "7");
    ck_assert_uint_eq(m.allowed, PW_PUT | PW_DELETE);

    /* Two slugs of the longest allowed length. */
    memset(slug64, 'a', 64);
    slug64[64] = '\0';
    snprintf(path, sizeof path, "/v1/paths/%s/related/%s", slug64, slug64);
    ck_assert(match(path, PW_GET, &m));
    ck_assert_uint_eq(m.index, R_RELATED);
    ck_assert_uint_eq(m.nparams, 2);
    ck_assert_str_eq(m.params[0], slug64);
    ck_assert_str_eq(m.params[1], slug64);

    ck_assert(match("/v1/paths/backend-developer/related/data-engineer", PW_GET, &m));
    ck_assert_str_eq(m.params[0], "backend-developer");
    ck_assert_str_eq(m.params[1], "data-engineer");
}
END_TEST

START_TEST(more_parameters_than_the_request_holds)
{
    /* PW_MAX_PATH_PARAMS is 4: a five-parameter pattern never matches. */
    ck_assert_int_eq(PW_MAX_PATH_PARAMS, 4);
    assert_404("/x/a/b/c/d/e");
}
END_TEST

START_TEST(head_matches_get_routes)
{
    struct pw_match m;

    ck_assert(match("/healthz", PW_HEAD, &m));
    ck_assert_uint_eq(m.index, R_HEALTHZ);
    ck_assert_uint_eq(m.route->method, PW_GET);
    ck_assert(match("/v1/things/abc", PW_HEAD, &m));
    ck_assert_uint_eq(m.index, R_THING_GET);
    ck_assert_str_eq(m.params[0], "abc");
    /* A path with no GET route: HEAD is a 405 there. */
    ck_assert(!match("/v1/actions/run", PW_HEAD, &m));
    ck_assert_uint_eq(m.allowed, PW_POST);
    ck_assert(!match("/v1/steps/1/resources/2", PW_HEAD, &m));
    ck_assert_uint_eq(m.allowed, PW_PUT | PW_DELETE);
}
END_TEST

START_TEST(method_not_allowed_vs_not_found)
{
    struct pw_match m;

    ck_assert(!match("/healthz", PW_POST, &m));
    ck_assert_uint_eq(m.allowed, PW_GET);
    ck_assert(!match("/v1/things", PW_DELETE, &m));
    ck_assert_uint_eq(m.allowed, PW_GET | PW_POST);
    ck_assert(!match("/v1/things/abc", PW_PUT, &m));
    ck_assert_uint_eq(m.allowed, PW_GET | PW_PATCH | PW_DELETE);
    ck_assert(!match("/v1/parts/5", PW_POST, &m));
    ck_assert_uint_eq(m.allowed, PW_GET);
    /* OPTIONS has no rows of its own: the mask is what it answers with. */
    ck_assert(!match("/v1/things", PW_OPTIONS, &m));
    ck_assert_uint_eq(m.allowed, PW_GET | PW_POST);
    /* An unsupported method (0) matches nothing but still sees the path. */
    ck_assert(!match("/v1/things", 0, &m));
    ck_assert_uint_eq(m.allowed, PW_GET | PW_POST);
    /* A parameter of the wrong shape is a 404, not a 405. */
    ck_assert(!match("/v1/parts/abc", PW_POST, &m));
    ck_assert_uint_eq(m.allowed, 0);
    assert_404("/nowhere");
}
END_TEST

static const char *const bad_slugs[] = {
    "/v1/things/Abc",                              /* upper case */
    "/v1/things/ABC",                              /* upper case */
    "/v1/things/a--b",                             /* double hyphen */
    "/v1/things/-abc",                             /* leading hyphen */
    "/v1/things/abc-",                             /* trailing hyphen */
    "/v1/things/-",                                /* only a hyphen */
    "/v1/things/a_b",                              /* underscore */
    "/v1/things/a.b",                              /* dot */
    "/v1/things/a b",                              /* space */
    "/v1/things/a%20b",                            /* still encoded */
    "/v1/things/caf\xc3\xa9",                      /* non-ASCII */
    "/v1/things/abc/",                             /* trailing slash */
    "/v1/things//abc",                             /* double slash */
    "/v1/things/abc//parts",  "/v1/things//parts", /* empty parameter */
    "/v1/paths/a/related/B",  "/v1/paths/a/related/",
    "/v1/paths//related/b",   NULL, /* 65 characters: filled in by the test */
};

START_TEST(bad_slugs_do_not_match)
{
    char path[128];
    const char *p = bad_slugs[_i];

    if (p == NULL) {
        char slug65[66];

        memset(slug65, 'a', 65);
        slug65[65] = '\0';
        snprintf(path, sizeof path, "/v1/things/%s", slug65);
        assert_404(path);
        snprintf(path, sizeof path, "/v1/things/%s/parts", slug65);
        assert_404(path);
        snprintf(path, sizeof path, "/v1/paths/a/related/%s", slug65);
        assert_404(path);
        return;
    }
    assert_404(p);
}
END_TEST

static const char *const bad_ids[] = {
    "/v1/parts/0",                    /* ids are positive */
    "/v1/parts/00",                   /* leading zero */
    "/v1/parts/007",                  /* leading zero */
    "/v1/parts/-1",                   /* negative */
    "/v1/parts/+1",                   /* sign */
    "/v1/parts/1a",                   /* non-digits */
    "/v1/parts/a1",                   /* non-digits */
    "/v1/parts/abc",                  /* a slug is not an id */
    "/v1/parts/1.0",                  /* decimal */
    "/v1/parts/1e3",                  /* exponent */
    "/v1/parts/0x10",                 /* hex */
    "/v1/parts/ 1",                   /* space */
    "/v1/parts/9223372036854775808",  /* INT64_MAX + 1 */
    "/v1/parts/9999999999999999999",  /* 19 digits, > INT64_MAX */
    "/v1/parts/10000000000000000000", /* 20 digits */
    "/v1/parts/18446744073709551616", /* UINT64_MAX + 1 */
    "/v1/parts/",                     /* empty */
    "/v1/parts/1/",                   /* trailing slash */
    "/v1/parts//1",                   /* double slash */
    "/v1/steps/1/resources/abc",      /* {resource_id} is an id too */
    "/v1/steps/1/resources/0",        /* ... a positive one */
    "/v1/steps/1/resources/01",       /* ... without a leading zero */
    "/v1/steps/abc/resources/1",      /* {id} */
    "/v1/steps/0/resources/1",        /* {id} */
    "/v1/steps/1/resources/9223372036854775808",
};

START_TEST(bad_ids_do_not_match)
{
    assert_404(bad_ids[_i]);
}
END_TEST

static const char *const bad_shapes[] = {
    "",
    "/",
    "//healthz",
    "/healthz/",
    "/healthz//",
    "healthz",
    "/v1/things/",
    "/v1//things",
    "//v1/things",
    "/v1/things//",
    "/v1/actions/run/",
};

START_TEST(slashes_must_be_exact)
{
    const char *p = bad_shapes[_i];
    struct pw_match m;

    if (strcmp(p, "/") == 0) { /* the root route exists, for GET only */
        ck_assert(match(p, PW_GET, &m));
        ck_assert_uint_eq(m.index, R_ROOT);
        return;
    }
    assert_404(p);
}
END_TEST

START_TEST(is_id)
{
    ck_assert(pw_is_id("1", 1));
    ck_assert(pw_is_id("10", 2));
    ck_assert(pw_is_id("9223372036854775807", 19));
    ck_assert(pw_is_id("9223372036854775806", 19));
    ck_assert(pw_is_id("1000000000000000000", 19));
    ck_assert(pw_is_id("123abc", 3)); /* only @a len bytes are looked at */
    ck_assert(!pw_is_id("", 0));
    ck_assert(!pw_is_id("0", 1));
    ck_assert(!pw_is_id("01", 2));
    ck_assert(!pw_is_id("-1", 2));
    ck_assert(!pw_is_id("1a", 2));
    ck_assert(!pw_is_id("9223372036854775808", 19));
    ck_assert(!pw_is_id("9300000000000000000", 19));
    ck_assert(!pw_is_id("10000000000000000000", 20));
}
END_TEST

START_TEST(method_parse)
{
    ck_assert_int_eq(pw_method_parse("GET"), PW_GET);
    ck_assert_int_eq(pw_method_parse("POST"), PW_POST);
    ck_assert_int_eq(pw_method_parse("PUT"), PW_PUT);
    ck_assert_int_eq(pw_method_parse("PATCH"), PW_PATCH);
    ck_assert_int_eq(pw_method_parse("DELETE"), PW_DELETE);
    ck_assert_int_eq(pw_method_parse("HEAD"), PW_HEAD);
    ck_assert_int_eq(pw_method_parse("OPTIONS"), PW_OPTIONS);
    /* Method names are case-sensitive (RFC 9110, section 9.1). */
    ck_assert_int_eq(pw_method_parse("get"), 0);
    ck_assert_int_eq(pw_method_parse("Get"), 0);
    ck_assert_int_eq(pw_method_parse("TRACE"), 0);
    ck_assert_int_eq(pw_method_parse("CONNECT"), 0);
    ck_assert_int_eq(pw_method_parse("GETX"), 0);
    ck_assert_int_eq(pw_method_parse("GE"), 0);
    ck_assert_int_eq(pw_method_parse(" GET"), 0);
    ck_assert_int_eq(pw_method_parse(""), 0);
}
END_TEST

static Suite *
router_suite(void)
{
    Suite *s = suite_create("router");
    TCase *tc = tcase_create("match");
    TCase *shapes = tcase_create("shapes");
    TCase *parse = tcase_create("parse");

    tcase_add_test(tc, literal_routes);
    tcase_add_test(tc, allowed_mask_lists_every_method_of_the_path);
    tcase_add_test(tc, slug_and_id_parameters);
    tcase_add_test(tc, more_parameters_than_the_request_holds);
    tcase_add_test(tc, head_matches_get_routes);
    tcase_add_test(tc, method_not_allowed_vs_not_found);
    suite_add_tcase(s, tc);

    tcase_add_loop_test(
        shapes, bad_slugs_do_not_match, 0, (int) (sizeof bad_slugs / sizeof bad_slugs[0]));
    tcase_add_loop_test(
        shapes, bad_ids_do_not_match, 0, (int) (sizeof bad_ids / sizeof bad_ids[0]));
    tcase_add_loop_test(
        shapes, slashes_must_be_exact, 0, (int) (sizeof bad_shapes / sizeof bad_shapes[0]));
    suite_add_tcase(s, shapes);

    tcase_add_test(parse, is_id);
    tcase_add_test(parse, method_parse);
    suite_add_tcase(s, parse);
    return s;
}

PW_CHECK_MAIN(router_suite)
