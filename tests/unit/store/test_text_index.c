/* test_text_index.c — the in-memory text index (store/text_index.c) against FTS5 on the same records: for
 * hundreds of queries (words with and without diacritics, prefixes, phrases, AND, OR, NOT, unknown words) the
 * matching records must be the same and, for queries without OR/NOT, the bm25 scores equal to FTS5's; again
 * after records are rewritten, given documents and deleted. Also: the tokenizer's ASCII path folds like the
 * Unicode one, and sv4_search pages through relevance the same way whichever path it takes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <utf8proc.h>

#include "store/internal.h"
#include "sv4/search.h"
#include "sv4/store.h"
#include "unit/store/tmp_store.h"

/* Words of the generated records: diacritics, letters Unicode does not decompose, case, digits, punctuation. */
static const char *const words[] = {"energia",     "energii",    "Energy",  "energetická",  "renewable",
                                    "odnawialne",  "źródła",     "ŹRÓDŁO",  "obnoviteľné",  "obnovitelné",
                                    "zdroje",      "megújuló",   "Košice",  "Kraków",       "Łódź",
                                    "Straße",      "strasse",    "air",     "quality",      "airport",
                                    "Air-quality", "transport",  "public",  "doprava",      "veřejná",
                                    "innovation",  "innovative", "Innov",   "hub",          "2030",
                                    "CO2",         "smart",      "city",    "green",        "infrastructure",
                                    "water",       "management", "cycling", "network",      "plan",
                                    "the",         "of",         "and",     "œuvre",        "Æther",
                                    "İstanbul",    "naïve",      "café",    "déjà",         "vu",
                                    "x",           "ß",          "heating", "district",     "heat",
                                    "pump",        "pumps",      "solar",   "photovoltaic", "fotowoltaika",
                                    "školách"};
#define NWORDS (sizeof words / sizeof *words)
static const char *const seps[] = {" ", " ", " ", ", ", ". ", " — ", "; ", " (", ") ", "\n", " / ", "-"};
#define NSEPS (sizeof seps / sizeof *seps)

static uint64_t rng = 88172645463325252ull;
static unsigned rnd(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

static void text(sv4_buf *b, unsigned nwords) {
  sv4_buf_reset(b);
  for (unsigned i = 0; i < nwords; i++) {
    if (i) sv4_buf_puts(b, seps[rnd(NSEPS)]);
    /* a skewed choice, so some words are frequent and some rare */
    unsigned w = rnd(4) ? rnd(NWORDS / 3 + 1) : rnd(NWORDS);
    sv4_buf_puts(b, words[w]);
  }
}

typedef struct fx {
  char path[64];
  sv4_store *s;
  const sv4_store_ops *ops;
  sv4__tix *tix;
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  f->ops = &sv4_store_sqlite;
  if (tmp_store_open(f->path, sizeof f->path, &f->s)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  f->ops->close(f->s);
  sv4__tix_free(f->tix);
  tmp_store_remove(f->path);
  free(f);
  return 0;
}

static json_t *make_record(sv4_buf *b) {
  json_t *rec = json_object();
  json_object_set_new(rec, "type", json_string("practice"));
  json_t *title = json_object(), *summary = json_object();
  text(b, 2 + rnd(8));
  json_object_set_new(title, "en", json_string(b->data));
  if (rnd(2)) {
    text(b, 2 + rnd(6));
    json_object_set_new(title, "pl", json_string(b->data));
  }
  text(b, rnd(40));
  json_object_set_new(summary, "en", json_string(b->data));
  json_object_set_new(rec, "title", title);
  json_object_set_new(rec, "summary", summary);
  if (rnd(3) == 0) {
    text(b, 5 + rnd(60));
    json_object_set_new(rec, "problem", json_string(b->data));
  }
  return rec;
}

/* (Re)indexes one record in the test's own index, row = id, from the store's row of it. */
static int put_cb(void *ud, const sv4_record_row *r) {
  fx *f = ud;
  assert_int_equal(sv4__tix_put(f->tix, (uint32_t)r->id, r->text, r->text_len), 0);
  return 0;
}

typedef struct fts_hits {
  int64_t *id;
  double *rank;
  size_t n, cap;
} fts_hits;

static int fts_cb(void *ud, int64_t id, double rank) {
  fts_hits *h = ud;
  if (h->n == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 64;
    h->id = realloc(h->id, h->cap * sizeof *h->id);
    h->rank = realloc(h->rank, h->cap * sizeof *h->rank);
  }
  h->id[h->n] = id;
  h->rank[h->n++] = rank;
  return 0;
}

static int by_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Compares one query; returns the number of matches. */
static size_t compare(fx *f, const char *user_text) {
  char *fts = sv4_search_fts_query(user_text);
  fts_hits h = {0};
  sv4_error e;
  size_t n = 0;
  if (*fts) assert_int_equal(f->ops->text_search(f->s, fts, fts_cb, &h, &e), SV4_OK);
  sv4__tix_hit *t = NULL;
  size_t tn = 0;
  assert_int_equal(sv4__tix_query(f->tix, fts, NULL, 0, &t, &tn, &e), SV4_OK);
  /* FTS5 gives rows best first: index its ranks by id */
  int64_t *ids = malloc((h.n ? h.n : 1) * 2 * sizeof *ids);
  for (size_t i = 0; i < h.n; i++) {
    ids[2 * i] = h.id[i];
    memcpy(&ids[2 * i + 1], &h.rank[i], sizeof(double));
  }
  qsort(ids, h.n, 2 * sizeof *ids, by_id);
  if (tn != h.n) fprintf(stderr, "query %s (%s): index %zu rows, FTS5 %zu\n", user_text, fts, tn, h.n);
  assert_int_equal(tn, h.n);
  int ranked = !strstr(fts, " OR ") && !strstr(fts, " NOT ");
  for (size_t i = 0; i < tn; i++) {
    if ((int64_t)t[i].row != ids[2 * i]) fprintf(stderr, "query %s (%s): row %zu differs\n", user_text, fts, i);
    assert_int_equal((int64_t)t[i].row, ids[2 * i]);
    assert_int_equal(t[i].text, 1);
    double r;
    memcpy(&r, &ids[2 * i + 1], sizeof r);
    if (ranked && fabs(t[i].score - r) > 1e-9 * fmax(1.0, fabs(r))) {
      fprintf(stderr, "query %s (%s): row %u score %.17g, FTS5 %.17g\n", user_text, fts, t[i].row, t[i].score, r);
      fail();
    }
  }
  n = tn;
  free(t);
  free(ids);
  free(h.id);
  free(h.rank);
  free(fts);
  return n;
}

/* Hand-picked queries, then random ones built from the same words (stripped of diacritics now and then). */
static const char *const queries[] = {"energia",
                                      "ENERGIA",
                                      "zrodla",
                                      "źródła",
                                      "ZRODLO",
                                      "zródło",
                                      "kosice",
                                      "KOŠICE",
                                      "krakow",
                                      "lodz",
                                      "strasse",
                                      "straße",
                                      "ss",
                                      "aether",
                                      "oeuvre",
                                      "istanbul",
                                      "naive",
                                      "cafe",
                                      "deja vu",
                                      "\"deja vu\"",
                                      "\"air quality\"",
                                      "\"quality air\"",
                                      "air quality",
                                      "air -quality",
                                      "air OR quality",
                                      "air quality OR transport",
                                      "air OR quality transport",
                                      "air -quality transport",
                                      "-air quality",
                                      "energ*",
                                      "en*",
                                      "e*",
                                      "innov*",
                                      "\"public transport\"",
                                      "\"public transport\" 2030",
                                      "co2",
                                      "CO2 2030",
                                      "obnovitelne zdroje",
                                      "obnoviteľné zdroje energie",
                                      "megujulo",
                                      "megújuló energia",
                                      "nosuchword",
                                      "energia nosuchword",
                                      "nosuchword OR energia",
                                      "energia -nosuchword",
                                      "heat*",
                                      "heat pump*",
                                      "\"heat pump\"",
                                      "\"heat pumps\"",
                                      "\"district heating\" solar",
                                      "x",
                                      "x*",
                                      "vu OR x OR the",
                                      "the of and",
                                      "\"the of\"",
                                      "fotowoltaika skolach",
                                      "Air-quality",
                                      "air—quality",
                                      "\"air—quality\"",
                                      "—",
                                      "\"—\"",
                                      "energia —",
                                      "a\"b",
                                      "\"unclosed energia",
                                      "(){}:^",
                                      "energia OR",
                                      "OR energia",
                                      "energia OR OR transport",
                                      "-energia",
                                      "green -green",
                                      "2030*"};

static void random_query(sv4_buf *q) {
  sv4_buf_reset(q);
  unsigned n = 1 + rnd(3);
  for (unsigned i = 0; i < n; i++) {
    if (i) sv4_buf_puts(q, rnd(5) == 0 ? " OR " : " ");
    if (i && rnd(6) == 0) sv4_buf_putc(q, '-');
    const char *w = words[rnd(NWORDS)];
    switch (rnd(6)) {
      case 0: /* a phrase of two words */
        sv4_buf_printf(q, "\"%s %s\"", w, words[rnd(NWORDS)]);
        break;
      case 1: { /* a prefix: the word cut after its first 1-4 characters */
        size_t cut = 0, chars = 1 + rnd(4);
        while (w[cut] && chars) {
          cut++;
          while ((w[cut] & 0xC0) == 0x80) cut++;
          chars--;
        }
        sv4_buf_append(q, w, cut);
        sv4_buf_putc(q, '*');
        break;
      }
      default:
        sv4_buf_puts(q, w);
    }
  }
}

static void run_queries(fx *f, unsigned nrandom, size_t *nonempty) {
  for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) *nonempty += compare(f, queries[i]) > 0;
  sv4_buf q;
  sv4_buf_init(&q, 0);
  for (unsigned i = 0; i < nrandom; i++) {
    random_query(&q);
    *nonempty += compare(f, q.data) > 0;
  }
  sv4_buf_free(&q);
}

static void index_equals_fts5(void **state) {
  fx *f = *state;
  sv4_error e;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  int64_t ids[400];
  const size_t nrec = sizeof ids / sizeof *ids;
  assert_int_equal(f->ops->begin(f->s, &e), SV4_OK);
  for (size_t i = 0; i < nrec; i++) {
    json_t *rec = make_record(&b);
    assert_int_equal(f->ops->record_create(f->s, rec, "t", NULL, &ids[i], &e), SV4_OK);
    json_decref(rec);
    if (rnd(8) == 0) { /* a document's text goes to the body column */
      text(&b, 20 + rnd(200));
      int64_t doc;
      assert_int_equal(f->ops->document_add(f->s, ids[i], "d.txt", "text/plain", "x", 1, b.data, b.len, &doc, &e),
                       SV4_OK);
    }
  }
  assert_int_equal(f->ops->commit(f->s, &e), SV4_OK);

  f->tix = sv4__tix_new();
  sv4__tix_bulk(f->tix);
  assert_int_equal(f->ops->record_rows_each(f->s, 0, put_cb, f, &e), SV4_OK);
  assert_int_equal(sv4__tix_finish(f->tix), 0);
  assert_true(sv4__tix_terms(f->tix) > 40);
  size_t nonempty = 0;
  run_queries(f, 400, &nonempty);
  assert_true(nonempty > 200); /* the queries really match things */

  /* rewrite a third of the records (new words come into the vocabulary one by one), add documents, delete some */
  for (size_t i = 0; i < nrec; i += 3) {
    json_t *patch = make_record(&b);
    json_object_del(patch, "type");
    if (rnd(4) == 0) json_object_set_new(patch, "problem", json_string("neologismus zyxwvu Überraschung"));
    assert_int_equal(f->ops->record_update(f->s, ids[i], patch, "t", NULL, &e), SV4_OK);
    json_decref(patch);
    assert_int_equal(f->ops->record_rows_each(f->s, ids[i], put_cb, f, &e), SV4_OK);
  }
  for (size_t i = 1; i < nrec; i += 7) {
    text(&b, 50 + rnd(300));
    int64_t doc;
    assert_int_equal(f->ops->document_add(f->s, ids[i], "e.txt", "text/plain", "x", 1, b.data, b.len, &doc, &e),
                     SV4_OK);
    assert_int_equal(f->ops->record_rows_each(f->s, ids[i], put_cb, f, &e), SV4_OK);
  }
  for (size_t i = 2; i < nrec; i += 5) {
    assert_int_equal(f->ops->record_delete(f->s, ids[i], "t", &e), SV4_OK);
    sv4__tix_drop(f->tix, (uint32_t)ids[i]);
  }
  /* a long body makes weighted counts pass 255 (saturated postings are counted again from the forward index) */
  sv4_buf_reset(&b);
  for (int i = 0; i < 300; i++) sv4_buf_puts(&b, "Energia energia quality air ");
  json_t *patch = json_pack("{s:s}", "problem", b.data);
  assert_int_equal(f->ops->record_update(f->s, ids[1], patch, "t", NULL, &e), SV4_OK);
  json_decref(patch);
  assert_int_equal(f->ops->record_rows_each(f->s, ids[1], put_cb, f, &e), SV4_OK);
  nonempty = 0;
  run_queries(f, 400, &nonempty);
  assert_true(nonempty > 200);
  /* extra rows (found by classification codes) join the hits unranked, text matches keep their scores */
  uint64_t also[16] = {0};
  for (size_t i = 0; i < nrec; i += 10) also[ids[i] / 64] |= 1ull << (ids[i] % 64);
  sv4__tix_hit *with = NULL, *plain = NULL;
  size_t nwith = 0, nplain = 0;
  assert_int_equal(sv4__tix_query(f->tix, "\"energia\"", also, 16, &with, &nwith, &e), SV4_OK);
  assert_int_equal(sv4__tix_query(f->tix, "\"energia\"", NULL, 0, &plain, &nplain, &e), SV4_OK);
  size_t j = 0, extra = 0;
  for (size_t i = 0; i < nwith; i++) {
    if (i) assert_true(with[i].row > with[i - 1].row);
    if (j < nplain && plain[j].row == with[i].row) {
      assert_int_equal(with[i].text, 1);
      assert_true(with[i].score == plain[j].score);
      j++;
    } else {
      assert_int_equal(with[i].text, 0);
      assert_true(with[i].score == 0);
      assert_true(also[with[i].row / 64] >> (with[i].row % 64) & 1);
      extra++;
    }
  }
  assert_int_equal(j, nplain);
  assert_true(extra > 0);
  free(with);
  free(plain);
  assert_true(compare(f, "zyxwvu") > 0);
  assert_true(compare(f, "uberraschung") > 0);
  assert_true(compare(f, "neolog*") > 0);
  sv4_buf_free(&b);
}

/* sv4_search over the same data: totals equal FTS5's counts, and relevance pages (sorting the few matches, or
 * walking the lazily sorted order) agree with one full sort. */
static void search_pages_follow_relevance(void **state) {
  fx *f = *state;
  sv4_error e;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  assert_int_equal(f->ops->begin(f->s, &e), SV4_OK);
  for (int i = 0; i < 3000; i++) {
    json_t *rec = make_record(&b);
    int64_t id;
    assert_int_equal(f->ops->record_create(f->s, rec, "t", NULL, &id, &e), SV4_OK);
    json_decref(rec);
  }
  assert_int_equal(f->ops->commit(f->s, &e), SV4_OK);
  sv4_buf_free(&b);
  sv4_search_index *ix = NULL;
  assert_int_equal(sv4_search_index_build(f->s, &ix, &e), SV4_OK);
  const char *qs[] = {"energia", "air", "\"air quality\"", "innov*", "the", "kosice zrodla", "x OR vu"};
  for (size_t k = 0; k < sizeof qs / sizeof *qs; k++) {
    char *fts = sv4_search_fts_query(qs[k]);
    fts_hits h = {0};
    assert_int_equal(f->ops->text_search(f->s, fts, fts_cb, &h, &e), SV4_OK);
    free(fts);
    /* one page of everything, then the same in pages of 7: the concatenation must be the same list */
    sv4_search_query q = {0};
    q.text = qs[k];
    q.viewer_role = SV4_ROLE_ADMIN;
    q.limit = 1000;
    sv4_search_result *all = NULL;
    assert_int_equal(sv4_search(ix, f->s, &q, &all, &e), SV4_OK);
    assert_int_equal(all->total, h.n);
    size_t seen = 0;
    for (q.offset = 0, q.limit = 7; q.offset < all->total && q.offset < 400; q.offset += 7) {
      sv4_search_result *r = NULL;
      assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
      for (size_t i = 0; i < r->nhits; i++, seen++) {
        assert_int_equal(r->hits[i].id, all->hits[seen].id);
        if (seen) assert_true(all->hits[seen].rank <= all->hits[seen - 1].rank);
      }
      sv4_search_result_free(r);
    }
    sv4_search_result_free(all);
    free(h.id);
    free(h.rank);
  }
  sv4_search_index_free(ix);
}

static char *snippet(const char *user_text, const char *title, const char *summary, const char *body) {
  char *fts = sv4_search_fts_query(user_text), *out = NULL;
  const char *text[3] = {title, summary, body};
  size_t len[3] = {title ? strlen(title) : 0, summary ? strlen(summary) : 0, body ? strlen(body) : 0};
  sv4_error e;
  assert_int_equal(sv4__tix_snippet(fts, text, len, &out, &e), SV4_OK);
  free(fts);
  return out;
}

#define SNIP_HAS(q, title, summary, body, want)                               \
  do {                                                                        \
    char *s_ = snippet(q, title, summary, body);                              \
    if (!strstr(s_, want)) fprintf(stderr, "%s: %s lacks %s\n", q, s_, want); \
    assert_non_null(strstr(s_, want));                                        \
    free(s_);                                                                 \
  } while (0)

/* Snippets: folded matches marked in the original words, phrases as one mark, prefixes, escaping, ellipses where
 * the window cuts the text, negated words left unmarked, the best column chosen. */
static void snippets_mark_matches(void **state) {
  (void)state;
  const char *title = "Odnawialne źródła energii w Krakowie";
  SNIP_HAS("zrodla", title, NULL, NULL, "Odnawialne <mark>źródła</mark> energii w Krakowie");
  SNIP_HAS("ENERG*", title, NULL, NULL, "<mark>energii</mark>");
  SNIP_HAS("\"zrodla energii\"", title, NULL, NULL, "<mark>źródła energii</mark>");
  SNIP_HAS("krakowie", "<Schools> & \"co\" — Kraków", "x", "y w Krakowie", "y w <mark>Krakowie</mark>");
  SNIP_HAS("schools", "<Schools> & \"co\"", NULL, NULL, "&lt;<mark>Schools</mark>&gt; &amp; &quot;co&quot;");
  /* a long body: the window sits around the match, cut on both sides */
  char body[4096] = "";
  for (int i = 0; i < 60; i++) strcat(body, "filler words here, ");
  strcat(body, "the air quality plan. ");
  for (int i = 0; i < 60; i++) strcat(body, "more filler words, ");
  char *s = snippet("\"air quality\"", "Title", "Summary", body);
  assert_non_null(strstr(s, "<mark>air quality</mark>"));
  assert_true(!strncmp(s, "\xE2\x80\xA6", 3));
  assert_true(!strcmp(s + strlen(s) - 3, "\xE2\x80\xA6"));
  free(s);
  /* the window with both words beats the one with either; a negated word stays unmarked */
  s = snippet("solar heat", "Solar plan", "District heat and solar panels together", NULL);
  assert_non_null(strstr(s, "District <mark>heat</mark> and <mark>solar</mark> panels"));
  free(s);
  s = snippet("air -quality", "Air quality and air", NULL, NULL);
  assert_non_null(strstr(s, "<mark>Air</mark> quality and <mark>air</mark>"));
  free(s);
  /* no match in the text: its beginning, unmarked */
  s = snippet("nothing", "Some title here", NULL, NULL);
  assert_string_equal(s, "Some title here");
  free(s);
  s = snippet("nothing", NULL, NULL, NULL);
  assert_string_equal(s, "");
  free(s);
}

typedef struct tokens {
  char out[4096];
  size_t len;
} tokens;

static int collect(void *ud, const char *tok, size_t len, size_t start, size_t end) {
  (void)start, (void)end;
  tokens *t = ud;
  memcpy(t->out + t->len, tok, len);
  t->len += len;
  t->out[t->len++] = '|';
  return 0;
}

/* Every ASCII character: a word character exactly when Unicode says letter/digit/mark, folded as utf8proc folds. */
static void ascii_path_folds_like_unicode(void **state) {
  (void)state;
  for (int c = 1; c < 128; c++) {
    char in[4] = {'q', (char)c, 'q', 0};
    tokens t = {{0}, 0};
    sv4__tokenize(in, 3, collect, &t);
    utf8proc_category_t cat = utf8proc_category(c);
    int word = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT ||
               cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_MN ||
               cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME || cat == UTF8PROC_CATEGORY_ND ||
               cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
    char want[8];
    if (word) {
      utf8proc_int32_t f[4];
      assert_int_equal(
          utf8proc_decompose_char(c, f, 4,
                                  UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE, NULL),
          1);
      snprintf(want, sizeof want, "q%cq|", (char)f[0]);
    } else {
      snprintf(want, sizeof want, "q|q|");
    }
    t.out[t.len] = '\0';
    assert_string_equal(t.out, want);
  }
  tokens t = {{0}, 0};
  const char *mixed = "Źródła ENERGII—Košice, Straße (CO2) ǅemal İstanbul";
  sv4__tokenize(mixed, strlen(mixed), collect, &t);
  t.out[t.len] = '\0';
  assert_string_equal(t.out, "zrodla|energii|kosice|strasse|co2|dzemal|istanbul|");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(index_equals_fts5, setup, teardown),
      cmocka_unit_test_setup_teardown(search_pages_follow_relevance, setup, teardown),
      cmocka_unit_test(ascii_path_folds_like_unicode),
      cmocka_unit_test(snippets_mark_matches),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
