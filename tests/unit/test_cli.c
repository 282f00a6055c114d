/* The command line as scripts use it: init --demo, user add/passwd/list,
 * backup, import plan (--dry-run and real), and configuration errors. Runs the
 * ASan build of cchc (CCHC_TEST_BIN, set by scripts/run-tests). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "store/db.h"
#include "support/testdb.h"

static char dir[64];
static char location[600];     /* the database of every command: DIR/cchc.db or a PostgreSQL URL */
static const char *bin;

/* Runs "cchc ARGS" with stdin_text on standard input; returns the exit status and
 * the output (stdout and stderr) in out. */
static int run(const char *stdin_text, char *out, size_t n, const char *fmt, ...)
{
    char args[1024], cmd[2200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char dbopt[700] = "";
    if (test_db_is_pg()) snprintf(dbopt, sizeof dbopt, " --db '%s'", location);
    snprintf(cmd, sizeof cmd, "printf '%%s' '%s' | %s %s%s 2>&1", stdin_text ? stdin_text : "", bin, args, dbopt);
    return sh_capture(out, n, "%s", cmd);
}

static int count(const char *db_path, const char *sql)
{
    char err[256];
    db *d = db_open(db_path, err, sizeof err);
    assert_non_null(d);
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int v = (int)db_col_int(s, 0);
    db_close(d);
    return v;
}

static int setup(void **state)
{
    (void)state;
    bin = getenv("CCHC_TEST_BIN");
    if (!bin) bin = "build/asan/cchc";
    snprintf(dir, sizeof dir, "/tmp/cchc-cli-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    return test_db_new(dir, location, sizeof location) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    test_db_drop(location);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_init_demo_and_users(void **state)
{
    (void)state;
    char out[8192], path[128];
    assert_int_equal(run(NULL, out, sizeof out, "init --data %s --demo", dir), 0);
    assert_non_null(strstr(out, "vanphong"));
    snprintf(path, sizeof path, "%s/demo-accounts.txt", dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(run("mat-khau-dai-2026\n", out, sizeof out, "user add canbo.tt --role unit --unit TTRA --password-stdin --data %s", dir), 0);
    assert_int_equal(run("mat-khau-dai-2026\n", out, sizeof out, "user add canbo.tt --role unit --unit TTRA --password-stdin --data %s", dir), 2);
    assert_non_null(strstr(out, "already exists"));
    assert_int_equal(run("mat-khau-dai-2026\n", out, sizeof out, "user add x1 --role boss --password-stdin --data %s", dir), 2);
    assert_int_equal(run("ngan\n", out, sizeof out, "user add khac --role viewer --password-stdin --data %s", dir), 2);
    assert_int_equal(run("mat-khau-dai-2026\n", out, sizeof out, "user add \"a b\" --role viewer --password-stdin --data %s", dir), 2);
    assert_int_equal(run(NULL, out, sizeof out, "user list --data %s", dir), 0);
    assert_non_null(strstr(out, "canbo.tt"));
    assert_int_equal(run("mat-khau-moi-2026\n", out, sizeof out, "user passwd canbo.tt --password-stdin --data %s", dir), 0);
    assert_int_equal(run(NULL, out, sizeof out, "user passwd canbo.tt --data %s", dir), 2);   /* --password-stdin is required */
}

static void test_backup_sqlite_is_private_and_complete(void **state)
{
    (void)state;
    if (test_db_is_pg()) skip();
    char out[4096], copy[128];
    const char *live = location;
    snprintf(copy, sizeof copy, "%s/copy.db", dir);
    assert_int_equal(run(NULL, out, sizeof out, "backup %s --data %s", copy, dir), 0);
    struct stat st;
    assert_int_equal(stat(copy, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(count(copy, "SELECT COUNT(*) FROM tasks"), count(live, "SELECT COUNT(*) FROM tasks"));
    assert_true(count(copy, "SELECT COUNT(*) FROM users") >= 7);
}

/* On PostgreSQL, cchc backup is pg_dump's custom format: private, and restorable
 * (pg_restore into a new database gives the same rows). */
static void test_backup_pg_dump_is_private_and_restorable(void **state)
{
    (void)state;
    if (!test_db_is_pg()) skip();
    char out[4096], copy[128], restored[600], cmd[1600];
    snprintf(copy, sizeof copy, "%s/copy.dump", dir);
    assert_int_equal(run(NULL, out, sizeof out, "backup %s --data %s", copy, dir), 0);
    struct stat st;
    assert_int_equal(stat(copy, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_non_null(test_db_new(dir, restored, sizeof restored));
    snprintf(cmd, sizeof cmd, "pg_restore --no-owner --dbname '%s' %s 2>&1", restored, copy);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(count(restored, "SELECT COUNT(*) FROM tasks"), count(location, "SELECT COUNT(*) FROM tasks"));
    assert_int_equal(count(restored, "SELECT COUNT(*) FROM audit"), count(location, "SELECT COUNT(*) FROM audit"));
    assert_true(count(restored, "SELECT COUNT(*) FROM users") >= 7);
    test_db_drop(restored);
}

/* A --db that names no reachable database, or no PostgreSQL at all: one line, exit 1. */
static void test_bad_db_url_is_one_line_exit_1(void **state)
{
    (void)state;
    char out[4096];
    const char *bad[] = {"postgresql:///nosuchdb?host=/nonexistent-socket-dir", "postgres://cchc@127.0.0.1:1/cchc?connect_timeout=2",
                         "mysql://localhost/cchc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char cmdline[300];
        snprintf(cmdline, sizeof cmdline, "printf '' | %s user list --db '%s' 2>&1", bin, bad[i]);
        FILE *p = popen(cmdline, "r");
        assert_non_null(p);
        size_t len = fread(out, 1, sizeof out - 1, p);
        out[len] = '\0';
        int st = pclose(p);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 1);
        assert_true(len > 10);
        assert_non_null(strstr(out, "cchc"));
        assert_ptr_equal(strchr(out, '\n'), out + len - 1);       /* exactly one line */
    }
}

static void test_import_dry_run_and_apply(void **state)
{
    (void)state;
    char out[8192], csv[128];
    const char *live = location;
    snprintf(csv, sizeof csv, "%s/bad.csv", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n"
          "KH2022,II,Cải cách thể chế,90,Nhiệm vụ A,KHONG_CO,,Báo cáo,Quý IV/2022\n"
          "KH2022,II,Cải cách thể chế,91,Nhiệm vụ B,TTRA,,Báo cáo,31/02/2022\n", f);
    fclose(f);
    int before = count(live, "SELECT COUNT(*) FROM tasks");
    assert_int_equal(run(NULL, out, sizeof out, "import plan %s --data %s", csv, dir), 2);
    assert_non_null(strstr(out, "line 2, lead_unit"));              /* each problem with its line */
    assert_non_null(strstr(out, "KHONG_CO"));
    assert_non_null(strstr(out, "line 3, deadline_text"));
    assert_int_equal(count(live, "SELECT COUNT(*) FROM tasks"), before);
    snprintf(csv, sizeof csv, "%s/good.csv", dir);
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n"
          "KH2022,II,Cải cách thể chế,92,Nhiệm vụ C,TTRA,VP,Báo cáo,Quý IV/2022\n", f);
    fclose(f);
    assert_int_equal(run(NULL, out, sizeof out, "import plan %s --dry-run --data %s", csv, dir), 0);
    assert_int_equal(count(live, "SELECT COUNT(*) FROM tasks"), before);
    assert_int_equal(run(NULL, out, sizeof out, "import plan %s --data %s", csv, dir), 0);
    assert_int_equal(count(live, "SELECT COUNT(*) FROM tasks"), before + 1);
}

/* cchc routes: the route table as TSV, one route a line (read by tests/browser/a11y.mjs). */
static void test_routes_lists_the_table(void **state)
{
    (void)state;
    char out[16384];
    assert_int_equal(run(NULL, out, sizeof out, "routes"), 0);
    assert_non_null(strstr(out, "GET\t/tasks/{id}\thtml\tread_internal\tTask and timeline\n"));
    assert_non_null(strstr(out, "POST\t/api/v1/session\tjson\tpublic\t"));
    assert_int_equal(run(NULL, out, sizeof out, "routes --help"), 0);
    assert_int_equal(run(NULL, out, sizeof out, "routes extra"), 2);
}

static void test_configuration_errors(void **state)
{
    (void)state;
    char out[2048];
    assert_int_equal(run(NULL, out, sizeof out, "--set limits.max_upload=abc user list --data %s", dir), 2);
    assert_non_null(strstr(out, "max_upload"));
    assert_int_equal(run(NULL, out, sizeof out, "--set nosuch.key=1 user list --data %s", dir), 2);
    assert_int_equal(run(NULL, out, sizeof out, "--config /nonexistent.conf user list --data %s", dir), 2);
    assert_int_equal(run(NULL, out, sizeof out, "serve --listen nowhere --data %s", dir), 2);
    assert_int_equal(run(NULL, out, sizeof out, "--help"), 0);
    assert_non_null(strstr(out, "calendar"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_demo_and_users),
        cmocka_unit_test(test_backup_sqlite_is_private_and_complete),
        cmocka_unit_test(test_backup_pg_dump_is_private_and_restorable),
        cmocka_unit_test(test_bad_db_url_is_one_line_exit_1),
        cmocka_unit_test(test_import_dry_run_and_apply),
        cmocka_unit_test(test_routes_lists_the_table),
        cmocka_unit_test(test_configuration_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
