/**
 * @file check_tls.c
 * @brief HTTPS: TLS_CERT / TLS_KEY switch the server to TLS. The test makes a
 *        self-signed certificate for 127.0.0.1 with openssl and talks HTTPS
 *        to the server, verifying the certificate.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/pathways-tls-XXXXXX";
static char cert[600], key[600];

static void
setup(void)
{
    char cmd[2048];
    static char env_cert[700], env_key[700];
    const char *env[] = { env_cert, env_key, NULL };

    if (system("command -v openssl >/dev/null 2>&1") != 0) {
        fprintf(stderr, "openssl is not installed; skipping (scripts/test installs it)\n");
        exit(77);
    }
    if (mkdtemp(dir) == NULL)
        exit(1);
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(cmd,
             sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
             "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost "
             "-keyout %s -out %s 2>/dev/null",
             key,
             cert);
    if (system(cmd) != 0) {
        fprintf(stderr, "openssl could not make a certificate\n");
        exit(1);
    }
    snprintf(env_cert, sizeof env_cert, "TLS_CERT=%s", cert);
    snprintf(env_key, sizeof env_key, "TLS_KEY=%s", key);
    pw_it_use_tls(cert);
    pw_it_start(env);
}

static void
teardown(void)
{
    ck_assert_int_eq(pw_it_stop(), 0);
    pw_it_use_tls(NULL);
    unlink(cert);
    unlink(key);
    rmdir(dir);
}

START_TEST(serves_https_with_a_verified_certificate)
{
    struct pw_resp r = pw_http("GET", "/v1/skills/postgresql", NULL, NULL);

    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")), "PostgreSQL");
    pw_resp_free(&r);
    ck_assert_int_eq(pw_status("GET", "/healthz", NULL, NULL), 200);
    pw_expect_problem("GET", "/v1/nothing", NULL, NULL, 404);
}
END_TEST

START_TEST(plain_http_gets_no_answer)
{
    char reply[1024];
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    /* Plain HTTP bytes on the TLS port: no HTTP status comes back. */
    ck_assert_int_eq(pw_http_raw(req, sizeof req - 1, reply, sizeof reply), -1);
}
END_TEST

static Suite *
tls_suite(void)
{
    Suite *s = suite_create("tls");
    TCase *tc = tcase_create("tls");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, serves_https_with_a_verified_certificate);
    tcase_add_test(tc, plain_http_gets_no_answer);
    suite_add_tcase(s, tc);
    return s;
}

PW_IT_MAIN(tls_suite)
