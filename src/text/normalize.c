/* normalize.c — UTF-8 validation and the normalised form used for matching (NFKC + case folding, optional
 * diacritic folding, non-word runs collapsed to one space) with an offset map back to the original bytes.
 * Hot path: ASCII through a 128-entry table without branches on the bytes, U+0080..U+07FF through tables built
 * once with utf8proc, everything above through utf8proc_decompose_char (no allocation). SV4_NORM_REFERENCE sends
 * every character through utf8proc instead; the tests compare the two. sv4_normalize_pair makes the exact and the
 * folded form in one pass when the one is the character-wise fold of the other. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "sv4/limits.h"
#include "sv4/text.h"

/* One precomputed entry: the folded UTF-8 of a code point; len 0 = separator; mark = combining mark. */
typedef struct norm_entry {
  unsigned char len;
  unsigned char mark;
  unsigned char slow; /* the result does not fit: use the slow path */
  char bytes[9];
} norm_entry;

#define TAB2_FIRST 0x80
#define TAB2_COUNT (0x800 - 0x80)

static unsigned char ascii_tab[128];
static unsigned char ascii_out[128]; /* ascii_tab with ' ' for the separators: the byte an ASCII byte becomes */
static norm_entry tab2[2][TAB2_COUNT];
/* pair_ok[cp - TAB2_FIRST]: the two-byte character cp may be normalised by sv4_normalize_pair (pair_char_ok). */
static unsigned char pair_ok[TAB2_COUNT];
/* sep3[cp - SEP3_FIRST]: the three-byte character cp of General Punctuation or Currency Symbols (typographic
 * quotes, dashes, ellipsis, special spaces, the euro sign) is a separator in both forms and no combining mark:
 * sv4_normalize_pair writes it as the ASCII separators, so that text with such punctuation still pairs. */
#define SEP3_FIRST 0x2000
#define SEP3_COUNT (0x20D0 - 0x2000)
static unsigned char sep3[SEP3_COUNT];
/* Fold variants: for each ASCII letter, the lowercase Latin letters U+00C0..U+024F that fold to it. */
static char fold_var[26][64][4];
static size_t fold_nvar[26];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* Decodes one multi-byte sequence at s[i] (s[i] >= 0x80). Returns its length, 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, size_t i, utf8proc_int32_t *cp) {
  unsigned char c = s[i];
  if (c >= 0xC2 && c <= 0xDF) {
    if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return 0;
    *cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[i + 1] < 0xA0) return 0; /* overlong */
    if (c == 0xED && s[i + 1] > 0x9F) return 0; /* surrogate */
    *cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && s[i + 1] < 0x90) return 0; /* overlong */
    if (c == 0xF4 && s[i + 1] > 0x8F) return 0; /* > U+10FFFF */
    *cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    return 4;
  }
  return 0;
}

static int is_word_category(utf8proc_category_t c) {
  switch (c) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return 1;
    default:
      return 0;
  }
}

static int is_mark(utf8proc_int32_t cp) {
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* Letters that carry a stroke rather than a combining mark: NFKD does not strip them. */
static utf8proc_int32_t fold_stroke(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x0142: return 'l'; /* ł */
    case 0x0111: return 'd'; /* đ */
    case 0x00F8: return 'o'; /* ø */
    case 0x0131: return 'i'; /* ı */
    case 0x0127: return 'h'; /* ħ */
    case 0x0167: return 't'; /* ŧ */
    case 0x0180: return 'b'; /* ƀ */
    case 0x01E5: return 'g'; /* ǥ */
    default: return cp;
  }
}

/* Normalises one code point into out (UTF-8; non-word code points of the result become ' '). Returns bytes
 * written (0 = the code point is a separator), or -1 when out is too small. */
static int norm_cp(utf8proc_int32_t cp, int fold, char *out, int cap) {
  utf8proc_int32_t buf[24];
  int last = 0;
  utf8proc_option_t opts = UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | (fold ? UTF8PROC_STRIPMARK : 0);
  utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, 24, opts, &last);
  if (n < 0 || n > 24) return -1;
  if (n == 0) return fold && is_mark(cp) ? 0 : 0;
  /* Compose (e + combining acute -> é) before classifying. */
  n = utf8proc_normalize_utf32(buf, n, UTF8PROC_COMPOSE);
  if (n < 0) return -1;
  int o = 0, any = 0;
  for (utf8proc_ssize_t i = 0; i < n; i++) {
    utf8proc_int32_t c = buf[i];
    if (fold) c = fold_stroke(c);
    if (is_word_category(utf8proc_category(c))) {
      utf8proc_uint8_t tmp[4];
      utf8proc_ssize_t k = utf8proc_encode_char(c, tmp);
      if (o + k > cap) return -1;
      memcpy(out + o, tmp, (size_t)k);
      o += (int)k;
      any = 1;
    } else {
      if (o + 1 > cap) return -1;
      out[o++] = ' ';
    }
  }
  return any ? o : 0;
}

/* The folded form of one code point of normalised text, character by character: ASCII letters and digits are
 * their own fold; a two-byte character takes its folded table entry when that is plain (letters or digits only, no
 * slow path). Writes at most 8 bytes to out and returns their number; -1 when the code point has no such fold. Only
 * once tab2 is built. */
static int fold_one(utf8proc_int32_t cp, char *out) {
  if (cp < 0x80) {
    if (ascii_tab[cp] != cp) return -1;
    out[0] = (char)cp;
    return 1;
  }
  if (cp >= TAB2_FIRST + TAB2_COUNT) return -1;
  const norm_entry *f = &tab2[1][cp - TAB2_FIRST];
  if (f->slow || f->mark || !f->len || f->len > 8 || memchr(f->bytes, ' ', f->len)) return -1;
  memcpy(out, f->bytes, f->len);
  return f->len;
}

/* The character-wise fold (fold_one; a space stays a space) of normalised text s[0..n) into out of capacity cap.
 * Returns the length, or -1 when a character has no fold, the text is not UTF-8 or out is too small. */
static long fold_string(const char *s, size_t n, char *out, size_t cap) {
  const unsigned char *u = (const unsigned char *)s;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    utf8proc_int32_t cp = u[i];
    size_t k = 1;
    if (cp >= 0x80 && !(k = utf8_decode(u, n, i, &cp))) return -1;
    char tmp[8];
    int m = 1;
    if (cp == ' ')
      tmp[0] = ' ';
    else
      m = fold_one(cp, tmp);
    if (m < 0 || o + (size_t)m > cap) return -1;
    memcpy(out + o, tmp, (size_t)m);
    o += (size_t)m;
    i += k;
  }
  return (long)o;
}

/* Whether the two-byte character cp may go through sv4_normalize_pair: it is no combining mark and needs the slow
 * path in neither form; it is a separator in both forms or in neither; neither form contains a space; and its folded
 * form is the character-wise fold of its exact form. In a text of such characters and ASCII, both forms have their
 * spaces at the same characters, and an exact phrase in the exact form is, folded, at the same place in the folded
 * form. */
static int pair_char_ok(utf8proc_int32_t cp) {
  const norm_entry *e = &tab2[0][cp - TAB2_FIRST], *f = &tab2[1][cp - TAB2_FIRST];
  if (e->slow || f->slow || e->mark || f->mark || (e->len == 0) != (f->len == 0) || e->len > 8 || f->len > 8) return 0;
  if (memchr(e->bytes, ' ', e->len) || memchr(f->bytes, ' ', f->len)) return 0;
  char g[72];
  long n = fold_string(e->bytes, e->len, g, sizeof g);
  return n == f->len && !memcmp(g, f->bytes, f->len);
}

static void build_tables(void) {
  for (int c = 0; c < 128; c++) {
    unsigned char v = 0;
    if (c >= 'a' && c <= 'z') v = (unsigned char)c;
    else if (c >= 'A' && c <= 'Z') v = (unsigned char)(c + 32);
    else if (c >= '0' && c <= '9') v = (unsigned char)c;
    ascii_tab[c] = v;
    ascii_out[c] = v ? v : ' ';
  }
  for (int fold = 0; fold < 2; fold++)
    for (int i = 0; i < TAB2_COUNT; i++) {
      norm_entry *e = &tab2[fold][i];
      utf8proc_int32_t cp = TAB2_FIRST + i;
      memset(e, 0, sizeof *e);
      e->mark = (unsigned char)is_mark(cp);
      int k = norm_cp(cp, fold, e->bytes, (int)sizeof e->bytes);
      if (k < 0) e->slow = 1;
      else e->len = (unsigned char)k;
    }
  for (int i = 0; i < TAB2_COUNT; i++) pair_ok[i] = (unsigned char)pair_char_ok(TAB2_FIRST + i);
  for (int i = 0; i < SEP3_COUNT; i++) {
    utf8proc_int32_t cp = SEP3_FIRST + i;
    char tmp[128];
    sep3[i] = (unsigned char)(!is_mark(cp) && utf8proc_get_property(cp)->combining_class == 0 &&
                              norm_cp(cp, 0, tmp, (int)sizeof tmp) == 0 && norm_cp(cp, 1, tmp, (int)sizeof tmp) == 0);
  }
  /* Inverse of folding over Latin letters, for diacritic-insensitive patterns. */
  for (utf8proc_int32_t cp = 0xC0; cp <= 0x24F; cp++) {
    const norm_entry *nf = &tab2[0][cp - TAB2_FIRST], *ff = &tab2[1][cp - TAB2_FIRST];
    if (nf->slow || ff->slow || ff->len != 1 || nf->len < 2 || nf->len > 3) continue;
    char b = ff->bytes[0];
    if (b < 'a' || b > 'z') continue;
    size_t bi = (size_t)(b - 'a'), j;
    for (j = 0; j < fold_nvar[bi]; j++)
      if (!strncmp(fold_var[bi][j], nf->bytes, nf->len) && fold_var[bi][j][nf->len] == 0) break;
    if (j < fold_nvar[bi] || fold_nvar[bi] >= 64) continue;
    memcpy(fold_var[bi][fold_nvar[bi]], nf->bytes, nf->len);
    fold_var[bi][fold_nvar[bi]][nf->len] = 0;
    fold_nvar[bi]++;
  }
}

static void ensure_tables(void) { pthread_once(&tables_once, build_tables); }

size_t sv4_fold_variants(char base, const char **out, size_t max) {
  ensure_tables();
  if (base < 'a' || base > 'z') return 0;
  size_t bi = (size_t)(base - 'a'), n = fold_nvar[bi] < max ? fold_nvar[bi] : max;
  for (size_t i = 0; i < n; i++) out[i] = fold_var[bi][i];
  return fold_nvar[bi];
}

int sv4_utf8_valid(const char *str, size_t n, size_t *bad) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    /* Skip ASCII eight bytes at a time. */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    utf8proc_int32_t cp;
    size_t k = utf8_decode(s, n, i, &cp);
    if (!k) {
      if (bad) *bad = i;
      return 0;
    }
    i += k;
  }
  return 1;
}

void sv4_norm_init(sv4_norm *n) { memset(n, 0, sizeof *n); }

void sv4_norm_free(sv4_norm *n) {
  if (!n) return;
  free(n->text);
  free(n->map);
  free(n->twin);
  memset(n, 0, sizeof *n);
}

/* Room for need bytes (and map entries; twin entries too when twin is set). */
static int norm_reserve(sv4_norm *n, size_t need, int twin) {
  if (need <= n->cap && (!twin || n->twin)) return 0;
  size_t cap = n->cap ? n->cap : 256;
  while (cap < need) cap *= 2;
  char *t = realloc(n->text, cap + 1);
  if (!t) return -1;
  n->text = t;
  uint32_t *m = realloc(n->map, (cap + 1) * sizeof *m);
  if (!m) return -1;
  n->map = m;
  if (twin || n->twin) {
    m = realloc(n->twin, (cap + 1) * sizeof *m);
    if (!m) return -1;
    n->twin = m;
  }
  n->cap = cap;
  return 0;
}

sv4_rc sv4_normalize(const char *src, size_t len, int flags, sv4_norm *n, sv4_error *err) {
  const unsigned char *s = (const unsigned char *)src;
  int fold = (flags & SV4_NORM_FOLD_DIACRITICS) != 0, ref = (flags & SV4_NORM_REFERENCE) != 0;
  if (len > SV4_MAX_TEXT_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "text of %zu bytes exceeds the limit of %u bytes", len,
                         (unsigned)SV4_MAX_TEXT_BYTES);
  ensure_tables();
  /* Worst case growth: a 2-byte char becomes up to 8 bytes (+ space); bounded by 4x + 2 in practice, and the
   * slow path checks capacity itself. */
  if (norm_reserve(n, len * 2 + 16, 0)) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory normalising text");
  const norm_entry *t2 = tab2[fold];
  char *out = n->text;
  uint32_t *map = n->map;
  size_t o = 0, i = 0;
  /* Start of the last word character (cluster) in output and input, for combining marks. */
  size_t cl_out = 0, cl_in = 0;
  out[o] = ' ';
  map[o++] = 0;
  while (i < len) {
    /* Worst case per iteration: one code point expands to at most 24 code points of 4 bytes + space. */
    if (o + 128 > n->cap) {
      if (norm_reserve(n, n->cap * 2, 0)) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory normalising text");
      out = n->text;
      map = n->map;
    }
    unsigned char c = s[i];
    if (c < 0x80 && !ref) {
      /* ASCII run: the table gives the lowercase byte, or a space for a separator. Without branches on the bytes:
       * each is written, and the output moves on unless it is a second space (which the next byte overwrites). */
      size_t lim = len;
      if (lim - i > n->cap - o - 2) lim = i + (n->cap - o - 2);
      int last_sp = out[o - 1] == ' ';
      do {
        unsigned char b = ascii_out[s[i]];
        int sp = b == ' ';
        out[o] = (char)b;
        map[o] = (uint32_t)i;
        cl_out = sp ? cl_out : o;
        cl_in = sp ? cl_in : i;
        o += (size_t) !(sp & last_sp);
        last_sp = sp;
        i++;
      } while (i < lim && s[i] < 0x80);
      continue;
    }
    utf8proc_int32_t cp = c;
    size_t k = 1;
    if (c >= 0x80 && !(k = utf8_decode(s, len, i, &cp)))
      return sv4_error_set(err, SV4_ERR_UTF8, "invalid UTF-8 at byte %zu", i);
    char tmp[128];
    const char *bytes;
    int blen, mark;
    if (k == 2 && !ref && !t2[cp - TAB2_FIRST].slow) {
      const norm_entry *e = &t2[cp - TAB2_FIRST];
      bytes = e->bytes;
      blen = e->len;
      mark = e->mark;
    } else {
      blen = norm_cp(cp, fold, tmp, (int)sizeof tmp);
      if (blen < 0) blen = 0;
      bytes = tmp;
      mark = is_mark(cp);
    }
    if (mark && !fold && o > 1 && out[o - 1] != ' ') {
      /* A combining mark after a word character: recompose the cluster (base + marks) with utf8proc. */
      utf8proc_uint8_t *m = NULL;
      utf8proc_ssize_t ml = utf8proc_map(s + cl_in, (utf8proc_ssize_t)(i + k - cl_in), &m,
                                         UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
      if (ml > 0 && ml < 96) {
        /* The same rule as everywhere: word characters are kept, anything else (a compatibility mapping can
         * produce spaces or punctuation, e.g. U+0384 -> space + acute) becomes one collapsed space. */
        o = cl_out;
        for (utf8proc_ssize_t j = 0; j < ml;) {
          utf8proc_int32_t mc;
          utf8proc_ssize_t mk = utf8proc_iterate(m + j, ml - j, &mc);
          if (mk <= 0) break;
          if (is_word_category(utf8proc_category(mc))) {
            for (utf8proc_ssize_t q = 0; q < mk; q++) {
              out[o] = (char)m[j + q];
              map[o++] = (uint32_t)cl_in;
            }
          } else if (out[o - 1] != ' ') {
            out[o] = ' ';
            map[o++] = (uint32_t)cl_in;
          }
          j += mk;
        }
      }
      free(m);
      i += k;
      continue;
    }
    if (blen == 0) {
      if (!mark && out[o - 1] != ' ') {
        out[o] = ' ';
        map[o++] = (uint32_t)i;
      }
      i += k;
      continue;
    }
    cl_out = o;
    cl_in = i;
    for (int j = 0; j < blen; j++) {
      char b = bytes[j];
      if (b == ' ' && out[o - 1] == ' ') continue;
      out[o] = b;
      map[o++] = (uint32_t)i;
    }
    i += k;
  }
  if (out[o - 1] != ' ') {
    out[o] = ' ';
    map[o++] = (uint32_t)len;
  }
  out[o] = 0;
  map[o] = (uint32_t)len;
  n->len = o;
  return SV4_OK;
}

sv4_rc sv4_normalize_pair(const char *src, size_t len, sv4_norm *n, sv4_norm *f, int *paired, sv4_error *err) {
  const unsigned char *s = (const unsigned char *)src;
  *paired = 0;
  if (len > SV4_MAX_TEXT_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "text of %zu bytes exceeds the limit of %u bytes", len,
                         (unsigned)SV4_MAX_TEXT_BYTES);
  ensure_tables();
  if (norm_reserve(n, len * 2 + 16, 0) || norm_reserve(f, len * 2 + 16, 1))
    return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory normalising text");
  char *out = n->text, *fout = f->text;
  uint32_t *map = n->map, *fmap = f->map, *twin = f->twin;
  size_t o = 0, p = 0, i = 0;
  /* Both forms start with a space; from there on, as in sv4_normalize without marks and slow characters: the two
   * forms write their spaces at the same characters. */
  out[o] = fout[p] = ' ';
  map[o] = fmap[p] = 0;
  twin[p++] = (uint32_t)o++;
  while (i < len) {
    /* one character gives at most 8 bytes in either form */
    if (o + 16 > n->cap || p + 16 > f->cap) {
      if (norm_reserve(n, n->cap * 2, 0) || norm_reserve(f, f->cap * 2, 1))
        return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory normalising text");
      out = n->text, fout = f->text;
      map = n->map, fmap = f->map, twin = f->twin;
    }
    unsigned char c = s[i];
    if (c < 0x80) {
      /* ASCII is its own fold: both forms get the same bytes */
      size_t room = (n->cap - o < f->cap - p ? n->cap - o : f->cap - p) - 2, lim = len - i > room ? i + room : len;
      int last_sp = out[o - 1] == ' ';
      do {
        unsigned char b = ascii_out[s[i]];
        int sp = b == ' ';
        size_t step = (size_t) !(sp & last_sp);
        out[o] = fout[p] = (char)b;
        map[o] = fmap[p] = (uint32_t)i;
        twin[p] = (uint32_t)o; /* only the spaces' entries are used */
        o += step;
        p += step;
        last_sp = sp;
        i++;
      } while (i < lim && s[i] < 0x80);
      continue;
    }
    utf8proc_int32_t cp;
    size_t k = 2;
    if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
      cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F); /* the two-byte characters of the Latin alphabets, inline */
    } else {
      k = utf8_decode(s, len, i, &cp);
      if (!k) return sv4_error_set(err, SV4_ERR_UTF8, "invalid UTF-8 at byte %zu", i);
      /* else only the separators of sep3: not for this text, *paired stays 0 */
      if (k != 3 || cp < SEP3_FIRST || cp >= SEP3_FIRST + SEP3_COUNT || !sep3[cp - SEP3_FIRST]) return SV4_OK;
    }
    if (k == 2 && !pair_ok[cp - TAB2_FIRST]) return SV4_OK;
    const norm_entry *e = k == 2 ? &tab2[0][cp - TAB2_FIRST] : NULL, *g = k == 2 ? &tab2[1][cp - TAB2_FIRST] : NULL;
    if (!e || !e->len) { /* a separator */
      if (out[o - 1] != ' ') {
        out[o] = fout[p] = ' ';
        map[o] = fmap[p] = (uint32_t)i;
        twin[p++] = (uint32_t)o++;
      }
    } else {
      /* eight bytes and four offsets each (there is room: o + 16 <= cap), of which len count */
      uint32_t at = (uint32_t)i;
      memcpy(out + o, e->bytes, 8);
      memcpy(fout + p, g->bytes, 8);
      map[o] = map[o + 1] = map[o + 2] = map[o + 3] = at;
      fmap[p] = fmap[p + 1] = fmap[p + 2] = fmap[p + 3] = at;
      for (int j = 4; j < e->len; j++) map[o + (size_t)j] = at;
      for (int j = 4; j < g->len; j++) fmap[p + (size_t)j] = at;
      o += e->len;
      p += g->len;
    }
    i += k;
  }
  if (out[o - 1] != ' ') {
    out[o] = fout[p] = ' ';
    map[o] = fmap[p] = (uint32_t)len;
    twin[p++] = (uint32_t)o++;
  }
  out[o] = fout[p] = 0;
  map[o] = fmap[p] = (uint32_t)len;
  n->len = o;
  f->len = p;
  *paired = 1;
  return SV4_OK;
}

long sv4_fold_normalised(const char *s, size_t n, char *out, size_t cap) {
  ensure_tables();
  return fold_string(s, n, out, cap);
}

void sv4_norm_span(const sv4_norm *n, const char *src, size_t src_len, size_t a, size_t b, size_t *start,
                   size_t *end) {
  if (b > n->len) b = n->len;
  if (a >= b) {
    *start = *end = a < n->len ? n->map[a] : src_len;
    return;
  }
  *start = n->map[a];
  size_t e = n->map[b];
  if (e <= n->map[b - 1]) {
    /* The span ends inside one original character that expanded: take that whole character. */
    size_t p = n->map[b - 1];
    unsigned char c = (unsigned char)src[p];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    e = p + k;
  }
  if (e > src_len) e = src_len;
  /* Trailing separators are never part of a span. */
  while (e > *start && (src[e - 1] == ' ' || src[e - 1] == '\n' || src[e - 1] == '\t' || src[e - 1] == '\r')) e--;
  *end = e;
}

char *sv4_normalize_term(const char *s, size_t len, int flags) {
  sv4_norm n;
  sv4_norm_init(&n);
  if (sv4_normalize(s, len, flags, &n, NULL)) {
    sv4_norm_free(&n);
    return NULL;
  }
  size_t a = 1, b = n.len > 1 ? n.len - 1 : 1;
  char *r = malloc(b - a + 1);
  if (r) {
    memcpy(r, n.text + a, b - a);
    r[b - a] = 0;
  }
  sv4_norm_free(&n);
  return r;
}
