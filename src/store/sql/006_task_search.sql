-- The task text that search ranks on. Portable; on PostgreSQL 006_pg_trgm.sql
-- adds the trigram index that serves the word filter (LIKE '% word%' on words).
-- Each column holds words as core/fold.c's fold_words writes them, every word after one space: " so hoa du lieu". words is
-- the folded title, product and number (what a search must match, word prefixes);
-- title and product are folded; the _exact ones keep the diacritics (lowercase),
-- so a query typed with accents ranks exact matches first. On SQLite the word
-- filter uses the FTS5 table task_fts (002_sqlite_fts.sql) instead.
CREATE TABLE task_search (
    task_id        INTEGER NOT NULL PRIMARY KEY REFERENCES tasks(id),
    words          TEXT NOT NULL,
    title          TEXT NOT NULL,
    product        TEXT NOT NULL,
    title_exact    TEXT NOT NULL,
    product_exact  TEXT NOT NULL
);
