/* fuzz_docx.c — libFuzzer target: zip importers (DOCX, ODT) and their XML layer on arbitrary bytes. Whatever the input,
 * the importer returns an error or a document whose text is valid UTF-8 with consistent block spans. */
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
  if (size < 1) return 0;
  /* the first byte picks the layer: 0 DOCX zip, 1 ODT zip, 2 word/document.xml alone, 3 content.xml alone
   * (zip CRCs stop most mutations before the XML, so the XML layer is also fuzzed directly) */
  int mode = data[0] & 3;
  const char *p = (const char *)data + 1;
  size_t n = size - 1;
  if (sv4__builder_init(&b, mode & 1 ? SV4_FMT_ODT : SV4_FMT_DOCX, "fuzz", &err)) return 0;
  sv4_rc rc = mode == 0   ? sv4__ingest_docx(p, n, &b, &err)
              : mode == 1 ? sv4__ingest_odt(p, n, &b, &err)
              : mode == 2 ? sv4__docx_document_xml(p, n, &b, &err)
                          : sv4__odt_content_xml(p, n, &b, &err);
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
