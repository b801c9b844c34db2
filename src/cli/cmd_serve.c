/* cmd_serve.c — smartv4 serve: runs the portal until SIGINT/SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sv4/server.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 serve [--db FILE|CONNINFO] [--port N] [--listen ADDR] [--demo] [--threads N] [--quiet]\n\n"
          "Starts the portal and REST API (default http://127.0.0.1:8080) on an embedded SQLite database\n"
          "(default var/smartv4.db) or PostgreSQL (--db postgresql://...).\n"
          "  --demo      import data/demo/records.jsonl when the database has no records\n"
          "  --port 0    pick a free port (printed on stdout)\n");
}

int sv4_cmd_serve(int argc, char **argv) {
  sv4_server_opts o = {.port = 8080};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (sv4_cli_is_help(a)) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--db") && i + 1 < argc) {
      o.db = argv[++i];
    } else if (!strcmp(a, "--port") && i + 1 < argc) {
      char *end;
      long p = strtol(argv[++i], &end, 10);
      if (*end || p < 0 || p > 65535) return sv4_cli_fail("serve", SV4_ERR_USAGE, "--port needs 0..65535");
      o.port = (int)p;
    } else if (!strcmp(a, "--listen") && i + 1 < argc) {
      o.listen = argv[++i];
    } else if (!strcmp(a, "--threads") && i + 1 < argc) {
      o.threads = atoi(argv[++i]);
    } else if (!strcmp(a, "--demo")) {
      o.demo = 1;
    } else if (!strcmp(a, "--quiet")) {
      o.quiet = 1;
    } else {
      usage(stderr);
      return 2;
    }
  }
  sv4_server *srv = NULL;
  sv4_error e;
  sv4_rc rc = sv4_server_start(&o, &srv, &e);
  if (rc) return sv4_cli_fail("serve", rc, "%s", e.msg);
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  printf("smartv4 portal on http://%s:%d/\n", o.listen ? o.listen : "127.0.0.1", sv4_server_port(srv));
  fflush(stdout);
  while (!stop) pause();
  sv4_server_stop(srv);
  return 0;
}
