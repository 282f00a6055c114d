/* Behind a reverse proxy (several instances behind nginx), the per-IP login
 * throttle counts the client named by the proxy's X-Forwarded-For, and only when
 * the request comes from server.trusted_proxies: otherwise the header is ignored,
 * so a client cannot pick the address it is throttled under. With the real nginx
 * and the shipped configuration, two clients are throttled separately. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "support/harness.h"
#include "support/testdb.h"

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
    h_options o = {.login_ip_failures = IP_LIMIT, .trusted_proxies = "127.0.0.1"};
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

/* A failed login for an unknown account sent to nginx on port from 127.0.0.<from>; the status. */
static int login_through(uint16_t port, int from, int n)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET, .sin_port = htons(port)};
    char addr[32], req[512], body[128], resp[256] = "";
    snprintf(addr, sizeof addr, "127.0.0.%d", from);
    inet_pton(AF_INET, addr, &src.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    int status = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&src, sizeof src) == 0 && connect(fd, (struct sockaddr *)&dst, sizeof dst) == 0) {
        int blen = snprintf(body, sizeof body, "{\"username\":\"ai_do_%d\",\"password\":\"wrong-password\"}", n);
        int rlen = snprintf(req, sizeof req, "POST /api/v1/session HTTP/1.1\r\nHost: cchc\r\nContent-Type: application/json\r\n"
                                             "X-Forwarded-For: 198.51.100.77\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", blen, body);
        if (send(fd, req, (size_t)rlen, MSG_NOSIGNAL) == rlen && recv(fd, resp, sizeof resp - 1, MSG_WAITALL) > 12)
            sscanf(resp, "HTTP/1.%*d %d", &status);
    }
    if (fd >= 0) close(fd);
    return status;
}

static void test_behind_nginx_two_clients_throttled_separately(void **state)
{
    (void)state;
    h_options o = {.login_ip_failures = IP_LIMIT, .trusted_proxies = "127.0.0.1, ::1"};
    harness *h = h_start_opts(&o);
    assert_non_null(h);
    char dir[] = "/tmp/cchc-nginx-XXXXXX", out[256];
    assert_non_null(mkdtemp(dir));
    uint16_t port;
    int pid = h_start_nginx(h, dir, &port);
    assert_true(pid > 0);
    /* Each sends a forged X-Forwarded-For too: nginx appends the real address, which counts. */
    for (int i = 0; i < IP_LIMIT; i++) assert_int_equal(login_through(port, 2, i), 401);
    assert_int_equal(login_through(port, 2, 10), 429);               /* 127.0.0.2 is throttled */
    assert_int_equal(login_through(port, 3, 11), 401);               /* 127.0.0.3 is not */
    assert_true(h_query_int(h, "SELECT COUNT(*) FROM login_attempts WHERE key = ?", "ip:127.0.0.2") >= IP_LIMIT);
    assert_int_equal(h_query_int(h, "SELECT COUNT(*) FROM login_attempts WHERE key = ?", "ip:198.51.100.77"), 0);
    h_kill_serve(pid);
    sh_capture(out, sizeof out, "rm -rf %s", dir);
    h_stop(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trusted_proxy_throttles_the_forwarded_client),
        cmocka_unit_test(test_header_ignored_without_trusted_proxy),
        cmocka_unit_test(test_behind_nginx_two_clients_throttled_separately),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
