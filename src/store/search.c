/* search.c — the in-memory search index and the search over it (see sv4/search.h).
 * Each record is one fixed-size row of small integers and bitsets, and every facet value also has a bitset over
 * the rows, kept up to date on write; the record's text lives in the inverted index of text_index.c under the same
 * row number. A query starts from the rows the viewer may see (drafts only for reviewers and their owner), ANDs
 * the text matches and the selected values' bitsets into one match set and counts each facet's values over it
 * ("disjunctive" facets: a facet's counts ignore that facet's own filter, so a user can widen a selection), each
 * facet the cheapest of three ways: AND + popcount of the value bitsets (AVX-512, four bitsets per pass), the bit
 * planes of a single-valued facet's value id (and of the first and last year of a row's period), or, for a sparse
 * match set, one pass over its rows' packed values (sig). Every bitset is cache-line aligned. Pages come from
 * per-order permutations of the rows (built once per write generation) walked against the match set; relevance
 * order is selected lazily, only as deep as pages are asked for. Derived data is kept per write generation: the
 * hits of recent text queries, the brief JSON of records and snippets; every such cache is dropped or checked
 * against the generation on write. */
#include "sv4/search.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
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
  char **json;         /* json[i]: v[i] as a JSON string, quotes included (facet text) */
  size_t *jlen;        /* jlen[i]: its length */
  uint16_t *rank;      /* rank[i]: position of v[i] in byte order (ties of facet counts list values in it) */
  size_t n, cap;
} dict;

/* A record's brief JSON, kept until the record is written. */
typedef struct brief {
  size_t len;
  char text[];
} brief;

typedef struct row {
  int64_t id;
  int64_t updated;
  uint16_t type, country, region, lang, review;
  uint16_t year_from, year_to;
  uint8_t alive;
  uint8_t published;   /* 0: a draft */
  uint16_t owner;      /* dictionary id of the creator (owners), 0 = unknown */
  uint32_t sdg;
  uint32_t gen;        /* bumps on every write of this row (brief cache) */
  uint64_t targets[TARGET_WORDS];
  uint64_t egd, taxonomy, smartcity;
  brief *_Atomic brief; /* sv4_search_brief_*: NULL until first asked; set once by CAS, freed under the write lock */
} row;

/* A row's facet values packed for counting row by row (count_rows): 32 bytes, two to a cache line. */
typedef struct sig {
  uint64_t multi; /* SDG goals at bits 0..16, egd ids at SIG_EGD.., taxonomy ids at SIG_TAX.., smartcity at SIG_SC.. */
  uint64_t tg[2]; /* targets, by the index's short target ids (tg_short) */
  uint8_t one[5]; /* type, country, region, lang, review ids */
  uint8_t pad;
  uint16_t years; /* the row's year slots: first | (last - first) << 9; SIG_NO_YEARS when it has none */
} sig;

#define SIG_EGD 17
#define SIG_TAX 32
#define SIG_SC 48
#define SIG_TARGETS 128
#define SIG_NO_YEARS 0xffffu

#define YEAR_BASE 1900
#define YEAR_SLOTS 300
#define SORT_ORDERS 4            /* indexed by sv4_sort; RELEVANCE's slot holds NEWEST's order */
#define TCACHE_MAX 32            /* text queries whose hits are kept */
#define TCACHE_MAX_BYTES (48u << 20)
#define SNIP_SETS 1024          /* snippet cache: SNIP_SETS × SNIP_WAYS entries, least recently used replaced */
#define SNIP_WAYS 8
#define SNIP_LOCKS 64           /* snippet sets share SNIP_LOCKS mutexes (set % SNIP_LOCKS) */
#define SMALL_MATCHES 2048       /* up to this many matches a page sorts them instead of walking an order */
#define HIT_ROWS 64              /* hits of a page whose briefs are fetched ahead */
#define PLANES_MAX 8             /* single-valued facets counted from bit planes up to 256 value ids */

/* A value id per row, bit-sliced: p[k] holds bit k of every row's id, while ids stay below 1 << PLANES_MAX (off
 * once one does not: the value bitsets count then). */
typedef struct plane_set {
  uint64_t *p[PLANES_MAX];
  int n;
  int off;
} plane_set;

/* A hit of a text query: the text index's own (score, row, text) triple. */
typedef sv4__tix_hit cand;

/* The hits of one text query (+ codes), valid for one write generation. */
typedef struct tentry {
  char *key;
  cand *by_row;        /* sorted by row */
  int32_t *order;      /* indices into by_row; order[0..nordered) best first (relevance), the rest worse */
  size_t n, nordered;
  pthread_mutex_t mu;  /* extending the ordered prefix */
  uint64_t *bits;      /* rows of by_row */
  size_t words, bytes;
  int refs;
  uint64_t used;
} tentry;

typedef struct snip {
  uint64_t gen, h, used;
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
  dict owners;                     /* creators of records, for their drafts */
  size_t alive, drafts;
  /* value bitsets over rows: vb[facet][value] (NULL when no row has it); words = cap / 64 */
  size_t words;
  uint64_t *alive_bits;
  uint64_t *pub_bits;              /* alive and published */
  uint64_t *odd_years;             /* rows the year bitsets do not cover whole (span > 60 years, or past the slots) */
  size_t nodd_years;
  uint64_t **vb[SV4_FACET_COUNT];
  size_t nvb[SV4_FACET_COUNT];
  /* facets with one value per row (type, country, region, lang, review): the value id bit-sliced */
  plane_set planes[SV4_FACET_COUNT];
  /* the year facet the same way: a row's first and last year slot (year_span within the slots) by short ids,
   * 0 for rows without years; yslot[e][id]: the slot of id, yid[e][slot]: its id */
  plane_set yplanes[2];
  uint16_t yslot[2][1 << PLANES_MAX];
  uint8_t yid[2][YEAR_SLOTS];
  int nyid[2];
  /* every row's values packed (sig), for counting sparse matches row by row; sig_ok: the facets (bit per facet)
   * whose values all fit a sig, cleared for good when one does not */
  sig *sigs;
  unsigned sig_ok;
  uint8_t tg_short[TARGET_BITS]; /* target bit → short id + 1 (0: none yet) */
  uint16_t tg_bit[SIG_TARGETS];  /* short id → target bit */
  int ntg;
  uint32_t *years;                 /* per row: year_from << 16 | year_to (0 when dead): the year filter's scan */
  uint64_t gen;                    /* bumps on every write */
  sv4__tix *tix;                   /* the records' text */
  /* lazily built under their own mutexes; dropped under the write lock */
  pthread_mutex_t perm_mu;
  int32_t *perm[SORT_ORDERS];      /* alive rows in each sort order */
  size_t nperm[SORT_ORDERS];
  pthread_mutex_t tc_mu;
  tentry *tc[TCACHE_MAX];
  size_t tc_bytes;
  uint64_t tick;                   /* under tc_mu */
  snip *snips;                     /* SNIP_SETS × SNIP_WAYS */
  pthread_mutex_t snip_mu[SNIP_LOCKS];
  _Atomic uint64_t snip_tick;
  char target_codes[TARGET_BITS][8];
  char target_json[TARGET_BITS][10]; /* the same as JSON strings */
  uint8_t target_jlen[TARGET_BITS];  /* and their lengths */
  uint16_t target_rank[TARGET_BITS]; /* byte order of target_codes */
};

/* popcount(a ∧ b) over w words, and out[j] = popcount(a ∧ b[j]) for nb bitsets: the best the CPU has. */
static size_t (*and_count)(const uint64_t *a, const uint64_t *b, size_t w);
static void (*and_counts)(const uint64_t *a, const uint64_t *const *b, size_t nb, size_t w, size_t *out);
/* sort_keys for up to SORT_RANKED keys without comparison branches (NULL: none) */
#define SORT_RANKED 256
static void (*sort_ranked)(uint64_t *k, size_t n);
#if defined(__x86_64__) && defined(__GNUC__)
static void sort_keys_avx512(uint64_t *k, size_t n);
#endif
/* dst &= a, dst |= a over w words */
static void (*bits_and_fn)(uint64_t *dst, const uint64_t *a, size_t w);
static void (*bits_or_fn)(uint64_t *dst, const uint64_t *a, size_t w);
/* counts of value ids 0..n-1 over a from bit planes (NULL where the CPU lacks the instructions: bitsets then) */
static void (*plane_counts)(const uint64_t *a, uint64_t *const *p, int np, size_t n, size_t w, size_t *out);
/* the values of the rows of mask, from their sigs (count_rows) */
typedef struct sig_counts sig_counts;
static void (*sig_count)(const sig *sg, const uint64_t *mask, size_t w, sig_counts *c);
static void sig_count_sw(const sig *sg, const uint64_t *mask, size_t w, sig_counts *c);
#if defined(__x86_64__) && defined(__GNUC__)
static void sig_count_avx512(const sig *sg, const uint64_t *mask, size_t w, sig_counts *c);
#endif

/* Appends s as a JSON string, quotes included. */
static void json_str(sv4_buf *b, const char *s) {
  sv4_buf_putc(b, '"');
  const char *run = s;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p != '"' && *p != '\\' && *p >= 0x20) continue;
    sv4_buf_append(b, run, (size_t)((const char *)p - run));
    char esc[8];
    if (*p == '"' || *p == '\\')
      snprintf(esc, sizeof esc, "\\%c", *p);
    else
      snprintf(esc, sizeof esc, "\\u%04x", *p);
    sv4_buf_puts(b, esc);
    run = (const char *)p + 1;
  }
  sv4_buf_puts(b, run);
  sv4_buf_putc(b, '"');
}

static int dict_id(dict *d, const char *v, int add) {
  for (size_t i = 0; i < d->n; i++)
    if (!strcmp(d->v[i], v)) return (int)i;
  if (!add || d->n >= 65535) return -1;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 16;
    char **p = realloc(d->v, cap * sizeof *p);
    if (!p) return -1;
    d->v = p;
    uint16_t *r = realloc(d->rank, cap * sizeof *r);
    if (!r) return -1;
    d->rank = r;
    char **j = realloc(d->json, cap * sizeof *j);
    if (!j) return -1;
    d->json = j;
    size_t *jl = realloc(d->jlen, cap * sizeof *jl);
    if (!jl) return -1;
    d->jlen = jl;
    d->cap = cap;
  }
  sv4_buf js;
  sv4_buf_init(&js, 0);
  json_str(&js, v);
  if (!(d->json[d->n] = sv4_buf_steal(&js, &d->jlen[d->n]))) return -1;
  if (!(d->v[d->n] = strdup(v))) {
    free(d->json[d->n]);
    return -1;
  }
  uint16_t below = 0;
  for (size_t i = 0; i < d->n; i++) {
    if (strcmp(d->v[i], v) < 0)
      below++;
    else
      d->rank[i]++;
  }
  d->rank[d->n] = below;
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
  unsigned g = (unsigned)bit / 25 + 1, slot = (unsigned)bit % 25 + 1;
  if (slot >= 20)
    snprintf(buf, 8, "%u.%c", g, (char)('a' + (slot - 20)));
  else
    snprintf(buf, 8, "%u.%u", g, slot);
}

/* Decimal digits of v into buf (at least 21 bytes); returns the length. */
static size_t fmt_uint(char *buf, uint64_t v) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return n;
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
  r->published = src->published ? 1 : 0;
  r->owner = dict_or_zero(&ix->owners, src->owner);
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

/* Every bitset over rows is 64-byte aligned and a whole number of cache lines long (ix->words is a multiple of 16),
 * so the counting loops load whole lines and need no tail. */
static uint64_t *bits_new(size_t words) {
  void *p = NULL;
  size_t bytes = (words ? words : 8) * sizeof(uint64_t);
  if (posix_memalign(&p, 64, bytes)) return NULL;
  memset(p, 0, bytes);
  return p;
}

/* *b (from words) becomes to words long, the new words clear. */
static int grow_bits(uint64_t **b, size_t from, size_t to) {
  uint64_t *p = bits_new(to);
  if (!p) return -1;
  if (*b) memcpy(p, *b, from * sizeof *p);
  free(*b);
  *b = p;
  return 0;
}

static int grow_words(sv4_search_index *ix, size_t words) {
  if (words <= ix->words) return 0;
  if (grow_bits(&ix->alive_bits, ix->words, words) || grow_bits(&ix->pub_bits, ix->words, words) ||
      grow_bits(&ix->odd_years, ix->words, words))
    return -1;
  for (int f = 0; f < SV4_FACET_COUNT; f++) {
    for (size_t v = 0; v < ix->nvb[f]; v++)
      if (ix->vb[f][v] && grow_bits(&ix->vb[f][v], ix->words, words)) return -1;
    for (int k = 0; k < ix->planes[f].n; k++)
      if (grow_bits(&ix->planes[f].p[k], ix->words, words)) return -1;
  }
  for (int e = 0; e < 2; e++)
    for (int k = 0; k < ix->yplanes[e].n; k++)
      if (grow_bits(&ix->yplanes[e].p[k], ix->words, words)) return -1;
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
    if (!(ix->vb[f][v] = bits_new(ix->words))) return -1;
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

static void bit_put(uint64_t *b, size_t ri, int on) {
  if (on)
    b[ri / 64] |= 1ull << (ri % 64);
  else
    b[ri / 64] &= ~(1ull << (ri % 64));
}

/* 1 for the facets with exactly one value per row. */
static int facet_single(int fa) {
  return fa == SV4_FACET_TYPE || fa == SV4_FACET_COUNTRY || fa == SV4_FACET_REGION || fa == SV4_FACET_LANG ||
         fa == SV4_FACET_REVIEW;
}

static uint16_t row_single(const row *r, int fa) {
  switch (fa) {
    case SV4_FACET_TYPE:
      return r->type;
    case SV4_FACET_COUNTRY:
      return r->country;
    case SV4_FACET_REGION:
      return r->region;
    case SV4_FACET_LANG:
      return r->lang;
    default:
      return r->review;
  }
}

/* Sets or clears the plane bits of value id v for row ri, adding planes as ids grow. */
static int plane_put(sv4_search_index *ix, plane_set *ps, unsigned v, size_t ri, int on) {
  if (ps->off) return 0;
  if (v >> PLANES_MAX) {
    ps->off = 1; /* counted from the value bitsets from now on */
    return 0;
  }
  while (v >> ps->n) {
    if (!(ps->p[ps->n] = bits_new(ix->words))) return -1;
    ps->n++;
  }
  for (int k = 0; k < ps->n; k++)
    if (v >> k & 1) bit_put(ps->p[k], ri, on);
  return 0;
}

/* The first and last year slot row r is counted under in the year facet (year_span within the slots); 0 when
 * none. */
static int row_year_slots(const row *r, int *lo, int *hi) {
  if (!r->year_from) return 0;
  int from, to;
  year_span(r, &from, &to);
  if (from < YEAR_BASE) from = YEAR_BASE;
  if (to > YEAR_BASE + YEAR_SLOTS - 1) to = YEAR_BASE + YEAR_SLOTS - 1;
  *lo = from - YEAR_BASE;
  *hi = to - YEAR_BASE;
  return from <= to;
}

/* The year planes of row ri: short ids of its first and last slot, given on first sight. */
static int year_planes_put(sv4_search_index *ix, size_t ri, int on) {
  int slot[2];
  if (!row_year_slots(&ix->rows[ri], &slot[0], &slot[1])) return 0;
  int bad = 0;
  for (int e = 0; e < 2; e++) {
    unsigned id = ix->yid[e][slot[e]];
    if (!id && on && ix->nyid[e] + 1 < (1 << PLANES_MAX)) {
      id = (unsigned)++ix->nyid[e];
      ix->yid[e][slot[e]] = (uint8_t)id;
      ix->yslot[e][id] = (uint16_t)slot[e];
    }
    if (!id)
      ix->yplanes[e].off = 1;
    else
      bad |= plane_put(ix, &ix->yplanes[e], id, ri, on);
  }
  return bad;
}

/* The sig of row r; clears facets whose values do not fit from ix->sig_ok. */
static sig make_sig(sv4_search_index *ix, const row *r) {
  sig g;
  memset(&g, 0, sizeof g);
  for (int f = 0, k = 0; f < SV4_FACET_COUNT; f++) {
    if (!facet_single(f)) continue;
    unsigned v = row_single(r, f);
    if (v > 255) ix->sig_ok &= ~(1u << f);
    g.one[k++] = (uint8_t)v;
  }
  g.multi = r->sdg & 0x1ffffu;
  static const struct {
    int f, at, n;
  } packed[] = {{SV4_FACET_EGD, SIG_EGD, SIG_TAX - SIG_EGD},
                {SV4_FACET_TAXONOMY, SIG_TAX, SIG_SC - SIG_TAX},
                {SV4_FACET_SMARTCITY, SIG_SC, 64 - SIG_SC}};
  for (size_t i = 0; i < sizeof packed / sizeof *packed; i++) {
    uint64_t m = packed[i].f == SV4_FACET_EGD ? r->egd : packed[i].f == SV4_FACET_TAXONOMY ? r->taxonomy : r->smartcity;
    if (m >> packed[i].n) ix->sig_ok &= ~(1u << packed[i].f);
    g.multi |= (m & ((1ull << packed[i].n) - 1)) << packed[i].at;
  }
  for (int w = 0; w < TARGET_WORDS; w++)
    for (uint64_t m = r->targets[w]; m; m &= m - 1) {
      int b = w * 64 + __builtin_ctzll(m);
      if (!ix->tg_short[b] && ix->ntg < SIG_TARGETS) {
        ix->tg_bit[ix->ntg] = (uint16_t)b;
        ix->tg_short[b] = (uint8_t)++ix->ntg;
      }
      if (ix->tg_short[b])
        g.tg[(ix->tg_short[b] - 1) / 64] |= 1ull << ((ix->tg_short[b] - 1) % 64);
      else
        ix->sig_ok &= ~(1u << SV4_FACET_TARGET);
    }
  int lo, hi;
  g.years = row_year_slots(r, &lo, &hi) ? (uint16_t)(lo | (hi - lo) << 9) : SIG_NO_YEARS;
  return g;
}

/* Sets or clears every value bit of row ri. */
static int row_bits(sv4_search_index *ix, size_t ri, int on) {
  const row *r = &ix->rows[ri];
  int bad = 0;
  bit_put(ix->alive_bits, ri, on);
  if (r->published) bit_put(ix->pub_bits, ri, on);
  if (!r->published) ix->drafts += on ? 1 : (size_t)-1;
  bad |= vb_put(ix, SV4_FACET_TYPE, r->type, ri, on);
  bad |= vb_put(ix, SV4_FACET_COUNTRY, r->country, ri, on);
  bad |= vb_put(ix, SV4_FACET_REGION, r->region, ri, on);
  bad |= vb_put(ix, SV4_FACET_LANG, r->lang, ri, on);
  bad |= vb_put(ix, SV4_FACET_REVIEW, r->review, ri, on);
  for (int f = 0; f < SV4_FACET_COUNT; f++)
    if (facet_single(f)) bad |= plane_put(ix, &ix->planes[f], row_single(r, f), ri, on);
  bad |= year_planes_put(ix, ri, on);
  if (on)
    ix->sigs[ri] = make_sig(ix, r);
  else
    memset(&ix->sigs[ri], 0, sizeof ix->sigs[ri]);
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
    if (to < (int)r->year_to || from < YEAR_BASE || (int)r->year_to >= YEAR_BASE + YEAR_SLOTS) {
      bit_put(ix->odd_years, ri, on);
      ix->nodd_years += on ? 1 : (size_t)-1;
    }
  }
  return bad;
}

static void drop_caches(sv4_search_index *ix);

static int put_row(sv4_search_index *ix, const sv4_record_row *src) {
  if (src->id <= 0 || src->id > INT32_MAX) return 0;
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
    free(atomic_load_explicit(&r->brief, memory_order_relaxed));
    atomic_store_explicit(&r->brief, NULL, memory_order_relaxed);
  } else {
    if (ix->n == ix->cap) {
      size_t cap = ix->cap ? ix->cap * 2 : 1024;
      row *p = realloc(ix->rows, cap * sizeof *p);
      if (!p) return -1;
      ix->rows = p;
      uint32_t *y = realloc(ix->years, cap * sizeof *y);
      if (!y) return -1;
      ix->years = y;
      void *sg = NULL;
      if (posix_memalign(&sg, 64, cap * sizeof *ix->sigs)) return -1;
      if (ix->sigs) memcpy(sg, ix->sigs, ix->n * sizeof *ix->sigs);
      free(ix->sigs);
      ix->sigs = sg;
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
  if (sv4__tix_put(ix->tix, (uint32_t)ri, src->text, src->text_len)) {
    sv4__tix_drop(ix->tix, (uint32_t)ri);
    r->alive = 0;
    ix->alive--;
    ix->years[ri] = 0;
    return -1;
  }
  return row_bits(ix, ri, 1);
}

/* ---- counting kernels: popcount(a ∧ b) over w words, and the same for several b at once --------------------- */

static size_t and_count_sw(const uint64_t *a, const uint64_t *b, size_t w) {
  size_t n = 0;
  for (size_t i = 0; i < w; i++) n += (size_t)__builtin_popcountll(a[i] & b[i]);
  return n;
}

static void and_counts_sw(const uint64_t *a, const uint64_t *const *b, size_t nb, size_t w, size_t *out) {
  for (size_t j = 0; j < nb; j++) out[j] = and_count(a, b[j], w);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt"))) static size_t and_count_hw(const uint64_t *a, const uint64_t *b, size_t w) {
  size_t n = 0;
  for (size_t i = 0; i < w; i++) n += (size_t)__builtin_popcountll(a[i] & b[i]);
  return n;
}

/* AVX-512 VPOPCNTDQ, aligned whole lines (w a multiple of 8), two accumulators. */
__attribute__((target("avx512f,avx512vpopcntdq"))) static size_t and_count_avx512(const uint64_t *a,
                                                                                  const uint64_t *b, size_t w) {
  __m512i acc0 = _mm512_setzero_si512(), acc1 = acc0;
  size_t i = 0;
  for (; i + 16 <= w; i += 16) {
    acc0 = _mm512_add_epi64(acc0, _mm512_popcnt_epi64(_mm512_and_si512(_mm512_load_si512((const void *)(a + i)),
                                                                       _mm512_load_si512((const void *)(b + i)))));
    acc1 = _mm512_add_epi64(acc1, _mm512_popcnt_epi64(_mm512_and_si512(_mm512_load_si512((const void *)(a + i + 8)),
                                                                       _mm512_load_si512((const void *)(b + i + 8)))));
  }
  if (i < w)
    acc0 = _mm512_add_epi64(acc0, _mm512_popcnt_epi64(_mm512_and_si512(_mm512_load_si512((const void *)(a + i)),
                                                                       _mm512_load_si512((const void *)(b + i)))));
  return (size_t)_mm512_reduce_add_epi64(_mm512_add_epi64(acc0, acc1));
}

/* Four value bitsets per pass over a: each line of a is loaded once for all four. */
__attribute__((target("avx512f,avx512vpopcntdq"))) static void and_counts_avx512(const uint64_t *a,
                                                                                 const uint64_t *const *b, size_t nb,
                                                                                 size_t w, size_t *out) {
  size_t j = 0;
  for (; j + 4 <= nb; j += 4) {
    const uint64_t *b0 = b[j], *b1 = b[j + 1], *b2 = b[j + 2], *b3 = b[j + 3];
    __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
    for (size_t i = 0; i < w; i += 8) {
      __m512i x = _mm512_load_si512((const void *)(a + i));
      c0 = _mm512_add_epi64(c0, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_load_si512((const void *)(b0 + i)))));
      c1 = _mm512_add_epi64(c1, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_load_si512((const void *)(b1 + i)))));
      c2 = _mm512_add_epi64(c2, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_load_si512((const void *)(b2 + i)))));
      c3 = _mm512_add_epi64(c3, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_load_si512((const void *)(b3 + i)))));
    }
    out[j] = (size_t)_mm512_reduce_add_epi64(c0);
    out[j + 1] = (size_t)_mm512_reduce_add_epi64(c1);
    out[j + 2] = (size_t)_mm512_reduce_add_epi64(c2);
    out[j + 3] = (size_t)_mm512_reduce_add_epi64(c3);
  }
  for (; j < nb; j++) out[j] = and_count_avx512(a, b[j], w);
}

/* Counts of value ids 0..n-1 over mask a from bit planes p[0..np): sixteen ids per pass, ids 16g..16g+15 split off
 * by planes 4.. and then two planes at a time by ternary logic (minterm x ∧ (b = B) ∧ (c = C) is truth-table bit
 * 4 + 2B + C). */
#define TL(x, b, c, imm) _mm512_ternarylogic_epi64(x, b, c, imm)
#define PC(acc, v) acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(v))
__attribute__((target("avx512f,avx512vpopcntdq"))) static void plane_counts_avx512(const uint64_t *a,
                                                                                   uint64_t *const *p, int np, size_t n,
                                                                                   size_t w, size_t *out) {
  const __m512i zero = _mm512_setzero_si512();
  for (size_t g = 0; g * 16 < n; g++) {
    __m512i c[16];
    for (int j = 0; j < 16; j++) c[j] = zero;
    int half = n - g * 16 <= 8; /* ids 16g+8.. unused: plane 3 need not be split */
    for (size_t i = 0; i < w; i += 8) {
      __m512i x = _mm512_load_si512((const void *)(a + i));
      for (int k = 4; k < np; k++) {
        __m512i pk = _mm512_load_si512((const void *)(p[k] + i));
        x = g >> (k - 4) & 1 ? _mm512_and_si512(x, pk) : _mm512_andnot_si512(pk, x);
      }
      __m512i p0 = np > 0 ? _mm512_load_si512((const void *)(p[0] + i)) : zero;
      __m512i p1 = np > 1 ? _mm512_load_si512((const void *)(p[1] + i)) : zero;
      __m512i p2 = np > 2 ? _mm512_load_si512((const void *)(p[2] + i)) : zero;
      __m512i p3 = np > 3 ? _mm512_load_si512((const void *)(p[3] + i)) : zero;
      __m512i a0 = TL(x, p3, p2, 0x10), a1 = TL(x, p3, p2, 0x20);
      PC(c[0], TL(a0, p1, p0, 0x10));
      PC(c[1], TL(a0, p1, p0, 0x20));
      PC(c[2], TL(a0, p1, p0, 0x40));
      PC(c[3], TL(a0, p1, p0, 0x80));
      PC(c[4], TL(a1, p1, p0, 0x10));
      PC(c[5], TL(a1, p1, p0, 0x20));
      PC(c[6], TL(a1, p1, p0, 0x40));
      PC(c[7], TL(a1, p1, p0, 0x80));
      if (half) continue;
      __m512i a2 = TL(x, p3, p2, 0x40), a3 = TL(x, p3, p2, 0x80);
      PC(c[8], TL(a2, p1, p0, 0x10));
      PC(c[9], TL(a2, p1, p0, 0x20));
      PC(c[10], TL(a2, p1, p0, 0x40));
      PC(c[11], TL(a2, p1, p0, 0x80));
      PC(c[12], TL(a3, p1, p0, 0x10));
      PC(c[13], TL(a3, p1, p0, 0x20));
      PC(c[14], TL(a3, p1, p0, 0x40));
      PC(c[15], TL(a3, p1, p0, 0x80));
    }
    for (size_t j = 0; j < 16 && g * 16 + j < n; j++) out[g * 16 + j] = (size_t)_mm512_reduce_add_epi64(c[j]);
  }
}
#undef TL
#undef PC
#endif

static void bits_and_sw(uint64_t *dst, const uint64_t *a, size_t w) {
  for (size_t i = 0; i < w; i++) dst[i] &= a[i];
}

static void bits_or_sw(uint64_t *dst, const uint64_t *a, size_t w) {
  for (size_t i = 0; i < w; i++) dst[i] |= a[i];
}

#if defined(__x86_64__) && defined(__GNUC__)
/* The same 64 bytes a step (unaligned loads and stores: the text hits' bitsets come from calloc). */
__attribute__((target("avx512f"))) static void bits_and_avx512(uint64_t *dst, const uint64_t *a, size_t w) {
  size_t i = 0;
  for (; i + 8 <= w; i += 8)
    _mm512_storeu_si512((void *)(dst + i), _mm512_and_si512(_mm512_loadu_si512((const void *)(dst + i)),
                                                            _mm512_loadu_si512((const void *)(a + i))));
  for (; i < w; i++) dst[i] &= a[i];
}

__attribute__((target("avx512f"))) static void bits_or_avx512(uint64_t *dst, const uint64_t *a, size_t w) {
  size_t i = 0;
  for (; i + 8 <= w; i += 8)
    _mm512_storeu_si512((void *)(dst + i), _mm512_or_si512(_mm512_loadu_si512((const void *)(dst + i)),
                                                           _mm512_loadu_si512((const void *)(a + i))));
  for (; i < w; i++) dst[i] |= a[i];
}
#endif

typedef struct refresh_ctx {
  sv4_search_index *ix;
  int found, bad;
} refresh_ctx;

static int refresh_cb(void *ud, const sv4_record_row *r) {
  refresh_ctx *c = ud;
  c->found = 1;
  if (put_row(c->ix, r)) c->bad = 1;
  return c->bad;
}

/* The counting kernels: the CPU's widest (AVX-512 when it has it) or, simd = 0, the portable ones — which a test
 * compares with the others, since a machine without AVX-512 runs them. Process-wide. */
void sv4__search_kernels(int simd);
void sv4__search_kernels(int simd) {
  and_count = and_count_sw;
  and_counts = and_counts_sw;
  plane_counts = NULL;
  bits_and_fn = bits_and_sw;
  bits_or_fn = bits_or_sw;
  sort_ranked = NULL;
  sig_count = sig_count_sw;
#if defined(__x86_64__) && defined(__GNUC__)
  if (simd && __builtin_cpu_supports("popcnt")) and_count = and_count_hw;
  if (simd && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")) {
    and_count = and_count_avx512;
    and_counts = and_counts_avx512;
    plane_counts = plane_counts_avx512;
    bits_and_fn = bits_and_avx512;
    bits_or_fn = bits_or_avx512;
    sort_ranked = sort_keys_avx512;
    if (__builtin_cpu_supports("avx512bw")) sig_count = sig_count_avx512;
  }
#endif
}

sv4_rc sv4_search_index_build(sv4_store *s, sv4_search_index **out, sv4_error *err) {
  sv4_search_index *ix = calloc(1, sizeof *ix);
  if (!ix) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  sv4__search_kernels(1);
  pthread_rwlockattr_t la;
  pthread_rwlockattr_init(&la);
#if defined(__GLIBC__)
  /* searches never stop arriving under load: a waiting write must not starve behind them */
  pthread_rwlockattr_setkind_np(&la, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
  pthread_rwlock_init(&ix->lock, &la);
  pthread_rwlockattr_destroy(&la);
  pthread_mutex_init(&ix->perm_mu, NULL);
  pthread_mutex_init(&ix->tc_mu, NULL);
  for (int i = 0; i < SNIP_LOCKS; i++) pthread_mutex_init(&ix->snip_mu[i], NULL);
  ix->snips = calloc(SNIP_SETS * SNIP_WAYS, sizeof *ix->snips);
  ix->tix = sv4__tix_new();
  for (int b = 0; b < TARGET_BITS; b++) {
    target_code(b, ix->target_codes[b]);
    snprintf(ix->target_json[b], sizeof ix->target_json[b], "\"%s\"", ix->target_codes[b]);
    ix->target_jlen[b] = (uint8_t)strlen(ix->target_json[b]);
  }
  for (int b = 0; b < TARGET_BITS; b++)
    for (int c = 0; c < TARGET_BITS; c++)
      if (strcmp(ix->target_codes[c], ix->target_codes[b]) < 0) ix->target_rank[b]++;
  ix->sig_ok = (1u << SV4_FACET_COUNT) - 1;
  /* value 0 of every dictionary is "" (unknown) */
  for (int f = 0; f < SV4_FACET_COUNT; f++) dict_id(&ix->dicts[f], "", 1);
  dict_id(&ix->owners, "", 1);
  refresh_ctx c = {ix, 0, 0};
  sv4_rc rc = SV4_OK;
  if (!ix->snips || !ix->tix) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  } else {
    sv4__tix_bulk(ix->tix);
    rc = SV4_STORE_OPS(s)->record_rows_each(s, 0, refresh_cb, &c, err);
    if (!rc && (c.bad || sv4__tix_finish(ix->tix))) rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  if (rc) {
    sv4_search_index_free(ix);
    return rc;
  }
  *out = ix;
  return SV4_OK;
}

sv4_rc sv4_search_index_refresh(sv4_search_index *ix, sv4_store *s, int64_t id, sv4_error *err) {
  refresh_ctx c = {ix, 0, 0};
  pthread_rwlock_wrlock(&ix->lock);
  sv4_rc rc = SV4_STORE_OPS(s)->record_rows_each(s, id, refresh_cb, &c, err);
  if (!rc && c.bad) rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory indexing record %lld", (long long)id);
  if ((c.bad || (!rc && !c.found)) && id > 0 && (size_t)id < ix->nslot && ix->slot[id]) {
    /* gone from the store, or half indexed (out of memory): out of the index */
    size_t ri = (size_t)ix->slot[id] - 1;
    row *r = &ix->rows[ri];
    if (r->alive) {
      ix->alive--;
      row_bits(ix, ri, 0);
    }
    r->alive = 0;
    ix->years[ri] = 0;
    r->gen++;
    free(atomic_load_explicit(&r->brief, memory_order_relaxed));
    atomic_store_explicit(&r->brief, NULL, memory_order_relaxed);
    sv4__tix_drop(ix->tix, (uint32_t)ri);
  }
  ix->gen++;
  drop_caches(ix);
  pthread_rwlock_unlock(&ix->lock);
  return rc;
}

size_t sv4_search_index_count(const sv4_search_index *ix) { return ix->alive; }

/* The owner's dictionary id for a contributor who may see their own drafts, else 0. Caller holds the lock. */
static int own_drafts_of(sv4_search_index *ix, sv4_role role, const char *user) {
  if (role != SV4_ROLE_CONTRIBUTOR || !user || !*user || !ix->drafts) return 0;
  int o = dict_id(&ix->owners, user, 0);
  return o > 0 ? o : 0;
}

int sv4_search_visible(sv4_search_index *ix, int64_t id, sv4_role role, const char *user) {
  int ok = 0;
  pthread_rwlock_rdlock(&ix->lock);
  if (id > 0 && (size_t)id < ix->nslot && ix->slot[id]) {
    const row *r = &ix->rows[ix->slot[id] - 1];
    ok = r->alive && (r->published || role >= SV4_ROLE_REVIEWER ||
                      (r->owner && r->owner == own_drafts_of(ix, role, user)));
  }
  pthread_rwlock_unlock(&ix->lock);
  return ok;
}

/* The rows the viewer may see, into out (w words). Caller holds the read lock. */
static void visible_bits(sv4_search_index *ix, sv4_role role, const char *user, uint64_t *out, size_t w) {
  if (role >= SV4_ROLE_REVIEWER) {
    memcpy(out, ix->alive_bits, w * sizeof *out);
    return;
  }
  memcpy(out, ix->pub_bits, w * sizeof *out);
  int o = own_drafts_of(ix, role, user);
  if (!o) return;
  for (size_t i = 0; i < w; i++)
    for (uint64_t d = ix->alive_bits[i] & ~ix->pub_bits[i]; d; d &= d - 1) {
      size_t ri = i * 64 + (size_t)__builtin_ctzll(d);
      if (ix->rows[ri].owner == o) out[i] |= 1ull << (ri % 64);
    }
}

void sv4_search_index_free(sv4_search_index *ix) {
  if (!ix) return;
  drop_caches(ix);
  for (size_t i = 0; i < SNIP_SETS * SNIP_WAYS && ix->snips; i++) {
    free(ix->snips[i].fts);
    free(ix->snips[i].text);
  }
  free(ix->snips);
  sv4__tix_free(ix->tix);
  for (size_t i = 0; i < ix->owners.n; i++) {
    free(ix->owners.v[i]);
    free(ix->owners.json[i]);
  }
  free(ix->owners.v);
  free(ix->owners.json);
  free(ix->owners.jlen);
  free(ix->owners.rank);
  for (int f = 0; f < SV4_FACET_COUNT; f++) {
    for (size_t i = 0; i < ix->dicts[f].n; i++) {
      free(ix->dicts[f].v[i]);
      free(ix->dicts[f].json[i]);
    }
    free(ix->dicts[f].v);
    free(ix->dicts[f].json);
    free(ix->dicts[f].jlen);
    free(ix->dicts[f].rank);
    for (size_t v = 0; v < ix->nvb[f]; v++) free(ix->vb[f][v]);
    free(ix->vb[f]);
    for (int k = 0; k < ix->planes[f].n; k++) free(ix->planes[f].p[k]);
  }
  for (int e = 0; e < 2; e++)
    for (int k = 0; k < ix->yplanes[e].n; k++) free(ix->yplanes[e].p[k]);
  for (size_t i = 0; i < ix->n; i++) free(atomic_load_explicit(&ix->rows[i].brief, memory_order_relaxed));
  free(ix->alive_bits);
  free(ix->pub_bits);
  free(ix->odd_years);
  free(ix->years);
  free(ix->sigs);
  free(ix->rows);
  free(ix->slot);
  pthread_mutex_destroy(&ix->perm_mu);
  pthread_mutex_destroy(&ix->tc_mu);
  for (int i = 0; i < SNIP_LOCKS; i++) pthread_mutex_destroy(&ix->snip_mu[i]);
  pthread_rwlock_destroy(&ix->lock);
  free(ix);
}

/* ---- query text → FTS5 ---------------------------------------------------------------------------------- */

static int is_word_byte(unsigned char c) { return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'); }

static int stop_at_first(void *ud, const char *tok, size_t len, size_t start, size_t end) {
  (void)ud, (void)tok, (void)len, (void)start, (void)end;
  return 1;
}

/* 1 when the tokenizer finds a word in s (punctuation such as "—" or "…" passes is_word_byte but has none). */
static int has_token(const char *s, size_t n) { return sv4__tokenize(s, n, stop_at_first, NULL) != 0; }

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
      if (phrase.len && has_token(phrase.data, phrase.len)) {
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
    if (!has_token(s, n)) continue; /* no word in it: an empty phrase would match nothing */
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
  pthread_mutex_destroy(&t->mu);
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
  const char *json; /* value as a JSON string, quotes included */
  size_t jlen;      /* its length */
  char num[24], quoted[24]; /* a number's value and JSON */
  size_t count;
} facet_value;

static int u64_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

#if defined(__x86_64__) && defined(__GNUC__)
/* Sorts n <= SORT_RANKED distinct keys by rank: each key goes where as many keys are smaller, counted eight at a
 * time with no branch to mispredict (a comparison sort of facet values mispredicts every other step). */
__attribute__((target("avx512f"))) static void sort_keys_avx512(uint64_t *k, size_t n) {
  uint64_t in[SORT_RANKED + 8];
  memcpy(in, k, n * sizeof *k);
  for (size_t j = n; j < n + 8; j++) in[j] = UINT64_MAX; /* padding: never smaller */
  for (size_t i = 0; i < n; i++) {
    __m512i x = _mm512_set1_epi64((long long)in[i]);
    size_t below = 0;
    for (size_t j = 0; j < n; j += 8)
      below += (size_t)__builtin_popcount(_mm512_cmplt_epu64_mask(_mm512_loadu_si512((const void *)(in + j)), x));
    k[below] = in[i];
  }
}
#endif

/* Sorts keys ascending (distinct: they end in the value id): by rank where the CPU has AVX-512, else Shell sort
 * (Ciura's gaps) for the usual few dozen and qsort beyond. */
static void sort_keys(uint64_t *k, size_t n) {
  static const size_t gaps[] = {57, 23, 10, 4, 1};
  if (n <= SORT_RANKED && sort_ranked) {
    sort_ranked(k, n);
    return;
  }
  if (n > 160) {
    qsort(k, n, sizeof *k, u64_cmp);
    return;
  }
  for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++) {
    size_t h = gaps[g];
    for (size_t i = h; i < n; i++) {
      uint64_t x = k[i];
      size_t j = i;
      for (; j >= h && k[j - h] > x; j -= h) k[j] = k[j - h];
      k[j] = x;
    }
  }
}

/* The facet's non-zero values in report order into v (room for nc), keys as scratch (room for nc): count
 * descending, ties in byte order of the value; SDG goals and years by number. Returns how many. */
static size_t facet_values(const sv4_search_index *ix, const size_t *c, size_t nc, int f, facet_value *v,
                           uint64_t *key) {
  size_t m = 0;
  int numeric = f == SV4_FACET_SDG || f == SV4_FACET_YEAR;
  for (size_t i = 0; i < nc; i++) {
    if (!c[i]) continue;
    if (!numeric && f != SV4_FACET_TARGET && (!i || i >= ix->dicts[f].n)) continue; /* "" is not selectable */
    uint64_t tie = f == SV4_FACET_TARGET ? ix->target_rank[i] : numeric ? 0 : ix->dicts[f].rank[i];
    uint64_t cnt = c[i] > 0xffffffffu ? 0xffffffffu : c[i];
    key[m++] = numeric ? i : (0xffffffffu - cnt) << 32 | tie << 16 | i;
  }
  if (!numeric) sort_keys(key, m);
  for (size_t j = 0; j < m; j++) {
    size_t i = (size_t)(key[j] & 0xffff);
    facet_value *x = &v[j];
    x->count = c[i];
    switch (f) {
      case SV4_FACET_SDG:
      case SV4_FACET_YEAR: {
        size_t k = fmt_uint(x->num, f == SV4_FACET_SDG ? i + 1 : i + YEAR_BASE);
        x->quoted[0] = '"';
        memcpy(x->quoted + 1, x->num, k);
        x->quoted[k + 1] = '"';
        x->quoted[k + 2] = '\0';
        x->value = x->num;
        x->json = x->quoted;
        x->jlen = k + 2;
        break;
      }
      case SV4_FACET_TARGET:
        x->value = ix->target_codes[i];
        x->json = ix->target_json[i];
        x->jlen = ix->target_jlen[i];
        break;
      default:
        x->value = ix->dicts[f].v[i];
        x->json = ix->dicts[f].json[i];
        x->jlen = ix->dicts[f].jlen[i];
    }
  }
  return m;
}

static json_t *facet_json(facet_value *v, size_t m) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < m; i++)
    json_array_append_new(a, json_pack("{s:s,s:I}", "value", v[i].value, "count", (json_int_t)v[i].count));
  return a;
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
      if (x->text != y->text) return x->text ? -1 : 1; /* text matches before the rows found by codes */
      if (x->score != y->score) return x->score < y->score ? 1 : -1;
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

static void bits_and(uint64_t *dst, const uint64_t *a, size_t w) { bits_and_fn(dst, a, w); }

static void bits_or(uint64_t *dst, const uint64_t *a, size_t w) {
  if (a) bits_or_fn(dst, a, w);
}

/* The rows carrying any of the "scheme:code" tokens, ORed into out (w words), from the value bitsets. */
static void code_bits(const sv4_search_index *ix, const char *codes, uint64_t *out, size_t w) {
  char tok[64], scheme[16];
  for (const char *p = codes; p && *p;) {
    size_t n = strcspn(p, " ");
    if (n && n < sizeof tok) {
      memcpy(tok, p, n);
      tok[n] = '\0';
      const char *code = also_scheme_code(tok, scheme, sizeof scheme);
      int fa = -1;
      long v = -1;
      if (code && !strcmp(scheme, "sdg")) {
        if (strchr(code, '.')) {
          fa = SV4_FACET_TARGET;
          v = target_bit(code);
        } else if (atoi(code) >= 1 && atoi(code) <= 17) {
          fa = SV4_FACET_SDG;
          v = atoi(code) - 1;
        }
      } else if (code) {
        fa = !strcmp(scheme, "egd") ? SV4_FACET_EGD : !strcmp(scheme, "taxonomy") ? SV4_FACET_TAXONOMY
             : !strcmp(scheme, "smartcity") ? SV4_FACET_SMARTCITY : -1;
        v = fa >= 0 ? dict_id((dict *)&ix->dicts[fa], code, 0) : -1;
        if (v >= 64) v = -1;
      }
      if (fa >= 0 && v >= 0 && (size_t)v < ix->nvb[fa]) bits_or(out, ix->vb[fa][v], w);
    }
    p += n;
    while (*p == ' ') p++;
  }
}

/* The hits of fts (+ codes) for this generation: from the cache, or from the text index and then cached. The
 * entry is held (refs) until tentry_release. Caller holds the read lock. */
static sv4_rc tentry_get(sv4_search_index *ix, const char *fts, const char *codes, tentry **out, sv4_error *err) {
  size_t kl = strlen(fts), cl = codes ? strlen(codes) : 0;
  char *key = malloc(kl + cl + 2);
  if (!key) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  memcpy(key, fts, kl);
  key[kl] = '\x01';
  memcpy(key + kl + 1, codes ? codes : "", cl + 1);
  pthread_mutex_lock(&ix->tc_mu);
  for (int i = 0; i < TCACHE_MAX; i++) {
    tentry *t = ix->tc[i];
    if (t && !strcmp(t->key, key)) {
      t->refs++;
      t->used = ++ix->tick;
      pthread_mutex_unlock(&ix->tc_mu);
      free(key);
      *out = t;
      return SV4_OK;
    }
  }
  pthread_mutex_unlock(&ix->tc_mu);

  sv4_rc rc;
  tentry *t = calloc(1, sizeof *t);
  if (!t) {
    free(key);
    return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  pthread_mutex_init(&t->mu, NULL);
  size_t w = (ix->n + 63) / 64;
  uint64_t *cb = calloc(w ? w : 1, sizeof *cb);
  if (!cb) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto fail;
  }
  /* the rows carrying one of the codes join the text hits (rank 0, after every text hit) */
  if (codes && *codes) code_bits(ix, codes, cb, w);
  if ((rc = sv4__tix_query(ix->tix, fts, cb, w, &t->by_row, &t->n, err))) goto fail;
  t->key = key;
  key = NULL;
  t->words = w;
  memset(cb, 0, (w ? w : 1) * sizeof *cb);
  t->bits = cb;
  cb = NULL;
  t->order = malloc((t->n ? t->n : 1) * sizeof *t->order);
  if (!t->order) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto fail;
  }
  for (size_t k = 0; k < t->n; k++) {
    uint32_t r = t->by_row[k].row;
    if (r < w * 64) t->bits[r / 64] |= 1ull << (r % 64); /* always: the text index numbers rows like ix */
    t->order[k] = (int32_t)k;
  }
  t->bytes = t->n * (sizeof *t->by_row + sizeof *t->order) + t->words * 8 + strlen(t->key);
  t->refs = 1;
  /* cache it when there is room (or an idle entry to evict); otherwise it lives for this query only */
  pthread_mutex_lock(&ix->tc_mu);
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
  pthread_mutex_unlock(&ix->tc_mu);
  *out = t;
  return SV4_OK;
fail:
  free(key);
  free(cb);
  tentry_free(t);
  return rc;
}

static void tentry_release(sv4_search_index *ix, tentry *t) {
  if (!t) return;
  if (t->refs < 0) {
    tentry_free(t);
    return;
  }
  pthread_mutex_lock(&ix->tc_mu);
  t->refs--;
  pthread_mutex_unlock(&ix->tc_mu);
}

static void swap32(int32_t *a, int32_t *b) {
  int32_t x = *a;
  *a = *b;
  *b = x;
}

/* Moves the k best of a[0..n) (by idx_cmp) to the front, in no particular order (quickselect, median of three). */
static void select_best(int32_t *a, size_t n, size_t k, order_ctx *oc) {
  size_t lo = 0, hi = n; /* the k-th best lies in a[lo..hi) */
  while (hi - lo > 16 && k > lo && k < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (idx_cmp(&a[mid], &a[lo], oc) < 0) swap32(&a[mid], &a[lo]);
    if (idx_cmp(&a[hi - 1], &a[lo], oc) < 0) swap32(&a[hi - 1], &a[lo]);
    if (idx_cmp(&a[hi - 1], &a[mid], oc) < 0) swap32(&a[hi - 1], &a[mid]);
    int32_t pivot = a[mid];
    swap32(&a[mid], &a[hi - 1]);
    size_t store = lo;
    for (size_t i = lo; i < hi - 1; i++)
      if (idx_cmp(&a[i], &pivot, oc) < 0) swap32(&a[i], &a[store++]);
    swap32(&a[store], &a[hi - 1]); /* rows are distinct: no two entries compare equal */
    if (store + 1 == k || store == k) return;
    if (store > k)
      hi = store;
    else
      lo = store + 1;
  }
  if (k > lo && k < hi) qsort_r(a + lo, hi - lo, sizeof *a, idx_cmp, oc);
}

/* Makes order[0..need) of t the best `need` hits, best first, extending the sorted prefix in steps; returns the
 * sorted prefix's length (≥ need unless t has fewer hits). Caller holds the read lock. */
static size_t tentry_ordered(sv4_search_index *ix, tentry *t, size_t need) {
  pthread_mutex_lock(&t->mu);
  if (need > t->n) need = t->n;
  if (t->nordered < need) {
    size_t upto = t->nordered * 4 > need ? t->nordered * 4 : need;
    if (upto < 256) upto = 256;
    if (upto > t->n) upto = t->n;
    order_ctx oc = {{ix, SV4_SORT_RELEVANCE}, t->by_row};
    int32_t *rest = t->order + t->nordered;
    size_t nrest = t->n - t->nordered, k = upto - t->nordered;
    if (k < nrest) select_best(rest, nrest, k, &oc);
    qsort_r(rest, k, sizeof *rest, idx_cmp, &oc);
    t->nordered = upto;
  }
  size_t r = t->nordered;
  pthread_mutex_unlock(&t->mu);
  return r;
}

/* Alive rows in sort order `by` (NEWEST for RELEVANCE), built once per generation. Caller holds the read lock. */
static const int32_t *perm_get(sv4_search_index *ix, sv4_sort by, size_t *n) {
  if (by == SV4_SORT_RELEVANCE) by = SV4_SORT_NEWEST;
  pthread_mutex_lock(&ix->perm_mu);
  if (!ix->perm[by]) {
    cand *c = malloc((ix->alive ? ix->alive : 1) * sizeof *c);
    int32_t *p = malloc((ix->alive ? ix->alive : 1) * sizeof *p);
    if (c && p) {
      size_t m = 0;
      for (size_t i = 0; i < ix->n; i++)
        if (ix->rows[i].alive) c[m++] = (cand){.row = (uint32_t)i};
      sort_ctx sc = {ix, by};
      qsort_r(c, m, sizeof *c, cand_cmp, &sc);
      for (size_t i = 0; i < m; i++) p[i] = (int32_t)c[i].row;
      ix->perm[by] = p;
      ix->nperm[by] = m;
      p = NULL;
    }
    free(c);
    free(p);
  }
  const int32_t *r = ix->perm[by];
  *n = ix->nperm[by];
  pthread_mutex_unlock(&ix->perm_mu);
  return r;
}

static const cand *tentry_find(const tentry *t, uint32_t ri) {
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
    case SV4_FACET_YEAR: {
      /* periods overlapping [from, to]: a row is in the year bitset of every year of its period, so for
       * from <= to the union of those years' bitsets is the answer, but for the few rows whose period the
       * bitsets do not hold whole; those (and an inverted range) are checked one by one */
      int from = f->year_from ? f->year_from : YEAR_BASE, to = f->year_to ? f->year_to : YEAR_BASE + YEAR_SLOTS - 1;
      if (from < YEAR_BASE) from = YEAR_BASE;
      if (from <= to) {
        for (int y = from; y <= to && y < YEAR_BASE + YEAR_SLOTS; y++)
          if ((size_t)(y - YEAR_BASE) < ix->nvb[fa]) bits_or(out, ix->vb[fa][y - YEAR_BASE], w);
      }
      int all = from > to || (f->year_from && f->year_from < YEAR_BASE);
      for (size_t i = 0; i < w && (ix->nodd_years || all); i++) {
        uint64_t check = all ? ix->alive_bits[i] : ix->odd_years[i];
        for (; check; check &= check - 1) {
          size_t ri = i * 64 + (size_t)__builtin_ctzll(check);
          uint32_t y = ix->years[ri];
          int yf = (int)(y >> 16), yt = (int)(y & 0xffff);
          if (!yf || (f->year_to && yf > f->year_to) || (f->year_from && yt < f->year_from))
            out[i] &= ~(1ull << (ri % 64));
          else
            out[i] |= 1ull << (ri % 64);
        }
      }
      break;
    }
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

/* Value 0 of a dictionary facet is "unknown": never counted nor reported. */
static int facet_named(int fa) { return fa != SV4_FACET_SDG && fa != SV4_FACET_TARGET && fa != SV4_FACET_YEAR; }

/* What counting costs, in nanoseconds of a current x86 core (measured with bench/search_micro.sh): an AND +
 * popcount pass over a value bitset per word of it, a pass of 16 ids over bit planes per word, and one pass over the
 * sigs of a mask's rows (every facet at once) per row. */
#define COST_WORD 0.19
#define COST_PLANES 0.9
#define COST_ROW 20.0

/* Tests and bench/search_micro only (declared where used): 0 counts each facet the cheapest way, 1 from the value
 * bitsets alone (the reference), 2 from the sigs whenever they hold a facet, 3 never from the sigs. */
extern int sv4__search_count_mode;
int sv4__search_count_mode = 0;

/* 1 when single-valued facet fa counts from its bit planes. */
static int facet_planes(const sv4_search_index *ix, int fa) {
  return facet_single(fa) && plane_counts && !ix->planes[fa].off && facet_slots(ix, fa) <= (1u << PLANES_MAX) &&
         sv4__search_count_mode != 1;
}

/* 1 when the year facet counts from the planes of first and last years. */
static int year_planes(const sv4_search_index *ix) {
  return plane_counts && !ix->yplanes[0].off && !ix->yplanes[1].off && sv4__search_count_mode != 1;
}

/* counts[0..YEAR_SLOTS) of the year facet over mask from the year planes: rows from each first slot on, minus rows
 * whose last slot lies before. */
static void year_plane_counts(const sv4_search_index *ix, const uint64_t *mask, size_t w, size_t *counts) {
  size_t first[1 << PLANES_MAX], last[1 << PLANES_MAX];
  int64_t diff[YEAR_SLOTS + 1] = {0};
  plane_counts(mask, ix->yplanes[0].p, ix->yplanes[0].n, (size_t)ix->nyid[0] + 1, w, first);
  plane_counts(mask, ix->yplanes[1].p, ix->yplanes[1].n, (size_t)ix->nyid[1] + 1, w, last);
  for (int id = 1; id <= ix->nyid[0]; id++) diff[ix->yslot[0][id]] += (int64_t)first[id];
  for (int id = 1; id <= ix->nyid[1]; id++) diff[ix->yslot[1][id] + 1] -= (int64_t)last[id];
  int64_t run = 0;
  for (int y = 0; y < YEAR_SLOTS; y++) counts[y] = (size_t)(run += diff[y]);
}

/* What counting facet fa costs from its value bitsets or bit planes over w words. */
static double bits_cost(const sv4_search_index *ix, int fa, size_t w) {
  size_t nc = facet_slots(ix, fa);
  if (facet_planes(ix, fa) && ix->planes[fa].n <= 1) return (double)w * COST_WORD;
  if (facet_planes(ix, fa)) return (double)((nc + 15) / 16) * (double)w * COST_PLANES;
  if (fa == SV4_FACET_YEAR && year_planes(ix))
    return (double)((ix->nyid[0] + 16) / 16 + (ix->nyid[1] + 16) / 16) * (double)w * COST_PLANES;
  size_t nv = 0;
  for (size_t v = facet_named(fa) ? 1 : 0; v < nc && v < ix->nvb[fa]; v++) nv += ix->vb[fa][v] != NULL;
  return (double)nv * (double)w * COST_WORD;
}

/* The facets (bit per facet; skip[fa] set: left out) to count in one pass over the sigs of a mask's pop rows (w
 * words): every one a sig holds when that pass costs less than their bitsets, else none. */
static unsigned rows_or_bits(const sv4_search_index *ix, size_t pop, size_t w, const int *skip) {
  unsigned want = 0;
  double bits = 0;
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++)
    if (!skip[fa] && ix->sig_ok & 1u << fa) {
      want |= 1u << fa;
      bits += bits_cost(ix, fa, w);
    }
  if (sv4__search_count_mode) return sv4__search_count_mode == 2 ? want : 0;
  return (double)pop * COST_ROW < bits ? want : 0;
}

/* What one pass over the sigs of a mask's rows counts, every facet at once: the bits of sig.multi and the short
 * target ids (lanes), the five single-valued ids (one[k][id]) and the years as a difference array (+1 at the first
 * slot of a row, -1 after its last). Scalar counters in SIG_COPIES copies, row i adding to copy i % SIG_COPIES:
 * rows in a row mostly share their type or language, and an add waiting for the previous add to the same counter
 * would cost a store-to-load round trip each. */
#define SIG_COPIES 4
#define SIG_AHEAD 32
typedef struct sig_counts {
  uint32_t lanes[64 + SIG_TARGETS];
  uint32_t one[SIG_COPIES][5][256];
  uint32_t years[SIG_COPIES][YEAR_SLOTS + 1];
} sig_counts;

static const int sig_one[5] = {SV4_FACET_TYPE, SV4_FACET_COUNTRY, SV4_FACET_REGION, SV4_FACET_LANG, SV4_FACET_REVIEW};

static void sig_count_sw(const sig *sg, const uint64_t *mask, size_t w, sig_counts *c) {
  for (size_t i = 0; i < w; i++)
    for (uint64_t b = mask[i]; b; b &= b - 1) {
      const sig *g = sg + i * 64 + (size_t)__builtin_ctzll(b);
      for (uint64_t x = g->multi; x; x &= x - 1) c->lanes[__builtin_ctzll(x)]++;
      for (int k = 0; k < 2; k++)
        for (uint64_t x = g->tg[k]; x; x &= x - 1) c->lanes[64 + k * 64 + __builtin_ctzll(x)]++;
      for (int k = 0; k < 5; k++) c->one[0][k][g->one[k]]++;
      if (g->years != SIG_NO_YEARS) {
        c->years[0][g->years & 511u]++;
        c->years[0][(g->years & 511u) + (g->years >> 9) + 1u]--;
      }
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
/* Adds the 64 byte counters of v to acc[0..64). */
#define LANES_ADD(v, acc, q)                                                                 \
  _mm512_storeu_si512((void *)((acc) + 16 * (q)),                                            \
                      _mm512_add_epi32(_mm512_loadu_si512((const void *)((acc) + 16 * (q))), \
                                       _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32((v), (q)))))
__attribute__((target("avx512f,avx512bw"))) static inline void lanes_flush(__m512i v, uint32_t *acc) {
  LANES_ADD(v, acc, 0);
  LANES_ADD(v, acc, 1);
  LANES_ADD(v, acc, 2);
  LANES_ADD(v, acc, 3);
}
#undef LANES_ADD

/* The same with a row's masks as the write masks of byte adds, one instruction per mask and row, the byte
 * counters moved to lanes every 255 rows. */
__attribute__((target("avx512f,avx512bw"))) static void sig_count_avx512(const sig *sg, const uint64_t *mask, size_t w,
                                                                         sig_counts *c) {
  const __m512i one = _mm512_set1_epi8(1), zero = _mm512_setzero_si512();
  __m512i m8 = zero, t0 = zero, t1 = zero;
  unsigned k = 0;
  /* a second cursor SIG_AHEAD rows ahead fetches their sigs early: a sparse mask's rows lie far apart */
  size_t pi = 0;
  uint64_t pb = w ? mask[0] : 0;
  for (int a = 0; a < SIG_AHEAD; a++) {
    while (!pb && ++pi < w) pb = mask[pi];
    if (!pb) break;
    _mm_prefetch((const char *)(sg + pi * 64 + (size_t)__builtin_ctzll(pb)), _MM_HINT_T0);
    pb &= pb - 1;
  }
  for (size_t i = 0; i < w; i++) {
    const sig *at = sg + i * 64;
    for (uint64_t b = mask[i]; b; b &= b - 1) {
      while (!pb && pi + 1 < w) pb = mask[++pi];
      if (pb) {
        _mm_prefetch((const char *)(sg + pi * 64 + (size_t)__builtin_ctzll(pb)), _MM_HINT_T0);
        pb &= pb - 1;
      }
      const sig *g = at + __builtin_ctzll(b);
      m8 = _mm512_mask_add_epi8(m8, _cvtu64_mask64(g->multi), m8, one);
      t0 = _mm512_mask_add_epi8(t0, _cvtu64_mask64(g->tg[0]), t0, one);
      t1 = _mm512_mask_add_epi8(t1, _cvtu64_mask64(g->tg[1]), t1, one);
      uint32_t(*one_c)[256] = c->one[k % SIG_COPIES];
      one_c[0][g->one[0]]++;
      one_c[1][g->one[1]]++;
      one_c[2][g->one[2]]++;
      one_c[3][g->one[3]]++;
      one_c[4][g->one[4]]++;
      unsigned y = g->years, lo = y & 511u;
      if (y != SIG_NO_YEARS) {
        uint32_t *yc = c->years[k % SIG_COPIES];
        yc[lo]++;
        yc[lo + (y >> 9) + 1]--;
      }
      if (++k == 255) { /* byte counters hold up to 255 */
        lanes_flush(m8, c->lanes);
        lanes_flush(t0, c->lanes + 64);
        lanes_flush(t1, c->lanes + 128);
        m8 = t0 = t1 = zero;
        k = 0;
      }
    }
  }
  lanes_flush(m8, c->lanes);
  lanes_flush(t0, c->lanes + 64);
  lanes_flush(t1, c->lanes + 128);
}
#endif

/* Counts facets `want` over the rows of mask (w words) in one pass over their sigs, into c[fa] (facet_slots
 * entries; the year facet as a difference array of one more). sc: scratch. */
static void count_rows(const sv4_search_index *ix, const uint64_t *mask, size_t w, unsigned want, uint32_t *const *c,
                       sig_counts *sc) {
  memset(sc, 0, sizeof *sc);
  sig_count(ix->sigs, mask, w, sc);
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++)
    if (want & 1u << fa) memset(c[fa], 0, (facet_slots(ix, fa) + (fa == SV4_FACET_YEAR)) * sizeof *c[fa]);
  for (int k = 0; k < 5; k++)
    if (want & 1u << sig_one[k])
      for (size_t v = 0; v < facet_slots(ix, sig_one[k]) && v < 256; v++)
        for (int j = 0; j < SIG_COPIES; j++) c[sig_one[k]][v] += sc->one[j][k][v];
  if (want & 1u << SV4_FACET_YEAR)
    for (size_t v = 0; v <= YEAR_SLOTS; v++)
      for (int j = 0; j < SIG_COPIES; j++) c[SV4_FACET_YEAR][v] += sc->years[j][v];
  if (want & 1u << SV4_FACET_SDG)
    for (int g = 0; g < 17; g++) c[SV4_FACET_SDG][g] = sc->lanes[g];
  static const struct {
    int f, at, n;
  } packed[] = {{SV4_FACET_EGD, SIG_EGD, SIG_TAX - SIG_EGD},
                {SV4_FACET_TAXONOMY, SIG_TAX, SIG_SC - SIG_TAX},
                {SV4_FACET_SMARTCITY, SIG_SC, 64 - SIG_SC}};
  for (size_t i = 0; i < sizeof packed / sizeof *packed; i++)
    if (want & 1u << packed[i].f)
      for (size_t v = 0; v < (size_t)packed[i].n && v < facet_slots(ix, packed[i].f); v++)
        c[packed[i].f][v] = sc->lanes[packed[i].at + (int)v];
  if (want & 1u << SV4_FACET_TARGET)
    for (int d = 0; d < ix->ntg; d++) c[SV4_FACET_TARGET][ix->tg_bit[d]] = sc->lanes[64 + d];
}

/* counts[0..nc) of facet fa from its row-by-row counts rc. */
static void row_counts(const uint32_t *rc, int fa, size_t *counts, size_t nc) {
  uint32_t run = 0;
  for (size_t v = 0; v < nc; v++) counts[v] = fa == SV4_FACET_YEAR ? (run += rc[v]) : rc[v];
  if (facet_named(fa) && nc) counts[0] = 0;
}

/* Appends facet fa's values as JSON text (the same as the facet JSON, member order included), a few hundred bytes
 * at a time. */
static void facets_text(sv4_buf *ft, int fa, const facet_value *fv, size_t nv) {
  char out[1024];
  size_t n = 0, nl = strlen(facet_names[fa]);
  out[n++] = fa ? ',' : '{';
  out[n++] = '"';
  memcpy(out + n, facet_names[fa], nl);
  n += nl;
  memcpy(out + n, "\":[", 3);
  n += 3;
  for (size_t i = 0; i < nv; i++) {
    size_t jl = fv[i].jlen;
    if (n + jl + 64 > sizeof out) {
      sv4_buf_append(ft, out, n);
      n = 0;
      if (jl + 64 > sizeof out) { /* a value too long for the buffer (never in practice) */
        sv4_buf_puts(ft, i ? ",{\"value\":" : "{\"value\":");
        sv4_buf_append(ft, fv[i].json, jl);
        n = (size_t)snprintf(out, sizeof out, ",\"count\":%zu}", fv[i].count);
        continue;
      }
    }
    static const char head[] = ",{\"value\":", count[] = ",\"count\":";
    size_t hl = sizeof head - 1 - (i ? 0 : 1);
    memcpy(out + n, head + (i ? 0 : 1), hl);
    n += hl;
    memcpy(out + n, fv[i].json, jl);
    n += jl;
    memcpy(out + n, count, sizeof count - 1);
    n += sizeof count - 1;
    n += fmt_uint(out + n, fv[i].count);
    out[n++] = '}';
  }
  out[n++] = ']';
  sv4_buf_append(ft, out, n);
}

sv4_rc sv4_search(sv4_search_index *ix, sv4_store *s, const sv4_search_query *q, sv4_search_result **out,
                  sv4_error *err) {
  (void)s;
  sv4_rc rc = SV4_OK;
  filter f;
  memset(&f, 0, sizeof f);
  size_t *counts = NULL;
  uint64_t *sel = NULL, *m = NULL, *mf = NULL, *base = NULL, *keys = NULL;
  void *block = NULL;
  facet_value *fvals = NULL;
  char *fts = NULL;
  tentry *t = NULL;
  sv4_search_result *res = NULL;
  cand *few = NULL;
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
  if (!all && (rc = tentry_get(ix, fts, q->also_codes, &t, err))) goto done;
  /* bitsets of the query are whole cache lines like the index's: w words, a multiple of 8 */
  size_t w = ((ix->n + 63) / 64 + 7) & ~(size_t)7, nact = 0, ww = w ? w : 8;
  int act[SV4_FACET_COUNT];
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++)
    if (f.active[fa]) act[nact++] = fa;
  /* base: what the viewer may see ∧ the text hits; sel: one bitset per active facet; m: base ∧ every selection;
   * mf: scratch for a facet's own mask (each of them cache-line aligned); then for the largest facet the counts by
   * slot and by value bitset, the sort keys, values and value bitsets; the counts of facets counted row by row. */
  size_t slots = 1, all_slots = 1;
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++) {
    if (facet_slots(ix, fa) > slots) slots = facet_slots(ix, fa);
    all_slots += facet_slots(ix, fa);
  }
  if (posix_memalign(&block, 64,
                     (nact + 3) * ww * sizeof *sel +
                         slots * (2 * sizeof *counts + sizeof *keys + sizeof *fvals + sizeof(uint64_t *)) +
                         all_slots * sizeof(uint32_t)))
    block = NULL;
  if (!block) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  sel = block;
  base = sel + nact * ww;
  m = base + ww;
  mf = m + ww;
  counts = (size_t *)(mf + ww);
  size_t *vcounts = counts + slots;
  keys = (uint64_t *)(vcounts + slots);
  fvals = (facet_value *)(keys + slots);
  const uint64_t **vbs = (const uint64_t **)(fvals + slots);
  uint32_t *rc_all = (uint32_t *)(vbs + slots), *rcount[SV4_FACET_COUNT];
  for (int fa = 0, at = 0; fa < SV4_FACET_COUNT; fa++) {
    rcount[fa] = rc_all + at;
    at += (int)facet_slots(ix, fa) + (fa == SV4_FACET_YEAR); /* years: a difference array, one more */
  }
  visible_bits(ix, q->viewer_role, q->viewer, base, w);
  if (t) {
    size_t tw = w < t->words ? w : t->words;
    bits_and(base, t->bits, tw);
    memset(base + tw, 0, (w - tw) * sizeof *base); /* rows added after the hits were taken: not hits */
  }
  for (size_t i = 0; i < nact; i++) filter_bits(ix, &f, act[i], sel + i * ww, w);
  memcpy(m, base, w * sizeof *m);
  for (size_t i = 0; i < nact; i++) bits_and(m, sel + i * ww, w);

  /* facet counts: inactive facets count over m; an active facet over base ∧ the other selections */
  res = calloc(1, sizeof *res);
  if (!res) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  if (!q->facets_text) res->facets = json_object();
  sig_counts sigc;
  size_t total = and_count(m, m, w);
  /* the inactive facets whose values are cheaper to count row by row over m than bitset by bitset */
  unsigned by_rows = rows_or_bits(ix, total, w, f.active), mine = 0;
  if (by_rows) count_rows(ix, m, w, by_rows, rcount, &sigc);
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++) {
    const uint64_t *mask = m;
    size_t nc = facet_slots(ix, fa);
    if (f.active[fa]) {
      memcpy(mf, base, w * sizeof *mf);
      for (size_t i = 0; i < nact; i++)
        if (act[i] != fa) bits_and(mf, sel + i * ww, w);
      mask = mf;
      int others[SV4_FACET_COUNT];
      for (int o = 0; o < SV4_FACET_COUNT; o++) others[o] = o != fa;
      if ((mine = rows_or_bits(ix, and_count(mf, mf, w), w, others))) count_rows(ix, mf, w, mine, rcount, &sigc);
    }
    if ((by_rows | mine) & 1u << fa) {
      row_counts(rcount[fa], fa, counts, nc);
      mine = 0;
    } else if (facet_planes(ix, fa) && ix->planes[fa].n <= 1) { /* ids 0 and 1: one plane, one AND + popcount */
      for (size_t v = 0; v < nc; v++) counts[v] = 0;
      if (nc > 1 && ix->planes[fa].n) counts[1] = and_count(mask, ix->planes[fa].p[0], w);
    } else if (facet_planes(ix, fa)) {
      plane_counts(mask, ix->planes[fa].p, ix->planes[fa].n, nc, w, counts);
      if (nc) counts[0] = 0;
    } else if (fa == SV4_FACET_YEAR && year_planes(ix)) {
      year_plane_counts(ix, mask, w, counts);
    } else {
      /* value 0 of a dictionary is "unknown", never reported: not counted either */
      size_t nb = 0, first = facet_named(fa) ? 1 : 0;
      for (size_t v = 0; v < nc; v++) counts[v] = 0;
      for (size_t v = first; v < nc && v < ix->nvb[fa]; v++)
        if (ix->vb[fa][v]) vbs[nb++] = ix->vb[fa][v];
      and_counts(mask, vbs, nb, w, vcounts);
      for (size_t v = first, j = 0; v < nc && v < ix->nvb[fa]; v++)
        if (ix->vb[fa][v]) counts[v] = vcounts[j++];
    }
    size_t nv = facet_values(ix, counts, nc, fa, fvals, keys);
    if (q->facets_text)
      facets_text(&ft, fa, fvals, nv);
    else
      json_object_set_new(res->facets, facet_names[fa], facet_json(fvals, nv));
  }
  if (q->facets_text) {
    sv4_buf_putc(&ft, '}');
    res->facets_text = sv4_buf_steal(&ft, &res->facets_text_len);
    if (!res->facets_text) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
  }

  /* the page */
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
  uint32_t hit_row[HIT_ROWS]; /* rows of the first hits, for fetching their briefs */
#define IN_M(ROW) (m[(ROW) / 64] >> ((ROW) % 64) & 1)
  /* walking an order that is already sorted costs about (from + n) × order length / matches steps; sorting the
   * matches costs about total × log2(total) comparisons, each worth a few steps */
  size_t order_len = t && by == SV4_SORT_RELEVANCE ? t->n : ix->alive;
  double walk = (double)(from + n) * (double)order_len / (double)(total ? total : 1);
  double sort = 0;
  for (size_t x = total; x; x >>= 1) sort += 4.0 * (double)total;
  if (n && (total <= 64 || (total <= SMALL_MATCHES && sort < walk))) {
    /* few matches: sort just them (the text hits are in row order, like m) */
    few = malloc(total * sizeof *few);
    if (!few) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    size_t cn = 0, j = 0;
    for (size_t i = 0; i < w; i++)
      for (uint64_t b = m[i]; b; b &= b - 1) {
        uint32_t r = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(b));
        while (t && j < t->n && t->by_row[j].row < r) j++;
        few[cn++] = t && j < t->n && t->by_row[j].row == r ? t->by_row[j] : (cand){.row = r};
      }
    sort_ctx sc = {ix, by};
    qsort_r(few, cn, sizeof *few, cand_cmp, &sc);
    for (size_t i = from; i < cn && k < n; i++) {
      if (k < HIT_ROWS) hit_row[k] = few[i].row;
      res->hits[k++] = (sv4_search_hit){ix->rows[few[i].row].id, few[i].score, (int)few[i].text};
    }
  } else if (n && t && by == SV4_SORT_RELEVANCE) {
    /* walk the relevance order, sorted only as deep as needed: about (from + n) × hits / matches */
    size_t need = (from + n) * (t->n / (total ? total : 1) + 1) + 64, have = 0;
    for (size_t i = 0; i < t->n && k < n; i++) {
      if (i >= have) {
        have = tentry_ordered(ix, t, i >= need ? i * 2 : need);
        if (i >= have) break;
      }
      const cand *c = &t->by_row[t->order[i]];
      if (!IN_M((size_t)c->row) || seen++ < from) continue;
      if (k < HIT_ROWS) hit_row[k] = c->row;
      res->hits[k++] = (sv4_search_hit){ix->rows[c->row].id, c->score, (int)c->text};
    }
  } else if (n) {
    size_t pn = 0;
    const int32_t *p = perm_get(ix, by, &pn);
    if (!p) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    for (size_t i = 0; i < pn && k < n; i++) {
      if (!IN_M((size_t)p[i]) || seen++ < from) continue;
      const cand *c = t ? tentry_find(t, (uint32_t)p[i]) : NULL;
      if (k < HIT_ROWS) hit_row[k] = (uint32_t)p[i];
      res->hits[k++] = (sv4_search_hit){ix->rows[p[i]].id, c ? c->score : 0, c ? (int)c->text : 0};
    }
  }
#undef IN_M
  res->nhits = k;
  /* the caller writes the hits' briefs next: fetch them now, all at once (each lies elsewhere in memory; one
   * after another they would wait for memory in turn); a brief is about a kilobyte */
  for (size_t i = 0; i < k && i < HIT_ROWS; i++) {
    const brief *b = atomic_load_explicit(&ix->rows[hit_row[i]].brief, memory_order_relaxed);
    for (size_t off = 0; b && off < 1536; off += 64) __builtin_prefetch((const char *)b + off);
  }
done:
  tentry_release(ix, t);
  pthread_rwlock_unlock(&ix->lock);
  free(few);
  free(block);
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
    const brief *b = atomic_load_explicit(&r->brief, memory_order_acquire);
    if (b) {
      found = 1;
      sv4_buf_append(out, b->text, b->len);
    }
    if (gen) *gen = r->gen;
  }
  pthread_rwlock_unlock(&ix->lock);
  return found;
}

void sv4_search_brief_put(sv4_search_index *ix, int64_t id, uint32_t gen, const char *text) {
  size_t len = strlen(text);
  brief *b = malloc(sizeof *b + len + 1);
  if (!b) return;
  b->len = len;
  memcpy(b->text, text, len + 1);
  pthread_rwlock_rdlock(&ix->lock);
  if (id > 0 && (size_t)id < ix->nslot && ix->slot[id]) {
    row *r = &ix->rows[ix->slot[id] - 1];
    brief *none = NULL;
    /* the first brief of this version wins; readers see it whole (release/acquire) */
    if (r->alive && r->gen == gen &&
        atomic_compare_exchange_strong_explicit(&r->brief, &none, b, memory_order_release, memory_order_relaxed))
      b = NULL;
  }
  pthread_rwlock_unlock(&ix->lock);
  free(b);
}

typedef struct snippet_ctx {
  const char *fts;
  char *out;
  sv4_rc rc;
  sv4_error *err;
} snippet_ctx;

static int cut_snippet(void *ud, const sv4_record_row *r) {
  snippet_ctx *c = ud;
  c->rc = sv4__tix_snippet(c->fts, r->text, r->text_len, &c->out, c->err);
  return 1;
}

sv4_rc sv4_search_snippet(sv4_search_index *ix, sv4_store *s, int64_t id, const char *fts, char **out,
                          sv4_error *err) {
  *out = NULL;
  uint64_t h = sv4_hash64(fts, strlen(fts), (uint64_t)id);
  size_t si = h % SNIP_SETS;
  snip *set = &ix->snips[si * SNIP_WAYS];
  pthread_mutex_t *mu = &ix->snip_mu[si % SNIP_LOCKS];
  pthread_rwlock_rdlock(&ix->lock);
  uint64_t gen = ix->gen;
  pthread_rwlock_unlock(&ix->lock);
  pthread_mutex_lock(mu);
  for (int i = 0; i < SNIP_WAYS && !*out; i++) {
    snip *e = &set[i];
    if (e->text && e->gen == gen && e->h == h && e->id == id && !strcmp(e->fts, fts)) {
      *out = strdup(e->text);
      e->used = atomic_fetch_add_explicit(&ix->snip_tick, 1, memory_order_relaxed);
    }
  }
  pthread_mutex_unlock(mu);
  if (*out) return SV4_OK;
  /* the generation was read before the store: a write in between makes this entry stale at once */
  snippet_ctx sc = {fts, NULL, SV4_OK, err};
  sv4_rc rc = SV4_STORE_OPS(s)->record_text(s, id, cut_snippet, &sc, err);
  if (!rc) rc = sc.rc;
  *out = sc.out;
  if (rc || !*out) return rc;
  char *f = strdup(fts), *tx = strdup(*out);
  pthread_mutex_lock(mu);
  if (f && tx) {
    snip *e = &set[0]; /* an empty or stale way, else the least recently used */
    for (int i = 0; i < SNIP_WAYS; i++) {
      if (!set[i].text || set[i].gen != gen) {
        e = &set[i];
        break;
      }
      if (set[i].used < e->used) e = &set[i];
    }
    free(e->fts);
    free(e->text);
    *e = (snip){.gen = gen, .h = h, .used = atomic_fetch_add_explicit(&ix->snip_tick, 1, memory_order_relaxed),
                .id = id, .fts = f, .text = tx};
    f = tx = NULL;
  }
  pthread_mutex_unlock(mu);
  free(f);
  free(tx);
  return SV4_OK;
}
