/* error.h — the one result enum of smartv4 and the error detail carried beside it. */
#ifndef SV4_ERROR_H
#define SV4_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every fallible function returns an sv4_rc; SV4_OK is 0 so `if (rc) goto fail;` reads naturally. */
typedef enum sv4_rc {
  SV4_OK = 0,
  SV4_ERR_NOMEM,       /* allocation failed */
  SV4_ERR_IO,          /* file or socket I/O failed */
  SV4_ERR_USAGE,       /* caller passed invalid arguments */
  SV4_ERR_PARSE,       /* malformed input (rule file, JSON, STEP, CSV...) */
  SV4_ERR_UTF8,        /* input is not valid UTF-8 */
  SV4_ERR_LIMIT,       /* input exceeds a limit from sv4/limits.h */
  SV4_ERR_FORMAT,      /* unsupported or unrecognised file format */
  SV4_ERR_NOTFOUND,    /* a requested object does not exist */
  SV4_ERR_EXISTS,      /* object already exists / conflict */
  SV4_ERR_AUTH,        /* not authenticated */
  SV4_ERR_FORBIDDEN,   /* authenticated but not allowed */
  SV4_ERR_DB,          /* storage backend failure */
  SV4_ERR_ENGINE,      /* pattern engine (vectorscan) failure */
  SV4_ERR_UNSUPPORTED, /* feature not available in this build or input */
  SV4_ERR_INTERNAL,    /* a bug: an invariant did not hold */
  SV4_RC_COUNT
} sv4_rc;

/* Static, never NULL, English text for rc. */
const char *sv4_strerror(sv4_rc rc);

/* Short machine-readable name, e.g. "parse_error"; used in API error bodies. */
const char *sv4_rc_name(sv4_rc rc);

/* Exit code for the command line: 0 ok, 2 usage, 1 everything else. */
int sv4_rc_exit_code(sv4_rc rc);

/* HTTP status for the server: the one mapping of results to statuses. */
int sv4_rc_http_status(sv4_rc rc);

/* Detail of the last error of an operation: where (file, line, entity, offset) and what. Owned by the caller,
 * usually on the stack; functions that can fail with detail take an `sv4_error *err` (may be NULL). */
#define SV4_ERROR_MSG_MAX 512
typedef struct sv4_error {
  sv4_rc rc;
  char msg[SV4_ERROR_MSG_MAX];
} sv4_error;

/* Records rc and a printf-style message into err (if err is not NULL) and returns rc. */
sv4_rc sv4_error_set(sv4_error *err, sv4_rc rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clears err to SV4_OK with an empty message. Accepts NULL. */
void sv4_error_clear(sv4_error *err);

#ifdef __cplusplus
}
#endif
#endif
