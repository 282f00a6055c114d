#ifndef CCHC_STORE_SEARCH_H
#define CCHC_STORE_SEARCH_H
/* Task search: the index rows (table task_search, plus the engine's own index)
 * and the parsed form of a query that store_task_find filters and ranks with.
 * Ranking, on both engines: the words next to each other in order (a phrase)
 * first, then all words anywhere; with diacritics in the query, exact-accent
 * phrase matches above folded ones; the title above the product. */
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

#define SEARCH_MAX_WORDS 8

typedef struct {
    int nwords;
    char match[SEARCH_MAX_WORDS][80];   /* the engine's filter pattern for each word */
    char title_word[SEARCH_MAX_WORDS][80];   /* "% word%": the word (a prefix) in the folded title */
    char phrase[400];                   /* "% w1 w2%": the words in order, folded */
    char exact[800];                    /* the same with the query's diacritics; "" when it has none */
} search_query;

/* Parses the user's query; false when it has no searchable word. */
bool search_parse(db *d, const char *q, search_query *out);
/* The SQL (one '?', bound to a match pattern) selecting the ids of tasks containing one word. */
const char *search_word_sql(db *d);
/* The rank expression of a query (higher first) over task_search s, with its
 * '?' bound in order by search_rank_bind; the number of binds it takes. */
extern const char SEARCH_RANK_SQL[];
int search_rank_bind(const search_query *q, db_stmt *s, int first);

/* Writes the search entry of a task (its number, title and product). DB_OK or an error. */
int store_task_index(db *d, int64_t task_id, const char *number, const char *title, const char *product);
/* Indexes every task that has no search entry yet (after an upgrade or a
 * migration); *indexed gets how many. DB_OK or an error. */
int store_task_search_rebuild(db *d, int *indexed);
#endif
