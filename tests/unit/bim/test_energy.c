/* test_energy.c — the monthly method (EN ISO 52016-1 / ISO 13790) on hand-computed cases, the climate table,
 * and the step from need to delivered / primary energy and CO2. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sv4/bim.h"

static const char *data_dir(void) {
  const char *d = getenv("SMARTV4_DATA");
  return d ? d : SV4_TEST_DATA_DIR "/../../data";
}

static void flat_climate(sv4_climate *c, double theta_e) {
  memset(c, 0, sizeof *c);
  for (int m = 0; m < 12; m++) c->theta_e[m] = theta_e;
}

static sv4_energy_building box(void) {
  sv4_energy_building b;
  memset(&b, 0, sizeof b);
  b.a_ref = 100;
  b.h_tr = 100;
  b.h_ve = 50;
  b.theta_i = 20;
  b.c_m = 45;
  b.f_sh_hor = 0.8;
  b.f_sh_vert = 0.6;
  b.f_f = 0.3;
  b.f_w = 0.9;
  b.g_gl = 0.5;
  return b;
}

/* No gains: the need is the loss, 150 W/K × 20 K × hours. */
static void test_no_gains(void **state) {
  (void)state;
  sv4_climate c;
  sv4_energy_building b = box();
  sv4_monthly_result r;
  flat_climate(&c, 0);
  assert_int_equal(sv4_monthly_heating(&b, &c, &r, NULL), SV4_OK);
  assert_float_equal(r.q_ht[0], 150.0 * 20 * 744 / 1000, 1e-9);  /* 2232 kWh in January */
  assert_float_equal(r.q_h_nd[1], 150.0 * 20 * 672 / 1000, 1e-9); /* February, 28 days */
  assert_float_equal(r.q_h_nd_year, 150.0 * 20 * 8760 / 1000, 1e-6);
  assert_float_equal(r.q_h_nd_m2, 262.8, 1e-9);
  assert_float_equal(r.tau, 30.0, 1e-12);
  assert_float_equal(r.a_h, 3.0, 1e-12);
}

/* Internal gains 5 W/m²: gamma = 372/2232 = 1/6, a_H = 3, eta = (1 - 1/216)/(1 - 1/1296) = 1290/1295. */
static void test_internal_gains(void **state) {
  (void)state;
  sv4_climate c;
  sv4_energy_building b = box();
  sv4_monthly_result r;
  flat_climate(&c, 0);
  b.phi_int = 5;
  assert_int_equal(sv4_monthly_heating(&b, &c, &r, NULL), SV4_OK);
  assert_float_equal(r.q_int[0], 372.0, 1e-9);
  assert_float_equal(r.gamma[0], 1.0 / 6.0, 1e-12);
  assert_float_equal(r.eta[0], 1290.0 / 1295.0, 1e-12);
  assert_float_equal(r.q_h_nd[0], 2232.0 - 1290.0 / 1295.0 * 372.0, 1e-9); /* 1861.436 */
}

/* gamma = 1 exactly: eta = a/(a+1) = 0.75, need = a quarter of the loss. */
static void test_gamma_one(void **state) {
  (void)state;
  sv4_climate c;
  sv4_energy_building b = box();
  sv4_monthly_result r;
  flat_climate(&c, 0);
  b.phi_int = 30; /* 30 W/m² × 100 m² = 3000 W = 150 W/K × 20 K */
  assert_int_equal(sv4_monthly_heating(&b, &c, &r, NULL), SV4_OK);
  assert_float_equal(r.eta[0], 0.75, 1e-12);
  assert_float_equal(r.q_h_nd[0], 0.25 * 2232.0, 1e-9);
}

/* Solar gains through 10 m² south glazing, 1 kWh/(m²d) in January: 0.6·0.7·0.9·0.5·10·1·31 = 58.59 kWh;
 * a warm month (25 °C outside) needs no heating. */
static void test_solar_and_summer(void **state) {
  (void)state;
  sv4_climate c;
  sv4_energy_building b = box();
  sv4_monthly_result r;
  flat_climate(&c, 0);
  c.theta_e[6] = 25;
  c.i_sol[SV4_OR_SOUTH][0] = 1.0;
  c.i_sol[SV4_OR_NORTH][0] = 1.0; /* no north windows: no gain */
  b.a_window[SV4_OR_SOUTH] = 10;
  assert_int_equal(sv4_monthly_heating(&b, &c, &r, NULL), SV4_OK);
  assert_float_equal(r.q_sol[0], 58.59, 1e-9);
  assert_float_equal(r.q_h_nd[6], 0.0, 0);
  assert_true(r.q_h_nd[0] < r.q_ht[0]);
  sv4_error err = {0};
  b.a_ref = 0;
  assert_int_equal(sv4_monthly_heating(&b, &c, &r, &err), SV4_ERR_USAGE);
}

static void test_climate_table(void **state) {
  (void)state;
  char path[1024];
  sv4_climate_set *cs = NULL;
  sv4_error err = {0};
  snprintf(path, sizeof path, "%s/climate/monthly.csv", data_dir());
  assert_int_equal(sv4_climate_load(path, &cs, &err), SV4_OK);
  assert_true(sv4_climate_count(cs) >= 9);
  const sv4_climate *cz = sv4_climate_find(cs, "cz.n");
  assert_non_null(cz);
  assert_float_equal(cz->theta_e[0], -1.7, 1e-9);
  assert_non_null(sv4_climate_find(cs, "PL.N"));
  assert_non_null(sv4_climate_find(cs, "HU.HU"));
  assert_null(sv4_climate_find(cs, "XX.Y"));
  /* summer sun on a south wall is less than on the roof, winter the other way round (sanity of columns) */
  assert_true(cz->i_sol[SV4_OR_SOUTH][6] < cz->i_sol[SV4_OR_HOR][6]);
  assert_true(cz->i_sol[SV4_OR_SOUTH][0] > cz->i_sol[SV4_OR_HOR][0]);
  sv4_climate_free(cs);
  /* broken table: error names file and line */
  assert_int_equal(sv4_climate_load(SV4_TEST_DATA_DIR "/tabula/bad-climate.csv", &cs, &err), SV4_ERR_PARSE);
  assert_non_null(strstr(err.msg, "bad-climate.csv:3"));
}

/* A TABULA building run through the monthly method in its own climate region lands near the TABULA figure
 * (different method — heating season vs months, a_H0/tau_H0 — so only within 25 %). */
static void test_tabula_vs_monthly(void **state) {
  (void)state;
  char path[1024];
  sv4_climate_set *cs = NULL;
  sv4_tabula_set *ts = NULL;
  snprintf(path, sizeof path, "%s/climate/monthly.csv", data_dir());
  assert_int_equal(sv4_climate_load(path, &cs, NULL), SV4_OK);
  assert_int_equal(sv4_tabula_load(SV4_TEST_DATA_DIR "/tabula/episcope-v4.csv", &ts, NULL), SV4_OK);
  const char *codes[] = {"CZ.N.SFH.03.Gen.ReEx.001.001", "PL.N.MFH.02.Gen.ReEx.001.001"};
  const char *clim[] = {"CZ.N", "PL.N"};
  for (int i = 0; i < 2; i++) {
    const sv4_tabula_input *in = sv4_tabula_find(ts, codes[i], NULL);
    sv4_tabula_result tr;
    sv4_energy_building b;
    sv4_monthly_result mr;
    assert_non_null(in);
    assert_int_equal(sv4_tabula_compute(in, &tr, NULL), SV4_OK);
    sv4_tabula_to_building(in, &tr, &b);
    assert_int_equal(sv4_monthly_heating(&b, sv4_climate_find(cs, clim[i]), &mr, NULL), SV4_OK);
    fprintf(stderr, "%s: TABULA %.1f, monthly %.1f kWh/(m2a)\n", codes[i], tr.q_h_nd, mr.q_h_nd_m2);
    assert_true(fabs(mr.q_h_nd_m2 - tr.q_h_nd) < 0.25 * tr.q_h_nd);
  }
  sv4_tabula_free(ts);
  sv4_climate_free(cs);
}

static void test_carriers(void **state) {
  (void)state;
  char path[1024];
  sv4_energy_tables *t = NULL;
  sv4_error err = {0};
  sv4_energy_use u;
  snprintf(path, sizeof path, "%s/energy", data_dir());
  assert_int_equal(sv4_energy_tables_load(path, &t, &err), SV4_OK);
  const sv4_heat_system *gas = sv4_heat_system_find(t, "gas_condensing");
  const sv4_heat_system *hp = sv4_heat_system_find(t, "heat_pump_air");
  assert_non_null(gas);
  assert_non_null(hp);
  assert_int_equal(sv4_energy_use_of(t, "CZ", gas, 10000, 0, &u, &err), SV4_OK);
  assert_float_equal(u.delivered_kwh, 10000 / gas->efficiency, 1e-9);
  assert_float_equal(u.primary_kwh, u.delivered_kwh * 1.1, 1e-9);
  assert_float_equal(u.co2_kg, u.delivered_kwh * 0.277, 1e-9);
  /* PL has no own gas row: the EU default is used */
  assert_int_equal(sv4_energy_use_of(t, "PL", gas, 10000, 0, &u, &err), SV4_OK);
  assert_float_equal(u.primary_kwh, u.delivered_kwh * 1.05, 1e-9);
  /* heat pump: a third of the need in electricity; PV credit lowers CO2 */
  sv4_energy_use u2;
  assert_int_equal(sv4_energy_use_of(t, "CZ", hp, 9000, 0, &u, &err), SV4_OK);
  assert_float_equal(u.delivered_kwh, 3000, 1e-9);
  assert_int_equal(sv4_energy_use_of(t, "CZ", hp, 9000, 1000, &u2, &err), SV4_OK);
  assert_float_equal(u.co2_kg - u2.co2_kg, 617.0, 1e-9);
  sv4_energy_tables_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_no_gains),        cmocka_unit_test(test_internal_gains),
      cmocka_unit_test(test_gamma_one),       cmocka_unit_test(test_solar_and_summer),
      cmocka_unit_test(test_climate_table),   cmocka_unit_test(test_tabula_vs_monthly),
      cmocka_unit_test(test_carriers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
