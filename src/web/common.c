/* Shared page/API pieces (see common.h). */
#include "web/common.h"
#include "calendar_current.h"
#include "config.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "core/deadline.h"
#include "web/html.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int32_t web_today(const req *r)
{
    int32_t jdn;
    if (r->cfg && r->cfg->today[0] && cal_parse_iso(r->cfg->today, &jdn)) return jdn;
    time_t t = time(NULL) + 7 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    return cal_jdn_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

const char *web_today_iso(const req *r, char out[11])
{
    return cal_format_iso(web_today(r), out);
}

bool can_read_internal(const req *r)
{
    return role_has(r->user.role, CAP_READ_INTERNAL);
}


static bool parse_id_arg(req *r, resp *w, const char *name, int64_t *out)
{
    const char *v = req_query(r, name);
    *out = 0;
    if (!v || !*v) return true;
    if (!parse_int64_strict(v, 1, INT64_MAX, out)) {
        *out = 0;
        resp_error(r, w, 400, "invalid_parameter", _("Giá trị không hợp lệ."), name);
        return false;
    }
    return true;
}

static bool parse_date_arg(req *r, resp *w, const char *name, char out[11])
{
    const char *v = req_query(r, name);
    out[0] = '\0';
    if (!v || !*v) return true;
    int32_t jdn;
    if (strlen(v) > 10 || !cal_parse_date(v, &jdn)) {
        resp_error(r, w, 400, "invalid_date", _("Ngày không hợp lệ (dd/mm/yyyy)."), name);
        return false;
    }
    cal_format_iso(jdn, out);
    return true;
}

bool resolve_area_arg(req *r, resp *w, int64_t plan_id, int64_t *area_id, const char **numeral)
{
    const char *given = req_query(r, "area");
    *area_id = 0;
    *numeral = NULL;
    if (!given || !*given) return true;
    int64_t as_id = 0;
    bool is_id = parse_int64_strict(given, 1, INT64_MAX, &as_id);
    if (!plan_id) {
        /* Without a plan a numeral ("II") is ambiguous: only an area id is accepted. */
        if (is_id) { *area_id = as_id; return true; }
        resp_error(r, w, 400, "invalid_parameter", _("Chọn kế hoạch để lọc theo số lĩnh vực."), "area");
        return false;
    }
    if (strlen(given) > 32) {
        resp_error(r, w, 400, "invalid_parameter", _("Không có lĩnh vực này trong kế hoạch."), "area");
        return false;
    }
    area_row *areas;
    int n;
    if (store_area_list(r->db, plan_id, &areas, &n) != DB_OK) {
        resp_error(r, w, 500, "internal", _("Không đọc được danh sách lĩnh vực."), NULL);
        return false;
    }
    /* An id of one of the plan's areas first, then the numeral as the plan writes it. */
    for (int i = 0; i < n && is_id && !*area_id; i++)
        if (areas[i].id == as_id) *area_id = as_id;
    for (int i = 0; i < n && !*area_id; i++)
        if (strcasecmp(areas[i].no, given) == 0) { *area_id = areas[i].id; *numeral = given; }
    area_rows_free(areas, n);
    if (!*area_id) {
        resp_error(r, w, 400, "invalid_parameter", _("Không có lĩnh vực này trong kế hoạch."), "area");
        return false;
    }
    return true;
}

bool parse_task_filter(req *r, resp *w, filter_args *a, int per_page)
{
    return parse_task_filter_plan(r, w, a, per_page, 0);
}

bool parse_task_filter_plan(req *r, resp *w, filter_args *a, int per_page, int64_t plan_id)
{
    memset(a, 0, sizeof *a);
    task_filter *f = &a->f;
    f->status = -1;
    f->per_page = per_page;
    if (!parse_id_arg(r, w, "plan", &f->plan_id) ||
        !parse_id_arg(r, w, "unit", &f->lead_unit_id) || !parse_id_arg(r, w, "coord", &f->coord_unit_id) ||
        !parse_date_arg(r, w, "due_from", a->due_from) || !parse_date_arg(r, w, "due_to", a->due_to))
        return false;
    if (plan_id > 0) f->plan_id = plan_id;
    a->plan_id = f->plan_id;
    const char *st = req_query(r, "status");
    if (st && *st) {
        if (status_parse(st) < 0) { resp_error(r, w, 400, "invalid_status", _("Trạng thái không hợp lệ."), "status"); return false; }
        f->status = status_parse(st);
        snprintf(a->status_s, sizeof a->status_s, "%s", st);
    }
    const char *kind = req_query(r, "kind");
    if (kind && *kind) {
        if (strcmp(kind, "event") && strcmp(kind, "recurring") && strcmp(kind, "unparsed")) {
            resp_error(r, w, 400, "invalid_parameter", _("Giá trị không hợp lệ."), "kind");
            return false;
        }
        f->dl_kind = kind;
        f->open_only = true;
    }
    const char *q = req_query(r, "q");
    if (q && strlen(q) > 200) { resp_error(r, w, 422, "too_long", _("Từ khóa tìm kiếm quá dài (tối đa 200 ký tự)."), "q"); return false; }
    a->q = f->q = (q && *q) ? q : NULL;
    const char *page = req_query(r, "page");
    int64_t pg = 1;
    if (page && *page && !parse_int64_strict(page, 1, 100000, &pg)) {
        resp_error(r, w, 400, "invalid_parameter", _("Số trang không hợp lệ (1–100000)."), "page");
        return false;
    }
    f->page = (int)pg;
    /* Last: it reads the plan's areas only once everything else is valid. */
    if (!resolve_area_arg(r, w, f->plan_id, &f->area_id, &a->area_no)) return false;
    int32_t today = web_today(r);
    cal_format_iso(today, a->today);
    const char *ov = req_query(r, "overdue"), *soon = req_query(r, "due_soon");
    a->overdue = ov && !strcmp(ov, "1");
    a->due_soon = soon && !strcmp(soon, "1");
    if (a->overdue) { f->open_only = true; f->due_before = a->today; }
    if (a->due_soon) {
        f->open_only = true;
        cal_format_iso(task_soon_limit(cal_current(), today, r->cfg->due_soon_days), a->soon_until);
        f->due_from = a->today;
        f->due_to = a->soon_until;
    }
    if (a->due_from[0]) f->due_from = a->due_from;
    if (a->due_to[0]) f->due_to = a->due_to;
    f->public_only = !can_read_internal(r);
    return true;
}

static void qs_add(buf *b, const char *name, const char *value)
{
    if (!value || !*value) return;
    if (b->len) buf_putc(b, '&');
    buf_puts(b, name);
    buf_putc(b, '=');
    esc_url(b, value);
}

static void qs_add_id(buf *b, const char *name, int64_t v)
{
    if (v <= 0) return;
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    qs_add(b, name, tmp);
}

void filter_query_string(const filter_args *a, buf *b)
{
    qs_add_id(b, "plan", a->f.plan_id);
    if (a->area_no) qs_add(b, "area", a->area_no);   /* as given: "II" stays "II" */
    else qs_add_id(b, "area", a->f.area_id);
    qs_add_id(b, "unit", a->f.lead_unit_id);
    qs_add_id(b, "coord", a->f.coord_unit_id);
    qs_add(b, "status", a->status_s);
    if (a->overdue) qs_add(b, "overdue", "1");
    if (a->due_soon) qs_add(b, "due_soon", "1");
    qs_add(b, "due_from", a->due_from);
    qs_add(b, "due_to", a->due_to);
    qs_add(b, "kind", a->f.dl_kind);
    qs_add(b, "q", a->q);
}

due_info task_due(const req *r, const task_row *t)
{
    int32_t due = 0;
    if (t->dl_due) cal_parse_iso(t->dl_due, &due);
    return task_due_info(cal_current(), t->status, t->dl_kind, due, web_today(r), r->cfg->due_soon_days);
}

void html_due_badge(req *r, buf *b, const task_row *t)
{
    due_info d = task_due(r, t);
    if (d.state == DUE_CLOSED || d.state == DUE_ON_TRACK) return;
    html_printf(b, "<span class=\"badge %s\">%s", due_state_id(d.state), due_state_label(d.state));
    if (d.state == DUE_OVERDUE) html_printf(b, " %d %s", d.working_days, _("ngày làm việc"));
    else if (d.state == DUE_SOON) html_printf(b, ": %s %d %s", _("còn"), d.working_days, _("ngày làm việc"));
    html_lit(b, "</span>");
}

void html_provisional_mark(buf *b, int32_t jdn)
{
    int y, m, d;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    if (cal_year_status_of(cal_current(), y) == CAL_YEAR_PROVISIONAL)
        html_printf(b, " <small class=\"provisional\" title=\"%s\">(%s %d %s)</small>",
                    _("Năm này chưa có lịch nghỉ chính thức; ngày làm việc tính theo quy định của Bộ luật Lao động."),
                    _("lịch"), y, _("tạm tính"));
}

void html_due_date(req *r, buf *b, const task_row *t)
{
    int32_t due;
    if (!t->dl_due || !cal_parse_iso(t->dl_due, &due)) {
        html_printf(b, "%s", t->deadline_text);
        return;
    }
    char vn[11];
    cal_format_vn(due, vn);
    html_printf(b, "<span title=\"%s: %s\">%s (%s)</span>", _("Theo kế hoạch"), t->deadline_text, vn, cal_weekday_name_vi(due));
    html_provisional_mark(b, due);
    due_info d = task_due(r, t);
    int32_t today = web_today(r);
    char off[256] = "";
    bool near = due - today < 60 && today - due < 60;   /* list days off only over short spans */
    if (d.state == DUE_SOON || d.state == DUE_ON_TRACK) {
        if (near) dl_days_off_between(cal_current(), today, due, off, sizeof off);
        html_printf(b, "<br><small class=\"muted\">%s %d %s %s", _("Còn"), d.working_days, _("ngày làm việc đến"), vn);
        if (off[0]) html_printf(b, ", %s %s", _("bỏ qua"), off);
        html_lit(b, "</small>");
    } else if (d.state == DUE_OVERDUE) {
        if (near) dl_days_off_between(cal_current(), due, today, off, sizeof off);
        html_printf(b, "<br><small class=\"error\">%s %d %s", _("Quá hạn"), d.working_days, _("ngày làm việc"));
        if (off[0]) html_printf(b, ", %s %s", _("không tính"), off);
        html_lit(b, "</small>");
    }
}

void resp_json_value(resp *w, int status, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
    json_decref(v);
    buf b = {0};
    buf_puts(&b, s ? s : "null");
    free(s);
    resp_json_take(w, status, &b);
}
