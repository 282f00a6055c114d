#ifndef CCHC_CLI_H
#define CCHC_CLI_H
/* Subcommands of the cchc binary. Each takes argv from the subcommand name on
 * and returns the process exit status (0 ok, 1 error, 2 usage/invalid input). */
#include "config.h"

int cli_serve(config *cfg, int argc, char **argv);
int cli_init(config *cfg, int argc, char **argv);
int cli_import(config *cfg, int argc, char **argv);     /* cli_import.c */
int cli_user(config *cfg, int argc, char **argv);
int cli_backup(config *cfg, int argc, char **argv);
int cli_restore(config *cfg, int argc, char **argv);
int cli_audit(config *cfg, int argc, char **argv);
int cli_calendar(int argc, char **argv);                /* cli_calendar.c */
int cli_migrate(config *cfg, int argc, char **argv);    /* cli_migrate.c */
int cli_routes(int argc, char **argv);                  /* cli_routes.c: the route table as TSV */

/* Loads the bundled units, plans, tasks and targets into d (seed.c); with demo
 * also sample progress. Writes a report of counts to stdout. 0 on success. */
struct db;
int seed_bundled(struct db *d, int demo, char *err, size_t errlen);
/* Loads data/procedures.json when the procedure catalogue is empty (a new
 * database, or one made before the one-stop shop). 0, or -1 with err set. */
int seed_procedures(struct db *d, char *err, size_t errlen);
/* cchc init --demo: two sample dossiers, one received, one with a division. 0 or -1. */
int seed_demo_dossiers(struct db *d, const config *cfg, char *err, size_t errlen);
/* Opens the configured database (--db / [database] url, else DATA/cchc.db),
 * creating the data directory; prints errors. NULL on failure. */
struct db *cli_open_db(const config *cfg);
#endif
