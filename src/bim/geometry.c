/* geometry.c — the geometry an envelope needs from an IFC model: placements, profile outlines (polylines,
 * composite curves with arcs, parametric profiles), extruded solids and the side area of walls on their centre
 * plane, cut by the half-spaces of clipping results (gable walls under a roof). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bim/internal.h"
#include "sv4/limits.h"

/* ---- placements ---- */
static void xf_id(sv4__xf *x) {
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

void sv4__axis_placement(sv4_ifc_model *m, uint64_t id, sv4__xf *x) {
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

void sv4__xf_mul(const sv4__xf *p, const sv4__xf *l, sv4__xf *o) {
  sv4__xf r;
  for (int i = 0; i < 3; i++) {
    for (int j = 0; j < 3; j++) r.r[i][j] = p->r[i][0] * l->r[0][j] + p->r[i][1] * l->r[1][j] + p->r[i][2] * l->r[2][j];
    r.t[i] = p->r[i][0] * l->t[0] + p->r[i][1] * l->t[1] + p->r[i][2] * l->t[2] + p->t[i];
  }
  *o = r;
}

int sv4__placement_world(sv4_ifc_model *m, uint64_t id, sv4__xf *out) {
  xf_id(out);
  int ok = 0;
  for (unsigned depth = 0; id && depth < SV4_MAX_STEP_REF_DEPTH; depth++) {
    const sv4_step_entity *p;
    if (sv4_step_get(m->step, id, &p, NULL) || strcmp(p->type, "IFCLOCALPLACEMENT")) break;
    sv4__xf l;
    sv4__axis_placement(m, sv4_step_ref(sv4_step_arg(p, 1)), &l);
    sv4__xf_mul(&l, out, out);
    ok = 1;
    id = sv4_step_ref(sv4_step_arg(p, 0));
  }
  return ok;
}

/* ---- 2D point lists ---- */
typedef struct pts {
  double *xy;
  size_t n, cap;
  int full; /* a limit was reached: the outline is incomplete */
} pts;

static void pts_add(pts *p, double x, double y) {
  if (p->n && fabs(p->xy[2 * p->n - 2] - x) < 1e-12 && fabs(p->xy[2 * p->n - 1] - y) < 1e-12) return;
  if (p->n == p->cap) {
    size_t nc = p->cap ? 2 * p->cap : 32;
    double *nx = nc <= SV4__MAX_OUTLINE_POINTS ? realloc(p->xy, nc * 2 * sizeof *nx) : NULL;
    if (!nx) {
      p->full = 1;
      return;
    }
    p->xy = nx, p->cap = nc;
  }
  p->xy[2 * p->n] = x, p->xy[2 * p->n + 1] = y;
  p->n++;
}

static void pts_close(pts *p) { /* drop the repeated first point of a closed list */
  if (p->n > 3 && fabs(p->xy[0] - p->xy[2 * p->n - 2]) < 1e-9 && fabs(p->xy[1] - p->xy[2 * p->n - 1]) < 1e-9) p->n--;
}

static double pts_area(const pts *p) { /* shoelace, absolute */
  double a = 0;
  for (size_t i = 0; i < p->n; i++) {
    size_t j = (i + 1) % p->n;
    a += p->xy[2 * i] * p->xy[2 * j + 1] - p->xy[2 * j] * p->xy[2 * i + 1];
  }
  return fabs(a) / 2;
}

/* An arc (or full circle/ellipse) of a conic in its 2D placement, from angle t0 to t1 (radians, t1 > t0 when
 * counter-clockwise), appended with steps of at most 2°. */
static void conic_arc(pts *out, const sv4__xf *c, double ra, double rb, double t0, double t1) {
  double span = t1 - t0, st = ceil(fabs(span) / (M_PI / 90));
  if (!isfinite(span)) return;
  int steps = st < 1 ? 1 : st > 4096 ? 4096 : (int)st;
  for (int k = 0; k <= steps; k++) {
    double t = t0 + span * k / steps, lx = ra * cos(t), ly = rb * sin(t);
    pts_add(out, c->t[0] + c->r[0][0] * lx + c->r[0][1] * ly, c->t[1] + c->r[1][0] * lx + c->r[1][1] * ly);
  }
}

/* Trimming value of a trimmed curve: the parameter (IfcParameterValue) and/or a point; *has_pt when a point. */
static int trim_value(sv4_ifc_model *m, const sv4_step_value *set, double *param, double pt[2], int *has_pt) {
  int has_param = 0;
  *has_pt = 0;
  if (!set || set->kind != SV4_STEP_LIST) return 0;
  for (uint32_t i = 0; i < set->n; i++) {
    const sv4_step_value *v = &set->items[i];
    if (v->kind == SV4_STEP_TYPED && v->u.s && !strcmp(v->u.s, "IFCPARAMETERVALUE")) {
      *param = sv4_step_num(v, 0);
      has_param = 1;
    } else if (v->kind == SV4_STEP_REF) {
      double p3[3];
      if (vec3(m, v->u.ref, p3, 0, 0, 0)) pt[0] = p3[0], pt[1] = p3[1], *has_pt = 1;
    }
  }
  return has_param || *has_pt;
}

static void curve_points(sv4_ifc_model *m, uint64_t cid, pts *out, unsigned depth);

static void trimmed_curve(sv4_ifc_model *m, const sv4_step_entity *c, pts *out) {
  const sv4_step_entity *b;
  if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(c, 0)), &b, NULL)) return;
  double p1 = 0, p2 = 0, q1[2] = {0, 0}, q2[2] = {0, 0};
  int h1, h2;
  if (!trim_value(m, sv4_step_arg(c, 1), &p1, q1, &h1) || !trim_value(m, sv4_step_arg(c, 2), &p2, q2, &h2)) return;
  int sense = sv4_step_bool(sv4_step_arg(c, 3)) != 0;
  if (!strcmp(b->type, "IFCCIRCLE") || !strcmp(b->type, "IFCELLIPSE")) {
    sv4__xf pl;
    sv4__axis_placement(m, sv4_step_ref(sv4_step_arg(b, 0)), &pl);
    double lu = m->length_unit;
    for (int i = 0; i < 2; i++) pl.t[i] /= lu; /* stay in model units like the other profile points */
    double ra = sv4_step_num(sv4_step_arg(b, 1), 0),
           rb = !strcmp(b->type, "IFCCIRCLE") ? ra : sv4_step_num(sv4_step_arg(b, 2), 0);
    if (!(ra > 0) || !(rb > 0)) return;
    double t[2];
    const double *q[2] = {q1, q2}, pp[2] = {p1, p2};
    const int h[2] = {h1, h2};
    for (int i = 0; i < 2; i++) {
      if (h[i]) { /* angle of the point in the conic's frame */
        double dx = q[i][0] - pl.t[0], dy = q[i][1] - pl.t[1];
        double lx = dx * pl.r[0][0] + dy * pl.r[1][0], ly = dx * pl.r[0][1] + dy * pl.r[1][1];
        t[i] = atan2(ly / rb, lx / ra);
      } else {
        t[i] = pp[i] * m->angle_unit;
      }
    }
    if (!isfinite(t[0]) || !isfinite(t[1])) return;
    /* the sweep from trim 1 to trim 2: counter-clockwise when the sense agrees, in (0, 2π] either way */
    double sweep = fmod(sense ? t[1] - t[0] : t[0] - t[1], 2 * M_PI);
    if (sweep <= 1e-12) sweep += 2 * M_PI;
    conic_arc(out, &pl, ra, rb, t[0], sense ? t[0] + sweep : t[0] - sweep);
  } else if (h1 && h2) { /* a line (or anything else) between two trimming points */
    pts_add(out, q1[0], q1[1]);
    pts_add(out, q2[0], q2[1]);
  } else if (!strcmp(b->type, "IFCLINE")) {
    double o[3], dir[3] = {1, 0, 0};
    const sv4_step_entity *vec;
    vec3(m, sv4_step_ref(sv4_step_arg(b, 0)), o, 0, 0, 0);
    double mag = 1;
    if (!sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(b, 1)), &vec, NULL)) {
      vec3(m, sv4_step_ref(sv4_step_arg(vec, 0)), dir, 1, 0, 0);
      mag = sv4_step_num(sv4_step_arg(vec, 1), 1);
    }
    normalize(dir);
    pts_add(out, o[0] + dir[0] * mag * p1, o[1] + dir[1] * mag * p1);
    pts_add(out, o[0] + dir[0] * mag * p2, o[1] + dir[1] * mag * p2);
  }
}

/* Points of a 2D curve in model units, in the curve's own direction. */
static void curve_points(sv4_ifc_model *m, uint64_t cid, pts *out, unsigned depth) {
  const sv4_step_entity *c;
  if (depth > 16 || sv4_step_get(m->step, cid, &c, NULL)) return;
  if (!strcmp(c->type, "IFCPOLYLINE")) {
    const sv4_step_value *l = sv4_step_arg(c, 0);
    if (!l || l->kind != SV4_STEP_LIST) return;
    for (uint32_t i = 0; i < l->n; i++) {
      double v[3];
      vec3(m, sv4_step_ref(&l->items[i]), v, 0, 0, 0);
      pts_add(out, v[0], v[1]);
    }
  } else if (!strcmp(c->type, "IFCINDEXEDPOLYCURVE")) {
    const sv4_step_entity *pl;
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(c, 0)), &pl, NULL)) return;
    const sv4_step_value *l = sv4_step_arg(pl, 0);
    if (!l || l->kind != SV4_STEP_LIST) return;
    for (uint32_t i = 0; i < l->n; i++) {
      const sv4_step_value *pt = &l->items[i];
      if (pt->kind == SV4_STEP_LIST && pt->n >= 2)
        pts_add(out, sv4_step_num(&pt->items[0], 0), sv4_step_num(&pt->items[1], 0));
    }
  } else if (!strcmp(c->type, "IFCCOMPOSITECURVE")) {
    const sv4_step_value *segs = sv4_step_arg(c, 0);
    if (!segs || segs->kind != SV4_STEP_LIST) return;
    for (uint32_t i = 0; i < segs->n; i++) {
      const sv4_step_entity *s;
      if (sv4_step_get(m->step, sv4_step_ref(&segs->items[i]), &s, NULL)) continue;
      pts seg = {0};
      curve_points(m, sv4_step_ref(sv4_step_arg(s, 2)), &seg, depth + 1);
      int same = sv4_step_bool(sv4_step_arg(s, 1)) != 0;
      for (size_t k = 0; k < seg.n; k++) {
        size_t j = same ? k : seg.n - 1 - k;
        pts_add(out, seg.xy[2 * j], seg.xy[2 * j + 1]);
      }
      if (seg.full) out->full = 1;
      free(seg.xy);
    }
  } else if (!strcmp(c->type, "IFCTRIMMEDCURVE")) {
    trimmed_curve(m, c, out);
  } else if (!strcmp(c->type, "IFCCIRCLE") || !strcmp(c->type, "IFCELLIPSE")) {
    sv4__xf pl;
    sv4__axis_placement(m, sv4_step_ref(sv4_step_arg(c, 0)), &pl);
    for (int i = 0; i < 2; i++) pl.t[i] /= m->length_unit;
    double ra = sv4_step_num(sv4_step_arg(c, 1), 0),
           rb = !strcmp(c->type, "IFCCIRCLE") ? ra : sv4_step_num(sv4_step_arg(c, 2), 0);
    if (ra > 0 && rb > 0) conic_arc(out, &pl, ra, rb, 0, 2 * M_PI);
  }
}

/* ---- profiles ---- */
typedef struct prof {
  double area;    /* net of voids, model units² */
  double perim;   /* outer boundary, model units */
  double longest; /* longest outer edge */
  pts outline;    /* outer boundary in profile coordinates (model units); may be empty */
  int ok;
} prof;

static void outline_measures(prof *p) {
  const pts *o = &p->outline;
  double per = 0, lon = 0;
  for (size_t i = 0; i < o->n; i++) {
    size_t j = (i + 1) % o->n;
    double e = hypot(o->xy[2 * j] - o->xy[2 * i], o->xy[2 * j + 1] - o->xy[2 * i + 1]);
    per += e;
    if (e > lon) lon = e;
  }
  p->perim = per, p->longest = lon;
}

/* A parametric profile's 2D position (IfcAxis2Placement2D, in model units) applied to a local point. */
static void pos2(const sv4__xf *pl, double lu, double x, double y, double *ox, double *oy) {
  *ox = pl->t[0] / lu + pl->r[0][0] * x + pl->r[0][1] * y;
  *oy = pl->t[1] / lu + pl->r[1][0] * x + pl->r[1][1] * y;
}

static void profile(sv4_ifc_model *m, uint64_t pid, prof *p) {
  const sv4_step_entity *e;
  memset(p, 0, sizeof *p);
  if (sv4_step_get(m->step, pid, &e, NULL)) return;
  double lu = m->length_unit;
  if (!strncmp(e->type, "IFCRECTANGLE", 12) && strstr(e->type, "PROFILEDEF")) {
    double x = sv4_step_num(sv4_step_arg(e, 3), 0), y = sv4_step_num(sv4_step_arg(e, 4), 0);
    sv4__xf pl;
    sv4__axis_placement(m, sv4_step_ref(sv4_step_arg(e, 2)), &pl);
    static const double cx[4] = {-0.5, 0.5, 0.5, -0.5}, cy[4] = {-0.5, -0.5, 0.5, 0.5};
    for (int i = 0; i < 4; i++) {
      double ox, oy;
      pos2(&pl, lu, cx[i] * x, cy[i] * y, &ox, &oy);
      pts_add(&p->outline, ox, oy);
    }
    p->area = x * y;
    p->ok = x > 0 && y > 0;
  } else if (!strncmp(e->type, "IFCARBITRARY", 12)) {
    curve_points(m, sv4_step_ref(sv4_step_arg(e, 2)), &p->outline, 0);
    pts_close(&p->outline);
    if (p->outline.n >= 3 && !p->outline.full) {
      p->area = pts_area(&p->outline);
      p->ok = p->area > 0;
    }
    const sv4_step_value *voids = !strcmp(e->type, "IFCARBITRARYPROFILEDEFWITHVOIDS") ? sv4_step_arg(e, 3) : NULL;
    if (p->ok && voids && voids->kind == SV4_STEP_LIST)
      for (uint32_t i = 0; i < voids->n; i++) {
        pts in = {0};
        curve_points(m, sv4_step_ref(&voids->items[i]), &in, 0);
        pts_close(&in);
        if (in.n >= 3 && !in.full) p->area -= pts_area(&in);
        free(in.xy);
      }
    if (!(p->area > 0)) p->ok = 0;
  } else if (!strcmp(e->type, "IFCCIRCLEPROFILEDEF") || !strcmp(e->type, "IFCELLIPSEPROFILEDEF")) {
    double ra = sv4_step_num(sv4_step_arg(e, 3), 0), rb = e->type[3] == 'C' ? ra : sv4_step_num(sv4_step_arg(e, 4), 0);
    sv4__xf pl;
    sv4__axis_placement(m, sv4_step_ref(sv4_step_arg(e, 2)), &pl);
    for (int i = 0; i < 2; i++) pl.t[i] /= lu;
    if (ra > 0 && rb > 0) conic_arc(&p->outline, &pl, ra, rb, 0, 2 * M_PI);
    pts_close(&p->outline);
    p->area = M_PI * ra * rb;
    p->ok = ra > 0 && rb > 0;
  }
  if (p->ok) outline_measures(p);
}

/* ---- half-spaces of clipping results ---- */
typedef struct cut {
  double n[3], p[3]; /* plane normal and point, object coordinates (m) */
  int agree;         /* AgreementFlag: the normal points away from the half-space's material */
  int bounded;       /* IfcPolygonalBoundedHalfSpace: removes only inside the boundary prism */
  sv4__xf bpos;      /* boundary position (m) */
  pts boundary;      /* boundary polygon in bpos's XY (m) */
} cut;

static int read_cut(sv4_ifc_model *m, uint64_t id, cut *c) {
  const sv4_step_entity *h, *pl;
  memset(c, 0, sizeof *c);
  if (sv4_step_get(m->step, id, &h, NULL)) return 0;
  int bounded = !strcmp(h->type, "IFCPOLYGONALBOUNDEDHALFSPACE");
  if (!bounded && strcmp(h->type, "IFCHALFSPACESOLID") && strcmp(h->type, "IFCBOXEDHALFSPACE")) return 0;
  if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(h, 0)), &pl, NULL) || strcmp(pl->type, "IFCPLANE")) return 0;
  sv4__xf ps;
  sv4__axis_placement(m, sv4_step_ref(sv4_step_arg(pl, 0)), &ps);
  for (int i = 0; i < 3; i++) c->n[i] = ps.r[i][2], c->p[i] = ps.t[i];
  c->agree = sv4_step_bool(sv4_step_arg(h, 1)) != 0;
  if (bounded) { /* IfcBoxedHalfSpace's box only limits computation; it is unbounded here */
    sv4__axis_placement(m, sv4_step_ref(sv4_step_arg(h, 2)), &c->bpos);
    curve_points(m, sv4_step_ref(sv4_step_arg(h, 3)), &c->boundary, 0);
    pts_close(&c->boundary);
    for (size_t i = 0; i < 2 * c->boundary.n; i++) c->boundary.xy[i] *= m->length_unit;
    if (c->boundary.n < 3 || c->boundary.full) {
      free(c->boundary.xy);
      return 0;
    }
    c->bounded = 1;
  }
  return 1;
}

static int point_in(const pts *p, double x, double y) {
  int in = 0;
  for (size_t i = 0, j = p->n - 1; i < p->n; j = i++) {
    double xi = p->xy[2 * i], yi = p->xy[2 * i + 1], xj = p->xy[2 * j], yj = p->xy[2 * j + 1];
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
  }
  return in;
}

/* Narrows the kept height [*lo, *hi] of the vertical line at (x, y) by cut c. */
static void apply_cut(const cut *c, double x, double y, double *lo, double *hi) {
  if (c->bounded) {
    double z = (*lo + *hi) / 2, d[3] = {x - c->bpos.t[0], y - c->bpos.t[1], z - c->bpos.t[2]};
    double lx = d[0] * c->bpos.r[0][0] + d[1] * c->bpos.r[1][0] + d[2] * c->bpos.r[2][0];
    double ly = d[0] * c->bpos.r[0][1] + d[1] * c->bpos.r[1][1] + d[2] * c->bpos.r[2][1];
    if (!point_in(&c->boundary, lx, ly)) return;
  }
  /* f(z) = n·(X − p); kept where f > 0 (AgreementFlag true: the material is behind the normal), else f < 0 */
  double s = c->agree ? 1 : -1;
  double a = s * (c->n[0] * (x - c->p[0]) + c->n[1] * (y - c->p[1]) - c->n[2] * c->p[2]), b = s * c->n[2];
  if (fabs(b) < 1e-9) {
    if (a <= 0) *hi = *lo; /* the whole column is removed */
    return;
  }
  double zc = -a / b;
  if (b > 0) {
    if (zc > *lo) *lo = zc;
  } else if (zc < *hi) {
    *hi = zc;
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Side area (m²) of a wall extruded vertically from outline q (object coordinates, m) between z0 and z1, taken on
 * its centre plane: the plane parallel to the longest edge at half the profile's thickness. Its length is the
 * mean of the faces (for a mitred L×T trapezoid: the centre-line length), its height at each point what the cuts
 * leave. Returns NAN when the outline is not wall-like. */
static double wall_side_area(const pts *q, double z0, double z1, const cut *cuts, size_t ncuts, double *height) {
  if (q->n < 3) return NAN;
  size_t e = 0;
  double best = 0;
  for (size_t i = 0; i < q->n; i++) {
    size_t j = (i + 1) % q->n;
    double l = hypot(q->xy[2 * j] - q->xy[2 * i], q->xy[2 * j + 1] - q->xy[2 * i + 1]);
    if (l > best) best = l, e = i;
  }
  if (!(best > 1e-9) || !isfinite(best)) return NAN;
  size_t e2 = (e + 1) % q->n;
  double dx = (q->xy[2 * e2] - q->xy[2 * e]) / best, dy = (q->xy[2 * e2 + 1] - q->xy[2 * e + 1]) / best;
  double nx = -dy, ny = dx, thick = 0;
  for (size_t i = 0; i < q->n; i++) {
    double s = nx * (q->xy[2 * i] - q->xy[2 * e]) + ny * (q->xy[2 * i + 1] - q->xy[2 * e + 1]);
    if (fabs(s) > fabs(thick)) thick = s;
  }
  if (fabs(thick) < 1e-6 || fabs(thick) > best) return NAN;
  double ax = q->xy[2 * e] + nx * thick / 2, ay = q->xy[2 * e + 1] + ny * thick / 2;
  /* where the centre line crosses the outline */
  double u[64];
  size_t nu = 0;
  for (size_t i = 0; i < q->n && nu < 64; i++) {
    size_t j = (i + 1) % q->n;
    double si = nx * (q->xy[2 * i] - ax) + ny * (q->xy[2 * i + 1] - ay);
    double sj = nx * (q->xy[2 * j] - ax) + ny * (q->xy[2 * j + 1] - ay);
    if ((si > 0) == (sj > 0)) continue;
    double t = si / (si - sj);
    double px = q->xy[2 * i] + t * (q->xy[2 * j] - q->xy[2 * i]),
           py = q->xy[2 * i + 1] + t * (q->xy[2 * j + 1] - q->xy[2 * i + 1]);
    u[nu++] = dx * (px - ax) + dy * (py - ay);
  }
  if (nu < 2 || nu % 2) return NAN;
  qsort(u, nu, sizeof u[0], cmp_double);
  double lo0 = z0 < z1 ? z0 : z1, hi0 = z0 < z1 ? z1 : z0, area = 0;
  if (!ncuts) {
    for (size_t k = 0; k + 1 < nu; k += 2) area += (u[k + 1] - u[k]) * (hi0 - lo0);
    if (hi0 - lo0 > *height) *height = hi0 - lo0;
    return area;
  }
  /* with cuts: the kept height is piecewise linear along the wall; midpoint sums over fine steps */
  enum { STEPS = 2048 };
  double span = u[nu - 1] - u[0], du = span / STEPS;
  size_t k = 0;
  for (int s = 0; s < STEPS; s++) {
    double uu = u[0] + (s + 0.5) * du;
    while (k + 2 < nu && uu > u[k + 1]) k += 2;
    if (uu < u[k] || uu > u[k + 1]) continue;
    double x = ax + dx * uu, y = ay + dy * uu, lo = lo0, hi = hi0;
    for (size_t c = 0; c < ncuts && hi > lo; c++) apply_cut(&cuts[c], x, y, &lo, &hi);
    if (hi > lo) {
      area += (hi - lo) * du;
      if (hi - lo > *height) *height = hi - lo;
    }
  }
  return area;
}

/* ---- solids ---- */
enum { MAX_CUTS = 32 };

static int is_wall_kind(int kind) { return kind == SV4_ELEM_WALL || kind == SV4_ELEM_CURTAIN_WALL; }

/* Area of one solid as seen by an element of kind `kind`, in m²; adds to *vol (m³). cut_ids: the half-spaces the
 * enclosing clipping results remove. */
static double solid_area(sv4_ifc_model *m, uint64_t sid, int kind, const sv4__xf *world, unsigned depth, double *vol,
                         double *height, double *zmin, uint64_t *cut_ids, size_t ncut) {
  const sv4_step_entity *e;
  if (depth > 16 || sv4_step_get(m->step, sid, &e, NULL)) return 0;
  if (!strcmp(e->type, "IFCBOOLEANCLIPPINGRESULT") || !strcmp(e->type, "IFCBOOLEANRESULT")) {
    uint64_t second = sv4_step_ref(sv4_step_arg(e, 2));
    const char *op = sv4_step_str(sv4_step_arg(e, 0), "");
    const char *st = sv4_step_type_of(m->step, second);
    if (!strcmp(op, "DIFFERENCE") && st && strstr(st, "HALFSPACE") && ncut < MAX_CUTS) cut_ids[ncut++] = second;
    return solid_area(m, sv4_step_ref(sv4_step_arg(e, 1)), kind, world, depth + 1, vol, height, zmin, cut_ids, ncut);
  }
  if (!strcmp(e->type, "IFCMAPPEDITEM")) {
    const sv4_step_entity *map, *rep;
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(e, 0)), &map, NULL)) return 0;
    if (sv4_step_get(m->step, sv4_step_ref(sv4_step_arg(map, 1)), &rep, NULL)) return 0;
    double best = 0;
    const sv4_step_value *items = sv4_step_arg(rep, 3);
    if (items && items->kind == SV4_STEP_LIST)
      for (uint32_t i = 0; i < items->n; i++) {
        double a = solid_area(m, sv4_step_ref(&items->items[i]), kind, world, depth + 1, vol, height, zmin, cut_ids, 0);
        if (a > best) best = a;
      }
    return best;
  }
  if (strcmp(e->type, "IFCEXTRUDEDAREASOLID")) return 0;
  prof p;
  profile(m, sv4_step_ref(sv4_step_arg(e, 0)), &p);
  if (!p.ok) {
    free(p.outline.xy);
    return 0;
  }
  sv4__xf pos, w;
  sv4__axis_placement(m, sv4_step_ref(sv4_step_arg(e, 1)), &pos);
  sv4__xf_mul(world, &pos, &w);
  double dir[3];
  vec3(m, sv4_step_ref(sv4_step_arg(e, 2)), dir, 0, 0, 1);
  normalize(dir);
  double wz = w.r[2][0] * dir[0] + w.r[2][1] * dir[1] + w.r[2][2] * dir[2];
  double lu = m->length_unit, depth_m = sv4_step_num(sv4_step_arg(e, 3), 0) * lu;
  double area_m2 = p.area * lu * lu, perim_m = p.perim * lu;
  double lz[3] = {w.r[0][2], w.r[1][2], w.r[2][2]}; /* profile normal in world */
  double cosn = fabs(lz[0] * dir[0] + lz[1] * dir[1] + lz[2] * dir[2]);
  *vol += area_m2 * depth_m * cosn;
  if (fabs(lz[2]) > 0.999) { /* horizontal profile: the solid spans the profile plane and the plane + extrusion */
    double z0 = w.t[2], z1 = z0 + depth_m * wz, lo = z0 < z1 ? z0 : z1;
    if (!(lo >= *zmin)) *zmin = lo;
  }
  int vertical = fabs(wz) > 0.7;
  double result = NAN;
  /* walls: the side on the centre plane, in the element's own coordinates (where the cuts are given) */
  double dz = pos.r[2][0] * dir[0] + pos.r[2][1] * dir[1] + pos.r[2][2] * dir[2];
  if (is_wall_kind(kind) && vertical && fabs(pos.r[2][2]) > 0.999 && fabs(dz) > 0.999 && p.outline.n >= 3) {
    pts q = {0};
    for (size_t i = 0; i < p.outline.n; i++) {
      double x = p.outline.xy[2 * i] * lu, y = p.outline.xy[2 * i + 1] * lu;
      pts_add(&q, pos.r[0][0] * x + pos.r[0][1] * y + pos.t[0], pos.r[1][0] * x + pos.r[1][1] * y + pos.t[1]);
    }
    cut cuts[MAX_CUTS];
    size_t nc = 0;
    for (size_t i = 0; i < ncut; i++)
      if (read_cut(m, cut_ids[i], &cuts[nc])) nc++;
    double z0 = pos.t[2], z1 = z0 + depth_m * dz;
    if (!q.full) result = wall_side_area(&q, z0, z1, cuts, nc, height);
    for (size_t i = 0; i < nc; i++) free(cuts[i].boundary.xy);
    free(q.xy);
  }
  free(p.outline.xy);
  if (result > 0) return result;
  if (vertical && depth_m * fabs(wz) > *height) *height = depth_m * fabs(wz);
  /* length of the profile's long side: for a near-rectangle L×T, L = (P/2 + sqrt(P²/4 − 4A)) / 2 */
  double h = perim_m / 2, disc = h * h - 4 * area_m2;
  double len = disc > 0 ? (h + sqrt(disc)) / 2 : p.longest * lu;
  switch (kind) {
    case SV4_ELEM_WALL:
    case SV4_ELEM_CURTAIN_WALL:
    case SV4_ELEM_WINDOW:
    case SV4_ELEM_DOOR:
    case SV4_ELEM_OPENING:
      return vertical ? len * depth_m * fabs(wz) : area_m2;
    default:
      return vertical || fabs(lz[2]) > 0.3 ? area_m2 : len * depth_m;
  }
}

double sv4__geom_area(sv4_ifc_model *m, sv4__melem *el, const sv4__xf *world, double *len_out, double *vol) {
  const sv4_step_entity *pds;
  *vol = 0;
  el->geom_zmin = NAN;
  if (len_out) *len_out = 0;
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
      if (ai && ai->kind == SV4_STEP_LIST && ai->n == 1 &&
          !sv4_step_get(m->step, sv4_step_ref(&ai->items[0]), &pl, NULL) && !strcmp(pl->type, "IFCPOLYLINE")) {
        const sv4_step_value *pv = sv4_step_arg(pl, 0);
        if (pv && pv->kind == SV4_STEP_LIST && pv->n >= 2) {
          double a[3], b[3];
          vec3(m, sv4_step_ref(&pv->items[0]), a, 0, 0, 0);
          vec3(m, sv4_step_ref(&pv->items[pv->n - 1]), b, 0, 0, 0);
          axis_len = hypot(b[0] - a[0], b[1] - a[1]) * m->length_unit;
          if (axis_len > 1e-6) { /* direction and midpoint of the axis in world coordinates */
            double lu = m->length_unit, ddx = (b[0] - a[0]) * lu, ddy = (b[1] - a[1]) * lu;
            double mx = (a[0] + b[0]) / 2 * lu, my = (a[1] + b[1]) / 2 * lu;
            el->ax = world->r[0][0] * ddx + world->r[0][1] * ddy;
            el->ay = world->r[1][0] * ddx + world->r[1][1] * ddy;
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
      uint64_t cut_ids[MAX_CUTS];
      double a =
          solid_area(m, sv4_step_ref(&items->items[i]), el->kind, world, 0, vol, &height, &el->geom_zmin, cut_ids, 0);
      if (sum)
        total += a;
      else if (a > total)
        total = a;
    }
  }
  if (len_out) *len_out = axis_len;
  return total > 0 ? total : NAN;
}
