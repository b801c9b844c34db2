/* internal.h — what both storage backends share: the columns pulled out of a record's JSON, the text indexed for
 * search, the effective label codes. Keeps backend files to SQL and nothing else. */
#ifndef SV4_STORE_INTERNAL_H
#define SV4_STORE_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "sv4/store.h"
#include "sv4/util.h"

/* The searchable/faceted columns of a record, pointing into its JSON (valid while rec lives). */
typedef struct sv4__record_cols {
  const char *type, *slug, *lang, *country, *nuts, *lau, *place, *status;
  int year_from, year_to;
} sv4__record_cols;

/* Validates rec (type known, title present, field sizes within limits, languages known) and fills cols.
 * SV4_ERR_USAGE with a message naming the field when invalid. */
sv4_rc sv4__record_validate(json_t *rec, sv4__record_cols *cols, sv4_error *err);

/* The record's JSON without the columns and the server-managed fields (id, created, updated, review, labels,
 * objectives, documents): what backends store as the document. New reference. */
json_t *sv4__record_doc(json_t *rec);

/* Applies a PATCH to a record: every key of patch replaces the record's (null removes it); server-managed keys
 * (id, created, updated, review) are ignored. The names of the fields that really changed are appended to
 * changed. */
void sv4__record_apply_patch(json_t *rec, json_t *patch, json_t *changed);

/* Text for the full-text index: titles (all languages), summaries, and every other text field. Appended to the
 * three buffers (title, summary, body). */
sv4_rc sv4__record_fts_text(json_t *rec, sv4_buf *title, sv4_buf *summary, sv4_buf *body);

/* Effective label codes from a labels JSON array: classifier labels not rejected, reviewer-added labels, with SDG
 * targets; appended as "scheme:code" space-separated. */
sv4_rc sv4__labels_codes(json_t *labels, sv4_buf *out);

/* Registers the "sv4" FTS5 tokenizer (diacritic- and case-folding words) on a SQLite connection. */
struct sqlite3;
int sv4__fts_register(struct sqlite3 *db);

/* Current unix time (overridable for tests with SV4_NOW). */
int64_t sv4__now(void);

/* ISO 8601 UTC for t. buf must hold 21 bytes. */
void sv4__iso_time(int64_t t, char *buf);

#endif
