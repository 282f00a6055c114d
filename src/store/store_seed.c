/* Loaders for the bundled reference CSVs (see store_seed.h). */
#include "core/escape.h"
#include "store/store_seed.h"
#include "core/csv.h"
#include "core/plan_import.h"
#include "store/store_unit.h"
#include "store/store_unit_admin.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a CSV file with named columns ---- */

typedef struct {
    const char *file;             /* for messages */
    csv_reader r;
    const char *const *names;     /* the columns, all required */
    int ncols;
    int col[16];
    char *err;
    size_t errlen;
} seed_file;

static int file_error(seed_file *f, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int file_error(seed_file *f, int line, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(f->err, f->errlen, "%s line %d: %s", f->file, line, msg);
    return DB_CONSTRAINT;
}

/* Opens the file and maps its header; DB_OK or DB_CONSTRAINT. */
static int file_open(seed_file *f, const char *text, size_t len)
{
    csv_open(&f->r, text, len);
    csv_status st = csv_next(&f->r);
    if (st != CSV_RECORD)
        return file_error(f, st == CSV_ERROR ? f->r.error_line : 1, "%s",
                          st == CSV_ERROR ? csv_error_text(f->r.error) : "empty file");
    for (int c = 0; c < f->ncols; c++) {
        f->col[c] = -1;
        for (int i = 0; i < f->r.nfields; i++)
            if (strcmp(f->r.fields[i], f->names[c]) == 0) f->col[c] = i;
        if (f->col[c] < 0) return file_error(f, 1, "missing column %s", f->names[c]);
    }
    return DB_OK;
}

/* Reads the next record: 1 row, 0 end, DB_CONSTRAINT on a malformed one. */
static int file_next(seed_file *f)
{
    csv_status st = csv_next(&f->r);
    if (st == CSV_END) return 0;
    if (st == CSV_ERROR) return file_error(f, f->r.error_line, "%s", csv_error_text(f->r.error));
    for (int c = 0; c < f->ncols; c++)
        if (f->col[c] >= f->r.nfields) return file_error(f, f->r.record_line, "expected %d fields", f->ncols);
    for (int i = 0; i < f->r.nfields; i++)
        if (!pi_valid_utf8_text(f->r.fields[i], strlen(f->r.fields[i])))
            return file_error(f, f->r.record_line, "field %d is not UTF-8 text", i + 1);
    return 1;
}

static const char *fld(const seed_file *f, int c) { return f->r.fields[f->col[c]]; }

static bool code_ok(const char *s)
{
    if (!*s || strlen(s) > 63) return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

/* An optional ISO date: "" is fine, otherwise it must be a real YYYY-MM-DD. */
static bool opt_date_ok(const char *s)
{
    char iso[11];
    return !*s || (strlen(s) == 10 && pi_parse_date(s, iso) && strcmp(iso, s) == 0);
}

/* ---- units ---- */

enum { U_CODE, U_NAME, U_SHORT, U_KIND, U_PARENT, U_FROM, U_TO };
static const char *const UNIT_COLUMNS[] = {"code", "name", "short_name", "kind", "parent_code", "valid_from", "valid_to"};

static int check_unit_row(seed_file *f)
{
    int line = f->r.record_line;
    if (!code_ok(fld(f, U_CODE))) return file_error(f, line, "invalid unit code '%s'", fld(f, U_CODE));
    if (!fld(f, U_NAME)[0]) return file_error(f, line, "empty name");
    if (!store_unit_kind_valid(fld(f, U_KIND))) return file_error(f, line, "unknown kind '%s'", fld(f, U_KIND));
    if (!opt_date_ok(fld(f, U_FROM)) || !opt_date_ok(fld(f, U_TO)))
        return file_error(f, line, "invalid date (expected YYYY-MM-DD)");
    if (fld(f, U_FROM)[0] && fld(f, U_TO)[0] && strcmp(fld(f, U_FROM), fld(f, U_TO)) > 0)
        return file_error(f, line, "valid_from is after valid_to");
    return DB_OK;
}

/* Second pass: the parents of the units added by the first. */
static int link_parents(db *d, seed_file *f, const char *text, size_t len, const bool *added)
{
    csv_close(&f->r);
    int rc = file_open(f, text, len);
    for (int i = 0; rc == DB_OK && (rc = file_next(f)) == 1; i++) {
        rc = DB_OK;
        if (!added[i] || !fld(f, U_PARENT)[0]) continue;
        int64_t parent = store_unit_id_by_code(d, fld(f, U_PARENT));
        if (parent <= 0) { rc = file_error(f, f->r.record_line, "unknown parent_code '%s'", fld(f, U_PARENT)); break; }
        rc = store_unit_set_parent(d, store_unit_id_by_code(d, fld(f, U_CODE)), parent);
    }
    return rc < 0 ? rc : DB_OK;
}

int store_seed_units(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen)
{
    seed_file f = {.file = "units.csv", .names = UNIT_COLUMNS, .ncols = 7, .err = err, .errlen = errlen};
    memset(c, 0, sizeof *c);
    bool *added = NULL;
    int n = 0, rc = file_open(&f, csv, len);
    while (rc == DB_OK && (rc = file_next(&f)) == 1) {
        rc = check_unit_row(&f);
        if (rc != DB_OK) break;
        bool *grown = realloc(added, sizeof *added * ((size_t)n + 1));
        if (!grown) { rc = DB_ERR; break; }
        added = grown;
        int64_t id = store_unit_add(d, fld(&f, U_CODE), fld(&f, U_NAME), fld(&f, U_SHORT), fld(&f, U_KIND), 0,
                                    fld(&f, U_FROM), fld(&f, U_TO));
        if (id < 0) { rc = file_error(&f, f.r.record_line, "cannot add unit %s", fld(&f, U_CODE)); break; }
        added[n++] = id > 0;
        if (id > 0) c->added++; else c->kept++;
    }
    if (rc == 0) rc = link_parents(d, &f, csv, len, added);
    csv_close(&f.r);
    free(added);
    return rc;
}

/* ---- unit groups ---- */

static const char *const GROUP_COLUMNS[] = {"code", "member_kinds"};

int store_seed_unit_groups(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen)
{
    seed_file f = {.file = "unit_groups.csv", .names = GROUP_COLUMNS, .ncols = 2, .err = err, .errlen = errlen};
    memset(c, 0, sizeof *c);
    int rc = file_open(&f, csv, len);
    while (rc == DB_OK && (rc = file_next(&f)) == 1) {
        rc = DB_OK;
        unit_info u;
        int64_t id = store_unit_id_by_code(d, fld(&f, 0));
        if (id <= 0 || !store_unit_get(d, id, &u) || strcmp(u.kind, "group") != 0) {
            rc = file_error(&f, f.r.record_line, "'%s' is not a group unit of units.csv", fld(&f, 0));
            break;
        }
        if (strcmp(u.member_kinds, fld(&f, 1)) == 0) { c->kept++; continue; }
        rc = store_unit_set_member_kinds(d, id, fld(&f, 1));
        if (rc == DB_CONSTRAINT) rc = file_error(&f, f.r.record_line, "invalid member_kinds '%s'", fld(&f, 1));
        if (rc == DB_OK) c->updated++;
    }
    csv_close(&f.r);
    return rc < 0 ? rc : DB_OK;
}

/* ---- plans ---- */

enum { P_CODE, P_TITLE, P_DOC, P_ISSUED, P_FROM, P_TO, P_NOTE };
static const char *const PLAN_COLUMNS[] = {"code", "title", "doc_number", "issued_on", "year_from", "year_to", "note"};

int64_t store_seed_plan_id(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM plans WHERE code = ?");
    if (!s) return 0;
    db_bind_text(s, 1, code);
    return db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
}


static int add_plan(db *d, seed_file *f, int from, int to)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO plans(code, title, doc_number, issued_on, year_from, year_to, note, created_at) "
                               "VALUES (?,?,?,?,?,?,?,?)");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, fld(f, P_CODE));
    db_bind_text(s, 2, fld(f, P_TITLE));
    db_bind_text(s, 3, fld(f, P_DOC));
    db_bind_text(s, 4, fld(f, P_ISSUED)[0] ? fld(f, P_ISSUED) : NULL);
    db_bind_int(s, 5, from);
    db_bind_int(s, 6, to);
    db_bind_text(s, 7, fld(f, P_NOTE));
    db_bind_text(s, 8, now);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

int store_seed_plans(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen)
{
    seed_file f = {.file = "plans.csv", .names = PLAN_COLUMNS, .ncols = 7, .err = err, .errlen = errlen};
    memset(c, 0, sizeof *c);
    int rc = file_open(&f, csv, len);
    while (rc == DB_OK && (rc = file_next(&f)) == 1) {
        int line = f.r.record_line, from, to;
        rc = DB_OK;
        if (!code_ok(fld(&f, P_CODE))) { rc = file_error(&f, line, "invalid plan code '%s'", fld(&f, P_CODE)); break; }
        if (!fld(&f, P_TITLE)[0]) { rc = file_error(&f, line, "empty title"); break; }
        if (!opt_date_ok(fld(&f, P_ISSUED))) { rc = file_error(&f, line, "invalid issued_on '%s'", fld(&f, P_ISSUED)); break; }
        if (!pi_parse_year(fld(&f, P_FROM), &from) || !pi_parse_year(fld(&f, P_TO), &to) || to < from) {
            rc = file_error(&f, line, "invalid year_from/year_to");
            break;
        }
        if (store_seed_plan_id(d, fld(&f, P_CODE)) > 0) { c->kept++; continue; }
        rc = add_plan(d, &f, from, to);
        if (rc == DB_OK) c->added++;
    }
    csv_close(&f.r);
    return rc < 0 ? rc : DB_OK;
}

/* ---- targets ---- */

enum { T_PLAN, T_CODE, T_TEXT, T_CMP, T_VALUE, T_UNIT, T_PERIOD, T_SOURCE };
static const char *const TARGET_COLUMNS[] = {"plan_code", "code", "text", "comparator", "value", "unit", "period", "source"};

static int check_target(seed_file *f, double *value, bool *has_value)
{
    int line = f->r.record_line;
    const char *cmp = fld(f, T_CMP), *v = fld(f, T_VALUE);
    if (!fld(f, T_CODE)[0] || strlen(fld(f, T_CODE)) > 64) return file_error(f, line, "invalid target code");
    if (!fld(f, T_TEXT)[0]) return file_error(f, line, "empty text");
    bool qualitative = strcmp(cmp, "qualitative") == 0;
    if (!qualitative && strcmp(cmp, ">=") && strcmp(cmp, "<=") && strcmp(cmp, "="))
        return file_error(f, line, "unknown comparator '%s'", cmp);
    *has_value = v[0] != '\0';
    if (qualitative && *has_value) return file_error(f, line, "a qualitative target has no value");
    if (!qualitative) {
        char *end;
        *value = strtod(v, &end);
        if (!*has_value || *end) return file_error(f, line, "invalid value '%s'", v);
    }
    const char *src = fld(f, T_SOURCE);
    if (strcmp(src, "manual") != 0 && strncmp(src, "computed:", 9) != 0)
        return file_error(f, line, "source must be manual or computed:NAME");
    return DB_OK;
}

static int upsert_target(db *d, seed_file *f, int64_t plan_id, double value, bool has_value, seed_count *c)
{
    db_stmt *s = db_prepare(d, "SELECT id, text, comparator, COALESCE(value, -1e300), unit, period, source "
                               "FROM targets WHERE plan_id = ? AND code = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, plan_id);
    db_bind_text(s, 2, fld(f, T_CODE));
    int64_t id = 0;
    if (db_step(s) == DB_ROW) {
        id = db_col_int(s, 0);
        double old = db_col_double(s, 3);
        bool same = !strcmp(db_col_text(s, 1), fld(f, T_TEXT)) && !strcmp(db_col_text(s, 2), fld(f, T_CMP)) &&
                    (has_value ? old == value : old == -1e300) && !strcmp(db_col_text(s, 4), fld(f, T_UNIT)) &&
                    !strcmp(db_col_text(s, 5), fld(f, T_PERIOD)) && !strcmp(db_col_text(s, 6), fld(f, T_SOURCE));
        if (same) { c->kept++; return DB_OK; }
        s = db_prepare(d, "UPDATE targets SET text = ?, comparator = ?, value = ?, unit = ?, period = ?, source = ? WHERE id = ?");
    } else {
        s = db_prepare(d, "INSERT INTO targets(text, comparator, value, unit, period, source, plan_id, code) VALUES (?,?,?,?,?,?,?,?)");
    }
    if (!s) return DB_ERR;
    db_bind_text(s, 1, fld(f, T_TEXT));
    db_bind_text(s, 2, fld(f, T_CMP));
    if (has_value) db_bind_double(s, 3, value); else db_bind_null(s, 3);
    db_bind_text(s, 4, fld(f, T_UNIT));
    db_bind_text(s, 5, fld(f, T_PERIOD));
    db_bind_text(s, 6, fld(f, T_SOURCE));
    if (id > 0) {
        db_bind_int(s, 7, id);
    } else {
        db_bind_int(s, 7, plan_id);
        db_bind_text(s, 8, fld(f, T_CODE));
    }
    if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    if (id > 0) c->updated++; else c->added++;
    return DB_OK;
}

int store_seed_targets(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen)
{
    seed_file f = {.file = "targets.csv", .names = TARGET_COLUMNS, .ncols = 8, .err = err, .errlen = errlen};
    memset(c, 0, sizeof *c);
    int rc = file_open(&f, csv, len);
    while (rc == DB_OK && (rc = file_next(&f)) == 1) {
        double value = 0;
        bool has_value = false;
        rc = check_target(&f, &value, &has_value);
        if (rc != DB_OK) break;
        int64_t plan_id = store_seed_plan_id(d, fld(&f, T_PLAN));
        if (plan_id <= 0) { rc = file_error(&f, f.r.record_line, "unknown plan_code '%s'", fld(&f, T_PLAN)); break; }
        rc = upsert_target(d, &f, plan_id, value, has_value, c);
    }
    csv_close(&f.r);
    return rc < 0 ? rc : DB_OK;
}

/* ---- demo progress helpers ---- */

bool store_seed_plan_has_updates(db *d, int64_t plan_id)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM task_updates u JOIN tasks t ON t.id = u.task_id WHERE t.plan_id = ? LIMIT 1");
    if (!s) return false;
    db_bind_int(s, 1, plan_id);
    return db_step(s) == DB_ROW;
}

int store_seed_backdate_update(db *d, int64_t update_id, int64_t task_id, const char *at, bool done)
{
    db_stmt *s = db_prepare(d, "UPDATE task_updates SET created_at = ? WHERE id = ? AND task_id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, at);
    db_bind_int(s, 2, update_id);
    db_bind_int(s, 3, task_id);
    if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    s = db_prepare(d, "UPDATE tasks SET updated_at = ?, done_on = CASE WHEN ? = 1 THEN ? ELSE done_on END WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, at);
    db_bind_int(s, 2, done);
    db_bind_text(s, 3, at);
    db_bind_int(s, 4, task_id);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}
