/* cchc migrate --from LOCATION --to LOCATION: copies a deployment's database into
 * an empty one (typically SQLite into PostgreSQL) and proves the copy. */
#include "cli.h"
#include "store/db.h"
#include "store/store_migrate.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char MIGRATE_USAGE[] =
    "Usage: cchc migrate --from FILE|URL --to URL\n"
    "Copies every table of the source database (e.g. var/cchc.db) into an empty target\n"
    "(e.g. postgres://cchc@/cchc?host=/run/postgresql), in one transaction, keeping ids.\n"
    "Prints each table's row count and checksum on both sides; the source is only read.\n"
    "Exit status: 0 when every table matches, 1 otherwise (the target is left empty on error).\n";

static void print_table(const migrate_table *t, void *ctx)
{
    int *ok = ctx;
    bool same = t->rows_from == t->rows_to && strcmp(t->sum_from, t->sum_to) == 0;
    if (!same) *ok = 0;
    printf("  %-26s %8lld %8lld  %s  %s  %s\n", t->table, (long long)t->rows_from, (long long)t->rows_to,
           t->sum_from, t->sum_to, same ? "ok" : "DIFFERENT");
}

int cli_migrate(config *cfg, int argc, char **argv)
{
    (void)cfg;
    const char *from = NULL, *to = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(MIGRATE_USAGE, stdout); return 0; }
        if (!strcmp(argv[i], "--from") && i + 1 < argc) from = argv[++i];
        else if (!strcmp(argv[i], "--to") && i + 1 < argc) to = argv[++i];
        else { fprintf(stderr, "cchc migrate: unexpected argument '%s'\n%s", argv[i], MIGRATE_USAGE); return 2; }
    }
    if (!from || !to) { fputs(MIGRATE_USAGE, stderr); return 2; }
    if (!strcmp(from, to)) { fprintf(stderr, "cchc migrate: --from and --to are the same database\n"); return 2; }
    if (sodium_init() < 0) return 1;
    char err[512];
    db *src = db_open_readonly(from, err, sizeof err);
    if (!src) { fprintf(stderr, "cchc migrate: source: %s\n", err); return 1; }
    db *dst = db_open(to, err, sizeof err);
    if (!dst) { fprintf(stderr, "cchc migrate: target: %s\n", err); db_close(src); return 1; }
    printf("cchc migrate: %s (%s) -> %s (%s)\n", from, db_engine_name(src), to, db_engine_name(dst));
    printf("  %-26s %8s %8s  %-32s  %-32s\n", "table", "source", "target", "source checksum", "target checksum");
    int ok = 1;
    int rc = store_migrate(src, dst, print_table, &ok, err, sizeof err);
    db_close(src);
    db_close(dst);
    if (rc != DB_OK || !ok) {
        fprintf(stderr, "cchc migrate: %s\n", err[0] ? err : "the copy differs from the source");
        return 1;
    }
    printf("cchc migrate: every table copied and verified\n");
    return 0;
}
