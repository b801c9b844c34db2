/* bim_funding.c — the portal's funding records as funding programmes for building assessments: which published
 * records fit the building's country, the owner's applicant type and the renovation topics (by classification
 * code). Reads the store only through sv4_store_ops. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/bim_funding.h"

typedef struct cand {
  int64_t id;
  char *codes;
} cand;

typedef struct cands {
  cand *v;
  size_t n, cap;
  int nomem;
} cands;

static int collect(void *ud, const sv4_record_row *r) {
  cands *c = ud;
  if (!r->type || strcmp(r->type, "funding")) return 0;
  if (c->n == c->cap) {
    size_t nc = c->cap ? 2 * c->cap : 16;
    cand *nv = realloc(c->v, nc * sizeof *nv);
    if (!nv) return c->nomem = 1;
    c->v = nv, c->cap = nc;
  }
  c->v[c->n].id = r->id;
  c->v[c->n].codes = strdup(r->codes ? r->codes : "");
  if (!c->v[c->n].codes) return c->nomem = 1;
  c->n++;
  return 0;
}

static int has_string(json_t *arr, const char *s) {
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) if (json_is_string(v) && !strcasecmp(json_string_value(v), s)) return 1;
  return 0;
}

/* The record's title: English, else the record's language, else any. */
static const char *title_of(json_t *rec) {
  json_t *t = json_object_get(rec, "title");
  if (json_is_string(t)) return json_string_value(t);
  const char *s = json_string_value(json_object_get(t, "en"));
  if (!s) s = json_string_value(json_object_get(t, json_string_value(json_object_get(rec, "lang"))));
  const char *k;
  json_t *v;
  json_object_foreach(t, k, v) if (!s && json_is_string(v)) s = json_string_value(v);
  return s ? s : "";
}

/* Country the record is open to for this building: the country itself, "EU" for EU-wide, NULL when not open. */
static const char *open_to(json_t *rec, const char *country) {
  json_t *cs = json_object_get(rec, "countries");
  if (json_array_size(cs)) {
    if (has_string(cs, country)) return country;
    return has_string(cs, "EU") ? "EU" : NULL;
  }
  const char *c = json_string_value(json_object_get(rec, "country"));
  if (!c || !*c || !strcasecmp(c, "EU")) return "EU";
  return !strcasecmp(c, country) ? country : NULL;
}

sv4_rc sv4__bim_store_funding(const sv4_store_ops *ops, sv4_store *store, const char *country, const char *applicant,
                              sv4_funding_programme **out, size_t *n, size_t *nrecords, sv4_error *err) {
  cands c = {0};
  sv4_funding_programme *p = NULL;
  size_t np = 0;
  *out = NULL, *n = 0, *nrecords = 0;
  if (!applicant || !*applicant) applicant = "household";
  sv4_rc rc = ops->record_rows_each(store, 0, collect, &c, err);
  if (!rc && c.nomem) rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  if (!rc && c.n && !(p = calloc(c.n, sizeof *p))) rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  for (size_t i = 0; !rc && i < c.n; i++) {
    json_t *rec = NULL;
    if ((rc = ops->record_get(store, c.v[i].id, &rec, err))) break;
    if (json_is_false(json_object_get(rec, "published"))) goto next; /* a draft */
    (*nrecords)++;
    const char *status = json_string_value(json_object_get(rec, "status"));
    const char *where = open_to(rec, country);
    json_t *types = json_object_get(rec, "applicant_types");
    char kinds[96];
    if ((status && !strcasecmp(status, "closed")) || !where) goto next;
    if (json_array_size(types) && !has_string(types, applicant)) goto next;
    if (!sv4_funding_kinds_of_codes(c.v[i].codes, kinds, sizeof kinds)) goto next;
    sv4_funding_programme *g = &p[np++];
    snprintf(g->country, sizeof g->country, "%s", where);
    snprintf(g->name, sizeof g->name, "%s", title_of(rec));
    snprintf(g->measures, sizeof g->measures, "%s", kinds);
    const char *url = json_string_value(json_object_get(rec, "url"));
    snprintf(g->url, sizeof g->url, "%s", url ? url : "");
    snprintf(g->source, sizeof g->source, "portal funding record #%lld", (long long)c.v[i].id);
    g->record_id = c.v[i].id;
  next:
    json_decref(rec);
  }
  for (size_t i = 0; i < c.n; i++) free(c.v[i].codes);
  free(c.v);
  if (rc || !np) {
    free(p);
    p = NULL, np = 0;
  }
  if (rc) *nrecords = 0;
  *out = p, *n = np;
  return rc;
}
