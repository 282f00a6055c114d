#ifndef CCHC_STORE_TASK_H
#define CCHC_STORE_TASK_H
/* Plans, areas and tasks: reading with filters, dashboard counts, progress
 * updates with evidence, and the timeline. */
#include "core/model.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t id;
    char *code, *title, *doc_number, *issued_on, *note;
    int year_from, year_to;
    bool public;
    int task_count;
} plan_row;

typedef struct {
    int64_t id;
    char *no, *title;
    int position;
} area_row;

typedef struct {
    int64_t id;
    char *name;
} unit_ref;

typedef struct {
    int64_t id, plan_id, area_id;
    char *plan_code, *area_no, *area_title;
    char *number, *title, *product, *deadline_text;
    unit_ref lead;
    char *lead_kind;
    unit_ref *coord;          /* ncoord entries */
    int ncoord;
    char *dl_kind, *dl_start, *dl_due, *dl_every;   /* ISO dates or NULL */
    bool needs_date;
    task_status status;
    int percent;
    char *updated_at;
    bool plan_public;         /* the task's plan is published (anonymous visitors may read it) */
    char *arena;              /* owns every string above (one allocation) */
} task_row;

typedef struct {
    task_row *rows;
    int n;
    int total;                /* matching rows over all pages */
} task_list;

/* Filters for store_task_find. Zero/NULL fields do not filter. */
typedef struct {
    int64_t plan_id, area_id, lead_unit_id, coord_unit_id;
    int64_t involved_unit_id;         /* lead or coordinating, directly or via a group */
    int status;                       /* -1 = any */
    bool open_only;                   /* not done/cancelled */
    const char *due_before;           /* dl_due < this (ISO) : overdue when = today and open_only */
    const char *due_from, *due_to;    /* dl_due within [from, to] */
    const char *dl_kind;              /* "event", "recurring", "unparsed" */
    const char *q;                    /* free text; folded before matching */
    bool public_only;                 /* only plans marked public */
    int page, per_page;               /* page is 1-based; per_page 0 = all */
} task_filter;

/* Lists plans (public ones only when public_only), fills *out (caller frees with
 * plan_rows_free). task_count is filled only with with_counts (it costs a count per plan). */
int store_plan_list(db *d, bool public_only, bool with_counts, plan_row **out, int *n);
/* True when the plan exists and is public. */
bool store_plan_is_public(db *d, int64_t id);
/* Loads one plan; false if missing (or not public when public_only). */
bool store_plan_get(db *d, int64_t id, bool public_only, plan_row *out);
void plan_row_free(plan_row *p);
void plan_rows_free(plan_row *p, int n);
/* Areas of a plan in order; caller frees with area_rows_free. */
int store_area_list(db *d, int64_t plan_id, area_row **out, int *n);
void area_rows_free(area_row *a, int n);

/* Finds tasks; fills *out (caller frees with task_list_free). */
int store_task_find(db *d, const task_filter *f, task_list *out);
void task_list_free(task_list *l);
/* Loads one task; false when missing. Caller frees with task_row_free. */
bool store_task_get(db *d, int64_t id, task_row *out);
void task_row_free(task_row *t);

/* Dashboard counts of a plan. */
typedef struct {
    int64_t key;              /* area id or unit id */
    char *label;              /* area "I. Title" or unit name */
    int total, done, in_progress, not_started, cancelled, overdue;
    int percent_avg;
} progress_row;
typedef struct {
    int by_status[ST__COUNT];
    int total, overdue, due_soon, awaiting_event, needs_date;
    progress_row *areas; int nareas;
    progress_row *units; int nunits;
} plan_stats;
/* Computes the dashboard counts; today/soon_until are ISO dates. Caller frees with plan_stats_free. */
int store_plan_stats(db *d, int64_t plan_id, const char *today, const char *soon_until, plan_stats *out);
void plan_stats_free(plan_stats *s);

/* Evidence file attached to an update (already stored by store_file_put). */
typedef struct {
    char sha256[65];
    const char *filename;
    bool public;
} evidence_ref;

typedef struct {
    int64_t task_id, user_id, unit_id;
    const char *username;
    bool is_lead;             /* the lead unit's update sets the task's status */
    task_status status;
    int percent;
    const char *note;
    const evidence_ref *files;
    int nfiles;
} update_input;
/* Records a progress update with its files, sets the task's status and percent
 * when is_lead, and audits it, inside the caller's transaction. Returns the update id or -1. */
int64_t store_task_add_update(db *d, const update_input *in);

/* One entry of a task's timeline: an update (with files) or an audit event. */
typedef struct {
    int64_t update_id;        /* 0 for audit entries */
    const char *at, *username, *unit_name, *status, *note, *action;
    int percent;
    bool is_lead;
    int nfiles;
    const char *file_sha[8], *file_name[8];
    bool file_public[8];
} timeline_entry;
typedef void (*timeline_fn)(const timeline_entry *e, void *ctx);
/* Calls fn for the task's updates and audit events, newest first. include_notes=false
 * hides notes (public view). */
int store_task_timeline(db *d, int64_t task_id, bool include_audit, timeline_fn fn, void *ctx);
/* Public products of a task (files marked public by the lead): calls fn(sha, name). */
typedef void (*product_fn)(const char *sha, const char *filename, void *ctx);
int store_task_public_files(db *d, int64_t task_id, product_fn fn, void *ctx);
/* Latest note of each involved unit for a task: calls fn(unit_name, note, at). */
typedef void (*note_fn)(const char *unit_name, const char *note, const char *at, void *ctx);
int store_task_latest_notes(db *d, int64_t task_id, note_fn fn, void *ctx);
#endif
