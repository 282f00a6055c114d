/* The Dossier object of the API (api_dossier_view.h). */
#include "web/api/api_dossier_view.h"
#include "web/api/api_op.h"
#include "calendar_current.h"
#include "core/i18n.h"
#include "core/onestop/dossier.h"
#include "store/onestop/store_procedure.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const DOSSIER_STATE_IDS[] = {"submitted", "received", "refused", "processing", "supplement_requested",
                                         "payment_requested", "done", "returned", "stopped", "withdrawn", NULL};
const char *const DOSSIER_EVENT_IDS[] = {"accept", "refuse", "transfer", "request_supplement", "supplement_received",
                                         "request_payment", "payment_received", "apologise", "approve", "sign", "return",
                                         "stop", "withdraw", NULL};
static const char *const CHANNELS[] = {"counter", "online", "postal", NULL};

typedef struct { const char *code, *name; int version; } proc_ref_view;
static const js_field PROC_REF_FIELDS[] = {
    {.name = "code", .type = JS_STRING, .offset = offsetof(proc_ref_view, code), .example = "\"2.001914\""},
    {.name = "name", .type = JS_STRING, .offset = offsetof(proc_ref_view, name)},
    {.name = "version", .type = JS_INT, .offset = offsetof(proc_ref_view, version), .ranged = true, .min = 1, .max = 1000000},
};
static JS_SCHEMA(SCHEMA_PROC_REF, "ProcedureRef", proc_ref_view, "The procedure version a dossier was received under", PROC_REF_FIELDS);

typedef struct { char from[32], to[32]; const char *reason; bool open; } pause_view;
static const js_field PAUSE_FIELDS[] = {
    {.name = "from", .type = JS_STRING, .offset = offsetof(pause_view, from), .flags = JF_CHARS, .example = "\"2026-03-02T09:00:00+07:00\""},
    {.name = "to", .type = JS_STRING, .offset = offsetof(pause_view, to), .flags = JF_CHARS | JF_NULLABLE | JF_HAS,
     .has_at = offsetof(pause_view, open), .description = "null while the applicant still holds the dossier"},
    {.name = "reason", .type = JS_STRING, .offset = offsetof(pause_view, reason)},
};
static JS_SCHEMA(SCHEMA_PAUSE, "DossierPause", pause_view, "The clock paused while the applicant supplemented the dossier", PAUSE_FIELDS);

typedef struct { const char *issued_at, *new_due_at; } apology_view;
static const js_field APOLOGY_FIELDS[] = {
    {.name = "issued_at", .type = JS_STRING, .offset = offsetof(apology_view, issued_at)},
    {.name = "new_due_at", .type = JS_STRING, .offset = offsetof(apology_view, new_due_at)},
};
static JS_SCHEMA(SCHEMA_APOLOGY, "DossierApology", apology_view, "The apology and its new return date (at most one)", APOLOGY_FIELDS);

typedef struct { const char *name, *id_number, *phone, *email, *address; } applicant_view;
static const js_field APPLICANT_FIELDS[] = {
    {.name = "name", .type = JS_STRING, .offset = offsetof(applicant_view, name), .max_len = 200, .example = "\"Nguyễn Văn An\""},
    {.name = "id_number", .type = JS_STRING, .offset = offsetof(applicant_view, id_number), .flags = JF_OPTIONAL, .max_len = 12,
     .example = "\"031203004567\"", .description = "CCCD, 12 digits; masked in lists"},
    {.name = "phone", .type = JS_STRING, .offset = offsetof(applicant_view, phone), .flags = JF_OPTIONAL, .max_len = 20, .example = "\"0912345678\""},
    {.name = "email", .type = JS_STRING, .offset = offsetof(applicant_view, email), .flags = JF_OPTIONAL, .max_len = 200},
    {.name = "address", .type = JS_STRING, .offset = offsetof(applicant_view, address), .flags = JF_OPTIONAL, .max_len = 500},
};
JS_SCHEMA(SCHEMA_APPLICANT, "Applicant", applicant_view, "The applicant (chủ hồ sơ)", APPLICANT_FIELDS);

typedef struct {
    const char *at, *event, *from_state, *to_state, *user, *from_unit, *to_unit, *step_result, *note;
    int step;
} event_view;
static const js_field EVENT_FIELDS[] = {
    {.name = "at", .type = JS_STRING, .offset = offsetof(event_view, at)},
    {.name = "event", .type = JS_STRING, .offset = offsetof(event_view, event),
     .enums = (const char *const[]){"receive", "accept", "refuse", "transfer", "request_supplement", "supplement_received",
                                    "request_payment", "payment_received", "apologise", "approve", "sign", "return", "stop",
                                    "withdraw", NULL}},
    {.name = "from_state", .type = JS_STRING, .offset = offsetof(event_view, from_state), .flags = JF_NULLABLE, .enums = DOSSIER_STATE_IDS},
    {.name = "to_state", .type = JS_STRING, .offset = offsetof(event_view, to_state), .enums = DOSSIER_STATE_IDS},
    {.name = "user", .type = JS_STRING, .offset = offsetof(event_view, user)},
    {.name = "from_unit", .type = JS_STRING, .offset = offsetof(event_view, from_unit), .flags = JF_NULLABLE},
    {.name = "to_unit", .type = JS_STRING, .offset = offsetof(event_view, to_unit), .flags = JF_NULLABLE},
    {.name = "step", .type = JS_INT, .offset = offsetof(event_view, step), .flags = JF_OPTIONAL, .ranged = true, .min = 1, .max = PROC_MAX_STEPS},
    {.name = "step_result", .type = JS_STRING, .offset = offsetof(event_view, step_result), .flags = JF_OPTIONAL,
     .enums = (const char *const[]){"early", "on_time", "late", NULL},
     .description = "The finished step against its budget (the control sheet)"},
    {.name = "note", .type = JS_STRING, .offset = offsetof(event_view, note)},
};
static JS_SCHEMA(SCHEMA_EVENT, "DossierEvent", event_view, "An event of the timeline and the control sheet", EVENT_FIELDS);

typedef struct { int64_t id; const char *name; } unit_ref_view;
static const js_field HOLDER_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(unit_ref_view, id)},
    {.name = "name", .type = JS_STRING, .offset = offsetof(unit_ref_view, name)},
};
static JS_SCHEMA(SCHEMA_HOLDER, "DossierHolder", unit_ref_view, "The unit holding the dossier", HOLDER_FIELDS);

typedef struct {
    const char *code, *channel, *state, *state_label, *regime, *received_at, *due_at, *finished_at, *returned_at;
    proc_ref_view procedure;
    int portal_status, step, supplement_requests, npauses, nevents;
    bool paused, on_time, has_on_time, home_service;
    pause_view *pauses;
    const apology_view *apology;
    applicant_view applicant;
    const unit_ref_view *holder;
    event_view *events;
} dossier_view;
static const js_field DOSSIER_FIELDS[] = {
    {.name = "code", .type = JS_STRING, .offset = offsetof(dossier_view, code), .example = "\"000.00.25.H26-260302-0001\""},
    {.name = "procedure", .type = JS_OBJECT, .offset = offsetof(dossier_view, procedure), .ref = &SCHEMA_PROC_REF},
    {.name = "channel", .type = JS_STRING, .offset = offsetof(dossier_view, channel), .enums = CHANNELS},
    {.name = "home_service", .type = JS_BOOL, .offset = offsetof(dossier_view, home_service),
     .description = "Reception or return at the applicant's home"},
    {.name = "state", .type = JS_STRING, .offset = offsetof(dossier_view, state), .enums = DOSSIER_STATE_IDS},
    {.name = "state_label", .type = JS_STRING, .offset = offsetof(dossier_view, state_label), .example = "\"Đang xử lý\""},
    {.name = "portal_status", .type = JS_INT, .offset = offsetof(dossier_view, portal_status), .ranged = true, .min = 1, .max = 10,
     .description = "The national portal's TrangThaiHoSo, through the configurable mapping"},
    {.name = "regime", .type = JS_STRING, .offset = offsetof(dossier_view, regime), .example = "\"nd118_2025\"",
     .description = "The legal regime (decree, circular, form set) in force on the reception day"},
    {.name = "received_at", .type = JS_STRING, .offset = offsetof(dossier_view, received_at), .example = "\"2026-03-02T09:00:00+07:00\""},
    {.name = "due_at", .type = JS_STRING, .offset = offsetof(dossier_view, due_at), .example = "\"2026-03-09T17:00:00+07:00\""},
    {.name = "paused", .type = JS_BOOL, .offset = offsetof(dossier_view, paused)},
    {.name = "pauses", .type = JS_ARRAY, .offset = offsetof(dossier_view, pauses), .ref = &SCHEMA_PAUSE, .count_at = offsetof(dossier_view, npauses)},
    {.name = "supplement_requests", .type = JS_INT, .offset = offsetof(dossier_view, supplement_requests), .ranged = true, .min = 0, .max = 100},
    {.name = "apology", .type = JS_OBJECT_PTR, .offset = offsetof(dossier_view, apology), .flags = JF_NULLABLE, .ref = &SCHEMA_APOLOGY},
    {.name = "finished_at", .type = JS_STRING, .offset = offsetof(dossier_view, finished_at), .flags = JF_NULLABLE},
    {.name = "returned_at", .type = JS_STRING, .offset = offsetof(dossier_view, returned_at), .flags = JF_NULLABLE},
    {.name = "on_time", .type = JS_BOOL, .offset = offsetof(dossier_view, on_time), .flags = JF_NULLABLE | JF_HAS,
     .has_at = offsetof(dossier_view, has_on_time),
     .description = "Once finished: end − pauses ≤ due and at most one supplementation request (Decision 766, 2.1); null while open"},
    {.name = "step", .type = JS_INT, .offset = offsetof(dossier_view, step), .ranged = true, .min = 0, .max = PROC_MAX_STEPS,
     .description = "The step of the procedure's process the dossier is at"},
    {.name = "holder_unit", .type = JS_OBJECT_PTR, .offset = offsetof(dossier_view, holder), .flags = JF_NULLABLE, .ref = &SCHEMA_HOLDER},
    {.name = "applicant", .type = JS_OBJECT, .offset = offsetof(dossier_view, applicant), .ref = &SCHEMA_APPLICANT},
    {.name = "events", .type = JS_ARRAY, .offset = offsetof(dossier_view, events), .flags = JF_OPTIONAL, .ref = &SCHEMA_EVENT,
     .count_at = offsetof(dossier_view, nevents), .description = "The timeline (one dossier only)"},
};
JS_SCHEMA(SCHEMA_DOSSIER, "Dossier", dossier_view, "A dossier (hồ sơ) of the one-stop shop", DOSSIER_FIELDS);

bool procedure_doc_load(db *d, int64_t version_id, procedure_doc *out)
{
    memset(out, 0, sizeof *out);
    procedure_row row;
    if (!store_procedure_by_version(d, version_id, &row)) return false;
    out->doc = json_loads(row.body, 0, NULL);
    js_error e;
    bool ok = out->doc && js_parse(&PROCEDURE_SCHEMA, out->doc, &out->p, &e);
    out->p.version = row.version;
    procedure_row_free(&row);
    if (!ok) procedure_doc_free(out);
    return ok;
}

void procedure_doc_free(procedure_doc *pd)
{
    js_free(&PROCEDURE_SCHEMA, &pd->p);
    json_decref(pd->doc);
    memset(pd, 0, sizeof *pd);
}

bool dossier_due(const procedure *p, int64_t received, const dl_pause *pauses, int npauses, int64_t now, int64_t *due)
{
    dl_start_mode mode;
    dl_deadline dl = dl_make(cal_current(), received, procedure_dl_duration(&p->duration, &mode));
    dl.rule.mode = mode;
    dl.pauses = pauses;
    dl.npauses = (size_t)npauses;
    dl_result res;
    if (!dl_compute(&dl, now, &res, NULL, 0)) return false;
    *due = res.due_at;
    return true;
}

int dossier_pauses(const dossier_event_row *ev, int n, dl_pause *out, const char **reasons, int max)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        int64_t at;
        if (!dossier_time_parse(ev[i].at, &at)) continue;
        if (!strcmp(ev[i].event, "request_supplement") && k < max) {
            out[k] = (dl_pause){at, DL_OPEN};
            if (reasons) reasons[k] = ev[i].note;
            k++;
        } else if (!strcmp(ev[i].event, "supplement_received") && k > 0 && out[k - 1].to == DL_OPEN) {
            out[k - 1].to = at;
        }
    }
    return k;
}

/* "031******567": the first and last three digits of an identity number. */
static void mask_id(const char *id, char out[16])
{
    size_t n = id ? strlen(id) : 0;
    if (n <= 6) { snprintf(out, 16, "%s", n ? "******" : ""); return; }
    snprintf(out, 16, "%.3s%.*s%s", id, (int)(n - 6), "************", id + n - 3);
}

/* The on-time verdict of a finished dossier (§5.3). */
static bool on_time_of(const dossier_row *x, bool *on_time)
{
    int64_t end, due;
    const char *due_text = x->m.apology_due_at ? x->m.apology_due_at : x->base_due_at;
    if (!x->m.finished_at || !dossier_time_parse(x->m.finished_at, &end) || !dossier_time_parse(due_text, &due)) return false;
    dossier_clock c = {due, end, x->m.paused_minutes, x->m.supplement_requests};
    *on_time = dossier_on_time(&c) == 1;
    return true;
}

static void fill_events(dossier_view *v, const dossier_event_row *ev, int n)
{
    for (int i = 0; i < n; i++)
        v->events[i] = (event_view){ev[i].at, ev[i].event, ev[i].from_state, ev[i].to_state, ev[i].username, ev[i].from_unit,
                                    ev[i].to_unit, ev[i].step_result, ev[i].note ? ev[i].note : "", ev[i].step};
    v->nevents = n;
}

/* A dossier_view and what its pointers point to. */
typedef struct {
    dossier_view v;
    pause_view pv[DOSSIER_MAX_PAUSES];
    char masked_id[16];
    apology_view ap;
    unit_ref_view holder;
    dossier_event_row *ev;
    int nev;
} dossier_built;

/* Builds b from x (reads its events); false on a database error. */
static bool dossier_build(req *r, const dossier_row *x, bool masked, bool with_events, dossier_built *b)
{
    memset(b, 0, sizeof *b);
    if (store_dossier_events(r->db, x->id, &b->ev, &b->nev) != DB_OK) return false;
    dl_pause pauses[DOSSIER_MAX_PAUSES];
    const char *reasons[DOSSIER_MAX_PAUSES];
    int np = dossier_pauses(b->ev, b->nev, pauses, reasons, DOSSIER_MAX_PAUSES);
    for (int i = 0; i < np; i++) {
        b->pv[i] = (pause_view){.reason = reasons[i] ? reasons[i] : "", .open = pauses[i].to != DL_OPEN};
        dossier_time_format(pauses[i].from, b->pv[i].from);
        if (pauses[i].to != DL_OPEN) dossier_time_format(pauses[i].to, b->pv[i].to);
    }
    mask_id(x->id_number, b->masked_id);
    b->ap = (apology_view){x->m.apology_at, x->m.apology_due_at};
    b->holder = (unit_ref_view){x->holder_unit_id, x->holder_unit_name ? x->holder_unit_name : ""};
    dossier_state st = (dossier_state)dossier_state_parse(x->m.state);
    b->v = (dossier_view){
        .code = x->code, .channel = x->channel, .state = x->m.state, .state_label = dossier_state_label(st), .regime = x->regime,
        .received_at = x->received_at, .due_at = x->m.due_at, .finished_at = x->m.finished_at, .returned_at = x->m.returned_at,
        .procedure = {x->procedure_code, x->procedure_name, x->procedure_version},
        .portal_status = x->portal_status ? x->portal_status : dossier_default_portal_status(st), .step = x->m.step,
        .supplement_requests = x->m.supplement_requests, .npauses = np, .paused = x->m.paused_since != NULL,
        .home_service = x->home_service, .pauses = b->pv, .apology = x->m.apology_at ? &b->ap : NULL,
        .applicant = {x->name, masked ? b->masked_id : x->id_number, x->phone, x->email, x->address},
        .holder = x->holder_unit_id ? &b->holder : NULL};
    b->v.has_on_time = on_time_of(x, &b->v.on_time);
    if (with_events && b->nev) b->v.events = calloc((size_t)b->nev, sizeof *b->v.events);
    if (b->v.events) fill_events(&b->v, b->ev, b->nev);
    return true;
}

static void dossier_built_free(dossier_built *b)
{
    free(b->v.events);
    dossier_events_free(b->ev, b->nev);
}

void dossier_reply(req *r, resp *w, int status, const dossier_row *x, bool masked, bool with_events)
{
    dossier_built b;
    if (!dossier_build(r, x, masked, with_events, &b)) { resp_json_error(w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    api_reply(w, status, &SCHEMA_DOSSIER, &b.v);
    dossier_built_free(&b);
}

typedef struct { dossier_view *items; int n; } dossier_list_view;
static const js_field LIST_FIELDS[] = {
    {.name = "dossiers", .type = JS_ARRAY, .offset = offsetof(dossier_list_view, items), .ref = &SCHEMA_DOSSIER,
     .count_at = offsetof(dossier_list_view, n), .description = "Most urgent first; identity numbers masked, no timeline"},
};
JS_SCHEMA(SCHEMA_DOSSIER_LIST, "DossierList", dossier_list_view, "Dossiers the caller may see", LIST_FIELDS);

void dossier_list_reply(req *r, resp *w, const dossier_row *rows, int n)
{
    dossier_built *built = calloc((size_t)n + 1, sizeof *built);
    dossier_list_view l = {calloc((size_t)n + 1, sizeof(dossier_view)), 0};
    bool ok = built && l.items;
    for (; ok && l.n < n; l.n++) {
        ok = dossier_build(r, &rows[l.n], true, false, &built[l.n]);
        if (ok) l.items[l.n] = built[l.n].v;
    }
    if (ok) api_reply(w, 200, &SCHEMA_DOSSIER_LIST, &l);
    else resp_json_error(w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL);
    for (int i = 0; built && i < l.n; i++) dossier_built_free(&built[i]);
    free(built);
    free(l.items);
}
