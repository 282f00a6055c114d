/* SQLite implementation of db.h and engine.h: the only file that knows the
 * engine. A PostgreSQL backend would implement the same two headers in a db_pg.c. */
#include "store/db.h"
#include "store/engine.h"
#include "embed.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STMT_CACHE 96
#define TXN_DEADLINE_SECONDS 5      /* db_txn stops retrying a busy database after this */

struct db_stmt {
    sqlite3_stmt *st;
    struct db *owner;
    uint64_t hash;      /* FNV-1a of the SQL text: the cache key, confirmed with strcmp */
};

struct db {
    sqlite3 *h;
    db_stmt cache[STMT_CACHE];
    int ncache;
    int next_evict;     /* the slot replaced next once the cache is full */
    int depth;          /* transaction nesting (inner db_txn calls join the outer one) */
    bool dirty;         /* the open transaction has written something */
    bool untracked;     /* writes that change no content (session activity) */
    bool read_only;     /* the open transaction is a read-only request's (db_read_begin) */
};

/* Commits that changed data, made by any connection of this process. With each
 * connection's data_version (commits by other processes) it tells caches whether
 * what they hold may be stale; it is bumped only once a write is committed. */
static atomic_uint_fast64_t committed_writes;

static void note_write(db *d)
{
    if (d->untracked) return;
    if (d->depth == 0) atomic_fetch_add(&committed_writes, 1);
    else d->dirty = true;
}

static void note_end(db *d, bool committed)
{
    if (committed && d->dirty) atomic_fetch_add(&committed_writes, 1);
    d->dirty = false;
}

static const char *const migrations[] = {
    "src/store/sql/001_schema.sql",
    "src/store/sql/002_sqlite_fts.sql",
    "src/store/sql/003_calendar.sql",
    "src/store/sql/004_indexes.sql",
    "src/store/sql/005_login_attempts.sql",
    NULL,
};

const char *const *engine_migrations(void) { return migrations; }

const char ENGINE_TASK_SEARCH_SQL[] = "SELECT rowid FROM task_fts WHERE task_fts MATCH ?";

int engine_task_index(db *d, int64_t task_id, const char *folded)
{
    db_stmt *s = db_prepare(d, "DELETE FROM task_fts WHERE rowid = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, task_id);
    if (db_exec_stmt(s) != DB_DONE) return DB_ERR;
    s = db_prepare(d, "INSERT INTO task_fts(rowid, folded) VALUES (?, ?)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, task_id);
    db_bind_text(s, 2, folded);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

size_t engine_match_query(const char *folded, char *out, size_t outlen)
{
    size_t o = 0;
    const char *p = folded;
    if (outlen) out[0] = '\0';
    while (*p) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80)) p++;
        const char *start = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80) p++;
        size_t n = (size_t)(p - start);
        if (n == 0) continue;
        if (o + n + 6 >= outlen) break;
        o += (size_t)snprintf(out + o, outlen - o, "%s\"%.*s\"*", o ? " " : "", (int)n, start);
    }
    return o;
}

static int map_rc(int rc)
{
    switch (rc) {
    case SQLITE_OK: return DB_OK;
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    case SQLITE_BUSY: case SQLITE_LOCKED: return DB_BUSY;
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    default: return DB_ERR;
    }
}

int db_exec(db *d, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(d->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "db: %s\n", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(rc) == DB_OK ? DB_ERR : map_rc(rc);
    }
    return DB_OK;
}

int db_schema_version(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    int v = 0;
    if (s && db_step(s) == DB_ROW) v = (int)db_col_int(s, 0);
    if (s) sqlite3_reset(s->st);        /* an open read would block DDL (DROP TABLE) later */
    return v;
}

static int apply_migrations(db *d, char *err, size_t errlen)
{
    if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)") != DB_OK) {
        snprintf(err, errlen, "cannot create schema_version: %s", db_errmsg(d));
        return -1;
    }
    for (int i = 0; migrations[i]; i++) {
        if (i + 1 <= db_schema_version(d)) continue;
        const char *sql = embed_get(migrations[i], NULL);
        if (!sql) { snprintf(err, errlen, "missing migration %s", migrations[i]); return -1; }
        char now[32];
        db_now_iso(now);
        db_idle(d);
        if (db_exec(d, "BEGIN IMMEDIATE") != DB_OK) {
            snprintf(err, errlen, "migration %s: cannot lock the database: %s", migrations[i], db_errmsg(d));
            return -1;
        }
        if (i + 1 <= db_schema_version(d)) {        /* another process applied it meanwhile */
            db_exec(d, "COMMIT");
            continue;
        }
        if (db_exec(d, sql) != DB_OK) {
            snprintf(err, errlen, "migration %s failed: %s", migrations[i], db_errmsg(d));
            db_exec(d, "ROLLBACK");
            return -1;
        }
        db_stmt *s = db_prepare(d, "INSERT INTO schema_version(version, applied_at) VALUES (?, ?)");
        db_bind_int(s, 1, i + 1);
        db_bind_text(s, 2, now);
        if (db_exec_stmt(s) != DB_DONE || db_exec(d, "COMMIT") != DB_OK) {
            snprintf(err, errlen, "migration %s not recorded: %s", migrations[i], db_errmsg(d));
            db_exec(d, "ROLLBACK");
            return -1;
        }
    }
    return 0;
}

static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

/* Process-wide engine settings, before the first connection: no global memory
 * statistics (their mutex serialises every allocation across worker threads). */
static void engine_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

db *db_open(const char *path, char *err, size_t errlen)
{
    pthread_once(&engine_once, engine_configure);
    db *d = calloc(1, sizeof *d);
    if (!d) { snprintf(err, errlen, "out of memory"); return NULL; }
    int rc = sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
        db_close(d);
        return NULL;
    }
    sqlite3_busy_timeout(d->h, 1000);
    if (db_exec(d, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                   "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-4000;") != DB_OK) {
        snprintf(err, errlen, "cannot configure %s: %s", path, sqlite3_errmsg(d->h));
        db_close(d);
        return NULL;
    }
    if (apply_migrations(d, err, errlen) != 0) {
        db_close(d);
        return NULL;
    }
    db_idle(d);
    return d;
}

void db_close(db *d)
{
    if (!d) return;
    for (int i = 0; i < d->ncache; i++) sqlite3_finalize(d->cache[i].st);
    sqlite3_close(d->h);
    free(d);
}

static uint64_t sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

db_stmt *db_prepare(db *d, const char *sql)
{
    /* Keyed on the text, never the address: callers build SQL in reused buffers. */
    uint64_t h = sql_hash(sql);
    for (int i = 0; i < d->ncache; i++) {
        db_stmt *s = &d->cache[i];
        if (s->hash == h && strcmp(sqlite3_sql(s->st), sql) == 0) {
            sqlite3_reset(s->st);
            sqlite3_clear_bindings(s->st);
            return s;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "db: prepare failed: %s\n  in: %s\n", sqlite3_errmsg(d->h), sql);
        return NULL;
    }
    if (d->ncache < STMT_CACHE) {
        d->cache[d->ncache] = (db_stmt){st, d, h};
        return &d->cache[d->ncache++];
    }
    /* Full: replace one slot in turn, in place, so other slots never move; a
     * statement still being stepped is never the one replaced. */
    db_stmt *slot = &d->cache[d->next_evict];
    for (int tries = 0; tries < STMT_CACHE && sqlite3_stmt_busy(slot->st); tries++) {
        d->next_evict = (d->next_evict + 1) % STMT_CACHE;
        slot = &d->cache[d->next_evict];
    }
    d->next_evict = (d->next_evict + 1) % STMT_CACHE;
    sqlite3_finalize(slot->st);
    *slot = (db_stmt){st, d, h};
    return slot;
}

void db_bind_int(db_stmt *s, int i, int64_t v) { sqlite3_bind_int64(s->st, i, v); }
void db_bind_double(db_stmt *s, int i, double v) { sqlite3_bind_double(s->st, i, v); }
void db_bind_null(db_stmt *s, int i) { sqlite3_bind_null(s->st, i); }
void db_bind_text(db_stmt *s, int i, const char *v)
{
    if (v) sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(s->st, i);
}
void db_bind_blob(db_stmt *s, int i, const void *p, size_t n)
{
    sqlite3_bind_blob(s->st, i, p, (int)n, SQLITE_TRANSIENT);
}

int db_step(db_stmt *s)
{
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_DONE && !sqlite3_stmt_readonly(s->st)) note_write(s->owner);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && map_rc(rc) == DB_ERR)
        fprintf(stderr, "db: step failed: %s\n  in: %s\n", sqlite3_errmsg(sqlite3_db_handle(s->st)), sqlite3_sql(s->st));
    return map_rc(rc);
}

int db_exec_stmt(db_stmt *s)
{
    /* Outside a transaction a write must not run on top of a read snapshot left
     * open by an earlier single-row lookup: it would fail with BUSY_SNAPSHOT
     * whenever another connection committed in between. */
    if (s->owner->depth == 0)
        for (int i = 0; i < s->owner->ncache; i++)
            if (&s->owner->cache[i] != s && sqlite3_stmt_busy(s->owner->cache[i].st)) sqlite3_reset(s->owner->cache[i].st);
    int rc = db_step(s);
    sqlite3_reset(s->st);
    return rc == DB_ROW ? DB_DONE : rc;
}

int64_t db_col_int(db_stmt *s, int i) { return sqlite3_column_int64(s->st, i); }
double db_col_double(db_stmt *s, int i) { return sqlite3_column_double(s->st, i); }
bool db_col_is_null(db_stmt *s, int i) { return sqlite3_column_type(s->st, i) == SQLITE_NULL; }
const char *db_col_text(db_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s->st, i);
    return t ? (const char *)t : "";
}
const char *db_col_text_or_null(db_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s->st, i);
}
char *db_col_dup(db_stmt *s, int i) { return strdup(db_col_text(s, i)); }

int64_t db_data_version(db *d)
{
    db_stmt *s = db_prepare(d, "PRAGMA data_version");
    return s && db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
}

int64_t db_last_id(db *d) { return sqlite3_last_insert_rowid(d->h); }
int db_changes(db *d) { return sqlite3_changes(d->h); }
const char *db_errmsg(db *d) { return sqlite3_errmsg(d->h); }

/* Runs a cached transaction-control statement ("BEGIN", "COMMIT", ...). */
static int control(db *d, const char *sql)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    sqlite3_reset(s->st);
    return rc == DB_DONE ? DB_OK : rc;
}

void db_untracked(db *d, bool on) { d->untracked = on; }

void db_note_change(void) { atomic_fetch_add(&committed_writes, 1); }

int db_read_begin(db *d)
{
    if (d->depth > 0) return DB_ERR;
    db_idle(d);
    if (control(d, "BEGIN") != DB_OK) return DB_ERR;
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
    bool committed = control(d, "COMMIT") == DB_OK;
    if (!committed) control(d, "ROLLBACK");
    note_end(d, committed);
}

db_generation db_current_generation(db *d)
{
    db_generation g = {atomic_load(&committed_writes), db_data_version(d)};
    return g;
}

void db_idle(db *d)
{
    /* A cached statement stepped once and left unreset keeps its read snapshot
     * open; that would make this connection's next write fail with BUSY forever. */
    for (int i = 0; i < d->ncache; i++)
        if (sqlite3_stmt_busy(d->cache[i].st)) sqlite3_reset(d->cache[i].st);
}

int db_txn(db *d, bool write, db_txn_fn fn, void *ctx)
{
    if (d->depth > 0) {
        if (write && d->read_only) {          /* a GET's read transaction cannot safely become a writer */
            fprintf(stderr, "db: write transaction requested inside a read-only request\n");
            return DB_ERR;
        }
        /* Join the running transaction; a savepoint undoes this part alone if it fails. */
        if (control(d, "SAVEPOINT nested") != DB_OK) return DB_ERR;
        d->depth++;
        int rc = fn(d, ctx);
        d->depth--;
        if (rc != DB_OK) control(d, "ROLLBACK TO nested");
        control(d, "RELEASE nested");
        return rc;
    }
    int rc = DB_BUSY;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int attempt = 0; rc == DB_BUSY; attempt++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (attempt && now.tv_sec - start.tv_sec >= TXN_DEADLINE_SECONDS) break;   /* give up: 503 upstream */
        if (attempt) usleep((useconds_t)(1000 * (attempt < 10 ? attempt : 10)));
        db_idle(d);
        rc = db_exec(d, write ? "BEGIN IMMEDIATE" : "BEGIN");
        if (rc != DB_OK) continue;
        d->depth = 1;
        rc = fn(d, ctx);
        d->depth = 0;
        if (rc == DB_OK) {
            rc = db_exec(d, "COMMIT");
            if (rc == DB_OK) { note_end(d, true); return DB_OK; }
        }
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
        note_end(d, false);
    }
    return rc;
}

int db_backup(db *d, const char *dest_path, char *err, size_t errlen)
{
    /* The copy holds password, session and token hashes: readable by the owner only. */
    int fd = open(dest_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        snprintf(err, errlen, "cannot create %s: %s", dest_path, strerror(errno));
        if (fd >= 0) close(fd);
        return DB_ERR;
    }
    close(fd);
    sqlite3 *dest = NULL;
    if (sqlite3_open(dest_path, &dest) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", dest_path, dest ? sqlite3_errmsg(dest) : "?");
        sqlite3_close(dest);
        return DB_ERR;
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", d->h, "main");
    int rc = SQLITE_ERROR;
    if (b) {
        do {
            rc = sqlite3_backup_step(b, 256);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
    }
    if (rc != SQLITE_DONE) snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dest));
    sqlite3_close(dest);
    return rc == SQLITE_DONE ? DB_OK : DB_ERR;
}

int64_t db_now(void) { return (int64_t)time(NULL); }

void db_now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
