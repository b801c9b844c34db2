/* fuzz_jsonl.c — libFuzzer target: the JSON Lines reader must never crash and must return decoded strings that
 * lie inside the line or the scratch buffer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "classify/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sv4_buf scratch;
  sv4_buf_init(&scratch, 1u << 20);
  sv4_jsonl_rec rec;
  sv4_error err;
  if (sv4_jsonl_parse((const char *)data, size, &scratch, &rec, &err) == SV4_OK) {
    /* touch every byte of the fields */
    volatile unsigned x = 0;
    for (size_t i = 0; i < rec.text_len; i++) x += (unsigned char)rec.text[i];
    for (size_t i = 0; i < rec.id_len; i++) x += (unsigned char)rec.id[i];
    for (size_t i = 0; i < rec.lang_len; i++) x += (unsigned char)rec.lang[i];
    (void)x;
  }
  sv4_buf_free(&scratch);
  return 0;
}
