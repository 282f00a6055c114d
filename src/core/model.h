#ifndef CCHC_MODEL_H
#define CCHC_MODEL_H
/* Domain vocabulary shared by store/ and web/: roles, capabilities, task
 * statuses, report periods. Pure data and pure functions. */
#include <stdbool.h>
#include <stdint.h>

/* ROLE_LEADER also signs one-stop results. The one-stop roles: ROLE_ONESTOP
 * receives and returns dossiers at the counter, ROLE_SPECIALIST (chuyên viên)
 * handles those of their division, ROLE_HEAD (trưởng phòng) reviews them. */
typedef enum { ROLE_NONE = 0, ROLE_ADMIN, ROLE_OFFICE, ROLE_LEADER, ROLE_UNIT, ROLE_VIEWER,
               ROLE_ONESTOP, ROLE_SPECIALIST, ROLE_HEAD, ROLE__COUNT } role;
#define ROLE_LAST (ROLE__COUNT - 1)

/* What a route or an action needs. The router checks these before a handler runs. */
typedef enum {
    CAP_PUBLIC = 0,      /* anyone, including anonymous visitors */
    CAP_LOGGED_IN,       /* any signed-in user (profile, logout) */
    CAP_READ_INTERNAL,   /* internal plan data: every role */
    CAP_UPDATE_TASK,     /* post progress (unit: only its own tasks): unit, office, admin */
    CAP_SUBMIT_REPORT,   /* submit a unit's period report: unit, office, admin */
    CAP_MANAGE_PLANS,    /* reporting periods, department report, target measures: office, admin */
    CAP_APPROVE_REPORT,  /* approve reports: leader, admin (not the Office, which may submit for units) */
    CAP_ADMIN,           /* units, users, imports: admin */
    CAP_DOSSIER_READ,    /* the one-stop back office: onestop, specialist, head, leader, admin (object checks apply) */
    CAP_DOSSIER_INTAKE,  /* receive a dossier at the counter: onestop, admin */
    CAP_DOSSIER_ACT,     /* send a dossier event (the state machine checks the role): onestop, specialist, head, leader, admin */
    CAP_CATALOGUE,       /* edit the procedure catalogue: admin */
    CAP__COUNT
} capability;

/* Parses a CLI/DB role identifier ("admin", "office", ...); ROLE_NONE if unknown. */
role role_parse(const char *s);
/* The stable identifier of a role ("admin"...), "" for ROLE_NONE. */
const char *role_id(role r);
/* The Vietnamese display name of a role (translatable msgid). */
const char *role_label(role r);
/* True when a user with role r (ROLE_NONE = anonymous) holds capability c. */
bool role_has(role r, capability c);
/* True for a valid user name: 3–60 ASCII letters, digits, '.', '_' or '-', starting
 * with a letter or digit (the same rule in the admin pages and the CLI). */
bool username_valid(const char *s);
/* Stable name of a capability, for the route table test and the OpenAPI file. */
const char *capability_id(capability c);

typedef enum { ST_NOT_STARTED = 0, ST_IN_PROGRESS, ST_DONE, ST_CANCELLED, ST__COUNT } task_status;
/* Parses a status identifier; returns -1 if unknown. */
int status_parse(const char *s);
const char *status_id(task_status s);
/* Vietnamese label (translatable msgid). */
const char *status_label(task_status s);

/* Reporting periods of the CCHC reporting regime. */
typedef enum { PERIOD_Q1 = 0, PERIOD_H1, PERIOD_Q3, PERIOD_YEAR, PERIOD__COUNT } period_kind;
int period_parse(const char *s);
const char *period_id(period_kind k);
const char *period_label(period_kind k);
/* Default due date (month, day) of a period report per the 2022 plan, IV.1:
 * Q1 before 05/03, 6 months before 05/06, Q3 before 05/09, year before 30/11. */
void period_default_due(period_kind k, int *month, int *day);
#endif
