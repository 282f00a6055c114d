/* Loads the bundled procedure catalogue (data/procedures.json) into an empty
 * catalogue: each procedure is parsed and validated with the same declaration
 * and checks as POST /api/v1/procedures, then stored as version 1. */
#include "cli.h"
#include "config.h"
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

/* ---- demo dossiers (cchc init --demo) ------------------------------------------------- */

#include "calendar_current.h"
#include "core/onestop/dossier.h"
#include "store/onestop/store_dossier.h"
#include "store/store_unit.h"

#define DEMO_PROCEDURE "2.001914"

/* Receives one demo dossier now; code gets its code. */
static int demo_receive(db *d, const config *cfg, const procedure *p, int64_t version_id, const char *name, char code[64])
{
    int64_t now = dossier_moment_of_unix(db_now());
    dl_start_mode mode;
    dl_deadline dl = dl_make(cal_current(), now, procedure_dl_duration(&p->duration, &mode));
    dl.rule.mode = mode;
    char received[32], due[32];
    dossier_time_format(now, received);
    dossier_time_format(dl_due(&dl, now), due);
    int comps[] = {1};
    dossier_new n = {.procedure_version_id = version_id, .agency = cfg->agency_code, .day_jdn = (int32_t)(now / 1440),
                     .channel = "counter", .name = name, .phone = "0912345678", .address = "Lê Chân, Hải Phòng",
                     .received_at = received, .base_due_at = due,
                     .m = {.state = "received", .due_at = due, .step = 1, .holder_unit_id = store_unit_id_by_code(d, p->steps[0].unit)},
                     .components = comps, .ncomponents = p->ncomponents ? 1 : 0, .note = "Dữ liệu mẫu", .username = "cchc init"};
    return store_dossier_create(d, &n, code);
}

/* Hands the dossier to the unit of step 2 of p. */
static int demo_transfer(db *d, const procedure *p, const char *code)
{
    dossier_row x;
    if (p->nsteps < 2 || !store_dossier_get(d, code, &x)) return DB_ERR;
    char now[32];
    dossier_time_format(dossier_moment_of_unix(db_now()), now);
    dossier_change c = {.code = code, .expect_state = x.m.state, .expect_updated_at = x.updated_at, .m = x.m, .event = "transfer",
                        .at = now, .note = "Dữ liệu mẫu", .from_unit_id = x.holder_unit_id, .event_step = 1, .username = "cchc init"};
    c.m.state = "processing";
    c.m.step = 2;
    c.m.holder_unit_id = c.to_unit_id = store_unit_id_by_code(d, p->steps[1].unit);
    int rc = store_dossier_apply(d, &c);
    dossier_row_free(&x);
    return rc;
}

int seed_demo_dossiers(struct db *d, const config *cfg, char *err, size_t errlen)
{
    dossier_row *some;
    int have;
    dossier_filter any = {.limit = 1};
    if (store_dossier_find(d, &any, &some, &have) != DB_OK) return -1;
    dossier_rows_free(some, have);
    if (have) return 0;                       /* a database that has dossiers gets no samples */
    procedure_row row;
    if (!store_procedure_get(d, DEMO_PROCEDURE, 0, &row)) { snprintf(err, errlen, "demo: no procedure %s", DEMO_PROCEDURE); return -1; }
    json_t *doc = json_loads(row.body, 0, NULL);
    procedure p = {0};
    js_error je;
    int rc = doc && js_parse(&PROCEDURE_SCHEMA, doc, &p, &je) ? DB_OK : DB_ERR;
    char a[64], b[64];
    if (rc == DB_OK) rc = demo_receive(d, cfg, &p, row.version_id, "Nguyễn Văn An", a);
    if (rc == DB_OK) rc = demo_receive(d, cfg, &p, row.version_id, "Trần Thị Bình", b);
    if (rc == DB_OK) rc = demo_transfer(d, &p, b);
    if (rc != DB_OK) snprintf(err, errlen, "demo dossiers: database error");
    else printf("  %-12s 2 received (%s, %s)\n", "dossiers", a, b);
    js_free(&PROCEDURE_SCHEMA, &p);
    json_decref(doc);
    procedure_row_free(&row);
    return rc == DB_OK ? 0 : -1;
}
