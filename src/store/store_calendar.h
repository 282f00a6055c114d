#ifndef CCHC_STORE_CALENDAR_H
#define CCHC_STORE_CALENDAR_H
/* Admin edits of the working-day calendar (tables calendar_overrides and
 * calendar_confirmed_years, migration 003) and the calendar built from them.
 *
 * Every edit runs in one write transaction that first builds the calendar
 * with the edit applied (so a row that would break the calendar, such as a
 * make-up working day on a Wednesday, is never stored), then inserts the row
 * and appends an audit entry: entity "calendar", entity_id = the Gregorian
 * year, before/after = JSON of the day (or the year's status). After a
 * successful edit the caller swaps in the new calendar (cal_current_reload). */
#include "core/calendar.h"
#include "store/db.h"

/* Outcome of an edit. */
typedef enum {
    CAL_EDIT_OK = 0,
    CAL_EDIT_UNCHANGED,       /* nothing to do (the year is already confirmed) */
    CAL_EDIT_INVALID,         /* the edit would make the calendar invalid; err says why */
    CAL_EDIT_NOT_LISTED,      /* remove: the day is not a listed day */
    CAL_EDIT_OFFICIAL_YEAR,   /* confirm: the year has an official schedule */
    CAL_EDIT_DB_ERROR         /* database error; err says which */
} cal_edit_result;

/* Where the edits stand: the newest edit's id and the number of confirmed
 * years. Both tables are append-only, so equal stamps mean the same edits. */
typedef struct {
    int64_t last_edit;
    int64_t confirmed_years;
} cal_stamp;
/* Reads the stamp; DB_OK or an error. */
int store_calendar_stamp(db *d, cal_stamp *out);

/* Who makes an edit (user_id 0 and username "cli" for the command line). */
typedef struct {
    int64_t user_id;
    const char *username;
} cal_editor;

/* One row of calendar_overrides. */
typedef struct {
    int64_t id;
    int32_t jdn;
    cal_day_kind kind;
    char *name;               /* "" when none */
    char *source;             /* "" when none */
    char *created_by;         /* username, "" when unknown */
    char *created_at;         /* ISO timestamp (UTC) */
} cal_override_row;

/* The confirmation of a year. */
typedef struct {
    int year;
    char confirmed_by[64];    /* username, "" when unknown */
    char confirmed_at[32];    /* ISO timestamp (UTC) */
} cal_year_confirmation;

/* Loads the override rows in the order they apply (oldest first); year 0 = all
 * years, else only that Gregorian year. DB_OK or an error; free with cal_override_rows_free. */
int store_calendar_overrides(db *d, int year, cal_override_row **out, size_t *n);
/* Frees rows returned by store_calendar_overrides (NULL is fine). */
void cal_override_rows_free(cal_override_row *rows, size_t n);
/* Fills *out and returns true when year has been confirmed by an admin. */
bool store_calendar_confirmation(db *d, int year, cal_year_confirmation *out);

/* Lists a day as kind (not CAL_KIND_NORMAL) with a name and legal source; audited. */
cal_edit_result store_calendar_add(db *d, const cal_day *day, const cal_editor *who, char *err, size_t errlen);
/* Removes a listed day (stores a 'normal' override, so bundled days can be removed too); audited. */
cal_edit_result store_calendar_remove(db *d, int32_t jdn, const cal_editor *who, char *err, size_t errlen);
/* Marks a provisional year as confirmed; audited. */
cal_edit_result store_calendar_confirm_year(db *d, int year, const cal_editor *who, char *err, size_t errlen);

/* Builds the calendar from the bundled data plus the database's overrides and
 * confirmed years. NULL with err on failure; the caller frees it with cal_free. */
cal_calendar *store_calendar_build(db *d, char *err, size_t n);
#endif
