/* Slow clients: 1,000 connections that send half a request and then trickle a
 * byte now and then, from four loopback addresses, do not keep cchc from
 * answering a fifth address, alone or behind nginx with the shipped
 * configuration (deploy/nginx/). One address cannot hold more than its share
 * (limits.per_ip_connections). Loopback only; each wait is bounded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support/harness.h"
#include "support/testdb.h"

#define SLOW 1000
#define ANSWER_WITHIN_S 3          /* a bound on the wait, not a speed goal */

static harness *H;
static int slow[SLOW + 300];
static int nslow;

static int setup(void **state)
{
    (void)state;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max < 8192 ? rl.rlim_max : 8192;          /* the test's sockets and the server's */
    setrlimit(RLIMIT_NOFILE, &rl);
    H = h_start();
    return H ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    h_stop(H);
    return 0;
}

/* A TCP connection from 127.0.0.<from> to 127.0.0.1:port; -1 on failure. */
static int connect_from(int from, uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET, .sin_port = htons(port)};
    char addr[32];
    snprintf(addr, sizeof addr, "127.0.0.%d", from);
    inet_pton(AF_INET, addr, &src.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    struct timeval tv = {ANSWER_WITHIN_S, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0 || connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Opens n slow clients from 127.0.0.first .. first+addresses-1: half a request each. */
static void open_slow(uint16_t port, int n, int first, int addresses)
{
    static const char half[] = "GET /healthz HTTP/1.1\r\nHost: cchc\r\nX-Slow: ";
    for (int i = 0; i < n; i++) {
        int fd = connect_from(first + i % addresses, port);
        assert_true(fd >= 0);
        assert_int_equal(send(fd, half, sizeof half - 1, MSG_NOSIGNAL), (ssize_t)(sizeof half - 1));
        slow[nslow++] = fd;
    }
}

/* One more byte on every slow client: activity, never a complete request. */
static void trickle(void)
{
    for (int i = 0; i < nslow; i++) send(slow[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void close_slow(void)
{
    for (int i = 0; i < nslow; i++) close(slow[i]);
    nslow = 0;
}

/* The status of GET /healthz from 127.0.0.<from>, or 0 when no answer came within the bound. */
static int get_status(int from, uint16_t port)
{
    int fd = connect_from(from, port);
    if (fd < 0) return 0;
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: cchc\r\nConnection: close\r\n\r\n";
    char buf[256] = "";
    int status = 0;
    if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof req - 1)) {
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        if (n > 12) { buf[n] = '\0'; sscanf(buf, "HTTP/1.%*d %d", &status); }
    }
    close(fd);
    return status;
}

static void test_cchc_alone_answers_under_slow_clients(void **state)
{
    (void)state;
    open_slow(h_port(H), SLOW, 2, 4);
    trickle();
    for (int round = 0; round < 3; round++) {
        assert_int_equal(get_status(6, h_port(H)), 200);
        trickle();
    }
    close_slow();
}

static void test_one_address_holds_at_most_its_share(void **state)
{
    (void)state;
    int share = h_config(H)->per_ip_connections;
    open_slow(h_port(H), share, 7, 1);
    for (int i = 0; i < 16 && nslow < (int)(sizeof slow / sizeof slow[0]); i++) {   /* a few over the share: */
        int fd = connect_from(7, h_port(H));                    /* refused or not, the share is full */
        if (fd >= 0) { send(fd, "GET /", 5, MSG_NOSIGNAL); slow[nslow++] = fd; }
    }
    int refused = -1;                                           /* once the server has taken them all in, */
    for (int i = 0; i < 50 && (refused = get_status(7, h_port(H))) != 0; i++) { trickle(); usleep(100000); }
    assert_int_equal(refused, 0);                               /* one more from that address: refused */
    assert_int_equal(get_status(8, h_port(H)), 200);           /* others are served */
    close_slow();
    int st = 0;                                                 /* and it may come back, once the server */
    for (int i = 0; i < 40 && (st = get_status(7, h_port(H))) != 200; i++) usleep(50000);   /* saw the closes */
    assert_int_equal(st, 200);
}

static void test_behind_nginx_answers_under_slow_clients(void **state)
{
    (void)state;
    char dir[] = "/tmp/cchc-nginx-XXXXXX", out[256];
    assert_non_null(mkdtemp(dir));
    uint16_t port;
    int pid = h_start_nginx(H, dir, &port);
    assert_true(pid > 0);
    for (int i = 0; i < 50 && get_status(9, port) != 200; i++) usleep(100000);
    assert_int_equal(get_status(9, port), 200);
    open_slow(port, SLOW, 2, 4);
    trickle();
    for (int round = 0; round < 3; round++) {
        assert_int_equal(get_status(6, port), 200);
        trickle();
    }
    close_slow();
    h_kill_serve(pid);
    sh_capture(out, sizeof out, "rm -rf %s", dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cchc_alone_answers_under_slow_clients),
        cmocka_unit_test(test_one_address_holds_at_most_its_share),
        cmocka_unit_test(test_behind_nginx_answers_under_slow_clients),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
