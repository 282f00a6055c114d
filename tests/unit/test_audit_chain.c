/* The audit is a hash chain: cchc audit verify (store_audit_verify) finds an
 * edited entry, a deleted one and two swapped ones, on both engines. The
 * tampering goes around the append-only triggers, as an intruder with database
 * access would. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "store/db.h"
#include "store/store_audit.h"
#include "support/testdb.h"

typedef test_db_box fixture;

/* A fresh database with five chained entries. */
static int setup(void **state)
{
    if (test_box_setup(state) != 0) return -1;
    fixture *f = *state;
    for (int i = 1; i <= 5; i++) {
        char after[64];
        snprintf(after, sizeof after, "{\"n\":%d}", i);
        if (store_audit(f->d, 0, "kiemtra", "test_entry", "task", i, i == 1 ? NULL : "{\"before\":true}", after) != DB_OK) return -1;
    }
    return 0;
}

/* Runs sql with the append-only triggers out of the way (engine-specific, as an intruder's). */
static void tamper(db *d, const char *sql)
{
    char buf[600];
    if (test_db_is_pg())
        snprintf(buf, sizeof buf, "ALTER TABLE audit DISABLE TRIGGER USER; %s; ALTER TABLE audit ENABLE TRIGGER USER", sql);
    else
        snprintf(buf, sizeof buf, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; %s", sql);
    assert_int_equal(db_exec(d, buf), DB_OK);
}

static int64_t id_of(db *d, int n)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM audit WHERE action = 'test_entry' AND entity_id = ?");
    db_bind_int(s, 1, n);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int(s, 0);
    db_idle(d);
    return id;
}

static int64_t broken_at(db *d, int64_t *checked)
{
    int64_t broken = -1;
    char head[65];
    assert_int_equal(store_audit_verify(d, checked, &broken, head), DB_OK);
    return broken;
}

static void test_intact_chain_verifies(void **state)
{
    fixture *f = *state;
    int64_t checked;
    assert_int_equal(broken_at(f->d, &checked), 0);
    assert_int_equal(checked, 5);
    /* Direct updates and deletes are still refused by the triggers. */
    assert_int_not_equal(db_exec(f->d, "UPDATE audit SET after = '{}'"), DB_OK);
}

static void test_edited_entry_found(void **state)
{
    fixture *f = *state;
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE audit SET after = '{\"n\":99}' WHERE id = %lld", (long long)id_of(f->d, 3));
    int64_t third = id_of(f->d, 3), checked;
    tamper(f->d, sql);
    assert_int_equal(broken_at(f->d, &checked), third);
    assert_int_equal(checked, 2);
}

static void test_deleted_entry_found(void **state)
{
    fixture *f = *state;
    char sql[160];
    int64_t fourth = id_of(f->d, 4), checked;
    snprintf(sql, sizeof sql, "DELETE FROM audit WHERE id = %lld", (long long)id_of(f->d, 3));
    tamper(f->d, sql);
    assert_int_equal(broken_at(f->d, &checked), fourth);          /* the one after the gap */
}

static void test_swapped_entries_found(void **state)
{
    fixture *f = *state;
    char sql[400];
    int64_t a = id_of(f->d, 2), b = id_of(f->d, 4), checked;
    /* Swap the contents (and hashes) of entries 2 and 4: each still hashes alone, not in order. */
    snprintf(sql, sizeof sql, "UPDATE audit SET entity_id = CASE WHEN id = %lld THEN 4 ELSE 2 END, "
                              "after = CASE WHEN id = %lld THEN '{\"n\":4}' ELSE '{\"n\":2}' END WHERE id IN (%lld, %lld)",
             (long long)a, (long long)a, (long long)a, (long long)b);
    tamper(f->d, sql);
    assert_int_equal(broken_at(f->d, &checked), a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intact_chain_verifies, setup, test_box_teardown),
        cmocka_unit_test_setup_teardown(test_edited_entry_found, setup, test_box_teardown),
        cmocka_unit_test_setup_teardown(test_deleted_entry_found, setup, test_box_teardown),
        cmocka_unit_test_setup_teardown(test_swapped_entries_found, setup, test_box_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
