/* respond.c — small helpers for handlers: JSON responses, the one error body shape, headers, parameters. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "server/internal.h"
#include "sv4/limits.h"

void sv4__resp_header(sv4_resp *resp, const char *name, const char *value) {
  if (resp->nheaders < sizeof resp->headers / sizeof resp->headers[0])
    resp->headers[resp->nheaders++] = (sv4_header){name, value};
}

void sv4__resp_json(sv4_resp *resp, int status, json_t *body) {
  resp->status = status;
  resp->content_type = "application/json; charset=utf-8";
  sv4_buf_reset(&resp->body);
  char *s = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  if (s) {
    sv4_buf_puts(&resp->body, s);
    free(s);
  } else {
    resp->status = 500;
    sv4_buf_puts(&resp->body, "{\"error\":{\"code\":\"internal_error\",\"message\":\"cannot encode response\"}}");
  }
  json_decref(body);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 0)))
#endif
static void error_body(sv4_resp *resp, int status, const char *code, const char *fmt, va_list ap) {
  char msg[SV4_ERROR_MSG_MAX];
  vsnprintf(msg, sizeof msg, fmt, ap);
  sv4__resp_json(resp, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
}

void sv4__resp_error(sv4_resp *resp, sv4_rc rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  error_body(resp, sv4_rc_http_status(rc), sv4_rc_name(rc), fmt, ap);
  va_end(ap);
}

void sv4__resp_status_error(sv4_resp *resp, int status, const char *code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  error_body(resp, status, code, fmt, ap);
  va_end(ap);
}

void sv4__resp_redirect(sv4_resp *resp, const char *location) {
  resp->status = 303;
  resp->content_type = "text/plain; charset=utf-8";
  sv4__resp_header(resp, "Location", location);
  sv4_buf_puts(&resp->body, "See Other");
}

const char *sv4__req_param(const sv4_req *req, const char *key) {
  for (size_t i = 0; i < req->nquery; i++)
    if (!strcmp(req->query[i].key, key)) return req->query[i].value;
  return NULL;
}

size_t sv4__req_params(const sv4_req *req, const char *key, const char **out, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < req->nquery && n < max; i++) {
    if (strcmp(req->query[i].key, key)) continue;
    /* "a,b" and repeated keys both select several values */
    const char *v = req->query[i].value;
    while (*v && n < max) {
      size_t len = strcspn(v, ",");
      if (len) out[n++] = sv4_arena_strndup(req->arena, v, len);
      v += len;
      if (*v == ',') v++;
    }
  }
  return n;
}

static size_t json_depth(json_t *v) {
  size_t d = 0, i;
  const char *k;
  json_t *x;
  if (json_is_object(v)) {
    json_object_foreach(v, k, x) {
      size_t c = json_depth(x);
      if (c > d) d = c;
      if (d > SV4_MAX_JSON_DEPTH) break;
    }
    return d + 1;
  }
  if (json_is_array(v)) {
    json_array_foreach(v, i, x) {
      size_t c = json_depth(x);
      if (c > d) d = c;
      if (d > SV4_MAX_JSON_DEPTH) break;
    }
    return d + 1;
  }
  return 0;
}

/* Rejects bodies nested deeper than the limit before jansson's recursive parser sees them. */
static int nesting_ok(const char *s, size_t n) {
  size_t depth = 0;
  int in_str = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (in_str) {
      if (c == '\\') i++;
      else if (c == '"') in_str = 0;
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      if (++depth > SV4_MAX_JSON_DEPTH) return 0;
    } else if (c == '}' || c == ']') {
      if (depth) depth--;
    }
  }
  return 1;
}

json_t *sv4__req_json(sv4_req *req, sv4_resp *resp) {
  if (req->body_len > SV4_MAX_JSON_BODY_BYTES) {
    sv4__resp_error(resp, SV4_ERR_LIMIT, "JSON body larger than %u bytes", SV4_MAX_JSON_BODY_BYTES);
    return NULL;
  }
  if (!nesting_ok(req->body, req->body_len)) {
    sv4__resp_error(resp, SV4_ERR_LIMIT, "JSON nested deeper than %u levels", SV4_MAX_JSON_DEPTH);
    return NULL;
  }
  json_error_t je;
  json_t *v = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
  if (!v) {
    sv4__resp_error(resp, SV4_ERR_PARSE, "invalid JSON at line %d column %d: %s", je.line, je.column, je.text);
    return NULL;
  }
  if (json_depth(v) > SV4_MAX_JSON_DEPTH) {
    json_decref(v);
    sv4__resp_error(resp, SV4_ERR_LIMIT, "JSON nested deeper than %u levels", SV4_MAX_JSON_DEPTH);
    return NULL;
  }
  return v;
}
