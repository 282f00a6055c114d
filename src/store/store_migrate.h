#ifndef CCHC_STORE_MIGRATE_H
#define CCHC_STORE_MIGRATE_H
/* Copies a whole cchc database into an empty one, on either engine (cchc
 * migrate: a SQLite deployment into PostgreSQL), then proves the copy: per
 * table, the row count and a checksum of both sides. */
#include "store/db.h"
#include <stdint.h>

typedef struct {
    const char *table;
    int64_t rows_from, rows_to;
    char sum_from[33], sum_to[33];       /* hex; equal when the table's rows are equal */
} migrate_table;

/* Called once per table after the copy, in copy order. */
typedef void (*migrate_report_fn)(const migrate_table *t, void *ctx);

/* Copies every table of from into to in one transaction, keeping ids; to must
 * hold no rows (DB_CONSTRAINT otherwise, with err). from is only read. Returns
 * DB_OK when every table's count and checksum match, DB_ERR (err set) when not. */
int store_migrate(db *from, db *to, migrate_report_fn fn, void *ctx, char *err, size_t errlen);
/* The checksum and row count of one table (order-independent): what
 * store_migrate compares. DB_OK or DB_ERR. */
int store_table_checksum(db *d, const char *table, int64_t *rows, char sum[33]);
#endif
