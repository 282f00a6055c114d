/* Engine-neutral half of db.h and engine.h: picks the engine from the location,
 * runs migrations and transactions (with retries), and keeps the cache
 * generations. The engines are db_sqlite.c (a file path) and db_pg.c (a
 * postgres:// URL); they implement db_engine.h. */
#include "store/db.h"
#include "store/db_engine.h"
#include "store/engine.h"
#include "embed.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TXN_DEADLINE_SECONDS 5      /* db_txn stops retrying a busy database after this */

/* Commits that changed data, made by any connection of this process. With each
 * connection's data_version (commits by other connections) it tells caches
 * whether what they hold may be stale; it is bumped only once a write is committed. */
static atomic_uint_fast64_t committed_writes;

void db_note_write(db *d)
{
    if (d->untracked) return;
    if (d->depth == 0) atomic_fetch_add(&committed_writes, 1);
    else d->dirty = true;
}

void db_note_end(db *d, bool committed)
{
    if (committed && d->dirty) atomic_fetch_add(&committed_writes, 1);
    d->dirty = false;
}

static atomic_int commits_to_fail;

#ifdef CCHC_TEST_HOOKS
void db_test_fail_commits(int n) { atomic_store(&commits_to_fail, n); }
#endif

bool db_test_commit_fails(void)
{
    int n = atomic_load(&commits_to_fail);
    while (n > 0 && !atomic_compare_exchange_weak(&commits_to_fail, &n, n - 1)) { }
    return n > 0;
}

bool db_is_url(const char *location)
{
    return location && (strncmp(location, "postgres://", 11) == 0 || strncmp(location, "postgresql://", 13) == 0);
}

db *db_open(const char *location, char *err, size_t errlen)
{
    db *d = db_is_url(location) ? db_pg_open(location, false, err, errlen) : db_sqlite_open(location, false, err, errlen);
    if (!d) return NULL;
    if (db_apply_migrations(d, err, errlen) != 0 ||
        (d->eng->after_migrations && d->eng->after_migrations(d, err, errlen) != 0)) {
        db_close(d);
        return NULL;
    }
    db_idle(d);
    return d;
}

db *db_open_readonly(const char *location, char *err, size_t errlen)
{
    db *d = db_is_url(location) ? db_pg_open(location, true, err, errlen) : db_sqlite_open(location, true, err, errlen);
    if (!d) return NULL;
    int count = 0;
    while (d->eng->migrations[count]) count++;
    d->quiet = true;
    int v = db_schema_version(d);
    d->quiet = false;
    if (v != count) {
        snprintf(err, errlen, "%s has schema version %d, this cchc needs %d (open it once with this cchc to upgrade it)",
                 location, v, count);
        db_close(d);
        return NULL;
    }
    if (d->eng->after_migrations && d->eng->after_migrations(d, err, errlen) != 0) { db_close(d); return NULL; }
    db_idle(d);
    return d;
}

void db_close(db *d)
{
    if (d) d->eng->close(d);
}

const char *db_engine_name(db *d) { return d->eng->name; }
bool db_lost(db *d) { return !d || (d->eng->lost && d->eng->lost(d)); }

int db_schema_version(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    int v = 0;
    if (s && db_step(s) == DB_ROW) v = (int)db_col_int(s, 0);
    if (s) d->eng->reset(s);        /* an open read would block DDL (DROP TABLE) later */
    return v;
}

/* Runs the scripts of one migration entry: embedded paths separated by spaces
 * (a portable script and, where the engine needs more, its own). */
static int run_scripts(db *d, const char *entry, char *err, size_t errlen)
{
    char name[200];
    for (const char *p = entry; *p;) {
        size_t n = strcspn(p, " ");
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        p += n;
        while (*p == ' ') p++;
        const char *portable = embed_get(name, NULL);
        if (!portable) { snprintf(err, errlen, "missing migration %s", name); return -1; }
        char *sql = d->eng->migration_sql(portable);
        if (!sql) { snprintf(err, errlen, "out of memory"); return -1; }
        int rc = db_exec(d, sql);
        free(sql);
        if (rc != DB_OK) { snprintf(err, errlen, "migration %s failed: %s", name, db_errmsg(d)); return -1; }
    }
    return 0;
}

/* Applies migration number n (1-based) inside the caller's locked transaction. */
static int apply_one(db *d, int n, char *err, size_t errlen)
{
    const char *name = d->eng->migrations[n - 1];
    if (run_scripts(d, name, err, errlen) != 0) return -1;
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO schema_version(version, applied_at) VALUES (?, ?)");
    if (!s) { snprintf(err, errlen, "migration %s not recorded: %s", name, db_errmsg(d)); return -1; }
    db_bind_int(s, 1, n);
    db_bind_text(s, 2, now);
    if (db_exec_stmt(s) != DB_DONE) { snprintf(err, errlen, "migration %s not recorded: %s", name, db_errmsg(d)); return -1; }
    return 0;
}

int db_apply_migrations(db *d, char *err, size_t errlen)
{
    int count = 0;
    while (d->eng->migrations[count]) count++;
    d->quiet = true;            /* a new database has no schema_version yet */
    db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    int current = s && db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : -1;
    if (s) d->eng->reset(s);
    d->quiet = false;
    if (current >= count) return 0;             /* up to date: no lock, no write */
    /* One migration per transaction, each under the engine's migration lock, so
     * two processes starting together apply every script exactly once. */
    for (;;) {
        db_idle(d);
        if (d->eng->control(d, d->eng->begin_migration) != DB_OK) {
            snprintf(err, errlen, "cannot lock the database for migrations: %s", db_errmsg(d));
            return -1;
        }
        if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)") != DB_OK) {
            snprintf(err, errlen, "cannot create schema_version: %s", db_errmsg(d));
            d->eng->control(d, "ROLLBACK");
            return -1;
        }
        int v = db_schema_version(d);
        if (v >= count) return d->eng->control(d, "COMMIT") == DB_OK ? 0 : -1;
        if (apply_one(d, v + 1, err, errlen) != 0) {
            d->eng->control(d, "ROLLBACK");
            return -1;
        }
        if (d->eng->control(d, "COMMIT") != DB_OK) {
            snprintf(err, errlen, "migration %d not committed: %s", v + 1, db_errmsg(d));
            d->eng->control(d, "ROLLBACK");
            return -1;
        }
    }
}

db_stmt *db_prepare(db *d, const char *sql) { return d->eng->prepare(d, sql); }
void db_bind_int(db_stmt *s, int i, int64_t v) { s->owner->eng->bind_int(s, i, v); }
void db_bind_double(db_stmt *s, int i, double v) { s->owner->eng->bind_double(s, i, v); }
void db_bind_text(db_stmt *s, int i, const char *v) { s->owner->eng->bind_text(s, i, v); }
void db_bind_blob(db_stmt *s, int i, const void *p, size_t n) { s->owner->eng->bind_blob(s, i, p, n); }
void db_bind_null(db_stmt *s, int i) { s->owner->eng->bind_null(s, i); }
int db_step(db_stmt *s) { return s->owner->eng->step(s); }

int db_exec_stmt(db_stmt *s)
{
    /* Outside a transaction a write must not run on top of a read left open by an
     * earlier single-row look-up (on SQLite it would hold an old snapshot). */
    if (s->owner->depth == 0) s->owner->eng->idle(s->owner);
    int rc = db_step(s);
    s->owner->eng->reset(s);
    return rc == DB_ROW ? DB_DONE : rc;
}

int64_t db_col_int(db_stmt *s, int i) { return s->owner->eng->col_int(s, i); }
double db_col_double(db_stmt *s, int i) { return s->owner->eng->col_double(s, i); }
bool db_col_is_null(db_stmt *s, int i) { return s->owner->eng->col_text(s, i) == NULL; }
const char *db_col_text(db_stmt *s, int i)
{
    const char *t = s->owner->eng->col_text(s, i);
    return t ? t : "";
}
const char *db_col_text_or_null(db_stmt *s, int i) { return s->owner->eng->col_text(s, i); }
char *db_col_dup(db_stmt *s, int i) { return strdup(db_col_text(s, i)); }
int db_col_count(db_stmt *s) { return s->owner->eng->col_count(s); }
const char *db_col_name(db_stmt *s, int i) { return s->owner->eng->col_name(s, i); }
int db_col_type(db_stmt *s, int i) { return s->owner->eng->col_type(s, i); }
int db_sync_ids(db *d) { return d->eng->sync_ids ? d->eng->sync_ids(d) : DB_OK; }

int db_exec(db *d, const char *sql) { return d->eng->exec(d, sql); }
int64_t db_data_version(db *d) { return d->eng->data_version(d); }
int64_t db_last_id(db *d) { return d->eng->last_id(d); }
int db_changes(db *d) { return d->eng->changes(d); }
const char *db_errmsg(db *d) { return d->eng->errmsg(d); }
void db_idle(db *d) { d->eng->idle(d); }
void db_untracked(db *d, bool on) { d->untracked = on; }
void db_note_change(void) { atomic_fetch_add(&committed_writes, 1); }

db_generation db_current_generation(db *d)
{
    db_generation g = {atomic_load(&committed_writes), db_data_version(d)};
    return g;
}

int db_read_begin(db *d)
{
    if (d->depth > 0) return DB_ERR;
    db_idle(d);
    int rc = d->eng->read_begin ? d->eng->read_begin(d) : d->eng->control(d, d->eng->begin_read);
    if (rc != DB_OK) return DB_ERR;
    d->depth = 1;
    d->read_only = true;
    return DB_OK;
}

void db_read_end(db *d)
{
    if (d->depth != 1) return;
    d->depth = 0;
    d->read_only = false;
    db_idle(d);
    if (d->eng->read_end) { d->eng->read_end(d); db_note_end(d, true); return; }
    bool committed = d->eng->control(d, "COMMIT") == DB_OK;
    if (!committed) d->eng->control(d, "ROLLBACK");
    db_note_end(d, committed);
}

/* Runs fn inside the transaction already open on d, in a savepoint. */
static int txn_nested(db *d, bool write, db_txn_fn fn, void *ctx)
{
    if (write && d->read_only) {          /* a GET's read transaction cannot safely become a writer */
        fprintf(stderr, "db: write transaction requested inside a read-only request\n");
        return DB_ERR;
    }
    if (d->eng->control(d, "SAVEPOINT nested") != DB_OK) return DB_ERR;
    d->depth++;
    int rc = fn(d, ctx);
    d->depth--;
    if (rc != DB_OK) d->eng->control(d, "ROLLBACK TO SAVEPOINT nested");
    d->eng->control(d, "RELEASE SAVEPOINT nested");
    return rc;
}

int db_txn(db *d, bool write, db_txn_fn fn, void *ctx)
{
    if (d->depth > 0) return txn_nested(d, write, fn, ctx);
    if (write && d->eng->write_txn) return d->eng->write_txn(d, fn, ctx);
    int rc = DB_BUSY;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int attempt = 0; rc == DB_BUSY; attempt++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (attempt && now.tv_sec - start.tv_sec >= TXN_DEADLINE_SECONDS) break;   /* give up: 503 upstream */
        if (attempt) usleep((useconds_t)(1000 * (attempt < 10 ? attempt : 10)));
        db_idle(d);
        d->retry = false;
        rc = d->eng->control(d, write ? d->eng->begin_write : d->eng->begin_read);
        if (rc != DB_OK) continue;
        d->depth = 1;
        rc = fn(d, ctx);
        d->depth = 0;
        if (rc == DB_OK) {
            rc = db_test_commit_fails() ? DB_ERR : d->eng->control(d, "COMMIT");
            if (rc == DB_OK) { db_note_end(d, true); return DB_OK; }
        }
        /* A conflict seen by any statement (a serialization failure, a deadlock)
         * reruns the whole transaction, whatever fn made of the error. */
        if (rc != DB_OK && d->retry) rc = DB_BUSY;
        d->eng->control(d, "ROLLBACK");
        db_note_end(d, false);
    }
    return rc;
}

int db_restore(const char *location, const char *backup_file, bool force, char *err, size_t errlen)
{
    return db_is_url(location) ? db_pg_restore(location, backup_file, force, err, errlen)
                               : db_sqlite_restore(location, backup_file, force, err, errlen);
}

int db_backup(db *d, const char *dest_path, char *err, size_t errlen)
{
    return d->eng->backup(d, dest_path, err, errlen);
}

const char *engine_task_search_sql(db *d) { return d->eng->task_search_sql; }
size_t engine_match_query(db *d, const char *folded, char *out, size_t outlen)
{
    return d->eng->match_query(folded, out, outlen);
}

int engine_task_index(db *d, int64_t task_id, const char *folded)
{
    return d->eng->task_index(d, task_id, folded);
}

static _Atomic int64_t test_clock_offset;      /* seconds added to the real clock (test builds) */

#ifdef CCHC_TEST_HOOKS
void db_test_advance_clock(int64_t seconds) { atomic_fetch_add(&test_clock_offset, seconds); }
#endif

int64_t db_now(void) { return (int64_t)time(NULL) + atomic_load(&test_clock_offset); }

void db_now_iso(char out[32])
{
    time_t t = (time_t)db_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
