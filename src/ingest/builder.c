/* builder.c — the document builder: repaired, whitespace-collapsed UTF-8 text in blocks with recorded spans. */
#include <stdlib.h>
#include <string.h>

#include "ingest/internal.h"
#include "sv4/limits.h"

size_t sv4__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char c = s[0];
  uint32_t v, min;
  size_t len;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, v = c & 0x1Fu, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, v = c & 0x0Fu, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, v = c & 0x07u, min = 0x10000;
  } else {
    *cp = 0xFFFFFFFFu;
    return 1;
  }
  if (n < len) {
    *cp = 0xFFFFFFFFu;
    return 1;
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = 0xFFFFFFFFu;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3Fu);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFFFFFFu;
    return 1;
  }
  *cp = v;
  return len;
}

int sv4__utf8_check(const unsigned char *s, size_t n, size_t *bad) {
  size_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    uint32_t cp;
    size_t k = sv4__utf8_decode(s + i, n - i, &cp);
    if (cp == 0xFFFFFFFFu) {
      if (bad) *bad = i;
      return 0;
    }
    i += k;
  }
  return 1;
}

static int is_space_cp(uint32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

/* Characters dropped from the text: NUL and other controls, soft hyphen, zero-width space, BOM/ZWNBSP. */
static int is_dropped_cp(uint32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xAD || c == 0x200B || c == 0xFEFF;
}

static size_t encode_utf8(uint32_t c, char out[4]) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (c >> 18));
  out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

sv4_rc sv4__builder_init(sv4__builder *b, sv4_format fmt, const char *name, sv4_error *err) {
  memset(b, 0, sizeof *b);
  sv4_buf_init(&b->text, SV4_MAX_TEXT_BYTES);
  b->name = name;
  sv4_arena *a = sv4_arena_new(0);
  if (!a) return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", name);
  b->doc = sv4_arena_alloc(a, sizeof *b->doc);
  if (!b->doc) {
    sv4_arena_free(a);
    return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", name);
  }
  memset(b->doc, 0, sizeof *b->doc);
  b->doc->arena = a;
  b->doc->format = fmt;
  return SV4_OK;
}

sv4_rc sv4__builder_end(sv4__builder *b) {
  if (!b->open) return SV4_OK;
  b->open = 0;
  b->pending_space = 0;
  if (b->text.len == b->open_start) { /* empty: roll back the separator */
    b->text.len = b->open_mark;
    if (b->text.data) b->text.data[b->text.len] = '\0';
    return SV4_OK;
  }
  if (b->nblocks == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    sv4_block *nb = realloc(b->blocks, cap * sizeof *nb);
    if (!nb) return SV4_ERR_NOMEM;
    b->blocks = nb;
    b->cap = cap;
  }
  b->cur.start = b->open_start;
  b->cur.end = b->text.len;
  b->blocks[b->nblocks++] = b->cur;
  return SV4_OK;
}

sv4_rc sv4__builder_begin(sv4__builder *b, sv4_block_kind kind, int level, int page) {
  sv4_rc rc = sv4__builder_end(b);
  if (rc) return rc;
  b->open_mark = b->text.len;
  if (b->text.len) {
    rc = sv4_buf_append(&b->text, "\n\n", 2);
    if (rc) return rc;
  }
  b->open = 1;
  b->open_start = b->text.len;
  b->pending_space = 0;
  b->cur.kind = kind;
  b->cur.level = kind == SV4_BLOCK_HEADING ? (level < 1 ? 1 : level > 6 ? 6 : level) : 0;
  b->cur.page = page;
  return SV4_OK;
}

size_t sv4__builder_open_len(const sv4__builder *b) { return b->open ? b->text.len - b->open_start : 0; }

sv4_rc sv4__builder_cp(sv4__builder *b, uint32_t c) {
  sv4_rc rc;
  char tmp[4];
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF) c = 0xFFFD;
  if (is_space_cp(c)) {
    if (b->open && b->text.len > b->open_start) b->pending_space = 1;
    return SV4_OK;
  }
  if (is_dropped_cp(c)) return SV4_OK;
  if (!b->open && (rc = sv4__builder_begin(b, SV4_BLOCK_PARAGRAPH, 0, 0))) return rc;
  if (b->pending_space) {
    b->pending_space = 0;
    if ((rc = sv4_buf_putc(&b->text, ' '))) return rc;
  }
  return sv4_buf_append(&b->text, tmp, encode_utf8(c, tmp));
}

sv4_rc sv4__builder_text(sv4__builder *b, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  sv4_rc rc = SV4_OK;
  while (i < n && !rc) {
    /* fast path: a run of printable ASCII */
    size_t j = i;
    if (b->open && !b->pending_space)
      while (j < n && u[j] > 0x20 && u[j] < 0x7F) j++;
    if (j > i) {
      rc = sv4_buf_append(&b->text, s + i, j - i);
      i = j;
      continue;
    }
    uint32_t cp;
    i += sv4__utf8_decode(u + i, n - i, &cp);
    rc = sv4__builder_cp(b, cp == 0xFFFFFFFFu ? 0xFFFD : cp);
  }
  return rc;
}

const char *sv4__builder_meta(sv4__builder *b, const char *s, size_t n) {
  /* Reuse the collapsing logic on a scratch builder state: simpler to do it inline here. */
  char *out = sv4_arena_alloc(b->doc->arena, n * 3 + 1); /* invalid bytes expand to 3-byte U+FFFD */
  size_t o = 0, i = 0;
  int pending = 0;
  const unsigned char *u = (const unsigned char *)s;
  if (!out) return NULL;
  while (i < n) {
    uint32_t cp;
    i += sv4__utf8_decode(u + i, n - i, &cp);
    if (cp == 0xFFFFFFFFu || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (is_space_cp(cp)) {
      if (o) pending = 1;
      continue;
    }
    if (is_dropped_cp(cp)) continue;
    if (pending) out[o++] = ' ', pending = 0;
    o += encode_utf8(cp, out + o);
  }
  out[o] = '\0';
  return o ? out : NULL;
}

sv4_rc sv4__builder_fail(sv4__builder *b, sv4_rc rc, sv4_error *err) {
  if (rc == SV4_ERR_LIMIT)
    return sv4_error_set(err, rc, "%s: extracted text exceeds the limit of %u bytes", b->name,
                         (unsigned)SV4_MAX_TEXT_BYTES);
  if (rc == SV4_ERR_NOMEM) return sv4_error_set(err, rc, "%s: out of memory", b->name);
  return sv4_error_set(err, rc, "%s: %s", b->name, sv4_strerror(rc));
}

sv4_rc sv4__builder_finish(sv4__builder *b, sv4_document **out, sv4_error *err) {
  sv4_rc rc = sv4__builder_end(b);
  sv4_document *d = b->doc;
  if (rc) goto fail;
  rc = SV4_ERR_NOMEM;
  d->text = sv4_arena_strndup(d->arena, b->text.data ? b->text.data : "", b->text.len);
  if (!d->text) goto fail;
  d->len = b->text.len;
  if (b->nblocks) {
    d->blocks = sv4_arena_alloc(d->arena, b->nblocks * sizeof *d->blocks);
    if (!d->blocks) goto fail;
    memcpy(d->blocks, b->blocks, b->nblocks * sizeof *d->blocks);
  }
  d->nblocks = b->nblocks;
  if (!d->title) { /* first title block, else first heading */
    const sv4_block *pick = NULL;
    for (size_t i = 0; i < d->nblocks && !pick; i++)
      if (d->blocks[i].kind == SV4_BLOCK_TITLE) pick = &d->blocks[i];
    for (size_t i = 0; i < d->nblocks && !pick; i++)
      if (d->blocks[i].kind == SV4_BLOCK_HEADING) pick = &d->blocks[i];
    if (pick)
      d->title = d->text + pick->start, d->title = sv4_arena_strndup(d->arena, d->title, pick->end - pick->start);
  }
  b->doc = NULL;
  sv4__builder_free(b);
  *out = d;
  return SV4_OK;
fail:
  sv4__builder_free(b);
  return sv4__builder_fail(b, rc, err);
}

void sv4__builder_free(sv4__builder *b) {
  sv4_buf_free(&b->text);
  free(b->blocks);
  b->blocks = NULL;
  b->nblocks = b->cap = 0;
  if (b->doc) sv4_arena_free(b->doc->arena);
  b->doc = NULL;
}

sv4_rc sv4__ingest_run(const void *data, size_t len, const char *filename, sv4__importer imp, sv4_document **out,
                       sv4_error *err) {
  const char *name = filename && *filename ? filename : "(memory)";
  sv4__builder b;
  sv4_format fmt;
  sv4_rc rc;
  if (!out) return sv4_error_set(err, SV4_ERR_USAGE, "%s: invalid arguments", name);
  *out = NULL;
  if ((rc = sv4_format_check(data, len, filename, &fmt, err))) return rc;
  if ((rc = sv4__builder_init(&b, fmt, name, err))) return rc;
  if ((rc = imp(data, len, fmt, &b, err))) {
    sv4__builder_free(&b);
    return rc;
  }
  return sv4__builder_finish(&b, out, err);
}

sv4_rc sv4__ingest_file_run(const char *path, sv4__importer imp, sv4_document **out, sv4_error *err) {
  char *data = NULL;
  size_t len = 0;
  if (out) *out = NULL;
  if (!path || !out) return sv4_error_set(err, SV4_ERR_USAGE, "sv4_ingest_file: invalid arguments");
  sv4_rc rc = sv4_read_file(path, SV4_MAX_UPLOAD_BYTES, &data, &len, err);
  if (!rc) rc = sv4__ingest_run(data, len, path, imp, out, err);
  free(data);
  return rc;
}
