/* cmd_export.c — smartv4 export: any search of the portal's records as CSV, JSON or XLSX, streamed to a file or
 * stdout with the same parameters as GET /api/v1/export (q=, type=, country=, sdg=, ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "server/internal.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 export [--db FILE] [--format csv|json|xlsx] [--out FILE] [KEY=VALUE...]\n\n"
          "KEY=VALUE are the search parameters of the API: q=\"renewable energy\" type=strategy country=PL sdg=7\n"
          "egd=energy year_from=2020 ... The default format is csv, the default output stdout (xlsx needs --out).\n");
}

int sv4_cmd_export(int argc, char **argv) {
  sv4_server_opts o = {.quiet = 1};
  const char *format = "csv", *out_path = NULL;
  sv4_app app;
  sv4_arena *arena = sv4_arena_new(0);
  sv4_param *params = sv4_arena_alloc(arena, (size_t)argc * sizeof *params);
  size_t np = 0;
  int code = 0;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) {
      usage(stdout);
      sv4_arena_free(arena);
      return 0;
    } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
      o.db = argv[++i];
    } else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
      format = argv[++i];
    } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
      out_path = argv[++i];
    } else if (strchr(argv[i], '=')) {
      const char *eq = strchr(argv[i], '=');
      params[np].key = sv4_arena_strndup(arena, argv[i], (size_t)(eq - argv[i]));
      params[np].value = eq + 1;
      np++;
    } else {
      usage(stderr);
      sv4_arena_free(arena);
      return 2;
    }
  }
  if (strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "xlsx")) {
    sv4_arena_free(arena);
    return sv4_cli_fail("export", SV4_ERR_USAGE, "--format must be csv, json or xlsx");
  }
  if (!strcmp(format, "xlsx") && !out_path) {
    sv4_arena_free(arena);
    return sv4_cli_fail("export", SV4_ERR_USAGE, "xlsx needs --out FILE");
  }
  sv4_error e;
  sv4_rc rc = sv4__app_open(&app, &o, &e);
  if (rc) {
    sv4_arena_free(arena);
    return sv4_cli_fail("export", rc, "%s", e.msg);
  }
  sv4_req req = {.arena = arena, .app = &app, .method = "GET", .path = "/export", .query = params, .nquery = np,
                 .lang = "en"};
  sv4_resp resp = {.status = 200};
  sv4_buf_init(&resp.body, 0);
  sv4__export(&req, &resp, format);
  if (resp.status != 200 || !resp.stream) {
    code = sv4_cli_fail("export", SV4_ERR_USAGE, "%s", resp.body.data ? resp.body.data : "export failed");
  } else {
    FILE *f = out_path ? fopen(out_path, "wb") : stdout;
    if (!f) {
      code = sv4_cli_fail("export", SV4_ERR_IO, "cannot write %s", out_path);
    } else {
      char buf[65536];
      long n;
      uint64_t pos = 0;
      while ((n = resp.stream(resp.stream_ud, pos, buf, sizeof buf)) > 0) {
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
          code = sv4_cli_fail("export", SV4_ERR_IO, "write failed");
          break;
        }
        pos += (uint64_t)n;
      }
      if (f != stdout) fclose(f);
    }
  }
  if (resp.stream_free) resp.stream_free(resp.stream_ud);
  sv4_buf_free(&resp.body);
  sv4__app_close(&app);
  sv4_arena_free(arena);
  return code;
}
