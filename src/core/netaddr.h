#ifndef CCHC_NETADDR_H
#define CCHC_NETADDR_H
/* Client addresses behind reverse proxies: lists of addresses and CIDR ranges
 * (IPv4 and IPv6), and which address of X-Forwarded-For is the client. Pure: no I/O. */
#include <stdbool.h>
#include <stddef.h>

/* True when list ("127.0.0.1, 10.0.0.0/8, ::1") is well formed: comma-separated
 * addresses or CIDRs, spaces allowed; the empty list is well formed. */
bool addr_list_valid(const char *list);
/* True when ip (a textual IPv4/IPv6 address) is in list. */
bool addr_in_list(const char *list, const char *ip);
/* The client of a request that peer forwarded: when peer is in trusted, the
 * right-most address of xff (X-Forwarded-For, may be NULL) that is not itself
 * trusted, else real_ip (X-Real-IP, may be NULL) if valid; otherwise peer.
 * Writes it into out (n bytes). A malformed entry stops the walk there. */
void addr_forwarded_client(const char *trusted, const char *peer, const char *xff, const char *real_ip, char *out, size_t n);
#endif
