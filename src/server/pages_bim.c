/* pages_bim.c — the building module in the portal: POST /api/v1/buildings/assess (JSON, as `smartv4 bim assess
 * --json`) and the /buildings page (upload an IFC model or pick a TABULA typology building; report with the energy
 * balance by element and the renovation variants as a cost vs savings chart). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/bim_funding.h"
#include "server/internal.h"
#include "sv4/bim.h"
#include "sv4/limits.h"

/* Typology and climate tables: read once, shared read-only. */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static sv4_tabula_set *typology;
static sv4_climate_set *climates;

static void load_tables(void) {
  sv4_typology_load(&typology, NULL);
  char *p = sv4_data_path("climate/monthly.csv");
  if (p) sv4_climate_load(p, &climates, NULL);
  free(p);
}

typedef struct bim_form {
  const char *csrf, *typology, *location, *country, *year, *applicant;
  const sv4_part *file;
} bim_form;

typedef struct bim_run {
  sv4_assessment *as;
  sv4_tabula_input base;
  char problem[SV4_ERROR_MSG_MAX];
  sv4_rc rc;
} bim_run;

static const char *part_str(sv4_req *req, const sv4_part *p) { return sv4_arena_strndup(req->arena, p->data, p->len); }

/* Reads the multipart form; returns 0 (error response written) when it is not one. */
static int read_form(sv4_req *req, sv4_resp *resp, bim_form *f, int html) {
  sv4_part *parts = NULL;
  size_t n = 0;
  sv4_error e = {0};
  memset(f, 0, sizeof *f);
  if (sv4__parse_multipart(req->arena, req->content_type, req->body, req->body_len, &parts, &n, &e)) {
    if (html)
      sv4__html_error(req, resp, 400, "error.bad_form", e.msg);
    else
      sv4__resp_error(resp, e.rc, "%s", e.msg);
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    const sv4_part *p = &parts[i];
    if (!strcmp(p->name, "csrf")) f->csrf = part_str(req, p);
    else if (!strcmp(p->name, "typology")) f->typology = part_str(req, p);
    else if (!strcmp(p->name, "location")) f->location = part_str(req, p);
    else if (!strcmp(p->name, "country")) f->country = part_str(req, p);
    else if (!strcmp(p->name, "year")) f->year = part_str(req, p);
    else if (!strcmp(p->name, "applicant")) f->applicant = part_str(req, p);
    else if (!strcmp(p->name, "file") && p->len) f->file = p;
  }
  return 1;
}

/* Runs the assessment of the form's building; on failure run->rc and run->problem say why. */
static void assess(sv4_req *req, const bim_form *f, bim_run *run) {
  sv4_error e = {0};
  sv4_step *step = NULL;
  sv4_ifc_model *model = NULL;
  const sv4_tabula_input *pk[SV4_MAX_PACKAGES];
  size_t npk = 0;
  char *dd = NULL;
  sv4_funding_programme *prog = NULL;
  memset(run, 0, sizeof *run);
  pthread_once(&tables_once, load_tables);
  if (!typology) {
    run->rc = sv4_error_set(&e, SV4_ERR_NOTFOUND, "data/tabula/episcope-v4.csv could not be read");
    goto done;
  }
  const char *country = f->country && *f->country ? f->country : NULL;
  int year = f->year ? atoi(f->year) : 0;
  if (f->file) {
    if (!f->location || !*f->location || !country) {
      run->rc = sv4_error_set(&e, SV4_ERR_USAGE, "an IFC model needs a location and a country");
      goto done;
    }
    const char *name = f->file->filename && *f->file->filename ? f->file->filename : "model.ifc";
    if ((run->rc = sv4_step_open_mem(f->file->data, f->file->len, name, &step, &e))) goto done;
    if ((run->rc = sv4_ifc_model_from_step(step, &model, &e))) goto done;
    if ((run->rc = sv4_base_from_ifc(model, typology, country, year, name, &run->base, &e))) goto done;
  } else if (f->typology && *f->typology) {
    if ((run->rc = sv4_base_from_typology(typology, f->typology, &run->base, pk, &npk, &e))) goto done;
  } else {
    run->rc = sv4_error_set(&e, SV4_ERR_USAGE, "choose a TABULA building or upload an IFC model");
    goto done;
  }
  dd = sv4_data_path("");
  if (dd && *dd && dd[strlen(dd) - 1] == '/') dd[strlen(dd) - 1] = '\0';
  sv4_assess_options opt = {.data_dir = dd, .country = country ? country : run->base.country,
                            .location = f->location && *f->location ? f->location : NULL};
  /* funding: the portal's funding records when it has any, else data/funding/ */
  size_t nrec = 0;
  if ((run->rc = sv4__bim_store_funding(req->app->ops, req->app->store, opt.country, f->applicant, &prog,
                                        &opt.nfunding, &nrec, &e)))
    goto done;
  opt.funding = prog;
  if (nrec) opt.funding_origin = "portal funding records";
  run->rc = sv4_assess(&run->base, pk, npk, &opt, &run->as, &e);
done:
  free(prog);
  if (run->rc) snprintf(run->problem, sizeof run->problem, "%s", e.msg[0] ? e.msg : sv4_strerror(run->rc));
  sv4_ifc_model_free(model);
  sv4_step_close(step);
  free(dd);
}

void sv4__api_bim_assess(sv4_req *req, sv4_resp *resp) {
  bim_form f;
  if (!read_form(req, resp, &f, 0)) return;
  bim_run run;
  assess(req, &f, &run);
  if (run.rc == SV4_ERR_UNSUPPORTED) { /* a readable model without what the method needs (no envelope) */
    sv4__resp_status_error(resp, 422, "no_thermal_envelope", "%s", run.problem);
    return;
  }
  if (run.rc) {
    sv4__resp_error(resp, run.rc, "%s", run.problem);
    return;
  }
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
  sv4_assessment_to_json(run.as, &resp->body);
  sv4_assessment_free(run.as);
}

/* ---- the page ------------------------------------------------------------------------------------------- */

static void form_html(sv4_req *req, sv4_resp *resp, const bim_form *f) {
  sv4_buf *b = &resp->body;
  pthread_once(&tables_once, load_tables);
  sv4_buf_puts(b, "<form method=\"post\" action=\"/buildings\" enctype=\"multipart/form-data\" class=\"classify\">");
  sv4__html_csrf(req, resp);
  sv4_buf_puts(b, "<fieldset><legend>");
  sv4__ht(req, b, "bim.typology");
  sv4_buf_puts(b, "</legend><label for=\"typology\">");
  sv4__ht(req, b, "bim.typology_pick");
  sv4_buf_puts(b, "</label><select id=\"typology\" name=\"typology\"><option value=\"\">—</option>");
  for (size_t i = 0; typology && i < sv4_tabula_count(typology); i++) {
    const sv4_tabula_input *t = sv4_tabula_at(typology, i, NULL);
    if (t->variant % 10 != 1 || t->variant / 10 != 0) continue; /* existing state of each building */
    sv4_buf_puts(b, "<option value=\"");
    sv4__h(b, t->building);
    sv4_buf_puts(b, "\"");
    if (f && f->typology && !strcmp(f->typology, t->building)) sv4_buf_puts(b, " selected");
    sv4_buf_printf(b, ">%s — %d–%d, ", t->country, t->year1, t->year2);
    sv4__h(b, t->building);
    sv4_buf_puts(b, "</option>");
  }
  sv4_buf_puts(b, "</select></fieldset><fieldset><legend>");
  sv4__ht(req, b, "bim.model");
  sv4_buf_puts(b, "</legend><label for=\"file\">");
  sv4__ht(req, b, "bim.ifc_file");
  sv4_buf_puts(b, "</label><input type=\"file\" id=\"file\" name=\"file\" accept=\".ifc\"><label for=\"country\">");
  sv4__ht(req, b, "bim.country");
  sv4_buf_puts(b, "</label><select id=\"country\" name=\"country\"><option value=\"\">—</option>");
  static const char *const cc[] = {"PL", "CZ", "SK", "HU"};
  for (int i = 0; i < 4; i++)
    sv4_buf_printf(b, "<option%s>%s</option>", f && f->country && !strcmp(f->country, cc[i]) ? " selected" : "", cc[i]);
  sv4_buf_puts(b, "</select><label for=\"year\">");
  sv4__ht(req, b, "bim.year");
  sv4_buf_puts(b, "</label><input type=\"number\" id=\"year\" name=\"year\" min=\"1800\" max=\"2100\" value=\"");
  sv4__h(b, f && f->year ? f->year : "1970");
  sv4_buf_puts(b, "\"></fieldset><label for=\"location\">");
  sv4__ht(req, b, "bim.location");
  sv4_buf_puts(b, "</label><select id=\"location\" name=\"location\"><option value=\"\">—</option>");
  for (size_t i = 0; climates && i < sv4_climate_count(climates); i++) {
    const sv4_climate *c = sv4_climate_at(climates, i);
    sv4_buf_puts(b, "<option value=\"");
    sv4__h(b, c->code);
    sv4_buf_puts(b, "\"");
    if (f && f->location && !strcmp(f->location, c->code)) sv4_buf_puts(b, " selected");
    sv4_buf_puts(b, ">");
    sv4__h(b, c->code);
    sv4_buf_puts(b, " — ");
    sv4__h(b, c->name);
    sv4_buf_puts(b, "</option>");
  }
  sv4_buf_puts(b, "</select><button type=\"submit\">");
  sv4__ht(req, b, "bim.assess");
  sv4_buf_puts(b, "</button></form>");
}

/* Cost (x) vs yearly savings (y) of every variant: the upper left is best. */
static void scatter(sv4_buf *b, const sv4_assessment *a, const char *title) {
  const double W = 640, H = 360, L = 70, R = 20, T = 20, B = 50;
  double xmax = 1, ymax = 1, ymin = 0;
  for (size_t i = 0; i < a->n; i++) {
    if (a->variants[i].cost_eur > xmax) xmax = a->variants[i].cost_eur;
    if (a->variants[i].savings_eur_per_year > ymax) ymax = a->variants[i].savings_eur_per_year;
    if (a->variants[i].savings_eur_per_year < ymin) ymin = a->variants[i].savings_eur_per_year;
  }
  sv4_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, H);
  sv4__svg_text(b, title);
  sv4_buf_puts(b, "\">");
  sv4_buf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#555\"/>", L, H - B, W - R, H - B);
  sv4_buf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#555\"/>", L, T, L, H - B);
  sv4_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" text-anchor=\"end\">%.0f EUR</text>", W - R, H - 12, xmax);
  sv4_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\">%.0f EUR/a</text>", L + 4, T + 10, ymax);
  sv4_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\">investment → </text>",
                 (L + W - R) / 2, H - 12);
  for (size_t i = 0; i < a->n; i++) {
    const sv4_variant_result *v = &a->variants[i];
    double x = L + (W - L - R) * v->cost_eur / xmax;
    double y = (H - B) - (H - B - T) * (v->savings_eur_per_year - ymin) / (ymax - ymin);
    sv4_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\"><title>", x, y,
                   v->npv_eur > 0 ? "#3F7E44" : "#C5192D");
    sv4__svg_text(b, v->name);
    sv4_buf_printf(b, ": %.0f EUR, %.0f EUR/a, NPV %.0f EUR</title></circle>", v->cost_eur, v->savings_eur_per_year,
                   v->npv_eur);
  }
  sv4_buf_puts(b, "</svg>");
}

/* Heat losses by element and gains over the year (kWh/a): the monthly balance split by each element's share of
 * the heat transfer coefficient. */
static void balance(sv4_req *req, sv4_buf *b, const bim_run *run) {
  sv4_tabula_result tr;
  sv4_energy_building bld;
  sv4_monthly_result mr;
  if (sv4_tabula_compute(&run->base, &tr, NULL)) return;
  sv4_tabula_to_building(&run->base, &tr, &bld);
  if (sv4_monthly_heating(&bld, &run->as->climate, &mr, NULL)) return;
  double qht = 0, qsol = 0, qint = 0;
  for (int m = 0; m < 12; m++) {
    qht += mr.q_ht[m];
    qsol += mr.q_sol[m];
    qint += mr.q_int[m];
  }
  double htot = bld.h_tr + bld.h_ve;
  sv4_svg_bar bars[SV4_TAB_NEL + 5];
  size_t n = 0;
  for (int i = 0; i < SV4_TAB_NEL && htot > 0; i++) {
    if (!(tr.h_tr_el[i] > 0)) continue;
    bars[n++] = (sv4_svg_bar){sv4_tabula_element_name(i), NULL, qht * tr.h_tr_el[i] / htot, "#C5192D", NULL};
  }
  if (htot > 0) {
    bars[n++] = (sv4_svg_bar){sv4__t(req, "bim.thermal_bridges"), NULL, qht * tr.h_tr_tb / htot, "#DD1367", NULL};
    bars[n++] = (sv4_svg_bar){sv4__t(req, "bim.ventilation"), NULL, qht * bld.h_ve / htot, "#FD9D24", NULL};
  }
  bars[n++] = (sv4_svg_bar){sv4__t(req, "bim.solar_gains"), NULL, -qsol, "#FCC30B", NULL};
  bars[n++] = (sv4_svg_bar){sv4__t(req, "bim.internal_gains"), NULL, -qint, "#A21942", NULL};
  bars[n++] = (sv4_svg_bar){sv4__t(req, "bim.heating_need"), NULL, mr.q_h_nd_year, "#26BDE2", NULL};
  sv4_svg_bars_opts o = {.title = sv4__t(req, "bim.balance"), .unit = " kWh/a"};
  sv4__svg_bars(b, bars, n, &o);
}

static void report(sv4_req *req, sv4_resp *resp, const bim_run *run) {
  sv4_buf *b = &resp->body;
  const sv4_assessment *a = run->as;
  sv4_buf_puts(b, "<section class=\"report\"><h2>");
  sv4__h(b, a->building);
  sv4_buf_puts(b, "</h2><p>");
  sv4_buf_printf(b, "%s · %.1f m² · ", a->country, a->base.a_c_ref);
  sv4__h(b, a->climate.code);
  sv4_buf_puts(b, " (");
  sv4__h(b, a->climate.name);
  sv4_buf_printf(b, ") · %.1f kWh/(m²a) · %.0f kWh · %.0f kg CO2 · %.0f EUR/a</p>", a->baseline.q_h_nd,
                 a->baseline.delivered_kwh, a->baseline.co2_kg, a->baseline.running_eur);
  sv4_buf_puts(b, "<h3>");
  sv4__ht(req, b, "bim.balance");
  sv4_buf_puts(b, "</h3>");
  balance(req, b, run);
  sv4_buf_puts(b, "<h3>");
  sv4__ht(req, b, "bim.variants");
  sv4_buf_puts(b, "</h3>");
  scatter(b, a, sv4__t(req, "bim.variants"));
  sv4_buf_puts(b, "<table class=\"variants\"><thead><tr><th>");
  sv4__ht(req, b, "bim.variant");
  sv4_buf_puts(b, "</th><th>kWh/(m²a)</th><th>CO2 kg/a</th><th>EUR</th><th>EUR/a</th><th>");
  sv4__ht(req, b, "bim.payback");
  sv4_buf_puts(b, "</th><th>NPV EUR</th><th>");
  sv4__ht(req, b, "bim.funding");
  sv4_buf_puts(b, "</th></tr></thead><tbody>");
  for (size_t i = 0; i < a->n; i++) {
    const sv4_variant_result *v = &a->variants[i];
    sv4_buf_puts(b, "<tr><td>");
    sv4__h(b, v->name);
    sv4_buf_printf(b, "</td><td>%.1f</td><td>%.0f</td><td>%.0f</td><td>%.0f</td><td>", v->q_h_nd, v->co2_kg,
                   v->cost_eur, v->savings_eur_per_year);
    if (isfinite(v->payback_years))
      sv4_buf_printf(b, "%.1f", v->payback_years);
    else
      sv4_buf_puts(b, "–");
    sv4_buf_printf(b, "</td><td>%.0f</td><td>", v->npv_eur);
    for (size_t k = 0; k < v->nfunding; k++) {
      const sv4_funding_programme *g = v->funding[k];
      int web = !strncmp(g->url, "https://", 8) || !strncmp(g->url, "http://", 7);
      if (k) sv4_buf_puts(b, "; ");
      if (g->record_id) { /* a portal record: its page */
        sv4_buf_printf(b, "<a href=\"/records/%lld\">", (long long)g->record_id);
      } else if (web) {
        sv4_buf_puts(b, "<a href=\"");
        sv4__h(b, g->url);
        sv4_buf_puts(b, "\" rel=\"noopener\">");
      }
      sv4__h(b, g->name);
      if (g->record_id || web) sv4_buf_puts(b, "</a>");
    }
    sv4_buf_puts(b, "</td></tr>");
  }
  sv4_buf_puts(b, "</tbody></table><p class=\"note\">");
  sv4__ht(req, b, "bim.costs_note");
  sv4_buf_puts(b, " ");
  sv4__h(b, a->costs_note);
  sv4_buf_puts(b, "</p><p class=\"note\">");
  sv4__ht(req, b, "bim.funding");
  sv4_buf_puts(b, ": ");
  sv4__h(b, a->funding_note);
  sv4_buf_puts(b, "</p></section>");
}

void sv4__page_buildings(sv4_req *req, sv4_resp *resp) {
  bim_form f = {0};
  bim_run run = {0};
  int posted = !strcmp(req->method, "POST");
  if (posted) {
    if (!read_form(req, resp, &f, 1)) return;
    if (!sv4__csrf_ok(req, resp, f.csrf)) {
      sv4__html_error(req, resp, 403, "error.csrf", NULL);
      return;
    }
    assess(req, &f, &run);
  }
  sv4__html_begin(req, resp, sv4__t(req, "bim.title"), NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<h1>");
  sv4__ht(req, b, "bim.title");
  sv4_buf_puts(b, "</h1><p>");
  sv4__ht(req, b, "bim.intro");
  sv4_buf_puts(b, "</p>");
  if (posted && run.rc) {
    resp->status = run.rc == SV4_ERR_UNSUPPORTED ? 422 : sv4_rc_http_status(run.rc);
    sv4__html_notice(b, run.problem, 1);
  }
  form_html(req, resp, &f);
  if (run.as) report(req, resp, &run);
  sv4_assessment_free(run.as);
  sv4__html_end(req, resp);
}
