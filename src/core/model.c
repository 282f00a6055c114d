/* Domain vocabulary (see model.h). */
#include "core/model.h"
#include "core/i18n.h"
#include <string.h>

static const char *const role_ids[ROLE__COUNT] = {"", "admin", "office", "leader", "unit", "viewer", "onestop", "specialist", "head"};
static const char *const role_labels[] = {
    N_("Khách"), N_("Quản trị hệ thống"), N_("Văn phòng Sở (điều phối)"),
    N_("Lãnh đạo Sở"), N_("Cán bộ đơn vị"), N_("Người xem"), N_("Cán bộ một cửa"), N_("Chuyên viên xử lý"),
    N_("Trưởng phòng chuyên môn")};

role role_parse(const char *s)
{
    for (int i = 1; i <= ROLE_LAST; i++)
        if (s && strcmp(s, role_ids[i]) == 0) return (role)i;
    return ROLE_NONE;
}

const char *role_id(role r) { return (r >= ROLE_NONE && r <= ROLE_LAST) ? role_ids[r] : ""; }
const char *role_label(role r) { return (r >= ROLE_NONE && r <= ROLE_LAST) ? _(role_labels[r]) : ""; }

/* Bit i set = role i holds the capability. */
#define R(x) (1u << (x))
#define STAFF (R(ROLE_ADMIN) | R(ROLE_OFFICE) | R(ROLE_LEADER) | R(ROLE_UNIT) | R(ROLE_VIEWER) | \
               R(ROLE_ONESTOP) | R(ROLE_SPECIALIST) | R(ROLE_HEAD))
#define BACK_OFFICE (R(ROLE_ADMIN) | R(ROLE_LEADER) | R(ROLE_ONESTOP) | R(ROLE_SPECIALIST) | R(ROLE_HEAD))
static const unsigned cap_roles[CAP__COUNT] = {
    [CAP_PUBLIC] = R(ROLE_NONE) | STAFF,
    [CAP_LOGGED_IN] = STAFF,
    [CAP_READ_INTERNAL] = STAFF,
    [CAP_UPDATE_TASK] = R(ROLE_ADMIN) | R(ROLE_OFFICE) | R(ROLE_UNIT),
    [CAP_SUBMIT_REPORT] = R(ROLE_ADMIN) | R(ROLE_OFFICE) | R(ROLE_UNIT),
    [CAP_MANAGE_PLANS] = R(ROLE_ADMIN) | R(ROLE_OFFICE),
    [CAP_APPROVE_REPORT] = R(ROLE_ADMIN) | R(ROLE_LEADER),   /* not the Office: it compiles and may submit for units */
    [CAP_ADMIN] = R(ROLE_ADMIN),
    [CAP_DOSSIER_READ] = BACK_OFFICE,
    [CAP_DOSSIER_INTAKE] = R(ROLE_ADMIN) | R(ROLE_ONESTOP),
    [CAP_DOSSIER_ACT] = BACK_OFFICE,
    [CAP_CATALOGUE] = R(ROLE_ADMIN),
};
#undef STAFF
#undef BACK_OFFICE
#undef R

bool role_has(role r, capability c)
{
    if (c < 0 || c >= CAP__COUNT || r < ROLE_NONE || r > ROLE_LAST) return false;
    return (cap_roles[c] >> r) & 1u;
}

const char *capability_id(capability c)
{
    static const char *const ids[CAP__COUNT] = {
        "public", "logged_in", "read_internal", "update_task", "submit_report",
        "manage_plans", "approve_report", "admin", "dossier_read", "dossier_intake", "dossier_act", "catalogue"};
    return (c >= 0 && c < CAP__COUNT) ? ids[c] : "";
}

static const char *const status_ids[ST__COUNT] = {"not_started", "in_progress", "done", "cancelled"};
static const char *const status_labels[ST__COUNT] = {
    N_("Chưa triển khai"), N_("Đang thực hiện"), N_("Hoàn thành"), N_("Không thực hiện")};

int status_parse(const char *s)
{
    for (int i = 0; i < ST__COUNT; i++)
        if (s && strcmp(s, status_ids[i]) == 0) return i;
    return -1;
}
const char *status_id(task_status s) { return (s >= 0 && s < ST__COUNT) ? status_ids[s] : ""; }
const char *status_label(task_status s) { return (s >= 0 && s < ST__COUNT) ? _(status_labels[s]) : ""; }

static const char *const period_ids[PERIOD__COUNT] = {"q1", "h1", "q3", "year"};
static const char *const period_labels[PERIOD__COUNT] = {
    N_("Báo cáo Quý I"), N_("Báo cáo 6 tháng"), N_("Báo cáo Quý III"), N_("Báo cáo năm")};

int period_parse(const char *s)
{
    for (int i = 0; i < PERIOD__COUNT; i++)
        if (s && strcmp(s, period_ids[i]) == 0) return i;
    return -1;
}
const char *period_id(period_kind k) { return (k >= 0 && k < PERIOD__COUNT) ? period_ids[k] : ""; }
const char *period_label(period_kind k) { return (k >= 0 && k < PERIOD__COUNT) ? _(period_labels[k]) : ""; }

void period_default_due(period_kind k, int *month, int *day)
{
    static const int due[PERIOD__COUNT][2] = {{3, 5}, {6, 5}, {9, 5}, {11, 30}};
    int i = (k >= 0 && k < PERIOD__COUNT) ? k : PERIOD_YEAR;
    *month = due[i][0];
    *day = due[i][1];
}

static bool is_alnum_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool username_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 60 || !is_alnum_ascii(s[0])) return false;
    for (; *s; s++)
        if (!is_alnum_ascii(*s) && *s != '.' && *s != '_' && *s != '-') return false;
    return true;
}
