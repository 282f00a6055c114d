/* Two `cchc serve` processes on one database behave as one system: a session
 * made on one works on the other, CSRF tokens and login throttling hold across
 * them, a write on A is never hidden by a page B cached, a calendar edit on A
 * changes the deadlines B computes, and updates posted concurrently through
 * both get distinct ids with the audit complete. Runs on both engines (on
 * SQLite, two processes on one file; on PostgreSQL, the multi-instance setup). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support/harness.h"

static harness *H;
static int pid_a, pid_b;
static uint16_t port_a, port_b;

static int setup(void **state)
{
    (void)state;
    H = h_start();
    if (!H) return -1;
    pid_a = h_spawn_serve(H, &port_a);
    pid_b = h_spawn_serve(H, &port_b);
    return pid_a > 0 && pid_b > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    h_kill_serve(pid_a);
    h_kill_serve(pid_b);
    h_stop(H);
    return 0;
}

/* A client on instance port, logged in through the API as user; its CSRF token in *csrf. */
static client *login_on(uint16_t port, const char *user, const char **csrf)
{
    client *c = c_new(H);
    c_set_port(c, port);
    *csrf = c_login_api(c, user, H_PASSWORD);
    assert_non_null(*csrf);
    return c;
}

static void test_session_and_csrf_across_instances(void **state)
{
    (void)state;
    const char *csrf;
    client *c = login_on(port_a, H_USER_TTRA, &csrf);
    char token[64];
    snprintf(token, sizeof token, "%s", csrf);
    c_set_port(c, port_b);
    const response *r = c_get(c, "/my");
    assert_int_equal(r->status, 200);                       /* the session made on A */
    assert_true(r_has(r, "Cán bộ Thanh tra"));
    int64_t task = h_task_id(H, "KH2022", "9");             /* led by TTRA */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    int64_t before = h_updates(H, task);
    assert_int_equal(c_post_json(c, "POST", path, "{\"status\":\"in_progress\",\"percent\":20}", "wrong-token")->status, 403);
    assert_int_equal(h_updates(H, task), before);
    assert_int_equal(c_post_json(c, "POST", path, "{\"status\":\"in_progress\",\"percent\":20}", token)->status, 201);
    assert_int_equal(h_updates(H, task), before + 1);
    /* Logging out on B ends the session on A too. */
    assert_int_equal(c_post_json(c, "DELETE", "/api/v1/session", NULL, token)->status, 204);
    c_set_port(c, port_a);
    assert_int_equal(c_get(c, "/my")->status, 303);
    c_free(c);
}

static void test_login_throttle_across_instances(void **state)
{
    (void)state;
    assert_true(h_add_user(H, "throttle_multi", "viewer", NULL) > 0);
    int limit = h_config(H)->login_max_failures;
    client *c = c_new(H);
    for (int i = 0; i < limit; i++) {                        /* failures spread over both instances */
        c_set_port(c, i % 2 ? port_b : port_a);
        assert_null(c_login_api(c, "throttle_multi", "wrong-password-x"));
        assert_int_equal(c_last(c)->status, 401);
    }
    c_set_port(c, port_a);
    assert_null(c_login_api(c, "throttle_multi", H_PASSWORD));
    assert_int_equal(c_last(c)->status, 429);
    c_set_port(c, port_b);
    assert_null(c_login_api(c, "throttle_multi", H_PASSWORD));
    assert_int_equal(c_last(c)->status, 429);
    c_free(c);
}

static bool last_was_hit(client *c)
{
    const char *x = r_header(c_last(c), "X-Cache");
    return x && strcmp(x, "hit") == 0;
}

static void test_write_on_a_is_shown_by_b(void **state)
{
    (void)state;
    const char *csrf;
    client *reader = login_on(port_b, H_USER_TTRA, &csrf);
    int before = r_list_total(c_get(reader, "/my?status=done"));
    assert_true(before >= 0);
    /* B serves it from its cache. On PostgreSQL the cache's generation is the
     * cluster's snapshot, which any commit moves (this session's own activity
     * stamp among them), so a read may miss once: one of three must hit. */
    bool hit = false;
    for (int i = 0; i < 3 && !hit; i++) {
        assert_int_equal(r_list_total(c_get(reader, "/my?status=done")), before);
        hit = last_was_hit(reader);
    }
    assert_true(hit);
    client *writer = login_on(port_a, H_USER_TTRA, &csrf);
    int64_t task = h_task_id(H, "KH2022", "9");
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    assert_int_equal(c_post_json(writer, "POST", path, "{\"status\":\"done\",\"percent\":100}", csrf)->status, 201);
    assert_int_equal(r_list_total(c_get(reader, "/my?status=done")), before + 1);   /* the next request on B */
    assert_false(last_was_hit(reader));
    c_free(reader);
    c_free(writer);
}

/* The due date of "1 working day after from", as instance port computes it. */
static void expect_due_on(uint16_t port, const char *from, const char *expected)
{
    client *anon = c_new(H);
    c_set_port(anon, port);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/calendar/add?from=%s&days=1", from);
    const response *r = c_get(anon, path);
    assert_int_equal(r->status, 200);
    char want[64];
    snprintf(want, sizeof want, "\"due\":\"%s\"", expected);
    if (!r_has(r, want)) fail_msg("instance %u: %s, expected due %s", port, r->body, expected);
    c_free(anon);
}

static void test_calendar_edit_on_a_changes_b(void **state)
{
    (void)state;
    expect_due_on(port_b, "2022-06-24", "2022-06-27");      /* Friday + 1 working day = Monday */
    client *admin = c_new_logged_in(H, H_USER_ADMIN);
    assert_non_null(admin);
    c_set_port(admin, port_a);
    assert_int_equal(c_post_form_csrf(admin, "/admin/calendar/days",
                                      "date=2022-06-25&kind=makeup_workday&name=L%C3%A0m%20b%C3%B9&source=CV%201")->status, 303);
    expect_due_on(port_b, "2022-06-24", "2022-06-25");      /* Saturday is now a working day, on B too */
    assert_int_equal(c_post_form_csrf(admin, "/admin/calendar/days/remove", "date=25%2F06%2F2022")->status, 303);
    expect_due_on(port_b, "2022-06-24", "2022-06-27");
    expect_due_on(port_a, "2022-06-24", "2022-06-27");
    c_free(admin);
}

#define PER_WRITER 12

typedef struct {
    uint16_t port;
    int64_t task;
    int64_t ids[PER_WRITER];
    int ok;
} writer_job;

static void *post_updates(void *arg)
{
    writer_job *j = arg;
    const char *csrf;
    client *c = c_new(H);
    c_set_port(c, j->port);
    csrf = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    char token[64], path[64], body[96];
    snprintf(token, sizeof token, "%s", csrf ? csrf : "");
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)j->task);
    for (int i = 0; i < PER_WRITER && csrf; i++) {
        snprintf(body, sizeof body, "{\"status\":\"in_progress\",\"percent\":%d,\"note\":\"port %u #%d\"}", 10 + i, j->port, i);
        const response *r = c_post_json(c, "POST", path, body, token);
        const char *id = r->status == 201 ? strstr(r->body, "\"update_id\":") : NULL;
        if (!id) continue;
        j->ids[j->ok++] = strtoll(id + 12, NULL, 10);
    }
    c_free(c);
    return NULL;
}

static void test_concurrent_updates_through_both(void **state)
{
    (void)state;
    int64_t task = h_task_id(H, "KH2022", "9");
    int64_t updates = h_updates(H, task), audits = h_audit(H, "task_update");
    writer_job jobs[2] = {{.port = port_a, .task = task}, {.port = port_b, .task = task}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, post_updates, &jobs[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    assert_int_equal(jobs[0].ok, PER_WRITER);
    assert_int_equal(jobs[1].ok, PER_WRITER);
    for (int a = 0; a < 2; a++)                              /* every id distinct, every one stored */
        for (int i = 0; i < PER_WRITER; i++) {
            for (int b = 0; b < 2; b++)
                for (int k = 0; k < PER_WRITER; k++)
                    if (!(a == b && i == k)) assert_true(jobs[a].ids[i] != jobs[b].ids[k]);
            assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM task_updates WHERE id = ?", jobs[a].ids[i]), 1);
        }
    assert_int_equal(h_updates(H, task), updates + 2 * PER_WRITER);
    assert_int_equal(h_audit(H, "task_update"), audits + 2 * PER_WRITER);        /* the audit is complete */
    /* The task shows the last update committed, whichever instance took it. */
    assert_int_equal(h_query_int_i(H, "SELECT percent FROM tasks WHERE id = ?", task),
                     h_query_int_i(H, "SELECT percent FROM task_updates WHERE task_id = ? ORDER BY id DESC LIMIT 1", task));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_and_csrf_across_instances),
        cmocka_unit_test(test_login_throttle_across_instances),
        cmocka_unit_test(test_write_on_a_is_shown_by_b),
        cmocka_unit_test(test_calendar_edit_on_a_changes_b),
        cmocka_unit_test(test_concurrent_updates_through_both),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
