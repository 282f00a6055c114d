#ifndef CCHC_STORE_DOSSIER_H
#define CCHC_STORE_DOSSIER_H
/* Dossiers (hồ sơ) of the one-stop shop: reception with an atomically
 * allocated code, state changes with their timeline event in one write, and
 * the registers. A dossier is a legal record: every write here is durable
 * when it returns (db_txn). The rules (which event, which times) are the
 * caller's, from core/onestop; the store checks only that the dossier did not
 * change in between (optimistic: state and updated_at). */
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* The columns a dossier's events change. Times are ISO with +07:00. */
typedef struct {
    const char *state, *due_at, *paused_since, *apology_at, *apology_due_at, *finished_at, *returned_at;
    int64_t paused_minutes, holder_unit_id;
    int supplement_requests, step;
} dossier_mutable;

typedef struct {
    int64_t procedure_version_id;
    const char *agency;                  /* the code's agency part */
    int32_t day_jdn;                     /* the reception day (the code's YYMMDD) */
    const char *channel;                 /* counter | online | postal */
    bool home_service;
    const char *name, *id_number, *phone, *email, *address;
    const char *received_at, *base_due_at;
    dossier_mutable m;                   /* the state after reception */
    const int *components;               /* component numbers received */
    const char *const *component_files;  /* their scans' sha256 or NULL, same count */
    int ncomponents;
    const char *note;
    int64_t user_id;
    const char *username;
} dossier_new;

typedef struct {
    int64_t id, procedure_version_id, holder_unit_id;
    char *code, *channel, *regime, *name, *id_number, *phone, *email, *address;
    char *received_at, *base_due_at, *updated_at, *holder_unit_name;
    char *procedure_code, *procedure_name;
    int procedure_version;
    bool home_service;
    dossier_mutable m;                   /* strings owned by the row */
    int portal_status;                   /* through portal_status_map */
} dossier_row;

typedef struct {
    int64_t id;
    char *at, *event, *from_state, *to_state, *username, *note, *details, *step_result, *from_unit, *to_unit;
    int step;                            /* 0: none */
} dossier_event_row;

typedef struct {
    const char *code;
    const char *expect_state, *expect_updated_at;   /* the row as the caller read it */
    dossier_mutable m;                   /* the new values */
    const char *event, *at, *note, *details, *step_result;
    int64_t from_unit_id, to_unit_id;
    int event_step;
    int64_t user_id;
    const char *username;
} dossier_change;

typedef struct {
    const char *state, *procedure_code;  /* NULL: any */
    int64_t holder_unit_id;              /* 0: any */
    const char *from, *to;               /* received_at within [from, to] (YYYY-MM-DD), NULL: open */
    bool open_only;
    int limit;                           /* 0: 500 */
} dossier_filter;

/* Receives a dossier: allocates "<agency>-YYMMDD-NNNN" (per agency and day,
 * never reused), picks the legal regime in force on the reception day, and
 * stores the dossier, its components, the reception event and an audit row
 * in one durable write. code gets the code. DB_OK, DB_CONSTRAINT when the
 * day's 9999 codes are used up or no regime covers the day, DB_ERR. */
int store_dossier_create(db *d, const dossier_new *n, char code[64]);
/* Loads a dossier by code. False if missing. Caller frees with dossier_row_free. */
bool store_dossier_get(db *d, const char *code, dossier_row *out);
/* Applies an event: updates the dossier if it is still as the caller read it
 * and appends the event, in one durable write. DB_OK; DB_DONE when it changed
 * in between (nothing written); DB_ERR. */
int store_dossier_apply(db *d, const dossier_change *c);
/* The dossier's events in order; caller frees with dossier_events_free. */
int store_dossier_events(db *d, int64_t dossier_id, dossier_event_row **out, int *n);
/* Dossiers matching f, the most urgent first (due_at). Caller frees with dossier_rows_free. */
int store_dossier_find(db *d, const dossier_filter *f, dossier_row **out, int *n);
/* Records that user viewed the personal data of the dossier (Decree 13/2023). */
int store_dossier_viewed(db *d, int64_t dossier_id, int64_t user_id);
/* The legal regime in force on day (YYYY-MM-DD) into id (>= 32 bytes); false if none. */
bool store_legal_regime_on(db *d, const char *day, char *id, size_t n);
/* The form list (JSON) of a legal regime into *forms (caller frees); false if unknown. */
bool store_legal_regime_forms(db *d, const char *regime, char **forms);
void dossier_row_free(dossier_row *r);
void dossier_rows_free(dossier_row *r, int n);
void dossier_events_free(dossier_event_row *e, int n);
#endif
