/* JSON API of the procedure catalogue (TTHC): list, one procedure (a
 * version), and adding a version (the admin). The Procedure object is the
 * one declaration of core/onestop/procedure.c. */
#include "web/handlers.h"
#include "web/api/api_op.h"
#include "core/i18n.h"
#include "core/onestop/procedure.h"
#include "store/onestop/store_procedure.h"
#include "store/store_unit.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct { procedure *items; int n; } procedure_list_view;
static const js_field LIST_FIELDS[] = {
    {.name = "procedures", .type = JS_ARRAY, .offset = offsetof(procedure_list_view, items), .ref = &PROCEDURE_SCHEMA,
     .count_at = offsetof(procedure_list_view, n)},
};
static JS_SCHEMA(SCHEMA_PROCEDURE_LIST, "ProcedureList", procedure_list_view, "Published procedures, by field then name", LIST_FIELDS);

static const api_param LIST_PARAMS[] = {
    {PARAM_QUERY, false, {.name = "q", .type = JS_STRING, .max_len = 200, .example = "\"cap ban sao\"",
                          .description = "Words of the name, accents and đ ignored, or a national code"}},
    {PARAM_QUERY, false, {.name = "field", .type = JS_STRING, .max_len = 300, .description = "Only this field (lĩnh vực)"}},
};
static const api_param CODE_PARAMS[] = {
    {PARAM_PATH, true, {.name = "code", .type = JS_STRING, .max_len = 32, .example = "\"2.001914\"", .description = "National TTHC code"}},
    {PARAM_QUERY, false, {.name = "version", .type = JS_INT, .ranged = true, .min = 1, .max = 1000000,
                          .description = "A past version (default: the current one)"}},
};
static const int E_NOT_FOUND[] = {404, 0};
static const int E_PUT[] = {415, 422, 0};

const api_op OP_LIST_PROCEDURES = {
    .id = "listProcedures",
    .tag = "procedures",
    API_PARAMS(LIST_PARAMS),
    .status = 200,
    .response = &SCHEMA_PROCEDURE_LIST,
    .response_description = "The procedures",
};
const api_op OP_GET_PROCEDURE = {
    .id = "getProcedure",
    .tag = "procedures",
    API_PARAMS(CODE_PARAMS),
    .status = 200,
    .response = &PROCEDURE_SCHEMA,
    .response_description = "The procedure",
    .errors = E_NOT_FOUND,
};
const api_op OP_PUT_PROCEDURE = {
    .id = "putProcedure",
    .tag = "procedures",
    .description = "Adds the procedure, or a new version of it: dossiers keep the version they were received under. "
                   "The steps' budgets must add up to the statutory duration (8 working hours a working day).",
    .request = &PROCEDURE_SCHEMA,
    .status = 201,
    .response = &PROCEDURE_SCHEMA,
    .response_description = "The stored version",
    .errors = E_PUT,
};

/* Parses a stored version into p (strings point into *doc, freed by the caller). */
static bool procedure_of_row(const procedure_row *row, procedure *p, json_t **doc)
{
    *doc = json_loads(row->body, 0, NULL);
    js_error e;
    if (!*doc || !js_parse(&PROCEDURE_SCHEMA, *doc, p, &e)) return false;
    p->version = row->version;
    return true;
}

void h_api_procedures(req *r, resp *w)
{
    procedure_row *rows;
    int n;
    if (store_procedure_list(r->db, req_query(r, "q"), req_query(r, "field"), &rows, &n) != DB_OK) {
        resp_json_error(w, 500, "internal", _("Không đọc được danh mục thủ tục."), NULL);
        return;
    }
    procedure_list_view v = {calloc((size_t)n + 1, sizeof(procedure)), 0};
    json_t **docs = calloc((size_t)n + 1, sizeof *docs);
    bool ok = v.items && docs;
    for (int i = 0; ok && i < n; i++) ok = procedure_of_row(&rows[i], &v.items[v.n++], &docs[i]);
    if (ok) api_reply(w, 200, &SCHEMA_PROCEDURE_LIST, &v);
    else resp_json_error(w, 500, "internal", _("Không đọc được danh mục thủ tục."), NULL);
    for (int i = 0; v.items && i < v.n; i++) js_free(&PROCEDURE_SCHEMA, &v.items[i]);
    for (int i = 0; docs && i < n; i++) json_decref(docs[i]);
    free(docs);
    free(v.items);
    procedure_rows_free(rows, n);
}

void h_api_procedure(req *r, resp *w)
{
    const char *version = req_query(r, "version");
    procedure_row row;
    if (!store_procedure_get(r->db, r->params[0], version && *version ? atoi(version) : 0, &row)) {
        resp_json_error(w, 404, "not_found", _("Không tìm thấy thủ tục."), NULL);
        return;
    }
    procedure p = {0};
    json_t *doc = NULL;
    if (procedure_of_row(&row, &p, &doc)) api_reply(w, 200, &PROCEDURE_SCHEMA, &p);
    else resp_json_error(w, 500, "internal", _("Không đọc được thủ tục."), NULL);
    js_free(&PROCEDURE_SCHEMA, &p);
    json_decref(doc);
    procedure_row_free(&row);
}

/* Checks what the schema cannot, with the units of the catalogue; false with w filled. */
static bool procedure_acceptable(req *r, resp *w, procedure *p)
{
    char msg[256];
    const char *field = NULL;
    if (!procedure_check(p, msg, sizeof msg, &field)) {
        resp_json_error(w, 422, "invalid_field", msg, field);
        return false;
    }
    for (int i = 0; i < p->nsteps; i++)
        if (store_unit_id_by_code(r->db, p->steps[i].unit) <= 0) {
            resp_json_error(w, 422, "invalid_unit", _("Đơn vị của bước không có trong danh mục đơn vị."), "steps");
            return false;
        }
    for (int i = 0; i < p->ncomponents; i++) p->components[i].id = i + 1;
    return true;
}

void h_api_procedure_put(req *r, resp *w)
{
    if (!api_require_json(r, w)) return;
    procedure p = {0};
    json_t *doc = NULL;
    if (api_parse_body(&OP_PUT_PROCEDURE, r, w, &doc, &p) && procedure_acceptable(r, w, &p)) {
        p.version = 0;
        buf body = {0};
        js_write(&body, &PROCEDURE_SCHEMA, &p);
        int version = store_procedure_put(r->db, &p, buf_str(&body), r->user.id, r->user.username);
        buf_free(&body);
        p.version = version;
        if (version > 0) api_reply(w, 201, &PROCEDURE_SCHEMA, &p);
        else resp_json_error(w, 500, "internal", _("Không lưu được thủ tục."), NULL);
    }
    js_free(&PROCEDURE_SCHEMA, &p);
    json_decref(doc);
}
