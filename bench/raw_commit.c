/* bench/raw_commit DIR [N] — the disk's rate of durable single-row commits: SQLite
 * in WAL mode with synchronous=FULL, one INSERT per transaction, N of them (default
 * 2000), in DIR (the same disk as the bench data). Prints "raw commits/s: R".
 * make bench compares cchc's durable POST rate (group commit) with it. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: raw_commit DIR [N]\n"); return 2; }
    int n = argc > 2 ? atoi(argv[2]) : 2000;
    char path[512];
    snprintf(path, sizeof path, "%s/raw_commit.db", argv[1]);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) { fprintf(stderr, "raw_commit: %s\n", sqlite3_errmsg(db)); return 1; }
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, note TEXT NOT NULL)", NULL, NULL, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT INTO t(note) VALUES ('one durable row of about the size of a task update note')", -1, &st, NULL);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i++) {
        if (sqlite3_step(st) != SQLITE_DONE) { fprintf(stderr, "raw_commit: %s\n", sqlite3_errmsg(db)); return 1; }
        sqlite3_reset(st);                     /* autocommit: each INSERT is one transaction, one fsync */
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("raw commits/s: %.0f\n", n / s);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}
