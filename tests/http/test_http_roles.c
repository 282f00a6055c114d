/* HTTP tests: what each role may do. A table of representative routes × roles
 * (anonymous, admin, office, leader, unit officer, viewer), then the unit
 * officer's own-task rule with its audit trail, and report approval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/harness.h"

enum { R_ANON, R_ADMIN, R_OFFICE, R_LEADER, R_UNIT, R_VIEWER, R__N };
static const char *const ROLE_NAMES[R__N] = {"anonymous", "admin", "office", "leader", "unit(TTRA)", "viewer"};
static const char *const ROLE_USERS[R__N] = {NULL, H_USER_ADMIN, H_USER_OFFICE, H_USER_LEADER, H_USER_TTRA, H_USER_VIEWER};

static harness *H;
static client *C[R__N];
static int64_t TTRA_TASK;   /* led by TTRA */
static int64_t PLAN2022;

static int setup(void **state)
{
    (void)state;
    H = h_start();
    if (!H) return -1;
    for (int i = 0; i < R__N; i++) {
        C[i] = c_new(H);
        if (ROLE_USERS[i] && c_login_html(C[i], ROLE_USERS[i], H_PASSWORD) != 303) {
            fprintf(stderr, "cannot log in as %s\n", ROLE_USERS[i]);
            return -1;
        }
    }
    TTRA_TASK = h_task_id(H, "KH2022", "8");
    PLAN2022 = h_plan_id(H, "KH2022");
    return TTRA_TASK > 0 && PLAN2022 > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < R__N; i++) c_free(C[i]);
    h_stop(H);
    return 0;
}

/* Expected outcomes: an HTTP status, or OK = allowed (the handler ran: neither
 * 401/403 nor a redirect to the login page nor a server error). */
#define OK 0
#define LOGIN 1   /* anonymous HTML GET: 303 to /login?next=... */

typedef struct {
    const char *method;
    const char *path;        /* "%T" is replaced by the TTRA task id, "%P" by the 2022 plan id */
    const char *body;        /* form or JSON body; NULL for GET */
    bool json;
    int expect[R__N];
} role_case;

static const role_case CASES[] = {
    /*                                                         anon   admin office leader unit  viewer */
    {"GET", "/", NULL, false,                                 {LOGIN, 200, 200, 200, 200, 200}},
    {"GET", "/tasks", NULL, false,                            {LOGIN, 200, 200, 200, 200, 200}},
    {"GET", "/tasks/%T", NULL, false,                         {LOGIN, 200, 200, 200, 200, 200}},
    {"GET", "/reports", NULL, false,                          {LOGIN, 200, 200, 200, 200, 200}},
    {"GET", "/targets", NULL, false,                          {LOGIN, 200, 200, 200, 200, 200}},
    {"GET", "/profile", NULL, false,                          {LOGIN, 200, 200, 200, 200, 200}},
    {"GET", "/public", NULL, false,                           {200, 200, 200, 200, 200, 200}},
    {"GET", "/public/plans/%P", NULL, false,                  {200, 200, 200, 200, 200, 200}},
    {"GET", "/admin", NULL, false,                            {LOGIN, 200, 403, 403, 403, 403}},
    {"GET", "/admin/units", NULL, false,                      {LOGIN, 200, 403, 403, 403, 403}},
    {"GET", "/admin/users", NULL, false,                      {LOGIN, 200, 403, 403, 403, 403}},
    {"GET", "/admin/imports", NULL, false,                    {LOGIN, 200, 403, 403, 403, 403}},
    {"GET", "/api/v1/plans", NULL, false,                     {200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/plans/%P/tasks", NULL, false,            {200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/units", NULL, false,                     {200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/reports", NULL, false,                   {401, 200, 200, 200, 200, 200}},
    /* Writes (the logged-in roles send their CSRF token). */
    {"POST", "/tasks/%T/updates", "status=in_progress&percent=10&note=role-table", false,
                                                              {401, 303, 303, 403, 303, 403}},
    {"POST", "/api/v1/tasks/%T/updates", "{\"status\":\"in_progress\",\"percent\":10,\"note\":\"role-table-api\"}", true,
                                                              {401, 201, 201, 403, 201, 403}},
    /* Invalid input on purpose: allowed roles reach the handler (422), the others stop at 403. */
    {"POST", "/reports", "plan=0&kind=q1&year=2022", false,   {401, 422, 422, 403, 403, 403}},
    {"POST", "/reports/999999/submit", "body=x", false,       {401, 404, 404, 403, 404, 403}},
    {"POST", "/reports/999999/approve/1", "", false,          {401, OK, 403, OK, 403, 403}},
    {"POST", "/targets/999999/measurements", "value=1&measured_on=2022-06-01", false,
                                                              {401, OK, OK, 403, 403, 403}},
    {"POST", "/admin/users", "username=", false,              {401, OK, 403, 403, 403, 403}},
    {"POST", "/admin/units", "code=", false,                  {401, OK, 403, 403, 403, 403}},
};

/* Fills %T and %P of a path. */
static void expand(const char *pat, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = pat; *p && o + 24 < n; p++) {
        if (p[0] == '%' && p[1] == 'T') { o += (size_t)snprintf(out + o, n - o, "%lld", (long long)TTRA_TASK); p++; }
        else if (p[0] == '%' && p[1] == 'P') { o += (size_t)snprintf(out + o, n - o, "%lld", (long long)PLAN2022); p++; }
        else out[o++] = *p;
    }
    out[o] = '\0';
}

static const response *run_case(int role, const role_case *k)
{
    client *c = C[role];
    char path[200];
    expand(k->path, path, sizeof path);
    if (strcmp(k->method, "GET") == 0) return c_get(c, path);
    const char *csrf = role == R_ANON ? NULL : c_csrf(c);
    if (k->json) return c_post_json(c, k->method, path, k->body, csrf);
    if (role == R_ANON) return c_post_form(c, path, k->body);
    return c_post_form_csrf(c, path, k->body);
}

static void test_role_table(void **state)
{
    (void)state;
    int failures = 0;
    int64_t updates_before = h_updates(H, TTRA_TASK);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const role_case *k = &CASES[i];
        for (int role = 0; role < R__N; role++) {
            const response *r = run_case(role, k);
            int want = k->expect[role];
            bool ok;
            if (want == OK) ok = r->status != 401 && r->status != 403 && r->status < 500 && r->status != 0 &&
                                 !(r->status == 303 && r_header(r, "Location") && strncmp(r_header(r, "Location"), "/login", 6) == 0);
            else if (want == LOGIN) ok = r->status == 303 && r_header(r, "Location") &&
                                         strncmp(r_header(r, "Location"), "/login?next=", 12) == 0;
            else ok = r->status == want;
            if (!ok) {
                failures++;
                fprintf(stderr, "role table: %s %s as %s: got %ld, expected %s%d\n", k->method, k->path,
                        ROLE_NAMES[role], r->status, want == OK ? "allowed " : want == LOGIN ? "login " : "", want);
            }
            /* 401 for the API answers in JSON, for HTML pages as an HTML page. */
            if (r->status == 401 || r->status == 403) {
                const char *ct = r_header(r, "Content-Type");
                bool api = strncmp(k->path, "/api/", 5) == 0;
                if (!ct || strstr(ct, api ? "application/json" : "text/html") == NULL) {
                    failures++;
                    fprintf(stderr, "role table: %s %s as %s: %ld with Content-Type %s\n", k->method, k->path,
                            ROLE_NAMES[role], r->status, ct ? ct : "(none)");
                }
            }
        }
    }
    /* Exactly the allowed writes were recorded: admin, office and the unit, by form and by API. */
    assert_int_equal(h_updates(H, TTRA_TASK), updates_before + 6);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM task_updates u JOIN users s ON s.id = u.user_id "
                                    "WHERE s.username IN ('viewer', 'leader')", NULL), 0);
    assert_int_equal(failures, 0);
}

static void test_logout_any_role(void **state)
{
    (void)state;
    /* Fresh clients, so the table's sessions stay. */
    for (int role = R_ADMIN; role < R__N; role++) {
        client *c = c_new(H);
        const char *t = c_login_api(c, ROLE_USERS[role], H_PASSWORD);
        assert_non_null(t);
        char csrf[64];
        snprintf(csrf, sizeof csrf, "%s", t);
        assert_int_equal(c_post_json(c, "DELETE", "/api/v1/session", NULL, csrf)->status, 204);
        c_free(c);
    }
    client *anon = c_new(H);
    assert_int_equal(c_post_json(anon, "DELETE", "/api/v1/session", NULL, NULL)->status, 401);
    c_free(anon);
}

/* Tasks of the 2022 plan led by unit_id, through the API (as a logged-in client). */
static int64_t first_task_led_by(client *c, int64_t unit_id)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?unit=%lld", (long long)PLAN2022, (long long)unit_id);
    const response *r = c_get(c, path);
    assert_int_equal(r->status, 200);
    json_t *j = r_json(r);
    assert_non_null(j);
    json_t *tasks = json_object_get(j, "tasks");
    assert_true(json_array_size(tasks) > 0);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), (json_int_t)json_array_size(tasks));
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t) {
        assert_int_equal(json_integer_value(json_object_get(json_object_get(t, "lead_unit"), "id")), unit_id);
    }
    int64_t id = json_integer_value(json_object_get(json_array_get(tasks, 0), "id"));
    json_decref(j);
    return id;
}

static void test_unit_updates_own_task(void **state)
{
    (void)state;
    client *c = C[R_UNIT];
    int64_t ttra = h_unit_id(H, "TTRA");
    int64_t task = first_task_led_by(c, ttra);
    int64_t before = h_updates(H, task);
    char path[64], form[128];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    snprintf(form, sizeof form, "status=in_progress&percent=35&note=%s", "thanh-tra-cap-nhat");
    const response *r = c_post_form_csrf(c, path, form);
    assert_int_equal(r->status, 303);
    assert_int_equal(h_updates(H, task), before + 1);
    /* The lead's update sets the task's status and percent. */
    assert_int_equal(h_query_int_i(H, "SELECT percent FROM tasks WHERE id = ?", task), 35);
    assert_int_equal(h_query_int_i(H, "SELECT status = 'in_progress' FROM tasks WHERE id = ?", task), 1);
    assert_int_equal(h_query_int_i(H, "SELECT is_lead FROM task_updates WHERE task_id = ? ORDER BY id DESC LIMIT 1", task), 1);
}

/* A task led by lead_code in which TTRA takes no part: not lead, not a
 * coordinator, and no coordinating group stands for TTRA's kind. 0 if none. */
static int64_t task_without_ttra(const char *lead_code)
{
    int64_t lead = h_unit_id(H, lead_code), ttra = h_unit_id(H, "TTRA");
    db *d = h_db(H);
    db_stmt *s = db_prepare(d,
        "SELECT t.id FROM tasks t WHERE t.lead_unit_id = ? AND NOT EXISTS ("
        " SELECT 1 FROM task_units tu JOIN units u ON u.id = tu.unit_id WHERE tu.task_id = t.id AND (u.id = ? OR "
        " (u.kind = 'group' AND (',' || u.member_kinds || ',') LIKE '%,' || (SELECT kind FROM units WHERE id = ?) || ',%')))"
        " ORDER BY t.id LIMIT 1");
    assert_non_null(s);
    db_bind_int(s, 1, lead);
    db_bind_int(s, 2, ttra);
    db_bind_int(s, 3, ttra);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_step(s);
    return id;
}

static void test_unit_denied_other_units_task(void **state)
{
    (void)state;
    /* A VP-led task TTRA has nothing to do with; with the bundled groups
     * ("Các phòng Sở"/"Các phòng liên quan" stand for every division) every
     * VP-led task has TTRA as a coordinator, so fall back to a task led by the
     * district People's Committees (1.b, coordinated by "các đơn vị liên quan"). */
    int64_t task = task_without_ttra("VP");
    const char *lead_code = "VP";
    if (task <= 0) { task = task_without_ttra("UBND_QH"); lead_code = "UBND_QH"; }
    if (task <= 0) fail_msg("no task without TTRA in the seeded plans");
    client *c = C[R_UNIT];
    int64_t before = h_updates(H, task);
    int64_t denied = h_query_int_i(H, "SELECT COUNT(*) FROM audit WHERE action = 'task_update_denied' AND entity_id = ?", task);
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    const response *r = c_post_form_csrf(c, path, "status=done&percent=100&note=khong-duoc-phep");
    assert_int_equal(r->status, 403);
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    r = c_post_json(c, "POST", path, "{\"status\":\"done\",\"note\":\"khong-duoc-phep\"}", c_csrf(c));
    assert_int_equal(r->status, 403);
    json_t *j = r_json(r);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "forbidden");
    json_decref(j);
    /* Nothing recorded, the task unchanged, each attempt audited with who tried. */
    assert_int_equal(h_updates(H, task), before);
    assert_int_equal(h_query_int_i(H, "SELECT status = 'done' FROM tasks WHERE id = ?", task), 0);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM audit WHERE action = 'task_update_denied' AND entity = 'task' "
                                      "AND entity_id = ? AND username = 'unit_ttra'", task), denied + 2);
    /* The task page offers the form to TTRA only as far as the server allows: a GET still works. */
    snprintf(path, sizeof path, "/tasks/%lld", (long long)task);
    assert_int_equal(c_get(c, path)->status, 200);
    if (strcmp(lead_code, "VP") == 0) {
        /* The officer of the lead unit may. */
        client *vp = c_new(H);
        assert_int_equal(c_login_html(vp, H_USER_VP, H_PASSWORD), 303);
        snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
        assert_int_equal(c_post_form_csrf(vp, path, "status=in_progress&percent=5&note=van-phong")->status, 303);
        assert_int_equal(h_updates(H, task), before + 1);
        c_free(vp);
    }
}

static void test_coordinator_contribution_keeps_status(void **state)
{
    (void)state;
    /* Task 4 is led by VP with TTRA as a named coordinator: TTRA's update is
     * a contribution, recorded, but only the lead sets the task's status. */
    int64_t task = h_task_id(H, "KH2022", "4");
    assert_true(task > 0);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM task_units WHERE task_id = ? AND unit_id = "
                                      "(SELECT id FROM units WHERE code = 'TTRA')", task), 1);
    int64_t before = h_updates(H, task);
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    assert_int_equal(c_post_form_csrf(C[R_UNIT], path, "status=done&percent=100&note=phan-thanh-tra")->status, 303);
    assert_int_equal(h_updates(H, task), before + 1);
    assert_int_equal(h_query_int_i(H, "SELECT is_lead FROM task_updates WHERE task_id = ? ORDER BY id DESC LIMIT 1", task), 0);
    assert_int_equal(h_query_int_i(H, "SELECT status = 'not_started' AND percent = 0 FROM tasks WHERE id = ?", task), 1);
    /* The lead's officer then sets it. */
    client *vp = c_new(H);
    assert_int_equal(c_login_html(vp, H_USER_VP, H_PASSWORD), 303);
    assert_int_equal(c_post_form_csrf(vp, path, "status=in_progress&percent=40&note=van-phong")->status, 303);
    assert_int_equal(h_query_int_i(H, "SELECT status = 'in_progress' AND percent = 40 FROM tasks WHERE id = ?", task), 1);
    c_free(vp);
}

static void test_leader_approves_not_admin(void **state)
{
    (void)state;
    client *office = C[R_OFFICE], *unit = C[R_UNIT], *leader = C[R_LEADER];
    char form[128];
    snprintf(form, sizeof form, "plan=%lld&kind=h1&year=2022", (long long)PLAN2022);
    const response *r = c_post_form_csrf(office, "/reports", form);
    assert_int_equal(r->status, 303);
    int64_t period = h_query_int(H, "SELECT id FROM report_periods WHERE kind = 'h1' AND year = 2022", NULL);
    assert_true(period > 0);
    char path[96];
    snprintf(path, sizeof path, "/reports/%lld/submit", (long long)period);
    assert_int_equal(c_post_form_csrf(unit, path, "body=Bao+cao+6+thang+cua+Thanh+tra")->status, 303);
    int64_t ttra = h_unit_id(H, "TTRA");
    snprintf(path, sizeof path, "/reports/%lld/approve/%lld", (long long)period, (long long)ttra);
    /* The unit officer and the viewer cannot approve; the leader can. */
    assert_int_equal(c_post_form_csrf(unit, path, "")->status, 403);
    assert_int_equal(c_post_form_csrf(C[R_VIEWER], path, "")->status, 403);
    r = c_post_form_csrf(leader, path, "");
    assert_int_equal(r->status, 303);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM unit_reports WHERE period_id = ? AND approved_by IS NOT NULL", period), 1);
    assert_int_equal(h_query_int_i(H, "SELECT approved_by FROM unit_reports WHERE period_id = ?", period), h_user_id(H, H_USER_LEADER));
    /* But no administration. */
    assert_int_equal(c_get(leader, "/admin")->status, 403);
    assert_int_equal(c_get(leader, "/admin/users")->status, 403);
    /* And the leader's nav has no admin link; the admin's has. */
    assert_false(r_has(c_get(leader, "/"), "href=\"/admin\""));
    assert_true(r_has(c_get(C[R_ADMIN], "/"), "href=\"/admin\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_table),
        cmocka_unit_test(test_unit_updates_own_task),
        cmocka_unit_test(test_unit_denied_other_units_task),
        cmocka_unit_test(test_coordinator_contribution_keeps_status),
        cmocka_unit_test(test_leader_approves_not_admin),
        cmocka_unit_test(test_logout_any_role),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
