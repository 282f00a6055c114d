#ifndef CCHC_STORE_UNIT_H
#define CCHC_STORE_UNIT_H
/* Units (divisions, district offices, schools, external bodies, groups) with
 * effective dates, so renames, merges and dissolutions keep history. */
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t id;
    const char *code, *name, *short_name, *kind, *valid_from, *valid_to;
    int64_t parent_id, successor_id;  /* 0 = none */
} unit_row;                            /* strings valid during the callback only */

typedef void (*unit_fn)(const unit_row *u, void *ctx);
/* Calls fn for every unit, ordered by kind then name. active_on (YYYY-MM-DD or
 * NULL) limits to units valid that day. */
int store_unit_list(db *d, const char *active_on, unit_fn fn, void *ctx);
/* A number that changes whenever the unit list may have changed (a write by this
 * process or a commit by another connection); for caches of the unit list. */
uint64_t store_unit_generation(db *d);
/* Id of the unit with this code, or 0. */
int64_t store_unit_id_by_code(db *d, const char *code);
/* Copies a unit's name into out (the current name); false if unknown. */
bool store_unit_name(db *d, int64_t id, char *out, size_t n);
/* Inserts a unit; returns its id, 0 if the code exists, -1 on error. */
int64_t store_unit_add(db *d, const char *code, const char *name, const char *short_name, const char *kind,
                       int64_t parent_id, const char *valid_from, const char *valid_to);
/* Renames a unit from date 'from' on, keeping the old name in unit_names. */
int store_unit_rename(db *d, int64_t id, const char *new_name, const char *from);
/* Ends a unit on date 'to' (dissolution); with successor_id > 0 it is a merge. */
int store_unit_end(db *d, int64_t id, const char *to, int64_t successor_id);
/* True when unit_id is one of the units involved in task task_id as lead or
 * coordinator, directly or through a (still valid) group of its kind. *is_lead
 * is true only for the directly named lead unit: a member of a leading group
 * contributes, and the Office sets the group task's status. */
bool store_unit_involved(db *d, int64_t task_id, int64_t unit_id, bool *is_lead);
#endif
