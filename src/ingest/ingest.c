/* ingest.c — the public entry points: every format to its importer. */
#include <stdlib.h>

#include "ingest/internal.h"
#include "sv4/limits.h"

sv4_rc sv4_ingest_memory(const void *data, size_t len, const char *filename, sv4_document **out, sv4_error *err) {
  const char *name = filename && *filename ? filename : "(memory)";
  sv4__builder b;
  sv4_rc rc;
  sv4_format fmt;
  if (!out) return sv4_error_set(err, SV4_ERR_USAGE, "%s: invalid arguments", name);
  *out = NULL;
  if ((rc = sv4_format_check(data, len, filename, &fmt, err))) return rc;
  if ((rc = sv4__builder_init(&b, fmt, name, err))) return rc;
  switch (fmt) {
    case SV4_FMT_PDF:
      rc = sv4__ingest_pdf(data, len, &b, err);
      break;
    case SV4_FMT_DOCX:
      rc = sv4__ingest_docx(data, len, &b, err);
      break;
    case SV4_FMT_ODT:
      rc = sv4__ingest_odt(data, len, &b, err);
      break;
    case SV4_FMT_HTML:
      rc = sv4__ingest_html(data, len, &b, err);
      break;
    default:
      rc = sv4__ingest_txt(data, len, &b, err);
      break;
  }
  if (rc) {
    sv4__builder_free(&b);
    return rc;
  }
  return sv4__builder_finish(&b, out, err);
}

sv4_rc sv4_ingest_file(const char *path, sv4_document **out, sv4_error *err) {
  char *data = NULL;
  size_t len = 0;
  if (out) *out = NULL;
  if (!path || !out) return sv4_error_set(err, SV4_ERR_USAGE, "sv4_ingest_file: invalid arguments");
  sv4_rc rc = sv4_read_file(path, SV4_MAX_UPLOAD_BYTES, &data, &len, err);
  if (!rc) rc = sv4_ingest_memory(data, len, path, out, err);
  free(data);
  return rc;
}
