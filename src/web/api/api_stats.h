#ifndef CCHC_API_STATS_H
#define CCHC_API_STATS_H
/* One-stop statistics from the stored dossiers (api_stats.c), for the stats
 * API and the targets computed from dossiers. */
#include "core/onestop/dossier_stats.h"
#include "store/onestop/store_dossier.h"

/* The facts of x for dossier_stats_add; false when its times are unreadable. */
bool dossier_facts_of(const dossier_row *x, dossier_facts *f);
/* The statistics of the days [from_jdn, to_jdn] (procedure NULL and unit 0: all). DB_OK or DB_ERR. */
int dossier_period_stats(db *d, const char *procedure_code, int64_t unit_id, int32_t from_jdn, int32_t to_jdn, dossier_stats *out);
#endif
