/* cchc migrate (see store_migrate.h). */
#include "store/store_migrate.h"
#include "store/store_search.h"
#include "core/buf.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every table with rows of its own, parents before children. The search index
 * (task_search, and FTS on SQLite) is not copied: it is rebuilt on the target.
 * deferred: self-references, copied as NULL and set once every row is in. */
static const struct { const char *name, *deferred; } TABLES[] = {
    {"units", "parent_id,successor_id"}, {"unit_names", NULL}, {"users", NULL}, {"sessions", NULL},
    {"api_tokens", NULL}, {"login_attempts", NULL}, {"plans", NULL}, {"areas", NULL}, {"tasks", NULL},
    {"task_milestones", NULL}, {"task_units", NULL}, {"task_updates", NULL}, {"files", NULL},
    {"update_files", NULL}, {"targets", NULL}, {"target_measurements", NULL}, {"report_periods", NULL},
    {"unit_reports", NULL}, {"imports", NULL}, {"audit", NULL}, {"calendar_overrides", NULL},
    {"calendar_confirmed_years", NULL},
};
#define NTABLES (sizeof TABLES / sizeof TABLES[0])

/* True when column name is listed in the comma-separated list. */
static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, name, n) == 0) return true;
        p += len + (p[len] == ',');
    }
    return false;
}

/* Binds the current value of column i of src to parameter param of dst, with its type. */
static void bind_value(db_stmt *dst, int param, db_stmt *src, int i)
{
    switch (db_col_type(src, i)) {
    case DB_T_NULL: db_bind_null(dst, param); break;
    case DB_T_INT: db_bind_int(dst, param, db_col_int(src, i)); break;
    case DB_T_REAL: db_bind_double(dst, param, db_col_double(src, i)); break;
    default: db_bind_text(dst, param, db_col_text(src, i)); break;
    }
}

/* Builds "INSERT INTO t(c1,..) VALUES (?,..)" from src's columns. */
static void insert_sql(buf *sql, const char *table, db_stmt *src)
{
    int n = db_col_count(src);
    buf_printf(sql, "INSERT INTO %s(", table);
    for (int i = 0; i < n; i++) buf_printf(sql, "%s%s", i ? ", " : "", db_col_name(src, i));
    buf_puts(sql, ") VALUES (");
    for (int i = 0; i < n; i++) buf_puts(sql, i ? ", ?" : "?");
    buf_puts(sql, ")");
}

/* Sets the deferred columns of table (self-references) once all rows exist. */
static int copy_deferred(db *from, db *to, const char *table, const char *deferred)
{
    buf sel = {0}, upd = {0};
    buf_printf(&sel, "SELECT id, %s FROM %s", deferred, table);
    buf_printf(&upd, "UPDATE %s SET ", table);
    int ncols = 0;
    for (const char *p = deferred; *p;) {
        size_t len = strcspn(p, ",");
        buf_printf(&upd, "%s%.*s = ?", ncols++ ? ", " : "", (int)len, p);
        p += len + (p[len] == ',');
    }
    buf_puts(&upd, " WHERE id = ?");
    int rc = DB_ERR;
    db_stmt *s = db_prepare(from, buf_str(&sel));
    while (s && (rc = db_step(s)) == DB_ROW) {
        db_stmt *u = db_prepare(to, buf_str(&upd));
        if (!u) { rc = DB_ERR; break; }
        for (int i = 0; i < ncols; i++) bind_value(u, i + 1, s, i + 1);
        db_bind_int(u, ncols + 1, db_col_int(s, 0));
        if ((rc = db_exec_stmt(u)) != DB_DONE) break;
    }
    buf_free(&sel);
    buf_free(&upd);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Copies one table's rows, keeping every value and id. */
static int copy_table(db *from, db *to, const char *table, const char *deferred)
{
    buf sel = {0}, ins = {0};
    buf_printf(&sel, "SELECT * FROM %s", table);
    db_stmt *s = db_prepare(from, buf_str(&sel));
    int rc = s ? DB_DONE : DB_ERR;
    while (s && (rc = db_step(s)) == DB_ROW) {
        if (!ins.len) insert_sql(&ins, table, s);
        db_stmt *d = db_prepare(to, buf_str(&ins));
        if (!d) { rc = DB_ERR; break; }
        for (int i = 0; i < db_col_count(s); i++) {
            if (deferred && listed(deferred, db_col_name(s, i))) db_bind_null(d, i + 1);
            else bind_value(d, i + 1, s, i);
        }
        if ((rc = db_exec_stmt(d)) != DB_DONE) break;
    }
    buf_free(&sel);
    buf_free(&ins);
    if (rc != DB_DONE) return rc == DB_CONSTRAINT ? DB_ERR : rc;
    return deferred ? copy_deferred(from, to, table, deferred) : DB_OK;
}

int store_table_checksum(db *d, const char *table, int64_t *rows, char sum[33])
{
    /* Each row's values in a canonical text (type-tagged; reals as %.17g, so the
     * same number prints the same on both engines), hashed; the sum of the row
     * hashes does not depend on the order rows come back in. */
    buf sql = {0}, row = {0};
    buf_printf(&sql, "SELECT * FROM %s", table);
    db_stmt *s = db_prepare(d, buf_str(&sql));
    buf_free(&sql);
    uint64_t acc[2] = {0, 0};
    *rows = 0;
    int rc = s ? DB_DONE : DB_ERR;
    while (s && (rc = db_step(s)) == DB_ROW) {
        row.len = 0;
        if (row.data) row.data[0] = '\0';
        for (int i = 0; i < db_col_count(s); i++) {
            int t = db_col_type(s, i);
            if (t == DB_T_NULL) buf_puts(&row, "N");
            else if (t == DB_T_INT) buf_printf(&row, "I%lld", (long long)db_col_int(s, i));
            else if (t == DB_T_REAL) buf_printf(&row, "R%.17g", db_col_double(s, i));
            else { buf_puts(&row, "T"); buf_puts(&row, db_col_text(s, i)); }
            buf_putc(&row, '\x1f');
        }
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)buf_str(&row), row.len);
        uint64_t a, b;
        memcpy(&a, h, 8);
        memcpy(&b, h + 8, 8);
        acc[0] += a;
        acc[1] += b;
        (*rows)++;
    }
    bool oom = row.oom;
    buf_free(&row);
    snprintf(sum, 33, "%016llx%016llx", (unsigned long long)acc[0], (unsigned long long)acc[1]);
    return rc == DB_DONE && !oom ? DB_OK : DB_ERR;
}

typedef struct {
    db *from;
    char *err;
    size_t errlen;
} copy_ctx;

/* The target's transaction: refuse rows already there, copy every table, move the ids on. */
static int copy_all(db *to, void *arg)
{
    copy_ctx *c = arg;
    for (size_t i = 0; i < NTABLES; i++) {
        char sum[33];
        int64_t rows;
        if (store_table_checksum(to, TABLES[i].name, &rows, sum) != DB_OK) return DB_ERR;
        if (rows > 0) {
            snprintf(c->err, c->errlen, "the target is not empty (table %s has %lld rows); migrate needs an empty database",
                     TABLES[i].name, (long long)rows);
            return DB_CONSTRAINT;
        }
    }
    for (size_t i = 0; i < NTABLES; i++) {
        int rc = copy_table(c->from, to, TABLES[i].name, TABLES[i].deferred);
        if (rc != DB_OK) {
            snprintf(c->err, c->errlen, "copying %s failed: %s", TABLES[i].name, db_errmsg(to));
            return rc;
        }
    }
    return db_sync_ids(to);
}

int store_migrate(db *from, db *to, migrate_report_fn fn, void *ctx, char *err, size_t errlen)
{
    err[0] = '\0';
    copy_ctx c = {from, err, errlen};
    if (db_read_begin(from) != DB_OK) { snprintf(err, errlen, "cannot read the source: %s", db_errmsg(from)); return DB_ERR; }
    int rc = db_txn(to, true, copy_all, &c);
    db_read_end(from);
    if (rc != DB_OK) {
        if (!err[0]) snprintf(err, errlen, "copy failed: %s", db_errmsg(to));
        return rc;
    }
    int indexed;
    if (store_task_search_rebuild(to, &indexed) != DB_OK) { snprintf(err, errlen, "cannot index the tasks: %s", db_errmsg(to)); return DB_ERR; }
    int bad = 0;
    for (size_t i = 0; i < NTABLES; i++) {
        migrate_table t = {.table = TABLES[i].name};
        if (store_table_checksum(from, t.table, &t.rows_from, t.sum_from) != DB_OK ||
            store_table_checksum(to, t.table, &t.rows_to, t.sum_to) != DB_OK) {
            snprintf(err, errlen, "cannot check %s", t.table);
            return DB_ERR;
        }
        if (t.rows_from != t.rows_to || strcmp(t.sum_from, t.sum_to) != 0) bad++;
        if (fn) fn(&t, ctx);
    }
    if (bad) { snprintf(err, errlen, "%d table(s) differ after the copy", bad); return DB_ERR; }
    return DB_OK;
}
