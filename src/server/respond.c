/* respond.c — small helpers for handlers: JSON responses, the one error body shape, headers, parameters. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "server/internal.h"
#include "sv4/limits.h"

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;

/* 17 significant digits of |x| (10^16 <= *d < 10^17) rounded to nearest, ties to even, as printf rounds, and the
 * decimal exponent: |x| = m 2^e exactly (m < 2^53), scaled by 10^(16 - E) in 128 bits. 0 when out of range. */
static int g17_digits(double x, uint64_t *d, int *exp10) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int bexp = (int)(bits >> 52 & 0x7ff);
  if (!bexp || bexp == 0x7ff) return 0; /* zero, subnormal, infinite, NaN */
  uint64_t m = (bits & ((1ull << 52) - 1)) | 1ull << 52;
  int e = bexp - 1075;
  int E = (int)floor(log10(fabs(x)));
  static const uint64_t lim = 100000000000000000ull; /* 10^17 */
  for (int tries = 0; tries < 3; tries++) {
    int p = 16 - E;
    if (p < 0 || p > 22) return 0; /* m 10^p must stay below 2^128 */
    u128 n = m;
    for (int i = 0; i < p; i++) n *= 10;
    u128 q, r = 0, half = 0;
    if (e >= 0) {
      if (e > 10) return 0;
      q = n << e;
    } else {
      int s = -e;
      if (s > 120) return 0;
      q = n >> s;
      r = n & (((u128)1 << s) - 1);
      half = (u128)1 << (s - 1);
    }
    if (q < lim / 10) { /* E one too high: 17 digits start further down */
      E--;
      continue;
    }
    if (q >= lim) {
      E++;
      continue;
    }
    if (r > half || (r == half && (q & 1))) q++;
    if (q == lim) { /* rounded up to 10^17: one more digit before the point */
      q = lim / 10;
      E++;
    }
    *d = (uint64_t)q;
    *exp10 = E;
    return 1;
  }
  return 0;
}
#else
static int g17_digits(double x, uint64_t *d, int *exp10) {
  (void)x, (void)d, (void)exp10;
  return 0;
}
#endif

size_t sv4__fmt_g17(double x, char *out) {
  uint64_t d;
  int E;
  if (!(fabs(x) >= 1e-6 && fabs(x) < 1e17) || !g17_digits(x, &d, &E)) return 0;
  char dig[17];
  for (int i = 16; i >= 0; i--, d /= 10) dig[i] = (char)('0' + d % 10);
  int nd = 17;
  while (nd > 1 && dig[nd - 1] == '0') nd--; /* %g drops trailing zeros */
  size_t n = 0;
  if (x < 0) out[n++] = '-';
  if (E < -4 || E >= 17) {
    out[n++] = dig[0];
    if (nd > 1) {
      out[n++] = '.';
      memcpy(out + n, dig + 1, (size_t)nd - 1);
      n += (size_t)nd - 1;
    }
    int ae = E < 0 ? -E : E;
    out[n++] = 'e';
    out[n++] = E < 0 ? '-' : '+';
    if (ae >= 100) out[n++] = (char)('0' + ae / 100);
    out[n++] = (char)('0' + ae / 10 % 10);
    out[n++] = (char)('0' + ae % 10);
  } else if (E >= 0) {
    int whole = E + 1;
    for (int i = 0; i < whole; i++) out[n++] = i < nd ? dig[i] : '0';
    if (nd > whole) {
      out[n++] = '.';
      memcpy(out + n, dig + whole, (size_t)(nd - whole));
      n += (size_t)(nd - whole);
    }
  } else {
    out[n++] = '0';
    out[n++] = '.';
    for (int i = 0; i < -E - 1; i++) out[n++] = '0';
    memcpy(out + n, dig, (size_t)nd);
    n += (size_t)nd;
  }
  out[n] = '\0';
  return n;
}

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
