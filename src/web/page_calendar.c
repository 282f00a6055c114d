/* Admin → Lịch làm việc: the year view of the working-day calendar (12 month
 * grids with lunar dates, the listed days with their legal sources, the year's
 * status) and the forms that edit it: add a day off or a make-up working day,
 * remove a listed day, confirm a provisional year. Edits are stored with an
 * audit entry by store_calendar.c and take effect at once: the process-wide
 * calendar is rebuilt and swapped (calendar_current.h), and every open task's
 * due-soon/overdue working-day count is derived from it on the next request. */
#include "core/number.h"
#include "web/handlers.h"
#include "web/common.h"
#include "web/form.h"
#include "web/html.h"
#include "calendar_current.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include "core/plan_import.h"
#include "store/store_audit.h"
#include "store/store_calendar.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME_CHARS 200
#define MAX_SOURCE_CHARS 300

/* What a failed POST re-renders: the message, the field and the kept input. */
typedef struct {
    const char *error;
    const char *field;                       /* "date", "kind", "name", "source", "year" */
    const char *form;                        /* "add", "remove" or "confirm": where the message goes */
    const char *date, *kind, *name, *source; /* the add form's input */
} form_state;

/* ---- Labels ------------------------------------------------------------------- */

static const cal_day_kind EDITABLE_KINDS[] = {
    CAL_KIND_HOLIDAY, CAL_KIND_TET, CAL_KIND_COMPENSATORY, CAL_KIND_SWAPPED_OFF, CAL_KIND_MAKEUP_WORKDAY,
};

static const char *kind_label(cal_day_kind k)
{
    switch (k) {
    case CAL_KIND_HOLIDAY: return _("Ngày lễ");
    case CAL_KIND_TET: return _("Tết Nguyên đán");
    case CAL_KIND_COMPENSATORY: return _("Nghỉ bù");
    case CAL_KIND_SWAPPED_OFF: return _("Nghỉ hoán đổi");
    case CAL_KIND_MAKEUP_WORKDAY: return _("Làm bù (ngày làm việc)");
    default: return _("Ngày thường");
    }
}

static const char *year_status_label(cal_year_status st)
{
    switch (st) {
    case CAL_YEAR_OFFICIAL: return _("Chính thức");
    case CAL_YEAR_CONFIRMED: return _("Đã xác nhận");
    case CAL_YEAR_PROVISIONAL: return _("Tạm tính");
    default: return _("Ngoài phạm vi");
    }
}

/* The CSS class of a day cell: its listed kind, or weekend / working day. */
static const char *day_class(const cal_calendar *cal, int32_t jdn)
{
    const cal_day *e = cal_day_entry(cal, jdn);
    if (e) {
        switch (e->kind) {
        case CAL_KIND_HOLIDAY: return "cal-holiday";
        case CAL_KIND_TET: return "cal-tet";
        case CAL_KIND_COMPENSATORY: return "cal-compensatory";
        case CAL_KIND_SWAPPED_OFF: return "cal-swapped_off";
        case CAL_KIND_MAKEUP_WORKDAY: return "cal-makeup_workday";
        default: break;
        }
    }
    return cal_weekday(jdn) >= 5 ? "cal-weekend" : "cal-work";
}

/* "15/8", "1/6n" (leap month): the lunar day and month of a solar day; "" outside the range. */
static const char *lunar_text(int32_t jdn, bool with_month, char out[16])
{
    lunar_date l;
    out[0] = '\0';
    if (!lunar_from_jdn(jdn, &l)) return out;
    if (with_month) snprintf(out, 16, "%d/%d%s", l.day, l.month, l.leap ? "n" : "");
    else snprintf(out, 16, "%d", l.day);
    return out;
}

static int year_of(int32_t jdn)
{
    int y, m, d;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    return y;
}

/* ---- Input -------------------------------------------------------------------- */

/* Parses a year in the calendar's range; false when absent or invalid. */
static bool parse_year(const char *s, int *year)
{
    return parse_int_strict(s, CAL_MIN_YEAR, CAL_MAX_YEAR, year);
}

/* True for one line of valid UTF-8 text (no control characters). */
static bool one_line_text(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) return false;
    return pi_valid_utf8_text(s, strlen(s));
}

/* Parses a form date (dd/mm/yyyy or YYYY-MM-DD) in the calendar's range. */
static const char *parse_form_date(const char *s, int32_t *jdn)
{
    if (!s || !*s) return _("Nhập ngày (dd/mm/yyyy).");
    if (strlen(s) > 10 || !cal_parse_date(s, jdn)) return _("Ngày không hợp lệ (dd/mm/yyyy hoặc YYYY-MM-DD).");
    int y = year_of(*jdn);
    if (y < CAL_MIN_YEAR || y > CAL_MAX_YEAR) return _("Chỉ sửa được lịch các năm 1900–2199.");
    return NULL;
}

/* Checks the kind against the weekday the way the calendar does. */
static const char *kind_weekday_error(cal_day_kind kind, int32_t jdn)
{
    bool weekend = cal_weekday(jdn) >= 5;
    if (kind == CAL_KIND_MAKEUP_WORKDAY && !weekend) return _("Ngày làm bù phải là Thứ Bảy hoặc Chủ nhật.");
    if ((kind == CAL_KIND_COMPENSATORY || kind == CAL_KIND_SWAPPED_OFF) && weekend)
        return _("Ngày nghỉ bù hoặc nghỉ hoán đổi phải là ngày trong tuần (Thứ Hai – Thứ Sáu).");
    return NULL;
}

static const char *text_error(const char *s, size_t max_chars, const char *missing, const char *too_long)
{
    if (!s || !*s) return missing;
    if (!one_line_text(s)) return _("Có ký tự không hợp lệ (xuống dòng hoặc ký tự điều khiển).");
    if (utf8_char_count(s) > max_chars) return too_long;
    return NULL;
}

/* Validates the add form into *day; on error fills st and returns false. */
static bool parse_add_form(req *r, form_state *st, cal_day *day)
{
    st->form = "add";
    st->date = req_form(r, "date");
    st->kind = req_form(r, "kind");
    st->name = req_form(r, "name");
    st->source = req_form(r, "source");
    const char *e = parse_form_date(st->date, &day->jdn);
    if (e) { st->error = e; st->field = "date"; return false; }
    if (!st->kind || !cal_kind_parse(st->kind, &day->kind) || day->kind == CAL_KIND_NORMAL) {
        st->error = _("Chọn loại ngày.");
        st->field = "kind";
        return false;
    }
    if ((e = kind_weekday_error(day->kind, day->jdn))) { st->error = e; st->field = "kind"; return false; }
    e = text_error(st->name, MAX_NAME_CHARS, _("Nhập tên ngày (vd: Nghỉ bù Giỗ Tổ Hùng Vương)."),
                   _("Tên ngày tối đa 200 ký tự."));
    if (e) { st->error = e; st->field = "name"; return false; }
    e = text_error(st->source, MAX_SOURCE_CHARS, _("Nhập căn cứ pháp lý (vd: Công văn 12729/VPCP-KGVX)."),
                   _("Căn cứ pháp lý tối đa 300 ký tự."));
    if (e) { st->error = e; st->field = "source"; return false; }
    day->name = st->name;
    day->source = st->source;
    return true;
}

/* ---- Rendering: header, status, legend ------------------------------------------ */

static void year_nav(buf *b, int year)
{
    html_printf(b, "<nav class=\"cal-nav no-print\" aria-label=\"%s\">", _("Chọn năm"));
    if (year > CAL_MIN_YEAR) html_printf(b, "<a href=\"/admin/calendar?year=%d\" rel=\"prev\">« %d</a>", year - 1, year - 1);
    html_printf(b, "<form method=\"get\" action=\"/admin/calendar\" class=\"cal-year-form\"><label>%s "
                   "<input type=\"number\" name=\"year\" min=\"%d\" max=\"%d\" value=\"%d\" inputmode=\"numeric\"></label>"
                   "<button type=\"submit\">%s</button></form>",
                _("Năm"), CAL_MIN_YEAR, CAL_MAX_YEAR, year, _("Xem"));
    if (year < CAL_MAX_YEAR) html_printf(b, "<a href=\"/admin/calendar?year=%d\" rel=\"next\">%d »</a>", year + 1, year + 1);
    html_lit(b, "</nav>");
}

/* The message of a failed POST next to its form. */
static void error_message(buf *b, const form_state *st, const char *form)
{
    if (st && st->error && !strcmp(st->form, form))
        html_printf(b, "<p class=\"error\" id=\"%s-error\">%s</p>", form, st->error);
}

/* The same message at the top of the page, linking to the form below. */
static void error_summary(buf *b, const form_state *st)
{
    if (!st || !st->error) return;
    if (!strcmp(st->form, "confirm")) {
        html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", st->error);
        return;
    }
    html_printf(b, "<p class=\"error\" role=\"alert\">%s <a href=\"#%s\">%s</a></p>", st->error,
                !strcmp(st->form, "add") ? "add" : "days", _("Xem mẫu nhập bên dưới."));
}

static void confirm_form(req *r, buf *b, int year)
{
    html_printf(b, "<form method=\"post\" action=\"/admin/calendar/years/%d/confirm\" class=\"cal-confirm\">", year);
    html_csrf_field(r, b);
    html_printf(b, "<button type=\"submit\">%s %d</button></form>", _("Xác nhận lịch năm"), year);
}

static void status_banner(req *r, buf *b, const cal_calendar *cal, int year)
{
    cal_year_status s = cal_year_status_of(cal, year);
    if (s == CAL_YEAR_OFFICIAL) {
        html_printf(b, "<p class=\"cal-status cal-status-official\"><strong>%s</strong> — %s</p>", _("Lịch chính thức"),
                    _("lịch nghỉ lễ, Tết của năm này theo văn bản đã công bố (xem cột \"Căn cứ\")."));
        return;
    }
    if (s == CAL_YEAR_CONFIRMED) {
        cal_year_confirmation c = {0};
        char when[24] = "";
        store_calendar_confirmation(r->db, year, &c);
        html_printf(b, "<p class=\"cal-status cal-status-confirmed\"><strong>%s</strong> — %s %s, %s.</p>", _("Lịch đã xác nhận"),
                    _("quản trị viên"), c.confirmed_by[0] ? c.confirmed_by : "?", fmt_datetime(c.confirmed_at, when));
        return;
    }
    html_printf(b, "<div class=\"cal-status cal-status-provisional\" role=\"note\"><p><strong>%s</strong> — %s</p>",
                _("Lịch tạm tính"),
                _("chưa có văn bản công bố lịch nghỉ của năm này. Các ngày nghỉ được suy ra từ Bộ luật Lao động 2019 "
                  "(Điều 111, 112): Tết Nguyên đán tạm tính 1 ngày trước và 4 ngày đầu năm âm lịch, chưa có ngày hoán đổi. "
                  "Khi Chính phủ công bố lịch nghỉ, hãy thêm hoặc xóa ngày cho đúng văn bản rồi xác nhận."));
    confirm_form(r, b, year);
    html_lit(b, "</div>");
}

static void year_facts(buf *b, const cal_calendar *cal, int year)
{
    char canchi[32], vn[11];
    int32_t tet = lunar_tet_jdn(year);
    int total = cal_working_days_between(cal, cal_jdn_from_ymd(year, 1, 1) - 1, cal_jdn_from_ymd(year, 12, 31));
    html_printf(b, "<p class=\"cal-facts\">%s <strong>%s</strong> — %s: %s %s. %s: <strong>%d</strong>. %s: %s.</p>",
                _("Năm âm lịch"), lunar_year_name(year, canchi, sizeof canchi), _("Tết Nguyên đán (mùng 1 tháng Giêng)"),
                cal_weekday_name_vi(tet), cal_format_vn(tet, vn), _("Số ngày làm việc cả năm"), total,
                _("Trạng thái"), year_status_label(cal_year_status_of(cal, year)));
}

static void legend(buf *b)
{
    html_printf(b, "<ul class=\"cal-legend\" aria-label=\"%s\">", _("Chú giải"));
    html_printf(b, "<li><span class=\"cal-swatch cal-work\"></span>%s</li>", _("Ngày làm việc"));
    html_printf(b, "<li><span class=\"cal-swatch cal-weekend\"></span>%s</li>", _("Thứ Bảy, Chủ nhật"));
    for (size_t i = 0; i < sizeof EDITABLE_KINDS / sizeof EDITABLE_KINDS[0]; i++) {
        char cls[40];
        snprintf(cls, sizeof cls, "cal-swatch cal-%s", cal_kind_name(EDITABLE_KINDS[i]));
        html_printf(b, "<li><span class=\"%s\"></span>%s</li>", cls, kind_label(EDITABLE_KINDS[i]));
    }
    html_printf(b, "<li><span class=\"cal-swatch cal-work cal-today\"></span>%s</li>", _("Hôm nay"));
    html_printf(b, "<li><span class=\"cal-lun-sample\">1/1 · 15/8</span> %s</li></ul>",
                _("ngày/tháng âm lịch (ngày mùng 1 và rằm; \"n\": tháng nhuận)"));
}

/* ---- Rendering: the month grids -------------------------------------------------- */

static void day_cell(buf *b, const cal_calendar *cal, int32_t jdn, int32_t today)
{
    char lun[16], vn[11], title[400], canchi[32];
    lunar_date l = {0};
    lunar_from_jdn(jdn, &l);
    int y, m, d;
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    bool full = l.day == 1 || l.day == 15 || d == 1;
    const char *reason;
    bool working = cal_is_working_day(cal, jdn, &reason);
    snprintf(title, sizeof title, "%s %s — %s %s %s — %s", cal_weekday_name_vi(jdn), cal_format_vn(jdn, vn), _("âm lịch"),
             lunar_text(jdn, true, lun), lunar_year_name(l.year, canchi, sizeof canchi),
             working ? _("ngày làm việc") : reason);
    html_printf(b, "<td class=\"cal-d %s%s\" title=\"%s\"><span class=\"cal-sol\">%d</span><span class=\"cal-lun%s\">%s</span></td>",
                day_class(cal, jdn), jdn == today ? " cal-today" : "", title, d, l.day == 1 ? " cal-lun-first" : "",
                lunar_text(jdn, full, lun));
}

static void month_grid(buf *b, const cal_calendar *cal, int year, int month, int32_t today)
{
    static const char *const HEAD[7][2] = {{N_("T2"), N_("Thứ Hai")}, {N_("T3"), N_("Thứ Ba")}, {N_("T4"), N_("Thứ Tư")},
                                           {N_("T5"), N_("Thứ Năm")}, {N_("T6"), N_("Thứ Sáu")}, {N_("T7"), N_("Thứ Bảy")},
                                           {N_("CN"), N_("Chủ nhật")}};
    int32_t first = cal_jdn_from_ymd(year, month, 1);
    int ndays = cal_days_in_month(year, month);
    int work = cal_working_days_between(cal, first - 1, first + ndays - 1);
    html_printf(b, "<table class=\"cal-month\"><caption>%s %d <small>· %d %s</small></caption><thead><tr>",
                _("Tháng"), month, work, _("ngày làm việc"));
    for (int i = 0; i < 7; i++) html_printf(b, "<th scope=\"col\" abbr=\"%s\">%s</th>", _(HEAD[i][1]), _(HEAD[i][0]));
    html_lit(b, "</tr></thead><tbody><tr>");
    int col = cal_weekday(first);
    for (int i = 0; i < col; i++) html_lit(b, "<td class=\"cal-empty\"></td>");
    for (int d = 0; d < ndays; d++, col++) {
        if (col == 7) {
            html_lit(b, "</tr><tr>");
            col = 0;
        }
        day_cell(b, cal, first + d, today);
    }
    for (; col < 7; col++) html_lit(b, "<td class=\"cal-empty\"></td>");
    html_lit(b, "</tr></tbody></table>");
}

static void year_grid(req *r, buf *b, const cal_calendar *cal, int year)
{
    int32_t today = web_today(r);
    html_printf(b, "<section class=\"cal-year\" aria-label=\"%s\">", _("Lịch 12 tháng"));
    for (int m = 1; m <= 12; m++) {
        html_lit(b, "<div class=\"cal-scroll\">");
        month_grid(b, cal, year, m, today);
        html_lit(b, "</div>");
    }
    html_lit(b, "</section>");
}

/* ---- Rendering: listed days, the add form, history ------------------------------------ */

/* The last override row of a day, or NULL. */
static const cal_override_row *override_of(const cal_override_row *rows, size_t n, int32_t jdn)
{
    for (size_t i = n; i-- > 0;)
        if (rows[i].jdn == jdn) return &rows[i];
    return NULL;
}

static void remove_button(req *r, buf *b, int32_t jdn, int year)
{
    char iso[11], vn[11], label[64];
    snprintf(label, sizeof label, "%s %s", _("Xóa ngày"), cal_format_vn(jdn, vn));
    html_printf(b, "<form method=\"post\" action=\"/admin/calendar/days/remove\" class=\"cal-inline\">"
                   "<input type=\"hidden\" name=\"date\" value=\"%s\"><input type=\"hidden\" name=\"year\" value=\"%d\">",
                cal_format_iso(jdn, iso), year);
    html_csrf_field(r, b);
    html_printf(b, "<button type=\"submit\" class=\"secondary\" aria-label=\"%s\">%s</button></form>", label, _("Xóa"));
}

static void listed_row(req *r, buf *b, const cal_day *day, const cal_override_row *o, int year)
{
    char vn[11], lun[16], when[24];
    html_printf(b, "<tr class=\"cal-row-%s\"><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
                   "<td data-label=\"%s\">%s</td><td data-label=\"%s\"><span class=\"cal-swatch cal-%s\"></span>%s</td>"
                   "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s",
                cal_kind_name(day->kind), _("Ngày"), cal_format_vn(day->jdn, vn), _("Thứ"), cal_weekday_name_vi(day->jdn),
                _("Âm lịch"), lunar_text(day->jdn, true, lun), _("Loại"), cal_kind_name(day->kind), kind_label(day->kind),
                _("Tên"), day->name, _("Căn cứ"), day->source);
    if (o && o->kind == day->kind)
        html_printf(b, "<br><small class=\"muted\">%s %s, %s</small>", _("Quản trị viên thêm:"),
                    o->created_by[0] ? o->created_by : "?", fmt_datetime(o->created_at, when));
    html_printf(b, "</td><td class=\"no-print\" data-label=\"%s\">", _("Thao tác"));
    remove_button(r, b, day->jdn, year);
    html_lit(b, "</td></tr>");
}

static void listed_days(req *r, buf *b, const cal_calendar *cal, int year, const form_state *st)
{
    size_t n, nrows = 0;
    const cal_day *days = cal_year_days(cal, year, &n);
    cal_override_row *rows = NULL;
    store_calendar_overrides(r->db, year, &rows, &nrows);
    html_printf(b, "<section id=\"days\"><h2>%s (%d)</h2>", _("Các ngày nghỉ lễ, Tết, nghỉ bù và làm bù"), (int)n);
    error_message(b, st, "remove");
    html_printf(b, "<div class=\"table-wrap\"><table class=\"responsive cal-days\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th><th class=\"no-print\"><span class=\"visually-hidden\">%s</span></th></tr></thead><tbody>",
                _("Ngày"), _("Thứ"), _("Âm lịch"), _("Loại"), _("Tên"), _("Căn cứ"), _("Thao tác"));
    for (size_t i = 0; i < n; i++) listed_row(r, b, &days[i], override_of(rows, nrows, days[i].jdn), year);
    if (n == 0) html_printf(b, "<tr><td colspan=\"7\" class=\"muted\">%s</td></tr>", _("Không có ngày nào."));
    html_lit(b, "</tbody></table></div></section>");
    cal_override_rows_free(rows, nrows);
}

static void text_input(buf *b, const form_state *st, const char *name, const char *label, const char *value,
                       int maxlength, const char *placeholder)
{
    bool bad = st && st->error && !strcmp(st->form, "add") && st->field && !strcmp(st->field, name);
    html_printf(b, "<label>%s<input name=\"%s\" value=\"%s\" maxlength=\"%d\" placeholder=\"%s\" required%s></label>",
                label, name, value ? value : "", maxlength, placeholder, bad ? " aria-invalid=\"true\" aria-describedby=\"add-error\"" : "");
}

static void add_form(req *r, buf *b, int year, const form_state *st)
{
    bool kept = st && !strcmp(st->form, "add");
    html_printf(b, "<section class=\"card no-print\" id=\"add\"><h2>%s</h2>", _("Thêm ngày nghỉ hoặc ngày làm bù"));
    error_message(b, st, "add");
    html_lit(b, "<form method=\"post\" action=\"/admin/calendar/days\" class=\"filters cal-add\">");
    html_csrf_field(r, b);
    html_printf(b, "<input type=\"hidden\" name=\"year\" value=\"%d\">", year);
    text_input(b, st, "date", _("Ngày"), kept ? st->date : NULL, 10, "dd/mm/yyyy");
    bool bad_kind = kept && st->error && st->field && !strcmp(st->field, "kind");
    html_printf(b, "<label>%s<select name=\"kind\"%s>", _("Loại ngày"), bad_kind ? " aria-invalid=\"true\"" : "");
    for (size_t i = 0; i < sizeof EDITABLE_KINDS / sizeof EDITABLE_KINDS[0]; i++) {
        const char *id = cal_kind_name(EDITABLE_KINDS[i]);
        bool sel = kept && st->kind && !strcmp(st->kind, id);
        html_printf(b, "<option value=\"%s\"%s>%s</option>", id, sel ? " selected" : "", kind_label(EDITABLE_KINDS[i]));
    }
    html_lit(b, "</select></label>");
    text_input(b, st, "name", _("Tên ngày"), kept ? st->name : NULL, MAX_NAME_CHARS, _("vd: Nghỉ bù Quốc khánh"));
    text_input(b, st, "source", _("Căn cứ pháp lý"), kept ? st->source : NULL, MAX_SOURCE_CHARS,
               _("vd: Công văn 12729/VPCP-KGVX ngày 25/12/2025"));
    html_printf(b, "<button type=\"submit\">%s</button></form>", _("Thêm ngày"));
    html_printf(b, "<p class=\"muted small\">%s</p></section>",
                _("Ngày làm bù phải là Thứ Bảy hoặc Chủ nhật; ngày nghỉ bù và nghỉ hoán đổi phải là ngày trong tuần. "
                  "Thêm một ngày đã có trong danh sách sẽ thay thế ngày đó."));
}

/* " 01/06/2022 (Ngày lễ: Name)" from an audit JSON text describing a day. */
static void history_day(buf *b, const char *json_text)
{
    json_error_t e;
    json_t *o = json_text ? json_loads(json_text, 0, &e) : NULL;
    const char *date = json_string_value(json_object_get(o, "date"));
    const char *name = json_string_value(json_object_get(o, "name"));
    const char *kind_s = json_string_value(json_object_get(o, "kind"));
    cal_day_kind kind;
    int32_t jdn;
    char vn[11];
    if (date && cal_parse_iso(date, &jdn)) html_printf(b, " %s", cal_format_vn(jdn, vn));
    if (kind_s && cal_kind_parse(kind_s, &kind) && kind != CAL_KIND_NORMAL)
        html_printf(b, " (%s: %s)", kind_label(kind), name ? name : "");
    json_decref(o);
}

/* Writes one history line from an audit entry of the year. */
static void history_item(const audit_row *a, void *ctx)
{
    buf *b = ctx;
    char when[24];
    html_printf(b, "<li><strong>%s</strong> · %s — ", fmt_datetime(a->at, when), a->username);
    if (!strcmp(a->action, "calendar_year_confirm")) {
        html_printf(b, "%s", _("xác nhận lịch của năm"));
    } else if (!strcmp(a->action, "calendar_day_remove")) {
        html_printf(b, "%s", _("xóa ngày"));
        history_day(b, a->before);                /* what the day was */
    } else {
        html_printf(b, "%s", _("thêm ngày"));
        history_day(b, a->after);
    }
    html_lit(b, "</li>");
}

static void history(req *r, buf *b, int year)
{
    buf items = {0};
    store_audit_list(r->db, "calendar", year, history_item, &items);
    html_printf(b, "<section class=\"no-print\" id=\"history\"><h2>%s %d</h2>", _("Lịch sử chỉnh sửa năm"), year);
    html_printf(b, "<p class=\"muted small\">%s</p>",
                _("Hạn của nhiệm vụ được lưu bằng ngày; số ngày làm việc còn lại hoặc quá hạn của mọi nhiệm vụ đang mở "
                  "được tính lại ngay theo lịch mới sau mỗi thay đổi. Mỗi thay đổi được ghi vào nhật ký hệ thống "
                  "(người sửa, thời điểm, trước và sau)."));
    if (items.len) {
        html_lit(b, "<ol class=\"timeline\">");
        buf_puts(b, buf_str(&items));
        html_lit(b, "</ol>");
    } else {
        html_printf(b, "<p class=\"muted\">%s</p>", _("Chưa có chỉnh sửa nào."));
    }
    html_lit(b, "</section>");
    buf_free(&items);
}

static void ok_message(req *r, buf *b)
{
    const char *ok = req_query(r, "ok");
    const char *msg = !ok ? NULL
        : !strcmp(ok, "added") ? _("Đã thêm ngày. Hạn của các nhiệm vụ đã được tính lại theo lịch mới.")
        : !strcmp(ok, "removed") ? _("Đã xóa ngày. Hạn của các nhiệm vụ đã được tính lại theo lịch mới.")
        : !strcmp(ok, "confirmed") ? _("Đã xác nhận lịch của năm.") : NULL;
    if (msg) html_printf(b, "<p class=\"ok-msg\" role=\"status\">%s</p>", msg);
}

/* Renders the year page; st (may be NULL) carries a failed POST's message and input. */
static void calendar_page(req *r, resp *w, int year, const form_state *st)
{
    const cal_calendar *cal = cal_current();
    char title[64];
    snprintf(title, sizeof title, "%s %d", _("Lịch làm việc năm"), year);
    buf *b = &w->body;
    page_begin(r, w, title);
    html_printf(b, "<p class=\"muted no-print\"><a href=\"/admin\">%s</a> › %s</p><h1>%s</h1>", _("Quản trị"),
                _("Lịch làm việc"), title);
    year_nav(b, year);
    if (st) error_summary(b, st);
    else ok_message(r, b);
    status_banner(r, b, cal, year);
    year_facts(b, cal, year);
    legend(b);
    year_grid(r, b, cal, year);
    listed_days(r, b, cal, year, st);
    add_form(r, b, year, st);
    history(r, b, year);
    page_end(r, w);
}

/* The year a failed POST shows: the date's year, else the form's year, else this year. */
static int page_year(req *r, int32_t jdn_or_0)
{
    int y = jdn_or_0 ? year_of(jdn_or_0) : 0;
    if (y >= CAL_MIN_YEAR && y <= CAL_MAX_YEAR) return y;
    if (parse_year(req_form(r, "year"), &y)) return y;
    return year_of(web_today(r));
}

static void rerender(req *r, resp *w, int year, const form_state *st)
{
    buf_free(&w->body);
    w->status = 422;
    calendar_page(r, w, year, st);
}

static void redirect_to_year(resp *w, int year, const char *ok, const char *anchor)
{
    char loc[96];
    snprintf(loc, sizeof loc, "/admin/calendar?year=%d&ok=%s#%s", year, ok, anchor);
    resp_redirect(w, loc);
}

/* ---- Handlers --------------------------------------------------------------------- */

void h_admin_calendar(req *r, resp *w)
{
    const char *y = req_query(r, "year");
    int year = year_of(web_today(r));
    if (y && *y && !parse_year(y, &year)) {
        resp_error(r, w, 400, "invalid_year", _("Năm không hợp lệ (1900–2199)."), "year");
        return;
    }
    calendar_page(r, w, year, NULL);
}

void h_admin_calendar_day_add(req *r, resp *w)
{
    form_state st = {0};
    cal_day day = {0};
    if (!parse_add_form(r, &st, &day)) {
        rerender(r, w, page_year(r, day.jdn), &st);
        return;
    }
    char err[256];
    cal_editor who = {r->user.id, r->user.username};
    cal_edit_result res = store_calendar_add(r->db, &day, &who, err, sizeof err);
    if (res == CAL_EDIT_INVALID) {
        st.error = _("Ngày này làm lịch không hợp lệ.");
        st.field = "kind";
        rerender(r, w, year_of(day.jdn), &st);
        return;
    }
    if (res != CAL_EDIT_OK) {
        resp_error(r, w, 500, "internal", _("Không lưu được thay đổi lịch."), NULL);
        return;
    }
    cal_current_reload(r->db);
    redirect_to_year(w, year_of(day.jdn), "added", "days");
}

void h_admin_calendar_day_remove(req *r, resp *w)
{
    form_state st = {.form = "remove", .field = "date"};
    int32_t jdn = 0;
    const char *date = req_form(r, "date");
    if ((st.error = parse_form_date(date, &jdn))) {
        rerender(r, w, page_year(r, 0), &st);
        return;
    }
    char err[256], vn[11], msg[200];
    cal_editor who = {r->user.id, r->user.username};
    cal_edit_result res = store_calendar_remove(r->db, jdn, &who, err, sizeof err);
    if (res == CAL_EDIT_NOT_LISTED) {
        snprintf(msg, sizeof msg, _("Ngày %s không có trong danh sách ngày nghỉ, làm bù."), cal_format_vn(jdn, vn));
        st.error = msg;
        rerender(r, w, year_of(jdn), &st);
        return;
    }
    if (res != CAL_EDIT_OK) {
        resp_error(r, w, 500, "internal", _("Không lưu được thay đổi lịch."), NULL);
        return;
    }
    cal_current_reload(r->db);
    redirect_to_year(w, year_of(jdn), "removed", "days");
}

void h_admin_calendar_year_confirm(req *r, resp *w)
{
    int64_t y = req_param_id(r, 0);
    if (y < CAL_MIN_YEAR || y > CAL_MAX_YEAR) {
        resp_error(r, w, 400, "invalid_year", _("Năm không hợp lệ (1900–2199)."), "year");
        return;
    }
    char err[256], msg[200];
    cal_editor who = {r->user.id, r->user.username};
    cal_edit_result res = store_calendar_confirm_year(r->db, (int)y, &who, err, sizeof err);
    if (res == CAL_EDIT_OFFICIAL_YEAR) {
        snprintf(msg, sizeof msg, _("Năm %d đã có lịch chính thức, không cần xác nhận."), (int)y);
        form_state st = {.form = "confirm", .field = "year", .error = msg};
        rerender(r, w, (int)y, &st);
        return;
    }
    if (res != CAL_EDIT_OK && res != CAL_EDIT_UNCHANGED) {
        resp_error(r, w, 500, "internal", _("Không lưu được thay đổi lịch."), NULL);
        return;
    }
    if (res == CAL_EDIT_OK) cal_current_reload(r->db);
    redirect_to_year(w, (int)y, "confirmed", "days");
}
