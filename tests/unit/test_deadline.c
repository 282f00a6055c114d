/* Unit tests for src/core/deadline.c on the bundled calendar. Expected dates
 * were worked out by hand from the 2026 schedule: Tết Bính Ngọ off 14/02–22/02,
 * Giỗ Tổ 25/04–27/04, 30/04–03/05, make-up Saturday 10/01. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "calendar_default.h"
#include "core/deadline.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int32_t iso(const char *s)
{
    int32_t jdn = 0;
    if (!cal_parse_iso(s, &jdn)) fail_msg("bad test date %s", s);
    return jdn;
}

static dl_moment at(const char *date, int h, int m)
{
    return dl_moment_make(iso(date), h, m);
}

static dl_result compute(const dl_deadline *d, dl_moment now)
{
    dl_result r;
    char err[128];
    if (!dl_compute(d, now, &r, err, sizeof err)) fail_msg("dl_compute: %s", err);
    return r;
}

static void assert_due_day(const dl_deadline *d, const char *want)
{
    char got[11];
    assert_string_equal(cal_format_iso(compute(d, d->start).due_jdn, got), want);
}

static void assert_due_at(const dl_deadline *d, const char *want)
{
    char got[17];
    assert_string_equal(dl_format_moment(compute(d, d->start).due_at, got), want);
}

static dl_deadline wd(const char *date, int h, int m, int days)
{
    return dl_make(cal_default(), at(date, h, m), (dl_duration){DL_UNIT_WORKING_DAYS, days});
}

/* ---- Start rule and cut-off ----------------------------------------------------- */

static void test_default_rule_skips_receipt_day(void **state)
{
    (void)state;
    dl_deadline d = wd("2026-02-12", 9, 0, 5);
    assert_due_day(&d, "2026-02-26");
    assert_due_at(&d, "2026-02-26 17:00");
    dl_result r = compute(&d, d.start);
    assert_int_equal(r.first_counted_jdn, iso("2026-02-13"));
    /* Sunday receipt without cut-off: Monday is day 1 */
    d = wd("2026-03-01", 10, 0, 5);
    assert_due_day(&d, "2026-03-06");
    /* zero days: due on the receipt day */
    d = wd("2026-03-03", 10, 0, 0);
    assert_due_day(&d, "2026-03-03");
}

static void test_count_first_rule(void **state)
{
    (void)state;
    dl_deadline d = wd("2026-02-12", 9, 0, 5);
    d.rule.mode = DL_START_SAME_DAY;
    assert_due_day(&d, "2026-02-25");
    /* a receipt on a day off counts from the next working day */
    d = wd("2026-02-14", 9, 0, 1);
    d.rule.mode = DL_START_SAME_DAY;
    assert_due_day(&d, "2026-02-23");
}

static void test_cutoff(void **state)
{
    (void)state;
    dl_deadline d = wd("2026-02-13", 16, 0, 5);
    d.rule.cutoff_min = 15 * 60;
    assert_due_day(&d, "2026-03-02");   /* received 23/02, counted 24/02 … 02/03 */
    assert_int_equal(compute(&d, d.start).effective_start, at("2026-02-23", 7, 30));
    d.start = at("2026-02-13", 14, 59);
    assert_due_day(&d, "2026-02-27");
    d = wd("2026-03-01", 10, 0, 5);     /* Sunday with a cut-off: received Monday */
    d.rule.cutoff_min = 15 * 60;
    assert_due_day(&d, "2026-03-09");
    d = wd("2026-03-05", 16, 0, 3);     /* same-day rule + cut-off */
    d.rule.mode = DL_START_SAME_DAY;
    d.rule.cutoff_min = 15 * 60;
    assert_due_day(&d, "2026-03-10");
    d = wd("2026-03-05", 17, 30, 1);    /* after office hours, cut-off later than closing */
    d.rule.cutoff_min = 23 * 60;
    assert_due_day(&d, "2026-03-09");
}

/* ---- Units --------------------------------------------------------------------------- */

static void test_working_hours(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    dl_deadline d = dl_make(cal, at("2026-02-12", 10, 0), (dl_duration){DL_UNIT_WORKING_HOURS, 8});
    assert_due_at(&d, "2026-02-13 10:30");
    d = dl_make(cal, at("2026-03-02", 7, 30), (dl_duration){DL_UNIT_WORKING_HOURS, 24});
    assert_due_at(&d, "2026-03-05 09:00");
    /* a working day is never 24 hours */
    dl_deadline one_day = wd("2026-03-02", 7, 30, 1);
    assert_true(compute(&one_day, one_day.start).due_at < compute(&d, d.start).due_at);
    d = dl_make(cal, at("2026-02-13", 15, 0), (dl_duration){DL_UNIT_WORKING_HOURS, 4});
    assert_due_at(&d, "2026-02-23 09:30");
    d = dl_make(cal, at("2026-03-02", 12, 0), (dl_duration){DL_UNIT_WORKING_HOURS, 1});
    assert_due_at(&d, "2026-03-02 14:30");   /* lunch break does not count */
    d = dl_make(cal, at("2026-03-02", 13, 0), (dl_duration){DL_UNIT_WORKING_HOURS, 4});
    assert_due_at(&d, "2026-03-03 08:00");   /* 13:30-17:00 = 3.5 h, then 0.5 h */
}

static void test_half_days(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    dl_deadline d = dl_make(cal, at("2026-03-05", 10, 0), (dl_duration){DL_UNIT_HALF_DAYS, 1});
    assert_due_at(&d, "2026-03-06 11:30");
    d.rule.mode = DL_START_SAME_DAY;
    assert_due_at(&d, "2026-03-05 17:00");
    d = dl_make(cal, at("2026-03-05", 10, 0), (dl_duration){DL_UNIT_HALF_DAYS, 3});
    assert_due_at(&d, "2026-03-09 11:30");
}

static void test_calendar_days_and_months(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    dl_deadline d = dl_make(cal, at("2026-02-12", 9, 0), (dl_duration){DL_UNIT_CALENDAR_DAYS, 15});
    assert_due_day(&d, "2026-02-27");
    assert_false(compute(&d, d.start).rolled_forward);
    d = dl_make(cal, at("2026-02-05", 9, 0), (dl_duration){DL_UNIT_CALENDAR_DAYS, 10});
    assert_due_day(&d, "2026-02-23");        /* 15/02 is in Tết: next working day */
    assert_true(compute(&d, d.start).rolled_forward);
    d.rule.mode = DL_START_SAME_DAY;
    assert_due_day(&d, "2026-02-23");        /* 14/02, also off */
    d = dl_make(cal, at("2026-03-02", 9, 0), (dl_duration){DL_UNIT_CALENDAR_DAYS, 3});
    d.rule.mode = DL_START_SAME_DAY;
    assert_due_day(&d, "2026-03-04");
    d = dl_make(cal, at("2026-01-31", 9, 0), (dl_duration){DL_UNIT_MONTHS, 1});
    assert_due_day(&d, "2026-03-02");        /* 28/02 Sat */
    d = dl_make(cal, at("2024-01-31", 9, 0), (dl_duration){DL_UNIT_MONTHS, 1});
    assert_due_day(&d, "2024-02-29");
    d = dl_make(cal, at("2025-11-30", 9, 0), (dl_duration){DL_UNIT_MONTHS, 3});
    assert_due_day(&d, "2026-03-02");
    d = dl_make(cal, at("2026-03-10", 9, 0), (dl_duration){DL_UNIT_MONTHS, 12});
    assert_due_day(&d, "2027-03-10");
}

/* ---- Pauses and extension ----------------------------------------------------------- */

static void test_pause_moves_due_by_exactly_k_working_days(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    for (int32_t day = iso("2024-01-01"); day <= iso("2027-12-31"); day += 3) {
        dl_deadline d = dl_make(cal, dl_moment_make(day, 9, 0), (dl_duration){DL_UNIT_WORKING_DAYS, 10});
        dl_result base = compute(&d, d.start);
        for (int j = 0; j < 10; j += 3) {
            for (int k = 1; k <= 12; k += 5) {
                int32_t p = cal_add_working_days(cal, base.first_counted_jdn, j);
                dl_pause pause = {dl_moment_make(p, 9, 0), dl_moment_make(cal_add_working_days(cal, p, k), 9, 0)};
                d.pauses = &pause;
                d.npauses = 1;
                dl_result r = compute(&d, d.start);
                assert_int_equal(cal_working_days_between(cal, base.due_jdn, r.due_jdn), k);
                assert_true(cal_is_working_day(cal, r.due_jdn, NULL));
                assert_int_equal(r.paused_working_days, k);
                assert_int_equal(r.budget_working_days, 10);
            }
        }
        /* a pause that starts after the due day changes nothing */
        dl_pause late = {dl_moment_make(base.due_jdn + 1, 9, 0), dl_moment_make(base.due_jdn + 30, 9, 0)};
        d.pauses = &late;
        d.npauses = 1;
        assert_int_equal(compute(&d, d.start).due_jdn, base.due_jdn);
    }
}

static void test_open_pause_and_progress(void **state)
{
    (void)state;
    dl_deadline d = wd("2026-03-02", 9, 0, 5);
    assert_due_day(&d, "2026-03-09");
    dl_pause pause = {at("2026-03-04", 10, 0), DL_OPEN};
    d.pauses = &pause;
    d.npauses = 1;
    dl_result r = compute(&d, at("2026-03-06", 12, 0));
    assert_true(r.paused);
    assert_int_equal(r.due_jdn, iso("2026-03-11"));
    assert_int_equal(r.paused_working_days, 2);
    assert_int_equal(r.working_days_used, 2);
    assert_int_equal(r.working_days_left, 3);
    /* two overlapping pauses count once */
    dl_pause two[] = {{at("2026-03-04", 10, 0), at("2026-03-06", 10, 0)}, {at("2026-03-05", 8, 0), at("2026-03-06", 9, 0)}};
    d.pauses = two;
    d.npauses = 2;
    r = compute(&d, at("2026-03-06", 12, 0));
    assert_false(r.paused);
    assert_int_equal(r.due_jdn, iso("2026-03-11"));
}

static void test_extension(void **state)
{
    (void)state;
    dl_deadline d = wd("2026-02-12", 9, 0, 10);
    assert_due_day(&d, "2026-03-05");
    d.has_extension = true;
    d.extension = (dl_duration){DL_UNIT_WORKING_DAYS, 5};
    assert_due_day(&d, "2026-03-12");
    d = wd("2026-03-02", 9, 0, 2);
    d.has_extension = true;
    d.extension = (dl_duration){DL_UNIT_HALF_DAYS, 1};
    assert_due_at(&d, "2026-03-05 11:30");
    d.extension = (dl_duration){DL_UNIT_WORKING_HOURS, 4};
    dl_result r;
    char err[100];
    assert_false(dl_compute(&d, d.start, &r, err, sizeof err));
    assert_non_null(strstr(err, "extension"));
}

static void test_used_left_overdue(void **state)
{
    (void)state;
    dl_deadline d = wd("2026-02-12", 9, 0, 5);
    dl_result r = compute(&d, at("2026-02-24", 12, 0));
    assert_int_equal(r.working_days_used, 3);
    assert_int_equal(r.working_days_left, 2);
    assert_false(r.overdue);
    r = compute(&d, at("2026-02-26", 16, 0));
    assert_int_equal(r.working_days_used, 5);
    assert_int_equal(r.working_days_left, 0);
    assert_false(r.overdue);
    assert_int_equal(r.working_minutes_left, 60);
    r = compute(&d, at("2026-02-26", 20, 0));
    assert_false(r.overdue);                  /* a day-based period ends at 24:00 */
    r = compute(&d, at("2026-02-27", 8, 0));
    assert_true(r.overdue);
    assert_int_equal(r.overdue_working_days, 1);
    r = compute(&d, at("2026-02-28", 8, 0));
    assert_int_equal(r.overdue_working_days, 1);
    r = compute(&d, at("2026-03-03", 8, 0));
    assert_int_equal(r.overdue_working_days, 3);
    assert_true(r.working_minutes_left < 0);
    r = compute(&d, at("2026-02-01", 8, 0));  /* before receipt */
    assert_int_equal(r.working_days_used, 0);
    assert_int_equal(r.working_days_left, 5);
    /* hours: overdue the minute after */
    d = dl_make(cal_default(), at("2026-03-02", 7, 30), (dl_duration){DL_UNIT_WORKING_HOURS, 2});
    assert_false(compute(&d, at("2026-03-02", 9, 30)).overdue);
    assert_true(compute(&d, at("2026-03-02", 9, 31)).overdue);
}

static void test_due_never_on_day_off(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    for (int32_t day = iso("2024-01-01"); day <= iso("2027-12-31"); day++) {
        for (int n = 1; n <= 25; n += 4) {
            dl_deadline d = dl_make(cal, dl_moment_make(day, 9, 0), (dl_duration){DL_UNIT_WORKING_DAYS, n});
            dl_result r = compute(&d, d.start);
            assert_true(cal_is_working_day(cal, r.due_jdn, NULL));
            assert_int_equal(r.due_jdn, cal_add_working_days(cal, day, n));
            d.budget.unit = DL_UNIT_CALENDAR_DAYS;
            assert_true(cal_is_working_day(cal, compute(&d, d.start).due_jdn, NULL));
        }
    }
}

static void test_provisional_flag(void **state)
{
    (void)state;
    dl_deadline d = wd("2026-03-02", 9, 0, 5);
    assert_false(compute(&d, d.start).provisional);
    d = wd("2026-12-28", 9, 0, 10);           /* runs into 2027 */
    assert_true(compute(&d, d.start).provisional);
}

static void test_invalid_deadlines(void **state)
{
    (void)state;
    dl_result r;
    char err[100];
    dl_deadline d = wd("2026-03-02", 9, 0, -1);
    assert_false(dl_compute(&d, d.start, &r, err, sizeof err));
    d = wd("2026-03-02", 9, 0, 1);
    d.cal = NULL;
    assert_false(dl_compute(&d, d.start, &r, err, sizeof err));
    assert_int_equal(dl_due(&d, 0), DL_OPEN);
    d = wd("2026-03-02", 9, 0, 1);
    dl_pause bad = {at("2026-03-03", 9, 0), at("2026-03-02", 9, 0)};
    d.pauses = &bad;
    d.npauses = 1;
    assert_false(dl_compute(&d, d.start, &r, err, sizeof err));
}

/* ---- Explanation ---------------------------------------------------------------------- */

static void test_explanation(void **state)
{
    (void)state;
    char text[512];
    dl_deadline d = wd("2026-02-12", 9, 0, 5);
    dl_explain(&d, d.start, text, sizeof text);
    assert_string_equal(text, "5 ngày làm việc từ 12/02/2026, bỏ qua 14/02–22/02 (Tết Bính Ngọ), hạn Thứ Năm 26/02/2026");
    d = wd("2026-04-24", 9, 0, 10);
    dl_explain(&d, d.start, text, sizeof text);
    assert_string_equal(text, "10 ngày làm việc từ 24/04/2026, bỏ qua 25/04–27/04 (Giỗ Tổ Hùng Vương), "
                              "30/04–03/05 (Ngày Chiến thắng, Ngày Quốc tế Lao động), hạn Thứ Tư 13/05/2026");
    d = wd("2026-03-02", 9, 0, 5);
    dl_pause pause = {at("2026-03-04", 10, 0), at("2026-03-06", 10, 0)};
    d.pauses = &pause;
    d.npauses = 1;
    d.has_extension = true;
    d.extension = (dl_duration){DL_UNIT_WORKING_DAYS, 1};
    dl_explain(&d, at("2026-03-16", 9, 0), text, sizeof text);
    assert_string_equal(text, "5 ngày làm việc từ 02/03/2026, tạm dừng 2 ngày làm việc, gia hạn 1 ngày làm việc, "
                              "hạn Thứ Năm 12/03/2026, quá hạn 2 ngày làm việc");
    d = wd("2027-02-03", 9, 0, 3);
    dl_explain(&d, d.start, text, sizeof text);
    assert_non_null(strstr(text, "(Tết Đinh Mùi)"));
    assert_non_null(strstr(text, "tạm tính"));
}

static void test_explanation_truncates_safely(void **state)
{
    (void)state;
    char full[512], small[24];
    dl_deadline d = wd("2026-02-12", 9, 0, 5);
    size_t need = dl_explain(&d, d.start, full, sizeof full);
    assert_int_equal(need, strlen(full));
    for (size_t len = 1; len <= sizeof small; len++) {
        assert_int_equal(dl_explain(&d, d.start, small, len), need);
        assert_true(strlen(small) < len);
        assert_memory_equal(small, full, strlen(small));
        /* never ends inside a UTF-8 sequence */
        size_t n = strlen(small);
        size_t i = n;
        while (i > 0 && ((unsigned char)small[i - 1] & 0xC0) == 0x80) i--;
        if (i > 0 && ((unsigned char)small[i - 1] & 0x80)) {
            unsigned char lead = (unsigned char)small[i - 1];
            size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            assert_int_equal(n - (i - 1), want);
        }
    }
}

/* ---- Parsers ---------------------------------------------------------------------------- */

static void test_parse_duration(void **state)
{
    (void)state;
    static const struct { const char *s; dl_unit unit; int amount; } ok[] = {
        {"10 ngày làm việc", DL_UNIT_WORKING_DAYS, 10}, {"4 giờ làm việc", DL_UNIT_WORKING_HOURS, 4},
        {"4 giờ", DL_UNIT_WORKING_HOURS, 4},           {"15 ngày", DL_UNIT_CALENDAR_DAYS, 15},
        {"3 tháng", DL_UNIT_MONTHS, 3},                  {"1/2 ngày", DL_UNIT_HALF_DAYS, 1},
        {"nửa ngày", DL_UNIT_HALF_DAYS, 1},             {"1,5 ngày làm việc", DL_UNIT_HALF_DAYS, 3},
        {"2.5 ngày", DL_UNIT_HALF_DAYS, 5},             {"  7   NGÀY LÀM VIỆC ", DL_UNIT_WORKING_DAYS, 7},
        {"10 ngay lam viec", DL_UNIT_WORKING_DAYS, 10}, {"10 working days", DL_UNIT_WORKING_DAYS, 10},
        {"2 half days", DL_UNIT_HALF_DAYS, 2},          {"10wd", DL_UNIT_WORKING_DAYS, 10},
        {"4h", DL_UNIT_WORKING_HOURS, 4},               {"3 months", DL_UNIT_MONTHS, 3},
        {"0 ngày làm việc", DL_UNIT_WORKING_DAYS, 0},   {"2 buổi", DL_UNIT_HALF_DAYS, 2},
        {"1,0 ngày", DL_UNIT_CALENDAR_DAYS, 1},
    };
    for (size_t i = 0; i < N(ok); i++) {
        dl_duration d = {DL_UNIT_MONTHS, -1};
        if (!dl_parse_duration(ok[i].s, &d)) fail_msg("rejected \"%s\"", ok[i].s);
        assert_int_equal(d.unit, ok[i].unit);
        assert_int_equal(d.amount, ok[i].amount);
    }
    static const char *const bad[] = {"", "ngày", "10", "10 tuần", "-3 ngày", "1,5 giờ", "1/3 ngày",
                                      "100001 ngày", "99999999999 ngày", "1,5 tháng", "10 ngày làm việc x",
                                      "1,25 ngày", NULL};
    for (size_t i = 0; bad[i]; i++) {
        dl_duration d;
        if (dl_parse_duration(bad[i], &d)) fail_msg("accepted \"%s\"", bad[i]);
    }
    assert_false(dl_parse_duration(NULL, &(dl_duration){0}));
    char buf[64];
    assert_string_equal(dl_format_duration((dl_duration){DL_UNIT_HALF_DAYS, 3}, buf, sizeof buf), "1,5 ngày làm việc");
    assert_string_equal(dl_format_duration((dl_duration){DL_UNIT_HALF_DAYS, 1}, buf, sizeof buf), "1/2 ngày làm việc");
}

static void test_parse_moments(void **state)
{
    (void)state;
    dl_moment t;
    char buf[17];
    assert_true(dl_parse_moment("2026-02-13", &t));
    assert_string_equal(dl_format_moment(t, buf), "2026-02-13 00:00");
    assert_true(dl_parse_moment("13/02/2026 15:05", &t));
    assert_string_equal(dl_format_moment(t, buf), "2026-02-13 15:05");
    assert_true(dl_parse_moment("2026-02-13T07:30:59", &t));
    assert_string_equal(dl_format_moment(t, buf), "2026-02-13 07:30");
    assert_true(dl_parse_moment("2026-02-13 7:30", &t));
    assert_false(dl_parse_moment("2026-02-13 24:00", &t));
    assert_false(dl_parse_moment("2026-02-13 12:60", &t));
    assert_false(dl_parse_moment("2026-02-13T", &t));
    assert_false(dl_parse_moment("2026-02-30", &t));
    assert_false(dl_parse_moment("13-02-2026", &t));
    int minutes;
    assert_true(dl_parse_hhmm("15:00", &minutes));
    assert_int_equal(minutes, 900);
    assert_false(dl_parse_hhmm("15:0", &minutes));
    assert_false(dl_parse_hhmm("1500", &minutes));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_rule_skips_receipt_day),
        cmocka_unit_test(test_count_first_rule),
        cmocka_unit_test(test_cutoff),
        cmocka_unit_test(test_working_hours),
        cmocka_unit_test(test_half_days),
        cmocka_unit_test(test_calendar_days_and_months),
        cmocka_unit_test(test_pause_moves_due_by_exactly_k_working_days),
        cmocka_unit_test(test_open_pause_and_progress),
        cmocka_unit_test(test_extension),
        cmocka_unit_test(test_used_left_overdue),
        cmocka_unit_test(test_due_never_on_day_off),
        cmocka_unit_test(test_provisional_flag),
        cmocka_unit_test(test_invalid_deadlines),
        cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_explanation_truncates_safely),
        cmocka_unit_test(test_parse_duration),
        cmocka_unit_test(test_parse_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
