/* search_params.c — one reading of search parameters for the API, the HTML pages and the exports, and the brief
 * form of a record used in result lists. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"
#include "sv4/limits.h"

static int parse_uint(const char *s, long max, long *out) {
  if (!s || !*s) return 0;
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || v < 0 || v > max) return -1;
  *out = v;
  return 1;
}

/* The codes a query text names, by classifying it in the five languages, cached per text: the rules are loaded
 * once per process and never change while it runs, so an entry never goes stale. Direct-mapped, bounded. */
#define CODES_SLOTS 1024
#define CODES_LOCKS 16 /* slot % CODES_LOCKS: workers rarely wait for each other */
static struct codes_slot {
  char *text, *codes;
} codes_cache[CODES_SLOTS];
static pthread_mutex_t codes_mu[CODES_LOCKS] = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};

static const char *query_codes(sv4_req *req, const char *text) {
  size_t slot = sv4_hash64(text, strlen(text), 0x9e3779b9) % CODES_SLOTS;
  struct codes_slot *e = &codes_cache[slot];
  pthread_mutex_t *mu = &codes_mu[slot % CODES_LOCKS];
  const char *out = NULL;
  pthread_mutex_lock(mu);
  if (e->text && !strcmp(e->text, text)) out = sv4_arena_strdup(req->arena, e->codes);
  pthread_mutex_unlock(mu);
  if (out) return out;
  out = sv4__app_query_codes(req->app, req->arena, text);
  char *t = strdup(text), *c = strdup(out ? out : "");
  pthread_mutex_lock(mu);
  if (t && c) {
    free(e->text);
    free(e->codes);
    e->text = t;
    e->codes = c;
    t = c = NULL;
  }
  pthread_mutex_unlock(mu);
  free(t);
  free(c);
  return out;
}

void sv4__search_viewer(const sv4_req *req, sv4_search_query *q) {
  q->viewer_role = req->user.name ? req->user.role : SV4_ROLE_VIEWER;
  q->viewer = req->user.name;
}

int sv4__record_visible(const sv4_req *req, int64_t id) {
  return sv4_search_visible(req->app->index, id, req->user.name ? req->user.role : SV4_ROLE_VIEWER, req->user.name);
}

int sv4__search_query_from_req(sv4_req *req, sv4_resp *resp, sv4_search_query *q) {
  memset(q, 0, sizeof *q);
  sv4__search_viewer(req, q);
  q->text = sv4__req_param(req, "q");
  if (q->text && strlen(q->text) > SV4_MAX_QUERY_BYTES) {
    sv4__resp_error(resp, SV4_ERR_LIMIT, "the query is longer than %u bytes", SV4_MAX_QUERY_BYTES);
    return 0;
  }
  for (int f = 0; f < SV4_FACET_COUNT; f++) {
    if (f == SV4_FACET_YEAR) continue;
    size_t n = sv4__req_params(req, sv4_facet_name((sv4_facet)f), q->values[f], SV4_SEARCH_MAX_VALUES);
    q->nvalues[f] = n;
  }
  long v;
  int r;
  if ((r = parse_uint(sv4__req_param(req, "year_from"), 2200, &v)) < 0) goto bad_year;
  if (r) q->year_from = (int)v;
  if ((r = parse_uint(sv4__req_param(req, "year_to"), 2200, &v)) < 0) goto bad_year;
  if (r) q->year_to = (int)v;
  const char *sort = sv4__req_param(req, "sort");
  if (sort && *sort) {
    if (!strcmp(sort, "relevance")) q->sort = SV4_SORT_RELEVANCE;
    else if (!strcmp(sort, "newest")) q->sort = SV4_SORT_NEWEST;
    else if (!strcmp(sort, "oldest")) q->sort = SV4_SORT_OLDEST;
    else if (!strcmp(sort, "year")) q->sort = SV4_SORT_YEAR;
    else {
      sv4__resp_error(resp, SV4_ERR_USAGE, "sort must be relevance, newest, oldest or year");
      return 0;
    }
  }
  long per = 20, page = 1;
  if (parse_uint(sv4__req_param(req, "per_page"), SV4_MAX_PAGE_SIZE, &per) < 0 || per == 0) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "per_page must be 1..%u", SV4_MAX_PAGE_SIZE);
    return 0;
  }
  if (parse_uint(sv4__req_param(req, "page"), 100000000L, &page) < 0 || page == 0) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "page must be a positive number");
    return 0;
  }
  q->limit = (size_t)per;
  q->offset = (size_t)(page - 1) * (size_t)per;
  const char *cross = sv4__req_param(req, "cross");
  if (q->text && *q->text && !(cross && !strcmp(cross, "0")))
    q->also_codes = query_codes(req, q->text);
  return 1;
bad_year:
  sv4__resp_error(resp, SV4_ERR_USAGE, "year_from and year_to must be years");
  return 0;
}

json_t *sv4__record_brief(sv4_req *req, int64_t id) {
  sv4_app *app = req->app;
  json_t *rec = NULL, *labels = NULL;
  if (!sv4__record_visible(req, id) || app->ops->record_get(app->store, id, &rec, NULL)) return NULL;
  static const char *const keep[] = {"id", "type", "slug", "title", "summary", "country", "nuts", "place",
                                     "period", "lang", "url", "review", "status", "updated", "adopted"};
  json_t *b = json_object();
  for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
    json_t *v = json_object_get(rec, keep[i]);
    if (v) json_object_set(b, keep[i], v);
  }
  json_t *sdg = json_array(), *egd = json_array(), *tax = json_array(), *sc = json_array();
  if (!app->ops->labels_get(app->store, id, &labels, NULL)) {
    size_t i;
    json_t *l;
    json_array_foreach(labels, i, l) {
      const char *state = json_string_value(json_object_get(l, "state"));
      if (!state || !strcmp(state, "rejected")) continue;
      const char *scheme = json_string_value(json_object_get(l, "scheme"));
      const char *code = json_string_value(json_object_get(l, "code"));
      if (!scheme || !code) continue;
      if (!strcmp(scheme, "sdg")) json_array_append_new(sdg, json_integer(atoi(code)));
      else if (!strcmp(scheme, "egd")) json_array_append_new(egd, json_string(code));
      else if (!strcmp(scheme, "taxonomy")) json_array_append_new(tax, json_string(code));
      else if (!strcmp(scheme, "smartcity")) json_array_append_new(sc, json_string(code));
    }
  }
  json_object_set_new(b, "sdg", sdg);
  json_object_set_new(b, "egd", egd);
  json_object_set_new(b, "taxonomy", tax);
  json_object_set_new(b, "smartcity", sc);
  json_decref(labels);
  json_decref(rec);
  return b;
}
