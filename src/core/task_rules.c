/* Task status rules (see task_rules.h). */
#include "core/task_rules.h"
#include "core/i18n.h"
#include <string.h>

int32_t task_soon_limit(const cal_calendar *cal, int32_t today_jdn, int soon_days)
{
    return cal_add_working_days(cal, today_jdn, soon_days);
}

due_info task_due_info(const cal_calendar *cal, task_status status, const char *dl_kind,
                       int32_t due_jdn, int32_t today_jdn, int soon_days)
{
    due_info info = {DUE_CLOSED, 0};
    if (status == ST_DONE || status == ST_CANCELLED) return info;
    if (dl_kind && strcmp(dl_kind, "event") == 0) { info.state = DUE_AWAITING_EVENT; return info; }
    if (dl_kind && strcmp(dl_kind, "recurring") == 0 && due_jdn == 0) { info.state = DUE_RECURRING; return info; }
    if (due_jdn == 0) { info.state = DUE_NEEDS_DATE; return info; }
    if (today_jdn > due_jdn) {
        info.state = DUE_OVERDUE;
        info.working_days = cal_working_days_between(cal, due_jdn, today_jdn);
        return info;
    }
    info.working_days = cal_working_days_between(cal, today_jdn, due_jdn);
    info.state = due_jdn <= task_soon_limit(cal, today_jdn, soon_days) ? DUE_SOON : DUE_ON_TRACK;
    return info;
}

static const char *const labels[] = {
    N_("Đã đóng"), N_("Trong hạn"), N_("Sắp đến hạn"), N_("Quá hạn"),
    N_("Chờ chỉ đạo"), N_("Định kỳ"), N_("Cần đặt ngày")};
static const char *const ids[] = {
    "closed", "on_track", "due_soon", "overdue", "awaiting_instruction", "recurring", "needs_date"};

const char *due_state_label(due_state s) { return (s >= DUE_CLOSED && s <= DUE_NEEDS_DATE) ? _(labels[s]) : ""; }
const char *due_state_id(due_state s) { return (s >= DUE_CLOSED && s <= DUE_NEEDS_DATE) ? ids[s] : ""; }
