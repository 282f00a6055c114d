#ifndef CCHC_TASK_RULES_H
#define CCHC_TASK_RULES_H
/* Status rules of a plan task: overdue, due soon, awaiting an event, counted
 * in working days of a calendar. Pure. */
#include "core/calendar.h"
#include "core/model.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    DUE_CLOSED = 0,        /* done or cancelled: no deadline pressure */
    DUE_ON_TRACK,          /* has a due date further than the due-soon window */
    DUE_SOON,              /* due within the next N working days (inclusive of today) */
    DUE_OVERDUE,           /* today is after the due date and the task is open */
    DUE_AWAITING_EVENT,    /* event-driven ("Theo yêu cầu của Sở Nội vụ"): no date until instructed */
    DUE_RECURRING,         /* recurring duty ("định kỳ hằng quý"): no single due date */
    DUE_NEEDS_DATE,        /* deadline text could not be parsed: a person must set a date */
} due_state;

typedef struct {
    due_state state;
    int working_days;      /* DUE_OVERDUE: working days late; DUE_SOON/ON_TRACK: working days left */
} due_info;

/* Classifies a task on 'today'. dl_kind is the stored deadline kind ("fixed",
 * "range", "event", "recurring", "unparsed"); due_jdn is 0 when there is no due
 * date. soon_days is the due-soon window in working days. */
due_info task_due_info(const cal_calendar *cal, task_status status, const char *dl_kind,
                       int32_t due_jdn, int32_t today_jdn, int soon_days);
/* The last day (JDN) that still counts as "due soon" seen from today. */
int32_t task_soon_limit(const cal_calendar *cal, int32_t today_jdn, int soon_days);
/* Vietnamese label of a due state (translatable msgid). */
const char *due_state_label(due_state s);
/* Stable identifier of a due state ("overdue", "due_soon", ...). */
const char *due_state_id(due_state s);
#endif
