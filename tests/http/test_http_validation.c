/* HTTP tests: input validation and the review fixes around it — measured target
 * values are plain finite decimals, ?area= by numeral in the HTML list (kept by
 * the pager), strict integers (page, plan, year, unit), valid UTF-8 notes and
 * report bodies, approving in an unknown period, units reached through a group
 * are expected to report, the approval's audit names the report, evidence files
 * are written through a unique temporary file, the local date of timestamps,
 * active_on, and the configuration's sections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/harness.h"
#include "config.h"
#include "web/common.h"
#include "web/html.h"

static harness *H;
static client *OFFICE, *TTRA, *LEADER;
static int64_t PLAN2022, PLAN2026;

static int setup(void **state)
{
    (void)state;
    H = h_start_logged_in(&OFFICE, H_USER_OFFICE, &TTRA, H_USER_TTRA, &LEADER, H_USER_LEADER, NULL);
    if (!H) return -1;
    PLAN2022 = h_plan_id(H, "KH2022");
    PLAN2026 = h_plan_id(H, "KH2026_2030");
    return PLAN2022 > 0 && PLAN2026 > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    h_stop(H);          /* frees the clients too */
    return 0;
}

/* ---------- small helpers ---------- */

/* The href of the link with rel="REL" (HTML-unescaped) into out; false if none. */
static bool rel_href(const response *r, const char *rel, char *out, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "rel=\"%s\" href=\"", rel);
    const char *p = strstr(r->body, pat);
    if (!p) return false;
    p += strlen(pat);
    const char *e = strchr(p, '"');
    if (!e) return false;
    snprintf(out, n, "%.*s", (int)(e - p), p);
    amp_unescape(out);
    return true;
}

/* The HTML error page names the field as <code>field</code>. */
static void assert_error_field(const response *r, long status, const char *field)
{
    char code[96];
    snprintf(code, sizeof code, "<code>%s</code>", field);
    if (r->status != status || !r_has(r, code))
        fail_msg("expected %ld naming field %s, got %ld: %.300s", status, field, r->status, r->body);
}

/* The JSON error names the field. */
static void assert_json_field(const response *r, long status, const char *field)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\"field\":\"%s\"", field);
    if (r->status != status || !r_has(r, pat))
        fail_msg("expected %ld naming field %s, got %ld: %.300s", status, field, r->status, r->body);
}

static int64_t manual_target(void)
{
    return h_query_int(H, "SELECT MIN(id) FROM targets WHERE source = 'manual' AND comparator <> 'qualitative'", NULL);
}

static int64_t measurements(void) { return h_query_int(H, "SELECT COUNT(*) FROM target_measurements", NULL); }

/* Opens a period as the Office; returns its id (0 on failure). */
static int64_t open_period(int64_t plan, const char *kind, int year)
{
    char form[128];
    snprintf(form, sizeof form, "plan=%lld&kind=%s&year=%d", (long long)plan, kind, year);
    const response *r = c_post_form_csrf(OFFICE, "/reports", form);
    if (r->status != 303) { fprintf(stderr, "open period: %ld %.300s\n", r->status, r->body); return 0; }
    const char *loc = r_header(r, "Location");
    return loc && strncmp(loc, "/reports/", 9) == 0 ? atoll(loc + 9) : 0;
}

/* ---------- targets: plain finite decimals only ---------- */

static void test_target_value_must_be_plain_decimal(void **state)
{
    (void)state;
    int64_t target = manual_target();
    assert_true(target > 0);
    char path[96];
    snprintf(path, sizeof path, "/targets/%lld/measurements", (long long)target);
    int64_t before = measurements(), audits = h_audit(H, "target_measure");
    static const char *const bad[] = {
        "inf", "-inf", "INF", "Infinity", "nan", "NaN", "1e999", "1e3", "1E3", "0x10", "0X1A", "12abc", "1.2.3", "1,2.3",
        "-", "+", ".", ",", "", "%2B%2B1", "1+", "%205", "5%20", "1_000", "1%C2%A0000", "99999999999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char form[160];
        snprintf(form, sizeof form, "value=%s&measured_on=15/06/2022&note=x", bad[i]);
        const response *r = c_post_form_csrf(OFFICE, path, form);
        if (r->status != 422 || !r_has(r, "<code>value</code>"))
            fail_msg("value '%s': expected 422 naming value, got %ld", bad[i], r->status);
    }
    /* Nothing stored, nothing audited. */
    assert_int_equal(measurements(), before);
    assert_int_equal(h_audit(H, "target_measure"), audits);

    /* Plain decimals, with '.' or ',' as the separator, are stored as numbers. */
    assert_int_equal(c_post_form_csrf(OFFICE, path, "value=97%2C5&measured_on=15/06/2022")->status, 303);
    assert_int_equal(h_query_int(H, "SELECT value = 97.5 FROM target_measurements ORDER BY id DESC LIMIT 1", NULL), 1);
    assert_int_equal(c_post_form_csrf(OFFICE, path, "value=-3.25&measured_on=15/06/2022")->status, 303);
    assert_int_equal(h_query_int(H, "SELECT value = -3.25 FROM target_measurements ORDER BY id DESC LIMIT 1", NULL), 1);
    assert_int_equal(c_post_form_csrf(OFFICE, path, "value=%2B12&measured_on=15/06/2022")->status, 303);
    assert_int_equal(h_query_int(H, "SELECT value = 12 FROM target_measurements ORDER BY id DESC LIMIT 1", NULL), 1);
    assert_int_equal(measurements(), before + 3);
    /* Each measurement with its audit row. */
    assert_int_equal(h_audit(H, "target_measure"), audits + 3);
}

static void test_target_evidence_checks(void **state)
{
    (void)state;
    int64_t target = manual_target();
    char path[96];
    snprintf(path, sizeof path, "/targets/%lld/measurements", (long long)target);
    size_t len;
    const char *pdf = test_pdf(&len);
    char longname[260];
    memset(longname, 'a', 201);
    strcpy(longname + 201, ".pdf");
    int64_t before = measurements();
    /* A file name over 200 bytes: 422 naming "files", nothing stored. */
    mp_part parts[4] = {
        {.name = "csrf_token", .value = c_csrf(OFFICE)},
        {.name = "value", .value = "90"},
        {.name = "measured_on", .value = "15/06/2022"},
        {.name = "files", .filename = longname, .data = pdf, .len = len, .content_type = "application/pdf"},
    };
    assert_error_field(c_post_multipart(OFFICE, path, parts, 4, NULL), 422, "files");
    assert_int_equal(measurements(), before);
    /* Not an allowed type: 415. */
    static const char text[] = "just some text, not a document\n";
    parts[3] = (mp_part){.name = "files", .filename = "ghi-chu.pdf", .data = text, .len = sizeof text - 1, .content_type = "application/pdf"};
    assert_error_field(c_post_multipart(OFFICE, path, parts, 4, NULL), 415, "files");
    assert_int_equal(measurements(), before);
    /* A file in another field is not evidence (as for progress updates). */
    parts[3] = (mp_part){.name = "other", .filename = "bao-cao.pdf", .data = pdf, .len = len, .content_type = "application/pdf"};
    assert_int_equal(c_post_multipart(OFFICE, path, parts, 4, NULL)->status, 303);
    assert_int_equal(measurements(), before + 1);
    assert_int_equal(h_query_int(H, "SELECT sha256 IS NULL FROM target_measurements ORDER BY id DESC LIMIT 1", NULL), 1);
    /* In "files": stored with its name. */
    parts[3] = (mp_part){.name = "files", .filename = "bao-cao.pdf", .data = pdf, .len = len, .content_type = "application/pdf"};
    assert_int_equal(c_post_multipart(OFFICE, path, parts, 4, NULL)->status, 303);
    assert_int_equal(measurements(), before + 2);
    assert_int_equal(h_query_int(H, "SELECT filename = 'bao-cao.pdf' AND length(sha256) = 64 FROM target_measurements "
                                    "ORDER BY id DESC LIMIT 1", NULL), 1);
}

/* Evidence bytes go through a temporary file of their own (mkstemp): a name built
 * from the process id alone is shared by every worker of the process. A directory
 * squatting on that old name must not stop the upload. */
static void test_evidence_temp_file_is_unique(void **state)
{
    (void)state;
    size_t plen;
    const char *pdf = test_pdf(&plen);
    static const char extra[] = "% unique bytes for the temp-file test\n";
    size_t len = plen + sizeof extra - 1;
    char *data = malloc(len);
    assert_non_null(data);
    memcpy(data, pdf, plen);
    memcpy(data + plen, extra, sizeof extra - 1);
    unsigned char h[crypto_hash_sha256_BYTES];
    char sha[65], dir[512], squat[700], final[700];
    crypto_hash_sha256(h, (const unsigned char *)data, len);
    sodium_bin2hex(sha, sizeof sha, h, sizeof h);
    snprintf(dir, sizeof dir, "%s/files", h_data_dir(H));
    mkdir(dir, 0750);
    snprintf(dir, sizeof dir, "%s/files/%.2s", h_data_dir(H), sha);
    mkdir(dir, 0750);
    snprintf(final, sizeof final, "%s/%s", dir, sha);
    snprintf(squat, sizeof squat, "%s.tmp%d", final, (int)getpid());
    assert_int_equal(mkdir(squat, 0750), 0);

    int64_t task = h_task_id(H, "KH2022", "10");
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    mp_part parts[5] = {
        {.name = "csrf_token", .value = c_csrf(TTRA)},
        {.name = "status", .value = "in_progress"},
        {.name = "percent", .value = "30"},
        {.name = "note", .value = "Minh chứng"},
        {.name = "files", .filename = "minh-chung.pdf", .data = data, .len = len, .content_type = "application/pdf"},
    };
    const response *r = c_post_multipart(TTRA, path, parts, 5, NULL);
    assert_int_equal(r->status, 303);
    struct stat st;
    assert_int_equal(stat(final, &st), 0);
    assert_int_equal((size_t)st.st_size, len);
    /* No temporary file left behind next to it (only the squatter). */
    char tmp_glob[720];
    snprintf(tmp_glob, sizeof tmp_glob, "%s.tmp-", sha);
    int leftovers = 0;
    FILE *ls;
    char cmd[800];
    snprintf(cmd, sizeof cmd, "ls -a '%s'", dir);
    ls = popen(cmd, "r");
    assert_non_null(ls);
    char line[512];
    while (fgets(line, sizeof line, ls)) if (strstr(line, tmp_glob)) leftovers++;
    pclose(ls);
    assert_int_equal(leftovers, 0);
    rmdir(squat);
    free(data);
}

/* ---------- task list: area by numeral, strict page ---------- */

static void test_area_numeral_in_html_list(void **state)
{
    (void)state;
    char path[160], href[256];
    int64_t ids[100];
    int64_t want = h_query_int_i(H, "SELECT COUNT(*) FROM tasks t JOIN areas a ON a.id = t.area_id WHERE t.plan_id = ? AND a.no = 'II'", PLAN2022);
    assert_int_equal(want, 4);
    snprintf(path, sizeof path, "/tasks?plan=%lld&area=II", (long long)PLAN2022);
    const response *r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    assert_int_equal(r_list_total(r), 4);
    int n = r_task_ids(r, ids, 100);
    assert_int_equal(n, 4);
    for (int i = 0; i < n; i++)
        assert_int_equal(h_query_int_i(H, "SELECT a.no = 'II' FROM tasks t JOIN areas a ON a.id = t.area_id WHERE t.id = ?", ids[i]), 1);
    /* The area's option is selected in the filter form. */
    int64_t area2 = h_query_int_i(H, "SELECT id FROM areas WHERE plan_id = ? AND no = 'II'", PLAN2022);
    char opt[64];
    snprintf(opt, sizeof opt, "<option value=\"%lld\" selected>", (long long)area2);
    assert_true(r_has(r, opt));
    /* Lower case is the same numeral. */
    snprintf(path, sizeof path, "/tasks?plan=%lld&area=ii", (long long)PLAN2022);
    assert_int_equal(r_list_total(c_get(OFFICE, path)), 4);

    /* The pager keeps the area: page 2 of area II links back to page 1 of area II. */
    snprintf(path, sizeof path, "/tasks?plan=%lld&area=II&page=2", (long long)PLAN2022);
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    assert_int_equal(r_list_total(r), 4);
    assert_true(rel_href(r, "prev", href, sizeof href));
    assert_non_null(strstr(href, "area=II"));
    assert_non_null(strstr(href, "page=1"));
    r = c_get(OFFICE, href);
    assert_int_equal(r->status, 200);
    assert_int_equal(r_list_total(r), 4);

    /* In the 2026–2030 plan the numerals are digits: "3" is area 3 of that plan. */
    int64_t want3 = h_query_int_i(H, "SELECT COUNT(*) FROM tasks t JOIN areas a ON a.id = t.area_id WHERE t.plan_id = ? AND a.no = '3'", PLAN2026);
    assert_true(want3 > 0);
    snprintf(path, sizeof path, "/tasks?plan=%lld&area=3", (long long)PLAN2026);
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    assert_int_equal(r_list_total(r), (int)want3);
    n = r_task_ids(r, ids, 100);
    for (int i = 0; i < n; i++)
        assert_int_equal(h_query_int_i(H, "SELECT a.no = '3' FROM tasks t JOIN areas a ON a.id = t.area_id WHERE t.id = ?", ids[i]), 1);
    /* And the API resolves it the same way. */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?area=3", (long long)PLAN2026);
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    json_t *j = r_json(r);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), want3);
    json_decref(j);
    /* An area id of the plan still works. */
    snprintf(path, sizeof path, "/tasks?plan=%lld&area=%lld", (long long)PLAN2022, (long long)area2);
    assert_int_equal(r_list_total(c_get(OFFICE, path)), 4);
}

static void test_unknown_area_400(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "/tasks?plan=%lld&area=XX", (long long)PLAN2022);
    assert_error_field(c_get(OFFICE, path), 400, "area");
    snprintf(path, sizeof path, "/my?plan=%lld&area=XX", (long long)PLAN2022);
    assert_error_field(c_get(TTRA, path), 400, "area");
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?area=XX", (long long)PLAN2022);
    assert_json_field(c_get(OFFICE, path), 400, "area");
    /* A numeral needs a plan. */
    assert_error_field(c_get(OFFICE, "/tasks?area=II"), 400, "area");
    /* An id of another plan's area is not an area of this plan. */
    int64_t other = h_query_int_i(H, "SELECT MAX(id) FROM areas WHERE plan_id = ?", PLAN2026);
    snprintf(path, sizeof path, "/tasks?plan=%lld&area=%lld", (long long)PLAN2022, (long long)other);
    assert_error_field(c_get(OFFICE, path), 400, "area");
}

static void test_strict_integers(void **state)
{
    (void)state;
    char path[160];
    /* page */
    assert_error_field(c_get(OFFICE, "/tasks?page=2abc"), 400, "page");
    assert_error_field(c_get(OFFICE, "/tasks?page=0"), 400, "page");
    assert_error_field(c_get(OFFICE, "/tasks?page=-1"), 400, "page");
    assert_error_field(c_get(OFFICE, "/tasks?page=%202"), 400, "page");
    assert_error_field(c_get(TTRA, "/my?page=1x"), 400, "page");
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?page=2abc", (long long)PLAN2022);
    assert_json_field(c_get(OFFICE, path), 400, "page");
    assert_int_equal(c_get(OFFICE, "/tasks?page=2")->status, 200);
    /* plan of the task list and the dashboard */
    assert_error_field(c_get(OFFICE, "/tasks?plan=1abc"), 400, "plan");
    assert_error_field(c_get(OFFICE, "/?plan=1abc"), 400, "plan");
    snprintf(path, sizeof path, "/?plan=%lld", (long long)PLAN2022);
    assert_int_equal(c_get(OFFICE, path)->status, 200);
    /* plan of the targets API */
    assert_json_field(c_get(OFFICE, "/api/v1/targets?plan=1abc"), 400, "plan");
    assert_json_field(c_get(OFFICE, "/api/v1/targets?plan=0x1"), 400, "plan");
    snprintf(path, sizeof path, "/api/v1/targets?plan=%lld", (long long)PLAN2022);
    assert_int_equal(c_get(OFFICE, path)->status, 200);
    /* plan and year of a new period: trailing junk is not a number. */
    int64_t periods = h_query_int(H, "SELECT COUNT(*) FROM report_periods", NULL);
    char form[128];
    snprintf(form, sizeof form, "plan=%lldabc&kind=q3&year=2022", (long long)PLAN2022);
    assert_error_field(c_post_form_csrf(OFFICE, "/reports", form), 422, "plan");
    snprintf(form, sizeof form, "plan=%lld&kind=q3&year=2022abc", (long long)PLAN2022);
    assert_error_field(c_post_form_csrf(OFFICE, "/reports", form), 422, "year");
    snprintf(form, sizeof form, "plan=%lld&kind=q3&year=2022.5", (long long)PLAN2022);
    assert_error_field(c_post_form_csrf(OFFICE, "/reports", form), 422, "year");
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM report_periods", NULL), periods);
}

/* ---------- notes and report bodies: valid UTF-8 ---------- */

static void test_invalid_utf8_note_422(void **state)
{
    (void)state;
    int64_t task = h_task_id(H, "KH2022", "9");
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    int64_t before = h_updates(H, task), audits = h_audit(H, "task_update");
    /* A lone continuation byte, a truncated sequence, an overlong '/', a control character. */
    static const char *const bad[] = {"Ghi%80chu", "Ghi+ch%C3", "%C0%AF", "ghi%01chu"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char form[128];
        snprintf(form, sizeof form, "status=in_progress&percent=10&note=%s", bad[i]);
        /* The form page comes back with the message about the note. */
        const response *r = c_post_form_csrf(TTRA, path, form);
        if (r->status != 422 || !r_has(r, "Ghi chú phải là văn bản UTF-8 hợp lệ"))
            fail_msg("note '%s': expected 422 about the note, got %ld", bad[i], r->status);
    }
    /* The API names the field: JSON (jansson refuses invalid UTF-8 itself, but not
     * control characters) and multipart. */
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    assert_json_field(c_post_json(TTRA, "POST", path, "{\"status\":\"in_progress\",\"note\":\"a\\u0001b\"}", c_csrf(TTRA)), 422, "note");
    mp_part parts[2] = {{.name = "status", .value = "in_progress"}, {.name = "note", .value = "ghi\x80 chu"}};
    assert_json_field(c_post_multipart(TTRA, path, parts, 2, c_csrf(TTRA)), 422, "note");
    assert_int_equal(h_updates(H, task), before);
    assert_int_equal(h_audit(H, "task_update"), audits);
    /* Vietnamese text, tabs and new lines are fine. */
    assert_int_equal(c_post_task_update(TTRA, task, "status=in_progress&percent=10&note=%C4%90%C3%A3+r%C3%A0+so%C3%A1t%0D%0A%09xong")->status, 303);
    assert_int_equal(h_updates(H, task), before + 1);
}

static void test_invalid_utf8_report_body_422(void **state)
{
    (void)state;
    int64_t period = open_period(PLAN2022, "h1", 2022);
    assert_true(period > 0);
    char path[96];
    snprintf(path, sizeof path, "/reports/%lld/submit", (long long)period);
    assert_error_field(c_post_form_csrf(TTRA, path, "body=Bao+cao%FF%FE"), 422, "body");
    assert_error_field(c_post_form_csrf(TTRA, path, "body=Bao%00cao%1B"), 422, "body");
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM unit_reports WHERE period_id = ?", period), 0);
    /* The Office submitting for a unit: the unit must be a number. */
    int64_t ttra = h_unit_id(H, "TTRA");
    char form[96];
    snprintf(form, sizeof form, "unit=%lldx&body=Bao+cao", (long long)ttra);
    assert_error_field(c_post_form_csrf(OFFICE, path, form), 422, "unit");
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM unit_reports WHERE period_id = ?", period), 0);
    assert_int_equal(c_post_form_csrf(TTRA, path, "body=B%C3%A1o+c%C3%A1o+qu%C3%BD")->status, 303);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM unit_reports WHERE period_id = ?", period), 1);
    /* The submission and its audit row. */
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM audit WHERE action = 'report_submit' AND entity_id = "
                                      "(SELECT id FROM unit_reports WHERE period_id = ?)", period), 1);
}

/* ---------- approvals ---------- */

static void test_approve_unknown_period_404(void **state)
{
    (void)state;
    int64_t ttra = h_unit_id(H, "TTRA");
    char path[96];
    snprintf(path, sizeof path, "/reports/99999999/approve/%lld", (long long)ttra);
    const response *r = c_post_form_csrf(LEADER, path, "");
    assert_int_equal(r->status, 404);
    assert_int_equal(h_audit(H, "report_approve"), 0);
}

static void test_approve_audits_the_report(void **state)
{
    (void)state;
    int64_t period = h_query_int(H, "SELECT id FROM report_periods WHERE kind = 'h1' AND year = 2022", NULL);
    assert_true(period > 0);
    int64_t ttra = h_unit_id(H, "TTRA");
    int64_t report = h_query_int_i(H, "SELECT id FROM unit_reports WHERE period_id = ?", period);
    assert_true(report > 0);
    char path[96];
    snprintf(path, sizeof path, "/reports/%lld/approve/%lld", (long long)period, (long long)ttra);
    assert_int_equal(c_post_form_csrf(LEADER, path, "")->status, 303);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM audit WHERE action = 'report_approve'", NULL), 1);
    assert_int_equal(h_query_int(H, "SELECT entity = 'unit_report' FROM audit WHERE action = 'report_approve'", NULL), 1);
    assert_int_equal(h_query_int(H, "SELECT entity_id FROM audit WHERE action = 'report_approve'", NULL), report);
    /* Twice: nothing to approve (409), no second audit row. */
    assert_int_equal(c_post_form_csrf(LEADER, path, "")->status, 409);
    assert_int_equal(h_audit(H, "report_approve"), 1);
}

/* ---------- expected units: members of groups ---------- */

static void test_group_members_are_expected(void **state)
{
    (void)state;
    /* The 2026–2030 plan names G_PHONG_DV (division, school, centre) but no school directly. */
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM tasks t JOIN units u ON u.id = t.lead_unit_id "
                                      "WHERE t.plan_id = ? AND u.kind = 'school'", PLAN2026), 0);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM task_units tu JOIN tasks t ON t.id = tu.task_id "
                                      "JOIN units u ON u.id = tu.unit_id WHERE t.plan_id = ? AND u.kind = 'school'", PLAN2026), 0);
    assert_true(h_query_int_i(H, "SELECT COUNT(*) FROM task_units tu JOIN tasks t ON t.id = tu.task_id "
                                 "JOIN units u ON u.id = tu.unit_id WHERE t.plan_id = ? AND u.code = 'G_PHONG_DV'", PLAN2026) +
                h_query_int_i(H, "SELECT COUNT(*) FROM tasks t JOIN units u ON u.id = t.lead_unit_id "
                                 "WHERE t.plan_id = ? AND u.code = 'G_PHONG_DV'", PLAN2026) > 0);
    int64_t period = open_period(PLAN2026, "year", 2026);
    assert_true(period > 0);
    char path[96], school[512], centre[512], tccb[512], group[512], district[512];
    h_unit_name(H, "THPT_CHUYEN_TRANPHU", school, sizeof school);
    h_unit_name(H, "TT_GDTX_HP", centre, sizeof centre);
    h_unit_name(H, "TCCB", tccb, sizeof tccb);
    h_unit_name(H, "G_PHONG_DV", group, sizeof group);
    h_unit_name(H, "PGD_HONGBANG", district, sizeof district);
    snprintf(path, sizeof path, "/reports/%lld", (long long)period);
    const response *r = c_get(OFFICE, path);
    assert_int_equal(r->status, 200);
    const char *st = r_submission_state(r, school);
    if (!st || strcmp(st, "missing")) fail_msg("a school under G_PHONG_DV is not listed as expected");
    st = r_submission_state(r, centre);
    if (!st || strcmp(st, "missing")) fail_msg("a centre under G_PHONG_DV is not listed as expected");
    assert_non_null(r_submission_state(r, tccb));
    /* Groups are never listed; district offices ended in 2025. */
    assert_null(r_submission_state(r, group));
    assert_null(r_submission_state(r, district));
    /* The API lists the same units. */
    snprintf(path, sizeof path, "/api/v1/reports/%lld", (long long)period);
    r = c_get(OFFICE, path);
    json_t *j = r_json(r);
    assert_non_null(j);
    json_t *subs = json_object_get(j, "submissions"), *s;
    size_t i;
    bool found = false;
    int64_t school_id = h_unit_id(H, "THPT_CHUYEN_TRANPHU"), group_id = h_unit_id(H, "G_PHONG_DV");
    json_array_foreach(subs, i, s) {
        int64_t id = json_integer_value(json_object_get(s, "unit_id"));
        if (id == school_id) found = true;
        assert_true(id != group_id);
    }
    json_decref(j);
    assert_true(found);
    /* The school may submit its report. */
    assert_true(h_add_user(H, "unit_thpt_tp", "unit", "THPT_CHUYEN_TRANPHU") > 0);
    client *c = c_new(H);
    assert_int_equal(c_login_html(c, "unit_thpt_tp", H_PASSWORD), 303);
    snprintf(path, sizeof path, "/reports/%lld/submit", (long long)period);
    assert_int_equal(c_post_form_csrf(c, path, "body=B%C3%A1o+c%C3%A1o+c%E1%BB%A7a+tr%C6%B0%E1%BB%9Dng")->status, 303);
    c_free(c);
    assert_int_equal(h_query_int_i(H, "SELECT unit_id FROM unit_reports WHERE period_id = ?", period), school_id);

    /* In 2022 the district offices existed: reached through G_PGD, they are expected. */
    int64_t p2022 = open_period(PLAN2022, "q3", 2022);
    assert_true(p2022 > 0);
    snprintf(path, sizeof path, "/reports/%lld", (long long)p2022);
    r = c_get(OFFICE, path);
    st = r_submission_state(r, district);
    if (!st || strcmp(st, "missing")) fail_msg("a district office under G_PGD is not listed in 2022");
}

/* ---------- dates, active_on, configuration ---------- */

static void test_fmt_date_local(void **state)
{
    (void)state;
    char out[16];
    /* 20:30 UTC on 14 June is 03:30 on 15 June in Vietnam. */
    assert_string_equal(fmt_date_local("2022-06-14T20:30:00Z", out), "15/06/2022");
    assert_string_equal(fmt_date_local("2022-06-14T16:59:59Z", out), "14/06/2022");
    assert_string_equal(fmt_date_local("2022-06-14T17:00:00Z", out), "15/06/2022");
    assert_string_equal(fmt_date_local("2022-12-31T18:00:00Z", out), "01/01/2023");
    assert_string_equal(fmt_date_local("2022-06-14", out), "");
    assert_string_equal(fmt_date_local(NULL, out), "");
    /* fmt_date keeps dates as written. */
    assert_string_equal(fmt_date("2022-06-14", out), "14/06/2022");
}

static void test_active_on_real_date(void **state)
{
    (void)state;
    assert_json_field(c_get(OFFICE, "/api/v1/units?active_on=2022-02-30"), 400, "active_on");
    assert_json_field(c_get(OFFICE, "/api/v1/units?active_on=2022-13-01"), 400, "active_on");
    assert_json_field(c_get(OFFICE, "/api/v1/units?active_on=abcdefghij"), 400, "active_on");
    assert_json_field(c_get(OFFICE, "/api/v1/units?active_on=15/06/2022"), 400, "active_on");
    const response *r = c_get(OFFICE, "/api/v1/units?active_on=2026-01-01");
    assert_int_equal(r->status, 200);
    assert_false(r_has(r, "\"PGD_HONGBANG\""));
    r = c_get(OFFICE, "/api/v1/units?active_on=2022-06-15");
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "\"PGD_HONGBANG\""));
}

static void test_strict_int_helper(void **state)
{
    (void)state;
    int64_t v = 7;
    assert_true(parse_int64_strict("42", 1, 100, &v));
    assert_int_equal(v, 42);
    assert_true(parse_int64_strict("-5", -10, 10, &v));
    assert_int_equal(v, -5);
    static const char *const bad[] = {"", "2abc", " 2", "2 ", "+2", "0x10", "1e3", "-", "--1", "1.0", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        if (parse_int64_strict(bad[i], INT64_MIN, INT64_MAX, &v)) fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(v, 7);
    }
    assert_false(parse_int64_strict("101", 1, 100, &v));
    assert_false(parse_int64_strict("0", 1, 100, &v));
    assert_false(parse_int64_strict(NULL, 1, 100, &v));
}

static void test_config_sections(void **state)
{
    (void)state;
    config c;
    char err[300];
    config_defaults(&c);
    /* Prefixed keys must name their own section. */
    assert_int_equal(config_set(&c, "server.listen", "0.0.0.0:9000", err, sizeof err), 0);
    assert_int_equal(c.listen_port, 9000);
    assert_int_equal(config_set(&c, "limits.listen", "0.0.0.0:9001", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "agency.listen", "0.0.0.0:9001", err, sizeof err), -1);
    assert_int_equal(c.listen_port, 9000);
    assert_int_equal(config_set(&c, "server.name", "X", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "agency.name", "Sở thử", err, sizeof err), 0);
    assert_string_equal(c.agency, "Sở thử");
    assert_int_equal(config_set(&c, "security.max_upload", "4096", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "limits.max_upload", "4096", err, sizeof err), 0);
    assert_int_equal(c.max_upload, 4096);
    assert_int_equal(config_set(&c, "limits.session_idle", "5", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "security.session_idle", "5", err, sizeof err), 0);
    assert_int_equal(config_set(&c, "server.due_soon_days", "5", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "plans.due_soon_days", "5", err, sizeof err), 0);
    assert_int_equal(config_set(&c, "server.https", "true", err, sizeof err), 0);
    assert_int_equal(config_set(&c, "server.threads", "4", err, sizeof err), 0);
    assert_int_equal(config_set(&c, "server.access_log", "false", err, sizeof err), 0);
    assert_int_equal(config_set(&c, "server.data", "/tmp/x", err, sizeof err), 0);
    assert_int_equal(config_set(&c, "server.base_url", "https://cchc.example", err, sizeof err), 0);
    assert_int_equal(config_set(&c, "serverx.listen", "0.0.0.0:1", err, sizeof err), -1);
    assert_int_equal(config_set(&c, ".listen", "0.0.0.0:1", err, sizeof err), -1);
    /* A bare key still works (command line). */
    assert_int_equal(config_set(&c, "threads", "2", err, sizeof err), 0);
    assert_int_equal(c.threads, 2);
    assert_int_equal(config_set(&c, "bogus", "2", err, sizeof err), -1);
    /* plans.today: a real ISO date or empty. */
    assert_int_equal(config_set(&c, "plans.today", "2022-02-30", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "plans.today", "15/06/2022", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "plans.today", "2022-6-15x", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "plans.today", "2022-06-15", err, sizeof err), 0);
    assert_string_equal(c.today, "2022-06-15");
    assert_int_equal(config_set(&c, "plans.today", "", err, sizeof err), 0);
    assert_string_equal(c.today, "");

    /* A file: keys belong to the section they are in. */
    char path[] = "/tmp/cchc-conf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char good[] =
        "; comment\n[server]\nlisten = 127.0.0.1:8181        ; --listen ADDR:PORT\nthreads = 3\n"
        "[agency]\nname = \"Sở Giáo dục và Đào tạo Hải Phòng\"\n[limits]\ntimeout = 45\n"
        "[plans]\ntoday =                        ; fixed YYYY-MM-DD\ndue_soon_days = 7\n";
    assert_int_equal(write(fd, good, sizeof good - 1), (ssize_t)(sizeof good - 1));
    close(fd);
    config_defaults(&c);
    assert_int_equal(config_load(&c, path, err, sizeof err), 0);
    assert_int_equal(c.listen_port, 8181);
    assert_int_equal(c.threads, 3);
    assert_int_equal(c.timeout_seconds, 45);
    assert_int_equal(c.due_soon_days, 7);
    assert_string_equal(c.today, "");
    assert_string_equal(c.agency, "Sở Giáo dục và Đào tạo Hải Phòng");
    static const char wrong[] = "[server]\ntimeout = 45\n";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(wrong, f);
    fclose(f);
    config_defaults(&c);
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2:"));
    assert_int_equal(c.timeout_seconds, 30);
    static const char bad_today[] = "[plans]\ntoday = 2022-02-30\n";
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(bad_today, f);
    fclose(f);
    assert_int_equal(config_load(&c, path, err, sizeof err), -1);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_value_must_be_plain_decimal),
        cmocka_unit_test(test_target_evidence_checks),
        cmocka_unit_test(test_evidence_temp_file_is_unique),
        cmocka_unit_test(test_area_numeral_in_html_list),
        cmocka_unit_test(test_unknown_area_400),
        cmocka_unit_test(test_strict_integers),
        cmocka_unit_test(test_invalid_utf8_note_422),
        cmocka_unit_test(test_invalid_utf8_report_body_422),
        cmocka_unit_test(test_approve_unknown_period_404),
        cmocka_unit_test(test_approve_audits_the_report),
        cmocka_unit_test(test_group_members_are_expected),
        cmocka_unit_test(test_fmt_date_local),
        cmocka_unit_test(test_active_on_real_date),
        cmocka_unit_test(test_strict_int_helper),
        cmocka_unit_test(test_config_sections),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
