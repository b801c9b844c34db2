/* ingest.c — the public entry points: every format to its importer. */

#include "ingest/internal.h"

/* Every format to its importer. */
static sv4_rc import_any(const void *data, size_t len, sv4_format fmt, sv4__builder *b, sv4_error *err) {
  switch (fmt) {
    case SV4_FMT_PDF:
      return sv4__ingest_pdf(data, len, b, err);
    case SV4_FMT_DOCX:
      return sv4__ingest_docx(data, len, b, err);
    case SV4_FMT_ODT:
      return sv4__ingest_odt(data, len, b, err);
    case SV4_FMT_HTML:
      return sv4__ingest_html(data, len, b, err);
    default:
      return sv4__ingest_txt(data, len, b, err);
  }
}

sv4_rc sv4_ingest_memory(const void *data, size_t len, const char *filename, sv4_document **out, sv4_error *err) {
  return sv4__ingest_run(data, len, filename, import_any, out, err);
}

sv4_rc sv4_ingest_file(const char *path, sv4_document **out, sv4_error *err) {
  return sv4__ingest_file_run(path, import_any, out, err);
}
