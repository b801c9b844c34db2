/* query.c — query strings, url-encoded form bodies and cookies. */
#include <string.h>

#include "server/internal.h"

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char *sv4__url_decode(sv4_arena *a, const char *s, size_t n, int plus_is_space) {
  char *out = sv4_arena_alloc(a, n + 1);
  size_t j = 0;
  if (!out) return NULL;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%') {
      int h = i + 1 < n ? hexval(s[i + 1]) : -1, l = i + 2 < n ? hexval(s[i + 2]) : -1;
      if (h >= 0 && l >= 0) {
        out[j++] = (char)(h * 16 + l);
        i += 2;
        continue;
      }
    }
    out[j++] = plus_is_space && s[i] == '+' ? ' ' : s[i];
  }
  out[j] = '\0';
  return out;
}

sv4_rc sv4__parse_query(sv4_arena *a, const char *qs, size_t len, sv4_param **out, size_t *n) {
  size_t cap = 1;
  for (size_t i = 0; i < len; i++) cap += qs[i] == '&';
  if (cap > 256) return SV4_ERR_LIMIT;
  sv4_param *p = sv4_arena_alloc(a, cap * sizeof *p);
  if (!p) return SV4_ERR_NOMEM;
  size_t k = 0, i = 0;
  while (i < len) {
    size_t end = i;
    while (end < len && qs[end] != '&') end++;
    if (end > i) {
      size_t eq = i;
      while (eq < end && qs[eq] != '=') eq++;
      p[k].key = sv4__url_decode(a, qs + i, eq - i, 1);
      p[k].value = eq < end ? sv4__url_decode(a, qs + eq + 1, end - eq - 1, 1) : sv4_arena_strdup(a, "");
      if (!p[k].key || !p[k].value) return SV4_ERR_NOMEM;
      k++;
    }
    i = end + 1;
  }
  *out = p;
  *n = k;
  return SV4_OK;
}

const char *sv4__cookie(sv4_arena *a, const char *header, const char *name) {
  size_t nl = strlen(name);
  const char *p = header;
  while (p && *p) {
    while (*p == ' ' || *p == ';') p++;
    const char *eq = strchr(p, '=');
    const char *semi = strchr(p, ';');
    if (!eq || (semi && semi < eq)) {
      p = semi;
      continue;
    }
    if ((size_t)(eq - p) == nl && !strncmp(p, name, nl)) {
      const char *v = eq + 1;
      size_t vl = semi ? (size_t)(semi - v) : strlen(v);
      return sv4_arena_strndup(a, v, vl);
    }
    p = semi;
  }
  return NULL;
}

void sv4__url_encode(sv4_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      sv4_buf_putc(b, (char)c);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      sv4_buf_append(b, e, 3);
    }
  }
}
