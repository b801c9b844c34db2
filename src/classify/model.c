/* model.c — the statistical half of the procedure (docs/rules.md "The model"): one-vs-rest logistic regression over
 * word-anchored character n-grams of the normalised text (each word whole, its first 4 and its first 6 characters:
 * the stems of inflected words), for the SDG goals and the Green Deal areas. It is trained when
 * the classifier loads, deterministically, from the labelled paragraphs shipped in data/train (CSV files) and the goal
 * and target titles of data/taxonomy; the trained table is cached beside the rule cache, keyed by the hash of that
 * data. Its labels carry evidence too: the words that pushed the paragraph's score up most. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify/internal.h"
#include "sv4/csv.h"

#define MODEL_MAGIC "SV4MODEL3"
/* Training: fixed, so the same data gives the same table on every machine. */
#define MODEL_EPOCHS 40
#define MODEL_LR 5.0 /* decays linearly to 0.001 over the epochs */
#define MODEL_L2 1e-5
#define MODEL_MIN_DF 2    /* a feature must occur in two training paragraphs */
#define MODEL_PRUNE 0.05f /* and weigh at least this much for some class to be kept */

/* ---- features ---------------------------------------------------------------------------------------------- */
enum { TAG_WORD = 0x57, TAG_P4 = 0x34, TAG_P6 = 0x36 };

static inline uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h ? h : 1; /* 0 marks an empty slot */
}

/* The bytes s[0..n) (n <= 8) as one little-endian number, the bytes above zero. s may be read up to lim: eight at
 * once where that stays below it. */
static inline uint64_t load_part(const char *s, size_t n, const char *lim) {
  uint64_t v = 0;
  if (lim - s >= 8) {
    memcpy(&v, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return n >= 8 ? v : v & ((1ull << (8 * n)) - 1);
  }
  for (size_t i = 0; i < n; i++) v |= (uint64_t)(unsigned char)s[i] << (8 * i);
  return v;
}

/* Hash of the bytes s[0..n) with a tag (which feature it is): eight bytes per step. */
static inline uint64_t hash_bytes(const char *s, size_t n, const char *lim, uint64_t tag) {
  uint64_t h = (tag << 56) ^ (n * 0x9e3779b97f4a7c15ull);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    h = (h ^ load_part(s + i, 8, lim)) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  if (i < n) {
    h = (h ^ load_part(s + i, n - i, lim)) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  return mix(h);
}

/* The features of the normalised word t[a..b) (no spaces inside; t readable up to lim), into out (room for
 * SV4__MODEL_MAXF): the word, its first 4 and its first 6 characters (when longer). Returns how many; words of one
 * character and numbers have none. */
static size_t word_features(const char *t, size_t a, size_t b, const char *lim, uint64_t *out) {
  const char *s = t + a;
  size_t n = b - a, cps = 0, p4 = n, p6 = n, i = 0;
  int digits = 1;
  /* where the 5th and the 7th characters start, and whether there are that many */
  for (; i < n && cps < 7; i++) {
    unsigned char ch = (unsigned char)s[i];
    if ((ch & 0xC0) != 0x80) {
      if (cps == 4)
        p4 = i;
      else if (cps == 6)
        p6 = i;
      cps++;
      if (ch < '0' || ch > '9') digits = 0;
    }
  }
  if (cps < 2) return 0;
  if (digits) { /* a number has none; a word that only starts with digits has them */
    for (; i < n && digits; i++) digits = s[i] >= '0' && s[i] <= '9';
    if (digits) return 0;
  }
  size_t k = 0;
  out[k++] = hash_bytes(s, n, lim, TAG_WORD);
  if (cps > 4) out[k++] = hash_bytes(s, p4, lim, TAG_P4);
  if (cps > 6) out[k++] = hash_bytes(s, p6, lim, TAG_P6);
  return k;
}

/* The next word of normalised text t[*pos..b) into [*ws, *we); 0 when there is none. */
static inline int next_word(const char *t, size_t b, size_t *pos, size_t *ws, size_t *we) {
  size_t i = *pos;
  while (i < b && t[i] == ' ') i++;
  if (i >= b) return 0;
  *ws = i;
  *we = *pos = sv4__word_end(t, b, i);
  return 1;
}

/* ---- the table ---------------------------------------------------------------------------------------------- */
/* The served table: linear probing over (fingerprint, row) slots, the slot chosen by the key's low bits, the
 * fingerprint its high 32 (never 0, which marks an empty slot); UINT32_MAX when the feature is not in the table. A
 * table read from the cache is not checked slot by slot at load (a start would touch every page of it): the probe is
 * bounded and a row out of range is no match, so a damaged file cannot make it run away or read outside the table. */
static inline uint32_t fingerprint(uint64_t key) { return (uint32_t)(key >> 32) | 1u; }

static inline uint32_t probe(const sv4__mslot *sl, uint32_t nslots, uint32_t nrows, uint64_t key) {
  uint32_t mask = nslots - 1, i = (uint32_t)key & mask, fp = fingerprint(key);
  for (uint32_t n = 0; n < nslots && sl[i].fp; n++, i = (i + 1) & mask)
    if (sl[i].fp == fp) return sl[i].row < nrows ? sl[i].row : UINT32_MAX;
  return UINT32_MAX;
}

/* Training's table: the same, keyed by the whole 64-bit feature. */
typedef struct tslot {
  uint64_t key; /* 0: empty */
  uint32_t row, pad;
} tslot;

static inline uint32_t probe_train(const tslot *sl, uint32_t nslots, uint64_t key) {
  uint32_t mask = nslots - 1, i = (uint32_t)key & mask;
  for (; sl[i].key; i = (i + 1) & mask)
    if (sl[i].key == key) return sl[i].row;
  return UINT32_MAX;
}

/* A row of byte weights, and the same widened: summed as vectors (GCC's and clang's vector extensions, so the
 * compiler picks the instructions the target has; a plain loop over bytes is not vectorised at -O2). A batch adds at
 * most SV4__MODEL_BATCH + SV4__MODEL_MAXF rows of bytes, which 16 bits hold exactly. */
typedef int8_t row8 __attribute__((vector_size(SV4__MODEL_MAXK)));
typedef int16_t row16 __attribute__((vector_size(2 * SV4__MODEL_MAXK)));

/* The rows of a batch of features (UINT32_MAX: not in the table): their slots are fetched together, then their rows
 * are prefetched, so that the cache misses of a batch overlap instead of following each other. */
static void lookup_batch(const sv4__model *m, const uint64_t *f, size_t n, uint32_t *r) {
  const uint32_t mask = m->nslots - 1;
  for (size_t j = 0; j < n; j++) __builtin_prefetch(&m->slots[(uint32_t)f[j] & mask]);
  for (size_t j = 0; j < n; j++) {
    r[j] = probe(m->slots, m->nslots, m->nrows, f[j]);
    if (r[j] != UINT32_MAX) __builtin_prefetch(m->w8 + (size_t)r[j] * SV4__MODEL_MAXK);
  }
}

/* The rows r[0..n) summed (UINT32_MAX skipped); 16 bits hold at most SV4__MODEL_BATCH + SV4__MODEL_MAXF of them. */
static inline void add_rows(const sv4__model *m, const uint32_t *r, size_t n, row16 *out) {
  row16 s = {0};
  for (size_t j = 0; j < n; j++) {
    if (r[j] == UINT32_MAX) continue;
    row8 w;
    memcpy(&w, m->w8 + (size_t)r[j] * SV4__MODEL_MAXK, sizeof w);
    s += __builtin_convertvector(w, row16);
  }
  *out = s;
}

/* Sums the rows of a batch of features into ia. */
static void sum_batch(const sv4__model *m, const uint64_t *f, size_t n, int32_t *ia) {
  uint32_t r[SV4__MODEL_BATCH + SV4__MODEL_MAXF];
  lookup_batch(m, f, n, r);
  row16 s;
  add_rows(m, r, n, &s);
  for (uint32_t q = 0; q < SV4__MODEL_MAXK; q++) ia[q] += s[q];
}

sv4__wordcache *sv4__wordcache_new(void) {
  _Static_assert(sizeof(sv4__wordent) == 64 && sizeof(sv4__wordent) == sizeof(row16), "one cache line per word");
  sv4__wordcache *wc = aligned_alloc(64, sizeof(sv4__wordcache));
  if (wc) memset(wc, 0, sizeof *wc);
  return wc;
}

/* Words summed in 16 bits before they are added into 32: a word's sum is at most SV4__MODEL_MAXF * 128 in size. */
#define WORDS_PER_FLUSH (32767 / (SV4__MODEL_MAXF * 128))

/* A paragraph's sum in progress: whole cache entries added in 16 bits (s, `pending` of them), flushed into 32 (ia).
 * The lanes beyond the sum (the feature count and the key) are added too, which is cheaper than masking them off:
 * unsigned, they wrap harmlessly, and only the sum's lanes, which cannot overflow (WORDS_PER_FLUSH), are read. */
typedef uint16_t urow16 __attribute__((vector_size(2 * SV4__MODEL_MAXK)));
typedef struct wsum {
  urow16 s;
  unsigned pending;
  int32_t ia[SV4__MODEL_MAXK];
} wsum;

static inline void wsum_flush(wsum *S) {
  /* each lane's 16 bits as the signed number they hold */
  for (uint32_t q = 0; q < SV4__WORDCACHE_K; q++) S->ia[q] += (int32_t)(S->s[q] ^ 0x8000u) - 0x8000;
  S->s = (urow16){0};
  S->pending = 0;
}

/* Adds a word's cache entry. */
static inline void wsum_add(wsum *S, const sv4__wordent *e) {
  urow16 r;
  memcpy(&r, e, sizeof r);
  S->s += r;
  if (++S->pending == WORDS_PER_FLUSH) wsum_flush(S);
}

/* Words not in the word cache, waiting to be looked up together (so that their cache misses overlap): each one's
 * cache slot, hash and features f[f0 .. f0 + nf). */
typedef struct wmiss {
  uint64_t h;
  uint32_t slot, f0, nf;
} wmiss;

/* Looks the waiting words up in the table, puts them in the word cache and adds them to S. */
static void add_misses(const sv4__model *m, sv4__wordcache *wc, const uint64_t *f, size_t nb, const wmiss *mw,
                       size_t nm, wsum *S) {
  uint32_t r[SV4__MODEL_BATCH + SV4__MODEL_MAXF];
  lookup_batch(m, f, nb, r);
  for (size_t k = 0; k < nm; k++) {
    row16 s;
    add_rows(m, r + mw[k].f0, mw[k].nf, &s);
    sv4__wordent *e = &wc->e[mw[k].slot];
    for (uint32_t q = 0; q < SV4__WORDCACHE_K; q++) e->sum[q] = s[q];
    e->nf = (int16_t)mw[k].nf;
    e->key = mw[k].h;
    wsum_add(S, e);
  }
}

size_t sv4__model_accumulate(const sv4__model *m, sv4__wordcache *wc, const char *t, size_t a, size_t b,
                             const char *lim, float *acc, size_t *words) {
  size_t n = 0, nb = 0;
  *words = 0;
  uint64_t f[SV4__MODEL_BATCH + SV4__MODEL_MAXF];
  int32_t ia[SV4__MODEL_MAXK] = {0}; /* the rows are bytes: summed exactly, scaled once */
  if (wc && m->k <= SV4__WORDCACHE_K) {
    const uint32_t mask = (1u << SV4__WORDCACHE_BITS) - 1;
    wsum S = {.pending = 0};
    wmiss mw[SV4__MODEL_BATCH];
    size_t nm = 0, pos = a;
    for (;;) {
      /* a group of words: hashed and their cache entries fetched first, then looked at */
      enum { GROUP = 16 };
      uint32_t gs[GROUP], ge[GROUP];
      uint64_t gh[GROUP];
      size_t ng = 0;
      for (size_t ws, we; ng < GROUP && next_word(t, b, &pos, &ws, &we); ng++) {
        gs[ng] = (uint32_t)(ws - a);
        ge[ng] = (uint32_t)(we - a);
        gh[ng] = hash_bytes(t + ws, we - ws, lim, TAG_WORD);
        __builtin_prefetch(&wc->e[(uint32_t)(gh[ng] >> 20) & mask]);
      }
      if (!ng) break;
      for (size_t g = 0; g < ng; g++) {
        uint64_t h = gh[g];
        uint32_t i = (uint32_t)(h >> 20) & mask; /* not the bits that chose the table's slot */
        const sv4__wordent *e = &wc->e[i];
        if (e->key == h) {
          n += (size_t)e->nf;
          *words += e->nf > 0;
          wsum_add(&S, e);
          continue;
        }
        size_t nf = word_features(t, a + gs[g], a + ge[g], lim, f + nb);
        n += nf;
        *words += nf > 0;
        mw[nm++] = (wmiss){h, i, (uint32_t)nb, (uint32_t)nf};
        nb += nf;
        if (nb >= SV4__MODEL_BATCH || nm == SV4__MODEL_BATCH) {
          add_misses(m, wc, f, nb, mw, nm, &S);
          nb = nm = 0;
        }
      }
    }
    add_misses(m, wc, f, nb, mw, nm, &S);
    wsum_flush(&S);
    for (uint32_t q = 0; q < SV4__WORDCACHE_K; q++) ia[q] = S.ia[q];
  } else {
    for (size_t pos = a, ws, we; next_word(t, b, &pos, &ws, &we);) {
      size_t nf = word_features(t, ws, we, lim, f + nb);
      n += nf;
      nb += nf;
      *words += nf > 0;
      if (nb >= SV4__MODEL_BATCH) {
        sum_batch(m, f, nb, ia);
        nb = 0;
      }
    }
    sum_batch(m, f, nb, ia);
  }
  for (uint32_t q = 0; q < m->k; q++) acc[q] += (float)ia[q] * m->scale[q];
  return n;
}

/* Whether the word of hash h is one of lang's function words. */
static int is_stop(const sv4__model *m, sv4_lang lang, uint64_t h) {
  if (lang <= SV4_LANG_UNKNOWN || lang >= SV4_LANG_COUNT) return 0;
  const uint64_t *s = m->stop[lang];
  size_t lo = 0, hi = m->nstop[lang];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s[mid] == h) return 1;
    if (s[mid] < h)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

size_t sv4__model_top_words(const sv4__model *m, sv4_lang lang, const char *t, size_t a, size_t b, const char *lim,
                            uint32_t cls, double scale, sv4__model_word *out, size_t max) {
  size_t n = 0;
  uint64_t f[SV4__MODEL_MAXF];
  for (size_t pos = a, ws, we; next_word(t, b, &pos, &ws, &we);) {
    size_t nf = word_features(t, ws, we, lim, f);
    if (nf && is_stop(m, lang, f[0])) continue; /* f[0]: the whole word */
    double s = 0;
    for (size_t j = 0; j < nf; j++) {
      uint32_t r = probe(m->slots, m->nslots, m->nrows, f[j]);
      if (r != UINT32_MAX) s += m->w8[(size_t)r * SV4__MODEL_MAXK + cls] * (double)m->scale[cls];
    }
    s *= scale;
    if (s > 0) {
      /* keep the max strongest, strongest first; equal ones in text order */
      size_t at = n < max ? n : max;
      while (at > 0 && out[at - 1].contribution < s) at--;
      if (at < max) {
        size_t last = n < max ? n : max - 1;
        memmove(out + at + 1, out + at, (last - at) * sizeof *out);
        out[at] = (sv4__model_word){(uint32_t)ws, (uint32_t)we, s};
        if (n < max) n++;
      }
    }
  }
  return n;
}

/* ---- training ------------------------------------------------------------------------------------------------ */
typedef struct example {
  uint32_t f0, nf; /* its feature occurrences: feats[f0 .. f0 + nf) */
  uint64_t labels; /* bit per class */
  unsigned known;  /* schemes it is labelled for (bit per sv4_scheme) */
} example;

typedef struct trainset {
  const sv4_taxonomy *tax;
  example *ex;
  size_t n, cap;
  uint64_t *feats;
  size_t nfeats, capfeats;
  sv4_norm norm;
} trainset;

static int add_example(trainset *T, const sv4__model *m, const char *text, size_t len, const char *sdg, const char *egd,
                       unsigned known, sv4_error *err) {
  if (sv4_normalize(text, len, 0, &T->norm, err)) return -1;
  if (T->n == T->cap) {
    size_t c = T->cap ? T->cap * 2 : 1024;
    example *e = realloc(T->ex, c * sizeof *e);
    if (!e) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"), -1;
    T->ex = e;
    T->cap = c;
  }
  example *e = &T->ex[T->n];
  memset(e, 0, sizeof *e);
  e->f0 = (uint32_t)T->nfeats;
  e->known = known;
  uint64_t f[SV4__MODEL_MAXF];
  const char *t = T->norm.text;
  for (size_t pos = 0, ws, we; next_word(t, T->norm.len, &pos, &ws, &we);) {
    size_t nf = word_features(t, ws, we, t + T->norm.len, f);
    if (T->nfeats + nf > T->capfeats) {
      size_t c = T->capfeats ? T->capfeats * 2 : 1 << 16;
      uint64_t *q = realloc(T->feats, c * sizeof *q);
      if (!q) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"), -1;
      T->feats = q;
      T->capfeats = c;
    }
    memcpy(T->feats + T->nfeats, f, nf * sizeof *f);
    T->nfeats += nf;
  }
  e->nf = (uint32_t)(T->nfeats - e->f0);
  /* labels: codes separated by spaces; a code that is no class is an error */
  const char *lists[2] = {sdg, egd};
  sv4_scheme sch[2] = {SV4_SCHEME_SDG, SV4_SCHEME_EGD};
  for (int L = 0; L < 2; L++) {
    const char *s = lists[L];
    while (s && *s) {
      while (*s == ' ') s++;
      size_t k = 0;
      while (s[k] && s[k] != ' ') k++;
      if (!k) break;
      char code[16];
      const sv4_concept *cn = NULL;
      if (k < sizeof code) {
        memcpy(code, s, k);
        code[k] = 0;
        cn = sv4_taxonomy_find(T->tax, sch[L], code);
      }
      if (!cn || cn->parent) /* goals and areas only */
        return sv4_error_set(err, SV4_ERR_PARSE, "unknown %s %s \"%.*s\"", sv4_scheme_name(sch[L]),
                             sch[L] == SV4_SCHEME_SDG ? "goal" : "area", (int)k, s),
               -1;
      uint32_t q = 0;
      while (q < m->k && !(m->scheme[q] == sch[L] && !strcmp(m->name[q], code))) q++;
      if (q < m->k) e->labels |= 1ull << q; /* else no rule gives that code: the model has no class for it */
      s += k;
    }
  }
  T->n++;
  return 0;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The training files: the CSV files of data/train itself (not its subdirectories), in name order. */
static sv4_rc list_train(const char *dir, char ***out, size_t *n, sv4_error *err) {
  sv4_rc rc = sv4_list_files(dir, ".csv", 0, SIZE_MAX, out, n, err);
  return rc == SV4_ERR_NOTFOUND ? SV4_OK : rc; /* no training data: no model */
}

/* Parses one training file (columns id,text,sdg,egd). */
static sv4_rc read_train(trainset *T, const sv4__model *m, const char *name, const char *data, size_t len,
                         sv4_error *err) {
  sv4_rc rc = SV4_OK;
  sv4_csv *cv = sv4_csv_open(data, len, ',', name);
  size_t nf = 0;
  int ct = -1, cs = -1, ce = -1;
  if (!cv) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  if (sv4_csv_next(cv, &nf, err) == SV4_OK) {
    ct = sv4_csv_column(cv, "text");
    cs = sv4_csv_column(cv, "sdg");
    ce = sv4_csv_column(cv, "egd");
  }
  if (ct < 0 || cs < 0 || ce < 0)
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:1: expected the columns id,text,sdg,egd", name);
  while (!rc) {
    sv4_rc r2 = sv4_csv_next(cv, &nf, err);
    if (r2 == SV4_ERR_NOTFOUND) break;
    if (r2) {
      rc = r2;
      break;
    }
    sv4_error e2 = {0};
    if (add_example(T, m, sv4_csv_field(cv, (size_t)ct), sv4_csv_field_len(cv, (size_t)ct),
                    sv4_csv_field(cv, (size_t)cs), sv4_csv_field(cv, (size_t)ce),
                    (1u << SV4_SCHEME_SDG) | (1u << SV4_SCHEME_EGD), &e2))
      rc = sv4_error_set(err, e2.rc ? e2.rc : SV4_ERR_PARSE, "%s:%zu: %s", name, sv4_csv_line(cv), e2.msg);
  }
  sv4_csv_close(cv);
  return rc;
}

/* The goal and target titles of the taxonomy (every language it has), each an SDG example of its goal. */
static sv4_rc add_titles(trainset *T, const sv4__model *m, const sv4_taxonomy *tax, sv4_error *err) {
  const sv4_concept *const *cs = NULL;
  size_t n = sv4_taxonomy_list(tax, SV4_SCHEME_SDG, &cs);
  for (size_t i = 0; i < n; i++) {
    const char *goal = cs[i]->parent ? cs[i]->parent : cs[i]->code;
    for (int l = 1; l < SV4_LANG_COUNT; l++) {
      const char *t = cs[i]->title[l];
      if (!t || !*t) continue;
      if (add_example(T, m, t, strlen(t), goal, "", 1u << SV4_SCHEME_SDG, err)) return err->rc;
    }
  }
  return SV4_OK;
}

static double sigmoid(double x) { return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)); }

/* Fits the table to T: vocabulary (features in MODEL_MIN_DF examples, in key order), then SGD over the examples in a
 * fixed pseudo-random order. */
static sv4_rc fit(sv4__model *m, trainset *T, sv4_error *err) {
  sv4_rc rc = SV4_ERR_NOMEM;
  uint64_t *u = NULL;
  tslot *tmp = NULL;
  sv4__mslot *slots = NULL;
  uint32_t *exrow = NULL, *order = NULL, *keep = NULL, *pos = NULL;
  float *w = NULL, *exval = NULL, *scale = NULL, *bias = NULL;
  int8_t *w8 = NULL;
  size_t nu = 0;
  /* distinct features per example, then their document frequency */
  u = malloc((T->nfeats ? T->nfeats : 1) * sizeof *u);
  if (!u) goto out;
  for (size_t i = 0; i < T->n; i++) {
    uint64_t *a = u + nu;
    memcpy(a, T->feats + T->ex[i].f0, T->ex[i].nf * sizeof *a);
    qsort(a, T->ex[i].nf, sizeof *a, cmp_u64);
    size_t k = 0;
    for (size_t j = 0; j < T->ex[i].nf; j++)
      if (!k || a[j] != a[k - 1]) a[k++] = a[j];
    nu += k;
  }
  qsort(u, nu, sizeof *u, cmp_u64);
  size_t nrows = 0;
  for (size_t i = 0; i < nu;) {
    size_t j = i;
    while (j < nu && u[j] == u[i]) j++;
    if (j - i >= MODEL_MIN_DF) u[nrows++] = u[i];
    i = j;
  }
  uint32_t nslots = 1024;
  while (nslots < nrows * 2) nslots *= 2;
  tmp = calloc(nslots, sizeof *tmp);
  w = calloc(nrows * m->k + 1, sizeof *w);
  bias = calloc(SV4__MODEL_MAXK, sizeof *bias);
  scale = calloc(SV4__MODEL_MAXK, sizeof *scale);
  if (!tmp || !w || !bias || !scale) goto out;
  for (size_t r = 0; r < nrows; r++) {
    uint32_t i = (uint32_t)u[r] & (nslots - 1);
    while (tmp[i].key) i = (i + 1) & (nslots - 1);
    tmp[i].key = u[r];
    tmp[i].row = (uint32_t)r;
  }
  /* each example as (row, value) pairs: counts scaled by 1/sqrt(feature occurrences), as at classification */
  exrow = malloc((T->nfeats ? T->nfeats : 1) * sizeof *exrow);
  exval = malloc((T->nfeats ? T->nfeats : 1) * sizeof *exval);
  order = malloc((T->n ? T->n : 1) * sizeof *order);
  pos = calloc(nrows ? nrows : 1, sizeof *pos);
  if (!exrow || !exval || !order || !pos) goto out;
  for (size_t i = 0; i < T->n; i++) {
    example *e = &T->ex[i];
    double sc = e->nf ? 1 / sqrt((double)e->nf) : 0;
    uint32_t k = 0;
    for (uint32_t j = 0; j < e->nf; j++) {
      uint32_t r = probe_train(tmp, nslots, T->feats[e->f0 + j]);
      if (r == UINT32_MAX) continue;
      /* where row r already stands among this example's pairs: pos[r], when that points back at r (an entry left by
       * an earlier example does not) */
      uint32_t z = pos[r];
      if (z >= k || exrow[e->f0 + z] != r) {
        z = pos[r] = k++;
        exrow[e->f0 + z] = r;
        exval[e->f0 + z] = 0;
      }
      exval[e->f0 + z] += (float)sc;
    }
    e->nf = k; /* from here on: its (row, value) pairs */
    order[i] = (uint32_t)i;
  }
  /* SGD, logistic loss per class on the examples labelled for its scheme, L2 on the rows an example touches */
  uint64_t rng = 0x5EED5EED12345678ull;
  size_t step = 0, total = (size_t)MODEL_EPOCHS * T->n;
  for (int ep = 0; ep < MODEL_EPOCHS; ep++) {
    for (size_t i = T->n; i > 1; i--) { /* Fisher-Yates with xorshift64 */
      rng ^= rng << 13;
      rng ^= rng >> 7;
      rng ^= rng << 17;
      size_t j = (size_t)(rng % i);
      uint32_t t = order[i - 1];
      order[i - 1] = order[j];
      order[j] = t;
    }
    for (size_t oi = 0; oi < T->n; oi++, step++) {
      const example *e = &T->ex[order[oi]];
      const float lr = (float)(MODEL_LR * (1.0 - (double)step / (double)(total + 1)) + 1e-3);
      /* every class at once, row by row: the rows are contiguous */
      float z[SV4__MODEL_MAXK];
      for (uint32_t q = 0; q < m->k; q++) z[q] = bias[q];
      for (uint32_t j = 0; j < e->nf; j++) {
        const float *wr = w + (size_t)exrow[e->f0 + j] * m->k, x = exval[e->f0 + j];
        for (uint32_t q = 0; q < m->k; q++) z[q] += wr[q] * x;
      }
      float g[SV4__MODEL_MAXK], on[SV4__MODEL_MAXK]; /* on: 1 for the classes of a scheme e is labelled for */
      for (uint32_t q = 0; q < m->k; q++) {
        on[q] = (e->known & (1u << m->scheme[q])) ? 1.0f : 0.0f;
        g[q] = on[q] * (float)(sigmoid(z[q]) - (double)((e->labels >> q) & 1));
        bias[q] -= lr * g[q];
      }
      for (uint32_t j = 0; j < e->nf; j++) {
        float *wr = w + (size_t)exrow[e->f0 + j] * m->k;
        const float x = exval[e->f0 + j];
        for (uint32_t q = 0; q < m->k; q++) wr[q] -= lr * (g[q] * x + on[q] * (float)MODEL_L2 * wr[q]);
      }
    }
  }
  /* The table served: features whose weights all stay below MODEL_PRUNE are dropped; weights become bytes with a
   * scale per class (the largest weight of the class is 127). */
  keep = malloc((nrows ? nrows : 1) * sizeof *keep);
  if (!keep) goto out;
  size_t nkeep = 0;
  for (size_t r = 0; r < nrows; r++) {
    float mx = 0;
    for (uint32_t q = 0; q < m->k; q++) mx = fmaxf(mx, fabsf(w[r * m->k + q]));
    keep[r] = mx >= MODEL_PRUNE ? (uint32_t)nkeep++ : UINT32_MAX;
    for (uint32_t q = 0; q < m->k; q++) scale[q] = fmaxf(scale[q], fabsf(w[r * m->k + q]));
  }
  for (uint32_t q = 0; q < m->k; q++) scale[q] = scale[q] > 0 ? scale[q] / 127 : 1;
  uint32_t ns = 1024;
  while (ns < nkeep * 2) ns *= 2;
  slots = calloc(ns, sizeof *slots);
  w8 = calloc(nkeep * SV4__MODEL_MAXK + 1, 1);
  if (!slots || !w8) goto out;
  for (uint32_t i = 0; i < nslots; i++) {
    if (!tmp[i].key || keep[tmp[i].row] == UINT32_MAX) continue;
    uint32_t r = tmp[i].row, at = (uint32_t)tmp[i].key & (ns - 1);
    while (slots[at].fp) at = (at + 1) & (ns - 1);
    slots[at].fp = fingerprint(tmp[i].key);
    slots[at].row = keep[r];
    for (uint32_t q = 0; q < m->k; q++)
      w8[(size_t)keep[r] * SV4__MODEL_MAXK + q] = (int8_t)lrintf(w[r * m->k + q] / scale[q]);
  }
  m->nslots = ns;
  m->nrows = (uint32_t)nkeep;
  m->slots = slots;
  m->w8 = w8;
  m->scale = scale;
  m->bias = bias;
  slots = NULL;
  w8 = NULL;
  scale = NULL;
  bias = NULL;
  rc = SV4_OK;
out:
  if (rc) sv4_error_set(err, rc, "out of memory");
  free(u);
  free(tmp);
  free(slots);
  free(w);
  free(w8);
  free(scale);
  free(bias);
  free(exrow);
  free(exval);
  free(order);
  free(keep);
  free(pos);
  return rc;
}

/* ---- the cache file ------------------------------------------------------------------------------------------ */
typedef struct model_hdr {
  char magic[16];
  uint64_t key;     /* the cache key (training files by size, time and inode) */
  uint64_t content; /* the content hash: sv4__model.hash */
  uint32_t k, nslots, nrows, pad;
  uint8_t scheme[SV4__MODEL_MAXK];
  char name[SV4__MODEL_MAXK][16];
} model_hdr;

/* The file: header, slots, byte rows, scales, biases; every array at a multiple of 16 bytes from the start. */
static size_t file_len(const model_hdr *h) {
  return sizeof *h + (size_t)h->nslots * sizeof(sv4__mslot) + (size_t)h->nrows * SV4__MODEL_MAXK +
         2 * SV4__MODEL_MAXK * sizeof(float);
}

static void save(const sv4__model *m, const char *path, uint64_t key) {
  model_hdr h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, MODEL_MAGIC, sizeof MODEL_MAGIC);
  h.key = key;
  h.content = m->hash;
  h.k = m->k;
  h.nslots = m->nslots;
  h.nrows = m->nrows;
  for (uint32_t q = 0; q < m->k; q++) {
    h.scheme[q] = m->scheme[q];
    snprintf(h.name[q], sizeof h.name[q], "%s", m->name[q]);
  }
  size_t pl = strlen(path) + 16;
  char *tmp = malloc(pl);
  if (!tmp) return;
  snprintf(tmp, pl, "%s.%d", path, (int)getpid());
  FILE *f = fopen(tmp, "wb");
  size_t nw = (size_t)m->nrows * SV4__MODEL_MAXK;
  int ok = f && fwrite(&h, sizeof h, 1, f) == 1 && fwrite(m->slots, sizeof *m->slots, m->nslots, f) == m->nslots &&
           fwrite(m->w8, 1, nw, f) == nw && fwrite(m->scale, sizeof(float), SV4__MODEL_MAXK, f) == SV4__MODEL_MAXK &&
           fwrite(m->bias, sizeof(float), SV4__MODEL_MAXK, f) == SV4__MODEL_MAXK;
  if (f && fclose(f)) ok = 0;
  if (ok) ok = rename(tmp, path) == 0;
  if (!ok) unlink(tmp);
  free(tmp);
}

static int load(sv4__model *m, const char *path, uint64_t key) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  void *p = MAP_FAILED;
  if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(model_hdr))
    p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return -1;
  const model_hdr *h = p;
  size_t len = (size_t)st.st_size;
  int ok = !memcmp(h->magic, MODEL_MAGIC, sizeof MODEL_MAGIC) && h->key == key && h->k == m->k && h->nslots >= 1024 &&
           !(h->nslots & (h->nslots - 1)) && h->nrows <= h->nslots && len == file_len(h);
  for (uint32_t q = 0; ok && q < m->k; q++)
    ok = h->scheme[q] == m->scheme[q] && !strncmp(h->name[q], m->name[q], sizeof h->name[q]);
  const sv4__mslot *sl = (const sv4__mslot *)((const char *)p + sizeof *h);
  if (!ok) { /* another model or a damaged file: trained afresh */
    munmap(p, len);
    return -1;
  }
  const char *b = (const char *)(sl + h->nslots);
  m->hash = h->content;
  m->nslots = h->nslots;
  m->nrows = h->nrows;
  m->slots = sl;
  m->w8 = (const int8_t *)b;
  m->scale = (const float *)(b + (size_t)h->nrows * SV4__MODEL_MAXK);
  m->bias = m->scale + SV4__MODEL_MAXK;
  m->map = p;
  m->maplen = len;
  return 0;
}

/* ---- loading ------------------------------------------------------------------------------------------------- */
void sv4__model_free(sv4__model *m) {
  if (!m) return;
  if (m->map)
    munmap(m->map, m->maplen);
  else {
    free((void *)m->slots);
    free((void *)m->w8);
    free((void *)m->scale);
    free((void *)m->bias);
  }
  for (int l = 0; l < SV4_LANG_COUNT; l++) free(m->stop[l]);
  free(m);
}

/* Reads the function words of each language (<data_dir>/train/stopwords/<lang>.txt: one word per line, '#' starts
 * a comment; a missing file is an empty list) into m->stop, and mixes their bytes into *h. */
static sv4_rc load_stopwords(sv4__model *m, const char *data_dir, uint64_t *h, sv4_error *err) {
  sv4_rc rc = SV4_OK;
  sv4_norm n;
  sv4_norm_init(&n);
  for (int l = SV4_LANG_UNKNOWN + 1; !rc && l < SV4_LANG_COUNT; l++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/train/stopwords/%s.txt", data_dir, sv4_lang_code((sv4_lang)l));
    if (access(path, F_OK) != 0) continue;
    char *data = NULL;
    size_t len = 0;
    rc = sv4_read_file(path, SV4_MAX_TRAIN_BYTES, &data, &len, err);
    if (rc) break;
    *h = sv4_hash64(path + strlen(data_dir), strlen(path + strlen(data_dir)) + 1, *h);
    *h = sv4_hash64(data, len, *h);
    size_t cap = 64, cnt = 0, line = 0;
    uint64_t *set = malloc(cap * sizeof *set);
    if (!set) rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    for (char *p = data, *end = data + len; !rc && p < end;) {
      char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
      line++;
      char *hash = memchr(p, '#', (size_t)(e - p));
      char *we = hash ? hash : e;
      while (p < we && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
      while (we > p && (we[-1] == ' ' || we[-1] == '\t' || we[-1] == '\r')) we--;
      if (we > p) {
        sv4_error why = {0};
        rc = sv4_normalize(p, (size_t)(we - p), 0, &n, &why);
        if (rc) {
          rc = sv4_error_set(err, rc, "%s:%zu: %s", path, line, why.msg);
          break;
        }
        size_t ws = 0, we_ = n.len; /* the normalised form has a space at each end */
        while (ws < we_ && n.text[ws] == ' ') ws++;
        while (we_ > ws && n.text[we_ - 1] == ' ') we_--;
        if (we_ == ws || memchr(n.text + ws, ' ', we_ - ws)) {
          rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: one word per line", path, line);
          break;
        }
        uint64_t f[SV4__MODEL_MAXF];
        if (word_features(n.text, ws, we_, n.text + n.len, f)) { /* a word the model has features for */
          if (cnt == cap) {
            uint64_t *g = realloc(set, 2 * cap * sizeof *g);
            if (!g) {
              rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
              break;
            }
            set = g;
            cap *= 2;
          }
          set[cnt++] = f[0];
        }
      }
      p = nl ? nl + 1 : end;
    }
    free(data);
    if (rc) {
      free(set);
      break;
    }
    qsort(set, cnt, sizeof *set, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++)
      if (!k || set[k - 1] != set[i]) set[k++] = set[i];
    m->stop[l] = set;
    m->nstop[l] = k;
  }
  sv4_norm_free(&n);
  return rc;
}

sv4_rc sv4__model_load(const sv4_classifier *c, const char *data_dir, const char *cache_dir, sv4__model **out,
                       sv4_error *err) {
  *out = NULL;
  sv4__model *m = calloc(1, sizeof *m);
  if (!m) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  /* the classes: every SDG goal and Green Deal area of the taxonomy that the rules know as a label */
  const sv4_scheme sch[2] = {SV4_SCHEME_SDG, SV4_SCHEME_EGD};
  for (int s = 0; s < 2; s++) {
    const sv4_concept *const *cs = NULL;
    size_t n = sv4_taxonomy_list(c->tax, sch[s], &cs);
    for (size_t i = 0; i < n && m->k < SV4__MODEL_MAXK; i++) {
      if (cs[i]->parent) continue;
      const sv4_rules *R = c->rules;
      uint32_t L = UINT32_MAX;
      for (size_t j = 0; j < R->ncodes && L == UINT32_MAX; j++)
        if (R->codes[j].scheme == sch[s] && !R->codes[j].is_target && !strcmp(R->codes[j].code, cs[i]->code))
          L = (uint32_t)j;
      if (L == UINT32_MAX || strlen(cs[i]->code) >= 16) continue;
      m->scheme[m->k] = (uint8_t)sch[s];
      m->name[m->k] = cs[i]->code;
      snprintf(m->id[m->k], sizeof m->id[m->k], "model:%s:%s", sv4_scheme_name(sch[s]), cs[i]->code);
      m->code[m->k++] = L;
    }
  }
  /* Two hashes. The content hash (the model's version, its classes, every training file's name and bytes, every
   * title it learns from) names the model in the results' version. The cache key replaces the files' bytes by their
   * size, modification time and inode, as git's index does: a cached start then reads no training file. */
  trainset T = {0};
  T.tax = c->tax;
  sv4_norm_init(&T.norm);
  char **files = NULL, **data = NULL, *dir = NULL, *path = NULL;
  size_t nfiles = 0, *lens = NULL;
  int trained = 0; /* the model has a table (from the cache or trained here) */
  uint64_t h = sv4_hash64(SV4__MODEL_VERSION, strlen(SV4__MODEL_VERSION), 0);
  for (uint32_t q = 0; q < m->k; q++) h = sv4_hash64(m->name[q], strlen(m->name[q]) + 1, h);
  {
    const sv4_concept *const *cs = NULL;
    size_t n = sv4_taxonomy_list(c->tax, SV4_SCHEME_SDG, &cs);
    for (size_t i = 0; i < n; i++)
      for (int l = 1; l < SV4_LANG_COUNT; l++)
        if (cs[i]->title[l]) h = sv4_hash64(cs[i]->title[l], strlen(cs[i]->title[l]) + 1, h);
  }
  uint64_t key = h;
  size_t pl = strlen(data_dir) + 16;
  dir = malloc(pl);
  sv4_rc rc = dir ? SV4_OK : sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  if (!rc) {
    snprintf(dir, pl, "%s/train", data_dir);
    rc = list_train(dir, &files, &nfiles, err);
  }
  for (size_t i = 0; !rc && i < nfiles; i++) {
    struct stat st;
    if (stat(files[i], &st) != 0) {
      rc = sv4_error_set(err, SV4_ERR_IO, "%s: cannot read", files[i]);
      break;
    }
    const char *base = strrchr(files[i], '/') + 1;
    uint64_t meta[5] = {(uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec,
                        (uint64_t)st.st_ino, (uint64_t)st.st_dev};
    key = sv4_hash64(base, strlen(base) + 1, key);
    key = sv4_hash64(meta, sizeof meta, key);
  }
  m->key = key;
  if (!rc && nfiles) {
    if (cache_dir) {
      size_t cl = strlen(cache_dir) + 48;
      path = malloc(cl);
      if (path) snprintf(path, cl, "%s/model-%016llx.sv4m", cache_dir, (unsigned long long)key);
    }
    trained = 1;
    if (!path || load(m, path, key) != 0) {
      data = calloc(nfiles, sizeof *data);
      lens = calloc(nfiles, sizeof *lens);
      if (!data || !lens) rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      for (size_t i = 0; !rc && i < nfiles; i++) {
        rc = sv4_read_file(files[i], SV4_MAX_TRAIN_BYTES, &data[i], &lens[i], err);
        if (rc) break;
        const char *base = strrchr(files[i], '/') + 1;
        h = sv4_hash64(base, strlen(base) + 1, h);
        h = sv4_hash64(data[i], lens[i], h);
      }
      m->hash = h;
      for (size_t i = 0; !rc && i < nfiles; i++) rc = read_train(&T, m, files[i], data[i], lens[i], err);
      trained = T.n > 0; /* files without a paragraph: no model */
      if (!rc && trained) rc = add_titles(&T, m, c->tax, err);
      if (!rc && trained) rc = fit(m, &T, err);
      if (!rc && trained && path) save(m, path, key);
    }
  }
  for (size_t i = 0; i < nfiles; i++) {
    free(files[i]);
    if (data) free(data[i]);
  }
  free(files);
  free(data);
  free(lens);
  free(path);
  free(dir);
  sv4_norm_free(&T.norm);
  free(T.ex);
  free(T.feats);
  /* the function words change what the results show, so they are part of the name too */
  if (!rc && trained) rc = load_stopwords(m, data_dir, &m->hash, err);
  if (rc || !trained) { /* no training data: the rules alone */
    sv4__model_free(m);
    return rc;
  }
  *out = m;
  return SV4_OK;
}
