#ifndef CCHC_API_OP_H
#define CCHC_API_OP_H
/* The contract of one JSON operation, declared next to its handler and named
 * by its route (routes.c): operationId, parameters with types and limits,
 * request and response objects (jspec.h), and the 4xx statuses the handler
 * may answer. The router checks the parameters against it before the handler
 * runs; api/openapi.c writes the OpenAPI document from it. */
#include "core/jspec.h"
#include "web/http.h"

typedef enum { PARAM_PATH, PARAM_QUERY } param_in;

typedef struct {
    param_in in;
    bool required;            /* path parameters always are */
    js_field f;               /* name, type (JS_STRING, JS_DATE, JS_INT, JS_INT64), limits, example */
} api_param;

typedef struct api_op {
    const char *id;                   /* operationId, camelCase: "listPlans" */
    const char *tag;                  /* group in the document: "plans" */
    const char *description;          /* longer than the route's summary; may be NULL */
    const api_param *params;
    size_t nparams;
    const js_schema *request;         /* application/json body, or NULL */
    bool multipart;                   /* the same fields may come as multipart/form-data, with evidence files */
    int status;                       /* success: 200, 201, 204 */
    const js_schema *response;        /* its body; NULL with 204, or with free_form */
    bool free_form;                   /* the body is any JSON object (the API document itself) */
    const char *response_description;
    const int *errors;                /* 4xx the handler answers itself, 0-terminated; may be NULL */
} api_op;

/* Designates an op's parameter table: API_PARAMS(TASK_ID_PARAM). */
#define API_PARAMS(arr) .params = arr, .nparams = sizeof arr / sizeof arr[0]

/* Checks r's path and query parameters against op. On a violation answers
 * 400 invalid_parameter (or required) naming the parameter, returns false. */
bool api_check_params(const api_op *op, req *r, resp *w);
/* Parses r's JSON body into out with op->request; on failure answers 400
 * bad_json or 422 naming the field and returns false. *doc owns the strings
 * of out: the caller json_decref()s it in every case. */
bool api_parse_body(const api_op *op, req *r, resp *w, json_t **doc, void *out);
/* True when the body is application/json; else answers 415 naming Content-Type. */
bool api_require_json(req *r, resp *w);
/* Answers status with obj serialised by s. */
void api_reply(resp *w, int status, const js_schema *s, const void *obj);
#endif
