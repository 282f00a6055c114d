/* Audit trail (see store_audit.h). */
#include "store/store_audit.h"

int store_audit(db *d, int64_t user_id, const char *username, const char *action,
                const char *entity, int64_t entity_id, const char *before, const char *after)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO audit(at, user_id, username, action, entity, entity_id, before, after) "
                               "VALUES (?,?,?,?,?,?,?,?)");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, now);
    if (user_id > 0) db_bind_int(s, 2, user_id); else db_bind_null(s, 2);
    db_bind_text(s, 3, username ? username : "");
    db_bind_text(s, 4, action);
    db_bind_text(s, 5, entity);
    if (entity_id > 0) db_bind_int(s, 6, entity_id); else db_bind_null(s, 6);
    db_bind_text(s, 7, before);
    db_bind_text(s, 8, after);
    int rc = db_exec_stmt(s);
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
