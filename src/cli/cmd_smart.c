/* cmd_smart.c — `smartv4 smart FILE`: the objectives of a document and their SMART flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sv4/classify.h"
#include "sv4/ingest.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 smart [--lang auto|en|pl|cs|sk|hu] [--json] FILE\n\n"
          "Finds objective and target statements in a strategy (PDF, DOCX, ODT, HTML, TXT) and checks each against\n"
          "SMART: Specific (a verb of change and its object), Measurable (a number with a unit, a percentage or a\n"
          "named indicator), Time-bound (a target year or date), with the baseline when stated. Achievable and\n"
          "Relevant need a reviewer and are reported as \"review\". --json prints {\"file\":..,\"objectives\":[...]}.\n"
          "exit codes: 0 ok, 1 runtime error, 2 usage error\n");
}

int sv4_cmd_smart(int argc, char **argv) {
  const char *file = NULL;
  int json = 0;
  sv4_lang lang = SV4_LANG_UNKNOWN;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--json")) {
      json = 1;
    } else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
      i++;
      if (strcmp(argv[i], "auto") && (lang = sv4_lang_from_code(argv[i])) == SV4_LANG_UNKNOWN)
        return sv4_cli_fail("smart", SV4_ERR_USAGE, "unknown language '%s'", argv[i]);
    } else if ((argv[i][0] == '-' && argv[i][1]) || file) {
      usage(stderr);
      return 2;
    } else {
      file = argv[i];
    }
  }
  if (!file) {
    usage(stderr);
    return 2;
  }
  int ex = sv4_cli_route_document(file);
  if (ex) return ex;
  sv4_error err = {0};
  sv4_document *d = NULL;
  sv4_objectives *o = NULL;
  sv4_rc rc = sv4_cli_ingest_file(file, &d, &err);
  if (rc) return sv4_cli_fail("smart", rc, "%s", err.msg);
  /* Without --lang the cues of all five languages apply: strategies often mix languages. */
  rc = sv4_smart_find(d->text, d->len, lang, &o, &err);
  if (rc) {
    sv4_document_free(d);
    return sv4_cli_fail("smart", rc, "%s: %s", file, err.msg);
  }
  if (json) {
    sv4_buf b;
    sv4_buf_init(&b, 0);
    sv4_objectives_to_json(o, &b);
    printf("{\"file\":\"");
    sv4_buf bf;
    sv4_buf_init(&bf, 0);
    sv4_buf_json_escape(&bf, file, strlen(file));
    printf("%s\",\"lang\":\"%s\",\"objectives\":%s}\n", bf.data ? bf.data : "", sv4_lang_code(lang), b.data);
    sv4_buf_free(&bf);
    sv4_buf_free(&b);
  } else {
    printf("%s: %zu objective(s), language %s\n", file, o->n, sv4_lang_code(lang));
    for (size_t i = 0; i < o->n; i++) {
      const sv4_objective *ob = &o->items[i];
      printf("\n%zu. %s\n", i + 1, ob->text);
      printf("   S %-3s M %-3s A review  R review  T %-3s baseline %s", ob->specific ? "yes" : "no",
             ob->measurable ? "yes" : "no", ob->time_bound ? "yes" : "no", ob->has_baseline ? "yes" : "no");
      if (ob->value) printf("  value %s %s", ob->value, ob->unit ? ob->unit : "");
      if (ob->indicator) printf("  indicator \"%s\"", ob->indicator);
      if (ob->target_year) printf("  by %d", ob->target_year);
      if (ob->baseline_year) printf("  from %d", ob->baseline_year);
      printf("\n");
    }
  }
  sv4_objectives_free(o);
  sv4_document_free(d);
  return 0;
}
