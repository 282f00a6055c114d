/* Backup and restore that have been tried: a backup taken during a write load,
 * restored into a fresh data folder (SQLite) or a new database (PostgreSQL),
 * holds every update acknowledged before the backup began and passes the
 * integrity check; cchc restore refuses a database with data unless --force. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "store/db.h"
#include "support/harness.h"
#include "support/testdb.h"

#define MAX_ACKED 4000

typedef struct {
    int64_t acked[MAX_ACKED];
    atomic_int nacked;
    atomic_bool stop;
} load;

static void *post_updates(void *arg)
{
    load *l = arg;
    client *c = c_new(h_shared);
    const char *csrf = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    char token[64], path[64];
    snprintf(token, sizeof token, "%s", csrf ? csrf : "");
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)h_task_id(h_shared, "KH2022", "9"));
    while (csrf && !atomic_load(&l->stop)) {
        const response *r = c_post_json(c, "POST", path, "{\"status\":\"in_progress\",\"percent\":33,\"note\":\"during the backup\"}", token);
        const char *id = r->status == 201 ? strstr(r->body, "\"update_id\":") : NULL;
        int k = id ? atomic_fetch_add(&l->nacked, 1) : MAX_ACKED;
        if (k < MAX_ACKED) l->acked[k] = strtoll(id + 12, NULL, 10);
    }
    c_free(c);
    return NULL;
}

/* Rows of sql (one integer, '?' bound to arg) in the database at location. */
static int64_t count_in(const char *location, const char *sql, int64_t arg)
{
    char err[256];
    db *d = db_open(location, err, sizeof err);
    if (!d) fail_msg("open %s: %s", location, err);
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    db_bind_int(s, 1, arg);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int(s, 0);
    db_close(d);
    return n;
}

static void test_backup_during_writes_then_restore(void **state)
{
    (void)state;
    const char *bin = getenv("CCHC_TEST_BIN");
    if (!bin) bin = "build/asan/cchc";
    static load l;
    pthread_t t[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, post_updates, &l), 0);
    while (atomic_load(&l.nacked) < 20) usleep(10000);
    int before_backup = atomic_load(&l.nacked);                    /* acknowledged before the backup began */
    char dir[] = "/tmp/cchc-restore-XXXXXX", file[200], out[4096], target[600];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/backup", dir);
    assert_int_equal(sh_capture(out, sizeof out, "%s --config /dev/null backup %s --data %s --db '%s' 2>&1", bin, file,
                                h_data_dir(h_shared), h_db_location(h_shared)), 0);
    atomic_store(&l.stop, true);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);

    /* Into a fresh data folder (SQLite) or a new empty database (PostgreSQL). */
    char fresh[300];
    snprintf(fresh, sizeof fresh, "%s/fresh", dir);
    if (test_db_is_pg()) assert_non_null(test_db_new(dir, target, sizeof target));
    else snprintf(target, sizeof target, "%s/cchc.db", fresh);
    assert_int_equal(sh_capture(out, sizeof out, "%s --config /dev/null restore %s --data %s --db '%s' 2>&1", bin, file, fresh, target), 0);
    for (int i = 0; i < before_backup && i < MAX_ACKED; i++)
        if (count_in(target, "SELECT COUNT(*) FROM task_updates WHERE id = ?", l.acked[i]) != 1)
            fail_msg("update %lld acknowledged before the backup is missing", (long long)l.acked[i]);
    assert_true(count_in(target, "SELECT COUNT(*) FROM users WHERE id > ?", 0) >= 7);
    if (!test_db_is_pg()) {
        char err[256];
        db *d = db_open(target, err, sizeof err);
        assert_non_null(d);
        db_stmt *s = db_prepare(d, "PRAGMA integrity_check");
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_col_text(s, 0), "ok");
        db_close(d);
    }
    /* A database with data is not overwritten by accident; --force does it. */
    assert_int_equal(sh_capture(out, sizeof out, "%s --config /dev/null restore %s --data %s --db '%s' 2>&1", bin, file, fresh, target), 1);
    assert_non_null(strstr(out, "--force"));
    assert_int_equal(sh_capture(out, sizeof out, "%s --config /dev/null restore %s --force --data %s --db '%s' 2>&1", bin, file, fresh, target), 0);
    assert_true(count_in(target, "SELECT COUNT(*) FROM tasks WHERE id > ?", 0) > 0);
    /* Not a backup at all: refused, nothing written. */
    assert_int_equal(sh_capture(out, sizeof out, "echo nonsense > %s/junk; %s --config /dev/null restore %s/junk --data %s/other 2>&1",
                                dir, bin, dir, dir), 1);
    if (test_db_is_pg()) test_db_drop(target);
    sh_capture(out, sizeof out, "rm -rf %s", dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup_during_writes_then_restore),
    };
    return cmocka_run_group_tests(tests, h_shared_setup, h_shared_teardown);
}
