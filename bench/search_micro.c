/* search_micro.c — sv4_search alone, in process, over a portal database: the CPU time of each query of a list and,
 * with --dump, every result (total, page, facets as text) to compare two builds byte for byte.
 * Built and run by bench/search_micro.sh. Lines of the list: "/api/v1/search?..." [TAB also_codes].
 * SV4_COUNT_MODE=k counts facets the way k of src/store/search.c (0 cheapest, 1 value bitsets alone, 2 packed rows
 * wherever they fit, 3 never rows); SV4_COUNT_MODES=n times ways 0..n-1 side by side, round after round. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sv4/search.h"
#include "sv4/store.h"

#define MAX_QUERIES 256

typedef struct micro_query {
  char line[2048];
  char buf[2048]; /* decoded parameters, NUL-separated */
  sv4_search_query q;
} micro_query;

static int hexval(int c) {
  return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

/* Decodes s[0..n) ('+' and %XX) into out; returns the end of the copy. */
static char *url_decode(const char *s, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+')
      *out++ = ' ';
    else if (s[i] == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      *out++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else
      *out++ = s[i];
  }
  *out++ = '\0';
  return out;
}

static int parse(micro_query *m, const char *also, sv4_role role, const char *viewer) {
  sv4_search_query *q = &m->q;
  memset(q, 0, sizeof *q);
  q->viewer_role = role;
  q->viewer = viewer;
  q->facets_text = 1;
  q->limit = 20;
  q->also_codes = also;
  long page = 1, per = 20;
  const char *p = strchr(m->line, '?');
  char *o = m->buf;
  while (p && *p) {
    p++;
    size_t n = strcspn(p, "&");
    const char *eq = memchr(p, '=', n);
    if (eq) {
      char *key = o;
      o = url_decode(p, (size_t)(eq - p), o);
      char *val = o;
      o = url_decode(eq + 1, n - (size_t)(eq + 1 - p), o);
      int f = sv4_facet_from_name(key);
      if (!strcmp(key, "q"))
        q->text = val;
      else if (!strcmp(key, "page"))
        page = atol(val);
      else if (!strcmp(key, "per_page"))
        per = atol(val);
      else if (!strcmp(key, "year_from"))
        q->year_from = atoi(val);
      else if (!strcmp(key, "year_to"))
        q->year_to = atoi(val);
      else if (!strcmp(key, "sort"))
        q->sort = !strcmp(val, "newest")   ? SV4_SORT_NEWEST
                  : !strcmp(val, "oldest") ? SV4_SORT_OLDEST
                  : !strcmp(val, "year")   ? SV4_SORT_YEAR
                                           : SV4_SORT_RELEVANCE;
      else if (f >= 0 && q->nvalues[f] < SV4_SEARCH_MAX_VALUES)
        q->values[f][q->nvalues[f]++] = val;
    }
    p += n;
  }
  q->limit = (size_t)per;
  q->offset = (size_t)(page - 1) * (size_t)per;
  return 0;
}

/* CPU time of this thread: other processes on the machine do not count. */
static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int dbl_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

extern int sv4__search_count_mode __attribute__((weak));
int main(int argc, char **argv) {
  if (getenv("SV4_COUNT_MODE") && &sv4__search_count_mode) sv4__search_count_mode = atoi(getenv("SV4_COUNT_MODE"));
  if (argc < 3) {
    fprintf(stderr, "usage: search_micro DB QUERIES [--dump] [--rounds N] [--role viewer|reviewer|NAME]\n");
    return 2;
  }
  int dump = 0, rounds = 200;
  sv4_role role = SV4_ROLE_VIEWER;
  const char *viewer = NULL;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--dump"))
      dump = 1;
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
      rounds = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--role") && i + 1 < argc) {
      const char *r = argv[++i];
      if (!strcmp(r, "reviewer"))
        role = SV4_ROLE_REVIEWER;
      else if (strcmp(r, "viewer")) {
        role = SV4_ROLE_CONTRIBUTOR;
        viewer = r;
      }
    }
  }
  static micro_query qs[MAX_QUERIES];
  static char also[MAX_QUERIES][4096];
  size_t nq = 0;
  FILE *fp = fopen(argv[2], "r");
  if (!fp) return 1;
  char line[8192];
  while (nq < MAX_QUERIES && fgets(line, sizeof line, fp)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (!*line) continue;
    char *tab = strchr(line, '\t');
    also[nq][0] = '\0';
    if (tab) {
      *tab = '\0';
      snprintf(also[nq], sizeof also[nq], "%s", tab + 1);
    }
    snprintf(qs[nq].line, sizeof qs[nq].line, "%s", line);
    parse(&qs[nq], also[nq], role, viewer);
    nq++;
  }
  fclose(fp);
  sv4_error err;
  sv4_store *s = NULL;
  sv4_search_index *ix = NULL;
  const sv4_store_ops *ops = sv4_store_backend_for(argv[1]);
  if (ops->open(argv[1], &s, &err) || sv4_search_index_build(s, &ix, &err)) {
    fprintf(stderr, "search_micro: %s\n", err.msg);
    return 1;
  }
  int nmodes = getenv("SV4_COUNT_MODES") && &sv4__search_count_mode ? atoi(getenv("SV4_COUNT_MODES")) : 1;
  if (nmodes < 1 || nmodes > 4) nmodes = 1;
  double *t = calloc(nq * (size_t)rounds * 4, sizeof *t), sum = 0;
  for (int r = -1; r < rounds; r++) {
    for (int md = 0; md < nmodes; md++)
      for (size_t i = 0; i < nq; i++) {
        if (nmodes > 1) sv4__search_count_mode = md;
        sv4_search_result *res = NULL;
        double t0 = now_us();
        if (sv4_search(ix, s, &qs[i].q, &res, &err)) {
          fprintf(stderr, "search_micro: %s: %s\n", qs[i].line, err.msg);
          return 1;
        }
        double dt = now_us() - t0;
        if (r >= 0) t[(md * nq + i) * (size_t)rounds + (size_t)r] = dt, sum += dt;
        if (r < 0 && dump) {
          printf("%s\ntotal %zu\n", qs[i].line, res->total);
          for (size_t k = 0; k < res->nhits; k++)
            printf("hit %lld %.17g %d\n", (long long)res->hits[k].id, res->hits[k].rank, res->hits[k].text_match);
          printf("facets %.*s\n", (int)res->facets_text_len, res->facets_text);
        }
        sv4_search_result_free(res);
      }
    if (dump) break;
  }
  if (!dump && nmodes > 1) {
    static const char *const names[] = {"cheapest", "bitsets", "rows", "no rows"};
    double tot[4] = {0};
    printf("  median us of each way:");
    for (int md = 0; md < nmodes; md++) printf(" %s", names[md]);
    printf("\n");
    for (size_t i = 0; i < nq; i++) {
      printf("  ");
      for (int md = 0; md < nmodes; md++) {
        double *x = t + (md * nq + i) * (size_t)rounds;
        qsort(x, (size_t)rounds, sizeof *t, dbl_cmp);
        printf("%8.1f", x[rounds / 2]);
        tot[md] += x[rounds / 2];
      }
      printf("  %s\n", qs[i].line);
    }
    printf("mean of the medians:");
    for (int md = 0; md < nmodes; md++) printf(" %s %.1f us", names[md], tot[md] / (double)nq);
    printf("\n");
  } else if (!dump) {
    for (size_t i = 0; i < nq; i++) {
      qsort(t + i * (size_t)rounds, (size_t)rounds, sizeof *t, dbl_cmp);
      printf("%8.1f us  %8.1f us(p90)  %s\n", t[i * (size_t)rounds + (size_t)rounds / 2],
             t[i * (size_t)rounds + (size_t)rounds * 9 / 10], qs[i].line);
    }
    printf("mean %.1f us per search\n", sum / (double)(nq * (size_t)rounds));
  }
  free(t);
  sv4_search_index_free(ix);
  ops->close(s);
  return 0;
}
