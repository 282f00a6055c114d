/* libFuzzer target for the date, time, duration and office-hours parsers and
 * the holiday CSV reader. Build (see also tests/fuzz/run when present):
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *     tests/fuzz/fuzz_date_duration.c src/core/lunar.c src/core/calendar.c \
 *     src/core/deadline.c src/core/fold.c -lm -lpthread -o build/fuzz_date_duration
 * The first byte selects the target; the rest is the input text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/deadline.h"

static const cal_calendar *weekends_only(void)
{
    static cal_calendar *cal;
    if (!cal) cal = cal_new_from_csv(NULL, NULL, NULL, 0);
    return cal;
}

/* Parses a moment and a duration, then derives a deadline from them. */
static void fuzz_deadline(const char *text)
{
    char date[64];
    const char *sep = strchr(text, '|');
    dl_moment start;
    dl_duration dur;
    if (!sep || (size_t)(sep - text) >= sizeof date) return;
    memcpy(date, text, (size_t)(sep - text));
    date[sep - text] = '\0';
    if (!dl_parse_moment(date, &start) || !dl_parse_duration(sep + 1, &dur)) return;
    if (dur.amount > 2000) dur.amount = 2000;   /* keep each run fast */
    dl_deadline d = dl_make(weekends_only(), start, dur);
    dl_result r;
    char out[256];
    if (dl_compute(&d, start, &r, NULL, 0)) dl_explain(&d, r.due_at, out, sizeof out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    char *text = malloc(size);
    if (!text) return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    int32_t jdn;
    int minutes;
    dl_moment t;
    dl_duration dur;
    cal_office_hours hours;
    switch (data[0] % 4) {
    case 0:
        cal_parse_iso(text, &jdn);
        cal_parse_date(text, &jdn);
        dl_parse_hhmm(text, &minutes);
        dl_parse_moment(text, &t);
        break;
    case 1:
        if (dl_parse_duration(text, &dur)) {
            char buf[64];
            dl_format_duration(dur, buf, sizeof buf);
        }
        cal_parse_office_hours(text, &hours);
        break;
    case 2:
        fuzz_deadline(text);
        break;
    default: {
        cal_calendar *cal = cal_new_from_csv(text, NULL, NULL, 0);
        cal_free(cal);
        cal = cal_new_from_csv(NULL, text, NULL, 0);
        cal_free(cal);
        break;
    }
    }
    free(text);
    return 0;
}
