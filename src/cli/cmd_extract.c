/* cmd_extract.c — `smartv4 extract FILE [--text]`: a document's text and structure as JSON, or plain text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sv4/ingest.h"
#include "sv4/limits.h"
#include "sv4/util.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 extract [--text] FILE|-\n\n"
          "Imports a document (PDF, DOCX, ODT, HTML, UTF-8 or UTF-16 text; the format is recognised from its\n"
          "content, then its name) and prints its text and structure as JSON:\n"
          "  {\"format\":\"pdf\",\"title\":..,\"author\":..,\"created\":..,\"lang_hint\":..,\"pages\":N,\"text\":..,\n"
          "   \"blocks\":[{\"kind\":\"title|heading|paragraph|list_item|table_cell\",\"level\":N,\"start\":B,\"end\":B,"
          "\"page\":N}]}\n"
          "start/end are byte offsets into text; blocks are separated by a blank line.\n\n"
          "options:\n"
          "  --text     print only the plain text (blocks separated by blank lines)\n"
          "  -h, --help this help\n\n"
          "FILE '-' reads standard input. Limits: %u MB per file, %u PDF pages, zip expansion %ux.\n"
          "exit codes: 0 ok, 1 the file could not be imported (the message names the file and the problem),\n"
          "2 usage error.\n",
          (unsigned)(SV4_MAX_UPLOAD_BYTES >> 20), (unsigned)SV4_MAX_PDF_PAGES, (unsigned)SV4_MAX_ZIP_RATIO);
}

static sv4_rc read_stdin(char **data, size_t *len, sv4_error *err) {
  sv4_buf b;
  char chunk[65536];
  size_t n;
  sv4_rc rc = SV4_OK;
  sv4_buf_init(&b, SV4_MAX_UPLOAD_BYTES);
  while (!rc && (n = fread(chunk, 1, sizeof chunk, stdin)) > 0) rc = sv4_buf_append(&b, chunk, n);
  if (!rc && ferror(stdin)) rc = SV4_ERR_IO;
  if (rc) {
    sv4_buf_free(&b);
    return sv4_error_set(err, rc, "(stdin): %s",
                         rc == SV4_ERR_LIMIT ? "input exceeds the upload limit" : sv4_strerror(rc));
  }
  *data = sv4_buf_steal(&b, len);
  return *data ? SV4_OK : sv4_error_set(err, SV4_ERR_NOMEM, "(stdin): out of memory");
}

int sv4_cmd_extract(int argc, char **argv) {
  const char *path = NULL;
  int text_only = 0;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--text")) {
      text_only = 1;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      usage(stderr);
      return sv4_cli_fail("extract", SV4_ERR_USAGE, "unknown option '%s'", argv[i]);
    } else if (path) {
      return sv4_cli_fail("extract", SV4_ERR_USAGE, "one FILE at a time (got '%s' and '%s')", path, argv[i]);
    } else {
      path = argv[i];
    }
  }
  if (!path) {
    usage(stderr);
    return 2;
  }
  int ex = sv4_cli_route_document(path);
  if (ex) return ex;

  sv4_error err;
  sv4_document *doc = NULL;
  sv4_buf out;
  sv4_rc rc;
  sv4_error_clear(&err);
  sv4_buf_init(&out, 0);
  if (!strcmp(path, "-")) {
    char *data = NULL;
    size_t len = 0;
    rc = read_stdin(&data, &len, &err);
    if (!rc) rc = sv4_cli_ingest_memory(data, len, "(stdin)", &doc, &err);
    free(data);
  } else {
    rc = sv4_cli_ingest_file(path, &doc, &err);
  }
  if (rc) return sv4_cli_fail("extract", rc, "%s", err.msg[0] ? err.msg : sv4_strerror(rc));

  if (text_only) {
    fwrite(doc->text, 1, doc->len, stdout);
    if (doc->len) fputc('\n', stdout);
  } else {
    rc = sv4_document_to_json(doc, &out);
    if (!rc) {
      fwrite(out.data, 1, out.len, stdout);
      fputc('\n', stdout);
    }
  }
  sv4_buf_free(&out);
  sv4_document_free(doc);
  if (!rc && fflush(stdout) != 0) rc = SV4_ERR_IO;
  if (rc) return sv4_cli_fail("extract", rc, "%s: %s", path, sv4_strerror(rc));
  return 0;
}
