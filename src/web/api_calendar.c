/* JSON API of the working-day calendar: a year's schedule (status, listed days
 * with lunar dates, per-month working-day counts) and the deadline engine's
 * "N working days after a date". Both read the current calendar: the bundled
 * schedule plus the admin edits (calendar_current.h). */
#include "core/number.h"
#include "web/handlers.h"
#include "web/common.h"
#include "calendar_current.h"
#include "core/deadline.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "store/store_calendar.h"
#include <stdlib.h>
#include <string.h>

#define MAX_ADD_DAYS 100000

/* {"day","month","year","leap","text":"15/8"} or null outside the lunar range. */
static json_t *lunar_json(int32_t jdn)
{
    lunar_date l;
    if (!lunar_from_jdn(jdn, &l)) return json_null();
    char text[24];
    snprintf(text, sizeof text, "%d/%d%s", l.day, l.month, l.leap ? "n" : "");
    return json_pack("{s:i, s:i, s:i, s:b, s:s}", "day", l.day, "month", l.month, "year", l.year, "leap", l.leap,
                     "text", text);
}

static json_t *listed_day_json(const cal_calendar *cal, const cal_day *d)
{
    char iso[11];
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "date", cal_format_iso(d->jdn, iso),
                     "weekday", cal_weekday_name_vi(d->jdn), "kind", cal_kind_name(d->kind), "name", d->name,
                     "source", d->source, "working", cal_is_working_day(cal, d->jdn, NULL), "lunar", lunar_json(d->jdn));
}

/* Every day of the year: {date, weekday, working, kind, lunar}. */
static json_t *every_day_json(const cal_calendar *cal, int year)
{
    json_t *arr = json_array();
    int32_t first = cal_jdn_from_ymd(year, 1, 1), last = cal_jdn_from_ymd(year, 12, 31);
    for (int32_t j = first; j <= last; j++) {
        char iso[11], lun[24] = "";
        lunar_date l;
        const cal_day *e = cal_day_entry(cal, j);
        if (lunar_from_jdn(j, &l)) snprintf(lun, sizeof lun, "%d/%d%s", l.day, l.month, l.leap ? "n" : "");
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b, s:s, s:s}", "date", cal_format_iso(j, iso),
                                             "weekday", cal_weekday_name_vi(j), "working", cal_is_working_day(cal, j, NULL),
                                             "kind", cal_kind_name(e ? e->kind : CAL_KIND_NORMAL), "lunar", lun));
    }
    return arr;
}

static json_t *months_json(const cal_calendar *cal, int year)
{
    json_t *arr = json_array();
    for (int m = 1; m <= 12; m++) {
        int32_t first = cal_jdn_from_ymd(year, m, 1);
        int n = cal_days_in_month(year, m);
        int work = cal_working_days_between(cal, first - 1, first + n - 1);
        json_array_append_new(arr, json_pack("{s:i, s:i, s:i, s:i}", "month", m, "days", n, "working_days", work,
                                             "days_off", n - work));
    }
    return arr;
}

static json_t *year_json(req *r, const cal_calendar *cal, int year)
{
    size_t n;
    char canchi[32], tet[11];
    const cal_day *days = cal_year_days(cal, year, &n);
    cal_year_status st = cal_year_status_of(cal, year);
    json_t *listed = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(listed, listed_day_json(cal, &days[i]));
    int total = cal_working_days_between(cal, cal_jdn_from_ymd(year, 1, 1) - 1, cal_jdn_from_ymd(year, 12, 31));
    json_t *o = json_pack("{s:i, s:s, s:b, s:s, s:s, s:i, s:o, s:o}", "year", year, "status", cal_year_status_name(st),
                          "provisional", st == CAL_YEAR_PROVISIONAL, "can_chi", lunar_year_name(year, canchi, sizeof canchi),
                          "tet", cal_format_iso(lunar_tet_jdn(year), tet), "working_days", total,
                          "months", months_json(cal, year), "listed_days", listed);
    cal_year_confirmation c;
    if (o && st == CAL_YEAR_CONFIRMED && store_calendar_confirmation(r->db, year, &c))
        json_object_set_new(o, "confirmed", json_pack("{s:s, s:s}", "by", c.confirmed_by, "at", c.confirmed_at));
    return o;
}

void h_api_calendar_year(req *r, resp *w)
{
    int64_t year = req_param_id(r, 0);
    const char *all = req_query(r, "all");
    if (year < CAL_MIN_YEAR || year > CAL_MAX_YEAR) {
        resp_json_error(w, 400, "invalid_parameter", _("Năm phải từ 1900 đến 2199."), "year");
        return;
    }
    if (all && strcmp(all, "0") && strcmp(all, "1")) {
        resp_json_error(w, 400, "invalid_parameter", _("all phải là 0 hoặc 1."), "all");
        return;
    }
    const cal_calendar *cal = cal_current();
    json_t *o = year_json(r, cal, (int)year);
    if (!o) {
        resp_json_error(w, 500, "internal", _("Không tạo được dữ liệu lịch."), NULL);
        return;
    }
    if (all && !strcmp(all, "1")) json_object_set_new(o, "days", every_day_json(cal, (int)year));
    resp_json_value(w, 200, o);
}

/* ---- /api/v1/calendar/add ------------------------------------------------------- */

typedef struct {
    int32_t from;
    int days;
    bool count_first;
    int cutoff_min;          /* -1: none */
    int at_min;
} add_args;

/* Parses the query; on error answers 400 naming the field and returns false. */
static bool parse_add_args(req *r, resp *w, add_args *a)
{
    const char *from = req_query(r, "from"), *days = req_query(r, "days"), *first = req_query(r, "count_first");
    const char *cutoff = req_query(r, "cutoff"), *at = req_query(r, "at");
    a->cutoff_min = -1;
    a->at_min = 0;
    if (!from || strlen(from) > 10 || !cal_parse_date(from, &a->from)) {
        resp_json_error(w, 400, "invalid_parameter", _("from phải là ngày YYYY-MM-DD."), "from");
        return false;
    }
    if (!parse_int_strict(days, 0, MAX_ADD_DAYS, &a->days)) {
        resp_json_error(w, 400, "invalid_parameter", _("days phải là số nguyên từ 0 đến 100000."), "days");
        return false;
    }
    if (first && strcmp(first, "0") && strcmp(first, "1")) {
        resp_json_error(w, 400, "invalid_parameter", _("count_first phải là 0 hoặc 1."), "count_first");
        return false;
    }
    a->count_first = first && !strcmp(first, "1");
    if (cutoff && *cutoff && !dl_parse_hhmm(cutoff, &a->cutoff_min)) {
        resp_json_error(w, 400, "invalid_parameter", _("cutoff phải có dạng HH:MM."), "cutoff");
        return false;
    }
    if (at && *at && !dl_parse_hhmm(at, &a->at_min)) {
        resp_json_error(w, 400, "invalid_parameter", _("at phải có dạng HH:MM."), "at");
        return false;
    }
    return true;
}

void h_api_calendar_add(req *r, resp *w)
{
    add_args a;
    if (!parse_add_args(r, w, &a)) return;
    dl_moment start = dl_moment_make(a.from, 0, a.at_min);
    dl_deadline d = dl_make(cal_current(), start, (dl_duration){DL_UNIT_WORKING_DAYS, a.days});
    d.rule.mode = a.count_first ? DL_START_SAME_DAY : DL_START_NEXT_DAY;
    d.rule.cutoff_min = a.cutoff_min;
    dl_result res;
    char err[128], text[1024], from[11], due[11], due_at[17];
    if (!dl_compute(&d, start, &res, err, sizeof err)) {
        resp_json_error(w, 400, "invalid_parameter", err, "days");
        return;
    }
    dl_explain(&d, start, text, sizeof text);
    resp_json_value(w, 200, json_pack("{s:s, s:i, s:b, s:s, s:s, s:s, s:s, s:b}", "from", cal_format_iso(a.from, from),
                                      "days", a.days, "count_first", a.count_first, "due", cal_format_iso(res.due_jdn, due),
                                      "due_weekday", cal_weekday_name_vi(res.due_jdn), "due_at", dl_format_moment(res.due_at, due_at),
                                      "explanation", text, "provisional", res.provisional));
}
