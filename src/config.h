#ifndef CCHC_CONFIG_H
#define CCHC_CONFIG_H
/* Runtime configuration: defaults, then cchc.conf (INI), then command-line overrides. */
#include <stdbool.h>
#include <stddef.h>

typedef struct config {
    char listen_addr[64];      /* [server] listen = 127.0.0.1:8080 */
    int  listen_port;
    char data_dir[512];        /* [server] data = var (uploaded files; the SQLite database DIR/cchc.db) */
    char db_url[512];          /* [database] url = "" (postgres://...: PostgreSQL; a file path: that SQLite file; "": DIR/cchc.db) */
    char base_url[256];        /* [server] base_url = http://127.0.0.1:8080 */
    char agency[256];          /* [agency] name */
    char agency_code[48];      /* [agency] code: the dossier codes' agency part (Circular 01/2018 Art. 19) */
    bool https;                /* [server] https = false (Secure cookies when true) */
    int  threads;              /* [server] threads = 0 (0: three per core) */
    size_t max_upload;         /* [limits] max_upload = 20971520 (bytes) */
    size_t max_form;           /* [limits] max_form = 65536 (non-upload bodies) */
    size_t max_url;            /* [limits] max_url = 2048 */
    size_t conn_memory;        /* [limits] connection_memory = 16384 */
    int  max_connections;      /* [limits] max_connections = 1024 */
    int  per_ip_connections;   /* [limits] per_ip_connections = 512 */
    int  timeout_seconds;      /* [limits] timeout = 30 (inactivity while a request is read or answered) */
    int  header_timeout;       /* [limits] header_timeout = 10 (silence allowed before a request's headers are complete) */
    int  min_body_rate;        /* [limits] min_body_rate = 512 (bytes/s a body must average once header_timeout has passed) */
    int  session_idle_minutes; /* [security] session_idle = 120 */
    int  session_max_hours;    /* [security] session_max = 12 */
    int  login_max_failures;   /* [security] login_failures = 5 (per account and address, or per known device, per 15 min; then delays) */
    int  login_ip_failures;    /* [security] login_ip_failures = 20 (per IP per 15 min) */
    int  login_account_hourly; /* [security] login_account_hourly = 100 (failures per account per hour from unknown devices) */
    int  due_soon_days;        /* [plans] due_soon_days = 10 (working days) */
    char today[16];            /* [plans] today = "" (fixed date for demos/tests, YYYY-MM-DD) */
    bool access_log;           /* [server] access_log = true */
    char trusted_proxies[512]; /* [server] trusted_proxies = "" (addresses/CIDRs of reverse proxies whose X-Forwarded-For names the client) */
    char office_hours[64];     /* [calendar] office_hours = 07:30-11:30,13:30-17:00 */
    char locale_dir[256];      /* [ui] locale_dir = "" (translations: DIR/<lang>/LC_MESSAGES/cchc.mo; empty: Vietnamese only) */
} config;

/* Fills c with the built-in defaults. */
void config_defaults(config *c);
/* Reads an INI file over c. Returns 0, 1 if the file does not exist, -1 on a
 * syntax error or unknown key (message in err). */
int config_load(config *c, const char *path, char *err, size_t errlen);
/* Sets one "section.key" (or bare key) to value; -1 with err if unknown/invalid. */
int config_set(config *c, const char *key, const char *value, char *err, size_t errlen);
/* Where the database is: db_url when set, else DATA_DIR/cchc.db. */
void config_db_location(const config *c, char *out, size_t n);
/* Parses "ADDR:PORT" into the listen fields; -1 if invalid. */
int config_set_listen(config *c, const char *addr_port);
#endif
