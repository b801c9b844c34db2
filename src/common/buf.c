/* buf.c — sv4_buf: growable byte buffer with a hard limit (the curl dynbuf idea). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv4/util.h"

void sv4_buf_init(sv4_buf *b, size_t limit) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->limit = limit;
}

static sv4_rc buf_reserve(sv4_buf *b, size_t extra) {
  size_t need;
  if (extra > SIZE_MAX - b->len - 1) return SV4_ERR_LIMIT;
  need = b->len + extra + 1;
  if (b->limit && need - 1 > b->limit) return SV4_ERR_LIMIT;
  if (need <= b->cap) return SV4_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *p = realloc(b->data, cap);
  if (!p) return SV4_ERR_NOMEM;
  b->data = p;
  b->cap = cap;
  return SV4_OK;
}

sv4_rc sv4_buf_append(sv4_buf *b, const void *p, size_t n) {
  sv4_rc rc = buf_reserve(b, n);
  if (rc) return rc;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return SV4_OK;
}

sv4_rc sv4_buf_puts(sv4_buf *b, const char *s) { return sv4_buf_append(b, s, strlen(s)); }

sv4_rc sv4_buf_putc(sv4_buf *b, char c) { return sv4_buf_append(b, &c, 1); }

sv4_rc sv4_buf_vprintf(sv4_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return SV4_ERR_INTERNAL;
  sv4_rc rc = buf_reserve(b, (size_t)n);
  if (rc) return rc;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return SV4_OK;
}

sv4_rc sv4_buf_printf(sv4_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sv4_rc rc = sv4_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

sv4_rc sv4_buf_json_escape(sv4_buf *b, const char *s, size_t n) {
  sv4_rc rc = SV4_OK;
  size_t run = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char tmp[8];
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default:
        if (c < 0x20) {
          snprintf(tmp, sizeof tmp, "\\u%04x", c);
          esc = tmp;
        }
    }
    if (esc) {
      rc = sv4_buf_append(b, s + run, i - run);
      if (!rc) rc = sv4_buf_puts(b, esc);
      run = i + 1;
    }
  }
  if (!rc) rc = sv4_buf_append(b, s + run, n - run);
  return rc;
}

sv4_rc sv4_buf_html_escape(sv4_buf *b, const char *s, size_t n) {
  sv4_rc rc = SV4_OK;
  size_t run = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    const char *esc = NULL;
    switch (s[i]) {
      case '&': esc = "&amp;"; break;
      case '<': esc = "&lt;"; break;
      case '>': esc = "&gt;"; break;
      case '"': esc = "&quot;"; break;
      case '\'': esc = "&#39;"; break;
      default: break;
    }
    if (esc) {
      rc = sv4_buf_append(b, s + run, i - run);
      if (!rc) rc = sv4_buf_puts(b, esc);
      run = i + 1;
    }
  }
  if (!rc) rc = sv4_buf_append(b, s + run, n - run);
  return rc;
}

void sv4_buf_reset(sv4_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

char *sv4_buf_steal(sv4_buf *b, size_t *len) {
  char *p = b->data;
  if (!p) {
    p = calloc(1, 1);
    if (!p) return NULL;
  }
  if (len) *len = b->len;
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void sv4_buf_free(sv4_buf *b) {
  if (!b) return;
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void sv4_buf_json_str(sv4_buf *b, const char *s) {
  sv4_buf_putc(b, '"');
  sv4_buf_json_escape(b, s ? s : "", s ? strlen(s) : 0);
  sv4_buf_putc(b, '"');
}

void sv4_buf_json_num(sv4_buf *b, double v, int dec) {
  if (!isfinite(v)) sv4_buf_puts(b, "null");
  else sv4_buf_printf(b, "%.*f", dec, v);
}

void sv4_buf_json_key_num(sv4_buf *b, const char *key, double v, int dec, int comma) {
  sv4_buf_printf(b, "\"%s\": ", key);
  sv4_buf_json_num(b, v, dec);
  if (comma) sv4_buf_puts(b, ", ");
}
