/* HTTP tests of the working-day calendar: the admin page (roles, year view,
 * lunar dates), adding/removing days with CSRF and audit, re-derived task
 * deadlines, confirming a provisional year, and the JSON API
 * (/api/v1/calendar/{year}, /api/v1/calendar/add) with its 400 errors. */
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
static client *ADMIN, *OFFICE, *ANON;

static int setup(void **state)
{
    (void)state;
    H = h_start();
    if (!H) return -1;
    ADMIN = c_new(H);
    OFFICE = c_new(H);
    ANON = c_new(H);
    if (c_login_html(ADMIN, H_USER_ADMIN, H_PASSWORD) != 303) return -1;
    if (c_login_html(OFFICE, H_USER_OFFICE, H_PASSWORD) != 303) return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    c_free(ADMIN);
    c_free(OFFICE);
    c_free(ANON);
    h_stop(H);
    return 0;
}

/* GETs a JSON document, checking the status; the caller json_decref()s it. */
static json_t *get_json(client *c, const char *path, long status)
{
    const response *r = c_get(c, path);
    if (r->status != status) fail_msg("GET %s: status %ld, expected %ld: %.300s", path, r->status, status, r->body);
    json_t *doc = r_json(r);
    if (!doc) fail_msg("GET %s: not JSON: %.300s", path, r->body);
    return doc;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s) fail_msg("no string \"%s\" in the JSON", key);
    return s;
}

/* The due date of /api/v1/calendar/add?from=FROM&days=N. */
static void expect_due(const char *from, int days, const char *expected)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/calendar/add?from=%s&days=%d", from, days);
    json_t *doc = get_json(ANON, path, 200);
    assert_string_equal(jstr(doc, "due"), expected);
    json_decref(doc);
}

/* A 400 JSON error naming field. */
static void expect_bad_param(const char *path, const char *field)
{
    json_t *doc = get_json(ANON, path, 400);
    json_t *err = json_object_get(doc, "error");
    if (!err) fail_msg("%s: no error object", path);
    assert_string_equal(jstr(err, "code"), "invalid_parameter");
    assert_string_equal(jstr(err, "field"), field);
    json_decref(doc);
}

/* Working days the KH2022 task "9" (due 31/03/2022) is overdue by on H_TODAY. */
static int overdue_days_of_task_9(void)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld", (long long)h_task_id(H, "KH2022", "9"));
    json_t *doc = get_json(ADMIN, path, 200);
    assert_string_equal(jstr(doc, "due_state"), "overdue");
    int n = (int)json_integer_value(json_object_get(doc, "overdue_working_days"));
    json_decref(doc);
    return n;
}

/* ---- The admin page ------------------------------------------------------------ */

static void test_page_is_for_admins_only(void **state)
{
    (void)state;
    assert_int_equal(c_get(OFFICE, "/admin/calendar")->status, 403);
    const response *r = c_get(ANON, "/admin/calendar");
    assert_int_equal(r->status, 303);
    assert_non_null(strstr(r_header(r, "Location"), "/login"));
    r = c_get(ADMIN, "/admin/calendar");
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "Lịch làm việc năm 2022"));            /* H_TODAY's year by default */
    assert_int_equal(c_get(ADMIN, "/admin/calendar?year=abc")->status, 400);
    assert_int_equal(c_get(ADMIN, "/admin/calendar?year=2300")->status, 400);
}

static void test_official_year_view(void **state)
{
    (void)state;
    const response *r = c_get(ADMIN, "/admin/calendar?year=2026");
    assert_int_equal(r->status, 200);
    assert_int_equal(r_count(r, "<table class=\"cal-month\">"), 12);
    assert_true(r_has(r, "Lịch chính thức"));
    assert_false(r_has(r, "Lịch tạm tính"));
    assert_true(r_has(r, "Bính Ngọ"));
    assert_true(r_has(r, "Công văn 12729/VPCP-KGVX"));
    /* 17/02/2026 is Tết (1/1 lunar), 25/09/2026 is the full moon of month 8 */
    assert_true(r_has(r, "<td class=\"cal-d cal-tet\" title=\"Thứ Ba 17/02/2026"));
    assert_true(r_has(r, "<span class=\"cal-sol\">17</span><span class=\"cal-lun cal-lun-first\">1/1</span>"));
    assert_true(r_has(r, "<span class=\"cal-sol\">25</span><span class=\"cal-lun\">15/8</span>"));
    assert_true(r_has(r, "cal-makeup_workday"));                /* Sat 10/01/2026 */
    assert_int_equal(r_count(r, "<tr class=\"cal-row-tet\">"), 5);
    /* Feb 2026: 20 weekdays minus 5 Tết days */
    assert_true(r_has(r, "Tháng 2 <small>· 15 ngày làm việc</small>"));
}

static void test_provisional_year_view(void **state)
{
    (void)state;
    const response *r = c_get(ADMIN, "/admin/calendar?year=2027");
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "Lịch tạm tính"));
    assert_true(r_has(r, "action=\"/admin/calendar/years/2027/confirm\""));
    assert_true(r_has(r, "Đinh Mùi"));
}

/* ---- Edits --------------------------------------------------------------------- */

static void test_add_and_remove_day_rederive_deadlines(void **state)
{
    (void)state;
    int overdue = overdue_days_of_task_9();
    expect_due("2022-05-31", 1, "2022-06-01");
    int64_t audits = h_audit(H, "calendar_day_add");

    /* without the CSRF token: refused, nothing stored */
    assert_int_equal(c_post_form(ADMIN, "/admin/calendar/days", "date=01%2F06%2F2022&kind=holiday&name=x&source=y")->status, 403);
    assert_int_equal(c_post_form_csrf(OFFICE, "/admin/calendar/days", "date=01%2F06%2F2022&kind=holiday&name=x&source=y")->status, 403);
    assert_int_equal(h_audit(H, "calendar_day_add"), audits);

    const response *r = c_post_form_csrf(ADMIN, "/admin/calendar/days",
        "date=01%2F06%2F2022&kind=holiday&name=Ng%C3%A0y%20ngh%E1%BB%89%20th%E1%BB%AD&source=C%C3%B4ng%20v%C4%83n%2099%2FVPCP-KGVX");
    assert_int_equal(r->status, 303);
    assert_non_null(strstr(r_header(r, "Location"), "/admin/calendar?year=2022&ok=added"));
    assert_int_equal(h_audit(H, "calendar_day_add"), audits + 1);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM audit WHERE entity = 'calendar' AND entity_id = 2022 "
                                    "AND after LIKE ?", "%Công văn 99/VPCP-KGVX%"), 1);
    expect_due("2022-05-31", 1, "2022-06-02");
    assert_int_equal(overdue_days_of_task_9(), overdue - 1);
    r = c_get(ADMIN, "/admin/calendar?year=2022&ok=added");
    assert_true(r_has(r, "Ngày nghỉ thử"));
    assert_true(r_has(r, "Công văn 99/VPCP-KGVX"));
    assert_true(r_has(r, "Quản trị viên thêm:"));
    assert_true(r_has(r, "<td class=\"cal-d cal-holiday\" title=\"Thứ Tư 01/06/2022"));

    r = c_post_form_csrf(ADMIN, "/admin/calendar/days/remove", "date=2022-06-01&year=2022");
    assert_int_equal(r->status, 303);
    assert_int_equal(h_audit(H, "calendar_day_remove"), 1);
    expect_due("2022-05-31", 1, "2022-06-01");
    assert_int_equal(overdue_days_of_task_9(), overdue);
    r = c_get(ADMIN, "/admin/calendar?year=2022");
    assert_true(r_has(r, "thêm ngày 01/06/2022 (Ngày lễ: Ngày nghỉ thử)"));
    assert_true(r_has(r, "xóa ngày 01/06/2022 (Ngày lễ: Ngày nghỉ thử)"));
    assert_false(r_has(r, "<td class=\"cal-d cal-holiday\" title=\"Thứ Tư 01/06/2022"));
}

static void test_make_up_saturday(void **state)
{
    (void)state;
    expect_due("2022-06-24", 1, "2022-06-27");
    assert_int_equal(c_post_form_csrf(ADMIN, "/admin/calendar/days",
                                      "date=2022-06-25&kind=makeup_workday&name=L%C3%A0m%20b%C3%B9&source=CV%201")->status, 303);
    expect_due("2022-06-24", 1, "2022-06-25");
    assert_int_equal(c_post_form_csrf(ADMIN, "/admin/calendar/days/remove", "date=25%2F06%2F2022")->status, 303);
    expect_due("2022-06-24", 1, "2022-06-27");
}

static void test_invalid_input_is_rerendered_with_422(void **state)
{
    (void)state;
    int64_t audits = h_query_int(H, "SELECT COUNT(*) FROM audit WHERE entity = ?", "calendar");
    const response *r = c_post_form_csrf(ADMIN, "/admin/calendar/days", "date=31%2F02%2F2022&kind=holiday&name=Gi%E1%BB%AF&source=CV");
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "Ngày không hợp lệ"));
    char kept[64];
    const char *add_form = strstr(r->body, "<section class=\"card no-print\" id=\"add\">");
    assert_non_null(add_form);
    assert_true(html_input_value(add_form, "date", kept, sizeof kept));
    assert_string_equal(kept, "31/02/2022");
    assert_true(html_input_value(add_form, "name", kept, sizeof kept));
    assert_string_equal(kept, "Giữ");
    assert_true(html_input_value(add_form, "source", kept, sizeof kept));
    assert_string_equal(kept, "CV");
    /* a make-up working day must be a Saturday or Sunday */
    r = c_post_form_csrf(ADMIN, "/admin/calendar/days", "date=2022-06-22&kind=makeup_workday&name=x&source=y");
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "Thứ Bảy hoặc Chủ nhật"));
    assert_true(r_has(r, "<option value=\"makeup_workday\" selected>"));
    /* a compensatory day must be a weekday */
    r = c_post_form_csrf(ADMIN, "/admin/calendar/days", "date=2022-06-25&kind=compensatory&name=x&source=y");
    assert_int_equal(r->status, 422);
    /* unknown kind, missing name, missing source, too long */
    assert_int_equal(c_post_form_csrf(ADMIN, "/admin/calendar/days", "date=2022-06-22&kind=party&name=x&source=y")->status, 422);
    assert_int_equal(c_post_form_csrf(ADMIN, "/admin/calendar/days", "date=2022-06-22&kind=holiday&name=&source=y")->status, 422);
    r = c_post_form_csrf(ADMIN, "/admin/calendar/days", "date=2022-06-22&kind=holiday&name=x");
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "Nhập căn cứ pháp lý"));
    char form[800];
    memset(kept, 0, sizeof kept);
    int n = snprintf(form, sizeof form, "date=2022-06-22&kind=holiday&source=y&name=");
    for (int i = 0; i < 201; i++) form[n++] = 'a';
    form[n] = '\0';
    r = c_post_form_csrf(ADMIN, "/admin/calendar/days", form);
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "tối đa 200 ký tự"));
    form[n - 1] = '\0';                                          /* exactly 200: accepted */
    assert_int_equal(c_post_form_csrf(ADMIN, "/admin/calendar/days", form)->status, 303);
    assert_int_equal(c_post_form_csrf(ADMIN, "/admin/calendar/days/remove", "date=2022-06-22")->status, 303);
    /* removing a day that is not listed */
    r = c_post_form_csrf(ADMIN, "/admin/calendar/days/remove", "date=2022-06-23");
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "23/06/2022"));
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM audit WHERE entity = ?", "calendar"), audits + 2);
}

static void test_confirm_provisional_year(void **state)
{
    (void)state;
    json_t *doc = get_json(ANON, "/api/v1/calendar/2022", 200);
    assert_string_equal(jstr(doc, "status"), "provisional");
    assert_true(json_is_true(json_object_get(doc, "provisional")));
    json_decref(doc);
    assert_int_equal(c_post_form_csrf(OFFICE, "/admin/calendar/years/2022/confirm", "")->status, 403);
    const response *r = c_post_form_csrf(ADMIN, "/admin/calendar/years/2022/confirm", "");
    assert_int_equal(r->status, 303);
    assert_int_equal(h_audit(H, "calendar_year_confirm"), 1);
    doc = get_json(ANON, "/api/v1/calendar/2022", 200);
    assert_string_equal(jstr(doc, "status"), "confirmed");
    assert_false(json_is_true(json_object_get(doc, "provisional")));
    assert_string_equal(jstr(json_object_get(doc, "confirmed"), "by"), H_USER_ADMIN);
    json_decref(doc);
    r = c_get(ADMIN, "/admin/calendar?year=2022");
    assert_true(r_has(r, "Lịch đã xác nhận"));
    assert_false(r_has(r, "Lịch tạm tính"));
    /* again: no change; an official year: refused */
    assert_int_equal(c_post_form_csrf(ADMIN, "/admin/calendar/years/2022/confirm", "")->status, 303);
    assert_int_equal(h_audit(H, "calendar_year_confirm"), 1);
    r = c_post_form_csrf(ADMIN, "/admin/calendar/years/2026/confirm", "");
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "đã có lịch chính thức"));
    assert_int_equal(c_post_form_csrf(ADMIN, "/admin/calendar/years/3000/confirm", "")->status, 400);
}

/* ---- JSON API ------------------------------------------------------------------ */

static void test_api_year_2026(void **state)
{
    (void)state;
    json_t *doc = get_json(ANON, "/api/v1/calendar/2026", 200);
    assert_int_equal(json_integer_value(json_object_get(doc, "year")), 2026);
    assert_string_equal(jstr(doc, "status"), "official");
    assert_string_equal(jstr(doc, "can_chi"), "Bính Ngọ");
    assert_string_equal(jstr(doc, "tet"), "2026-02-17");
    assert_null(json_object_get(doc, "days"));
    json_t *feb = json_array_get(json_object_get(doc, "months"), 1);
    assert_int_equal(json_integer_value(json_object_get(feb, "working_days")), 15);
    assert_int_equal(json_integer_value(json_object_get(feb, "days_off")), 13);
    /* the bundled Tết rows are the five weekdays 16/02–20/02 */
    json_t *listed = json_object_get(doc, "listed_days"), *d;
    size_t i;
    char tet[160] = "";
    json_array_foreach(listed, i, d) {
        if (strcmp(jstr(d, "kind"), "tet")) continue;
        strcat(tet, jstr(d, "date"));
        strcat(tet, " ");
        if (!strcmp(jstr(d, "date"), "2026-02-17")) {
            assert_string_equal(jstr(json_object_get(d, "lunar"), "text"), "1/1");
            assert_string_equal(jstr(d, "weekday"), "Thứ Ba");
            assert_false(json_is_true(json_object_get(d, "working")));
        }
    }
    assert_string_equal(tet, "2026-02-16 2026-02-17 2026-02-18 2026-02-19 2026-02-20 ");
    json_decref(doc);

    /* ?all=1: every day; the break is Sat 14/02 – Sun 22/02 */
    doc = get_json(ANON, "/api/v1/calendar/2026?all=1", 200);
    json_t *days = json_object_get(doc, "days");
    assert_int_equal(json_array_size(days), 365);
    for (int k = 43; k <= 53; k++) {                             /* 13/02 … 23/02 */
        json_t *day = json_array_get(days, (size_t)k);
        bool off = k >= 44 && k <= 52;
        if (json_is_true(json_object_get(day, "working")) == off) fail_msg("%s: working should be %d", jstr(day, "date"), !off);
    }
    assert_string_equal(jstr(json_array_get(days, 44), "date"), "2026-02-14");
    assert_string_equal(jstr(json_array_get(days, 47), "lunar"), "1/1");
    json_decref(doc);
}

static void test_api_add(void **state)
{
    (void)state;
    json_t *doc = get_json(ANON, "/api/v1/calendar/add?from=2026-02-12&days=5", 200);
    assert_string_equal(jstr(doc, "from"), "2026-02-12");
    assert_int_equal(json_integer_value(json_object_get(doc, "days")), 5);
    assert_string_equal(jstr(doc, "due"), "2026-02-26");
    assert_string_equal(jstr(doc, "due_weekday"), "Thứ Năm");
    assert_false(json_is_true(json_object_get(doc, "provisional")));
    assert_string_equal(jstr(doc, "explanation"),
                        "5 ngày làm việc từ 12/02/2026, bỏ qua 14/02–22/02 (Tết Bính Ngọ), hạn Thứ Năm 26/02/2026");
    json_decref(doc);
    doc = get_json(ANON, "/api/v1/calendar/add?from=2026-02-12&days=5&count_first=1", 200);
    assert_string_equal(jstr(doc, "due"), "2026-02-25");
    json_decref(doc);
    doc = get_json(ANON, "/api/v1/calendar/add?from=2026-02-13&days=5&cutoff=15:00&at=16:00", 200);
    assert_string_equal(jstr(doc, "due"), "2026-03-02");
    json_decref(doc);
    doc = get_json(ANON, "/api/v1/calendar/add?from=2027-02-03&days=3", 200);
    assert_true(json_is_true(json_object_get(doc, "provisional")));
    json_decref(doc);
}

static void test_api_bad_params(void **state)
{
    (void)state;
    expect_bad_param("/api/v1/calendar/add?days=5", "from");
    expect_bad_param("/api/v1/calendar/add?from=2026-02-30&days=5", "from");
    expect_bad_param("/api/v1/calendar/add?from=2026-02-12", "days");
    expect_bad_param("/api/v1/calendar/add?from=2026-02-12&days=abc", "days");
    expect_bad_param("/api/v1/calendar/add?from=2026-02-12&days=-1", "days");
    expect_bad_param("/api/v1/calendar/add?from=2026-02-12&days=100001", "days");
    expect_bad_param("/api/v1/calendar/add?from=2026-02-12&days=5&count_first=yes", "count_first");
    expect_bad_param("/api/v1/calendar/add?from=2026-02-12&days=5&cutoff=25:00", "cutoff");
    expect_bad_param("/api/v1/calendar/add?from=2026-02-12&days=5&at=7h", "at");
    expect_bad_param("/api/v1/calendar/abcd", "year");
    expect_bad_param("/api/v1/calendar/2300", "year");
    expect_bad_param("/api/v1/calendar/2026?all=yes", "all");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_is_for_admins_only),
        cmocka_unit_test(test_official_year_view),
        cmocka_unit_test(test_provisional_year_view),
        cmocka_unit_test(test_add_and_remove_day_rederive_deadlines),
        cmocka_unit_test(test_make_up_saturday),
        cmocka_unit_test(test_invalid_input_is_rerendered_with_422),
        cmocka_unit_test(test_confirm_provisional_year),
        cmocka_unit_test(test_api_year_2026),
        cmocka_unit_test(test_api_add),
        cmocka_unit_test(test_api_bad_params),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
