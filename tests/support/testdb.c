/* Fresh databases for tests on either engine (see testdb.h). */
#include "testdb.h"
#include "store/db.h"
#include <libpq-fe.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int counter;

bool test_db_is_pg(void)
{
    const char *host = getenv("CCHC_TEST_PG_HOST");
    return host && *host;
}

const char *test_db_engine(void) { return test_db_is_pg() ? "pg" : "sqlite"; }

/* Runs one statement on the cluster's maintenance database; 0 on success. */
static int admin_exec(const char *sql)
{
    char url[600];
    snprintf(url, sizeof url, "postgresql:///postgres?host=%s&user=postgres", getenv("CCHC_TEST_PG_HOST"));
    PGconn *c = PQconnectdb(url);
    int rc = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, sql);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
        if (rc) fprintf(stderr, "testdb: %s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
    } else {
        fprintf(stderr, "testdb: %s", PQerrorMessage(c));
    }
    PQfinish(c);
    return rc;
}

char *test_db_new(const char *dir, char *out, size_t n)
{
    if (!test_db_is_pg()) {
        snprintf(out, n, "%s/cchc.db", dir);
        return out;
    }
    char name[64], sql[128];
    snprintf(name, sizeof name, "t%ld_%d", (long)getpid(), atomic_fetch_add(&counter, 1));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (admin_exec(sql) != 0) return NULL;
    snprintf(out, n, "postgresql:///%s?host=%s&user=postgres", name, getenv("CCHC_TEST_PG_HOST"));
    return out;
}

void test_db_drop(const char *location)
{
    if (!test_db_is_pg() || strncmp(location, "postgresql:///", 14) != 0) return;
    const char *name = location + 14;
    size_t len = strcspn(name, "?");
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %.*s WITH (FORCE)", (int)len, name);
    admin_exec(sql);
}

int sh_capture(char *out, size_t n, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    out[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t len = fread(out, 1, n - 1, p);
    out[len] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

test_db_box *test_box_open(const char *name)
{
    test_db_box *b = calloc(1, sizeof *b);
    char err[256];
    if (!b) return NULL;
    snprintf(b->dir, sizeof b->dir, "/tmp/cchc-%.20s-XXXXXX", name);
    if (!mkdtemp(b->dir) || !test_db_new(b->dir, b->path, sizeof b->path)) { free(b); return NULL; }
    b->d = db_open(b->path, err, sizeof err);
    if (!b->d) {
        fprintf(stderr, "testdb: %s\n", err);
        test_box_close(b);
        return NULL;
    }
    return b;
}

void test_box_close(test_db_box *b)
{
    if (!b) return;
    char out[256];
    db_close(b->d);
    test_db_drop(b->path);
    sh_capture(out, sizeof out, "rm -rf %s", b->dir);
    free(b);
}

int test_box_setup(void **state)
{
    *state = test_box_open("test");
    return *state ? 0 : -1;
}

int test_box_teardown(void **state)
{
    test_box_close(*state);
    return 0;
}
