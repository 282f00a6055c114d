#ifndef CCHC_TEST_TESTDB_H
#define CCHC_TEST_TESTDB_H
/* The database a test runs on. scripts/run-tests runs every test binary twice:
 * on SQLite (a file in the test's own directory) and on PostgreSQL, in a
 * throwaway cluster it starts (CCHC_TEST_PG_HOST = the cluster's socket folder).
 * Each call to test_db_new gives a fresh, empty database. */
#include <stdbool.h>
#include <stddef.h>

/* True when this run is the PostgreSQL one. */
bool test_db_is_pg(void);
/* Writes the location of a new empty database into out: DIR/cchc.db on SQLite,
 * a postgresql:// URL of a newly created database on PostgreSQL. Returns out,
 * or NULL (with a message on stderr) when the database cannot be created. */
char *test_db_new(const char *dir, char *out, size_t n);
/* Drops a database made by test_db_new (a no-op for SQLite files, which go
 * with their directory). */
void test_db_drop(const char *location);
/* The engine's name in test names: "sqlite" or "pg". */
const char *test_db_engine(void);
/* A fresh database for one test, in a new folder /tmp/cchc-<name>-XXXXXX. */
typedef struct {
    char dir[64];
    char path[600];          /* the database: dir/cchc.db or a PostgreSQL URL */
    struct db *d;            /* open on it */
} test_db_box;
/* Makes and opens one (NULL, with a message, on failure); test_box_close closes,
 * drops and removes it all. */
test_db_box *test_box_open(const char *name);
void test_box_close(test_db_box *b);
/* The same as cmocka fixtures: a box named "test" in *state. */
int test_box_setup(void **state);
int test_box_teardown(void **state);
/* Runs a shell command line (printf-style) and returns its exit status (-1 if it
 * did not exit), with its standard output in out (n bytes, NUL-terminated). */
int sh_capture(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
