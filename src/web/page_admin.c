/* Administration: the home page, units (tree with validity and name history;
 * add, rename from a date, dissolve, merge) and users (list, add, change role,
 * unit, active flag, reset password). Every change is audited with before and
 * after JSON; invalid input re-renders the form with the input kept (422). */
#include "core/number.h"
#include "web/handlers.h"
#include "web/auth.h"
#include "web/common.h"
#include "web/form.h"
#include "web/html.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/plan_import.h"
#include "store/store_audit.h"
#include "store/store_import.h"
#include "store/store_unit.h"
#include "store/store_unit_admin.h"
#include "store/store_user.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_UNIT_NAME 300
#define MAX_SHORT_NAME 150
#define MAX_FULL_NAME 120
#define MAX_PASSWORD 256
#define MIN_PASSWORD_CHARS 10

/* ---------- shared helpers ---------- */

/* True for 1..max bytes of UTF-8 text without line breaks or control characters. */
static bool line_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    return n > 0 && n <= max && pi_valid_utf8_text(s, n) && !strpbrk(s, "\t\r\n");
}

/* Parses an optional positive id field: true when empty (*id = 0) or a number. */
static bool id_field(const char *s, int64_t *id)
{
    *id = 0;
    return !*s || parse_int64_strict(s, 1, INT64_MAX, id);
}

static char *json_take(json_t *j)
{
    if (!j) return NULL;
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

/* Redirects (303) to path?ok=code&name=subject. */
static void redirect_ok(resp *w, const char *path, const char *code, const char *subject)
{
    buf loc = {0};
    buf_puts(&loc, path);
    buf_puts(&loc, "?ok=");
    esc_url(&loc, code);
    if (subject) { buf_puts(&loc, "&name="); esc_url(&loc, subject); }
    resp_redirect(w, buf_str(&loc));
    buf_free(&loc);
}

/* The success message for ?ok=code (fixed texts: the query string cannot
 * inject a message), with the escaped subject from ?name=. */
static void flash(req *r, buf *b)
{
    static const struct { const char *code, *text; } msgs[] = {
        {"unit_added", N_("Đã thêm đơn vị")}, {"unit_renamed", N_("Đã đổi tên đơn vị")},
        {"unit_dissolved", N_("Đã ghi nhận giải thể đơn vị")}, {"unit_merged", N_("Đã ghi nhận sáp nhập đơn vị")},
        {"user_added", N_("Đã thêm người dùng")}, {"user_saved", N_("Đã lưu thay đổi của người dùng")},
    };
    const char *ok = req_query(r, "ok"), *name = req_query(r, "name");
    if (!ok) return;
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        if (strcmp(ok, msgs[i].code) != 0) continue;
        if (name && line_ok(name, 200)) html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s: %s</p>", _(msgs[i].text), name);
        else html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s</p>", _(msgs[i].text));
    }
}

/* An error message for a form, tied to the field by id for assistive tech. */
static void form_error(buf *b, const char *error)
{
    if (error) html_printf(b, "<p class=\"error\" role=\"alert\" id=\"form-error\">%s</p>", error);
}

static const char *kind_label(const char *kind)
{
    static const struct { const char *kind, *label; } labels[] = {
        {"department", N_("Sở")}, {"division", N_("Phòng, ban thuộc Sở")}, {"district_office", N_("Phòng GD&ĐT quận, huyện")},
        {"school", N_("Trường học")}, {"centre", N_("Trung tâm")}, {"external", N_("Cơ quan ngoài ngành")},
        {"group", N_("Nhóm đơn vị")},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(kind, labels[i].kind) == 0) return _(labels[i].label);
    return kind;
}

/* ---------- units: data ---------- */

typedef struct {
    unit_info *v;
    int n;
} unit_list;

static void collect_unit(const unit_row *u, void *ctx)
{
    unit_list *l = ctx;
    unit_info *grown = realloc(l->v, sizeof *grown * ((size_t)l->n + 1));
    if (!grown) return;
    l->v = grown;
    unit_info *x = &l->v[l->n++];
    memset(x, 0, sizeof *x);
    x->id = u->id;
    x->parent_id = u->parent_id;
    x->successor_id = u->successor_id;
    snprintf(x->code, sizeof x->code, "%s", u->code);
    snprintf(x->name, sizeof x->name, "%s", u->name);
    snprintf(x->short_name, sizeof x->short_name, "%s", u->short_name ? u->short_name : "");
    snprintf(x->kind, sizeof x->kind, "%s", u->kind);
    snprintf(x->valid_from, sizeof x->valid_from, "%s", u->valid_from ? u->valid_from : "");
    snprintf(x->valid_to, sizeof x->valid_to, "%s", u->valid_to ? u->valid_to : "");
}

/* Every unit, with the group member kinds filled in. Caller frees l->v. */
static void load_units(db *d, unit_list *l)
{
    memset(l, 0, sizeof *l);
    store_unit_list(d, NULL, collect_unit, l);
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i].kind, "group") == 0) store_unit_get(d, l->v[i].id, &l->v[i]);
}

static const unit_info *find_unit(const unit_list *l, int64_t id)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i].id == id) return &l->v[i];
    return NULL;
}

/* True when the unit exists on day (ISO). */
static bool unit_active_on(const unit_info *u, const char *day)
{
    return (!u->valid_from[0] || strcmp(u->valid_from, day) <= 0) && (!u->valid_to[0] || strcmp(u->valid_to, day) >= 0);
}

/* <option>s for the units active today (plus the selected one), except skip. */
static void unit_options(req *r, buf *b, const unit_list *l, int64_t selected, int64_t skip)
{
    char today[11];
    web_today_iso(r, today);
    for (int i = 0; i < l->n; i++) {
        const unit_info *u = &l->v[i];
        if (u->id == skip || (u->id != selected && !unit_active_on(u, today))) continue;
        html_printf(b, "<option value=\"%D\"%s>%s (%s)</option>", u->id, u->id == selected ? " selected" : "", u->name, u->code);
    }
}

static char *unit_json(const unit_info *u)
{
    return json_take(json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s?, s:s?, s:I, s:s}",
                               "id", (json_int_t)u->id, "code", u->code, "name", u->name, "short_name", u->short_name,
                               "kind", u->kind, "parent_id", (json_int_t)u->parent_id,
                               "valid_from", u->valid_from[0] ? u->valid_from : NULL,
                               "valid_to", u->valid_to[0] ? u->valid_to : NULL,
                               "successor_id", (json_int_t)u->successor_id, "member_kinds", u->member_kinds));
}

/* ---------- units: page ---------- */

typedef struct {
    const char *error, *field;
    const char *code, *name, *short_name, *kind, *parent, *valid_from, *member_kinds;
} unit_add_form;

typedef struct {
    int64_t id;                    /* the unit whose change form is open; 0 = none */
    const char *error, *field;
    const char *action, *name, *date, *successor;
} unit_change_form;

typedef struct { buf *b; int n; } names_ctx;

static void name_item(const char *name, const char *from, const char *to, void *ctx)
{
    names_ctx *c = ctx;
    char f[16], t[16];
    html_printf(c->b, "<li>%s <span class=\"muted\">(%s – %s)</span></li>", name,
                from[0] ? fmt_date(from, f) : _("không rõ"), to[0] ? fmt_date(to, t) : _("nay"));
    c->n++;
}

static void count_name(const char *name, const char *from, const char *to, void *ctx)
{
    (void)name; (void)from; (void)to;
    (*(int *)ctx)++;
}

static void unit_item(req *r, buf *b, const unit_list *l, const unit_info *u)
{
    char f[16], t[16];
    html_printf(b, "<li id=\"unit-%D\"><strong>%s</strong> <code>%s</code> <span class=\"badge\">%s</span> ",
                u->id, u->name, u->code, kind_label(u->kind));
    if (u->valid_from[0] && u->valid_to[0])
        html_printf(b, "<span class=\"muted\">%s %s – %s</span>", _("hoạt động"), fmt_date(u->valid_from, f), fmt_date(u->valid_to, t));
    else if (u->valid_from[0])
        html_printf(b, "<span class=\"muted\">%s %s</span>", _("hoạt động từ"), fmt_date(u->valid_from, f));
    else if (u->valid_to[0])
        html_printf(b, "<span class=\"muted\">%s %s</span>", _("hoạt động đến hết"), fmt_date(u->valid_to, t));
    const unit_info *succ = u->successor_id ? find_unit(l, u->successor_id) : NULL;
    if (succ) html_printf(b, " · %s <a href=\"#unit-%D\">%s</a>", _("sáp nhập vào"), succ->id, succ->name);
    if (!strcmp(u->kind, "group"))
        html_printf(b, " · %s: %s", _("gồm các loại"), u->member_kinds[0] ? u->member_kinds : _("(quyết định theo từng nhiệm vụ)"));
    html_printf(b, " <a href=\"/admin/units?edit=%D#change\">%s</a>", u->id, _("Thay đổi"));
    int names = 0;
    store_unit_names(r->db, u->id, count_name, &names);
    if (names > 1) {
        html_printf(b, "<details><summary>%s (%d)</summary><ol>", _("Lịch sử tên"), names);
        names_ctx c = {b, 0};
        store_unit_names(r->db, u->id, name_item, &c);
        html_lit(b, "</ol></details>");
    }
}

static bool is_root(const unit_list *l, const unit_info *u)
{
    return u->parent_id == 0 || !find_unit(l, u->parent_id) || u->parent_id == u->id;
}

static void unit_tree(req *r, buf *b, const unit_list *l, int64_t parent, int depth)
{
    html_lit(b, "<ul class=\"tree\">");
    for (int i = 0; i < l->n; i++) {
        const unit_info *u = &l->v[i];
        if (depth == 0 ? !is_root(l, u) : (u->parent_id != parent || u->id == parent)) continue;
        unit_item(r, b, l, u);
        bool has_children = false;
        for (int j = 0; j < l->n && !has_children; j++) has_children = l->v[j].parent_id == u->id && l->v[j].id != u->id;
        if (has_children && depth < 8) unit_tree(r, b, l, u->id, depth + 1);
        html_lit(b, "</li>");
    }
    html_lit(b, "</ul>");
}

static void radio(buf *b, const char *name, const char *value, const char *current, const char *label)
{
    html_printf(b, "<label class=\"check\"><span><input type=\"radio\" name=\"%s\" value=\"%s\"%s> %s</span></label>",
                name, value, strcmp(value, current) == 0 ? " checked" : "", label);
}

static void change_form(req *r, buf *b, const unit_list *l, const unit_change_form *c)
{
    const unit_info *u = find_unit(l, c->id);
    if (!u) return;
    int64_t succ = 0;
    id_field(c->successor ? c->successor : "", &succ);
    html_printf(b, "<section class=\"card\" id=\"change\"><h2>%s: %s <code>%s</code></h2>", _("Thay đổi đơn vị"), u->name, u->code);
    form_error(b, c->error);
    html_printf(b, "<form method=\"post\" action=\"/admin/units/%D\" class=\"stack\">", u->id);
    html_csrf_field(r, b);
    html_printf(b, "<fieldset><legend>%s</legend>", _("Loại thay đổi"));
    const char *action = c->action && c->action[0] ? c->action : "rename";
    radio(b, "action", "rename", action, _("Đổi tên từ ngày"));
    radio(b, "action", "dissolve", action, _("Giải thể từ ngày"));
    radio(b, "action", "merge", action, _("Sáp nhập vào đơn vị khác từ ngày"));
    html_lit(b, "</fieldset>");
    html_printf(b, "<label>%s<input name=\"date\" value=\"%s\" placeholder=\"dd/mm/yyyy\" maxlength=\"10\" required%s></label>",
                _("Ngày có hiệu lực (dd/mm/yyyy); khi giải thể, sáp nhập: đơn vị hoạt động đến hết ngày hôm trước"),
                c->date ? c->date : "", form_invalid_if("date", c->field));
    html_printf(b, "<label>%s<input name=\"name\" value=\"%s\" maxlength=\"300\"%s></label>",
                _("Tên mới (khi đổi tên)"), c->name ? c->name : "", form_invalid_if("name", c->field));
    html_printf(b, "<label>%s<select name=\"successor\"%s><option value=\"\">%s</option>",
                _("Sáp nhập vào (khi sáp nhập)"), form_invalid_if("successor", c->field), _("— Chọn đơn vị —"));
    unit_options(r, b, l, succ, u->id);
    html_printf(b, "</select></label><p><button type=\"submit\">%s</button> <a href=\"/admin/units\">%s</a></p></form></section>",
                _("Lưu thay đổi"), _("Hủy"));
}

static void add_unit_form(req *r, buf *b, const unit_list *l, const unit_add_form *a)
{
    int64_t parent = 0;
    id_field(a->parent ? a->parent : "", &parent);
    const char *kind = a->kind && a->kind[0] ? a->kind : "school";
    html_printf(b, "<section class=\"card\" id=\"add\"><h2>%s</h2>", _("Thêm đơn vị"));
    form_error(b, a->error);
    html_lit(b, "<form method=\"post\" action=\"/admin/units\" class=\"stack\">");
    html_csrf_field(r, b);
    html_printf(b, "<label>%s<input name=\"code\" value=\"%s\" required maxlength=\"40\" pattern=\"[A-Z][A-Z0-9_]+\"%s></label>",
                _("Mã (chữ in hoa không dấu, chữ số, _; không đổi về sau)"), a->code ? a->code : "", form_invalid_if("code", a->field));
    html_printf(b, "<label>%s<input name=\"name\" value=\"%s\" required maxlength=\"300\"%s></label>",
                _("Tên đầy đủ"), a->name ? a->name : "", form_invalid_if("name", a->field));
    html_printf(b, "<label>%s<input name=\"short_name\" value=\"%s\" maxlength=\"150\"%s></label>",
                _("Tên ngắn"), a->short_name ? a->short_name : "", form_invalid_if("short_name", a->field));
    html_printf(b, "<label>%s<select name=\"kind\"%s>", _("Loại đơn vị"), form_invalid_if("kind", a->field));
    for (int i = 0; UNIT_KINDS[i]; i++)
        html_printf(b, "<option value=\"%s\"%s>%s</option>", UNIT_KINDS[i], strcmp(kind, UNIT_KINDS[i]) == 0 ? " selected" : "",
                    kind_label(UNIT_KINDS[i]));
    html_printf(b, "</select></label><label>%s<select name=\"parent\"%s><option value=\"\">%s</option>",
                _("Thuộc đơn vị"), form_invalid_if("parent", a->field), _("— Không —"));
    unit_options(r, b, l, parent, 0);
    html_printf(b, "</select></label><label>%s<input name=\"valid_from\" value=\"%s\" placeholder=\"dd/mm/yyyy\" maxlength=\"10\"%s></label>",
                _("Hoạt động từ ngày (để trống nếu không rõ)"), a->valid_from ? a->valid_from : "", form_invalid_if("valid_from", a->field));
    html_printf(b, "<label>%s<input name=\"member_kinds\" value=\"%s\" maxlength=\"100\" placeholder=\"school,centre\"%s></label>",
                _("Chỉ với nhóm đơn vị: các loại đơn vị thuộc nhóm (division, district_office, school, centre, external; cách nhau bởi dấu phẩy)"),
                a->member_kinds ? a->member_kinds : "", form_invalid_if("member_kinds", a->field));
    html_printf(b, "<p><button type=\"submit\">%s</button></p></form></section>", _("Thêm đơn vị"));
}

static void units_page(req *r, resp *w, int status, const unit_add_form *add, const unit_change_form *chg)
{
    buf *b = &w->body;
    unit_list l;
    load_units(r->db, &l);
    w->status = status;
    page_begin(r, w, _("Đơn vị"));
    html_printf(b, "<p><a href=\"/admin\">%s</a></p><h1>%s</h1>", _("← Quản trị"), _("Đơn vị"));
    flash(r, b);
    if (chg && chg->id) change_form(r, b, &l, chg);
    html_printf(b, "<section class=\"card\"><h2>%s</h2><p class=\"muted\">%s</p>", _("Cây đơn vị"),
                _("Đổi tên, giải thể, sáp nhập đều ghi theo ngày có hiệu lực; tên cũ được giữ trong lịch sử."));
    unit_tree(r, b, &l, 0, 0);
    html_lit(b, "</section>");
    add_unit_form(r, b, &l, add);
    page_end(r, w);
    free(l.v);
}

void h_admin_units(req *r, resp *w)
{
    unit_add_form add = {0};
    unit_change_form chg = {0};
    const char *edit = req_query(r, "edit");
    if (edit && !id_field(edit, &chg.id)) chg.id = 0;
    if (chg.id) {
        unit_info u;
        if (!store_unit_get(r->db, chg.id, &u)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy đơn vị."), "edit"); return; }
    }
    units_page(r, w, 200, &add, &chg);
}

/* ---------- units: add ---------- */

static bool unit_code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 40 || s[0] < 'A' || s[0] > 'Z') return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

/* At least one member kind, and all of them valid for a group. */
static bool member_kinds_ok(const char *s)
{
    return s[strspn(s, ",")] != '\0' && store_unit_member_kinds_valid(s);
}

/* Checks the add form; on a problem sets a->error/field and returns false. */
static bool validate_unit_add(req *r, unit_add_form *a, char valid_from[11], int64_t *parent)
{
    valid_from[0] = '\0';
    unit_info p;
    if (!unit_code_ok(a->code)) { a->field = "code"; a->error = _("Mã đơn vị gồm 2–40 ký tự: chữ in hoa không dấu, chữ số và _, bắt đầu bằng chữ."); }
    else if (store_unit_id_by_code(r->db, a->code) > 0) { a->field = "code"; a->error = _("Mã đơn vị này đã có."); }
    else if (!line_ok(a->name, MAX_UNIT_NAME)) { a->field = "name"; a->error = _("Tên đơn vị phải có 1–300 byte, trên một dòng."); }
    else if (a->short_name[0] && !line_ok(a->short_name, MAX_SHORT_NAME)) { a->field = "short_name"; a->error = _("Tên ngắn tối đa 150 byte, trên một dòng."); }
    else if (!store_unit_kind_valid(a->kind)) { a->field = "kind"; a->error = _("Loại đơn vị không hợp lệ."); }
    else if (!id_field(a->parent, parent) || (*parent && !store_unit_get(r->db, *parent, &p))) { a->field = "parent"; a->error = _("Đơn vị cấp trên không tồn tại."); }
    else if (a->valid_from[0] && !pi_parse_date(a->valid_from, valid_from)) { a->field = "valid_from"; a->error = _("Ngày phải viết dd/mm/yyyy hoặc YYYY-MM-DD và là ngày có thật."); }
    else if (a->member_kinds[0] && strcmp(a->kind, "group") != 0) { a->field = "member_kinds"; a->error = _("Chỉ nhóm đơn vị mới có các loại thành viên."); }
    else if (a->member_kinds[0] && !member_kinds_ok(a->member_kinds)) { a->field = "member_kinds"; a->error = _("Các loại thành viên không hợp lệ (vd: school,centre)."); }
    return a->error == NULL;
}

typedef struct {
    req *r;
    const unit_add_form *a;
    const char *valid_from;
    int64_t parent, id;
} unit_add_txn_ctx;

static int unit_add_txn(db *d, void *ctx)
{
    unit_add_txn_ctx *c = ctx;
    const unit_add_form *a = c->a;
    c->id = store_unit_add(d, a->code, a->name, a->short_name, a->kind, c->parent, c->valid_from[0] ? c->valid_from : NULL, NULL);
    if (c->id == 0) return DB_CONSTRAINT;
    if (c->id < 0) return DB_ERR;
    if (a->member_kinds[0] && store_unit_set_member_kinds(d, c->id, a->member_kinds) != DB_OK) return DB_ERR;
    unit_info u;
    if (!store_unit_get(d, c->id, &u)) return DB_ERR;
    char *after = unit_json(&u);
    int rc = after ? store_audit(d, c->r->user.id, c->r->user.username, "unit_add", "unit", c->id, NULL, after) : DB_ERR;
    free(after);
    return rc;
}

void h_admin_unit_add(req *r, resp *w)
{
    unit_add_form a = {.code = form_field(r, "code"), .name = form_field(r, "name"), .short_name = form_field(r, "short_name"),
                       .kind = form_field(r, "kind"), .parent = form_field(r, "parent"), .valid_from = form_field(r, "valid_from"),
                       .member_kinds = form_field(r, "member_kinds")};
    char valid_from[11];
    int64_t parent = 0;
    if (!validate_unit_add(r, &a, valid_from, &parent)) { units_page(r, w, 422, &a, NULL); return; }
    unit_add_txn_ctx c = {r, &a, valid_from, parent, 0};
    int rc = db_txn(r->db, true, unit_add_txn, &c);
    if (rc == DB_CONSTRAINT) { a.field = "code"; a.error = _("Mã đơn vị này đã có."); units_page(r, w, 422, &a, NULL); return; }
    if (rc != DB_OK) { resp_error(r, w, 500, "db_error", _("Không lưu được đơn vị."), NULL); return; }
    redirect_ok(w, "/admin/units", "unit_added", a.name);
}

/* ---------- units: rename, dissolve, merge ---------- */

typedef struct {
    req *r;
    const unit_info *before;
    const char *action, *name, *date;   /* date: ISO, effective */
    int64_t successor;
} unit_change_ctx;

static int unit_change_txn(db *d, void *ctx)
{
    unit_change_ctx *c = ctx;
    int rc;
    char last_day[11];
    if (!strcmp(c->action, "rename")) {
        rc = store_unit_rename(d, c->before->id, c->name, c->date);
    } else {
        if (!pi_date_add_days(c->date, -1, last_day)) return DB_CONSTRAINT;
        rc = store_unit_end(d, c->before->id, last_day, !strcmp(c->action, "merge") ? c->successor : 0);
    }
    if (rc != DB_OK) return rc;
    unit_info after;
    if (!store_unit_get(d, c->before->id, &after)) return DB_ERR;
    char *b = unit_json(c->before), *a = unit_json(&after);
    char action[32];
    snprintf(action, sizeof action, "unit_%s", c->action);
    rc = b && a ? store_audit(d, c->r->user.id, c->r->user.username, action, "unit", after.id, b, a) : DB_ERR;
    free(b);
    free(a);
    return rc;
}

/* Checks the change form against the unit; sets c->error/field on a problem. */
static bool validate_unit_change(req *r, const unit_info *u, unit_change_form *c, char date[11], int64_t *successor)
{
    unit_info s;
    bool rename = !strcmp(c->action, "rename"), merge = !strcmp(c->action, "merge");
    if (!rename && !merge && strcmp(c->action, "dissolve")) { c->field = "action"; c->error = _("Chọn một loại thay đổi: đổi tên, giải thể hoặc sáp nhập."); }
    else if (!pi_parse_date(c->date, date)) { c->field = "date"; c->error = _("Ngày phải viết dd/mm/yyyy hoặc YYYY-MM-DD và là ngày có thật."); }
    else if (rename && !line_ok(c->name, MAX_UNIT_NAME)) { c->field = "name"; c->error = _("Tên mới phải có 1–300 byte, trên một dòng."); }
    else if (rename && !strcmp(c->name, u->name)) { c->field = "name"; c->error = _("Tên mới trùng tên hiện tại."); }
    else if (merge && (!id_field(c->successor, successor) || *successor == 0 || *successor == u->id || !store_unit_get(r->db, *successor, &s)))
        { c->field = "successor"; c->error = _("Chọn đơn vị nhận sáp nhập (khác đơn vị này)."); }
    else if (merge && s.valid_to[0] && strcmp(s.valid_to, date) < 0) { c->field = "successor"; c->error = _("Đơn vị nhận sáp nhập đã ngừng hoạt động trước ngày đó."); }
    return c->error == NULL;
}

void h_admin_unit_change(req *r, resp *w)
{
    unit_info u;
    int64_t id = req_param_id(r, 0);
    if (id <= 0 || !store_unit_get(r->db, id, &u)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy đơn vị."), NULL); return; }
    unit_change_form c = {.id = id, .action = form_field(r, "action"), .name = form_field(r, "name"), .date = form_field(r, "date"),
                          .successor = form_field(r, "successor")};
    char date[11];
    int64_t successor = 0;
    if (!validate_unit_change(r, &u, &c, date, &successor)) { units_page(r, w, 422, &(unit_add_form){0}, &c); return; }
    unit_change_ctx x = {r, &u, c.action, c.name, date, successor};
    int rc = db_txn(r->db, true, unit_change_txn, &x);
    if (rc == DB_CONSTRAINT) {
        char from[16], to[16], msg[400];
        snprintf(msg, sizeof msg, _("Ngày không phù hợp với thời gian hoạt động của đơn vị (%s – %s) hoặc với lần đổi tên trước."),
                 u.valid_from[0] ? fmt_date(u.valid_from, from) : _("không rõ"), u.valid_to[0] ? fmt_date(u.valid_to, to) : _("nay"));
        c.field = "date";
        c.error = msg;
        units_page(r, w, 422, &(unit_add_form){0}, &c);
        return;
    }
    if (rc != DB_OK) { resp_error(r, w, 500, "db_error", _("Không lưu được thay đổi."), NULL); return; }
    const char *ok = !strcmp(c.action, "rename") ? "unit_renamed" : !strcmp(c.action, "merge") ? "unit_merged" : "unit_dissolved";
    redirect_ok(w, "/admin/units", ok, u.name);
}

/* ---------- users: page ---------- */

typedef struct {
    const char *error, *field;
    const char *username, *full_name, *role, *unit;
} user_add_form;

typedef struct {
    int64_t id;                    /* the user whose change form is open; 0 = none */
    bool submitted;                /* values below come from a rejected POST */
    const char *error, *field;
    const char *full_name, *role, *unit;
    bool active;
} user_change_form;

typedef struct {
    user_row *v;
    int n;
} user_list;

static void collect_user(const user_row *u, void *ctx)
{
    user_list *l = ctx;
    user_row *grown = realloc(l->v, sizeof *grown * ((size_t)l->n + 1));
    if (!grown) return;
    l->v = grown;
    l->v[l->n++] = *u;
}

static void role_options(buf *b, const char *selected)
{
    for (int i = ROLE_ADMIN; i <= ROLE_LAST; i++)
        html_printf(b, "<option value=\"%s\"%s>%s</option>", role_id((role)i),
                    selected && !strcmp(selected, role_id((role)i)) ? " selected" : "", role_label((role)i));
}

static void users_table(buf *b, const user_list *users)
{
    html_printf(b, "<section class=\"card\"><h2>%s</h2><div class=\"table-wrap\"><table class=\"responsive\"><thead><tr>"
                   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th><span class=\"visually-hidden\">%s</span></th></tr></thead><tbody>",
                _("Người dùng"), _("Tên đăng nhập"), _("Họ tên"), _("Vai trò"), _("Đơn vị"), _("Trạng thái"), _("Tạo ngày"), _("Thao tác"));
    for (int i = 0; i < users->n; i++) {
        const user_row *u = &users->v[i];
        char created[16];
        html_printf(b, "<tr id=\"user-%D\"><td data-label=\"%s\"><code>%s</code></td><td data-label=\"%s\">%s</td>"
                       "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
                       "<td><a href=\"/admin/users?edit=%D#change\">%s</a></td></tr>",
                    u->id, _("Tên đăng nhập"), u->username, _("Họ tên"), u->full_name, _("Vai trò"), role_label(u->role),
                    _("Đơn vị"), u->unit_name[0] ? u->unit_name : "—", _("Trạng thái"), u->active ? _("Đang hoạt động") : _("Đã khóa"),
                    _("Tạo ngày"), fmt_date(u->created_at, created), u->id, _("Sửa"));
    }
    html_lit(b, "</tbody></table></div></section>");
}

static void user_change_card(req *r, buf *b, const unit_list *units, const user_list *users, const user_change_form *c)
{
    const user_row *u = NULL;
    for (int i = 0; i < users->n; i++)
        if (users->v[i].id == c->id) u = &users->v[i];
    if (!u) return;
    int64_t unit = u->unit_id;
    if (c->submitted) id_field(c->unit, &unit);
    const char *full = c->submitted ? c->full_name : u->full_name, *role_s = c->submitted ? c->role : role_id(u->role);
    bool active = c->submitted ? c->active : u->active;
    html_printf(b, "<section class=\"card\" id=\"change\"><h2>%s: <code>%s</code></h2>", _("Sửa người dùng"), u->username);
    form_error(b, c->error);
    html_printf(b, "<form method=\"post\" action=\"/admin/users/%D\" class=\"stack\">", u->id);
    html_csrf_field(r, b);
    html_printf(b, "<label>%s<input name=\"full_name\" value=\"%s\" required maxlength=\"120\"%s></label>",
                _("Họ tên"), full, form_invalid_if("full_name", c->field));
    html_printf(b, "<label>%s<select name=\"role\"%s>", _("Vai trò"), form_invalid_if("role", c->field));
    role_options(b, role_s);
    html_printf(b, "</select></label><label>%s<select name=\"unit\"%s><option value=\"\">%s</option>",
                _("Đơn vị (bắt buộc với vai trò Cán bộ đơn vị)"), form_invalid_if("unit", c->field), _("— Không —"));
    unit_options(r, b, units, unit, 0);
    html_printf(b, "</select></label><label class=\"check\"><span><input type=\"checkbox\" name=\"active\" value=\"1\"%s%s> %s</span></label>",
                active ? " checked" : "", form_invalid_if("active", c->field), _("Đang hoạt động (bỏ chọn để khóa tài khoản)"));
    html_printf(b, "<label>%s<input type=\"password\" name=\"password\" minlength=\"10\" maxlength=\"256\" autocomplete=\"new-password\"%s></label>",
                _("Đặt lại mật khẩu (để trống nếu không đổi; ít nhất 10 ký tự)"), form_invalid_if("password", c->field));
    html_printf(b, "<p><button type=\"submit\">%s</button> <a href=\"/admin/users\">%s</a></p></form></section>", _("Lưu"), _("Hủy"));
}

static void add_user_form(req *r, buf *b, const unit_list *units, const user_add_form *a)
{
    int64_t unit = 0;
    id_field(a->unit ? a->unit : "", &unit);
    html_printf(b, "<section class=\"card\" id=\"add\"><h2>%s</h2>", _("Thêm người dùng"));
    form_error(b, a->error);
    html_lit(b, "<form method=\"post\" action=\"/admin/users\" class=\"stack\">");
    html_csrf_field(r, b);
    html_printf(b, "<label>%s<input name=\"username\" value=\"%s\" required maxlength=\"60\" autocomplete=\"off\"%s></label>",
                _("Tên đăng nhập (3–60 ký tự: chữ không dấu, chữ số, . _ -)"), a->username ? a->username : "", form_invalid_if("username", a->field));
    html_printf(b, "<label>%s<input name=\"full_name\" value=\"%s\" required maxlength=\"120\"%s></label>",
                _("Họ tên"), a->full_name ? a->full_name : "", form_invalid_if("full_name", a->field));
    html_printf(b, "<label>%s<select name=\"role\"%s>", _("Vai trò"), form_invalid_if("role", a->field));
    role_options(b, a->role && a->role[0] ? a->role : "unit");
    html_printf(b, "</select></label><label>%s<select name=\"unit\"%s><option value=\"\">%s</option>",
                _("Đơn vị (bắt buộc với vai trò Cán bộ đơn vị)"), form_invalid_if("unit", a->field), _("— Không —"));
    unit_options(r, b, units, unit, 0);
    html_printf(b, "</select></label><label>%s<input type=\"password\" name=\"password\" required minlength=\"10\" maxlength=\"256\" autocomplete=\"new-password\"%s></label>",
                _("Mật khẩu (ít nhất 10 ký tự)"), form_invalid_if("password", a->field));
    html_printf(b, "<p><button type=\"submit\">%s</button></p></form></section>", _("Thêm người dùng"));
}

static void users_page(req *r, resp *w, int status, const user_add_form *add, const user_change_form *chg)
{
    buf *b = &w->body;
    unit_list units;
    user_list users = {0};
    load_units(r->db, &units);
    store_user_list(r->db, collect_user, &users);
    w->status = status;
    page_begin(r, w, _("Người dùng"));
    html_printf(b, "<p><a href=\"/admin\">%s</a></p><h1>%s</h1>", _("← Quản trị"), _("Người dùng"));
    flash(r, b);
    if (chg && chg->id) user_change_card(r, b, &units, &users, chg);
    users_table(b, &users);
    add_user_form(r, b, &units, add);
    page_end(r, w);
    free(units.v);
    free(users.v);
}

void h_admin_users(req *r, resp *w)
{
    user_change_form chg = {0};
    const char *edit = req_query(r, "edit");
    if (edit && !id_field(edit, &chg.id)) chg.id = 0;
    user_row u;
    if (chg.id && !store_user_by_id(r->db, chg.id, &u)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy người dùng."), "edit"); return; }
    users_page(r, w, 200, &(user_add_form){0}, &chg);
}

/* ---------- users: add and change ---------- */

static bool password_ok(const char *pw)
{
    size_t n = strlen(pw);
    return n <= MAX_PASSWORD && pi_valid_utf8_text(pw, n) && utf8_char_count(pw) >= MIN_PASSWORD_CHARS;
}

/* Role and unit together: the unit must exist, and role "unit" needs one. */
static const char *role_unit_problem(db *d, const char *role_s, const char *unit_s, role *ro, int64_t *unit, const char **bad)
{
    unit_info u;
    *ro = role_parse(role_s);
    if (*ro == ROLE_NONE) { *bad = "role"; return _("Vai trò không hợp lệ."); }
    if (!id_field(unit_s, unit) || (*unit && !store_unit_get(d, *unit, &u))) { *bad = "unit"; return _("Đơn vị không tồn tại."); }
    if (*ro == ROLE_UNIT && *unit == 0) { *bad = "unit"; return _("Vai trò Cán bộ đơn vị cần chọn đơn vị."); }
    return NULL;
}

static char *user_json(db *d, const user_row *u, bool password_reset)
{
    unit_info unit = {0};
    if (u->unit_id) store_unit_get(d, u->unit_id, &unit);
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:b}", "id", (json_int_t)u->id, "username", u->username,
                          "full_name", u->full_name, "role", role_id(u->role), "unit_id", (json_int_t)u->unit_id,
                          "unit_code", unit.code, "active", u->active);
    if (j && password_reset) json_object_set_new(j, "password_reset", json_true());
    return json_take(j);
}

typedef struct {
    req *r;
    const char *username, *full_name, *hash;
    role ro;
    int64_t unit, id;
} user_add_ctx;

static int user_add_txn(db *d, void *ctx)
{
    user_add_ctx *c = ctx;
    c->id = store_user_add(d, c->username, c->full_name, c->ro, c->unit, c->hash);
    if (c->id == 0) return DB_CONSTRAINT;
    user_row u;
    if (c->id < 0 || !store_user_by_id(d, c->id, &u)) return DB_ERR;
    char *after = user_json(d, &u, false);
    int rc = after ? store_audit(d, c->r->user.id, c->r->user.username, "user_add", "user", c->id, NULL, after) : DB_ERR;
    free(after);
    return rc;
}

void h_admin_user_add(req *r, resp *w)
{
    user_add_form a = {.username = form_field(r, "username"), .full_name = form_field(r, "full_name"), .role = form_field(r, "role"),
                       .unit = form_field(r, "unit")};
    const char *pw = form_field(r, "password");
    user_row existing;
    user_add_ctx c = {.r = r, .username = a.username, .full_name = a.full_name};
    const char *problem = NULL;
    if (!username_valid(a.username)) { a.field = "username"; a.error = _("Tên đăng nhập gồm 3–60 ký tự: chữ không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang."); }
    else if (store_user_by_name(r->db, a.username, &existing)) { a.field = "username"; a.error = _("Tên đăng nhập này đã có."); }
    else if (!line_ok(a.full_name, MAX_FULL_NAME)) { a.field = "full_name"; a.error = _("Họ tên phải có 1–120 byte, trên một dòng."); }
    else if ((problem = role_unit_problem(r->db, a.role, a.unit, &c.ro, &c.unit, &a.field))) a.error = problem;
    else if (!password_ok(pw)) { a.field = "password"; a.error = _("Mật khẩu phải có ít nhất 10 ký tự (tối đa 256 byte). Hãy nhập lại mật khẩu."); }
    if (a.error) { users_page(r, w, 422, &a, NULL); return; }
    char hash[128];
    if (auth_hash_password(pw, hash) != 0) { resp_error(r, w, 500, "hash_failed", _("Không tạo được mật khẩu."), NULL); return; }
    c.hash = hash;
    int rc = db_txn(r->db, true, user_add_txn, &c);
    if (rc == DB_CONSTRAINT) { a.field = "username"; a.error = _("Tên đăng nhập này đã có."); users_page(r, w, 422, &a, NULL); return; }
    if (rc != DB_OK) { resp_error(r, w, 500, "db_error", _("Không lưu được người dùng."), NULL); return; }
    redirect_ok(w, "/admin/users", "user_added", a.username);
}

typedef struct { int active_admins; } admin_count;
static void count_admin(const user_row *u, void *ctx)
{
    if (u->role == ROLE_ADMIN && u->active) ((admin_count *)ctx)->active_admins++;
}

typedef struct {
    req *r;
    const user_row *before;
    const char *full_name, *hash;     /* hash NULL: keep the password */
    role ro;
    int64_t unit;
    bool active;
} user_change_ctx;

static int user_change_txn(db *d, void *ctx)
{
    user_change_ctx *c = ctx;
    if (!store_user_update(d, c->before->id, c->full_name, c->ro, c->unit, c->active)) return DB_ERR;
    admin_count admins = {0};            /* checked again here: two admins demoting each other at once */
    if (store_user_list(d, count_admin, &admins) != DB_OK) return DB_ERR;
    if (admins.active_admins == 0) return DB_CONSTRAINT;
    if (c->hash && !store_user_set_password(d, c->before->id, c->hash)) return DB_ERR;
    /* A reset password, a lock or a new role ends the user's open sessions; a
     * reset or a lock also revokes the user's API tokens. */
    if ((c->hash || !c->active || c->ro != c->before->role) && store_session_delete_user(d, c->before->id, 0) != DB_OK) return DB_ERR;
    if ((c->hash || !c->active) && store_token_revoke_user(d, c->before->id) != DB_OK) return DB_ERR;
    user_row after;
    if (!store_user_by_id(d, c->before->id, &after)) return DB_ERR;
    char *b = user_json(d, c->before, false), *a = user_json(d, &after, c->hash != NULL);
    int rc = a && b ? store_audit(d, c->r->user.id, c->r->user.username, "user_change", "user", after.id, b, a) : DB_ERR;
    free(a);
    free(b);
    return rc;
}

void h_admin_user_change(req *r, resp *w)
{
    user_row u;
    int64_t id = req_param_id(r, 0);
    if (id <= 0 || !store_user_by_id(r->db, id, &u)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy người dùng."), NULL); return; }
    user_change_form c = {.id = id, .submitted = true, .full_name = form_field(r, "full_name"), .role = form_field(r, "role"),
                          .unit = form_field(r, "unit"), .active = !strcmp(form_field(r, "active"), "1")};
    const char *pw = form_field(r, "password"), *problem = NULL;
    user_change_ctx x = {.r = r, .before = &u, .full_name = c.full_name, .active = c.active};
    admin_count admins = {0};
    if (!line_ok(c.full_name, MAX_FULL_NAME)) { c.field = "full_name"; c.error = _("Họ tên phải có 1–120 byte, trên một dòng."); }
    else if ((problem = role_unit_problem(r->db, c.role, c.unit, &x.ro, &x.unit, &c.field))) c.error = problem;
    else if (pw[0] && !password_ok(pw)) { c.field = "password"; c.error = _("Mật khẩu mới phải có ít nhất 10 ký tự (tối đa 256 byte). Hãy nhập lại."); }
    else if (id == r->user.id && (x.ro != ROLE_ADMIN || !c.active)) { c.field = x.ro != ROLE_ADMIN ? "role" : "active"; c.error = _("Không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản của mình."); }
    else if (u.role == ROLE_ADMIN && u.active && (x.ro != ROLE_ADMIN || !c.active)) {
        store_user_list(r->db, count_admin, &admins);
        if (admins.active_admins <= 1) { c.field = "role"; c.error = _("Đây là quản trị viên cuối cùng đang hoạt động."); }
    }
    if (c.error) { users_page(r, w, 422, &(user_add_form){0}, &c); return; }
    char hash[128];
    if (pw[0]) {
        if (auth_hash_password(pw, hash) != 0) { resp_error(r, w, 500, "hash_failed", _("Không tạo được mật khẩu."), NULL); return; }
        x.hash = hash;
    }
    int rc = db_txn(r->db, true, user_change_txn, &x);
    if (rc == DB_CONSTRAINT) {
        c.field = "role";
        c.error = _("Đây là quản trị viên cuối cùng đang hoạt động.");
        users_page(r, w, 422, &(user_add_form){0}, &c);
        return;
    }
    if (rc != DB_OK) { resp_error(r, w, 500, "db_error", _("Không lưu được thay đổi."), NULL); return; }
    redirect_ok(w, "/admin/users", "user_saved", u.username);
}

/* ---------- home ---------- */

typedef struct { buf *b; int n; } recent_ctx;

static void recent_import(const import_brief *i, void *ctx)
{
    recent_ctx *c = ctx;
    char at[24];
    html_printf(c->b, "<li><a href=\"/admin/imports/%D\">%s</a> — %s, %s <span class=\"badge\">%s</span></li>",
                i->id, i->filename[0] ? i->filename : _("(không tên)"), i->username, fmt_datetime(i->created_at, at),
                import_status_label(i->status));
    c->n++;
}

typedef struct { int total, active; } user_count;
static void count_user(const user_row *u, void *ctx)
{
    user_count *c = ctx;
    c->total++;
    if (u->active) c->active++;
}

void h_admin_home(req *r, resp *w)
{
    buf *b = &w->body;
    user_count users = {0};
    store_user_list(r->db, count_user, &users);
    page_begin(r, w, _("Quản trị"));
    html_printf(b, "<h1>%s</h1><div class=\"grid\">", _("Quản trị"));
    html_printf(b, "<section class=\"card\"><h2><a href=\"/admin/units\">%s</a></h2><p>%s</p><p class=\"muted\">%d %s</p></section>",
                _("Đơn vị"), _("Cây đơn vị, thêm đơn vị, đổi tên, giải thể, sáp nhập theo ngày."), store_unit_count(r->db), _("đơn vị"));
    html_printf(b, "<section class=\"card\"><h2><a href=\"/admin/users\">%s</a></h2><p>%s</p><p class=\"muted\">%d %s, %d %s</p></section>",
                _("Người dùng"), _("Tài khoản, vai trò, đơn vị, khóa tài khoản, đặt lại mật khẩu."),
                users.total, _("tài khoản"), users.active, _("đang hoạt động"));
    html_printf(b, "<section class=\"card\"><h2><a href=\"/admin/imports\">%s</a></h2><p>%s</p>",
                _("Nhập kế hoạch từ CSV"), _("Tải tệp CSV, xem trước từng dòng và lỗi, rồi áp dụng."));
    recent_ctx c = {b, 0};
    html_lit(b, "<ul>");
    store_import_list(r->db, 5, recent_import, &c);
    html_lit(b, "</ul>");
    if (c.n == 0) html_printf(b, "<p class=\"muted\">%s</p>", _("Chưa có tệp nào được tải lên."));
    html_lit(b, "</section>");
    html_printf(b, "<section class=\"card\"><h2><a href=\"/admin/calendar\">%s</a></h2><p>%s</p></section>",
                _("Lịch làm việc"), _("Ngày nghỉ lễ, Tết, nghỉ bù, làm bù theo năm; xác nhận lịch tạm tính."));
    html_lit(b, "</div>");
    page_end(r, w);
}
