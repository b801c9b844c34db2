/* test_pg_tsquery.c — the PostgreSQL backend's text side without a server: FTS5 queries from sv4_search_fts_query
 * translated to to_tsquery() syntax, and the words-only text that is indexed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sv4/search.h"

#ifdef SV4_WITH_POSTGRES
#include "store/postgres/internal.h"

/* user text → sv4_search_fts_query → tsquery text */
static void expect(const char *user, const char *want) {
  char *fts = sv4_search_fts_query(user);
  sv4_buf b;
  sv4_buf_init(&b, 0);
  assert_int_equal(sv4__pg_tsquery(fts, &b), SV4_OK);
  assert_string_equal(b.data ? b.data : "", want);
  sv4_buf_free(&b);
  free(fts);
}

static void fts_queries_translate(void **state) {
  (void)state;
  expect("solar \"district heating\" energ* -coal OR wind",
         "'solar' & ('district' <-> 'heating') & 'energ':* & !'coal' | 'wind'");
  expect("źródła", "'źródła'");
  expect("-coal", "");                      /* a lone exclusion is dropped, as in FTS5 */
  expect("(){}:^", "");
  expect("a\xe2\x80\x94" "b", "('a' <-> 'b')"); /* an em dash inside a term splits it like the tokenizer */
  expect("\xe2\x80\x94 wind", "'wind'");        /* a term without words vanishes with its operator */
  expect("\"unclosed AND OR NOT ( ) * ^ : -", "('unclosed' <-> 'AND' <-> 'OR' <-> 'NOT')");
}

static void hostile_fts_input_stays_quoted(void **state) {
  (void)state;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  /* not produced by sv4_search_fts_query, but the translation must still quote everything it passes on */
  assert_int_equal(sv4__pg_tsquery("\"it's\" \"a\\\\b\"* OR NOT \"x\" ) & | !", &b), SV4_OK);
  assert_string_equal(b.data, "('it' <-> 's') & ('a' <-> 'b':*) & !'x'");
  sv4_buf_free(&b);
}

static void words_only_keeps_length(void **state) {
  (void)state;
  char s[] = "Košice: <schools>, e-mail \xff 2021–2030";
  size_t n = strlen(s);
  sv4__pg_words_only(s, n);
  assert_int_equal(strlen(s), n);
  assert_string_equal(s, "Košice   schools   e mail   2021   2030");
}
#endif

int main(void) {
#ifdef SV4_WITH_POSTGRES
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fts_queries_translate),
      cmocka_unit_test(hostile_fts_input_stays_quoted),
      cmocka_unit_test(words_only_keeps_length),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
#else
  return 0; /* built without the PostgreSQL backend: nothing to test */
#endif
}
