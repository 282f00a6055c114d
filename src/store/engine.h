#ifndef CCHC_ENGINE_H
#define CCHC_ENGINE_H
/* Engine-specific pieces, one implementation per engine (engine_sqlite.c now;
 * engine_pg.c later). Nothing outside src/store/ includes this. */
#include "store/db.h"

/* The ordered migration scripts for this engine; a NULL-terminated array of
 * embedded paths (portable ones plus engine-specific ones). */
const char *const *engine_migrations(void);
/* SQL fragment selecting task ids matching a full-text query bound at '?'. */
extern const char ENGINE_TASK_SEARCH_SQL[];
/* Writes the search index row for a task (folded text). DB_OK or an error. */
int engine_task_index(db *d, int64_t task_id, const char *folded);
/* Turns a folded user query into the engine's match syntax; returns the length
 * written to out (0 when the query has no searchable term). */
size_t engine_match_query(const char *folded, char *out, size_t outlen);
#endif
