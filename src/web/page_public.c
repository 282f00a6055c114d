/* Public pages for citizens: each plan with its areas, tasks, status and the
 * products the lead units published. Internal notes never appear here. */
#include "web/handlers.h"
#include "web/common.h"
#include "web/html.h"
#include "core/i18n.h"
#include "store/store_task.h"
#include <stdio.h>

void h_public_index(req *r, resp *w)
{
    plan_row *plans;
    int n;
    if (store_plan_list(r->db, true, true, &plans, &n) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    buf *b = &w->body;
    page_begin(r, w, _("Kế hoạch cải cách hành chính"));
    html_printf(b, "<h1>%s</h1><p>%s</p><ul class=\"plans\">", _("Kế hoạch cải cách hành chính"),
                _("Các kế hoạch, nhiệm vụ và kết quả thực hiện được công khai theo quy định."));
    for (int i = 0; i < n; i++)
        html_printf(b, "<li><a href=\"/public/plans/%D\">%s</a> <span class=\"muted\">%s · %d %s</span></li>", plans[i].id,
                    plans[i].title, plans[i].doc_number, plans[i].task_count, _("nhiệm vụ"));
    html_lit(b, "</ul>");
    page_end(r, w);
    plan_rows_free(plans, n);
}

static void product_link(const char *sha, const char *name, void *ctx)
{
    html_printf((buf *)ctx, "<div><a href=\"/files/%U\">%s</a></div>", sha, name);
}

void h_public_plan(req *r, resp *w)
{
    plan_row p;
    if (!store_plan_get(r->db, req_param_id(r, 0), true, &p)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy kế hoạch."), NULL); return; }
    area_row *areas;
    int na;
    if (store_area_list(r->db, p.id, &areas, &na) != DB_OK) { plan_row_free(&p); resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    buf *b = &w->body;
    page_begin(r, w, p.title);
    char issued[16];
    html_printf(b, "<h1>%s</h1>", p.title);
    if (p.doc_number[0]) html_printf(b, "<p class=\"muted\">%s %s, %s %s</p>", _("Số"), p.doc_number, _("ngày"), fmt_date(p.issued_on, issued));
    for (int i = 0; i < na; i++) {
        task_filter f = {.plan_id = p.id, .area_id = areas[i].id, .status = -1, .public_only = true};
        task_list l;
        if (store_task_find(r->db, &f, &l) != DB_OK) continue;
        html_printf(b, "<h2>%s. %s</h2><div class=\"table-wrap\"><table class=\"responsive\"><thead><tr><th>%s</th><th>%s</th>"
                       "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", areas[i].no, areas[i].title, _("TT"),
                    _("Nhiệm vụ"), _("Chủ trì"), _("Thời hạn"), _("Kết quả"));
        for (int k = 0; k < l.n; k++) {
            const task_row *t = &l.rows[k];
            html_printf(b, "<tr><td>%s</td><td>%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
                           "<td data-label=\"%s\">%s (%d%%)<br><small>%s</small>", t->number, t->title, _("Chủ trì"), t->lead.name,
                        _("Thời hạn"), t->deadline_text, _("Kết quả"), status_label(t->status),
                        t->status == ST_DONE ? 100 : t->percent, t->product);
            store_task_public_files(r->db, t->id, product_link, b);
            html_lit(b, "</td></tr>");
        }
        html_lit(b, "</tbody></table></div>");
        task_list_free(&l);
    }
    page_end(r, w);
    area_rows_free(areas, na);
    plan_row_free(&p);
}
