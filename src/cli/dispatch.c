/* dispatch.c — the command table, and which of the two executables built from src/cli runs what. smartv4-full runs
 * every command. smartv4, the light front (built with SV4_CLI_LIGHT), runs classify, eval and rules, and extract and
 * smart on plain text; it is linked without the importers, the store, the server and the BIM module, so that it
 * starts without loading their shared libraries, and hands every other command line to smartv4-full (in its own
 * directory) by execv. This file is the only place where the two builds differ. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sv4/limits.h"

#ifdef SV4_CLI_LIGHT
#define FULL_ONLY(run) NULL /* smartv4-full runs it */
#else
#define FULL_ONLY(run) run
#endif

const sv4_cli_command sv4_cli_commands[] = {
    {"classify", sv4_cmd_classify, "classify documents or JSON Lines against SDG, Green Deal, EU Taxonomy, smart city"},
    {"extract", sv4_cmd_extract, "print a document's text and structure as JSON"},
    {"smart", sv4_cmd_smart, "find objectives in a document and check them against SMART"},
    {"eval", sv4_cmd_eval, "score the classifier on a labelled CSV (id,text,sdg|egd|taxonomy|smartcity,label)"},
    {"rules", sv4_cmd_rules, "check, count or explain the rule sets"},
    {"serve", FULL_ONLY(sv4_cmd_serve), "start the web portal and REST API"},
    {"import", FULL_ONLY(sv4_cmd_import), "bulk import records (CSV, JSONL) or documents"},
    {"export", FULL_ONLY(sv4_cmd_export), "export records as CSV, JSON or XLSX"},
    {"user", FULL_ONLY(sv4_cmd_user), "manage portal users"},
    {"bim", FULL_ONLY(sv4_cmd_bim), "building module: IFC info, TABULA and renovation assessment"},
};
const size_t sv4_cli_ncommands = sizeof sv4_cli_commands / sizeof sv4_cli_commands[0];

#ifdef SV4_CLI_LIGHT

static char **main_argv; /* the whole command line, handed on to smartv4-full */

/* Replaces this process by smartv4-full with the same arguments and environment; returns 1 (message printed) only
 * when that cannot be done. */
static int exec_full(void) {
  char self[PATH_MAX], full[PATH_MAX + 16];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    fprintf(stderr, "smartv4: cannot find its own executable (/proc/self/exe): %s\n", strerror(errno));
    return 1;
  }
  self[n] = 0;
  char *slash = strrchr(self, '/');
  if (slash) *slash = 0;
  snprintf(full, sizeof full, "%s/smartv4-full", self);
  fflush(NULL);
  execv(full, main_argv);
  fprintf(stderr,
          "smartv4: cannot run %s: %s (it runs every command but classify, eval and rules, and every document "
          "but plain text)\n",
          full, strerror(errno));
  return 1;
}

int sv4_cli_run(const sv4_cli_command *c, int argc, char **argv) {
  main_argv = argv;
  return c->run ? c->run(argc - 1, argv + 1) : exec_full();
}

int sv4_cli_route_document(const char *file) {
  char *data = NULL;
  size_t len = 0;
  if (!strcmp(file, "-")) return exec_full();
  /* a file that cannot be read fails with the same message here as in smartv4-full */
  if (sv4_read_file(file, SV4_MAX_UPLOAD_BYTES, &data, &len, NULL)) return 0;
  sv4_format f = sv4_format_detect(data, len, file);
  free(data);
  return f == SV4_FMT_TXT || f == SV4_FMT_UNKNOWN ? 0 : exec_full();
}

sv4_rc sv4_cli_ingest_file(const char *path, sv4_document **out, sv4_error *err) {
  return sv4_ingest_text_file(path, out, err);
}

sv4_rc sv4_cli_ingest_memory(const void *data, size_t len, const char *name, sv4_document **out, sv4_error *err) {
  return sv4_ingest_text_memory(data, len, name, out, err);
}

#else

int sv4_cli_run(const sv4_cli_command *c, int argc, char **argv) { return c->run(argc - 1, argv + 1); }

int sv4_cli_route_document(const char *file) { return 0; }

sv4_rc sv4_cli_ingest_file(const char *path, sv4_document **out, sv4_error *err) {
  return sv4_ingest_file(path, out, err);
}

sv4_rc sv4_cli_ingest_memory(const void *data, size_t len, const char *name, sv4_document **out, sv4_error *err) {
  return sv4_ingest_memory(data, len, name, out, err);
}

#endif
