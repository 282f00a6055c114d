/* bench_calendar — single-thread throughput of the working-day calendar and
 * the lunar conversions, against the targets of the calendar issue.
 * Build against the release library (which holds the embedded holiday data):
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -Ibuild/gen bench/bench_calendar.c \
 *      build/rel/libcchc.a <the library's link flags> -o build/bench_calendar
 * Output lines: "calendar: NAME N.NN M/s target T M/s PASS|MISS". Exit status 1
 * if a target is missed. */
#include <stdio.h>
#include <time.h>

#include "calendar_default.h"
#include "core/calendar.h"
#include "core/deadline.h"
#include "core/lunar.h"

#define MIN_SECONDS 0.5

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile int64_t g_sink;   /* keeps results alive */

typedef int64_t (*bench_fn)(const cal_calendar *cal, int32_t first, int32_t span, long iterations);

static int64_t bench_add(const cal_calendar *cal, int32_t first, int32_t span, long iterations)
{
    int64_t sum = 0;
    for (long i = 0; i < iterations; i++) sum += cal_add_working_days(cal, first + (int32_t)(i % span), 10);
    return sum;
}

static int64_t bench_solar_to_lunar(const cal_calendar *cal, int32_t first, int32_t span, long iterations)
{
    (void)cal;
    int64_t sum = 0;
    lunar_date l;
    for (long i = 0; i < iterations; i++)
        if (lunar_from_jdn(first + (int32_t)(i % span), &l)) sum += l.day + l.month;
    return sum;
}

static int64_t bench_lunar_to_solar(const cal_calendar *cal, int32_t first, int32_t span, long iterations)
{
    (void)cal;
    (void)first;
    (void)span;
    int64_t sum = 0;
    int32_t jdn;
    for (long i = 0; i < iterations; i++)
        if (lunar_to_jdn(1900 + (int)(i % 300), 1 + (int)(i % 12), 1 + (int)(i % 29), false, &jdn)) sum += jdn;
    return sum;
}

static int64_t bench_deadline(const cal_calendar *cal, int32_t first, int32_t span, long iterations)
{
    int64_t sum = 0;
    dl_result r;
    for (long i = 0; i < iterations; i++) {
        dl_moment start = dl_moment_make(first + (int32_t)(i % span), 9, 0);
        dl_deadline d = dl_make(cal, start, (dl_duration){DL_UNIT_WORKING_DAYS, 10});
        if (dl_compute(&d, start + 5 * 1440, &r, NULL, 0)) sum += r.due_jdn;
    }
    return sum;
}

/* Runs fn with growing iteration counts until it takes MIN_SECONDS; returns M ops/s. */
static double measure(bench_fn fn, const cal_calendar *cal, int32_t first, int32_t span)
{
    for (long n = 100000;; n *= 2) {
        double t0 = now_seconds();
        g_sink += fn(cal, first, span, n);
        double dt = now_seconds() - t0;
        if (dt >= MIN_SECONDS) return n / dt / 1e6;
    }
}

static bool report(const char *name, double rate, double target)
{
    bool pass = target <= 0 || rate >= target;
    if (target > 0) printf("calendar: %s %.2f M/s target %.0f M/s %s\n", name, rate, target, pass ? "PASS" : "MISS");
    else printf("calendar: %s %.2f M/s\n", name, rate);
    return pass;
}

int main(void)
{
    const cal_calendar *cal = cal_default();
    lunar_init();
    int32_t first = cal_jdn_from_ymd(2020, 1, 1);
    int32_t span = cal_jdn_from_ymd(2030, 12, 31) - first;
    bool ok = report("add(d,10wd)", measure(bench_add, cal, first, span), 5);
    int32_t lfirst = cal_jdn_from_ymd(1900, 1, 1);
    int32_t lspan = cal_jdn_from_ymd(2199, 12, 31) - lfirst;
    ok &= report("lunar conversions", measure(bench_solar_to_lunar, cal, lfirst, lspan), 1);
    report("lunar->solar", measure(bench_lunar_to_solar, cal, lfirst, lspan), 0);
    report("deadline compute (10wd)", measure(bench_deadline, cal, first, span), 0);
    return ok ? 0 : 1;
}
