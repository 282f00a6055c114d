#ifndef CCHC_HTTP_H
#define CCHC_HTTP_H
/* The request and response a handler sees. The server (server.c) fills a req,
 * the router authorizes it, the handler fills a resp. */
#include "core/buf.h"
#include "core/model.h"
#include "store/db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct route;

typedef struct {
    char *name;
    char *value;
} kv;

typedef struct {
    char *field;        /* form field name */
    char *filename;     /* client file name (UTF-8, path stripped) */
    char *content_type; /* as declared by the client; never trusted */
    const char *data;   /* points into the request body */
    size_t len;
} upload;

typedef struct {
    int64_t id;
    char username[64];
    char full_name[128];
    role role;
    int64_t unit_id;    /* 0 = none */
    char csrf[48];      /* the session's CSRF token ("" for API tokens) */
    bool via_token;     /* authenticated by an API bearer token */
    int64_t session_id;
} web_user;

#define REQ_MAX_PARAMS 4
#define REQ_MAX_FIELDS 64
#define REQ_MAX_UPLOADS 8

typedef struct req {
    const char *method;
    const char *path;             /* without the query string */
    const char *query;            /* raw query string, "" if none */
    const char *content_type;     /* "" if none */
    const char *body;             /* raw body (NUL-terminated), may be "" */
    size_t body_len;
    char *params[REQ_MAX_PARAMS]; /* {name} segments of the route pattern, in order */
    int nparams;
    kv qs[REQ_MAX_FIELDS];        /* decoded query-string pairs */
    int nqs;
    kv form[REQ_MAX_FIELDS];      /* decoded urlencoded or multipart fields */
    int nform;
    upload uploads[REQ_MAX_UPLOADS];
    int nuploads;
    bool body_parse_error;        /* malformed form/multipart body */
    web_user user;                /* role ROLE_NONE when anonymous */
    char session_token[64];       /* raw cookie token when a session is valid */
    bool touch_session;           /* the session's last_seen is due for an update */
    int64_t touch_token_id;       /* an API token whose last_used is due for an update */
    char pre_csrf[48];            /* anonymous double-submit token (login form) */
    const struct route *route;
    const struct config *cfg;
    db *db;
    void *conn;                   /* struct MHD_Connection * */
    char client_ip[64];
    char nonce[32];               /* CSP nonce of this response */
    uint64_t id;                  /* request id for the access log */
    db_generation gen;            /* data generation when the request began (read requests) */
    bool has_gen;
    bool want_json;
} req;

#define RESP_MAX_HEADERS 12

typedef struct {
    int status;
    const char *content_type;
    buf body;
    char *headers[RESP_MAX_HEADERS][2]; /* malloc'd name/value pairs */
    int nheaders;
    int file_fd;                  /* >=0: send this file instead of body */
    uint64_t file_size;
} resp;

/* Returns the value of a {name} path parameter as int64, or -1 if absent or not a positive integer. */
int64_t req_param_id(const req *r, int index);
/* Query-string value for name, or NULL; owned by r. */
const char *req_query(const req *r, const char *name);
/* Form field value for name (first one), or NULL; owned by r. */
const char *req_form(const req *r, const char *name);
/* Request header value, or NULL; owned by the connection. */
const char *req_header(const req *r, const char *name);
/* Cookie value, or NULL. */
const char *req_cookie(const req *r, const char *name);

/* Adds a header; name and value are copied. */
void resp_header(resp *w, const char *name, const char *value);
/* Sets status, content type and a plain-text body (copied). */
void resp_text(resp *w, int status, const char *text);
/* True when s is a path on this site: "/..." of visible ASCII, not "//" or "/\",
 * no control characters (a redirect target that cannot leave the site). */
bool is_local_path(const char *s);
/* Sets a 303 redirect to a local path (anything else redirects to "/"). */
void resp_redirect(resp *w, const char *location);
/* Sets a JSON body: the buf b's content is moved into w. */
void resp_json_take(resp *w, int status, buf *b);
/* A JSON error {"error":{"code","message","field"}} with the given status. */
void resp_json_error(resp *w, int status, const char *code, const char *message, const char *field);
/* An error for the route's kind: a JSON error or an HTML error page. */
void resp_error(req *r, resp *w, int status, const char *code, const char *message, const char *field);

/* Frees what a req and a resp own (not the body bytes the server owns). */
void req_free(req *r);
void resp_free(resp *w);

/* Parses "a=1&b=2" into pairs (decoded); returns the count stored. */
int parse_urlencoded(const char *s, size_t n, kv *out, int max);
/* Parses a multipart/form-data body. Text parts go to fields, file parts to
 * uploads (pointing into body). Returns 0, or -1 if the body is malformed. */
int parse_multipart(const char *content_type, const char *body, size_t len,
                    kv *fields, int *nfields, int max_fields,
                    upload *uploads, int *nuploads, int max_uploads);
#endif
