/* PostgreSQL only (each test skips on the SQLite run and says so in its name):
 * cchc migrate copies a demo SQLite deployment into PostgreSQL, verified, and the
 * migrated system answers the API exactly like the original; a PostgreSQL
 * restart while serving gives 503s, then the instance reconnects by itself and
 * no acknowledged write is lost. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support/harness.h"
#include "support/testdb.h"

static const char *bin(void)
{
    const char *b = getenv("CCHC_TEST_BIN");
    return b ? b : "build/asan/cchc";
}

static int count_of(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* The public API paths compared between the original and the migrated system. */
static const char *const PATHS[] = {
    "/api/v1/plans", "/api/v1/plans/1", "/api/v1/plans/2", "/api/v1/plans/1/tasks", "/api/v1/plans/1/tasks?page=2",
    "/api/v1/plans/1/tasks?q=so%20hoa", "/api/v1/plans/1/tasks?q=s%E1%BB%91%20h%C3%B3a", "/api/v1/plans/2/tasks?status=in_progress",
    "/api/v1/tasks/1", "/api/v1/tasks/9", "/api/v1/tasks/30", "/api/v1/tasks/60", "/api/v1/units", "/api/v1/targets?plan=1",
    "/api/v1/targets?plan=2", "/api/v1/calendar/2022", "/api/v1/calendar/add?from=2022-01-28&days=5",
};

static void test_migrate_sqlite_demo_to_pg_answers_alike(void **state)
{
    (void)state;
    if (!test_db_is_pg()) skip();
    char dir[] = "/tmp/cchc-migrate-XXXXXX", url[600], out[16384], before[200], after[200];
    assert_non_null(mkdtemp(dir));
    assert_int_equal(sh_capture(out, sizeof out, "%s --config /dev/null init --data %s --demo 2>&1", bin(), dir), 0);
    assert_non_null(test_db_new(dir, url, sizeof url));
    assert_int_equal(sh_capture(before, sizeof before, "cat %s/cchc.db %s/cchc.db-wal 2>/dev/null | sha256sum", dir, dir), 0);
    assert_int_equal(sh_capture(out, sizeof out, "%s migrate --from %s/cchc.db --to '%s' 2>&1", bin(), dir, url), 0);
    assert_non_null(strstr(out, "every table copied and verified"));
    assert_int_equal(count_of(out, "  ok\n"), 22);           /* one line per table, each matching */
    assert_null(strstr(out, "DIFFERENT"));
    assert_non_null(strstr(out, "tasks                            72       72"));
    assert_int_equal(sh_capture(after, sizeof after, "cat %s/cchc.db %s/cchc.db-wal 2>/dev/null | sha256sum", dir, dir), 0);
    assert_string_equal(before, after);                      /* the source untouched */
    /* A second run refuses: the target is no longer empty. */
    assert_int_equal(sh_capture(out, sizeof out, "%s migrate --from %s/cchc.db --to '%s' 2>&1", bin(), dir, url), 1);
    assert_non_null(strstr(out, "not empty"));

    char sqlite_path[300];
    snprintf(sqlite_path, sizeof sqlite_path, "%s/cchc.db", dir);
    uint16_t port_sqlite = 0, port_pg = 0;
    int a = spawn_serve(dir, sqlite_path, &port_sqlite), b = spawn_serve(dir, url, &port_pg);
    assert_true(a > 0 && b > 0);
    harness *h = h_start();                                   /* for its HTTP client only */
    assert_non_null(h);
    client *c = c_new(h);
    for (size_t i = 0; i < sizeof PATHS / sizeof PATHS[0]; i++) {
        c_set_port(c, port_sqlite);
        const response *x = c_get(c, PATHS[i]);
        c_set_port(c, port_pg);
        const response *y = c_get(c, PATHS[i]);
        assert_int_equal(x->status, 200);
        assert_int_equal(y->status, x->status);
        if (strcmp(x->body, y->body) != 0) fail_msg("%s differs:\nsqlite: %.400s\npg:     %.400s", PATHS[i], x->body, y->body);
    }
    c_free(c);
    h_stop(h);
    h_kill_serve(a);
    h_kill_serve(b);
    test_db_drop(url);
    assert_int_equal(sh_capture(out, sizeof out, "rm -rf %s", dir), 0);
}

static void test_pg_restart_gives_503_then_reconnects(void **state)
{
    (void)state;
    if (!test_db_is_pg()) skip();
    harness *h = h_start();
    assert_non_null(h);
    const char *csrf;
    client *c = c_new(h);
    csrf = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    assert_non_null(csrf);
    char token[64], path[64], out[512];
    snprintf(token, sizeof token, "%s", csrf);
    int64_t task = h_task_id(h, "KH2022", "9");
    char view[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    snprintf(view, sizeof view, "/api/v1/tasks/%lld", (long long)task);
    const response *r = c_post_json(c, "POST", path, "{\"status\":\"in_progress\",\"percent\":42,\"note\":\"before the restart\"}", token);
    assert_int_equal(r->status, 201);                         /* acknowledged: must survive */
    const char *pgdir = getenv("CCHC_TEST_PG_HOST");
    assert_int_equal(sh_capture(out, sizeof out, "scripts/pg-test-cluster halt %s 2>&1", pgdir), 0);
    r = c_get(c, view);
    assert_int_equal(r->status, 503);
    assert_true(r_has(r, "\"unavailable\""));
    r = c_get(c, "/my");
    assert_int_equal(r->status, 503);
    assert_true(r_has(r, "<html") || r_has(r, "<!DOCTYPE"));
    r = c_post_json(c, "POST", path, "{\"status\":\"in_progress\",\"percent\":43,\"note\":\"while down\"}", token);
    assert_int_equal(r->status, 503);
    assert_int_equal(sh_capture(out, sizeof out, "scripts/pg-test-cluster resume %s 2>&1", pgdir), 0);
    r = c_get(c, view);                                        /* the instance reconnects by itself */
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "\"percent\":42"));
    assert_int_equal(c_get(c, "/my")->status, 200);            /* the session survived too */
    assert_int_equal(h_query_int(h, "SELECT COUNT(*) FROM task_updates WHERE note = ?", "before the restart"), 1);
    assert_int_equal(h_query_int(h, "SELECT COUNT(*) FROM task_updates WHERE note = ?", "while down"), 0);
    c_free(c);
    h_stop(h);
}

/* The cluster runs again even when the restart test failed half-way. */
static int resume_cluster(void **state)
{
    (void)state;
    char out[512];
    if (test_db_is_pg()) sh_capture(out, sizeof out, "scripts/pg-test-cluster resume %s 2>&1", getenv("CCHC_TEST_PG_HOST"));
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_sqlite_demo_to_pg_answers_alike),
        cmocka_unit_test_teardown(test_pg_restart_gives_503_then_reconnects, resume_cluster),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
