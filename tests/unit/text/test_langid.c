/* test_langid.c — accuracy of language identification on labelled texts: the cases in tests/data/langid (id, lang,
 * text; one .tsv file per language) plus every text of tests/data/classify (.jsonl) and tests/data/eval (.csv), the
 * language taken from the record or the file name. Prints a table per source and language, and the misidentified
 * texts; asserts the bars below. Run the executable alone to see the table (the measurement named in
 * tests/data/langid/README.md). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "sv4/csv.h"
#include "sv4/text.h"
#include "sv4/util.h"

/* Bars: accuracy per language over all sources, and for the Czech/Slovak pair also over texts of one sentence.
 * Every text of two or more sentences must be identified correctly. */
#define BAR_ALL 0.97
#define BAR_CS_SK_ONE_SENTENCE 0.95

enum { SRC_LANGID, SRC_CLASSIFY, SRC_EVAL, SRC_COUNT };
static const char *const src_name[SRC_COUNT] = {"langid", "classify", "eval"};

typedef struct lcase {
  char *id, *text;
  size_t len;
  sv4_lang lang;
  int src;
} lcase;

typedef struct cases {
  lcase *v;
  size_t n, cap;
} cases;

static void add_case(cases *cs, int src, const char *id, sv4_lang lang, const char *text, size_t len) {
  if (!len || lang == SV4_LANG_UNKNOWN) return;
  for (size_t i = 0; i < cs->n; i++) /* the eval files repeat a text once per goal */
    if (cs->v[i].src == src && cs->v[i].len == len && !memcmp(cs->v[i].text, text, len)) return;
  if (cs->n == cs->cap) {
    cs->cap = cs->cap ? 2 * cs->cap : 256;
    cs->v = realloc(cs->v, cs->cap * sizeof *cs->v);
    assert_non_null(cs->v);
  }
  lcase *c = &cs->v[cs->n++];
  c->id = strdup(id);
  c->text = malloc(len + 1);
  assert_non_null(c->id);
  assert_non_null(c->text);
  memcpy(c->text, text, len);
  c->text[len] = 0;
  c->len = len;
  c->lang = lang;
  c->src = src;
}

/* "heldout2-cs.csv" -> cs: the language is the part of the file name after the last '-' and before the dot. */
static sv4_lang lang_of_file(const char *name) {
  const char *dash = strrchr(name, '-'), *dot = strrchr(name, '.');
  const char *s = dash ? dash + 1 : name;
  char code[8] = {0};
  if (!dot || dot <= s || (size_t)(dot - s) >= sizeof code) return SV4_LANG_UNKNOWN;
  memcpy(code, s, (size_t)(dot - s));
  return sv4_lang_from_code(code);
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && !strcmp(s + a - b, suffix);
}

static char *read_all(const char *dir, const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char *data = NULL;
  assert_int_equal(sv4_read_file(path, 16u << 20, &data, len, NULL), SV4_OK);
  return data;
}

static void load_csv(cases *cs, int src, const char *dir, const char *name, char sep) {
  size_t len = 0, nf = 0;
  char *data = read_all(dir, name, &len);
  sv4_csv *csv = sv4_csv_open(data, len, sep, name);
  assert_non_null(csv);
  assert_int_equal(sv4_csv_next(csv, &nf, NULL), SV4_OK);
  int ci = sv4_csv_column(csv, "id"), ct = sv4_csv_column(csv, "text"), cl = sv4_csv_column(csv, "lang");
  assert_true(ci >= 0 && ct >= 0);
  sv4_lang file_lang = lang_of_file(name);
  sv4_rc rc;
  while ((rc = sv4_csv_next(csv, &nf, NULL)) == SV4_OK) {
    sv4_lang l = cl >= 0 ? sv4_lang_from_code(sv4_csv_field(csv, (size_t)cl)) : file_lang;
    add_case(cs, src, sv4_csv_field(csv, (size_t)ci), l, sv4_csv_field(csv, (size_t)ct),
             sv4_csv_field_len(csv, (size_t)ct));
  }
  assert_int_equal(rc, SV4_ERR_NOTFOUND);
  sv4_csv_close(csv);
  free(data);
}

/* The string value of "key" in one JSON object line (escapes \" \\ \/ \n \t decoded; others kept), malloc'd. */
static char *json_string(const char *line, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\"", key);
  const char *p = strstr(line, pat);
  if (!p) return NULL;
  p += strlen(pat);
  while (*p == ' ' || *p == ':') p++;
  if (*p++ != '"') return NULL;
  char *out = malloc(strlen(p) + 1), *o = out;
  assert_non_null(out);
  for (; *p && *p != '"'; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
    } else {
      *o++ = *p;
    }
  }
  *o = 0;
  return out;
}

static void load_jsonl(cases *cs, const char *dir, const char *name) {
  size_t len = 0;
  char *data = read_all(dir, name, &len);
  sv4_lang file_lang = lang_of_file(name);
  for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
    char *id = json_string(line, "id"), *text = json_string(line, "text"), *lc = json_string(line, "lang");
    sv4_lang l = lc ? sv4_lang_from_code(lc) : file_lang;
    if (id && text) add_case(cs, SRC_CLASSIFY, id, l, text, strlen(text));
    free(id);
    free(text);
    free(lc);
  }
  free(data);
}

static void load_dir(cases *cs, int src, const char *sub, const char *ext) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/%s", SV4_TEST_DATA_DIR, sub);
  DIR *d = opendir(dir);
  assert_non_null(d);
  char *names[256];
  size_t n = 0;
  for (struct dirent *e; (e = readdir(d)) && n < 256;)
    if (ends_with(e->d_name, ext)) names[n++] = strdup(e->d_name);
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    if (src == SRC_CLASSIFY) load_jsonl(cs, dir, names[i]);
    else load_csv(cs, src, dir, names[i], src == SRC_LANGID ? '\t' : ',');
    free(names[i]);
  }
}

static size_t sentences(const char *text, size_t len) {
  sv4_span *s = NULL, all = {0, len};
  size_t n = 0;
  assert_int_equal(sv4_sentences(text, all, &s, &n), SV4_OK);
  free(s);
  return n;
}

static void identifies_labelled_texts(void **state) {
  (void)state;
  cases cs = {0};
  load_dir(&cs, SRC_LANGID, "langid", ".tsv");
  load_dir(&cs, SRC_CLASSIFY, "classify", ".jsonl");
  load_dir(&cs, SRC_EVAL, "eval", ".csv");
  sv4_langid *li = NULL;
  assert_int_equal(sv4_langid_new(&li, NULL), SV4_OK);
  /* [source or SRC_COUNT = all][language][0 = one sentence, 1 = more][total, correct] */
  size_t tab[SRC_COUNT + 1][SV4_LANG_COUNT][2][2];
  memset(tab, 0, sizeof tab);
  size_t long_wrong = 0;
  for (size_t i = 0; i < cs.n; i++) {
    lcase *c = &cs.v[i];
    sv4_lang got = sv4_langid_detect(li, c->text, c->len);
    int multi = sentences(c->text, c->len) >= 2, ok = got == c->lang;
    for (int s = 0; s < 2; s++) {
      size_t(*t)[2] = tab[s ? SRC_COUNT : c->src][c->lang];
      t[multi][0]++;
      t[multi][1] += (size_t)ok;
    }
    if (!ok) {
      long_wrong += (size_t)multi;
      printf("  %-8s %-12s want %s got %s (%s): %.90s\n", src_name[c->src], c->id, sv4_lang_code(c->lang),
             sv4_lang_code(got), multi ? "2+ sentences" : "1 sentence", c->text);
    }
  }
  printf("%-8s %-4s %15s %15s %15s\n", "source", "lang", "1 sentence", "2+ sentences", "all");
  int failed = 0;
  for (int s = 0; s <= SRC_COUNT; s++) {
    for (int l = 1; l < SV4_LANG_COUNT; l++) {
      size_t(*t)[2] = tab[s][l];
      size_t n = t[0][0] + t[1][0], ok = t[0][1] + t[1][1];
      if (!n) continue;
      char cell[3][32];
      for (int k = 0; k < 3; k++) {
        size_t kn = k < 2 ? t[k][0] : n, kok = k < 2 ? t[k][1] : ok;
        if (kn) snprintf(cell[k], sizeof cell[k], "%zu/%zu %.3f", kok, kn, (double)kok / (double)kn);
        else snprintf(cell[k], sizeof cell[k], "-");
      }
      printf("%-8s %-4s %15s %15s %15s\n", s == SRC_COUNT ? "all" : src_name[s], sv4_lang_code((sv4_lang)l),
             cell[0], cell[1], cell[2]);
      if (s != SRC_COUNT) continue;
      if ((double)ok < BAR_ALL * (double)n) {
        printf("FAIL: %s accuracy below %.2f\n", sv4_lang_code((sv4_lang)l), BAR_ALL);
        failed = 1;
      }
      if ((l == SV4_LANG_CS || l == SV4_LANG_SK) && (double)t[0][1] < BAR_CS_SK_ONE_SENTENCE * (double)t[0][0]) {
        printf("FAIL: %s one-sentence accuracy below %.2f\n", sv4_lang_code((sv4_lang)l), BAR_CS_SK_ONE_SENTENCE);
        failed = 1;
      }
    }
  }
  if (long_wrong) printf("FAIL: %zu texts of two or more sentences misidentified\n", long_wrong);
  fflush(stdout);
  for (size_t i = 0; i < cs.n; i++) {
    free(cs.v[i].id);
    free(cs.v[i].text);
  }
  free(cs.v);
  sv4_langid_free(li);
  assert_false(failed);
  assert_int_equal(long_wrong, 0);
}

/* The answer depends on the text's bytes only: never on what follows it in memory, and nothing past its end is read
 * (the text ends right before an inaccessible page, so an over-read crashes). */
static void reads_only_the_text(void **state) {
  (void)state;
  sv4_langid *li = NULL;
  assert_int_equal(sv4_langid_new(&li, NULL), SV4_OK);
  static const char *const texts[] = {
      "Mesto podporí výsadbu stromov a obnovu verejnej zelene v sídliskách.",
      "Město podpoří výsadbu stromů a obnovu veřejné zeleně na sídlištích.",
      "The city will plant trees", "Zielona", "a",
      /* invalid and cut UTF-8: a decoder must not step over the end */
      "$$V\xc2\xbdlova\x03M\xc4\x99s\x91\n\to\n\n\x19s\n\t\n\nanie \x99s\x91\n\to", "energia odnawialna \xc4",
      "zdroje energie \xe2\x82", "\xf0\x9f\x98"};
  static const char *const tails[] = {"", "zzzzzzzz", " the and of energy renewable", " ve na je že mesto"};
  long page = sysconf(_SC_PAGESIZE);
  char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  assert_true(map != MAP_FAILED);
  assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
  char *buf = malloc(8192);
  assert_non_null(buf);
  for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
    size_t n = strlen(texts[t]);
    char *at_edge = map + page - n; /* the last byte of the text is the last readable byte */
    memcpy(at_edge, texts[t], n);
    sv4_lang want = sv4_langid_detect(li, at_edge, n);
    for (size_t k = 0; k < sizeof tails / sizeof *tails; k++) {
      memcpy(buf, texts[t], n);
      strcpy(buf + n, tails[k]);
      assert_int_equal(sv4_langid_detect(li, buf, n), want);
    }
  }
  free(buf);
  munmap(map, (size_t)page * 2);
  sv4_langid_free(li);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(identifies_labelled_texts),
      cmocka_unit_test(reads_only_the_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
