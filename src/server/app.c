/* app.c — the application context: opening the store, loading the classifier and catalogues, building the search
 * index, importing the demo records, and classifying records (the one procedure for every record). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server/internal.h"
#include "sv4/limits.h"

static void worker_free(void *w) { sv4_worker_free(w); }

sv4_worker *sv4__app_worker(sv4_app *app) {
  if (!app->classifier) return NULL;
  sv4_worker *w = pthread_getspecific(app->worker_key);
  if (!w) {
    if (sv4_worker_new(app->classifier, &w, NULL)) return NULL;
    pthread_setspecific(app->worker_key, w);
  }
  return w;
}

static json_t *load_json_file(const char *rel) {
  char *path = sv4_data_path(rel);
  json_t *v = path ? json_load_file(path, 0, NULL) : NULL;
  free(path);
  return v;
}

static void load_i18n(sv4_app *app) {
  static const char *const langs[] = {"en", "pl", "cs", "sk", "hu"};
  app->i18n = json_object();
  for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
    char rel[64];
    snprintf(rel, sizeof rel, "i18n/%s.json", langs[i]);
    json_t *cat = load_json_file(rel);
    if (cat) json_object_set_new(app->i18n, langs[i], cat);
  }
}

static int mkdir_parent(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash || slash == dir) return 0;
  *slash = '\0';
  for (char *p = dir + 1; *p; p++) {
    if (*p == '/') {
      *p = '\0';
      mkdir(dir, 0755);
      *p = '/';
    }
  }
  return mkdir(dir, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

sv4_rc sv4__app_open(sv4_app *app, const sv4_server_opts *o, sv4_error *err) {
  sv4_rc rc;
  memset(app, 0, sizeof *app);
  app->quiet = o->quiet;
  pthread_mutex_init(&app->rate_mu, NULL);
  pthread_key_create(&app->worker_key, worker_free);
  const char *db = o->db && *o->db ? o->db : "var/smartv4.db";
  app->ops = sv4_store_backend_for(db);
  if (app->ops == &sv4_store_sqlite) mkdir_parent(db);
  if ((rc = app->ops->open(db, &app->store, err))) goto fail;
  sv4_error cerr;
  sv4_classifier_opts copts = {0};
  if (sv4_classifier_load(&copts, &app->classifier, &cerr)) {
    snprintf(app->classifier_error, sizeof app->classifier_error, "%.200s", cerr.msg);
    app->classifier = NULL;
  }
  if ((rc = sv4_taxonomy_load(NULL, &app->taxonomy, err))) goto fail;
  load_i18n(app);
  app->openapi = load_json_file("web/openapi.json");
  if (o->demo) {
    int64_t n = 0;
    if ((rc = app->ops->record_count(app->store, &n, err))) goto fail;
    if (n == 0 && (rc = sv4__app_import_demo(app, err))) goto fail;
  }
  if ((rc = sv4_search_index_build(app->store, &app->index, err))) goto fail;
  return SV4_OK;
fail:
  sv4__app_close(app);
  return rc;
}

void sv4__app_close(sv4_app *app) {
  sv4_search_index_free(app->index);
  if (app->store) app->ops->close(app->store);
  sv4_worker *w = pthread_getspecific(app->worker_key);
  if (w) {
    sv4_worker_free(w);
    pthread_setspecific(app->worker_key, NULL);
  }
  pthread_key_delete(app->worker_key);
  sv4_classifier_free(app->classifier);
  sv4_taxonomy_free(app->taxonomy);
  json_decref(app->i18n);
  json_decref(app->openapi);
  pthread_mutex_destroy(&app->rate_mu);
  memset(app, 0, sizeof *app);
}

/* Adds result labels to `merged` (by scheme:code: max score, union of targets, evidence tagged with `field`). */
static void merge_labels(json_t *merged, json_t *labels, const char *field) {
  size_t i;
  json_t *l;
  json_array_foreach(labels, i, l) {
    const char *scheme = json_string_value(json_object_get(l, "scheme"));
    const char *code = json_string_value(json_object_get(l, "code"));
    if (!scheme || !code) continue;
    char key[64];
    snprintf(key, sizeof key, "%s:%s", scheme, code);
    json_t *m = json_object_get(merged, key);
    json_t *ev = json_object_get(l, "evidence");
    size_t j;
    json_t *e;
    json_array_foreach(ev, j, e) json_object_set_new(e, "field", json_string(field));
    if (!m) {
      json_object_set(merged, key, l);
      continue;
    }
    double s = json_number_value(json_object_get(l, "score"));
    if (s > json_number_value(json_object_get(m, "score"))) json_object_set_new(m, "score", json_real(s));
    json_t *mt = json_object_get(m, "targets");
    json_t *t;
    json_array_foreach(json_object_get(l, "targets"), j, t) {
      int have = 0;
      size_t q;
      json_t *x;
      json_array_foreach(mt, q, x) have |= json_equal(x, t);
      if (!have && mt) json_array_append(mt, t);
    }
    json_t *mev = json_object_get(m, "evidence");
    json_array_foreach(ev, j, e) if (mev && json_array_size(mev) < SV4_MAX_EVIDENCE_PER_LABEL) json_array_append(mev, e);
  }
}

json_t *sv4__app_profile(sv4_app *app, const char *text, size_t len, const char *lang, sv4_error *err) {
  sv4_worker *w = sv4__app_worker(app);
  if (!w) {
    sv4_error_set(err, SV4_ERR_UNSUPPORTED, "the classifier is not available: %s", app->classifier_error);
    return NULL;
  }
  sv4_classify_opts co = {.schemes = 0, .lang = lang ? sv4_lang_from_code(lang) : SV4_LANG_UNKNOWN, .evidence = 1};
  sv4_result *r = NULL;
  if (sv4_classify(w, text, len, &co, &r, err)) return NULL;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  json_t *out = NULL;
  if (!sv4_result_to_json(r, NULL, 0, 1, &b)) out = json_loadb(b.data, b.len, 0, NULL);
  sv4_buf_free(&b);
  sv4_result_free(r);
  if (!out) sv4_error_set(err, SV4_ERR_INTERNAL, "cannot encode the classification");
  return out;
}

const char *sv4__app_query_codes(sv4_app *app, sv4_arena *a, const char *text) {
  static const char *const langs[] = {"en", "pl", "cs", "sk", "hu"};
  sv4_worker *w = sv4__app_worker(app);
  if (!w || !text || !*text || strlen(text) > SV4_MAX_QUERY_BYTES) return "";
  sv4_buf b;
  sv4_buf_init(&b, 4096);
  for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
    sv4_classify_opts co = {.schemes = 0, .lang = sv4_lang_from_code(langs[i]), .evidence = 0};
    sv4_result *r = NULL;
    if (sv4_classify(w, text, strlen(text), &co, &r, NULL)) continue;
    for (size_t j = 0; j < r->nlabels; j++) {
      const sv4_label *l = &r->labels[j];
      sv4_buf_printf(&b, "%s%s:%s", b.len ? " " : "", sv4_scheme_name(l->scheme), l->code);
      for (size_t t = 0; t < l->ntargets; t++) sv4_buf_printf(&b, " %s:%s", sv4_scheme_name(l->scheme), l->targets[t]);
    }
    sv4_result_free(r);
  }
  const char *out = sv4_arena_strndup(a, b.data ? b.data : "", b.len);
  sv4_buf_free(&b);
  return out;
}

json_t *sv4__record_texts(json_t *rec) {
  static const char *const fields[] = {"title", "summary", "problem", "solution", "results", "transferability",
                                       "description"};
  json_t *out = json_object();
  const char *own = json_string_value(json_object_get(rec, "lang"));
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
    json_t *v = json_object_get(rec, fields[i]);
    const char *k;
    json_t *x;
    if (json_is_string(v) && own) {
      json_t *cur = json_object_get(out, own);
      json_object_set_new(out, own, json_sprintf("%s%s\n\n", cur ? json_string_value(cur) : "", json_string_value(v)));
    }
    json_object_foreach(v, k, x) {
      if (!json_is_string(x)) continue;
      json_t *cur = json_object_get(out, k);
      json_object_set_new(out, k, json_sprintf("%s%s\n\n", cur ? json_string_value(cur) : "", json_string_value(x)));
    }
  }
  return out;
}

sv4_rc sv4__app_classify_record(sv4_app *app, int64_t id, const char *text, size_t len, sv4_error *err) {
  json_t *rec = NULL, *merged = json_object(), *labels = json_array(), *objectives = json_array();
  json_t *texts = NULL;
  sv4_rc rc = app->ops->record_get(app->store, id, &rec, err);
  if (rc) goto done;
  if (!app->classifier) {
    rc = sv4_error_set(err, SV4_ERR_UNSUPPORTED, "the classifier is not available: %s", app->classifier_error);
    goto done;
  }
  texts = sv4__record_texts(rec);
  const char *k;
  json_t *v;
  json_object_foreach(texts, k, v) {
    json_t *p = sv4__app_profile(app, json_string_value(v), json_string_length(v), k, err);
    if (!p) {
      rc = err ? err->rc : SV4_ERR_INTERNAL;
      goto done;
    }
    char field[32];
    snprintf(field, sizeof field, "record.%s", k);
    merge_labels(merged, json_object_get(p, "labels"), field);
    json_decref(p);
  }
  if (text && len) {
    json_t *p = sv4__app_profile(app, text, len, NULL, err);
    if (!p) {
      rc = err ? err->rc : SV4_ERR_INTERNAL;
      goto done;
    }
    merge_labels(merged, json_object_get(p, "labels"), "document");
    json_decref(p);
    sv4_objectives *obj = NULL;
    if (!sv4_smart_find(text, len, SV4_LANG_UNKNOWN, &obj, NULL)) {
      sv4_buf b;
      sv4_buf_init(&b, 0);
      if (!sv4_objectives_to_json(obj, &b)) {
        json_t *o = json_loadb(b.data, b.len, 0, NULL);
        if (json_is_array(o)) json_array_extend(objectives, o);
        else if (json_is_array(json_object_get(o, "objectives"))) json_array_extend(objectives, json_object_get(o, "objectives"));
        json_decref(o);
      }
      sv4_buf_free(&b);
      sv4_objectives_free(obj);
    }
  }
  json_object_foreach(merged, k, v) json_array_append(labels, v);
  rc = app->ops->labels_set_classifier(app->store, id, labels, sv4_classifier_version(app->classifier), err);
  if (!rc && text && len) rc = app->ops->objectives_set(app->store, id, objectives, err);
done:
  json_decref(rec);
  json_decref(texts);
  json_decref(merged);
  json_decref(labels);
  json_decref(objectives);
  return rc;
}

sv4_rc sv4__app_import_demo(sv4_app *app, sv4_error *err) {
  char *path = sv4_data_path("demo/records.jsonl");
  char *data = NULL;
  size_t len = 0;
  sv4_rc rc = path ? sv4_read_file(path, 64u << 20, &data, &len, err) : SV4_ERR_NOMEM;
  if (rc) goto done;
  if ((rc = app->ops->begin(app->store, err))) goto done;
  size_t line = 0;
  for (char *p = data; p && *p && !rc;) {
    char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    line++;
    if (n) {
      json_error_t je;
      json_t *rec = json_loadb(p, n, 0, &je);
      int64_t id = 0;
      if (!rec)
        rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: %s", path, line, je.text);
      else
        rc = app->ops->record_create(app->store, rec, "demo", "demo data", &id, err);
      if (!rc && app->classifier) rc = sv4__app_classify_record(app, id, NULL, 0, err);
      json_decref(rec);
    }
    p = nl ? nl + 1 : NULL;
  }
  if (rc)
    app->ops->rollback(app->store);
  else
    rc = app->ops->commit(app->store, err);
done:
  free(path);
  free(data);
  return rc;
}
