#ifndef CCHC_STORE_AUDIT_H
#define CCHC_STORE_AUDIT_H
/* The append-only audit trail. */
#include "store/db.h"

/* Appends one entry to the hash chain (in a write transaction of its own, or
 * the caller's); before/after are JSON texts or NULL. DB_OK or an error. */
int store_audit(db *d, int64_t user_id, const char *username, const char *action,
                const char *entity, int64_t entity_id, const char *before, const char *after);

typedef struct {
    int64_t id;
    const char *at, *username, *action, *entity, *before, *after;
    int64_t entity_id;
} audit_row;
typedef void (*audit_fn)(const audit_row *a, void *ctx);
/* Calls fn for each entry about entity/entity_id, oldest first. */
int store_audit_list(db *d, const char *entity, int64_t entity_id, audit_fn fn, void *ctx);
/* Walks the chain from its first hashed entry: *checked gets how many entries
 * verified, *broken_id the first entry that was edited, deleted before, or moved
 * (0 when the chain is intact), head the newest hash. DB_OK or an error. */
int store_audit_verify(db *d, int64_t *checked, int64_t *broken_id, char head[65]);
/* Counts entries with the given action (for tests and the admin page). */
int store_audit_count(db *d, const char *action);
/* Counts entries with action about username at or after since_iso (ISO timestamp). */
int store_audit_count_since(db *d, const char *action, const char *username, const char *since_iso);
#endif
