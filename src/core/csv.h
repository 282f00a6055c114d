#ifndef CCHC_CSV_H
#define CCHC_CSV_H
/* RFC 4180 CSV reader over an in-memory text. Pure: no I/O, no global state.
 *
 * Accepted input: comma separator; fields optionally double-quoted; "" inside
 * a quoted field is one quote; quoted fields may hold commas and line breaks
 * (a CRLF inside a quoted field is returned as LF); records end with LF, CRLF
 * or a lone CR; an optional UTF-8 BOM at the start is skipped; blank lines are
 * skipped; a missing final line break is fine. With comment_char set, lines
 * starting with it (outside a quoted field) are skipped too. Limits: CSV_MAX_FIELD bytes per
 * field and CSV_MAX_COLUMNS fields per record.
 *
 * Usage:
 *   csv_reader r; csv_open(&r, text, len);
 *   while ((st = csv_next(&r)) != CSV_END) {
 *       if (st == CSV_ERROR) { report csv_error_text(r.error) at r.error_line; continue; }
 *       use r.nfields, r.fields[i] (NUL-terminated, valid until the next call), r.record_line
 *   }
 *   csv_close(&r);
 * After an error the next call resumes at the following record, except after
 * an unterminated quote, which consumes the rest of the input. */
#include <stdbool.h>
#include "core/buf.h"
#include <stddef.h>

#define CSV_MAX_FIELD 8192
#define CSV_MAX_COLUMNS 64

typedef enum { CSV_RECORD = 1, CSV_END = 0, CSV_ERROR = -1 } csv_status;

typedef enum {
    CSV_OK = 0,
    CSV_ERR_FIELD_TOO_LONG,    /* a field longer than CSV_MAX_FIELD bytes */
    CSV_ERR_TOO_MANY_COLUMNS,  /* more than CSV_MAX_COLUMNS fields */
    CSV_ERR_UNTERMINATED,      /* a quoted field is not closed before the end */
    CSV_ERR_CHAR_AFTER_QUOTE,  /* "abc"x : text after a closing quote */
    CSV_ERR_QUOTE_IN_FIELD,    /* ab"c : a quote inside an unquoted field */
    CSV_ERR_NUL_BYTE,          /* a NUL byte in the text */
    CSV_ERR_NO_MEMORY
} csv_error;

typedef struct {
    /* input */
    const char *text;
    size_t len, pos;
    int line;                             /* physical line at pos, 1-based */
    /* the current record */
    const char *fields[CSV_MAX_COLUMNS];  /* point into data */
    int nfields;
    int record_line;                      /* line where the current record starts */
    /* the last error */
    csv_error error;
    int error_line;                       /* line where the problem was found */
    int error_column;                     /* 1-based field index of the problem (0 if none) */
    /* options (set after csv_open) */
    int comment_char;                     /* a record starting with it is skipped ('#'); 0: none */
    /* storage */
    char *data;
    size_t data_len, data_cap;
} csv_reader;

/* Starts reading text[0..len) (need not be NUL-terminated; the caller keeps it
 * alive while reading). Skips a leading UTF-8 BOM. */
void csv_open(csv_reader *r, const char *text, size_t len);
/* Reads the next record: CSV_RECORD (fields filled), CSV_END, or CSV_ERROR
 * (r->error, r->error_line, r->record_line set). Field strings are owned by r. */
csv_status csv_next(csv_reader *r);
/* Frees the reader's storage (not the text). */
void csv_close(csv_reader *r);
/* A Vietnamese description of an error (translated; static storage). */
const char *csv_error_text(csv_error e);

/* Appends one field for a spreadsheet (RFC 4180: quoted when it holds a
 * comma, a quote or a line break). A field starting with = + - @ or a tab gets
 * a leading apostrophe, so a spreadsheet never runs it as a formula. NULL is
 * an empty field. last ends the record with CRLF, else a comma follows. */
void csv_put_field(buf *b, const char *s, bool last);
#endif
