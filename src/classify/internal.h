/* internal.h — private shapes of the classify module: parsed rules, patterns, codes, the worker. */
#ifndef SV4_CLASSIFY_INTERNAL_H
#define SV4_CLASSIFY_INTERNAL_H

#include <hs/hs.h>
#include <pthread.h>
#include <stdint.h>

#include "sv4/classify.h"

#define SV4_ENGINE_VERSION "sv4-engine-6"

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

/* Literal-prefix scanning (literal.c): every pattern expression is split into its literal part up to the first
 * wildcard, which is what vectorscan scans for, and a tail verified in C. In a tail, SV4__TAIL_WILD stands for
 * `[^ ]*` (the rest of the word); every other byte must match. */
#define SV4__TAIL_WILD 0
typedef struct sv4__literals {
  char **lit;        /* distinct literal prefixes (raw bytes, NUL-terminated) */
  size_t *litlen;
  size_t nlit;
  uint32_t *cand0;   /* nlit + 1: candidates of literal i are cand[cand0[i] .. cand0[i+1]) */
  uint32_t *cand;    /* pattern ids, ascending within a literal */
  uint32_t *tail0;   /* npats + 1: tail of pattern p is tails[tail0[p] .. tail0[p+1]) */
  char *tails;
  size_t ntails;
} sv4__literals;
/* Splits an expression into its literal prefix and tail (both malloc'd, raw bytes). SV4_ERR_PARSE when the
 * expression is not of the form sv4__phrase_expr makes or starts with a wildcard. */
sv4_rc sv4__expr_split(const char *expr, char **lit, size_t *litlen, char **tail, size_t *taillen);
/* Verifies tail at text[pos..): returns the offset just after the match, or 0 when it does not match. A wildcard
 * consumes the rest of the word (every byte up to the next space, which must exist). Inline: it runs once per
 * literal occurrence and candidate. */
static inline size_t sv4__tail_verify(const char *text, size_t len, size_t pos, const char *tail, size_t taillen) {
  size_t i = pos;
  for (size_t k = 0; k < taillen; k++) {
    unsigned char t = (unsigned char)tail[k];
    if (t == SV4__TAIL_WILD) {
      while (i < len && text[i] != ' ') i++;
      if (i >= len) return 0;
    } else {
      if (i >= len || (unsigned char)text[i] != t) return 0;
      i++;
    }
  }
  return i;
}
/* Builds the literal table of npats expressions (fold markers already skipped). Caller frees. */
sv4_rc sv4__literals_build(const char *const *exprs, size_t npats, sv4__literals **out);
void sv4__literals_free(sv4__literals *L);

/* The classifier cache (cache.c): rule tables, literal table and database in one file. */
void sv4__cache_save(const sv4_classifier *c, const char *path, uint64_t key);
/* Fills c->rules, c->lits and the serialised databases (c->map, c->dbser) from path when it is intact and carries
 * key; else SV4_ERR_NOTFOUND. */
sv4_rc sv4__cache_load(sv4_classifier *c, const char *path, uint64_t key);
/* Drops what sv4__cache_load filled in. */
void sv4__cache_drop(sv4_classifier *c);
/* The database of a pass and language (0 = every language), deserialised on first use; NULL when there is
 * nothing to scan for (or, on a damaged cache, when it cannot be deserialised: err is then set). Thread-safe. */
hs_database_t *sv4__db(const sv4_classifier *c, int pass, int lang, int *failed);

struct sv4_classifier {
  sv4__literals *lits;
  sv4_rules *rules;
  sv4_taxonomy *tax;
  /* One literal database per pass (0 exact, 1 diacritic-folded) and language ([0] = every language, for texts
   * whose language is not known): a text is scanned only for its own language's literals. NULL when empty. */
  hs_database_t *dbs[2][SV4_LANG_COUNT];
  /* From the cache, the databases are deserialised on first use (a start in one language needs two of them):
   * their serialised bytes lie in the mapped cache file. Access through sv4__db. */
  const char *dbser[2][SV4_LANG_COUNT];
  size_t dbserlen[2][SV4_LANG_COUNT];
  void *map;         /* the mapped cache file, or NULL */
  size_t maplen;
  pthread_mutex_t db_lock;
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
