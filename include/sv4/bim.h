/* bim.h — the building module: STEP (ISO 10303-21) reader, IFC model extraction, thermal envelope;
 * then (second section) energy balance, TABULA and renovation variants. */
#ifndef SV4_BIM_H
#define SV4_BIM_H

#include <stddef.h>
#include <stdint.h>

#include "sv4/error.h"
#include "sv4/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================================================== */
/* ---- STEP reader (src/bim/step*.c) ---------------------------------------------------------------------- */
/* A STEP physical file is memory-mapped and indexed in one pass (id → offset, type per entity); entities are
 * decoded on demand into a value tree that lives in the reader's arena until sv4_step_close(). */

typedef struct sv4_step sv4_step;

typedef enum sv4_step_kind {
  SV4_STEP_NULL = 0, /* $ : unset */
  SV4_STEP_DERIVED,  /* * : derived in a subtype */
  SV4_STEP_INT,
  SV4_STEP_REAL,
  SV4_STEP_STRING,   /* decoded to UTF-8 */
  SV4_STEP_ENUM,     /* .NAME. → "NAME" */
  SV4_STEP_BINARY,   /* "0ABC" → hex digits as written */
  SV4_STEP_REF,      /* #123 */
  SV4_STEP_LIST,     /* ( ... ) */
  SV4_STEP_TYPED     /* IFCLABEL('x') : a typed value, name + one argument list */
} sv4_step_kind;

typedef struct sv4_step_value {
  sv4_step_kind kind;
  uint32_t n;        /* STRING/ENUM/BINARY: byte length; LIST/TYPED: number of items */
  union {
    int64_t i;
    double r;
    uint64_t ref;
    const char *s;                       /* STRING/ENUM/BINARY, NUL-terminated; TYPED: the type name */
  } u;
  struct sv4_step_value *items;          /* LIST items, TYPED arguments */
} sv4_step_value;

/* One decoded entity instance. A complex instance "#1=(A(..)B(..));" has type "" and one TYPED arg per part. */
typedef struct sv4_step_entity {
  uint64_t id;
  const char *type;          /* upper case, as in the file: "IFCWALL" */
  uint32_t nargs;
  sv4_step_value *args;
} sv4_step_entity;

typedef struct sv4_step_header {
  const char *schema;             /* first of FILE_SCHEMA: "IFC2X3", "IFC4", "IFC4X3_ADD2"; "" if absent */
  const char *file_name;          /* FILE_NAME.name */
  const char *time_stamp;
  const char *preprocessor;       /* FILE_NAME.preprocessor_version */
  const char *originating_system; /* FILE_NAME.originating_system (the authoring application) */
  const char *view_definition;    /* from FILE_DESCRIPTION: "CoordinationView_V2.0", or the whole first item */
} sv4_step_header;

/* Maps and indexes the file at path. On success *out owns the mapping; free it with sv4_step_close().
 * Errors: SV4_ERR_NOTFOUND/IO (path), SV4_ERR_LIMIT (size, entity count), SV4_ERR_PARSE/FORMAT with line
 * and entity (#id) in err->msg for malformed or truncated files. */
sv4_rc sv4_step_open(const char *path, sv4_step **out, sv4_error *err);

/* Same over memory the caller keeps alive and unchanged until sv4_step_close(). name is used in messages. */
sv4_rc sv4_step_open_mem(const char *data, size_t len, const char *name, sv4_step **out, sv4_error *err);

/* Unmaps and frees everything, including every decoded entity. Accepts NULL. */
void sv4_step_close(sv4_step *s);

/* The header; strings owned by s, never NULL (empty when absent). */
const sv4_step_header *sv4_step_header_of(const sv4_step *s);

/* Number of entity instances in the DATA section(s), and the file size in bytes. */
size_t sv4_step_count(const sv4_step *s);
size_t sv4_step_size(const sv4_step *s);

/* The i-th instance in file order (0 <= i < count): its id and its upper-case type name (owned by s). */
uint64_t sv4_step_id_at(const sv4_step *s, size_t i);
const char *sv4_step_type_at(const sv4_step *s, size_t i);

/* Type name of the instance #id without decoding it; NULL when #id does not exist. */
const char *sv4_step_type_of(const sv4_step *s, uint64_t id);

/* Distinct type names and how many instances each has (for "entities" counts). Strings owned by s. */
size_t sv4_step_type_count(const sv4_step *s);
const char *sv4_step_type_name(const sv4_step *s, size_t t);
size_t sv4_step_type_instances(const sv4_step *s, size_t t);

/* Decodes #id (cached: a second call returns the same pointer). *out is owned by s.
 * Errors: SV4_ERR_NOTFOUND (no such id), SV4_ERR_PARSE (names line and #id), SV4_ERR_LIMIT (nesting, string
 * size), SV4_ERR_NOMEM. */
sv4_rc sv4_step_get(sv4_step *s, uint64_t id, const sv4_step_entity **out, sv4_error *err);

/* Line (1-based) on which #id starts; 0 when #id does not exist. For messages. */
size_t sv4_step_line_of(const sv4_step *s, uint64_t id);

/* ---- value helpers (all accept NULL v and return the fallback) ---- */
const sv4_step_value *sv4_step_arg(const sv4_step_entity *e, uint32_t i);  /* NULL when out of range */
/* Number from INT/REAL, or from a TYPED wrapper around one (IFCREAL(1.0)); else fallback. */
double sv4_step_num(const sv4_step_value *v, double fallback);
/* String/enum text, unwrapping TYPED; else fallback. */
const char *sv4_step_str(const sv4_step_value *v, const char *fallback);
/* Reference id, 0 when v is not a reference. */
uint64_t sv4_step_ref(const sv4_step_value *v);
/* Boolean/logical enum .T./.F./.U. (also inside TYPED): 1, 0, or -1 when unknown/not a boolean. */
int sv4_step_bool(const sv4_step_value *v);

/* ======================================================================================================== */
/* ---- IFC model and thermal envelope (src/bim/model*.c, envelope*.c) ------------------------------------- */

/* Kinds of model elements counted by `bim info` ("elements" in JSON use sv4_elem_type_name()). */
typedef enum sv4_elem_type {
  SV4_ELEM_WALL = 0,   /* IfcWall, IfcWallStandardCase, IfcWallElementedCase */
  SV4_ELEM_WINDOW,
  SV4_ELEM_DOOR,
  SV4_ELEM_SLAB,       /* IfcSlab (any PredefinedType) */
  SV4_ELEM_ROOF,       /* IfcRoof */
  SV4_ELEM_COVERING,
  SV4_ELEM_CURTAIN_WALL,
  SV4_ELEM_OPENING,    /* IfcOpeningElement */
  SV4_ELEM_SPACE,
  SV4_ELEM_STOREY,
  SV4_ELEM_BUILDING,
  SV4_ELEM_SITE,
  SV4_ELEM_TYPE_COUNT
} sv4_elem_type;

/* "wall", "window", "door", "slab", "roof", "covering", "curtain_wall", "opening", "space", "storey",
 * "building", "site". */
const char *sv4_elem_type_name(sv4_elem_type t);

/* Envelope element kinds: what the heat-loss calculation needs. */
typedef enum sv4_env_type {
  SV4_ENV_WALL = 0,    /* external wall */
  SV4_ENV_WINDOW,      /* window (also glazed curtain wall panels) */
  SV4_ENV_DOOR,
  SV4_ENV_ROOF,        /* roof or top ceiling (IfcRoof, IfcSlab ROOF) */
  SV4_ENV_FLOOR,       /* ground floor / base slab / floor over outside or unheated space */
  SV4_ENV_TYPE_COUNT
} sv4_env_type;

/* "wall", "window", "door", "roof", "floor". */
const char *sv4_env_type_name(sv4_env_type t);

/* Where a value came from. Areas: QTO, GEOMETRY (or MISSING). U-values: PSET, LAYERS, TABULA, MISSING. */
typedef enum sv4_value_source {
  SV4_SRC_MISSING = 0,
  SV4_SRC_PSET,      /* ThermalTransmittance > 0 in a property set */
  SV4_SRC_LAYERS,    /* Σ thickness/λ of the material layer set + surface resistances */
  SV4_SRC_TABULA,    /* typical construction (filled in by the energy module) */
  SV4_SRC_QTO,       /* a quantity set (BaseQuantities, Qto_*, vendor set) */
  SV4_SRC_GEOMETRY,  /* from the extruded solid / overall width × height */
  SV4_SRC_DEFAULT    /* assumption stated by the caller (e.g. user input) */
} sv4_value_source;

/* "missing", "pset", "layers", "tabula", "qto", "geometry", "default". */
const char *sv4_value_source_name(sv4_value_source s);

/* One element of the thermal envelope. Strings are owned by the envelope. */
typedef struct sv4_envelope_element {
  char id[24];               /* "#123" */
  const char *guid;          /* IFC GlobalId, "" when absent */
  const char *name;          /* "" when absent */
  const char *ifc_type;      /* "IFCWALLSTANDARDCASE" */
  sv4_env_type type;
  double area_m2;            /* net of openings for walls/roofs; 0 when unknown (area_source MISSING) */
  sv4_value_source area_source;
  double orientation_deg;    /* azimuth of the outward normal, 0 = north, 90 = east, 180 = south, 270 = west;
                              * NAN for horizontal elements (roof, floor) or when unknown */
  double tilt_deg;           /* 90 = vertical, 0 = horizontal facing up, 180 = facing down; NAN unknown */
  double u;                  /* W/(m²K); NAN when missing */
  sv4_value_source u_source; /* PSET, LAYERS, MISSING (energy module may set TABULA) */
  int external;              /* 1 external, 0 internal (internal ones are not in the envelope list) */
  const char *storey;        /* storey name, "" when unknown */
} sv4_envelope_element;

typedef struct sv4_envelope {
  sv4_envelope_element *elements; /* external elements only */
  size_t n;
  double floor_area_m2;           /* heated floor area: Σ spaces' NetFloorArea, else Σ FLOOR/BASESLAB slabs; 0 unknown */
  sv4_value_source floor_area_source;
  double volume_m3;               /* Σ spaces' volume (NetVolume/GrossVolume); 0 unknown */
  size_t storeys;                 /* number of IfcBuildingStorey */
  int has_envelope;               /* 0 for structural-only models: no external wall/window/roof found */
} sv4_envelope;

typedef struct sv4_ifc_model sv4_ifc_model;

/* Reads the IFC file at path (sv4_step_open + extraction). *out owns everything; free with
 * sv4_ifc_model_free(). Errors as sv4_step_open, plus SV4_ERR_FORMAT when the file is not IFC. */
sv4_rc sv4_ifc_model_open(const char *path, sv4_ifc_model **out, sv4_error *err);

/* Extraction over an already opened reader; the model borrows s (close s after freeing the model). */
sv4_rc sv4_ifc_model_from_step(sv4_step *s, sv4_ifc_model **out, sv4_error *err);

void sv4_ifc_model_free(sv4_ifc_model *m);  /* accepts NULL; closes the reader when the model opened it */

sv4_step *sv4_ifc_model_step(sv4_ifc_model *m);

/* Number of elements of kind t. */
size_t sv4_ifc_model_count(const sv4_ifc_model *m, sv4_elem_type t);

/* Length unit of the project in metres (0.001 for millimetres), from IfcUnitAssignment. */
double sv4_ifc_model_length_unit(const sv4_ifc_model *m);

/* True north as an azimuth of the model's +Y axis: degrees clockwise from north (0 when not given). */
double sv4_ifc_model_true_north_deg(const sv4_ifc_model *m);

/* The thermal envelope; owned by m, valid until sv4_ifc_model_free(). Never NULL. */
const sv4_envelope *sv4_envelope_of(const sv4_ifc_model *m);

/* U-value from a material layer set: R = Rsi + Σ d/λ + Rse with λ from data/materials/lambda.csv matched by
 * material name keywords (en/de/pl/cs/hu). Returns NAN when any layer's λ is unknown. */
double sv4_envelope_u_from_layers(const double *thickness_m, const char *const *material_names, size_t n,
                                  sv4_env_type t);

/* λ in W/(mK) for a material name by keyword (longest keyword contained in the lower-cased name wins), NAN when
 * unknown. Loads data/materials/lambda.csv once (pthread_once); an unreadable table makes every λ unknown. */
double sv4_material_lambda(const char *name);

/* ======================================================================================================== */
/* ---- energy, TABULA, variants (src/bim/energy*.c, tabula*.c, variants*.c, climate*.c) ------------------- */
/* (section owned by the energy engineer; add below) */

/* ---- TABULA heating-season method (src/bim/tabula.c) ---------------------------------------------------- */
/* The TABULA/EPISCOPE calculation of the energy need for heating over the heating season, per m² of the
 * TABULA reference area A_C_Ref. Inputs and intermediates carry the names of the reference file's columns. */

/* Envelope elements of a TABULA building, in the order of the reference file's columns. */
enum {
  SV4_TAB_ROOF_1 = 0, SV4_TAB_ROOF_2, SV4_TAB_WALL_1, SV4_TAB_WALL_2, SV4_TAB_WALL_3, SV4_TAB_FLOOR_1,
  SV4_TAB_FLOOR_2, SV4_TAB_WINDOW_1, SV4_TAB_WINDOW_2, SV4_TAB_DOOR_1, SV4_TAB_NEL
};
/* Window orientations: horizontal, east, south, west, north (the file's order). */
enum { SV4_OR_HOR = 0, SV4_OR_EAST, SV4_OR_SOUTH, SV4_OR_WEST, SV4_OR_NORTH, SV4_OR_N };

/* "Roof_1" ... "Door_1"; "Hor", "East", "South", "West", "North". */
const char *sv4_tabula_element_name(int i);
const char *sv4_orientation_name(int o);

typedef enum sv4_measure_kind {
  SV4_MEASURE_NONE = 0,
  SV4_MEASURE_ADD,                /* insulation added: R = R_before + R_measure */
  SV4_MEASURE_REPLACE,            /* element replaced (windows, doors): R = R_measure */
  SV4_MEASURE_REPLACE_INSULATION  /* existing insulation removed (d / λ 0.04) and new one added */
} sv4_measure_kind;

typedef struct sv4_tabula_element {
  double area_m2;        /* A_<el> */
  double u;              /* U_<el>, original state, W/(m²K); 0 = element absent */
  double r_add;          /* R_Add_UnheatedSpace_<el> (opaque elements) */
  double b_tr;           /* b_Transmission_<el>; windows and doors 1 */
  double d_insulation;   /* d_Insulation_<el>, existing insulation in m (for REPLACE_INSULATION) */
  sv4_measure_kind measure;
  double r_measure;      /* R_PredefinedMeasure_<el>, m²K/W */
  double f_measure;      /* f_Measure_<el>: fraction of the element's area the measure covers */
  double g_measure;      /* windows: g_gl_n_PredefinedMeasure_<el> when replaced */
  double g;              /* windows: g_gl_n_<el> original */
} sv4_tabula_element;

typedef enum sv4_tb_mode {
  SV4_TB_NONE = 0,     /* no thermal-bridging surcharge */
  SV4_TB_FIXED,        /* delta_U given (one class for the whole envelope) */
  SV4_TB_MIXED         /* original / refurbished class weighted by the refurbished envelope fraction */
} sv4_tb_mode;

typedef struct sv4_tabula_input {
  char code[64];               /* Code_BuildingVariant */
  char building[48];           /* Code_Building */
  char country[4];             /* Code_Country */
  char description[96];        /* Description_BuildingVariant */
  int variant;                 /* Number_BuildingVariant */
  int year1, year2;            /* construction period */
  double a_c_ref;              /* A_C_Ref, m² */
  sv4_tabula_element el[SV4_TAB_NEL];
  double a_window[SV4_OR_N];   /* A_Window_<orientation> */
  sv4_tb_mode tb_mode;
  double delta_u_tb;           /* FIXED: the class's ΔU */
  double delta_u_tb_original, delta_u_tb_refurbished; /* MIXED */
  double n_air_infiltration, n_air_use, h_room;       /* 1/h, 1/h, m */
  double theta_i, f_red_htr1, f_red_htr4, phi_int;    /* °C, -, -, W/m² */
  double f_sh_hor, f_sh_vert, f_f, f_w, c_m;          /* -, -, -, -, Wh/(m²K) */
  char climate_region[16];                            /* Code_ClimateRegion */
  double heating_days, theta_e;                       /* d, °C (heating-season mean) */
  double i_sol[SV4_OR_N];                             /* kWh/(m²·heating season) */
} sv4_tabula_input;

typedef struct sv4_tabula_result {
  double u_actual[SV4_TAB_NEL];     /* U_Actual_<el> */
  double h_tr_el[SV4_TAB_NEL];      /* H_Transmission_<el>, W/K */
  double fraction_refurbished;      /* Fraction_EnvelopeRefurbished */
  double delta_u_tb;                /* delta_U_ThermalBridging */
  double h_tr_tb;                   /* H_Transmission_ThermalBridging, W/K */
  double a_envelope;                /* Σ element areas */
  double h_transmission, h_ventilation; /* W/(m²K) per A_C_Ref */
  double sum_delta_t;               /* Sum_DeltaT_for_HeatingDays, Kd */
  double f_red_temp;
  double q_ht_tr, q_ht_ve, q_ht;    /* kWh/(m²a) */
  double g_gl_n;
  double q_sol_or[SV4_OR_N];        /* Q_Sol_<orientation>, kWh/a */
  double q_sol, q_int;              /* kWh/(m²a) */
  double tau, a_h, gamma_h_gn, eta_h_gn;
  double q_h_nd;                    /* kWh/(m²a) */
} sv4_tabula_result;

/* Runs the TABULA heating-season method on in. Errors: SV4_ERR_USAGE when A_C_Ref <= 0 or the heat loss is
 * not positive (message names in->code). */
sv4_rc sv4_tabula_compute(const sv4_tabula_input *in, sv4_tabula_result *out, sv4_error *err);

/* Published values of one reference row (the columns the calculation reproduces); NAN when empty. */
typedef struct sv4_tabula_reference {
  double h_transmission, h_ventilation, f_red_temp, q_ht_tr, q_ht_ve, q_ht, q_sol, q_int, tau, a_h,
      gamma_h_gn, eta_h_gn, q_h_nd, h_tr_tb;
  double h_tr_el[SV4_TAB_NEL];
  double u_actual[SV4_TAB_NEL];
  int decimals_q_ht, decimals_q_sol, decimals_q_int, decimals_tau; /* printed precision (for tolerances) */
} sv4_tabula_reference;

typedef struct sv4_tabula_set sv4_tabula_set;

/* Loads a TABULA building-variant table in the EPISCOPE export format (';'-separated, decimal commas, one
 * header row), e.g. data/tabula/episcope-v4.csv. *out owns everything; free with sv4_tabula_free().
 * Errors: SV4_ERR_IO/NOTFOUND (path), SV4_ERR_PARSE with file:line (missing column, bad number, unknown
 * measure or thermal-bridging class), SV4_ERR_LIMIT (more than SV4_MAX_TABULA_ROWS rows or a larger file). */
sv4_rc sv4_tabula_load(const char *path, sv4_tabula_set **out, sv4_error *err);
void sv4_tabula_free(sv4_tabula_set *s); /* accepts NULL */
size_t sv4_tabula_count(const sv4_tabula_set *s);
/* Row i (0-based, file order); the reference values may be NULL. Pointers owned by s. */
const sv4_tabula_input *sv4_tabula_at(const sv4_tabula_set *s, size_t i, const sv4_tabula_reference **ref);
/* Row by Code_BuildingVariant (exact), NULL when absent. */
const sv4_tabula_input *sv4_tabula_find(const sv4_tabula_set *s, const char *code,
                                        const sv4_tabula_reference **ref);

/* ---- climate and the EN ISO 52016-1 / ISO 13790 monthly method (src/bim/climate.c, energy.c) ----------- */
typedef struct sv4_climate {
  char code[16];            /* location code: "CZ.N", "PL.N", "HU.HU", ... */
  char country[4];
  char name[96];
  double theta_e[12];       /* monthly mean external air temperature, °C */
  double i_sol[SV4_OR_N][12]; /* monthly mean daily global irradiation, kWh/(m²·d), by orientation */
  char source[160];
} sv4_climate;

typedef struct sv4_climate_set sv4_climate_set;

/* Loads data/climate/monthly.csv (comma-separated; columns code,country,name,theta_e_01..12,
 * I_Sol_<Hor|East|South|West|North>_01..12,source). Errors name file:line. Free with sv4_climate_free(). */
sv4_rc sv4_climate_load(const char *path, sv4_climate_set **out, sv4_error *err);
void sv4_climate_free(sv4_climate_set *s); /* accepts NULL */
size_t sv4_climate_count(const sv4_climate_set *s);
const sv4_climate *sv4_climate_at(const sv4_climate_set *s, size_t i);
const sv4_climate *sv4_climate_find(const sv4_climate_set *s, const char *code); /* case-insensitive */

/* A building reduced to what the monthly balance needs. */
typedef struct sv4_energy_building {
  double a_ref;               /* conditioned reference area, m² */
  double h_tr;                /* transmission heat transfer coefficient incl. thermal bridges, W/K */
  double h_ve;                /* ventilation heat transfer coefficient, W/K */
  double a_window[SV4_OR_N];  /* window area by orientation, m² */
  double g_gl;                /* total solar energy transmittance of the glazing (normal incidence) */
  double f_sh_hor, f_sh_vert, f_f, f_w;
  double theta_i;             /* set-point, °C */
  double phi_int;             /* internal gains, W/m² */
  double c_m;                 /* internal heat capacity, Wh/(m²K) */
  double f_red;               /* reduction of the losses for night setback / unheated rooms (TABULA F_red_temp);
                               * 0 is taken as 1 (none) */
} sv4_energy_building;

typedef struct sv4_monthly_result {
  double q_ht[12];       /* heat transfer (transmission + ventilation), kWh */
  double q_sol[12], q_int[12]; /* kWh */
  double gamma[12], eta[12];
  double q_h_nd[12];     /* heating need, kWh */
  double tau, a_h;       /* time constant (h) and a_H = 1 + tau/15 */
  double q_h_nd_year;    /* kWh/a */
  double q_h_nd_m2;      /* kWh/(m²a) */
} sv4_monthly_result;

/* The EN ISO 52016-1 monthly (ISO 13790 quasi-steady-state) heating balance with the gain utilisation factor
 * (a_H0 = 1, tau_H0 = 15 h). Errors: SV4_ERR_USAGE for a_ref <= 0 or h_tr + h_ve <= 0. */
sv4_rc sv4_monthly_heating(const sv4_energy_building *b, const sv4_climate *c, sv4_monthly_result *out,
                           sv4_error *err);

/* The monthly-method building of a TABULA variant (areas, U-values after measures, boundary conditions). */
void sv4_tabula_to_building(const sv4_tabula_input *in, const sv4_tabula_result *r, sv4_energy_building *b);

/* ---- carriers: delivered, primary energy, CO2 (src/bim/energy.c) ---------------------------------------- */
typedef struct sv4_carrier {
  char country[4];
  char code[16];           /* "gas", "oil", "coal", "wood", "el", "dh" */
  double f_p_total, f_p_nonren; /* primary energy factors */
  double co2_g_per_kwh;    /* g CO2-eq per kWh delivered */
  double price_eur_per_kwh;
  char source[160];
} sv4_carrier;

typedef struct sv4_heat_system {
  char code[24];           /* "gas_boiler_old", "gas_condensing", "heat_pump_air" ... */
  char carrier[16];
  double efficiency;       /* seasonal efficiency (boilers) or SCOP (heat pumps): delivered = need / efficiency */
  char name[64];
  char source[160];
} sv4_heat_system;

typedef struct sv4_energy_tables sv4_energy_tables;

/* Loads data/energy/carriers.csv and data/energy/systems.csv from the directory dir. Errors name file:line. */
sv4_rc sv4_energy_tables_load(const char *dir, sv4_energy_tables **out, sv4_error *err);
void sv4_energy_tables_free(sv4_energy_tables *t); /* accepts NULL */
/* Carrier for country (falls back to the "EU" row of the same code); NULL when absent. */
const sv4_carrier *sv4_carrier_find(const sv4_energy_tables *t, const char *country, const char *code);
const sv4_heat_system *sv4_heat_system_find(const sv4_energy_tables *t, const char *code);

typedef struct sv4_energy_use {
  double need_kwh;        /* heat need (space heating + hot water) */
  double delivered_kwh;   /* need / efficiency, in the system's carrier */
  double primary_kwh;     /* delivered × f_p_total − PV credit */
  double co2_kg;
  double cost_eur;        /* delivered × price (PV: own use credited at the electricity price) */
  double pv_kwh;          /* PV yield credited */
} sv4_energy_use;

/* Delivered, primary energy, CO2 and running cost for need_kwh supplied by sys in country, minus pv_kwh of
 * PV electricity (credited with the country's electricity factors). Errors: SV4_ERR_NOTFOUND (carrier). */
sv4_rc sv4_energy_use_of(const sv4_energy_tables *t, const char *country, const sv4_heat_system *sys,
                         double need_kwh, double pv_kwh, sv4_energy_use *out, sv4_error *err);

/* ---- renovation variants, costs, funding (src/bim/variants.c) ------------------------------------------ */
/* A funding programme a variant may get: from data/funding/programmes.csv, or from the portal's funding records
 * (the caller reads them and passes them in sv4_assess_options). */
typedef struct sv4_funding_programme {
  char country[4];       /* "PL", "CZ", "SK", "HU", or "EU" for EU-wide programmes */
  char name[160];
  char measures[96];     /* measure kinds it supports, space-separated: envelope windows mvhr heat_pump pv */
  char url[256];
  char source[96];       /* where the entry comes from: "data/funding/programmes.csv", "portal funding record #12" */
  int64_t record_id;     /* the portal record; 0 for data/ */
} sv4_funding_programme;

typedef struct sv4_assess_options {
  const char *data_dir;       /* data/ root (climate/, energy/, costs/, funding/, tabula/) */
  const char *country;        /* "PL", "CZ", "SK", "HU" */
  const char *location;       /* climate code of data/climate/monthly.csv; NULL = the country's national one */
  const char *system;         /* existing heat generator (data/energy/systems.csv); NULL = gas_boiler_old */
  const char *costs_file;     /* CSV overriding data/costs/unit-costs.csv rows (same columns); NULL = none */
  double discount_rate;       /* for the NPV; 0 = 0.03 */
  int lifetime_years;         /* for the NPV; 0 = 30 */
  /* funding_origin non-NULL: the programmes are funding[0..nfunding) (e.g. the portal's funding records; may be
   * none that fit) instead of data/funding/programmes.csv; funding_origin says where they come from */
  const sv4_funding_programme *funding;
  size_t nfunding;
  const char *funding_origin;
} sv4_assess_options;

#define SV4_VARIANT_MAX_FUNDING 8
typedef struct sv4_variant_result {
  char name[64];
  char measures[192];              /* comma-separated measure codes */
  double u[SV4_TAB_NEL];           /* U after the measures (0 = element absent) */
  double q_h_nd;                   /* kWh/(m²a), monthly method */
  double need_kwh, delivered_kwh, primary_kwh, co2_kg, running_eur, pv_kwh;
  double cost_eur;                 /* investment */
  double savings_eur_per_year, payback_years, npv_eur; /* payback INFINITY when there are no savings */
  char system[24];
  const sv4_funding_programme *funding[SV4_VARIANT_MAX_FUNDING]; /* owned by the assessment */
  size_t nfunding;
} sv4_variant_result;

typedef struct sv4_assessment {
  char building[64];
  char country[4];
  sv4_climate climate;
  sv4_tabula_input base;
  sv4_variant_result baseline;
  sv4_variant_result *variants;    /* sorted by NPV, best first */
  size_t n;
  double discount_rate;
  int lifetime_years;
  char costs_note[160];
  char funding_note[160];          /* where the funding programmes come from */
  void *priv;                      /* owned strings */
} sv4_assessment;

/* Measure kinds of the renovation topics a funding record is classified under, from data/funding/topics.csv
 * (classification code → measure kinds, e.g. "egd:buildings" → "envelope windows mvhr heat_pump"). codes: the
 * record's effective codes, space-separated ("sdg:7 sdg:7.3 egd:buildings"). Writes the space-separated kinds
 * (each once) to out; returns the number of kinds (0: no renovation topic). Loads the table once per process;
 * an unreadable table gives 0. */
size_t sv4_funding_kinds_of_codes(const char *codes, char *out, size_t outsz);

/* Assesses base (a TABULA-form building: typology row or an IFC envelope mapped by
 * sv4_envelope_to_tabula) and its renovation variants: single measures, combined packages and, when given, the
 * TABULA refurbishment rows `packages` (usual, advanced) of the same building. Every variant is computed with the
 * monthly method in the chosen climate. *out is freed with sv4_assessment_free(). Errors: SV4_ERR_NOTFOUND
 * (location, system, carrier), SV4_ERR_PARSE with file:line for broken tables. */
sv4_rc sv4_assess(const sv4_tabula_input *base, const sv4_tabula_input *const *packages, size_t npackages,
                  const sv4_assess_options *opt, sv4_assessment **out, sv4_error *err);
void sv4_assessment_free(sv4_assessment *a); /* accepts NULL */

/* Maps an IFC envelope to the TABULA building form: walls, roofs, floors, doors summed (area-weighted U),
 * windows by orientation; missing U-values are filled from the existing state of the TABULA typology building of
 * `country` whose construction period contains `year` (set->rows; u_source of the copy becomes TABULA).
 * Boundary conditions: TABULA EU single-unit defaults. Errors: SV4_ERR_UNSUPPORTED (no heated floor area or no
 * envelope), SV4_ERR_NOTFOUND (no typology row for country/year while U-values are missing). */
sv4_rc sv4_envelope_to_tabula(const sv4_envelope *env, const sv4_tabula_set *typology, const char *country,
                              int year, sv4_tabula_input *out, sv4_error *err);

/* ---- shared by the CLI and the portal (src/bim/report.c) ----------------------------------------------- */
#define SV4_MAX_PACKAGES 4
/* Loads data/tabula/episcope-v4.csv (the typology buildings). */
sv4_rc sv4_typology_load(sv4_tabula_set **ts, sv4_error *err);
/* The base building of a typology code (a variant code, or a building code meaning its existing state) and the
 * TABULA refurbishment packages of the same building (at most SV4_MAX_PACKAGES, pointers into ts).
 * SV4_ERR_NOTFOUND for an unknown code. */
sv4_rc sv4_base_from_typology(const sv4_tabula_set *ts, const char *code, sv4_tabula_input *base,
                              const sv4_tabula_input **packages, size_t *npackages, sv4_error *err);
/* The base building of an IFC model: its envelope in the TABULA form, missing U-values from the typical
 * construction of country (PL, CZ, SK — with CZ's typology —, HU) and year (0 = 1970); name labels it. */
sv4_rc sv4_base_from_ifc(const sv4_ifc_model *model, const sv4_tabula_set *ts, const char *country, int year,
                         const char *name, sv4_tabula_input *base, sv4_error *err);
/* Appends the assessment as the JSON of `smartv4 bim assess --json` (building, climate, economics, baseline,
 * variants best first). */
sv4_rc sv4_assessment_to_json(const sv4_assessment *a, sv4_buf *out);

#ifdef __cplusplus
}
#endif
#endif
