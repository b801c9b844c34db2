/* search.c — the in-memory facet index and the search over it (see sv4/search.h).
 * Each record is one fixed-size row of small integers and bitsets, and every facet value also has a bitset over
 * the rows, kept up to date on write. A query ANDs the selected values' bitsets into one match set and counts
 * each facet value with AND + popcount ("disjunctive" facets: a facet's counts ignore that facet's own filter, so
 * a user can widen a selection). Pages come from per-order permutations of the rows (built once per write
 * generation) walked against the match set, so no query sorts all matches. Text hits of recent queries, the
 * brief JSON of records and snippets are cached, and every cache is dropped or checked against the generation
 * on write. */
#include "sv4/search.h"

#include <pthread.h>
#include <stdlib.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#include <string.h>

#include "sv4/limits.h"
#include "sv4/util.h"
#include "store/internal.h"

static const char *const facet_names[SV4_FACET_COUNT] = {"type", "country", "region", "sdg", "target", "egd",
                                                         "taxonomy", "smartcity", "year", "lang", "review"};

const char *sv4_facet_name(sv4_facet f) { return (int)f >= 0 && f < SV4_FACET_COUNT ? facet_names[f] : "?"; }

int sv4_facet_from_name(const char *name) {
  for (int i = 0; name && i < SV4_FACET_COUNT; i++)
    if (!strcmp(name, facet_names[i])) return i;
  return -1;
}

/* SDG targets: goal g (1..17) × slot (1..19 numeric, a..e → 20..24) → bit (g-1)*25 + slot. */
#define TARGET_BITS (17 * 25)
#define TARGET_WORDS ((TARGET_BITS + 63) / 64)

typedef struct dict {
  char **v;
  size_t n, cap;
} dict;

typedef struct row {
  int64_t id;
  int64_t updated;
  uint16_t type, country, region, lang, review;
  uint16_t year_from, year_to;
  uint8_t alive;
  uint32_t sdg;
  uint32_t gen;        /* bumps on every write of this row (brief cache) */
  uint64_t targets[TARGET_WORDS];
  uint64_t egd, taxonomy, smartcity;
  char *brief;         /* cached brief JSON (sv4_search_brief_*), NULL until first asked; freed on write */
} row;

#define YEAR_BASE 1900
#define YEAR_SLOTS 300
#define SORT_ORDERS 4            /* indexed by sv4_sort; RELEVANCE's slot holds NEWEST's order */
#define TCACHE_MAX 32            /* text queries whose hits are kept */
#define TCACHE_MAX_BYTES (48u << 20)
#define SNIP_SLOTS 4096

typedef struct cand {
  int32_t row;
  double rank;
  int text;
} cand;

/* The hits of one text query (+ codes), valid for one write generation. */
typedef struct tentry {
  char *key;
  cand *by_row;        /* sorted by row */
  int32_t *order;      /* indices into by_row, best first (relevance) */
  size_t n;
  uint64_t *bits;      /* rows of by_row */
  size_t words, bytes;
  int refs;
  uint64_t used;
} tentry;

typedef struct snip {
  uint64_t gen, h;
  int64_t id;
  char *fts, *text;
} snip;

/* dictionaries for facets whose values are strings: index by sv4_facet; SDG/target/year are numeric. */
struct sv4_search_index {
  pthread_rwlock_t lock;
  row *rows;
  size_t n, cap;
  int32_t *slot;       /* id → row index + 1 (0 = none) */
  size_t nslot;
  dict dicts[SV4_FACET_COUNT];
  size_t alive;
  /* value bitsets over rows: vb[facet][value] (NULL when no row has it); words = cap / 64 */
  size_t words;
  uint64_t *alive_bits;
  uint64_t **vb[SV4_FACET_COUNT];
  size_t nvb[SV4_FACET_COUNT];
  uint32_t *years;                 /* per row: year_from << 16 | year_to (0 when dead): the year filter's scan */
  uint64_t gen;                    /* bumps on every write */
  /* lazily built, under cache_mu; dropped under the write lock */
  pthread_mutex_t cache_mu;
  int32_t *perm[SORT_ORDERS];      /* alive rows in each sort order */
  size_t nperm[SORT_ORDERS];
  tentry *tc[TCACHE_MAX];
  size_t tc_bytes;
  uint64_t tick;
  snip *snips;
};

static size_t (*and_count)(const uint64_t *a, const uint64_t *b, size_t w);

static int dict_id(dict *d, const char *v, int add) {
  for (size_t i = 0; i < d->n; i++)
    if (!strcmp(d->v[i], v)) return (int)i;
  if (!add || d->n >= 65535) return -1;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 16;
    char **p = realloc(d->v, cap * sizeof *p);
    if (!p) return -1;
    d->v = p;
    d->cap = cap;
  }
  if (!(d->v[d->n] = strdup(v))) return -1;
  return (int)d->n++;
}

static int target_bit(const char *code) {
  char *end;
  long g = strtol(code, &end, 10);
  if (g < 1 || g > 17 || *end != '.') return -1;
  const char *t = end + 1;
  int slot;
  if (*t >= 'a' && *t <= 'e' && !t[1])
    slot = 20 + (*t - 'a');
  else {
    long n = strtol(t, &end, 10);
    if (*end || n < 1 || n > 19) return -1;
    slot = (int)n;
  }
  return (int)(g - 1) * 25 + slot - 1;
}

static void target_code(int bit, char *buf) {
  unsigned g = bit / 25 + 1, slot = bit % 25 + 1;
  if (slot >= 20)
    snprintf(buf, 8, "%u.%c", g, (char)('a' + (slot - 20)));
  else
    snprintf(buf, 8, "%u.%u", g, slot);
}

static uint16_t dict_or_zero(dict *d, const char *v) {
  int i = dict_id(d, v && *v ? v : "", 1);
  return (uint16_t)(i < 0 ? 0 : i);
}

static void fill_row(sv4_search_index *ix, row *r, const sv4_record_row *src) {
  uint32_t gen = r->gen;
  memset(r, 0, sizeof *r);
  r->gen = gen + 1;
  r->id = src->id;
  r->updated = src->updated;
  r->alive = 1;
  r->type = dict_or_zero(&ix->dicts[SV4_FACET_TYPE], src->type);
  r->country = dict_or_zero(&ix->dicts[SV4_FACET_COUNTRY], src->country);
  r->region = dict_or_zero(&ix->dicts[SV4_FACET_REGION], src->nuts);
  r->lang = dict_or_zero(&ix->dicts[SV4_FACET_LANG], src->lang);
  r->review = dict_or_zero(&ix->dicts[SV4_FACET_REVIEW], src->review);
  r->year_from = (uint16_t)(src->year_from > 0 ? src->year_from : 0);
  r->year_to = (uint16_t)(src->year_to > 0 ? src->year_to : r->year_from);
  const char *p = src->codes;
  while (p && *p) {
    char tok[64];
    size_t n = strcspn(p, " ");
    if (n && n < sizeof tok) {
      memcpy(tok, p, n);
      tok[n] = '\0';
      char *colon = strchr(tok, ':');
      if (colon) {
        *colon = '\0';
        const char *scheme = tok, *code = colon + 1;
        if (!strcmp(scheme, "sdg")) {
          if (strchr(code, '.')) {
            int b = target_bit(code);
            if (b >= 0) r->targets[b / 64] |= 1ull << (b % 64);
          } else {
            int g = atoi(code);
            if (g >= 1 && g <= 17) r->sdg |= 1u << (g - 1);
          }
        } else {
          int f = !strcmp(scheme, "egd") ? SV4_FACET_EGD
                  : !strcmp(scheme, "taxonomy") ? SV4_FACET_TAXONOMY
                  : !strcmp(scheme, "smartcity") ? SV4_FACET_SMARTCITY : -1;
          if (f >= 0) {
            int i = dict_id(&ix->dicts[f], code, 1);
            uint64_t *m = f == SV4_FACET_EGD ? &r->egd : f == SV4_FACET_TAXONOMY ? &r->taxonomy : &r->smartcity;
            if (i >= 0 && i < 64) *m |= 1ull << i;
          }
        }
      }
    }
    p += n;
    while (*p == ' ') p++;
  }
}

/* ---- value bitsets ------------------------------------------------------------------------------------------ */

static int grow_words(sv4_search_index *ix, size_t words) {
  if (words <= ix->words) return 0;
  uint64_t *p = realloc(ix->alive_bits, words * sizeof *p);
  if (!p) return -1;
  memset(p + ix->words, 0, (words - ix->words) * sizeof *p);
  ix->alive_bits = p;
  for (int f = 0; f < SV4_FACET_COUNT; f++)
    for (size_t v = 0; v < ix->nvb[f]; v++) {
      if (!ix->vb[f][v]) continue;
      uint64_t *q = realloc(ix->vb[f][v], words * sizeof *q);
      if (!q) return -1;
      memset(q + ix->words, 0, (words - ix->words) * sizeof *q);
      ix->vb[f][v] = q;
    }
  ix->words = words;
  return 0;
}

/* Sets (on) or clears (!on) bit ri of value v of facet f; creates the bitset when needed. */
static int vb_put(sv4_search_index *ix, int f, size_t v, size_t ri, int on) {
  if (v >= ix->nvb[f]) {
    if (!on) return 0;
    size_t n = ix->nvb[f] ? ix->nvb[f] : 8;
    while (n <= v) n *= 2;
    uint64_t **p = realloc(ix->vb[f], n * sizeof *p);
    if (!p) return -1;
    memset(p + ix->nvb[f], 0, (n - ix->nvb[f]) * sizeof *p);
    ix->vb[f] = p;
    ix->nvb[f] = n;
  }
  if (!ix->vb[f][v]) {
    if (!on) return 0;
    if (!(ix->vb[f][v] = calloc(ix->words ? ix->words : 1, sizeof(uint64_t)))) return -1;
  }
  if (on)
    ix->vb[f][v][ri / 64] |= 1ull << (ri % 64);
  else
    ix->vb[f][v][ri / 64] &= ~(1ull << (ri % 64));
  return 0;
}

/* The years a row is counted under in the year facet (capped at 60 years, as counting always was). */
static void year_span(const row *r, int *from, int *to) {
  *from = r->year_from;
  *to = r->year_to >= r->year_from ? r->year_to : r->year_from;
  if (*to - *from > 60) *to = *from + 60;
}

/* Sets or clears every value bit of row ri. */
static int row_bits(sv4_search_index *ix, size_t ri, int on) {
  const row *r = &ix->rows[ri];
  int bad = 0;
  if (on)
    ix->alive_bits[ri / 64] |= 1ull << (ri % 64);
  else
    ix->alive_bits[ri / 64] &= ~(1ull << (ri % 64));
  bad |= vb_put(ix, SV4_FACET_TYPE, r->type, ri, on);
  bad |= vb_put(ix, SV4_FACET_COUNTRY, r->country, ri, on);
  bad |= vb_put(ix, SV4_FACET_REGION, r->region, ri, on);
  bad |= vb_put(ix, SV4_FACET_LANG, r->lang, ri, on);
  bad |= vb_put(ix, SV4_FACET_REVIEW, r->review, ri, on);
  for (uint32_t m = r->sdg; m; m &= m - 1) bad |= vb_put(ix, SV4_FACET_SDG, (size_t)__builtin_ctz(m), ri, on);
  for (int w = 0; w < TARGET_WORDS; w++)
    for (uint64_t m = r->targets[w]; m; m &= m - 1)
      bad |= vb_put(ix, SV4_FACET_TARGET, (size_t)(w * 64 + __builtin_ctzll(m)), ri, on);
  for (uint64_t m = r->egd; m; m &= m - 1) bad |= vb_put(ix, SV4_FACET_EGD, (size_t)__builtin_ctzll(m), ri, on);
  for (uint64_t m = r->taxonomy; m; m &= m - 1)
    bad |= vb_put(ix, SV4_FACET_TAXONOMY, (size_t)__builtin_ctzll(m), ri, on);
  for (uint64_t m = r->smartcity; m; m &= m - 1)
    bad |= vb_put(ix, SV4_FACET_SMARTCITY, (size_t)__builtin_ctzll(m), ri, on);
  if (r->year_from) {
    int from, to;
    year_span(r, &from, &to);
    for (int y = from; y <= to; y++)
      if (y >= YEAR_BASE && y < YEAR_BASE + YEAR_SLOTS) bad |= vb_put(ix, SV4_FACET_YEAR, (size_t)(y - YEAR_BASE), ri, on);
  }
  return bad;
}

static void drop_caches(sv4_search_index *ix);

static int put_row(sv4_search_index *ix, const sv4_record_row *src) {
  if (src->id <= 0) return 0;
  size_t id = (size_t)src->id;
  if (id >= ix->nslot) {
    size_t ns = ix->nslot ? ix->nslot : 1024;
    while (ns <= id) ns *= 2;
    int32_t *p = realloc(ix->slot, ns * sizeof *p);
    if (!p) return -1;
    memset(p + ix->nslot, 0, (ns - ix->nslot) * sizeof *p);
    ix->slot = p;
    ix->nslot = ns;
  }
  row *r;
  size_t ri;
  if (ix->slot[id]) {
    ri = (size_t)ix->slot[id] - 1;
    r = &ix->rows[ri];
    if (!r->alive) ix->alive++;
    else row_bits(ix, ri, 0);
    free(r->brief);
  } else {
    if (ix->n == ix->cap) {
      size_t cap = ix->cap ? ix->cap * 2 : 1024;
      row *p = realloc(ix->rows, cap * sizeof *p);
      if (!p) return -1;
      ix->rows = p;
      uint32_t *y = realloc(ix->years, cap * sizeof *y);
      if (!y) return -1;
      ix->years = y;
      ix->cap = cap;
      if (grow_words(ix, cap / 64)) return -1;
    }
    ri = ix->n;
    r = &ix->rows[ix->n++];
    memset(r, 0, sizeof *r);
    ix->slot[id] = (int32_t)ix->n;
    ix->alive++;
  }
  fill_row(ix, r, src);
  ix->years[ri] = (uint32_t)r->year_from << 16 | (r->year_to ? r->year_to : r->year_from);
  ix->gen++;
  return row_bits(ix, ri, 1);
}

static int put_row_cb(void *ud, const sv4_record_row *r) { return put_row(ud, r); }

static size_t and_count_sw(const uint64_t *a, const uint64_t *b, size_t w) {
  size_t n = 0;
  for (size_t i = 0; i < w; i++) n += (size_t)__builtin_popcountll(a[i] & b[i]);
  return n;
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt"))) static size_t and_count_hw(const uint64_t *a, const uint64_t *b, size_t w) {
  size_t n = 0;
  for (size_t i = 0; i < w; i++) n += (size_t)__builtin_popcountll(a[i] & b[i]);
  return n;
}

/* 8 words at a time where the CPU has AVX-512 VPOPCNTDQ */
__attribute__((target("avx512f,avx512vpopcntdq"))) static size_t and_count_avx512(const uint64_t *a,
                                                                                  const uint64_t *b, size_t w) {
  __m512i acc = _mm512_setzero_si512();
  size_t i = 0;
  for (; i + 8 <= w; i += 8)
    acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(_mm512_and_si512(_mm512_loadu_si512((const void *)(a + i)),
                                                                     _mm512_loadu_si512((const void *)(b + i)))));
  size_t n = (size_t)_mm512_reduce_add_epi64(acc);
  for (; i < w; i++) n += (size_t)__builtin_popcountll(a[i] & b[i]);
  return n;
}
#endif

sv4_rc sv4_search_index_build(sv4_store *s, sv4_search_index **out, sv4_error *err) {
  sv4_search_index *ix = calloc(1, sizeof *ix);
  if (!ix) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  and_count = and_count_sw;
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("popcnt")) and_count = and_count_hw;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")) and_count = and_count_avx512;
#endif
  pthread_rwlockattr_t la;
  pthread_rwlockattr_init(&la);
#if defined(__GLIBC__)
  /* searches never stop arriving under load: a waiting write must not starve behind them */
  pthread_rwlockattr_setkind_np(&la, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
  pthread_rwlock_init(&ix->lock, &la);
  pthread_rwlockattr_destroy(&la);
  pthread_mutex_init(&ix->cache_mu, NULL);
  ix->snips = calloc(SNIP_SLOTS, sizeof *ix->snips);
  /* value 0 of every dictionary is "" (unknown) */
  for (int f = 0; f < SV4_FACET_COUNT; f++) dict_id(&ix->dicts[f], "", 1);
  sv4_rc rc = ix->snips ? SV4_STORE_OPS(s)->record_rows_each(s, 0, put_row_cb, ix, err)
                        : sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  if (rc) {
    sv4_search_index_free(ix);
    return rc;
  }
  *out = ix;
  return SV4_OK;
}

typedef struct refresh_ctx {
  sv4_search_index *ix;
  int found;
} refresh_ctx;

static int refresh_cb(void *ud, const sv4_record_row *r) {
  refresh_ctx *c = ud;
  c->found = 1;
  return put_row(c->ix, r);
}

sv4_rc sv4_search_index_refresh(sv4_search_index *ix, sv4_store *s, int64_t id, sv4_error *err) {
  refresh_ctx c = {ix, 0};
  pthread_rwlock_wrlock(&ix->lock);
  sv4_rc rc = SV4_STORE_OPS(s)->record_rows_each(s, id, refresh_cb, &c, err);
  if (!rc && !c.found && id > 0 && (size_t)id < ix->nslot && ix->slot[id]) {
    size_t ri = (size_t)ix->slot[id] - 1;
    row *r = &ix->rows[ri];
    if (r->alive) {
      ix->alive--;
      row_bits(ix, ri, 0);
    }
    r->alive = 0;
    ix->years[ri] = 0;
    r->gen++;
    free(r->brief);
    r->brief = NULL;
  }
  ix->gen++;
  drop_caches(ix);
  pthread_rwlock_unlock(&ix->lock);
  return rc;
}

size_t sv4_search_index_count(const sv4_search_index *ix) { return ix->alive; }

void sv4_search_index_free(sv4_search_index *ix) {
  if (!ix) return;
  drop_caches(ix);
  for (size_t i = 0; i < SNIP_SLOTS && ix->snips; i++) {
    free(ix->snips[i].fts);
    free(ix->snips[i].text);
  }
  free(ix->snips);
  for (int f = 0; f < SV4_FACET_COUNT; f++) {
    for (size_t i = 0; i < ix->dicts[f].n; i++) free(ix->dicts[f].v[i]);
    free(ix->dicts[f].v);
    for (size_t v = 0; v < ix->nvb[f]; v++) free(ix->vb[f][v]);
    free(ix->vb[f]);
  }
  for (size_t i = 0; i < ix->n; i++) free(ix->rows[i].brief);
  free(ix->alive_bits);
  free(ix->years);
  free(ix->rows);
  free(ix->slot);
  pthread_mutex_destroy(&ix->cache_mu);
  pthread_rwlock_destroy(&ix->lock);
  free(ix);
}

/* ---- query text → FTS5 ---------------------------------------------------------------------------------- */

static int is_word_byte(unsigned char c) { return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'); }

char *sv4_search_fts_query(const char *text) {
  sv4_buf b;
  sv4_buf_init(&b, SV4_MAX_QUERY_BYTES * 4);
  const char *p = text ? text : "";
  int pending_or = 0;
  while (*p) {
    if (*p == '"') { /* phrase */
      const char *q = strchr(p + 1, '"');
      const char *end = q ? q : p + strlen(p);
      sv4_buf phrase;
      sv4_buf_init(&phrase, 0);
      for (const char *w = p + 1; w < end;) {
        while (w < end && !is_word_byte((unsigned char)*w)) w++;
        const char *s = w;
        while (w < end && is_word_byte((unsigned char)*w)) w++;
        if (w > s) {
          if (phrase.len) sv4_buf_putc(&phrase, ' ');
          sv4_buf_append(&phrase, s, (size_t)(w - s));
        }
      }
      if (phrase.len) {
        if (b.len) sv4_buf_puts(&b, pending_or ? " OR " : " ");
        sv4_buf_printf(&b, "\"%s\"", phrase.data);
        pending_or = 0;
      }
      sv4_buf_free(&phrase);
      p = q ? q + 1 : end;
      continue;
    }
    int neg = 0;
    if (*p == '-' && is_word_byte((unsigned char)p[1]) && (p == text || p[-1] == ' ')) {
      neg = 1;
      p++;
    }
    if (!is_word_byte((unsigned char)*p)) {
      p++;
      continue;
    }
    const char *s = p;
    while (*p && is_word_byte((unsigned char)*p)) p++;
    size_t n = (size_t)(p - s);
    int prefix = *p == '*';
    if (prefix) p++;
    if (n == 2 && !memcmp(s, "OR", 2) && b.len) {
      pending_or = 1;
      continue;
    }
    if (neg && b.len)
      sv4_buf_puts(&b, " NOT ");
    else if (neg)
      continue; /* FTS5 cannot start with NOT: a lone exclusion is ignored */
    else if (b.len)
      sv4_buf_puts(&b, pending_or ? " OR " : " ");
    pending_or = 0;
    sv4_buf_putc(&b, '"');
    sv4_buf_append(&b, s, n);
    sv4_buf_putc(&b, '"');
    if (prefix) sv4_buf_putc(&b, '*');
  }
  return sv4_buf_steal(&b, NULL);
}

/* ---- caches --------------------------------------------------------------------------------------------- */

static void tentry_free(tentry *t) {
  if (!t) return;
  free(t->key);
  free(t->by_row);
  free(t->order);
  free(t->bits);
  free(t);
}

/* Under the write lock (or at free): no reader holds anything. Briefs are dropped per row in put_row. */
static void drop_caches(sv4_search_index *ix) {
  for (int i = 0; i < SORT_ORDERS; i++) {
    free(ix->perm[i]);
    ix->perm[i] = NULL;
    ix->nperm[i] = 0;
  }
  for (int i = 0; i < TCACHE_MAX; i++) {
    tentry_free(ix->tc[i]);
    ix->tc[i] = NULL;
  }
  ix->tc_bytes = 0;
}

/* ---- the search ------------------------------------------------------------------------------------------- */

typedef struct cand_set {
  cand *c;
  size_t n, cap;
  sv4_search_index *ix;
  int32_t *seen; /* row → index in c + 1 */
} cand_set;

static int add_cand(cand_set *cs, int64_t id, double rank, int text) {
  sv4_search_index *ix = cs->ix;
  if (id <= 0 || (size_t)id >= ix->nslot || !ix->slot[id]) return 0;
  int32_t r = ix->slot[id] - 1;
  if (!ix->rows[r].alive) return 0;
  if (cs->seen[r]) {
    cand *c = &cs->c[cs->seen[r] - 1];
    if (text && !c->text) {
      c->text = 1;
      c->rank = rank;
    }
    return 0;
  }
  if (cs->n == cs->cap) {
    size_t cap = cs->cap ? cs->cap * 2 : 256;
    cand *p = realloc(cs->c, cap * sizeof *p);
    if (!p) return -1;
    cs->c = p;
    cs->cap = cap;
  }
  cs->c[cs->n] = (cand){r, rank, text};
  cs->seen[r] = (int32_t)++cs->n;
  return 0;
}

static int text_hit_cb(void *ud, int64_t id, double rank) { return add_cand(ud, id, rank, 1); }

/* Which values each facet filter accepts: a bitmask over dictionary ids (or goals) per facet. */
typedef struct filter {
  int active[SV4_FACET_COUNT];
  uint64_t mask[SV4_FACET_COUNT];          /* type, country, lang, review, egd, taxonomy, smartcity, sdg */
  uint16_t *regions;                       /* region ids (NUTS prefix matches expanded) */
  size_t nregions;
  uint64_t targets[TARGET_WORDS];
  int year_from, year_to;
} filter;

typedef struct facet_value {
  const char *value;
  char buf[24];
  size_t count;
} facet_value;

static int by_count(const void *a, const void *b) {
  const facet_value *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->value, y->value);
}

static int by_value_num(const void *a, const void *b) {
  const facet_value *x = a, *y = b;
  return atoi(x->value) - atoi(y->value);
}

/* The facet's non-zero values in report order (count desc, then value; SDG and year by number). *n set. */
static facet_value *facet_values(const sv4_search_index *ix, const size_t *c, size_t nc, int f, size_t *n) {
  facet_value *v = calloc(nc ? nc : 1, sizeof *v);
  size_t m = 0;
  if (!v) {
    *n = 0;
    return NULL;
  }
  for (size_t i = 0; i < nc; i++) {
    if (!c[i]) continue;
    facet_value *x = &v[m];
    x->count = c[i];
    switch (f) {
      case SV4_FACET_SDG: snprintf(x->buf, sizeof x->buf, "%zu", i + 1); x->value = x->buf; break;
      case SV4_FACET_TARGET: target_code((int)i, x->buf); x->value = x->buf; break;
      case SV4_FACET_YEAR: snprintf(x->buf, sizeof x->buf, "%zu", i + YEAR_BASE); x->value = x->buf; break;
      default:
        if (!i || i >= ix->dicts[f].n) continue; /* "" = unknown is not a selectable value */
        x->value = ix->dicts[f].v[i];
    }
    m++;
  }
  qsort(v, m, sizeof *v, f == SV4_FACET_SDG || f == SV4_FACET_YEAR ? by_value_num : by_count);
  *n = m;
  return v;
}

static json_t *facet_json(facet_value *v, size_t m) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < m; i++)
    json_array_append_new(a, json_pack("{s:s,s:I}", "value", v[i].value, "count", (json_int_t)v[i].count));
  return a;
}

static void json_str(sv4_buf *b, const char *s) {
  sv4_buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      sv4_buf_printf(b, "\\%c", *p);
    else if (*p < 0x20)
      sv4_buf_printf(b, "\\u%04x", *p);
    else
      sv4_buf_putc(b, (char)*p);
  }
  sv4_buf_putc(b, '"');
}

typedef struct sort_ctx {
  const sv4_search_index *ix;
  sv4_sort by;
} sort_ctx;

static int cand_cmp(const void *a, const void *b, void *ud) {
  const sort_ctx *sc = ud;
  const cand *x = a, *y = b;
  const row *rx = &sc->ix->rows[x->row], *ry = &sc->ix->rows[y->row];
  switch (sc->by) {
    case SV4_SORT_RELEVANCE:
      if (x->text != y->text) return y->text - x->text;
      if (x->rank != y->rank) return x->rank < y->rank ? 1 : -1;
      break;
    case SV4_SORT_OLDEST:
      if (rx->updated != ry->updated) return rx->updated < ry->updated ? -1 : 1;
      break;
    case SV4_SORT_YEAR:
      if (rx->year_from != ry->year_from) return rx->year_from < ry->year_from ? 1 : -1;
      break;
    case SV4_SORT_NEWEST: break;
  }
  if (rx->updated != ry->updated) return rx->updated < ry->updated ? 1 : -1;
  return rx->id < ry->id ? 1 : -1;
}

typedef struct order_ctx {
  sort_ctx sc;
  const cand *c;
} order_ctx;

static int idx_cmp(const void *a, const void *b, void *ud) {
  const order_ctx *oc = ud;
  return cand_cmp(&oc->c[*(const int32_t *)a], &oc->c[*(const int32_t *)b], (void *)&oc->sc);
}

static int row_cmp(const void *a, const void *b) {
  const cand *x = a, *y = b;
  return (x->row > y->row) - (x->row < y->row);
}

static sv4_rc build_filter(sv4_search_index *ix, const sv4_search_query *q, filter *f, sv4_error *err) {
  memset(f, 0, sizeof *f);
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++) {
    if (!q->nvalues[fa]) continue;
    if (q->nvalues[fa] > SV4_SEARCH_MAX_VALUES)
      return sv4_error_set(err, SV4_ERR_LIMIT, "too many values for facet %s", facet_names[fa]);
    f->active[fa] = 1;
    for (size_t i = 0; i < q->nvalues[fa]; i++) {
      const char *v = q->values[fa][i];
      if (!v) continue;
      switch (fa) {
        case SV4_FACET_SDG: {
          int g = atoi(v);
          if (g < 1 || g > 17) return sv4_error_set(err, SV4_ERR_USAGE, "sdg must be 1..17, not '%s'", v);
          f->mask[fa] |= 1ull << (g - 1);
          break;
        }
        case SV4_FACET_TARGET: {
          int b = target_bit(v);
          if (b < 0) return sv4_error_set(err, SV4_ERR_USAGE, "'%s' is not an SDG target code", v);
          f->targets[b / 64] |= 1ull << (b % 64);
          break;
        }
        case SV4_FACET_YEAR: break;
        case SV4_FACET_REGION: {
          /* a NUTS code selects itself and every finer region below it */
          size_t len = strlen(v);
          for (size_t d = 1; d < ix->dicts[fa].n; d++) {
            if (!strncmp(ix->dicts[fa].v[d], v, len)) {
              uint16_t *p = realloc(f->regions, (f->nregions + 1) * sizeof *p);
              if (!p) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
              f->regions = p;
              f->regions[f->nregions++] = (uint16_t)d;
            }
          }
          break;
        }
        default: {
          int d = dict_id(&ix->dicts[fa], v, 0);
          if (d >= 0 && d < 64) f->mask[fa] |= 1ull << d; /* unknown values select nothing */
        }
      }
    }
  }
  if (q->year_from || q->year_to) {
    f->active[SV4_FACET_YEAR] = 1;
    f->year_from = q->year_from;
    f->year_to = q->year_to;
  }
  return SV4_OK;
}

static const char *also_scheme_code(const char *tok, char *scheme, size_t n) {
  const char *colon = strchr(tok, ':');
  if (!colon || (size_t)(colon - tok) >= n) return NULL;
  memcpy(scheme, tok, (size_t)(colon - tok));
  scheme[colon - tok] = '\0';
  return colon + 1;
}

/* Adds every record carrying any of the "scheme:code" tokens as a candidate (rank 0, not a text match). */
static int add_code_cands(cand_set *cs, const char *codes) {
  sv4_search_index *ix = cs->ix;
  uint32_t sdg = 0;
  uint64_t targets[TARGET_WORDS] = {0}, egd = 0, tax = 0, sc = 0;
  char tok[64], scheme[16];
  for (const char *p = codes; p && *p;) {
    size_t n = strcspn(p, " ");
    if (n && n < sizeof tok) {
      memcpy(tok, p, n);
      tok[n] = '\0';
      const char *code = also_scheme_code(tok, scheme, sizeof scheme);
      if (code && !strcmp(scheme, "sdg")) {
        if (strchr(code, '.')) {
          int b = target_bit(code);
          if (b >= 0) targets[b / 64] |= 1ull << (b % 64);
        } else if (atoi(code) >= 1 && atoi(code) <= 17) {
          sdg |= 1u << (atoi(code) - 1);
        }
      } else if (code) {
        int f = !strcmp(scheme, "egd") ? SV4_FACET_EGD : !strcmp(scheme, "taxonomy") ? SV4_FACET_TAXONOMY
                : !strcmp(scheme, "smartcity") ? SV4_FACET_SMARTCITY : -1;
        int d = f >= 0 ? dict_id(&ix->dicts[f], code, 0) : -1;
        if (d >= 0 && d < 64) *(f == SV4_FACET_EGD ? &egd : f == SV4_FACET_TAXONOMY ? &tax : &sc) |= 1ull << d;
      }
    }
    p += n;
    while (*p == ' ') p++;
  }
  for (size_t i = 0; i < ix->n; i++) {
    const row *r = &ix->rows[i];
    if (!r->alive) continue;
    uint64_t t = 0;
    for (int w = 0; w < TARGET_WORDS; w++) t |= r->targets[w] & targets[w];
    if ((r->sdg & sdg) || t || (r->egd & egd) || (r->taxonomy & tax) || (r->smartcity & sc))
      if (add_cand(cs, r->id, 0, 0)) return -1;
  }
  return 0;
}

/* The hits of fts (+ codes) for this generation: from the cache, or from the store and then cached. The entry
 * is held (refs) until tentry_release. Caller holds the read lock. */
static sv4_rc tentry_get(sv4_search_index *ix, sv4_store *s, const char *fts, const char *codes, tentry **out,
                         sv4_error *err) {
  size_t kl = strlen(fts), cl = codes ? strlen(codes) : 0;
  char *key = malloc(kl + cl + 2);
  if (!key) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  memcpy(key, fts, kl);
  key[kl] = '\x01';
  memcpy(key + kl + 1, codes ? codes : "", cl + 1);
  pthread_mutex_lock(&ix->cache_mu);
  for (int i = 0; i < TCACHE_MAX; i++) {
    tentry *t = ix->tc[i];
    if (t && !strcmp(t->key, key)) {
      t->refs++;
      t->used = ++ix->tick;
      pthread_mutex_unlock(&ix->cache_mu);
      free(key);
      *out = t;
      return SV4_OK;
    }
  }
  pthread_mutex_unlock(&ix->cache_mu);

  sv4_rc rc = SV4_OK;
  cand_set cs = {0};
  tentry *t = calloc(1, sizeof *t);
  cs.ix = ix;
  cs.seen = calloc(ix->n ? ix->n : 1, sizeof *cs.seen);
  if (!t || !cs.seen) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto fail;
  }
  if ((rc = SV4_STORE_OPS(s)->text_search(s, fts, text_hit_cb, &cs, err))) goto fail;
  if (codes && *codes && add_code_cands(&cs, codes)) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto fail;
  }
  t->key = key;
  key = NULL;
  t->n = cs.n;
  t->by_row = cs.c ? cs.c : malloc(sizeof *t->by_row);
  cs.c = NULL;
  t->order = malloc((t->n ? t->n : 1) * sizeof *t->order);
  t->words = ix->words;
  t->bits = calloc(t->words ? t->words : 1, sizeof *t->bits);
  if (!t->by_row || !t->order || !t->bits) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto fail;
  }
  if (t->n) qsort(t->by_row, t->n, sizeof *t->by_row, row_cmp);
  for (size_t i = 0; i < t->n; i++) {
    t->order[i] = (int32_t)i;
    t->bits[t->by_row[i].row / 64] |= 1ull << (t->by_row[i].row % 64);
  }
  order_ctx oc = {{ix, SV4_SORT_RELEVANCE}, t->by_row};
  qsort_r(t->order, t->n, sizeof *t->order, idx_cmp, &oc);
  t->bytes = t->n * (sizeof *t->by_row + sizeof *t->order) + t->words * 8 + strlen(t->key);
  t->refs = 1;
  free(cs.seen);
  /* cache it when there is room (or an idle entry to evict); otherwise it lives for this query only */
  pthread_mutex_lock(&ix->cache_mu);
  t->used = ++ix->tick;
  int slot = -1;
  for (int i = 0; i < TCACHE_MAX && slot < 0; i++)
    if (!ix->tc[i]) slot = i;
  while (slot < 0 || ix->tc_bytes + t->bytes > TCACHE_MAX_BYTES) {
    int lru = -1;
    for (int i = 0; i < TCACHE_MAX; i++)
      if (ix->tc[i] && !ix->tc[i]->refs && (lru < 0 || ix->tc[i]->used < ix->tc[lru]->used)) lru = i;
    if (lru < 0) break;
    ix->tc_bytes -= ix->tc[lru]->bytes;
    tentry_free(ix->tc[lru]);
    ix->tc[lru] = NULL;
    if (slot < 0) slot = lru;
  }
  if (slot >= 0 && ix->tc_bytes + t->bytes <= TCACHE_MAX_BYTES) {
    ix->tc[slot] = t;
    ix->tc_bytes += t->bytes;
  } else {
    t->refs = -1; /* not cached: the releaser frees it */
  }
  pthread_mutex_unlock(&ix->cache_mu);
  *out = t;
  return SV4_OK;
fail:
  free(key);
  free(cs.c);
  free(cs.seen);
  tentry_free(t);
  return rc;
}

static void tentry_release(sv4_search_index *ix, tentry *t) {
  if (!t) return;
  if (t->refs < 0) {
    tentry_free(t);
    return;
  }
  pthread_mutex_lock(&ix->cache_mu);
  t->refs--;
  pthread_mutex_unlock(&ix->cache_mu);
}

/* Alive rows in sort order `by` (NEWEST for RELEVANCE), built once per generation. Caller holds the read lock. */
static const int32_t *perm_get(sv4_search_index *ix, sv4_sort by, size_t *n) {
  if (by == SV4_SORT_RELEVANCE) by = SV4_SORT_NEWEST;
  pthread_mutex_lock(&ix->cache_mu);
  if (!ix->perm[by]) {
    cand *c = malloc((ix->alive ? ix->alive : 1) * sizeof *c);
    int32_t *p = malloc((ix->alive ? ix->alive : 1) * sizeof *p);
    if (c && p) {
      size_t m = 0;
      for (size_t i = 0; i < ix->n; i++)
        if (ix->rows[i].alive) c[m++] = (cand){(int32_t)i, 0, 0};
      sort_ctx sc = {ix, by};
      qsort_r(c, m, sizeof *c, cand_cmp, &sc);
      for (size_t i = 0; i < m; i++) p[i] = c[i].row;
      ix->perm[by] = p;
      ix->nperm[by] = m;
      p = NULL;
    }
    free(c);
    free(p);
  }
  const int32_t *r = ix->perm[by];
  *n = ix->nperm[by];
  pthread_mutex_unlock(&ix->cache_mu);
  return r;
}

static const cand *tentry_find(const tentry *t, int32_t ri) {
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t->by_row[mid].row < ri)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < t->n && t->by_row[lo].row == ri ? &t->by_row[lo] : NULL;
}

static void bits_and(uint64_t *dst, const uint64_t *a, size_t w) {
  for (size_t i = 0; i < w; i++) dst[i] &= a[i];
}

static void bits_or(uint64_t *dst, const uint64_t *a, size_t w) {
  if (a)
    for (size_t i = 0; i < w; i++) dst[i] |= a[i];
}

/* The rows a facet's selection accepts, into out (w words). */
static void filter_bits(const sv4_search_index *ix, const filter *f, int fa, uint64_t *out, size_t w) {
  memset(out, 0, w * sizeof *out);
  switch (fa) {
    case SV4_FACET_REGION:
      for (size_t i = 0; i < f->nregions; i++)
        if (f->regions[i] < ix->nvb[fa]) bits_or(out, ix->vb[fa][f->regions[i]], w);
      break;
    case SV4_FACET_TARGET:
      for (int tw = 0; tw < TARGET_WORDS; tw++)
        for (uint64_t m = f->targets[tw]; m; m &= m - 1) {
          size_t v = (size_t)(tw * 64 + __builtin_ctzll(m));
          if (v < ix->nvb[fa]) bits_or(out, ix->vb[fa][v], w);
        }
      break;
    case SV4_FACET_YEAR:
      for (size_t i = 0; i < ix->n && i < w * 64; i++) {
        uint32_t y = ix->years[i]; /* 0 for dead rows and rows without a year */
        int from = (int)(y >> 16), to = (int)(y & 0xffff);
        if (!from || (f->year_to && from > f->year_to) || (f->year_from && to < f->year_from)) continue;
        out[i / 64] |= 1ull << (i % 64);
      }
      break;
    default:
      for (uint64_t m = f->mask[fa]; m; m &= m - 1) {
        size_t v = (size_t)__builtin_ctzll(m);
        if (v < ix->nvb[fa]) bits_or(out, ix->vb[fa][v], w);
      }
  }
}

static size_t facet_slots(const sv4_search_index *ix, int fa) {
  return fa == SV4_FACET_SDG ? 17 : fa == SV4_FACET_TARGET ? TARGET_BITS : fa == SV4_FACET_YEAR ? YEAR_SLOTS
         : ix->dicts[fa].n;
}

sv4_rc sv4_search(sv4_search_index *ix, sv4_store *s, const sv4_search_query *q, sv4_search_result **out,
                  sv4_error *err) {
  sv4_rc rc = SV4_OK;
  filter f;
  memset(&f, 0, sizeof f);
  size_t *counts = NULL;
  uint64_t *sel = NULL, *m = NULL, *mf = NULL;
  char *fts = NULL;
  tentry *t = NULL;
  sv4_search_result *res = NULL;
  sv4_buf ft;
  sv4_buf_init(&ft, 0);
  *out = NULL;
  if (q->text && strlen(q->text) > SV4_MAX_QUERY_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "query longer than %u bytes", SV4_MAX_QUERY_BYTES);
  size_t limit = q->limit ? q->limit : 20;
  if (limit > SV4_MAX_PAGE_SIZE)
    return sv4_error_set(err, SV4_ERR_LIMIT, "page size above %u", SV4_MAX_PAGE_SIZE);

  pthread_rwlock_rdlock(&ix->lock);
  if ((rc = build_filter(ix, q, &f, err))) goto done;
  fts = sv4_search_fts_query(q->text);
  int all = !fts || !*fts;
  if (!all && (rc = tentry_get(ix, s, fts, q->also_codes, &t, err))) goto done;
  size_t w = (ix->n + 63) / 64, nact = 0;
  int act[SV4_FACET_COUNT];
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++)
    if (f.active[fa]) act[nact++] = fa;
  /* sel: one bitset per active facet; m: base ∧ every selection; mf: scratch for a facet's own mask */
  sel = malloc((nact ? nact : 1) * (w ? w : 1) * sizeof *sel);
  m = malloc((w ? w : 1) * sizeof *m);
  mf = malloc((w ? w : 1) * sizeof *mf);
  counts = malloc(TARGET_BITS * sizeof *counts > YEAR_SLOTS * sizeof *counts ? TARGET_BITS * sizeof *counts
                                                                               : YEAR_SLOTS * sizeof *counts);
  if (!sel || !m || !mf || !counts) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  const uint64_t *base = all ? ix->alive_bits : t->bits;
  for (size_t i = 0; i < nact; i++) filter_bits(ix, &f, act[i], sel + i * w, w);
  memcpy(m, base, w * sizeof *m);
  for (size_t i = 0; i < nact; i++) bits_and(m, sel + i * w, w);

  /* facet counts: inactive facets count over m; an active facet over base ∧ the other selections */
  res = calloc(1, sizeof *res);
  if (!res) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  if (q->facets_text) sv4_buf_putc(&ft, '{');
  else res->facets = json_object();
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++) {
    const uint64_t *mask = m;
    if (f.active[fa]) {
      memcpy(mf, base, w * sizeof *mf);
      for (size_t i = 0; i < nact; i++)
        if (act[i] != fa) bits_and(mf, sel + i * w, w);
      mask = mf;
    }
    size_t nc = facet_slots(ix, fa);
    for (size_t v = 0; v < nc; v++)
      counts[v] = v < ix->nvb[fa] && ix->vb[fa][v] ? and_count(mask, ix->vb[fa][v], w) : 0;
    size_t nv = 0;
    facet_value *fv = facet_values(ix, counts, nc, fa, &nv);
    if (q->facets_text) {
      if (fa) sv4_buf_putc(&ft, ',');
      sv4_buf_printf(&ft, "\"%s\":[", facet_names[fa]);
      for (size_t i = 0; i < nv; i++) {
        sv4_buf_puts(&ft, i ? ",{\"value\":" : "{\"value\":");
        json_str(&ft, fv[i].value);
        sv4_buf_printf(&ft, ",\"count\":%zu}", fv[i].count);
      }
      sv4_buf_putc(&ft, ']');
    } else {
      json_object_set_new(res->facets, facet_names[fa], facet_json(fv, nv));
    }
    free(fv);
  }
  if (q->facets_text) {
    sv4_buf_putc(&ft, '}');
    res->facets_text = sv4_buf_steal(&ft, &res->facets_text_len);
    if (!res->facets_text) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
  }

  /* the page: walk an order that is already sorted, keep rows in m */
  size_t total = 0;
  for (size_t i = 0; i < w; i++) total += (size_t)__builtin_popcountll(m[i]);
  res->total = total;
  size_t from = q->offset < total ? q->offset : total;
  size_t n = total - from < limit ? total - from : limit;
  res->hits = calloc(n ? n : 1, sizeof *res->hits);
  if (!res->hits) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  sv4_sort by = q->sort == SV4_SORT_RELEVANCE && all ? SV4_SORT_NEWEST : q->sort;
  size_t seen = 0, k = 0;
#define TAKE(ROW, RANK, TEXT)                                                             \
  do {                                                                                    \
    int32_t r_ = (ROW);                                                                   \
    if (!(m[r_ / 64] >> (r_ % 64) & 1)) break;                                            \
    if (seen++ < from) break;                                                             \
    res->hits[k++] = (sv4_search_hit){ix->rows[r_].id, (RANK), (TEXT)};                  \
  } while (0)
  if (n && t && by == SV4_SORT_RELEVANCE) {
    for (size_t i = 0; i < t->n && k < n; i++) {
      const cand *c = &t->by_row[t->order[i]];
      TAKE(c->row, c->rank, c->text);
    }
  } else if (n && total <= 2048) {
    /* few matches: sort just them */
    cand *c = malloc(total * sizeof *c);
    if (!c) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    size_t cn = 0;
    for (size_t i = 0; i < w; i++)
      for (uint64_t b = m[i]; b; b &= b - 1) {
        int32_t r = (int32_t)(i * 64 + (size_t)__builtin_ctzll(b));
        const cand *x = t ? tentry_find(t, r) : NULL;
        c[cn++] = x ? *x : (cand){r, 0, 0};
      }
    sort_ctx sc = {ix, by};
    qsort_r(c, cn, sizeof *c, cand_cmp, &sc);
    for (size_t i = from; i < cn && k < n; i++)
      res->hits[k++] = (sv4_search_hit){ix->rows[c[i].row].id, c[i].rank, c[i].text};
    free(c);
  } else if (n) {
    size_t pn = 0;
    const int32_t *p = perm_get(ix, by, &pn);
    if (!p) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    for (size_t i = 0; i < pn && k < n; i++) {
      const cand *c = t ? tentry_find(t, p[i]) : NULL;
      TAKE(p[i], c ? c->rank : 0, c ? c->text : 0);
    }
  }
#undef TAKE
  res->nhits = k;
done:
  tentry_release(ix, t);
  pthread_rwlock_unlock(&ix->lock);
  free(counts);
  free(sel);
  free(m);
  free(mf);
  free(f.regions);
  free(fts);
  sv4_buf_free(&ft);
  if (rc) {
    sv4_search_result_free(res);
    res = NULL;
  }
  *out = res;
  return rc;
}

void sv4_search_result_free(sv4_search_result *r) {
  if (!r) return;
  free(r->hits);
  json_decref(r->facets);
  free(r->facets_text);
  free(r);
}

/* ---- brief and snippet caches ------------------------------------------------------------------------------ */

int sv4_search_brief_append(sv4_search_index *ix, int64_t id, sv4_buf *out, uint32_t *gen) {
  int found = 0;
  pthread_rwlock_rdlock(&ix->lock);
  if (id > 0 && (size_t)id < ix->nslot && ix->slot[id]) {
    row *r = &ix->rows[ix->slot[id] - 1];
    pthread_mutex_lock(&ix->cache_mu);
    if (r->brief) {
      found = 1;
      sv4_buf_puts(out, r->brief);
    }
    if (gen) *gen = r->gen;
    pthread_mutex_unlock(&ix->cache_mu);
  }
  pthread_rwlock_unlock(&ix->lock);
  return found;
}

void sv4_search_brief_put(sv4_search_index *ix, int64_t id, uint32_t gen, const char *brief) {
  pthread_rwlock_rdlock(&ix->lock);
  if (id > 0 && (size_t)id < ix->nslot && ix->slot[id]) {
    row *r = &ix->rows[ix->slot[id] - 1];
    pthread_mutex_lock(&ix->cache_mu);
    if (r->alive && r->gen == gen && !r->brief) r->brief = strdup(brief);
    pthread_mutex_unlock(&ix->cache_mu);
  }
  pthread_rwlock_unlock(&ix->lock);
}

sv4_rc sv4_search_snippet(sv4_search_index *ix, sv4_store *s, int64_t id, const char *fts, char **out,
                          sv4_error *err) {
  *out = NULL;
  uint64_t h = sv4_hash64(fts, strlen(fts), (uint64_t)id);
  snip *e = &ix->snips[h % SNIP_SLOTS];
  pthread_rwlock_rdlock(&ix->lock);
  uint64_t gen = ix->gen;
  pthread_mutex_lock(&ix->cache_mu);
  if (e->text && e->gen == gen && e->h == h && e->id == id && !strcmp(e->fts, fts)) *out = strdup(e->text);
  pthread_mutex_unlock(&ix->cache_mu);
  pthread_rwlock_unlock(&ix->lock);
  if (*out) return SV4_OK;
  /* the generation was read before the store: a write in between makes this entry stale at once */
  sv4_rc rc = SV4_STORE_OPS(s)->snippet(s, id, fts, out, err);
  if (rc || !*out) return rc;
  char *f = strdup(fts), *tx = strdup(*out);
  pthread_mutex_lock(&ix->cache_mu);
  if (f && tx) {
    free(e->fts);
    free(e->text);
    *e = (snip){gen, h, id, f, tx};
    f = tx = NULL;
  }
  pthread_mutex_unlock(&ix->cache_mu);
  free(f);
  free(tx);
  return SV4_OK;
}
