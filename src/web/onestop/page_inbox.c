/* The one-stop back office's pages: the officer's inbox (/onestop) and the
 * counter intake form (/onestop/intake). They call the same store and the
 * same intake path (dossier_intake_run) as the JSON API. */
#include "web/handlers.h"
#include "web/html.h"
#include "web/api/api_dossier_event.h"
#include "web/api/api_dossier_view.h"
#include "calendar_current.h"
#include "core/i18n.h"
#include "core/onestop/dossier.h"
#include "store/onestop/store_dossier.h"
#include "store/onestop/store_procedure.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The urgency class and label of an open dossier: overdue, due today, paused, needs an apology. */
static const char *urgency(const dossier_row *x, int64_t now, const char **label)
{
    int64_t due;
    *label = "";
    if (!dossier_state_open((dossier_state)dossier_state_parse(x->m.state)) || !dossier_time_parse(x->m.due_at, &due)) return "";
    if (x->m.paused_since) { *label = _("Tạm dừng (chờ bổ sung)"); return "paused"; }
    if (now > due) { *label = _("Quá hạn"); return "overdue"; }
    int32_t today = (int32_t)(now / 1440), due_day = (int32_t)(due / 1440);
    if (today == due_day) { *label = _("Đến hạn hôm nay"); return "due_today"; }
    if (!x->m.apology_at && cal_working_days_between(cal_current(), today, due_day) <= 1) {
        *label = _("Cần xin lỗi, hẹn lại nếu chậm");
        return "needs_apology";
    }
    return "";
}

static int by_due(const void *a, const void *b)
{
    return strcmp(((const dossier_row *)a)->m.due_at, ((const dossier_row *)b)->m.due_at);
}

static void inbox_table(req *r, buf *b, dossier_row *rows, int n)
{
    int64_t now = dossier_moment_of_unix(db_now());
    qsort(rows, (size_t)n, sizeof *rows, by_due);      /* the least working time left first */
    html_printf(b, "<div class=\"table-wrap\"><table class=\"responsive dossiers\"><caption class=\"visually-hidden\">%s</caption>"
                   "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                   "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                _("Hồ sơ đang chờ xử lý"), _("Mã hồ sơ"), _("Thủ tục"), _("Người nộp"), _("Trạng thái"), _("Hạn trả kết quả"),
                _("Cảnh báo"));
    for (int i = 0; i < n; i++) {
        const dossier_row *x = &rows[i];
        const char *label, *cls = urgency(x, now, &label);
        char due[24];
        html_printf(b, "<tr class=\"%s\"><td data-label=\"%s\"><a href=\"/dossiers/%U\">%s</a></td><td data-label=\"%s\">%s</td>"
                       "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">",
                    cls, _("Mã hồ sơ"), x->code, x->code, _("Thủ tục"), x->procedure_name, _("Người nộp"), x->name, _("Trạng thái"),
                    dossier_state_label((dossier_state)dossier_state_parse(x->m.state)), _("Hạn trả kết quả"),
                    dossier_time_display(x->m.due_at, due), _("Cảnh báo"));
        if (*cls) html_printf(b, "<span class=\"badge %s\">%s</span>", cls, label);
        html_lit(b, "</td></tr>");
    }
    if (n == 0) html_printf(b, "<tr><td colspan=\"6\" class=\"muted\">%s</td></tr>", _("Không có hồ sơ nào đang chờ."));
    html_lit(b, "</tbody></table></div>");
}

void h_onestop_inbox(req *r, resp *w)
{
    bool all = dossier_role_sees_all(r->user.role);
    dossier_filter f = {.open_only = true, .holder_unit_id = all ? 0 : (r->user.unit_id ? r->user.unit_id : -1)};
    dossier_row *rows;
    int n;
    if (store_dossier_find(r->db, &f, &rows, &n) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    buf *b = &w->body;
    page_begin(r, w, _("Một cửa điện tử"));
    html_printf(b, "<h1>%s</h1><p class=\"muted\">%s</p>", _("Hồ sơ đang chờ xử lý"),
                all ? _("Tất cả hồ sơ chưa xong, hạn gần nhất trước.") : _("Hồ sơ đơn vị bạn đang giữ, hạn gần nhất trước."));
    if (role_has(r->user.role, CAP_DOSSIER_INTAKE))
        html_printf(b, "<p><a class=\"button\" href=\"/onestop/intake\">%s</a></p>", _("Tiếp nhận hồ sơ tại quầy"));
    html_printf(b, "<p><a href=\"/onestop/register\">%s</a></p>", _("Sổ theo dõi hồ sơ"));
    inbox_table(r, b, rows, n);
    page_end(r, w);
    dossier_rows_free(rows, n);
}

/* ---- counter intake ------------------------------------------------------------------ */

static void procedure_picker(req *r, buf *b, const char *chosen)
{
    procedure_row *rows;
    int n;
    if (store_procedure_list(r->db, NULL, NULL, &rows, &n) != DB_OK) return;
    html_printf(b, "<form method=\"get\" action=\"/onestop/intake\" class=\"stack\"><label>%s<select name=\"procedure\" required>",
                _("Thủ tục hành chính"));
    for (int i = 0; i < n; i++)
        html_printf(b, "<option value=\"%s\"%s>%s — %s</option>", rows[i].code,
                    chosen && !strcmp(chosen, rows[i].code) ? " selected" : "", rows[i].code, rows[i].name);
    html_printf(b, "</select></label><button type=\"submit\">%s</button></form>", _("Chọn thủ tục"));
    procedure_rows_free(rows, n);
}

static void intake_form(req *r, buf *b, const procedure *p)
{
    html_printf(b, "<form method=\"post\" action=\"/onestop/intake\" class=\"stack\"><input type=\"hidden\" name=\"procedure\" value=\"%s\">",
                p->code);
    html_csrf_field(r, b);
    html_printf(b, "<h2>%s</h2><label>%s<input name=\"name\" required maxlength=\"200\" autocomplete=\"name\"></label>"
                   "<label>%s<input name=\"id_number\" inputmode=\"numeric\" pattern=\"[0-9]{12}\" maxlength=\"12\"></label>"
                   "<label>%s<input name=\"phone\" type=\"tel\" maxlength=\"20\" autocomplete=\"tel\"></label>"
                   "<label>%s<input name=\"email\" type=\"email\" maxlength=\"200\" autocomplete=\"email\"></label>"
                   "<label>%s<input name=\"address\" maxlength=\"500\" autocomplete=\"street-address\"></label>",
                _("Người nộp hồ sơ"), _("Họ và tên"), _("Số định danh cá nhân (CCCD, 12 số)"), _("Điện thoại"), _("Thư điện tử"),
                _("Địa chỉ"));
    html_printf(b, "<fieldset><legend>%s</legend>", _("Thành phần hồ sơ đã nhận"));
    for (int i = 0; i < p->ncomponents; i++)
        html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"component\" value=\"%d\"> %s (%d)</label>", i + 1,
                    p->components[i].name, p->components[i].quantity);
    html_printf(b, "</fieldset><label>%s<select name=\"channel\"><option value=\"counter\">%s</option><option value=\"postal\">%s</option>"
                   "</select></label><label class=\"check\"><input type=\"checkbox\" name=\"home_service\" value=\"1\"> %s</label>"
                   "<label>%s<textarea name=\"note\" maxlength=\"2000\" rows=\"3\"></textarea></label>"
                   "<button type=\"submit\">%s</button></form>",
                _("Hình thức nộp"), _("Trực tiếp tại quầy"), _("Qua bưu chính"), _("Tiếp nhận hoặc trả kết quả tại nhà"), _("Ghi chú"),
                _("Tiếp nhận và in giấy hẹn"));
}

void h_onestop_intake_form(req *r, resp *w)
{
    const char *code = req_query(r, "procedure");
    procedure_row row;
    procedure_doc pd = {0};
    bool chosen = code && *code && store_procedure_get(r->db, code, 0, &row);
    if (chosen) {
        chosen = procedure_doc_load(r->db, row.version_id, &pd);
        procedure_row_free(&row);
    }
    buf *b = &w->body;
    page_begin(r, w, _("Tiếp nhận hồ sơ"));
    html_printf(b, "<h1>%s</h1>", _("Tiếp nhận hồ sơ tại quầy"));
    procedure_picker(r, b, chosen ? code : NULL);
    if (chosen) intake_form(r, b, &pd.p);
    page_end(r, w);
    procedure_doc_free(&pd);
}

void h_onestop_intake_post(req *r, resp *w)
{
    component_input comps[PROC_MAX_COMPONENTS];
    intake_request in = {.procedure = req_form(r, "procedure"), .channel = req_form(r, "channel"), .note = req_form(r, "note"),
                         .applicant = {req_form(r, "name"), req_form(r, "id_number"), req_form(r, "phone"), req_form(r, "email"),
                                       req_form(r, "address")},
                         .components = comps};
    const char *home = req_form(r, "home_service");
    in.home_service = home && !strcmp(home, "1");
    if (!in.channel || (strcmp(in.channel, "counter") && strcmp(in.channel, "postal"))) in.channel = "counter";
    if (!in.applicant.name || !*in.applicant.name || strlen(in.applicant.name) > 200) {
        resp_error(r, w, 422, "required", _("Nhập họ và tên người nộp (tối đa 200 ký tự)."), "name");
        return;
    }
    for (int i = 0; i < r->nform && in.ncomponents < PROC_MAX_COMPONENTS; i++)
        if (!strcmp(r->form[i].name, "component")) {
            int id = atoi(r->form[i].value);
            if (id < 1 || id > PROC_MAX_COMPONENTS) { resp_error(r, w, 422, "invalid_value", _("Thành phần không hợp lệ."), "component"); return; }
            comps[in.ncomponents++] = (component_input){id, NULL, 0};
        }
    dossier_intake_run(r, w, &in, true);
}
