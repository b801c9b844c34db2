/* funding.c — which renovation measure kinds a funding record's classification codes cover
 * (data/funding/topics.csv), so the portal's funding records can stand in for data/funding/programmes.csv. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bim/energy_internal.h"
#include "sv4/bim.h"
#include "sv4/util.h"

typedef struct topic {
  char code[48];
  char measures[96];
} topic;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static topic *topics;
static size_t ntopics;

static void load(void) {
  static const char *const req[] = {"code", "measures", NULL};
  char *path = sv4_data_path("funding/topics.csv");
  sv4__table t;
  memset(&t, 0, sizeof t);
  sv4_rc rc = path ? sv4__table_open(&t, path, ',', req, NULL) : SV4_ERR_NOMEM;
  while (!rc && (rc = sv4__table_next(&t, NULL)) == SV4_OK) {
    topic *n = realloc(topics, (ntopics + 1) * sizeof *n);
    if (!n) break;
    topics = n;
    snprintf(topics[ntopics].code, sizeof topics[ntopics].code, "%s", sv4__table_str(&t, "code"));
    snprintf(topics[ntopics].measures, sizeof topics[ntopics].measures, "%s", sv4__table_str(&t, "measures"));
    ntopics++;
  }
  sv4__table_close(&t);
  free(path);
}

/* Whether the space-separated list contains word exactly. */
static int has_word(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; (p = strstr(p, word)); p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return 1;
  return 0;
}

size_t sv4_funding_kinds_of_codes(const char *codes, char *out, size_t outsz) {
  size_t nk = 0, used = 0;
  if (outsz) out[0] = '\0';
  pthread_once(&once, load);
  if (!codes) return 0;
  for (size_t i = 0; i < ntopics; i++) {
    if (!has_word(codes, topics[i].code)) continue;
    char tmp[96], *save = NULL;
    snprintf(tmp, sizeof tmp, "%s", topics[i].measures);
    for (char *k = strtok_r(tmp, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
      if (has_word(out, k)) continue;
      int w = snprintf(out + used, outsz - used, "%s%s", used ? " " : "", k);
      if (w < 0 || (size_t)w >= outsz - used) return nk; /* out is full: what fits */
      used += (size_t)w;
      nk++;
    }
  }
  return nk;
}
