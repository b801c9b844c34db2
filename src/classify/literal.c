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
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
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
    if (in_tail) t[nt++] = (char)b;
    else l[nl++] = (char)b;
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
  if (rc) sv4__literals_free(L);
  else *out = L;
  return rc;
}
