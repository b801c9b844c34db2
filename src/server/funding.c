/* funding.c — which funding programmes fit a record: country eligibility, applicant type and shared topics
 * (classification codes), best first, each with the reasons that made it fit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/internal.h"

/* Applicant types that usually carry each record type. */
static const char *const applicants_for[SV4_REC_TYPE_COUNT][4] = {
    [SV4_REC_STRATEGY] = {"municipality", "region", NULL},
    [SV4_REC_PRACTICE] = {"municipality", "ngo", "sme", NULL},
    [SV4_REC_PROJECT] = {"municipality", "sme", "enterprise", "household"},
    [SV4_REC_METHOD] = {"university", "ngo", NULL},
    [SV4_REC_FUNDING] = {NULL},
    [SV4_REC_ORGANISATION] = {"sme", "university", "ngo", "municipality"},
};

typedef struct codes {
  char v[64][24];
  size_t n;
} codes;

static void effective_codes(sv4_app *app, int64_t id, codes *c) {
  json_t *labels = NULL;
  c->n = 0;
  if (app->ops->labels_get(app->store, id, &labels, NULL)) return;
  size_t i;
  json_t *l;
  json_array_foreach(labels, i, l) {
    const char *state = json_string_value(json_object_get(l, "state"));
    if (!state || !strcmp(state, "rejected") || c->n >= 64) continue;
    snprintf(c->v[c->n++], 24, "%s:%s", json_string_value(json_object_get(l, "scheme")),
             json_string_value(json_object_get(l, "code")));
  }
  json_decref(labels);
}

static int has_string(json_t *arr, const char *s) {
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) if (json_is_string(v) && !strcasecmp(json_string_value(v), s)) return 1;
  return 0;
}

typedef struct match {
  json_t *obj;
  double score;
} match;

static int by_score(const void *a, const void *b) {
  const match *x = a, *y = b;
  return x->score < y->score ? 1 : x->score > y->score ? -1 : 0;
}

json_t *sv4__funding_matches(sv4_app *app, int64_t id, sv4_error *err) {
  json_t *rec = NULL;
  if (app->ops->record_get(app->store, id, &rec, err)) return NULL;
  int type = sv4_record_type_from_name(json_string_value(json_object_get(rec, "type")));
  const char *country = json_string_value(json_object_get(rec, "country"));
  codes mine;
  effective_codes(app, id, &mine);

  sv4_search_query q = {0};
  q.values[SV4_FACET_TYPE][0] = "funding";
  q.nvalues[SV4_FACET_TYPE] = 1;
  q.limit = 1000;
  sv4_search_result *r = NULL;
  if (sv4_search(app->index, app->store, &q, &r, err)) {
    json_decref(rec);
    return NULL;
  }
  match *m = calloc(r->nhits ? r->nhits : 1, sizeof *m);
  size_t nm = 0;
  for (size_t i = 0; m && i < r->nhits; i++) {
    int64_t fid = r->hits[i].id;
    if (fid == id) continue;
    json_t *f = NULL;
    if (app->ops->record_get(app->store, fid, &f, NULL)) continue;
    json_t *reasons = json_array();
    json_t *countries = json_object_get(f, "countries");
    int country_ok = !json_array_size(countries) || (country && has_string(countries, country)) ||
                     has_string(countries, "EU");
    if (!country_ok) {
      json_decref(f);
      json_decref(reasons);
      continue;
    }
    double score = 0;
    if (country && has_string(countries, country)) {
      score += 1;
      json_array_append_new(reasons, json_sprintf("open to applicants from %s", country));
    } else {
      json_array_append_new(reasons, json_string("EU-wide programme"));
    }
    json_t *types = json_object_get(f, "applicant_types");
    for (int k = 0; type >= 0 && k < 4 && applicants_for[type][k]; k++) {
      if (has_string(types, applicants_for[type][k])) {
        score += 0.5;
        json_array_append_new(reasons, json_sprintf("%s applicants are eligible", applicants_for[type][k]));
        break;
      }
    }
    codes theirs;
    effective_codes(app, fid, &theirs);
    size_t shared = 0;
    json_t *topics = json_array();
    for (size_t a = 0; a < mine.n; a++)
      for (size_t b = 0; b < theirs.n; b++)
        if (!strcmp(mine.v[a], theirs.v[b])) {
          shared++;
          json_array_append_new(topics, json_string(mine.v[a]));
        }
    if (shared) {
      double jacc = (double)shared / (double)(mine.n + theirs.n - shared);
      score += 3 * jacc + 0.25 * (double)shared;
      json_array_append_new(reasons, json_sprintf("%zu shared topics", shared));
    }
    const char *status = json_string_value(json_object_get(f, "status"));
    if (status && !strcmp(status, "closed")) score -= 1;
    if (!shared) {
      json_decref(topics);
      json_decref(reasons);
      json_decref(f);
      continue; /* no common topic: not a match */
    }
    m[nm].score = score;
    m[nm].obj = json_pack("{s:I,s:O?,s:O?,s:O?,s:f,s:o,s:o}", "id", (json_int_t)fid, "title",
                          json_object_get(f, "title"), "level", json_object_get(f, "level"), "url",
                          json_object_get(f, "url"), "score", round(score * 100) / 100, "topics", topics, "reasons",
                          reasons);
    nm++;
    json_decref(f);
  }
  qsort(m, nm, sizeof *m, by_score);
  json_t *out = json_array();
  for (size_t i = 0; i < nm; i++) json_array_append_new(out, m[i].obj);
  free(m);
  sv4_search_result_free(r);
  json_decref(rec);
  return out;
}
