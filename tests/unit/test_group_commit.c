/* Write transactions: a commit that fails reaches the caller as an error (never
 * as success), and on SQLite, where every write of the process goes through one
 * group-commit writer, a failing transaction in a group rolls back alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "store/db.h"
#include "support/testdb.h"

typedef test_db_box fixture;

static int teardown(void **state)
{
    db_test_group_size(0);
    db_test_fail_commits(0);
    return test_box_teardown(state);
}

/* Inserts the years of a zero-terminated list into calendar_confirmed_years. */
static int insert_years(db *d, void *ctx)
{
    for (const int *y = ctx; *y; y++) {
        db_stmt *s = db_prepare(d, "INSERT INTO calendar_confirmed_years(year, confirmed_at) VALUES (?, '2026-01-01T00:00:00Z')");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, *y);
        int rc = db_exec_stmt(s);
        if (rc != DB_DONE) return rc;
    }
    return DB_OK;
}

static int64_t year_rows(db *d, int year)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM calendar_confirmed_years WHERE year = ?");
    assert_non_null(s);
    db_bind_int(s, 1, year);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int(s, 0);
    db_idle(d);
    return n;
}

typedef struct {
    const char *path;
    const int *years;
    int rc;
} writer_arg;

/* One request's write, on its own connection (as a server worker thread). */
static void *write_on_own_connection(void *arg)
{
    writer_arg *a = arg;
    char err[256];
    db *d = db_open(a->path, err, sizeof err);
    a->rc = d ? db_txn(d, true, insert_years, (void *)a->years) : DB_ERR;
    db_close(d);
    return NULL;
}

static void test_commit_failure_is_an_error_not_a_success(void **state)
{
    fixture *f = *state;
    static const int y2040[] = {2040, 0}, y2041[] = {2041, 0};
    db_test_fail_commits(1);
    assert_int_not_equal(db_txn(f->d, true, insert_years, (void *)y2040), DB_OK);
    assert_int_equal(year_rows(f->d, 2040), 0);                    /* nothing was kept */
    assert_int_equal(db_txn(f->d, true, insert_years, (void *)y2041), DB_OK);
    assert_int_equal(year_rows(f->d, 2041), 1);
}

static void test_group_sqlite_failing_write_rolls_back_alone(void **state)
{
    fixture *f = *state;
    if (test_db_is_pg()) skip();                                   /* PostgreSQL commits each on its own connection */
    static const int seed[] = {2030, 0}, a[] = {2031, 0}, b[] = {2032, 2030, 0}, c[] = {2033, 0};
    assert_int_equal(db_txn(f->d, true, insert_years, (void *)seed), DB_OK);
    db_test_group_size(3);                                         /* the writer waits for all three */
    writer_arg args[3] = {{f->path, a, -99}, {f->path, b, -99}, {f->path, c, -99}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&t[i], NULL, write_on_own_connection, &args[i]), 0);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    db_test_group_size(0);
    assert_int_equal(db_test_last_group(), 3);                     /* one group, one commit */
    assert_int_equal(args[0].rc, DB_OK);
    assert_int_equal(args[1].rc, DB_CONSTRAINT);                   /* 2030 exists: its own work only is undone */
    assert_int_equal(args[2].rc, DB_OK);
    assert_int_equal(year_rows(f->d, 2031), 1);
    assert_int_equal(year_rows(f->d, 2032), 0);
    assert_int_equal(year_rows(f->d, 2033), 1);
    assert_int_equal(year_rows(f->d, 2030), 1);
}

static void test_group_sqlite_commit_failure_fails_the_whole_group(void **state)
{
    fixture *f = *state;
    if (test_db_is_pg()) skip();
    static const int a[] = {2051, 0}, b[] = {2052, 0};
    db_test_group_size(2);
    db_test_fail_commits(1);
    writer_arg args[2] = {{f->path, a, -99}, {f->path, b, -99}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, write_on_own_connection, &args[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    db_test_group_size(0);
    assert_int_equal(db_test_last_group(), 2);
    assert_int_not_equal(args[0].rc, DB_OK);                       /* neither is told "done" */
    assert_int_not_equal(args[1].rc, DB_OK);
    assert_int_equal(year_rows(f->d, 2051), 0);
    assert_int_equal(year_rows(f->d, 2052), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_failure_is_an_error_not_a_success, test_box_setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_sqlite_failing_write_rolls_back_alone, test_box_setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_sqlite_commit_failure_fails_the_whole_group, test_box_setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
