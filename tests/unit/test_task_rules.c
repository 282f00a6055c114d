/* Task status rules: overdue, due soon, event-driven, counted in working days. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include "calendar_default.h"
#include "core/indicators.h"
#include "core/lunar.h"
#include "core/task_rules.h"
#include "core/deadline.h"
#include <string.h>

static int32_t D(int y, int m, int d) { return cal_jdn_from_ymd(y, m, d); }

static void test_overdue_counts_working_days(void **s)
{
    (void)s;
    const cal_calendar *c = cal_default();
    /* Due Friday 2022-04-29; today Wednesday 2022-05-04: 30/4, 1/5 and the
     * compensatory 2/5, 3/5 are days off, so only 4/5 is a working day late. */
    due_info i = task_due_info(c, ST_IN_PROGRESS, "fixed", D(2022, 4, 29), D(2022, 5, 4), 10);
    assert_int_equal(i.state, DUE_OVERDUE);
    assert_int_equal(i.working_days, 1);
    /* Same dates, calendar-day difference would be 5. */
    i = task_due_info(c, ST_NOT_STARTED, "fixed", D(2022, 3, 31), D(2022, 4, 7), 10);
    assert_int_equal(i.state, DUE_OVERDUE);
    assert_int_equal(i.working_days, 5);
}

static void test_due_soon_window(void **s)
{
    (void)s;
    const cal_calendar *c = cal_default();
    int32_t today = D(2022, 6, 15);                 /* Wednesday */
    int32_t limit = task_soon_limit(c, today, 10);  /* 10 working days later: 2022-06-29 */
    assert_int_equal(limit, D(2022, 6, 29));
    due_info i = task_due_info(c, ST_IN_PROGRESS, "fixed", D(2022, 6, 29), today, 10);
    assert_int_equal(i.state, DUE_SOON);
    assert_int_equal(i.working_days, 10);
    i = task_due_info(c, ST_IN_PROGRESS, "fixed", D(2022, 6, 30), today, 10);
    assert_int_equal(i.state, DUE_ON_TRACK);
    i = task_due_info(c, ST_IN_PROGRESS, "fixed", today, today, 10);
    assert_int_equal(i.state, DUE_SOON);              /* due today is not yet overdue */
    assert_int_equal(i.working_days, 0);
}

static void test_closed_event_recurring_unparsed(void **s)
{
    (void)s;
    const cal_calendar *c = cal_default();
    int32_t today = D(2022, 6, 15);
    assert_int_equal(task_due_info(c, ST_DONE, "fixed", D(2022, 1, 1), today, 10).state, DUE_CLOSED);
    assert_int_equal(task_due_info(c, ST_CANCELLED, "fixed", D(2022, 1, 1), today, 10).state, DUE_CLOSED);
    assert_int_equal(task_due_info(c, ST_NOT_STARTED, "event", 0, today, 10).state, DUE_AWAITING_EVENT);
    assert_int_equal(task_due_info(c, ST_NOT_STARTED, "recurring", 0, today, 10).state, DUE_RECURRING);
    assert_int_equal(task_due_info(c, ST_NOT_STARTED, "unparsed", 0, today, 10).state, DUE_NEEDS_DATE);
    assert_string_equal(due_state_id(DUE_AWAITING_EVENT), "awaiting_instruction");
}

static void test_days_off_explanation(void **s)
{
    (void)s;
    const cal_calendar *c = cal_default();
    char out[256];
    dl_days_off_between(c, D(2026, 2, 12), D(2026, 2, 26), out, sizeof out);
    assert_string_equal(out, "14/02–22/02 (Tết Bính Ngọ)");
    dl_days_off_between(c, D(2026, 3, 2), D(2026, 3, 20), out, sizeof out);
    assert_string_equal(out, "");                       /* only weekends: nothing named */
    dl_days_off_between(c, D(2022, 4, 29), D(2022, 5, 4), out, sizeof out);
    assert_non_null(strstr(out, "30/04–03/05"));
}

static void test_indicators(void **s)
{
    (void)s;
    double v;
    assert_true(rate_percent(2, 3, &v));
    assert_true(v > 66.65 && v < 66.75);
    assert_false(rate_percent(1, 0, &v));
    assert_int_equal(target_check(">=", 95, true, 95), TGT_MET);
    assert_int_equal(target_check(">=", 95, true, 94.9), TGT_NOT_MET);
    assert_int_equal(target_check("<=", 30, true, 31), TGT_NOT_MET);
    assert_int_equal(target_check("<=", 30, true, 12), TGT_MET);
    assert_int_equal(target_check(">=", 95, false, 0), TGT_NO_DATA);
    assert_int_equal(target_check("qualitative", 0, true, 1), TGT_QUALITATIVE);
    const char *name;
    assert_true(target_source_computed("computed:dossier_on_time_rate", &name));
    assert_string_equal(name, "dossier_on_time_rate");
    assert_false(target_source_computed("manual", &name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overdue_counts_working_days), cmocka_unit_test(test_due_soon_window),
        cmocka_unit_test(test_closed_event_recurring_unparsed), cmocka_unit_test(test_indicators),
        cmocka_unit_test(test_days_off_explanation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
