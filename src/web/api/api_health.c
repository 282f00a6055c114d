/* GET /healthz: liveness and the database schema version, for load balancers. */
#include "web/handlers.h"
#include "web/api/api_op.h"

typedef struct { const char *status; int schema; } health_view;
static const js_field HEALTH_FIELDS[] = {
    {.name = "status", .type = JS_STRING, .offset = offsetof(health_view, status), .enums = (const char *const[]){"ok", NULL}},
    {.name = "schema", .type = JS_INT, .offset = offsetof(health_view, schema), .example = "8", .description = "The database schema version"},
};
static JS_SCHEMA(SCHEMA_HEALTH, "Health", health_view, "The server answers and its database is open", HEALTH_FIELDS);

const api_op OP_HEALTH = {
    .id = "getHealth",
    .tag = "meta",
    .description = "503 while the database is unreachable.",
    .status = 200,
    .response = &SCHEMA_HEALTH,
    .response_description = "Serving",
};

void h_healthz(req *r, resp *w)
{
    health_view v = {"ok", db_schema_version(r->db)};
    api_reply(w, 200, &SCHEMA_HEALTH, &v);
}
