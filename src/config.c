/* Configuration (see config.h). */
#include "config.h"
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
    c->max_upload = 20u * 1024 * 1024;
    c->max_form = 64 * 1024;
    c->max_url = 2048;
    c->conn_memory = 64 * 1024;
    c->max_connections = 1024;
    c->per_ip_connections = 512;
    c->timeout_seconds = 30;
    c->session_idle_minutes = 120;
    c->session_max_hours = 12;
    c->login_max_failures = 5;
    c->login_ip_failures = 20;
    c->due_soon_days = 10;
    c->access_log = true;
}

int config_set_listen(config *c, const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || (size_t)(colon - s) >= sizeof c->listen_addr) return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) return -1;
    snprintf(c->listen_addr, sizeof c->listen_addr, "%.*s", (int)(colon - s), s);
    c->listen_port = (int)port;
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
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || !*v || n < min || n > max) return -1;
    *out = (int)n;
    return 0;
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

int config_set(config *c, const char *key, const char *v, char *err, size_t errlen)
{
    const char *dot = strchr(key, '.');
    const char *k = dot ? dot + 1 : key;
    int rc;
    if (!strcmp(k, "listen")) rc = config_set_listen(c, v);
    else if (!strcmp(k, "data")) rc = set_str(c->data_dir, sizeof c->data_dir, v);
    else if (!strcmp(k, "base_url")) rc = set_str(c->base_url, sizeof c->base_url, v);
    else if (!strcmp(k, "name") || !strcmp(k, "agency")) rc = set_str(c->agency, sizeof c->agency, v);
    else if (!strcmp(k, "https")) rc = set_bool(&c->https, v);
    else if (!strcmp(k, "access_log")) rc = set_bool(&c->access_log, v);
    else if (!strcmp(k, "threads")) rc = set_int(&c->threads, v, 0, 256);
    else if (!strcmp(k, "max_upload")) rc = set_size(&c->max_upload, v, 1024);
    else if (!strcmp(k, "max_form")) rc = set_size(&c->max_form, v, 1024);
    else if (!strcmp(k, "max_url")) rc = set_size(&c->max_url, v, 256);
    else if (!strcmp(k, "connection_memory")) rc = set_size(&c->conn_memory, v, 8192);
    else if (!strcmp(k, "max_connections")) rc = set_int(&c->max_connections, v, 1, 100000);
    else if (!strcmp(k, "per_ip_connections")) rc = set_int(&c->per_ip_connections, v, 1, 100000);
    else if (!strcmp(k, "timeout")) rc = set_int(&c->timeout_seconds, v, 1, 3600);
    else if (!strcmp(k, "session_idle")) rc = set_int(&c->session_idle_minutes, v, 1, 100000);
    else if (!strcmp(k, "session_max")) rc = set_int(&c->session_max_hours, v, 1, 10000);
    else if (!strcmp(k, "login_failures")) rc = set_int(&c->login_max_failures, v, 1, 1000);
    else if (!strcmp(k, "login_ip_failures")) rc = set_int(&c->login_ip_failures, v, 1, 100000);
    else if (!strcmp(k, "due_soon_days")) rc = set_int(&c->due_soon_days, v, 1, 365);
    else if (!strcmp(k, "today")) rc = (strlen(v) == 0 || strlen(v) == 10) ? set_str(c->today, sizeof c->today, v) : -1;
    else { snprintf(err, errlen, "unknown setting '%s'", key); return -1; }
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
    char line[1024];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (*s == '\0' || *s == '#' || *s == ';' || *s == '[') continue;
        char *eq = strchr(s, '=');
        if (!eq) { snprintf(err, errlen, "%s:%d: expected key = value", path, lineno); rc = -1; break; }
        *eq = '\0';
        char msg[200];
        char *v = trim(eq + 1);
        size_t vl = strlen(v);
        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') { v[vl - 1] = '\0'; v++; }
        if (config_set(c, trim(s), v, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}
