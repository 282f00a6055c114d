/* calendar.c — the working-day calendar: official schedules, rule-derived
 * provisional years, overrides, and O(1) working-day arithmetic.
 *
 * Representation: one slot per day from 1900-01-01 to 2199-12-31 is filled
 * while building (official rows, then rules, then overrides) and flattened
 * into a sorted array of listed days. Two tables make counting O(1):
 *   cum[i]  = number of working days among the first i days of the range;
 *   work[c] = offset of the c-th working day (0-based). */
#include "core/number.h"
#include "core/calendar.h"
#include "core/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NYEARS (CAL_MAX_YEAR - CAL_MIN_YEAR + 1)
#define MAX_OCCASION_DAYS 16

static const char COMP_SOURCE[] = "BLLĐ 2019 Điều 111(3)";

typedef enum { RULE_SOLAR, RULE_LUNAR, RULE_TET, RULE_ADJACENT } rule_type;

typedef struct {
    rule_type type;
    int month, day, days;
    const char *name, *comp_name, *source;   /* pooled */
    int32_t effective_from;
    bool enabled, all_years;
} cal_rule;

typedef struct {
    cal_day_kind kind;
    const char *name, *source;
} day_slot;

struct cal_calendar {
    int32_t base;               /* JDN of 1900-01-01 */
    int32_t ndays;              /* days through 2199-12-31 */
    uint32_t *cum;              /* ndays + 1 entries */
    int32_t *work;              /* nwork entries */
    int32_t nwork;
    cal_day *days;              /* listed days, sorted */
    size_t nlisted;
    size_t year_first[NYEARS + 1];
    uint8_t status[NYEARS];
    cal_office_hours hours;
    int minutes_per_day;
    char **pool;                /* every string the calendar owns */
    size_t npool, cappool;
};

/* Build-time state. */
typedef struct {
    cal_calendar *cal;
    day_slot *slots;
    bool official[NYEARS];
    cal_rule *rules;
    size_t nrules;
    char *err;
    size_t errlen;
} builder;

/* ---- Small helpers ------------------------------------------------------ */

static bool fail(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(builder *b, const char *fmt, ...)
{
    if (b->err && b->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->err, b->errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* Copies s into the calendar's string pool; NULL on out of memory. */
static const char *pool_dup(cal_calendar *cal, const char *s)
{
    if (cal->npool == cal->cappool) {
        size_t cap = cal->cappool ? cal->cappool * 2 : 64;
        char **p = realloc(cal->pool, cap * sizeof *p);
        if (!p) return NULL;
        cal->pool = p;
        cal->cappool = cap;
    }
    char *copy = strdup(s ? s : "");
    if (copy) cal->pool[cal->npool++] = copy;
    return copy;
}

static bool is_weekend(int32_t jdn)
{
    return cal_weekday(jdn) >= 5;
}

static int year_of(int32_t jdn)
{
    int y, m, d;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    return y;
}

static bool in_range(const cal_calendar *cal, int32_t jdn)
{
    return jdn >= cal->base && jdn - cal->base < cal->ndays;
}

const char *cal_kind_name(cal_day_kind kind)
{
    switch (kind) {
    case CAL_KIND_HOLIDAY: return "holiday";
    case CAL_KIND_TET: return "tet";
    case CAL_KIND_COMPENSATORY: return "compensatory";
    case CAL_KIND_SWAPPED_OFF: return "swapped_off";
    case CAL_KIND_MAKEUP_WORKDAY: return "makeup_workday";
    case CAL_KIND_NORMAL: break;
    }
    return "normal";
}

bool cal_kind_parse(const char *s, cal_day_kind *out)
{
    static const cal_day_kind kinds[] = {CAL_KIND_NORMAL, CAL_KIND_HOLIDAY, CAL_KIND_TET,
                                         CAL_KIND_COMPENSATORY, CAL_KIND_SWAPPED_OFF,
                                         CAL_KIND_MAKEUP_WORKDAY};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (s && strcmp(s, cal_kind_name(kinds[i])) == 0) {
            *out = kinds[i];
            return true;
        }
    }
    return false;
}

bool cal_kind_is_day_off(cal_day_kind kind)
{
    return kind == CAL_KIND_HOLIDAY || kind == CAL_KIND_TET || kind == CAL_KIND_COMPENSATORY
           || kind == CAL_KIND_SWAPPED_OFF;
}

const char *cal_year_status_name(cal_year_status st)
{
    switch (st) {
    case CAL_YEAR_OFFICIAL: return "official";
    case CAL_YEAR_CONFIRMED: return "confirmed";
    case CAL_YEAR_PROVISIONAL: return "provisional";
    case CAL_YEAR_OUT_OF_RANGE: break;
    }
    return "out_of_range";
}

/* ---- Office hours ---------------------------------------------------------- */

cal_office_hours cal_default_office_hours(void)
{
    cal_office_hours h = {2, {{7 * 60 + 30, 11 * 60 + 30}, {13 * 60 + 30, 17 * 60}}};
    return h;
}

static bool office_hours_valid(const cal_office_hours *h)
{
    if (h->nsessions < 1 || h->nsessions > CAL_MAX_SESSIONS) return false;
    int prev_end = 0;
    for (int i = 0; i < h->nsessions; i++) {
        const cal_session *s = &h->sessions[i];
        if (s->start_min < prev_end || s->end_min <= s->start_min || s->end_min > 24 * 60)
            return false;
        prev_end = s->end_min;
    }
    return true;
}

/* Parses "HH:MM" at *p (advancing it) into minutes. */
static bool parse_clock(const char **p, int *minutes)
{
    const char *s = *p;
    int h = 0, m = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 2) h = h * 10 + (*s++ - '0'), digits++;
    if (digits == 0 || *s++ != ':') return false;
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return false;
    m = (s[0] - '0') * 10 + (s[1] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
    *minutes = h * 60 + m;
    *p = s + 2;
    return true;
}

bool cal_parse_office_hours(const char *s, cal_office_hours *out)
{
    cal_office_hours h = {0, {{0, 0}}};
    if (!s) return false;
    for (;;) {
        while (*s == ' ') s++;
        if (h.nsessions == CAL_MAX_SESSIONS) return false;
        cal_session *ses = &h.sessions[h.nsessions];
        if (!parse_clock(&s, &ses->start_min)) return false;
        while (*s == ' ') s++;
        if (*s != '-' && strncmp(s, "–", strlen("–")) != 0) return false;
        s += (*s == '-') ? 1 : strlen("–");
        while (*s == ' ') s++;
        if (!parse_clock(&s, &ses->end_min)) return false;
        h.nsessions++;
        while (*s == ' ') s++;
        if (*s == '\0') break;
        if (*s++ != ',') return false;
    }
    if (!office_hours_valid(&h)) return false;
    *out = h;
    return true;
}

const cal_office_hours *cal_office_hours_of(const cal_calendar *cal)
{
    return &cal->hours;
}

int cal_working_minutes_per_day(const cal_calendar *cal)
{
    return cal->minutes_per_day;
}

/* ---- CSV reading (core/csv.h, with '#' comment lines) ------------------------ */

/* Opens text and checks that its header has exactly the expected columns. */
static bool csv_expect_header(builder *b, csv_reader *r, const char *text, const char *file,
                              const char *const *cols, int ncols)
{
    csv_open(r, text, strlen(text));
    r->comment_char = '#';
    bool ok = csv_next(r) == CSV_RECORD && r->nfields == ncols;
    for (int i = 0; ok && i < ncols; i++) ok = strcmp(r->fields[i], cols[i]) == 0;
    if (!ok) return fail(b, "%s line %d: expected header starting with \"%s\"", file, r->record_line, cols[0]);
    return true;
}

/* Reads every data record of an opened file into add(b, fields, line); false on
 * the first malformed record or rejected row (b says why). */
static bool csv_each_row(builder *b, csv_reader *r, const char *file, int ncols,
                         bool (*add)(builder *b, char **f, int line))
{
    csv_status st;
    while ((st = csv_next(r)) != CSV_END) {
        if (st == CSV_ERROR) return fail(b, "%s line %d: %s", file, r->error_line, csv_error_text(r->error));
        if (r->nfields != ncols) return fail(b, "%s line %d: expected %d fields", file, r->record_line, ncols);
        char *f[CSV_MAX_COLUMNS];
        for (int i = 0; i < ncols; i++) f[i] = (char *)r->fields[i];
        if (!add(b, f, r->record_line)) return false;
    }
    return true;
}


/* ---- Rules ------------------------------------------------------------------- */

static bool parse_rule_type(const char *s, rule_type *out)
{
    static const struct { const char *name; rule_type type; } types[] = {
        {"solar", RULE_SOLAR}, {"lunar", RULE_LUNAR}, {"tet", RULE_TET}, {"adjacent", RULE_ADJACENT}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(s, types[i].name) == 0) { *out = types[i].type; return true; }
    return false;
}

static bool add_rule(builder *b, char **f, int line)
{
    cal_rule r = {0};
    int enabled;
    char comp[512];
    if (!parse_rule_type(f[1], &r.type)) return fail(b, "rules.csv line %d: unknown type \"%s\"", line, f[1]);
    if (!parse_int_strict(f[2], 1, 12, &r.month) || !parse_int_strict(f[3], 1, 31, &r.day)
        || !parse_int_strict(f[4], 1, MAX_OCCASION_DAYS - 1, &r.days))
        return fail(b, "rules.csv line %d: bad month/day/days", line);
    if (!cal_parse_iso(f[6], &r.effective_from))
        return fail(b, "rules.csv line %d: bad effective_from \"%s\"", line, f[6]);
    if (!parse_int_strict(f[7], 0, 1, &enabled)) return fail(b, "rules.csv line %d: enabled must be 0 or 1", line);
    r.enabled = enabled;
    if (strcmp(f[8], "all") == 0) r.all_years = true;
    else if (strcmp(f[8], "provisional") != 0)
        return fail(b, "rules.csv line %d: applies_to must be provisional or all", line);
    snprintf(comp, sizeof comp, "Nghỉ bù %s", f[5]);
    r.name = pool_dup(b->cal, f[5]);
    r.comp_name = pool_dup(b->cal, comp);
    r.source = pool_dup(b->cal, f[9]);
    if (!r.name || !r.comp_name || !r.source) return fail(b, "out of memory");
    cal_rule *rules = realloc(b->rules, (b->nrules + 1) * sizeof *rules);
    if (!rules) return fail(b, "out of memory");
    b->rules = rules;
    b->rules[b->nrules++] = r;
    return true;
}

static bool load_rules(builder *b, const char *text)
{
    static const char *const cols[] = {"id", "type", "month", "day", "days", "name",
                                       "effective_from", "enabled", "applies_to", "source"};
    if (!text) return true;
    csv_reader r;
    bool ok = csv_expect_header(b, &r, text, "rules.csv", cols, 10) && csv_each_row(b, &r, "rules.csv", 10, add_rule);
    csv_close(&r);
    return ok;
}

/* ---- Official rows ---------------------------------------------------------- */

static day_slot *slot_at(builder *b, int32_t jdn)
{
    return in_range(b->cal, jdn) ? &b->slots[jdn - b->cal->base] : NULL;
}

/* Checks that a kind makes sense on that weekday. */
static const char *kind_weekday_problem(cal_day_kind kind, int32_t jdn)
{
    if (kind == CAL_KIND_MAKEUP_WORKDAY && !is_weekend(jdn)) return "makeup_workday must be a Saturday or Sunday";
    if ((kind == CAL_KIND_COMPENSATORY || kind == CAL_KIND_SWAPPED_OFF) && is_weekend(jdn))
        return "compensatory/swapped_off must be a weekday";
    return NULL;
}

static bool add_official_row(builder *b, char **f, int line)
{
    int32_t jdn;
    cal_day_kind kind;
    if (!cal_parse_iso(f[0], &jdn)) return fail(b, "official.csv line %d: bad date \"%s\"", line, f[0]);
    day_slot *s = slot_at(b, jdn);
    if (!s) return fail(b, "official.csv line %d: date outside %d–%d", line, CAL_MIN_YEAR, CAL_MAX_YEAR);
    if (!cal_kind_parse(f[1], &kind) || kind == CAL_KIND_NORMAL)
        return fail(b, "official.csv line %d: unknown kind \"%s\"", line, f[1]);
    const char *problem = kind_weekday_problem(kind, jdn);
    if (problem) return fail(b, "official.csv line %d: %s", line, problem);
    if (s->kind != CAL_KIND_NORMAL) return fail(b, "official.csv line %d: duplicate date %s", line, f[0]);
    if (!f[2][0]) return fail(b, "official.csv line %d: empty name", line);
    s->kind = kind;
    s->name = pool_dup(b->cal, f[2]);
    s->source = pool_dup(b->cal, f[3]);
    if (!s->name || !s->source) return fail(b, "out of memory");
    b->official[year_of(jdn) - CAL_MIN_YEAR] = true;
    return true;
}

static bool load_official(builder *b, const char *text)
{
    static const char *const cols[] = {"date", "kind", "name", "source"};
    if (!text) return true;
    csv_reader r;
    bool ok = csv_expect_header(b, &r, text, "official.csv", cols, 4) && csv_each_row(b, &r, "official.csv", 4, add_official_row);
    csv_close(&r);
    return ok;
}

/* ---- Deriving holidays from rules ------------------------------------------ */

typedef struct {
    const cal_rule *rule;
    int32_t day[MAX_OCCASION_DAYS];
    int ndays;
} occasion;

/* The National Day adjacent day: the neighbouring weekday, preferring the
 * one that joins a weekend; on a tie, the day before. */
static int32_t adjacent_day(int32_t d)
{
    int32_t before = d - 1, after = d + 1;
    bool before_ok = !is_weekend(before), after_ok = !is_weekend(after);
    if (before_ok != after_ok) return before_ok ? before : after;
    bool after_joins = cal_weekday(after) == 4;   /* a Friday */
    bool before_joins = cal_weekday(before) == 0; /* a Monday */
    return (after_joins && !before_joins) ? after : before;
}

/* Fills the days of a rule's occasion in Gregorian year y; false if none. */
static bool occasion_days(const cal_rule *r, int y, occasion *o)
{
    int32_t first;
    o->rule = r;
    o->ndays = 0;
    switch (r->type) {
    case RULE_SOLAR:
    case RULE_ADJACENT:
        if (!cal_valid_ymd(y, r->month, r->day)) return false;
        first = cal_jdn_from_ymd(y, r->month, r->day);
        if (r->type == RULE_ADJACENT) {
            o->day[o->ndays++] = adjacent_day(first);
            return true;
        }
        break;
    case RULE_LUNAR:
        if (!lunar_to_jdn(y, r->month, r->day, false, &first)) return false;
        break;
    case RULE_TET:
        first = lunar_tet_jdn(y);
        if (first < 0) return false;
        first -= 1;   /* the last day of the old year */
        break;
    default:
        return false;
    }
    for (int i = 0; i < r->days; i++) o->day[o->ndays++] = first + i;
    return true;
}

static bool slot_is_working(const builder *b, int32_t jdn)
{
    const day_slot *s = &b->slots[jdn - b->cal->base];
    if (s->kind == CAL_KIND_MAKEUP_WORKDAY) return true;
    return !is_weekend(jdn) && !cal_kind_is_day_off(s->kind);
}

/* Lays down an occasion's holidays (only on empty slots); returns how many of
 * its days fall on a weekend (each earns a compensatory day). */
static int place_occasion(builder *b, const occasion *o)
{
    int weekend_days = 0;
    cal_day_kind kind = o->rule->type == RULE_TET ? CAL_KIND_TET : CAL_KIND_HOLIDAY;
    for (int i = 0; i < o->ndays; i++) {
        day_slot *s = slot_at(b, o->day[i]);
        if (!s || o->day[i] < o->rule->effective_from || s->kind != CAL_KIND_NORMAL) continue;
        s->kind = kind;
        s->name = o->rule->name;
        s->source = o->rule->source;
        if (is_weekend(o->day[i])) weekend_days++;
    }
    return weekend_days;
}

/* Art. 111(3): each weekend holiday gives a day off on the next working day
 * after the occasion; several fill consecutive working days. */
static void place_compensatory(builder *b, const occasion *o, int count)
{
    int32_t d = o->day[o->ndays - 1];
    while (count > 0) {
        d++;
        if (!in_range(b->cal, d)) return;
        if (!slot_is_working(b, d)) continue;
        day_slot *s = &b->slots[d - b->cal->base];
        s->kind = CAL_KIND_COMPENSATORY;
        s->name = o->rule->comp_name;
        s->source = COMP_SOURCE;
        count--;
    }
}

static int compare_occasions(const void *a, const void *b)
{
    int32_t x = ((const occasion *)a)->day[0], y = ((const occasion *)b)->day[0];
    return (x > y) - (x < y);
}

/* Applies the rules to year y: all enabled rules for a derived year, only
 * applies_to=all rules for an official year. */
static void apply_rules(builder *b, int y, bool official)
{
    occasion occ[32];
    int weekend[32];
    int nocc = 0;
    for (size_t i = 0; i < b->nrules && nocc < 32; i++) {
        const cal_rule *r = &b->rules[i];
        if (!r->enabled || (official && !r->all_years)) continue;
        if (occasion_days(r, y, &occ[nocc]) && occ[nocc].ndays > 0) nocc++;
    }
    qsort(occ, (size_t)nocc, sizeof occ[0], compare_occasions);
    for (int i = 0; i < nocc; i++) weekend[i] = place_occasion(b, &occ[i]);
    for (int i = 0; i < nocc; i++) place_compensatory(b, &occ[i], weekend[i]);
}

/* ---- Overrides ------------------------------------------------------------- */

static bool apply_overrides(builder *b, const cal_source *src)
{
    for (size_t i = 0; i < src->noverrides; i++) {
        const cal_day *o = &src->overrides[i];
        day_slot *s = slot_at(b, o->jdn);
        if (!s) continue;
        if (o->kind == CAL_KIND_NORMAL) {
            s->kind = CAL_KIND_NORMAL;
            s->name = s->source = NULL;
            continue;
        }
        const char *problem = kind_weekday_problem(o->kind, o->jdn);
        if (problem) {
            char d[11];
            return fail(b, "override %s: %s", cal_format_iso(o->jdn, d), problem);
        }
        s->kind = o->kind;
        s->name = pool_dup(b->cal, o->name && o->name[0] ? o->name : cal_kind_name(o->kind));
        s->source = pool_dup(b->cal, o->source ? o->source : "");
        if (!s->name || !s->source) return fail(b, "out of memory");
    }
    return true;
}

/* ---- Flattening into lookup tables ----------------------------------------- */

static bool flatten(builder *b)
{
    cal_calendar *cal = b->cal;
    size_t n = 0;
    for (int32_t i = 0; i < cal->ndays; i++) n += b->slots[i].kind != CAL_KIND_NORMAL;
    cal->days = malloc((n ? n : 1) * sizeof *cal->days);
    cal->cum = malloc(((size_t)cal->ndays + 1) * sizeof *cal->cum);
    cal->work = malloc((size_t)cal->ndays * sizeof *cal->work);
    if (!cal->days || !cal->cum || !cal->work) return fail(b, "out of memory");
    int year = CAL_MIN_YEAR;
    cal->year_first[0] = 0;
    cal->cum[0] = 0;
    for (int32_t i = 0; i < cal->ndays; i++) {
        int32_t jdn = cal->base + i;
        int y = year_of(jdn);
        while (year < y) cal->year_first[++year - CAL_MIN_YEAR] = cal->nlisted;
        const day_slot *s = &b->slots[i];
        if (s->kind != CAL_KIND_NORMAL)
            cal->days[cal->nlisted++] = (cal_day){jdn, s->kind, s->name, s->source};
        bool working = slot_is_working(b, jdn);
        if (working) cal->work[cal->nwork++] = i;
        cal->cum[i + 1] = cal->cum[i] + working;
    }
    while (year <= CAL_MAX_YEAR) cal->year_first[++year - CAL_MIN_YEAR] = cal->nlisted;
    return true;
}

/* ---- Construction ------------------------------------------------------------ */

static void set_year_status(builder *b, const cal_source *src)
{
    for (int y = 0; y < NYEARS; y++)
        b->cal->status[y] = b->official[y] ? CAL_YEAR_OFFICIAL : CAL_YEAR_PROVISIONAL;
    for (size_t i = 0; i < src->nconfirmed_years; i++) {
        int y = src->confirmed_years[i];
        if (y >= CAL_MIN_YEAR && y <= CAL_MAX_YEAR && !b->official[y - CAL_MIN_YEAR])
            b->cal->status[y - CAL_MIN_YEAR] = CAL_YEAR_CONFIRMED;
    }
}

static bool build(builder *b, const cal_source *src)
{
    cal_calendar *cal = b->cal;
    cal->hours = src->hours ? *src->hours : cal_default_office_hours();
    if (!office_hours_valid(&cal->hours)) return fail(b, "invalid office hours");
    for (int i = 0; i < cal->hours.nsessions; i++)
        cal->minutes_per_day += cal->hours.sessions[i].end_min - cal->hours.sessions[i].start_min;
    b->slots = calloc((size_t)cal->ndays, sizeof *b->slots);
    if (!b->slots) return fail(b, "out of memory");
    if (!load_rules(b, src->rules_csv) || !load_official(b, src->official_csv)) return false;
    for (int y = CAL_MIN_YEAR; y <= CAL_MAX_YEAR; y++) apply_rules(b, y, b->official[y - CAL_MIN_YEAR]);
    if (!apply_overrides(b, src)) return false;
    set_year_status(b, src);
    return flatten(b);
}

cal_calendar *cal_new(const cal_source *src, char *err, size_t errlen)
{
    static const cal_source empty = {0};
    builder b = {0};
    b.err = err;
    b.errlen = errlen;
    if (err && errlen) err[0] = '\0';
    b.cal = calloc(1, sizeof *b.cal);
    if (!b.cal) {
        fail(&b, "out of memory");
        return NULL;
    }
    b.cal->base = cal_jdn_from_ymd(CAL_MIN_YEAR, 1, 1);
    b.cal->ndays = cal_jdn_from_ymd(CAL_MAX_YEAR, 12, 31) - b.cal->base + 1;
    bool ok = build(&b, src ? src : &empty);
    free(b.slots);
    free(b.rules);
    if (!ok) {
        cal_free(b.cal);
        return NULL;
    }
    return b.cal;
}

cal_calendar *cal_new_from_csv(const char *official_csv, const char *rules_csv, char *err, size_t errlen)
{
    cal_source src = {0};
    src.official_csv = official_csv;
    src.rules_csv = rules_csv;
    return cal_new(&src, err, errlen);
}

void cal_free(cal_calendar *cal)
{
    if (!cal) return;
    for (size_t i = 0; i < cal->npool; i++) free(cal->pool[i]);
    free(cal->pool);
    free(cal->days);
    free(cal->cum);
    free(cal->work);
    free(cal);
}

/* ---- Queries ------------------------------------------------------------------ */

const cal_day *cal_day_entry(const cal_calendar *cal, int32_t jdn)
{
    if (!in_range(cal, jdn)) return NULL;
    size_t lo = 0, hi = cal->nlisted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid].jdn < jdn) lo = mid + 1;
        else hi = mid;
    }
    return (lo < cal->nlisted && cal->days[lo].jdn == jdn) ? &cal->days[lo] : NULL;
}

bool cal_is_working_day(const cal_calendar *cal, int32_t jdn, const char **reason)
{
    bool working;
    if (in_range(cal, jdn)) {
        int32_t i = jdn - cal->base;
        working = cal->cum[i + 1] != cal->cum[i];
    } else {
        working = !is_weekend(jdn);
    }
    if (reason) {
        const cal_day *e = cal_day_entry(cal, jdn);
        *reason = e ? e->name : cal_weekday_name_vi(jdn);
    }
    return working;
}

/* Mon–Fri days in [a, b]. */
static int64_t count_weekdays(int64_t a, int64_t b)
{
    if (b < a) return 0;
    int64_t n = b - a + 1, full = n / 7, count = full * 5;
    for (int64_t d = a + full * 7; d <= b; d++) count += (((d % 7) + 7) % 7) < 5;
    return count;
}

/* Working days d <= x, counted from the start of the table (negative before it). */
static int64_t working_rank(const cal_calendar *cal, int32_t x)
{
    int64_t end = (int64_t)cal->base + cal->ndays;
    if (x < cal->base) return -count_weekdays((int64_t)x + 1, (int64_t)cal->base - 1);
    if (x >= end) return cal->nwork + count_weekdays(end, x);
    return cal->cum[x - cal->base + 1];
}

int cal_working_days_between(const cal_calendar *cal, int32_t from_jdn, int32_t to_jdn)
{
    int64_t n = working_rank(cal, to_jdn) - working_rank(cal, from_jdn);
    return n > INT32_MAX ? INT32_MAX : (n < INT32_MIN ? INT32_MIN : (int)n);
}

/* Day-by-day stepping, used only outside the table. */
static int32_t add_slow(const cal_calendar *cal, int32_t jdn, int n)
{
    int step = n > 0 ? 1 : -1;
    while (n != 0) {
        if ((step > 0 && jdn == INT32_MAX) || (step < 0 && jdn == INT32_MIN)) return jdn;
        jdn += step;
        if (cal_is_working_day(cal, jdn, NULL)) n -= step;
    }
    return jdn;
}

int32_t cal_add_working_days(const cal_calendar *cal, int32_t jdn, int n)
{
    if (n == 0) return jdn;
    if (in_range(cal, jdn)) {
        int64_t i = jdn - cal->base;
        int64_t idx = n > 0 ? (int64_t)cal->cum[i + 1] + n - 1 : (int64_t)cal->cum[i] + n;
        if (idx >= 0 && idx < cal->nwork) return cal->base + cal->work[idx];
        /* Leaves the table: continue from its last / first working day. */
        if (n > 0 && cal->nwork > 0) {
            int rest = (int)(idx - (cal->nwork - 1));
            return add_slow(cal, cal->base + cal->work[cal->nwork - 1], rest);
        }
        if (n < 0 && cal->nwork > 0) return add_slow(cal, cal->base + cal->work[0], (int)idx);
    }
    return add_slow(cal, jdn, n);
}

int32_t cal_next_working_day_on_or_after(const cal_calendar *cal, int32_t jdn)
{
    return cal_is_working_day(cal, jdn, NULL) ? jdn : cal_add_working_days(cal, jdn, 1);
}

cal_year_status cal_year_status_of(const cal_calendar *cal, int year)
{
    if (year < CAL_MIN_YEAR || year > CAL_MAX_YEAR) return CAL_YEAR_OUT_OF_RANGE;
    return (cal_year_status)cal->status[year - CAL_MIN_YEAR];
}

const cal_day *cal_year_days(const cal_calendar *cal, int year, size_t *n)
{
    if (year < CAL_MIN_YEAR || year > CAL_MAX_YEAR) {
        *n = 0;
        return cal->days;
    }
    size_t first = cal->year_first[year - CAL_MIN_YEAR];
    *n = cal->year_first[year - CAL_MIN_YEAR + 1] - first;
    return cal->days + first;
}
