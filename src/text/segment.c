/* segment.c — language codes, paragraph and sentence segmentation. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sv4/text.h"

static const char *const lang_codes[SV4_LANG_COUNT] = {"und", "en", "pl", "cs", "sk", "hu"};

const char *sv4_lang_code(sv4_lang lang) {
  return (unsigned)lang < SV4_LANG_COUNT ? lang_codes[lang] : "und";
}

sv4_lang sv4_lang_from_code(const char *code) {
  if (!code) return SV4_LANG_UNKNOWN;
  if (!strcasecmp(code, "cz")) return SV4_LANG_CS;
  for (int i = 1; i < SV4_LANG_COUNT; i++)
    if (!strcasecmp(code, lang_codes[i])) return (sv4_lang)i;
  return SV4_LANG_UNKNOWN;
}

static int push_span(sv4_span **out, size_t *n, size_t *cap, size_t a, size_t b) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 8;
    sv4_span *p = realloc(*out, c * sizeof *p);
    if (!p) return -1;
    *out = p;
    *cap = c;
  }
  (*out)[*n].start = a;
  (*out)[*n].end = b;
  (*n)++;
  return 0;
}

static int is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* Trims whitespace from both ends of [a,b). */
static void trim(const char *t, size_t *a, size_t *b) {
  while (*a < *b && (is_blank((unsigned char)t[*a]) || t[*a] == '\n')) (*a)++;
  while (*b > *a && (is_blank((unsigned char)t[*b - 1]) || t[*b - 1] == '\n')) (*b)--;
}

sv4_rc sv4_paragraphs(const char *text, size_t len, sv4_span **out, size_t *n) {
  size_t cap = 0, start = 0, i = 0;
  *out = NULL;
  *n = 0;
  while (i < len) {
    const char *nl = memchr(text + i, '\n', len - i);
    if (!nl) break;
    size_t j = (size_t)(nl - text) + 1;
    /* A blank line (only spaces) after this newline ends the paragraph. */
    size_t k = j;
    while (k < len && is_blank((unsigned char)text[k])) k++;
    if (k < len && text[k] == '\n') {
      size_t a = start, b = (size_t)(nl - text);
      trim(text, &a, &b);
      if (a < b && push_span(out, n, &cap, a, b)) goto oom;
      while (k < len && (text[k] == '\n' || is_blank((unsigned char)text[k]))) k++;
      start = k;
      i = k;
    } else {
      i = j;
    }
  }
  {
    size_t a = start, b = len;
    trim(text, &a, &b);
    if (a < b && push_span(out, n, &cap, a, b)) goto oom;
  }
  return SV4_OK;
oom:
  free(*out);
  *out = NULL;
  *n = 0;
  return SV4_ERR_NOMEM;
}

/* Short words after which a period does not end a sentence (English and V4 abbreviations). */
static int is_abbrev(const char *w, size_t n) {
  static const char *const ab[] = {"e.g", "i.e", "etc", "vs", "mr", "mrs", "dr", "prof", "no", "art", "fig", "np",
                                   "tzn", "tj", "ok", "ul", "nr", "r", "mgr", "inż", "např", "tzv", "atd", "resp",
                                   "tzn", "napr", "čl", "ods", "pl", "pld", "stb", "ún", "kb", "ld", "st", "jr"};
  if (n == 0 || n > 6) return 0;
  for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++)
    if (strlen(ab[i]) == n && !strncasecmp(ab[i], w, n)) return 1;
  return 0;
}

sv4_rc sv4_sentences(const char *text, sv4_span span, sv4_span **out, size_t *n) {
  size_t cap = *n, a = span.start, i = span.start;
  /* cap is unknown for a caller-provided array: grow from the current count (realloc keeps data). */
  if (cap) cap = *n;
  while (i < span.end) {
    char c = text[i];
    if (c == '.' || c == '!' || c == '?' || c == ';' || c == '\n') {
      size_t e = i + 1;
      while (e < span.end && (text[e] == '.' || text[e] == '!' || text[e] == '?' || text[e] == '"' ||
                              text[e] == ')' || (unsigned char)text[e] == 0xE2))
        e++;
      size_t s = e;
      while (s < span.end && is_blank((unsigned char)text[s])) s++;
      int boundary = 0;
      if (c == '\n') {
        boundary = 1;
      } else if (s > e || s >= span.end) {
        unsigned char nx = s < span.end ? (unsigned char)text[s] : 'A';
        int upper = isupper(nx) || isdigit(nx) || nx >= 0xC3 || nx == '"' || nx == '(' || nx == '-';
        /* The word before the period. */
        size_t w = i;
        while (w > a && !is_blank((unsigned char)text[w - 1]) && text[w - 1] != '\n') w--;
        if (upper && !(c == '.' && is_abbrev(text + w, i - w))) boundary = 1;
        if (c == ';') boundary = 0;
      }
      if (boundary) {
        size_t x = a, y = e;
        trim(text, &x, &y);
        if (x < y && push_span(out, n, &cap, x, y)) return SV4_ERR_NOMEM;
        a = s;
        i = s;
        continue;
      }
    }
    i++;
  }
  size_t x = a, y = span.end;
  trim(text, &x, &y);
  if (x < y && push_span(out, n, &cap, x, y)) return SV4_ERR_NOMEM;
  return SV4_OK;
}
