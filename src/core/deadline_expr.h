#ifndef CCHC_DEADLINE_EXPR_H
#define CCHC_DEADLINE_EXPR_H
/* Parser for the Vietnamese deadline expressions of CCHC plans
 * ("Quý I/2022", "Cả năm 2022", "Theo yêu cầu của Sở Nội vụ", "Hằng năm"...).
 * Pure: no I/O, no allocation, no global state. */

typedef enum { DLX_FIXED, DLX_RANGE, DLX_EVENT, DLX_RECURRING, DLX_UNPARSED } dlx_kind;
typedef enum { DLX_EVERY_NONE, DLX_EVERY_QUARTER, DLX_EVERY_HALF_YEAR, DLX_EVERY_YEAR, DLX_EVERY_MONTH } dlx_every;
typedef struct { int y, m, d; } dlx_date;           /* y==0 means "no date" */
typedef struct { dlx_date start, due; char label[64]; } dlx_milestone;
typedef struct {
    dlx_kind kind;
    dlx_date start, due;          /* FIXED: due only (start may be set for a month/quarter: its first day); RANGE: both; EVENT/UNPARSED: none */
    dlx_every every;              /* RECURRING only */
    int n_milestones;             /* 0, or 2+ for "Ban hành kế hoạch trong quý I và triển khai thực hiện cả năm 2022" */
    dlx_milestone milestones[4];
    char event_source[128];       /* EVENT: who triggers it, e.g. "Sở Nội vụ" */
} dlx_result;

/* Longest input examined, in bytes; a longer text yields DLX_UNPARSED. */
#define DLX_MAX_INPUT 4096

/* Parses a Vietnamese plan deadline text; never fails: unknown text yields DLX_UNPARSED (kept verbatim by the caller, flagged for a person). default_year is used when the text names a quarter/month without a year (e.g. "trong quý I"); pass the plan's first year. */
void dlx_parse(const char *text, int default_year, dlx_result *out);
/* Returns the lowercase name of k: "fixed","range","event","recurring","unparsed" ("unknown" if out of range). */
const char *dlx_kind_name(dlx_kind k);
/* Returns the lowercase name of e: "none","quarter","half_year","year","month" ("unknown" if out of range). */
const char *dlx_every_name(dlx_every e);
#endif
