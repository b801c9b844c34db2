/* test_model.c — IFC model extraction on every sample model: element counts, envelope, areas, orientation,
 * U-values and their sources; geometry-derived areas checked against the models' own quantity sets. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bim/internal.h"

static sv4_ifc_model *open_model(const char *file) {
  char path[1024];
  snprintf(path, sizeof path, "%s/ifc/%s", SV4_TEST_DATA_DIR, file);
  sv4_ifc_model *m = NULL;
  sv4_error err;
  if (sv4_ifc_model_open(path, &m, &err)) fail_msg("%s: %s", file, err.msg);
  return m;
}

static const sv4_envelope_element *find(const sv4_envelope *env, const char *id) {
  for (size_t i = 0; i < env->n; i++)
    if (!strcmp(env->elements[i].id, id)) return &env->elements[i];
  fail_msg("envelope lacks %s", id);
  return NULL;
}

static size_t count_type(const sv4_envelope *env, sv4_env_type t) {
  size_t n = 0;
  for (size_t i = 0; i < env->n; i++) n += env->elements[i].type == t;
  return n;
}

static void test_fzk_haus(void **st) {
  (void)st;
  sv4_ifc_model *m = open_model("AC20-FZK-Haus.ifc");
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WALL), 13);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WINDOW), 11);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_DOOR), 5);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_SLAB), 4);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_ROOF), 0);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_SPACE), 7);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_STOREY), 2);
  const sv4_envelope *env = sv4_envelope_of(m);
  assert_true(env->has_envelope);
  assert_int_equal(count_type(env, SV4_ENV_WALL), 8);  /* 4 ground floor + 4 attic external walls */
  assert_int_equal(count_type(env, SV4_ENV_WINDOW), 11);
  assert_int_equal(count_type(env, SV4_ENV_DOOR), 2);  /* front and terrace door; 3 inner doors excluded */
  assert_int_equal(count_type(env, SV4_ENV_ROOF), 2);
  const sv4_envelope_element *w = find(env, "#21966");  /* Wand-Ext-ERDG-1: NetSideArea 18.76 */
  assert_int_equal(w->area_source, SV4_SRC_QTO);
  assert_true(fabs(w->area_m2 - 18.76) < 0.01);
  assert_int_equal(w->u_source, SV4_SRC_PSET);
  assert_true(fabs(w->u - 0.4) < 1e-9);
  /* true north is rotated by 310° (TrueNorth (0.766, 0.643)); the four facades lie 90° apart */
  double o[4] = {find(env, "#21966")->orientation_deg, find(env, "#27421")->orientation_deg,
                 find(env, "#31470")->orientation_deg, find(env, "#32407")->orientation_deg};
  assert_true(fabs(o[0] - 220) < 0.5 && fabs(o[1] - 130) < 0.5 && fabs(o[2] - 40) < 0.5 && fabs(o[3] - 310) < 0.5);
  /* a window in Wand-Ext-ERDG-1 faces the same way as its wall */
  assert_true(fabs(find(env, "#23024")->orientation_deg - o[0]) < 0.5);
  assert_true(fabs(find(env, "#23024")->area_m2 - 2.40) < 0.01);
  assert_false(isfinite(find(env, "#34509")->orientation_deg)); /* base slab: horizontal */
  assert_int_equal(find(env, "#34509")->type, SV4_ENV_FLOOR);
  assert_true(fabs(env->floor_area_m2 - 173.3) < 0.5);
  sv4_ifc_model_free(m);
}

/* The geometry path against the model's own quantity sets, for every sample model: each wall, window, door, slab
 * and roof that has a Qto area must get, from geometry alone, an area within 3 % of it (walls: GrossSideArea
 * against the side on the centre plane after clipping; windows/doors: Area against the opening's profile; slabs
 * and roofs: GrossArea/NetArea/Area against the profile). Spaces are left out: the only space quantity in the
 * samples is "GSA BIM Area", a spatial-programme measure to wall centres, not the room's own floor. */
static void test_geometry_against_qto(void **st) {
  (void)st;
  static const struct {
    const char *file;
    size_t n[SV4_ELEM_TYPE_COUNT]; /* elements with a Qto area compared, by kind */
  } models[] = {
      {"AC20-FZK-Haus.ifc", {[SV4_ELEM_WALL] = 13, [SV4_ELEM_WINDOW] = 11, [SV4_ELEM_DOOR] = 5, [SV4_ELEM_SLAB] = 4}},
      {"ISSUE_021_Mini_Project.ifc", {[SV4_ELEM_SLAB] = 24}},
      {"duplex.ifc", {0}},
      {"Office_A_20110811.ifc", {0}},
      {"IfcOpenHouse_IFC4.ifc", {0}},
      {"tested_sample_project.ifc", {0}},
  };
  for (size_t f = 0; f < sizeof models / sizeof models[0]; f++) {
    sv4_ifc_model *m = open_model(models[f].file);
    size_t n[SV4_ELEM_TYPE_COUNT] = {0};
    double worst[SV4_ELEM_TYPE_COUNT] = {0};
    for (size_t i = 0; i < m->nel; i++) {
      const sv4__melem *el = &m->el[i];
      if (el->kind > SV4_ELEM_ROOF && el->kind != SV4_ELEM_CURTAIN_WALL) continue;
      double q = sv4__model_qto_area(m, el->id), g = sv4__model_geom_area(m, el->id);
      if (!(q > 0)) continue;
      n[el->kind]++;
      if (!(g > 0)) fail_msg("%s #%llu (%s): no geometry area", models[f].file, (unsigned long long)el->id, el->ifc_type);
      double d = fabs(g - q) / q;
      if (d > worst[el->kind]) worst[el->kind] = d;
      if (!(d < 0.03))
        fail_msg("%s #%llu %s '%s': geometry %.4f m² vs qto %.4f m² (%.1f %%)", models[f].file,
                 (unsigned long long)el->id, el->ifc_type, el->name, g, q, 100 * d);
    }
    for (int k = 0; k < SV4_ELEM_TYPE_COUNT; k++) {
      if (n[k] != models[f].n[k])
        fail_msg("%s: %zu %s elements with a Qto area, expected %zu", models[f].file, n[k], sv4_elem_type_name(k),
                 models[f].n[k]);
      if (n[k]) print_message("%s: %s n=%zu max deviation %.2f %%\n", models[f].file, sv4_elem_type_name(k), n[k],
                              100 * worst[k]);
    }
    sv4_ifc_model_free(m);
  }
}

static void test_open_house_geometry_only(void **st) {
  (void)st;
  sv4_ifc_model *m = open_model("IfcOpenHouse_IFC4.ifc");
  assert_true(fabs(sv4_ifc_model_length_unit(m) - 0.001) < 1e-12); /* millimetres */
  const sv4_envelope *env = sv4_envelope_of(m);
  assert_int_equal(count_type(env, SV4_ENV_WALL), 4);
  assert_int_equal(count_type(env, SV4_ENV_WINDOW), 5);
  const sv4_envelope_element *south = find(env, "#40");
  assert_int_equal(south->area_source, SV4_SRC_GEOMETRY);
  assert_true(south->area_m2 > 10 && south->area_m2 < 25);  /* 10 m × ~3 m less 4 windows; m², not mm² */
  assert_true(fabs(south->orientation_deg - 180) < 0.5);
  assert_true(fabs(find(env, "#268")->orientation_deg - 90) < 0.5);
  assert_int_equal(south->u_source, SV4_SRC_LAYERS);
  assert_true(south->u > 0.2 && south->u < 3);
  sv4_ifc_model_free(m);
}

static void test_revit_models(void **st) {
  (void)st;
  sv4_ifc_model *m = open_model("duplex.ifc");
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WALL), 57);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WINDOW), 24);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_DOOR), 14);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_SLAB), 21);
  const sv4_envelope *env = sv4_envelope_of(m);
  assert_true(env->has_envelope);
  assert_true(count_type(env, SV4_ENV_WALL) >= 10);
  size_t windows_with_area = 0;
  for (size_t i = 0; i < env->n; i++)
    if (env->elements[i].type == SV4_ENV_WINDOW && env->elements[i].area_m2 > 0.3 && env->elements[i].area_m2 < 10)
      windows_with_area++;
  assert_true(windows_with_area >= 20);
  /* the duplex is two mirrored units: window area facing north equals that facing south, east equals west */
  double win[4] = {0};
  for (size_t i = 0; i < env->n; i++) {
    const sv4_envelope_element *e = &env->elements[i];
    if (e->type != SV4_ENV_WINDOW || !isfinite(e->orientation_deg)) continue;
    win[(int)((e->orientation_deg + 45) / 90) % 4] += e->area_m2;
  }
  assert_true(win[0] > 5 && fabs(win[0] - win[2]) < 0.01 * win[0]);
  assert_true(win[1] > 5 && fabs(win[1] - win[3]) < 0.01 * win[1]);
  /* the two slabs on grade of the ground storey (IsExternal false, as Revit writes it for floors) are the ground
   * floor of the envelope; the finish floors laid on them, the terraces outside (no space above) and the upper
   * storey's floors are not */
  assert_int_equal(count_type(env, SV4_ENV_FLOOR), 2);
  const sv4_envelope_element *g1 = find(env, "#5165"), *g2 = find(env, "#5267");
  assert_int_equal(g1->type, SV4_ENV_FLOOR);
  assert_int_equal(g2->type, SV4_ENV_FLOOR);
  assert_true(g1->area_m2 > 60 && g1->area_m2 < 70 && g2->area_m2 > 60 && g2->area_m2 < 70);
  assert_false(isfinite(g1->orientation_deg));
  for (size_t i = 0; i < env->n; i++) {
    const char *id = env->elements[i].id;
    if (!strcmp(id, "#21401") || !strcmp(id, "#37777") || !strcmp(id, "#37864") || !strcmp(id, "#6132"))
      fail_msg("%s (finish floor, terrace or upper floor) is in the envelope", id);
  }
  sv4_ifc_model_free(m);
  m = open_model("Office_A_20110811.ifc");
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WALL), 487);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WINDOW), 69);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_SPACE), 99);
  assert_true(sv4_envelope_of(m)->has_envelope);
  sv4_ifc_model_free(m);
  m = open_model("tested_sample_project.ifc");
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WALL), 3);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WINDOW), 9);
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_CURTAIN_WALL), 1);
  sv4_ifc_model_free(m);
}

static void test_structural_model_has_no_envelope(void **st) {
  (void)st;
  sv4_ifc_model *m = open_model("ISSUE_021_Mini_Project.ifc");
  assert_int_equal(sv4_ifc_model_count(m, SV4_ELEM_WALL), 0);
  assert_false(sv4_envelope_of(m)->has_envelope);
  sv4_ifc_model_free(m);
}

static void test_material_lambda(void **st) {
  (void)st;
  assert_true(fabs(sv4_material_lambda("Stahlbeton C25/30") - 2.3) < 1e-9);    /* longest keyword wins */
  assert_true(fabs(sv4_material_lambda("Wełna mineralna 15 cm") - 0.04) < 1e-9);
  assert_true(fabs(sv4_material_lambda("Masonry - Brick") - 0.6) < 1e-9);
  assert_true(isnan(sv4_material_lambda("Chair fabric")));                    /* "air" only as a word */
  double th[] = {0.2, 0.1};
  const char *nm[] = {"Beton", "EPS"};
  double u = sv4_envelope_u_from_layers(th, nm, 2, SV4_ENV_WALL);
  assert_true(fabs(u - 1.0 / (0.17 + 0.1 + 0.1 / 0.038)) < 1e-9);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fzk_haus), cmocka_unit_test(test_geometry_against_qto),
      cmocka_unit_test(test_open_house_geometry_only),
      cmocka_unit_test(test_revit_models), cmocka_unit_test(test_structural_model_has_no_envelope),
      cmocka_unit_test(test_material_lambda),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
