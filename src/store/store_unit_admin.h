#ifndef CCHC_STORE_UNIT_ADMIN_H
#define CCHC_STORE_UNIT_ADMIN_H
/* Unit queries beyond store_unit.h, for the administration pages and the seed:
 * one unit with every field, its name history, group member kinds, parents.
 * Implemented in store_unit.c. */
#include "store/store_unit.h"

typedef struct {
    int64_t id, parent_id, successor_id;   /* 0 = none */
    char code[64];
    char name[512];
    char short_name[256];
    char kind[24];
    char valid_from[11], valid_to[11];     /* "" = open */
    char member_kinds[128];                /* groups only: "division" or "school,centre" */
} unit_info;

/* The unit kinds of the schema, in display order; NULL-terminated. */
extern const char *const UNIT_KINDS[];
/* True when kind is one of UNIT_KINDS. */
bool store_unit_kind_valid(const char *kind);

/* Loads a unit by id (out is filled by copy); false when it does not exist. */
bool store_unit_get(db *d, int64_t id, unit_info *out);
/* Calls fn(name, valid_from, valid_to) for each name the unit has had, oldest
 * first; dates are ISO or "" when open. Strings are valid during the call only. */
typedef void (*unit_name_fn)(const char *name, const char *valid_from, const char *valid_to, void *ctx);
int store_unit_names(db *d, int64_t unit_id, unit_name_fn fn, void *ctx);
/* True when kinds (under 128 bytes) is a comma-separated list of UNIT_KINDS other
 * than "group"; empty items are skipped, so "" (no kinds) is valid. */
bool store_unit_member_kinds_valid(const char *kinds);
/* Sets the kinds a group stands for (comma-separated UNIT_KINDS, not "group").
 * DB_OK, DB_CONSTRAINT when the unit is not a group or a kind is invalid, or DB_ERR. */
int store_unit_set_member_kinds(db *d, int64_t id, const char *member_kinds);
/* Sets a unit's parent (0 = none). DB_OK, DB_CONSTRAINT (self or unknown parent) or DB_ERR. */
int store_unit_set_parent(db *d, int64_t id, int64_t parent_id);
/* Number of units (all, including ended ones). */
int store_unit_count(db *d);
#endif
