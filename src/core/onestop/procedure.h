#ifndef CCHC_ONESTOP_PROCEDURE_H
#define CCHC_ONESTOP_PROCEDURE_H
/* An administrative procedure (thủ tục hành chính, TTHC) of the catalogue:
 * its published facts, dossier components, fees, statutory duration and the
 * internal processing process (quy trình nội bộ) whose step budgets must add
 * up to the duration. One declaration (PROCEDURE_SCHEMA, core/jspec.h)
 * parses the bundled data/procedures.json, the API's requests, the stored
 * versions, and writes them all. */
#include "core/deadline.h"
#include "core/jspec.h"
#include <stdbool.h>
#include <stdint.h>

/* 1 working day of a process budget = 8 working hours (the ISO process sheets' convention). */
#define PROC_HOURS_PER_DAY 8
#define PROC_MAX_COMPONENTS 40
#define PROC_MAX_STEPS 20

typedef struct { int value; const char *unit; } proc_duration;   /* unit: see PROC_DURATION_UNITS */
typedef struct {
    int id;                   /* 1-based, its position: a dossier names its components by it */
    const char *name, *copy_kind, *template_name;
    const char *template_url;   /* the form template's download address, NULL until files are attached */
    int quantity;
    bool must_digitise, reusable;
} proc_component;
typedef struct { const char *name; int64_t amount_vnd; } proc_fee;
typedef struct { int order; const char *role, *unit, *action; proc_duration budget; } proc_step;
typedef struct { const char *decision, *date; } proc_publication;
typedef struct {
    const char *code, *name, *field, *agency, *level, *duration_note, *result, *result_type, *online_level, *conditions;
    int version, proactive_level;
    proc_duration duration;
    const char **legal_basis, **sources, **sample;
    int nlegal, nsources, nsample;
    proc_component *components;
    int ncomponents;
    proc_fee *fees;
    int nfees;
    proc_step *steps;
    int nsteps;
    const proc_publication *published;
} procedure;

extern const char *const PROC_DURATION_UNITS[];    /* working_days working_hours days months same_day */
extern const char *const PROC_BUDGET_UNITS[];      /* working_days working_hours */
extern const char *const PROC_ONLINE_LEVELS[];     /* none partial full */
extern const char *const PROC_STEP_ROLES[];        /* onestop specialist head leader */
extern const js_schema PROCEDURE_SCHEMA;           /* "Procedure" */

/* Checks what a schema cannot: a national code like "1.005129", component ids
 * 1..n in order, steps ordered 1..n, and budgets adding up to the duration
 * (working days/hours: exactly, at 8 hours a day; same day: at most 8 hours;
 * calendar days: at most that many working days; months: at most 22 working
 * days a month). False with a Vietnamese message and the field at fault. */
bool procedure_check(const procedure *p, char *msg, size_t n, const char **field);
/* A step budget in working hours. */
int procedure_budget_hours(const proc_duration *d);
/* The statutory duration as the deadline engine counts it ("trong ngày" is the
 * receipt day itself: 1 working day counted from the same day). */
dl_duration procedure_dl_duration(const proc_duration *d, dl_start_mode *mode);
#endif
