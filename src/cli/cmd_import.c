/* cmd_import.c — smartv4 import: bulk records from JSON Lines or CSV, or documents (PDF, DOCX, ODT, HTML, TXT)
 * each becoming a record. Every record is imported, classified and committed on its own, so an interrupted
 * import keeps everything committed before it; the report names every rejected line and why. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "server/internal.h"
#include "sv4/csv.h"
#include "sv4/ingest.h"
#include "sv4/limits.h"

typedef struct import_ctx {
  sv4_app app;
  size_t ok, bad;
  sv4_progress bar; /* one per input file */
  size_t batch;     /* --batch N: JSONL records per transaction (a failing batch is redone record by record) */
  int no_classify; /* --no-classify: labels come from the record's "labels" field (bulk loads, benchmarks) */
  const char *doc_type;
} import_ctx;

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 import [--db FILE] [--type TYPE] [--no-classify] [--batch N] FILE.jsonl|FILE.csv|DOCUMENT...\n\n"
          "  FILE.jsonl  one record per line (see data/demo/records.jsonl and docs/api.md)\n"
          "  FILE.csv    header row with columns type, slug, lang, country, nuts, lau, place, period, status,\n"
          "              url, title_<lang>, summary_<lang> (lang: en pl cs sk hu)\n"
          "  DOCUMENT    a PDF, DOCX, ODT, HTML or TXT file: one record of --type (default strategy) with the\n"
          "              document attached, classified from its text\n"
          "  --no-classify  do not run the classifier; a JSONL record's \"labels\" array (scheme, code, score,\n"
          "              targets, evidence) is stored as its classifier labels instead (bulk loads, benchmarks)\n"
          "  --batch N     JSONL only: N records per transaction (faster bulk loads); a batch with a rejected\n"
          "              record is rolled back and redone record by record, so the report stays exact\n"
          "Every record is committed on its own (unless --batch). Rejected lines are reported as FILE:LINE: reason; the exit\n"
          "code is 1 when any was rejected.\n");
}

/* A rejected record or file: the reason on stderr, on a line of its own below the progress bar. */
static void reject(import_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void reject(import_ctx *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sv4_progress_clear(&c->bar);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  c->bad++;
}

/* Writes and classifies one record inside the open transaction. */
static sv4_rc write_one(import_ctx *c, json_t *rec, const char *where, const sv4_document *doc, const char *fname,
                        const void *raw, size_t raw_len, sv4_error *err) {
  sv4_app *app = &c->app;
  int64_t id = 0;
  json_t *labels = json_incref(json_object_get(rec, "labels"));
  if (labels) json_object_del(rec, "labels");
  sv4_rc rc = app->ops->record_create(app->store, rec, "import", where, &id, err);
  if (!rc && doc)
    rc = app->ops->document_add(app->store, id, fname, sv4_format_mime(doc->format), raw, raw_len, doc->text,
                                doc->len, NULL, err);
  if (!rc && c->no_classify && json_is_array(labels))
    rc = app->ops->labels_set_classifier(app->store, id, labels, "import", err);
  else if (!rc && !c->no_classify && app->classifier)
    rc = sv4__app_classify_record(app, id, doc ? doc->text : NULL, doc ? doc->len : 0, err);
  json_decref(labels);
  return rc;
}

/* Creates, classifies and commits one record; prints the reason when rejected. */
static void import_one(import_ctx *c, json_t *rec, const char *where, const sv4_document *doc, const char *fname,
                       const void *raw, size_t raw_len) {
  sv4_app *app = &c->app;
  sv4_error e;
  sv4_rc rc = app->ops->begin(app->store, &e);
  if (!rc) rc = write_one(c, rec, where, doc, fname, raw, raw_len, &e);
  if (rc) {
    app->ops->rollback(app->store);
    reject(c, "%s: %s", where, e.msg);
    return;
  }
  if ((rc = app->ops->commit(app->store, &e))) {
    reject(c, "%s: %s", where, e.msg);
    return;
  }
  c->ok++;
}

static size_t count_lines(const char *d, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += d[i] == '\n';
  return k;
}

/* --batch N: lines [*p, N lines) in one transaction. 1 when all were written and committed; 0 (nothing written)
 * when any line failed, so the caller retries them one by one and reports the bad ones. */
static int import_batch(import_ctx *c, const char *path, char *p, size_t first_line, size_t nlines) {
  sv4_app *app = &c->app;
  sv4_error e;
  size_t ok = 0;
  if (app->ops->begin(app->store, &e)) return 0;
  sv4_rc rc = SV4_OK;
  for (size_t k = 0; k < nlines && p && *p && !rc; k++) {
    char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (n && !(n == 1 && *p == '\r')) {
      char where[512];
      snprintf(where, sizeof where, "%s:%zu", path, first_line + k);
      json_t *rec = json_loadb(p, n, 0, NULL);
      rc = rec ? write_one(c, rec, where, NULL, NULL, NULL, 0, &e) : SV4_ERR_PARSE;
      json_decref(rec);
      ok++;
    }
    p = nl ? nl + 1 : NULL;
  }
  if (rc || app->ops->commit(app->store, &e)) {
    if (rc) app->ops->rollback(app->store);
    return 0;
  }
  c->ok += ok;
  return 1;
}

static void import_jsonl(import_ctx *c, const char *path, char *data, size_t len) {
  size_t line = 0, total = count_lines(data, len);
  for (char *p = data; p && *p;) {
    if (c->batch > 1 && !(line % c->batch) && import_batch(c, path, p, line + 1, c->batch)) {
      for (size_t k = 0; k < c->batch && p; k++) {
        char *nl = strchr(p, '\n');
        p = nl && nl[1] ? nl + 1 : NULL;
      }
      line += c->batch;
      sv4_progress_update(&c->bar, line < total ? line : total, total, 0);
      continue;
    }
    char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    char where[512];
    line++;
    snprintf(where, sizeof where, "%s:%zu", path, line);
    if (n && !(n == 1 && *p == '\r')) {
      json_error_t je;
      json_t *rec = json_loadb(p, n, 0, &je);
      if (!rec) {
        reject(c, "%s: invalid JSON: %s", where, je.text);
      } else {
        import_one(c, rec, where, NULL, NULL, NULL, 0);
        json_decref(rec);
      }
    }
    sv4_progress_update(&c->bar, line, total, 0);
    p = nl ? nl + 1 : NULL;
  }
}

static void import_csv(import_ctx *c, const char *path, const char *data, size_t len) {
  sv4_error e;
  sv4_csv *csv = sv4_csv_open(data, len, ',', path);
  size_t n, ncols = 0, total = count_lines(data, len);
  char **cols = NULL;
  if (!csv || sv4_csv_next(csv, &ncols, &e)) {
    reject(c, "%s: no header row", path);
    sv4_csv_close(csv);
    return;
  }
  cols = calloc(ncols, sizeof *cols);
  for (size_t i = 0; cols && i < ncols; i++) cols[i] = strdup(sv4_csv_field(csv, i));
  sv4_rc rc;
  while ((rc = sv4_csv_next(csv, &n, &e)) == SV4_OK) {
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", path, sv4_csv_line(csv));
    json_t *rec = json_object();
    for (size_t i = 0; i < ncols && i < n; i++) {
      const char *v = sv4_csv_field(csv, i);
      if (!*v) continue;
      const char *col = cols[i];
      if (!strncmp(col, "title_", 6) || !strncmp(col, "summary_", 8)) {
        const char *us = strchr(col, '_');
        char key[16];
        snprintf(key, sizeof key, "%.*s", (int)(us - col), col);
        json_t *o = json_object_get(rec, key);
        if (!o) json_object_set_new(rec, key, o = json_object());
        json_object_set_new(o, us + 1, json_string(v));
      } else if (!strcmp(col, "countries") || !strcmp(col, "applicant_types")) {
        json_t *a = json_array();
        for (const char *p = v; *p;) {
          size_t k = strcspn(p, ";|");
          if (k) json_array_append_new(a, json_stringn(p, k));
          p += k;
          if (*p) p++;
        }
        json_object_set_new(rec, col, a);
      } else {
        json_object_set_new(rec, col, json_string(v));
      }
    }
    import_one(c, rec, where, NULL, NULL, NULL, 0);
    json_decref(rec);
    sv4_progress_update(&c->bar, sv4_csv_line(csv), total, 0);
  }
  if (rc != SV4_ERR_NOTFOUND) reject(c, "%s", e.msg);
  for (size_t i = 0; cols && i < ncols; i++) free(cols[i]);
  free(cols);
  sv4_csv_close(csv);
}

static void import_document(import_ctx *c, const char *path, const char *data, size_t len) {
  sv4_document *doc = NULL;
  sv4_error e;
  if (sv4_ingest_memory(data, len, path, &doc, &e)) {
    reject(c, "%s: %s", path, e.msg);
    return;
  }
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  sv4_lang lang = SV4_LANG_UNKNOWN;
  sv4_langid *li = NULL;
  if (!sv4_langid_new(&li, NULL)) {
    lang = sv4_langid_detect(li, doc->text, doc->len);
    sv4_langid_free(li);
  }
  const char *lc = lang == SV4_LANG_UNKNOWN ? "en" : sv4_lang_code(lang);
  json_t *rec = json_pack("{s:s,s:s,s:{s:s}}", "type", c->doc_type, "lang", lc, "title", lc,
                          doc->title && *doc->title ? doc->title : base);
  import_one(c, rec, path, doc, base, data, len);
  json_decref(rec);
  sv4_document_free(doc);
}

int sv4_cmd_import(int argc, char **argv) {
  import_ctx c = {.doc_type = "strategy"};
  sv4_server_opts o = {.quiet = 1};
  int first = 0;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
      o.db = argv[++i];
    } else if (!strcmp(argv[i], "--type") && i + 1 < argc) {
      c.doc_type = argv[++i];
      if (sv4_record_type_from_name(c.doc_type) < 0)
        return sv4_cli_fail("import", SV4_ERR_USAGE, "unknown record type '%s'", c.doc_type);
    } else if (!strcmp(argv[i], "--no-classify")) {
      c.no_classify = 1;
    } else if (!strcmp(argv[i], "--batch") && i + 1 < argc) {
      long b = strtol(argv[++i], NULL, 10);
      if (b < 1 || b > 100000) return sv4_cli_fail("import", SV4_ERR_USAGE, "--batch must be 1..100000");
      c.batch = (size_t)b;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      usage(stderr);
      return 2;
    } else if (!first) {
      first = i;
    }
  }
  if (!first) {
    usage(stderr);
    return 2;
  }
  sv4_error e;
  sv4_rc rc;
  if (c.no_classify) {
    /* only the store: no classifier to load (its rules are not needed), no search index to build */
    const char *db = o.db && *o.db ? o.db : "var/smartv4.db";
    c.app.ops = sv4_store_backend_for(db);
    rc = c.app.ops->open(db, &c.app.store, &e);
  } else {
    rc = sv4__app_open(&c.app, &o, &e);
  }
  if (rc) return sv4_cli_fail("import", rc, "%s", e.msg);
  if (!c.app.classifier && !c.no_classify) fprintf(stderr, "smartv4 import: warning: no classifier (%s); records stay unlabelled\n", c.app.classifier_error);
  for (int i = first; i < argc; i++) {
    if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--type") || !strcmp(argv[i], "--batch")) {
      i++;
      continue;
    }
    if (!strcmp(argv[i], "--no-classify")) continue;
    const char *path = argv[i];
    char *data = NULL;
    size_t len = 0;
    sv4_progress_start(&c.bar, path);
    if ((rc = sv4_read_file(path, SV4_MAX_UPLOAD_BYTES, &data, &len, &e))) {
      reject(&c, "%s", e.msg);
      continue;
    }
    size_t pl = strlen(path);
    if (pl > 6 && !strcasecmp(path + pl - 6, ".jsonl"))
      import_jsonl(&c, path, data, len);
    else if (pl > 4 && !strcasecmp(path + pl - 4, ".csv"))
      import_csv(&c, path, data, len);
    else
      import_document(&c, path, data, len);
    sv4_progress_end(&c.bar);
    free(data);
  }
  printf("imported %zu, rejected %zu\n", c.ok, c.bad);
  if (c.no_classify)
    c.app.ops->close(c.app.store);
  else
    sv4__app_close(&c.app);
  return c.bad ? 1 : 0;
}
