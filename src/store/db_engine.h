#ifndef CCHC_DB_ENGINE_H
#define CCHC_DB_ENGINE_H
/* The contract between db.c (engine-neutral: dispatch, transactions, migrations,
 * cache generations) and one engine file (db_sqlite.c, db_pg.c). Only these
 * three files include it. */
#include "store/db.h"

typedef struct db_engine db_engine;

/* The part of every connection that db.c owns; an engine's connection struct
 * starts with it. */
struct db {
    const db_engine *eng;
    int depth;          /* transaction nesting (inner db_txn calls join the outer one) */
    bool dirty;         /* the open transaction has written something */
    bool untracked;     /* writes that change no content (session activity) */
    bool read_only;     /* the open transaction is a read-only request's (db_read_begin) */
    bool retry;         /* the last failure may succeed if the transaction is rerun */
    bool quiet;         /* failures are expected: the engine prints nothing */
};

/* The part of every statement that db.c owns; an engine's statement starts with it. */
struct db_stmt {
    db *owner;
};

struct db_engine {
    const char *name;
    /* The migrations, numbered from 1, NULL-terminated: each entry is one or more
     * embedded script paths separated by spaces, run in one transaction. */
    const char *const *migrations;
    const char *begin_write;         /* transaction-control statements */
    const char *begin_read;
    const char *begin_migration;     /* a write transaction that excludes other migrators */
    /* The engine's form of a portable migration script; malloc'd, caller frees. */
    char *(*migration_sql)(const char *portable);
    void (*close)(db *d);
    db_stmt *(*prepare)(db *d, const char *sql);
    void (*bind_int)(db_stmt *s, int i, int64_t v);
    void (*bind_double)(db_stmt *s, int i, double v);
    void (*bind_text)(db_stmt *s, int i, const char *v);
    void (*bind_blob)(db_stmt *s, int i, const void *p, size_t n);
    void (*bind_null)(db_stmt *s, int i);
    int (*step)(db_stmt *s);
    void (*reset)(db_stmt *s);
    int64_t (*col_int)(db_stmt *s, int i);
    double (*col_double)(db_stmt *s, int i);
    const char *(*col_text)(db_stmt *s, int i);      /* NULL for SQL NULL */
    int (*col_count)(db_stmt *s);
    const char *(*col_name)(db_stmt *s, int i);
    int (*col_type)(db_stmt *s, int i);              /* DB_T_* of the current row's value */
    /* Moves every identity sequence past the largest id (after rows were
     * copied in with their ids); DB_OK or DB_ERR. NULL: nothing to do. */
    int (*sync_ids)(db *d);
    int (*exec)(db *d, const char *sql);
    int (*control)(db *d, const char *sql);
    int64_t (*data_version)(db *d);
    int64_t (*last_id)(db *d);
    int (*changes)(db *d);
    const char *(*errmsg)(db *d);
    void (*idle)(db *d);
    int (*backup)(db *d, const char *dest, char *err, size_t errlen);
    /* Runs once the schema is current (e.g. learns the tables' identity ids); 0 or -1. */
    int (*after_migrations)(db *d, char *err, size_t errlen);
    /* True when the connection to a database server is gone (NULL: never). */
    bool (*lost)(db *d);
    /* Opens and ends a read-only request's transaction its own way (PostgreSQL:
     * BEGIN sent with the first statement, COMMIT not waited for); NULL: the
     * begin_read and COMMIT control statements. */
    int (*read_begin)(db *d);
    void (*read_end)(db *d);
    /* Runs a whole top-level write transaction its own way (SQLite: through the
     * group-commit writer); NULL: db.c's BEGIN/fn/COMMIT loop on d. */
    int (*write_txn)(db *d, db_txn_fn fn, void *ctx);
    /* engine.h */
    const char *task_search_sql;
    size_t (*match_query)(const char *folded, char *out, size_t outlen);
    int (*task_index)(db *d, int64_t task_id, const char *folded);
};

/* Records that a statement changed data (counted for caches at commit). */
void db_note_write(db *d);
/* Ends the bookkeeping of a transaction of d: counts it for caches if it wrote
 * and committed. */
void db_note_end(db *d, bool committed);
/* True when a test build asked the next commit to fail (db_test_fail_commits). */
bool db_test_commit_fails(void);
/* Applies the engine's pending migrations; 0 or -1 with err. */
int db_apply_migrations(db *d, char *err, size_t errlen);

/* Engine constructors: open a connection (without migrations); NULL with err. */
db *db_sqlite_open(const char *path, bool read_only, char *err, size_t errlen);
db *db_pg_open(const char *url, bool read_only, char *err, size_t errlen);
/* Engine restores (see db_restore). */
int db_sqlite_restore(const char *path, const char *backup_file, bool force, char *err, size_t errlen);
int db_pg_restore(const char *url, const char *backup_file, bool force, char *err, size_t errlen);
#endif
