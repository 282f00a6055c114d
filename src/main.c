/* cchc — command-line entry point: serve | init | import | calendar | user | backup | routes. */
#include "core/number.h"
#include "cli.h"
#include "core/i18n.h"
#include "calendar_default.h"
#include "config.h"
#include "core/model.h"
#include "store/db.h"
#include "store/store_search.h"
#include "store/store_audit.h"
#include "store/store_unit.h"
#include "store/store_user.h"
#include "web/auth.h"
#include "web/server.h"
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char USAGE[] =
    "Usage: cchc [--config FILE] COMMAND [OPTIONS]\n"
    "\n"
    "Administrative-reform (CCHC) system of Sở Giáo dục và Đào tạo Hải Phòng.\n"
    "\n"
    "Commands:\n"
    "  serve     [--data DIR] [--listen ADDR:PORT]   serve the web UI and the API\n"
    "  init      [--data DIR] [--demo]               create the database with the bundled plans\n"
    "  import    plan FILE.csv [--dry-run] [--valid-only] [--data DIR]\n"
    "  calendar  to-lunar|to-solar|tet|is-working-day|add|holidays ...  working-day calendar\n"
    "  user      add NAME --role ROLE [--unit UNIT_CODE|UNIT_ID] [--name FULL] --password-stdin\n"
    "  user      passwd NAME --password-stdin | list\n"
    "  backup    FILE [--data DIR]                     online copy of the database (pg_dump -Fc on PostgreSQL)\n"
    "  migrate   --from FILE|URL --to URL              copy a database into an empty one, verified\n"
    "  restore   FILE [--force]                        restore a backup (refuses a database with data)\n"
    "  audit     verify                                check the audit hash chain\n"
    "  routes                                          print the route table (TSV: method, pattern, kind, capability, summary)\n"
    "\n"
    "Global options:\n"
    "  --config FILE   INI configuration (default: cchc.conf if present)\n"
    "  --set KEY=VAL   override one setting, e.g. --set limits.max_upload=1048576\n"
    "  --help          this text; 'cchc COMMAND --help' for a command\n"
    "\n"
    "Every command also takes --data DIR (default var/: uploaded files and, on SQLite, cchc.db)\n"
    "and --db URL (PostgreSQL: postgres://USER@/DB?host=/run/postgresql; or [database] url).\n"
    "Roles: admin, office, leader, unit, viewer.\n";

static bool want_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    return false;
}

/* Removes argv[i] and its value (if has_value) from the array. */
static void drop_args(int *argc, char **argv, int i, int n)
{
    memmove(&argv[i], &argv[i + n], sizeof(char *) * (size_t)(*argc - i - n + 1));
    *argc -= n;
}

/* Consumes --data DIR, --db URL and --listen ADDR:PORT wherever they appear. -1 on error. */
static int take_common_options(config *cfg, int *argc, char **argv)
{
    for (int i = 1; i < *argc;) {
        if (!strcmp(argv[i], "--data") && i + 1 < *argc) {
            snprintf(cfg->data_dir, sizeof cfg->data_dir, "%s", argv[i + 1]);
            drop_args(argc, argv, i, 2);
        } else if (!strcmp(argv[i], "--db") && i + 1 < *argc) {
            char err[256];
            if (config_set(cfg, "database.url", argv[i + 1], err, sizeof err) != 0) {
                fprintf(stderr, "cchc: invalid --db '%s' (expected postgres://..., postgresql://... or a file path)\n", argv[i + 1]);
                return -2;
            }
            drop_args(argc, argv, i, 2);
        } else if (!strcmp(argv[i], "--listen") && i + 1 < *argc) {
            if (config_set_listen(cfg, argv[i + 1]) != 0) {
                fprintf(stderr, "cchc: invalid --listen '%s' (expected ADDR:PORT)\n", argv[i + 1]);
                return -1;
            }
            drop_args(argc, argv, i, 2);
        } else {
            i++;
        }
    }
    return 0;
}

db *cli_open_db(const config *cfg)
{
    if (mkdir(cfg->data_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "cchc: cannot create %s: %s\n", cfg->data_dir, strerror(errno));
        return NULL;
    }
    char location[600], err[512];
    config_db_location(cfg, location, sizeof location);
    db *d = db_open(location, err, sizeof err);
    if (!d) { fprintf(stderr, "cchc: %s\n", err); return NULL; }
    int indexed = 0;            /* tasks of a database from before the search table */
    if (store_task_search_rebuild(d, &indexed) != DB_OK) fprintf(stderr, "cchc: cannot index tasks for search: %s\n", db_errmsg(d));
    return d;
}

int cli_serve(config *cfg, int argc, char **argv)
{
    if (want_help(argc, argv)) {
        printf("Usage: cchc serve [--data DIR] [--listen ADDR:PORT]\n"
               "Serves the web UI and the JSON API (default 127.0.0.1:8080). SIGTERM drains and exits.\n");
        return 0;
    }
    if (argc > 1) { fprintf(stderr, "cchc serve: unexpected argument '%s'\n", argv[1]); return 2; }
    db *d = cli_open_db(cfg);           /* creates or migrates the database before serving */
    if (!d) return 1;
    char seed_err[512];                 /* a database from before the one-stop shop gets the catalogue */
    if (seed_procedures(d, seed_err, sizeof seed_err) != 0) fprintf(stderr, "cchc: %s\n", seed_err);
    db_close(d);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    char err[256];
    server *s = server_start(cfg, err, sizeof err);
    if (!s) { fprintf(stderr, "cchc: %s\n", err); return 1; }
    printf("cchc: serving %s at http://%s:%u/ (data: %s)\n", cfg->agency, cfg->listen_addr, server_port(s), cfg->data_dir);
    fflush(stdout);
    server_run_until_signal(s);
    return 0;
}

static const struct { const char *username, *full_name; role r; const char *unit_code; } DEMO_USERS[] = {
    {"admin", "Quản trị hệ thống", ROLE_ADMIN, NULL},
    {"vanphong", "Nguyễn Thị Hoa (Văn phòng Sở)", ROLE_OFFICE, "VP"},
    {"lanhdao", "Trần Văn Minh (Phó Giám đốc)", ROLE_LEADER, NULL},
    {"thanhtra", "Lê Văn Đức (Thanh tra Sở)", ROLE_UNIT, "TTRA"},
    {"tccb", "Phạm Thu Trang (Phòng Tổ chức Cán bộ)", ROLE_UNIT, "TCCB"},
    {"xem", "Đỗ Quang Huy (xem)", ROLE_VIEWER, NULL},
    {"motcua", "Vũ Thị Lan (Bộ phận Một cửa)", ROLE_ONESTOP, "VP"},
    {"chuyenvien", "Hoàng Minh Tuấn (chuyên viên Phòng GDTX-CN&ĐH)", ROLE_SPECIALIST, "GDTXCNDH"},
    {"truongphong", "Ngô Thanh Hà (Trưởng phòng GDTX-CN&ĐH)", ROLE_HEAD, "GDTXCNDH"},
};

/* Creates the demo accounts with random passwords, printing them and writing
 * DATA/demo-accounts.txt (mode 0600). Skips accounts that exist. */
static int create_demo_users(const config *cfg, db *d)
{
    char path[600];
    snprintf(path, sizeof path, "%s/demo-accounts.txt", cfg->data_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
    if (!f) { fprintf(stderr, "cchc: cannot write %s\n", path); return -1; }
    fchmod(fd, 0600);
    printf("Demo accounts (also in %s):\n", path);
    for (size_t i = 0; i < sizeof DEMO_USERS / sizeof DEMO_USERS[0]; i++) {
        user_row existing;
        if (store_user_by_name(d, DEMO_USERS[i].username, &existing)) continue;
        char pw[24], hash[128];
        auth_random_password(pw);
        if (auth_hash_password(pw, hash) != 0) { fclose(f); return -1; }
        int64_t unit = DEMO_USERS[i].unit_code ? store_unit_id_by_code(d, DEMO_USERS[i].unit_code) : 0;
        if (store_user_add(d, DEMO_USERS[i].username, DEMO_USERS[i].full_name, DEMO_USERS[i].r, unit, hash) <= 0) {
            fclose(f);
            return -1;
        }
        printf("  %-10s %-8s %s\n", DEMO_USERS[i].username, role_id(DEMO_USERS[i].r), pw);
        fprintf(f, "%s\t%s\t%s\n", DEMO_USERS[i].username, role_id(DEMO_USERS[i].r), pw);
    }
    fclose(f);
    return 0;
}

int cli_init(config *cfg, int argc, char **argv)
{
    if (want_help(argc, argv)) {
        printf("Usage: cchc init [--data DIR] [--demo]\n"
               "Creates DIR/cchc.db (default var/) with the bundled units, both reform plans and their\n"
               "targets. --demo adds sample progress and one demo account per role, with random passwords\n"
               "printed and written to DIR/demo-accounts.txt (mode 0600). Running it again is harmless.\n");
        return 0;
    }
    int demo = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--demo")) demo = 1;
        else { fprintf(stderr, "cchc init: unknown option '%s'\n", argv[i]); return 2; }
    }
    if (auth_init() != 0) return 1;
    db *d = cli_open_db(cfg);
    if (!d) return 1;
    char err[512];
    int rc = seed_bundled(d, demo, err, sizeof err);
    if (rc != 0) fprintf(stderr, "cchc init: %s\n", err);
    else if (demo) rc = create_demo_users(cfg, d);
    if (rc == 0 && demo && (rc = seed_demo_dossiers(d, cfg, err, sizeof err)) != 0) fprintf(stderr, "cchc init: %s\n", err);
    db_close(d);
    return rc == 0 ? 0 : 1;
}

/* Reads a password from stdin (first line, without the newline). */
static int read_password(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin)) return -1;
    if (!strchr(out, '\n') && !feof(stdin)) {
        fprintf(stderr, "cchc user: the password is too long (at most %zu bytes)\n", n - 2);
        return -1;
    }
    out[strcspn(out, "\r\n")] = '\0';
    if (strlen(out) < 10) { fprintf(stderr, "cchc user: the password must have at least 10 characters\n"); return -1; }
    return 0;
}

static void print_user(const user_row *u, void *ctx)
{
    (void)ctx;
    printf("%-16s %-8s %-6s %s%s%s\n", u->username, role_id(u->role), u->active ? "active" : "off",
           u->full_name, u->unit_name[0] ? " — " : "", u->unit_name);
}

static int user_add(db *d, int argc, char **argv)
{
    const char *name = argc > 2 ? argv[2] : NULL, *role_s = NULL, *unit_s = NULL, *full = "";
    bool pw_stdin = false;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--role") && i + 1 < argc) role_s = argv[++i];
        else if (!strcmp(argv[i], "--unit") && i + 1 < argc) unit_s = argv[++i];
        else if (!strcmp(argv[i], "--name") && i + 1 < argc) full = argv[++i];
        else if (!strcmp(argv[i], "--password-stdin")) pw_stdin = true;
        else { fprintf(stderr, "cchc user add: unknown option '%s'\n", argv[i]); return 2; }
    }
    role r = role_parse(role_s);
    if (!username_valid(name) || r == ROLE_NONE || !pw_stdin) {
        fprintf(stderr, "Usage: cchc user add NAME --role admin|office|leader|unit|viewer [--unit UNIT] [--name FULL] --password-stdin\n"
                        "NAME: 3-60 ASCII letters, digits, '.', '_' or '-'.\n");
        return 2;
    }
    int64_t unit = 0;
    if (unit_s) {
        if (!parse_int64_strict(unit_s, 1, INT64_MAX, &unit)) unit = store_unit_id_by_code(d, unit_s);
        char tmp[8];
        if (unit <= 0 || !store_unit_name(d, unit, tmp, sizeof tmp)) { fprintf(stderr, "cchc user add: unknown unit '%s'\n", unit_s); return 2; }
    }
    if (r == ROLE_UNIT && unit == 0) { fprintf(stderr, "cchc user add: role unit needs --unit\n"); return 2; }
    char pw[258], hash[128];
    if (read_password(pw, sizeof pw) != 0 || auth_hash_password(pw, hash) != 0) return 2;
    int64_t id = store_user_add(d, name, full, r, unit, hash);
    if (id == 0) { fprintf(stderr, "cchc user add: '%s' already exists\n", name); return 2; }
    if (id < 0) return 1;
    store_audit(d, 0, "cli", "user_add", "user", id, NULL, NULL);
    printf("user %s added (id %lld)\n", name, (long long)id);
    return 0;
}

static int user_passwd(db *d, int argc, char **argv)
{
    user_row u;
    if (argc != 4 || strcmp(argv[3], "--password-stdin") != 0) {
        fprintf(stderr, "Usage: cchc user passwd NAME --password-stdin\n");
        return 2;
    }
    if (!store_user_by_name(d, argv[2], &u)) { fprintf(stderr, "cchc user passwd: no user '%s'\n", argv[2]); return 2; }
    char pw[258], hash[128];
    if (read_password(pw, sizeof pw) != 0 || auth_hash_password(pw, hash) != 0) return 2;
    if (!store_user_set_password(d, u.id, hash) || store_session_delete_user(d, u.id, 0) != DB_OK ||
        store_token_revoke_user(d, u.id) != DB_OK)
        return 1;
    store_audit(d, 0, "cli", "user_passwd", "user", u.id, NULL, NULL);
    printf("password of %s changed\n", u.username);
    return 0;
}

int cli_user(config *cfg, int argc, char **argv)
{
    if (argc < 2 || want_help(argc, argv)) {
        printf("Usage:\n  cchc user add NAME --role ROLE [--unit UNIT_CODE|UNIT_ID] [--name FULL] --password-stdin\n"
               "  cchc user passwd NAME --password-stdin\n  cchc user list\n"
               "Roles: admin, office (Văn phòng Sở), leader (read all, approve reports), unit (scoped to a unit), viewer.\n"
               "The password is read from the first line of standard input (at least 10 characters).\n");
        return argc < 2 ? 2 : 0;
    }
    if (auth_init() != 0) return 1;
    db *d = cli_open_db(cfg);
    if (!d) return 1;
    int rc;
    if (!strcmp(argv[1], "add")) rc = user_add(d, argc, argv);
    else if (!strcmp(argv[1], "passwd")) rc = user_passwd(d, argc, argv);
    else if (!strcmp(argv[1], "list")) rc = store_user_list(d, print_user, NULL) == DB_OK ? 0 : 1;
    else { fprintf(stderr, "cchc user: unknown subcommand '%s'\n", argv[1]); rc = 2; }
    db_close(d);
    return rc;
}

int cli_backup(config *cfg, int argc, char **argv)
{
    if (argc != 2 || want_help(argc, argv)) {
        printf("Usage: cchc backup FILE [--data DIR] [--db URL]\nCopies the live database to FILE: SQLite's online backup API, or\n"
               "on PostgreSQL pg_dump's custom format (restore with pg_restore -d NEWDB FILE).\n");
        return argc == 2 ? 0 : 2;
    }
    db *d = cli_open_db(cfg);
    if (!d) return 1;
    char err[256];
    int rc = db_backup(d, argv[1], err, sizeof err);
    if (rc != DB_OK) fprintf(stderr, "cchc backup: %s\n", err);
    else printf("backup written to %s\n", argv[1]);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

int cli_restore(config *cfg, int argc, char **argv)
{
    bool force = false;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--force")) force = true;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) file = NULL, argc = 0;
        else if (!file && argv[i][0] != '-') file = argv[i];
        else { fprintf(stderr, "cchc restore: unexpected argument '%s'\n", argv[i]); return 2; }
    }
    if (!file) {
        printf("Usage: cchc restore FILE [--force] [--data DIR] [--db URL]\n"
               "Restores a backup made by cchc backup into the configured database. A database that\n"
               "already holds data is refused unless --force (stop the servers first).\n");
        return argc == 0 ? 0 : 2;
    }
    if (mkdir(cfg->data_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "cchc restore: cannot create %s: %s\n", cfg->data_dir, strerror(errno));
        return 1;
    }
    char location[600], err[512];
    config_db_location(cfg, location, sizeof location);
    int rc = db_restore(location, file, force, err, sizeof err);
    if (rc != DB_OK) { fprintf(stderr, "cchc restore: %s\n", err); return 1; }
    db *d = cli_open_db(cfg);                   /* migrates a backup from an older cchc */
    if (!d) return 1;
    db_close(d);
    printf("restored %s into %s\n", file, location);
    return 0;
}

int cli_audit(config *cfg, int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "verify") != 0) {
        printf("Usage: cchc audit verify [--data DIR] [--db URL]\n"
               "Walks the audit hash chain and names the first entry that was edited, deleted before or moved.\n");
        return want_help(argc, argv) ? 0 : 2;
    }
    db *d = cli_open_db(cfg);
    if (!d) return 1;
    int64_t checked = 0, broken = 0;
    char head[65] = "";
    int rc = store_audit_verify(d, &checked, &broken, head);
    db_close(d);
    if (rc != DB_OK) { fprintf(stderr, "cchc audit: cannot read the audit\n"); return 1; }
    if (broken) {
        printf("audit chain BROKEN at entry %lld (after %lld intact entries): edited, moved, or the entry before it deleted\n",
               (long long)broken, (long long)checked);
        return 1;
    }
    printf("audit chain intact: %lld entries, head %s\n", (long long)checked, head[0] ? head : "(empty)");
    return 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    config cfg;
    config_defaults(&cfg);
    char err[512];
    const char *conf = "cchc.conf";
    bool conf_given = false;
    char *sets[32];                    /* --set KEY=VALUE, applied over the file */
    int nsets = 0;
    while (argc > 1 && argv[1][0] == '-') {
        if (!strcmp(argv[1], "--config") && argc > 2) { conf = argv[2]; conf_given = true; drop_args(&argc, argv, 1, 2); }
        else if (!strcmp(argv[1], "--set") && argc > 2) {
            if (!strchr(argv[2], '=') || nsets == 32) { fprintf(stderr, "cchc: --set expects KEY=VALUE (at most 32)\n"); return 2; }
            sets[nsets++] = argv[2];
            drop_args(&argc, argv, 1, 2);
        } else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) { fputs(USAGE, stdout); return 0; }
        else break;
    }
    int lrc = config_load(&cfg, conf, err, sizeof err);
    if (lrc < 0 || (lrc == 1 && conf_given)) {
        fprintf(stderr, "cchc: %s\n", lrc < 0 ? err : "configuration file not found");
        return 2;
    }
    for (int i = 0; i < nsets; i++) {
        char *eq = strchr(sets[i], '=');
        *eq = '\0';
        if (config_set(&cfg, sets[i], eq + 1, err, sizeof err) != 0) { fprintf(stderr, "cchc: %s\n", err); return 2; }
    }
    cal_office_hours hours;
    if (cal_parse_office_hours(cfg.office_hours, &hours)) cal_set_office_hours(&hours);
    if (cfg.locale_dir[0] && !i18n_enable(cfg.locale_dir))       /* language from LANGUAGE / LC_MESSAGES */
        fprintf(stderr, "cchc: cannot use translations in %s\n", cfg.locale_dir);
    if (argc < 2) { fputs(USAGE, stderr); return 2; }
    const char *cmd = argv[1];
    argc--; argv++;
    if (!strcmp(cmd, "calendar")) return cli_calendar(argc, argv);
    int orc = take_common_options(&cfg, &argc, argv);
    if (orc != 0) return orc == -2 ? 1 : 2;
    if (!strcmp(cmd, "serve")) return cli_serve(&cfg, argc, argv);
    if (!strcmp(cmd, "init")) return cli_init(&cfg, argc, argv);
    if (!strcmp(cmd, "import")) return cli_import(&cfg, argc, argv);
    if (!strcmp(cmd, "user")) return cli_user(&cfg, argc, argv);
    if (!strcmp(cmd, "backup")) return cli_backup(&cfg, argc, argv);
    if (!strcmp(cmd, "migrate")) return cli_migrate(&cfg, argc, argv);
    if (!strcmp(cmd, "restore")) return cli_restore(&cfg, argc, argv);
    if (!strcmp(cmd, "audit")) return cli_audit(&cfg, argc, argv);
    if (!strcmp(cmd, "routes")) return cli_routes(argc, argv);
    fprintf(stderr, "cchc: unknown command '%s'\n\n%s", cmd, USAGE);
    return 2;
}
