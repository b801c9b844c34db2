/* json.c — the JSON Lines contract of a classification result, and the JSON Lines input reader. */
#include <stdlib.h>
#include <string.h>

#include "classify/internal.h"
#include "sv4/limits.h"

/* The result is written into one block sized for the worst case (every string byte escaped as \u00XX), then
 * appended to out at once: no bounds check per piece. */
typedef struct jw {
  char *p;
} jw;

static inline void w_raw(jw *w, const char *s, size_t n) {
  memcpy(w->p, s, n);
  w->p += n;
}
#define W_LIT(w, lit) w_raw((w), (lit), sizeof(lit) - 1)

static inline void w_u(jw *w, size_t v) {
  static const char two[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  char tmp[24];
  int i = 24;
  while (v >= 100) {
    size_t q = v / 100, r = v - q * 100;
    tmp[--i] = two[2 * r + 1];
    tmp[--i] = two[2 * r];
    v = q;
  }
  if (v >= 10) {
    tmp[--i] = two[2 * v + 1];
    tmp[--i] = two[2 * v];
  } else {
    tmp[--i] = (char)('0' + v);
  }
  w_raw(w, tmp + i, (size_t)(24 - i));
}

/* Whether the eight bytes of v hold one that JSON must escape: below 0x20, '"' or '\\'. */
static inline int needs_escape8(uint64_t v) {
  const uint64_t lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
  uint64_t q = v ^ (lo * '"'), bs = v ^ (lo * '\\');
  uint64_t ctl = (v - lo * 0x20) & ~v & hi; /* some byte < 0x20 (no false negatives) */
  uint64_t zq = (q - lo) & ~q & hi;         /* some byte == '"' */
  uint64_t zb = (bs - lo) & ~bs & hi;       /* some byte == '\\' */
  return (ctl | zq | zb) != 0;
}

/* JSON string escaping as sv4_buf_json_escape: ", \, \n, \r, \t and other control characters as \u00XX. Strings of
 * eight bytes or more without such bytes (rule ids, most matches) are checked and copied eight bytes at a time, the
 * last eight overlapping the ones before; nothing is read beyond s[n - 1]. */
static void w_str(jw *w, const char *s, size_t n) {
  char *o = w->p;
  *o++ = '"';
  size_t i = 0;
  if (n >= 4 && n < 8) {
    /* the first and the last four bytes, overlapping */
    uint32_t a, b;
    memcpy(&a, s, 4);
    memcpy(&b, s + n - 4, 4);
    if (!needs_escape8((uint64_t)a << 32 | b)) {
      memcpy(o, &a, 4);
      memcpy(o + n - 4, &b, 4);
      o[n] = '"';
      w->p = o + n + 1;
      return;
    }
  } else if (n >= 8) {
    uint64_t v;
    for (; i + 8 < n; i += 8) {
      memcpy(&v, s + i, 8);
      if (needs_escape8(v)) goto escape;
      memcpy(o + i, &v, 8);
    }
    memcpy(&v, s + n - 8, 8);
    if (!needs_escape8(v)) {
      memcpy(o + n - 8, &v, 8);
      o[n] = '"';
      w->p = o + n + 1;
      return;
    }
  }
escape:
  o += i;
  while (i < n) {
    unsigned char c = (unsigned char)s[i++];
    if (c >= 0x20 && c != '"' && c != '\\') {
      *o++ = (char)c;
      continue;
    }
    *o++ = '\\';
    switch (c) {
      case '"': *o++ = '"'; break;
      case '\\': *o++ = '\\'; break;
      case '\n': *o++ = 'n'; break;
      case '\r': *o++ = 'r'; break;
      case '\t': *o++ = 't'; break;
      default:
        *o++ = 'u';
        *o++ = '0';
        *o++ = '0';
        *o++ = "0123456789abcdef"[c >> 4];
        *o++ = "0123456789abcdef"[c & 15];
    }
  }
  *o++ = '"';
  w->p = o;
}

static void w_cstr(jw *w, const char *s) { w_str(w, s, strlen(s)); }

static void w_score(jw *w, double s) {
  long v = (long)(s * 100.0 + 0.5);
  if (v < 0) v = 0;
  if (v >= 100) {
    W_LIT(w, "1.0");
    return;
  }
  char t[5] = {'0', '.', (char)('0' + v / 10), (char)('0' + v % 10), 0};
  w_raw(w, t, t[3] == '0' ? 3 : 4);
}

/* Worst-case size of a JSON string of n bytes. */
static size_t str_max(size_t n) { return 2 + 6 * n; }

/* atoi(s) for the codes it orders (SDG goals): blanks, a sign, then digits (saturating instead of overflowing). */
static long code_num(const char *s) {
  while (*s == ' ' || (*s >= '\t' && *s <= '\r')) s++;
  int neg = *s == '-';
  if (*s == '-' || *s == '+') s++;
  long v = 0;
  for (; *s >= '0' && *s <= '9'; s++)
    if (v < 100000000) v = v * 10 + (*s - '0');
  return neg ? -v : v;
}

sv4_rc sv4_result_to_json(const sv4_result *r, const char *id, size_t id_len, int with_evidence, sv4_buf *out) {
  /* the worst case */
  size_t vlen = r->version ? strlen(r->version) : 0;
  size_t max = 256 + (id ? str_max(id_len) : 0) + str_max(vlen);
  for (size_t i = 0; i < r->nlabels; i++) {
    const sv4_label *l = &r->labels[i];
    max += 96 + 2 * str_max(strlen(l->code));
    for (size_t t = 0; t < l->ntargets; t++) max += 1 + str_max(strlen(l->targets[t]));
    if (with_evidence)
      for (size_t e = 0; e < l->nevidence; e++)
        max += 96 + str_max(l->evidence[e].match_len) + str_max(l->evidence[e].rule_len);
  }
  /* Written in place when out has the room (a caller appending many results keeps a large buffer), else into a
   * block appended at once, which also applies out's limit to the actual size. */
  int in_place = out->data && out->cap > out->len && out->cap - out->len - 1 >= max &&
                 (!out->limit || out->len + max <= out->limit);
  char *block = in_place ? out->data + out->len : malloc(max);
  if (!block) return SV4_ERR_NOMEM;
  jw w = {block};
  W_LIT(&w, "{");
  if (id) {
    W_LIT(&w, "\"id\":");
    w_str(&w, id, id_len);
    W_LIT(&w, ",");
  }
  W_LIT(&w, "\"lang\":\"");
  w_raw(&w, sv4_lang_code(r->lang), strlen(sv4_lang_code(r->lang)));
  W_LIT(&w, "\"");
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) {
    const char *sn = sv4_scheme_name((sv4_scheme)s);
    W_LIT(&w, ",\"");
    w_raw(&w, sn, strlen(sn));
    W_LIT(&w, "\":[");
    /* codes in canonical order: goals numerically */
    const char *codes[64];
    long num[64];
    size_t n = 0;
    for (size_t i = 0; i < r->nlabels && n < 64; i++)
      if (r->labels[i].scheme == (sv4_scheme)s) {
        codes[n] = r->labels[i].code;
        num[n++] = s == SV4_SCHEME_SDG ? code_num(r->labels[i].code) : 0;
      }
    for (size_t i = 1; i < n; i++)
      for (size_t j = i; j > 0; j--) {
        int less = s == SV4_SCHEME_SDG ? num[j] < num[j - 1] : strcmp(codes[j], codes[j - 1]) < 0;
        if (!less) break;
        const char *t = codes[j];
        codes[j] = codes[j - 1];
        codes[j - 1] = t;
        long tn = num[j];
        num[j] = num[j - 1];
        num[j - 1] = tn;
      }
    for (size_t i = 0; i < n; i++) {
      if (i) W_LIT(&w, ",");
      if (s == SV4_SCHEME_SDG) w_raw(&w, codes[i], strlen(codes[i]));
      else w_cstr(&w, codes[i]);
    }
    W_LIT(&w, "]");
  }
  W_LIT(&w, ",\"labels\":[");
  for (size_t i = 0; i < r->nlabels; i++) {
    const sv4_label *l = &r->labels[i];
    const char *sn = sv4_scheme_name(l->scheme);
    if (i) W_LIT(&w, ",");
    W_LIT(&w, "{\"scheme\":\"");
    w_raw(&w, sn, strlen(sn));
    W_LIT(&w, "\",\"code\":");
    w_cstr(&w, l->code);
    W_LIT(&w, ",\"targets\":[");
    for (size_t t = 0; t < l->ntargets; t++) {
      if (t) W_LIT(&w, ",");
      w_cstr(&w, l->targets[t]);
    }
    W_LIT(&w, "],\"score\":");
    w_score(&w, l->score);
    if (with_evidence) {
      W_LIT(&w, ",\"evidence\":[");
      for (size_t e = 0; e < l->nevidence; e++) {
        const sv4_evidence *v = &l->evidence[e];
        if (e)
          W_LIT(&w, ",{\"start\":");
        else
          W_LIT(&w, "{\"start\":");
        w_u(&w, v->start);
        W_LIT(&w, ",\"end\":");
        w_u(&w, v->end);
        W_LIT(&w, ",\"match\":");
        w_str(&w, v->match, v->match_len);
        W_LIT(&w, ",\"rule\":");
        w_str(&w, v->rule, v->rule_len);
        W_LIT(&w, "}");
      }
      W_LIT(&w, "]");
    }
    W_LIT(&w, "}");
  }
  W_LIT(&w, "],\"version\":");
  w_str(&w, r->version ? r->version : "", vlen);
  W_LIT(&w, "}");
  size_t n = (size_t)(w.p - block);
  if (in_place) {
    out->len += n;
    out->data[out->len] = '\0';
    return SV4_OK;
  }
  sv4_rc rc = sv4_buf_append(out, block, n);
  free(block);
  return rc;
}

/* ---- JSON Lines input -------------------------------------------------------------------------------------- */

typedef struct jp {
  const char *s;
  size_t n, i;
  sv4_error *err;
} jp;

static void ws(jp *p) {
  while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\r' || p->s[p->i] == '\n')) p->i++;
}

static sv4_rc jerr(jp *p, const char *what) {
  return sv4_error_set(p->err, SV4_ERR_PARSE, "invalid JSON at column %zu: %s", p->i + 1, what);
}

static int hexv(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int hex4(jp *p, unsigned *v) {
  if (p->i + 4 > p->n) return -1;
  unsigned x = 0;
  for (int k = 0; k < 4; k++) {
    int h = hexv(p->s[p->i + (size_t)k]);
    if (h < 0) return -1;
    x = x * 16 + (unsigned)h;
  }
  p->i += 4;
  *v = x;
  return 0;
}

/* The first byte below 0x20 in [c, end), or end: eight bytes at a time while none is there ((v - 0x20...) & ~v has
 * the high bit set in every byte below 0x20, and no false negatives; the bytes are then looked at one by one). */
static const char *first_control(const char *c, const char *end) {
  const uint64_t lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
  for (; end - c >= 8; c += 8) {
    uint64_t v;
    memcpy(&v, c, 8);
    if ((v - lo * 0x20) & ~v & hi) break;
  }
  while (c < end && (unsigned char)*c >= 0x20) c++;
  return c;
}

/* Parses a string at p->i (on the opening quote). When it has no escapes, *out points into the line; otherwise
 * it is decoded into dst (appended) and *out set after the caller's buffer is stable — via *off. */
static sv4_rc parse_string(jp *p, sv4_buf *dst, const char **out, size_t *len, size_t *off, int *in_dst) {
  p->i++;
  size_t start = p->i;
  /* Fast path: find the closing quote or a backslash. */
  while (p->i < p->n) {
    const char *q = memchr(p->s + p->i, '"', p->n - p->i);
    const char *bs = memchr(p->s + p->i, '\\', (q ? (size_t)(q - p->s) : p->n) - p->i);
    if (!q) return jerr(p, "unterminated string");
    if (!bs) {
      const char *c = first_control(p->s + p->i, q);
      if (c < q) {
        p->i = (size_t)(c - p->s);
        return jerr(p, "control character in string");
      }
      *out = p->s + start;
      *len = (size_t)(q - p->s) - start;
      *in_dst = 0;
      p->i = (size_t)(q - p->s) + 1;
      return SV4_OK;
    }
    break;
  }
  /* Slow path with escapes. */
  *off = dst->len;
  *in_dst = 1;
  p->i = start;
  sv4_rc rc = SV4_OK;
  while (p->i < p->n) {
    char c = p->s[p->i];
    if (c == '"') {
      p->i++;
      *len = dst->len - *off;
      return SV4_OK;
    }
    if ((unsigned char)c < 0x20) return jerr(p, "control character in string");
    if (c != '\\') {
      size_t e = p->i;
      while (e < p->n && p->s[e] != '"' && p->s[e] != '\\' && (unsigned char)p->s[e] >= 0x20) e++;
      if ((rc = sv4_buf_append(dst, p->s + p->i, e - p->i))) return rc;
      p->i = e;
      continue;
    }
    p->i++;
    if (p->i >= p->n) break;
    char e = p->s[p->i++];
    char ch;
    switch (e) {
      case '"': ch = '"'; break;
      case '\\': ch = '\\'; break;
      case '/': ch = '/'; break;
      case 'b': ch = '\b'; break;
      case 'f': ch = '\f'; break;
      case 'n': ch = '\n'; break;
      case 'r': ch = '\r'; break;
      case 't': ch = '\t'; break;
      case 'u': {
        unsigned cp;
        if (hex4(p, &cp)) return jerr(p, "bad \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned lo;
          if (p->i + 2 > p->n || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u') return jerr(p, "lone surrogate");
          p->i += 2;
          if (hex4(p, &lo) || lo < 0xDC00 || lo > 0xDFFF) return jerr(p, "bad surrogate pair");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return jerr(p, "lone surrogate");
        }
        if (cp == 0) return jerr(p, "NUL character in string");
        char u[4];
        size_t k;
        if (cp < 0x80) { u[0] = (char)cp; k = 1; }
        else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); k = 2; }
        else if (cp < 0x10000) {
          u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[2] = (char)(0x80 | (cp & 0x3F)); k = 3;
        } else {
          u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
          u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); k = 4;
        }
        if ((rc = sv4_buf_append(dst, u, k))) return rc;
        continue;
      }
      default:
        return jerr(p, "bad escape");
    }
    if ((rc = sv4_buf_putc(dst, ch))) return rc;
  }
  return jerr(p, "unterminated string");
}

/* Skips any JSON value (validating it), depth-limited. */
static sv4_rc skip_value(jp *p, sv4_buf *scratch, int depth) {
  ws(p);
  if (p->i >= p->n) return jerr(p, "value expected");
  if (depth > (int)SV4_MAX_JSON_DEPTH) return sv4_error_set(p->err, SV4_ERR_LIMIT, "JSON nested too deeply");
  char c = p->s[p->i];
  if (c == '"') {
    const char *o;
    size_t l, off;
    int in;
    size_t mark = scratch->len;
    sv4_rc rc = parse_string(p, scratch, &o, &l, &off, &in);
    scratch->len = mark;
    if (scratch->data) scratch->data[mark] = 0;
    return rc;
  }
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    p->i++;
    ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
      p->i++;
      return SV4_OK;
    }
    for (;;) {
      sv4_rc rc;
      if (c == '{') {
        ws(p);
        if (p->i >= p->n || p->s[p->i] != '"') return jerr(p, "member name expected");
        if ((rc = skip_value(p, scratch, depth + 1))) return rc;
        ws(p);
        if (p->i >= p->n || p->s[p->i] != ':') return jerr(p, "':' expected");
        p->i++;
      }
      if ((rc = skip_value(p, scratch, depth + 1))) return rc;
      ws(p);
      if (p->i < p->n && p->s[p->i] == ',') {
        p->i++;
        continue;
      }
      if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return SV4_OK;
      }
      return jerr(p, "',' or end expected");
    }
  }
  const char *lits[] = {"true", "false", "null"};
  for (int k = 0; k < 3; k++) {
    size_t l = strlen(lits[k]);
    if (p->i + l <= p->n && !memcmp(p->s + p->i, lits[k], l)) {
      p->i += l;
      return SV4_OK;
    }
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    size_t s0 = p->i;
    if (p->s[p->i] == '-') p->i++;
    size_t d = p->i;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
    if (p->i == d) return jerr(p, "bad number");
    if (p->i < p->n && p->s[p->i] == '.') {
      p->i++;
      d = p->i;
      while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
      if (p->i == d) return jerr(p, "bad number");
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
      p->i++;
      if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-')) p->i++;
      d = p->i;
      while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
      if (p->i == d) return jerr(p, "bad number");
    }
    (void)s0;
    return SV4_OK;
  }
  return jerr(p, "unexpected character");
}

sv4_rc sv4_jsonl_parse(const char *line, size_t len, sv4_buf *scratch, sv4_jsonl_rec *rec, sv4_error *err) {
  jp p = {line, len, 0, err};
  memset(rec, 0, sizeof *rec);
  sv4_buf_reset(scratch);
  if (len > SV4_MAX_JSONL_LINE_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "line of %zu bytes exceeds the limit of %u bytes", len,
                         (unsigned)SV4_MAX_JSONL_LINE_BYTES);
  /* Decoded strings live in scratch; offsets are resolved at the end because scratch may move. */
  size_t off[3] = {0, 0, 0};
  int in[3] = {0, 0, 0}, have[3] = {0, 0, 0};
  const char *ptr[3] = {NULL, NULL, NULL};
  size_t ln[3] = {0, 0, 0};
  ws(&p);
  if (p.i >= p.n || line[p.i] != '{') return jerr(&p, "an object expected");
  p.i++;
  ws(&p);
  if (p.i < p.n && line[p.i] == '}') {
    p.i++;
  } else {
    for (;;) {
      ws(&p);
      if (p.i >= p.n || line[p.i] != '"') return jerr(&p, "member name expected");
      const char *key;
      size_t klen, koff;
      int kin;
      size_t mark = scratch->len;
      sv4_rc rc = parse_string(&p, scratch, &key, &klen, &koff, &kin);
      if (rc) return rc;
      char kbuf[8] = {0};
      if (klen < sizeof kbuf) memcpy(kbuf, kin ? scratch->data + koff : key, klen);
      scratch->len = mark;
      ws(&p);
      if (p.i >= p.n || line[p.i] != ':') return jerr(&p, "':' expected");
      p.i++;
      ws(&p);
      int which = klen >= sizeof kbuf ? -1 : !strcmp(kbuf, "id") ? 0 : !strcmp(kbuf, "text") ? 1 : !strcmp(kbuf, "lang") ? 2 : -1;
      if (which >= 0 && p.i < p.n && line[p.i] == '"') {
        rc = parse_string(&p, scratch, &ptr[which], &ln[which], &off[which], &in[which]);
        if (rc) return rc;
        have[which] = 1;
      } else if (which == 0 && p.i < p.n && (line[p.i] == '-' || (line[p.i] >= '0' && line[p.i] <= '9'))) {
        size_t s0 = p.i;
        if ((rc = skip_value(&p, scratch, 1))) return rc;
        ptr[0] = line + s0;
        ln[0] = p.i - s0;
        in[0] = 0;
        have[0] = 1;
      } else if (which == 1 || (which == 2 && !(p.i + 4 <= p.n && !memcmp(line + p.i, "null", 4)))) {
        return jerr(&p, which == 1 ? "\"text\" must be a string" : "\"lang\" must be a string");
      } else {
        if ((rc = skip_value(&p, scratch, 1))) return rc;
      }
      ws(&p);
      if (p.i < p.n && line[p.i] == ',') {
        p.i++;
        continue;
      }
      if (p.i < p.n && line[p.i] == '}') {
        p.i++;
        break;
      }
      return jerr(&p, "',' or '}' expected");
    }
  }
  ws(&p);
  if (p.i != p.n) return jerr(&p, "trailing characters after the object");
  for (int k = 0; k < 3; k++)
    if (have[k] && in[k]) ptr[k] = scratch->data + off[k];
  rec->id = ptr[0];
  rec->id_len = ln[0];
  rec->id_present = have[0];
  if (!have[1]) return sv4_error_set(err, SV4_ERR_PARSE, "missing \"text\"");
  rec->text = ptr[1];
  rec->text_len = ln[1];
  rec->lang = ptr[2];
  rec->lang_len = ln[2];
  return SV4_OK;
}
