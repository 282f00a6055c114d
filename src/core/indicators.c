/* Target formulas (see indicators.h). */
#include "core/indicators.h"
#include "core/i18n.h"
#include <math.h>
#include <string.h>

bool rate_percent(long num, long den, double *out)
{
    if (den <= 0 || num < 0) return false;
    *out = round((double)num * 1000.0 / (double)den) / 10.0;
    return true;
}

target_verdict target_check(const char *comparator, double target, bool has_actual, double actual)
{
    if (!comparator || strcmp(comparator, "qualitative") == 0) return TGT_QUALITATIVE;
    if (!has_actual) return TGT_NO_DATA;
    const double eps = 1e-9;
    bool ok = !strcmp(comparator, ">=") ? actual + eps >= target
            : !strcmp(comparator, "<=") ? actual - eps <= target
            : !strcmp(comparator, "=") ? fabs(actual - target) < eps : false;
    return ok ? TGT_MET : TGT_NOT_MET;
}

const char *target_verdict_id(target_verdict v)
{
    static const char *const ids[] = {"no_data", "met", "not_met", "qualitative"};
    return (v >= TGT_NO_DATA && v <= TGT_QUALITATIVE) ? ids[v] : "";
}

const char *target_verdict_label(target_verdict v)
{
    static const char *const labels[] = {N_("Chưa có số liệu"), N_("Đạt"), N_("Chưa đạt"), N_("Định tính")};
    return (v >= TGT_NO_DATA && v <= TGT_QUALITATIVE) ? _(labels[v]) : "";
}

bool target_source_computed(const char *source, const char **name)
{
    if (!source || strncmp(source, "computed:", 9) != 0 || !source[9]) return false;
    if (name) *name = source + 9;
    return true;
}
