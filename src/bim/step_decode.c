/* step_decode.c — decodes one STEP entity instance into a value tree in the reader's arena, and STEP strings
 * (with their \X\ \X2\ \X4\ \S\ \P.\ and '' escapes) into UTF-8. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bim/internal.h"
#include "sv4/limits.h"

typedef struct dec {
  sv4_step *s;
  const char *end;
  uint64_t id;
  sv4_error *err;
} dec;

static sv4_rc dfail(dec *d, sv4_rc rc, const char *at, const char *what) {
  size_t line = sv4__step_line_at(d->s, (size_t)(at - d->s->data));
  if (d->id)
    return sv4_error_set(d->err, rc, "%s:%zu: entity #%llu: %s", d->s->name, line, (unsigned long long)d->id, what);
  return sv4_error_set(d->err, rc, "%s:%zu: %s", d->s->name, line, what);
}

static sv4_rc push(sv4_step *s, const sv4_step_value *v) {
  if (s->stack_n == s->stack_cap) {
    size_t cap = s->stack_cap ? s->stack_cap * 2 : 256;
    sv4_step_value *n = realloc(s->stack, cap * sizeof *n);
    if (!n) return SV4_ERR_NOMEM;
    s->stack = n;
    s->stack_cap = cap;
  }
  s->stack[s->stack_n++] = *v;
  return SV4_OK;
}

static int is_upper_kw(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static sv4_rc parse_list(dec *d, const char **pp, unsigned depth, sv4_step_value **items, uint32_t *n);

/* Parses one parameter at *pp. */
static sv4_rc parse_value(dec *d, const char **pp, unsigned depth, sv4_step_value *v) {
  const char *p = sv4__step_skip(*pp, d->end), *end = d->end;
  memset(v, 0, sizeof *v);
  if (p >= end) return dfail(d, SV4_ERR_PARSE, p, "unexpected end of file in a parameter");
  unsigned char c = (unsigned char)*p;
  sv4_rc rc = SV4_OK;
  if (c == '$') {
    v->kind = SV4_STEP_NULL;
    p++;
  } else if (c == '*') {
    v->kind = SV4_STEP_DERIVED;
    p++;
  } else if (c == '#') {
    const char *q = ++p;
    uint64_t id = 0;
    while (p < end && *p >= '0' && *p <= '9' && id < UINT64_MAX / 16) id = id * 10 + (uint64_t)(*p++ - '0');
    if (p == q) return dfail(d, SV4_ERR_PARSE, q, "expected digits after '#'");
    v->kind = SV4_STEP_REF;
    v->u.ref = id;
  } else if (c == '\'') {
    const char *q = ++p;
    for (;;) {
      const char *x = memchr(p, '\'', (size_t)(end - p));
      if (!x) return dfail(d, SV4_ERR_PARSE, q - 1, "unterminated string");
      if (x + 1 < end && x[1] == '\'') {
        p = x + 2;
        continue;
      }
      p = x;
      break;
    }
    if ((size_t)(p - q) > SV4_MAX_STEP_STRING_BYTES) return dfail(d, SV4_ERR_LIMIT, q, "string too long");
    const char *out;
    size_t outn;
    rc = sv4__step_decode_string(d->s, q, (size_t)(p - q), &out, &outn);
    if (rc) return dfail(d, rc, q, "out of memory decoding a string");
    v->kind = SV4_STEP_STRING;
    v->u.s = out;
    v->n = (uint32_t)outn;
    p++;
  } else if (c == '"') {
    const char *q = ++p;
    while (p < end && *p != '"') p++;
    if (p >= end) return dfail(d, SV4_ERR_PARSE, q - 1, "unterminated binary");
    v->kind = SV4_STEP_BINARY;
    v->u.s = sv4_arena_strndup(d->s->arena, q, (size_t)(p - q));
    if (!v->u.s) return dfail(d, SV4_ERR_NOMEM, q, "out of memory");
    v->n = (uint32_t)(p - q);
    p++;
  } else if (c == '.') {
    const char *q = ++p;
    while (p < end && is_upper_kw((unsigned char)*p)) p++;
    if (p >= end || *p != '.' || p == q) return dfail(d, SV4_ERR_PARSE, q - 1, "malformed enumeration value");
    v->kind = SV4_STEP_ENUM;
    v->u.s = sv4_arena_strndup(d->s->arena, q, (size_t)(p - q));
    if (!v->u.s) return dfail(d, SV4_ERR_NOMEM, q, "out of memory");
    v->n = (uint32_t)(p - q);
    p++;
  } else if (c == '(') {
    v->kind = SV4_STEP_LIST;
    rc = parse_list(d, &p, depth + 1, &v->items, &v->n);
    if (rc) return rc;
  } else if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
    const char *q = p;
    int real = 0;
    if (*p == '-' || *p == '+') p++;
    while (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'E' || *p == 'e' ||
                       ((*p == '-' || *p == '+') && (p[-1] == 'E' || p[-1] == 'e')))) {
      if (*p == '.' || *p == 'E' || *p == 'e') real = 1;
      p++;
    }
    char buf[72];
    size_t n = (size_t)(p - q);
    if (n == 0 || n >= sizeof buf) return dfail(d, SV4_ERR_PARSE, q, "malformed number");
    memcpy(buf, q, n);
    buf[n] = '\0';
    char *e = NULL;
    errno = 0;
    if (real) {
      v->kind = SV4_STEP_REAL;
      v->u.r = strtod(buf, &e);
    } else {
      v->kind = SV4_STEP_INT;
      v->u.i = strtoll(buf, &e, 10);
    }
    if (*e || errno == ERANGE) return dfail(d, SV4_ERR_PARSE, q, "malformed number");
  } else if (is_upper_kw(c)) {
    const char *q = p;
    while (p < end && is_upper_kw((unsigned char)*p)) p++;
    size_t n = (size_t)(p - q);
    const char *name = sv4_arena_strndup(d->s->arena, q, n);
    if (!name) return dfail(d, SV4_ERR_NOMEM, q, "out of memory");
    p = sv4__step_skip(p, end);
    if (p >= end || *p != '(') return dfail(d, SV4_ERR_PARSE, p, "expected '(' after a type name");
    v->kind = SV4_STEP_TYPED;
    v->u.s = name;
    rc = parse_list(d, &p, depth + 1, &v->items, &v->n);
    if (rc) return rc;
  } else {
    char what[64];
    snprintf(what, sizeof what, "unexpected character '%c' in a parameter", c >= 0x20 && c < 0x7f ? c : '?');
    return dfail(d, SV4_ERR_PARSE, p, what);
  }
  *pp = p;
  return SV4_OK;
}

/* Parses "( v, v, ... )" at *pp (which points at '('); items go to the arena. */
static sv4_rc parse_list(dec *d, const char **pp, unsigned depth, sv4_step_value **items, uint32_t *n) {
  const char *p = *pp + 1, *end = d->end;
  if (depth > SV4_MAX_STEP_NESTING) return dfail(d, SV4_ERR_LIMIT, *pp, "lists nested too deeply");
  size_t base = d->s->stack_n;
  sv4_rc rc = SV4_OK;
  p = sv4__step_skip(p, end);
  if (p < end && *p == ')') {
    p++;
  } else {
    for (;;) {
      sv4_step_value v;
      rc = parse_value(d, &p, depth, &v);
      if (rc) goto done;
      if (push(d->s, &v)) {
        rc = dfail(d, SV4_ERR_NOMEM, p, "out of memory");
        goto done;
      }
      p = sv4__step_skip(p, end);
      if (p >= end) {
        rc = dfail(d, SV4_ERR_PARSE, p, "unexpected end of file in a list");
        goto done;
      }
      if (*p == ',') {
        p++;
        continue;
      }
      if (*p == ')') {
        p++;
        break;
      }
      rc = dfail(d, SV4_ERR_PARSE, p, "expected ',' or ')'");
      goto done;
    }
  }
  size_t cnt = d->s->stack_n - base;
  *n = (uint32_t)cnt;
  *items = NULL;
  if (cnt) {
    *items = sv4_arena_alloc(d->s->arena, cnt * sizeof **items);
    if (!*items) {
      rc = dfail(d, SV4_ERR_NOMEM, p, "out of memory");
      goto done;
    }
    memcpy(*items, d->s->stack + base, cnt * sizeof **items);
  }
  *pp = p;
done:
  d->s->stack_n = base;
  return rc;
}

sv4_rc sv4__step_decode_at(sv4_step *s, const char *p, uint64_t id, const char *known_type, sv4_step_entity *e,
                           const char **endp, sv4_error *err) {
  dec d = {s, s->data + s->len, id, err};
  const char *end = d.end;
  sv4_rc rc;
  memset(e, 0, sizeof *e);
  e->id = id;
  p = sv4__step_skip(p, end);
  if (p < end && *p == '(') { /* complex instance: (A(..) B(..)) */
    const char *q = p + 1;
    size_t base = s->stack_n;
    e->type = "";
    for (;;) {
      q = sv4__step_skip(q, end);
      if (q >= end) {
        s->stack_n = base;
        return dfail(&d, SV4_ERR_PARSE, q, "unexpected end of file in a complex instance");
      }
      if (*q == ')') {
        q++;
        break;
      }
      sv4_step_value v;
      rc = parse_value(&d, &q, 1, &v);
      if (!rc && v.kind != SV4_STEP_TYPED) rc = dfail(&d, SV4_ERR_PARSE, q, "expected NAME(...) in a complex instance");
      if (!rc && push(s, &v)) rc = dfail(&d, SV4_ERR_NOMEM, q, "out of memory");
      if (rc) {
        s->stack_n = base;
        return rc;
      }
    }
    size_t cnt = s->stack_n - base;
    e->nargs = (uint32_t)cnt;
    if (cnt) {
      e->args = sv4_arena_alloc(s->arena, cnt * sizeof *e->args);
      if (!e->args) {
        s->stack_n = base;
        return dfail(&d, SV4_ERR_NOMEM, q, "out of memory");
      }
      memcpy(e->args, s->stack + base, cnt * sizeof *e->args);
    }
    s->stack_n = base;
    p = q;
  } else {
    const char *q = p;
    while (p < end && (is_upper_kw((unsigned char)*p) || *p == '-')) p++;
    if (p == q) return dfail(&d, SV4_ERR_PARSE, q, "expected an entity type name");
    if (known_type) {
      e->type = known_type;
    } else {
      char *t = sv4_arena_strndup(s->arena, q, (size_t)(p - q));
      if (!t) return dfail(&d, SV4_ERR_NOMEM, q, "out of memory");
      for (char *c = t; *c; c++)
        if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
      e->type = t;
    }
    p = sv4__step_skip(p, end);
    if (p >= end || *p != '(') return dfail(&d, SV4_ERR_PARSE, p, "expected '(' after the entity type");
    rc = parse_list(&d, &p, 1, &e->args, &e->nargs);
    if (rc) return rc;
  }
  p = sv4__step_skip(p, end);
  if (p >= end || *p != ';') return dfail(&d, SV4_ERR_PARSE, p, "expected ';' after the entity");
  if (endp) *endp = p + 1;
  return SV4_OK;
}

/* ---- strings ---- */
static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

static size_t put_utf8(char *o, uint32_t cp) {
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
  if (cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Length of a valid UTF-8 sequence at p (max n bytes), 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n) {
  unsigned char c = p[0];
  size_t len;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
  else return 0;
  if (len > n) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return len;
}

/* Code point of byte b (>= 0x80) in ISO 8859-part. */
static uint32_t iso8859(sv4_step *s, int part, unsigned char b) {
  if (part <= 1 || part > 9) return b;
  if (s->cd[part] == (iconv_t)-1) {
    char name[16];
    snprintf(name, sizeof name, "ISO-8859-%d", part);
    s->cd[part] = iconv_open("UTF-32LE", name);
    if (s->cd[part] == (iconv_t)-1) return b;
  }
  char in[1] = {(char)b};
  unsigned char outb[4];
  char *ip = in, *op = (char *)outb;
  size_t il = 1, ol = 4;
  iconv(s->cd[part], NULL, NULL, NULL, NULL);
  if (iconv(s->cd[part], &ip, &il, &op, &ol) == (size_t)-1 || ol != 0) return 0xFFFD;
  return (uint32_t)outb[0] | (uint32_t)outb[1] << 8 | (uint32_t)outb[2] << 16 | (uint32_t)outb[3] << 24;
}

sv4_rc sv4__step_decode_string(sv4_step *s, const char *raw, size_t n, const char **out, size_t *outn) {
  size_t plain = 0; /* fast path: printable ASCII without escapes is copied as is */
  while (plain < n && raw[plain] != '\\' && raw[plain] != '\'' && (unsigned char)raw[plain] < 0x80) plain++;
  if (plain == n) {
    char *c = sv4_arena_strndup(s->arena, raw, n);
    if (!c) return SV4_ERR_NOMEM;
    *out = c;
    *outn = n;
    return SV4_OK;
  }
  char *o = sv4_arena_alloc(s->arena, n * 2 + 4), *w = o;
  if (!o) return SV4_ERR_NOMEM;
  const unsigned char *p = (const unsigned char *)raw, *end = p + n;
  int part = 1; /* ISO 8859 part selected by \P.\ for \S\ */
  while (p < end) {
    unsigned char c = *p;
    if (c == '\'') { /* '' → ' */
      *w++ = '\'';
      p += (p + 1 < end && p[1] == '\'') ? 2 : 1;
      continue;
    }
    if (c == '\\' && p + 1 < end) {
      unsigned char k = p[1];
      if (k == '\\') {
        *w++ = '\\';
        p += 2;
        continue;
      }
      if (k == 'S' && p + 3 < end && p[2] == '\\') {
        w += put_utf8(w, iso8859(s, part, (unsigned char)(p[3] | 0x80)));
        p += 4;
        continue;
      }
      if (k == 'P' && p + 3 < end && p[3] == '\\' && p[2] >= 'A' && p[2] <= 'I') {
        part = p[2] - 'A' + 1;
        p += 4;
        continue;
      }
      if (k == 'X' && p + 2 < end && p[2] == '\\') { /* \X\hh */
        if (p + 4 < end + 0 && hexval(p[3]) >= 0 && hexval(p[4]) >= 0) {
          w += put_utf8(w, (uint32_t)(hexval(p[3]) << 4 | hexval(p[4])));
          p += 5;
          continue;
        }
      }
      if (k == 'X' && p + 3 < end && (p[2] == '2' || p[2] == '4') && p[3] == '\\') {
        int width = p[2] == '2' ? 4 : 8;
        const unsigned char *q = p + 4;
        uint32_t hi = 0; /* pending UTF-16 high surrogate */
        for (;;) {
          if (q + 3 < end + 0 && q[0] == '\\' && q[1] == 'X' && q[2] == '0' && q[3] == '\\') {
            q += 4;
            break;
          }
          if (end - q < width) {
            q = end;
            break;
          }
          uint32_t cp = 0;
          int ok = 1;
          for (int i = 0; i < width; i++) {
            int h = hexval(q[i]);
            if (h < 0) ok = 0;
            cp = cp << 4 | (uint32_t)(h < 0 ? 0 : h);
          }
          if (!ok) break; /* malformed: stop the group, keep the rest literally */
          q += width;
          if (width == 4 && cp >= 0xD800 && cp <= 0xDBFF) {
            hi = cp;
            continue;
          }
          if (width == 4 && cp >= 0xDC00 && cp <= 0xDFFF && hi) cp = 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00);
          else if (hi) w += put_utf8(w, 0xFFFD);
          hi = 0;
          w += put_utf8(w, cp);
        }
        if (hi) w += put_utf8(w, 0xFFFD);
        p = q;
        continue;
      }
      /* unknown escape: keep the backslash literally */
      *w++ = '\\';
      p++;
      continue;
    }
    if (c < 0x80) {
      *w++ = (char)c;
      p++;
      continue;
    }
    /* raw 8-bit byte (not allowed by the standard, common in practice): UTF-8 when valid, else Latin-1 */
    size_t k = utf8_seq(p, (size_t)(end - p));
    if (k) {
      memcpy(w, p, k);
      w += k;
      p += k;
    } else {
      w += put_utf8(w, c);
      p++;
    }
  }
  *w = '\0';
  *out = o;
  *outn = (size_t)(w - o);
  return SV4_OK;
}
