#ifndef CCHC_ENGINE_H
#define CCHC_ENGINE_H
/* Engine-specific pieces that store files use through the connection, with one
 * implementation per engine (db_sqlite.c, db_pg.c). Nothing outside src/store/
 * includes this. */
#include "store/db.h"

/* SQL selecting the ids of tasks holding one word (as a word prefix), its
 * pattern bound at the one '?'. */
const char *engine_task_search_sql(db *d);
/* Turns one folded word into the pattern for engine_task_search_sql; returns the
 * length written to out (0 when it is not a searchable word). */
size_t engine_match_query(db *d, const char *word, char *out, size_t outlen);
/* Writes the engine's own index entry for a task, if it has one besides the
 * portable task_search table (words: fold_words of its text). DB_OK or an error. */
int engine_task_index(db *d, int64_t task_id, const char *words);
#endif
