/* fts_tokenizer.c — the "sv4" tokenizer, shared by FTS5 and the in-memory text index: words are runs of letters,
 * digits and marks; each token is NFKC, case-folded and stripped of diacritics, including the letters Unicode does
 * not decompose (ł đ ø ħ ı ß→ss), so "zrodla" finds "źródła" and "Košice" finds "Kosice". Offsets stay those of
 * the original text, which keeps snippets and highlights on the original words. ASCII letters and digits take a
 * direct path with the same result as the Unicode one. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "store/internal.h"

/* Letters without a Unicode decomposition that readers still treat as "letter + diacritic". */
static utf8proc_int32_t fold_extra(utf8proc_int32_t c) {
  switch (c) {
    case 0x0142: return 'l'; /* ł */
    case 0x0111: return 'd'; /* đ */
    case 0x00F8: return 'o'; /* ø */
    case 0x0127: return 'h'; /* ħ */
    case 0x0131: return 'i'; /* ı */
    case 0x00E6: return 'a'; /* æ (first letter is enough for matching) */
    case 0x0153: return 'o'; /* œ */
    default: return c;
  }
}

static int is_word_cp(utf8proc_int32_t c) {
  switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return 1;
    default:
      return 0;
  }
}

/* ASCII word characters: letters and digits (every other ASCII character is punctuation, space or control). */
static const unsigned char ascii_word[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
    ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1};

/* Appends the folded form of c to out (at most cap bytes); returns the new length. */
static size_t fold_cp(utf8proc_int32_t c, char *out, size_t len, size_t cap) {
  utf8proc_int32_t buf[8];
  utf8proc_ssize_t n = utf8proc_decompose_char(
      c, buf, 8, UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE, NULL);
  if (n < 0 || n > 8) return len;
  for (utf8proc_ssize_t i = 0; i < n; i++) {
    utf8proc_int32_t f = fold_extra(buf[i]);
    if (utf8proc_category(f) == UTF8PROC_CATEGORY_MN) continue;
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t k = utf8proc_encode_char(f, enc);
    if (len + (size_t)k > cap) return len;
    memcpy(out + len, enc, (size_t)k);
    len += (size_t)k;
  }
  return len;
}

int sv4__tokenize(const char *text, size_t ntext, sv4__token_cb emit, void *ud) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
  utf8proc_ssize_t i = 0, n = (utf8proc_ssize_t)ntext;
  char tok[SV4__TOKEN_MAX];
  while (i < n) {
    utf8proc_int32_t c = p[i];
    utf8proc_ssize_t k = 1;
    if (c >= 0x80) {
      k = utf8proc_iterate(p + i, n - i, &c);
      if (k <= 0) { /* invalid byte: a separator */
        i++;
        continue;
      }
      if (!is_word_cp(c)) {
        i += k;
        continue;
      }
    } else if (!ascii_word[c]) {
      i++;
      continue;
    }
    utf8proc_ssize_t start = i;
    size_t len = 0;
    while (i < n) {
      c = p[i];
      if (c < 0x80) {
        if (!ascii_word[c]) break;
        if (len < sizeof tok) tok[len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        i++;
        continue;
      }
      k = utf8proc_iterate(p + i, n - i, &c);
      if (k <= 0 || !is_word_cp(c)) break;
      len = fold_cp(c, tok, len, sizeof tok);
      i += k;
    }
    if (len) {
      int rc = emit(ud, tok, len, (size_t)start, (size_t)i);
      if (rc) return rc;
    }
  }
  return 0;
}

static int tok_create(void *ctx, const char **azArg, int nArg, Fts5Tokenizer **out) {
  (void)ctx;
  (void)azArg;
  (void)nArg;
  *out = (Fts5Tokenizer *)1; /* stateless */
  return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t) { (void)t; }

typedef struct fts_emit {
  void *ctx;
  int (*emit)(void *, int, const char *, int, int, int);
} fts_emit;

static int fts_emit_cb(void *ud, const char *tok, size_t len, size_t start, size_t end) {
  fts_emit *e = ud;
  return e->emit(e->ctx, 0, tok, (int)len, (int)start, (int)end);
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int ntext,
                        int (*emit)(void *, int, const char *, int, int, int)) {
  (void)t;
  (void)flags;
  fts_emit e = {ctx, emit};
  int rc = sv4__tokenize(text, ntext > 0 ? (size_t)ntext : 0, fts_emit_cb, &e);
  return rc ? rc : SQLITE_OK;
}

int sv4__fts_register(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return SQLITE_ERROR;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  if (!api) return SQLITE_ERROR;
  static fts5_tokenizer tk = {tok_create, tok_delete, tok_tokenize};
  return api->xCreateTokenizer(api, "sv4", NULL, &tk, NULL);
}
