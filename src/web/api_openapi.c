/* GET /api/v1/openapi.json: an OpenAPI 3.0 description generated from the
 * route table, so it lists every route by construction. */
#include "web/handlers.h"
#include "web/common.h"
#include "web/router.h"
#include "config.h"
#include <string.h>

static json_t *path_params(const char *pattern)
{
    json_t *arr = json_array();
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e) break;
        json_t *name = json_stringn(p + 1, (size_t)(e - p - 1));
        json_array_append_new(arr, json_pack("{s:o, s:s, s:b, s:{s:s}}", "name", name, "in", "path", "required", 1, "schema", "type", "string"));
    }
    return arr;
}

static json_t *operation(const route *rt)
{
    json_t *responses = json_pack("{s:{s:s}}", "200", "description", "OK");
    if (rt->kind == KIND_JSON)
        json_object_set_new(responses, "default", json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
            "Error: {\"error\": {\"code\", \"message\", \"field\"}}", "content", "application/json", "schema", "$ref",
            "#/components/schemas/Error"));
    json_t *op = json_pack("{s:s, s:o, s:o, s:s, s:s, s:s}", "summary", rt->summary, "parameters", path_params(rt->pattern),
                           "responses", responses, "x-capability", capability_id(rt->cap),
                           "x-kind", rt->kind == KIND_JSON ? "json" : "html",
                           "x-csrf", rt->csrf == CSRF_NONE ? "none" : rt->csrf == CSRF_LOGIN ? "login" : "session");
    if (rt->cap != CAP_PUBLIC)
        json_object_set_new(op, "security", json_pack("[{s:[]}, {s:[]}]", "cookieSession", "bearerToken"));
    return op;
}

void h_api_openapi(req *r, resp *w)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        char method[16];
        size_t n = strlen(rt->method);
        for (size_t k = 0; k <= n && k < sizeof method; k++) method[k] = (char)(rt->method[k] >= 'A' && rt->method[k] <= 'Z' ? rt->method[k] + 32 : rt->method[k]);
        json_object_set_new(item, method, operation(rt));
    }
    json_t *doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}, s:{s:{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}}}}}}}}",
        "openapi", "3.0.3",
        "info", "title", "cchc API", "version", "1", "description", r->cfg->agency,
        "servers", "url", r->cfg->base_url,
        "paths", paths,
        "components", "securitySchemes", "cookieSession", "type", "apiKey", "in", "cookie", "name", "cchc_session",
        "bearerToken", "type", "http", "scheme", "bearer",
        "schemas", "Error", "type", "object", "properties", "error", "type", "object", "properties",
        "code", "type", "string", "message", "type", "string", "field", "type", "string");
    resp_json_value(w, 200, doc ? doc : json_object());
}
