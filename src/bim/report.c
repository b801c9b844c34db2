/* report.c — what the CLI and the portal share about an assessment: preparing the base building (a TABULA
 * typology row, or an IFC model's envelope mapped to the TABULA form) and the assessment as JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sv4/bim.h"
#include "sv4/util.h"

sv4_rc sv4_typology_load(sv4_tabula_set **ts, sv4_error *err) {
  char *p = sv4_data_path("tabula/episcope-v4.csv");
  if (!p) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  sv4_rc rc = sv4_tabula_load(p, ts, err);
  free(p);
  return rc;
}

sv4_rc sv4_base_from_typology(const sv4_tabula_set *ts, const char *code, sv4_tabula_input *base,
                              const sv4_tabula_input **packages, size_t *npackages, sv4_error *err) {
  const sv4_tabula_input *b0 = NULL;
  *npackages = 0;
  for (size_t i = 0; i < sv4_tabula_count(ts); i++) {
    const sv4_tabula_input *t = sv4_tabula_at(ts, i, NULL);
    if (!strcmp(t->code, code) || (!strcmp(t->building, code) && t->variant % 10 == 1)) {
      b0 = t;
      break;
    }
  }
  if (!b0) return sv4_error_set(err, SV4_ERR_NOTFOUND, "no TABULA building '%s' (smartv4 bim tabula --list)", code);
  *base = *b0;
  for (size_t i = 0; i < sv4_tabula_count(ts) && *npackages < SV4_MAX_PACKAGES; i++) {
    const sv4_tabula_input *t = sv4_tabula_at(ts, i, NULL);
    if (!strcmp(t->building, b0->building) && t != b0 && t->variant / 10 == b0->variant / 10)
      packages[(*npackages)++] = t;
  }
  return SV4_OK;
}

sv4_rc sv4_base_from_ifc(const sv4_ifc_model *model, const sv4_tabula_set *ts, const char *country, int year,
                         const char *name, sv4_tabula_input *base, sv4_error *err) {
  if (!country || (strcasecmp(country, "PL") && strcasecmp(country, "CZ") && strcasecmp(country, "SK") &&
                   strcasecmp(country, "HU")))
    return sv4_error_set(err, SV4_ERR_USAGE, "country must be PL, CZ, SK or HU");
  /* typical constructions: SK has no TABULA typology, CZ's (same building tradition) stands in */
  const char *typ_country = !strcasecmp(country, "SK") ? "CZ" : country;
  sv4_rc rc = sv4_envelope_to_tabula(sv4_envelope_of(model), ts, typ_country, year ? year : 1970, base, err);
  if (rc) return rc;
  snprintf(base->code, sizeof base->code, "%s", name ? name : "model");
  snprintf(base->country, sizeof base->country, "%s", country);
  return SV4_OK;
}

/* One variant as JSON; with_econ adds cost, savings, payback, NPV and funding. */
static void variant_json(sv4_buf *b, const sv4_variant_result *v, int with_econ) {
  sv4_buf_puts(b, "{\"name\": ");
  sv4_buf_json_str(b, v->name);
  sv4_buf_puts(b, ", \"measures\": [");
  char tmp[192], *save = NULL;
  snprintf(tmp, sizeof tmp, "%s", v->measures);
  int first = 1;
  for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (!first) sv4_buf_puts(b, ", ");
    first = 0;
    sv4_buf_json_str(b, t);
  }
  sv4_buf_puts(b, "], \"u_values\": {");
  first = 1;
  for (int i = 0; i < SV4_TAB_NEL; i++) {
    if (!(v->u[i] > 0)) continue;
    if (!first) sv4_buf_puts(b, ", ");
    first = 0;
    sv4_buf_printf(b, "\"%s\": ", sv4_tabula_element_name(i));
    sv4_buf_json_num(b, v->u[i], 3);
  }
  sv4_buf_puts(b, "}, \"system\": ");
  sv4_buf_json_str(b, v->system);
  sv4_buf_puts(b, ", ");
  sv4_buf_json_key_num(b, "q_h_nd", v->q_h_nd, 1, 1);
  sv4_buf_json_key_num(b, "delivered_kwh", v->delivered_kwh, 0, 1);
  sv4_buf_json_key_num(b, "primary_kwh", v->primary_kwh, 0, 1);
  sv4_buf_json_key_num(b, "co2_kg", v->co2_kg, 0, 1);
  sv4_buf_json_key_num(b, "pv_kwh", v->pv_kwh, 0, 1);
  sv4_buf_json_key_num(b, "running_cost_eur_per_year", v->running_eur, 0, with_econ);
  if (with_econ) {
    sv4_buf_json_key_num(b, "cost_eur", v->cost_eur, 0, 1);
    sv4_buf_json_key_num(b, "savings_eur_per_year", v->savings_eur_per_year, 0, 1);
    sv4_buf_json_key_num(b, "payback_years", v->payback_years, 1, 1);
    sv4_buf_json_key_num(b, "npv_eur", v->npv_eur, 0, 1);
    sv4_buf_puts(b, "\"funding\": [");
    for (size_t f = 0; f < v->nfunding; f++) {
      const sv4_funding_programme *g = v->funding[f];
      sv4_buf_puts(b, f ? ", {\"name\": " : "{\"name\": ");
      sv4_buf_json_str(b, g->name);
      sv4_buf_puts(b, ", \"country\": ");
      sv4_buf_json_str(b, g->country);
      sv4_buf_puts(b, ", \"url\": ");
      sv4_buf_json_str(b, g->url);
      sv4_buf_puts(b, ", \"source\": ");
      sv4_buf_json_str(b, g->source);
      if (g->record_id) sv4_buf_printf(b, ", \"record_id\": %lld", (long long)g->record_id);
      sv4_buf_puts(b, "}");
    }
    sv4_buf_puts(b, "]");
  }
  sv4_buf_puts(b, "}");
}

sv4_rc sv4_assessment_to_json(const sv4_assessment *a, sv4_buf *out) {
  sv4_buf *bp = out;
    sv4_buf_puts(bp, "{\"building\": ");
    sv4_buf_json_str(bp, a->building);
    sv4_buf_puts(bp, ", \"country\": ");
    sv4_buf_json_str(bp, a->country);
    sv4_buf_printf(bp, ", \"reference_area_m2\": %.1f", a->base.a_c_ref);
    sv4_buf_puts(bp, ", \"climate\": {\"code\": ");
    sv4_buf_json_str(bp, a->climate.code);
    sv4_buf_puts(bp, ", \"name\": ");
    sv4_buf_json_str(bp, a->climate.name);
    sv4_buf_puts(bp, ", \"source\": ");
    sv4_buf_json_str(bp, a->climate.source);
    sv4_buf_puts(bp, "}, \"method\": \"EN ISO 52016-1 monthly (ISO 13790 quasi-steady-state), space heating\"");
    sv4_buf_printf(bp, ", \"economics\": {\"discount_rate\": %.3f, \"lifetime_years\": %d, \"costs\": ",
                   a->discount_rate, a->lifetime_years);
    sv4_buf_json_str(bp, a->costs_note);
    sv4_buf_puts(bp, ", \"funding\": ");
    sv4_buf_json_str(bp, a->funding_note);
    sv4_buf_puts(bp, ", \"sorted_by\": \"npv_eur descending\"}, \"baseline\": ");
    const sv4_variant_result *z = &a->baseline;
    sv4_buf_puts(bp, "{");
    sv4_buf_json_key_num(bp, "q_h_nd", z->q_h_nd, 1, 1);
    sv4_buf_json_key_num(bp, "delivered", z->delivered_kwh, 0, 1);
    sv4_buf_json_key_num(bp, "primary", z->primary_kwh, 0, 1);
    sv4_buf_json_key_num(bp, "co2", z->co2_kg, 0, 1);
    sv4_buf_json_key_num(bp, "running_cost_eur_per_year", z->running_eur, 0, 0);
    sv4_buf_puts(bp, ", \"system\": ");
    sv4_buf_json_str(bp, z->system);
    sv4_buf_puts(bp, ", \"detail\": ");
    variant_json(bp, z, 0);
    sv4_buf_puts(bp, "}, \"variants\": [");
    for (size_t i = 0; i < a->n; i++) {
      if (i) sv4_buf_puts(bp, ", ");
      variant_json(bp, &a->variants[i], 1);
    }
    sv4_buf_puts(bp, "]}\n");
  return SV4_OK;
}
