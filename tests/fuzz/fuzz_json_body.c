/* fuzz_json_body.c — JSON request bodies through the server's limits (size, depth) and parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sv4_arena *a = sv4_arena_new(0);
  char *body = malloc(size ? size : 1);
  memcpy(body, data, size);
  sv4_req req = {.arena = a, .method = "POST", .path = "/api/v1/classify", .body = body, .body_len = size};
  sv4_resp resp = {.status = 200};
  sv4_buf_init(&resp.body, 0);
  json_t *v = sv4__req_json(&req, &resp);
  if (!v && resp.status < 400) abort(); /* a refusal always carries an error status */
  json_decref(v);
  sv4_buf_free(&resp.body);
  free(body);
  sv4_arena_free(a);
  return 0;
}
