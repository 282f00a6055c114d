/* HTTP tests: the dashboard's numbers and the lists they link to, search
 * without diacritics, filters, paging, progress updates with evidence files
 * (download, limits, types), output escaping, API input errors, security
 * headers, long URLs and unknown paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/harness.h"

static harness *H, *SMALL;
static client *OFFICE, *TTRA;
static int64_t PLAN;

static int setup(void **state)
{
    (void)state;
    H = h_start_logged_in(&OFFICE, H_USER_OFFICE, &TTRA, H_USER_TTRA, NULL);
    if (!H) return -1;
    PLAN = h_plan_id(H, "KH2022");
    return PLAN > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    c_free(OFFICE);
    c_free(TTRA);
    h_stop(SMALL);     /* left running by a failed test */
    h_stop(H);
    return 0;
}

/* ---------- small parsers ---------- */

/* API: GET path as c, parse JSON, return "total" (and the ids when wanted). */
static int api_total(client *c, const char *path, int64_t *ids, int max, int *nids)
{
    const response *r = c_get(c, path);
    if (r->status != 200) { fprintf(stderr, "GET %s: %ld %s\n", path, r->status, r->body); return -1; }
    json_t *j = r_json(r);
    assert_non_null(j);
    int total = (int)json_integer_value(json_object_get(j, "total"));
    json_t *tasks = json_object_get(j, "tasks");
    if (nids) {
        *nids = 0;
        for (size_t i = 0; i < json_array_size(tasks) && *nids < max; i++)
            ids[(*nids)++] = json_integer_value(json_object_get(json_array_get(tasks, i), "id"));
    }
    json_decref(j);
    return total;
}

static bool contains_id(const int64_t *ids, int n, int64_t id)
{
    for (int i = 0; i < n; i++) if (ids[i] == id) return true;
    return false;
}

/* ---------- dashboard ---------- */

static void test_dashboard_counts_match_lists(void **state)
{
    (void)state;
    /* Something must be overdue on 15/06/2022 and something done, so the numbers mean something. */
    int64_t t9 = h_task_id(H, "KH2022", "9");
    char path[256];
    assert_int_equal(c_post_task_update(TTRA, t9, "status=done&percent=100&note=da-xong")->status, 303);

    snprintf(path, sizeof path, "/?plan=%lld", (long long)PLAN);
    const response *dash = c_get(OFFICE, path);
    assert_int_equal(dash->status, 200);

    /* The overdue card equals the API's overdue total. */
    char card[128];
    snprintf(card, sizeof card, "href=\"/tasks?plan=%lld&amp;overdue=1\"><b>", (long long)PLAN);
    const char *p = strstr(dash->body, card);
    assert_non_null(p);
    int overdue_card = atoi(p + strlen(card));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?overdue=1", (long long)PLAN);
    assert_int_equal(api_total(OFFICE, path, NULL, 0, NULL), overdue_card);
    assert_true(overdue_card > 0);
    /* ... and the DB agrees. */
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE plan_id = ? AND status NOT IN ('done','cancelled') "
                                      "AND dl_due IS NOT NULL AND dl_due < '" H_TODAY "'", PLAN), overdue_card);

    /* Every number that links to a task list equals that list's total. */
    int checked = 0, mismatches = 0;
    for (const char *a = dash->body; (a = strstr(a, "href=\"/tasks?")); a++) {
        const char *hs = a + 6, *he = strchr(hs, '"');
        assert_non_null(he);
        const char *inner = he + 2;           /* after "> */
        if (strncmp(he, "\">", 2) != 0) continue;
        if (strncmp(inner, "<b>", 3) == 0) inner += 3;
        if (*inner < '0' || *inner > '9') continue;
        int shown = atoi(inner);
        char href[256];
        assert_true((size_t)(he - hs) < sizeof href);
        snprintf(href, sizeof href, "%.*s", (int)(he - hs), hs);
        amp_unescape(href);
        const response *l = c_get(OFFICE, href);
        assert_int_equal(l->status, 200);
        int total = r_list_total(l);
        if (total != shown) {
            mismatches++;
            fprintf(stderr, "dashboard shows %d for %s, the list has %d\n", shown, href, total);
        }
        checked++;
    }
    assert_true(checked >= 20);
    assert_int_equal(mismatches, 0);
}

/* ---------- search and filters ---------- */

static void test_search_without_diacritics(void **state)
{
    (void)state;
    int64_t t8 = h_task_id(H, "KH2022", "8"), t25 = h_task_id(H, "KH2022", "25");
    int64_t ids[100];
    int n;
    char path[256];
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?q=ra+soat+van+ban", (long long)PLAN);
    int total = api_total(OFFICE, path, ids, 100, &n);
    assert_true(total >= 1);
    assert_true(contains_id(ids, n, t8));
    assert_false(contains_id(ids, n, t25));
    /* Upper case and with diacritics: the same result. */
    int64_t ids2[100];
    int n2;
    char *q = url_enc("RÀ SOÁT VĂN BẢN");
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?q=%s", (long long)PLAN, q);
    free(q);
    assert_int_equal(api_total(OFFICE, path, ids2, 100, &n2), total);
    assert_true(contains_id(ids2, n2, t8));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?q=Ra+Soat+Van+Ban", (long long)PLAN);
    assert_int_equal(api_total(OFFICE, path, NULL, 0, NULL), total);

    /* "danh gia" finds "Đánh giá"/"đánh giá" (đ folds to d). */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?q=danh+gia", (long long)PLAN);
    total = api_total(OFFICE, path, ids, 100, &n);
    assert_true(contains_id(ids, n, h_task_id(H, "KH2022", "3.a")));
    assert_true(contains_id(ids, n, h_task_id(H, "KH2022", "3.b")));
    assert_true(contains_id(ids, n, h_task_id(H, "KH2022", "37")));
    assert_false(contains_id(ids, n, t25));

    /* The HTML list finds the same and keeps the query in the search box. */
    const response *r = c_get(OFFICE, "/tasks?q=ra+soat+van+ban");
    assert_int_equal(r->status, 200);
    char href[64];
    snprintf(href, sizeof href, "href=\"/tasks/%lld\"", (long long)t8);
    assert_true(r_has(r, href));
    assert_true(r_has(r, "rà soát văn bản"));
    assert_true(r_has(r, "value=\"ra soat van ban\""));
    snprintf(href, sizeof href, "href=\"/tasks/%lld\"", (long long)t25);
    assert_false(r_has(r, href));

    /* A word that is nowhere: nothing, not an error. */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?q=xyzzyqwerty", (long long)PLAN);
    assert_int_equal(api_total(OFFICE, path, NULL, 0, NULL), 0);
    /* Search text with FTS syntax characters is only text. */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?q=%%22ra%%22+OR+*+NEAR(", (long long)PLAN);
    assert_int_equal(c_get(OFFICE, path)->status, 200);
}

static void test_filters(void **state)
{
    (void)state;
    char path[256];
    int64_t ids[100];
    int n;
    /* Unit (lead). */
    int64_t tccb = h_unit_id(H, "TCCB");
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?unit=%lld", (long long)PLAN, (long long)tccb);
    int total = api_total(OFFICE, path, ids, 100, &n);
    db_stmt *s;
    assert_int_equal(total, h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE lead_unit_id = (SELECT id FROM units WHERE code = 'TCCB') "
                                            "AND plan_id = ?", PLAN));
    assert_int_equal(total, 9);
    for (int i = 0; i < n; i++)
        assert_int_equal(h_query_int_i(H, "SELECT lead_unit_id FROM tasks WHERE id = ?", ids[i]), tccb);
    /* The HTML list with the same filter. */
    snprintf(path, sizeof path, "/tasks?plan=%lld&unit=%lld", (long long)PLAN, (long long)tccb);
    const response *r = c_get(OFFICE, path);
    assert_int_equal(r_list_total(r), 9);

    /* Area, by Roman numeral in the API, by id in the HTML list. */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?area=II", (long long)PLAN);
    total = api_total(OFFICE, path, ids, 100, &n);
    assert_int_equal(total, 4);
    assert_true(contains_id(ids, n, h_task_id(H, "KH2022", "8")));
    assert_true(contains_id(ids, n, h_task_id(H, "KH2022", "11")));
    s = db_prepare(h_db(H), "SELECT id FROM areas WHERE plan_id = ? AND no = 'II'");
    db_bind_int(s, 1, PLAN);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t area2 = db_col_int(s, 0);
    db_step(s);
    snprintf(path, sizeof path, "/tasks?plan=%lld&area=%lld", (long long)PLAN, (long long)area2);
    assert_int_equal(r_list_total(c_get(OFFICE, path)), 4);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?area=XLII", (long long)PLAN);
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 400);
    assert_true(r_has(r, "\"field\":\"area\""));

    /* Status: one task of area III made in progress. */
    int64_t t14 = h_task_id(H, "KH2022", "14");
    client *vp = c_new(H);
    assert_int_equal(c_login_html(vp, H_USER_OFFICE, H_PASSWORD), 303);
    assert_int_equal(c_post_task_update(vp, t14, "status=in_progress&percent=50&note=dang-lam")->status, 303);
    c_free(vp);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?status=in_progress", (long long)PLAN);
    total = api_total(OFFICE, path, ids, 100, &n);
    assert_int_equal(total, h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE status = 'in_progress' AND plan_id = ?", PLAN));
    assert_true(contains_id(ids, n, t14));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?status=bogus", (long long)PLAN);
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 400);
    assert_true(r_has(r, "\"field\":\"status\""));

    /* Due dates, dd/mm/yyyy and ISO. */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?due_from=01/03/2022&due_to=31/03/2022", (long long)PLAN);
    total = api_total(OFFICE, path, ids, 100, &n);
    int64_t want = h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE plan_id = ? AND dl_due BETWEEN '2022-03-01' AND '2022-03-31'", PLAN);
    assert_int_equal(total, want);
    assert_true(want > 0);
    assert_true(contains_id(ids, n, h_task_id(H, "KH2022", "17.a")));   /* "Quý I/2022" */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?due_from=2022-03-01&due_to=2022-03-31", (long long)PLAN);
    assert_int_equal(api_total(OFFICE, path, NULL, 0, NULL), want);
    snprintf(path, sizeof path, "/tasks?plan=%lld&due_from=01%%2F03%%2F2022&due_to=31%%2F03%%2F2022", (long long)PLAN);
    r = c_get(OFFICE, path);
    assert_int_equal(r_list_total(r), want);
    assert_true(r_has(r, "value=\"01/03/2022\""));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?due_from=31/02/2022", (long long)PLAN);
    r = c_get(OFFICE, path);
    assert_int_equal(r->status, 400);
    assert_true(r_has(r, "\"field\":\"due_from\""));

    /* Filters combine. */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?unit=%lld&area=II", (long long)PLAN, (long long)tccb);
    assert_int_equal(api_total(OFFICE, path, NULL, 0, NULL), 0);
}

static void test_paging_stable_urls(void **state)
{
    (void)state;
    /* Both plans together have more than one page of tasks. */
    int64_t all = h_query_int(H, "SELECT COUNT(*) FROM tasks", NULL);
    assert_true(all > 50);
    const response *p1 = c_get(OFFICE, "/tasks?status=not_started");
    assert_int_equal(p1->status, 200);
    int total = r_list_total(p1);
    assert_int_equal(total, h_query_int(H, "SELECT COUNT(*) FROM tasks WHERE status = 'not_started'", NULL));
    assert_true(total > 50);
    int64_t a[100], b[100], again[100];
    int na = r_task_ids(p1, a, 100);
    assert_int_equal(na, 50);
    /* The "next" link keeps the filter and names the page. */
    const char *next = strstr(p1->body, "rel=\"next\" href=\"");
    assert_non_null(next);
    next += strlen("rel=\"next\" href=\"");
    char href[256];
    snprintf(href, sizeof href, "%.*s", (int)(strchr(next, '"') - next), next);
    amp_unescape(href);
    assert_non_null(strstr(href, "status=not_started"));
    assert_non_null(strstr(href, "page=2"));
    assert_false(r_has(p1, "rel=\"prev\""));
    const response *p2 = c_get(OFFICE, href);
    assert_int_equal(p2->status, 200);
    int nb = r_task_ids(p2, b, 100);
    assert_int_equal(na + nb, total);
    for (int i = 0; i < nb; i++) assert_false(contains_id(a, na, b[i]));
    assert_true(r_has(p2, "rel=\"prev\""));
    assert_false(r_has(p2, "rel=\"next\""));
    /* The same URL gives the same page. */
    const response *p2b = c_get(OFFICE, href);
    assert_int_equal(r_task_ids(p2b, again, 100), nb);
    for (int i = 0; i < nb; i++) assert_int_equal(again[i], b[i]);
    /* API paging: per_page and page. */
    char path[128];
    int64_t ids[100];
    int n;
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?page=1", (long long)PLAN);
    assert_int_equal(api_total(OFFICE, path, ids, 100, &n), 47);
    assert_int_equal(n, 47);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?page=2", (long long)PLAN);
    assert_int_equal(api_total(OFFICE, path, ids, 100, &n), 47);
    assert_int_equal(n, 0);
}

/* ---------- progress updates with files ---------- */

static const char PDF_NAME[] = "Báo cáo kết quả quý II.pdf";

static const response *post_update(client *c, int64_t task, const char *status, const char *note,
                                   const char *fname, const void *data, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    mp_part parts[5] = {
        {.name = "csrf_token", .value = c_csrf(c)},
        {.name = "status", .value = status},
        {.name = "percent", .value = "60"},
        {.name = "note", .value = note},
        {.name = "files", .filename = fname, .data = data, .len = len, .content_type = "application/pdf"},
    };
    return c_post_multipart(c, path, parts, fname ? 5 : 4, NULL);
}

static void test_update_with_pdf_and_download(void **state)
{
    (void)state;
    int64_t task = h_task_id(H, "KH2022", "10");
    size_t len;
    const char *pdf = test_pdf(&len);
    int64_t before = h_updates(H, task);
    const response *r = post_update(TTRA, task, "in_progress", "Đã dự thảo quyết định bãi bỏ", PDF_NAME, pdf, len);
    assert_int_equal(r->status, 303);
    assert_non_null(strstr(r_header(r, "Location"), "#timeline"));
    assert_int_equal(h_updates(H, task), before + 1);

    char path[96];
    snprintf(path, sizeof path, "/tasks/%lld", (long long)task);
    r = c_get(TTRA, path);
    assert_int_equal(r->status, 200);
    const char *tl = strstr(r->body, "id=\"timeline\"");
    assert_non_null(tl);
    assert_non_null(strstr(tl, "Đã dự thảo quyết định bãi bỏ"));
    assert_non_null(strstr(tl, PDF_NAME));
    const char *link = strstr(tl, "href=\"/files/");
    assert_non_null(link);
    link += strlen("href=\"");
    char file[128];
    snprintf(file, sizeof file, "%.*s", (int)(strchr(link, '"') - link), link);
    assert_int_equal(strlen(file), strlen("/files/") + 64);

    r = c_get(OFFICE, file);
    assert_int_equal(r->status, 200);
    assert_int_equal(r->len, len);
    assert_memory_equal(r->body, pdf, len);
    const char *ct = r_header(r, "Content-Type");
    assert_non_null(ct);
    assert_non_null(strstr(ct, "application/pdf"));
    const char *cd = r_header(r, "Content-Disposition");
    assert_non_null(cd);
    assert_int_equal(strncmp(cd, "attachment", 10), 0);
    char *enc = url_enc(PDF_NAME), want[256];
    snprintf(want, sizeof want, "filename*=UTF-8''%s", enc);
    free(enc);
    assert_non_null(strstr(cd, want));
    assert_non_null(strstr(cd, "filename=\"Bao cao ket qua quy II.pdf\""));
    assert_string_equal(r_header(r, "X-Content-Type-Options"), "nosniff");

    /* Internal evidence is not for anonymous visitors, and they cannot tell it
     * from a file that was never uploaded: the same answer for both. */
    client *anon = c_new(H);
    const response *priv = c_get(anon, file);
    assert_int_equal(priv->status, 404);
    const response *unknown = c_get(anon, "/files/1111111111111111111111111111111111111111111111111111111111111111");
    assert_int_equal(unknown->status, 404);
    assert_int_equal(priv->len, unknown->len);                 /* the same page, but for its script nonce */
    assert_true(r_has(priv, "Không tìm thấy tệp") && r_has(unknown, "Không tìm thấy tệp"));
    assert_int_equal(c_get(anon, "/files/0000000000000000000000000000000000000000000000000000000000000000")->status, 404);
    assert_int_equal(c_get(anon, "/files/..%2F..%2Fcchc.db")->status, 404);
    c_free(anon);
}

static void test_upload_too_large_413(void **state)
{
    (void)state;
    h_options o = {.max_upload = 64 * 1024};
    harness *small = SMALL = h_start_opts(&o);
    assert_non_null(small);
    client *c = c_new(small);
    assert_int_equal(c_login_html(c, H_USER_TTRA, H_PASSWORD), 303);
    int64_t task = h_task_id(small, "KH2022", "10");
    size_t len = 100 * 1024;
    char *big = malloc(len);
    size_t plen;
    const char *pdf = test_pdf(&plen);
    memset(big, ' ', len);
    memcpy(big, pdf, plen);
    int64_t before = h_updates(small, 0);
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    mp_part parts[] = {
        {.name = "csrf_token", .value = c_csrf(c)},
        {.name = "status", .value = "in_progress"},
        {.name = "note", .value = "qua-lon"},
        {.name = "files", .filename = "lon.pdf", .data = big, .len = len, .content_type = "application/pdf"},
    };
    const response *r = c_post_multipart(c, path, parts, 4, NULL);
    assert_int_equal(r->status, 413);
    /* Same through the API. */
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    r = c_post_multipart(c, path, parts, 4, c_csrf(c));
    assert_int_equal(r->status, 413);
    assert_true(r_has(r, "payload_too_large"));
    assert_int_equal(h_updates(small, 0), before);
    /* Just under the limit is fine. */
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    parts[3].len = 32 * 1024;
    assert_int_equal(c_post_multipart(c, path, parts, 4, NULL)->status, 303);
    assert_int_equal(h_updates(small, 0), before + 1);
    free(big);
    c_free(c);
    h_stop(small);
    SMALL = NULL;
}

static void test_upload_wrong_type_415(void **state)
{
    (void)state;
    int64_t task = h_task_id(H, "KH2022", "11");
    int64_t before = h_updates(H, 0);
    int64_t files_before = h_query_int(H, "SELECT COUNT(*) FROM files", NULL);
    static const char script[] = "#!/bin/sh\necho pwned\nrm -rf \"$HOME\"\n";
    const response *r = post_update(TTRA, task, "in_progress", "script", "bao-cao.pdf", script, sizeof script - 1);
    assert_int_equal(r->status, 415);
    static const char exe[] = "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00"
                              "@\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                              "This program cannot be run in DOS mode.\r\r\n$\x00\x00\x00PE\x00\x00L\x01";
    r = post_update(TTRA, task, "in_progress", "exe", "setup.exe", exe, sizeof exe - 1);
    assert_int_equal(r->status, 415);
    /* An HTML file renamed to .pdf. */
    static const char html[] = "<html><body><script>alert(1)</script></body></html>\n";
    r = post_update(TTRA, task, "in_progress", "html", "trang.pdf", html, sizeof html - 1);
    assert_int_equal(r->status, 415);
    /* Through the API too. */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    mp_part parts[] = {
        {.name = "status", .value = "in_progress"},
        {.name = "files", .filename = "x.pdf", .data = script, .len = sizeof script - 1},
    };
    r = c_post_multipart(TTRA, path, parts, 2, c_csrf(TTRA));
    assert_int_equal(r->status, 415);
    assert_true(r_has(r, "\"field\":\"files\""));
    assert_int_equal(h_updates(H, 0), before);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM files", NULL), files_before);
}

/* ---------- escaping ---------- */

static const char XSS[] = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";

static void assert_escaped(const response *r, const char *where)
{
    if (r->status != 200) fail_msg("%s: status %ld", where, r->status);
    if (r_has(r, "<script>alert(1)") || r_has(r, "<img src=x") || r_has(r, "\"><img"))
        fail_msg("%s: the payload appears unescaped", where);
    if (!r_has(r, "&lt;script&gt;alert(1)&lt;/script&gt;")) fail_msg("%s: the escaped payload is missing", where);
}

static void test_script_injection_escaped(void **state)
{
    (void)state;
    int64_t task = h_task_id(H, "KH2022", "8");
    size_t len;
    const char *pdf = test_pdf(&len);
    char fname[128];
    snprintf(fname, sizeof fname, "<img src=x onerror=alert(2)>.pdf");
    const response *r = post_update(TTRA, task, "in_progress", XSS, fname, pdf, len);
    assert_int_equal(r->status, 303);
    /* Stored as typed. */
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM task_updates WHERE note = ?", XSS), 1);

    char path[512];
    snprintf(path, sizeof path, "/tasks/%lld", (long long)task);
    r = c_get(OFFICE, path);
    assert_escaped(r, "task page");
    assert_false(r_has(r, "<img src=x onerror=alert(2)>"));
    assert_true(r_has(r, "&lt;img src=x onerror=alert(2)&gt;.pdf"));

    /* The search box echoes the query. */
    char *q = url_enc(XSS);
    snprintf(path, sizeof path, "/tasks?q=%s", q);
    free(q);
    assert_escaped(c_get(OFFICE, path), "task list search");

    /* The department report shows the latest notes. */
    char form[128];
    snprintf(form, sizeof form, "plan=%lld&kind=q3&year=2022", (long long)PLAN);
    r = c_post_form_csrf(OFFICE, "/reports", form);
    assert_int_equal(r->status, 303);
    const char *loc = r_header(r, "Location");
    assert_non_null(loc);
    snprintf(path, sizeof path, "%s/department", loc);
    r = c_get(OFFICE, path);
    assert_escaped(r, "department report");
    /* The API returns JSON, never HTML. */
    snprintf(path, sizeof path, "/api/v1/tasks/%lld", (long long)task);
    r = c_get(OFFICE, path);
    assert_non_null(strstr(r_header(r, "Content-Type"), "application/json"));
}

/* ---------- API input errors ---------- */

static void test_api_input_errors(void **state)
{
    (void)state;
    int64_t task = h_task_id(H, "KH2022", "9");
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    int64_t before = h_updates(H, 0);
    const char *csrf = c_csrf(TTRA);
    const response *r = c_post_json(TTRA, "POST", path, "{\"status\": \"in_progress\", ", csrf);
    assert_int_equal(r->status, 400);
    assert_true(r_has(r, "\"error\""));
    r = c_post_json(TTRA, "POST", path, "[1,2,3]", csrf);
    assert_int_equal(r->status, 400);
    char hdr[128];
    snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s", csrf);
    const char *hdrs[] = {hdr, NULL};
    r = c_request(TTRA, "POST", path, "text/plain", "status=done", 11, hdrs);
    assert_int_equal(r->status, 415);
    r = c_post_json(TTRA, "POST", path, "{\"status\":\"finished\"}", csrf);
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "\"field\":\"status\""));
    r = c_post_json(TTRA, "POST", path, "{\"status\":\"in_progress\",\"percent\":101}", csrf);
    assert_int_equal(r->status, 422);
    assert_true(r_has(r, "\"field\":\"percent\""));
    size_t n = 4001;
    char *json = malloc(n + 64);
    memcpy(json, "{\"status\":\"in_progress\",\"note\":\"", 32);
    memset(json + 32, 'a', n);
    strcpy(json + 32 + n, "\"}");
    r = c_post_json(TTRA, "POST", path, json, csrf);
    assert_int_equal(r->status, 422);
    json_t *j = r_json(r);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "note");
    json_decref(j);
    /* 4000 bytes is still fine. */
    strcpy(json + 32 + 4000, "\"}");
    assert_int_equal(c_post_json(TTRA, "POST", path, json, csrf)->status, 201);
    free(json);
    assert_int_equal(h_updates(H, 0), before + 1);
    /* Unknown task. */
    assert_int_equal(c_post_json(TTRA, "POST", "/api/v1/tasks/99999999/updates", "{\"status\":\"done\"}", csrf)->status, 404);
    assert_int_equal(c_get(TTRA, "/api/v1/tasks/99999999")->status, 404);
    /* A malformed id is refused by the declared contract before the handler runs. */
    r = c_get(TTRA, "/api/v1/tasks/abc");
    assert_int_equal(r->status, 400);
    assert_true(r_has(r, "\"field\":\"id\""));
}

/* The statement cache must key on the SQL text: store_task_find builds its
 * SQL in a heap buffer, and once freed the next filter's SQL may get the same
 * address. In the release build (no ASan quarantine) that served one filter's
 * count with another filter's statement: the dashboard's overdue card led to a
 * list of every task, and "Việc của đơn vị" came out empty. Reproduced here
 * deterministically with one buffer holding two different statements. */
static void test_statement_cache_keys_on_sql_text(void **state)
{
    (void)state;
    db *d = h_db(H);
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT 1 + ?");
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    db_bind_int(s, 1, 1);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 2);
    db_step(s);
    snprintf(sql, sizeof sql, "SELECT 100 + ?");
    s = db_prepare(d, sql);
    assert_non_null(s);
    db_bind_int(s, 1, 1);
    assert_int_equal(db_step(s), DB_ROW);
    if (db_col_int(s, 0) != 101) fail_msg("db_prepare returned the statement cached for another SQL text at the same address");
    db_step(s);
}

/* ---------- headers, limits, unknown paths ---------- */

static void assert_html_security_headers(const response *r, const char *what)
{
    const char *csp = r_header(r, "Content-Security-Policy");
    if (!csp) fail_msg("%s: no CSP", what);
    const char *n = strstr(csp, "'nonce-");
    if (!n) fail_msg("%s: CSP without a nonce: %s", what, csp);
    if (!strstr(csp, "frame-ancestors 'none'")) fail_msg("%s: CSP without frame-ancestors 'none'", what);
    if (strstr(csp, "unsafe-inline")) fail_msg("%s: CSP allows unsafe-inline", what);
    const char *x = r_header(r, "X-Content-Type-Options");
    if (!x || strcmp(x, "nosniff")) fail_msg("%s: X-Content-Type-Options", what);
    if (!r_header(r, "Referrer-Policy")) fail_msg("%s: no Referrer-Policy", what);
    /* The page's scripts carry the same nonce. */
    n += 7;
    char nonce[64];
    snprintf(nonce, sizeof nonce, "%.*s", (int)(strchr(n, '\'') - n), n);
    char attr[96];
    snprintf(attr, sizeof attr, "nonce=\"%s\"", nonce);
    if (r_has(r, "<script") && !r_has(r, attr)) fail_msg("%s: script without the CSP nonce", what);
    if (r_count(r, "<script") != r_count(r, "<script nonce=")) fail_msg("%s: a script without nonce", what);
}

static void test_security_headers(void **state)
{
    (void)state;
    client *anon = c_new(H);
    char task[64], dep[64];
    snprintf(task, sizeof task, "/tasks/%lld", (long long)h_task_id(H, "KH2022", "8"));
    snprintf(dep, sizeof dep, "/public/plans/%lld", (long long)PLAN);
    const char *office_pages[] = {"/", "/tasks", task, "/my", "/reports", "/targets", "/profile", "/nope-404", NULL};
    for (int i = 0; office_pages[i]; i++) {
        const response *r = c_get(OFFICE, office_pages[i]);
        assert_non_null(strstr(r_header(r, "Content-Type"), "text/html"));
        assert_html_security_headers(r, office_pages[i]);
    }
    const char *anon_pages[] = {"/login", "/public", dep, NULL};
    for (int i = 0; anon_pages[i]; i++) assert_html_security_headers(c_get(anon, anon_pages[i]), anon_pages[i]);
    /* Error pages too (403 for the viewer on admin pages). */
    client *viewer = c_new(H);
    assert_int_equal(c_login_html(viewer, H_USER_VIEWER, H_PASSWORD), 303);
    const response *r = c_get(viewer, "/admin");
    assert_int_equal(r->status, 403);
    assert_html_security_headers(r, "403 page");
    /* A fresh nonce per response. */
    const response *a = c_get(anon, "/login"), *b = c_get(anon, "/login");
    assert_string_not_equal(r_header(a, "Content-Security-Policy"), r_header(b, "Content-Security-Policy"));
    /* Signed-in pages are not cached. */
    assert_non_null(r_header(c_get(OFFICE, "/"), "Cache-Control"));
    assert_non_null(strstr(r_header(c_get(OFFICE, "/"), "Cache-Control"), "no-store"));
    c_free(viewer);
    c_free(anon);
}

/* A path of n characters after prefix (malloc'd). */
static char *long_path(const char *prefix, char fill, size_t n)
{
    size_t pl = strlen(prefix);
    char *p = malloc(pl + n + 1);
    memcpy(p, prefix, pl);
    memset(p + pl, fill, n);
    p[pl + n] = '\0';
    return p;
}

static void test_long_url_414(void **state)
{
    (void)state;
    size_t n = h_config(H)->max_url + 100;
    /* A long path, HTML and API. */
    char *path = long_path("/tasks/", '1', n);
    const response *r = c_get(OFFICE, path);
    free(path);
    assert_int_equal(r->status, 414);
    assert_non_null(strstr(r_header(r, "Content-Type"), "text/html"));
    path = long_path("/api/v1/", 'b', n);
    r = c_get(OFFICE, path);
    free(path);
    assert_int_equal(r->status, 414);
    assert_non_null(strstr(r_header(r, "Content-Type"), "application/json"));
    assert_true(r_has(r, "\"uri_too_long\""));
    /* The limit is on the whole URL: a long query string counts too. */
    path = long_path("/api/v1/plans?x=", 'c', n);
    r = c_get(OFFICE, path);
    free(path);
    if (r->status != 414) fail_msg("GET /api/v1/plans?x=<%zu chars>: %ld, expected 414 (max_url ignores the query string)", n, r->status);
    path = long_path("/tasks?q=", 'a', n);
    r = c_get(OFFICE, path);
    free(path);
    assert_int_equal(r->status, 414);
    /* Just under the limit is served. */
    path = long_path("/api/v1/plans?x=", 'd', h_config(H)->max_url - 40);
    assert_int_equal(c_get(OFFICE, path)->status, 200);
    free(path);
    /* The server still answers normally afterwards. */
    assert_int_equal(c_get(OFFICE, "/healthz")->status, 200);
}

static void test_unknown_paths(void **state)
{
    (void)state;
    client *anon = c_new(H);
    const char *paths[] = {"/api/v1/nope", "/api/v2/plans", "/api/", NULL};
    for (int i = 0; paths[i]; i++) {
        const response *r = c_get(anon, paths[i]);
        assert_int_equal(r->status, 404);
        assert_non_null(strstr(r_header(r, "Content-Type"), "application/json"));
        json_t *j = r_json(r);
        if (!j) fail_msg("%s: not JSON: %s", paths[i], r->body);
        assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "not_found");
        json_decref(j);
    }
    const response *r = c_get(anon, "/no-such-page");
    assert_int_equal(r->status, 404);
    assert_non_null(strstr(r_header(r, "Content-Type"), "text/html"));
    r = c_get(OFFICE, "/tasks/999999");
    assert_int_equal(r->status, 404);
    /* A known path with another method. */
    r = c_post_json(anon, "PUT", "/api/v1/plans", "{}", NULL);
    assert_int_equal(r->status, 405);
    c_free(anon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dashboard_counts_match_lists),
        cmocka_unit_test(test_search_without_diacritics),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_paging_stable_urls),
        cmocka_unit_test(test_update_with_pdf_and_download),
        cmocka_unit_test(test_upload_too_large_413),
        cmocka_unit_test(test_upload_wrong_type_415),
        cmocka_unit_test(test_script_injection_escaped),
        cmocka_unit_test(test_api_input_errors),
        cmocka_unit_test(test_statement_cache_keys_on_sql_text),
        cmocka_unit_test(test_security_headers),
        cmocka_unit_test(test_long_url_414),
        cmocka_unit_test(test_unknown_paths),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
