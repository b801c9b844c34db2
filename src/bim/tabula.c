/* tabula.c — the TABULA heating-season method (energy need for heating per m² reference area) and the
 * loader of TABULA/EPISCOPE building-variant tables (';'-separated, decimal commas). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bim/internal.h"
#include "sv4/bim.h"
#include "sv4/csv.h"
#include "sv4/limits.h"
#include "sv4/util.h"

/* Constants of the method (TABULA calculation method, heating-season balance). */
#define TAB_C_AIR 0.34        /* volumetric heat capacity of air, Wh/(m³K) */
#define TAB_KWH_PER_WD 0.024  /* W·d → kWh */
#define TAB_A_H0 0.8          /* gain utilisation: a_H = a_H0 + tau / tau_H0 */
#define TAB_TAU_H0 30.0       /* h */
#define TAB_LAMBDA_REMOVED 0.04 /* λ of insulation removed by a ReplaceInsulation measure, W/(mK) */

static const char *const EL_NAMES[SV4_TAB_NEL] = {"Roof_1",  "Roof_2",  "Wall_1",   "Wall_2",   "Wall_3",
                                                  "Floor_1", "Floor_2", "Window_1", "Window_2", "Door_1"};
static const char *const OR_NAMES[SV4_OR_N] = {"Hor", "East", "South", "West", "North"};
static const char *const OR_COLS[SV4_OR_N] = {"Horizontal", "East", "South", "West", "North"};

const char *sv4_tabula_element_name(int i) { return i >= 0 && i < SV4_TAB_NEL ? EL_NAMES[i] : "?"; }
const char *sv4_orientation_name(int o) { return o >= 0 && o < SV4_OR_N ? OR_NAMES[o] : "?"; }

static int is_opaque(int i) { return i < SV4_TAB_WINDOW_1; }
static int is_window(int i) { return i == SV4_TAB_WINDOW_1 || i == SV4_TAB_WINDOW_2; }

/* Temperature reduction factor (night setback, unheated rooms) as a function of h_tr = H_tr / A_C_Ref.
 * Between h_tr = 1 and 4 W/(m²K) TABULA interpolates linearly between F_red_htr1 and F_red_htr4, above 4 the
 * value at 4 holds. Below 1 the published reference calculations follow the straight line through
 * (0.5, 1.0) and (1, F_red_htr1); that branch is reproduced as observed (documented in data/tabula/README.md). */
static double f_red_temp(double h_tr, double f1, double f4) {
  if (h_tr >= 4.0) return f4;
  if (h_tr >= 1.0) return f1 + (f4 - f1) * (h_tr - 1.0) / 3.0;
  return f1 + (1.0 - f1) * (1.0 - h_tr) / 0.5;
}

sv4_rc sv4_tabula_compute(const sv4_tabula_input *in, sv4_tabula_result *out, sv4_error *err) {
  memset(out, 0, sizeof *out);
  if (!(in->a_c_ref > 0))
    return sv4_error_set(err, SV4_ERR_USAGE, "%s: reference area A_C_Ref must be > 0", in->code);
  double h_sum = 0, a_env = 0, a_refurb = 0, ag = 0, a_gl = 0;
  for (int i = 0; i < SV4_TAB_NEL; i++) {
    const sv4_tabula_element *e = &in->el[i];
    if (!(e->u > 0) || !(e->area_m2 > 0)) continue;
    double r_before = 1.0 / e->u + (is_opaque(i) ? e->r_add : 0.0);
    double u_meas = 1.0 / r_before, f = e->measure ? e->f_measure : 0.0;
    switch (e->measure) {
    case SV4_MEASURE_ADD: u_meas = 1.0 / (r_before + e->r_measure); break;
    case SV4_MEASURE_REPLACE: u_meas = e->r_measure > 0 ? 1.0 / e->r_measure : u_meas; break;
    case SV4_MEASURE_REPLACE_INSULATION:
      u_meas = 1.0 / (r_before - e->d_insulation / TAB_LAMBDA_REMOVED + e->r_measure);
      break;
    default: break;
    }
    double u_act = f * u_meas + (1.0 - f) / r_before;
    double b = is_opaque(i) ? e->b_tr : 1.0;
    out->u_actual[i] = u_act;
    out->h_tr_el[i] = e->area_m2 * u_act * b;
    h_sum += out->h_tr_el[i];
    a_env += e->area_m2;
    a_refurb += e->area_m2 * f;
    if (is_window(i)) {
      /* any window measure brings its glazing's g (also an untyped one, which adds to U) */
      double g = e->measure && e->g_measure > 0 ? f * e->g_measure + (1.0 - f) * e->g : e->g;
      ag += e->area_m2 * g;
      a_gl += e->area_m2;
    }
  }
  out->a_envelope = a_env;
  out->fraction_refurbished = a_env > 0 ? a_refurb / a_env : 0.0;
  switch (in->tb_mode) {
  case SV4_TB_FIXED: out->delta_u_tb = in->delta_u_tb; break;
  case SV4_TB_MIXED:
    out->delta_u_tb = out->fraction_refurbished * in->delta_u_tb_refurbished +
                      (1.0 - out->fraction_refurbished) * in->delta_u_tb_original;
    break;
  default: out->delta_u_tb = 0; break;
  }
  out->h_tr_tb = out->delta_u_tb * a_env;
  h_sum += out->h_tr_tb;

  double a = in->a_c_ref;
  out->h_transmission = h_sum / a;
  out->h_ventilation = TAB_C_AIR * (in->n_air_use + in->n_air_infiltration) * in->h_room;
  out->sum_delta_t = (in->theta_i - in->theta_e) * in->heating_days;
  out->f_red_temp = f_red_temp(out->h_transmission, in->f_red_htr1, in->f_red_htr4);
  out->q_ht_tr = out->h_transmission * out->f_red_temp * out->sum_delta_t * TAB_KWH_PER_WD;
  out->q_ht_ve = out->h_ventilation * out->f_red_temp * out->sum_delta_t * TAB_KWH_PER_WD;
  out->q_ht = out->q_ht_tr + out->q_ht_ve;
  if (!(out->q_ht > 0))
    return sv4_error_set(err, SV4_ERR_USAGE, "%s: heat transfer over the heating season is not positive", in->code);

  out->g_gl_n = a_gl > 0 ? ag / a_gl : 0.0;
  double qs = 0;
  for (int o = 0; o < SV4_OR_N; o++) {
    double f_sh = o == SV4_OR_HOR ? in->f_sh_hor : in->f_sh_vert;
    out->q_sol_or[o] = f_sh * (1.0 - in->f_f) * in->f_w * out->g_gl_n * in->a_window[o] * in->i_sol[o];
    qs += out->q_sol_or[o];
  }
  out->q_sol = qs / a;
  out->q_int = in->phi_int * in->heating_days * TAB_KWH_PER_WD;

  out->tau = in->c_m / (out->h_transmission + out->h_ventilation);
  out->a_h = TAB_A_H0 + out->tau / TAB_TAU_H0;
  double gn = out->q_sol + out->q_int;
  double g = gn / out->q_ht;
  out->gamma_h_gn = g;
  if (fabs(g - 1.0) < 1e-9)
    out->eta_h_gn = out->a_h / (out->a_h + 1.0);
  else
    out->eta_h_gn = (1.0 - pow(g, out->a_h)) / (1.0 - pow(g, out->a_h + 1.0));
  out->q_h_nd = out->q_ht - out->eta_h_gn * gn;
  if (out->q_h_nd < 0) out->q_h_nd = 0;
  return SV4_OK;
}

/* ---- loader ------------------------------------------------------------------------------------------------ */
typedef struct tab_row {
  sv4_tabula_input in;
  sv4_tabula_reference ref;
} tab_row;

struct sv4_tabula_set {
  tab_row *rows;
  size_t n, cap;
};

static int col(const sv4_csv *c, const char *name) { return sv4_csv_column(c, name); }

/* Field of column name in the current record, "" when the column does not exist. */
static const char *fld(const sv4_csv *c, const int *hdr, const char *const *names, size_t nnames, const char *name) {
  for (size_t i = 0; i < nnames; i++)
    if (!strcmp(names[i], name)) return hdr[i] >= 0 ? sv4_csv_field(c, (size_t)hdr[i]) : "";
  return "";
}

typedef struct hdrinfo {
  char **names;
  int *idx;
  size_t n;
} hdrinfo;

static const char *F(const sv4_csv *c, const hdrinfo *h, const char *name) {
  return fld(c, h->idx, (const char *const *)h->names, h->n, name);
}

static int is_zero_code(const char *s) { return !*s || !strcmp(s, "0") || !strcmp(s, "0,00") || !strcmp(s, "-"); }

static sv4_rc num(const sv4_csv *c, const hdrinfo *h, const char *file, const char *name, double *out,
                  sv4_error *err) {
  const char *s = F(c, h, name);
  *out = 0;
  if (!*s || !strcmp(s, "#N/A")) return SV4_OK;
  if (!sv4_parse_double(s, out))
    return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: column %s: not a number: '%.40s'", file, sv4_csv_line(c), name, s);
  return SV4_OK;
}

static int decimals(const char *s) {
  const char *p = strpbrk(s, ",.");
  return p ? (int)strlen(p + 1) : 0;
}

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src); }

static sv4_rc parse_row(const sv4_csv *c, const hdrinfo *h, const char *file, tab_row *r, sv4_error *err) {
  sv4_rc rc = SV4_OK;
  char name[96];
  sv4_tabula_input *in = &r->in;
  sv4_tabula_reference *ref = &r->ref;
  memset(r, 0, sizeof *r);
  copy(in->code, sizeof in->code, F(c, h, "Code_BuildingVariant"));
  copy(in->building, sizeof in->building, F(c, h, "Code_Building"));
  copy(in->country, sizeof in->country, F(c, h, "Code_Country"));
  copy(in->description, sizeof in->description, F(c, h, "Description_BuildingVariant"));
  copy(in->climate_region, sizeof in->climate_region, F(c, h, "Code_ClimateRegion"));
  double v;
#define NUM(col_, dst_)                                          \
  do {                                                          \
    if ((rc = num(c, h, file, col_, &v, err)) != SV4_OK) return rc; \
    dst_ = v;                                                   \
  } while (0)
  NUM("Number_BuildingVariant", in->variant);
  NUM("Year1_Building", in->year1);
  NUM("Year2_Building", in->year2);
  NUM("A_C_Ref", in->a_c_ref);
  for (int i = 0; i < SV4_TAB_NEL; i++) {
    sv4_tabula_element *e = &in->el[i];
    const char *en = EL_NAMES[i];
    snprintf(name, sizeof name, "A_%s", en); NUM(name, e->area_m2);
    snprintf(name, sizeof name, "U_%s", en); NUM(name, e->u);
    e->b_tr = 1.0;
    if (is_opaque(i)) {
      snprintf(name, sizeof name, "R_Add_UnheatedSpace_%s", en); NUM(name, e->r_add);
      snprintf(name, sizeof name, "b_Transmission_%s", en); NUM(name, e->b_tr);
      snprintf(name, sizeof name, "d_Insulation_%s", en); NUM(name, e->d_insulation);
    }
    if (is_window(i)) {
      snprintf(name, sizeof name, "g_gl_n_%s", en); NUM(name, e->g);
      snprintf(name, sizeof name, "g_gl_n_PredefinedMeasure_%s", en); NUM(name, e->g_measure);
    }
    snprintf(name, sizeof name, "Code_Measure_%s", en);
    if (!is_zero_code(F(c, h, name))) {
      snprintf(name, sizeof name, "Code_MeasureType_%s", en);
      const char *mt = F(c, h, name);
      /* a measure without a type is added to the existing element (as the reference rows compute it) */
      if (!strcmp(mt, "Add") || is_zero_code(mt)) e->measure = SV4_MEASURE_ADD;
      else if (!strcmp(mt, "Replace")) e->measure = SV4_MEASURE_REPLACE;
      else if (!strcmp(mt, "ReplaceInsulation")) e->measure = SV4_MEASURE_REPLACE_INSULATION;
      else
        return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: %s: unknown measure type '%.40s'", file, sv4_csv_line(c),
                             name, mt);
      snprintf(name, sizeof name, "R_PredefinedMeasure_%s", en); NUM(name, e->r_measure);
      snprintf(name, sizeof name, "f_Measure_%s", en); NUM(name, e->f_measure);
    }
    snprintf(name, sizeof name, "H_Transmission_%s", en); NUM(name, ref->h_tr_el[i]);
    snprintf(name, sizeof name, "U_Actual_%s", en); NUM(name, ref->u_actual[i]);
  }
  for (int o = 0; o < SV4_OR_N; o++) {
    snprintf(name, sizeof name, "A_Window_%s", OR_COLS[o]); NUM(name, in->a_window[o]);
    snprintf(name, sizeof name, "I_Sol_%s", OR_NAMES[o]); NUM(name, in->i_sol[o]);
  }
  /* Thermal bridging: the class of the actual state decides; a mixed label "High(30%).Low(70%)" means
   * original and refurbished classes weighted by the refurbished envelope fraction. */
  const char *tb = F(c, h, "Type_ThermalBridging_Actual");
  const char *tb_o = F(c, h, "Code_ThermalBridging_Original");
  const char *tb_r = F(c, h, "Code_ThermalBridging_Refurbished");
  NUM("delta_U_ThermalBridging_Original", in->delta_u_tb_original);
  NUM("delta_U_ThermalBridging_Refurbished", in->delta_u_tb_refurbished);
  if (is_zero_code(tb)) in->tb_mode = SV4_TB_NONE;
  else if (strchr(tb, '(')) in->tb_mode = SV4_TB_MIXED;
  else if (!strcmp(tb, tb_r)) { in->tb_mode = SV4_TB_FIXED; in->delta_u_tb = in->delta_u_tb_refurbished; }
  else if (!strcmp(tb, tb_o)) { in->tb_mode = SV4_TB_FIXED; in->delta_u_tb = in->delta_u_tb_original; }
  else
    return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: thermal bridging class '%.40s' is neither the original nor "
                         "the refurbished class", file, sv4_csv_line(c), tb);
  NUM("n_air_infiltration", in->n_air_infiltration);
  NUM("n_air_use", in->n_air_use);
  NUM("h_room", in->h_room);
  NUM("theta_i", in->theta_i);
  NUM("F_red_htr1", in->f_red_htr1);
  NUM("F_red_htr4", in->f_red_htr4);
  NUM("phi_int", in->phi_int);
  NUM("F_sh_hor", in->f_sh_hor);
  NUM("F_sh_vert", in->f_sh_vert);
  NUM("F_f", in->f_f);
  NUM("F_w", in->f_w);
  NUM("c_m", in->c_m);
  NUM("HeatingDays", in->heating_days);
  NUM("Theta_e", in->theta_e);
  /* published results */
  NUM("h_Transmission", ref->h_transmission);
  NUM("h_Ventilation", ref->h_ventilation);
  NUM("F_red_temp", ref->f_red_temp);
  NUM("q_ht_tr", ref->q_ht_tr);
  NUM("q_ht_ve", ref->q_ht_ve);
  NUM("q_ht", ref->q_ht);
  NUM("q_sol", ref->q_sol);
  NUM("q_int", ref->q_int);
  NUM("tau", ref->tau);
  NUM("a_H", ref->a_h);
  NUM("gamma_h_gn", ref->gamma_h_gn);
  NUM("eta_h_gn", ref->eta_h_gn);
  NUM("q_h_nd", ref->q_h_nd);
  NUM("H_Transmission_ThermalBridging", ref->h_tr_tb);
#undef NUM
  ref->decimals_q_ht = decimals(F(c, h, "q_ht"));
  ref->decimals_q_sol = decimals(F(c, h, "q_sol"));
  ref->decimals_q_int = decimals(F(c, h, "q_int"));
  ref->decimals_tau = decimals(F(c, h, "tau"));
  if (!in->code[0]) return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: empty Code_BuildingVariant", file, sv4_csv_line(c));
  return SV4_OK;
}

static const char *const REQUIRED[] = {"Code_BuildingVariant", "A_C_Ref", "U_Wall_1", "A_Wall_1", "HeatingDays",
                                       "Theta_e", "theta_i", "c_m", "Type_ThermalBridging_Actual", "I_Sol_South"};

sv4_rc sv4_tabula_load(const char *path, sv4_tabula_set **out, sv4_error *err) {
  sv4_rc rc;
  char *data = NULL;
  size_t len = 0, nf = 0;
  sv4_csv *c = NULL;
  sv4_tabula_set *s = NULL;
  hdrinfo h = {0};
  *out = NULL;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if ((rc = sv4_read_file(path, SV4_MAX_BIM_TABLE_BYTES, &data, &len, err)) != SV4_OK) goto done;
  c = sv4_csv_open(data, len, ';', base);
  s = calloc(1, sizeof *s);
  if (!c || !s) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); goto done; }
  if ((rc = sv4_csv_next(c, &nf, err)) != SV4_OK) {
    if (rc == SV4_ERR_NOTFOUND) rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:1: empty file", base);
    goto done;
  }
  for (size_t i = 0; i < sizeof REQUIRED / sizeof *REQUIRED; i++)
    if (col(c, REQUIRED[i]) < 0) {
      rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:1: missing column %s", base, REQUIRED[i]);
      goto done;
    }
  h.n = nf;
  h.names = calloc(nf ? nf : 1, sizeof *h.names);
  h.idx = calloc(nf ? nf : 1, sizeof *h.idx);
  if (!h.names || !h.idx) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); goto done; }
  for (size_t i = 0; i < nf; i++) {
    h.names[i] = strdup(sv4_csv_field(c, i));
    h.idx[i] = (int)i;
    if (!h.names[i]) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); goto done; }
  }
  for (;;) {
    rc = sv4_csv_next(c, &nf, err);
    if (rc == SV4_ERR_NOTFOUND) { rc = SV4_OK; break; }
    if (rc) goto done;
    if (nf <= 1 && !*sv4_csv_field(c, 0)) continue; /* blank line */
    if (s->n >= SV4_MAX_TABULA_ROWS) {
      rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s:%zu: more than %u building variants", base, sv4_csv_line(c),
                         SV4_MAX_TABULA_ROWS);
      goto done;
    }
    if (s->n == s->cap) {
      size_t nc = s->cap ? s->cap * 2 : 256;
      tab_row *nr = realloc(s->rows, nc * sizeof *nr);
      if (!nr) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); goto done; }
      s->rows = nr;
      s->cap = nc;
    }
    if ((rc = parse_row(c, &h, base, &s->rows[s->n], err)) != SV4_OK) goto done;
    s->n++;
  }
  *out = s;
  s = NULL;
done:
  for (size_t i = 0; h.names && i < h.n; i++) free(h.names[i]);
  free(h.names);
  free(h.idx);
  sv4_csv_close(c);
  free(data);
  sv4_tabula_free(s);
  return rc;
}

void sv4_tabula_free(sv4_tabula_set *s) {
  if (!s) return;
  free(s->rows);
  free(s);
}

size_t sv4_tabula_count(const sv4_tabula_set *s) { return s ? s->n : 0; }

const sv4_tabula_input *sv4_tabula_at(const sv4_tabula_set *s, size_t i, const sv4_tabula_reference **ref) {
  if (!s || i >= s->n) return NULL;
  if (ref) *ref = &s->rows[i].ref;
  return &s->rows[i].in;
}

const sv4_tabula_input *sv4_tabula_find(const sv4_tabula_set *s, const char *code,
                                        const sv4_tabula_reference **ref) {
  for (size_t i = 0; s && i < s->n; i++)
    if (!strcmp(s->rows[i].in.code, code)) return sv4_tabula_at(s, i, ref);
  return NULL;
}

void sv4_tabula_to_building(const sv4_tabula_input *in, const sv4_tabula_result *r, sv4_energy_building *b) {
  memset(b, 0, sizeof *b);
  b->a_ref = in->a_c_ref;
  b->h_tr = r->h_transmission * in->a_c_ref;
  b->h_ve = r->h_ventilation * in->a_c_ref;
  for (int o = 0; o < SV4_OR_N; o++) b->a_window[o] = in->a_window[o];
  b->g_gl = r->g_gl_n;
  b->f_sh_hor = in->f_sh_hor;
  b->f_sh_vert = in->f_sh_vert;
  b->f_f = in->f_f;
  b->f_w = in->f_w;
  b->theta_i = in->theta_i;
  b->phi_int = in->phi_int;
  b->c_m = in->c_m;
  b->f_red = r->f_red_temp;
}
