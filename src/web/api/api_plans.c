/* JSON API: plans with their areas, and the unit list. Same store calls and
 * the same visibility as the HTML pages (anonymous visitors see public plans). */
#include "web/handlers.h"
#include "web/api/api_op.h"
#include "web/api/schemas.h"
#include "web/common.h"
#include "core/i18n.h"
#include "store/store_task.h"
#include "store/store_unit.h"
#include <stdlib.h>
#include <string.h>

/* ---- objects ---------------------------------------------------------------- */

static const js_field PLAN_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(plan_row, id), .example = "1"},
    {.name = "code", .type = JS_STRING, .offset = offsetof(plan_row, code), .example = "\"KH2022\""},
    {.name = "title", .type = JS_STRING, .offset = offsetof(plan_row, title), .example = "\"Kế hoạch cải cách hành chính năm 2022\""},
    {.name = "doc_number", .type = JS_STRING, .offset = offsetof(plan_row, doc_number), .example = "\"3047/KH-SGDĐT\"", .description = "Document number; \"\" when the plan has none yet"},
    {.name = "issued_on", .type = JS_DATE, .offset = offsetof(plan_row, issued_on), .flags = JF_NULLABLE, .description = "Signing date; null when unknown"},
    {.name = "year_from", .type = JS_INT, .offset = offsetof(plan_row, year_from), .example = "2022"},
    {.name = "year_to", .type = JS_INT, .offset = offsetof(plan_row, year_to), .example = "2022"},
    {.name = "note", .type = JS_STRING, .offset = offsetof(plan_row, note)},
    {.name = "public", .type = JS_BOOL, .offset = offsetof(plan_row, public), .example = "true", .description = "Published on the public portal"},
    {.name = "task_count", .type = JS_INT, .offset = offsetof(plan_row, task_count), .example = "47"},
};
static JS_SCHEMA(SCHEMA_PLAN, "Plan", plan_row, "A reform plan (kế hoạch)", PLAN_FIELDS);

typedef struct { plan_row *plans; int n; } plan_list_view;
static const js_field PLAN_LIST_FIELDS[] = {
    {.name = "plans", .type = JS_ARRAY, .offset = offsetof(plan_list_view, plans), .ref = &SCHEMA_PLAN, .count_at = offsetof(plan_list_view, n)},
};
static JS_SCHEMA(SCHEMA_PLAN_LIST, "PlanList", plan_list_view, "Plans the caller may read", PLAN_LIST_FIELDS);

static const js_field AREA_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(area_row, id), .example = "3"},
    {.name = "no", .type = JS_STRING, .offset = offsetof(area_row, no), .example = "\"II\"", .description = "The numeral as the plan writes it"},
    {.name = "title", .type = JS_STRING, .offset = offsetof(area_row, title), .example = "\"Cải cách thể chế\""},
};
static JS_SCHEMA(SCHEMA_AREA, "Area", area_row, "An area (lĩnh vực) of a plan", AREA_FIELDS);

typedef struct { plan_row plan; area_row *areas; int n; } plan_view;
static const js_field PLAN_DETAIL_FIELDS[] = {
    {.name = "plan", .type = JS_OBJECT, .offset = offsetof(plan_view, plan), .flags = JF_INLINE, .ref = &SCHEMA_PLAN},
    {.name = "areas", .type = JS_ARRAY, .offset = offsetof(plan_view, areas), .ref = &SCHEMA_AREA, .count_at = offsetof(plan_view, n)},
};
static JS_SCHEMA(SCHEMA_PLAN_DETAIL, "PlanDetail", plan_view, "A plan with its areas in order (the fields of Plan, and areas)", PLAN_DETAIL_FIELDS);

typedef struct {
    int64_t id, parent_id;
    char *code, *name, *short_name, *kind, *valid_from, *valid_to;
    bool has_parent;
} unit_view;
static const js_field UNIT_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(unit_view, id), .example = "12"},
    {.name = "code", .type = JS_STRING, .offset = offsetof(unit_view, code), .example = "\"TTRA\""},
    {.name = "name", .type = JS_STRING, .offset = offsetof(unit_view, name), .example = "\"Thanh tra Sở\""},
    {.name = "short_name", .type = JS_STRING, .offset = offsetof(unit_view, short_name), .example = "\"Thanh tra\""},
    {.name = "kind", .type = JS_STRING, .offset = offsetof(unit_view, kind),
     .enums = (const char *const[]){"department", "division", "district_office", "school", "centre", "external", "group", NULL}},
    {.name = "parent_id", .type = JS_INT64, .offset = offsetof(unit_view, parent_id), .flags = JF_NULLABLE | JF_HAS, .has_at = offsetof(unit_view, has_parent)},
    {.name = "valid_from", .type = JS_DATE, .offset = offsetof(unit_view, valid_from), .flags = JF_NULLABLE, .description = "First day the unit exists; null: always"},
    {.name = "valid_to", .type = JS_DATE, .offset = offsetof(unit_view, valid_to), .flags = JF_NULLABLE, .description = "Last day (renamed, merged or dissolved); null: still active"},
};
static JS_SCHEMA(SCHEMA_UNIT, "Unit", unit_view, "A unit: the department, a division, a district office, a school…", UNIT_FIELDS);

typedef struct { unit_view *units; int n, cap; } unit_list_view;
static const js_field UNIT_LIST_FIELDS[] = {
    {.name = "units", .type = JS_ARRAY, .offset = offsetof(unit_list_view, units), .ref = &SCHEMA_UNIT, .count_at = offsetof(unit_list_view, n)},
};
static JS_SCHEMA(SCHEMA_UNIT_LIST, "UnitList", unit_list_view, "Units ordered by kind, then name", UNIT_LIST_FIELDS);

/* ---- operations -------------------------------------------------------------------- */

static const api_param ID_PARAM[] = {
    {PARAM_PATH, true, {.name = "id", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .example = "1", .description = "Plan id"}},
};
static const api_param UNITS_PARAMS[] = {
    {PARAM_QUERY, false, {.name = "active_on", .type = JS_DATE, .example = "\"2022-06-30\"", .description = "Only units that exist on this day"}},
};
static const int E_NOT_FOUND[] = {404, 0};

const api_op OP_LIST_PLANS = {
    .id = "listPlans",
    .tag = "plans",
    .description = "Anonymous callers see published plans only.",
    .status = 200,
    .response = &SCHEMA_PLAN_LIST,
    .response_description = "The plans",
};
const api_op OP_GET_PLAN = {
    .id = "getPlan",
    .tag = "plans",
    API_PARAMS(ID_PARAM),
    .status = 200,
    .response = &SCHEMA_PLAN_DETAIL,
    .response_description = "The plan and its areas",
    .errors = E_NOT_FOUND,
};
const api_op OP_LIST_UNITS = {
    .id = "listUnits",
    .tag = "units",
    API_PARAMS(UNITS_PARAMS),
    .status = 200,
    .response = &SCHEMA_UNIT_LIST,
    .response_description = "The units",
};

/* ---- handlers ------------------------------------------------------------------------ */

void h_api_plans(req *r, resp *w)
{
    plan_list_view v;
    if (store_plan_list(r->db, !can_read_internal(r), true, &v.plans, &v.n) != DB_OK) {
        resp_json_error(w, 500, "internal", _("Không đọc được kế hoạch."), NULL);
        return;
    }
    api_reply(w, 200, &SCHEMA_PLAN_LIST, &v);
    plan_rows_free(v.plans, v.n);
}

void h_api_plan(req *r, resp *w)
{
    plan_view v = {0};
    if (!store_plan_get(r->db, req_param_id(r, 0), !can_read_internal(r), &v.plan)) {
        resp_json_error(w, 404, "not_found", _("Không tìm thấy kế hoạch."), NULL);
        return;
    }
    if (store_area_list(r->db, v.plan.id, &v.areas, &v.n) != DB_OK) {
        plan_row_free(&v.plan);
        resp_json_error(w, 500, "internal", _("Không đọc được danh sách lĩnh vực."), NULL);
        return;
    }
    api_reply(w, 200, &SCHEMA_PLAN_DETAIL, &v);
    area_rows_free(v.areas, v.n);
    plan_row_free(&v.plan);
}

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

/* Copies a unit of the store's callback into the list (strings owned by the list). */
static void unit_collect(const unit_row *u, void *ctx)
{
    unit_list_view *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        unit_view *grown = realloc(l->units, (size_t)cap * sizeof *grown);
        if (!grown) return;
        l->units = grown;
        l->cap = cap;
    }
    l->units[l->n++] = (unit_view){u->id, u->parent_id, strdup(u->code), strdup(u->name),
                                   strdup(u->short_name ? u->short_name : ""), strdup(u->kind),
                                   dup_or_null(u->valid_from), dup_or_null(u->valid_to), u->parent_id != 0};
}

static void unit_list_free(unit_list_view *l)
{
    for (int i = 0; i < l->n; i++) {
        unit_view *u = &l->units[i];
        free(u->code); free(u->name); free(u->short_name); free(u->kind); free(u->valid_from); free(u->valid_to);
    }
    free(l->units);
}

void h_api_units(req *r, resp *w)
{
    unit_list_view l = {0};
    if (store_unit_list(r->db, req_query(r, "active_on"), unit_collect, &l) != DB_OK) {
        unit_list_free(&l);
        resp_json_error(w, 500, "internal", _("Không đọc được danh sách đơn vị."), NULL);
        return;
    }
    api_reply(w, 200, &SCHEMA_UNIT_LIST, &l);
    unit_list_free(&l);
}
