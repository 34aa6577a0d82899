/**
 * @file check_ratelimit.c
 * @brief The GCRA limiter: budgets, Retry-After, idle expiry, the size cap,
 *        and client-address keys.
 */
#include "check_main.h"
#include "pathways/ratelimit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SEC 1000000LL

static struct pw_ratelimit *rl;

static void
setup(void)
{
    ck_assert_int_ge(sodium_init(), 0);
}

static void
teardown(void)
{
    pw_ratelimit_free(rl);
    rl = NULL;
}

START_TEST(burst_then_one_per_interval)
{
    int64_t t = 1000 * SEC;

    rl = pw_ratelimit_new(3, 100); /* 3 a minute: one every 20 s */
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "a", 1, t), 0);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "a", 1, t), 0);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "a", 1, t), 0);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "a", 1, t), 20);
    /* Refusals do not use up the budget. */
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "a", 1, t + 5 * SEC), 15);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "a", 1, t + 19 * SEC + 1), 1);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "a", 1, t + 20 * SEC), 0);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "a", 1, t + 20 * SEC), 20);
    /* Other keys have their own budget. */
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "b", 1, t + 20 * SEC), 0);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "ab", 2, t + 20 * SEC), 0);
}
END_TEST

START_TEST(full_budget_after_a_quiet_minute)
{
    int64_t t = 50 * SEC;

    rl = pw_ratelimit_new(10, 100);
    for (int i = 0; i < 10; i++)
        ck_assert_uint_eq(pw_ratelimit_hit(rl, "k", 1, t), 0);
    ck_assert_uint_ne(pw_ratelimit_hit(rl, "k", 1, t), 0);
    t += 60 * SEC;
    for (int i = 0; i < 10; i++)
        ck_assert_uint_eq(pw_ratelimit_hit(rl, "k", 1, t), 0);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "k", 1, t), 6);
}
END_TEST

START_TEST(one_per_minute)
{
    rl = pw_ratelimit_new(1, 10);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "k", 1, 0), 0);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "k", 1, 0), 60);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "k", 1, 59 * SEC), 1);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "k", 1, 60 * SEC), 0);
}
END_TEST

START_TEST(idle_entries_expire)
{
    char key[8];
    int64_t t = 0;

    rl = pw_ratelimit_new(5, 1000);
    for (int i = 0; i < 500; i++) {
        snprintf(key, sizeof key, "%d", i);
        ck_assert_uint_eq(pw_ratelimit_hit(rl, key, strlen(key), t), 0);
    }
    ck_assert_uint_eq(pw_ratelimit_entries(rl), 500);
    /* A minute later every budget is full again: the next call sweeps them all. */
    t += 61 * SEC;
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "new", 3, t), 0);
    ck_assert_uint_eq(pw_ratelimit_entries(rl), 1);
}
END_TEST

START_TEST(table_is_capped)
{
    char key[8];
    int64_t t = 0;

    rl = pw_ratelimit_new(2, 50);
    for (int i = 0; i < 50; i++) {
        snprintf(key, sizeof key, "%d", i);
        ck_assert_uint_eq(pw_ratelimit_hit(rl, key, strlen(key), t), 0);
    }
    /* Full and nobody idle: a newcomer is refused, the tracked keys keep their budget. */
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "x", 1, t), 30);
    ck_assert_uint_eq(pw_ratelimit_entries(rl), 50);
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "7", 1, t), 0);
    ck_assert_uint_ne(pw_ratelimit_hit(rl, "7", 1, t), 0);
    /* Once budgets refill, a full table makes room by dropping idle entries. */
    t += 31 * SEC;
    ck_assert_uint_eq(pw_ratelimit_hit(rl, "x", 1, t), 0);
    ck_assert_uint_le(pw_ratelimit_entries(rl), 50);
    ck_assert_uint_ge(pw_ratelimit_entries(rl), 1);
}
END_TEST

START_TEST(bad_construction)
{
    ck_assert_ptr_null(pw_ratelimit_new(0, 10));
    ck_assert_ptr_null(pw_ratelimit_new(10, 0));
    pw_ratelimit_free(NULL);
}
END_TEST

START_TEST(address_keys)
{
    struct sockaddr_in a4 = { .sin_family = AF_INET };
    struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 }, b6 = { .sin6_family = AF_INET6 };
    unsigned char k1[PW_RATELIMIT_KEY_MAX], k2[PW_RATELIMIT_KEY_MAX];
    size_t n1, n2;

    inet_pton(AF_INET, "192.0.2.7", &a4.sin_addr);
    inet_pton(AF_INET6, "::ffff:192.0.2.7", &a6.sin6_addr);
    n1 = pw_ratelimit_addr_key(1, (struct sockaddr *) &a4, k1);
    n2 = pw_ratelimit_addr_key(1, (struct sockaddr *) &a6, k2);
    ck_assert_uint_eq(n1, n2); /* IPv4-mapped IPv6 is the same client */
    ck_assert(memcmp(k1, k2, n1) == 0);
    n2 = pw_ratelimit_addr_key(2, (struct sockaddr *) &a4, k2);
    ck_assert(memcmp(k1, k2, n1) != 0); /* scopes differ */

    /* Same /64: one key; another /64: another key. */
    inet_pton(AF_INET6, "2001:db8:1:2::1", &a6.sin6_addr);
    inet_pton(AF_INET6, "2001:db8:1:2:ffff::9", &b6.sin6_addr);
    n1 = pw_ratelimit_addr_key(1, (struct sockaddr *) &a6, k1);
    n2 = pw_ratelimit_addr_key(1, (struct sockaddr *) &b6, k2);
    ck_assert_uint_eq(n1, n2);
    ck_assert(memcmp(k1, k2, n1) == 0);
    inet_pton(AF_INET6, "2001:db8:1:3::1", &b6.sin6_addr);
    pw_ratelimit_addr_key(1, (struct sockaddr *) &b6, k2);
    ck_assert(memcmp(k1, k2, n1) != 0);
    ck_assert_uint_eq(pw_ratelimit_addr_key(1, NULL, k1), 0);
}
END_TEST

static Suite *
ratelimit_suite(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("ratelimit");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, burst_then_one_per_interval);
    tcase_add_test(tc, full_budget_after_a_quiet_minute);
    tcase_add_test(tc, one_per_minute);
    tcase_add_test(tc, idle_entries_expire);
    tcase_add_test(tc, table_is_capped);
    tcase_add_test(tc, bad_construction);
    tcase_add_test(tc, address_keys);
    suite_add_tcase(s, tc);
    return s;
}

PW_CHECK_MAIN(ratelimit_suite)
