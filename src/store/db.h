#ifndef CCHC_DB_H
#define CCHC_DB_H
/* Engine-neutral database access. Store files (store_*.c) use only this API and
 * portable SQL with '?' placeholders; engine specifics live in db_sqlite.c and db_pg.c. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_OK = 0, DB_ROW = 1, DB_DONE = 2, DB_ERR = -1, DB_BUSY = -2, DB_CONSTRAINT = -3 };

/* Opens the database at location and applies pending migrations: a file path
 * (SQLite, created if needed) or a postgres:// or postgresql:// URL (PostgreSQL).
 * Returns NULL and writes a one-line err on failure. Caller closes it. */
db *db_open(const char *location, char *err, size_t errlen);
/* Opens an existing database for reading only (never migrated, never written):
 * NULL with err when it is missing or its schema is not the current one. */
db *db_open_readonly(const char *location, char *err, size_t errlen);
/* True when location names a PostgreSQL database (a postgres:// URL). */
bool db_is_url(const char *location);
/* "sqlite" or "postgresql". */
const char *db_engine_name(db *d);
/* True when the database server cannot be reached now: the connection was lost
 * and reconnecting (tried here, outside a transaction) fails. NULL: true. */
bool db_lost(db *d);
/* Closes the connection and its cached statements; NULL is a no-op. */
void db_close(db *d);
/* The schema version after migrations. */
int db_schema_version(db *d);

/* Returns a prepared statement for sql, cached per connection and reset with
 * its bindings cleared; owned by the connection (never finalize it). NULL on error. */
db_stmt *db_prepare(db *d, const char *sql);
/* Bind parameters (1-based). Text is copied. NULL text binds SQL NULL. */
void db_bind_int(db_stmt *s, int i, int64_t v);
void db_bind_double(db_stmt *s, int i, double v);
void db_bind_text(db_stmt *s, int i, const char *v);
void db_bind_blob(db_stmt *s, int i, const void *p, size_t n);
void db_bind_null(db_stmt *s, int i);
/* Steps: DB_ROW, DB_DONE, DB_BUSY, DB_CONSTRAINT or DB_ERR. */
int db_step(db_stmt *s);
/* Runs a statement expected to return no rows: DB_DONE or an error code. */
int db_exec_stmt(db_stmt *s);
/* Column accessors for the current row (0-based). Text is "" for NULL with
 * db_col_text, NULL with db_col_text_or_null; valid until the next step. */
int64_t db_col_int(db_stmt *s, int i);
double db_col_double(db_stmt *s, int i);
const char *db_col_text(db_stmt *s, int i);
const char *db_col_text_or_null(db_stmt *s, int i);
bool db_col_is_null(db_stmt *s, int i);
/* Column text as a malloc'd copy ("" for NULL); caller frees. */
char *db_col_dup(db_stmt *s, int i);
/* The result's columns (valid once db_step returned DB_ROW): how many, each
 * name, and the type of the current row's value. */
enum { DB_T_NULL = 0, DB_T_INT = 1, DB_T_REAL = 2, DB_T_TEXT = 3 };
int db_col_count(db_stmt *s);
const char *db_col_name(db_stmt *s, int i);
int db_col_type(db_stmt *s, int i);
/* After rows were inserted with explicit ids (cchc migrate): makes the next
 * generated id of every table larger than any present. DB_OK or DB_ERR. */
int db_sync_ids(db *d);

/* Runs raw SQL with no parameters (migrations, pragmas). DB_OK or DB_ERR. */
int db_exec(db *d, const char *sql);
/* A counter that changes when another connection commits (for caches). */
int64_t db_data_version(db *d);

/* Where the data stands: committed writes of this process and the connection's
 * data_version (commits by other processes). Equal values mean nothing changed.
 * Read it before the request's first query so a cache entry is never newer-labelled
 * than its content. */
typedef struct {
    uint64_t writes;
    int64_t version;
} db_generation;
db_generation db_current_generation(db *d);
/* Counts a change that cached content depends on but the database does not hold
 * (e.g. a new working-day calendar published in memory). */
void db_note_change(void);
/* While on, writes on d do not count as data changes for db_current_generation
 * (for bookkeeping such as session activity that no cached content shows). */
void db_untracked(db *d, bool on);
/* The row id of the last insert on this connection. */
int64_t db_last_id(db *d);
/* Rows changed by the last statement. */
int db_changes(db *d);
/* The last error message of the connection. */
const char *db_errmsg(db *d);

/* Opens one read transaction for a whole read-only request, so its queries share
 * one snapshot and one lock (db_txn calls inside it join it). DB_OK or DB_ERR. */
int db_read_begin(db *d);
/* Ends the transaction opened by db_read_begin. */
void db_read_end(db *d);
/* Ends every pending read of the connection's cached statements (resets them);
 * call between requests so no read snapshot outlives its request. */
void db_idle(db *d);

/* Runs fn inside a transaction, committing when fn returns DB_OK and rolling
 * back otherwise; returns only once the commit is durable (or failed). Retries
 * the whole transaction on DB_BUSY, with backoff, up to a few seconds. Returns
 * fn's result, or an error when the commit failed.
 *
 * A write (write true) is a function, not a session: fn receives the connection
 * to use, which may be another one than d (on SQLite every write transaction of
 * the process runs on one writer connection, grouped with the writes that arrived
 * at the same time, each in its own savepoint, with one commit and one fsync for
 * the group). So fn must use only its d argument and ctx, never hold a read or
 * wait on the network, and must not depend on which thread runs it. */
typedef int (*db_txn_fn)(db *d, void *ctx);
int db_txn(db *d, bool write, db_txn_fn fn, void *ctx);
#ifdef CCHC_TEST_HOOKS
/* Test builds: the next n commits fail (the transactions roll back). */
void db_test_fail_commits(int n);
/* Test builds (SQLite): the writer starts a group only once n writes wait (0: at once). */
void db_test_group_size(int n);
/* Test builds (SQLite): how many writes the last group held. */
int db_test_last_group(void);
/* Test builds: moves db_now (and db_now_iso) forward by seconds, for expiry tests. */
void db_test_advance_clock(int64_t seconds);
#endif

/* Copies the live database into dest_path: SQLite's online backup API, or
 * pg_dump's custom format on PostgreSQL. */
int db_backup(db *d, const char *dest_path, char *err, size_t errlen);

/* Restores a backup made by db_backup into the database at location (created
 * when missing; the schema comes from the backup). Refuses a database that holds
 * data unless force. DB_OK, DB_CONSTRAINT (refused, err says why) or DB_ERR. */
int db_restore(const char *location, const char *backup_file, bool force, char *err, size_t errlen);

/* Current time: seconds since the epoch, and an ISO "YYYY-MM-DDTHH:MM:SSZ" string. */
int64_t db_now(void);
void db_now_iso(char out[32]);
#endif
