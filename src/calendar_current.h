#ifndef CCHC_CALENDAR_CURRENT_H
#define CCHC_CALENDAR_CURRENT_H
/* The process-wide current working-day calendar: the bundled schedule plus the
 * admin edits stored in the database (store_calendar.h).
 *
 * Readers call cal_current() and use the pointer for the rest of their work
 * (one request, inside cal_read_begin/end). A reload builds a new calendar and
 * publishes it with one atomic pointer swap, so readers never block and never
 * see a half-built calendar. A replaced calendar is freed once no request that
 * began before the swap is still running (epoch-based reclamation), so memory
 * stays bounded however often the calendar is edited, or reloaded after an edit
 * on another instance. */
#include <stdbool.h>
#include "core/calendar.h"
#include "store/db.h"

/* The current calendar; cal_default() until the first successful reload. Thread-safe.
 * A thread that may keep the pointer while another thread reloads (a request
 * while an admin edits the calendar) calls it inside cal_read_begin/end. */
const cal_calendar *cal_current(void);
/* Marks the calling thread as reading (one request): a calendar replaced
 * meanwhile is not freed before cal_read_end. Not nested. */
void cal_read_begin(void);
void cal_read_end(void);
/* How many replaced calendars are still kept (not yet freed). */
int cal_current_retained(void);
/* Rebuilds the calendar from d's edits and publishes it; on failure keeps the
 * current one and logs to stderr. Reloads are serialized. Thread-safe. */
void cal_current_reload(db *d);
/* Reloads when d holds edits the current calendar does not (made by another
 * process, e.g. another instance on the same database): one small query. */
void cal_current_refresh(db *d);
/* Opens the database, reloads from it and closes it; false (logged) on any failure. */
bool cal_current_reload_file(const char *db_path);
#endif
