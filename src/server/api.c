/* api.c — the REST API under /api/v1: records, documents, labels review, search, compare, classify, taxonomy. */
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"
#include "sv4/ingest.h"
#include "sv4/limits.h"

static int64_t path_id(sv4_req *req, int i, sv4_resp *resp) {
  const char *s = req->path_args[i];
  char *end;
  long long v = s ? strtoll(s, &end, 10) : 0;
  if (!s || *end || v <= 0) {
    sv4__resp_error(resp, SV4_ERR_NOTFOUND, "'%s' is not a record id", s ? s : "");
    return 0;
  }
  return (int64_t)v;
}

static void store_error(sv4_resp *resp, const sv4_error *e) { sv4__resp_error(resp, e->rc, "%s", e->msg); }

/* The record id of path argument i when the user may see that record; else writes the 404 and returns 0 (a draft
 * of someone else is "not found", like a record that does not exist). */
static int64_t visible_id(sv4_req *req, int i, sv4_resp *resp) {
  int64_t id = path_id(req, i, resp);
  if (id && !sv4__record_visible(req, id)) {
    sv4__resp_error(resp, SV4_ERR_NOTFOUND, "record %lld not found", (long long)id);
    return 0;
  }
  return id;
}

void sv4__api_health(sv4_req *req, sv4_resp *resp) {
  sv4_app *app = req->app;
  int64_t n = 0;
  sv4_error e;
  int db_ok = app->ops->record_count(app->store, &n, &e) == SV4_OK;
  json_t *body = json_pack("{s:s,s:s,s:I,s:b,s:s?}", "status", db_ok ? "ok" : "degraded", "store", app->ops->name,
                           "records", (json_int_t)n, "classifier", app->classifier != NULL, "rules",
                           app->classifier ? sv4_classifier_version(app->classifier) : NULL);
  sv4__resp_json(resp, db_ok ? 200 : 503, body);
}

void sv4__api_openapi(sv4_req *req, sv4_resp *resp) {
  if (!req->app->openapi) {
    sv4__resp_error(resp, SV4_ERR_NOTFOUND, "data/web/openapi.json is missing");
    return;
  }
  sv4__resp_json(resp, 200, json_incref(req->app->openapi));
}

void sv4__api_taxonomy(sv4_req *req, sv4_resp *resp) {
  const sv4_taxonomy *t = req->app->taxonomy;
  json_t *out = json_object();
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) {
    const sv4_concept *const *list = NULL;
    size_t n = sv4_taxonomy_list(t, (sv4_scheme)s, &list);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
      json_t *titles = json_object();
      for (int l = 1; l < SV4_LANG_COUNT; l++)
        if (list[i]->title[l]) json_object_set_new(titles, sv4_lang_code((sv4_lang)l), json_string(list[i]->title[l]));
      json_array_append_new(a, json_pack("{s:s,s:s?,s:s?,s:o}", "code", list[i]->code, "parent", list[i]->parent,
                                         "color", list[i]->color, "title", titles));
    }
    json_object_set_new(out, sv4_scheme_name((sv4_scheme)s),
                        json_pack("{s:s?,s:o}", "version", sv4_taxonomy_version(t, (sv4_scheme)s), "concepts", a));
  }
  sv4__resp_json(resp, 200, out);
}

/* Publishing is for reviewers and admins; contributors keep drafts: what they create is a draft unless it says
 * otherwise, and they may neither set "published": true nor drop the flag (a record without it is published). */
static int publish_allowed(sv4_req *req, sv4_resp *resp, json_t *rec, int create) {
  json_t *p = json_object_get(rec, "published");
  if (req->user.role >= SV4_ROLE_REVIEWER) return 1;
  if (p && !json_is_false(p)) { /* true, or null (removing the flag publishes) */
    sv4__resp_error(resp, SV4_ERR_FORBIDDEN, "publishing a record needs the reviewer role");
    return 0;
  }
  if (create && !p) json_object_set_new(rec, "published", json_false());
  return 1;
}

void sv4__api_record_create(sv4_req *req, sv4_resp *resp) {
  if (!sv4__require(req, resp, SV4_ROLE_CONTRIBUTOR)) return;
  sv4_app *app = req->app;
  json_t *rec = sv4__req_json(req, resp);
  if (!rec) return;
  sv4_error e;
  int64_t id = 0;
  if (!publish_allowed(req, resp, rec, 1)) goto done;
  if (app->ops->begin(app->store, &e)) {
    store_error(resp, &e);
    goto done;
  }
  sv4_rc rc = app->ops->record_create(app->store, rec, req->user.name, json_string_value(json_object_get(rec, "why")), &id, &e);
  if (!rc && app->classifier) rc = sv4__app_classify_record(app, id, NULL, 0, &e);
  if (rc) {
    app->ops->rollback(app->store);
    store_error(resp, &e);
    goto done;
  }
  if ((rc = app->ops->commit(app->store, &e))) {
    store_error(resp, &e);
    goto done;
  }
  sv4_search_index_refresh(app->index, app->store, id, NULL);
  json_t *out = NULL;
  app->ops->record_get(app->store, id, &out, &e);
  sv4__resp_header(resp, "Location", sv4_arena_printf(req->arena, "/api/v1/records/%lld", (long long)id));
  sv4__resp_json(resp, 201, out);
done:
  json_decref(rec);
}

void sv4__api_record_get(sv4_req *req, sv4_resp *resp) {
  int64_t id = visible_id(req, 0, resp);
  if (!id) return;
  sv4_app *app = req->app;
  sv4_error e;
  json_t *rec = NULL, *x = NULL;
  if (app->ops->record_get(app->store, id, &rec, &e)) {
    store_error(resp, &e);
    return;
  }
  if (!app->ops->labels_get(app->store, id, &x, &e)) json_object_set_new(rec, "labels", x);
  if (!app->ops->objectives_get(app->store, id, &x, &e)) json_object_set_new(rec, "objectives", x);
  if (!app->ops->documents_list(app->store, id, &x, &e)) json_object_set_new(rec, "documents", x);
  if (!app->ops->revisions(app->store, id, &x, &e)) json_object_set_new(rec, "revisions", x);
  sv4__resp_json(resp, 200, rec);
}

void sv4__api_record_update(sv4_req *req, sv4_resp *resp) {
  if (!sv4__require(req, resp, SV4_ROLE_CONTRIBUTOR)) return;
  int64_t id = visible_id(req, 0, resp);
  if (!id) return;
  sv4_app *app = req->app;
  json_t *patch = sv4__req_json(req, resp);
  if (!patch) return;
  sv4_error e;
  if (!publish_allowed(req, resp, patch, 0)) goto done;
  const char *why = json_string_value(json_object_get(patch, "why"));
  char *why_copy = why ? sv4_arena_strdup(req->arena, why) : NULL;
  json_object_del(patch, "why");
  if (app->ops->begin(app->store, &e)) {
    store_error(resp, &e);
    goto done;
  }
  sv4_rc rc = app->ops->record_update(app->store, id, patch, req->user.name, why_copy, &e);
  if (!rc && app->classifier) rc = sv4__app_classify_record(app, id, NULL, 0, &e);
  if (rc) {
    app->ops->rollback(app->store);
    store_error(resp, &e);
    goto done;
  }
  if (app->ops->commit(app->store, &e)) {
    store_error(resp, &e);
    goto done;
  }
  sv4_search_index_refresh(app->index, app->store, id, NULL);
  json_t *out = NULL;
  app->ops->record_get(app->store, id, &out, &e);
  sv4__resp_json(resp, 200, out);
done:
  json_decref(patch);
}

void sv4__api_record_delete(sv4_req *req, sv4_resp *resp) {
  if (!sv4__require(req, resp, SV4_ROLE_REVIEWER)) return;
  int64_t id = path_id(req, 0, resp);
  if (!id) return;
  sv4_error e;
  if (req->app->ops->record_delete(req->app->store, id, req->user.name, &e)) {
    store_error(resp, &e);
    return;
  }
  sv4_search_index_refresh(req->app->index, req->app->store, id, NULL);
  resp->status = 204;
}

void sv4__api_document_upload(sv4_req *req, sv4_resp *resp) {
  if (!sv4__require(req, resp, SV4_ROLE_CONTRIBUTOR)) return;
  int64_t id = visible_id(req, 0, resp);
  if (!id) return;
  sv4_app *app = req->app;
  sv4_part *parts = NULL;
  size_t nparts = 0;
  sv4_error e;
  if (sv4__parse_multipart(req->arena, req->content_type, req->body, req->body_len, &parts, &nparts, &e)) {
    store_error(resp, &e);
    return;
  }
  const sv4_part *file = NULL;
  const char *csrf = NULL;
  for (size_t i = 0; i < nparts; i++) {
    if (!strcmp(parts[i].name, "file")) file = &parts[i];
    if (!strcmp(parts[i].name, "csrf")) csrf = sv4_arena_strndup(req->arena, parts[i].data, parts[i].len);
  }
  if (csrf && !sv4__csrf_ok(req, resp, csrf)) return;
  if (!file) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "the upload needs a part named 'file'");
    return;
  }
  if (file->len > SV4_MAX_UPLOAD_BYTES) {
    sv4__resp_error(resp, SV4_ERR_LIMIT, "the file is larger than %u bytes", SV4_MAX_UPLOAD_BYTES);
    return;
  }
  const char *fname = file->filename && *file->filename ? file->filename : "upload";
  sv4_document *doc = NULL;
  if (sv4_ingest_memory(file->data, file->len, fname, &doc, &e)) {
    store_error(resp, &e);
    return;
  }
  int64_t doc_id = 0;
  sv4_rc rc = app->ops->begin(app->store, &e);
  if (!rc)
    rc = app->ops->document_add(app->store, id, fname, sv4_format_mime(doc->format), file->data, file->len, doc->text,
                                doc->len, &doc_id, &e);
  if (!rc && app->classifier) rc = sv4__app_classify_record(app, id, doc->text, doc->len, &e);
  if (rc) {
    app->ops->rollback(app->store);
  } else {
    rc = app->ops->commit(app->store, &e);
  }
  if (rc) {
    sv4_document_free(doc);
    store_error(resp, &e);
    return;
  }
  sv4_search_index_refresh(app->index, app->store, id, NULL);
  json_t *labels = NULL, *objectives = NULL;
  app->ops->labels_get(app->store, id, &labels, NULL);
  app->ops->objectives_get(app->store, id, &objectives, NULL);
  sv4__resp_json(resp, 201,
                 json_pack("{s:I,s:s,s:s,s:I,s:o?,s:o?}", "document", (json_int_t)doc_id, "filename", fname, "format",
                           sv4_format_name(doc->format), "text_bytes", (json_int_t)doc->len, "labels", labels,
                           "objectives", objectives));
  sv4_document_free(doc);
}

/* A record's document: the record must be visible to the user and the document must be one of its own. */
void sv4__api_document_get(sv4_req *req, sv4_resp *resp) {
  int64_t rid = visible_id(req, 0, resp), id = rid ? path_id(req, 1, resp) : 0;
  if (!id) return;
  char *fn = NULL, *mime = NULL;
  void *data = NULL;
  size_t len = 0;
  sv4_error e;
  json_t *docs = NULL, *d;
  size_t i;
  int mine = 0;
  if (!req->app->ops->documents_list(req->app->store, rid, &docs, NULL))
    json_array_foreach(docs, i, d) mine |= json_integer_value(json_object_get(d, "id")) == id;
  json_decref(docs);
  if (!mine) {
    sv4__resp_error(resp, SV4_ERR_NOTFOUND, "record %lld has no document %lld", (long long)rid, (long long)id);
    return;
  }
  if (req->app->ops->document_get(req->app->store, id, &fn, &mime, &data, &len, &e)) {
    store_error(resp, &e);
    return;
  }
  resp->status = 200;
  resp->content_type = sv4_arena_strdup(req->arena, mime);
  sv4_buf_append(&resp->body, data, len);
  sv4_buf b;
  sv4_buf_init(&b, 0);
  sv4__url_encode(&b, fn);
  sv4__resp_header(resp, "Content-Disposition",
                   sv4_arena_printf(req->arena, "attachment; filename*=UTF-8''%s", b.data ? b.data : "document"));
  sv4_buf_free(&b);
  free(fn);
  free(mime);
  free(data);
}

void sv4__api_labels_review(sv4_req *req, sv4_resp *resp) {
  if (!sv4__require(req, resp, SV4_ROLE_REVIEWER)) return;
  int64_t id = visible_id(req, 0, resp);
  if (!id) return;
  json_t *body = sv4__req_json(req, resp);
  if (!body) return;
  const char *scheme = json_string_value(json_object_get(body, "scheme"));
  const char *code = json_string_value(json_object_get(body, "code"));
  const char *action = json_string_value(json_object_get(body, "action"));
  const char *why = json_string_value(json_object_get(body, "reason"));
  sv4_error e;
  const sv4_taxonomy *t = req->app->taxonomy;
  int sc = scheme ? sv4_scheme_from_name(scheme) : -1;
  if (sc < 0 || !code || !action) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "need scheme (sdg|egd|taxonomy|smartcity), code and action");
  } else if (!sv4_taxonomy_find(t, (sv4_scheme)sc, code)) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "'%s' is not a %s code", code, scheme);
  } else if (req->app->ops->label_review(req->app->store, id, scheme, code, action, req->user.name, why, &e)) {
    store_error(resp, &e);
  } else {
    sv4_search_index_refresh(req->app->index, req->app->store, id, NULL);
    json_t *labels = NULL;
    req->app->ops->labels_get(req->app->store, id, &labels, NULL);
    sv4__resp_json(resp, 200, json_pack("{s:o?}", "labels", labels));
  }
  json_decref(body);
}

void sv4__api_funding(sv4_req *req, sv4_resp *resp) {
  int64_t id = visible_id(req, 0, resp);
  if (!id) return;
  sv4_error e;
  json_t *m = sv4__funding_matches(req->app, id, &e);
  if (!m) {
    store_error(resp, &e);
    return;
  }
  sv4__resp_json(resp, 200, json_pack("{s:o}", "matches", m));
}

void sv4__api_records_list(sv4_req *req, sv4_resp *resp) { sv4__api_search(req, resp); }

/* Appends v in decimal. */
static void put_uint(sv4_buf *b, size_t v) {
  char tmp[24];
  size_t n = sizeof tmp;
  do {
    tmp[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  sv4_buf_append(b, tmp + n, sizeof tmp - n);
}

/* Appends a string literal. */
#define PUT_LIT(b, lit) sv4_buf_append((b), (lit), sizeof(lit) - 1)

/* 1 for the bytes JSON strings escape: control characters, '"' and '\\'. */
static int json_special(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/* sv4_buf_json_escape, with the long runs that need no escape (a snippet is mostly such a run) found eight bytes
 * at a time and copied whole; each byte that does need one goes to sv4_buf_json_escape. */
static void json_escape_runs(sv4_buf *b, const char *s, size_t n) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  size_t run = 0, i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t x;
      memcpy(&x, s + i, sizeof x);
      /* hit is 0 only when none of the 8 bytes is below 0x20, '"' or '\\' (it may flag other bytes after such a
       * byte: the byte-wise test below decides) */
      uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');
      uint64_t hit = ((x - ones * 0x20) | (q - ones) | (bs - ones)) & ~x & highs;
      if (!hit) {
        i += 8;
        continue;
      }
    }
    if (json_special((unsigned char)s[i])) {
      sv4_buf_append(b, s + run, i - run);
      sv4_buf_json_escape(b, s + i, 1);
      run = i + 1;
    }
    i++;
  }
  sv4_buf_append(b, s + run, n - run);
}

/* Writes the response text straight into the body: cached briefs (sv4_search_brief_*) and snippets, and the
 * facets as text, so a search touches the store only for what is not cached yet. */
void sv4__api_search(sv4_req *req, sv4_resp *resp) {
  sv4_search_query q;
  if (!sv4__search_query_from_req(req, resp, &q)) return;
  q.facets_text = 1;
  sv4_app *app = req->app;
  sv4_search_result *r = NULL;
  sv4_error e;
  if (sv4_search(app->index, app->store, &q, &r, &e)) {
    store_error(resp, &e);
    return;
  }
  char *fts = sv4_search_fts_query(q.text);
  sv4_buf *b = &resp->body;
  sv4_buf_reset(b);
  sv4_buf_puts(b, "{\"total\":");
  put_uint(b, r->total);
  sv4_buf_puts(b, ",\"page\":");
  put_uint(b, q.offset / q.limit + 1);
  sv4_buf_puts(b, ",\"per_page\":");
  put_uint(b, q.limit);
  sv4_buf_puts(b, ",\"results\":[");
  int first = 1;
  for (size_t i = 0; i < r->nhits; i++) {
    const sv4_search_hit *h = &r->hits[i];
    uint32_t gen = 0;
    size_t at = b->len;
    if (!first) sv4_buf_putc(b, ',');
    size_t start = b->len;
    if (!sv4_search_brief_append(app->index, h->id, b, &gen)) {
      json_t *brief = sv4__record_brief(req, h->id);
      char *text = brief ? json_dumps(brief, JSON_COMPACT) : NULL;
      json_decref(brief);
      if (text) {
        sv4_search_brief_put(app->index, h->id, gen, text);
        sv4_buf_puts(b, text);
        free(text);
      }
    }
    if (b->len - start < 2 || b->data[b->len - 1] != '}') { /* no brief: the record went away meanwhile */
      b->len = at;
      b->data[at] = '\0';
      continue;
    }
    b->data[--b->len] = '\0'; /* reopen the object for the search's own members */
    first = 0;
    if (fts && *fts && h->text_match) {
      char *snip = NULL;
      if (!sv4_search_snippet(app->index, app->store, h->id, fts, &snip, NULL) && snip) {
        PUT_LIT(b, ",\"snippet\":\"");
        json_escape_runs(b, snip, strlen(snip));
        sv4_buf_putc(b, '"');
      }
      free(snip);
    }
    if (h->rank == 0) {
      PUT_LIT(b, ",\"rank\":0.0");
    } else {
      char num[40];
      if (!sv4__fmt_g17(h->rank, num)) snprintf(num, sizeof num, "%.17g", h->rank);
      if (!strpbrk(num, ".eEn")) strcat(num, ".0");
      sv4_buf_puts(b, ",\"rank\":");
      sv4_buf_puts(b, num);
    }
    if (h->text_match)
      PUT_LIT(b, ",\"matched_by\":\"text\"}");
    else
      PUT_LIT(b, ",\"matched_by\":\"classification\"}");
  }
  free(fts);
  sv4_buf_puts(b, "],\"facets\":");
  sv4_buf_append(b, r->facets_text, r->facets_text_len);
  /* the same query as an Atom feed: everything after '?' of this URL, minus paging */
  sv4_buf_puts(b, ",\"feed\":\"/api/v1/search.atom");
  first = 1;
  for (size_t i = 0; i < req->nquery; i++) {
    if (!strcmp(req->query[i].key, "page") || !strcmp(req->query[i].key, "per_page")) continue;
    sv4_buf_putc(b, first ? '?' : '&');
    first = 0;
    sv4__url_encode(b, req->query[i].key); /* percent-encoded: nothing in it needs JSON escaping */
    sv4_buf_putc(b, '=');
    sv4__url_encode(b, req->query[i].value);
  }
  sv4_buf_putc(b, '"');
  if (q.also_codes && *q.also_codes) {
    sv4_buf_puts(b, ",\"also_codes\":\"");
    sv4_buf_json_escape(b, q.also_codes, strlen(q.also_codes));
    sv4_buf_putc(b, '"');
  }
  sv4_buf_putc(b, '}');
  sv4_search_result_free(r);
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
}

void sv4__api_compare(sv4_req *req, sv4_resp *resp) {
  const char *ids[SV4_MAX_COMPARE_RECORDS + 1];
  size_t n = sv4__req_params(req, "ids", ids, SV4_MAX_COMPARE_RECORDS + 1);
  if (n == 0) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "give record ids: ?ids=1,2,3");
    return;
  }
  if (n > SV4_MAX_COMPARE_RECORDS) {
    sv4__resp_error(resp, SV4_ERR_LIMIT, "at most %u records can be compared", SV4_MAX_COMPARE_RECORDS);
    return;
  }
  sv4_app *app = req->app;
  json_t *records = json_array(), *goals = json_array();
  double score[SV4_MAX_COMPARE_RECORDS][17] = {{0}};
  for (size_t i = 0; i < n; i++) {
    char *end;
    long long id = strtoll(ids[i], &end, 10);
    json_t *b = *end || id <= 0 ? NULL : sv4__record_brief(req, id);
    if (!b) {
      json_decref(records);
      json_decref(goals);
      sv4__resp_error(resp, SV4_ERR_NOTFOUND, "record '%s' not found", ids[i]);
      return;
    }
    json_array_append_new(records, b);
    json_t *labels = NULL;
    if (!app->ops->labels_get(app->store, id, &labels, NULL)) {
      size_t k;
      json_t *l;
      json_array_foreach(labels, k, l) {
        const char *state = json_string_value(json_object_get(l, "state"));
        if (strcmp(json_string_value(json_object_get(l, "scheme")), "sdg") || !strcmp(state, "rejected")) continue;
        int g = atoi(json_string_value(json_object_get(l, "code")));
        if (g >= 1 && g <= 17) score[i][g - 1] = json_number_value(json_object_get(l, "score"));
      }
      json_decref(labels);
    }
  }
  json_t *common = json_array();
  for (int g = 0; g < 17; g++) {
    json_t *row = json_array(), *gaps = json_array();
    int any = 0;
    for (size_t i = 0; i < n; i++) {
      json_array_append_new(row, json_real(score[i][g]));
      if (score[i][g] > 0)
        any = 1;
      else
        json_array_append(gaps, json_object_get(json_array_get(records, i), "id"));
    }
    if (!any) json_array_append_new(common, json_integer(g + 1));
    json_array_append_new(goals, json_pack("{s:i,s:o,s:o}", "goal", g + 1, "scores", row, "gaps", gaps));
  }
  sv4__resp_json(resp, 200, json_pack("{s:o,s:o,s:o}", "records", records, "goals", goals, "common_gaps", common));
}

void sv4__api_classify(sv4_req *req, sv4_resp *resp) {
  sv4_app *app = req->app;
  sv4_error e;
  const char *text = NULL, *lang = NULL;
  size_t len = 0;
  sv4_document *doc = NULL;
  json_t *body = NULL;
  if (req->content_type && !strncmp(req->content_type, "multipart/form-data", 19)) {
    sv4_part *parts;
    size_t n;
    if (sv4__parse_multipart(req->arena, req->content_type, req->body, req->body_len, &parts, &n, &e)) {
      store_error(resp, &e);
      return;
    }
    for (size_t i = 0; i < n; i++) {
      if (!strcmp(parts[i].name, "lang")) lang = sv4_arena_strndup(req->arena, parts[i].data, parts[i].len);
      if (!strcmp(parts[i].name, "text") && parts[i].len) {
        text = parts[i].data;
        len = parts[i].len;
      }
      if (!strcmp(parts[i].name, "file") && parts[i].len) {
        if (sv4_ingest_memory(parts[i].data, parts[i].len, parts[i].filename, &doc, &e)) {
          store_error(resp, &e);
          return;
        }
        text = doc->text;
        len = doc->len;
      }
    }
  } else {
    body = sv4__req_json(req, resp);
    if (!body) return;
    json_t *t = json_object_get(body, "text");
    text = json_string_value(t);
    len = json_string_length(t);
    lang = json_string_value(json_object_get(body, "lang"));
  }
  if (!text) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "send {\"text\": \"...\"} or a multipart 'file' or 'text' field");
  } else if (lang && *lang && strcmp(lang, "auto") && sv4_lang_from_code(lang) == SV4_LANG_UNKNOWN) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "lang must be auto, en, pl, cs, sk or hu");
  } else {
    json_t *p = sv4__app_profile(app, text, len, lang && strcmp(lang, "auto") ? lang : NULL, &e);
    if (!p) {
      store_error(resp, &e);
    } else {
      sv4_objectives *obj = NULL;
      if (!sv4_smart_find(text, len, SV4_LANG_UNKNOWN, &obj, NULL)) {
        sv4_buf b;
        sv4_buf_init(&b, 0);
        if (!sv4_objectives_to_json(obj, &b)) json_object_set_new(p, "objectives", json_loadb(b.data, b.len, 0, NULL));
        sv4_buf_free(&b);
        sv4_objectives_free(obj);
      }
      sv4__resp_json(resp, 200, p);
    }
  }
  json_decref(body);
  sv4_document_free(doc);
}
