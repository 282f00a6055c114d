/* Reporting periods (see store_report.h). */
#include "store/store_report.h"
#include "store/store_audit.h"
#include "store/store_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t store_period_open(db *d, int64_t plan_id, period_kind kind, int year, const char *due_on, int64_t user_id)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO report_periods(plan_id, kind, year, due_on, opened_by, opened_at) VALUES (?,?,?,?,?,?)");
    if (!s) return -1;
    db_bind_int(s, 1, plan_id);
    db_bind_text(s, 2, period_id(kind));
    db_bind_int(s, 3, year);
    db_bind_text(s, 4, due_on);
    db_bind_int(s, 5, user_id);
    db_bind_text(s, 6, now);
    int rc = db_exec_stmt(s);
    if (rc == DB_CONSTRAINT) return 0;
    return rc == DB_DONE ? db_last_id(d) : -1;
}

#define PERIOD_COLS "r.id, r.plan_id, r.kind, r.year, r.due_on, r.status, p.title, r.opened_at " \
                    "FROM report_periods r JOIN plans p ON p.id = r.plan_id "

static void read_period(db_stmt *s, period_row *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int(s, 0);
    p->plan_id = db_col_int(s, 1);
    int k = period_parse(db_col_text(s, 2));
    p->kind = k < 0 ? PERIOD_YEAR : (period_kind)k;
    p->year = (int)db_col_int(s, 3);
    snprintf(p->due_on, sizeof p->due_on, "%s", db_col_text(s, 4));
    snprintf(p->status, sizeof p->status, "%s", db_col_text(s, 5));
    snprintf(p->plan_title, sizeof p->plan_title, "%s", db_col_text(s, 6));
    snprintf(p->opened_at, sizeof p->opened_at, "%s", db_col_text(s, 7));
}

bool store_period_get(db *d, int64_t id, period_row *out)
{
    db_stmt *s = db_prepare(d, "SELECT " PERIOD_COLS "WHERE r.id = ?");
    if (!s) return false;
    db_bind_int(s, 1, id);
    if (db_step(s) != DB_ROW) return false;
    read_period(s, out);
    return true;
}

int store_period_list(db *d, period_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(d, "SELECT " PERIOD_COLS "ORDER BY r.year DESC, r.due_on DESC, r.id DESC");
    if (!s) return DB_ERR;
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            period_row *p = realloc(*out, sizeof *p * (size_t)cap);
            if (!p) { rc = DB_ERR; break; }
            *out = p;
        }
        read_period(s, &(*out)[(*n)++]);
    }
    if (rc == DB_DONE) return DB_OK;
    free(*out);             /* nothing half-filled reaches the caller */
    *out = NULL;
    *n = 0;
    return rc == DB_ROW ? DB_ERR : rc;
}

int store_period_submissions(db *d, int64_t period_id, submission_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    /* Expected: the units a task of the plan names as lead or coordinator, and the
     * members of the groups it names (a group such as G_PHONG_DV stands for every
     * unit of its member_kinds: division, school, centre). Groups themselves never
     * report; a group counts only while it exists on the due date, and every unit
     * only if it exists on the due date. */
    db_stmt *s = db_prepare(d,
        "WITH per AS (SELECT * FROM report_periods WHERE id = ?), "
        "named AS (SELECT t.lead_unit_id AS unit_id FROM tasks t, per WHERE t.plan_id = per.plan_id "
        "          UNION SELECT tu.unit_id FROM task_units tu JOIN tasks t ON t.id = tu.task_id, per WHERE t.plan_id = per.plan_id), "
        "involved AS (SELECT unit_id FROM named "
        "             UNION SELECT m.id FROM named nm JOIN units g ON g.id = nm.unit_id CROSS JOIN per "
        "                   JOIN units m ON m.kind <> 'group' "
        "                    AND (',' || g.member_kinds || ',') LIKE ('%,' || m.kind || ',%') "
        "             WHERE g.kind = 'group' AND g.member_kinds <> '' "
        "               AND (g.valid_from IS NULL OR g.valid_from = '' OR g.valid_from <= per.due_on) "
        "               AND (g.valid_to IS NULL OR g.valid_to = '' OR g.valid_to >= per.due_on)) "
        "SELECT u.id, u.name, ur.id IS NOT NULL, ur.approved_at IS NOT NULL, ur.body, ur.submitted_at, su.username, "
        "       ur.approved_at, au.username "
        "FROM involved i JOIN units u ON u.id = i.unit_id CROSS JOIN per "
        "LEFT JOIN unit_reports ur ON ur.period_id = per.id AND ur.unit_id = u.id "
        "LEFT JOIN users su ON su.id = ur.submitted_by LEFT JOIN users au ON au.id = ur.approved_by "
        "WHERE u.kind IN ('division','district_office','school','centre') "
        "  AND (u.valid_from IS NULL OR u.valid_from = '' OR u.valid_from <= per.due_on) "
        "  AND (u.valid_to IS NULL OR u.valid_to = '' OR u.valid_to >= per.due_on) "
        "ORDER BY u.kind, u.name");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, period_id);
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            submission_row *r = realloc(*out, sizeof *r * (size_t)cap);
            if (!r) { rc = DB_ERR; break; }
            *out = r;
        }
        submission_row *r = &(*out)[(*n)++];
        *r = (submission_row){db_col_int(s, 0), db_col_dup(s, 1), db_col_int(s, 2) != 0, db_col_int(s, 3) != 0,
            store_dup_or_null(db_col_text_or_null(s, 4)), store_dup_or_null(db_col_text_or_null(s, 5)), store_dup_or_null(db_col_text_or_null(s, 6)),
            store_dup_or_null(db_col_text_or_null(s, 7)), store_dup_or_null(db_col_text_or_null(s, 8))};
        /* A copy that failed (out of memory) leaves NULL where the row has text. */
        if (!r->unit_name || (!db_col_is_null(s, 4) && !r->body) || (!db_col_is_null(s, 5) && !r->submitted_at) ||
            (!db_col_is_null(s, 6) && !r->submitted_by) || (!db_col_is_null(s, 7) && !r->approved_at) ||
            (!db_col_is_null(s, 8) && !r->approved_by)) {
            rc = DB_ERR;
            break;
        }
    }
    if (rc == DB_DONE) return DB_OK;
    submission_rows_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc == DB_ROW ? DB_ERR : rc;
}

void submission_rows_free(submission_row *s, int n)
{
    for (int i = 0; i < n; i++) {
        free(s[i].unit_name); free(s[i].body); free(s[i].submitted_at); free(s[i].submitted_by);
        free(s[i].approved_at); free(s[i].approved_by);
    }
    free(s);
}

/* ---------- writes: each with its audit row in one transaction ---------- */

typedef struct {
    int64_t period_id, unit_id, user_id;
    const char *body, *username;
} report_write;

static int submit_txn(db *d, void *ctx)
{
    const report_write *x = ctx;
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO unit_reports(period_id, unit_id, body, submitted_by, submitted_at) VALUES (?,?,?,?,?)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->period_id);
    db_bind_int(s, 2, x->unit_id);
    db_bind_text(s, 3, x->body);
    db_bind_int(s, 4, x->user_id);
    db_bind_text(s, 5, now);
    int rc = db_exec_stmt(s);
    if (rc != DB_DONE) return rc == DB_CONSTRAINT || rc == DB_BUSY ? rc : DB_ERR;
    int64_t id = db_last_id(d);
    char after[96];
    snprintf(after, sizeof after, "{\"period_id\":%lld,\"unit_id\":%lld}", (long long)x->period_id, (long long)x->unit_id);
    return store_audit(d, x->user_id, x->username, "report_submit", "unit_report", id, NULL, after);
}

int store_report_submit(db *d, int64_t period_id, int64_t unit_id, const char *body, int64_t user_id, const char *username)
{
    report_write x = {period_id, unit_id, user_id, body, username};
    return db_txn(d, true, submit_txn, &x);
}

static int approve_txn(db *d, void *ctx)
{
    const report_write *x = ctx;
    db_stmt *s = db_prepare(d, "SELECT id FROM unit_reports WHERE period_id = ? AND unit_id = ? AND approved_at IS NULL");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->period_id);
    db_bind_int(s, 2, x->unit_id);
    int rc = db_step(s);
    if (rc == DB_DONE) return DB_DONE;                 /* nothing submitted, or already approved */
    if (rc != DB_ROW) return rc == DB_BUSY ? rc : DB_ERR;
    int64_t report_id = db_col_int(s, 0);
    db_step(s);                                        /* (period, unit) is unique: ends the read */
    char now[32];
    db_now_iso(now);
    s = db_prepare(d, "UPDATE unit_reports SET approved_by = ?, approved_at = ? WHERE id = ? AND approved_at IS NULL");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->user_id);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, report_id);
    rc = db_exec_stmt(s);
    if (rc != DB_DONE) return rc == DB_BUSY ? rc : DB_ERR;
    if (db_changes(d) != 1) return DB_DONE;
    char after[96];
    snprintf(after, sizeof after, "{\"period_id\":%lld,\"unit_id\":%lld}", (long long)x->period_id, (long long)x->unit_id);
    return store_audit(d, x->user_id, x->username, "report_approve", "unit_report", report_id, NULL, after);
}

int store_report_approve(db *d, int64_t period_id, int64_t unit_id, int64_t user_id, const char *username)
{
    report_write x = {period_id, unit_id, user_id, NULL, username};
    return db_txn(d, true, approve_txn, &x);
}
