/* The one-stop core: the dossier state machine and who may move it, the
 * dossier code, the on-time rule of Decision 766, times, and the procedure
 * checks (budgets adding up to the statutory duration). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/calendar.h"
#include "core/onestop/dossier.h"
#include "core/onestop/dossier_stats.h"
#include "core/onestop/procedure.h"

static void test_transitions(void **s)
{
    (void)s;
    dossier_state next;
    assert_true(dossier_next_state(DS_SUBMITTED, DE_ACCEPT, &next));
    assert_int_equal(next, DS_RECEIVED);
    assert_true(dossier_next_state(DS_PROCESSING, DE_REQUEST_SUPPLEMENT, &next));
    assert_int_equal(next, DS_SUPPLEMENT_REQUESTED);
    assert_true(dossier_next_state(DS_SUPPLEMENT_REQUESTED, DE_SUPPLEMENT_RECEIVED, &next));
    assert_int_equal(next, DS_PROCESSING);
    assert_true(dossier_next_state(DS_PROCESSING, DE_APOLOGISE, &next));
    assert_int_equal(next, DS_PROCESSING);                      /* a side event */
    assert_true(dossier_next_state(DS_DONE, DE_RETURN, &next));
    assert_int_equal(next, DS_RETURNED);
    assert_false(dossier_next_state(DS_RECEIVED, DE_RETURN, &next));
    assert_false(dossier_next_state(DS_RETURNED, DE_WITHDRAW, &next));
    assert_false(dossier_next_state(DS_DONE, DE_REQUEST_SUPPLEMENT, &next));
    assert_false(dossier_next_state(DS_SUBMITTED, DE_SIGN, &next));
    /* No event leaves a terminal state. */
    dossier_state terminal[] = {DS_REFUSED, DS_RETURNED, DS_STOPPED, DS_WITHDRAWN};
    for (size_t i = 0; i < 4; i++) {
        assert_false(dossier_state_open(terminal[i]));
        for (int e = 0; e < DE__COUNT; e++) assert_false(dossier_next_state(terminal[i], (dossier_event)e, &next));
    }
    for (int st = 0; st < DS__COUNT; st++) {
        assert_int_equal(dossier_state_parse(dossier_state_id((dossier_state)st)), st);
        assert_true(dossier_default_portal_status((dossier_state)st) >= 1 && dossier_default_portal_status((dossier_state)st) <= 10);
    }
    assert_int_equal(dossier_state_parse("nope"), -1);
}

static void test_roles(void **s)
{
    (void)s;
    assert_true(dossier_event_role_allowed(DE_SIGN, ROLE_LEADER));
    assert_false(dossier_event_role_allowed(DE_SIGN, ROLE_SPECIALIST));
    assert_false(dossier_event_role_allowed(DE_SIGN, ROLE_ONESTOP));
    assert_true(dossier_event_role_allowed(DE_APPROVE, ROLE_HEAD));
    assert_true(dossier_event_role_allowed(DE_RETURN, ROLE_ONESTOP));
    assert_false(dossier_event_role_allowed(DE_RETURN, ROLE_VIEWER));
    for (int e = 0; e < DE__COUNT; e++) {
        assert_true(dossier_event_role_allowed((dossier_event)e, ROLE_ADMIN));
        assert_false(dossier_event_role_allowed((dossier_event)e, ROLE_UNIT));
        assert_false(dossier_event_role_allowed((dossier_event)e, ROLE_NONE));
    }
    assert_true(dossier_role_sees_all(ROLE_LEADER));
    assert_true(dossier_role_sees_all(ROLE_ONESTOP));
    assert_false(dossier_role_sees_all(ROLE_SPECIALIST));
    assert_false(dossier_role_sees_all(ROLE_HEAD));
    assert_true(role_has(ROLE_ONESTOP, CAP_DOSSIER_INTAKE));
    assert_false(role_has(ROLE_SPECIALIST, CAP_DOSSIER_INTAKE));
    assert_false(role_has(ROLE_VIEWER, CAP_DOSSIER_READ));
    assert_int_equal(role_parse("specialist"), ROLE_SPECIALIST);
    assert_string_equal(role_id(ROLE_HEAD), "head");
}

static void test_codes(void **s)
{
    (void)s;
    char code[64];
    assert_true(dossier_code_format("000.00.25.H26", cal_jdn_from_ymd(2026, 3, 2), 7, code, sizeof code));
    assert_string_equal(code, "000.00.25.H26-260302-0007");
    assert_true(dossier_code_valid(code));
    assert_false(dossier_code_format("000.00.25.H26", cal_jdn_from_ymd(2026, 3, 2), 10000, code, sizeof code));
    assert_false(dossier_code_format("", cal_jdn_from_ymd(2026, 3, 2), 1, code, sizeof code));
    assert_false(dossier_code_valid("000.00.25.H26-260302-07"));
    assert_false(dossier_code_valid("a b-260302-0001"));
    assert_true(dossier_code_valid("H15.50.05.13-261008-0975"));
}

static void test_on_time_rule(void **s)
{
    (void)s;
    int64_t due = 10000;
    assert_int_equal(dossier_on_time(&(dossier_clock){due, due, 0, 0}), 1);            /* on the due minute */
    assert_int_equal(dossier_on_time(&(dossier_clock){due, due + 1, 0, 1}), 0);
    assert_int_equal(dossier_on_time(&(dossier_clock){due, due + 600, 600, 1}), 1);    /* the pause does not count */
    assert_int_equal(dossier_on_time(&(dossier_clock){due, due - 600, 0, 2}), 0);      /* two requests: late */
}

static void test_times(void **s)
{
    (void)s;
    /* 2026-03-02 02:05 UTC is 09:05 in Hải Phòng. */
    int64_t t = dossier_moment_of_unix(1772417100);
    char out[32];
    assert_string_equal(dossier_time_format(t, out), "2026-03-02T09:05:00+07:00");
    int64_t back;
    assert_true(dossier_time_parse(out, &back));
    assert_int_equal(back, t);
    assert_true(dossier_time_parse("2026-03-02T09:05", &back));
    assert_int_equal(back, t);
    assert_false(dossier_time_parse("2026-03-02T09:05:00Z", &back));
    assert_false(dossier_time_parse("2026-02-30T09:05:00+07:00", &back));
    assert_string_equal(dossier_step_result(100, 90, -10, 480), "late");
    assert_string_equal(dossier_step_result(100, 500, 200, 480), "early");
    assert_string_equal(dossier_step_result(100, 500, 60, 480), "on_time");
}

static void test_procedure_budgets(void **s)
{
    (void)s;
    proc_step steps[3] = {{1, "onestop", "VP", "", {4, "working_hours"}}, {2, "specialist", "GDTXCNDH", "", {4, "working_days"}},
                          {3, "leader", "SGDDT", "", {4, "working_hours"}}};
    procedure p = {.code = "2.001914", .duration = {5, "working_days"}, .steps = steps, .nsteps = 3};
    char msg[256];
    const char *field = NULL;
    assert_true(procedure_check(&p, msg, sizeof msg, &field));       /* 4 h + 32 h + 4 h = 5 days of 8 h */
    steps[1].budget.value = 5;
    assert_false(procedure_check(&p, msg, sizeof msg, &field));
    assert_string_equal(field, "steps");
    steps[1].budget.value = 4;
    steps[2].order = 4;
    assert_false(procedure_check(&p, msg, sizeof msg, &field));
    steps[2].order = 3;
    p.code = "1005129";
    assert_false(procedure_check(&p, msg, sizeof msg, &field));
    assert_string_equal(field, "code");
    p.code = "1.005129";
    p.duration = (proc_duration){1, "same_day"};
    steps[1].budget = (proc_duration){0, "working_hours"};
    assert_true(procedure_check(&p, msg, sizeof msg, &field));       /* 8 h within the day */
    dl_start_mode mode;
    dl_duration d = procedure_dl_duration(&p.duration, &mode);
    assert_int_equal(d.unit, DL_UNIT_WORKING_DAYS);
    assert_int_equal(mode, DL_START_SAME_DAY);
}

static void test_stats(void **s)
{
    (void)s;
    const int64_t D = 1440, from = 100 * D, to = 200 * D, now = 300 * D;
    dossier_stats st = {0};
    dossier_facts early = {110 * D, 120 * D, 120 * D, 115 * D, 0, 0, false, true, false, false};
    dossier_facts same_day = {110 * D, 120 * D + 1020, 120 * D + 1020, 120 * D + 60, 0, 1, true, false, false, false};   /* due 17:00, done 01:00 */
    dossier_facts late = {110 * D, 120 * D, 120 * D, 125 * D, 0, 0, false, false, false, false};
    dossier_facts paused = {110 * D, 120 * D, 126 * D, 125 * D, 6 * D, 1, false, false, false, false};   /* on time after its pause */
    dossier_facts twice = {110 * D, 120 * D, 120 * D, 112 * D, 0, 2, false, false, false, false};      /* two requests: late */
    dossier_facts carried = {90 * D, 95 * D, 95 * D, -1, 0, 0, false, false, false, false};            /* open, overdue */
    dossier_facts before = {80 * D, 85 * D, 85 * D, 90 * D, 0, 0, false, false, false, false};         /* done before: not counted */
    dossier_facts refused = {110 * D, 120 * D, 120 * D, 110 * D, 0, 0, false, false, false, true};
    dossier_facts withdrawn = {110 * D, 120 * D, 120 * D, 111 * D, 0, 0, true, false, true, false};
    const dossier_facts *all[] = {&early, &same_day, &late, &paused, &twice, &carried, &before, &refused, &withdrawn};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) dossier_stats_add(&st, all[i], from, to, now);
    assert_int_equal(st.received, 6);
    assert_int_equal(st.carried_over, 1);
    assert_int_equal(st.finished, 5);
    assert_int_equal(st.early, 2);          /* early, paused (ends day 119 once its pause is left out) */
    assert_int_equal(st.on_time, 1);        /* same_day */
    assert_int_equal(st.late, 2);           /* late, twice */
    assert_int_equal(st.open_overdue, 1);
    assert_int_equal(st.withdrawn, 1);
    assert_int_equal(st.returned, 1);
    assert_int_equal(st.online, 2);
    assert_int_equal(st.with_supplement, 3);
    double rate;
    assert_true(dossier_stats_on_time_rate(&st, &rate));
    assert_true(rate > 59.9 && rate < 60.1);
    dossier_stats none = {0};
    assert_false(dossier_stats_on_time_rate(&none, &rate));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions), cmocka_unit_test(test_roles), cmocka_unit_test(test_codes),
        cmocka_unit_test(test_on_time_rule), cmocka_unit_test(test_times), cmocka_unit_test(test_procedure_budgets),
        cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
