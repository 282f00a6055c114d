#ifndef CCHC_ONESTOP_DOSSIER_H
#define CCHC_ONESTOP_DOSSIER_H
/* The dossier (hồ sơ) of the one-stop shop: its states, the events that move
 * it, who may send each event, the dossier code, and the national portal's
 * on-time rule. Pure logic (research note vn-one-stop.md §2, §4, §5.3). */
#include "core/model.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    DS_SUBMITTED = 0,        /* online, waiting for intake */
    DS_RECEIVED,             /* accepted at intake: code and form 01 */
    DS_REFUSED,              /* refused at intake (form 03) */
    DS_PROCESSING,           /* with a division */
    DS_SUPPLEMENT_REQUESTED, /* waiting for the applicant: the clock is paused */
    DS_PAYMENT_REQUESTED,    /* waiting for a fee or tax */
    DS_DONE,                 /* result signed, ready to return */
    DS_RETURNED,             /* result delivered */
    DS_STOPPED,              /* notice to stop processing */
    DS_WITHDRAWN,            /* the applicant withdrew it */
    DS__COUNT
} dossier_state;

typedef enum {
    DE_ACCEPT = 0,           /* submitted → received */
    DE_REFUSE,               /* submitted → refused */
    DE_TRANSFER,             /* received/processing → processing (the next step of the process) */
    DE_REQUEST_SUPPLEMENT,   /* received/processing → supplement_requested */
    DE_SUPPLEMENT_RECEIVED,  /* supplement_requested → processing */
    DE_REQUEST_PAYMENT,      /* processing → payment_requested */
    DE_PAYMENT_RECEIVED,     /* payment_requested → processing */
    DE_APOLOGISE,            /* side event: apology and a new return date (once) */
    DE_APPROVE,              /* side event: the division head reviewed the draft result */
    DE_SIGN,                 /* processing → done: the leader signs the result */
    DE_RETURN,               /* done → returned */
    DE_STOP,                 /* an open state → stopped */
    DE_WITHDRAW,             /* an open state → withdrawn */
    DE__COUNT
} dossier_event;

/* Stable identifiers ("supplement_requested", "request_supplement"); "" when out of range. */
const char *dossier_state_id(dossier_state s);
const char *dossier_event_id(dossier_event e);
/* The Vietnamese label of a state (translatable). */
const char *dossier_state_label(dossier_state s);
/* Parses an identifier; -1 when unknown. */
int dossier_state_parse(const char *s);
int dossier_event_parse(const char *s);
/* The state after event e in state s; false when e is not allowed in s. */
bool dossier_next_state(dossier_state s, dossier_event e, dossier_state *next);
/* True when role r may send event e (admin: every event). */
bool dossier_event_role_allowed(dossier_event e, role r);
/* True when role r sees and handles every dossier (admin, one-stop officer,
 * leader); the other back-office roles only those their unit holds. */
bool dossier_role_sees_all(role r);
/* True for the states in which the dossier is still being handled. */
bool dossier_state_open(dossier_state s);
/* The national portal's status code (TrangThaiHoSo 1–10) that the bundled
 * mapping gives a state; the deployed mapping is a table (store). */
int dossier_default_portal_status(dossier_state s);

/* Writes the dossier code "<agency>-YYMMDD-NNNN" (Circular 01/2018 Art. 19)
 * into out (>= 64 bytes). seq is 1–9999; false when it does not fit. */
bool dossier_code_format(const char *agency, int32_t jdn, int seq, char *out, size_t n);
/* True for a syntactically valid dossier code: printable agency part of
 * 1–40 characters without spaces, then -YYMMDD-NNNN. */
bool dossier_code_valid(const char *code);

/* The national portal's on-time rule (Decision 766 indicator 2.1, §5.3):
 * on time when end − paused ≤ due, and never with more than one
 * supplementation request. Times are minutes on one scale (dl_moment). */
typedef struct {
    int64_t due;             /* the return date-time, after an apology's new date */
    int64_t end;             /* the terminal event's time; or the period's end for open dossiers */
    int64_t paused_minutes;  /* calendar minutes the applicant held the dossier */
    int supplement_requests;
} dossier_clock;
/* 1 on time, 0 late. */
int dossier_on_time(const dossier_clock *c);

/* Local time (UTC+7) of a Unix time, as a deadline-engine moment. */
int64_t dossier_moment_of_unix(int64_t unix_seconds);
/* Writes a moment as ISO 8601 with the offset, "2026-03-02T14:05:00+07:00"
 * (out >= 32 bytes); returns out. */
char *dossier_time_format(int64_t moment, char *out);
/* Parses "YYYY-MM-DDTHH:MM[:SS]" with "+07:00" (or no offset: local time);
 * false on anything else. */
bool dossier_time_parse(const char *s, int64_t *moment);

/* "dd/mm/yyyy HH:MM" of an ISO time as dossier_time_parse reads it, into out
 * (>= 24 bytes); "" when unreadable. Returns out or "". */
const char *dossier_time_display(const char *iso, char *out);

/* A step's result against its budget's due moment: "late" after it, "early"
 * with at least a quarter of the budget's working minutes left, else "on_time". */
const char *dossier_step_result(int64_t now, int64_t step_due, int64_t minutes_left, int64_t budget_minutes);
#endif
