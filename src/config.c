/* Configuration (see config.h). */
#include "core/number.h"
#include "config.h"
#include "core/calendar.h"
#include "core/lunar.h"
#include "core/netaddr.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen_addr, sizeof c->listen_addr, "127.0.0.1");
    c->listen_port = 8080;
    snprintf(c->data_dir, sizeof c->data_dir, "var");
    snprintf(c->base_url, sizeof c->base_url, "http://127.0.0.1:8080");
    snprintf(c->agency, sizeof c->agency, "Sở Giáo dục và Đào tạo Hải Phòng");
    snprintf(c->agency_code, sizeof c->agency_code, "000.00.25.H26");
    c->max_upload = 20u * 1024 * 1024;
    c->max_form = 64 * 1024;
    c->max_url = 2048;
    c->conn_memory = 16 * 1024;     /* MHD zeroes the pool on every request: keep it small */
    c->max_connections = 2048;      /* poll mode: no FD_SETSIZE bound */
    c->per_ip_connections = 256;    /* four addresses cannot take every slot */
    c->timeout_seconds = 30;
    c->header_timeout = 10;
    c->min_body_rate = 512;
    c->session_idle_minutes = 120;
    c->session_max_hours = 12;
    c->login_max_failures = 5;
    c->login_ip_failures = 20;
    c->login_account_hourly = 100;           /* ASVS 2.2.1 */
    c->due_soon_days = 10;
    c->access_log = true;
    snprintf(c->office_hours, sizeof c->office_hours, "07:30-11:30,13:30-17:00");
}

int config_set_listen(config *c, const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || (size_t)(colon - s) >= sizeof c->listen_addr) return -1;
    int port;
    if (!parse_int_strict(colon + 1, 0, 65535, &port)) return -1;
    snprintf(c->listen_addr, sizeof c->listen_addr, "%.*s", (int)(colon - s), s);
    c->listen_port = port;
    return 0;
}

static int set_size(size_t *out, const char *v, size_t min)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *end || n < min || n > (1ull << 34)) return -1;
    *out = (size_t)n;
    return 0;
}

static int set_int(int *out, const char *v, int min, int max)
{
    return parse_int_strict(v, min, max, out) ? 0 : -1;
}

static int set_bool(bool *out, const char *v)
{
    if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1")) *out = true;
    else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0")) *out = false;
    else return -1;
    return 0;
}

static int set_str(char *out, size_t n, const char *v)
{
    if (strlen(v) >= n) return -1;
    memcpy(out, v, strlen(v) + 1);
    return 0;
}

/* The settings, each in its section. */
typedef enum { K_LISTEN, K_DATA, K_BASE_URL, K_HTTPS, K_THREADS, K_ACCESS_LOG, K_AGENCY, K_AGENCY_CODE, K_MAX_UPLOAD, K_MAX_FORM,
               K_MAX_URL, K_CONN_MEMORY, K_MAX_CONNECTIONS, K_PER_IP, K_TIMEOUT, K_SESSION_IDLE, K_SESSION_MAX,
               K_LOGIN_FAILURES, K_LOGIN_IP_FAILURES, K_DUE_SOON_DAYS, K_TODAY, K_OFFICE_HOURS, K_LOCALE_DIR, K_DB_URL, K_TRUSTED_PROXY, K_HEADER_TIMEOUT, K_MIN_BODY_RATE, K_LOGIN_HOURLY } setting;

static const struct { const char *section, *name; setting key; } settings[] = {
    {"server", "listen", K_LISTEN},
    {"server", "data", K_DATA},
    {"database", "url", K_DB_URL},
    {"server", "trusted_proxies", K_TRUSTED_PROXY},
    {"server", "base_url", K_BASE_URL},
    {"server", "https", K_HTTPS},
    {"server", "threads", K_THREADS},
    {"server", "access_log", K_ACCESS_LOG},
    {"agency", "name", K_AGENCY},
    {"agency", "code", K_AGENCY_CODE},
    {"limits", "max_upload", K_MAX_UPLOAD},
    {"limits", "max_form", K_MAX_FORM},
    {"limits", "max_url", K_MAX_URL},
    {"limits", "connection_memory", K_CONN_MEMORY},
    {"limits", "max_connections", K_MAX_CONNECTIONS},
    {"limits", "per_ip_connections", K_PER_IP},
    {"limits", "timeout", K_TIMEOUT},
    {"limits", "header_timeout", K_HEADER_TIMEOUT},
    {"limits", "min_body_rate", K_MIN_BODY_RATE},
    {"security", "session_idle", K_SESSION_IDLE},
    {"security", "session_max", K_SESSION_MAX},
    {"security", "login_failures", K_LOGIN_FAILURES},
    {"security", "login_ip_failures", K_LOGIN_IP_FAILURES},
    {"security", "login_account_hourly", K_LOGIN_HOURLY},
    {"plans", "due_soon_days", K_DUE_SOON_DAYS},
    {"plans", "today", K_TODAY},
    {"calendar", "office_hours", K_OFFICE_HOURS},
    {"ui", "locale_dir", K_LOCALE_DIR},
};

/* Finds the setting for "section.name", or a bare "name" (any section; "agency"
 * is accepted for agency.name). -1 when unknown or in the wrong section. */
static int find_setting(const char *key)
{
    const char *dot = strchr(key, '.');
    if (!dot && !strcmp(key, "agency")) return K_AGENCY;
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        if (dot) {
            size_t sl = (size_t)(dot - key);
            if (strlen(settings[i].section) == sl && !strncmp(key, settings[i].section, sl) && !strcmp(dot + 1, settings[i].name))
                return (int)settings[i].key;
        } else if (!strcmp(key, settings[i].name)) {
            return (int)settings[i].key;
        }
    }
    return -1;
}

static int set_today(char *out, size_t n, const char *v)
{
    int32_t jdn;
    if (*v && !cal_parse_iso(v, &jdn)) return -1;     /* a real YYYY-MM-DD, or empty (the real date) */
    return set_str(out, n, v);
}

static int set_db_url(char *out, size_t n, const char *v)
{
    /* A PostgreSQL URL, or a SQLite file path (anything else with a scheme is a mistake). */
    if (strstr(v, "://") && strncmp(v, "postgres://", 11) != 0 && strncmp(v, "postgresql://", 13) != 0) return -1;
    return set_str(out, n, v);
}

void config_db_location(const config *c, char *out, size_t n)
{
    if (c->db_url[0]) snprintf(out, n, "%s", c->db_url);
    else snprintf(out, n, "%s/cchc.db", c->data_dir);
}

int config_set(config *c, const char *key, const char *v, char *err, size_t errlen)
{
    int k = find_setting(key);
    int rc;
    switch (k) {
    case K_LISTEN: rc = config_set_listen(c, v); break;
    case K_DATA: rc = set_str(c->data_dir, sizeof c->data_dir, v); break;
    case K_DB_URL: rc = set_db_url(c->db_url, sizeof c->db_url, v); break;
    case K_TRUSTED_PROXY: rc = addr_list_valid(v) ? set_str(c->trusted_proxies, sizeof c->trusted_proxies, v) : -1; break;
    case K_BASE_URL: rc = set_str(c->base_url, sizeof c->base_url, v); break;
    case K_AGENCY: rc = set_str(c->agency, sizeof c->agency, v); break;
    case K_AGENCY_CODE: rc = set_str(c->agency_code, sizeof c->agency_code, v); break;
    case K_HTTPS: rc = set_bool(&c->https, v); break;
    case K_ACCESS_LOG: rc = set_bool(&c->access_log, v); break;
    case K_THREADS: rc = set_int(&c->threads, v, 0, 256); break;
    case K_MAX_UPLOAD: rc = set_size(&c->max_upload, v, 1024); break;
    case K_MAX_FORM: rc = set_size(&c->max_form, v, 1024); break;
    case K_MAX_URL: rc = set_size(&c->max_url, v, 256); break;
    case K_CONN_MEMORY: rc = set_size(&c->conn_memory, v, 8192); break;
    case K_MAX_CONNECTIONS: rc = set_int(&c->max_connections, v, 1, 100000); break;
    case K_PER_IP: rc = set_int(&c->per_ip_connections, v, 1, 100000); break;
    case K_TIMEOUT: rc = set_int(&c->timeout_seconds, v, 1, 3600); break;
    case K_HEADER_TIMEOUT: rc = set_int(&c->header_timeout, v, 1, 3600); break;
    case K_MIN_BODY_RATE: rc = set_int(&c->min_body_rate, v, 0, 100000000); break;
    case K_SESSION_IDLE: rc = set_int(&c->session_idle_minutes, v, 1, 100000); break;
    case K_SESSION_MAX: rc = set_int(&c->session_max_hours, v, 1, 10000); break;
    case K_LOGIN_FAILURES: rc = set_int(&c->login_max_failures, v, 1, 1000); break;
    case K_LOGIN_IP_FAILURES: rc = set_int(&c->login_ip_failures, v, 1, 100000); break;
    case K_LOGIN_HOURLY: rc = set_int(&c->login_account_hourly, v, 1, 100000); break;
    case K_DUE_SOON_DAYS: rc = set_int(&c->due_soon_days, v, 1, 365); break;
    case K_TODAY: rc = set_today(c->today, sizeof c->today, v); break;
    case K_LOCALE_DIR: rc = set_str(c->locale_dir, sizeof c->locale_dir, v); break;
    case K_OFFICE_HOURS: {
        cal_office_hours h;
        rc = cal_parse_office_hours(v, &h) ? set_str(c->office_hours, sizeof c->office_hours, v) : -1;
        break;
    }
    default: snprintf(err, errlen, "unknown setting '%s'", key); return -1;
    }
    if (rc != 0) snprintf(err, errlen, "invalid value for '%s': '%s'", key, v);
    return rc;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
    return s;
}

int config_load(config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    char line[1024], section[64] = "";
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (*s == '\0' || *s == '#' || *s == ';') continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1] != '\0') { snprintf(err, errlen, "%s:%d: expected [section]", path, lineno); rc = -1; break; }
            *close = '\0';
            char *name = trim(s + 1);
            if (!*name || strlen(name) >= sizeof section || strchr(name, '.')) {
                snprintf(err, errlen, "%s:%d: invalid section name", path, lineno);
                rc = -1;
                break;
            }
            snprintf(section, sizeof section, "%s", name);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) { snprintf(err, errlen, "%s:%d: expected key = value", path, lineno); rc = -1; break; }
        *eq = '\0';
        char msg[300];
        char *v = trim(eq + 1);
        if (*v != '"') {
            /* An inline comment after the value, as in README: "listen = 127.0.0.1:8080   ; --listen". */
            for (char *p = v; *p; p++)
                if ((*p == ';' || *p == '#') && (p == v || isspace((unsigned char)p[-1]))) { *p = '\0'; v = trim(v); break; }
        }
        size_t vl = strlen(v);
        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') { v[vl - 1] = '\0'; v++; }
        /* Inside [section], "key" means "section.key" and must belong there. */
        char key[256];
        const char *k = trim(s);
        if (section[0] && !strchr(k, '.')) { snprintf(key, sizeof key, "%s.%s", section, k); k = key; }
        if (config_set(c, k, v, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}
