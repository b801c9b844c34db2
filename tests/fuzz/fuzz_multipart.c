/* fuzz_multipart.c — multipart/form-data splitting: first line of the input is the Content-Type header value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *d = (const char *)data;
  const char *nl = memchr(d, '\n', size);
  if (!nl) return 0;
  sv4_arena *a = sv4_arena_new(0);
  char *ct = sv4_arena_strndup(a, d, (size_t)(nl - d));
  size_t blen = size - (size_t)(nl - d) - 1;
  char *body = malloc(blen ? blen : 1); /* exact-size copy so overreads are caught */
  memcpy(body, nl + 1, blen);
  sv4_part *parts;
  size_t n;
  sv4_error e;
  if (sv4__parse_multipart(a, ct, body, blen, &parts, &n, &e) == SV4_OK) {
    for (size_t i = 0; i < n; i++) {
      if (parts[i].data < body || parts[i].data + parts[i].len > body + blen) abort();
      if (!parts[i].name) abort();
    }
  }
  free(body);
  sv4_arena_free(a);
  return 0;
}
