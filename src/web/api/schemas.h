#ifndef CCHC_API_SCHEMAS_H
#define CCHC_API_SCHEMAS_H
/* Objects that more than one API file uses, and the enum lists of the domain
 * vocabulary (NULL-terminated; tests/unit/test_api_contract.c checks them
 * against core/model.c and core/indicators.c). */
#include "core/jspec.h"
#include "core/indicators.h"
#include "store/store_target.h"
#include "web/http.h"

extern const char *const TASK_STATUS_IDS[];
extern const char *const DUE_STATE_IDS[];
extern const char *const PERIOD_KIND_IDS[];
extern const char *const ROLE_IDS[];
extern const char *const VERDICT_IDS[];

/* {id, name}: a unit named in a task (store_task.h unit_ref). */
extern const js_schema SCHEMA_UNIT_REF;

/* A target with its verdict, as the API shows it (see target_view_fill). */
typedef struct {
    int64_t id, plan_id;
    const char *code, *text, *comparator, *unit, *period, *source, *verdict, *measured_on;
    double value, actual;
    bool has_value, has_actual, computed;
} target_view;
extern const js_schema SCHEMA_TARGET;
/* Fills v from t, evaluated today; strings point into t. */
void target_view_fill(req *r, const target_row *t, target_view *v);
#endif
