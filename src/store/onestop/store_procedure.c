/* The procedure catalogue (store_procedure.h). */
#include "store/onestop/store_procedure.h"
#include "store/store_audit.h"
#include "core/fold.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERSION_COLS "v.id, v.procedure_id, v.version, v.duration_value, p.code, v.name, v.field, v.duration_unit, v.online_level, v.body"

static void row_read(db_stmt *s, procedure_row *r)
{
    *r = (procedure_row){db_col_int(s, 0), db_col_int(s, 1), (int)db_col_int(s, 2), (int)db_col_int(s, 3),
                         strdup(db_col_text(s, 4)), strdup(db_col_text(s, 5)), strdup(db_col_text(s, 6)),
                         strdup(db_col_text(s, 7)), strdup(db_col_text(s, 8)), strdup(db_col_text(s, 9))};
}

void procedure_row_free(procedure_row *r)
{
    free(r->code); free(r->name); free(r->field); free(r->duration_unit); free(r->online_level); free(r->body);
    memset(r, 0, sizeof *r);
}

void procedure_rows_free(procedure_row *r, int n)
{
    for (int i = 0; i < n; i++) procedure_row_free(&r[i]);
    free(r);
}

typedef struct {
    const procedure *p;
    const char *body;
    int64_t user_id;
    const char *username;
    int version;
} put_ctx;

/* The procedure's id and current version (0, 0 when new). */
static int current_of(db *d, const char *code, int64_t *id, int *version)
{
    db_stmt *s = db_prepare(d, "SELECT id, current_version FROM procedures WHERE code = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, code);
    int rc = db_step(s);
    *id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    *version = rc == DB_ROW ? (int)db_col_int(s, 1) : 0;
    if (rc == DB_ROW) db_step(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int put_txn(db *d, void *ctx)
{
    put_ctx *x = ctx;
    int64_t id;
    int version;
    int rc = current_of(d, x->p->code, &id, &version);
    if (rc != DB_OK) return rc;
    db_stmt *s = id ? db_prepare(d, "UPDATE procedures SET current_version = ? WHERE id = ?")
                    : db_prepare(d, "INSERT INTO procedures (current_version, code) VALUES (?, ?)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, version + 1);
    if (id) db_bind_int(s, 2, id); else db_bind_text(s, 2, x->p->code);
    if ((rc = db_exec_stmt(s)) != DB_DONE) return rc;
    if (!id) id = db_last_id(d);
    char now[32], *folded = fold_words_dup(x->p->name, false);
    db_now_iso(now);
    s = db_prepare(d, "INSERT INTO procedure_versions (procedure_id, version, name, name_folded, field, duration_value, duration_unit, "
                      "online_level, body, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s || !folded) { free(folded); return DB_ERR; }
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, version + 1);
    db_bind_text(s, 3, x->p->name);
    db_bind_text(s, 4, folded);
    db_bind_text(s, 5, x->p->field);
    db_bind_int(s, 6, x->p->duration.value);
    db_bind_text(s, 7, x->p->duration.unit);
    db_bind_text(s, 8, x->p->online_level);
    db_bind_text(s, 9, x->body);
    db_bind_text(s, 10, now);
    if (x->user_id) db_bind_int(s, 11, x->user_id); else db_bind_null(s, 11);
    rc = db_exec_stmt(s);
    free(folded);
    if (rc != DB_DONE) return rc;
    x->version = version + 1;
    char after[96];
    snprintf(after, sizeof after, "{\"code\":\"%.40s\",\"version\":%d}", x->p->code, x->version);
    return store_audit(d, x->user_id, x->username ? x->username : "", "procedure_put", "procedure", id, NULL, after);
}

int store_procedure_put(db *d, const procedure *p, const char *body, int64_t user_id, const char *username)
{
    put_ctx x = {p, body, user_id, username, 0};
    return db_txn(d, true, put_txn, &x) == DB_OK ? x.version : -1;
}

/* Reads the one row of s (bound) into out. */
static bool read_one(db_stmt *s, procedure_row *out)
{
    if (db_step(s) != DB_ROW) return false;
    row_read(s, out);
    db_step(s);
    return true;
}

bool store_procedure_get(db *d, const char *code, int version, procedure_row *out)
{
    db_stmt *s = db_prepare(d, "SELECT " VERSION_COLS " FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id "
                               "WHERE p.code = ? AND v.version = CASE WHEN ? = 0 THEN p.current_version ELSE ? END");
    if (!s) return false;
    db_bind_text(s, 1, code);
    db_bind_int(s, 2, version);
    db_bind_int(s, 3, version);
    return read_one(s, out);
}

bool store_procedure_by_version(db *d, int64_t version_id, procedure_row *out)
{
    db_stmt *s = db_prepare(d, "SELECT " VERSION_COLS " FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id WHERE v.id = ?");
    if (!s) return false;
    db_bind_int(s, 1, version_id);
    return read_one(s, out);
}

/* True when every word of folded_q (space-separated) is in folded_name. */
static bool has_words(const char *folded_name, const char *folded_q)
{
    char word[128];
    for (const char *p = folded_q; *p;) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1), p);
        if (!strstr(folded_name, word)) return false;
        p += n;
    }
    return true;
}

int store_procedure_list(db *d, const char *q, const char *field, procedure_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    char *folded = q && *q ? fold_words_dup(q, false) : NULL;
    db_stmt *s = db_prepare(d, "SELECT " VERSION_COLS ", v.name_folded FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id "
                               "WHERE v.version = p.current_version AND p.published = 1 AND (? = '' OR v.field = ?) ORDER BY v.field, v.name");
    if (!s) { free(folded); return DB_ERR; }
    db_bind_text(s, 1, field ? field : "");
    db_bind_text(s, 2, field ? field : "");
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        /* words of the name (any accents), or the exact national code */
        if (folded && !has_words(db_col_text(s, 10), folded) && strcmp(db_col_text(s, 4), q)) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            procedure_row *grown = realloc(*out, (size_t)cap * sizeof **out);
            if (!grown) { rc = DB_ERR; break; }
            *out = grown;
        }
        row_read(s, &(*out)[(*n)++]);
    }
    free(folded);
    if (rc != DB_DONE) { procedure_rows_free(*out, *n); *out = NULL; *n = 0; return DB_ERR; }
    return DB_OK;
}

int store_procedure_count(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM procedures");
    if (!s || db_step(s) != DB_ROW) return -1;
    int n = (int)db_col_int(s, 0);
    db_step(s);
    return n;
}
