/* fuzz_classify.c — libFuzzer target: classifying any bytes (rules and the statistical model, every scheme, each
 * language and identification) must give a result or a clear error, never a crash; every label has evidence that
 * lies inside the text. Uses the shipped data (SMARTV4_DATA, set by scripts/fuzz.sh). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify/internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sv4_classifier *C;
static sv4_worker *W;

/* Loading (on a fresh machine: compiling the rules and training the model) is not a unit's work: it happens once,
 * before the first input and outside its time limit. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  sv4_error err;
  if (sv4_classifier_load(NULL, &C, &err) || sv4_worker_new(C, &W, &err)) abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!size) return 0;
  /* the first byte picks the language (or identification) and whether the model is asked */
  sv4_classify_opts o = {.lang = (sv4_lang)(data[0] % SV4_LANG_COUNT), .evidence = 1, .rules_only = data[0] >> 7};
  const char *text = (const char *)data + 1;
  size_t len = size - 1;
  const sv4_result *r = NULL;
  sv4_error err;
  if (sv4__classify_view(W, text, len, &o, &r, &err) != SV4_OK) return 0;
  for (size_t i = 0; i < r->nlabels; i++) {
    const sv4_label *l = &r->labels[i];
    if (!l->nevidence || l->score < 0 || l->score > 1) abort();
    for (size_t k = 0; k < l->nevidence; k++)
      if (l->evidence[k].start > l->evidence[k].end || l->evidence[k].end > len) abort();
  }
  return 0;
}
