/* pages_work.c — "Classify a document" (paste text or upload a file, see the profile with evidence at once,
 * optionally save it as a new record) and the review queue (accept / reject / add labels). */
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"
#include "sv4/ingest.h"
#include "sv4/limits.h"

#define CLASSIFY_SHOW_TEXT_BYTES (64u * 1024u) /* how much of the classified text is shown with its evidence */

typedef struct classify_form {
  const char *csrf, *text, *lang, *title, *type, *country, *save;
  size_t text_len;
  const sv4_part *file;
} classify_form;

static const char *part_str(sv4_req *req, const sv4_part *p) { return sv4_arena_strndup(req->arena, p->data, p->len); }

static void select_option(sv4_buf *b, const char *value, const char *label, const char *current) {
  sv4_buf_puts(b, "<option value=\"");
  sv4__h(b, value);
  sv4_buf_printf(b, "\"%s>", current && !strcmp(current, value) ? " selected" : "");
  sv4__h(b, label);
  sv4_buf_puts(b, "</option>");
}

static void classify_form_html(sv4_req *req, sv4_resp *resp, const classify_form *f) {
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<form method=\"post\" action=\"/classify\" enctype=\"multipart/form-data\" class=\"classify\">");
  sv4__html_csrf(req, resp);
  sv4_buf_puts(b, "<div class=\"field\"><label for=\"text\">");
  sv4__ht(req, b, "classify.text");
  sv4_buf_puts(b, "</label><textarea id=\"text\" name=\"text\" rows=\"10\">");
  if (f && f->text && !f->file) sv4_buf_html_escape(b, f->text, f->text_len);
  sv4_buf_puts(b, "</textarea></div><div class=\"form-grid\"><div class=\"field\"><label for=\"file\">");
  sv4__ht(req, b, "classify.file");
  sv4_buf_puts(b, "</label><input type=\"file\" id=\"file\" name=\"file\" accept=\".pdf,.docx,.odt,.html,.htm,.txt\">"
                  "<div class=\"hint\">");
  sv4__ht(req, b, "classify.file_hint");
  sv4_buf_puts(b, " <span id=\"file-chosen\"></span></div></div><div class=\"field\"><label for=\"lang\">");
  sv4__ht(req, b, "classify.lang");
  sv4_buf_puts(b, "</label><select id=\"lang\" name=\"lang\">");
  select_option(b, "auto", sv4__t(req, "classify.lang_auto"), f ? f->lang : NULL);
  static const char *const langs[] = {"en", "pl", "cs", "sk", "hu"};
  for (int i = 0; i < 5; i++)
    select_option(b, langs[i], sv4__t(req, sv4_arena_printf(req->arena, "lang.%s", langs[i])), f ? f->lang : NULL);
  sv4_buf_puts(b, "</select></div></div>");
  if (req->user.name && req->user.role >= SV4_ROLE_CONTRIBUTOR) {
    sv4_buf_puts(b, "<fieldset class=\"panel save\"><legend>");
    sv4__ht(req, b, "classify.save_legend");
    sv4_buf_puts(b, "</legend><p><label><input type=\"checkbox\" name=\"save\" value=\"1\"> ");
    sv4__ht(req, b, "classify.save");
    sv4_buf_puts(b, "</label></p><div class=\"form-grid\"><div class=\"field\"><label for=\"title\">");
    sv4__ht(req, b, "classify.record_title");
    sv4_buf_puts(b, "</label><input type=\"text\" id=\"title\" name=\"title\" maxlength=\"300\" value=\"");
    sv4__h(b, f ? f->title : NULL);
    sv4_buf_puts(b, "\"></div><div class=\"field\"><label for=\"type\">");
    sv4__ht(req, b, "facet.type");
    sv4_buf_puts(b, "</label><select id=\"type\" name=\"type\">");
    for (int t = 0; t < SV4_REC_TYPE_COUNT; t++) {
      const char *name = sv4_record_type_name((sv4_record_type)t);
      select_option(b, name, sv4__t(req, sv4_arena_printf(req->arena, "type.%s", name)), f ? f->type : "practice");
    }
    sv4_buf_puts(b, "</select></div><div class=\"field\"><label for=\"country\">");
    sv4__ht(req, b, "facet.country");
    sv4_buf_puts(b, "</label><select id=\"country\" name=\"country\">");
    static const char *const countries[] = {"PL", "CZ", "SK", "HU", "EU"};
    for (int c = 0; c < 5; c++)
      select_option(b, countries[c], sv4__t(req, sv4_arena_printf(req->arena, "country.%s", countries[c])),
                    f ? f->country : NULL);
    sv4_buf_puts(b, "</select></div></div></fieldset>");
  } else {
    sv4_buf_puts(b, "<p class=\"note\">");
    sv4__ht(req, b, "classify.login_to_save");
    sv4_buf_puts(b, "</p>");
  }
  sv4_buf_puts(b, "<button type=\"submit\">");
  sv4__ht(req, b, "classify.button");
  sv4_buf_puts(b, "</button></form>");
}

/* Saves the classified text as a new record with its document, in one transaction; returns the id or 0. */
static int64_t save_record(sv4_req *req, const classify_form *f, const char *lang, const char *text, size_t len,
                           const sv4_document *doc, sv4_error *e) {
  sv4_app *app = req->app;
  const char *l = lang && *lang && strcmp(lang, "unknown") ? lang : "en";
  size_t cut = len > 600 ? 600 : len;
  while (cut < len && (text[cut] & 0xC0) == 0x80) cut++;
  const char *title = f->title && *f->title ? f->title : doc && doc->title ? doc->title : sv4__t(req, "classify.untitled");
  json_t *rec = json_pack("{s:s,s:s,s:s?,s:{s:s},s:{s:s%}}", "type", f->type && sv4_record_type_from_name(f->type) >= 0 ? f->type : "practice",
                          "lang", l, "country", f->country && *f->country ? f->country : NULL, "title", l, title,
                          "summary", l, text, cut);
  int64_t id = 0;
  if (!rec) {
    sv4_error_set(e, SV4_ERR_USAGE, "the text is not valid UTF-8");
    return 0;
  }
  if (req->user.role < SV4_ROLE_REVIEWER) json_object_set_new(rec, "published", json_false()); /* a draft */
  sv4_rc rc = app->ops->begin(app->store, e);
  if (!rc) rc = app->ops->record_create(app->store, rec, req->user.name, "classify page", &id, e);
  if (!rc) {
    const char *fname = f->file && f->file->filename && *f->file->filename ? f->file->filename : "pasted.txt";
    const void *data = f->file ? (const void *)f->file->data : text;
    size_t dlen = f->file ? f->file->len : len;
    int64_t doc_id = 0;
    rc = app->ops->document_add(app->store, id, fname, doc ? sv4_format_mime(doc->format) : "text/plain; charset=utf-8",
                                data, dlen, text, len, &doc_id, e);
  }
  if (!rc && app->classifier) rc = sv4__app_classify_record(app, id, text, len, e);
  if (rc) {
    app->ops->rollback(app->store);
    id = 0;
  } else if (app->ops->commit(app->store, e)) {
    id = 0;
  } else {
    sv4_search_index_refresh(app->index, app->store, id, NULL);
  }
  json_decref(rec);
  return id;
}

static void show_text_with_evidence(sv4_req *req, sv4_buf *b, const char *text, size_t len, json_t *labels) {
  typedef struct { size_t s, e; const char *rule; } sp;
  sp marks[512];
  size_t n = 0, i;
  json_t *l;
  json_array_foreach(labels, i, l) {
    size_t k;
    json_t *e;
    json_array_foreach(json_object_get(l, "evidence"), k, e) {
      if (n >= 512) break;
      marks[n++] = (sp){(size_t)json_integer_value(json_object_get(e, "start")),
                        (size_t)json_integer_value(json_object_get(e, "end")), json_string_value(json_object_get(e, "rule"))};
    }
  }
  for (size_t a = 1; a < n; a++) /* insertion sort by start: evidence lists are short */
    for (size_t c = a; c > 0 && marks[c].s < marks[c - 1].s; c--) {
      sp t = marks[c];
      marks[c] = marks[c - 1];
      marks[c - 1] = t;
    }
  size_t show = len > CLASSIFY_SHOW_TEXT_BYTES ? CLASSIFY_SHOW_TEXT_BYTES : len;
  while (show < len && (text[show] & 0xC0) == 0x80) show++;
  sv4_buf_printf(b, "<div class=\"text-evidence\" data-marks=\"%zu\">", n);
  size_t pos = 0;
  for (size_t m = 0; m < n; m++) {
    if (marks[m].s < pos || marks[m].e > show || marks[m].e <= marks[m].s) continue;
    if ((text[marks[m].s] & 0xC0) == 0x80 || (marks[m].e < len && (text[marks[m].e] & 0xC0) == 0x80)) continue;
    sv4_buf_html_escape(b, text + pos, marks[m].s - pos);
    sv4_buf_puts(b, "<mark title=\"");
    sv4__h(b, marks[m].rule);
    sv4_buf_puts(b, "\">");
    sv4_buf_html_escape(b, text + marks[m].s, marks[m].e - marks[m].s);
    sv4_buf_puts(b, "</mark>");
    pos = marks[m].e;
  }
  sv4_buf_html_escape(b, text + pos, show - pos);
  if (show < len) sv4_buf_puts(b, "\n…");
  sv4_buf_puts(b, "</div>");
  (void)req;
}

void sv4__page_classify(sv4_req *req, sv4_resp *resp) {
  sv4_app *app = req->app;
  if (strcmp(req->method, "POST")) {
    sv4__html_begin(req, resp, sv4__t(req, "classify.title"), NULL);
    sv4_buf_puts(&resp->body, "<h1>");
    sv4__ht(req, &resp->body, "classify.title");
    sv4_buf_puts(&resp->body, "</h1><p class=\"lead\">");
    sv4__ht(req, &resp->body, "classify.lead");
    sv4_buf_puts(&resp->body, "</p>");
    if (!app->classifier) {
      sv4_buf_puts(&resp->body, "<p class=\"notice error\">");
      sv4__ht(req, &resp->body, "classify.unavailable");
      sv4_buf_puts(&resp->body, "</p>");
    }
    classify_form_html(req, resp, NULL);
    sv4__html_end(req, resp);
    return;
  }
  classify_form f = {0};
  sv4_part *parts = NULL;
  size_t nparts = 0;
  sv4_error e = {0};
  if (!req->content_type || strncmp(req->content_type, "multipart/form-data", 19) ||
      sv4__parse_multipart(req->arena, req->content_type, req->body, req->body_len, &parts, &nparts, &e)) {
    sv4__html_error(req, resp, 400, "error.bad_form", e.msg[0] ? e.msg : NULL);
    return;
  }
  for (size_t i = 0; i < nparts; i++) {
    const sv4_part *p = &parts[i];
    if (!strcmp(p->name, "csrf")) f.csrf = part_str(req, p);
    else if (!strcmp(p->name, "lang")) f.lang = part_str(req, p);
    else if (!strcmp(p->name, "title")) f.title = part_str(req, p);
    else if (!strcmp(p->name, "type")) f.type = part_str(req, p);
    else if (!strcmp(p->name, "country")) f.country = part_str(req, p);
    else if (!strcmp(p->name, "save")) f.save = part_str(req, p);
    else if (!strcmp(p->name, "text") && p->len) {
      f.text = p->data;
      f.text_len = p->len;
    } else if (!strcmp(p->name, "file") && p->len) f.file = p;
  }
  if (!sv4__csrf_ok(req, resp, f.csrf)) {
    sv4__html_error(req, resp, 403, "error.csrf", NULL);
    return;
  }
  sv4_document *doc = NULL;
  const char *text = f.text;
  size_t len = f.text_len;
  const char *problem = NULL;
  json_t *profile = NULL, *objectives = NULL;
  if (f.file) {
    if (f.file->len > SV4_MAX_UPLOAD_BYTES) {
      problem = sv4__t(req, "classify.too_large");
    } else if (sv4_ingest_memory(f.file->data, f.file->len, f.file->filename, &doc, &e)) {
      problem = sv4_arena_printf(req->arena, "%s: %s", sv4__t(req, "classify.cannot_read"), e.msg);
    } else {
      text = doc->text;
      len = doc->len;
    }
  }
  if (!problem && (!text || !len)) problem = sv4__t(req, "classify.nothing");
  const char *lang = f.lang && *f.lang && strcmp(f.lang, "auto") ? f.lang : NULL;
  if (!problem) {
    profile = sv4__app_profile(app, text, len, lang, &e);
    if (!profile) problem = sv4_arena_printf(req->arena, "%s: %s", sv4__t(req, "classify.failed"), e.msg);
  }
  if (profile) {
    sv4_objectives *obj = NULL;
    if (!sv4_smart_find(text, len, lang ? sv4_lang_from_code(lang) : SV4_LANG_UNKNOWN, &obj, NULL)) {
      sv4_buf ob;
      sv4_buf_init(&ob, 0);
      if (!sv4_objectives_to_json(obj, &ob)) objectives = json_loadb(ob.data, ob.len, 0, NULL);
      sv4_buf_free(&ob);
      sv4_objectives_free(obj);
    }
  }
  if (profile && f.save && req->user.name) {
    if (req->user.role < SV4_ROLE_CONTRIBUTOR) {
      problem = sv4__t(req, "error.forbidden");
    } else {
      int64_t id = save_record(req, &f, json_string_value(json_object_get(profile, "lang")), text, len, doc, &e);
      if (id) {
        sv4__resp_redirect(resp, sv4_arena_printf(req->arena, "/records/%lld", (long long)id));
        goto done;
      }
      problem = sv4_arena_printf(req->arena, "%s: %s", sv4__t(req, "classify.save_failed"), e.msg);
    }
  }
  if (problem && !profile) resp->status = 422;
  sv4__html_begin(req, resp, sv4__t(req, "classify.title"), NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<h1>");
  sv4__ht(req, b, "classify.title");
  sv4_buf_puts(b, "</h1>");
  sv4__html_notice(b, problem, 1);
  if (profile) {
    json_t *labels = json_object_get(profile, "labels");
    const char *plang = json_string_value(json_object_get(profile, "lang"));
    sv4_buf_printf(b, "<section class=\"result\" data-labels=\"%zu\"><h2>", json_array_size(labels));
    sv4__ht(req, b, "classify.result");
    sv4_buf_puts(b, "</h2><p class=\"meta\">");
    if (doc) {
      sv4__ht(req, b, "classify.from_file");
      sv4_buf_puts(b, " <strong>");
      sv4__h(b, f.file->filename);
      sv4_buf_printf(b, "</strong> (%s) · ", sv4_format_name(doc->format));
    }
    sv4__ht(req, b, "facet.lang");
    sv4_buf_puts(b, ": ");
    sv4__h(b, plang ? sv4__t(req, sv4_arena_printf(req->arena, "lang.%s", plang)) : "?");
    sv4_buf_printf(b, " · %zu ", len);
    sv4__ht(req, b, "classify.bytes");
    sv4_buf_puts(b, "</p>");
    sv4__html_sdg_chart(req, b, labels);
    sv4_buf_puts(b, "<h3>");
    sv4__ht(req, b, "record.labels");
    sv4_buf_puts(b, "</h3>");
    sv4__html_labels(req, resp, 0, labels, 0, 0);
    sv4_buf_puts(b, "<h3>");
    sv4__ht(req, b, "record.objectives");
    sv4_buf_puts(b, "</h3>");
    sv4__html_objectives(req, b, objectives);
    sv4_buf_puts(b, "<h3>");
    sv4__ht(req, b, "record.evidence_text");
    sv4_buf_puts(b, "</h3>");
    show_text_with_evidence(req, b, text, len, labels);
    sv4_buf_puts(b, "</section><h2>");
    sv4__ht(req, b, "classify.again");
    sv4_buf_puts(b, "</h2>");
  }
  classify_form_html(req, resp, &f);
  sv4__html_end(req, resp);
done:
  json_decref(profile);
  json_decref(objectives);
  sv4_document_free(doc);
}

/* ---- review queue ----------------------------------------------------------------------------------------- */

static void review_post(sv4_req *req, sv4_resp *resp) {
  sv4_param *p;
  size_t n;
  if (!sv4__form_csrf(req, resp, &p, &n)) return;
  const char *ids = sv4__form_get(p, n, "id"), *scheme = sv4__form_get(p, n, "scheme");
  const char *code = sv4__form_get(p, n, "code"), *action = sv4__form_get(p, n, "action");
  const char *reason = sv4__form_get(p, n, "reason");
  char *end;
  long long id = ids ? strtoll(ids, &end, 10) : 0;
  int sc = scheme ? sv4_scheme_from_name(scheme) : -1;
  const sv4_taxonomy *t = sv4__ui_taxonomy(req);
  if (!ids || *end || id <= 0 || sc < 0 || !code || !*code || !action ||
      (strcmp(action, "accept") && strcmp(action, "reject") && strcmp(action, "add"))) {
    sv4__html_error(req, resp, 400, "error.bad_form", NULL);
    return;
  }
  if (t && !sv4_taxonomy_find(t, (sv4_scheme)sc, code)) {
    sv4__html_error(req, resp, 400, "review.unknown_code", sv4_arena_printf(req->arena, "%s:%s", scheme, code));
    return;
  }
  sv4_error e;
  if (req->app->ops->label_review(req->app->store, id, scheme, code, action, req->user.name,
                                  reason && *reason ? reason : NULL, &e)) {
    sv4__html_error(req, resp, sv4_rc_http_status(e.rc), "review.failed", e.msg);
    return;
  }
  sv4_search_index_refresh(req->app->index, req->app->store, id, NULL);
  const char *back = sv4__local_target(sv4__form_get(p, n, "back"), "/review");
  sv4__resp_redirect(resp, !strncmp(back, "/records/", 9) ? sv4_arena_printf(req->arena, "%s#labels", back) : back);
}

void sv4__page_review(sv4_req *req, sv4_resp *resp) {
  if (!sv4__page_require(req, resp, SV4_ROLE_REVIEWER)) return;
  if (!strcmp(req->method, "POST")) {
    review_post(req, resp);
    return;
  }
  sv4_search_query q = {0};
  sv4__search_viewer(req, &q);
  q.values[SV4_FACET_REVIEW][0] = "unreviewed";
  q.nvalues[SV4_FACET_REVIEW] = 1;
  q.sort = SV4_SORT_NEWEST;
  q.limit = 10;
  const char *pg = sv4__req_param(req, "page");
  long page = pg ? strtol(pg, NULL, 10) : 1;
  if (page < 1 || page > 1000000) page = 1;
  q.offset = (size_t)(page - 1) * q.limit;
  sv4_search_result *r = NULL;
  sv4_error e;
  if (sv4_search(req->app->index, req->app->store, &q, &r, &e)) {
    sv4__html_error(req, resp, 500, "error.internal", e.msg);
    return;
  }
  sv4__html_begin(req, resp, sv4__t(req, "review.title"), NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<h1>");
  sv4__ht(req, b, "review.title");
  sv4_buf_printf(b, "</h1><p class=\"total\" data-total=\"%zu\"><strong>%zu</strong> ", r->total, r->total);
  sv4__ht(req, b, "review.waiting");
  sv4_buf_puts(b, "</p><ol class=\"queue\">");
  for (size_t i = 0; i < r->nhits; i++) {
    int64_t id = r->hits[i].id;
    json_t *brief = sv4__record_brief(req, id), *labels = NULL;
    if (!brief) continue;
    sv4_buf_printf(b, "<li class=\"queued\" data-id=\"%lld\"><ol class=\"hits\">", (long long)id);
    sv4__page_record_item(req, b, brief);
    sv4_buf_puts(b, "</ol>");
    if (!req->app->ops->labels_get(req->app->store, id, &labels, NULL)) {
      sv4__html_labels(req, resp, id, labels, 1, 0);
      json_decref(labels);
    }
    sv4_buf_puts(b, "</li>");
    json_decref(brief);
  }
  sv4_buf_puts(b, "</ol>");
  if (!r->total) {
    sv4_buf_puts(b, "<p class=\"empty\">");
    sv4__ht(req, b, "review.empty");
    sv4_buf_puts(b, "</p>");
  }
  size_t pages = (r->total + q.limit - 1) / q.limit;
  if (pages > 1) {
    sv4_buf_puts(b, "<nav class=\"pages\"><ul>");
    if (page > 1) sv4_buf_printf(b, "<li><a href=\"/review?page=%ld\">‹</a></li>", page - 1);
    sv4_buf_printf(b, "<li><span aria-current=\"page\">%ld / %zu</span></li>", page, pages);
    if ((size_t)page < pages) sv4_buf_printf(b, "<li><a href=\"/review?page=%ld\">›</a></li>", page + 1);
    sv4_buf_puts(b, "</ul></nav>");
  }
  sv4_search_result_free(r);
  sv4__html_end(req, resp);
}
