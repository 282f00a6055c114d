#ifndef CCHC_SERVER_H
#define CCHC_SERVER_H
/* The HTTP server: libmicrohttpd in poll mode with an internal thread pool
 * (never epoll: see README, "Why poll"), one database connection per worker. */
#include "config.h"
#include <stdint.h>

typedef struct server server;

/* Starts serving on cfg->listen_addr:listen_port (port 0 picks a free one).
 * cfg must outlive the server. Returns NULL with err on failure. */
server *server_start(const config *cfg, char *err, size_t errlen);
/* The port actually bound. */
uint16_t server_port(const server *s);
/* Stops accepting, waits up to drain_ms for requests in flight, then frees everything. */
void server_stop(server *s, int drain_ms);
/* Blocks until SIGTERM or SIGINT, then stops the server cleanly. */
void server_run_until_signal(server *s);
#endif
