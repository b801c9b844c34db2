/* test_store.c — a storage backend and the search index on a real database: records, revisions, labels and
 * review, documents, full-text + facets, users and sessions, reopening (migrations are idempotent).
 * SQLite (a temp file) by default; with SV4_TEST_PG set to a libpq conninfo, the PostgreSQL backend, each test in
 * a fresh schema of that database (dropped afterwards). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#ifdef SV4_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#include "sv4/search.h"
#include "sv4/store.h"
#include "unit/store/tmp_store.h"

typedef struct fx {
  char path[2048]; /* the SQLite file, or the conninfo naming the test's own PostgreSQL schema */
  char schema[64]; /* PostgreSQL only */
  sv4_store *s;
  const sv4_store_ops *ops;
} fx;

#ifdef SV4_WITH_POSTGRES
/* Runs a statement on a fresh admin connection to SV4_TEST_PG; 0 on success. */
static int pg_admin(const char *conninfo, const char *sql) {
  PGconn *c = PQconnectdb(conninfo);
  int ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    PGresult *r = PQexec(c, sql);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
  } else {
    fprintf(stderr, "SV4_TEST_PG: %s", PQerrorMessage(c));
  }
  PQfinish(c);
  return ok ? 0 : -1;
}

/* Appends key='value' (quotes and backslashes escaped) to f->path. */
static void pg_put(fx *f, const char *key, const char *val) {
  size_t n = strlen(f->path);
  n += (size_t)snprintf(f->path + n, sizeof f->path - n, "%s%s='", n ? " " : "", key);
  for (; *val && n + 3 < sizeof f->path; val++) {
    if (*val == '\\' || *val == '\'') f->path[n++] = '\\';
    f->path[n++] = *val;
  }
  snprintf(f->path + n, sizeof f->path - n, "'");
}

/* A fresh schema for this test; f->path becomes the conninfo with search_path set to it (public stays visible
 * for the unaccent extension). */
static int pg_setup(fx *f, const char *conninfo) {
  static int seq;
  char sql[256];
  snprintf(f->schema, sizeof f->schema, "sv4test_%ld_%d", (long)getpid(), ++seq);
  snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", f->schema, f->schema);
  if (pg_admin(conninfo, sql)) return -1;
  char *msg = NULL;
  PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
  if (!opts) {
    fprintf(stderr, "SV4_TEST_PG: %s", msg ? msg : "cannot parse\n");
    PQfreemem(msg);
    return -1;
  }
  char options[512] = "";
  f->path[0] = '\0';
  for (PQconninfoOption *o = opts; o->keyword; o++) {
    if (!o->val) continue;
    if (!strcmp(o->keyword, "options"))
      snprintf(options, sizeof options, "%s ", o->val);
    else
      pg_put(f, o->keyword, o->val);
  }
  PQconninfoFree(opts);
  size_t n = strlen(options);
  snprintf(options + n, sizeof options - n, "-c search_path=%s,public", f->schema);
  pg_put(f, "options", options);
  f->ops = &sv4_store_postgres;
  return 0;
}
#endif

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  const char *pg = getenv("SV4_TEST_PG");
  if (pg && *pg) {
#ifdef SV4_WITH_POSTGRES
    if (pg_setup(f, pg)) {
      free(f);
      return -1;
    }
#else
    fprintf(stderr, "SV4_TEST_PG is set but this build has no PostgreSQL backend (-DWITH_POSTGRES=ON)\n");
    free(f);
    return -1;
#endif
  } else {
    tmp_store_path(f->path, sizeof f->path);
    f->ops = sv4_store_backend_for(f->path);
  }
  sv4_error e;
  if (f->ops->open(f->path, &f->s, &e)) {
    fprintf(stderr, "open: %s\n", e.msg);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  f->ops->close(f->s);
#ifdef SV4_WITH_POSTGRES
  if (f->schema[0]) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", f->schema);
    pg_admin(getenv("SV4_TEST_PG"), sql);
    free(f);
    return 0;
  }
#endif
  tmp_store_remove(f->path);
  free(f);
  return 0;
}

static int64_t add(fx *f, const char *json) {
  json_t *rec = json_loads(json, 0, NULL);
  assert_non_null(rec);
  int64_t id = 0;
  sv4_error e;
  sv4_rc rc = f->ops->record_create(f->s, rec, "tester", "test", &id, &e);
  if (rc) fprintf(stderr, "create: %s\n", e.msg);
  assert_int_equal(rc, SV4_OK);
  json_decref(rec);
  return id;
}

static void set_labels(fx *f, int64_t id, const char *json) {
  json_t *l = json_loads(json, 0, NULL);
  sv4_error e;
  assert_int_equal(f->ops->labels_set_classifier(f->s, id, l, "test-1", &e), SV4_OK);
  json_decref(l);
}

static void records_roundtrip_and_revisions(void **state) {
  fx *f = *state;
  sv4_error e;
  int64_t id = add(f, "{\"type\":\"strategy\",\"slug\":\"krk\",\"lang\":\"pl\",\"country\":\"PL\",\"nuts\":\"PL21\","
                      "\"title\":{\"pl\":\"Strategia Kraków\",\"en\":\"Kraków strategy\"},\"period\":\"2021-2030\"}");
  assert_true(id > 0);
  json_t *r = NULL;
  assert_int_equal(f->ops->record_get(f->s, id, &r, &e), SV4_OK);
  assert_string_equal(json_string_value(json_object_get(r, "country")), "PL");
  assert_string_equal(json_string_value(json_object_get(json_object_get(r, "title"), "pl")), "Strategia Kraków");
  assert_string_equal(json_string_value(json_object_get(r, "review")), "unreviewed");
  json_decref(r);

  json_t *patch = json_pack("{s:s,s:n}", "status", "adopted", "period");
  assert_int_equal(f->ops->record_update(f->s, id, patch, "ed", "status known", &e), SV4_OK);
  json_decref(patch);
  assert_int_equal(f->ops->record_get(f->s, id, &r, &e), SV4_OK);
  assert_string_equal(json_string_value(json_object_get(r, "status")), "adopted");
  assert_null(json_object_get(r, "period"));
  json_decref(r);

  json_t *revs = NULL;
  assert_int_equal(f->ops->revisions(f->s, id, &revs, &e), SV4_OK);
  assert_int_equal(json_array_size(revs), 2);
  json_t *latest = json_array_get(revs, 0);
  assert_string_equal(json_string_value(json_object_get(latest, "who")), "ed");
  assert_string_equal(json_string_value(json_object_get(latest, "why")), "status known");
  json_decref(revs);

  /* a duplicate slug is a conflict and writes nothing */
  json_t *dup = json_loads("{\"type\":\"practice\",\"slug\":\"krk\",\"title\":{\"en\":\"x\"}}", 0, NULL);
  int64_t n0, n1, nid;
  f->ops->record_count(f->s, &n0, &e);
  assert_int_equal(f->ops->record_create(f->s, dup, NULL, NULL, &nid, &e), SV4_ERR_EXISTS);
  f->ops->record_count(f->s, &n1, &e);
  assert_int_equal(n0, n1);
  json_decref(dup);

  assert_int_equal(f->ops->record_delete(f->s, id, "ed", &e), SV4_OK);
  assert_int_equal(f->ops->record_get(f->s, id, &r, &e), SV4_ERR_NOTFOUND);
  assert_int_equal(f->ops->record_delete(f->s, id, "ed", &e), SV4_ERR_NOTFOUND);
}

static void invalid_records_rejected(void **state) {
  fx *f = *state;
  sv4_error e;
  int64_t id;
  const char *bad[] = {
      "{\"type\":\"poem\",\"title\":{\"en\":\"x\"}}",
      "{\"type\":\"strategy\"}",
      "{\"type\":\"strategy\",\"title\":{\"xx\":\"x\"}}",
      "{\"type\":\"strategy\",\"title\":{\"en\":\"x\"},\"country\":\"Poland\"}",
      "[1,2]",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    json_t *r = json_loads(bad[i], JSON_DECODE_ANY, NULL);
    assert_int_equal(f->ops->record_create(f->s, r, NULL, NULL, &id, &e), SV4_ERR_USAGE);
    json_decref(r);
  }
}

static void search_text_facets_and_codes(void **state) {
  fx *f = *state;
  sv4_error e;
  int64_t a = add(f, "{\"type\":\"strategy\",\"lang\":\"pl\",\"country\":\"PL\",\"nuts\":\"PL21\",\"period\":\"2021-2030\","
                     "\"title\":{\"pl\":\"Odnawialne źródła energii w Krakowie\"}}");
  int64_t b = add(f, "{\"type\":\"practice\",\"lang\":\"cs\",\"country\":\"CZ\",\"nuts\":\"CZ064\",\"period\":\"2019\","
                     "\"title\":{\"cs\":\"Fotovoltaika na školách\"},\"summary\":{\"en\":\"Solar panels on schools\"}}");
  int64_t c = add(f, "{\"type\":\"funding\",\"lang\":\"hu\",\"country\":\"HU\",\"period\":\"2022-2027\","
                     "\"title\":{\"hu\":\"Otthonfelújítási program\"}}");
  set_labels(f, a, "[{\"scheme\":\"sdg\",\"code\":\"7\",\"targets\":[\"7.2\"],\"score\":0.9},"
                   "{\"scheme\":\"egd\",\"code\":\"energy\",\"score\":0.8}]");
  set_labels(f, b, "[{\"scheme\":\"sdg\",\"code\":\"7\",\"targets\":[\"7.2\"],\"score\":0.7},"
                   "{\"scheme\":\"sdg\",\"code\":\"4\",\"score\":0.6}]");
  set_labels(f, c, "[{\"scheme\":\"sdg\",\"code\":\"11\",\"score\":0.5},{\"scheme\":\"egd\",\"code\":\"buildings\",\"score\":0.7}]");

  sv4_search_index *ix = NULL;
  assert_int_equal(sv4_search_index_build(f->s, &ix, &e), SV4_OK);
  assert_int_equal(sv4_search_index_count(ix), 3);

  sv4_search_query q = {0};
  sv4_search_result *r = NULL;
  /* everything, facet counts */
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  assert_int_equal(r->total, 3);
  json_t *sdg = json_object_get(r->facets, "sdg");
  assert_int_equal(json_array_size(sdg), 3); /* 4, 7, 11 */
  assert_string_equal(json_string_value(json_object_get(json_array_get(sdg, 1), "value")), "7");
  assert_int_equal(json_integer_value(json_object_get(json_array_get(sdg, 1), "count")), 2);
  sv4_search_result_free(r);

  /* diacritic-insensitive text + prefix: "zrodla" finds "źródła" */
  q.text = "zrodla energ*";
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  assert_int_equal(r->total, 1);
  assert_int_equal(r->hits[0].id, a);
  assert_int_equal(r->hits[0].text_match, 1);
  sv4_search_result_free(r);

  /* words plus codes: a Polish query finds the Czech practice through SDG 7 */
  q.also_codes = "sdg:7.2";
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  assert_int_equal(r->total, 2);
  assert_int_equal(r->hits[0].id, a); /* text match ranks first */
  assert_int_equal(r->hits[1].id, b);
  sv4_search_result_free(r);

  /* facet filter: SDG 7 and country CZ; the country facet still counts PL (disjunctive) */
  memset(&q, 0, sizeof q);
  q.values[SV4_FACET_SDG][0] = "7";
  q.nvalues[SV4_FACET_SDG] = 1;
  q.values[SV4_FACET_COUNTRY][0] = "CZ";
  q.nvalues[SV4_FACET_COUNTRY] = 1;
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  assert_int_equal(r->total, 1);
  assert_int_equal(r->hits[0].id, b);
  json_t *country = json_object_get(r->facets, "country");
  assert_int_equal(json_array_size(country), 2);
  sv4_search_result_free(r);

  /* NUTS prefix selects finer regions; year range overlaps */
  memset(&q, 0, sizeof q);
  q.values[SV4_FACET_REGION][0] = "CZ";
  q.nvalues[SV4_FACET_REGION] = 1;
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  assert_int_equal(r->total, 1);
  sv4_search_result_free(r);
  memset(&q, 0, sizeof q);
  q.year_from = 2025;
  q.year_to = 2026;
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  assert_int_equal(r->total, 2); /* 2021-2030 and 2022-2027 */
  sv4_search_result_free(r);

  /* bad facet values are usage errors; FTS syntax in the text cannot break the query */
  memset(&q, 0, sizeof q);
  q.values[SV4_FACET_SDG][0] = "18";
  q.nvalues[SV4_FACET_SDG] = 1;
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_ERR_USAGE);
  memset(&q, 0, sizeof q);
  q.text = "\"unclosed AND OR NOT ( ) * ^ : -";
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  sv4_search_result_free(r);

  /* review: rejecting SDG 7 on a removes it from the facet after refresh */
  assert_int_equal(f->ops->label_review(f->s, a, "sdg", "7", "reject", "rev", "not about energy", &e), SV4_OK);
  assert_int_equal(f->ops->label_review(f->s, a, "sdg", "13", "add", "rev", "climate plan", &e), SV4_OK);
  assert_int_equal(f->ops->label_review(f->s, a, "sdg", "5", "accept", "rev", NULL, &e), SV4_ERR_NOTFOUND);
  assert_int_equal(sv4_search_index_refresh(ix, f->s, a, &e), SV4_OK);
  memset(&q, 0, sizeof q);
  q.values[SV4_FACET_SDG][0] = "13";
  q.nvalues[SV4_FACET_SDG] = 1;
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  assert_int_equal(r->total, 1);
  sv4_search_result_free(r);
  json_t *labels = NULL;
  f->ops->labels_get(f->s, a, &labels, &e);
  int rejected = 0, added = 0;
  size_t i;
  json_t *l;
  json_array_foreach(labels, i, l) {
    const char *st = json_string_value(json_object_get(l, "state"));
    rejected += !strcmp(st, "rejected");
    added += !strcmp(st, "added");
  }
  assert_int_equal(rejected, 1);
  assert_int_equal(added, 1);
  json_decref(labels);
  /* re-classification keeps a reviewer's rejection */
  set_labels(f, a, "[{\"scheme\":\"sdg\",\"code\":\"7\",\"score\":0.9}]");
  f->ops->labels_get(f->s, a, &labels, &e);
  json_array_foreach(labels, i, l) if (!strcmp(json_string_value(json_object_get(l, "code")), "7"))
      assert_string_equal(json_string_value(json_object_get(l, "state")), "rejected");
  json_decref(labels);

  /* deletion leaves the index */
  assert_int_equal(f->ops->record_delete(f->s, c, "ed", &e), SV4_OK);
  assert_int_equal(sv4_search_index_refresh(ix, f->s, c, &e), SV4_OK);
  assert_int_equal(sv4_search_index_count(ix), 2);
  sv4_search_index_free(ix);
}

typedef struct row_seen_text {
  char title[64], body[256];
} row_seen_text;

static int text_cb(void *ud, const sv4_record_row *r) {
  row_seen_text *t = ud;
  snprintf(t->title, sizeof t->title, "%.*s", (int)r->text_len[0], r->text[0]);
  snprintf(t->body, sizeof t->body, "%.*s", (int)r->text_len[2], r->text[2]);
  return 0;
}

static void documents_feed_search_and_snippets(void **state) {
  fx *f = *state;
  sv4_error e;
  int64_t id = add(f, "{\"type\":\"strategy\",\"title\":{\"en\":\"Brno plan\"}}");
  const char *text = "The city will expand district heating and retrofit <schools>.";
  int64_t doc = 0;
  assert_int_equal(f->ops->document_add(f->s, id, "plan.txt", "text/plain", "raw", 3, text, strlen(text), &doc, &e),
                   SV4_OK);
  char *fn, *mime;
  void *data;
  size_t len;
  assert_int_equal(f->ops->document_get(f->s, doc, &fn, &mime, &data, &len, &e), SV4_OK);
  assert_string_equal(fn, "plan.txt");
  assert_int_equal(len, 3);
  free(fn);
  free(mime);
  free(data);
  /* the text the search index reads: the record's fields, then the document */
  row_seen_text seen = {0};
  assert_int_equal(f->ops->record_text(f->s, id, text_cb, &seen, &e), SV4_OK);
  assert_string_equal(seen.title, "Brno plan");
  assert_non_null(strstr(seen.body, "retrofit <schools>"));
  assert_int_equal(f->ops->record_text(f->s, 99999, text_cb, &seen, &e), SV4_ERR_NOTFOUND);
  char *snip = NULL;
  assert_int_equal(f->ops->snippet(f->s, id, "\"retrofit\"", &snip, &e), SV4_OK);
  assert_non_null(strstr(snip, "<mark>retrofit</mark>"));
  assert_non_null(strstr(snip, "&lt;schools&gt;")); /* text is escaped, only the marks are HTML */
  free(snip);
  assert_int_equal(f->ops->document_add(f->s, 99999, "x", "text/plain", "x", 1, NULL, 0, &doc, &e), SV4_ERR_NOTFOUND);
}

typedef struct row_seen {
  int64_t id;
  int published;
  char owner[32];
  size_t title_len, body_len;
} row_seen;

static int row_cb(void *ud, const sv4_record_row *r) {
  row_seen *s = ud;
  s->id = r->id;
  s->published = r->published;
  snprintf(s->owner, sizeof s->owner, "%s", r->owner ? r->owner : "(null)");
  s->title_len = r->text_len[0];
  s->body_len = r->text_len[2];
  return 0;
}

static size_t search_total(sv4_search_index *ix, fx *f, const char *text, sv4_role role, const char *user) {
  sv4_search_query q = {0};
  q.text = text;
  q.viewer_role = role;
  q.viewer = user;
  sv4_search_result *r = NULL;
  sv4_error e;
  assert_int_equal(sv4_search(ix, f->s, &q, &r, &e), SV4_OK);
  size_t n = r->total;
  sv4_search_result_free(r);
  return n;
}

/* Owners and drafts: the row carries them (and the indexed text); the search shows a draft to reviewers and its
 * owner only, in results and facet counts, and publishing shows it to everyone. */
static void drafts_and_owners(void **state) {
  fx *f = *state;
  sv4_error e;
  int64_t pub = add(f, "{\"type\":\"strategy\",\"country\":\"PL\",\"title\":{\"en\":\"Public plan for solar energy\"}}");
  json_t *rec = json_loads("{\"type\":\"strategy\",\"country\":\"CZ\",\"published\":false,"
                           "\"title\":{\"en\":\"Draft plan for solar energy\"},\"problem\":\"Roofs.\"}", 0, NULL);
  int64_t draft = 0;
  assert_int_equal(f->ops->record_create(f->s, rec, "carol", NULL, &draft, &e), SV4_OK);
  json_decref(rec);
  json_t *r = NULL;
  assert_int_equal(f->ops->record_get(f->s, draft, &r, &e), SV4_OK);
  assert_string_equal(json_string_value(json_object_get(r, "owner")), "carol");
  assert_true(json_is_false(json_object_get(r, "published")));
  json_decref(r);
  /* owner is not a field a patch can change */
  json_t *patch = json_pack("{s:s}", "owner", "mallory");
  assert_int_equal(f->ops->record_update(f->s, draft, patch, "mallory", NULL, &e), SV4_OK);
  json_decref(patch);
  row_seen seen = {0};
  assert_int_equal(f->ops->record_rows_each(f->s, draft, row_cb, &seen, &e), SV4_OK);
  assert_int_equal(seen.id, draft);
  assert_int_equal(seen.published, 0);
  assert_string_equal(seen.owner, "carol");
  assert_int_equal(seen.title_len, strlen("Draft plan for solar energy"));
  assert_true(seen.body_len >= strlen("Roofs."));
  assert_int_equal(f->ops->record_rows_each(f->s, pub, row_cb, &seen, &e), SV4_OK);
  assert_int_equal(seen.published, 1);
  assert_string_equal(seen.owner, "tester");

  sv4_search_index *ix = NULL;
  assert_int_equal(sv4_search_index_build(f->s, &ix, &e), SV4_OK);
  assert_int_equal(search_total(ix, f, "solar", SV4_ROLE_VIEWER, NULL), 1);
  assert_int_equal(search_total(ix, f, "solar", SV4_ROLE_VIEWER, "carol"), 1); /* a viewer named carol: no */
  assert_int_equal(search_total(ix, f, "solar", SV4_ROLE_CONTRIBUTOR, "dave"), 1);
  assert_int_equal(search_total(ix, f, "solar", SV4_ROLE_CONTRIBUTOR, "carol"), 2);
  assert_int_equal(search_total(ix, f, "solar", SV4_ROLE_REVIEWER, NULL), 2);
  assert_int_equal(search_total(ix, f, NULL, SV4_ROLE_VIEWER, NULL), 1);
  assert_true(sv4_search_visible(ix, pub, SV4_ROLE_VIEWER, NULL));
  assert_false(sv4_search_visible(ix, draft, SV4_ROLE_VIEWER, NULL));
  assert_false(sv4_search_visible(ix, draft, SV4_ROLE_CONTRIBUTOR, "dave"));
  assert_true(sv4_search_visible(ix, draft, SV4_ROLE_CONTRIBUTOR, "carol"));
  assert_true(sv4_search_visible(ix, draft, SV4_ROLE_ADMIN, "root"));
  assert_false(sv4_search_visible(ix, 99999, SV4_ROLE_ADMIN, "root"));
  /* facet counts follow: anonymous counts no CZ record */
  sv4_search_query q = {0};
  sv4_search_result *res = NULL;
  assert_int_equal(sv4_search(ix, f->s, &q, &res, &e), SV4_OK);
  json_t *country = json_object_get(res->facets, "country");
  assert_int_equal(json_array_size(country), 1);
  assert_string_equal(json_string_value(json_object_get(json_array_get(country, 0), "value")), "PL");
  sv4_search_result_free(res);
  /* publishing */
  patch = json_pack("{s:b}", "published", 1);
  assert_int_equal(f->ops->record_update(f->s, draft, patch, "rev", NULL, &e), SV4_OK);
  json_decref(patch);
  assert_int_equal(sv4_search_index_refresh(ix, f->s, draft, &e), SV4_OK);
  assert_int_equal(search_total(ix, f, "solar", SV4_ROLE_VIEWER, NULL), 2);
  assert_true(sv4_search_visible(ix, draft, SV4_ROLE_VIEWER, NULL));
  sv4_search_index_free(ix);
}

static void users_and_sessions(void **state) {
  fx *f = *state;
  sv4_error e;
  assert_int_equal(f->ops->user_put(f->s, "ania", "$argon2id$x", SV4_ROLE_REVIEWER, &e), SV4_OK);
  char *hash = NULL, *user = NULL;
  sv4_role role;
  assert_int_equal(f->ops->user_get(f->s, "ania", &hash, &role, &e), SV4_OK);
  assert_string_equal(hash, "$argon2id$x");
  assert_int_equal(role, SV4_ROLE_REVIEWER);
  free(hash);
  assert_int_equal(f->ops->session_put(f->s, "h1", "ania", 4102444800LL, &e), SV4_OK);
  assert_int_equal(f->ops->session_put(f->s, "h2", "ania", 1, &e), SV4_OK); /* already expired */
  assert_int_equal(f->ops->session_get(f->s, "h1", &user, &role, &e), SV4_OK);
  assert_string_equal(user, "ania");
  free(user);
  assert_int_equal(f->ops->session_get(f->s, "h2", &user, &role, &e), SV4_ERR_AUTH);
  assert_int_equal(f->ops->session_put(f->s, "h3", "nobody", 4102444800LL, &e), SV4_ERR_EXISTS); /* FK */
  assert_int_equal(f->ops->user_delete(f->s, "ania", &e), SV4_OK);
  assert_int_equal(f->ops->session_get(f->s, "h1", &user, &role, &e), SV4_ERR_AUTH); /* cascaded */
}

static void reopen_keeps_data_and_schema(void **state) {
  fx *f = *state;
  sv4_error e;
  add(f, "{\"type\":\"method\",\"title\":{\"en\":\"Living lab\"}}");
  int v = f->ops->schema_version(f->s);
  assert_true(v >= 1);
  f->ops->close(f->s);
  assert_int_equal(f->ops->open(f->path, &f->s, &e), SV4_OK);
  assert_int_equal(f->ops->schema_version(f->s), v);
  int64_t n;
  f->ops->record_count(f->s, &n, &e);
  assert_int_equal(n, 1);
}

static void fts_query_is_sanitised(void **state) {
  (void)state;
  char *q = sv4_search_fts_query("solar \"district heating\" energ* -coal OR wind");
  assert_string_equal(q, "\"solar\" \"district heating\" \"energ\"* NOT \"coal\" OR \"wind\"");
  free(q);
  q = sv4_search_fts_query("(){}:^");
  assert_string_equal(q, "");
  free(q);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(records_roundtrip_and_revisions, setup, teardown),
      cmocka_unit_test_setup_teardown(invalid_records_rejected, setup, teardown),
      cmocka_unit_test_setup_teardown(search_text_facets_and_codes, setup, teardown),
      cmocka_unit_test_setup_teardown(documents_feed_search_and_snippets, setup, teardown),
      cmocka_unit_test_setup_teardown(drafts_and_owners, setup, teardown),
      cmocka_unit_test_setup_teardown(users_and_sessions, setup, teardown),
      cmocka_unit_test_setup_teardown(reopen_keeps_data_and_schema, setup, teardown),
      cmocka_unit_test(fts_query_is_sanitised),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
