/* rules.c — the rule language parser (docs/rules.md): rule files -> rules, deduplicated vectorscan patterns,
 * codes. Errors name file:line. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/internal.h"
#include "sv4/limits.h"

#define MAX_RULE_FILES 4096

sv4_rules *sv4__rules_new(void) { return calloc(1, sizeof(sv4_rules)); }

static void group_free(sv4__group *g, size_t n) {
  for (size_t i = 0; i < n; i++) free(g[i].pats);
  free(g);
}

void sv4__rules_free(sv4_rules *r) {
  if (!r) return;
  if (r->borrowed) { /* the rest is the cache mapping's */
    free(r->rules);
    free(r->pats);
    free(r->codes);
    free(r->files);
    free(r->block);
    free(r);
    return;
  }
  for (size_t i = 0; i < r->nrules; i++) {
    sv4__rule *u = &r->rules[i];
    free(u->id);
    free(u->code);
    for (size_t j = 0; j < u->nterms; j++) free(u->terms[j]);
    free(u->terms);
    free(u->term_pats);
    group_free(u->with, u->nwith);
    group_free(u->nots, u->nnot);
  }
  free(r->rules);
  for (size_t i = 0; i < r->npats; i++) free(r->pats[i].expr);
  free(r->pats);
  free(r->uses);
  for (size_t i = 0; i < r->ncodes; i++) free(r->codes[i].code);
  free(r->codes);
  for (size_t i = 0; i < r->nfiles; i++) free(r->files[i]);
  free(r->files);
  for (int i = 0; i < SV4_SCHEME_COUNT; i++) free(r->version[i]);
  free(r->pat_ht);
  free(r->rule_ht);
  free(r->pend);
  free(r);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap * 2 : 64;
  while (c < need) c *= 2;
  void *q = realloc(*p, c * elem);
  if (!q) return -1;
  *p = q;
  *cap = c;
  return 0;
}

static uint64_t str_hash(const char *s) { return sv4_hash64(s, strlen(s), 0); }

/* Open-addressing set of indices keyed by a string taken from get(ctx, index). Returns the slot for s. */
static uint32_t *ht_slot(uint32_t *ht, size_t cap, const char *s, const char *(*get)(const sv4_rules *, uint32_t),
                         const sv4_rules *r) {
  size_t i = (size_t)str_hash(s) & (cap - 1);
  while (ht[i]) {
    if (!strcmp(get(r, ht[i] - 1), s)) return &ht[i];
    i = (i + 1) & (cap - 1);
  }
  return &ht[i];
}

static const char *pat_key(const sv4_rules *r, uint32_t i) { return r->pats[i].expr; }
static const char *rule_key(const sv4_rules *r, uint32_t i) { return r->rules[i].id; }

static int ht_rehash(uint32_t **ht, size_t *cap, size_t n, const char *(*get)(const sv4_rules *, uint32_t),
                     const sv4_rules *r) {
  if (*cap && n * 2 < *cap) return 0;
  size_t c = *cap ? *cap * 2 : 1024;
  uint32_t *t = calloc(c, sizeof *t);
  if (!t) return -1;
  for (size_t i = 0; i < n; i++) *ht_slot(t, c, get(r, (uint32_t)i), get, r) = (uint32_t)i + 1;
  free(*ht);
  *ht = t;
  *cap = c;
  return 0;
}

/* ---- phrases -> expressions ------------------------------------------------------------------------------ */

static int emit(sv4_buf *b, const char *s) { return sv4_buf_puts(b, s) != SV4_OK; }

/* Appends one normalised word as a byte-mode regex; fold expands ASCII letters into their diacritic variants. */
static int emit_word(sv4_buf *b, const char *w, size_t n, int fold) {
  char tmp[8];
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)w[i];
    if (fold && c >= 'a' && c <= 'z') {
      const char *var[64];
      size_t nv = sv4_fold_variants((char)c, var, 64);
      if (nv) {
        if (emit(b, "(?:")) return -1;
        tmp[0] = (char)c;
        tmp[1] = 0;
        if (emit(b, tmp)) return -1;
        for (size_t k = 0; k < nv && k < 64; k++) {
          if (emit(b, "|")) return -1;
          for (const unsigned char *p = (const unsigned char *)var[k]; *p; p++) {
            snprintf(tmp, sizeof tmp, "\\x%02x", *p);
            if (emit(b, tmp)) return -1;
          }
        }
        if (emit(b, ")")) return -1;
        continue;
      }
    }
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      tmp[0] = (char)c;
      tmp[1] = 0;
    } else {
      snprintf(tmp, sizeof tmp, "\\x%02x", c);
    }
    if (emit(b, tmp)) return -1;
  }
  return 0;
}

sv4_rc sv4__phrase_expr(const char *phrase, size_t len, int fold, char **expr, int *nwords, char *msg, size_t msgsz) {
  sv4_buf b;
  sv4_buf_init(&b, 64 * 1024);
  sv4_rc rc = SV4_OK;
  char *raw = NULL;
  int words = 0;
  size_t normlen = 0;
  *expr = NULL;
  /* Diacritic-insensitive phrases are matched against the folded normalisation of the text: they are marked
   * with a leading \x01 (not part of the expression) so that they never share a pattern with exact phrases. */
  if (fold && emit(&b, "\x01")) goto oom;
  if (emit(&b, " ")) goto oom;
  size_t i = 0;
  while (i < len) {
    while (i < len && isspace((unsigned char)phrase[i])) i++;
    if (i >= len) break;
    size_t s = i;
    while (i < len && !isspace((unsigned char)phrase[i])) i++;
    size_t e = i;
    int wild = 0;
    if (e > s && phrase[e - 1] == '*') {
      wild = 1;
      e--;
    }
    if (memchr(phrase + s, '*', e - s)) {
      snprintf(msg, msgsz, "'*' only at the end of a word: '%.*s'", (int)(i - s), phrase + s);
      rc = SV4_ERR_PARSE;
      goto done;
    }
    char *nw = sv4_normalize_term(phrase + s, e - s, fold ? SV4_NORM_FOLD_DIACRITICS : 0);
    if (!nw) {
      snprintf(msg, msgsz, "invalid UTF-8 in '%.*s'", (int)(i - s), phrase + s);
      rc = SV4_ERR_PARSE;
      goto done;
    }
    if (!*nw) {
      free(nw);
      if (wild) {
        snprintf(msg, msgsz, "a wildcard needs at least three letters before it: '%.*s'", (int)(i - s), phrase + s);
        rc = SV4_ERR_PARSE;
        goto done;
      }
      continue; /* pure punctuation */
    }
    /* The normalised word may have become several ("co-operation" -> "co operation"). */
    char *p = nw;
    while (*p) {
      char *sp = strchr(p, ' ');
      size_t wl = sp ? (size_t)(sp - p) : strlen(p);
      int last = !sp;
      if (words > 0 && emit(&b, " ")) {
        free(nw);
        goto oom;
      }
      if (emit_word(&b, p, wl, 0)) {
        free(nw);
        goto oom;
      }
      normlen += wl + 1;
      words++;
      if (last && wild) {
        size_t letters = 0;
        for (size_t k = 0; k < wl; k++)
          if (((unsigned char)p[k] & 0xC0) != 0x80) letters++;
        if (letters < 3) {
          snprintf(msg, msgsz, "a wildcard needs at least three letters before it: '%.*s'", (int)(i - s), phrase + s);
          free(nw);
          rc = SV4_ERR_PARSE;
          goto done;
        }
        if (emit(&b, "[^ ]*")) {
          free(nw);
          goto oom;
        }
      }
      p += wl;
      if (*p == ' ') p++;
    }
    free(nw);
  }
  if (!words) {
    snprintf(msg, msgsz, "empty phrase");
    rc = SV4_ERR_PARSE;
    goto done;
  }
  if (normlen > SV4_MAX_TERM_BYTES) {
    snprintf(msg, msgsz, "phrase longer than %u bytes", (unsigned)SV4_MAX_TERM_BYTES);
    rc = SV4_ERR_LIMIT;
    goto done;
  }
  if (words > 32) {
    snprintf(msg, msgsz, "phrase of more than 32 words");
    rc = SV4_ERR_LIMIT;
    goto done;
  }
  if (emit(&b, " ")) goto oom;
  *nwords = words;
  *expr = sv4_buf_steal(&b, NULL);
  goto done;
oom:
  snprintf(msg, msgsz, "out of memory or phrase too long");
  rc = SV4_ERR_NOMEM;
done:
  free(raw);
  sv4_buf_free(&b);
  return rc;
}

/* ---- codes ------------------------------------------------------------------------------------------------ */

static uint32_t code_find(const sv4_rules *r, sv4_scheme s, const char *code) {
  for (size_t i = 0; i < r->ncodes; i++)
    if (r->codes[i].scheme == s && !strcmp(r->codes[i].code, code)) return (uint32_t)i;
  return UINT32_MAX;
}

static uint32_t code_intern(sv4_rules *r, sv4_scheme s, const char *code) {
  uint32_t i = code_find(r, s, code);
  if (i != UINT32_MAX) return i;
  uint32_t parent = UINT32_MAX;
  const char *dot = s == SV4_SCHEME_SDG ? strchr(code, '.') : NULL;
  if (dot) {
    char goal[8];
    size_t k = (size_t)(dot - code);
    if (k >= sizeof goal) return UINT32_MAX;
    memcpy(goal, code, k);
    goal[k] = 0;
    parent = code_intern(r, s, goal);
    if (parent == UINT32_MAX) return UINT32_MAX;
  }
  if (grow((void **)&r->codes, &r->capcodes, r->ncodes + 1, sizeof *r->codes)) return UINT32_MAX;
  sv4__code *c = &r->codes[r->ncodes];
  c->scheme = s;
  c->code = strdup(code);
  if (!c->code) return UINT32_MAX;
  c->is_target = dot != NULL;
  c->label = dot ? parent : (uint32_t)r->ncodes;
  return (uint32_t)r->ncodes++;
}

/* Checks a code: against the taxonomy when it lists the scheme, else by form. */
static int code_valid(const sv4_taxonomy *tax, sv4_scheme s, const char *code) {
  if (tax) {
    const sv4_concept *const *list;
    if (sv4_taxonomy_list(tax, s, &list) > 0) {
      if (sv4_taxonomy_find(tax, s, code)) return 1;
      /* A taxonomy without targets still accepts well-formed SDG targets of known goals. */
      if (s != SV4_SCHEME_SDG || !strchr(code, '.')) return 0;
    }
  }
  if (s == SV4_SCHEME_SDG) {
    char *end;
    long g = strtol(code, &end, 10);
    if (end == code || g < 1 || g > 17) return 0;
    if (*end == 0) return 1;
    if (*end != '.') return 0;
    end++;
    if (!*end) return 0;
    for (const char *p = end; *p; p++)
      if (!isdigit((unsigned char)*p) && !(*p >= 'a' && *p <= 'z')) return 0;
    return strlen(end) <= 2;
  }
  for (const char *p = code; *p; p++)
    if (!(*p >= 'a' && *p <= 'z') && *p != '_' && *p != '-') return 0;
  return *code != 0;
}

/* ---- the parser ------------------------------------------------------------------------------------------- */

/* A phrase as written, kept until the rule is complete (fold may come after the lists). */
typedef struct raw_phrase {
  char *text;
  int line;
  int kind; /* 1 terms, 2 with, 3 not */
  size_t group;
} raw_phrase;

typedef struct parse_ctx {
  sv4_rules *r;
  const char *file;
  int line;
  sv4_error *err;
  const sv4_taxonomy *tax;
  int scheme, lang;
  char *version;
  sv4__rule *cur;
  /* the list a continuation line appends to: 0 none, 1 terms, 2 with, 3 not */
  int cont;
  int cont_ok; /* the previous line ended with ',' */
  raw_phrase *raws;
  size_t nraws, capraws;
} parse_ctx;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static sv4_rc
perr(parse_ctx *p, sv4_rc rc, const char *fmt, ...) {
  char m[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  return sv4_error_set(p->err, rc, "%s:%d: %s", p->file, p->line, m);
}

/* Interns the expression of a phrase as a pattern; returns its id. */
static sv4_rc add_phrase(parse_ctx *p, const char *s, size_t n, uint32_t *id) {
  sv4_rules *r = p->r;
  char msg[300], *expr = NULL;
  int nwords = 0;
  sv4_rc rc = sv4__phrase_expr(s, n, p->cur->fold, &expr, &nwords, msg, sizeof msg);
  if (rc) return perr(p, rc, "%s", msg);
  if (ht_rehash(&r->pat_ht, &r->pat_htcap, r->npats, pat_key, r)) {
    free(expr);
    return perr(p, SV4_ERR_NOMEM, "out of memory");
  }
  uint32_t *slot = ht_slot(r->pat_ht, r->pat_htcap, expr, pat_key, r);
  if (*slot) {
    free(expr);
    *id = *slot - 1;
  } else {
    if (r->npats >= SV4_MAX_TERMS) {
      free(expr);
      return perr(p, SV4_ERR_LIMIT, "more than the limit of patterns over all rule files");
    }
    if (grow((void **)&r->pats, &r->cappats, r->npats + 1, sizeof *r->pats)) {
      free(expr);
      return perr(p, SV4_ERR_NOMEM, "out of memory");
    }
    sv4__pattern *pt = &r->pats[r->npats];
    memset(pt, 0, sizeof *pt);
    pt->expr = expr;
    pt->fold = expr[0] == '\x01';
    pt->nwords = (uint8_t)nwords;
    pt->file = p->file;
    pt->line = p->line;
    *id = (uint32_t)r->npats;
    *slot = (uint32_t)r->npats + 1;
    r->npats++;
  }
  r->pats[*id].langmask |= (uint8_t)(1u << p->cur->lang);
  return SV4_OK;
}

static void raws_clear(parse_ctx *p) {
  for (size_t i = 0; i < p->nraws; i++) free(p->raws[i].text);
  p->nraws = 0;
}

/* Splits a comma-separated list and keeps each phrase. kind 1 = terms, 2 = with group, 3 = not group. */
static sv4_rc add_list(parse_ctx *p, const char *s, int kind, size_t group) {
  while (*s) {
    const char *c = strchr(s, ',');
    const char *e = c ? c : s + strlen(s);
    const char *a = s, *b = e;
    while (a < b && isspace((unsigned char)*a)) a++;
    while (b > a && isspace((unsigned char)b[-1])) b--;
    if (a < b) {
      if (grow((void **)&p->raws, &p->capraws, p->nraws + 1, sizeof *p->raws))
        return perr(p, SV4_ERR_NOMEM, "out of memory");
      p->raws[p->nraws].text = strndup(a, (size_t)(b - a));
      if (!p->raws[p->nraws].text) return perr(p, SV4_ERR_NOMEM, "out of memory");
      p->raws[p->nraws].line = p->line;
      p->raws[p->nraws].kind = kind;
      p->raws[p->nraws].group = group;
      p->nraws++;
    } else if (c) {
      /* an empty item is tolerated only at the end of a line (the list continues below) */
      const char *q = c + 1;
      while (*q && isspace((unsigned char)*q)) q++;
      if (*q) return perr(p, SV4_ERR_PARSE, "empty phrase in list");
    }
    if (!c) break;
    s = c + 1;
  }
  return SV4_OK;
}

/* Compiles the kept phrases of the current rule into patterns. */
static sv4_rc compile_phrases(parse_ctx *p) {
  sv4__rule *u = p->cur;
  sv4_rules *r = p->r;
  for (size_t i = 0; i < p->nraws; i++) {
    raw_phrase *rp = &p->raws[i];
    uint32_t id;
    p->line = rp->line;
    sv4_rc rc = add_phrase(p, rp->text, strlen(rp->text), &id);
    if (rc) return rc;
    if (rp->kind == 1) {
      char **t = realloc(u->terms, (u->nterms + 1) * sizeof *t);
      if (!t) return perr(p, SV4_ERR_NOMEM, "out of memory");
      u->terms = t;
      uint32_t *tp = realloc(u->term_pats, (u->nterms + 1) * sizeof *tp);
      if (!tp) return perr(p, SV4_ERR_NOMEM, "out of memory");
      u->term_pats = tp;
      t[u->nterms] = rp->text;
      rp->text = NULL;
      tp[u->nterms++] = id;
      if (grow((void **)&r->pend, &r->cappend, r->npend + 1, sizeof *r->pend))
        return perr(p, SV4_ERR_NOMEM, "out of memory");
      r->pend[r->npend][0] = id;
      r->pend[r->npend][1] = (uint32_t)(u - r->rules);
      r->npend++;
    } else {
      sv4__group *g = rp->kind == 2 ? &u->with[rp->group] : &u->nots[rp->group];
      uint32_t *gp = realloc(g->pats, (g->n + 1) * sizeof *gp);
      if (!gp) return perr(p, SV4_ERR_NOMEM, "out of memory");
      g->pats = gp;
      gp[g->n++] = id;
    }
  }
  return SV4_OK;
}

static sv4_rc new_group(parse_ctx *p, sv4__group **arr, size_t *n, int window) {
  sv4__group *g = realloc(*arr, (*n + 1) * sizeof *g);
  if (!g) return perr(p, SV4_ERR_NOMEM, "out of memory");
  *arr = g;
  memset(&g[*n], 0, sizeof *g);
  g[*n].window = window;
  (*n)++;
  return SV4_OK;
}

static sv4_rc finish_rule(parse_ctx *p) {
  sv4__rule *u = p->cur;
  if (!u) return SV4_OK;
  int save = p->line;
  sv4_rc rc = compile_phrases(p);
  raws_clear(p);
  p->line = u->line;
  if (rc) {
    p->cur = NULL;
    return rc;
  }
  if (!u->nterms) rc = perr(p, SV4_ERR_PARSE, "rule %s has no terms", u->id);
  for (size_t i = 0; !rc && i < u->nwith; i++)
    if (!u->with[i].n) rc = perr(p, SV4_ERR_PARSE, "rule %s: empty 'with' list", u->id);
  for (size_t i = 0; !rc && i < u->nnot; i++)
    if (!u->nots[i].n) rc = perr(p, SV4_ERR_PARSE, "rule %s: empty 'not' list", u->id);
  p->line = save;
  p->cur = NULL;
  p->cont = 0;
  return rc;
}

/* Parses "N" after a keyword: returns -2 on error, -1 when absent. */
static int parse_window(const char **s) {
  const char *q = *s;
  while (*q == ' ' || *q == '\t') q++;
  if (!isdigit((unsigned char)*q)) return -1;
  long v = 0;
  while (isdigit((unsigned char)*q)) {
    v = v * 10 + (*q - '0');
    if (v > 100000) return -2;
    q++;
  }
  *s = q;
  return (int)v;
}

/* Whether the keyword kw starts s as a whole word; advances past it. */
static int kw(const char **s, const char *k) {
  size_t n = strlen(k);
  if (strncmp(*s, k, n)) return 0;
  char c = (*s)[n];
  if (c && c != ' ' && c != '\t' && c != ':' && !isdigit((unsigned char)c)) return 0;
  *s += n;
  return 1;
}

static sv4_rc parse_line(parse_ctx *p, char *line) {
  sv4_rules *r = p->r;
  /* Strip comments: '#' at the start or after whitespace. */
  for (char *h = line; *h; h++)
    if (*h == '#' && (h == line || h[-1] == ' ' || h[-1] == '\t')) {
      *h = 0;
      break;
    }
  size_t n = strlen(line);
  while (n && isspace((unsigned char)line[n - 1])) line[--n] = 0;
  int indented = line[0] == ' ' || line[0] == '\t';
  const char *s = line;
  while (*s == ' ' || *s == '\t') s++;
  if (!*s) return SV4_OK;
  if (*s == '@') {
    if (p->cur) return perr(p, SV4_ERR_PARSE, "header lines (@...) must come before the rules");
    char key[16] = {0}, val[128] = {0};
    if (sscanf(s, "@%15s %127s", key, val) != 2) return perr(p, SV4_ERR_PARSE, "malformed header line");
    if (!strcmp(key, "scheme")) {
      p->scheme = sv4_scheme_from_name(val);
      if (p->scheme < 0) return perr(p, SV4_ERR_PARSE, "unknown scheme '%s' (sdg, egd, taxonomy, smartcity)", val);
    } else if (!strcmp(key, "lang")) {
      p->lang = (int)sv4_lang_from_code(val);
      if (p->lang == SV4_LANG_UNKNOWN) return perr(p, SV4_ERR_PARSE, "unknown language '%s' (en, pl, cs, sk, hu)", val);
    } else if (!strcmp(key, "version")) {
      free(p->version);
      p->version = strdup(val);
    } else {
      return perr(p, SV4_ERR_PARSE, "unknown header '@%s' (@scheme, @lang, @version)", key);
    }
    return SV4_OK;
  }
  if (!indented && kw(&s, "rule")) {
    sv4_rc rc = finish_rule(p);
    if (rc) return rc;
    if (p->scheme < 0 || p->lang <= 0 || !p->version)
      return perr(p, SV4_ERR_PARSE, "@scheme, @lang and @version must come before the first rule");
    while (*s == ' ' || *s == '\t') s++;
    const char *arrow = strstr(s, "->");
    if (!arrow) return perr(p, SV4_ERR_PARSE, "expected 'rule ID -> CODE'");
    const char *ie = arrow;
    while (ie > s && isspace((unsigned char)ie[-1])) ie--;
    const char *cs = arrow + 2;
    while (*cs == ' ' || *cs == '\t') cs++;
    if (ie == s) return perr(p, SV4_ERR_PARSE, "rule without an ID");
    for (const char *q = s; q < ie; q++)
      if (isspace((unsigned char)*q)) return perr(p, SV4_ERR_PARSE, "a rule ID has no spaces");
    if (!*cs || strpbrk(cs, " \t")) return perr(p, SV4_ERR_PARSE, "expected one code after '->'");
    if (!code_valid(p->tax, (sv4_scheme)p->scheme, cs))
      return perr(p, SV4_ERR_PARSE, "unknown code '%s' for this scheme", cs);
    if (r->nrules >= SV4_MAX_RULES) return perr(p, SV4_ERR_LIMIT, "too many rules");
    if (grow((void **)&r->rules, &r->caprules, r->nrules + 1, sizeof *r->rules))
      return perr(p, SV4_ERR_NOMEM, "out of memory");
    sv4__rule *u = &r->rules[r->nrules];
    memset(u, 0, sizeof *u);
    u->id = strndup(s, (size_t)(ie - s));
    u->code = strdup(cs);
    if (!u->id || !u->code) return perr(p, SV4_ERR_NOMEM, "out of memory");
    if (ht_rehash(&r->rule_ht, &r->rule_htcap, r->nrules, rule_key, r)) return perr(p, SV4_ERR_NOMEM, "out of memory");
    uint32_t *slot = ht_slot(r->rule_ht, r->rule_htcap, u->id, rule_key, r);
    if (*slot) {
      const sv4__rule *o = &r->rules[*slot - 1];
      char m[300];
      snprintf(m, sizeof m, "duplicate rule ID '%s' (first at %s:%d)", u->id, o->file, o->line);
      free(u->id);
      free(u->code);
      return perr(p, SV4_ERR_PARSE, "%s", m);
    }
    *slot = (uint32_t)r->nrules + 1;
    u->code_id = code_intern(r, (sv4_scheme)p->scheme, cs);
    if (u->code_id == UINT32_MAX) {
      free(u->id);
      free(u->code);
      return perr(p, SV4_ERR_NOMEM, "out of memory");
    }
    u->scheme = (sv4_scheme)p->scheme;
    u->lang = (sv4_lang)p->lang;
    u->weight = 1.0;
    u->file = p->file;
    u->line = p->line;
    r->nrules++;
    p->cur = u;
    p->cont = 0;
    /* `fold` changes how phrases compile: look ahead is not possible line by line, so `fold` must come before
     * the lists — checked below. */
    return SV4_OK;
  }
  if (!p->cur) return perr(p, SV4_ERR_PARSE, "expected 'rule ID -> CODE' or a header line, got '%s'", s);
  sv4__rule *u = p->cur;
  if (kw(&s, "terms")) {
    while (*s == ' ' || *s == '\t') s++;
    if (*s != ':') return perr(p, SV4_ERR_PARSE, "expected 'terms:'");
    p->cont = 1;
    return add_list(p, s + 1, 1, 0);
  }
  if (kw(&s, "with") || kw(&s, "not")) {
    int is_with = s[-1] == 'h';
    int w = parse_window(&s);
    if (w == -2 || w > (int)SV4_MAX_WINDOW_WORDS)
      return perr(p, SV4_ERR_PARSE, "window larger than the limit of 200 words");
    while (*s == ' ' || *s == '\t') s++;
    if (*s != ':') return perr(p, SV4_ERR_PARSE, is_with ? "expected 'with N: ...'" : "expected 'not [N]: ...'");
    if (is_with && w < 0) w = 10;
    if (is_with && w == 0) return perr(p, SV4_ERR_PARSE, "a 'with' window must be at least 1 word");
    sv4_rc rc = is_with ? new_group(p, &u->with, &u->nwith, w) : new_group(p, &u->nots, &u->nnot, w);
    if (rc) return rc;
    p->cont = is_with ? 2 : 3;
    return add_list(p, s + 1, p->cont, is_with ? u->nwith - 1 : u->nnot - 1);
  }
  if (kw(&s, "weight")) {
    while (*s == ' ' || *s == '\t' || *s == ':') s++;
    char *end;
    double w = strtod(s, &end);
    while (*end == ' ') end++;
    if (end == s || *end || !(w > 0) || w > 10) return perr(p, SV4_ERR_PARSE, "weight must be a number in (0, 10]");
    u->weight = w;
    p->cont = 0;
    return SV4_OK;
  }
  if (kw(&s, "fold")) {
    while (*s == ' ' || *s == '\t') s++;
    if (*s) return perr(p, SV4_ERR_PARSE, "'fold' takes no value");
    u->fold = 1;
    p->cont = 0;
    return SV4_OK;
  }
  /* A continuation line of the last list: only after a line that ended with a comma, and never `word:`. */
  {
    const char *q = s;
    while (*q && (isalnum((unsigned char)*q) || *q == '_')) q++;
    while (*q == ' ' || isdigit((unsigned char)*q)) q++;
    if (*q == ':' && q > s) p->cont = 0;
  }
  if (indented && p->cont && p->cont_ok) {
    if (p->cont == 1) return add_list(p, s, 1, 0);
    if (p->cont == 2) return add_list(p, s, 2, u->nwith - 1);
    return add_list(p, s, 3, u->nnot - 1);
  }
  return perr(p, SV4_ERR_PARSE, "unknown line '%s' (terms:, with N:, not:, weight W, fold)", s);
}

sv4_rc sv4__rules_parse(sv4_rules *r, const char *name, const char *data, size_t len, const sv4_taxonomy *tax,
                        sv4_error *err) {
  parse_ctx p = {r, NULL, 0, err, tax, -1, -1, NULL, NULL, 0, 0, NULL, 0, 0};
  sv4_rc rc = SV4_OK;
  char *line = NULL;
  if (len > SV4_MAX_RULE_FILE_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "%s: larger than the limit of %u bytes", name,
                         (unsigned)SV4_MAX_RULE_FILE_BYTES);
  size_t bad;
  if (!sv4_utf8_valid(data, len, &bad)) {
    size_t ln = 1;
    for (size_t i = 0; i < bad; i++) ln += data[i] == '\n';
    return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: invalid UTF-8", name, ln);
  }
  if (grow((void **)&r->files, &r->capfiles, r->nfiles + 1, sizeof *r->files)) return SV4_ERR_NOMEM;
  r->files[r->nfiles] = strdup(name);
  if (!r->files[r->nfiles]) return SV4_ERR_NOMEM;
  p.file = r->files[r->nfiles++];
  r->hash = sv4_hash64(name, strlen(name), r->hash);
  r->hash = sv4_hash64(data, len, r->hash);
  line = malloc(len + 1);
  if (!line) return SV4_ERR_NOMEM;
  size_t i = 0;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) i = 3;
  while (i < len) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - data) : len;
    memcpy(line, data + i, e - i);
    line[e - i] = 0;
    if (memchr(line, 0, e - i)) {
      p.line++;
      rc = perr(&p, SV4_ERR_PARSE, "NUL byte in rule file");
      goto done;
    }
    for (char *q = line; *q; q++)
      if (*q == '\r') *q = ' ';
    p.line++;
    size_t ll = strlen(line);
    while (ll && isspace((unsigned char)line[ll - 1])) ll--;
    int ends_comma = ll && line[ll - 1] == ',';
    rc = parse_line(&p, line);
    if (rc) goto done;
    p.cont_ok = ends_comma;
    i = e + 1;
  }
  rc = finish_rule(&p);
  if (rc) goto done;
  p.line = 1;
  if (p.scheme < 0 || p.lang <= 0 || !p.version) {
    rc = perr(&p, SV4_ERR_PARSE, "missing @scheme, @lang or @version header");
    goto done;
  }
  /* The scheme's version: the highest @version over its files. */
  char **v = &r->version[p.scheme];
  if (!*v || strcmp(p.version, *v) > 0) {
    free(*v);
    *v = p.version;
    p.version = NULL;
  }
done:
  raws_clear(&p);
  free(p.raws);
  free(p.version);
  free(line);
  return rc;
}

sv4_rc sv4__rules_list(const char *dir, char ***files, size_t *n, sv4_error *err) {
  sv4_rc rc = sv4_list_files(dir, ".rules", 4, MAX_RULE_FILES, files, n, err);
  if (rc == SV4_ERR_NOTFOUND) return sv4_error_set(err, rc, "%s: cannot open rules directory", dir);
  return rc;
}

sv4_rc sv4__rules_load_dir(sv4_rules *r, const char *dir, const sv4_taxonomy *tax, sv4_error *err) {
  char **files = NULL;
  size_t n = 0;
  sv4_rc rc = sv4__rules_list(dir, &files, &n, err);
  if (rc) goto done;
  for (size_t i = 0; i < n && !rc; i++) {
    char *data = NULL;
    size_t len = 0;
    rc = sv4_read_file(files[i], SV4_MAX_RULE_FILE_BYTES, &data, &len, err);
    if (!rc) {
      /* Name files relative to the rules dir's parent ("rules/sdg/pl.rules") when possible. */
      rc = sv4__rules_parse(r, files[i], data, len, tax, err);
    }
    free(data);
  }
done:
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
  return rc;
}

static int cmp_pend(const void *a, const void *b) {
  const uint32_t *x = a, *y = b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

sv4_rc sv4__rules_finish(sv4_rules *r, sv4_error *err) {
  if (r->npend) qsort(r->pend, r->npend, sizeof *r->pend, cmp_pend);
  free(r->uses);
  r->uses = malloc((r->npend ? r->npend : 1) * sizeof *r->uses);
  if (!r->uses) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  r->nuses = 0;
  for (size_t i = 0; i < r->npats; i++) r->pats[i].nuse = 0;
  for (size_t i = 0; i < r->npend; i++) {
    /* The same rule listing one phrase twice counts once. */
    if (i && r->pend[i][0] == r->pend[i - 1][0] && r->pend[i][1] == r->pend[i - 1][1]) continue;
    sv4__pattern *pt = &r->pats[r->pend[i][0]];
    if (!pt->nuse) pt->use0 = (uint32_t)r->nuses;
    pt->nuse++;
    r->uses[r->nuses++] = r->pend[i][1];
  }
  return SV4_OK;
}
