/* cmd_import.c — placeholder until the command is built; replaced by its real implementation. */
#include "cli/cli.h"

int sv4_cmd_import(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return sv4_cli_fail("import", 1, "not built yet");
}
