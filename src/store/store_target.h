#ifndef CCHC_STORE_TARGET_H
#define CCHC_STORE_TARGET_H
/* Targets (chỉ tiêu) and their measured values. */
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t id, plan_id;
    char *code, *text, *comparator, *unit, *period, *source;
    bool has_target;
    double target;
    bool has_measure;          /* latest manual measurement */
    double measured;
    char *measured_on, *measure_note, *measure_sha, *measure_file;
} target_row;

/* Targets of a plan (all plans when plan_id is 0) with their latest measurement; caller
 * frees with target_rows_free. On an error *out is NULL and *n 0. */
int store_target_list(db *d, int64_t plan_id, target_row **out, int *n);
void target_rows_free(target_row *t, int n);
/* Loads a target's plan id and source; false if missing. */
bool store_target_source(db *d, int64_t id, int64_t *plan_id, char source[64]);
/* Records a measured value (with optional evidence) and its audit row in one write
 * transaction (joining the caller's, if any); returns the id, or -1 with nothing
 * written (also when value is not finite). */
int64_t store_target_measure(db *d, int64_t target_id, double value, const char *measured_on, const char *note,
                             const char *sha, const char *filename, int64_t user_id, const char *username);
/* Counts for computed:plan_tasks_done_rate: tasks done and tasks not cancelled in a plan. */
int store_plan_done_counts(db *d, int64_t plan_id, long *done, long *total);
/* Counts for computed:unit_tasks_done_rate: lead units (not groups) of a plan
 * that have finished every task they lead, and all lead units with tasks. */
int store_plan_unit_completion(db *d, int64_t plan_id, long *units_done, long *units_total);
#endif
