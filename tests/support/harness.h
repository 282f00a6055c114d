#ifndef CCHC_TEST_HARNESS_H
#define CCHC_TEST_HARNESS_H
/* An in-process test server and a libcurl client for the HTTP tests.
 *
 * h_start() makes a fresh data directory under /tmp, seeds the bundled units,
 * plans and targets (no demo progress), creates one account per role (see
 * H_USER_* below, all with the password H_PASSWORD) and serves on 127.0.0.1
 * with a free port. "Today" is fixed to H_TODAY so due/overdue results are
 * deterministic against the 2022 plan. h_stop() stops the server and removes
 * the directory.
 *
 * A client keeps its own cookie jar. Every response it returns stays valid
 * until c_free(), which frees them all: tests never free a response. */
#include "config.h"
#include "store/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define H_TODAY "2022-06-15"
#define H_PASSWORD "Mat-khau-thu-2022"

/* The accounts every harness has. */
#define H_USER_ADMIN "admin"          /* role admin, no unit */
#define H_USER_OFFICE "office"        /* role office, unit VP */
#define H_USER_LEADER "leader"        /* role leader, no unit */
#define H_USER_VIEWER "viewer"        /* role viewer, no unit */
#define H_USER_VP "unit_vp"           /* role unit, unit VP (Văn phòng) */
#define H_USER_TTRA "unit_ttra"       /* role unit, unit TTRA (Thanh tra) */
#define H_USER_TCCB "unit_tccb"       /* role unit, unit TCCB */

typedef struct harness harness;

typedef struct {
    size_t max_upload;        /* 0: the default */
    size_t max_form;          /* 0: the default */
    size_t max_url;           /* 0: the default */
    int login_max_failures;   /* 0: the default */
    int threads;              /* 0: the default (one per core) */
    int login_ip_failures;    /* 0: the default */
    int login_account_hourly; /* 0: the default */
    const char *trusted_proxies;   /* NULL: none */
} h_options;

/* Starts a seeded server with the default configuration; NULL (with a message
 * on stderr) on failure. */
harness *h_start(void);
/* Same, with some limits changed. */
harness *h_start_opts(const h_options *o);
void h_stop(harness *h);

/* cmocka group fixtures for a test file that shares one default harness,
 * kept in h_shared while the group runs. */
extern harness *h_shared;
int h_shared_setup(void **state);
int h_shared_teardown(void **state);

uint16_t h_port(const harness *h);
const char *h_data_dir(const harness *h);
/* The database location (DIR/cchc.db or a PostgreSQL URL): for --db and db_open. */
const char *h_db_location(const harness *h);
const config *h_config(const harness *h);
/* A second database connection for assertions (opened on first use, closed by h_stop). */
db *h_db(harness *h);
/* Runs a query returning one integer (first column of the first row); the
 * optional text argument binds to the first '?'. -1 on error. */
int64_t h_query_int(harness *h, const char *sql, const char *arg);
/* Same with an integer argument. */
int64_t h_query_int_i(harness *h, const char *sql, int64_t arg);
/* The id of a unit by code (0 if unknown); of a user by name. */
int64_t h_unit_id(harness *h, const char *code);
int64_t h_user_id(harness *h, const char *username);
/* The id of the plan with this code (e.g. "KH2022"), 0 if unknown. */
int64_t h_plan_id(harness *h, const char *code);
/* The id of task NUMBER ("4", "12.a") of the plan with code plan_code, 0 if none. */
int64_t h_task_id(harness *h, const char *plan_code, const char *number);
/* Rows in task_updates (all, or of one task when task_id > 0). */
int64_t h_updates(harness *h, int64_t task_id);
/* Audit rows with this action. */
int64_t h_audit(harness *h, const char *action);
/* Starts another instance, a `cchc serve` process (CCHC_TEST_BIN) on the
 * harness's data directory and database, with the harness's "today"; returns its
 * pid and sets *port, or -1 on failure. h_kill_serve stops it (SIGTERM, waits). */
int h_spawn_serve(harness *h, uint16_t *port);
/* Starts nginx on 127.0.0.1 with the shipped deploy/nginx/ files in front of the
 * harness's server, its files in dir; returns its pid (stop it with
 * h_kill_serve) and sets *port, or -1. The working directory must be the repository's. */
int h_start_nginx(harness *h, const char *dir, uint16_t *port);
/* Same for any data directory and database location. */
int spawn_serve(const char *data_dir, const char *db_location, uint16_t *port);
void h_kill_serve(int pid);
/* Adds an account with password H_PASSWORD; unit_code may be NULL. Returns its id. */
int64_t h_add_user(harness *h, const char *username, const char *role, const char *unit_code);

/* ---------- client ---------- */

typedef struct response {
    long status;
    char *body;               /* NUL-terminated */
    size_t len;
    char **headers;           /* "Name: value" lines without CRLF, last response only (after redirects none are followed) */
    int nheaders;
    struct response *next;    /* the client's list */
} response;

typedef struct client client;

/* A part of a multipart/form-data body: a text field (filename NULL, value
 * set) or a file (filename set, data/len the bytes). */
typedef struct {
    const char *name;
    const char *value;
    const char *filename;
    const void *data;
    size_t len;
    const char *content_type; /* for files; default application/octet-stream */
} mp_part;

client *c_new(harness *h);
/* Points the client at another server on 127.0.0.1 (e.g. a second instance from
 * h_spawn_serve); 0 goes back to the harness's own. Cookies are kept. */
void c_set_port(client *c, uint16_t port);
void c_free(client *c);

/* The general request: extra_headers is NULL or a NULL-terminated list of "Name: value". */
const response *c_request(client *c, const char *method, const char *path, const char *content_type,
                          const void *body, size_t len, const char *const *extra_headers);
const response *c_get(client *c, const char *path);
/* POST application/x-www-form-urlencoded; form is already encoded ("a=1&b=2"). */
const response *c_post_form(client *c, const char *path, const char *form);
/* Same, appending csrf_token=<the client's current session token>. */
const response *c_post_form_csrf(client *c, const char *path, const char *form);
/* A request with a JSON body (Content-Type: application/json); csrf_header,
 * when not NULL, is sent as X-CSRF-Token. */
const response *c_post_json(client *c, const char *method, const char *path, const char *json, const char *csrf_header);
/* POST multipart/form-data built from parts; csrf_header as above (NULL: none). */
const response *c_post_multipart(client *c, const char *path, const mp_part *parts, int nparts, const char *csrf_header);

/* Sends "Authorization: Bearer token" with every following request (NULL stops). */
void c_set_bearer(client *c, const char *token);
/* Drops every cookie of the client (an anonymous visitor again). */
void c_clear_cookies(client *c);
/* Sets a cookie in the client's jar for the test server ("name=value"). */
void c_set_cookie(client *c, const char *name, const char *value);
/* The value of a cookie in the jar, or NULL; owned by the client until the next call. */
const char *c_cookie(client *c, const char *name);

/* Logs in through the HTML form: GET /login, read its csrf_token, POST /login.
 * Returns the POST's status (303 on success). On success the client's CSRF
 * token (c_csrf) is the session's, read from a logged-in page. */
long c_login_html(client *c, const char *username, const char *password);
/* Logs in through POST /api/v1/session; returns the csrf_token (owned by the
 * client) or NULL on failure (c_last(c) tells why). */
const char *c_login_api(client *c, const char *username, const char *password);
/* The CSRF token the client last learned ("" if none). */
const char *c_csrf(const client *c);
/* Reads the csrf_token hidden field of a page into the client's token. */
void c_learn_csrf(client *c, const response *r);
/* The most recent response (NULL before the first request). */
const response *c_last(const client *c);

/* ---------- response helpers ---------- */

/* Value of the first header called name (case-insensitive), or NULL. Owned by r. */
const char *r_header(const response *r, const char *name);
/* The n-th header called name (0-based), or NULL. */
const char *r_header_n(const response *r, const char *name, int n);
/* True when the body contains needle. */
bool r_has(const response *r, const char *needle);
/* The body parsed as JSON (NULL if it is not); the caller json_decref()s it. */
json_t *r_json(const response *r);
/* How many times needle occurs in the body. */
int r_count(const response *r, const char *needle);
/* Copies the value of the first <input name="NAME" value="..."> (attribute
 * order name then value, as the pages write it) into out; false if absent.
 * HTML entities &amp; &lt; &gt; &quot; &#39; are decoded. */
bool html_input_value(const char *html, const char *name, char *out, size_t n);
/* HTML-escapes s (& < > " ' as the pages write them) into a malloc'd string. */
char *html_esc(const char *s);
/* Percent-encodes s for a query string or form value into a malloc'd string. */
char *url_enc(const char *s);
/* A small valid PDF (about 300 bytes), for evidence uploads. */
const char *test_pdf(size_t *len);

/* ---------- helpers shared by several HTTP tests ---------- */

/* A new client logged in through the HTML form as username (password
 * H_PASSWORD); NULL when the login does not answer 303. */
client *c_new_logged_in(harness *h, const char *username);
/* Starts a server (h_start) and logs in one client per (client **, username)
 * pair that follows, up to a NULL: h_start_logged_in(&OFFICE, H_USER_OFFICE, NULL).
 * NULL (the server stopped) when the start or a login fails. */
harness *h_start_logged_in(client **first, ...);
/* POSTs form (encoded; the CSRF token is appended) to /tasks/{task_id}/updates. */
const response *c_post_task_update(client *c, int64_t task_id, const char *form);
/* Copies the name of the unit with this code into out (n bytes; "" when unknown); returns out. */
const char *h_unit_name(harness *h, const char *code, char *out, size_t n);
/* Checks that each row of sql (one text column; '?' bound to arg) appears
 * HTML-escaped in r's body: returns the number of rows, or -1 after copying
 * the first missing text into missing (n bytes). */
int r_has_each_row(harness *h, const response *r, const char *sql, int64_t arg, char *missing, size_t n);
/* The class of a unit's row (by name) in a period's submissions table:
 * "submitted", "missing", or NULL when the unit is not listed. */
const char *r_submission_state(const response *r, const char *unit_name);
/* The N of "Tổng N nhiệm vụ" in a task list page's pager, or -1. */
int r_list_total(const response *r);
/* Collects up to max task ids linked from a list page (href="/tasks/ID"), in order; returns how many. */
int r_task_ids(const response *r, int64_t *ids, int max);
/* Replaces every "&amp;" in s by "&", in place. */
void amp_unescape(char *s);
#endif
