/* search.c — the in-memory facet index and the search over it (see sv4/search.h).
 * Each record is one fixed-size row of small integers and bitsets; a query is one pass over the candidate rows
 * that both filters and counts facets ("disjunctive" facets: a facet's counts ignore that facet's own filter, so
 * a user can widen a selection). */
#include "sv4/search.h"

#include <pthread.h>
#include <stdlib.h>
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
  uint64_t targets[TARGET_WORDS];
  uint64_t egd, taxonomy, smartcity;
} row;

/* dictionaries for facets whose values are strings: index by sv4_facet; SDG/target/year are numeric. */
struct sv4_search_index {
  pthread_rwlock_t lock;
  row *rows;
  size_t n, cap;
  int32_t *slot;       /* id → row index + 1 (0 = none) */
  size_t nslot;
  dict dicts[SV4_FACET_COUNT];
  size_t alive;
};

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
  memset(r, 0, sizeof *r);
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
  if (ix->slot[id]) {
    r = &ix->rows[ix->slot[id] - 1];
    if (!r->alive) ix->alive++;
  } else {
    if (ix->n == ix->cap) {
      size_t cap = ix->cap ? ix->cap * 2 : 1024;
      row *p = realloc(ix->rows, cap * sizeof *p);
      if (!p) return -1;
      ix->rows = p;
      ix->cap = cap;
    }
    r = &ix->rows[ix->n++];
    ix->slot[id] = (int32_t)ix->n;
    ix->alive++;
  }
  fill_row(ix, r, src);
  return 0;
}

static int put_row_cb(void *ud, const sv4_record_row *r) { return put_row(ud, r); }

sv4_rc sv4_search_index_build(sv4_store *s, sv4_search_index **out, sv4_error *err) {
  sv4_search_index *ix = calloc(1, sizeof *ix);
  if (!ix) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  pthread_rwlock_init(&ix->lock, NULL);
  /* value 0 of every dictionary is "" (unknown) */
  for (int f = 0; f < SV4_FACET_COUNT; f++) dict_id(&ix->dicts[f], "", 1);
  sv4_rc rc = SV4_STORE_OPS(s)->record_rows_each(s, 0, put_row_cb, ix, err);
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
    row *r = &ix->rows[ix->slot[id] - 1];
    if (r->alive) ix->alive--;
    r->alive = 0;
  }
  pthread_rwlock_unlock(&ix->lock);
  return rc;
}

size_t sv4_search_index_count(const sv4_search_index *ix) { return ix->alive; }

void sv4_search_index_free(sv4_search_index *ix) {
  if (!ix) return;
  for (int f = 0; f < SV4_FACET_COUNT; f++) {
    for (size_t i = 0; i < ix->dicts[f].n; i++) free(ix->dicts[f].v[i]);
    free(ix->dicts[f].v);
  }
  free(ix->rows);
  free(ix->slot);
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

/* ---- the search ------------------------------------------------------------------------------------------- */

typedef struct cand {
  int32_t row;
  double rank;
  int text;
} cand;

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

static int row_fails(const sv4_search_index *ix, const row *r, const filter *f) {
  int fail = 0;
  if (f->active[SV4_FACET_TYPE] && !(f->mask[SV4_FACET_TYPE] >> r->type & 1)) fail |= 1 << SV4_FACET_TYPE;
  if (f->active[SV4_FACET_COUNTRY] && !(r->country < 64 && f->mask[SV4_FACET_COUNTRY] >> r->country & 1))
    fail |= 1 << SV4_FACET_COUNTRY;
  if (f->active[SV4_FACET_LANG] && !(r->lang < 64 && f->mask[SV4_FACET_LANG] >> r->lang & 1))
    fail |= 1 << SV4_FACET_LANG;
  if (f->active[SV4_FACET_REVIEW] && !(r->review < 64 && f->mask[SV4_FACET_REVIEW] >> r->review & 1))
    fail |= 1 << SV4_FACET_REVIEW;
  if (f->active[SV4_FACET_REGION]) {
    int ok = 0;
    for (size_t i = 0; i < f->nregions && !ok; i++) ok = f->regions[i] == r->region;
    if (!ok) fail |= 1 << SV4_FACET_REGION;
  }
  /* label facets: a record matches when it has ANY selected value (OR within the facet) */
  if (f->active[SV4_FACET_SDG] && !(r->sdg & f->mask[SV4_FACET_SDG])) fail |= 1 << SV4_FACET_SDG;
  if (f->active[SV4_FACET_EGD] && !(r->egd & f->mask[SV4_FACET_EGD])) fail |= 1 << SV4_FACET_EGD;
  if (f->active[SV4_FACET_TAXONOMY] && !(r->taxonomy & f->mask[SV4_FACET_TAXONOMY])) fail |= 1 << SV4_FACET_TAXONOMY;
  if (f->active[SV4_FACET_SMARTCITY] && !(r->smartcity & f->mask[SV4_FACET_SMARTCITY]))
    fail |= 1 << SV4_FACET_SMARTCITY;
  if (f->active[SV4_FACET_TARGET]) {
    uint64_t any = 0;
    for (int w = 0; w < TARGET_WORDS; w++) any |= r->targets[w] & f->targets[w];
    if (!any) fail |= 1 << SV4_FACET_TARGET;
  }
  if (f->active[SV4_FACET_YEAR]) {
    int from = r->year_from, to = r->year_to ? r->year_to : r->year_from;
    if (!from || (f->year_to && from > f->year_to) || (f->year_from && to < f->year_from)) fail |= 1 << SV4_FACET_YEAR;
  }
  (void)ix;
  return fail;
}

typedef struct counts {
  size_t *c[SV4_FACET_COUNT];
  size_t n[SV4_FACET_COUNT];
} counts;

static void count_row(const row *r, counts *k, int only) {
#define WANT(f) (only < 0 || only == (f))
  if (WANT(SV4_FACET_TYPE)) k->c[SV4_FACET_TYPE][r->type]++;
  if (WANT(SV4_FACET_COUNTRY)) k->c[SV4_FACET_COUNTRY][r->country]++;
  if (WANT(SV4_FACET_REGION)) k->c[SV4_FACET_REGION][r->region]++;
  if (WANT(SV4_FACET_LANG)) k->c[SV4_FACET_LANG][r->lang]++;
  if (WANT(SV4_FACET_REVIEW)) k->c[SV4_FACET_REVIEW][r->review]++;
  if (WANT(SV4_FACET_SDG))
    for (uint32_t m = r->sdg; m; m &= m - 1) k->c[SV4_FACET_SDG][__builtin_ctz(m)]++;
  if (WANT(SV4_FACET_TARGET))
    for (int w = 0; w < TARGET_WORDS; w++)
      for (uint64_t m = r->targets[w]; m; m &= m - 1) k->c[SV4_FACET_TARGET][w * 64 + __builtin_ctzll(m)]++;
  if (WANT(SV4_FACET_EGD))
    for (uint64_t m = r->egd; m; m &= m - 1) k->c[SV4_FACET_EGD][__builtin_ctzll(m)]++;
  if (WANT(SV4_FACET_TAXONOMY))
    for (uint64_t m = r->taxonomy; m; m &= m - 1) k->c[SV4_FACET_TAXONOMY][__builtin_ctzll(m)]++;
  if (WANT(SV4_FACET_SMARTCITY))
    for (uint64_t m = r->smartcity; m; m &= m - 1) k->c[SV4_FACET_SMARTCITY][__builtin_ctzll(m)]++;
  if (WANT(SV4_FACET_YEAR) && r->year_from) {
    int to = r->year_to >= r->year_from ? r->year_to : r->year_from;
    if (to - r->year_from > 60) to = r->year_from + 60;
    for (int y = r->year_from; y <= to; y++)
      if (y >= 1900 && y < 2200) k->c[SV4_FACET_YEAR][y - 1900]++;
  }
#undef WANT
}

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

static json_t *facet_json(const sv4_search_index *ix, counts *k, int f) {
  facet_value *v = calloc(k->n[f] ? k->n[f] : 1, sizeof *v);
  size_t m = 0;
  json_t *a = json_array();
  if (!v || !a) {
    free(v);
    return a;
  }
  for (size_t i = 0; i < k->n[f]; i++) {
    if (!k->c[f][i]) continue;
    facet_value *x = &v[m];
    x->count = k->c[f][i];
    switch (f) {
      case SV4_FACET_SDG: snprintf(x->buf, sizeof x->buf, "%zu", i + 1); x->value = x->buf; break;
      case SV4_FACET_TARGET: target_code((int)i, x->buf); x->value = x->buf; break;
      case SV4_FACET_YEAR: snprintf(x->buf, sizeof x->buf, "%zu", i + 1900); x->value = x->buf; break;
      default:
        if (!i) continue; /* "" = unknown is not a selectable value */
        x->value = ix->dicts[f].v[i];
    }
    m++;
  }
  qsort(v, m, sizeof *v, f == SV4_FACET_SDG || f == SV4_FACET_YEAR ? by_value_num : by_count);
  for (size_t i = 0; i < m; i++)
    json_array_append_new(a, json_pack("{s:s,s:I}", "value", v[i].value, "count", (json_int_t)v[i].count));
  free(v);
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

sv4_rc sv4_search(sv4_search_index *ix, sv4_store *s, const sv4_search_query *q, sv4_search_result **out,
                  sv4_error *err) {
  sv4_rc rc = SV4_OK;
  filter f;
  cand_set cs = {0};
  counts k = {0};
  char *fts = NULL;
  sv4_search_result *res = NULL;
  *out = NULL;
  if (q->text && strlen(q->text) > SV4_MAX_QUERY_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "query longer than %u bytes", SV4_MAX_QUERY_BYTES);
  size_t limit = q->limit ? q->limit : 20;
  if (limit > SV4_MAX_PAGE_SIZE)
    return sv4_error_set(err, SV4_ERR_LIMIT, "page size above %u", SV4_MAX_PAGE_SIZE);

  pthread_rwlock_rdlock(&ix->lock);
  if ((rc = build_filter(ix, q, &f, err))) goto done;
  cs.ix = ix;
  cs.seen = calloc(ix->n ? ix->n : 1, sizeof *cs.seen);
  if (!cs.seen) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  fts = sv4_search_fts_query(q->text);
  int all = !fts || !*fts;
  if (!all) {
    if ((rc = SV4_STORE_OPS(s)->text_search(s, fts, text_hit_cb, &cs, err))) goto done;
    if (q->also_codes && *q->also_codes && add_code_cands(&cs, q->also_codes)) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
  }
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++) {
    k.n[fa] = fa == SV4_FACET_SDG ? 17 : fa == SV4_FACET_TARGET ? TARGET_BITS : fa == SV4_FACET_YEAR ? 300
              : ix->dicts[fa].n;
    k.c[fa] = calloc(k.n[fa] ? k.n[fa] : 1, sizeof(size_t));
    if (!k.c[fa]) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
  }
  /* one pass: filter + disjunctive facet counts; survivors are compacted into cs.c */
  size_t kept = 0, total_rows = all ? ix->n : cs.n;
  cand *survivors = all ? malloc((ix->alive ? ix->alive : 1) * sizeof *survivors) : cs.c;
  if (all && !survivors) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < total_rows; i++) {
    cand c = all ? (cand){(int32_t)i, 0, 0} : cs.c[i];
    const row *r = &ix->rows[c.row];
    if (!r->alive) continue;
    int fail = row_fails(ix, r, &f);
    if (!fail) {
      count_row(r, &k, -1);
      survivors[kept++] = c;
    } else if (!(fail & (fail - 1))) {
      count_row(r, &k, __builtin_ctz((unsigned)fail));
    }
  }
  sort_ctx sc = {ix, q->sort == SV4_SORT_RELEVANCE && all ? SV4_SORT_NEWEST : q->sort};
  qsort_r(survivors, kept, sizeof *survivors, cand_cmp, &sc);

  res = calloc(1, sizeof *res);
  if (!res) {
    if (all) free(survivors);
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  res->total = kept;
  size_t from = q->offset < kept ? q->offset : kept;
  size_t n = kept - from < limit ? kept - from : limit;
  res->hits = calloc(n ? n : 1, sizeof *res->hits);
  res->facets = json_object();
  for (size_t i = 0; i < n && res->hits; i++) {
    cand *c = &survivors[from + i];
    res->hits[i] = (sv4_search_hit){ix->rows[c->row].id, c->rank, c->text};
  }
  res->nhits = res->hits ? n : 0;
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++) json_object_set_new(res->facets, facet_names[fa], facet_json(ix, &k, fa));
  if (all) free(survivors);
done:
  pthread_rwlock_unlock(&ix->lock);
  for (int fa = 0; fa < SV4_FACET_COUNT; fa++) free(k.c[fa]);
  free(f.regions);
  free(cs.c);
  free(cs.seen);
  free(fts);
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
  free(r);
}
