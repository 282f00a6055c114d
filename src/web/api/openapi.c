/* GET /api/v1/openapi.json: the OpenAPI 3.1 document, written from the route
 * table and each JSON route's declared contract (api_op.h, jspec.h). The
 * schemas are the tables the handlers serialise and parse with, so the
 * document cannot drift from the code. HTML routes are not part of it. */
#include "web/handlers.h"
#include "web/api/api_errors.h"
#include "web/api/api_op.h"
#include "web/api/openapi.h"
#include "web/router.h"
#include "web/common.h"
#include "config.h"
#include <stdio.h>
#include <string.h>

#define MAX_SCHEMAS 96

const api_op OP_OPENAPI = {
    .id = "getOpenApiDocument",
    .tag = "meta",
    .status = 200,
    .free_form = true,
    .response_description = "This document (OpenAPI 3.1)",
};

static const struct { const char *name, *description; } TAGS[] = {
    {"meta", "The service itself: health and this document"},
    {"session", "Logging in and out for cookie sessions; integrations use bearer tokens made on /profile"},
    {"plans", "Reform plans and their areas"},
    {"tasks", "Tasks of the plans and their progress updates"},
    {"units", "Units of the department, with their history"},
    {"targets", "Targets (chỉ tiêu) with the figures the system computes"},
    {"reports", "Periodic reporting: periods, unit submissions, department report data"},
    {"calendar", "The Vietnamese working-day calendar and statutory deadlines"},
    {"procedures", "The catalogue of administrative procedures (TTHC), versioned"},
    {"dossiers", "The one-stop shop's dossiers (hồ sơ): intake, processing, return"},
};

/* The shared error responses, by status. */
static const struct { int status; const char *name, *description, *code, *message; } ERROR_RESPONSES[] = {
    {400, "BadRequest", "A parameter or the body is malformed", "invalid_parameter", "Tham số phải là số nguyên trong khoảng cho phép."},
    {401, "Unauthenticated", "No session or bearer token", "unauthenticated", "Cần đăng nhập để thực hiện thao tác này."},
    {403, "Forbidden", "The role may not do this, or the CSRF check failed", "forbidden", "Tài khoản của bạn không có quyền thực hiện thao tác này."},
    {404, "NotFound", "No such resource, or not visible to the caller", "not_found", "Không tìm thấy."},
    {409, "Conflict", "Send the request again", "retry", "Vui lòng gửi lại yêu cầu."},
    {413, "PayloadTooLarge", "The body is larger than the route allows", "payload_too_large", "Dữ liệu gửi lên vượt quá giới hạn cho phép."},
    {414, "UriTooLong", "The URL is longer than the server reads", "uri_too_long", "Địa chỉ quá dài."},
    {415, "UnsupportedMediaType", "A Content-Type or file type the operation does not take", "unsupported_content_type", "Gửi application/json hoặc multipart/form-data."},
    {422, "UnprocessableContent", "A field of the body is missing or wrong", "required", "Thiếu trường bắt buộc."},
    {429, "TooManyRequests", "Too many failed logins: wait Retry-After seconds", "throttled", "Đăng nhập sai quá nhiều lần."},
    {500, "InternalError", "An unexpected error; nothing was changed", "internal", "Không ghi được dữ liệu. Vui lòng thử lại."},
    {503, "Unavailable", "The database is unreachable: retry after Retry-After seconds", "unavailable", "Cơ sở dữ liệu tạm thời không truy cập được."},
};
#define N_ERROR_RESPONSES (sizeof ERROR_RESPONSES / sizeof ERROR_RESPONSES[0])

static int error_index(int status)
{
    for (size_t i = 0; i < N_ERROR_RESPONSES; i++)
        if (ERROR_RESPONSES[i].status == status) return (int)i;
    return -1;
}

static json_t *json_media(json_t *schema, json_t *example)
{
    json_t *m = json_pack("{s:o}", "schema", schema);
    if (example) json_object_set_new(m, "example", example);
    return json_pack("{s:o}", "application/json", m);
}

static json_t *schema_ref(const js_schema *s)
{
    char path[128];
    snprintf(path, sizeof path, "#/components/schemas/%s", s->name);
    return json_pack("{s:s}", "$ref", path);
}

/* {name, in, required, description, schema, example} of one declared parameter. */
static json_t *parameter_json(const api_param *p)
{
    js_schema one = {"", NULL, 0, &p->f, 1};
    json_t *wrapped = js_schema_json(&one);
    json_t *schema = json_incref(json_object_get(json_object_get(wrapped, "properties"), p->f.name));
    json_decref(wrapped);
    json_object_del(schema, "description");
    json_t *o = json_pack("{s:s, s:s, s:b, s:o}", "name", p->f.name, "in", p->in == PARAM_PATH ? "path" : "query",
                          "required", p->required || p->in == PARAM_PATH, "schema", schema);
    if (p->f.description) json_object_set_new(o, "description", json_string(p->f.description));
    json_t *ex = js_example(&one);
    json_object_set(o, "example", json_object_get(ex, p->f.name));
    json_decref(ex);
    return o;
}

static json_t *parameters_json(const route *rt)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < rt->op->nparams; i++) json_array_append_new(arr, parameter_json(&rt->op->params[i]));
    if (rt->csrf == CSRF_SESSION)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:i}}", "name", "X-CSRF-Token", "in", "header",
            "required", 0, "description", "The session's csrf_token; required with a cookie session, not with a bearer token",
            "schema", "type", "string", "maxLength", 128));
    return arr;
}

/* multipart/form-data: the request's fields as text, and evidence files. */
static json_t *multipart_schema(const js_schema *s)
{
    json_t *props = json_object();
    for (size_t i = 0; i < s->nfields; i++) {
        json_t *p = json_pack("{s:s}", "type", "string");
        if (s->fields[i].max_len) json_object_set_new(p, "maxLength", json_integer(s->fields[i].max_len));
        if (s->fields[i].description) json_object_set_new(p, "description", json_string(s->fields[i].description));
        json_object_set_new(props, s->fields[i].name, p);
    }
    json_object_set_new(props, "files", json_pack("{s:s, s:{s:s, s:s}, s:s}", "type", "array", "items", "type", "string",
        "contentMediaType", "application/octet-stream", "description", "Evidence files (PDF, office documents, images)"));
    return json_pack("{s:s, s:o}", "type", "object", "properties", props);
}

static json_t *request_body_json(const api_op *op)
{
    json_t *content = json_media(schema_ref(op->request), js_request_example(op->request));
    if (op->multipart)
        json_object_set_new(content, "multipart/form-data", json_pack("{s:o}", "schema", multipart_schema(op->request)));
    return json_pack("{s:b, s:o}", "required", 1, "content", content);
}

/* Marks in want[] the error statuses an operation can answer. */
static void error_statuses(const route *rt, bool want[N_ERROR_RESPONSES])
{
    const api_op *op = rt->op;
    int add[16], n = 0;
    if (op->nparams || op->request) add[n++] = 400;
    if (rt->cap != CAP_PUBLIC) { add[n++] = 401; add[n++] = 403; }
    if (rt->csrf != CSRF_NONE) add[n++] = 403;
    if (rt->csrf != CSRF_NONE && rt->cap != CAP_PUBLIC) add[n++] = 409;
    if (rt->csrf != CSRF_NONE) add[n++] = 413;
    if (op->request) add[n++] = 422;
    add[n++] = 414;   /* any request: the server refuses a URL longer than it reads */
    add[n++] = 500;
    add[n++] = 503;
    for (int i = 0; i < n; i++) want[error_index(add[i])] = true;
    for (const int *e = op->errors; e && *e; e++)
        if (error_index(*e) >= 0) want[error_index(*e)] = true;
}

static json_t *responses_json(const route *rt, bool used[N_ERROR_RESPONSES])
{
    const api_op *op = rt->op;
    json_t *out = json_object(), *ok = json_pack("{s:s}", "description", op->response_description);
    if (op->response) json_object_set_new(ok, "content", json_media(schema_ref(op->response), js_example(op->response)));
    if (op->free_form) json_object_set_new(ok, "content", json_media(json_pack("{s:s}", "type", "object"), NULL));
    char key[8];
    snprintf(key, sizeof key, "%d", op->status);
    json_object_set_new(out, key, ok);
    bool want[N_ERROR_RESPONSES] = {0};
    error_statuses(rt, want);
    for (size_t i = 0; i < N_ERROR_RESPONSES; i++) {
        if (!want[i]) continue;
        used[i] = true;
        char ref[96];
        snprintf(key, sizeof key, "%d", ERROR_RESPONSES[i].status);
        snprintf(ref, sizeof ref, "#/components/responses/%s", ERROR_RESPONSES[i].name);
        json_object_set_new(out, key, json_pack("{s:s}", "$ref", ref));
    }
    return out;
}

static json_t *operation_json(const route *rt, bool used[N_ERROR_RESPONSES])
{
    const api_op *op = rt->op;
    json_t *o = json_pack("{s:s, s:s, s:[s], s:o, s:o}", "operationId", op->id, "summary", rt->summary, "tags", op->tag,
                          "parameters", parameters_json(rt), "responses", responses_json(rt, used));
    if (op->description) json_object_set_new(o, "description", json_string(op->description));
    if (op->request) json_object_set_new(o, "requestBody", request_body_json(op));
    if (rt->cap == CAP_PUBLIC) json_object_set_new(o, "security", json_array());
    else json_object_set_new(o, "security", json_pack("[{s:[]}, {s:[]}]", "cookieSession", "bearerToken"));
    json_object_set_new(o, "x-capability", json_string(capability_id(rt->cap)));
    return o;
}

/* "/api/v1/tasks/{id}" and "post" for the route. */
static void lower_method(const char *method, char out[16])
{
    size_t k = 0;
    for (; method[k] && k < 15; k++) out[k] = (char)(method[k] >= 'A' && method[k] <= 'Z' ? method[k] + 32 : method[k]);
    out[k] = '\0';
}

/* Error's schema: the registry's codes as the enum of error.code. */
static json_t *error_detail_schema(void)
{
    json_t *s = js_schema_json(&SCHEMA_ERROR_DETAIL), *codes = json_array();
    buf meanings = {0};
    buf_puts(&meanings, "A stable code of the registry:");
    for (size_t i = 0; i < API_ERRORS_COUNT; i++) {
        json_array_append_new(codes, json_string(API_ERRORS[i].code));
        buf_printf(&meanings, "\n- `%s`: %s", API_ERRORS[i].code, API_ERRORS[i].meaning);
    }
    json_t *code = json_object_get(json_object_get(s, "properties"), "code");
    json_object_set_new(code, "enum", codes);
    json_object_set_new(code, "description", json_string(meanings.data ? meanings.data : ""));
    buf_free(&meanings);
    return s;
}

static json_t *components_json(const bool used[N_ERROR_RESPONSES])
{
    const js_schema *seen[MAX_SCHEMAS];
    size_t n = js_collect(&SCHEMA_ERROR, seen, 0, MAX_SCHEMAS);
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const api_op *op = ROUTES[i].op;
        if (op && op->request) n = js_collect(op->request, seen, n, MAX_SCHEMAS);
        if (op && op->response) n = js_collect(op->response, seen, n, MAX_SCHEMAS);
    }
    json_t *schemas = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(schemas, seen[i]->name,
                            seen[i] == &SCHEMA_ERROR_DETAIL ? error_detail_schema() : js_schema_json(seen[i]));
    json_t *responses = json_object();
    for (size_t i = 0; i < N_ERROR_RESPONSES; i++) {
        if (!used[i]) continue;
        api_error_body ex = {{ERROR_RESPONSES[i].code, ERROR_RESPONSES[i].message, NULL}};
        buf b = {0};
        js_write(&b, &SCHEMA_ERROR, &ex);
        json_t *example = json_loadb(b.data, b.len, 0, NULL);
        buf_free(&b);
        json_object_set_new(responses, ERROR_RESPONSES[i].name, json_pack("{s:s, s:o}", "description", ERROR_RESPONSES[i].description,
                            "content", json_media(schema_ref(&SCHEMA_ERROR), example)));
    }
    json_t *security = json_pack("{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s}}",
        "cookieSession", "type", "apiKey", "in", "cookie", "name", "cchc_session",
        "description", "The session cookie set by POST /api/v1/session or the login form",
        "bearerToken", "type", "http", "scheme", "bearer", "description", "An API token created on /profile");
    return json_pack("{s:o, s:o, s:o}", "schemas", schemas, "responses", responses, "securitySchemes", security);
}

json_t *openapi_document(const config *cfg)
{
    json_t *paths = json_object();
    bool used[N_ERROR_RESPONSES] = {0};
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        if (!rt->op) continue;
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        char method[16];
        lower_method(rt->method, method);
        json_object_set_new(item, method, operation_json(rt, used));
    }
    json_t *tags = json_array();
    for (size_t i = 0; i < sizeof TAGS / sizeof TAGS[0]; i++)
        json_array_append_new(tags, json_pack("{s:s, s:s}", "name", TAGS[i].name, "description", TAGS[i].description));
    char server[256];
    snprintf(server, sizeof server, "%s", cfg->base_url);
    size_t len = strlen(server);
    while (len > 0 && server[len - 1] == '/') server[--len] = '\0';
    char description[512];
    snprintf(description, sizeof description, "The JSON API of cchc, the administrative-reform system of %s. "
             "Every response below is the one the server sends; the test suite checks each against this document.", cfg->agency);
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], s:o, s:o, s:o}",
        "openapi", "3.1.0",
        "info", "title", "cchc API", "version", "1.0.0", "description", description,
        "license", "name", "CC BY 4.0 (the published data)", "identifier", "CC-BY-4.0",
        "servers", "url", server,
        "tags", tags,
        "paths", paths,
        "components", components_json(used));
}

void h_api_openapi(req *r, resp *w)
{
    json_t *doc = openapi_document(r->cfg);
    if (!doc) { resp_json_error(w, 500, "internal", "OpenAPI", NULL); return; }
    resp_json_value(w, 200, doc);
}
