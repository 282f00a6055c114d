/* Task list (filters, search, paging), "Việc của đơn vị", task page with
 * timeline, and the progress-update form. */
#include "web/handlers.h"
#include "web/common.h"
#include "web/html.h"
#include "web/task_update.h"
#include "web/page_cache.h"
#include "calendar_default.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "store/store_task.h"
#include "store/store_unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#define PER_PAGE 50

static void option_id(buf *b, int64_t value, int64_t selected, const char *label)
{
    html_printf(b, "<option value=\"%D\"%s>%s</option>", value, value == selected ? " selected" : "", label);
}

/* The <option> list of all units, rendered once per worker thread and reused
 * until the unit list changes (store_unit_generation). Each entry keeps the
 * escaped markup before and after the " selected" slot. */
typedef struct {
    int64_t id;
    char *head;       /* <option value="ID"  */
    char *tail;       /* >Name</option>      */
} unit_option;

typedef struct {
    uint64_t generation;
    bool valid;
    unit_option *items;
    int n, cap;
} unit_option_cache;

static pthread_key_t units_key;
static pthread_once_t units_once = PTHREAD_ONCE_INIT;

static void cache_unit(const unit_row *u, void *ctx)
{
    unit_option_cache *c = ctx;
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 64;
        unit_option *items = realloc(c->items, sizeof *items * (size_t)cap);
        if (!items) return;
        c->items = items;
        c->cap = cap;
    }
    buf head = {0}, tail = {0};
    html_printf(&head, "<option value=\"%D\"", u->id);
    html_printf(&tail, ">%s</option>", u->name);
    c->items[c->n++] = (unit_option){u->id, buf_take(&head), buf_take(&tail)};
}

static void clear_unit_cache(unit_option_cache *c)
{
    for (int i = 0; i < c->n; i++) { free(c->items[i].head); free(c->items[i].tail); }
    c->n = 0;
    c->valid = false;
}

static void free_unit_cache(void *p)
{
    unit_option_cache *c = p;
    clear_unit_cache(c);
    free(c->items);
    free(c);
}

static void make_units_key(void) { pthread_key_create(&units_key, free_unit_cache); }

/* This thread's cache (freed when the thread ends), refreshed if stale. */
static const unit_option_cache *unit_options(req *r)
{
    static const unit_option_cache empty;
    pthread_once(&units_once, make_units_key);
    unit_option_cache *c = pthread_getspecific(units_key);
    if (!c) {
        if (!(c = calloc(1, sizeof *c))) return &empty;
        pthread_setspecific(units_key, c);
    }
    uint64_t gen = store_unit_generation(r->db);
    if (!c->valid || c->generation != gen) {
        clear_unit_cache(c);
        store_unit_list(r->db, NULL, cache_unit, c);
        c->generation = gen;
        c->valid = true;
    }
    return c;
}

static void unit_select(req *r, buf *b, const char *name, const char *label, int64_t selected)
{
    html_printf(b, "<label>%s<select name=\"%s\"><option value=\"\">%s</option>", label, name, _("— Tất cả —"));
    const unit_option_cache *c = unit_options(r);
    for (int i = 0; i < c->n; i++) {
        buf_puts(b, c->items[i].head);
        if (c->items[i].id == selected) html_lit(b, " selected");
        buf_puts(b, c->items[i].tail);
    }
    html_lit(b, "</select></label>");
}

static void plan_area_selects(req *r, buf *b, const filter_args *a)
{
    plan_row *plans;
    int n;
    store_plan_list(r->db, !can_read_internal(r), false, &plans, &n);
    html_printf(b, "<label>%s<select name=\"plan\"><option value=\"\">%s</option>", _("Kế hoạch"), _("— Tất cả —"));
    for (int i = 0; i < n; i++) option_id(b, plans[i].id, a->f.plan_id, plans[i].title);
    html_lit(b, "</select></label>");
    plan_rows_free(plans, n);
    if (!a->f.plan_id) return;
    area_row *areas;
    store_area_list(r->db, a->f.plan_id, &areas, &n);
    html_printf(b, "<label>%s<select name=\"area\"><option value=\"\">%s</option>", _("Lĩnh vực"), _("— Tất cả —"));
    for (int i = 0; i < n; i++) {
        char label[600];
        snprintf(label, sizeof label, "%s. %s", areas[i].no, areas[i].title);
        option_id(b, areas[i].id, a->f.area_id, label);
    }
    html_lit(b, "</select></label>");
    area_rows_free(areas, n);
}

/* The filter form; with_units adds the lead/coordinating unit selects (not on
 * "Việc của đơn vị", where the unit is the user's own). */
static void filter_form(req *r, buf *b, const filter_args *a, const char *action, bool with_units)
{
    html_printf(b, "<form method=\"get\" action=\"%s\" class=\"filters\" role=\"search\">", action);
    html_printf(b, "<label>%s<input type=\"search\" name=\"q\" value=\"%s\" maxlength=\"200\" placeholder=\"%s\"></label>",
                _("Tìm kiếm"), a->q ? a->q : "", _("vd: ra soat van ban"));
    plan_area_selects(r, b, a);
    if (with_units) {
        unit_select(r, b, "unit", _("Đơn vị chủ trì"), a->f.lead_unit_id);
        unit_select(r, b, "coord", _("Đơn vị phối hợp"), a->f.coord_unit_id);
    }
    html_printf(b, "<label>%s<select name=\"status\"><option value=\"\">%s</option>", _("Trạng thái"), _("— Tất cả —"));
    for (int s = 0; s < ST__COUNT; s++)
        html_printf(b, "<option value=\"%s\"%s>%s</option>", status_id((task_status)s),
                    strcmp(a->status_s, status_id((task_status)s)) == 0 ? " selected" : "", status_label((task_status)s));
    char from[16], to[16];
    html_printf(b, "</select></label><label>%s<input name=\"due_from\" value=\"%s\" placeholder=\"dd/mm/yyyy\" maxlength=\"10\"></label>"
                   "<label>%s<input name=\"due_to\" value=\"%s\" placeholder=\"dd/mm/yyyy\" maxlength=\"10\"></label>",
                _("Hạn từ ngày"), fmt_date(a->due_from, from), _("đến ngày"), fmt_date(a->due_to, to));
    html_printf(b, "<label class=\"check\"><span><input type=\"checkbox\" name=\"overdue\" value=\"1\"%s> %s</span></label>"
                   "<label class=\"check\"><span><input type=\"checkbox\" name=\"due_soon\" value=\"1\"%s> %s</span></label>"
                   "<button type=\"submit\">%s</button></form>",
                a->overdue ? " checked" : "", _("Chỉ việc quá hạn"), a->due_soon ? " checked" : "", _("Sắp đến hạn"), _("Lọc"));
}

static void task_table(req *r, buf *b, const task_list *l, bool public_view)
{
    html_printf(b, "<div class=\"table-wrap\"><table class=\"responsive tasks\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                _("TT"), _("Nội dung công việc"), _("Chủ trì"), _("Sản phẩm"), _("Thời hạn"), _("Tiến độ"));
    for (int i = 0; i < l->n; i++) {
        const task_row *t = &l->rows[i];
        html_printf(b, "<tr><td data-label=\"%s\">%s</td><td>", _("TT"), t->number);
        if (public_view) html_printf(b, "%s", t->title);
        else html_printf(b, "<a href=\"/tasks/%D\">%s</a>", t->id, t->title);
        html_printf(b, "<br><small class=\"muted\">%s %s</small></td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
                       "<td data-label=\"%s\">", t->plan_code, t->area_no, _("Chủ trì"), t->lead.name, _("Sản phẩm"),
                    t->product, _("Thời hạn"));
        html_due_date(r, b, t);
        int pct = t->status == ST_DONE ? 100 : t->percent;
        html_printf(b, "</td><td data-label=\"%s\">%s · %d%%<br><progress max=\"100\" value=\"%d\"></progress>",
                    _("Tiến độ"), status_label(t->status), pct, pct);
        html_due_badge(r, b, t);
        html_lit(b, "</td></tr>");
    }
    if (l->n == 0) html_printf(b, "<tr><td colspan=\"6\" class=\"muted\">%s</td></tr>", _("Không có nhiệm vụ nào phù hợp."));
    html_lit(b, "</tbody></table></div>");
}

static void pager(buf *b, const char *path, const filter_args *a, const task_list *l)
{
    int pages = (l->total + PER_PAGE - 1) / PER_PAGE;
    buf qs = {0};
    filter_query_string(a, &qs);
    html_printf(b, "<div class=\"pager\"><span>%s %d %s</span>", _("Tổng"), l->total, _("nhiệm vụ"));
    if (a->f.page > 1)
        html_printf(b, "<a rel=\"prev\" href=\"%s?%s&amp;page=%d\">« %s</a>", path, buf_str(&qs), a->f.page - 1, _("Trang trước"));
    if (pages > 1) html_printf(b, "<span>%s %d/%d</span>", _("Trang"), a->f.page, pages);
    if (a->f.page < pages)
        html_printf(b, "<a rel=\"next\" href=\"%s?%s&amp;page=%d\">%s »</a>", path, buf_str(&qs), a->f.page + 1, _("Trang sau"));
    html_lit(b, "</div>");
    buf_free(&qs);
}

typedef struct {
    const char *title, *path;
    filter_args *a;
} list_view;

/* Renders the list's content into b; false when the tasks cannot be read. */
static bool list_content(req *r, buf *b, void *ctx)
{
    list_view *v = ctx;
    task_list l;
    if (store_task_find(r->db, &v->a->f, &l) != DB_OK) return false;
    html_printf(b, "<h1>%s</h1>", v->title);
    filter_form(r, b, v->a, v->path, v->a->f.involved_unit_id == 0);
    task_table(r, b, &l, false);
    pager(b, v->path, v->a, &l);
    task_list_free(&l);
    return true;
}

/* The list page; its content is served from the page cache while the data is unchanged. */
static void list_page(req *r, resp *w, const char *title, const char *path, filter_args *a)
{
    list_view v = {title, path, a};
    if (!page_cache_serve(r, w, title, list_content, &v))
        resp_error(r, w, 500, "internal", _("Không đọc được danh sách nhiệm vụ."), NULL);
}

void h_task_list(req *r, resp *w)
{
    filter_args a;
    if (!parse_task_filter(r, w, &a, PER_PAGE)) return;
    list_page(r, w, _("Danh sách nhiệm vụ"), "/tasks", &a);
}

void h_my_tasks(req *r, resp *w)
{
    if (!r->user.unit_id) {
        resp_error(r, w, 404, "no_unit", _("Tài khoản của bạn chưa gắn với đơn vị nào."), NULL);
        return;
    }
    filter_args a;
    if (!parse_task_filter(r, w, &a, PER_PAGE)) return;
    a.f.involved_unit_id = r->user.unit_id;
    char unit[256] = "", title[400];
    store_unit_name(r->db, r->user.unit_id, unit, sizeof unit);
    snprintf(title, sizeof title, "%s: %s", _("Việc của đơn vị"), unit);
    list_page(r, w, title, "/my", &a);
}

/* ---------- task page ---------- */

static void timeline_item(const timeline_entry *e, void *ctx)
{
    buf *b = ctx;
    char when[24];
    fmt_datetime(e->at, when);
    html_printf(b, "<li><strong>%s</strong> · %s", when, e->username);
    if (e->update_id) {
        int st = status_parse(e->status);
        if (e->unit_name[0]) html_printf(b, " (%s)", e->unit_name);
        html_printf(b, " — %s: %s, %d%%", e->is_lead ? _("Cập nhật của đơn vị chủ trì") : _("Đóng góp của đơn vị phối hợp"),
                    st >= 0 ? status_label((task_status)st) : e->status, e->percent);
        if (e->note[0]) html_printf(b, "<p class=\"note\">%s</p>", e->note);
        if (e->nfiles) {
            html_lit(b, "<ul class=\"files\">");
            for (int i = 0; i < e->nfiles; i++)
                html_printf(b, "<li><a href=\"/files/%U\">%s</a>%s</li>", e->file_sha[i], e->file_name[i],
                            e->file_public[i] ? _(" (công khai)") : "");
            html_lit(b, "</ul>");
        }
    } else {
        html_printf(b, " — %s <code>%s</code>", _("Nhật ký hệ thống:"), e->action);
        if (e->note[0]) html_printf(b, " <small class=\"muted\">%s</small>", e->note);
    }
    html_lit(b, "</li>");
}

static void update_form(req *r, buf *b, const task_row *t, const char *error, const update_fields *kept)
{
    html_printf(b, "<section class=\"card no-print\"><h2>%s</h2>"
                   "<form method=\"post\" action=\"/tasks/%D/updates\" enctype=\"multipart/form-data\" class=\"stack\" id=\"update-form\">",
                _("Báo cáo tiến độ"), t->id);
    if (error) html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", error);
    html_csrf_field(r, b);
    int sel = kept && kept->status ? status_parse(kept->status) : (int)t->status;
    const char *pct = kept && kept->percent ? kept->percent : NULL;
    html_printf(b, "<label>%s<select name=\"status\">", _("Trạng thái"));
    for (int s = 0; s < ST__COUNT; s++)
        html_printf(b, "<option value=\"%s\"%s>%s</option>", status_id((task_status)s),
                    s == sel ? " selected" : "", status_label((task_status)s));
    char pct_default[8];
    snprintf(pct_default, sizeof pct_default, "%d", t->percent);
    html_printf(b, "</select></label><label>%s<input type=\"number\" name=\"percent\" min=\"0\" max=\"100\" value=\"%s\"></label>"
                   "<label>%s<textarea name=\"note\" maxlength=\"4000\">%s</textarea></label>"
                   "<label>%s<input type=\"file\" name=\"files\" multiple accept=\".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png\"></label>"
                   "<label class=\"check\"><span><input type=\"checkbox\" name=\"public\" value=\"1\"> %s</span></label>"
                   "<button type=\"submit\">%s</button></form></section>",
                _("Tỷ lệ hoàn thành (%)"), pct ? pct : pct_default, _("Ghi chú, kết quả"), kept && kept->note ? kept->note : "",
                _("Tệp minh chứng / sản phẩm (PDF, DOCX, XLSX, ODT, JPEG, PNG)"),
                _("Công khai sản phẩm trên trang công khai (chỉ áp dụng cho đơn vị chủ trì)"), _("Gửi cập nhật"));
}

/* Renders the task page; with error, shows it above the form and keeps the input. */
static void task_page(req *r, resp *w, int64_t id, const char *error, const update_fields *kept)
{
    task_row t;
    if (!store_task_get(r->db, id, &t)) {
        resp_error(r, w, 404, "not_found", _("Không tìm thấy nhiệm vụ."), NULL);
        return;
    }
    buf *b = &w->body;
    page_begin(r, w, t.title);
    const char *ok = req_query(r, "ok");
    if (ok) html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s</p>", _("Đã ghi nhận cập nhật."));
    html_printf(b, "<p class=\"muted\"><a href=\"/tasks?plan=%D\">%s</a> › %s. %s</p><h1>%s %s</h1><dl class=\"kv card\">",
                t.plan_id, t.plan_code, t.area_no, t.area_title, t.number, t.title);
    html_printf(b, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>", _("Đơn vị chủ trì"), t.lead.name, _("Đơn vị phối hợp"));
    for (int i = 0; i < t.ncoord; i++) html_printf(b, "%s%s", i ? "; " : "", t.coord[i].name);
    html_printf(b, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s<br>", _("Sản phẩm"), t.product, _("Thời hạn"), t.deadline_text);
    html_due_date(r, b, &t);
    html_printf(b, "</dd><dt>%s</dt><dd>%s · %d%% ", _("Trạng thái"), status_label(t.status), t.status == ST_DONE ? 100 : t.percent);
    html_due_badge(r, b, &t);
    html_lit(b, "</dd></dl>");
    if (role_has(r->user.role, CAP_UPDATE_TASK)) update_form(r, b, &t, error, kept);
    html_printf(b, "<section><h2>%s</h2><ol class=\"timeline\" id=\"timeline\">", _("Diễn biến"));
    store_task_timeline(r->db, t.id, true, timeline_item, b);
    html_lit(b, "</ol></section>");
    page_end(r, w);
    task_row_free(&t);
}

void h_task_view(req *r, resp *w)
{
    task_page(r, w, req_param_id(r, 0), NULL, NULL);
}

void h_task_update_post(req *r, resp *w)
{
    int64_t id = req_param_id(r, 0);
    const char *pub = req_form(r, "public");
    update_fields in = {req_form(r, "status"), req_form(r, "percent"), req_form(r, "note"), pub && !strcmp(pub, "1")};
    update_error err = {0};
    if (task_update_apply(r, id, &in, &err) <= 0) {
        if (err.status == 404 || err.status == 403) {
            resp_error(r, w, err.status, err.code, err.message, err.field);
            return;
        }
        w->status = err.status;
        task_page(r, w, id, err.message, &in);
        return;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/tasks/%lld?ok=1#timeline", (long long)id);
    resp_redirect(w, loc);
}
