#ifndef CCHC_ONESTOP_DOSSIER_STATS_H
#define CCHC_ONESTOP_DOSSIER_STATS_H
/* The one-stop statistics of a period (the regulation's reporting table and
 * the targets computed from dossiers), added up one dossier at a time. Pure. */
#include <stdbool.h>
#include <stdint.h>

/* What the statistics need of one dossier; moments as in dossier.h, -1 when absent. */
typedef struct {
    int64_t received, due, current_due, finished, paused_minutes;
    int supplement_requests;
    bool online, returned, withdrawn, refused;
} dossier_facts;

typedef struct {
    int received;            /* received in the period */
    int carried_over;        /* received before it and still open when it began */
    int finished, early, on_time, late;   /* finished in the period; early + on_time + late = finished */
    int open_in_time, open_overdue;       /* still open at the period's end (or now, if sooner) */
    int with_supplement, returned, withdrawn, online;
    int64_t processing_minutes;           /* of the finished ones, pauses left out */
} dossier_stats;

/* Adds f to s for the period [from, to) seen at now. Refused dossiers are
 * not counted (they were never received). */
void dossier_stats_add(dossier_stats *s, const dossier_facts *f, int64_t from, int64_t to, int64_t now);
/* The on-time share of finished dossiers in percent; false without any. */
bool dossier_stats_on_time_rate(const dossier_stats *s, double *percent);
#endif
