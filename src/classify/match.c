/* match.c — classifying one text: normalise, one vectorscan pass, `with`/`not` windows, scores per paragraph and
 * per document (docs/rules.md "Scoring in detail"), labels with evidence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/internal.h"
#include "sv4/limits.h"

typedef struct hit {
  uint32_t pat;
  uint32_t end;    /* normalised offset just after the trailing space */
  uint32_t ws, we; /* word span [ws, we) */
  int32_t next;    /* next hit of the same pattern */
  uint32_t pass;   /* 0: exact normalisation, 1: diacritic-folded */
} hit;

typedef struct ev {
  uint32_t rule, pat, code, label;
  uint32_t ns, ne; /* normalised span of the words */
  uint32_t para;
  uint32_t pass;
  double w;
} ev;

struct sv4_worker {
  const sv4_classifier *c;
  hs_scratch_t *scratch;
  sv4_norm norm, fnorm;
  uint32_t pass;
  unsigned scratch_for; /* bit pass * SV4_LANG_COUNT + lang: the scratch fits that database */
  const char *scan_text; /* the normalisation being scanned */
  size_t scan_len;
  hit *hits;
  size_t nhits, caphits;
  int32_t *head;
  uint32_t *touched;
  size_t ntouched;
  uint8_t langbits;
  int overflow;
  ev *evs, *evtmp; /* evtmp: scratch of the same capacity for the merge sorts */
  size_t nev, capev;
  double *doc, *pmax;
  uint32_t *npara;
  uint32_t *lab_touched;
  size_t nlab;
  sv4_span *paras;
  size_t nparas;
};

sv4_rc sv4_worker_new(const sv4_classifier *c, sv4_worker **out, sv4_error *err) {
  *out = NULL;
  sv4_worker *w = calloc(1, sizeof *w);
  if (!w) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  w->c = c;
  size_t np = c->rules->npats + 1, nc = c->rules->ncodes + 1;
  w->head = malloc(np * sizeof *w->head);
  w->touched = malloc(np * sizeof *w->touched);
  w->doc = calloc(nc, sizeof *w->doc);
  w->pmax = calloc(nc, sizeof *w->pmax);
  w->npara = calloc(nc, sizeof *w->npara);
  w->lab_touched = malloc(nc * sizeof *w->lab_touched);
  if (!w->head || !w->touched || !w->doc || !w->pmax || !w->npara || !w->lab_touched) {
    sv4_worker_free(w);
    return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < np; i++) w->head[i] = -1;
  /* scratch for the databases loaded so far; the others (deserialised on first use) grow it when first met */
  for (int p = 0; p < 2; p++)
    for (int l = 0; l < SV4_LANG_COUNT; l++) {
      const hs_database_t *db = __atomic_load_n(&c->dbs[p][l], __ATOMIC_ACQUIRE);
      if (!db) continue;
      if (hs_alloc_scratch(db, &w->scratch) != HS_SUCCESS) {
        sv4_worker_free(w);
        return sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: cannot allocate scratch");
      }
      w->scratch_for |= 1u << (p * SV4_LANG_COUNT + l);
    }
  sv4_norm_init(&w->norm);
  sv4_norm_init(&w->fnorm);
  *out = w;
  return SV4_OK;
}

void sv4_worker_free(sv4_worker *w) {
  if (!w) return;
  if (w->scratch) hs_free_scratch(w->scratch);
  sv4_norm_free(&w->norm);
  sv4_norm_free(&w->fnorm);
  free(w->hits);
  free(w->head);
  free(w->touched);
  free(w->evs);
  free(w->evtmp);
  free(w->doc);
  free(w->pmax);
  free(w->npara);
  free(w->lab_touched);
  free(w->paras);
  free(w);
}

void sv4_result_free(sv4_result *r) {
  if (r) sv4_arena_free(r->arena);
}

static int push_hit(sv4_worker *w, uint32_t pat, size_t end) {
  if (w->nhits == w->caphits) {
    size_t cap = w->caphits ? w->caphits * 2 : 1024;
    if (cap > (size_t)1 << 28) return -1;
    hit *h = realloc(w->hits, cap * sizeof *h);
    if (!h) return -1;
    w->hits = h;
    w->caphits = cap;
  }
  hit *h = &w->hits[w->nhits++];
  h->pat = pat;
  h->end = (uint32_t)end;
  h->pass = w->pass;
  return 0;
}

/* A literal prefix was found ending at `to`: verify the tail of every candidate pattern of the text's language(s)
 * and pass at that position. */
static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx) {
  (void)from;
  (void)flags;
  sv4_worker *w = ctx;
  const sv4_classifier *c = w->c;
  const sv4__literals *L = c->lits;
  for (uint32_t k = L->cand0[id], ke = L->cand0[id + 1]; k < ke; k++) {
    uint32_t p = L->cand[k];
    if (!(c->pat_lang[p] & w->langbits) || c->pat_fold[p] != w->pass) continue;
    uint32_t t0 = L->tail0[p], t1 = L->tail0[p + 1];
    size_t end = (size_t)to;
    if (t1 > t0) {
      end = sv4__tail_verify(w->scan_text, w->scan_len, (size_t)to, L->tails + t0, t1 - t0);
      if (!end) continue;
    }
    if (push_hit(w, p, end)) {
      w->overflow = 1;
      return 1;
    }
  }
  return 0;
}

static int cmp_hit(const void *a, const void *b) {
  const hit *x = a, *y = b;
  if (x->end != y->end) return x->end < y->end ? -1 : 1;
  return x->pat < y->pat ? -1 : x->pat > y->pat;
}

/* Number of ' ' bytes in s[0..n): eight at a time. */
static size_t count_spaces(const char *s, size_t n) {
  size_t c = 0, i = 0;
  const uint64_t sp = 0x2020202020202020ull, lo7 = 0x7f7f7f7f7f7f7f7full;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    uint64_t x = v ^ sp;
    uint64_t t = ((x & lo7) + lo7) | x | lo7;
    /* ~t has only the high bit of each space byte set: sum them by multiplication (no popcount instruction
     * needed on baseline x86-64) */
    c += (size_t)((((~t) >> 7) * 0x0101010101010101ull) >> 56);
  }
  for (; i < n; i++) c += s[i] == ' ';
  return c;
}

/* Distance in words between two word spans: 0 or negative when they overlap. */
static long gap(const hit *a, const hit *b) {
  long g1 = (long)b->ws - (long)a->we, g2 = (long)a->ws - (long)b->we;
  return g1 > g2 ? g1 : g2;
}

/* Whether some hit of the group's patterns lies within the window of h (window < 0: must overlap h).
 * For `with`, a phrase inside h itself does not count. */
static int group_hit(const sv4_worker *w, const sv4__group *g, const hit *h, int with) {
  for (size_t k = 0; k < g->n; k++) {
    for (int32_t j = w->head[g->pats[k]]; j >= 0; j = w->hits[j].next) {
      const hit *x = &w->hits[j];
      long d = gap(h, x);
      if (g->window < 0 ? d < 0 : d <= g->window) {
        if (with && x->ws >= h->ws && x->we <= h->we) continue;
        return 1;
      }
    }
  }
  return 0;
}

static inline int cmp_ev_para(const void *a, const void *b) {
  const ev *x = a, *y = b;
  if (x->label != y->label) return x->label < y->label ? -1 : 1;
  if (x->para != y->para) return x->para < y->para ? -1 : 1;
  if (x->pat != y->pat) return x->pat < y->pat ? -1 : 1;
  return x->ns < y->ns ? -1 : x->ns > y->ns;
}

static inline int cmp_ev_doc(const void *a, const void *b) {
  const ev *x = a, *y = b;
  if (x->label != y->label) return x->label < y->label ? -1 : 1;
  if (x->pat != y->pat) return x->pat < y->pat ? -1 : 1;
  return x->ns < y->ns ? -1 : x->ns > y->ns;
}

static inline int cmp_ev_span(const void *a, const void *b) {
  const ev *x = a, *y = b;
  if (x->label != y->label) return x->label < y->label ? -1 : 1;
  if (x->pass != y->pass) return x->pass < y->pass ? -1 : 1;
  if (x->ns != y->ns) return x->ns < y->ns ? -1 : 1;
  if (x->w != y->w) return x->w > y->w ? -1 : 1;
  return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static inline int cmp_ev_strength(const void *a, const void *b) {
  const ev *x = a, *y = b;
  if (x->label != y->label) return x->label < y->label ? -1 : 1;
  if (x->w != y->w) return x->w > y->w ? -1 : 1;
  if (x->ns != y->ns) return x->ns < y->ns ? -1 : 1;
  return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Stable sorts of the evidence (the same order as the C library's merge sort gave): insertion sort on runs of
 * 16, then bottom-up merging through the worker's scratch array. One copy per comparator so it inlines. */
#define EV_SORT(name, cmp)                                                                                           \
  static void name(ev *a, size_t n, ev *tmp) {                                                                      \
    const size_t RUN = 16;                                                                                          \
    for (size_t s0 = 0; s0 < n; s0 += RUN) {                                                                        \
      size_t e0 = s0 + RUN < n ? s0 + RUN : n;                                                                      \
      for (size_t i = s0 + 1; i < e0; i++) {                                                                        \
        if (cmp(&a[i - 1], &a[i]) <= 0) continue;                                                                   \
        ev x = a[i];                                                                                                \
        size_t j = i;                                                                                               \
        while (j > s0 && cmp(&a[j - 1], &x) > 0) {                                                                  \
          a[j] = a[j - 1];                                                                                          \
          j--;                                                                                                      \
        }                                                                                                           \
        a[j] = x;                                                                                                   \
      }                                                                                                             \
    }                                                                                                               \
    ev *src = a, *dst = tmp;                                                                                        \
    for (size_t width = RUN; width < n; width *= 2) {                                                               \
      for (size_t lo = 0; lo < n; lo += 2 * width) {                                                                \
        size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;                 \
        size_t i = lo, j = mid, k = lo;                                                                             \
        while (i < mid && j < hi) dst[k++] = cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];                      \
        while (i < mid) dst[k++] = src[i++];                                                                        \
        while (j < hi) dst[k++] = src[j++];                                                                         \
      }                                                                                                             \
      ev *t = src;                                                                                                  \
      src = dst;                                                                                                    \
      dst = t;                                                                                                      \
    }                                                                                                               \
    if (src != a) memcpy(a, src, n * sizeof *a);                                                                    \
  }
EV_SORT(sort_ev_span, cmp_ev_span)
EV_SORT(sort_ev_para, cmp_ev_para)
EV_SORT(sort_ev_doc, cmp_ev_doc)
EV_SORT(sort_ev_strength, cmp_ev_strength)

/* The evidence of k repetitions of one phrase: w (1 + 1/2 + 1/4 ...). */
static double repeated(double w, size_t k) {
  /* 2^(1-k) is exact either way; the shift avoids a libm call for the common small k */
  if (k >= 1 && k <= 63) return w * (2.0 - 1.0 / (double)(1ull << (k - 1)));
  return w * (2.0 - ldexp(1.0, 1 - (int)k));
}

/* "7.a" after "7.10" after "7.2": numeric parts numerically, letters after digits. */
static int cmp_code(const char *a, const char *b) {
  while (*a && *b) {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
      if (x != y) return x < y ? -1 : 1;
      continue;
    }
    int da = *a >= '0' && *a <= '9', db = *b >= '0' && *b <= '9';
    if (da != db) return da ? -1 : 1;
    if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    a++;
    b++;
  }
  return *a ? 1 : *b ? -1 : 0;
}

static int cmp_label(const void *a, const void *b) {
  const sv4_label *x = a, *y = b;
  if (x->scheme != y->scheme) return x->scheme < y->scheme ? -1 : 1;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return cmp_code(x->code, y->code);
}

static int cmp_str_code(const void *a, const void *b) { return cmp_code(*(const char *const *)a, *(const char *const *)b); }

static sv4_lang identify(sv4_worker *w, const char *text, size_t len) {
  sv4_classifier *c = (sv4_classifier *)w->c; /* the identifier is created lazily; guarded by its lock */
  pthread_mutex_lock(&c->langid_lock);
  if (!c->langid && sv4_langid_new(&c->langid, NULL) != SV4_OK) c->langid = NULL;
  sv4_langid *li = c->langid;
  pthread_mutex_unlock(&c->langid_lock);
  return li ? sv4_langid_detect(li, text, len) : SV4_LANG_UNKNOWN;
}

sv4_rc sv4_classify(sv4_worker *w, const char *text, size_t len, const sv4_classify_opts *opts, sv4_result **out,
                    sv4_error *err) {
  const sv4_classifier *c = w->c;
  const sv4_rules *R = c->rules;
  sv4_classify_opts o = {0};
  if (opts) o = *opts;
  unsigned mask = o.schemes ? o.schemes : SV4_SCHEMES_ALL;
  sv4_result *res = NULL;
  sv4_arena *arena = NULL;
  sv4_rc rc = SV4_OK;
  *out = NULL;
  if (len > SV4_MAX_TEXT_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "text of %zu bytes exceeds the limit of %u bytes", len,
                         (unsigned)SV4_MAX_TEXT_BYTES);
  rc = sv4_normalize(text, len, 0, &w->norm, err);
  if (rc) return rc;
  sv4_lang lang = o.lang;
  if (lang <= SV4_LANG_UNKNOWN || lang >= SV4_LANG_COUNT) lang = identify(w, text, len);
  /* Unknown language: scan for every language and keep the one with the most term evidence. */
  w->langbits = lang != SV4_LANG_UNKNOWN ? (uint8_t)(1u << lang) : 0xFF;
  w->nhits = 0;
  w->overflow = 0;
  /* Pass 0 scans the exact normalisation for exact phrases; pass 1 the diacritic-folded one for `fold` rules,
   * only when the text's language (or any, when unknown) has such rules. */
  size_t seg[3] = {0, 0, 0};
  int passes = (c->fold_langmask & w->langbits) ? 2 : 1;
  for (int pass = 0; pass < passes; pass++) {
    const sv4_norm *pn = pass ? &w->fnorm : &w->norm;
    if (pass) {
      rc = sv4_normalize(text, len, SV4_NORM_FOLD_DIACRITICS, &w->fnorm, err);
      if (rc) return rc;
    }
    w->pass = (uint32_t)pass;
    w->scan_text = pn->text;
    w->scan_len = pn->len;
    int dl = lang > SV4_LANG_UNKNOWN && lang < SV4_LANG_COUNT ? (int)lang : 0, failed = 0;
    const hs_database_t *db = sv4__db(c, pass, dl, &failed);
    if (failed) return sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: the cached database cannot be loaded");
    unsigned bit = 1u << (pass * SV4_LANG_COUNT + dl);
    if (db && !(w->scratch_for & bit)) {
      if (hs_alloc_scratch(db, &w->scratch) != HS_SUCCESS)
        return sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: cannot allocate scratch");
      w->scratch_for |= bit;
    }
    if (db && hs_scan(db, pn->text, (unsigned)pn->len, 0, w->scratch, on_match, w) != HS_SUCCESS && !w->overflow)
      return sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: scan failed");
    if (w->overflow) return sv4_error_set(err, SV4_ERR_LIMIT, "too many matches in one text");
    seg[pass + 1] = w->nhits;
    if (!pass) seg[2] = w->nhits;
  }
  hit *H = w->hits;
  size_t nh = w->nhits;
  for (int pass = 0; pass < passes; pass++) {
    hit *S = H ? H + seg[pass] : NULL; /* no hits at all: nothing to order */
    size_t ns_ = seg[pass + 1] - seg[pass];
    /* Ends of verified tails may come out of order; nearly sorted, so insertion sort by (end, pattern). */
    for (size_t i = 1; i < ns_; i++) {
      if (cmp_hit(&S[i - 1], &S[i]) <= 0) continue;
      hit x = S[i];
      size_t j = i;
      while (j > 0 && cmp_hit(&S[j - 1], &x) > 0) {
        S[j] = S[j - 1];
        j--;
      }
      S[j] = x;
    }
    /* Word spans, by counting spaces up to each hit's trailing space. */
    const sv4_norm *pn = pass ? &w->fnorm : &w->norm;
    size_t pos = 0, cnt = 0;
    for (size_t i = 0; i < ns_; i++) {
      size_t q = S[i].end - 1;
      if (q > pos) {
        cnt += count_spaces(pn->text + pos, q - pos);
        pos = q;
      }
      S[i].we = (uint32_t)cnt;
      S[i].ws = (uint32_t)(cnt - c->pat_nwords[S[i].pat]);
    }
  }
  if (lang == SV4_LANG_UNKNOWN && nh) {
    double per[SV4_LANG_COUNT] = {0};
    for (size_t i = 0; i < nh; i++) {
      const sv4__pattern *p = &R->pats[H[i].pat];
      for (uint32_t u = 0; u < p->nuse; u++) {
        const sv4__rule *ru = &R->rules[R->uses[p->use0 + u]];
        per[ru->lang] += ru->weight;
      }
    }
    int best = 0;
    for (int l = 1; l < SV4_LANG_COUNT; l++)
      if (per[l] > per[best]) best = l;
    lang = (sv4_lang)best;
  }
  /* Hits per pattern, in text order. */
  w->ntouched = 0;
  for (size_t i = nh; i-- > 0;) {
    uint32_t p = H[i].pat;
    if (w->head[p] < 0) w->touched[w->ntouched++] = p;
    H[i].next = w->head[p];
    w->head[p] = (int32_t)i;
  }
  /* Paragraphs of the original text. */
  free(w->paras);
  w->paras = NULL;
  w->nparas = 0;
  rc = sv4_paragraphs(text, len, &w->paras, &w->nparas);
  if (rc) goto done;
  /* Evidence: term hits of rules in the text's language and the asked schemes that pass `not` and `with`. */
  w->nev = 0;
  for (size_t i = 0; i < nh && lang != SV4_LANG_UNKNOWN; i++) {
    const sv4__pattern *p = &R->pats[H[i].pat];
    for (uint32_t u = 0; u < p->nuse; u++) {
      uint32_t ri = R->uses[p->use0 + u];
      const sv4__rule *ru = &R->rules[ri];
      if (ru->lang != lang || !(mask & (1u << ru->scheme))) continue;
      int ok = 1;
      for (size_t g = 0; ok && g < ru->nnot; g++)
        if (group_hit(w, &ru->nots[g], &H[i], 0)) ok = 0;
      for (size_t g = 0; ok && g < ru->nwith; g++)
        if (!group_hit(w, &ru->with[g], &H[i], 1)) ok = 0;
      if (!ok) continue;
      if (w->nev == w->capev) {
        size_t cap = w->capev ? w->capev * 2 : 256;
        ev *e = realloc(w->evs, cap * sizeof *e);
        if (e) w->evs = e;
        ev *t = e ? realloc(w->evtmp, cap * sizeof *t) : NULL;
        if (t) w->evtmp = t;
        if (!e || !t) {
          rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
          goto done;
        }
        w->capev = cap;
      }
      ev *e = &w->evs[w->nev++];
      const sv4_norm *nm = H[i].pass ? &w->fnorm : &w->norm;
      e->pass = H[i].pass;
      e->rule = ri;
      e->pat = H[i].pat;
      e->code = ru->code_id;
      e->label = R->codes[ru->code_id].label;
      e->ne = H[i].end - 1;
      /* walk back over the phrase's words to its first letter */
      size_t s = e->ne, k = c->pat_nwords[H[i].pat];
      while (s > 0) {
        s--;
        if (nm->text[s] == ' ' && --k == 0) break;
      }
      e->ns = (uint32_t)s + 1;
      e->w = ru->weight;
      /* paragraph by binary search on the original offset */
      size_t off = nm->map[e->ns], lo = 0, hi = w->nparas;
      while (lo + 1 < hi) {
        size_t mid = (lo + hi) / 2;
        if (w->paras[mid].start <= off) lo = mid;
        else hi = mid;
      }
      e->para = (uint32_t)lo;
    }
  }
  /* Scores: per paragraph (max over paragraphs) and per document. */
  ev *E = w->evs;
  size_t ne = w->nev;
  w->nlab = 0;
  if (ne > 1) {
    /* One span is one piece of evidence per label, however many of its phrases match it: keep the strongest. */
    sort_ev_span(E, ne, w->evtmp);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
      if (!k || E[i].label != E[k - 1].label || E[i].pass != E[k - 1].pass || E[i].ns != E[k - 1].ns) E[k++] = E[i];
    ne = k;
  }
  if (ne) {
    sort_ev_para(E, ne, w->evtmp);
    for (size_t i = 0; i < ne;) {
      size_t j = i;
      double ps = 0;
      while (j < ne && E[j].label == E[i].label && E[j].para == E[i].para) {
        size_t k = j;
        double wmax = 0;
        while (k < ne && E[k].label == E[j].label && E[k].para == E[j].para && E[k].pat == E[j].pat) {
          if (E[k].w > wmax) wmax = E[k].w;
          k++;
        }
        size_t reps = 0;
        for (size_t q = j; q < k; q++)
          if (q == j || E[q].ns != E[q - 1].ns) reps++;
        ps += repeated(wmax, reps);
        j = k;
      }
      uint32_t L = E[i].label;
      if (!w->npara[L] && w->doc[L] == 0) w->lab_touched[w->nlab++] = L;
      w->npara[L]++;
      if (ps > w->pmax[L]) w->pmax[L] = ps;
      i = j;
    }
    sort_ev_doc(E, ne, w->evtmp);
    for (size_t i = 0; i < ne;) {
      size_t k = i;
      double wmax = 0;
      size_t reps = 0;
      while (k < ne && E[k].label == E[i].label && E[k].pat == E[i].pat) {
        if (E[k].w > wmax) wmax = E[k].w;
        if (k == i || E[k].ns != E[k - 1].ns) reps++;
        k++;
      }
      w->doc[E[i].label] += repeated(wmax, reps);
      i = k;
    }
    sort_ev_strength(E, ne, w->evtmp);
  }
  /* Labels. */
  arena = sv4_arena_new(ne ? 8192 : 1024);
  if (!arena) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  res = sv4_arena_alloc(arena, sizeof *res);
  if (!res) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  memset(res, 0, sizeof *res);
  res->arena = arena;
  res->lang = lang;
  res->version = c->version;
  res->nparagraphs = w->nparas;
  if (w->nlab) {
    res->labels = sv4_arena_alloc(arena, w->nlab * sizeof *res->labels);
    if (!res->labels) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
  }
  for (size_t li = 0; li < w->nlab; li++) {
    uint32_t L = w->lab_touched[li];
    const sv4__code *code = &R->codes[L];
    const sv4__thresholds *t = &c->thr[code->scheme];
    if (!(w->pmax[L] >= t->paragraph || w->doc[L] >= t->document)) continue;
    sv4_label *lab = &res->labels[res->nlabels++];
    memset(lab, 0, sizeof *lab);
    lab->scheme = code->scheme;
    lab->code = code->code;
    lab->score = 1.0 - exp(-w->doc[L] / t->saturation);
    lab->paragraphs = w->npara[L];
    /* this label's evidence is contiguous in E (sorted by label, then strength) */
    size_t a = 0;
    while (a < ne && E[a].label != L) a++;
    size_t b = a;
    while (b < ne && E[b].label == L) b++;
    size_t cap = b - a < SV4_MAX_EVIDENCE_PER_LABEL ? b - a : SV4_MAX_EVIDENCE_PER_LABEL;
    lab->evidence = sv4_arena_alloc(arena, (cap ? cap : 1) * sizeof *lab->evidence);
    const char **tg = sv4_arena_alloc(arena, (b - a + 1) * sizeof *tg);
    if (!lab->evidence || !tg) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    for (size_t q = a; q < b; q++) {
      const sv4__code *cc = &R->codes[E[q].code];
      if (cc->is_target) {
        size_t z = 0;
        while (z < lab->ntargets && strcmp(tg[z], cc->code)) z++;
        if (z == lab->ntargets) tg[lab->ntargets++] = cc->code;
      }
      if (lab->nevidence >= cap) continue;
      const sv4_norm *nm = E[q].pass ? &w->fnorm : &w->norm;
      /* one item per rule and span */
      int dup = 0;
      for (size_t z = 0; z < lab->nevidence && !dup; z++)
        dup = lab->evidence[z].rule == R->rules[E[q].rule].id && lab->evidence[z].start == nm->map[E[q].ns];
      if (dup) continue;
      sv4_evidence *ev_ = &lab->evidence[lab->nevidence++];
      sv4_norm_span(nm, text, len, E[q].ns, E[q].ne, &ev_->start, &ev_->end);
      ev_->match = sv4_arena_strndup(arena, text + ev_->start, ev_->end - ev_->start);
      ev_->rule = R->rules[E[q].rule].id;
      ev_->code = cc->code;
      ev_->weight = E[q].w;
      ev_->paragraph = E[q].para;
      if (!ev_->match) {
        rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
        goto done;
      }
    }
    for (size_t q = 1; q < lab->ntargets; q++) /* stable insertion sort: a label has few targets */
      for (size_t z = q; z > 0 && cmp_str_code(&tg[z - 1], &tg[z]) > 0; z--) {
        const char *sw = tg[z];
        tg[z] = tg[z - 1];
        tg[z - 1] = sw;
      }
    lab->targets = tg;
  }
  for (size_t q = 1; q < res->nlabels; q++) /* stable insertion sort: few labels */
    for (size_t z = q; z > 0 && cmp_label(&res->labels[z - 1], &res->labels[z]) > 0; z--) {
      sv4_label t = res->labels[z];
      res->labels[z] = res->labels[z - 1];
      res->labels[z - 1] = t;
    }
done:
  for (size_t i = 0; i < w->ntouched; i++) w->head[w->touched[i]] = -1;
  w->ntouched = 0;
  for (size_t i = 0; i < w->nlab; i++) {
    uint32_t L = w->lab_touched[i];
    w->doc[L] = w->pmax[L] = 0;
    w->npara[L] = 0;
  }
  w->nlab = 0;
  if (rc) {
    sv4_arena_free(arena);
    return rc;
  }
  *out = res;
  return SV4_OK;
}
