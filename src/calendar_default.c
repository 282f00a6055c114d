/* calendar_default.c — the calendar built from the bundled holiday CSVs. */
#include "calendar_default.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "embed.h"

#define OFFICIAL_PATH "data/holidays/official.csv"
#define RULES_PATH "data/holidays/rules.csv"

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static cal_calendar *g_default;
static cal_office_hours g_hours;       /* configured office hours (calendar.office_hours) */
static bool g_hours_set;

void cal_set_office_hours(const cal_office_hours *hours)
{
    g_hours = *hours;
    g_hours_set = true;
}

cal_calendar *cal_default_with(const cal_day *overrides, size_t noverrides,
                               const int *confirmed_years, size_t nconfirmed,
                               const cal_office_hours *hours,
                               char *err, size_t errlen)
{
    size_t len;
    cal_source src = {0};
    src.official_csv = embed_get(OFFICIAL_PATH, &len);
    src.rules_csv = embed_get(RULES_PATH, &len);
    src.overrides = overrides;
    src.noverrides = noverrides;
    src.confirmed_years = confirmed_years;
    src.nconfirmed_years = nconfirmed;
    src.hours = hours ? hours : g_hours_set ? &g_hours : NULL;
    if (!src.official_csv || !src.rules_csv) {
        snprintf(err, errlen, "bundled %s or %s is missing", OFFICIAL_PATH, RULES_PATH);
        return NULL;
    }
    return cal_new(&src, err, errlen);
}

static void build_default(void)
{
    char err[256];
    g_default = cal_default_with(NULL, 0, NULL, 0, NULL, err, sizeof err);
    if (!g_default) {
        fprintf(stderr, "cchc: bundled holiday calendar: %s\n", err);
        abort();
    }
}

const cal_calendar *cal_default(void)
{
    pthread_once(&g_once, build_default);
    return g_default;
}
