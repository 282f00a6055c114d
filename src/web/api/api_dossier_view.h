#ifndef CCHC_API_DOSSIER_VIEW_H
#define CCHC_API_DOSSIER_VIEW_H
/* The Dossier object of the API and how it is built from a stored dossier:
 * due date with pauses, the on-time rule, the timeline (api_dossiers.c). */
#include "core/jspec.h"
#include "core/onestop/procedure.h"
#include "store/onestop/store_dossier.h"
#include "web/http.h"

#define DOSSIER_MAX_PAUSES 16

/* The procedure version of a dossier, parsed (strings point into doc). */
typedef struct {
    procedure p;
    json_t *doc;
} procedure_doc;

/* Loads and parses the procedure version version_id; false if missing or unreadable. */
bool procedure_doc_load(db *d, int64_t version_id, procedure_doc *out);
/* Frees what procedure_doc_load allocated. */
void procedure_doc_free(procedure_doc *pd);
/* The due moment for a dossier of p received at `received`, with pauses
 * (open ones end at now); false when the duration cannot be counted. */
bool dossier_due(const procedure *p, int64_t received, const dl_pause *pauses, int npauses, int64_t now, int64_t *due);
/* The pauses of a dossier from its events (request_supplement → supplement_received). */
int dossier_pauses(const dossier_event_row *ev, int n, dl_pause *out, const char **reasons, int max);
/* Answers status with the dossier (masked: the identity number shows its
 * first and last three digits; events: the timeline too). */
void dossier_reply(req *r, resp *w, int status, const dossier_row *x, bool masked, bool with_events);
/* Answers 200 with {"dossiers": [...]}: each masked, without its timeline. */
void dossier_list_reply(req *r, resp *w, const dossier_row *rows, int n);
extern const js_schema SCHEMA_DOSSIER_LIST;
#endif
