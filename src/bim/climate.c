/* climate.c — monthly climate of the V4 locations (data/climate/monthly.csv) and the small table reader the
 * energy files share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bim/energy_internal.h"
#include "sv4/bim.h"
#include "sv4/limits.h"
#include "sv4/util.h"

/* ---- table reader -------------------------------------------------------------------------------------- */
sv4_rc sv4__table_open(sv4__table *t, const char *path, char sep, const char *const *required, sv4_error *err) {
  sv4_rc rc;
  size_t len = 0, nf = 0;
  memset(t, 0, sizeof *t);
  const char *base = strrchr(path, '/');
  snprintf(t->file, sizeof t->file, "%s", base ? base + 1 : path);
  if ((rc = sv4_read_file(path, SV4_MAX_BIM_TABLE_BYTES, &t->data, &len, err)) != SV4_OK) return rc;
  t->csv = sv4_csv_open(t->data, len, sep, t->file);
  if (!t->csv) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  do { /* comment lines before the header */
    if ((rc = sv4_csv_next(t->csv, &nf, err)) != SV4_OK)
      return rc == SV4_ERR_NOTFOUND ? sv4_error_set(err, SV4_ERR_PARSE, "%s:1: empty file", t->file) : rc;
  } while (sv4_csv_field(t->csv, 0)[0] == '#');
  t->names = calloc(nf ? nf : 1, sizeof *t->names);
  if (!t->names) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  t->ncols = nf;
  for (size_t i = 0; i < nf; i++)
    if (!(t->names[i] = strdup(sv4_csv_field(t->csv, i)))) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  for (size_t r = 0; required && required[r]; r++) {
    size_t i = 0;
    while (i < nf && strcmp(t->names[i], required[r])) i++;
    if (i == nf) return sv4_error_set(err, SV4_ERR_PARSE, "%s:1: missing column %s", t->file, required[r]);
  }
  return SV4_OK;
}

sv4_rc sv4__table_next(sv4__table *t, sv4_error *err) {
  size_t nf;
  for (;;) {
    sv4_rc rc = sv4_csv_next(t->csv, &nf, err);
    if (rc) return rc;
    const char *f0 = sv4_csv_field(t->csv, 0);
    if (f0[0] == '#' || (nf <= 1 && !f0[0])) continue;
    if (++t->rows > SV4_MAX_BIM_TABLE_ROWS)
      return sv4_error_set(err, SV4_ERR_LIMIT, "%s:%zu: more than %u rows", t->file, sv4_csv_line(t->csv),
                           SV4_MAX_BIM_TABLE_ROWS);
    return SV4_OK;
  }
}

const char *sv4__table_str(const sv4__table *t, const char *col) {
  for (size_t i = 0; i < t->ncols; i++)
    if (!strcmp(t->names[i], col)) return sv4_csv_field(t->csv, i);
  return "";
}

size_t sv4__table_line(const sv4__table *t) { return sv4_csv_line(t->csv); }

sv4_rc sv4__table_num(const sv4__table *t, const char *col, int allow_empty, double dflt, double *out,
                      sv4_error *err) {
  const char *s = sv4__table_str(t, col);
  if (!*s) {
    *out = dflt;
    if (allow_empty) return SV4_OK;
    return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: column %s: empty", t->file, sv4__table_line(t), col);
  }
  if (!sv4_parse_double(s, out))
    return sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: column %s: not a number: '%.40s'", t->file,
                         sv4__table_line(t), col, s);
  return SV4_OK;
}

void sv4__table_close(sv4__table *t) {
  for (size_t i = 0; t->names && i < t->ncols; i++) free(t->names[i]);
  free(t->names);
  sv4_csv_close(t->csv);
  free(t->data);
  memset(t, 0, sizeof *t);
}

/* ---- climate ------------------------------------------------------------------------------------------- */
struct sv4_climate_set {
  sv4_climate *v;
  size_t n;
};

static const char *const CLIMATE_REQ[] = {"code", "country", "name", "theta_e_01", "theta_e_12", "I_Sol_Hor_01",
                                          "I_Sol_North_12", "source", NULL};

sv4_rc sv4_climate_load(const char *path, sv4_climate_set **out, sv4_error *err) {
  sv4__table t;
  sv4_rc rc;
  sv4_climate_set *s = calloc(1, sizeof *s);
  *out = NULL;
  if (!s) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  if ((rc = sv4__table_open(&t, path, ',', CLIMATE_REQ, err)) != SV4_OK) goto done;
  while ((rc = sv4__table_next(&t, err)) == SV4_OK) {
    sv4_climate *nv = realloc(s->v, (s->n + 1) * sizeof *nv);
    if (!nv) { rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory"); goto done; }
    s->v = nv;
    sv4_climate *c = &s->v[s->n];
    memset(c, 0, sizeof *c);
    snprintf(c->code, sizeof c->code, "%s", sv4__table_str(&t, "code"));
    snprintf(c->country, sizeof c->country, "%s", sv4__table_str(&t, "country"));
    snprintf(c->name, sizeof c->name, "%s", sv4__table_str(&t, "name"));
    snprintf(c->source, sizeof c->source, "%s", sv4__table_str(&t, "source"));
    if (!c->code[0]) { rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: empty code", t.file, sv4__table_line(&t)); goto done; }
    char col[32];
    for (int m = 0; m < 12; m++) {
      snprintf(col, sizeof col, "theta_e_%02d", m + 1);
      if ((rc = sv4__table_num(&t, col, 0, 0, &c->theta_e[m], err)) != SV4_OK) goto done;
      for (int o = 0; o < SV4_OR_N; o++) {
        snprintf(col, sizeof col, "I_Sol_%s_%02d", sv4_orientation_name(o), m + 1);
        if ((rc = sv4__table_num(&t, col, 0, 0, &c->i_sol[o][m], err)) != SV4_OK) goto done;
        if (c->i_sol[o][m] < 0 || c->i_sol[o][m] > 15) {
          rc = sv4_error_set(err, SV4_ERR_PARSE, "%s:%zu: %s = %g is not a daily irradiation in kWh/(m²d)", t.file,
                             sv4__table_line(&t), col, c->i_sol[o][m]);
          goto done;
        }
      }
    }
    s->n++;
  }
  if (rc == SV4_ERR_NOTFOUND) rc = SV4_OK;
done:
  sv4__table_close(&t);
  if (rc) sv4_climate_free(s);
  else *out = s;
  return rc;
}

void sv4_climate_free(sv4_climate_set *s) {
  if (!s) return;
  free(s->v);
  free(s);
}

size_t sv4_climate_count(const sv4_climate_set *s) { return s ? s->n : 0; }

const sv4_climate *sv4_climate_at(const sv4_climate_set *s, size_t i) { return s && i < s->n ? &s->v[i] : NULL; }

const sv4_climate *sv4_climate_find(const sv4_climate_set *s, const char *code) {
  for (size_t i = 0; s && i < s->n; i++)
    if (!strcasecmp(s->v[i].code, code)) return &s->v[i];
  return NULL;
}
