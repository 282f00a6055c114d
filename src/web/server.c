/* libmicrohttpd glue: request lifecycle, body limits, dispatch, security
 * headers, access log (see server.h). */
#include "web/server.h"
#include "web/auth.h"
#include "web/router.h"
#include "web/api/api_op.h"
#include "calendar_current.h"
#include "core/i18n.h"
#include "core/netaddr.h"
#include "store/db.h"
#include "store/store_user.h"
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

struct server {
    struct MHD_Daemon *daemon;
    const config *cfg;
    char db_path[600];
    pthread_mutex_t lock;
    db *conns[256];          /* per-worker connections, closed at stop */
    int nconns;
    atomic_uint_fast64_t next_id;
    atomic_int in_flight;
};

#define EARLY_DENIED 1      /* early_status: the caller may not send this body */

typedef struct {
    uint64_t id;
    struct timespec start;
    char method[16];
    char *path;
    const route *rt;
    bool path_known;
    int early_status;        /* 413/414 decided before the body was read */
    buf body;
    size_t limit;
    int status;
    uint64_t bytes;
    bool counted;
    char *params[REQ_MAX_PARAMS];   /* path parameters found by the first match, moved into the req */
    int nparams;
} conn_state;

static __thread db *t_db;
static __thread server *t_db_owner;

static db *worker_db(server *s)
{
    if (t_db && t_db_owner == s) return t_db;
    char err[256];
    db *d = db_open(s->db_path, err, sizeof err);
    if (!d) { fprintf(stderr, "cchc: %s\n", err); return NULL; }
    pthread_mutex_lock(&s->lock);
    if (s->nconns < (int)(sizeof s->conns / sizeof s->conns[0])) s->conns[s->nconns++] = d;
    pthread_mutex_unlock(&s->lock);
    t_db = d;
    t_db_owner = s;
    return d;
}

const char *req_header(const req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(const req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    req *r = cls;
    if (r->nqs >= REQ_MAX_FIELDS) return MHD_NO;
    r->qs[r->nqs].name = strdup(key);
    r->qs[r->nqs].value = strdup(value ? value : "");
    r->nqs++;
    return MHD_YES;
}

static void client_ip(struct MHD_Connection *c, char out[64])
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, 64);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, 64);
}

/* Behind a trusted reverse proxy, the client is the right-most untrusted address
 * of X-Forwarded-For (or X-Real-IP); anyone else's headers are ignored, so a
 * client cannot choose the address it is throttled under. */
static void forwarded_client_ip(struct MHD_Connection *c, const config *cfg, char ip[64])
{
    if (!cfg->trusted_proxies[0]) return;
    char peer[64];
    snprintf(peer, sizeof peer, "%s", ip);
    addr_forwarded_client(cfg->trusted_proxies, peer, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For"),
                          MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP"), ip, 64);
}

static void add_security_headers(struct MHD_Response *resp, const req *r, bool html)
{
    if (r->nonce[0]) {
        char csp[256];
        snprintf(csp, sizeof csp, "default-src 'self'; script-src 'self' 'nonce-%s'; style-src 'self'; img-src 'self' data:; "
                                  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", r->nonce);
        MHD_add_response_header(resp, "Content-Security-Policy", csp);
    } else {
        MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if ((html || r->user.role != ROLE_NONE) && !MHD_get_response_header(resp, "Cache-Control"))
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->cfg->https) MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result send_resp(struct MHD_Connection *c, conn_state *st, req *r, resp *w)
{
    struct MHD_Response *mr;
    if (w->file_fd >= 0) {
        mr = MHD_create_response_from_fd64(w->file_size, w->file_fd);
        st->bytes = w->file_size;
    } else {
        size_t len = w->body.len;
        char *body = buf_take(&w->body);
        mr = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
        st->bytes = len;
    }
    if (!mr) return MHD_NO;
    if (w->content_type) MHD_add_response_header(mr, "Content-Type", w->content_type);
    for (int i = 0; i < w->nheaders; i++) MHD_add_response_header(mr, w->headers[i][0], w->headers[i][1]);
    add_security_headers(mr, r, w->content_type && strncmp(w->content_type, "text/html", 9) == 0);
    st->status = w->status ? w->status : 200;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)st->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static void parse_body(req *r)
{
    const char *ct = r->content_type;
    if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
        r->nform = parse_urlencoded(r->body, r->body_len, r->form, REQ_MAX_FIELDS);
    } else if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
        if (parse_multipart(ct, r->body, r->body_len, r->form, &r->nform, REQ_MAX_FIELDS,
                            r->uploads, &r->nuploads, REQ_MAX_UPLOADS) != 0)
            r->body_parse_error = true;
    }
}

static void dispatch(server *s, conn_state *st, req *r, resp *w)
{
    r->want_json = strncmp(r->path, "/api/", 5) == 0 || (st->rt && st->rt->kind == KIND_JSON);
    r->db = worker_db(s);
    if (!r->db) { resp_error(r, w, 503, "unavailable", _("Cơ sở dữ liệu không sẵn sàng."), NULL); return; }
    auth_identify(r, w);
    if (st->early_status == 414) { resp_error(r, w, 414, "uri_too_long", _("Địa chỉ quá dài."), NULL); return; }
    if (!st->rt) {
        if (st->path_known) {
            resp_error(r, w, 405, "method_not_allowed", _("Phương thức không được hỗ trợ."), NULL);
            char allow[64];
            router_allowed_methods(r->path, allow, sizeof allow);
            resp_header(w, "Allow", allow);
        }
        else resp_error(r, w, 404, "not_found", _("Không tìm thấy trang hoặc tài nguyên."), NULL);
        return;
    }
    if (st->early_status == 413) {
        resp_error(r, w, 413, "payload_too_large", _("Dữ liệu gửi lên vượt quá giới hạn cho phép."), NULL);
        return;
    }
    if (st->early_status == EARLY_DENIED && router_authorize(r, w)) {
        /* allowed now after all (a session created in between): the body was not read */
        resp_error(r, w, 409, "retry", _("Vui lòng gửi lại yêu cầu."), NULL);
        return;
    }
    if (st->early_status == EARLY_DENIED) return;
    parse_body(r);
    if (!router_authorize(r, w)) return;
    if (r->body_parse_error) {
        resp_error(r, w, 400, "bad_request", _("Nội dung gửi lên không đúng định dạng."), NULL);
        return;
    }
    if (r->route->op && !api_check_params(r->route->op, r, w)) return;
    r->route->fn(r, w);
    if (w->status == 0) w->status = 200;
}

/* Answers 503: the database cannot be reached now. */
static void db_unavailable(req *r, resp *w)
{
    r->want_json = r->want_json || strncmp(r->path, "/api/", 5) == 0;
    resp_error(r, w, 503, "unavailable", _("Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút."), NULL);
    resp_header(w, "Retry-After", "5");
}

/* Builds the request, runs it and queues the response. */
static enum MHD_Result respond(server *s, conn_state *st, struct MHD_Connection *c, const char *url, const char *method)
{
    req r = {0};
    resp w = {.file_fd = -1};
    r.method = method;
    r.path = url;
    r.conn = c;
    r.cfg = s->cfg;
    r.id = st->id;
    r.route = st->rt;
    r.body = buf_str(&st->body);
    r.body_len = st->body.len;
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    r.content_type = ct ? ct : "";
    r.query = "";
    client_ip(c, r.client_ip);
    forwarded_client_ip(c, s->cfg, r.client_ip);
    bool json = strncmp(url, "/api/", 5) == 0 || (st->rt && st->rt->kind == KIND_JSON);
    if (!json) {        /* a script nonce only where a page is rendered */
        unsigned char nonce_raw[16];
        randombytes_buf(nonce_raw, sizeof nonce_raw);
        sodium_bin2base64(r.nonce, sizeof r.nonce, nonce_raw, sizeof nonce_raw, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &r);
    for (int i = 0; i < st->nparams; i++) r.params[i] = st->params[i];   /* the req now owns them */
    r.nparams = st->nparams;
    st->nparams = 0;
    bool read_only = (!strcmp(method, "GET") || !strcmp(method, "HEAD")) && !(st->rt && st->rt->writes);
    db *d = worker_db(s);
    if (read_only && d && st->rt && st->rt->cached) {   /* before the first query: see db_current_generation */
        r.gen = db_current_generation(d);
        r.has_gen = true;
    }
    bool in_read = read_only && d && db_read_begin(d) == DB_OK;
    /* The database server unreachable (restarting, failing over): 503 with a
     * message, before or after the handler; db_lost reconnects when it can. */
    if (!db_lost(d)) {
        cal_read_begin();                /* the calendar this request uses stays until cal_read_end */
        if (d) cal_current_refresh(d);   /* calendar edits made by another instance */
        dispatch(s, st, &r, &w);
        cal_read_end();
    }
    if (db_lost(d)) db_unavailable(&r, &w);
    if (in_read) db_read_end(d);
    else if (d) db_idle(d);             /* no read snapshot outlives the request */
    if (d && r.touch_session && r.user.session_id) store_session_touch(d, r.user.session_id, db_now());
    if (d && r.touch_token_id > 0) store_token_touch(d, r.touch_token_id);
    enum MHD_Result ret = send_resp(c, st, &r, &w);
    req_free(&r);
    resp_free(&w);
    return ret;
}

/* Adds one query argument's length to the running total in cls. */
static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 2;
    return MHD_YES;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decodes a URL path or query component in place, except "%00": a NUL
 * would silently cut the C string (so "/tasks%00/x" stays unroutable, not "/tasks"). */
static size_t unescape_no_nul(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls; (void)c;
    char *out = s;
    for (const char *in = s; *in; in++) {
        int hi, lo;
        if (*in == '%' && (hi = hex_digit(in[1])) >= 0 && (lo = hex_digit(in[2])) >= 0 && (hi | lo)) {
            *out++ = (char)(hi * 16 + lo);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

/* True when the caller of a request to st->rt holds its capability (checked
 * before the body is read, so anonymous callers cannot make us buffer uploads). */
static bool caller_allowed(server *s, conn_state *st, struct MHD_Connection *c)
{
    req probe = {.conn = c, .cfg = s->cfg, .route = st->rt, .db = worker_db(s)};
    resp scratch = {.file_fd = -1};
    if (!probe.db) return false;
    auth_identify(&probe, &scratch);
    db_idle(probe.db);
    resp_free(&scratch);
    if (db_lost(probe.db)) return true;      /* not a refusal: the request will answer 503 */
    return role_has(probe.user.role, st->rt->cap);
}

/* First call for a request: route it and decide 413/414 before any body is read. */
static void start_request(server *s, conn_state *st, struct MHD_Connection *c, const char *url, const char *method)
{
    clock_gettime(CLOCK_MONOTONIC, &st->start);
    st->id = atomic_fetch_add(&s->next_id, 1) + 1;
    snprintf(st->method, sizeof st->method, "%s", method);
    st->path = strdup(url);
    atomic_fetch_add(&s->in_flight, 1);
    st->counted = true;
    size_t url_len = strlen(url);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, count_arg, &url_len);
    if (url_len > s->cfg->max_url) { st->early_status = 414; return; }
    req probe = {0};
    st->rt = router_match(method, url, &probe, &st->path_known);
    for (int i = 0; i < probe.nparams; i++) st->params[i] = probe.params[i];
    st->nparams = probe.nparams;
    st->limit = st->rt ? router_body_limit(st->rt, s->cfg) : s->cfg->max_form;
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    unsigned long long announced = cl ? strtoull(cl, NULL, 10) : 0;
    if (announced > st->limit) st->early_status = 413;
    /* A large upload is read only for a caller allowed to make it: identify first. */
    else if (st->rt && st->rt->body == BODY_UPLOAD && (announced > s->cfg->max_form || !cl) && !caller_allowed(s, st, c))
        st->early_status = EARLY_DENIED;
}

/* True when a request body arrives slower than limits.min_body_rate on average,
 * once limits.header_timeout has passed since the request began. */
static bool body_too_slow(const config *cfg, const conn_state *st)
{
    if (cfg->min_body_rate <= 0) return false;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - st->start.tv_sec) + (double)(now.tv_nsec - st->start.tv_nsec) / 1e9;
    return elapsed > cfg->header_timeout && (double)st->body.len < cfg->min_body_rate * elapsed;
}

/* A new connection, or one between requests, gets header_timeout seconds of
 * silence at most before its next request's headers are complete. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code)
{
    (void)socket_context;
    server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)s->cfg->header_timeout);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    server *s = cls;
    conn_state *st = *con_cls;
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st) return MHD_NO;
        *con_cls = st;
        /* The headers are in: the slower inactivity limit applies to the body and the answer. */
        MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)s->cfg->timeout_seconds);
        start_request(s, st, c, url, method);
        /* Refuse an oversized body or URL now: MHD then skips the body and closes. */
        return st->early_status ? respond(s, st, c, url, method) : MHD_YES;
    }
    if (*upload_size) {
        if (body_too_slow(s->cfg, st)) return MHD_NO;    /* drops the connection */
        if (!st->early_status) {
            if (st->body.len + *upload_size > st->limit) { st->early_status = 413; buf_free(&st->body); }
            else buf_add(&st->body, upload_data, *upload_size);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return respond(s, st, c, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    server *s = cls;
    conn_state *st = *con_cls;
    if (!st) return;
    MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)s->cfg->header_timeout);  /* kept alive: wait for the next */
    if (s->cfg->access_log) {
        /* The path is decoded: control characters would forge log lines. */
        for (char *p = st->path; p && *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7F) *p = '?';
        struct timespec end;
        clock_gettime(CLOCK_MONOTONIC, &end);
        long long us = (end.tv_sec - st->start.tv_sec) * 1000000LL + (end.tv_nsec - st->start.tv_nsec) / 1000;
        fprintf(stderr, "access id=%llu %s %s %d %llu %lldus\n", (unsigned long long)st->id, st->method,
                st->path ? st->path : "-", st->status, (unsigned long long)st->bytes, us);
    }
    if (st->counted) atomic_fetch_sub(&s->in_flight, 1);
    for (int i = 0; i < st->nparams; i++) free(st->params[i]);
    buf_free(&st->body);
    free(st->path);
    free(st);
    *con_cls = NULL;
}

server *server_start(const config *cfg, char *err, size_t errlen)
{
    if (auth_init() != 0) { snprintf(err, errlen, "libsodium init failed"); return NULL; }
    server *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "out of memory"); return NULL; }
    s->cfg = cfg;
    pthread_mutex_init(&s->lock, NULL);
    config_db_location(cfg, s->db_path, sizeof s->db_path);
    cal_current_reload_file(s->db_path);      /* the working-day calendar with the admin edits */
    char kerr[256];
    db *kd = db_open(s->db_path, kerr, sizeof kerr);
    if (!kd || auth_load_keys(kd, cfg) != 0) fprintf(stderr, "cchc: signing keys not loaded: %s\n", kd ? db_errmsg(kd) : kerr);
    db_close(kd);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->listen_port)};
    if (inet_pton(AF_INET, cfg->listen_addr, &addr.sin_addr) != 1) {
        snprintf(err, errlen, "invalid listen address %s (IPv4 expected)", cfg->listen_addr);
        free(s);
        return NULL;
    }
    /* Default: three workers per core. A worker waits on a commit (the group
     * commit's fsync, a PostgreSQL round trip) or on a slow socket; more of them
     * keep the cores busy and let more writes share one commit. */
    unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : 3 * (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;
    /* Poll mode with an internal thread pool: MHD 0.9.75's epoll mode stalls a
     * worker when exactly 128·k connections become ready at once. */
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->header_timeout,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_no_nul, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
        MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errlen, "cannot listen on %s:%d", cfg->listen_addr, cfg->listen_port);
        free(s);
        return NULL;
    }
    return s;
}

uint16_t server_port(const server *s)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : 0;
}

void server_stop(server *s, int drain_ms)
{
    if (!s) return;
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < drain_ms; waited += 10) usleep(10000);
    MHD_stop_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    for (int i = 0; i < s->nconns; i++) db_close(s->conns[i]);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void server_run_until_signal(server *s)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "cchc: signal %d, draining\n", sig);
    server_stop(s, 5000);
}
