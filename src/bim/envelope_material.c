/* envelope_material.c — λ of a material by name keyword (data/materials/lambda.csv) and U-values of layer sets. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bim/internal.h"

typedef struct lam {
  char *kw;
  size_t n;
  double lambda;
} lam;

static lam *table;
static size_t ntable;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void lower_ascii(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

static void load(void) {
  char *path = sv4_data_path("materials/lambda.csv"), *data = NULL;
  size_t len = 0;
  if (!path || sv4_read_file(path, 1u << 20, &data, &len, NULL)) goto done;
  size_t cap = 0;
  for (size_t i = 0; i < len; i++) cap += data[i] == '\n';
  table = calloc(cap + 1, sizeof *table);
  if (!table) goto done;
  char *save = NULL, *line = strtok_r(data, "\n", &save);
  int header = 1;
  for (; line; line = strtok_r(NULL, "\n", &save)) {
    if (header) {
      header = 0;
      continue;
    }
    char *c = strchr(line, ',');
    if (!c) continue;
    *c = '\0';
    double v = strtod(c + 1, NULL);
    if (!(v > 0) || !*line || ntable >= cap + 1) continue;
    table[ntable].kw = strdup(line);
    if (!table[ntable].kw) continue;
    lower_ascii(table[ntable].kw);
    table[ntable].n = strlen(table[ntable].kw);
    table[ntable].lambda = v;
    ntable++;
  }
done:
  free(path);
  free(data);
}

/* Keyword match on word starts for short keywords ("eps", "osb", "air") so "repsol" or "chair" don't match. */
static int match_at(const char *name, const char *hit, size_t n) {
  if (n > 4) return 1;
  int start_ok = hit == name || !((hit[-1] >= 'a' && hit[-1] <= 'z'));
  char after = hit[n];
  int end_ok = !(after >= 'a' && after <= 'z');
  return start_ok && end_ok;
}

double sv4_material_lambda(const char *name) {
  pthread_once(&once, load);
  if (!name || !*name) return NAN;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", name);
  lower_ascii(buf);
  double best = NAN;
  size_t best_n = 0;
  for (size_t i = 0; i < ntable; i++) {
    if (table[i].n <= best_n) continue;
    const char *h = buf;
    while ((h = strstr(h, table[i].kw))) {
      if (match_at(buf, h, table[i].n)) {
        best = table[i].lambda;
        best_n = table[i].n;
        break;
      }
      h++;
    }
  }
  return best;
}

double sv4_envelope_u_from_layers(const double *thickness_m, const char *const *material_names, size_t n,
                                  sv4_env_type t) {
  double rsi = 0.13, rse = 0.04;
  if (t == SV4_ENV_ROOF) rsi = 0.10;
  else if (t == SV4_ENV_FLOOR) rsi = 0.17;
  double r = rsi + rse;
  if (!n) return NAN;
  for (size_t i = 0; i < n; i++) {
    double l = sv4_material_lambda(material_names[i]);
    if (!(l > 0) || !(thickness_m[i] >= 0)) return NAN;
    r += thickness_m[i] / l;
  }
  return 1.0 / r;
}
