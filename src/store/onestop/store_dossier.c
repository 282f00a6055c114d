/* Dossiers (store_dossier.h). */
#include "store/onestop/store_dossier.h"
#include "store/store_audit.h"
#include "store/store_util.h"
#include "core/calendar.h"
#include "core/fold.h"
#include "core/onestop/dossier.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_text_or_null(db_stmt *s, int i, const char *v)
{
    if (v) db_bind_text(s, i, v); else db_bind_null(s, i);
}

static void bind_id_or_null(db_stmt *s, int i, int64_t v)
{
    if (v) db_bind_int(s, i, v); else db_bind_null(s, i);
}

bool store_legal_regime_on(db *d, const char *day, char *id, size_t n)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM legal_regimes WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) "
                               "ORDER BY valid_from DESC LIMIT 1");
    if (!s) return false;
    db_bind_text(s, 1, day);
    db_bind_text(s, 2, day);
    if (db_step(s) != DB_ROW) return false;
    store_copy_text(id, n, db_col_text(s, 0));
    db_step(s);
    return true;
}

bool store_legal_regime_forms(db *d, const char *regime, char **forms)
{
    db_stmt *s = db_prepare(d, "SELECT forms FROM legal_regimes WHERE id = ?");
    if (!s) return false;
    db_bind_text(s, 1, regime);
    if (db_step(s) != DB_ROW) return false;
    *forms = strdup(db_col_text(s, 0));
    db_step(s);
    return *forms != NULL;
}

/* The next sequence number of agency on day (YYMMDD), or -1. */
static int next_seq(db *d, const char *agency, const char *yymmdd)
{
    db_stmt *s = db_prepare(d, "INSERT INTO dossier_counters (agency, day, last_seq) VALUES (?, ?, 1) "
                               "ON CONFLICT (agency, day) DO UPDATE SET last_seq = dossier_counters.last_seq + 1");
    if (!s) return -1;
    db_bind_text(s, 1, agency);
    db_bind_text(s, 2, yymmdd);
    int rc = db_exec_stmt(s);
    if (rc != DB_DONE) return rc == DB_BUSY ? -2 : -1;
    s = db_prepare(d, "SELECT last_seq FROM dossier_counters WHERE agency = ? AND day = ?");
    if (!s) return -1;
    db_bind_text(s, 1, agency);
    db_bind_text(s, 2, yymmdd);
    if (db_step(s) != DB_ROW) return -1;
    int seq = (int)db_col_int(s, 0);
    db_step(s);
    return seq;
}

typedef struct {
    const dossier_new *n;
    char *code;
} create_ctx;

static int insert_dossier(db *d, const dossier_new *n, const char *code, const char *regime, int64_t *id)
{
    char now[32], *folded = fold_words_dup(n->name, false);
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO dossiers (code, procedure_version_id, regime, channel, home_service, state, applicant_name, "
        "applicant_name_folded, applicant_id_number, applicant_phone, applicant_email, applicant_address, received_at, due_at, "
        "base_due_at, step, holder_unit_id, received_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s || !folded) { free(folded); return DB_ERR; }
    db_bind_text(s, 1, code);
    db_bind_int(s, 2, n->procedure_version_id);
    db_bind_text(s, 3, regime);
    db_bind_text(s, 4, n->channel);
    db_bind_int(s, 5, n->home_service);
    db_bind_text(s, 6, n->m.state);
    db_bind_text(s, 7, n->name);
    db_bind_text(s, 8, folded);
    db_bind_text(s, 9, n->id_number ? n->id_number : "");
    db_bind_text(s, 10, n->phone ? n->phone : "");
    db_bind_text(s, 11, n->email ? n->email : "");
    db_bind_text(s, 12, n->address ? n->address : "");
    db_bind_text(s, 13, n->received_at);
    db_bind_text(s, 14, n->m.due_at);
    db_bind_text(s, 15, n->base_due_at);
    db_bind_int(s, 16, n->m.step);
    bind_id_or_null(s, 17, n->m.holder_unit_id);
    bind_id_or_null(s, 18, n->user_id);
    db_bind_text(s, 19, now);
    int rc = db_exec_stmt(s);
    free(folded);
    if (rc != DB_DONE) return rc == DB_BUSY ? DB_BUSY : DB_ERR;
    *id = db_last_id(d);
    return DB_OK;
}

static int insert_components(db *d, const dossier_new *n, int64_t id)
{
    for (int i = 0; i < n->ncomponents; i++) {
        db_stmt *s = db_prepare(d, "INSERT INTO dossier_components (dossier_id, component_no, file_sha) VALUES (?, ?, ?)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, n->components[i]);
        bind_text_or_null(s, 3, n->component_files ? n->component_files[i] : NULL);
        int rc = db_exec_stmt(s);
        if (rc != DB_DONE) return rc == DB_BUSY ? DB_BUSY : rc == DB_CONSTRAINT ? DB_CONSTRAINT : DB_ERR;
    }
    return DB_OK;
}

static int insert_event(db *d, int64_t id, const char *at, const char *event, const char *from, const char *to, int64_t user_id,
                        const char *username, int64_t from_unit, int64_t to_unit, int step, const char *step_result,
                        const char *note, const char *details)
{
    db_stmt *s = db_prepare(d, "INSERT INTO dossier_events (dossier_id, at, event, from_state, to_state, user_id, username, from_unit_id, "
                               "to_unit_id, step, step_result, note, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, at);
    db_bind_text(s, 3, event);
    bind_text_or_null(s, 4, from);
    db_bind_text(s, 5, to);
    bind_id_or_null(s, 6, user_id);
    db_bind_text(s, 7, username ? username : "");
    bind_id_or_null(s, 8, from_unit);
    bind_id_or_null(s, 9, to_unit);
    if (step) db_bind_int(s, 10, step); else db_bind_null(s, 10);
    bind_text_or_null(s, 11, step_result);
    db_bind_text(s, 12, note ? note : "");
    bind_text_or_null(s, 13, details);
    int rc = db_exec_stmt(s);
    return rc == DB_DONE ? DB_OK : rc == DB_BUSY ? DB_BUSY : DB_ERR;
}

static int create_txn(db *d, void *ctx)
{
    create_ctx *x = ctx;
    const dossier_new *n = x->n;
    char day[11], yymmdd[8], regime[32];
    int y, m, dd;
    cal_ymd_from_jdn(n->day_jdn, &y, &m, &dd);
    cal_format_iso(n->day_jdn, day);
    snprintf(yymmdd, sizeof yymmdd, "%02d%02d%02d", y % 100, m, dd);
    if (!store_legal_regime_on(d, day, regime, sizeof regime)) return DB_CONSTRAINT;
    int seq = next_seq(d, n->agency, yymmdd);
    if (seq == -2) return DB_BUSY;
    if (seq < 0) return DB_ERR;
    if (!dossier_code_format(n->agency, n->day_jdn, seq, x->code, 64)) return DB_CONSTRAINT;
    int64_t id;
    int rc = insert_dossier(d, n, x->code, regime, &id);
    if (rc == DB_OK) rc = insert_components(d, n, id);
    if (rc == DB_OK)
        rc = insert_event(d, id, n->received_at, "receive", NULL, n->m.state, n->user_id, n->username, 0, n->m.holder_unit_id,
                          n->m.step, NULL, n->note, NULL);
    if (rc != DB_OK) return rc;
    char after[128];
    snprintf(after, sizeof after, "{\"code\":\"%s\",\"state\":\"%s\"}", x->code, n->m.state);
    return store_audit(d, n->user_id, n->username ? n->username : "", "dossier_receive", "dossier", id, NULL, after);
}

int store_dossier_create(db *d, const dossier_new *n, char code[64])
{
    create_ctx x = {n, code};
    code[0] = '\0';
    return db_txn(d, true, create_txn, &x);
}

/* ---- reads ---------------------------------------------------------------------- */

#define DOSSIER_COLS "x.id, x.procedure_version_id, x.holder_unit_id, x.code, x.channel, x.regime, x.applicant_name, " \
    "x.applicant_id_number, x.applicant_phone, x.applicant_email, x.applicant_address, x.received_at, x.base_due_at, x.updated_at, " \
    "u.name, p.code, v.name, v.version, x.home_service, x.state, x.due_at, x.paused_since, x.apology_at, x.apology_due_at, " \
    "x.finished_at, x.returned_at, x.paused_minutes, x.supplement_requests, x.step, COALESCE(m.portal_status, 0)"
#define DOSSIER_FROM " FROM dossiers x JOIN procedure_versions v ON v.id = x.procedure_version_id " \
    "JOIN procedures p ON p.id = v.procedure_id LEFT JOIN units u ON u.id = x.holder_unit_id " \
    "LEFT JOIN portal_status_map m ON m.state = x.state "

static char *col_dup(db_stmt *s, int i)
{
    return store_dup_or_null(db_col_text_or_null(s, i));
}

static void dossier_read(db_stmt *s, dossier_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    r->procedure_version_id = db_col_int(s, 1);
    r->holder_unit_id = db_col_int(s, 2);
    char **strs[] = {&r->code, &r->channel, &r->regime, &r->name, &r->id_number, &r->phone, &r->email, &r->address,
                     &r->received_at, &r->base_due_at, &r->updated_at, &r->holder_unit_name, &r->procedure_code, &r->procedure_name};
    for (int i = 0; i < 14; i++) *strs[i] = col_dup(s, 3 + i);
    r->procedure_version = (int)db_col_int(s, 17);
    r->home_service = db_col_int(s, 18) != 0;
    r->m.state = col_dup(s, 19);
    r->m.due_at = col_dup(s, 20);
    r->m.paused_since = col_dup(s, 21);
    r->m.apology_at = col_dup(s, 22);
    r->m.apology_due_at = col_dup(s, 23);
    r->m.finished_at = col_dup(s, 24);
    r->m.returned_at = col_dup(s, 25);
    r->m.paused_minutes = db_col_int(s, 26);
    r->m.supplement_requests = (int)db_col_int(s, 27);
    r->m.step = (int)db_col_int(s, 28);
    r->m.holder_unit_id = r->holder_unit_id;
    r->portal_status = (int)db_col_int(s, 29);
}

void dossier_row_free(dossier_row *r)
{
    char *strs[] = {r->code, r->channel, r->regime, r->name, r->id_number, r->phone, r->email, r->address, r->received_at,
                    r->base_due_at, r->updated_at, r->holder_unit_name, r->procedure_code, r->procedure_name};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) free(strs[i]);
    free((char *)r->m.state); free((char *)r->m.due_at); free((char *)r->m.paused_since); free((char *)r->m.apology_at);
    free((char *)r->m.apology_due_at); free((char *)r->m.finished_at); free((char *)r->m.returned_at);
    memset(r, 0, sizeof *r);
}

void dossier_rows_free(dossier_row *r, int n)
{
    for (int i = 0; i < n; i++) dossier_row_free(&r[i]);
    free(r);
}

bool store_dossier_get(db *d, const char *code, dossier_row *out)
{
    db_stmt *s = db_prepare(d, "SELECT " DOSSIER_COLS DOSSIER_FROM "WHERE x.code = ?");
    if (!s) return false;
    db_bind_text(s, 1, code);
    if (db_step(s) != DB_ROW) return false;
    dossier_read(s, out);
    db_step(s);
    return true;
}

int store_dossier_find(db *d, const dossier_filter *f, dossier_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(d, "SELECT " DOSSIER_COLS DOSSIER_FROM
        "WHERE (? = '' OR x.state = ?) AND (? = '' OR p.code = ?) AND (? = 0 OR x.holder_unit_id = ?) "
        "AND (? = '' OR x.received_at >= ?) AND (? = '' OR x.received_at < ?) "
        "AND (? = 0 OR x.state IN ('submitted','received','processing','supplement_requested','payment_requested')) "
        "ORDER BY x.due_at, x.id LIMIT ?");
    if (!s) return DB_ERR;
    char to_next[16] = "";
    int32_t jdn;
    if (f->to && cal_parse_iso(f->to, &jdn)) cal_format_iso(jdn + 1, to_next);
    const char *st = f->state ? f->state : "", *pc = f->procedure_code ? f->procedure_code : "", *from = f->from ? f->from : "";
    db_bind_text(s, 1, st); db_bind_text(s, 2, st);
    db_bind_text(s, 3, pc); db_bind_text(s, 4, pc);
    db_bind_int(s, 5, f->holder_unit_id); db_bind_int(s, 6, f->holder_unit_id);
    db_bind_text(s, 7, from); db_bind_text(s, 8, from);
    db_bind_text(s, 9, to_next); db_bind_text(s, 10, to_next);
    db_bind_int(s, 11, f->open_only);
    db_bind_int(s, 12, f->limit > 0 ? f->limit : 500);
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            dossier_row *grown = realloc(*out, (size_t)cap * sizeof **out);
            if (!grown) { dossier_rows_free(*out, *n); *out = NULL; *n = 0; return DB_ERR; }
            *out = grown;
        }
        dossier_read(s, &(*out)[(*n)++]);
    }
    if (rc != DB_DONE) { dossier_rows_free(*out, *n); *out = NULL; *n = 0; return DB_ERR; }
    return DB_OK;
}

int store_dossier_events(db *d, int64_t dossier_id, dossier_event_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(d, "SELECT e.id, e.at, e.event, e.from_state, e.to_state, e.username, e.note, e.details, e.step_result, "
                               "fu.name, tu.name, COALESCE(e.step, 0) FROM dossier_events e LEFT JOIN units fu ON fu.id = e.from_unit_id "
                               "LEFT JOIN units tu ON tu.id = e.to_unit_id WHERE e.dossier_id = ? ORDER BY e.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, dossier_id);
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            dossier_event_row *grown = realloc(*out, (size_t)cap * sizeof **out);
            if (!grown) { dossier_events_free(*out, *n); *out = NULL; *n = 0; return DB_ERR; }
            *out = grown;
        }
        dossier_event_row *e = &(*out)[(*n)++];
        *e = (dossier_event_row){db_col_int(s, 0), col_dup(s, 1), col_dup(s, 2), col_dup(s, 3), col_dup(s, 4), col_dup(s, 5),
                                 col_dup(s, 6), col_dup(s, 7), col_dup(s, 8), col_dup(s, 9), col_dup(s, 10), (int)db_col_int(s, 11)};
    }
    if (rc != DB_DONE) { dossier_events_free(*out, *n); *out = NULL; *n = 0; return DB_ERR; }
    return DB_OK;
}

void dossier_events_free(dossier_event_row *e, int n)
{
    for (int i = 0; i < n; i++) {
        free(e[i].at); free(e[i].event); free(e[i].from_state); free(e[i].to_state); free(e[i].username); free(e[i].note);
        free(e[i].details); free(e[i].step_result); free(e[i].from_unit); free(e[i].to_unit);
    }
    free(e);
}

/* ---- changes ---------------------------------------------------------------------- */

static int apply_txn(db *d, void *ctx)
{
    const dossier_change *c = ctx;
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "SELECT id FROM dossiers WHERE code = ? AND state = ? AND updated_at = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, c->code);
    db_bind_text(s, 2, c->expect_state);
    db_bind_text(s, 3, c->expect_updated_at);
    int rc = db_step(s);
    if (rc == DB_DONE) return DB_DONE;
    if (rc != DB_ROW) return rc == DB_BUSY ? DB_BUSY : DB_ERR;
    int64_t id = db_col_int(s, 0);
    db_step(s);
    s = db_prepare(d, "UPDATE dossiers SET state = ?, due_at = ?, paused_since = ?, paused_minutes = ?, supplement_requests = ?, "
                      "apology_at = ?, apology_due_at = ?, step = ?, holder_unit_id = ?, finished_at = ?, returned_at = ?, "
                      "updated_at = ? WHERE id = ?");
    if (!s) return DB_ERR;
    const dossier_mutable *m = &c->m;
    db_bind_text(s, 1, m->state);
    db_bind_text(s, 2, m->due_at);
    bind_text_or_null(s, 3, m->paused_since);
    db_bind_int(s, 4, m->paused_minutes);
    db_bind_int(s, 5, m->supplement_requests);
    bind_text_or_null(s, 6, m->apology_at);
    bind_text_or_null(s, 7, m->apology_due_at);
    db_bind_int(s, 8, m->step);
    bind_id_or_null(s, 9, m->holder_unit_id);
    bind_text_or_null(s, 10, m->finished_at);
    bind_text_or_null(s, 11, m->returned_at);
    db_bind_text(s, 12, now);
    db_bind_int(s, 13, id);
    if ((rc = db_exec_stmt(s)) != DB_DONE) return rc == DB_BUSY ? DB_BUSY : DB_ERR;
    rc = insert_event(d, id, c->at, c->event, c->expect_state, m->state, c->user_id, c->username, c->from_unit_id, c->to_unit_id,
                      c->event_step, c->step_result, c->note, c->details);
    if (rc != DB_OK) return rc;
    char after[160];
    snprintf(after, sizeof after, "{\"code\":\"%s\",\"event\":\"%s\",\"state\":\"%s\"}", c->code, c->event, m->state);
    return store_audit(d, c->user_id, c->username ? c->username : "", "dossier_event", "dossier", id, NULL, after);
}

int store_dossier_apply(db *d, const dossier_change *c)
{
    return db_txn(d, true, apply_txn, (void *)c);
}

typedef struct { int64_t dossier_id, user_id; } view_ctx;

static int viewed_txn(db *d, void *ctx)
{
    const view_ctx *v = ctx;
    db_stmt *s = db_prepare(d, "INSERT INTO dossier_views (dossier_id, user_id, at) VALUES (?, ?, ?)");
    if (!s) return DB_ERR;
    char now[32];
    db_now_iso(now);
    db_bind_int(s, 1, v->dossier_id);
    bind_id_or_null(s, 2, v->user_id);
    db_bind_text(s, 3, now);
    int rc = db_exec_stmt(s);
    return rc == DB_DONE ? DB_OK : rc == DB_BUSY ? DB_BUSY : DB_ERR;
}

int store_dossier_viewed(db *d, int64_t dossier_id, int64_t user_id)
{
    view_ctx v = {dossier_id, user_id};
    return db_txn(d, true, viewed_txn, &v);
}
