#ifndef CCHC_STORE_PROCEDURE_H
#define CCHC_STORE_PROCEDURE_H
/* The procedure catalogue: a procedure is its national code, every edit adds
 * an immutable version (its JSON document and searchable columns), and a
 * dossier keeps the version it was received under. */
#include "core/onestop/procedure.h"
#include "store/db.h"

typedef struct {
    int64_t version_id, procedure_id;
    int version, duration_value;
    char *code, *name, *field, *duration_unit, *online_level;
    char *body;               /* the version's Procedure JSON */
} procedure_row;

/* Adds a version of p (1 for a new code, else the current one + 1) with body
 * (p as JSON) and audits it, in one write transaction. Returns the version
 * number, or -1 on error. */
int store_procedure_put(db *d, const procedure *p, const char *body, int64_t user_id, const char *username);
/* Loads a procedure by code: version 0 is the current one. False if missing. */
bool store_procedure_get(db *d, const char *code, int version, procedure_row *out);
/* Loads a procedure version by its id. False if missing. */
bool store_procedure_by_version(db *d, int64_t version_id, procedure_row *out);
/* Lists the current versions, by field then name; q (words, any accents) and
 * field ("" or NULL: all) filter. Caller frees with procedure_rows_free. */
int store_procedure_list(db *d, const char *q, const char *field, procedure_row **out, int *n);
/* Number of procedures in the catalogue (-1 on error). */
int store_procedure_count(db *d);
void procedure_row_free(procedure_row *r);
void procedure_rows_free(procedure_row *r, int n);
#endif
