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
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) c->thr[s] = (sv4__thresholds){-1, -1, -1};
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
      cz = sv4_csv_column(csv, "saturation");
  if (cs < 0 || cp < 0 || cd < 0 || cz < 0) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:1: expected columns scheme,paragraph,document,saturation", path);
    goto done;
  }
  while ((rc = sv4_csv_next(csv, &nf, err)) == SV4_OK) {
    int s = sv4_scheme_from_name(sv4_csv_field(csv, (size_t)cs));
    sv4__thresholds t;
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
  if (x && *x) snprintf(buf, sizeof buf, "%s/smartv4", x);
  else if (home && *home) snprintf(buf, sizeof buf, "%s/.cache/smartv4", home);
  else snprintf(buf, sizeof buf, "/tmp/smartv4-cache");
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
static uint64_t cache_key(const sv4_rules *r) {
  uint64_t h = r->hash;
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
  return h;
}

static sv4_rc try_cache(sv4_classifier *c, const char *path) {
  char *data = NULL;
  size_t len = 0;
  if (sv4_read_file(path, 1u << 30, &data, &len, NULL)) return SV4_ERR_NOTFOUND;
  hs_database_t *db = NULL;
  hs_error_t e = hs_deserialize_database(data, len, &db);
  free(data);
  if (e != HS_SUCCESS) return SV4_ERR_NOTFOUND;
  c->db = db;
  return SV4_OK;
}

static void write_cache(const hs_database_t *db, const char *dir, const char *path) {
  char *bytes = NULL;
  size_t len = 0;
  if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) return;
  mkdirs(dir);
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (f) {
    int ok = fwrite(bytes, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) unlink(tmp);
  }
  free(bytes);
}

static sv4_rc compile_db(sv4_classifier *c, sv4_error *err) {
  sv4_rules *r = c->rules;
  size_t n = r->npats;
  const char **exprs = malloc((n ? n : 1) * sizeof *exprs);
  unsigned *ids = malloc((n ? n : 1) * sizeof *ids), *flags = malloc((n ? n : 1) * sizeof *flags);
  sv4_rc rc = SV4_OK;
  if (!exprs || !ids || !flags) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    exprs[i] = r->pats[i].expr + r->pats[i].fold;
    ids[i] = (unsigned)i;
    flags[i] = 0;
  }
  if (n == 0) {
    /* An empty rule set still needs a database: one pattern that cannot match normalised text. */
    static const char *never = "\\x00\\x01never";
    exprs[0] = never;
    ids[0] = 0;
    flags[0] = 0;
  }
  hs_compile_error_t *ce = NULL;
  if (hs_compile_multi(exprs, flags, ids, n ? (unsigned)n : 1u, HS_MODE_BLOCK, NULL, &c->db, &ce) != HS_SUCCESS) {
    if (ce && ce->expression >= 0 && (size_t)ce->expression < n) {
      const sv4__pattern *p = &r->pats[ce->expression];
      rc = sv4_error_set(err, SV4_ERR_ENGINE, "%s:%d: vectorscan cannot compile a phrase: %s", p->file, p->line,
                         ce->message);
    } else {
      rc = sv4_error_set(err, SV4_ERR_ENGINE, "vectorscan: %s", ce ? ce->message : "compile failed");
    }
    hs_free_compile_error(ce);
  }
done:
  free(exprs);
  free(ids);
  free(flags);
  return rc;
}

void sv4_classifier_free(sv4_classifier *c) {
  if (!c) return;
  sv4__rules_free(c->rules);
  sv4_taxonomy_free(c->tax);
  if (c->db) hs_free_database(c->db);
  free(c->version);
  free(c->pat_lang);
  free(c->pat_nwords);
  free(c->pat_fold);
  sv4_langid_free(c->langid);
  pthread_mutex_destroy(&c->langid_lock);
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
  rc = sv4_taxonomy_load(dir, &c->tax, err);
  if (rc) goto done;
  rc = load_thresholds(c, dir, err);
  if (rc) goto done;
  c->rules = sv4__rules_new();
  rules_dir = malloc(strlen(dir) + 8);
  if (!c->rules || !rules_dir) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  sprintf(rules_dir, "%s/rules", dir);
  rc = sv4__rules_load_dir(c->rules, rules_dir, c->tax, err);
  if (rc) goto done;
  rc = sv4__rules_finish(c->rules, err);
  if (rc) goto done;
  sv4_rules *r = c->rules;
  c->pat_lang = malloc(r->npats + 1);
  c->pat_nwords = malloc(r->npats + 1);
  c->pat_fold = malloc(r->npats + 1);
  if (!c->pat_lang || !c->pat_nwords || !c->pat_fold) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  c->pat_lang[0] = 0;
  for (size_t i = 0; i < r->npats; i++) {
    c->pat_lang[i] = r->pats[i].langmask;
    c->pat_nwords[i] = r->pats[i].nwords;
    c->pat_fold[i] = r->pats[i].fold;
    if (r->pats[i].fold) c->fold_langmask |= r->pats[i].langmask;
  }
  uint64_t key = cache_key(r);
  if (!o.no_cache) {
    cache_dir = o.cache_dir ? strdup(o.cache_dir) : default_cache_dir();
    if (!cache_dir) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    size_t pl = strlen(cache_dir) + 48;
    cache_path = malloc(pl);
    if (!cache_path) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    snprintf(cache_path, pl, "%s/rules-%016llx.hsdb", cache_dir, (unsigned long long)key);
    if (try_cache(c, cache_path) == SV4_OK) c->from_cache = 1;
  }
  if (!c->db) {
    rc = compile_db(c, err);
    if (rc) goto done;
    if (cache_path) write_cache(c->db, cache_dir, cache_path);
  }
  {
    sv4_buf v;
    sv4_buf_init(&v, 4096);
    for (int s = 0; s < SV4_SCHEME_COUNT; s++)
      sv4_buf_printf(&v, "%s=%s;", sv4_scheme_name((sv4_scheme)s), r->version[s] ? r->version[s] : "none");
    sv4_buf_printf(&v, "rules=%016llx", (unsigned long long)r->hash);
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
