/* The one-stop forms of a dossier as print-ready A4 HTML
 * (/dossiers/{code}/forms/{no}): the receipt, the supplementation request,
 * the refusal, the apology, the notice to stop processing and the control
 * sheet. Their numbers and titles are the dossier's legal regime's
 * (legal_regimes.forms: Circular 01/2018 numbers six forms, Circular
 * 03/2025 seven), so "05" is the control sheet of a 2018 dossier and the stop
 * notice of a 2025 one. Each form is filled from the dossier and its events. */
#include "web/handlers.h"
#include "web/html.h"
#include "web/api/api_dossier_view.h"
#include "config.h"
#include "core/i18n.h"
#include "core/onestop/dossier.h"
#include "store/onestop/store_dossier.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    req *r;
    buf *b;
    const dossier_row *x;
    const procedure *p;
    const dossier_event_row *ev;
    int nev;
    const char *no, *title;
} form_ctx;

/* The last event named name, or NULL. */
static const dossier_event_row *last_event(const form_ctx *f, const char *name)
{
    for (int i = f->nev - 1; i >= 0; i--)
        if (!strcmp(f->ev[i].event, name)) return &f->ev[i];
    return NULL;
}

static void head(const form_ctx *f)
{
    html_printf(f->b, "<div class=\"official-head\"><div><strong>%s</strong><br>%s</div><div><strong>%s</strong><br>%s</div></div>"
                      "<p class=\"center muted\">%s %s</p><h1 class=\"center\">%s</h1><p class=\"center\">%s: <strong>%s</strong></p>",
                f->r->cfg->agency, _("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"), _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                _("Độc lập - Tự do - Hạnh phúc"), _("Mẫu số"), f->no, f->title, _("Mã hồ sơ"), f->x->code);
}

static void applicant(const form_ctx *f)
{
    html_printf(f->b, "<p>%s: <strong>%s</strong></p><p>%s: %s</p><p>%s: %s — %s: %s</p><p>%s: %s</p>", _("Tiếp nhận hồ sơ của"),
                f->x->name, _("Địa chỉ"), f->x->address, _("Số điện thoại"), f->x->phone, _("Thư điện tử"), f->x->email,
                _("Nội dung yêu cầu giải quyết"), f->x->procedure_name);
}

static void signatures(const form_ctx *f, const char *left, const char *right)
{
    html_printf(f->b, "<div class=\"official-head signatures\"><div><strong>%s</strong><br><small>%s</small></div>"
                      "<div><strong>%s</strong><br><small>%s</small></div></div>",
                left, _("(Ký, ghi rõ họ tên)"), right, _("(Ký, ghi rõ họ tên)"));
}

static const char *copy_kind_label(const char *k)
{
    return !strcmp(k, "original") ? _("Bản chính") : !strcmp(k, "certified_copy") ? _("Bản sao có chứng thực")
         : !strcmp(k, "copy") ? _("Bản sao") : !strcmp(k, "original_or_certified_copy") ? _("Bản chính hoặc bản sao có chứng thực")
         : _("Bản sao kèm bản chính để đối chiếu");
}

static void receipt(const form_ctx *f)
{
    char rec[24], due[24];
    applicant(f);
    html_printf(f->b, "<h2>1. %s</h2><table class=\"form-table\"><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                _("Thành phần hồ sơ"), _("TT"), _("Tên giấy tờ"), _("Hình thức"), _("Số lượng"));
    for (int i = 0; i < f->p->ncomponents; i++)
        html_printf(f->b, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%d</td></tr>", i + 1, f->p->components[i].name,
                    copy_kind_label(f->p->components[i].copy_kind), f->p->components[i].quantity);
    html_printf(f->b, "</tbody></table><p>2. %s: %d %s</p><p>3. %s: %s</p><p>4. %s: <strong>%s</strong></p><p>5. %s: %s</p>"
                      "<p>%s: %s</p>",
                _("Thời gian giải quyết hồ sơ theo quy định"), f->p->duration.value,
                !strcmp(f->p->duration.unit, "working_days") ? _("ngày làm việc") : f->p->duration.unit,
                _("Thời gian nhận hồ sơ"), dossier_time_display(f->x->received_at, rec), _("Thời gian trả kết quả giải quyết hồ sơ"),
                dossier_time_display(f->x->base_due_at, due), _("Đăng ký nhận kết quả tại"),
                f->x->home_service ? _("nhà riêng (dịch vụ tại nhà)") : !strcmp(f->x->channel, "postal") ? _("qua bưu chính") : _("Bộ phận Một cửa"),
                _("Vào Sổ theo dõi hồ sơ, số thứ tự"), f->x->code + strlen(f->x->code) - 4);
    signatures(f, _("NGƯỜI NỘP HỒ SƠ"), _("NGƯỜI TIẾP NHẬN HỒ SƠ"));
}

static bool supplement(const form_ctx *f)
{
    const dossier_event_row *e = last_event(f, "request_supplement");
    if (!e) return false;
    applicant(f);
    html_printf(f->b, "<p>%s:</p><p>%s</p>", _("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau"), e->note && *e->note ? e->note : "…");
    html_printf(f->b, "<p>%s</p>", _("Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ Bộ phận Một cửa để được hướng dẫn."));
    signatures(f, _("NGƯỜI NỘP HỒ SƠ"), _("NGƯỜI HƯỚNG DẪN"));
    return true;
}

static bool refusal_or_stop(const form_ctx *f, const char *event, const char *lead)
{
    const dossier_event_row *e = last_event(f, event);
    if (!e) return false;
    applicant(f);
    html_printf(f->b, "<p>%s</p><p><strong>%s</strong></p><p>%s</p>", lead, e->note && *e->note ? e->note : "…",
                _("Xin thông báo cho ông/bà được biết và thực hiện."));
    signatures(f, _("NGƯỜI NỘP HỒ SƠ"), _("NGƯỜI TIẾP NHẬN HỒ SƠ"));
    return true;
}

static bool apology(const form_ctx *f)
{
    const dossier_event_row *e = last_event(f, "apologise");
    if (!e || !f->x->m.apology_due_at) return false;
    char rec[24], due[24], again[24];
    html_printf(f->b, "<p>%s: %s (%s, %s)</p><p>%s %s, %s %s. %s: %s.</p><p>%s: %s</p><p>%s. %s: <strong>%s</strong>.</p>",
                _("Kính gửi"), f->x->name, f->x->address, f->x->phone, _("Ngày"), dossier_time_display(f->x->received_at, rec),
                _("Bộ phận Một cửa tiếp nhận giải quyết hồ sơ của ông/bà về"), f->x->procedure_name, _("Thời gian hẹn trả kết quả"),
                dossier_time_display(f->x->base_due_at, due), _("Việc giải quyết hồ sơ chưa bảo đảm đúng thời hạn, lý do"),
                e->note && *e->note ? e->note : "…", _("Sở Giáo dục và Đào tạo xin lỗi ông/bà"), _("Thời gian hẹn trả kết quả lại"),
                dossier_time_display(f->x->m.apology_due_at, again));
    signatures(f, _("NƠI NHẬN"), _("THỦ TRƯỞNG CƠ QUAN"));
    return true;
}

static void control_sheet(const form_ctx *f)
{
    html_printf(f->b, "<p>%s: %s — %s</p><table class=\"form-table\"><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                _("Kèm theo hồ sơ của"), f->x->name, f->x->procedure_name, _("Tên cơ quan"), _("Thời gian giao, nhận hồ sơ"),
                _("Kết quả giải quyết hồ sơ"), _("Ghi chú"));
    for (int i = 0; i < f->nev; i++) {
        const dossier_event_row *e = &f->ev[i];
        if (strcmp(e->event, "receive") && strcmp(e->event, "transfer") && strcmp(e->event, "sign") && strcmp(e->event, "return")) continue;
        char at[24];
        const char *result = !e->step_result ? "" : !strcmp(e->step_result, "late") ? _("Quá hạn")
                           : !strcmp(e->step_result, "early") ? _("Trước hạn") : _("Đúng hạn");
        html_printf(f->b, "<tr><td>%s</td><td>%s: %s (%s)</td><td>%s</td><td>%s</td></tr>", e->to_unit ? e->to_unit : (e->from_unit ? e->from_unit : ""),
                    e->from_unit ? _("Giao, nhận") : _("Nhận"), dossier_time_display(e->at, at), e->username, result, e->note ? e->note : "");
    }
    html_lit(f->b, "</tbody></table>");
}

/* The form's kind and title in the dossier's regime; false if the regime has no such number. */
static bool form_of_regime(req *r, const dossier_row *x, const char *no, char *kind, size_t kn, char *title, size_t tn)
{
    char *forms = NULL;
    if (!store_legal_regime_forms(r->db, x->regime, &forms)) return false;
    json_t *list = json_loads(forms, 0, NULL), *item;
    free(forms);
    size_t i;
    bool found = false;
    json_array_foreach(list, i, item) {
        if (strcmp(json_string_value(json_object_get(item, "no")) ? json_string_value(json_object_get(item, "no")) : "", no)) continue;
        snprintf(kind, kn, "%s", json_string_value(json_object_get(item, "kind")) ? json_string_value(json_object_get(item, "kind")) : "");
        snprintf(title, tn, "%s", json_string_value(json_object_get(item, "title")) ? json_string_value(json_object_get(item, "title")) : "");
        found = true;
    }
    json_decref(list);
    return found;
}

/* Writes the form of kind; false when the dossier has nothing for it (no request, no apology...). */
static bool write_form(form_ctx *f, const char *kind)
{
    if (!strcmp(kind, "receipt")) { receipt(f); return true; }
    if (!strcmp(kind, "supplement")) return supplement(f);
    if (!strcmp(kind, "refusal"))
        return refusal_or_stop(f, "refuse", _("Qua xem xét, Bộ phận Một cửa thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"));
    if (!strcmp(kind, "stop")) return refusal_or_stop(f, "stop", _("Cơ quan giải quyết thông báo dừng giải quyết hồ sơ này với lý do:"));
    if (!strcmp(kind, "apology")) return apology(f);
    if (!strcmp(kind, "control")) { control_sheet(f); return true; }
    return false;
}

void h_dossier_form(req *r, resp *w)
{
    dossier_row x;
    bool all = dossier_role_sees_all(r->user.role);
    if (!store_dossier_get(r->db, r->params[0], &x)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy hồ sơ."), NULL); return; }
    char kind[32], title[200];
    procedure_doc pd = {0};
    dossier_event_row *ev = NULL;
    int nev = 0;
    if (!all && r->user.unit_id != x.holder_unit_id) resp_error(r, w, 404, "not_found", _("Không tìm thấy hồ sơ."), NULL);
    else if (!strcmp(r->params[1], "register")) resp_redirect(w, "/onestop/register");
    else if (!form_of_regime(r, &x, r->params[1], kind, sizeof kind, title, sizeof title))
        resp_error(r, w, 404, "not_found", _("Chế độ áp dụng cho hồ sơ này không có mẫu số này."), "no");
    else if (!procedure_doc_load(r->db, x.procedure_version_id, &pd) || store_dossier_events(r->db, x.id, &ev, &nev) != DB_OK)
        resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL);
    else if (!strcmp(kind, "register")) resp_redirect(w, "/onestop/register");
    else {
        form_ctx f = {r, &w->body, &x, &pd.p, ev, nev, r->params[1], title};
        page_begin(r, w, title);
        head(&f);
        bool ok = write_form(&f, kind);
        html_printf(&w->body, "<p class=\"no-print\"><button type=\"button\" data-print hidden>%s</button> <a href=\"/dossiers/%U\">%s</a></p>",
                    _("In"), x.code, _("Về hồ sơ"));
        page_end(r, w);
        if (!ok) {
            buf_free(&w->body);
            w->status = 0;
            resp_error(r, w, 404, "not_found", _("Hồ sơ chưa có nội dung cho mẫu này (chưa yêu cầu bổ sung, chưa xin lỗi...)."), "no");
        }
    }
    dossier_events_free(ev, nev);
    procedure_doc_free(&pd);
    dossier_row_free(&x);
}
