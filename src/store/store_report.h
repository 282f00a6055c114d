#ifndef CCHC_STORE_REPORT_H
#define CCHC_STORE_REPORT_H
/* Reporting periods (Q1, 6 months, Q3, year), unit submissions (locked once
 * submitted) and approvals. */
#include "core/model.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t id, plan_id;
    period_kind kind;
    int year;
    char due_on[11];
    char status[8];
    char plan_title[512];
    char opened_at[32];
} period_row;

/* Opens a period; returns its id, 0 if it already exists, -1 on error. */
int64_t store_period_open(db *d, int64_t plan_id, period_kind kind, int year, const char *due_on, int64_t user_id);
bool store_period_get(db *d, int64_t id, period_row *out);
/* All periods, newest first; caller frees *out with free(). On an error *out is NULL and *n 0. */
int store_period_list(db *d, period_row **out, int *n);

typedef struct {
    int64_t unit_id;
    char *unit_name;
    bool submitted, approved;
    char *body, *submitted_at, *submitted_by, *approved_at, *approved_by;
} submission_row;
/* The units expected to report for the period: divisions, district offices,
 * schools and centres that lead or coordinate a task of the plan, directly or as
 * members of a group the task names (units of the group's member_kinds; the group
 * must exist on the due date, groups themselves are never listed), and exist on the
 * due date; each with its submission if any. Caller frees with submission_rows_free.
 * On an error *out is NULL and *n 0. */
int store_period_submissions(db *d, int64_t period_id, submission_row **out, int *n);
void submission_rows_free(submission_row *s, int n);
/* Records a unit's report and its audit row in one write transaction (joining the
 * caller's, if any): both or neither. DB_OK, DB_CONSTRAINT when already submitted (locked). */
int store_report_submit(db *d, int64_t period_id, int64_t unit_id, const char *body, int64_t user_id, const char *username);
/* Approves a submitted report and audits it (entity unit_report, entity_id the
 * unit_reports id) in one write transaction. DB_OK, DB_DONE if there is nothing to
 * approve (not submitted, or already approved). */
int store_report_approve(db *d, int64_t period_id, int64_t unit_id, int64_t user_id, const char *username);
#endif
