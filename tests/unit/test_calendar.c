/* Unit tests for src/core/calendar.c and the bundled holiday data
 * (the data/holidays CSV files, loaded through cal_default()). The expected schedules
 * are transcribed from shared/research/vn-par-sipas-calendar.md §4.3 as ranges
 * of days off, independently of the CSV rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "calendar_default.h"
#include "core/calendar.h"
#include "embed.h"

static int32_t iso(const char *s)
{
    int32_t jdn = 0;
    if (!cal_parse_iso(s, &jdn)) fail_msg("bad test date %s", s);
    return jdn;
}

static bool working(const cal_calendar *cal, const char *date)
{
    return cal_is_working_day(cal, iso(date), NULL);
}

typedef struct {
    const char *from, *to;   /* inclusive range of days off */
} off_range;

/* Checks every day of `year`: off iff inside a range, or a weekend that is not
 * listed as a make-up working day. */
static void check_year(const cal_calendar *cal, int year, const off_range *off, size_t noff,
                       const char *const *makeup, size_t nmakeup)
{
    for (int32_t d = cal_jdn_from_ymd(year, 1, 1); d <= cal_jdn_from_ymd(year, 12, 31); d++) {
        bool expect = cal_weekday(d) < 5;
        for (size_t i = 0; i < noff; i++)
            if (d >= iso(off[i].from) && d <= iso(off[i].to)) expect = false;
        for (size_t i = 0; i < nmakeup; i++)
            if (d == iso(makeup[i])) expect = true;
        if (cal_is_working_day(cal, d, NULL) != expect) {
            char buf[11];
            fail_msg("%s: expected %s", cal_format_iso(d, buf), expect ? "working" : "day off");
        }
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Official schedules, day by day ------------------------------------------- */

static void test_official_2024(void **state)
{
    (void)state;
    static const off_range off[] = {
        {"2024-01-01", "2024-01-01"}, {"2024-02-08", "2024-02-14"}, {"2024-04-18", "2024-04-18"},
        {"2024-04-27", "2024-05-01"}, {"2024-08-31", "2024-09-03"}};
    static const char *const makeup[] = {"2024-05-04"};
    check_year(cal_default(), 2024, off, N(off), makeup, N(makeup));
    assert_int_equal(cal_year_status_of(cal_default(), 2024), CAL_YEAR_OFFICIAL);
}

static void test_official_2025(void **state)
{
    (void)state;
    static const off_range off[] = {
        {"2025-01-01", "2025-01-01"}, {"2025-01-25", "2025-02-02"}, {"2025-04-05", "2025-04-07"},
        {"2025-04-30", "2025-05-04"}, {"2025-08-30", "2025-09-02"}};
    static const char *const makeup[] = {"2025-04-26"};
    check_year(cal_default(), 2025, off, N(off), makeup, N(makeup));
    assert_int_equal(cal_year_status_of(cal_default(), 2025), CAL_YEAR_OFFICIAL);
}

static void test_official_2026(void **state)
{
    (void)state;
    static const off_range off[] = {
        {"2026-01-01", "2026-01-04"}, {"2026-02-14", "2026-02-22"}, {"2026-04-25", "2026-04-27"},
        {"2026-04-30", "2026-05-03"}, {"2026-08-29", "2026-09-02"}};
    static const char *const makeup[] = {"2026-01-10", "2026-08-22"};
    check_year(cal_default(), 2026, off, N(off), makeup, N(makeup));
    assert_int_equal(cal_year_status_of(cal_default(), 2026), CAL_YEAR_OFFICIAL);
}

static void test_official_2020_2021_2023_key_dates(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    static const off_range off2020[] = {
        {"2020-01-01", "2020-01-01"}, {"2020-01-23", "2020-01-29"}, {"2020-04-02", "2020-04-02"},
        {"2020-04-30", "2020-05-03"}, {"2020-09-02", "2020-09-02"}};
    check_year(cal, 2020, off2020, N(off2020), NULL, 0);
    static const off_range off2021[] = {
        {"2021-01-01", "2021-01-03"}, {"2021-02-10", "2021-02-16"}, {"2021-04-21", "2021-04-21"},
        {"2021-04-30", "2021-05-03"}, {"2021-09-02", "2021-09-05"}};
    check_year(cal, 2021, off2021, N(off2021), NULL, 0);
    assert_false(working(cal, "2023-01-20"));
    assert_false(working(cal, "2023-01-26"));
    assert_true(working(cal, "2023-01-27"));
    assert_false(working(cal, "2023-05-03"));   /* Giỗ Tổ Sat 29/04 + 30/04 Sun compensated */
    assert_true(working(cal, "2023-05-04"));
}

static void test_reasons(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    const char *reason;
    assert_false(cal_is_working_day(cal, iso("2026-02-18"), &reason));
    assert_string_equal(reason, "Tết Nguyên đán");
    assert_true(cal_is_working_day(cal, iso("2026-01-10"), &reason));
    assert_string_equal(reason, "Làm bù cho ngày 02/01/2026");
    assert_false(cal_is_working_day(cal, iso("2026-03-07"), &reason));
    assert_string_equal(reason, "Thứ Bảy");
    assert_true(cal_is_working_day(cal, iso("2026-03-09"), &reason));
    assert_string_equal(reason, "Thứ Hai");
    assert_false(cal_is_working_day(cal, iso("2026-04-27"), &reason));
    assert_string_equal(reason, "Nghỉ bù Giỗ Tổ Hùng Vương");
    const cal_day *e = cal_day_entry(cal, iso("2025-05-02"));
    assert_non_null(e);
    assert_int_equal(e->kind, CAL_KIND_SWAPPED_OFF);
    assert_non_null(strstr(e->source, "8726/VPCP-KGVX"));
    assert_null(cal_day_entry(cal, iso("2025-05-05")));
}

static void test_year_listing(void **state)
{
    (void)state;
    size_t n;
    const cal_day *days = cal_year_days(cal_default(), 2026, &n);
    assert_true(n >= 15);
    for (size_t i = 0; i < n; i++) {
        int y, m, d;
        cal_ymd_from_jdn(days[i].jdn, &y, &m, &d);
        assert_int_equal(y, 2026);
        if (i) assert_true(days[i].jdn > days[i - 1].jdn);
        assert_true(days[i].name[0] && days[i].source[0]);
    }
    assert_int_equal(cal_year_days(cal_default(), 1899, &n) != NULL, 1);
    assert_int_equal(n, 0);
}

/* ---- Rule-derived (provisional) years ---------------------------------------------- */

static void test_status_of_years(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    assert_int_equal(cal_year_status_of(cal, 2022), CAL_YEAR_PROVISIONAL);
    assert_int_equal(cal_year_status_of(cal, 2027), CAL_YEAR_PROVISIONAL);
    assert_int_equal(cal_year_status_of(cal, 1899), CAL_YEAR_OUT_OF_RANGE);
    assert_int_equal(cal_year_status_of(cal, 2200), CAL_YEAR_OUT_OF_RANGE);
    assert_string_equal(cal_year_status_name(CAL_YEAR_PROVISIONAL), "provisional");
}

static void test_provisional_2027(void **state)
{
    (void)state;
    /* Tết 2027 = Sat 06/02: Tết days Fri 05/02 … Tue 09/02, the weekend two are
     * compensated on Wed 10/02 and Thu 11/02. 01/05 is a Saturday -> Mon 03/05.
     * 02/09 is a Thursday -> adjacent Friday 03/09. */
    static const off_range off[] = {
        {"2027-01-01", "2027-01-03"}, {"2027-02-05", "2027-02-11"}, {"2027-04-16", "2027-04-16"},
        {"2027-04-30", "2027-05-03"}, {"2027-09-02", "2027-09-05"}};
    check_year(cal_default(), 2027, off, N(off), NULL, 0);
}

/* Rules alone reproduce the announced 2026 schedule except its two swaps. */
static void test_rules_reproduce_2026_without_swaps(void **state)
{
    (void)state;
    size_t len;
    char err[200];
    cal_calendar *cal = cal_new_from_csv(NULL, embed_get("data/holidays/rules.csv", &len), err, sizeof err);
    assert_non_null(cal);
    static const off_range off[] = {
        {"2026-01-01", "2026-01-01"}, {"2026-02-14", "2026-02-22"}, {"2026-04-25", "2026-04-27"},
        {"2026-04-30", "2026-05-03"}, {"2026-09-01", "2026-09-02"}};
    check_year(cal, 2026, off, N(off), NULL, 0);
    cal_free(cal);
}

/* In every derived year with the 2019 Code, 11 holiday days cost 11 weekdays,
 * unless Giỗ Tổ coincides with 30/04 or 01/05. */
static void test_provisional_years_lose_eleven_weekdays(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    for (int y = 2027; y <= 2199; y++) {
        int lost = 0;
        for (int32_t d = cal_jdn_from_ymd(y, 1, 1); d <= cal_jdn_from_ymd(y, 12, 31); d++)
            if (cal_weekday(d) < 5 && !cal_is_working_day(cal, d, NULL)) lost++;
        int32_t gio_to;
        assert_true(lunar_to_jdn(y, 3, 10, false, &gio_to));
        int collisions = (gio_to == cal_jdn_from_ymd(y, 4, 30) || gio_to == cal_jdn_from_ymd(y, 5, 1));
        if (lost != 11 - collisions) fail_msg("%d: %d weekdays off", y, lost);
        int32_t tet = lunar_tet_jdn(y);
        for (int32_t d = tet - 1; d <= tet + 3; d++) assert_false(cal_is_working_day(cal, d, NULL));
        int32_t national = cal_jdn_from_ymd(y, 9, 2);
        assert_true(!cal_is_working_day(cal, national - 1, NULL) || !cal_is_working_day(cal, national + 1, NULL));
    }
}

static void test_culture_day_disabled_then_enabled(void **state)
{
    (void)state;
    size_t len;
    char err[200];
    assert_true(working(cal_default(), "2026-11-24"));
    assert_true(working(cal_default(), "2027-11-24"));
    const char *rules = embed_get("data/holidays/rules.csv", &len);
    char *enabled = strdup(rules);
    char *row = strstr(enabled, "culture_day,");
    assert_non_null(row);
    char *flag = strstr(row, ",0,all,");
    assert_non_null(flag);
    flag[1] = '1';
    cal_calendar *cal = cal_new_from_csv(embed_get("data/holidays/official.csv", &len), enabled, err, sizeof err);
    assert_non_null(cal);
    assert_true(working(cal, "2025-11-24"));           /* before effective_from */
    assert_false(working(cal, "2026-11-24"));          /* official year, applies_to=all */
    assert_false(working(cal, "2027-11-24"));          /* provisional year */
    assert_false(working(cal, "2029-11-26"));          /* 24/11/2029 is a Saturday */
    assert_true(working(cal, "2029-11-27"));
    cal_free(cal);
    free(enabled);
}

/* ---- Overrides (the hook for admin edits) --------------------------------------------- */

static void test_overrides_and_confirmation(void **state)
{
    (void)state;
    char err[200];
    const cal_day overrides[] = {
        {iso("2026-02-20"), CAL_KIND_NORMAL, NULL, NULL},
        {iso("2027-03-01"), CAL_KIND_HOLIDAY, "Ngày nghỉ thử", "Quyết định thử"},
        {iso("2027-03-06"), CAL_KIND_MAKEUP_WORKDAY, "Làm bù", "Quyết định thử"},
    };
    const int confirmed[] = {2027, 2024};
    cal_calendar *cal = cal_default_with(overrides, N(overrides), confirmed, N(confirmed), NULL, err, sizeof err);
    assert_non_null(cal);
    assert_true(working(cal, "2026-02-20"));
    assert_false(working(cal, "2027-03-01"));
    assert_true(working(cal, "2027-03-06"));
    const char *reason;
    cal_is_working_day(cal, iso("2027-03-01"), &reason);
    assert_string_equal(reason, "Ngày nghỉ thử");
    assert_int_equal(cal_year_status_of(cal, 2027), CAL_YEAR_CONFIRMED);
    assert_int_equal(cal_year_status_of(cal, 2024), CAL_YEAR_OFFICIAL);
    assert_int_equal(cal_year_status_of(cal, 2028), CAL_YEAR_PROVISIONAL);
    /* counting follows the edited days */
    assert_int_equal(cal_add_working_days(cal, iso("2026-02-13"), 1), iso("2026-02-20"));
    assert_int_equal(cal_add_working_days(cal_default(), iso("2026-02-13"), 1), iso("2026-02-23"));
    cal_free(cal);

    const cal_day bad[] = {{iso("2027-03-03"), CAL_KIND_MAKEUP_WORKDAY, "x", "y"}};
    assert_null(cal_default_with(bad, 1, NULL, 0, NULL, err, sizeof err));
    assert_non_null(strstr(err, "2027-03-03"));
}

static void test_bad_csv_is_rejected_with_line(void **state)
{
    (void)state;
    char err[200];
    static const struct { const char *csv, *needle; } cases[] = {
        {"date,kind,name,source\n2026-02-30,holiday,X,Y\n", "line 2"},
        {"date,kind,name,source\n# c\n2026-02-03,party,X,Y\n", "line 3"},
        {"date,kind,name,source\n2026-02-03,holiday,X,Y\n2026-02-03,tet,X,Y\n", "duplicate"},
        {"day,kind,name,source\n", "header"},
        {"date,kind,name,source\n2026-02-03,holiday,X\n", "4 fields"},
        {"date,kind,name,source\n2026-02-07,compensatory,X,Y\n", "weekday"},
        {"date,kind,name,source\n2026-02-03,holiday,\"X,Y\n", "line 2"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        cal_calendar *cal = cal_new_from_csv(cases[i].csv, NULL, err, sizeof err);
        assert_null(cal);
        if (!strstr(err, cases[i].needle)) fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].needle);
    }
    cal_calendar *cal = cal_new_from_csv("date,kind,name,source\r\n2026-03-03,holiday,\"A, \"\"B\"\"\",\"C\"\r\n",
                                         NULL, err, sizeof err);
    assert_non_null(cal);
    assert_string_equal(cal_day_entry(cal, iso("2026-03-03"))->name, "A, \"B\"");
    cal_free(cal);
}

/* ---- Working-day arithmetic ---------------------------------------------------------- */

static int32_t naive_add(const cal_calendar *cal, int32_t d, int n)
{
    int step = n > 0 ? 1 : -1;
    while (n) {
        d += step;
        if (cal_is_working_day(cal, d, NULL)) n -= step;
    }
    return d;
}

static void test_add_matches_naive_stepping(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    static const int ns[] = {1, 2, 5, 10, 37, -1, -10};
    for (int32_t d = iso("1900-01-01"); d <= iso("2199-12-31"); d += 5)
        for (size_t i = 0; i < N(ns); i++)
            if (cal_add_working_days(cal, d, ns[i]) != naive_add(cal, d, ns[i])) fail_msg("d=%d n=%d", (int)d, ns[i]);
    /* across the ends of the table */
    assert_int_equal(cal_add_working_days(cal, iso("2199-12-30"), 5), naive_add(cal, iso("2199-12-30"), 5));
    assert_int_equal(cal_add_working_days(cal, iso("1900-01-02"), -5), naive_add(cal, iso("1900-01-02"), -5));
    assert_int_equal(cal_add_working_days(cal, iso("2300-01-01"), 3), iso("2300-01-04"));
}

static void test_add_properties(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    for (int32_t d = iso("2019-12-01"); d <= iso("2028-01-31"); d++) {
        int32_t prev = d;
        for (int n = 1; n <= 40; n++) {
            int32_t r = cal_add_working_days(cal, d, n);
            assert_true(r > prev);                                   /* strictly increasing */
            assert_true(cal_is_working_day(cal, r, NULL));           /* never a day off */
            assert_int_equal(cal_working_days_between(cal, d, r), n);
            assert_int_equal(cal_working_days_between(cal, r, d), -n);
            if (cal_is_working_day(cal, d, NULL)) assert_int_equal(cal_add_working_days(cal, r, -n), d);
            prev = r;
        }
        assert_int_equal(cal_add_working_days(cal, d, 0), d);
    }
}

static void test_add_examples(void **state)
{
    (void)state;
    const cal_calendar *cal = cal_default();
    assert_int_equal(cal_add_working_days(cal, iso("2026-02-12"), 5), iso("2026-02-26"));
    assert_int_equal(cal_add_working_days(cal, iso("2025-04-25"), 1), iso("2025-04-26"));   /* make-up Sat */
    assert_int_equal(cal_add_working_days(cal, iso("2024-04-26"), 1), iso("2024-05-02"));
    assert_int_equal(cal_next_working_day_on_or_after(cal, iso("2026-02-14")), iso("2026-02-23"));
    assert_int_equal(cal_working_days_between(cal, iso("2026-02-13"), iso("2026-02-23")), 1);
    assert_int_equal(cal_working_days_between(cal, iso("2026-01-01"), iso("2026-12-31")),
                     cal_working_days_between(cal, iso("2026-01-01"), iso("2026-06-30"))
                         + cal_working_days_between(cal, iso("2026-06-30"), iso("2026-12-31")));
    /* 2026: 261 weekdays - 11 holidays on weekdays... counted directly */
    int count = 0;
    for (int32_t d = iso("2026-01-01"); d <= iso("2026-12-31"); d++) count += cal_is_working_day(cal, d, NULL);
    assert_int_equal(cal_working_days_between(cal, iso("2025-12-31"), iso("2026-12-31")), count);
}

static void test_office_hours(void **state)
{
    (void)state;
    cal_office_hours h;
    assert_true(cal_parse_office_hours("07:30-11:30,13:30-17:00", &h));
    assert_int_equal(h.nsessions, 2);
    assert_int_equal(h.sessions[0].start_min, 450);
    assert_int_equal(h.sessions[1].end_min, 1020);
    assert_true(cal_parse_office_hours("8:00 – 12:00, 13:00 – 17:00", &h));
    assert_int_equal(h.sessions[1].start_min, 780);
    assert_false(cal_parse_office_hours("08:00-12:00,11:00-17:00", &h));   /* overlap */
    assert_false(cal_parse_office_hours("12:00-08:00", &h));
    assert_false(cal_parse_office_hours("08:00", &h));
    assert_int_equal(cal_working_minutes_per_day(cal_default()), 450);
    char err[100];
    assert_true(cal_parse_office_hours("08:00-12:00,13:00-17:00", &h));
    cal_calendar *cal = cal_default_with(NULL, 0, NULL, 0, &h, err, sizeof err);
    assert_non_null(cal);
    assert_int_equal(cal_working_minutes_per_day(cal), 480);
    cal_free(cal);
}

static void test_kind_names(void **state)
{
    (void)state;
    static const cal_day_kind kinds[] = {CAL_KIND_NORMAL, CAL_KIND_HOLIDAY, CAL_KIND_TET, CAL_KIND_COMPENSATORY,
                                         CAL_KIND_SWAPPED_OFF, CAL_KIND_MAKEUP_WORKDAY};
    for (size_t i = 0; i < N(kinds); i++) {
        cal_day_kind k;
        assert_true(cal_kind_parse(cal_kind_name(kinds[i]), &k));
        assert_int_equal(k, kinds[i]);
    }
    cal_day_kind k;
    assert_false(cal_kind_parse("weekend", &k));
    assert_true(cal_kind_is_day_off(CAL_KIND_SWAPPED_OFF));
    assert_false(cal_kind_is_day_off(CAL_KIND_MAKEUP_WORKDAY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_official_2024),
        cmocka_unit_test(test_official_2025),
        cmocka_unit_test(test_official_2026),
        cmocka_unit_test(test_official_2020_2021_2023_key_dates),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_year_listing),
        cmocka_unit_test(test_status_of_years),
        cmocka_unit_test(test_provisional_2027),
        cmocka_unit_test(test_rules_reproduce_2026_without_swaps),
        cmocka_unit_test(test_provisional_years_lose_eleven_weekdays),
        cmocka_unit_test(test_culture_day_disabled_then_enabled),
        cmocka_unit_test(test_overrides_and_confirmation),
        cmocka_unit_test(test_bad_csv_is_rejected_with_line),
        cmocka_unit_test(test_add_matches_naive_stepping),
        cmocka_unit_test(test_add_properties),
        cmocka_unit_test(test_add_examples),
        cmocka_unit_test(test_office_hours),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
