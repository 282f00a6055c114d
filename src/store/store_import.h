#ifndef CCHC_STORE_IMPORT_H
#define CCHC_STORE_IMPORT_H
/* Plan CSV imports: preview (validation against the database, counts of new
 * and updated tasks), apply in one transaction, and the uploaded files kept
 * in the imports table between preview and confirmation. */
#include "core/plan_import.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* Fields of a plan the import creates when its code is new. Strings may be NULL. */
typedef struct {
    const char *title, *doc_number, *issued_on, *note;   /* issued_on: ISO or NULL */
    int year_from, year_to;
} import_plan_info;

/* What applying does (or did) to each row. */
typedef enum { IMPORT_ROW_SKIPPED = 0, IMPORT_ROW_NEW, IMPORT_ROW_UPDATED, IMPORT_ROW_UNCHANGED } import_row_action;

typedef struct {
    int64_t plan_id;              /* 0 when the plan does not exist yet */
    bool plan_exists;
    char plan_title[512];         /* existing plan's title, or the new plan's */
    int plan_year_from, plan_year_to;
    int new_tasks, updated_tasks, unchanged_tasks, skipped_rows;
    int new_areas;
    int tasks_not_in_file;        /* existing tasks of the plan the file does not list (kept) */
    unsigned char *actions;       /* import_row_action per pi_result row; malloc'd */
    char blocker[300];            /* why it cannot be applied ("" when it can), Vietnamese */
} import_summary;

/* Frees what s owns. */
void import_summary_free(import_summary *s);

/* Validates text[0..len) against the units and plans of d, without writing:
 * fills res (free with plan_import_free) and sum (free with import_summary_free).
 * new_plan (may be NULL) describes the plan if its code is new. Returns DB_OK
 * or DB_ERR (database failure); problems in the file are in res. */
int store_import_preview(db *d, const char *text, size_t len, const import_plan_info *new_plan,
                         pi_result *res, import_summary *sum);

typedef struct {
    int64_t user_id;              /* 0 for the command line / seed */
    const char *username;         /* for the audit */
    const char *source;           /* file name, for the audit */
    bool valid_only;              /* apply the valid rows even when others have errors */
    const import_plan_info *new_plan;
} import_apply_opts;

/* Validates and applies text in one transaction: creates the plan if new,
 * upserts areas, inserts or updates tasks by (plan, number) keeping their
 * status and progress, replaces coordinating units and milestones, indexes
 * them for search and writes one audit row. res and sum are filled as by
 * store_import_preview. Returns DB_OK; DB_CONSTRAINT when problems block it
 * (errors without valid_only, no valid row, a new plan without title/years;
 * sum->blocker says why), with nothing written; or DB_ERR. */
int store_import_apply(db *d, const char *text, size_t len, const import_apply_opts *o,
                       pi_result *res, import_summary *sum);

/* ---- the imports table (upload → preview → confirm) ---- */

typedef struct {
    int64_t id, user_id;
    char username[64];
    char filename[256];
    char *content;                /* malloc'd, NUL-terminated */
    size_t len;
    char status[16];              /* preview | applied | cancelled */
    char created_at[32];
    /* the new-plan fields given with the upload ("" / 0 when none) */
    char plan_title[512];
    int year_from, year_to;
} import_row;

/* Stores an uploaded CSV (UTF-8 text) awaiting confirmation, with the new-plan
 * fields (may be NULL) kept alongside in the audit. Returns the id or -1. */
int64_t store_import_save(db *d, int64_t user_id, const char *username, const char *filename,
                          const char *content, size_t len, const import_plan_info *new_plan);
/* Loads a stored import; false when missing. Caller frees with import_row_free. */
bool store_import_get(db *d, int64_t id, import_row *out);
void import_row_free(import_row *r);
/* Moves an import from 'preview' to status ("applied" or "cancelled"). DB_OK,
 * DB_CONSTRAINT when it is not in preview any more, or DB_ERR. */
int store_import_mark(db *d, int64_t id, const char *status);
typedef struct {
    int64_t id;
    const char *filename, *username, *status, *created_at;
} import_brief;                   /* strings valid during the callback only */
typedef void (*import_fn)(const import_brief *i, void *ctx);
/* Calls fn for the latest imports, newest first, at most limit of them; fn
 * must not use the database. */
int store_import_list(db *d, int limit, import_fn fn, void *ctx);
/* Applies a stored import (in 'preview') and marks it applied, all in one
 * transaction; same results as store_import_apply. DB_CONSTRAINT also when the
 * import was already applied or cancelled. */
int store_import_apply_saved(db *d, int64_t import_id, bool valid_only, int64_t user_id, const char *username,
                             pi_result *res, import_summary *sum);
#endif
