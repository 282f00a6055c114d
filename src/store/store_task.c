/* Plans, areas, tasks, updates, timeline (see store_task.h). */
#include "store/store_task.h"
#include "store/engine.h"
#include "store/store_search.h"
#include "store/store_audit.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/fold.h"
#include <stdlib.h>
#include <string.h>


/* ---------- plans and areas ---------- */

#define PLAN_COLS "p.id, p.code, p.title, p.doc_number, COALESCE(p.issued_on,''), p.note, p.year_from, p.year_to, p.public, " \
                  "CASE WHEN ? THEN (SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id) ELSE 0 END FROM plans p "

static void read_plan(db_stmt *s, plan_row *p)
{
    p->id = db_col_int(s, 0);
    p->code = db_col_dup(s, 1);
    p->title = db_col_dup(s, 2);
    p->doc_number = db_col_dup(s, 3);
    p->issued_on = db_col_dup(s, 4);
    p->note = db_col_dup(s, 5);
    p->year_from = (int)db_col_int(s, 6);
    p->year_to = (int)db_col_int(s, 7);
    p->public = db_col_int(s, 8) != 0;
    p->task_count = (int)db_col_int(s, 9);
}

/* False when a string of p could not be copied (out of memory). */
static bool plan_complete(const plan_row *p)
{
    return p->code && p->title && p->doc_number && p->issued_on && p->note;
}

void plan_row_free(plan_row *p)
{
    if (!p) return;
    free(p->code); free(p->title); free(p->doc_number); free(p->issued_on); free(p->note);
    memset(p, 0, sizeof *p);
}

void plan_rows_free(plan_row *p, int n)
{
    for (int i = 0; i < n; i++) plan_row_free(&p[i]);
    free(p);
}

int store_plan_list(db *d, bool public_only, bool with_counts, plan_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(d, "SELECT " PLAN_COLS "WHERE p.public = 1 OR ? = 0 ORDER BY p.year_from DESC, p.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, with_counts);
    db_bind_int(s, 2, public_only);
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            plan_row *p = realloc(*out, sizeof **out * (size_t)cap);
            if (!p) { rc = DB_ERR; break; }
            *out = p;
        }
        plan_row *p = &(*out)[(*n)++];
        read_plan(s, p);
        if (!plan_complete(p)) { rc = DB_ERR; break; }
    }
    if (rc == DB_DONE) return DB_OK;
    /* Nothing half-filled reaches the caller. */
    plan_rows_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc == DB_ROW ? DB_ERR : rc;
}

bool store_plan_get(db *d, int64_t id, bool public_only, plan_row *out)
{
    db_stmt *s = db_prepare(d, "SELECT " PLAN_COLS "WHERE p.id = ? AND (p.public = 1 OR ? = 0)");
    if (!s) return false;
    db_bind_int(s, 1, 1);
    db_bind_int(s, 2, id);
    db_bind_int(s, 3, public_only);
    if (db_step(s) != DB_ROW) return false;
    read_plan(s, out);
    if (!plan_complete(out)) { plan_row_free(out); return false; }
    return true;
}

bool store_plan_is_public(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT public FROM plans WHERE id = ?");
    if (!s) return false;
    db_bind_int(s, 1, id);
    return db_step(s) == DB_ROW && db_col_int(s, 0) != 0;
}

int store_area_list(db *d, int64_t plan_id, area_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(d, "SELECT id, no, title, position FROM areas WHERE plan_id = ? ORDER BY position");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, plan_id);
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            area_row *a = realloc(*out, sizeof **out * (size_t)cap);
            if (!a) { rc = DB_ERR; break; }
            *out = a;
        }
        area_row *a = &(*out)[(*n)++];
        *a = (area_row){db_col_int(s, 0), db_col_dup(s, 1), db_col_dup(s, 2), (int)db_col_int(s, 3)};
        if (!a->no || !a->title) { rc = DB_ERR; break; }
    }
    if (rc == DB_DONE) return DB_OK;
    area_rows_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc == DB_ROW ? DB_ERR : rc;
}

void area_rows_free(area_row *a, int n)
{
    for (int i = 0; i < n; i++) { free(a[i].no); free(a[i].title); }
    free(a);
}

/* ---------- tasks ---------- */

#define TASK_COLS "t.id, t.plan_id, t.area_id, p.code, a.no, a.title, t.number, t.title, t.product, t.deadline_text, " \
                  "t.lead_unit_id, lu.name, lu.kind, t.dl_kind, t.dl_start, t.dl_due, t.dl_every, t.dl_needs_date, " \
                  "t.status, t.percent, t.updated_at, p.public "
#define TASK_FROM "FROM tasks t JOIN plans p ON p.id = t.plan_id JOIN areas a ON a.id = t.area_id " \
                  "JOIN units lu ON lu.id = t.lead_unit_id "

static int load_coords(db *d, task_list *l);

/* Reads the current row into t; its strings share one allocation (t->arena). */
static bool read_task(db_stmt *s, task_row *t)
{
    memset(t, 0, sizeof *t);
    char **dst[] = {&t->plan_code, &t->area_no, &t->area_title, &t->number, &t->title, &t->product,
                    &t->deadline_text, &t->lead.name, &t->lead_kind, &t->dl_kind, &t->dl_start, &t->dl_due,
                    &t->dl_every, &t->updated_at};
    static const int col[] = {3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 20};
    enum { N = sizeof col / sizeof col[0], FIRST_NULLABLE = 10, LAST_NULLABLE = 12 };
    const char *src[N];
    size_t len[N], total = 0;
    for (int i = 0; i < N; i++) {
        src[i] = db_col_text_or_null(s, col[i]);
        len[i] = src[i] ? strlen(src[i]) + 1 : 0;
        total += len[i];
    }
    if (!(t->arena = malloc(total ? total : 1))) return false;
    char *p = t->arena;
    static char empty[] = "";
    for (int i = 0; i < N; i++) {
        if (!src[i]) { *dst[i] = (i >= FIRST_NULLABLE && i <= LAST_NULLABLE) ? NULL : empty; continue; }
        memcpy(p, src[i], len[i]);
        *dst[i] = p;
        p += len[i];
    }
    t->id = db_col_int(s, 0);
    t->plan_id = db_col_int(s, 1);
    t->area_id = db_col_int(s, 2);
    t->lead.id = db_col_int(s, 10);
    t->needs_date = db_col_int(s, 17) != 0;
    int st = status_parse(db_col_text(s, 18));
    t->status = st < 0 ? ST_NOT_STARTED : (task_status)st;
    t->percent = (int)db_col_int(s, 19);
    t->plan_public = db_col_int(s, 21) != 0;
    return true;
}

/* False when a string of t could not be copied (out of memory); the optional
 * dates are NULL by design and not checked. */

/* Adds coordinating unit (id, name) to t. */
static int add_coord(task_row *t, int64_t id, const char *name)
{
    if ((t->ncoord & (t->ncoord - 1)) == 0) {          /* grow at 0, 1, 2, 4, 8 ... */
        unit_ref *c = realloc(t->coord, sizeof *c * (size_t)(t->ncoord ? t->ncoord * 2 : 1));
        if (!c) return DB_ERR;
        t->coord = c;
    }
    char *copy = strdup(name);
    if (!copy) return DB_ERR;
    t->coord[t->ncoord++] = (unit_ref){id, copy};
    return DB_OK;
}

/* Loads the coordinating units of every row of l with one query per 64 rows. */
static int load_coords(db *d, task_list *l)
{
    for (int start = 0; start < l->n; start += 64) {
        int n = l->n - start < 64 ? l->n - start : 64;
        /* The IN list has one of a few fixed sizes (unused slots bind 0, no task
         * id), so at most four statement texts reach the statement cache. */
        int slots = n <= 1 ? 1 : n <= 8 ? 8 : n <= 16 ? 16 : 64;
        buf sql = {0};
        buf_puts(&sql, "SELECT tu.task_id, u.id, u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id "
                       "WHERE tu.task_id IN (?");
        for (int i = 1; i < slots; i++) buf_puts(&sql, ",?");
        buf_puts(&sql, ") ORDER BY tu.task_id, u.kind, u.name");
        db_stmt *s = db_prepare(d, buf_str(&sql));
        buf_free(&sql);
        if (!s) return DB_ERR;
        for (int i = 0; i < slots; i++) db_bind_int(s, i + 1, i < n ? l->rows[start + i].id : 0);
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            int64_t task = db_col_int(s, 0);
            for (int i = start; i < start + n; i++)
                if (l->rows[i].id == task && add_coord(&l->rows[i], db_col_int(s, 1), db_col_text(s, 2)) != DB_OK)
                    return DB_ERR;
        }
        if (rc != DB_DONE) return rc;
    }
    return DB_OK;
}

void task_row_free(task_row *t)
{
    if (!t) return;
    free(t->arena);
    for (int i = 0; i < t->ncoord; i++) free(t->coord[i].name);
    free(t->coord);
    memset(t, 0, sizeof *t);
}

void task_list_free(task_list *l)
{
    for (int i = 0; i < l->n; i++) task_row_free(&l->rows[i]);
    free(l->rows);
    memset(l, 0, sizeof *l);
}

bool store_task_get(db *d, int64_t id, task_row *out)
{
    db_stmt *s = db_prepare(d, "SELECT " TASK_COLS TASK_FROM "WHERE t.id = ?");
    if (!s) return false;
    db_bind_int(s, 1, id);
    if (db_step(s) != DB_ROW) return false;
    if (!read_task(s, out)) { task_row_free(out); return false; }
    task_list one = {out, 1, 1};
    if (load_coords(d, &one) != DB_OK) { task_row_free(out); return false; }
    return true;
}

/* A WHERE clause under construction: literal SQL fragments plus bound values. */
typedef struct {
    buf sql;
    struct { bool is_text; int64_t i; const char *s; } binds[24];
    int n;
} where_builder;

static void wb_int(where_builder *w, const char *frag, int64_t v)
{
    buf_puts(&w->sql, frag);
    w->binds[w->n].is_text = false;
    w->binds[w->n++].i = v;
}

static void wb_text(where_builder *w, const char *frag, const char *v)
{
    buf_puts(&w->sql, frag);
    w->binds[w->n].is_text = true;
    w->binds[w->n++].s = v;
}

static void wb_bind(const where_builder *w, db_stmt *s)
{
    for (int i = 0; i < w->n; i++) {
        if (w->binds[i].is_text) db_bind_text(s, i + 1, w->binds[i].s);
        else db_bind_int(s, i + 1, w->binds[i].i);
    }
}

static const char *unit_kind(db *d, int64_t unit_id, char out[32])
{
    out[0] = '\0';
    db_stmt *s = db_prepare(d, "SELECT kind FROM units WHERE id = ?");
    if (s) {
        db_bind_int(s, 1, unit_id);
        if (db_step(s) == DB_ROW) {
            strncpy(out, db_col_text(s, 0), 31);
            out[31] = '\0';
        }
    }
    return out;
}

/* Builds the WHERE clause for f. q is the parsed search (NULL: none; owned by the caller). */
static void build_where(db *d, const task_filter *f, where_builder *w, const search_query *q, char kind[32])
{
    buf_puts(&w->sql, " WHERE 1 = 1");
    if (f->plan_id) wb_int(w, " AND t.plan_id = ?", f->plan_id);
    if (f->area_id) wb_int(w, " AND t.area_id = ?", f->area_id);
    if (f->lead_unit_id) wb_int(w, " AND t.lead_unit_id = ?", f->lead_unit_id);
    if (f->coord_unit_id)
        wb_int(w, " AND EXISTS (SELECT 1 FROM task_units tu WHERE tu.task_id = t.id AND tu.unit_id = ?)", f->coord_unit_id);
    if (f->involved_unit_id) {
        /* Lead or coordinator, directly or through a group standing for the unit's
         * kind: a union of index look-ups rather than a scan with OR. */
        unit_kind(d, f->involved_unit_id, kind);
        wb_int(w, " AND t.id IN (SELECT id FROM tasks WHERE lead_unit_id = ?", f->involved_unit_id);
        wb_int(w, " UNION SELECT task_id FROM task_units WHERE unit_id = ?", f->involved_unit_id);
        if (kind[0]) {                  /* an unknown unit has no kind: no group stands for it */
            wb_text(w, " UNION SELECT x.id FROM units g JOIN tasks x ON x.lead_unit_id = g.id WHERE g.kind = 'group' "
                       "AND g.member_kinds <> '' AND (',' || g.member_kinds || ',') LIKE ('%,' || ? || ',%')", kind);
            wb_text(w, " UNION SELECT tu.task_id FROM units g JOIN task_units tu ON tu.unit_id = g.id WHERE g.kind = 'group' "
                       "AND g.member_kinds <> '' AND (',' || g.member_kinds || ',') LIKE ('%,' || ? || ',%')", kind);
        }
        buf_puts(&w->sql, ")");
    }
    if (f->status >= 0) wb_text(w, " AND t.status = ?", status_id((task_status)f->status));
    if (f->open_only) buf_puts(&w->sql, " AND t.status NOT IN ('done', 'cancelled')");
    if (f->due_before) wb_text(w, " AND t.dl_due IS NOT NULL AND t.dl_due < ?", f->due_before);
    if (f->due_from) wb_text(w, " AND t.dl_due IS NOT NULL AND t.dl_due >= ?", f->due_from);
    if (f->due_to) wb_text(w, " AND t.dl_due IS NOT NULL AND t.dl_due <= ?", f->due_to);
    if (f->dl_kind) {
        if (strcmp(f->dl_kind, "unparsed") == 0) buf_puts(&w->sql, " AND t.dl_needs_date = 1");
        else wb_text(w, " AND t.dl_kind = ?", f->dl_kind);
    }
    if (f->public_only) buf_puts(&w->sql, " AND p.public = 1");
    for (int i = 0; q && i < q->nwords; i++) {       /* every word, as a word prefix */
        buf_puts(&w->sql, " AND t.id IN (");
        wb_text(w, search_word_sql(d), q->match[i]);
        buf_puts(&w->sql, ")");
    }
}

/* Counts every task matching the built WHERE clause. */
static int count_tasks(db *d, const task_filter *f, const where_builder *w, int *total)
{
    buf sql = {0};
    buf_puts(&sql, "SELECT COUNT(*) FROM tasks t");
    if (f->public_only) buf_puts(&sql, " JOIN plans p ON p.id = t.plan_id");
    buf_puts(&sql, buf_str(&w->sql));
    db_stmt *s = db_prepare(d, buf_str(&sql));
    buf_free(&sql);
    if (!s) return DB_ERR;
    wb_bind(w, s);
    if (db_step(s) != DB_ROW) return DB_ERR;
    *total = (int)db_col_int(s, 0);
    return DB_OK;
}

int store_task_find(db *d, const task_filter *f, task_list *out)
{
    memset(out, 0, sizeof *out);
    char kind[32];
    search_query q;
    bool searching = f->q && *f->q;
    if (searching && !search_parse(d, f->q, &q)) return DB_OK;      /* no searchable word: nothing matches */
    where_builder w = {0};
    build_where(d, f, &w, searching ? &q : NULL, kind);

    /* The total first (cheap: it joins only what the filter needs), then the page,
     * which an index on (plan_id, position) can serve without reading every row. */
    buf sql = {0};
    int rc = count_tasks(d, f, &w, &out->total);
    if (rc != DB_OK) goto done;
    rc = DB_ERR;
    buf_puts(&sql, "SELECT " TASK_COLS TASK_FROM);
    if (searching) buf_puts(&sql, " LEFT JOIN task_search s ON s.task_id = t.id");
    buf_puts(&sql, buf_str(&w.sql));
    /* Search results best first (store_search.h); then, within a plan, tasks keep
     * the plan's own order (position = row order of the plan file, areas
     * included); the index on (plan_id, position) serves it. */
    buf_puts(&sql, " ORDER BY ");
    if (searching) { buf_puts(&sql, SEARCH_RANK_SQL); buf_puts(&sql, " DESC, "); }
    buf_puts(&sql, f->plan_id ? "t.position" : "p.year_from DESC, t.plan_id, t.position");
    /* Bound, not pasted: one cached statement serves every page. */
    if (f->per_page > 0) buf_puts(&sql, " LIMIT ? OFFSET ?");
    db_stmt *s = db_prepare(d, buf_str(&sql));
    if (!s) goto done;
    wb_bind(&w, s);
    int next = w.n + 1;
    if (searching) next += search_rank_bind(&q, s, next);
    if (f->per_page > 0) {
        db_bind_int(s, next, f->per_page);
        db_bind_int(s, next + 1, (int64_t)(f->page > 1 ? f->page - 1 : 0) * f->per_page);
    }
    int cap = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            task_row *r = realloc(out->rows, sizeof *r * (size_t)cap);
            if (!r) { rc = DB_ERR; goto done; }
            out->rows = r;
        }
        if (!read_task(s, &out->rows[out->n++])) { rc = DB_ERR; goto done; }
    }
    if (rc != DB_DONE) goto done;
    rc = load_coords(d, out);
done:
    buf_free(&sql);
    buf_free(&w.sql);
    if (rc != DB_OK) task_list_free(out);
    return rc;
}

/* ---------- dashboard ---------- */

static int grow_progress(progress_row **rows, int *n, int *cap)
{
    if (*n < *cap) return 0;
    *cap = *cap ? *cap * 2 : 16;
    progress_row *r = realloc(*rows, sizeof *r * (size_t)*cap);
    if (!r) return -1;
    *rows = r;
    return 0;
}

static int progress_query(db *d, const char *sql, int64_t plan_id, const char *today, progress_row **rows, int *n)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, today);
    db_bind_int(s, 2, plan_id);
    int cap = 0, rc;
    *rows = NULL;
    *n = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (grow_progress(rows, n, &cap) != 0) { rc = DB_ERR; break; }
        progress_row *p = &(*rows)[(*n)++];
        p->key = db_col_int(s, 0);
        p->label = db_col_dup(s, 1);
        if (!p->label) { rc = DB_ERR; break; }
        p->total = (int)db_col_int(s, 2);
        p->done = (int)db_col_int(s, 3);
        p->in_progress = (int)db_col_int(s, 4);
        p->not_started = (int)db_col_int(s, 5);
        p->cancelled = (int)db_col_int(s, 6);
        p->overdue = (int)db_col_int(s, 7);
        p->percent_avg = (int)db_col_int(s, 8);
    }
    if (rc == DB_DONE) return DB_OK;
    for (int i = 0; i < *n; i++) free((*rows)[i].label);
    free(*rows);
    *rows = NULL;
    *n = 0;
    return rc == DB_ROW ? DB_ERR : rc;
}

#define PROGRESS_AGG "COUNT(*), SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), " \
    "SUM(CASE WHEN t.status = 'in_progress' THEN 1 ELSE 0 END), SUM(CASE WHEN t.status = 'not_started' THEN 1 ELSE 0 END), " \
    "SUM(CASE WHEN t.status = 'cancelled' THEN 1 ELSE 0 END), " \
    "SUM(CASE WHEN t.status NOT IN ('done','cancelled') AND t.dl_due IS NOT NULL AND t.dl_due < ? THEN 1 ELSE 0 END), " \
    "CAST(ROUND(AVG(CASE WHEN t.status = 'done' THEN 100 ELSE t.percent END)) AS INTEGER) "

int store_plan_stats(db *d, int64_t plan_id, const char *today, const char *soon_until, plan_stats *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(d,
        "SELECT t.status, COUNT(*), "
        "SUM(CASE WHEN t.status NOT IN ('done','cancelled') AND t.dl_due IS NOT NULL AND t.dl_due < ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.status NOT IN ('done','cancelled') AND t.dl_due IS NOT NULL AND t.dl_due >= ? AND t.dl_due <= ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.status NOT IN ('done','cancelled') AND t.dl_kind = 'event' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.status NOT IN ('done','cancelled') AND t.dl_needs_date = 1 THEN 1 ELSE 0 END) "
        "FROM tasks t WHERE t.plan_id = ? GROUP BY t.status");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, today);
    db_bind_text(s, 2, today);
    db_bind_text(s, 3, soon_until);
    db_bind_int(s, 4, plan_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int st = status_parse(db_col_text(s, 0));
        int count = (int)db_col_int(s, 1);
        if (st >= 0) out->by_status[st] = count;
        out->total += count;
        out->overdue += (int)db_col_int(s, 2);
        out->due_soon += (int)db_col_int(s, 3);
        out->awaiting_event += (int)db_col_int(s, 4);
        out->needs_date += (int)db_col_int(s, 5);
    }
    if (rc != DB_DONE) { memset(out, 0, sizeof *out); return rc; }
    rc = progress_query(d, "SELECT a.id, a.no || '. ' || a.title, " PROGRESS_AGG
                           "FROM tasks t JOIN areas a ON a.id = t.area_id WHERE t.plan_id = ? "
                           "GROUP BY a.id, a.no, a.title, a.position ORDER BY a.position",
                        plan_id, today, &out->areas, &out->nareas);
    if (rc == DB_OK)
        rc = progress_query(d, "SELECT u.id, u.name, " PROGRESS_AGG
                               "FROM tasks t JOIN units u ON u.id = t.lead_unit_id WHERE t.plan_id = ? "
                               "GROUP BY u.id, u.name ORDER BY COUNT(*) DESC, u.name",
                            plan_id, today, &out->units, &out->nunits);
    if (rc != DB_OK) plan_stats_free(out);      /* leaves *out zeroed */
    return rc;
}

void plan_stats_free(plan_stats *s)
{
    for (int i = 0; i < s->nareas; i++) free(s->areas[i].label);
    for (int i = 0; i < s->nunits; i++) free(s->units[i].label);
    free(s->areas);
    free(s->units);
    memset(s, 0, sizeof *s);
}

/* ---------- updates and timeline ---------- */

static void task_state_json(db *d, int64_t task_id, buf *b)
{
    db_stmt *s = db_prepare(d, "SELECT status, percent FROM tasks WHERE id = ?");
    if (!s) return;
    db_bind_int(s, 1, task_id);
    if (db_step(s) != DB_ROW) return;
    buf_puts(b, "{\"status\":");
    esc_json(b, db_col_text(s, 0));
    buf_printf(b, ",\"percent\":%d}", (int)db_col_int(s, 1));
}

static int insert_update_files(db *d, int64_t update_id, const update_input *in)
{
    for (int i = 0; i < in->nfiles; i++) {
        db_stmt *s = db_prepare(d, "INSERT INTO update_files(update_id, sha256, filename, public) VALUES (?,?,?,?)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, update_id);
        db_bind_text(s, 2, in->files[i].sha256);
        db_bind_text(s, 3, in->files[i].filename);
        db_bind_int(s, 4, in->files[i].public);
        if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    }
    return DB_OK;
}

int64_t store_task_add_update(db *d, const update_input *in)
{
    char now[32];
    db_now_iso(now);
    buf before = {0}, after = {0};
    task_state_json(d, in->task_id, &before);
    db_stmt *s = db_prepare(d, "INSERT INTO task_updates(task_id, user_id, unit_id, is_lead, status, percent, note, created_at) "
                               "VALUES (?,?,?,?,?,?,?,?)");
    int64_t id = -1;
    if (!s) goto done;
    db_bind_int(s, 1, in->task_id);
    db_bind_int(s, 2, in->user_id);
    if (in->unit_id > 0) db_bind_int(s, 3, in->unit_id); else db_bind_null(s, 3);
    db_bind_int(s, 4, in->is_lead);
    db_bind_text(s, 5, status_id(in->status));
    db_bind_int(s, 6, in->percent);
    db_bind_text(s, 7, in->note ? in->note : "");
    db_bind_text(s, 8, now);
    if (db_exec_stmt(s) != DB_DONE) goto done;
    int64_t uid = db_last_id(d);
    if (insert_update_files(d, uid, in) != DB_OK) goto done;
    if (in->is_lead) {
        s = db_prepare(d, "UPDATE tasks SET status = ?, percent = ?, updated_at = ?, "
                          "done_on = CASE WHEN ? = 'done' THEN COALESCE(done_on, ?) ELSE NULL END WHERE id = ?");
        if (!s) goto done;
        db_bind_text(s, 1, status_id(in->status));
        db_bind_int(s, 2, in->status == ST_DONE ? 100 : in->percent);
        db_bind_text(s, 3, now);
        db_bind_text(s, 4, status_id(in->status));
        db_bind_text(s, 5, now);
        db_bind_int(s, 6, in->task_id);
        if (db_exec_stmt(s) != DB_DONE) goto done;
    }
    task_state_json(d, in->task_id, &after);
    if (store_audit(d, in->user_id, in->username, in->is_lead ? "task_update" : "task_contribution", "task",
                    in->task_id, buf_str(&before), buf_str(&after)) != DB_OK)
        goto done;
    id = uid;
done:
    buf_free(&before);
    buf_free(&after);
    return id;
}

static int load_update_files(db *d, timeline_entry *e)
{
    db_stmt *s = db_prepare(d, "SELECT sha256, filename, public FROM update_files WHERE update_id = ? ORDER BY id LIMIT 8");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, e->update_id);
    /* Strings must outlive the step loop: copy into the entry's owned slots. */
    e->nfiles = 0;
    while (db_step(s) == DB_ROW && e->nfiles < 8) {
        e->file_sha[e->nfiles] = strdup(db_col_text(s, 0));
        e->file_name[e->nfiles] = strdup(db_col_text(s, 1));
        e->file_public[e->nfiles] = db_col_int(s, 2) != 0;
        e->nfiles++;
    }
    return DB_OK;
}

static void free_entry_files(timeline_entry *e)
{
    for (int i = 0; i < e->nfiles; i++) { free((char *)e->file_sha[i]); free((char *)e->file_name[i]); }
    e->nfiles = 0;
}

typedef struct { int64_t id; char *at, *username, *unit_name, *status, *note, *action; int percent; bool is_lead; } entry_copy;

int store_task_timeline(db *d, int64_t task_id, bool include_audit, timeline_fn fn, void *ctx)
{
    /* Copy rows first: the file look-ups reuse statements. */
    db_stmt *s = db_prepare(d,
        "SELECT u.id, u.created_at, us.username, COALESCE(un.name, ''), u.status, u.note, '', u.percent, u.is_lead "
        "FROM task_updates u JOIN users us ON us.id = u.user_id LEFT JOIN units un ON un.id = u.unit_id WHERE u.task_id = ? "
        "UNION ALL "
        "SELECT 0, a.at, a.username, '', '', COALESCE(a.after, ''), a.action, 0, 0 FROM audit a "
        "WHERE a.entity = 'task' AND a.entity_id = ? AND ? = 1 AND a.action NOT IN ('task_update', 'task_contribution') "
        "ORDER BY 2 DESC, 1 DESC");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, task_id);
    db_bind_int(s, 2, task_id);
    db_bind_int(s, 3, include_audit);
    entry_copy *rows = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            entry_copy *r = realloc(rows, sizeof *r * (size_t)cap);
            if (!r) { rc = DB_ERR; break; }
            rows = r;
        }
        rows[n++] = (entry_copy){db_col_int(s, 0), db_col_dup(s, 1), db_col_dup(s, 2), db_col_dup(s, 3),
                                 db_col_dup(s, 4), db_col_dup(s, 5), db_col_dup(s, 6), (int)db_col_int(s, 7),
                                 db_col_int(s, 8) != 0};
    }
    for (int i = 0; i < n; i++) {
        timeline_entry e = {.update_id = rows[i].id, .at = rows[i].at, .username = rows[i].username,
                            .unit_name = rows[i].unit_name, .status = rows[i].status, .note = rows[i].note,
                            .action = rows[i].action, .percent = rows[i].percent, .is_lead = rows[i].is_lead};
        if (e.update_id) load_update_files(d, &e);
        if (rc == DB_DONE) fn(&e, ctx);
        free_entry_files(&e);
        free(rows[i].at); free(rows[i].username); free(rows[i].unit_name); free(rows[i].status);
        free(rows[i].note); free(rows[i].action);
    }
    free(rows);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_task_public_files(db *d, int64_t task_id, product_fn fn, void *ctx)
{
    db_stmt *s = db_prepare(d, "SELECT f.sha256, f.filename FROM update_files f JOIN task_updates u ON u.id = f.update_id "
                               "WHERE u.task_id = ? AND f.public = 1 AND u.is_lead = 1 ORDER BY f.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, task_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) fn(db_col_text(s, 0), db_col_text(s, 1), ctx);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_task_latest_notes(db *d, int64_t task_id, note_fn fn, void *ctx)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(un.name, us.username), u.note, u.created_at FROM task_updates u "
                               "JOIN users us ON us.id = u.user_id LEFT JOIN units un ON un.id = u.unit_id "
                               "WHERE u.id IN (SELECT MAX(id) FROM task_updates WHERE task_id = ? AND note <> '' "
                               "GROUP BY COALESCE(unit_id, -user_id)) ORDER BY u.is_lead DESC, u.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, task_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) fn(db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2), ctx);
    return rc == DB_DONE ? DB_OK : rc;
}
