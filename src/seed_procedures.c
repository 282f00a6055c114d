/* Loads the bundled procedure catalogue (data/procedures.json) into an empty
 * catalogue: each procedure is parsed and validated with the same declaration
 * and checks as POST /api/v1/procedures, then stored as version 1. */
#include "cli.h"
#include "core/onestop/procedure.h"
#include "embed.h"
#include "store/onestop/store_procedure.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define CATALOGUE "data/procedures.json"

/* Parses, checks and stores one procedure; false with err set. */
static bool load_one(db *d, const json_t *item, size_t index, char *err, size_t errlen)
{
    procedure p = {0};
    js_error je;
    char msg[256];
    const char *field = NULL;
    bool ok = js_parse(&PROCEDURE_SCHEMA, item, &p, &je);
    if (!ok) snprintf(err, errlen, "%s: procedure %zu: %s: %s", CATALOGUE, index + 1, je.field, je.message);
    else if (!(ok = procedure_check(&p, msg, sizeof msg, &field)))
        snprintf(err, errlen, "%s: %s: %s: %s", CATALOGUE, p.code, field, msg);
    if (ok) {
        for (int i = 0; i < p.ncomponents; i++) p.components[i].id = i + 1;
        p.version = 0;
        buf body = {0};
        js_write(&body, &PROCEDURE_SCHEMA, &p);
        ok = store_procedure_put(d, &p, buf_str(&body), 0, "cchc init") > 0;
        if (!ok) snprintf(err, errlen, "%s: %s: database error", CATALOGUE, p.code);
        buf_free(&body);
    }
    js_free(&PROCEDURE_SCHEMA, &p);
    return ok;
}

int seed_procedures(struct db *d, char *err, size_t errlen)
{
    int have = store_procedure_count(d);
    if (have != 0) return have < 0 ? -1 : 0;
    size_t len;
    const char *text = embed_get(CATALOGUE, &len);
    json_error_t je;
    json_t *doc = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &je) : NULL;
    json_t *list = json_object_get(doc, "procedures");
    if (!json_is_array(list)) {
        snprintf(err, errlen, "%s: %s", CATALOGUE, text ? je.text : "not bundled in this binary");
        json_decref(doc);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(list); i++)
        if (!load_one(d, json_array_get(list, i), i, err, errlen)) { json_decref(doc); return -1; }
    printf("  %-12s %zu added\n", "procedures", json_array_size(list));
    json_decref(doc);
    return 0;
}
