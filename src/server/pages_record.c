/* pages_record.c — the record page (texts, SDG profile chart, badges, labels with evidence and review controls,
 * objectives with SMART flags, documents, funding matches, history) and the compare page (heat map, gaps). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"
#include "sv4/limits.h"

static int64_t record_id_arg(const char *s) {
  char *end;
  long long v = s ? strtoll(s, &end, 10) : 0;
  return s && !*end && v > 0 ? (int64_t)v : 0;
}

static int is_rejected(json_t *label) {
  const char *st = json_string_value(json_object_get(label, "state"));
  return st && !strcmp(st, "rejected");
}

typedef struct span {
  size_t start, end;
  const char *rule, *code;
} span;

static int span_cmp(const void *a, const void *b) {
  const span *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start ? 1 : (x->end > y->end ? -1 : x->end < y->end);
}

/* Appends text with the evidence spans (byte offsets, checked against the text and its UTF-8) marked. */
static void highlighted(sv4_req *req, sv4_buf *b, const char *text, size_t len, span *sp, size_t n) {
  if (n) qsort(sp, n, sizeof *sp, span_cmp);
  size_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    if (sp[i].start < pos || sp[i].end > len || sp[i].end <= sp[i].start) continue;
    if ((text[sp[i].start] & 0xC0) == 0x80 || (sp[i].end < len && (text[sp[i].end] & 0xC0) == 0x80)) continue;
    sv4_buf_html_escape(b, text + pos, sp[i].start - pos);
    sv4_buf_puts(b, "<mark title=\"");
    sv4__h(b, sv4_arena_printf(req->arena, "%s → %s", sp[i].rule ? sp[i].rule : "?", sp[i].code ? sp[i].code : "?"));
    sv4_buf_puts(b, "\">");
    sv4_buf_html_escape(b, text + sp[i].start, sp[i].end - sp[i].start);
    sv4_buf_puts(b, "</mark>");
    pos = sp[i].end;
  }
  sv4_buf_html_escape(b, text + pos, len - pos);
}

/* The "scheme:code" label's display: SDG goals as "7 · title", others by title. */
static const char *label_title(sv4_req *req, const char *scheme, const char *code) {
  if (scheme && !strcmp(scheme, "sdg"))
    return sv4_arena_printf(req->arena, "SDG %s · %s", code, sv4__concept_title(req, scheme, code));
  return sv4__concept_title(req, scheme, code);
}

static void review_buttons(sv4_req *req, sv4_resp *resp, int64_t id, const char *scheme, const char *code,
                           const char *state) {
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<form method=\"post\" action=\"/review\" class=\"review-actions\">");
  sv4__html_csrf(req, resp);
  sv4_buf_printf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><input type=\"hidden\" name=\"scheme\" "
                    "value=\"", (long long)id);
  sv4__h(b, scheme);
  sv4_buf_puts(b, "\"><input type=\"hidden\" name=\"code\" value=\"");
  sv4__h(b, code);
  sv4_buf_printf(b, "\"><input type=\"hidden\" name=\"back\" value=\"/records/%lld\">", (long long)id);
  sv4_buf_puts(b, "<input type=\"text\" name=\"reason\" maxlength=\"500\" aria-label=\"");
  sv4__ht(req, b, "review.reason");
  sv4_buf_puts(b, "\" placeholder=\"");
  sv4__ht(req, b, "review.reason");
  sv4_buf_puts(b, "\">");
  if (!state || strcmp(state, "accepted")) {
    sv4_buf_puts(b, "<button type=\"submit\" name=\"action\" value=\"accept\" class=\"small\">");
    sv4__ht(req, b, "review.accept");
    sv4_buf_puts(b, "</button>");
  }
  if (!state || strcmp(state, "rejected")) {
    sv4_buf_puts(b, "<button type=\"submit\" name=\"action\" value=\"reject\" class=\"small danger\">");
    sv4__ht(req, b, "review.reject");
    sv4_buf_puts(b, "</button>");
  }
  sv4_buf_puts(b, "</form>");
}

/* The labels table (record page and review queue). */
void sv4__html_labels(sv4_req *req, sv4_resp *resp, int64_t id, json_t *labels, int reviewer, int only_open) {
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<div class=\"table-scroll\"><table class=\"labels\"><thead><tr><th>");
  sv4__ht(req, b, "label.label");
  sv4_buf_puts(b, "</th><th>");
  sv4__ht(req, b, "label.score");
  sv4_buf_puts(b, "</th><th>");
  sv4__ht(req, b, "label.state");
  sv4_buf_puts(b, "</th></tr></thead><tbody>");
  size_t i, shown = 0;
  json_t *l;
  json_array_foreach(labels, i, l) {
    const char *scheme = json_string_value(json_object_get(l, "scheme"));
    const char *code = json_string_value(json_object_get(l, "code"));
    const char *state = json_string_value(json_object_get(l, "state"));
    const char *source = json_string_value(json_object_get(l, "source"));
    if (!scheme || !code) continue;
    if (only_open && state && strcmp(state, "proposed")) continue;
    shown++;
    sv4_buf_puts(b, "<tr class=\"label\" data-scheme=\"");
    sv4__h(b, scheme);
    sv4_buf_puts(b, "\" data-code=\"");
    sv4__h(b, code);
    sv4_buf_puts(b, "\" data-state=\"");
    sv4__h(b, state);
    sv4_buf_puts(b, "\"><td><strong>");
    sv4__h(b, label_title(req, scheme, code));
    sv4_buf_puts(b, "</strong> <small class=\"n\">");
    sv4__h(b, scheme);
    sv4_buf_puts(b, ":");
    sv4__h(b, code);
    sv4_buf_puts(b, "</small>");
    json_t *targets = json_object_get(l, "targets");
    if (json_array_size(targets)) {
      sv4_buf_puts(b, "<br><small>");
      sv4__ht(req, b, "label.targets");
      sv4_buf_puts(b, ": ");
      size_t k;
      json_t *t;
      json_array_foreach(targets, k, t) {
        if (k) sv4_buf_puts(b, ", ");
        sv4__h(b, json_string_value(t));
      }
      sv4_buf_puts(b, "</small>");
    }
    json_t *ev = json_object_get(l, "evidence");
    if (json_array_size(ev)) {
      sv4_buf_puts(b, "<ul class=\"evidence\">");
      size_t k;
      json_t *e;
      json_array_foreach(ev, k, e) {
        sv4_buf_puts(b, "<li><mark>");
        sv4__h(b, json_string_value(json_object_get(e, "match")));
        sv4_buf_puts(b, "</mark> <span class=\"where\">");
        sv4__ht(req, b, "label.rule");
        sv4_buf_puts(b, " <code>");
        sv4__h(b, json_string_value(json_object_get(e, "rule")));
        sv4_buf_puts(b, "</code>");
        const char *field = json_string_value(json_object_get(e, "field"));
        if (field) {
          sv4_buf_puts(b, " · ");
          sv4__ht(req, b, "label.field");
          sv4_buf_puts(b, " ");
          sv4__h(b, field);
        }
        sv4_buf_printf(b, " · %lld–%lld</span></li>", (long long)json_integer_value(json_object_get(e, "start")),
                       (long long)json_integer_value(json_object_get(e, "end")));
      }
      sv4_buf_puts(b, "</ul>");
    }
    sv4_buf_printf(b, "</td><td>%.0f%%</td><td><span class=\"badge state-", json_number_value(json_object_get(l, "score")) * 100);
    sv4__h(b, state);
    sv4_buf_puts(b, "\">");
    sv4__ht(req, b, sv4_arena_printf(req->arena, "state.%s", state ? state : "proposed"));
    sv4_buf_puts(b, "</span>");
    if (source && !strcmp(source, "reviewer")) {
      sv4_buf_puts(b, " <small>(");
      sv4__ht(req, b, "label.by_reviewer");
      sv4_buf_puts(b, ")</small>");
    }
    const char *who = json_string_value(json_object_get(l, "who"));
    if (who) {
      sv4_buf_puts(b, "<br><small>");
      sv4__h(b, who);
      const char *at = json_string_value(json_object_get(l, "at"));
      if (at) {
        sv4_buf_puts(b, ", ");
        sv4__h(b, at);
      }
      const char *why = json_string_value(json_object_get(l, "why"));
      if (why && *why) {
        sv4_buf_puts(b, ": “");
        sv4__h(b, why);
        sv4_buf_puts(b, "”");
      }
      sv4_buf_puts(b, "</small>");
    }
    if (reviewer) review_buttons(req, resp, id, scheme, code, state);
    sv4_buf_puts(b, "</td></tr>");
  }
  if (!shown) {
    sv4_buf_puts(b, "<tr><td colspan=\"3\">");
    sv4__ht(req, b, "label.none");
    sv4_buf_puts(b, "</td></tr>");
  }
  sv4_buf_puts(b, "</tbody></table></div>");
}

/* The SDG profile: one bar per goal with the label's score (rejected labels count as 0). */
void sv4__html_sdg_chart(sv4_req *req, sv4_buf *b, json_t *labels) {
  sv4_svg_bar bars[17];
  for (int g = 0; g < 17; g++) {
    char code[8];
    snprintf(code, sizeof code, "%d", g + 1);
    bars[g] = (sv4_svg_bar){.label = sv4_arena_printf(req->arena, "%d %s", g + 1, sv4__concept_title(req, "sdg", code)),
                            .value = 0, .color = sv4__goal_color(req, g + 1),
                            .href = sv4_arena_printf(req->arena, "/search?sdg=%d", g + 1)};
  }
  size_t i;
  json_t *l;
  json_array_foreach(labels, i, l) {
    const char *scheme = json_string_value(json_object_get(l, "scheme"));
    if (!scheme || strcmp(scheme, "sdg") || is_rejected(l)) continue;
    int g = atoi(json_string_value(json_object_get(l, "code")));
    if (g >= 1 && g <= 17) bars[g - 1].value = json_number_value(json_object_get(l, "score"));
  }
  sv4_svg_bars_opts o = {.title = sv4__t(req, "record.sdg_profile"), .percent = 1, .max = 1, .width = 680};
  sv4__svg_bars(b, bars, 17, &o);
}

/* Objectives with their SMART flags (achievable and relevant are a reviewer's call). */
void sv4__html_objectives(sv4_req *req, sv4_buf *b, json_t *objectives) {
  if (!json_array_size(objectives)) {
    sv4_buf_puts(b, "<p class=\"note\">");
    sv4__ht(req, b, "objectives.none");
    sv4_buf_puts(b, "</p>");
    return;
  }
  static const char *const flags[] = {"specific", "measurable", "achievable", "relevant", "time_bound", "baseline"};
  sv4_buf_puts(b, "<div class=\"table-scroll\"><table class=\"objectives\"><thead><tr><th>");
  sv4__ht(req, b, "objectives.statement");
  sv4_buf_puts(b, "</th>");
  for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
    sv4_buf_puts(b, "<th>");
    sv4__ht(req, b, sv4_arena_printf(req->arena, "smart.%s", flags[f]));
    sv4_buf_puts(b, "</th>");
  }
  sv4_buf_puts(b, "</tr></thead><tbody>");
  size_t i;
  json_t *o;
  json_array_foreach(objectives, i, o) {
    sv4_buf_puts(b, "<tr class=\"objective\"><td>");
    sv4__h(b, json_string_value(json_object_get(o, "text")));
    const char *ind = json_string_value(json_object_get(o, "indicator"));
    const char *val = json_string_value(json_object_get(o, "value"));
    const char *unit = json_string_value(json_object_get(o, "unit"));
    json_t *ty = json_object_get(o, "target_year");
    if (ind || val || json_is_integer(ty)) {
      sv4_buf_puts(b, "<br><small>");
      if (ind) {
        sv4__ht(req, b, "objectives.indicator");
        sv4_buf_puts(b, ": ");
        sv4__h(b, ind);
        sv4_buf_puts(b, " ");
      }
      if (val) {
        sv4__ht(req, b, "objectives.target");
        sv4_buf_puts(b, ": ");
        sv4__h(b, val);
        if (unit) {
          sv4_buf_puts(b, " ");
          sv4__h(b, unit);
        }
        sv4_buf_puts(b, " ");
      }
      if (json_is_integer(ty)) sv4_buf_printf(b, "(%lld)", (long long)json_integer_value(ty));
      sv4_buf_puts(b, "</small>");
    }
    sv4_buf_puts(b, "</td>");
    for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
      json_t *v = json_object_get(o, flags[f]);
      if (json_is_boolean(v)) {
        int yes = json_is_true(v);
        sv4_buf_printf(b, "<td><span class=\"flag %s\" title=\"", yes ? "yes" : "no");
        sv4__ht(req, b, yes ? "smart.yes" : "smart.no");
        sv4_buf_printf(b, "\">%s</span><span class=\"visually-hidden\">", yes ? "✓" : "✗");
        sv4__ht(req, b, yes ? "smart.yes" : "smart.no");
        sv4_buf_puts(b, "</span></td>");
      } else {
        sv4_buf_puts(b, "<td><span class=\"flag review\">");
        sv4__ht(req, b, "smart.review");
        sv4_buf_puts(b, "</span></td>");
      }
    }
    sv4_buf_puts(b, "</tr>");
  }
  sv4_buf_puts(b, "</tbody></table></div>");
}

static void fact(sv4_req *req, sv4_buf *b, const char *key, const char *value) {
  if (!value || !*value) return;
  sv4_buf_puts(b, "<dt>");
  sv4__ht(req, b, key);
  sv4_buf_puts(b, "</dt><dd>");
  sv4__h(b, value);
  sv4_buf_puts(b, "</dd>");
}

static void badges(sv4_req *req, sv4_buf *b, json_t *labels) {
  static const char *const schemes[] = {"egd", "taxonomy", "smartcity"};
  sv4_buf_puts(b, "<div class=\"badges\">");
  for (int s = 0; s < 3; s++) {
    size_t i;
    json_t *l;
    json_array_foreach(labels, i, l) {
      const char *scheme = json_string_value(json_object_get(l, "scheme"));
      if (!scheme || strcmp(scheme, schemes[s]) || is_rejected(l)) continue;
      const char *code = json_string_value(json_object_get(l, "code"));
      sv4_buf_printf(b, "<a class=\"badge %s\" href=\"/search?%s=", schemes[s], schemes[s]);
      sv4__h(b, code);
      sv4_buf_puts(b, "\" title=\"");
      sv4__ht(req, b, sv4_arena_printf(req->arena, "facet.%s", schemes[s]));
      sv4_buf_puts(b, "\">");
      sv4__h(b, sv4__concept_title(req, scheme, code));
      sv4_buf_puts(b, "</a>");
    }
  }
  sv4_buf_puts(b, "</div>");
}

/* The texts with every evidence span of the record's own fields marked; the UI language first. */
static void texts_with_evidence(sv4_req *req, sv4_buf *b, json_t *rec, json_t *labels) {
  json_t *texts = sv4__record_texts(rec);
  const char *order[6] = {req->lang, "en", "pl", "cs", "sk", "hu"};
  int any = 0;
  for (int o = 0; o < 6; o++) {
    if (o && !strcmp(order[o], req->lang)) continue;
    json_t *t = json_object_get(texts, order[o]);
    if (!t) continue;
    const char *field = sv4_arena_printf(req->arena, "record.%s", order[o]);
    span sp[256];
    size_t n = 0, i;
    json_t *l;
    json_array_foreach(labels, i, l) {
      if (is_rejected(l)) continue;
      size_t k;
      json_t *e;
      json_array_foreach(json_object_get(l, "evidence"), k, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (!f || strcmp(f, field) || n >= 256) continue;
        sp[n++] = (span){(size_t)json_integer_value(json_object_get(e, "start")),
                         (size_t)json_integer_value(json_object_get(e, "end")),
                         json_string_value(json_object_get(e, "rule")), json_string_value(json_object_get(l, "code"))};
      }
    }
    if (!n && any) continue;
    any = 1;
    sv4_buf_printf(b, "<h3 lang=\"%s\">", order[o]);
    sv4__ht(req, b, sv4_arena_printf(req->arena, "lang.%s", order[o]));
    sv4_buf_printf(b, "</h3><div class=\"text-evidence\" lang=\"%s\" data-marks=\"%zu\">", order[o], n);
    const char *s = json_string_value(t);
    size_t len = json_string_length(t);
    while (len && s[len - 1] == '\n') len--;
    highlighted(req, b, s, len, sp, n);
    sv4_buf_puts(b, "</div>");
  }
  json_decref(texts);
}

void sv4__page_record(sv4_req *req, sv4_resp *resp) {
  sv4_app *app = req->app;
  int64_t id = record_id_arg(req->path_args[0]);
  json_t *rec = NULL, *labels = NULL, *objectives = NULL, *docs = NULL, *revs = NULL, *funding = NULL;
  sv4_error e;
  if (!id || !sv4__record_visible(req, id) || app->ops->record_get(app->store, id, &rec, &e)) {
    sv4__html_error(req, resp, 404, "error.no_record", req->path_args[0]);
    return;
  }
  if (app->ops->labels_get(app->store, id, &labels, NULL)) labels = json_array();
  if (app->ops->objectives_get(app->store, id, &objectives, NULL)) objectives = json_array();
  if (app->ops->documents_list(app->store, id, &docs, NULL)) docs = json_array();
  if (app->ops->revisions(app->store, id, &revs, NULL)) revs = json_array();
  funding = sv4__funding_matches(app, id, NULL);
  const char *own = json_string_value(json_object_get(rec, "lang"));
  const char *title = sv4__pick_text(json_object_get(rec, "title"), req->lang, own);
  const char *summary = sv4__pick_text(json_object_get(rec, "summary"), req->lang, own);
  const char *type = json_string_value(json_object_get(rec, "type"));
  int reviewer = req->user.name && req->user.role >= SV4_ROLE_REVIEWER;

  sv4__html_begin(req, resp, title ? title : "—", NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_printf(b, "<article class=\"record\" data-id=\"%lld\"><header class=\"record-head\"><p class=\"meta\">", (long long)id);
  if (type) {
    sv4_buf_puts(b, "<a class=\"badge type\" href=\"/search?type=");
    sv4__h(b, type);
    sv4_buf_puts(b, "\">");
    sv4__ht(req, b, sv4_arena_printf(req->arena, "type.%s", type));
    sv4_buf_puts(b, "</a> ");
  }
  const char *review = json_string_value(json_object_get(rec, "review"));
  if (review) {
    sv4_buf_printf(b, "<span class=\"badge%s\">", !strcmp(review, "reviewed") ? " ok" : "");
    sv4__ht(req, b, sv4_arena_printf(req->arena, "review.%s", review));
    sv4_buf_puts(b, "</span>");
  }
  sv4_buf_puts(b, "</p><h1>");
  sv4__h(b, title ? title : "—");
  sv4_buf_puts(b, "</h1>");
  badges(req, b, labels);
  sv4_buf_puts(b, "</header><div class=\"record-grid\"><div class=\"main-col\">");
  if (summary) {
    sv4_buf_puts(b, "<p class=\"summary\">");
    sv4__h(b, summary);
    sv4_buf_puts(b, "</p>");
  }
  static const char *const long_fields[] = {"problem", "solution", "results", "transferability", "description"};
  for (size_t i = 0; i < sizeof long_fields / sizeof *long_fields; i++) {
    const char *v = sv4__pick_text(json_object_get(rec, long_fields[i]), req->lang, own);
    if (!v) continue;
    sv4_buf_puts(b, "<h2>");
    sv4__ht(req, b, sv4_arena_printf(req->arena, "field.%s", long_fields[i]));
    sv4_buf_puts(b, "</h2><p>");
    sv4__h(b, v);
    sv4_buf_puts(b, "</p>");
  }
  sv4_buf_puts(b, "<section class=\"profile\"><h2>");
  sv4__ht(req, b, "record.sdg_profile");
  sv4_buf_puts(b, "</h2>");
  sv4__html_sdg_chart(req, b, labels);
  sv4_buf_puts(b, "</section><section class=\"labels-panel\"><h2 id=\"labels\">");
  sv4__ht(req, b, "record.labels");
  sv4_buf_puts(b, "</h2><p class=\"note\">");
  sv4__ht(req, b, "record.labels_note");
  sv4_buf_puts(b, "</p>");
  sv4__html_labels(req, resp, id, labels, reviewer, 0);
  if (reviewer) {
    sv4_buf_puts(b, "<form method=\"post\" action=\"/review\" class=\"panel add-label\"><h3>");
    sv4__ht(req, b, "review.add_title");
    sv4_buf_puts(b, "</h3>");
    sv4__html_csrf(req, resp);
    sv4_buf_printf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><input type=\"hidden\" name=\"back\" "
                      "value=\"/records/%lld\"><input type=\"hidden\" name=\"action\" value=\"add\">"
                      "<div class=\"form-grid\"><div class=\"field\"><label for=\"add-scheme\">",
                   (long long)id, (long long)id);
    sv4__ht(req, b, "review.scheme");
    sv4_buf_puts(b, "</label><select id=\"add-scheme\" name=\"scheme\">");
    static const char *const schemes[] = {"sdg", "egd", "taxonomy", "smartcity"};
    for (int s = 0; s < 4; s++) {
      sv4_buf_printf(b, "<option value=\"%s\">", schemes[s]);
      sv4__ht(req, b, sv4_arena_printf(req->arena, "facet.%s", schemes[s]));
      sv4_buf_puts(b, "</option>");
    }
    sv4_buf_puts(b, "</select></div><div class=\"field\"><label for=\"add-code\">");
    sv4__ht(req, b, "review.code");
    sv4_buf_puts(b, "</label><input type=\"text\" id=\"add-code\" name=\"code\" required maxlength=\"32\" "
                    "placeholder=\"7, energy, ccm, mobility\"></div><div class=\"field\"><label for=\"add-reason\">");
    sv4__ht(req, b, "review.reason");
    sv4_buf_puts(b, "</label><input type=\"text\" id=\"add-reason\" name=\"reason\" maxlength=\"500\"></div></div>"
                    "<button type=\"submit\">");
    sv4__ht(req, b, "review.add");
    sv4_buf_puts(b, "</button></form>");
  }
  sv4_buf_puts(b, "</section><section class=\"evidence-text\"><h2>");
  sv4__ht(req, b, "record.evidence_text");
  sv4_buf_puts(b, "</h2>");
  texts_with_evidence(req, b, rec, labels);
  sv4_buf_puts(b, "</section><section><h2>");
  sv4__ht(req, b, "record.objectives");
  sv4_buf_puts(b, "</h2>");
  sv4__html_objectives(req, b, objectives);
  sv4_buf_puts(b, "</section></div><aside class=\"side-col\"><section class=\"panel facts\"><h2>");
  sv4__ht(req, b, "record.facts");
  sv4_buf_puts(b, "</h2><dl>");
  const char *country = json_string_value(json_object_get(rec, "country"));
  if (country) fact(req, b, "facet.country", sv4__t(req, sv4_arena_printf(req->arena, "country.%s", country)));
  fact(req, b, "record.place", json_string_value(json_object_get(rec, "place")));
  fact(req, b, "facet.region", json_string_value(json_object_get(rec, "nuts")));
  fact(req, b, "record.lau", json_string_value(json_object_get(rec, "lau")));
  fact(req, b, "record.period", json_string_value(json_object_get(rec, "period")));
  fact(req, b, "record.adopted", json_string_value(json_object_get(rec, "adopted")));
  fact(req, b, "record.status", json_string_value(json_object_get(rec, "status")));
  fact(req, b, "record.stage", json_string_value(json_object_get(rec, "stage")));
  fact(req, b, "record.level", json_string_value(json_object_get(rec, "level")));
  if (own) fact(req, b, "facet.lang", sv4__t(req, sv4_arena_printf(req->arena, "lang.%s", own)));
  fact(req, b, "record.updated", json_string_value(json_object_get(rec, "updated")));
  sv4_buf_puts(b, "</dl>");
  const char *url = json_string_value(json_object_get(rec, "url"));
  if (url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7))) {
    sv4_buf_puts(b, "<p><a rel=\"noopener noreferrer\" href=\"");
    sv4__h(b, url);
    sv4_buf_puts(b, "\">");
    sv4__ht(req, b, "record.source");
    sv4_buf_puts(b, "</a></p>");
  }
  sv4_buf_printf(b, "<p><a href=\"/api/v1/records/%lld\">JSON</a> · <a href=\"/compare?ids=%lld\">", (long long)id,
                 (long long)id);
  sv4__ht(req, b, "nav.compare");
  sv4_buf_puts(b, "</a></p></section><section class=\"panel documents\"><h2>");
  sv4__ht(req, b, "record.documents");
  sv4_buf_puts(b, "</h2>");
  if (!json_array_size(docs)) {
    sv4_buf_puts(b, "<p class=\"note\">");
    sv4__ht(req, b, "record.no_documents");
    sv4_buf_puts(b, "</p>");
  } else {
    sv4_buf_puts(b, "<ul>");
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d) {
      sv4_buf_printf(b, "<li><a href=\"/api/v1/records/%lld/documents/%lld\">", (long long)id,
                     (long long)json_integer_value(json_object_get(d, "id")));
      sv4__h(b, json_string_value(json_object_get(d, "filename")));
      sv4_buf_printf(b, "</a> <small class=\"n\">%lld kB</small></li>",
                     (long long)(json_integer_value(json_object_get(d, "size")) + 1023) / 1024);
    }
    sv4_buf_puts(b, "</ul>");
  }
  sv4_buf_puts(b, "</section><section class=\"panel funding\"><h2>");
  sv4__ht(req, b, "record.funding");
  sv4_buf_puts(b, "</h2>");
  if (!json_array_size(funding)) {
    sv4_buf_puts(b, "<p class=\"note\">");
    sv4__ht(req, b, type && !strcmp(type, "funding") ? "record.is_funding" : "record.no_funding");
    sv4_buf_puts(b, "</p>");
  } else {
    sv4_buf_puts(b, "<ol class=\"funding-list\">");
    size_t i;
    json_t *m;
    json_array_foreach(funding, i, m) {
      if (i >= 10) break;
      const char *ft = sv4__pick_text(json_object_get(m, "title"), req->lang, NULL);
      sv4_buf_printf(b, "<li><a href=\"/records/%lld\">", (long long)json_integer_value(json_object_get(m, "id")));
      sv4__h(b, ft ? ft : "—");
      sv4_buf_puts(b, "</a>");
      const char *level = json_string_value(json_object_get(m, "level"));
      if (level) {
        sv4_buf_puts(b, " <span class=\"badge\">");
        sv4__h(b, level);
        sv4_buf_puts(b, "</span>");
      }
      sv4_buf_puts(b, "<br><small>");
      size_t k;
      json_t *why;
      json_array_foreach(json_object_get(m, "reasons"), k, why) {
        if (k) sv4_buf_puts(b, "; ");
        sv4__h(b, json_string_value(why));
      }
      sv4_buf_puts(b, "</small></li>");
    }
    sv4_buf_puts(b, "</ol>");
  }
  sv4_buf_puts(b, "</section><section class=\"panel history\"><h2>");
  sv4__ht(req, b, "record.history");
  sv4_buf_puts(b, "</h2><ol class=\"revisions\">");
  size_t i;
  json_t *r;
  json_array_foreach(revs, i, r) {
    json_t *what = json_object_get(r, "what");
    sv4_buf_puts(b, "<li><time>");
    sv4__h(b, json_string_value(json_object_get(r, "at")));
    sv4_buf_puts(b, "</time> · ");
    sv4__h(b, json_string_value(json_object_get(r, "who")));
    sv4_buf_puts(b, " · ");
    sv4__h(b, json_string_value(json_object_get(what, "action")));
    const char *sc = json_string_value(json_object_get(what, "scheme"));
    if (sc) {
      sv4_buf_puts(b, " ");
      sv4__h(b, sc);
      sv4_buf_puts(b, ":");
      sv4__h(b, json_string_value(json_object_get(what, "code")));
    }
    json_t *fields = json_object_get(what, "fields");
    if (json_array_size(fields)) {
      sv4_buf_puts(b, " (");
      size_t k;
      json_t *f;
      json_array_foreach(fields, k, f) {
        if (k) sv4_buf_puts(b, ", ");
        sv4__h(b, json_string_value(f));
      }
      sv4_buf_puts(b, ")");
    }
    const char *why = json_string_value(json_object_get(r, "why"));
    if (why && *why) {
      sv4_buf_puts(b, " — “");
      sv4__h(b, why);
      sv4_buf_puts(b, "”");
    }
    sv4_buf_puts(b, "</li>");
  }
  sv4_buf_puts(b, "</ol></section></aside></div></article>");
  sv4__html_end(req, resp);
  json_decref(rec);
  json_decref(labels);
  json_decref(objectives);
  json_decref(docs);
  json_decref(revs);
  json_decref(funding);
}

/* ---- compare ---------------------------------------------------------------------------------------------- */

void sv4__page_compare(sv4_req *req, sv4_resp *resp) {
  sv4_app *app = req->app;
  const char *ids[SV4_MAX_COMPARE_RECORDS + 1];
  size_t n = sv4__req_params(req, "ids", ids, SV4_MAX_COMPARE_RECORDS + 1);
  if (n > SV4_MAX_COMPARE_RECORDS) {
    sv4__html_error(req, resp, 413, "compare.too_many", NULL);
    return;
  }
  json_t *briefs[SV4_MAX_COMPARE_RECORDS];
  double values[SV4_MAX_COMPARE_RECORDS * 17];
  memset(values, 0, sizeof values);
  size_t m = 0;
  sv4_buf idlist;
  sv4_buf_init(&idlist, 0);
  for (size_t i = 0; i < n; i++) {
    int64_t id = record_id_arg(ids[i]);
    json_t *brief = id ? sv4__record_brief(req, id) : NULL;
    if (!brief) continue;
    sv4_buf_printf(&idlist, "%s%lld", m ? "," : "", (long long)id);
    json_t *labels = NULL;
    if (!app->ops->labels_get(app->store, id, &labels, NULL)) {
      size_t k;
      json_t *l;
      json_array_foreach(labels, k, l) {
        const char *scheme = json_string_value(json_object_get(l, "scheme"));
        if (!scheme || strcmp(scheme, "sdg") || is_rejected(l)) continue;
        int g = atoi(json_string_value(json_object_get(l, "code")));
        if (g >= 1 && g <= 17) values[m * 17 + (size_t)(g - 1)] = json_number_value(json_object_get(l, "score"));
      }
      json_decref(labels);
    }
    briefs[m++] = brief;
  }
  sv4__html_begin(req, resp, sv4__t(req, "compare.title"), NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<h1>");
  sv4__ht(req, b, "compare.title");
  sv4_buf_puts(b, "</h1><form method=\"get\" action=\"/compare\" class=\"searchbar\"><label for=\"ids\" "
                  "class=\"visually-hidden\">");
  sv4__ht(req, b, "compare.ids");
  sv4_buf_puts(b, "</label><input type=\"text\" id=\"ids\" name=\"ids\" inputmode=\"numeric\" pattern=\"[0-9, ]*\" "
                  "value=\"");
  sv4__h(b, idlist.data);
  sv4_buf_puts(b, "\" placeholder=\"1,2,3\"><button type=\"submit\">");
  sv4__ht(req, b, "compare.button");
  sv4_buf_puts(b, "</button></form><p class=\"note\">");
  sv4__ht(req, b, "compare.hint");
  sv4_buf_puts(b, "</p>");
  sv4_buf_free(&idlist);
  if (n && m < n) {
    sv4_buf_puts(b, "<p class=\"notice error\">");
    sv4__ht(req, b, "compare.missing");
    sv4_buf_puts(b, "</p>");
  }
  if (m) {
    const char *rows[SV4_MAX_COMPARE_RECORDS], *hrefs[SV4_MAX_COMPARE_RECORDS];
    const char *cols[17], *tips[17], *colors[17];
    for (size_t i = 0; i < m; i++) {
      const char *t = sv4__pick_text(json_object_get(briefs[i], "title"), req->lang,
                                     json_string_value(json_object_get(briefs[i], "lang")));
      json_int_t id = json_integer_value(json_object_get(briefs[i], "id"));
      rows[i] = sv4_arena_printf(req->arena, "#%lld %s", (long long)id, t ? t : "");
      hrefs[i] = sv4_arena_printf(req->arena, "/records/%lld", (long long)id);
    }
    for (int g = 0; g < 17; g++) {
      char code[8];
      snprintf(code, sizeof code, "%d", g + 1);
      cols[g] = sv4_arena_strdup(req->arena, code);
      tips[g] = sv4_arena_printf(req->arena, "SDG %d: %s", g + 1, sv4__concept_title(req, "sdg", code));
      colors[g] = sv4__goal_color(req, g + 1);
    }
    sv4_buf_puts(b, "<section class=\"heat\"><h2>");
    sv4__ht(req, b, "compare.heatmap");
    sv4_buf_puts(b, "</h2>");
    sv4__svg_heatmap(b, sv4__t(req, "compare.heatmap"), rows, hrefs, m, cols, tips, colors, 17, values);
    sv4_buf_puts(b, "<p class=\"note\">");
    sv4__ht(req, b, "compare.legend");
    sv4_buf_puts(b, "</p></section><section class=\"gaps\"><h2>");
    sv4__ht(req, b, "compare.gaps");
    sv4_buf_puts(b, "</h2><h3>");
    sv4__ht(req, b, "compare.common_gaps");
    sv4_buf_puts(b, "</h3><p class=\"codes common-gaps\">");
    int ncommon = 0;
    for (int g = 0; g < 17; g++) {
      int any = 0;
      for (size_t i = 0; i < m; i++) any |= values[i * 17 + (size_t)g] > 0;
      if (any) continue;
      ncommon++;
      sv4_buf_printf(b, "<a href=\"/search?sdg=%d\" class=\"badge\" data-goal=\"%d\">", g + 1, g + 1);
      sv4__h(b, tips[g]);
      sv4_buf_puts(b, "</a> ");
    }
    if (!ncommon) sv4__ht(req, b, "compare.no_common_gaps");
    sv4_buf_puts(b, "</p><ul class=\"gaps\">");
    for (size_t i = 0; i < m; i++) {
      sv4_buf_puts(b, "<li><a href=\"");
      sv4__h(b, hrefs[i]);
      sv4_buf_puts(b, "\">");
      sv4__h(b, rows[i]);
      sv4_buf_puts(b, "</a>: ");
      int first = 1;
      for (int g = 0; g < 17; g++) {
        if (values[i * 17 + (size_t)g] > 0) continue;
        sv4_buf_printf(b, "%s%d", first ? "" : ", ", g + 1);
        first = 0;
      }
      sv4_buf_puts(b, "</li>");
    }
    sv4_buf_puts(b, "</ul></section>");
  }
  for (size_t i = 0; i < m; i++) json_decref(briefs[i]);
  sv4__html_end(req, resp);
}
