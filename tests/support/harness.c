/* In-process test server and libcurl client (see harness.h). */
#include "harness.h"
#include "contract.h"
#include "testdb.h"
#include "cli.h"
#include "core/model.h"
#include "store/store_unit.h"
#include "store/store_user.h"
#include "web/auth.h"
#include "web/server.h"
#include <curl/curl.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

struct client;

struct harness {
    struct client *clients;   /* open clients, freed by h_stop if a failed test left them */
    config cfg;
    server *srv;
    db *db;                   /* the tests' own connection */
    char dir[256];
    char location[600];       /* the database: DIR/cchc.db or a PostgreSQL URL (support/testdb.h) */
    char base[64];
};

static char g_hash[128];      /* H_PASSWORD hashed once per process */
static pthread_t g_test_thread;           /* the thread that started the harness: cmocka's */
static char g_contract_failure[1200];     /* a contract failure seen on another thread */

static const struct { const char *name, *full_name, *role, *unit; } USERS[] = {
    {H_USER_ADMIN, "Quản trị thử", "admin", NULL},
    {H_USER_OFFICE, "Văn phòng thử", "office", "VP"},
    {H_USER_LEADER, "Lãnh đạo thử", "leader", NULL},
    {H_USER_VIEWER, "Người xem thử", "viewer", NULL},
    {H_USER_VP, "Cán bộ Văn phòng", "unit", "VP"},
    {H_USER_TTRA, "Cán bộ Thanh tra", "unit", "TTRA"},
    {H_USER_TCCB, "Cán bộ TCCB", "unit", "TCCB"},
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir)
{
    if (dir[0]) nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int add_user(db *d, const char *name, const char *full, const char *role_s, const char *unit_code)
{
    int64_t unit = 0;
    if (unit_code) {
        unit = store_unit_id_by_code(d, unit_code);
        if (unit <= 0) { fprintf(stderr, "harness: unknown unit %s\n", unit_code); return -1; }
    }
    role r = role_parse(role_s);
    if (r == ROLE_NONE) { fprintf(stderr, "harness: unknown role %s\n", role_s); return -1; }
    int64_t id = store_user_add(d, name, full, r, unit, g_hash);
    if (id <= 0) { fprintf(stderr, "harness: cannot add user %s\n", name); return -1; }
    return 0;
}

harness *h_start(void) { return h_start_opts(NULL); }

harness *h_shared;

int h_shared_setup(void **state)
{
    (void)state;
    h_shared = h_start();
    return h_shared ? 0 : -1;
}

int h_shared_teardown(void **state)
{
    (void)state;
    h_stop(h_shared);
    h_shared = NULL;
    return 0;
}

harness *h_start_opts(const h_options *o)
{
    signal(SIGPIPE, SIG_IGN);
    g_test_thread = pthread_self();
    if (auth_init() != 0) { fprintf(stderr, "harness: auth_init failed\n"); return NULL; }
    if (!g_hash[0] && auth_hash_password(H_PASSWORD, g_hash) != 0) {
        fprintf(stderr, "harness: cannot hash the test password\n");
        return NULL;
    }
    harness *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    snprintf(h->dir, sizeof h->dir, "/tmp/cchc-test-XXXXXX");
    if (!mkdtemp(h->dir)) { perror("harness: mkdtemp"); h->dir[0] = '\0'; goto fail; }
    config_defaults(&h->cfg);
    snprintf(h->cfg.data_dir, sizeof h->cfg.data_dir, "%s", h->dir);
    snprintf(h->cfg.listen_addr, sizeof h->cfg.listen_addr, "127.0.0.1");
    h->cfg.listen_port = 0;
    h->cfg.access_log = false;
    snprintf(h->cfg.today, sizeof h->cfg.today, "%s", H_TODAY);
    if (o) {
        if (o->max_upload) h->cfg.max_upload = o->max_upload;
        if (o->max_form) h->cfg.max_form = o->max_form;
        if (o->max_url) h->cfg.max_url = o->max_url;
        if (o->login_max_failures) h->cfg.login_max_failures = o->login_max_failures;
        if (o->login_ip_failures) h->cfg.login_ip_failures = o->login_ip_failures;
        if (o->login_account_hourly) h->cfg.login_account_hourly = o->login_account_hourly;
        if (o->trusted_proxies) snprintf(h->cfg.trusted_proxies, sizeof h->cfg.trusted_proxies, "%s", o->trusted_proxies);
        if (o->threads) h->cfg.threads = o->threads;
    }

    char err[512];
    if (!test_db_new(h->dir, h->location, sizeof h->location)) goto fail;
    if (test_db_is_pg()) snprintf(h->cfg.db_url, sizeof h->cfg.db_url, "%s", h->location);
    db *d = db_open(h->location, err, sizeof err);
    if (!d) { fprintf(stderr, "harness: db_open: %s\n", err); goto fail; }
    /* seed_bundled reports its counts on stdout: keep the test output clean. */
    fflush(stdout);
    int saved = dup(1), devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) { dup2(devnull, 1); close(devnull); }
    int rc = seed_bundled(d, 0, err, sizeof err);
    fflush(stdout);
    if (saved >= 0) { dup2(saved, 1); close(saved); }
    if (rc != 0) { fprintf(stderr, "harness: seed_bundled: %s\n", err); db_close(d); goto fail; }
    for (size_t i = 0; i < sizeof USERS / sizeof USERS[0]; i++)
        if (add_user(d, USERS[i].name, USERS[i].full_name, USERS[i].role, USERS[i].unit) != 0) { db_close(d); goto fail; }
    db_close(d);

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) { fprintf(stderr, "harness: curl_global_init failed\n"); goto fail; }
    h->srv = server_start(&h->cfg, err, sizeof err);
    if (!h->srv) { fprintf(stderr, "harness: server_start: %s\n", err); curl_global_cleanup(); goto fail; }
    snprintf(h->base, sizeof h->base, "http://127.0.0.1:%u", (unsigned)server_port(h->srv));
    contract_start(&h->cfg);
    return h;
fail:
    if (h->location[0]) test_db_drop(h->location);
    rm_tree(h->dir);
    free(h);
    return NULL;
}

void h_stop(harness *h)
{
    if (!h) return;
    while (h->clients) c_free(h->clients);
    server_stop(h->srv, 2000);
    db_close(h->db);
    curl_global_cleanup();
    test_db_drop(h->location);
    rm_tree(h->dir);
    free(h);
    if (g_contract_failure[0]) {
        char why[sizeof g_contract_failure];
        snprintf(why, sizeof why, "%s", g_contract_failure);
        g_contract_failure[0] = '\0';
        fail_msg("API contract (on a client thread): %s", why);
    }
}

uint16_t h_port(const harness *h) { return server_port(h->srv); }
const char *h_data_dir(const harness *h) { return h->dir; }
const char *h_db_location(const harness *h) { return h->location; }
const config *h_config(const harness *h) { return &h->cfg; }


/* Queries run on a short-lived connection of their own: a statement left
 * unfinished on a long-lived connection would pin an old snapshot. */
static db *open_db(harness *h)
{
    char err[256];
    db *d = db_open(h->location, err, sizeof err);
    if (!d) fprintf(stderr, "harness: db_open: %s\n", err);
    return d;
}

db *h_db(harness *h)
{
    if (!h->db) h->db = open_db(h);
    return h->db;
}

static int64_t query_int(harness *h, const char *sql, bool text, const char *arg, int64_t iarg)
{
    db *d = open_db(h);
    if (!d) return -1;
    int64_t v = -1;
    db_stmt *s = db_prepare(d, sql);
    if (!s) fprintf(stderr, "harness: cannot prepare %s: %s\n", sql, db_errmsg(d));
    else {
        if (text && arg) db_bind_text(s, 1, arg);
        else if (!text) db_bind_int(s, 1, iarg);
        int rc = db_step(s);
        if (rc == DB_ROW) v = db_col_int(s, 0);
        else if (rc != DB_DONE) fprintf(stderr, "harness: %s: error %d\n", sql, rc);
    }
    db_close(d);
    return v;
}

int64_t h_query_int(harness *h, const char *sql, const char *arg) { return query_int(h, sql, true, arg, 0); }
int64_t h_query_int_i(harness *h, const char *sql, int64_t arg) { return query_int(h, sql, false, NULL, arg); }

int64_t h_unit_id(harness *h, const char *code)
{
    int64_t v = h_query_int(h, "SELECT id FROM units WHERE code = ?", code);
    return v < 0 ? 0 : v;
}

int64_t h_user_id(harness *h, const char *username)
{
    int64_t v = h_query_int(h, "SELECT id FROM users WHERE username = ?", username);
    return v < 0 ? 0 : v;
}

int64_t h_plan_id(harness *h, const char *code)
{
    int64_t v = h_query_int(h, "SELECT id FROM plans WHERE code = ?", code);
    return v < 0 ? 0 : v;
}

int64_t h_task_id(harness *h, const char *plan_code, const char *number)
{
    db *d = open_db(h);
    if (!d) return 0;
    db_stmt *s = db_prepare(d, "SELECT t.id FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.code = ? AND t.number = ?");
    int64_t id = 0;
    if (s) {
        db_bind_text(s, 1, plan_code);
        db_bind_text(s, 2, number);
        if (db_step(s) == DB_ROW) id = db_col_int(s, 0);
    }
    db_close(d);
    return id;
}

int64_t h_updates(harness *h, int64_t task_id)
{
    if (task_id > 0) return h_query_int_i(h, "SELECT COUNT(*) FROM task_updates WHERE task_id = ?", task_id);
    return h_query_int(h, "SELECT COUNT(*) FROM task_updates", NULL);
}

int64_t h_audit(harness *h, const char *action)
{
    return h_query_int(h, "SELECT COUNT(*) FROM audit WHERE action = ?", action);
}

int h_spawn_serve(harness *h, uint16_t *port) { return spawn_serve(h->dir, h->location, port); }

int spawn_serve(const char *data_dir, const char *db_location, uint16_t *port)
{
    const char *bin = getenv("CCHC_TEST_BIN");
    if (!bin) bin = "build/asan/cchc";
    int out[2];
    if (pipe(out) != 0) return -1;
    char today[64];
    snprintf(today, sizeof today, "plans.today=%s", H_TODAY);
    pid_t pid = fork();
    if (pid < 0) { close(out[0]); close(out[1]); return -1; }
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execl(bin, bin, "--config", "/dev/null", "--set", today, "--set", "server.access_log=false", "--set", "server.threads=2",
              "serve", "--data", data_dir, "--db", db_location, "--listen", "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[1024];
    unsigned p = 0;
    while (f && fgets(line, sizeof line, f)) {
        const char *at = strstr(line, "http://127.0.0.1:");
        if (at && sscanf(at, "http://127.0.0.1:%u/", &p) == 1) break;
    }
    if (f) fclose(f);           /* the child's later output goes to a closed pipe: it logs to stderr only */
    if (!p) { h_kill_serve(pid); return -1; }
    *port = (uint16_t)p;
    return pid;
}

int h_start_nginx(harness *h, const char *dir, uint16_t *port)
{
    char cwd[512], conf[700], path[800];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    *port = (uint16_t)(20000 + getpid() % 20000);
    snprintf(path, sizeof path, "%s/nginx.conf", dir);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    snprintf(conf, sizeof conf, "%s/deploy/nginx", cwd);
    fprintf(f, "%sdaemon off; worker_processes 1; pid %s/nginx.pid; error_log %s/nginx.err;\n"
               "events { worker_connections 4096; }\n"
               "http { access_log off; client_body_temp_path %s/body; proxy_temp_path %s/proxy;\n"
               "  fastcgi_temp_path %s/fcgi; uwsgi_temp_path %s/uwsgi; scgi_temp_path %s/scgi;\n"
               "  include %s/cchc-http.conf;\n"
               "  upstream cchc { server 127.0.0.1:%u; keepalive 8; }\n"
               "  server { listen 127.0.0.1:%u; location / { include %s/cchc-proxy.conf; proxy_pass http://cchc; } } }\n",
            geteuid() == 0 ? "user root;\n" : "", dir, dir, dir, dir, dir, dir, dir, conf, h_port(h), *port, conf);
    fclose(f);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("nginx", "nginx", "-q", "-p", dir, "-c", path, (char *)NULL);
        _exit(127);
    }
    char pidfile[800];
    snprintf(pidfile, sizeof pidfile, "%s/nginx.pid", dir);
    for (int i = 0; i < 100 && access(pidfile, F_OK) != 0; i++) usleep(50000);   /* listening once it wrote its pid */
    usleep(100000);
    return pid;
}

void h_kill_serve(int pid)
{
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    int st;
    waitpid(pid, &st, 0);
}

int64_t h_add_user(harness *h, const char *username, const char *role_s, const char *unit_code)
{
    db *d = open_db(h);
    if (!d) return 0;
    int rc = add_user(d, username, username, role_s, unit_code);
    db_close(d);
    return rc == 0 ? h_user_id(h, username) : 0;
}

/* ---------- client ---------- */

/* Guards every harness's list of clients: tests create clients in threads. */
static pthread_mutex_t clients_lock = PTHREAD_MUTEX_INITIALIZER;

struct client {
    harness *h;
    struct client *next_client;
    CURL *curl;
    response *list;           /* every response, newest first */
    char csrf[64];
    char bearer[200];
    char cookie_val[256];
    uint16_t port;            /* 0: the harness's server */
};

client *c_new(harness *h)
{
    client *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    c->curl = curl_easy_init();
    if (!c->curl) { free(c); return NULL; }
    pthread_mutex_lock(&clients_lock);
    c->next_client = h->clients;
    h->clients = c;
    pthread_mutex_unlock(&clients_lock);
    curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c->curl, CURLOPT_PROXY, "");
    return c;
}

static void response_free(response *r)
{
    for (int i = 0; i < r->nheaders; i++) free(r->headers[i]);
    free(r->headers);
    free(r->body);
    free(r);
}

void c_set_port(client *c, uint16_t port) { c->port = port; }

void c_free(client *c)
{
    if (!c) return;
    pthread_mutex_lock(&clients_lock);
    for (client **p = &c->h->clients; *p; p = &(*p)->next_client)
        if (*p == c) { *p = c->next_client; break; }
    pthread_mutex_unlock(&clients_lock);
    for (response *r = c->list, *next; r; r = next) {
        next = r->next;
        response_free(r);
    }
    curl_easy_cleanup(c->curl);
    free(c);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    response *r = ud;
    size_t add = size * n;
    char *nb = realloc(r->body, r->len + add + 1);
    if (!nb) return 0;
    memcpy(nb + r->len, p, add);
    r->body = nb;
    r->len += add;
    r->body[r->len] = '\0';
    return add;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    response *r = ud;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {          /* a new response (e.g. after 100 Continue) */
        for (int i = 0; i < r->nheaders; i++) free(r->headers[i]);
        r->nheaders = 0;
        return len;
    }
    while (len && (p[len - 1] == '\r' || p[len - 1] == '\n')) len--;
    if (!len) return size * n;
    char **nh = realloc(r->headers, sizeof *nh * (size_t)(r->nheaders + 1));
    if (!nh) return 0;
    r->headers = nh;
    r->headers[r->nheaders++] = strndup(p, len);
    return size * n;
}

/* Fails the running test when r does not match the API document (contract.h).
 * Off the test's thread the failure is kept for h_stop to report. */
static void check_contract(client *c, const char *method, const char *path, const response *r)
{
    const char *why = contract_check(&c->h->cfg, method, path, r->status, r_header(r, "Content-Type"), r->body, r->len);
    if (!why) return;
    fprintf(stderr, "contract: %s %s answered %ld: %s\n", method, path, r->status, why);
    if (pthread_equal(pthread_self(), g_test_thread)) fail_msg("API contract: %s %s answered %ld: %s", method, path, r->status, why);
    pthread_mutex_lock(&clients_lock);
    if (!g_contract_failure[0]) snprintf(g_contract_failure, sizeof g_contract_failure, "%s %s answered %ld: %s", method, path, r->status, why);
    pthread_mutex_unlock(&clients_lock);
}

const response *c_request(client *c, const char *method, const char *path, const char *content_type,
                          const void *body, size_t len, const char *const *extra_headers)
{
    response *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->body = strdup("");
    r->next = c->list;
    c->list = r;
    char other[64];
    const char *base = c->h->base;
    if (c->port) { snprintf(other, sizeof other, "http://127.0.0.1:%u", (unsigned)c->port); base = other; }
    size_t ulen = strlen(base) + strlen(path) + 1;
    char *url = malloc(ulen);
    snprintf(url, ulen, "%s%s", base, path);
    CURL *k = c->curl;
    curl_easy_setopt(k, CURLOPT_URL, url);
    curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(k, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(k, CURLOPT_HEADERDATA, r);
    /* Reset the method-related options left by the previous request. */
    curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt(k, CURLOPT_NOBODY, 0L);
    bool has_body = body != NULL || strcmp(method, "GET") != 0;
    if (strcmp(method, "HEAD") == 0) curl_easy_setopt(k, CURLOPT_NOBODY, 1L);
    else if (has_body && strcmp(method, "GET") != 0) {
        curl_easy_setopt(k, CURLOPT_POST, 1L);
        curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(k, CURLOPT_POSTFIELDS, body ? body : "");
        if (strcmp(method, "POST") != 0) curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, method);
    }
    struct curl_slist *hl = NULL;
    hl = curl_slist_append(hl, "Expect:");
    char line[400];
    if (content_type) {
        snprintf(line, sizeof line, "Content-Type: %s", content_type);
        hl = curl_slist_append(hl, line);
    } else if (has_body) {
        hl = curl_slist_append(hl, "Content-Type:");
    }
    if (c->bearer[0]) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", c->bearer);
        hl = curl_slist_append(hl, line);
    }
    for (int i = 0; extra_headers && extra_headers[i]; i++) hl = curl_slist_append(hl, extra_headers[i]);
    curl_easy_setopt(k, CURLOPT_HTTPHEADER, hl);
    CURLcode rc = curl_easy_perform(k);
    if (rc == CURLE_OK) curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &r->status);
    else {
        fprintf(stderr, "harness: %s %s: %s\n", method, path, curl_easy_strerror(rc));
        r->status = 0;
    }
    curl_easy_setopt(k, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hl);
    free(url);
    check_contract(c, method, path, r);
    return r;
}

const response *c_get(client *c, const char *path) { return c_request(c, "GET", path, NULL, NULL, 0, NULL); }

const response *c_post_form(client *c, const char *path, const char *form)
{
    return c_request(c, "POST", path, "application/x-www-form-urlencoded", form, strlen(form), NULL);
}

const response *c_post_form_csrf(client *c, const char *path, const char *form)
{
    char *tok = url_enc(c->csrf);
    size_t n = strlen(form) + strlen(tok) + 16;
    char *body = malloc(n);
    snprintf(body, n, "%s%scsrf_token=%s", form, form[0] ? "&" : "", tok);
    const response *r = c_post_form(c, path, body);
    free(body);
    free(tok);
    return r;
}

const response *c_post_json(client *c, const char *method, const char *path, const char *json, const char *csrf_header)
{
    char line[128];
    const char *hdrs[2] = {NULL, NULL};
    if (csrf_header) {
        snprintf(line, sizeof line, "X-CSRF-Token: %s", csrf_header);
        hdrs[0] = line;
    }
    return c_request(c, method, path, "application/json", json, json ? strlen(json) : 0, hdrs);
}

/* Appends n bytes to a growing buffer. */
typedef struct { char *p; size_t len, cap; } growbuf;
static void gb_add(growbuf *g, const void *s, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap ? g->cap : 1024;
        while (cap < g->len + n + 1) cap *= 2;
        char *np = realloc(g->p, cap);
        if (!np) abort();
        g->p = np;
        g->cap = cap;
    }
    memcpy(g->p + g->len, s, n);
    g->len += n;
    g->p[g->len] = '\0';
}
static void gb_puts(growbuf *g, const char *s) { gb_add(g, s, strlen(s)); }

const response *c_post_multipart(client *c, const char *path, const mp_part *parts, int nparts, const char *csrf_header)
{
    static const char boundary[] = "----cchcTestBoundary7MA4YWxkTrZu0gW";
    growbuf g = {0};
    for (int i = 0; i < nparts; i++) {
        const mp_part *p = &parts[i];
        gb_puts(&g, "--");
        gb_puts(&g, boundary);
        gb_puts(&g, "\r\nContent-Disposition: form-data; name=\"");
        gb_puts(&g, p->name);
        gb_puts(&g, "\"");
        if (p->filename) {
            gb_puts(&g, "; filename=\"");
            gb_puts(&g, p->filename);
            gb_puts(&g, "\"\r\nContent-Type: ");
            gb_puts(&g, p->content_type ? p->content_type : "application/octet-stream");
            gb_puts(&g, "\r\n\r\n");
            gb_add(&g, p->data, p->len);
        } else {
            gb_puts(&g, "\r\n\r\n");
            gb_puts(&g, p->value ? p->value : "");
        }
        gb_puts(&g, "\r\n");
    }
    gb_puts(&g, "--");
    gb_puts(&g, boundary);
    gb_puts(&g, "--\r\n");
    char ct[128], line[128];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", boundary);
    const char *hdrs[2] = {NULL, NULL};
    if (csrf_header) {
        snprintf(line, sizeof line, "X-CSRF-Token: %s", csrf_header);
        hdrs[0] = line;
    }
    const response *r = c_request(c, "POST", path, ct, g.p, g.len, hdrs);
    free(g.p);
    return r;
}

void c_set_bearer(client *c, const char *token)
{
    snprintf(c->bearer, sizeof c->bearer, "%s", token ? token : "");
}

void c_clear_cookies(client *c)
{
    curl_easy_setopt(c->curl, CURLOPT_COOKIELIST, "ALL");
    c->csrf[0] = '\0';
}

void c_set_cookie(client *c, const char *name, const char *value)
{
    char line[512];
    /* Netscape format: domain, tailmatch, path, secure, expires, name, value. */
    snprintf(line, sizeof line, "127.0.0.1\tFALSE\t/\tFALSE\t0\t%s\t%s", name, value);
    curl_easy_setopt(c->curl, CURLOPT_COOKIELIST, line);
}

const char *c_cookie(client *c, const char *name)
{
    struct curl_slist *cookies = NULL;
    const char *found = NULL;
    if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &cookies) != CURLE_OK) return NULL;
    for (struct curl_slist *s = cookies; s; s = s->next) {
        /* domain \t tailmatch \t path \t secure \t expires \t name \t value */
        const char *f = s->data;
        for (int i = 0; i < 5 && f; i++) {
            f = strchr(f, '\t');
            if (f) f++;
        }
        if (!f) continue;
        const char *tab = strchr(f, '\t');
        if (!tab || (size_t)(tab - f) != strlen(name) || strncmp(f, name, strlen(name)) != 0) continue;
        snprintf(c->cookie_val, sizeof c->cookie_val, "%s", tab + 1);
        found = c->cookie_val;
    }
    curl_slist_free_all(cookies);
    return found;
}

void c_learn_csrf(client *c, const response *r)
{
    char tok[64];
    if (r && r->body && html_input_value(r->body, "csrf_token", tok, sizeof tok))
        snprintf(c->csrf, sizeof c->csrf, "%s", tok);
}

long c_login_html(client *c, const char *username, const char *password)
{
    const response *r = c_get(c, "/login");
    c_learn_csrf(c, r);
    char *u = url_enc(username), *p = url_enc(password);
    size_t n = strlen(u) + strlen(p) + 32;
    char *form = malloc(n);
    snprintf(form, n, "username=%s&password=%s", u, p);
    r = c_post_form_csrf(c, "/login", form);
    free(form);
    free(u);
    free(p);
    long status = r->status;
    if (status == 303) c_learn_csrf(c, c_get(c, "/"));
    return status;
}

const char *c_login_api(client *c, const char *username, const char *password)
{
    /* Build the JSON by hand: test names and passwords need no escaping. */
    size_t n = strlen(username) + strlen(password) + 64;
    char *json = malloc(n);
    snprintf(json, n, "{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
    const response *r = c_post_json(c, "POST", "/api/v1/session", json, NULL);
    free(json);
    if (r->status != 200) return NULL;
    const char *k = strstr(r->body, "\"csrf_token\"");
    if (!k) return NULL;
    k = strchr(k + 12, '"');
    if (!k) return NULL;
    k++;
    const char *end = strchr(k, '"');
    if (!end || (size_t)(end - k) >= sizeof c->csrf) return NULL;
    snprintf(c->csrf, sizeof c->csrf, "%.*s", (int)(end - k), k);
    return c->csrf;
}

const char *c_csrf(const client *c) { return c->csrf; }
const response *c_last(const client *c) { return c->list; }

/* ---------- helpers ---------- */

const char *r_header_n(const response *r, const char *name, int n)
{
    size_t nl = strlen(name);
    for (int i = 0; i < r->nheaders; i++) {
        const char *hline = r->headers[i];
        if (strncasecmp(hline, name, nl) == 0 && hline[nl] == ':') {
            if (n-- > 0) continue;
            const char *v = hline + nl + 1;
            while (*v == ' ' || *v == '\t') v++;
            return v;
        }
    }
    return NULL;
}

const char *r_header(const response *r, const char *name) { return r_header_n(r, name, 0); }

json_t *r_json(const response *r)
{
    json_error_t e;
    return r && r->body ? json_loadb(r->body, r->len, 0, &e) : NULL;
}

bool r_has(const response *r, const char *needle) { return r && r->body && strstr(r->body, needle) != NULL; }

int r_count(const response *r, const char *needle)
{
    int n = 0;
    size_t nl = strlen(needle);
    if (!r || !r->body || !nl) return 0;
    for (const char *p = r->body; (p = strstr(p, needle)); p += nl) n++;
    return n;
}

static void html_unescape(const char *s, size_t len, char *out, size_t n)
{
    static const struct { const char *ent; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#x27;", '\''}};
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < n;) {
        bool done = false;
        if (s[i] == '&') {
            for (size_t e = 0; e < sizeof ents / sizeof ents[0]; e++) {
                size_t el = strlen(ents[e].ent);
                if (i + el <= len && strncmp(s + i, ents[e].ent, el) == 0) {
                    out[o++] = ents[e].c;
                    i += el;
                    done = true;
                    break;
                }
            }
        }
        if (!done) out[o++] = s[i++];
    }
    if (n) out[o] = '\0';
}

bool html_input_value(const char *html, const char *name, char *out, size_t n)
{
    char pat[128];
    snprintf(pat, sizeof pat, "name=\"%s\"", name);
    for (const char *p = html; (p = strstr(p, pat)); p += strlen(pat)) {
        const char *tag_end = strchr(p, '>');
        const char *v = strstr(p, "value=\"");
        if (!v || (tag_end && v > tag_end)) continue;
        v += 7;
        const char *q = strchr(v, '"');
        if (!q) return false;
        html_unescape(v, (size_t)(q - v), out, n);
        return true;
    }
    return false;
}

char *html_esc(const char *s)
{
    char *out = malloc(strlen(s) * 6 + 1), *o = out;
    for (; *s; s++) {
        const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
        if (rep) { strcpy(o, rep); o += strlen(rep); }
        else *o++ = *s;
    }
    *o = '\0';
    return out;
}

char *url_enc(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

const char *test_pdf(size_t *len)
{
    static const char pdf[] =
        "%PDF-1.4\n"
        "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
        "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
        "trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n";
    if (len) *len = sizeof pdf - 1;
    return pdf;
}

/* ---------- helpers shared by several HTTP tests ---------- */

client *c_new_logged_in(harness *h, const char *username)
{
    client *c = c_new(h);
    if (c && c_login_html(c, username, H_PASSWORD) != 303) {
        c_free(c);
        return NULL;
    }
    return c;
}

harness *h_start_logged_in(client **first, ...)
{
    harness *h = h_start();
    if (!h) return NULL;
    bool ok = true;
    va_list ap;
    va_start(ap, first);
    for (client **c = first; c && ok; c = va_arg(ap, client **)) {
        *c = c_new_logged_in(h, va_arg(ap, const char *));
        ok = *c != NULL;
    }
    va_end(ap);
    if (ok) return h;
    h_stop(h);
    return NULL;
}

const response *c_post_task_update(client *c, int64_t task_id, const char *form)
{
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task_id);
    return c_post_form_csrf(c, path, form);
}

const char *h_unit_name(harness *h, const char *code, char *out, size_t n)
{
    db_stmt *s = db_prepare(h_db(h), "SELECT name FROM units WHERE code = ?");
    db_bind_text(s, 1, code);
    out[0] = '\0';
    if (db_step(s) == DB_ROW) snprintf(out, n, "%s", db_col_text(s, 0));
    db_step(s);
    return out;
}

int r_has_each_row(harness *h, const response *r, const char *sql, int64_t arg, char *missing, size_t n)
{
    db_stmt *s = db_prepare(h_db(h), sql);
    db_bind_int(s, 1, arg);
    int rows = 0;
    while (db_step(s) == DB_ROW) {
        char *esc = html_esc(db_col_text(s, 0));
        bool found = r_has(r, esc);
        free(esc);
        if (!found) {
            snprintf(missing, n, "%s", db_col_text(s, 0));
            return -1;
        }
        rows++;
    }
    return rows;
}

const char *r_submission_state(const response *r, const char *unit_name)
{
    char *esc = html_esc(unit_name);
    char pat[600];
    snprintf(pat, sizeof pat, "\"><td>%s</td>", esc);
    free(esc);
    const char *p = strstr(r->body, pat);
    if (!p) return NULL;
    /* Walk back to the <tr class="..."> of that row. */
    const char *tr = p;
    while (tr > r->body && strncmp(tr, "<tr class=\"", 11) != 0) tr--;
    if (strncmp(tr + 11, "submitted", 9) == 0) return "submitted";
    if (strncmp(tr + 11, "missing", 7) == 0) return "missing";
    return NULL;
}

int r_list_total(const response *r)
{
    const char *p = strstr(r->body, "<div class=\"pager\"><span>");
    if (!p) return -1;
    p += strlen("<div class=\"pager\"><span>");
    while (*p && (*p < '0' || *p > '9') && *p != '<') p++;
    return (*p >= '0' && *p <= '9') ? atoi(p) : -1;
}

int r_task_ids(const response *r, int64_t *ids, int max)
{
    int n = 0;
    for (const char *p = r->body; (p = strstr(p, "href=\"/tasks/")) && n < max; p++) {
        p += strlen("href=\"/tasks/");
        if (*p < '0' || *p > '9') continue;
        ids[n++] = atoll(p);
    }
    return n;
}

void amp_unescape(char *s)
{
    char *o = s;
    for (const char *p = s; *p;) {
        if (strncmp(p, "&amp;", 5) == 0) { *o++ = '&'; p += 5; }
        else *o++ = *p++;
    }
    *o = '\0';
}
