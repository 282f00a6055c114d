/* PostgreSQL engine (db_engine.h), for several cchc instances on one database.
 *
 * Statements: the store's portable SQL with '?' placeholders is translated to
 * $1..$n once, when first prepared on a connection, and kept in a per-connection
 * cache of named prepared statements, as SQLite keeps its sqlite3_stmt. Parameters
 * go as text of unknown type, so PostgreSQL infers each from its context; where it
 * cannot ("? IS NULL"), the statement is prepared again with the bound types.
 * An INSERT into a table with an identity id gets "RETURNING id", which is how
 * db_last_id learns the id without a second round trip.
 *
 * Isolation: write transactions are SERIALIZABLE. The read-modify-write paths
 * (a task's status and percent from its updates, "is this report locked", "is this
 * the last active admin") read rows and then write based on what they read; under
 * SERIALIZABLE, PostgreSQL's serializable snapshot isolation aborts one of two
 * transactions whose reads and writes overlap (SQLSTATE 40001) instead of letting
 * both commit, and db_txn reruns the loser, which then sees the winner's commit.
 * So every interleaving behaves as if the transactions ran one after another, as
 * they do on SQLite (BEGIN IMMEDIATE). REPEATABLE READ would not do: two admins
 * demoting each other concurrently would both see another active admin (write
 * skew). Read-only requests use REPEATABLE READ: one snapshot per request, and
 * they never abort.
 *
 * Cache generations: db_data_version is a hash of pg_current_snapshot(). Two equal
 * snapshots see exactly the same committed transactions, so equal values mean no
 * commit anywhere changed what this database shows; any commit (on any instance)
 * changes it. It costs one query per cached request and no write at all. */
#include "store/db_engine.h"
#include "store/engine.h"
#include <libpq-fe.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define STMT_CACHE 96
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701
#define OID_BYTEA 17

enum { P_NULL, P_INT, P_DOUBLE, P_TEXT, P_BLOB };

typedef struct {
    char *data;
    size_t cap;
    int len;
    int kind;
} pg_param;

typedef struct {
    db_stmt base;
    uint64_t hash;
    char *sql;            /* the caller's text: the cache key */
    char *pg_sql;         /* translated: $n placeholders, RETURNING id */
    char name[16];        /* the prepared statement's name on the server */
    int nparams;
    pg_param *params;
    bool prepared;
    bool writes;          /* INSERT/UPDATE/DELETE/DDL: counted as a change */
    bool returning_id;
    PGresult *res;        /* the executed statement's rows, until reset */
    int row;              /* the current row; -1 before the first step */
} pg_stmt;

typedef struct {
    db base;
    PGconn *conn;
    pg_stmt cache[STMT_CACHE];
    int ncache;
    int next_evict;
    unsigned next_name;
    int64_t last_id;
    int changes;
    bool read_only;       /* a migration source: every transaction read-only */
    bool begin_pending;   /* a read request's BEGIN, sent with its first statement */
    bool commit_pending;  /* a read request's COMMIT was sent; its result is unread */
    char *id_tables;      /* ",units,users,...,": tables whose id is an identity column */
    char err[512];
} pg_db;

static const char *const migrations[] = {
    "src/store/sql/001_schema.sql",
    "src/store/sql/002_pg_audit.sql",
    "src/store/sql/003_calendar.sql",
    "src/store/sql/004_indexes.sql",
    "src/store/sql/005_login_attempts.sql",
    "src/store/sql/006_task_search.sql src/store/sql/006_pg_trgm.sql",
    "src/store/sql/007_server_secrets.sql",
    "src/store/sql/008_audit_chain.sql",
    "src/store/sql/009_pg_roles.sql src/store/sql/009_onestop.sql",
    NULL,
};

static pg_db *P(db *d) { return (pg_db *)d; }
static pg_stmt *PS(db_stmt *s) { return (pg_stmt *)s; }

static void set_err(pg_db *p, const char *msg)
{
    snprintf(p->err, sizeof p->err, "%s", msg && *msg ? msg : "unknown PostgreSQL error");
    size_t n = strlen(p->err);
    while (n && (p->err[n - 1] == '\n' || p->err[n - 1] == ' ')) p->err[--n] = '\0';
}

/* Maps a failed result to a DB_ code and remembers its message. */
static int map_error(pg_db *p, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    set_err(p, res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(p->conn));
    if (PQstatus(p->conn) == CONNECTION_BAD || !state || strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
        return DB_ERR;                                  /* the connection is gone: db_lost tells */
    if (!strcmp(state, "40001") || !strcmp(state, "40P01")) { p->base.retry = true; return DB_BUSY; }
    if (!strcmp(state, "55P03")) return DB_BUSY;        /* lock_timeout */
    if (strncmp(state, "23", 2) == 0) return DB_CONSTRAINT;
    return DB_ERR;
}

/* ---------- SQL translation ---------- */

/* True when sql starts (after blanks) with the keyword kw, case-insensitively. */
static bool starts_with_word(const char *sql, const char *kw)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t') sql++;
    size_t n = strlen(kw);
    return strncasecmp(sql, kw, n) == 0 && !((sql[n] >= 'a' && sql[n] <= 'z') || (sql[n] >= 'A' && sql[n] <= 'Z') || sql[n] == '_');
}

/* The table name of "INSERT INTO name..." into out; false otherwise. */
static bool insert_table(const char *sql, char *out, size_t outlen)
{
    while (*sql == ' ' || *sql == '\n') sql++;
    if (strncasecmp(sql, "INSERT INTO ", 12) != 0) return false;
    sql += 12;
    while (*sql == ' ') sql++;
    size_t n = 0;
    while (n + 1 < outlen && ((sql[n] >= 'a' && sql[n] <= 'z') || sql[n] == '_' || (sql[n] >= '0' && sql[n] <= '9'))) { out[n] = sql[n]; n++; }
    out[n] = '\0';
    return n > 0;
}

/* Translates '?' placeholders outside quotes to $1..$n; malloc'd, *nparams set. */
static char *translate_placeholders(const char *sql, int *nparams, const char *suffix)
{
    size_t len = strlen(sql), cap = len * 4 + strlen(suffix) + 1;
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t o = 0;
    int n = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) { if (*p == quote) quote = 0; out[o++] = *p; continue; }
        if (*p == '\'' || *p == '"') { quote = *p; out[o++] = *p; continue; }
        if (*p == '?') { o += (size_t)snprintf(out + o, cap - o, "$%d", ++n); continue; }
        out[o++] = *p;
    }
    o += (size_t)snprintf(out + o, cap - o, "%s", suffix);
    out[o] = '\0';
    *nparams = n;
    return out;
}

/* Portable DDL to PostgreSQL: 64-bit integers, identity ids, double precision. */
static char *pg_migration_sql(const char *portable)
{
    static const struct { const char *from, *to; } words[] = {
        {"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"INTEGER", "BIGINT"},
        {"REAL", "DOUBLE PRECISION"},
    };
    size_t cap = strlen(portable) * 3 + 1, o = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    const char *p = portable;
    while (*p) {
        bool boundary = p == portable || !((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '_');
        bool done = false;
        for (size_t i = 0; boundary && i < sizeof words / sizeof words[0] && !done; i++) {
            size_t n = strlen(words[i].from);
            if (strncmp(p, words[i].from, n) != 0) continue;
            char next = p[n];
            if (!((next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z') || next == '_')) {
                o += (size_t)snprintf(out + o, cap - o, "%s", words[i].to);
                p += n;
                done = true;
            }
        }
        if (!done) out[o++] = *p++;
    }
    out[o] = '\0';
    return out;
}

/* ---------- connection ---------- */

static void stmt_clear_result(pg_stmt *s)
{
    if (s->res) PQclear(s->res);
    s->res = NULL;
    s->row = -1;
}

static void stmt_free(pg_stmt *s)
{
    stmt_clear_result(s);
    for (int i = 0; i < s->nparams; i++) free(s->params[i].data);
    free(s->params);
    free(s->sql);
    free(s->pg_sql);
    memset(s, 0, sizeof *s);
}

/* Re-establishes a lost connection (the server restarted); its prepared
 * statements are gone with it. True when the connection is usable. */
static bool ensure_connected(pg_db *p)
{
    if (PQstatus(p->conn) == CONNECTION_OK) return true;
    if (p->base.depth > 0) return false;          /* never silently inside a transaction */
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK) { set_err(p, PQerrorMessage(p->conn)); return false; }
    for (int i = 0; i < p->ncache; i++) { stmt_clear_result(&p->cache[i]); p->cache[i].prepared = false; }
    PQclear(PQexec(p->conn, p->read_only ? "SET lock_timeout = '5s'; SET default_transaction_read_only = on"
                                         : "SET lock_timeout = '5s'"));
    return true;
}

/* Reads the result of a COMMIT sent without waiting (a read request's end). */
static void drain_commit(pg_db *p)
{
    if (!p->commit_pending) return;
    p->commit_pending = false;
    for (PGresult *r; (r = PQgetResult(p->conn)); ) PQclear(r);
}

/* Sends a pending read BEGIN on its own (before a statement that cannot carry it). */
static int begin_now(pg_db *p)
{
    if (!p->begin_pending) return DB_OK;
    p->begin_pending = false;
    PGresult *res = PQexec(p->conn, p->base.eng->begin_read);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? DB_OK : map_error(p, res);
    PQclear(res);
    return rc;
}

/* True when res failed because the connection broke (the server restarted)
 * outside a transaction: then nothing was done, and reconnecting and sending
 * the statement again is safe. */
static bool retry_after_reconnect(pg_db *p, PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || PQstatus(p->conn) != CONNECTION_BAD || p->base.depth > 0) return false;
    return ensure_connected(p);
}

/* PQexec, sent again once on a fresh connection if the old one had broken. */
static PGresult *exec_simple(pg_db *p, const char *sql)
{
    PGresult *res = PQexec(p->conn, sql);
    if (retry_after_reconnect(p, res)) { PQclear(res); res = PQexec(p->conn, sql); }
    return res;
}

static int pg_exec(db *d, const char *sql)
{
    pg_db *p = P(d);
    drain_commit(p);
    if (!ensure_connected(p) || begin_now(p) != DB_OK) return DB_ERR;
    PGresult *res = exec_simple(p, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = DB_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        rc = map_error(p, res);
        fprintf(stderr, "db: %s\n", p->err);
    }
    PQclear(res);
    return rc;
}

static int pg_control(db *d, const char *sql)
{
    pg_db *p = P(d);
    drain_commit(p);
    if (!ensure_connected(p) || begin_now(p) != DB_OK) return DB_ERR;
    PGresult *res = exec_simple(p, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? DB_OK : map_error(p, res);
    /* COMMIT of a transaction that failed earlier answers ROLLBACK, not an error. */
    if (rc == DB_OK && !strcasecmp(sql, "COMMIT") && !strcmp(PQcmdStatus(res), "ROLLBACK")) {
        set_err(p, "transaction rolled back");
        rc = DB_ERR;
    }
    PQclear(res);
    return rc;
}

static void pg_close(db *d)
{
    pg_db *p = P(d);
    for (int i = 0; i < p->ncache; i++) stmt_free(&p->cache[i]);
    PQfinish(p->conn);
    free(p->id_tables);
    free(p);
}

static uint64_t sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void stmt_reset(pg_stmt *s)
{
    stmt_clear_result(s);
    for (int i = 0; i < s->nparams; i++) s->params[i].kind = P_NULL;
}

/* Fills slot with a new statement for sql (translated now, prepared at the first step). */
static bool stmt_init(pg_db *p, pg_stmt *slot, const char *sql, uint64_t h)
{
    char table[64];
    bool returning = insert_table(sql, table, sizeof table) && p->id_tables && !strstr(sql, "RETURNING");
    if (returning) {
        char key[70];
        snprintf(key, sizeof key, ",%s,", table);
        returning = strstr(p->id_tables, key) != NULL;
    }
    int n = 0;
    char *pg_sql = translate_placeholders(sql, &n, returning ? " RETURNING id" : "");
    char *copy = strdup(sql);
    pg_param *params = n ? calloc((size_t)n, sizeof *params) : NULL;
    if (!pg_sql || !copy || (n && !params)) { free(pg_sql); free(copy); free(params); return false; }
    *slot = (pg_stmt){.base = {&p->base}, .hash = h, .sql = copy, .pg_sql = pg_sql, .nparams = n, .params = params,
                      .writes = !starts_with_word(sql, "SELECT") && !starts_with_word(sql, "WITH"),
                      .returning_id = returning, .row = -1};
    snprintf(slot->name, sizeof slot->name, "c%u", p->next_name++);
    return true;
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
    pg_db *p = P(d);
    uint64_t h = sql_hash(sql);
    for (int i = 0; i < p->ncache; i++) {
        pg_stmt *s = &p->cache[i];
        if (s->hash == h && strcmp(s->sql, sql) == 0) { stmt_reset(s); return &s->base; }
    }
    pg_stmt *slot;
    if (p->ncache < STMT_CACHE) {
        slot = &p->cache[p->ncache++];
    } else {
        /* Full: replace one slot in turn; one whose rows are still being read is skipped. */
        slot = &p->cache[p->next_evict];
        for (int tries = 0; tries < STMT_CACHE && slot->res; tries++) {
            p->next_evict = (p->next_evict + 1) % STMT_CACHE;
            slot = &p->cache[p->next_evict];
        }
        p->next_evict = (p->next_evict + 1) % STMT_CACHE;
        if (slot->prepared && PQstatus(p->conn) == CONNECTION_OK) {
            char dealloc[40];
            snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", slot->name);
            PQclear(PQexec(p->conn, dealloc));
        }
        stmt_free(slot);
    }
    if (!stmt_init(p, slot, sql, h)) {
        if (slot == &p->cache[p->ncache - 1] && !slot->sql) p->ncache--;
        set_err(p, "out of memory");
        return NULL;
    }
    return &slot->base;
}

/* The parameter's text buffer, grown to hold n bytes plus NUL. */
static pg_param *param_slot(db_stmt *s, int i, size_t n)
{
    pg_stmt *ps = PS(s);
    if (i < 1 || i > ps->nparams) return NULL;
    pg_param *prm = &ps->params[i - 1];
    if (prm->cap < n + 1) {
        char *nd = realloc(prm->data, n + 1);
        if (!nd) { prm->kind = P_NULL; return NULL; }
        prm->data = nd;
        prm->cap = n + 1;
    }
    return prm;
}

static void pg_bind_int(db_stmt *s, int i, int64_t v)
{
    pg_param *prm = param_slot(s, i, 24);
    if (!prm) return;
    prm->len = snprintf(prm->data, prm->cap, "%lld", (long long)v);
    prm->kind = P_INT;
}

static void pg_bind_double(db_stmt *s, int i, double v)
{
    pg_param *prm = param_slot(s, i, 32);
    if (!prm) return;
    prm->len = snprintf(prm->data, prm->cap, "%.17g", v);
    prm->kind = P_DOUBLE;
}

static void pg_bind_null(db_stmt *s, int i)
{
    pg_stmt *ps = PS(s);
    if (i >= 1 && i <= ps->nparams) ps->params[i - 1].kind = P_NULL;
}

static void pg_bind_text(db_stmt *s, int i, const char *v)
{
    if (!v) { pg_bind_null(s, i); return; }
    size_t n = strlen(v);
    pg_param *prm = param_slot(s, i, n);
    if (!prm) return;
    memcpy(prm->data, v, n + 1);
    prm->len = (int)n;
    prm->kind = P_TEXT;
}

static void pg_bind_blob(db_stmt *s, int i, const void *v, size_t n)
{
    pg_param *prm = param_slot(s, i, n);
    if (!prm) return;
    memcpy(prm->data, v, n);
    prm->len = (int)n;
    prm->kind = P_BLOB;
}

/* Sends PREPARE with the given parameter types (NULL: all unknown); DB_OK or an error. */
static int server_prepare(pg_db *p, pg_stmt *s, const Oid *types, bool *untyped_failed)
{
    PGresult *res = PQprepare(p->conn, s->name, s->pg_sql, s->nparams, types);
    int rc = DB_OK;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (untyped_failed) *untyped_failed = state && !strcmp(state, "42P18");
        rc = map_error(p, res);
    }
    PQclear(res);
    return rc;
}

/* Prepares the statement on the server: parameters of unknown type first, so
 * PostgreSQL infers each from its context, and the bound types when it cannot
 * (SQLSTATE 42P18, e.g. "? IS NULL"). Inside a transaction the first attempt runs
 * in a savepoint, because a failed PREPARE would abort the transaction. */
static int stmt_server_prepare(pg_db *p, pg_stmt *s)
{
    bool in_txn = p->base.depth > 0, untyped_failed = false;
    if (in_txn) PQclear(PQexec(p->conn, "SAVEPOINT cchc_prepare"));
    int rc = server_prepare(p, s, NULL, &untyped_failed);
    if (in_txn) PQclear(PQexec(p->conn, rc == DB_OK ? "RELEASE SAVEPOINT cchc_prepare"
                                                    : "ROLLBACK TO SAVEPOINT cchc_prepare; RELEASE SAVEPOINT cchc_prepare"));
    if (rc != DB_OK && untyped_failed) {
        Oid *types = calloc((size_t)s->nparams, sizeof *types);
        if (!types) return DB_ERR;
        for (int i = 0; i < s->nparams; i++) {
            int k = s->params[i].kind;
            types[i] = k == P_INT ? OID_INT8 : k == P_DOUBLE ? OID_FLOAT8 : k == P_BLOB ? OID_BYTEA : OID_TEXT;
        }
        rc = server_prepare(p, s, types, NULL);
        free(types);
    }
    if (rc == DB_OK) s->prepared = true;
    return rc;
}

/* Runs the prepared statement with its bindings; keeps rows in s->res. */
/* Sends the pending read BEGIN and the prepared statement in one round trip
 * (libpq pipeline mode); returns the statement's result (NULL on failure). */
static PGresult *exec_with_begin(pg_db *p, pg_stmt *s, const char *const *vals, const int *lens, const int *fmts)
{
    p->begin_pending = false;
    if (!PQenterPipelineMode(p->conn)) return NULL;
    PGresult *res = NULL;
    if (PQsendQueryParams(p->conn, p->base.eng->begin_read, 0, NULL, NULL, NULL, NULL, 0) &&
        PQsendQueryPrepared(p->conn, s->name, s->nparams, vals, lens, fmts, 0) && PQpipelineSync(p->conn)) {
        PGresult *begin = PQgetResult(p->conn);
        bool begun = PQresultStatus(begin) == PGRES_COMMAND_OK;
        PQclear(begin);
        while ((begin = PQgetResult(p->conn))) PQclear(begin);          /* end of BEGIN's results */
        res = PQgetResult(p->conn);
        for (PGresult *r; (r = PQgetResult(p->conn)); ) PQclear(r);   /* end of the statement's results */
        PGresult *sync = PQgetResult(p->conn);                          /* the pipeline sync */
        PQclear(sync);
        if (!begun && PQresultStatus(res) != PGRES_FATAL_ERROR) { PQclear(res); res = NULL; }
    }
    PQexitPipelineMode(p->conn);
    return res;
}

static int stmt_execute(pg_db *p, pg_stmt *s)
{
    drain_commit(p);
    if (!ensure_connected(p)) return DB_ERR;
    if (!s->prepared && begin_now(p) != DB_OK) return DB_ERR;   /* preparing inside a transaction needs it begun */
    if (!s->prepared) {
        int rc = stmt_server_prepare(p, s);
        if (rc != DB_OK) {
            if (!p->base.quiet) fprintf(stderr, "db: prepare failed: %s\n  in: %s\n", p->err, s->sql);
            return rc;
        }
    }
    const char *vals[s->nparams ? s->nparams : 1];
    int lens[s->nparams ? s->nparams : 1], fmts[s->nparams ? s->nparams : 1];
    for (int i = 0; i < s->nparams; i++) {
        pg_param *prm = &s->params[i];
        vals[i] = prm->kind == P_NULL ? NULL : prm->data;
        lens[i] = prm->len;
        fmts[i] = prm->kind == P_BLOB;
    }
    PGresult *res = p->begin_pending ? exec_with_begin(p, s, vals, lens, fmts)
                                     : PQexecPrepared(p->conn, s->name, s->nparams, vals, lens, fmts, 0);
    if (!res) { set_err(p, PQerrorMessage(p->conn)); return DB_ERR; }
    if (retry_after_reconnect(p, res)) {          /* prepared statements went with the old connection */
        PQclear(res);
        if (stmt_server_prepare(p, s) != DB_OK) return DB_ERR;
        res = PQexecPrepared(p->conn, s->name, s->nparams, vals, lens, fmts, 0);
    }
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        int rc = map_error(p, res);
        PQclear(res);
        if (rc == DB_ERR && !p->base.quiet) fprintf(stderr, "db: step failed: %s\n  in: %s\n", p->err, s->sql);
        return rc;
    }
    const char *tuples = PQcmdTuples(res);
    p->changes = tuples && *tuples ? atoi(tuples) : 0;
    if (s->writes) db_note_write(&p->base);
    if (s->returning_id) {
        if (PQntuples(res) > 0) p->last_id = strtoll(PQgetvalue(res, PQntuples(res) - 1, 0), NULL, 10);
        PQclear(res);
        return DB_DONE;
    }
    s->res = res;
    s->row = -1;
    return DB_OK;
}

static int pg_step(db_stmt *st)
{
    pg_stmt *s = PS(st);
    pg_db *p = P(st->owner);
    if (!s->res) {
        if (s->row == -2) return DB_DONE;            /* already ran and finished */
        int rc = stmt_execute(p, s);
        if (rc != DB_OK) { s->row = -2; return rc; }
        if (!s->res) { s->row = -2; return DB_DONE; }
    }
    if (++s->row < PQntuples(s->res)) return DB_ROW;
    stmt_clear_result(s);
    s->row = -2;
    return DB_DONE;
}

static void pg_reset(db_stmt *s) { stmt_clear_result(PS(s)); }

static const char *pg_col_text(db_stmt *st, int i)
{
    pg_stmt *s = PS(st);
    if (!s->res || s->row < 0 || s->row >= PQntuples(s->res) || i >= PQnfields(s->res)) return NULL;
    if (PQgetisnull(s->res, s->row, i)) return NULL;
    return PQgetvalue(s->res, s->row, i);
}

static int pg_col_count(db_stmt *st)
{
    pg_stmt *s = PS(st);
    return s->res ? PQnfields(s->res) : 0;
}

static const char *pg_col_name(db_stmt *st, int i)
{
    pg_stmt *s = PS(st);
    return s->res ? PQfname(s->res, i) : NULL;
}

static int pg_col_type(db_stmt *st, int i)
{
    pg_stmt *s = PS(st);
    if (!pg_col_text(st, i)) return DB_T_NULL;
    switch (PQftype(s->res, i)) {
    case 16: case 20: case 21: case 23: return DB_T_INT;          /* bool, int8, int2, int4 */
    case 700: case 701: case 1700: return DB_T_REAL;              /* float4, float8, numeric */
    default: return DB_T_TEXT;
    }
}

static int64_t pg_col_int(db_stmt *s, int i)
{
    const char *t = pg_col_text(s, i);
    if (!t) return 0;
    if (t[0] == 't' && !t[1]) return 1;              /* booleans, as SQLite's 0/1 */
    if (t[0] == 'f' && !t[1]) return 0;
    return strtoll(t, NULL, 10);
}

static double pg_col_double(db_stmt *s, int i)
{
    const char *t = pg_col_text(s, i);
    return t ? strtod(t, NULL) : 0.0;
}

static int64_t pg_data_version(db *d)
{
    pg_db *p = P(d);
    drain_commit(p);
    if (!ensure_connected(p) || begin_now(p) != DB_OK) return -1;
    PGresult *res = exec_simple(p, "SELECT pg_current_snapshot()::text");
    int64_t v = -1;
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        v = (int64_t)(sql_hash(PQgetvalue(res, 0, 0)) >> 1);
    PQclear(res);
    return v;
}

/* A read request's transaction costs no round trip of its own: BEGIN goes with
 * the first statement, and COMMIT (of a transaction that wrote nothing) is sent
 * without waiting; its result is read before the connection's next command. */
static int pg_read_begin(db *d)
{
    pg_db *p = P(d);
    drain_commit(p);
    if (!ensure_connected(p)) return DB_ERR;
    p->begin_pending = true;
    return DB_OK;
}

static void pg_read_end(db *d)
{
    pg_db *p = P(d);
    if (p->begin_pending) { p->begin_pending = false; return; }     /* no statement ran: nothing began */
    if (PQstatus(p->conn) == CONNECTION_OK && PQsendQuery(p->conn, "COMMIT")) p->commit_pending = true;
}

/* Lost, unless a reconnect (outside a transaction) succeeds now. */
static bool pg_lost(db *d) { return PQstatus(P(d)->conn) != CONNECTION_OK && !ensure_connected(P(d)); }
static int64_t pg_last_id(db *d) { return P(d)->last_id; }
static int pg_changes(db *d) { return P(d)->changes; }
static const char *pg_errmsg(db *d) { return P(d)->err[0] ? P(d)->err : PQerrorMessage(P(d)->conn); }

static void pg_idle(db *d)
{
    pg_db *p = P(d);
    for (int i = 0; i < p->ncache; i++) stmt_clear_result(&p->cache[i]);
}

static int pg_sync_ids(db *d)
{
    pg_db *p = P(d);
    PGresult *res = PQexec(p->conn,
        "DO $$ DECLARE t text; BEGIN "
        "FOR t IN SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND column_name = 'id' AND is_identity = 'YES' LOOP "
        "EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), COALESCE(MAX(id), 0) + 1, false) FROM %I', t, t); "
        "END LOOP; END $$");
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? DB_OK : map_error(p, res);
    PQclear(res);
    return rc;
}

static int pg_after_migrations(db *d, char *err, size_t errlen)
{
    pg_db *p = P(d);
    PGresult *res = PQexec(p->conn, "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                                    "AND column_name = 'id' AND is_identity = 'YES' ORDER BY 1");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        snprintf(err, errlen, "cannot read the schema: %s", PQresultErrorMessage(res));
        PQclear(res);
        return -1;
    }
    size_t cap = 2;
    for (int i = 0; i < PQntuples(res); i++) cap += strlen(PQgetvalue(res, i, 0)) + 1;
    free(p->id_tables);
    p->id_tables = malloc(cap);
    if (!p->id_tables) { PQclear(res); snprintf(err, errlen, "out of memory"); return -1; }
    size_t o = (size_t)snprintf(p->id_tables, cap, ",");
    for (int i = 0; i < PQntuples(res); i++) o += (size_t)snprintf(p->id_tables + o, cap - o, "%s,", PQgetvalue(res, i, 0));
    PQclear(res);
    /* Statements prepared before now did not know which inserts return an id. */
    for (int i = 0; i < p->ncache; i++) stmt_free(&p->cache[i]);
    p->ncache = 0;
    PQclear(PQexec(p->conn, "DEALLOCATE ALL"));
    return 0;
}

/* Runs argv (pg_dump, pg_restore) and waits; 0 when it exited with 0. */
static int run_tool(char *const argv[], char *err, size_t errlen)
{
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0) { snprintf(err, errlen, "cannot run %s (install postgresql-client): %s", argv[0], strerror(rc)); return -1; }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) { }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "%s failed (exit %d)", argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -1;
    }
    return 0;
}

/* Copies the database with pg_dump's custom format (restore with pg_restore). */
static int pg_backup(db *d, const char *dest, char *err, size_t errlen)
{
    char *conninfo = NULL;
    PQconninfoOption *opts = PQconninfo(P(d)->conn);
    if (!opts) { snprintf(err, errlen, "out of memory"); return DB_ERR; }
    /* Rebuild a conninfo string for pg_dump from the live connection's settings. */
    size_t cap = 1024, o = 0;
    conninfo = malloc(cap);
    if (!conninfo) { PQconninfoFree(opts); snprintf(err, errlen, "out of memory"); return DB_ERR; }
    conninfo[0] = '\0';
    for (PQconninfoOption *op = opts; op->keyword; op++) {
        if (!op->val || !*op->val || strchr(op->val, '\'') || strchr(op->val, '\\')) continue;
        if (strcmp(op->keyword, "host") && strcmp(op->keyword, "port") && strcmp(op->keyword, "dbname") &&
            strcmp(op->keyword, "user") && strcmp(op->keyword, "password") && strcmp(op->keyword, "sslmode")) continue;
        size_t need = strlen(op->keyword) + strlen(op->val) + 5;
        if (o + need >= cap) break;
        o += (size_t)snprintf(conninfo + o, cap - o, "%s%s='%s'", o ? " " : "", op->keyword, op->val);
    }
    PQconninfoFree(opts);
    char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--file", (char *)dest, "--dbname", conninfo, NULL};
    mode_t old = umask(077);                /* the dump holds password, session and token hashes */
    int rc = run_tool(argv, err, errlen);
    umask(old);
    free(conninfo);
    return rc == 0 ? DB_OK : DB_ERR;
}

int db_pg_restore(const char *url, const char *backup_file, bool force, char *err, size_t errlen)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(c));
        for (char *p = err; *p; p++) if (*p == '\n') *p = ' ';
        PQfinish(c);
        return DB_ERR;
    }
    PGresult *res = PQexec(c, "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version'");
    bool has_schema = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0;
    PQclear(res);
    PQfinish(c);
    if (has_schema && !force) {
        snprintf(err, errlen, "the database already holds cchc tables; restoring would overwrite them (add --force, with the servers stopped)");
        return DB_CONSTRAINT;
    }
    char *argv[] = {"pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", (char *)url,
                    has_schema ? "--clean" : (char *)backup_file, has_schema ? "--if-exists" : NULL, has_schema ? (char *)backup_file : NULL, NULL};
    return run_tool(argv, err, errlen) == 0 ? DB_OK : DB_ERR;
}

/* ---------- engine.h: search, LIKE over the folded words (pg_trgm index) ---------- */

/* The portable table task_search, with its trigram index, is the whole index. */
static int pg_task_index(db *d, int64_t task_id, const char *words)
{
    (void)d; (void)task_id; (void)words;
    return DB_OK;
}

/* A folded word (letters and digits only, as search_parse splits them, so no
 * LIKE wildcard) becomes the prefix pattern "% word%" over task_search.words. */
static size_t pg_match_query(const char *word, char *out, size_t outlen)
{
    int n = snprintf(out, outlen, "%% %s%%", word);
    return *word && n > 0 && (size_t)n < outlen ? (size_t)n : 0;
}

static const db_engine pg_engine = {
    .name = "postgresql",
    .migrations = migrations,
    .begin_write = "BEGIN ISOLATION LEVEL SERIALIZABLE",
    .begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ",
    /* READ COMMITTED: after waiting for the lock, the next statement sees what
     * the migrator that held it committed. */
    .begin_migration = "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(4242020701)",
    .migration_sql = pg_migration_sql,
    .close = pg_close,
    .prepare = pg_prepare,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_type = pg_col_type,
    .sync_ids = pg_sync_ids,
    .exec = pg_exec,
    .control = pg_control,
    .data_version = pg_data_version,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .errmsg = pg_errmsg,
    .idle = pg_idle,
    .backup = pg_backup,
    .after_migrations = pg_after_migrations,
    .lost = pg_lost,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .task_search_sql = "SELECT task_id FROM task_search WHERE words LIKE ?",
    .match_query = pg_match_query,
    .task_index = pg_task_index,
};

db *db_pg_open(const char *url, bool read_only, char *err, size_t errlen)
{
    pg_db *p = calloc(1, sizeof *p);
    if (!p) { snprintf(err, errlen, "out of memory"); return NULL; }
    p->base.eng = &pg_engine;
    p->conn = PQconnectdb(url);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(p->conn));
        for (char *c = msg; *c; c++) if (*c == '\n') *c = ' ';
        size_t n = strlen(msg);
        while (n && msg[n - 1] == ' ') msg[--n] = '\0';
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", msg);
        pg_close(&p->base);
        return NULL;
    }
    PQsetClientEncoding(p->conn, "UTF8");
    /* Quiet NOTICEs ("relation already exists, skipping"); wait at most 5 s for a lock. */
    PQclear(PQexec(p->conn, "SET client_min_messages = warning; SET lock_timeout = '5s'"));
    p->read_only = read_only;
    if (read_only) PQclear(PQexec(p->conn, "SET default_transaction_read_only = on"));
    return &p->base;
}

