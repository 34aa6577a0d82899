/**
 * @file check_proxies.c
 * @brief PATHWAYS_TRUSTED_PROXIES: parsing the list, and finding the client behind
 *        trusted proxies in X-Forwarded-For (never a spoofed address).
 */
#include "check_main.h"
#include "pathways/proxies.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static struct pw_proxies proxies;

static void
trust(const char *list)
{
    char err[160];

    ck_assert_msg(pw_proxies_parse(list, &proxies, err, sizeof err) == 0,
                  "%s: %s",
                  list != NULL ? list : "(null)",
                  err);
}

/** A socket address from text (IPv4 or IPv6). */
static struct sockaddr_storage
addr(const char *text)
{
    struct sockaddr_storage ss;

    memset(&ss, 0, sizeof ss);
    if (strchr(text, ':') == NULL) {
        struct sockaddr_in *in = (struct sockaddr_in *) (void *) &ss;

        in->sin_family = AF_INET;
        ck_assert_int_eq(inet_pton(AF_INET, text, &in->sin_addr), 1);
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) (void *) &ss;

        in6->sin6_family = AF_INET6;
        ck_assert_int_eq(inet_pton(AF_INET6, text, &in6->sin6_addr), 1);
    }
    return ss;
}

/** The client for @a peer and X-Forwarded-For lines @a xff, as text. */
static const char *
client(const char *peer, const char *const *xff)
{
    static char out[INET6_ADDRSTRLEN];
    struct sockaddr_storage p = addr(peer), c;
    unsigned n = 0;

    while (xff != NULL && xff[n] != NULL)
        n++;
    pw_proxies_client(&proxies, (const struct sockaddr *) &p, xff, n, &c);
    if (c.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *) (void *) &c)->sin_addr, out, sizeof out);
    else
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *) (void *) &c)->sin6_addr, out, sizeof out);
    return out;
}

START_TEST(nobody_trusted_by_default)
{
    static const char *const xff[] = { "203.0.113.7", NULL };

    trust(NULL);
    ck_assert_uint_eq(proxies.n, 0);
    ck_assert_str_eq(client("127.0.0.1", xff), "127.0.0.1");
    trust("");
    ck_assert_str_eq(client("127.0.0.1", xff), "127.0.0.1");
}
END_TEST

START_TEST(the_rightmost_untrusted_address_is_the_client)
{
    static const char *const one[] = { "203.0.113.7", NULL };
    static const char *const spoofed[] = { "198.51.100.1, 203.0.113.7", NULL };
    static const char *const chain[] = { "198.51.100.1, 203.0.113.7, 10.1.2.3", NULL };
    static const char *const all_proxies[] = { "10.0.0.9,10.0.0.8", NULL };
    static const char *const lines[] = { "198.51.100.1", "203.0.113.7 , 10.0.0.5", NULL };
    static const char *const ports[] = { "[2001:db8::1]:4711", NULL };
    static const char *const port4[] = { "203.0.113.7:4711", NULL };
    static const char *const v6[] = { "2001:db8::2", NULL };

    trust("127.0.0.1, 10.0.0.0/8");
    ck_assert_str_eq(client("127.0.0.1", NULL), "127.0.0.1"); /* no header: the proxy */
    ck_assert_str_eq(client("127.0.0.1", one), "203.0.113.7");
    ck_assert_str_eq(client("127.0.0.1", spoofed), "203.0.113.7");
    ck_assert_str_eq(client("10.9.9.9", chain), "203.0.113.7");
    ck_assert_str_eq(client("127.0.0.1", all_proxies), "10.0.0.9");
    ck_assert_str_eq(client("127.0.0.1", lines), "203.0.113.7");
    ck_assert_str_eq(client("127.0.0.1", ports), "2001:db8::1");
    ck_assert_str_eq(client("127.0.0.1", port4), "203.0.113.7");
    ck_assert_str_eq(client("127.0.0.1", v6), "2001:db8::2");
    /* An untrusted peer's header is the client's own claim: ignored. */
    ck_assert_str_eq(client("192.0.2.1", one), "192.0.2.1");
    /* IPv4-mapped IPv6 peers count as IPv4. */
    ck_assert_str_eq(client("::ffff:127.0.0.1", one), "203.0.113.7");
}
END_TEST

START_TEST(a_broken_entry_stops_the_walk)
{
    static const char *const garbage_last[] = { "203.0.113.7, nonsense", NULL };
    static const char *const garbage_first[] = { "nonsense, 203.0.113.7", NULL };
    static const char *const empty[] = { "", NULL };
    static const char *const trailing[] = { "203.0.113.7,", NULL };
    static const char *const via_proxy[] = { "nonsense, 10.0.0.7", NULL };
    static const char *const odd[] = { "[203.0.113.7]", "1.2.3.4:", "[2001:db8::1", NULL };

    trust("127.0.0.1, 10.0.0.0/8");
    ck_assert_str_eq(client("127.0.0.1", garbage_last), "127.0.0.1");
    ck_assert_str_eq(client("127.0.0.1", garbage_first), "203.0.113.7");
    ck_assert_str_eq(client("127.0.0.1", empty), "127.0.0.1");
    ck_assert_str_eq(client("127.0.0.1", trailing), "127.0.0.1");
    ck_assert_str_eq(client("127.0.0.1", via_proxy), "10.0.0.7");
    for (unsigned i = 0; odd[i] != NULL; i++) {
        const char *const one[] = { odd[i], NULL };

        ck_assert_msg(strcmp(client("127.0.0.1", one), "127.0.0.1") == 0, "%s", odd[i]);
    }
}
END_TEST

START_TEST(networks_match_by_prefix)
{
    struct sockaddr_storage a;

    trust("10.1.2.3/8, 192.168.1.0/25, 2001:db8::/32, 198.51.100.9");
    ck_assert_uint_eq(proxies.n, 4);
    a = addr("10.255.0.1");
    ck_assert(pw_proxies_trust(&proxies, (struct sockaddr *) &a)); /* host bits ignored */
    a = addr("11.0.0.1");
    ck_assert(!pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    a = addr("192.168.1.127");
    ck_assert(pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    a = addr("192.168.1.128");
    ck_assert(!pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    a = addr("2001:db8:ffff::1");
    ck_assert(pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    a = addr("2001:db9::1");
    ck_assert(!pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    a = addr("198.51.100.9");
    ck_assert(pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    a = addr("198.51.100.8");
    ck_assert(!pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    a = addr("::ffff:10.0.0.1");
    ck_assert(pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    ck_assert(!pw_proxies_trust(&proxies, NULL));
    trust("0.0.0.0/0"); /* everyone, as a deliberate choice */
    a = addr("8.8.8.8");
    ck_assert(pw_proxies_trust(&proxies, (struct sockaddr *) &a));
    a = addr("2001:db8::1");
    ck_assert(!pw_proxies_trust(&proxies, (struct sockaddr *) &a));
}
END_TEST

START_TEST(bad_lists_are_refused)
{
    static const char *const bad[] = {
        "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/",          "10.0.0.0/x",
        "10.0.0",      "localhost",      "10.0.0.1,,10.0.0.2", " ",
        "/8",          "10.0.0.1/8/8",   "1.2.3.4:80",         "nginx",
    };
    char err[160];
    char many[1024] = "";

    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_msg(pw_proxies_parse(bad[i], &proxies, err, sizeof err) == -1, "%s", bad[i]);
        ck_assert_msg(strstr(err, "PATHWAYS_TRUSTED_PROXIES") != NULL, "%s: %s", bad[i], err);
    }
    for (int i = 0; i < PW_PROXIES_MAX + 1; i++)
        strcat(many, "10.0.0.1,");
    ck_assert_int_eq(pw_proxies_parse(many, &proxies, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "more than"));
    trust("10.0.0.1,"); /* a trailing comma is fine */
    ck_assert_uint_eq(proxies.n, 1);
}
END_TEST

static Suite *
proxies_suite(void)
{
    Suite *s = suite_create("proxies");
    TCase *tc = tcase_create("proxies");

    tcase_add_test(tc, nobody_trusted_by_default);
    tcase_add_test(tc, the_rightmost_untrusted_address_is_the_client);
    tcase_add_test(tc, a_broken_entry_stops_the_walk);
    tcase_add_test(tc, networks_match_by_prefix);
    tcase_add_test(tc, bad_lists_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

PW_CHECK_MAIN(proxies_suite)
