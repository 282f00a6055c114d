/* Authentication (see auth.h). */
#include "web/auth.h"
#include "config.h"
#include "web/router.h"
#include "store/store_audit.h"
#include "store/store_user.h"
#include <pthread.h>
#include <sodium.h>
#include "core/i18n.h"
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

/* Returns minutes until key is below limit failures within window seconds
 * again, or 0 when not throttled (n counts this attempt too: recorded first). */
static int throttled_minutes_in(db *d, const char *key, int limit, int64_t window, int64_t now)
{
    int64_t oldest = 0;
    int n = store_login_failures_since(d, key, now - window, &oldest);
    if (n <= limit) return 0;
    int64_t wait = oldest + window - now;
    return (int)(wait / 60) + 1;
}

static int throttled_minutes(db *d, const char *key, int limit, int64_t now)
{
    return throttled_minutes_in(d, key, limit, THROTTLE_WINDOW, now);
}

/* Exponential delay for one account from one address (unknown devices): after
 * limit failures, each further attempt waits 1, 2, 4, 8, then 16 minutes
 * after the newest failure. Minutes to wait, or 0. */
static int delay_minutes(db *d, const char *key, int limit, int64_t now)
{
    int64_t oldest = 0, newest = 0;
    int n = store_login_failures_since(d, key, now - THROTTLE_WINDOW, &oldest) - 1;   /* without this attempt */
    if (n < limit || store_login_newest(d, key, now, &newest) != DB_OK) return 0;
    int shift = n - limit < 4 ? n - limit : 4;
    int64_t wait = newest + 60 * ((int64_t)1 << shift) - now;
    return wait > 0 ? (int)((wait + 59) / 60) : 0;
}

/* ---------- device cookies (OWASP "slow brute force" defence) ---------- */

#define DEVICE_COOKIE "cchc_device"

/* A device token for user_id: the id, 8 random bytes and their HMAC (16 bytes)
 * under the deployment's key, base64url. False when the key is unavailable. */
static bool device_make(req *r, int64_t user_id, char out[64])
{
    unsigned char key[crypto_auth_KEYBYTES], raw[3 + 8 + 8 + 16], mac[crypto_auth_BYTES];
    if (!precsrf_key(r, key)) return false;
    memcpy(raw, "dev", 3);                                   /* domain separation from pre-login tokens */
    for (int i = 0; i < 8; i++) raw[3 + i] = (unsigned char)((uint64_t)user_id >> (8 * i));
    randombytes_buf(raw + 11, 8);
    crypto_auth(mac, raw, 19, key);
    memcpy(raw + 19, mac, 16);
    sodium_bin2base64(out, 64, raw + 3, sizeof raw - 3, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return true;
}

/* The device of the request when its cookie was issued to user_id by this
 * deployment: its throttling key ("d:" + the token) in key_out. */
static bool device_known(req *r, int64_t user_id, char key_out[96])
{
    const char *tok = req_cookie(r, DEVICE_COOKIE);
    unsigned char key[crypto_auth_KEYBYTES], raw[3 + 32], mac[crypto_auth_BYTES];
    size_t len = 0;
    if (!tok || strlen(tok) > 60 ||
        sodium_base642bin(raw + 3, 32, tok, strlen(tok), NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != 32 || !precsrf_key(r, key))
        return false;
    memcpy(raw, "dev", 3);
    crypto_auth(mac, raw, 19, key);
    if (sodium_memcmp(mac, raw + 19, 16) != 0) return false;
    uint64_t id = 0;
    for (int i = 0; i < 8; i++) id |= (uint64_t)raw[3 + i] << (8 * i);
    if ((int64_t)id != user_id) return false;
    snprintf(key_out, 96, "d:%s", tok);
    return true;
}

/* Records that a throttled attempt was refused, audited at most once a minute per account. */
static void note_throttled(req *r, const char *username, int64_t now)
{
    char since[32];
    time_t t = (time_t)now - 60;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (store_audit_count_since(r->db, "login_throttled", username, since) == 0)
        store_audit(r->db, 0, username, "login_throttled", "user", 0, NULL, NULL);
}

/* The throttle of a login attempt, recorded before it is checked (so parallel
 * attempts cannot all pass): on a device the user logged in from before, only
 * that device's own failures count; otherwise the attempt counts per account
 * and address (exponential delay), per address (all accounts), and per account
 * over an hour (across all addresses). ids get the recorded attempts; 0 or the
 * minutes to wait. */
static int login_throttle(req *r, const char *username, int64_t user_id, int64_t now, int64_t ids[3])
{
    char dkey[96], akey[160], ipkey[96], ukey[96];
    ids[0] = ids[1] = ids[2] = 0;
    if (user_id > 0 && device_known(r, user_id, dkey)) {
        ids[0] = store_login_failure(r->db, dkey, now);
        int w = throttled_minutes(r->db, dkey, r->cfg->login_max_failures, now);
        return w ? w : ids[0] > 0 ? 0 : 1;
    }
    snprintf(akey, sizeof akey, "ua:%s|%s", username, r->client_ip);
    snprintf(ipkey, sizeof ipkey, "ip:%s", r->client_ip);
    snprintf(ukey, sizeof ukey, "u:%s", username);
    ids[0] = store_login_failure(r->db, akey, now);
    ids[1] = store_login_failure(r->db, ipkey, now);
    ids[2] = store_login_failure(r->db, ukey, now);
    if (ids[0] <= 0 || ids[1] <= 0 || ids[2] <= 0) return 1;      /* an attempt that could not be recorded is refused */
    int wa = delay_minutes(r->db, akey, r->cfg->login_max_failures, now);
    int wi = throttled_minutes(r->db, ipkey, r->cfg->login_ip_failures, now);
    int wu = throttled_minutes_in(r->db, ukey, r->cfg->login_account_hourly, 3600, now);
    int w = wa > wi ? wa : wi;
    return w > wu ? w : wu;
}

login_result auth_login(req *r, resp *w, const char *username, const char *password, int *retry_minutes)
{
    int64_t now = db_now();
    store_login_purge(r->db, now - 3600);               /* only the windows count: keeps the table small */
    user_row row;
    bool found = store_user_by_name(r->db, username, &row);
    int64_t ids[3];
    int wait = login_throttle(r, username, found ? row.id : 0, now, ids);
    if (wait) {
        *retry_minutes = wait;
        /* A refused attempt leaves no row: a flood grows neither table. */
        for (int i = 0; i < 3; i++) store_login_forget(r->db, ids[i]);
        note_throttled(r, username, now);
        return LOGIN_THROTTLED;
    }
    bool ok = auth_verify_password(found ? row.password_hash : dummy_hash, password) && found && row.active;
    if (!ok) {
        store_audit(r->db, found ? row.id : 0, username, "login_failed", "user", found ? row.id : 0, NULL, NULL);
        return LOGIN_BAD_CREDENTIALS;
    }
    for (int i = 0; i < 3; i++) store_login_forget(r->db, ids[i]);   /* this attempt was no failure */
    char akey[160];
    snprintf(akey, sizeof akey, "ua:%s|%s", username, r->client_ip);
    store_login_clear(r->db, akey);
    char device[64];
    if (device_make(r, row.id, device)) set_cookie(r, w, DEVICE_COOKIE, device, 365 * 24 * 3600);
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

/* auth_try_login: see auth.h. */
int auth_try_login(req *r, resp *w, const char *username, const char *password, const char **msg,
                     char *scratch, size_t n)
{
    if (!username || !password || !*username || !*password) {
        *msg = _("Nhập tên đăng nhập và mật khẩu.");
        return 422;
    }
    if (strlen(username) > AUTH_MAX_USERNAME || strlen(password) > AUTH_MAX_PASSWORD) {
        *msg = _("Tên đăng nhập hoặc mật khẩu quá dài.");
        return 422;
    }
    int minutes = 0;
    switch (auth_login(r, w, username, password, &minutes)) {
    case LOGIN_OK: return 0;
    case LOGIN_THROTTLED:
        snprintf(scratch, n, _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %d phút."), minutes);
        *msg = scratch;
        return 429;
    case LOGIN_BAD_CREDENTIALS:
        *msg = _("Tên đăng nhập hoặc mật khẩu không đúng.");
        return 401;
    default:
        *msg = _("Không đăng nhập được do lỗi hệ thống.");
        return 500;
    }
}
