/* Loads the bundled reference data (data/, compiled in) into a database:
 * units and groups, plans, every data/plans/ CSV, targets, and on request
 * sample progress for demonstrations. Idempotent; one transaction. */
#include "cli.h"
#include "core/buf.h"
#include "core/plan_import.h"
#include "embed.h"
#include "store/db.h"
#include "store/store_import.h"
#include "store/store_seed.h"
#include "store/store_task.h"
#include "store/store_user.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLANS_DIR "data/plans/"
#define DEMO_USERNAME "du-lieu-mau"

typedef struct {
    int demo;
    char *err;
    size_t errlen;
    buf report;                   /* printed after a successful commit */
} seed_ctx;

static const char *embedded(seed_ctx *c, const char *path, size_t *len)
{
    const char *text = embed_get(path, len);
    if (!text) snprintf(c->err, c->errlen, "%s is not bundled in this binary", path);
    return text;
}

/* Runs one reference loader over an embedded file and reports its counts. */
typedef int (*loader_fn)(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen);

static int load_file(db *d, seed_ctx *c, const char *path, const char *label, loader_fn fn)
{
    size_t len;
    const char *text = embedded(c, path, &len);
    if (!text) return DB_CONSTRAINT;
    seed_count n;
    int rc = fn(d, text, len, &n, c->err, c->errlen);
    if (rc == DB_OK) buf_printf(&c->report, "  %-12s %d added, %d updated, %d kept\n", label, n.added, n.updated, n.kept);
    else if (rc == DB_ERR && !c->err[0]) snprintf(c->err, c->errlen, "%s: database error", path);
    return rc;
}

/* Describes the first blocking problems of a plan file in err. */
static void describe_problems(seed_ctx *c, const char *path, const pi_result *res, const import_summary *sum)
{
    int n = snprintf(c->err, c->errlen, "%s: %s", path, sum->blocker[0] ? sum->blocker : "database error");
    for (int i = 0, shown = 0; i < res->nproblems && shown < 5 && n > 0 && (size_t)n < c->errlen; i++) {
        const pi_problem *p = &res->problems[i];
        if (p->severity != PI_ERROR) continue;
        n += snprintf(c->err + n, c->errlen - (size_t)n, "; line %d %s: %s", p->line, p->column, p->message);
        shown++;
    }
}

static int load_plan_file(db *d, seed_ctx *c, const char *path)
{
    size_t len;
    const char *text = embedded(c, path, &len);
    if (!text) return DB_CONSTRAINT;
    import_apply_opts o = {.user_id = 0, .username = "seed", .source = path};
    pi_result res;
    import_summary sum;
    int rc = store_import_apply(d, text, len, &o, &res, &sum);
    if (rc == DB_OK)
        buf_printf(&c->report, "  %-12s %d tasks new, %d updated, %d unchanged; %d areas new; %d warnings\n",
                   res.plan_code, sum.new_tasks, sum.updated_tasks, sum.unchanged_tasks, sum.new_areas, res.nwarnings);
    else
        describe_problems(c, path, &res, &sum);
    plan_import_free(&res);
    import_summary_free(&sum);
    return rc;
}

static bool is_plan_file(const char *path)
{
    size_t n = strlen(path);
    return strncmp(path, PLANS_DIR, strlen(PLANS_DIR)) == 0 && n > 4 && strcmp(path + n - 4, ".csv") == 0 &&
           !strchr(path + strlen(PLANS_DIR), '/');
}

static int load_plan_files(db *d, seed_ctx *c)
{
    int rc = DB_OK, files = 0;
    for (size_t i = 0; rc == DB_OK && embed_path_at(i); i++) {
        if (!is_plan_file(embed_path_at(i))) continue;
        rc = load_plan_file(d, c, embed_path_at(i));
        files++;
    }
    if (rc == DB_OK && files == 0) {
        snprintf(c->err, c->errlen, "no %s*.csv bundled in this binary", PLANS_DIR);
        rc = DB_CONSTRAINT;
    }
    return rc;
}

/* ---- demo progress ---- */

/* The account sample updates are written under: inactive, no usable password. */
static int64_t demo_author(db *d)
{
    user_row u;
    if (store_user_by_name(d, DEMO_USERNAME, &u)) return u.id;
    int64_t id = store_user_add(d, DEMO_USERNAME, "Dữ liệu mẫu (cchc init --demo)", ROLE_VIEWER, 0, "!");
    if (id <= 0 || !store_user_update(d, id, "Dữ liệu mẫu (cchc init --demo)", ROLE_VIEWER, 0, false)) return -1;
    return id;
}

static const char *const NOTES_START[] = {
    "Đã giao phòng chuyên môn xây dựng dự thảo; đang tổng hợp ý kiến góp ý của các phòng, đơn vị.",
    "Đã ban hành văn bản hướng dẫn triển khai tới các đơn vị; đang theo dõi, đôn đốc.",
    "Đã họp triển khai với các phòng liên quan, phân công đầu mối thực hiện.",
    "Đang rà soát, tổng hợp số liệu; dự kiến hoàn thành đúng tiến độ.",
};
static const char *const NOTES_MIDDLE[] = {
    "Đã hoàn thiện dự thảo sau góp ý, trình Lãnh đạo Sở xem xét.",
    "Đã kiểm tra tại một số đơn vị; đang tổng hợp kết quả, kiến nghị.",
    "Cơ bản hoàn thành các nội dung; còn chờ số liệu của một số đơn vị.",
};
static const char *const NOTES_DONE[] = {
    "Đã hoàn thành; văn bản đã ban hành và gửi các đơn vị thực hiện.",
    "Hoàn thành, đã gửi báo cáo kết quả về Văn phòng Sở.",
    "Hoàn thành đúng tiến độ; kết quả đã đăng trên Cổng thông tin điện tử của Sở.",
};
#define PICK(list, i) list[(size_t)(i) % (sizeof list / sizeof list[0])]

typedef struct { task_status status; int percent; int days_before_due; const char *note; } demo_step;

/* Posts the steps as the lead unit's updates through the application's own
 * update path, then dates them before the task's due day. */
static int post_steps(db *d, int64_t author, const task_row *t, const demo_step *steps, int n)
{
    const char *due = t->dl_due && strlen(t->dl_due) == 10 ? t->dl_due : "2022-12-15";
    for (int i = 0; i < n; i++) {
        update_input in = {.task_id = t->id, .user_id = author, .unit_id = t->lead.id, .username = DEMO_USERNAME,
                           .is_lead = true, .status = steps[i].status, .percent = steps[i].percent, .note = steps[i].note};
        int64_t update = store_task_add_update(d, &in);
        if (update <= 0) return DB_ERR;
        char day[11], at[32];
        if (!pi_date_add_days(due, -steps[i].days_before_due, day)) return DB_ERR;
        snprintf(at, sizeof at, "%sT%02d:%02d:00Z", day, 2 + i, (int)(t->id * 7 % 60));   /* 09:xx in Hải Phòng */
        if (store_seed_backdate_update(d, update, t->id, at, steps[i].status == ST_DONE) != DB_OK) return DB_ERR;
    }
    return DB_OK;
}

/* About 30 % of the 2022 tasks get 2–3 dated updates: two of every three of
 * them end done, the others stay in progress. */
static int demo_plan_2022(db *d, int64_t author, const task_list *tasks, int *touched, int *updates)
{
    int picked = 0;
    for (int i = 0; i < tasks->n; i++) {
        if (i % 10 != 0 && i % 10 != 3 && i % 10 != 6) continue;
        const task_row *t = &tasks->rows[i];
        bool done = picked % 3 != 2;
        demo_step steps[3] = {
            {ST_IN_PROGRESS, done ? 40 : 30, done ? 75 : 120, PICK(NOTES_START, picked)},
            {ST_IN_PROGRESS, done ? 80 : 60, done ? 30 : 60, PICK(NOTES_MIDDLE, picked)},
            {ST_DONE, 100, 4, PICK(NOTES_DONE, picked)},
        };
        int n = done ? 3 : 2;
        if (post_steps(d, author, t, steps, n) != DB_OK) return DB_ERR;
        picked++;
        *updates += n;
    }
    *touched += picked;
    return DB_OK;
}

/* A quarter of the 2026–2030 tasks get one update (today): work has started. */
static int demo_plan_current(db *d, int64_t author, const task_list *tasks, int *touched, int *updates)
{
    for (int i = 0; i < tasks->n; i++) {
        if (i % 4 != 0) continue;
        const task_row *t = &tasks->rows[i];
        update_input in = {.task_id = t->id, .user_id = author, .unit_id = t->lead.id, .username = DEMO_USERNAME,
                           .is_lead = true, .status = ST_IN_PROGRESS, .percent = 10 + (i % 3) * 10,
                           .note = "Đã xây dựng kế hoạch triển khai giai đoạn 2026–2030; đang phân công các phòng, đơn vị thực hiện."};
        if (store_task_add_update(d, &in) <= 0) return DB_ERR;
        (*touched)++;
        (*updates)++;
    }
    return DB_OK;
}

static int demo_progress(db *d, seed_ctx *c)
{
    static const char *const plans[] = {"KH2022", "KH2026_2030"};
    int64_t author = 0;
    int touched = 0, updates = 0;
    for (size_t p = 0; p < sizeof plans / sizeof plans[0]; p++) {
        int64_t plan_id = store_seed_plan_id(d, plans[p]);
        if (plan_id <= 0 || store_seed_plan_has_updates(d, plan_id)) continue;   /* ran before, or progress is real */
        if (author == 0 && (author = demo_author(d)) <= 0) return DB_ERR;
        task_filter f = {.plan_id = plan_id, .status = -1, .per_page = 0};
        task_list tasks;
        if (store_task_find(d, &f, &tasks) != DB_OK) return DB_ERR;
        int rc = p == 0 ? demo_plan_2022(d, author, &tasks, &touched, &updates)
                        : demo_plan_current(d, author, &tasks, &touched, &updates);
        task_list_free(&tasks);
        if (rc != DB_OK) return rc;
    }
    buf_printf(&c->report, "  %-12s %d updates on %d tasks\n", "demo", updates, touched);
    return DB_OK;
}

static int seed_txn(db *d, void *ctx)
{
    seed_ctx *c = ctx;
    buf_free(&c->report);                 /* the transaction may be retried */
    c->err[0] = '\0';
    int rc = load_file(d, c, "data/units.csv", "units", store_seed_units);
    if (rc == DB_OK) rc = load_file(d, c, "data/unit_groups.csv", "groups", store_seed_unit_groups);
    if (rc == DB_OK) rc = load_file(d, c, "data/plans.csv", "plans", store_seed_plans);
    if (rc == DB_OK) rc = load_plan_files(d, c);
    if (rc == DB_OK) rc = load_file(d, c, "data/targets.csv", "targets", store_seed_targets);
    if (rc == DB_OK && c->demo) rc = demo_progress(d, c);
    if (rc != DB_OK && !c->err[0]) snprintf(c->err, c->errlen, "database error: %s", db_errmsg(d));
    return rc;
}

int seed_bundled(struct db *d, int demo, char *err, size_t errlen)
{
    char local[2];
    seed_ctx c = {.demo = demo, .err = errlen ? err : local, .errlen = errlen ? errlen : sizeof local};
    c.err[0] = '\0';
    int rc = db_txn(d, true, seed_txn, &c);
    if (rc == DB_OK) printf("Bundled data loaded:\n%s", buf_str(&c.report));
    if (rc == DB_OK && seed_procedures(d, c.err, c.errlen) != 0) rc = DB_ERR;
    buf_free(&c.report);
    return rc == DB_OK ? 0 : -1;
}
