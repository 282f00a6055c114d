#ifndef CCHC_LUNAR_H
#define CCHC_LUNAR_H
/* Gregorian dates as Julian Day Numbers, and the Vietnamese lunar calendar
 * (Âm lịch) computed at UTC+7 from Meeus's new-moon and solar-longitude
 * formulas: month 11 is the month that contains the winter solstice, and in a
 * 13-month year the leap month is the first month after month 11 in which the
 * sun enters no new 30° sector (no major solar term, "trung khí").
 *
 * Pure code: no I/O. The per-year month tables (lunar years 1899–2200, which
 * cover every solar day 1900-01-01 … 2199-12-31) are built lazily on first use
 * behind pthread_once, so every function here is thread-safe. Call lunar_init()
 * to pay the one-off cost (about 1 ms) up front. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Supported range of lunar years for lunar_to_jdn / lunar_tet_jdn. */
#define LUNAR_MIN_YEAR 1900
#define LUNAR_MAX_YEAR 2199
/* Supported range of solar (Gregorian) years for lunar_from_jdn. */
#define LUNAR_MIN_SOLAR_YEAR 1900
#define LUNAR_MAX_SOLAR_YEAR 2199

/* ---- Gregorian date <-> Julian Day Number ------------------------------- */

/* JDN of the proleptic Gregorian date y-m-d (no validation; see cal_valid_ymd). */
int32_t cal_jdn_from_ymd(int y, int m, int d);
/* Splits a JDN into Gregorian year, month (1–12) and day (1–31). */
void cal_ymd_from_jdn(int32_t jdn, int *y, int *m, int *d);
/* True if y-m-d is a real Gregorian date with 1 <= y <= 9999. */
bool cal_valid_ymd(int y, int m, int d);
/* Number of days in month m of year y (0 if m is out of range). */
int cal_days_in_month(int y, int m);
/* Day of week: 0 = Monday … 6 = Sunday. */
int cal_weekday(int32_t jdn);
/* Vietnamese weekday name, static UTF-8: "Thứ Hai" … "Thứ Bảy", "Chủ nhật". */
const char *cal_weekday_name_vi(int32_t jdn);
/* Parses exactly "YYYY-MM-DD" (a real date) into *jdn; false on anything else. */
bool cal_parse_iso(const char *s, int32_t *jdn);
/* Parses "YYYY-MM-DD" or "dd/mm/yyyy" (1- or 2-digit day and month). */
bool cal_parse_date(const char *s, int32_t *jdn);
/* Writes "YYYY-MM-DD" into out (needs 11 bytes); returns out. */
char *cal_format_iso(int32_t jdn, char out[static 11]);
/* Writes "dd/mm/yyyy" into out (needs 11 bytes); returns out. */
char *cal_format_vn(int32_t jdn, char out[static 11]);

/* ---- Vietnamese lunar calendar ------------------------------------------ */

typedef struct {
    int day;    /* 1–30 */
    int month;  /* 1–12 */
    int year;   /* lunar year number (the Gregorian year in which its Tết falls) */
    bool leap;  /* true in a leap month (tháng nhuận) */
} lunar_date;

/* Builds the lunar tables now (otherwise done on first use). Thread-safe. */
void lunar_init(void);
/* Converts a solar day to its lunar date; false outside 1900-01-01…2199-12-31. */
bool lunar_from_jdn(int32_t jdn, lunar_date *out);
/* JDN of the given lunar date; false if that date does not exist
 * (no such leap month, day 30 of a 29-day month, year out of range). */
bool lunar_to_jdn(int year, int month, int day, bool leap, int32_t *jdn);
/* JDN of Tết (1/1) of the lunar year, or -1 when out of range. */
int32_t lunar_tet_jdn(int year);
/* The leap month of a lunar year (1–12), or 0 if it has none / out of range. */
int lunar_leap_month(int year);
/* Length (29 or 30) of a lunar month, or 0 if it does not exist. */
int lunar_month_length(int year, int month, bool leap);
/* Heavenly stem of a lunar year, static UTF-8 ("Giáp" … "Quý"). */
const char *lunar_can_name(int year);
/* Earthly branch of a lunar year, static UTF-8 ("Tý" … "Hợi"). */
const char *lunar_chi_name(int year);
/* Writes the can-chi year name, e.g. "Bính Ngọ", into out; returns out. */
char *lunar_year_name(int year, char *out, size_t outlen);

/* ---- Uncached astronomy (slow; for tests and cross-checks) -------------- */

/* JDN of Tết of a lunar year computed from scratch for a time zone given in
 * hours east of UTC (7 for Vietnam, 8 for the Chinese calendar). */
int32_t lunar_tet_jdn_tz(int year, double tz_hours);
/* Local (tz) civil day of the start of lunar month 11 of Gregorian year y. */
int32_t lunar_month11_jdn_tz(int year, double tz_hours);

#endif
