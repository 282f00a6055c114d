/* Audit trail (see store_audit.h). */
#include "store/store_audit.h"
#include "core/buf.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* One entry's content as the chain hashes it: every field length-prefixed
 * ("-" for NULL), so no two different entries read the same. */
typedef struct {
    const char *at, *username, *action, *entity, *before, *after;
    int64_t user_id, entity_id;
} audit_fields;

static void canonical(buf *b, const audit_fields *f)
{
    const char *text[] = {f->at, f->username, f->action, f->entity, f->before, f->after};
    buf_printf(b, "%lld|%lld|", (long long)f->user_id, (long long)f->entity_id);
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        if (text[i]) buf_printf(b, "%zu:%s|", strlen(text[i]), text[i]);
        else buf_puts(b, "-|");
    }
}

/* hex(SHA-256(prev || "\n" || canonical(f))) into out. */
static bool chain_hash(const char *prev, const audit_fields *f, char out[65])
{
    buf b = {0};
    buf_puts(&b, prev);
    buf_putc(&b, '\n');
    canonical(&b, f);
    if (b.oom) { buf_free(&b); return false; }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)buf_str(&b), b.len);
    buf_free(&b);
    sodium_bin2hex(out, 65, h, sizeof h);
    return true;
}

/* The newest entry's hash ("" when the chain has not begun). */
static int chain_head(db *d, char out[65])
{
    out[0] = '\0';
    db_stmt *s = db_prepare(d, "SELECT hash FROM audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1");
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) snprintf(out, 65, "%s", db_col_text(s, 0));
    if (rc == DB_ROW) db_step(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int append_txn(db *d, void *ctx)
{
    const audit_fields *f = ctx;
    char prev[65], hash[65];
    int rc = chain_head(d, prev);
    if (rc != DB_OK) return rc;
    if (!chain_hash(prev, f, hash)) return DB_ERR;
    db_stmt *s = db_prepare(d, "INSERT INTO audit(at, user_id, username, action, entity, entity_id, before, after, prev_hash, hash) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, f->at);
    if (f->user_id > 0) db_bind_int(s, 2, f->user_id); else db_bind_null(s, 2);
    db_bind_text(s, 3, f->username);
    db_bind_text(s, 4, f->action);
    db_bind_text(s, 5, f->entity);
    if (f->entity_id > 0) db_bind_int(s, 6, f->entity_id); else db_bind_null(s, 6);
    db_bind_text(s, 7, f->before);
    db_bind_text(s, 8, f->after);
    db_bind_text(s, 9, prev);
    db_bind_text(s, 10, hash);
    rc = db_exec_stmt(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_audit(db *d, int64_t user_id, const char *username, const char *action,
                const char *entity, int64_t entity_id, const char *before, const char *after)
{
    char now[32];
    db_now_iso(now);
    audit_fields f = {now, username ? username : "", action, entity, before, after,
                      user_id > 0 ? user_id : 0, entity_id > 0 ? entity_id : 0};
    /* Reading the head and appending are one write transaction (joined when the
     * caller is in one), so two entries never link to the same predecessor. */
    return db_txn(d, true, append_txn, &f);
}

int store_audit_verify(db *d, int64_t *checked, int64_t *broken_id, char head[65])
{
    db_stmt *s = db_prepare(d, "SELECT id, at, COALESCE(user_id, 0), username, action, entity, COALESCE(entity_id, 0), "
                               "before, after, prev_hash, hash FROM audit ORDER BY id");
    if (!s) return DB_ERR;
    char prev[65] = "", want[65];
    bool begun = false;
    int rc;
    *checked = 0;
    *broken_id = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *stored_prev = db_col_text_or_null(s, 9), *stored = db_col_text_or_null(s, 10);
        if (!stored && !begun) continue;                 /* written before the chain began */
        begun = true;
        audit_fields f = {db_col_text(s, 1), db_col_text(s, 3), db_col_text(s, 4), db_col_text(s, 5),
                          db_col_text_or_null(s, 7), db_col_text_or_null(s, 8), db_col_int(s, 2), db_col_int(s, 6)};
        bool ok = stored && stored_prev && strcmp(stored_prev, prev) == 0 && chain_hash(prev, &f, want) && strcmp(want, stored) == 0;
        if (!ok) {
            *broken_id = db_col_int(s, 0);
            db_idle(d);
            return DB_OK;
        }
        snprintf(prev, sizeof prev, "%s", stored);
        (*checked)++;
    }
    snprintf(head, 65, "%s", prev);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_audit_list(db *d, const char *entity, int64_t entity_id, audit_fn fn, void *ctx)
{
    db_stmt *s = db_prepare(d, "SELECT id, at, username, action, entity, COALESCE(entity_id,0), before, after "
                               "FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, entity);
    db_bind_int(s, 2, entity_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        audit_row a = {db_col_int(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3),
                       db_col_text(s, 4), db_col_text_or_null(s, 6), db_col_text_or_null(s, 7), db_col_int(s, 5)};
        fn(&a, ctx);
    }
    return rc == DB_DONE ? DB_OK : rc;
}

int store_audit_count(db *d, const char *action)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit WHERE action = ?");
    if (!s) return -1;
    db_bind_text(s, 1, action);
    return db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : -1;
}

int store_audit_count_since(db *d, const char *action, const char *username, const char *since_iso)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit WHERE action = ? AND username = ? AND at >= ?");
    if (!s) return -1;
    db_bind_text(s, 1, action);
    db_bind_text(s, 2, username);
    db_bind_text(s, 3, since_iso);
    return db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : -1;
}
