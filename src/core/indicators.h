#ifndef CCHC_INDICATORS_H
#define CCHC_INDICATORS_H
/* Target (chỉ tiêu) formulas and verdicts. Pure. */
#include <stdbool.h>

typedef enum { TGT_NO_DATA = 0, TGT_MET, TGT_NOT_MET, TGT_QUALITATIVE } target_verdict;

/* A percentage num/den·100 rounded to one decimal; false when den is 0. */
bool rate_percent(long num, long den, double *out);
/* Compares an actual value with a target under comparator ">=", "<=", "=" or
 * "qualitative" (always TGT_QUALITATIVE). has_actual=false gives TGT_NO_DATA. */
target_verdict target_check(const char *comparator, double target, bool has_actual, double actual);
/* Stable identifier ("met", "not_met", "no_data", "qualitative"). */
const char *target_verdict_id(target_verdict v);
/* Vietnamese label (translatable msgid). */
const char *target_verdict_label(target_verdict v);
/* True when source has the form "computed:<name>" (a figure the system is meant
 * to compute from its own data); sets *name to the part after the colon. */
bool target_source_computed(const char *source, const char **name);
#endif
