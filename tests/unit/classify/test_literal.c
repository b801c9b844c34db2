/* test_literal.c — literal-prefix scanning (src/classify/literal.c): expressions split into a literal and a tail,
 * the tail verified in C with the semantics of the regular expression (whole words, `*` = rest of the word,
 * the closing space), shared prefixes, fold; and the classifier cache (a changed rule file never uses it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "classify/internal.h"

/* Every match of phrase in text, as "start-end;" spans of the normalised text, found the way the classifier does:
 * occurrences of the literal prefix, then the tail verified at the end of each. */
static char *matches(const char *phrase, int fold, const char *text) {
  char *expr = NULL, msg[200];
  int nwords = 0;
  assert_int_equal(sv4__phrase_expr(phrase, strlen(phrase), fold, &expr, &nwords, msg, sizeof msg), SV4_OK);
  char *lit = NULL, *tail = NULL;
  size_t ll = 0, tl = 0;
  assert_int_equal(sv4__expr_split(expr + (expr[0] == '\x01'), &lit, &ll, &tail, &tl), SV4_OK);
  sv4_norm n;
  sv4_norm_init(&n);
  assert_int_equal(sv4_normalize(text, strlen(text), fold ? SV4_NORM_FOLD_DIACRITICS : 0, &n, NULL), SV4_OK);
  char *out = calloc(1, 1024);
  for (size_t i = 0; i + ll <= n.len; i++) {
    if (memcmp(n.text + i, lit, ll)) continue;
    size_t end = tl ? sv4__tail_verify(n.text, n.len, i + ll, tail, tl) : i + ll;
    if (!end) continue;
    char one[32];
    snprintf(one, sizeof one, "%zu-%zu;", i, end);
    strcat(out, one);
  }
  sv4_norm_free(&n);
  free(lit);
  free(tail);
  free(expr);
  return out;
}

#define ASSERT_MATCHES(phrase, fold, text, want) \
  do {                                           \
    char *got_ = matches(phrase, fold, text);    \
    assert_string_equal(got_, want);             \
    free(got_);                                  \
  } while (0)

static void splits_at_first_wildcard(void **state) {
  (void)state;
  char *lit, *tail;
  size_t ll, tl;
  assert_int_equal(sv4__expr_split(" odnawialn[^ ]* \\xc5\\xba\\xc3\\xb3d[^ ]* energii ", &lit, &ll, &tail, &tl),
                   SV4_OK);
  assert_int_equal(ll, 10);
  assert_memory_equal(lit, " odnawialn", 10);
  const char want[] = {SV4__TAIL_WILD, ' ', '\xc5', '\xba', '\xc3', '\xb3', 'd', SV4__TAIL_WILD,
                       ' ', 'e', 'n', 'e', 'r', 'g', 'i', 'i', ' '};
  assert_int_equal(tl, sizeof want);
  assert_memory_equal(tail, want, sizeof want);
  free(lit);
  free(tail);
  /* a phrase without wildcards is all literal, closing space included */
  assert_int_equal(sv4__expr_split(" oze ", &lit, &ll, &tail, &tl), SV4_OK);
  assert_int_equal(ll, 5);
  assert_int_equal(tl, 0);
  free(lit);
  free(tail);
  /* an expression cannot start with a wildcard */
  assert_int_equal(sv4__expr_split("[^ ]* x ", &lit, &ll, &tail, &tl), SV4_ERR_PARSE);
}

static void verifies_wildcards_mid_phrase(void **state) {
  (void)state;
  /* " odnawialnych źródeł energii " = 0..29: the match runs from the leading to the trailing space */
  ASSERT_MATCHES("odnawialn* źród* energii", 0, "Odnawialnych źródeł energii!", "0-32;");
  /* `*` may match nothing */
  ASSERT_MATCHES("odnawialn* źród* energii", 0, "odnawialn źród energii", "0-26;");
  /* the last word must end where the phrase ends */
  ASSERT_MATCHES("odnawialn* źród* energii", 0, "odnawialnych źródeł energiiX", "");
  /* a wildcard word does not reach into the next word: the words must stand next to each other */
  ASSERT_MATCHES("odnawialn* energii", 0, "odnawialnych źródeł energii", "");
  /* every occurrence counts */
  ASSERT_MATCHES("farm* wiatrow*", 0, "farma wiatrowa, farmy wiatrowe; farmer", "0-16;15-31;");
  ASSERT_MATCHES("energ*", 0, "energy energetic synergy", "0-8;7-18;");
}

static void keeps_whole_words(void **state) {
  (void)state;
  ASSERT_MATCHES("oze", 0, "OZE, ozeki, oze.", "0-5;10-15;");
  ASSERT_MATCHES("co2", 0, "CO₂ and co2x", "0-5;");
  /* the literal must start at a word boundary */
  ASSERT_MATCHES("energ*", 0, "synergy", "");
}

static void folds_diacritics(void **state) {
  (void)state;
  ASSERT_MATCHES("źród* energii", 1, "zrodla energii", "0-16;");
  ASSERT_MATCHES("źród* energii", 1, "źródła energii", "0-16;");
  ASSERT_MATCHES("źród* energii", 0, "zrodla energii", "");
}

static void shares_identical_prefixes(void **state) {
  (void)state;
  const char *exprs[] = {" farm[^ ]* wiatrow[^ ]* ", " farm[^ ]* ", " farma ", " oze ", " farm[^ ]* s\\xc5\\x82oneczn[^ ]* "};
  sv4__literals *L = NULL;
  assert_int_equal(sv4__literals_build(exprs, 5, &L), SV4_OK);
  assert_int_equal(L->nlit, 3); /* " farm", " farma ", " oze " */
  assert_int_equal(L->litlen[0], 5);
  assert_memory_equal(L->lit[0], " farm", 5);
  assert_int_equal(L->cand0[1] - L->cand0[0], 3);
  assert_int_equal(L->cand[L->cand0[0]], 0);
  assert_int_equal(L->cand[L->cand0[0] + 1], 1);
  assert_int_equal(L->cand[L->cand0[0] + 2], 4);
  /* tails per pattern: pattern 2 and 3 are pure literals */
  assert_int_equal(L->tail0[3] - L->tail0[2], 0);
  assert_int_equal(L->tail0[4] - L->tail0[3], 0);
  assert_int_equal(L->tail0[2] - L->tail0[1], 2); /* wildcard, space */
  const char *text = " farmy s\xc5\x82oneczne ";
  size_t len = strlen(text);
  /* candidates of " farm" at its end (offset 5): "farm*" and "farm* słoneczn*" match, "farm* wiatrow*" not */
  assert_int_equal(sv4__tail_verify(text, len, 5, L->tails + L->tail0[0], L->tail0[1] - L->tail0[0]), 0);
  assert_int_equal(sv4__tail_verify(text, len, 5, L->tails + L->tail0[1], L->tail0[2] - L->tail0[1]), 7);
  assert_int_equal(sv4__tail_verify(text, len, 5, L->tails + L->tail0[4], L->tail0[5] - L->tail0[4]), len);
  sv4__literals_free(L);
}

/* The classifier cache: a second load comes from it with the same result; an edited rule file is never served
 * from a stale cache. */
static int copy_file(const char *from, const char *to) {
  FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
  int ok = a && b;
  char buf[4096];
  size_t n;
  while (ok && (n = fread(buf, 1, sizeof buf, a)) > 0) ok = fwrite(buf, 1, n, b) == n;
  if (a) fclose(a);
  if (b && fclose(b)) ok = 0;
  return ok ? 0 : -1;
}

static char *classify_json(sv4_classifier *c, const char *text) {
  sv4_worker *w = NULL;
  sv4_result *r = NULL;
  sv4_classify_opts o = {0, SV4_LANG_EN, 1};
  assert_int_equal(sv4_worker_new(c, &w, NULL), SV4_OK);
  assert_int_equal(sv4_classify(w, text, strlen(text), &o, &r, NULL), SV4_OK);
  sv4_buf b;
  sv4_buf_init(&b, 0);
  assert_int_equal(sv4_result_to_json(r, NULL, 0, 1, &b), SV4_OK);
  char *s = strdup(b.data);
  sv4_buf_free(&b);
  sv4_result_free(r);
  sv4_worker_free(w);
  return s;
}

static void cache_is_never_stale(void **state) {
  (void)state;
  char root[] = "/tmp/sv4-cache-test-XXXXXX";
  assert_non_null(mkdtemp(root));
  char d[512], p[600], q[600];
  const char *sub[] = {"", "/rules", "/rules/sdg", "/rules/egd", "/taxonomy", "/cache"};
  for (size_t i = 0; i < 6; i++) {
    snprintf(d, sizeof d, "%s/data%s", root, sub[i]);
    mkdir(d, 0755);
  }
  const char *files[] = {"rules/thresholds.csv", "rules/sdg/en.rules", "rules/sdg/pl.rules", "rules/egd/en.rules"};
  for (size_t i = 0; i < 4; i++) {
    snprintf(p, sizeof p, "%s/%s", SV4_TEST_DATA_DIR, files[i]);
    snprintf(q, sizeof q, "%s/data/%s", root, files[i]);
    assert_int_equal(copy_file(p, q), 0);
  }
  /* the taxonomy is optional for the test rules only if present in the test data: copy what is there */
  snprintf(p, sizeof p, "cp -r %s/taxonomy/. %s/data/taxonomy/ 2>/dev/null", SV4_TEST_DATA_DIR, root);
  assert_int_equal(system(p), 0);
  snprintf(d, sizeof d, "%s/data", root);
  snprintf(q, sizeof q, "%s/cache", root);
  sv4_classifier_opts o = {d, q, 0};
  const char *text = "Renewable energy and solar panels. The xylophonic quasar.";
  sv4_classifier *c1 = NULL, *c2 = NULL, *c3 = NULL;
  sv4_error err = {0};
  assert_int_equal(sv4_classifier_load(&o, &c1, &err), SV4_OK);
  assert_int_equal(c1->from_cache, 0);
  assert_int_equal(sv4_classifier_load(&o, &c2, &err), SV4_OK);
  assert_int_equal(c2->from_cache, 1);
  char *j1 = classify_json(c1, text), *j2 = classify_json(c2, text);
  assert_string_equal(j1, j2);
  assert_string_equal(sv4_classifier_version(c1), sv4_classifier_version(c2));
  assert_int_equal(c1->rules->nrules, c2->rules->nrules);
  /* edit a rule file: a new rule gives evidence for a new phrase */
  snprintf(p, sizeof p, "%s/data/rules/sdg/en.rules", root);
  FILE *f = fopen(p, "ab");
  assert_non_null(f);
  fputs("\nrule en.sdg7.quasar -> 7\n  terms: xylophon* quasar\n  weight 2\n", f);
  fclose(f);
  assert_int_equal(sv4_classifier_load(&o, &c3, &err), SV4_OK);
  assert_int_equal(c3->from_cache, 0);
  assert_int_equal(c3->rules->nrules, c1->rules->nrules + 1);
  char *j3 = classify_json(c3, text);
  assert_non_null(strstr(j3, "en.sdg7.quasar"));
  assert_null(strstr(j1, "en.sdg7.quasar"));
  assert_string_not_equal(sv4_classifier_version(c1), sv4_classifier_version(c3));
  free(j1);
  free(j2);
  free(j3);
  sv4_classifier_free(c1);
  sv4_classifier_free(c2);
  sv4_classifier_free(c3);
  snprintf(p, sizeof p, "rm -rf %s", root);
  assert_int_equal(system(p), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(splits_at_first_wildcard),  cmocka_unit_test(verifies_wildcards_mid_phrase),
      cmocka_unit_test(keeps_whole_words),         cmocka_unit_test(folds_diacritics),
      cmocka_unit_test(shares_identical_prefixes), cmocka_unit_test(cache_is_never_stale),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
