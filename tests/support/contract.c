/* The API contract gate (contract.h): one node process per test binary,
 * running tests/contract/validate.mjs, fed one JSON line per response. */
#include "contract.h"
#include "web/api/openapi.h"
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VALIDATOR "tests/contract/validate.mjs"

extern char **environ;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *to_node, *from_node;
static bool started, disabled;
static const char *start_error;
static char doc_path[64], answer[1024];

/* Writes the document to a temporary file and starts the validator on it. */
static const char *start_validator(const struct config *cfg)
{
    started = true;
    const char *off = getenv("CCHC_TEST_CONTRACT");
    if (off && !strcmp(off, "0")) { disabled = true; return NULL; }
    if (access(VALIDATOR, R_OK) != 0) return "contract: " VALIDATOR " is missing (run the tests from the repository root)";
    json_t *doc = openapi_document(cfg);
    snprintf(doc_path, sizeof doc_path, "/tmp/cchc-openapi-XXXXXX");
    int fd = mkstemp(doc_path);
    if (fd < 0 || !doc || json_dumpfd(doc, fd, JSON_COMPACT) != 0) { json_decref(doc); return "contract: cannot write the document"; }
    close(fd);
    json_decref(doc);
    int in[2], out[2];
    /* close-on-exec: processes the test starts later (servers, a resumed
     * PostgreSQL) must not hold the validator's pipes open after the test ends */
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) return "contract: pipe failed";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    char *argv[] = {"node", VALIDATOR, doc_path, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "node", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (rc != 0) return "contract: cannot start node (scripts/deps test installs it)";
    to_node = fdopen(in[1], "w");
    from_node = fdopen(out[0], "r");
    return to_node && from_node ? NULL : "contract: fdopen failed";
}

static void remove_document(void)
{
    if (doc_path[0]) unlink(doc_path);
}

/* Sends one response and reads the validator's one-line answer into answer. */
static const char *ask(const char *method, const char *path, long status, const char *content_type,
                       const char *body, size_t len)
{
    json_t *line = json_pack("{s:s, s:s, s:I, s:s, s:s%}", "method", method, "path", path, "status", (json_int_t)status,
                             "content_type", content_type ? content_type : "", "body", body ? body : "", body ? len : 0);
    if (!line) {
        snprintf(answer, sizeof answer, "contract: the body of %s %s is not UTF-8", method, path);
        return answer;
    }
    char *text = json_dumps(line, JSON_COMPACT);
    json_decref(line);
    int ok = text && fprintf(to_node, "%s\n", text) > 0 && fflush(to_node) == 0;
    free(text);
    if (!ok || !fgets(answer, sizeof answer, from_node)) return "contract: the validator stopped";
    answer[strcspn(answer, "\n")] = '\0';
    if (!strcmp(answer, "ok") || !strcmp(answer, "skip")) return NULL;
    return answer;
}

void contract_start(const struct config *cfg)
{
    pthread_mutex_lock(&lock);
    if (!started) {
        start_error = start_validator(cfg);
        atexit(remove_document);
    }
    pthread_mutex_unlock(&lock);
}

const char *contract_check(const struct config *cfg, const char *method, const char *path, long status,
                           const char *content_type, const char *body, size_t len)
{
    if (status <= 0) return NULL;                  /* no response at all: the test sees it */
    if (strncmp(path, "/api/", 5) != 0 && strncmp(path, "/healthz", 8) != 0) return NULL;
    contract_start(cfg);
    pthread_mutex_lock(&lock);
    const char *why = NULL;
    if (start_error) why = start_error;
    else if (!disabled) why = ask(method, path, status, content_type, body, len);
    pthread_mutex_unlock(&lock);
    return why;
}
