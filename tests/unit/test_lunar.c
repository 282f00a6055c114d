/* Unit tests for src/core/lunar.c: Gregorian/JDN helpers and the Vietnamese
 * lunar calendar. Vectors come from shared/research/vn-par-sipas-calendar.md §5. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/lunar.h"

static int32_t iso(const char *s)
{
    int32_t jdn = 0;
    if (!cal_parse_iso(s, &jdn)) fail_msg("bad test date %s", s);
    return jdn;
}

static void assert_lunar(const char *solar, int day, int month, int year, bool leap)
{
    lunar_date l;
    assert_true(lunar_from_jdn(iso(solar), &l));
    if (l.day != day || l.month != month || l.year != year || l.leap != leap)
        fail_msg("%s: got %d/%d%s/%d, want %d/%d%s/%d", solar, l.day, l.month, l.leap ? "n" : "", l.year,
                 day, month, leap ? "n" : "", year);
}

static void assert_lunar_to_solar(int year, int month, int day, bool leap, const char *solar)
{
    int32_t jdn;
    char got[11];
    assert_true(lunar_to_jdn(year, month, day, leap, &jdn));
    assert_string_equal(cal_format_iso(jdn, got), solar);
}

/* ---- Gregorian ---------------------------------------------------------------- */

static void test_jdn_known_values(void **state)
{
    (void)state;
    assert_int_equal(cal_jdn_from_ymd(1812, 10, 12), 2383164);
    assert_int_equal(cal_jdn_from_ymd(2000, 1, 1), 2451545);
    assert_int_equal(cal_jdn_from_ymd(1900, 1, 1), 2415021);
    assert_int_equal(cal_weekday(cal_jdn_from_ymd(2000, 1, 1)), 5);   /* Saturday */
    assert_string_equal(cal_weekday_name_vi(iso("2026-02-26")), "Thứ Năm");
    assert_string_equal(cal_weekday_name_vi(iso("2026-03-01")), "Chủ nhật");
    assert_string_equal(cal_weekday_name_vi(iso("2026-03-02")), "Thứ Hai");
}

static void test_jdn_round_trip_and_days_in_month(void **state)
{
    (void)state;
    int32_t jdn = cal_jdn_from_ymd(1583, 1, 1);
    for (int y = 1583; y <= 2400; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= cal_days_in_month(y, m); d++) {
                int yy, mm, dd;
                assert_int_equal(cal_jdn_from_ymd(y, m, d), jdn);
                cal_ymd_from_jdn(jdn, &yy, &mm, &dd);
                assert_true(yy == y && mm == m && dd == d);
                jdn++;
            }
    assert_int_equal(cal_days_in_month(2024, 2), 29);
    assert_int_equal(cal_days_in_month(1900, 2), 28);
    assert_int_equal(cal_days_in_month(2000, 2), 29);
}

static void test_parse_and_format_dates(void **state)
{
    (void)state;
    int32_t jdn;
    char buf[11];
    assert_true(cal_parse_iso("2024-02-29", &jdn));
    assert_string_equal(cal_format_iso(jdn, buf), "2024-02-29");
    assert_string_equal(cal_format_vn(jdn, buf), "29/02/2024");
    assert_false(cal_parse_iso("2023-02-29", &jdn));
    assert_false(cal_parse_iso("2026-1-01", &jdn));
    assert_false(cal_parse_iso("2026-01-01 ", &jdn));
    assert_false(cal_parse_iso("2026-13-01", &jdn));
    assert_false(cal_parse_iso("", &jdn));
    assert_false(cal_parse_iso(NULL, &jdn));
    assert_true(cal_parse_date("1/1/2026", &jdn));
    assert_int_equal(jdn, iso("2026-01-01"));
    assert_true(cal_parse_date("31/12/2025", &jdn));
    assert_int_equal(jdn, iso("2025-12-31"));
    assert_false(cal_parse_date("31/4/2026", &jdn));
    assert_false(cal_parse_date("1/1/26", &jdn));
    assert_false(cal_parse_date("001/1/2026", &jdn));
}

/* ---- Lunar: research vectors ------------------------------------------------------ */

static void test_tet_and_gio_to_2019_2031(void **state)
{
    (void)state;
    static const struct { int year; const char *tet, *gio_to, *last_day; int last_len, leap; } v[] = {
        {2019, "2019-02-05", "2019-04-14", "2019-02-04", 30, 0},
        {2020, "2020-01-25", "2020-04-02", "2020-01-24", 30, 4},
        {2021, "2021-02-12", "2021-04-21", "2021-02-11", 30, 0},
        {2022, "2022-02-01", "2022-04-10", "2022-01-31", 29, 0},
        {2023, "2023-01-22", "2023-04-29", "2023-01-21", 30, 2},
        {2024, "2024-02-10", "2024-04-18", "2024-02-09", 30, 0},
        {2025, "2025-01-29", "2025-04-07", "2025-01-28", 29, 6},
        {2026, "2026-02-17", "2026-04-26", "2026-02-16", 29, 0},
        {2027, "2027-02-06", "2027-04-16", "2027-02-05", 29, 0},
        {2028, "2028-01-26", "2028-04-04", "2028-01-25", 29, 5},
        {2029, "2029-02-13", "2029-04-23", "2029-02-12", 29, 0},
        {2030, "2030-02-02", "2030-04-12", "2030-02-01", 29, 0},
        {2031, "2031-01-23", "2031-04-01", "2031-01-22", 29, 3},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char buf[11];
        assert_string_equal(cal_format_iso(lunar_tet_jdn(v[i].year), buf), v[i].tet);
        assert_lunar_to_solar(v[i].year, 3, 10, false, v[i].gio_to);
        assert_lunar(v[i].last_day, v[i].last_len, 12, v[i].year - 1, false);
        assert_int_equal(lunar_month_length(v[i].year - 1, 12, false), v[i].last_len);
        assert_int_equal(lunar_leap_month(v[i].year), v[i].leap);
    }
}

static void test_leap_month_starts(void **state)
{
    (void)state;
    assert_lunar_to_solar(2020, 4, 1, true, "2020-05-23");
    assert_lunar_to_solar(2023, 2, 1, true, "2023-03-22");
    assert_lunar_to_solar(2025, 6, 1, true, "2025-07-25");
    assert_lunar_to_solar(2028, 5, 1, true, "2028-06-23");
    assert_lunar_to_solar(2031, 3, 1, true, "2031-04-21");
    /* php-nham-date leap months */
    assert_int_equal(lunar_leap_month(2012), 4);
    assert_int_equal(lunar_leap_month(2014), 9);
    assert_int_equal(lunar_leap_month(2017), 6);
}

static void test_month11_starts(void **state)
{
    (void)state;
    static const char *const starts[] = {
        "2012-12-13", "2013-12-03", "2014-12-22", "2015-12-11", "2016-11-29", "2017-12-18",
        "2018-12-07", "2019-11-26", "2020-12-14", "2021-12-04", "2022-11-24", "2023-12-13",
        "2024-12-01", "2025-12-20", "2026-12-09", "2027-11-28", "2028-12-16", "2029-12-05",
        "2030-11-25"};
    for (int i = 0; i < (int)(sizeof starts / sizeof starts[0]); i++) {
        char buf[11];
        assert_string_equal(cal_format_iso(lunar_month11_jdn_tz(2012 + i, 7), buf), starts[i]);
        assert_lunar(starts[i], 1, 11, 2012 + i, false);
    }
}

static void test_2020_month_starts(void **state)
{
    (void)state;
    static const struct { int month; bool leap; const char *start; int year; } v[] = {
        {1, false, "2020-01-25", 2020}, {2, false, "2020-02-23", 2020}, {3, false, "2020-03-24", 2020},
        {4, false, "2020-04-23", 2020}, {4, true, "2020-05-23", 2020},  {5, false, "2020-06-21", 2020},
        {6, false, "2020-07-21", 2020}, {7, false, "2020-08-19", 2020}, {8, false, "2020-09-17", 2020},
        {9, false, "2020-10-17", 2020}, {10, false, "2020-11-15", 2020}, {11, false, "2020-12-14", 2020},
        {12, false, "2021-01-13", 2020},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_lunar_to_solar(v[i].year, v[i].month, 1, v[i].leap, v[i].start);
        assert_lunar(v[i].start, 1, v[i].month, v[i].year, v[i].leap);
    }
}

static void test_solar_to_lunar_checks(void **state)
{
    (void)state;
    assert_lunar("2025-08-19", 26, 6, 2025, true);
    assert_lunar("2023-03-21", 30, 2, 2023, false);
    assert_lunar("2023-03-22", 1, 2, 2023, true);
    assert_lunar("2016-02-09", 2, 1, 2016, false);
    assert_lunar("2011-11-25", 1, 11, 2011, false);
    /* official announcements */
    assert_lunar("2024-02-08", 29, 12, 2023, false);
    assert_lunar("2025-01-25", 26, 12, 2024, false);
    assert_lunar("2026-02-14", 27, 12, 2025, false);
    assert_lunar("2026-02-22", 6, 1, 2026, false);
    assert_lunar("2020-01-23", 29, 12, 2019, false);
}

static void test_utc7_edge_cases(void **state)
{
    (void)state;
    char buf[11];
    static const struct { int year; const char *vn, *cn; } v[] = {
        {2030, "2030-02-02", "2030-02-03"},
        {1985, "1985-01-21", "1985-02-20"},
        {2007, "2007-02-17", "2007-02-18"},
        {2053, "2053-02-18", "2053-02-19"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_string_equal(cal_format_iso(lunar_tet_jdn(v[i].year), buf), v[i].vn);
        assert_string_equal(cal_format_iso(lunar_tet_jdn_tz(v[i].year, 7), buf), v[i].vn);
        assert_string_equal(cal_format_iso(lunar_tet_jdn_tz(v[i].year, 8), buf), v[i].cn);
    }
}

/* The "2033 problem": this method puts a leap month 11 in lunar year 2033. */
static void test_2033_leap_eleven(void **state)
{
    (void)state;
    char buf[11];
    assert_string_equal(cal_format_iso(lunar_tet_jdn(2033), buf), "2033-01-31");
    assert_string_equal(cal_format_iso(lunar_tet_jdn(2034), buf), "2034-02-19");
    assert_int_equal(lunar_leap_month(2033), 11);
    assert_true(lunar_month_length(2033, 11, true) >= 29);
}

static void test_nonexistent_lunar_dates(void **state)
{
    (void)state;
    int32_t jdn;
    assert_false(lunar_to_jdn(2024, 6, 1, true, &jdn));     /* no leap month in 2024 */
    assert_false(lunar_to_jdn(2025, 5, 1, true, &jdn));     /* 2025 leaps month 6, not 5 */
    assert_false(lunar_to_jdn(2024, 12, 30, false, &jdn));  /* 12/2024 has 29 days */
    assert_true(lunar_to_jdn(2023, 12, 30, false, &jdn));   /* 12/2023 has 30 days */
    assert_false(lunar_to_jdn(2025, 1, 0, false, &jdn));
    assert_false(lunar_to_jdn(2025, 13, 1, false, &jdn));
    assert_false(lunar_to_jdn(1899, 1, 1, false, &jdn));
    assert_false(lunar_to_jdn(2200, 1, 1, false, &jdn));
    assert_int_equal(lunar_tet_jdn(2200), -1);
    lunar_date l;
    assert_false(lunar_from_jdn(iso("1899-12-31"), &l));
    assert_false(lunar_from_jdn(iso("2200-01-01"), &l));
}

static void test_can_chi(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(lunar_year_name(2026, buf, sizeof buf), "Bính Ngọ");
    assert_string_equal(lunar_year_name(2025, buf, sizeof buf), "Ất Tỵ");
    assert_string_equal(lunar_year_name(2024, buf, sizeof buf), "Giáp Thìn");
    assert_string_equal(lunar_year_name(2019, buf, sizeof buf), "Kỷ Hợi");
    assert_string_equal(lunar_year_name(1900, buf, sizeof buf), "Canh Tý");
    assert_string_equal(lunar_year_name(1984, buf, sizeof buf), "Giáp Tý");
}

/* ---- Whole-range properties ------------------------------------------------------- */

static void test_round_trip_every_day_1900_2199(void **state)
{
    (void)state;
    int32_t first = iso("1900-01-01"), last = iso("2199-12-31");
    lunar_date prev = {0, 0, 0, false};
    for (int32_t jdn = first; jdn <= last; jdn++) {
        lunar_date l;
        int32_t back;
        assert_true(lunar_from_jdn(jdn, &l));
        if (l.year >= LUNAR_MIN_YEAR) {
            if (!lunar_to_jdn(l.year, l.month, l.day, l.leap, &back) || back != jdn)
                fail_msg("round trip failed at JDN %d", (int)jdn);
        }
        /* consecutive days: day+1 in the same month, or day 1 of the next month */
        if (jdn > first) {
            if (l.day == 1) assert_true(prev.day == 29 || prev.day == 30);
            else assert_true(l.day == prev.day + 1 && l.month == prev.month && l.leap == prev.leap);
        }
        prev = l;
    }
}

static void test_every_year_well_formed(void **state)
{
    (void)state;
    for (int y = LUNAR_MIN_YEAR; y < LUNAR_MAX_YEAR; y++) {
        int32_t length = lunar_tet_jdn(y + 1) - lunar_tet_jdn(y);
        int leap = lunar_leap_month(y);
        if (leap) assert_true(length >= 383 && length <= 385);
        else assert_true(length >= 353 && length <= 356);
        int32_t total = 0;
        for (int m = 1; m <= 12; m++) {
            int len = lunar_month_length(y, m, false);
            assert_true(len == 29 || len == 30);
            total += len;
            if (m == leap) total += lunar_month_length(y, m, true);
        }
        assert_int_equal(total, length);
        /* the cached table agrees with the from-scratch computation */
        assert_int_equal(lunar_tet_jdn(y), lunar_tet_jdn_tz(y, 7));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jdn_known_values),
        cmocka_unit_test(test_jdn_round_trip_and_days_in_month),
        cmocka_unit_test(test_parse_and_format_dates),
        cmocka_unit_test(test_tet_and_gio_to_2019_2031),
        cmocka_unit_test(test_leap_month_starts),
        cmocka_unit_test(test_month11_starts),
        cmocka_unit_test(test_2020_month_starts),
        cmocka_unit_test(test_solar_to_lunar_checks),
        cmocka_unit_test(test_utc7_edge_cases),
        cmocka_unit_test(test_2033_leap_eleven),
        cmocka_unit_test(test_nonexistent_lunar_dates),
        cmocka_unit_test(test_can_chi),
        cmocka_unit_test(test_round_trip_every_day_1900_2199),
        cmocka_unit_test(test_every_year_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
