/* cmd_bim.c — `smartv4 bim`: dispatches to `info` (here) and to `tabula` / `assess`, which live in
 * cmd_bim_energy.c as sv4_cmd_bim_tabula() and sv4_cmd_bim_assess() (argv[0] = the subcommand name). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sv4/bim.h"
#include "sv4/util.h"

static void bim_usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 bim SUBCOMMAND [OPTIONS]\n\n"
          "Building module: reads IFC (BIM) models, derives the thermal envelope and assesses renovation.\n\n"
          "subcommands:\n"
          "  info FILE.ifc [--json]      schema, application, entity counts, elements, thermal envelope\n"
          "  tabula CODE [--json]        one TABULA building variant's heating-need calculation step by step\n"
          "  assess FILE.ifc --location CODE [--year YYYY] [--json]\n"
          "  assess --typology CODE      renovation variants, costs, savings and funding\n\n"
          "'smartv4 bim SUBCOMMAND --help' describes a subcommand.\n");
}

static void info_usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 bim info FILE.ifc [--json]\n\n"
          "Reads an IFC2X3 / IFC4 / IFC4X3 STEP file and prints its schema, authoring application, entity counts,\n"
          "building elements by type and the thermal envelope: each external wall, window, door, roof and floor\n"
          "with its area (m2), orientation (degrees, 0 = north, 90 = east, 180 = south), U-value (W/m2K) and where\n"
          "each value came from (area: qto | geometry | missing; U: pset | layers | missing).\n\n"
          "options:\n"
          "  --json   machine-readable output (schema, application, entities, elements, envelope)\n\n"
          "A model without external walls, windows or doors (e.g. a structural model) is reported with a warning\n"
          "on stderr and an empty envelope; the exit code stays 0 because the file itself was read.\n"
          "exit codes: 0 read, 1 unreadable or malformed file, 2 usage error.\n");
}

static void json_str(sv4_buf *b, const char *s) {
  sv4_buf_putc(b, '"');
  sv4_buf_json_escape(b, s ? s : "", s ? strlen(s) : 0);
  sv4_buf_putc(b, '"');
}

static void json_num(sv4_buf *b, double v, int decimals) {
  if (!isfinite(v)) sv4_buf_puts(b, "null");
  else sv4_buf_printf(b, "%.*f", decimals, v);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static const char *application_of(sv4_step *s) {
  /* IfcApplication's full name + version is the most reliable; else the header's originating system */
  size_t n = sv4_step_count(s);
  for (size_t i = 0; i < n; i++) {
    if (strcmp(sv4_step_type_at(s, i), "IFCAPPLICATION")) continue;
    const sv4_step_entity *e;
    if (sv4_step_get(s, sv4_step_id_at(s, i), &e, NULL)) break;
    const char *full = sv4_step_str(sv4_step_arg(e, 2), "");
    if (*full) return full;
    break;
  }
  const sv4_step_header *h = sv4_step_header_of(s);
  return *h->originating_system ? h->originating_system : h->preprocessor;
}

static int print_info(sv4_ifc_model *m, int json) {
  sv4_step *s = sv4_ifc_model_step(m);
  const sv4_step_header *h = sv4_step_header_of(s);
  const sv4_envelope *env = sv4_envelope_of(m);
  size_t nt = sv4_step_type_count(s);
  const char **names = malloc((nt ? nt : 1) * sizeof *names);
  if (!names) return sv4_cli_fail("bim info", SV4_ERR_NOMEM, "out of memory");
  size_t k = 0;
  for (size_t t = 0; t < nt; t++)
    if (*sv4_step_type_name(s, t)) names[k++] = sv4_step_type_name(s, t);
  qsort(names, k, sizeof *names, cmp_str);
  const char *app = application_of(s);
  sv4_buf b;
  sv4_buf_init(&b, 0);
  if (json) {
    sv4_buf_puts(&b, "{\"schema\": ");
    json_str(&b, h->schema);
    sv4_buf_puts(&b, ", \"application\": ");
    json_str(&b, app);
    sv4_buf_puts(&b, ", \"view_definition\": ");
    json_str(&b, h->view_definition);
    sv4_buf_printf(&b, ", \"entity_count\": %zu, \"entities\": {", sv4_step_count(s));
    for (size_t i = 0; i < k; i++) {
      size_t t;
      for (t = 0; t < nt && sv4_step_type_name(s, t) != names[i]; t++) {}
      sv4_buf_printf(&b, "%s", i ? ", " : "");
      json_str(&b, names[i]);
      sv4_buf_printf(&b, ": %zu", sv4_step_type_instances(s, t));
    }
    sv4_buf_puts(&b, "}, \"elements\": {");
    for (int t = 0; t < SV4_ELEM_TYPE_COUNT; t++)
      sv4_buf_printf(&b, "%s\"%s\": %zu", t ? ", " : "", sv4_elem_type_name((sv4_elem_type)t),
                     sv4_ifc_model_count(m, (sv4_elem_type)t));
    sv4_buf_printf(&b, "}, \"length_unit_m\": %g, \"true_north_deg\": %.1f, \"floor_area_m2\": ",
                   sv4_ifc_model_length_unit(m), sv4_ifc_model_true_north_deg(m));
    json_num(&b, env->floor_area_m2 > 0 ? env->floor_area_m2 : NAN, 2);
    sv4_buf_printf(&b, ", \"floor_area_source\": \"%s\", \"volume_m3\": ", sv4_value_source_name(env->floor_area_source));
    json_num(&b, env->volume_m3 > 0 ? env->volume_m3 : NAN, 2);
    sv4_buf_printf(&b, ", \"has_envelope\": %s, \"envelope\": [", env->has_envelope ? "true" : "false");
    for (size_t i = 0; i < env->n; i++) {
      const sv4_envelope_element *e = &env->elements[i];
      sv4_buf_puts(&b, i ? ", {\"id\": " : "{\"id\": ");
      json_str(&b, e->id);
      sv4_buf_puts(&b, ", \"guid\": ");
      json_str(&b, e->guid);
      sv4_buf_puts(&b, ", \"name\": ");
      json_str(&b, e->name);
      sv4_buf_puts(&b, ", \"ifc_type\": ");
      json_str(&b, e->ifc_type);
      sv4_buf_printf(&b, ", \"type\": \"%s\", \"area_m2\": ", sv4_env_type_name(e->type));
      json_num(&b, e->area_m2 > 0 ? e->area_m2 : NAN, 3);
      sv4_buf_printf(&b, ", \"area_source\": \"%s\", \"orientation_deg\": ", sv4_value_source_name(e->area_source));
      json_num(&b, e->orientation_deg, 1);
      sv4_buf_puts(&b, ", \"tilt_deg\": ");
      json_num(&b, e->tilt_deg, 0);
      sv4_buf_puts(&b, ", \"u\": ");
      json_num(&b, e->u, 3);
      sv4_buf_printf(&b, ", \"u_source\": \"%s\", \"external\": %s, \"storey\": ", sv4_value_source_name(e->u_source),
                     e->external ? "true" : "false");
      json_str(&b, e->storey);
      sv4_buf_putc(&b, '}');
    }
    sv4_buf_puts(&b, "]");
    if (!env->has_envelope)
      sv4_buf_puts(&b, ", \"warning\": \"no thermal envelope: the model has no external walls, windows or doors "
                       "(structural or partial model)\"");
    sv4_buf_puts(&b, "}\n");
  } else {
    sv4_buf_printf(&b, "file:        %s\nschema:      %s\napplication: %s\nview:        %s\nentities:    %zu (%zu types)\n",
                   h->file_name, h->schema, app, h->view_definition, sv4_step_count(s), k);
    sv4_buf_printf(&b, "units:       length %g m, true north %.1f deg\n\nelements:\n", sv4_ifc_model_length_unit(m),
                   sv4_ifc_model_true_north_deg(m));
    for (int t = 0; t < SV4_ELEM_TYPE_COUNT; t++)
      if (sv4_ifc_model_count(m, (sv4_elem_type)t))
        sv4_buf_printf(&b, "  %-13s %zu\n", sv4_elem_type_name((sv4_elem_type)t), sv4_ifc_model_count(m, (sv4_elem_type)t));
    if (env->floor_area_m2 > 0)
      sv4_buf_printf(&b, "\nfloor area:  %.1f m2 (%s)\n", env->floor_area_m2, sv4_value_source_name(env->floor_area_source));
    if (env->volume_m3 > 0) sv4_buf_printf(&b, "volume:      %.1f m3\n", env->volume_m3);
    sv4_buf_printf(&b, "\nthermal envelope: %zu external elements\n", env->n);
    if (env->n) {
      sv4_buf_printf(&b, "  %-9s %-7s %-28s %10s %-8s %7s %7s %-7s\n", "id", "type", "name", "area m2", "source",
                     "orient", "U", "source");
      double sum[SV4_ENV_TYPE_COUNT] = {0};
      for (size_t i = 0; i < env->n; i++) {
        const sv4_envelope_element *e = &env->elements[i];
        char orient[16], u[16];
        if (isfinite(e->orientation_deg)) snprintf(orient, sizeof orient, "%.0f", e->orientation_deg);
        else snprintf(orient, sizeof orient, "-");
        if (isfinite(e->u)) snprintf(u, sizeof u, "%.3f", e->u);
        else snprintf(u, sizeof u, "-");
        sv4_buf_printf(&b, "  %-9s %-7s %-28.28s %10.2f %-8s %7s %7s %-7s\n", e->id, sv4_env_type_name(e->type), e->name,
                       e->area_m2, sv4_value_source_name(e->area_source), orient, u, sv4_value_source_name(e->u_source));
        sum[e->type] += e->area_m2;
      }
      sv4_buf_puts(&b, "\narea by type:");
      for (int t = 0; t < SV4_ENV_TYPE_COUNT; t++)
        sv4_buf_printf(&b, " %s %.1f m2%s", sv4_env_type_name((sv4_env_type)t), sum[t], t + 1 < SV4_ENV_TYPE_COUNT ? "," : "\n");
    }
  }
  fwrite(b.data, 1, b.len, stdout);
  sv4_buf_free(&b);
  free(names);
  if (!env->has_envelope)
    fprintf(stderr, "smartv4 bim info: warning: no thermal envelope: the model has no external walls, windows or "
                    "doors (structural or partial model); an energy assessment needs an architectural model\n");
  return 0;
}

static int cmd_info(int argc, char **argv) {
  const char *path = NULL;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) {
      info_usage(stdout);
      return 0;
    }
    if (!strcmp(argv[i], "--json")) json = 1;
    else if (argv[i][0] == '-' && argv[i][1]) {
      info_usage(stderr);
      return sv4_cli_fail("bim info", SV4_ERR_USAGE, "unknown option '%s'", argv[i]);
    } else if (!path) path = argv[i];
    else return sv4_cli_fail("bim info", SV4_ERR_USAGE, "one file only ('%s' is extra)", argv[i]);
  }
  if (!path) {
    info_usage(stderr);
    return 2;
  }
  sv4_error err;
  sv4_error_clear(&err);
  sv4_ifc_model *m = NULL;
  sv4_rc rc = sv4_ifc_model_open(path, &m, &err);
  if (rc) return sv4_cli_fail("bim info", rc, "%s", err.msg[0] ? err.msg : sv4_strerror(rc));
  int code = print_info(m, json);
  sv4_ifc_model_free(m);
  return code;
}

int sv4_cmd_bim(int argc, char **argv) {
  if (argc < 2) {
    bim_usage(stderr);
    return 2;
  }
  const char *sub = argv[1];
  if (sv4_cli_is_help(sub) || !strcmp(sub, "help")) {
    bim_usage(stdout);
    return 0;
  }
  if (!strcmp(sub, "info")) return cmd_info(argc - 1, argv + 1);
  if (!strcmp(sub, "tabula")) return sv4_cmd_bim_tabula(argc - 1, argv + 1);
  if (!strcmp(sub, "assess")) return sv4_cmd_bim_assess(argc - 1, argv + 1);
  fprintf(stderr, "smartv4 bim: unknown subcommand '%s'\n\n", sub);
  bim_usage(stderr);
  return 2;
}
