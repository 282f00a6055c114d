/* Migrations upgrade an existing database (not only fresh ones): a version-4
 * database with its login_failures table reaches the newest version, keeping rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "store/db.h"
#include "support/testdb.h"

static int count(db *d, const char *sql)
{
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int n = (int)db_col_int(s, 0);
    db_idle(d);
    return n;
}

static void test_upgrade_from_version_4(void **state)
{
    (void)state;
    char dir[] = "/tmp/cchc-migr-XXXXXX", path[600], err[256];
    assert_non_null(mkdtemp(dir));
    assert_non_null(test_db_new(dir, path, sizeof path));
    db *d = db_open(path, err, sizeof err);
    assert_non_null(d);
    int newest = db_schema_version(d);
    assert_true(newest >= 5);
    /* Back to version 4: the old throttling table with one row. */
    assert_int_equal(db_exec(d, "DROP TABLE login_attempts;"
                                "CREATE TABLE login_failures(key TEXT NOT NULL, at INTEGER NOT NULL);"
                                "CREATE INDEX login_failures_key ON login_failures(key, at);"
                                "INSERT INTO login_failures VALUES ('u:someone', 1700000000);"
                                "DROP TABLE task_search; DROP TABLE server_secrets;"
                                "ALTER TABLE audit DROP COLUMN prev_hash; ALTER TABLE audit DROP COLUMN hash;"
                                "DROP TABLE dossier_views; DROP TABLE dossier_events; DROP TABLE dossier_components;"
                                "DROP TABLE dossiers; DROP TABLE dossier_counters; DROP TABLE legal_regimes;"
                                "DROP TABLE portal_status_map; DROP TABLE procedure_versions; DROP TABLE procedures;"
                                "DELETE FROM schema_version WHERE version >= 5;"), DB_OK);
    db_close(d);
    d = db_open(path, err, sizeof err);
    if (!d) fail_msg("upgrade failed: %s", err);
    assert_int_equal(db_schema_version(d), newest);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM login_attempts WHERE key = 'u:someone'"), 1);
    db_close(d);
    test_db_drop(path);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_upgrade_from_version_4)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
