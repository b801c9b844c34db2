/* fuzz_html.c — libFuzzer target: HTML importer (libxml2 HTML parser) on arbitrary bytes. Whatever the input, the
 * importer returns an error or a document whose text is valid UTF-8 with consistent block spans. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/internal.h"
#include "sv4/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sv4__builder b;
  sv4_document *d = NULL;
  sv4_error err;
  if (sv4__builder_init(&b, SV4_FMT_HTML, "fuzz.html", &err)) return 0;
  sv4_rc rc = sv4__ingest_html((const char *)data, size, &b, &err);
  if (rc) {
    sv4__builder_free(&b);
    return 0;
  }
  if (sv4__builder_finish(&b, &d, &err)) return 0;
  if (!sv4__utf8_check((const unsigned char *)d->text, d->len, NULL)) abort();
  for (size_t i = 0; i < d->nblocks; i++)
    if (d->blocks[i].start >= d->blocks[i].end || d->blocks[i].end > d->len) abort();
  sv4_document_free(d);
  return 0;
}
