/* cache.c — the classifier cache: one file holding everything a cached start needs (the parsed rule tables, the
 * literal table and the serialised vectorscan database), so that a start with an unchanged rule set reads the rule
 * files only to hash them. The file name carries the key (hash of every rule file's name and content, the
 * taxonomy files, the engine and vectorscan versions and the CPU features); the key is also stored inside and
 * checked, and every read is bounds-checked: a damaged file is ignored (the rules are then parsed and compiled).
 * A loaded classifier uses the file in place: its strings are stored NUL-terminated and its arrays aligned, so
 * the rule and literal tables point into the mapping instead of being copied piece by piece (tens of thousands
 * of small allocations, and as many frees at the end, were most of a cached start). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify/internal.h"

#define MAGIC "SV4CACHE5"

/* ---- writing ------------------------------------------------------------------------------------------------ */
typedef struct wbuf {
  char *p;
  size_t n, cap;
  int bad;
} wbuf;

static void put(wbuf *b, const void *d, size_t n) {
  if (b->bad || !n) return;
  if (b->n + n > b->cap) {
    size_t c = b->cap ? b->cap * 2 : 1 << 20;
    while (c < b->n + n) c *= 2;
    char *q = realloc(b->p, c);
    if (!q) {
      b->bad = 1;
      return;
    }
    b->p = q;
    b->cap = c;
  }
  memcpy(b->p + b->n, d, n);
  b->n += n;
}
static void put32(wbuf *b, uint32_t v) { put(b, &v, 4); }
/* Pads to a multiple of 8 bytes from the start of the file: an array written next can be used in place from the
 * mapping (which starts on a page). */
static void put_align(wbuf *b) {
  static const char zero[8];
  put(b, zero, (8 - b->n % 8) % 8);
}
static void put64(wbuf *b, uint64_t v) { put(b, &v, 8); }
static void putd(wbuf *b, double v) { put(b, &v, 8); }
static void puts_(wbuf *b, const char *s) {
  if (!s) {
    put32(b, UINT32_MAX);
    return;
  }
  uint32_t n = (uint32_t)strlen(s);
  put32(b, n);
  put(b, s, (size_t)n + 1); /* with its NUL: used in place */
}
static uint32_t file_index(const sv4_rules *r, const char *f) {
  for (size_t i = 0; i < r->nfiles; i++)
    if (r->files[i] == f) return (uint32_t)i;
  return UINT32_MAX;
}
static void put_groups(wbuf *b, const sv4__group *g, size_t n) {
  put32(b, (uint32_t)n);
  for (size_t i = 0; i < n; i++) {
    put32(b, (uint32_t)(int32_t)g[i].window);
    put32(b, (uint32_t)g[i].n);
    put_align(b);
    put(b, g[i].pats, g[i].n * sizeof *g[i].pats);
  }
}

void sv4__cache_save(const sv4_classifier *c, const char *path, uint64_t key) {
  const sv4_rules *r = c->rules;
  const sv4__literals *L = c->lits;
  wbuf b = {0};
  put(&b, MAGIC, sizeof MAGIC);
  put64(&b, key);
  put64(&b, r->hash);
  put32(&b, (uint32_t)r->nfiles);
  for (size_t i = 0; i < r->nfiles; i++) puts_(&b, r->files[i]);
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) puts_(&b, r->version[s]);
  put32(&b, (uint32_t)r->ncodes);
  for (size_t i = 0; i < r->ncodes; i++) {
    put32(&b, (uint32_t)r->codes[i].scheme);
    puts_(&b, r->codes[i].code);
    put32(&b, r->codes[i].label);
    put32(&b, (uint32_t)r->codes[i].is_target);
  }
  put32(&b, (uint32_t)r->npats);
  for (size_t i = 0; i < r->npats; i++) {
    const sv4__pattern *p = &r->pats[i];
    puts_(&b, p->expr);
    uint8_t f[3] = {p->nwords, p->fold, p->langmask};
    put(&b, f, 3);
    put32(&b, p->use0);
    put32(&b, p->nuse);
    put32(&b, file_index(r, p->file));
    put32(&b, (uint32_t)p->line);
  }
  put32(&b, (uint32_t)r->nuses);
  put_align(&b);
  put(&b, r->uses, r->nuses * sizeof *r->uses);
  put32(&b, (uint32_t)r->nrules);
  {
    /* the rules' terms and groups in all: the loader's one block for their pointer arrays */
    size_t nt = 0, ng = 0;
    for (size_t i = 0; i < r->nrules; i++) {
      nt += r->rules[i].nterms;
      ng += r->rules[i].nwith + r->rules[i].nnot;
    }
    put64(&b, nt);
    put64(&b, ng);
  }
  for (size_t i = 0; i < r->nrules; i++) {
    const sv4__rule *u = &r->rules[i];
    puts_(&b, u->id);
    puts_(&b, u->code);
    put32(&b, u->code_id);
    put32(&b, (uint32_t)u->scheme);
    put32(&b, (uint32_t)u->lang);
    putd(&b, u->weight);
    put32(&b, (uint32_t)u->fold);
    put32(&b, file_index(r, u->file));
    put32(&b, (uint32_t)u->line);
    put32(&b, (uint32_t)u->nterms);
    for (size_t k = 0; k < u->nterms; k++) puts_(&b, u->terms[k]);
    put_align(&b);
    put(&b, u->term_pats, u->nterms * sizeof *u->term_pats);
    put_groups(&b, u->with, u->nwith);
    put_groups(&b, u->nots, u->nnot);
  }
  put32(&b, (uint32_t)L->nlit);
  for (size_t i = 0; i < L->nlit; i++) {
    put32(&b, (uint32_t)L->litlen[i]);
    put(&b, L->lit[i], L->litlen[i] + 1);
  }
  put_align(&b);
  put(&b, L->cand0, (L->nlit + 1) * sizeof *L->cand0);
  put_align(&b);
  put(&b, L->cand, r->npats * sizeof *L->cand);
  put_align(&b);
  put(&b, L->tail0, (r->npats + 1) * sizeof *L->tail0);
  put64(&b, L->ntails);
  put(&b, L->tails, L->ntails);
  for (int p = 0; p < SV4__SCAN_KINDS; p++)
    for (int l = 0; l < SV4_LANG_COUNT; l++) {
      char *db = NULL;
      size_t dblen = 0;
      if (c->dbs[p][l] && hs_serialize_database(c->dbs[p][l], &db, &dblen) != HS_SUCCESS) b.bad = 1;
      put64(&b, dblen);
      put(&b, db, dblen);
      free(db);
      /* its scan set: the arrays as they are in memory */
      const sv4__scanset *S = c->dbs[p][l] ? c->sets[p][l] : NULL;
      put64(&b, S ? S->n : 0);
      if (!S) continue;
      put64(&b, S->cand0[S->n]);
      put64(&b, S->nown);
      put64(&b, S->nuses);
      put_align(&b);
      put(&b, S->litlen, S->n * sizeof *S->litlen);
      put_align(&b);
      put(&b, S->cand0, (S->n + 1) * sizeof *S->cand0);
      put_align(&b);
      put(&b, S->cand, S->cand0[S->n] * sizeof *S->cand);
      put_align(&b);
      put(&b, S->own, S->nown);
      put_align(&b);
      put(&b, S->uses, S->nuses * sizeof *S->uses);
    }
  if (!b.bad) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (f) {
      int ok = fwrite(b.p, 1, b.n, f) == b.n;
      ok = (fclose(f) == 0) && ok;
      if (ok) ok = rename(tmp, path) == 0;
      if (!ok) unlink(tmp);
    }
  }
  free(b.p);
}

/* ---- reading ------------------------------------------------------------------------------------------------ */
typedef struct rbuf {
  const char *p;
  size_t n, i;
  int bad;
} rbuf;

static const void *get(rbuf *b, size_t n) {
  if (b->bad || n > b->n - b->i) {
    b->bad = 1;
    return NULL;
  }
  const void *q = b->p + b->i;
  b->i += n;
  return q;
}
static uint32_t get32(rbuf *b) {
  uint32_t v = 0;
  const void *q = get(b, 4);
  if (q) memcpy(&v, q, 4);
  return v;
}
/* Skips the padding put_align wrote. */
static void get_align(rbuf *b) { get(b, (8 - b->i % 8) % 8); }
static uint64_t get64(rbuf *b) {
  uint64_t v = 0;
  const void *q = get(b, 8);
  if (q) memcpy(&v, q, 8);
  return v;
}
static double getd(rbuf *b) {
  double v = 0;
  const void *q = get(b, 8);
  if (q) memcpy(&v, q, 8);
  return v;
}
/* n bytes of an array used in place, aligned as put_align left it. */
static const void *get_array(rbuf *b, size_t n) {
  get_align(b);
  return get(b, n);
}
/* A string used in place: stored with its NUL (NULL for the null string when isnull is given). */
static char *gets_(rbuf *b, int *isnull) {
  uint32_t n = get32(b);
  if (isnull) *isnull = 0;
  if (n == UINT32_MAX && !b->bad) {
    if (isnull)
      *isnull = 1;
    else
      b->bad = 1;
    return NULL;
  }
  const char *q = get(b, (size_t)n + 1);
  if (!q || q[n]) {
    b->bad = 1;
    return NULL;
  }
  return (char *)q; /* the mapping is read-only: nothing writes the rules' strings */
}
/* A count that must be plausible for the remaining bytes (each element at least `min` bytes). */
static size_t getcount(rbuf *b, size_t min) {
  uint32_t n = get32(b);
  if (b->bad || (size_t)n * min > b->n - b->i) {
    b->bad = 1;
    return 0;
  }
  return n;
}
static const char *file_at(rbuf *b, const sv4_rules *r) {
  uint32_t i = get32(b);
  if (i == UINT32_MAX) return NULL;
  if (i >= r->nfiles) {
    b->bad = 1;
    return NULL;
  }
  return r->files[i];
}
/* A rule's groups, into the loader's block (*room of them left at *at). */
static sv4__group *get_groups(rbuf *b, size_t *n, size_t npats, sv4__group **at, size_t *room) {
  *n = getcount(b, 8);
  if (b->bad || !*n) return NULL;
  if (*n > *room) {
    b->bad = 1;
    *n = 0;
    return NULL;
  }
  sv4__group *g = *at;
  *at += *n;
  *room -= *n;
  for (size_t i = 0; i < *n && !b->bad; i++) {
    g[i].window = (int)(int32_t)get32(b);
    g[i].n = getcount(b, 4);
    g[i].pats = (uint32_t *)get_array(b, g[i].n * sizeof *g[i].pats);
    for (size_t k = 0; k < g[i].n && !b->bad; k++)
      if (g[i].pats[k] >= npats) b->bad = 1;
  }
  return g;
}

sv4_rc sv4__cache_load(sv4_classifier *c, const char *path, uint64_t key) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SV4_ERR_NOTFOUND;
  struct stat st;
  void *map = NULL;
  size_t len = 0;
  if (fstat(fd, &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size < ((uint64_t)1 << 31)) {
    len = (size_t)st.st_size;
    map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) map = NULL;
  }
  close(fd);
  if (!map) return SV4_ERR_NOTFOUND;
  const char *data = map;
  rbuf b = {data, len, 0, 0};
  sv4_rules *r = sv4__rules_new();
  sv4__literals *L = calloc(1, sizeof *L);
  if (r) r->borrowed = 1; /* from here on its strings and arrays are the mapping's */
  if (L) L->borrowed = 1;
  const char *ser[SV4__SCAN_KINDS][SV4_LANG_COUNT] = {{0}};
  size_t serlen[SV4__SCAN_KINDS][SV4_LANG_COUNT] = {{0}};
  sv4__scanset *sets[SV4__SCAN_KINDS][SV4_LANG_COUNT] = {{0}};
  if (!r || !L) goto bad;
  const char *m = get(&b, sizeof MAGIC);
  if (!m || memcmp(m, MAGIC, sizeof MAGIC) || get64(&b) != key) goto bad;
  r->hash = get64(&b);
  r->nfiles = getcount(&b, 4);
  r->files = calloc(r->nfiles + 1, sizeof *r->files);
  if (!r->files) goto bad;
  for (size_t i = 0; i < r->nfiles && !b.bad; i++) r->files[i] = gets_(&b, NULL);
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) r->version[s] = gets_(&b, &(int){0});
  r->ncodes = getcount(&b, 16);
  r->codes = calloc(r->ncodes + 1, sizeof *r->codes);
  if (!r->codes) goto bad;
  for (size_t i = 0; i < r->ncodes && !b.bad; i++) {
    r->codes[i].scheme = (sv4_scheme)get32(&b);
    r->codes[i].code = gets_(&b, NULL);
    r->codes[i].label = get32(&b);
    r->codes[i].is_target = (int)get32(&b);
    if (r->codes[i].scheme >= SV4_SCHEME_COUNT) b.bad = 1;
  }
  for (size_t i = 0; i < r->ncodes && !b.bad; i++)
    if (r->codes[i].label >= r->ncodes) b.bad = 1;
  size_t npats = getcount(&b, 23);
  r->pats = calloc(npats + 1, sizeof *r->pats);
  if (!r->pats) goto bad;
  r->npats = npats;
  for (size_t i = 0; i < npats && !b.bad; i++) {
    sv4__pattern *p = &r->pats[i];
    p->expr = gets_(&b, NULL);
    const uint8_t *f = get(&b, 3);
    if (f) {
      p->nwords = f[0];
      p->fold = f[1];
      p->langmask = f[2];
    }
    p->use0 = get32(&b);
    p->nuse = get32(&b);
    p->file = file_at(&b, r);
    p->line = (int)get32(&b);
  }
  r->nuses = getcount(&b, 4);
  r->uses = (uint32_t *)get_array(&b, r->nuses * sizeof *r->uses);
  size_t nrules = getcount(&b, 56);
  uint64_t allterms = get64(&b), allgroups = get64(&b);
  if (b.bad || allterms > len / 8 || allgroups > len / 8) goto bad;
  r->rules = calloc(nrules + 1, sizeof *r->rules);
  r->block = malloc((size_t)allterms * sizeof(char *) + (size_t)allgroups * sizeof(sv4__group) + 1);
  if (!r->rules || !r->block) goto bad;
  r->nrules = nrules;
  sv4__group *gat = (sv4__group *)r->block; /* groups first: the stricter alignment */
  size_t groom = (size_t)allgroups, troom = (size_t)allterms;
  char **tat = (char **)(gat + allgroups);
  for (size_t i = 0; i < nrules && !b.bad; i++) {
    sv4__rule *u = &r->rules[i];
    u->id = gets_(&b, NULL);
    u->code = gets_(&b, NULL);
    u->code_id = get32(&b);
    u->scheme = (sv4_scheme)get32(&b);
    u->lang = (sv4_lang)get32(&b);
    u->weight = getd(&b);
    u->fold = (int)get32(&b);
    u->file = file_at(&b, r);
    u->line = (int)get32(&b);
    size_t nt = getcount(&b, 8);
    if (nt > troom) goto bad;
    u->terms = tat;
    tat += nt;
    troom -= nt;
    u->nterms = nt;
    for (size_t k = 0; k < nt && !b.bad; k++) u->terms[k] = gets_(&b, NULL);
    u->term_pats = (uint32_t *)get_array(&b, nt * sizeof *u->term_pats);
    u->with = get_groups(&b, &u->nwith, npats, &gat, &groom);
    u->nots = get_groups(&b, &u->nnot, npats, &gat, &groom);
    if (u->code_id >= r->ncodes || u->scheme >= SV4_SCHEME_COUNT || u->lang >= SV4_LANG_COUNT) b.bad = 1;
    for (size_t k = 0; k < nt && !b.bad; k++)
      if (u->term_pats[k] >= npats) b.bad = 1;
  }
  for (size_t i = 0; i < npats && !b.bad; i++)
    if ((uint64_t)r->pats[i].use0 + r->pats[i].nuse > r->nuses) b.bad = 1;
  for (size_t i = 0; i < r->nuses && !b.bad; i++)
    if (r->uses[i] >= nrules) b.bad = 1;
  /* literal table */
  size_t nlit = getcount(&b, 4);
  L->lit = calloc(nlit + 1, sizeof *L->lit);
  L->litlen = calloc(nlit + 1, sizeof *L->litlen);
  if (!L->lit || !L->litlen) goto bad;
  L->nlit = nlit;
  for (size_t i = 0; i < L->nlit && !b.bad; i++) {
    uint32_t n = get32(&b);
    const char *q = get(&b, (size_t)n + 1);
    if (!q || q[n]) b.bad = 1;
    L->litlen[i] = n;
    L->lit[i] = (char *)q;
  }
  L->cand0 = (uint32_t *)get_array(&b, (L->nlit + 1) * sizeof *L->cand0);
  L->cand = (uint32_t *)get_array(&b, npats * sizeof *L->cand);
  L->tail0 = (uint32_t *)get_array(&b, (npats + 1) * sizeof *L->tail0);
  L->ntails = (size_t)get64(&b);
  if (L->ntails > len) b.bad = 1;
  L->tails = (char *)get(&b, L->ntails);
  if (b.bad) goto bad;
  if (L->cand0[0] != 0 || L->cand0[L->nlit] != npats || L->tail0[npats] != L->ntails) goto bad;
  for (size_t i = 0; i < L->nlit; i++)
    if (L->cand0[i] > L->cand0[i + 1]) goto bad;
  for (size_t i = 0; i < npats; i++)
    if (L->cand[i] >= npats || L->tail0[i] > L->tail0[i + 1]) goto bad;
  for (int p = 0; p < SV4__SCAN_KINDS; p++)
    for (int l = 0; l < SV4_LANG_COUNT; l++) {
      uint64_t dblen = get64(&b);
      const char *dbp = get(&b, (size_t)dblen);
      if (!dbp) goto bad;
      /* the header must be readable now; the rest is checked by vectorscan when it is first used */
      size_t dbsize = 0;
      if (dblen && hs_serialized_database_size(dbp, (size_t)dblen, &dbsize) != HS_SUCCESS) goto bad;
      ser[p][l] = dblen ? dbp : NULL;
      serlen[p][l] = (size_t)dblen;
      /* its scan set, used in place (checked against the rules on first use: sv4__db) */
      uint64_t n = get64(&b);
      if (!n) {
        if (dblen) goto bad;
        continue;
      }
      uint64_t ncand = get64(&b), nown = get64(&b), nuses = get64(&b);
      if (b.bad || !dblen || n > len || ncand > len || nown > len || nuses > len) goto bad;
      sv4__scanset *S = sets[p][l] = calloc(1, sizeof *S);
      if (!S) goto bad;
      S->mapped = 1;
      S->n = (size_t)n;
      S->nown = (size_t)nown;
      S->nuses = (size_t)nuses;
      get_align(&b);
      S->litlen = get(&b, S->n * sizeof *S->litlen);
      get_align(&b);
      S->cand0 = get(&b, (S->n + 1) * sizeof *S->cand0);
      get_align(&b);
      S->cand = get(&b, (size_t)ncand * sizeof *S->cand);
      get_align(&b);
      S->own = get(&b, S->nown);
      get_align(&b);
      S->uses = get(&b, S->nuses * sizeof *S->uses);
      if (b.bad || S->cand0[S->n] != ncand) goto bad;
    }
  if (b.i != b.n) goto bad;
  c->rules = r;
  c->lits = L;
  c->map = map;
  c->maplen = len;
  memcpy(c->dbser, ser, sizeof ser);
  memcpy(c->dbserlen, serlen, sizeof serlen);
  memcpy(c->sets, sets, sizeof sets);
  return SV4_OK;
bad:
  for (int p = 0; p < SV4__SCAN_KINDS; p++)
    for (int l = 0; l < SV4_LANG_COUNT; l++) sv4__scanset_free(sets[p][l]);
  munmap(map, len);
  sv4__rules_free(r);
  sv4__literals_free(L);
  return SV4_ERR_NOTFOUND;
}

void sv4__cache_drop(sv4_classifier *c) {
  for (int p = 0; p < SV4__SCAN_KINDS; p++)
    for (int l = 0; l < SV4_LANG_COUNT; l++) {
      if (c->dbs[p][l]) hs_free_database(c->dbs[p][l]);
      sv4__scanset_free(c->sets[p][l]);
      c->sets[p][l] = NULL;
      c->dbs[p][l] = NULL;
      c->dbser[p][l] = NULL;
      c->dbserlen[p][l] = 0;
    }
  if (c->map) munmap(c->map, c->maplen);
  c->map = NULL;
  c->maplen = 0;
  sv4__rules_free(c->rules);
  sv4__literals_free(c->lits);
  c->rules = NULL;
  c->lits = NULL;
}

hs_database_t *sv4__db(const sv4_classifier *cc, int kind, int lang, const sv4__scanset **set, int *failed) {
  sv4_classifier *c = (sv4_classifier *)cc; /* deserialised and its set checked lazily, guarded by db_lock */
  hs_database_t *db = __atomic_load_n(&c->dbs[kind][lang], __ATOMIC_ACQUIRE);
  *set = NULL;
  if (db) {
    *set = c->sets[kind][lang]; /* in place before the database was published */
    return db;
  }
  if (!c->dbser[kind][lang]) return NULL;
  pthread_mutex_lock(&c->db_lock);
  db = c->dbs[kind][lang];
  if (!db) {
    const sv4__scanset *S = c->sets[kind][lang];
    if (!S || sv4__scanset_check(c, S) ||
        hs_deserialize_database(c->dbser[kind][lang], c->dbserlen[kind][lang], &db) != HS_SUCCESS) {
      db = NULL;
      if (failed) *failed = 1;
    } else {
      __atomic_store_n(&c->dbs[kind][lang], db, __ATOMIC_RELEASE);
    }
  }
  *set = c->sets[kind][lang];
  pthread_mutex_unlock(&c->db_lock);
  return db;
}

int sv4__db_exists(const sv4_classifier *c, int kind, int lang) {
  return c->dbser[kind][lang] || __atomic_load_n(&c->dbs[kind][lang], __ATOMIC_ACQUIRE);
}
