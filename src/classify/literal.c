/* literal.c — the literal-prefix form of the phrase expressions (docs/rules.md "Scoring in detail", step 2).
 * A phrase expression ` odnawialn[^ ]* źród[^ ]* energii ` is scanned as its literal part up to the first wildcard
 * (` odnawialn`), which vectorscan finds with its literal engines; the rest (the "tail") is verified in C at the
 * match position on the same normalised text. Identical literal prefixes share one vectorscan id with a list of
 * candidate patterns. The semantics are exactly those of the regular expression: `[^ ]*` consumes the whole rest
 * of the word (it cannot cross a space and the next element of an expression is always a space), so each literal
 * occurrence gives at most one match, ending at the same offset as the regular expression's. */
#include <stdlib.h>
#include <string.h>

#include "classify/internal.h"
#include "sv4/limits.h"

/* Decodes one element of an expression at e: a literal byte (plain or \xNN) or the wildcard "[^ ]*". Returns the
 * number of expression bytes consumed; *byte receives the byte, or SV4__TAIL_WILD for the wildcard. 0 at the end
 * or on a malformed expression. */
static size_t next_elem(const char *e, int *byte) {
  static const char wild[] = "[^ ]*";
  if (!*e) return 0;
  if (!strncmp(e, wild, sizeof wild - 1)) {
    *byte = SV4__TAIL_WILD;
    return sizeof wild - 1;
  }
  if (e[0] == '\\' && e[1] == 'x') {
    int v = 0;
    for (int k = 2; k < 4; k++) {
      char c = e[k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return 0;
      v = v * 16 + d;
    }
    if (v == 0) return 0; /* NUL marks the wildcard in tails; normalised text never contains it */
    *byte = v;
    return 4;
  }
  if (e[0] == '\\') return 0;
  *byte = (unsigned char)e[0];
  return 1;
}

sv4_rc sv4__expr_split(const char *expr, char **lit, size_t *litlen, char **tail, size_t *taillen) {
  size_t n = strlen(expr);
  char *l = malloc(n + 1), *t = malloc(n + 1);
  size_t nl = 0, nt = 0;
  int in_tail = 0;
  *lit = *tail = NULL;
  *litlen = *taillen = 0;
  if (!l || !t) {
    free(l);
    free(t);
    return SV4_ERR_NOMEM;
  }
  for (const char *e = expr; *e;) {
    int b = 0;
    size_t k = next_elem(e, &b);
    if (!k) {
      free(l);
      free(t);
      return SV4_ERR_PARSE;
    }
    e += k;
    if (b == SV4__TAIL_WILD) in_tail = 1;
    if (in_tail)
      t[nt++] = (char)b;
    else
      l[nl++] = (char)b;
  }
  if (!nl) {
    free(l);
    free(t);
    return SV4_ERR_PARSE;
  }
  l[nl] = t[nt] = 0;
  *lit = l;
  *litlen = nl;
  *tail = t;
  *taillen = nt;
  return SV4_OK;
}

void sv4__literals_free(sv4__literals *L) {
  if (!L) return;
  if (L->borrowed) { /* the strings and the arrays but these two are the cache mapping's */
    free(L->lit);
    free(L->litlen);
    free(L);
    return;
  }
  for (size_t i = 0; i < L->nlit; i++) free(L->lit[i]);
  free(L->lit);
  free(L->litlen);
  free(L->cand0);
  free(L->cand);
  free(L->tail0);
  free(L->tails);
  free(L);
}

static uint64_t lit_hash(const char *s, size_t n) { return sv4_hash64(s, n, 7); }

sv4_rc sv4__literals_build(const char *const *exprs, size_t npats, sv4__literals **out) {
  sv4_rc rc = SV4_OK;
  sv4__literals *L = calloc(1, sizeof *L);
  uint32_t *pat_lit = malloc((npats ? npats : 1) * sizeof *pat_lit);
  size_t htcap = 16;
  while (htcap < npats * 2 + 2) htcap *= 2;
  uint32_t *ht = calloc(htcap, sizeof *ht);
  size_t caplit = 0, captails = 0;
  *out = NULL;
  if (!L || !pat_lit || !ht) goto oom;
  L->tail0 = malloc((npats + 1) * sizeof *L->tail0);
  if (!L->tail0) goto oom;
  for (size_t i = 0; i < npats; i++) {
    char *lit = NULL, *tail = NULL;
    size_t ll = 0, tl = 0;
    rc = sv4__expr_split(exprs[i], &lit, &ll, &tail, &tl);
    if (rc) goto done;
    /* tail into the blob */
    if (L->ntails + tl + 1 > captails) {
      size_t c = captails ? captails * 2 : 4096;
      while (c < L->ntails + tl + 1) c *= 2;
      char *q = realloc(L->tails, c);
      if (!q) {
        free(lit);
        free(tail);
        goto oom;
      }
      L->tails = q;
      captails = c;
    }
    L->tail0[i] = (uint32_t)L->ntails;
    memcpy(L->tails + L->ntails, tail, tl);
    L->ntails += tl;
    free(tail);
    /* literal: shared by identical prefixes */
    size_t h = (size_t)lit_hash(lit, ll) & (htcap - 1);
    while (ht[h] && !(L->litlen[ht[h] - 1] == ll && !memcmp(L->lit[ht[h] - 1], lit, ll))) h = (h + 1) & (htcap - 1);
    if (ht[h]) {
      pat_lit[i] = ht[h] - 1;
      free(lit);
    } else {
      if (L->nlit == caplit) {
        size_t c = caplit ? caplit * 2 : 256;
        char **a = realloc(L->lit, c * sizeof *a);
        if (a) L->lit = a;
        size_t *b = realloc(L->litlen, c * sizeof *b);
        if (b) L->litlen = b;
        if (!a || !b) {
          free(lit);
          goto oom;
        }
        caplit = c;
      }
      L->lit[L->nlit] = lit;
      L->litlen[L->nlit] = ll;
      ht[h] = (uint32_t)++L->nlit;
      pat_lit[i] = (uint32_t)L->nlit - 1;
    }
  }
  L->tail0[npats] = (uint32_t)L->ntails;
  /* candidates grouped by literal, in pattern order */
  L->cand0 = calloc(L->nlit + 1, sizeof *L->cand0);
  L->cand = malloc((npats ? npats : 1) * sizeof *L->cand);
  if (!L->cand0 || !L->cand) goto oom;
  for (size_t i = 0; i < npats; i++) L->cand0[pat_lit[i] + 1]++;
  for (size_t i = 0; i < L->nlit; i++) L->cand0[i + 1] += L->cand0[i];
  {
    uint32_t *fill = calloc(L->nlit + 1, sizeof *fill);
    if (!fill) goto oom;
    for (size_t i = 0; i < npats; i++) {
      uint32_t li = pat_lit[i];
      L->cand[L->cand0[li] + fill[li]++] = (uint32_t)i;
    }
    free(fill);
  }
  goto done;
oom:
  rc = SV4_ERR_NOMEM;
done:
  free(pat_lit);
  free(ht);
  if (rc)
    sv4__literals_free(L);
  else
    *out = L;
  return rc;
}

/* ---- scan sets ------------------------------------------------------------------------------------------------ */

void sv4__scanset_free(sv4__scanset *s) {
  if (!s) return;
  if (!s->mapped) {
    free((void *)s->litlen);
    free((void *)s->cand0);
    free((void *)s->cand);
    free((void *)s->own);
    free((void *)s->uses);
  }
  free(s->lit);
  free(s);
}

/* A byte blob that grows (the own bytes of a scan set while it is built). */
typedef struct blob {
  char *p;
  size_t n, cap;
} blob;

/* Appends s[0..len) to b (allocated from the first call on, len 0 or not); returns its offset, or UINT32_MAX when
 * out of memory. */
static uint32_t blob_put(blob *b, const char *s, size_t len) {
  if (b->n + len > b->cap || !b->p) {
    size_t c = b->cap ? b->cap * 2 : 4096;
    while (c < b->n + len) c *= 2;
    char *q = realloc(b->p, c);
    if (!q) return UINT32_MAX;
    b->p = q;
    b->cap = c;
  }
  if (len) memcpy(b->p + b->n, s, len);
  b->n += len;
  return (uint32_t)(b->n - len);
}

/* FNV-1a, which hashes the prefixes of a string one byte after the other. */
static inline uint64_t prefix_hash_step(uint64_t h, char c) { return (h ^ (unsigned char)c) * 1099511628211ull; }
static uint64_t prefix_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = prefix_hash_step(h, s[i]);
  return h;
}

/* One candidate before grouping: the id of its scanned literal and the record. */
typedef struct pend_cand {
  uint32_t sid;
  sv4__cand c;
} pend_cand;

/* The order of the candidates of one literal: by exact literal (none first), then tail bytes, then pattern. */
static int cmp_cand(const char *own, const sv4__cand *x, const sv4__cand *y) {
  if (x->litlen != y->litlen) return x->litlen < y->litlen ? -1 : 1;
  int d = x->litlen ? memcmp(own + x->lit, own + y->lit, x->litlen) : 0;
  if (d) return d;
  size_t n = x->taillen < y->taillen ? x->taillen : y->taillen;
  d = n ? memcmp(own + x->tail, own + y->tail, n) : 0;
  if (d) return d;
  if (x->taillen != y->taillen) return x->taillen < y->taillen ? -1 : 1;
  return x->pat < y->pat ? -1 : x->pat > y->pat;
}

sv4_rc sv4__scanset_build(const sv4_classifier *c, int kind, int lang, sv4__scanset **out) {
  const sv4_rules *r = c->rules;
  const sv4__literals *L = c->lits;
  *out = NULL;
  if (kind == SV4__SCAN_PAIRED && !lang) return SV4_OK; /* texts of unknown language are scanned twice */
  uint8_t bits = lang ? (uint8_t)(1u << lang) : 0xFF;
  if (kind == SV4__SCAN_PAIRED) {
    /* only for a language with fold patterns: the others are scanned once anyway */
    int any = 0;
    for (size_t p = 0; p < r->npats && !any; p++) any = r->pats[p].fold && (r->pats[p].langmask & bits);
    if (!any) return SV4_OK;
  }
  sv4__scanset *S = calloc(1, sizeof *S);
  pend_cand *pc = malloc((r->npats ? r->npats : 1) * sizeof *pc);
  double *wts = malloc((r->nrules ? r->nrules : 1) * sizeof *wts);
  uint32_t *ht = NULL, *off = NULL; /* off: per id, its literal's offset in own (PAIRED) or index in L */
  uint32_t *into = NULL, *newid = NULL, *litlen = NULL, *cand0 = NULL;
  sv4__cand *cand = NULL;
  sv4__use *uses = NULL;
  blob own = {0}, lits = {0};
  size_t htcap = 16, npc = 0, cap = 0, n = 0, nuses = 0, capuses = 0, nw = 0;
  sv4_rc rc = SV4_OK;
  if (!S || !pc || !wts) goto oom;
  /* the rules' distinct weights, largest first: a use's rank orders as its weight, descending */
  for (size_t i = 0; i < r->nrules; i++) {
    double x = r->rules[i].weight;
    size_t k = 0;
    while (k < nw && wts[k] > x) k++;
    if (k < nw && wts[k] == x) continue;
    memmove(wts + k + 1, wts + k, (nw - k) * sizeof *wts);
    wts[k] = x;
    nw++;
  }
  if (kind == SV4__SCAN_PAIRED) {
    while (htcap < L->nlit * 4 + 4) htcap *= 2;
    ht = calloc(htcap, sizeof *ht);
    if (!ht) goto oom;
  }
  for (size_t i = 0; i < L->nlit; i++) {
    /* A literal gives at most two scanned strings: itself (exact patterns in EXACT, fold patterns in FOLD and
     * PAIRED) and, in PAIRED, its character-wise fold (for its exact patterns). */
    uint32_t sid_as_is = UINT32_MAX, sid_folded = UINT32_MAX, exact_off = UINT32_MAX;
    for (uint32_t k = L->cand0[i]; k < L->cand0[i + 1]; k++) {
      uint32_t p = L->cand[k];
      const sv4__pattern *pt = &r->pats[p];
      if (!(pt->langmask & bits) || (kind != SV4__SCAN_PAIRED && pt->fold != kind)) continue;
      int folded = kind == SV4__SCAN_PAIRED && !pt->fold;
      uint32_t *sid = folded ? &sid_folded : &sid_as_is;
      if (*sid == UINT32_MAX) {
        char fbuf[4 * SV4_MAX_TERM_BYTES + 16];
        const char *str = L->lit[i];
        size_t len = L->litlen[i];
        if (folded) {
          long fl = sv4_fold_normalised(L->lit[i], L->litlen[i], fbuf, sizeof fbuf);
          if (fl < 0) goto unsupported;
          str = fbuf;
          len = (size_t)fl;
        }
        size_t h = 0;
        if (kind == SV4__SCAN_PAIRED) {
          /* PAIRED strings are kept in lits and shared when equal (" zrodl" of `źródł*` and of a fold phrase) */
          h = (size_t)prefix_hash(str, len) & (htcap - 1);
          while (ht[h] && !(litlen[ht[h] - 1] == len && !memcmp(lits.p + off[ht[h] - 1], str, len)))
            h = (h + 1) & (htcap - 1);
        }
        if (ht && ht[h]) {
          *sid = ht[h] - 1;
        } else {
          if (n == cap) {
            size_t cp = cap ? cap * 2 : 256;
            uint32_t *a = realloc(litlen, cp * sizeof *a);
            if (a) litlen = a;
            uint32_t *b = a ? realloc(off, cp * sizeof *b) : NULL;
            if (b) off = b;
            if (!b) goto oom;
            cap = cp;
          }
          if (kind == SV4__SCAN_PAIRED) {
            if ((off[n] = blob_put(&lits, str, len)) == UINT32_MAX) goto oom;
            ht[h] = (uint32_t)n + 1;
          } else {
            off[n] = (uint32_t)i;
          }
          litlen[n] = (uint32_t)len;
          *sid = (uint32_t)n++;
        }
      }
      sv4__cand *cd = &pc[npc].c;
      pc[npc++].sid = *sid;
      memset(cd, 0, sizeof *cd);
      cd->pat = p;
      cd->tail = L->tail0[p]; /* in L->tails until the tails are copied to own */
      cd->taillen = (uint16_t)(L->tail0[p + 1] - L->tail0[p]);
      cd->nwords = pt->nwords;
      /* the uses by rules of the set's language, in rule order */
      cd->use0 = (uint32_t)nuses;
      for (uint32_t u = 0; u < pt->nuse; u++) {
        uint32_t ri = r->uses[pt->use0 + u];
        const sv4__rule *ru = &r->rules[ri];
        if (lang && ru->lang != (sv4_lang)lang) continue;
        if (nuses == capuses) {
          size_t cp = capuses ? capuses * 2 : 1024;
          sv4__use *q = realloc(uses, cp * sizeof *q);
          if (!q) goto oom;
          uses = q;
          capuses = cp;
        }
        sv4__use *x = &uses[nuses++];
        memset(x, 0, sizeof *x);
        size_t wr = 0;
        while (wts[wr] != ru->weight) wr++;
        x->weight = ru->weight;
        x->rule = ri;
        x->code = ru->code_id;
        x->label = r->codes[ru->code_id].label;
        x->wrank = (uint32_t)wr;
        x->idlen = (uint32_t)strlen(ru->id);
        x->lang = (uint8_t)ru->lang;
        x->scheme = (uint8_t)ru->scheme;
        x->groups = ru->nwith || ru->nnot;
      }
      cd->nuse = (uint32_t)nuses - cd->use0;
      if (folded) {
        if (exact_off == UINT32_MAX && (exact_off = blob_put(&own, L->lit[i], L->litlen[i])) == UINT32_MAX) goto oom;
        cd->lit = exact_off;
        cd->litlen = (uint16_t)L->litlen[i];
      }
    }
  }
  if (!n) goto unsupported; /* nothing to scan for */
  /* A literal that begins with another of the set is not scanned for: its candidates become the shorter one's,
   * with the rest of the literal put in front of their tails (an exact candidate of a PAIRED set checks its exact
   * literal instead, unchanged). Every occurrence of the longer is one of the shorter at the same place, so the
   * matches are the same, with fewer reports from vectorscan: " energ" is reported for "energia" once, not three
   * times for " energ", " energi" and " energia". */
  into = malloc(n * sizeof *into);
  newid = malloc(n * sizeof *newid);
  if (!into || !newid) goto oom;
  {
    size_t hc = 16;
    while (hc < n * 2 + 2) hc *= 2;
    free(ht);
    ht = calloc(hc, sizeof *ht);
    if (!ht) goto oom;
#define LITP(i) (kind == SV4__SCAN_PAIRED ? lits.p + off[i] : L->lit[off[i]])
    for (size_t i = 0; i < n; i++) {
      size_t h = (size_t)prefix_hash(LITP(i), litlen[i]) & (hc - 1);
      while (ht[h]) h = (h + 1) & (hc - 1);
      ht[h] = (uint32_t)i + 1;
    }
    for (size_t i = 0; i < n; i++) {
      into[i] = (uint32_t)i;
      const char *li = LITP(i);
      uint64_t hk = prefix_hash(li, 1);
      for (size_t k = 2; k < litlen[i] && into[i] == i; k++) {
        hk = prefix_hash_step(hk, li[k - 1]); /* the hash of li[0..k) */
        for (size_t h = (size_t)hk & (hc - 1); ht[h]; h = (h + 1) & (hc - 1)) {
          uint32_t j = ht[h] - 1;
          if (litlen[j] == k && !memcmp(LITP(j), li, k)) {
            into[i] = j;
            break;
          }
        }
      }
    }
    /* the literals still scanned for, renumbered in their order */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
      if (into[i] == i) newid[i] = (uint32_t)m++;
    /* tails into own, each prefixed with the rest of its literal when that was merged */
    for (size_t k = 0; k < npc; k++) {
      uint32_t sid = pc[k].sid, to = into[sid];
      sv4__cand *cd = &pc[k].c;
      const char *tail = L->tails + cd->tail;
      size_t tl = cd->taillen, xl = 0;
      char x[4 * SV4_MAX_TERM_BYTES + 16];
      if (to != sid && !cd->litlen) {
        xl = litlen[sid] - litlen[to];
        memcpy(x, LITP(sid) + litlen[to], xl);
      }
      uint32_t at = blob_put(&own, x, xl);
      if (at == UINT32_MAX || blob_put(&own, tail, tl) == UINT32_MAX) goto oom;
      if (xl + tl > SV4__MAX_TAIL) { /* cannot happen: a phrase is at most SV4_MAX_TERM_BYTES */
        if (kind == SV4__SCAN_PAIRED) goto unsupported;
        rc = SV4_ERR_LIMIT;
        goto fail;
      }
      cd->tail = at;
      cd->taillen = (uint16_t)(xl + tl);
      if (cd->taillen <= SV4__TAIL_INLINE) memcpy(cd->tin, own.p + at, cd->taillen);
      pc[k].sid = newid[to];
    }
    for (size_t i = 0; i < n; i++)
      if (into[i] == i) {
        off[newid[i]] = off[i];
        litlen[newid[i]] = litlen[i];
      }
    n = m;
  }
  /* the scanned literals, for compiling; in own after everything else when PAIRED */
  S->lit = malloc(n * sizeof *S->lit);
  if (!S->lit) goto oom;
  if (kind == SV4__SCAN_PAIRED) {
    uint32_t base = blob_put(&own, "", 0);
    if (base == UINT32_MAX || blob_put(&own, lits.p, lits.n) == UINT32_MAX) goto oom;
    for (size_t i = 0; i < n; i++) S->lit[i] = own.p + base + off[i];
  } else {
    for (size_t i = 0; i < n; i++) S->lit[i] = L->lit[off[i]];
  }
#undef LITP
  /* group by scanned literal */
  cand0 = calloc(n + 1, sizeof *cand0);
  cand = malloc((npc ? npc : 1) * sizeof *cand);
  if (!cand0 || !cand) goto oom;
  for (size_t k = 0; k < npc; k++) cand0[pc[k].sid + 1]++;
  for (size_t i = 0; i < n; i++) cand0[i + 1] += cand0[i];
  for (size_t k = 0; k < npc; k++) cand[cand0[pc[k].sid]++] = pc[k].c;
  for (size_t i = n; i > 0; i--) cand0[i] = cand0[i - 1];
  cand0[0] = 0;
  for (size_t i = 0; i < n; i++) {
    for (uint32_t a = cand0[i] + 1; a < cand0[i + 1]; a++)
      for (uint32_t b = a; b > cand0[i] && cmp_cand(own.p, &cand[b - 1], &cand[b]) > 0; b--) {
        sv4__cand t = cand[b];
        cand[b] = cand[b - 1];
        cand[b - 1] = t;
      }
    for (uint32_t a = cand0[i] + 1; a < cand0[i + 1]; a++) {
      const sv4__cand *x = &cand[a - 1];
      sv4__cand *y = &cand[a];
      if (x->litlen != y->litlen || (x->litlen && memcmp(own.p + x->lit, own.p + y->lit, x->litlen))) continue;
      size_t k = 0, m = x->taillen < y->taillen ? x->taillen : y->taillen;
      while (k < m && k < 254 && own.p[x->tail + k] == own.p[y->tail + k]) k++;
      y->skip = (uint8_t)(1 + k);
    }
    /* where to go on from a candidate that fails at its exact literal (next0) or at its tail's first element
     * (next1): the next one that does not share it (at most 65535 on: a shorter jump only visits more) */
    uint32_t n0 = cand0[i + 1], n1 = cand0[i + 1];
    for (uint32_t a = cand0[i + 1]; a-- > cand0[i];) {
      sv4__cand *y = &cand[a];
      y->next0 = (uint16_t)(n0 - a < 65535 ? n0 - a : 65535);
      y->next1 = (uint16_t)(n1 - a < 65535 ? n1 - a : 65535);
      if (y->skip == 0) n0 = a;
      if (y->skip <= 1) n1 = a;
    }
  }
  S->n = n;
  S->litlen = litlen;
  S->cand0 = cand0;
  S->cand = cand;
  S->own = own.p;
  S->nown = own.n;
  S->uses = uses;
  S->nuses = nuses;
  litlen = cand0 = NULL;
  cand = NULL;
  uses = NULL;
  own.p = NULL;
  goto done;
unsupported:
  sv4__scanset_free(S);
  S = NULL;
  goto done;
oom:
  rc = SV4_ERR_NOMEM;
fail:
  sv4__scanset_free(S);
  S = NULL;
done:
  free(pc);
  free(wts);
  free(ht);
  free(off);
  free(into);
  free(newid);
  free(litlen);
  free(cand0);
  free(cand);
  free(uses);
  free(own.p);
  free(lits.p);
  *out = S;
  return rc;
}

int sv4__scanset_check(const sv4_classifier *c, const sv4__scanset *S) {
  const sv4_rules *r = c->rules;
  if (!S->n || S->cand0[0] != 0) return -1;
  for (size_t i = 0; i < S->n; i++) {
    if (S->litlen[i] < 2 || S->cand0[i] >= S->cand0[i + 1]) return -1;
    for (uint32_t k = S->cand0[i]; k < S->cand0[i + 1]; k++) {
      const sv4__cand *cd = &S->cand[k];
      if (cd->pat >= r->npats || cd->use0 > S->nuses || cd->nuse > S->nuses - cd->use0 || !cd->next0 || !cd->next1 ||
          cd->next0 > S->cand0[i + 1] - k || cd->next1 > S->cand0[i + 1] - k || (k == S->cand0[i] && cd->skip) ||
          cd->taillen > SV4__MAX_TAIL ||
          (cd->taillen > SV4__TAIL_INLINE && (cd->tail > S->nown || cd->taillen > S->nown - cd->tail)) ||
          (cd->litlen && (cd->lit > S->nown || cd->litlen > S->nown - cd->lit)))
        return -1;
    }
  }
  for (size_t u = 0; u < S->nuses; u++) {
    const sv4__use *x = &S->uses[u];
    if (x->rule >= r->nrules || x->code >= r->ncodes || x->label >= r->ncodes || x->lang >= SV4_LANG_COUNT ||
        x->scheme >= SV4_SCHEME_COUNT || x->idlen != strlen(r->rules[x->rule].id) ||
        x->weight != r->rules[x->rule].weight)
      return -1;
  }
  return 0;
}
