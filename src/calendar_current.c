/* The process-wide current calendar (see calendar_current.h). */
#include "calendar_current.h"
#include "calendar_default.h"
#include "store/store_calendar.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* A calendar that has been replaced; kept reachable until exit. */
typedef struct retired {
    cal_calendar *cal;
    struct retired *next;
} retired;

static _Atomic(cal_calendar *) g_current;
static pthread_mutex_t g_reload_lock = PTHREAD_MUTEX_INITIALIZER;
static retired *g_retired;            /* guarded by g_reload_lock */
/* The stamp of the edits the current calendar was built from; guarded by
 * g_reload_lock, read without it (a torn read only causes one more reload). */
static _Atomic int64_t g_last_edit = -1, g_confirmed_years = -1;

const cal_calendar *cal_current(void)
{
    const cal_calendar *cal = atomic_load_explicit(&g_current, memory_order_acquire);
    return cal ? cal : cal_default();
}

/* Publishes cal and keeps the one it replaces; caller holds g_reload_lock. */
static void publish(cal_calendar *cal)
{
    cal_calendar *old = atomic_exchange_explicit(&g_current, cal, memory_order_acq_rel);
    db_note_change();                 /* after the swap: cached pages show due states of the old calendar */
    if (!old) return;
    retired *r = malloc(sizeof *r);
    if (!r) return;                    /* out of memory: let the old calendar leak */
    r->cal = old;
    r->next = g_retired;
    g_retired = r;
}

static bool reload_from(db *d)
{
    char err[256];
    /* Serialized so that the last reload to start publishes the newest data:
     * each caller reloads after its own commit. */
    pthread_mutex_lock(&g_reload_lock);
    /* The stamp is read before the edits: it is never newer than what is built. */
    cal_stamp st = {-1, -1};
    bool stamped = store_calendar_stamp(d, &st) == DB_OK;
    cal_calendar *cal = store_calendar_build(d, err, sizeof err);
    if (cal) {
        publish(cal);
        atomic_store(&g_last_edit, stamped ? st.last_edit : -1);
        atomic_store(&g_confirmed_years, stamped ? st.confirmed_years : -1);
    }
    else fprintf(stderr, "cchc: calendar not reloaded, keeping the current one: %s\n", err);
    pthread_mutex_unlock(&g_reload_lock);
    return cal != NULL;
}

void cal_current_reload(db *d)
{
    reload_from(d);
}

void cal_current_refresh(db *d)
{
    cal_stamp st;
    if (store_calendar_stamp(d, &st) != DB_OK) return;
    if (st.last_edit == atomic_load(&g_last_edit) && st.confirmed_years == atomic_load(&g_confirmed_years)) return;
    reload_from(d);
}

bool cal_current_reload_file(const char *db_path)
{
    char err[512];
    db *d = db_open(db_path, err, sizeof err);
    if (!d) {
        fprintf(stderr, "cchc: calendar not loaded: %s\n", err);
        return false;
    }
    bool ok = reload_from(d);
    db_close(d);
    return ok;
}
