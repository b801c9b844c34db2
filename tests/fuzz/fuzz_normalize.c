/* fuzz_normalize.c — libFuzzer target: normalisation with and without diacritic folding; the offset map must be
 * monotone and inside the input, spans must map back inside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sv4/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  size_t bad;
  int valid = sv4_utf8_valid(s, size, &bad);
  for (int flags = 0; flags < 2; flags++) {
    sv4_norm n;
    sv4_norm_init(&n);
    sv4_rc rc = sv4_normalize(s, size, flags, &n, NULL);
    if ((rc == SV4_OK) != valid) abort();
    if (rc == SV4_OK) {
      if (n.len < 1 || n.text[0] != ' ' || n.text[n.len - 1] != ' ') abort();
      for (size_t i = 0; i <= n.len; i++) {
        if (n.map[i] > size) abort();
        if (i && n.map[i] < n.map[i - 1]) abort();
        if (i && n.text[i] == ' ' && n.text[i - 1] == ' ' && i < n.len) abort();
      }
      size_t a, b;
      sv4_norm_span(&n, s, size, 1, n.len > 1 ? n.len - 1 : 1, &a, &b);
      if (a > b || b > size) abort();
    }
    sv4_norm_free(&n);
  }
  return 0;
}
