/* Plan CSV validation (see plan_import.h). */
#include "core/plan_import.h"
#include "core/number.h"
#include "core/escape.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/lunar.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- columns ---- */

enum { C_PLAN, C_AREA_NO, C_AREA_TITLE, C_NUMBER, C_TITLE, C_LEAD, C_COORD, C_PRODUCT, C_DEADLINE, C__COUNT };
static const char *const column_names[C__COUNT] = {
    "plan_code", "area_no", "area_title", "number", "title", "lead_unit", "coordinating_units", "product", "deadline_text"};
static const bool column_required[C__COUNT] = {true, true, true, true, true, true, false, false, false};

/* ---- small text helpers ---- */

bool pi_valid_utf8_text(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
            p++;
            continue;
        }
        int n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || end - p <= n) return false;
        uint32_t cp = c & (0x3F >> n);
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        p += n + 1;
    }
    return true;
}


/* Trims ASCII whitespace in place; returns s. */
static char *trim(char *s)
{
    char *b = s;
    while (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n') b++;
    size_t n = strlen(b);
    while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '\r' || b[n - 1] == '\n')) n--;
    memmove(s, b, n);
    s[n] = '\0';
    return s;
}

static char *dup_trimmed(const char *s)
{
    char *d = strdup(s ? s : "");
    return d ? trim(d) : NULL;
}

/* ---- dates ---- */

/* A real date in the years plans may name (1900–2200). */
static bool valid_ymd(int y, int m, int d) { return y >= 1900 && y <= 2200 && cal_valid_ymd(y, m, d); }

/* Reads a run of digits at *p (at most 8); returns its length, value in *v. */
static int digits(const char **p, int *v)
{
    int n = 0;
    *v = 0;
    while (**p >= '0' && **p <= '9' && n < 9) { *v = *v * 10 + (**p - '0'); (*p)++; n++; }
    return n;
}

bool pi_parse_date(const char *s, char iso[11])
{
    int32_t jdn;
    int y, m, d;
    if (!cal_parse_date(s, &jdn)) return false;          /* YYYY-MM-DD or dd/mm/yyyy, a real date */
    cal_ymd_from_jdn(jdn, &y, &m, &d);
    if (!valid_ymd(y, m, d)) return false;
    cal_format_iso(jdn, iso);
    return true;
}

bool pi_date_add_days(const char *iso, int days, char out[11])
{
    int32_t start;
    if (!iso || !cal_parse_iso(iso, &start)) return false;
    int64_t jdn = (int64_t)start + days;
    if (jdn < INT32_MIN || jdn > INT32_MAX) return false;
    cal_format_iso((int32_t)jdn, out);
    return true;
}

/* True when the text just before p (spaces skipped) is the word "tháng"/"thang". */
static bool preceded_by_thang(const char *start, const char *p)
{
    while (p > start && p[-1] == ' ') p--;
    static const char *const words[] = {"th\xC3\xA1ng", "Th\xC3\xA1ng", "TH\xC3\x81NG", "thang", "Thang", "THANG"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(p - start) >= n && memcmp(p - n, words[i], n) == 0) return true;
    }
    return false;
}

static void copy_token(const char *from, const char *to, char *bad, size_t badlen)
{
    if (!bad || badlen == 0) return;
    size_t n = (size_t)(to - from);
    if (n >= badlen) n = badlen - 1;
    memcpy(bad, from, n);
    bad[n] = '\0';
}

bool pi_text_dates_valid(const char *text, char *bad, size_t badlen)
{
    const char *p = text;
    while (*p) {
        if (*p < '0' || *p > '9' || (p > text && p[-1] >= '0' && p[-1] <= '9')) { p++; continue; }
        const char *tok = p;
        int a, b = 0, c = 0, nb = 0, nc = 0;
        int na = digits(&p, &a);
        char sep = *p;
        if (sep == '/' || sep == '-') {
            const char *q = p + 1;
            nb = digits(&q, &b);
            if (nb > 0) {
                p = q;
                if (*p == sep && p[1] >= '0' && p[1] <= '9') { p++; nc = digits(&p, &c); }
            }
        }
        bool ok = true;
        if (sep == '/' && na <= 2 && nb >= 1 && nb <= 2 && nc == 4) ok = valid_ymd(c, b, a);
        else if (sep == '-' && na == 4 && nb >= 1 && nb <= 2 && nc >= 1 && nc <= 2) ok = valid_ymd(a, b, c);
        else if (sep == '/' && na <= 2 && nb == 4 && nc == 0 && preceded_by_thang(text, tok)) ok = a >= 1 && a <= 12;
        if (!ok) { copy_token(tok, p, bad, badlen); return false; }
        while (*p >= '0' && *p <= '9') p++;
    }
    return true;
}

bool pi_valid_number(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > PI_MAX_NUMBER) return false;
    const char *p = s;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') p++;
    if (*p == '\0') return true;
    if (*p++ != '.') return false;
    if (*p >= 'a' && *p <= 'z' && p[1] == '\0') return true;
    return strcmp(p, "\xC4\x91") == 0;      /* đ */
}

static bool valid_code(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max) return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

/* ---- result building ---- */

typedef struct {
    pi_result *out;
    const pi_options *opt;
    int col[C__COUNT];            /* field index of each column, -1 if absent */
    int ncols;                    /* fields in the header */
    pi_row *row;                  /* the row being validated */
    bool bad[C__COUNT];           /* columns of this row that are not valid UTF-8 text */
    int year;                     /* year for dlx_parse; -1 until known */
    bool oom;
} vstate;

static void add_problem(vstate *v, int line, pi_severity sev, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add_problem(vstate *v, int line, pi_severity sev, const char *column, const char *fmt, ...)
{
    pi_result *o = v->out;
    if (o->nproblems % 32 == 0) {
        pi_problem *p = realloc(o->problems, sizeof *p * ((size_t)o->nproblems + 32));
        if (!p) { v->oom = true; return; }
        o->problems = p;
    }
    pi_problem *p = &o->problems[o->nproblems++];
    p->line = line;
    p->severity = sev;
    snprintf(p->column, sizeof p->column, "%s", column ? column : "");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof p->message) {            /* do not leave a cut character */
        size_t k = sizeof p->message - 1;
        while (k > 0 && ((unsigned char)p->message[k] & 0xC0) == 0x80) k--;
        p->message[k] = '\0';
    }
    if (sev == PI_ERROR) {
        o->nerrors++;
        if (v->row) v->row->valid = false;
    } else {
        o->nwarnings++;
    }
}

#define ROW_ERROR(v, c, ...) add_problem((v), (v)->row->line, PI_ERROR, column_names[c], __VA_ARGS__)
#define ROW_WARNING(v, c, ...) add_problem((v), (v)->row->line, PI_WARNING, column_names[c], __VA_ARGS__)

static pi_row *new_row(vstate *v, int line)
{
    pi_result *o = v->out;
    if (o->nrows % 64 == 0) {
        pi_row *r = realloc(o->rows, sizeof *r * ((size_t)o->nrows + 64));
        if (!r) { v->oom = true; return NULL; }
        o->rows = r;
    }
    pi_row *r = &o->rows[o->nrows++];
    memset(r, 0, sizeof *r);
    r->line = line;
    r->valid = true;
    char **fields[] = {&r->plan_code, &r->area_no, &r->area_title, &r->number,
                       &r->title, &r->lead_unit, &r->product, &r->deadline_text};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        *fields[i] = strdup("");
        if (!*fields[i]) v->oom = true;
    }
    return r;
}

static void free_row(pi_row *r)
{
    free(r->plan_code); free(r->area_no); free(r->area_title); free(r->number);
    free(r->title); free(r->lead_unit); free(r->product); free(r->deadline_text);
    for (int i = 0; i < r->ncoord; i++) free(r->coord[i]);
}

void plan_import_free(pi_result *out)
{
    for (int i = 0; i < out->nrows; i++) free_row(&out->rows[i]);
    free(out->rows);
    free(out->problems);
    memset(out, 0, sizeof *out);
}

/* ---- header ---- */

static bool read_header(vstate *v, csv_reader *r)
{
    for (int c = 0; c < C__COUNT; c++) v->col[c] = -1;
    v->ncols = r->nfields;
    for (int i = 0; i < r->nfields; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s", r->fields[i]);
        trim(name);
        int found = -1;
        for (int c = 0; c < C__COUNT; c++)
            if (strcasecmp(name, column_names[c]) == 0) found = c;
        char shown[80];
        if (found < 0) {
            if (name[0])
                add_problem(v, r->record_line, PI_WARNING, name, _("Cột \"%s\" không thuộc định dạng, bị bỏ qua"), text_shorten(name, shown, 60));
        } else if (v->col[found] >= 0) {
            add_problem(v, r->record_line, PI_ERROR, column_names[found], _("Cột \"%s\" xuất hiện hai lần trong dòng tiêu đề"), column_names[found]);
        } else {
            v->col[found] = i;
        }
    }
    bool ok = v->out->nerrors == 0;
    for (int c = 0; c < C__COUNT; c++) {
        if (v->col[c] >= 0 || !column_required[c]) continue;
        add_problem(v, r->record_line, PI_ERROR, column_names[c],
                    _("Thiếu cột bắt buộc \"%s\" trong dòng tiêu đề (cần: plan_code, area_no, area_title, number, title, lead_unit; "
                      "tùy chọn: coordinating_units, product, deadline_text)"), column_names[c]);
        ok = false;
    }
    return ok;
}

/* ---- rows ---- */

static const char *field(const vstate *v, const csv_reader *r, int c)
{
    return v->col[c] >= 0 ? r->fields[v->col[c]] : "";
}

/* Copies each column of the record into the row, trimmed; a column that is not
 * valid UTF-8 text is reported once, left empty and marked bad. */
static void fill_row(vstate *v, const csv_reader *r)
{
    pi_row *row = v->row;
    char **dst[C__COUNT] = {&row->plan_code, &row->area_no, &row->area_title, &row->number,
                            &row->title, &row->lead_unit, NULL, &row->product, &row->deadline_text};
    for (int c = 0; c < C__COUNT; c++) {
        const char *s = field(v, r, c);
        v->bad[c] = !pi_valid_utf8_text(s, strlen(s));
        if (v->bad[c]) {
            ROW_ERROR(v, c, _("Cột %s chứa ký tự không hợp lệ (tệp phải là văn bản UTF-8)"), column_names[c]);
            continue;
        }
        if (!dst[c]) continue;
        char *t = dup_trimmed(s);
        if (!t) { v->oom = true; continue; }
        free(*dst[c]);
        *dst[c] = t;
    }
}

static void check_length(vstate *v, int c, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) ROW_ERROR(v, c, _("Cột %s dài %zu byte, tối đa %zu byte"), column_names[c], n, max);
}

static void check_plan_code(vstate *v)
{
    pi_row *row = v->row;
    pi_result *o = v->out;
    char shown[80];
    if (!row->plan_code[0]) { ROW_ERROR(v, C_PLAN, _("Thiếu mã kế hoạch")); return; }
    if (!valid_code(row->plan_code, PI_MAX_PLAN_CODE)) {
        ROW_ERROR(v, C_PLAN, _("Mã kế hoạch \"%s\" không hợp lệ (chỉ chữ không dấu, chữ số, _ và -, tối đa 64 ký tự)"),
                  text_shorten(row->plan_code, shown, 64));
        return;
    }
    if (!o->plan_code[0]) snprintf(o->plan_code, sizeof o->plan_code, "%s", row->plan_code);
    else if (strcmp(o->plan_code, row->plan_code) != 0)
        ROW_ERROR(v, C_PLAN, _("Mã kế hoạch \"%s\" khác với các dòng trước (\"%s\"): mỗi tệp chỉ cho một kế hoạch"),
                  row->plan_code, o->plan_code);
}

/* The first earlier row (valid or not) of the same area, or NULL. */
static const pi_row *earlier_area(const vstate *v, const char *area_no)
{
    for (int i = 0; i < v->out->nrows - 1; i++)
        if (strcmp(v->out->rows[i].area_no, area_no) == 0) return &v->out->rows[i];
    return NULL;
}

/* The first earlier row with the same task number, or NULL. */
static const pi_row *earlier_number(const vstate *v, const char *number)
{
    for (int i = 0; i < v->out->nrows - 1; i++)
        if (strcmp(v->out->rows[i].number, number) == 0) return &v->out->rows[i];
    return NULL;
}

static void check_area(vstate *v)
{
    pi_row *row = v->row;
    if (!row->area_no[0]) { ROW_ERROR(v, C_AREA_NO, _("Thiếu số lĩnh vực (area_no)")); return; }
    check_length(v, C_AREA_NO, row->area_no, PI_MAX_AREA_NO);
    check_length(v, C_AREA_TITLE, row->area_title, PI_MAX_AREA_TITLE);
    const pi_row *first = earlier_area(v, row->area_no);
    if (!first || !first->area_title[0]) {
        if (!row->area_title[0]) ROW_ERROR(v, C_AREA_TITLE, _("Thiếu tên lĩnh vực %s"), row->area_no);
        return;
    }
    if (!row->area_title[0]) {                  /* later rows of an area may leave it empty */
        char *t = strdup(first->area_title);
        if (t) { free(row->area_title); row->area_title = t; }
    } else if (strcmp(row->area_title, first->area_title) != 0) {
        ROW_WARNING(v, C_AREA_TITLE, _("Tên lĩnh vực %s khác với dòng %d; dùng tên ở dòng %d"),
                    row->area_no, first->line, first->line);
    }
}

static void check_number(vstate *v)
{
    pi_row *row = v->row;
    char shown[80];
    if (!row->number[0]) { ROW_ERROR(v, C_NUMBER, _("Thiếu số thứ tự nhiệm vụ (number)")); return; }
    if (!pi_valid_number(row->number)) {
        ROW_ERROR(v, C_NUMBER, _("Số thứ tự \"%s\" không hợp lệ: phải là số (vd. 12) hoặc số và một chữ cái (vd. 1.a, 4.đ)"),
                  text_shorten(row->number, shown, 40));
        return;
    }
    const pi_row *dup = earlier_number(v, row->number);
    if (dup) ROW_ERROR(v, C_NUMBER, _("Số thứ tự %s trùng với dòng %d"), row->number, dup->line);
}

static void check_title(vstate *v)
{
    if (!v->row->title[0]) ROW_ERROR(v, C_TITLE, _("Tên nhiệm vụ để trống"));
    else check_length(v, C_TITLE, v->row->title, PI_MAX_TITLE);
}

static bool unit_known(const vstate *v, const char *code)
{
    return valid_code(code, PI_MAX_UNIT_CODE) && v->opt->unit_exists(code, v->opt->ctx);
}

static void check_lead(vstate *v)
{
    char shown[80];
    const char *lead = v->row->lead_unit;
    if (!lead[0]) ROW_ERROR(v, C_LEAD, _("Thiếu đơn vị chủ trì (lead_unit)"));
    else if (!unit_known(v, lead))
        ROW_ERROR(v, C_LEAD, _("Không có đơn vị mã \"%s\" (đơn vị chủ trì); xem danh mục đơn vị"), text_shorten(lead, shown, 64));
}

static bool coord_has(const pi_row *row, const char *code)
{
    for (int i = 0; i < row->ncoord; i++)
        if (strcmp(row->coord[i], code) == 0) return true;
    return false;
}

static void add_coord(vstate *v, const char *code)
{
    pi_row *row = v->row;
    char shown[80];
    if (!unit_known(v, code)) {
        ROW_ERROR(v, C_COORD, _("Không có đơn vị mã \"%s\" (đơn vị phối hợp); xem danh mục đơn vị"), text_shorten(code, shown, 64));
        return;
    }
    if (strcmp(code, row->lead_unit) == 0) {
        ROW_WARNING(v, C_COORD, _("Đơn vị %s vừa chủ trì vừa phối hợp; bỏ khỏi danh sách phối hợp"), code);
        return;
    }
    if (coord_has(row, code)) {
        ROW_WARNING(v, C_COORD, _("Đơn vị phối hợp %s ghi hai lần; chỉ tính một lần"), code);
        return;
    }
    if (row->ncoord == PI_MAX_COORD) {
        ROW_ERROR(v, C_COORD, _("Quá %d đơn vị phối hợp"), PI_MAX_COORD);
        return;
    }
    if (!(row->coord[row->ncoord] = strdup(code))) { v->oom = true; return; }
    row->ncoord++;
}

static void check_coordinating(vstate *v, const char *list)
{
    char *copy = strdup(list);
    if (!copy) { v->oom = true; return; }
    char *save = NULL;
    for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        trim(tok);
        if (tok[0]) add_coord(v, tok);
    }
    free(copy);
}

/* The year deadlines without one refer to: the option, else the plan's first year. */
static int plan_year(vstate *v)
{
    if (v->year >= 0) return v->year;
    if (v->opt->default_year > 0 || !v->opt->plan_year) return v->year = v->opt->default_year > 0 ? v->opt->default_year : 0;
    if (!v->out->plan_code[0]) return 0;          /* no plan code yet: ask again on a later row */
    int y = v->opt->plan_year(v->out->plan_code, v->opt->ctx);
    return v->year = y > 0 ? y : 0;
}

static void check_deadline(vstate *v)
{
    pi_row *row = v->row;
    char bad[64], shown[160];
    if (strlen(row->deadline_text) > PI_MAX_DEADLINE) {
        check_length(v, C_DEADLINE, row->deadline_text, PI_MAX_DEADLINE);
        return;
    }
    if (!pi_text_dates_valid(row->deadline_text, bad, sizeof bad)) {
        if (!strcmp(bad, row->deadline_text)) ROW_ERROR(v, C_DEADLINE, _("Ngày không hợp lệ \"%s\""), bad);
        else ROW_ERROR(v, C_DEADLINE, _("Ngày không hợp lệ \"%s\" trong thời hạn \"%s\""), bad, text_shorten(row->deadline_text, shown, 120));
        return;
    }
    dlx_parse(row->deadline_text, plan_year(v), &row->deadline);
    if (row->deadline.kind != DLX_UNPARSED) return;
    row->needs_date = true;
    if (!row->deadline_text[0]) ROW_WARNING(v, C_DEADLINE, _("Chưa có thời hạn: cần người đặt ngày"));
    else ROW_WARNING(v, C_DEADLINE, _("Không hiểu thời hạn \"%s\": cần người đặt ngày"), text_shorten(row->deadline_text, shown, 120));
}

static void validate_record(vstate *v, const csv_reader *r)
{
    if (r->nfields != v->ncols) {
        add_problem(v, r->record_line, PI_ERROR, "",
                    _("Dòng có %d cột, dòng tiêu đề có %d cột (kiểm tra dấu phẩy và dấu ngoặc kép)"), r->nfields, v->ncols);
        return;
    }
    fill_row(v, r);
    if (!v->bad[C_PLAN]) check_plan_code(v);
    if (!v->bad[C_AREA_NO] && !v->bad[C_AREA_TITLE]) check_area(v);
    if (!v->bad[C_NUMBER]) check_number(v);
    if (!v->bad[C_TITLE]) check_title(v);
    if (!v->bad[C_LEAD]) check_lead(v);
    if (!v->bad[C_COORD]) check_coordinating(v, field(v, r, C_COORD));
    check_length(v, C_PRODUCT, v->row->product, PI_MAX_PRODUCT);
    if (!v->bad[C_DEADLINE]) check_deadline(v);
}

static bool all_empty(const csv_reader *r)
{
    for (int i = 0; i < r->nfields; i++) {
        const char *s = r->fields[i];
        while (*s == ' ' || *s == '\t') s++;
        if (*s) return false;
    }
    return true;
}

static void read_rows(vstate *v, csv_reader *r)
{
    csv_status st;
    while (!v->oom && (st = csv_next(r)) != CSV_END) {
        if (st == CSV_RECORD && all_empty(r)) continue;
        if (v->out->nrows == PI_MAX_ROWS) {
            add_problem(v, r->record_line, PI_ERROR, "", _("Tệp có quá %d nhiệm vụ; hãy chia nhỏ tệp"), PI_MAX_ROWS);
            break;
        }
        v->row = new_row(v, r->record_line);
        if (!v->row) break;
        if (st == CSV_ERROR) {
            const char *col = "";
            for (int c = 0; c < C__COUNT; c++)
                if (v->col[c] >= 0 && v->col[c] == r->error_column - 1) col = column_names[c];
            add_problem(v, r->error_line, PI_ERROR, col, "%s", csv_error_text(r->error));
        } else {
            validate_record(v, r);
        }
        if (v->row->valid) v->out->nvalid++;
        v->row = NULL;
    }
}

int plan_import_validate(const char *text, size_t len, const pi_options *opt, pi_result *out)
{
    memset(out, 0, sizeof *out);
    vstate v = {.out = out, .opt = opt, .year = -1};
    csv_reader r;
    csv_open(&r, text, len);
    csv_status st = csv_next(&r);
    if (st == CSV_END) {
        add_problem(&v, 0, PI_ERROR, "", _("Tệp rỗng: cần dòng tiêu đề và ít nhất một nhiệm vụ"));
    } else if (st == CSV_ERROR) {
        add_problem(&v, r.error_line, PI_ERROR, "", _("Dòng tiêu đề: %s"), csv_error_text(r.error));
    } else if (read_header(&v, &r)) {
        out->header_ok = true;
        read_rows(&v, &r);
        if (out->nrows == 0 && !v.oom)
            add_problem(&v, 0, PI_ERROR, "", _("Tệp không có dòng nhiệm vụ nào sau dòng tiêu đề"));
    }
    csv_close(&r);
    if (v.oom) add_problem(&v, 0, PI_ERROR, "", _("Không đủ bộ nhớ để kiểm tra tệp"));
    return out->nerrors;
}

bool pi_parse_year(const char *s, int *out)
{
    return s && *s != '-' && parse_int_strict(s, 2000, 2100, out);
}
