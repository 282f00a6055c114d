#ifndef CCHC_CALENDAR_H
#define CCHC_CALENDAR_H
/* The Vietnamese civil-servant working-day calendar.
 *
 * Working days are Monday–Friday, minus statutory holidays (Labour Code 2019
 * Art. 112), compensatory days (Art. 111(3)), Tết days and swapped days off,
 * plus make-up working Saturdays. A year listed in the official CSV uses the
 * announced schedule verbatim; any other year in 1900–2199 is derived from the
 * rules CSV and marked provisional. Outside 1900–2199 only the Mon–Fri rule
 * applies (and such years report CAL_YEAR_OUT_OF_RANGE).
 *
 * A cal_calendar is immutable once built: it is safe to share between threads.
 * To apply admin edits, build a new one with overrides and swap the pointer.
 * Pure code: the CSV text is passed in (see calendar_default.h for the
 * calendar built from the bundled data). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lunar.h"

#define CAL_MIN_YEAR 1900
#define CAL_MAX_YEAR 2199

typedef struct cal_calendar cal_calendar;

/* Kind of a listed day. CAL_KIND_NORMAL is used only in overrides: it removes
 * whatever the official or derived schedule says about that date, so the day
 * falls back to the plain Mon–Fri rule. */
typedef enum {
    CAL_KIND_NORMAL = 0,
    CAL_KIND_HOLIDAY,         /* "holiday": statutory holiday (ngày lễ) */
    CAL_KIND_TET,             /* "tet": one of the Tết Nguyên đán days */
    CAL_KIND_COMPENSATORY,    /* "compensatory": nghỉ bù, Art. 111(3) */
    CAL_KIND_SWAPPED_OFF,     /* "swapped_off": working day swapped to a day off */
    CAL_KIND_MAKEUP_WORKDAY   /* "makeup_workday": Saturday worked (làm bù) */
} cal_day_kind;

/* Status of a calendar year. */
typedef enum {
    CAL_YEAR_OFFICIAL = 0,    /* announced schedule from the official CSV */
    CAL_YEAR_CONFIRMED,       /* derived/overridden, confirmed by an admin */
    CAL_YEAR_PROVISIONAL,     /* derived from the rules, not yet confirmed */
    CAL_YEAR_OUT_OF_RANGE     /* outside 1900–2199: weekends only */
} cal_year_status;

/* One listed day. Strings are owned by the calendar (or, in overrides passed to
 * cal_new, by the caller until cal_new returns: they are copied). */
typedef struct {
    int32_t jdn;
    cal_day_kind kind;
    const char *name;    /* e.g. "Tết Nguyên đán", "Nghỉ bù Giỗ Tổ Hùng Vương" */
    const char *source;  /* legal reference or origin of the row */
} cal_day;

/* One office-hours session in minutes after midnight, [start, end). */
typedef struct {
    int start_min, end_min;
} cal_session;

#define CAL_MAX_SESSIONS 4

/* Office hours, the same on every working day. Default: 07:30–11:30, 13:30–17:00. */
typedef struct {
    int nsessions;
    cal_session sessions[CAL_MAX_SESSIONS];
} cal_office_hours;

/* Everything a calendar is built from. Zero-initialise, then fill in. */
typedef struct {
    const char *official_csv;          /* text of data/holidays/official.csv (may be NULL) */
    const char *rules_csv;             /* text of data/holidays/rules.csv (may be NULL) */
    const cal_day *overrides;          /* admin edits, applied last, later rows win */
    size_t noverrides;
    const int *confirmed_years;        /* years an admin marked confirmed */
    size_t nconfirmed_years;
    const cal_office_hours *hours;     /* NULL = default office hours */
} cal_source;

/* Builds a calendar. Returns NULL and writes a message (with CSV line number)
 * into err on bad input or out of memory. The caller frees it with cal_free. */
cal_calendar *cal_new(const cal_source *src, char *err, size_t errlen);
/* Convenience: cal_new with only the two CSV texts. */
cal_calendar *cal_new_from_csv(const char *official_csv, const char *rules_csv,
                               char *err, size_t errlen);
/* Frees a calendar (NULL is fine). */
void cal_free(cal_calendar *cal);

/* The default office hours (07:30–11:30, 13:30–17:00). */
cal_office_hours cal_default_office_hours(void);
/* Parses "07:30-11:30,13:30-17:00" into *out; false on bad syntax/overlap. */
bool cal_parse_office_hours(const char *s, cal_office_hours *out);
/* The office hours this calendar was built with (owned by the calendar). */
const cal_office_hours *cal_office_hours_of(const cal_calendar *cal);
/* Working minutes in one working day (450 with the default hours). */
int cal_working_minutes_per_day(const cal_calendar *cal);

/* True if jdn is a working day. If reason is not NULL it receives a static or
 * calendar-owned UTF-8 string: the listed day's name, or the weekday name. */
bool cal_is_working_day(const cal_calendar *cal, int32_t jdn, const char **reason);
/* The listed entry for jdn (NULL if the day is not listed). Owned by cal. */
const cal_day *cal_day_entry(const cal_calendar *cal, int32_t jdn);
/* The n-th working day after jdn (n > 0), before it (n < 0), or jdn (n == 0).
 * Strictly increasing in n. O(1) inside 1900–2199. */
int32_t cal_add_working_days(const cal_calendar *cal, int32_t jdn, int n);
/* Signed count of working days d with from < d <= to (negated when to < from),
 * so cal_working_days_between(c, d, cal_add_working_days(c, d, n)) == n. */
int cal_working_days_between(const cal_calendar *cal, int32_t from_jdn, int32_t to_jdn);
/* The first working day >= jdn. */
int32_t cal_next_working_day_on_or_after(const cal_calendar *cal, int32_t jdn);

/* Status of Gregorian year y. */
cal_year_status cal_year_status_of(const cal_calendar *cal, int year);
/* "official", "confirmed", "provisional" or "out_of_range". */
const char *cal_year_status_name(cal_year_status st);
/* Listed days of Gregorian year y in date order; *n receives the count. The
 * array is owned by cal. Empty (n = 0) outside 1900–2199. */
const cal_day *cal_year_days(const cal_calendar *cal, int year, size_t *n);

/* "holiday", "tet", "compensatory", "swapped_off", "makeup_workday", "normal". */
const char *cal_kind_name(cal_day_kind kind);
/* Parses a kind name; false if unknown. */
bool cal_kind_parse(const char *s, cal_day_kind *out);
/* True for kinds that make a day off (holiday, tet, compensatory, swapped_off). */
bool cal_kind_is_day_off(cal_day_kind kind);

#endif
