#ifndef CCHC_ROUTER_H
#define CCHC_ROUTER_H
/* The route table and its enforcement. Every route names the capability it
 * needs and, for state-changing methods, how CSRF is checked; the router
 * enforces both before the handler runs. */
#include "web/http.h"

typedef void (*handler_fn)(req *r, resp *w);
typedef enum { KIND_HTML, KIND_JSON } route_kind;
typedef enum {
    CSRF_NONE = 0,   /* safe methods only (GET/HEAD) */
    CSRF_SESSION,    /* the session's token in the csrf_token field or X-CSRF-Token header; API bearer tokens are exempt */
    CSRF_LOGIN,      /* anonymous forms: double-submit cookie; JSON: application/json content type required */
} csrf_mode;

#define BODY_DEFAULT 0        /* cfg->max_form */
#define BODY_UPLOAD  1        /* cfg->max_upload */

typedef struct route {
    const char *method;
    const char *pattern;      /* "/api/v1/tasks/{id}": {x} matches one path segment */
    handler_fn fn;
    capability cap;
    route_kind kind;
    csrf_mode csrf;
    int body;                 /* BODY_DEFAULT or BODY_UPLOAD */
    const char *summary;      /* one line, for the OpenAPI description */
    bool cached;              /* its content may come from the page cache (page_cache.h) */
    const struct api_op *op;  /* JSON routes: the declared contract (api/api_op.h); NULL for HTML */
    bool writes;              /* a GET that records something (a personal-data view): no read-only transaction */
} route;

extern const route ROUTES[];
extern const size_t ROUTES_COUNT;

/* Finds the route for method+path, filling r->params. Returns NULL when none
 * matches; *path_known is set when the path matches another method (405). */
const route *router_match(const char *method, const char *path, req *r, bool *path_known);
/* Checks the route's capability and CSRF rule for r. Returns true to go on;
 * otherwise fills w with 401/403 and returns false. */
bool router_authorize(req *r, resp *w);
/* Writes the methods that have a route for path ("GET, POST") into out, for 405's Allow. */
void router_allowed_methods(const char *path, char *out, size_t n);
/* The maximum request body size for a route under cfg. */
size_t router_body_limit(const route *rt, const struct config *cfg);
#endif
