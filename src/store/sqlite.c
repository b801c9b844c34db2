/* sqlite.c — the SQLite storage backend: WAL, foreign keys, in-place migrations, FTS5 for text search.
 * All SQL specific to SQLite lives here. One connection per thread (opened on first use), so transactions never
 * mix between threads and readers run in parallel under WAL; writers wait on SQLite's own lock (busy timeout). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "sv4/limits.h"
#include "store/internal.h"

typedef struct tconn {
  sqlite3 *db;
  int in_tx;
  struct tconn *next;
} tconn;

typedef struct sv4_sqlite {
  struct sv4_store_base base;
  char *path;
  pthread_key_t key;
  pthread_mutex_t mu; /* guards the list of connections */
  tconn *all;
} sv4_sqlite;

static tconn *conn_open(sv4_sqlite *q, sv4_error *err);

/* The calling thread's connection; opened on first use. Aborts only if SQLite cannot open a file it opened
 * before (disk gone): every op checks the result. */
static tconn *conn(sv4_store *s) {
  sv4_sqlite *q = (sv4_sqlite *)s;
  tconn *c = pthread_getspecific(q->key);
  if (!c) c = conn_open(q, NULL);
  return c;
}

#define DB(s) (conn(s)->db)

/* Migrations: index i upgrades user_version i to i+1. Append only; never edit a shipped step. */
static const char *const migrations[] = {
    /* 1: the initial schema */
    "CREATE TABLE records("
    "  id INTEGER PRIMARY KEY,"
    "  type TEXT NOT NULL CHECK(type IN ('strategy','practice','project','method','funding','organisation')),"
    "  slug TEXT UNIQUE, lang TEXT, country TEXT, nuts TEXT, lau TEXT, place TEXT, status TEXT,"
    "  year_from INTEGER, year_to INTEGER,"
    "  review TEXT NOT NULL DEFAULT 'unreviewed' CHECK(review IN ('unreviewed','reviewed')),"
    "  doc TEXT NOT NULL CHECK(json_valid(doc)),"
    "  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
    "CREATE INDEX records_type ON records(type);"
    "CREATE INDEX records_country ON records(country);"
    "CREATE INDEX records_updated ON records(updated);"
    "CREATE VIRTUAL TABLE records_fts USING fts5(title, summary, body,"
    "  tokenize = 'sv4', prefix = '2 3');"
    "CREATE TABLE labels("
    "  id INTEGER PRIMARY KEY, record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  scheme TEXT NOT NULL, code TEXT NOT NULL,"
    "  source TEXT NOT NULL CHECK(source IN ('classifier','reviewer')),"
    "  state TEXT NOT NULL CHECK(state IN ('proposed','accepted','rejected','added')),"
    "  score REAL, targets TEXT NOT NULL DEFAULT '[]', evidence TEXT NOT NULL DEFAULT '[]', version TEXT,"
    "  who TEXT, why TEXT, at INTEGER);"
    "CREATE INDEX labels_record ON labels(record_id);"
    "CREATE INDEX labels_code ON labels(scheme, code);"
    "CREATE TABLE objectives(record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,"
    "  items TEXT NOT NULL CHECK(json_valid(items)));"
    "CREATE TABLE documents("
    "  id INTEGER PRIMARY KEY, record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  filename TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL, text TEXT,"
    "  created INTEGER NOT NULL);"
    "CREATE INDEX documents_record ON documents(record_id);"
    "CREATE TABLE revisions("
    "  id INTEGER PRIMARY KEY, record_id INTEGER NOT NULL, who TEXT, at INTEGER NOT NULL,"
    "  what TEXT NOT NULL, why TEXT);"
    "CREATE INDEX revisions_record ON revisions(record_id);"
    "CREATE TABLE users(name TEXT PRIMARY KEY, hash TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK(role IN ('viewer','contributor','reviewer','admin')), created INTEGER NOT NULL);"
    "CREATE TABLE sessions(token_hash TEXT PRIMARY KEY,"
    "  user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, expires INTEGER NOT NULL);",
    /* 2: records know who created them (contributors see their own drafts) */
    "ALTER TABLE records ADD COLUMN owner TEXT;"
    "UPDATE records SET owner = (SELECT v.who FROM revisions v WHERE v.record_id = records.id"
    "  AND json_extract(v.what, '$.action') = 'created' ORDER BY v.id DESC LIMIT 1);",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

static sv4_rc db_err(sv4_store *s, sv4_error *err, const char *what) {
  return sv4_error_set(err, SV4_ERR_DB, "%s: %s", what, sqlite3_errmsg(DB(s)));
}

static sv4_rc exec(sv4_store *s, const char *sql, sv4_error *err) {
  char *msg = NULL;
  if (sqlite3_exec(DB(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
    sv4_error_set(err, SV4_ERR_DB, "sqlite: %s", msg ? msg : "error");
    sqlite3_free(msg);
    return SV4_ERR_DB;
  }
  return SV4_OK;
}

static sv4_rc prepare(sv4_store *s, const char *sql, sqlite3_stmt **st, sv4_error *err) {
  if (sqlite3_prepare_v2(DB(s), sql, -1, st, NULL) != SQLITE_OK) return db_err(s, err, "prepare");
  return SV4_OK;
}

static int schema_version(sv4_store *s) {
  sqlite3_stmt *st;
  int v = -1;
  if (sqlite3_prepare_v2(DB(s), "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  return v;
}

static sv4_rc migrate(sv4_store *s, sv4_error *err) {
  int v = schema_version(s);
  if (v < 0) return db_err(s, err, "reading schema version");
  if (v > SCHEMA_VERSION)
    return sv4_error_set(err, SV4_ERR_DB, "database schema %d is newer than this smartv4 (%d)", v, SCHEMA_VERSION);
  for (; v < SCHEMA_VERSION; v++) {
    char pragma[64];
    sv4_rc rc = exec(s, "BEGIN IMMEDIATE", err);
    if (!rc) rc = exec(s, migrations[v], err);
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
    if (!rc) rc = exec(s, pragma, err);
    if (!rc) rc = exec(s, "COMMIT", err);
    if (rc) {
      exec(s, "ROLLBACK", NULL);
      return rc;
    }
  }
  return SV4_OK;
}

static void sq_close(sv4_store *s) {
  if (!s) return;
  sv4_sqlite *q = (sv4_sqlite *)s;
  for (tconn *c = q->all; c;) {
    tconn *next = c->next;
    sqlite3_close_v2(c->db);
    free(c);
    c = next;
  }
  pthread_key_delete(q->key);
  pthread_mutex_destroy(&q->mu);
  free(q->path);
  free(q);
}

static tconn *conn_open(sv4_sqlite *q, sv4_error *err) {
  tconn *c = calloc(1, sizeof *c);
  if (!c) {
    sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    return NULL;
  }
  if (sqlite3_open_v2(q->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
      SQLITE_OK) {
    sv4_error_set(err, SV4_ERR_DB, "%s: %s", q->path, c->db ? sqlite3_errmsg(c->db) : "cannot open");
    sqlite3_close_v2(c->db);
    free(c);
    return NULL;
  }
  sqlite3_busy_timeout(c->db, 10000);
  sqlite3_limit(c->db, SQLITE_LIMIT_LENGTH, (int)(SV4_MAX_UPLOAD_BYTES + 1024 * 1024));
  char *msg = NULL;
  if (sv4__fts_register(c->db) != SQLITE_OK ||
      sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", NULL, NULL,
                   &msg) != SQLITE_OK) {
    sv4_error_set(err, SV4_ERR_DB, "%s: cannot configure the connection: %s", q->path, msg ? msg : "tokenizer");
    sqlite3_free(msg);
    sqlite3_close_v2(c->db);
    free(c);
    return NULL;
  }
  pthread_setspecific(q->key, c);
  pthread_mutex_lock(&q->mu);
  c->next = q->all;
  q->all = c;
  pthread_mutex_unlock(&q->mu);
  return c;
}

static sv4_rc sq_open(const char *path, sv4_store **out, sv4_error *err) {
  sv4_sqlite *q = calloc(1, sizeof *q);
  sv4_rc rc;
  if (!q) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  q->base.ops = &sv4_store_sqlite;
  pthread_mutex_init(&q->mu, NULL);
  pthread_key_create(&q->key, NULL);
  q->path = strdup(path);
  if (!q->path || !conn_open(q, err)) {
    rc = err ? err->rc : SV4_ERR_DB;
    if (!q->path) rc = SV4_ERR_NOMEM;
    goto fail;
  }
  if ((rc = migrate((sv4_store *)q, err))) goto fail;
  *out = (sv4_store *)q;
  return SV4_OK;
fail:
  sq_close((sv4_store *)q);
  return rc;
}

static sv4_rc sq_begin(sv4_store *s, sv4_error *err) {
  sv4_rc rc = exec(s, "BEGIN IMMEDIATE", err);
  if (!rc) conn(s)->in_tx = 1;
  return rc;
}

static sv4_rc sq_commit(sv4_store *s, sv4_error *err) {
  sv4_rc rc = exec(s, "COMMIT", err);
  if (rc) exec(s, "ROLLBACK", NULL);
  conn(s)->in_tx = 0;
  return rc;
}

static void sq_rollback(sv4_store *s) {
  exec(s, "ROLLBACK", NULL);
  conn(s)->in_tx = 0;
}

/* Runs op inside a transaction unless the caller already opened one. */
#define TX_BEGIN(s, err)                                   \
  int own_tx_ = !conn(s)->in_tx;               \
  if (own_tx_) {                                           \
    sv4_rc trc_ = sq_begin((s), (err));                    \
    if (trc_) return trc_;                                 \
  }
#define TX_END(s, rc, err)                                 \
  do {                                                     \
    if (own_tx_) {                                         \
      if (rc)                                              \
        sq_rollback(s);                                    \
      else                                                 \
        rc = sq_commit((s), (err));                        \
    }                                                      \
  } while (0)

static void bind_text(sqlite3_stmt *st, int i, const char *v) {
  if (v)
    sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

static void bind_year(sqlite3_stmt *st, int i, int y) {
  if (y)
    sqlite3_bind_int(st, i, y);
  else
    sqlite3_bind_null(st, i);
}

static sv4_rc step_done(sv4_store *s, sqlite3_stmt *st, sv4_error *err, const char *what) {
  int r = sqlite3_step(st);
  if (r == SQLITE_DONE || r == SQLITE_ROW) return SV4_OK;
  if (r == SQLITE_CONSTRAINT) return sv4_error_set(err, SV4_ERR_EXISTS, "%s: %s", what, sqlite3_errmsg(DB(s)));
  return db_err(s, err, what);
}

static sv4_rc add_revision(sv4_store *s, int64_t id, const char *who, json_t *what, const char *why,
                           sv4_error *err) {
  sqlite3_stmt *st = NULL;
  char *w = json_dumps(what, JSON_COMPACT);
  sv4_rc rc = w ? prepare(s, "INSERT INTO revisions(record_id,who,at,what,why) VALUES(?,?,?,?,?)", &st, err)
                : SV4_ERR_NOMEM;
  if (!rc) {
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, who);
    sqlite3_bind_int64(st, 3, sv4__now());
    bind_text(st, 4, w);
    bind_text(st, 5, why);
    rc = step_done(s, st, err, "revision");
  }
  sqlite3_finalize(st);
  free(w);
  return rc;
}

/* Rebuilds the full-text row of a record from its JSON and its documents' text. */
static sv4_rc fts_refresh(sv4_store *s, int64_t id, json_t *rec, sv4_error *err) {
  sv4_buf t, sm, b;
  sqlite3_stmt *st = NULL;
  sv4_rc rc;
  sv4_buf_init(&t, 0);
  sv4_buf_init(&sm, 0);
  sv4_buf_init(&b, 0);
  rc = sv4__record_fts_text(rec, &t, &sm, &b);
  if (!rc) rc = prepare(s, "SELECT text FROM documents WHERE record_id=? AND text IS NOT NULL ORDER BY id", &st, err);
  if (!rc) {
    sqlite3_bind_int64(st, 1, id);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
      rc = sv4_buf_puts(&b, "\n");
      if (!rc) rc = sv4_buf_append(&b, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    }
    sqlite3_finalize(st);
    st = NULL;
  }
  if (!rc) rc = prepare(s, "DELETE FROM records_fts WHERE rowid=?", &st, err);
  if (!rc) {
    sqlite3_bind_int64(st, 1, id);
    rc = step_done(s, st, err, "fts delete");
    sqlite3_finalize(st);
    st = NULL;
  }
  if (!rc) rc = prepare(s, "INSERT INTO records_fts(rowid,title,summary,body) VALUES(?,?,?,?)", &st, err);
  if (!rc) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, t.data ? t.data : "", (int)t.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sm.data ? sm.data : "", (int)sm.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, b.data ? b.data : "", (int)b.len, SQLITE_STATIC);
    rc = step_done(s, st, err, "fts insert");
  }
  sqlite3_finalize(st);
  sv4_buf_free(&t);
  sv4_buf_free(&sm);
  sv4_buf_free(&b);
  return rc;
}

static sv4_rc write_record(sv4_store *s, int64_t id, json_t *rec, int insert, const char *owner, int64_t *out_id,
                           sv4_error *err) {
  sv4__record_cols c;
  sqlite3_stmt *st = NULL;
  char *doc = NULL;
  json_t *d = NULL;
  sv4_rc rc = sv4__record_validate(rec, &c, err);
  if (rc) return rc;
  d = sv4__record_doc(rec);
  doc = d ? json_dumps(d, JSON_COMPACT) : NULL;
  if (!doc) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  rc = prepare(s,
               insert ? "INSERT INTO records(type,slug,lang,country,nuts,lau,place,status,year_from,year_to,doc,"
                        "created,updated,owner) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                      : "UPDATE records SET type=?,slug=?,lang=?,country=?,nuts=?,lau=?,place=?,status=?,"
                        "year_from=?,year_to=?,doc=?,updated=? WHERE id=?",
               &st, err);
  if (rc) goto done;
  bind_text(st, 1, c.type);
  bind_text(st, 2, c.slug);
  bind_text(st, 3, c.lang);
  bind_text(st, 4, c.country);
  bind_text(st, 5, c.nuts);
  bind_text(st, 6, c.lau);
  bind_text(st, 7, c.place);
  bind_text(st, 8, c.status);
  bind_year(st, 9, c.year_from);
  bind_year(st, 10, c.year_to);
  bind_text(st, 11, doc);
  int64_t now = sv4__now();
  sqlite3_bind_int64(st, 12, now);
  sqlite3_bind_int64(st, 13, insert ? now : id);
  if (insert) bind_text(st, 14, owner);
  if ((rc = step_done(s, st, err, c.slug ? c.slug : "record"))) goto done;
  if (insert) id = sqlite3_last_insert_rowid(DB(s));
  if (out_id) *out_id = id;
  rc = fts_refresh(s, id, rec, err);
done:
  sqlite3_finalize(st);
  free(doc);
  json_decref(d);
  return rc;
}

static sv4_rc sq_record_create(sv4_store *s, json_t *rec, const char *who, const char *why, int64_t *id,
                               sv4_error *err) {
  int64_t nid = 0;
  TX_BEGIN(s, err);
  sv4_rc rc = write_record(s, 0, rec, 1, who, &nid, err);
  if (!rc) {
    json_t *what = json_pack("{s:s}", "action", "created");
    rc = add_revision(s, nid, who, what, why, err);
    json_decref(what);
  }
  TX_END(s, rc, err);
  if (!rc && id) *id = nid;
  return rc;
}

static sv4_rc load_doc(sv4_store *s, int64_t id, json_t **out, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s,
                      "SELECT type,slug,lang,country,nuts,lau,place,status,doc,created,updated,review,owner "
                      "FROM records WHERE id=?",
                      &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  int r = sqlite3_step(st);
  if (r != SQLITE_ROW) {
    rc = r == SQLITE_DONE ? sv4_error_set(err, SV4_ERR_NOTFOUND, "record %lld not found", (long long)id)
                          : db_err(s, err, "record");
    goto done;
  }
  json_error_t je;
  json_t *rec = json_loads((const char *)sqlite3_column_text(st, 8), 0, &je);
  if (!json_is_object(rec)) {
    json_decref(rec);
    rc = sv4_error_set(err, SV4_ERR_DB, "record %lld: stored document is not an object", (long long)id);
    goto done;
  }
  static const char *const cols[] = {"type", "slug", "lang", "country", "nuts", "lau", "place", "status"};
  for (int i = 0; i < 8; i++)
    if (sqlite3_column_type(st, i) != SQLITE_NULL)
      json_object_set_new(rec, cols[i], json_string((const char *)sqlite3_column_text(st, i)));
  char t[24];
  json_object_set_new(rec, "id", json_integer(id));
  sv4__iso_time(sqlite3_column_int64(st, 9), t);
  json_object_set_new(rec, "created", json_string(t));
  sv4__iso_time(sqlite3_column_int64(st, 10), t);
  json_object_set_new(rec, "updated", json_string(t));
  json_object_set_new(rec, "review", json_string((const char *)sqlite3_column_text(st, 11)));
  if (sqlite3_column_type(st, 12) != SQLITE_NULL)
    json_object_set_new(rec, "owner", json_string((const char *)sqlite3_column_text(st, 12)));
  *out = rec;
done:
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_record_get(sv4_store *s, int64_t id, json_t **out, sv4_error *err) {
  *out = NULL;
  return load_doc(s, id, out, err);
}

static sv4_rc sq_record_update(sv4_store *s, int64_t id, json_t *patch, const char *who, const char *why,
                               sv4_error *err) {
  json_t *rec = NULL, *changed = json_array();
  sv4_rc rc;
  if (!json_is_object(patch)) return sv4_error_set(err, SV4_ERR_USAGE, "a patch must be a JSON object");
  TX_BEGIN(s, err);
  rc = load_doc(s, id, &rec, err);
  if (!rc) {
    sv4__record_apply_patch(rec, patch, changed);
    if (json_array_size(changed)) {
      rc = write_record(s, id, rec, 0, NULL, NULL, err);
      if (!rc) {
        json_t *what = json_pack("{s:s,s:O}", "action", "updated", "fields", changed);
        rc = add_revision(s, id, who, what, why, err);
        json_decref(what);
      }
    }
  }
  TX_END(s, rc, err);
  json_decref(rec);
  json_decref(changed);
  return rc;
}

static sv4_rc sq_record_get_by_slug(sv4_store *s, const char *slug, int64_t *id, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT id FROM records WHERE slug=?", &st, err);
  if (rc) return rc;
  bind_text(st, 1, slug);
  if (sqlite3_step(st) == SQLITE_ROW)
    *id = sqlite3_column_int64(st, 0);
  else
    rc = sv4_error_set(err, SV4_ERR_NOTFOUND, "no record with slug '%s'", slug);
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc simple_id_stmt(sv4_store *s, const char *sql, int64_t id, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, sql, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = step_done(s, st, err, sql);
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_record_delete(sv4_store *s, int64_t id, const char *who, sv4_error *err) {
  TX_BEGIN(s, err);
  sv4_rc rc = simple_id_stmt(s, "DELETE FROM records WHERE id=?", id, err);
  if (!rc && sqlite3_changes(DB(s)) == 0)
    rc = sv4_error_set(err, SV4_ERR_NOTFOUND, "record %lld not found", (long long)id);
  if (!rc) rc = simple_id_stmt(s, "DELETE FROM records_fts WHERE rowid=?", id, err);
  if (!rc) {
    json_t *what = json_pack("{s:s}", "action", "deleted");
    rc = add_revision(s, id, who, what, NULL, err);
    json_decref(what);
  }
  TX_END(s, rc, err);
  return rc;
}

static sv4_rc sq_record_count(sv4_store *s, int64_t *n, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT count(*) FROM records", &st, err);
  if (rc) return rc;
  *n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  return SV4_OK;
}

static sv4_rc sq_record_each(sv4_store *s, sv4_record_cb cb, void *ud, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT id FROM records ORDER BY id", &st, err);
  if (rc) return rc;
  while (!rc && sqlite3_step(st) == SQLITE_ROW) {
    json_t *rec = NULL;
    rc = load_doc(s, sqlite3_column_int64(st, 0), &rec, err);
    if (!rc && cb(ud, sqlite3_column_int64(st, 0), rec)) {
      json_decref(rec);
      break;
    }
    json_decref(rec);
  }
  sqlite3_finalize(st);
  return rc;
}

/* Effective codes come from the labels table through a subquery per record; the text comes from the FTS table
 * itself (what FTS5 indexed), read in the same id order by a second statement stepped in step with the first.
 * A single record uses the primary keys (an "?1 = 0 OR id = ?1" condition would scan every row). */
static sv4_rc sq_record_rows_each(sv4_store *s, int64_t only_id, sv4_row_cb cb, void *ud, sv4_error *err) {
  sqlite3_stmt *st = NULL, *tx = NULL;
  /* one column list, two row sets */
#define ROW_COLUMNS                                                                       \
  "SELECT r.id, r.type, ifnull(r.country,''), ifnull(r.lang,''), ifnull(r.nuts,''),"      \
  " ifnull(r.year_from,0), ifnull(r.year_to,0), r.review, r.updated,"                     \
  " (SELECT group_concat(l.scheme || ':' || l.code || ifnull((SELECT group_concat(' ' ||" \
  "   l.scheme || ':' || t.value, '') FROM json_each(l.targets) t),''), ' ')"             \
  "   FROM labels l WHERE l.record_id = r.id AND l.state <> 'rejected'),"                 \
  " CASE WHEN instr(r.doc, '\"published\"') THEN json_type(r.doc, '$.published')"         \
  "   IS NOT 'false' ELSE 1 END, ifnull(r.owner,'')"
  sv4_rc rc =
      prepare(s, only_id ? ROW_COLUMNS " FROM records r WHERE r.id = ?1" : ROW_COLUMNS " FROM records r ORDER BY r.id",
              &st, err);
#undef ROW_COLUMNS
  if (!rc)
    rc = prepare(s,
                 only_id ? "SELECT rowid, title, summary, body FROM records_fts WHERE rowid = ?1"
                         : "SELECT rowid, title, summary, body FROM records_fts ORDER BY rowid",
                 &tx, err);
  if (rc) {
    sqlite3_finalize(st);
    return rc;
  }
  if (only_id) {
    sqlite3_bind_int64(st, 1, only_id);
    sqlite3_bind_int64(tx, 1, only_id);
  }
  int r, t = sqlite3_step(tx);
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    sv4_record_row row = {
        .id = sqlite3_column_int64(st, 0),
        .type = (const char *)sqlite3_column_text(st, 1),
        .country = (const char *)sqlite3_column_text(st, 2),
        .lang = (const char *)sqlite3_column_text(st, 3),
        .nuts = (const char *)sqlite3_column_text(st, 4),
        .year_from = sqlite3_column_int(st, 5),
        .year_to = sqlite3_column_int(st, 6),
        .review = (const char *)sqlite3_column_text(st, 7),
        .updated = sqlite3_column_int64(st, 8),
        .codes = sqlite3_column_type(st, 9) == SQLITE_NULL ? "" : (const char *)sqlite3_column_text(st, 9),
        .published = sqlite3_column_int(st, 10),
        .owner = (const char *)sqlite3_column_text(st, 11),
    };
    while (t == SQLITE_ROW && sqlite3_column_int64(tx, 0) < row.id) t = sqlite3_step(tx);
    if (t == SQLITE_ROW && sqlite3_column_int64(tx, 0) == row.id) {
      for (int c = 0; c < 3; c++) {
        row.text[c] = (const char *)sqlite3_column_text(tx, c + 1);
        row.text_len[c] = (size_t)sqlite3_column_bytes(tx, c + 1);
      }
    }
    if (cb(ud, &row)) break;
  }
  if (r != SQLITE_ROW && r != SQLITE_DONE) rc = db_err(s, err, "record rows");
  else if (t != SQLITE_ROW && t != SQLITE_DONE) rc = db_err(s, err, "record text");
  sqlite3_finalize(st);
  sqlite3_finalize(tx);
  return rc;
}

static sv4_rc sq_revisions(sv4_store *s, int64_t id, json_t **out, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT who, at, what, why FROM revisions WHERE record_id=? ORDER BY id DESC", &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  json_t *a = json_array();
  while (sqlite3_step(st) == SQLITE_ROW) {
    char t[24];
    sv4__iso_time(sqlite3_column_int64(st, 1), t);
    json_t *what = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
    json_t *o = json_pack("{s:s?,s:s,s:o?,s:s?}", "who", (const char *)sqlite3_column_text(st, 0), "at", t,
                          "what", what, "why", (const char *)sqlite3_column_text(st, 3));
    json_array_append_new(a, o);
  }
  sqlite3_finalize(st);
  *out = a;
  return SV4_OK;
}

/* Replaces the classifier's labels; a reviewer's earlier decision (accepted/rejected) on the same scheme:code is
 * carried over to the new label, so re-classifying never undoes a review. */
static sv4_rc sq_labels_set_classifier(sv4_store *s, int64_t id, json_t *labels, const char *version,
                                       sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc;
  TX_BEGIN(s, err);
  rc = SV4_OK;
  rc = exec(s, "CREATE TEMP TABLE IF NOT EXISTS review_keep(scheme TEXT, code TEXT, state TEXT, who TEXT,"
                        " why TEXT, at INTEGER); DELETE FROM review_keep;", err);
  if (!rc) {
    rc = prepare(s,
                 "INSERT INTO review_keep SELECT scheme, code, state, who, why, at FROM labels WHERE record_id=?"
                 " AND source='classifier' AND state IN ('accepted','rejected')",
                 &st, err);
    if (!rc) {
      sqlite3_bind_int64(st, 1, id);
      rc = step_done(s, st, err, "keep reviews");
    }
    sqlite3_finalize(st);
    st = NULL;
  }
  if (!rc) rc = simple_id_stmt(s, "DELETE FROM labels WHERE record_id=? AND source='classifier'", id, err);
  if (!rc)
    rc = prepare(s,
                 "INSERT INTO labels(record_id,scheme,code,source,state,score,targets,evidence,version,who,why,at) "
                 "SELECT ?1, ?2, ?3, 'classifier', ifnull(k.state,'proposed'), ?4, ?5, ?6, ?7, k.who, k.why,"
                 " ifnull(k.at, ?8) FROM (SELECT 1) LEFT JOIN review_keep k ON k.scheme=?2 AND k.code=?3",
                 &st, err);
  size_t i;
  json_t *l;
  json_array_foreach(labels, i, l) {
    if (rc) break;
    const char *scheme = json_string_value(json_object_get(l, "scheme"));
    const char *code = json_string_value(json_object_get(l, "code"));
    if (!scheme || !code) {
      rc = sv4_error_set(err, SV4_ERR_USAGE, "label %zu lacks scheme or code", i);
      break;
    }
    json_t *tg = json_object_get(l, "targets");
    char *targets = tg ? json_dumps(tg, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("[]");
    json_t *ev = json_object_get(l, "evidence");
    char *evidence = ev ? json_dumps(ev, JSON_COMPACT) : strdup("[]");
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, scheme);
    bind_text(st, 3, code);
    sqlite3_bind_double(st, 4, json_number_value(json_object_get(l, "score")));
    bind_text(st, 5, targets ? targets : "[]");
    bind_text(st, 6, evidence ? evidence : "[]");
    bind_text(st, 7, version);
    sqlite3_bind_int64(st, 8, sv4__now());
    rc = step_done(s, st, err, "label");
    free(targets);
    free(evidence);
  }
  sqlite3_finalize(st);
  TX_END(s, rc, err);
  return rc;
}

static sv4_rc sq_label_review(sv4_store *s, int64_t id, const char *scheme, const char *code, const char *action,
                              const char *who, const char *why, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc;
  int add = !strcmp(action, "add"), accept = !strcmp(action, "accept"), reject = !strcmp(action, "reject");
  if (!add && !accept && !reject)
    return sv4_error_set(err, SV4_ERR_USAGE, "action must be accept, reject or add");
  TX_BEGIN(s, err);
  json_t *rec = NULL;
  rc = load_doc(s, id, &rec, err);
  json_decref(rec);
  if (!rc) {
    rc = prepare(s,
                 "UPDATE labels SET state=?, who=?, why=?, at=? WHERE record_id=? AND scheme=? AND code=?",
                 &st, err);
    if (!rc) {
      bind_text(st, 1, reject ? "rejected" : add ? "added" : "accepted");
      bind_text(st, 2, who);
      bind_text(st, 3, why);
      sqlite3_bind_int64(st, 4, sv4__now());
      sqlite3_bind_int64(st, 5, id);
      bind_text(st, 6, scheme);
      bind_text(st, 7, code);
      rc = step_done(s, st, err, "label review");
    }
    sqlite3_finalize(st);
    st = NULL;
    int changed = sqlite3_changes(DB(s));
    if (!rc && !changed && !add)
      rc = sv4_error_set(err, SV4_ERR_NOTFOUND, "record %lld has no label %s:%s", (long long)id, scheme, code);
    if (!rc && !changed && add) {
      rc = prepare(s,
                   "INSERT INTO labels(record_id,scheme,code,source,state,score,who,why,at) "
                   "VALUES(?,?,?,'reviewer','added',1.0,?,?,?)",
                   &st, err);
      if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, scheme);
        bind_text(st, 3, code);
        bind_text(st, 4, who);
        bind_text(st, 5, why);
        sqlite3_bind_int64(st, 6, sv4__now());
        rc = step_done(s, st, err, "label add");
      }
      sqlite3_finalize(st);
    }
  }
  if (!rc) rc = simple_id_stmt(s, "UPDATE records SET review='reviewed' WHERE id=?", id, err);
  if (!rc) {
    json_t *what = json_pack("{s:s,s:s,s:s}", "action", action, "scheme", scheme, "code", code);
    rc = add_revision(s, id, who, what, why, err);
    json_decref(what);
  }
  TX_END(s, rc, err);
  return rc;
}

static sv4_rc sq_labels_get(sv4_store *s, int64_t id, json_t **out, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s,
                      "SELECT scheme, code, source, state, score, targets, evidence, version, who, why, at "
                      "FROM labels WHERE record_id=? ORDER BY scheme, score DESC, code",
                      &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  json_t *a = json_array();
  while (sqlite3_step(st) == SQLITE_ROW) {
    char t[24] = "";
    if (sqlite3_column_type(st, 10) != SQLITE_NULL) sv4__iso_time(sqlite3_column_int64(st, 10), t);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:f,s:o,s:o,s:s?,s:s?,s:s?,s:s?}", "scheme",
                          (const char *)sqlite3_column_text(st, 0), "code", (const char *)sqlite3_column_text(st, 1),
                          "source", (const char *)sqlite3_column_text(st, 2), "state",
                          (const char *)sqlite3_column_text(st, 3), "score", sqlite3_column_double(st, 4), "targets",
                          json_loads((const char *)sqlite3_column_text(st, 5), JSON_DECODE_ANY, NULL), "evidence",
                          json_loads((const char *)sqlite3_column_text(st, 6), JSON_DECODE_ANY, NULL), "version",
                          (const char *)sqlite3_column_text(st, 7), "who", (const char *)sqlite3_column_text(st, 8),
                          "why", (const char *)sqlite3_column_text(st, 9), "at", t[0] ? t : NULL);
    if (o) json_array_append_new(a, o);
  }
  sqlite3_finalize(st);
  *out = a;
  return SV4_OK;
}

static sv4_rc sq_objectives_set(sv4_store *s, int64_t id, json_t *objectives, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  char *items = json_dumps(objectives, JSON_COMPACT | JSON_ENCODE_ANY);
  sv4_rc rc = items ? prepare(s, "INSERT OR REPLACE INTO objectives(record_id, items) VALUES(?,?)", &st, err)
                    : sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  if (!rc) {
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, items);
    rc = step_done(s, st, err, "objectives");
  }
  sqlite3_finalize(st);
  free(items);
  return rc;
}

static sv4_rc sq_objectives_get(sv4_store *s, int64_t id, json_t **out, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT items FROM objectives WHERE record_id=?", &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  *out = NULL;
  if (sqlite3_step(st) == SQLITE_ROW) *out = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
  if (!*out) *out = json_array();
  sqlite3_finalize(st);
  return SV4_OK;
}

static sv4_rc sq_document_add(sv4_store *s, int64_t record_id, const char *filename, const char *mime,
                              const void *data, size_t len, const char *text, size_t text_len, int64_t *doc_id,
                              sv4_error *err) {
  sqlite3_stmt *st = NULL;
  json_t *rec = NULL;
  sv4_rc rc;
  TX_BEGIN(s, err);
  rc = load_doc(s, record_id, &rec, err);
  if (!rc)
    rc = prepare(s, "INSERT INTO documents(record_id,filename,mime,size,data,text,created) VALUES(?,?,?,?,?,?,?)",
                 &st, err);
  if (!rc) {
    sqlite3_bind_int64(st, 1, record_id);
    bind_text(st, 2, filename);
    bind_text(st, 3, mime);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
    sqlite3_bind_blob64(st, 5, data, len, SQLITE_STATIC);
    if (text)
      sqlite3_bind_text64(st, 6, text, text_len, SQLITE_STATIC, SQLITE_UTF8);
    else
      sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, sv4__now());
    rc = step_done(s, st, err, "document");
    if (!rc && doc_id) *doc_id = sqlite3_last_insert_rowid(DB(s));
  }
  sqlite3_finalize(st);
  if (!rc) rc = fts_refresh(s, record_id, rec, err);
  if (!rc) {
    json_t *what = json_pack("{s:s,s:s}", "action", "document added", "filename", filename);
    rc = add_revision(s, record_id, NULL, what, NULL, err);
    json_decref(what);
  }
  json_decref(rec);
  TX_END(s, rc, err);
  return rc;
}

static sv4_rc sq_document_get(sv4_store *s, int64_t doc_id, char **filename, char **mime, void **data, size_t *len,
                              sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT filename, mime, data FROM documents WHERE id=?", &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, doc_id);
  *filename = *mime = NULL;
  *data = NULL;
  *len = 0;
  if (sqlite3_step(st) == SQLITE_ROW) {
    *filename = strdup((const char *)sqlite3_column_text(st, 0));
    *mime = strdup((const char *)sqlite3_column_text(st, 1));
    *len = (size_t)sqlite3_column_bytes(st, 2);
    *data = malloc(*len ? *len : 1);
    if (*data && *len) memcpy(*data, sqlite3_column_blob(st, 2), *len);
    if (!*filename || !*mime || !*data) {
      free(*filename);
      free(*mime);
      free(*data);
      rc = sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
    }
  } else {
    rc = sv4_error_set(err, SV4_ERR_NOTFOUND, "document %lld not found", (long long)doc_id);
  }
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_documents_list(sv4_store *s, int64_t record_id, json_t **out, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s,
                      "SELECT id, filename, mime, size, created, length(text) FROM documents WHERE record_id=? "
                      "ORDER BY id",
                      &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, record_id);
  json_t *a = json_array();
  while (sqlite3_step(st) == SQLITE_ROW) {
    char t[24];
    sv4__iso_time(sqlite3_column_int64(st, 4), t);
    json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:I,s:s,s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                                       "filename", (const char *)sqlite3_column_text(st, 1), "mime",
                                       (const char *)sqlite3_column_text(st, 2), "size",
                                       (json_int_t)sqlite3_column_int64(st, 3), "created", t, "text_bytes",
                                       (json_int_t)sqlite3_column_int64(st, 5)));
  }
  sqlite3_finalize(st);
  *out = a;
  return SV4_OK;
}

static sv4_rc sq_text_search(sv4_store *s, const char *query, sv4_hit_cb cb, void *ud, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  /* Title matches weigh most, then summary, then body (bm25 column weights). */
  sv4_rc rc = prepare(s,
                      "SELECT rowid, bm25(records_fts, 8.0, 3.0, 1.0) FROM records_fts WHERE records_fts MATCH ? "
                      "ORDER BY 2",
                      &st, err);
  if (rc) return rc;
  bind_text(st, 1, query);
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW)
    if (cb(ud, sqlite3_column_int64(st, 0), -sqlite3_column_double(st, 1))) break;
  if (r != SQLITE_ROW && r != SQLITE_DONE)
    rc = sv4_error_set(err, SV4_ERR_USAGE, "search query not understood: %s", sqlite3_errmsg(DB(s)));
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_snippet(sv4_store *s, int64_t id, const char *query, char **out, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  *out = NULL;
  /* FTS5 inserts the markers raw; the text around them is escaped by the caller's rules: we pick control
   * characters as markers here and turn them into <mark> after HTML-escaping. */
  sv4_rc rc = prepare(s,
                      "SELECT snippet(records_fts, -1, char(1), char(2), '…', 24) FROM records_fts "
                      "WHERE records_fts MATCH ?2 AND rowid = ?1",
                      &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  bind_text(st, 2, query);
  sv4_buf b;
  sv4_buf_init(&b, 0);
  if (sqlite3_step(st) == SQLITE_ROW) {
    const char *p = (const char *)sqlite3_column_text(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0), run = 0;
    for (size_t i = 0; i < n && !rc; i++) {
      if (p[i] == 1 || p[i] == 2) {
        rc = sv4_buf_html_escape(&b, p + run, i - run);
        if (!rc) rc = sv4_buf_puts(&b, p[i] == 1 ? "<mark>" : "</mark>");
        run = i + 1;
      }
    }
    if (!rc) rc = sv4_buf_html_escape(&b, p + run, n - run);
  }
  sqlite3_finalize(st);
  if (!rc) *out = sv4_buf_steal(&b, NULL);
  sv4_buf_free(&b);
  return rc;
}

static sv4_rc sq_record_text(sv4_store *s, int64_t id, sv4_row_cb cb, void *ud, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT title, summary, body FROM records_fts WHERE rowid = ?", &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW) {
    sv4_record_row row = {.id = id};
    for (int c = 0; c < 3; c++) {
      row.text[c] = (const char *)sqlite3_column_text(st, c);
      row.text_len[c] = (size_t)sqlite3_column_bytes(st, c);
    }
    cb(ud, &row);
  } else {
    rc = r == SQLITE_DONE ? sv4_error_set(err, SV4_ERR_NOTFOUND, "record %lld not found", (long long)id)
                          : db_err(s, err, "record text");
  }
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_user_put(sv4_store *s, const char *name, const char *hash, sv4_role role, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s,
                      "INSERT INTO users(name,hash,role,created) VALUES(?,?,?,?) "
                      "ON CONFLICT(name) DO UPDATE SET hash=excluded.hash, role=excluded.role",
                      &st, err);
  if (rc) return rc;
  bind_text(st, 1, name);
  bind_text(st, 2, hash);
  bind_text(st, 3, sv4_role_name(role));
  sqlite3_bind_int64(st, 4, sv4__now());
  rc = step_done(s, st, err, "user");
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_user_get(sv4_store *s, const char *name, char **hash, sv4_role *role, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT hash, role FROM users WHERE name=?", &st, err);
  if (rc) return rc;
  bind_text(st, 1, name);
  if (sqlite3_step(st) == SQLITE_ROW) {
    if (hash) *hash = strdup((const char *)sqlite3_column_text(st, 0));
    *role = (sv4_role)sv4_role_from_name((const char *)sqlite3_column_text(st, 1));
  } else {
    rc = sv4_error_set(err, SV4_ERR_NOTFOUND, "no user '%s'", name);
  }
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_user_list(sv4_store *s, json_t **out, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "SELECT name, role, created FROM users ORDER BY name", &st, err);
  if (rc) return rc;
  json_t *a = json_array();
  while (sqlite3_step(st) == SQLITE_ROW) {
    char t[24];
    sv4__iso_time(sqlite3_column_int64(st, 2), t);
    json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "name", (const char *)sqlite3_column_text(st, 0), "role",
                                       (const char *)sqlite3_column_text(st, 1), "created", t));
  }
  sqlite3_finalize(st);
  *out = a;
  return SV4_OK;
}

static sv4_rc sq_user_delete(sv4_store *s, const char *name, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "DELETE FROM users WHERE name=?", &st, err);
  if (rc) return rc;
  bind_text(st, 1, name);
  rc = step_done(s, st, err, "user delete");
  if (!rc && !sqlite3_changes(DB(s))) rc = sv4_error_set(err, SV4_ERR_NOTFOUND, "no user '%s'", name);
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_session_put(sv4_store *s, const char *token_hash, const char *user, int64_t expires,
                             sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "INSERT INTO sessions(token_hash,user,expires) VALUES(?,?,?)", &st, err);
  if (rc) return rc;
  bind_text(st, 1, token_hash);
  bind_text(st, 2, user);
  sqlite3_bind_int64(st, 3, expires);
  rc = step_done(s, st, err, "session");
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_session_get(sv4_store *s, const char *token_hash, char **user, sv4_role *role, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s,
                      "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user "
                      "WHERE s.token_hash=? AND s.expires > ?",
                      &st, err);
  if (rc) return rc;
  bind_text(st, 1, token_hash);
  sqlite3_bind_int64(st, 2, sv4__now());
  if (sqlite3_step(st) == SQLITE_ROW) {
    *user = strdup((const char *)sqlite3_column_text(st, 0));
    *role = (sv4_role)sv4_role_from_name((const char *)sqlite3_column_text(st, 1));
  } else {
    rc = sv4_error_set(err, SV4_ERR_AUTH, "no such session");
  }
  sqlite3_finalize(st);
  return rc;
}

static sv4_rc sq_session_delete(sv4_store *s, const char *token_hash, sv4_error *err) {
  sqlite3_stmt *st = NULL;
  sv4_rc rc = prepare(s, "DELETE FROM sessions WHERE token_hash=? OR expires <= ?", &st, err);
  if (rc) return rc;
  bind_text(st, 1, token_hash);
  sqlite3_bind_int64(st, 2, sv4__now());
  rc = step_done(s, st, err, "session delete");
  sqlite3_finalize(st);
  return rc;
}

const sv4_store_ops sv4_store_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .schema_version = schema_version,
    .record_create = sq_record_create,
    .record_update = sq_record_update,
    .record_get = sq_record_get,
    .record_get_by_slug = sq_record_get_by_slug,
    .record_delete = sq_record_delete,
    .record_count = sq_record_count,
    .record_each = sq_record_each,
    .record_rows_each = sq_record_rows_each,
    .revisions = sq_revisions,
    .labels_set_classifier = sq_labels_set_classifier,
    .label_review = sq_label_review,
    .labels_get = sq_labels_get,
    .objectives_set = sq_objectives_set,
    .objectives_get = sq_objectives_get,
    .document_add = sq_document_add,
    .document_get = sq_document_get,
    .documents_list = sq_documents_list,
    .text_search = sq_text_search,
    .snippet = sq_snippet,
    .record_text = sq_record_text,
    .user_put = sq_user_put,
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .user_delete = sq_user_delete,
    .session_put = sq_session_put,
    .session_get = sq_session_get,
    .session_delete = sq_session_delete,
};
