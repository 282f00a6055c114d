/* Units with effective dates, name history and groups (see store_unit.h and
 * store_unit_admin.h). Renames and ends return DB_OK, DB_CONSTRAINT when the
 * request contradicts the unit's dates, or DB_ERR. */
#include "store/store_unit.h"
#include "store/store_unit_admin.h"
#include "store/store_util.h"
#include "core/plan_import.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>

/* Bumped by every unit write in this process; with db_data_version (writes
 * by other connections) it tells caches of the unit list when to refresh. */
static atomic_uint_fast64_t unit_writes;

uint64_t store_unit_generation(db *d)
{
    return (atomic_load(&unit_writes) << 32) ^ (uint64_t)db_data_version(d);
}

const char *const UNIT_KINDS[] = {"department", "division", "district_office", "school", "centre", "external", "group", NULL};

bool store_unit_kind_valid(const char *kind)
{
    for (int i = 0; kind && UNIT_KINDS[i]; i++)
        if (strcmp(kind, UNIT_KINDS[i]) == 0) return true;
    return false;
}

/* Writes the ISO date one day before iso into out; false if iso is not a date. */
static bool day_before(const char *iso, char out[11]) { return pi_date_add_days(iso, -1, out); }

/* ---- reading ---- */

#define UNIT_COLS "id, code, name, short_name, kind, valid_from, valid_to, COALESCE(parent_id, 0), " \
                  "COALESCE(successor_id, 0), member_kinds FROM units "

static void read_info(db_stmt *s, unit_info *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_col_int(s, 0);
    store_copy_text(u->code, sizeof u->code, db_col_text(s, 1));
    store_copy_text(u->name, sizeof u->name, db_col_text(s, 2));
    store_copy_text(u->short_name, sizeof u->short_name, db_col_text(s, 3));
    store_copy_text(u->kind, sizeof u->kind, db_col_text(s, 4));
    store_copy_text(u->valid_from, sizeof u->valid_from, db_col_text(s, 5));
    store_copy_text(u->valid_to, sizeof u->valid_to, db_col_text(s, 6));
    u->parent_id = db_col_int(s, 7);
    u->successor_id = db_col_int(s, 8);
    store_copy_text(u->member_kinds, sizeof u->member_kinds, db_col_text(s, 9));
}

bool store_unit_get(db *d, int64_t id, unit_info *out)
{
    db_stmt *s = db_prepare(d, "SELECT " UNIT_COLS "WHERE id = ?");
    if (!s) return false;
    db_bind_int(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    if (found) read_info(s, out);
    return found;
}

static const char *or_null(const char *s) { return s && s[0] ? s : NULL; }

int store_unit_list(db *d, const char *active_on, unit_fn fn, void *ctx)
{
    db_stmt *s = db_prepare(d, "SELECT " UNIT_COLS
                               "WHERE (? IS NULL OR ((valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?))) "
                               "ORDER BY CASE kind WHEN 'department' THEN 1 WHEN 'division' THEN 2 WHEN 'district_office' THEN 3 "
                               "WHEN 'school' THEN 4 WHEN 'centre' THEN 5 WHEN 'external' THEN 6 ELSE 7 END, name, id");
    if (!s) return DB_ERR;
    for (int i = 1; i <= 3; i++) db_bind_text(s, i, or_null(active_on));
    /* Copy first: fn may run queries of its own. */
    unit_info *rows = NULL;
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        unit_info *grown = realloc(rows, sizeof *rows * ((size_t)n + 1));
        if (!grown) { free(rows); return DB_ERR; }
        rows = grown;
        read_info(s, &rows[n++]);
    }
    if (rc == DB_DONE) {
        for (int i = 0; i < n; i++) {
            const unit_info *u = &rows[i];
            unit_row r = {u->id, u->code, u->name, u->short_name, u->kind, or_null(u->valid_from), or_null(u->valid_to),
                          u->parent_id, u->successor_id};
            fn(&r, ctx);
        }
    }
    free(rows);
    return rc == DB_DONE ? DB_OK : rc;
}

int64_t store_unit_id_by_code(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM units WHERE code = ?");
    if (!s) return 0;
    db_bind_text(s, 1, code);
    return db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
}

bool store_unit_name(db *d, int64_t id, char *out, size_t n)
{
    db_stmt *s = db_prepare(d, "SELECT name FROM units WHERE id = ?");
    if (!s) return false;
    db_bind_int(s, 1, id);
    if (db_step(s) != DB_ROW) return false;
    if (n) store_copy_text(out, n, db_col_text(s, 0));
    return true;
}

int store_unit_count(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM units");
    return s && db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : -1;
}

int store_unit_names(db *d, int64_t unit_id, unit_name_fn fn, void *ctx)
{
    db_stmt *s = db_prepare(d, "SELECT name, COALESCE(valid_from, ''), COALESCE(valid_to, '') FROM unit_names "
                               "WHERE unit_id = ? ORDER BY COALESCE(valid_from, ''), id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) fn(db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2), ctx);
    return rc == DB_DONE ? DB_OK : rc;
}

/* ---- writing ---- */

static int add_name_row(db *d, int64_t unit_id, const char *name, const char *from, const char *to)
{
    db_stmt *s = db_prepare(d, "INSERT INTO unit_names(unit_id, name, valid_from, valid_to) VALUES (?,?,?,?)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, or_null(from));
    db_bind_text(s, 4, or_null(to));
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

int64_t store_unit_add(db *d, const char *code, const char *name, const char *short_name, const char *kind,
                       int64_t parent_id, const char *valid_from, const char *valid_to)
{
    atomic_fetch_add(&unit_writes, 1);
    if (!store_unit_kind_valid(kind) || !code || !code[0] || !name || !name[0]) return -1;
    if (store_unit_id_by_code(d, code) > 0) return 0;
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO units(code, name, short_name, kind, parent_id, valid_from, valid_to, created_at) "
                               "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (code) DO NOTHING");
    if (!s) return -1;
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, short_name ? short_name : "");
    db_bind_text(s, 4, kind);
    if (parent_id > 0) db_bind_int(s, 5, parent_id); else db_bind_null(s, 5);
    db_bind_text(s, 6, or_null(valid_from));
    db_bind_text(s, 7, or_null(valid_to));
    db_bind_text(s, 8, now);
    /* A code already taken inserts nothing (no error, which on PostgreSQL would
     * abort the caller's transaction). */
    if (db_exec_stmt(s) != DB_DONE) return -1;
    if (db_changes(d) == 0) return 0;
    int64_t id = db_last_id(d);
    return add_name_row(d, id, name, valid_from, valid_to) == DB_OK ? id : -1;
}

/* The latest name row of a unit: id and valid_from ("" when open). 0 if none. */
static int64_t latest_name_row(db *d, int64_t unit_id, char from[11])
{
    db_stmt *s = db_prepare(d, "SELECT id, COALESCE(valid_from, '') FROM unit_names WHERE unit_id = ? "
                               "ORDER BY COALESCE(valid_from, '') DESC, id DESC LIMIT 1");
    if (!s) return 0;
    db_bind_int(s, 1, unit_id);
    if (db_step(s) != DB_ROW) return 0;
    int64_t id = db_col_int(s, 0);
    store_copy_text(from, 11, db_col_text(s, 1));
    return id;
}

static int close_name_row(db *d, int64_t row_id, const char *to)
{
    db_stmt *s = db_prepare(d, "UPDATE unit_names SET valid_to = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, to);
    db_bind_int(s, 2, row_id);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

/* The latest name row, created from units.name when a unit has no history yet. */
static int64_t ensure_name_row(db *d, const unit_info *u, char from[11])
{
    int64_t row = latest_name_row(d, u->id, from);
    if (row > 0) return row;
    if (add_name_row(d, u->id, u->name, u->valid_from, u->valid_to) != DB_OK) return 0;
    return latest_name_row(d, u->id, from);
}

typedef struct { int64_t id; const char *name, *from; } rename_args;

static int rename_txn(db *d, void *ctx)
{
    const rename_args *a = ctx;
    unit_info u;
    char before[11], last_from[11];
    if (!store_unit_get(d, a->id, &u) || !day_before(a->from, before)) return DB_CONSTRAINT;
    if ((u.valid_from[0] && strcmp(a->from, u.valid_from) <= 0) || (u.valid_to[0] && strcmp(a->from, u.valid_to) > 0))
        return DB_CONSTRAINT;                   /* outside the unit's life */
    int64_t row = ensure_name_row(d, &u, last_from);
    if (row == 0) return DB_ERR;
    if (last_from[0] && strcmp(a->from, last_from) <= 0) return DB_CONSTRAINT;   /* not after the current name began */
    if (close_name_row(d, row, before) != DB_OK) return DB_ERR;
    if (add_name_row(d, u.id, a->name, a->from, u.valid_to) != DB_OK) return DB_ERR;
    db_stmt *s = db_prepare(d, "UPDATE units SET name = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, a->name);
    db_bind_int(s, 2, u.id);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

int store_unit_rename(db *d, int64_t id, const char *new_name, const char *from)
{
    atomic_fetch_add(&unit_writes, 1);
    if (!new_name || !new_name[0] || !from) return DB_CONSTRAINT;
    rename_args a = {id, new_name, from};
    return db_txn(d, true, rename_txn, &a);
}

typedef struct { int64_t id, successor; const char *to; } end_args;

static int end_txn(db *d, void *ctx)
{
    const end_args *a = ctx;
    unit_info u, succ;
    char tmp[11], last_from[11];
    if (!store_unit_get(d, a->id, &u) || !day_before(a->to, tmp)) return DB_CONSTRAINT;
    if (u.valid_from[0] && strcmp(a->to, u.valid_from) < 0) return DB_CONSTRAINT;
    if (a->successor > 0) {
        if (a->successor == a->id || !store_unit_get(d, a->successor, &succ)) return DB_CONSTRAINT;
        if (succ.valid_to[0] && strcmp(succ.valid_to, a->to) <= 0) return DB_CONSTRAINT;  /* must outlive the merge */
    }
    int64_t row = ensure_name_row(d, &u, last_from);
    if (row == 0) return DB_ERR;
    if (last_from[0] && strcmp(a->to, last_from) < 0) return DB_CONSTRAINT;
    if (close_name_row(d, row, a->to) != DB_OK) return DB_ERR;
    db_stmt *s = db_prepare(d, "UPDATE units SET valid_to = ?, successor_id = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, a->to);
    if (a->successor > 0) db_bind_int(s, 2, a->successor); else db_bind_null(s, 2);
    db_bind_int(s, 3, a->id);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

int store_unit_end(db *d, int64_t id, const char *to, int64_t successor_id)
{
    atomic_fetch_add(&unit_writes, 1);
    if (!to) return DB_CONSTRAINT;
    end_args a = {id, successor_id, to};
    return db_txn(d, true, end_txn, &a);
}

bool store_unit_member_kinds_valid(const char *kinds)
{
    char list[128];
    if (strlen(kinds) >= sizeof list) return false;
    snprintf(list, sizeof list, "%s", kinds);
    char *save = NULL;
    for (char *k = strtok_r(list, ",", &save); k; k = strtok_r(NULL, ",", &save))
        if (!store_unit_kind_valid(k) || strcmp(k, "group") == 0) return false;
    return true;
}

int store_unit_set_member_kinds(db *d, int64_t id, const char *member_kinds)
{
    atomic_fetch_add(&unit_writes, 1);
    unit_info u;
    if (!member_kinds || !store_unit_member_kinds_valid(member_kinds)) return DB_CONSTRAINT;
    if (!store_unit_get(d, id, &u) || strcmp(u.kind, "group") != 0) return DB_CONSTRAINT;
    db_stmt *s = db_prepare(d, "UPDATE units SET member_kinds = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, member_kinds);
    db_bind_int(s, 2, id);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

int store_unit_set_parent(db *d, int64_t id, int64_t parent_id)
{
    atomic_fetch_add(&unit_writes, 1);
    unit_info p;
    if (parent_id == id || (parent_id > 0 && !store_unit_get(d, parent_id, &p))) return DB_CONSTRAINT;
    /* No cycles: the new parent must not be the unit itself or one of its descendants. */
    int64_t up = parent_id;
    for (int depth = 0; up > 0 && depth < 64; depth++) {
        if (up == id) return DB_CONSTRAINT;
        db_stmt *q = db_prepare(d, "SELECT COALESCE(parent_id, 0) FROM units WHERE id = ?");
        if (!q) return DB_ERR;
        db_bind_int(q, 1, up);
        up = db_step(q) == DB_ROW ? db_col_int(q, 0) : 0;
    }
    db_stmt *s = db_prepare(d, "UPDATE units SET parent_id = ? WHERE id = ?");
    if (!s) return DB_ERR;
    if (parent_id > 0) db_bind_int(s, 1, parent_id); else db_bind_null(s, 1);
    db_bind_int(s, 2, id);
    int rc = db_exec_stmt(s);
    return rc == DB_DONE ? (db_changes(d) == 1 ? DB_OK : DB_CONSTRAINT) : rc;
}

/* ---- involvement ---- */

/* 1 when unit_id is the task's lead or a direct coordinator (is_lead set),
 * 0 when not, -1 on error. */
static int direct_role(db *d, int64_t task_id, int64_t unit_id, bool *is_lead)
{
    db_stmt *s = db_prepare(d, "SELECT CASE WHEN t.lead_unit_id = ? THEN 1 ELSE 0 END FROM tasks t "
                               "WHERE t.id = ? AND (t.lead_unit_id = ? OR EXISTS "
                               "(SELECT 1 FROM task_units tu WHERE tu.task_id = t.id AND tu.unit_id = ?))");
    if (!s) return -1;
    db_bind_int(s, 1, unit_id);
    db_bind_int(s, 2, task_id);
    db_bind_int(s, 3, unit_id);
    db_bind_int(s, 4, unit_id);
    if (db_step(s) != DB_ROW) return 0;
    *is_lead = db_col_int(s, 0) == 1;
    return 1;
}

/* Same through groups: a leading or coordinating group whose member_kinds
 * lists the unit's kind. */
static int group_role(db *d, int64_t task_id, int64_t unit_id, bool *is_lead)
{
    db_stmt *s = db_prepare(d, "SELECT MAX(CASE WHEN g.id = t.lead_unit_id THEN 1 ELSE 0 END) "
                               "FROM tasks t JOIN units u ON u.id = ? "
                               "JOIN units g ON g.kind = 'group' AND g.member_kinds <> '' "
                               " AND (g.valid_to IS NULL OR g.valid_to = '' OR g.valid_to >= ?) "
                               " AND (',' || g.member_kinds || ',') LIKE ('%,' || u.kind || ',%') "
                               " AND (g.id = t.lead_unit_id OR EXISTS "
                               "      (SELECT 1 FROM task_units tu WHERE tu.task_id = t.id AND tu.unit_id = g.id)) "
                               "WHERE t.id = ?");
    if (!s) return -1;
    char today[32];
    db_now_iso(today);
    today[10] = '\0';
    db_bind_int(s, 1, unit_id);
    db_bind_text(s, 2, today);
    db_bind_int(s, 3, task_id);
    if (db_step(s) != DB_ROW || db_col_is_null(s, 0)) return 0;
    *is_lead = db_col_int(s, 0) == 1;
    return 1;
}

bool store_unit_involved(db *d, int64_t task_id, int64_t unit_id, bool *is_lead)
{
    bool lead = false;
    if (unit_id <= 0 || task_id <= 0) return false;
    int direct = direct_role(d, task_id, unit_id, &lead);
    if (direct == 1 && lead) { if (is_lead) *is_lead = true; return true; }
    /* Reached only through a group ("Các phòng Sở"): the unit contributes, but the
     * group's status is set by the Office, never by any one member for all. */
    bool group_lead = false;
    int via_group = group_role(d, task_id, unit_id, &group_lead);
    if (direct != 1 && via_group != 1) return false;
    if (is_lead) *is_lead = false;
    return true;
}
