/* JSON API of the working-day calendar: a year's schedule (status, listed days
 * with lunar dates, per-month working-day counts) and the deadline engine's
 * "N working days after a date". Both read the current calendar: the bundled
 * schedule plus the admin edits (calendar_current.h). */
#include "core/number.h"
#include "web/handlers.h"
#include "web/api/api_op.h"
#include "web/common.h"
#include "calendar_current.h"
#include "core/deadline.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "store/store_calendar.h"
#include <stdlib.h>
#include <string.h>

#define MAX_ADD_DAYS 100000

/* ---- objects ------------------------------------------------------------------ */

static const char *const DAY_KINDS[] = {"normal", "holiday", "tet", "compensatory", "swapped_off", "makeup_workday", NULL};
static const char *const YEAR_STATUSES[] = {"official", "confirmed", "provisional", "out_of_range", NULL};

typedef struct { int day, month, year; bool leap; char text[24]; } lunar_view;
static const js_field LUNAR_FIELDS[] = {
    {.name = "day", .type = JS_INT, .offset = offsetof(lunar_view, day), .ranged = true, .min = 1, .max = 30, .example = "15"},
    {.name = "month", .type = JS_INT, .offset = offsetof(lunar_view, month), .ranged = true, .min = 1, .max = 12, .example = "8"},
    {.name = "year", .type = JS_INT, .offset = offsetof(lunar_view, year), .example = "2022"},
    {.name = "leap", .type = JS_BOOL, .offset = offsetof(lunar_view, leap), .description = "A leap (nhuận) month"},
    {.name = "text", .type = JS_STRING, .offset = offsetof(lunar_view, text), .flags = JF_CHARS, .example = "\"15/8\"", .description = "day/month, n after a leap month"},
};
static JS_SCHEMA(SCHEMA_LUNAR, "LunarDate", lunar_view, "A date of the Vietnamese lunar calendar", LUNAR_FIELDS);

typedef struct {
    char date[11];
    const char *weekday, *kind, *name, *source;
    bool working, has_lunar;
    lunar_view lunar_day;
    const lunar_view *lunar;
} listed_day_view;
static const js_field LISTED_DAY_FIELDS[] = {
    {.name = "date", .type = JS_STRING, .offset = offsetof(listed_day_view, date), .flags = JF_CHARS, .example = "\"2022-09-02\"", .description = "YYYY-MM-DD"},
    {.name = "weekday", .type = JS_STRING, .offset = offsetof(listed_day_view, weekday), .example = "\"Thứ Sáu\""},
    {.name = "kind", .type = JS_STRING, .offset = offsetof(listed_day_view, kind), .enums = DAY_KINDS},
    {.name = "name", .type = JS_STRING, .offset = offsetof(listed_day_view, name), .example = "\"Quốc khánh\""},
    {.name = "source", .type = JS_STRING, .offset = offsetof(listed_day_view, source), .example = "\"Thông báo 6150/TB-LĐTBXH\""},
    {.name = "working", .type = JS_BOOL, .offset = offsetof(listed_day_view, working)},
    {.name = "lunar", .type = JS_OBJECT_PTR, .offset = offsetof(listed_day_view, lunar), .flags = JF_NULLABLE, .ref = &SCHEMA_LUNAR,
     .description = "null outside the lunar calendar's range"},
};
static JS_SCHEMA(SCHEMA_LISTED_DAY, "ListedDay", listed_day_view, "A holiday, day off or make-up working day", LISTED_DAY_FIELDS);

typedef struct { char date[11], lunar[24]; const char *weekday, *kind; bool working; } day_view;
static const js_field DAY_FIELDS[] = {
    {.name = "date", .type = JS_STRING, .offset = offsetof(day_view, date), .flags = JF_CHARS, .example = "\"2022-01-03\""},
    {.name = "weekday", .type = JS_STRING, .offset = offsetof(day_view, weekday), .example = "\"Thứ Hai\""},
    {.name = "working", .type = JS_BOOL, .offset = offsetof(day_view, working)},
    {.name = "kind", .type = JS_STRING, .offset = offsetof(day_view, kind), .enums = DAY_KINDS},
    {.name = "lunar", .type = JS_STRING, .offset = offsetof(day_view, lunar), .flags = JF_CHARS, .example = "\"1/12\"", .description = "day/month of the lunar calendar; \"\" outside its range"},
};
static JS_SCHEMA(SCHEMA_DAY, "CalendarDay", day_view, "One day of the year", DAY_FIELDS);

typedef struct { int month, days, working_days, days_off; } month_view;
static const js_field MONTH_FIELDS[] = {
    {.name = "month", .type = JS_INT, .offset = offsetof(month_view, month), .ranged = true, .min = 1, .max = 12, .example = "1"},
    {.name = "days", .type = JS_INT, .offset = offsetof(month_view, days), .ranged = true, .min = 28, .max = 31, .example = "31"},
    {.name = "working_days", .type = JS_INT, .offset = offsetof(month_view, working_days), .ranged = true, .min = 0, .max = 31, .example = "21"},
    {.name = "days_off", .type = JS_INT, .offset = offsetof(month_view, days_off), .ranged = true, .min = 0, .max = 31, .example = "10"},
};
static JS_SCHEMA(SCHEMA_MONTH, "CalendarMonth", month_view, "Working days of a month", MONTH_FIELDS);

typedef struct { const char *by, *at; } confirmation_view;
static const js_field CONFIRMATION_FIELDS[] = {
    {.name = "by", .type = JS_STRING, .offset = offsetof(confirmation_view, by), .example = "\"admin\""},
    {.name = "at", .type = JS_STRING, .offset = offsetof(confirmation_view, at), .example = "\"2026-01-05T02:00:00Z\""},
};
static JS_SCHEMA(SCHEMA_CONFIRMATION, "CalendarConfirmation", confirmation_view, "Who confirmed a provisional year, and when",
                 CONFIRMATION_FIELDS);

typedef struct {
    int year, working_days, nlisted, nmonths, ndays;
    const char *status;
    bool provisional;
    char can_chi[32], tet[11];
    month_view month_data[12];
    const month_view *months;     /* month_data */
    listed_day_view *listed;
    day_view *days;
    const confirmation_view *confirmed;
} year_view;
static const js_field YEAR_FIELDS[] = {
    {.name = "year", .type = JS_INT, .offset = offsetof(year_view, year), .ranged = true, .min = CAL_MIN_YEAR, .max = CAL_MAX_YEAR, .example = "2022"},
    {.name = "status", .type = JS_STRING, .offset = offsetof(year_view, status), .enums = YEAR_STATUSES,
     .description = "official: bundled schedule; confirmed: confirmed by an administrator; provisional: Labour Code rules only"},
    {.name = "provisional", .type = JS_BOOL, .offset = offsetof(year_view, provisional)},
    {.name = "can_chi", .type = JS_STRING, .offset = offsetof(year_view, can_chi), .flags = JF_CHARS, .example = "\"Nhâm Dần\""},
    {.name = "tet", .type = JS_STRING, .offset = offsetof(year_view, tet), .flags = JF_CHARS, .example = "\"2022-02-01\"", .description = "The first day of the lunar year"},
    {.name = "working_days", .type = JS_INT, .offset = offsetof(year_view, working_days), .ranged = true, .min = 0, .max = 366, .example = "248"},
    {.name = "months", .type = JS_ARRAY, .offset = offsetof(year_view, months), .ref = &SCHEMA_MONTH, .count_at = offsetof(year_view, nmonths)},
    {.name = "listed_days", .type = JS_ARRAY, .offset = offsetof(year_view, listed), .ref = &SCHEMA_LISTED_DAY, .count_at = offsetof(year_view, nlisted)},
    {.name = "confirmed", .type = JS_OBJECT_PTR, .offset = offsetof(year_view, confirmed), .flags = JF_OPTIONAL, .ref = &SCHEMA_CONFIRMATION},
    {.name = "days", .type = JS_ARRAY, .offset = offsetof(year_view, days), .flags = JF_OPTIONAL, .ref = &SCHEMA_DAY, .count_at = offsetof(year_view, ndays),
     .description = "Every day of the year, with ?all=1"},
};
static JS_SCHEMA(SCHEMA_YEAR, "CalendarYear", year_view, "The working-day calendar of a year", YEAR_FIELDS);

typedef struct {
    char from[11], due[11], due_at[17], explanation[1024];
    int days;
    bool count_first, provisional;
    const char *due_weekday;
} add_view;
static const js_field ADD_FIELDS[] = {
    {.name = "from", .type = JS_DATE, .offset = offsetof(add_view, from), .flags = JF_CHARS, .example = "\"2022-04-29\""},
    {.name = "days", .type = JS_INT, .offset = offsetof(add_view, days), .ranged = true, .min = 0, .max = MAX_ADD_DAYS, .example = "5"},
    {.name = "count_first", .type = JS_BOOL, .offset = offsetof(add_view, count_first)},
    {.name = "due", .type = JS_DATE, .offset = offsetof(add_view, due), .flags = JF_CHARS, .example = "\"2022-05-09\""},
    {.name = "due_weekday", .type = JS_STRING, .offset = offsetof(add_view, due_weekday), .example = "\"Thứ Hai\""},
    {.name = "due_at", .type = JS_STRING, .offset = offsetof(add_view, due_at), .flags = JF_CHARS, .example = "\"2022-05-09 17:00\""},
    {.name = "explanation", .type = JS_STRING, .offset = offsetof(add_view, explanation), .flags = JF_CHARS, .example = "\"Hạn: 09/05/2022 ...\""},
    {.name = "provisional", .type = JS_BOOL, .offset = offsetof(add_view, provisional), .description = "The count crosses a year without an official schedule"},
};
static JS_SCHEMA(SCHEMA_ADD, "WorkingDaysResult", add_view, "A date N working days after another", ADD_FIELDS);

/* ---- operations ------------------------------------------------------------------ */

static const api_param YEAR_PARAMS[] = {
    {PARAM_PATH, true, {.name = "year", .type = JS_INT, .ranged = true, .min = CAL_MIN_YEAR, .max = CAL_MAX_YEAR, .example = "2022"}},
    {PARAM_QUERY, false, {.name = "all", .type = JS_INT, .ranged = true, .min = 0, .max = 1, .description = "1: add every day of the year"}},
};
static const api_param ADD_PARAMS[] = {
    {PARAM_QUERY, true, {.name = "from", .type = JS_STRING, .max_len = 10, .example = "\"2022-04-29\"", .description = "Start date (YYYY-MM-DD or dd/mm/yyyy)"}},
    {PARAM_QUERY, true, {.name = "days", .type = JS_INT, .ranged = true, .min = 0, .max = MAX_ADD_DAYS, .example = "5"}},
    {PARAM_QUERY, false, {.name = "count_first", .type = JS_INT, .ranged = true, .min = 0, .max = 1, .description = "1: the start day counts as the first day"}},
    {PARAM_QUERY, false, {.name = "cutoff", .type = JS_STRING, .max_len = 5, .example = "\"16:00\"", .description = "HH:MM; a start after it moves to the next working day"}},
    {PARAM_QUERY, false, {.name = "at", .type = JS_STRING, .max_len = 5, .example = "\"09:30\"", .description = "HH:MM of the start"}},
};

const api_op OP_GET_CALENDAR_YEAR = {
    .id = "getCalendarYear",
    .tag = "calendar",
    API_PARAMS(YEAR_PARAMS),
    .status = 200,
    .response = &SCHEMA_YEAR,
    .response_description = "The year's calendar",
};
const api_op OP_ADD_WORKING_DAYS = {
    .id = "addWorkingDays",
    .tag = "calendar",
    .description = "The statutory-deadline rule of the one-stop shop: days off and Tết are skipped.",
    API_PARAMS(ADD_PARAMS),
    .status = 200,
    .response = &SCHEMA_ADD,
    .response_description = "The due date",
};

/* ---- handlers ------------------------------------------------------------------------ */

static bool lunar_fill(int32_t jdn, lunar_view *v)
{
    lunar_date l;
    if (!lunar_from_jdn(jdn, &l)) return false;
    *v = (lunar_view){l.day, l.month, l.year, l.leap, ""};
    snprintf(v->text, sizeof v->text, "%d/%d%s", l.day, l.month, l.leap ? "n" : "");
    return true;
}

static void listed_fill(const cal_calendar *cal, const cal_day *d, listed_day_view *v)
{
    *v = (listed_day_view){.weekday = cal_weekday_name_vi(d->jdn), .kind = cal_kind_name(d->kind), .name = d->name,
                           .source = d->source, .working = cal_is_working_day(cal, d->jdn, NULL)};
    cal_format_iso(d->jdn, v->date);
    if (lunar_fill(d->jdn, &v->lunar_day)) v->lunar = &v->lunar_day;
}

static void every_day_fill(const cal_calendar *cal, int32_t j, day_view *v)
{
    const cal_day *e = cal_day_entry(cal, j);
    lunar_view l;
    *v = (day_view){.weekday = cal_weekday_name_vi(j), .kind = cal_kind_name(e ? e->kind : CAL_KIND_NORMAL),
                    .working = cal_is_working_day(cal, j, NULL)};
    cal_format_iso(j, v->date);
    if (lunar_fill(j, &l)) snprintf(v->lunar, sizeof v->lunar, "%s", l.text);
}

static void months_fill(const cal_calendar *cal, int year, year_view *v)
{
    v->nmonths = 12;
    v->months = v->month_data;
    for (int m = 1; m <= 12; m++) {
        int32_t first = cal_jdn_from_ymd(year, m, 1);
        int n = cal_days_in_month(year, m);
        int work = cal_working_days_between(cal, first - 1, first + n - 1);
        v->month_data[m - 1] = (month_view){m, n, work, n - work};
    }
}

/* Fills v for year (v->listed and v->days are caller-freed). False when out of memory. */
static bool year_fill(const cal_calendar *cal, int year, bool every_day, year_view *v)
{
    size_t n;
    const cal_day *days = cal_year_days(cal, year, &n);
    cal_year_status st = cal_year_status_of(cal, year);
    v->year = year;
    v->status = cal_year_status_name(st);
    v->provisional = st == CAL_YEAR_PROVISIONAL;
    lunar_year_name(year, v->can_chi, sizeof v->can_chi);
    cal_format_iso(lunar_tet_jdn(year), v->tet);
    v->working_days = cal_working_days_between(cal, cal_jdn_from_ymd(year, 1, 1) - 1, cal_jdn_from_ymd(year, 12, 31));
    months_fill(cal, year, v);
    v->listed = calloc(n + 1, sizeof *v->listed);
    if (!v->listed) return false;
    v->nlisted = (int)n;
    for (size_t i = 0; i < n; i++) listed_fill(cal, &days[i], &v->listed[i]);
    if (!every_day) return true;
    int32_t first = cal_jdn_from_ymd(year, 1, 1), last = cal_jdn_from_ymd(year, 12, 31);
    v->days = calloc((size_t)(last - first + 1), sizeof *v->days);
    if (!v->days) return false;
    for (int32_t j = first; j <= last; j++) every_day_fill(cal, j, &v->days[v->ndays++]);
    return true;
}

void h_api_calendar_year(req *r, resp *w)
{
    int year = (int)req_param_id(r, 0);
    const char *all = req_query(r, "all");
    const cal_calendar *cal = cal_current();
    year_view v = {0};
    cal_year_confirmation c;
    confirmation_view cv;
    if (!year_fill(cal, year, all && !strcmp(all, "1"), &v)) {
        free(v.listed);
        free(v.days);
        resp_json_error(w, 500, "oom", _("Không tạo được dữ liệu lịch."), NULL);
        return;
    }
    if (cal_year_status_of(cal, year) == CAL_YEAR_CONFIRMED && store_calendar_confirmation(r->db, year, &c)) {
        cv = (confirmation_view){c.confirmed_by, c.confirmed_at};
        v.confirmed = &cv;
    }
    api_reply(w, 200, &SCHEMA_YEAR, &v);
    free(v.listed);
    free(v.days);
}

typedef struct {
    int32_t from;
    int days;
    bool count_first;
    int cutoff_min;          /* -1: none */
    int at_min;
} add_args;

/* Reads the query (types and ranges are checked by the router against
 * OP_ADD_WORKING_DAYS); on error answers 400 naming the field and returns false. */
static bool parse_add_args(req *r, resp *w, add_args *a)
{
    const char *first = req_query(r, "count_first"), *cutoff = req_query(r, "cutoff"), *at = req_query(r, "at");
    a->cutoff_min = -1;
    a->at_min = 0;
    if (!cal_parse_date(req_query(r, "from"), &a->from)) {
        resp_json_error(w, 400, "invalid_parameter", _("from phải là ngày YYYY-MM-DD."), "from");
        return false;
    }
    parse_int_strict(req_query(r, "days"), 0, MAX_ADD_DAYS, &a->days);
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
    char err[128];
    if (!dl_compute(&d, start, &res, err, sizeof err)) {
        resp_json_error(w, 400, "invalid_parameter", err, "days");
        return;
    }
    add_view v = {.days = a.days, .count_first = a.count_first, .provisional = res.provisional,
                  .due_weekday = cal_weekday_name_vi(res.due_jdn)};
    cal_format_iso(a.from, v.from);
    cal_format_iso(res.due_jdn, v.due);
    dl_format_moment(res.due_at, v.due_at);
    dl_explain(&d, start, v.explanation, sizeof v.explanation);
    api_reply(w, 200, &SCHEMA_ADD, &v);
}
