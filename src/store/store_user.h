#ifndef CCHC_STORE_USER_H
#define CCHC_STORE_USER_H
/* Users, sessions, API tokens and login throttling. */
#include "core/model.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t id;
    char username[64];
    char full_name[128];
    role role;
    int64_t unit_id;
    char unit_name[256];
    char password_hash[128];
    bool active;
    char created_at[32];
} user_row;

/* Inserts a user; returns the new id, 0 if the name is taken, -1 on error. */
int64_t store_user_add(db *d, const char *username, const char *full_name, role r,
                       int64_t unit_id, const char *password_hash);
/* Loads a user by name or id; returns true when found. */
bool store_user_by_name(db *d, const char *username, user_row *out);
bool store_user_by_id(db *d, int64_t id, user_row *out);
/* Replaces the password hash; returns true if the user exists. */
bool store_user_set_password(db *d, int64_t id, const char *password_hash);
/* Updates role, unit, full name and active flag. */
bool store_user_update(db *d, int64_t id, const char *full_name, role r, int64_t unit_id, bool active);
/* Calls fn for every user ordered by name. */
typedef void (*user_fn)(const user_row *u, void *ctx);
int store_user_list(db *d, user_fn fn, void *ctx);

/* Sessions: token_hash is hex SHA-256 of the cookie token. */
int64_t store_session_add(db *d, const char *token_hash, int64_t user_id, const char *csrf, int64_t now);
/* Finds a session valid at now (idle and absolute limits in seconds); fills the
 * user, the csrf token and when it was last seen. Returns the session id or 0. */
int64_t store_session_lookup(db *d, const char *token_hash, int64_t now, int64_t idle, int64_t absolute,
                             user_row *u, char csrf[48], int64_t *last_seen);
/* Records activity on a session (outside any read transaction). */
void store_session_touch(db *d, int64_t session_id, int64_t now);
void store_session_delete(db *d, int64_t session_id);
/* Ends every session of a user except keep_session_id (0: all), after a password
 * change, a reset, a lock or a role change. DB_OK or an error. */
int store_session_delete_user(db *d, int64_t user_id, int64_t keep_session_id);
/* Revokes every API token of a user (after a password reset or a lock). DB_OK or an error. */
int store_token_revoke_user(db *d, int64_t user_id);
/* Deletes sessions idle past the limit; returns how many. */
int store_session_purge(db *d, int64_t now, int64_t idle, int64_t absolute);

/* The shared secret called name as 32 bytes: read, or created (random, from
 * candidate) by the first instance to ask. DB_OK or an error. */
int store_server_secret(db *d, const char *name, const unsigned char candidate[32], unsigned char out[32]);
/* Reads the shared secret called name (no write); DB_OK, or DB_DONE when it does not exist yet. */
int store_server_secret_get(db *d, const char *name, unsigned char out[32]);

/* API tokens. Returns the id, or -1. */
int64_t store_token_add(db *d, int64_t user_id, const char *name, const char *token_hash);
/* Finds the user of an unrevoked token; returns true when found. *token_id gets
 * the token's id and *stale whether its last use is older than a minute (either may be NULL). */
bool store_token_lookup(db *d, const char *token_hash, user_row *u, int64_t *token_id, bool *stale);
/* Records that a token was used now (outside any read transaction). */
void store_token_touch(db *d, int64_t token_id);
bool store_token_revoke(db *d, int64_t user_id, int64_t token_id);
typedef void (*token_fn)(int64_t id, const char *name, const char *created_at, const char *last_used, void *ctx);
int store_token_list(db *d, int64_t user_id, token_fn fn, void *ctx);

/* Login throttling: records an attempt for key (returns its id, 0 on error);
 * counts attempts since 'since'; forgets one attempt (after a success). */
int64_t store_login_failure(db *d, const char *key, int64_t now);
void store_login_forget(db *d, int64_t failure_id);
int store_login_failures_since(db *d, const char *key, int64_t since, int64_t *oldest);
void store_login_clear(db *d, const char *key);
/* The time of key's newest attempt before the caller's own (the one with the
 * greatest id), at or before now; DB_OK with *at 0 when there is none. */
int store_login_newest(db *d, const char *key, int64_t now, int64_t *at);
/* Forgets failures older than before (they no longer count for throttling). */
void store_login_purge(db *d, int64_t before);
#endif
