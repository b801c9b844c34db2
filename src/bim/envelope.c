/* envelope.c — the thermal envelope of an IFC model: external vs internal, areas (quantity sets, else geometry
 * of extruded solids, net of openings), orientation from placements and true north, U-values (pset, layers). */
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

/* ---- placements ---- */
typedef struct xf {
  double r[3][3]; /* columns: local x, y, z in parent coordinates */
  double t[3];
} xf;

static void xf_id(xf *x) {
  memset(x, 0, sizeof *x);
  x->r[0][0] = x->r[1][1] = x->r[2][2] = 1;
}

static int vec3(sv4_ifc_model *m, uint64_t id, double v[3], double dflt0, double dflt1, double dflt2) {
  const sv4_step_entity *e;
  v[0] = dflt0, v[1] = dflt1, v[2] = dflt2;
  if (!id || sv4_step_get(m->step, id, &e, NULL)) return 0;
  const sv4_step_value *l = sv4_step_arg(e, 0);
  if (!l || l->kind != SV4_STEP_LIST) return 0;
  for (uint32_t i = 0; i < l->n && i < 3; i++) v[i] = sv4_step_num(&l->items[i], 0);
  if (l->n < 3) v[2] = 0;
  return 1;
}

static void normalize(double v[3]) {
  double n = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (n > 1e-12) v[0] /= n, v[1] /= n, v[2] /= n;
}

/* IfcAxis2Placement3D / 2D → transform (translation in metres). */
static void axis_placement(sv4_ifc_model *m, uint64_t id, xf *x) {
  const sv4_step_entity *a;
  xf_id(x);
  if (!id || sv4_step_get(m->step, id, &a, NULL)) return;
  double loc[3], z[3], rx[3];
  vec3(m, sv4_step_ref(sv4_step_arg(a, 0)), loc, 0, 0, 0);
  int is3d = !strcmp(a->type, "IFCAXIS2PLACEMENT3D");
  if (is3d) {
    vec3(m, sv4_step_ref(sv4_step_arg(a, 1)), z, 0, 0, 1);
    vec3(m, sv4_step_ref(sv4_step_arg(a, 2)), rx, 1, 0, 0);
  } else {
    z[0] = 0, z[1] = 0, z[2] = 1;
    vec3(m, sv4_step_ref(sv4_step_arg(a, 1)), rx, 1, 0, 0);
    rx[2] = 0;
  }
  normalize(z);
  double d = rx[0] * z[0] + rx[1] * z[1] + rx[2] * z[2];
  for (int i = 0; i < 3; i++) rx[i] -= d * z[i];
  normalize(rx);
  if (fabs(rx[0]) + fabs(rx[1]) + fabs(rx[2]) < 1e-9) rx[0] = 1, rx[1] = 0, rx[2] = 0;
  double y[3] = {z[1] * rx[2] - z[2] * rx[1], z[2] * rx[0] - z[0] * rx[2], z[0] * rx[1] - z[1] * rx[0]};
  for (int i = 0; i < 3; i++) {
    x->r[i][0] = rx[i];
    x->r[i][1] = y[i];
    x->r[i][2] = z[i];
    x->t[i] = loc[i] * m->length_unit;
  }
}

static void xf_mul(const xf *p, const xf *l, xf *o) { /* o = p ∘ l */
  xf r;
  for (int i = 0; i < 3; i++) {
    for (int j = 0; j < 3; j++) r.r[i][j] = p->r[i][0] * l->r[0][j] + p->r[i][1] * l->r[1][j] + p->r[i][2] * l->r[2][j];
    r.t[i] = p->r[i][0] * l->t[0] + p->r[i][1] * l->t[1] + p->r[i][2] * l->t[2] + p->t[i];
  }
  *o = r;
}

/* World transform of an IfcLocalPlacement chain. */
static int placement_world(sv4_ifc_model *m, uint64_t id, xf *out) {
  xf_id(out);
  int ok = 0;
  for (unsigned depth = 0; id && depth < SV4_MAX_STEP_REF_DEPTH; depth++) {
    const sv4_step_entity *p;
    if (sv4_step_get(m->step, id, &p, NULL) || strcmp(p->type, "IFCLOCALPLACEMENT")) break;
    xf l;
    axis_placement(m, sv4_step_ref(sv4_step_arg(p, 1)), &l);
    xf_mul(&l, out, out);
    ok = 1;
    id = sv4_step_ref(sv4_step_arg(p, 0));
  }
  return ok;
}

/* ---- profiles and extrusions ---- */
typedef struct prof {
  double area, perim, longest; /* in model units */
  int ok;
} prof;

static void poly_add(prof *p, const double *xy, size_t n) {
  if (n < 3) return;
  double a = 0, per = 0, lon = 0;
  for (size_t i = 0; i < n; i++) {
    size_t j = (i + 1) % n;
    a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    double e = hypot(xy[2 * j] - xy[2 * i], xy[2 * j + 1] - xy[2 * i + 1]);
    per += e;
    if (e > lon) lon = e;
  }
  p->area = fabs(a) / 2;
  p->perim = per;
  p->longest = lon;
  p->ok = 1;
}

static void curve_profile(sv4_ifc_model *m, uint64_t cid, prof *p) {
  const sv4_step_entity *c;
  if (sv4_step_get(m->step, cid, &c, NULL)) return;
  double *xy = NULL;
  size_t n = 0;
  if (!strcmp(c->type, "IFCPOLYLINE")) {
    const sv4_step_value *l = sv4_step_arg(c, 0);
    if (!l || l->kind != SV4_STEP_LIST || l->n < 3) return;
    xy = malloc(l->n * 2 * sizeof *xy);
    if (!xy) return;
    for (uint32_t i = 0; i < l->n; i++) {
      double v[3];
      vec3(m, sv4_step_ref(&l->items[i]), v, 0, 0, 0);
      xy[2 * n] = v[0], xy[2 * n + 1] = v[1];
      n++;
    }
    if (n > 3 && fabs(xy[0] - xy[2 * n - 2]) < 1e-9 && fabs(xy[1] - xy[2 * n - 1]) < 1e-9) n--; /* closed */
  } else if (!strcmp(c->type, "IFCINDEXEDPOLYCURVE")) {
    const sv4_step_entity *pl;
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(c, 0)), &pl, NULL)) return;
    const sv4_step_value *l = sv4_step_arg(pl, 0);
    if (!l || l->kind != SV4_STEP_LIST || l->n < 3) return;
    xy = malloc(l->n * 2 * sizeof *xy);
    if (!xy) return;
    for (uint32_t i = 0; i < l->n; i++) {
      const sv4_step_value *pt = &l->items[i];
      if (pt->kind != SV4_STEP_LIST || pt->n < 2) continue;
      xy[2 * n] = sv4_step_num(&pt->items[0], 0), xy[2 * n + 1] = sv4_step_num(&pt->items[1], 0);
      n++;
    }
    if (n > 3 && fabs(xy[0] - xy[2 * n - 2]) < 1e-9 && fabs(xy[1] - xy[2 * n - 1]) < 1e-9) n--;
  }
  poly_add(p, xy, n);
  free(xy);
}

static void profile(sv4_ifc_model *m, uint64_t pid, prof *p) {
  const sv4_step_entity *e;
  memset(p, 0, sizeof *p);
  if (sv4_step_get(m->step, pid, &e, NULL)) return;
  if (!strncmp(e->type, "IFCRECTANGLE", 12) && strstr(e->type, "PROFILEDEF")) {
    double x = sv4_step_num(sv4_step_arg(e, 3), 0), y = sv4_step_num(sv4_step_arg(e, 4), 0);
    p->area = x * y;
    p->perim = 2 * (x + y);
    p->longest = x > y ? x : y;
    p->ok = x > 0 && y > 0;
  } else if (!strncmp(e->type, "IFCARBITRARY", 12)) {
    curve_profile(m, sv4_step_ref(sv4_step_arg(e, 2)), p);
  } else if (!strcmp(e->type, "IFCCIRCLEPROFILEDEF")) {
    double r = sv4_step_num(sv4_step_arg(e, 3), 0);
    p->area = M_PI * r * r;
    p->perim = 2 * M_PI * r;
    p->longest = 2 * r;
    p->ok = r > 0;
  }
}

/* Area of one extruded solid as seen by an element of kind `kind`, in m²; adds to *vol (m³). */
static double solid_area(sv4_ifc_model *m, uint64_t sid, int kind, const xf *world, unsigned depth, double *vol,
                         double *height) {
  const sv4_step_entity *e;
  if (depth > 16 || sv4_step_get(m->step, sid, &e, NULL)) return 0;
  if (!strcmp(e->type, "IFCBOOLEANCLIPPINGRESULT") || !strcmp(e->type, "IFCBOOLEANRESULT"))
    return solid_area(m, sv4_step_ref(sv4_step_arg(e, 1)), kind, world, depth + 1, vol, height);
  if (!strcmp(e->type, "IFCMAPPEDITEM")) {
    const sv4_step_entity *map, *rep;
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(e, 0)), &map, NULL)) return 0;
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(map, 1)), &rep, NULL)) return 0;
    double best = 0;
    const sv4_step_value *items = sv4_step_arg(rep, 3);
    if (items && items->kind == SV4_STEP_LIST)
      for (uint32_t i = 0; i < items->n; i++) {
        double a = solid_area(m, sv4_step_ref(&items->items[i]), kind, world, depth + 1, vol, height);
        if (a > best) best = a;
      }
    return best;
  }
  if (strcmp(e->type, "IFCEXTRUDEDAREASOLID")) return 0;
  prof p;
  profile(m, sv4_step_ref(sv4_step_arg(e, 0)), &p);
  if (!p.ok) return 0;
  xf pos, w;
  axis_placement(m, sv4_step_ref(sv4_step_arg(e, 1)), &pos);
  xf_mul(world, &pos, &w);
  double dir[3];
  vec3(m, sv4_step_ref(sv4_step_arg(e, 2)), dir, 0, 0, 1);
  normalize(dir);
  double wz = w.r[2][0] * dir[0] + w.r[2][1] * dir[1] + w.r[2][2] * dir[2];
  double lu = m->length_unit, depth_m = sv4_step_num(sv4_step_arg(e, 3), 0) * lu;
  double area_m2 = p.area * lu * lu, perim_m = p.perim * lu;
  double lz[3] = {w.r[0][2], w.r[1][2], w.r[2][2]}; /* profile normal in world */
  double cosn = fabs(lz[0] * dir[0] + lz[1] * dir[1] + lz[2] * dir[2]);
  *vol += area_m2 * depth_m * cosn;
  int vertical = fabs(wz) > 0.7;
  if (vertical && depth_m * fabs(wz) > *height) *height = depth_m * fabs(wz);
  /* length of the profile's long side: for a near-rectangle L×T, L = (P/2 + sqrt(P²/4 − 4A)) / 2 */
  double h = perim_m / 2, disc = h * h - 4 * area_m2;
  double len = disc > 0 ? (h + sqrt(disc)) / 2 : p.longest * lu;
  switch (kind) {
    case SV4_ELEM_WALL: case SV4_ELEM_CURTAIN_WALL: case SV4_ELEM_WINDOW: case SV4_ELEM_DOOR: case SV4_ELEM_OPENING:
      return vertical ? len * depth_m * fabs(wz) : area_m2;
    default:
      return vertical || fabs(lz[2]) > 0.3 ? area_m2 : len * depth_m;
  }
}

static double geom_area(sv4_ifc_model *m, sv4__melem *el, const xf *world, double *len_out, double *vol) {
  const sv4_step_entity *pds;
  *vol = 0;
  if (!el->representation || sv4_step_get(m->step, el->representation, &pds, NULL)) return NAN;
  const sv4_step_value *reps = sv4_step_arg(pds, 2);
  if (!reps || reps->kind != SV4_STEP_LIST) return NAN;
  int sum = !(el->kind == SV4_ELEM_WALL || el->kind == SV4_ELEM_WINDOW || el->kind == SV4_ELEM_DOOR ||
              el->kind == SV4_ELEM_OPENING);
  double total = 0, height = 0, axis_len = 0;
  for (uint32_t r = 0; r < reps->n; r++) {
    const sv4_step_entity *rep;
    if (sv4_step_get(m->step, sv4_step_ref(&reps->items[r]), &rep, NULL)) continue;
    const char *ident = sv4_step_str(sv4_step_arg(rep, 1), "");
    if (!strcmp(ident, "Axis") && el->kind == SV4_ELEM_WALL) { /* wall axis: a polyline; its length */
      const sv4_step_value *ai = sv4_step_arg(rep, 3);
      const sv4_step_entity *pl;
      if (ai && ai->kind == SV4_STEP_LIST && ai->n == 1 && !sv4_step_get(m->step, sv4_step_ref(&ai->items[0]), &pl, NULL) &&
          !strcmp(pl->type, "IFCPOLYLINE")) {
        const sv4_step_value *pts = sv4_step_arg(pl, 0);
        if (pts && pts->kind == SV4_STEP_LIST && pts->n >= 2) {
          double a[3], b[3];
          vec3(m, sv4_step_ref(&pts->items[0]), a, 0, 0, 0);
          vec3(m, sv4_step_ref(&pts->items[pts->n - 1]), b, 0, 0, 0);
          axis_len = hypot(b[0] - a[0], b[1] - a[1]) * m->length_unit;
          if (axis_len > 1e-6) { /* direction and midpoint of the axis in world coordinates */
            double lu = m->length_unit, dx = (b[0] - a[0]) * lu, dy = (b[1] - a[1]) * lu;
            double mx = (a[0] + b[0]) / 2 * lu, my = (a[1] + b[1]) / 2 * lu;
            el->ax = world->r[0][0] * dx + world->r[0][1] * dy;
            el->ay = world->r[1][0] * dx + world->r[1][1] * dy;
            el->axis_mx = world->r[0][0] * mx + world->r[0][1] * my + world->t[0];
            el->axis_my = world->r[1][0] * mx + world->r[1][1] * my + world->t[1];
            el->has_axis = hypot(el->ax, el->ay) > 1e-9;
          }
        }
      }
      continue;
    }
    if (strcmp(ident, "Body")) continue;
    const sv4_step_value *items = sv4_step_arg(rep, 3);
    if (!items || items->kind != SV4_STEP_LIST) continue;
    for (uint32_t i = 0; i < items->n; i++) {
      double a = solid_area(m, sv4_step_ref(&items->items[i]), el->kind, world, 0, vol, &height);
      if (sum) total += a;
      else if (a > total) total = a;
    }
  }
  (void)height; /* the axis length over-counts mitred corners; the footprint length (side area) is kept */
  if (len_out) *len_out = axis_len;
  return total > 0 ? total : NAN;
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

/* Area of what fills or makes an opening, m² (NAN unknown). */
static double fill_area(sv4_ifc_model *m, const sv4__melem *el) {
  static const int win[] = {SV4__Q_AREA, SV4__Q_NET_AREA, SV4__Q_GROSS_AREA};
  double a = first(el, win, 3);
  if (a > 0) return a;
  if (el->q[SV4__Q_WIDTH] > 0 && el->q[SV4__Q_HEIGHT] > 0) return el->q[SV4__Q_WIDTH] * el->q[SV4__Q_HEIGHT];
  if (el->overall_w > 0 && el->overall_h > 0) return el->overall_w * el->overall_h * m->length_unit * m->length_unit;
  return el->geom_area;
}

double sv4__model_geom_area(const sv4_ifc_model *m, uint64_t id) {
  sv4__melem *el = sv4__model_find(m, id);
  return el ? el->geom_area : NAN;
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

static const char *storey_name(sv4_ifc_model *m, const sv4__melem *el) {
  for (int d = 0; el && d < 8; d++) {
    sv4__melem *c = sv4__model_find(m, el->container);
    if (c && c->kind == SV4_ELEM_STOREY) return c->name;
    sv4__melem *p = sv4__model_find(m, el->parent);
    if (p && p->kind == SV4_ELEM_STOREY) return p->name;
    el = p ? p : c;
  }
  return "";
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
    xf w;
    if (el->kind == SV4_ELEM_STOREY && el->elevation < lowest_storey) lowest_storey = el->elevation;
    if (el->kind > SV4_ELEM_SPACE) continue;
    el->has_pos = placement_world(m, el->placement, &w);
    double vol = 0;
    double axis_len = 0;
    el->geom_area = geom_area(m, el, &w, &axis_len, &vol);
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
          if (!strcmp(el->predef, "BASESLAB")) {
            if (ext < 0) ext = 1;
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
      else if (el->overall_w > 0 && el->overall_h > 0)
        a = el->overall_w * el->overall_h * m->length_unit * m->length_unit, as = SV4_SRC_GEOMETRY;
      else {
        sv4__melem *op = sv4__model_find(m, el->opening);
        if (el->geom_area > 0) a = el->geom_area, as = SV4_SRC_GEOMETRY;
        else if (op && op->geom_area > 0) a = op->geom_area, as = SV4_SRC_GEOMETRY;
      }
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
