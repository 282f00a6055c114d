#ifndef CCHC_TARGETS_VIEW_H
#define CCHC_TARGETS_VIEW_H
/* The actual value of a target: computed from the system's own data where it
 * holds it, otherwise the latest measured value entered with evidence. */
#include "core/indicators.h"
#include "store/store_target.h"
#include "web/http.h"
#include <jansson.h>

typedef struct {
    bool has_actual;
    double actual;
    bool computed;             /* the system computed it */
    const char *basis;         /* how it was obtained (translatable text) */
    target_verdict verdict;
} target_eval;

/* True for the computed:<name> sources the system computes from data it holds
 * today (plan progress); the others (dossiers, surveys) take measured values until then. */
bool target_computed_now(const char *source);
/* Evaluates target t for the plan it belongs to. */
target_eval target_evaluate(req *r, const target_row *t);
/* Renders the targets of a plan as a table; with_forms adds measurement forms. */
void html_targets_table(req *r, buf *b, const target_row *rows, int n, bool with_forms);
#endif
