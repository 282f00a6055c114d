/* RFC 4180 CSV reader (see csv.h). */
#include "core/csv.h"
#include "core/buf.h"
#include "core/i18n.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void csv_open(csv_reader *r, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->text = text;
    r->len = text ? len : 0;
    r->line = 1;
    if (r->len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
}

void csv_close(csv_reader *r)
{
    free(r->data);
    r->data = NULL;
    r->data_len = r->data_cap = 0;
    r->nfields = 0;
}

const char *csv_error_text(csv_error e)
{
    switch (e) {
    case CSV_OK: return "";
    case CSV_ERR_FIELD_TOO_LONG: return _("Trường dữ liệu dài quá 8 KiB");
    case CSV_ERR_TOO_MANY_COLUMNS: return _("Dòng có quá 64 cột");
    case CSV_ERR_UNTERMINATED: return _("Dấu ngoặc kép mở nhưng không đóng (trường bị cắt đến hết tệp)");
    case CSV_ERR_CHAR_AFTER_QUOTE: return _("Có ký tự ngay sau dấu ngoặc kép đóng; trường có ngoặc kép phải kết thúc bằng dấu phẩy hoặc xuống dòng");
    case CSV_ERR_QUOTE_IN_FIELD: return _("Dấu ngoặc kép nằm giữa trường không được đặt trong ngoặc kép (hãy bao cả trường trong ngoặc kép và viết \"\" cho mỗi dấu ngoặc kép)");
    case CSV_ERR_NUL_BYTE: return _("Tệp chứa byte NUL: không phải tệp văn bản CSV");
    case CSV_ERR_NO_MEMORY: return _("Không đủ bộ nhớ để đọc tệp");
    }
    return "";
}

static void fail(csv_reader *r, csv_error e)
{
    if (r->error != CSV_OK) return;      /* the first problem of a record wins */
    r->error = e;
    r->error_line = r->line;
    r->error_column = r->nfields + 1;
}

static bool data_reserve(csv_reader *r, size_t extra)
{
    if (r->data_len + extra <= r->data_cap) return true;
    size_t cap = r->data_cap ? r->data_cap : 1024;
    while (cap < r->data_len + extra) cap *= 2;
    char *p = realloc(r->data, cap);
    if (!p) return false;
    r->data = p;
    r->data_cap = cap;
    return true;
}

/* Appends one byte to the field being read, which started at data offset start. */
static void field_add(csv_reader *r, size_t start, char c)
{
    if (r->error == CSV_ERR_NO_MEMORY) return;
    if (c == '\0') { fail(r, CSV_ERR_NUL_BYTE); return; }
    if (r->data_len - start >= CSV_MAX_FIELD) { fail(r, CSV_ERR_FIELD_TOO_LONG); return; }
    if (!data_reserve(r, 2)) { fail(r, CSV_ERR_NO_MEMORY); return; }
    r->data[r->data_len++] = c;
}

static bool at_line_break(const csv_reader *r)
{
    return r->pos < r->len && (r->text[r->pos] == '\n' || r->text[r->pos] == '\r');
}

/* Consumes one LF, CRLF or lone CR at pos. */
static void skip_line_break(csv_reader *r)
{
    if (r->text[r->pos] == '\r' && r->pos + 1 < r->len && r->text[r->pos + 1] == '\n') r->pos++;
    r->pos++;
    r->line++;
}

/* Reads a quoted field starting at the opening quote. Returns false when the
 * input ends inside it. */
static bool read_quoted(csv_reader *r, size_t start)
{
    int open_line = r->line;
    r->pos++;
    for (;;) {
        if (r->pos >= r->len) {
            r->error = CSV_ERR_UNTERMINATED;      /* overrides: nothing after it is readable */
            r->error_line = open_line;
            r->error_column = r->nfields + 1;
            return false;
        }
        char c = r->text[r->pos];
        if (c == '"') {
            if (r->pos + 1 < r->len && r->text[r->pos + 1] == '"') { field_add(r, start, '"'); r->pos += 2; continue; }
            r->pos++;
            break;
        }
        if (c == '\r' || c == '\n') { skip_line_break(r); field_add(r, start, '\n'); continue; }
        field_add(r, start, c);
        r->pos++;
    }
    /* after the closing quote: only a separator, a line break or the end */
    while (r->pos < r->len && r->text[r->pos] != ',' && !at_line_break(r)) {
        fail(r, CSV_ERR_CHAR_AFTER_QUOTE);
        r->pos++;
    }
    return true;
}

static void read_unquoted(csv_reader *r, size_t start)
{
    while (r->pos < r->len && r->text[r->pos] != ',' && !at_line_break(r)) {
        char c = r->text[r->pos];
        if (c == '"') fail(r, CSV_ERR_QUOTE_IN_FIELD);
        field_add(r, start, c);
        r->pos++;
    }
}

/* Ends the field started at offset start; offsets are turned into pointers
 * once the record is complete (data may move while it grows). */
static void field_end(csv_reader *r, size_t start, size_t *offsets)
{
    if (r->nfields >= CSV_MAX_COLUMNS) {
        fail(r, CSV_ERR_TOO_MANY_COLUMNS);
        r->data_len = start;
        return;
    }
    if (!data_reserve(r, 1)) { fail(r, CSV_ERR_NO_MEMORY); r->data_len = start; return; }
    r->data[r->data_len++] = '\0';
    offsets[r->nfields++] = start;
}

/* Skips blank lines and, when enabled, comment lines. */
static void skip_blank_lines(csv_reader *r)
{
    for (;;) {
        if (at_line_break(r)) { skip_line_break(r); continue; }
        if (r->comment_char && r->pos < r->len && r->text[r->pos] == r->comment_char) {
            while (r->pos < r->len && !at_line_break(r)) r->pos++;
            continue;
        }
        return;
    }
}

csv_status csv_next(csv_reader *r)
{
    size_t offsets[CSV_MAX_COLUMNS];
    skip_blank_lines(r);
    r->nfields = 0;
    r->data_len = 0;
    r->error = CSV_OK;
    r->error_line = r->error_column = 0;
    if (r->pos >= r->len) return CSV_END;
    r->record_line = r->line;
    for (;;) {
        size_t start = r->data_len;
        if (r->text[r->pos] == '"') {
            if (!read_quoted(r, start)) { r->pos = r->len; r->nfields = 0; return CSV_ERROR; }
        } else {
            read_unquoted(r, start);
        }
        field_end(r, start, offsets);
        if (r->pos >= r->len) break;
        if (r->text[r->pos] == ',') {
            r->pos++;
            if (r->pos >= r->len) { field_end(r, r->data_len, offsets); break; }  /* trailing comma */
            continue;
        }
        skip_line_break(r);
        break;
    }
    if (r->error != CSV_OK) { r->nfields = 0; return CSV_ERROR; }
    for (int i = 0; i < r->nfields; i++) r->fields[i] = r->data + offsets[i];
    return CSV_RECORD;
}

void csv_put_field(buf *b, const char *s, bool last)
{
    const char *v = s ? s : "";
    bool formula = *v && strchr("=+-@\t", *v);
    bool quote = formula || strpbrk(v, ",\"\r\n") != NULL;
    if (quote) buf_putc(b, '"');
    if (formula) buf_putc(b, '\'');
    for (const char *p = v; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote) buf_putc(b, '"');
    buf_puts(b, last ? "\r\n" : ",");
}
