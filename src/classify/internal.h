/* internal.h — private shapes of the classify module: parsed rules, patterns, codes, the worker. */
#ifndef SV4_CLASSIFY_INTERNAL_H
#define SV4_CLASSIFY_INTERNAL_H

#include <hs/hs.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "sv4/classify.h"
#include "sv4/limits.h"

#define SV4_ENGINE_VERSION "sv4-engine-11"

/* A group of phrases with a window: `with N:` (window N words) or `not:` (window -1 = must overlap). */
typedef struct sv4__group {
  int window;
  uint32_t *pats; /* pattern ids */
  size_t n;
} sv4__group;

typedef struct sv4__rule {
  char *id;
  char *code;       /* as written: "7.2" */
  uint32_t code_id; /* index into sv4_rules.codes */
  sv4_scheme scheme;
  sv4_lang lang;
  double weight;
  int fold;
  const char *file; /* owned by sv4_rules.files */
  int line;
  char **terms; /* terms as written */
  uint32_t *term_pats;
  size_t nterms;
  sv4__group *with, *nots;
  size_t nwith, nnot;
} sv4__rule;

typedef struct sv4__pattern {
  char *expr; /* vectorscan expression over normalised text; "\x01..." for fold patterns */
  uint8_t nwords;
  uint8_t fold;        /* matched against the diacritic-folded normalisation */
  uint8_t langmask;    /* 1 << sv4_lang of every rule using it */
  uint32_t use0, nuse; /* term uses in sv4_rules.uses */
  const char *file;    /* where it was first written, for compile errors */
  int line;
} sv4__pattern;

typedef struct sv4__code {
  sv4_scheme scheme;
  char *code;
  uint32_t label; /* the code the label is given at: the goal for SDG targets, else itself */
  int is_target;
} sv4__code;

typedef struct sv4__thresholds {
  double paragraph, document, saturation;
  double model;           /* the model's probability for a paragraph at which it labels on its own; 0 = never */
  double assist;          /* ... at which it labels when the rules found evidence of at least assist_evidence */
  double assist_evidence; /* (below their own thresholds); 0 = never */
} sv4__thresholds;

/* All parsed rule files. */
typedef struct sv4_rules {
  sv4__rule *rules;
  size_t nrules, caprules;
  sv4__pattern *pats;
  size_t npats, cappats;
  uint32_t *uses; /* rule index per term use, grouped by pattern */
  size_t nuses;
  sv4__code *codes;
  size_t ncodes, capcodes;
  char **files;
  size_t nfiles, capfiles;
  char *version[SV4_SCHEME_COUNT];
  uint64_t hash; /* of every rule file's name and content */
  /* build-time hash tables */
  uint32_t *pat_ht, *rule_ht;
  size_t pat_htcap, rule_htcap;
  /* pending term uses (pattern, rule) before grouping */
  uint32_t (*pend)[2];
  size_t npend, cappend;
  /* loaded from the cache (cache.c): the strings and the arrays of numbers lie in its mapping, the rules' term
   * and group arrays in `block`; only rules, pats, codes, files and block are the tables' own */
  int borrowed;
  void *block;
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
  char **lit; /* distinct literal prefixes (raw bytes, NUL-terminated) */
  size_t *litlen;
  size_t nlit;
  uint32_t *cand0; /* nlit + 1: candidates of literal i are cand[cand0[i] .. cand0[i+1]) */
  uint32_t *cand;  /* pattern ids, ascending within a literal */
  uint32_t *tail0; /* npats + 1: tail of pattern p is tails[tail0[p] .. tail0[p+1]) */
  char *tails;
  size_t ntails;
  int borrowed; /* loaded from the cache: lit[i], cand0, cand, tail0 and tails lie in its mapping */
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
/* The offset of the first space in text[i..len), or len. Eight bytes at a time where the byte order allows (a word
 * is usually shorter): the lowest byte that is a space is the lowest set high bit of (x - 1...) & ~x. */
static inline size_t sv4__word_end(const char *text, size_t len, size_t i) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  for (; i + 8 <= len; i += 8) {
    uint64_t v;
    memcpy(&v, text + i, 8);
    uint64_t x = v ^ (ones * ' '), m = (x - ones) & ~x & high;
    if (m) return i + (size_t)__builtin_ctzll(m) / 8;
  }
#endif
  while (i < len && text[i] != ' ') i++;
  return i;
}

/* Builds the literal table of npats expressions (fold markers already skipped). Caller frees. */
sv4_rc sv4__literals_build(const char *const *exprs, size_t npats, sv4__literals **out);
void sv4__literals_free(sv4__literals *L);

/* What one literal database scans for (literal.c). EXACT: the literals of exact patterns, over the exact
 * normalisation. FOLD: those of `fold` patterns, over the diacritic-folded one. PAIRED: both over the folded
 * normalisation of a text that sv4_normalize_pair pairs, the exact literals folded character-wise
 * (sv4_fold_normalised): an exact pattern found there is verified against the exact normalisation at the same place,
 * so a text of such a language is scanned once instead of twice. */
enum { SV4__SCAN_EXACT = 0, SV4__SCAN_FOLD = 1, SV4__SCAN_PAIRED = 2, SV4__SCAN_KINDS = 3 };
/* A candidate pattern of a scanned literal, with what the match callback and the evidence loop read of it. The
 * candidates of one literal are ordered by exact literal (none first), then tail: `skip` lets the callback pass over
 * those that must fail where the one before failed. */
#define SV4__TAIL_INLINE 2
#define SV4__MAX_TAIL (4 * SV4_MAX_TERM_BYTES + 15) /* bytes of a tail, a merged literal's rest included */
typedef struct sv4__cand {
  uint32_t pat;
  uint32_t use0; /* its term uses by rules of the set's language (every use for language 0): */
  uint32_t nuse; /* uses[use0 .. use0 + nuse) of the set */
  uint32_t lit;  /* litlen > 0 (an exact pattern in a PAIRED scan): its exact literal, own[lit .. lit + litlen),
                  * to find first at the same place in the exact normalisation */
  uint32_t tail; /* its tail (after the scanned literal): own[tail .. tail + taillen), or tin when short */
  uint16_t litlen, taillen;
  uint8_t nwords;
  uint8_t skip; /* 0: the first of its exact literal; else 1 + the number of leading tail elements it shares with
                 * the candidate before it (at most 254) */
  uint16_t next0, next1;      /* how many candidates on the next with skip 0, with skip <= 1 */
  char tin[SV4__TAIL_INLINE]; /* the usual short tail: rest of the word, space */
} sv4__cand;
/* One term use of a pattern as the evidence loop of match.c reads it: a rule of the set's language (any, in a set of
 * language 0) that lists the pattern among its terms, with the rule's fields the loop needs. */
typedef struct sv4__use {
  double weight;
  uint32_t rule, code, label;
  uint32_t wrank; /* rank of weight among all rules' distinct weights, 0 = the largest: orders as -weight */
  uint32_t idlen; /* strlen of the rule's id */
  uint8_t lang, scheme;
  uint8_t groups; /* the rule has `with` or `not` groups */
} sv4__use;
/* A scan set: the literals one database scans for, with their candidates and those candidates' uses. Plain arrays,
 * kept in the cache file and used from its mapping. */
typedef struct sv4__scanset {
  size_t n;               /* literals; the database's ids are 0..n-1 */
  const uint32_t *litlen; /* n: each literal's length */
  const uint32_t *cand0;  /* n + 1: candidates of id i are cand[cand0[i] .. cand0[i+1]) */
  const sv4__cand *cand;
  const char *own; /* nown bytes: the candidates' tails; PAIRED: also the folded and the exact literals */
  size_t nown;
  const sv4__use *uses; /* nuses, by candidate and rule */
  size_t nuses;
  const char **lit; /* a built set's literals' bytes, for compiling; NULL in a set from the cache */
  int mapped;       /* the arrays lie in the mapped cache file; else they are malloc'd with the set */
} sv4__scanset;
/* The scan set of one kind and language (0 = every language): the literals with a candidate pattern of that kind
 * used by a rule of that language, each with those candidates. *out is NULL when there is nothing to scan for, and
 * for PAIRED when the language has no fold patterns or some exact literal cannot be folded character-wise (it is
 * then scanned twice). Needs c->rules and c->lits. Deterministic. */
sv4_rc sv4__scanset_build(const sv4_classifier *c, int kind, int lang, sv4__scanset **out);
void sv4__scanset_free(sv4__scanset *s);
/* Checks a scan set read from the cache against c's rules (every index in range): 0 when it is sound. */
int sv4__scanset_check(const sv4_classifier *c, const sv4__scanset *s);

/* The classifier cache (cache.c): rule tables, literal table and database in one file. */
void sv4__cache_save(const sv4_classifier *c, const char *path, uint64_t key);
/* Fills c->rules, c->lits and the serialised databases (c->map, c->dbser) from path when it is intact and carries
 * key; else SV4_ERR_NOTFOUND. */
sv4_rc sv4__cache_load(sv4_classifier *c, const char *path, uint64_t key);
/* Drops what sv4__cache_load filled in. */
void sv4__cache_drop(sv4_classifier *c);
/* The database of a scan kind and language (0 = every language), deserialised on first use, and in *set its scan
 * set (checked on first use); NULL when there is nothing to scan for (or, on a damaged cache, when it cannot be
 * deserialised or its set is not sound: *failed is then set). Thread-safe. */
hs_database_t *sv4__db(const sv4_classifier *c, int kind, int lang, const sv4__scanset **set, int *failed);
/* Whether there is a database of that kind and language (compiled or in the cache), without loading it. */
int sv4__db_exists(const sv4_classifier *c, int kind, int lang);

/* The statistical model (model.c): one-vs-rest logistic regression over word-anchored character n-grams, for the
 * SDG goals and the Green Deal areas, trained at load from data/train and cached. */
#define SV4__MODEL_VERSION "sv4-model-4"
#define SV4__MODEL_MAXK 32
#define SV4__MODEL_MAXF 3     /* features of one word */
#define SV4__MODEL_BATCH 32   /* features looked up together */
#define SV4__MODEL_EVIDENCE 5 /* words shown as evidence of a label the model gives */
/* ... each adding at least this share of what the strongest adds (function words carry small weights) */
#define SV4__MODEL_EVIDENCE_SHARE 0.3
/* A paragraph of fewer words is too short for the model to judge (it learnt from paragraphs of 20 to 80 words): a
 * phrase or a sentence is left to the rules. */
#define SV4__MODEL_MIN_WORDS 15
typedef struct sv4__mslot {
  uint32_t fp; /* the feature hash's high 32 bits, never 0 (0 = an empty slot); its low bits chose the slot */
  uint32_t row;
} sv4__mslot;
typedef struct sv4__model {
  uint32_t k;                     /* classes */
  uint32_t code[SV4__MODEL_MAXK]; /* each class's code (index into sv4_rules.codes) */
  uint8_t scheme[SV4__MODEL_MAXK];
  const char *name[SV4__MODEL_MAXK]; /* its code as text (the taxonomy's) */
  char id[SV4__MODEL_MAXK][32];      /* "model:sdg:7": the rule id its evidence carries */
  uint32_t nslots, nrows;            /* feature table: nslots (a power of two) slots, nrows rows */
  const sv4__mslot *slots;           /* key 0 = empty */
  const int8_t *w8;                  /* nrows * SV4__MODEL_MAXK weights as bytes: weight = byte * scale[class] */
  const float *scale;                /* SV4__MODEL_MAXK */
  const float *bias;                 /* SV4__MODEL_MAXK */
  uint64_t hash;                     /* of the version, classes and training data: named in the results */
  uint64_t key;                      /* the cache file's: training files by name, size, time and inode */
  void *map;                         /* the cache file, when the table lies in it */
  size_t maplen;
  /* per language: the hashes of its function words (data/train/stopwords/<lang>.txt), sorted; never shown as the
   * model's evidence (they carry learnt weight, but say nothing to a reader) */
  uint64_t *stop[SV4_LANG_COUNT];
  size_t nstop[SV4_LANG_COUNT];
} sv4__model;
typedef struct sv4__model_word {
  uint32_t start, end; /* the word in the normalised text */
  double contribution; /* to the class's score */
} sv4__model_word;
/* Loads the model trained on <data_dir>/train (*out NULL when there is no training data). cache_dir may be NULL. */
sv4_rc sv4__model_load(const sv4_classifier *c, const char *data_dir, const char *cache_dir, sv4__model **out,
                       sv4_error *err);
void sv4__model_free(sv4__model *m);
/* A worker's cache of words' summed rows: most words of a text are among a few thousand frequent ones, and a word
 * found here costs one hash instead of three hashes, three probes and three rows. Direct-mapped by the word's hash (its
 * whole-word feature); sv4__model_accumulate fills it. */
#define SV4__WORDCACHE_BITS 13
#define SV4__WORDCACHE_K 27 /* a model of more classes is looked up without it */
typedef struct sv4__wordent {
  int16_t sum[SV4__WORDCACHE_K]; /* the word's rows summed (at most SV4__MODEL_MAXF) */
  int16_t nf;                    /* its features (found in the table or not) */
  uint64_t key;                  /* the word's hash; 0: empty */
} sv4__wordent;                  /* one cache line: the key and the sum are read together */
typedef struct sv4__wordcache {
  sv4__wordent e[1u << SV4__WORDCACHE_BITS];
} sv4__wordcache;
/* A new, empty cache (NULL when out of memory); free() frees it. */
sv4__wordcache *sv4__wordcache_new(void);
/* Adds the weights of the features of the words of normalised text t[a..b) (readable up to lim) to acc[0..k);
 * returns the number of feature occurrences (the score of class q is bias[q] + acc[q] / sqrt(that number)), *words
 * the words that have features. wc (may be NULL) is the caller's word cache for this model. */
size_t sv4__model_accumulate(const sv4__model *m, sv4__wordcache *wc, const char *t, size_t a, size_t b,
                             const char *lim, float *acc, size_t *words);
/* The at most max words of t[a..b) that add most to class cls's score (each word's weights times scale), strongest
 * first, leaving out the function words of lang; returns how many (only words that add). */
size_t sv4__model_top_words(const sv4__model *m, sv4_lang lang, const char *t, size_t a, size_t b, const char *lim,
                            uint32_t cls, double scale, sv4__model_word *out, size_t max);

struct sv4_classifier {
  sv4__literals *lits;
  sv4_rules *rules;
  sv4_taxonomy *tax;
  /* One literal database per scan kind and language ([0] = every language, for texts whose language is not known;
   * no PAIRED one): a text is scanned only for its own language's literals. NULL when empty. */
  hs_database_t *dbs[SV4__SCAN_KINDS][SV4_LANG_COUNT];
  sv4__scanset *sets[SV4__SCAN_KINDS][SV4_LANG_COUNT]; /* their scan sets */
  /* From the cache, the databases are deserialised and their sets checked on first use (a start in one language
   * needs one or two of them): their bytes lie in the mapped cache file. Access through sv4__db. */
  const char *dbser[SV4__SCAN_KINDS][SV4_LANG_COUNT];
  size_t dbserlen[SV4__SCAN_KINDS][SV4_LANG_COUNT];
  void *map; /* the mapped cache file, or NULL */
  size_t maplen;
  pthread_mutex_t db_lock;
  sv4__thresholds thr[SV4_SCHEME_COUNT];
  char *version;
  const char **rule_id;  /* rules[i].id, dense, for the evidence */
  uint32_t *code_rank;   /* per code: its rank in sv4__cmp_code order (equal codes, equal rank) */
  uint8_t fold_langmask; /* languages with fold patterns: their texts are also scanned folded */
  int from_cache;
  double load_ms;
  sv4__model *model;   /* NULL: rules only */
  int8_t *model_class; /* per code (sv4_rules.codes): its class in the model, or -1; NULL without a model */
  sv4_langid *langid;  /* created lazily */
  pthread_mutex_t langid_lock;
};

/* "7.a" after "7.10" after "7.2": numeric parts numerically, letters after digits (match.c). */
int sv4__cmp_code(const char *a, const char *b);

/* sv4_classify without the copy: *out is the worker's, valid until its next classification, and each evidence
 * item's match points into text (match_len bytes, not NUL-terminated). For a caller that only writes the result
 * out (sv4_result_to_json reads match_len bytes). */
sv4_rc sv4__classify_view(sv4_worker *w, const char *text, size_t len, const sv4_classify_opts *opts,
                          const sv4_result **out, sv4_error *err);

/* For tests: on = 1 makes the worker normalise and scan every text as without PAIRED sets (exact form and exact
 * phrases, then folded form and fold phrases), which must give the same results. */
void sv4__worker_two_scans(sv4_worker *w, int on);

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
