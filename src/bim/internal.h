/* internal.h — declarations private to src/bim (shared by the reader/model and the energy files; additive). */
#ifndef SV4_BIM_INTERNAL_H
#define SV4_BIM_INTERNAL_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

#include "sv4/bim.h"
#include "sv4/util.h"

/* ---- STEP reader ------------------------------------------------------------------------------------------ */
typedef struct sv4__step_rec {
  uint32_t id;
  uint32_t type;   /* index into the type table */
  uint64_t off;    /* offset of '#' */
} sv4__step_rec;

struct sv4_step {
  const char *data;
  size_t len;
  int mapped;
  char name[256];
  sv4_step_header hdr;
  sv4_arena *arena;        /* decoded entities, header strings, type names */
  sv4__step_rec *recs;     /* file order */
  size_t n, cap;
  uint32_t *dense;         /* id → rec index + 1, when ids are dense enough; else NULL */
  size_t dense_n;
  uint32_t *by_id;         /* rec indices sorted by id (when dense is NULL) */
  const sv4_step_entity **cache; /* per rec, lazily allocated */
  /* type table: open addressing hash over names */
  char **type_names;
  uint32_t *type_lens;
  size_t *type_counts;
  size_t ntypes, types_cap;
  uint32_t *type_hash;     /* slot → type index + 1 */
  size_t type_hash_cap;
  /* decoder scratch: a stack of values shared by nested lists */
  sv4_step_value *stack;
  size_t stack_n, stack_cap;
  iconv_t cd[10];          /* ISO 8859-1..9 → UTF-8 for \S\ after \Px\, opened lazily; (iconv_t)-1 = closed */
};

/* Index of the record of #id, or SIZE_MAX. */
size_t sv4__step_find(const sv4_step *s, uint64_t id);

/* Decodes one entity body starting at p (just after "#id=" and blanks, at the type name or '(' ) up to and
 * including its ';'. Used for DATA entities and HEADER entities (where p is at the keyword). known_type, when not
 * NULL, is the interned upper-case type name to use instead of copying the one in the file. */
sv4_rc sv4__step_decode_at(sv4_step *s, const char *p, uint64_t id, const char *known_type, sv4_step_entity *e,
                           const char **endp, sv4_error *err);

/* Decodes the STEP string body raw[0..n) (between the quotes, '' still doubled) to UTF-8 in s's arena. */
sv4_rc sv4__step_decode_string(sv4_step *s, const char *raw, size_t n, const char **out, size_t *outn);

/* 1-based line of byte offset off. */
size_t sv4__step_line_at(const sv4_step *s, size_t off);

/* Skips blanks and comments from p (never past end). Returns end when a comment is unterminated. */
const char *sv4__step_skip(const char *p, const char *end);

/* ---- IFC model (model.c, envelope*.c) ------------------------------------------------------------------- */
enum {
  SV4__Q_NET_SIDE, SV4__Q_GROSS_SIDE, SV4__Q_NET_AREA, SV4__Q_GROSS_AREA, SV4__Q_AREA, SV4__Q_NET_FLOOR,
  SV4__Q_GROSS_FLOOR, SV4__Q_WIDTH, SV4__Q_HEIGHT, SV4__Q_LENGTH, SV4__Q_NET_VOLUME, SV4__Q_GROSS_VOLUME,
  SV4__Q_DEPTH, SV4__Q_COUNT
};

/* One element, spatial structure entry or opening of the model (everything sv4_elem_type lists). */
typedef struct sv4__melem {
  uint64_t id;
  int kind;                 /* sv4_elem_type */
  const sv4_step_entity *ent;
  const char *ifc_type, *guid, *name, *predef;
  uint64_t placement, representation;
  uint64_t parent;          /* IfcRelAggregates whole */
  uint64_t container;       /* IfcRelContainedInSpatialStructure */
  uint64_t host;            /* opening: the element it voids */
  uint64_t opening;         /* window/door: the opening it fills */
  uint64_t filling;         /* opening: the window/door in it */
  uint64_t type_obj;
  uint64_t material;        /* IfcRelAssociatesMaterial (element, else its type) */
  int is_external, type_external;  /* -1 unknown */
  double u_pset, type_u_pset;      /* NAN unknown */
  unsigned sb_external, sb_internal;
  double q[SV4__Q_COUNT];          /* quantities in SI (m, m², m³), NAN when absent */
  unsigned char q_prio[SV4__Q_COUNT];
  double overall_w, overall_h;     /* window/door attributes (model length units) */
  double elevation;                /* storey */
  /* derived (envelope.c) */
  double geom_area;                /* area from geometry (side area for walls, face for windows), m² */
  double geom_len;                 /* wall length from geometry, m */
  double geom_volume;
  double geom_zmin;                /* lowest world z of the body's extrusions with a horizontal profile, m; NAN */
  double wx, wy, wz;               /* placement origin in world coordinates (m) */
  double ax, ay;                   /* wall direction in plan: the Axis polyline, else the placement's X axis */
  double axis_mx, axis_my;         /* midpoint of the Axis polyline in world coordinates (m) */
  int has_axis;
  int has_pos;
  double openings_area;            /* Σ areas of openings voiding this element, m² */
  int hosts_window;                /* a window fills one of its openings */
  int ground_floor;                /* slab: the floor of the lowest heated storey, on the ground (envelope.c) */
} sv4__melem;

struct sv4_ifc_model {
  sv4_step *step;
  int owns_step;
  int ifc4;
  sv4_arena *arena;
  sv4__melem *el;
  size_t nel, el_cap;
  uint32_t *map;
  size_t map_cap;
  uint64_t *type_mat;       /* pairs (type object id, material id) */
  size_t ntm, tm_cap;
  size_t count[SV4_ELEM_TYPE_COUNT];
  double length_unit, area_unit, volume_unit, angle_unit;
  double north_x, north_y;  /* true north in model XY */
  sv4_envelope env;
};

sv4__melem *sv4__model_find(const sv4_ifc_model *m, uint64_t id);

/* ---- geometry (geometry.c) ---------------------------------------------------------------------------- */
#define SV4__MAX_OUTLINE_POINTS (1u << 20) /* points of one profile outline (arcs are tessellated at 2°) */

typedef struct sv4__xf {
  double r[3][3]; /* columns: local x, y, z in parent coordinates */
  double t[3];    /* translation, m */
} sv4__xf;

/* IfcAxis2Placement3D/2D #id → transform (translation in metres); identity when id is 0 or unreadable. */
void sv4__axis_placement(sv4_ifc_model *m, uint64_t id, sv4__xf *x);
/* o = p ∘ l */
void sv4__xf_mul(const sv4__xf *p, const sv4__xf *l, sv4__xf *o);
/* World transform of an IfcLocalPlacement chain; 0 when id is not a local placement. */
int sv4__placement_world(sv4_ifc_model *m, uint64_t id, sv4__xf *out);
/* Area of el from its Body representation (m²; NAN when none): walls' side on the centre plane after clipping
 * half-spaces, windows'/doors'/openings' face, slabs' and roofs' profile. Sets el's Axis direction and midpoint
 * (walls) and its geom_zmin, *len_out to the Axis length (m, 0 when none) and *vol to the extruded volume (m³). */
double sv4__geom_area(sv4_ifc_model *m, sv4__melem *el, const sv4__xf *world, double *len_out, double *vol);

/* Derives areas, orientation, externality and U-values and fills m->env (envelope.c). */
sv4_rc sv4__envelope_build(sv4_ifc_model *m, sv4_error *err);

/* Area and orientation from geometry, exposed for the tests that validate the geometry path against Qto. */
double sv4__model_geom_area(const sv4_ifc_model *m, uint64_t id);
double sv4__model_qto_area(const sv4_ifc_model *m, uint64_t id);

#endif
