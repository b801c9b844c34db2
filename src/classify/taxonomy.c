/* taxonomy.c — scheme names and the taxonomies (data/taxonomy/ CSV files): codes, titles in five languages,
 * SDG colours, versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv4/classify.h"
#include "sv4/csv.h"

static const char *const scheme_names[SV4_SCHEME_COUNT] = {"sdg", "egd", "taxonomy", "smartcity"};

const char *sv4_scheme_name(sv4_scheme s) { return (unsigned)s < SV4_SCHEME_COUNT ? scheme_names[s] : "?"; }

int sv4_scheme_from_name(const char *name) {
  for (int i = 0; i < SV4_SCHEME_COUNT; i++)
    if (name && !strcmp(name, scheme_names[i])) return i;
  return -1;
}

sv4_rc sv4_scheme_mask_parse(const char *list, unsigned *mask, sv4_error *err) {
  *mask = 0;
  const char *s = list;
  while (s && *s) {
    const char *c = strchr(s, ',');
    size_t n = c ? (size_t)(c - s) : strlen(s);
    char name[32];
    if (n == 0 || n >= sizeof name) return sv4_error_set(err, SV4_ERR_USAGE, "unknown scheme '%.*s'", (int)n, s);
    memcpy(name, s, n);
    name[n] = 0;
    int k = sv4_scheme_from_name(name);
    if (k < 0) return sv4_error_set(err, SV4_ERR_USAGE, "unknown scheme '%s' (sdg, egd, taxonomy, smartcity)", name);
    *mask |= 1u << k;
    s = c ? c + 1 : NULL;
  }
  if (!*mask) return sv4_error_set(err, SV4_ERR_USAGE, "empty scheme list");
  return SV4_OK;
}

struct sv4_taxonomy {
  sv4_arena *arena;
  sv4_concept *items[SV4_SCHEME_COUNT];
  const sv4_concept **list[SV4_SCHEME_COUNT];
  size_t n[SV4_SCHEME_COUNT], cap[SV4_SCHEME_COUNT];
  const char *version[SV4_SCHEME_COUNT];
};

static sv4_concept *add_concept(sv4_taxonomy *t, sv4_scheme s) {
  if (t->n[s] == t->cap[s]) {
    size_t c = t->cap[s] ? t->cap[s] * 2 : 32;
    sv4_concept *p = realloc(t->items[s], c * sizeof *p);
    if (!p) return NULL;
    t->items[s] = p;
    t->cap[s] = c;
  }
  sv4_concept *k = &t->items[s][t->n[s]++];
  memset(k, 0, sizeof *k);
  k->scheme = s;
  return k;
}

/* Reads one CSV with a `code` column and title columns named by language code. Missing file: no concepts. */
static sv4_rc load_csv(sv4_taxonomy *t, const char *dir, const char *file, sv4_scheme s, int targets, sv4_error *err) {
  size_t pl = strlen(dir) + strlen(file) + 16;
  char *path = malloc(pl), *data = NULL;
  sv4_csv *csv = NULL;
  sv4_rc rc = SV4_OK;
  size_t len = 0, nf;
  if (!path) return SV4_ERR_NOMEM;
  snprintf(path, pl, "%s/taxonomy/%s", dir, file);
  rc = sv4_read_file(path, 16u << 20, &data, &len, err);
  if (rc == SV4_ERR_NOTFOUND) {
    sv4_error_clear(err);
    rc = SV4_OK;
    goto done;
  }
  if (rc) goto done;
  csv = sv4_csv_open(data, len, ',', path);
  if (!csv) {
    rc = SV4_ERR_NOMEM;
    goto done;
  }
  rc = sv4_csv_next(csv, &nf, err);
  if (rc == SV4_ERR_NOTFOUND) {
    rc = SV4_OK;
    goto done;
  }
  if (rc) goto done;
  int ccode = sv4_csv_column(csv, "code"), ccolor = sv4_csv_column(csv, "color"),
      cgoal = sv4_csv_column(csv, "goal");
  int clang[SV4_LANG_COUNT];
  for (int l = 1; l < SV4_LANG_COUNT; l++) clang[l] = sv4_csv_column(csv, sv4_lang_code((sv4_lang)l));
  if (ccode < 0) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:1: no 'code' column", path);
    goto done;
  }
  while ((rc = sv4_csv_next(csv, &nf, err)) == SV4_OK) {
    const char *code = sv4_csv_field(csv, (size_t)ccode);
    if (!*code) continue;
    sv4_concept *k = add_concept(t, s);
    if (!k) {
      rc = SV4_ERR_NOMEM;
      goto done;
    }
    k->code = sv4_arena_strdup(t->arena, code);
    if (targets) {
      const char *g = cgoal >= 0 ? sv4_csv_field(csv, (size_t)cgoal) : "";
      if (!*g) {
        const char *dot = strchr(code, '.');
        k->parent = dot ? sv4_arena_strndup(t->arena, code, (size_t)(dot - code)) : NULL;
      } else {
        k->parent = sv4_arena_strdup(t->arena, g);
      }
    }
    if (ccolor >= 0 && *sv4_csv_field(csv, (size_t)ccolor)) k->color = sv4_arena_strdup(t->arena, sv4_csv_field(csv, (size_t)ccolor));
    for (int l = 1; l < SV4_LANG_COUNT; l++)
      if (clang[l] >= 0 && *sv4_csv_field(csv, (size_t)clang[l]))
        k->title[l] = sv4_arena_strdup(t->arena, sv4_csv_field(csv, (size_t)clang[l]));
    if (!k->code) {
      rc = SV4_ERR_NOMEM;
      goto done;
    }
  }
  if (rc == SV4_ERR_NOTFOUND) rc = SV4_OK;
done:
  sv4_csv_close(csv);
  free(data);
  free(path);
  return rc;
}

static sv4_rc load_versions(sv4_taxonomy *t, const char *dir, sv4_error *err) {
  size_t pl = strlen(dir) + 32, len = 0, nf;
  char *path = malloc(pl), *data = NULL;
  sv4_csv *csv = NULL;
  if (!path) return SV4_ERR_NOMEM;
  snprintf(path, pl, "%s/taxonomy/versions.csv", dir);
  sv4_rc rc = sv4_read_file(path, 1u << 20, &data, &len, NULL);
  if (rc) {
    rc = SV4_OK;
    goto done;
  }
  csv = sv4_csv_open(data, len, ',', path);
  if (!csv || sv4_csv_next(csv, &nf, err)) goto done;
  int cs = sv4_csv_column(csv, "scheme"), cv = sv4_csv_column(csv, "version");
  if (cs < 0 || cv < 0) goto done;
  while (sv4_csv_next(csv, &nf, err) == SV4_OK) {
    const char *name = sv4_csv_field(csv, (size_t)cs);
    int s = sv4_scheme_from_name(name);
    /* sdg-targets etc. may appear as their own rows: the scheme's row is the one with its plain name. */
    if (s >= 0) t->version[s] = sv4_arena_strdup(t->arena, sv4_csv_field(csv, (size_t)cv));
  }
  sv4_error_clear(err);
done:
  sv4_csv_close(csv);
  free(data);
  free(path);
  return rc;
}

void sv4_taxonomy_free(sv4_taxonomy *t) {
  if (!t) return;
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) {
    free(t->items[s]);
    free(t->list[s]);
  }
  sv4_arena_free(t->arena);
  free(t);
}

sv4_rc sv4_taxonomy_load(const char *data_dir, sv4_taxonomy **out, sv4_error *err) {
  *out = NULL;
  sv4_taxonomy *t = calloc(1, sizeof *t);
  if (!t || !(t->arena = sv4_arena_new(16384))) {
    free(t);
    return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  const char *dir = data_dir ? data_dir : sv4_data_dir();
  sv4_rc rc = load_csv(t, dir, "sdg-goals.csv", SV4_SCHEME_SDG, 0, err);
  if (!rc) rc = load_csv(t, dir, "sdg-targets.csv", SV4_SCHEME_SDG, 1, err);
  if (!rc) rc = load_csv(t, dir, "egd-areas.csv", SV4_SCHEME_EGD, 0, err);
  if (!rc) rc = load_csv(t, dir, "eu-taxonomy.csv", SV4_SCHEME_TAXONOMY, 0, err);
  if (!rc) rc = load_csv(t, dir, "smartcity.csv", SV4_SCHEME_SMARTCITY, 0, err);
  if (!rc) rc = load_versions(t, dir, err);
  for (int s = 0; !rc && s < SV4_SCHEME_COUNT; s++) {
    t->list[s] = malloc((t->n[s] ? t->n[s] : 1) * sizeof *t->list[s]);
    if (!t->list[s]) rc = SV4_ERR_NOMEM;
    for (size_t i = 0; !rc && i < t->n[s]; i++) t->list[s][i] = &t->items[s][i];
  }
  if (rc) {
    sv4_taxonomy_free(t);
    return rc == SV4_ERR_NOMEM ? sv4_error_set(err, rc, "out of memory loading the taxonomy") : rc;
  }
  *out = t;
  return SV4_OK;
}

const sv4_concept *sv4_taxonomy_find(const sv4_taxonomy *t, sv4_scheme s, const char *code) {
  if (!t || (unsigned)s >= SV4_SCHEME_COUNT || !code) return NULL;
  for (size_t i = 0; i < t->n[s]; i++)
    if (!strcmp(t->items[s][i].code, code)) return &t->items[s][i];
  return NULL;
}

size_t sv4_taxonomy_list(const sv4_taxonomy *t, sv4_scheme s, const sv4_concept *const **out) {
  if (!t || (unsigned)s >= SV4_SCHEME_COUNT) {
    *out = NULL;
    return 0;
  }
  *out = (const sv4_concept *const *)t->list[s];
  return t->n[s];
}

const char *sv4_taxonomy_version(const sv4_taxonomy *t, sv4_scheme s) {
  return t && (unsigned)s < SV4_SCHEME_COUNT ? t->version[s] : NULL;
}
