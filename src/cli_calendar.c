/* cli_calendar.c — `cchc calendar ...` subcommands: the bundled calendar, or
 * with --db FILE the calendar with the admin edits stored in that database. */
#include "core/number.h"
#include "cli_calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar_default.h"
#include "core/deadline.h"
#include "core/lunar.h"
#include "store/store_calendar.h"

#define EXIT_USAGE 1
#define EXIT_INVALID 2
#define MAX_POS 8

/* Parsed command line of one subcommand. */
typedef struct {
    const char *pos[MAX_POS];
    int npos;
    bool help, json, leap, hours, count_first, explain;
    const char *cutoff, *at, *db;
    const cal_calendar *cal;   /* from --db; NULL: the bundled calendar */
} cli_args;

static const char USAGE[] =
    "usage: cchc calendar COMMAND [ARGS] [--db FILE|URL]\n"
    "  to-lunar YYYY-MM-DD [--json]     solar -> lunar date (D/M/YYYY [nhuận])\n"
    "  to-solar YYYY M D [--leap]       lunar -> solar date (YYYY-MM-DD)\n"
    "  tet YYYY                         solar date of Tết (1/1 lunar) of that year\n"
    "  is-working-day YYYY-MM-DD        yes|no and the reason\n"
    "  add YYYY-MM-DD N [options]       the N-th working day after the date\n"
    "  due DATE DURATION [options]      deadline from a duration string\n"
    "  holidays YYYY                    days off and make-up days of a year\n"
    "  --db FILE|URL                    use the admin edits (added/removed days,\n"
    "                                   confirmed years) stored in that cchc database\n"
    "Run `cchc calendar COMMAND --help` for details.\n";

static const char *const HELP[][2] = {
    {"to-lunar", "usage: cchc calendar to-lunar YYYY-MM-DD [--json]\n"
                 "Prints the Vietnamese lunar date (UTC+7) as D/M/YYYY, followed by \" nhuận\"\n"
                 "in a leap month. --json prints {\"day\":..,\"month\":..,\"year\":..,\"leap\":..}.\n"
                 "Range: 1900-01-01 … 2199-12-31.\n"},
    {"to-solar", "usage: cchc calendar to-solar YYYY M D [--leap]\n"
                 "Prints the solar date YYYY-MM-DD of lunar day D, month M (the leap month\n"
                 "with --leap) of lunar year YYYY (1900–2199). Exit status 2 if that lunar\n"
                 "date does not exist.\n"},
    {"tet", "usage: cchc calendar tet YYYY\n"
            "Prints the solar date of Tết Nguyên đán (1/1 lunar) of lunar year YYYY.\n"},
    {"is-working-day", "usage: cchc calendar is-working-day YYYY-MM-DD\n"
                       "Prints \"yes REASON\" or \"no REASON\" (e.g. \"no Tết Nguyên đán\"),\n"
                       "with \" (tạm tính)\" appended when the year's schedule is provisional.\n"},
    {"add", "usage: cchc calendar add DATE N [--count-first] [--cutoff HH:MM] [--at HH:MM]\n"
            "                           [--hours] [--explain]\n"
            "Prints the date N working days after DATE (YYYY-MM-DD or dd/mm/yyyy): by\n"
            "default the receipt day is not counted (Civil Code 2015 Art. 147), so this is\n"
            "the N-th working day after DATE.\n"
            "  --count-first   count DATE itself as day 1 when it is a working day\n"
            "  --cutoff HH:MM  a receipt at/after HH:MM (or outside office hours, or on a\n"
            "                  day off) counts as received on the next working day\n"
            "  --at HH:MM      receipt time (default 00:00; also DATE THH:MM)\n"
            "  --hours         N is working hours; prints YYYY-MM-DD HH:MM\n"
            "  --explain       also print a Vietnamese explanation line\n"
            "A note goes to stderr when a year used is provisional.\n"},
    {"due", "usage: cchc calendar due DATE DURATION [--count-first] [--cutoff HH:MM] [--at HH:MM]\n"
            "Prints the due date-time (YYYY-MM-DD HH:MM) of a deadline given as a\n"
            "duration string (\"10 ngày làm việc\", \"4 giờ làm việc\", \"15 ngày\",\n"
            "\"3 tháng\", \"1/2 ngày\") and an explanation line.\n"},
    {"holidays", "usage: cchc calendar holidays YYYY\n"
                 "First line: \"YYYY official\" or \"YYYY provisional\" (or confirmed). Then one\n"
                 "line per listed day: DATE<TAB>WEEKDAY<TAB>KIND<TAB>NAME<TAB>SOURCE, with KIND\n"
                 "one of holiday, tet, compensatory, swapped_off, makeup_workday.\n"},
};

static const char *help_for(const char *cmd)
{
    for (size_t i = 0; i < sizeof HELP / sizeof HELP[0]; i++)
        if (strcmp(HELP[i][0], cmd) == 0) return HELP[i][1];
    return NULL;
}

static int usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "cchc calendar %s: %s\n%s", cmd, msg, help_for(cmd) ? help_for(cmd) : USAGE);
    return EXIT_USAGE;
}

static int invalid(const char *cmd, const char *what, const char *value)
{
    fprintf(stderr, "cchc calendar %s: %s: %s\n", cmd, what, value);
    return EXIT_INVALID;
}

/* Parses options and positionals after the subcommand name. */
static bool parse_args(int argc, char **argv, cli_args *a, const char **bad)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const char **value = NULL;
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) a->help = true;
        else if (strcmp(s, "--json") == 0) a->json = true;
        else if (strcmp(s, "--leap") == 0) a->leap = true;
        else if (strcmp(s, "--hours") == 0) a->hours = true;
        else if (strcmp(s, "--count-first") == 0) a->count_first = true;
        else if (strcmp(s, "--explain") == 0) a->explain = true;
        else if (strcmp(s, "--cutoff") == 0) value = &a->cutoff;
        else if (strcmp(s, "--at") == 0) value = &a->at;
        else if (strcmp(s, "--db") == 0) value = &a->db;
        else if (s[0] == '-' && s[1] == '-') { *bad = s; return false; }
        else if (a->npos < MAX_POS) a->pos[a->npos++] = s;
        else { *bad = s; return false; }
        if (value) {
            if (i + 1 >= argc) { *bad = s; return false; }
            *value = argv[++i];
        }
    }
    return true;
}


/* The calendar a command counts on. */
static const cal_calendar *calendar_of(const cli_args *a)
{
    return a->cal ? a->cal : cal_default();
}

/* The calendar of the database at path (bundled data plus its admin edits);
 * NULL with a message on stderr. The caller frees it. */
static cal_calendar *load_db_calendar(const char *path)
{
    char err[512];
    if (!db_is_url(path) && access(path, R_OK | W_OK) != 0) {     /* db_open would create a new, empty database */
        fprintf(stderr, "cchc calendar: --db %s: %s\n", path, strerror(errno));
        return NULL;
    }
    db *d = db_open(path, err, sizeof err);
    if (!d) {
        fprintf(stderr, "cchc calendar: --db: %s\n", err);
        return NULL;
    }
    cal_calendar *cal = store_calendar_build(d, err, sizeof err);
    db_close(d);
    if (!cal) fprintf(stderr, "cchc calendar: --db %s: %s\n", path, err);
    return cal;
}

/* ---- Subcommands ------------------------------------------------------------- */

static int cmd_to_lunar(const cli_args *a)
{
    int32_t jdn;
    lunar_date l;
    if (a->npos != 1) return usage_error("to-lunar", "expected one date");
    if (!cal_parse_date(a->pos[0], &jdn)) return invalid("to-lunar", "not a date", a->pos[0]);
    if (!lunar_from_jdn(jdn, &l)) return invalid("to-lunar", "outside 1900-01-01…2199-12-31", a->pos[0]);
    if (a->json)
        printf("{\"day\":%d,\"month\":%d,\"year\":%d,\"leap\":%s}\n", l.day, l.month, l.year,
               l.leap ? "true" : "false");
    else
        printf("%d/%d/%d%s\n", l.day, l.month, l.year, l.leap ? " nhuận" : "");
    return 0;
}

static int cmd_to_solar(const cli_args *a)
{
    int y, m, d;
    int32_t jdn;
    char out[11];
    if (a->npos != 3) return usage_error("to-solar", "expected YYYY M D");
    if (!parse_int_strict(a->pos[0], LUNAR_MIN_YEAR, LUNAR_MAX_YEAR, &y) || !parse_int_strict(a->pos[1], 1, 12, &m)
        || !parse_int_strict(a->pos[2], 1, 30, &d))
        return invalid("to-solar", "expected lunar year 1900–2199, month 1–12, day 1–30", a->pos[0]);
    if (!lunar_to_jdn(y, m, d, a->leap, &jdn)) {
        fprintf(stderr, "cchc calendar to-solar: lunar date %d/%d%s/%d does not exist\n", d, m,
                a->leap ? " nhuận" : "", y);
        return EXIT_INVALID;
    }
    printf("%s\n", cal_format_iso(jdn, out));
    return 0;
}

static int cmd_tet(const cli_args *a)
{
    int y;
    char out[11];
    if (a->npos != 1) return usage_error("tet", "expected a year");
    if (!parse_int_strict(a->pos[0], LUNAR_MIN_YEAR, LUNAR_MAX_YEAR, &y))
        return invalid("tet", "expected a year 1900–2199", a->pos[0]);
    printf("%s\n", cal_format_iso(lunar_tet_jdn(y), out));
    return 0;
}

static bool year_provisional(const cal_calendar *cal, int32_t jdn)
{
    int y, m, d;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    cal_year_status st = cal_year_status_of(cal, y);
    return st == CAL_YEAR_PROVISIONAL || st == CAL_YEAR_OUT_OF_RANGE;
}

static int cmd_is_working_day(const cli_args *a)
{
    int32_t jdn;
    const char *reason;
    if (a->npos != 1) return usage_error("is-working-day", "expected one date");
    if (!cal_parse_date(a->pos[0], &jdn)) return invalid("is-working-day", "not a date", a->pos[0]);
    const cal_calendar *cal = calendar_of(a);
    bool working = cal_is_working_day(cal, jdn, &reason);
    printf("%s %s%s\n", working ? "yes" : "no", reason, year_provisional(cal, jdn) ? " (tạm tính)" : "");
    return 0;
}

/* Builds the receipt moment from DATE[ THH:MM] and --at. */
static bool receipt_moment(const char *date, const char *at, dl_moment *out)
{
    int minutes;
    if (!dl_parse_moment(date, out)) return false;
    if (at) {
        if (!dl_parse_hhmm(at, &minutes)) return false;
        *out = dl_moment_make(dl_moment_jdn(*out), 0, minutes);
    }
    return true;
}

static bool make_rule(const cli_args *a, dl_start_rule *rule)
{
    *rule = dl_default_rule();
    if (a->count_first) rule->mode = DL_START_SAME_DAY;
    return !a->cutoff || dl_parse_hhmm(a->cutoff, &rule->cutoff_min);
}

/* Prints the due date (or date-time), the optional explanation and a note
 * on stderr when the schedule used is provisional. */
static int print_deadline(const dl_deadline *d, bool timed, bool explain)
{
    dl_result r;
    char err[128], text[1024], out[17];
    if (!dl_compute(d, d->start, &r, err, sizeof err)) {
        fprintf(stderr, "cchc calendar: %s\n", err);
        return EXIT_INVALID;
    }
    if (timed) printf("%s\n", dl_format_moment(r.due_at, out));
    else printf("%s\n", cal_format_iso(r.due_jdn, out));
    if (explain) {
        dl_explain(d, d->start, text, sizeof text);
        printf("%s\n", text);
    }
    if (r.provisional)
        fprintf(stderr, "note: the holiday schedule of a year used is provisional (not yet announced)\n");
    return 0;
}

static int cmd_add(const cli_args *a)
{
    dl_moment start;
    int n;
    dl_deadline d;
    if (a->npos != 2) return usage_error("add", "expected DATE N");
    if (!receipt_moment(a->pos[0], a->at, &start)) return invalid("add", "not a date/time", a->pos[0]);
    if (!parse_int_strict(a->pos[1], 0, 100000, &n)) return invalid("add", "N must be 0…100000", a->pos[1]);
    d = dl_make(calendar_of(a), start, (dl_duration){a->hours ? DL_UNIT_WORKING_HOURS : DL_UNIT_WORKING_DAYS, n});
    if (!make_rule(a, &d.rule)) return invalid("add", "bad --cutoff (HH:MM)", a->cutoff);
    return print_deadline(&d, a->hours, a->explain);
}

static int cmd_due(const cli_args *a)
{
    dl_moment start;
    dl_duration dur;
    if (a->npos != 2) return usage_error("due", "expected DATE DURATION");
    if (!receipt_moment(a->pos[0], a->at, &start)) return invalid("due", "not a date/time", a->pos[0]);
    if (!dl_parse_duration(a->pos[1], &dur)) return invalid("due", "not a duration", a->pos[1]);
    dl_deadline d = dl_make(calendar_of(a), start, dur);
    if (!make_rule(a, &d.rule)) return invalid("due", "bad --cutoff (HH:MM)", a->cutoff);
    return print_deadline(&d, true, true);
}

static void print_json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

static int cmd_holidays(const cli_args *a)
{
    int y;
    size_t n;
    char date[11];
    if (a->npos != 1) return usage_error("holidays", "expected a year");
    if (!parse_int_strict(a->pos[0], CAL_MIN_YEAR, CAL_MAX_YEAR, &y))
        return invalid("holidays", "expected a year 1900–2199", a->pos[0]);
    const cal_calendar *cal = calendar_of(a);
    const cal_day *days = cal_year_days(cal, y, &n);
    const char *status = cal_year_status_name(cal_year_status_of(cal, y));
    if (a->json) {
        printf("{\"year\":%d,\"status\":\"%s\",\"days\":[", y, status);
        for (size_t i = 0; i < n; i++) {
            printf("%s{\"date\":\"%s\",\"kind\":\"%s\",\"name\":", i ? "," : "",
                   cal_format_iso(days[i].jdn, date), cal_kind_name(days[i].kind));
            print_json_string(days[i].name);
            printf(",\"source\":");
            print_json_string(days[i].source);
            printf("}");
        }
        printf("]}\n");
        return 0;
    }
    printf("%d %s%s\n", y, status,
           cal_year_status_of(cal, y) == CAL_YEAR_PROVISIONAL ? " (derived from rules; not yet announced)" : "");
    for (size_t i = 0; i < n; i++)
        printf("%s\t%s\t%s\t%s\t%s\n", cal_format_iso(days[i].jdn, date), cal_weekday_name_vi(days[i].jdn),
               cal_kind_name(days[i].kind), days[i].name, days[i].source);
    return 0;
}

/* ---- Dispatch ------------------------------------------------------------------- */

typedef struct {
    const char *name;
    int (*run)(const cli_args *a);
} subcommand;

static const subcommand COMMANDS[] = {
    {"to-lunar", cmd_to_lunar},   {"to-solar", cmd_to_solar}, {"tet", cmd_tet},
    {"is-working-day", cmd_is_working_day}, {"add", cmd_add}, {"due", cmd_due},
    {"holidays", cmd_holidays},
};

int cli_calendar(int argc, char **argv)
{
    cli_args a;
    const char *bad = NULL;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++) {
        if (strcmp(argv[1], COMMANDS[i].name) != 0) continue;
        if (!parse_args(argc - 2, argv + 2, &a, &bad)) return usage_error(argv[1], bad ? bad : "bad arguments");
        if (a.help) {
            fputs(help_for(argv[1]), stdout);
            return 0;
        }
        cal_calendar *from_db = NULL;
        if (a.db && !(from_db = load_db_calendar(a.db))) return EXIT_INVALID;
        a.cal = from_db;
        int rc = COMMANDS[i].run(&a);
        fflush(stdout);
        cal_free(from_db);
        return rc;
    }
    fprintf(stderr, "cchc calendar: unknown command \"%s\"\n%s", argv[1], USAGE);
    return EXIT_USAGE;
}
