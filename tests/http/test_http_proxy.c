/* Behind a reverse proxy (several instances behind nginx), the per-IP login
 * throttle counts the client named by the proxy's X-Forwarded-For, and only when
 * the request comes from the configured server.trusted_proxy: otherwise the
 * header is ignored, so a client cannot pick the address it is throttled under. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "support/harness.h"

#define IP_LIMIT 3

/* A failed or refused login for a new unknown account, sent with X-Forwarded-For: xff. */
static long attempt(client *c, int n, const char *xff)
{
    char body[128], header[96];
    snprintf(body, sizeof body, "{\"username\":\"stranger%d\",\"password\":\"wrong-password\"}", n);
    snprintf(header, sizeof header, "X-Forwarded-For: %s", xff);
    const char *const headers[] = {header, NULL};
    return c_request(c, "POST", "/api/v1/session", "application/json", body, strlen(body), headers)->status;
}

static void test_trusted_proxy_throttles_the_forwarded_client(void **state)
{
    (void)state;
    h_options o = {.login_ip_failures = IP_LIMIT, .trusted_proxy = "127.0.0.1"};
    harness *h = h_start_opts(&o);
    assert_non_null(h);
    client *c = c_new(h);
    for (int i = 0; i < IP_LIMIT; i++) assert_int_equal(attempt(c, i, "10.9.8.7, 203.0.113.5"), 401);
    assert_int_equal(attempt(c, 10, "203.0.113.5"), 429);            /* that client is throttled */
    assert_int_equal(attempt(c, 11, "203.0.113.6"), 401);            /* another one is not */
    assert_int_equal(attempt(c, 12, "garbage, 203.0.113.5"), 429);   /* the last entry is the one the proxy added */
    assert_int_equal(h_query_int(h, "SELECT COUNT(*) FROM login_attempts WHERE key = ?", "ip:127.0.0.1"), 0);
    h_stop(h);
}

static void test_header_ignored_without_trusted_proxy(void **state)
{
    (void)state;
    h_options o = {.login_ip_failures = IP_LIMIT};
    harness *h = h_start_opts(&o);
    assert_non_null(h);
    client *c = c_new(h);
    char xff[32];
    for (int i = 0; i < IP_LIMIT; i++) {                               /* a new address each time: no way out */
        snprintf(xff, sizeof xff, "198.51.100.%d", i + 1);
        assert_int_equal(attempt(c, i, xff), 401);
    }
    assert_int_equal(attempt(c, 10, "198.51.100.99"), 429);
    assert_true(h_query_int(h, "SELECT COUNT(*) FROM login_attempts WHERE key = ?", "ip:127.0.0.1") >= IP_LIMIT);
    h_stop(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trusted_proxy_throttles_the_forwarded_client),
        cmocka_unit_test(test_header_ignored_without_trusted_proxy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
