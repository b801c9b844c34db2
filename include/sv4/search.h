/* search.h — faceted search over portal records, all in memory: an inverted index of every record's text (the
 * store's tokenizer, FTS5's query grammar and bm25 ranking), bitsets of every facet value, and per-order
 * permutations of the records, built at start-up from the store and updated on every write. The same for both
 * backends. Drafts ("published": false) are only seen by reviewers, admins and their owner. Read-mostly:
 * searches share a read lock. */
#ifndef SV4_SEARCH_H
#define SV4_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "sv4/error.h"
#include "sv4/store.h"
#include "sv4/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Facets, in the order they are reported. */
typedef enum sv4_facet {
  SV4_FACET_TYPE = 0, SV4_FACET_COUNTRY, SV4_FACET_REGION, SV4_FACET_SDG, SV4_FACET_TARGET, SV4_FACET_EGD,
  SV4_FACET_TAXONOMY, SV4_FACET_SMARTCITY, SV4_FACET_YEAR, SV4_FACET_LANG, SV4_FACET_REVIEW, SV4_FACET_COUNT
} sv4_facet;
/* "type", "country", "region", "sdg", "target", "egd", "taxonomy", "smartcity", "year", "lang", "review". */
const char *sv4_facet_name(sv4_facet f);
int sv4_facet_from_name(const char *name); /* -1 when unknown */

typedef enum sv4_sort { SV4_SORT_RELEVANCE = 0, SV4_SORT_NEWEST, SV4_SORT_OLDEST, SV4_SORT_YEAR } sv4_sort;

#define SV4_SEARCH_MAX_VALUES 64 /* values selected per facet in one query */

typedef struct sv4_search_query {
  const char *text;                          /* user's words; NULL or "" = everything */
  const char *also_codes;                    /* "sdg:7 egd:energy": records with any of these codes also match */
  const char *values[SV4_FACET_COUNT][SV4_SEARCH_MAX_VALUES]; /* selected values per facet (OR within a facet) */
  size_t nvalues[SV4_FACET_COUNT];
  int year_from, year_to;                    /* 0 = open; records whose period overlaps */
  sv4_sort sort;
  size_t offset, limit;                      /* limit ≤ SV4_MAX_PAGE_SIZE; 0 = 20 */
  int facets_text;                           /* 1: facets come as JSON text in facets_text (facets is NULL) */
  sv4_role viewer_role;                      /* who searches: below reviewer, drafts are left out (results, totals
                                              * and facet counts alike) ... */
  const char *viewer;                        /* ... except a contributor's own (user name; NULL = anonymous) */
} sv4_search_query;

typedef struct sv4_search_hit {
  int64_t id;
  double rank;
  int text_match;                            /* 1 when found by the words, 0 when only by classification codes */
} sv4_search_hit;

typedef struct sv4_search_result {
  size_t total;                              /* all matching records */
  sv4_search_hit *hits;                      /* the requested page */
  size_t nhits;
  json_t *facets;                            /* {"type":[{"value":"strategy","count":12},...],...} */
  char *facets_text;                         /* the same as compact JSON text when q->facets_text, else NULL */
  size_t facets_text_len;
} sv4_search_result;

typedef struct sv4_search_index sv4_search_index;

/* Builds the index from every record of the store. */
sv4_rc sv4_search_index_build(sv4_store *s, sv4_search_index **out, sv4_error *err);
/* Re-reads one record after a write (or drops it when it no longer exists). */
sv4_rc sv4_search_index_refresh(sv4_search_index *ix, sv4_store *s, int64_t id, sv4_error *err);
size_t sv4_search_index_count(const sv4_search_index *ix);
/* 1 when record id exists and the viewer (role, user name or NULL) may see it: published, or a draft seen by a
 * reviewer, an admin or the contributor who owns it. 0 otherwise (unknown ids too). */
int sv4_search_visible(sv4_search_index *ix, int64_t id, sv4_role role, const char *user);
void sv4_search_index_free(sv4_search_index *ix);

/* Adds the query words of text to q's FTS form: every word quoted (no FTS syntax reaches the engine),
 * "phrases" kept, word* prefix, -word exclusion, OR between words. Empty when text has no words. Caller frees. */
char *sv4_search_fts_query(const char *text);

/* Runs q as q->viewer_role / q->viewer sees the records, from the index alone (s is not read). *out owned by the
 * caller (sv4_search_result_free). SV4_ERR_USAGE for a bad query, SV4_ERR_LIMIT when the text is longer than
 * SV4_MAX_QUERY_BYTES. */
sv4_rc sv4_search(sv4_search_index *ix, sv4_store *s, const sv4_search_query *q, sv4_search_result **out,
                  sv4_error *err);
void sv4_search_result_free(sv4_search_result *r);

/* Brief cache: the JSON text of a record's result-list form, kept per record in the index and dropped when the
 * record is written (sv4_search_index_refresh). sv4_search_brief_append appends the cached text to out and
 * returns 1, or returns 0 when there is none; either way *gen (may be NULL) receives the record's write
 * generation, to hand to sv4_search_brief_put after building the brief from the store: a brief built from a
 * version older than the index's is not kept. */
int sv4_search_brief_append(sv4_search_index *ix, int64_t id, sv4_buf *out, uint32_t *gen);
void sv4_search_brief_put(sv4_search_index *ix, int64_t id, uint32_t gen, const char *brief);

/* The highlighted snippet of record id for FTS query fts (the window of its text holding most of the query's
 * phrases, <mark>…</mark>, HTML-escaped otherwise), cut from the store's record_text, from a bounded
 * set-associative cache checked against the index's write generation. *out: caller frees. */
sv4_rc sv4_search_snippet(sv4_search_index *ix, sv4_store *s, int64_t id, const char *fts, char **out,
                          sv4_error *err);

#ifdef __cplusplus
}
#endif
#endif
