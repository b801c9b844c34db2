/* error.c — names, messages and the single mappings of sv4_rc to exit codes and HTTP statuses. */
#include "sv4/error.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
  const char *name;
  const char *text;
  int http;
} rc_table[SV4_RC_COUNT] = {
    [SV4_OK] = {"ok", "success", 200},
    [SV4_ERR_NOMEM] = {"out_of_memory", "out of memory", 503},
    [SV4_ERR_IO] = {"io_error", "input/output error", 500},
    [SV4_ERR_USAGE] = {"bad_request", "invalid arguments", 400},
    [SV4_ERR_PARSE] = {"parse_error", "malformed input", 400},
    [SV4_ERR_UTF8] = {"invalid_utf8", "input is not valid UTF-8", 400},
    [SV4_ERR_LIMIT] = {"limit_exceeded", "input exceeds a limit", 413},
    [SV4_ERR_FORMAT] = {"unsupported_format", "unsupported or unrecognised format", 415},
    [SV4_ERR_NOTFOUND] = {"not_found", "not found", 404},
    [SV4_ERR_EXISTS] = {"conflict", "already exists", 409},
    [SV4_ERR_AUTH] = {"unauthorized", "authentication required", 401},
    [SV4_ERR_FORBIDDEN] = {"forbidden", "not allowed for this role", 403},
    [SV4_ERR_DB] = {"storage_error", "storage failure", 500},
    [SV4_ERR_ENGINE] = {"engine_error", "pattern engine failure", 500},
    [SV4_ERR_UNSUPPORTED] = {"unsupported", "not supported", 501},
    [SV4_ERR_INTERNAL] = {"internal_error", "internal error", 500},
};

static int rc_valid(sv4_rc rc) { return (int)rc >= 0 && rc < SV4_RC_COUNT; }

const char *sv4_strerror(sv4_rc rc) { return rc_valid(rc) ? rc_table[rc].text : "unknown error"; }

const char *sv4_rc_name(sv4_rc rc) { return rc_valid(rc) ? rc_table[rc].name : "unknown"; }

int sv4_rc_exit_code(sv4_rc rc) {
  if (rc == SV4_OK) return 0;
  if (rc == SV4_ERR_USAGE) return 2;
  return 1;
}

int sv4_rc_http_status(sv4_rc rc) { return rc_valid(rc) ? rc_table[rc].http : 500; }

sv4_rc sv4_error_set(sv4_error *err, sv4_rc rc, const char *fmt, ...) {
  if (err) {
    va_list ap;
    err->rc = rc;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return rc;
}

void sv4_error_clear(sv4_error *err) {
  if (err) {
    err->rc = SV4_OK;
    err->msg[0] = '\0';
  }
}
