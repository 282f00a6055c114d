#ifndef CCHC_API_DOSSIER_EVENT_H
#define CCHC_API_DOSSIER_EVENT_H
/* The request of POST /api/v1/dossiers/{code}/events (api_dossiers.c) and
 * the rules that turn it into a change of the dossier (api_dossier_event.c). */
#include "core/jspec.h"
#include "web/http.h"

typedef struct { const char *event, *note, *reason, *legal_basis, *approved_by, *new_due_on; } event_request;
extern const js_schema SCHEMA_EVENT_REQUEST;

/* The intake of POST /api/v1/dossiers and of the counter form. */
typedef struct { int component_id; const char **file_ids; int nfiles; } component_input;
typedef struct {
    const char *procedure, *channel, *received_at, *note;
    struct { const char *name, *id_number, *phone, *email, *address; } applicant;
    component_input *components;
    int ncomponents;
    bool home_service;
} intake_request;

/* Applies event in to the dossier code: checks role, unit and transition,
 * works out the change and stores it. Errors go out as resp_error (JSON for
 * the API, HTML for pages); on success html redirects to the dossier page,
 * else answers 200 with the Dossier. */
void dossier_event_run(req *r, resp *w, const char *code, const event_request *in, bool html);
/* Receives a dossier (already parsed): on success html redirects to its
 * receipt (form 01), else answers 201 with the Dossier. */
void dossier_intake_run(req *r, resp *w, const intake_request *in, bool html);
#endif
