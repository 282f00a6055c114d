/* JSON API of the one-stop back office: counter intake, the dossier list and
 * one dossier, and the events that move a dossier (each checked by the state
 * machine of core/onestop/dossier.c: an invalid transition is a 409 naming
 * the state). */
#include "web/handlers.h"
#include "web/api/api_dossier_view.h"
#include "web/api/api_dossier_event.h"
#include "web/api/api_op.h"
#include "calendar_current.h"
#include "config.h"
#include "core/i18n.h"
#include "core/onestop/dossier.h"
#include "core/plan_import.h"
#include "store/onestop/store_procedure.h"
#include "store/store_unit.h"
#include "store/store_user.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const js_schema SCHEMA_DOSSIER, SCHEMA_APPLICANT;
extern const char *const DOSSIER_STATE_IDS[], *const DOSSIER_EVENT_IDS[];

/* ---- objects ------------------------------------------------------------------ */

static const js_field COMPONENT_INPUT_FIELDS[] = {
    {.name = "component_id", .type = JS_INT, .offset = offsetof(component_input, component_id), .ranged = true, .min = 1,
     .max = PROC_MAX_COMPONENTS, .example = "1", .description = "The component's id in the procedure"},
    {.name = "file_ids", .type = JS_STRINGS, .offset = offsetof(component_input, file_ids), .flags = JF_OPTIONAL,
     .count_at = offsetof(component_input, nfiles), .max_len = 10, .example = "[]",
     .description = "SHA-256 of the scans already uploaded (the component then counts as digitised)"},
};
static JS_SCHEMA(SCHEMA_COMPONENT_INPUT, "DossierComponentInput", component_input, "A component received", COMPONENT_INPUT_FIELDS);

static const char *const INTAKE_CHANNELS[] = {"counter", "online", "postal", NULL};
static const js_field INTAKE_FIELDS[] = {
    {.name = "procedure", .type = JS_STRING, .offset = offsetof(intake_request, procedure), .max_len = 32, .example = "\"2.001914\""},
    {.name = "channel", .type = JS_STRING, .offset = offsetof(intake_request, channel), .enums = INTAKE_CHANNELS},
    {.name = "applicant", .type = JS_OBJECT, .offset = offsetof(intake_request, applicant), .ref = &SCHEMA_APPLICANT},
    {.name = "components", .type = JS_ARRAY, .offset = offsetof(intake_request, components), .ref = &SCHEMA_COMPONENT_INPUT,
     .count_at = offsetof(intake_request, ncomponents), .max_len = PROC_MAX_COMPONENTS},
    {.name = "received_at", .type = JS_STRING, .offset = offsetof(intake_request, received_at), .flags = JF_OPTIONAL, .max_len = 32,
     .description = "Back-entry of an earlier reception (admin only): ISO time with +07:00"},
    {.name = "home_service", .type = JS_BOOL, .offset = offsetof(intake_request, home_service), .flags = JF_OPTIONAL},
    {.name = "note", .type = JS_STRING, .offset = offsetof(intake_request, note), .flags = JF_OPTIONAL, .max_len = 2000},
};
static JS_SCHEMA(SCHEMA_INTAKE, "DossierIntake", intake_request, "A dossier received at the counter", INTAKE_FIELDS);

static const js_field EVENT_REQUEST_FIELDS[] = {
    {.name = "event", .type = JS_STRING, .offset = offsetof(event_request, event), .enums = DOSSIER_EVENT_IDS},
    {.name = "note", .type = JS_STRING, .offset = offsetof(event_request, note), .flags = JF_OPTIONAL, .max_len = 2000,
     .description = "What to supplement, the reason to refuse or stop, the step's result…"},
    {.name = "reason", .type = JS_STRING, .offset = offsetof(event_request, reason), .flags = JF_OPTIONAL, .max_len = 2000,
     .description = "A second supplementation request, an apology: why"},
    {.name = "legal_basis", .type = JS_STRING, .offset = offsetof(event_request, legal_basis), .flags = JF_OPTIONAL, .max_len = 500,
     .description = "A second supplementation request: the provision that allows it"},
    {.name = "approved_by", .type = JS_STRING, .offset = offsetof(event_request, approved_by), .flags = JF_OPTIONAL, .max_len = 64,
     .description = "A second supplementation request: the leader (user name) who approved it"},
    {.name = "new_due_on", .type = JS_DATE, .offset = offsetof(event_request, new_due_on), .flags = JF_OPTIONAL,
     .description = "An apology: the new return date"},
};
JS_SCHEMA(SCHEMA_EVENT_REQUEST, "DossierEventRequest", event_request, "An event to apply to a dossier", EVENT_REQUEST_FIELDS);

/* ---- operations ------------------------------------------------------------------ */

static const api_param LIST_PARAMS[] = {
    {PARAM_QUERY, false, {.name = "state", .type = JS_STRING, .enums = DOSSIER_STATE_IDS}},
    {PARAM_QUERY, false, {.name = "procedure", .type = JS_STRING, .max_len = 32, .description = "National TTHC code"}},
    {PARAM_QUERY, false, {.name = "unit", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .description = "Holding unit id"}},
    {PARAM_QUERY, false, {.name = "from", .type = JS_DATE, .description = "Received on or after"}},
    {PARAM_QUERY, false, {.name = "to", .type = JS_DATE, .description = "Received on or before"}},
    {PARAM_QUERY, false, {.name = "open", .type = JS_INT, .ranged = true, .min = 0, .max = 1, .description = "1: dossiers still being handled"}},
};
static const api_param CODE_PARAM[] = {
    {PARAM_PATH, true, {.name = "code", .type = JS_STRING, .max_len = 52, .example = "\"000.00.25.H26-260302-0001\""}},
};

static const int E_INTAKE[] = {415, 422, 0};
static const int E_GET[] = {404, 0};
static const int E_EVENT[] = {404, 409, 415, 422, 0};

const api_op OP_LIST_DOSSIERS = {
    .id = "listDossiers",
    .tag = "dossiers",
    .description = "A specialist or division head sees the dossiers their unit holds; the one-stop officers and leaders see all.",
    API_PARAMS(LIST_PARAMS),
    .status = 200,
    .response = &SCHEMA_DOSSIER_LIST,
    .response_description = "The dossiers",
};
const api_op OP_GET_DOSSIER = {
    .id = "getDossier",
    .tag = "dossiers",
    .description = "Every view of the applicant's personal data is logged (Decree 13/2023).",
    API_PARAMS(CODE_PARAM),
    .status = 200,
    .response = &SCHEMA_DOSSIER,
    .response_description = "The dossier with its timeline",
    .errors = E_GET,
};
const api_op OP_CREATE_DOSSIER = {
    .id = "createDossier",
    .tag = "dossiers",
    .description = "Counter intake: the dossier is accepted, gets its code and its due date, and is on disk when the answer comes.",
    .request = &SCHEMA_INTAKE,
    .status = 201,
    .response = &SCHEMA_DOSSIER,
    .response_description = "The dossier received",
    .errors = E_INTAKE,
};
const api_op OP_POST_DOSSIER_EVENT = {
    .id = "postDossierEvent",
    .tag = "dossiers",
    .description = "Moves the dossier: 409 invalid_transition names the state when the event is not allowed in it.",
    API_PARAMS(CODE_PARAM),
    .request = &SCHEMA_EVENT_REQUEST,
    .status = 200,
    .response = &SCHEMA_DOSSIER,
    .response_description = "The dossier after the event",
    .errors = E_EVENT,
};

/* ---- helpers ------------------------------------------------------------------------ */

static int64_t now_moment(void) { return dossier_moment_of_unix(db_now()); }

static bool sees_all_dossiers(const req *r)
{
    return dossier_role_sees_all(r->user.role);
}

/* Object-level check: specialists and heads act on what their unit holds. */
static bool may_touch(const req *r, const dossier_row *x)
{
    return sees_all_dossiers(r) || (r->user.unit_id && r->user.unit_id == x->holder_unit_id);
}

static bool id_number_valid(const char *s)
{
    if (!s || !*s) return true;
    if (strlen(s) != 12) return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p)) return false;
    return true;
}

/* ---- intake ------------------------------------------------------------------------ */

/* Checks the intake against the procedure; false with w filled. */
/* A text longer than max bytes, or not valid UTF-8 without control characters: answers 422 naming field. */
static bool text_refused(req *r, resp *w, const char *v, size_t max, const char *field)
{
    if (!v || (strlen(v) <= max && pi_valid_utf8_text(v, strlen(v)))) return false;
    resp_error(r, w, 422, strlen(v) > max ? "too_long" : "invalid_text", _("Nội dung quá dài hoặc không phải văn bản hợp lệ."), field);
    return true;
}

static bool intake_valid(req *r, resp *w, const intake_request *in, const procedure *p, int64_t *received)
{
    /* the same limits as the Applicant schema: the counter form does not pass through it */
    if (text_refused(r, w, in->applicant.name, 200, "applicant.name") || text_refused(r, w, in->applicant.phone, 20, "applicant.phone") ||
        text_refused(r, w, in->applicant.email, 200, "applicant.email") ||
        text_refused(r, w, in->applicant.address, 500, "applicant.address") || text_refused(r, w, in->note, 2000, "note"))
        return false;
    if (!id_number_valid(in->applicant.id_number)) {
        resp_error(r, w, 422, "invalid_value", _("Số định danh (CCCD) phải gồm 12 chữ số."), "applicant.id_number");
        return false;
    }
    bool seen[PROC_MAX_COMPONENTS + 1] = {0};
    for (int i = 0; i < in->ncomponents; i++) {
        int id = in->components[i].component_id;
        if (id > p->ncomponents || seen[id]) {
            resp_error(r, w, 422, "invalid_value", _("Thành phần hồ sơ không có trong thủ tục, hoặc bị lặp."), "components");
            return false;
        }
        seen[id] = true;
    }
    *received = now_moment();
    if (in->received_at) {
        if (r->user.role != ROLE_ADMIN) {
            resp_error(r, w, 403, "forbidden", _("Chỉ quản trị hệ thống được nhập bù hồ sơ đã nhận trước đây."), "received_at");
            return false;
        }
        if (!dossier_time_parse(in->received_at, received) || *received > now_moment()) {
            resp_error(r, w, 422, "invalid_date", _("Thời điểm tiếp nhận không hợp lệ (ISO, +07:00, không ở tương lai)."), "received_at");
            return false;
        }
    }
    return true;
}

static void create_and_reply(req *r, resp *w, const intake_request *in, const procedure_row *row, const procedure *p, int64_t received,
                             bool html)
{
    int64_t due;
    if (!dossier_due(p, received, NULL, 0, received, &due)) {
        resp_error(r, w, 422, "invalid_value", _("Không tính được hạn giải quyết của thủ tục."), "procedure");
        return;
    }
    char received_iso[32], due_iso[32], code[64];
    dossier_time_format(received, received_iso);
    dossier_time_format(due, due_iso);
    int comps[PROC_MAX_COMPONENTS];
    const char *files[PROC_MAX_COMPONENTS];
    for (int i = 0; i < in->ncomponents; i++) {
        comps[i] = in->components[i].component_id;
        files[i] = in->components[i].nfiles ? in->components[i].file_ids[0] : NULL;
    }
    dossier_new n = {.procedure_version_id = row->version_id, .agency = r->cfg->agency_code, .day_jdn = (int32_t)(received / 1440),
                     .channel = in->channel, .home_service = in->home_service, .name = in->applicant.name,
                     .id_number = in->applicant.id_number, .phone = in->applicant.phone, .email = in->applicant.email,
                     .address = in->applicant.address, .received_at = received_iso, .base_due_at = due_iso,
                     .m = {.state = "received", .due_at = due_iso, .step = 1,
                           .holder_unit_id = p->nsteps ? store_unit_id_by_code(r->db, p->steps[0].unit) : 0},
                     .components = comps, .component_files = files, .ncomponents = in->ncomponents, .note = in->note,
                     .user_id = r->user.id, .username = r->user.username};
    int rc = store_dossier_create(r->db, &n, code);
    dossier_row x;
    char loc[128];
    snprintf(loc, sizeof loc, "/dossiers/%s/forms/01", code);
    if (rc == DB_CONSTRAINT) resp_error(r, w, 422, "invalid_value", _("Không cấp được mã hồ sơ cho ngày này."), "received_at");
    else if (rc == DB_OK && html) resp_redirect(w, loc);
    else if (rc != DB_OK || !store_dossier_get(r->db, code, &x)) resp_error(r, w, 500, "internal", _("Không lưu được hồ sơ."), NULL);
    else {
        dossier_reply(r, w, 201, &x, false, true);
        dossier_row_free(&x);
    }
}

void dossier_intake_run(req *r, resp *w, const intake_request *in, bool html)
{
    procedure_row row = {0};
    procedure_doc pd = {0};
    int64_t received;
    if (!in->procedure || !store_procedure_get(r->db, in->procedure, 0, &row) || !procedure_doc_load(r->db, row.version_id, &pd))
        resp_error(r, w, 422, "invalid_value", _("Không có thủ tục này trong danh mục."), "procedure");
    else if (intake_valid(r, w, in, &pd.p, &received))
        create_and_reply(r, w, in, &row, &pd.p, received, html);
    procedure_doc_free(&pd);
    procedure_row_free(&row);
}

void h_api_dossier_create(req *r, resp *w)
{
    if (!api_require_json(r, w)) return;
    intake_request in = {0};
    json_t *doc = NULL;
    if (api_parse_body(&OP_CREATE_DOSSIER, r, w, &doc, &in)) dossier_intake_run(r, w, &in, false);
    js_free(&SCHEMA_INTAKE, &in);
    json_decref(doc);
}

/* ---- reads ------------------------------------------------------------------------ */

void h_api_dossiers(req *r, resp *w)
{
    const char *unit = req_query(r, "unit"), *open = req_query(r, "open");
    dossier_filter f = {.state = req_query(r, "state"), .procedure_code = req_query(r, "procedure"),
                        .holder_unit_id = unit && *unit ? strtoll(unit, NULL, 10) : 0, .from = req_query(r, "from"),
                        .to = req_query(r, "to"), .open_only = open && !strcmp(open, "1")};
    if (f.state && !*f.state) f.state = NULL;
    if (f.procedure_code && !*f.procedure_code) f.procedure_code = NULL;
    if (!sees_all_dossiers(r)) f.holder_unit_id = r->user.unit_id ? r->user.unit_id : -1;
    dossier_row *rows;
    int n;
    if (store_dossier_find(r->db, &f, &rows, &n) != DB_OK) { resp_error(r, w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    dossier_list_reply(r, w, rows, n);
    dossier_rows_free(rows, n);
}

void h_api_dossier(req *r, resp *w)
{
    dossier_row x;
    if (!store_dossier_get(r->db, r->params[0], &x)) { resp_json_error(w, 404, "not_found", _("Không tìm thấy hồ sơ."), NULL); return; }
    if (!may_touch(r, &x)) {
        dossier_row_free(&x);
        resp_json_error(w, 404, "not_found", _("Không tìm thấy hồ sơ."), NULL);
        return;
    }
    if (store_dossier_viewed(r->db, x.id, r->user.id) != DB_OK) {
        dossier_row_free(&x);
        resp_error(r, w, 500, "internal", _("Không ghi được nhật ký truy cập dữ liệu cá nhân."), NULL);
        return;
    }
    dossier_reply(r, w, 200, &x, false, true);
    dossier_row_free(&x);
}
