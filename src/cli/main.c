/* main.c — smartv4 entry point: dispatches to one command per src/cli/cmd_<name>.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sv4/error.h"

#define SV4_VERSION_STRING "0.1.0"

static const struct command {
  const char *name;
  int (*run)(int, char **);
  const char *summary;
} commands[] = {
    {"classify", sv4_cmd_classify, "classify documents or JSON Lines against SDG, Green Deal, EU Taxonomy, smart city"},
    {"extract", sv4_cmd_extract, "print a document's text and structure as JSON"},
    {"smart", sv4_cmd_smart, "find objectives in a document and check them against SMART"},
    {"eval", sv4_cmd_eval, "score the classifier on a labelled CSV (id,text,sdg|egd|taxonomy|smartcity,label)"},
    {"rules", sv4_cmd_rules, "check, count or explain the rule sets"},
    {"serve", sv4_cmd_serve, "start the web portal and REST API"},
    {"import", sv4_cmd_import, "bulk import records (CSV, JSONL) or documents"},
    {"export", sv4_cmd_export, "export records as CSV, JSON or XLSX"},
    {"user", sv4_cmd_user, "manage portal users"},
    {"bim", sv4_cmd_bim, "building module: IFC info, TABULA and renovation assessment"},
};

int sv4_cli_is_help(const char *arg) { return arg && (!strcmp(arg, "-h") || !strcmp(arg, "--help")); }

int sv4_cli_fail(const char *cmd, int rc, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "smartv4 %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return sv4_rc_exit_code((sv4_rc)rc);
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 COMMAND [OPTIONS] [ARGS]\n\n"
          "Classifies V4 strategies, practices, projects and funding programmes against the SDGs, the European\n"
          "Green Deal, the EU Taxonomy and smart-city dimensions; runs the portal; assesses building renovation.\n\n"
          "commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\n'smartv4 COMMAND --help' describes a command.\n"
          "exit codes: 0 success, 1 runtime error, 2 usage error.\n"
          "environment: SMARTV4_DATA  data directory (rules, taxonomies, climate, costs, demo records)\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (sv4_cli_is_help(argv[1]) || !strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
    printf("smartv4 %s\n", SV4_VERSION_STRING);
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "smartv4: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}
