/* cmd_serve.c — placeholder until the command is built; replaced by its real implementation. */
#include "cli/cli.h"

int sv4_cmd_serve(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return sv4_cli_fail("serve", 1, "not built yet");
}
