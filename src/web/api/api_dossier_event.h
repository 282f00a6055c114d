#ifndef CCHC_API_DOSSIER_EVENT_H
#define CCHC_API_DOSSIER_EVENT_H
/* The request of POST /api/v1/dossiers/{code}/events (api_dossiers.c) and
 * the rules that turn it into a change of the dossier (api_dossier_event.c). */
#include "core/jspec.h"

typedef struct { const char *event, *note, *reason, *legal_basis, *approved_by, *new_due_on; } event_request;
extern const js_schema SCHEMA_EVENT_REQUEST;
#endif
