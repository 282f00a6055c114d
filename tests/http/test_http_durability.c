/* A write is answered only after it is durably committed: a commit that fails
 * gives the client an error, never a 2xx; killing the server (SIGKILL) in the
 * middle of a write load loses no update that got a 2xx, and leaves the SQLite
 * file intact; the CLI and the server writing at once show no error to anyone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "store/db.h"
#include "support/harness.h"
#include "support/testdb.h"


/* The commit hook is off again whatever a test left. */
static int teardown(void **state)
{
    db_test_fail_commits(0);
    return h_shared_teardown(state);
}

static void update_path(int64_t task, char *out, size_t n)
{
    snprintf(out, n, "/api/v1/tasks/%lld/updates", (long long)task);
}

/* A client of the server on port (0: the harness's) logged in as the TTRA unit
 * user, its CSRF token in token, and the update path of task 9 in path; NULL
 * when the login fails. */
static client *ttra_client(uint16_t port, char token[64], char path[64])
{
    client *c = c_new(h_shared);
    if (port) c_set_port(c, port);
    const char *csrf = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    snprintf(token, 64, "%s", csrf ? csrf : "");
    update_path(h_task_id(h_shared, "KH2022", "9"), path, 64);
    if (!csrf) { c_free(c); return NULL; }
    return c;
}

static void test_failed_commit_answers_an_error(void **state)
{
    (void)state;
    char token[64], path[64];
    client *c = ttra_client(0, token, path);
    assert_non_null(c);
    db_test_fail_commits(1);
    const response *r = c_post_json(c, "POST", path, "{\"status\":\"in_progress\",\"percent\":31,\"note\":\"commit fails\"}", token);
    assert_true(r->status >= 500);
    assert_null(strstr(r->body, "update_id"));
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM task_updates WHERE note = ?", "commit fails"), 0);
    r = c_post_json(c, "POST", path, "{\"status\":\"in_progress\",\"percent\":32,\"note\":\"commit works\"}", token);
    assert_int_equal(r->status, 201);
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM task_updates WHERE note = ?", "commit works"), 1);
    c_free(c);
}

/* ---------- crash test ---------- */

#define CLIENTS 4
#define MAX_ACKED 4000

typedef struct {
    uint16_t port;
    int64_t acked[MAX_ACKED];
    atomic_int nacked;
    atomic_bool stop;
} load;

static void *post_until_stopped(void *arg)
{
    load *l = arg;
    char token[64], path[64], body[128];
    client *c = ttra_client(l->port, token, path);
    for (int i = 0; c && !atomic_load(&l->stop); i++) {
        snprintf(body, sizeof body, "{\"status\":\"in_progress\",\"percent\":%d,\"note\":\"crash load\"}", i % 100);
        const response *r = c_post_json(c, "POST", path, body, token);
        if (r->status == 0) break;                                   /* the server is gone */
        const char *id = r->status == 201 ? strstr(r->body, "\"update_id\":") : NULL;
        int k = id ? atomic_fetch_add(&l->nacked, 1) : MAX_ACKED;
        if (k < MAX_ACKED) l->acked[k] = strtoll(id + 12, NULL, 10);
    }
    c_free(c);
    return NULL;
}

static void crash_once(int kill_after_ms)
{
    static load l;
    memset(&l, 0, sizeof l);
    int pid = h_spawn_serve(h_shared, &l.port);
    assert_true(pid > 0);
    pthread_t t[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) assert_int_equal(pthread_create(&t[i], NULL, post_until_stopped, &l), 0);
    struct timespec pause = {kill_after_ms / 1000, (long)(kill_after_ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
    kill(pid, SIGKILL);                                              /* mid-load, no drain */
    int st;
    waitpid(pid, &st, 0);
    atomic_store(&l.stop, true);
    for (int i = 0; i < CLIENTS; i++) pthread_join(t[i], NULL);
    int n = atomic_load(&l.nacked);
    assert_true(n > 0);                                              /* the load did run */
    int restarted = h_spawn_serve(h_shared, &l.port);                       /* recovery of the WAL */
    assert_true(restarted > 0);
    for (int i = 0; i < n && i < MAX_ACKED; i++)
        if (h_query_int_i(h_shared, "SELECT COUNT(*) FROM task_updates WHERE id = ?", l.acked[i]) != 1)
            fail_msg("acknowledged update %lld lost (kill after %d ms)", (long long)l.acked[i], kill_after_ms);
    if (!test_db_is_pg()) {
        db *d = h_db(h_shared);
        db_stmt *s = db_prepare(d, "PRAGMA integrity_check");
        assert_non_null(s);
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_col_text(s, 0), "ok");
        db_idle(d);
    }
    h_kill_serve(restarted);
}

static void test_kill_during_writes_loses_no_acknowledged_update(void **state)
{
    (void)state;
    crash_once(400);
    crash_once(900);
    crash_once(1500);
}

/* ---------- the CLI and the server at once ---------- */

static void *cli_writes(void *arg)
{
    int *failures = arg;
    const char *bin = getenv("CCHC_TEST_BIN");
    char out[4096];
    for (int i = 0; i < 6; i++) {
        if (sh_capture(out, sizeof out, "printf 'mat-khau-cli-2026\\n' | %s --config /dev/null user add cli_user_%d --role viewer "
                       "--password-stdin --data %s --db '%s' 2>&1", bin ? bin : "build/asan/cchc", i,
                       h_data_dir(h_shared), h_db_location(h_shared)) != 0) {
            fprintf(stderr, "cli: %s\n", out);
            (*failures)++;
        }
    }
    return NULL;
}

static void test_cli_and_server_write_at_once(void **state)
{
    (void)state;
    int cli_failures = 0;
    pthread_t cli;
    assert_int_equal(pthread_create(&cli, NULL, cli_writes, &cli_failures), 0);
    char token[64], path[64];
    client *c = ttra_client(0, token, path);
    assert_non_null(c);
    int64_t before = h_query_int(h_shared, "SELECT COUNT(*) FROM task_updates WHERE note = ?", "alongside the CLI");
    for (int i = 0; i < 40; i++) {
        const response *r = c_post_json(c, "POST", path, "{\"status\":\"in_progress\",\"percent\":50,\"note\":\"alongside the CLI\"}", token);
        assert_int_equal(r->status, 201);
    }
    pthread_join(cli, NULL);
    assert_int_equal(cli_failures, 0);
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM task_updates WHERE note = ?", "alongside the CLI"), before + 40);
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM users WHERE username LIKE ?", "cli_user_%"), 6);
    c_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_commit_answers_an_error),
        cmocka_unit_test(test_kill_during_writes_loses_no_acknowledged_update),
        cmocka_unit_test(test_cli_and_server_write_at_once),
    };
    return cmocka_run_group_tests(tests, h_shared_setup, teardown);
}
