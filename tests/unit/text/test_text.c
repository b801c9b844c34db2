/* test_text.c — UTF-8 validation, normalisation (NFKC, case folding, diacritic folding, offset map),
 * segmentation and language identification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sv4/text.h"

static char *norm(const char *s, int flags) {
  sv4_norm n;
  sv4_norm_init(&n);
  assert_int_equal(sv4_normalize(s, strlen(s), flags, &n, NULL), SV4_OK);
  char *r = strdup(n.text);
  sv4_norm_free(&n);
  return r;
}

#define ASSERT_NORM(in, flags, want)   \
  do {                                 \
    char *got_ = norm(in, flags);      \
    assert_string_equal(got_, want);   \
    free(got_);                        \
  } while (0)

static void normalises_case_punctuation_and_letters(void **state) {
  (void)state;
  ASSERT_NORM("Hello,  World!", 0, " hello world ");
  ASSERT_NORM("", 0, " ");
  ASSERT_NORM("ZAŻÓŁĆ Gęślą JAŹŃ", 0, " zażółć gęślą jaźń ");
  ASSERT_NORM("Příliš ŽLUŤOUČKÝ kůň", 0, " příliš žluťoučký kůň ");
  ASSERT_NORM("ÁRVÍZTŰRŐ tükörfúrógép", 0, " árvíztűrő tükörfúrógép ");
  ASSERT_NORM("Straße", 0, " strasse ");               /* casefold ß */
  ASSERT_NORM("\xef\xac\x81nance", 0, " finance ");     /* ﬁ ligature */
  ASSERT_NORM("CO\xe2\x82\x82 and co2", 0, " co2 and co2 "); /* subscript two, NFKC */
  ASSERT_NORM("\xef\xbc\x91\xef\xbc\x92%", 0, " 12 ");  /* fullwidth digits */
  ASSERT_NORM("e\xcc\x81te\xcc\x81", 0, " été ");       /* combining acute composed */
  ASSERT_NORM("“quoted” — dash…", 0, " quoted dash ");
  ASSERT_NORM("co-operation", 0, " co operation ");
}

static void folds_diacritics(void **state) {
  (void)state;
  ASSERT_NORM("Źródła ŁÓDŹ", SV4_NORM_FOLD_DIACRITICS, " zrodla lodz ");
  ASSERT_NORM("řeka ůl ěš", SV4_NORM_FOLD_DIACRITICS, " reka ul es ");
  ASSERT_NORM("őrült ű ä ô ĺ ŕ", SV4_NORM_FOLD_DIACRITICS, " orult u a o l r ");
  const char *v[64];
  size_t n = sv4_fold_variants('z', v, 64);
  int has_z_acute = 0;
  for (size_t i = 0; i < n && i < 64; i++) has_z_acute |= !strcmp(v[i], "ź");
  assert_true(has_z_acute);
}

static void rejects_invalid_utf8(void **state) {
  (void)state;
  size_t bad = 99;
  assert_false(sv4_utf8_valid("ab\xff", 3, &bad));
  assert_int_equal(bad, 2);
  assert_false(sv4_utf8_valid("\xc0\xaf", 2, &bad));         /* overlong */
  assert_false(sv4_utf8_valid("\xed\xa0\x80", 3, &bad));     /* surrogate */
  assert_false(sv4_utf8_valid("\xf4\x90\x80\x80", 4, &bad)); /* > U+10FFFF */
  assert_false(sv4_utf8_valid("a\xc5", 2, &bad));            /* truncated */
  assert_true(sv4_utf8_valid("zażółć", strlen("zażółć"), &bad));
  sv4_norm n;
  sv4_norm_init(&n);
  sv4_error err;
  assert_int_equal(sv4_normalize("ok \xfe", 4, 0, &n, &err), SV4_ERR_UTF8);
  assert_non_null(strstr(err.msg, "byte 3"));
  sv4_norm_free(&n);
}

static void maps_offsets_back(void **state) {
  (void)state;
  const char *src = "Energia, ODNAWIALNYCH źródeł!";
  sv4_norm n;
  sv4_norm_init(&n);
  assert_int_equal(sv4_normalize(src, strlen(src), 0, &n, NULL), SV4_OK);
  const char *p = strstr(n.text, "odnawialnych źródeł");
  assert_non_null(p);
  size_t a = (size_t)(p - n.text), b = a + strlen("odnawialnych źródeł"), s, e;
  sv4_norm_span(&n, src, strlen(src), a, b, &s, &e);
  assert_int_equal(s, 9);
  assert_int_equal(e, strlen(src) - 1);
  assert_int_equal(n.map[n.len], strlen(src));
  /* a ligature expands: its span is the whole original character */
  const char *lig = "x \xef\xac\x81 y";
  assert_int_equal(sv4_normalize(lig, strlen(lig), 0, &n, NULL), SV4_OK);
  sv4_norm_span(&n, lig, strlen(lig), 3, 5, &s, &e);
  assert_int_equal(s, 2);
  assert_int_equal(e, 5);
  sv4_norm_free(&n);
  char *t = sv4_normalize_term("  Odnawialne  Źródła ", strlen("  Odnawialne  Źródła "), 0);
  assert_string_equal(t, "odnawialne źródła");
  free(t);
}

static void segments_paragraphs_and_sentences(void **state) {
  (void)state;
  const char *t = "First para. Second sentence, e.g. this one.\n\n  \nSecond para line one\nline two.\n\n";
  sv4_span *p = NULL, *s = NULL;
  size_t np = 0, ns = 0;
  assert_int_equal(sv4_paragraphs(t, strlen(t), &p, &np), SV4_OK);
  assert_int_equal(np, 2);
  assert_memory_equal(t + p[0].start, "First para.", 11);
  assert_int_equal(t[p[0].end - 1], '.');
  assert_memory_equal(t + p[1].start, "Second para", 11);
  assert_int_equal(sv4_sentences(t, p[0], &s, &ns), SV4_OK);
  assert_int_equal(ns, 2);
  assert_memory_equal(t + s[1].start, "Second sentence, e.g. this one.", s[1].end - s[1].start);
  free(p);
  free(s);
  assert_int_equal(sv4_paragraphs("", 0, &p, &np), SV4_OK);
  assert_int_equal(np, 0);
  free(p);
}

static void identifies_languages(void **state) {
  (void)state;
  sv4_langid *li = NULL;
  assert_int_equal(sv4_langid_new(&li, NULL), SV4_OK);
  static const struct {
    const char *text;
    sv4_lang lang;
  } cases[] = {
      {"The city will reduce greenhouse gas emissions and invest in public transport and renewable energy.", SV4_LANG_EN},
      {"Miasto zmniejszy emisję gazów cieplarnianych i zainwestuje w transport publiczny oraz odnawialne źródła energii.", SV4_LANG_PL},
      {"Město sníží emise skleníkových plynů a bude investovat do veřejné dopravy a obnovitelných zdrojů energie.", SV4_LANG_CS},
      {"Mesto zníži emisie skleníkových plynov a bude investovať do verejnej dopravy a obnoviteľných zdrojov energie.", SV4_LANG_SK},
      {"A város csökkenti az üvegházhatású gázok kibocsátását, és a tömegközlekedésbe és a megújuló energiába fektet.", SV4_LANG_HU},
      {"Cieľom je zlepšiť kvalitu ovzdušia, ktoré sú v meste horšie.", SV4_LANG_SK},
      {"Cílem je zlepšit kvalitu ovzduší, která jsou ve městě horší.", SV4_LANG_CS},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sv4_lang got = sv4_langid_detect(li, cases[i].text, strlen(cases[i].text));
    if (got != cases[i].lang) fail_msg("case %zu: got %s want %s", i, sv4_lang_code(got), sv4_lang_code(cases[i].lang));
  }
  assert_int_equal(sv4_lang_from_code("CZ"), SV4_LANG_CS);
  assert_string_equal(sv4_lang_code(SV4_LANG_UNKNOWN), "und");
  sv4_langid_free(li);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(normalises_case_punctuation_and_letters),
      cmocka_unit_test(folds_diacritics),
      cmocka_unit_test(rejects_invalid_utf8),
      cmocka_unit_test(maps_offsets_back),
      cmocka_unit_test(segments_paragraphs_and_sentences),
      cmocka_unit_test(identifies_languages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
