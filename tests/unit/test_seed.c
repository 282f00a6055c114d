/* Unit tests for src/seed.c, src/store/store_seed.c, store_import.c and
 * store_unit.c against a temporary SQLite database: the bundled data loads
 * completely and idempotently, and imports reject bad files writing nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "embed.h"
#include "store/db.h"
#include "support/testdb.h"
#include "store/store_audit.h"
#include "store/store_import.h"
#include "store/store_seed.h"
#include "store/store_task.h"
#include "store/store_unit.h"
#include "store/store_unit_admin.h"

#define KH2022_TASKS 47
#define KH2026_TASKS 25

typedef struct {
    char dir[64];
    char path[600];
    db *d;
} fixture;

static int setup_db(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/cchc-test-seed-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    if (!test_db_new(f->dir, f->path, sizeof f->path)) return -1;
    char err[256];
    f->d = db_open(f->path, err, sizeof err);
    if (!f->d) { fprintf(stderr, "%s\n", err); return -1; }
    *state = f;
    return 0;
}

static int setup_seeded(void **state)
{
    if (setup_db(state) != 0) return -1;
    fixture *f = *state;
    char err[512] = "";
    if (seed_bundled(f->d, 0, err, sizeof err) != 0) { fprintf(stderr, "seed: %s\n", err); return -1; }
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    db_close(f->d);
    test_db_drop(f->path);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Adds the account u1 (role admin) and returns its id. */
static int64_t add_admin(db *d)
{
    db_stmt *s = db_prepare(d, "INSERT INTO users(username, role, password_hash, created_at) VALUES ('u1','admin','!','now')");
    assert_non_null(s);
    assert_int_equal(db_exec_stmt(s), DB_DONE);
    return db_last_id(d);
}

/* One integer from a query with an optional text parameter. */
static int64_t q_int(db *d, const char *sql, const char *arg)
{
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    if (arg) db_bind_text(s, 1, arg);
    assert_int_equal(db_step(s), DB_ROW);
    return db_col_int(s, 0);
}

static int64_t count_tasks(db *d, const char *plan) { return q_int(d, "SELECT COUNT(*) FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.code = ?", plan); }
static int64_t count_areas(db *d, const char *plan) { return q_int(d, "SELECT COUNT(*) FROM areas a JOIN plans p ON p.id = a.plan_id WHERE p.code = ?", plan); }

static int64_t task_id(db *d, const char *plan, const char *number)
{
    db_stmt *s = db_prepare(d, "SELECT t.id FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.code = ? AND t.number = ?");
    db_bind_text(s, 1, plan);
    db_bind_text(s, 2, number);
    return db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
}

typedef struct { int64_t units, plans, areas, tasks, task_units, milestones, targets, fts; } totals;

static totals snapshot(db *d)
{
    totals t = {
        q_int(d, "SELECT COUNT(*) FROM units", NULL), q_int(d, "SELECT COUNT(*) FROM plans", NULL),
        q_int(d, "SELECT COUNT(*) FROM areas", NULL), q_int(d, "SELECT COUNT(*) FROM tasks", NULL),
        q_int(d, "SELECT COUNT(*) FROM task_units", NULL), q_int(d, "SELECT COUNT(*) FROM task_milestones", NULL),
        q_int(d, "SELECT COUNT(*) FROM targets", NULL), q_int(d, "SELECT COUNT(*) FROM task_search", NULL)};
    return t;
}

static void assert_same_totals(totals a, totals b)
{
    assert_int_equal(a.units, b.units);
    assert_int_equal(a.plans, b.plans);
    assert_int_equal(a.areas, b.areas);
    assert_int_equal(a.tasks, b.tasks);
    assert_int_equal(a.task_units, b.task_units);
    assert_int_equal(a.milestones, b.milestones);
    assert_int_equal(a.targets, b.targets);
    assert_int_equal(a.fts, b.fts);
}

/* ---- the bundled data ---- */

static void test_counts(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM plans", NULL), 2);
    assert_int_equal(count_areas(d, "KH2022"), 7);
    assert_int_equal(count_areas(d, "KH2026_2030"), 6);
    assert_int_equal(count_tasks(d, "KH2022"), KH2022_TASKS);
    assert_int_equal(count_tasks(d, "KH2026_2030"), KH2026_TASKS);
    assert_int_equal(store_unit_count(d), 45);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM targets t JOIN plans p ON p.id = t.plan_id WHERE p.code = ?", "KH2022"), 11);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM targets t JOIN plans p ON p.id = t.plan_id WHERE p.code = ?", "KH2026_2030"), 20);   /* + §II.2.b, once-only */
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM task_search", NULL), KH2022_TASKS + KH2026_TASKS);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM audit WHERE action = 'import'", NULL), 2);
    /* areas in file order */
    assert_int_equal(q_int(d, "SELECT a.position FROM areas a JOIN plans p ON p.id = a.plan_id WHERE p.code = 'KH2022' AND a.no = ?", "VII"), 7);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM plans WHERE code = 'KH2022' AND issued_on = ? AND year_from = 2022", "2021-12-31"), 1);
}

static void test_numbers_leads_and_coordinators(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    int64_t t1a = task_id(d, "KH2022", "1.a");
    assert_true(t1a > 0);
    assert_true(task_id(d, "KH2022", "38") > 0);
    assert_true(task_id(d, "KH2026_2030", "4.đ") > 0);
    assert_true(task_id(d, "KH2026_2030", "6.đ") > 0);
    task_row t;
    assert_true(store_task_get(d, t1a, &t));
    assert_int_equal(t.lead.id, store_unit_id_by_code(d, "VP"));
    assert_int_equal(t.ncoord, 3);                 /* G_PHONG_SO;G_PGD;G_DVGD */
    assert_string_equal(t.dl_kind, "fixed");
    assert_string_equal(t.dl_due, "2021-12-31");
    assert_int_equal(t.status, ST_NOT_STARTED);
    task_row_free(&t);
    /* task 8: two milestones (plan in quarter I, carry out all year) */
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM task_milestones m JOIN tasks t ON t.id = m.task_id "
                              "JOIN plans p ON p.id = t.plan_id WHERE p.code = 'KH2022' AND t.number = ?", "8"), 2);
    /* event and unparsed deadlines */
    assert_int_equal(q_int(d, "SELECT dl_needs_date FROM tasks t JOIN plans p ON p.id = t.plan_id "
                              "WHERE p.code = 'KH2026_2030' AND t.number = ?", "1.a"), 1);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM tasks WHERE dl_kind = 'event' AND number = ?", "2"), 1);
    /* every lead resolved to a unit */
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM tasks t LEFT JOIN units u ON u.id = t.lead_unit_id WHERE u.id IS NULL", NULL), 0);
}

static void test_units_parents_and_groups(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    unit_info u;
    assert_true(store_unit_get(d, store_unit_id_by_code(d, "TCCB"), &u));
    assert_int_equal(u.parent_id, store_unit_id_by_code(d, "SGDDT"));
    assert_string_equal(u.kind, "division");
    assert_true(store_unit_get(d, store_unit_id_by_code(d, "PGD_LECHAN"), &u));
    assert_string_equal(u.valid_to, "2025-06-30");
    assert_int_equal(u.parent_id, 0);
    assert_true(store_unit_get(d, store_unit_id_by_code(d, "G_DVGD"), &u));
    assert_string_equal(u.member_kinds, "school,centre");
    /* every group of units.csv has a row in unit_groups.csv */
    size_t len;
    const char *groups = embed_get("data/unit_groups.csv", &len);
    assert_non_null(groups);
    db_stmt *s = db_prepare(d, "SELECT code FROM units WHERE kind = 'group'");
    int n = 0;
    while (db_step(s) == DB_ROW) {
        char line[80];
        snprintf(line, sizeof line, "\n%s,", db_col_text(s, 0));
        if (!strstr(groups, line)) fail_msg("group %s missing from unit_groups.csv", db_col_text(s, 0));
        n++;
    }
    assert_int_equal(n, 7);
    /* name history starts with the seeded name */
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM unit_names", NULL), 45);
}

static void test_seed_twice_is_idempotent(void **state)
{
    fixture *f = *state;
    totals before = snapshot(f->d);
    char err[512] = "";
    assert_int_equal(seed_bundled(f->d, 0, err, sizeof err), 0);
    assert_same_totals(before, snapshot(f->d));
    assert_int_equal(q_int(f->d, "SELECT COUNT(*) FROM task_updates", NULL), 0);
}

static void test_demo_progress(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    char err[512] = "";
    assert_int_equal(seed_bundled(d, 1, err, sizeof err), 0);
    int64_t touched = q_int(d, "SELECT COUNT(DISTINCT u.task_id) FROM task_updates u JOIN tasks t ON t.id = u.task_id "
                               "JOIN plans p ON p.id = t.plan_id WHERE p.code = ?", "KH2022");
    assert_in_range(touched, KH2022_TASKS / 4, KH2022_TASKS * 2 / 5);          /* about 30 % */
    int64_t done = q_int(d, "SELECT COUNT(*) FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.status = 'done' AND p.code = ?", "KH2022");
    int64_t going = q_int(d, "SELECT COUNT(*) FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.status = 'in_progress' AND p.code = ?", "KH2022");
    assert_true(done > 0 && going > 0);
    assert_int_equal(done + going, touched);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM tasks WHERE status = 'done' AND (percent <> 100 OR done_on IS NULL OR done_on NOT LIKE ?)", "202%"), 0);
    /* sample updates are dated in the plan's time, before the due day */
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM task_updates u JOIN tasks t ON t.id = u.task_id JOIN plans p ON p.id = t.plan_id "
                              "WHERE p.code = 'KH2022' AND (u.created_at > COALESCE(t.dl_due, '2022-12-31') || 'T23:59:59Z' OR u.note = ?)", ""), 0);
    int64_t updates = q_int(d, "SELECT COUNT(*) FROM task_updates", NULL);
    assert_int_equal(seed_bundled(d, 1, err, sizeof err), 0);                 /* no second round */
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM task_updates", NULL), updates);
    /* a re-import keeps status and percent */
    totals before = snapshot(d);
    assert_int_equal(seed_bundled(d, 0, err, sizeof err), 0);
    assert_same_totals(before, snapshot(d));
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM tasks WHERE status = ?", "done"), done);
}

/* ---- imports ---- */

#define HEADER "plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n"

static int apply(db *d, const char *csv, bool valid_only, pi_result *res, import_summary *sum)
{
    import_apply_opts o = {.username = "test", .source = "test.csv", .valid_only = valid_only};
    return store_import_apply(d, csv, strlen(csv), &o, res, sum);
}

static const pi_problem *problem_at(const pi_result *res, int line, const char *column)
{
    for (int i = 0; i < res->nproblems; i++)
        if (res->problems[i].line == line && strcmp(res->problems[i].column, column) == 0) return &res->problems[i];
    return NULL;
}

static void test_import_rejects_bad_rows_and_writes_nothing(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    totals before = snapshot(d);
    int audits = store_audit_count(d, "import");
    const char *csv = HEADER
        "KH2022,I,Chỉ đạo điều hành,1.a,Tiêu đề đã sửa,VP,,,Tháng 12/2021\n"
        "KH2022,I,Chỉ đạo điều hành,39,Việc mới,NO_SUCH_UNIT,,,Cả năm 2022\n"
        "KH2022,I,Chỉ đạo điều hành,40,Việc mới,VP,GHOST,,Cả năm 2022\n"
        "KH2022,I,Chỉ đạo điều hành,41,Việc mới,VP,,,31/02/2022\n"
        "KH2022,I,Chỉ đạo điều hành,1.a,Trùng số,VP,,,Cả năm 2022\n";
    pi_result res;
    import_summary sum;
    assert_int_equal(apply(d, csv, false, &res, &sum), DB_CONSTRAINT);
    assert_non_null(problem_at(&res, 3, "lead_unit"));
    assert_non_null(problem_at(&res, 4, "coordinating_units"));
    assert_non_null(problem_at(&res, 5, "deadline_text"));
    assert_non_null(problem_at(&res, 6, "number"));
    assert_int_equal(res.nerrors, 4);
    assert_int_equal(res.nvalid, 1);
    assert_true(strstr(sum.blocker, "4 lỗi") != NULL);
    plan_import_free(&res);
    import_summary_free(&sum);
    assert_same_totals(before, snapshot(d));
    assert_int_equal(store_audit_count(d, "import"), audits);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM tasks WHERE title = ?", "Tiêu đề đã sửa"), 0);
}

static void test_import_valid_only_and_updates(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    int64_t t1a = task_id(d, "KH2022", "1.a");
    update_input in = {.task_id = t1a, .user_id = 0, .unit_id = store_unit_id_by_code(d, "VP"), .username = "t",
                       .is_lead = true, .status = ST_IN_PROGRESS, .percent = 55, .note = "đang làm"};
    /* task_updates.user_id references users: write through a real account */
    in.user_id = add_admin(d);
    assert_true(store_task_add_update(d, &in) > 0);
    const char *csv = HEADER
        "KH2022,I,Chỉ đạo điều hành,1.a,Tiêu đề đã sửa Quokka,VP,TCCB,Kế hoạch,Tháng 12/2021\n"
        "KH2022,I,Chỉ đạo điều hành,39,Việc mới,NO_SUCH_UNIT,,,Cả năm 2022\n"
        "KH2022,VIII,Lĩnh vực mới,40,Việc mới hợp lệ,TTRA,,,Quý II/2022\n";
    pi_result res;
    import_summary sum;
    int64_t tasks = count_tasks(d, "KH2022");
    assert_int_equal(apply(d, csv, true, &res, &sum), DB_OK);
    assert_int_equal(sum.new_tasks, 1);
    assert_int_equal(sum.updated_tasks, 1);
    assert_int_equal(sum.skipped_rows, 1);
    assert_int_equal(sum.new_areas, 1);
    assert_int_equal(sum.actions[0], IMPORT_ROW_UPDATED);
    assert_int_equal(sum.actions[1], IMPORT_ROW_SKIPPED);
    assert_int_equal(sum.actions[2], IMPORT_ROW_NEW);
    plan_import_free(&res);
    import_summary_free(&sum);
    assert_int_equal(count_tasks(d, "KH2022"), tasks + 1);
    assert_int_equal(count_areas(d, "KH2022"), 8);
    task_row t;
    assert_true(store_task_get(d, t1a, &t));
    assert_string_equal(t.title, "Tiêu đề đã sửa Quokka");
    assert_int_equal(t.status, ST_IN_PROGRESS);                /* progress kept */
    assert_int_equal(t.percent, 55);
    assert_int_equal(t.ncoord, 1);                             /* coordinators replaced */
    task_row_free(&t);
    task_filter qf = {.q = "quokka", .status = -1};                 /* re-indexed */
    task_list found;
    assert_int_equal(store_task_find(d, &qf, &found), DB_OK);
    assert_int_equal(found.total, 1);
    assert_int_equal(found.rows[0].id, t1a);
    task_list_free(&found);
    assert_int_equal(store_audit_count(d, "import"), 3);
}

static void test_import_new_plan_needs_title_and_years(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    const char *csv = HEADER "KH2031,1,Thể chế,1,Nhiệm vụ một,VP,,,trong quý I\n";
    pi_result res;
    import_summary sum;
    assert_int_equal(store_import_preview(d, csv, strlen(csv), NULL, &res, &sum), DB_OK);
    assert_false(sum.plan_exists);
    assert_true(strstr(sum.blocker, "KH2031") != NULL);
    plan_import_free(&res);
    import_summary_free(&sum);
    assert_int_equal(apply(d, csv, false, &res, &sum), DB_CONSTRAINT);
    plan_import_free(&res);
    import_summary_free(&sum);
    assert_int_equal(store_seed_plan_id(d, "KH2031"), 0);

    import_plan_info plan = {.title = "Kế hoạch CCHC năm 2031", .year_from = 2031, .year_to = 2031};
    int64_t user = add_admin(d);
    int64_t id = store_import_save(d, user, "u1", "kh2031.csv", csv, strlen(csv), &plan);
    assert_true(id > 0);
    import_row saved;
    assert_true(store_import_get(d, id, &saved));
    assert_string_equal(saved.status, "preview");
    assert_string_equal(saved.username, "u1");
    assert_string_equal(saved.plan_title, "Kế hoạch CCHC năm 2031");
    assert_int_equal(saved.year_from, 2031);
    assert_string_equal(saved.content, csv);
    import_row_free(&saved);
    assert_int_equal(store_import_apply_saved(d, id, false, user, "u1", &res, &sum), DB_OK);
    assert_int_equal(sum.new_tasks, 1);
    plan_import_free(&res);
    import_summary_free(&sum);
    assert_true(store_seed_plan_id(d, "KH2031") > 0);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM tasks WHERE dl_due = ? AND number = '1'", "2031-03-31"), 1);
    assert_true(store_import_get(d, id, &saved));
    assert_string_equal(saved.status, "applied");
    import_row_free(&saved);
    assert_int_equal(store_import_apply_saved(d, id, false, user, "u1", &res, &sum), DB_CONSTRAINT);
    assert_true(sum.blocker[0] != '\0');
    plan_import_free(&res);
    import_summary_free(&sum);
    assert_int_equal(store_import_mark(d, id, "cancelled"), DB_CONSTRAINT);
}

/* ---- units ---- */

static void test_unit_involvement(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    bool lead = false;
    int64_t t1a = task_id(d, "KH2022", "1.a"), t13a = task_id(d, "KH2022", "13.a"), t9 = task_id(d, "KH2022", "9");
    assert_true(store_unit_involved(d, t1a, store_unit_id_by_code(d, "VP"), &lead));
    assert_true(lead);                                                            /* direct lead */
    assert_true(store_unit_involved(d, t1a, store_unit_id_by_code(d, "THPT_THAIPHIEN"), &lead));
    assert_false(lead);                                                           /* via G_DVGD (coordinating) */
    /* G_PGD ended on 30/06/2025 (two-level local government): it grants nothing today. */
    assert_false(store_unit_involved(d, t1a, store_unit_id_by_code(d, "PGD_LECHAN"), &lead));
    assert_true(store_unit_involved(d, t13a, store_unit_id_by_code(d, "KHTC"), &lead));
    assert_false(lead);          /* via the leading group G_PHONG_SO: a contribution; the Office sets the status */
    assert_false(store_unit_involved(d, t1a, store_unit_id_by_code(d, "SNV"), &lead));
    assert_false(store_unit_involved(d, t9, store_unit_id_by_code(d, "THPT_THAIPHIEN"), &lead));
    assert_true(store_unit_involved(d, t9, store_unit_id_by_code(d, "TTRA"), &lead));
    assert_false(store_unit_involved(d, 999999, store_unit_id_by_code(d, "VP"), &lead));
}

typedef struct { int n; char names[4][128]; char to[4][11]; } names_seen;
static void collect_name(const char *name, const char *from, const char *to, void *ctx)
{
    names_seen *s = ctx;
    (void)from;
    if (s->n < 4) { snprintf(s->names[s->n], 128, "%s", name); snprintf(s->to[s->n], 11, "%s", to); }
    s->n++;
}

static void test_unit_rename_and_end(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    int64_t id = store_unit_add(d, "PHONG_MOI", "Phòng Mới", "P. Mới", "division", store_unit_id_by_code(d, "SGDDT"), "2023-01-01", NULL);
    assert_true(id > 0);
    assert_int_equal(store_unit_add(d, "PHONG_MOI", "Khác", "", "division", 0, NULL, NULL), 0);
    assert_int_equal(store_unit_add(d, "X1", "Khác", "", "nonsense", 0, NULL, NULL), -1);
    assert_int_equal(store_unit_rename(d, id, "Phòng Đổi Tên", "2022-12-01"), DB_CONSTRAINT);  /* before it existed */
    assert_int_equal(store_unit_rename(d, id, "Phòng Đổi Tên", "2024-03-01"), DB_OK);
    assert_int_equal(store_unit_rename(d, id, "Tên sớm hơn", "2024-02-01"), DB_CONSTRAINT);   /* before the current name */
    char name[128];
    assert_true(store_unit_name(d, id, name, sizeof name));
    assert_string_equal(name, "Phòng Đổi Tên");
    names_seen seen = {0};
    assert_int_equal(store_unit_names(d, id, collect_name, &seen), DB_OK);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.names[0], "Phòng Mới");
    assert_string_equal(seen.to[0], "2024-02-29");
    assert_string_equal(seen.to[1], "");
    int64_t vp = store_unit_id_by_code(d, "VP");
    assert_int_equal(store_unit_end(d, id, "2025-06-30", id), DB_CONSTRAINT);                  /* into itself */
    assert_int_equal(store_unit_end(d, id, "2025-06-30", store_unit_id_by_code(d, "PGD_LECHAN")), DB_CONSTRAINT); /* ended too */
    assert_int_equal(store_unit_end(d, id, "2025-06-30", vp), DB_OK);
    unit_info u;
    assert_true(store_unit_get(d, id, &u));
    assert_string_equal(u.valid_to, "2025-06-30");
    assert_int_equal(u.successor_id, vp);
    assert_int_equal(q_int(d, "SELECT COUNT(*) FROM unit_names WHERE unit_id = (SELECT id FROM units WHERE code = ?) "
                              "AND valid_to IS NULL", "PHONG_MOI"), 0);                     /* history closed */
}

typedef struct { int n; bool saw_code; const char *code; } list_seen;
static void count_unit(const unit_row *u, void *ctx)
{
    list_seen *s = ctx;
    s->n++;
    if (strcmp(u->code, s->code) == 0) s->saw_code = true;
}

static void test_unit_list_active_on(void **state)
{
    fixture *f = *state;
    list_seen all = {.code = "PGD_LECHAN"}, y2022 = {.code = "PGD_LECHAN"}, y2026 = {.code = "PGD_LECHAN"};
    assert_int_equal(store_unit_list(f->d, NULL, count_unit, &all), DB_OK);
    assert_int_equal(store_unit_list(f->d, "2022-06-15", count_unit, &y2022), DB_OK);
    assert_int_equal(store_unit_list(f->d, "2026-01-01", count_unit, &y2026), DB_OK);
    assert_int_equal(all.n, 45);
    assert_int_equal(y2022.n, 45);
    assert_true(y2022.saw_code);
    assert_false(y2026.saw_code);
    assert_int_equal(y2026.n, 45 - 15 - 2);          /* 15 district offices, UBND_QH and G_PGD ended 2025-06-30 */
}

static void test_seed_loaders_reject_bad_files(void **state)
{
    fixture *f = *state;
    db *d = f->d;
    seed_count c;
    char err[300];
    const char *plans = "code,title,doc_number,issued_on,year_from,year_to,note\nKH_X,Tên,1/KH,2022-02-30,2022,2022,\n";
    assert_int_equal(store_seed_plans(d, plans, strlen(plans), &c, err, sizeof err), DB_CONSTRAINT);
    assert_non_null(strstr(err, "line 2"));
    assert_non_null(strstr(err, "issued_on"));
    const char *units = "code,name,short_name,kind,parent_code,valid_from,valid_to\nNEW_U,Tên,,planet,,,\n";
    assert_int_equal(store_seed_units(d, units, strlen(units), &c, err, sizeof err), DB_CONSTRAINT);
    assert_non_null(strstr(err, "kind"));
    const char *groups = "code,member_kinds\nVP,division\n";
    assert_int_equal(store_seed_unit_groups(d, groups, strlen(groups), &c, err, sizeof err), DB_CONSTRAINT);
    const char *targets = "plan_code,code,text,comparator,value,unit,period,source\nKH2022,X.1,Chỉ tiêu,>=,abc,%,2022,manual\n";
    assert_int_equal(store_seed_targets(d, targets, strlen(targets), &c, err, sizeof err), DB_CONSTRAINT);
    assert_non_null(strstr(err, "line 2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_leads_and_coordinators, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_units_parents_and_groups, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_seed_twice_is_idempotent, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_demo_progress, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_import_rejects_bad_rows_and_writes_nothing, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_import_valid_only_and_updates, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_import_new_plan_needs_title_and_years, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_unit_involvement, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_unit_rename_and_end, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_unit_list_active_on, setup_seeded, teardown),
        cmocka_unit_test_setup_teardown(test_seed_loaders_reject_bad_files, setup_seeded, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
