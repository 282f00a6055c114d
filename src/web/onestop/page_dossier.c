/* A dossier's page (/dossiers/{code}): applicant, components, the due date
 * with its explanation, the timeline, and the actions the signed-in role may
 * take in the dossier's state; its form posts (POST /dossiers/{code}/events,
 * the same dossier_event_run as the API). The forms are page_forms.c. */
#include "web/handlers.h"
#include "web/html.h"
#include "web/api/api_dossier_event.h"
#include "web/api/api_dossier_view.h"
#include "calendar_current.h"
#include "config.h"
#include "core/i18n.h"
#include "core/onestop/dossier.h"
#include "store/onestop/store_dossier.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads the dossier of the path if the user may see it; else answers 404. */
static bool load_visible(req *r, resp *w, dossier_row *x)
{
    bool all = dossier_role_sees_all(r->user.role);
    if (store_dossier_get(r->db, r->params[0], x)) {
        if (all || (r->user.unit_id && r->user.unit_id == x->holder_unit_id)) return true;
        dossier_row_free(x);
    }
    resp_error(r, w, 404, "not_found", _("Không tìm thấy hồ sơ."), NULL);
    return false;
}

static void summary(buf *b, const dossier_row *x, const procedure *p)
{
    char rec[24], due[24];
    html_printf(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s (%s %d)</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
                   "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s %s</dd>",
                _("Thủ tục"), x->procedure_name, _("phiên bản"), x->procedure_version, _("Trạng thái"),
                dossier_state_label((dossier_state)dossier_state_parse(x->m.state)), _("Tiếp nhận"), dossier_time_display(x->received_at, rec),
                _("Hạn trả kết quả"), dossier_time_display(x->m.due_at, due), _("Đơn vị đang giữ"), x->holder_unit_name ? x->holder_unit_name : "—",
                _("Người nộp"), x->name, x->phone && *x->phone ? x->phone : "");
    if (x->m.paused_since) html_printf(b, "<dt>%s</dt><dd>%s</dd>", _("Thời hạn"), _("Tạm dừng, chờ người nộp bổ sung hồ sơ"));
    if (x->m.apology_at) html_printf(b, "<dt>%s</dt><dd>%s</dd>", _("Xin lỗi, hẹn lại"), dossier_time_display(x->m.apology_due_at, due));
    html_printf(b, "</dl><p class=\"muted\">%s: %d %s</p>", _("Thời hạn giải quyết theo quy định"), p->duration.value,
                !strcmp(p->duration.unit, "working_hours") ? _("giờ làm việc") : !strcmp(p->duration.unit, "same_day") ? _("(trong ngày)")
                : !strcmp(p->duration.unit, "days") ? _("ngày") : !strcmp(p->duration.unit, "months") ? _("tháng") : _("ngày làm việc"));
}

static void timeline(req *r, buf *b, const dossier_row *x)
{
    dossier_event_row *ev;
    int n;
    if (store_dossier_events(r->db, x->id, &ev, &n) != DB_OK) return;
    html_printf(b, "<h2>%s</h2><ol class=\"timeline\">", _("Quá trình xử lý (phiếu kiểm soát)"));
    for (int i = 0; i < n; i++) {
        char at[24];
        int st = dossier_state_parse(ev[i].to_state);
        html_printf(b, "<li><strong>%s</strong> — %s, %s", dossier_time_display(ev[i].at, at),
                    dossier_state_label((dossier_state)(st < 0 ? 0 : st)), ev[i].username);
        if (ev[i].to_unit) html_printf(b, " → %s", ev[i].to_unit);
        if (ev[i].step_result)
            html_printf(b, " <span class=\"badge %s\">%s</span>", ev[i].step_result,
                        !strcmp(ev[i].step_result, "late") ? _("chậm") : !strcmp(ev[i].step_result, "early") ? _("sớm") : _("đúng hạn"));
        if (ev[i].note && *ev[i].note) html_printf(b, "<br>%s", ev[i].note);
        html_lit(b, "</li>");
    }
    html_lit(b, "</ol>");
    dossier_events_free(ev, n);
}

static void action_form(req *r, buf *b, const dossier_row *x, dossier_event e, const char *label)
{
    html_printf(b, "<form method=\"post\" action=\"/dossiers/%U/events\" class=\"stack card\"><input type=\"hidden\" name=\"event\" value=\"%s\">",
                x->code, dossier_event_id(e));
    html_csrf_field(r, b);
    html_printf(b, "<label>%s<textarea name=\"note\" maxlength=\"2000\" rows=\"2\"></textarea></label>", _("Nội dung, ghi chú"));
    if (e == DE_APOLOGISE)
        html_printf(b, "<label>%s<input name=\"reason\" required maxlength=\"2000\"></label><label>%s<input type=\"date\" name=\"new_due_on\" required></label>",
                    _("Lý do chậm"), _("Ngày hẹn trả mới"));
    if (e == DE_REQUEST_SUPPLEMENT && x->m.supplement_requests >= 1)
        html_printf(b, "<label>%s<input name=\"reason\" required maxlength=\"2000\"></label><label>%s<input name=\"legal_basis\" required maxlength=\"500\"></label>"
                       "<label>%s<input name=\"approved_by\" required maxlength=\"64\"></label>",
                    _("Lý do yêu cầu bổ sung lần hai"), _("Căn cứ pháp lý"), _("Lãnh đạo Sở đồng ý (tên đăng nhập)"));
    html_printf(b, "<button type=\"submit\">%s</button></form>", label);
}

static void actions(req *r, buf *b, const dossier_row *x)
{
    static const struct { dossier_event e; const char *label; } ACTIONS[] = {
        {DE_TRANSFER, N_("Chuyển bước tiếp theo")}, {DE_REQUEST_SUPPLEMENT, N_("Yêu cầu bổ sung hồ sơ")},
        {DE_SUPPLEMENT_RECEIVED, N_("Đã nhận hồ sơ bổ sung")}, {DE_REQUEST_PAYMENT, N_("Yêu cầu nộp phí, lệ phí")},
        {DE_PAYMENT_RECEIVED, N_("Đã nhận phí, lệ phí")}, {DE_APPROVE, N_("Duyệt dự thảo kết quả")}, {DE_SIGN, N_("Ký duyệt kết quả")},
        {DE_RETURN, N_("Trả kết quả")}, {DE_APOLOGISE, N_("Xin lỗi và hẹn lại ngày trả")}, {DE_STOP, N_("Dừng xử lý")},
        {DE_WITHDRAW, N_("Người nộp rút hồ sơ")}};
    dossier_state st = (dossier_state)dossier_state_parse(x->m.state), next;
    html_printf(b, "<h2>%s</h2>", _("Thao tác"));
    int shown = 0;
    for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++) {
        if (!dossier_event_role_allowed(ACTIONS[i].e, r->user.role) || !dossier_next_state(st, ACTIONS[i].e, &next)) continue;
        if (ACTIONS[i].e == DE_APOLOGISE && x->m.apology_at) continue;
        action_form(r, b, x, ACTIONS[i].e, _(ACTIONS[i].label));
        shown++;
    }
    if (!shown) html_printf(b, "<p class=\"muted\">%s</p>", _("Không có thao tác nào cho vai trò của bạn ở trạng thái này."));
}

/* True when the dossier has what the form of kind tells (page_forms.c answers 404 otherwise). */
static bool form_available(const dossier_row *x, const char *kind)
{
    if (!strcmp(kind, "supplement")) return x->m.supplement_requests > 0;
    if (!strcmp(kind, "refusal")) return !strcmp(x->m.state, "refused");
    if (!strcmp(kind, "stop")) return !strcmp(x->m.state, "stopped");
    if (!strcmp(kind, "apology")) return x->m.apology_at != NULL;
    return true;
}

/* Links to the forms of the dossier's legal regime that the dossier has. */
static void forms_links(req *r, buf *b, const dossier_row *x)
{
    char *forms = NULL;
    if (!store_legal_regime_forms(r->db, x->regime, &forms)) return;
    json_t *list = json_loads(forms, 0, NULL), *item;
    free(forms);
    size_t i;
    html_printf(b, "<h2>%s</h2><ul class=\"forms\">", _("Biểu mẫu"));
    json_array_foreach(list, i, item) {
        const char *no = json_string_value(json_object_get(item, "no")), *title = json_string_value(json_object_get(item, "title"));
        const char *kind = json_string_value(json_object_get(item, "kind"));
        if (no && title && kind && form_available(x, kind)) html_printf(b, "<li><a href=\"/dossiers/%U/forms/%U\">%s %s: %s</a></li>", x->code, no, _("Mẫu"), no, title);
    }
    html_lit(b, "</ul>");
    json_decref(list);
}

void h_dossier_view(req *r, resp *w)
{
    dossier_row x;
    if (!load_visible(r, w, &x)) return;
    procedure_doc pd;
    if (!procedure_doc_load(r->db, x.procedure_version_id, &pd) || store_dossier_viewed(r->db, x.id, r->user.id) != DB_OK) {
        dossier_row_free(&x);
        resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL);
        return;
    }
    buf *b = &w->body;
    page_begin(r, w, x.code);
    html_printf(b, "<h1>%s %s</h1>", _("Hồ sơ"), x.code);
    if (req_query(r, "ok")) html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s</p>", _("Đã ghi."));
    summary(b, &x, &pd.p);
    forms_links(r, b, &x);
    actions(r, b, &x);
    timeline(r, b, &x);
    page_end(r, w);
    procedure_doc_free(&pd);
    dossier_row_free(&x);
}

void h_dossier_event_post(req *r, resp *w)
{
    event_request in = {req_form(r, "event"), req_form(r, "note"), req_form(r, "reason"), req_form(r, "legal_basis"),
                        req_form(r, "approved_by"), req_form(r, "new_due_on")};
    if (in.reason && !*in.reason) in.reason = NULL;
    if (in.new_due_on && !*in.new_due_on) in.new_due_on = NULL;
    dossier_row x;
    if (!load_visible(r, w, &x)) return;
    dossier_row_free(&x);
    dossier_event_run(r, w, r->params[0], &in, true);
}
