/* GET /api/v1/stats/dossiers: the one-stop statistics of a period, in all
 * and per procedure or per unit, computed from the dossiers (core/onestop/
 * dossier_stats.c). The targets computed from dossiers use the same sums. */
#include "web/handlers.h"
#include "web/api/api_op.h"
#include "web/api/api_stats.h"
#include "core/calendar.h"
#include "core/i18n.h"
#include "core/onestop/dossier.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 200

typedef struct {
    const char *key, *label;
    dossier_stats s;
    double online_share, on_time_rate, average_days;
    bool has_online, has_on_time, has_average;
} stats_row_view;
#define STAT(f, d) {.name = #f, .type = JS_INT, .offset = offsetof(stats_row_view, s.f), .ranged = true, .min = 0, .max = INT32_MAX, .description = d}
static const js_field ROW_FIELDS[] = {
    {.name = "key", .type = JS_STRING, .offset = offsetof(stats_row_view, key), .example = "\"2.001914\""},
    {.name = "label", .type = JS_STRING, .offset = offsetof(stats_row_view, label)},
    STAT(received, "Received in the period"),
    STAT(carried_over, "Received before, still open when the period began"),
    STAT(finished, "Finished in the period (signed, stopped)"),
    STAT(early, "Finished before the due day"),
    STAT(on_time, "Finished on the due day"),
    STAT(late, "Finished late, or with more than one supplementation request"),
    STAT(open_in_time, "Still open at the end, within the due date"),
    STAT(open_overdue, "Still open at the end, past the due date"),
    STAT(with_supplement, "With a supplementation request"),
    STAT(returned, "Result returned"),
    STAT(withdrawn, "Withdrawn by the applicant"),
    STAT(online, "Received online"),
    {.name = "on_time_rate", .type = JS_NUMBER, .offset = offsetof(stats_row_view, on_time_rate), .flags = JF_NULLABLE | JF_HAS,
     .has_at = offsetof(stats_row_view, has_on_time), .description = "Percent of the finished ones early or on time (Decision 766, 2.1)"},
    {.name = "online_share", .type = JS_NUMBER, .offset = offsetof(stats_row_view, online_share), .flags = JF_NULLABLE | JF_HAS,
     .has_at = offsetof(stats_row_view, has_online), .description = "Percent of the received ones received online"},
    {.name = "average_processing_days", .type = JS_NUMBER, .offset = offsetof(stats_row_view, average_days), .flags = JF_NULLABLE | JF_HAS,
     .has_at = offsetof(stats_row_view, has_average), .description = "Mean calendar days from reception to the end, pauses left out"},
};
#undef STAT
static JS_SCHEMA(SCHEMA_STATS_ROW, "DossierStatsRow", stats_row_view, "The statistics of a group of dossiers", ROW_FIELDS);

typedef struct { const char *from, *to, *group; stats_row_view total; stats_row_view *rows; int n; } stats_view;
static const char *const GROUPS[] = {"none", "procedure", "unit", NULL};
static const js_field STATS_FIELDS[] = {
    {.name = "from", .type = JS_DATE, .offset = offsetof(stats_view, from)},
    {.name = "to", .type = JS_DATE, .offset = offsetof(stats_view, to)},
    {.name = "group", .type = JS_STRING, .offset = offsetof(stats_view, group), .enums = GROUPS},
    {.name = "total", .type = JS_OBJECT, .offset = offsetof(stats_view, total), .ref = &SCHEMA_STATS_ROW},
    {.name = "rows", .type = JS_ARRAY, .offset = offsetof(stats_view, rows), .ref = &SCHEMA_STATS_ROW, .count_at = offsetof(stats_view, n)},
};
static JS_SCHEMA(SCHEMA_STATS, "DossierStats", stats_view, "One-stop statistics of a period", STATS_FIELDS);

static const api_param PARAMS[] = {
    {PARAM_QUERY, false, {.name = "from", .type = JS_DATE, .description = "First day (default: 1 January of this year)"}},
    {PARAM_QUERY, false, {.name = "to", .type = JS_DATE, .description = "Last day (default: today)"}},
    {PARAM_QUERY, false, {.name = "procedure", .type = JS_STRING, .max_len = 32}},
    {PARAM_QUERY, false, {.name = "unit", .type = JS_INT64, .ranged = true, .min = 1, .max = INT64_MAX, .description = "Holding unit id"}},
    {PARAM_QUERY, false, {.name = "group", .type = JS_STRING, .enums = GROUPS, .description = "Rows per procedure or per unit"}},
};

const api_op OP_DOSSIER_STATS = {
    .id = "getDossierStats",
    .tag = "dossiers",
    .description = "Computed from the dossiers, never typed in: the figures of the regulation's periodic report.",
    API_PARAMS(PARAMS),
    .status = 200,
    .response = &SCHEMA_STATS,
    .response_description = "The statistics",
};

static int64_t parse_or(const char *s, int64_t fallback)
{
    int64_t t;
    return s && *s && dossier_time_parse(s, &t) ? t : fallback;
}

bool dossier_facts_of(const dossier_row *x, dossier_facts *f)
{
    int64_t received, due, current;
    if (!dossier_time_parse(x->received_at, &received) ||
        !dossier_time_parse(x->m.apology_due_at ? x->m.apology_due_at : x->base_due_at, &due) ||
        !dossier_time_parse(x->m.due_at, &current))
        return false;
    *f = (dossier_facts){received, due, current, parse_or(x->m.finished_at, -1), x->m.paused_minutes, x->m.supplement_requests,
                         !strcmp(x->channel, "online"), x->m.returned_at != NULL, !strcmp(x->m.state, "withdrawn"),
                         !strcmp(x->m.state, "refused")};
    return true;
}

int dossier_period_stats(db *d, const char *procedure_code, int64_t unit_id, int32_t from_jdn, int32_t to_jdn, dossier_stats *out)
{
    memset(out, 0, sizeof *out);
    char to_iso[11];
    cal_format_iso(to_jdn, to_iso);
    dossier_filter f = {.procedure_code = procedure_code, .holder_unit_id = unit_id, .to = to_iso, .limit = 1000000};
    dossier_row *rows;
    int n;
    if (store_dossier_find(d, &f, &rows, &n) != DB_OK) return DB_ERR;
    int64_t now = dossier_moment_of_unix(db_now());
    dossier_facts facts;
    for (int i = 0; i < n; i++)
        if (dossier_facts_of(&rows[i], &facts)) dossier_stats_add(out, &facts, (int64_t)from_jdn * 1440, (int64_t)(to_jdn + 1) * 1440, now);
    dossier_rows_free(rows, n);
    return DB_OK;
}

static void finish_row(stats_row_view *v)
{
    v->has_on_time = dossier_stats_on_time_rate(&v->s, &v->on_time_rate);
    v->has_online = v->s.received > 0;
    if (v->has_online) v->online_share = 100.0 * v->s.online / v->s.received;
    v->has_average = v->s.finished > 0;
    if (v->has_average) v->average_days = (double)v->s.processing_minutes / 1440.0 / v->s.finished;
}

/* The row of key in rows (added when new); NULL when MAX_GROUPS are in use. */
static stats_row_view *row_of(stats_row_view *rows, int *n, const char *key, const char *label)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(rows[i].key, key)) return &rows[i];
    if (*n >= MAX_GROUPS) return NULL;
    rows[*n] = (stats_row_view){.key = key, .label = label};
    return &rows[(*n)++];
}

void h_api_dossier_stats(req *r, resp *w)
{
    int32_t today = (int32_t)(dossier_moment_of_unix(db_now()) / 1440), from, to;
    int y, m, dd;
    cal_ymd_from_jdn(today, &y, &m, &dd);
    const char *qf = req_query(r, "from"), *qt = req_query(r, "to"), *group = req_query(r, "group"), *unit = req_query(r, "unit");
    if (!qf || !cal_parse_iso(qf, &from)) from = cal_jdn_from_ymd(y, 1, 1);
    if (!qt || !cal_parse_iso(qt, &to)) to = today;
    if (!group || !*group) group = "none";
    char to_iso[11], from_iso[11];
    dossier_filter f = {.procedure_code = req_query(r, "procedure"), .holder_unit_id = unit && *unit ? strtoll(unit, NULL, 10) : 0,
                        .to = cal_format_iso(to, to_iso), .limit = 1000000};
    if (f.procedure_code && !*f.procedure_code) f.procedure_code = NULL;
    dossier_row *rows;
    int n;
    if (store_dossier_find(r->db, &f, &rows, &n) != DB_OK) { resp_json_error(w, 500, "internal", _("Lỗi đọc dữ liệu."), NULL); return; }
    stats_row_view *groups = calloc(MAX_GROUPS, sizeof *groups);
    stats_view v = {cal_format_iso(from, from_iso), to_iso, group, {.key = "all", .label = _("Tất cả")}, groups, 0};
    int64_t now = dossier_moment_of_unix(db_now()), start = (int64_t)from * 1440, end = (int64_t)(to + 1) * 1440;
    dossier_facts facts;
    for (int i = 0; groups && i < n; i++) {
        if (!dossier_facts_of(&rows[i], &facts)) continue;
        dossier_stats_add(&v.total.s, &facts, start, end, now);
        stats_row_view *g = !strcmp(group, "procedure") ? row_of(groups, &v.n, rows[i].procedure_code, rows[i].procedure_name)
                          : !strcmp(group, "unit") ? row_of(groups, &v.n, rows[i].holder_unit_name ? rows[i].holder_unit_name : "—",
                                                            rows[i].holder_unit_name ? rows[i].holder_unit_name : "—")
                          : NULL;
        if (g) dossier_stats_add(&g->s, &facts, start, end, now);
    }
    finish_row(&v.total);
    for (int i = 0; i < v.n; i++) finish_row(&groups[i]);
    if (groups) api_reply(w, 200, &SCHEMA_STATS, &v);
    else resp_json_error(w, 500, "oom", _("Máy chủ hết bộ nhớ."), NULL);
    free(groups);
    dossier_rows_free(rows, n);
}
