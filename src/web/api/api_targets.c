/* JSON API of the targets (chỉ tiêu) of a plan with today's verdicts. */
#include "web/handlers.h"
#include "web/api/api_op.h"
#include "web/api/schemas.h"
#include "web/common.h"
#include "core/i18n.h"
#include "store/store_target.h"
#include "store/store_task.h"
#include <stdlib.h>

typedef struct { target_view *targets; int n; } target_list_view;
static const js_field TARGET_LIST_FIELDS[] = {
    {.name = "targets", .type = JS_ARRAY, .offset = offsetof(target_list_view, targets), .ref = &SCHEMA_TARGET, .count_at = offsetof(target_list_view, n)},
};
static JS_SCHEMA(SCHEMA_TARGET_LIST, "TargetList", target_list_view, "Targets the caller may read", TARGET_LIST_FIELDS);

static const api_param TARGETS_PARAMS[] = {
    {PARAM_QUERY, false, {.name = "plan", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .example = "1", .description = "Only this plan's targets"}},
};
static const int E_NOT_FOUND[] = {404, 0};

const api_op OP_LIST_TARGETS = {
    .id = "listTargets",
    .tag = "targets",
    .description = "Figures the system holds the data for are computed, never typed in.",
    API_PARAMS(TARGETS_PARAMS),
    .status = 200,
    .response = &SCHEMA_TARGET_LIST,
    .response_description = "The targets",
    .errors = E_NOT_FOUND,
};

void h_api_targets(req *r, resp *w)
{
    const char *plan = req_query(r, "plan");
    int64_t plan_id = 0;
    if (plan && *plan) parse_int64_strict(plan, 1, INT64_MAX, &plan_id);
    if (plan_id && !can_read_internal(r) && !store_plan_is_public(r->db, plan_id)) {
        resp_json_error(w, 404, "not_found", _("Không tìm thấy kế hoạch."), "plan");
        return;
    }
    target_row *rows;
    int n;
    if (store_target_list(r->db, plan_id, &rows, &n) != DB_OK) {
        resp_json_error(w, 500, "internal", _("Không đọc được danh sách chỉ tiêu."), NULL);
        return;
    }
    target_list_view v = {calloc((size_t)n + 1, sizeof(target_view)), 0};
    if (!v.targets) { target_rows_free(rows, n); resp_json_error(w, 500, "oom", _("Máy chủ hết bộ nhớ."), NULL); return; }
    for (int i = 0; i < n; i++)
        if (can_read_internal(r) || store_plan_is_public(r->db, rows[i].plan_id)) target_view_fill(r, &rows[i], &v.targets[v.n++]);
    api_reply(w, 200, &SCHEMA_TARGET_LIST, &v);
    free(v.targets);
    target_rows_free(rows, n);
}
