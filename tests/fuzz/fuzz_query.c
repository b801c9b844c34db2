/* fuzz_query.c — query strings / url-encoded forms, cookies and the search text → FTS5 query translation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sv4_arena *a = sv4_arena_new(0);
  char *s = sv4_arena_strndup(a, (const char *)data, size);
  sv4_param *p;
  size_t n;
  if (sv4__parse_query(a, (const char *)data, size, &p, &n) == SV4_OK)
    for (size_t i = 0; i < n; i++)
      if (!p[i].key || !p[i].value) abort();
  sv4__cookie(a, s, "sv4session");
  char *fts = sv4_search_fts_query(s);
  /* the translation only ever emits quoted terms, OR/NOT keywords and '*' after a closing quote */
  if (fts) {
    int in_quote = 0;
    for (const char *c = fts; *c; c++) {
      if (*c == '"') in_quote = !in_quote;
      else if (!in_quote && !strchr(" ORNT*", *c)) abort();
    }
    if (in_quote) abort();
  }
  free(fts);
  sv4_arena_free(a);
  return 0;
}
