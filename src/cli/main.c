/* main.c — smartv4 entry point: help, version, and the command named (dispatch.c runs it or hands it on). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sv4/error.h"

#define SV4_VERSION_STRING "0.1.0"

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
  for (size_t i = 0; i < sv4_cli_ncommands; i++)
    fprintf(out, "  %-9s %s\n", sv4_cli_commands[i].name, sv4_cli_commands[i].summary);
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
  for (size_t i = 0; i < sv4_cli_ncommands; i++)
    if (!strcmp(argv[1], sv4_cli_commands[i].name)) return sv4_cli_run(&sv4_cli_commands[i], argc, argv);
  fprintf(stderr, "smartv4: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}
