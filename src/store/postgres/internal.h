/* internal.h — private to the PostgreSQL backend: the text transformations that keep its full-text matching in
 * step with the SQLite backend (word splitting, FTS5 query → tsquery). Pure C, no libpq, so unit tests can reach
 * them. */
#ifndef SV4_STORE_POSTGRES_INTERNAL_H
#define SV4_STORE_POSTGRES_INTERNAL_H

#include <stddef.h>

#include "sv4/error.h"
#include "sv4/util.h"

/* Replaces, in place, every byte of s[0..n) that is not part of a word code point (letters, marks, digits — the
 * same classes the SQLite tokenizer keeps) by a space; invalid UTF-8 bytes become spaces too. The length never
 * changes, so PostgreSQL's parser then sees exactly the words the SQLite backend indexes. */
void sv4__pg_words_only(char *s, size_t n);

/* Translates a query in the FTS5 subset produced by sv4_search_fts_query ("word", "a phrase", "prefix"*, NOT, OR,
 * implicit AND) into to_tsquery() syntax: every operand single-quoted and escaped, phrases joined with <->,
 * prefixes with :*, NOT → & !, OR → |. Anything else in the input is ignored. Appends to out; an input without
 * words appends nothing. SV4_ERR_NOMEM / SV4_ERR_LIMIT from the buffer. */
sv4_rc sv4__pg_tsquery(const char *fts, sv4_buf *out);

#endif
