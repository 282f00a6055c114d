#ifndef CCHC_AUTH_H
#define CCHC_AUTH_H
/* Passwords (argon2id), sessions, API tokens, CSRF tokens and login throttling. */
#include "config.h"
#include "web/http.h"
#include "store/store_user.h"
#include <stdbool.h>

#define SESSION_COOKIE "cchc_session"
#define PRECSRF_COOKIE "cchc_csrf"

/* Initializes libsodium; call once before anything else here. 0 on success. */
int auth_init(void);
/* Hashes a password with argon2id into out (≥128 bytes). 0 on success. */
int auth_hash_password(const char *password, char out[128]);
/* True when password matches the stored argon2id hash. */
bool auth_verify_password(const char *hash, const char *password);
/* Writes a random 256-bit token as base64url (43 chars + NUL) into out[64]. */
void auth_random_token(char out[64]);
/* Hex SHA-256 of a token (64 chars + NUL), as stored at rest. */
void auth_token_hash(const char *token, char out[65]);
/* Constant-time comparison of two NUL-terminated tokens. */
bool auth_token_equal(const char *a, const char *b);
/* A random password for demo accounts (16 chars, unambiguous alphabet). */
void auth_random_password(char out[24]);

/* Identifies the caller from the session cookie or a Bearer token, filling
 * r->user; for anonymous callers ensures a pre-session CSRF cookie. */
void auth_identify(req *r, resp *w);

typedef enum { LOGIN_OK, LOGIN_BAD_CREDENTIALS, LOGIN_THROTTLED, LOGIN_ERROR } login_result;
/* Checks credentials with per-account and per-IP throttling; on success opens
 * a session, sets the cookie and fills r->user. *retry_minutes is set when throttled. */
#define AUTH_MAX_USERNAME 64
#define AUTH_MAX_PASSWORD 256
/* Checks the lengths, then logs in as auth_login does. Returns 0 on success,
 * else the HTTP status (422 empty or too long, 401, 429 throttled, 500) with
 * *msg set (a translated text, or scratch for the throttle message). */
int auth_try_login(req *r, resp *w, const char *username, const char *password, const char **msg,
                   char *scratch, size_t n);
login_result auth_login(req *r, resp *w, const char *username, const char *password, int *retry_minutes);
/* Ends the current session and clears the cookie. */
void auth_logout(req *r, resp *w);
/* Makes (first instance) or reads the deployment's signing keys and keeps them
 * for this process's requests: call before serving. 0 or -1. */
int auth_load_keys(db *d, const config *cfg);
/* Checks the signed-in user's current password (before a password change),
 * throttled per account like a login: 0 when right, -1 when wrong, or the
 * minutes to wait (> 0) after too many wrong ones (nothing is checked then). */
int auth_check_current_password(req *r, const user_row *u, const char *password);
/* Creates an API token for the user; writes the raw token (shown once) to out. */
int64_t auth_create_api_token(req *r, const char *name, char out[64]);
#endif
