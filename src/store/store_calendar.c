/* Admin edits of the working-day calendar (see store_calendar.h). */
#include "store/store_calendar.h"
#include "calendar_default.h"
#include "store/store_audit.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OVERRIDE_COLUMNS                                                                             \
    "SELECT o.id, o.day, o.kind, COALESCE(o.name, ''), COALESCE(o.source, ''), COALESCE(u.username, ''), " \
    "o.created_at FROM calendar_overrides o LEFT JOIN users u ON u.id = o.created_by "

static const char SQL_OVERRIDES_ALL[] = OVERRIDE_COLUMNS "ORDER BY o.id";
static const char SQL_OVERRIDES_YEAR[] = OVERRIDE_COLUMNS "WHERE o.day >= ? AND o.day <= ? ORDER BY o.id";

/* ---- Reading ---------------------------------------------------------------- */

static void row_fields_free(cal_override_row *o)
{
    free(o->name);
    free(o->source);
    free(o->created_by);
    free(o->created_at);
}

/* Copies the current row; false (nothing allocated) when the row is unusable. */
static bool override_from_row(db_stmt *s, cal_override_row *o)
{
    if (!cal_parse_iso(db_col_text(s, 1), &o->jdn) || !cal_kind_parse(db_col_text(s, 2), &o->kind)) {
        fprintf(stderr, "store_calendar: skipping calendar_overrides row %lld (bad day or kind)\n",
                (long long)db_col_int(s, 0));
        return false;
    }
    o->id = db_col_int(s, 0);
    o->name = db_col_dup(s, 3);
    o->source = db_col_dup(s, 4);
    o->created_by = db_col_dup(s, 5);
    o->created_at = db_col_dup(s, 6);
    if (o->name && o->source && o->created_by && o->created_at) return true;
    row_fields_free(o);
    return false;
}

static bool append_row(cal_override_row **rows, size_t *n, size_t *cap, const cal_override_row *o)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        cal_override_row *p = realloc(*rows, ncap * sizeof *p);
        if (!p) return false;
        *rows = p;
        *cap = ncap;
    }
    (*rows)[(*n)++] = *o;
    return true;
}

int store_calendar_overrides(db *d, int year, cal_override_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(d, year ? SQL_OVERRIDES_YEAR : SQL_OVERRIDES_ALL);
    if (!s) return DB_ERR;
    if (year) {
        char from[16], to[16];
        snprintf(from, sizeof from, "%04d-01-01", year);
        snprintf(to, sizeof to, "%04d-12-31", year);
        db_bind_text(s, 1, from);
        db_bind_text(s, 2, to);
    }
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        cal_override_row o;
        if (!override_from_row(s, &o)) continue;
        if (!append_row(out, n, &cap, &o)) {
            row_fields_free(&o);
            rc = DB_ERR;
            break;
        }
    }
    if (rc == DB_DONE) return DB_OK;
    cal_override_rows_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc == DB_ROW ? DB_ERR : rc;
}

void cal_override_rows_free(cal_override_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) row_fields_free(&rows[i]);
    free(rows);
}

bool store_calendar_confirmation(db *d, int year, cal_year_confirmation *out)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(u.username, ''), c.confirmed_at FROM calendar_confirmed_years c "
                               "LEFT JOIN users u ON u.id = c.confirmed_by WHERE c.year = ?");
    if (!s) return false;
    db_bind_int(s, 1, year);
    if (db_step(s) != DB_ROW) return false;
    out->year = year;
    snprintf(out->confirmed_by, sizeof out->confirmed_by, "%s", db_col_text(s, 0));
    snprintf(out->confirmed_at, sizeof out->confirmed_at, "%s", db_col_text(s, 1));
    return true;
}

/* Every stored edit: the override rows and the confirmed years. */
typedef struct {
    cal_override_row *rows;
    size_t nrows;
    int *years;
    size_t nyears;
} stored_edits;

static void edits_free(stored_edits *e)
{
    cal_override_rows_free(e->rows, e->nrows);
    free(e->years);
    memset(e, 0, sizeof *e);
}

static int load_years(db *d, stored_edits *e)
{
    db_stmt *s = db_prepare(d, "SELECT year FROM calendar_confirmed_years ORDER BY year");
    if (!s) return DB_ERR;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (e->nyears == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            int *p = realloc(e->years, ncap * sizeof *p);
            if (!p) return DB_ERR;
            e->years = p;
            cap = ncap;
        }
        e->years[e->nyears++] = (int)db_col_int(s, 0);
    }
    return rc == DB_DONE ? DB_OK : rc;
}

static int load_edits(db *d, stored_edits *e)
{
    memset(e, 0, sizeof *e);
    int rc = store_calendar_overrides(d, 0, &e->rows, &e->nrows);
    if (rc == DB_OK) rc = load_years(d, e);
    if (rc != DB_OK) edits_free(e);
    return rc;
}

/* Builds the calendar of the stored edits plus one extra override (may be NULL). */
static cal_calendar *build_edits(const stored_edits *e, const cal_day *extra, char *err, size_t errlen)
{
    size_t n = 0;
    cal_day *days = malloc((e->nrows + 1) * sizeof *days);
    if (!days) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < e->nrows; i++)
        days[n++] = (cal_day){e->rows[i].jdn, e->rows[i].kind, e->rows[i].name, e->rows[i].source};
    if (extra) days[n++] = *extra;
    cal_calendar *cal = cal_default_with(days, n, e->years, e->nyears, NULL, err, errlen);
    free(days);
    return cal;
}

int store_calendar_stamp(db *d, cal_stamp *out)
{
    db_stmt *s = db_prepare(d, "SELECT (SELECT COALESCE(MAX(id), 0) FROM calendar_overrides), "
                               "(SELECT COUNT(*) FROM calendar_confirmed_years)");
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_ERR : rc;
    out->last_edit = db_col_int(s, 0);
    out->confirmed_years = db_col_int(s, 1);
    db_step(s);
    return DB_OK;
}

cal_calendar *store_calendar_build(db *d, char *err, size_t n)
{
    stored_edits e;
    if (load_edits(d, &e) != DB_OK) {
        snprintf(err, n, "cannot read the calendar edits: %s", db_errmsg(d));
        return NULL;
    }
    cal_calendar *cal = build_edits(&e, NULL, err, n);
    edits_free(&e);
    return cal;
}

/* ---- Audit helpers ------------------------------------------------------------ */

static json_t *text_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

static int year_of(int32_t jdn)
{
    int y, m, d;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    return y;
}

/* A day as the calendar sees it: {date, kind, name, source, working, year_status}. */
static json_t *day_json(const cal_calendar *cal, int32_t jdn)
{
    char iso[11];
    const cal_day *e = cal_day_entry(cal, jdn);
    return json_pack("{s:s, s:s, s:o, s:o, s:b, s:s}", "date", cal_format_iso(jdn, iso),
                     "kind", cal_kind_name(e ? e->kind : CAL_KIND_NORMAL), "name", text_or_null(e ? e->name : NULL),
                     "source", text_or_null(e ? e->source : NULL), "working", cal_is_working_day(cal, jdn, NULL),
                     "year_status", cal_year_status_name(cal_year_status_of(cal, year_of(jdn))));
}

/* The listed days of a year, for the record of what a confirmation covered. */
static json_t *year_days_json(const cal_calendar *cal, int year)
{
    size_t n;
    const cal_day *days = cal_year_days(cal, year, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char iso[11];
        json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "date", cal_format_iso(days[i].jdn, iso),
                                             "kind", cal_kind_name(days[i].kind), "name", text_or_null(days[i].name)));
    }
    return arr;
}

/* Open tasks with a due date: their overdue / due-soon working-day counts are
 * derived live from the current calendar, so each edit re-derives them. */
static int64_t open_deadlines(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM tasks WHERE dl_due IS NOT NULL "
                               "AND status IN ('not_started', 'in_progress')");
    return s && db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
}

/* Writes one audit entry (entity "calendar", id = year); takes both references. */
static int audit_edit(db *d, const cal_editor *who, const char *action, int year, json_t *before, json_t *after)
{
    if (after) json_object_set_new(after, "open_deadlines_rederived", json_integer(open_deadlines(d)));
    char *b = before ? json_dumps(before, JSON_COMPACT) : NULL;
    char *a = after ? json_dumps(after, JSON_COMPACT) : NULL;
    int rc = a ? store_audit(d, who->user_id, who->username, action, "calendar", year, b, a) : DB_ERR;
    free(b);
    free(a);
    json_decref(before);
    json_decref(after);
    return rc;
}

/* ---- Edits -------------------------------------------------------------------- */

typedef struct {
    cal_day day;                 /* add/remove: the day (kind NORMAL to remove) */
    int year;                    /* confirm */
    const cal_editor *who;
    cal_edit_result result;
    char *err;
    size_t errlen;
} edit_ctx;

/* Fails the transaction with a result and a message. */
static int reject(edit_ctx *c, cal_edit_result result, const char *msg)
{
    c->result = result;
    if (msg) snprintf(c->err, c->errlen, "%s", msg);
    return DB_ERR;
}

static int insert_override(db *d, const edit_ctx *c, int64_t *id)
{
    char day[11], now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO calendar_overrides(day, kind, name, source, created_by, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, cal_format_iso(c->day.jdn, day));
    db_bind_text(s, 2, cal_kind_name(c->day.kind));
    db_bind_text(s, 3, c->day.name);
    db_bind_text(s, 4, c->day.source);
    if (c->who->user_id > 0) db_bind_int(s, 5, c->who->user_id);
    else db_bind_null(s, 5);
    db_bind_text(s, 6, now);
    int rc = db_exec_stmt(s);
    *id = db_last_id(d);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Inserts the override and its audit entry once both calendars are known. */
static int record_override(db *d, edit_ctx *c, const cal_calendar *before, const cal_calendar *after)
{
    int64_t id;
    int rc = insert_override(d, c, &id);
    if (rc != DB_OK) return rc;
    json_t *a = day_json(after, c->day.jdn);
    if (a) json_object_set_new(a, "override_id", json_integer(id));
    const char *action = c->day.kind == CAL_KIND_NORMAL ? "calendar_day_remove" : "calendar_day_add";
    return audit_edit(d, c->who, action, year_of(c->day.jdn), day_json(before, c->day.jdn), a);
}

static int override_txn(db *d, void *ctx)
{
    edit_ctx *c = ctx;
    stored_edits e;
    c->result = CAL_EDIT_DB_ERROR;
    if (load_edits(d, &e) != DB_OK) return reject(c, CAL_EDIT_DB_ERROR, db_errmsg(d));
    cal_calendar *before = build_edits(&e, NULL, c->err, c->errlen);
    cal_calendar *after = before ? build_edits(&e, &c->day, c->err, c->errlen) : NULL;
    edits_free(&e);
    int rc;
    if (!before || !after) rc = reject(c, CAL_EDIT_INVALID, NULL);
    else if (c->day.kind == CAL_KIND_NORMAL && !cal_day_entry(before, c->day.jdn)) rc = reject(c, CAL_EDIT_NOT_LISTED, "not a listed day");
    else rc = record_override(d, c, before, after);
    if (rc == DB_OK) c->result = CAL_EDIT_OK;
    cal_free(before);
    cal_free(after);
    return rc;
}

static cal_edit_result run_edit(db *d, db_txn_fn fn, edit_ctx *c)
{
    c->result = CAL_EDIT_DB_ERROR;
    if (c->errlen) c->err[0] = '\0';
    int rc = db_txn(d, true, fn, c);
    if (rc != DB_OK && (c->result == CAL_EDIT_OK || c->result == CAL_EDIT_UNCHANGED)) c->result = CAL_EDIT_DB_ERROR;
    if (c->result == CAL_EDIT_DB_ERROR && c->errlen && !c->err[0]) snprintf(c->err, c->errlen, "%s", db_errmsg(d));
    return c->result;
}

cal_edit_result store_calendar_add(db *d, const cal_day *day, const cal_editor *who, char *err, size_t errlen)
{
    if (day->kind == CAL_KIND_NORMAL) {
        snprintf(err, errlen, "kind 'normal' is not a listed day (use store_calendar_remove)");
        return CAL_EDIT_INVALID;
    }
    if (day->jdn < cal_jdn_from_ymd(CAL_MIN_YEAR, 1, 1) || day->jdn > cal_jdn_from_ymd(CAL_MAX_YEAR, 12, 31)) {
        snprintf(err, errlen, "date outside %d–%d", CAL_MIN_YEAR, CAL_MAX_YEAR);
        return CAL_EDIT_INVALID;
    }
    edit_ctx c = {.day = *day, .who = who, .err = err, .errlen = errlen};
    return run_edit(d, override_txn, &c);
}

cal_edit_result store_calendar_remove(db *d, int32_t jdn, const cal_editor *who, char *err, size_t errlen)
{
    edit_ctx c = {.day = {jdn, CAL_KIND_NORMAL, NULL, NULL}, .who = who, .err = err, .errlen = errlen};
    return run_edit(d, override_txn, &c);
}

static int insert_confirmation(db *d, const edit_ctx *c)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO calendar_confirmed_years(year, confirmed_by, confirmed_at) VALUES (?, ?, ?)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, c->year);
    if (c->who->user_id > 0) db_bind_int(s, 2, c->who->user_id);
    else db_bind_null(s, 2);
    db_bind_text(s, 3, now);
    int rc = db_exec_stmt(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Checks the year's status, then stores the confirmation with the listed days it covers. */
static int confirm_on(db *d, edit_ctx *c, const cal_calendar *cal)
{
    cal_year_status st = cal_year_status_of(cal, c->year);
    if (st == CAL_YEAR_OFFICIAL) return reject(c, CAL_EDIT_OFFICIAL_YEAR, "the year has an official schedule");
    if (st == CAL_YEAR_OUT_OF_RANGE) return reject(c, CAL_EDIT_INVALID, "year outside the calendar range");
    if (st == CAL_YEAR_CONFIRMED) {
        c->result = CAL_EDIT_UNCHANGED;
        return DB_OK;
    }
    int rc = insert_confirmation(d, c);
    if (rc != DB_OK) return rc;
    json_t *before = json_pack("{s:i, s:s}", "year", c->year, "status", cal_year_status_name(st));
    json_t *after = json_pack("{s:i, s:s, s:o}", "year", c->year, "status", cal_year_status_name(CAL_YEAR_CONFIRMED),
                              "days", year_days_json(cal, c->year));
    rc = audit_edit(d, c->who, "calendar_year_confirm", c->year, before, after);
    if (rc == DB_OK) c->result = CAL_EDIT_OK;
    return rc;
}

static int confirm_txn(db *d, void *ctx)
{
    edit_ctx *c = ctx;
    stored_edits e;
    c->result = CAL_EDIT_DB_ERROR;
    if (load_edits(d, &e) != DB_OK) return reject(c, CAL_EDIT_DB_ERROR, db_errmsg(d));
    cal_calendar *cal = build_edits(&e, NULL, c->err, c->errlen);
    edits_free(&e);
    int rc = cal ? confirm_on(d, c, cal) : reject(c, CAL_EDIT_INVALID, NULL);
    cal_free(cal);
    return rc;
}

cal_edit_result store_calendar_confirm_year(db *d, int year, const cal_editor *who, char *err, size_t errlen)
{
    edit_ctx c = {.year = year, .who = who, .err = err, .errlen = errlen};
    return run_edit(d, confirm_txn, &c);
}
