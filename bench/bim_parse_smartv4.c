/* bim_parse_smartv4.c — times smartv4's STEP reader on one file: open + index every entity ("index"), and
 * additionally decoding every entity into its value tree ("decode"). Prints: mode bytes seconds entities. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sv4/bim.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[2], "index") && strcmp(argv[2], "decode"))) {
    fprintf(stderr, "usage: %s FILE.ifc index|decode\n", argv[0]);
    return 2;
  }
  sv4_error err;
  sv4_step *s = NULL;
  double t0 = now();
  if (sv4_step_open(argv[1], &s, &err)) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  size_t n = sv4_step_count(s), types = 0;
  for (size_t i = 0; i < n; i++) types += sv4_step_type_at(s, i)[0] != 0; /* touch every index entry */
  if (!strcmp(argv[2], "decode"))
    for (size_t i = 0; i < n; i++) {
      const sv4_step_entity *e;
      if (sv4_step_get(s, sv4_step_id_at(s, i), &e, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
      }
    }
  double t1 = now();
  printf("%s %zu %.4f %zu\n", argv[2], sv4_step_size(s), t1 - t0, n);
  sv4_step_close(s);
  return types ? 0 : 1;
}
