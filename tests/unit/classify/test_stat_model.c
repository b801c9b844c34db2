/* test_stat_model.c — the statistical model beside the rules: trained the same way every time, the cached table gives
 * the same results as a fresh one, its labels carry word evidence, a rule's `not` context vetoes it, rules_only
 * leaves it out, and broken training data, thresholds or cache files give clear errors or a fresh training. Uses the
 * test rules and taxonomy of tests/data and the paragraphs of tests/data/model/train. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "classify/internal.h"

static char dir[64], cache[96];

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void path_of(char *out, size_t n, const char *rel) { snprintf(out, n, "%s/%s", dir, rel); }

/* A data directory: the test rules (sdg, egd) with thresholds thr, the test taxonomy, and train/ holding either the
 * fixture's paragraphs (train == NULL) or one file en.csv with the given text. */
static void make_data(const char *thr, const char *train) {
  char p[256], q[256];
  path_of(p, sizeof p, "rules");
  mkdir(p, 0755);
  path_of(p, sizeof p, "rules/sdg");
  unlink(p);
  assert_int_equal(symlink(SV4_TEST_DATA_DIR "/rules/sdg", p), 0);
  path_of(p, sizeof p, "rules/egd");
  unlink(p);
  assert_int_equal(symlink(SV4_TEST_DATA_DIR "/rules/egd", p), 0);
  path_of(p, sizeof p, "rules/thresholds.csv");
  write_file(p, thr);
  path_of(p, sizeof p, "taxonomy");
  unlink(p);
  assert_int_equal(symlink(SV4_TEST_DATA_DIR "/taxonomy", p), 0);
  path_of(p, sizeof p, "train");
  path_of(q, sizeof q, "train/en.csv");
  struct stat st;
  if (!lstat(p, &st) && S_ISLNK(st.st_mode)) {
    unlink(p); /* the link to the fixture, not what it points to */
  } else {
    unlink(q);
    rmdir(p);
  }
  if (!train) {
    assert_int_equal(symlink(SV4_TEST_DATA_DIR "/model/train", p), 0);
  } else {
    mkdir(p, 0755);
    write_file(q, train);
  }
}

static const char *THR = "scheme,paragraph,document,saturation,model,model_assist,assist_evidence\n"
                         "sdg,2,3,2.5,0.5,0.3,1\negd,2,3,2.5,0.5,,\ntaxonomy,2,3,2.5,,,\nsmartcity,2,3,2.5,,,\n";

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/sv4-test-model-XXXXXX");
  if (!mkdtemp(dir)) return -1;
  snprintf(cache, sizeof cache, "%s/cache", dir);
  mkdir(cache, 0755);
  return 0;
}

static void rm_tree(const char *d) {
  DIR *dd = opendir(d);
  if (!dd) return;
  struct dirent *e;
  while ((e = readdir(dd))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char p[512];
    snprintf(p, sizeof p, "%s/%s", d, e->d_name);
    struct stat st;
    if (!lstat(p, &st) && S_ISDIR(st.st_mode)) {
      rm_tree(p);
      rmdir(p);
    } else {
      unlink(p);
    }
  }
  closedir(dd);
}

static int teardown(void **state) {
  (void)state;
  rm_tree(dir);
  rmdir(dir);
  return 0;
}

static sv4_classifier *load(int no_cache, sv4_error *err) {
  sv4_classifier_opts o = {.data_dir = dir, .cache_dir = cache, .no_cache = no_cache};
  sv4_classifier *c = NULL;
  if (sv4_classifier_load(&o, &c, err) == SV4_OK) return c;
  fprintf(stderr, "load: %s\n", err->msg);
  return NULL;
}

/* "scheme:code@score[rule]" per label, the first evidence's rule, for comparing whole results. */
static char *profile(sv4_classifier *c, const char *text, int rules_only) {
  sv4_worker *w = NULL;
  sv4_error err = {0};
  assert_int_equal(sv4_worker_new(c, &w, &err), SV4_OK);
  sv4_classify_opts o = {.lang = SV4_LANG_EN, .evidence = 1, .rules_only = rules_only};
  sv4_result *r = NULL;
  assert_int_equal(sv4_classify(w, text, strlen(text), &o, &r, &err), SV4_OK);
  char buf[1024] = "";
  for (size_t i = 0; i < r->nlabels; i++) {
    const sv4_label *l = &r->labels[i];
    assert_true(l->nevidence > 0); /* every label carries evidence */
    char one[160];
    snprintf(one, sizeof one, "%s%s:%s@%.6f[%s]", i ? "," : "", sv4_scheme_name(l->scheme), l->code, l->score,
             l->evidence[0].rule);
    strcat(buf, one);
  }
  sv4_result_free(r);
  sv4_worker_free(w);
  return strdup(buf);
}

static const char *TEXTS[] = {
    "The town supports photovoltaic panels and heat pumps for family houses, so that households in the district can cut their heating bills.",
    "Greenhouse gas emissions from heating fell last year; the carbon inventory of the city is updated every year by "
    "the office.",
    "The labour office pays wage subsidies so that employers in the region hire unemployed young people and keep "
    "them for a year.",
    "The office is closed on Monday and on public holidays; applications are accepted in writing at the registry "
    "until noon.",
};

static void same_model_every_time_and_from_cache(void **state) {
  (void)state;
  make_data(THR, NULL);
  sv4_error err = {0};
  sv4_classifier *a = load(1, &err), *b = load(1, &err);
  assert_non_null(a);
  assert_non_null(b);
  assert_non_null(a->model);
  /* two trainings of the same data: the same table, byte for byte */
  assert_int_equal(a->model->nslots, b->model->nslots);
  assert_int_equal(a->model->nrows, b->model->nrows);
  assert_true(a->model->nrows > 10);
  assert_memory_equal(a->model->slots, b->model->slots, a->model->nslots * sizeof *a->model->slots);
  assert_memory_equal(a->model->w8, b->model->w8, (size_t)a->model->nrows * SV4__MODEL_MAXK);
  assert_memory_equal(a->model->bias, b->model->bias, SV4__MODEL_MAXK * sizeof(float));
  assert_string_equal(sv4_classifier_version(a), sv4_classifier_version(b));
  assert_non_null(strstr(sv4_classifier_version(a), ";model="));
  /* trained and saved, then read from the cache: the same results */
  sv4_classifier *c1 = load(0, &err), *c2 = load(0, &err);
  assert_non_null(c1);
  assert_non_null(c2);
  assert_null(c1->model->map);
  assert_non_null(c2->model->map);
  assert_true(c1->model->hash == c2->model->hash && c2->model->hash == a->model->hash); /* named by content */
  assert_string_equal(sv4_classifier_version(c2), sv4_classifier_version(a));
  for (size_t i = 0; i < sizeof TEXTS / sizeof *TEXTS; i++) {
    char *x = profile(a, TEXTS[i], 0), *y = profile(c2, TEXTS[i], 0);
    assert_string_equal(x, y);
    free(x);
    free(y);
  }
  sv4_classifier_free(a);
  sv4_classifier_free(b);
  sv4_classifier_free(c1);
  sv4_classifier_free(c2);
}

static void model_labels_carry_word_evidence(void **state) {
  (void)state;
  make_data(THR, NULL);
  sv4_error err = {0};
  sv4_classifier *c = load(0, &err);
  assert_non_null(c);
  sv4_worker *w = NULL;
  assert_int_equal(sv4_worker_new(c, &w, &err), SV4_OK);
  /* no rule term of the test rules is in this text: only the model can label it */
  const char *text = "The town supports photovoltaic panels and heat pumps for family houses, so that households in the district can cut their heating bills.";
  sv4_classify_opts o = {.lang = SV4_LANG_EN, .evidence = 1};
  sv4_result *r = NULL;
  assert_int_equal(sv4_classify(w, text, strlen(text), &o, &r, &err), SV4_OK);
  int found = 0;
  for (size_t i = 0; i < r->nlabels; i++) {
    const sv4_label *l = &r->labels[i];
    if (l->scheme != SV4_SCHEME_SDG || strcmp(l->code, "7")) continue;
    found = 1;
    assert_true(l->score >= 0.5 && l->score <= 1);
    assert_true(l->nevidence >= 1 && l->nevidence <= SV4__MODEL_EVIDENCE);
    for (size_t k = 0; k < l->nevidence; k++) {
      const sv4_evidence *e = &l->evidence[k];
      assert_string_equal(e->rule, "model:sdg:7");
      assert_true(e->end > e->start && e->end <= strlen(text));
      assert_memory_equal(e->match, text + e->start, e->match_len);
      assert_null(memchr(e->match, ' ', e->match_len)); /* one word each */
      if (k) assert_true(l->evidence[k - 1].weight >= e->weight); /* strongest first */
    }
  }
  assert_true(found);
  sv4_result_free(r);
  /* the rules alone give nothing here */
  char *p = profile(c, text, 1);
  assert_string_equal(p, "");
  free(p);
  /* the same words in a sentence too short for the model: the rules alone decide */
  p = profile(c, "Photovoltaic panels and heat pumps for family houses.", 0);
  assert_string_equal(p, "");
  free(p);
  /* administrative text: nothing */
  p = profile(c, TEXTS[3], 0);
  assert_string_equal(p, "");
  free(p);
  /* JSON: the model's evidence in the contract's shape */
  o.rules_only = 0;
  assert_int_equal(sv4_classify(w, text, strlen(text), &o, &r, &err), SV4_OK);
  sv4_buf b;
  sv4_buf_init(&b, 1u << 20);
  assert_int_equal(sv4_result_to_json(r, "x", 1, 1, &b), SV4_OK);
  assert_non_null(strstr(b.data, "\"rule\":\"model:sdg:7\""));
  sv4_buf_free(&b);
  sv4_result_free(r);
  sv4_worker_free(w);
  sv4_classifier_free(c);
}

static void not_context_vetoes_the_model(void **state) {
  (void)state;
  /* the model may label 13 from these words at a low threshold ... */
  make_data("scheme,paragraph,document,saturation,model\nsdg,2,3,2.5,0.2\negd,2,3,2.5,\n"
            "taxonomy,2,3,2.5,\nsmartcity,2,3,2.5,\n",
            NULL);
  sv4_error err = {0};
  sv4_classifier *c = load(0, &err);
  assert_non_null(c);
  char *with = profile(
      c, "The city cuts greenhouse gas emissions and carbon dioxide; the inventory of greenhouse gas emissions and the "
         "carbon budget shape the climate of the region.",
      0);
  if (!strstr(with, "sdg:13")) fprintf(stderr, "with: %s\n", with);
  assert_non_null(strstr(with, "sdg:13"));
  /* ... but not where a rule of 13 names the context as misleading ("investment climate") */
  char *vetoed = profile(c,
                         "The city cuts greenhouse gas emissions and carbon dioxide; the inventory of greenhouse gas "
                         "emissions and the carbon budget shape the investment climate of the region.",
                         0);
  assert_null(strstr(vetoed, "sdg:13"));
  free(with);
  free(vetoed);
  sv4_classifier_free(c);
}

static void broken_training_data_is_an_error(void **state) {
  (void)state;
  sv4_error err = {0};
  make_data(THR, "id,text,sdg,egd\na,\"Heat pumps for the schools of the town and the sports hall.\",18,\n");
  assert_null(load(1, &err));
  assert_int_equal(err.rc, SV4_ERR_PARSE);
  assert_non_null(strstr(err.msg, "en.csv:2"));
  assert_non_null(strstr(err.msg, "18"));
  make_data(THR, "id,text,sdg,egd\na,\"Heat pumps for the schools of the town.\",7,fusion\n");
  assert_null(load(1, &err));
  assert_non_null(strstr(err.msg, "fusion"));
  make_data(THR, "id,text,goal\na,b,7\n");
  assert_null(load(1, &err));
  assert_non_null(strstr(err.msg, "id,text,sdg,egd"));
  make_data(THR, "id,text,sdg,egd\na,\"unterminated\n");
  assert_null(load(1, &err));
  make_data(THR, "id,text,sdg,egd\na,\"\xC3\x28 invalid UTF-8\",7,\n");
  assert_null(load(1, &err));
  assert_int_equal(err.rc, SV4_ERR_UTF8);
  /* a target is not a class: the model works at goal level */
  make_data(THR, "id,text,sdg,egd\na,\"Heat pumps for the schools of the town.\",7.2,\n");
  assert_null(load(1, &err));
  /* no training data at all: the rules alone, no model in the version */
  make_data(THR, "id,text,sdg,egd\n");
  sv4_classifier *c = load(1, &err);
  assert_non_null(c);
  assert_null(c->model);
  assert_null(strstr(sv4_classifier_version(c), "model="));
  sv4_classifier_free(c);
}

static void broken_thresholds_are_an_error(void **state) {
  (void)state;
  sv4_error err = {0};
  make_data("scheme,paragraph,document,saturation,model\nsdg,2,3,2.5,1.5\negd,2,3,2.5,\ntaxonomy,2,3,2.5,\n"
            "smartcity,2,3,2.5,\n",
            NULL);
  assert_null(load(1, &err));
  assert_int_equal(err.rc, SV4_ERR_PARSE);
  assert_non_null(strstr(err.msg, "thresholds.csv:2"));
  make_data("scheme,paragraph,document,saturation,model,model_assist,assist_evidence\nsdg,2,3,2.5,0.5,x,1\n"
            "egd,2,3,2.5,,,\ntaxonomy,2,3,2.5,,,\nsmartcity,2,3,2.5,,,\n",
            NULL);
  assert_null(load(1, &err));
}

static void damaged_cache_is_retrained(void **state) {
  (void)state;
  make_data(THR, NULL);
  sv4_error err = {0};
  sv4_classifier *c = load(0, &err);
  assert_non_null(c);
  char *want = profile(c, TEXTS[0], 0);
  char path[256];
  snprintf(path, sizeof path, "%s/model-%016llx.sv4m", cache, (unsigned long long)c->model->key);
  sv4_classifier_free(c);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  /* a cut file, a file of zeros at the start, a file of another length: trained afresh, the same results */
  for (int k = 0; k < 3; k++) {
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    if (k == 0) {
      assert_int_equal(ftruncate(fileno(f), st.st_size / 2), 0);
    } else if (k == 1) {
      for (int i = 0; i < 512; i++) fputc(0, f);
    } else {
      fseek(f, 0, SEEK_END);
      fputc('x', f);
    }
    fclose(f);
    c = load(0, &err);
    assert_non_null(c);
    assert_null(c->model->map); /* not read from the damaged file */
    char *got = profile(c, TEXTS[0], 0);
    assert_string_equal(got, want);
    free(got);
    sv4_classifier_free(c); /* and the file is written again, intact */
  }
  /* the table itself overwritten (slots naming rows far out of range, keys of every kind): the file is used as it
   * is — a start does not read every page of it — but every probe stays inside the table and ends */
  FILE *f = fopen(path, "r+b");
  assert_non_null(f);
  fseek(f, 4096, SEEK_SET); /* past the header */
  for (long i = 0; i < st.st_size / 2; i++) fputc(i % 3 ? 0x7f : 0xff, f);
  fclose(f);
  c = load(0, &err);
  assert_non_null(c);
  assert_non_null(c->model->map);
  for (size_t i = 0; i < sizeof TEXTS / sizeof *TEXTS; i++) free(profile(c, TEXTS[i], 0));
  sv4_classifier_free(c);
  free(want);
}

static void changed_training_file_is_retrained(void **state) {
  (void)state;
  const char *a = "id,text,sdg,egd\na,\"Heat pumps and photovoltaic panels for the schools of the town and the sports hall.\",7,"
                  "energy\nb,\"The office is closed on Monday and applications are accepted in writing only.\",,\n";
  const char *b = "id,text,sdg,egd\na,\"Heat pumps and photovoltaic panels for the schools of the town and the sports hall.\",7,"
                  "energy\nb,\"The office is closed on Monday and applications are accepted in writing only!\",,\n";
  sv4_error err = {0};
  make_data(THR, a);
  sv4_classifier *c1 = load(0, &err), *c2 = load(0, &err);
  assert_non_null(c1);
  assert_non_null(c2);
  assert_non_null(c2->model->map); /* the second start reads the cache */
  uint64_t h1 = c1->model->hash;
  sv4_classifier_free(c1);
  sv4_classifier_free(c2);
  make_data(THR, b); /* one byte changed, same size: a new file (time, inode) */
  c1 = load(0, &err);
  assert_non_null(c1);
  assert_null(c1->model->map); /* trained afresh */
  assert_true(c1->model->hash != h1);
  sv4_classifier_free(c1);
}

/* The worker's word cache gives the model the same sums as looking every word up: on a first pass (filling it), a
 * second (from it), and from a cache whose slots hold other words (which must be recomputed, not used). */
static void word_cache_gives_the_same_sums(void **state) {
  (void)state;
  make_data(THR, NULL);
  sv4_error err = {0};
  sv4_classifier *c = load(1, &err);
  assert_non_null(c);
  const sv4__model *M = c->model;
  assert_non_null(M);
  sv4__wordcache *wc = sv4__wordcache_new(), *junk = sv4__wordcache_new();
  assert_non_null(wc);
  assert_non_null(junk);
  for (size_t i = 0; i < (size_t)1 << SV4__WORDCACHE_BITS; i++) {
    junk->e[i].key = 0x9e3779b97f4a7c15ull * (i + 1) | 1; /* no word's hash, but not empty */
    junk->e[i].nf = 3;
    for (int q = 0; q < SV4__WORDCACHE_K; q++) junk->e[i].sum[q] = (int16_t)(100 - q);
  }
  const char *more[] = {"12 345 67,8 % a b c", "Sustainable sustainability sustainably unsustainable", "x", "",
                        "photovoltaic photovoltaic photovoltaic photovoltaic"};
  sv4_norm n;
  sv4_norm_init(&n);
  size_t checked = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < sizeof TEXTS / sizeof *TEXTS + sizeof more / sizeof *more; i++) {
      const char *t = i < sizeof TEXTS / sizeof *TEXTS ? TEXTS[i] : more[i - sizeof TEXTS / sizeof *TEXTS];
      assert_int_equal(sv4_normalize(t, strlen(t), 0, &n, &err), SV4_OK);
      float a0[SV4__MODEL_MAXK] = {0}, a1[SV4__MODEL_MAXK] = {0}, a2[SV4__MODEL_MAXK] = {0};
      size_t w0 = 0, w1 = 0, w2 = 0;
      size_t f0 = sv4__model_accumulate(M, NULL, n.text, 0, n.len, n.text + n.len, a0, &w0);
      size_t f1 = sv4__model_accumulate(M, wc, n.text, 0, n.len, n.text + n.len, a1, &w1);
      size_t f2 = sv4__model_accumulate(M, junk, n.text, 0, n.len, n.text + n.len, a2, &w2);
      assert_int_equal(f0, f1);
      assert_int_equal(f0, f2);
      assert_int_equal(w0, w1);
      assert_int_equal(w0, w2);
      assert_memory_equal(a0, a1, sizeof a0);
      assert_memory_equal(a0, a2, sizeof a0);
      checked += f0;
    }
  assert_true(checked > 50);
  /* a paragraph of more words than 16 bits can sum in one go (the cache flushes its partial sums): the word of the
   * texts with the largest weight, 2,000 times */
  char word[64] = "", big[64 * 2000 + 1] = "";
  float best = 0;
  for (size_t i = 0; i < sizeof TEXTS / sizeof *TEXTS; i++) {
    assert_int_equal(sv4_normalize(TEXTS[i], strlen(TEXTS[i]), 0, &n, &err), SV4_OK);
    for (size_t a = 0, b; a < n.len; a = b + 1) {
      for (b = a; b < n.len && n.text[b] != ' '; b++) {
      }
      float acc[SV4__MODEL_MAXK] = {0};
      size_t nw = 0;
      sv4__model_accumulate(M, NULL, n.text, a, b, n.text + n.len, acc, &nw);
      for (uint32_t q = 0; q < M->k; q++)
        if (b - a < sizeof word && fabsf(acc[q] / M->scale[q]) > best) {
          best = fabsf(acc[q] / M->scale[q]);
          memcpy(word, n.text + a, b - a);
          word[b - a] = 0;
        }
    }
  }
  assert_true(best >= 100); /* 2,000 of it overflow 16 bits */
  for (int i = 0; i < 2000; i++) strcat(strcat(big, word), " ");
  assert_int_equal(sv4_normalize(big, strlen(big), 0, &n, &err), SV4_OK);
  float a0[SV4__MODEL_MAXK] = {0}, a1[SV4__MODEL_MAXK] = {0};
  size_t w0 = 0, w1 = 0;
  assert_int_equal(sv4__model_accumulate(M, NULL, n.text, 0, n.len, n.text + n.len, a0, &w0),
                   sv4__model_accumulate(M, wc, n.text, 0, n.len, n.text + n.len, a1, &w1));
  assert_true(w0 > 1000);
  assert_memory_equal(a0, a1, sizeof a0);
  sv4_norm_free(&n);
  free(wc);
  free(junk);
  sv4_classifier_free(c);
}

/* The model's evidence for a text: its words for SDG 7, space-separated, into out; the label's score in *score. */
static void evidence_of_7(sv4_classifier *c, const char *text, char *out, size_t n, double *score) {
  sv4_worker *w = NULL;
  sv4_error err = {0};
  assert_int_equal(sv4_worker_new(c, &w, &err), SV4_OK);
  sv4_classify_opts o = {.lang = SV4_LANG_EN, .evidence = 1};
  sv4_result *r = NULL;
  assert_int_equal(sv4_classify(w, text, strlen(text), &o, &r, &err), SV4_OK);
  out[0] = 0;
  *score = -1;
  for (size_t i = 0; i < r->nlabels; i++) {
    const sv4_label *l = &r->labels[i];
    if (l->scheme != SV4_SCHEME_SDG || strcmp(l->code, "7")) continue;
    *score = l->score;
    for (size_t k = 0; k < l->nevidence; k++)
      snprintf(out + strlen(out), n - strlen(out), "%s%.*s", k ? " " : "", (int)l->evidence[k].match_len,
               l->evidence[k].match);
  }
  sv4_result_free(r);
  sv4_worker_free(w);
}

/* A private train/ of links to the fixture's files, with stopwords/<lang>.txt holding words. */
static void train_with_stopwords(const char *lang, const char *words) {
  char p[256], q[512];
  path_of(p, sizeof p, "train");
  unlink(p);
  rm_tree(p);
  rmdir(p);
  assert_int_equal(mkdir(p, 0755), 0);
  DIR *d = opendir(SV4_TEST_DATA_DIR "/model/train");
  assert_non_null(d);
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    snprintf(q, sizeof q, "%s/%s", p, e->d_name);
    char src[512];
    snprintf(src, sizeof src, "%s/%s", SV4_TEST_DATA_DIR "/model/train", e->d_name);
    assert_int_equal(symlink(src, q), 0);
  }
  closedir(d);
  snprintf(q, sizeof q, "%s/stopwords", p);
  assert_int_equal(mkdir(q, 0755), 0);
  snprintf(q, sizeof q, "%s/stopwords/%s.txt", p, lang);
  write_file(q, words);
}

/* Function words of the text's language are never shown as the model's evidence; the label and its score stay. */
static void stopwords_are_not_evidence(void **state) {
  (void)state;
  const char *text = TEXTS[0];
  make_data(THR, NULL);
  sv4_error err = {0};
  sv4_classifier *c = load(0, &err);
  assert_non_null(c);
  char before[512], after[512], version[512];
  double s0, s1;
  evidence_of_7(c, text, before, sizeof before, &s0);
  assert_true(s0 > 0 && before[0]);
  snprintf(version, sizeof version, "%s", sv4_classifier_version(c));
  sv4_classifier_free(c);
  /* the strongest word, written capitalised with a comment and blanks around it */
  char word[64];
  sscanf(before, "%63s", word);
  char list[160];
  snprintf(list, sizeof list, "# test list\n\n  %c%s  # the strongest\n",
           word[0] >= 'a' && word[0] <= 'z' ? word[0] - 32 : word[0], word + 1);
  train_with_stopwords("en", list);
  c = load(0, &err);
  assert_non_null(c);
  assert_non_null(c->model->map); /* the trained table from the cache, the list read beside it */
  evidence_of_7(c, text, after, sizeof after, &s1);
  assert_true(s1 == s0);
  char padded[600], needle[80];
  snprintf(padded, sizeof padded, " %s ", after);
  snprintf(needle, sizeof needle, " %s ", word);
  assert_null(strstr(padded, needle));
  assert_string_not_equal(sv4_classifier_version(c), version); /* the results name the list */
  sv4_classifier_free(c);
  /* another language's list leaves English alone */
  train_with_stopwords("pl", list);
  c = load(0, &err);
  assert_non_null(c);
  evidence_of_7(c, text, after, sizeof after, &s1);
  assert_string_equal(after, before);
  sv4_classifier_free(c);
  /* two words on a line, or invalid UTF-8: an error naming the file and line */
  train_with_stopwords("en", "the\nof the\n");
  assert_null(load(0, &err));
  assert_non_null(strstr(err.msg, "stopwords/en.txt:2"));
  train_with_stopwords("en", "the\n\xff\xfe\n");
  assert_null(load(0, &err));
  assert_non_null(strstr(err.msg, "stopwords/en.txt:2"));
  char p[256];
  path_of(p, sizeof p, "train");
  rm_tree(p);
  rmdir(p);
  make_data(THR, NULL);
}

/* The results' version names the thresholds: the same rules and model with another threshold give another version. */
static void version_names_the_thresholds(void **state) {
  (void)state;
  sv4_error err = {0};
  make_data(THR, NULL);
  sv4_classifier *a = load(0, &err);
  assert_non_null(a);
  make_data("scheme,paragraph,document,saturation,model,model_assist,assist_evidence\n"
            "sdg,2,3,2.5,0.6,0.3,1\negd,2,3,2.5,0.5,,\ntaxonomy,2,3,2.5,,,\nsmartcity,2,3,2.5,,,\n",
            NULL);
  sv4_classifier *b = load(0, &err);
  assert_non_null(b);
  const char *va = sv4_classifier_version(a), *vb = sv4_classifier_version(b);
  assert_non_null(strstr(va, ";thresholds="));
  assert_string_not_equal(va, vb);
  /* only that part differs */
  assert_memory_equal(va, vb, (size_t)(strstr(va, ";thresholds=") - va));
  assert_string_equal(strstr(va, ";model="), strstr(vb, ";model="));
  sv4_classifier_free(a);
  sv4_classifier_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_model_every_time_and_from_cache), cmocka_unit_test(model_labels_carry_word_evidence),
      cmocka_unit_test(not_context_vetoes_the_model),         cmocka_unit_test(broken_training_data_is_an_error),
      cmocka_unit_test(broken_thresholds_are_an_error),       cmocka_unit_test(damaged_cache_is_retrained),
      cmocka_unit_test(changed_training_file_is_retrained),   cmocka_unit_test(word_cache_gives_the_same_sums),
      cmocka_unit_test(stopwords_are_not_evidence),
      cmocka_unit_test(version_names_the_thresholds),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
