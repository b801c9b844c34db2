/* internal.h — what both storage backends share: the columns pulled out of a record's JSON, the text indexed for
 * search, the effective label codes. Keeps backend files to SQL and nothing else. */
#ifndef SV4_STORE_INTERNAL_H
#define SV4_STORE_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "sv4/store.h"
#include "sv4/util.h"

/* The searchable/faceted columns of a record, pointing into its JSON (valid while rec lives). */
typedef struct sv4__record_cols {
  const char *type, *slug, *lang, *country, *nuts, *lau, *place, *status;
  int year_from, year_to;
} sv4__record_cols;

/* Validates rec (type known, title present, field sizes within limits, languages known) and fills cols.
 * SV4_ERR_USAGE with a message naming the field when invalid. */
sv4_rc sv4__record_validate(json_t *rec, sv4__record_cols *cols, sv4_error *err);

/* The record's JSON without the columns and the server-managed fields (id, created, updated, review, labels,
 * objectives, documents): what backends store as the document. New reference. */
json_t *sv4__record_doc(json_t *rec);

/* Applies a PATCH to a record: every key of patch replaces the record's (null removes it); server-managed keys
 * (id, created, updated, review) are ignored. The names of the fields that really changed are appended to
 * changed. */
void sv4__record_apply_patch(json_t *rec, json_t *patch, json_t *changed);

/* Text for the full-text index: titles (all languages), summaries, and every other text field. Appended to the
 * three buffers (title, summary, body). */
sv4_rc sv4__record_fts_text(json_t *rec, sv4_buf *title, sv4_buf *summary, sv4_buf *body);

/* Effective label codes from a labels JSON array: classifier labels not rejected, reviewer-added labels, with SDG
 * targets; appended as "scheme:code" space-separated. */
sv4_rc sv4__labels_codes(json_t *labels, sv4_buf *out);

/* The "sv4" tokenizer (fts_tokenizer.c): calls emit for every word of text with its folded form (at most
 * SV4__TOKEN_MAX bytes, not NUL-terminated) and its byte range in text. A non-zero return of emit stops and is
 * returned. FTS5 and the in-memory text index both use it, so they agree on every token. */
#define SV4__TOKEN_MAX 256
typedef int (*sv4__token_cb)(void *ud, const char *tok, size_t len, size_t start, size_t end);
int sv4__tokenize(const char *text, size_t n, sv4__token_cb emit, void *ud);

/* ---- text_index.c: the in-memory full-text index of the search index ----
 * Rows are the search index's dense row numbers. Every function but the queries needs the caller's exclusive
 * access; queries may run in parallel with each other. */
typedef struct sv4__tix sv4__tix;
sv4__tix *sv4__tix_new(void);
void sv4__tix_free(sv4__tix *t);                     /* accepts NULL */
/* Before many sv4__tix_put in a row: the prefix order of the vocabulary is rebuilt once by sv4__tix_finish. */
void sv4__tix_bulk(sv4__tix *t);
/* Ends a bulk build (sorts the vocabulary, trims the postings' slack). 0 on success. */
int sv4__tix_finish(sv4__tix *t);
/* Indexes row's three columns (title, summary, body), replacing what the row had. 0, or -1 out of memory (the row
 * is then partly indexed: drop it). */
int sv4__tix_put(sv4__tix *t, uint32_t row, const char *const text[3], const size_t len[3]);
void sv4__tix_drop(sv4__tix *t, uint32_t row);      /* forgets the row's text */
size_t sv4__tix_terms(const sv4__tix *t);           /* distinct tokens */
/* The rows matching fts (the FTS form of sv4_search_fts_query), each with the bm25 score FTS5 would give it with
 * column weights 8, 3, 1 (higher is better), together with the rows of `also` (a bitset of also_words words; may
 * be NULL) that do not match, as text 0 and score 0; ascending by row. *out (*n of them) freed with free(). */
typedef struct sv4__tix_hit {
  double score;
  uint32_t row;
  uint32_t text; /* 1: matched by the words */
} sv4__tix_hit;
sv4_rc sv4__tix_query(const sv4__tix *t, const char *fts, const uint64_t *also, size_t also_words,
                      sv4__tix_hit **out, size_t *n, sv4_error *err);

/* A highlighted snippet of a record's text (title, summary, body) for fts: the window of 24 tokens holding the
 * most of the query's phrases, "…" where it cuts the text, instances in <mark>…</mark>, everything else
 * HTML-escaped. Words fold as in the index, so "zrodla" marks "źródła". Only the first
 * SV4_MAX_SNIPPET_SCAN_BYTES of a column are read. *out: caller frees ("" when the text has no words). */
sv4_rc sv4__tix_snippet(const char *fts, const char *const text[3], const size_t len[3], char **out,
                        sv4_error *err);

/* Registers the "sv4" FTS5 tokenizer (diacritic- and case-folding words) on a SQLite connection. */
struct sqlite3;
int sv4__fts_register(struct sqlite3 *db);

/* Current unix time (overridable for tests with SV4_NOW). */
int64_t sv4__now(void);

/* ISO 8601 UTC for t. buf must hold 21 bytes. */
void sv4__iso_time(int64_t t, char *buf);

#endif
