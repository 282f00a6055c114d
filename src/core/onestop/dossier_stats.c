/* One-stop statistics (dossier_stats.h). */
#include "core/onestop/dossier_stats.h"
#include "core/onestop/dossier.h"

void dossier_stats_add(dossier_stats *s, const dossier_facts *f, int64_t from, int64_t to, int64_t now)
{
    if (f->refused || f->received >= to) return;
    bool in_period = f->received >= from;
    bool finished_in = f->finished >= from && f->finished < to;
    bool open_at_start = f->finished < 0 || f->finished >= from;
    if (in_period) s->received++;
    else if (open_at_start) s->carried_over++;
    else return;
    if (in_period && f->online) s->online++;
    if (in_period && f->supplement_requests > 0) s->with_supplement++;
    if (finished_in) {
        if (f->withdrawn) { s->withdrawn++; return; }
        dossier_clock c = {f->due, f->finished, f->paused_minutes, f->supplement_requests};
        s->finished++;
        if (!dossier_on_time(&c)) s->late++;
        else if ((f->finished - f->paused_minutes) / 1440 < f->due / 1440) s->early++;
        else s->on_time++;
        if (f->returned) s->returned++;
        s->processing_minutes += f->finished - f->received - f->paused_minutes;
    } else if (f->finished < 0 || f->finished >= to) {
        int64_t end = now < to ? now : to;
        if (end > f->current_due) s->open_overdue++;
        else s->open_in_time++;
    }
}

bool dossier_stats_on_time_rate(const dossier_stats *s, double *percent)
{
    if (s->finished == 0) return false;
    *percent = 100.0 * (double)(s->early + s->on_time) / (double)s->finished;
    return true;
}
