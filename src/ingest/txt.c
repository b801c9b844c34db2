/* txt.c — plain text: UTF-8 (BOM skipped) or UTF-16 with a BOM; paragraphs are separated by blank lines. Also
 * sv4_ingest_text_memory, the import of plain text alone for programs linked without the other importers. */
#include <string.h>

#include "ingest/internal.h"

/* Feeds UTF-8 text line by line; a line that is empty or only whitespace ends the paragraph. */
static sv4_rc feed_utf8(const char *s, size_t n, sv4__builder *b) {
  size_t i = 0;
  sv4_rc rc = SV4_OK;
  while (i < n && !rc) {
    size_t j = i;
    while (j < n && s[j] != '\n' && s[j] != '\r') j++;
    int blank = 1;
    for (size_t k = i; k < j && blank; k++)
      if (s[k] != ' ' && s[k] != '\t' && s[k] != '\f' && s[k] != '\v') blank = 0;
    if (blank)
      rc = sv4__builder_end(b);
    else {
      if (!b->open) rc = sv4__builder_begin(b, SV4_BLOCK_PARAGRAPH, 0, 0);
      if (!rc) rc = sv4__builder_text(b, s + i, j - i);
      if (!rc) rc = sv4__builder_cp(b, '\n'); /* a line break inside a paragraph is a space */
    }
    if (j < n && s[j] == '\r' && j + 1 < n && s[j + 1] == '\n') j++; /* CRLF */
    i = j + 1;
  }
  if (!rc) rc = sv4__builder_end(b);
  return rc;
}

static sv4_rc utf16_to_utf8(const unsigned char *d, size_t len, int be, sv4__builder *b, sv4_buf *out, sv4_error *err) {
  sv4_rc rc = SV4_OK;
  if (len % 2)
    return sv4_error_set(err, SV4_ERR_UTF8, "%s: invalid UTF-16: odd length (%zu bytes, truncated?)", b->name, len + 2);
  for (size_t i = 0; i < len && !rc; i += 2) {
    uint32_t u = be ? (uint32_t)(d[i] << 8 | d[i + 1]) : (uint32_t)(d[i + 1] << 8 | d[i]);
    if (u >= 0xD800 && u <= 0xDBFF) {
      uint32_t lo = 0;
      if (i + 3 < len) lo = be ? (uint32_t)(d[i + 2] << 8 | d[i + 3]) : (uint32_t)(d[i + 3] << 8 | d[i + 2]);
      if (lo < 0xDC00 || lo > 0xDFFF)
        return sv4_error_set(err, SV4_ERR_UTF8, "%s: invalid UTF-16: unpaired surrogate at byte offset %zu", b->name,
                             i + 2);
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return sv4_error_set(err, SV4_ERR_UTF8, "%s: invalid UTF-16: unpaired surrogate at byte offset %zu", b->name,
                           i + 2);
    }
    char tmp[4];
    size_t k;
    if (u < 0x80)
      tmp[0] = (char)u, k = 1;
    else if (u < 0x800)
      tmp[0] = (char)(0xC0 | u >> 6), tmp[1] = (char)(0x80 | (u & 0x3F)), k = 2;
    else if (u < 0x10000)
      tmp[0] = (char)(0xE0 | u >> 12), tmp[1] = (char)(0x80 | ((u >> 6) & 0x3F)), tmp[2] = (char)(0x80 | (u & 0x3F)),
      k = 3;
    else
      tmp[0] = (char)(0xF0 | u >> 18), tmp[1] = (char)(0x80 | ((u >> 12) & 0x3F)),
      tmp[2] = (char)(0x80 | ((u >> 6) & 0x3F)), tmp[3] = (char)(0x80 | (u & 0x3F)), k = 4;
    rc = sv4_buf_append(out, tmp, k);
  }
  return rc ? sv4__builder_fail(b, rc, err) : SV4_OK;
}

sv4_rc sv4__ingest_txt(const unsigned char *data, size_t len, sv4__builder *b, sv4_error *err) {
  sv4_rc rc;
  if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
    sv4_buf u8;
    sv4_buf_init(&u8, len * 2 + 16);
    rc = utf16_to_utf8(data + 2, len - 2, data[0] == 0xFE, b, &u8, err);
    if (!rc && (rc = feed_utf8(u8.data ? u8.data : "", u8.len, b))) rc = sv4__builder_fail(b, rc, err);
    sv4_buf_free(&u8);
    return rc;
  }
  size_t skip = 0;
  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) skip = 3, data += 3, len -= 3;
  size_t bad = 0;
  if (!sv4__utf8_check(data, len, &bad)) {
    size_t line = 1;
    for (size_t i = 0; i < bad; i++) line += data[i] == '\n';
    return sv4_error_set(err, SV4_ERR_UTF8,
                         "%s: not valid UTF-8 at byte offset %zu (line %zu, byte 0x%02X); convert the file to UTF-8",
                         b->name, bad + skip, line, data[bad]);
  }
  if ((rc = feed_utf8((const char *)data, len, b))) return sv4__builder_fail(b, rc, err);
  return SV4_OK;
}

/* Plain text only: any other format is refused. */
static sv4_rc import_text(const void *data, size_t len, sv4_format fmt, sv4__builder *b, sv4_error *err) {
  if (fmt != SV4_FMT_TXT)
    return sv4_error_set(err, SV4_ERR_UNSUPPORTED, "%s: %s document: only plain text can be imported here", b->name,
                         sv4_format_name(fmt));
  return sv4__ingest_txt(data, len, b, err);
}

sv4_rc sv4_ingest_text_memory(const void *data, size_t len, const char *filename, sv4_document **out, sv4_error *err) {
  return sv4__ingest_run(data, len, filename, import_text, out, err);
}

sv4_rc sv4_ingest_text_file(const char *path, sv4_document **out, sv4_error *err) {
  return sv4__ingest_file_run(path, import_text, out, err);
}
