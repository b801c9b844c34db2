/* store.h — storage of portal records behind one function table (sv4_store_ops): SQLite is the default backend,
 * PostgreSQL the scale-out one; both pass the same tests. Records travel as jansson objects (the API's JSON), the
 * backend keeps the searchable fields in columns and the rest as a JSON document. */
#ifndef SV4_STORE_H
#define SV4_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "sv4/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sv4_record_type {
  SV4_REC_STRATEGY = 0, SV4_REC_PRACTICE, SV4_REC_PROJECT, SV4_REC_METHOD, SV4_REC_FUNDING, SV4_REC_ORGANISATION,
  SV4_REC_TYPE_COUNT
} sv4_record_type;
const char *sv4_record_type_name(sv4_record_type t);   /* "strategy", ... */
int sv4_record_type_from_name(const char *name);       /* -1 when unknown */

/* Review state of a record's labels: "unreviewed" until a reviewer acts, "reviewed" after. */
typedef enum sv4_review_state { SV4_REVIEW_UNREVIEWED = 0, SV4_REVIEW_REVIEWED } sv4_review_state;

/* Roles, in increasing power. */
typedef enum sv4_role { SV4_ROLE_VIEWER = 0, SV4_ROLE_CONTRIBUTOR, SV4_ROLE_REVIEWER, SV4_ROLE_ADMIN } sv4_role;
const char *sv4_role_name(sv4_role r);
int sv4_role_from_name(const char *name);              /* -1 when unknown */

typedef struct sv4_store sv4_store;

/* The per-record facts the in-memory search index keeps: the facet columns, the effective label codes, who may see
 * the record, and the text the full-text index holds (exactly what the backend's own text search indexes). */
typedef struct sv4_record_row {
  int64_t id;
  const char *type;            /* "strategy", ... */
  const char *country;         /* "PL", "CZ", "SK", "HU", "EU" or "" */
  const char *lang;
  const char *nuts;
  int year_from, year_to;      /* 0 when unknown */
  const char *review;          /* "unreviewed" | "reviewed" */
  const char *codes;           /* effective labels, space-separated "sdg:7 sdg:7.2 egd:energy taxonomy:ccm" */
  int64_t updated;             /* unix time */
  int published;               /* 0 for a draft ("published": false), else 1 */
  const char *owner;           /* who created the record; "" when unknown (imports) */
  const char *text[3];         /* title, summary, body (other text fields and the documents' text) */
  size_t text_len[3];
} sv4_record_row;

typedef int (*sv4_row_cb)(void *ud, const sv4_record_row *r);     /* return non-zero to stop */
typedef int (*sv4_hit_cb)(void *ud, int64_t id, double rank);         /* return non-zero to stop */
typedef int (*sv4_record_cb)(void *ud, int64_t id, json_t *rec);      /* rec borrowed for the call */

typedef struct sv4_store_ops {
  const char *name;            /* "sqlite", "postgres" */
  /* conninfo: a file path for sqlite, a libpq connection string for postgres. Creates/migrates the schema. */
  sv4_rc (*open)(const char *conninfo, sv4_store **out, sv4_error *err);
  void (*close)(sv4_store *s);
  sv4_rc (*begin)(sv4_store *s, sv4_error *err);
  sv4_rc (*commit)(sv4_store *s, sv4_error *err);
  void (*rollback)(sv4_store *s);
  int (*schema_version)(sv4_store *s);

  /* Records. rec is the record JSON (see docs/api.md); record_create assigns *id and writes revision 1; `who`
   * becomes the record's owner (a contributor sees their own drafts). */
  sv4_rc (*record_create)(sv4_store *s, json_t *rec, const char *who, const char *why, int64_t *id, sv4_error *err);
  /* Replaces fields present in patch; records a revision with the changed field names. */
  sv4_rc (*record_update)(sv4_store *s, int64_t id, json_t *patch, const char *who, const char *why, sv4_error *err);
  /* *out: a new reference (caller json_decref) with id, created, updated, review state, owner (when known) and the
   * stored fields. */
  sv4_rc (*record_get)(sv4_store *s, int64_t id, json_t **out, sv4_error *err);
  sv4_rc (*record_get_by_slug)(sv4_store *s, const char *slug, int64_t *id, sv4_error *err);
  sv4_rc (*record_delete)(sv4_store *s, int64_t id, const char *who, sv4_error *err);
  sv4_rc (*record_count)(sv4_store *s, int64_t *n, sv4_error *err);
  /* Calls cb for every record in id order (export, index build). */
  sv4_rc (*record_each)(sv4_store *s, sv4_record_cb cb, void *ud, sv4_error *err);
  /* Calls cb with the facet row and text of every record in id order (only_id > 0: just that one). */
  sv4_rc (*record_rows_each)(sv4_store *s, int64_t only_id, sv4_row_cb cb, void *ud, sv4_error *err);
  sv4_rc (*revisions)(sv4_store *s, int64_t id, json_t **out, sv4_error *err);   /* JSON array, newest first */

  /* Labels. Replaces the classifier's labels of a record (labels: JSON array of sv4_result_to_json "labels"). */
  sv4_rc (*labels_set_classifier)(sv4_store *s, int64_t id, json_t *labels, const char *version, sv4_error *err);
  /* Reviewer action: action "accept" | "reject" | "add"; code/scheme name the label. */
  sv4_rc (*label_review)(sv4_store *s, int64_t id, const char *scheme, const char *code, const char *action,
                         const char *who, const char *why, sv4_error *err);
  sv4_rc (*labels_get)(sv4_store *s, int64_t id, json_t **out, sv4_error *err);  /* JSON array */

  /* Objectives (SMART): replaces the record's objectives with the JSON array given. */
  sv4_rc (*objectives_set)(sv4_store *s, int64_t id, json_t *objectives, sv4_error *err);
  sv4_rc (*objectives_get)(sv4_store *s, int64_t id, json_t **out, sv4_error *err);

  /* Documents: the original bytes and the extracted text. */
  sv4_rc (*document_add)(sv4_store *s, int64_t record_id, const char *filename, const char *mime, const void *data,
                         size_t len, const char *text, size_t text_len, int64_t *doc_id, sv4_error *err);
  sv4_rc (*document_get)(sv4_store *s, int64_t doc_id, char **filename, char **mime, void **data, size_t *len,
                         sv4_error *err);                                       /* caller frees the three */
  sv4_rc (*documents_list)(sv4_store *s, int64_t record_id, json_t **out, sv4_error *err);

  /* Full-text search: cb for every record matching the query (FTS syntax already sanitised by the caller: words,
   * "phrases", word* prefixes), best first. The search index answers text queries from its own in-memory index
   * of record_rows_each's text (store/text_index.c, tested against this); this is the backend's own search. */
  sv4_rc (*text_search)(sv4_store *s, const char *query, sv4_hit_cb cb, void *ud, sv4_error *err);
  /* Highlighted snippet for one record and query (<mark>…</mark>, HTML-escaped otherwise); caller frees. The search
   * cuts its snippets itself from record_text (the same for both backends); this is the backend's own. */
  sv4_rc (*snippet)(sv4_store *s, int64_t id, const char *query, char **out, sv4_error *err);
  /* The text of record id as its full-text index holds it (record_rows_each's text: title, summary, body): cb gets
   * a row with only id and text set. SV4_ERR_NOTFOUND when there is no such record. */
  sv4_rc (*record_text)(sv4_store *s, int64_t id, sv4_row_cb cb, void *ud, sv4_error *err);

  /* Users and sessions. password_hash is argon2id (libsodium crypto_pwhash_str). */
  sv4_rc (*user_put)(sv4_store *s, const char *name, const char *password_hash, sv4_role role, sv4_error *err);
  sv4_rc (*user_get)(sv4_store *s, const char *name, char **password_hash, sv4_role *role, sv4_error *err);
  sv4_rc (*user_list)(sv4_store *s, json_t **out, sv4_error *err);
  sv4_rc (*user_delete)(sv4_store *s, const char *name, sv4_error *err);
  sv4_rc (*session_put)(sv4_store *s, const char *token_hash, const char *user, int64_t expires, sv4_error *err);
  sv4_rc (*session_get)(sv4_store *s, const char *token_hash, char **user, sv4_role *role, sv4_error *err);
  sv4_rc (*session_delete)(sv4_store *s, const char *token_hash, sv4_error *err);
} sv4_store_ops;

extern const sv4_store_ops sv4_store_sqlite;
#ifdef SV4_WITH_POSTGRES
extern const sv4_store_ops sv4_store_postgres;
#endif

/* Picks the backend from a URL-ish string: "postgres://…" / "postgresql://…" / "host=… dbname=…" → postgres,
 * anything else is a SQLite file path. */
const sv4_store_ops *sv4_store_backend_for(const char *conninfo);

/* Every store handle starts with this header so generic code can find its ops. */
struct sv4_store_base {
  const sv4_store_ops *ops;
};
#define SV4_STORE_OPS(s) (((struct sv4_store_base *)(s))->ops)

#ifdef __cplusplus
}
#endif
#endif
