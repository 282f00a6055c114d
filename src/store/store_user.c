/* Users, sessions, tokens, throttling (see store_user.h). */
#include "store/store_user.h"
#include "store/store_util.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define USER_COLS "u.id, u.username, u.full_name, u.role, COALESCE(u.unit_id, 0), COALESCE(n.name, ''), " \
                  "u.password_hash, u.active, u.created_at FROM users u LEFT JOIN units n ON n.id = u.unit_id "

static void read_user(db_stmt *s, user_row *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_col_int(s, 0);
    store_copy_text(u->username, sizeof u->username, db_col_text(s, 1));
    store_copy_text(u->full_name, sizeof u->full_name, db_col_text(s, 2));
    u->role = role_parse(db_col_text(s, 3));
    u->unit_id = db_col_int(s, 4);
    store_copy_text(u->unit_name, sizeof u->unit_name, db_col_text(s, 5));
    store_copy_text(u->password_hash, sizeof u->password_hash, db_col_text(s, 6));
    u->active = db_col_int(s, 7) != 0;
    store_copy_text(u->created_at, sizeof u->created_at, db_col_text(s, 8));
}

int64_t store_user_add(db *d, const char *username, const char *full_name, role r,
                       int64_t unit_id, const char *password_hash)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO users(username, full_name, role, unit_id, password_hash, created_at) VALUES (?,?,?,?,?,?)");
    if (!s) return -1;
    db_bind_text(s, 1, username);
    db_bind_text(s, 2, full_name);
    db_bind_text(s, 3, role_id(r));
    if (unit_id > 0) db_bind_int(s, 4, unit_id); else db_bind_null(s, 4);
    db_bind_text(s, 5, password_hash);
    db_bind_text(s, 6, now);
    int rc = db_exec_stmt(s);
    if (rc == DB_CONSTRAINT) return 0;
    return rc == DB_DONE ? db_last_id(d) : -1;
}

bool store_user_by_name(db *d, const char *username, user_row *out)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS "WHERE u.username = ?");
    if (!s) return false;
    db_bind_text(s, 1, username);
    bool found = db_step(s) == DB_ROW;
    if (found) read_user(s, out);
    return found;
}

bool store_user_by_id(db *d, int64_t id, user_row *out)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS "WHERE u.id = ?");
    if (!s) return false;
    db_bind_int(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    if (found) read_user(s, out);
    return found;
}

bool store_user_set_password(db *d, int64_t id, const char *hash)
{
    db_stmt *s = db_prepare(d, "UPDATE users SET password_hash = ? WHERE id = ?");
    if (!s) return false;
    db_bind_text(s, 1, hash);
    db_bind_int(s, 2, id);
    return db_exec_stmt(s) == DB_DONE && db_changes(d) == 1;
}

bool store_user_update(db *d, int64_t id, const char *full_name, role r, int64_t unit_id, bool active)
{
    db_stmt *s = db_prepare(d, "UPDATE users SET full_name = ?, role = ?, unit_id = ?, active = ? WHERE id = ?");
    if (!s) return false;
    db_bind_text(s, 1, full_name);
    db_bind_text(s, 2, role_id(r));
    if (unit_id > 0) db_bind_int(s, 3, unit_id); else db_bind_null(s, 3);
    db_bind_int(s, 4, active);
    db_bind_int(s, 5, id);
    return db_exec_stmt(s) == DB_DONE && db_changes(d) == 1;
}

int store_user_list(db *d, user_fn fn, void *ctx)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS "ORDER BY u.username");
    if (!s) return DB_ERR;
    user_row u;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        read_user(s, &u);
        fn(&u, ctx);
    }
    return rc == DB_DONE ? DB_OK : rc;
}

int64_t store_session_add(db *d, const char *token_hash, int64_t user_id, const char *csrf, int64_t now)
{
    db_stmt *s = db_prepare(d, "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, last_seen) VALUES (?,?,?,?,?)");
    if (!s) return -1;
    db_bind_text(s, 1, token_hash);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, csrf);
    db_bind_int(s, 4, now);
    db_bind_int(s, 5, now);
    return db_exec_stmt(s) == DB_DONE ? db_last_id(d) : -1;
}

int64_t store_session_lookup(db *d, const char *token_hash, int64_t now, int64_t idle, int64_t absolute,
                             user_row *u, char csrf[48], int64_t *last_seen_out)
{
    db_stmt *s = db_prepare(d, "SELECT s.id, s.csrf_token, s.last_seen, s.user_id FROM sessions s "
                               "JOIN users u ON u.id = s.user_id "
                               "WHERE s.token_hash = ? AND u.active = 1 AND s.last_seen > ? AND s.created_at > ?");
    if (!s) return 0;
    db_bind_text(s, 1, token_hash);
    db_bind_int(s, 2, now - idle);
    db_bind_int(s, 3, now - absolute);
    if (db_step(s) != DB_ROW) return 0;
    int64_t sid = db_col_int(s, 0);
    store_copy_text(csrf, 48, db_col_text(s, 1));
    int64_t last_seen = db_col_int(s, 2), uid = db_col_int(s, 3);
    if (!store_user_by_id(d, uid, u)) return 0;
    if (last_seen_out) *last_seen_out = last_seen;
    return sid;
}

void store_session_touch(db *d, int64_t session_id, int64_t now)
{
    db_stmt *t = db_prepare(d, "UPDATE sessions SET last_seen = ? WHERE id = ?");
    if (!t) return;
    db_bind_int(t, 1, now);
    db_bind_int(t, 2, session_id);
    db_untracked(d, true);          /* session activity changes no page content */
    db_exec_stmt(t);
    db_untracked(d, false);
}

void store_session_delete(db *d, int64_t session_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE id = ?");
    if (!s) return;
    db_bind_int(s, 1, session_id);
    db_exec_stmt(s);
}

int store_session_delete_user(db *d, int64_t user_id, int64_t keep_session_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE user_id = ? AND id <> ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, keep_session_id);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

int store_token_revoke_user(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "UPDATE api_tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

int store_session_purge(db *d, int64_t now, int64_t idle, int64_t absolute)
{
    db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE last_seen <= ? OR created_at <= ?");
    if (!s) return 0;
    db_bind_int(s, 1, now - idle);
    db_bind_int(s, 2, now - absolute);
    return db_exec_stmt(s) == DB_DONE ? db_changes(d) : 0;
}

int64_t store_token_add(db *d, int64_t user_id, const char *name, const char *token_hash)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO api_tokens(user_id, name, token_hash, created_at) VALUES (?,?,?,?)");
    if (!s) return -1;
    db_bind_int(s, 1, user_id);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, token_hash);
    db_bind_text(s, 4, now);
    return db_exec_stmt(s) == DB_DONE ? db_last_id(d) : -1;
}

bool store_token_lookup(db *d, const char *token_hash, user_row *u, int64_t *token_id, bool *stale)
{
    char cutoff[32];
    time_t t = (time_t)db_now() - 60;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%SZ", &tm);
    db_stmt *s = db_prepare(d, "SELECT t.user_id, t.id, COALESCE(t.last_used, '') < ? FROM api_tokens t "
                               "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked = 0 AND u.active = 1");
    if (!s) return false;
    db_bind_text(s, 1, cutoff);
    db_bind_text(s, 2, token_hash);
    if (db_step(s) != DB_ROW) return false;
    int64_t uid = db_col_int(s, 0);
    if (token_id) *token_id = db_col_int(s, 1);
    if (stale) *stale = db_col_int(s, 2) != 0;
    return store_user_by_id(d, uid, u);
}

void store_token_touch(db *d, int64_t token_id)
{
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "UPDATE api_tokens SET last_used = ? WHERE id = ?");
    if (!s) return;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, token_id);
    db_untracked(d, true);          /* token activity changes no page content */
    db_exec_stmt(s);
    db_untracked(d, false);
}

bool store_token_revoke(db *d, int64_t user_id, int64_t token_id)
{
    db_stmt *s = db_prepare(d, "UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?");
    if (!s) return false;
    db_bind_int(s, 1, token_id);
    db_bind_int(s, 2, user_id);
    return db_exec_stmt(s) == DB_DONE && db_changes(d) == 1;
}

int store_token_list(db *d, int64_t user_id, token_fn fn, void *ctx)
{
    db_stmt *s = db_prepare(d, "SELECT id, name, created_at, COALESCE(last_used,'') FROM api_tokens "
                               "WHERE user_id = ? AND revoked = 0 ORDER BY id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW)
        fn(db_col_int(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3), ctx);
    return rc == DB_DONE ? DB_OK : rc;
}

int64_t store_login_failure(db *d, const char *key, int64_t now)
{
    db_stmt *s = db_prepare(d, "INSERT INTO login_attempts(key, at) VALUES (?, ?)");
    if (!s) return 0;
    db_bind_text(s, 1, key);
    db_bind_int(s, 2, now);
    return db_exec_stmt(s) == DB_DONE ? db_last_id(d) : 0;
}

void store_login_forget(db *d, int64_t failure_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM login_attempts WHERE id = ?");
    if (!s || failure_id <= 0) return;
    db_bind_int(s, 1, failure_id);
    db_exec_stmt(s);
}

int store_login_failures_since(db *d, const char *key, int64_t since, int64_t *oldest)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_attempts WHERE key = ? AND at > ?");
    if (!s) return 0;
    db_bind_text(s, 1, key);
    db_bind_int(s, 2, since);
    if (db_step(s) != DB_ROW) return 0;
    if (oldest) *oldest = db_col_int(s, 1);
    return (int)db_col_int(s, 0);
}

int store_login_newest(db *d, const char *key, int64_t now, int64_t *at)
{
    /* The newest attempt but the caller's own (which has the greatest id). */
    db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(at), 0) FROM login_attempts WHERE key = ? AND at <= ? "
                               "AND id < (SELECT MAX(id) FROM login_attempts WHERE key = ?)");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, key);
    db_bind_int(s, 2, now);
    db_bind_text(s, 3, key);
    if (db_step(s) != DB_ROW) return DB_ERR;
    *at = db_col_int(s, 0);
    db_step(s);
    return DB_OK;
}

void store_login_purge(db *d, int64_t before)
{
    db_stmt *s = db_prepare(d, "DELETE FROM login_attempts WHERE at < ?");
    if (!s) return;
    db_bind_int(s, 1, before);
    db_exec_stmt(s);
}

void store_login_clear(db *d, const char *key)
{
    db_stmt *s = db_prepare(d, "DELETE FROM login_attempts WHERE key = ?");
    if (!s) return;
    db_bind_text(s, 1, key);
    db_exec_stmt(s);
}

typedef struct {
    const char *name;
    const unsigned char *candidate;
    unsigned char *out;
} secret_call;

static int hexval(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

/* Inserts the candidate unless the secret exists, then reads what is stored. */
static int secret_txn(db *d, void *ctx)
{
    secret_call *c = ctx;
    char hex[65], now[32];
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", c->candidate[i]);
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO server_secrets(name, value, created_at) VALUES (?,?,?) ON CONFLICT (name) DO NOTHING");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, c->name);
    db_bind_text(s, 2, hex);
    db_bind_text(s, 3, now);
    if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    return store_server_secret_get(d, c->name, c->out) == DB_OK ? DB_OK : DB_ERR;
}

int store_server_secret_get(db *d, const char *name, unsigned char out[32])
{
    db_stmt *s = db_prepare(d, "SELECT value FROM server_secrets WHERE name = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, name);
    int rc = db_step(s);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_DONE : DB_ERR;
    const char *v = db_col_text(s, 0);
    if (strlen(v) != 64) return DB_ERR;
    for (int i = 0; i < 32; i++) {
        int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);
        if (hi < 0 || lo < 0) return DB_ERR;
        out[i] = (unsigned char)(hi * 16 + lo);
    }
    db_step(s);
    return DB_OK;
}

int store_server_secret(db *d, const char *name, const unsigned char candidate[32], unsigned char out[32])
{
    secret_call c = {name, candidate, out};
    return db_txn(d, true, secret_txn, &c);
}
