/* Dossier states, events and rules (dossier.h). */
#include "core/onestop/dossier.h"
#include "core/calendar.h"
#include "core/i18n.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const STATE_IDS[DS__COUNT] = {
    "submitted", "received", "refused", "processing", "supplement_requested", "payment_requested",
    "done", "returned", "stopped", "withdrawn"};
static const char *const STATE_LABELS[DS__COUNT] = {
    N_("Mới đăng ký"), N_("Đã tiếp nhận"), N_("Từ chối tiếp nhận"), N_("Đang xử lý"), N_("Chờ bổ sung hồ sơ"),
    N_("Chờ thực hiện nghĩa vụ tài chính"), N_("Đã xử lý xong"), N_("Đã trả kết quả"), N_("Dừng xử lý"),
    N_("Đã rút hồ sơ")};
static const char *const EVENT_IDS[DE__COUNT] = {
    "accept", "refuse", "transfer", "request_supplement", "supplement_received", "request_payment",
    "payment_received", "apologise", "approve", "sign", "return", "stop", "withdraw"};
/* TrangThaiHoSo as six independent implementations use it (§4.4). */
static const int PORTAL_STATUS[DS__COUNT] = {1, 2, 3, 4, 5, 6, 9, 10, 8, 7};

const char *dossier_state_id(dossier_state s) { return s >= 0 && s < DS__COUNT ? STATE_IDS[s] : ""; }
const char *dossier_event_id(dossier_event e) { return e >= 0 && e < DE__COUNT ? EVENT_IDS[e] : ""; }
const char *dossier_state_label(dossier_state s) { return s >= 0 && s < DS__COUNT ? _(STATE_LABELS[s]) : ""; }
int dossier_default_portal_status(dossier_state s) { return s >= 0 && s < DS__COUNT ? PORTAL_STATUS[s] : 0; }

static int find(const char *const *ids, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(ids[i], s)) return i;
    return -1;
}
int dossier_state_parse(const char *s) { return find(STATE_IDS, DS__COUNT, s); }
int dossier_event_parse(const char *s) { return find(EVENT_IDS, DE__COUNT, s); }

bool dossier_role_sees_all(role r)
{
    return r == ROLE_ADMIN || r == ROLE_ONESTOP || r == ROLE_LEADER;
}

bool dossier_state_open(dossier_state s)
{
    return s == DS_SUBMITTED || s == DS_RECEIVED || s == DS_PROCESSING || s == DS_SUPPLEMENT_REQUESTED ||
           s == DS_PAYMENT_REQUESTED;
}

#define S(x) (1u << (x))
/* For each event: the states it may come in, and the state it leads to (-1: unchanged). */
static const struct { unsigned from; int to; } RULES[DE__COUNT] = {
    [DE_ACCEPT] = {S(DS_SUBMITTED), DS_RECEIVED},
    [DE_REFUSE] = {S(DS_SUBMITTED), DS_REFUSED},
    [DE_TRANSFER] = {S(DS_RECEIVED) | S(DS_PROCESSING), DS_PROCESSING},
    [DE_REQUEST_SUPPLEMENT] = {S(DS_RECEIVED) | S(DS_PROCESSING), DS_SUPPLEMENT_REQUESTED},
    [DE_SUPPLEMENT_RECEIVED] = {S(DS_SUPPLEMENT_REQUESTED), DS_PROCESSING},
    [DE_REQUEST_PAYMENT] = {S(DS_PROCESSING), DS_PAYMENT_REQUESTED},
    [DE_PAYMENT_RECEIVED] = {S(DS_PAYMENT_REQUESTED), DS_PROCESSING},
    [DE_APOLOGISE] = {S(DS_RECEIVED) | S(DS_PROCESSING) | S(DS_SUPPLEMENT_REQUESTED) | S(DS_PAYMENT_REQUESTED), -1},
    [DE_APPROVE] = {S(DS_PROCESSING), -1},
    [DE_SIGN] = {S(DS_PROCESSING), DS_DONE},
    [DE_RETURN] = {S(DS_DONE), DS_RETURNED},
    [DE_STOP] = {S(DS_RECEIVED) | S(DS_PROCESSING) | S(DS_SUPPLEMENT_REQUESTED) | S(DS_PAYMENT_REQUESTED), DS_STOPPED},
    [DE_WITHDRAW] = {S(DS_SUBMITTED) | S(DS_RECEIVED) | S(DS_PROCESSING) | S(DS_SUPPLEMENT_REQUESTED) | S(DS_PAYMENT_REQUESTED),
                     DS_WITHDRAWN},
};
#undef S

bool dossier_next_state(dossier_state s, dossier_event e, dossier_state *next)
{
    if (s < 0 || s >= DS__COUNT || e < 0 || e >= DE__COUNT || !((RULES[e].from >> s) & 1u)) return false;
    *next = RULES[e].to < 0 ? s : (dossier_state)RULES[e].to;
    return true;
}

#define R(x) (1u << (x))
/* Who sends each event (the admin sends every one). */
static const unsigned EVENT_ROLES[DE__COUNT] = {
    [DE_ACCEPT] = R(ROLE_ONESTOP),
    [DE_REFUSE] = R(ROLE_ONESTOP),
    [DE_TRANSFER] = R(ROLE_ONESTOP) | R(ROLE_SPECIALIST) | R(ROLE_HEAD) | R(ROLE_LEADER),
    [DE_REQUEST_SUPPLEMENT] = R(ROLE_ONESTOP) | R(ROLE_SPECIALIST) | R(ROLE_HEAD),
    [DE_SUPPLEMENT_RECEIVED] = R(ROLE_ONESTOP),
    [DE_REQUEST_PAYMENT] = R(ROLE_ONESTOP) | R(ROLE_SPECIALIST),
    [DE_PAYMENT_RECEIVED] = R(ROLE_ONESTOP),
    [DE_APOLOGISE] = R(ROLE_SPECIALIST) | R(ROLE_HEAD) | R(ROLE_LEADER),
    [DE_APPROVE] = R(ROLE_HEAD),
    [DE_SIGN] = R(ROLE_LEADER),
    [DE_RETURN] = R(ROLE_ONESTOP),
    [DE_STOP] = R(ROLE_HEAD) | R(ROLE_LEADER),
    [DE_WITHDRAW] = R(ROLE_ONESTOP),
};
#undef R

bool dossier_event_role_allowed(dossier_event e, role r)
{
    if (e < 0 || e >= DE__COUNT) return false;
    return r == ROLE_ADMIN || ((EVENT_ROLES[e] >> r) & 1u);
}

bool dossier_code_format(const char *agency, int32_t jdn, int seq, char *out, size_t n)
{
    int y, m, d;
    if (!agency || !*agency || seq < 1 || seq > 9999) return false;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    int len = snprintf(out, n, "%s-%02d%02d%02d-%04d", agency, y % 100, m, d, seq);
    return len > 0 && (size_t)len < n;
}

bool dossier_code_valid(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n < 14 || n > 52) return false;
    const char *tail = code + n - 12;          /* "-YYMMDD-NNNN" */
    if (tail[0] != '-' || tail[7] != '-') return false;
    for (int i = 1; i < 12; i++)
        if (i != 7 && !isdigit((unsigned char)tail[i])) return false;
    for (const char *p = code; p < tail; p++)
        if (*p <= ' ' || *p > '~') return false;
    return true;
}

int dossier_on_time(const dossier_clock *c)
{
    if (c->supplement_requests > 1) return 0;
    return c->end - c->paused_minutes <= c->due ? 1 : 0;
}

int64_t dossier_moment_of_unix(int64_t unix_seconds)
{
    int64_t local = unix_seconds + 7 * 3600;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t minute = (local - days * 86400) / 60;
    return (days + 2440588) * 1440 + minute;          /* JDN of 1970-01-01 is 2440588 */
}

char *dossier_time_format(int64_t moment, char *out)
{
    int y, m, d;
    int64_t jdn = moment / 1440, minute = moment % 1440;
    cal_ymd_from_jdn((int32_t)jdn, &y, &m, &d);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:00+07:00", y, m, d, (int)(minute / 60), (int)(minute % 60));
    return out;
}

bool dossier_time_parse(const char *s, int64_t *moment)
{
    int y, mo, d, h, mi, sec = 0, used = 0;
    if (!s || strlen(s) > 40) return false;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5) return false;
    const char *rest = s + used;
    if (*rest == ':') {
        int more = 0;
        if (sscanf(rest, ":%2d%n", &sec, &more) != 1 || sec > 59) return false;
        rest += more;
    }
    if (*rest && strcmp(rest, "+07:00") != 0) return false;
    char iso[11];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, mo, d);
    int32_t jdn;
    if (!cal_parse_iso(iso, &jdn) || h > 23 || mi > 59) return false;
    *moment = (int64_t)jdn * 1440 + h * 60 + mi;
    return true;
}

const char *dossier_step_result(int64_t now, int64_t step_due, int64_t minutes_left, int64_t budget_minutes)
{
    if (now > step_due) return "late";
    return minutes_left * 4 >= budget_minutes ? "early" : "on_time";
}

const char *dossier_time_display(const char *iso, char *out)
{
    int64_t t;
    int y, m, d;
    if (!iso || !dossier_time_parse(iso, &t)) return "";
    cal_ymd_from_jdn((int32_t)(t / 1440), &y, &m, &d);
    snprintf(out, 24, "%02d/%02d/%04d %02d:%02d", d, m, y, (int)(t % 1440 / 60), (int)(t % 60));
    return out;
}
