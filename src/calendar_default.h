#ifndef CCHC_CALENDAR_DEFAULT_H
#define CCHC_CALENDAR_DEFAULT_H
/* The calendar built from the bundled data/holidays CSV files (via embed_get). */
#include "core/calendar.h"

/* The default calendar: built once on first call (pthread_once), thread-safe,
 * never freed. Aborts with a message on stderr if the bundled CSV is broken. */
const cal_calendar *cal_default(void);
/* Builds a new calendar from the bundled CSVs plus the given overrides,
 * confirmed years and office hours (any may be NULL/0): the hook the store
 * layer uses to apply admin edits from the database. Caller frees it. */
cal_calendar *cal_default_with(const cal_day *overrides, size_t noverrides,
                               const int *confirmed_years, size_t nconfirmed,
                               const cal_office_hours *hours,
                               char *err, size_t errlen);
/* Sets the office hours every calendar built afterwards uses when none is given
 * (from calendar.office_hours). Call once at start, before any calendar is built. */
void cal_set_office_hours(const cal_office_hours *hours);
#endif
