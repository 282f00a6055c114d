/* Targets page and manual measurements; the targets API. */
#include "web/handlers.h"
#include "web/common.h"
#include "web/html.h"
#include "web/targets_view.h"
#include "web/upload.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "core/plan_import.h"
#include "store/store_target.h"
#include <math.h>
#include <stdint.h>
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

/* Parses a measured value: plain decimal text only, an optional sign, digits and at
 * most one '.' or ',' as the decimal separator ("12", "-3,5", "97.25"); never inf,
 * nan, exponents or hex. False unless the result is finite. */
static bool parse_decimal(const char *s, double *out)
{
    if (!s || !*s || strlen(s) > 20) return false;
    char tmp[24];
    size_t k = 0, digits = 0, seps = 0;
    const char *p = s;
    if (*p == '+' || *p == '-') tmp[k++] = *p++;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') { tmp[k++] = *p; digits++; }
        else if ((*p == '.' || *p == ',') && seps++ == 0) tmp[k++] = '.';
        else return false;
    }
    if (digits == 0) return false;
    tmp[k] = '\0';
    /* strtod is locale-dependent; the text is checked, so only the separator matters. */
    char *end;
    double v = strtod(tmp, &end);
    if (*end != '\0' || !isfinite(v)) return false;
    *out = v;
    return true;
}

typedef struct {
    int64_t target_id, user_id, id;
    double value;
    const char *measured_on, *note, *username;
} measure_ctx;

/* Records the measurement with its (at most one) stored evidence file. */
static int record_measure(db *d, const upload_file *files, int nfiles, void *ctx)
{
    measure_ctx *m = ctx;
    m->id = store_target_measure(d, m->target_id, m->value, m->measured_on, m->note, nfiles ? files[0].sha256 : NULL,
                                 nfiles ? files[0].name : NULL, m->user_id, m->username);
    return m->id > 0 ? DB_OK : DB_ERR;
}

void h_target_measure_post(req *r, resp *w)
{
    int64_t id = req_param_id(r, 0), plan_id;
    char source[64];
    if (id <= 0 || !store_target_source(r->db, id, &plan_id, source)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy chỉ tiêu."), NULL); return; }
    if (target_computed_now(source)) {
        resp_error(r, w, 409, "computed_target", _("Chỉ tiêu này do hệ thống tự tính, không nhập tay."), "value");
        return;
    }
    const char *value_s = req_form(r, "value"), *on_s = req_form(r, "measured_on"), *note = req_form(r, "note");
    double value;
    int32_t on;
    char iso[11];
    if (!parse_decimal(value_s, &value)) {
        resp_error(r, w, 422, "invalid_value", _("Giá trị phải là số thập phân, ví dụ 95 hoặc 97,5."), "value");
        return;
    }
    if (!on_s || strlen(on_s) > 10 || !cal_parse_date(on_s, &on)) { resp_error(r, w, 422, "invalid_date", _("Ngày đo không hợp lệ (dd/mm/yyyy)."), "measured_on"); return; }
    if (note && strlen(note) > 2000) { resp_error(r, w, 422, "too_long", _("Ghi chú quá dài."), "note"); return; }
    if (note && !pi_valid_utf8_text(note, strlen(note))) {
        resp_error(r, w, 422, "invalid_text", _("Ghi chú phải là văn bản UTF-8 hợp lệ, không có ký tự điều khiển."), "note");
        return;
    }
    cal_format_iso(on, iso);
    measure_ctx m = {id, r->user.id, 0, value, iso, note, r->user.username};
    upload_error err;
    if (upload_store_and_record(r, 1, _("Chỉ gửi một tệp minh chứng cho một lần nhập."), record_measure, &m, &err) != DB_OK) {
        if (err.status == 500 && !err.field) resp_error(r, w, 500, "internal", _("Không lưu được số liệu."), NULL);
        else resp_error(r, w, err.status, err.code, err.message, err.field);
        return;
    }
    resp_redirect(w, "/targets?ok=1");
}
