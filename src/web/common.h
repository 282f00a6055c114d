#ifndef CCHC_WEB_COMMON_H
#define CCHC_WEB_COMMON_H
/* Pieces shared by the HTML pages and their JSON twins: today's date, the task
 * filter parsed from the query string, due-state rendering, task JSON. */
#include "core/number.h"
#include "core/task_rules.h"
#include "store/store_task.h"
#include "web/http.h"
#include <jansson.h>

/* Today's date (JDN) in Vietnam (UTC+7), or cfg->today when configured. */
int32_t web_today(const req *r);
/* Today as ISO "YYYY-MM-DD" into out. */
const char *web_today_iso(const req *r, char out[11]);



/* The query-string values of a task filter, validated. */
typedef struct {
    task_filter f;
    char soon_until[11], today[11], due_from[11], due_to[11];
    const char *q;              /* owned by the request */
    const char *area_no;        /* ?area= as given when it named the area by its numeral ("II"); owned by the request */
    int64_t plan_id;
    bool overdue, due_soon;
    char status_s[16], view[16];
} filter_args;
/* Parses plan, area, unit (lead), coord, status, overdue, due_soon, due_from, due_to
 * (YYYY-MM-DD or dd/mm/yyyy), kind, q and page from the query string. ?area= is
 * resolved with resolve_area_arg. Returns false and fills w with a 400/422 (500 when
 * the areas cannot be read) error naming the field when a value is invalid. */
bool parse_task_filter(req *r, resp *w, filter_args *a, int per_page);
/* The same for a plan fixed by the caller (e.g. the path of /api/v1/plans/{id}/tasks):
 * plan_id > 0 replaces ?plan=. */
bool parse_task_filter_plan(req *r, resp *w, filter_args *a, int per_page, int64_t plan_id);
/* Resolves ?area= to an area of plan_id: an area id of the plan, or the area's
 * numeral as the plan writes it ("II", or "3" in the 2026–2030 plan; case-insensitive).
 * Without a plan only an id is accepted. Absent or empty: *area_id = 0, true. Sets
 * *numeral to the given text when it matched a numeral (else NULL). Unknown area, or
 * a numeral without a plan: 400 naming "area", false. */
bool resolve_area_arg(req *r, resp *w, int64_t plan_id, int64_t *area_id, const char **numeral);
/* Appends the query string that reproduces a (without page) to b, URL-encoded. */
void filter_query_string(const filter_args *a, buf *b);

/* The due state of a task today. */
due_info task_due(const req *r, const task_row *t);
/* A due-state badge with the working-day count and the due date's explanation. */
void html_due_badge(req *r, buf *b, const task_row *t);
/* Marks a date whose year's working-day calendar is provisional (no official schedule yet). */
void html_provisional_mark(buf *b, int32_t jdn);
/* The due date (dd/mm/yyyy, weekday) with a one-line explanation. */
void html_due_date(req *r, buf *b, const task_row *t);

/* Moves a JSON value into the response (steals the reference). */
void resp_json_value(resp *w, int status, json_t *v);
/* True when the signed-in user may see internal (non-public) data. */
bool can_read_internal(const req *r);
#endif
