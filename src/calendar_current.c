/* The process-wide current calendar (see calendar_current.h). */
#include "calendar_current.h"
#include "calendar_default.h"
#include "store/store_calendar.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A calendar that has been replaced, freed once no reader can still hold it. */
typedef struct retired {
    cal_calendar *cal;
    uint64_t epoch;                   /* g_epoch when it was replaced */
    struct retired *next;
} retired;

/* Epoch-based reclamation. A reader (one request) marks its thread's slot with
 * the epoch it began in; a replaced calendar is freed once every reader still
 * marked began after it was replaced: such a reader loaded the new pointer. */
#define READER_SLOTS 1024
static _Atomic uint64_t g_epoch = 1;
static _Atomic uint64_t g_reader[READER_SLOTS];   /* 0: not reading */
static atomic_int g_nslots;
static _Thread_local int t_slot = -1;
static atomic_int g_nretired;

static _Atomic(cal_calendar *) g_current;
static pthread_mutex_t g_reload_lock = PTHREAD_MUTEX_INITIALIZER;
static retired *g_retired;            /* guarded by g_reload_lock */
/* The stamp of the edits the current calendar was built from; guarded by
 * g_reload_lock, read without it (a torn read only causes one more reload). */
static _Atomic int64_t g_last_edit = -1, g_confirmed_years = -1;

void cal_read_begin(void)
{
    if (t_slot < 0) t_slot = atomic_fetch_add(&g_nslots, 1);
    if (t_slot >= READER_SLOTS) return;         /* no slot: such a thread's calendars are never freed under it */
    atomic_store(&g_reader[t_slot], atomic_load(&g_epoch));
}

void cal_read_end(void)
{
    if (t_slot >= 0 && t_slot < READER_SLOTS) atomic_store(&g_reader[t_slot], 0);
}

/* True when a thread without a slot may be reading: then nothing is freed. */
static bool untracked_readers(void) { return atomic_load(&g_nslots) > READER_SLOTS; }

/* Frees the replaced calendars no reader can hold; caller holds g_reload_lock. */
static void reclaim(void)
{
    if (untracked_readers()) return;
    uint64_t oldest = UINT64_MAX;
    int n = atomic_load(&g_nslots);
    for (int i = 0; i < n && i < READER_SLOTS; i++) {
        uint64_t e = atomic_load(&g_reader[i]);
        if (e && e < oldest) oldest = e;
    }
    for (retired **p = &g_retired; *p;) {
        retired *r = *p;
        if (r->epoch <= oldest) {         /* every active reader began after the swap */
            *p = r->next;
            cal_free(r->cal);
            free(r);
            atomic_fetch_sub(&g_nretired, 1);
        } else {
            p = &r->next;
        }
    }
}

int cal_current_retained(void) { return atomic_load(&g_nretired); }

const cal_calendar *cal_current(void)
{
    const cal_calendar *cal = atomic_load_explicit(&g_current, memory_order_acquire);
    return cal ? cal : cal_default();
}

/* Publishes cal and keeps the one it replaces; caller holds g_reload_lock. */
static void publish(cal_calendar *cal)
{
    cal_calendar *old = atomic_exchange(&g_current, cal);
    uint64_t epoch = atomic_fetch_add(&g_epoch, 1);   /* readers from now on see cal */
    db_note_change();                 /* after the swap: cached pages show due states of the old calendar */
    if (old) {
        retired *r = malloc(sizeof *r);
        if (r) {                       /* out of memory: let the old calendar leak */
            r->cal = old;
            r->epoch = epoch + 1;      /* a reader marked with epoch or below may hold old */
            r->next = g_retired;
            g_retired = r;
            atomic_fetch_add(&g_nretired, 1);
        }
    }
    reclaim();
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
