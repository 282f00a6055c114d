/* JSON API of the reporting periods: the list, and one period with the units'
 * submissions and the data of the department report (its targets). */
#include "web/handlers.h"
#include "web/api/api_op.h"
#include "web/api/schemas.h"
#include "core/i18n.h"
#include "store/store_report.h"
#include "store/store_target.h"
#include <stdlib.h>

/* ---- objects ------------------------------------------------------------------ */

typedef struct { int64_t id, plan_id; const char *kind, *due_on, *status; int year; } period_view;
static const js_field PERIOD_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(period_view, id), .example = "2"},
    {.name = "plan_id", .type = JS_INT64, .offset = offsetof(period_view, plan_id), .example = "1"},
    {.name = "kind", .type = JS_STRING, .offset = offsetof(period_view, kind), .enums = PERIOD_KIND_IDS, .description = "q1, h1 (6 months), q3 or year"},
    {.name = "year", .type = JS_INT, .offset = offsetof(period_view, year), .example = "2022"},
    {.name = "due_on", .type = JS_DATE, .offset = offsetof(period_view, due_on), .example = "\"2022-06-05\""},
    {.name = "status", .type = JS_STRING, .offset = offsetof(period_view, status), .enums = (const char *const[]){"open", "closed", NULL}},
};
static JS_SCHEMA(SCHEMA_PERIOD, "ReportPeriod", period_view, "A reporting period of a plan", PERIOD_FIELDS);

typedef struct { period_view *periods; int n; } period_list_view;
static const js_field PERIOD_LIST_FIELDS[] = {
    {.name = "periods", .type = JS_ARRAY, .offset = offsetof(period_list_view, periods), .ref = &SCHEMA_PERIOD, .count_at = offsetof(period_list_view, n)},
};
static JS_SCHEMA(SCHEMA_PERIOD_LIST, "ReportPeriodList", period_list_view, "Reporting periods, newest first", PERIOD_LIST_FIELDS);

static const js_field SUBMISSION_FIELDS[] = {
    {.name = "unit_id", .type = JS_INT64, .offset = offsetof(submission_row, unit_id), .example = "12"},
    {.name = "unit", .type = JS_STRING, .offset = offsetof(submission_row, unit_name), .example = "\"Thanh tra Sở\""},
    {.name = "submitted", .type = JS_BOOL, .offset = offsetof(submission_row, submitted)},
    {.name = "approved", .type = JS_BOOL, .offset = offsetof(submission_row, approved)},
    {.name = "submitted_at", .type = JS_STRING, .offset = offsetof(submission_row, submitted_at), .flags = JF_OPTIONAL, .example = "\"2022-06-03T09:00:00Z\""},
};
static JS_SCHEMA(SCHEMA_SUBMISSION, "UnitSubmission", submission_row, "A unit expected to report, and its report's state",
                 SUBMISSION_FIELDS);

typedef struct { period_view period; submission_row *subs; target_view *targets; int nsubs, ntargets; } period_detail_view;
static const js_field PERIOD_DETAIL_FIELDS[] = {
    {.name = "period", .type = JS_OBJECT, .offset = offsetof(period_detail_view, period), .flags = JF_INLINE, .ref = &SCHEMA_PERIOD},
    {.name = "submissions", .type = JS_ARRAY, .offset = offsetof(period_detail_view, subs), .ref = &SCHEMA_SUBMISSION, .count_at = offsetof(period_detail_view, nsubs)},
    {.name = "targets", .type = JS_ARRAY, .offset = offsetof(period_detail_view, targets), .ref = &SCHEMA_TARGET, .count_at = offsetof(period_detail_view, ntargets)},
};
static JS_SCHEMA(SCHEMA_PERIOD_DETAIL, "ReportPeriodDetail", period_detail_view,
                 "A period (the fields of ReportPeriod) with the units' submissions and the plan's targets", PERIOD_DETAIL_FIELDS);

/* ---- operations ------------------------------------------------------------------ */

static const api_param PERIOD_ID_PARAM[] = {
    {PARAM_PATH, true, {.name = "id", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .example = "2", .description = "Period id"}},
};
static const int E_NOT_FOUND[] = {404, 0};

const api_op OP_LIST_REPORT_PERIODS = {
    .id = "listReportPeriods",
    .tag = "reports",
    .status = 200,
    .response = &SCHEMA_PERIOD_LIST,
    .response_description = "The periods",
};
const api_op OP_GET_REPORT_PERIOD = {
    .id = "getReportPeriod",
    .tag = "reports",
    API_PARAMS(PERIOD_ID_PARAM),
    .status = 200,
    .response = &SCHEMA_PERIOD_DETAIL,
    .response_description = "The period",
    .errors = E_NOT_FOUND,
};

/* ---- handlers ------------------------------------------------------------------------ */

static period_view period_view_of(const period_row *p)
{
    return (period_view){p->id, p->plan_id, period_id(p->kind), p->due_on, p->status, p->year};
}

void h_api_reports(req *r, resp *w)
{
    period_row *p;
    period_list_view v = {0};
    if (store_period_list(r->db, &p, &v.n) != DB_OK) { resp_json_error(w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    v.periods = calloc((size_t)v.n + 1, sizeof *v.periods);
    if (!v.periods) { free(p); resp_json_error(w, 500, "oom", _("Máy chủ hết bộ nhớ."), NULL); return; }
    for (int i = 0; i < v.n; i++) v.periods[i] = period_view_of(&p[i]);
    api_reply(w, 200, &SCHEMA_PERIOD_LIST, &v);
    free(v.periods);
    free(p);
}

void h_api_report_period(req *r, resp *w)
{
    period_row p;
    if (!store_period_get(r->db, req_param_id(r, 0), &p)) { resp_json_error(w, 404, "not_found", _("Không tìm thấy kỳ báo cáo."), NULL); return; }
    period_detail_view v = {.period = period_view_of(&p)};
    if (store_period_submissions(r->db, p.id, &v.subs, &v.nsubs) != DB_OK) { resp_json_error(w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    target_row *rows = NULL;
    int nt = 0;
    if (store_target_list(r->db, p.plan_id, &rows, &nt) != DB_OK) {
        submission_rows_free(v.subs, v.nsubs);
        resp_json_error(w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL);
        return;
    }
    v.targets = calloc((size_t)nt + 1, sizeof *v.targets);
    if (v.targets) {
        v.ntargets = nt;
        for (int i = 0; i < nt; i++) target_view_fill(r, &rows[i], &v.targets[i]);
        api_reply(w, 200, &SCHEMA_PERIOD_DETAIL, &v);
    } else {
        resp_json_error(w, 500, "oom", _("Máy chủ hết bộ nhớ."), NULL);
    }
    free(v.targets);
    target_rows_free(rows, nt);
    submission_rows_free(v.subs, v.nsubs);
}
