/* match.c — classifying one text: normalise, scan (once, or twice for a text whose diacritic-folded form is needed
 * and cannot be scanned together with the exact one), `with`/`not` windows, scores per paragraph and per document
 * (docs/rules.md "Scoring in detail"), labels with evidence. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/internal.h"
#include "sv4/limits.h"

/* Literals noted by the match callback before their candidates are verified (a few KB: stays in the L1 cache). */
#define SV4__FOUND_BUF 512

typedef struct hit {
  uint32_t pat;
  uint32_t start;      /* normalised offset of the first letter (after the leading space) */
  uint32_t end;        /* normalised offset just after the trailing space */
  uint32_t ws, we;     /* word span [ws, we) */
  int32_t next;        /* next hit of the same pattern */
  uint32_t use0, nuse; /* the pattern's uses in the text's language: uses[pass][use0 ..] of the worker */
  uint8_t pass;        /* 0: exact normalisation, 1: diacritic-folded */
  uint8_t nwords;
} hit;

typedef struct ev {
  double w;
  const char *id; /* the rule's */
  uint32_t rule, pat, code, label;
  uint32_t ns, ne; /* normalised span of the words */
  uint32_t os;     /* where the words start in the original text: the same in both normalisations */
  uint32_t para;
  uint32_t wrank; /* rank of w, 0 = the largest (sv4__use) */
  uint32_t idlen; /* of the rule's id */
  uint8_t pass;
} ev;

struct sv4_worker {
  const sv4_classifier *c;
  hs_scratch_t *scratch;
  sv4_norm norm, fnorm;
  /* the scan in progress */
  const sv4__scanset *set;
  const sv4__use *uses[2]; /* the uses of the sets that found the hits of each pass */
  uint32_t pass;           /* of the candidates verified at the match (the scanned normalisation's) */
  unsigned scratch_for;    /* bit kind * SV4_LANG_COUNT + lang: the scratch fits that database */
  const char *scan_text;   /* the normalisation being scanned */
  size_t scan_len;
  uint32_t found[SV4__FOUND_BUF][2]; /* literals found by the scan, not yet verified: id, end */
  size_t nfound;
  /* hits of exact patterns (pass 0) in hits, of fold patterns (pass 1) in hits1 until the scans are over */
  hit *hits, *hits1;
  size_t nhits, caphits, nhits1, caphits1;
  int overflow;
  int32_t *head;
  uint64_t *pat_bits; /* the patterns with hits (head[p] >= 0) as a bit set: small enough for the L1 cache */
  uint32_t *touched;
  size_t ntouched;
  /* evidence as found (evs), then grouped by label (evlab), with scratch for the sorts (evtmp) */
  ev *evs, *evlab, *evtmp;
  size_t nev, capev;
  uint32_t *lab_n;       /* per label: evidence count, then where its group starts in evlab */
  uint32_t *lab_touched; /* labels with evidence, ascending */
  uint64_t *lab_bits;    /* the same as a bit set, one bit per code */
  uint64_t *veto_bits;   /* labels with a term hit in a context a rule's `not` excludes */
  size_t nlab;
  double *psum; /* per paragraph: one label's evidence there */
  uint32_t *ptouched;
  size_t cappara;
  sv4_span *paras;
  size_t nparas;
  /* the result of the last text as a view (sv4__classify_view): labels, their evidence and targets in the arrays
   * below, matches pointing into the text */
  int two_scans; /* sv4__worker_two_scans: never PAIRED or fold-only */
  sv4_result view;
  sv4_label *vlab;
  uint32_t *vrank;  /* the rank of each label's code (sv4_classifier.code_rank) */
  uint32_t *tgcode; /* one label's targets as code indices */
  sv4_evidence *vev;
  const char **vtg;
  size_t capvev, capvtg;
  sv4__wordcache *wcache; /* the model's, made on first use */
};

sv4_rc sv4_worker_new(const sv4_classifier *c, sv4_worker **out, sv4_error *err) {
  *out = NULL;
  sv4_worker *w = calloc(1, sizeof *w);
  if (!w) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  w->c = c;
  size_t np = c->rules->npats + 1, nc = c->rules->ncodes + 1;
  w->head = malloc(np * sizeof *w->head);
  w->pat_bits = calloc((np + 63) / 64, sizeof *w->pat_bits);
  w->touched = malloc(np * sizeof *w->touched);
  w->lab_n = calloc(nc, sizeof *w->lab_n);
  w->lab_touched = malloc(nc * sizeof *w->lab_touched);
  w->lab_bits = calloc((nc + 63) / 64, sizeof *w->lab_bits);
  w->veto_bits = calloc((nc + 63) / 64, sizeof *w->veto_bits);
  w->vlab = malloc(nc * sizeof *w->vlab);
  w->vrank = malloc(nc * sizeof *w->vrank);
  w->tgcode = malloc(nc * sizeof *w->tgcode);
  if (!w->head || !w->pat_bits || !w->touched || !w->lab_n || !w->lab_touched || !w->lab_bits || !w->veto_bits ||
      !w->vlab || !w->vrank || !w->tgcode) {
    sv4_worker_free(w);
    return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < np; i++) w->head[i] = -1;
  /* scratch for the databases loaded so far; the others (deserialised on first use) grow it when first met */
  for (int k = 0; k < SV4__SCAN_KINDS; k++)
    for (int l = 0; l < SV4_LANG_COUNT; l++) {
      const hs_database_t *db = __atomic_load_n(&c->dbs[k][l], __ATOMIC_ACQUIRE);
      if (!db) continue;
      if (hs_alloc_scratch(db, &w->scratch) != HS_SUCCESS) {
        sv4_worker_free(w);
        return sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: cannot allocate scratch");
      }
      w->scratch_for |= 1u << (k * SV4_LANG_COUNT + l);
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
  free(w->hits1);
  free(w->head);
  free(w->pat_bits);
  free(w->touched);
  free(w->evs);
  free(w->evlab);
  free(w->evtmp);
  free(w->lab_n);
  free(w->lab_touched);
  free(w->lab_bits);
  free(w->veto_bits);
  free(w->psum);
  free(w->ptouched);
  free(w->paras);
  free(w->vlab);
  free(w->vrank);
  free(w->tgcode);
  free(w->vev);
  free(w->vtg);
  free(w->wcache);
  free(w);
}

void sv4__worker_two_scans(sv4_worker *w, int on) { w->two_scans = on; }

void sv4_result_free(sv4_result *r) {
  if (r) sv4_arena_free(r->arena);
}

/* Room for n hits in *a (of capacity *cap). */
static int hits_reserve(hit **a, size_t *cap, size_t n) {
  if (n <= *cap) return 0;
  size_t c = *cap ? *cap : 1024;
  while (c < n) c *= 2;
  hit *h = realloc(*a, c * sizeof *h);
  if (!h) return -1;
  *a = h;
  *cap = c;
  return 0;
}

static int push_hit(sv4_worker *w, uint32_t pass, const sv4__cand *cd, size_t start, size_t end) {
  hit **a = pass ? &w->hits1 : &w->hits;
  size_t *n = pass ? &w->nhits1 : &w->nhits;
  if (w->nhits + w->nhits1 >= SV4_MAX_HITS) return -1;
  if (hits_reserve(a, pass ? &w->caphits1 : &w->caphits, *n + 1)) return -1;
  hit *h = &(*a)[(*n)++];
  h->pat = cd->pat;
  h->start = (uint32_t)start;
  h->end = (uint32_t)end;
  h->use0 = cd->use0;
  h->nuse = cd->nuse;
  h->pass = (uint8_t)pass;
  h->nwords = cd->nwords;
  return 0;
}

/* sv4__tail_verify from element k0 of the tail on (the text at at[k0]), which notes in at[k + 1] where the text
 * stands after each element k it matches, and on a mismatch tells which element in *fail and, in *above, whether
 * that element is a byte above the text's there (or the text ends): candidates after it that differ from it first
 * at that element have a still larger byte there (they are ordered by tail bytes) and fail as well. */
static inline size_t tail_match(const char *text, size_t len, const char *tail, size_t taillen, size_t k0, size_t *at,
                                size_t *fail, int *above) {
  size_t i = at[k0];
  for (size_t k = k0; k < taillen; k++) {
    unsigned char t = (unsigned char)tail[k];
    if (t == SV4__TAIL_WILD) {
      i = sv4__word_end(text, len, i);
      if (i >= len) {
        *fail = k;
        *above = 0;
        return 0;
      }
    } else {
      if (i >= len || (unsigned char)text[i] != t) {
        *fail = k;
        *above = i >= len || (unsigned char)text[i] < t;
        return 0;
      }
      i++;
    }
    at[k + 1] = i;
  }
  return i;
}

/* Whether the exact literal lit[0..ll) stands at text (readable for ll bytes). Its last eight bytes are compared
 * first, as one word: the exact literals of one scanned literal share its bytes and differ in their later words. */
static inline int lit_at(const char *text, const char *lit, size_t ll) {
  if (ll < 8) return !memcmp(text, lit, ll);
  uint64_t a, b;
  memcpy(&a, text + ll - 8, 8);
  memcpy(&b, lit + ll - 8, 8);
  return a == b && !memcmp(text, lit, ll - 8);
}

/* A literal was found ending at `to`: verify each candidate pattern of the scan set there. A candidate with a
 * literal of its own is an exact pattern in a PAIRED scan: its exact literal must stand at the same place in the
 * exact normalisation (twin maps the literal's leading space there), then its tail. Candidates come ordered by
 * exact literal and tail, like the paths of a trie: one that shares with the one before everything up to where that
 * one failed fails as well and is passed over (`failed_at`: 0 when the exact literal failed, else 1 + the failing
 * tail element, or the failing element itself when the siblings there fail too: a candidate is passed over while it
 * shares more than failed_at - 1 elements), and one that shares its first elements with the one before is verified from
 * there on (`at`: where the text stands before each element, `done`: how many the one before matched). Returns -1
 * beyond SV4_MAX_HITS. */
static int verify(sv4_worker *w, uint32_t id, size_t to) {
  const sv4__scanset *S = w->set;
  size_t failed_at = SIZE_MAX, done = 0, start = 0, at[SV4__MAX_TAIL + 1];
  const char *text = w->scan_text;
  size_t len = w->scan_len;
  uint32_t pass = w->pass;
  for (uint32_t k = S->cand0[id], ke = S->cand0[id + 1]; k < ke; k++) {
    const sv4__cand *cd = &S->cand[k];
    if (cd->skip > failed_at) {
      /* after a failure at the exact literal or the first element: on to the first that differs there (those in
       * between share it with this one, too) */
      if (failed_at <= 1) k += (uint32_t)(failed_at ? cd->next1 : cd->next0) - 1;
      continue;
    }
    failed_at = SIZE_MAX;
    size_t k0 = 0;
    if (!cd->skip) {
      /* the first of its exact literal (or the first without) */
      text = w->scan_text;
      len = w->scan_len;
      pass = w->pass;
      start = to - S->litlen[id]; /* the literal's leading space */
      at[0] = to;
      if (cd->litlen) {
        size_t es = w->fnorm.twin[start], ll = cd->litlen;
        text = w->norm.text;
        len = w->norm.len;
        pass = 0;
        if (es + ll > len || !lit_at(text + es, S->own + cd->lit, ll)) {
          failed_at = 0;
          continue;
        }
        start = es;
        at[0] = es + ll;
      }
    } else {
      /* its first skip - 1 elements are the one before's, which matched `done` of them */
      k0 = (size_t)cd->skip - 1 < done ? (size_t)cd->skip - 1 : done;
    }
    size_t end = at[0], fail = 0;
    if (cd->taillen) {
      const char *tail = cd->taillen <= SV4__TAIL_INLINE ? cd->tin : S->own + cd->tail;
      int above = 0;
      end = k0 < cd->taillen ? tail_match(text, len, tail, cd->taillen, k0, at, &fail, &above) : at[cd->taillen];
      if (!end) {
        /* passed over next: those that share this one's element `fail` and, when it is above the text's byte, its
         * later siblings there too (skip is exact below 254 shared elements) */
        failed_at = above && fail < 253 ? fail : 1 + fail;
        done = fail;
        continue;
      }
    }
    done = cd->taillen;
    if (push_hit(w, pass, cd, start + 1, end)) return -1;
  }
  return 0;
}

/* Verifies the literals found so far (w->found), in the order found. Their candidates are scattered over the scan
 * set, which vectorscan's own tables keep pushing out of the caches: they are fetched a few literals ahead. */
static int verify_found(sv4_worker *w) {
  const sv4__scanset *S = w->set;
  const uint32_t(*F)[2] = (const uint32_t(*)[2])w->found;
  size_t n = w->nfound;
  w->nfound = 0;
  for (size_t i = 0; i < n; i++) {
    /* two steps, far enough apart that reading cand0 for the second does not wait */
    if (i + 16 < n) __builtin_prefetch(&S->cand0[F[i + 16][0]]);
    if (i + 8 < n) __builtin_prefetch(&S->cand[S->cand0[F[i + 8][0]]]);
    if (verify(w, F[i][0], F[i][1])) return -1;
  }
  return 0;
}

/* vectorscan's callback: a literal of the scan set ends at `to`. Only noted here (verify_found checks them a
 * buffer at a time); stops the scan beyond SV4_MAX_HITS. */
static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx) {
  (void)from;
  (void)flags;
  sv4_worker *w = ctx;
  if (id >= w->set->n) return 0;
  w->found[w->nfound][0] = id;
  w->found[w->nfound][1] = (uint32_t)to;
  if (++w->nfound == SV4__FOUND_BUF && verify_found(w)) {
    w->overflow = 1;
    return 1;
  }
  return 0;
}

/* Scans n with the database of kind and lang (when there is one). */
static sv4_rc scan(sv4_worker *w, int kind, int lang, const sv4_norm *n, sv4_error *err) {
  int failed = 0;
  const sv4__scanset *S = NULL;
  const hs_database_t *db = sv4__db(w->c, kind, lang, &S, &failed);
  if (failed) return sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: the cached database cannot be loaded");
  if (!db) return SV4_OK;
  unsigned bit = 1u << (kind * SV4_LANG_COUNT + lang);
  if (!(w->scratch_for & bit)) {
    if (hs_alloc_scratch(db, &w->scratch) != HS_SUCCESS)
      return sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: cannot allocate scratch");
    w->scratch_for |= bit;
  }
  w->set = S;
  w->pass = kind == SV4__SCAN_EXACT ? 0 : 1;
  w->uses[w->pass] = S->uses;
  if (kind == SV4__SCAN_PAIRED) w->uses[0] = S->uses;
  w->scan_text = n->text;
  w->scan_len = n->len;
  w->nfound = 0;
  if (hs_scan(db, n->text, (unsigned)n->len, 0, w->scratch, on_match, w) != HS_SUCCESS && !w->overflow)
    return sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: scan failed");
  if (!w->overflow && verify_found(w)) w->overflow = 1;
  if (w->overflow) return sv4_error_set(err, SV4_ERR_LIMIT, "too many matches in one text");
  return SV4_OK;
}

static int cmp_hit(const hit *x, const hit *y) {
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
    uint32_t p = g->pats[k];
    if (!(w->pat_bits[p / 64] >> (p % 64) & 1)) continue; /* no hit in this text (most phrases) */
    for (int32_t j = w->head[p]; j >= 0; j = w->hits[j].next) {
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

/* The orders of one label's evidence. By span: the original start (the same words in either normalisation), the
 * strongest first (then the rule written first) — the first of each span is the one it counts as. By phrase:
 * (pattern, start), for the sums. By strength: the strongest first, then in text order. */
static inline int cmp_ev_span(const ev *x, const ev *y) {
  if (x->os != y->os) return x->os < y->os ? -1 : 1;
  if (x->wrank != y->wrank) return x->wrank < y->wrank ? -1 : 1;
  return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static inline int cmp_ev_phrase(const ev *x, const ev *y) {
  if (x->pat != y->pat) return x->pat < y->pat ? -1 : 1;
  return x->ns < y->ns ? -1 : x->ns > y->ns;
}

static inline int cmp_ev_strength(const ev *x, const ev *y) {
  if (x->wrank != y->wrank) return x->wrank < y->wrank ? -1 : 1;
  if (x->ns != y->ns) return x->ns < y->ns ? -1 : 1;
  return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Stable sorts of one label's evidence: insertion sort on runs of 16 (a label rarely has more; evidence comes in
 * text order, so runs are nearly sorted), then bottom-up merging through tmp. One copy per comparator so it
 * inlines. */
#define EV_SORT(name, cmp)                                                                          \
  static void name(ev *a, size_t n, ev *tmp) {                                                      \
    const size_t RUN = 16;                                                                          \
    for (size_t s0 = 0; s0 < n; s0 += RUN) {                                                        \
      size_t e0 = s0 + RUN < n ? s0 + RUN : n;                                                      \
      for (size_t i = s0 + 1; i < e0; i++) {                                                        \
        if (cmp(&a[i - 1], &a[i]) <= 0) continue;                                                   \
        ev x = a[i];                                                                                \
        size_t j = i;                                                                               \
        while (j > s0 && cmp(&a[j - 1], &x) > 0) {                                                  \
          a[j] = a[j - 1];                                                                          \
          j--;                                                                                      \
        }                                                                                           \
        a[j] = x;                                                                                   \
      }                                                                                             \
    }                                                                                               \
    ev *src = a, *dst = tmp;                                                                        \
    for (size_t width = RUN; width < n; width *= 2) {                                               \
      for (size_t lo = 0; lo < n; lo += 2 * width) {                                                \
        size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n; \
        size_t i = lo, j = mid, k = lo;                                                             \
        while (i < mid && j < hi) dst[k++] = cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];       \
        while (i < mid) dst[k++] = src[i++];                                                        \
        while (j < hi) dst[k++] = src[j++];                                                         \
      }                                                                                             \
      ev *t = src;                                                                                  \
      src = dst;                                                                                    \
      dst = t;                                                                                      \
    }                                                                                               \
    if (src != a) memcpy(a, src, n * sizeof *a);                                                    \
  }
EV_SORT(sort_ev_span, cmp_ev_span)
EV_SORT(sort_ev_phrase, cmp_ev_phrase)
EV_SORT(sort_ev_strength, cmp_ev_strength)

/* The evidence of k repetitions of one phrase: w (1 + 1/2 + 1/4 ...) = w (2 - 2^(1-k)). */
static double repeated(double w, size_t k) {
  /* 2^(1-k) is exact either way; for the common k it is built from its exponent bits (IEEE 754 binary64), with
   * neither a division nor a libm call */
  if (k >= 1 && k <= 1000) {
    uint64_t bits = (uint64_t)(1023 + 1 - (int)k) << 52;
    double x;
    memcpy(&x, &bits, sizeof x);
    return w * (2.0 - x);
  }
  return w * (2.0 - ldexp(1.0, 1 - (int)k));
}

/* The value of the run of digits at *s, as strtol gives it (LONG_MAX when it does not fit); *s moves past it. */
static long digit_run(const char **s) {
  const char *p = *s;
  long v = 0;
  int big = 0;
  for (; *p >= '0' && *p <= '9'; p++) {
    int d = *p - '0';
    if (!big && v > (LONG_MAX - d) / 10) big = 1;
    if (!big) v = v * 10 + d;
  }
  *s = p;
  return big ? LONG_MAX : v;
}

int sv4__cmp_code(const char *a, const char *b) {
  while (*a && *b) {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      long x = digit_run(&a), y = digit_run(&b);
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

/* The order of labels: by scheme, then descending score, then code (by its rank, sv4_classifier.code_rank). */
static int cmp_label(const sv4_label *x, uint32_t rx, const sv4_label *y, uint32_t ry) {
  if (x->scheme != y->scheme) return x->scheme < y->scheme ? -1 : 1;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return rx < ry ? -1 : rx > ry;
}

static sv4_lang identify(sv4_worker *w, const char *text, size_t len) {
  sv4_classifier *c = (sv4_classifier *)w->c; /* the identifier is created lazily; guarded by its lock */
  pthread_mutex_lock(&c->langid_lock);
  if (!c->langid && sv4_langid_new(&c->langid, NULL) != SV4_OK) c->langid = NULL;
  sv4_langid *li = c->langid;
  pthread_mutex_unlock(&c->langid_lock);
  return li ? sv4_langid_detect(li, text, len) : SV4_LANG_UNKNOWN;
}

/* Grows the evidence arrays to hold one more. */
static int ev_reserve(sv4_worker *w) {
  if (w->nev < w->capev) return 0;
  size_t cap = w->capev ? w->capev * 2 : 256;
  ev *e = realloc(w->evs, cap * sizeof *e);
  if (e) w->evs = e;
  ev *l = e ? realloc(w->evlab, cap * sizeof *l) : NULL;
  if (l) w->evlab = l;
  ev *t = l ? realloc(w->evtmp, cap * sizeof *t) : NULL;
  if (t) w->evtmp = t;
  if (!t) return -1;
  w->capev = cap;
  return 0;
}

/* One label's scores from its evidence P[0..n), deduplicated by span (and left in phrase order): the document evidence
 * (*doc), the best paragraph's (*pmax) and the paragraphs with evidence (*npara). Every sum adds the phrases in
 * pattern order, as docs/rules.md describes and as earlier versions did, so the figures are the same to the bit. */
static void label_scores(sv4_worker *w, ev *P, size_t n, double *doc, double *pmax, uint32_t *npara) {
  sort_ev_phrase(P, n, w->evtmp); /* the order after this one (by strength) is total: any order will do here */
  double d = 0;
  size_t np = 0;
  int one_para = w->nparas <= 1;
  for (size_t i = 0; i < n;) {
    /* one phrase: its repetitions in the document, and (starts in text order, so paragraphs too) in each
     * paragraph; after deduplication by span each (phrase, start) is there once */
    size_t k = i;
    double wmax = 0;
    while (k < n && P[k].pat == P[i].pat) {
      if (P[k].w > wmax) wmax = P[k].w;
      k++;
    }
    d += repeated(wmax, k - i);
    if (!one_para) {
      for (size_t j = i; j < k;) {
        size_t q = j;
        double pw = 0;
        while (q < k && P[q].para == P[j].para) {
          if (P[q].w > pw) pw = P[q].w;
          q++;
        }
        uint32_t para = P[j].para;
        if (w->psum[para] == 0) w->ptouched[np++] = para;
        w->psum[para] += repeated(pw, q - j);
        j = q;
      }
    }
    i = k;
  }
  *doc = d;
  if (one_para) {
    /* the one paragraph's sum is the document's, added in the same order */
    *pmax = d;
    *npara = 1;
    return;
  }
  double best = 0;
  for (size_t i = 0; i < np; i++) {
    double s = w->psum[w->ptouched[i]];
    if (s > best) best = s;
    w->psum[w->ptouched[i]] = 0;
  }
  *pmax = best;
  *npara = (uint32_t)np;
}

/* Appends to lab the words of class q's best paragraph (normalised range r) that raised its score most, as
 * evidence of the rule "model:<scheme>:<code>", while the label has room. */
static void model_evidence(sv4_worker *w, const sv4__model *M, sv4_lang lang, uint32_t q, uint32_t para,
                           const uint32_t r[2], double scale, const char *text, size_t len, sv4_label *lab) {
  sv4__model_word top[SV4__MODEL_EVIDENCE];
  size_t n = sv4__model_top_words(M, lang, w->norm.text, r[0], r[1], w->norm.text + w->norm.len, q, scale, top,
                                  SV4__MODEL_EVIDENCE);
  for (size_t i = 0; i < n && lab->nevidence < SV4_MAX_EVIDENCE_PER_LABEL; i++) {
    if (top[i].contribution < top[0].contribution * SV4__MODEL_EVIDENCE_SHARE) break; /* strongest first */
    sv4_evidence *e = &lab->evidence[lab->nevidence++];
    sv4_norm_span(&w->norm, text, len, top[i].start, top[i].end, &e->start, &e->end);
    e->match = text + e->start;
    e->match_len = strnlen(e->match, e->end - e->start);
    e->rule = M->id[q];
    e->rule_len = strlen(M->id[q]);
    e->code = M->name[q];
    e->weight = top[i].contribution;
    e->paragraph = para;
  }
}

/* Classifies text into w->view (see sv4__classify_view). */
static sv4_rc classify_view(sv4_worker *w, const char *text, size_t len, const sv4_classify_opts *opts,
                            sv4_error *err) {
  const sv4_classifier *c = w->c;
  const sv4_rules *R = c->rules;
  sv4_classify_opts o = {0};
  if (opts) o = *opts;
  unsigned mask = o.schemes ? o.schemes : SV4_SCHEMES_ALL;
  sv4_result *res = &w->view;
  sv4_rc rc = SV4_OK;
  memset(res, 0, sizeof *res);
  if (len > SV4_MAX_TEXT_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "text of %zu bytes exceeds the limit of %u bytes", len,
                         (unsigned)SV4_MAX_TEXT_BYTES);
  sv4_lang lang = o.lang;
  int known = lang > SV4_LANG_UNKNOWN && lang < SV4_LANG_COUNT;
  w->nhits = w->nhits1 = 0;
  w->overflow = 0;
  /* A language with fold rules needs the diacritic-folded normalisation too. When both can be made in one pass,
   * one scan of the folded form finds the phrases of both kinds (PAIRED); otherwise the exact form is scanned for
   * exact phrases, the folded one for those of fold rules. A language with fold rules only needs just the folded
   * form (its errors are those of the exact one). */
  int paired = 0, fold_only = 0;
  if (known && (c->fold_langmask & (1u << lang)) && !w->two_scans) {
    if (!sv4__db_exists(c, SV4__SCAN_EXACT, (int)lang)) {
      rc = sv4_normalize(text, len, SV4_NORM_FOLD_DIACRITICS, &w->fnorm, err);
      if (rc) return rc;
      fold_only = 1;
    } else if (sv4__db_exists(c, SV4__SCAN_PAIRED, (int)lang)) {
      rc = sv4_normalize_pair(text, len, &w->norm, &w->fnorm, &paired, err);
      if (rc) return rc;
    }
  }
  if (!paired && !fold_only) {
    rc = sv4_normalize(text, len, 0, &w->norm, err);
    if (rc) return rc;
  }
  if (!known) lang = identify(w, text, len);
  /* Unknown language: scan for every language and keep the one with the most term evidence. */
  uint8_t langbits = lang != SV4_LANG_UNKNOWN ? (uint8_t)(1u << lang) : 0xFF;
  int dl = lang > SV4_LANG_UNKNOWN && lang < SV4_LANG_COUNT ? (int)lang : 0;
  int passes = (c->fold_langmask & langbits) ? 2 : 1;
  if (paired) {
    rc = scan(w, SV4__SCAN_PAIRED, dl, &w->fnorm, err);
  } else if (fold_only) {
    rc = scan(w, SV4__SCAN_FOLD, dl, &w->fnorm, err);
  } else {
    rc = scan(w, SV4__SCAN_EXACT, dl, &w->norm, err);
    if (!rc && passes == 2) {
      rc = sv4_normalize(text, len, SV4_NORM_FOLD_DIACRITICS, &w->fnorm, err);
      if (!rc) rc = scan(w, SV4__SCAN_FOLD, dl, &w->fnorm, err);
    }
  }
  if (rc) return rc;
  /* All hits in one array: those of the exact normalisation, then those of the folded one. */
  size_t seg[3] = {0, w->nhits, w->nhits + w->nhits1};
  if (w->nhits1) {
    if (hits_reserve(&w->hits, &w->caphits, seg[2])) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    memcpy(w->hits + seg[1], w->hits1, w->nhits1 * sizeof *w->hits);
    w->nhits = seg[2];
  }
  hit *H = w->hits;
  size_t nh = w->nhits;
  for (int pass = 0; pass < 2; pass++) {
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
      S[i].ws = (uint32_t)(cnt - S[i].nwords);
    }
  }
  if (lang == SV4_LANG_UNKNOWN && nh) {
    double per[SV4_LANG_COUNT] = {0};
    for (size_t i = 0; i < nh; i++)
      for (uint32_t u = H[i].use0; u < H[i].use0 + H[i].nuse; u++) {
        const sv4__use *U = &w->uses[H[i].pass][u];
        per[U->lang] += U->weight;
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
    if (w->head[p] < 0) {
      w->touched[w->ntouched++] = p;
      w->pat_bits[p / 64] |= 1ull << (p % 64);
    }
    H[i].next = w->head[p];
    w->head[p] = (int32_t)i;
  }
  /* Paragraphs of the original text. */
  free(w->paras);
  w->paras = NULL;
  w->nparas = 0;
  rc = sv4_paragraphs(text, len, &w->paras, &w->nparas);
  if (rc) goto done;
  if (w->nparas > w->cappara) {
    double *ps = realloc(w->psum, w->nparas * sizeof *ps);
    if (ps) w->psum = ps;
    uint32_t *pt = ps ? realloc(w->ptouched, w->nparas * sizeof *pt) : NULL;
    if (pt) w->ptouched = pt;
    if (!pt) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    memset(w->psum + w->cappara, 0, (w->nparas - w->cappara) * sizeof *w->psum);
    w->cappara = w->nparas;
  }
  /* The model: each paragraph's probability per class; a class keeps its best paragraph. */
  const sv4__model *M = c->model;
  int use_model =
      M && !o.rules_only && lang != SV4_LANG_UNKNOWN && (mask & ((1u << SV4_SCHEME_SDG) | (1u << SV4_SCHEME_EGD)));
  double mp[SV4__MODEL_MAXK];
  uint32_t mpara[SV4__MODEL_MAXK], mrange[SV4__MODEL_MAXK][2];
  double mscale[SV4__MODEL_MAXK];
  if (use_model) {
    if (fold_only) { /* the model reads the exact normalisation */
      rc = sv4_normalize(text, len, 0, &w->norm, err);
      if (rc) goto done;
    }
    for (uint32_t q = 0; q < M->k; q++) mp[q] = -1;
    /* without the word cache (out of memory) the words are looked up one by one */
    if (!w->wcache) w->wcache = sv4__wordcache_new();
    const sv4_norm *nm = &w->norm;
    size_t a = 0;
    for (size_t pi = 0; pi < w->nparas; pi++) {
      /* the paragraph's normalised range: up to the first byte that maps at or after the next paragraph */
      size_t lo = a, hi = nm->len;
      if (pi + 1 < w->nparas) {
        size_t to = w->paras[pi + 1].start;
        while (lo < hi) {
          size_t mid = lo + (hi - lo) / 2;
          if (nm->map[mid] < to)
            lo = mid + 1;
          else
            hi = mid;
        }
      } else
        lo = nm->len;
      size_t b = lo;
      float acc[SV4__MODEL_MAXK] = {0};
      size_t nw = 0, nf = sv4__model_accumulate(M, w->wcache, nm->text, a, b, nm->text + nm->len, acc, &nw);
      if (nw >= SV4__MODEL_MIN_WORDS) {
        double sc = 1 / sqrt((double)nf);
        for (uint32_t q = 0; q < M->k; q++) {
          double z = M->bias[q] + acc[q] * sc;
          double p = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
          if (p > mp[q]) {
            mp[q] = p;
            mpara[q] = (uint32_t)pi;
            mrange[q][0] = (uint32_t)a;
            mrange[q][1] = (uint32_t)b;
            mscale[q] = sc;
          }
        }
      }
      a = b;
    }
  }
  /* Evidence: term hits of rules in the text's language and the asked schemes that pass `not` and `with`. */
  w->nev = 0;
  w->nlab = 0;
  for (size_t i = 0; i < nh && lang != SV4_LANG_UNKNOWN; i++) {
    const hit *h = &H[i];
    /* the uses of a hit a few ahead: they are scattered over the use table */
    if (i + 6 < nh) __builtin_prefetch(&w->uses[H[i + 6].pass][H[i + 6].use0]);
    const sv4_norm *nm = h->pass ? &w->fnorm : &w->norm;
    uint32_t para = UINT32_MAX, os = 0;
    for (uint32_t u = h->use0, ue = h->use0 + h->nuse; u < ue; u++) {
      const sv4__use *U = &w->uses[h->pass][u];
      if (U->lang != lang || !(mask & (1u << U->scheme))) continue;
      if (U->groups) {
        const sv4__rule *ru = &R->rules[U->rule];
        int ok = 1;
        for (size_t g = 0; ok && g < ru->nnot; g++)
          if (group_hit(w, &ru->nots[g], h, 0)) {
            ok = 0;
            /* a misleading context the rules name: the model may not give this label either */
            w->veto_bits[U->label / 64] |= 1ull << (U->label % 64);
          }
        for (size_t g = 0; ok && g < ru->nwith; g++)
          if (!group_hit(w, &ru->with[g], h, 1)) ok = 0;
        if (!ok) continue;
      }
      if (ev_reserve(w)) {
        rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
        goto done;
      }
      if (para == UINT32_MAX) {
        /* paragraph by binary search on the original offset */
        size_t off = nm->map[h->start], lo = 0, hi = w->nparas;
        os = (uint32_t)off;
        while (lo + 1 < hi) {
          size_t mid = (lo + hi) / 2;
          if (w->paras[mid].start <= off)
            lo = mid;
          else
            hi = mid;
        }
        para = (uint32_t)lo;
      }
      ev *e = &w->evs[w->nev++];
      e->pass = h->pass;
      e->rule = U->rule;
      e->id = c->rule_id[U->rule];
      e->pat = h->pat;
      e->code = U->code;
      e->label = U->label;
      e->ne = h->end - 1;
      e->ns = h->start;
      e->os = os;
      e->w = U->weight;
      e->wrank = U->wrank;
      e->idlen = U->idlen;
      e->para = para;
      if (!w->lab_n[U->label]++) w->lab_bits[U->label / 64] |= 1ull << (U->label % 64);
    }
  }
  /* Group the evidence by label, labels in ascending order, each group in the order found. */
  for (size_t k = 0; k < (R->ncodes + 1 + 63) / 64; k++)
    for (uint64_t b = w->lab_bits[k]; b; b &= b - 1)
      w->lab_touched[w->nlab++] = (uint32_t)(k * 64 + (size_t)__builtin_ctzll(b));
  {
    uint32_t at = 0;
    for (size_t i = 0; i < w->nlab; i++) {
      uint32_t L = w->lab_touched[i], n = w->lab_n[L];
      w->lab_n[L] = at;
      at += n;
    }
    for (size_t i = 0; i < w->nev; i++) w->evlab[w->lab_n[w->evs[i].label]++] = w->evs[i];
    /* lab_n[L] is now the end of L's group */
  }
  /* Labels, into the view: room for every piece of evidence and target there can be. */
  size_t nvroom = w->nev + 1 + (use_model ? (size_t)M->k * SV4__MODEL_EVIDENCE : 0);
  if (nvroom > w->capvev) {
    sv4_evidence *v = realloc(w->vev, nvroom * sizeof *v);
    if (!v) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    w->vev = v;
    w->capvev = nvroom;
  }
  if (w->nev + w->nlab + 1 > w->capvtg) {
    const char **v = realloc(w->vtg, (w->nev + w->nlab + 1) * sizeof *v);
    if (!v) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    w->vtg = v;
    w->capvtg = w->nev + w->nlab + 1;
  }
  res->lang = lang;
  res->version = c->version;
  res->nparagraphs = w->nparas;
  res->labels = w->vlab;
  /* a match is cut at a NUL, as a C string would be: only a text that holds one needs looking at */
  int has_nul = memchr(text, 0, len) != NULL;
  size_t nvev = 0, nvtg = 0;
  for (size_t li = 0, a = 0; li < w->nlab; li++) {
    uint32_t L = w->lab_touched[li];
    size_t b = w->lab_n[L];
    ev *E = w->evlab + a;
    size_t ne = b - a;
    a = b;
    /* One span is one piece of evidence per label, however many of its phrases match it: keep the strongest. */
    sort_ev_span(E, ne, w->evtmp);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
      if (!k || E[i].os != E[k - 1].os) E[k++] = E[i];
    ne = k;
    double doc, pmax;
    uint32_t npara;
    label_scores(w, E, ne, &doc, &pmax, &npara);
    const sv4__code *code = &R->codes[L];
    const sv4__thresholds *t = &c->thr[code->scheme];
    int mq = use_model ? c->model_class[L] : -1; /* the label as a class of the model */
    int by_model = mq >= 0 && !(w->veto_bits[L / 64] & (1ull << (L % 64))) &&
                   ((t->model > 0 && mp[mq] >= t->model) ||
                    (t->assist > 0 && t->assist_evidence > 0 && mp[mq] >= t->assist && doc >= t->assist_evidence));
    int by_rules = pmax >= t->paragraph || doc >= t->document;
    if (!by_rules && !by_model) continue;
    sv4_label *lab = &res->labels[res->nlabels++];
    memset(lab, 0, sizeof *lab);
    lab->scheme = code->scheme;
    lab->code = code->code;
    lab->score = by_rules ? 1.0 - exp(-doc / t->saturation) : mp[mq];
    lab->paragraphs = npara;
    sort_ev_strength(E, ne, w->evtmp);
    size_t cap = ne < SV4_MAX_EVIDENCE_PER_LABEL ? ne : SV4_MAX_EVIDENCE_PER_LABEL;
    lab->evidence = w->vev + nvev;
    const char **tg = w->vtg + nvtg;
    uint32_t *tgc = w->tgcode; /* the targets' code indices (codes are unique: equal index, equal code) */
    w->vrank[res->nlabels - 1] = c->code_rank[L];
    for (size_t q = 0; q < ne; q++) {
      const sv4__code *cc = &R->codes[E[q].code];
      if (cc->is_target) {
        size_t z = 0;
        while (z < lab->ntargets && tgc[z] != E[q].code) z++;
        if (z == lab->ntargets) tgc[lab->ntargets++] = E[q].code;
      }
      if (lab->nevidence >= cap) continue;
      const sv4_norm *nm = E[q].pass ? &w->fnorm : &w->norm;
      /* one item per rule and original start. Distinct spans of one rule (one pass) start at distinct original
       * characters unless a character expands to several words (½ -> 1 2): never in a paired text. */
      int dup = 0;
      for (size_t z = 0; z < lab->nevidence && !dup && !paired; z++)
        dup = lab->evidence[z].rule == E[q].id && lab->evidence[z].start == nm->map[E[q].ns];
      if (dup) continue;
      sv4_evidence *ev_ = &lab->evidence[lab->nevidence++];
      sv4_norm_span(nm, text, len, E[q].ns, E[q].ne, &ev_->start, &ev_->end);
      ev_->match = text + ev_->start;
      ev_->match_len = has_nul ? strnlen(ev_->match, ev_->end - ev_->start) : ev_->end - ev_->start;
      ev_->rule = E[q].id;
      ev_->rule_len = E[q].idlen;
      ev_->code = cc->code;
      ev_->weight = E[q].w;
      ev_->paragraph = E[q].para;
    }
    if (!by_rules) model_evidence(w, M, lang, (uint32_t)mq, mpara[mq], mrange[mq], mscale[mq], text, len, lab);
    nvev += lab->nevidence;
    nvtg += lab->ntargets;
    for (size_t q = 1; q < lab->ntargets; q++) /* stable insertion sort by code: a label has few targets */
      for (size_t z = q; z > 0 && c->code_rank[tgc[z - 1]] > c->code_rank[tgc[z]]; z--) {
        uint32_t sw = tgc[z];
        tgc[z] = tgc[z - 1];
        tgc[z - 1] = sw;
      }
    for (size_t q = 0; q < lab->ntargets; q++) tg[q] = R->codes[tgc[q]].code;
    lab->targets = tg;
  }
  for (uint32_t q = 0; use_model && q < M->k; q++) {
    uint32_t L = M->code[q];
    const sv4__thresholds *t = &c->thr[M->scheme[q]];
    if (!(mask & (1u << M->scheme[q])) || t->model <= 0 || mp[q] < t->model) continue;
    if ((w->lab_bits[L / 64] | w->veto_bits[L / 64]) & (1ull << (L % 64))) continue; /* decided above, or vetoed */
    sv4_label *lab = &res->labels[res->nlabels++];
    memset(lab, 0, sizeof *lab);
    lab->scheme = (sv4_scheme)M->scheme[q];
    lab->code = R->codes[L].code;
    lab->score = mp[q];
    lab->paragraphs = 1;
    lab->evidence = w->vev + nvev;
    lab->targets = w->vtg + nvtg;
    w->vrank[res->nlabels - 1] = c->code_rank[L];
    model_evidence(w, M, lang, q, mpara[q], mrange[q], mscale[q], text, len, lab);
    if (!lab->nevidence) { /* no word speaks for it: a label without evidence is not given */
      res->nlabels--;
      continue;
    }
    nvev += lab->nevidence;
  }
  for (size_t q = 1; q < res->nlabels; q++) /* stable insertion sort: few labels */
    for (size_t z = q; z > 0 && cmp_label(&res->labels[z - 1], w->vrank[z - 1], &res->labels[z], w->vrank[z]) > 0;
         z--) {
      sv4_label t = res->labels[z];
      res->labels[z] = res->labels[z - 1];
      res->labels[z - 1] = t;
      uint32_t r = w->vrank[z];
      w->vrank[z] = w->vrank[z - 1];
      w->vrank[z - 1] = r;
    }
done:
  for (size_t i = 0; i < w->ntouched; i++) {
    w->head[w->touched[i]] = -1;
    w->pat_bits[w->touched[i] / 64] = 0;
  }
  w->ntouched = 0;
  w->nlab = 0;
  for (size_t k = 0; k < (R->ncodes + 1 + 63) / 64; k++) {
    for (uint64_t b = w->lab_bits[k]; b; b &= b - 1) w->lab_n[k * 64 + (size_t)__builtin_ctzll(b)] = 0;
    w->lab_bits[k] = 0;
    w->veto_bits[k] = 0;
  }
  return rc;
}

sv4_rc sv4__classify_view(sv4_worker *w, const char *text, size_t len, const sv4_classify_opts *opts,
                          const sv4_result **out, sv4_error *err) {
  *out = NULL;
  sv4_rc rc = classify_view(w, text, len, opts, err);
  if (!rc) *out = &w->view;
  return rc;
}

sv4_rc sv4_classify(sv4_worker *w, const char *text, size_t len, const sv4_classify_opts *opts, sv4_result **out,
                    sv4_error *err) {
  *out = NULL;
  sv4_rc rc = classify_view(w, text, len, opts, err);
  if (rc) return rc;
  /* the view, copied into the result's arena, each match as a C string */
  const sv4_result *v = &w->view;
  size_t nev = 0;
  for (size_t i = 0; i < v->nlabels; i++) nev += v->labels[i].nevidence;
  sv4_arena *arena = sv4_arena_new(nev ? 8192 : 1024);
  sv4_result *res = arena ? sv4_arena_alloc(arena, sizeof *res) : NULL;
  if (!res) goto oom;
  *res = *v;
  res->arena = arena;
  res->labels = NULL;
  if (v->nlabels && !(res->labels = sv4_arena_alloc(arena, v->nlabels * sizeof *res->labels))) goto oom;
  for (size_t i = 0; i < v->nlabels; i++) {
    const sv4_label *vl = &v->labels[i];
    sv4_label *l = &res->labels[i];
    *l = *vl;
    l->evidence = sv4_arena_alloc(arena, (vl->nevidence ? vl->nevidence : 1) * sizeof *l->evidence);
    l->targets = sv4_arena_alloc(arena, (vl->ntargets + 1) * sizeof *l->targets);
    if (!l->evidence || !l->targets) goto oom;
    if (vl->ntargets) memcpy(l->targets, vl->targets, vl->ntargets * sizeof *l->targets);
    for (size_t e = 0; e < vl->nevidence; e++) {
      l->evidence[e] = vl->evidence[e];
      l->evidence[e].match =
          sv4_arena_strndup(arena, text + vl->evidence[e].start, vl->evidence[e].end - vl->evidence[e].start);
      if (!l->evidence[e].match) goto oom;
    }
  }
  *out = res;
  return SV4_OK;
oom:
  sv4_arena_free(arena);
  return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
}
