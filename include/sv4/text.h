/* text.h — the text pipeline: UTF-8 validation, normalisation for matching with an offset map back to the
 * original bytes, paragraph/sentence segmentation, and language identification. */
#ifndef SV4_TEXT_H
#define SV4_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "sv4/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The five portal languages; SV4_LANG_UNKNOWN when identification is not confident. */
typedef enum sv4_lang { SV4_LANG_UNKNOWN = 0, SV4_LANG_EN, SV4_LANG_PL, SV4_LANG_CS, SV4_LANG_SK, SV4_LANG_HU, SV4_LANG_COUNT } sv4_lang;

/* "en", "pl", ... ; "und" for unknown. Static. */
const char *sv4_lang_code(sv4_lang lang);
/* Parses "en"/"pl"/"cs"/"sk"/"hu" (case-insensitive, also "cz" -> cs); SV4_LANG_UNKNOWN otherwise. */
sv4_lang sv4_lang_from_code(const char *code);

/* Returns 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF); else 0 and *bad = offset
 * of the first invalid byte (bad may be NULL). */
int sv4_utf8_valid(const char *s, size_t n, size_t *bad);

/* Normalised form of a text for matching: NFKC, case-folded, every run of characters that are not letters,
 * digits or combining marks becomes one ASCII space; starts and ends with a space. With SV4_NORM_FOLD_DIACRITICS
 * letters are also stripped of diacritics (ł -> l, ő -> o, ř -> r ...). map[i] is the byte offset in the original
 * text of normalised byte i (map has len+1 entries; map[len] = original length), so a match [a,b) in the normalised
 * text is [map[a], map[b-1]+len of that char) in the original — use sv4_norm_span. */
/* SV4_NORM_REFERENCE: every character through utf8proc, none through the tables or the ASCII fast path (slow; the
 * result is the same — for tests). */
enum { SV4_NORM_FOLD_DIACRITICS = 1, SV4_NORM_REFERENCE = 2 };
typedef struct sv4_norm {
  char *text;        /* NUL-terminated */
  size_t len;
  uint32_t *map;     /* len + 1 entries */
  uint32_t *twin;    /* the folded form of sv4_normalize_pair: twin[i], for each space i, is the offset of the same
                      * space in the exact form (other entries are unspecified); else NULL or stale */
  size_t cap;        /* internal: allocated capacity, so one sv4_norm can be reused across texts */
} sv4_norm;

void sv4_norm_init(sv4_norm *n);
/* Normalises src[0..len) into n (reusing its memory). SV4_ERR_UTF8 with err naming the byte offset on invalid
 * input; SV4_ERR_LIMIT beyond SV4_MAX_TEXT_BYTES. */
sv4_rc sv4_normalize(const char *src, size_t len, int flags, sv4_norm *n, sv4_error *err);
/* Both forms in one pass, for texts where that is possible: *paired = 1, n as sv4_normalize(src, len, 0) and f as
 * sv4_normalize(src, len, SV4_NORM_FOLD_DIACRITICS) would make them, and f->twin filled. That is the case when every
 * character is ASCII or a two-byte character (up to U+07FF) that is no combining mark and whose folded form is the
 * character-wise fold (sv4_fold_normalised) of its exact form: then both forms have their spaces at the same
 * characters. Otherwise it stops at the first other character with *paired = 0 and SV4_OK, n and f holding nothing
 * useful: normalise separately (which reports an error further on). An error before that point is sv4_normalize's:
 * SV4_ERR_UTF8 naming the same byte, SV4_ERR_LIMIT. */
sv4_rc sv4_normalize_pair(const char *src, size_t len, sv4_norm *n, sv4_norm *f, int *paired, sv4_error *err);
/* The character-wise diacritic fold of normalised text s[0..n) (spaces, and letters and digits up to U+07FF, each
 * folded as a text of that one character would be) into out of capacity cap: the form its words take in the folded
 * normalisation of a text sv4_normalize_pair pairs. Returns the length, or -1 when some character cannot be folded
 * so (three-byte characters, marks) or out is too small. */
long sv4_fold_normalised(const char *s, size_t n, char *out, size_t cap);
/* Maps the normalised span [a,b) back to the original [*start,*end). */
void sv4_norm_span(const sv4_norm *n, const char *src, size_t src_len, size_t a, size_t b, size_t *start, size_t *end);
void sv4_norm_free(sv4_norm *n);

/* The lowercase Latin letters (U+00C0..U+024F, normalised UTF-8) that fold to the ASCII letter base ('a'..'z'),
 * e.g. 'z' -> "ź", "ż", "ž"... Fills out[0..min(n,max)) with static strings and returns n. Used to build
 * diacritic-insensitive patterns. */
size_t sv4_fold_variants(char base, const char **out, size_t max);

/* Normalises one short string (a rule term) into a malloc'd NUL-terminated string without the outer spaces.
 * Returns NULL on invalid UTF-8 or OOM. Caller frees. */
char *sv4_normalize_term(const char *s, size_t len, int flags);

/* Segmentation: paragraphs are separated by blank lines (or by structure from the importer); sentences by
 * terminal punctuation followed by space and an upper-case letter or digit, not after common abbreviations. */
typedef struct sv4_span {
  size_t start, end; /* byte offsets in the original text */
} sv4_span;

/* Finds paragraphs in text; *out is malloc'd (caller frees), *n its count. Empty text gives n = 0. */
sv4_rc sv4_paragraphs(const char *text, size_t len, sv4_span **out, size_t *n);
/* Finds sentences inside [span.start, span.end); appends to *out (realloc'd) and updates *n. */
sv4_rc sv4_sentences(const char *text, sv4_span span, sv4_span **out, size_t *n);

/* Language identification (libexttextcat over the first SV4_MAX_LANGID_BYTES bytes, restricted to the five
 * languages). Thread-safe after sv4_langid_init. Returns SV4_LANG_UNKNOWN for short or unclear texts. */
typedef struct sv4_langid sv4_langid;
sv4_rc sv4_langid_new(sv4_langid **out, sv4_error *err);
sv4_lang sv4_langid_detect(sv4_langid *li, const char *text, size_t len);
void sv4_langid_free(sv4_langid *li);

#ifdef __cplusplus
}
#endif
#endif
