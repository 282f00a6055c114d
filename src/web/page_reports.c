/* Reporting periods: the Office opens a period, units submit (then locked),
 * leaders approve, and the Office compiles the printable department report. */
#include "web/handlers.h"
#include "web/common.h"
#include "web/html.h"
#include "web/targets_view.h"
#include "calendar_current.h"
#include "config.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "core/plan_import.h"
#include "store/store_report.h"
#include "store/store_target.h"
#include "store/store_task.h"
#include "store/store_audit.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORT_BODY 20000

/* "05/03/2022 (Thứ Bảy)" for an ISO date. */
static void html_day(buf *b, const char *iso)
{
    int32_t j;
    char vn[11];
    if (!cal_parse_iso(iso, &j)) { html_printf(b, "%s", iso); return; }
    html_printf(b, "%s (%s)", cal_format_vn(j, vn), cal_weekday_name_vi(j));
    html_provisional_mark(b, j);
    if (!cal_is_working_day(cal_current(), j, NULL))
        html_printf(b, " <small class=\"muted\">%s</small>", _("— ngày nghỉ, nên gửi trước"));
}

static void open_form(req *r, buf *b)
{
    plan_row *plans;
    int n;
    if (store_plan_list(r->db, false, false, &plans, &n) != DB_OK) return;
    html_printf(b, "<section class=\"card no-print\"><h2>%s</h2><form method=\"post\" action=\"/reports\" class=\"filters\">", _("Mở kỳ báo cáo"));
    html_csrf_field(r, b);
    int y, m, d;
    cal_ymd_from_jdn(web_today(r), &y, &m, &d);
    html_printf(b, "<label>%s<select name=\"plan\">", _("Kế hoạch"));
    for (int i = 0; i < n; i++)       /* the plan covering this year comes selected */
        html_printf(b, "<option value=\"%D\"%s>%s</option>", plans[i].id,
                    plans[i].year_from <= y && y <= plans[i].year_to ? " selected" : "", plans[i].title);
    html_printf(b, "</select></label><label>%s<select name=\"kind\">", _("Kỳ"));
    for (int k = 0; k < PERIOD__COUNT; k++) {
        int m, d;
        period_default_due((period_kind)k, &m, &d);
        html_printf(b, "<option value=\"%s\">%s (%s %d/%d)</option>", period_id((period_kind)k), period_label((period_kind)k),
                    _("hạn gửi trước"), d, m);
    }
    html_printf(b, "</select></label><label>%s<input name=\"year\" type=\"number\" min=\"2000\" max=\"2100\" value=\"%d\"></label>"
                   "<label>%s<input name=\"due_on\" placeholder=\"dd/mm/yyyy\" maxlength=\"10\"></label>"
                   "<button type=\"submit\">%s</button></form><p class=\"muted small\">%s</p></section>",
                _("Năm"), y, _("Hạn gửi (để trống: theo kế hoạch)"), _("Mở kỳ"),
                _("Hạn mặc định theo Kế hoạch 2022, mục IV.1: Quý I trước 05/3, 6 tháng trước 05/6, Quý III trước 05/9, năm trước 30/11."));
    plan_rows_free(plans, n);
}

void h_reports(req *r, resp *w)
{
    period_row *p;
    int n;
    if (store_period_list(r->db, &p, &n) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    buf *b = &w->body;
    page_begin(r, w, _("Báo cáo định kỳ"));
    html_printf(b, "<h1>%s</h1>", _("Báo cáo định kỳ"));
    if (role_has(r->user.role, CAP_MANAGE_PLANS)) open_form(r, b);
    html_printf(b, "<div class=\"table-wrap\"><table class=\"responsive\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                _("Kỳ báo cáo"), _("Kế hoạch"), _("Hạn gửi"));
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr><td><a href=\"/reports/%D\">%s %d</a></td><td>%s</td><td>", p[i].id, period_label(p[i].kind), p[i].year, p[i].plan_title);
        html_day(b, p[i].due_on);
        html_lit(b, "</td></tr>");
    }
    if (n == 0) html_printf(b, "<tr><td colspan=\"3\" class=\"muted\">%s</td></tr>", _("Chưa mở kỳ báo cáo nào."));
    html_lit(b, "</tbody></table></div>");
    page_end(r, w);
    free(p);
}

typedef struct {
    int64_t plan_id, user_id, id;
    period_kind kind;
    int year;
    const char *due_on, *username;
} period_open_txn;

/* Opens the period and audits it in one transaction: both or neither. */
static int run_period_open(db *d, void *ctx)
{
    period_open_txn *x = ctx;
    x->id = store_period_open(d, x->plan_id, x->kind, x->year, x->due_on, x->user_id);
    if (x->id == 0) return DB_CONSTRAINT;          /* already open */
    if (x->id < 0) return DB_ERR;
    char after[96];
    snprintf(after, sizeof after, "{\"kind\":\"%s\",\"year\":%d,\"due_on\":\"%s\"}", period_id(x->kind), x->year, x->due_on);
    return store_audit(d, x->user_id, x->username, "period_open", "report_period", x->id, NULL, after);
}

void h_period_open(req *r, resp *w)
{
    const char *plan_s = req_form(r, "plan"), *kind_s = req_form(r, "kind"), *year_s = req_form(r, "year"), *due_s = req_form(r, "due_on");
    int64_t plan_id = 0, year = 0;
    int kind = period_parse(kind_s);
    plan_row p;
    if (!parse_int64_strict(plan_s, 1, INT64_MAX, &plan_id) || !store_plan_get(r->db, plan_id, false, &p)) {
        resp_error(r, w, 422, "invalid_plan", _("Chọn kế hoạch."), "plan");
        return;
    }
    int plan_from = p.year_from, plan_to = p.year_to;
    plan_row_free(&p);
    if (kind < 0) { resp_error(r, w, 422, "invalid_kind", _("Kỳ báo cáo không hợp lệ."), "kind"); return; }
    if (!parse_int64_strict(year_s, 2000, 2100, &year)) { resp_error(r, w, 422, "invalid_year", _("Năm không hợp lệ."), "year"); return; }
    if (year < plan_from || year > plan_to) {
        resp_error(r, w, 422, "year_outside_plan", _("Năm báo cáo nằm ngoài thời gian của kế hoạch."), "year");
        return;
    }
    int32_t due;
    if (due_s && *due_s) {
        if (strlen(due_s) > 10 || !cal_parse_date(due_s, &due)) { resp_error(r, w, 422, "invalid_date", _("Hạn gửi không hợp lệ (dd/mm/yyyy)."), "due_on"); return; }
    } else {
        int m, d;
        period_default_due((period_kind)kind, &m, &d);
        due = cal_jdn_from_ymd((int)year, m, d);
    }
    char iso[11];
    cal_format_iso(due, iso);
    period_open_txn x = {plan_id, r->user.id, 0, (period_kind)kind, (int)year, iso, r->user.username};
    int rc = db_txn(r->db, true, run_period_open, &x);
    if (rc == DB_CONSTRAINT) { resp_error(r, w, 409, "period_exists", _("Kỳ báo cáo này đã được mở."), "kind"); return; }
    if (rc != DB_OK) { resp_error(r, w, 500, "internal", _("Không mở được kỳ báo cáo."), NULL); return; }
    char loc[48];
    snprintf(loc, sizeof loc, "/reports/%lld", (long long)x.id);
    resp_redirect(w, loc);
}

static void submissions_table(req *r, buf *b, const period_row *p, const submission_row *s, int n)
{
    int done = 0;
    for (int i = 0; i < n; i++) done += s[i].submitted;
    html_printf(b, "<h2>%s: %d/%d</h2><div class=\"table-wrap\"><table class=\"responsive\" id=\"submissions\"><thead><tr><th>%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                _("Đơn vị đã gửi"), done, n, _("Đơn vị"), _("Tình trạng"), _("Nội dung"), _("Phê duyệt"));
    for (int i = 0; i < n; i++) {
        char when[24];
        html_printf(b, "<tr class=\"%s\"><td>%s</td><td data-label=\"%s\">", s[i].submitted ? "submitted" : "missing", s[i].unit_name, _("Tình trạng"));
        if (s[i].submitted) html_printf(b, "%s %s (%s) · %s", _("Đã gửi"), fmt_datetime(s[i].submitted_at, when), s[i].submitted_by, _("đã khóa"));
        else html_printf(b, "<span class=\"badge overdue\">%s</span>", _("Chưa gửi"));
        html_printf(b, "</td><td>%s</td><td>", s[i].body ? s[i].body : "");
        if (s[i].approved) html_printf(b, "%s %s (%s)", _("Đã duyệt"), fmt_datetime(s[i].approved_at, when), s[i].approved_by);
        else if (s[i].submitted && role_has(r->user.role, CAP_APPROVE_REPORT)) {
            html_printf(b, "<form method=\"post\" action=\"/reports/%D/approve/%D\">", p->id, s[i].unit_id);
            html_csrf_field(r, b);
            html_printf(b, "<button type=\"submit\">%s</button></form>", _("Phê duyệt"));
        }
        html_lit(b, "</td></tr>");
    }
    html_lit(b, "</tbody></table></div>");
}

static void submit_form(req *r, buf *b, const period_row *p, const submission_row *s, int n)
{
    bool office = r->user.role == ROLE_OFFICE || r->user.role == ROLE_ADMIN;
    const submission_row *mine = NULL;
    for (int i = 0; i < n; i++) if (s[i].unit_id == r->user.unit_id) mine = &s[i];
    if (!office && (!mine || mine->submitted)) return;
    html_printf(b, "<section class=\"card no-print\"><h2>%s</h2><form method=\"post\" action=\"/reports/%D/submit\" class=\"stack\" "
                   "data-confirm=\"%s\">", _("Gửi báo cáo của đơn vị"), p->id, _("Sau khi gửi, báo cáo sẽ bị khóa. Tiếp tục?"));
    html_csrf_field(r, b);
    if (office) {
        html_printf(b, "<label>%s<select name=\"unit\">", _("Đơn vị"));
        for (int i = 0; i < n; i++)
            if (!s[i].submitted) html_printf(b, "<option value=\"%D\">%s</option>", s[i].unit_id, s[i].unit_name);
        html_lit(b, "</select></label>");
    }
    html_printf(b, "<label>%s<textarea name=\"body\" required maxlength=\"20000\"></textarea></label><button type=\"submit\">%s</button></form></section>",
                _("Kết quả thực hiện trong kỳ, khó khăn, đề xuất"), _("Gửi báo cáo"));
}

void h_period_view(req *r, resp *w)
{
    period_row p;
    if (!store_period_get(r->db, req_param_id(r, 0), &p)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy kỳ báo cáo."), NULL); return; }
    submission_row *s;
    int n;
    if (store_period_submissions(r->db, p.id, &s, &n) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    buf *b = &w->body;
    char title[600];
    snprintf(title, sizeof title, "%s %d", period_label(p.kind), p.year);
    page_begin(r, w, title);
    html_printf(b, "<h1>%s</h1><p>%s — %s ", title, p.plan_title, _("hạn gửi"));
    html_day(b, p.due_on);
    html_printf(b, "</p><p><a class=\"button\" href=\"/reports/%D/department\">%s</a></p>", p.id, _("Báo cáo tổng hợp của Sở (bản in)"));
    if (req_query(r, "ok")) html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s</p>", _("Đã ghi nhận."));
    if (role_has(r->user.role, CAP_SUBMIT_REPORT)) submit_form(r, b, &p, s, n);
    submissions_table(r, b, &p, s, n);
    page_end(r, w);
    submission_rows_free(s, n);
}

void h_unit_report_submit(req *r, resp *w)
{
    period_row p;
    if (!store_period_get(r->db, req_param_id(r, 0), &p)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy kỳ báo cáo."), NULL); return; }
    int64_t unit = r->user.unit_id;
    const char *unit_s = req_form(r, "unit");
    if (unit_s && (r->user.role == ROLE_OFFICE || r->user.role == ROLE_ADMIN) &&
        !parse_int64_strict(unit_s, 1, INT64_MAX, &unit)) {
        resp_error(r, w, 422, "invalid_unit", _("Đơn vị không hợp lệ."), "unit");
        return;
    }
    const char *body = req_form(r, "body");
    if (!body || !*body) { resp_error(r, w, 422, "required", _("Nhập nội dung báo cáo."), "body"); return; }
    if (strlen(body) > MAX_REPORT_BODY) { resp_error(r, w, 422, "too_long", _("Báo cáo quá dài (tối đa 20000 byte)."), "body"); return; }
    if (!pi_valid_utf8_text(body, strlen(body))) {
        resp_error(r, w, 422, "invalid_text", _("Nội dung báo cáo phải là văn bản UTF-8 hợp lệ, không có ký tự điều khiển."), "body");
        return;
    }
    submission_row *s;
    int n;
    bool expected = false, already = false;
    if (store_period_submissions(r->db, p.id, &s, &n) != DB_OK) {
        resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL);
        return;
    }
    for (int i = 0; i < n; i++) if (s[i].unit_id == unit) { expected = true; already = s[i].submitted; }
    submission_rows_free(s, n);
    if (!expected) { resp_error(r, w, 403, "not_expected", _("Đơn vị này không thuộc diện báo cáo kỳ này."), "unit"); return; }
    if (already) { resp_error(r, w, 409, "locked", _("Đơn vị đã gửi báo cáo kỳ này; báo cáo đã khóa."), NULL); return; }
    int rc = store_report_submit(r->db, p.id, unit, body, r->user.id, r->user.username);
    if (rc == DB_CONSTRAINT) { resp_error(r, w, 409, "locked", _("Đơn vị đã gửi báo cáo kỳ này; báo cáo đã khóa."), NULL); return; }
    if (rc != DB_OK) { resp_error(r, w, 500, "internal", _("Không lưu được báo cáo."), NULL); return; }
    char loc[64];
    snprintf(loc, sizeof loc, "/reports/%lld?ok=1", (long long)p.id);
    resp_redirect(w, loc);
}

void h_unit_report_approve(req *r, resp *w)
{
    int64_t period = req_param_id(r, 0), unit = req_param_id(r, 1);
    period_row p;
    if (period <= 0 || !store_period_get(r->db, period, &p)) {
        resp_error(r, w, 404, "not_found", _("Không tìm thấy kỳ báo cáo."), NULL);
        return;
    }
    int rc = store_report_approve(r->db, period, unit, r->user.id, r->user.username);
    if (rc == DB_DONE) { resp_error(r, w, 409, "nothing_to_approve", _("Không có báo cáo chờ phê duyệt."), NULL); return; }
    if (rc != DB_OK) { resp_error(r, w, 500, "internal", _("Không phê duyệt được."), NULL); return; }
    char loc[64];
    snprintf(loc, sizeof loc, "/reports/%lld?ok=1", (long long)period);
    resp_redirect(w, loc);
}

/* ---------- the department report (printable) ---------- */

static void product_item(const char *sha, const char *name, void *ctx)
{
    html_printf((buf *)ctx, "<div><a href=\"/files/%U\">%s</a></div>", sha, name);
}

static void note_item(const char *unit, const char *note, const char *at, void *ctx)
{
    char when[16];
    /* at is a UTC timestamp: the local (UTC+7) date, not the UTC one. */
    html_printf((buf *)ctx, "<div><strong>%s</strong> (%s): %s</div>", unit, fmt_date_local(at, when), note);
}

static void report_tasks(req *r, buf *b, int64_t plan_id)
{
    area_row *areas;
    int na;
    if (store_area_list(r->db, plan_id, &areas, &na) != DB_OK) return;
    for (int i = 0; i < na; i++) {
        task_filter f = {.plan_id = plan_id, .area_id = areas[i].id, .status = -1};
        task_list l;
        if (store_task_find(r->db, &f, &l) != DB_OK) continue;
        html_printf(b, "<h2>%s. %s</h2><table class=\"report\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                       "<th>%s</th><th>%s</th></tr></thead><tbody>", areas[i].no, areas[i].title, _("TT"), _("Nhiệm vụ"),
                    _("Chủ trì"), _("Trạng thái"), _("Sản phẩm"), _("Kết quả, ghi chú"));
        for (int k = 0; k < l.n; k++) {
            const task_row *t = &l.rows[k];
            html_printf(b, "<tr><td>%s</td><td>%s<br><small>%s</small></td><td>%s</td><td>%s (%d%%) ", t->number, t->title,
                        t->deadline_text, t->lead.name, status_label(t->status), t->status == ST_DONE ? 100 : t->percent);
            html_due_badge(r, b, t);
            html_printf(b, "</td><td>%s", t->product);
            store_task_public_files(r->db, t->id, product_item, b);
            html_lit(b, "</td><td>");
            store_task_latest_notes(r->db, t->id, note_item, b);
            html_lit(b, "</td></tr>");
        }
        html_lit(b, "</tbody></table>");
        task_list_free(&l);
    }
    area_rows_free(areas, na);
}

void h_department_report(req *r, resp *w)
{
    period_row p;
    if (!store_period_get(r->db, req_param_id(r, 0), &p)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy kỳ báo cáo."), NULL); return; }
    buf *b = &w->body;
    char title[600], today[16], vn[11];
    snprintf(title, sizeof title, "%s %d", period_label(p.kind), p.year);
    page_begin(r, w, title);
    html_printf(b, "<div class=\"official-head\"><div><strong>%s</strong></div><div><strong>%s</strong><br>%s</div></div>",
                r->cfg->agency, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), _("Độc lập - Tự do - Hạnh phúc"));
    html_printf(b, "<h1>%s</h1><p class=\"center\">%s: %s</p>", title, _("Kết quả thực hiện"), p.plan_title);
    (void)today;
    html_printf(b, "<p class=\"muted\">%s %s. <button type=\"button\" data-print hidden>%s</button></p>",
                _("Số liệu tính đến ngày"), cal_format_vn(web_today(r), vn), _("In báo cáo"));
    report_tasks(r, b, p.plan_id);
    target_row *rows;
    int n;
    if (store_target_list(r->db, p.plan_id, &rows, &n) == DB_OK) {
        html_printf(b, "<h2>%s</h2>", _("Kết quả thực hiện các chỉ tiêu"));
        html_targets_table(r, b, rows, n, false);
        target_rows_free(rows, n);
    }
    page_end(r, w);
}
