/* The dossier register (Sổ theo dõi hồ sơ: form 06 of Circular 01/2018, 07 of
 * Circular 03/2025), filtered by reception period and holding unit, as a
 * printable page (/onestop/register) and as CSV for Excel (UTF-8 with BOM,
 * /onestop/register.csv). */
#include "web/handlers.h"
#include "web/html.h"
#include "core/calendar.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/onestop/dossier.h"
#include "store/onestop/store_dossier.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGISTER_MAX 20000

typedef struct {
    char from[11], to[11];
    int64_t unit_id;
} register_args;

/* ?from=&to= (YYYY-MM-DD; default: this month) and ?unit=; false with a 400 written. */
static bool parse_args(req *r, resp *w, register_args *a)
{
    int32_t today = (int32_t)(dossier_moment_of_unix(db_now()) / 1440), from, to;
    int y, m, d;
    cal_ymd_from_jdn(today, &y, &m, &d);
    const char *qf = req_query(r, "from"), *qt = req_query(r, "to"), *qu = req_query(r, "unit");
    from = cal_jdn_from_ymd(y, m, 1);
    to = today;
    if ((qf && *qf && !cal_parse_date(qf, &from)) || (qt && *qt && !cal_parse_date(qt, &to)) || to < from) {
        resp_error(r, w, 400, "invalid_date", _("Khoảng ngày không hợp lệ (dd/mm/yyyy hoặc YYYY-MM-DD)."), "from");
        return false;
    }
    a->unit_id = qu && *qu ? strtoll(qu, NULL, 10) : 0;
    bool all = dossier_role_sees_all(r->user.role);
    if (!all) a->unit_id = r->user.unit_id ? r->user.unit_id : -1;   /* a division sees its own register */
    cal_format_iso(from, a->from);
    cal_format_iso(to, a->to);
    return true;
}

static int load(req *r, const register_args *a, dossier_row **rows, int *n)
{
    dossier_filter f = {.holder_unit_id = a->unit_id, .from = a->from, .to = a->to, .limit = REGISTER_MAX};
    int rc = store_dossier_find(r->db, &f, rows, n);
    return rc;
}

static const char *return_method(const dossier_row *x)
{
    if (!x->m.returned_at) return "";
    return x->home_service ? _("Trả tại nhà") : !strcmp(x->channel, "postal") ? _("Qua bưu chính")
                           : !strcmp(x->channel, "online") ? _("Trực tuyến") : _("Tại Bộ phận Một cửa");
}

/* The texts the columns point to. */
typedef struct { char number[16], contact[700], times[3][24]; } column_text;

/* The 11 columns of the register for one dossier (pointing into x and t). */
static void columns(const dossier_row *x, int no, const char *col[11], column_text *t)
{
    char *number = t->number, *contact = t->contact;
    snprintf(number, sizeof t->number, "%d", no);
    snprintf(contact, sizeof t->contact, "%s%s%s", x->address ? x->address : "", x->address && *x->address && x->phone && *x->phone ? "; " : "",
             x->phone ? x->phone : "");
    col[0] = number;
    col[1] = x->code;
    col[2] = x->procedure_name;
    col[3] = x->name;
    col[4] = contact;
    col[5] = x->holder_unit_name ? x->holder_unit_name : "";
    col[6] = dossier_time_display(x->received_at, t->times[0]);
    col[7] = dossier_time_display(x->m.due_at, t->times[1]);
    col[8] = dossier_time_display(x->m.returned_at, t->times[2]);
    col[9] = return_method(x);
    col[10] = "";                                   /* ký nhận: signed on paper */
}

static const char *const HEADERS[11] = {
    N_("TT"), N_("Mã hồ sơ"), N_("Tên thủ tục hành chính"), N_("Tên cá nhân, tổ chức"), N_("Địa chỉ, số điện thoại"),
    N_("Cơ quan chủ trì giải quyết"), N_("Nhận hồ sơ"), N_("Hẹn trả kết quả"), N_("Trả kết quả"), N_("Phương thức nhận kết quả"),
    N_("Ký nhận")};

void h_onestop_register(req *r, resp *w)
{
    register_args a;
    dossier_row *rows;
    int n;
    if (!parse_args(r, w, &a)) return;
    if (load(r, &a, &rows, &n) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    buf *b = &w->body;
    char f_vn[11], t_vn[11];
    int32_t jf, jt;
    cal_parse_iso(a.from, &jf);
    cal_parse_iso(a.to, &jt);
    page_begin(r, w, _("Sổ theo dõi hồ sơ"));
    html_printf(b, "<h1>%s</h1><p>%s %s %s %s</p>", _("Sổ theo dõi hồ sơ"), _("Hồ sơ tiếp nhận từ"), cal_format_vn(jf, f_vn), _("đến"),
                cal_format_vn(jt, t_vn));
    html_printf(b, "<form method=\"get\" action=\"/onestop/register\" class=\"filters no-print\"><label>%s<input name=\"from\" value=\"%s\" "
                   "maxlength=\"10\"></label><label>%s<input name=\"to\" value=\"%s\" maxlength=\"10\"></label><button type=\"submit\">%s</button></form>"
                   "<p class=\"no-print\"><a href=\"/onestop/register.csv?from=%U&amp;to=%U\" download>%s</a></p>",
                _("Từ ngày"), f_vn, _("Đến ngày"), t_vn, _("Xem"), a.from, a.to, _("Tải về (CSV, mở bằng Excel)"));
    html_printf(b, "<div class=\"table-wrap\"><table class=\"responsive register\"><caption class=\"visually-hidden\">%s</caption><thead><tr>",
                _("Sổ theo dõi hồ sơ"));
    for (int c = 0; c < 11; c++) html_printf(b, "<th scope=\"col\">%s</th>", _(HEADERS[c]));
    html_lit(b, "</tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        const char *col[11];
        column_text t;
        columns(&rows[i], i + 1, col, &t);
        html_lit(b, "<tr>");
        for (int c = 0; c < 11; c++) html_printf(b, "<td data-label=\"%s\">%s</td>", _(HEADERS[c]), col[c]);
        html_lit(b, "</tr>");
    }
    if (!n) html_printf(b, "<tr><td colspan=\"11\" class=\"muted\">%s</td></tr>", _("Không có hồ sơ trong khoảng này."));
    html_lit(b, "</tbody></table></div>");
    page_end(r, w);
    dossier_rows_free(rows, n);
}

void h_onestop_register_csv(req *r, resp *w)
{
    register_args a;
    dossier_row *rows;
    int n;
    if (!parse_args(r, w, &a)) return;
    if (load(r, &a, &rows, &n) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    buf *b = &w->body;
    buf_puts(b, "\xEF\xBB\xBF");                    /* the BOM: Excel then reads UTF-8 */
    for (int c = 0; c < 11; c++) csv_put_field(b, _(HEADERS[c]), c == 10);
    for (int i = 0; i < n; i++) {
        const char *col[11];
        column_text t;
        columns(&rows[i], i + 1, col, &t);
        for (int c = 0; c < 11; c++) csv_put_field(b, col[c], c == 10);
    }
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"so-theo-doi-ho-so-%s-%s.csv\"", a.from, a.to);
    w->content_type = "text/csv; charset=utf-8";
    resp_header(w, "Content-Disposition", cd);
    w->status = 200;
    dossier_rows_free(rows, n);
}
