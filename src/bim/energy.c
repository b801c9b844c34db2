/* energy.c — the EN ISO 52016-1 monthly heating balance (ISO 13790 quasi-steady-state method) and the step
 * from heat need to delivered energy, primary energy, CO2 and running cost per carrier. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bim/energy_internal.h"
#include "sv4/bim.h"
#include "sv4/util.h"

#define MON_A_H0 1.0     /* monthly method: a_H = a_H0 + tau / tau_H0 (ISO 13790 12.2.1.1) */
#define MON_TAU_H0 15.0  /* h */

static const int DAYS[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

sv4_rc sv4_monthly_heating(const sv4_energy_building *b, const sv4_climate *c, sv4_monthly_result *out,
                           sv4_error *err) {
  memset(out, 0, sizeof *out);
  double h = b->h_tr + b->h_ve;
  if (!(b->a_ref > 0)) return sv4_error_set(err, SV4_ERR_USAGE, "monthly method: reference area must be > 0");
  if (!(h > 0)) return sv4_error_set(err, SV4_ERR_USAGE, "monthly method: heat transfer coefficient must be > 0");
  out->tau = b->c_m * b->a_ref / h;
  out->a_h = MON_A_H0 + out->tau / MON_TAU_H0;
  for (int m = 0; m < 12; m++) {
    double hours = DAYS[m] * 24.0;
    out->q_ht[m] = h * (b->f_red > 0 ? b->f_red : 1.0) * (b->theta_i - c->theta_e[m]) * hours / 1000.0;
    double qs = 0;
    for (int o = 0; o < SV4_OR_N; o++) {
      double f_sh = o == SV4_OR_HOR ? b->f_sh_hor : b->f_sh_vert;
      qs += f_sh * (1.0 - b->f_f) * b->f_w * b->g_gl * b->a_window[o] * c->i_sol[o][m] * DAYS[m];
    }
    out->q_sol[m] = qs;
    out->q_int[m] = b->phi_int * b->a_ref * hours / 1000.0;
    double gn = out->q_sol[m] + out->q_int[m];
    if (out->q_ht[m] <= 0) { /* no loss this month: all gains surplus, no heating */
      out->gamma[m] = INFINITY;
      out->eta[m] = 0;
      out->q_h_nd[m] = 0;
      continue;
    }
    double g = gn / out->q_ht[m];
    out->gamma[m] = g;
    if (fabs(g - 1.0) < 1e-9) out->eta[m] = out->a_h / (out->a_h + 1.0);
    else out->eta[m] = (1.0 - pow(g, out->a_h)) / (1.0 - pow(g, out->a_h + 1.0));
    double q = out->q_ht[m] - out->eta[m] * gn;
    out->q_h_nd[m] = q > 0 ? q : 0;
    out->q_h_nd_year += out->q_h_nd[m];
  }
  out->q_h_nd_m2 = out->q_h_nd_year / b->a_ref;
  return SV4_OK;
}

/* ---- carriers and heat generators ---------------------------------------------------------------------- */
struct sv4_energy_tables {
  sv4_carrier *c;
  size_t nc;
  sv4_heat_system *s;
  size_t ns;
};

static const char *const CARRIER_REQ[] = {"country", "carrier", "f_p_total", "f_p_nonren", "co2_g_per_kwh",
                                          "price_eur_per_kwh", "source", NULL};
static const char *const SYSTEM_REQ[] = {"code", "name", "carrier", "efficiency", "source", NULL};

static sv4_rc load_carriers(sv4_energy_tables *e, const char *path, sv4_error *err) {
  sv4__table t;
  sv4_rc rc = sv4__table_open(&t, path, ',', CARRIER_REQ, err);
  while (!rc && (rc = sv4__table_next(&t, err)) == SV4_OK) {
    sv4_carrier *n = realloc(e->c, (e->nc + 1) * sizeof *n);
    if (!n) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); break; }
    e->c = n;
    sv4_carrier *c = &e->c[e->nc];
    memset(c, 0, sizeof *c);
    snprintf(c->country, sizeof c->country, "%s", sv4__table_str(&t, "country"));
    snprintf(c->code, sizeof c->code, "%s", sv4__table_str(&t, "carrier"));
    snprintf(c->source, sizeof c->source, "%s", sv4__table_str(&t, "source"));
    if ((rc = sv4__table_num(&t, "f_p_total", 0, 0, &c->f_p_total, err)) ||
        (rc = sv4__table_num(&t, "f_p_nonren", 0, 0, &c->f_p_nonren, err)) ||
        (rc = sv4__table_num(&t, "co2_g_per_kwh", 0, 0, &c->co2_g_per_kwh, err)) ||
        (rc = sv4__table_num(&t, "price_eur_per_kwh", 0, 0, &c->price_eur_per_kwh, err)))
      break;
    e->nc++;
  }
  if (rc == SV4_ERR_NOTFOUND) rc = SV4_OK;
  sv4__table_close(&t);
  return rc;
}

static sv4_rc load_systems(sv4_energy_tables *e, const char *path, sv4_error *err) {
  sv4__table t;
  sv4_rc rc = sv4__table_open(&t, path, ',', SYSTEM_REQ, err);
  while (!rc && (rc = sv4__table_next(&t, err)) == SV4_OK) {
    sv4_heat_system *n = realloc(e->s, (e->ns + 1) * sizeof *n);
    if (!n) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); break; }
    e->s = n;
    sv4_heat_system *s = &e->s[e->ns];
    memset(s, 0, sizeof *s);
    snprintf(s->code, sizeof s->code, "%s", sv4__table_str(&t, "code"));
    snprintf(s->name, sizeof s->name, "%s", sv4__table_str(&t, "name"));
    snprintf(s->carrier, sizeof s->carrier, "%s", sv4__table_str(&t, "carrier"));
    snprintf(s->source, sizeof s->source, "%s", sv4__table_str(&t, "source"));
    if ((rc = sv4__table_num(&t, "efficiency", 0, 0, &s->efficiency, err))) break;
    if (!(s->efficiency > 0.1 && s->efficiency < 10)) {
      rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: efficiency %g out of range (0.1..10)", t.file,
                         sv4__table_line(&t), s->efficiency);
      break;
    }
    e->ns++;
  }
  if (rc == SV4_ERR_NOTFOUND) rc = SV4_OK;
  sv4__table_close(&t);
  return rc;
}

sv4_rc sv4_energy_tables_load(const char *dir, sv4_energy_tables **out, sv4_error *err) {
  char path[1024];
  sv4_rc rc;
  sv4_energy_tables *e = calloc(1, sizeof *e);
  *out = NULL;
  if (!e) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  snprintf(path, sizeof path, "%s/carriers.csv", dir);
  if ((rc = load_carriers(e, path, err)) == SV4_OK) {
    snprintf(path, sizeof path, "%s/systems.csv", dir);
    rc = load_systems(e, path, err);
  }
  if (rc) sv4_energy_tables_free(e);
  else *out = e;
  return rc;
}

void sv4_energy_tables_free(sv4_energy_tables *t) {
  if (!t) return;
  free(t->c);
  free(t->s);
  free(t);
}

const sv4_carrier *sv4_carrier_find(const sv4_energy_tables *t, const char *country, const char *code) {
  const sv4_carrier *eu = NULL;
  for (size_t i = 0; t && i < t->nc; i++) {
    if (strcasecmp(t->c[i].code, code)) continue;
    if (!strcasecmp(t->c[i].country, country)) return &t->c[i];
    if (!strcasecmp(t->c[i].country, "EU")) eu = &t->c[i];
  }
  return eu;
}

const sv4_heat_system *sv4_heat_system_find(const sv4_energy_tables *t, const char *code) {
  for (size_t i = 0; t && i < t->ns; i++)
    if (!strcasecmp(t->s[i].code, code)) return &t->s[i];
  return NULL;
}

sv4_rc sv4_energy_use_of(const sv4_energy_tables *t, const char *country, const sv4_heat_system *sys,
                         double need_kwh, double pv_kwh, sv4_energy_use *out, sv4_error *err) {
  memset(out, 0, sizeof *out);
  const sv4_carrier *c = sv4_carrier_find(t, country, sys->carrier);
  const sv4_carrier *el = sv4_carrier_find(t, country, "el");
  if (!c) return sv4_error_set(err, SV4_ERR_NOTFOUND, "no carrier '%s' for %s in data/energy/carriers.csv", sys->carrier, country);
  if (pv_kwh > 0 && !el) return sv4_error_set(err, SV4_ERR_NOTFOUND, "no carrier 'el' for %s", country);
  out->need_kwh = need_kwh;
  out->delivered_kwh = need_kwh / sys->efficiency;
  out->pv_kwh = pv_kwh;
  out->primary_kwh = out->delivered_kwh * c->f_p_nonren - (el ? pv_kwh * el->f_p_nonren : 0);
  out->co2_kg = (out->delivered_kwh * c->co2_g_per_kwh - (el ? pv_kwh * el->co2_g_per_kwh : 0)) / 1000.0;
  out->cost_eur = out->delivered_kwh * c->price_eur_per_kwh - (el ? pv_kwh * el->price_eur_per_kwh : 0);
  return SV4_OK;
}
