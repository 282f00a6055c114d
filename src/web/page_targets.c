/* Targets page and manual measurements; the targets API. */
#include "web/handlers.h"
#include "web/common.h"
#include "web/html.h"
#include "web/targets_view.h"
#include "web/upload.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "store/store_target.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void h_targets(req *r, resp *w)
{
    plan_row *plans;
    int np;
    if (store_plan_list(r->db, false, false, &plans, &np) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    buf *b = &w->body;
    page_begin(r, w, _("Chỉ tiêu"));
    html_printf(b, "<h1>%s</h1><p class=\"muted\">%s</p>", _("Chỉ tiêu cải cách hành chính"),
                _("Số liệu hệ thống có thì hệ thống tự tính; các chỉ tiêu còn lại nhập số đo được kèm minh chứng."));
    const char *ok = req_query(r, "ok");
    if (ok) html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s</p>", _("Đã lưu số liệu."));
    bool forms = role_has(r->user.role, CAP_MANAGE_PLANS);
    for (int i = 0; i < np; i++) {
        target_row *rows;
        int n;
        if (store_target_list(r->db, plans[i].id, &rows, &n) != DB_OK) continue;
        html_printf(b, "<section class=\"card\"><h2>%s</h2>", plans[i].title);
        html_targets_table(r, b, rows, n, forms);
        html_lit(b, "</section>");
        target_rows_free(rows, n);
    }
    plan_rows_free(plans, np);
    page_end(r, w);
}

void h_target_measure_post(req *r, resp *w)
{
    int64_t id = req_param_id(r, 0), plan_id;
    char source[64];
    if (id <= 0 || !store_target_source(r->db, id, &plan_id, source)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy chỉ tiêu."), NULL); return; }
    if (target_source_computed(source, NULL) && strcmp(source, "computed:plan_tasks_done_rate") == 0) {
        resp_error(r, w, 409, "computed_target", _("Chỉ tiêu này do hệ thống tự tính, không nhập tay."), "value");
        return;
    }
    const char *value_s = req_form(r, "value"), *on_s = req_form(r, "measured_on"), *note = req_form(r, "note");
    char *end = NULL;
    double value = value_s ? strtod(value_s, &end) : 0;
    int32_t on;
    char iso[11];
    if (!value_s || !*value_s || (end && *end) || strlen(value_s) > 20) { resp_error(r, w, 422, "invalid_value", _("Giá trị phải là số."), "value"); return; }
    if (!on_s || strlen(on_s) > 10 || !cal_parse_date(on_s, &on)) { resp_error(r, w, 422, "invalid_date", _("Ngày đo không hợp lệ (dd/mm/yyyy)."), "measured_on"); return; }
    if (note && strlen(note) > 2000) { resp_error(r, w, 422, "too_long", _("Ghi chú quá dài."), "note"); return; }
    cal_format_iso(on, iso);
    char sha[65] = "";
    const char *fname = NULL;
    for (int i = 0; i < r->nuploads; i++) {
        const upload *u = &r->uploads[i];
        if (!upload_allowed_type(u->data, u->len, u->filename)) {
            resp_error(r, w, 415, "unsupported_file_type", _("Loại tệp không được phép. Chỉ nhận PDF, DOCX, XLSX, ODT, JPEG, PNG."), "files");
            return;
        }
        if (upload_store(r, u, sha) != DB_OK) { resp_error(r, w, 500, "storage_failed", _("Không lưu được tệp."), "files"); return; }
        fname = u->filename;
        break;
    }
    if (store_target_measure(r->db, id, value, iso, note, sha[0] ? sha : NULL, fname, r->user.id, r->user.username) <= 0) {
        resp_error(r, w, 500, "internal", _("Không lưu được số liệu."), NULL);
        return;
    }
    resp_redirect(w, "/targets?ok=1");
}

void h_api_targets(req *r, resp *w)
{
    const char *plan = req_query(r, "plan");
    int64_t plan_id = plan ? atoll(plan) : 0;
    if (plan && plan_id <= 0) { resp_json_error(w, 400, "invalid_parameter", _("Mã kế hoạch không hợp lệ."), "plan"); return; }
    if (plan_id && !can_read_internal(r)) {
        plan_row p;
        if (!store_plan_get(r->db, plan_id, true, &p)) { resp_json_error(w, 404, "not_found", _("Không tìm thấy kế hoạch."), "plan"); return; }
        plan_row_free(&p);
    }
    target_row *rows;
    int n;
    if (store_target_list(r->db, plan_id, &rows, &n) != DB_OK) { resp_json_error(w, 500, "internal", "", NULL); return; }
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        if (!can_read_internal(r) && !store_plan_is_public(r->db, rows[i].plan_id)) continue;
        json_array_append_new(arr, target_json(r, &rows[i]));
    }
    target_rows_free(rows, n);
    resp_json_value(w, 200, json_pack("{s:o}", "targets", arr));
}
