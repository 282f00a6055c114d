/* bench/gen DIR — builds DIR/cchc.db with the benchmark data set:
 * 1,000 units, 20 plans, 20,000 tasks (1,000 per plan), 100,000 updates.
 * It goes through the same store functions as the application. */
#include "core/buf.h"
#include "store/db.h"
#include "store/store_import.h"
#include "store/store_task.h"
#include "store/store_unit.h"
#include "store/store_user.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define UNITS 1000
#define PLANS 20
#define TASKS_PER_PLAN 1000
#define UPDATES 100000

static const char *const WORDS[] = {"Rà soát", "văn bản", "quy phạm", "pháp luật", "thủ tục", "hành chính",
    "số hóa", "hồ sơ", "đăng ký", "kiểm tra", "đánh giá", "chỉ số", "cải cách", "dịch vụ công", "trực tuyến",
    "một cửa", "báo cáo", "kế hoạch", "tuyên truyền", "đào tạo"};

static int add_units(db *d)
{
    for (int i = 1; i <= UNITS; i++) {
        char code[16], name[64];
        snprintf(code, sizeof code, "B%04d", i);
        snprintf(name, sizeof name, "Đơn vị thử nghiệm %04d", i);
        if (store_unit_add(d, code, name, name, i <= 20 ? "division" : "school", 0, NULL, NULL) <= 0) return DB_ERR;
    }
    return DB_OK;
}

static void plan_csv(buf *b, int plan)
{
    buf_puts(b, "plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n");
    for (int t = 1; t <= TASKS_PER_PLAN; t++) {
        int area = (t - 1) / 150 + 1;
        /* Unit B0001 leads every 20th task of the first plan (50 tasks) plus its random
         * share elsewhere: the "task list for a unit" page shows 50 rows. */
        int lead = (plan == 1 && t % 20 == 0) ? 1 : (plan * 7919 + t * 104729) % UNITS + 1;
        int co = (lead + 17) % UNITS + 1;
        buf_printf(b, "BENCH%02d,%d,Lĩnh vực %d,%d,%s %s %s nhiệm vụ %d,B%04d,B%04d,Báo cáo kết quả,Quý %s/2026\n",
                   plan, area, area, t, WORDS[t % 20], WORDS[(t / 3) % 20], WORDS[(t / 7) % 20], t, lead, co,
                   (const char *[]){"I", "II", "III", "IV"}[t % 4]);
    }
}

static int add_plans(db *d)
{
    for (int p = 1; p <= PLANS; p++) {
        buf b = {0};
        plan_csv(&b, p);
        char title[64];
        snprintf(title, sizeof title, "Kế hoạch thử nghiệm %02d", p);
        import_plan_info info = {title, "", NULL, "", 2026, 2026};
        import_apply_opts o = {0, "bench", "bench", false, &info};
        pi_result res;
        import_summary sum;
        int rc = store_import_apply(d, buf_str(&b), b.len, &o, &res, &sum);
        if (rc != DB_OK) fprintf(stderr, "gen: plan %d: %s\n", p, sum.blocker);
        plan_import_free(&res);
        import_summary_free(&sum);
        buf_free(&b);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

static int add_updates(db *d, void *ctx)
{
    int64_t user = *(int64_t *)ctx;
    for (int i = 0; i < UPDATES; i++) {
        int64_t task = (int64_t)((i * 7919L) % (PLANS * TASKS_PER_PLAN)) + 1;
        update_input in = {task, user, 0, "bench", true, (task_status)(i % 3), (i * 13) % 101,
                           "Đã triển khai theo kế hoạch, đang tổng hợp kết quả", NULL, 0};
        if (store_task_add_update(d, &in) <= 0) return DB_ERR;
    }
    return DB_OK;
}

static int add_all(db *d, void *ctx)
{
    (void)ctx;
    return add_units(d) == DB_OK ? add_plans(d) : DB_ERR;
}

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: gen DIR\n"); return 2; }
    mkdir(argv[1], 0750);
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/cchc.db", argv[1]);
    remove(path);
    db *d = db_open(path, err, sizeof err);
    if (!d) { fprintf(stderr, "gen: %s\n", err); return 1; }
    int64_t user = store_user_add(d, "bench", "Bench", ROLE_OFFICE, 0, "x");
    int rc = db_txn(d, true, add_all, NULL);
    if (rc == DB_OK) rc = db_txn(d, true, add_updates, &user);
    db_close(d);
    if (rc != DB_OK) { fprintf(stderr, "gen: failed\n"); return 1; }
    printf("gen: %d units, %d plans, %d tasks, %d updates in %s\n", UNITS, PLANS, PLANS * TASKS_PER_PLAN, UPDATES, path);
    return 0;
}
