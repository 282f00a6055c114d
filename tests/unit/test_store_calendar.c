/* Admin edits of the working-day calendar (src/store/store_calendar.c), the
 * process-wide current calendar (src/calendar_current.c) and `cchc calendar
 * --db` (src/cli_calendar.c), each test on a fresh database in a mkdtemp dir. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "support/testdb.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar_current.h"
#include "calendar_default.h"
#include "cli_calendar.h"
#include "store/store_audit.h"
#include "store/store_calendar.h"
#include "store/store_user.h"

typedef struct {
    char dir[64];
    char path[600];
    db *d;
    int64_t admin_id;
    cal_editor who;
} fixture;

static int32_t iso(const char *s)
{
    int32_t jdn = 0;
    if (!cal_parse_iso(s, &jdn)) fail_msg("bad test date %s", s);
    return jdn;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256];
    snprintf(f->dir, sizeof f->dir, "/tmp/cchc-cal-XXXXXX");
    if (!f->dir[0] || !mkdtemp(f->dir)) return -1;
    if (!test_db_new(f->dir, f->path, sizeof f->path)) return -1;
    f->d = db_open(f->path, err, sizeof err);
    if (!f->d) {
        fprintf(stderr, "db_open: %s\n", err);
        return -1;
    }
    f->admin_id = store_user_add(f->d, "quantri", "Quản trị", ROLE_ADMIN, 0, "x");
    f->who = (cal_editor){f->admin_id, "quantri"};
    *state = f;
    return f->admin_id > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char p[160];
    db_close(f->d);
    test_db_drop(f->path);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static cal_calendar *build(fixture *f)
{
    char err[256];
    cal_calendar *cal = store_calendar_build(f->d, err, sizeof err);
    if (!cal) fail_msg("store_calendar_build: %s", err);
    return cal;
}

static bool working(const cal_calendar *cal, const char *day)
{
    return cal_is_working_day(cal, iso(day), NULL);
}

static cal_edit_result add(fixture *f, const char *day, cal_day_kind kind, const char *name, const char *source)
{
    char err[256];
    cal_day d = {iso(day), kind, name, source};
    return store_calendar_add(f->d, &d, &f->who, err, sizeof err);
}

static int64_t count_rows(fixture *f, const char *sql)
{
    db_stmt *s = db_prepare(f->d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    return db_col_int(s, 0);
}

/* Collects the audit entries of one year. */
typedef struct {
    int n;
    char action[4][32];
    char before[4][600];
    char after[4][2000];
} audit_seen;

static void collect_audit(const audit_row *a, void *ctx)
{
    audit_seen *s = ctx;
    if (s->n >= 4) return;
    snprintf(s->action[s->n], sizeof s->action[0], "%s", a->action);
    snprintf(s->before[s->n], sizeof s->before[0], "%s", a->before ? a->before : "");
    snprintf(s->after[s->n], sizeof s->after[0], "%s", a->after ? a->after : "");
    s->n++;
}

static void test_empty_database_gives_bundled_calendar(void **state)
{
    fixture *f = *state;
    cal_calendar *cal = build(f);
    assert_true(working(cal, "2027-03-01"));
    assert_false(working(cal, "2026-02-20"));
    assert_int_equal(cal_year_status_of(cal, 2027), CAL_YEAR_PROVISIONAL);
    assert_int_equal(cal_year_status_of(cal, 2026), CAL_YEAR_OFFICIAL);
    assert_int_equal(cal_add_working_days(cal, iso("2026-02-12"), 5), iso("2026-02-26"));
    cal_free(cal);
}

static void test_add_changes_calendar_counting_and_audit(void **state)
{
    fixture *f = *state;
    assert_int_equal(add(f, "2027-03-01", CAL_KIND_HOLIDAY, "Nghỉ theo quyết định thử", "Công văn 1/VPCP-KGVX"), CAL_EDIT_OK);
    cal_calendar *cal = build(f);
    const char *reason;
    assert_false(cal_is_working_day(cal, iso("2027-03-01"), &reason));
    assert_string_equal(reason, "Nghỉ theo quyết định thử");
    /* Fri 26/02/2027 + 1 working day skips the new day off */
    assert_int_equal(cal_add_working_days(cal, iso("2027-02-26"), 1), iso("2027-03-02"));
    assert_int_equal(cal_add_working_days(cal_default(), iso("2027-02-26"), 1), iso("2027-03-01"));
    cal_free(cal);

    cal_override_row *rows;
    size_t n;
    assert_int_equal(store_calendar_overrides(f->d, 2027, &rows, &n), DB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].jdn, iso("2027-03-01"));
    assert_int_equal(rows[0].kind, CAL_KIND_HOLIDAY);
    assert_string_equal(rows[0].source, "Công văn 1/VPCP-KGVX");
    assert_string_equal(rows[0].created_by, "quantri");
    cal_override_rows_free(rows, n);
    assert_int_equal(store_calendar_overrides(f->d, 2026, &rows, &n), DB_OK);
    assert_int_equal(n, 0);
    cal_override_rows_free(rows, n);

    assert_int_equal(store_audit_count(f->d, "calendar_day_add"), 1);
    audit_seen seen = {0};
    assert_int_equal(store_audit_list(f->d, "calendar", 2027, collect_audit, &seen), DB_OK);
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.action[0], "calendar_day_add");
    assert_non_null(strstr(seen.before[0], "\"kind\":\"normal\""));
    assert_non_null(strstr(seen.before[0], "\"working\":true"));
    assert_non_null(strstr(seen.after[0], "\"kind\":\"holiday\""));
    assert_non_null(strstr(seen.after[0], "\"working\":false"));
    assert_non_null(strstr(seen.after[0], "Công văn 1/VPCP-KGVX"));
    assert_non_null(strstr(seen.after[0], "\"open_deadlines_rederived\":0"));
}

static void test_makeup_saturday_is_a_working_day(void **state)
{
    fixture *f = *state;
    assert_int_equal(add(f, "2027-03-06", CAL_KIND_MAKEUP_WORKDAY, "Làm bù", "Công văn 2/VPCP-KGVX"), CAL_EDIT_OK);
    cal_calendar *cal = build(f);
    assert_true(working(cal, "2027-03-06"));
    assert_int_equal(cal_add_working_days(cal, iso("2027-03-05"), 1), iso("2027-03-06"));
    cal_free(cal);
}

static void test_invalid_edit_is_not_stored(void **state)
{
    fixture *f = *state;
    char err[256] = "";
    cal_day wednesday_makeup = {iso("2027-03-03"), CAL_KIND_MAKEUP_WORKDAY, "Làm bù", "x"};
    assert_int_equal(store_calendar_add(f->d, &wednesday_makeup, &f->who, err, sizeof err), CAL_EDIT_INVALID);
    assert_non_null(strstr(err, "2027-03-03"));
    cal_day saturday_swap = {iso("2027-03-06"), CAL_KIND_SWAPPED_OFF, "Hoán đổi", "x"};
    assert_int_equal(store_calendar_add(f->d, &saturday_swap, &f->who, err, sizeof err), CAL_EDIT_INVALID);
    cal_day normal = {iso("2027-03-03"), CAL_KIND_NORMAL, NULL, NULL};
    assert_int_equal(store_calendar_add(f->d, &normal, &f->who, err, sizeof err), CAL_EDIT_INVALID);
    cal_day out_of_range = {iso("2300-01-02"), CAL_KIND_HOLIDAY, "x", "y"};
    assert_int_equal(store_calendar_add(f->d, &out_of_range, &f->who, err, sizeof err), CAL_EDIT_INVALID);
    assert_int_equal(count_rows(f, "SELECT COUNT(*) FROM calendar_overrides"), 0);
    assert_int_equal(count_rows(f, "SELECT COUNT(*) FROM audit"), 0);
}

static void test_remove_added_and_bundled_days(void **state)
{
    fixture *f = *state;
    char err[256];
    assert_int_equal(add(f, "2027-03-01", CAL_KIND_HOLIDAY, "Nghỉ thử", "Công văn 1"), CAL_EDIT_OK);
    assert_int_equal(store_calendar_remove(f->d, iso("2027-03-01"), &f->who, err, sizeof err), CAL_EDIT_OK);
    /* a bundled Tết day can be removed too */
    assert_int_equal(store_calendar_remove(f->d, iso("2026-02-20"), &f->who, err, sizeof err), CAL_EDIT_OK);
    cal_calendar *cal = build(f);
    assert_true(working(cal, "2027-03-01"));
    assert_true(working(cal, "2026-02-20"));
    assert_null(cal_day_entry(cal, iso("2026-02-20")));
    assert_int_equal(cal_add_working_days(cal, iso("2026-02-13"), 1), iso("2026-02-20"));
    cal_free(cal);
    /* a day that is not listed */
    assert_int_equal(store_calendar_remove(f->d, iso("2027-03-02"), &f->who, err, sizeof err), CAL_EDIT_NOT_LISTED);
    assert_int_equal(store_audit_count(f->d, "calendar_day_remove"), 2);
    audit_seen seen = {0};
    store_audit_list(f->d, "calendar", 2026, collect_audit, &seen);
    assert_int_equal(seen.n, 1);
    assert_non_null(strstr(seen.before[0], "\"kind\":\"tet\""));
    assert_non_null(strstr(seen.after[0], "\"kind\":\"normal\""));
    /* adding it back: later rows win */
    assert_int_equal(add(f, "2026-02-20", CAL_KIND_TET, "Tết Nguyên đán", "khôi phục"), CAL_EDIT_OK);
    cal = build(f);
    assert_false(working(cal, "2026-02-20"));
    cal_free(cal);
}

static void test_confirm_year(void **state)
{
    fixture *f = *state;
    char err[256];
    cal_year_confirmation c;
    assert_false(store_calendar_confirmation(f->d, 2027, &c));
    assert_int_equal(store_calendar_confirm_year(f->d, 2027, &f->who, err, sizeof err), CAL_EDIT_OK);
    cal_calendar *cal = build(f);
    assert_int_equal(cal_year_status_of(cal, 2027), CAL_YEAR_CONFIRMED);
    assert_int_equal(cal_year_status_of(cal, 2028), CAL_YEAR_PROVISIONAL);
    cal_free(cal);
    assert_true(store_calendar_confirmation(f->d, 2027, &c));
    assert_string_equal(c.confirmed_by, "quantri");
    assert_int_equal(strlen(c.confirmed_at), 20);
    assert_int_equal(store_calendar_confirm_year(f->d, 2027, &f->who, err, sizeof err), CAL_EDIT_UNCHANGED);
    assert_int_equal(store_calendar_confirm_year(f->d, 2026, &f->who, err, sizeof err), CAL_EDIT_OFFICIAL_YEAR);
    assert_int_equal(store_calendar_confirm_year(f->d, 2300, &f->who, err, sizeof err), CAL_EDIT_INVALID);
    assert_int_equal(store_audit_count(f->d, "calendar_year_confirm"), 1);
    audit_seen seen = {0};
    store_audit_list(f->d, "calendar", 2027, collect_audit, &seen);
    assert_int_equal(seen.n, 1);
    assert_non_null(strstr(seen.before[0], "\"status\":\"provisional\""));
    assert_non_null(strstr(seen.after[0], "\"status\":\"confirmed\""));
    assert_non_null(strstr(seen.after[0], "\"2027-02-06\""));   /* the Tết days it covered (Tết 2027: 06/02) */
}

static void test_current_calendar_swaps_on_reload(void **state)
{
    fixture *f = *state;
    const cal_calendar *first = cal_current();
    assert_non_null(first);
    cal_current_reload(f->d);
    cal_read_begin();                                           /* as a request does */
    const cal_calendar *before_edit = cal_current();
    assert_true(working(before_edit, "2027-03-01"));
    assert_int_equal(add(f, "2027-03-01", CAL_KIND_HOLIDAY, "Nghỉ thử", "Công văn 1"), CAL_EDIT_OK);
    assert_true(working(cal_current(), "2027-03-01"));          /* not reloaded yet */
    cal_current_reload(f->d);
    assert_false(working(cal_current(), "2027-03-01"));
    assert_ptr_not_equal(cal_current(), before_edit);
    assert_true(working(before_edit, "2027-03-01"));            /* the old one stays usable while read */
    cal_read_end();
    int retained = cal_current_retained();
    assert_true(retained >= 1);
    assert_true(cal_current_reload_file(f->path));
    assert_true(cal_current_retained() < retained + 1);         /* the reader is gone: it was freed */
    assert_false(working(cal_current(), "2027-03-01"));
    /* a broken override in the database keeps the current calendar */
    db_exec(f->d, "INSERT INTO calendar_overrides(day, kind, created_at) VALUES ('2027-03-03', 'makeup_workday', 'x')");
    const cal_calendar *kept = cal_current();
    cal_current_reload(f->d);
    assert_ptr_equal(cal_current(), kept);
}

typedef struct {
    atomic_bool stop;
    atomic_long reads;
} readers_ctx;

/* A request-like reader: take the calendar, use it, let go; until told to stop. */
static void *read_calendar(void *arg)
{
    readers_ctx *c = arg;
    while (!atomic_load(&c->stop)) {
        cal_read_begin();
        const cal_calendar *cal = cal_current();
        int32_t jdn = iso("2027-03-01");
        for (int i = 0; i < 50; i++) (void)cal_is_working_day(cal, jdn + i, NULL);
        cal_read_end();
        atomic_fetch_add(&c->reads, 1);
        usleep(200);                                            /* requests come and go */
    }
    return NULL;
}

/* 1,000 reloads under concurrent readers: no use after free (ASan would stop
 * the test) and a bounded number of replaced calendars kept. The reclamation is
 * in memory: one engine proves it (the reload's reads are tested on both). */
static void test_reloads_under_readers_free_old_calendars_sqlite(void **state)
{
    fixture *f = *state;
    if (test_db_is_pg()) skip();
    readers_ctx c = {0};
    pthread_t t[3];
    for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&t[i], NULL, read_calendar, &c), 0);
    for (int i = 0; i < 1000; i++) cal_current_reload(f->d);
    atomic_store(&c.stop, true);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    assert_true(atomic_load(&c.reads) > 0);
    cal_current_reload(f->d);                                   /* no reader left: the rest goes */
    assert_true(cal_current_retained() <= 1);
}

/* ---- cchc calendar --db ---------------------------------------------------------- */

typedef struct {
    int status;
    char out[4096];
} cli_result;

static int redirect_stdout(int *tmp)
{
    char path[] = "/tmp/cchc-cli-XXXXXX";
    fflush(stdout);
    *tmp = mkstemp(path);
    assert_true(*tmp >= 0);
    unlink(path);
    int saved = dup(STDOUT_FILENO);
    dup2(*tmp, STDOUT_FILENO);
    return saved;
}

static cli_result run_cli(int argc, const char **args)
{
    char *argv[12];
    cli_result r;
    int tmp;
    for (int i = 0; i < argc; i++) argv[i] = (char *)args[i];
    argv[argc] = NULL;
    int saved = redirect_stdout(&tmp);
    r.status = cli_calendar(argc, argv);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    lseek(tmp, 0, SEEK_SET);
    ssize_t n = read(tmp, r.out, sizeof r.out - 1);
    r.out[n > 0 ? n : 0] = '\0';
    close(tmp);
    return r;
}

static void test_cli_uses_database_edits(void **state)
{
    fixture *f = *state;
    assert_int_equal(add(f, "2027-03-01", CAL_KIND_HOLIDAY, "Nghỉ thử", "Công văn 1"), CAL_EDIT_OK);
    const char *plain[] = {"calendar", "is-working-day", "2027-03-01"};
    cli_result r = run_cli(3, plain);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "yes Thứ Hai (tạm tính)\n");
    const char *with_db[] = {"calendar", "is-working-day", "2027-03-01", "--db", f->path};
    r = run_cli(5, with_db);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "no Nghỉ thử (tạm tính)\n");
    const char *add_days[] = {"calendar", "add", "2027-02-26", "1", "--db", f->path};
    r = run_cli(6, add_days);
    assert_string_equal(r.out, "2027-03-02\n");
    char err[256];
    assert_int_equal(store_calendar_confirm_year(f->d, 2027, &f->who, err, sizeof err), CAL_EDIT_OK);
    const char *holidays[] = {"calendar", "holidays", "2027", "--db", f->path};
    r = run_cli(5, holidays);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "2027 confirmed\n"));
    assert_non_null(strstr(r.out, "2027-03-01\tThứ Hai\tholiday\tNghỉ thử\tCông văn 1\n"));
    const char *missing[] = {"calendar", "is-working-day", "2027-03-01", "--db", "/nonexistent/cchc.db"};
    assert_int_equal(run_cli(5, missing).status, 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_empty_database_gives_bundled_calendar),
        T(test_add_changes_calendar_counting_and_audit),
        T(test_makeup_saturday_is_a_working_day),
        T(test_invalid_edit_is_not_stored),
        T(test_remove_added_and_bundled_days),
        T(test_confirm_year),
        T(test_current_calendar_swaps_on_reload),
        T(test_reloads_under_readers_free_old_calendars_sqlite),
        T(test_cli_uses_database_edits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
