/* variants.c — renovation variants of a building: measures and packages, their heating need (monthly method),
 * delivered / primary energy, CO2, investment cost, savings, payback, NPV and the funding programmes that fit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bim/energy_internal.h"
#include "sv4/bim.h"
#include "sv4/limits.h"
#include "sv4/util.h"

typedef struct measure {
  char code[24], kind[16], element[8], p3s[32];
  double p1, p2, p3;
  char p1s[32];
} measure;

typedef struct cost {
  char country[4], measure[24], unit[12];
  double eur;
} cost;

typedef struct priv {
  measure *m;
  size_t nm;
  cost *c;
  size_t nc;
  sv4_funding_programme *p;
  size_t np;
} priv;

static sv4_rc grow(void **p, size_t n, size_t sz, sv4_error *err) {
  void *q = realloc(*p, (n + 1) * sz);
  if (!q) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  *p = q;
  return SV4_OK;
}

static sv4_rc load_measures(priv *pv, const char *path, sv4_error *err) {
  static const char *const req[] = {"code", "kind", "element", "p1", "p2", "p3", NULL};
  sv4__table t;
  sv4_rc rc = sv4__table_open(&t, path, ',', req, err);
  while (!rc && (rc = sv4__table_next(&t, err)) == SV4_OK) {
    if ((rc = grow((void **)&pv->m, pv->nm, sizeof *pv->m, err))) break;
    measure *m = &pv->m[pv->nm];
    memset(m, 0, sizeof *m);
    snprintf(m->code, sizeof m->code, "%s", sv4__table_str(&t, "code"));
    snprintf(m->kind, sizeof m->kind, "%s", sv4__table_str(&t, "kind"));
    snprintf(m->element, sizeof m->element, "%s", sv4__table_str(&t, "element"));
    snprintf(m->p1s, sizeof m->p1s, "%s", sv4__table_str(&t, "p1"));
    if (strcmp(m->kind, "heat_pump") && (rc = sv4__table_num(&t, "p1", 0, 0, &m->p1, err))) break;
    if ((rc = sv4__table_num(&t, "p2", 1, 0, &m->p2, err)) || (rc = sv4__table_num(&t, "p3", 1, 0, &m->p3, err))) break;
    if (!strcmp(m->kind, "insulation") && !(m->p2 > 0)) {
      rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: insulation needs lambda > 0 in p2", t.file, sv4__table_line(&t));
      break;
    }
    pv->nm++;
  }
  if (rc == SV4_ERR_NOTFOUND) rc = SV4_OK;
  sv4__table_close(&t);
  return rc;
}

/* Later rows (the override file) replace earlier rows of the same country and measure. */
static sv4_rc load_costs(priv *pv, const char *path, sv4_error *err) {
  static const char *const req[] = {"country", "measure", "eur_per_unit", "unit", NULL};
  sv4__table t;
  sv4_rc rc = sv4__table_open(&t, path, ',', req, err);
  while (!rc && (rc = sv4__table_next(&t, err)) == SV4_OK) {
    cost c;
    memset(&c, 0, sizeof c);
    snprintf(c.country, sizeof c.country, "%s", sv4__table_str(&t, "country"));
    snprintf(c.measure, sizeof c.measure, "%s", sv4__table_str(&t, "measure"));
    snprintf(c.unit, sizeof c.unit, "%s", sv4__table_str(&t, "unit"));
    if ((rc = sv4__table_num(&t, "eur_per_unit", 0, 0, &c.eur, err))) break;
    if (c.eur < 0) { rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: negative cost", t.file, sv4__table_line(&t)); break; }
    size_t i = 0;
    while (i < pv->nc && (strcasecmp(pv->c[i].country, c.country) || strcmp(pv->c[i].measure, c.measure))) i++;
    if (i == pv->nc) {
      if ((rc = grow((void **)&pv->c, pv->nc, sizeof *pv->c, err))) break;
      pv->nc++;
    }
    pv->c[i] = c;
  }
  if (rc == SV4_ERR_NOTFOUND) rc = SV4_OK;
  sv4__table_close(&t);
  return rc;
}

static sv4_rc load_funding(priv *pv, const char *path, sv4_error *err) {
  static const char *const req[] = {"country", "name", "measures", "url", NULL};
  sv4__table t;
  sv4_rc rc = sv4__table_open(&t, path, ',', req, err);
  while (!rc && (rc = sv4__table_next(&t, err)) == SV4_OK) {
    if ((rc = grow((void **)&pv->p, pv->np, sizeof *pv->p, err))) break;
    sv4_funding_programme *p = &pv->p[pv->np++];
    memset(p, 0, sizeof *p);
    snprintf(p->country, sizeof p->country, "%s", sv4__table_str(&t, "country"));
    snprintf(p->name, sizeof p->name, "%s", sv4__table_str(&t, "name"));
    snprintf(p->measures, sizeof p->measures, "%s", sv4__table_str(&t, "measures"));
    snprintf(p->url, sizeof p->url, "%s", sv4__table_str(&t, "url"));
    snprintf(p->source, sizeof p->source, "data/funding/programmes.csv");
  }
  if (rc == SV4_ERR_NOTFOUND) rc = SV4_OK;
  sv4__table_close(&t);
  return rc;
}

static const cost *cost_of(const priv *pv, const char *country, const char *code) {
  const cost *eu = NULL;
  for (size_t i = 0; i < pv->nc; i++) {
    if (strcmp(pv->c[i].measure, code)) continue;
    if (!strcasecmp(pv->c[i].country, country)) return &pv->c[i];
    if (!strcasecmp(pv->c[i].country, "EU")) eu = &pv->c[i];
  }
  return eu;
}

static const measure *measure_of(const priv *pv, const char *code) {
  for (size_t i = 0; i < pv->nm; i++)
    if (!strcmp(pv->m[i].code, code)) return &pv->m[i];
  return NULL;
}

/* Element indices a measure's element name covers. */
static int covers(const char *element, int i) {
  if (!strcmp(element, "wall")) return i >= SV4_TAB_WALL_1 && i <= SV4_TAB_WALL_3;
  if (!strcmp(element, "roof")) return i == SV4_TAB_ROOF_1 || i == SV4_TAB_ROOF_2;
  if (!strcmp(element, "floor")) return i == SV4_TAB_FLOOR_1 || i == SV4_TAB_FLOOR_2;
  if (!strcmp(element, "window")) return i == SV4_TAB_WINDOW_1 || i == SV4_TAB_WINDOW_2;
  return 0;
}

static double annual_hor(const sv4_climate *c) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  double s = 0;
  for (int m = 0; m < 12; m++) s += c->i_sol[SV4_OR_HOR][m] * d[m];
  return s;
}

typedef struct ctx {
  const sv4_assess_options *opt;
  const priv *pv;
  const sv4_energy_tables *et;
  const sv4_climate *clim;
  const sv4_heat_system *base_sys;
  const char *country;
} ctx;

/* Applies the measures (comma-separated codes) to a copy of base, computes the variant. */
static sv4_rc run_variant(const ctx *x, const sv4_tabula_input *base, const char *name, const char *codes,
                          int from_tabula, sv4_variant_result *v, sv4_error *err) {
  sv4_rc rc;
  sv4_tabula_input in = *base;
  const sv4_heat_system *sys = x->base_sys;
  double invest = 0, pv_kwh = 0;
  char list[192], *save = NULL;
  memset(v, 0, sizeof *v);
  snprintf(v->name, sizeof v->name, "%s", name);
  snprintf(v->measures, sizeof v->measures, "%s", codes);
  snprintf(list, sizeof list, "%s", codes);
  for (char *tok = strtok_r(list, ",", &save); tok && !from_tabula; tok = strtok_r(NULL, ",", &save)) {
    const measure *m = measure_of(x->pv, tok);
    if (!m) return sv4_error_set(err, SV4_ERR_NOTFOUND, "measure '%s' not in data/costs/measures.csv", tok);
    const cost *c = cost_of(x->pv, x->country, m->code);
    double unit = c ? c->eur : 0, qty = 0;
    if (!strcmp(m->kind, "insulation") || !strcmp(m->kind, "window")) {
      for (int i = 0; i < SV4_TAB_NEL; i++) {
        sv4_tabula_element *e = &in.el[i];
        if (!covers(m->element, i) || !(e->u > 0) || !(e->area_m2 > 0)) continue;
        e->f_measure = 1.0;
        if (!strcmp(m->kind, "insulation")) {
          e->measure = SV4_MEASURE_ADD;
          e->r_measure = m->p1 / m->p2;
        } else {
          e->measure = SV4_MEASURE_REPLACE;
          e->r_measure = 1.0 / m->p1;
          e->g_measure = m->p2;
        }
        qty += e->area_m2;
      }
    } else if (!strcmp(m->kind, "hr_ventilation")) {
      in.n_air_use *= 1.0 - m->p1;
      in.n_air_infiltration = m->p2 < in.n_air_infiltration ? m->p2 : in.n_air_infiltration;
      qty = in.a_c_ref;
    } else if (!strcmp(m->kind, "heat_pump")) {
      sys = sv4_heat_system_find(x->et, m->p1s);
      if (!sys) return sv4_error_set(err, SV4_ERR_NOTFOUND, "heat pump system '%s' not in data/energy/systems.csv", m->p1s);
      qty = 1;
      const cost *extra = cost_of(x->pv, x->country, "heat_pump_per_m2");
      if (extra && in.a_c_ref > 150) invest += extra->eur * (in.a_c_ref - 150);
    } else if (!strcmp(m->kind, "pv")) {
      double roof = in.el[SV4_TAB_ROOF_1].area_m2 + in.el[SV4_TAB_ROOF_2].area_m2;
      double kwp = roof * m->p1 * m->p2; /* 1 m² of 20 % modules = 0.2 kWp */
      pv_kwh = kwp * annual_hor(x->clim) * m->p3;
      qty = kwp;
    }
    if (!c) return sv4_error_set(err, SV4_ERR_NOTFOUND, "no unit cost for '%s' (%s or EU)", m->code, x->country);
    invest += unit * qty;
  }
  if (from_tabula) { /* TABULA package: costs of the equivalent smartv4 measures by element area */
    for (int i = 0; i < SV4_TAB_NEL; i++) {
      const sv4_tabula_element *e = &in.el[i];
      if (!e->measure || !(e->area_m2 > 0) || !(e->u > 0)) continue;
      const char *mc = i <= SV4_TAB_ROOF_2 ? "roof_20" : i <= SV4_TAB_WALL_3 ? "wall_12" : i <= SV4_TAB_FLOOR_2 ? "floor_10"
                       : i <= SV4_TAB_WINDOW_2 ? "windows_2g" : "windows_2g";
      const cost *c = cost_of(x->pv, x->country, mc);
      if (c) invest += c->eur * e->area_m2 * e->f_measure;
    }
  }
  sv4_tabula_result tr;
  sv4_energy_building b;
  sv4_monthly_result mr;
  if ((rc = sv4_tabula_compute(&in, &tr, err)) != SV4_OK) return rc;
  sv4_tabula_to_building(&in, &tr, &b);
  if ((rc = sv4_monthly_heating(&b, x->clim, &mr, err)) != SV4_OK) return rc;
  for (int i = 0; i < SV4_TAB_NEL; i++) v->u[i] = tr.u_actual[i];
  v->q_h_nd = mr.q_h_nd_m2;
  sv4_energy_use use;
  if ((rc = sv4_energy_use_of(x->et, x->country, sys, mr.q_h_nd_year, pv_kwh, &use, err)) != SV4_OK) return rc;
  v->need_kwh = use.need_kwh;
  v->delivered_kwh = use.delivered_kwh;
  v->primary_kwh = use.primary_kwh;
  v->co2_kg = use.co2_kg;
  v->running_eur = use.cost_eur;
  v->pv_kwh = pv_kwh;
  v->cost_eur = invest;
  snprintf(v->system, sizeof v->system, "%s", sys->code);
  return SV4_OK;
}

static void economics(sv4_variant_result *v, const sv4_variant_result *base, double r, int n) {
  v->savings_eur_per_year = base->running_eur - v->running_eur;
  v->payback_years = v->savings_eur_per_year > 0 ? v->cost_eur / v->savings_eur_per_year : INFINITY;
  double annuity = r > 0 ? (1.0 - pow(1.0 + r, -n)) / r : n;
  v->npv_eur = v->savings_eur_per_year * annuity - v->cost_eur;
}

static void match_funding(const priv *pv, const char *country, sv4_variant_result *v) {
  static const struct { const char *prefix, *kind; } MAP[] = {
      {"wall", "envelope"}, {"roof", "envelope"}, {"floor", "envelope"}, {"windows", "windows"},
      {"mvhr", "mvhr"},     {"heat_pump", "heat_pump"}, {"pv", "pv"}, {"tabula", "envelope"}};
  for (size_t p = 0; p < pv->np && v->nfunding < SV4_VARIANT_MAX_FUNDING; p++) {
    const sv4_funding_programme *g = &pv->p[p];
    if (strcasecmp(g->country, country) && strcasecmp(g->country, "EU")) continue;
    int fits = 0;
    char kinds[sizeof g->measures + 2];
    snprintf(kinds, sizeof kinds, " %s ", g->measures);
    for (size_t k = 0; k < sizeof MAP / sizeof *MAP && !fits; k++) {
      char pat[24];
      snprintf(pat, sizeof pat, " %s ", MAP[k].kind);
      if (strstr(v->measures, MAP[k].prefix) && strstr(kinds, pat)) fits = 1;
    }
    if (fits) v->funding[v->nfunding++] = g;
  }
}

static int by_npv(const void *a, const void *b) {
  double x = ((const sv4_variant_result *)a)->npv_eur, y = ((const sv4_variant_result *)b)->npv_eur;
  return x < y ? 1 : x > y ? -1 : 0;
}

static const char *national_climate(const char *country) {
  if (!strcasecmp(country, "CZ")) return "CZ.N";
  if (!strcasecmp(country, "PL")) return "PL.N";
  if (!strcasecmp(country, "HU")) return "HU.HU";
  return NULL;
}

static const struct { const char *name, *codes; } PACKAGES[] = {
    {"wall 12 cm", "wall_12"},
    {"wall 20 cm", "wall_20"},
    {"roof 20 cm", "roof_20"},
    {"roof 30 cm", "roof_30"},
    {"floor 10 cm", "floor_10"},
    {"windows double-glazed", "windows_2g"},
    {"windows triple-glazed", "windows_3g"},
    {"ventilation with heat recovery", "mvhr"},
    {"heat pump", "heat_pump"},
    {"PV on the roof", "pv"},
    {"envelope (standard)", "wall_12,roof_20,floor_10,windows_2g"},
    {"envelope (advanced)", "wall_20,roof_30,floor_10,windows_3g"},
    {"envelope + heat pump", "wall_12,roof_20,floor_10,windows_2g,heat_pump"},
    {"deep (advanced envelope, MVHR, heat pump, PV)", "wall_20,roof_30,floor_10,windows_3g,mvhr,heat_pump,pv"},
};

sv4_rc sv4_assess(const sv4_tabula_input *base, const sv4_tabula_input *const *packages, size_t npackages,
                  const sv4_assess_options *opt, sv4_assessment **out, sv4_error *err) {
  sv4_rc rc = SV4_OK;
  char path[1024];
  sv4_climate_set *cs = NULL;
  sv4_energy_tables *et = NULL;
  sv4_assessment *a = calloc(1, sizeof *a);
  priv *pv = calloc(1, sizeof *pv);
  *out = NULL;
  if (!a || !pv) { free(a); free(pv); return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); }
  a->priv = pv;
  const char *dd = opt->data_dir;
  const char *country = opt->country && *opt->country ? opt->country : base->country;
  const char *loc = opt->location ? opt->location : national_climate(country);
  snprintf(a->country, sizeof a->country, "%s", country);
  snprintf(a->building, sizeof a->building, "%s", base->code[0] ? base->code : base->building);
  a->discount_rate = opt->discount_rate > 0 ? opt->discount_rate : 0.03;
  a->lifetime_years = opt->lifetime_years > 0 ? opt->lifetime_years : 30;
  a->base = *base;
  if (!loc) { rc = sv4_error_set(err, SV4_ERR_USAGE, "no climate for country %s: give --location (see --help)", country); goto done; }
  snprintf(path, sizeof path, "%s/climate/monthly.csv", dd);
  if ((rc = sv4_climate_load(path, &cs, err))) goto done;
  const sv4_climate *clim = sv4_climate_find(cs, loc);
  if (!clim) { rc = sv4_error_set(err, SV4_ERR_NOTFOUND, "unknown location '%s' (see smartv4 bim assess --help)", loc); goto done; }
  a->climate = *clim;
  snprintf(path, sizeof path, "%s/energy", dd);
  if ((rc = sv4_energy_tables_load(path, &et, err))) goto done;
  snprintf(path, sizeof path, "%s/costs/measures.csv", dd);
  if ((rc = load_measures(pv, path, err))) goto done;
  snprintf(path, sizeof path, "%s/costs/unit-costs.csv", dd);
  if ((rc = load_costs(pv, path, err))) goto done;
  snprintf(a->costs_note, sizeof a->costs_note, "data/costs/unit-costs.csv (defaults, not quotes)");
  if (opt->costs_file) {
    if ((rc = load_costs(pv, opt->costs_file, err))) goto done;
    snprintf(a->costs_note, sizeof a->costs_note, "%s over the defaults", opt->costs_file);
  }
  if (opt->funding_origin) { /* the caller's programmes (the portal's funding records), even when none fit */
    if (opt->nfunding) {
      if (!(pv->p = calloc(opt->nfunding, sizeof *pv->p))) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); goto done; }
      memcpy(pv->p, opt->funding, opt->nfunding * sizeof *pv->p);
      pv->np = opt->nfunding;
    }
    snprintf(a->funding_note, sizeof a->funding_note, "%s", opt->funding_origin);
  } else {
    snprintf(path, sizeof path, "%s/funding/programmes.csv", dd);
    if ((rc = load_funding(pv, path, err))) goto done;
    snprintf(a->funding_note, sizeof a->funding_note, "data/funding/programmes.csv");
  }
  ctx x = {opt, pv, et, &a->climate, NULL, country};
  const char *sysc = opt->system ? opt->system : "gas_boiler_old";
  if (!(x.base_sys = sv4_heat_system_find(et, sysc))) {
    rc = sv4_error_set(err, SV4_ERR_NOTFOUND, "unknown heating system '%s' (data/energy/systems.csv)", sysc);
    goto done;
  }
  /* the baseline: no measures */
  sv4_tabula_input b0 = *base;
  for (int i = 0; i < SV4_TAB_NEL; i++) b0.el[i].measure = SV4_MEASURE_NONE;
  if ((rc = run_variant(&x, &b0, "existing", "", 0, &a->baseline, err))) goto done;
  a->base = b0;
  size_t np = sizeof PACKAGES / sizeof *PACKAGES, total = np + npackages;
  if (total > SV4_MAX_BIM_VARIANTS) total = SV4_MAX_BIM_VARIANTS;
  a->variants = calloc(total, sizeof *a->variants);
  if (!a->variants) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); goto done; }
  for (size_t i = 0; i < np && a->n < total; i++) {
    sv4_variant_result *v = &a->variants[a->n];
    if ((rc = run_variant(&x, &b0, PACKAGES[i].name, PACKAGES[i].codes, 0, v, err))) goto done;
    economics(v, &a->baseline, a->discount_rate, a->lifetime_years);
    match_funding(pv, country, v);
    a->n++;
  }
  for (size_t i = 0; i < npackages && a->n < total; i++) {
    sv4_variant_result *v = &a->variants[a->n];
    char name[64];
    const char *d = packages[i]->description;
    int k = packages[i]->variant % 10; /* 2 = usual, 3 = advanced package of the typology */
    if (!d[0] || !strcmp(d, "0")) d = k == 2 ? "usual refurbishment" : k == 3 ? "advanced refurbishment" : "package";
    snprintf(name, sizeof name, "TABULA %.56s", d);
    if ((rc = run_variant(&x, packages[i], name, "tabula_package", 1, v, err))) goto done;
    economics(v, &a->baseline, a->discount_rate, a->lifetime_years);
    match_funding(pv, country, v);
    a->n++;
  }
  qsort(a->variants, a->n, sizeof *a->variants, by_npv);
done:
  sv4_climate_free(cs);
  sv4_energy_tables_free(et);
  if (rc) sv4_assessment_free(a);
  else *out = a;
  return rc;
}

void sv4_assessment_free(sv4_assessment *a) {
  if (!a) return;
  priv *pv = a->priv;
  if (pv) {
    free(pv->m);
    free(pv->c);
    free(pv->p);
    free(pv);
  }
  free(a->variants);
  free(a);
}

/* ---- IFC envelope → TABULA building form ------------------------------------------------------------------ */
static int orientation_of(double az) {
  if (isnan(az)) return SV4_OR_SOUTH; /* unknown: counted south (stated in the report through u_source) */
  az = fmod(fmod(az, 360.0) + 360.0, 360.0);
  if (az >= 45 && az < 135) return SV4_OR_EAST;
  if (az >= 135 && az < 225) return SV4_OR_SOUTH;
  if (az >= 225 && az < 315) return SV4_OR_WEST;
  return SV4_OR_NORTH;
}

sv4_rc sv4_envelope_to_tabula(const sv4_envelope *env, const sv4_tabula_set *typology, const char *country,
                              int year, sv4_tabula_input *out, sv4_error *err) {
  memset(out, 0, sizeof *out);
  if (!env || !env->has_envelope || env->n == 0)
    return sv4_error_set(err, SV4_ERR_UNSUPPORTED, "the model has no thermal envelope (no external walls, windows or roofs)");
  if (!(env->floor_area_m2 > 0)) return sv4_error_set(err, SV4_ERR_UNSUPPORTED, "the model gives no heated floor area");
  /* typical constructions: existing state of the typology building of that country and period */
  const sv4_tabula_input *typ = NULL;
  for (size_t i = 0; i < sv4_tabula_count(typology); i++) {
    const sv4_tabula_input *t = sv4_tabula_at(typology, i, NULL);
    if (strcasecmp(t->country, country) || t->variant != 1) continue;
    if (year >= t->year1 && year <= t->year2 && (!typ || (t->el[SV4_TAB_WALL_1].area_m2 < typ->el[SV4_TAB_WALL_1].area_m2)))
      typ = t; /* prefer the smaller (single-family) building of the period */
  }
  static const int SLOT[SV4_ENV_TYPE_COUNT] = {SV4_TAB_WALL_1, SV4_TAB_WINDOW_1, SV4_TAB_DOOR_1, SV4_TAB_ROOF_1,
                                               SV4_TAB_FLOOR_1};
  double ua[SV4_TAB_NEL] = {0}, a[SV4_TAB_NEL] = {0}, ag = 0, ag_a = 0;
  for (size_t k = 0; k < env->n; k++) {
    const sv4_envelope_element *e = &env->elements[k];
    if (!(e->area_m2 > 0) || (int)e->type < 0 || e->type >= SV4_ENV_TYPE_COUNT) continue;
    int s = SLOT[e->type];
    double u = e->u;
    if (isnan(u) || !(u > 0)) {
      if (!typ)
        return sv4_error_set(err, SV4_ERR_NOTFOUND, "%s %s has no U-value and no TABULA typology of %s covers %d", sv4_env_type_name(e->type), e->id, country, year);
      u = typ->el[s].u > 0 ? typ->el[s].u : typ->el[s == SV4_TAB_DOOR_1 ? SV4_TAB_WINDOW_1 : s].u;
    }
    ua[s] += u * e->area_m2;
    a[s] += e->area_m2;
    if (e->type == SV4_ENV_WINDOW) out->a_window[orientation_of(e->orientation_deg)] += e->area_m2;
  }
  if (typ) { ag = typ->el[SV4_TAB_WINDOW_1].g; ag_a = 1; }
  snprintf(out->code, sizeof out->code, "IFC model");
  snprintf(out->country, sizeof out->country, "%s", country);
  snprintf(out->description, sizeof out->description, "IFC model envelope");
  out->variant = 1;
  out->year1 = out->year2 = year;
  out->a_c_ref = env->floor_area_m2;
  for (int s = 0; s < SV4_TAB_NEL; s++) {
    out->el[s].area_m2 = a[s];
    out->el[s].u = a[s] > 0 ? ua[s] / a[s] : 0;
    out->el[s].b_tr = s == SV4_TAB_FLOOR_1 ? 0.5 : 1.0; /* ground / cellar: TABULA default 0.5 */
    out->el[s].g = ag_a > 0 ? ag : 0.6;
  }
  /* TABULA EU boundary conditions (single-unit housing), medium thermal bridging */
  out->tb_mode = SV4_TB_FIXED;
  out->delta_u_tb = 0.10;
  out->n_air_infiltration = 0.2;
  out->n_air_use = 0.4;
  out->h_room = 2.5;
  out->theta_i = 20;
  out->f_red_htr1 = 0.9;
  out->f_red_htr4 = 0.8;
  out->phi_int = 3;
  out->f_sh_hor = 0.8;
  out->f_sh_vert = 0.6;
  out->f_f = 0.3;
  out->f_w = 0.9;
  out->c_m = 45;
  out->heating_days = 200; /* heating-season figures only (assess uses the monthly climate) */
  out->theta_e = 4;
  return SV4_OK;
}
