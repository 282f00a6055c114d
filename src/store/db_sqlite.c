/* SQLite engine (db_engine.h): the embedded default, one file per department.
 *
 * Durability: synchronous=FULL, so a commit is on disk (the WAL fsynced) before
 * db_txn returns, and a request is answered only after that.
 *
 * Group commit: every write transaction of the process (db_txn with write) is
 * handed to one writer thread per database file, with its own connection. The
 * writer takes the transactions that arrived together, runs each in its own
 * SAVEPOINT inside one BEGIN IMMEDIATE (a failing one rolls back to its savepoint
 * alone), COMMITs once (one fsync for the group) and wakes each caller with its
 * own result. The write lock is taken at BEGIN, so a read-modify-write never
 * races another writer; readers see WAL snapshots. Another process writing (the
 * CLI) waits for the lock: busy timeout plus db_txn's retries. */
#include "store/db_engine.h"
#include "store/engine.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STMT_CACHE 96

typedef struct {
    db_stmt base;
    sqlite3_stmt *st;
    uint64_t hash;      /* FNV-1a of the SQL text: the cache key, confirmed with strcmp */
} lite_stmt;

typedef struct writer writer;

typedef struct {
    db base;
    sqlite3 *h;
    lite_stmt cache[STMT_CACHE];
    int ncache;
    int next_evict;     /* the slot replaced next once the cache is full */
    char *path;         /* the file, to find its writer */
    writer *w;          /* the group-commit writer of the file, once this connection wrote */
    bool is_writer;     /* this is a writer's own connection */
} lite_db;

static const char *const migrations[] = {
    "src/store/sql/001_schema.sql",
    "src/store/sql/002_sqlite_fts.sql",
    "src/store/sql/003_calendar.sql",
    "src/store/sql/004_indexes.sql",
    "src/store/sql/005_login_attempts.sql",
    "src/store/sql/006_task_search.sql",
    "src/store/sql/007_server_secrets.sql",
    "src/store/sql/008_audit_chain.sql",
    "src/store/sql/009_sqlite_roles.sql src/store/sql/009_onestop.sql",
    NULL,
};

static lite_db *L(db *d) { return (lite_db *)d; }
static sqlite3_stmt *ST(db_stmt *s) { return ((lite_stmt *)s)->st; }

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

static char *lite_migration_sql(const char *portable) { return strdup(portable); }

static int lite_exec(db *d, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(L(d)->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "db: %s\n", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(rc) == DB_OK ? DB_ERR : map_rc(rc);
    }
    return DB_OK;
}

static void writer_release(writer *w);

static void lite_close(db *d)
{
    lite_db *l = L(d);
    if (l->w) writer_release(l->w);
    for (int i = 0; i < l->ncache; i++) sqlite3_finalize(l->cache[i].st);
    sqlite3_close(l->h);
    free(l->path);
    free(l);
}

static uint64_t sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static db_stmt *lite_prepare(db *d, const char *sql)
{
    lite_db *l = L(d);
    /* Keyed on the text, never the address: callers build SQL in reused buffers. */
    uint64_t h = sql_hash(sql);
    for (int i = 0; i < l->ncache; i++) {
        lite_stmt *s = &l->cache[i];
        if (s->hash == h && strcmp(sqlite3_sql(s->st), sql) == 0) {
            sqlite3_reset(s->st);
            sqlite3_clear_bindings(s->st);
            return &s->base;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->h, sql, -1, &st, NULL) != SQLITE_OK) {
        if (!d->quiet) fprintf(stderr, "db: prepare failed: %s\n  in: %s\n", sqlite3_errmsg(l->h), sql);
        return NULL;
    }
    if (l->ncache < STMT_CACHE) {
        l->cache[l->ncache] = (lite_stmt){{d}, st, h};
        return &l->cache[l->ncache++].base;
    }
    /* Full: replace one slot in turn, in place, so other slots never move; a
     * statement still being stepped is never the one replaced. */
    lite_stmt *slot = &l->cache[l->next_evict];
    for (int tries = 0; tries < STMT_CACHE && sqlite3_stmt_busy(slot->st); tries++) {
        l->next_evict = (l->next_evict + 1) % STMT_CACHE;
        slot = &l->cache[l->next_evict];
    }
    l->next_evict = (l->next_evict + 1) % STMT_CACHE;
    sqlite3_finalize(slot->st);
    *slot = (lite_stmt){{d}, st, h};
    return &slot->base;
}

static void lite_bind_int(db_stmt *s, int i, int64_t v) { sqlite3_bind_int64(ST(s), i, v); }
static void lite_bind_double(db_stmt *s, int i, double v) { sqlite3_bind_double(ST(s), i, v); }
static void lite_bind_null(db_stmt *s, int i) { sqlite3_bind_null(ST(s), i); }
static void lite_bind_text(db_stmt *s, int i, const char *v)
{
    if (v) sqlite3_bind_text(ST(s), i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(ST(s), i);
}
static void lite_bind_blob(db_stmt *s, int i, const void *p, size_t n)
{
    sqlite3_bind_blob(ST(s), i, p, (int)n, SQLITE_TRANSIENT);
}

static int lite_step(db_stmt *s)
{
    int rc = sqlite3_step(ST(s));
    if (rc == SQLITE_DONE && !sqlite3_stmt_readonly(ST(s))) db_note_write(s->owner);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && map_rc(rc) == DB_ERR)
        fprintf(stderr, "db: step failed: %s\n  in: %s\n", sqlite3_errmsg(sqlite3_db_handle(ST(s))), sqlite3_sql(ST(s)));
    return map_rc(rc);
}

static void lite_reset(db_stmt *s) { sqlite3_reset(ST(s)); }
static int64_t lite_col_int(db_stmt *s, int i) { return sqlite3_column_int64(ST(s), i); }
static double lite_col_double(db_stmt *s, int i) { return sqlite3_column_double(ST(s), i); }
static const char *lite_col_text(db_stmt *s, int i) { return (const char *)sqlite3_column_text(ST(s), i); }
static int lite_col_count(db_stmt *s) { return sqlite3_column_count(ST(s)); }
static const char *lite_col_name(db_stmt *s, int i) { return sqlite3_column_name(ST(s), i); }
static int lite_col_type(db_stmt *s, int i)
{
    switch (sqlite3_column_type(ST(s), i)) {
    case SQLITE_INTEGER: return DB_T_INT;
    case SQLITE_FLOAT: return DB_T_REAL;
    case SQLITE_NULL: return DB_T_NULL;
    default: return DB_T_TEXT;
    }
}

/* Runs a cached transaction-control statement ("BEGIN", "COMMIT", ...). */
static int lite_control(db *d, const char *sql)
{
    db_stmt *s = lite_prepare(d, sql);
    if (!s) return DB_ERR;
    int rc = lite_step(s);
    sqlite3_reset(ST(s));
    return rc == DB_DONE ? DB_OK : rc;
}

static int64_t lite_data_version(db *d)
{
    db_stmt *s = lite_prepare(d, "PRAGMA data_version");
    return s && lite_step(s) == DB_ROW ? lite_col_int(s, 0) : -1;
}

static int64_t lite_last_id(db *d) { return sqlite3_last_insert_rowid(L(d)->h); }
static int lite_changes(db *d) { return sqlite3_changes(L(d)->h); }
static const char *lite_errmsg(db *d) { return sqlite3_errmsg(L(d)->h); }

static void lite_idle(db *d)
{
    /* A cached statement stepped once and left unreset keeps its read snapshot
     * open; that would make this connection's next write fail with BUSY forever. */
    lite_db *l = L(d);
    for (int i = 0; i < l->ncache; i++)
        if (sqlite3_stmt_busy(l->cache[i].st)) sqlite3_reset(l->cache[i].st);
}

/* Copies the whole of src into dst with the online backup API, waiting out
 * writers; SQLITE_DONE on success. */
static int copy_database(sqlite3 *src, sqlite3 *dst)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    int rc = SQLITE_ERROR;
    if (!b) return rc;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    return rc;
}

static int lite_backup(db *d, const char *dest_path, char *err, size_t errlen)
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
    int rc = copy_database(L(d)->h, dest);
    if (rc != SQLITE_DONE) snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dest));
    sqlite3_close(dest);
    return rc == SQLITE_DONE ? DB_OK : DB_ERR;
}

/* True when the SQLite file at path holds cchc data (a schema_version row). */
static bool holds_data(const char *path)
{
    sqlite3 *h = NULL;
    bool yes = false;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        yes = sqlite3_prepare_v2(h, "SELECT 1 FROM schema_version LIMIT 1", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return yes;
}

int db_sqlite_restore(const char *path, const char *backup_file, bool force, char *err, size_t errlen)
{
    if (!holds_data(backup_file)) {
        snprintf(err, errlen, "%s is not a cchc SQLite backup", backup_file);
        return DB_ERR;
    }
    if (!force && access(path, F_OK) == 0 && holds_data(path)) {
        snprintf(err, errlen, "%s already holds a database; restoring would overwrite it (add --force, with the server stopped)", path);
        return DB_CONSTRAINT;
    }
    sqlite3 *src = NULL, *dst = NULL;
    int rc = sqlite3_open_v2(backup_file, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) chmod(path, 0600);
    rc = rc == SQLITE_OK ? copy_database(src, dst) : SQLITE_ERROR;
    if (rc != SQLITE_DONE) snprintf(err, errlen, "restore failed: %s", dst ? sqlite3_errmsg(dst) : "cannot open");
    else sqlite3_exec(dst, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc == SQLITE_DONE ? DB_OK : DB_ERR;
}

/* ---------- engine.h: full-text search through FTS5 ---------- */

static int lite_task_index(db *d, int64_t task_id, const char *folded)
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

/* A folded word (letters and digits only, as search_parse splits them) becomes
 * the FTS5 prefix query "word"*. */
static size_t lite_match_query(const char *word, char *out, size_t outlen)
{
    int n = snprintf(out, outlen, "\"%s\"*", word);
    return *word && n > 0 && (size_t)n < outlen ? (size_t)n : 0;
}

/* ---------- group commit ---------- */

#define GROUP_MAX 64                 /* writes per group: bounds one group's latency */

typedef struct job {
    db_txn_fn fn;
    void *ctx;
    int rc;
    bool done;
    struct job *next;
} job;

struct writer {
    char *path;
    int refs;                        /* connections using it; guarded by writers_lock */
    pthread_t thread;
    pthread_mutex_t lock;            /* guards the queue, stop and the jobs' done */
    pthread_cond_t work, finished;
    job *head, *tail;
    bool stop;
    lite_db *conn;                   /* used by the writer thread only */
    struct writer *next;
};

static pthread_mutex_t writers_lock = PTHREAD_MUTEX_INITIALIZER;
static writer *writers;
static atomic_int test_group_size, last_group;

#ifdef CCHC_TEST_HOOKS
void db_test_group_size(int n) { atomic_store(&test_group_size, n); }
int db_test_last_group(void) { return atomic_load(&last_group); }
#endif

/* Starts the group's transaction, waiting out another process's write lock (the
 * busy timeout, then retries) for at most the db_txn deadline. */
static int group_begin(lite_db *c)
{
    int rc = DB_BUSY;
    for (int attempt = 0; rc == DB_BUSY && attempt < 50; attempt++) {
        if (attempt) usleep(100000);
        rc = lite_control(&c->base, "BEGIN IMMEDIATE");
    }
    return rc;
}

/* Runs one caller's transaction inside the group, in its own savepoint. */
static int group_run(lite_db *c, job *j)
{
    db *d = &c->base;
    if (lite_control(d, "SAVEPOINT grouped") != DB_OK) return DB_ERR;
    d->depth = 1;
    int rc = j->fn(d, j->ctx);
    d->depth = 0;
    if (rc != DB_OK) lite_control(d, "ROLLBACK TO SAVEPOINT grouped");
    lite_control(d, "RELEASE SAVEPOINT grouped");
    lite_idle(d);
    return rc;
}

/* Runs a group of jobs as one transaction and sets each job's rc. */
static void group_commit(writer *w, job *first)
{
    lite_db *c = w->conn;
    int n = 0;
    for (job *j = first; j; j = j->next) n++;
    atomic_store(&last_group, n);
    int rc = group_begin(c);
    for (job *j = first; j; j = j->next) j->rc = rc == DB_OK ? group_run(c, j) : rc;
    if (rc != DB_OK) return;
    if (sqlite3_get_autocommit(c->h)) {          /* an I/O error rolled the whole group back */
        for (job *j = first; j; j = j->next) if (j->rc == DB_OK) j->rc = DB_ERR;
        db_note_end(&c->base, false);
        return;
    }
    int crc = db_test_commit_fails() ? DB_ERR : lite_control(&c->base, "COMMIT");
    if (crc != DB_OK) {
        lite_control(&c->base, "ROLLBACK");
        for (job *j = first; j; j = j->next) if (j->rc == DB_OK) j->rc = crc == DB_BUSY ? DB_BUSY : DB_ERR;
    }
    db_note_end(&c->base, crc == DB_OK);
}

static void *writer_main(void *arg)
{
    writer *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        int want = atomic_load(&test_group_size), queued = 0;
        for (job *j = w->head; j; j = j->next) queued++;
        if (w->stop && !w->head) break;
        if (!w->head || (want > 0 && queued < want && !w->stop)) { pthread_cond_wait(&w->work, &w->lock); continue; }
        job *first = w->head, *last = first;          /* take up to GROUP_MAX, in arrival order */
        for (int k = 1; k < GROUP_MAX && last->next; k++) last = last->next;
        w->head = last->next;
        if (!w->head) w->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&w->lock);
        group_commit(w, first);
        pthread_mutex_lock(&w->lock);
        for (job *j = first; j; j = j->next) j->done = true;
        pthread_cond_broadcast(&w->finished);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* The writer of path, started on first use; counted as used by one more connection. */
static writer *writer_acquire(const char *path)
{
    pthread_mutex_lock(&writers_lock);
    writer *w = writers;
    while (w && strcmp(w->path, path) != 0) w = w->next;
    if (w) { w->refs++; pthread_mutex_unlock(&writers_lock); return w; }
    char err[256];
    db *conn = db_sqlite_open(path, false, err, sizeof err);
    w = conn ? calloc(1, sizeof *w) : NULL;
    if (w) w->path = strdup(path);
    if (!w || !w->path) {
        fprintf(stderr, "db: cannot start the writer: %s\n", conn ? "out of memory" : err);
        if (w) free(w);
        db_close(conn);
        pthread_mutex_unlock(&writers_lock);
        return NULL;
    }
    w->conn = L(conn);
    w->conn->is_writer = true;
    w->refs = 1;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->finished, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        db_close(conn);
        free(w->path);
        free(w);
        pthread_mutex_unlock(&writers_lock);
        return NULL;
    }
    w->next = writers;
    writers = w;
    pthread_mutex_unlock(&writers_lock);
    return w;
}

/* One connection fewer uses w; the last one stops the thread and closes its connection. */
static void writer_release(writer *w)
{
    pthread_mutex_lock(&writers_lock);
    if (--w->refs > 0) { pthread_mutex_unlock(&writers_lock); return; }
    for (writer **p = &writers; *p; p = &(*p)->next)
        if (*p == w) { *p = w->next; break; }
    pthread_mutex_unlock(&writers_lock);
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    db_close(&w->conn->base);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->finished);
    free(w->path);
    free(w);
}

/* db_txn for a write: queue fn for the file's writer and wait for the group's
 * commit. Retries (BUSY) are the writer's; the caller gets its own result. */
static int lite_write_txn(db *d, db_txn_fn fn, void *ctx)
{
    lite_db *l = L(d);
    if (l->is_writer) return DB_ERR;                 /* the writer never queues to itself */
    if (!l->w) l->w = writer_acquire(l->path);
    if (!l->w) return DB_ERR;
    writer *w = l->w;
    lite_idle(d);                                    /* no read of this connection is held meanwhile */
    job j = {fn, ctx, DB_ERR, false, NULL};
    pthread_mutex_lock(&w->lock);
    if (w->tail) w->tail->next = &j; else w->head = &j;
    w->tail = &j;
    pthread_cond_signal(&w->work);
    while (!j.done) pthread_cond_wait(&w->finished, &w->lock);
    pthread_mutex_unlock(&w->lock);
    return j.rc;
}

static const db_engine sqlite_engine = {
    .name = "sqlite",
    .migrations = migrations,
    .begin_write = "BEGIN IMMEDIATE",
    .begin_read = "BEGIN",
    .begin_migration = "BEGIN IMMEDIATE",
    .migration_sql = lite_migration_sql,
    .close = lite_close,
    .prepare = lite_prepare,
    .bind_int = lite_bind_int,
    .bind_double = lite_bind_double,
    .bind_text = lite_bind_text,
    .bind_blob = lite_bind_blob,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .reset = lite_reset,
    .col_int = lite_col_int,
    .col_double = lite_col_double,
    .col_text = lite_col_text,
    .col_count = lite_col_count,
    .col_name = lite_col_name,
    .col_type = lite_col_type,
    .exec = lite_exec,
    .control = lite_control,
    .data_version = lite_data_version,
    .last_id = lite_last_id,
    .changes = lite_changes,
    .errmsg = lite_errmsg,
    .idle = lite_idle,
    .backup = lite_backup,
    .task_search_sql = "SELECT rowid FROM task_fts WHERE task_fts MATCH ?",
    .match_query = lite_match_query,
    .task_index = lite_task_index,
    .write_txn = lite_write_txn,
};

static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

/* Process-wide engine settings, before the first connection: no global memory
 * statistics (their mutex serialises every allocation across worker threads). */
static void engine_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

db *db_sqlite_open(const char *path, bool read_only, char *err, size_t errlen)
{
    pthread_once(&engine_once, engine_configure);
    lite_db *l = calloc(1, sizeof *l);
    if (!l) { snprintf(err, errlen, "out of memory"); return NULL; }
    l->base.eng = &sqlite_engine;
    l->path = strdup(path);
    if (!l->path) { free(l); snprintf(err, errlen, "out of memory"); return NULL; }
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &l->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, l->h ? sqlite3_errmsg(l->h) : sqlite3_errstr(rc));
        lite_close(&l->base);
        return NULL;
    }
    sqlite3_busy_timeout(l->h, 1000);
    if (read_only) return &l->base;
    /* It holds password, session and token hashes: the owner's only, whatever the
     * umask (the -wal and -shm files SQLite creates take the same mode). */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0077)) chmod(path, 0600);         /* the file's own journal mode; nothing to set up */
    if (lite_exec(&l->base, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                            "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-1000;") != DB_OK) {
        snprintf(err, errlen, "cannot configure %s: %s", path, sqlite3_errmsg(l->h));
        lite_close(&l->base);
        return NULL;
    }
    return &l->base;
}
