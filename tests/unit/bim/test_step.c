/* test_step.c — STEP reader: tokenizer/index, header, escapes, lazy decoding, malformed and truncated input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sv4/bim.h"
#include "sv4/limits.h"

static sv4_step *open_data(const char *rel, sv4_error *err) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", SV4_TEST_DATA_DIR, rel);
  sv4_step *s = NULL;
  sv4_rc rc = sv4_step_open(path, &s, err);
  return rc ? NULL : s;
}

static const sv4_step_value *arg(sv4_step *s, uint64_t id, uint32_t i) {
  const sv4_step_entity *e;
  assert_int_equal(sv4_step_get(s, id, &e, NULL), SV4_OK);
  return sv4_step_arg(e, i);
}

static void test_header_and_index(void **st) {
  (void)st;
  sv4_error err;
  sv4_step *s = open_data("ifc/escapes.ifc", &err);
  assert_non_null(s);
  const sv4_step_header *h = sv4_step_header_of(s);
  assert_string_equal(h->schema, "IFC2X3");
  assert_string_equal(h->originating_system, "Test app 2.0");
  assert_string_equal(h->preprocessor, "pre 1.0");
  assert_string_equal(h->view_definition, "CoordinationView_V2.0");
  assert_int_equal(sv4_step_count(s), 4);
  assert_string_equal(sv4_step_type_of(s, 2), "IFCMIXED");
  assert_string_equal(sv4_step_type_of(s, 10), "");
  assert_null(sv4_step_type_of(s, 3));
  assert_int_equal(sv4_step_id_at(s, 2), 10);
  assert_int_equal(sv4_step_line_of(s, 2), 10);
  const sv4_step_entity *e;
  assert_int_equal(sv4_step_get(s, 3, &e, &err), SV4_ERR_NOTFOUND);
  sv4_step_close(s);
}

static void test_escapes(void **st) {
  (void)st;
  sv4_step *s = open_data("ifc/escapes.ifc", NULL);
  assert_non_null(s);
  assert_string_equal(sv4_step_str(arg(s, 1, 0), ""), "Fl\xc3\xa4" "che");
  assert_string_equal(sv4_step_str(arg(s, 1, 1), ""), "it's");
  assert_string_equal(sv4_step_str(arg(s, 1, 2), ""), "\xc3\x84");        /* \S\D = 0xC4 Ä */
  assert_string_equal(sv4_step_str(arg(s, 1, 3), ""), "\xc3\xa9t\xc3\xa9"); /* \X\E9 = é */
  assert_string_equal(sv4_step_str(arg(s, 1, 4), ""), "\xc4\x85");        /* ISO 8859-2 0xB1 = ą */
  assert_string_equal(sv4_step_str(arg(s, 1, 5), ""), "\xf0\x9f\x98\x80"); /* surrogate pair → U+1F600 */
  assert_string_equal(sv4_step_str(arg(s, 1, 6), ""), "\xf0\x9f\x98\x80"); /* \X4\ */
  assert_string_equal(sv4_step_str(arg(s, 1, 7), ""), "a\\b");
  assert_string_equal(sv4_step_str(arg(s, 1, 8), ""), "\xc3\x85 raw");
  assert_string_equal(sv4_step_str(arg(s, 1, 9), ""), "x;y/*z*/");
  sv4_step_close(s);
}

static void test_values_and_lazy_decoding(void **st) {
  (void)st;
  sv4_step *s = open_data("ifc/escapes.ifc", NULL);
  assert_non_null(s);
  const sv4_step_entity *e, *e2;
  assert_int_equal(sv4_step_get(s, 2, &e, NULL), SV4_OK);
  assert_int_equal(sv4_step_get(s, 2, &e2, NULL), SV4_OK);
  assert_ptr_equal(e, e2); /* cached */
  assert_int_equal(e->nargs, 10);
  assert_int_equal(e->args[0].kind, SV4_STEP_NULL);
  assert_int_equal(e->args[1].kind, SV4_STEP_DERIVED);
  assert_int_equal(e->args[2].kind, SV4_STEP_INT);
  assert_int_equal(e->args[2].u.i, -12);
  assert_int_equal(e->args[3].kind, SV4_STEP_REAL);
  assert_true(e->args[3].u.r > 0.0349 && e->args[3].u.r < 0.0351);
  assert_int_equal(sv4_step_bool(&e->args[4]), 1);
  assert_int_equal(sv4_step_ref(&e->args[5]), 1);
  assert_int_equal(e->args[6].kind, SV4_STEP_LIST);
  assert_int_equal(e->args[6].n, 2);
  assert_int_equal(e->args[6].items[1].items[1].u.i, 2);
  assert_int_equal(e->args[7].kind, SV4_STEP_TYPED);
  assert_string_equal(e->args[7].u.s, "IFCREAL");
  assert_true(sv4_step_num(&e->args[7], 0) == 1.5);
  assert_int_equal(e->args[8].kind, SV4_STEP_BINARY);
  assert_int_equal(e->args[9].kind, SV4_STEP_LIST);
  assert_int_equal(e->args[9].n, 0);
  /* complex instance */
  assert_int_equal(sv4_step_get(s, 10, &e, NULL), SV4_OK);
  assert_int_equal(e->nargs, 2);
  assert_string_equal(e->args[1].u.s, "IFCB");
  assert_int_equal(sv4_step_get(s, 5, &e, NULL), SV4_OK);
  assert_int_equal(e->nargs, 0);
  /* type counts */
  size_t found = 0;
  for (size_t t = 0; t < sv4_step_type_count(s); t++)
    if (!strcmp(sv4_step_type_name(s, t), "IFCMIXED")) found = sv4_step_type_instances(s, t);
  assert_int_equal(found, 1);
  sv4_step_close(s);
}

static void expect_error(const char *rel, sv4_rc want, const char *needle) {
  sv4_error err;
  sv4_error_clear(&err);
  sv4_step *s = open_data(rel, &err);
  if (s && want) { /* indexing succeeded: the error must come from decoding */
    sv4_rc rc = SV4_OK;
    for (size_t i = 0; i < sv4_step_count(s) && !rc; i++) {
      const sv4_step_entity *e;
      rc = sv4_step_get(s, sv4_step_id_at(s, i), &e, &err);
    }
    sv4_step_close(s);
    assert_int_equal(rc, want);
  } else {
    assert_null(s);
    assert_int_equal(err.rc, want);
  }
  if (!strstr(err.msg, needle)) fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void test_malformed(void **st) {
  (void)st;
  expect_error("ifc/broken/truncated_string.ifc", SV4_ERR_PARSE, ":9: entity #2: unterminated string");
  expect_error("ifc/broken/truncated_no_endsec.ifc", SV4_ERR_PARSE, "truncated");
  expect_error("ifc/broken/bad_param.ifc", SV4_ERR_PARSE, ":7: entity #7: unexpected character ','");
  expect_error("ifc/broken/duplicate_id.ifc", SV4_ERR_PARSE, "#1: id defined twice");
  expect_error("ifc/broken/not_step.ifc", SV4_ERR_FORMAT, "not a STEP file");
  expect_error("ifc/broken/deep_nesting.ifc", SV4_ERR_LIMIT, "nested too deeply");
  expect_error("ifc/broken/does_not_exist.ifc", SV4_ERR_NOTFOUND, "does_not_exist");
}

static void test_memory_truncation_everywhere(void **st) {
  (void)st;
  /* every prefix of a valid file either fails cleanly or (the full file) succeeds */
  char path[1024];
  snprintf(path, sizeof path, "%s/ifc/escapes.ifc", SV4_TEST_DATA_DIR);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  size_t ok = 0;
  for (size_t len = 0; len <= n; len++) {
    sv4_step *s = NULL;
    sv4_error err;
    if (sv4_step_open_mem(buf, len, "mem", &s, &err) == SV4_OK) {
      ok++;
      sv4_step_close(s);
    } else {
      assert_true(err.msg[0] != '\0');
    }
  }
  assert_true(ok >= 1 && ok <= 3); /* the whole file, maybe with/without the final newline */
}

static void test_edition3_data_sections(void **st) {
  (void)st;
  sv4_error err;
  sv4_step *s = open_data("ifc/two_data_sections.ifc", &err);
  if (!s) fail_msg("%s", err.msg);
  assert_string_equal(sv4_step_header_of(s)->schema, "IFC4X3_ADD2");
  assert_int_equal(sv4_step_count(s), 2);
  assert_true(sv4_step_num(&arg(s, 2, 0)->items[1], 0) == 1.0);
  sv4_step_close(s);
}

static void test_sample_models_index(void **st) {
  (void)st;
  static const struct {
    const char *file, *schema;
    size_t entities;
  } t[] = {{"AC20-FZK-Haus.ifc", "IFC4", 44249},     {"duplex.ifc", "IFC2X3", 38898},
           {"Office_A_20110811.ifc", "IFC2X3", 62930}, {"IfcOpenHouse_IFC4.ifc", "IFC4", 2885},
           {"tested_sample_project.ifc", "IFC2X3", 14119}, {"ISSUE_021_Mini_Project.ifc", "IFC2X3", 49044}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    char rel[256];
    snprintf(rel, sizeof rel, "ifc/%s", t[i].file);
    sv4_error err;
    sv4_step *s = open_data(rel, &err);
    if (!s) fail_msg("%s: %s", rel, err.msg);
    assert_string_equal(sv4_step_header_of(s)->schema, t[i].schema);
    assert_int_equal(sv4_step_count(s), t[i].entities);
    for (size_t k = 0; k < sv4_step_count(s); k++) { /* every entity decodes */
      const sv4_step_entity *e;
      if (sv4_step_get(s, sv4_step_id_at(s, k), &e, &err)) fail_msg("%s", err.msg);
    }
    sv4_step_close(s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_header_and_index),  cmocka_unit_test(test_escapes),
      cmocka_unit_test(test_values_and_lazy_decoding), cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_memory_truncation_everywhere), cmocka_unit_test(test_edition3_data_sections),
      cmocka_unit_test(test_sample_models_index),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
