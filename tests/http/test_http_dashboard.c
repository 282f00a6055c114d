/* The dashboard of a plan led by many units (a city plan) shows the lead units
 * needing most attention (most overdue, then most tasks) and links to all of
 * them; ?units=all shows every unit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/db.h"
#include "support/harness.h"
#include "support/testdb.h"

static void test_many_lead_units_show_the_top_and_a_link(void **state)
{
    (void)state;
    harness *h = h_start();
    assert_non_null(h);
    /* A new plan with one task for each of 35 units; the first unit's task is overdue. */
    db *d = h_db(h);
    db_stmt *s = db_prepare(d, "SELECT code FROM units WHERE kind <> 'group' ORDER BY id LIMIT 35");
    char csv[600], codes[35][64], out[4096];
    int n = 0;
    while (s && n < 35 && db_step(s) == DB_ROW) snprintf(codes[n++], sizeof codes[0], "%s", db_col_text(s, 0));
    db_idle(d);
    assert_int_equal(n, 35);
    snprintf(csv, sizeof csv, "%s/city.csv", h_data_dir(h));
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "KHTP,I,Chung,%d,Nhiệm vụ %d,%s,,Báo cáo,%s\n", i + 1, i + 1, codes[i], i == 0 ? "Quý I/2022" : "Quý IV/2022");
    fclose(f);
    const char *bin = getenv("CCHC_TEST_BIN");
    assert_int_equal(sh_capture(out, sizeof out, "%s --config /dev/null import plan %s --title 'Kế hoạch thành phố' --years 2022 "
                                "--data %s --db '%s' 2>&1", bin ? bin : "build/asan/cchc", csv, h_data_dir(h), h_db_location(h)), 0);
    int64_t plan = h_plan_id(h, "KHTP");
    assert_true(plan > 0);
    client *c = c_new_logged_in(h, H_USER_OFFICE);
    assert_non_null(c);
    char path[64], unit_link[96];
    snprintf(path, sizeof path, "/?plan=%lld", (long long)plan);
    const response *r = c_get(c, path);
    assert_int_equal(r->status, 200);
    int shown = r_count(r, "&amp;unit=");
    assert_int_equal(shown, 30 * 5);                                  /* 30 rows, five links each */
    assert_true(r_has(r, "units=all"));
    snprintf(unit_link, sizeof unit_link, "&amp;unit=%lld&amp;overdue=1\">1<", (long long)h_unit_id(h, codes[0]));
    assert_true(r_has(r, unit_link));                                 /* the overdue unit is among them */
    snprintf(path, sizeof path, "/?plan=%lld&units=all", (long long)plan);
    r = c_get(c, path);
    assert_int_equal(r->status, 200);
    assert_int_equal(r_count(r, "&amp;unit="), 35 * 5);              /* every unit */
    assert_false(r_has(r, "units=all\""));
    c_free(c);
    h_stop(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_lead_units_show_the_top_and_a_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
