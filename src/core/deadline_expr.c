/* Vietnamese plan deadline expressions (see deadline_expr.h).
 *
 * The text is folded (lowercase, no diacritics, đ→d) with a map back to the
 * original bytes, cut into tokens (words, numbers, / - . and separators), and
 * scanned left to right for time phrases:
 *   date     "10/01/2022", "05/6"                 (d/m[/y])
 *   month    "Tháng 12/2021", "12/2021", "tháng 3 năm 2022", "tháng 3"
 *   quarter  "Quý I/2022", "quý 4 năm 2022", "trong quý I"   (I–IV, 1–4)
 *   half     "6 tháng đầu năm 2022", "6 tháng cuối năm"
 *   year     "Cả năm 2022", "Năm 2022", "cả năm"; a bare "2026" only in a
 *            range ("2026-2030"), after giai đoạn/từ/đến, or alone
 * Two phrases joined by "-", "đến" or "tới" form a range ("Từ Quý IV/2022 đến
 * Quý I/2023", "Giai đoạn 2026-2027"). A phrase or range is a unit; 2–4 units
 * become milestones labelled by the words before them. Recurrence words
 * ("hằng/hàng/mỗi/từng năm|quý|tháng", "định kỳ hàng quý", "6 tháng") make the
 * result recurring; "theo yêu cầu/chỉ đạo… của X" with no date makes it an
 * event. A phrase that is recognised but wrong (Quý V, 31/02, tháng 13, năm
 * học…, "định kỳ" with no period) makes the whole text unparsed. A phrase
 * without a year takes the other end's year in a range, else the first year
 * written in the text, else default_year. */
#include "core/deadline_expr.h"
#include "core/fold.h"
#include "core/lunar.h"
#include <stdint.h>
#include <string.h>

#define MAX_TOK 256
#define MAX_UNITS 4
#define MIN_YEAR 1900
#define MAX_YEAR 2200

enum { T_WORD, T_NUM, T_SLASH, T_DASH, T_DOT, T_SEP, T_OTHER };

typedef struct {
    int type;
    int fs, fe;         /* folded bytes [fs, fe) */
    int os, oe;         /* original bytes [os, oe) */
    long val;           /* T_NUM: value, -1 if more than 6 digits */
    int nd;             /* T_NUM: number of digits */
} token;

enum { P_DATE, P_MONTH, P_QUARTER, P_HALF, P_YEAR };

typedef struct {
    int kind;
    int a, b;           /* DATE: day, month; MONTH: month; QUARTER: 1-4; HALF: 1-2 */
    int year;           /* 0 = not written */
    dlx_date start, due;
} phrase;

typedef struct {
    int ts, te;         /* token span [ts, te) */
    int is_range;
    phrase p, q;        /* q only when is_range */
} unit;

typedef struct {
    const char *orig;
    int olen;
    char f[DLX_MAX_INPUT + 1];
    uint16_t fos[DLX_MAX_INPUT + 1], foe[DLX_MAX_INPUT + 1];
    int flen;
    token t[MAX_TOK];
    int nt;
    int error;
} ctx;

/* ------------------------------------------------------------------ dates */

static dlx_date mkdate(int y, int m, int d) { dlx_date r = {y, m, d}; return r; }
static long date_key(dlx_date d) { return (long)d.y * 10000L + d.m * 100L + d.d; }
static int year_ok(long y) { return y >= MIN_YEAR && y <= MAX_YEAR; }

/* Fills p->start/p->due from its fields and year y; 0 if the date is invalid. */
static int resolve(phrase *p, int y)
{
    if (!year_ok(y)) return 0;
    p->year = y;
    switch (p->kind) {
    case P_DATE:
        if (p->b < 1 || p->b > 12 || p->a < 1 || p->a > cal_days_in_month(y, p->b)) return 0;
        p->start = p->due = mkdate(y, p->b, p->a);
        return 1;
    case P_MONTH:
        if (p->a < 1 || p->a > 12) return 0;
        p->start = mkdate(y, p->a, 1);
        p->due = mkdate(y, p->a, cal_days_in_month(y, p->a));
        return 1;
    case P_QUARTER:
        if (p->a < 1 || p->a > 4) return 0;
        p->start = mkdate(y, 3 * p->a - 2, 1);
        p->due = mkdate(y, 3 * p->a, cal_days_in_month(y, 3 * p->a));
        return 1;
    case P_HALF:
        p->start = p->a == 1 ? mkdate(y, 1, 1) : mkdate(y, 7, 1);
        p->due = p->a == 1 ? mkdate(y, 6, 30) : mkdate(y, 12, 31);
        return 1;
    default:
        p->start = mkdate(y, 1, 1);
        p->due = mkdate(y, 12, 31);
        return 1;
    }
}

/* --------------------------------------------------------- fold + tokens */

static int utf8_len(const unsigned char *s, int avail)
{
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > avail) return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

static void fold_input(ctx *c)
{
    const unsigned char *s = (const unsigned char *)c->orig;
    int i = 0;
    c->flen = 0;
    while (i < c->olen) {
        int n = utf8_len(s + i, c->olen - i);
        if (n == 0) { i++; continue; }                  /* invalid byte: skipped */
        char one[5], out[8];
        size_t k;
        if (n == 3 && s[i] == 0xE2 && ((s[i + 1] == 0x80 && (s[i + 2] == 0x93 || s[i + 2] == 0x94)) ||
                                       (s[i + 1] == 0x88 && s[i + 2] == 0x92))) {
            out[0] = '-'; k = 1;                           /* – — − */
        } else if (n == 2 && s[i] == 0xC2 && s[i + 1] == 0xA0) {
            out[0] = ' '; k = 1;                           /* no-break space */
        } else {
            memcpy(one, s + i, (size_t)n);
            one[n] = '\0';
            k = fold_text(one, out, sizeof out);
        }
        for (size_t j = 0; j < k && c->flen < DLX_MAX_INPUT; j++) {
            c->f[c->flen] = out[j];
            c->fos[c->flen] = (uint16_t)i;
            c->foe[c->flen] = (uint16_t)(i + n);
            c->flen++;
        }
        i += n;
    }
    c->f[c->flen] = '\0';
}

static int tokenize(ctx *c)
{
    int i = 0;
    c->nt = 0;
    while (i < c->flen) {
        unsigned char ch = (unsigned char)c->f[i];
        if (ch == ' ' || (ch >= '\t' && ch <= '\r')) { i++; continue; }
        if (c->nt == MAX_TOK) return 0;
        token *t = &c->t[c->nt];
        memset(t, 0, sizeof *t);
        t->fs = i;
        if (ch >= 'a' && ch <= 'z') {
            t->type = T_WORD;
            while (i < c->flen && c->f[i] >= 'a' && c->f[i] <= 'z') i++;
        } else if (ch >= '0' && ch <= '9') {
            t->type = T_NUM;
            while (i < c->flen && c->f[i] >= '0' && c->f[i] <= '9') {
                if (t->nd < 6) t->val = t->val * 10 + (c->f[i] - '0');
                t->nd++;
                i++;
            }
            if (t->nd > 6) t->val = -1;
        } else if (ch >= 0x80) {
            t->type = T_OTHER;
            while (i < c->flen && (unsigned char)c->f[i] >= 0x80) i++;
        } else {
            t->type = ch == '/' ? T_SLASH : ch == '-' ? T_DASH : ch == '.' ? T_DOT
                    : (ch == ',' || ch == ';' || ch == ':' || ch == '(' || ch == ')') ? T_SEP : T_OTHER;
            i++;
        }
        t->fe = i;
        t->os = c->fos[t->fs];
        t->oe = c->foe[t->fe - 1];
        c->nt++;
    }
    return 1;
}

static int is_type(const ctx *c, int i, int type) { return i >= 0 && i < c->nt && c->t[i].type == type; }

static int is_word(const ctx *c, int i, const char *w)
{
    if (!is_type(c, i, T_WORD)) return 0;
    size_t n = strlen(w);
    return (size_t)(c->t[i].fe - c->t[i].fs) == n && memcmp(c->f + c->t[i].fs, w, n) == 0;
}

static int is_word_in(const ctx *c, int i, const char *const *ws)
{
    for (; *ws; ws++)
        if (is_word(c, i, *ws)) return 1;
    return 0;
}

static int is_num(const ctx *c, int i, int min_nd, int max_nd)
{
    return is_type(c, i, T_NUM) && c->t[i].nd >= min_nd && c->t[i].nd <= max_nd && c->t[i].val >= 0;
}

static int is_year_num(const ctx *c, int i) { return is_num(c, i, 4, 4) && year_ok(c->t[i].val); }

/* A word made of the letters i, v, x only (a Roman numeral, valid or not). */
static int roman_value(const ctx *c, int i, int *is_roman)
{
    static const char *const r[] = {"i", "ii", "iii", "iv"};
    *is_roman = 0;
    if (!is_type(c, i, T_WORD)) return 0;
    for (int k = c->t[i].fs; k < c->t[i].fe; k++)
        if (c->f[k] != 'i' && c->f[k] != 'v' && c->f[k] != 'x') return 0;
    *is_roman = 1;
    for (int k = 0; k < 4; k++)
        if (is_word(c, i, r[k])) return k + 1;
    return 0;
}

/* ------------------------------------------------------------- phrases */

/* Optional year after a phrase: "/2022" or "năm 2022". Returns tokens used;
 * sets c->error for a 4-digit year out of range. */
static int opt_year(ctx *c, int i, int *year)
{
    if ((is_type(c, i, T_SLASH) || is_word(c, i, "nam")) && is_num(c, i + 1, 4, 4)) {
        if (!year_ok(c->t[i + 1].val)) { c->error = 1; return 0; }
        *year = (int)c->t[i + 1].val;
        return 2;
    }
    return 0;
}

/* Tries a time phrase at token i. Returns tokens used, 0 if none, and sets
 * c->error for a recognised but invalid one. */
static int match_phrase(ctx *c, int i, int allow_bare_year, phrase *p)
{
    static const char *const edge_words[] = {"dau", "cuoi", "giua", NULL};
    memset(p, 0, sizeof *p);
    /* d/m[/y] */
    if (is_num(c, i, 1, 2) && (is_type(c, i + 1, T_SLASH) || is_type(c, i + 1, T_DOT)) && is_num(c, i + 2, 1, 2)) {
        p->kind = P_DATE;
        p->a = (int)c->t[i].val;
        p->b = (int)c->t[i + 2].val;
        if (p->b < 1 || p->b > 12 || p->a < 1 || p->a > cal_days_in_month(2000, p->b)) { c->error = 1; return 0; }
        if ((is_type(c, i + 3, T_SLASH) || is_type(c, i + 3, T_DOT)) && is_num(c, i + 4, 4, 4)) {
            if (!year_ok(c->t[i + 4].val)) { c->error = 1; return 0; }
            p->year = (int)c->t[i + 4].val;
            return 5;
        }
        if (is_type(c, i + 3, T_SLASH)) { c->error = 1; return 0; }   /* 10/01/22, 1/2/3 */
        return 3;
    }
    /* m/yyyy */
    if (is_num(c, i, 1, 2) && is_type(c, i + 1, T_SLASH) && is_num(c, i + 2, 4, 4)) {
        p->kind = P_MONTH;
        p->a = (int)c->t[i].val;
        if (p->a < 1 || p->a > 12 || !year_ok(c->t[i + 2].val)) { c->error = 1; return 0; }
        p->year = (int)c->t[i + 2].val;
        return 3;
    }
    /* tháng m[/yyyy | năm yyyy] */
    if (is_word(c, i, "thang") && is_type(c, i + 1, T_NUM)) {
        p->kind = P_MONTH;
        p->a = (int)c->t[i + 1].val;
        if (c->t[i + 1].nd > 2 || p->a < 1 || p->a > 12) { c->error = 1; return 0; }
        return 2 + opt_year(c, i + 2, &p->year);
    }
    /* quý I-IV / 1-4 [/yyyy | năm yyyy] */
    if (is_word(c, i, "quy")) {
        int roman, q = roman_value(c, i + 1, &roman);
        if (!roman && is_type(c, i + 1, T_NUM)) {
            q = (c->t[i + 1].nd <= 2 && c->t[i + 1].val >= 1 && c->t[i + 1].val <= 4) ? (int)c->t[i + 1].val : 0;
            roman = 1;                                     /* a number after quý is meant as one */
        }
        if (!roman) return 0;                              /* "hằng quý", "quý này" */
        if (q == 0) { c->error = 1; return 0; }            /* Quý V, quý 5 */
        p->kind = P_QUARTER;
        p->a = q;
        return 2 + opt_year(c, i + 2, &p->year);
    }
    /* 6 tháng đầu|cuối năm [yyyy] */
    if (is_num(c, i, 1, 1) && c->t[i].val == 6 && is_word(c, i + 1, "thang") &&
        (is_word(c, i + 2, "dau") || is_word(c, i + 2, "cuoi")) && is_word(c, i + 3, "nam")) {
        p->kind = P_HALF;
        p->a = is_word(c, i + 2, "dau") ? 1 : 2;
        if (is_year_num(c, i + 4)) { p->year = (int)c->t[i + 4].val; return 5; }
        if (is_word(c, i + 4, "hoc")) { c->error = 1; return 0; }
        return 4;
    }
    /* [cả] năm yyyy, cả năm */
    if (is_word(c, i, "ca") && is_word(c, i + 1, "nam")) {
        if (is_word(c, i + 2, "hoc")) { c->error = 1; return 0; }
        p->kind = P_YEAR;
        if (is_year_num(c, i + 2)) { p->year = (int)c->t[i + 2].val; return 3; }
        return 2;
    }
    if (is_word(c, i, "nam")) {
        if (is_word(c, i + 1, "hoc")) { c->error = 1; return 0; }   /* năm học: not modelled */
        if (!is_year_num(c, i + 1)) return 0;
        if (is_word_in(c, i - 1, edge_words)) { c->error = 1; return 0; }   /* đầu/cuối/giữa năm */
        p->kind = P_YEAR;
        p->year = (int)c->t[i + 1].val;
        return 2;
    }
    /* bare yyyy */
    if (is_year_num(c, i) && (allow_bare_year || (is_type(c, i + 1, T_DASH) && is_year_num(c, i + 2)))) {
        p->kind = P_YEAR;
        p->year = (int)c->t[i].val;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------- helpers */

/* Copies orig bytes [os, oe) into dst (cap bytes with NUL) without splitting a
 * UTF-8 character; trims surrounding spaces. */
static void copy_span(const ctx *c, int os, int oe, char *dst, size_t cap)
{
    while (os < oe && (c->orig[os] == ' ' || c->orig[os] == '\t')) os++;
    while (oe > os && (c->orig[oe - 1] == ' ' || c->orig[oe - 1] == '\t')) oe--;
    size_t n = (size_t)(oe - os);
    if (n > cap - 1) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)c->orig[os + (int)n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, c->orig + os, n);
    dst[n] = '\0';
}

/* Uppercases the first character of s in place when it is a Vietnamese
 * lowercase letter with a same-length uppercase form. */
static void capitalize_first(char *s)
{
    unsigned char *u = (unsigned char *)s;
    if (u[0] >= 'a' && u[0] <= 'z') { u[0] = (unsigned char)(u[0] - 32); return; }
    if (u[0] == 0xC3 && u[1] >= 0xA0 && u[1] <= 0xBE && u[1] != 0xB7) { u[1] = (unsigned char)(u[1] - 0x20); return; }
    if ((u[0] == 0xC4 || u[0] == 0xC5 || u[0] == 0xC6) && u[1] >= 0x80 && u[1] <= 0xBF) {
        unsigned cp = ((unsigned)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
        if (cp == 0x103 || cp == 0x111 || cp == 0x129 || cp == 0x169 || cp == 0x1A1 || cp == 0x1B0) {
            cp -= 1;
            u[0] = (unsigned char)(0xC0 | (cp >> 6));
            u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        }
        return;
    }
    if (u[0] == 0xE1 && (u[1] == 0xBA || u[1] == 0xBB) && u[2] >= 0x80 && u[2] <= 0xBF) {
        unsigned cp = 0x1000u | ((unsigned)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        if (cp >= 0x1EA0 && cp <= 0x1EF9 && (cp & 1)) {
            cp -= 1;
            u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        }
    }
}

/* Label of a milestone: the words between the previous unit and this one,
 * without leading "và"/punctuation and trailing connectors ("trong", "vào"...). */
static void make_label(const ctx *c, int from, int to, char *dst, size_t cap)
{
    static const char *const lead[] = {"va", "con", NULL};
    static const char *const trail[] = {"trong", "vao", "truoc", "den", "tu", "ngay", "het", "toi", "cho", "la", "thoi", "han", "hoan", "thanh", NULL};
    dst[0] = '\0';
    while (from < to && (c->t[from].type == T_SEP || c->t[from].type == T_DASH || c->t[from].type == T_DOT ||
                         is_word_in(c, from, lead)))
        from++;
    while (to > from && (c->t[to - 1].type == T_SEP || c->t[to - 1].type == T_DASH || c->t[to - 1].type == T_DOT ||
                         is_word_in(c, to - 1, trail)))
        to--;
    if (from >= to) return;
    copy_span(c, c->t[from].os, c->t[to - 1].oe, dst, cap);
    capitalize_first(dst);
}

/* Recurrence words; sets *unspecified for "định kỳ" with no period. */
static dlx_every find_every(const ctx *c, int *unspecified)
{
    static const char *const each[] = {"hang", "moi", "tung", NULL};
    dlx_every first = DLX_EVERY_NONE;
    *unspecified = 0;
    for (int i = 0; i < c->nt; i++) {
        dlx_every e = DLX_EVERY_NONE;
        if (is_word_in(c, i, each)) {
            if (is_word(c, i + 1, "nam")) e = DLX_EVERY_YEAR;
            else if (is_word(c, i + 1, "quy")) e = DLX_EVERY_QUARTER;
            else if (is_word(c, i + 1, "thang")) e = DLX_EVERY_MONTH;
            else if (is_num(c, i + 1, 1, 2) && is_word(c, i + 2, "thang"))
                e = c->t[i + 1].val == 6 ? DLX_EVERY_HALF_YEAR : c->t[i + 1].val == 3 ? DLX_EVERY_QUARTER
                  : c->t[i + 1].val == 12 ? DLX_EVERY_YEAR : c->t[i + 1].val == 1 ? DLX_EVERY_MONTH : DLX_EVERY_NONE;
        } else if (is_num(c, i, 1, 1) && c->t[i].val == 6 && is_word(c, i + 1, "thang") &&
                   !is_word(c, i + 2, "dau") && !is_word(c, i + 2, "cuoi") && !is_word_in(c, i - 1, each)) {
            e = DLX_EVERY_HALF_YEAR;                           /* "6 tháng", "báo cáo 6 tháng" */
        } else if (is_word(c, i, "dinh") && is_word(c, i + 1, "ky")) {
            if (!is_word_in(c, i + 2, each) && !(is_num(c, i + 2, 1, 2) && is_word(c, i + 3, "thang")))
                *unspecified = 1;
        }
        if (e != DLX_EVERY_NONE && first == DLX_EVERY_NONE) first = e;
    }
    return first;
}

/* Event trigger ("theo yêu cầu của …"): returns the token index after the
 * trigger (and after "của"), or -1. */
static int find_event(const ctx *c)
{
    static const char *const trig[][3] = {
        {"theo", "yeu", "cau"}, {"theo", "chi", "dao"}, {"theo", "de", "nghi"}, {"theo", "huong", "dan"},
        {"theo", "thong", "bao"}, {"theo", "ke", "hoach"}, {"khi", "co", "yeu"}, {"khi", "co", "chi"},
        {"dot", "xuat", NULL},
    };
    for (int i = 0; i < c->nt; i++) {
        for (size_t k = 0; k < sizeof trig / sizeof trig[0]; k++) {
            int n = trig[k][2] ? 3 : 2, ok = 1;
            for (int j = 0; j < n && ok; j++) ok = is_word(c, i + j, trig[k][j]);
            if (!ok) continue;
            int s = i + n;
            if (k == 6 && is_word(c, s, "cau")) s++;       /* khi có yêu cầu */
            if (k == 7 && is_word(c, s, "dao")) s++;       /* khi có chỉ đạo */
            if (is_word(c, s, "cua")) s++;
            return s;
        }
    }
    return -1;
}

/* ---------------------------------------------------------------- parse */

static void set_unparsed(dlx_result *out)
{
    memset(out, 0, sizeof *out);
    out->kind = DLX_UNPARSED;
    out->every = DLX_EVERY_NONE;
}

void dlx_parse(const char *text, int default_year, dlx_result *out)
{
    if (!out) return;
    set_unparsed(out);
    if (!text) return;
    int len = 0;
    while (len <= DLX_MAX_INPUT && text[len]) len++;
    if (len > DLX_MAX_INPUT) return;

    ctx c;
    c.orig = text;
    c.olen = len;
    c.error = 0;
    fold_input(&c);
    if (!tokenize(&c)) return;

    /* units */
    static const char *const bare_ok_before[] = {"doan", "tu", "den", "toi", "truoc", "het", NULL};
    unit units[MAX_UNITS];
    int nu = 0, first_year = 0;
    for (int i = 0; i < c.nt && !c.error;) {
        phrase p;
        int allow = c.nt == 1 || is_word_in(&c, i - 1, bare_ok_before);
        int r = match_phrase(&c, i, allow, &p);
        if (c.error) break;
        if (r == 0) { i++; continue; }
        if (is_type(&c, i, T_NUM) && (is_type(&c, i - 1, T_SLASH) || is_type(&c, i - 1, T_DOT))) {
            c.error = 1;                                   /* tail of a malformed number: "x/1/2022" */
            break;
        }
        if (nu == MAX_UNITS) { c.error = 1; break; }
        unit *u = &units[nu++];
        memset(u, 0, sizeof *u);
        u->ts = i;
        u->p = p;
        int j = i + r, k = j;
        if (is_type(&c, k, T_DASH) || is_word(&c, k, "den") || is_word(&c, k, "toi")) {
            k++;
            if (is_word(&c, k, "het")) k++;
            phrase q;
            int r2 = match_phrase(&c, k, 1, &q);
            if (c.error) break;
            if (r2 > 0) { u->is_range = 1; u->q = q; j = k + r2; }
        }
        u->te = j;
        if (!first_year && u->p.year) first_year = u->p.year;
        if (!first_year && u->is_range && u->q.year) first_year = u->q.year;
        i = j;
    }
    if (c.error) return;

    int unspecified;
    dlx_every every = find_every(&c, &unspecified);
    if (unspecified && every == DLX_EVERY_NONE) return;    /* "Định kỳ": which period? */

    /* years */
    int ctx_year = first_year ? first_year : default_year;
    for (int n = 0; n < nu; n++) {
        unit *u = &units[n];
        if (u->is_range) {
            int py = u->p.year, qy = u->q.year;
            if (!qy) qy = py ? py : ctx_year;
            if (!resolve(&u->q, qy)) return;
            if (!py) {
                if (!resolve(&u->p, qy)) return;
                if (date_key(u->p.start) > date_key(u->q.due) && !resolve(&u->p, qy - 1)) return;
            } else if (!resolve(&u->p, py)) {
                return;
            }
            if (date_key(u->p.start) > date_key(u->q.due)) return;
        } else if (!resolve(&u->p, u->p.year ? u->p.year : ctx_year)) {
            return;
        }
    }

    if (every != DLX_EVERY_NONE) {
        out->kind = DLX_RECURRING;
        out->every = every;
        if (nu > 0) {
            out->start = units[0].p.start;
            out->due = units[nu - 1].is_range ? units[nu - 1].q.due : units[nu - 1].p.due;
        }
        return;
    }
    if (nu == 0) {
        int s = find_event(&c);
        if (s < 0) return;
        out->kind = DLX_EVENT;
        int e = c.nt;
        while (e > s && (c.t[e - 1].type == T_SEP || c.t[e - 1].type == T_DOT || c.t[e - 1].type == T_DASH)) e--;
        if (e > s) copy_span(&c, c.t[s].os, c.t[e - 1].oe, out->event_source, sizeof out->event_source);
        return;
    }
    if (nu == 1) {
        unit *u = &units[0];
        if (u->is_range) {
            out->kind = DLX_RANGE;
            out->start = u->p.start;
            out->due = u->q.due;
        } else {
            out->kind = DLX_FIXED;
            out->due = u->p.due;
            if (u->p.kind != P_DATE) out->start = u->p.start;
        }
        return;
    }
    /* milestones */
    out->kind = DLX_FIXED;
    out->n_milestones = nu;
    for (int n = 0; n < nu; n++) {
        unit *u = &units[n];
        dlx_milestone *m = &out->milestones[n];
        m->due = u->is_range ? u->q.due : u->p.due;
        if (u->is_range || u->p.kind != P_DATE) m->start = u->p.start;
        make_label(&c, n == 0 ? 0 : units[n - 1].te, u->ts, m->label, sizeof m->label);
        if (m->start.y && (!out->start.y || date_key(m->start) < date_key(out->start))) out->start = m->start;
        if (!out->due.y || date_key(m->due) > date_key(out->due)) out->due = m->due;
    }
}

const char *dlx_kind_name(dlx_kind k)
{
    switch (k) {
    case DLX_FIXED: return "fixed";
    case DLX_RANGE: return "range";
    case DLX_EVENT: return "event";
    case DLX_RECURRING: return "recurring";
    case DLX_UNPARSED: return "unparsed";
    }
    return "unknown";
}

const char *dlx_every_name(dlx_every e)
{
    switch (e) {
    case DLX_EVERY_NONE: return "none";
    case DLX_EVERY_QUARTER: return "quarter";
    case DLX_EVERY_HALF_YEAR: return "half_year";
    case DLX_EVERY_YEAR: return "year";
    case DLX_EVERY_MONTH: return "month";
    }
    return "unknown";
}
