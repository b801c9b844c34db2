/* hs_bare.c — the limit for the classify benchmark: one vectorscan block scan of the corpus for every literal
 * term (case-insensitive), with an empty match callback. Usage: hs_bare TERMS.txt CORPUS */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
  (void)id, (void)from, (void)to, (void)flags;
  (*(unsigned long long *)ctx)++;
  return 0;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  fclose(f);
  if (p) p[n] = 0;
  *len = (size_t)n;
  return p;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  size_t tl, cl;
  char *terms = slurp(argv[1], &tl), *corpus = slurp(argv[2], &cl);
  if (!terms || !corpus) return 1;
  size_t n = 0, cap = 1024;
  char **exprs = malloc(cap * sizeof *exprs);
  for (char *line = strtok(terms, "\n"); line; line = strtok(NULL, "\n")) {
    char *e = malloc(strlen(line) * 4 + 1), *o = e;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++) o += sprintf(o, "\\x%02x", *p);
    if (n == cap) exprs = realloc(exprs, (cap *= 2) * sizeof *exprs);
    exprs[n++] = e;
  }
  unsigned *flags = malloc(n * sizeof *flags), *ids = malloc(n * sizeof *ids);
  for (size_t i = 0; i < n; i++) flags[i] = HS_FLAG_CASELESS, ids[i] = (unsigned)i;
  hs_database_t *db;
  hs_compile_error_t *ce;
  if (hs_compile_multi((const char *const *)exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &ce)) {
    fprintf(stderr, "compile: %s\n", ce->message);
    return 1;
  }
  hs_scratch_t *s = NULL;
  hs_alloc_scratch(db, &s);
  unsigned long long matches = 0;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  /* scan in 1 MiB blocks, as a reader of a stream would */
  for (size_t off = 0; off < cl; off += 1u << 20) {
    size_t k = cl - off < (1u << 20) ? cl - off : (1u << 20);
    hs_scan(db, corpus + off, (unsigned)k, 0, s, on_match, &matches);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double sec = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%.1f MB/s %zu terms %llu matches %.3f s\n", (double)cl / 1e6 / sec, n, matches, sec);
  return 0;
}
