/* The page cache of the task lists: a cached list is served only while the data
 * is unchanged — a write through the server, a write by another process (the
 * CLI) and another user each get fresh content. One worker thread, so every
 * request meets the same per-thread cache. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support/harness.h"

static harness *H;

static int setup(void **state)
{
    (void)state;
    h_options o = {.threads = 1};
    H = h_start_opts(&o);
    return H ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    h_stop(H);
    return 0;
}

/* The X-Cache header of the last response of c ("hit" or "miss"). */
static bool last_was_hit(client *c)
{
    const char *x = r_header(c_last(c), "X-Cache");
    assert_non_null(x);
    return strcmp(x, "hit") == 0;
}

/* The "Tổng N nhiệm vụ" count of a list page. */
static int list_total(client *c, const char *path)
{
    const response *r = c_get(c, path);
    assert_int_equal(r->status, 200);
    const char *p = strstr(r->body, "<span>Tổng ");      /* the pager's "Tổng N nhiệm vụ" */
    assert_non_null(p);
    return atoi(p + strlen("<span>Tổng "));
}

static void test_update_through_server_refreshes_list(void **state)
{
    (void)state;
    client *c = c_new(H);
    const char *csrf = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    assert_non_null(csrf);
    int before = list_total(c, "/my?status=done");
    assert_false(last_was_hit(c));
    assert_int_equal(list_total(c, "/my?status=done"), before);      /* served again from the cache */
    assert_true(last_was_hit(c));
    int64_t task = h_task_id(H, "KH2022", "9");                      /* led by TTRA */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    const response *r = c_post_json(c, "POST", path, "{\"status\":\"done\",\"percent\":100,\"note\":\"Xong\"}", csrf);
    assert_int_equal(r->status, 201);
    int after = list_total(c, "/my?status=done");
    assert_false(last_was_hit(c));
    if (after != before + 1) fail_msg("done tasks: %d before, %d after", before, after);
    c_free(c);
}

static void test_write_by_another_process_refreshes_list(void **state)
{
    (void)state;
    client *c = c_new(H);
    assert_non_null(c_login_api(c, H_USER_TTRA, H_PASSWORD));
    int before = list_total(c, "/my");
    assert_int_equal(list_total(c, "/my"), before);
    assert_true(last_was_hit(c));
    char csv[512], cmd[1400];
    snprintf(csv, sizeof csv, "%s/extra.csv", h_data_dir(H));
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n"
          "KH2022,II,Cải cách thể chế,99,Nhiệm vụ bổ sung do Thanh tra chủ trì,TTRA,,Báo cáo,Quý IV/2022\n", f);
    fclose(f);
    const char *bin = getenv("CCHC_TEST_BIN");
    snprintf(cmd, sizeof cmd, "%s import plan %s --valid-only --data %s --db '%s' >/dev/null 2>&1", bin ? bin : "build/asan/cchc",
             csv, h_data_dir(H), h_db_location(H));
    assert_int_equal(system(cmd), 0);
    assert_int_equal(list_total(c, "/my"), before + 1);
    c_free(c);
}

static void test_other_user_gets_own_list(void **state)
{
    (void)state;
    client *ttra = c_new(H), *tccb = c_new(H);
    assert_non_null(c_login_api(ttra, H_USER_TTRA, H_PASSWORD));
    assert_non_null(c_login_api(tccb, H_USER_TCCB, H_PASSWORD));
    const response *a = c_get(ttra, "/my");
    const response *b = c_get(tccb, "/my");
    assert_true(r_has(a, "Thanh tra"));
    assert_false(r_has(b, "Việc của đơn vị: Thanh tra"));
    assert_true(r_has(b, "Việc của đơn vị: Phòng Tổ chức"));
    c_free(ttra);
    c_free(tccb);
}

/* The number on the dashboard's "Hoàn thành" card. */
static int done_card(client *c, const char *path)
{
    const response *r = c_get(c, path);
    assert_int_equal(r->status, 200);
    const char *p = strstr(r->body, "status=done\"><b>");
    assert_non_null(p);
    return atoi(p + strlen("status=done\"><b>"));
}

static void test_dashboard_cached_until_an_update(void **state)
{
    (void)state;
    client *office = c_new(H), *ttra = c_new(H);
    assert_int_equal(c_login_html(office, H_USER_OFFICE, H_PASSWORD), 303);
    const char *csrf = c_login_api(ttra, H_USER_TTRA, H_PASSWORD);
    char path[48];
    snprintf(path, sizeof path, "/?plan=%lld", (long long)h_plan_id(H, "KH2022"));
    int before = done_card(office, path);
    assert_int_equal(done_card(office, path), before);
    assert_true(last_was_hit(office));
    int64_t task = h_task_id(H, "KH2022", "10");                     /* led by TTRA */
    char upd[64];
    snprintf(upd, sizeof upd, "/api/v1/tasks/%lld/updates", (long long)task);
    assert_int_equal(c_post_json(ttra, "POST", upd, "{\"status\":\"done\",\"note\":\"Xong\"}", csrf)->status, 201);
    assert_int_equal(done_card(office, path), before + 1);
    assert_false(last_was_hit(office));
    c_free(office);
    c_free(ttra);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_update_through_server_refreshes_list),
        cmocka_unit_test(test_write_by_another_process_refreshes_list),
        cmocka_unit_test(test_other_user_gets_own_list),
        cmocka_unit_test(test_dashboard_cached_until_an_update),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
