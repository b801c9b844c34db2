/* model.c — IFC model extraction over the STEP reader: spatial structure, building elements, relationships
 * (aggregation, containment, properties, types, voids/fills, space boundaries, materials), units, true north. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bim/internal.h"

static const struct {
  const char *ifc;
  int kind;
} kinds[] = {
    {"IFCWALL", SV4_ELEM_WALL},           {"IFCWALLSTANDARDCASE", SV4_ELEM_WALL},
    {"IFCWALLELEMENTEDCASE", SV4_ELEM_WALL}, {"IFCWINDOW", SV4_ELEM_WINDOW},
    {"IFCWINDOWSTANDARDCASE", SV4_ELEM_WINDOW}, {"IFCDOOR", SV4_ELEM_DOOR},
    {"IFCDOORSTANDARDCASE", SV4_ELEM_DOOR}, {"IFCSLAB", SV4_ELEM_SLAB},
    {"IFCSLABSTANDARDCASE", SV4_ELEM_SLAB}, {"IFCSLABELEMENTEDCASE", SV4_ELEM_SLAB},
    {"IFCROOF", SV4_ELEM_ROOF},           {"IFCCOVERING", SV4_ELEM_COVERING},
    {"IFCCURTAINWALL", SV4_ELEM_CURTAIN_WALL}, {"IFCOPENINGELEMENT", SV4_ELEM_OPENING},
    {"IFCOPENINGSTANDARDCASE", SV4_ELEM_OPENING}, {"IFCSPACE", SV4_ELEM_SPACE},
    {"IFCBUILDINGSTOREY", SV4_ELEM_STOREY}, {"IFCBUILDING", SV4_ELEM_BUILDING},
    {"IFCSITE", SV4_ELEM_SITE},
};

const char *sv4_elem_type_name(sv4_elem_type t) {
  static const char *n[] = {"wall",    "window", "door",  "slab",   "roof",     "covering",
                            "curtain_wall", "opening", "space", "storey", "building", "site"};
  return (unsigned)t < SV4_ELEM_TYPE_COUNT ? n[t] : "other";
}

/* ---- id → element map ---- */
static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

static sv4_rc map_grow(sv4_ifc_model *m) {
  size_t cap = m->map_cap ? m->map_cap * 2 : 1024;
  uint32_t *h = calloc(cap, sizeof *h);
  if (!h) return SV4_ERR_NOMEM;
  for (size_t i = 0; i < m->nel; i++) {
    size_t j = mix(m->el[i].id) & (cap - 1);
    while (h[j]) j = (j + 1) & (cap - 1);
    h[j] = (uint32_t)i + 1;
  }
  free(m->map);
  m->map = h;
  m->map_cap = cap;
  return SV4_OK;
}

sv4__melem *sv4__model_find(const sv4_ifc_model *m, uint64_t id) {
  if (!m->map_cap || !id) return NULL;
  size_t j = mix(id) & (m->map_cap - 1);
  while (m->map[j]) {
    sv4__melem *e = &m->el[m->map[j] - 1];
    if (e->id == id) return e;
    j = (j + 1) & (m->map_cap - 1);
  }
  return NULL;
}

static sv4__melem *map_add(sv4_ifc_model *m, uint64_t id, int kind) {
  sv4__melem *e = sv4__model_find(m, id);
  if (e) return e;
  if ((m->nel + 1) * 2 > m->map_cap && map_grow(m)) return NULL;
  if (m->nel == m->el_cap) {
    size_t cap = m->el_cap ? m->el_cap * 2 : 256;
    sv4__melem *n = realloc(m->el, cap * sizeof *n);
    if (!n) return NULL;
    m->el = n;
    m->el_cap = cap;
  }
  e = &m->el[m->nel];
  memset(e, 0, sizeof *e);
  e->id = id;
  e->kind = kind;
  e->is_external = -1;
  e->type_external = -1;
  e->u_pset = NAN;
  e->type_u_pset = NAN;
  for (int q = 0; q < SV4__Q_COUNT; q++) e->q[q] = NAN;
  e->geom_area = NAN;
  e->geom_len = NAN;
  size_t j = mix(id) & (m->map_cap - 1);
  while (m->map[j]) j = (j + 1) & (m->map_cap - 1);
  m->map[j] = (uint32_t)m->nel + 1;
  m->nel++;
  return e;
}

/* ---- units ---- */
static double si_prefix(const char *p) {
  static const struct {
    const char *n;
    double f;
  } t[] = {{"EXA", 1e18}, {"PETA", 1e15}, {"TERA", 1e12}, {"GIGA", 1e9}, {"MEGA", 1e6}, {"KILO", 1e3},
           {"HECTO", 1e2}, {"DECA", 1e1}, {"DECI", 1e-1}, {"CENTI", 1e-2}, {"MILLI", 1e-3}, {"MICRO", 1e-6},
           {"NANO", 1e-9}, {"PICO", 1e-12}};
  if (!p) return 1;
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (!strcmp(p, t[i].n)) return t[i].f;
  return 1;
}

/* Factor of a unit entity to SI (for conversion based units, value × its base unit). */
static double unit_factor(sv4_ifc_model *m, uint64_t id, int depth) {
  const sv4_step_entity *u;
  if (depth > 8 || sv4_step_get(m->step, id, &u, NULL)) return 1;
  if (!strcmp(u->type, "IFCSIUNIT")) return si_prefix(sv4_step_str(sv4_step_arg(u, 2), NULL));
  if (!strcmp(u->type, "IFCCONVERSIONBASEDUNIT") || !strcmp(u->type, "IFCCONVERSIONBASEDUNITWITHOFFSET")) {
    const sv4_step_entity *mw;
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(u, 3)), &mw, NULL)) return 1;
    double v = sv4_step_num(sv4_step_arg(mw, 0), 1);
    return v * unit_factor(m, sv4_step_ref(sv4_step_arg(mw, 1)), depth + 1);
  }
  return 1;
}

static void read_units(sv4_ifc_model *m, const sv4_step_entity *project) {
  const sv4_step_entity *ua;
  m->length_unit = 1;
  m->area_unit = 1;
  m->volume_unit = 1;
  m->angle_unit = 1;
  if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(project, 8)), &ua, NULL)) return;
  const sv4_step_value *l = sv4_step_arg(ua, 0);
  if (!l || l->kind != SV4_STEP_LIST) return;
  int area_set = 0, vol_set = 0;
  for (uint32_t i = 0; i < l->n; i++) {
    const sv4_step_entity *u;
    uint64_t uid = sv4_step_ref(&l->items[i]);
    if (sv4_step_get(m->step, uid, &u, NULL)) continue;
    const char *ut = sv4_step_str(sv4_step_arg(u, 1), "");
    if (strcmp(u->type, "IFCSIUNIT") && strncmp(u->type, "IFCCONVERSIONBASEDUNIT", 22)) continue;
    double f = unit_factor(m, uid, 0);
    int si = !strcmp(u->type, "IFCSIUNIT");
    if (!strcmp(ut, "LENGTHUNIT")) m->length_unit = f;
    else if (!strcmp(ut, "AREAUNIT")) m->area_unit = si ? f * f : f, area_set = 1;
    else if (!strcmp(ut, "VOLUMEUNIT")) m->volume_unit = si ? f * f * f : f, vol_set = 1;
    else if (!strcmp(ut, "PLANEANGLEUNIT")) m->angle_unit = f;
  }
  if (!area_set) m->area_unit = m->length_unit * m->length_unit;
  if (!vol_set) m->volume_unit = m->length_unit * m->length_unit * m->length_unit;
}

static void read_true_north(sv4_ifc_model *m, const sv4_step_entity *project) {
  const sv4_step_value *ctxs = sv4_step_arg(project, 7);
  m->north_x = 0;
  m->north_y = 1;
  if (!ctxs || ctxs->kind != SV4_STEP_LIST) return;
  for (uint32_t i = 0; i < ctxs->n; i++) {
    const sv4_step_entity *c, *d;
    if (sv4_step_get(m->step, sv4_step_ref(&ctxs->items[i]), &c, NULL)) continue;
    if (strcmp(c->type, "IFCGEOMETRICREPRESENTATIONCONTEXT")) continue;
    if (strcmp(sv4_step_str(sv4_step_arg(c, 1), ""), "Model")) continue;
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(c, 5)), &d, NULL)) continue;
    const sv4_step_value *r = sv4_step_arg(d, 0);
    if (!r || r->kind != SV4_STEP_LIST || r->n < 2) continue;
    double x = sv4_step_num(&r->items[0], 0), y = sv4_step_num(&r->items[1], 1), len = hypot(x, y);
    if (len > 1e-9) {
      m->north_x = x / len;
      m->north_y = y / len;
    }
    return;
  }
}

/* ---- properties and quantities ---- */
static int qslot(const char *name) {
  static const struct {
    const char *n;
    int q;
  } t[] = {{"NetSideArea", SV4__Q_NET_SIDE}, {"GrossSideArea", SV4__Q_GROSS_SIDE}, {"NetArea", SV4__Q_NET_AREA},
           {"GrossArea", SV4__Q_GROSS_AREA}, {"Area", SV4__Q_AREA}, {"NetFloorArea", SV4__Q_NET_FLOOR},
           {"GrossFloorArea", SV4__Q_GROSS_FLOOR}, {"GSA BIM Area", SV4__Q_GROSS_FLOOR},
           {"Width", SV4__Q_WIDTH}, {"Height", SV4__Q_HEIGHT}, {"Length", SV4__Q_LENGTH},
           {"NetVolume", SV4__Q_NET_VOLUME}, {"GrossVolume", SV4__Q_GROSS_VOLUME}, {"Depth", SV4__Q_DEPTH},
           {"Thickness", SV4__Q_DEPTH}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (!strcasecmp(name, t[i].n)) return t[i].q;
  return -1;
}

static void read_quantities(sv4_ifc_model *m, sv4__melem *el, const sv4_step_entity *qs, int prio) {
  const sv4_step_value *l = sv4_step_arg(qs, 5);
  if (!l || l->kind != SV4_STEP_LIST) return;
  for (uint32_t i = 0; i < l->n; i++) {
    const sv4_step_entity *q;
    if (sv4_step_get(m->step, sv4_step_ref(&l->items[i]), &q, NULL)) continue;
    int slot = qslot(sv4_step_str(sv4_step_arg(q, 0), ""));
    if (slot < 0) continue;
    double v = sv4_step_num(sv4_step_arg(q, 3), NAN), f = 1;
    if (!strcmp(q->type, "IFCQUANTITYAREA")) f = m->area_unit;
    else if (!strcmp(q->type, "IFCQUANTITYLENGTH")) f = m->length_unit;
    else if (!strcmp(q->type, "IFCQUANTITYVOLUME")) f = m->volume_unit;
    else continue;
    if (sv4_step_ref(sv4_step_arg(q, 2))) f = unit_factor(m, sv4_step_ref(sv4_step_arg(q, 2)), 0) *
                                               (!strcmp(q->type, "IFCQUANTITYAREA") ? unit_factor(m, sv4_step_ref(sv4_step_arg(q, 2)), 0) : 1);
    if (!(v > 0) || !isfinite(v)) continue;
    if (!isnan(el->q[slot]) && el->q_prio[slot] >= prio) continue;
    el->q[slot] = v * f;
    el->q_prio[slot] = (unsigned char)prio;
  }
}

/* Reads a property set or quantity set into el (type_level: properties of the element's type object). */
static void read_pset(sv4_ifc_model *m, sv4__melem *el, uint64_t psid, int type_level) {
  const sv4_step_entity *ps;
  if (sv4_step_get(m->step, psid, &ps, NULL)) return;
  const char *name = sv4_step_str(sv4_step_arg(ps, 2), "");
  if (!strcmp(ps->type, "IFCELEMENTQUANTITY")) {
    int prio = (!strcmp(name, "BaseQuantities") || !strncmp(name, "Qto_", 4)) ? 2 : 1;
    read_quantities(m, el, ps, prio);
    return;
  }
  if (strcmp(ps->type, "IFCPROPERTYSET")) return;
  const sv4_step_value *l = sv4_step_arg(ps, 4);
  if (!l || l->kind != SV4_STEP_LIST) return;
  int common = !strncasecmp(name, "Pset_", 5) && strlen(name) > 6 && !strcasecmp(name + strlen(name) - 6, "Common");
  for (uint32_t i = 0; i < l->n; i++) {
    const sv4_step_entity *p;
    if (sv4_step_get(m->step, sv4_step_ref(&l->items[i]), &p, NULL)) continue;
    if (strcmp(p->type, "IFCPROPERTYSINGLEVALUE")) continue;
    const char *pn = sv4_step_str(sv4_step_arg(p, 0), "");
    const sv4_step_value *v = sv4_step_arg(p, 2);
    if (!strcmp(pn, "IsExternal") && common) {
      int b = sv4_step_bool(v);
      if (b >= 0) {
        if (type_level) el->type_external = b;
        else el->is_external = b;
      }
    } else if (!strcmp(pn, "ThermalTransmittance")) {
      double u = sv4_step_num(v, NAN);
      if (u > 0 && isfinite(u)) {
        if (type_level) el->type_u_pset = u;
        else el->u_pset = u;
      }
    }
  }
}

/* Calls fn for every reference in v (a single reference or a list of them). */
#define FOR_REFS(v, var, body) FOR_REFS_(v, var, body, __LINE__)
#define FOR_REFS_(v, var, body, L) FOR_REFS__(v, var, body, L)
#define FOR_REFS__(v, var, body, L)                                                                            \
  do {                                                                                                         \
    const sv4_step_value *fr_v_##L = (v);                                                                          \
    if (fr_v_##L && fr_v_##L->kind == SV4_STEP_REF) {                                                                  \
      uint64_t var = fr_v_##L->u.ref;                                                                              \
      body;                                                                                                    \
    } else if (fr_v_##L && fr_v_##L->kind == SV4_STEP_LIST) {                                                          \
      for (uint32_t fr_k_##L = 0; fr_k_##L < fr_v_##L->n; fr_k_##L++) {                                                        \
        uint64_t var = sv4_step_ref(&fr_v_##L->items[fr_k_##L]);                                                       \
        if (var) body;                                                                                         \
      }                                                                                                        \
    }                                                                                                          \
  } while (0)

static void read_psets(sv4_ifc_model *m, sv4__melem *el, const sv4_step_value *defs) {
  FOR_REFS(defs, ps, read_pset(m, el, ps, 0));
}

static void apply_type_object(sv4_ifc_model *m, sv4__melem *el, uint64_t tid) {
  const sv4_step_entity *t;
  if (sv4_step_get(m->step, tid, &t, NULL)) return;
  el->type_obj = tid;
  FOR_REFS(sv4_step_arg(t, 5), ps, read_pset(m, el, ps, 1));
}

sv4_rc sv4_ifc_model_from_step(sv4_step *s, sv4_ifc_model **out, sv4_error *err) {
  sv4_rc rc = SV4_OK;
  int *tcode = NULL;
  *out = NULL;
  sv4_ifc_model *m = calloc(1, sizeof *m);
  if (!m) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  m->step = s;
  m->arena = sv4_arena_new(1 << 16);
  if (!m->arena) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  const char *schema = sv4_step_header_of(s)->schema;
  if (strncasecmp(schema, "IFC", 3)) {
    rc = sv4_error_set(err, SV4_ERR_FORMAT, "%s: schema '%s' is not IFC", s->name, schema);
    goto done;
  }
  m->ifc4 = strncasecmp(schema, "IFC2X", 5) != 0;
  /* pass 1: elements and the project */
  size_t n = sv4_step_count(s), nt = sv4_step_type_count(s);
  uint64_t project = 0;
  /* per type (not per instance): what it is to the model. code < 0: ignored; 0..: element kind;
   * 100: IfcProject; 101..108: the relationships read in pass 2 */
  tcode = malloc((nt ? nt : 1) * sizeof *tcode);
  if (!tcode) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t t = 0; t < nt; t++) {
    const char *name = sv4_step_type_name(s, t);
    tcode[t] = -1;
    if (!strcmp(name, "IFCPROJECT")) tcode[t] = 100;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
      if (!strcmp(name, kinds[k].ifc)) tcode[t] = kinds[k].kind;
    if (!strncmp(name, "IFCREL", 6)) {
      const char *r = name + 6;
      int which = !strcmp(r, "DEFINESBYPROPERTIES")           ? 1
                  : !strcmp(r, "DEFINESBYTYPE")               ? 2
                  : !strcmp(r, "AGGREGATES")                  ? 3
                  : !strcmp(r, "CONTAINEDINSPATIALSTRUCTURE") ? 4
                  : !strcmp(r, "VOIDSELEMENT")                ? 5
                  : !strcmp(r, "FILLSELEMENT")                ? 6
                  : !strncmp(r, "SPACEBOUNDARY", 13)          ? 7
                  : !strcmp(r, "ASSOCIATESMATERIAL")          ? 8
                                                              : 0;
      if (which) tcode[t] = 100 + which;
    }
  }
  for (size_t i = 0; i < n; i++) {
    int code = tcode[s->recs[i].type];
    if (code < 0 || code > 100) continue;
    if (code == 100) {
      project = sv4_step_id_at(s, i);
      continue;
    }
    sv4__melem *e = map_add(m, sv4_step_id_at(s, i), code);
    if (!e) {
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      goto done;
    }
    e->ifc_type = sv4_step_type_at(s, i);
    m->count[code]++;
  }
  m->length_unit = m->area_unit = m->volume_unit = m->angle_unit = 1;
  m->north_x = 0;
  m->north_y = 1;
  if (project) {
    const sv4_step_entity *pe;
    rc = sv4_step_get(s, project, &pe, err);
    if (rc) goto done;
    read_units(m, pe);
    read_true_north(m, pe);
  }
  /* element attributes */
  for (size_t i = 0; i < m->nel; i++) {
    sv4__melem *el = &m->el[i];
    const sv4_step_entity *e;
    rc = sv4_step_get(s, el->id, &e, err);
    if (rc) goto done;
    el->ent = e;
    el->guid = sv4_step_str(sv4_step_arg(e, 0), "");
    el->name = sv4_step_str(sv4_step_arg(e, 2), "");
    el->placement = sv4_step_ref(sv4_step_arg(e, 5));
    el->representation = sv4_step_ref(sv4_step_arg(e, 6));
    int pt_idx = -1;
    switch (el->kind) {
      case SV4_ELEM_SLAB: case SV4_ELEM_COVERING: case SV4_ELEM_ROOF: case SV4_ELEM_WALL: pt_idx = 8; break;
      case SV4_ELEM_WINDOW: case SV4_ELEM_DOOR:
        el->overall_h = sv4_step_num(sv4_step_arg(e, 8), NAN);
        el->overall_w = sv4_step_num(sv4_step_arg(e, 9), NAN);
        if (m->ifc4) pt_idx = 10;
        break;
      case SV4_ELEM_STOREY: el->elevation = sv4_step_num(sv4_step_arg(e, 9), NAN); break;
      default: break;
    }
    if (pt_idx >= 0) el->predef = sv4_step_str(sv4_step_arg(e, (uint32_t)pt_idx), "");
    if (!el->predef) el->predef = "";
  }
  /* pass 2: relationships */
  for (size_t i = 0; i < n; i++) {
    int which = tcode[s->recs[i].type] - 100;
    if (which < 1) continue;
    const sv4_step_entity *r;
    rc = sv4_step_get(s, sv4_step_id_at(s, i), &r, err);
    if (rc) goto done;
    switch (which) {
      case 1: /* RelatedObjects 4, RelatingPropertyDefinition 5 (a set in IFC4) */
        FOR_REFS(sv4_step_arg(r, 4), o, {
          sv4__melem *el = sv4__model_find(m, o);
          if (el) read_psets(m, el, sv4_step_arg(r, 5));
        });
        break;
      case 2:
        FOR_REFS(sv4_step_arg(r, 4), o, {
          sv4__melem *el = sv4__model_find(m, o);
          if (el) apply_type_object(m, el, sv4_step_ref(sv4_step_arg(r, 5)));
        });
        break;
      case 3: {
        uint64_t whole = sv4_step_ref(sv4_step_arg(r, 4));
        FOR_REFS(sv4_step_arg(r, 5), o, {
          sv4__melem *el = sv4__model_find(m, o);
          if (el && !el->parent) el->parent = whole;
        });
        break;
      }
      case 4: {
        uint64_t st = sv4_step_ref(sv4_step_arg(r, 5));
        FOR_REFS(sv4_step_arg(r, 4), o, {
          sv4__melem *el = sv4__model_find(m, o);
          if (el) el->container = st;
        });
        break;
      }
      case 5: {
        sv4__melem *host = sv4__model_find(m, sv4_step_ref(sv4_step_arg(r, 4)));
        sv4__melem *op = sv4__model_find(m, sv4_step_ref(sv4_step_arg(r, 5)));
        if (host && op) op->host = host->id;
        break;
      }
      case 6: {
        sv4__melem *op = sv4__model_find(m, sv4_step_ref(sv4_step_arg(r, 4)));
        sv4__melem *fill = sv4__model_find(m, sv4_step_ref(sv4_step_arg(r, 5)));
        if (op && fill) {
          fill->opening = op->id;
          op->filling = fill->id;
        }
        break;
      }
      case 7: {
        sv4__melem *el = sv4__model_find(m, sv4_step_ref(sv4_step_arg(r, 5)));
        const char *io = sv4_step_str(sv4_step_arg(r, 8), "");
        if (el) {
          if (!strncmp(io, "EXTERNAL", 8)) el->sb_external++;
          else if (!strcmp(io, "INTERNAL")) el->sb_internal++;
        }
        break;
      }
      case 8: {
        uint64_t mat = sv4_step_ref(sv4_step_arg(r, 5));
        FOR_REFS(sv4_step_arg(r, 4), o, {
          sv4__melem *el = sv4__model_find(m, o);
          if (el) el->material = mat;
          else if (o) {
            /* material of a type object: remembered on the elements of that type below */
            if (m->ntm == m->tm_cap) {
              size_t cap = m->tm_cap ? m->tm_cap * 2 : 64;
              uint64_t *grown = realloc(m->type_mat, cap * 2 * sizeof *grown);
              if (!grown) break;
              m->type_mat = grown;
              m->tm_cap = cap;
            }
            m->type_mat[m->ntm * 2] = o;
            m->type_mat[m->ntm * 2 + 1] = mat;
            m->ntm++;
          }
        });
        break;
      }
    }
  }
  for (size_t i = 0; i < m->nel; i++) {
    sv4__melem *el = &m->el[i];
    if (el->material || !el->type_obj) continue;
    for (size_t k = 0; k < m->ntm; k++)
      if (m->type_mat[k * 2] == el->type_obj) el->material = m->type_mat[k * 2 + 1];
  }
  rc = sv4__envelope_build(m, err);
done:
  free(tcode);
  if (rc) {
    sv4_ifc_model_free(m);
    return rc;
  }
  *out = m;
  return SV4_OK;
}

sv4_rc sv4_ifc_model_open(const char *path, sv4_ifc_model **out, sv4_error *err) {
  sv4_step *s = NULL;
  *out = NULL;
  sv4_rc rc = sv4_step_open(path, &s, err);
  if (rc) return rc;
  rc = sv4_ifc_model_from_step(s, out, err);
  if (rc) {
    sv4_step_close(s);
    return rc;
  }
  (*out)->owns_step = 1;
  return SV4_OK;
}

void sv4_ifc_model_free(sv4_ifc_model *m) {
  if (!m) return;
  if (m->owns_step) sv4_step_close(m->step);
  free(m->el);
  free(m->map);
  free(m->type_mat);
  free(m->env.elements);
  sv4_arena_free(m->arena);
  free(m);
}

sv4_step *sv4_ifc_model_step(sv4_ifc_model *m) { return m->step; }
size_t sv4_ifc_model_count(const sv4_ifc_model *m, sv4_elem_type t) {
  return (unsigned)t < SV4_ELEM_TYPE_COUNT ? m->count[t] : 0;
}
double sv4_ifc_model_length_unit(const sv4_ifc_model *m) { return m->length_unit; }
double sv4_ifc_model_true_north_deg(const sv4_ifc_model *m) {
  /* azimuth of model +Y: north vector n in model coords; +Y is rotated from n by the angle from n to (0,1) */
  double a = atan2(-(m->north_x * 1 - m->north_y * 0), m->north_y) * 180 / M_PI;
  return a < 0 ? a + 360 : a;
}
const sv4_envelope *sv4_envelope_of(const sv4_ifc_model *m) { return &m->env; }
