/* multipart.c — a strict multipart/form-data splitter (RFC 7578): parts point into the body, headers are parsed
 * for name, filename and content type. Malformed bodies are errors, never guesses. */
#include <string.h>
#include <strings.h>

#include "server/internal.h"

#define MAX_PARTS 64

static const char *memfind(const char *h, size_t hn, const char *n, size_t nn) {
  if (nn == 0 || hn < nn) return NULL;
  for (const char *p = h; (p = memchr(p, n[0], (size_t)(h + hn - p))) != NULL; p++) {
    if ((size_t)(h + hn - p) < nn) return NULL;
    if (!memcmp(p, n, nn)) return p;
  }
  return NULL;
}

/* Value of param `key` (name= / filename=) in a Content-Disposition header line. */
static const char *disp_param(sv4_arena *a, const char *line, size_t n, const char *key) {
  size_t kl = strlen(key);
  for (size_t i = 0; i + kl + 1 < n; i++) {
    if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') && !strncasecmp(line + i, key, kl) &&
        line[i + kl] == '=') {
      const char *v = line + i + kl + 1;
      size_t rest = n - (size_t)(v - line);
      if (rest && *v == '"') {
        const char *end = memchr(v + 1, '"', rest - 1);
        if (!end) return NULL;
        return sv4_arena_strndup(a, v + 1, (size_t)(end - v - 1));
      }
      size_t len = 0;
      while (len < rest && v[len] != ';' && v[len] != ' ') len++;
      return sv4_arena_strndup(a, v, len);
    }
  }
  return NULL;
}

sv4_rc sv4__parse_multipart(sv4_arena *a, const char *content_type, const char *body, size_t len, sv4_part **out,
                            size_t *n, sv4_error *err) {
  *out = NULL;
  *n = 0;
  if (!content_type || strncasecmp(content_type, "multipart/form-data", 19))
    return sv4_error_set(err, SV4_ERR_USAGE, "expected multipart/form-data");
  const char *b = strcasestr(content_type, "boundary=");
  if (!b) return sv4_error_set(err, SV4_ERR_PARSE, "multipart body without a boundary");
  b += 9;
  size_t bl;
  if (*b == '"') {
    b++;
    const char *e = strchr(b, '"');
    if (!e) return sv4_error_set(err, SV4_ERR_PARSE, "unterminated boundary");
    bl = (size_t)(e - b);
  } else {
    bl = strcspn(b, "; ");
  }
  if (bl == 0 || bl > 70) return sv4_error_set(err, SV4_ERR_PARSE, "invalid multipart boundary");
  char delim[80];
  delim[0] = '-';
  delim[1] = '-';
  memcpy(delim + 2, b, bl);
  size_t dl = bl + 2;

  sv4_part *parts = sv4_arena_alloc(a, MAX_PARTS * sizeof *parts);
  if (!parts) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  const char *p = memfind(body, len, delim, dl);
  if (!p) return sv4_error_set(err, SV4_ERR_PARSE, "multipart body without its boundary");
  const char *end = body + len;
  size_t k = 0;
  for (;;) {
    p += dl;
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') break; /* closing delimiter */
    if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return sv4_error_set(err, SV4_ERR_PARSE, "malformed multipart delimiter");
    p += 2;
    const char *hend = memfind(p, (size_t)(end - p), "\r\n\r\n", 4);
    if (!hend) return sv4_error_set(err, SV4_ERR_PARSE, "multipart part without a header end");
    if (k >= MAX_PARTS) return sv4_error_set(err, SV4_ERR_LIMIT, "more than %d multipart parts", MAX_PARTS);
    sv4_part *part = &parts[k];
    memset(part, 0, sizeof *part);
    for (const char *line = p; line < hend;) {
      const char *eol = memfind(line, (size_t)(hend + 2 - line), "\r\n", 2);
      size_t ln = (size_t)((eol ? eol : hend) - line);
      if (ln > 20 && !strncasecmp(line, "Content-Disposition:", 20)) {
        part->name = disp_param(a, line, ln, "name");
        part->filename = disp_param(a, line, ln, "filename");
      } else if (ln > 13 && !strncasecmp(line, "Content-Type:", 13)) {
        const char *v = line + 13;
        while (v < line + ln && *v == ' ') v++;
        part->content_type = sv4_arena_strndup(a, v, (size_t)(line + ln - v));
      }
      line = eol ? eol + 2 : hend;
    }
    if (!part->name) return sv4_error_set(err, SV4_ERR_PARSE, "multipart part without a name");
    const char *data = hend + 4;
    char close[84] = "\r\n";
    memcpy(close + 2, delim, dl);
    const char *next = memfind(data, (size_t)(end - data), close, dl + 2);
    if (!next) return sv4_error_set(err, SV4_ERR_PARSE, "multipart body is truncated (no closing boundary)");
    part->data = data;
    part->len = (size_t)(next - data);
    k++;
    p = next + 2;
  }
  *out = parts;
  *n = k;
  return SV4_OK;
}
