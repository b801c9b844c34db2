/* csv.c — RFC 4180 reader over a memory buffer. */
#include "sv4/csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sv4/util.h"

struct sv4_csv {
  const char *p, *end;
  char sep;
  const char *name;
  size_t line, rec_line;
  sv4_buf field;            /* all fields of the current record, NUL-separated */
  size_t offs[SV4_CSV_MAX_FIELDS];
  size_t lens[SV4_CSV_MAX_FIELDS];
  size_t n;
};

sv4_csv *sv4_csv_open(const char *data, size_t len, char sep, const char *name) {
  sv4_csv *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->p = data;
  c->end = data + len;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) c->p += 3;
  c->sep = sep;
  c->name = name ? name : "csv";
  c->line = 1;
  sv4_buf_init(&c->field, SV4_CSV_MAX_FIELD_BYTES * 4);
  return c;
}

static sv4_rc end_field(sv4_csv *c, size_t start, sv4_error *err) {
  if (c->n >= SV4_CSV_MAX_FIELDS)
    return sv4_error_set(err, SV4_ERR_LIMIT, "%s:%zu: more than %u fields", c->name, c->rec_line, SV4_CSV_MAX_FIELDS);
  if (c->field.len - start > SV4_CSV_MAX_FIELD_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "%s:%zu: field longer than %u bytes", c->name, c->rec_line,
                         SV4_CSV_MAX_FIELD_BYTES);
  c->offs[c->n] = start;
  c->lens[c->n] = c->field.len - start;
  c->n++;
  if (sv4_buf_putc(&c->field, '\0')) return sv4_error_set(err, SV4_ERR_LIMIT, "%s:%zu: record too large", c->name, c->rec_line);
  return SV4_OK;
}

sv4_rc sv4_csv_next(sv4_csv *c, size_t *nfields, sv4_error *err) {
  sv4_rc rc;
  *nfields = 0;
  c->n = 0;
  sv4_buf_reset(&c->field);
  if (c->p >= c->end) return SV4_ERR_NOTFOUND;
  c->rec_line = c->line;
  size_t start = 0;
  for (;;) {
    if (c->p >= c->end) break;
    char ch = *c->p;
    if (ch == '"' && c->field.len == start) { /* quoted field */
      c->p++;
      for (;;) {
        if (c->p >= c->end)
          return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: unterminated quoted field", c->name, c->rec_line);
        ch = *c->p++;
        if (ch == '"') {
          if (c->p < c->end && *c->p == '"') {
            c->p++;
          } else {
            break;
          }
        } else if (ch == '\n') {
          c->line++;
        }
        if (sv4_buf_putc(&c->field, ch))
          return sv4_error_set(err, SV4_ERR_LIMIT, "%s:%zu: record too large", c->name, c->rec_line);
      }
      continue;
    }
    if (ch == c->sep) {
      c->p++;
      if ((rc = end_field(c, start, err))) return rc;
      start = c->field.len;
      continue;
    }
    if (ch == '\r' && c->p + 1 < c->end && c->p[1] == '\n') {
      c->p++;
      continue;
    }
    if (ch == '\n') {
      c->p++;
      c->line++;
      break;
    }
    if (sv4_buf_putc(&c->field, ch))
      return sv4_error_set(err, SV4_ERR_LIMIT, "%s:%zu: record too large", c->name, c->rec_line);
    c->p++;
  }
  if ((rc = end_field(c, start, err))) return rc;
  *nfields = c->n;
  return SV4_OK;
}

const char *sv4_csv_field(const sv4_csv *c, size_t i) { return i < c->n ? c->field.data + c->offs[i] : ""; }

size_t sv4_csv_field_len(const sv4_csv *c, size_t i) { return i < c->n ? c->lens[i] : 0; }

size_t sv4_csv_line(const sv4_csv *c) { return c->rec_line; }

int sv4_csv_column(const sv4_csv *c, const char *name) {
  for (size_t i = 0; i < c->n; i++)
    if (!strcmp(sv4_csv_field(c, i), name)) return (int)i;
  return -1;
}

void sv4_csv_close(sv4_csv *c) {
  if (!c) return;
  sv4_buf_free(&c->field);
  free(c);
}

int sv4_parse_double(const char *s, double *out) {
  char tmp[64];
  size_t n = 0;
  *out = 0;
  if (!s) return 0;
  while (*s == ' ') s++;
  for (; s[n] && n < sizeof tmp - 1; n++) tmp[n] = s[n] == ',' ? '.' : s[n];
  tmp[n] = '\0';
  while (n && tmp[n - 1] == ' ') tmp[--n] = '\0';
  if (!n) return 0;
  char *end;
  errno = 0;
  double v = strtod(tmp, &end);
  if (*end || errno) return 0;
  *out = v;
  return 1;
}
