/* test_search_cache.c — the search index's own structures on a real SQLite file: value bitsets kept right on
 * update, review and delete; facet text equal to the facet JSON; pages from the sort orders agree with each other;
 * and the caches (text hits, briefs, snippets) dropped or ignored after a write. */
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

typedef struct fx {
  char path[256];
  sv4_store *s;
  const sv4_store_ops *ops;
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  f->ops = &sv4_store_sqlite;
  if (tmp_store_open(f->path, sizeof f->path, &f->s)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  f->ops->close(f->s);
  tmp_store_remove(f->path);
  free(f);
  return 0;
}

static int64_t add(fx *f, const char *js) {
  json_t *rec = json_loads(js, 0, NULL);
  assert_non_null(rec);
  int64_t id = 0;
  sv4_error e;
  assert_int_equal(f->ops->record_create(f->s, rec, "t", NULL, &id, &e), SV4_OK);
  json_decref(rec);
  return id;
}

static void set_labels(fx *f, int64_t id, const char *js) {
  json_t *l = json_loads(js, 0, NULL);
  sv4_error e;
  assert_int_equal(f->ops->labels_set_classifier(f->s, id, l, "t", &e), SV4_OK);
  json_decref(l);
}

static size_t facet_count(json_t *facets, const char *facet, const char *value) {
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(facets, facet), i,
                     v) if (!strcmp(json_string_value(json_object_get(v, "value")),
                                    value)) return (size_t)json_integer_value(json_object_get(v, "count"));
  return 0;
}

static sv4_search_result *run(sv4_search_index *ix, fx *f, sv4_search_query *q) {
  sv4_search_result *r = NULL;
  sv4_error e;
  assert_int_equal(sv4_search(ix, f->s, q, &r, &e), SV4_OK);
  return r;
}

/* 200 records over 3 countries, 4 types, SDGs by id, periods by id. */
static void fill(fx *f) {
  static const char *const countries[] = {"PL", "CZ", "SK"};
  static const char *const types[] = {"strategy", "practice", "project", "funding"};
  for (int i = 0; i < 200; i++) {
    char js[512], lb[256];
    snprintf(js, sizeof js,
             "{\"type\":\"%s\",\"country\":\"%s\",\"lang\":\"en\",\"period\":\"%d-%d\",\"nuts\":\"%s%d\","
             "\"title\":{\"en\":\"Plan %d %s\"}}",
             types[i % 4], countries[i % 3], 2000 + i % 20, 2003 + i % 20, countries[i % 3], i % 5, i,
             i % 7 == 0 ? "geothermal heating" : "mobility");
    int64_t id = add(f, js);
    snprintf(lb, sizeof lb, "[{\"scheme\":\"sdg\",\"code\":\"%d\",\"targets\":[\"%d.1\"],\"score\":0.5}]", i % 17 + 1,
             i % 17 + 1);
    set_labels(f, id, lb);
  }
}

static void facets_text_matches_json_and_pages_agree(void **state) {
  fx *f = *state;
  sv4_error e;
  fill(f);
  sv4_search_index *ix = NULL;
  assert_int_equal(sv4_search_index_build(f->s, &ix, &e), SV4_OK);
  sv4_search_query q = {0};
  q.values[SV4_FACET_COUNTRY][0] = "PL";
  q.nvalues[SV4_FACET_COUNTRY] = 1;
  q.values[SV4_FACET_TYPE][0] = "strategy";
  q.values[SV4_FACET_TYPE][1] = "project";
  q.nvalues[SV4_FACET_TYPE] = 2;
  q.year_from = 2005;
  q.year_to = 2010;
  sv4_search_result *a = run(ix, f, &q);
  q.facets_text = 1;
  sv4_search_result *b = run(ix, f, &q);
  assert_null(b->facets);
  json_t *parsed = json_loadb(b->facets_text, b->facets_text_len, 0, NULL);
  assert_non_null(parsed);
  assert_true(json_equal(parsed, a->facets));
  assert_int_equal(a->total, b->total);
  json_decref(parsed);
  /* disjunctive: the country facet still counts CZ and SK under the other filters */
  assert_true(facet_count(a->facets, "country", "CZ") > 0);
  size_t total = a->total;
  sv4_search_result_free(a);
  sv4_search_result_free(b);

  /* paging through every sort: pages concatenate to the whole, in order, with no duplicates */
  for (int s = SV4_SORT_RELEVANCE; s <= SV4_SORT_YEAR; s++) {
    q.sort = (sv4_sort)s;
    q.limit = 7;
    int64_t seen[256];
    size_t n = 0;
    for (q.offset = 0; q.offset < total + 7; q.offset += 7) {
      sv4_search_result *r = run(ix, f, &q);
      assert_int_equal(r->total, total);
      for (size_t i = 0; i < r->nhits; i++) {
        for (size_t j = 0; j < n; j++) assert_true(seen[j] != r->hits[i].id);
        seen[n++] = r->hits[i].id;
      }
      sv4_search_result_free(r);
    }
    assert_int_equal(n, total);
  }
  /* text query sorted by year and by relevance: same total, text matches */
  memset(&q, 0, sizeof q);
  q.text = "geothermal";
  sv4_search_result *r = run(ix, f, &q);
  assert_int_equal(r->total, 29); /* i % 7 == 0 for i < 200 */
  assert_int_equal(r->hits[0].text_match, 1);
  sv4_search_result_free(r);
  q.sort = SV4_SORT_YEAR;
  r = run(ix, f, &q);
  assert_int_equal(r->total, 29);
  for (size_t i = 1; i < r->nhits; i++) assert_int_equal(r->hits[i].text_match, 1);
  sv4_search_result_free(r);
  sv4_search_index_free(ix);
}

static void writes_update_bitsets_and_drop_caches(void **state) {
  fx *f = *state;
  sv4_error e;
  fill(f);
  sv4_search_index *ix = NULL;
  assert_int_equal(sv4_search_index_build(f->s, &ix, &e), SV4_OK);
  sv4_search_query q = {0};
  sv4_search_result *r = run(ix, f, &q);
  size_t sdg1 = facet_count(r->facets, "sdg", "1"), pl = facet_count(r->facets, "country", "PL");
  sv4_search_result_free(r);

  /* text hits are cached; a new record with the word appears after its refresh */
  q.text = "zebra";
  r = run(ix, f, &q);
  assert_int_equal(r->total, 0);
  sv4_search_result_free(r);
  int64_t z = add(f, "{\"type\":\"method\",\"country\":\"PL\",\"title\":{\"en\":\"Zebra crossings\"}}");
  set_labels(f, z, "[{\"scheme\":\"sdg\",\"code\":\"1\",\"score\":0.5}]");
  assert_int_equal(sv4_search_index_refresh(ix, f->s, z, &e), SV4_OK);
  r = run(ix, f, &q);
  assert_int_equal(r->total, 1);
  assert_int_equal(r->hits[0].id, z);
  sv4_search_result_free(r);

  /* briefs: kept per record, dropped on write; a brief built from an older generation is not kept */
  sv4_buf b;
  sv4_buf_init(&b, 0);
  uint32_t gen = 0;
  assert_int_equal(sv4_search_brief_append(ix, z, &b, &gen), 0);
  sv4_search_brief_put(ix, z, gen, "{\"id\":1}");
  assert_int_equal(sv4_search_brief_append(ix, z, &b, NULL), 1);
  assert_string_equal(b.data, "{\"id\":1}");
  json_t *patch = json_pack("{s:{s:s}}", "title", "en", "Pedestrian crossings");
  assert_int_equal(f->ops->record_update(f->s, z, patch, "t", NULL, &e), SV4_OK);
  json_decref(patch);
  assert_int_equal(sv4_search_index_refresh(ix, f->s, z, &e), SV4_OK);
  sv4_buf_reset(&b);
  uint32_t gen2 = 0;
  assert_int_equal(sv4_search_brief_append(ix, z, &b, &gen2), 0);
  assert_true(gen2 != gen);
  sv4_search_brief_put(ix, z, gen, "{\"id\":\"stale\"}");
  assert_int_equal(sv4_search_brief_append(ix, z, &b, NULL), 0);
  /* the old word is gone from the cached text hits, the new one found; snippets follow the new text */
  r = run(ix, f, &q);
  assert_int_equal(r->total, 0);
  sv4_search_result_free(r);
  char *fts = sv4_search_fts_query("pedestrian"), *snip = NULL;
  assert_int_equal(sv4_search_snippet(ix, f->s, z, fts, &snip, &e), SV4_OK);
  assert_non_null(strstr(snip, "<mark>Pedestrian</mark>"));
  free(snip);
  patch = json_pack("{s:{s:s}}", "title", "en", "Pedestrian bridges");
  assert_int_equal(f->ops->record_update(f->s, z, patch, "t", NULL, &e), SV4_OK);
  json_decref(patch);
  assert_int_equal(sv4_search_index_refresh(ix, f->s, z, &e), SV4_OK);
  assert_int_equal(sv4_search_snippet(ix, f->s, z, fts, &snip, &e), SV4_OK);
  assert_non_null(strstr(snip, "bridges"));
  free(snip);
  free(fts);

  /* review: rejecting SDG 1 moves the record out of that value's bitset; the brief is dropped */
  sv4_search_brief_append(ix, z, &b, &gen);
  sv4_search_brief_put(ix, z, gen, "{\"id\":2}");
  assert_int_equal(f->ops->label_review(f->s, z, "sdg", "1", "reject", "rev", NULL, &e), SV4_OK);
  assert_int_equal(sv4_search_index_refresh(ix, f->s, z, &e), SV4_OK);
  assert_int_equal(sv4_search_brief_append(ix, z, &b, NULL), 0);
  memset(&q, 0, sizeof q);
  r = run(ix, f, &q);
  assert_int_equal(facet_count(r->facets, "sdg", "1"), sdg1);
  assert_int_equal(facet_count(r->facets, "country", "PL"), pl + 1);
  assert_int_equal(facet_count(r->facets, "review", "reviewed"), 1);
  sv4_search_result_free(r);

  /* delete: out of every bitset and every cache */
  assert_int_equal(f->ops->record_delete(f->s, z, "t", &e), SV4_OK);
  assert_int_equal(sv4_search_index_refresh(ix, f->s, z, &e), SV4_OK);
  r = run(ix, f, &q);
  assert_int_equal(r->total, 200);
  assert_int_equal(facet_count(r->facets, "country", "PL"), pl);
  assert_int_equal(facet_count(r->facets, "review", "reviewed"), 0);
  assert_int_equal(facet_count(r->facets, "type", "method"), 0);
  sv4_search_result_free(r);
  q.text = "pedestrian";
  r = run(ix, f, &q);
  assert_int_equal(r->total, 0);
  sv4_search_result_free(r);
  assert_int_equal(sv4_search_brief_append(ix, z, &b, NULL), 0);
  sv4_buf_free(&b);
  sv4_search_index_free(ix);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(facets_text_matches_json_and_pages_agree, setup, teardown),
      cmocka_unit_test_setup_teardown(writes_update_bitsets_and_drop_caches, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
