/* Target evaluation and rendering (see targets_view.h). */
#include "web/api/api_stats.h"
#include "core/calendar.h"
#include "web/targets_view.h"
#include "core/i18n.h"
#include "web/html.h"
#include <stdio.h>
#include <string.h>

bool target_computed_now(const char *source)
{
    const char *name;
    return target_source_computed(source, &name) &&
           (strcmp(name, "plan_tasks_done_rate") == 0 || strcmp(name, "unit_tasks_done_rate") == 0 ||
            strcmp(name, "dossier_on_time_rate") == 0 || strcmp(name, "online_dossier_rate") == 0);
}

/* The days of a target period "2022" or "2026-2027"; false otherwise. */
static bool period_days(const char *period, int32_t *from, int32_t *to)
{
    int a = 0, b = 0;
    int k = period ? sscanf(period, "%d-%d", &a, &b) : 0;
    if (k < 1 || a < 1900 || a > 2199) return false;
    if (k < 2) b = a;
    if (b < a || b > 2199) return false;
    *from = cal_jdn_from_ymd(a, 1, 1);
    *to = cal_jdn_from_ymd(b, 12, 31);
    return true;
}

/* The dossier-based figures: on-time share of the finished dossiers, online share of the received. */
static bool dossier_figure(req *r, const target_row *t, const char *name, target_eval *e)
{
    int32_t from, to;
    dossier_stats s;
    if (!period_days(t->period, &from, &to) || dossier_period_stats(r->db, NULL, 0, from, to, &s) != DB_OK) return false;
    if (!strcmp(name, "dossier_on_time_rate")) {
        if (!dossier_stats_on_time_rate(&s, &e->actual)) return false;
        e->basis = _("Hệ thống tự tính từ Một cửa điện tử: hồ sơ giải quyết trước hoặc đúng hạn / hồ sơ đã giải quyết trong kỳ");
    } else {
        if (s.received == 0) return false;
        e->actual = 100.0 * s.online / s.received;
        e->basis = _("Hệ thống tự tính từ Một cửa điện tử: hồ sơ nộp trực tuyến / hồ sơ tiếp nhận trong kỳ");
    }
    e->has_actual = e->computed = true;
    return true;
}

target_eval target_evaluate(req *r, const target_row *t)
{
    target_eval e = {0};
    const char *name = NULL;
    bool computed = target_source_computed(t->source, &name);
    long done = 0, total = 0;
    if (computed && strcmp(name, "plan_tasks_done_rate") == 0) {
        if (store_plan_done_counts(r->db, t->plan_id, &done, &total) == DB_OK && rate_percent(done, total, &e.actual)) {
            e.has_actual = e.computed = true;
            e.basis = _("Hệ thống tự tính: nhiệm vụ hoàn thành / tổng số nhiệm vụ của kế hoạch");
        }
    } else if (computed && strcmp(name, "unit_tasks_done_rate") == 0) {
        if (store_plan_unit_completion(r->db, t->plan_id, &done, &total) == DB_OK && rate_percent(done, total, &e.actual)) {
            e.has_actual = e.computed = true;
            e.basis = _("Hệ thống tự tính: đơn vị đã hoàn thành mọi nhiệm vụ chủ trì / số đơn vị chủ trì");
        }
    } else if (computed && (!strcmp(name, "dossier_on_time_rate") || !strcmp(name, "online_dossier_rate"))) {
        if (!dossier_figure(r, t, name, &e))
            e.basis = _("Hệ thống tự tính từ Một cửa điện tử khi có hồ sơ trong kỳ");
        e.computed = true;
    } else if (t->has_measure) {
        e.has_actual = true;
        e.actual = t->measured;
        e.basis = _("Số liệu đo được do Văn phòng nhập, kèm minh chứng");
    } else if (name) {
        e.basis = _("Sẽ được hệ thống tự tính khi có dữ liệu (Một cửa điện tử, khảo sát...)");
    }
    e.verdict = target_check(t->comparator, t->target, e.has_actual, e.actual);
    return e;
}

static void target_value(buf *b, const target_row *t)
{
    if (!strcmp(t->comparator, "qualitative") || !t->has_target) { html_printf(b, "%s", _("Định tính")); return; }
    char v[32];
    snprintf(v, sizeof v, "%g", t->target);
    html_printf(b, "%s %s %s", t->comparator, v, t->unit);
}

static void measure_form(req *r, buf *b, const target_row *t)
{
    html_printf(b, "<details class=\"no-print\"><summary>%s</summary><form method=\"post\" action=\"/targets/%D/measurements\" "
                   "enctype=\"multipart/form-data\" class=\"stack\">", _("Nhập số liệu đo được"), t->id);
    html_csrf_field(r, b);
    html_printf(b, "<label>%s<input name=\"value\" inputmode=\"decimal\" required maxlength=\"20\"></label>"
                   "<label>%s<input name=\"measured_on\" placeholder=\"dd/mm/yyyy\" required maxlength=\"10\"></label>"
                   "<label>%s<textarea name=\"note\" maxlength=\"2000\"></textarea></label>"
                   "<label>%s<input type=\"file\" name=\"files\"></label><button type=\"submit\">%s</button></form></details>",
                _("Giá trị"), _("Ngày đo"), _("Ghi chú"), _("Minh chứng"), _("Lưu"));
}

void html_targets_table(req *r, buf *b, const target_row *rows, int n, bool with_forms)
{
    html_printf(b, "<div class=\"table-wrap\"><table class=\"responsive targets\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                _("Mã"), _("Chỉ tiêu"), _("Giai đoạn"), _("Mục tiêu"), _("Thực tế"), _("Đánh giá"));
    for (int i = 0; i < n; i++) {
        const target_row *t = &rows[i];
        target_eval e = target_evaluate(r, t);
        html_printf(b, "<tr><td>%s</td><td>%s", t->code, t->text);
        if (e.basis) html_printf(b, "<br><small class=\"muted\">%s</small>", e.basis);
        if (with_forms && !e.computed && strcmp(t->comparator, "qualitative")) measure_form(r, b, t);
        html_printf(b, "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">", _("Giai đoạn"), t->period, _("Mục tiêu"));
        target_value(b, t);
        html_printf(b, "</td><td data-label=\"%s\">", _("Thực tế"));
        if (e.has_actual) {
            char v[32];
            snprintf(v, sizeof v, "%g", e.actual);
            html_printf(b, "%s %s", v, t->unit);
            if (!e.computed && t->measure_sha)
                html_printf(b, "<br><a href=\"/files/%U\">%s</a>", t->measure_sha, t->measure_file ? t->measure_file : _("minh chứng"));
        } else {
            html_lit(b, "—");
        }
        html_printf(b, "</td><td data-label=\"%s\"><span class=\"badge %s\">%s</span></td></tr>", _("Đánh giá"),
                    target_verdict_id(e.verdict), target_verdict_label(e.verdict));
    }
    if (n == 0) html_printf(b, "<tr><td colspan=\"6\" class=\"muted\">%s</td></tr>", _("Kế hoạch chưa có chỉ tiêu."));
    html_lit(b, "</tbody></table></div>");
}
