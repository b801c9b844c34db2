/* cli.h — the smartv4 command line: one function per command, each in src/cli/cmd_<name>.c.
 * A command gets argv with argv[0] = the command name and returns a process exit code:
 * 0 ok, 1 runtime error, 2 usage error (see sv4_rc_exit_code). */
#ifndef SV4_CLI_H
#define SV4_CLI_H

#include <stddef.h>
#include <stdio.h>

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
