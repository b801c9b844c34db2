/* test_normalize.c — the fast paths of normalisation (src/text/normalize.c) against the reference path that sends
 * every character through utf8proc: the ASCII blocks and the two-byte tables of sv4_normalize, the one-pass pair of
 * sv4_normalize_pair, and the character-wise fold of sv4_fold_normalised. Every code point of Latin-1 and Latin
 * Extended-A/B (indeed all of U+0000..U+07FF) in several contexts, and random strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sv4/text.h"

/* UTF-8 of cp into out; returns its length. */
static size_t put_utf8(unsigned cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Fails with the text (escaped) when the fast and the reference normalisation of s differ in text or map. */
static void check_same(const char *s, size_t len, int flags) {
  sv4_norm a, b;
  sv4_norm_init(&a);
  sv4_norm_init(&b);
  sv4_rc ra = sv4_normalize(s, len, flags, &a, NULL), rb = sv4_normalize(s, len, flags | SV4_NORM_REFERENCE, &b, NULL);
  int same = ra == rb && (ra || (a.len == b.len && !memcmp(a.text, b.text, a.len + 1) &&
                                 !memcmp(a.map, b.map, (a.len + 1) * sizeof *a.map)));
  if (!same) {
    fprintf(stderr, "fast and reference differ (flags %d) for:", flags);
    for (size_t i = 0; i < len; i++) fprintf(stderr, " %02x", (unsigned char)s[i]);
    fprintf(stderr, "\n  fast '%s'\n  ref  '%s'\n", ra ? "(error)" : a.text, rb ? "(error)" : b.text);
  }
  sv4_norm_free(&a);
  sv4_norm_free(&b);
  assert_true(same);
}

/* When sv4_normalize_pair pairs s, both forms must be sv4_normalize's, and every space of the folded form must name
 * the same space (same original offset) in the exact form. Returns whether it paired. */
static int check_pair(const char *s, size_t len) {
  sv4_norm n, f, e, g;
  sv4_norm_init(&n);
  sv4_norm_init(&f);
  sv4_norm_init(&e);
  sv4_norm_init(&g);
  int paired = -1;
  sv4_rc rp = sv4_normalize_pair(s, len, &n, &f, &paired, NULL);
  sv4_rc re = sv4_normalize(s, len, 0, &e, NULL);
  assert_int_equal(sv4_normalize(s, len, SV4_NORM_FOLD_DIACRITICS, &g, NULL), re);
  assert_int_equal(rp, re);
  if (!rp && paired) {
    assert_int_equal(n.len, e.len);
    assert_memory_equal(n.text, e.text, e.len + 1);
    assert_memory_equal(n.map, e.map, (e.len + 1) * sizeof *e.map);
    assert_int_equal(f.len, g.len);
    assert_memory_equal(f.text, g.text, g.len + 1);
    assert_memory_equal(f.map, g.map, (g.len + 1) * sizeof *g.map);
    for (size_t i = 0; i < f.len; i++) {
      if (f.text[i] != ' ') continue;
      assert_true(f.twin[i] < n.len);
      assert_int_equal(n.text[f.twin[i]], ' ');
      assert_int_equal(n.map[f.twin[i]], f.map[i]);
    }
    /* the words of the folded form are the character-wise fold of the exact form's */
    char *fo = malloc(n.len * 8 + 8);
    long fl = sv4_fold_normalised(n.text, n.len, fo, n.len * 8 + 8);
    assert_int_equal(fl, (long)f.len);
    assert_memory_equal(fo, f.text, f.len);
    free(fo);
  }
  sv4_norm_free(&n);
  sv4_norm_free(&f);
  sv4_norm_free(&e);
  sv4_norm_free(&g);
  return !rp && paired == 1;
}

/* Every code point up to U+07FF and of U+2000..U+20CF (the punctuation sv4_normalize_pair takes), and every 17th up
 * to U+FFFF, alone and in contexts that exercise the ASCII blocks
 * (long words, separators at block edges), the word clusters before combining marks, and spaces. */
static void every_code_point_matches_reference(void **state) {
  (void)state;
  static const char *const ctx[][2] = {
      {"", ""},
      {"ab", "cd"},
      {"Energia, ", " ODNAWIALNA"},
      {"abcdefgh", "ijklmnopq"},
      {"word ", "\xcc\x81 x"},          /* then a combining acute */
      {"A1b2C3d4", "\xcc\x81\xcc\xa3"}, /* then two marks */
      {"  .. ", "-- x,, y"},
      {"abcdefg ", ". hijklmn"},
  };
  for (unsigned cp = 0; cp < 0x10000; cp += cp < 0x800 || (cp >= 0x2000 && cp < 0x20D0) ? 1 : 17) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    for (size_t c = 0; c < sizeof ctx / sizeof ctx[0]; c++) {
      char s[64];
      size_t n = strlen(ctx[c][0]);
      memcpy(s, ctx[c][0], n);
      n += put_utf8(cp, s + n);
      size_t m = strlen(ctx[c][1]);
      memcpy(s + n, ctx[c][1], m);
      n += m;
      check_same(s, n, 0);
      check_same(s, n, SV4_NORM_FOLD_DIACRITICS);
      check_pair(s, n);
    }
  }
}

/* The letters of the portal's languages pair (the fast one-pass path is taken for such texts), and so do
 * punctuation, typographic quotes, dashes and the euro sign, and digits; a combining mark, a ligature, a subscript
 * digit or another three-byte character does not. */
static void pairs_texts_in_the_portal_languages(void **state) {
  (void)state;
  const char *yes[] = {"Zażółć gęślą jaźń, ŻÓŁW! 2030 r.",
                       "Příliš žluťoučký kůň úpěl ďábelské ódy. Ťava, Ľudia, ôsmy, Ŕ",
                       "Árvíztűrő tükörfúrógép; ŐRÜLT ÜGY",
                       "Straße «quoted» ¡olé! © 1°C µ",
                       "plain ascii, with punctuation -- and   spaces.",
                       "The city\xe2\x80\x99s \xe2\x80\x9cgreen\xe2\x80\x9d plan \xe2\x80\x90 2030 \xe2\x80\x93 5 "
                       "\xe2\x82\xac\xe2\x80\xa6",
                       "\xe2\x80\x9eZielona energia\xe2\x80\x9d \xe2\x80\x94 o\xc5\xbcywienie\xe2\x80\xaf"
                       "2030",
                       ""};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) assert_true(check_pair(yes[i], strlen(yes[i])));
  const char *no[] = {"e\xcc\x81t\xc3\xa9",
                      "\xef\xac\x81nance",
                      "CO\xe2\x82\x82",
                      "\xc2\xbd" /* ½: 1 2 */,
                      "x\xe2\x81\xbf" /* superscript n: a letter */,
                      "\xe2\x84\x96 5" /* numero: No */,
                      "a \xe3\x80\x81 b" /* ideographic comma: outside the range */};
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) assert_false(check_pair(no[i], strlen(no[i])));
  /* an error is reported as sv4_normalize reports it */
  sv4_norm n, f;
  sv4_norm_init(&n);
  sv4_norm_init(&f);
  sv4_error err;
  int paired = 1;
  assert_int_equal(sv4_normalize_pair("ok \xfe", 4, &n, &f, &paired, &err), SV4_ERR_UTF8);
  assert_non_null(strstr(err.msg, "byte 3"));
  assert_int_equal(paired, 0);
  sv4_norm_free(&n);
  sv4_norm_free(&f);
}

/* A small deterministic generator (xorshift). */
static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n) {
  rnd_state ^= rnd_state << 13;
  rnd_state ^= rnd_state >> 7;
  rnd_state ^= rnd_state << 17;
  return (unsigned)(rnd_state % n);
}

/* A random character: mostly ASCII letters and separators (so that ASCII blocks form and break), Latin letters
 * with diacritics, combining marks, sometimes a character from elsewhere (three- and four-byte, compatibility). */
static unsigned rnd_cp(void) {
  static const unsigned other[] = {0xFB01,  0x2082, 0xFF11, 0x20AC, 0x2014, 0x201C, 0x0384, 0x1E9E, 0x00BD, 0x3042,
                                   0x1F600, 0x0130, 0x0149, 0x01C6, 0x0345, 0x0390, 0x0587, 0x00A0, 0x2028, 0xFEFF};
  unsigned k = rnd(100);
  if (k < 45) return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rnd(62)];
  if (k < 60) return " ,.;:-'\"()!?\n\t/"[rnd(15)];
  if (k < 80) return 0xC0 + rnd(0x250 - 0xC0);   /* Latin-1 letters, Latin Extended-A and -B */
  if (k < 85) return 0x80 + rnd(0x40);           /* Latin-1 punctuation and symbols */
  if (k < 90) return 0x300 + rnd(0x70);          /* combining marks */
  if (k < 95) return 0x370 + rnd(0x800 - 0x370); /* the rest of the two-byte range */
  return other[rnd(sizeof other / sizeof other[0])];
}

static void random_strings_match_reference(void **state) {
  (void)state;
  char *s = malloc(8 * 4096 + 8);
  int paired = 0;
  for (int iter = 0; iter < 20000; iter++) {
    /* mostly short texts, some long enough to grow the buffers many times */
    size_t nch = iter % 100 == 0 ? 1000 + rnd(7000) : rnd(120);
    size_t n = 0;
    /* every fourth text without marks and other scripts, so that most of them pair */
    int simple = iter % 4 == 0;
    for (size_t i = 0; i < nch; i++) {
      unsigned cp;
      do cp = rnd_cp();
      while (simple && (cp >= 0x300 || (cp >= 0x80 && cp < 0xC0)));
      n += put_utf8(cp, s + n);
    }
    check_same(s, n, 0);
    check_same(s, n, SV4_NORM_FOLD_DIACRITICS);
    paired += check_pair(s, n);
  }
  assert_true(paired >= 4000); /* the pair path was exercised */
  free(s);
}

/* sv4_fold_normalised: the fold of normalised words, and what cannot be folded so. */
static void folds_normalised_words(void **state) {
  (void)state;
  char out[64];
  const char *w = " odnawialn źródł łódź ", *want = " odnawialn zrodl lodz ";
  long n = sv4_fold_normalised(w, strlen(w), out, sizeof out);
  assert_int_equal(n, (long)strlen(want));
  assert_memory_equal(out, want, (size_t)n);
  assert_int_equal(sv4_fold_normalised("abc", 3, out, 2), -1);                    /* no room */
  assert_int_equal(sv4_fold_normalised("a\xe2\x82\xac", 4, out, sizeof out), -1); /* three-byte character */
  assert_int_equal(sv4_fold_normalised("A", 1, out, sizeof out), -1);             /* not normalised */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_code_point_matches_reference),
      cmocka_unit_test(pairs_texts_in_the_portal_languages),
      cmocka_unit_test(random_strings_match_reference),
      cmocka_unit_test(folds_normalised_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
