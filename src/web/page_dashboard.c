/* The Office's dashboard for one plan: counts by status, progress per area and
 * per lead unit, overdue tasks and tasks due soon. Every number links to the
 * task list filtered to exactly those tasks. */
#include "web/handlers.h"
#include "web/common.h"
#include "web/html.h"
#include "web/page_cache.h"
#include "calendar_current.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The plan to show: want (?plan=), else the plan covering this year, else the newest. */
static int64_t choose_plan(req *r, int64_t want, plan_row *plans, int n)
{
    int y, m, d;
    cal_ymd_from_jdn(web_today(r), &y, &m, &d);
    int64_t covering = 0;
    for (int i = 0; i < n; i++) {
        if (plans[i].id == want) return want;
        if (!covering && plans[i].year_from <= y && y <= plans[i].year_to) covering = plans[i].id;
    }
    return covering ? covering : (n ? plans[0].id : 0);
}

static void stat_link(buf *b, int64_t plan, const char *extra, const char *cls, int count, const char *label)
{
    html_printf(b, "<a class=\"stat %s\" href=\"/tasks?plan=%D%s\"><b>%d</b>%s</a>", cls, plan, extra, count, label);
}

static void status_cards(buf *b, int64_t plan, const plan_stats *s)
{
    html_printf(b, "<h2>%s</h2><div class=\"grid stats\">", _("Nhiệm vụ theo trạng thái"));
    html_printf(b, "<a class=\"stat\" href=\"/tasks?plan=%D\"><b>%d</b>%s</a>", plan, s->total, _("Tổng số nhiệm vụ"));
    static const char *const cls[ST__COUNT] = {"", "", "ok", ""};
    for (int st = 0; st < ST__COUNT; st++) {
        html_printf(b, "<a class=\"stat %s\" href=\"/tasks?plan=%D&amp;status=%s\"><b>%d</b>%s</a>", cls[st], plan,
                    status_id((task_status)st), s->by_status[st], status_label((task_status)st));
    }
    stat_link(b, plan, "&overdue=1", "bad", s->overdue, _("Quá hạn"));
    stat_link(b, plan, "&due_soon=1", "warn", s->due_soon, _("Sắp đến hạn"));
    stat_link(b, plan, "&kind=event", "", s->awaiting_event, _("Chờ chỉ đạo"));
    stat_link(b, plan, "&kind=unparsed", "", s->needs_date, _("Cần đặt ngày"));
    html_lit(b, "</div>");
}

static void progress_table(buf *b, int64_t plan, const char *title, const char *param, const progress_row *rows, int n)
{
    html_printf(b, "<h2>%s</h2><div class=\"table-wrap\"><table class=\"responsive\"><thead><tr><th>%s</th><th class=\"num\">%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
                   "<th>%s</th></tr></thead><tbody>",
                title, strcmp(param, "area") ? _("Đơn vị chủ trì") : _("Lĩnh vực"), _("Tổng"), _("Hoàn thành"),
                _("Đang thực hiện"), _("Chưa triển khai"), _("Quá hạn"), _("Tiến độ bình quân"));
    for (int i = 0; i < n; i++) {
        const progress_row *p = &rows[i];
        html_printf(b, "<tr><td>%s</td>", p->label);
        html_printf(b, "<td class=\"num\" data-label=\"%s\"><a href=\"/tasks?plan=%D&amp;%s=%D\">%d</a></td>", _("Tổng"), plan, param, p->key, p->total);
        html_printf(b, "<td class=\"num\" data-label=\"%s\"><a href=\"/tasks?plan=%D&amp;%s=%D&amp;status=done\">%d</a></td>",
                    _("Hoàn thành"), plan, param, p->key, p->done);
        html_printf(b, "<td class=\"num\" data-label=\"%s\"><a href=\"/tasks?plan=%D&amp;%s=%D&amp;status=in_progress\">%d</a></td>",
                    _("Đang thực hiện"), plan, param, p->key, p->in_progress);
        html_printf(b, "<td class=\"num\" data-label=\"%s\"><a href=\"/tasks?plan=%D&amp;%s=%D&amp;status=not_started\">%d</a></td>",
                    _("Chưa triển khai"), plan, param, p->key, p->not_started);
        html_printf(b, "<td class=\"num\" data-label=\"%s\"><a href=\"/tasks?plan=%D&amp;%s=%D&amp;overdue=1\">%d</a></td>",
                    _("Quá hạn"), plan, param, p->key, p->overdue);
        html_printf(b, "<td data-label=\"%s\"><progress max=\"100\" value=\"%d\"></progress> %d%%</td></tr>",
                    _("Tiến độ bình quân"), p->percent_avg, p->percent_avg);
    }
    html_lit(b, "</tbody></table></div>");
}

#define DASHBOARD_UNITS 30       /* lead units shown unless ?units=all: a city plan has hundreds */

/* Most overdue first, then most tasks: the units the Office follows up first. */
static int by_attention(const void *a, const void *b)
{
    const progress_row *x = a, *y = b;
    if (x->overdue != y->overdue) return y->overdue - x->overdue;
    if (x->total != y->total) return y->total - x->total;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* The lead-unit table: every unit with ?units=all, else the DASHBOARD_UNITS
 * needing most attention, with a link to the rest. */
static void unit_progress(req *r, buf *b, int64_t plan, progress_row *rows, int n)
{
    const char *all_q = req_query(r, "units");
    bool all = all_q && strcmp(all_q, "all") == 0;
    if (all || n <= DASHBOARD_UNITS) {
        progress_table(b, plan, _("Tiến độ theo đơn vị chủ trì"), "unit", rows, n);
        return;
    }
    qsort(rows, (size_t)n, sizeof *rows, by_attention);
    char title[160];
    snprintf(title, sizeof title, _("Tiến độ theo đơn vị chủ trì: %d đơn vị cần chú ý nhất"), DASHBOARD_UNITS);
    progress_table(b, plan, title, "unit", rows, DASHBOARD_UNITS);
    html_printf(b, "<p><a href=\"/?plan=%D&amp;units=all\">%s (%d)</a></p>", plan, _("Xem tất cả đơn vị"), n);
}

static void short_list(req *r, buf *b, int64_t plan, const char *title, const char *more_q, task_filter *f)
{
    task_list l;
    f->per_page = 10;
    f->page = 1;
    if (store_task_find(r->db, f, &l) != DB_OK) return;
    html_printf(b, "<h2>%s (%d)</h2><ul class=\"short\">", title, l.total);
    for (int i = 0; i < l.n; i++) {
        html_printf(b, "<li><a href=\"/tasks/%D\">%s %s</a> — %s · ", l.rows[i].id, l.rows[i].number, l.rows[i].title, l.rows[i].lead.name);
        html_due_badge(r, b, &l.rows[i]);
        html_lit(b, "</li>");
    }
    if (l.n == 0) html_printf(b, "<li class=\"muted\">%s</li>", _("Không có."));
    html_printf(b, "</ul><p><a href=\"/tasks?plan=%D&amp;%s=1\">%s</a></p>", plan, more_q, _("Xem tất cả"));
    task_list_free(&l);
}

/* The dashboard's content for the chosen plan (*ctx: the requested plan id or 0). */
static bool dashboard_content(req *r, buf *b, void *ctx)
{
    plan_row *plans;
    int n;
    if (store_plan_list(r->db, false, false, &plans, &n) != DB_OK) return false;
    int64_t plan = choose_plan(r, *(int64_t *)ctx, plans, n);
    html_printf(b, "<h1>%s</h1><form method=\"get\" action=\"/\" class=\"filters\"><label>%s<select name=\"plan\">", _("Tổng quan"), _("Kế hoạch"));
    for (int i = 0; i < n; i++)
        html_printf(b, "<option value=\"%D\"%s>%s</option>", plans[i].id, plans[i].id == plan ? " selected" : "", plans[i].title);
    html_printf(b, "</select></label><button type=\"submit\">%s</button></form>", _("Xem"));
    plan_rows_free(plans, n);
    if (!plan) {
        html_printf(b, "<p>%s</p>", _("Chưa có kế hoạch nào. Quản trị viên có thể nhập kế hoạch từ tệp CSV."));
        return true;
    }
    char today[11], soon[11], vn[11];
    int32_t t = web_today(r);
    web_today_iso(r, today);
    cal_format_iso(task_soon_limit(cal_current(), t, r->cfg->due_soon_days), soon);
    html_printf(b, "<p class=\"muted\">%s %s (%s). %s %d %s.</p>", _("Hôm nay"), cal_format_vn(t, vn), cal_weekday_name_vi(t),
                _("\"Sắp đến hạn\" nghĩa là trong"), r->cfg->due_soon_days, _("ngày làm việc tới"));
    plan_stats s;
    if (store_plan_stats(r->db, plan, today, soon, &s) != DB_OK) { plan_stats_free(&s); return false; }
    status_cards(b, plan, &s);
    progress_table(b, plan, _("Tiến độ theo lĩnh vực"), "area", s.areas, s.nareas);
    unit_progress(r, b, plan, s.units, s.nunits);
    plan_stats_free(&s);
    task_filter f = {.plan_id = plan, .status = -1, .open_only = true, .due_before = today};
    short_list(r, b, plan, _("Nhiệm vụ quá hạn"), "overdue", &f);
    f = (task_filter){.plan_id = plan, .status = -1, .open_only = true, .due_from = today, .due_to = soon};
    char title[128];
    snprintf(title, sizeof title, _("Đến hạn trong %d ngày làm việc tới"), r->cfg->due_soon_days);
    short_list(r, b, plan, title, "due_soon", &f);
    return true;
}

void h_dashboard(req *r, resp *w)
{
    const char *q = req_query(r, "plan");
    int64_t want = 0;
    if (q && *q && !parse_int64_strict(q, 1, INT64_MAX, &want)) {
        resp_error(r, w, 400, "invalid_parameter", _("Mã kế hoạch không hợp lệ."), "plan");
        return;
    }
    if (!page_cache_serve(r, w, _("Tổng quan"), dashboard_content, &want))
        resp_error(r, w, 500, "internal", _("Không đọc được số liệu tổng quan."), NULL);
}
