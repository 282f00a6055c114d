/* lunar.c — Gregorian/JDN helpers and the Vietnamese lunar calendar (UTC+7).
 *
 * Written for cchc from the published astronomy (Jean Meeus, "Astronomical
 * Algorithms": mean new moon with the principal periodic terms, and the
 * low-accuracy solar longitude) and the rules of the Vietnamese calendar:
 *   1. a lunar month starts on the local (UTC+7) civil day of a new moon;
 *   2. month 11 is the month containing the local day of the winter solstice;
 *   3. if 13 new moons separate two consecutive month-11 starts, the first
 *      month after month 11 during which the sun's longitude does not cross a
 *      multiple of 30° (measured at local midnight at the start of each
 *      month's first day) is the leap month, numbered like the month before.
 * Everything is precomputed into one flat table of months at first use. */
#include "core/lunar.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- Gregorian date <-> JDN -------------------------------------------- */

int32_t cal_jdn_from_ymd(int y, int m, int d)
{
    int a = (14 - m) / 12;
    int64_t yy = (int64_t)y + 4800 - a;
    int64_t mm = m + 12 * a - 3;
    return (int32_t)(d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045);
}

void cal_ymd_from_jdn(int32_t jdn, int *y, int *m, int *d)
{
    int64_t a = (int64_t)jdn + 32044;
    int64_t b = (4 * a + 3) / 146097;
    int64_t c = a - 146097 * b / 4;
    int64_t e4 = (4 * c + 3) / 1461;
    int64_t e = c - 1461 * e4 / 4;
    int64_t mm = (5 * e + 2) / 153;
    *d = (int)(e - (153 * mm + 2) / 5 + 1);
    *m = (int)(mm + 3 - 12 * (mm / 10));
    *y = (int)(100 * b + e4 - 4800 + mm / 10);
}

static bool is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return (m == 2 && is_leap_year(y)) ? 29 : days[m - 1];
}

bool cal_valid_ymd(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= cal_days_in_month(y, m);
}

int cal_weekday(int32_t jdn)
{
    return (int)(((jdn % 7) + 7) % 7);
}

const char *cal_weekday_name_vi(int32_t jdn)
{
    static const char *const names[7] = {
        "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"};
    return names[cal_weekday(jdn)];
}

/* Reads exactly n digits at s into *out. */
static bool read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Reads 1 or 2 digits; advances *s. */
static bool read_1or2_digits(const char **s, int *out)
{
    const char *p = *s;
    if (*p < '0' || *p > '9') return false;
    int v = *p++ - '0';
    if (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
    *s = p;
    *out = v;
    return true;
}

static bool make_jdn(int y, int m, int d, int32_t *jdn)
{
    if (!cal_valid_ymd(y, m, d)) return false;
    *jdn = cal_jdn_from_ymd(y, m, d);
    return true;
}

bool cal_parse_iso(const char *s, int32_t *jdn)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!read_digits(s, 4, &y) || !read_digits(s + 5, 2, &m) || !read_digits(s + 8, 2, &d))
        return false;
    return make_jdn(y, m, d, jdn);
}

bool cal_parse_date(const char *s, int32_t *jdn)
{
    if (!s) return false;
    if (cal_parse_iso(s, jdn)) return true;
    int d, m, y;
    const char *p = s;
    if (!read_1or2_digits(&p, &d) || *p++ != '/') return false;
    if (!read_1or2_digits(&p, &m) || *p++ != '/') return false;
    if (strlen(p) != 4 || !read_digits(p, 4, &y)) return false;
    return make_jdn(y, m, d, jdn);
}

/* Writes v as exactly `width` digits (v must be non-negative and fit). */
static char *put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static int clamp_year(int y)
{
    return y < 0 ? 0 : (y > 9999 ? 9999 : y);
}

char *cal_format_iso(int32_t jdn, char out[static 11])
{
    int y, m, d;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    char *p = put_digits(out, clamp_year(y), 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p = '\0';
    return out;
}

char *cal_format_vn(int32_t jdn, char out[static 11])
{
    int y, m, d;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    char *p = put_digits(out, d, 2);
    *p++ = '/';
    p = put_digits(p, m, 2);
    *p++ = '/';
    p = put_digits(p, clamp_year(y), 4);
    *p = '\0';
    return out;
}

/* ---- Astronomy ----------------------------------------------------------- */

#define SYNODIC_MONTH 29.530588853
#define NEW_MOON_EPOCH 2415021.076998695   /* new moon of 1900-01-01, JD */
#define VN_TZ 7.0

static double sin_deg(double deg)
{
    return sin(deg * (M_PI / 180.0));
}

/* Julian Ephemeris Day of the k-th new moon after (k < 0: before) the new
 * moon of 1900-01-01, corrected to Universal Time. Meeus, ch. 49 (the
 * truncated series with the 1900 epoch). */
static double new_moon_jd(int k)
{
    double t = k / 1236.85, t2 = t * t, t3 = t2 * t;
    double mean = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
                  + 0.00033 * sin_deg(166.56 + 132.87 * t - 0.009173 * t2);
    double sun = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    double moon = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    double arg = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    double periodic = (0.1734 - 0.000393 * t) * sin_deg(sun)
                      + 0.0021 * sin_deg(2 * sun)
                      - 0.4068 * sin_deg(moon)
                      + 0.0161 * sin_deg(2 * moon)
                      - 0.0004 * sin_deg(3 * moon)
                      + 0.0104 * sin_deg(2 * arg)
                      - 0.0051 * sin_deg(sun + moon)
                      - 0.0074 * sin_deg(sun - moon)
                      + 0.0004 * sin_deg(2 * arg + sun)
                      - 0.0004 * sin_deg(2 * arg - sun)
                      - 0.0006 * sin_deg(2 * arg + moon)
                      + 0.0010 * sin_deg(2 * arg - moon)
                      + 0.0005 * sin_deg(2 * moon + sun);
    double delta_t = (t < -11)
        ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
        : -0.000278 + 0.000265 * t + 0.000262 * t2;
    return mean + periodic - delta_t;
}

/* Local civil day (JDN) of the k-th new moon in time zone tz (hours). */
static int32_t new_moon_day(int k, double tz)
{
    return (int32_t)floor(new_moon_jd(k) + 0.5 + tz / 24.0);
}

/* Geometric longitude of the sun in degrees [0, 360) at Julian Day jd
 * (Meeus, ch. 25, low accuracy: mean longitude plus equation of centre). */
static double sun_longitude(double jd)
{
    double t = (jd - 2451545.0) / 36525.0, t2 = t * t;
    double anomaly = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    double mean_long = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    double centre = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin_deg(anomaly)
                    + (0.019993 - 0.000101 * t) * sin_deg(2 * anomaly)
                    + 0.000290 * sin_deg(3 * anomaly);
    double lon = fmod(mean_long + centre, 360.0);
    return lon < 0 ? lon + 360.0 : lon;
}

/* Sun longitude at the local midnight that starts civil day `day`. */
static double sun_longitude_at_day_start(int32_t day, double tz)
{
    return sun_longitude((double)day - 0.5 - tz / 24.0);
}

/* 30° sector (0–11) of the sun at the start of civil day `day`. */
static int solar_sector(int32_t day, double tz)
{
    return (int)(sun_longitude_at_day_start(day, tz) / 30.0);
}

/* Index k of the last new moon whose local day is <= day. */
static int new_moon_index_on_or_before(int32_t day, double tz)
{
    int k = (int)floor((day - NEW_MOON_EPOCH) / SYNODIC_MONTH);
    while (new_moon_day(k + 1, tz) <= day) k++;
    while (new_moon_day(k, tz) > day) k--;
    return k;
}

/* Local civil day during which the sun reaches 270° (winter solstice) in
 * December of Gregorian year y: the last day starting below 270°. */
static int32_t winter_solstice_day(int y, double tz)
{
    int32_t day = cal_jdn_from_ymd(y, 12, 15);
    while (sun_longitude_at_day_start(day + 1, tz) < 270.0) day++;
    return day;
}

/* Index k of the new moon that starts month 11 of Gregorian year y. */
static int month11_index(int y, double tz)
{
    return new_moon_index_on_or_before(winter_solstice_day(y, tz), tz);
}

int32_t lunar_month11_jdn_tz(int year, double tz_hours)
{
    return new_moon_day(month11_index(year, tz_hours), tz_hours);
}

/* ---- Labelling one solstice-to-solstice interval ----------------------- */

/* The months from month 11 of year y-1 up to (not including) month 11 of y. */
typedef struct {
    int k0;               /* new-moon index of the first month (month 11) */
    int count;            /* 12 or 13 */
    int leap_offset;      /* offset of the leap month, or -1 */
    int32_t start[14];    /* start day of each month; start[count] = next month 11 */
} solstice_interval;

static void label_interval(int y, double tz, solstice_interval *iv)
{
    int k_a = month11_index(y - 1, tz);
    int k_b = month11_index(y, tz);
    iv->k0 = k_a;
    iv->count = k_b - k_a;          /* 12 or 13 */
    iv->leap_offset = -1;
    for (int j = 0; j <= iv->count && j < 14; j++)
        iv->start[j] = new_moon_day(k_a + j, tz);
    if (iv->count != 13) return;
    for (int j = 1; j < 13; j++) {
        if (solar_sector(iv->start[j], tz) == solar_sector(iv->start[j + 1], tz)) {
            iv->leap_offset = j;
            return;
        }
    }
}

/* Month number of offset j in an interval (leap month takes the previous number). */
static int month_number_at(const solstice_interval *iv, int j)
{
    int ordinal = (iv->leap_offset >= 0 && j >= iv->leap_offset) ? j - 1 : j;
    return (ordinal + 10) % 12 + 1;   /* offset 0 -> 11, 1 -> 12, 2 -> 1 … */
}

int32_t lunar_tet_jdn_tz(int year, double tz_hours)
{
    solstice_interval iv;
    label_interval(year, tz_hours, &iv);
    for (int j = 0; j < iv.count; j++)
        if (month_number_at(&iv, j) == 1 && j != iv.leap_offset) return iv.start[j];
    return -1;
}

/* ---- The precomputed month table --------------------------------------- */

#define FIRST_INTERVAL (LUNAR_MIN_YEAR - 1)   /* covers lunar 1898-11 … 1899-10 */
#define LAST_INTERVAL (LUNAR_MAX_YEAR + 1)    /* covers lunar 2199-11 … 2200-10 */
#define NINTERVALS (LAST_INTERVAL - FIRST_INTERVAL + 1)
#define MAX_MONTHS (NINTERVALS * 13 + 1)
#define BLOCK_SHIFT 5                          /* 32-day blocks: <= 2 month starts each */

typedef struct {
    int32_t start;
    int16_t year;
    uint8_t month;
    uint8_t leap;
} month_rec;

static month_rec g_months[MAX_MONTHS];   /* g_months[g_nmonths].start = end sentinel */
static int g_nmonths;
static int g_tet_index[LUNAR_MAX_YEAR - LUNAR_MIN_YEAR + 2];
static int32_t g_block_base;
static int g_nblocks;
static int16_t *g_block_month;           /* month index containing each block's first day */
static int16_t g_block_storage[(NINTERVALS * 385) >> BLOCK_SHIFT];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void append_interval(int y, int *lunar_year)
{
    solstice_interval iv;
    label_interval(y, VN_TZ, &iv);
    for (int j = 0; j < iv.count; j++) {
        int number = month_number_at(&iv, j);
        bool leap = (j == iv.leap_offset);
        if (number == 1 && !leap) ++*lunar_year;
        month_rec *r = &g_months[g_nmonths++];
        r->start = iv.start[j];
        r->year = (int16_t)*lunar_year;
        r->month = (uint8_t)number;
        r->leap = leap;
    }
    g_months[g_nmonths].start = iv.start[iv.count];
}

static void build_tables(void)
{
    int lunar_year = FIRST_INTERVAL - 1;   /* first month is 11 of that year */
    g_nmonths = 0;
    for (int y = FIRST_INTERVAL; y <= LAST_INTERVAL; y++)
        append_interval(y, &lunar_year);
    for (int i = 0; i < g_nmonths; i++) {
        int yy = g_months[i].year;
        if (g_months[i].month == 1 && !g_months[i].leap && yy >= LUNAR_MIN_YEAR && yy <= LUNAR_MAX_YEAR + 1)
            g_tet_index[yy - LUNAR_MIN_YEAR] = i;
    }
    g_block_base = g_months[0].start;
    int32_t end = g_months[g_nmonths].start;
    g_nblocks = (int)((end - g_block_base) >> BLOCK_SHIFT) + 1;
    g_block_month = g_block_storage;
    int i = 0;
    for (int b = 0; b < g_nblocks; b++) {
        int32_t day = g_block_base + ((int32_t)b << BLOCK_SHIFT);
        while (i + 1 < g_nmonths && g_months[i + 1].start <= day) i++;
        g_block_month[b] = (int16_t)i;
    }
}

void lunar_init(void)
{
    pthread_once(&g_once, build_tables);
}

static const int32_t MIN_SOLAR_JDN = 2415021;   /* 1900-01-01 */
static const int32_t MAX_SOLAR_JDN = 2524593;   /* 2199-12-31 */

bool lunar_from_jdn(int32_t jdn, lunar_date *out)
{
    if (jdn < MIN_SOLAR_JDN || jdn > MAX_SOLAR_JDN) return false;
    lunar_init();
    int i = g_block_month[(jdn - g_block_base) >> BLOCK_SHIFT];
    while (g_months[i + 1].start <= jdn) i++;
    const month_rec *r = &g_months[i];
    out->day = (int)(jdn - r->start) + 1;
    out->month = r->month;
    out->year = r->year;
    out->leap = r->leap;
    return true;
}

/* Index of the month (year, month, leap) in g_months, or -1. */
static int find_month(int year, int month, bool leap)
{
    if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR || month < 1 || month > 12) return -1;
    lunar_init();
    for (int i = g_tet_index[year - LUNAR_MIN_YEAR]; i < g_nmonths && g_months[i].year == year; i++)
        if (g_months[i].month == month && (bool)g_months[i].leap == leap) return i;
    return -1;
}

bool lunar_to_jdn(int year, int month, int day, bool leap, int32_t *jdn)
{
    int i = find_month(year, month, leap);
    if (i < 0 || day < 1) return false;
    if (day > g_months[i + 1].start - g_months[i].start) return false;
    *jdn = g_months[i].start + day - 1;
    return true;
}

int32_t lunar_tet_jdn(int year)
{
    int32_t jdn;
    return lunar_to_jdn(year, 1, 1, false, &jdn) ? jdn : -1;
}

int lunar_leap_month(int year)
{
    if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR) return 0;
    lunar_init();
    for (int i = g_tet_index[year - LUNAR_MIN_YEAR]; i < g_nmonths && g_months[i].year == year; i++)
        if (g_months[i].leap) return g_months[i].month;
    return 0;
}

int lunar_month_length(int year, int month, bool leap)
{
    int i = find_month(year, month, leap);
    return i < 0 ? 0 : (int)(g_months[i + 1].start - g_months[i].start);
}

/* ---- Can-chi ------------------------------------------------------------- */

const char *lunar_can_name(int year)
{
    static const char *const can[10] = {
        "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"};
    return can[((year + 6) % 10 + 10) % 10];
}

const char *lunar_chi_name(int year)
{
    static const char *const chi[12] = {
        "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"};
    return chi[((year + 8) % 12 + 12) % 12];
}

char *lunar_year_name(int year, char *out, size_t outlen)
{
    if (outlen) snprintf(out, outlen, "%s %s", lunar_can_name(year), lunar_chi_name(year));
    return out;
}
