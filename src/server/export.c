/* export.c — any search as CSV, JSON, XLSX or an Atom feed, streamed: records are fetched a page at a time, so a
 * large export never holds all records in memory (XLSX is written by libxlsxwriter in constant-memory mode to a
 * temporary file that is then streamed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "server/internal.h"

#define PAGE 200

typedef struct export_state {
  sv4_req req;                /* copy: app + arena stay valid until the request completes */
  sv4_search_query q;
  int format;                 /* 0 csv, 1 json */
  size_t next;                /* next result offset */
  size_t total;
  int done, started;
  sv4_buf out;                /* pending bytes */
  size_t out_pos;
  FILE *file;                 /* xlsx */
} export_state;

static const char *i18n_pick(json_t *o, const char *lang) {
  if (json_is_string(o)) return json_string_value(o);
  const char *v = json_string_value(json_object_get(o, lang));
  if (!v) v = json_string_value(json_object_get(o, "en"));
  if (!v) {
    const char *k;
    json_t *x;
    json_object_foreach(o, k, x) if (json_is_string(x)) return json_string_value(x);
  }
  return v ? v : "";
}

static void csv_field(sv4_buf *b, const char *s) {
  sv4_buf_putc(b, '"');
  for (; s && *s; s++) {
    if (*s == '"') sv4_buf_putc(b, '"');
    sv4_buf_putc(b, *s);
  }
  sv4_buf_putc(b, '"');
}

static char *codes_list(json_t *arr) {
  sv4_buf b;
  sv4_buf_init(&b, 0);
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    if (i) sv4_buf_putc(&b, ' ');
    if (json_is_integer(v)) sv4_buf_printf(&b, "%lld", (long long)json_integer_value(v));
    else sv4_buf_puts(&b, json_string_value(v));
  }
  return sv4_buf_steal(&b, NULL);
}

static const char *const columns[] = {"id", "type", "title", "country", "nuts", "place", "period", "lang",
                                      "sdg", "egd", "taxonomy", "smartcity", "review", "url", "updated"};
#define NCOL (sizeof columns / sizeof *columns)

/* Column i of a brief record as text; caller frees. */
static char *column_text(json_t *b, size_t i, const char *lang) {
  const char *c = columns[i];
  json_t *v = json_object_get(b, c);
  if (!strcmp(c, "title")) return strdup(i18n_pick(v, lang));
  if (json_is_array(v)) return codes_list(v);
  if (json_is_integer(v)) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
    return strdup(tmp);
  }
  return strdup(json_is_string(v) ? json_string_value(v) : "");
}

/* Fetches the next page of results; returns the hits (caller frees the result) or NULL at the end. */
static sv4_search_result *next_page(export_state *st) {
  if (st->done) return NULL;
  st->q.offset = st->next;
  st->q.limit = PAGE;
  sv4_search_result *r = NULL;
  if (sv4_search(st->req.app->index, st->req.app->store, &st->q, &r, NULL) || !r->nhits) {
    sv4_search_result_free(r);
    st->done = 1;
    return NULL;
  }
  st->total = r->total;
  st->next += r->nhits;
  if (st->next >= r->total) st->done = 1;
  return r;
}

static void fill(export_state *st) {
  sv4_buf *b = &st->out;
  if (!st->started) {
    st->started = 1;
    if (st->format == 0) {
      sv4_buf_puts(b, "\xEF\xBB\xBF"); /* BOM: spreadsheet programs then read UTF-8 */
      for (size_t i = 0; i < NCOL; i++) {
        if (i) sv4_buf_putc(b, ',');
        sv4_buf_puts(b, columns[i]);
      }
      sv4_buf_puts(b, "\r\n");
    } else {
      sv4_buf_puts(b, "[");
    }
    return;
  }
  int was_first = st->next == 0;
  sv4_search_result *r = next_page(st);
  if (!r) {
    if (st->format == 1) sv4_buf_puts(b, "]\n");
    st->format = -1; /* closed */
    return;
  }
  for (size_t h = 0; h < r->nhits; h++) {
    json_t *br = sv4__record_brief(&st->req, r->hits[h].id);
    if (!br) continue;
    if (st->format == 0) {
      for (size_t i = 0; i < NCOL; i++) {
        char *t = column_text(br, i, st->req.lang);
        if (i) sv4_buf_putc(b, ',');
        csv_field(b, t);
        free(t);
      }
      sv4_buf_puts(b, "\r\n");
    } else {
      char *s = json_dumps(br, JSON_COMPACT);
      if (!(was_first && h == 0)) sv4_buf_puts(b, ",\n");
      sv4_buf_puts(b, s ? s : "null");
      free(s);
    }
    json_decref(br);
  }
  sv4_search_result_free(r);
}

static long stream_text(void *ud, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  export_state *st = ud;
  while (st->out_pos >= st->out.len) {
    if (st->format < 0) return -1; /* MHD_CONTENT_READER_END_OF_STREAM */
    sv4_buf_reset(&st->out);
    st->out_pos = 0;
    fill(st);
  }
  size_t n = st->out.len - st->out_pos;
  if (n > max) n = max;
  memcpy(buf, st->out.data + st->out_pos, n);
  st->out_pos += n;
  return (long)n;
}

static long stream_file(void *ud, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  export_state *st = ud;
  size_t n = fread(buf, 1, max, st->file);
  return n ? (long)n : -1;
}

static void export_free(void *ud) {
  export_state *st = ud;
  sv4_buf_free(&st->out);
  if (st->file) fclose(st->file);
  free(st);
}

static int write_xlsx(export_state *st, FILE **out) {
  char path[] = "/tmp/sv4exportXXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return -1;
  close(fd);
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
  lxw_workbook *wb = workbook_new_opt(path, &opt);
  lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "records") : NULL;
  if (!ws) {
    unlink(path);
    return -1;
  }
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t i = 0; i < NCOL; i++) worksheet_write_string(ws, 0, (lxw_col_t)i, columns[i], bold);
  lxw_row_t row = 1;
  sv4_search_result *r;
  while ((r = next_page(st)) != NULL) {
    for (size_t h = 0; h < r->nhits; h++, row++) {
      json_t *br = sv4__record_brief(&st->req, r->hits[h].id);
      for (size_t i = 0; br && i < NCOL; i++) {
        char *t = column_text(br, i, st->req.lang);
        if (!strcmp(columns[i], "id"))
          worksheet_write_number(ws, row, (lxw_col_t)i, atof(t), NULL);
        else
          worksheet_write_string(ws, row, (lxw_col_t)i, t, NULL);
        free(t);
      }
      json_decref(br);
    }
    sv4_search_result_free(r);
  }
  if (workbook_close(wb) != LXW_NO_ERROR) {
    unlink(path);
    return -1;
  }
  *out = fopen(path, "rb");
  unlink(path); /* the open handle keeps it until the stream ends */
  return *out ? 0 : -1;
}

static void atom(sv4_req *req, sv4_resp *resp, sv4_search_query *q) {
  q->sort = SV4_SORT_NEWEST;
  q->offset = 0;
  q->limit = 50;
  sv4_search_result *r = NULL;
  sv4_error e;
  if (sv4_search(req->app->index, req->app->store, q, &r, &e)) {
    sv4__resp_error(resp, e.rc, "%s", e.msg);
    return;
  }
  sv4_buf *b = &resp->body;
  const char *updated = "1970-01-01T00:00:00Z";
  json_t **briefs = calloc(r->nhits ? r->nhits : 1, sizeof *briefs);
  for (size_t i = 0; briefs && i < r->nhits; i++) {
    briefs[i] = sv4__record_brief(req, r->hits[i].id);
    const char *u = briefs[i] ? json_string_value(json_object_get(briefs[i], "updated")) : NULL;
    if (u && strcmp(u, updated) > 0) updated = sv4_arena_strdup(req->arena, u);
  }
  sv4_buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
  sv4_buf_puts(b, "<title>smartv4: ");
  sv4_buf_html_escape(b, q->text ? q->text : "all records", q->text ? strlen(q->text) : 11);
  sv4_buf_printf(b, "</title>\n<id>urn:smartv4:search:%s</id>\n<updated>%s</updated>\n", req->path, updated);
  for (size_t i = 0; briefs && i < r->nhits; i++) {
    if (!briefs[i]) continue;
    const char *title = i18n_pick(json_object_get(briefs[i], "title"), req->lang);
    const char *summary = i18n_pick(json_object_get(briefs[i], "summary"), req->lang);
    long long id = (long long)json_integer_value(json_object_get(briefs[i], "id"));
    sv4_buf_puts(b, "<entry><title>");
    sv4_buf_html_escape(b, title, strlen(title));
    sv4_buf_printf(b, "</title><id>urn:smartv4:record:%lld</id><link href=\"/records/%lld\"/><updated>%s</updated>",
                   id, id, json_string_value(json_object_get(briefs[i], "updated")));
    sv4_buf_puts(b, "<summary>");
    sv4_buf_html_escape(b, summary, strlen(summary));
    sv4_buf_puts(b, "</summary></entry>\n");
    json_decref(briefs[i]);
  }
  sv4_buf_puts(b, "</feed>\n");
  free(briefs);
  sv4_search_result_free(r);
  resp->status = 200;
  resp->content_type = "application/atom+xml; charset=utf-8";
}

void sv4__export(sv4_req *req, sv4_resp *resp, const char *format) {
  sv4_search_query q;
  if (!sv4__search_query_from_req(req, resp, &q)) return;
  if (!strcmp(format, "atom")) {
    atom(req, resp, &q);
    return;
  }
  int fmt = !strcmp(format, "csv") ? 0 : !strcmp(format, "json") ? 1 : !strcmp(format, "xlsx") ? 2 : -1;
  if (fmt < 0) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "format must be csv, json, xlsx or atom");
    return;
  }
  export_state *st = calloc(1, sizeof *st);
  if (!st) {
    sv4__resp_error(resp, SV4_ERR_NOMEM, "out of memory");
    return;
  }
  st->req = *req;
  st->q = q;
  st->format = fmt;
  sv4_buf_init(&st->out, 0);
  resp->status = 200;
  resp->stream_ud = st;
  resp->stream_free = export_free;
  if (fmt == 2) {
    if (write_xlsx(st, &st->file)) {
      export_free(st);
      resp->stream_ud = NULL;
      resp->stream_free = NULL;
      sv4__resp_error(resp, SV4_ERR_IO, "cannot write the spreadsheet");
      return;
    }
    resp->stream = stream_file;
    resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    sv4__resp_header(resp, "Content-Disposition", "attachment; filename=\"smartv4-export.xlsx\"");
  } else {
    resp->stream = stream_text;
    resp->content_type = fmt == 0 ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    sv4__resp_header(resp, "Content-Disposition",
                     fmt == 0 ? "attachment; filename=\"smartv4-export.csv\"" : "attachment; filename=\"smartv4-export.json\"");
  }
}
