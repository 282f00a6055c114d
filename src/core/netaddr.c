/* Address lists and the forwarded client (see netaddr.h). */
#include "core/netaddr.h"
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses ip into 16 bytes (IPv4 as ::ffff:a.b.c.d) and its bit length (32 or 128). */
static bool parse_ip(const char *ip, unsigned char out[16], int *bits)
{
    unsigned char v4[4];
    if (inet_pton(AF_INET, ip, v4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xFF;
        memcpy(out + 12, v4, 4);
        *bits = 32;
        return true;
    }
    if (inet_pton(AF_INET6, ip, out) == 1) { *bits = 128; return true; }
    return false;
}

/* Copies the trimmed item [p, p+len) into out; false when empty or too long. */
static bool take_item(const char *p, size_t len, char *out, size_t n)
{
    while (len && (*p == ' ' || *p == '\t')) { p++; len--; }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
    if (len == 0 || len >= n) return false;
    memcpy(out, p, len);
    out[len] = '\0';
    return true;
}

/* Parses "ADDR" or "ADDR/PREFIX" into a network (16 bytes) and a prefix length over it. */
static bool parse_cidr(const char *item, unsigned char net[16], int *prefix)
{
    char addr[64];
    const char *slash = strchr(item, '/');
    size_t alen = slash ? (size_t)(slash - item) : strlen(item);
    if (alen == 0 || alen >= sizeof addr) return false;
    memcpy(addr, item, alen);
    addr[alen] = '\0';
    int bits;
    if (!parse_ip(addr, net, &bits)) return false;
    int p = bits;
    if (slash) {
        char *end;
        long v = strtol(slash + 1, &end, 10);
        if (*end || end == slash + 1 || v < 0 || v > bits) return false;
        p = (int)v;
    }
    *prefix = p + (bits == 32 ? 96 : 0);
    return true;
}

static bool in_cidr(const unsigned char ip[16], const unsigned char net[16], int prefix)
{
    for (int i = 0; i < prefix; i++) {
        int byte = i / 8, bit = 7 - i % 8;
        if (((ip[byte] >> bit) & 1) != ((net[byte] >> bit) & 1)) return false;
    }
    return true;
}

/* Calls check for each item of list; false as soon as an item is malformed. */
static bool each_item(const char *list, bool (*check)(const unsigned char net[16], int prefix, void *ctx), void *ctx)
{
    for (const char *p = list ? list : ""; *p;) {
        size_t len = strcspn(p, ",");
        char item[80];
        unsigned char net[16];
        int prefix;
        bool blank = strspn(p, " \t") >= len;
        if (!blank) {
            if (!take_item(p, len, item, sizeof item) || !parse_cidr(item, net, &prefix)) return false;
            if (!check(net, prefix, ctx)) return true;        /* the walk was stopped: a match */
        }
        p += len + (p[len] == ',');
    }
    return true;
}

static bool accept_any(const unsigned char net[16], int prefix, void *ctx) { (void)net; (void)prefix; (void)ctx; return true; }

bool addr_list_valid(const char *list) { return each_item(list, accept_any, NULL); }

typedef struct { unsigned char ip[16]; bool found; } match_ctx;

static bool not_matching(const unsigned char net[16], int prefix, void *ctx)
{
    match_ctx *m = ctx;
    if (in_cidr(m->ip, net, prefix)) { m->found = true; return false; }
    return true;
}

bool addr_in_list(const char *list, const char *ip)
{
    match_ctx m = {.found = false};
    int bits;
    if (!ip || !parse_ip(ip, m.ip, &bits)) return false;
    each_item(list, not_matching, &m);
    return m.found;
}

void addr_forwarded_client(const char *trusted, const char *peer, const char *xff, const char *real_ip, char *out, size_t n)
{
    snprintf(out, n, "%s", peer);
    if (!trusted || !*trusted || !addr_in_list(trusted, peer)) return;
    unsigned char tmp[16];
    int bits;
    if (xff && *xff) {
        const char *end = xff + strlen(xff);
        while (end > xff) {                                   /* right to left */
            const char *start = end;
            while (start > xff && start[-1] != ',') start--;
            char item[64];
            if (!take_item(start, (size_t)(end - start), item, sizeof item) || !parse_ip(item, tmp, &bits)) return;
            snprintf(out, n, "%s", item);
            if (!addr_in_list(trusted, item)) return;           /* the first untrusted hop: the client */
            end = start > xff ? start - 1 : xff;
        }
        return;
    }
    char item[64];
    if (real_ip && take_item(real_ip, strlen(real_ip), item, sizeof item) && parse_ip(item, tmp, &bits)) snprintf(out, n, "%s", item);
}
