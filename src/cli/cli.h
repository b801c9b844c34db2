/* cli.h — the smartv4 command line: one function per command, each in src/cli/cmd_<name>.c.
 * A command gets argv with argv[0] = the command name and returns a process exit code:
 * 0 ok, 1 runtime error, 2 usage error (see sv4_rc_exit_code). */
#ifndef SV4_CLI_H
#define SV4_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "sv4/ingest.h"

int sv4_cmd_classify(int argc, char **argv);
int sv4_cmd_extract(int argc, char **argv);
int sv4_cmd_smart(int argc, char **argv);
int sv4_cmd_eval(int argc, char **argv);
int sv4_cmd_rules(int argc, char **argv);
int sv4_cmd_serve(int argc, char **argv);
int sv4_cmd_import(int argc, char **argv);
int sv4_cmd_export(int argc, char **argv);
int sv4_cmd_user(int argc, char **argv);
int sv4_cmd_bim(int argc, char **argv);
/* `bim tabula` and `bim assess` (cmd_bim_energy.c); argv[0] = the subcommand name. */
int sv4_cmd_bim_tabula(int argc, char **argv);
int sv4_cmd_bim_assess(int argc, char **argv);

/* ---- dispatch.c: the command table and the two executables ------------------------------------------------ */
/* smartv4-full runs every command; smartv4 (the light front, SV4_CLI_LIGHT) runs those that need only the
 * classifier and the plain-text importer, and replaces itself (execv) by smartv4-full beside it for the rest. */
typedef struct sv4_cli_command {
  const char *name;
  int (*run)(int argc, char **argv); /* NULL in the light front: smartv4-full runs the command */
  const char *summary;
} sv4_cli_command;
extern const sv4_cli_command sv4_cli_commands[];
extern const size_t sv4_cli_ncommands;

/* Runs command c with main's argc/argv (argv[1] = the command name), or hands the command line to smartv4-full
 * when this executable does not have it. Returns the exit code. */
int sv4_cli_run(const sv4_cli_command *c, int argc, char **argv);
/* For each document argument of classify, extract and smart, once the arguments are checked and before anything is
 * written: in the light front, when the file is a document other than plain text (PDF, DOCX, ODT, HTML) or '-'
 * (standard input, which cannot be looked at and still be handed on), hands the whole command line to smartv4-full
 * and does not return; returns 1 (message printed) when smartv4-full cannot be run. Returns 0 to go on here. */
int sv4_cli_route_document(const char *file);
/* sv4_ingest_file and sv4_ingest_memory in smartv4-full; in the light front, plain text only
 * (sv4_ingest_text_memory), which is all that sv4_cli_route_document leaves to it. */
sv4_rc sv4_cli_ingest_file(const char *path, sv4_document **out, sv4_error *err);
sv4_rc sv4_cli_ingest_memory(const void *data, size_t len, const char *name, sv4_document **out, sv4_error *err);

/* Prints "smartv4 CMD: message" to stderr; returns exit code for rc. */
int sv4_cli_fail(const char *cmd, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* True when argv[i] is -h or --help. */
int sv4_cli_is_help(const char *arg);

/* One progress line on stderr (progress.c): only on a terminal, after a second, at most 5 redraws a second.
 * `bytes`: done/total count bytes (shown as MB), else items (total 0: unknown). Call sv4_progress_clear before
 * printing anything else on stderr. SMARTV4_PROGRESS=never|always and SMARTV4_PROGRESS_DELAY=SECONDS override. */
typedef struct sv4_progress {
  int on, shown, bytes;
  double t0, last, delay;
  size_t done, total; /* the last update */
  const char *what;
} sv4_progress;
void sv4_progress_start(sv4_progress *p, const char *what);
void sv4_progress_update(sv4_progress *p, size_t done, size_t total, int bytes);
void sv4_progress_clear(sv4_progress *p);
void sv4_progress_end(sv4_progress *p); /* redraws the last update and ends the line, if the bar was shown */

#endif
