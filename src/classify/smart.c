/* smart.c — the SMART check of objectives: finds objective and target statements (cue lists in
 * data/smart/<lang>.txt) and flags Specific, Measurable, Time-bound and a baseline; Achievable and Relevant are
 * left to a reviewer. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/internal.h"
#include "sv4/limits.h"

enum { K_CUE, K_VERB, K_UNIT, K_INDICATOR, K_TIME, K_BASELINE, K_COUNT };
static const char *const kind_names[K_COUNT] = {"cue", "verb", "unit", "indicator", "time", "baseline"};

typedef struct cue {
  char *words[8]; /* normalised words; a trailing '*' marks a prefix */
  int nwords;
  int kind;
  int unit_symbol; /* "%": matched on the original text */
} cue;

typedef struct cue_set {
  cue *items;
  size_t n, cap;
} cue_set;

static cue_set sets[SV4_LANG_COUNT]; /* [UNKNOWN] = union of all */
static pthread_once_t sets_once = PTHREAD_ONCE_INIT;

static void add_cue(cue_set *s, const cue *c) {
  if (s->n == s->cap) {
    size_t nc = s->cap ? s->cap * 2 : 64;
    cue *p = realloc(s->items, nc * sizeof *p);
    if (!p) return;
    s->items = p;
    s->cap = nc;
  }
  s->items[s->n++] = *c;
}

static void load_sets(void) {
  for (int l = 1; l < SV4_LANG_COUNT; l++) {
    char rel[64], *path, *data = NULL;
    size_t len = 0;
    snprintf(rel, sizeof rel, "smart/%s.txt", sv4_lang_code((sv4_lang)l));
    path = sv4_data_path(rel);
    if (!path || sv4_read_file(path, 1u << 20, &data, &len, NULL)) {
      free(path);
      continue;
    }
    free(path);
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
      char *sp = strchr(line, ' ');
      if (line[0] == '#' || !sp) continue;
      *sp = 0;
      int kind = -1;
      for (int k = 0; k < K_COUNT; k++)
        if (!strcmp(line, kind_names[k])) kind = k;
      if (kind < 0) continue;
      cue c;
      memset(&c, 0, sizeof c);
      c.kind = kind;
      char *phrase = sp + 1;
      if (kind == K_UNIT && !strcmp(phrase, "%")) {
        c.unit_symbol = 1;
      } else {
        char *tok_save = NULL;
        for (char *w = strtok_r(phrase, " \t\r", &tok_save); w && c.nwords < 8; w = strtok_r(NULL, " \t\r", &tok_save)) {
          size_t wl = strlen(w);
          int star = wl > 1 && w[wl - 1] == '*';
          char *nw = sv4_normalize_term(w, star ? wl - 1 : wl, 0);
          if (!nw || !*nw || strchr(nw, ' ')) {
            /* "-ig" -> "ig": keep the first word */
            if (nw && *nw && strchr(nw, ' ')) *strchr(nw, ' ') = 0;
            if (!nw || !*nw) {
              free(nw);
              continue;
            }
          }
          if (star) {
            size_t n = strlen(nw);
            char *t = realloc(nw, n + 2);
            if (!t) {
              free(nw);
              continue;
            }
            nw = t;
            nw[n] = '*';
            nw[n + 1] = 0;
          }
          c.words[c.nwords++] = nw;
        }
        if (!c.nwords) continue;
      }
      add_cue(&sets[l], &c);
      /* the union set shares the word strings (never freed: process lifetime) */
      add_cue(&sets[SV4_LANG_UNKNOWN], &c);
    }
    free(data);
  }
}

typedef struct word {
  const char *s;
  size_t n;
  size_t ostart, oend; /* original offsets */
} word;

static int word_match(const word *w, const char *pat) {
  size_t pl = strlen(pat);
  if (pl && pat[pl - 1] == '*') return w->n >= pl - 1 && !memcmp(w->s, pat, pl - 1);
  return w->n == pl && !memcmp(w->s, pat, pl);
}

/* Whether cue c matches at word i. */
static int cue_at(const cue *c, const word *ws, size_t nw, size_t i) {
  if (c->unit_symbol || i + (size_t)c->nwords > nw) return 0;
  for (int k = 0; k < c->nwords; k++)
    if (!word_match(&ws[i + (size_t)k], c->words[k])) return 0;
  return 1;
}

static int is_number(const word *w) {
  for (size_t i = 0; i < w->n; i++)
    if (!isdigit((unsigned char)w->s[i])) return 0;
  return w->n > 0;
}

static int year_of(const word *w) {
  if (w->n != 4 || !is_number(w)) return 0;
  int y = atoi(w->s);
  return y >= 1990 && y <= 2100 ? y : 0;
}

void sv4_objectives_free(sv4_objectives *o) {
  if (o) sv4_arena_free(o->arena);
}

/* Examines one sentence [a,b) of text; appends an objective when it is one. */
static sv4_rc check_sentence(const char *text, size_t a, size_t b, const cue_set *cs, sv4_norm *nm, word **wbuf,
                             size_t *wcap, sv4_objectives *o, size_t *cap) {
  sv4_rc rc = sv4_normalize(text + a, b - a, 0, nm, NULL);
  if (rc) return SV4_OK; /* validated before: cannot happen */
  size_t nw = 0;
  for (size_t i = 1; i < nm->len;) {
    size_t j = i;
    while (j < nm->len && nm->text[j] != ' ') j++;
    if (j > i) {
      if (nw == *wcap) {
        size_t c = *wcap ? *wcap * 2 : 64;
        word *p = realloc(*wbuf, c * sizeof *p);
        if (!p) return SV4_ERR_NOMEM;
        *wbuf = p;
        *wcap = c;
      }
      size_t os, oe;
      sv4_norm_span(nm, text + a, b - a, i, j, &os, &oe);
      (*wbuf)[nw++] = (word){nm->text + i, j - i, a + os, a + oe};
    }
    i = j + 1;
  }
  word *W = *wbuf;
  if (nw < 4) return SV4_OK;
  int has[K_COUNT] = {0};
  const cue *indicator = NULL;
  size_t ind_at = 0;
  long time_before_year = -1, baseline_at = -1;
  for (size_t i = 0; i < nw; i++)
    for (size_t k = 0; k < cs->n; k++) {
      const cue *c = &cs->items[k];
      if (c->kind == K_UNIT || !cue_at(c, W, nw, i)) continue;
      has[c->kind] = 1;
      if (c->kind == K_INDICATOR && !indicator) {
        indicator = c;
        ind_at = i;
      }
      if (c->kind == K_TIME) {
        size_t after = i + (size_t)c->nwords;
        if (after < nw && year_of(&W[after])) time_before_year = (long)after;
        /* a time word after a year (Hungarian "2030-ig") */
        if (i > 0 && year_of(&W[i - 1])) time_before_year = (long)i - 1;
      }
      if (c->kind == K_BASELINE && baseline_at < 0) baseline_at = (long)i;
    }
  /* numbers with units: look at the original text after each number */
  int target_year = 0, baseline_year = 0, measurable = has[K_INDICATOR];
  const char *value = NULL, *unit = NULL;
  double target_value = 0, baseline_value = 0;
  int nyears = 0, years[16];
  for (size_t i = 0; i < nw; i++) {
    if (!is_number(&W[i])) continue;
    int y = year_of(&W[i]);
    if (y && nyears < 16) years[nyears++] = y;
    /* unit: '%' right after the number in the original, or a unit word next */
    size_t p = W[i].oend;
    /* decimals "40,5" / "40.5": extend over the fraction */
    size_t vend = p;
    if (i + 1 < nw && vend < b && (text[vend] == ',' || text[vend] == '.') && is_number(&W[i + 1]) &&
        W[i + 1].ostart == vend + 1) {
      vend = W[i + 1].oend;
      i++;
    }
    size_t q = vend;
    while (q < b && (text[q] == ' ' || (unsigned char)text[q] == 0xC2)) q++;
    const char *u = NULL;
    size_t ul = 0;
    if (q < b && text[q] == '%') {
      u = "%";
      ul = 1;
    } else if (i + 1 < nw) {
      for (size_t k = 0; k < cs->n && !u; k++) {
        const cue *c = &cs->items[k];
        if (c->kind != K_UNIT || !cue_at(c, W, nw, i + 1)) continue;
        u = text + W[i + 1].ostart;
        ul = W[i + 1 + (size_t)c->nwords - 1].oend - W[i + 1].ostart;
      }
    }
    if (y && !u) continue; /* a bare year is a date, not a value */
    if (u) {
      measurable = 1;
      char vbuf[64];
      size_t vl = vend - W[i].ostart < sizeof vbuf - 1 ? vend - W[i].ostart : sizeof vbuf - 1;
      /* index of the number's start (i may have moved over decimals) */
      size_t vs = vend - vl;
      memcpy(vbuf, text + vs, vl);
      vbuf[vl] = 0;
      for (char *z = vbuf; *z; z++)
        if (*z == ',') *z = '.';
      double v = strtod(vbuf, NULL);
      if (!value) {
        value = sv4_arena_strndup(o->arena, text + vs, vl);
        unit = sv4_arena_strndup(o->arena, u, ul);
        target_value = v;
      } else if (baseline_at >= 0) {
        baseline_value = v;
      }
    }
  }
  for (int k = 0; k < nyears; k++)
    if (years[k] > target_year) target_year = years[k];
  if (baseline_at >= 0 && nyears > 1) {
    baseline_year = years[0];
    for (int k = 0; k < nyears; k++)
      if (years[k] < baseline_year) baseline_year = years[k];
    if (baseline_year == target_year) baseline_year = 0;
  }
  int time_bound = time_before_year >= 0 || target_year >= 2020;
  int objective = has[K_CUE] || (has[K_VERB] && (time_bound || measurable));
  if (!objective) return SV4_OK;
  if (o->n == *cap) {
    size_t c = *cap ? *cap * 2 : 16;
    sv4_objective *p = sv4_arena_alloc(o->arena, c * sizeof *p);
    if (!p) return SV4_ERR_NOMEM;
    if (o->n) memcpy(p, o->items, o->n * sizeof *p);
    o->items = p;
    *cap = c;
  }
  sv4_objective *ob = &o->items[o->n++];
  memset(ob, 0, sizeof *ob);
  ob->start = a;
  ob->end = b;
  ob->text = sv4_arena_strndup(o->arena, text + a, b - a);
  ob->specific = has[K_VERB] && nw >= 5;
  ob->measurable = measurable;
  ob->time_bound = time_bound;
  ob->has_baseline = baseline_at >= 0 && (baseline_year || baseline_value != 0 || nyears > 1);
  ob->value = value;
  ob->unit = unit;
  if (indicator) {
    size_t e = ind_at + (size_t)indicator->nwords - 1;
    ob->indicator = sv4_arena_strndup(o->arena, text + W[ind_at].ostart, W[e].oend - W[ind_at].ostart);
  }
  ob->target_year = target_year;
  ob->baseline_year = ob->has_baseline ? baseline_year : 0;
  ob->target_value = target_value;
  ob->baseline_value = baseline_value;
  return ob->text ? SV4_OK : SV4_ERR_NOMEM;
}

sv4_rc sv4_smart_find(const char *text, size_t len, sv4_lang lang, sv4_objectives **out, sv4_error *err) {
  *out = NULL;
  size_t bad;
  if (len > SV4_MAX_TEXT_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "text of %zu bytes exceeds the limit of %u bytes", len,
                         (unsigned)SV4_MAX_TEXT_BYTES);
  if (!sv4_utf8_valid(text, len, &bad)) return sv4_error_set(err, SV4_ERR_UTF8, "invalid UTF-8 at byte %zu", bad);
  pthread_once(&sets_once, load_sets);
  if ((unsigned)lang >= SV4_LANG_COUNT) lang = SV4_LANG_UNKNOWN;
  const cue_set *cs = sets[lang].n ? &sets[lang] : &sets[SV4_LANG_UNKNOWN];
  sv4_objectives *o = NULL;
  sv4_arena *arena = sv4_arena_new(16384);
  sv4_span *paras = NULL, *sents = NULL;
  size_t np = 0, ns = 0, cap = 0, wcap = 0;
  word *wbuf = NULL;
  sv4_norm nm;
  sv4_norm_init(&nm);
  sv4_rc rc = SV4_OK;
  if (!arena || !(o = sv4_arena_alloc(arena, sizeof *o))) {
    sv4_arena_free(arena);
    return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  memset(o, 0, sizeof *o);
  o->arena = arena;
  rc = sv4_paragraphs(text, len, &paras, &np);
  for (size_t i = 0; !rc && i < np; i++) rc = sv4_sentences(text, paras[i], &sents, &ns);
  for (size_t i = 0; !rc && i < ns; i++) {
    if (sents[i].end - sents[i].start > 4000) continue; /* not a statement */
    rc = check_sentence(text, sents[i].start, sents[i].end, cs, &nm, &wbuf, &wcap, o, &cap);
  }
  free(paras);
  free(sents);
  free(wbuf);
  sv4_norm_free(&nm);
  if (rc) {
    sv4_arena_free(arena);
    return sv4_error_set(err, rc, "out of memory");
  }
  *out = o;
  return SV4_OK;
}

static sv4_rc put_opt_str(sv4_buf *b, const char *key, const char *v) {
  sv4_rc rc = sv4_buf_printf(b, ",\"%s\":", key);
  if (rc) return rc;
  if (!v) return sv4_buf_puts(b, "null");
  rc = sv4_buf_putc(b, '"');
  if (!rc) rc = sv4_buf_json_escape(b, v, strlen(v));
  if (!rc) rc = sv4_buf_putc(b, '"');
  return rc;
}

sv4_rc sv4_objectives_to_json(const sv4_objectives *o, sv4_buf *out) {
  sv4_rc rc = sv4_buf_putc(out, '[');
  for (size_t i = 0; o && i < o->n && !rc; i++) {
    const sv4_objective *ob = &o->items[i];
    if (i) rc = sv4_buf_putc(out, ',');
    if (!rc) rc = sv4_buf_printf(out, "{\"start\":%zu,\"end\":%zu,\"text\":\"", ob->start, ob->end);
    if (!rc) rc = sv4_buf_json_escape(out, ob->text, strlen(ob->text));
    if (!rc)
      rc = sv4_buf_printf(out,
                          "\",\"specific\":%s,\"measurable\":%s,\"achievable\":\"review\",\"relevant\":\"review\","
                          "\"time_bound\":%s,\"baseline\":%s",
                          ob->specific ? "true" : "false", ob->measurable ? "true" : "false",
                          ob->time_bound ? "true" : "false", ob->has_baseline ? "true" : "false");
    if (!rc) rc = put_opt_str(out, "value", ob->value);
    if (!rc) rc = put_opt_str(out, "unit", ob->unit);
    if (!rc) rc = put_opt_str(out, "indicator", ob->indicator);
    if (!rc) rc = sv4_buf_puts(out, ",\"target_year\":");
    if (!rc) rc = ob->target_year ? sv4_buf_printf(out, "%d", ob->target_year) : sv4_buf_puts(out, "null");
    if (!rc) rc = sv4_buf_puts(out, ",\"baseline_year\":");
    if (!rc) rc = ob->baseline_year ? sv4_buf_printf(out, "%d", ob->baseline_year) : sv4_buf_puts(out, "null");
    if (!rc) rc = sv4_buf_puts(out, ",\"target_value\":");
    if (!rc) rc = ob->value ? sv4_buf_printf(out, "%g", ob->target_value) : sv4_buf_puts(out, "null");
    if (!rc) rc = sv4_buf_putc(out, '}');
  }
  if (!rc) rc = sv4_buf_putc(out, ']');
  return rc;
}
