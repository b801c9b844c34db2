/* fuzz_step.c — libFuzzer target for the STEP reader and IFC model extraction: index, decode every entity, then
 * extract the model and envelope (libsv4 is built with coverage instrumentation when SV4_FUZZ is on). */
#include <stddef.h>
#include <stdint.h>

#include "bim/internal.h"
#include "sv4/bim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sv4_step *s = NULL;
  if (sv4_step_open_mem((const char *)data, size, "fuzz", &s, NULL)) return 0;
  for (size_t i = 0; i < sv4_step_count(s); i++) {
    const sv4_step_entity *e;
    (void)sv4_step_get(s, sv4_step_id_at(s, i), &e, NULL);
  }
  sv4_ifc_model *m = NULL;
  if (!sv4_ifc_model_from_step(s, &m, NULL)) sv4_ifc_model_free(m);
  sv4_step_close(s);
  return 0;
}
