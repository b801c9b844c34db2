/* cli.h — the smartv4 command line: one function per command, each in src/cli/cmd_<name>.c.
 * A command gets argv with argv[0] = the command name and returns a process exit code:
 * 0 ok, 1 runtime error, 2 usage error (see sv4_rc_exit_code). */
#ifndef SV4_CLI_H
#define SV4_CLI_H

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

#endif
