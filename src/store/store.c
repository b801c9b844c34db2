/* store.c — backend-independent parts of storage: names, backend choice, record validation and search text. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sv4/limits.h"
#include "store/internal.h"

static const char *const type_names[SV4_REC_TYPE_COUNT] = {"strategy", "practice", "project",
                                                           "method",   "funding",  "organisation"};
static const char *const role_names[] = {"viewer", "contributor", "reviewer", "admin"};

const char *sv4_record_type_name(sv4_record_type t) {
  return (int)t >= 0 && t < SV4_REC_TYPE_COUNT ? type_names[t] : "unknown";
}

int sv4_record_type_from_name(const char *name) {
  for (int i = 0; name && i < SV4_REC_TYPE_COUNT; i++)
    if (!strcmp(name, type_names[i])) return i;
  return -1;
}

const char *sv4_role_name(sv4_role r) { return (int)r >= 0 && r <= SV4_ROLE_ADMIN ? role_names[r] : "unknown"; }

int sv4_role_from_name(const char *name) {
  for (int i = 0; name && i <= SV4_ROLE_ADMIN; i++)
    if (!strcmp(name, role_names[i])) return i;
  return -1;
}

const sv4_store_ops *sv4_store_backend_for(const char *conninfo) {
#ifdef SV4_WITH_POSTGRES
  if (conninfo && (!strncmp(conninfo, "postgres://", 11) || !strncmp(conninfo, "postgresql://", 13) ||
                   strstr(conninfo, "dbname=") || strstr(conninfo, "host=")))
    return &sv4_store_postgres;
#endif
  (void)conninfo;
  return &sv4_store_sqlite;
}

int64_t sv4__now(void) {
  const char *env = getenv("SV4_NOW");
  if (env && *env) return strtoll(env, NULL, 10);
  return (int64_t)time(NULL);
}

void sv4__iso_time(int64_t t, char *buf) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *str_field(json_t *rec, const char *key) {
  json_t *v = json_object_get(rec, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static int year_of(const char *s) {
  if (!s) return 0;
  int y = atoi(s);
  return y >= 1900 && y <= 2200 ? y : 0;
}

static const char *const known_langs[] = {"en", "pl", "cs", "sk", "hu"};

static int lang_known(const char *l) {
  for (size_t i = 0; i < sizeof known_langs / sizeof *known_langs; i++)
    if (!strcmp(l, known_langs[i])) return 1;
  return 0;
}

/* A per-language text object {"en": "...", "pl": "..."}: keys known, values strings within limits. */
static sv4_rc check_i18n(json_t *rec, const char *key, int required, sv4_error *err) {
  json_t *o = json_object_get(rec, key);
  if (!o) return required ? sv4_error_set(err, SV4_ERR_USAGE, "field '%s' is required", key) : SV4_OK;
  if (json_is_string(o)) return SV4_OK; /* a plain string is accepted as the record's own language */
  if (!json_is_object(o)) return sv4_error_set(err, SV4_ERR_USAGE, "field '%s' must be an object of languages", key);
  const char *k;
  json_t *v;
  size_t n = 0;
  json_object_foreach(o, k, v) {
    if (!lang_known(k)) return sv4_error_set(err, SV4_ERR_USAGE, "field '%s': unknown language '%s'", key, k);
    if (!json_is_string(v)) return sv4_error_set(err, SV4_ERR_USAGE, "field '%s.%s' must be a string", key, k);
    if (json_string_length(v) > SV4_MAX_FIELD_BYTES)
      return sv4_error_set(err, SV4_ERR_LIMIT, "field '%s.%s' exceeds %u bytes", key, k, SV4_MAX_FIELD_BYTES);
    if (json_string_length(v)) n++;
  }
  if (required && !n) return sv4_error_set(err, SV4_ERR_USAGE, "field '%s' needs at least one language", key);
  return SV4_OK;
}

sv4_rc sv4__record_validate(json_t *rec, sv4__record_cols *c, sv4_error *err) {
  sv4_rc rc;
  memset(c, 0, sizeof *c);
  if (!json_is_object(rec)) return sv4_error_set(err, SV4_ERR_USAGE, "a record must be a JSON object");
  c->type = str_field(rec, "type");
  if (!c->type || sv4_record_type_from_name(c->type) < 0)
    return sv4_error_set(err, SV4_ERR_USAGE,
                         "field 'type' must be one of strategy, practice, project, method, funding, organisation");
  if ((rc = check_i18n(rec, "title", 1, err))) return rc;
  if ((rc = check_i18n(rec, "summary", 0, err))) return rc;
  c->slug = str_field(rec, "slug");
  c->lang = str_field(rec, "lang");
  if (c->lang && !lang_known(c->lang))
    return sv4_error_set(err, SV4_ERR_USAGE, "field 'lang' must be one of en, pl, cs, sk, hu");
  c->country = str_field(rec, "country");
  if (c->country && strlen(c->country) != 2)
    return sv4_error_set(err, SV4_ERR_USAGE, "field 'country' must be a two-letter code");
  c->nuts = str_field(rec, "nuts");
  if (c->nuts && strlen(c->nuts) > 5) return sv4_error_set(err, SV4_ERR_USAGE, "field 'nuts' is not a NUTS code");
  c->lau = str_field(rec, "lau");
  c->place = str_field(rec, "place");
  c->status = str_field(rec, "status");
  const char *period = str_field(rec, "period");
  if (period) {
    c->year_from = year_of(period);
    const char *dash = strchr(period, '-');
    c->year_to = dash ? year_of(dash + 1) : c->year_from;
  }
  if (!c->year_from) c->year_from = year_of(str_field(rec, "adopted"));
  if (!c->year_from) c->year_from = year_of(str_field(rec, "call_open"));
  if (!c->year_to) c->year_to = c->year_from;
  json_t *y = json_object_get(rec, "year");
  if (json_is_integer(y)) c->year_from = c->year_to = (int)json_integer_value(y);
  /* every string anywhere must stay within the field limit */
  const char *k;
  json_t *v;
  json_object_foreach(rec, k, v) {
    if (json_is_string(v) && json_string_length(v) > SV4_MAX_FIELD_BYTES)
      return sv4_error_set(err, SV4_ERR_LIMIT, "field '%s' exceeds %u bytes", k, SV4_MAX_FIELD_BYTES);
  }
  return SV4_OK;
}

static const char *const managed[] = {"id",        "created",   "updated",        "review", "owner", "labels",
                                      "objectives", "documents", "revisions", "funding_matches"};

json_t *sv4__record_doc(json_t *rec) {
  json_t *doc = json_deep_copy(rec);
  if (!doc) return NULL;
  for (size_t i = 0; i < sizeof managed / sizeof *managed; i++) json_object_del(doc, managed[i]);
  return doc;
}

static sv4_rc append_text(sv4_buf *b, json_t *v) {
  sv4_rc rc = SV4_OK;
  if (json_is_string(v)) {
    if (b->len) rc = sv4_buf_puts(b, " \n");
    if (!rc) rc = sv4_buf_append(b, json_string_value(v), json_string_length(v));
  } else if (json_is_object(v)) {
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) if (!rc) rc = append_text(b, x);
  } else if (json_is_array(v)) {
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (!rc) rc = append_text(b, x);
  }
  return rc;
}

static const char *const not_body[] = {"type", "slug",  "lang",    "country", "nuts",    "lau",     "title",
                                       "summary", "url", "adopted", "period", "status", "call_open", "call_close"};

sv4_rc sv4__record_fts_text(json_t *rec, sv4_buf *title, sv4_buf *summary, sv4_buf *body) {
  sv4_rc rc = append_text(title, json_object_get(rec, "title"));
  if (!rc) rc = append_text(summary, json_object_get(rec, "summary"));
  const char *k;
  json_t *v;
  json_object_foreach(rec, k, v) {
    int skip = 0;
    for (size_t i = 0; i < sizeof not_body / sizeof *not_body; i++) skip |= !strcmp(k, not_body[i]);
    for (size_t i = 0; i < sizeof managed / sizeof *managed; i++) skip |= !strcmp(k, managed[i]);
    if (!skip && !rc) rc = append_text(body, v);
  }
  return rc;
}

sv4_rc sv4__labels_codes(json_t *labels, sv4_buf *out) {
  size_t i;
  json_t *l;
  sv4_rc rc = SV4_OK;
  json_array_foreach(labels, i, l) {
    const char *state = json_string_value(json_object_get(l, "state"));
    if (state && !strcmp(state, "rejected")) continue;
    const char *scheme = json_string_value(json_object_get(l, "scheme"));
    const char *code = json_string_value(json_object_get(l, "code"));
    if (!scheme || !code) continue;
    rc = sv4_buf_printf(out, "%s%s:%s", out->len ? " " : "", scheme, code);
    json_t *targets = json_object_get(l, "targets");
    size_t j;
    json_t *t;
    json_array_foreach(targets, j, t) {
      if (!rc && json_is_string(t)) rc = sv4_buf_printf(out, " %s:%s", scheme, json_string_value(t));
    }
    if (rc) break;
  }
  return rc;
}

void sv4__record_apply_patch(json_t *rec, json_t *patch, json_t *changed) {
  const char *k;
  json_t *v;
  json_object_foreach(patch, k, v) {
    if (!strcmp(k, "id") || !strcmp(k, "created") || !strcmp(k, "updated") || !strcmp(k, "review") ||
        !strcmp(k, "owner"))
      continue;
    json_t *old = json_object_get(rec, k);
    if (json_is_null(v)) {
      if (old) {
        json_object_del(rec, k);
        json_array_append_new(changed, json_string(k));
      }
    } else if (!old || !json_equal(old, v)) {
      json_object_set(rec, k, v);
      json_array_append_new(changed, json_string(k));
    }
  }
}
