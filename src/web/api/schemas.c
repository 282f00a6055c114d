/* Shared API objects and the domain's enum lists (schemas.h). */
#include "web/api/schemas.h"
#include "store/store_task.h"
#include "web/targets_view.h"
#include <stddef.h>

const char *const TASK_STATUS_IDS[] = {"not_started", "in_progress", "done", "cancelled", NULL};
const char *const DUE_STATE_IDS[] = {"closed", "on_track", "due_soon", "overdue", "awaiting_instruction", "recurring", "needs_date", NULL};
const char *const PERIOD_KIND_IDS[] = {"q1", "h1", "q3", "year", NULL};
const char *const ROLE_IDS[] = {"admin", "office", "leader", "unit", "viewer", "onestop", "specialist", "head", NULL};
const char *const VERDICT_IDS[] = {"no_data", "met", "not_met", "qualitative", NULL};

static const js_field UNIT_REF_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(unit_ref, id), .example = "12"},
    {.name = "name", .type = JS_STRING, .offset = offsetof(unit_ref, name), .example = "\"Thanh tra Sở\""},
};
JS_SCHEMA(SCHEMA_UNIT_REF, "UnitRef", unit_ref, "A unit named by a task: its id and current name", UNIT_REF_FIELDS);

static const js_field TARGET_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(target_view, id), .example = "5"},
    {.name = "plan_id", .type = JS_INT64, .offset = offsetof(target_view, plan_id), .example = "1"},
    {.name = "code", .type = JS_STRING, .offset = offsetof(target_view, code), .example = "\"CT05\""},
    {.name = "text", .type = JS_STRING, .offset = offsetof(target_view, text), .example = "\"100% hồ sơ giải quyết đúng hạn\""},
    {.name = "comparator", .type = JS_STRING, .offset = offsetof(target_view, comparator), .enums = (const char *const[]){">=", "<=", "=", "qualitative", NULL},
     .description = "How the actual value is compared with the target value"},
    {.name = "unit", .type = JS_STRING, .offset = offsetof(target_view, unit), .example = "\"%\""},
    {.name = "period", .type = JS_STRING, .offset = offsetof(target_view, period), .example = "\"2022\""},
    {.name = "source", .type = JS_STRING, .offset = offsetof(target_view, source), .example = "\"computed:dossier_on_time_rate\"",
     .description = "manual, or computed:<indicator> when the system computes the figure from its own data"},
    {.name = "verdict", .type = JS_STRING, .offset = offsetof(target_view, verdict), .enums = VERDICT_IDS},
    {.name = "value", .type = JS_NUMBER, .offset = offsetof(target_view, value), .flags = JF_NULLABLE | JF_HAS, .has_at = offsetof(target_view, has_value),
     .example = "100", .description = "The target value; null for a qualitative target"},
    {.name = "actual", .type = JS_NUMBER, .offset = offsetof(target_view, actual), .flags = JF_NULLABLE | JF_HAS, .has_at = offsetof(target_view, has_actual),
     .example = "97.5", .description = "The measured or computed value; null without data"},
    {.name = "computed", .type = JS_BOOL, .offset = offsetof(target_view, computed), .description = "The system computed actual from its own data"},
    {.name = "measured_on", .type = JS_DATE, .offset = offsetof(target_view, measured_on), .flags = JF_OPTIONAL, .description = "Date of the latest manual measurement"},
};
JS_SCHEMA(SCHEMA_TARGET, "Target", target_view, "A target (chỉ tiêu) with today's verdict", TARGET_FIELDS);

void target_view_fill(req *r, const target_row *t, target_view *v)
{
    target_eval e = target_evaluate(r, t);
    *v = (target_view){t->id, t->plan_id, t->code, t->text, t->comparator, t->unit, t->period, t->source,
                       target_verdict_id(e.verdict), t->has_measure ? t->measured_on : NULL,
                       t->target, e.actual, t->has_target, e.has_actual, e.computed};
}
