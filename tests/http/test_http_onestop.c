/* The one-stop back office over the API: the bundled catalogue, versions,
 * counter intake with atomic codes, the state machine's transitions and
 * roles, the paused clock, the one apology, signing and return with the
 * on-time verdict, object-level visibility and the personal-data view log.
 * Every response is also checked against the API document (contract.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support/harness.h"

static harness *H;
static client *ONESTOP, *SPECIALIST, *OTHER_SPECIALIST, *HEAD, *LEADER, *VIEWER, *ADMIN;
static char CSRF_ONESTOP[64], CSRF_SPECIALIST[64], CSRF_OTHER[64], CSRF_HEAD[64], CSRF_LEADER[64], CSRF_ADMIN[64];

/* A procedure of the bundled catalogue whose process goes to GDTXCNDH. */
#define PROC "2.001914"

static client *login(const char *user, char csrf[64])
{
    client *c = c_new(H);
    const char *t = c_login_api(c, user, H_PASSWORD);
    assert_non_null(t);
    snprintf(csrf, 64, "%s", t);
    return c;
}

static int setup(void **state)
{
    (void)state;
    H = h_start();
    if (!H) return -1;
    if (!h_add_user(H, "t_motcua", "onestop", "VP") || !h_add_user(H, "t_cv", "specialist", "GDTXCNDH") ||
        !h_add_user(H, "t_cv_khac", "specialist", "KHTC") || !h_add_user(H, "t_tp", "head", "GDTXCNDH"))
        return -1;
    ONESTOP = login("t_motcua", CSRF_ONESTOP);
    SPECIALIST = login("t_cv", CSRF_SPECIALIST);
    OTHER_SPECIALIST = login("t_cv_khac", CSRF_OTHER);
    HEAD = login("t_tp", CSRF_HEAD);
    LEADER = login(H_USER_LEADER, CSRF_LEADER);
    ADMIN = login(H_USER_ADMIN, CSRF_ADMIN);
    char unused[64];
    VIEWER = login(H_USER_VIEWER, unused);
    return 0;
}

static int teardown(void **state) { (void)state; h_stop(H); return 0; }

static json_t *get_json(client *c, const char *path, long status)
{
    const response *r = c_get(c, path);
    if (r->status != status) fail_msg("GET %s: %ld, expected %ld: %.300s", path, r->status, status, r->body);
    json_t *j = r_json(r);
    assert_non_null(j);
    return j;
}

static json_t *post(client *c, const char *path, const char *body, const char *csrf, long status)
{
    const response *r = c_post_json(c, "POST", path, body, csrf);
    if (r->status != status) fail_msg("POST %s %s: %ld, expected %ld: %.400s", path, body, r->status, status, r->body);
    json_t *j = r_json(r);
    assert_non_null(j);
    return j;
}

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Receives a dossier of PROC at the counter; code gets its code. */
static void receive(char code[64])
{
    json_t *d = post(ONESTOP, "/api/v1/dossiers",
                     "{\"procedure\":\"" PROC "\",\"channel\":\"counter\",\"applicant\":{\"name\":\"Nguyễn Văn An\","
                     "\"id_number\":\"031203004567\",\"phone\":\"0912345678\"},\"components\":[{\"component_id\":1}]}",
                     CSRF_ONESTOP, 201);
    snprintf(code, 64, "%s", jstr(d, "code"));
    assert_string_equal(jstr(d, "state"), "received");
    assert_int_equal(json_integer_value(json_object_get(d, "portal_status")), 2);
    json_decref(d);
}

static json_t *event(client *c, const char *code, const char *body, const char *csrf, long status)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/dossiers/%s/events", code);
    return post(c, path, body, csrf, status);
}

static void test_catalogue_and_versions(void **state)
{
    (void)state;
    json_t *list = get_json(ONESTOP, "/api/v1/procedures", 200);
    assert_true(json_array_size(json_object_get(list, "procedures")) >= 15);
    json_decref(list);
    list = get_json(ONESTOP, "/api/v1/procedures?q=chinh+sua+van+bang", 200);   /* no accents: "chỉnh sửa văn bằng" */
    assert_int_equal(json_array_size(json_object_get(list, "procedures")), 1);
    json_t *p = json_array_get(json_object_get(list, "procedures"), 0);
    assert_string_equal(jstr(p, "code"), PROC);
    assert_int_equal(json_integer_value(json_object_get(p, "version")), 1);
    /* A new version whose steps do not add up to the duration is refused, naming the field. */
    json_t *edit = json_deep_copy(p);
    json_decref(list);
    json_t *budget = json_object_get(json_array_get(json_object_get(edit, "steps"), 0), "budget");
    json_object_set_new(budget, "value", json_integer(json_integer_value(json_object_get(budget, "value")) + 1));
    char *body = json_dumps(edit, JSON_COMPACT);
    json_t *err = post(ADMIN, "/api/v1/procedures", body, CSRF_ADMIN, 422);
    assert_string_equal(jstr(json_object_get(err, "error"), "field"), "steps");
    json_decref(err);
    free(body);
    json_object_set_new(budget, "value", json_integer(json_integer_value(json_object_get(budget, "value")) - 1));
    json_object_set_new(edit, "name", json_string("Chỉnh sửa nội dung văn bằng, chứng chỉ (bản sửa)"));
    body = json_dumps(edit, JSON_COMPACT);
    assert_int_equal(c_post_json(ONESTOP, "POST", "/api/v1/procedures", body, CSRF_ONESTOP)->status, 403);   /* the admin only */
    json_t *v2 = post(ADMIN, "/api/v1/procedures", body, CSRF_ADMIN, 201);
    assert_int_equal(json_integer_value(json_object_get(v2, "version")), 2);
    json_decref(v2);
    free(body);
    json_decref(edit);
    json_t *v1 = get_json(ONESTOP, "/api/v1/procedures/" PROC "?version=1", 200);
    assert_string_equal(jstr(v1, "name"), "Chỉnh sửa nội dung văn bằng, chứng chỉ");
    json_decref(v1);
    json_decref(get_json(ONESTOP, "/api/v1/procedures/9.999999", 404));
}

static void test_intake_codes_are_sequential_and_durable(void **state)
{
    (void)state;
    char a[64], b[64];
    receive(a);
    receive(b);
    /* <agency>-YYMMDD-NNNN, the second one of the day right after the first */
    assert_int_equal(strlen(a), strlen("000.00.25.H26-260302-0001"));
    assert_int_equal(strncmp(a, b, strlen(a) - 4), 0);
    assert_int_equal(atoi(b + strlen(b) - 4), atoi(a + strlen(a) - 4) + 1);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM dossiers WHERE code = ?", a), 1);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM dossier_events WHERE event = 'receive' AND dossier_id = "
                                    "(SELECT id FROM dossiers WHERE code = ?)", a), 1);
    /* Intake is the one-stop officer's: a specialist is refused, a bad identity number is named. */
    assert_int_equal(c_post_json(SPECIALIST, "POST", "/api/v1/dossiers", "{}", CSRF_SPECIALIST)->status, 403);
    json_t *e = post(ONESTOP, "/api/v1/dossiers",
                     "{\"procedure\":\"" PROC "\",\"channel\":\"counter\",\"applicant\":{\"name\":\"A\",\"id_number\":\"12345\"},"
                     "\"components\":[]}", CSRF_ONESTOP, 422);
    assert_string_equal(jstr(json_object_get(e, "error"), "field"), "applicant.id_number");
    json_decref(e);
    e = post(ONESTOP, "/api/v1/dossiers", "{\"procedure\":\"" PROC "\",\"channel\":\"fax\",\"applicant\":{\"name\":\"A\"},\"components\":[]}",
             CSRF_ONESTOP, 422);
    assert_string_equal(jstr(json_object_get(e, "error"), "field"), "channel");
    json_decref(e);
}

static void test_lifecycle(void **state)
{
    (void)state;
    char code[64], path[128];
    receive(code);
    /* Returning a dossier that was never processed is not a transition: 409 naming the state. */
    json_t *e = event(ONESTOP, code, "{\"event\":\"return\"}", CSRF_ONESTOP, 409);
    assert_string_equal(jstr(json_object_get(e, "error"), "code"), "invalid_transition");
    assert_string_equal(jstr(json_object_get(e, "error"), "field"), "state");
    assert_non_null(strstr(jstr(json_object_get(e, "error"), "message"), "received"));
    json_decref(e);
    /* The one-stop officer hands it to the division of step 2. */
    json_t *d = event(ONESTOP, code, "{\"event\":\"transfer\",\"note\":\"Chuyển phòng chuyên môn\"}", CSRF_ONESTOP, 200);
    assert_string_equal(jstr(d, "state"), "processing");
    assert_int_equal(json_integer_value(json_object_get(d, "step")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(d, "holder_unit"), "id")), h_unit_id(H, "GDTXCNDH"));
    json_decref(d);
    /* Another division's specialist neither sees nor moves it. */
    snprintf(path, sizeof path, "/api/v1/dossiers/%s", code);
    assert_int_equal(c_get(OTHER_SPECIALIST, path)->status, 404);
    json_t *list = get_json(OTHER_SPECIALIST, "/api/v1/dossiers", 200);
    assert_int_equal(json_array_size(json_object_get(list, "dossiers")), 0);
    json_decref(list);
    json_decref(event(OTHER_SPECIALIST, code, "{\"event\":\"request_supplement\"}", CSRF_OTHER, 403));
    /* The specialist asks for a supplement: the clock stops. */
    d = event(SPECIALIST, code, "{\"event\":\"request_supplement\",\"note\":\"Bổ sung bản sao giấy khai sinh\"}", CSRF_SPECIALIST, 200);
    assert_true(json_is_true(json_object_get(d, "paused")));
    assert_int_equal(json_integer_value(json_object_get(d, "portal_status")), 5);
    char due_before[40];
    snprintf(due_before, sizeof due_before, "%s", jstr(d, "due_at"));
    json_decref(d);
    /* Form 02 carries what to supplement; the regime of a dossier received now is 2025's, whose 05 is the stop notice. */
    char form[160];
    snprintf(form, sizeof form, "/dossiers/%s/forms/02", code);
    const response *fr = c_get(SPECIALIST, form);
    assert_int_equal(fr->status, 200);
    assert_true(r_has(fr, "Bổ sung bản sao giấy khai sinh"));
    snprintf(form, sizeof form, "/dossiers/%s/forms/05", code);
    assert_int_equal(c_get(SPECIALIST, form)->status, 404);      /* not stopped */
    snprintf(form, sizeof form, "/dossiers/%s/forms/06", code);
    fr = c_get(SPECIALIST, form);
    assert_int_equal(fr->status, 200);                            /* the control sheet */
    assert_true(r_has(fr, "Phiếu kiểm soát quá trình giải quyết hồ sơ"));
    snprintf(form, sizeof form, "/dossiers/%s/forms/99", code);
    assert_int_equal(c_get(SPECIALIST, form)->status, 404);
    db_test_advance_clock(100 * 60);              /* the applicant takes 100 minutes (sessions idle out at 120) */
    d = event(ONESTOP, code, "{\"event\":\"supplement_received\"}", CSRF_ONESTOP, 200);
    assert_false(json_is_true(json_object_get(d, "paused")));
    json_t *pause = json_array_get(json_object_get(d, "pauses"), 0);
    assert_non_null(jstr(pause, "to"));
    assert_true(strcmp(jstr(d, "due_at"), due_before) >= 0);        /* the pause moves the due date, never earlier */
    json_decref(d);
    /* A second request needs a reason, a legal basis and a leader's approval. */
    e = event(SPECIALIST, code, "{\"event\":\"request_supplement\",\"note\":\"Lần hai\"}", CSRF_SPECIALIST, 422);
    assert_string_equal(jstr(json_object_get(e, "error"), "field"), "reason");
    json_decref(e);
    /* Only the leader signs; the head approves first. */
    json_decref(event(SPECIALIST, code, "{\"event\":\"sign\"}", CSRF_SPECIALIST, 403));
    json_decref(event(HEAD, code, "{\"event\":\"approve\",\"note\":\"Đồng ý dự thảo\"}", CSRF_HEAD, 200));
    d = event(LEADER, code, "{\"event\":\"sign\"}", CSRF_LEADER, 200);
    assert_string_equal(jstr(d, "state"), "done");
    assert_true(json_is_true(json_object_get(d, "on_time")));
    json_decref(d);
    d = event(ONESTOP, code, "{\"event\":\"return\",\"note\":\"Trả tại quầy\"}", CSRF_ONESTOP, 200);
    assert_string_equal(jstr(d, "state"), "returned");
    assert_int_equal(json_integer_value(json_object_get(d, "portal_status")), 10);
    assert_non_null(jstr(d, "returned_at"));
    assert_true(json_array_size(json_object_get(d, "events")) >= 7);
    json_decref(d);
    db_test_advance_clock(-100 * 60);
}

static void test_one_apology_before_the_due_date(void **state)
{
    (void)state;
    char code[64];
    receive(code);
    json_decref(event(ONESTOP, code, "{\"event\":\"transfer\"}", CSRF_ONESTOP, 200));
    json_t *e = event(SPECIALIST, code, "{\"event\":\"apologise\",\"reason\":\"Chờ xác minh\"}", CSRF_SPECIALIST, 422);
    assert_string_equal(jstr(json_object_get(e, "error"), "field"), "new_due_on");
    json_decref(e);
    json_t *d = event(SPECIALIST, code, "{\"event\":\"apologise\",\"reason\":\"Chờ xác minh\",\"new_due_on\":\"2099-12-31\"}",
                      CSRF_SPECIALIST, 200);
    assert_non_null(json_object_get(d, "apology"));
    assert_int_equal(strncmp(jstr(d, "due_at"), "2099-12-31", 10), 0);
    json_decref(d);
    char form[160];
    snprintf(form, sizeof form, "/dossiers/%s/forms/04", code);
    const response *fr = c_get(SPECIALIST, form);
    assert_int_equal(fr->status, 200);
    assert_true(r_has(fr, "Chờ xác minh"));
    assert_true(r_has(fr, "31/12/2099"));
    e = event(SPECIALIST, code, "{\"event\":\"apologise\",\"reason\":\"Lần nữa\",\"new_due_on\":\"2100-01-31\"}", CSRF_SPECIALIST, 409);
    assert_string_equal(jstr(json_object_get(e, "error"), "code"), "invalid_transition");
    json_decref(e);
}

static void test_back_office_only_and_views_logged(void **state)
{
    (void)state;
    char code[64], path[128];
    receive(code);
    snprintf(path, sizeof path, "/api/v1/dossiers/%s", code);
    assert_int_equal(c_get(VIEWER, "/api/v1/dossiers")->status, 403);
    assert_int_equal(c_get(VIEWER, path)->status, 403);
    json_t *list = get_json(ONESTOP, "/api/v1/dossiers?state=received", 200);
    json_t *first = json_array_get(json_object_get(list, "dossiers"), 0);
    assert_string_equal(jstr(json_object_get(first, "applicant"), "id_number"), "031******567");   /* masked in lists */
    json_decref(list);
    int64_t before = h_query_int(H, "SELECT COUNT(*) FROM dossier_views WHERE dossier_id = (SELECT id FROM dossiers WHERE code = ?)", code);
    json_t *d = get_json(LEADER, path, 200);
    assert_string_equal(jstr(json_object_get(d, "applicant"), "id_number"), "031203004567");
    json_decref(d);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM dossier_views WHERE dossier_id = (SELECT id FROM dossiers WHERE code = ?)", code),
                     before + 1);
    assert_int_equal(c_get(ONESTOP, "/api/v1/dossiers/not-a-code")->status, 404);
}

/* The back-office pages do what the API does: the counter form receives a
 * dossier and prints its receipt, the inbox lists it, the dossier page offers
 * the role's actions and its forms apply them. */
static void test_pages(void **state)
{
    (void)state;
    const response *r = c_get(ONESTOP, "/onestop/intake?procedure=" PROC);
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "name=\"component\" value=\"1\""));
    r = c_post_form_csrf(ONESTOP, "/onestop/intake", "procedure=" PROC "&name=L%C3%AA+Th%E1%BB%8B+C%C3%BAc&phone=0987654321&component=1&channel=counter");
    assert_int_equal(r->status, 303);
    const char *loc = r_header(r, "Location");
    assert_non_null(loc);
    assert_non_null(strstr(loc, "/forms/01"));
    char receipt[160], code[64];
    snprintf(receipt, sizeof receipt, "%s", loc);
    snprintf(code, sizeof code, "%.*s", (int)(strstr(receipt, "/forms/01") - (receipt + strlen("/dossiers/"))), receipt + strlen("/dossiers/"));
    r = c_get(ONESTOP, receipt);
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"));
    assert_true(r_has(r, code));
    assert_true(r_has(r, "Lê Thị Cúc"));
    r = c_get(ONESTOP, "/onestop");
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, code));
    char page[128], events[140];
    snprintf(page, sizeof page, "/dossiers/%s", code);
    snprintf(events, sizeof events, "/dossiers/%s/events", code);
    r = c_get(ONESTOP, page);
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "value=\"transfer\""));
    assert_false(r_has(r, "value=\"sign\""));               /* the leader's, not the one-stop officer's */
    r = c_post_form_csrf(ONESTOP, events, "event=transfer&note=Chuy%E1%BB%83n");
    assert_int_equal(r->status, 303);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM dossiers WHERE code = ? AND state = 'processing' AND step = 2", code), 1);
    char big[2100];
    memset(big, 'a', 2050);
    strcpy(big + 2050, "");
    char *form_body = malloc(2200);
    snprintf(form_body, 2200, "event=transfer&note=%s", big);
    r = c_post_form_csrf(ONESTOP, events, form_body);       /* the form keeps the API's limits */
    free(form_body);
    assert_int_equal(r->status, 422);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM dossiers WHERE code = ? AND step = 2", code), 1);
    r = c_post_form_csrf(ONESTOP, events, "event=return");
    assert_int_equal(r->status, 409);                          /* an HTML error page naming the state */
    assert_true(r_has(r, "processing"));
    assert_int_equal(c_get(OTHER_SPECIALIST, page)->status, 404);
    r = c_get(SPECIALIST, "/onestop");
    assert_true(r_has(r, code));
    assert_int_equal(c_get(VIEWER, "/onestop")->status, 403);
    /* The register lists it, printable and as CSV for Excel (BOM, formulas defused). */
    r = c_get(ONESTOP, "/onestop/register");
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, code));
    assert_true(r_has(r, "Lê Thị Cúc"));
    r = c_get(ONESTOP, "/onestop/register.csv");
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(r_header(r, "Content-Type"), "text/csv"));
    assert_int_equal(memcmp(r->body, "\xEF\xBB\xBFTT,Mã hồ sơ,", strlen("\xEF\xBB\xBFTT,Mã hồ sơ,")), 0);
    assert_true(r_has(r, code));
    assert_int_equal(c_get(ONESTOP, "/onestop/register?from=31/02/2026")->status, 400);
}

/* The statistics and the plan's one-stop target come from the dossiers. */
static void test_stats_and_target(void **state)
{
    (void)state;
    json_t *st = get_json(LEADER, "/api/v1/stats/dossiers?group=procedure", 200);
    json_t *total = json_object_get(st, "total");
    int64_t received = h_query_int(H, "SELECT COUNT(*) FROM dossiers WHERE state <> ?", "refused");
    assert_int_equal(json_integer_value(json_object_get(total, "received")), received);
    assert_int_equal(json_integer_value(json_object_get(total, "finished")),
                     h_query_int(H, "SELECT COUNT(*) FROM dossiers WHERE finished_at IS NOT NULL AND state <> ?", "withdrawn"));
    assert_true(json_array_size(json_object_get(st, "rows")) >= 1);
    json_t *row = json_array_get(json_object_get(st, "rows"), 0);
    assert_string_equal(jstr(row, "key"), PROC);
    json_decref(st);
    assert_int_equal(c_get(VIEWER, "/api/v1/stats/dossiers")->status, 403);
    /* KH2022.I2.07 "100% on time" is computed over 2022's dossiers: none, so no figure, and no typing in. */
    json_t *targets = get_json(LEADER, "/api/v1/targets", 200), *t;
    size_t i;
    bool seen = false;
    json_array_foreach(json_object_get(targets, "targets"), i, t) {
        if (strcmp(jstr(t, "code"), "KH2022.I2.07")) continue;
        seen = true;
        assert_true(json_is_true(json_object_get(t, "computed")));
        assert_true(json_is_null(json_object_get(t, "actual")));
    }
    assert_true(seen);
    json_decref(targets);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_and_versions),
        cmocka_unit_test(test_intake_codes_are_sequential_and_durable),
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_one_apology_before_the_due_date),
        cmocka_unit_test(test_back_office_only_and_views_logged),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_stats_and_target),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
