/* deadline.c — statutory clocks on the working-day calendar. See deadline.h
 * for the semantics; this file only implements them. */
#include "core/deadline.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/i18n.h"

#define MINUTES_PER_DAY 1440
#define MAX_AMOUNT 100000
#define MAX_PAUSES 256

/* ---- Moments -------------------------------------------------------------- */

dl_moment dl_moment_make(int32_t jdn, int hour, int minute)
{
    return (dl_moment)jdn * MINUTES_PER_DAY + hour * 60 + minute;
}

int32_t dl_moment_jdn(dl_moment t)
{
    dl_moment q = t / MINUTES_PER_DAY;
    if (t % MINUTES_PER_DAY < 0) q--;
    return (int32_t)q;
}

int dl_moment_minute_of_day(dl_moment t)
{
    return (int)(t - (dl_moment)dl_moment_jdn(t) * MINUTES_PER_DAY);
}

char *dl_format_moment(dl_moment t, char out[static 17])
{
    char date[11];
    int m = dl_moment_minute_of_day(t);
    cal_format_iso(dl_moment_jdn(t), date);
    memcpy(out, date, 10);
    out[10] = ' ';
    out[11] = (char)('0' + m / 600);
    out[12] = (char)('0' + (m / 60) % 10);
    out[13] = ':';
    out[14] = (char)('0' + (m % 60) / 10);
    out[15] = (char)('0' + m % 10);
    out[16] = '\0';
    return out;
}

dl_start_rule dl_default_rule(void)
{
    dl_start_rule r = {DL_START_NEXT_DAY, -1};
    return r;
}

dl_deadline dl_make(const cal_calendar *cal, dl_moment start, dl_duration budget)
{
    dl_deadline d = {0};
    d.cal = cal;
    d.start = start;
    d.budget = budget;
    d.rule = dl_default_rule();
    return d;
}

/* ---- Working context -------------------------------------------------------- */

typedef struct {
    int32_t from, to;           /* day range [from, to) */
} day_range;

typedef struct {
    dl_moment from, to;         /* minute range [from, to) */
} minute_range;

/* Everything derived once per computation. */
typedef struct {
    const dl_deadline *d;
    const cal_calendar *cal;
    const cal_office_hours *hours;
    dl_moment now;
    dl_unit unit;               /* after folding in the extension */
    int total;                  /* budget + extension, in `unit` */
    dl_moment eff_start;
    int32_t receipt_day;
    day_range days[MAX_PAUSES]; /* merged pause days */
    size_t ndays;
    minute_range mins[MAX_PAUSES]; /* merged pause minutes */
    size_t nmins;
    bool paused_now;
} ctx;

static bool set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static int open_minute(const ctx *c)
{
    return c->hours->sessions[0].start_min;
}

static int close_minute(const ctx *c)
{
    return c->hours->sessions[c->hours->nsessions - 1].end_min;
}

static bool is_working(const ctx *c, int32_t day)
{
    return cal_is_working_day(c->cal, day, NULL);
}

/* Combines budget and extension into one unit; false if incompatible. */
static bool fold_extension(ctx *c, char *err, size_t errlen)
{
    const dl_deadline *d = c->d;
    c->unit = d->budget.unit;
    c->total = d->budget.amount;
    if (!d->has_extension) return true;
    dl_unit eu = d->extension.unit;
    int per_day = c->hours->nsessions;
    if (eu == c->unit) {
        c->total += d->extension.amount;
    } else if (c->unit == DL_UNIT_WORKING_DAYS && eu == DL_UNIT_HALF_DAYS) {
        c->unit = DL_UNIT_HALF_DAYS;
        c->total = c->total * per_day + d->extension.amount;
    } else if (c->unit == DL_UNIT_HALF_DAYS && eu == DL_UNIT_WORKING_DAYS) {
        c->total += d->extension.amount * per_day;
    } else {
        return set_err(err, errlen, "extension unit differs from the budget unit");
    }
    return true;
}

/* Applies the cut-off: late, out-of-hours or day-off receipts move to the
 * opening of the next working day. */
static void apply_cutoff(ctx *c)
{
    c->eff_start = c->d->start;
    int cutoff = c->d->rule.cutoff_min;
    if (cutoff >= 0) {
        int32_t day = dl_moment_jdn(c->d->start);
        int minute = dl_moment_minute_of_day(c->d->start);
        if (!is_working(c, day) || minute >= cutoff || minute >= close_minute(c)) {
            int32_t next = cal_add_working_days(c->cal, day, 1);
            c->eff_start = dl_moment_make(next, 0, open_minute(c));
        }
    }
    c->receipt_day = dl_moment_jdn(c->eff_start);
}

static int compare_minute_ranges(const void *a, const void *b)
{
    dl_moment x = ((const minute_range *)a)->from, y = ((const minute_range *)b)->from;
    return (x > y) - (x < y);
}

/* Sorts and merges the pauses (open ones end at now) into minute and day ranges. */
static bool merge_pauses(ctx *c, char *err, size_t errlen)
{
    const dl_deadline *d = c->d;
    if (d->npauses > MAX_PAUSES) return set_err(err, errlen, "too many pauses");
    c->nmins = 0;
    c->paused_now = false;
    for (size_t i = 0; i < d->npauses; i++) {
        dl_moment from = d->pauses[i].from, to = d->pauses[i].to;
        bool open = (to == DL_OPEN);
        if (!open && to < from) return set_err(err, errlen, "pause %zu ends before it starts", i + 1);
        if (from <= c->now && (open || c->now < to)) c->paused_now = true;
        if (open) to = c->now > from ? c->now : from;
        if (to > from) c->mins[c->nmins++] = (minute_range){from, to};
    }
    qsort(c->mins, c->nmins, sizeof c->mins[0], compare_minute_ranges);
    size_t n = 0;
    for (size_t i = 0; i < c->nmins; i++) {
        if (n > 0 && c->mins[i].from <= c->mins[n - 1].to) {
            if (c->mins[i].to > c->mins[n - 1].to) c->mins[n - 1].to = c->mins[i].to;
        } else {
            c->mins[n++] = c->mins[i];
        }
    }
    c->nmins = n;
    c->ndays = 0;
    for (size_t i = 0; i < c->nmins; i++) {
        int32_t from = dl_moment_jdn(c->mins[i].from), to = dl_moment_jdn(c->mins[i].to);
        if (to <= from) continue;
        if (c->ndays > 0 && from <= c->days[c->ndays - 1].to) {
            if (to > c->days[c->ndays - 1].to) c->days[c->ndays - 1].to = to;
        } else {
            c->days[c->ndays++] = (day_range){from, to};
        }
    }
    return true;
}

/* Working days in [a, b] (0 if b < a). */
static int working_days_in(const ctx *c, int32_t a, int32_t b)
{
    return b < a ? 0 : cal_working_days_between(c->cal, a - 1, b);
}

/* Paused working days in [a, b]. */
static int paused_days_in(const ctx *c, int32_t a, int32_t b)
{
    int n = 0;
    for (size_t i = 0; i < c->ndays; i++) {
        int32_t lo = c->days[i].from > a ? c->days[i].from : a;
        int32_t hi = c->days[i].to - 1 < b ? c->days[i].to - 1 : b;
        n += working_days_in(c, lo, hi);
    }
    return n;
}

/* Counted (working, not paused) days in [a, b]. */
static int counted_days_in(const ctx *c, int32_t a, int32_t b)
{
    return working_days_in(c, a, b) - paused_days_in(c, a, b);
}

static bool day_paused(const ctx *c, int32_t day)
{
    for (size_t i = 0; i < c->ndays; i++)
        if (day >= c->days[i].from && day < c->days[i].to) return true;
    return false;
}

/* ---- Unit algorithms ---------------------------------------------------------- */

static int32_t first_counted_day(const ctx *c)
{
    if (c->d->rule.mode == DL_START_SAME_DAY)
        return cal_next_working_day_on_or_after(c->cal, c->receipt_day);
    return cal_add_working_days(c->cal, c->receipt_day, 1);
}

/* The need-th counted working day on or after `first`, jumping over pauses. */
static int32_t due_working_days(const ctx *c, int32_t first, int need)
{
    int32_t p = first;
    for (size_t i = 0; i < c->ndays && need > 0; i++) {
        if (c->days[i].to <= p) continue;
        int before = working_days_in(c, p, c->days[i].from - 1);
        if (need <= before) break;
        need -= before;
        p = cal_next_working_day_on_or_after(c->cal, c->days[i].to > p ? c->days[i].to : p);
    }
    return cal_add_working_days(c->cal, p - 1, need);
}

/* Half days: walks sessions day by day. Returns the due moment. */
static dl_moment due_half_days(const ctx *c, int32_t *first_day)
{
    const cal_office_hours *h = c->hours;
    int32_t day;
    int idx = 0;
    if (c->d->rule.mode == DL_START_SAME_DAY && is_working(c, c->receipt_day)) {
        int minute = dl_moment_minute_of_day(c->eff_start);
        day = c->receipt_day;
        while (idx < h->nsessions && h->sessions[idx].start_min < minute) idx++;
        if (idx == h->nsessions) day = cal_add_working_days(c->cal, day, 1), idx = 0;
    } else {
        day = first_counted_day(c);
    }
    *first_day = day;
    if (c->total == 0) return c->eff_start;
    int need = c->total;
    for (;;) {
        if (day_paused(c, day)) {
            day = cal_add_working_days(c->cal, day, 1), idx = 0;
            continue;
        }
        int avail = h->nsessions - idx;
        if (need <= avail) return dl_moment_make(day, 0, h->sessions[idx + need - 1].end_min);
        need -= avail;
        day = cal_add_working_days(c->cal, day, 1), idx = 0;
    }
}

/* Consumes up to *need minutes of [x, y) minus pauses; returns the due moment
 * when *need reaches zero inside it, else -1. */
static dl_moment consume_segment(const ctx *c, dl_moment x, dl_moment y, int64_t *need)
{
    for (size_t i = 0; i < c->nmins && x < y; i++) {
        if (c->mins[i].to <= x) continue;
        if (c->mins[i].from >= y) break;
        if (c->mins[i].from > x) {
            dl_moment len = c->mins[i].from - x;
            if (*need <= len) return x + *need;
            *need -= len;
        }
        x = c->mins[i].to;
    }
    if (x < y) {
        if (*need <= y - x) return x + *need;
        *need -= y - x;
    }
    return -1;
}

/* Working hours: walks office sessions from the effective start. */
static dl_moment due_working_hours(const ctx *c)
{
    int64_t need = (int64_t)c->total * 60;
    if (need == 0) return c->eff_start;
    int32_t day = c->receipt_day;
    for (;;) {
        if (is_working(c, day)) {
            for (int s = 0; s < c->hours->nsessions; s++) {
                dl_moment x = dl_moment_make(day, 0, c->hours->sessions[s].start_min);
                dl_moment y = dl_moment_make(day, 0, c->hours->sessions[s].end_min);
                if (y <= c->eff_start) continue;
                if (x < c->eff_start) x = c->eff_start;
                dl_moment due = consume_segment(c, x, y, &need);
                if (due >= 0) return due;
            }
        }
        day++;
    }
}

/* Calendar days paused from `from` on, extending as the due date moves. */
static int32_t extend_by_pauses(const ctx *c, int32_t from, int32_t due)
{
    for (size_t i = 0; i < c->ndays; i++) {
        if (c->days[i].to <= from || c->days[i].from > due) continue;
        int32_t lo = c->days[i].from > from ? c->days[i].from : from;
        due += c->days[i].to - lo;
    }
    return due;
}

static int32_t add_months(int32_t day, int months)
{
    int y, m, d;
    cal_ymd_from_jdn(day, &y, &m, &d);
    int total = (y * 12 + (m - 1)) + months;
    y = total / 12;
    m = total % 12 + 1;
    int dim = cal_days_in_month(y, m);
    return cal_jdn_from_ymd(y, m, d > dim ? dim : d);
}

/* Nominal end of a calendar-day or month period (before Art. 148(5)). */
static int32_t due_calendar(const ctx *c)
{
    int32_t r = c->receipt_day;
    int32_t due;
    bool same_day = c->d->rule.mode == DL_START_SAME_DAY;
    if (c->unit == DL_UNIT_MONTHS) {
        due = add_months(r, c->total);
        if (same_day && c->total > 0) due--;
    } else {
        due = r + c->total - (same_day && c->total > 0 ? 1 : 0);
    }
    return extend_by_pauses(c, r, due);
}

/* ---- Putting it together -------------------------------------------------------- */

static bool provisional_between(const cal_calendar *cal, int32_t a, int32_t b)
{
    int ya, yb, m, d;
    cal_ymd_from_jdn(a, &ya, &m, &d);
    cal_ymd_from_jdn(b, &yb, &m, &d);
    for (int y = ya; y <= yb && y - ya < 400; y++) {
        cal_year_status st = cal_year_status_of(cal, y);
        if (st == CAL_YEAR_PROVISIONAL || st == CAL_YEAR_OUT_OF_RANGE) return true;
    }
    return false;
}

/* Working minutes of one day inside [a, b). */
static int64_t working_minutes_of_day(const ctx *c, int32_t day, dl_moment a, dl_moment b)
{
    int64_t sum = 0;
    if (!is_working(c, day)) return 0;
    for (int s = 0; s < c->hours->nsessions; s++) {
        dl_moment x = dl_moment_make(day, 0, c->hours->sessions[s].start_min);
        dl_moment y = dl_moment_make(day, 0, c->hours->sessions[s].end_min);
        if (x < a) x = a;
        if (y > b) y = b;
        if (y > x) sum += y - x;
    }
    return sum;
}

/* Working minutes in [a, b) (no pauses); O(1) in the number of days. */
static int64_t working_minutes(const ctx *c, dl_moment a, dl_moment b)
{
    int32_t da = dl_moment_jdn(a), db = dl_moment_jdn(b);
    if (da == db) return working_minutes_of_day(c, da, a, b);
    return working_minutes_of_day(c, da, a, b)
           + (int64_t)cal_working_minutes_per_day(c->cal) * working_days_in(c, da + 1, db - 1)
           + working_minutes_of_day(c, db, a, b);
}

static bool validate(const dl_deadline *d, char *err, size_t errlen)
{
    if (!d || !d->cal) return set_err(err, errlen, "no calendar");
    if (d->budget.amount < 0 || d->budget.amount > MAX_AMOUNT) return set_err(err, errlen, "budget out of range");
    if ((unsigned)d->budget.unit > DL_UNIT_MONTHS) return set_err(err, errlen, "unknown unit");
    if (d->has_extension && (d->extension.amount < 0 || d->extension.amount > MAX_AMOUNT
                             || (unsigned)d->extension.unit > DL_UNIT_MONTHS))
        return set_err(err, errlen, "extension out of range");
    if (d->rule.cutoff_min >= MINUTES_PER_DAY) return set_err(err, errlen, "cut-off out of range");
    int32_t day = dl_moment_jdn(d->start);
    if (day < 0 || day > 5373484) return set_err(err, errlen, "start out of range");
    return true;
}

static void compute_due(ctx *c, dl_result *out)
{
    int32_t first = c->receipt_day + (c->d->rule.mode == DL_START_SAME_DAY ? 0 : 1);
    switch (c->unit) {
    case DL_UNIT_WORKING_DAYS:
        first = first_counted_day(c);
        out->due_jdn = c->total == 0 ? c->receipt_day : due_working_days(c, first, c->total);
        out->due_at = dl_moment_make(out->due_jdn, 0, close_minute(c));
        break;
    case DL_UNIT_HALF_DAYS:
        out->due_at = due_half_days(c, &first);
        out->due_jdn = dl_moment_jdn(out->due_at);
        break;
    case DL_UNIT_WORKING_HOURS:
        first = c->receipt_day;
        out->due_at = due_working_hours(c);
        out->due_jdn = dl_moment_jdn(out->due_at);
        break;
    case DL_UNIT_CALENDAR_DAYS:
    case DL_UNIT_MONTHS:
        out->due_jdn = cal_next_working_day_on_or_after(c->cal, due_calendar(c));
        out->rolled_forward = out->due_jdn != due_calendar(c);
        out->due_at = dl_moment_make(out->due_jdn, 0, close_minute(c));
        break;
    }
    out->first_counted_jdn = first;
}

static void compute_progress(const ctx *c, dl_result *out)
{
    int32_t today = dl_moment_jdn(c->now);
    int32_t first = out->first_counted_jdn, due = out->due_jdn;
    bool day_unit = c->unit == DL_UNIT_WORKING_DAYS || c->unit == DL_UNIT_CALENDAR_DAYS
                    || c->unit == DL_UNIT_MONTHS;
    out->budget_working_days = counted_days_in(c, first, due);
    out->paused_working_days = paused_days_in(c, first, due);
    out->working_days_used = counted_days_in(c, first, today < due ? today : due);
    int32_t from = today > first - 1 ? today : first - 1;
    out->working_days_left = counted_days_in(c, from + 1, due);
    out->overdue = day_unit ? today > due : c->now > out->due_at;
    out->overdue_working_days = today > due ? counted_days_in(c, due + 1, today) : 0;
    if (out->overdue) out->working_days_left = 0;
    int64_t span = c->now <= out->due_at ? working_minutes(c, c->now, out->due_at)
                                         : -working_minutes(c, out->due_at, c->now);
    out->working_minutes_left = span;
    out->paused = c->paused_now;
    out->provisional = provisional_between(c->cal, dl_moment_jdn(c->d->start), due);
}

static bool prepare(ctx *c, const dl_deadline *d, dl_moment now, char *err, size_t errlen)
{
    if (!validate(d, err, errlen)) return false;
    c->d = d;
    c->cal = d->cal;
    c->hours = cal_office_hours_of(d->cal);
    c->now = now;
    if (!fold_extension(c, err, errlen) || !merge_pauses(c, err, errlen)) return false;
    apply_cutoff(c);
    return true;
}

bool dl_compute(const dl_deadline *d, dl_moment now, dl_result *out, char *err, size_t errlen)
{
    ctx *c = calloc(1, sizeof *c);
    if (!c) return set_err(err, errlen, "out of memory");
    memset(out, 0, sizeof *out);
    bool ok = prepare(c, d, now, err, errlen);
    if (ok) {
        out->effective_start = c->eff_start;
        compute_due(c, out);
        compute_progress(c, out);
    }
    free(c);
    return ok;
}

dl_moment dl_due(const dl_deadline *d, dl_moment now)
{
    dl_result r;
    return dl_compute(d, now, &r, NULL, 0) ? r.due_at : DL_OPEN;
}

/* ---- Explanation ------------------------------------------------------------------ */

typedef struct {
    char *out;
    size_t cap, len;
} sink;

static void sink_add(sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sink_add(sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = s->len < s->cap ? s->cap - s->len : 0;
    int n = vsnprintf(room ? s->out + s->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) s->len += (size_t)n;
}

/* Cuts a truncated UTF-8 string back to a character boundary. */
static void trim_utf8(char *out, size_t outlen, size_t len)
{
    if (!outlen || len < outlen) return;
    size_t end = outlen - 1;
    size_t i = end;
    while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80) i--;
    if (i > 0 && ((unsigned char)out[i - 1] & 0x80)) {
        unsigned char lead = (unsigned char)out[i - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (end - (i - 1) < need) end = i - 1;
    }
    out[end] = '\0';
}

static void add_day_short(sink *s, int32_t day, bool with_year)
{
    char b[11];
    cal_format_vn(day, b);
    if (!with_year) b[5] = '\0';
    sink_add(s, "%s", b);
}

#define MAX_LABELS 4

/* Adds a distinct label for a listed day to labels[]. */
static void collect_label(const cal_day *e, char labels[][64], int *n, bool primary_only)
{
    char label[64];
    bool primary = e->kind == CAL_KIND_HOLIDAY || e->kind == CAL_KIND_TET;
    if (primary_only != primary) return;
    if (e->kind == CAL_KIND_TET) {
        int y, m, d;
        char year_name[32];
        cal_ymd_from_jdn(e->jdn, &y, &m, &d);
        snprintf(label, sizeof label, "Tết %s", lunar_year_name(y, year_name, sizeof year_name));
    } else {
        snprintf(label, sizeof label, "%s", e->name);
    }
    for (int i = 0; i < *n; i++)
        if (strcmp(labels[i], label) == 0) return;
    if (*n < MAX_LABELS) memcpy(labels[(*n)++], label, sizeof label);
}

/* Writes one skipped run "dd/mm–dd/mm (labels)". */
static void add_run(sink *s, const cal_calendar *cal, int32_t a, int32_t b)
{
    char labels[MAX_LABELS][64];
    int n = 0;
    for (int pass = 0; pass < 2 && n == 0; pass++)
        for (int32_t d = a; d <= b; d++) {
            const cal_day *e = cal_day_entry(cal, d);
            if (e && cal_kind_is_day_off(e->kind)) collect_label(e, labels, &n, pass == 0);
        }
    int ya, yb, m, dd;
    cal_ymd_from_jdn(a, &ya, &m, &dd);
    cal_ymd_from_jdn(b, &yb, &m, &dd);
    add_day_short(s, a, ya != yb);
    if (b != a) {
        sink_add(s, "–");
        add_day_short(s, b, ya != yb);
    }
    sink_add(s, " (");
    for (int i = 0; i < n; i++) sink_add(s, "%s%s", i ? ", " : "", labels[i]);
    sink_add(s, ")");
}

/* Lists runs of days off in (from, to] that contain a listed day off, the
 * first one preceded by prefix. */
static void add_skipped_runs(sink *s, const cal_calendar *cal, int32_t from, int32_t to, const char *prefix)
{
    int runs = 0;
    for (int32_t d = from + 1; d <= to; d++) {
        if (cal_is_working_day(cal, d, NULL)) continue;
        int32_t end = d;
        bool listed = false;
        while (end + 1 <= to && !cal_is_working_day(cal, end + 1, NULL)) end++;
        for (int32_t x = d; x <= end; x++) {
            const cal_day *e = cal_day_entry(cal, x);
            if (e && cal_kind_is_day_off(e->kind)) listed = true;
        }
        if (listed) {
            sink_add(s, "%s", runs++ ? ", " : prefix);
            add_run(s, cal, d, end);
        }
        d = end;
    }
}

static void add_skipped(sink *s, const cal_calendar *cal, int32_t from, int32_t to)
{
    add_skipped_runs(s, cal, from, to, _(", bỏ qua "));
}

size_t dl_days_off_between(const cal_calendar *cal, int32_t from, int32_t to, char *out, size_t outlen)
{
    sink s = {out, outlen, 0};
    if (outlen) out[0] = '\0';
    add_skipped_runs(&s, cal, from, to, "");
    return s.len;
}

static void add_due(sink *s, const dl_deadline *d, const dl_result *r)
{
    char date[11];
    cal_format_vn(r->due_jdn, date);
    bool timed = d->budget.unit == DL_UNIT_WORKING_HOURS || d->budget.unit == DL_UNIT_HALF_DAYS;
    if (timed) {
        int m = dl_moment_minute_of_day(r->due_at);
        sink_add(s, _(", hạn %02d:%02d %s %s"), m / 60, m % 60, cal_weekday_name_vi(r->due_jdn), date);
    } else {
        sink_add(s, _(", hạn %s %s"), cal_weekday_name_vi(r->due_jdn), date);
    }
}

size_t dl_explain(const dl_deadline *d, dl_moment now, char *out, size_t outlen)
{
    sink s = {out, outlen, 0};
    dl_result r;
    char err[128], dur[64], date[11];
    if (outlen) out[0] = '\0';
    if (!dl_compute(d, now, &r, err, sizeof err)) {
        sink_add(&s, _("thời hạn không hợp lệ: %s"), err);
        trim_utf8(out, outlen, s.len);
        return s.len;
    }
    int32_t start_day = dl_moment_jdn(d->start);
    bool timed = d->budget.unit == DL_UNIT_WORKING_HOURS || d->budget.unit == DL_UNIT_HALF_DAYS;
    bool calendar_unit = d->budget.unit == DL_UNIT_CALENDAR_DAYS || d->budget.unit == DL_UNIT_MONTHS;
    dl_format_duration(d->budget, dur, sizeof dur);
    if (timed) {
        int m = dl_moment_minute_of_day(d->start);
        sink_add(&s, _("%s từ %02d:%02d %s"), dur, m / 60, m % 60, cal_format_vn(start_day, date));
    } else {
        sink_add(&s, _("%s từ %s"), dur, cal_format_vn(start_day, date));
    }
    if (dl_moment_jdn(r.effective_start) != start_day)
        sink_add(&s, _(" (tính là nhận ngày %s)"), cal_format_vn(dl_moment_jdn(r.effective_start), date));
    if (!calendar_unit) add_skipped(&s, d->cal, start_day, r.due_jdn);
    else if (r.rolled_forward)
        sink_add(&s, "%s", _(", ngày cuối rơi vào ngày nghỉ nên chuyển sang ngày làm việc tiếp theo"));
    if (r.paused_working_days > 0) sink_add(&s, _(", tạm dừng %d ngày làm việc"), r.paused_working_days);
    if (d->has_extension)
        sink_add(&s, _(", gia hạn %s"), dl_format_duration(d->extension, dur, sizeof dur));
    add_due(&s, d, &r);
    if (r.overdue && r.overdue_working_days > 0)
        sink_add(&s, _(", quá hạn %d ngày làm việc"), r.overdue_working_days);
    if (r.provisional) sink_add(&s, "%s", _(" (lịch nghỉ tạm tính, chưa có công bố chính thức)"));
    trim_utf8(out, outlen, s.len);
    return s.len;
}

/* ---- Parsing ------------------------------------------------------------------------- */

char *dl_format_duration(dl_duration d, char *out, size_t outlen)
{
    if (!outlen) return out;
    switch (d.unit) {
    case DL_UNIT_WORKING_DAYS: snprintf(out, outlen, _("%d ngày làm việc"), d.amount); break;
    case DL_UNIT_WORKING_HOURS: snprintf(out, outlen, _("%d giờ làm việc"), d.amount); break;
    case DL_UNIT_CALENDAR_DAYS: snprintf(out, outlen, _("%d ngày"), d.amount); break;
    case DL_UNIT_MONTHS: snprintf(out, outlen, _("%d tháng"), d.amount); break;
    case DL_UNIT_HALF_DAYS:
        if (d.amount == 1) snprintf(out, outlen, "%s", _("1/2 ngày làm việc"));
        else if (d.amount % 2 == 0) snprintf(out, outlen, _("%d ngày làm việc"), d.amount / 2);
        else snprintf(out, outlen, _("%d,5 ngày làm việc"), d.amount / 2);
        break;
    default: snprintf(out, outlen, "?"); break;
    }
    return out;
}

/* Parses the number at the start of s: "10", "1,5", "1.5", "1/2", "nua"
 * (nửa). Stores twice its value in *halves; returns the rest of s or NULL. */
static const char *parse_amount(const char *s, long *halves)
{
    if (strncmp(s, "nua", 3) == 0) {
        *halves = 1;
        return s + 3;
    }
    if (!isdigit((unsigned char)*s)) return NULL;
    long v = 0;
    while (isdigit((unsigned char)*s)) {
        v = v * 10 + (*s++ - '0');
        if (v > MAX_AMOUNT) return NULL;
    }
    *halves = 2 * v;
    if (*s == '/' && v == 1 && s[1] == '2' && !isdigit((unsigned char)s[2])) {
        *halves = 1;
        return s + 2;
    }
    if ((*s == ',' || *s == '.') && isdigit((unsigned char)s[1])) {
        if (s[1] == '5' && !isdigit((unsigned char)s[2])) *halves += 1;
        else if (!(s[1] == '0' && !isdigit((unsigned char)s[2]))) return NULL;
        return s + 2;
    }
    return s;
}

typedef struct {
    const char *words;
    dl_unit unit;
    bool day_like;   /* fractional amounts become half days */
} unit_word;

static const unit_word UNIT_WORDS[] = {
    {"ngay lam viec", DL_UNIT_WORKING_DAYS, true},
    {"ngay lv", DL_UNIT_WORKING_DAYS, true},
    {"working days", DL_UNIT_WORKING_DAYS, true},
    {"working day", DL_UNIT_WORKING_DAYS, true},
    {"wd", DL_UNIT_WORKING_DAYS, true},
    {"gio lam viec", DL_UNIT_WORKING_HOURS, false},
    {"working hours", DL_UNIT_WORKING_HOURS, false},
    {"working hour", DL_UNIT_WORKING_HOURS, false},
    {"gio", DL_UNIT_WORKING_HOURS, false},
    {"wh", DL_UNIT_WORKING_HOURS, false},
    {"h", DL_UNIT_WORKING_HOURS, false},
    {"buoi lam viec", DL_UNIT_HALF_DAYS, false},
    {"buoi", DL_UNIT_HALF_DAYS, false},
    {"half days", DL_UNIT_HALF_DAYS, false},
    {"half day", DL_UNIT_HALF_DAYS, false},
    {"half-days", DL_UNIT_HALF_DAYS, false},
    {"half-day", DL_UNIT_HALF_DAYS, false},
    {"ngay", DL_UNIT_CALENDAR_DAYS, true},
    {"days", DL_UNIT_CALENDAR_DAYS, true},
    {"day", DL_UNIT_CALENDAR_DAYS, true},
    {"d", DL_UNIT_CALENDAR_DAYS, true},
    {"thang", DL_UNIT_MONTHS, false},
    {"months", DL_UNIT_MONTHS, false},
    {"month", DL_UNIT_MONTHS, false},
    {"m", DL_UNIT_MONTHS, false},
};

/* Collapses whitespace runs to one space and trims both ends, in place. */
static void squeeze_spaces(char *s)
{
    char *w = s;
    bool space = true;
    for (char *r = s; *r; r++) {
        if (isspace((unsigned char)*r)) {
            if (!space) *w++ = ' ';
            space = true;
        } else {
            *w++ = *r;
            space = false;
        }
    }
    if (w > s && w[-1] == ' ') w--;
    *w = '\0';
}

bool dl_parse_duration(const char *s, dl_duration *out)
{
    char folded[128];
    long halves;
    if (!s || strlen(s) >= sizeof folded / 2) return false;
    fold_text(s, folded, sizeof folded);
    for (char *p = folded; *p; p++) *p = (char)tolower((unsigned char)*p);
    squeeze_spaces(folded);
    const char *rest = parse_amount(folded, &halves);
    if (!rest) return false;
    if (*rest == ' ') rest++;
    for (size_t i = 0; i < sizeof UNIT_WORDS / sizeof UNIT_WORDS[0]; i++) {
        if (strcmp(rest, UNIT_WORDS[i].words) != 0) continue;
        const unit_word *u = &UNIT_WORDS[i];
        if (halves % 2 == 0) *out = (dl_duration){u->unit, (int)(halves / 2)};
        else if (u->day_like) *out = (dl_duration){DL_UNIT_HALF_DAYS, (int)halves};
        else return false;   /* fractional hours, half-day counts or months */
        return true;
    }
    return false;
}

bool dl_parse_hhmm(const char *s, int *minutes)
{
    if (!s || !isdigit((unsigned char)s[0])) return false;
    int h = s[0] - '0';
    const char *p = s + 1;
    if (isdigit((unsigned char)*p)) h = h * 10 + (*p++ - '0');
    if (*p++ != ':' || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2]) return false;
    int m = (p[0] - '0') * 10 + (p[1] - '0');
    if (h > 23 || m > 59) return false;
    *minutes = h * 60 + m;
    return true;
}

bool dl_parse_moment(const char *s, dl_moment *out)
{
    char date[16];
    int32_t jdn;
    int minutes = 0;
    if (!s) return false;
    size_t n = strcspn(s, " T");
    if (n == 0 || n >= sizeof date) return false;
    memcpy(date, s, n);
    date[n] = '\0';
    if (!cal_parse_date(date, &jdn)) return false;
    if (s[n]) {
        const char *t = s + n + 1;
        char hm[6];
        size_t tl = strlen(t);
        if (tl == 8 && t[5] == ':' && isdigit((unsigned char)t[6]) && isdigit((unsigned char)t[7])
            && (t[6] - '0') * 10 + (t[7] - '0') < 60)
            tl = 5;
        if (tl < 4 || tl > 5) return false;
        memcpy(hm, t, tl);
        hm[tl] = '\0';
        if (!dl_parse_hhmm(hm, &minutes)) return false;
    }
    *out = dl_moment_make(jdn, 0, minutes);
    return true;
}
