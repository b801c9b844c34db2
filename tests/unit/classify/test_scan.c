/* test_scan.c — the scan sets (src/classify/literal.c) and the paths that use them (src/classify/match.c): every
 * phrase of the shipped rules is found through its set exactly as written (merged literals, folded exact literals,
 * candidate order and jumps), one scan of a paired text gives what two scans give, the result view gives what
 * sv4_classify gives, and the JSON writer escapes as sv4_buf_json_escape. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "classify/internal.h"
#include "sv4/limits.h"

static sv4_classifier *C; /* the shipped rules (data/), compiled */

static int setup(void **state) {
  (void)state;
  sv4_classifier_opts o = {NULL, NULL, 1}; /* compiled: the scan sets as built */
  sv4_error err = {0};
  if (sv4_classifier_load(&o, &C, &err)) {
    fprintf(stderr, "load: %s\n", err.msg);
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  (void)state;
  sv4_classifier_free(C);
  return 0;
}

/* The tail of a candidate, wherever it is kept. */
static const char *cand_tail(const sv4__scanset *S, const sv4__cand *cd) {
  return cd->taillen <= SV4__TAIL_INLINE ? cd->tin : S->own + cd->tail;
}

/* Each set holds every phrase of its kind and language once, and literal + tail is the phrase's own literal + tail
 * (an exact phrase of a PAIRED set: its exact literal, whose fold begins with the scanned literal, then its tail). */
static void every_phrase_is_in_its_set_as_written(void **state) {
  (void)state;
  const sv4_rules *R = C->rules;
  const sv4__literals *L = C->lits;
  uint32_t *pat_lit = malloc(R->npats * sizeof *pat_lit);
  uint32_t *seen = malloc(R->npats * sizeof *seen);
  assert_non_null(pat_lit);
  assert_non_null(seen);
  for (size_t i = 0; i < L->nlit; i++)
    for (uint32_t k = L->cand0[i]; k < L->cand0[i + 1]; k++) pat_lit[L->cand[k]] = (uint32_t)i;
  int paired_sets = 0;
  for (int kind = 0; kind < SV4__SCAN_KINDS; kind++)
    for (int lang = 0; lang < SV4_LANG_COUNT; lang++) {
      const sv4__scanset *S = NULL;
      int failed = 0;
      const hs_database_t *db = sv4__db(C, kind, lang, &S, &failed);
      assert_int_equal(failed, 0);
      if (!db) continue;
      assert_non_null(S);
      paired_sets += kind == SV4__SCAN_PAIRED;
      uint8_t bits = lang ? (uint8_t)(1u << lang) : 0xFF;
      memset(seen, 0, R->npats * sizeof *seen);
      for (size_t id = 0; id < S->n; id++) {
        assert_true(S->cand0[id] < S->cand0[id + 1]); /* a scanned literal has candidates */
        for (uint32_t k = S->cand0[id]; k < S->cand0[id + 1]; k++) {
          const sv4__cand *cd = &S->cand[k];
          uint32_t p = cd->pat, li = pat_lit[p];
          const char *ptail = L->tails + L->tail0[p];
          size_t ptl = L->tail0[p + 1] - L->tail0[p];
          seen[p]++;
          assert_true(R->pats[p].langmask & bits);
          assert_int_equal(cd->nwords, R->pats[p].nwords);
          if (cd->litlen) {
            assert_int_equal(kind, SV4__SCAN_PAIRED);
            assert_int_equal(R->pats[p].fold, 0);
            assert_int_equal(cd->litlen, L->litlen[li]);
            assert_memory_equal(S->own + cd->lit, L->lit[li], cd->litlen);
            char f[4 * SV4_MAX_TERM_BYTES + 16];
            long fl = sv4_fold_normalised(L->lit[li], L->litlen[li], f, sizeof f);
            assert_true(fl >= (long)S->litlen[id]);
            assert_memory_equal(f, S->lit[id], S->litlen[id]);
            assert_int_equal(cd->taillen, ptl);
            assert_memory_equal(cand_tail(S, cd), ptail, ptl);
          } else {
            assert_int_equal(R->pats[p].fold, kind == SV4__SCAN_EXACT ? 0 : 1);
            assert_int_equal(S->litlen[id] + cd->taillen, L->litlen[li] + ptl);
            char whole[4 * SV4_MAX_TERM_BYTES + 16];
            memcpy(whole, S->lit[id], S->litlen[id]);
            memcpy(whole + S->litlen[id], cand_tail(S, cd), cd->taillen);
            assert_memory_equal(whole, L->lit[li], L->litlen[li]);
            assert_memory_equal(whole + L->litlen[li], ptail, ptl);
          }
          /* the uses: the pattern's term uses by rules of the set's language, in rule order */
          uint32_t u = cd->use0;
          for (uint32_t k2 = 0; k2 < R->pats[p].nuse; k2++) {
            uint32_t ri = R->uses[R->pats[p].use0 + k2];
            if (lang && R->rules[ri].lang != (sv4_lang)lang) continue;
            assert_true(u < cd->use0 + cd->nuse);
            const sv4__use *x = &S->uses[u++];
            assert_int_equal(x->rule, ri);
            assert_int_equal(x->lang, R->rules[ri].lang);
            assert_int_equal(x->code, R->rules[ri].code_id);
            assert_true(x->weight == R->rules[ri].weight);
          }
          assert_int_equal(u, cd->use0 + cd->nuse);
          /* order, skips and jumps */
          int first = k == S->cand0[id];
          const sv4__cand *pv = first ? NULL : cd - 1;
          int same_lit = pv && pv->litlen == cd->litlen &&
                         (!cd->litlen || !memcmp(S->own + pv->lit, S->own + cd->lit, cd->litlen));
          if (!same_lit) {
            assert_int_equal(cd->skip, 0);
          } else {
            size_t lcp = 0, n = pv->taillen < cd->taillen ? pv->taillen : cd->taillen;
            while (lcp < n && lcp < 254 && cand_tail(S, pv)[lcp] == cand_tail(S, cd)[lcp]) lcp++;
            assert_int_equal(cd->skip, 1 + lcp);
          }
          uint32_t j0 = k + 1, j1 = k + 1;
          while (j0 < S->cand0[id + 1] && S->cand[j0].skip != 0) j0++;
          while (j1 < S->cand0[id + 1] && S->cand[j1].skip > 1) j1++;
          assert_int_equal(cd->next0, j0 - k);
          assert_int_equal(cd->next1, j1 - k);
        }
      }
      for (size_t p = 0; p < R->npats; p++) {
        int in = (R->pats[p].langmask & bits) && (kind == SV4__SCAN_PAIRED || R->pats[p].fold == kind);
        if (kind == SV4__SCAN_PAIRED) in = in && lang;
        assert_int_equal(seen[p], in ? 1 : 0);
      }
      /* no scanned literal begins with another (the longer ones are merged into the shorter) */
      for (size_t a = 0; a < S->n; a++)
        for (size_t b = 0; b < S->n; b++)
          if (a != b && S->litlen[a] < S->litlen[b]) assert_true(memcmp(S->lit[a], S->lit[b], S->litlen[a]) != 0);
    }
  assert_true(paired_sets >= 1); /* the shipped rules have languages that are scanned once */
  free(pat_lit);
  free(seen);
}

/* Texts of the test data, in several forms. */
typedef struct texts {
  char **t;
  sv4_lang *lang;
  size_t n, cap;
} texts;

static void add_text(texts *T, const char *s, size_t len, sv4_lang lang) {
  if (T->n == T->cap) {
    T->cap = T->cap ? T->cap * 2 : 64;
    T->t = realloc(T->t, T->cap * sizeof *T->t);
    T->lang = realloc(T->lang, T->cap * sizeof *T->lang);
    assert_non_null(T->t);
    assert_non_null(T->lang);
  }
  T->t[T->n] = strndup(s, len);
  T->lang[T->n++] = lang;
}

/* Every text of tests/data/classify/<lang>.jsonl as written, upper-cased (ASCII), with paragraphs, with a combining
 * mark and a ligature (texts that cannot be paired), each in its language and with the language left to find. */
static void load_texts(texts *T) {
  const char *langs[] = {"en", "pl", "cs", "sk", "hu"};
  sv4_buf scratch;
  sv4_buf_init(&scratch, 0);
  for (size_t f = 0; f < 5; f++) {
    char path[512], *data = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/classify/%s.jsonl", SV4_TEST_DATA_DIR, langs[f]);
    assert_int_equal(sv4_read_file(path, 1u << 24, &data, &len, NULL), SV4_OK);
    for (char *line = data, *nl; line < data + len; line = nl + 1) {
      nl = memchr(line, '\n', (size_t)(data + len - line));
      if (!nl) nl = data + len;
      sv4_jsonl_rec rec;
      if (nl == line || sv4_jsonl_parse(line, (size_t)(nl - line), &scratch, &rec, NULL)) continue;
      sv4_lang lang = sv4_lang_from_code(langs[f]);
      char *t = strndup(rec.text, rec.text_len);
      size_t n = rec.text_len;
      for (int variant = 0; variant < 4; variant++) {
        char *v = malloc(n * 2 + 16);
        size_t m = 0;
        int inserted = 0;
        for (size_t i = 0; i < n; i++) {
          if (variant == 2 && t[i] == '.' && i + 1 < n && t[i + 1] == ' ') {
            memcpy(v + m, ".\n\n", 3); /* paragraphs */
            m += 3;
            i++;
            continue;
          }
          v[m++] = variant == 1 && (unsigned char)t[i] < 0x80 ? (char)toupper((unsigned char)t[i]) : t[i];
          if (variant == 3 && i >= n / 2 && !inserted && (unsigned char)t[i] < 0x80) {
            memcpy(v + m, "e\xcc\x81 \xef\xac\x81", 7); /* e + combining acute, ligature fi */
            m += 7;
            inserted = 1;
          }
        }
        add_text(T, v, m, lang);
        add_text(T, v, m, SV4_LANG_UNKNOWN);
        free(v);
      }
      free(t);
    }
    free(data);
  }
  sv4_buf_free(&scratch);
}

static char *json_of(const sv4_result *r) {
  sv4_buf b;
  sv4_buf_init(&b, 0);
  assert_int_equal(sv4_result_to_json(r, "x", 1, 1, &b), SV4_OK);
  char *s = strdup(b.data);
  sv4_buf_free(&b);
  return s;
}

/* One scan of a paired text (or of the folded form only) gives what the two scans give, and the view what
 * sv4_classify gives, for every scheme selection. */
static void one_scan_equals_two_scans(void **state) {
  (void)state;
  texts T = {0};
  load_texts(&T);
  assert_true(T.n > 100);
  sv4_worker *w1 = NULL, *w2 = NULL;
  assert_int_equal(sv4_worker_new(C, &w1, NULL), SV4_OK);
  assert_int_equal(sv4_worker_new(C, &w2, NULL), SV4_OK);
  sv4__worker_two_scans(w2, 1);
  const unsigned masks[] = {0, 1u << SV4_SCHEME_SDG, (1u << SV4_SCHEME_EGD) | (1u << SV4_SCHEME_SMARTCITY)};
  size_t labelled = 0;
  for (size_t i = 0; i < T.n; i++)
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
      sv4_classify_opts o = {.schemes = masks[m], .lang = T.lang[i], .evidence = 1};
      size_t len = strlen(T.t[i]);
      sv4_result *a = NULL, *b = NULL;
      const sv4_result *v = NULL;
      assert_int_equal(sv4_classify(w1, T.t[i], len, &o, &a, NULL), SV4_OK);
      assert_int_equal(sv4_classify(w2, T.t[i], len, &o, &b, NULL), SV4_OK);
      char *ja = json_of(a), *jb = json_of(b);
      assert_int_equal(sv4__classify_view(w1, T.t[i], len, &o, &v, NULL), SV4_OK);
      char *jv = json_of(v);
      assert_string_equal(ja, jb);
      assert_string_equal(ja, jv);
      assert_int_equal(a->nparagraphs, b->nparagraphs);
      labelled += a->nlabels > 0;
      free(ja);
      free(jb);
      free(jv);
      sv4_result_free(a);
      sv4_result_free(b);
    }
  assert_true(labelled > T.n / 2);
  sv4_worker_free(w1);
  sv4_worker_free(w2);
  for (size_t i = 0; i < T.n; i++) free(T.t[i]);
  free(T.t);
  free(T.lang);
}

/* The JSON writer escapes a match or a rule id of any length, with the characters to escape anywhere, exactly as
 * sv4_buf_json_escape, and writes match_len bytes of a match that goes on. */
static void escapes_like_buf_json_escape(void **state) {
  (void)state;
  const char special[] = {'"', '\\', '\n', '\t', '\x01', '\x1f', 'a', '\x7f'};
  char text[64], id[64];
  for (size_t n = 0; n <= 24; n++)
    for (size_t at = 0; at <= n; at++)
      for (size_t k = 0; k < sizeof special; k++) {
        for (size_t i = 0; i < n; i++) text[i] = (char)('a' + i % 26);
        if (at < n) text[at] = special[k];
        memcpy(text + n, "\"tail", 6); /* beyond match_len: not written */
        snprintf(id, sizeof id, "en.sdg%zu.%.*s", n, (int)n, "rule-id-with-some-length");
        sv4_evidence ev = {0};
        ev.start = 3;
        ev.end = 3 + n;
        ev.match = text;
        ev.match_len = n;
        ev.rule = id;
        ev.rule_len = strlen(id);
        ev.code = "7.2";
        sv4_label lab = {0};
        lab.scheme = SV4_SCHEME_SDG;
        lab.code = "7";
        lab.score = 0.5;
        lab.evidence = &ev;
        lab.nevidence = 1;
        sv4_result r = {0};
        r.lang = SV4_LANG_EN;
        r.labels = &lab;
        r.nlabels = 1;
        r.version = "v";
        sv4_buf got, want;
        sv4_buf_init(&got, 0);
        sv4_buf_init(&want, 0);
        assert_int_equal(sv4_result_to_json(&r, NULL, 0, 1, &got), SV4_OK);
        sv4_buf_printf(&want, "\"evidence\":[{\"start\":3,\"end\":%zu,\"match\":\"", 3 + n);
        sv4_buf_json_escape(&want, text, n);
        sv4_buf_puts(&want, "\",\"rule\":\"");
        sv4_buf_json_escape(&want, id, strlen(id));
        sv4_buf_puts(&want, "\"}]");
        if (!strstr(got.data, want.data)) fprintf(stderr, "got  %s\nwant %s\n", got.data, want.data);
        assert_non_null(strstr(got.data, want.data));
        sv4_buf_free(&got);
        sv4_buf_free(&want);
      }
}

/* A start from the cache uses the scan sets in place in the mapped file: they are those that were built, byte for
 * byte, and classify the same; a set with an index out of range is refused. */
static void cached_sets_are_the_built_ones(void **state) {
  (void)state;
  char dir[] = "/tmp/sv4-scan-test-XXXXXX";
  assert_non_null(mkdtemp(dir));
  sv4_classifier_opts o = {NULL, dir, 0};
  sv4_classifier *c1 = NULL, *c2 = NULL;
  assert_int_equal(sv4_classifier_load(&o, &c1, NULL), SV4_OK); /* compiles, writes the cache */
  assert_int_equal(sv4_classifier_load(&o, &c2, NULL), SV4_OK);
  assert_int_equal(c2->from_cache, 1);
  int mapped = 0;
  for (int kind = 0; kind < SV4__SCAN_KINDS; kind++)
    for (int lang = 0; lang < SV4_LANG_COUNT; lang++) {
      const sv4__scanset *a = NULL, *b = NULL;
      int f1 = 0, f2 = 0;
      const hs_database_t *d1 = sv4__db(C, kind, lang, &a, &f1), *d2 = sv4__db(c2, kind, lang, &b, &f2);
      assert_int_equal(f1 | f2, 0);
      assert_int_equal(!d1, !d2);
      if (!d1) continue;
      mapped += b->mapped;
      assert_int_equal(a->n, b->n);
      assert_int_equal(a->nown, b->nown);
      assert_int_equal(a->nuses, b->nuses);
      assert_memory_equal(a->litlen, b->litlen, a->n * sizeof *a->litlen);
      assert_memory_equal(a->cand0, b->cand0, (a->n + 1) * sizeof *a->cand0);
      assert_memory_equal(a->cand, b->cand, a->cand0[a->n] * sizeof *a->cand);
      assert_memory_equal(a->own, b->own, a->nown);
      assert_memory_equal(a->uses, b->uses, a->nuses * sizeof *a->uses);
      assert_int_equal(sv4__scanset_check(c2, b), 0);
      /* out of range: a candidate's pattern, a use's rule */
      sv4__scanset bad = *b;
      sv4__cand *cand = malloc(b->cand0[b->n] * sizeof *cand);
      memcpy(cand, b->cand, b->cand0[b->n] * sizeof *cand);
      bad.cand = cand;
      cand[0].pat = (uint32_t)c2->rules->npats;
      assert_int_not_equal(sv4__scanset_check(c2, &bad), 0);
      cand[0].pat = b->cand[0].pat;
      cand[0].next1 = 0;
      assert_int_not_equal(sv4__scanset_check(c2, &bad), 0);
      free(cand);
      if (b->nuses) {
        sv4__use *uses = malloc(b->nuses * sizeof *uses);
        memcpy(uses, b->uses, b->nuses * sizeof *uses);
        bad.cand = b->cand;
        bad.uses = uses;
        uses[0].rule = (uint32_t)c2->rules->nrules;
        assert_int_not_equal(sv4__scanset_check(c2, &bad), 0);
        free(uses);
      }
    }
  assert_true(mapped > 0);
  /* the same results from both */
  sv4_worker *w1 = NULL, *w2 = NULL;
  assert_int_equal(sv4_worker_new(C, &w1, NULL), SV4_OK);
  assert_int_equal(sv4_worker_new(c2, &w2, NULL), SV4_OK);
  const char *texts[] = {"Odnawialne źródła energii i fotowoltaika na dachach szkół.", "Obnovitelné zdroje energie.",
                         "Megújuló energiaforrások és napelemek.", "Renewable energy and solar panels for schools."};
  for (size_t i = 0; i < 4; i++)
    for (int lang = 0; lang < SV4_LANG_COUNT; lang++) {
      sv4_classify_opts co = {0, (sv4_lang)lang, 1};
      sv4_result *a = NULL, *b = NULL;
      assert_int_equal(sv4_classify(w1, texts[i], strlen(texts[i]), &co, &a, NULL), SV4_OK);
      assert_int_equal(sv4_classify(w2, texts[i], strlen(texts[i]), &co, &b, NULL), SV4_OK);
      char *ja = json_of(a), *jb = json_of(b);
      assert_string_equal(ja, jb);
      free(ja);
      free(jb);
      sv4_result_free(a);
      sv4_result_free(b);
    }
  sv4_worker_free(w1);
  sv4_worker_free(w2);
  sv4_classifier_free(c1);
  sv4_classifier_free(c2);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

/* A classifier shell for sv4__cache_load: what the loader and sv4__db touch. */
static sv4_classifier *shell(void) {
  sv4_classifier *d = calloc(1, sizeof *d);
  assert_non_null(d);
  pthread_mutex_init(&d->db_lock, NULL);
  return d;
}

static void shell_free(sv4_classifier *d) {
  sv4__cache_drop(d);
  pthread_mutex_destroy(&d->db_lock);
  free(d);
}

static void write_bytes(const char *path, const char *p, size_t n) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(p, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
}

/* The cache is used in place (strings and arrays point into the mapping): what is read back is what was written,
 * string for string; a damaged file (any byte flipped, cut anywhere) is refused or, where the damage is in what is
 * checked only when used, refused then (sv4__db) — never read out of bounds (the sanitizer build runs this too). */
static void cache_in_place_and_damaged(void **state) {
  (void)state;
  char dir[] = "/tmp/sv4-cache-test-XXXXXX", path[64], bad[80];
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/c.sv4c", dir);
  snprintf(bad, sizeof bad, "%s/bad.sv4c", dir);
  sv4__cache_save(C, path, 42);
  sv4_classifier *d = shell();
  assert_int_equal(sv4__cache_load(d, path, 43), SV4_ERR_NOTFOUND); /* another key */
  assert_int_equal(sv4__cache_load(d, path, 42), SV4_OK);
  const sv4_rules *a = C->rules, *b = d->rules;
  assert_true(b->borrowed);
  assert_int_equal(a->npats, b->npats);
  assert_int_equal(a->nrules, b->nrules);
  assert_int_equal(a->ncodes, b->ncodes);
  assert_int_equal(a->nuses, b->nuses);
  assert_memory_equal(a->uses, b->uses, a->nuses * sizeof *a->uses);
  for (size_t i = 0; i < a->npats; i++) assert_string_equal(a->pats[i].expr, b->pats[i].expr);
  for (size_t i = 0; i < a->ncodes; i++) assert_string_equal(a->codes[i].code, b->codes[i].code);
  for (size_t i = 0; i < a->nrules; i++) {
    const sv4__rule *x = &a->rules[i], *y = &b->rules[i];
    assert_string_equal(x->id, y->id);
    assert_string_equal(x->code, y->code);
    assert_string_equal(x->file, y->file);
    assert_int_equal(x->nterms, y->nterms);
    for (size_t k = 0; k < x->nterms; k++) assert_string_equal(x->terms[k], y->terms[k]);
    assert_memory_equal(x->term_pats, y->term_pats, x->nterms * sizeof *x->term_pats);
    assert_int_equal(x->nwith, y->nwith);
    assert_int_equal(x->nnot, y->nnot);
    for (size_t g = 0; g < x->nnot; g++) {
      assert_int_equal(x->nots[g].window, y->nots[g].window);
      assert_int_equal(x->nots[g].n, y->nots[g].n);
      assert_memory_equal(x->nots[g].pats, y->nots[g].pats, x->nots[g].n * sizeof *x->nots[g].pats);
    }
    for (size_t g = 0; g < x->nwith; g++)
      assert_memory_equal(x->with[g].pats, y->with[g].pats, x->with[g].n * sizeof *x->with[g].pats);
  }
  const sv4__literals *la = C->lits, *lb = d->lits;
  assert_int_equal(la->nlit, lb->nlit);
  for (size_t i = 0; i < la->nlit; i++) {
    assert_int_equal(la->litlen[i], lb->litlen[i]);
    assert_memory_equal(la->lit[i], lb->lit[i], la->litlen[i] + 1);
  }
  assert_memory_equal(la->cand, lb->cand, a->npats * sizeof *la->cand);
  assert_int_equal(la->ntails, lb->ntails);
  assert_memory_equal(la->tails, lb->tails, la->ntails);
  shell_free(d);
  /* damaged copies: bytes flipped (most in the rule tables at the start, some anywhere), and cut short */
  char *data = NULL;
  size_t len = 0;
  assert_int_equal(sv4_read_file(path, (size_t)1 << 30, &data, &len, NULL), SV4_OK);
  uint64_t x = 0x9e3779b97f4a7c15ull;
  int refused = 0, loaded = 0;
  for (int i = 0; i < 120; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    size_t at = (size_t)(x % (i < 100 ? (len < 600000 ? len : 600000) : len)), n = len;
    char keep = data[at];
    if (i % 6 == 5)
      n = at; /* cut */
    else
      data[at] ^= (char)(1u << (x >> 61));
    write_bytes(bad, data, n);
    data[at] = keep;
    d = shell();
    if (sv4__cache_load(d, bad, 42) == SV4_OK) {
      loaded++;
      for (int kind = 0; kind < SV4__SCAN_KINDS; kind++)
        for (int lang = 0; lang < SV4_LANG_COUNT; lang++) {
          const sv4__scanset *S = NULL;
          int failed = 0;
          (void)sv4__db(d, kind, lang, &S, &failed);
        }
    } else {
      refused++;
    }
    shell_free(d);
  }
  assert_true(refused > 0);
  assert_true(loaded > 0); /* a flipped letter of a rule id, say, is not noticed: nothing depends on it */
  free(data);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_phrase_is_in_its_set_as_written),
      cmocka_unit_test(one_scan_equals_two_scans),
      cmocka_unit_test(escapes_like_buf_json_escape),
      cmocka_unit_test(cached_sets_are_the_built_ones),
      cmocka_unit_test(cache_in_place_and_damaged),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
