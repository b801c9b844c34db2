/* tsquery.c — the PostgreSQL backend's text side: words-only text for indexing, and the FTS5 query subset of
 * sv4_search_fts_query translated to to_tsquery() syntax without passing any user text unquoted. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "store/postgres/internal.h"

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

void sv4__pg_words_only(char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
    if (k <= 0) {
      s[i++] = ' ';
      continue;
    }
    if (!is_word_cp(c)) memset(s + i, ' ', (size_t)k);
    i += (size_t)k;
  }
}

/* Appends one quoted operand: 'word' with ' and \ escaped (they cannot occur after words_only, but the quoting
 * does not rely on that). */
static sv4_rc put_word(sv4_buf *b, const char *w, size_t n) {
  sv4_rc rc = sv4_buf_putc(b, '\'');
  for (size_t i = 0; i < n && !rc; i++) {
    if (w[i] == '\'' || w[i] == '\\') rc = sv4_buf_putc(b, '\\');
    if (!rc) rc = sv4_buf_putc(b, w[i]);
  }
  if (!rc) rc = sv4_buf_putc(b, '\'');
  return rc;
}

/* One FTS5 string (a word or a phrase) as a tsquery operand: its words joined by <->, the last one with :* when a
 * prefix. Sets *empty when it has no words. */
static sv4_rc put_term(sv4_buf *b, const char *s, size_t n, int prefix, int *empty) {
  sv4_rc rc = SV4_OK;
  char *tmp = malloc(n + 1);
  if (!tmp) return SV4_ERR_NOMEM;
  memcpy(tmp, s, n);
  sv4__pg_words_only(tmp, n);
  size_t words = 0, i = 0;
  for (size_t j = 0; j < n; j++) words += tmp[j] != ' ' && (j == 0 || tmp[j - 1] == ' ');
  *empty = words == 0;
  if (!words) {
    free(tmp);
    return SV4_OK;
  }
  if (words > 1) rc = sv4_buf_putc(b, '(');
  size_t seen = 0;
  while (!rc && i < n) {
    while (i < n && tmp[i] == ' ') i++;
    size_t st = i;
    while (i < n && tmp[i] != ' ') i++;
    if (i == st) break;
    if (seen++) rc = sv4_buf_puts(b, " <-> ");
    if (!rc) rc = put_word(b, tmp + st, i - st);
    if (!rc && prefix && seen == words) rc = sv4_buf_puts(b, ":*");
  }
  if (!rc && words > 1) rc = sv4_buf_putc(b, ')');
  free(tmp);
  return rc;
}

sv4_rc sv4__pg_tsquery(const char *fts, sv4_buf *out) {
  enum { OP_AND, OP_OR, OP_NOT } op = OP_AND;
  const char *p = fts ? fts : "";
  size_t start = out->len;
  sv4_rc rc = SV4_OK;
  while (*p && !rc) {
    if (*p == '"') {
      const char *q = strchr(p + 1, '"');
      const char *end = q ? q : p + strlen(p);
      int prefix = q && q[1] == '*';
      size_t mark = out->len;
      int empty = 0;
      if (out->len > start) rc = sv4_buf_puts(out, op == OP_OR ? " | " : op == OP_NOT ? " & !" : " & ");
      else if (op == OP_NOT) { /* FTS5 has no leading NOT: a lone exclusion is dropped */
        p = q ? q + 1 + prefix : end;
        op = OP_AND;
        continue;
      }
      if (!rc) rc = put_term(out, p + 1, (size_t)(end - p - 1), prefix, &empty);
      if (!rc && empty) { /* no words: drop the operator written before it */
        out->len = mark;
        if (out->data) out->data[mark] = '\0';
      }
      op = OP_AND;
      p = q ? q + 1 + prefix : end;
      continue;
    }
    if (!strncmp(p, "OR", 2) && (p[2] == ' ' || p[2] == '"')) {
      op = OP_OR;
      p += 2;
      continue;
    }
    if (!strncmp(p, "NOT", 3) && (p[3] == ' ' || p[3] == '"')) {
      op = OP_NOT;
      p += 3;
      continue;
    }
    p++;
  }
  return rc;
}
