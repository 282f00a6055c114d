/* Plan CSV imports (see store_import.h). */
#include "store/store_import.h"
#include "store/store_search.h"
#include "core/buf.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "store/engine.h"
#include "store/store_audit.h"
#include "store/store_unit.h"
#include "store/store_util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void import_summary_free(import_summary *s)
{
    free(s->actions);
    memset(s, 0, sizeof *s);
}

/* ---- plans ---- */

typedef struct {
    int64_t id;
    int year_from, year_to;
    char title[512];
} plan_ref;

static bool plan_by_code(db *d, const char *code, plan_ref *out)
{
    db_stmt *s = db_prepare(d, "SELECT id, year_from, year_to, title FROM plans WHERE code = ?");
    if (!s) return false;
    db_bind_text(s, 1, code);
    if (db_step(s) != DB_ROW) return false;
    out->id = db_col_int(s, 0);
    out->year_from = (int)db_col_int(s, 1);
    out->year_to = (int)db_col_int(s, 2);
    store_copy_text(out->title, sizeof out->title, db_col_text(s, 3));
    return true;
}

/* "" when the new-plan fields are usable, else why not (Vietnamese). */
static const char *plan_info_problem(const import_plan_info *p)
{
    char iso[11];
    if (!p || !p->title || !p->title[0]) return _("cần nhập tên kế hoạch");
    if (strlen(p->title) > 500) return _("tên kế hoạch dài quá 500 byte");
    if (p->year_from < 2000 || p->year_from > 2100 || p->year_to < p->year_from || p->year_to > 2100)
        return _("cần năm bắt đầu và năm kết thúc hợp lệ (2000–2100, năm kết thúc không trước năm bắt đầu)");
    if (p->issued_on && p->issued_on[0] && !pi_parse_date(p->issued_on, iso)) return _("ngày ban hành không hợp lệ");
    return "";
}

static int64_t insert_plan(db *d, const char *code, const import_plan_info *p)
{
    char now[32], iso[11] = "";
    db_now_iso(now);
    if (p->issued_on && p->issued_on[0] && !pi_parse_date(p->issued_on, iso)) return -1;
    db_stmt *s = db_prepare(d, "INSERT INTO plans(code, title, doc_number, issued_on, year_from, year_to, note, created_at) "
                               "VALUES (?,?,?,?,?,?,?,?)");
    if (!s) return -1;
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, p->title);
    db_bind_text(s, 3, p->doc_number ? p->doc_number : "");
    db_bind_text(s, 4, iso[0] ? iso : NULL);
    db_bind_int(s, 5, p->year_from);
    db_bind_int(s, 6, p->year_to);
    db_bind_text(s, 7, p->note ? p->note : "");
    db_bind_text(s, 8, now);
    return db_exec_stmt(s) == DB_DONE ? db_last_id(d) : -1;
}

/* ---- validation against the database ---- */

typedef struct {
    db *d;
    const import_plan_info *new_plan;
} lookup_ctx;

static bool unit_exists(const char *code, void *ctx)
{
    return store_unit_id_by_code(((lookup_ctx *)ctx)->d, code) > 0;
}

static int plan_year(const char *code, void *ctx)
{
    lookup_ctx *l = ctx;
    plan_ref p;
    if (plan_by_code(l->d, code, &p)) return p.year_from;
    return l->new_plan ? l->new_plan->year_from : 0;
}

static void validate(db *d, const char *text, size_t len, const import_plan_info *new_plan, pi_result *res)
{
    lookup_ctx l = {d, new_plan};
    pi_options opt = {.unit_exists = unit_exists, .ctx = &l, .plan_year = plan_year};
    plan_import_validate(text, len, &opt, res);
}

/* ---- existing tasks ---- */

typedef struct {
    int64_t id;
    int position;
    char *area_no, *title, *lead_code, *product, *deadline_text;
    char *coords;                 /* sorted codes joined by ';' */
} existing_task;

static void existing_free(existing_task *t)
{
    free(t->area_no); free(t->title); free(t->lead_code); free(t->product); free(t->deadline_text); free(t->coords);
    memset(t, 0, sizeof *t);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Joins codes sorted with ';' into a malloc'd string. */
static char *join_sorted(char *const *codes, int n)
{
    char **sorted = malloc(sizeof *sorted * (size_t)(n ? n : 1));
    if (!sorted) return NULL;
    memcpy(sorted, codes, sizeof *sorted * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_str);
    size_t total = 1;
    for (int i = 0; i < n; i++) total += strlen(sorted[i]) + 1;
    char *out = malloc(total);
    if (out) {
        out[0] = '\0';
        for (int i = 0; i < n; i++) { if (i) strcat(out, ";"); strcat(out, sorted[i]); }
    }
    free(sorted);
    return out;
}

static char *load_coords(db *d, int64_t task_id)
{
    db_stmt *s = db_prepare(d, "SELECT u.code FROM task_units tu JOIN units u ON u.id = tu.unit_id WHERE tu.task_id = ?");
    if (!s) return NULL;
    db_bind_int(s, 1, task_id);
    char *codes[PI_MAX_COORD * 2];
    int n = 0;
    while (n < PI_MAX_COORD * 2 && db_step(s) == DB_ROW) codes[n++] = db_col_dup(s, 0);
    char *joined = join_sorted(codes, n);
    for (int i = 0; i < n; i++) free(codes[i]);
    return joined;
}

/* Loads the task (plan_id, number); 1 found, 0 not found, -1 error. */
static int load_existing(db *d, int64_t plan_id, const char *number, existing_task *t)
{
    memset(t, 0, sizeof *t);
    if (plan_id <= 0) return 0;
    db_stmt *s = db_prepare(d, "SELECT t.id, t.position, a.no, t.title, u.code, t.product, t.deadline_text "
                               "FROM tasks t JOIN areas a ON a.id = t.area_id JOIN units u ON u.id = t.lead_unit_id "
                               "WHERE t.plan_id = ? AND t.number = ?");
    if (!s) return -1;
    db_bind_int(s, 1, plan_id);
    db_bind_text(s, 2, number);
    if (db_step(s) != DB_ROW) return 0;
    t->id = db_col_int(s, 0);
    t->position = (int)db_col_int(s, 1);
    t->area_no = db_col_dup(s, 2);
    t->title = db_col_dup(s, 3);
    t->lead_code = db_col_dup(s, 4);
    t->product = db_col_dup(s, 5);
    t->deadline_text = db_col_dup(s, 6);
    t->coords = load_coords(d, t->id);
    if (!t->area_no || !t->title || !t->lead_code || !t->product || !t->deadline_text || !t->coords) {
        existing_free(t);
        return -1;
    }
    return 1;
}

/* True when the row says something else than the stored task (position aside). */
static bool content_differs(const existing_task *t, const pi_row *r, const char *row_coords)
{
    return strcmp(t->area_no, r->area_no) || strcmp(t->title, r->title) || strcmp(t->lead_code, r->lead_unit) ||
           strcmp(t->product, r->product) || strcmp(t->deadline_text, r->deadline_text) || strcmp(t->coords, row_coords);
}

static int count_tasks_not_in(db *d, int64_t plan_id, const pi_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT number FROM tasks WHERE plan_id = ?");
    if (!s) return 0;
    db_bind_int(s, 1, plan_id);
    int missing = 0;
    while (db_step(s) == DB_ROW) {
        const char *number = db_col_text(s, 0);
        bool listed = false;
        for (int i = 0; i < res->nrows && !listed; i++) listed = strcmp(res->rows[i].number, number) == 0;
        if (!listed) missing++;
    }
    return missing;
}

/* ---- summary (what applying would do) ---- */

static int summarize(db *d, const pi_result *res, const import_plan_info *new_plan, import_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    sum->actions = calloc((size_t)(res->nrows ? res->nrows : 1), 1);
    if (!sum->actions) return DB_ERR;
    plan_ref p;
    if (res->plan_code[0] && plan_by_code(d, res->plan_code, &p)) {
        sum->plan_exists = true;
        sum->plan_id = p.id;
        store_copy_text(sum->plan_title, sizeof sum->plan_title, p.title);
        sum->plan_year_from = p.year_from;
        sum->plan_year_to = p.year_to;
    } else if (new_plan) {
        store_copy_text(sum->plan_title, sizeof sum->plan_title, new_plan->title);
        sum->plan_year_from = new_plan->year_from;
        sum->plan_year_to = new_plan->year_to;
    }
    for (int i = 0; i < res->nrows; i++) {
        const pi_row *r = &res->rows[i];
        if (!r->valid) { sum->skipped_rows++; continue; }
        existing_task t;
        int found = load_existing(d, sum->plan_id, r->number, &t);
        if (found < 0) return DB_ERR;
        if (!found) { sum->actions[i] = IMPORT_ROW_NEW; sum->new_tasks++; continue; }
        char *coords = join_sorted(r->coord, r->ncoord);
        if (!coords) { existing_free(&t); return DB_ERR; }
        bool changed = content_differs(&t, r, coords);
        sum->actions[i] = changed ? IMPORT_ROW_UPDATED : IMPORT_ROW_UNCHANGED;
        if (changed) sum->updated_tasks++; else sum->unchanged_tasks++;
        free(coords);
        existing_free(&t);
    }
    if (sum->plan_exists) sum->tasks_not_in_file = count_tasks_not_in(d, sum->plan_id, res);
    if (!res->header_ok || res->nvalid == 0)
        store_copy_text(sum->blocker, sizeof sum->blocker, _("Không có dòng hợp lệ nào để áp dụng"));
    else if (!sum->plan_exists && plan_info_problem(new_plan)[0])
        snprintf(sum->blocker, sizeof sum->blocker, _("Kế hoạch %s chưa có trong hệ thống: %s"), res->plan_code,
                 plan_info_problem(new_plan));
    return DB_OK;
}

int store_import_preview(db *d, const char *text, size_t len, const import_plan_info *new_plan,
                         pi_result *res, import_summary *sum)
{
    validate(d, text, len, new_plan, res);
    return summarize(d, res, new_plan, sum);
}

/* ---- applying ---- */

static void iso_of(dlx_date dt, char out[11])
{
    if (dt.y == 0) out[0] = '\0';
    else snprintf(out, 11, "%04d-%02d-%02d", dt.y, dt.m, dt.d);
}

/* Upserts the plan's areas in file order (only those with a valid row);
 * fills area_ids per row. */
static int upsert_areas(db *d, int64_t plan_id, const pi_result *res, int64_t *area_ids, import_summary *sum)
{
    int position = 0;
    for (int i = 0; i < res->nrows; i++) {
        const pi_row *r = &res->rows[i];
        int first = i;
        for (int j = 0; j < i; j++)
            if (strcmp(res->rows[j].area_no, r->area_no) == 0) { first = j; break; }
        if (first < i) { area_ids[i] = area_ids[first]; continue; }
        position++;
        bool needed = false;
        for (int j = i; j < res->nrows && !needed; j++)
            needed = res->rows[j].valid && strcmp(res->rows[j].area_no, r->area_no) == 0;
        if (!needed) { area_ids[i] = 0; continue; }
        db_stmt *s = db_prepare(d, "SELECT id FROM areas WHERE plan_id = ? AND no = ?");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, plan_id);
        db_bind_text(s, 2, r->area_no);
        int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
        if (id > 0) {
            s = db_prepare(d, "UPDATE areas SET title = ?, position = ? WHERE id = ?");
            if (!s) return DB_ERR;
            db_bind_text(s, 1, r->area_title);
            db_bind_int(s, 2, position);
            db_bind_int(s, 3, id);
            if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
        } else {
            s = db_prepare(d, "INSERT INTO areas(plan_id, no, title, position) VALUES (?,?,?,?)");
            if (!s) return DB_ERR;
            db_bind_int(s, 1, plan_id);
            db_bind_text(s, 2, r->area_no);
            db_bind_text(s, 3, r->area_title);
            db_bind_int(s, 4, position);
            if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
            id = db_last_id(d);
            sum->new_areas++;
        }
        area_ids[i] = id;
    }
    return DB_OK;
}

static int set_deadline(db *d, int64_t task_id, const pi_row *r)
{
    char start[11], due[11];
    iso_of(r->deadline.start, start);
    iso_of(r->deadline.due, due);
    db_stmt *s = db_prepare(d, "UPDATE tasks SET dl_kind = ?, dl_start = ?, dl_due = ?, dl_every = ?, dl_needs_date = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, dlx_kind_name(r->deadline.kind));
    db_bind_text(s, 2, start[0] ? start : NULL);
    db_bind_text(s, 3, due[0] ? due : NULL);
    db_bind_text(s, 4, r->deadline.kind == DLX_RECURRING ? dlx_every_name(r->deadline.every) : NULL);
    db_bind_int(s, 5, r->needs_date);
    db_bind_int(s, 6, task_id);
    if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    s = db_prepare(d, "DELETE FROM task_milestones WHERE task_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, task_id);
    if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    for (int i = 0; i < r->deadline.n_milestones && i < 4; i++) {
        const dlx_milestone *m = &r->deadline.milestones[i];
        iso_of(m->start, start);
        iso_of(m->due, due);
        s = db_prepare(d, "INSERT INTO task_milestones(task_id, seq, label, start, due) VALUES (?,?,?,?,?)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, task_id);
        db_bind_int(s, 2, i + 1);
        db_bind_text(s, 3, m->label);
        db_bind_text(s, 4, start[0] ? start : NULL);
        db_bind_text(s, 5, due[0] ? due : NULL);
        if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    }
    return DB_OK;
}

static int set_coordinators(db *d, int64_t task_id, const pi_row *r)
{
    db_stmt *s = db_prepare(d, "DELETE FROM task_units WHERE task_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, task_id);
    if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    for (int i = 0; i < r->ncoord; i++) {
        int64_t unit = store_unit_id_by_code(d, r->coord[i]);
        if (unit <= 0) return DB_ERR;
        s = db_prepare(d, "INSERT INTO task_units(task_id, unit_id) VALUES (?,?)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, task_id);
        db_bind_int(s, 2, unit);
        if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    }
    return DB_OK;
}

static int index_task(db *d, int64_t task_id, const pi_row *r)
{
    return store_task_index(d, task_id, r->number, r->title, r->product);
}

static int64_t insert_task(db *d, int64_t plan_id, int64_t area_id, int64_t lead, int position, const pi_row *r)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO tasks(plan_id, area_id, number, position, title, lead_unit_id, product, "
                               "deadline_text, dl_kind, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (!s) return -1;
    db_bind_int(s, 1, plan_id);
    db_bind_int(s, 2, area_id);
    db_bind_text(s, 3, r->number);
    db_bind_int(s, 4, position);
    db_bind_text(s, 5, r->title);
    db_bind_int(s, 6, lead);
    db_bind_text(s, 7, r->product);
    db_bind_text(s, 8, r->deadline_text);
    db_bind_text(s, 9, dlx_kind_name(r->deadline.kind));
    db_bind_text(s, 10, now);
    return db_exec_stmt(s) == DB_DONE ? db_last_id(d) : -1;
}

static int update_task(db *d, int64_t id, int64_t area_id, int64_t lead, int position, const pi_row *r, bool touch)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "UPDATE tasks SET area_id = ?, position = ?, title = ?, lead_unit_id = ?, product = ?, "
                               "deadline_text = ?, updated_at = CASE WHEN ? = 1 THEN ? ELSE updated_at END WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, area_id);
    db_bind_int(s, 2, position);
    db_bind_text(s, 3, r->title);
    db_bind_int(s, 4, lead);
    db_bind_text(s, 5, r->product);
    db_bind_text(s, 6, r->deadline_text);
    db_bind_int(s, 7, touch);
    db_bind_text(s, 8, now);
    db_bind_int(s, 9, id);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

/* Writes one valid row; the deadline fields are recomputed only when the
 * deadline text changes, so a date a person set by hand survives re-imports. */
static int apply_row(db *d, int64_t plan_id, int64_t area_id, int position, const pi_row *r, import_row_action *action)
{
    int64_t lead = store_unit_id_by_code(d, r->lead_unit);
    if (lead <= 0 || area_id <= 0) return DB_ERR;
    existing_task t;
    int found = load_existing(d, plan_id, r->number, &t);
    if (found < 0) return DB_ERR;
    if (!found) {
        int64_t id = insert_task(d, plan_id, area_id, lead, position, r);
        *action = IMPORT_ROW_NEW;
        if (id <= 0 || set_deadline(d, id, r) != DB_OK || set_coordinators(d, id, r) != DB_OK) return DB_ERR;
        return index_task(d, id, r);
    }
    char *coords = join_sorted(r->coord, r->ncoord);
    if (!coords) { existing_free(&t); return DB_ERR; }
    bool changed = content_differs(&t, r, coords);
    bool deadline_changed = strcmp(t.deadline_text, r->deadline_text) != 0;
    bool coords_changed = strcmp(t.coords, coords) != 0;
    int rc = DB_OK;
    *action = changed ? IMPORT_ROW_UPDATED : IMPORT_ROW_UNCHANGED;
    if (changed || t.position != position) rc = update_task(d, t.id, area_id, lead, position, r, changed);
    if (rc == DB_OK && deadline_changed) rc = set_deadline(d, t.id, r);
    if (rc == DB_OK && coords_changed) rc = set_coordinators(d, t.id, r);
    if (rc == DB_OK && changed) rc = index_task(d, t.id, r);
    free(coords);
    existing_free(&t);
    return rc;
}

static char *summary_json(const pi_result *res, const import_summary *sum, const import_apply_opts *o, bool plan_created,
                          int64_t import_id)
{
    json_t *j = json_pack("{s:s, s:s, s:b, s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
                          "source", o->source ? o->source : "", "plan_code", res->plan_code,
                          "plan_created", plan_created, "valid_only", o->valid_only,
                          "rows", res->nrows, "new_tasks", sum->new_tasks, "updated_tasks", sum->updated_tasks,
                          "unchanged_tasks", sum->unchanged_tasks, "skipped_rows", sum->skipped_rows,
                          "new_areas", sum->new_areas, "errors", res->nerrors, "warnings", res->nwarnings);
    if (!j) return NULL;
    if (import_id > 0) json_object_set_new(j, "import_id", json_integer(import_id));
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(j);
    return s;
}

typedef struct {
    const char *text;
    size_t len;
    import_apply_opts o;          /* a copy: the saved-import path fills new_plan and source */
    pi_result *res;
    import_summary *sum;
    int64_t import_id;            /* store_import_apply_saved */
    import_row saved;
    import_plan_info saved_plan;
} apply_ctx;

/* The whole import inside the caller's transaction; DB_CONSTRAINT when problems block it. */
static int apply_core(db *d, apply_ctx *c)
{
    plan_import_free(c->res);
    import_summary_free(c->sum);
    validate(d, c->text, c->len, c->o.new_plan, c->res);
    if (summarize(d, c->res, c->o.new_plan, c->sum) != DB_OK) return DB_ERR;
    pi_result *res = c->res;
    import_summary *sum = c->sum;
    if (sum->blocker[0]) return DB_CONSTRAINT;
    if (res->nerrors > 0 && !c->o.valid_only) {
        snprintf(sum->blocker, sizeof sum->blocker,
                 _("Tệp còn %d lỗi: sửa tệp rồi tải lên lại, hoặc chỉ áp dụng %d dòng hợp lệ"), res->nerrors, res->nvalid);
        return DB_CONSTRAINT;
    }
    bool plan_created = !sum->plan_exists;
    if (plan_created && (sum->plan_id = insert_plan(d, res->plan_code, c->o.new_plan)) <= 0) return DB_ERR;
    sum->new_tasks = sum->updated_tasks = sum->unchanged_tasks = 0;
    int64_t *area_ids = calloc((size_t)res->nrows, sizeof *area_ids);
    if (!area_ids) return DB_ERR;
    int rc = upsert_areas(d, sum->plan_id, res, area_ids, sum);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++) {
        if (!res->rows[i].valid) continue;
        import_row_action action = IMPORT_ROW_SKIPPED;
        rc = apply_row(d, sum->plan_id, area_ids[i], i + 1, &res->rows[i], &action);
        sum->actions[i] = (unsigned char)action;
        if (action == IMPORT_ROW_NEW) sum->new_tasks++;
        else if (action == IMPORT_ROW_UPDATED) sum->updated_tasks++;
        else if (action == IMPORT_ROW_UNCHANGED) sum->unchanged_tasks++;
    }
    free(area_ids);
    if (rc != DB_OK) return rc == DB_CONSTRAINT ? DB_ERR : rc;
    sum->plan_exists = true;
    char *after = summary_json(res, sum, &c->o, plan_created, c->import_id);
    if (!after) return DB_ERR;
    rc = store_audit(d, c->o.user_id, c->o.username, "import", "plan", sum->plan_id, NULL, after);
    free(after);
    return rc;
}

static int apply_txn(db *d, void *ctx) { return apply_core(d, ctx); }

int store_import_apply(db *d, const char *text, size_t len, const import_apply_opts *o,
                       pi_result *res, import_summary *sum)
{
    memset(res, 0, sizeof *res);
    memset(sum, 0, sizeof *sum);
    apply_ctx c = {.text = text, .len = len, .o = *o, .res = res, .sum = sum};
    return db_txn(d, true, apply_txn, &c);
}

/* ---- the imports table ---- */

int64_t store_import_save(db *d, int64_t user_id, const char *username, const char *filename,
                          const char *content, size_t len, const import_plan_info *new_plan)
{
    if (!content || strlen(content) != len) return -1;       /* text only: no NUL bytes */
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO imports(user_id, filename, content, status, created_at) VALUES (?,?,?,'preview',?)");
    if (!s) return -1;
    db_bind_int(s, 1, user_id);
    db_bind_text(s, 2, filename ? filename : "");
    db_bind_text(s, 3, content);
    db_bind_text(s, 4, now);
    if (db_exec_stmt(s) != DB_DONE) return -1;
    int64_t id = db_last_id(d);
    json_t *j = json_pack("{s:s, s:I}", "filename", filename ? filename : "", "bytes", (json_int_t)len);
    if (!j) return -1;
    if (new_plan && new_plan->title && new_plan->title[0]) {
        json_object_set_new(j, "plan_title", json_string(new_plan->title));
        json_object_set_new(j, "year_from", json_integer(new_plan->year_from));
        json_object_set_new(j, "year_to", json_integer(new_plan->year_to));
    }
    char *after = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(j);
    int rc = after ? store_audit(d, user_id, username, "import_upload", "import", id, NULL, after) : DB_ERR;
    free(after);
    return rc == DB_OK ? id : -1;
}

/* Reads the new-plan fields kept in the upload's audit entry. */
static void read_upload_meta(const audit_row *a, void *ctx)
{
    import_row *r = ctx;
    if (strcmp(a->action, "import_upload") != 0 || !a->after || r->plan_title[0]) return;
    json_t *j = json_loads(a->after, 0, NULL);
    if (!j) return;
    const char *title = json_string_value(json_object_get(j, "plan_title"));
    if (title) {
        store_copy_text(r->plan_title, sizeof r->plan_title, title);
        r->year_from = (int)json_integer_value(json_object_get(j, "year_from"));
        r->year_to = (int)json_integer_value(json_object_get(j, "year_to"));
    }
    json_decref(j);
}

bool store_import_get(db *d, int64_t id, import_row *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(d, "SELECT i.id, i.user_id, COALESCE(u.username, ''), i.filename, i.content, i.status, i.created_at "
                               "FROM imports i LEFT JOIN users u ON u.id = i.user_id WHERE i.id = ?");
    if (!s) return false;
    db_bind_int(s, 1, id);
    if (db_step(s) != DB_ROW) return false;
    out->id = db_col_int(s, 0);
    out->user_id = db_col_int(s, 1);
    store_copy_text(out->username, sizeof out->username, db_col_text(s, 2));
    store_copy_text(out->filename, sizeof out->filename, db_col_text(s, 3));
    out->content = db_col_dup(s, 4);
    store_copy_text(out->status, sizeof out->status, db_col_text(s, 5));
    store_copy_text(out->created_at, sizeof out->created_at, db_col_text(s, 6));
    if (!out->content) return false;
    out->len = strlen(out->content);
    store_audit_list(d, "import", id, read_upload_meta, out);
    return true;
}

void import_row_free(import_row *r)
{
    free(r->content);
    r->content = NULL;
    r->len = 0;
}

int store_import_mark(db *d, int64_t id, const char *status)
{
    if (strcmp(status, "applied") != 0 && strcmp(status, "cancelled") != 0) return DB_CONSTRAINT;
    db_stmt *s = db_prepare(d, "UPDATE imports SET status = ? WHERE id = ? AND status = 'preview'");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, status);
    db_bind_int(s, 2, id);
    if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    return db_changes(d) == 1 ? DB_OK : DB_CONSTRAINT;
}

int store_import_list(db *d, int limit, import_fn fn, void *ctx)
{
    db_stmt *s = db_prepare(d, "SELECT i.id, i.filename, COALESCE(u.username, ''), i.status, i.created_at "
                               "FROM imports i LEFT JOIN users u ON u.id = i.user_id ORDER BY i.id DESC LIMIT ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, limit);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        import_brief b = {db_col_int(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3), db_col_text(s, 4)};
        fn(&b, ctx);
    }
    return rc == DB_DONE ? DB_OK : rc;
}

static int apply_saved_txn(db *d, void *ctx)
{
    apply_ctx *c = ctx;
    import_row_free(&c->saved);
    plan_import_free(c->res);
    import_summary_free(c->sum);
    bool found = store_import_get(d, c->import_id, &c->saved);
    if (!found || strcmp(c->saved.status, "preview") != 0) {
        store_copy_text(c->sum->blocker, sizeof c->sum->blocker,
             found ? _("Tệp này đã được áp dụng hoặc đã hủy") : _("Không tìm thấy tệp đã tải lên"));
        return DB_CONSTRAINT;
    }
    c->saved_plan = (import_plan_info){.title = c->saved.plan_title, .year_from = c->saved.year_from, .year_to = c->saved.year_to};
    c->o.new_plan = c->saved.plan_title[0] ? &c->saved_plan : NULL;
    c->o.source = c->saved.filename;
    c->text = c->saved.content;
    c->len = c->saved.len;
    int rc = apply_core(d, c);
    return rc == DB_OK ? store_import_mark(d, c->import_id, "applied") : rc;
}

int store_import_apply_saved(db *d, int64_t import_id, bool valid_only, int64_t user_id, const char *username,
                             pi_result *res, import_summary *sum)
{
    memset(res, 0, sizeof *res);
    memset(sum, 0, sizeof *sum);
    apply_ctx c = {.o = {.user_id = user_id, .username = username, .valid_only = valid_only},
                   .res = res, .sum = sum, .import_id = import_id};
    int rc = db_txn(d, true, apply_saved_txn, &c);
    import_row_free(&c.saved);
    return rc;
}
