#ifndef CCHC_CALENDAR_CURRENT_H
#define CCHC_CALENDAR_CURRENT_H
/* The process-wide current working-day calendar: the bundled schedule plus the
 * admin edits stored in the database (store_calendar.h).
 *
 * Readers call cal_current() and use the pointer for the rest of their work
 * (one request); it stays valid until the process exits. A reload builds a new
 * calendar and publishes it with one atomic pointer swap, so readers never
 * block and never see a half-built calendar. The replaced calendars are kept
 * (not freed) until exit, because cal_current() hands out plain pointers with
 * no reference count: a request that took the old pointer just before a swap
 * may still be using it, and there is no point at which that is known to be
 * over. Edits are rare admin actions (a few a year); each one keeps about
 * 1 MB until the next restart. */
#include <stdbool.h>
#include "core/calendar.h"
#include "store/db.h"

/* The current calendar; cal_default() until the first successful reload. Thread-safe. */
const cal_calendar *cal_current(void);
/* Rebuilds the calendar from d's edits and publishes it; on failure keeps the
 * current one and logs to stderr. Reloads are serialized. Thread-safe. */
void cal_current_reload(db *d);
/* Reloads when d holds edits the current calendar does not (made by another
 * process, e.g. another instance on the same database): one small query. */
void cal_current_refresh(db *d);
/* Opens the database, reloads from it and closes it; false (logged) on any failure. */
bool cal_current_reload_file(const char *db_path);
#endif
