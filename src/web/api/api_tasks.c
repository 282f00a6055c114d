/* JSON API: the tasks of a plan, one task, and posting a progress update.
 * The same filters, permissions and update path as the HTML pages. */
#include "web/handlers.h"
#include "web/api/api_op.h"
#include "web/api/schemas.h"
#include "web/common.h"
#include "web/task_update.h"
#include "calendar_current.h"
#include "core/i18n.h"
#include "store/store_task.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_PER_PAGE 50

/* ---- objects ------------------------------------------------------------------ */

typedef struct { const char *kind, *start, *due; } deadline_view;
static const js_field DEADLINE_FIELDS[] = {
    {.name = "kind", .type = JS_STRING, .offset = offsetof(deadline_view, kind),
     .enums = (const char *const[]){"fixed", "event", "range", "recurring", "unparsed", NULL},
     .description = "How the plan's deadline text was read; unparsed: it needs a date from the Office"},
    {.name = "start", .type = JS_DATE, .offset = offsetof(deadline_view, start), .flags = JF_NULLABLE},
    {.name = "due", .type = JS_DATE, .offset = offsetof(deadline_view, due), .flags = JF_NULLABLE},
};
static JS_SCHEMA(SCHEMA_DEADLINE, "Deadline", deadline_view, "The deadline as parsed from the plan's text", DEADLINE_FIELDS);

typedef struct {
    int64_t id, plan_id;
    const char *area, *area_title, *number, *title, *product, *deadline_text, *status, *due_state, *updated_at;
    unit_ref lead;
    const unit_ref *coord;
    int ncoord, percent, overdue_working_days;
    deadline_view deadline;
    bool overdue, calendar_provisional, needs_date;
} task_view;
static const js_field TASK_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(task_view, id), .example = "17"},
    {.name = "plan_id", .type = JS_INT64, .offset = offsetof(task_view, plan_id), .example = "1"},
    {.name = "area", .type = JS_STRING, .offset = offsetof(task_view, area), .flags = JF_NULLABLE, .example = "\"II\""},
    {.name = "area_title", .type = JS_STRING, .offset = offsetof(task_view, area_title), .flags = JF_NULLABLE, .example = "\"Cải cách thể chế\""},
    {.name = "number", .type = JS_STRING, .offset = offsetof(task_view, number), .example = "\"5\""},
    {.name = "title", .type = JS_STRING, .offset = offsetof(task_view, title), .example = "\"Rà soát văn bản quy phạm pháp luật\""},
    {.name = "lead_unit", .type = JS_OBJECT, .offset = offsetof(task_view, lead), .ref = &SCHEMA_UNIT_REF, .description = "The lead unit (chủ trì)"},
    {.name = "coordinating_units", .type = JS_ARRAY, .offset = offsetof(task_view, coord), .ref = &SCHEMA_UNIT_REF, .count_at = offsetof(task_view, ncoord),
     .description = "Coordinating units (phối hợp)"},
    {.name = "product", .type = JS_STRING, .offset = offsetof(task_view, product), .example = "\"Báo cáo kết quả rà soát\""},
    {.name = "deadline_text", .type = JS_STRING, .offset = offsetof(task_view, deadline_text), .example = "\"Quý I/2022\""},
    {.name = "deadline", .type = JS_OBJECT, .offset = offsetof(task_view, deadline), .ref = &SCHEMA_DEADLINE},
    {.name = "status", .type = JS_STRING, .offset = offsetof(task_view, status), .enums = TASK_STATUS_IDS},
    {.name = "percent", .type = JS_INT, .offset = offsetof(task_view, percent), .ranged = true, .min = 0, .max = 100, .example = "40"},
    {.name = "overdue", .type = JS_BOOL, .offset = offsetof(task_view, overdue)},
    {.name = "due_state", .type = JS_STRING, .offset = offsetof(task_view, due_state), .enums = DUE_STATE_IDS},
    {.name = "overdue_working_days", .type = JS_INT, .offset = offsetof(task_view, overdue_working_days), .flags = JF_OPTIONAL, .ranged = true, .min = 1, .max = INT32_MAX,
     .example = "3", .description = "Working days past the due date, when overdue"},
    {.name = "calendar_provisional", .type = JS_BOOL, .offset = offsetof(task_view, calendar_provisional), .flags = JF_OPTIONAL,
     .description = "true when the due year has no official holiday schedule yet"},
    {.name = "needs_date", .type = JS_BOOL, .offset = offsetof(task_view, needs_date), .flags = JF_OPTIONAL, .description = "true when the Office must set a date"},
    {.name = "updated_at", .type = JS_STRING, .offset = offsetof(task_view, updated_at), .flags = JF_OPTIONAL, .example = "\"2022-03-02T08:15:00Z\"",
     .description = "Last change (internal readers only)"},
};
static JS_SCHEMA(SCHEMA_TASK, "Task", task_view, "A task (nhiệm vụ) of a plan with its due state today", TASK_FIELDS);

typedef struct { task_view *tasks; int n, total, page, per_page; } task_page_view;
static const js_field TASK_PAGE_FIELDS[] = {
    {.name = "tasks", .type = JS_ARRAY, .offset = offsetof(task_page_view, tasks), .ref = &SCHEMA_TASK, .count_at = offsetof(task_page_view, n)},
    {.name = "total", .type = JS_INT, .offset = offsetof(task_page_view, total), .ranged = true, .min = 0, .max = INT32_MAX, .example = "47",
     .description = "Matching tasks over all pages"},
    {.name = "page", .type = JS_INT, .offset = offsetof(task_page_view, page), .ranged = true, .min = 1, .max = 100000, .example = "1"},
    {.name = "per_page", .type = JS_INT, .offset = offsetof(task_page_view, per_page), .ranged = true, .min = 1, .max = 1000, .example = "50"},
};
static JS_SCHEMA(SCHEMA_TASK_PAGE, "TaskPage", task_page_view, "One page of matching tasks", TASK_PAGE_FIELDS);

typedef struct { const char *status, *note; int percent; bool has_percent, public_files; } update_request;
static const js_field UPDATE_REQUEST_FIELDS[] = {
    {.name = "status", .type = JS_STRING, .offset = offsetof(update_request, status), .enums = TASK_STATUS_IDS},
    {.name = "percent", .type = JS_INT, .offset = offsetof(update_request, percent), .flags = JF_OPTIONAL | JF_HAS, .has_at = offsetof(update_request, has_percent),
     .ranged = true, .min = 0, .max = 100, .example = "60"},
    {.name = "note", .type = JS_STRING, .offset = offsetof(update_request, note), .flags = JF_OPTIONAL, .max_len = 4000,
     .example = "\"Đã hoàn thành rà soát 12 văn bản\""},
    {.name = "public", .type = JS_BOOL, .offset = offsetof(update_request, public_files), .flags = JF_OPTIONAL,
     .description = "Publish the evidence files on the public plan page (lead unit only)"},
};
static JS_SCHEMA(SCHEMA_UPDATE_REQUEST, "TaskUpdateRequest", update_request, "A progress update", UPDATE_REQUEST_FIELDS);

typedef struct { int64_t update_id; task_view task; } update_result;
static const js_field UPDATE_RESULT_FIELDS[] = {
    {.name = "update_id", .type = JS_INT64, .offset = offsetof(update_result, update_id), .example = "230"},
    {.name = "task", .type = JS_OBJECT, .offset = offsetof(update_result, task), .ref = &SCHEMA_TASK, .description = "The task after the update"},
};
static JS_SCHEMA(SCHEMA_UPDATE_RESULT, "TaskUpdateResult", update_result, "The recorded update", UPDATE_RESULT_FIELDS);

/* ---- operations ------------------------------------------------------------------ */

static const char *const DEADLINE_KINDS[] = {"event", "recurring", "unparsed", NULL};
static const api_param PLAN_TASKS_PARAMS[] = {
    {PARAM_PATH, true, {.name = "id", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .example = "1", .description = "Plan id"}},
    {PARAM_QUERY, false, {.name = "area", .type = JS_STRING, .max_len = 32, .example = "\"II\"", .description = "An area id, or its numeral as the plan writes it"}},
    {PARAM_QUERY, false, {.name = "unit", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .description = "Lead unit id"}},
    {PARAM_QUERY, false, {.name = "coord", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .description = "Coordinating unit id"}},
    {PARAM_QUERY, false, {.name = "status", .type = JS_STRING, .enums = TASK_STATUS_IDS}},
    {PARAM_QUERY, false, {.name = "kind", .type = JS_STRING, .enums = DEADLINE_KINDS, .description = "Open tasks whose deadline is of this kind"}},
    {PARAM_QUERY, false, {.name = "overdue", .type = JS_INT, .ranged = true, .min = 0, .max = 1, .description = "1: open tasks past their due date"}},
    {PARAM_QUERY, false, {.name = "due_soon", .type = JS_INT, .ranged = true, .min = 0, .max = 1, .description = "1: open tasks due within the configured working days"}},
    {PARAM_QUERY, false, {.name = "due_from", .type = JS_STRING, .max_len = 10, .example = "\"2022-01-01\"", .description = "Due on or after (YYYY-MM-DD or dd/mm/yyyy)"}},
    {PARAM_QUERY, false, {.name = "due_to", .type = JS_STRING, .max_len = 10, .example = "\"31/03/2022\"", .description = "Due on or before (YYYY-MM-DD or dd/mm/yyyy)"}},
    {PARAM_QUERY, false, {.name = "q", .type = JS_STRING, .max_len = 200, .example = "\"dang ky\"", .description = "Words to find; accents and đ are ignored"}},
    {PARAM_QUERY, false, {.name = "page", .type = JS_INT, .ranged = true, .min = 1, .max = 100000, .example = "1"}},
};
static const api_param TASK_ID_PARAM[] = {
    {PARAM_PATH, true, {.name = "id", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .example = "17", .description = "Task id"}},
};
static const int E_PLAN_TASKS[] = {404, 0};
static const int E_TASK[] = {404, 0};
static const int E_UPDATE[] = {404, 415, 422, 0};

const api_op OP_LIST_PLAN_TASKS = {
    .id = "listPlanTasks",
    .tag = "tasks",
    .description = "Filters combine; 50 tasks per page.",
    API_PARAMS(PLAN_TASKS_PARAMS),
    .status = 200,
    .response = &SCHEMA_TASK_PAGE,
    .response_description = "A page of tasks",
    .errors = E_PLAN_TASKS,
};
const api_op OP_GET_TASK = {
    .id = "getTask",
    .tag = "tasks",
    .description = "Anonymous callers can read tasks of published plans only.",
    API_PARAMS(TASK_ID_PARAM),
    .status = 200,
    .response = &SCHEMA_TASK,
    .response_description = "The task",
    .errors = E_TASK,
};
const api_op OP_POST_TASK_UPDATE = {
    .id = "postTaskUpdate",
    .tag = "tasks",
    .description = "A unit officer may update only the tasks its unit leads or coordinates. As multipart/form-data "
                   "the same fields come as text (public=1) with evidence files in \"files\".",
    API_PARAMS(TASK_ID_PARAM),
    .request = &SCHEMA_UPDATE_REQUEST,
    .multipart = true,
    .status = 201,
    .response = &SCHEMA_UPDATE_RESULT,
    .response_description = "The update was recorded",
    .errors = E_UPDATE,
};

/* ---- handlers ------------------------------------------------------------------------ */

/* Fills v from t as the caller may see it (updated_at for internal readers). */
static void task_view_fill(const req *r, const task_row *t, bool internal, task_view *v)
{
    due_info d = task_due(r, t);
    int32_t due;
    int y, m, dd;
    bool provisional = false;
    if (t->dl_due && cal_parse_iso(t->dl_due, &due)) {
        cal_ymd_from_jdn(due, &y, &m, &dd);
        provisional = cal_year_status_of(cal_current(), y) == CAL_YEAR_PROVISIONAL;
    }
    *v = (task_view){
        .id = t->id, .plan_id = t->plan_id, .area = t->area_no, .area_title = t->area_title, .number = t->number,
        .title = t->title, .product = t->product, .deadline_text = t->deadline_text, .status = status_id(t->status),
        .due_state = due_state_id(d.state), .updated_at = internal ? t->updated_at : NULL, .lead = t->lead,
        .coord = t->coord, .ncoord = t->ncoord, .percent = t->status == ST_DONE ? 100 : t->percent,
        .overdue_working_days = d.state == DUE_OVERDUE ? d.working_days : 0,
        .deadline = {t->needs_date ? "unparsed" : t->dl_kind, t->dl_start, t->dl_due},
        .overdue = d.state == DUE_OVERDUE, .calendar_provisional = provisional, .needs_date = t->needs_date};
}

void h_api_plan_tasks(req *r, resp *w)
{
    plan_row p;
    int64_t plan_id = req_param_id(r, 0);
    if (!store_plan_get(r->db, plan_id, !can_read_internal(r), &p)) {
        resp_json_error(w, 404, "not_found", _("Không tìm thấy kế hoạch."), NULL);
        return;
    }
    plan_row_free(&p);
    filter_args a;
    /* The plan of the path; ?area= is resolved within it (an id or a numeral, see common.h). */
    if (!parse_task_filter_plan(r, w, &a, API_PER_PAGE, plan_id)) return;
    task_list l;
    if (store_task_find(r->db, &a.f, &l) != DB_OK) {
        resp_json_error(w, 500, "internal", _("Không đọc được danh sách nhiệm vụ."), NULL);
        return;
    }
    task_page_view v = {calloc((size_t)l.n + 1, sizeof(task_view)), l.n, l.total, a.f.page, API_PER_PAGE};
    if (!v.tasks) {
        task_list_free(&l);
        resp_json_error(w, 500, "oom", _("Máy chủ hết bộ nhớ."), NULL);
        return;
    }
    for (int i = 0; i < l.n; i++) task_view_fill(r, &l.rows[i], can_read_internal(r), &v.tasks[i]);
    api_reply(w, 200, &SCHEMA_TASK_PAGE, &v);
    free(v.tasks);
    task_list_free(&l);
}

void h_api_task(req *r, resp *w)
{
    task_row t;
    if (!store_task_get(r->db, req_param_id(r, 0), &t)) {
        resp_json_error(w, 404, "not_found", _("Không tìm thấy nhiệm vụ."), NULL);
        return;
    }
    if (!can_read_internal(r) && !t.plan_public) {
        task_row_free(&t);
        resp_json_error(w, 404, "not_found", _("Không tìm thấy nhiệm vụ."), NULL);
        return;
    }
    task_view v;
    task_view_fill(r, &t, can_read_internal(r), &v);
    api_reply(w, 200, &SCHEMA_TASK, &v);
    task_row_free(&t);
}

/* The update's fields from a JSON or multipart body; false when w holds an error.
 * *doc owns the JSON strings (the caller json_decref()s it). */
static bool read_update(req *r, resp *w, json_t **doc, update_fields *in, char percent[16])
{
    if (strncasecmp(r->content_type, "application/json", 16) == 0) {
        update_request u = {0};
        if (!api_parse_body(&OP_POST_TASK_UPDATE, r, w, doc, &u)) return false;
        if (u.has_percent) snprintf(percent, 16, "%d", u.percent);
        *in = (update_fields){u.status, u.has_percent ? percent : NULL, u.note, u.public_files};
        return true;
    }
    if (strncasecmp(r->content_type, "multipart/form-data", 19) == 0) {
        const char *pub = req_form(r, "public");
        *in = (update_fields){req_form(r, "status"), req_form(r, "percent"), req_form(r, "note"), pub && !strcmp(pub, "1")};
        return true;
    }
    resp_json_error(w, 415, "unsupported_content_type", _("Gửi application/json hoặc multipart/form-data."), "Content-Type");
    return false;
}

void h_api_task_update(req *r, resp *w)
{
    update_fields in = {0};
    json_t *doc = NULL;
    char percent[16];
    if (!read_update(r, w, &doc, &in, percent)) { json_decref(doc); return; }
    update_error err = {0};
    int64_t id = task_update_apply(r, req_param_id(r, 0), &in, &err);
    json_decref(doc);
    if (id <= 0) { resp_json_error(w, err.status, err.code, err.message, err.field); return; }
    task_row t;
    if (!store_task_get(r->db, req_param_id(r, 0), &t)) {
        resp_json_error(w, 500, "internal", _("Đã ghi cập nhật nhưng không đọc lại được nhiệm vụ."), NULL);
        return;
    }
    update_result res = {.update_id = id};
    task_view_fill(r, &t, true, &res.task);
    api_reply(w, 201, &SCHEMA_UPDATE_RESULT, &res);
    task_row_free(&t);
}
