/* classify.h — the one transparent classification procedure: rule sets (data/rules, docs/rules.md) compiled into
 * one vectorscan database, scored per paragraph and per document, every label with its evidence; plus the SMART
 * check of objectives and the taxonomies the labels refer to. */
#ifndef SV4_CLASSIFY_H
#define SV4_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "sv4/error.h"
#include "sv4/text.h"
#include "sv4/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sv4_scheme { SV4_SCHEME_SDG = 0, SV4_SCHEME_EGD, SV4_SCHEME_TAXONOMY, SV4_SCHEME_SMARTCITY, SV4_SCHEME_COUNT } sv4_scheme;
#define SV4_SCHEMES_ALL 0xFu

/* "sdg", "egd", "taxonomy", "smartcity". Static. */
const char *sv4_scheme_name(sv4_scheme s);
/* Parses one name; returns -1 when unknown. */
int sv4_scheme_from_name(const char *name);
/* Parses "sdg,egd" into a bit mask (1u << scheme); SV4_ERR_USAGE naming the bad item. */
sv4_rc sv4_scheme_mask_parse(const char *list, unsigned *mask, sv4_error *err);

/* ---- taxonomy: the codes and their titles, from data/taxonomy ---------------------------------------------- */
typedef struct sv4_concept {
  sv4_scheme scheme;
  const char *code;              /* "7", "7.2", "energy", "ccm", "mobility" */
  const char *parent;            /* goal code for SDG targets, else NULL */
  const char *title[SV4_LANG_COUNT]; /* index by sv4_lang; [SV4_LANG_UNKNOWN] unused; NULL when not translated */
  const char *color;             /* "#E5243B" for SDG goals, else NULL */
} sv4_concept;

typedef struct sv4_taxonomy sv4_taxonomy;
/* Loads data/taxonomy/ from data_dir (NULL = sv4_data_dir()). Caller frees with sv4_taxonomy_free. */
sv4_rc sv4_taxonomy_load(const char *data_dir, sv4_taxonomy **out, sv4_error *err);
const sv4_concept *sv4_taxonomy_find(const sv4_taxonomy *t, sv4_scheme s, const char *code);
/* All concepts of a scheme in canonical order (goals 1..17 then targets; areas as in the CSV). */
size_t sv4_taxonomy_list(const sv4_taxonomy *t, sv4_scheme s, const sv4_concept *const **out);
const char *sv4_taxonomy_version(const sv4_taxonomy *t, sv4_scheme s);
void sv4_taxonomy_free(sv4_taxonomy *t);

/* ---- the classifier: long-lived, read-only after load, shared by threads ---------------------------------- */
typedef struct sv4_classifier sv4_classifier;
typedef struct sv4_classifier_opts {
  const char *data_dir;          /* NULL = sv4_data_dir(); rules in <data_dir>/rules, taxonomy in <data_dir>/taxonomy */
  const char *cache_dir;         /* serialised vectorscan database cache; NULL = $XDG_CACHE_HOME/smartv4 or ~/.cache */
  int no_cache;                  /* 1: always compile (and train) */
  int no_model;                  /* 1: do not load the statistical model (rules alone) */
} sv4_classifier_opts;

/* Parses every rule file, compiles (or loads from cache, keyed by the rules' hash) one vectorscan database.
 * Rule errors are SV4_ERR_PARSE with "file:line: message" in err. */
sv4_rc sv4_classifier_load(const sv4_classifier_opts *opts, sv4_classifier **out, sv4_error *err);
void sv4_classifier_free(sv4_classifier *c);
/* "sdg=2026.11.0;egd=...;taxonomy=...;smartcity=...;rules=<hash16>" — recorded with every result. Static per c. */
const char *sv4_classifier_version(const sv4_classifier *c);
const sv4_taxonomy *sv4_classifier_taxonomy(const sv4_classifier *c);

/* ---- results ----------------------------------------------------------------------------------------------- */
typedef struct sv4_evidence {
  size_t start, end;             /* byte offsets of the match in the original text */
  const char *match;             /* the matched original text (NUL-terminated) */
  const char *rule;              /* rule id, e.g. "en.sdg7.renewables" */
  size_t match_len, rule_len;    /* strlen(match), strlen(rule) */
  const char *code;              /* the code the rule gives, e.g. "7.2" */
  double weight;
  size_t paragraph;              /* index of the paragraph it is in */
} sv4_evidence;

typedef struct sv4_label {
  sv4_scheme scheme;
  const char *code;              /* goal "7" for SDG; area code for the others */
  const char **targets;          /* SDG targets with evidence, e.g. "7.2"; ntargets may be 0 */
  size_t ntargets;
  double score;                  /* 0..1 */
  sv4_evidence *evidence;        /* strongest first, at most SV4_MAX_EVIDENCE_PER_LABEL */
  size_t nevidence;
  size_t paragraphs;             /* paragraphs with evidence for this label */
} sv4_label;

typedef struct sv4_result {
  sv4_lang lang;                 /* the language the text was classified in */
  sv4_label *labels;             /* assigned labels, by scheme then descending score */
  size_t nlabels;
  const char *version;           /* sv4_classifier_version */
  size_t nparagraphs;
  sv4_arena *arena;              /* owns everything above */
} sv4_result;

typedef struct sv4_classify_opts {
  unsigned schemes;              /* bit mask, 0 = all */
  sv4_lang lang;                 /* SV4_LANG_UNKNOWN = identify */
  int evidence;                  /* 1: keep evidence (always kept for labels; 0 keeps only counts) */
  int rules_only;                /* 1: labels from the rules alone, the model not asked */
} sv4_classify_opts;

/* Per-thread worker: vectorscan scratch and reusable buffers. Create one per thread. */
typedef struct sv4_worker sv4_worker;
sv4_rc sv4_worker_new(const sv4_classifier *c, sv4_worker **out, sv4_error *err);
void sv4_worker_free(sv4_worker *w);

/* Classifies text[0..len). SV4_ERR_UTF8 for invalid UTF-8 (err names the offset), SV4_ERR_LIMIT beyond
 * SV4_MAX_TEXT_BYTES. *out is owned by the caller: sv4_result_free. */
sv4_rc sv4_classify(sv4_worker *w, const char *text, size_t len, const sv4_classify_opts *opts, sv4_result **out,
                    sv4_error *err);
void sv4_result_free(sv4_result *r);

/* Appends the JSONL contract object for r (without newline):
 * {"id":..,"lang":"pl","sdg":[7,13],"egd":["energy"],"taxonomy":["ccm"],"smartcity":["environment"],
 *  "labels":[{"scheme":"sdg","code":"7","targets":["7.2"],"score":0.91,"evidence":[{"start":10,"end":24,
 *  "match":"...","rule":"..."}]}],"version":"..."}
 * id may be NULL (then omitted). */
sv4_rc sv4_result_to_json(const sv4_result *r, const char *id, size_t id_len, int with_evidence, sv4_buf *out);

/* ---- SMART check of objectives ---------------------------------------------------------------------------- */
typedef struct sv4_objective {
  size_t start, end;             /* the statement's span in the text */
  const char *text;
  int specific;                  /* names an object of change (verb of change + object) */
  int measurable;                /* has a number with a unit, a percentage or a named indicator */
  int time_bound;                /* has a target year or date */
  int has_baseline;              /* states a starting value ("from X in 2019") */
  const char *value, *unit, *indicator; /* extracted when present, else NULL */
  int target_year, baseline_year; /* 0 when absent */
  double target_value, baseline_value;
  /* achievable and relevant are left to a reviewer: always reported as "review" */
} sv4_objective;

typedef struct sv4_objectives {
  sv4_objective *items;
  size_t n;
  sv4_arena *arena;
} sv4_objectives;

/* Finds objective and target statements in text (in lang, or identified when SV4_LANG_UNKNOWN). */
sv4_rc sv4_smart_find(const char *text, size_t len, sv4_lang lang, sv4_objectives **out, sv4_error *err);
void sv4_objectives_free(sv4_objectives *o);
sv4_rc sv4_objectives_to_json(const sv4_objectives *o, sv4_buf *out);

#ifdef __cplusplus
}
#endif
#endif
