/* HTTP tests of the server itself: the epoll-stall regression (256 keep-alive
 * connections ready at once must all be answered within a second), request
 * bodies over a route's limit refused before they are read, the route table's
 * invariants and the OpenAPI description generated from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "support/harness.h"
#include "web/router.h"
#include "web/api/api_op.h"

static harness *H, *ONE;

static int setup(void **state)
{
    (void)state;
    H = h_start();
    return H ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    h_stop(ONE);       /* left running by a failed test */
    h_stop(H);
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A non-blocking TCP connection to the test server (connect in progress). */
static int open_conn(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    assert_true(rc == 0 || errno == EINPROGRESS);
    return fd;
}

/* Sends all of s on a non-blocking socket, waiting with poll when needed. */
static void send_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            assert_true(poll(&p, 1, 10000) == 1);
            continue;
        }
        assert_true(w > 0);
        s += w;
        n -= (size_t)w;
    }
}

/* A response read so far from one connection. */
typedef struct {
    char buf[4096];
    size_t len;
    bool done;
    int status;
} pending;

/* True when p holds one complete response (headers and Content-Length body). */
static bool response_complete(pending *p)
{
    p->buf[p->len < sizeof p->buf ? p->len : sizeof p->buf - 1] = '\0';
    const char *end = strstr(p->buf, "\r\n\r\n");
    if (!end) return false;
    const char *cl = strcasestr(p->buf, "\r\nContent-Length:");
    size_t body = cl && cl < end ? (size_t)strtoul(cl + 17, NULL, 10) : 0;
    if (p->len < (size_t)(end + 4 - p->buf) + body) return false;
    p->status = atoi(p->buf + 9);
    return true;
}

#define NCONN 256

/* One round: every connection sends GET /healthz at once; returns the seconds
 * until the last complete answer (or fails after 5 s). */
static double healthz_round(int *fds, pending *st)
{
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
    for (int i = 0; i < NCONN; i++) st[i] = (pending){.len = 0};
    double t0 = now_s();
    for (int i = 0; i < NCONN; i++) send_all(fds[i], req, sizeof req - 1);
    int done = 0;
    static struct pollfd pfd[NCONN];
    while (done < NCONN) {
        int n = 0;
        int map[NCONN];
        for (int i = 0; i < NCONN; i++)
            if (!st[i].done) { pfd[n] = (struct pollfd){.fd = fds[i], .events = POLLIN}; map[n++] = i; }
        int rc = poll(pfd, (nfds_t)n, 100);
        assert_true(rc >= 0);
        if (now_s() - t0 > 5) fail_msg("only %d of %d connections answered after 5 s", done, NCONN);
        for (int k = 0; k < n; k++) {
            if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            pending *p = &st[map[k]];
            ssize_t r = recv(pfd[k].fd, p->buf + p->len, sizeof p->buf - 1 - p->len, 0);
            if (r <= 0) fail_msg("connection %d closed before its answer (%zd)", map[k], r);
            p->len += (size_t)r;
            if (response_complete(p)) {
                p->done = true;
                done++;
            }
        }
    }
    double elapsed = now_s() - t0;
    for (int i = 0; i < NCONN; i++) {
        assert_int_equal(st[i].status, 200);
        assert_non_null(strstr(st[i].buf, "\"status\":\"ok\""));
    }
    return elapsed;
}

/* Opens 256 connections to the server of h, then runs two rounds: fresh
 * connections, then the same ones kept alive. Each must be answered in full
 * within one second. */
static void run_256(harness *h, const char *what)
{
    static int fds[NCONN];
    static pending st[NCONN];
    for (int i = 0; i < NCONN; i++) fds[i] = open_conn(h_port(h));
    /* Wait until every connection is established. */
    for (int i = 0; i < NCONN; i++) {
        struct pollfd p = {.fd = fds[i], .events = POLLOUT};
        assert_int_equal(poll(&p, 1, 10000), 1);
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len);
        assert_int_equal(err, 0);
    }
    double first = healthz_round(fds, st);
    double second = healthz_round(fds, st);
    for (int i = 0; i < NCONN; i++) close(fds[i]);
    fprintf(stderr, "%s: 256 connections answered in %.3f s, again kept alive in %.3f s\n", what, first, second);
    if (first > 1.0) fail_msg("%s: 256 simultaneous requests took %.3f s (limit 1 s)", what, first);
    if (second > 1.0) fail_msg("%s: 256 simultaneous keep-alive requests took %.3f s (limit 1 s)", what, second);
}

/* The exact stall: one worker with 256 = 2·128 connections ready at once
 * (MHD 0.9.75 in epoll mode answers none of them). */
static void test_256_connections_one_worker(void **state)
{
    (void)state;
    h_options o = {.threads = 1};
    harness *one = ONE = h_start_opts(&o);
    assert_non_null(one);
    run_256(one, "one worker");
    h_stop(one);
    ONE = NULL;
}

/* The same with the default thread pool, as in production. */
static void test_256_connections_default_pool(void **state)
{
    (void)state;
    run_256(H, "default pool");
}

/* Sends raw bytes on a new connection and reads the status line of the answer
 * (waiting at most 5 s). Returns the status, 0 if the server sent nothing. */
static int raw_status(const char *head, const char *body, size_t body_len, char *resp, size_t resp_n)
{
    int fd = open_conn(h_port(H));
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    assert_int_equal(poll(&p, 1, 10000), 1);
    send_all(fd, head, strlen(head));
    if (body_len) send_all(fd, body, body_len);
    size_t len = 0;
    double t0 = now_s();
    while (len < resp_n - 1 && now_s() - t0 < 5) {
        p = (struct pollfd){.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 200) <= 0) continue;
        ssize_t r = recv(fd, resp + len, resp_n - 1 - len, 0);
        if (r <= 0) break;
        len += (size_t)r;
        resp[len] = '\0';
        if (strstr(resp, "\r\n\r\n")) break;
    }
    resp[len] = '\0';
    close(fd);
    return len > 12 && strncmp(resp, "HTTP/1.", 7) == 0 ? atoi(resp + 9) : 0;
}

static void test_body_over_limit_413_unread(void **state)
{
    (void)state;
    char head[512], resp[2048];
    /* A form route (limit max_form) announcing 100 MB: answered without sending the body. */
    snprintf(head, sizeof head, "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "Content-Length: 100000000\r\n\r\n");
    assert_int_equal(raw_status(head, "{\"username\":", 12, resp, sizeof resp), 413);
    assert_non_null(strcasestr(resp, "application/json"));
    /* An upload route (limit max_upload, 20 MiB) announcing more. */
    int64_t task = h_task_id(H, "KH2022", "8");
    snprintf(head, sizeof head, "POST /tasks/%lld/updates HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %zu\r\n\r\n",
             (long long)task, h_config(H)->max_upload + 1);
    assert_int_equal(raw_status(head, "--x\r\n", 5, resp, sizeof resp), 413);
    /* A chunked body (no length announced) that grows past the limit. */
    size_t limit = h_config(H)->max_form;
    size_t n = limit + 4096;
    char *body = malloc(n + 64);
    int hl = snprintf(body, 64, "%zx\r\n", n);
    memset(body + hl, 'a', n);
    memcpy(body + hl + n, "\r\n0\r\n\r\n", 7);
    snprintf(head, sizeof head, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n");
    assert_int_equal(raw_status(head, body, (size_t)hl + n + 7, resp, sizeof resp), 413);
    free(body);
    /* The same through the client, with the session API, to see nothing was done. */
    client *c = c_new(H);
    int64_t before = h_query_int(H, "SELECT COUNT(*) FROM audit", NULL);
    size_t big = limit + 1;
    char *json = malloc(big + 1);
    memset(json, ' ', big);
    json[big] = '\0';
    memcpy(json, "{\"username\":\"admin\",\"password\":\"x\"}", 35);
    const response *r = c_post_json(c, "POST", "/api/v1/session", json, NULL);
    free(json);
    assert_int_equal(r->status, 413);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM audit", NULL), before);
    /* The server is fine afterwards. */
    assert_int_equal(c_get(c, "/healthz")->status, 200);
    c_free(c);
}

/* ---------- the route table ---------- */

static bool method_known(const char *m)
{
    return !strcmp(m, "GET") || !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH") || !strcmp(m, "DELETE");
}

static void test_route_table_invariants(void **state)
{
    (void)state;
    assert_true(ROUTES_COUNT > 20);
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        if (!method_known(rt->method)) fail_msg("route %zu: method %s", i, rt->method);
        if (rt->pattern[0] != '/') fail_msg("%s %s: pattern must start with /", rt->method, rt->pattern);
        if (!rt->fn) fail_msg("%s %s: no handler", rt->method, rt->pattern);
        if ((int)rt->cap < 0 || rt->cap >= CAP__COUNT)
            fail_msg("%s %s: capability %d out of range", rt->method, rt->pattern, (int)rt->cap);
        if (!capability_id(rt->cap)[0]) fail_msg("%s %s: capability without a name", rt->method, rt->pattern);
        bool safe = !strcmp(rt->method, "GET");
        if (!safe && rt->csrf == CSRF_NONE) fail_msg("%s %s changes state without a CSRF rule", rt->method, rt->pattern);
        if (safe && rt->csrf != CSRF_NONE) fail_msg("%s %s: a GET with a CSRF rule", rt->method, rt->pattern);
        if (rt->csrf == CSRF_LOGIN && rt->cap != CAP_PUBLIC)
            fail_msg("%s %s: login CSRF on a route that needs a session", rt->method, rt->pattern);
        if (safe && rt->body != BODY_DEFAULT) fail_msg("%s %s: a GET with an upload body", rt->method, rt->pattern);
        if (!rt->summary || !rt->summary[0]) fail_msg("%s %s: no summary", rt->method, rt->pattern);
        if (rt->kind == KIND_JSON && strncmp(rt->pattern, "/api/", 5) != 0 && strcmp(rt->pattern, "/healthz") != 0)
            fail_msg("%s %s: JSON route outside /api/", rt->method, rt->pattern);
        if (strncmp(rt->pattern, "/api/", 5) == 0 && rt->kind != KIND_JSON)
            fail_msg("%s %s: HTML route under /api/", rt->method, rt->pattern);
        /* Admin pages need the admin capability. */
        if (strncmp(rt->pattern, "/admin", 6) == 0 && rt->cap != CAP_ADMIN)
            fail_msg("%s %s: admin page without CAP_ADMIN", rt->method, rt->pattern);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(ROUTES[k].method, rt->method) && !strcmp(ROUTES[k].pattern, rt->pattern))
                fail_msg("%s %s listed twice", rt->method, rt->pattern);
        /* Every route is reachable: a concrete path built from its pattern matches it, not another. */
        char path[256];
        size_t o = 0;
        for (const char *p = rt->pattern; *p && o < sizeof path - 8; p++) {
            if (*p == '{') { const char *e = strchr(p, '}'); assert_non_null(e); o += (size_t)snprintf(path + o, sizeof path - o, "7"); p = e; }
            else path[o++] = *p;
        }
        path[o] = '\0';
        req r;
        memset(&r, 0, sizeof r);
        bool known = false;
        const route *m = router_match(rt->method, path, &r, &known);
        req_free(&r);
        if (m != rt) fail_msg("%s %s: the path %s is matched by %s %s", rt->method, rt->pattern, path,
                              m ? m->method : "-", m ? m->pattern : "nothing");
    }
    /* Capabilities line up with the roles as documented in model.h. */
    assert_true(role_has(ROLE_NONE, CAP_PUBLIC));
    assert_false(role_has(ROLE_NONE, CAP_LOGGED_IN));
    assert_false(role_has(ROLE_VIEWER, CAP_UPDATE_TASK));
    assert_false(role_has(ROLE_LEADER, CAP_UPDATE_TASK));
    assert_true(role_has(ROLE_LEADER, CAP_APPROVE_REPORT));
    assert_false(role_has(ROLE_UNIT, CAP_APPROVE_REPORT));
    assert_false(role_has(ROLE_OFFICE, CAP_ADMIN));
    assert_false(role_has(ROLE_ADMIN, CAP__COUNT));
}

/* The document lists every JSON route (kind J, with its declared api_op) and
 * no HTML route: operationId, tags, security, x-capability and each declared
 * parameter, the pattern's path parameters among them. */
static void test_openapi_lists_every_route(void **state)
{
    (void)state;
    client *c = c_new(H);
    const response *r = c_get(c, "/api/v1/openapi.json");
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(r_header(r, "Content-Type"), "application/json"));
    json_t *doc = r_json(r);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_t *paths = json_object_get(doc, "paths");
    assert_true(json_is_object(paths));
    size_t ops = 0;
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        json_t *item = json_object_get(paths, rt->pattern);
        char m[16];
        size_t n = strlen(rt->method);
        for (size_t k = 0; k <= n; k++) m[k] = (char)(rt->method[k] >= 'A' && rt->method[k] <= 'Z' ? rt->method[k] + 32 : rt->method[k]);
        json_t *op = json_object_get(item, m);
        if (rt->kind == KIND_HTML) {
            if (op) fail_msg("openapi.json lists the HTML route %s %s", rt->method, rt->pattern);
            continue;
        }
        if (!rt->op) fail_msg("the JSON route %s %s declares no api_op", rt->method, rt->pattern);
        if (!op) fail_msg("openapi.json lacks %s %s", rt->method, rt->pattern);
        const char *cap = json_string_value(json_object_get(op, "x-capability"));
        if (!cap || strcmp(cap, capability_id(rt->cap))) fail_msg("%s %s: x-capability %s", rt->method, rt->pattern, cap ? cap : "(none)");
        assert_string_equal(json_string_value(json_object_get(op, "operationId")), rt->op->id);
        json_t *security = json_object_get(op, "security");
        assert_true(json_is_array(security));
        assert_int_equal(json_array_size(security) == 0, rt->cap == CAP_PUBLIC);
        /* Every {param} of the pattern is declared as a path parameter, in order. */
        size_t nparams = 0, declared = 0;
        for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
            const char *e = strchr(p, '}');
            json_t *prm = json_array_get(json_object_get(op, "parameters"), nparams);
            if (!prm || strncmp(json_string_value(json_object_get(prm, "name")), p + 1, (size_t)(e - p - 1)) ||
                strcmp(json_string_value(json_object_get(prm, "in")), "path"))
                fail_msg("%s %s: path parameter %zu is not declared first", rt->method, rt->pattern, nparams);
            nparams++;
        }
        for (size_t k = 0; k < rt->op->nparams; k++) declared += rt->op->params[k].in == PARAM_PATH;
        if (declared != nparams) fail_msg("%s %s: %zu path parameters declared, %zu in the pattern", rt->method, rt->pattern, declared, nparams);
        ops++;
    }
    /* And nothing that is not a route. */
    size_t listed = 0;
    const char *key;
    json_t *item;
    json_object_foreach(paths, key, item) listed += json_object_size(item);
    assert_int_equal(listed, ops);
    json_decref(doc);
    c_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_table_invariants),
        cmocka_unit_test(test_256_connections_one_worker),
        cmocka_unit_test(test_256_connections_default_pool),
        cmocka_unit_test(test_body_over_limit_413_unread),
        cmocka_unit_test(test_openapi_lists_every_route),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
