/* Plan CSV import in the browser: upload form (with the format documented and
 * a sample file), preview of every row and problem, confirmation. Nothing is
 * written to the plan until the administrator confirms, and never while the
 * file has errors unless only the valid rows are applied. */
#include "web/handlers.h"
#include "web/form.h"
#include "web/html.h"
#include "config.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/plan_import.h"
#include "embed.h"
#include "store/store_audit.h"
#include "store/store_import.h"
#include "store/store_task.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_PATH "data/plans/KH2022.csv"
#define MAX_PLAN_TITLE 500
#define MAX_FILENAME 200
#define SHOWN_TITLE 300            /* bytes of a task title shown in the preview table */


/* ---------- upload form ---------- */

typedef struct {
    const char *error, *field;
    const char *plan_title, *year_from, *year_to;
} upload_form;

static void column_row(buf *b, const char *name, bool required, const char *meaning)
{
    html_printf(b, "<tr><td data-label=\"%s\"><code>%s</code></td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td></tr>",
                _("Cột"), name, _("Yêu cầu"), required ? _("bắt buộc") : _("tùy chọn"), _("Ý nghĩa"), meaning);
}

static void format_help(buf *b)
{
    html_printf(b, "<section class=\"card\"><h2>%s</h2><p>%s</p>", _("Định dạng tệp"),
                _("Tệp CSV mã UTF-8 (trong Excel: Lưu thành → “CSV UTF-8”), phân cách bằng dấu phẩy; dòng đầu là tên cột, "
                  "theo thứ tự bất kỳ; mỗi dòng sau là một nhiệm vụ. Trường có dấu phẩy, dấu ngoặc kép hoặc xuống dòng "
                  "phải đặt trong ngoặc kép, ngoặc kép bên trong viết hai lần (\"\")."));
    html_printf(b, "<div class=\"table-wrap\"><table class=\"responsive\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                _("Cột"), _("Yêu cầu"), _("Ý nghĩa"));
    column_row(b, "plan_code", true, _("Mã kế hoạch, vd. KH2022; mọi dòng của một tệp cùng một mã"));
    column_row(b, "area_no", true, _("Số lĩnh vực như văn bản ghi: I, II… hoặc 1, 2…"));
    column_row(b, "area_title", true, _("Tên lĩnh vực (có thể để trống ở các dòng sau của cùng lĩnh vực)"));
    column_row(b, "number", true, _("Số thứ tự nhiệm vụ: 12 hoặc 12.a (một chữ cái, kể cả đ); không trùng trong kế hoạch"));
    column_row(b, "title", true, _("Nội dung nhiệm vụ (tối đa 4000 byte)"));
    column_row(b, "lead_unit", true, _("Mã đơn vị chủ trì (xem trang Đơn vị)"));
    column_row(b, "coordinating_units", false, _("Mã các đơn vị phối hợp, cách nhau bởi dấu chấm phẩy (;)"));
    column_row(b, "product", false, _("Sản phẩm (tối đa 1000 byte)"));
    column_row(b, "deadline_text", false, _("Thời hạn như văn bản ghi: “Quý I/2022”, “Cả năm 2022”, “10/01/2022”, “Theo yêu cầu của Sở Nội vụ”… "
                                            "Thời hạn không đọc được vẫn được nhập và đánh dấu “cần người đặt ngày”; ngày không có thật (31/02/2022) là lỗi."));
    html_printf(b, "</tbody></table></div><p>%s <a href=\"/admin/imports?sample=1\" download>%s</a>. %s <a href=\"/admin/units\">%s</a>. %s</p>",
                _("Tệp mẫu:"), _("KH2022.csv (kế hoạch CCHC năm 2022)"), _("Mã đơn vị:"), _("danh sách đơn vị"),
                _("Mô tả đầy đủ của định dạng: tệp data/README.md của mã nguồn, mục “plans/KH2022.csv, plans/KH2026_2030.csv”."));
    html_printf(b, "<p class=\"muted\">%s</p></section>",
                _("Nhiệm vụ được đối chiếu theo mã kế hoạch và số thứ tự: nhiệm vụ đã có được cập nhật nội dung và giữ nguyên tiến độ; "
                  "nhiệm vụ có trong hệ thống mà không có trong tệp được giữ nguyên."));
}

static void plans_list(req *r, buf *b)
{
    plan_row *plans;
    int n;
    if (store_plan_list(r->db, false, false, &plans, &n) != DB_OK) return;
    html_printf(b, "<p>%s ", _("Kế hoạch đã có:"));
    for (int i = 0; i < n; i++)
        html_printf(b, "%s<code>%s</code> (%s, %d–%d)", i ? "; " : "", plans[i].code, plans[i].title, plans[i].year_from, plans[i].year_to);
    if (n == 0) html_printf(b, "%s", _("chưa có."));
    html_lit(b, "</p>");
    plan_rows_free(plans, n);
}

typedef struct { buf *b; int n; } list_ctx;

static void import_item(const import_brief *i, void *ctx)
{
    list_ctx *c = ctx;
    char at[24];
    html_printf(c->b, "<li><a href=\"/admin/imports/%D\">%s</a> — %s, %s <span class=\"badge\">%s</span></li>", i->id,
                i->filename[0] ? i->filename : _("(không tên)"), i->username, fmt_datetime(i->created_at, at), import_status_label(i->status));
    c->n++;
}

static void upload_page(req *r, resp *w, int status, const upload_form *f)
{
    buf *b = &w->body;
    w->status = status;
    page_begin(r, w, _("Nhập kế hoạch từ CSV"));
    html_printf(b, "<p><a href=\"/admin\">%s</a></p><h1>%s</h1>", _("← Quản trị"), _("Nhập kế hoạch từ tệp CSV"));
    html_printf(b, "<section class=\"card\" id=\"upload\"><h2>%s</h2>", _("Tải tệp lên"));
    if (f->error)
        html_printf(b, "<p class=\"error\" role=\"alert\" id=\"form-error\">%s</p><p class=\"muted\">%s</p>", f->error,
                    _("Các ô đã nhập được giữ lại; trình duyệt không giữ tệp đã chọn, hãy chọn lại tệp."));
    plans_list(r, b);
    html_lit(b, "<form method=\"post\" action=\"/admin/imports\" enctype=\"multipart/form-data\" class=\"stack\">");
    html_csrf_field(r, b);
    html_printf(b, "<label>%s<input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required%s></label>",
                _("Tệp CSV"), form_invalid_if("file", f->field));
    html_printf(b, "<fieldset><legend>%s</legend>", _("Chỉ khi mã kế hoạch trong tệp là kế hoạch mới"));
    html_printf(b, "<label>%s<input name=\"plan_title\" value=\"%s\" maxlength=\"500\"%s></label>",
                _("Tên kế hoạch"), f->plan_title ? f->plan_title : "", form_invalid_if("plan_title", f->field));
    html_printf(b, "<label>%s<input name=\"year_from\" value=\"%s\" inputmode=\"numeric\" maxlength=\"4\" placeholder=\"2027\"%s></label>",
                _("Năm bắt đầu"), f->year_from ? f->year_from : "", form_invalid_if("year_from", f->field));
    html_printf(b, "<label>%s<input name=\"year_to\" value=\"%s\" inputmode=\"numeric\" maxlength=\"4\" placeholder=\"2030\"%s></label>",
                _("Năm kết thúc"), f->year_to ? f->year_to : "", form_invalid_if("year_to", f->field));
    html_printf(b, "</fieldset><p><button type=\"submit\">%s</button></p></form>"
                   "<p class=\"muted\">%s</p></section>", _("Tải lên và xem trước"),
                _("Tải lên chưa thay đổi kế hoạch: trang sau cho xem từng dòng, từng lỗi trước khi áp dụng."));
    format_help(b);
    html_printf(b, "<section class=\"card\"><h2>%s</h2><ul>", _("Các tệp đã tải lên"));
    list_ctx c = {b, 0};
    store_import_list(r->db, 20, import_item, &c);
    html_lit(b, "</ul>");
    if (!c.n) html_printf(b, "<p class=\"muted\">%s</p>", _("Chưa có tệp nào."));
    html_lit(b, "</section>");
    page_end(r, w);
}

/* The bundled KH2022.csv as a download, to start a new file from. */
static void send_sample(resp *w)
{
    size_t len;
    const char *csv = embed_get(SAMPLE_PATH, &len);
    if (!csv) { resp_text(w, 404, "sample not bundled"); return; }
    w->status = 200;
    w->content_type = "text/csv; charset=utf-8";
    resp_header(w, "Content-Disposition", "attachment; filename=\"KH2022.csv\"");
    buf_add(&w->body, csv, len);
}

void h_admin_import_form(req *r, resp *w)
{
    const char *sample = req_query(r, "sample");
    if (sample && !strcmp(sample, "1")) { send_sample(w); return; }
    upload_page(r, w, 200, &(upload_form){0});
}

/* ---------- upload ---------- */

static const upload *find_upload(const req *r, const char *name)
{
    for (int i = 0; i < r->nuploads; i++)
        if (r->uploads[i].field && !strcmp(r->uploads[i].field, name)) return &r->uploads[i];
    return NULL;
}

/* Checks the optional new-plan fields; fills plan when given. */
static bool plan_fields_ok(upload_form *f, import_plan_info *plan, bool *given)
{
    *given = f->plan_title[0] || f->year_from[0] || f->year_to[0];
    if (!*given) return true;
    size_t n = strlen(f->plan_title);
    if (n == 0 || n > MAX_PLAN_TITLE || !pi_valid_utf8_text(f->plan_title, n) || strpbrk(f->plan_title, "\r\n\t"))
        { f->field = "plan_title"; f->error = _("Tên kế hoạch mới phải có 1–500 byte, trên một dòng."); }
    else if (!pi_parse_year(f->year_from, &plan->year_from)) { f->field = "year_from"; f->error = _("Năm bắt đầu phải là năm trong khoảng 2000–2100."); }
    else if (!pi_parse_year(f->year_to, &plan->year_to) || plan->year_to < plan->year_from)
        { f->field = "year_to"; f->error = _("Năm kết thúc phải trong khoảng 2000–2100 và không trước năm bắt đầu."); }
    plan->title = f->plan_title;
    return f->error == NULL;
}

typedef struct {
    req *r;
    const char *filename, *text;
    size_t len;
    const import_plan_info *plan;
    int64_t id;
} save_ctx;

static int save_txn(db *d, void *ctx)
{
    save_ctx *c = ctx;
    c->id = store_import_save(d, c->r->user.id, c->r->user.username, c->filename, c->text, c->len, c->plan);
    return c->id > 0 ? DB_OK : DB_ERR;
}

void h_admin_import_upload(req *r, resp *w)
{
    upload_form f = {.plan_title = form_field(r, "plan_title"), .year_from = form_field(r, "year_from"), .year_to = form_field(r, "year_to")};
    if (r->body_parse_error) { f.error = _("Không đọc được dữ liệu gửi lên; hãy chọn lại tệp."); upload_page(r, w, 400, &f); return; }
    const upload *u = find_upload(r, "file");
    import_plan_info plan = {0};
    bool plan_given = false;
    int status = 422;
    if (!u || u->len == 0) { f.field = "file"; f.error = _("Hãy chọn một tệp CSV (tệp không được rỗng)."); }
    else if (u->len > r->cfg->max_upload) { status = 413; f.field = "file"; f.error = _("Tệp quá lớn so với giới hạn tải lên."); }
    else if (memchr(u->data, '\0', u->len) || !pi_valid_utf8_text(u->data, u->len))
        { status = 415; f.field = "file"; f.error = _("Tệp phải là văn bản CSV mã UTF-8 (trong Excel: Lưu thành → “CSV UTF-8”). Hãy chọn lại tệp."); }
    else plan_fields_ok(&f, &plan, &plan_given);
    if (f.error) { upload_page(r, w, status, &f); return; }
    char *text = malloc(u->len + 1);
    if (!text) { resp_error(r, w, 500, "oom", _("Không đủ bộ nhớ."), NULL); return; }
    memcpy(text, u->data, u->len);
    text[u->len] = '\0';
    const char *name = u->filename && u->filename[0] && strlen(u->filename) <= MAX_FILENAME &&
                       pi_valid_utf8_text(u->filename, strlen(u->filename)) ? u->filename : "tai-len.csv";
    save_ctx c = {r, name, text, u->len, plan_given ? &plan : NULL, 0};
    int rc = db_txn(r->db, true, save_txn, &c);
    free(text);
    if (rc != DB_OK) { resp_error(r, w, 500, "db_error", _("Không lưu được tệp."), NULL); return; }
    char loc[64];
    snprintf(loc, sizeof loc, "/admin/imports/%lld", (long long)c.id);
    resp_redirect(w, loc);
}

/* ---------- preview ---------- */

static void deadline_cell(buf *b, const pi_row *row)
{
    char s[16], d[16];
    const dlx_result *x = &row->deadline;
    html_printf(b, "<td data-label=\"%s\">%s", _("Thời hạn"), row->deadline_text);
    if (x->kind == DLX_FIXED && x->due.y == 0 && !row->needs_date) { html_lit(b, "</td>"); return; }   /* not parsed (row error) */
    char iso_s[11] = "", iso_d[11] = "";
    if (x->start.y) snprintf(iso_s, sizeof iso_s, "%04d-%02d-%02d", x->start.y, x->start.m, x->start.d);
    if (x->due.y) snprintf(iso_d, sizeof iso_d, "%04d-%02d-%02d", x->due.y, x->due.m, x->due.d);
    if (row->needs_date) html_printf(b, "<br><span class=\"badge needs_date\">%s</span>", _("cần người đặt ngày"));
    else if (x->kind == DLX_EVENT && x->event_source[0])
        html_printf(b, "<br><span class=\"muted\">%s %s</span>", _("chờ chỉ đạo của"), x->event_source);
    else if (x->kind == DLX_EVENT) html_printf(b, "<br><span class=\"muted\">%s</span>", _("chờ chỉ đạo"));
    else if (x->kind == DLX_RECURRING) html_printf(b, "<br><span class=\"muted\">%s %s</span>", _("định kỳ:"), dlx_every_name(x->every));
    else if (x->kind == DLX_RANGE && iso_s[0]) html_printf(b, "<br><span class=\"muted\">%s – %s</span>", fmt_date(iso_s, s), fmt_date(iso_d, d));
    else if (iso_d[0]) html_printf(b, "<br><span class=\"muted\">%s %s</span>", _("hạn"), fmt_date(iso_d, d));
    html_lit(b, "</td>");
}

static bool row_has_warning(const pi_result *res, int line)
{
    for (int i = 0; i < res->nproblems; i++)
        if (res->problems[i].line == line && res->problems[i].severity == PI_WARNING) return true;
    return false;
}

static const char *action_label(import_row_action a)
{
    switch (a) {
    case IMPORT_ROW_NEW: return _("thêm mới");
    case IMPORT_ROW_UPDATED: return _("cập nhật");
    case IMPORT_ROW_UNCHANGED: return _("không đổi");
    default: return _("bỏ qua");
    }
}

static void rows_table(buf *b, const pi_result *res, const import_summary *sum)
{
    html_printf(b, "<section class=\"card\"><h2>%s</h2><div class=\"table-wrap\"><table class=\"responsive\"><thead><tr>"
                   "<th class=\"num\">%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                   "</tr></thead><tbody>",
                _("Các dòng"), _("Dòng"), _("Kiểm tra"), _("Thao tác"), _("Số TT"), _("Lĩnh vực"), _("Nhiệm vụ"), _("Chủ trì / phối hợp"), _("Thời hạn"));
    for (int i = 0; i < res->nrows; i++) {
        const pi_row *row = &res->rows[i];
        const char *check = !row->valid ? _("Lỗi") : row_has_warning(res, row->line) ? _("Cảnh báo") : _("OK");
        const char *cls = !row->valid ? "overdue" : row_has_warning(res, row->line) ? "due_soon" : "done";
        char title[SHOWN_TITLE + 4];
        html_printf(b, "<tr id=\"line-%d\"><td class=\"num\" data-label=\"%s\">%d</td><td data-label=\"%s\"><span class=\"badge %s\">%s</span></td>"
                       "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
                       "<td data-label=\"%s\"><code>%s</code>",
                    row->line, _("Dòng"), row->line, _("Kiểm tra"), cls, check, _("Thao tác"), action_label((import_row_action)sum->actions[i]),
                    _("Số TT"), row->number, _("Lĩnh vực"), row->area_no, _("Nhiệm vụ"), text_shorten(row->title, title, SHOWN_TITLE),
                    _("Chủ trì / phối hợp"), row->lead_unit);
        for (int c = 0; c < row->ncoord; c++) html_printf(b, "%s<code>%s</code>", c ? ", " : " / ", row->coord[c]);
        html_lit(b, "</td>");
        deadline_cell(b, row);
        html_lit(b, "</tr>");
    }
    html_lit(b, "</tbody></table></div></section>");
}

static void problems_table(buf *b, const pi_result *res)
{
    if (res->nproblems == 0) return;
    html_printf(b, "<section class=\"card\" id=\"problems\"><h2>%s (%d)</h2><div class=\"table-wrap\"><table class=\"responsive\"><thead><tr>"
                   "<th class=\"num\">%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                _("Lỗi và cảnh báo"), res->nproblems, _("Dòng"), _("Cột"), _("Mức"), _("Nội dung"));
    for (int i = 0; i < res->nproblems; i++) {
        const pi_problem *p = &res->problems[i];
        bool err = p->severity == PI_ERROR;
        if (p->line > 0)
            html_printf(b, "<tr><td class=\"num\" data-label=\"%s\"><a href=\"#line-%d\">%d</a></td>", _("Dòng"), p->line, p->line);
        else
            html_printf(b, "<tr><td class=\"num\" data-label=\"%s\">—</td>", _("Dòng"));
        html_printf(b, "<td data-label=\"%s\"><code>%s</code></td><td data-label=\"%s\"><span class=\"badge %s\">%s</span></td>"
                       "<td data-label=\"%s\">%s</td></tr>",
                    _("Cột"), p->column, _("Mức"), err ? "overdue" : "due_soon", err ? _("Lỗi") : _("Cảnh báo"), _("Nội dung"), p->message);
    }
    html_lit(b, "</tbody></table></div></section>");
}

static void confirm_button(req *r, buf *b, int64_t id, const char *mode, const char *label, const char *cls)
{
    html_printf(b, "<form method=\"post\" action=\"/admin/imports/%D/confirm\" class=\"inline\">", id);
    html_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"mode\" value=\"%s\">", mode);
    if (cls[0]) html_printf(b, "<button type=\"submit\" class=\"%s\">%s</button></form> ", cls, label);
    else html_printf(b, "<button type=\"submit\">%s</button></form> ", label);
}

static void actions(req *r, buf *b, const import_row *imp, const pi_result *res, const import_summary *sum)
{
    html_lit(b, "<section class=\"card\" id=\"actions\">");
    if (strcmp(imp->status, "preview") != 0) {
        html_printf(b, "<p>%s</p>", !strcmp(imp->status, "applied")
                    ? _("Tệp đã được áp dụng; bảng dưới đối chiếu tệp với dữ liệu hiện tại.") : _("Tệp đã bị hủy."));
        if (sum->plan_id) html_printf(b, "<p><a href=\"/tasks?plan=%D\">%s</a></p>", sum->plan_id, _("Xem các nhiệm vụ của kế hoạch"));
    } else if (sum->blocker[0]) {
        html_printf(b, "<p class=\"error\">%s</p><p><a href=\"/admin/imports\">%s</a></p>", sum->blocker, _("Tải lên tệp khác"));
        confirm_button(r, b, imp->id, "cancel", _("Hủy tệp này"), "secondary");
    } else {
        if (res->nerrors == 0) confirm_button(r, b, imp->id, "all", _("Áp dụng"), "");
        else html_printf(b, "<p class=\"error\">%s</p>", _("Tệp còn lỗi: sửa tệp rồi tải lên lại, hoặc chỉ áp dụng các dòng hợp lệ."));
        if (res->nerrors > 0 && res->nvalid > 0) {
            char label[160];
            snprintf(label, sizeof label, _("Áp dụng các dòng hợp lệ (%d dòng)"), res->nvalid);
            confirm_button(r, b, imp->id, "valid_only", label, "");
        }
        confirm_button(r, b, imp->id, "cancel", _("Hủy tệp này"), "secondary");
    }
    html_lit(b, "</section>");
}

static void summary_card(buf *b, const import_row *imp, const pi_result *res, const import_summary *sum)
{
    char at[24];
    html_printf(b, "<dl class=\"kv card\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s, %s</dd><dt>%s</dt><dd>%s</dd>",
                _("Tệp"), imp->filename, _("Tải lên"), imp->username, fmt_datetime(imp->created_at, at), _("Trạng thái"), import_status_label(imp->status));
    html_printf(b, "<dt>%s</dt><dd><code>%s</code> — %s", _("Kế hoạch"), res->plan_code[0] ? res->plan_code : "?", sum->plan_title);
    if (sum->plan_year_from) html_printf(b, " (%d–%d)", sum->plan_year_from, sum->plan_year_to);
    if (res->plan_code[0] && !sum->plan_exists) html_printf(b, " <span class=\"badge\">%s</span>", _("kế hoạch mới"));
    html_printf(b, "</dd><dt>%s</dt><dd>%d %s, %d %s, %d %s, %d %s</dd>", _("Kiểm tra"), res->nrows, _("dòng"),
                res->nvalid, _("hợp lệ"), res->nerrors, _("lỗi"), res->nwarnings, _("cảnh báo"));
    html_printf(b, "<dt>%s</dt><dd>%d %s, %d %s, %d %s, %d %s</dd>", _("Khi áp dụng"), sum->new_tasks, _("nhiệm vụ mới"),
                sum->updated_tasks, _("cập nhật"), sum->unchanged_tasks, _("không đổi"), sum->skipped_rows, _("dòng bỏ qua"));
    if (sum->tasks_not_in_file)
        html_printf(b, "<dt>%s</dt><dd>%d %s</dd>", _("Không có trong tệp"), sum->tasks_not_in_file, _("nhiệm vụ đã có được giữ nguyên"));
    html_lit(b, "</dl>");
}

static void preview_page(req *r, resp *w, int status, const import_row *imp, const char *message)
{
    buf *b = &w->body;
    import_plan_info plan = {.title = imp->plan_title, .year_from = imp->year_from, .year_to = imp->year_to};
    pi_result res;
    import_summary sum;
    if (store_import_preview(r->db, imp->content, imp->len, imp->plan_title[0] ? &plan : NULL, &res, &sum) != DB_OK) {
        plan_import_free(&res);
        import_summary_free(&sum);
        resp_error(r, w, 500, "db_error", _("Không đọc được dữ liệu."), NULL);
        return;
    }
    w->status = status;
    page_begin(r, w, _("Xem trước tệp nhập"));
    html_printf(b, "<p><a href=\"/admin/imports\">%s</a></p><h1>%s</h1>", _("← Nhập kế hoạch"), _("Xem trước tệp nhập"));
    const char *ok = req_query(r, "ok");
    if (ok && !strcmp(ok, "applied")) html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s</p>", _("Đã áp dụng tệp."));
    if (ok && !strcmp(ok, "cancelled")) html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s</p>", _("Đã hủy tệp."));
    if (message) html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", message);
    summary_card(b, imp, &res, &sum);
    actions(r, b, imp, &res, &sum);
    problems_table(b, &res);
    rows_table(b, &res, &sum);
    page_end(r, w);
    plan_import_free(&res);
    import_summary_free(&sum);
}

void h_admin_import_view(req *r, resp *w)
{
    import_row imp;
    int64_t id = req_param_id(r, 0);
    if (id <= 0 || !store_import_get(r->db, id, &imp)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy tệp đã tải lên."), NULL); return; }
    preview_page(r, w, 200, &imp, NULL);
    import_row_free(&imp);
}

/* ---------- confirm ---------- */

typedef struct { req *r; int64_t id; } cancel_ctx;

static int cancel_txn(db *d, void *ctx)
{
    cancel_ctx *c = ctx;
    int rc = store_import_mark(d, c->id, "cancelled");
    if (rc != DB_OK) return rc;
    return store_audit(d, c->r->user.id, c->r->user.username, "import_cancel", "import", c->id,
                       "{\"status\":\"preview\"}", "{\"status\":\"cancelled\"}");
}

static void redirect_view(resp *w, int64_t id, const char *ok)
{
    char loc[80];
    snprintf(loc, sizeof loc, "/admin/imports/%lld?ok=%s", (long long)id, ok);
    resp_redirect(w, loc);
}

void h_admin_import_confirm(req *r, resp *w)
{
    import_row imp;
    int64_t id = req_param_id(r, 0);
    if (id <= 0 || !store_import_get(r->db, id, &imp)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy tệp đã tải lên."), NULL); return; }
    const char *mode = form_field(r, "mode");
    bool all = !strcmp(mode, "all"), valid_only = !strcmp(mode, "valid_only"), cancel = !strcmp(mode, "cancel");
    int rc;
    if (!all && !valid_only && !cancel) {
        preview_page(r, w, 422, &imp, _("Chọn “Áp dụng”, “Áp dụng các dòng hợp lệ” hoặc “Hủy”."));
    } else if (strcmp(imp.status, "preview") != 0) {
        preview_page(r, w, 409, &imp, _("Tệp này đã được áp dụng hoặc đã hủy."));
    } else if (cancel) {
        rc = db_txn(r->db, true, cancel_txn, &(cancel_ctx){r, id});
        if (rc == DB_OK) redirect_view(w, id, "cancelled");
        else preview_page(r, w, rc == DB_CONSTRAINT ? 409 : 500, &imp, _("Không hủy được tệp."));
    } else {
        pi_result res;
        import_summary sum;
        rc = store_import_apply_saved(r->db, id, valid_only, r->user.id, r->user.username, &res, &sum);
        if (rc == DB_OK) redirect_view(w, id, "applied");
        else if (rc == DB_CONSTRAINT) preview_page(r, w, 422, &imp, sum.blocker[0] ? sum.blocker : _("Tệp chưa thể áp dụng."));
        else preview_page(r, w, 500, &imp, _("Lỗi cơ sở dữ liệu: chưa có gì được ghi."));
        plan_import_free(&res);
        import_summary_free(&sum);
    }
    import_row_free(&imp);
}
