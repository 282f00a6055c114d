/* HTTP tests: reporting periods (open, submit, lock, approve, the printable
 * department report) and the plan CSV import (preview with every problem and
 * its line, nothing written until a clean file is confirmed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/harness.h"

static harness *H;
static client *OFFICE, *TTRA, *TCCB, *LEADER, *ADMIN;
static int64_t PLAN, PERIOD;

static int setup(void **state)
{
    (void)state;
    H = h_start_logged_in(&OFFICE, H_USER_OFFICE, &TTRA, H_USER_TTRA, &TCCB, H_USER_TCCB, &LEADER, H_USER_LEADER,
                          &ADMIN, H_USER_ADMIN, NULL);
    if (!H) return -1;
    PLAN = h_plan_id(H, "KH2022");
    return PLAN > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    h_stop(H);          /* frees the clients too */
    return 0;
}

/* ---------- reporting periods ---------- */

static void test_office_opens_period(void **state)
{
    (void)state;
    char form[128];
    snprintf(form, sizeof form, "plan=%lld&kind=q1&year=2022", (long long)PLAN);
    /* Units and leaders cannot open periods. */
    assert_int_equal(c_post_form_csrf(TTRA, "/reports", form)->status, 403);
    assert_int_equal(c_post_form_csrf(LEADER, "/reports", form)->status, 403);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM report_periods", NULL), 0);
    /* The form is on the page for the Office. */
    const response *r = c_get(OFFICE, "/reports");
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "action=\"/reports\""));
    assert_false(r_has(c_get(TTRA, "/reports"), "action=\"/reports\""));

    r = c_post_form_csrf(OFFICE, "/reports", form);
    assert_int_equal(r->status, 303);
    PERIOD = h_query_int(H, "SELECT id FROM report_periods WHERE kind = 'q1' AND year = 2022", NULL);
    assert_true(PERIOD > 0);
    char loc[64];
    snprintf(loc, sizeof loc, "/reports/%lld", (long long)PERIOD);
    assert_string_equal(r_header(r, "Location"), loc);
    /* Default due date of the Q1 report: 05/03 (plan 2022, IV.1). */
    assert_int_equal(h_query_int_i(H, "SELECT due_on = '2022-03-05' FROM report_periods WHERE id = ?", PERIOD), 1);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM audit WHERE action = 'period_open' AND entity_id = ?", PERIOD), 1);
    /* The same period twice is refused. */
    assert_int_equal(c_post_form_csrf(OFFICE, "/reports", form)->status, 409);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM report_periods", NULL), 1);
    /* Invalid input. */
    snprintf(form, sizeof form, "plan=%lld&kind=q5&year=2022", (long long)PLAN);
    assert_int_equal(c_post_form_csrf(OFFICE, "/reports", form)->status, 422);
    snprintf(form, sizeof form, "plan=%lld&kind=h1&year=2022&due_on=31/06/2022", (long long)PLAN);
    assert_int_equal(c_post_form_csrf(OFFICE, "/reports", form)->status, 422);
    /* Listed. */
    assert_true(r_has(c_get(TTRA, "/reports"), loc));
}

static void test_unit_submits_and_is_locked(void **state)
{
    (void)state;
    assert_true(PERIOD > 0);
    char path[96], ttra[512], tccb[512];
    h_unit_name(H, "TTRA", ttra, sizeof ttra);
    h_unit_name(H, "TCCB", tccb, sizeof tccb);
    snprintf(path, sizeof path, "/reports/%lld", (long long)PERIOD);
    const response *r = c_get(TTRA, path);
    assert_int_equal(r->status, 200);
    assert_string_equal(r_submission_state(r, ttra), "missing");
    assert_string_equal(r_submission_state(r, tccb), "missing");
    char action[96];
    snprintf(action, sizeof action, "action=\"/reports/%lld/submit\"", (long long)PERIOD);
    assert_true(r_has(r, action));

    snprintf(path, sizeof path, "/reports/%lld/submit", (long long)PERIOD);
    /* An empty report is refused. */
    assert_int_equal(c_post_form_csrf(TTRA, path, "body=")->status, 422);
    r = c_post_form_csrf(TTRA, path, "body=Quy+I%3A+da+ban+hanh+ke+hoach+kiem+tra%2C+ra+soat+van+ban");
    assert_int_equal(r->status, 303);
    int64_t ttra_id = h_unit_id(H, "TTRA");
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM unit_reports WHERE period_id = ?", PERIOD), 1);
    assert_int_equal(h_query_int_i(H, "SELECT unit_id FROM unit_reports WHERE period_id = ?", PERIOD), ttra_id);

    /* A second submission is refused: the report is locked. */
    r = c_post_form_csrf(TTRA, path, "body=ban+sua+lai");
    assert_int_equal(r->status, 409);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM unit_reports WHERE period_id = ?", PERIOD), 1);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM unit_reports WHERE body LIKE '%sua lai%'", NULL), 0);
    /* And the form is gone for the unit. */
    snprintf(path, sizeof path, "/reports/%lld", (long long)PERIOD);
    assert_false(r_has(c_get(TTRA, path), action));

    /* The period page: who submitted and who did not. */
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    assert_string_equal(r_submission_state(r, ttra), "submitted");
    assert_string_equal(r_submission_state(r, tccb), "missing");
    assert_true(r_has(r, "Đã gửi"));
    assert_true(r_has(r, "Chưa gửi"));
    int expected = r_count(r, "<tr class=\"submitted\">") + r_count(r, "<tr class=\"missing\">");
    assert_int_equal(r_count(r, "<tr class=\"submitted\">"), 1);
    assert_true(expected >= 5);      /* VP, TTRA, TCCB, KHTC, GDTXCNDH at least */
    char count[64];
    snprintf(count, sizeof count, "1/%d", expected);
    assert_true(r_has(r, count));
    /* The API says the same. */
    snprintf(path, sizeof path, "/api/v1/reports/%lld", (long long)PERIOD);
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    json_t *j = r_json(r);
    assert_non_null(j);
    json_t *subs = json_object_get(j, "submissions"), *s;
    size_t i;
    int submitted = 0;
    json_array_foreach(subs, i, s) {
        if (json_is_true(json_object_get(s, "submitted"))) {
            submitted++;
            assert_int_equal(json_integer_value(json_object_get(s, "unit_id")), ttra_id);
        }
    }
    assert_int_equal(submitted, 1);
    assert_int_equal(json_array_size(subs), (size_t)expected);
    json_decref(j);

    /* A unit that is not expected to report cannot. */
    assert_true(h_add_user(H, "unit_snv", "unit", "SNV") > 0);
    client *snv = c_new(H);
    assert_int_equal(c_login_html(snv, "unit_snv", H_PASSWORD), 303);
    snprintf(path, sizeof path, "/reports/%lld/submit", (long long)PERIOD);
    assert_int_equal(c_post_form_csrf(snv, path, "body=x")->status, 403);
    c_free(snv);
}

static void test_leader_approves(void **state)
{
    (void)state;
    assert_true(PERIOD > 0);
    int64_t ttra = h_unit_id(H, "TTRA"), tccb = h_unit_id(H, "TCCB");
    char path[128], action[128];
    snprintf(path, sizeof path, "/reports/%lld", (long long)PERIOD);
    snprintf(action, sizeof action, "action=\"/reports/%lld/approve/%lld\"", (long long)PERIOD, (long long)ttra);
    assert_true(r_has(c_get(LEADER, path), action));
    assert_false(r_has(c_get(TTRA, path), action));

    snprintf(path, sizeof path, "/reports/%lld/approve/%lld", (long long)PERIOD, (long long)ttra);
    assert_int_equal(c_post_form_csrf(TTRA, path, "")->status, 403);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM unit_reports WHERE period_id = ? AND approved_at IS NOT NULL", PERIOD), 0);
    const response *r = c_post_form_csrf(LEADER, path, "");
    assert_int_equal(r->status, 303);
    assert_int_equal(h_query_int_i(H, "SELECT approved_by FROM unit_reports WHERE period_id = ?", PERIOD), h_user_id(H, H_USER_LEADER));
    /* Twice: nothing left to approve. Not submitted: nothing to approve. */
    assert_int_equal(c_post_form_csrf(LEADER, path, "")->status, 409);
    snprintf(path, sizeof path, "/reports/%lld/approve/%lld", (long long)PERIOD, (long long)tccb);
    assert_int_equal(c_post_form_csrf(LEADER, path, "")->status, 409);
    snprintf(path, sizeof path, "/reports/%lld", (long long)PERIOD);
    r = c_get(OFFICE, path);
    assert_true(r_has(r, "Đã duyệt"));
    assert_false(r_has(r, action));
    /* TCCB submits later; the Office, which may submit for units, cannot approve; the leader does. */
    snprintf(path, sizeof path, "/reports/%lld/submit", (long long)PERIOD);
    assert_int_equal(c_post_form_csrf(TCCB, path, "body=Bao+cao+TCCB")->status, 303);
    snprintf(path, sizeof path, "/reports/%lld/approve/%lld", (long long)PERIOD, (long long)tccb);
    assert_int_equal(c_post_form_csrf(OFFICE, path, "")->status, 403);
    assert_int_equal(c_post_form_csrf(LEADER, path, "")->status, 303);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM unit_reports WHERE period_id = ? AND approved_at IS NOT NULL", PERIOD), 2);
}

static void test_department_report_printable(void **state)
{
    (void)state;
    assert_true(PERIOD > 0);
    /* Some progress to show. */
    int64_t t8 = h_task_id(H, "KH2022", "8");
    assert_int_equal(c_post_task_update(TTRA, t8, "status=done&percent=100&note=Da+ban+hanh+ke+hoach+so+15%2FKH")->status, 303);

    char path[96];
    snprintf(path, sizeof path, "/reports/%lld/department", (long long)PERIOD);
    const response *r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    /* Printable. */
    assert_true(r_has(r, "href=\"/static/print.css\" media=\"print\""));
    const response *css = c_get(OFFICE, "/static/print.css");
    assert_int_equal(css->status, 200);
    assert_non_null(strstr(r_header(css, "Content-Type"), "text/css"));
    assert_true(css->len > 0);
    /* Every area and every task with its status. */
    char missing[512];
    int areas = r_has_each_row(H, r, "SELECT no || '. ' || title FROM areas WHERE plan_id = ? ORDER BY position", PLAN, missing, sizeof missing);
    if (areas < 0) fail_msg("area missing from the department report: %s", missing);
    assert_int_equal(areas, 7);
    int tasks = r_has_each_row(H, r, "SELECT title FROM tasks WHERE plan_id = ? ORDER BY position", PLAN, missing, sizeof missing);
    if (tasks < 0) fail_msg("task missing from the department report: %s", missing);
    assert_int_equal(tasks, 47);
    assert_true(r_has(r, "Hoàn thành (100%)"));
    assert_true(r_has(r, "Chưa triển khai (0%)"));
    assert_true(r_has(r, "Da ban hanh ke hoach so 15/KH"));
    /* One row per task. */
    assert_true(r_count(r, "<tr><td>") >= 47);
    /* Readers of internal data may see it; anonymous visitors may not. */
    assert_int_equal(c_get(LEADER, path)->status, 200);
    client *anon = c_new(H);
    assert_int_equal(c_get(anon, path)->status, 303);
    c_free(anon);
    assert_int_equal(c_get(OFFICE, "/reports/999999/department")->status, 404);
}

/* ---------- plan import ---------- */

#define CSV_HEADER "plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n"

static const response *upload_csv(client *c, const char *csv, size_t len, const char *filename, bool new_plan)
{
    mp_part parts[5] = {
        {.name = "csrf_token", .value = c_csrf(c)},
        {.name = "file", .filename = filename, .data = csv, .len = len, .content_type = "text/csv"},
        {.name = "plan_title", .value = new_plan ? "Kế hoạch CCHC năm 2023 (thử nghiệm)" : ""},
        {.name = "year_from", .value = new_plan ? "2023" : ""},
        {.name = "year_to", .value = new_plan ? "2023" : ""},
    };
    return c_post_multipart(c, "/admin/imports", parts, 5, NULL);
}

typedef struct { int64_t plans, areas, tasks, task_units; } plan_counts;

static plan_counts counts(void)
{
    return (plan_counts){h_query_int(H, "SELECT COUNT(*) FROM plans", NULL), h_query_int(H, "SELECT COUNT(*) FROM areas", NULL),
                         h_query_int(H, "SELECT COUNT(*) FROM tasks", NULL), h_query_int(H, "SELECT COUNT(*) FROM task_units", NULL)};
}

static void assert_counts_equal(plan_counts a, plan_counts b)
{
    assert_int_equal(a.plans, b.plans);
    assert_int_equal(a.areas, b.areas);
    assert_int_equal(a.tasks, b.tasks);
    assert_int_equal(a.task_units, b.task_units);
}

/* True when the preview's problem table has a row for line and column. */
static bool problem_at(const response *r, int line, const char *column)
{
    char pat[160];
    snprintf(pat, sizeof pat, "<a href=\"#line-%d\">%d</a></td><td data-label=\"Cột\"><code>%s</code>", line, line, column);
    return r_has(r, pat);
}

static void test_import_preview_lists_problems(void **state)
{
    (void)state;
    static const char csv[] = CSV_HEADER
        "KH2023,I,Chỉ đạo điều hành,1,Ban hành Kế hoạch CCHC năm 2023,VP,G_PHONG_SO,Kế hoạch,Quý I/2023\n"
        "KH2023,I,,2,Nhiệm vụ của một đơn vị không có,PHONG_KHONG_CO,,Báo cáo,Cả năm 2023\n"
        "KH2023,I,,3,Nhiệm vụ có ngày không có thật,TTRA,,Báo cáo,31/02/2023\n"
        "KH2023,II,Cải cách thể chế,1,Nhiệm vụ trùng số thứ tự,TCCB,,Quyết định,Cả năm 2023\n";
    plan_counts before = counts();
    /* Only the administrator imports. */
    assert_int_equal(upload_csv(OFFICE, csv, sizeof csv - 1, "kh2023.csv", true)->status, 403);
    assert_int_equal(c_get(OFFICE, "/admin/imports")->status, 403);

    const response *r = upload_csv(ADMIN, csv, sizeof csv - 1, "kh2023-loi.csv", true);
    assert_int_equal(r->status, 303);
    const char *loc = r_header(r, "Location");
    assert_non_null(loc);
    assert_int_equal(strncmp(loc, "/admin/imports/", 15), 0);
    char view[64];
    snprintf(view, sizeof view, "%s", loc);
    int64_t id = atoll(view + 15);
    assert_true(id > 0);
    r = c_get(ADMIN, view);
    assert_int_equal(r->status, 200);
    /* Each problem with its line and column. */
    assert_true(problem_at(r, 3, "lead_unit"));
    assert_true(r_has(r, "PHONG_KHONG_CO"));
    assert_true(problem_at(r, 4, "deadline_text"));
    assert_true(r_has(r, "31/02/2023"));
    assert_true(problem_at(r, 5, "number"));
    assert_false(problem_at(r, 2, "lead_unit"));
    assert_false(problem_at(r, 2, "number"));
    /* Every row is listed, line by line. */
    for (int line = 2; line <= 5; line++) {
        char id_attr[32];
        snprintf(id_attr, sizeof id_attr, "id=\"line-%d\"", line);
        assert_true(r_has(r, id_attr));
    }
    /* No "apply all" while there are errors. */
    assert_false(r_has(r, "name=\"mode\" value=\"all\""));
    /* Nothing written to the plans. */
    assert_counts_equal(counts(), before);
    assert_int_equal(h_plan_id(H, "KH2023"), 0);
    /* Forcing it does not write either. */
    snprintf(view, sizeof view, "/admin/imports/%lld/confirm", (long long)id);
    r = c_post_form_csrf(ADMIN, view, "mode=all");
    assert_int_equal(r->status, 422);
    assert_counts_equal(counts(), before);
    assert_int_equal(h_query_int_i(H, "SELECT status = 'preview' FROM imports WHERE id = ?", id), 1);
    /* Cancel it. */
    assert_int_equal(c_post_form_csrf(ADMIN, view, "mode=cancel")->status, 303);
    assert_int_equal(h_query_int_i(H, "SELECT status = 'cancelled' FROM imports WHERE id = ?", id), 1);
    assert_int_equal(c_post_form_csrf(ADMIN, view, "mode=all")->status, 409);
    assert_counts_equal(counts(), before);

    /* Not a text file. */
    static const char binary[] = "PK\x03\x04\x00\x00binary\x00\x01\x02";
    r = upload_csv(ADMIN, binary, sizeof binary - 1, "plan.xlsx", true);
    assert_int_equal(r->status, 415);
    assert_counts_equal(counts(), before);
}

static void test_import_clean_file_applies(void **state)
{
    (void)state;
    static const char csv[] = CSV_HEADER
        "KH2023,I,Chỉ đạo điều hành,1,Ban hành Kế hoạch CCHC năm 2023,VP,G_PHONG_SO,Kế hoạch,Quý I/2023\n"
        "KH2023,I,,2,Kiểm tra công tác CCHC,TTRA,VP;TCCB,Báo cáo,Cả năm 2023\n"
        "KH2023,II,Cải cách thể chế,3,\"Rà soát, hệ thống hóa văn bản\",TTRA,G_PHONG_LQ,Quyết định,30/06/2023\n";
    plan_counts before = counts();
    const response *r = upload_csv(ADMIN, csv, sizeof csv - 1, "kh2023.csv", true);
    assert_int_equal(r->status, 303);
    char view[64];
    snprintf(view, sizeof view, "%s", r_header(r, "Location"));
    int64_t id = atoll(view + 15);
    r = c_get(ADMIN, view);
    assert_int_equal(r->status, 200);
    assert_false(r_has(r, "id=\"problems\""));
    assert_true(r_has(r, "name=\"mode\" value=\"all\""));
    assert_counts_equal(counts(), before);

    char confirm[80];
    snprintf(confirm, sizeof confirm, "/admin/imports/%lld/confirm", (long long)id);
    /* The confirmation needs the CSRF token like every form. */
    assert_int_equal(c_post_form(ADMIN, confirm, "mode=all")->status, 403);
    assert_counts_equal(counts(), before);
    r = c_post_form_csrf(ADMIN, confirm, "mode=all");
    assert_int_equal(r->status, 303);
    assert_non_null(strstr(r_header(r, "Location"), "ok=applied"));
    int64_t plan = h_plan_id(H, "KH2023");
    assert_true(plan > 0);
    plan_counts after = counts();
    assert_int_equal(after.plans, before.plans + 1);
    assert_int_equal(after.areas, before.areas + 2);
    assert_int_equal(after.tasks, before.tasks + 3);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE plan_id = ?", plan), 3);
    assert_int_equal(h_query_int_i(H, "SELECT status = 'applied' FROM imports WHERE id = ?", id), 1);
    /* Applied once only. */
    assert_int_equal(c_post_form_csrf(ADMIN, confirm, "mode=all")->status, 409);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE plan_id = ?", plan), 3);
    /* The new plan is there for everyone, searchable without diacritics. */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?q=he+thong+hoa", (long long)plan);
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    json_t *j = r_json(r);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_office_opens_period),
        cmocka_unit_test(test_unit_submits_and_is_locked),
        cmocka_unit_test(test_leader_approves),
        cmocka_unit_test(test_department_report_printable),
        cmocka_unit_test(test_import_preview_lists_problems),
        cmocka_unit_test(test_import_clean_file_applies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
