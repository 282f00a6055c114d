/* Authentication (see auth.h). */
#include "web/auth.h"
#include "config.h"
#include "web/router.h"
#include "store/store_audit.h"
#include "store/store_user.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define THROTTLE_WINDOW (15 * 60)

static char dummy_hash[128];   /* verified against for unknown users, to keep timing even */

int auth_init(void)
{
    if (sodium_init() < 0) return -1;
    if (!dummy_hash[0]) {
        char pw[24];
        auth_random_password(pw);
        if (auth_hash_password(pw, dummy_hash) != 0) return -1;
    }
    return 0;
}

int auth_hash_password(const char *password, char out[128])
{
    _Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
    /* argon2id, m = 19 MiB, t = 2, p = 1: OWASP's recommended minimum. libsodium's
     * "interactive" preset (64 MiB) would make every login allocate 64 MiB, three
     * times the server's whole working set. The parameters are stored in the hash,
     * so they can be raised later without invalidating existing passwords. */
    return crypto_pwhash_str(out, password, strlen(password), 2, 19u * 1024 * 1024) == 0 ? 0 : -1;
}

bool auth_verify_password(const char *hash, const char *password)
{
    char stored[crypto_pwhash_STRBYTES] = {0};
    snprintf(stored, sizeof stored, "%s", hash);
    return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

void auth_random_token(char out[64])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, 64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

bool auth_token_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b) || n == 0) return false;
    return sodium_memcmp(a, b, n) == 0;
}

void auth_random_password(char out[24])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++) out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[16] = '\0';
}

static void set_cookie(req *r, resp *w, const char *name, const char *value, int max_age)
{
    char line[256];
    snprintf(line, sizeof line, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%d",
             name, value, r->cfg->https ? "; Secure" : "", max_age);
    resp_header(w, "Set-Cookie", line);
}

static void user_from_row(web_user *u, const user_row *row)
{
    u->id = row->id;
    snprintf(u->username, sizeof u->username, "%s", row->username);
    snprintf(u->full_name, sizeof u->full_name, "%s", row->full_name);
    u->role = row->role;
    u->unit_id = row->unit_id;
}

static bool identify_bearer(req *r)
{
    const char *h = req_header(r, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0 || strlen(h + 7) > 128) return false;
    char hash[65];
    auth_token_hash(h + 7, hash);
    user_row row;
    bool stale = false;
    if (!store_token_lookup(r->db, hash, &row, &r->touch_token_id, &stale)) return false;
    if (!stale) r->touch_token_id = 0;          /* recorded after the request, at most once a minute */
    user_from_row(&r->user, &row);
    r->user.via_token = true;
    return true;
}

static bool identify_session(req *r)
{
    const char *tok = req_cookie(r, SESSION_COOKIE);
    if (!tok || strlen(tok) != 43) return false;
    char hash[65];
    auth_token_hash(tok, hash);
    user_row row;
    int64_t now = db_now(), last_seen = now;
    int64_t sid = store_session_lookup(r->db, hash, now, (int64_t)r->cfg->session_idle_minutes * 60,
                                       (int64_t)r->cfg->session_max_hours * 3600, &row, r->user.csrf, &last_seen);
    if (sid <= 0) return false;
    r->touch_session = now - last_seen >= 60;     /* recorded after the request, at most once a minute */
    user_from_row(&r->user, &row);
    r->user.session_id = sid;
    snprintf(r->session_token, sizeof r->session_token, "%s", tok);
    return true;
}

/* The keys that sign pre-login CSRF tokens, one per database location (a test
 * process runs several servers): shared by every instance through the database. */
#define KEY_SLOTS 8
static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { char where[600]; unsigned char key[crypto_auth_KEYBYTES]; } keys[KEY_SLOTS];
static int next_key_slot;

static void key_remember(const char *where, const unsigned char key[crypto_auth_KEYBYTES])
{
    int slot = next_key_slot++ % KEY_SLOTS;
    snprintf(keys[slot].where, sizeof keys[slot].where, "%s", where);
    memcpy(keys[slot].key, key, crypto_auth_KEYBYTES);
}

int auth_load_keys(db *d, const config *cfg)
{
    unsigned char candidate[32], key[32];
    randombytes_buf(candidate, sizeof candidate);
    if (store_server_secret(d, "precsrf", candidate, key) != DB_OK) return -1;
    char where[600];
    config_db_location(cfg, where, sizeof where);
    pthread_mutex_lock(&keys_lock);
    key_remember(where, key);
    pthread_mutex_unlock(&keys_lock);
    return 0;
}

/* The pre-login key of the request's database (read there once, never written
 * during a request: auth_load_keys made it). False when unavailable. */
static bool precsrf_key(req *r, unsigned char key[crypto_auth_KEYBYTES])
{
    char where[600];
    config_db_location(r->cfg, where, sizeof where);
    pthread_mutex_lock(&keys_lock);
    bool ok = false;
    for (int i = 0; i < KEY_SLOTS && !ok; i++)
        if (keys[i].where[0] && strcmp(keys[i].where, where) == 0) { memcpy(key, keys[i].key, crypto_auth_KEYBYTES); ok = true; }
    if (!ok && store_server_secret_get(r->db, "precsrf", key) == DB_OK) { key_remember(where, key); ok = true; }
    pthread_mutex_unlock(&keys_lock);
    return ok;
}

/* A pre-login token: 16 random bytes and their HMAC (first 16 bytes) under the
 * server's key, base64url, 43 characters. */
static bool precsrf_make(req *r, char out[64])
{
    unsigned char key[crypto_auth_KEYBYTES], raw[32], mac[crypto_auth_BYTES];
    if (!precsrf_key(r, key)) return false;
    randombytes_buf(raw, 16);
    crypto_auth(mac, raw, 16, key);
    memcpy(raw + 16, mac, 16);
    sodium_bin2base64(out, 64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return true;
}

/* True when tok is a pre-login token this deployment signed. */
static bool precsrf_valid(req *r, const char *tok)
{
    unsigned char key[crypto_auth_KEYBYTES], raw[32], mac[crypto_auth_BYTES];
    size_t len = 0;
    if (strlen(tok) != 43 || sodium_base642bin(raw, sizeof raw, tok, 43, NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != 32 || !precsrf_key(r, key))
        return false;
    crypto_auth(mac, raw, 16, key);
    return sodium_memcmp(mac, raw + 16, 16) == 0;
}

void auth_identify(req *r, resp *w)
{
    memset(&r->user, 0, sizeof r->user);
    if (identify_bearer(r) || identify_session(r)) return;
    memset(&r->user, 0, sizeof r->user);
    /* A pre-login token counts only if this deployment signed it: a cookie
     * planted by someone else (a bare double submit) is replaced, not trusted. */
    const char *pre = req_cookie(r, PRECSRF_COOKIE);
    if (pre && precsrf_valid(r, pre)) {
        snprintf(r->pre_csrf, sizeof r->pre_csrf, "%s", pre);
    } else if (r->route && r->route->kind == KIND_HTML) {
        char tok[64];
        if (!precsrf_make(r, tok)) return;
        snprintf(r->pre_csrf, sizeof r->pre_csrf, "%s", tok);
        set_cookie(r, w, PRECSRF_COOKIE, tok, 12 * 3600);
    }
}

/* Returns minutes until key is below its limit again, or 0 when not throttled. */
static int throttled_minutes(db *d, const char *key, int limit, int64_t now)
{
    int64_t oldest = 0;
    int n = store_login_failures_since(d, key, now - THROTTLE_WINDOW, &oldest);
    if (n <= limit) return 0;           /* n counts this attempt too (recorded first) */
    int64_t wait = oldest + THROTTLE_WINDOW - now;
    return (int)(wait / 60) + 1;
}

login_result auth_login(req *r, resp *w, const char *username, const char *password, int *retry_minutes)
{
    char ukey[96], ipkey[96];
    snprintf(ukey, sizeof ukey, "u:%s", username);
    snprintf(ipkey, sizeof ipkey, "ip:%s", r->client_ip);
    int64_t now = db_now();
    /* The attempt is recorded before it is checked, so parallel attempts cannot
     * all pass the limit; a successful login forgets it again. */
    store_login_purge(r->db, now - THROTTLE_WINDOW);     /* only the window counts: keeps the table small */
    int64_t ufail = store_login_failure(r->db, ukey, now), ifail = store_login_failure(r->db, ipkey, now);
    int wu = throttled_minutes(r->db, ukey, r->cfg->login_max_failures, now);
    int wi = throttled_minutes(r->db, ipkey, r->cfg->login_ip_failures, now);
    if (wu || wi || ufail <= 0 || ifail <= 0) {         /* an attempt that could not be recorded is refused */
        *retry_minutes = wu > wi ? wu : wi > 0 ? wi : 1;
        /* A refused attempt leaves no row, and is audited at most once a minute
         * per account: a flood grows neither table. */
        store_login_forget(r->db, ufail);
        store_login_forget(r->db, ifail);
        char since[32];
        time_t t = (time_t)now - 60;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", &tm);
        if (store_audit_count_since(r->db, "login_throttled", username, since) == 0)
            store_audit(r->db, 0, username, "login_throttled", "user", 0, NULL, NULL);
        return LOGIN_THROTTLED;
    }
    user_row row;
    bool found = store_user_by_name(r->db, username, &row);
    bool ok = auth_verify_password(found ? row.password_hash : dummy_hash, password) && found && row.active;
    if (!ok) {
        store_audit(r->db, found ? row.id : 0, username, "login_failed", "user", found ? row.id : 0, NULL, NULL);
        return LOGIN_BAD_CREDENTIALS;
    }
    store_login_clear(r->db, ukey);
    store_login_forget(r->db, ufail);
    store_login_forget(r->db, ifail);
    store_session_purge(r->db, now, (int64_t)r->cfg->session_idle_minutes * 60, (int64_t)r->cfg->session_max_hours * 3600);
    char token[64], hash[65], csrf[64];
    auth_random_token(token);
    auth_random_token(csrf);
    auth_token_hash(token, hash);
    int64_t sid = store_session_add(r->db, hash, row.id, csrf, now);
    if (sid <= 0) return LOGIN_ERROR;
    store_audit(r->db, row.id, row.username, "login", "user", row.id, NULL, NULL);
    user_from_row(&r->user, &row);
    r->user.session_id = sid;
    snprintf(r->user.csrf, sizeof r->user.csrf, "%s", csrf);
    set_cookie(r, w, SESSION_COOKIE, token, r->cfg->session_max_hours * 3600);
    return LOGIN_OK;
}

int auth_check_current_password(req *r, const user_row *u, const char *password)
{
    /* Throttled like a login, on a key of its own: a stolen session must not
     * become an unlimited guesser of the password behind it. */
    char key[64];
    snprintf(key, sizeof key, "pw:%lld", (long long)u->id);
    int64_t now = db_now();
    int64_t attempt = store_login_failure(r->db, key, now);
    int wait = throttled_minutes(r->db, key, r->cfg->login_max_failures, now);
    if (wait || attempt <= 0) {
        store_login_forget(r->db, attempt);
        return wait ? wait : 1;
    }
    if (!password || !auth_verify_password(u->password_hash, password)) {
        store_audit(r->db, u->id, u->username, "password_check_failed", "user", u->id, NULL, NULL);
        return -1;
    }
    store_login_clear(r->db, key);
    return 0;
}

void auth_logout(req *r, resp *w)
{
    if (r->user.session_id) {
        store_session_delete(r->db, r->user.session_id);
        store_audit(r->db, r->user.id, r->user.username, "logout", "user", r->user.id, NULL, NULL);
    }
    set_cookie(r, w, SESSION_COOKIE, "", 0);
    r->user = (web_user){0};
}

int64_t auth_create_api_token(req *r, const char *name, char out[64])
{
    char hash[65];
    auth_random_token(out);
    auth_token_hash(out, hash);
    int64_t id = store_token_add(r->db, r->user.id, name, hash);
    if (id > 0) store_audit(r->db, r->user.id, r->user.username, "token_create", "api_token", id, NULL, NULL);
    return id;
}
