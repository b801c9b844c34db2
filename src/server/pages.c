/* pages.c — the HTML pages' common frame (head, header with navigation, login state and language switch, footer),
 * small shared helpers, and the home and search pages. Every string that reaches the page is escaped here or in
 * sv4__h; the only raw HTML inserted is the search snippet, which sv4_search_snippet escapes itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"
#include "sv4/limits.h"

static const char *const ui_langs[] = {"en", "pl", "cs", "sk", "hu"};

void sv4__html_notice(sv4_buf *b, const char *text, int is_error) {
  if (!text) return;
  sv4_buf_puts(b, is_error ? "<p class=\"notice error\" role=\"alert\">" : "<p class=\"notice\" role=\"status\">");
  sv4__h(b, text);
  sv4_buf_puts(b, "</p>");
}

void sv4__h(sv4_buf *b, const char *s) {
  if (s) sv4_buf_html_escape(b, s, strlen(s));
}

void sv4__ht(sv4_req *req, sv4_buf *b, const char *key) { sv4__h(b, sv4__t(req, key)); }

const char *sv4__pick_text(json_t *v, const char *lang, const char *own_lang) {
  if (json_is_string(v)) return json_string_value(v);
  if (!json_is_object(v)) return NULL;
  const char *order[3] = {lang, "en", own_lang};
  for (int i = 0; i < 3; i++) {
    const char *s = order[i] ? json_string_value(json_object_get(v, order[i])) : NULL;
    if (s && *s) return s;
  }
  const char *k;
  json_t *x;
  json_object_foreach(v, k, x) if (json_is_string(x) && *json_string_value(x)) return json_string_value(x);
  return NULL;
}

/* The taxonomy for titles and colours: the classifier's, or (when rules failed to load) one read once for the
 * pages so charts keep their colours. The fallback lives until the process ends. */
static sv4_taxonomy *fallback_taxonomy;
static pthread_once_t fallback_once = PTHREAD_ONCE_INIT;
static void load_fallback_taxonomy(void) {
  if (sv4_taxonomy_load(NULL, &fallback_taxonomy, NULL)) fallback_taxonomy = NULL;
}

const sv4_taxonomy *sv4__ui_taxonomy(sv4_req *req) {
  if (req->app->classifier) return sv4_classifier_taxonomy(req->app->classifier);
  pthread_once(&fallback_once, load_fallback_taxonomy);
  return fallback_taxonomy;
}

const char *sv4__concept_title(sv4_req *req, const char *scheme, const char *code) {
  const sv4_taxonomy *t = sv4__ui_taxonomy(req);
  int s = scheme ? sv4_scheme_from_name(scheme) : -1;
  const sv4_concept *c = t && s >= 0 && code ? sv4_taxonomy_find(t, (sv4_scheme)s, code) : NULL;
  if (!c) return code;
  const char *title = c->title[sv4_lang_from_code(req->lang)];
  if (!title) title = c->title[SV4_LANG_EN];
  return title ? title : code;
}

const char *sv4__goal_color(sv4_req *req, int goal) {
  const sv4_taxonomy *t = sv4__ui_taxonomy(req);
  char code[8];
  snprintf(code, sizeof code, "%d", goal);
  const sv4_concept *c = t ? sv4_taxonomy_find(t, SV4_SCHEME_SDG, code) : NULL;
  return c ? c->color : NULL;
}

int sv4__form(sv4_req *req, sv4_resp *resp, sv4_param **out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (req->content_type && strncmp(req->content_type, "application/x-www-form-urlencoded", 33)) {
    sv4__html_error(req, resp, 415, "error.form_type", req->content_type);
    return 0;
  }
  if (sv4__parse_query(req->arena, req->body, req->body_len, out, n)) {
    sv4__html_error(req, resp, 400, "error.bad_form", NULL);
    return 0;
  }
  return 1;
}

int sv4__form_csrf(sv4_req *req, sv4_resp *resp, sv4_param **out, size_t *n) {
  if (!sv4__form(req, resp, out, n)) return 0;
  if (!sv4__csrf_ok(req, resp, sv4__form_get(*out, *n, "csrf"))) {
    sv4__html_error(req, resp, 403, "error.csrf", NULL);
    return 0;
  }
  return 1;
}

const char *sv4__form_get(const sv4_param *p, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(p[i].key, key)) return p[i].value;
  return NULL;
}

const char *sv4__local_target(const char *v, const char *fallback) {
  if (!v || v[0] != '/' || v[1] == '/' || v[1] == '\\' || strpbrk(v, "\r\n")) return fallback;
  return v;
}

void sv4__html_csrf(sv4_req *req, sv4_resp *resp) {
  const char *tok = sv4__csrf_ensure(req, resp);
  sv4_buf_puts(&resp->body, "<input type=\"hidden\" name=\"csrf\" value=\"");
  sv4__h(&resp->body, tok);
  sv4_buf_puts(&resp->body, "\">");
}

/* Appends the current query string without the keys in skip (NULL-terminated), each pair as "k=v&". */
static void query_without(const sv4_req *req, sv4_buf *b, const char *const *skip) {
  for (size_t i = 0; i < req->nquery; i++) {
    int drop = 0;
    for (const char *const *s = skip; *s; s++) drop |= !strcmp(*s, req->query[i].key);
    if (drop || !*req->query[i].value) continue;
    sv4__url_encode(b, req->query[i].key);
    sv4_buf_putc(b, '=');
    sv4__url_encode(b, req->query[i].value);
    sv4_buf_putc(b, '&');
  }
}

/* Appends "/static/name?v=<etag>" so a changed file gets a new URL. */
static void static_url(sv4_buf *b, const char *name) {
  const char *etag = sv4__static_etag(name);
  char v[20] = "";
  if (etag && strlen(etag) > 2) snprintf(v, sizeof v, "%.*s", (int)strlen(etag) - 2, etag + 1);
  sv4_buf_printf(b, "/static/%s?v=%s", name, v);
}

void sv4__html_begin(sv4_req *req, sv4_resp *resp, const char *title, const char *head_extra) {
  sv4_buf *b = &resp->body;
  resp->content_type = "text/html; charset=utf-8";
  if (!resp->status) resp->status = 200;
  sv4__resp_header(resp, "Cache-Control", "no-store");
  const char *chosen = sv4__req_param(req, "lang");
  if (chosen && !strcmp(chosen, req->lang))
    sv4__resp_header(resp, "Set-Cookie",
                     sv4_arena_printf(req->arena, "sv4lang=%s; Path=/; Max-Age=31536000; SameSite=Lax", req->lang));
  const char *csrf = sv4__csrf_ensure(req, resp);
  sv4_buf_printf(b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">", req->lang);
  sv4_buf_puts(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
  sv4__h(b, title);
  sv4_buf_puts(b, " · smartv4</title>");
  sv4_buf_puts(b, "<link rel=\"stylesheet\" href=\"");
  static_url(b, "style.css");
  sv4_buf_puts(b, "\"><script src=\"");
  static_url(b, "app.js");
  sv4_buf_puts(b, "\" defer></script>");
  if (head_extra) sv4_buf_puts(b, head_extra);
  sv4_buf_puts(b, "</head><body><a class=\"skip\" href=\"#main\">");
  sv4__ht(req, b, "nav.skip");
  sv4_buf_puts(b, "</a><header class=\"site\"><div class=\"wrap bar\"><a class=\"brand\" href=\"/\">smart<b>v4</b></a>");
  sv4_buf_puts(b, "<nav class=\"main\" aria-label=\"");
  sv4__ht(req, b, "nav.main");
  sv4_buf_puts(b, "\">");
  static const struct { const char *href, *key; sv4_role role; } links[] = {
      {"/search", "nav.search", SV4_ROLE_VIEWER},   {"/compare", "nav.compare", SV4_ROLE_VIEWER},
      {"/classify", "nav.classify", SV4_ROLE_VIEWER}, {"/buildings", "nav.buildings", SV4_ROLE_VIEWER},
      {"/review", "nav.review", SV4_ROLE_REVIEWER},
      {"/admin/users", "nav.users", SV4_ROLE_ADMIN},
  };
  for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
    if (links[i].role > SV4_ROLE_VIEWER && (!req->user.name || req->user.role < links[i].role)) continue;
    int here = !strncmp(req->path, links[i].href, strlen(links[i].href));
    sv4_buf_printf(b, "<a href=\"%s\"%s>", links[i].href, here ? " aria-current=\"page\"" : "");
    sv4__ht(req, b, links[i].key);
    sv4_buf_puts(b, "</a>");
  }
  sv4_buf_puts(b, "</nav><div class=\"session\">");
  if (req->user.name) {
    sv4_buf_puts(b, "<span class=\"who\" data-user=\"");
    sv4__h(b, req->user.name);
    sv4_buf_puts(b, "\">");
    sv4__h(b, req->user.name);
    sv4_buf_puts(b, " <small>(");
    sv4__ht(req, b, sv4_arena_printf(req->arena, "role.%s", sv4_role_name(req->user.role)));
    sv4_buf_puts(b, ")</small></span><form method=\"post\" action=\"/logout\" class=\"inline\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"");
    sv4__h(b, csrf);
    sv4_buf_puts(b, "\"><button type=\"submit\" class=\"link\">");
    sv4__ht(req, b, "nav.logout");
    sv4_buf_puts(b, "</button></form>");
  } else {
    sv4_buf_puts(b, "<a href=\"/login?next=");
    sv4_buf urlb;
    sv4_buf_init(&urlb, 0);
    sv4__url_encode(&urlb, req->path);
    sv4__h(b, urlb.data);
    sv4_buf_free(&urlb);
    sv4_buf_puts(b, "\">");
    sv4__ht(req, b, "nav.login");
    sv4_buf_puts(b, "</a>");
  }
  sv4_buf_puts(b, "</div><nav class=\"langs\" aria-label=\"");
  sv4__ht(req, b, "nav.language");
  sv4_buf_puts(b, "\">");
  static const char *const skip[] = {"lang", NULL};
  sv4_buf q;
  sv4_buf_init(&q, 0);
  query_without(req, &q, skip);
  for (size_t i = 0; i < sizeof ui_langs / sizeof *ui_langs; i++) {
    int cur = !strcmp(ui_langs[i], req->lang);
    sv4_buf_puts(b, "<a href=\"");
    sv4__h(b, !strcmp(req->method, "GET") ? req->path : "/");
    sv4_buf_puts(b, "?");
    if (!strcmp(req->method, "GET")) sv4__h(b, q.data);
    sv4_buf_printf(b, "lang=%s\" hreflang=\"%s\" lang=\"%s\" title=\"", ui_langs[i], ui_langs[i], ui_langs[i]);
    sv4__h(b, json_string_value(json_object_get(json_object_get(req->app->i18n, ui_langs[i]), "lang.self")));
    sv4_buf_printf(b, "\"%s>%c%c</a>", cur ? " aria-current=\"true\"" : "", ui_langs[i][0] - 32, ui_langs[i][1] - 32);
  }
  sv4_buf_free(&q);
  sv4_buf_puts(b, "</nav></div></header><main id=\"main\" class=\"wrap\">");
}

void sv4__html_end(sv4_req *req, sv4_resp *resp) {
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "</main><footer class=\"site\"><div class=\"wrap\"><p>");
  sv4__ht(req, b, "footer.about");
  sv4_buf_puts(b, " · <a href=\"/api/v1/openapi.json\">");
  sv4__ht(req, b, "footer.api");
  sv4_buf_puts(b, "</a></p></div></footer></body></html>\n");
}

void sv4__html_error(sv4_req *req, sv4_resp *resp, int status, const char *key, const char *detail) {
  sv4_buf_reset(&resp->body);
  resp->status = status;
  sv4__html_begin(req, resp, sv4__t(req, key), NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_printf(b, "<section class=\"error\" data-status=\"%d\"><h1>", status);
  sv4__ht(req, b, key);
  sv4_buf_puts(b, "</h1>");
  if (detail && *detail) {
    sv4_buf_puts(b, "<p class=\"detail\">");
    sv4__h(b, detail);
    sv4_buf_puts(b, "</p>");
  }
  sv4_buf_puts(b, "<p><a href=\"/\">");
  sv4__ht(req, b, "nav.home");
  sv4_buf_puts(b, "</a></p></section>");
  sv4__html_end(req, resp);
}

int sv4__page_require(sv4_req *req, sv4_resp *resp, sv4_role role) {
  if (!req->user.name) {
    sv4_buf u;
    sv4_buf_init(&u, 0);
    sv4_buf_puts(&u, "/login?next=");
    sv4__url_encode(&u, req->path);
    sv4__resp_redirect(resp, sv4_arena_strdup(req->arena, u.data));
    sv4_buf_free(&u);
    return 0;
  }
  if (req->user.role < role) {
    sv4__html_error(req, resp, 403, "error.forbidden",
                    sv4_arena_printf(req->arena, "%s: %s", sv4__t(req, "error.needs_role"),
                                     sv4__t(req, sv4_arena_printf(req->arena, "role.%s", sv4_role_name(role)))));
    return 0;
  }
  return 1;
}

/* The message for prefix.value ("type.strategy"), or value itself when the catalogue has none. */
static const char *t_or_value(sv4_req *req, const char *prefix, const char *value) {
  if (!value) return "";
  const char *key = sv4_arena_printf(req->arena, "%s.%s", prefix, value);
  const char *t = sv4__t(req, key);
  return t == key ? value : t;
}

/* Label shown for a facet value. */
static const char *facet_value_label(sv4_req *req, int f, const char *v) {
  switch (f) {
    case SV4_FACET_TYPE: return t_or_value(req, "type", v);
    case SV4_FACET_COUNTRY: return t_or_value(req, "country", v);
    case SV4_FACET_LANG: return t_or_value(req, "lang", v);
    case SV4_FACET_REVIEW: return t_or_value(req, "review", v);
    case SV4_FACET_SDG: return sv4_arena_printf(req->arena, "%s · %s", v, sv4__concept_title(req, "sdg", v));
    case SV4_FACET_EGD: return sv4__concept_title(req, "egd", v);
    case SV4_FACET_TAXONOMY: return sv4__concept_title(req, "taxonomy", v);
    case SV4_FACET_SMARTCITY: return sv4__concept_title(req, "smartcity", v);
    default: return v;
  }
}

/* A small SDG goal chip (inline SVG: colours come from the taxonomy, and the CSP allows no inline styles). */
static void sdg_chip(sv4_req *req, sv4_buf *b, int goal) {
  const char *color = sv4__goal_color(req, goal);
  char code[8];
  snprintf(code, sizeof code, "%d", goal);
  sv4_buf_puts(b, "<svg class=\"chip\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\" role=\"img\" aria-label=\"");
  sv4__h(b, sv4_arena_printf(req->arena, "SDG %d: %s", goal, sv4__concept_title(req, "sdg", code)));
  sv4_buf_puts(b, "\"><title>");
  sv4__h(b, sv4_arena_printf(req->arena, "SDG %d: %s", goal, sv4__concept_title(req, "sdg", code)));
  sv4_buf_printf(b, "</title><rect width=\"24\" height=\"24\" rx=\"3\" fill=\"%s\"/><text x=\"12\" y=\"16.5\" "
                    "text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#fff\">%d</text></svg>",
                 color && color[0] == '#' && strlen(color) == 7 ? color : "#5b7083", goal);
}

/* One result line of a record brief (search, home, review). snippet: trusted HTML (sv4_search_snippet), or NULL. */
static void record_item(sv4_req *req, sv4_buf *b, json_t *brief, const char *snippet, int with_compare) {
  json_int_t id = json_integer_value(json_object_get(brief, "id"));
  const char *own = json_string_value(json_object_get(brief, "lang"));
  const char *title = sv4__pick_text(json_object_get(brief, "title"), req->lang, own);
  const char *type = json_string_value(json_object_get(brief, "type"));
  const char *country = json_string_value(json_object_get(brief, "country"));
  sv4_buf_printf(b, "<li class=\"hit\" data-id=\"%lld\">", (long long)id);
  if (with_compare) {
    sv4_buf_printf(b, "<label class=\"pick\"><input type=\"checkbox\" form=\"cmp\" name=\"ids\" value=\"%lld\">"
                      "<span class=\"visually-hidden\">", (long long)id);
    sv4__ht(req, b, "search.compare_pick");
    sv4_buf_puts(b, "</span></label>");
  }
  sv4_buf_printf(b, "<h3><a href=\"/records/%lld\">", (long long)id);
  sv4__h(b, title ? title : "—");
  sv4_buf_puts(b, "</a></h3><p class=\"meta\">");
  if (type) {
    sv4_buf_puts(b, "<span class=\"badge type\">");
    sv4__h(b, t_or_value(req, "type", type));
    sv4_buf_puts(b, "</span> ");
  }
  if (country && *country) {
    sv4__h(b, t_or_value(req, "country", country));
  }
  const char *place = json_string_value(json_object_get(brief, "place"));
  if (place && *place) {
    sv4_buf_puts(b, " · ");
    sv4__h(b, place);
  }
  const char *period = json_string_value(json_object_get(brief, "period"));
  if (period && *period) {
    sv4_buf_puts(b, " · ");
    sv4__h(b, period);
  }
  const char *review = json_string_value(json_object_get(brief, "review"));
  if (review && !strcmp(review, "reviewed")) {
    sv4_buf_puts(b, " · <span class=\"badge ok\">");
    sv4__ht(req, b, "review.reviewed");
    sv4_buf_puts(b, "</span>");
  }
  sv4_buf_puts(b, "</p>");
  if (snippet && *snippet) {
    sv4_buf_puts(b, "<p class=\"snippet\">");
    sv4_buf_puts(b, snippet); /* escaped by sv4_search_snippet; only <mark> is markup */
    sv4_buf_puts(b, "</p>");
  } else {
    const char *summary = sv4__pick_text(json_object_get(brief, "summary"), req->lang, own);
    if (summary) {
      size_t n = strlen(summary), cut = n > 280 ? 280 : n;
      while (cut < n && (summary[cut] & 0xC0) == 0x80) cut++;
      sv4_buf_puts(b, "<p class=\"summary\">");
      sv4_buf_html_escape(b, summary, cut);
      if (cut < n) sv4_buf_puts(b, "…");
      sv4_buf_puts(b, "</p>");
    }
  }
  json_t *sdg = json_object_get(brief, "sdg");
  if (json_array_size(sdg)) {
    sv4_buf_puts(b, "<p class=\"codes\">");
    size_t i;
    json_t *g;
    json_array_foreach(sdg, i, g) sdg_chip(req, b, (int)json_integer_value(g));
    sv4_buf_puts(b, "</p>");
  }
  sv4_buf_puts(b, "</li>");
}

void sv4__page_record_item(sv4_req *req, sv4_buf *b, json_t *brief) { record_item(req, b, brief, NULL, 0); }

/* ---- home ------------------------------------------------------------------------------------------------- */

void sv4__page_home(sv4_req *req, sv4_resp *resp) {
  if (strcmp(req->path, "/")) {
    sv4__html_error(req, resp, 404, "error.not_found", req->path);
    return;
  }
  sv4_search_query q = {0};
  sv4__search_viewer(req, &q);
  q.sort = SV4_SORT_NEWEST;
  q.limit = 8;
  sv4_search_result *r = NULL;
  sv4_error e;
  if (sv4_search(req->app->index, req->app->store, &q, &r, &e)) {
    sv4__html_error(req, resp, 500, "error.internal", e.msg);
    return;
  }
  sv4__html_begin(req, resp, sv4__t(req, "home.title"), NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<section class=\"hero\"><h1>");
  sv4__ht(req, b, "home.heading");
  sv4_buf_puts(b, "</h1><p class=\"lead\">");
  sv4__ht(req, b, "home.lead");
  sv4_buf_puts(b, "</p><form class=\"searchbar\" method=\"get\" action=\"/search\" role=\"search\">"
                  "<label for=\"home-q\" class=\"visually-hidden\">");
  sv4__ht(req, b, "search.words");
  sv4_buf_puts(b, "</label><input type=\"search\" id=\"home-q\" name=\"q\" placeholder=\"");
  sv4__ht(req, b, "search.placeholder");
  sv4_buf_puts(b, "\"><button type=\"submit\">");
  sv4__ht(req, b, "search.button");
  sv4_buf_puts(b, "</button></form></section><div class=\"home-grid\"><section class=\"map\"><h2>");
  sv4__ht(req, b, "home.map");
  sv4_buf_puts(b, "</h2>");
  static const char *const codes[4] = {"CZ", "HU", "PL", "SK"};
  int64_t counts[4] = {0};
  const char *names[4];
  for (int i = 0; i < 4; i++) names[i] = t_or_value(req, "country", codes[i]);
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(r->facets, "country"), i, v) {
    const char *c = json_string_value(json_object_get(v, "value"));
    for (int k = 0; c && k < 4; k++)
      if (!strcmp(c, codes[k])) counts[k] = json_integer_value(json_object_get(v, "count"));
  }
  sv4__svg_v4map(b, sv4__t(req, "home.map"), counts, names, "/search?country=");
  sv4_buf_puts(b, "<ul class=\"counts\">");
  for (int k = 0; k < 4; k++) {
    sv4_buf_printf(b, "<li><a href=\"/search?country=%s\">", codes[k]);
    sv4__h(b, names[k]);
    sv4_buf_printf(b, "</a> <span class=\"n\" data-country=\"%s\">%lld</span></li>", codes[k], (long long)counts[k]);
  }
  sv4_buf_printf(b, "</ul><p class=\"total\">%zu ", r->total);
  sv4__ht(req, b, "home.records_total");
  sv4_buf_puts(b, "</p></section><section class=\"latest\"><h2>");
  sv4__ht(req, b, "home.latest");
  sv4_buf_puts(b, "</h2><ol class=\"hits compact\">");
  for (size_t h = 0; h < r->nhits; h++) {
    json_t *brief = sv4__record_brief(req, r->hits[h].id);
    if (!brief) continue;
    record_item(req, b, brief, NULL, 0);
    json_decref(brief);
  }
  sv4_buf_puts(b, "</ol><p><a class=\"more\" href=\"/search?sort=newest\">");
  sv4__ht(req, b, "home.all_records");
  sv4_buf_puts(b, "</a></p><h2>");
  sv4__ht(req, b, "home.by_type");
  sv4_buf_puts(b, "</h2><ul class=\"types\">");
  json_array_foreach(json_object_get(r->facets, "type"), i, v) {
    const char *t = json_string_value(json_object_get(v, "value"));
    sv4_buf_puts(b, "<li><a href=\"/search?type=");
    sv4__h(b, t);
    sv4_buf_puts(b, "\">");
    sv4__h(b, t_or_value(req, "type", t));
    sv4_buf_printf(b, "</a> <span class=\"n\">%lld</span></li>", (long long)json_integer_value(json_object_get(v, "count")));
  }
  sv4_buf_puts(b, "</ul></section></div>");
  sv4_search_result_free(r);
  sv4__html_end(req, resp);
}

/* ---- search ----------------------------------------------------------------------------------------------- */

static int selected(const sv4_search_query *q, int f, const char *v) {
  for (size_t i = 0; i < q->nvalues[f]; i++)
    if (!strcmp(q->values[f][i], v)) return 1;
  return 0;
}

/* The form field of a facet: the record-language facet is "rlang" on the pages, because ?lang= is the interface
 * language there; export and feed links turn it back into the API's "lang". */
static const char *facet_field(int f) { return f == SV4_FACET_LANG ? "rlang" : sv4_facet_name((sv4_facet)f); }

/* Appends the search parameters for the API (exports, feed): paging and the UI language dropped, rlang → lang;
 * "k=v" pairs joined by '&'. */
static void api_query(const sv4_req *req, sv4_buf *b) {
  for (size_t i = 0; i < req->nquery; i++) {
    const char *k = req->query[i].key;
    if (!strcmp(k, "page") || !strcmp(k, "per_page") || !strcmp(k, "lang") || !strcmp(k, "format") ||
        !*req->query[i].value)
      continue;
    if (b->len) sv4_buf_putc(b, '&');
    sv4__url_encode(b, !strcmp(k, "rlang") ? "lang" : k);
    sv4_buf_putc(b, '=');
    sv4__url_encode(b, req->query[i].value);
  }
}

static void facet_box(sv4_req *req, sv4_buf *b, const sv4_search_query *q, json_t *facets, int f) {
  const char *name = sv4_facet_name((sv4_facet)f);
  const char *field = facet_field(f);
  json_t *vals = json_object_get(facets, name);
  if (!json_array_size(vals) && !q->nvalues[f]) return;
  sv4_buf_printf(b, "<fieldset class=\"facet\" data-facet=\"%s\"><legend>", name);
  sv4__ht(req, b, sv4_arena_printf(req->arena, "facet.%s", name));
  sv4_buf_puts(b, "</legend><ul>");
  size_t i, shown = 0;
  json_t *v;
  const size_t first = 8;
  json_array_foreach(vals, i, v) {
    const char *val = json_string_value(json_object_get(v, "value"));
    if (!val) continue;
    if (shown == first) {
      sv4_buf_puts(b, "</ul><details><summary>");
      sv4__ht(req, b, "search.more_values");
      sv4_buf_printf(b, " (%zu)</summary><ul>", json_array_size(vals) - first);
    }
    shown++;
    const char *id = sv4_arena_printf(req->arena, "f-%s-%zu", name, i);
    sv4_buf_printf(b, "<li><input type=\"checkbox\" name=\"%s\" id=\"%s\" value=\"", field, id);
    sv4__h(b, val);
    sv4_buf_printf(b, "\"%s><label for=\"%s\">", selected(q, f, val) ? " checked" : "", id);
    if (f == SV4_FACET_SDG) sdg_chip(req, b, atoi(val));
    sv4__h(b, f == SV4_FACET_SDG ? sv4__concept_title(req, "sdg", val) : facet_value_label(req, f, val));
    sv4_buf_printf(b, " <span class=\"n\">%lld</span></label></li>",
                   (long long)json_integer_value(json_object_get(v, "count")));
  }
  sv4_buf_puts(b, shown > first ? "</ul></details>" : "</ul>");
  sv4_buf_puts(b, "</fieldset>");
}

/* A link to the current search with the page set to `page` (trusted numbers, escaped query). */
static void page_link(sv4_req *req, sv4_buf *b, size_t page, const char *text, int current) {
  static const char *const skip[] = {"page", NULL};
  sv4_buf q;
  sv4_buf_init(&q, 0);
  query_without(req, &q, skip);
  if (current)
    sv4_buf_printf(b, "<li><span aria-current=\"page\">%s</span></li>", text);
  else {
    sv4_buf_puts(b, "<li><a href=\"/search?");
    sv4__h(b, q.data);
    sv4_buf_printf(b, "page=%zu\">%s</a></li>", page, text);
  }
  sv4_buf_free(&q);
}

void sv4__page_search(sv4_req *req, sv4_resp *resp) {
  sv4_search_query q;
  sv4_resp scratch = {0};
  sv4_buf_init(&scratch.body, 0);
  if (!sv4__search_query_from_req(req, &scratch, &q)) {
    json_t *err = json_loadb(scratch.body.data, scratch.body.len, 0, NULL);
    const char *msg = json_string_value(json_object_get(json_object_get(err, "error"), "message"));
    sv4__html_error(req, resp, scratch.status ? scratch.status : 400, "error.bad_search", msg);
    json_decref(err);
    sv4_buf_free(&scratch.body);
    return;
  }
  sv4_buf_free(&scratch.body);
  /* ?lang= chose the interface language; the record-language facet comes from rlang */
  q.nvalues[SV4_FACET_LANG] = sv4__req_params(req, "rlang", q.values[SV4_FACET_LANG], SV4_SEARCH_MAX_VALUES);
  sv4_search_result *r = NULL;
  sv4_error e;
  if (sv4_search(req->app->index, req->app->store, &q, &r, &e)) {
    sv4__html_error(req, resp, sv4_rc_http_status(e.rc), "error.bad_search", e.msg);
    return;
  }
  sv4_buf qs;
  sv4_buf_init(&qs, 0);
  api_query(req, &qs);
  const char *qstr = qs.data ? qs.data : "";
  sv4_buf head;
  sv4_buf_init(&head, 0);
  sv4_buf_puts(&head, "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
  sv4__ht(req, &head, "search.feed");
  sv4_buf_puts(&head, "\" href=\"/api/v1/search.atom?");
  sv4__h(&head, qstr);
  sv4_buf_puts(&head, "\">");
  sv4__html_begin(req, resp, q.text && *q.text ? q.text : sv4__t(req, "search.title"), head.data);
  sv4_buf_free(&head);
  sv4_buf *b = &resp->body;

  sv4_buf_puts(b, "<h1>");
  sv4__ht(req, b, "search.title");
  sv4_buf_puts(b, "</h1><form id=\"search\" class=\"search\" method=\"get\" action=\"/search\" role=\"search\">"
                  "<div class=\"searchbar\"><label for=\"q\" class=\"visually-hidden\">");
  sv4__ht(req, b, "search.words");
  sv4_buf_puts(b, "</label><input type=\"search\" id=\"q\" name=\"q\" value=\"");
  sv4__h(b, q.text);
  sv4_buf_puts(b, "\" placeholder=\"");
  sv4__ht(req, b, "search.placeholder");
  sv4_buf_puts(b, "\"><button type=\"submit\">");
  sv4__ht(req, b, "search.button");
  sv4_buf_puts(b, "</button></div><div class=\"layout\"><aside class=\"facets\" aria-label=\"");
  sv4__ht(req, b, "search.filters");
  sv4_buf_puts(b, "\"><h2>");
  sv4__ht(req, b, "search.filters");
  sv4_buf_puts(b, "</h2>");
  for (int f = 0; f < SV4_FACET_COUNT; f++)
    if (f != SV4_FACET_YEAR) facet_box(req, b, &q, r->facets, f);
  /* years: a range, with the span present in the results as the hint */
  json_t *years = json_object_get(r->facets, "year");
  const char *ymin = json_string_value(json_object_get(json_array_get(years, 0), "value"));
  const char *ymax = json_string_value(json_object_get(json_array_get(years, json_array_size(years) - 1), "value"));
  sv4_buf_puts(b, "<fieldset class=\"facet years\"><legend>");
  sv4__ht(req, b, "facet.year");
  sv4_buf_puts(b, "</legend><label>");
  sv4__ht(req, b, "search.year_from");
  sv4_buf_puts(b, " <input type=\"number\" name=\"year_from\" min=\"1900\" max=\"2200\" inputmode=\"numeric\"");
  if (q.year_from) sv4_buf_printf(b, " value=\"%d\"", q.year_from);
  if (ymin) {
    sv4_buf_puts(b, " placeholder=\"");
    sv4__h(b, ymin);
    sv4_buf_puts(b, "\"");
  }
  sv4_buf_puts(b, "></label><label>");
  sv4__ht(req, b, "search.year_to");
  sv4_buf_puts(b, " <input type=\"number\" name=\"year_to\" min=\"1900\" max=\"2200\" inputmode=\"numeric\"");
  if (q.year_to) sv4_buf_printf(b, " value=\"%d\"", q.year_to);
  if (ymax) {
    sv4_buf_puts(b, " placeholder=\"");
    sv4__h(b, ymax);
    sv4_buf_puts(b, "\"");
  }
  sv4_buf_puts(b, "></label></fieldset><p class=\"facet-actions\"><button type=\"submit\" class=\"apply\">");
  sv4__ht(req, b, "search.apply");
  sv4_buf_puts(b, "</button> <a href=\"/search\">");
  sv4__ht(req, b, "search.clear");
  sv4_buf_puts(b, "</a></p></aside><section class=\"results\" aria-live=\"polite\"><div class=\"resultbar\">");
  sv4_buf_printf(b, "<p class=\"total\" data-total=\"%zu\"><strong>%zu</strong> ", r->total, r->total);
  sv4__ht(req, b, r->total == 1 ? "search.result" : "search.results");
  sv4_buf_puts(b, "</p><label class=\"sort\">");
  sv4__ht(req, b, "search.sort");
  sv4_buf_puts(b, " <select name=\"sort\" class=\"autosubmit\">");
  static const char *const sorts[] = {"relevance", "newest", "oldest", "year"};
  for (int s = 0; s < 4; s++) {
    sv4_buf_printf(b, "<option value=\"%s\"%s>", sorts[s], (int)q.sort == s ? " selected" : "");
    sv4__ht(req, b, sv4_arena_printf(req->arena, "sort.%s", sorts[s]));
    sv4_buf_puts(b, "</option>");
  }
  sv4_buf_puts(b, "</select></label><noscript><button type=\"submit\">");
  sv4__ht(req, b, "search.apply");
  sv4_buf_puts(b, "</button></noscript></div>");
  if (q.also_codes && *q.also_codes) {
    sv4_buf_puts(b, "<p class=\"note cross\">");
    sv4__ht(req, b, "search.cross_language");
    sv4_buf_puts(b, " <code>");
    sv4__h(b, q.also_codes);
    sv4_buf_puts(b, "</code></p>");
  }
  sv4_buf_puts(b, "<div class=\"exports\"><span>");
  sv4__ht(req, b, "search.export");
  sv4_buf_puts(b, "</span>");
  static const char *const formats[][2] = {{"csv", "CSV"}, {"json", "JSON"}, {"xlsx", "XLSX"}};
  for (int f = 0; f < 3; f++) {
    sv4_buf_printf(b, "<a class=\"button small\" href=\"/api/v1/export?format=%s%s", formats[f][0],
                   *qstr ? "&amp;" : "");
    sv4__h(b, qstr);
    sv4_buf_printf(b, "\" download>%s</a>", formats[f][1]);
  }
  sv4_buf_puts(b, "<a class=\"button small feed\" href=\"/api/v1/search.atom");
  if (*qstr) sv4_buf_puts(b, "?");
  sv4__h(b, qstr);
  sv4_buf_puts(b, "\" data-copy=\"");
  sv4__ht(req, b, "search.copy_feed");
  sv4_buf_puts(b, "\">");
  sv4__ht(req, b, "search.feed");
  sv4_buf_puts(b, "</a></div>");
  if (!r->nhits) {
    sv4_buf_puts(b, "<p class=\"empty\">");
    sv4__ht(req, b, "search.none");
    sv4_buf_puts(b, "</p>");
  }
  sv4_buf_printf(b, "<ol class=\"hits\" start=\"%zu\">", q.offset + 1);
  char *fts = sv4_search_fts_query(q.text);
  for (size_t h = 0; h < r->nhits; h++) {
    json_t *brief = sv4__record_brief(req, r->hits[h].id);
    if (!brief) continue;
    char *snip = NULL;
    if (fts && *fts && r->hits[h].text_match) req->app->ops->snippet(req->app->store, r->hits[h].id, fts, &snip, NULL);
    record_item(req, b, brief, snip, 1);
    free(snip);
    json_decref(brief);
  }
  free(fts);
  sv4_buf_puts(b, "</ol>");
  size_t per = q.limit ? q.limit : 20, pages = (r->total + per - 1) / per, cur = q.offset / per + 1;
  if (pages > 1) {
    sv4_buf_puts(b, "<nav class=\"pages\" aria-label=\"");
    sv4__ht(req, b, "search.pages");
    sv4_buf_puts(b, "\"><ul>");
    if (cur > 1) page_link(req, b, cur - 1, "‹", 0);
    for (size_t p = 1; p <= pages; p++) {
      if (p != 1 && p != pages && (p + 2 < cur || p > cur + 2)) {
        if (p == 2 || p == cur + 3) sv4_buf_puts(b, "<li class=\"gap\">…</li>");
        continue;
      }
      char num[24];
      snprintf(num, sizeof num, "%zu", p);
      page_link(req, b, p, num, p == cur);
    }
    if (cur < pages) page_link(req, b, cur + 1, "›", 0);
    sv4_buf_puts(b, "</ul></nav>");
  }
  sv4_buf_puts(b, "</section></div></form><form id=\"cmp\" class=\"compare-bar\" method=\"get\" action=\"/compare\">"
                  "<button type=\"submit\">");
  sv4__ht(req, b, "search.compare");
  sv4_buf_puts(b, "</button> <small>");
  sv4__ht(req, b, "search.compare_hint");
  sv4_buf_puts(b, "</small></form>");
  sv4_buf_free(&qs);
  sv4_search_result_free(r);
  sv4__html_end(req, resp);
}
