/* fuzz_rules.c — libFuzzer target: the rule-file parser and phrase compiler must never crash. */
#include <stddef.h>
#include <stdint.h>

#include "classify/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sv4_rules *r = sv4__rules_new();
  if (!r) return 0;
  sv4_error err;
  if (sv4__rules_parse(r, "fuzz.rules", (const char *)data, size, NULL, &err) == SV4_OK) sv4__rules_finish(r, &err);
  sv4__rules_free(r);
  return 0;
}
