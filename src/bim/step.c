/* step.c — ISO 10303-21 reader: maps the file, indexes every entity instance in one pass (id → offset, type),
 * reads the HEADER section. Decoding of entities lives in step_decode.c. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bim/internal.h"
#include "sv4/limits.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Byte classes for the body scan: 0 ordinary, 1 quote, 2 semicolon, 3 slash (maybe a comment). */
static const unsigned char body_class[256] = {['\''] = 1, [';'] = 2, ['/'] = 3};

/* Characters of keywords and type names: A-Z a-z 0-9 _ - */
static const unsigned char kw_tab[256] = {
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
    ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['_'] = 1, ['-'] = 1};

/* First byte in [p, end) that is a quote, ';' or '/', or end. */
static const char *scan_special(const char *p, const char *end) {
#if defined(__SSE2__)
  const __m128i q = _mm_set1_epi8('\''), sc = _mm_set1_epi8(';'), sl = _mm_set1_epi8('/');
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, sc)), _mm_cmpeq_epi8(v, sl));
    int mask = _mm_movemask_epi8(hit);
    if (mask) return p + __builtin_ctz((unsigned)mask);
    p += 16;
  }
#endif
  while (p < end && !body_class[(unsigned char)*p]) p++;
  return p;
}

static int is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
static int is_kw(unsigned char c) { return kw_tab[c]; }

const char *sv4__step_skip(const char *p, const char *end) {
  for (;;) {
    while (p < end && is_blank((unsigned char)*p)) p++;
    if (p + 1 < end && p[0] == '/' && p[1] == '*') {
      const char *q = p + 2;
      for (;;) {
        q = memchr(q, '*', (size_t)(end - q));
        if (!q || q + 1 >= end) return end;
        if (q[1] == '/') break;
        q++;
      }
      p = q + 2;
      continue;
    }
    return p;
  }
}

size_t sv4__step_line_at(const sv4_step *s, size_t off) {
  size_t line = 1;
  const char *p = s->data, *end = s->data + (off < s->len ? off : s->len);
  while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
    line++;
    p++;
  }
  return line;
}

#define FAIL(rc_, at_, id_, ...)                                                                              \
  do {                                                                                                      \
    size_t line_ = sv4__step_line_at(s, (size_t)((at_)-s->data));                                           \
    char what_[256];                                                                                        \
    snprintf(what_, sizeof what_, __VA_ARGS__);                                                             \
    if (id_)                                                                                                \
      rc = sv4_error_set(err, rc_, "%s:%zu: entity #%llu: %s", s->name, line_, (unsigned long long)(id_),  \
                         what_);                                                                            \
    else                                                                                                    \
      rc = sv4_error_set(err, rc_, "%s:%zu: %s", s->name, line_, what_);                                   \
    goto done;                                                                                              \
  } while (0)

/* ---- type table ---- */
/* Hash of a type name: its length and its first and last 8 bytes are distinctive enough for ~1000 IFC types. */
static uint32_t name_hash(const char *p, size_t n) {
  uint64_t a = 0, b = 0;
  if (n >= 8) {
    memcpy(&a, p, 8);
    memcpy(&b, p + n - 8, 8);
  } else {
    memcpy(&a, p, n);
  }
  uint64_t h = (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xC2B2AE3D27D4EB4FULL) ^ (uint64_t)n;
  return (uint32_t)(h ^ (h >> 29));
}

static sv4_rc type_grow(sv4_step *s) {
  size_t cap = s->type_hash_cap ? s->type_hash_cap * 2 : 1024;
  uint32_t *h = calloc(cap, sizeof *h);
  if (!h) return SV4_ERR_NOMEM;
  for (size_t t = 0; t < s->ntypes; t++) {
    size_t j = name_hash(s->type_names[t], s->type_lens[t]) & (cap - 1);
    while (h[j]) j = (j + 1) & (cap - 1);
    h[j] = (uint32_t)t + 1;
  }
  free(s->type_hash);
  s->type_hash = h;
  s->type_hash_cap = cap;
  return SV4_OK;
}

/* Interns the type name p[0..n) (already upper case in valid files; compared as written). */
static sv4_rc type_intern(sv4_step *s, const char *p, size_t n, uint32_t *out) {
  if ((s->ntypes + 1) * 2 > s->type_hash_cap && type_grow(s)) return SV4_ERR_NOMEM;
  size_t mask = s->type_hash_cap - 1, j = name_hash(p, n) & mask;
  while (s->type_hash[j]) {
    uint32_t t = s->type_hash[j] - 1;
    if (s->type_lens[t] == n && !memcmp(s->type_names[t], p, n)) {
      *out = t;
      return SV4_OK;
    }
    j = (j + 1) & mask;
  }
  if (s->ntypes == s->types_cap) {
    size_t cap = s->types_cap ? s->types_cap * 2 : 256;
    char **nm = realloc(s->type_names, cap * sizeof *nm);
    if (!nm) return SV4_ERR_NOMEM;
    s->type_names = nm;
    uint32_t *ln = realloc(s->type_lens, cap * sizeof *ln);
    if (!ln) return SV4_ERR_NOMEM;
    s->type_lens = ln;
    size_t *ct = realloc(s->type_counts, cap * sizeof *ct);
    if (!ct) return SV4_ERR_NOMEM;
    s->type_counts = ct;
    s->types_cap = cap;
  }
  char *name = sv4_arena_strndup(s->arena, p, n);
  if (!name) return SV4_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    if (name[i] >= 'a' && name[i] <= 'z') name[i] = (char)(name[i] - 'a' + 'A');
  uint32_t t = (uint32_t)s->ntypes++;
  s->type_names[t] = name;
  s->type_lens[t] = (uint32_t)n;
  s->type_counts[t] = 0;
  s->type_hash[j] = t + 1;
  *out = t;
  return SV4_OK;
}

/* ---- header ---- */
static const char *hstr(const sv4_step_value *v) {
  if (v && v->kind == SV4_STEP_LIST) v = v->n ? &v->items[0] : NULL;
  const char *r = sv4_step_str(v, "");
  return r;
}

static void read_header_entity(sv4_step *s, const sv4_step_entity *e) {
  if (!strcmp(e->type, "FILE_SCHEMA")) {
    s->hdr.schema = hstr(sv4_step_arg(e, 0));
  } else if (!strcmp(e->type, "FILE_NAME")) {
    s->hdr.file_name = hstr(sv4_step_arg(e, 0));
    s->hdr.time_stamp = hstr(sv4_step_arg(e, 1));
    s->hdr.preprocessor = hstr(sv4_step_arg(e, 4));
    s->hdr.originating_system = hstr(sv4_step_arg(e, 5));
  } else if (!strcmp(e->type, "FILE_DESCRIPTION")) {
    const sv4_step_value *d = sv4_step_arg(e, 0);
    const char *first = hstr(d);
    s->hdr.view_definition = first;
    /* "ViewDefinition [CoordinationView_V2.0, QuantityTakeOffAddOnView]" → "CoordinationView_V2.0, ..." */
    const char *lb = strchr(first, '[');
    if (lb && !strncmp(first, "ViewDefinition", 14)) {
      const char *rb = strchr(lb, ']'), *b = lb + 1;
      size_t n = rb ? (size_t)(rb - b) : strlen(b);
      while (n && (*b == ',' || *b == ' ')) b++, n--; /* ArchiCAD writes "[, QuantityTakeOffAddOnView]" */
      const char *v = sv4_arena_strndup(s->arena, b, n);
      if (v) s->hdr.view_definition = v;
    }
  }
}

/* ---- big arrays: anonymous mappings (huge pages where the kernel allows), untouched pages cost nothing ---- */
static void *big_alloc(size_t bytes) {
  if (!bytes) bytes = 1;
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
  if (bytes >= (2u << 20)) madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

static void big_free(void *p, size_t bytes) {
  if (p) munmap(p, bytes ? bytes : 1);
}

/* ---- the index pass ---- */
static sv4_rc push_rec(sv4_step *s, uint32_t id, uint32_t type, uint64_t off) {
  if (s->n == s->cap) return SV4_ERR_NOMEM; /* cannot happen: cap bounds the entities that fit in the file */
  s->recs[s->n].id = id;
  s->recs[s->n].type = type;
  s->recs[s->n].off = off;
  s->n++;
  return SV4_OK;
}

static int cmp_by_id(const void *a, const void *b, void *ctx) {
  const sv4__step_rec *r = ctx;
  uint32_t x = r[*(const uint32_t *)a].id, y = r[*(const uint32_t *)b].id;
  return x < y ? -1 : x > y;
}

static sv4_rc build_lookup(sv4_step *s, sv4_error *err) {
  uint32_t max = 0;
  for (size_t i = 0; i < s->n; i++)
    if (s->recs[i].id > max) max = s->recs[i].id;
  if ((size_t)max <= s->n * 4 + 1024) {
    s->dense_n = (size_t)max + 1;
    s->dense = big_alloc(s->dense_n * sizeof *s->dense);
    if (!s->dense) return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory for the index", s->name);
    for (size_t i = 0; i < s->n; i++) {
      uint32_t id = s->recs[i].id;
      if (s->dense[id]) {
        size_t line = sv4__step_line_at(s, (size_t)s->recs[i].off);
        return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: entity #%u: id defined twice", s->name, line, id);
      }
      s->dense[id] = (uint32_t)i + 1;
    }
    return SV4_OK;
  }
  s->by_id = malloc((s->n ? s->n : 1) * sizeof *s->by_id);
  if (!s->by_id) return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory for the index", s->name);
  for (size_t i = 0; i < s->n; i++) s->by_id[i] = (uint32_t)i;
  qsort_r(s->by_id, s->n, sizeof *s->by_id, cmp_by_id, s->recs);
  for (size_t i = 1; i < s->n; i++)
    if (s->recs[s->by_id[i]].id == s->recs[s->by_id[i - 1]].id) {
      size_t line = sv4__step_line_at(s, (size_t)s->recs[s->by_id[i]].off);
      return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: entity #%u: id defined twice", s->name, line,
                           s->recs[s->by_id[i]].id);
    }
  return SV4_OK;
}

size_t sv4__step_find(const sv4_step *s, uint64_t id) {
  if (s->dense) return id < s->dense_n && s->dense[id] ? s->dense[id] - 1 : SIZE_MAX;
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uint32_t v = s->recs[s->by_id[mid]].id;
    if (v == id) return s->by_id[mid];
    if (v < id) lo = mid + 1;
    else hi = mid;
  }
  return SIZE_MAX;
}

/* Reads a keyword at p; returns its end. */
static const char *keyword(const char *p, const char *end) {
  while (p < end && is_kw((unsigned char)*p)) p++;
  return p;
}

static int kw_is(const char *p, const char *q, const char *w) {
  size_t n = strlen(w);
  return (size_t)(q - p) == n && !memcmp(p, w, n);
}

static sv4_rc index_file(sv4_step *s, sv4_error *err) {
  sv4_rc rc = SV4_OK;
  /* the shortest instance "#1=A();" takes 7 bytes: the file cannot hold more than len/7 of them */
  s->cap = s->len / 7 + 1;
  if (s->cap > SV4_MAX_STEP_ENTITIES + 1) s->cap = SV4_MAX_STEP_ENTITIES + 1;
  s->recs = big_alloc(s->cap * sizeof *s->recs);
  if (!s->recs) {
    s->cap = 0;
    return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory for the index", s->name);
  }
  const char *p = s->data, *end = s->data + s->len, *q;
  p = sv4__step_skip(p, end);
  q = keyword(p, end);
  if (!kw_is(p, q, "ISO-10303-21")) {
    rc = sv4_error_set(err, SV4_ERR_FORMAT, "%s: not a STEP file (no ISO-10303-21 at the start)", s->name);
    goto done;
  }
  p = sv4__step_skip(q, end);
  if (p >= end || *p != ';') FAIL(SV4_ERR_PARSE, p, 0, "expected ';' after ISO-10303-21");
  p = sv4__step_skip(p + 1, end);
  q = keyword(p, end);
  if (!kw_is(p, q, "HEADER")) FAIL(SV4_ERR_PARSE, p, 0, "expected HEADER section");
  p = sv4__step_skip(q, end);
  if (p >= end || *p != ';') FAIL(SV4_ERR_PARSE, p, 0, "expected ';' after HEADER");
  p++;
  /* header entities until ENDSEC */
  for (;;) {
    p = sv4__step_skip(p, end);
    if (p >= end) FAIL(SV4_ERR_PARSE, p, 0, "file truncated in the HEADER section (no ENDSEC)");
    q = keyword(p, end);
    if (q == p) FAIL(SV4_ERR_PARSE, p, 0, "unexpected '%c' in the HEADER section", *p);
    if (kw_is(p, q, "ENDSEC")) {
      p = sv4__step_skip(q, end);
      if (p >= end || *p != ';') FAIL(SV4_ERR_PARSE, p, 0, "expected ';' after ENDSEC");
      p++;
      break;
    }
    sv4_step_entity *e = sv4_arena_alloc(s->arena, sizeof *e);
    if (!e) FAIL(SV4_ERR_NOMEM, p, 0, "out of memory");
    const char *after = NULL;
    rc = sv4__step_decode_at(s, p, 0, NULL, e, &after, err);
    if (rc) goto done;
    read_header_entity(s, e);
    p = after;
  }
  /* DATA sections */
  int data_seen = 0;
  for (;;) {
    p = sv4__step_skip(p, end);
    if (p >= end) {
      if (!data_seen) FAIL(SV4_ERR_PARSE, p, 0, "file truncated: no DATA section");
      FAIL(SV4_ERR_PARSE, p, 0, "file truncated: no END-ISO-10303-21");
    }
    q = keyword(p, end);
    if (kw_is(p, q, "END-ISO-10303-21")) break;
    if (!kw_is(p, q, "DATA")) FAIL(SV4_ERR_PARSE, p, 0, "expected DATA section");
    data_seen = 1;
    const char *kw = p;
    p = sv4__step_skip(q, end);
    if (p < end && *p == '(') { /* DATA('name',(schema)); of edition 3: read and skip the parameters */
      sv4_step_entity tmp;
      const char *after = NULL;
      rc = sv4__step_decode_at(s, kw, 0, NULL, &tmp, &after, err);
      if (rc) goto done;
      p = after;
    } else {
      if (p >= end || *p != ';') FAIL(SV4_ERR_PARSE, p, 0, "expected ';' after DATA");
      p++;
    }
    for (;;) {
      p = sv4__step_skip(p, end);
      if (p >= end) FAIL(SV4_ERR_PARSE, p, 0, "file truncated in the DATA section (no ENDSEC) after %zu entities", s->n);
      if (*p != '#') {
        q = keyword(p, end);
        if (kw_is(p, q, "ENDSEC")) {
          p = sv4__step_skip(q, end);
          if (p >= end || *p != ';') FAIL(SV4_ERR_PARSE, p, 0, "expected ';' after ENDSEC");
          p++;
          break;
        }
        FAIL(SV4_ERR_PARSE, p, 0, "expected '#' starting an entity instance, found '%c'", *p);
      }
      const char *start = p++;
      uint64_t id = 0;
      const char *d = p;
      while (p < end && *p >= '0' && *p <= '9') {
        id = id * 10 + (uint64_t)(*p - '0');
        if (id > UINT32_MAX - 1) FAIL(SV4_ERR_LIMIT, start, 0, "entity id too large (limit 4294967294)");
        p++;
      }
      if (p == d || id == 0) FAIL(SV4_ERR_PARSE, start, 0, "expected an entity id after '#'");
      p = sv4__step_skip(p, end);
      if (p >= end || *p != '=') FAIL(SV4_ERR_PARSE, p, id, "expected '=' after the id");
      p = sv4__step_skip(p + 1, end);
      uint32_t type;
      if (p < end && *p == '(') {
        rc = type_intern(s, "", 0, &type);
      } else {
        q = keyword(p, end);
        if (q == p) FAIL(SV4_ERR_PARSE, p, id, "expected an entity type name");
        rc = type_intern(s, p, (size_t)(q - p), &type);
        p = q;
      }
      if (rc) FAIL(rc, p, id, "out of memory");
      /* scan to the terminating ';' outside strings and comments */
      for (;;) {
        p = scan_special(p, end);
        if (p >= end) FAIL(SV4_ERR_PARSE, start, id, "file truncated inside this entity (no ';')");
        unsigned char c = body_class[(unsigned char)*p];
        if (c == 2) {
          p++;
          break;
        }
        if (c == 1) {
          const char *str = p;
          p++;
          for (;;) {
            const char *qq = memchr(p, '\'', (size_t)(end - p));
            if (!qq) FAIL(SV4_ERR_PARSE, str, id, "unterminated string");
            if (qq + 1 < end && qq[1] == '\'') {
              p = qq + 2;
              continue;
            }
            p = qq + 1;
            break;
          }
          if ((size_t)(p - str) > SV4_MAX_STEP_STRING_BYTES + 2)
            FAIL(SV4_ERR_LIMIT, str, id, "string longer than %u bytes", SV4_MAX_STEP_STRING_BYTES);
          continue;
        }
        /* '/' : a comment starts only with a following '*' */
        if (p + 1 < end && p[1] == '*') {
          const char *cm = p;
          p = sv4__step_skip(p, end);
          if (p >= end) FAIL(SV4_ERR_PARSE, cm, id, "unterminated comment");
        } else {
          p++;
        }
      }
      if (s->n >= SV4_MAX_STEP_ENTITIES)
        FAIL(SV4_ERR_LIMIT, start, id, "more than %u entities", SV4_MAX_STEP_ENTITIES);
      if (push_rec(s, (uint32_t)id, type, (uint64_t)(start - s->data))) FAIL(SV4_ERR_NOMEM, start, id, "out of memory");
      s->type_counts[type]++;
    }
  }
  rc = build_lookup(s, err);
done:
  return rc;
}

static sv4_step *step_new(const char *name) {
  sv4_step *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->arena = sv4_arena_new(1 << 16);
  if (!s->arena) {
    free(s);
    return NULL;
  }
  snprintf(s->name, sizeof s->name, "%s", name ? name : "(memory)");
  s->hdr.schema = s->hdr.file_name = s->hdr.time_stamp = s->hdr.preprocessor = "";
  s->hdr.originating_system = s->hdr.view_definition = "";
  for (size_t i = 0; i < sizeof s->cd / sizeof s->cd[0]; i++) s->cd[i] = (iconv_t)-1;
  return s;
}

sv4_rc sv4_step_open_mem(const char *data, size_t len, const char *name, sv4_step **out, sv4_error *err) {
  *out = NULL;
  if (len > SV4_MAX_STEP_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "%s: %zu bytes exceeds the limit", name ? name : "(memory)", len);
  sv4_step *s = step_new(name);
  if (!s) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  s->data = data;
  s->len = len;
  sv4_rc rc = index_file(s, err);
  if (rc) {
    sv4_step_close(s);
    return rc;
  }
  *out = s;
  return SV4_OK;
}

sv4_rc sv4_step_open(const char *path, sv4_step **out, sv4_error *err) {
  *out = NULL;
  sv4_step *s = NULL;
  sv4_rc rc = SV4_OK;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return sv4_error_set(err, errno == ENOENT ? SV4_ERR_NOTFOUND : SV4_ERR_IO, "%s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    rc = sv4_error_set(err, SV4_ERR_IO, "%s: not a regular file", path);
    goto done;
  }
  if ((unsigned long long)st.st_size > SV4_MAX_STEP_BYTES) {
    rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: %lld bytes exceeds the limit of %llu bytes", path,
                       (long long)st.st_size, (unsigned long long)SV4_MAX_STEP_BYTES);
    goto done;
  }
  if (st.st_size == 0) {
    rc = sv4_error_set(err, SV4_ERR_FORMAT, "%s: empty file, not a STEP file", path);
    goto done;
  }
  s = step_new(path);
  if (!s) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (m == MAP_FAILED) {
    rc = sv4_error_set(err, SV4_ERR_IO, "%s: mmap: %s", path, strerror(errno));
    goto done;
  }
  madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
  s->data = m;
  s->len = (size_t)st.st_size;
  s->mapped = 1;
  rc = index_file(s, err);
  if (rc) goto done;
  madvise(m, (size_t)st.st_size, MADV_RANDOM);
  *out = s;
  s = NULL;
done:
  sv4_step_close(s);
  close(fd);
  return rc;
}

void sv4_step_close(sv4_step *s) {
  if (!s) return;
  if (s->mapped && s->data) munmap((void *)(uintptr_t)s->data, s->len);
  for (size_t i = 0; i < sizeof s->cd / sizeof s->cd[0]; i++)
    if (s->cd[i] != (iconv_t)-1) iconv_close(s->cd[i]);
  big_free(s->recs, s->cap * sizeof *s->recs);
  big_free(s->dense, s->dense_n * sizeof *s->dense);
  free(s->by_id);
  free(s->cache);
  free(s->type_names);
  free(s->type_lens);
  free(s->type_counts);
  free(s->type_hash);
  free(s->stack);
  sv4_arena_free(s->arena);
  free(s);
}

const sv4_step_header *sv4_step_header_of(const sv4_step *s) { return &s->hdr; }
size_t sv4_step_count(const sv4_step *s) { return s->n; }
size_t sv4_step_size(const sv4_step *s) { return s->len; }
uint64_t sv4_step_id_at(const sv4_step *s, size_t i) { return i < s->n ? s->recs[i].id : 0; }
const char *sv4_step_type_at(const sv4_step *s, size_t i) { return i < s->n ? s->type_names[s->recs[i].type] : NULL; }

const char *sv4_step_type_of(const sv4_step *s, uint64_t id) {
  size_t i = sv4__step_find(s, id);
  return i == SIZE_MAX ? NULL : s->type_names[s->recs[i].type];
}

size_t sv4_step_type_count(const sv4_step *s) { return s->ntypes; }
const char *sv4_step_type_name(const sv4_step *s, size_t t) { return t < s->ntypes ? s->type_names[t] : NULL; }
size_t sv4_step_type_instances(const sv4_step *s, size_t t) { return t < s->ntypes ? s->type_counts[t] : 0; }

size_t sv4_step_line_of(const sv4_step *s, uint64_t id) {
  size_t i = sv4__step_find(s, id);
  return i == SIZE_MAX ? 0 : sv4__step_line_at(s, (size_t)s->recs[i].off);
}

sv4_rc sv4_step_get(sv4_step *s, uint64_t id, const sv4_step_entity **out, sv4_error *err) {
  *out = NULL;
  size_t i = sv4__step_find(s, id);
  if (i == SIZE_MAX) return sv4_error_set(err, SV4_ERR_NOTFOUND, "%s: no entity #%llu", s->name, (unsigned long long)id);
  if (!s->cache) {
    s->cache = calloc(s->n, sizeof *s->cache);
    if (!s->cache) return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", s->name);
  }
  if (s->cache[i]) {
    *out = s->cache[i];
    return SV4_OK;
  }
  const char *p = s->data + s->recs[i].off, *end = s->data + s->len;
  p++;
  while (p < end && *p >= '0' && *p <= '9') p++;
  p = sv4__step_skip(p, end);
  p = sv4__step_skip(p + 1, end); /* '=' checked by the index pass */
  sv4_step_entity *e = sv4_arena_alloc(s->arena, sizeof *e);
  if (!e) return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", s->name);
  sv4_rc rc = sv4__step_decode_at(s, p, id, s->type_names[s->recs[i].type], e, NULL, err);
  if (rc) return rc;
  e->id = id;
  s->cache[i] = e;
  *out = e;
  return SV4_OK;
}

/* ---- value helpers ---- */
const sv4_step_value *sv4_step_arg(const sv4_step_entity *e, uint32_t i) {
  return e && i < e->nargs ? &e->args[i] : NULL;
}

static const sv4_step_value *untype(const sv4_step_value *v) {
  while (v && v->kind == SV4_STEP_TYPED) v = v->n ? &v->items[0] : NULL;
  return v;
}

double sv4_step_num(const sv4_step_value *v, double fallback) {
  v = untype(v);
  if (!v) return fallback;
  if (v->kind == SV4_STEP_REAL) return v->u.r;
  if (v->kind == SV4_STEP_INT) return (double)v->u.i;
  return fallback;
}

const char *sv4_step_str(const sv4_step_value *v, const char *fallback) {
  v = untype(v);
  if (v && (v->kind == SV4_STEP_STRING || v->kind == SV4_STEP_ENUM)) return v->u.s;
  return fallback;
}

uint64_t sv4_step_ref(const sv4_step_value *v) { return v && v->kind == SV4_STEP_REF ? v->u.ref : 0; }

int sv4_step_bool(const sv4_step_value *v) {
  v = untype(v);
  if (!v || v->kind != SV4_STEP_ENUM) return -1;
  if (!strcmp(v->u.s, "T") || !strcmp(v->u.s, "TRUE")) return 1;
  if (!strcmp(v->u.s, "F") || !strcmp(v->u.s, "FALSE")) return 0;
  return -1;
}
