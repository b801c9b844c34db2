/* langid.c — language identification with libexttextcat restricted to the five portal languages, corrected by
 * two kinds of linguistic evidence kept as data: letters that only some of the five alphabets have
 * (data/langid/letters.txt), and weighted letters, words and endings that tell Czech from Slovak
 * (data/langid/cs-sk.txt). */
#include <libexttextcat/textcat.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv4/limits.h"
#include "sv4/text.h"
#include "sv4/util.h"

/* libexttextcat's cost grows with its input (it builds and sorts the n-gram profile of all of it); a kilobyte of
 * text is plenty for five languages with distinct n-grams. The letter and Czech/Slovak evidence looks at the same
 * prefix. */
#define LANGID_TEXTCAT_BYTES 1024u
#define MAX_LETTERS 64u  /* letters named in letters.txt and cs-sk.txt, each */
#define MAX_GROUPS 8u    /* lines of letters.txt */
#define MAX_MARKERS 512u /* words, beginnings, endings and infixes of cs-sk.txt */
#define MAX_MARKER_BYTES 32u
/* The letters of a group decide against textcat only when there are at least this many of them, and at least this
 * share (in percent) of all the letters of the text — so a place name in another language's text does not. */
#define GROUP_MIN_LETTERS 2u
#define GROUP_MIN_PERCENT 3u
/* Letters shared by Czech and Slovak overrule textcat only together with this much Czech/Slovak evidence (the
 * difference of the weights of cs-sk.txt), so Polish text naming Košice and Žilina stays Polish. */
#define CS_SK_MIN_MARGIN 2.0

enum { MK_WORD = 'w', MK_PREFIX = 'p', MK_SUFFIX = 's', MK_INFIX = 'i' };

typedef struct letter {
  uint32_t cp;
  sv4_lang lang;
  double w;
} letter;

typedef struct marker {
  char s[MAX_MARKER_BYTES];
  uint8_t n, kind;
  sv4_lang lang;
  double w;
} marker;

typedef struct group {
  unsigned langs; /* bit per sv4_lang */
  uint32_t cps[MAX_LETTERS];
  size_t ncps;
} group;

struct sv4_langid {
  void *tc;
  pthread_mutex_t lock; /* textcat_Classify keeps its output in the handle */
  group groups[MAX_GROUPS];
  size_t ngroups;
  letter letters[MAX_LETTERS]; /* Czech/Slovak letters */
  size_t nletters;
  marker markers[MAX_MARKERS];
  size_t nmarkers;
  int32_t slots[2 * MAX_MARKERS]; /* open-addressing hash of words, beginnings and endings; -1 empty */
  size_t ninfix, infix[MAX_MARKERS]; /* indexes of the infixes, checked by search */
  size_t max_prefix, max_suffix;     /* bytes */
};

/* Decodes the UTF-8 character at s (valid UTF-8, as normalised text is); sets *len to its length. */
static uint32_t decode(const unsigned char *s, size_t *len) {
  if (s[0] < 0x80) {
    *len = 1;
    return s[0];
  }
  if (s[0] < 0xE0 && s[1]) {
    *len = 2;
    return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if (s[0] < 0xF0 && s[1] && s[2]) {
    *len = 3;
    return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  size_t k = 1;
  while (k < 4 && s[k] && (s[k] & 0xC0) == 0x80) k++;
  *len = k;
  return 0xFFFD;
}

/* The code point of a one-letter item, or 0 when the item is longer. */
static uint32_t one_letter(const char *item) {
  size_t k = 0;
  uint32_t cp = decode((const unsigned char *)item, &k);
  return item[k] ? 0 : cp;
}

static uint32_t hash(int kind, const char *s, size_t n) {
  uint32_t h = 2166136261u ^ (uint32_t)kind;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

#define NSLOTS (2 * MAX_MARKERS)

static const marker *lookup(const sv4_langid *li, int kind, const char *s, size_t n, size_t *slot) {
  for (size_t i = hash(kind, s, n) & (NSLOTS - 1), k = 0; k < NSLOTS; k++, i = (i + 1) & (NSLOTS - 1)) {
    int32_t m = li->slots[i];
    if (m < 0) {
      if (slot) *slot = i;
      return NULL;
    }
    const marker *mk = &li->markers[m];
    if (mk->kind == kind && mk->n == n && !memcmp(mk->s, s, n)) return mk;
  }
  return NULL;
}

/* Reads data/langid/<name> line by line (comments and blank lines skipped); calls fn with each line. */
static void read_lines(sv4_langid *li, const char *name, void (*fn)(sv4_langid *, char *)) {
  char *path = sv4_data_path(name), *data = NULL, *save = NULL;
  size_t len = 0;
  if (path && sv4_read_file(path, 1u << 20, &data, &len, NULL) == SV4_OK)
    for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
      if (line[0] != '#') fn(li, line);
  free(path);
  free(data);
}

/* "cs,sk ý č š" — languages, then letters. */
static void add_group(sv4_langid *li, char *line) {
  char *save = NULL, *tok = strtok_r(line, " \t\r", &save);
  if (!tok || li->ngroups >= MAX_GROUPS) return;
  group *g = &li->groups[li->ngroups];
  memset(g, 0, sizeof *g);
  char *lsave = NULL;
  for (char *c = strtok_r(tok, ",", &lsave); c; c = strtok_r(NULL, ",", &lsave)) {
    sv4_lang l = sv4_lang_from_code(c);
    if (l != SV4_LANG_UNKNOWN) g->langs |= 1u << l;
  }
  while ((tok = strtok_r(NULL, " \t\r", &save)) && g->ncps < MAX_LETTERS) {
    char *item = sv4_normalize_term(tok, strlen(tok), 0);
    uint32_t cp = item ? one_letter(item) : 0;
    if (cp) g->cps[g->ncps++] = cp;
    free(item);
  }
  if (g->langs && g->ncps) li->ngroups++;
}

/* "sk -osť 1.5" — language, item, optional weight. */
static void add_marker(sv4_langid *li, char *line) {
  char *save = NULL, *code = strtok_r(line, " \t\r", &save), *raw = strtok_r(NULL, " \t\r", &save),
       *wtxt = strtok_r(NULL, " \t\r", &save);
  sv4_lang l = code ? sv4_lang_from_code(code) : SV4_LANG_UNKNOWN;
  if ((l != SV4_LANG_CS && l != SV4_LANG_SK) || !raw) return;
  double w = wtxt ? strtod(wtxt, NULL) : 1.0;
  if (!(w > 0)) return;
  size_t rn = strlen(raw);
  int lead = raw[0] == '-' && rn > 1, trail = raw[rn - 1] == '-' && rn > 1;
  int kind = lead && trail ? MK_INFIX : lead ? MK_SUFFIX : trail ? MK_PREFIX : MK_WORD;
  char *item = sv4_normalize_term(raw + lead, rn - (size_t)lead - (size_t)trail, 0);
  size_t n = item ? strlen(item) : 0;
  uint32_t cp = item && kind == MK_WORD ? one_letter(item) : 0;
  if (!n || n >= MAX_MARKER_BYTES || strchr(item, ' ')) {
    /* empty, too long, or more than one word: not an item this format has */
  } else if (cp && cp >= 0x80) {
    if (li->nletters < MAX_LETTERS) li->letters[li->nletters++] = (letter){cp, l, w};
  } else if (li->nmarkers < MAX_MARKERS) {
    size_t slot = 0;
    if (kind != MK_INFIX && lookup(li, kind, item, n, &slot)) goto done; /* first line wins */
    marker *m = &li->markers[li->nmarkers];
    memcpy(m->s, item, n);
    m->n = (uint8_t)n;
    m->kind = (uint8_t)kind;
    m->lang = l;
    m->w = w;
    if (kind == MK_INFIX) li->infix[li->ninfix++] = li->nmarkers;
    else li->slots[slot] = (int32_t)li->nmarkers;
    if (kind == MK_PREFIX && n > li->max_prefix) li->max_prefix = n;
    if (kind == MK_SUFFIX && n > li->max_suffix) li->max_suffix = n;
    li->nmarkers++;
  }
done:
  free(item);
}

sv4_rc sv4_langid_new(sv4_langid **out, sv4_error *err) {
  *out = NULL;
  sv4_langid *li = calloc(1, sizeof *li);
  char *conf = sv4_data_path("langid/fpdb.conf");
  const char *models = getenv("SMARTV4_LANGID_MODELS");
  if (!li || !conf) {
    free(li);
    free(conf);
    return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  li->tc = special_textcat_Init(conf, models && *models ? models : "/usr/share/libexttextcat/");
  if (!li->tc) {
    sv4_error_set(err, SV4_ERR_IO, "%s: cannot load language models", conf);
    free(conf);
    free(li);
    return SV4_ERR_IO;
  }
  free(conf);
  pthread_mutex_init(&li->lock, NULL);
  for (size_t i = 0; i < NSLOTS; i++) li->slots[i] = -1;
  read_lines(li, "langid/letters.txt", add_group);
  read_lines(li, "langid/cs-sk.txt", add_marker);
  *out = li;
  return SV4_OK;
}

void sv4_langid_free(sv4_langid *li) {
  if (!li) return;
  if (li->tc) textcat_Done(li->tc);
  pthread_mutex_destroy(&li->lock);
  free(li);
}

static int is_cont(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

static void add(double score[SV4_LANG_COUNT], const marker *m) {
  if (m) score[m->lang] += m->w;
}

/* Czech/Slovak evidence of one word w[0..n): the word itself, its beginnings and endings, its infixes. */
static void score_word(const sv4_langid *li, const char *w, size_t n, double score[SV4_LANG_COUNT]) {
  add(score, lookup(li, MK_WORD, w, n, NULL));
  for (size_t k = 1; k < n && k <= li->max_prefix; k++)
    if (!is_cont(w[k])) add(score, lookup(li, MK_PREFIX, w, k, NULL));
  /* An ending needs a stem of two letters before it: "-ok" is an ending in "pozemok", not in "rok". */
  size_t stem = 0, k2 = 0;
  for (size_t i = 0; i < n && k2 < 2; i++)
    if (!is_cont(w[i])) {
      k2++;
      stem = i;
    }
  while (stem + 1 < n && is_cont(w[stem + 1])) stem++;
  for (size_t k = 1; k + stem < n && k <= li->max_suffix; k++)
    if (!is_cont(w[n - k])) add(score, lookup(li, MK_SUFFIX, w + n - k, k, NULL));
  for (size_t j = 0; j < li->ninfix; j++) {
    const marker *m = &li->markers[li->infix[j]];
    for (size_t i = 1; i + m->n < n; i++)
      if (!memcmp(w + i, m->s, m->n)) score[m->lang] += m->w;
  }
}

typedef struct evidence {
  double score[SV4_LANG_COUNT]; /* Czech/Slovak weights */
  size_t group[MAX_GROUPS];     /* letters of each group of letters.txt */
  size_t letters;               /* all letters */
} evidence;

/* Collects the evidence of the normalised text t (" word word "). */
static void collect(const sv4_langid *li, const char *t, evidence *e) {
  memset(e, 0, sizeof *e);
  const char *p = t;
  while (*p) {
    while (*p == ' ') p++;
    const char *w = p;
    while (*p && *p != ' ') {
      size_t k = 1;
      uint32_t cp = decode((const unsigned char *)p, &k);
      if (cp >= 0x80 || (cp >= 'a' && cp <= 'z')) e->letters++;
      if (cp >= 0x80) {
        for (size_t g = 0; g < li->ngroups; g++)
          for (size_t i = 0; i < li->groups[g].ncps; i++)
            if (li->groups[g].cps[i] == cp) e->group[g]++;
        for (size_t i = 0; i < li->nletters; i++)
          if (li->letters[i].cp == cp) e->score[li->letters[i].lang] += li->letters[i].w;
      }
      p += k;
    }
    if (p > w) score_word(li, w, (size_t)(p - w), e->score);
  }
}

/* Czech or Slovak by the weighted evidence; `fallback` on a tie. */
static sv4_lang cs_or_sk(const evidence *e, sv4_lang fallback) {
  if (e->score[SV4_LANG_CS] > e->score[SV4_LANG_SK]) return SV4_LANG_CS;
  if (e->score[SV4_LANG_SK] > e->score[SV4_LANG_CS]) return SV4_LANG_SK;
  return fallback;
}

/* textcat's candidates, best first ("[cs][sk]"); returns their number. */
static size_t candidates(sv4_langid *li, const char *text, size_t len, sv4_lang cand[SV4_LANG_COUNT]) {
  size_t nc = 0;
  pthread_mutex_lock(&li->lock);
  const char *r = textcat_Classify(li->tc, text, len);
  for (const char *p = r; p && *p && nc < SV4_LANG_COUNT; p++) {
    if (*p != '[') continue;
    const char *q = strchr(p, ']');
    if (!q) break;
    char code[8] = {0};
    size_t k = (size_t)(q - p - 1);
    if (k < sizeof code) {
      memcpy(code, p + 1, k);
      sv4_lang l = sv4_lang_from_code(code);
      if (l != SV4_LANG_UNKNOWN) cand[nc++] = l;
    }
    p = q;
  }
  pthread_mutex_unlock(&li->lock);
  return nc;
}

sv4_lang sv4_langid_detect(sv4_langid *li, const char *text, size_t len) {
  if (!li || !text) return SV4_LANG_UNKNOWN;
  size_t cap = LANGID_TEXTCAT_BYTES < SV4_MAX_LANGID_BYTES ? LANGID_TEXTCAT_BYTES : SV4_MAX_LANGID_BYTES;
  if (len > cap) {
    len = cap;
    /* Do not cut a UTF-8 sequence. */
    while (len > 0 && is_cont(text[len])) len--;
  }
  /* textcat reads its input as a C string past the length it is given: hand it a terminated copy, so the bytes
   * after the text can neither change the answer nor be read beyond the caller's buffer. */
  char copy[SV4_MAX_LANGID_BYTES + 1];
  memcpy(copy, text, len);
  copy[len] = '\0';
  text = copy;
  sv4_lang cand[SV4_LANG_COUNT];
  size_t nc = candidates(li, text, len, cand);
  sv4_lang best = nc ? cand[0] : SV4_LANG_UNKNOWN, fallback = best;
  for (size_t i = nc; i-- > 0;)
    if (cand[i] == SV4_LANG_CS || cand[i] == SV4_LANG_SK) fallback = cand[i]; /* the better-ranked of the pair */
  if (best == SV4_LANG_EN) return best; /* English text names Czech, Polish, Hungarian places; trust the n-grams */
  sv4_norm n;
  sv4_norm_init(&n);
  if (sv4_normalize(text, len, 0, &n, NULL) != SV4_OK) {
    sv4_norm_free(&n);
    return best;
  }
  evidence e;
  collect(li, n.text, &e);
  sv4_norm_free(&n);
  /* Letters: when the text has none of the letters that only the best candidate's group of alphabets has, but
   * enough of another group's, that group decides. */
  size_t have = 0, top = 0, topn = 0;
  for (size_t g = 0; g < li->ngroups; g++) {
    if (best != SV4_LANG_UNKNOWN && (li->groups[g].langs & (1u << best))) have += e.group[g];
    else if (e.group[g] > topn) {
      top = g;
      topn = e.group[g];
    }
  }
  if (!have && topn >= GROUP_MIN_LETTERS && topn * 100 >= GROUP_MIN_PERCENT * e.letters) {
    unsigned langs = li->groups[top].langs;
    if (langs & ((1u << SV4_LANG_CS) | (1u << SV4_LANG_SK))) {
      double d = e.score[SV4_LANG_CS] - e.score[SV4_LANG_SK];
      if (d >= CS_SK_MIN_MARGIN || -d >= CS_SK_MIN_MARGIN) best = cs_or_sk(&e, fallback);
    } else
      for (int l = 1; l < SV4_LANG_COUNT; l++)
        if (langs == 1u << l) best = (sv4_lang)l;
  }
  if (best == SV4_LANG_CS || best == SV4_LANG_SK || best == SV4_LANG_UNKNOWN) best = cs_or_sk(&e, best);
  return best;
}
