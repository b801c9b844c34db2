/* cmd_bim_energy.c — `smartv4 bim tabula` (one TABULA variant's calculation step by step) and
 * `smartv4 bim assess` (renovation variants of an IFC model or a TABULA typology building). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unistd.h>

#include "cli/cli.h"
#include "server/bim_funding.h"
#include "sv4/bim.h"
#include "sv4/store.h"
#include "sv4/util.h"

/* ---- bim tabula ---------------------------------------------------------------------------------------- */
static void tabula_usage(FILE *out) {
  fprintf(out, "usage: smartv4 bim tabula CODE [--json]\n\n"
               "Runs the TABULA heating-season method for one building variant of data/tabula/episcope-v4.csv\n"
               "(CODE = Code_BuildingVariant, e.g. CZ.N.SFH.03.Gen.ReEx.001.001) and prints every step beside the\n"
               "published TABULA value. JSON keys are the reference file's column names (q_ht, q_sol, q_int, tau,\n"
               "a_H, gamma_h_gn, eta_h_gn, q_h_nd, ...). 'smartv4 bim tabula --list' lists the codes.\n");
}

int sv4_cmd_bim_tabula(int argc, char **argv) {
  const char *code = NULL;
  int json = 0, list = 0;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) { tabula_usage(stdout); return 0; }
    if (!strcmp(argv[i], "--json")) json = 1;
    else if (!strcmp(argv[i], "--list")) list = 1;
    else if (argv[i][0] == '-') { tabula_usage(stderr); return 2; }
    else code = argv[i];
  }
  if (!code && !list) { tabula_usage(stderr); return 2; }
  sv4_error err = {0};
  sv4_tabula_set *ts = NULL;
  sv4_rc rc = sv4_typology_load(&ts, &err);
  if (rc) return sv4_cli_fail("bim tabula", rc, "%s", err.msg);
  if (list) {
    for (size_t i = 0; i < sv4_tabula_count(ts); i++) {
      const sv4_tabula_input *in = sv4_tabula_at(ts, i, NULL);
      printf("%s\t%d-%d\t%s\n", in->code, in->year1, in->year2, in->description);
    }
    sv4_tabula_free(ts);
    return 0;
  }
  const sv4_tabula_reference *ref = NULL;
  const sv4_tabula_input *in = sv4_tabula_find(ts, code, &ref);
  if (!in) {
    sv4_tabula_free(ts);
    return sv4_cli_fail("bim tabula", SV4_ERR_NOTFOUND, "no building variant '%s' (try --list)", code);
  }
  sv4_tabula_result r;
  if ((rc = sv4_tabula_compute(in, &r, &err))) {
    sv4_tabula_free(ts);
    return sv4_cli_fail("bim tabula", rc, "%s", err.msg);
  }
  sv4_buf b;
  sv4_buf_init(&b, 0);
  if (json) {
    sv4_buf_puts(&b, "{\"Code_BuildingVariant\": ");
    sv4_buf_json_str(&b, in->code);
    sv4_buf_puts(&b, ", \"Description_BuildingVariant\": ");
    sv4_buf_json_str(&b, in->description);
    sv4_buf_puts(&b, ", \"Code_ClimateRegion\": ");
    sv4_buf_json_str(&b, in->climate_region);
    sv4_buf_puts(&b, ", \"inputs\": {");
    sv4_buf_json_key_num(&b, "A_C_Ref", in->a_c_ref, 2, 1);
    sv4_buf_json_key_num(&b, "HeatingDays", in->heating_days, 0, 1);
    sv4_buf_json_key_num(&b, "Theta_e", in->theta_e, 2, 1);
    sv4_buf_json_key_num(&b, "theta_i", in->theta_i, 1, 1);
    sv4_buf_json_key_num(&b, "n_air_use", in->n_air_use, 2, 1);
    sv4_buf_json_key_num(&b, "n_air_infiltration", in->n_air_infiltration, 2, 1);
    sv4_buf_json_key_num(&b, "h_room", in->h_room, 2, 1);
    sv4_buf_json_key_num(&b, "phi_int", in->phi_int, 2, 1);
    sv4_buf_json_key_num(&b, "c_m", in->c_m, 1, 1);
    sv4_buf_json_key_num(&b, "F_red_htr1", in->f_red_htr1, 2, 1);
    sv4_buf_json_key_num(&b, "F_red_htr4", in->f_red_htr4, 2, 0);
    sv4_buf_puts(&b, ", \"elements\": [");
    int first = 1;
    for (int i = 0; i < SV4_TAB_NEL; i++) {
      if (!(in->el[i].u > 0) || !(in->el[i].area_m2 > 0)) continue;
      sv4_buf_puts(&b, first ? "{" : ", {");
      first = 0;
      sv4_buf_printf(&b, "\"element\": \"%s\", ", sv4_tabula_element_name(i));
      sv4_buf_json_key_num(&b, "A", in->el[i].area_m2, 2, 1);
      sv4_buf_json_key_num(&b, "U", in->el[i].u, 3, 1);
      sv4_buf_json_key_num(&b, "b_Transmission", in->el[i].b_tr, 2, 1);
      sv4_buf_json_key_num(&b, "U_Actual", r.u_actual[i], 3, 1);
      sv4_buf_json_key_num(&b, "H_Transmission", r.h_tr_el[i], 2, 0);
      sv4_buf_puts(&b, "}");
    }
    sv4_buf_puts(&b, "]}, ");
    sv4_buf_json_key_num(&b, "delta_U_ThermalBridging", r.delta_u_tb, 3, 1);
    sv4_buf_json_key_num(&b, "H_Transmission_ThermalBridging", r.h_tr_tb, 2, 1);
    sv4_buf_json_key_num(&b, "h_Transmission", r.h_transmission, 4, 1);
    sv4_buf_json_key_num(&b, "h_Ventilation", r.h_ventilation, 4, 1);
    sv4_buf_json_key_num(&b, "Sum_DeltaT_for_HeatingDays", r.sum_delta_t, 1, 1);
    sv4_buf_json_key_num(&b, "F_red_temp", r.f_red_temp, 4, 1);
    sv4_buf_json_key_num(&b, "q_ht_tr", r.q_ht_tr, 2, 1);
    sv4_buf_json_key_num(&b, "q_ht_ve", r.q_ht_ve, 2, 1);
    sv4_buf_json_key_num(&b, "q_ht", r.q_ht, 2, 1);
    sv4_buf_json_key_num(&b, "g_gl_n", r.g_gl_n, 3, 1);
    sv4_buf_json_key_num(&b, "q_sol", r.q_sol, 2, 1);
    sv4_buf_json_key_num(&b, "q_int", r.q_int, 2, 1);
    sv4_buf_json_key_num(&b, "tau", r.tau, 2, 1);
    sv4_buf_json_key_num(&b, "a_H", r.a_h, 4, 1);
    sv4_buf_json_key_num(&b, "gamma_h_gn", r.gamma_h_gn, 4, 1);
    sv4_buf_json_key_num(&b, "eta_h_gn", r.eta_h_gn, 4, 1);
    sv4_buf_json_key_num(&b, "q_h_nd", r.q_h_nd, 2, 1);
    sv4_buf_puts(&b, "\"reference\": {");
    sv4_buf_json_key_num(&b, "q_ht", ref->q_ht, 2, 1);
    sv4_buf_json_key_num(&b, "q_sol", ref->q_sol, 2, 1);
    sv4_buf_json_key_num(&b, "q_int", ref->q_int, 2, 1);
    sv4_buf_json_key_num(&b, "tau", ref->tau, 2, 1);
    sv4_buf_json_key_num(&b, "a_H", ref->a_h, 2, 1);
    sv4_buf_json_key_num(&b, "gamma_h_gn", ref->gamma_h_gn, 3, 1);
    sv4_buf_json_key_num(&b, "eta_h_gn", ref->eta_h_gn, 2, 1);
    sv4_buf_json_key_num(&b, "q_h_nd", ref->q_h_nd, 1, 0);
    sv4_buf_puts(&b, "}}\n");
  } else {
    sv4_buf_printf(&b, "TABULA heating-season method — %s (%s), %d-%d, climate %s\n", in->code, in->description,
                   in->year1, in->year2, in->climate_region);
    sv4_buf_printf(&b, "reference area A_C_Ref %.1f m2; heating days %.0f, theta_e %.2f C, theta_i %.1f C\n\n",
                   in->a_c_ref, in->heating_days, in->theta_e, in->theta_i);
    sv4_buf_printf(&b, "%-9s %9s %7s %6s %9s %10s\n", "element", "A m2", "U", "b_tr", "U_Actual", "H_tr W/K");
    for (int i = 0; i < SV4_TAB_NEL; i++) {
      if (!(in->el[i].u > 0) || !(in->el[i].area_m2 > 0)) continue;
      sv4_buf_printf(&b, "%-9s %9.2f %7.3f %6.2f %9.3f %10.2f%s\n", sv4_tabula_element_name(i), in->el[i].area_m2,
                     in->el[i].u, in->el[i].b_tr, r.u_actual[i], r.h_tr_el[i], in->el[i].measure ? "  (measure)" : "");
    }
    sv4_buf_printf(&b, "%-9s dU %.3f x %.1f m2 envelope            %10.2f\n\n", "bridges", r.delta_u_tb, r.a_envelope,
                   r.h_tr_tb);
#define STEP(label, key, mine, refv, dec) sv4_buf_printf(&b, "%-44s %-16s %10.*f   (TABULA %.*f)\n", label, key, dec, mine, dec, refv)
    STEP("transmission per m2 = ΣH / A_C_Ref", "h_Transmission", r.h_transmission, ref->h_transmission, 3);
    STEP("ventilation 0.34*(n_use + n_inf)*h_room", "h_Ventilation", r.h_ventilation, ref->h_ventilation, 3);
    STEP("temperature reduction factor", "F_red_temp", r.f_red_temp, ref->f_red_temp, 3);
    STEP("transmission losses kWh/(m2a)", "q_ht_tr", r.q_ht_tr, ref->q_ht_tr, 1);
    STEP("ventilation losses kWh/(m2a)", "q_ht_ve", r.q_ht_ve, ref->q_ht_ve, 1);
    STEP("total heat transfer kWh/(m2a)", "q_ht", r.q_ht, ref->q_ht, 1);
    STEP("solar gains kWh/(m2a)", "q_sol", r.q_sol, ref->q_sol, 1);
    STEP("internal gains kWh/(m2a)", "q_int", r.q_int, ref->q_int, 1);
    STEP("time constant h = c_m / (h_tr + h_ve)", "tau", r.tau, ref->tau, 1);
    STEP("a_H = 0.8 + tau / 30", "a_H", r.a_h, ref->a_h, 3);
    STEP("gain / loss ratio", "gamma_h_gn", r.gamma_h_gn, ref->gamma_h_gn, 3);
    STEP("gain utilisation factor", "eta_h_gn", r.eta_h_gn, ref->eta_h_gn, 3);
    STEP("HEATING NEED kWh/(m2a)", "q_h_nd", r.q_h_nd, ref->q_h_nd, 1);
#undef STEP
  }
  fputs(b.data ? b.data : "", stdout);
  sv4_buf_free(&b);
  sv4_tabula_free(ts);
  return 0;
}

/* ---- bim assess ---------------------------------------------------------------------------------------- */
/* The locations of data/climate/monthly.csv, grouped by country, as the --help text lists them. */
static void list_locations(FILE *out) {
  char *path = sv4_data_path("climate/monthly.csv");
  sv4_climate_set *cs = NULL;
  sv4_error err = {0};
  if (!path || sv4_climate_load(path, &cs, &err)) {
    fprintf(out, "                      (data/climate/monthly.csv could not be read: %s)\n", err.msg);
    free(path);
    return;
  }
  free(path);
  const char *seen[64];
  size_t nseen = 0;
  for (size_t i = 0; i < sv4_climate_count(cs); i++) {
    const char *cc = sv4_climate_at(cs, i)->country;
    size_t k = 0;
    while (k < nseen && strcasecmp(seen[k], cc)) k++;
    if (k < nseen) continue;
    if (nseen < 64) seen[nseen++] = cc;
    for (size_t j = i; j < sv4_climate_count(cs); j++) {
      const sv4_climate *c = sv4_climate_at(cs, j);
      if (strcasecmp(c->country, cc)) continue;
      fprintf(out, "                      %-7s %-3s %s\n", c->code, c->country, c->name);
    }
  }
  int sk = 0;
  for (size_t k = 0; k < nseen; k++) sk |= !strcasecmp(seen[k], "SK");
  if (!sk)
    fprintf(out, "                    Slovakia has no climate rows yet (see data/climate/README.md): use --country SK\n"
                 "                    with the nearest location, e.g. CZ.SE (west) or HU.HU (south).\n");
  sv4_climate_free(cs);
}

static void assess_usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 bim assess FILE.ifc --location CODE [--year YYYY] [--country PL|CZ|SK|HU] [options]\n"
          "       smartv4 bim assess --typology CODE [--location CODE] [options]\n\n"
          "Heating need (EN ISO 52016-1 monthly method), delivered and primary energy, CO2, investment, savings,\n"
          "payback and NPV of renovation variants, with the funding programmes that fit. Variants are sorted by\n"
          "net present value over the lifetime (best first).\n\n"
          "options:\n"
          "  --typology CODE   TABULA building (Code_Building, e.g. CZ.N.SFH.03.Gen.ReEx.001, or a variant code)\n"
          "  --location CODE   climate (data/climate/monthly.csv):\n");
  if (out == stdout) list_locations(out);
  fprintf(out,
          "  --year YYYY       construction year (IFC: typical U-values for missing ones)\n"
          "  --country CC      costs, carriers and funding of this country (default: from the typology)\n"
          "  --system CODE     existing heat generator (data/energy/systems.csv; default gas_boiler_old)\n"
          "  --costs FILE      unit costs overriding data/costs/unit-costs.csv (same columns)\n"
          "  --db FILE         the portal's database (as smartv4 serve --db): funding from its published funding\n"
          "                    records when it has any (else data/funding/programmes.csv)\n"
          "  --applicant TYPE  the owner's applicant type for the portal's funding records (default household)\n"
          "  --rate R          discount rate (default 0.03)   --lifetime N  years (default 30)\n"
          "  --json            JSON output\n");
}

static void print_assessment(const sv4_assessment *a, int json) {
  sv4_buf b;
  sv4_buf_init(&b, 0);
  if (json) {
    sv4_assessment_to_json(a, &b);
  } else {
    sv4_buf_printf(&b, "Building %s (%s), reference area %.1f m2; climate %s (%s)\n", a->building, a->country,
                   a->base.a_c_ref, a->climate.code, a->climate.name);
    sv4_buf_printf(&b, "Existing: %.1f kWh/(m2a) heating need, %.0f kWh delivered (%s), %.0f kWh primary, %.0f kg CO2,"
                       " %.0f EUR/a\n",
                   a->baseline.q_h_nd, a->baseline.delivered_kwh, a->baseline.system, a->baseline.primary_kwh,
                   a->baseline.co2_kg, a->baseline.running_eur);
    sv4_buf_printf(&b, "Variants by NPV over %d years at %.1f %% (costs: %s)\n\n", a->lifetime_years,
                   a->discount_rate * 100, a->costs_note);
    sv4_buf_printf(&b, "%-46s %7s %9s %9s %8s %9s %8s %7s %10s\n", "variant", "q_h_nd", "delivered", "primary", "CO2 kg",
                   "cost EUR", "save/a", "payback", "NPV EUR");
    for (size_t i = 0; i < a->n; i++) {
      const sv4_variant_result *v = &a->variants[i];
      char pb[16];
      if (isfinite(v->payback_years)) snprintf(pb, sizeof pb, "%.1f", v->payback_years);
      else snprintf(pb, sizeof pb, "never");
      sv4_buf_printf(&b, "%-46.46s %7.1f %9.0f %9.0f %8.0f %9.0f %8.0f %7s %10.0f\n", v->name, v->q_h_nd,
                     v->delivered_kwh, v->primary_kwh, v->co2_kg, v->cost_eur, v->savings_eur_per_year, pb, v->npv_eur);
      if (v->nfunding) {
        sv4_buf_puts(&b, "    funding: ");
        for (size_t f = 0; f < v->nfunding; f++) {
          const sv4_funding_programme *g = v->funding[f];
          if (g->record_id) sv4_buf_printf(&b, "%s%s [portal #%lld]", f ? "; " : "", g->name, (long long)g->record_id);
          else sv4_buf_printf(&b, "%s%s", f ? "; " : "", g->name);
        }
        sv4_buf_putc(&b, '\n');
      }
    }
    sv4_buf_printf(&b, "\nFunding programmes from %s.\n", a->funding_note);
    sv4_buf_puts(&b, "Costs are defaults, not quotes: replace them with local quotes (--costs FILE).\n");
  }
  fputs(b.data ? b.data : "", stdout);
  sv4_buf_free(&b);
}

int sv4_cmd_bim_assess(int argc, char **argv) {
  const char *file = NULL, *typology = NULL, *location = NULL, *country = NULL, *costs = NULL, *system = NULL;
  const char *db = NULL, *applicant = NULL;
  int json = 0, year = 0, lifetime = 0;
  double rate = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (sv4_cli_is_help(a)) { assess_usage(stdout); return 0; }
    if (!strcmp(a, "--json")) json = 1;
    else if (!strcmp(a, "--typology") && more) typology = argv[++i];
    else if (!strcmp(a, "--location") && more) location = argv[++i];
    else if (!strcmp(a, "--country") && more) country = argv[++i];
    else if (!strcmp(a, "--costs") && more) costs = argv[++i];
    else if (!strcmp(a, "--system") && more) system = argv[++i];
    else if (!strcmp(a, "--db") && more) db = argv[++i];
    else if (!strcmp(a, "--applicant") && more) applicant = argv[++i];
    else if (!strcmp(a, "--year") && more) year = atoi(argv[++i]);
    else if (!strcmp(a, "--lifetime") && more) lifetime = atoi(argv[++i]);
    else if (!strcmp(a, "--rate") && more) rate = atof(argv[++i]);
    else if (a[0] == '-') { assess_usage(stderr); return 2; }
    else file = a;
  }
  if (!!file == !!typology) { assess_usage(stderr); return 2; }
  if (file && !location) return sv4_cli_fail("bim assess", SV4_ERR_USAGE, "--location CODE is required with an IFC file (see --help)");
  if (country && strcasecmp(country, "PL") && strcasecmp(country, "CZ") && strcasecmp(country, "SK") && strcasecmp(country, "HU"))
    return sv4_cli_fail("bim assess", SV4_ERR_USAGE, "--country must be PL, CZ, SK or HU");
  sv4_error err = {0};
  sv4_tabula_set *ts = NULL;
  sv4_assessment *as = NULL;
  sv4_ifc_model *model = NULL;
  sv4_funding_programme *prog = NULL;
  const sv4_store_ops *ops = NULL;
  sv4_store *store = NULL;
  sv4_rc rc = sv4_typology_load(&ts, &err);
  int ret = 0;
  char *dd = sv4_data_path("");
  sv4_tabula_input base;
  const sv4_tabula_input *pk[SV4_MAX_PACKAGES];
  size_t npk = 0;
  if (rc || !dd) { ret = sv4_cli_fail("bim assess", rc ? rc : SV4_ERR_NOMEM, "%s", err.msg); goto done; }
  if (typology) {
    if ((rc = sv4_base_from_typology(ts, typology, &base, pk, &npk, &err))) {
      ret = sv4_cli_fail("bim assess", rc, "%s", err.msg);
      goto done;
    }
  } else {
    if (!country) { ret = sv4_cli_fail("bim assess", SV4_ERR_USAGE, "--country PL|CZ|SK|HU is required with an IFC file"); goto done; }
    if ((rc = sv4_ifc_model_open(file, &model, &err))) { ret = sv4_cli_fail("bim assess", rc, "%s", err.msg); goto done; }
    if ((rc = sv4_base_from_ifc(model, ts, country, year, file, &base, &err))) {
      ret = sv4_cli_fail("bim assess", rc, "%s: %s", file, err.msg);
      goto done;
    }
  }
  dd[strlen(dd) - 1] = dd[strlen(dd) - 1] == '/' ? '\0' : dd[strlen(dd) - 1];
  sv4_assess_options opt = {dd, country, location, system, costs, rate, lifetime, NULL, 0, NULL};
  if (db) { /* the portal's funding records, when it has any */
    size_t nrec = 0;
    ops = sv4_store_backend_for(db);
    if (ops == &sv4_store_sqlite && access(db, R_OK)) { /* opening would create an empty database */
      ret = sv4_cli_fail("bim assess", SV4_ERR_NOTFOUND, "%s: no such database", db);
      goto done;
    }
    if ((rc = ops->open(db, &store, &err)) ||
        (rc = sv4__bim_store_funding(ops, store, country ? country : base.country, applicant, &prog, &opt.nfunding,
                                     &nrec, &err))) {
      ret = sv4_cli_fail("bim assess", rc, "%s: %s", db, err.msg);
      goto done;
    }
    opt.funding = prog;
    if (nrec) opt.funding_origin = "portal funding records";
  }
  if ((rc = sv4_assess(&base, pk, npk, &opt, &as, &err))) { ret = sv4_cli_fail("bim assess", rc, "%s", err.msg); goto done; }
  print_assessment(as, json);
done:
  if (store) ops->close(store);
  free(prog);
  sv4_assessment_free(as);
  sv4_ifc_model_free(model);
  sv4_tabula_free(ts);
  free(dd);
  return ret;
}
