/* format.c — format detection and names, the checks before any import, and the document's JSON form: the part of
 * the importers that needs none of their libraries (MuPDF, libzip, libxml2), so that a program importing only plain
 * text (sv4_ingest_text_memory, txt.c) links without them. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/internal.h"
#include "sv4/limits.h"

const char *sv4_format_name(sv4_format f) {
  switch (f) {
    case SV4_FMT_TXT:
      return "txt";
    case SV4_FMT_PDF:
      return "pdf";
    case SV4_FMT_DOCX:
      return "docx";
    case SV4_FMT_ODT:
      return "odt";
    case SV4_FMT_HTML:
      return "html";
    default:
      return "unknown";
  }
}

const char *sv4_format_mime(sv4_format f) {
  switch (f) {
    case SV4_FMT_TXT:
      return "text/plain";
    case SV4_FMT_PDF:
      return "application/pdf";
    case SV4_FMT_DOCX:
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case SV4_FMT_ODT:
      return "application/vnd.oasis.opendocument.text";
    case SV4_FMT_HTML:
      return "text/html";
    default:
      return "application/octet-stream";
  }
}

const char *sv4_block_kind_name(sv4_block_kind k) {
  switch (k) {
    case SV4_BLOCK_TITLE:
      return "title";
    case SV4_BLOCK_HEADING:
      return "heading";
    case SV4_BLOCK_PARAGRAPH:
      return "paragraph";
    case SV4_BLOCK_LIST_ITEM:
      return "list_item";
    case SV4_BLOCK_TABLE_CELL:
      return "table_cell";
  }
  return "paragraph";
}

static const void *find_bytes(const void *hay, size_t n, const char *needle) {
  size_t m = strlen(needle);
  return m <= n ? memmem(hay, n, needle, m) : NULL;
}

static int find_nocase(const unsigned char *s, size_t n, const char *needle) {
  size_t m = strlen(needle);
  for (size_t i = 0; i + m <= n; i++)
    if (strncasecmp((const char *)s + i, needle, m) == 0) return 1;
  return 0;
}

static int looks_like_html(const unsigned char *s, size_t n) {
  size_t i = 0;
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
  if (i >= n || s[i] != '<') return 0;
  size_t m = n - i < 2048 ? n - i : 2048;
  static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body", "<title", "<meta "};
  for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++)
    if (find_nocase(s + i, m, tags[t])) return 1;
  return 0;
}

static sv4_format by_extension(const char *filename) {
  const char *dot = filename ? strrchr(filename, '.') : NULL;
  if (!dot) return SV4_FMT_UNKNOWN;
  static const struct {
    const char *ext;
    sv4_format f;
  } exts[] = {{".pdf", SV4_FMT_PDF},   {".docx", SV4_FMT_DOCX}, {".odt", SV4_FMT_ODT},
              {".html", SV4_FMT_HTML}, {".htm", SV4_FMT_HTML},  {".xhtml", SV4_FMT_HTML},
              {".txt", SV4_FMT_TXT},   {".text", SV4_FMT_TXT},  {".md", SV4_FMT_TXT}};
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
    if (!strcasecmp(dot, exts[i].ext)) return exts[i].f;
  return SV4_FMT_UNKNOWN;
}

sv4_format sv4_format_detect(const void *data, size_t len, const char *filename) {
  const unsigned char *s = data;
  size_t head = len < 1024 ? len : 1024;
  /* %PDF- opens the file; readers also accept it later in the first 1 KB, which we do only for a .pdf name (a
   * text that merely mentions "%PDF-" must stay text) */
  if (len >= 5 && !memcmp(s, "%PDF-", 5)) return SV4_FMT_PDF;
  if (len >= 5 && find_bytes(s, head, "%PDF-") && by_extension(filename) == SV4_FMT_PDF) return SV4_FMT_PDF;
  if (len >= 4 && !memcmp(s, "PK\x03\x04", 4)) {
    /* ODF stores "mimetype" first and uncompressed; OOXML names its parts in clear in the local headers. */
    if (find_bytes(s, len < 256 ? len : 256, "application/vnd.oasis.opendocument.text")) return SV4_FMT_ODT;
    if (find_bytes(s, len, "word/document.xml")) return SV4_FMT_DOCX;
    sv4_format f = by_extension(filename);
    return f == SV4_FMT_DOCX || f == SV4_FMT_ODT ? f : SV4_FMT_UNKNOWN;
  }
  if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) return SV4_FMT_TXT;
  if (looks_like_html(s, len)) return SV4_FMT_HTML;
  sv4_format f = by_extension(filename);
  if (f != SV4_FMT_UNKNOWN) return f;
  size_t probe = len < 8192 ? len : 8192;
  if (len && !memchr(s, 0, probe) && sv4__utf8_check(s, len, NULL)) return SV4_FMT_TXT;
  return SV4_FMT_UNKNOWN;
}

sv4_rc sv4_format_check(const void *data, size_t len, const char *filename, sv4_format *fmt, sv4_error *err) {
  const char *name = filename && *filename ? filename : "(memory)";
  *fmt = SV4_FMT_UNKNOWN;
  if (!data && len) return sv4_error_set(err, SV4_ERR_USAGE, "%s: invalid arguments", name);
  if (len == 0) return sv4_error_set(err, SV4_ERR_FORMAT, "%s: empty file (0 bytes)", name);
  if (len > SV4_MAX_UPLOAD_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "%s: %zu bytes exceeds the limit of %u bytes", name, len,
                         (unsigned)SV4_MAX_UPLOAD_BYTES);
  *fmt = sv4_format_detect(data, len, filename);
  if (*fmt == SV4_FMT_UNKNOWN)
    return sv4_error_set(err, SV4_ERR_FORMAT,
                         "%s: unrecognised format (supported: PDF, DOCX, ODT, HTML, UTF-8/UTF-16 text)", name);
  return SV4_OK;
}

void sv4_document_free(sv4_document *d) {
  if (d) sv4_arena_free(d->arena);
}

static sv4_rc json_str(sv4_buf *out, const char *key, const char *v) {
  sv4_rc rc = sv4_buf_printf(out, ",\"%s\":", key);
  if (rc) return rc;
  if (!v) return sv4_buf_puts(out, "null");
  if ((rc = sv4_buf_putc(out, '"'))) return rc;
  if ((rc = sv4_buf_json_escape(out, v, strlen(v)))) return rc;
  return sv4_buf_putc(out, '"');
}

sv4_rc sv4_document_to_json(const sv4_document *d, sv4_buf *out) {
  sv4_rc rc;
  if (!d || !out) return SV4_ERR_USAGE;
  if ((rc = sv4_buf_printf(out, "{\"format\":\"%s\"", sv4_format_name(d->format)))) return rc;
  if ((rc = json_str(out, "title", d->title))) return rc;
  if ((rc = json_str(out, "author", d->author))) return rc;
  if ((rc = json_str(out, "created", d->created))) return rc;
  if ((rc = json_str(out, "lang_hint", d->lang_hint))) return rc;
  if ((rc = sv4_buf_printf(out, ",\"pages\":%d,\"text\":\"", d->pages))) return rc;
  if ((rc = sv4_buf_json_escape(out, d->text, d->len))) return rc;
  if ((rc = sv4_buf_puts(out, "\",\"blocks\":["))) return rc;
  for (size_t i = 0; i < d->nblocks; i++) {
    const sv4_block *k = &d->blocks[i];
    rc = sv4_buf_printf(out, "%s{\"kind\":\"%s\",\"level\":%d,\"start\":%zu,\"end\":%zu,\"page\":%d}", i ? "," : "",
                        sv4_block_kind_name(k->kind), k->level, k->start, k->end, k->page);
    if (rc) return rc;
  }
  return sv4_buf_puts(out, "]}");
}
