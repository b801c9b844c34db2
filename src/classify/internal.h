/* internal.h — private shapes of the classify module: parsed rules, patterns, codes, the worker. */
#ifndef SV4_CLASSIFY_INTERNAL_H
#define SV4_CLASSIFY_INTERNAL_H

#include <hs/hs.h>
#include <pthread.h>
#include <stdint.h>

#include "sv4/classify.h"

#define SV4_ENGINE_VERSION "sv4-engine-4"

/* A group of phrases with a window: `with N:` (window N words) or `not:` (window -1 = must overlap). */
typedef struct sv4__group {
  int window;
  uint32_t *pats; /* pattern ids */
  size_t n;
} sv4__group;

typedef struct sv4__rule {
  char *id;
  char *code;        /* as written: "7.2" */
  uint32_t code_id;  /* index into sv4_rules.codes */
  sv4_scheme scheme;
  sv4_lang lang;
  double weight;
  int fold;
  const char *file;  /* owned by sv4_rules.files */
  int line;
  char **terms;      /* terms as written */
  uint32_t *term_pats;
  size_t nterms;
  sv4__group *with, *nots;
  size_t nwith, nnot;
} sv4__rule;

typedef struct sv4__pattern {
  char *expr;        /* vectorscan expression over normalised text; "\x01..." for fold patterns */
  uint8_t nwords;
  uint8_t fold;      /* matched against the diacritic-folded normalisation */
  uint8_t langmask;  /* 1 << sv4_lang of every rule using it */
  uint32_t use0, nuse; /* term uses in sv4_rules.uses */
  const char *file;  /* where it was first written, for compile errors */
  int line;
} sv4__pattern;

typedef struct sv4__code {
  sv4_scheme scheme;
  char *code;
  uint32_t label;    /* the code the label is given at: the goal for SDG targets, else itself */
  int is_target;
} sv4__code;

typedef struct sv4__thresholds {
  double paragraph, document, saturation;
} sv4__thresholds;

/* All parsed rule files. */
typedef struct sv4_rules {
  sv4__rule *rules;
  size_t nrules, caprules;
  sv4__pattern *pats;
  size_t npats, cappats;
  uint32_t *uses;    /* rule index per term use, grouped by pattern */
  size_t nuses;
  sv4__code *codes;
  size_t ncodes, capcodes;
  char **files;
  size_t nfiles, capfiles;
  char *version[SV4_SCHEME_COUNT];
  uint64_t hash;     /* of every rule file's name and content */
  /* build-time hash tables */
  uint32_t *pat_ht, *rule_ht;
  size_t pat_htcap, rule_htcap;
  /* pending term uses (pattern, rule) before grouping */
  uint32_t (*pend)[2];
  size_t npend, cappend;
} sv4_rules;

/* Rule parsing (rules.c). taxonomy may be NULL (then codes are only checked for form). */
sv4_rules *sv4__rules_new(void);
void sv4__rules_free(sv4_rules *r);
sv4_rc sv4__rules_parse(sv4_rules *r, const char *name, const char *data, size_t len, const sv4_taxonomy *tax,
                        sv4_error *err);
/* Parses every *.rules below dir (sorted, recursive). */
sv4_rc sv4__rules_load_dir(sv4_rules *r, const char *dir, const sv4_taxonomy *tax, sv4_error *err);
/* The *.rules files below dir, sorted; caller frees each and the array. */
sv4_rc sv4__rules_list(const char *dir, char ***files, size_t *n, sv4_error *err);
/* Groups term uses by pattern; call once after all files are parsed. */
sv4_rc sv4__rules_finish(sv4_rules *r, sv4_error *err);
/* Builds the expression for a phrase ("odnawialn* źród*"): SV4_ERR_PARSE with a message when the phrase is
 * malformed. *nwords receives its word count. The result is malloc'd. */
sv4_rc sv4__phrase_expr(const char *phrase, size_t len, int fold, char **expr, int *nwords, char *msg, size_t msgsz);

struct sv4_classifier {
  sv4_rules *rules;
  sv4_taxonomy *tax;
  hs_database_t *db;
  sv4__thresholds thr[SV4_SCHEME_COUNT];
  char *version;
  uint8_t *pat_lang; /* copy of pats[i].langmask, dense for the match callback */
  uint8_t *pat_nwords;
  uint8_t *pat_fold;
  uint8_t fold_langmask; /* languages with fold patterns: their texts are also scanned folded */
  int from_cache;
  double load_ms;
  sv4_langid *langid; /* created lazily */
  pthread_mutex_t langid_lock;
};

/* Minimal JSON object reader for JSON Lines input (jsonl.c). Fields are decoded into buf. */
typedef struct sv4_jsonl_rec {
  const char *id;
  size_t id_len;
  int id_present;
  const char *text;
  size_t text_len;
  const char *lang;
  size_t lang_len;
} sv4_jsonl_rec;
/* Parses one line: a JSON object with string "id" (or a number), string "text", optional string "lang"; other
 * members are skipped (validated). Returns SV4_ERR_PARSE with a message naming the column. */
sv4_rc sv4_jsonl_parse(const char *line, size_t len, sv4_buf *scratch, sv4_jsonl_rec *rec, sv4_error *err);

#endif
