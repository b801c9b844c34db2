/* classifier.c — loading the classifier: taxonomy, every rule file, thresholds, and one vectorscan database
 * compiled from all patterns or loaded from the on-disk cache keyed by the rules' hash and the engine. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "classify/internal.h"
#include "sv4/csv.h"
#include "sv4/limits.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static sv4_rc load_thresholds(sv4_classifier *c, const char *dir, sv4_error *err) {
  size_t pl = strlen(dir) + 32, len = 0, nf;
  char *path = malloc(pl), *data = NULL;
  sv4_csv *csv = NULL;
  sv4_rc rc;
  if (!path) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) c->thr[s] = (sv4__thresholds){-1, -1, -1, 0, 0, 0};
  snprintf(path, pl, "%s/rules/thresholds.csv", dir);
  rc = sv4_read_file(path, 1u << 20, &data, &len, err);
  if (rc) goto done;
  csv = sv4_csv_open(data, len, ',', path);
  if (!csv) {
    rc = SV4_ERR_NOMEM;
    goto done;
  }
  rc = sv4_csv_next(csv, &nf, err);
  if (rc) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: empty", path);
    goto done;
  }
  int cs = sv4_csv_column(csv, "scheme"), cp = sv4_csv_column(csv, "paragraph"), cd = sv4_csv_column(csv, "document"),
      cz = sv4_csv_column(csv, "saturation"), cm = sv4_csv_column(csv, "model"),
      ca = sv4_csv_column(csv, "model_assist"), ce = sv4_csv_column(csv, "assist_evidence");
  if (cs < 0 || cp < 0 || cd < 0 || cz < 0) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:1: expected columns scheme,paragraph,document,saturation", path);
    goto done;
  }
  while ((rc = sv4_csv_next(csv, &nf, err)) == SV4_OK) {
    int s = sv4_scheme_from_name(sv4_csv_field(csv, (size_t)cs));
    sv4__thresholds t = {0};
    /* the model's thresholds: optional columns, empty = unused */
    int mcol[3] = {cm, ca, ce};
    double *mval[3] = {&t.model, &t.assist, &t.assist_evidence};
    for (int k = 0; k < 3; k++) {
      const char *mf = mcol[k] >= 0 ? sv4_csv_field(csv, (size_t)mcol[k]) : "";
      if (*mf && (!sv4_parse_double(mf, mval[k]) || *mval[k] < 0 || (k < 2 && *mval[k] > 1))) {
        rc = sv4_error_set(err, SV4_ERR_PARSE,
                           "%s:%zu: model and model_assist are probabilities (0..1), assist_evidence a weight (>= 0); "
                           "empty = unused",
                           path, sv4_csv_line(csv));
        goto done;
      }
    }
    if (s < 0 || !sv4_parse_double(sv4_csv_field(csv, (size_t)cp), &t.paragraph) ||
        !sv4_parse_double(sv4_csv_field(csv, (size_t)cd), &t.document) ||
        !sv4_parse_double(sv4_csv_field(csv, (size_t)cz), &t.saturation) || t.paragraph <= 0 || t.document <= 0 ||
        t.saturation <= 0) {
      rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: expected a scheme name and three positive numbers", path,
                         sv4_csv_line(csv));
      goto done;
    }
    c->thr[s] = t;
  }
  if (rc != SV4_ERR_NOTFOUND) goto done;
  rc = SV4_OK;
  for (int s = 0; s < SV4_SCHEME_COUNT; s++)
    if (c->thr[s].paragraph < 0) {
      rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: no thresholds for scheme %s", path, sv4_scheme_name((sv4_scheme)s));
      goto done;
    }
done:
  sv4_csv_close(csv);
  free(data);
  free(path);
  return rc;
}

static char *default_cache_dir(void) {
  const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  char buf[4096];
  if (x && *x)
    snprintf(buf, sizeof buf, "%s/smartv4", x);
  else if (home && *home)
    snprintf(buf, sizeof buf, "%s/.cache/smartv4", home);
  else
    snprintf(buf, sizeof buf, "/tmp/smartv4-cache");
  return strdup(buf);
}

static void mkdirs(const char *path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      mkdir(tmp, 0755);
      *p = '/';
    }
  mkdir(tmp, 0755);
}

/* The cache key: rules, engine version, vectorscan version and the host's instruction set. */
static uint64_t cache_key(uint64_t h) {
  const char *v = SV4_ENGINE_VERSION;
  h = sv4_hash64(v, strlen(v), h);
  v = hs_version();
  h = sv4_hash64(v, strlen(v), h);
  hs_platform_info_t plat;
  memset(&plat, 0, sizeof plat);
  if (hs_populate_platform(&plat) == HS_SUCCESS) {
    unsigned long long f[2] = {plat.tune, plat.cpu_features};
    h = sv4_hash64(f, sizeof f, h);
  }
  {
    /* the scan sets are used from the file as this build lays them out */
    size_t z[2] = {sizeof(sv4__cand), sizeof(sv4__use)};
    h = sv4_hash64(z, sizeof z, h);
  }
  return h;
}

/* The hash sv4__rules_load_dir computes (every rule file's name and content, in order), without parsing. */
static sv4_rc rules_hash(const char *rules_dir, uint64_t *out, sv4_error *err) {
  char **files = NULL;
  size_t n = 0;
  uint64_t h = 0;
  sv4_rc rc = sv4__rules_list(rules_dir, &files, &n, err);
  for (size_t i = 0; i < n && !rc; i++) {
    char *data = NULL;
    size_t len = 0;
    rc = sv4_read_file(files[i], SV4_MAX_RULE_FILE_BYTES, &data, &len, err);
    if (!rc) {
      h = sv4_hash64(files[i], strlen(files[i]), h);
      h = sv4_hash64(data, len, h);
    }
    free(data);
  }
  sv4_list_free(files, n);
  *out = h;
  return rc;
}

/* Hash of every file's name and content in dir (not recursive): the taxonomy the rule codes were checked against. */
static uint64_t dir_hash(const char *dir) {
  uint64_t h = 0x7461786fULL;
  char **files = NULL;
  size_t n = 0;
  if (sv4_list_files(dir, NULL, 0, 256, &files, &n, NULL)) return h;
  for (size_t i = 0; i < n; i++) {
    const char *name = strrchr(files[i], '/') + 1;
    char *data = NULL;
    size_t len = 0;
    h = sv4_hash64(name, strlen(name), h);
    if (!sv4_read_file(files[i], 1u << 26, &data, &len, NULL)) h = sv4_hash64(data, len, h);
    free(data);
  }
  sv4_list_free(files, n);
  return h;
}

/* Compiles the literal databases: one per scan kind and language (literal.c), ids = the scan set's literals. */
static sv4_rc compile_db(sv4_classifier *c, sv4_error *err) {
  sv4_rc rc = SV4_OK;
  for (int kind = 0; kind < SV4__SCAN_KINDS && !rc; kind++)
    for (int lang = 0; lang < SV4_LANG_COUNT && !rc; lang++) {
      sv4_rc brc = sv4__scanset_build(c, kind, lang, &c->sets[kind][lang]);
      if (brc)
        return sv4_error_set(err, brc,
                             brc == SV4_ERR_NOMEM ? "out of memory" : "internal: a phrase's tail is too long");
      const sv4__scanset *S = c->sets[kind][lang];
      if (!S) continue; /* nothing to scan for */
      unsigned *ids = malloc(S->n * sizeof *ids), *flags = calloc(S->n, sizeof *flags);
      size_t *lens = malloc(S->n * sizeof *lens);
      if (!ids || !flags || !lens) {
        rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      } else {
        for (size_t i = 0; i < S->n; i++) {
          ids[i] = (unsigned)i;
          lens[i] = S->litlen[i];
        }
        hs_compile_error_t *ce = NULL;
        /* flags 0: every occurrence is evidence, so no SINGLEMATCH */
        if (hs_compile_lit_multi(S->lit, flags, ids, lens, (unsigned)S->n, HS_MODE_BLOCK, NULL, &c->dbs[kind][lang],
                                 &ce) != HS_SUCCESS) {
          if (ce && ce->expression >= 0 && (size_t)ce->expression < S->n) {
            const sv4__pattern *p = &c->rules->pats[S->cand[S->cand0[ce->expression]].pat];
            rc = sv4_error_set(err, SV4_ERR_ENGINE, "%s:%d: vectorscan cannot compile a phrase: %s", p->file, p->line,
                               ce->message);
          } else {
            rc = sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: %s", ce ? ce->message : "compile failed");
          }
          hs_free_compile_error(ce);
        }
      }
      free(ids);
      free(flags);
      free(lens);
    }
  return rc;
}

/* The literal table of all patterns (literal.c). */
static sv4_rc build_literals(sv4_classifier *c, sv4_error *err) {
  sv4_rules *r = c->rules;
  const char **exprs = malloc((r->npats ? r->npats : 1) * sizeof *exprs);
  if (!exprs) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < r->npats; i++) exprs[i] = r->pats[i].expr + r->pats[i].fold;
  sv4_rc rc = sv4__literals_build(exprs, r->npats, &c->lits);
  free(exprs);
  if (rc == SV4_ERR_NOMEM) return sv4_error_set(err, rc, "out of memory");
  if (rc) return sv4_error_set(err, SV4_ERR_ENGINE, "internal: a phrase expression cannot be split into literals");
  return SV4_OK;
}

void sv4_classifier_free(sv4_classifier *c) {
  if (!c) return;
  sv4_taxonomy_free(c->tax);
  sv4__cache_drop(c); /* the rules, literals, databases and the mapped cache file */
  sv4__model_free(c->model);
  free(c->model_class);
  free(c->version);
  free(c->rule_id);
  free(c->code_rank);
  sv4_langid_free(c->langid);
  pthread_mutex_destroy(&c->langid_lock);
  pthread_mutex_destroy(&c->db_lock);
  free(c);
}

sv4_rc sv4_classifier_load(const sv4_classifier_opts *opts, sv4_classifier **out, sv4_error *err) {
  sv4_classifier_opts o = {0};
  if (opts) o = *opts;
  *out = NULL;
  double t0 = now_ms();
  const char *dir = o.data_dir ? o.data_dir : sv4_data_dir();
  char *rules_dir = NULL, *cache_dir = NULL, *cache_path = NULL;
  sv4_rc rc = SV4_OK;
  sv4_classifier *c = calloc(1, sizeof *c);
  if (!c) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  pthread_mutex_init(&c->langid_lock, NULL);
  pthread_mutex_init(&c->db_lock, NULL);
  rc = sv4_taxonomy_load(dir, &c->tax, err);
  if (rc) goto done;
  rc = load_thresholds(c, dir, err);
  if (rc) goto done;
  rules_dir = malloc(strlen(dir) + 16);
  if (!rules_dir) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  uint64_t key = 0;
  if (!o.no_cache) {
    /* A cached start reads the rule files only to hash them; any change to a rule file, the taxonomy, the engine,
     * vectorscan or the CPU gives another key. */
    uint64_t h = 0;
    sprintf(rules_dir, "%s/taxonomy", dir);
    uint64_t th = dir_hash(rules_dir);
    sprintf(rules_dir, "%s/rules", dir);
    rc = rules_hash(rules_dir, &h, err);
    if (rc) goto done;
    key = cache_key(sv4_hash64(&th, sizeof th, h));
    cache_dir = o.cache_dir ? strdup(o.cache_dir) : default_cache_dir();
    size_t pl = cache_dir ? strlen(cache_dir) + 48 : 0;
    cache_path = cache_dir ? malloc(pl) : NULL;
    if (!cache_path) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    snprintf(cache_path, pl, "%s/classifier-%016llx.sv4c", cache_dir, (unsigned long long)key);
    if (sv4__cache_load(c, cache_path, key) == SV4_OK) {
      if (c->rules->hash == h)
        c->from_cache = 1;
      else
        sv4__cache_drop(c); /* cannot happen unless the file was tampered with: start afresh */
    }
  }
  if (!c->from_cache) {
    c->rules = sv4__rules_new();
    if (!c->rules) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    sprintf(rules_dir, "%s/rules", dir);
    rc = sv4__rules_load_dir(c->rules, rules_dir, c->tax, err);
    if (rc) goto done;
    rc = sv4__rules_finish(c->rules, err);
    if (rc) goto done;
    rc = build_literals(c, err);
    if (rc) goto done;
    rc = compile_db(c, err);
    if (rc) goto done;
    if (cache_path) {
      mkdirs(cache_dir);
      sv4__cache_save(c, cache_path, key);
    }
  }
  sv4_rules *r = c->rules;
  c->rule_id = malloc((r->nrules ? r->nrules : 1) * sizeof *c->rule_id);
  if (!c->rule_id) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < r->nrules; i++) c->rule_id[i] = r->rules[i].id;
  /* the codes' ranks in sv4__cmp_code order, for sorting labels and targets without comparing strings */
  c->code_rank = malloc((r->ncodes ? r->ncodes : 1) * sizeof *c->code_rank);
  uint32_t *ord = malloc((r->ncodes ? r->ncodes : 1) * sizeof *ord);
  if (!c->code_rank || !ord) {
    free(ord);
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < r->ncodes; i++) ord[i] = (uint32_t)i;
  for (size_t i = 1; i < r->ncodes; i++)
    for (size_t j = i; j > 0 && sv4__cmp_code(r->codes[ord[j - 1]].code, r->codes[ord[j]].code) > 0; j--) {
      uint32_t t = ord[j];
      ord[j] = ord[j - 1];
      ord[j - 1] = t;
    }
  for (size_t i = 0, rank = 0; i < r->ncodes; i++) {
    if (i && sv4__cmp_code(r->codes[ord[i - 1]].code, r->codes[ord[i]].code) < 0) rank++;
    c->code_rank[ord[i]] = (uint32_t)rank;
  }
  free(ord);
  for (size_t i = 0; i < r->npats; i++) {
    if (r->pats[i].fold) c->fold_langmask |= r->pats[i].langmask;
  }
  if (!o.no_model) {
    if (!cache_dir && !o.no_cache) cache_dir = o.cache_dir ? strdup(o.cache_dir) : default_cache_dir();
    if (cache_dir) mkdirs(cache_dir);
    rc = sv4__model_load(c, dir, o.no_cache ? NULL : cache_dir, &c->model, err);
    if (rc) goto done;
    if (c->model) { /* each code's class, looked up once per label at classification */
      c->model_class = malloc(r->ncodes ? r->ncodes : 1);
      if (!c->model_class) {
        rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
        goto done;
      }
      memset(c->model_class, -1, r->ncodes);
      for (uint32_t q = c->model->k; q-- > 0;)
        if (c->model->code[q] < r->ncodes) c->model_class[c->model->code[q]] = (int8_t)q;
    }
  }
  {
    sv4_buf v;
    sv4_buf_init(&v, 4096);
    for (int s = 0; s < SV4_SCHEME_COUNT; s++)
      sv4_buf_printf(&v, "%s=%s;", sv4_scheme_name((sv4_scheme)s), r->version[s] ? r->version[s] : "none");
    sv4_buf_printf(&v, "rules=%016llx", (unsigned long long)r->hash);
    /* the thresholds decide labels as much as the rules do */
    sv4_buf_printf(&v, ";thresholds=%016llx", (unsigned long long)sv4_hash64(c->thr, sizeof c->thr, 0));
    if (c->model) sv4_buf_printf(&v, ";model=%016llx", (unsigned long long)c->model->hash);
    c->version = sv4_buf_steal(&v, NULL);
    sv4_buf_free(&v);
    if (!c->version) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
  }
  c->load_ms = now_ms() - t0;
done:
  free(rules_dir);
  free(cache_dir);
  free(cache_path);
  if (rc) {
    sv4_classifier_free(c);
    return rc;
  }
  *out = c;
  return SV4_OK;
}

const char *sv4_classifier_version(const sv4_classifier *c) { return c ? c->version : NULL; }
const sv4_taxonomy *sv4_classifier_taxonomy(const sv4_classifier *c) { return c ? c->tax : NULL; }
