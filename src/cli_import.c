/* cchc import plan FILE.csv — validates a plan CSV, prints the preview and
 * applies it (see cli.h for the exit statuses). */
#include "cli.h"
#include "core/buf.h"
#include "core/plan_import.h"
#include "store/db.h"
#include "store/store_import.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "Usage: cchc import plan FILE.csv [--dry-run] [--valid-only] [--title TITLE --years FROM-TO] [--data DIR]\n"
    "Validates a plan CSV (columns plan_code, area_no, area_title, number, title, lead_unit,\n"
    "coordinating_units, product, deadline_text; see data/README.md), prints every problem with its\n"
    "line number and what would change, then applies it in one transaction.\n"
    "  --dry-run     only print the preview\n"
    "  --valid-only  when some rows have errors, apply the valid rows anyway\n"
    "  --title, --years  title and years (e.g. 2027-2030) of the plan, required when its code is new\n"
    "Tasks are matched by plan code and number: existing ones are updated and keep their progress.\n"
    "Exit status: 0 applied (or a dry run that could be applied), 2 problems block it or bad usage,\n"
    "1 a file or database error.\n";

typedef struct {
    const char *file, *title, *years;
    bool dry_run, valid_only;
} import_args;

static int parse_args(config *cfg, int argc, char **argv, import_args *a)
{
    memset(a, 0, sizeof *a);
    if (argc < 2 || strcmp(argv[1], "plan") != 0) return -1;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--dry-run")) a->dry_run = true;
        else if (!strcmp(s, "--valid-only")) a->valid_only = true;
        else if (!strcmp(s, "--title") && i + 1 < argc) a->title = argv[++i];
        else if (!strcmp(s, "--years") && i + 1 < argc) a->years = argv[++i];
        else if (!strcmp(s, "--data") && i + 1 < argc) snprintf(cfg->data_dir, sizeof cfg->data_dir, "%s", argv[++i]);
        else if (s[0] == '-' && s[1]) { fprintf(stderr, "cchc import: unknown option '%s'\n", s); return -1; }
        else if (a->file) { fprintf(stderr, "cchc import: one file at a time\n"); return -1; }
        else a->file = s;
    }
    return a->file ? 0 : -1;
}

/* Parses "2027-2030" or "2027". */
static bool parse_years(const char *s, int *from, int *to)
{
    char extra;
    int n = sscanf(s, "%d-%d%c", from, to, &extra);
    if (n == 1) *to = *from;
    return (n == 1 || n == 2) && *from >= 2000 && *to >= *from && *to <= 2100;
}

/* Reads the whole file (at most max bytes) into a malloc'd NUL-terminated buffer. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cchc import: cannot open %s: %s\n", path, strerror(errno)); return NULL; }
    buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= max) buf_add(&b, chunk, n);
    bool failed = ferror(f) || b.oom;
    fclose(f);
    if (failed || b.len > max) {
        fprintf(stderr, "cchc import: %s: %s\n", path, failed ? "read error" : "file too large");
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return buf_take(&b);
}

static void print_problems(const pi_result *res)
{
    for (int i = 0; i < res->nproblems; i++) {
        const pi_problem *p = &res->problems[i];
        const char *kind = p->severity == PI_ERROR ? "error" : "warning";
        if (p->line > 0) printf("  line %d", p->line);
        else printf("  file");
        if (p->column[0]) printf(", %s", p->column);
        printf(": %s: %s\n", kind, p->message);
    }
}

static void print_summary(const char *file, const pi_result *res, const import_summary *sum, bool applied)
{
    printf("%s: plan %s%s%s%s\n", file, res->plan_code[0] ? res->plan_code : "?", sum->plan_exists ? "" : " (new)",
           sum->plan_title[0] ? " — " : "", sum->plan_title);
    printf("%d rows: %d valid, %d errors, %d warnings\n", res->nrows, res->nvalid, res->nerrors, res->nwarnings);
    print_problems(res);
    printf("%s %d new tasks, %d updated, %d unchanged; %d rows skipped",
           applied ? "Applied:" : "Would apply:", sum->new_tasks, sum->updated_tasks, sum->unchanged_tasks, sum->skipped_rows);
    if (sum->tasks_not_in_file) printf("; %d existing tasks not in the file are kept", sum->tasks_not_in_file);
    printf("\n");
}

static int run(db *d, const import_args *a, const char *text, size_t len, const import_plan_info *plan)
{
    pi_result res;
    import_summary sum;
    int status;
    if (a->dry_run) {
        if (store_import_preview(d, text, len, plan, &res, &sum) != DB_OK) {
            fprintf(stderr, "cchc import: database error: %s\n", db_errmsg(d));
            status = 1;
        } else {
            print_summary(a->file, &res, &sum, false);
            bool blocked = sum.blocker[0] || (res.nerrors > 0 && !a->valid_only);
            if (sum.blocker[0]) printf("Blocked: %s\n", sum.blocker);
            else if (blocked) printf("Blocked: %d errors (fix the file, or use --valid-only)\n", res.nerrors);
            status = blocked ? 2 : 0;
        }
    } else {
        import_apply_opts o = {.user_id = 0, .username = "cli", .source = a->file, .valid_only = a->valid_only, .new_plan = plan};
        int rc = store_import_apply(d, text, len, &o, &res, &sum);
        print_summary(a->file, &res, &sum, rc == DB_OK);
        if (rc == DB_CONSTRAINT) printf("Not applied: %s\n", sum.blocker);
        else if (rc != DB_OK) fprintf(stderr, "cchc import: database error, nothing applied: %s\n", db_errmsg(d));
        status = rc == DB_OK ? 0 : rc == DB_CONSTRAINT ? 2 : 1;
    }
    plan_import_free(&res);
    import_summary_free(&sum);
    return status;
}

int cli_import(config *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(USAGE, stdout); return 0; }
    import_args a;
    if (parse_args(cfg, argc, argv, &a) != 0) { fputs(USAGE, stderr); return 2; }
    import_plan_info plan = {.title = a.title};
    if ((a.title || a.years) && (!a.title || !a.years || !parse_years(a.years, &plan.year_from, &plan.year_to))) {
        fprintf(stderr, "cchc import: --title and --years FROM-TO (2000-2100) go together\n");
        return 2;
    }
    size_t len = 0;
    char *text = read_file(a.file, cfg->max_upload, &len);
    if (!text) return 1;
    if (strlen(text) != len || !pi_valid_utf8_text(text, len)) {
        fprintf(stderr, "cchc import: %s is not UTF-8 text (save the sheet as \"CSV UTF-8\")\n", a.file);
        free(text);
        return 2;
    }
    db *d = cli_open_db(cfg);
    int status = d ? run(d, &a, text, len, a.title ? &plan : NULL) : 1;
    db_close(d);
    free(text);
    return status;
}
