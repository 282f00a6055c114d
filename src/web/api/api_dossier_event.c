/* POST /api/v1/dossiers/{code}/events: the state machine (core/onestop/
 * dossier.c) decides whether the event may happen in the dossier's state and
 * who may send it; this file works out the change (clock pause, due date,
 * step and holder, apology) and stores it with its timeline event. */
#include "web/handlers.h"
#include "web/api/api_dossier_event.h"
#include "web/api/api_dossier_view.h"
#include "web/api/api_op.h"
#include "calendar_current.h"
#include "core/i18n.h"
#include "core/onestop/dossier.h"
#include "core/plan_import.h"
#include "store/store_unit.h"
#include "store/store_user.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

extern const api_op OP_POST_DOSSIER_EVENT;

/* What one event changes, worked out before the write. */
typedef struct {
    req *r;
    resp *w;
    const dossier_row *x;
    const procedure *p;
    const event_request *in;
    dossier_event ev;
    int64_t now;
    dossier_change c;
    char now_iso[32], due_iso[32], apology_due_iso[32], details[1024];
    const char *step_result;
} event_work;

static bool refuse(event_work *k, int status, const char *code, const char *message, const char *field)
{
    resp_error(k->r, k->w, status, code, message, field);
    return false;
}

/* The moment the current step began: the last reception or transfer. */
static int64_t step_started(const dossier_event_row *ev, int n, int64_t fallback)
{
    int64_t at = fallback;
    for (int i = 0; i < n; i++)
        if (!strcmp(ev[i].event, "receive") || !strcmp(ev[i].event, "transfer")) dossier_time_parse(ev[i].at, &at);
    return at;
}

/* Moves to the next step of the process and rates the finished one. */
static bool plan_transfer(event_work *k, const dossier_event_row *ev, int nev)
{
    int step = k->x->m.step;
    if (step >= k->p->nsteps) return refuse(k, 409, "invalid_transition", _("Hồ sơ đã ở bước cuối của quy trình."), "event");
    const proc_step *next = &k->p->steps[step];
    int64_t unit = store_unit_id_by_code(k->r->db, next->unit);
    if (unit <= 0) return refuse(k, 500, "internal", _("Đơn vị của bước tiếp theo không còn trong danh mục."), NULL);
    if (step >= 1) {
        const proc_step *cur = &k->p->steps[step - 1];
        int64_t start = step_started(ev, nev, k->now);
        dl_duration budget = !strcmp(cur->budget.unit, "working_hours") ? (dl_duration){DL_UNIT_WORKING_HOURS, cur->budget.value}
                                                                          : (dl_duration){DL_UNIT_WORKING_DAYS, cur->budget.value};
        dl_deadline dl = dl_make(cal_current(), start, budget);
        dl.rule.mode = DL_START_SAME_DAY;
        dl_result res;
        if (dl_compute(&dl, k->now, &res, NULL, 0))
            k->step_result = dossier_step_result(k->now, res.due_at, res.working_minutes_left,
                                                 (int64_t)procedure_budget_hours(&cur->budget) * 60);
    }
    k->c.event_step = step;
    k->c.from_unit_id = k->x->holder_unit_id;
    k->c.to_unit_id = unit;
    k->c.m.step = step + 1;
    k->c.m.holder_unit_id = unit;
    return true;
}

/* A second supplementation request needs a reason, a legal basis and a leader's approval. */
static bool plan_supplement(event_work *k)
{
    if (k->x->m.supplement_requests >= 1) {
        user_row leader;
        if (!k->in->reason || !*k->in->reason) return refuse(k, 422, "required", _("Yêu cầu bổ sung lần thứ hai phải nêu lý do."), "reason");
        if (!k->in->legal_basis || !*k->in->legal_basis)
            return refuse(k, 422, "required", _("Yêu cầu bổ sung lần thứ hai phải nêu căn cứ pháp lý."), "legal_basis");
        if (!k->in->approved_by || !store_user_by_name(k->r->db, k->in->approved_by, &leader) || leader.role != ROLE_LEADER)
            return refuse(k, 422, "invalid_value", _("Yêu cầu bổ sung lần thứ hai phải được lãnh đạo Sở đồng ý."), "approved_by");
        snprintf(k->details, sizeof k->details, "{\"second_request\":true,\"approved_by\":\"%s\"}", leader.username);
        k->c.details = k->details;
    }
    k->c.m.paused_since = k->now_iso;
    k->c.m.supplement_requests = k->x->m.supplement_requests + 1;
    return true;
}

/* The applicant brought the supplement: the pause ends and the due date moves by it. */
static bool plan_resume(event_work *k, const dossier_event_row *ev, int nev)
{
    int64_t since, received;
    if (!dossier_time_parse(k->x->m.paused_since, &since) || !dossier_time_parse(k->x->received_at, &received))
        return refuse(k, 500, "internal", _("Thời điểm tạm dừng không đọc được."), NULL);
    dl_pause pauses[DOSSIER_MAX_PAUSES];
    int np = dossier_pauses(ev, nev, pauses, NULL, DOSSIER_MAX_PAUSES);
    if (np > 0 && pauses[np - 1].to == DL_OPEN) pauses[np - 1].to = k->now;
    int64_t due;
    if (!dossier_due(k->p, received, pauses, np, k->now, &due)) return refuse(k, 500, "internal", _("Không tính được hạn mới."), NULL);
    k->c.m.paused_since = NULL;
    k->c.m.paused_minutes = k->x->m.paused_minutes + (k->now - since);
    if (!k->x->m.apology_due_at) k->c.m.due_at = dossier_time_format(due, k->due_iso);
    return true;
}

/* An apology with a new return date: once, and no later than one working day before the due date. */
static bool plan_apology(event_work *k)
{
    int64_t due, new_due;
    int32_t new_day;
    if (k->x->m.apology_at) return refuse(k, 409, "invalid_transition", _("Hồ sơ đã có văn bản xin lỗi và hẹn lại: chỉ được hẹn lại một lần."), "event");
    if (!k->in->reason || !*k->in->reason) return refuse(k, 422, "required", _("Nêu lý do chậm trả kết quả."), "reason");
    if (!k->in->new_due_on || !cal_parse_iso(k->in->new_due_on, &new_day))
        return refuse(k, 422, "required", _("Nêu ngày hẹn trả kết quả mới."), "new_due_on");
    if (!dossier_time_parse(k->x->m.due_at, &due)) return refuse(k, 500, "internal", _("Hạn giải quyết không đọc được."), NULL);
    int32_t today = (int32_t)(k->now / 1440), due_day = (int32_t)(due / 1440);
    if (cal_working_days_between(cal_current(), today, due_day) < 1)
        return refuse(k, 422, "too_late", _("Văn bản xin lỗi phải gửi chậm nhất trước hạn trả kết quả một ngày làm việc."), "event");
    if (new_day <= due_day) return refuse(k, 422, "invalid_date", _("Ngày hẹn mới phải sau hạn trả kết quả hiện tại."), "new_due_on");
    new_due = (int64_t)new_day * 1440 + due % 1440;
    dossier_time_format(new_due, k->apology_due_iso);
    k->c.m.apology_at = k->now_iso;
    k->c.m.apology_due_at = k->apology_due_iso;
    k->c.m.due_at = k->apology_due_iso;
    if (!k->c.note || !*k->c.note) k->c.note = k->in->reason;
    return true;
}

/* Fills k->c for the event; false with the answer written. */
static bool plan_event(event_work *k, dossier_state next, const dossier_event_row *ev, int nev)
{
    const dossier_row *x = k->x;
    k->c = (dossier_change){.code = x->code, .expect_state = x->m.state, .expect_updated_at = x->updated_at, .m = x->m,
                            .event = dossier_event_id(k->ev), .at = k->now_iso, .note = k->in->note ? k->in->note : "",
                            .user_id = k->r->user.id, .username = k->r->user.username};
    k->c.m.state = dossier_state_id(next);
    bool ok = true;
    switch (k->ev) {
    case DE_TRANSFER: ok = plan_transfer(k, ev, nev); break;
    case DE_REQUEST_SUPPLEMENT: ok = plan_supplement(k); break;
    case DE_SUPPLEMENT_RECEIVED: ok = plan_resume(k, ev, nev); break;
    case DE_APOLOGISE: ok = plan_apology(k); break;
    case DE_SIGN: case DE_STOP: case DE_WITHDRAW: case DE_REFUSE: k->c.m.finished_at = k->now_iso; break;
    case DE_RETURN: k->c.m.returned_at = k->now_iso; break;
    default: break;
    }
    k->c.step_result = k->step_result;
    return ok;
}

/* Checks role, unit and transition; false with the answer written. */
static bool event_allowed(event_work *k, dossier_state *next)
{
    if (!dossier_event_role_allowed(k->ev, k->r->user.role))
        return refuse(k, 403, "forbidden", _("Vai trò của bạn không thực hiện được thao tác này."), "event");
    bool all = dossier_role_sees_all(k->r->user.role);
    if (!all && k->r->user.unit_id != k->x->holder_unit_id)
        return refuse(k, 403, "forbidden", _("Hồ sơ không do đơn vị của bạn đang giữ."), NULL);
    dossier_state st = (dossier_state)dossier_state_parse(k->x->m.state);
    if (!dossier_next_state(st, k->ev, next)) {
        char msg[256];
        snprintf(msg, sizeof msg, _("Không thực hiện được \"%s\" khi hồ sơ ở trạng thái \"%s\" (%s)."), k->in->event,
                 dossier_state_label(st), k->x->m.state);
        resp_error(k->r, k->w, 409, "invalid_transition", msg, "state");
        return false;
    }
    return true;
}

static void apply_event(req *r, resp *w, const event_request *in, const dossier_row *x, const procedure *p, bool html)
{
    event_work k = {.r = r, .w = w, .x = x, .p = p, .in = in, .ev = (dossier_event)dossier_event_parse(in->event),
                    .now = dossier_moment_of_unix(db_now())};
    dossier_time_format(k.now, k.now_iso);
    dossier_state next;
    if (!event_allowed(&k, &next)) return;
    dossier_event_row *ev = NULL;
    int nev = 0;
    if (store_dossier_events(r->db, x->id, &ev, &nev) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    bool planned = plan_event(&k, next, ev, nev);
    dossier_events_free(ev, nev);
    if (!planned) return;
    int rc = store_dossier_apply(r->db, &k.c);
    dossier_row after;
    if (rc == DB_DONE) resp_error(r, w, 409, "retry", _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại."), NULL);
    else if (rc != DB_OK) resp_error(r, w, 500, "internal", _("Không ghi được."), NULL);
    else if (html) {
        char loc[128];
        snprintf(loc, sizeof loc, "/dossiers/%s?ok=1", x->code);
        resp_redirect(w, loc);
    } else if (!store_dossier_get(r->db, x->code, &after)) resp_error(r, w, 500, "internal", _("Không ghi được."), NULL);
    else {
        dossier_reply(r, w, 200, &after, false, true);
        dossier_row_free(&after);
    }
}

void dossier_event_run(req *r, resp *w, const char *code, const event_request *in, bool html)
{
    dossier_row x = {0};
    procedure_doc pd = {0};
    if (dossier_event_parse(in->event) < 0) { resp_error(r, w, 422, "invalid_value", _("Thao tác không hợp lệ."), "event"); return; }
    /* the limits of DossierEventRequest, for the page's form too */
    const struct { const char *v; size_t max; const char *field; } texts[] = {
        {in->note, 2000, "note"}, {in->reason, 2000, "reason"}, {in->legal_basis, 500, "legal_basis"},
        {in->approved_by, 64, "approved_by"}, {in->new_due_on, 10, "new_due_on"}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].v && (strlen(texts[i].v) > texts[i].max || !pi_valid_utf8_text(texts[i].v, strlen(texts[i].v)))) {
            resp_error(r, w, 422, "too_long", _("Nội dung quá dài hoặc không phải văn bản hợp lệ."), texts[i].field);
            return;
        }
    if (!store_dossier_get(r->db, code, &x)) { resp_error(r, w, 404, "not_found", _("Không tìm thấy hồ sơ."), NULL); return; }
    if (!procedure_doc_load(r->db, x.procedure_version_id, &pd)) resp_error(r, w, 500, "internal", _("Không đọc được thủ tục."), NULL);
    else apply_event(r, w, in, &x, &pd.p, html);
    procedure_doc_free(&pd);
    dossier_row_free(&x);
}

void h_api_dossier_event(req *r, resp *w)
{
    if (!api_require_json(r, w)) return;
    event_request in = {0};
    json_t *doc = NULL;
    if (api_parse_body(&OP_POST_DOSSIER_EVENT, r, w, &doc, &in)) dossier_event_run(r, w, r->params[0], &in, false);
    json_decref(doc);
}
