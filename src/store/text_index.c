/* text_index.c — the in-memory full-text index behind sv4_search: every record's title, summary and body cut into
 * the same folded tokens as the FTS5 tokenizer (sv4__tokenize), kept as
 *   - a vocabulary (hash of folded tokens → term id, plus the term ids in byte order for prefix queries),
 *   - postings per term: the rows holding it, ascending, each with its column-weighted count (title 8, summary 3,
 *     body 1: the weights the SQLite backend hands to bm25), saturated at 255 in one byte,
 *   - a forward index per row: its term ids in order, per column, varint-coded (phrase checks, exact counts
 *     past 255, and removing a row's postings when the record is written again),
 * and queries in the sanitised FTS form of sv4_search_fts_query ("word", "a phrase", "prefix"*, implicit AND, OR,
 * NOT) evaluated with FTS5's grammar and ranked with FTS5's bm25 formula, so results equal what the SQLite backend
 * would return, for either backend. Writers hold the search index's write lock; queries only read. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sv4/limits.h"
#include "store/internal.h"

/* bm25 column weights: title, summary, body (sqlite.c passes the same numbers to FTS5's bm25()). */
static const unsigned col_weight[3] = {8, 3, 1};

typedef struct term {
  uint32_t off; /* bytes in the pool */
  uint32_t len;
  uint32_t n, cap; /* postings */
  uint32_t *rows;  /* ascending */
  uint8_t *wf;     /* column-weighted count, 255 = "255 or more": count again from the forward index */
} term;

struct sv4__tix {
  term *terms;
  uint32_t nterms;
  size_t capterms; /* of terms and of sorted */
  char *pool;
  size_t npool, cappool;
  uint32_t *hash; /* open addressing: term id + 1, 0 = empty; capacity a power of two */
  size_t hcap;
  uint32_t *sorted; /* every term id in byte order of the term (prefix ranges) */
  int sorted_ok;    /* 0 while a bulk build appends terms unsorted */
  /* rows */
  uint8_t **fwd; /* per row: varint (term id + 1) per token, 0 ends a column; NULL = no text */
  uint32_t *fwd_len;
  uint32_t *ntok;   /* tokens of the row over all columns (bm25's document length) */
  size_t rcap;      /* rows the three arrays above hold */
  uint64_t *own;    /* per row: 1 = its forward index is its own malloc; 0 = it lives in a chunk of a bulk build */
  uint8_t **chunks; /* a bulk build's forward indexes, packed in row order (phrase checks read them in order) */
  size_t nchunks, chunk_used;
  size_t nrows; /* rows with text */
  uint64_t total_tokens;
  size_t max_row; /* 1 + the highest row ever put */
  /* scratch for sv4__tix_put (writers are serialised) */
  uint32_t *seen; /* per term: 1 + the last row that counted it */
  uint32_t *acc;  /* per term: its weighted count in that row */
  size_t capseen;
  uint32_t *distinct; /* the row's distinct terms, in first-seen order */
  size_t ndistinct, capdistinct;
  uint8_t *enc;
  size_t nenc, capenc;
};

/* ---- small pieces -------------------------------------------------------------------------------------------- */

static uint64_t hash_bytes(const char *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
  return h ^ (h >> 29);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  void *q = realloc(*p, c * elem);
  if (!q) return -1;
  *p = q;
  *cap = c;
  return 0;
}

static int put_varint(sv4__tix *t, uint32_t v) {
  if (t->nenc + 5 > t->capenc && grow((void **)&t->enc, &t->capenc, t->nenc + 5, 1)) return -1;
  while (v >= 0x80) {
    t->enc[t->nenc++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  t->enc[t->nenc++] = (uint8_t)v;
  return 0;
}

static uint32_t get_varint(const uint8_t **p) {
  uint32_t v = 0;
  int shift = 0;
  while (**p & 0x80) {
    v |= (uint32_t)(**p & 0x7f) << shift;
    shift += 7;
    (*p)++;
  }
  v |= (uint32_t) * *p << shift;
  (*p)++;
  return v;
}

static const char *term_str(const sv4__tix *t, uint32_t id) { return t->pool + t->terms[id].off; }

static int term_cmp_bytes(const sv4__tix *t, uint32_t a, const char *s, size_t n) {
  const term *x = &t->terms[a];
  size_t m = x->len < n ? x->len : n;
  int c = memcmp(t->pool + x->off, s, m);
  if (c) return c;
  return x->len < n ? -1 : x->len > n ? 1 : 0;
}

/* Term id of the folded token, or -1 when the vocabulary does not have it. */
static int64_t term_find(const sv4__tix *t, const char *s, size_t n) {
  if (!t->hcap) return -1;
  size_t mask = t->hcap - 1;
  for (size_t i = hash_bytes(s, n) & mask;; i = (i + 1) & mask) {
    uint32_t e = t->hash[i];
    if (!e) return -1;
    if (t->terms[e - 1].len == n && !memcmp(term_str(t, e - 1), s, n)) return e - 1;
  }
}

/* Position of the first sorted term >= s (lower bound). */
static size_t sorted_lower(const sv4__tix *t, const char *s, size_t n) {
  size_t lo = 0, hi = t->nterms;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (term_cmp_bytes(t, t->sorted[mid], s, n) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static int rehash(sv4__tix *t, size_t cap) {
  uint32_t *h = calloc(cap, sizeof *h);
  if (!h) return -1;
  for (uint32_t id = 0; id < t->nterms; id++) {
    size_t i = hash_bytes(term_str(t, id), t->terms[id].len) & (cap - 1);
    while (h[i]) i = (i + 1) & (cap - 1);
    h[i] = id + 1;
  }
  free(t->hash);
  t->hash = h;
  t->hcap = cap;
  return 0;
}

/* Term id of the token, added to the vocabulary when new; -1 on allocation failure. */
static int64_t term_get(sv4__tix *t, const char *s, size_t n) {
  int64_t id = term_find(t, s, n);
  if (id >= 0) return id;
  if ((t->nterms + 1) * 2 > t->hcap && rehash(t, t->hcap ? t->hcap * 2 : 1024)) return -1;
  if (t->nterms == t->capterms) {
    size_t cap = t->capterms ? t->capterms * 2 : 1024;
    term *x = realloc(t->terms, cap * sizeof *x);
    if (!x) return -1;
    t->terms = x;
    uint32_t *so = realloc(t->sorted, cap * sizeof *so);
    if (!so) return -1;
    t->sorted = so;
    t->capterms = cap;
  }
  if (grow((void **)&t->pool, &t->cappool, t->npool + n + 1, 1)) return -1;
  uint32_t nid = t->nterms;
  size_t at = t->sorted_ok ? sorted_lower(t, s, n) : nid; /* among the nterms sorted terms so far */
  term *x = &t->terms[nid];
  memset(x, 0, sizeof *x);
  x->off = (uint32_t)t->npool;
  x->len = (uint32_t)n;
  memcpy(t->pool + t->npool, s, n);
  t->pool[t->npool + n] = '\0';
  t->npool += n + 1;
  t->nterms++;
  size_t i = hash_bytes(s, n) & (t->hcap - 1);
  while (t->hash[i]) i = (i + 1) & (t->hcap - 1);
  t->hash[i] = nid + 1;
  memmove(t->sorted + at + 1, t->sorted + at, (t->nterms - 1 - at) * sizeof *t->sorted);
  t->sorted[at] = nid;
  return nid;
}

/* ---- create, free, rows -------------------------------------------------------------------------------------- */

#define CHUNK_BYTES (1u << 20)

static int row_owns(const sv4__tix *t, size_t row) { return (int)(t->own[row / 64] >> (row % 64) & 1); }

static void fwd_free(sv4__tix *t, size_t row) {
  if (row_owns(t, row)) free(t->fwd[row]);
  t->own[row / 64] &= ~(1ull << (row % 64));
  t->fwd[row] = NULL;
}

/* Room for n bytes of a forward index: packed after the previous row during a bulk build, else its own block. */
static uint8_t *fwd_alloc(sv4__tix *t, size_t row, size_t n) {
  if (t->sorted_ok || n > CHUNK_BYTES / 4) {
    uint8_t *p = malloc(n ? n : 1);
    if (p) t->own[row / 64] |= 1ull << (row % 64);
    return p;
  }
  if (!t->nchunks || t->chunk_used + n > CHUNK_BYTES) {
    uint8_t **c = realloc(t->chunks, (t->nchunks + 1) * sizeof *c);
    if (!c) return NULL;
    t->chunks = c;
    if (!(c[t->nchunks] = malloc(CHUNK_BYTES))) return NULL;
    t->nchunks++;
    t->chunk_used = 0;
  }
  uint8_t *p = t->chunks[t->nchunks - 1] + t->chunk_used;
  t->chunk_used += n;
  return p;
}

sv4__tix *sv4__tix_new(void) {
  sv4__tix *t = calloc(1, sizeof *t);
  if (t) t->sorted_ok = 1;
  return t;
}

void sv4__tix_free(sv4__tix *t) {
  if (!t) return;
  for (uint32_t i = 0; i < t->nterms; i++) {
    free(t->terms[i].rows);
    free(t->terms[i].wf);
  }
  for (size_t r = 0; r < t->rcap; r++) fwd_free(t, r);
  for (size_t i = 0; i < t->nchunks; i++) free(t->chunks[i]);
  free(t->chunks);
  free(t->own);
  free(t->terms);
  free(t->pool);
  free(t->hash);
  free(t->sorted);
  free(t->fwd);
  free(t->fwd_len);
  free(t->ntok);
  free(t->seen);
  free(t->acc);
  free(t->distinct);
  free(t->enc);
  free(t);
}

void sv4__tix_bulk(sv4__tix *t) { t->sorted_ok = 0; }

static int sorted_cmp(const void *a, const void *b, void *ud) {
  const sv4__tix *t = ud;
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return term_cmp_bytes(t, x, term_str(t, y), t->terms[y].len);
}

int sv4__tix_finish(sv4__tix *t) {
  if (!t->sorted_ok) {
    for (uint32_t i = 0; i < t->nterms; i++) t->sorted[i] = i;
    if (t->nterms) qsort_r(t->sorted, t->nterms, sizeof *t->sorted, sorted_cmp, t);
    t->sorted_ok = 1;
  }
  /* a bulk build grew the postings by doubling: give the slack back */
  for (uint32_t i = 0; i < t->nterms; i++) {
    term *x = &t->terms[i];
    if (x->cap == x->n || !x->n) continue;
    uint32_t *r = realloc(x->rows, x->n * sizeof *r);
    if (r) x->rows = r;
    uint8_t *w = realloc(x->wf, x->n);
    if (w) x->wf = w;
    if (r && w) x->cap = x->n;
  }
  free(t->seen);
  free(t->acc);
  free(t->distinct);
  t->seen = t->acc = t->distinct = NULL;
  t->capseen = t->ndistinct = t->capdistinct = 0;
  free(t->enc);
  t->enc = NULL;
  t->nenc = t->capenc = 0;
  return 0;
}

static size_t postings_find(const term *x, uint32_t row) {
  size_t lo = 0, hi = x->n;
  if (hi && x->rows[hi - 1] < row) return hi;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (x->rows[mid] < row)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

void sv4__tix_drop(sv4__tix *t, uint32_t row) {
  if (row >= t->rcap || !t->fwd[row]) return;
  const uint8_t *p = t->fwd[row], *end = p + t->fwd_len[row];
  /* a term may repeat in the row: remove its posting once (the second search finds nothing) */
  while (p < end) {
    uint32_t v = get_varint(&p);
    if (!v) continue;
    term *x = &t->terms[v - 1];
    size_t at = postings_find(x, row);
    if (at < x->n && x->rows[at] == row) {
      memmove(x->rows + at, x->rows + at + 1, (x->n - at - 1) * sizeof *x->rows);
      memmove(x->wf + at, x->wf + at + 1, x->n - at - 1);
      x->n--;
    }
  }
  t->total_tokens -= t->ntok[row];
  t->nrows--;
  fwd_free(t, row);
  t->fwd_len[row] = 0;
  t->ntok[row] = 0;
}

typedef struct put_ctx {
  sv4__tix *t;
  unsigned weight;
  uint32_t ntok, mark;
  int bad;
} put_ctx;

static int put_token(void *ud, const char *tok, size_t len, size_t start, size_t end) {
  (void)start;
  (void)end;
  put_ctx *c = ud;
  sv4__tix *t = c->t;
  int64_t id = term_get(t, tok, len);
  if (id < 0 || put_varint(t, (uint32_t)id + 1)) {
    c->bad = 1;
    return 1;
  }
  if ((size_t)id >= t->capseen) {
    size_t old = t->capseen, cap = old ? old : 1024;
    while (cap <= (size_t)id) cap *= 2;
    uint32_t *sn = realloc(t->seen, cap * sizeof *sn);
    if (sn) t->seen = sn;
    uint32_t *ac = sn ? realloc(t->acc, cap * sizeof *ac) : NULL;
    if (ac) t->acc = ac;
    if (!sn || !ac) {
      c->bad = 1;
      return 1;
    }
    memset(t->seen + old, 0, (cap - old) * sizeof *t->seen);
    t->capseen = cap;
  }
  if (t->seen[id] != c->mark) { /* first time in this row */
    if (grow((void **)&t->distinct, &t->capdistinct, t->ndistinct + 1, sizeof *t->distinct)) {
      c->bad = 1;
      return 1;
    }
    t->seen[id] = c->mark;
    t->acc[id] = 0;
    t->distinct[t->ndistinct++] = (uint32_t)id;
  }
  t->acc[id] += c->weight;
  c->ntok++;
  return 0;
}

int sv4__tix_put(sv4__tix *t, uint32_t row, const char *const text[3], const size_t len[3]) {
  sv4__tix_drop(t, row);
  if (row >= t->rcap) {
    size_t cap = t->rcap ? t->rcap : 1024;
    while (cap <= row) cap *= 2;
    uint8_t **f = realloc(t->fwd, cap * sizeof *f);
    if (!f) return -1;
    t->fwd = f;
    uint32_t *fl = realloc(t->fwd_len, cap * sizeof *fl);
    if (!fl) return -1;
    t->fwd_len = fl;
    uint32_t *nt = realloc(t->ntok, cap * sizeof *nt);
    if (!nt) return -1;
    t->ntok = nt;
    uint64_t *ow = realloc(t->own, cap / 64 * sizeof *ow);
    if (!ow) return -1;
    t->own = ow;
    memset(t->own + t->rcap / 64, 0, (cap - t->rcap) / 64 * sizeof *t->own);
    memset(t->fwd + t->rcap, 0, (cap - t->rcap) * sizeof *t->fwd);
    memset(t->fwd_len + t->rcap, 0, (cap - t->rcap) * sizeof *t->fwd_len);
    memset(t->ntok + t->rcap, 0, (cap - t->rcap) * sizeof *t->ntok);
    t->rcap = cap;
  }
  put_ctx c = {t, 0, 0, row + 1, 0};
  t->ndistinct = 0;
  t->nenc = 0;
  for (int col = 0; col < 3; col++) {
    c.weight = col_weight[col];
    if (text[col] && len[col]) sv4__tokenize(text[col], len[col], put_token, &c);
    if (c.bad || put_varint(t, 0)) {
      for (size_t i = 0; i < t->ndistinct; i++) t->seen[t->distinct[i]] = 0;
      return -1;
    }
  }
  uint8_t *f = fwd_alloc(t, row, t->nenc);
  if (!f) {
    for (size_t i = 0; i < t->ndistinct; i++) t->seen[t->distinct[i]] = 0;
    return -1;
  }
  memcpy(f, t->enc, t->nenc);
  t->fwd[row] = f;
  t->fwd_len[row] = (uint32_t)t->nenc;
  t->ntok[row] = c.ntok;
  t->total_tokens += c.ntok;
  t->nrows++;
  if (row + 1 > t->max_row) t->max_row = row + 1;
  /* one posting per distinct term, with the summed column weights */
  for (size_t i = 0; i < t->ndistinct; i++) t->seen[t->distinct[i]] = 0; /* the next put starts afresh */
  for (size_t i = 0; i < t->ndistinct; i++) {
    uint32_t id = t->distinct[i], w = t->acc[id];
    term *x = &t->terms[id];
    if (x->n == x->cap) {
      uint32_t cap = x->cap ? x->cap * 2 : 4;
      uint32_t *r = realloc(x->rows, cap * sizeof *r);
      if (!r) return -1;
      x->rows = r;
      uint8_t *wf = realloc(x->wf, cap);
      if (!wf) return -1;
      x->wf = wf;
      x->cap = cap;
    }
    size_t at = postings_find(x, row);
    memmove(x->rows + at + 1, x->rows + at, (x->n - at) * sizeof *x->rows);
    memmove(x->wf + at + 1, x->wf + at, x->n - at);
    x->rows[at] = row;
    x->wf[at] = (uint8_t)(w > 255 ? 255 : w);
    x->n++;
  }
  return 0;
}

size_t sv4__tix_terms(const sv4__tix *t) { return t->nterms; }

/* ---- queries ------------------------------------------------------------------------------------------------- */

/* One phrase of a query: its tokens (the last one may be a prefix) and, once evaluated, the rows holding it with
 * the column-weighted count of its instances. */
typedef struct qtok {
  int64_t id;    /* exact term, or -1 */
  size_t lo, hi; /* prefix: sorted[lo..hi) */
  int prefix;
  const char *s; /* folded token (prefix bytes) */
  size_t n;
} qtok;

typedef struct phrase {
  qtok *tok;
  size_t ntok, captok;
  int op;         /* before this phrase: 0 implicit AND (or first), 1 OR, 2 NOT */
  uint32_t *rows; /* ascending */
  uint32_t *freq;
  size_t n;
  int own;            /* rows/freq allocated here (else they point into postings and wf[] is read lazily) */
  const term *direct; /* single exact token: postings used in place */
} phrase;

typedef struct query {
  phrase *ph;
  size_t n, cap;
  char *toks; /* folded token bytes of every phrase */
  size_t ntoks, captoks;
} query;

static void query_free(query *q) {
  for (size_t i = 0; i < q->n; i++) {
    free(q->ph[i].tok);
    if (q->ph[i].own) {
      free(q->ph[i].rows);
      free(q->ph[i].freq);
    }
  }
  free(q->ph);
  free(q->toks);
}

typedef struct tok_ctx {
  query *q;
  phrase *p;
  int bad;
} tok_ctx;

static int query_token(void *ud, const char *tok, size_t len, size_t start, size_t end) {
  (void)start;
  (void)end;
  tok_ctx *c = ud;
  phrase *p = c->p;
  if (grow((void **)&p->tok, &p->captok, p->ntok + 1, sizeof *p->tok) ||
      grow((void **)&c->q->toks, &c->q->captoks, c->q->ntoks + len, 1)) {
    c->bad = 1;
    return 1;
  }
  memset(&p->tok[p->ntok], 0, sizeof p->tok[p->ntok]);
  p->tok[p->ntok].s = (const char *)(uintptr_t)c->q->ntoks; /* an offset until toks stops moving */
  p->tok[p->ntok].n = len;
  memcpy(c->q->toks + c->q->ntoks, tok, len);
  c->q->ntoks += len;
  p->ntok++;
  return 0;
}

/* Parses the sanitised FTS form: ["OR " | "NOT "] "text" ["*"], separated by single spaces. */
static sv4_rc parse(const char *fts, query *q, sv4_error *err) {
  const char *p = fts;
  int op = 0;
  while (*p) {
    if (*p == ' ') {
      p++;
      continue;
    }
    if (!strncmp(p, "OR ", 3)) {
      op = 1;
      p += 3;
      continue;
    }
    if (!strncmp(p, "NOT ", 4)) {
      op = 2;
      p += 4;
      continue;
    }
    if (*p != '"') return sv4_error_set(err, SV4_ERR_USAGE, "search query not understood near '%.20s'", p);
    const char *close = strchr(p + 1, '"');
    if (!close) return sv4_error_set(err, SV4_ERR_USAGE, "search query has an unclosed phrase");
    if (grow((void **)&q->ph, &q->cap, q->n + 1, sizeof *q->ph))
      return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    phrase *ph = &q->ph[q->n++];
    memset(ph, 0, sizeof *ph);
    ph->op = q->n == 1 ? 0 : op;
    op = 0;
    tok_ctx c = {q, ph, 0};
    sv4__tokenize(p + 1, (size_t)(close - p - 1), query_token, &c);
    if (c.bad) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    p = close + 1;
    if (*p == '*') {
      if (ph->ntok) ph->tok[ph->ntok - 1].prefix = 1;
      p++;
    }
  }
  for (size_t i = 0; i < q->n; i++)
    for (size_t k = 0; k < q->ph[i].ntok; k++) q->ph[i].tok[k].s = q->toks + (uintptr_t)q->ph[i].tok[k].s;
  return SV4_OK;
}

static void resolve(const sv4__tix *t, qtok *k) {
  if (!k->prefix) {
    k->id = term_find(t, k->s, k->n);
    return;
  }
  k->id = -1;
  k->lo = sorted_lower(t, k->s, k->n);
  size_t hi = k->lo;
  while (hi < t->nterms) {
    const term *x = &t->terms[t->sorted[hi]];
    if (x->len < k->n || memcmp(t->pool + x->off, k->s, k->n)) break;
    hi++;
  }
  k->hi = hi;
}

static int tok_has(const sv4__tix *t, const qtok *k, uint32_t id) {
  if (!k->prefix) return k->id == (int64_t)id;
  const term *x = &t->terms[id];
  return x->len >= k->n && !memcmp(t->pool + x->off, k->s, k->n);
}

/* The weighted count of term id in row, exact (when the posting saturated at 255). */
static uint32_t exact_count(const sv4__tix *t, uint32_t row, uint32_t id) {
  const uint8_t *p = t->fwd[row], *end = p + t->fwd_len[row];
  uint32_t w = 0;
  int col = 0;
  while (p < end) {
    uint32_t v = get_varint(&p);
    if (!v)
      col++;
    else if (v - 1 == id && col < 3)
      w += col_weight[col];
  }
  return w;
}

/* Decodes a row's forward index into ids[] (column ends as UINT32_MAX); returns the count. */
static size_t decode_row(const sv4__tix *t, uint32_t row, uint32_t *ids) {
  const uint8_t *p = t->fwd[row], *end = p + t->fwd_len[row];
  size_t n = 0;
  while (p < end) {
    uint32_t v = get_varint(&p);
    ids[n++] = v ? v - 1 : UINT32_MAX;
  }
  return n;
}

/* The column-weighted count of ph's instances in a decoded row (ids from decode_row, n of them). */
static uint32_t phrase_count_decoded(const sv4__tix *t, const phrase *ph, const uint32_t *ids, size_t n) {
  uint32_t f = 0;
  int col = 0;
  for (size_t s = 0; s + ph->ntok <= n; s++) {
    if (ids[s] == UINT32_MAX) {
      col++;
      continue;
    }
    size_t k = 0; /* a column end (UINT32_MAX) never matches a token */
    while (k < ph->ntok && ids[s + k] != UINT32_MAX && tok_has(t, &ph->tok[k], ids[s + k])) k++;
    if (k == ph->ntok && col < 3) f += col_weight[col];
  }
  return f;
}

/* The same straight from the varint bytes when the first token is an exact word: memchr finds its code (a byte 0
 * only ever ends a column, and a code starts where the byte before has no continuation bit), and only the
 * tokens after a hit are decoded. */
static uint32_t phrase_count(const sv4__tix *t, const phrase *ph, uint32_t row) {
  uint8_t code[5];
  size_t cl = 0;
  for (uint32_t v = (uint32_t)ph->tok[0].id + 1;; v >>= 7) {
    code[cl++] = (uint8_t)(v >= 0x80 ? (v & 0x7f) | 0x80 : v);
    if (v < 0x80) break;
  }
  const uint8_t *start = t->fwd[row], *end = start + t->fwd_len[row], *p = start, *counted = start;
  uint32_t f = 0;
  int col = 0;
  while (p < end && (p = memchr(p, code[0], (size_t)(end - p))) != NULL) {
    const uint8_t *hit = p++;
    if ((hit > start && (hit[-1] & 0x80)) || (size_t)(end - hit) < cl || memcmp(hit, code, cl)) continue;
    for (; counted < hit; counted++) col += !*counted;
    const uint8_t *q = hit + cl;
    size_t k = 1;
    while (k < ph->ntok && q < end && *q) {
      uint32_t id = get_varint(&q) - 1;
      if (!tok_has(t, &ph->tok[k], id)) break;
      k++;
    }
    if (k == ph->ntok && col < 3) f += col_weight[col];
  }
  return f;
}

static void bits_set(uint64_t *b, uint32_t r) { b[r / 64] |= 1ull << (r % 64); }
static int bits_has(const uint64_t *b, uint32_t r) { return (int)(b[r / 64] >> (r % 64) & 1); }

/* Rows (and weighted counts) of one phrase. scratch: max_row counters, zero on entry and on return. */
static sv4_rc eval_phrase(const sv4__tix *t, phrase *ph, uint32_t *acc, uint64_t *tmp, uint64_t *cand, size_t w,
                          sv4_error *err) {
  for (size_t k = 0; k < ph->ntok; k++) resolve(t, &ph->tok[k]);
  if (!ph->ntok) return SV4_OK;
  for (size_t k = 0; k < ph->ntok; k++)
    if (!ph->tok[k].prefix ? ph->tok[k].id < 0 : ph->tok[k].lo == ph->tok[k].hi) return SV4_OK; /* no such word */
  if (ph->ntok == 1 && !ph->tok[0].prefix) { /* the common case: the postings as they are */
    ph->direct = &t->terms[ph->tok[0].id];
    ph->rows = ph->direct->rows;
    ph->n = ph->direct->n;
    return SV4_OK;
  }
  if (ph->ntok == 1) { /* a prefix: the union of its terms, counts summed */
    const qtok *k = &ph->tok[0];
    memset(cand, 0, w * sizeof *cand);
    size_t n = 0;
    for (size_t s = k->lo; s < k->hi; s++) {
      uint32_t id = t->sorted[s];
      const term *x = &t->terms[id];
      for (uint32_t i = 0; i < x->n; i++) {
        uint32_t r = x->rows[i];
        if (!acc[r]) n++;
        acc[r] += x->wf[i] == 255 ? exact_count(t, r, id) : x->wf[i];
        bits_set(cand, r);
      }
    }
    ph->own = 1;
    ph->rows = malloc((n ? n : 1) * sizeof *ph->rows);
    ph->freq = malloc((n ? n : 1) * sizeof *ph->freq);
    if (!ph->rows || !ph->freq) {
      for (size_t i = 0; i < w; i++)
        for (uint64_t b = cand[i]; b; b &= b - 1) acc[i * 64 + (size_t)__builtin_ctzll(b)] = 0;
      return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < w; i++)
      for (uint64_t b = cand[i]; b; b &= b - 1) {
        uint32_t r = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(b));
        ph->rows[ph->n] = r;
        ph->freq[ph->n++] = acc[r];
        acc[r] = 0;
      }
    return SV4_OK;
  }
  /* a phrase of several tokens: rows holding all of them, then the positions checked in the forward index */
  for (size_t k = 0; k < ph->ntok; k++) {
    const qtok *q = &ph->tok[k];
    uint64_t *dst = k ? tmp : cand;
    memset(dst, 0, w * sizeof *dst);
    size_t lo = q->prefix ? q->lo : 0, hi = q->prefix ? q->hi : 1;
    for (size_t s = lo; s < hi; s++) {
      const term *x = &t->terms[q->prefix ? t->sorted[s] : (uint32_t)q->id];
      for (uint32_t i = 0; i < x->n; i++) bits_set(dst, x->rows[i]);
    }
    if (k)
      for (size_t i = 0; i < w; i++) cand[i] &= tmp[i];
  }
  size_t n = 0, cap = 0, maxlen = 0;
  uint32_t *ids = NULL;
  ph->own = 1;
  for (size_t i = 0; i < w; i++)
    for (uint64_t b = cand[i]; b; b &= b - 1) {
      uint32_t r = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(b));
      uint32_t f;
      if (!ph->tok[0].prefix) {
        f = phrase_count(t, ph, r);
      } else {
        if (t->fwd_len[r] > maxlen) {
          uint32_t *x = realloc(ids, t->fwd_len[r] * sizeof *x);
          if (!x) goto nomem;
          ids = x;
          maxlen = t->fwd_len[r];
        }
        f = phrase_count_decoded(t, ph, ids, decode_row(t, r, ids));
      }
      if (!f) continue;
      if (n == cap) {
        cap = cap ? cap * 2 : 64;
        uint32_t *a = realloc(ph->rows, cap * sizeof *a);
        if (!a) goto nomem;
        ph->rows = a;
        uint32_t *c = realloc(ph->freq, cap * sizeof *c);
        if (!c) goto nomem;
        ph->freq = c;
      }
      ph->rows[n] = r;
      ph->freq[n++] = f;
    }
  ph->n = n;
  free(ids);
  return SV4_OK;
nomem:
  free(ids);
  return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
}

static uint32_t phrase_freq(const sv4__tix *t, const phrase *ph, size_t i) {
  if (!ph->direct) return ph->freq[i];
  uint8_t w = ph->direct->wf[i];
  return w == 255 ? exact_count(t, ph->rows[i], (uint32_t)(ph->direct - t->terms)) : w;
}

static void phrase_bits(const phrase *ph, uint64_t *dst, size_t w) {
  memset(dst, 0, w * sizeof *dst);
  for (size_t i = 0; i < ph->n; i++) bits_set(dst, ph->rows[i]);
}

/* FTS5's grammar over the phrases: runs joined by implicit AND bind tightest, then NOT, then OR (each left to
 * right). out receives the matching rows. */
static void eval_expr(const query *q, uint64_t *out, uint64_t *or_acc, uint64_t *not_acc, uint64_t *run, uint64_t *tmp,
                      size_t w) {
  memset(or_acc, 0, w * sizeof *or_acc);
  size_t i = 0;
  while (i < q->n) {
    /* one OR operand: run (NOT run)* */
    int first_run = 1;
    while (i < q->n) {
      phrase_bits(&q->ph[i], run, w);
      i++;
      while (i < q->n && q->ph[i].op == 0) {
        phrase_bits(&q->ph[i], tmp, w);
        for (size_t k = 0; k < w; k++) run[k] &= tmp[k];
        i++;
      }
      if (first_run)
        memcpy(not_acc, run, w * sizeof *run);
      else
        for (size_t k = 0; k < w; k++) not_acc[k] &= ~run[k];
      first_run = 0;
      if (i < q->n && q->ph[i].op == 2) continue;
      break;
    }
    for (size_t k = 0; k < w; k++) or_acc[k] |= not_acc[k];
  }
  memcpy(out, or_acc, w * sizeof *out);
}

sv4_rc sv4__tix_query(const sv4__tix *t, const char *fts, const uint64_t *also, size_t also_words, sv4__tix_hit **out,
                      size_t *nout, sv4_error *err) {
  *out = NULL;
  *nout = 0;
  query q = {0};
  sv4_rc rc = SV4_OK;
  size_t w = (t->max_row + 63) / 64, ww = w > also_words ? w : also_words;
  uint32_t *acc = NULL;
  uint64_t *bits = NULL;
  sv4__tix_hit *hits = NULL;
  if ((rc = parse(fts, &q, err))) goto done;
  bits = calloc(5 * (ww ? ww : 1), sizeof *bits);
  if (!bits) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  uint64_t *match = bits, *a = bits + ww, *b = bits + 2 * ww, *c = bits + 3 * ww, *d = bits + 4 * ww;
  int prefix = 0;
  for (size_t i = 0; i < q.n; i++) prefix |= q.ph[i].ntok == 1 && q.ph[i].tok[0].prefix;
  if (prefix && w && !(acc = calloc(t->max_row, sizeof *acc))) { /* counts of a prefix's terms, summed per row */
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < q.n && w; i++)
    if ((rc = eval_phrase(t, &q.ph[i], acc, a, b, w, err))) goto done;
  if (q.n && w) eval_expr(&q, match, a, b, c, d, w);
  /* the rows: text matches and the extra rows, ascending */
  size_t n = 0;
  for (size_t i = 0; i < ww; i++) {
    a[i] = match[i] | (also && i < also_words ? also[i] : 0);
    n += (size_t)__builtin_popcountll(a[i]);
  }
  hits = malloc((n ? n : 1) * sizeof *hits);
  if (!hits) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  size_t k = 0;
  for (size_t i = 0; i < ww; i++)
    for (uint64_t m = a[i]; m; m &= m - 1) {
      uint32_t r = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(m));
      hits[k++] = (sv4__tix_hit){.score = 0, .row = r, .text = bits_has(match, r)};
    }
  /* bm25 as FTS5 computes it: per phrase, idf × tf(k1 + 1) / (tf + k1(1 - b + b·D/avgdl)), added phrase by phrase
   * in query order; every phrase present in a matching row counts. Postings and hits are both ascending. */
  const double k1 = 1.2, bb = 0.75;
  double nrow = (double)t->nrows, avgdl = nrow > 0 ? (double)t->total_tokens / nrow : 0;
  for (size_t i = 0; i < q.n; i++) {
    const phrase *ph = &q.ph[i];
    double nhit = (double)ph->n;
    double idf = log((nrow - nhit + 0.5) / (nhit + 0.5));
    if (idf <= 0.0) idf = 1e-6;
    size_t h = 0;
    for (size_t j = 0; j < ph->n; j++) {
      uint32_t r = ph->rows[j];
      if (!bits_has(match, r)) continue;
      while (hits[h].row < r) h++;
      double f = (double)phrase_freq(t, ph, j), D = (double)t->ntok[r];
      hits[h].score += idf * ((f * (k1 + 1.0)) / (f + k1 * (1 - bb + bb * D / avgdl)));
    }
  }
  *out = hits;
  *nout = n;
  hits = NULL;
done:
  free(hits);
  free(acc);
  free(bits);
  query_free(&q);
  return rc;
}

/* ---- snippets ------------------------------------------------------------------------------------------------ */

#define SNIPPET_TOKENS 24

typedef struct stok {
  uint32_t start, end; /* bytes in the column */
  uint32_t last;       /* when phrases start here: the last token of the longest, else 0 */
  uint64_t match;      /* bit j: the token is query token j (the query's tokens numbered in order, at most 64) */
  uint64_t starts;     /* bit i: phrase i (not negated) starts here */
} stok;

typedef struct snip_ctx {
  const query *q;
  stok *tok;
  size_t n, cap;
  int bad;
} snip_ctx;

static int snip_token(void *ud, const char *tok, size_t len, size_t start, size_t end) {
  snip_ctx *c = ud;
  uint64_t m = 0;
  unsigned j = 0;
  for (size_t i = 0; i < c->q->n; i++)
    for (size_t k = 0; k < c->q->ph[i].ntok; k++, j++) {
      const qtok *x = &c->q->ph[i].tok[k];
      if (j < 64 && (x->prefix ? len >= x->n : len == x->n) && !memcmp(tok, x->s, x->n)) m |= 1ull << j;
    }
  if (grow((void **)&c->tok, &c->cap, c->n + 1, sizeof *c->tok)) {
    c->bad = 1;
    return 1;
  }
  c->tok[c->n++] = (stok){(uint32_t)start, (uint32_t)end, 0, m, 0};
  return 0;
}

/* Marks where the phrases start in a column (phrases under NOT are left out: the record does not have them, or
 * matched another way). */
static void find_instances(const query *q, const uint64_t *negated, stok *t, size_t n) {
  for (size_t p = 0; p < n; p++) {
    unsigned j = 0;
    for (size_t i = 0; i < q->n && i < 64; i++) {
      const phrase *ph = &q->ph[i];
      size_t k = 0;
      if (!(*negated >> i & 1) && ph->ntok && j + ph->ntok <= 64)
        while (k < ph->ntok && p + k < n && (t[p + k].match >> (j + k) & 1)) k++;
      if (ph->ntok && k == ph->ntok) {
        t[p].starts |= 1ull << i;
        if (p + k - 1 > t[p].last) t[p].last = (uint32_t)(p + k - 1);
      }
      j += (unsigned)ph->ntok;
    }
    if (t[p].starts && t[p].last < p) t[p].last = (uint32_t)p;
  }
}

sv4_rc sv4__tix_snippet(const char *fts, const char *const text[3], const size_t len[3], char **out, sv4_error *err) {
  *out = NULL;
  query q = {0};
  snip_ctx col[3] = {{0}};
  size_t scanned[3] = {0};
  sv4_buf b;
  sv4_buf_init(&b, 0);
  sv4_rc rc = parse(fts, &q, err);
  /* phrases under NOT: from a NOT to the next OR */
  uint64_t negated = 0;
  for (size_t i = 0, neg = 0; i < q.n && i < 64; i++) {
    neg = q.ph[i].op == 2 ? 1 : q.ph[i].op == 1 ? 0 : neg;
    if (neg) negated |= 1ull << i;
  }
  for (int c = 0; c < 3 && !rc; c++) {
    col[c].q = &q;
    scanned[c] = len[c] < SV4_MAX_SNIPPET_SCAN_BYTES ? len[c] : SV4_MAX_SNIPPET_SCAN_BYTES;
    if (text[c] && scanned[c]) sv4__tokenize(text[c], scanned[c], snip_token, &col[c]);
    if (col[c].bad)
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    else
      find_instances(&q, &negated, col[c].tok, col[c].n);
  }
  /* the window of SNIPPET_TOKENS tokens with the most distinct phrases (1000 each) and instances (1 each), moved
   * to centre them; the first best wins (title before summary before body) */
  long best = -1;
  int bc = -1;
  size_t bs = 0;
  for (int c = 0; c < 3 && !rc; c++) {
    const stok *t = col[c].tok;
    size_t n = col[c].n;
    for (size_t a = 0; a < n; a++) {
      if (!t[a].starts) continue;
      uint64_t seen = 0;
      long score = 0;
      size_t hi = t[a].last;
      for (size_t p = a; p < n && p < a + SNIPPET_TOKENS; p++) {
        if (!t[p].starts || t[p].last >= a + SNIPPET_TOKENS) continue;
        score += 1000 * __builtin_popcountll(t[p].starts & ~seen) + __builtin_popcountll(t[p].starts & seen);
        seen |= t[p].starts;
        if (t[p].last > hi) hi = t[p].last;
      }
      if (score <= best) continue;
      size_t span = hi - a + 1, back = span < SNIPPET_TOKENS ? (SNIPPET_TOKENS - span) / 2 : 0;
      size_t start = a > back ? a - back : 0;
      if (start + SNIPPET_TOKENS > n) start = n > SNIPPET_TOKENS ? n - SNIPPET_TOKENS : 0;
      best = score, bc = c, bs = start;
    }
  }
  if (bc < 0) /* no instance seen (beyond the scanned bytes): the start of the first column with words */
    for (int c = 0; c < 3 && bc < 0; c++)
      if (col[c].n) bc = c, bs = 0;
  if (!rc && bc >= 0) {
    const stok *t = col[bc].tok;
    size_t n = col[bc].n, end = bs + SNIPPET_TOKENS < n ? bs + SNIPPET_TOKENS : n;
    int more = end < n || scanned[bc] < len[bc];
    const char *s = text[bc];
    size_t pos = bs ? t[bs].start : 0; /* a column's first window keeps what comes before its first word */
    if (bs) sv4_buf_puts(&b, "\xE2\x80\xA6");
    for (size_t p = bs; p < end;) {
      if (!t[p].starts || t[p].last >= end) {
        p++;
        continue;
      }
      size_t last = t[p].last; /* one mark over the instance and every instance overlapping it */
      for (size_t r = p + 1; r <= last; r++)
        if (t[r].starts && t[r].last < end && t[r].last > last) last = t[r].last;
      sv4_buf_html_escape(&b, s + pos, t[p].start - pos);
      sv4_buf_puts(&b, "<mark>");
      sv4_buf_html_escape(&b, s + t[p].start, t[last].end - t[p].start);
      sv4_buf_puts(&b, "</mark>");
      pos = t[last].end;
      p = last + 1;
    }
    size_t stop = more ? t[end - 1].end : len[bc];
    if (stop > pos) sv4_buf_html_escape(&b, s + pos, stop - pos);
    if (more) sv4_buf_puts(&b, "\xE2\x80\xA6");
  }
  if (!rc) {
    *out = sv4_buf_steal(&b, NULL);
    if (!*out) rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  sv4_buf_free(&b);
  for (int c = 0; c < 3; c++) free(col[c].tok);
  query_free(&q);
  return rc;
}
