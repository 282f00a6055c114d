#ifndef CCHC_PLAN_IMPORT_H
#define CCHC_PLAN_IMPORT_H
/* Validation of a plan CSV (the format of data/plans/KH2022.csv):
 *   plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text
 * Pure: no I/O and no database; unit codes are checked through a callback.
 * Every row becomes a pi_row (valid or not) and every problem a pi_problem with
 * the 1-based line where the record starts and the column it is about.
 * Errors make a row invalid; warnings (an unparsed deadline: "cần người đặt
 * ngày", ...) keep it valid. Messages are Vietnamese. */
#include "core/deadline_expr.h"
#include <stdbool.h>
#include <stddef.h>

/* Field limits, in bytes. */
#define PI_MAX_PLAN_CODE 64
#define PI_MAX_AREA_NO 16
#define PI_MAX_AREA_TITLE 500
#define PI_MAX_NUMBER 16
#define PI_MAX_TITLE 4000        /* KH2026_2030 2.a, with its sub-bullets inline, is 3632 */
#define PI_MAX_UNIT_CODE 64
#define PI_MAX_PRODUCT 1000
#define PI_MAX_DEADLINE 300
#define PI_MAX_COORD 32          /* coordinating units per task */
#define PI_MAX_ROWS 5000         /* tasks per file */

typedef enum { PI_ERROR = 0, PI_WARNING = 1 } pi_severity;

typedef struct {
    int line;              /* 1-based line where the record starts (0: the whole file) */
    pi_severity severity;
    char column[32];       /* header name of the column, "" when about the row/file */
    char message[400];     /* Vietnamese, may quote (truncated) input */
} pi_problem;

typedef struct {
    int line;
    bool valid;                       /* no error on this row */
    char *plan_code, *area_no, *area_title, *number, *title, *lead_unit, *product, *deadline_text;
    char *coord[PI_MAX_COORD];        /* coordinating unit codes, deduplicated, lead removed */
    int ncoord;
    dlx_result deadline;              /* dlx_parse(deadline_text, plan year) */
    bool needs_date;                  /* deadline not understood: a person sets the date */
} pi_row;

typedef struct {
    bool header_ok;                   /* the required columns are present */
    char plan_code[PI_MAX_PLAN_CODE + 1]; /* the plan code of the first row ("" if none) */
    pi_row *rows;                     /* every data row, in file order */
    int nrows, nvalid;
    pi_problem *problems;             /* in line order */
    int nproblems, nerrors, nwarnings;
} pi_result;

/* Returns true when a unit with this code exists (and may be named in a plan). */
typedef bool (*pi_unit_exists_fn)(const char *code, void *ctx);

/* Returns the first year of the plan with this code, or 0 when unknown. */
typedef int (*pi_plan_year_fn)(const char *plan_code, void *ctx);

typedef struct {
    pi_unit_exists_fn unit_exists;    /* required */
    void *ctx;                        /* passed to both callbacks */
    int default_year;                 /* the plan's first year, for dlx_parse ("trong quý I"); 0: ask plan_year */
    pi_plan_year_fn plan_year;        /* optional; asked once with the file's plan code */
} pi_options;

/* Validates the CSV text[0..len) into out (zeroed first; the caller frees it
 * with plan_import_free). Returns the number of errors (0 = every row valid;
 * a file with no data rows has one error). */
int plan_import_validate(const char *text, size_t len, const pi_options *opt, pi_result *out);
/* Frees everything out owns; leaves it zeroed. */
void plan_import_free(pi_result *out);

/* Parses a date written "YYYY-MM-DD" or "dd/mm/yyyy" (d/m/yyyy accepted), with
 * a real calendar check (31/02 fails), into iso "YYYY-MM-DD". False if invalid. */
bool pi_parse_date(const char *s, char iso[11]);
/* Writes the ISO date days after iso (negative: before) into out; false when
 * iso is not a valid "YYYY-MM-DD". */
bool pi_date_add_days(const char *iso, int days, char out[11]);
/* Checks the date-like tokens inside a free text ("31/02/2022", "2022-13-01",
 * "tháng 13/2022"): returns false and copies the first bad token into bad. */
bool pi_text_dates_valid(const char *text, char *bad, size_t badlen);
/* True for a task number "N" or "N.x" (x one lowercase letter a–z, or đ as the
 * Vietnamese plans write 4.đ), at most PI_MAX_NUMBER bytes. */
bool pi_valid_number(const char *s);
/* True when s is valid UTF-8 with no control characters other than tab, LF, CR. */
bool pi_valid_utf8_text(const char *s, size_t len);
/* Parses a plan year "2000".."2100" (digits only) into *out; false otherwise. */
bool pi_parse_year(const char *s, int *out);
#endif
