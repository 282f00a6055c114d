#ifndef CCHC_STORE_SEED_H
#define CCHC_STORE_SEED_H
/* Loaders for the bundled reference CSVs (data/README.md): units, unit
 * groups, plans and targets, plus the two helpers the demo progress needs.
 * Each loader is idempotent and returns DB_OK, DB_CONSTRAINT when the file is
 * invalid (err names the file's line and the problem; nothing is written when
 * the caller runs it inside a transaction), or DB_ERR. */
#include "store/db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int added;      /* new rows */
    int updated;    /* existing rows changed */
    int kept;       /* existing rows left as they are */
} seed_count;

/* units.csv (code,name,short_name,kind,parent_code,valid_from,valid_to): adds
 * the units whose code is new, with their parents; existing units are kept
 * (an administrator may have renamed or ended them). */
int store_seed_units(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen);
/* unit_groups.csv (code,member_kinds): sets member_kinds of each group. */
int store_seed_unit_groups(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen);
/* plans.csv (code,title,doc_number,issued_on,year_from,year_to,note): adds the
 * plans whose code is new; existing plans are kept. */
int store_seed_plans(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen);
/* targets.csv (plan_code,code,text,comparator,value,unit,period,source): adds
 * or updates each target by (plan, code); measurements are untouched. */
int store_seed_targets(db *d, const char *csv, size_t len, seed_count *c, char *err, size_t errlen);

/* Id of the plan with this code, or 0. */
int64_t store_seed_plan_id(db *d, const char *code);
/* True when any task of the plan has a progress update. */
bool store_seed_plan_has_updates(db *d, int64_t plan_id);
/* Dates a sample update: sets its created_at (and, when done, the task's
 * done_on and updated_at) to at, an ISO timestamp "YYYY-MM-DDTHH:MM:SSZ". */
int store_seed_backdate_update(db *d, int64_t update_id, int64_t task_id, const char *at, bool done);
#endif
