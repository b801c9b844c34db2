/* test_tabula.c — the TABULA heating-season method against every PL, CZ and HU reference row of
 * tests/data/tabula/episcope-v4.csv: q_h_nd within ±0.5 kWh/(m²a), intermediates within 1 % (or within half a
 * unit of the last digit the reference file prints, when that is coarser: q_sol "7" stands for 6.5..7.5). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sv4/bim.h"

#define REF_FILE SV4_TEST_DATA_DIR "/tabula/episcope-v4.csv"

static sv4_tabula_set *g_set;

static int setup(void **state) {
  sv4_error err = {0};
  (void)state;
  sv4_rc rc = sv4_tabula_load(REF_FILE, &g_set, &err);
  if (rc) fprintf(stderr, "load: %s\n", err.msg);
  return rc ? -1 : 0;
}

static int teardown(void **state) {
  (void)state;
  sv4_tabula_free(g_set);
  return 0;
}

/* Tolerance for a published value printed with `dec` decimals: 1 % of it, or half its last digit. */
static double tol(double ref, int dec) {
  double rounding = 0.505 * pow(10.0, -dec); /* half a unit, +1 % of it for values on the rounding edge */
  double rel = 0.01 * fabs(ref);
  return rel > rounding ? rel : rounding;
}

typedef struct stat_ {
  const char *name;
  double max_rel, max_abs;
  const char *worst;
  size_t strict_ok, ok, n;
} stat_;

static void check(stat_ *s, const char *code, double mine, double ref, int dec) {
  double d = fabs(mine - ref);
  double rel = ref != 0 ? d / fabs(ref) : d;
  s->n++;
  if (rel <= 0.01) s->strict_ok++;
  if (d <= tol(ref, dec)) s->ok++;
  else fprintf(stderr, "  %s %s: computed %.4f, reference %.4f\n", code, s->name, mine, ref);
  if (rel > s->max_rel) { s->max_rel = rel; s->worst = code; }
  if (d > s->max_abs) s->max_abs = d;
}

static void test_all_rows(void **state) {
  (void)state;
  size_t n = sv4_tabula_count(g_set), pl = 0, cz = 0, hu = 0, qh_ok = 0;
  double qh_max = 0;
  const char *qh_worst = "";
  stat_ st[] = {{"h_Transmission"}, {"h_Ventilation"}, {"F_red_temp"}, {"q_ht"}, {"q_sol"}, {"q_int"},
                {"tau"}, {"a_H"}, {"gamma_h_gn"}, {"eta_h_gn"}, {"H_Transmission_Elements"}};
  assert_true(n >= 200); /* every variant of the three countries */
  for (size_t i = 0; i < n; i++) {
    const sv4_tabula_reference *ref = NULL;
    const sv4_tabula_input *in = sv4_tabula_at(g_set, i, &ref);
    sv4_tabula_result r;
    sv4_error err = {0};
    assert_non_null(in);
    assert_int_equal(sv4_tabula_compute(in, &r, &err), SV4_OK);
    if (!strcmp(in->country, "PL")) pl++;
    if (!strcmp(in->country, "CZ")) cz++;
    if (!strcmp(in->country, "HU")) hu++;
    double d = fabs(r.q_h_nd - ref->q_h_nd);
    if (d <= 0.5) qh_ok++;
    else fprintf(stderr, "  %s q_h_nd: computed %.2f, reference %.2f\n", in->code, r.q_h_nd, ref->q_h_nd);
    if (d > qh_max) { qh_max = d; qh_worst = in->code; }
    check(&st[0], in->code, r.h_transmission, ref->h_transmission, 2);
    check(&st[1], in->code, r.h_ventilation, ref->h_ventilation, 2);
    check(&st[2], in->code, r.f_red_temp, ref->f_red_temp, 2);
    check(&st[3], in->code, r.q_ht, ref->q_ht, ref->decimals_q_ht);
    check(&st[4], in->code, r.q_sol, ref->q_sol, ref->decimals_q_sol);
    check(&st[5], in->code, r.q_int, ref->q_int, ref->decimals_q_int);
    check(&st[6], in->code, r.tau, ref->tau, ref->decimals_tau);
    check(&st[7], in->code, r.a_h, ref->a_h, 2);
    check(&st[8], in->code, r.gamma_h_gn, ref->gamma_h_gn, 3);
    check(&st[9], in->code, r.eta_h_gn, ref->eta_h_gn, 2);
    for (int e = 0; e < SV4_TAB_NEL; e++)
      if (ref->h_tr_el[e] > 0) check(&st[10], in->code, r.h_tr_el[e], ref->h_tr_el[e], 2);
  }
  fprintf(stderr, "rows %zu (PL %zu, CZ %zu, HU %zu); q_h_nd within 0.5: %zu/%zu, max |dev| %.3f (%s)\n", n, pl, cz,
          hu, qh_ok, n, qh_max, qh_worst);
  for (size_t k = 0; k < sizeof st / sizeof *st; k++)
    fprintf(stderr, "  %-24s within tol %zu/%zu, within 1%% strictly %zu/%zu, max rel %.4f (%s)\n", st[k].name,
            st[k].ok, st[k].n, st[k].strict_ok, st[k].n, st[k].max_rel, st[k].worst ? st[k].worst : "");
  assert_true(pl > 0 && cz > 0 && hu > 0);
  assert_int_equal(qh_ok, n);
  for (size_t k = 0; k < sizeof st / sizeof *st; k++) assert_int_equal(st[k].ok, st[k].n);
}

/* One row by hand (CZ.N.AB.01.Gen.ReEx.001.001, existing state): the steps in the order of the method. */
static void test_hand_row(void **state) {
  (void)state;
  const sv4_tabula_reference *ref = NULL;
  const sv4_tabula_input *in = sv4_tabula_find(g_set, "CZ.N.AB.01.Gen.ReEx.001.001", &ref);
  sv4_tabula_result r;
  assert_non_null(in);
  assert_int_equal(sv4_tabula_compute(in, &r, NULL), SV4_OK);
  /* roof 282.5 m² × 1.2 × b 1 */
  assert_float_equal(r.h_tr_el[SV4_TAB_ROOF_1], 339.0, 0.01);
  /* floor: U 0.8 with 0.3 m²K/W unheated cellar → 1/1.55, × b 0.5 */
  assert_float_equal(r.u_actual[SV4_TAB_FLOOR_1], 1.0 / 1.55, 1e-9);
  assert_float_equal(r.h_tr_el[SV4_TAB_FLOOR_1], 282.5 / 1.55 * 0.5, 1e-6);
  /* Wall_2 (party wall) has b_tr = 0 but its area still counts for the thermal-bridge surcharge */
  assert_float_equal(r.h_tr_el[SV4_TAB_WALL_2], 0.0, 1e-12);
  assert_float_equal(r.h_tr_tb, 0.15 * (282.5 + 698.28 + 603 + 282.5 + 145.92 + 3.36), 1e-6);
  assert_float_equal(r.h_ventilation, 0.34 * (0.4 + 0.4) * 2.5, 1e-12);
  assert_float_equal(r.sum_delta_t, (20 - 3.8) * 217, 1e-9);
  assert_float_equal(r.q_int, 3 * 217 * 0.024, 1e-9);
  assert_float_equal(r.a_h, 0.8 + r.tau / 30, 1e-12);
  assert_float_equal(r.q_h_nd, 152.9, 0.05);
}

/* A refurbished variant: added insulation R on top of R_before, replaced windows with the new g. */
static void test_measures(void **state) {
  (void)state;
  const sv4_tabula_input *in = sv4_tabula_find(g_set, "CZ.N.AB.01.Gen.ReEx.001.002", NULL);
  sv4_tabula_result r;
  assert_non_null(in);
  assert_int_equal(sv4_tabula_compute(in, &r, NULL), SV4_OK);
  assert_float_equal(r.u_actual[SV4_TAB_WALL_1], 1.0 / (1.0 / 1.36 + 2.564102564), 1e-6);
  assert_float_equal(r.u_actual[SV4_TAB_WINDOW_1], 1.1, 1e-6);
  assert_float_equal(r.g_gl_n, 0.63, 1e-9);
  assert_float_equal(r.fraction_refurbished, 1.0, 1e-9);
  assert_float_equal(r.q_h_nd, 67.4, 0.5);
  /* removing the measures must make it worse than the refurbished state */
  sv4_tabula_input copy = *in;
  for (int i = 0; i < SV4_TAB_NEL; i++) copy.el[i].measure = SV4_MEASURE_NONE;
  sv4_tabula_result r0;
  assert_int_equal(sv4_tabula_compute(&copy, &r0, NULL), SV4_OK);
  assert_true(r0.q_h_nd > r.q_h_nd + 50);
}

static void test_errors(void **state) {
  (void)state;
  sv4_tabula_set *s = NULL;
  sv4_error err = {0};
  assert_int_not_equal(sv4_tabula_load(SV4_TEST_DATA_DIR "/tabula/does-not-exist.csv", &s, &err), SV4_OK);
  assert_null(s);
  assert_int_equal(sv4_tabula_load(SV4_TEST_DATA_DIR "/tabula/bad-number.csv", &s, &err), SV4_ERR_PARSE);
  assert_non_null(strstr(err.msg, "bad-number.csv:2"));
  assert_non_null(strstr(err.msg, "A_C_Ref"));
  assert_int_equal(sv4_tabula_load(SV4_TEST_DATA_DIR "/tabula/missing-column.csv", &s, &err), SV4_ERR_PARSE);
  assert_non_null(strstr(err.msg, "missing column"));
  sv4_tabula_input in;
  memset(&in, 0, sizeof in);
  snprintf(in.code, sizeof in.code, "X");
  sv4_tabula_result r;
  assert_int_equal(sv4_tabula_compute(&in, &r, &err), SV4_ERR_USAGE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_all_rows),
      cmocka_unit_test(test_hand_row),
      cmocka_unit_test(test_measures),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
