/* Task search index and query ranking (see store_search.h). */
#include "store/store_search.h"
#include "store/engine.h"
#include "core/buf.h"
#include "core/fold.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 100: the phrase in the title or the product; 10: the same with the query's
 * accents; 2: the phrase in the title; 1: every word in the title. So phrase
 * matches come first, exact accents break ties among them, then the title. */
const char SEARCH_RANK_SQL[] =
    "(CASE WHEN s.title LIKE ? OR s.product LIKE ? THEN 100 ELSE 0 END"
    " + CASE WHEN s.title_exact LIKE ? OR s.product_exact LIKE ? THEN 10 ELSE 0 END"
    " + CASE WHEN s.title LIKE ? THEN 2 ELSE 0 END"
    " + CASE WHEN s.title LIKE ? AND s.title LIKE ? AND s.title LIKE ? AND s.title LIKE ?"
    " AND s.title LIKE ? AND s.title LIKE ? AND s.title LIKE ? AND s.title LIKE ? THEN 1 ELSE 0 END)";

const char *search_word_sql(db *d) { return engine_task_search_sql(d); }

bool search_parse(db *d, const char *q, search_query *out)
{
    memset(out, 0, sizeof *out);
    char folded[400], exact[800];
    fold_words(q, false, folded, sizeof folded);
    fold_words(q, true, exact, sizeof exact);
    const char *p = folded;
    while (*p == ' ' && out->nwords < SEARCH_MAX_WORDS) {
        const char *start = ++p;
        while (*p && *p != ' ') p++;
        int n = (int)(p - start);
        if (n == 0 || n > 70) continue;
        char word[72];
        snprintf(word, sizeof word, "%.*s", n, start);
        if (engine_match_query(d, word, out->match[out->nwords], sizeof out->match[0]) == 0) continue;
        snprintf(out->title_word[out->nwords], sizeof out->title_word[0], "%% %s%%", word);
        out->nwords++;
    }
    if (out->nwords == 0) return false;
    snprintf(out->phrase, sizeof out->phrase, "%%%s%%", folded);
    if (strcmp(folded, exact) != 0) snprintf(out->exact, sizeof out->exact, "%%%s%%", exact);
    return true;
}

int search_rank_bind(const search_query *q, db_stmt *s, int first)
{
    int i = first;
    db_bind_text(s, i++, q->phrase);
    db_bind_text(s, i++, q->phrase);
    db_bind_text(s, i++, q->exact[0] ? q->exact : NULL);     /* no accents typed: no exact tier */
    db_bind_text(s, i++, q->exact[0] ? q->exact : NULL);
    db_bind_text(s, i++, q->phrase);
    for (int w = 0; w < SEARCH_MAX_WORDS; w++)          /* unused slots repeat the first word */
        db_bind_text(s, i++, q->title_word[w < q->nwords ? w : 0]);
    return i - first;
}

int store_task_index(db *d, int64_t task_id, const char *number, const char *title, const char *product)
{
    buf all = {0};
    buf_puts(&all, title);
    buf_putc(&all, ' ');
    buf_puts(&all, product);
    buf_putc(&all, ' ');
    buf_puts(&all, number);
    char *words = all.oom ? NULL : fold_words_dup(buf_str(&all), false);
    buf_free(&all);
    char *t = fold_words_dup(title, false), *pr = fold_words_dup(product, false);
    char *te = fold_words_dup(title, true), *pe = fold_words_dup(product, true);
    int rc = DB_ERR;
    db_stmt *s = words && t && pr && te && pe ? db_prepare(d,
        "INSERT INTO task_search(task_id, words, title, product, title_exact, product_exact) VALUES (?,?,?,?,?,?) "
        "ON CONFLICT (task_id) DO UPDATE SET words = excluded.words, title = excluded.title, product = excluded.product, "
        "title_exact = excluded.title_exact, product_exact = excluded.product_exact") : NULL;
    if (s) {
        db_bind_int(s, 1, task_id);
        db_bind_text(s, 2, words);
        db_bind_text(s, 3, t);
        db_bind_text(s, 4, pr);
        db_bind_text(s, 5, te);
        db_bind_text(s, 6, pe);
        rc = db_exec_stmt(s) == DB_DONE ? engine_task_index(d, task_id, words) : DB_ERR;
    }
    free(words); free(t); free(pr); free(te); free(pe);
    return rc;
}

typedef struct { int64_t id; char *number, *title, *product; } pending_task;

static int rebuild_txn(db *d, void *ctx)
{
    int *indexed = ctx;
    db_stmt *s = db_prepare(d, "SELECT t.id, t.number, t.title, t.product FROM tasks t "
                               "LEFT JOIN task_search s ON s.task_id = t.id WHERE s.task_id IS NULL ORDER BY t.id");
    if (!s) return DB_ERR;
    pending_task *list = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            pending_task *nl = realloc(list, sizeof *nl * (size_t)cap);
            if (!nl) { rc = DB_ERR; break; }
            list = nl;
        }
        list[n++] = (pending_task){db_col_int(s, 0), db_col_dup(s, 1), db_col_dup(s, 2), db_col_dup(s, 3)};
    }
    if (rc == DB_DONE) rc = DB_OK;
    for (int i = 0; i < n; i++) {
        if (rc == DB_OK) rc = store_task_index(d, list[i].id, list[i].number, list[i].title, list[i].product);
        free(list[i].number); free(list[i].title); free(list[i].product);
    }
    free(list);
    if (rc == DB_OK) *indexed = n;
    return rc;
}

int store_task_search_rebuild(db *d, int *indexed)
{
    *indexed = 0;
    return db_txn(d, true, rebuild_txn, indexed);
}
