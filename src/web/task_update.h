#ifndef CCHC_TASK_UPDATE_H
#define CCHC_TASK_UPDATE_H
/* Posting a progress update: shared by the HTML form and the JSON API. */
#include "web/http.h"

typedef struct {
    const char *status;       /* status id */
    const char *percent;      /* decimal text */
    const char *note;
    bool files_public;        /* evidence published on the public page (lead only) */
} update_fields;

/* Why an update was refused: HTTP status, stable code, message, field. */
typedef struct {
    int status;
    const char *code, *message, *field;
} update_error;

/* Validates, authorizes (a unit officer only on its unit's tasks; a denied
 * attempt is audited), stores evidence uploads named "files" and records the
 * update in one transaction. Returns the new update id, or 0 with *err set
 * (400/403/404/415/422/500) and nothing recorded. */
int64_t task_update_apply(req *r, int64_t task_id, const update_fields *in, update_error *err);
#endif
