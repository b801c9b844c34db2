/* test_search_count.c — facet counting takes the cheapest of several ways (value bitsets, bit planes of
 * single-valued facets and of first/last years, one pass over the rows' packed values for sparse matches); every
 * way must give the same answer. Random records (drafts of two owners, odd periods, many values: planes and packed
 * rows that no longer fit) and random queries, for an anonymous viewer, a contributor and a reviewer, before and
 * after writes: totals, pages and facet text byte for byte equal to counting from the value bitsets alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sv4/search.h"
#include "sv4/store.h"
#include "unit/store/tmp_store.h"

/* src/store/search.c: 0 cheapest way, 1 value bitsets alone, 2 packed rows wherever they fit, 3 never rows */
extern int sv4__search_count_mode;
void sv4__search_kernels(int simd); /* 1: the CPU's widest counting kernels, 0: the portable ones */

typedef struct fx {
  char path[256];
  sv4_store *s;
  const sv4_store_ops *ops;
  unsigned seed;
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  f->ops = &sv4_store_sqlite;
  f->seed = 12345;
  if (tmp_store_open(f->path, sizeof f->path, &f->s)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  f->ops->close(f->s);
  tmp_store_remove(f->path);
  sv4__search_count_mode = 0;
  free(f);
  return 0;
}

static unsigned rnd(fx *f, unsigned n) {
  f->seed = f->seed * 1103515245u + 12345u;
  return (f->seed >> 8) % n;
}

static const char *const types[] = {"strategy", "practice", "project", "method", "funding", "organisation"};
static const char *const langs[] = {"en", "pl", "cs", "sk", "hu"};
static const char *const words[] = {"energy", "transport", "water", "heating", "bike", "solar", "waste", "school"};

/* How varied the records are: `wide` exceeds every packed form (over 256 countries and regions, over 15 egd
 * codes, over 128 targets). */
typedef struct spread {
  unsigned countries, regions, egd, targets_per_goal;
} spread;

static void country_code(unsigned i, char out[3]) {
  out[0] = (char)('A' + i / 26 % 26);
  out[1] = (char)('A' + i % 26);
  out[2] = '\0';
}

static void add_record(fx *f, const spread *sp, int64_t *id_out) {
  char js[1024], cc[3], lb[1024];
  unsigned c = rnd(f, sp->countries);
  country_code(c, cc);
  char period[48] = "";
  switch (rnd(f, 6)) {
    case 0:
      break; /* no years */
    case 1:
      snprintf(period, sizeof period, ",\"period\":\"%u-%u\"", 1990 + rnd(f, 30), 2010 + rnd(f, 30));
      break;
    case 2:
      snprintf(period, sizeof period, ",\"period\":\"%u-\"", 2000 + rnd(f, 25));
      break;
    case 3:
      snprintf(period, sizeof period, ",\"period\":\"1900-%u\"", 1990 + rnd(f, 40));
      break; /* > 60 years */
    case 4:
      snprintf(period, sizeof period, ",\"year\":%u", rnd(f, 2) ? 1850 + rnd(f, 40) : 2190 + rnd(f, 40));
      break;
    default:
      snprintf(period, sizeof period, ",\"period\":\"%u-%u\"", 2030 - rnd(f, 5), 2020 - rnd(f, 10));
      break;
  }
  snprintf(js, sizeof js,
           "{\"type\":\"%s\",\"country\":\"%s\",\"lang\":\"%s\",\"nuts\":\"%s%u\",\"title\":{\"en\":\"%s %s plan\"}"
           "%s%s}",
           types[rnd(f, 6)], cc, langs[rnd(f, 5)], cc, rnd(f, sp->regions), words[rnd(f, 8)], words[rnd(f, 8)], period,
           rnd(f, 5) ? "" : ",\"published\":false");
  json_t *rec = json_loads(js, 0, NULL);
  assert_non_null(rec);
  int64_t id = 0;
  sv4_error e;
  assert_int_equal(f->ops->record_create(f->s, rec, rnd(f, 2) ? "alice" : "bob", NULL, &id, &e), SV4_OK);
  json_decref(rec);
  size_t n = (size_t)snprintf(lb, sizeof lb, "[");
  for (unsigned g = 0, k = 1 + rnd(f, 3); g < k; g++) {
    unsigned goal = 1 + rnd(f, 17);
    n += (size_t)snprintf(lb + n, sizeof lb - n, "%s{\"scheme\":\"sdg\",\"code\":\"%u\",\"score\":0.5,\"targets\":[",
                          g ? "," : "", goal);
    for (unsigned t = 0, kt = rnd(f, 3); t < kt; t++)
      n += (size_t)snprintf(lb + n, sizeof lb - n, "%s\"%u.%u\"", t ? "," : "", goal, 1 + rnd(f, sp->targets_per_goal));
    n += (size_t)snprintf(lb + n, sizeof lb - n, "]}");
  }
  static const char *const schemes[] = {"egd", "taxonomy", "smartcity"};
  for (int sc = 0; sc < 3; sc++)
    for (unsigned k = rnd(f, 3); k; k--)
      n += (size_t)snprintf(lb + n, sizeof lb - n, ",{\"scheme\":\"%s\",\"code\":\"c%u\",\"score\":0.5,\"targets\":[]}",
                            schemes[sc], rnd(f, sc ? 6 : sp->egd));
  snprintf(lb + n, sizeof lb - n, "]");
  json_t *l = json_loads(lb, 0, NULL);
  assert_non_null(l);
  assert_int_equal(f->ops->labels_set_classifier(f->s, id, l, "t", &e), SV4_OK);
  json_decref(l);
  if (id_out) *id_out = id;
}

/* A random query into q, its strings in buf. */
static void random_query(fx *f, const spread *sp, sv4_search_query *q, char buf[][16]) {
  memset(q, 0, sizeof *q);
  int nb = 0;
  q->facets_text = 1;
  q->limit = 1 + rnd(f, 25);
  q->offset = rnd(f, 4) ? 0 : rnd(f, 60);
  q->sort = (sv4_sort)rnd(f, 4);
  if (rnd(f, 3) == 0) {
    q->text = words[rnd(f, 8)];
    if (rnd(f, 3) == 0) q->also_codes = rnd(f, 2) ? "sdg:7 sdg:7.2 egd:c1" : "taxonomy:c2 smartcity:c3";
  }
  for (int k = rnd(f, 4); k > 0; k--) {
    int fa = (int)rnd(f, SV4_FACET_COUNT);
    if (fa == SV4_FACET_YEAR) {
      q->year_from = rnd(f, 3) ? (int)(1890 + rnd(f, 150)) : 0;
      q->year_to = rnd(f, 3) ? (int)(1950 + rnd(f, 100)) : 0;
      continue;
    }
    for (unsigned v = 1 + rnd(f, 3); v && q->nvalues[fa] < 3 && nb < 24; v--) {
      char *s = buf[nb++];
      switch (fa) {
        case SV4_FACET_TYPE:
          snprintf(s, 16, "%s", types[rnd(f, 6)]);
          break;
        case SV4_FACET_LANG:
          snprintf(s, 16, "%s", langs[rnd(f, 5)]);
          break;
        case SV4_FACET_COUNTRY:
          country_code(rnd(f, sp->countries), s);
          break;
        case SV4_FACET_REGION: { /* a whole code or a prefix of one */
          char cc[3];
          country_code(rnd(f, sp->countries), cc);
          snprintf(s, 16, rnd(f, 2) ? "%s%u" : "%s", cc, rnd(f, sp->regions));
          break;
        }
        case SV4_FACET_SDG:
          snprintf(s, 16, "%u", 1 + rnd(f, 17));
          break;
        case SV4_FACET_TARGET:
          snprintf(s, 16, "%u.%u", 1 + rnd(f, 17), 1 + rnd(f, sp->targets_per_goal));
          break;
        case SV4_FACET_REVIEW:
          snprintf(s, 16, "%s", rnd(f, 2) ? "unreviewed" : "reviewed");
          break;
        default:
          snprintf(s, 16, "c%u", rnd(f, fa == SV4_FACET_EGD ? sp->egd : 7));
          break;
      }
      q->values[fa][q->nvalues[fa]++] = s;
    }
  }
}

static sv4_search_result *run(sv4_search_index *ix, fx *f, const sv4_search_query *q, int mode) {
  sv4__search_count_mode = mode;
  sv4_search_result *r = NULL;
  sv4_error e;
  assert_int_equal(sv4_search(ix, f->s, q, &r, &e), SV4_OK);
  return r;
}

static void same(const sv4_search_result *a, const sv4_search_result *b) {
  assert_int_equal(a->total, b->total);
  assert_int_equal(a->nhits, b->nhits);
  for (size_t i = 0; i < a->nhits; i++) {
    assert_int_equal(a->hits[i].id, b->hits[i].id);
    assert_true(a->hits[i].rank == b->hits[i].rank);
    assert_int_equal(a->hits[i].text_match, b->hits[i].text_match);
  }
  assert_int_equal(a->facets_text_len, b->facets_text_len);
  assert_memory_equal(a->facets_text, b->facets_text, a->facets_text_len);
}

/* n random queries for each viewer: every way of counting equals the value bitsets. Returns how many queries
 * found something (so the test is known to count more than nothing). */
static int compare_ways(fx *f, sv4_search_index *ix, const spread *sp, int n) {
  static const struct {
    sv4_role role;
    const char *user;
  } viewers[] = {{SV4_ROLE_VIEWER, NULL}, {SV4_ROLE_CONTRIBUTOR, "alice"}, {SV4_ROLE_REVIEWER, "rita"}};
  int found = 0;
  for (int i = 0; i < n; i++) {
    char buf[24][16];
    sv4_search_query q;
    random_query(f, sp, &q, buf);
    for (size_t v = 0; v < sizeof viewers / sizeof *viewers; v++) {
      q.viewer_role = viewers[v].role;
      q.viewer = viewers[v].user;
      sv4_search_result *ref = run(ix, f, &q, 1);
      found += ref->total > 0;
      for (int mode = 0; mode <= 3; mode++) {
        if (mode == 1) continue;
        sv4_search_result *r = run(ix, f, &q, mode);
        same(ref, r);
        sv4_search_result_free(r);
      }
      /* the portable kernels, which a machine without AVX-512 runs: the same answers in every way */
      sv4__search_kernels(0);
      for (int mode = 0; mode <= 3; mode++) {
        sv4_search_result *r = run(ix, f, &q, mode);
        same(ref, r);
        sv4_search_result_free(r);
      }
      sv4__search_kernels(1);
      sv4_search_result_free(ref);
    }
  }
  return found;
}

static void check(fx *f, const spread *sp, int records) {
  sv4_error e;
  int64_t first = 0, id = 0;
  assert_int_equal(f->ops->begin(f->s, &e), SV4_OK);
  for (int i = 0; i < records; i++) {
    add_record(f, sp, &id);
    if (!first) first = id;
  }
  assert_int_equal(f->ops->commit(f->s, &e), SV4_OK);
  sv4_search_index *ix = NULL;
  assert_int_equal(sv4_search_index_build(f->s, &ix, &e), SV4_OK);
  assert_true(compare_ways(f, ix, sp, 150) > 100);
  /* writes: new records, changed ones (their values move between planes and bitsets), deleted ones */
  for (int i = 0; i < 40; i++) {
    add_record(f, sp, &id);
    assert_int_equal(sv4_search_index_refresh(ix, f->s, id, &e), SV4_OK);
    int64_t other = first + (int64_t)rnd(f, (unsigned)records);
    char patch[160];
    char cc[3];
    country_code(rnd(f, sp->countries), cc);
    snprintf(patch, sizeof patch, "{\"type\":\"%s\",\"country\":\"%s\",\"nuts\":\"%s%u\",\"period\":\"%u-%u\"}",
             types[rnd(f, 6)], cc, cc, rnd(f, sp->regions), 1995 + rnd(f, 20), 2015 + rnd(f, 20));
    json_t *p = json_loads(patch, 0, NULL);
    if (f->ops->record_update(f->s, other, p, "bob", NULL, &e) == SV4_OK)
      assert_int_equal(sv4_search_index_refresh(ix, f->s, other, &e), SV4_OK);
    json_decref(p);
    int64_t gone = first + (int64_t)rnd(f, (unsigned)records);
    if (f->ops->record_delete(f->s, gone, "bob", &e) == SV4_OK)
      assert_int_equal(sv4_search_index_refresh(ix, f->s, gone, &e), SV4_OK);
  }
  assert_true(compare_ways(f, ix, sp, 150) > 100);
  sv4_search_index_free(ix);
}

/* Values that fit every packed form: planes and packed rows in use. */
static void narrow_values_count_alike(void **state) {
  spread sp = {6, 12, 6, 5};
  check(*state, &sp, 1500);
}

/* More values than the packed forms hold: counting falls back to the value bitsets for those facets. */
static void wide_values_count_alike(void **state) {
  spread sp = {300, 3, 40, 19};
  check(*state, &sp, 2500);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(narrow_values_count_alike, setup, teardown),
      cmocka_unit_test_setup_teardown(wide_values_count_alike, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
