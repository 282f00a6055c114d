-- PostgreSQL only, with 006_task_search.sql: the trigram index that serves the
-- search word filter, LIKE '% word%' on task_search.words (see db_pg.c).
CREATE INDEX task_search_words ON task_search USING gin (words gin_trgm_ops);
