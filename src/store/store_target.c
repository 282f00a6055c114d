/* Targets (see store_target.h). */
#include "store/store_target.h"
#include "store/store_audit.h"
#include "store/store_util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_target_list(db *d, int64_t plan_id, target_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(d,
        "SELECT t.id, t.plan_id, t.code, t.text, t.comparator, t.unit, t.period, t.source, t.value, "
        "       m.value, m.measured_on, m.note, m.sha256, m.filename "
        "FROM targets t LEFT JOIN target_measurements m ON m.id = "
        "  (SELECT MAX(id) FROM target_measurements WHERE target_id = t.id) "
        "WHERE t.plan_id = ? OR ? = 0 ORDER BY t.plan_id, t.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, plan_id);
    db_bind_int(s, 2, plan_id);
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            target_row *t = realloc(*out, sizeof *t * (size_t)cap);
            if (!t) { rc = DB_ERR; break; }
            *out = t;
        }
        target_row *t = &(*out)[(*n)++];
        *t = (target_row){db_col_int(s, 0), db_col_int(s, 1), db_col_dup(s, 2), db_col_dup(s, 3),
            db_col_dup(s, 4), db_col_dup(s, 5), db_col_dup(s, 6), db_col_dup(s, 7), !db_col_is_null(s, 8),
            db_col_double(s, 8), !db_col_is_null(s, 9), db_col_double(s, 9), store_dup_or_null(db_col_text_or_null(s, 10)),
            store_dup_or_null(db_col_text_or_null(s, 11)), store_dup_or_null(db_col_text_or_null(s, 12)), store_dup_or_null(db_col_text_or_null(s, 13))};
        /* A copy that failed (out of memory) leaves NULL where the row has text. */
        if (!t->code || !t->text || !t->comparator || !t->unit || !t->period || !t->source ||
            (!db_col_is_null(s, 10) && !t->measured_on) || (!db_col_is_null(s, 11) && !t->measure_note) ||
            (!db_col_is_null(s, 12) && !t->measure_sha) || (!db_col_is_null(s, 13) && !t->measure_file)) {
            rc = DB_ERR;
            break;
        }
    }
    if (rc == DB_DONE) return DB_OK;
    target_rows_free(*out, *n);     /* nothing half-filled reaches the caller */
    *out = NULL;
    *n = 0;
    return rc == DB_ROW ? DB_ERR : rc;
}

void target_rows_free(target_row *t, int n)
{
    for (int i = 0; i < n; i++) {
        free(t[i].code); free(t[i].text); free(t[i].comparator); free(t[i].unit); free(t[i].period); free(t[i].source);
        free(t[i].measured_on); free(t[i].measure_note); free(t[i].measure_sha); free(t[i].measure_file);
    }
    free(t);
}

bool store_target_source(db *d, int64_t id, int64_t *plan_id, char source[64])
{
    db_stmt *s = db_prepare(d, "SELECT plan_id, source FROM targets WHERE id = ?");
    if (!s) return false;
    db_bind_int(s, 1, id);
    if (db_step(s) != DB_ROW) return false;
    *plan_id = db_col_int(s, 0);
    snprintf(source, 64, "%s", db_col_text(s, 1));
    return true;
}

typedef struct {
    int64_t target_id, user_id;
    double value;
    const char *measured_on, *note, *sha, *filename, *username;
    int64_t id;
} measure_write;

static int measure_txn(db *d, void *ctx)
{
    measure_write *x = ctx;
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO target_measurements(target_id, value, measured_on, note, sha256, filename, user_id, created_at) "
                               "VALUES (?,?,?,?,?,?,?,?)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->target_id);
    db_bind_double(s, 2, x->value);
    db_bind_text(s, 3, x->measured_on);
    db_bind_text(s, 4, x->note ? x->note : "");
    db_bind_text(s, 5, x->sha);
    db_bind_text(s, 6, x->filename);
    db_bind_int(s, 7, x->user_id);
    db_bind_text(s, 8, now);
    int rc = db_exec_stmt(s);
    if (rc != DB_DONE) return rc == DB_BUSY ? rc : DB_ERR;
    x->id = db_last_id(d);
    char after[128];
    snprintf(after, sizeof after, "{\"value\":%.15g,\"measured_on\":\"%.10s\"}", x->value, x->measured_on);
    return store_audit(d, x->user_id, x->username, "target_measure", "target", x->target_id, NULL, after);
}

int64_t store_target_measure(db *d, int64_t target_id, double value, const char *measured_on, const char *note,
                             const char *sha, const char *filename, int64_t user_id, const char *username)
{
    /* JSON (the audit) and the comparisons need a finite number. */
    if (!isfinite(value) || !measured_on) return -1;
    measure_write x = {target_id, user_id, value, measured_on, note, sha, filename, username, 0};
    return db_txn(d, true, measure_txn, &x) == DB_OK ? x.id : -1;
}

int store_plan_done_counts(db *d, int64_t plan_id, long *done, long *total)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0), "
                               "COALESCE(SUM(CASE WHEN status <> 'cancelled' THEN 1 ELSE 0 END), 0) FROM tasks WHERE plan_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, plan_id);
    if (db_step(s) != DB_ROW) return DB_ERR;
    *done = (long)db_col_int(s, 0);
    *total = (long)db_col_int(s, 1);
    return DB_OK;
}

int store_plan_unit_completion(db *d, int64_t plan_id, long *units_done, long *units_total)
{
    /* Per lead unit (groups excluded: they stand for several units), whether every
     * task it leads that is not cancelled is done. */
    db_stmt *s = db_prepare(d,
        "SELECT COALESCE(SUM(CASE WHEN open_tasks = 0 THEN 1 ELSE 0 END), 0), COUNT(*) FROM ("
        " SELECT t.lead_unit_id, SUM(CASE WHEN t.status NOT IN ('done', 'cancelled') THEN 1 ELSE 0 END) AS open_tasks"
        " FROM tasks t JOIN units u ON u.id = t.lead_unit_id"
        " WHERE t.plan_id = ? AND u.kind <> 'group' AND t.status <> 'cancelled' GROUP BY t.lead_unit_id) x");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, plan_id);
    if (db_step(s) != DB_ROW) return DB_ERR;
    *units_done = (long)db_col_int(s, 0);
    *units_total = (long)db_col_int(s, 1);
    return DB_OK;
}
