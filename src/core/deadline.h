#ifndef CCHC_DEADLINE_H
#define CCHC_DEADLINE_H
/* The deadline engine: statutory clocks counted on a cal_calendar.
 *
 * A deadline is a value {calendar, start, budget, start rule, pauses[],
 * extension}; everything else (due date-time, working days used and left,
 * overdue by N working days, a human explanation) is derived from it, so a
 * deadline is re-derived simply by computing again with a new calendar.
 *
 * Times are local (UTC+7) wall-clock moments, dl_moment = jdn*1440 + minute.
 *
 * Semantics (documented choices):
 *  - Working days: the due day is the N-th counted working day. Default start
 *    rule (Civil Code 2015 Art. 147): the receipt day is not counted, counting
 *    starts on the next working day. DL_START_SAME_DAY counts the receipt day
 *    when it is a working day. due_at = close of office hours on the due day;
 *    a day-based deadline is overdue only once the due day is over.
 *  - Half days: one office-hours session each (morning / afternoon).
 *  - Working hours: working minutes inside office hours, from the receipt
 *    moment (Art. 147(1): periods in hours start at the moment itself).
 *    A working day is never 24 hours (7.5 h with the default hours).
 *  - Calendar days: receipt day + N (same-day rule: + N-1); months: same day
 *    N months later, or the month's last day (Art. 148(2)). If the result is
 *    not a working day it moves to the next working day (Art. 148(5)).
 *  - Cut-off (cutoff_min >= 0): a receipt at or after the cut-off, outside
 *    office hours, or on a day off counts as received at the opening of the
 *    next working day; the start rule then applies to that day.
 *  - Pauses [from, to): for day-based units every counted working day d with
 *    day(from) <= d < day(to) is skipped; for hours the working minutes inside
 *    the interval are skipped; for calendar days/months the due date moves by
 *    the calendar days of the pause. An open pause (to == DL_OPEN) is taken
 *    to end at the `now` passed to dl_compute.
 *  - Extension (at most one): added to the budget; it must be in the same unit
 *    (working days and half days mix; anything else is an error). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/calendar.h"

typedef int64_t dl_moment;
#define DL_OPEN INT64_MAX

typedef enum {
    DL_UNIT_WORKING_DAYS = 0,
    DL_UNIT_WORKING_HOURS,
    DL_UNIT_HALF_DAYS,
    DL_UNIT_CALENDAR_DAYS,
    DL_UNIT_MONTHS
} dl_unit;

typedef struct {
    dl_unit unit;
    int amount;      /* >= 0 */
} dl_duration;

typedef enum {
    DL_START_NEXT_DAY = 0,   /* default: receipt day not counted (Art. 147) */
    DL_START_SAME_DAY        /* receipt day counted if it is a working day */
} dl_start_mode;

typedef struct {
    dl_start_mode mode;
    int cutoff_min;          /* minutes after midnight, or -1 for no cut-off */
} dl_start_rule;

typedef struct {
    dl_moment from, to;      /* [from, to); to may be DL_OPEN */
} dl_pause;

typedef struct {
    const cal_calendar *cal;
    dl_moment start;         /* receipt moment */
    dl_duration budget;
    dl_start_rule rule;
    const dl_pause *pauses;  /* owned by the caller */
    size_t npauses;
    bool has_extension;
    dl_duration extension;
} dl_deadline;

typedef struct {
    dl_moment effective_start;   /* receipt moment after the cut-off rule */
    int32_t first_counted_jdn;   /* first day that counts (day units) */
    int32_t due_jdn;             /* due day */
    dl_moment due_at;            /* due date-time */
    int budget_working_days;     /* total budget in working days (day units; else 0) */
    int paused_working_days;     /* working days skipped by pauses */
    int working_days_used;       /* counted working days from first counted day to now */
    int working_days_left;       /* working days after today up to the due day (0 if overdue) */
    int overdue_working_days;    /* working days after the due day up to today */
    int64_t working_minutes_left;/* working minutes from now to due_at (negative if late) */
    bool overdue;
    bool paused;                 /* an open pause covers now */
    bool provisional;            /* a year used in the count is provisional */
    bool rolled_forward;         /* calendar days/months: the nominal last day was a day off */
} dl_result;

/* Moment helpers. */
dl_moment dl_moment_make(int32_t jdn, int hour, int minute);
int32_t dl_moment_jdn(dl_moment t);
int dl_moment_minute_of_day(dl_moment t);
/* Writes "YYYY-MM-DD HH:MM" into out (needs 17 bytes); returns out. */
char *dl_format_moment(dl_moment t, char out[static 17]);

/* The default start rule: next day, no cut-off. */
dl_start_rule dl_default_rule(void);
/* A deadline with the default rule, no pauses and no extension. */
dl_deadline dl_make(const cal_calendar *cal, dl_moment start, dl_duration budget);

/* Derives the result at moment `now`. Returns false and writes a message into
 * err (may be NULL) if the deadline is invalid (no calendar, negative amount,
 * incompatible extension, pause with to < from, …). */
bool dl_compute(const dl_deadline *d, dl_moment now, dl_result *out,
                char *err, size_t errlen);
/* Due date-time only (open pauses end now); DL_OPEN on an invalid deadline. */
dl_moment dl_due(const dl_deadline *d, dl_moment now);

/* Writes a Vietnamese explanation into out, e.g.
 * "5 ngày làm việc từ 12/02/2026, bỏ qua 14/02–22/02 (Tết Bính Ngọ), hạn Thứ Năm 26/02/2026".
 * Returns the length it needed (snprintf-style; output is truncated at a
 * character boundary when outlen is too small). */
size_t dl_explain(const dl_deadline *d, dl_moment now, char *out, size_t outlen);
/* Writes the named days off in (from, to], as runs like "14/02–22/02 (Tết Bính Ngọ),
 * 30/04–03/05 (Ngày Chiến thắng, Quốc tế Lao động)"; "" when there are none.
 * Returns the length written (truncated to fit outlen). */
size_t dl_days_off_between(const cal_calendar *cal, int32_t from, int32_t to, char *out, size_t outlen);

/* Parses a duration: "10 ngày làm việc", "4 giờ làm việc", "4 giờ", "15 ngày",
 * "3 tháng", "1/2 ngày", "nửa ngày", "1,5 ngày làm việc", also without
 * diacritics and in English ("10 working days", "4 working hours", "15 days",
 * "3 months", "2 half days"). False on anything else or amounts > 100000. */
bool dl_parse_duration(const char *s, dl_duration *out);
/* Writes a duration in Vietnamese ("10 ngày làm việc", "1/2 ngày làm việc"). */
char *dl_format_duration(dl_duration d, char *out, size_t outlen);
/* Parses "HH:MM" into minutes after midnight (00:00–23:59). */
bool dl_parse_hhmm(const char *s, int *minutes);
/* Parses a date or date-time: "YYYY-MM-DD", "dd/mm/yyyy", optionally followed
 * by " HH:MM" or "THH:MM[:SS]". A date alone is 00:00 of that day. */
bool dl_parse_moment(const char *s, dl_moment *out);

#endif
