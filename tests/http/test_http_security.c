/* Security rules found in review: no open redirect after login, no buffering of
 * uploads from callers who may not make them, group members contribute but
 * never set a group task's status, the Office cannot approve reports, a
 * password change ends the user's other sessions, and a reporting period lies
 * within its plan's years. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "support/harness.h"

static harness *H;

static int setup(void **state) { (void)state; H = h_start(); return H ? 0 : -1; }
static int teardown(void **state) { (void)state; h_stop(H); return 0; }

static void login_with_next(const char *next_encoded, const char *expected_location)
{
    client *c = c_new(H);
    c_learn_csrf(c, c_get(c, "/login"));
    char form[256];
    snprintf(form, sizeof form, "username=%s&password=%s&next=%s", H_USER_VIEWER, H_PASSWORD, next_encoded);
    const response *r = c_post_form_csrf(c, "/login", form);
    assert_int_equal(r->status, 303);
    const char *loc = r_header(r, "Location");
    assert_non_null(loc);
    if (strcmp(loc, expected_location) != 0) fail_msg("next=%s redirected to '%s'", next_encoded, loc);
    c_free(c);
}

static void test_no_open_redirect_after_login(void **state)
{
    (void)state;
    login_with_next("%2Ftasks%3Fplan%3D1", "/tasks?plan=1");         /* a local page is kept */
    login_with_next("%2F%09%2Fevil.example", "/");                   /* "/\t/evil" would become "//evil" */
    login_with_next("%2F%2Fevil.example", "/");
    login_with_next("%2F%5Cevil.example", "/");
    login_with_next("https%3A%2F%2Fevil.example", "/");
}

/* Opens a raw connection, sends head only and returns the status line's code. */
static int status_without_body(const char *head)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(h_port(H))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(send(fd, head, strlen(head), 0), (ssize_t)strlen(head));
    char buf[512] = "";
    size_t len = 0;
    for (int tries = 0; tries < 25 && len < 12; tries++) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 200) <= 0) continue;
        ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (n <= 0) break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return len > 12 ? atoi(buf + 9) : 0;
}

static void test_anonymous_upload_refused_before_body(void **state)
{
    (void)state;
    int64_t task = h_task_id(H, "KH2022", "9");
    char head[512];
    snprintf(head, sizeof head, "POST /api/v1/tasks/%lld/updates HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 10000000\r\n\r\n",
             (long long)task);
    /* Answered without the 10 MB body ever being sent. */
    assert_int_equal(status_without_body(head), 401);
    snprintf(head, sizeof head, "POST /tasks/%lld/updates HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: cchc_session=%s\r\n"
                                "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 10000000\r\n\r\n",
             (long long)task, "forged-forged-forged-forged-forged-forged-f");
    int st = status_without_body(head);
    assert_true(st == 303 || st == 401);                            /* a forged cookie is anonymous too */
}

static void test_group_member_contributes_only(void **state)
{
    (void)state;
    /* A task led by the group "Các phòng Sở": TCCB is a member, not the lead. */
    int64_t task = h_query_int(H, "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id "
                                  "WHERE u.code = ? ORDER BY t.id LIMIT 1", "G_PHONG_SO");
    assert_true(task > 0);
    int64_t before = h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE id = ? AND status = 'done'", task);
    assert_int_equal(before, 0);
    client *c = c_new(H);
    const char *csrf = c_login_api(c, H_USER_TCCB, H_PASSWORD);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    const response *r = c_post_json(c, "POST", path, "{\"status\":\"done\",\"percent\":100,\"note\":\"TCCB xong phần mình\"}", csrf);
    assert_int_equal(r->status, 201);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE id = ? AND status = 'done'", task), 0);
    assert_int_equal(h_query_int_i(H, "SELECT is_lead FROM task_updates WHERE task_id = ? ORDER BY id DESC LIMIT 1", task), 0);
    c_free(c);
}

static void test_password_change_ends_other_sessions(void **state)
{
    (void)state;
    h_add_user(H, "doi_mk", "viewer", NULL);
    client *a = c_new(H), *b = c_new(H);
    assert_int_equal(c_login_html(a, "doi_mk", H_PASSWORD), 303);
    assert_int_equal(c_login_html(b, "doi_mk", H_PASSWORD), 303);
    assert_int_equal(c_get(b, "/profile")->status, 200);
    const response *r = c_post_form_csrf(a, "/profile/password", "current=Mat-khau-thu-2022&password=Mat-khau-moi-2026");
    assert_int_equal(r->status, 303);
    assert_int_equal(c_get(a, "/profile")->status, 200);        /* the session that changed it stays */
    assert_int_equal(c_get(b, "/profile")->status, 303);        /* the other one is ended */
    c_free(a);
    c_free(b);
}

static void test_period_year_within_plan(void **state)
{
    (void)state;
    client *c = c_new(H);
    assert_int_equal(c_login_html(c, H_USER_OFFICE, H_PASSWORD), 303);
    char form[96];
    snprintf(form, sizeof form, "plan=%lld&kind=q1&year=2022", (long long)h_plan_id(H, "KH2026_2030"));
    const response *r = c_post_form_csrf(c, "/reports", form);
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "year"));
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM report_periods WHERE year = 2022 AND kind = ?", "q1"), 0);
    snprintf(form, sizeof form, "plan=%lld&kind=q1&year=2027", (long long)h_plan_id(H, "KH2026_2030"));
    assert_int_equal(c_post_form_csrf(c, "/reports", form)->status, 303);
    c_free(c);
}

static void test_nul_bytes_never_cut_input(void **state)
{
    (void)state;
    client *anon = c_new(H);
    /* "%00" is not decoded in paths: no route matches (404), not /tasks. */
    assert_int_equal(c_get(anon, "/tasks%00/x")->status, 404);
    c_free(anon);
    client *c = c_new(H);
    const char *csrf = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    assert_non_null(csrf);
    int64_t task = h_task_id(H, "KH2022", "9");
    int64_t before = h_updates(H, task);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    /* a text part carrying a NUL byte is refused, and nothing is stored */
    static const char body[] = "--B\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nin_progress\r\n"
                               "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nab\0cd\r\n--B--\r\n";
    char header[96];
    snprintf(header, sizeof header, "X-CSRF-Token: %s", csrf);
    const char *const headers[] = {header, NULL};
    const response *r = c_request(c, "POST", path, "multipart/form-data; boundary=B", body, sizeof body - 1, headers);
    assert_int_equal(r->status, 400);
    assert_int_equal(h_updates(H, task), before);
    c_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_open_redirect_after_login),
        cmocka_unit_test(test_anonymous_upload_refused_before_body),
        cmocka_unit_test(test_group_member_contributes_only),
        cmocka_unit_test(test_password_change_ends_other_sessions),
        cmocka_unit_test(test_period_year_within_plan),
        cmocka_unit_test(test_nul_bytes_never_cut_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
