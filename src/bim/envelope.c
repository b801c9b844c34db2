/* envelope.c — the thermal envelope of an IFC model: external vs internal, areas (quantity sets, else geometry
 * of extruded solids (geometry.c), net of openings), orientation from placements and true north, U-values (pset,
 * layers). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bim/internal.h"
#include "sv4/limits.h"

const char *sv4_env_type_name(sv4_env_type t) {
  static const char *n[] = {"wall", "window", "door", "roof", "floor"};
  return (unsigned)t < SV4_ENV_TYPE_COUNT ? n[t] : "other";
}

const char *sv4_value_source_name(sv4_value_source s) {
  static const char *n[] = {"missing", "pset", "layers", "tabula", "qto", "geometry", "default"};
  return (unsigned)s <= SV4_SRC_DEFAULT ? n[s] : "missing";
}

/* ---- externality ---- */
static int ext_known(const sv4__melem *el) {
  if (el->is_external >= 0) return el->is_external;
  if (el->type_external >= 0) return el->type_external;
  if (el->sb_external || el->sb_internal) return el->sb_external >= el->sb_internal;
  return -1;
}

static sv4__melem *host_of(sv4_ifc_model *m, const sv4__melem *el) {
  sv4__melem *op = sv4__model_find(m, el->opening);
  return op ? sv4__model_find(m, op->host) : NULL;
}

static double first(const sv4__melem *el, const int *slots, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (el->q[slots[i]] > 0) return el->q[slots[i]];
  return NAN;
}

/* Gross area of el from geometry alone (what is used when the model has no quantity set), m², NAN unknown:
 * walls' side on the centre plane (clipped), slabs'/roofs' profile; windows and doors: the profile of the
 * opening they fill (its exact shape: round windows), else their own body, else OverallWidth × OverallHeight. */
static double geometry_area(const sv4_ifc_model *m, const sv4__melem *el) {
  if (el->kind != SV4_ELEM_WINDOW && el->kind != SV4_ELEM_DOOR) return el->geom_area > 0 ? el->geom_area : NAN;
  const sv4__melem *op = sv4__model_find(m, el->opening);
  if (op && op->filling == el->id && op->geom_area > 0) return op->geom_area;
  if (el->geom_area > 0) return el->geom_area;
  if (el->overall_w > 0 && el->overall_h > 0) return el->overall_w * el->overall_h * m->length_unit * m->length_unit;
  return NAN;
}

/* Area of what fills or makes an opening, m² (NAN unknown). */
static double fill_area(sv4_ifc_model *m, const sv4__melem *el) {
  static const int win[] = {SV4__Q_AREA, SV4__Q_NET_AREA, SV4__Q_GROSS_AREA};
  double a = first(el, win, 3);
  if (a > 0) return a;
  if (el->q[SV4__Q_WIDTH] > 0 && el->q[SV4__Q_HEIGHT] > 0) return el->q[SV4__Q_WIDTH] * el->q[SV4__Q_HEIGHT];
  return geometry_area(m, el);
}

double sv4__model_geom_area(const sv4_ifc_model *m, uint64_t id) {
  sv4__melem *el = sv4__model_find(m, id);
  return el ? geometry_area(m, el) : NAN;
}

double sv4__model_qto_area(const sv4_ifc_model *m, uint64_t id) {
  static const int wall[] = {SV4__Q_GROSS_SIDE}, slab[] = {SV4__Q_GROSS_AREA, SV4__Q_NET_AREA, SV4__Q_AREA},
                   win[] = {SV4__Q_AREA, SV4__Q_GROSS_AREA, SV4__Q_NET_AREA};
  sv4__melem *el = sv4__model_find(m, id);
  if (!el) return NAN;
  if (el->kind == SV4_ELEM_WALL) return first(el, wall, 1);
  if (el->kind == SV4_ELEM_WINDOW || el->kind == SV4_ELEM_DOOR) return first(el, win, 3);
  if (el->kind == SV4_ELEM_SPACE) return el->q[SV4__Q_NET_FLOOR] > 0 ? el->q[SV4__Q_NET_FLOOR] : el->q[SV4__Q_GROSS_FLOOR];
  return first(el, slab, 3);
}

static const sv4__melem *storey_of(const sv4_ifc_model *m, const sv4__melem *el) {
  for (int d = 0; el && d < 8; d++) {
    sv4__melem *c = sv4__model_find(m, el->container);
    if (c && c->kind == SV4_ELEM_STOREY) return c;
    sv4__melem *p = sv4__model_find(m, el->parent);
    if (p && p->kind == SV4_ELEM_STOREY) return p;
    el = p ? p : c;
  }
  return NULL;
}

static const char *storey_name(sv4_ifc_model *m, const sv4__melem *el) {
  const sv4__melem *s = storey_of(m, el);
  return s ? s->name : "";
}

static int is_floor_slab(const sv4__melem *el) {
  return el->kind == SV4_ELEM_SLAB && strcmp(el->predef, "ROOF") && strcmp(el->predef, "LANDING");
}

/* Marks the ground floor: the lowest floor slabs of the lowest storey that holds spaces (the lowest heated
 * storey), among those that bound a space when the model has space boundaries (so terraces and other slabs
 * outside are left out), and only the bottom layer (finish floors laid on the slab are not envelope). Such a
 * slab separates heated rooms from the ground (EN ISO 13370): it is part of the thermal envelope whatever
 * Pset_SlabCommon.IsExternal says — exporters set IsExternal false for slabs on grade, which face the ground, not
 * the outside air (IFC4 calls that boundary EXTERNAL_EARTH). Models without spaces are left to IsExternal. */
static void mark_ground_floor(sv4_ifc_model *m) {
  const sv4__melem *ground = NULL;
  int has_sb = 0;
  for (size_t i = 0; i < m->nel; i++) {
    const sv4__melem *el = &m->el[i];
    if (el->sb_external || el->sb_internal) has_sb = 1;
    if (el->kind != SV4_ELEM_SPACE) continue;
    const sv4__melem *st = storey_of(m, el);
    if (st && isfinite(st->elevation) && (!ground || st->elevation < ground->elevation)) ground = st;
  }
  if (!ground) return;
  double zlow = INFINITY;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < m->nel; i++) {
      sv4__melem *el = &m->el[i];
      if (!is_floor_slab(el) || storey_of(m, el) != ground) continue;
      if (has_sb && !el->sb_external && !el->sb_internal) continue;
      double z = isfinite(el->geom_zmin) ? el->geom_zmin : el->wz;
      if (!pass && z < zlow) zlow = z;
      if (pass && z <= zlow + 0.05) el->ground_floor = 1;
    }
}

static double u_from_material(sv4_ifc_model *m, const sv4__melem *el, sv4_env_type t) {
  const sv4_step_entity *mat, *ls;
  if (!el->material || sv4_step_get(m->step, el->material, &mat, NULL)) return NAN;
  if (!strcmp(mat->type, "IFCMATERIALLAYERSETUSAGE")) {
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(mat, 0)), &ls, NULL)) return NAN;
  } else if (!strcmp(mat->type, "IFCMATERIALLAYERSET")) {
    ls = mat;
  } else {
    return NAN;
  }
  const sv4_step_value *layers = sv4_step_arg(ls, 0);
  if (!layers || layers->kind != SV4_STEP_LIST || !layers->n || layers->n > 64) return NAN;
  double th[64];
  const char *names[64];
  size_t n = 0;
  for (uint32_t i = 0; i < layers->n; i++) {
    const sv4_step_entity *l, *mm;
    if (sv4_step_get(m->step, sv4_step_ref(&layers->items[i]), &l, NULL)) return NAN;
    th[n] = sv4_step_num(sv4_step_arg(l, 1), 0) * m->length_unit;
    names[n] = "";
    if (!sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(l, 0)), &mm, NULL)) names[n] = sv4_step_str(sv4_step_arg(mm, 0), "");
    if (th[n] > 0) n++;
  }
  return n ? sv4_envelope_u_from_layers(th, names, n, t) : NAN;
}

/* Which side of wall w (normal nx, ny) is outside: +1 when the other walls of the building (weighted by their
 * area) lie mostly behind the normal, -1 when mostly in front. Falls back to the building's centre (cx, cy). */
static int outward_side(const sv4_ifc_model *m, const sv4__melem *w, double nx, double ny, double cx, double cy) {
  double front = 0, back = 0;
  for (size_t i = 0; i < m->nel; i++) {
    const sv4__melem *o = &m->el[i];
    if (o == w || o->kind != SV4_ELEM_WALL || !o->has_pos) continue;
    if (fabs(o->wz - w->wz) > 2.5) continue; /* same storey, roughly */
    double d = (o->wx - w->wx) * nx + (o->wy - w->wy) * ny, wt = o->geom_area > 0 ? o->geom_area : 1;
    if (d > 0.2) front += wt;
    else if (d < -0.2) back += wt;
  }
  if (front + back > 0 && fabs(front - back) > 0.1 * (front + back)) return back > front ? 1 : -1;
  return (w->wx - cx) * nx + (w->wy - cy) * ny >= 0 ? 1 : -1;
}

sv4_rc sv4__envelope_build(sv4_ifc_model *m, sv4_error *err) {
  /* geometry and positions */
  double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
  double lowest_storey = INFINITY;
  for (size_t i = 0; i < m->nel; i++) {
    sv4__melem *el = &m->el[i];
    sv4__xf w;
    if (el->kind == SV4_ELEM_STOREY && el->elevation < lowest_storey) lowest_storey = el->elevation;
    if (el->kind > SV4_ELEM_SPACE) continue;
    el->has_pos = sv4__placement_world(m, el->placement, &w);
    double vol = 0;
    double axis_len = 0;
    el->geom_area = sv4__geom_area(m, el, &w, &axis_len, &vol);
    el->geom_len = axis_len;
    el->geom_volume = vol;
    if (el->has_pos) {
      el->wx = w.t[0], el->wy = w.t[1], el->wz = w.t[2];
      if (!el->has_axis) el->ax = w.r[0][0], el->ay = w.r[1][0]; /* else: from the Axis representation */
      double n = hypot(el->ax, el->ay);
      if (n > 1e-9) el->ax /= n, el->ay /= n;
      if (el->has_axis) {
        el->wx = el->axis_mx, el->wy = el->axis_my;
      } else if (el->kind == SV4_ELEM_WALL && el->geom_area > 0) {
        /* centre of the wall along its axis: length ≈ area / height unknown; use the Qto length when given */
        double L = el->q[SV4__Q_LENGTH] > 0 ? el->q[SV4__Q_LENGTH] : el->geom_len > 0 ? el->geom_len : 0;
        el->wx += el->ax * L / 2, el->wy += el->ay * L / 2;
      }
      if (el->kind == SV4_ELEM_WALL) {
        if (el->wx < minx) minx = el->wx;
        if (el->wx > maxx) maxx = el->wx;
        if (el->wy < miny) miny = el->wy;
        if (el->wy > maxy) maxy = el->wy;
      }
    }
  }
  double cx = isfinite(minx) ? (minx + maxx) / 2 : 0, cy = isfinite(miny) ? (miny + maxy) / 2 : 0;
  /* openings: their area goes to the host */
  for (size_t i = 0; i < m->nel; i++) {
    sv4__melem *op = &m->el[i];
    if (op->kind != SV4_ELEM_OPENING) continue;
    sv4__melem *host = sv4__model_find(m, op->host), *fill = sv4__model_find(m, op->filling);
    if (!host) continue;
    double a = fill ? fill_area(m, fill) : NAN;
    if (!(a > 0)) a = op->geom_area;
    if (a > 0) host->openings_area += a;
  }
  mark_ground_floor(m);
  /* which walls host windows */
  for (size_t i = 0; i < m->nel; i++) {
    sv4__melem *el = &m->el[i];
    if (el->kind != SV4_ELEM_WINDOW) continue;
    sv4__melem *h = host_of(m, el);
    if (h && h->kind == SV4_ELEM_WALL) h->hosts_window = 1;
  }
  size_t cap = 64;
  sv4_envelope *env = &m->env;
  env->elements = calloc(cap, sizeof *env->elements);
  if (!env->elements) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  double tol = 1.0; /* m: walls within this of the outline count as external when nothing else says */
  for (size_t i = 0; i < m->nel; i++) {
    sv4__melem *el = &m->el[i];
    int ext = ext_known(el);
    sv4_env_type t;
    switch (el->kind) {
      case SV4_ELEM_WALL:
        t = SV4_ENV_WALL;
        if (ext < 0) {
          int hosts_window = el->hosts_window;
          int on_outline = el->has_pos && (fabs(el->wx - minx) < tol || fabs(el->wx - maxx) < tol ||
                                           fabs(el->wy - miny) < tol || fabs(el->wy - maxy) < tol);
          ext = hosts_window || on_outline;
        }
        break;
      case SV4_ELEM_CURTAIN_WALL: t = SV4_ENV_WINDOW; if (ext < 0) ext = 1; break;
      case SV4_ELEM_WINDOW:
      case SV4_ELEM_DOOR: {
        t = el->kind == SV4_ELEM_WINDOW ? SV4_ENV_WINDOW : SV4_ENV_DOOR;
        if (ext < 0) {
          sv4__melem *h = host_of(m, el);
          int he = h ? ext_known(h) : -1;
          if (he < 0 && h && h->hosts_window) he = 1;
          ext = he >= 0 ? he : el->kind == SV4_ELEM_WINDOW;
        }
        break;
      }
      case SV4_ELEM_ROOF: {
        int has_parts = 0;
        for (size_t k = 0; k < m->nel; k++)
          if (m->el[k].parent == el->id && m->el[k].kind == SV4_ELEM_SLAB) has_parts = 1;
        if (has_parts) continue;
        t = SV4_ENV_ROOF;
        if (ext < 0) ext = 1;
        break;
      }
      case SV4_ELEM_SLAB: {
        sv4__melem *p = sv4__model_find(m, el->parent);
        if ((p && p->kind == SV4_ELEM_ROOF) || !strcmp(el->predef, "ROOF")) {
          t = SV4_ENV_ROOF;
          if (ext < 0) ext = 1;
        } else {
          t = SV4_ENV_FLOOR;
          if (!strcmp(el->predef, "BASESLAB") || el->ground_floor) {
            if (ext < 0 || el->ground_floor) ext = 1;
          } else if (ext < 0) {
            sv4__melem *st = sv4__model_find(m, el->container);
            ext = st && st->kind == SV4_ELEM_STOREY && st->elevation <= lowest_storey + 1e-6;
          }
        }
        break;
      }
      default: continue;
    }
    if (ext != 1) continue;
    if (env->n == cap) {
      cap *= 2;
      sv4_envelope_element *ne = realloc(env->elements, cap * sizeof *ne);
      if (!ne) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
      env->elements = ne;
    }
    sv4_envelope_element *o = &env->elements[env->n++];
    memset(o, 0, sizeof *o);
    snprintf(o->id, sizeof o->id, "#%llu", (unsigned long long)el->id);
    o->guid = el->guid;
    o->name = el->name;
    o->ifc_type = el->ifc_type;
    o->type = t;
    o->external = 1;
    o->storey = storey_name(m, el);
    /* area */
    double a = NAN;
    sv4_value_source as = SV4_SRC_MISSING;
    if (t == SV4_ENV_WALL || el->kind == SV4_ELEM_CURTAIN_WALL) {
      if (el->q[SV4__Q_NET_SIDE] > 0) a = el->q[SV4__Q_NET_SIDE], as = SV4_SRC_QTO;
      else if (el->q[SV4__Q_GROSS_SIDE] > 0) a = el->q[SV4__Q_GROSS_SIDE] - el->openings_area, as = SV4_SRC_QTO;
      else if (el->q[SV4__Q_NET_AREA] > 0) a = el->q[SV4__Q_NET_AREA], as = SV4_SRC_QTO;
      else if (el->geom_area > 0) a = el->geom_area - el->openings_area, as = SV4_SRC_GEOMETRY;
    } else if (t == SV4_ENV_WINDOW || t == SV4_ENV_DOOR) {
      static const int win[] = {SV4__Q_AREA, SV4__Q_NET_AREA, SV4__Q_GROSS_AREA};
      a = first(el, win, 3);
      if (a > 0) as = SV4_SRC_QTO;
      else if (el->q[SV4__Q_WIDTH] > 0 && el->q[SV4__Q_HEIGHT] > 0)
        a = el->q[SV4__Q_WIDTH] * el->q[SV4__Q_HEIGHT], as = SV4_SRC_QTO;
      else if ((a = geometry_area(m, el)) > 0)
        as = SV4_SRC_GEOMETRY;
    } else {
      static const int sl[] = {SV4__Q_NET_AREA, SV4__Q_GROSS_AREA, SV4__Q_AREA};
      a = first(el, sl, 3);
      if (a > 0) as = SV4_SRC_QTO;
      else if (el->geom_area > 0) a = el->geom_area - el->openings_area, as = SV4_SRC_GEOMETRY;
    }
    if (!(a > 0)) a = 0, as = SV4_SRC_MISSING;
    o->area_m2 = a;
    o->area_source = as;
    /* orientation */
    o->orientation_deg = NAN;
    o->tilt_deg = (t == SV4_ENV_ROOF) ? 0 : (t == SV4_ENV_FLOOR) ? 180 : 90;
    if (t == SV4_ENV_WALL || t == SV4_ENV_WINDOW || t == SV4_ENV_DOOR) {
      const sv4__melem *src = el;
      sv4__melem *h = host_of(m, el);
      if (h && h->has_pos) src = h;
      if (src->has_pos) {
        double nx = -src->ay, ny = src->ax; /* normal in plan (left of the axis) */
        if (outward_side(m, src, nx, ny, cx, cy) < 0) nx = -nx, ny = -ny;
        double cross = m->north_x * ny - m->north_y * nx, dot = m->north_x * nx + m->north_y * ny;
        double az = atan2(-cross, dot) * 180 / M_PI;
        if (az < 0) az += 360;
        o->orientation_deg = round(az * 10) / 10;
        if (o->orientation_deg >= 360 || o->orientation_deg == 0) o->orientation_deg = 0; /* also -0 */
      }
    }
    /* U-value */
    o->u = NAN;
    o->u_source = SV4_SRC_MISSING;
    if (el->u_pset > 0) o->u = el->u_pset, o->u_source = SV4_SRC_PSET;
    else if (el->type_u_pset > 0) o->u = el->type_u_pset, o->u_source = SV4_SRC_PSET;
    else if (t == SV4_ENV_WALL || t == SV4_ENV_ROOF || t == SV4_ENV_FLOOR) {
      double u = u_from_material(m, el, t);
      if (u > 0) o->u = round(u * 1000) / 1000, o->u_source = SV4_SRC_LAYERS;
    }
  }
  /* floor area and volume */
  double fa = 0, fg = 0, vol = 0;
  for (size_t i = 0; i < m->nel; i++) {
    sv4__melem *el = &m->el[i];
    if (el->kind != SV4_ELEM_SPACE) continue;
    double q = el->q[SV4__Q_NET_FLOOR] > 0 ? el->q[SV4__Q_NET_FLOOR] : el->q[SV4__Q_GROSS_FLOOR];
    if (q > 0) fa += q;
    else if (el->geom_area > 0) fg += el->geom_area;
    double v = el->q[SV4__Q_NET_VOLUME] > 0 ? el->q[SV4__Q_NET_VOLUME] : el->q[SV4__Q_GROSS_VOLUME];
    vol += v > 0 ? v : el->geom_volume;
  }
  if (fa > 0) env->floor_area_m2 = fa + fg, env->floor_area_source = SV4_SRC_QTO;
  else if (fg > 0) env->floor_area_m2 = fg, env->floor_area_source = SV4_SRC_GEOMETRY;
  else {
    static const int sl[] = {SV4__Q_NET_AREA, SV4__Q_GROSS_AREA, SV4__Q_AREA};
    for (size_t i = 0; i < m->nel; i++) {
      sv4__melem *el = &m->el[i];
      if (el->kind != SV4_ELEM_SLAB || !strcmp(el->predef, "ROOF")) continue;
      double a = first(el, sl, 3);
      if (a > 0) env->floor_area_m2 += a, env->floor_area_source = SV4_SRC_QTO;
      else if (el->geom_area > 0) env->floor_area_m2 += el->geom_area, env->floor_area_source = SV4_SRC_GEOMETRY;
    }
  }
  env->volume_m3 = vol;
  env->storeys = m->count[SV4_ELEM_STOREY];
  for (size_t i = 0; i < env->n; i++)
    if (env->elements[i].type == SV4_ENV_WALL || env->elements[i].type == SV4_ENV_WINDOW ||
        env->elements[i].type == SV4_ENV_DOOR)
      env->has_envelope = 1;
  return SV4_OK;
}
