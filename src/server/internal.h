/* internal.h — the server's request/response model, routing table and the application context shared by the
 * handlers. A handler reads sv4_req and fills sv4_resp; all its memory comes from req->arena. */
#ifndef SV4_SERVER_INTERNAL_H
#define SV4_SERVER_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "sv4/classify.h"
#include "sv4/search.h"
#include "sv4/server.h"
#include "sv4/store.h"
#include "sv4/util.h"

typedef struct sv4_app sv4_app;

typedef struct sv4_param {
  const char *key, *value;
} sv4_param;

typedef struct sv4_part {          /* one multipart/form-data part */
  const char *name, *filename, *content_type;
  const char *data;
  size_t len;
} sv4_part;

typedef struct sv4_user {
  const char *name;                /* NULL when anonymous */
  sv4_role role;
  const char *csrf;                /* the session's CSRF token (for forms) */
} sv4_user;

typedef struct sv4_req {
  sv4_arena *arena;
  sv4_app *app;
  const char *method;              /* "GET", ... */
  const char *path;                /* decoded path without the query */
  sv4_param *query;                /* decoded query-string parameters, in order */
  size_t nquery;
  const char *body;
  size_t body_len;
  const char *content_type;
  const char *accept_language;
  const char *cookie_session;      /* raw session token from the cookie, or NULL */
  const char *if_none_match;
  const char *remote;              /* client address, for rate limiting */
  const char *path_args[4];        /* values of {placeholders} in the matched route */
  sv4_user user;
  const char *lang;                /* interface language: ?lang=, cookie, Accept-Language, "en" */
  void *conn;                      /* the MHD connection (streaming responses) */
} sv4_req;

typedef struct sv4_header {
  const char *name, *value;
} sv4_header;

/* A response body is either the buffer, or produced on demand by a streaming callback (large exports). */
typedef long (*sv4_stream_fn)(void *ud, uint64_t pos, char *buf, size_t max); /* bytes, or -1 at the end */
typedef struct sv4_resp {
  int status;
  const char *content_type;
  sv4_buf body;
  sv4_header headers[12];
  size_t nheaders;
  sv4_stream_fn stream;
  void *stream_ud;
  void (*stream_free)(void *ud);
  const void *static_data;         /* body that outlives the request (cached static files) */
  size_t static_len;
} sv4_resp;

typedef void (*sv4_handler)(sv4_req *req, sv4_resp *resp);

/* Application context: created once, shared read-only by all worker threads (the store serialises itself;
 * the search index has its own lock; the classifier is read-only; workers are per thread). */
struct sv4_app {
  sv4_store *store;
  const sv4_store_ops *ops;
  sv4_search_index *index;
  sv4_classifier *classifier;      /* NULL when rules could not be loaded: classification endpoints say so */
  sv4_taxonomy *taxonomy;          /* codes and titles, loaded on their own so validation never needs the rules */
  char classifier_error[256];
  pthread_key_t worker_key;        /* per-thread sv4_worker */
  json_t *i18n;                    /* {"en": {...}, "pl": {...}, ...} */
  json_t *openapi;
  pthread_mutex_t rate_mu;         /* login rate limit */
  struct rate_entry { char addr[48]; int64_t window; int count; } rate[256];
  int quiet;
};

/* ---- app.c ---- */
sv4_rc sv4__app_open(sv4_app *app, const sv4_server_opts *o, sv4_error *err);
void sv4__app_close(sv4_app *app);
/* The calling thread's classifier worker (created on first use); NULL when no classifier. */
sv4_worker *sv4__app_worker(sv4_app *app);
/* Imports data/demo/records.jsonl (classified) into an empty store. */
sv4_rc sv4__app_import_demo(sv4_app *app, sv4_error *err);
/* Classifies the record's text and stores labels and objectives, inside the caller's transaction when one is open.
 * text may be NULL: the record's own titles and summaries are used. The caller refreshes the search index after
 * its commit. */
sv4_rc sv4__app_classify_record(sv4_app *app, int64_t id, const char *text, size_t len, sv4_error *err);

/* ---- router.c ---- */
void sv4__route(sv4_req *req, sv4_resp *resp);

/* ---- http helpers (respond.c) ---- */
void sv4__resp_json(sv4_resp *resp, int status, json_t *body);            /* steals body */
void sv4__resp_error(sv4_resp *resp, sv4_rc rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void sv4__resp_status_error(sv4_resp *resp, int status, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void sv4__resp_header(sv4_resp *resp, const char *name, const char *value);
/* Writes x as printf's "%.17g" does into out (at least 32 bytes) and returns the length, for finite x with
 * 1e-6 <= |x| < 1e17, where 128-bit integers hold it exactly; 0 for any other x (use snprintf then). */
size_t sv4__fmt_g17(double x, char *out);
void sv4__resp_redirect(sv4_resp *resp, const char *location);
const char *sv4__req_param(const sv4_req *req, const char *key);         /* first value or NULL */
size_t sv4__req_params(const sv4_req *req, const char *key, const char **out, size_t max);
/* Parses the body as JSON within SV4_MAX_JSON_BODY_BYTES and SV4_MAX_JSON_DEPTH; writes the error response and
 * returns NULL when it is not acceptable. */
json_t *sv4__req_json(sv4_req *req, sv4_resp *resp);

/* ---- query.c: query strings, url-encoded forms, cookies ---- */
/* Parses "a=1&b=x%20y" into params allocated from arena. Returns SV4_ERR_LIMIT beyond 256 params. */
sv4_rc sv4__parse_query(sv4_arena *a, const char *qs, size_t len, sv4_param **out, size_t *n);
/* Decodes %XX and '+' in place semantics into a new arena string; invalid escapes are kept literally. */
char *sv4__url_decode(sv4_arena *a, const char *s, size_t n, int plus_is_space);
/* Value of cookie `name` in a Cookie header, or NULL. */
const char *sv4__cookie(sv4_arena *a, const char *header, const char *name);
void sv4__url_encode(sv4_buf *b, const char *s);

/* ---- multipart.c ---- */
/* Splits a multipart/form-data body (boundary from content_type). SV4_ERR_PARSE on malformed input,
 * SV4_ERR_LIMIT beyond 64 parts. Parts point into body. */
sv4_rc sv4__parse_multipart(sv4_arena *a, const char *content_type, const char *body, size_t len, sv4_part **out,
                            size_t *n, sv4_error *err);

/* ---- auth.c ---- */
void sv4__auth_load(sv4_req *req);                                      /* fills req->user from the cookie */
/* 1 when the user has at least `role`; else writes 401/403 and returns 0. */
int sv4__require(sv4_req *req, sv4_resp *resp, sv4_role role);
/* For state-changing HTML form posts: checks the form's csrf field; writes 403 and returns 0 when wrong. */
int sv4__csrf_ok(sv4_req *req, sv4_resp *resp, const char *token);
/* The request's CSRF token, creating the sv4csrf cookie when the browser has none. */
const char *sv4__csrf_ensure(sv4_req *req, sv4_resp *resp);
sv4_rc sv4__password_hash(const char *password, char out[128]);
int sv4__password_check(const char *hash, const char *password);
void sv4__api_login(sv4_req *req, sv4_resp *resp);
void sv4__api_logout(sv4_req *req, sv4_resp *resp);
void sv4__api_users(sv4_req *req, sv4_resp *resp);
/* Logs in (name, password) from a form or JSON; on success sets the cookie and returns 1. */
int sv4__login(sv4_req *req, sv4_resp *resp, const char *name, const char *password);

/* ---- handlers ---- */
void sv4__api_health(sv4_req *req, sv4_resp *resp);
void sv4__api_openapi(sv4_req *req, sv4_resp *resp);
void sv4__api_taxonomy(sv4_req *req, sv4_resp *resp);
void sv4__api_records_list(sv4_req *req, sv4_resp *resp);
void sv4__api_record_create(sv4_req *req, sv4_resp *resp);
void sv4__api_record_get(sv4_req *req, sv4_resp *resp);
void sv4__api_record_update(sv4_req *req, sv4_resp *resp);
void sv4__api_record_delete(sv4_req *req, sv4_resp *resp);
void sv4__api_document_upload(sv4_req *req, sv4_resp *resp);
void sv4__api_document_get(sv4_req *req, sv4_resp *resp);
void sv4__api_labels_review(sv4_req *req, sv4_resp *resp);
void sv4__api_funding(sv4_req *req, sv4_resp *resp);
void sv4__api_search(sv4_req *req, sv4_resp *resp);
void sv4__api_compare(sv4_req *req, sv4_resp *resp);
void sv4__api_classify(sv4_req *req, sv4_resp *resp);
void sv4__static(sv4_req *req, sv4_resp *resp);

/* The texts of a record per language, as the classifier reads them: {"pl": "title\n\nsummary\n\n...", "en": ...}
 * (fields title, summary, problem, solution, results, transferability, description, each followed by a blank
 * line), so evidence of field "record.<lang>" points into them. New reference. */
json_t *sv4__record_texts(json_t *rec);
/* Classifies text in every language it could be in and returns the codes found ("sdg:7 sdg:7.2 egd:energy"),
 * arena-allocated; "" when there is no classifier or nothing was found. For cross-language search. */
const char *sv4__app_query_codes(sv4_app *app, sv4_arena *a, const char *text);
/* Classifies one text (lang NULL = identify) into the API's JSON profile; NULL with err set on failure. */
json_t *sv4__app_profile(sv4_app *app, const char *text, size_t len, const char *lang, sv4_error *err);

/* ---- search_params.c: one parser of search parameters for the API, the pages and the exports ---- */
/* Fills q from the request (?q=, facet params, year_from/year_to, sort, page, per_page) for the request's user;
 * writes a 400 and returns 0 when invalid. also_codes is set from the classification of q's words. */
int sv4__search_query_from_req(sv4_req *req, sv4_resp *resp, sv4_search_query *q);
/* Record JSON enriched for listing: id, type, title, summary, country, place, year, codes. NULL when the record
 * does not exist or the request's user may not see it (a draft). */
json_t *sv4__record_brief(sv4_req *req, int64_t id);
/* Makes q search as the request's user: drafts only for reviewers, admins and (their own) contributors. */
void sv4__search_viewer(const sv4_req *req, sv4_search_query *q);
/* 1 when the request's user may see record id (published, or a draft they review or own); 0 for drafts of others
 * and unknown ids, which every handler reports as "not found". */
int sv4__record_visible(const sv4_req *req, int64_t id);

/* ---- funding.c ---- */
/* Funding programmes that fit the record, best first: [{"id":..,"title":..,"score":..,"reasons":[..]}]. */
json_t *sv4__funding_matches(sv4_app *app, int64_t id, sv4_error *err);

/* ---- export.c ---- */
void sv4__export(sv4_req *req, sv4_resp *resp, const char *format); /* csv | json | xlsx | atom */

/* ---- pages (HTML) ---- */
void sv4__page_home(sv4_req *req, sv4_resp *resp);
void sv4__page_search(sv4_req *req, sv4_resp *resp);
void sv4__page_record(sv4_req *req, sv4_resp *resp);
void sv4__page_compare(sv4_req *req, sv4_resp *resp);
void sv4__page_classify(sv4_req *req, sv4_resp *resp);
void sv4__page_review(sv4_req *req, sv4_resp *resp);
void sv4__page_login(sv4_req *req, sv4_resp *resp);
void sv4__page_logout(sv4_req *req, sv4_resp *resp);
void sv4__page_users(sv4_req *req, sv4_resp *resp);
/* pages_bim.c: the building module (GET/POST /buildings, POST /api/v1/buildings/assess). */
void sv4__page_buildings(sv4_req *req, sv4_resp *resp);
void sv4__api_bim_assess(sv4_req *req, sv4_resp *resp);

/* ---- i18n.c ---- */
/* Message `key` in the request's interface language, falling back to English, then the key itself. */
const char *sv4__t(const sv4_req *req, const char *key);
/* Picks the interface language from ?lang=, the sv4lang cookie, Accept-Language; "en" by default. */
const char *sv4__pick_lang(sv4_req *req, const char *cookie_header);

/* ==== svg.c: server-rendered SVG charts (generic: bars, heat map, labels, escaping) ==== */
typedef struct sv4_svg_bar {
  const char *label;               /* shown beside the bar (escaped) */
  const char *tip;                 /* tooltip <title>, may be NULL (escaped) */
  double value;                    /* may be negative (energy balances): bars grow from the zero line */
  const char *color;               /* "#RRGGBB"; NULL = neutral */
  const char *href;                /* optional link around the bar (escaped) */
} sv4_svg_bar;
typedef struct sv4_svg_bars_opts {
  const char *title;               /* accessible name of the chart (escaped) */
  const char *unit;                /* appended to value labels, e.g. "%" or " kWh/m²" */
  double max;                      /* axis maximum; 0 = the largest |value| */
  int percent;                     /* 1: values 0..1 shown as percentages */
  unsigned width;                  /* viewBox width; 0 = 640 */
} sv4_svg_bars_opts;
/* Appends a horizontal bar chart: one row per bar, label left, value right. */
void sv4__svg_bars(sv4_buf *b, const sv4_svg_bar *bars, size_t n, const sv4_svg_bars_opts *o);
/* Appends a heat map of values[r * ncols + c] in 0..1: rows × columns, each column tinted with its colour,
 * cells of value 0 marked as gaps (hatched, "–"). Labels and links escaped; row_href/col_colors may be NULL. */
void sv4__svg_heatmap(sv4_buf *b, const char *title, const char *const *row_labels, const char *const *row_href,
                      size_t nrows, const char *const *col_labels, const char *const *col_tips,
                      const char *const *col_colors, size_t ncols, const double *values);
/* Appends the V4 map: Czechia, Hungary, Poland, Slovakia as simplified outlines shaded by count, each linking to
 * href_prefix + code ("/search?country=" → "/search?country=PL"); names[i] for codes "CZ","HU","PL","SK". */
void sv4__svg_v4map(sv4_buf *b, const char *title, const int64_t counts[4], const char *const names[4],
                    const char *href_prefix);
/* Appends s escaped for SVG/XML text and attributes. */
void sv4__svg_text(sv4_buf *b, const char *s);

/* ==== static.c ==== */
/* The ETag of a cached static file ("\"hex\""), or NULL; pages use it to version their links. */
const char *sv4__static_etag(const char *name);

/* ==== pages.c: shared HTML helpers for pages_*.c ==== */
/* Starts a page: doctype, head (+ head_extra, trusted HTML, may be NULL), the common header (navigation, login
 * state, language switch). Sets the sv4lang cookie when ?lang= chose the language. */
void sv4__html_begin(sv4_req *req, sv4_resp *resp, const char *title, const char *head_extra);
void sv4__html_end(sv4_req *req, sv4_resp *resp);
/* Appends s HTML-escaped (NULL appends nothing). */
void sv4__h(sv4_buf *b, const char *s);
/* Appends a notice paragraph for text (nothing when text is NULL): role=status, or role=alert when is_error. */
void sv4__html_notice(sv4_buf *b, const char *text, int is_error);
/* Appends the message `key` HTML-escaped. */
void sv4__ht(sv4_req *req, sv4_buf *b, const char *key);
/* A complete HTML error page with status. */
void sv4__html_error(sv4_req *req, sv4_resp *resp, int status, const char *key, const char *detail);
/* For pages needing a role: redirects anonymous users to /login, shows 403 to others; returns 1 when allowed. */
int sv4__page_require(sv4_req *req, sv4_resp *resp, sv4_role role);
/* The hidden csrf input of a form. */
void sv4__html_csrf(sv4_req *req, sv4_resp *resp);
/* Text of a per-language field ({"pl":..,"en":..} or a string) in lang, else English, else the record's own
 * language, else any; NULL when absent. Borrowed from v. */
const char *sv4__pick_text(json_t *v, const char *lang, const char *own_lang);
/* The taxonomy for page titles and colours (the classifier's, else loaded once for the pages); may be NULL. */
const sv4_taxonomy *sv4__ui_taxonomy(sv4_req *req);
/* Title of a taxonomy concept in the UI language ("7" → "Affordable and clean energy"); code when unknown. */
const char *sv4__concept_title(sv4_req *req, const char *scheme, const char *code);
/* Colour of an SDG goal ("#E5243B"), NULL when unknown. */
const char *sv4__goal_color(sv4_req *req, int goal);
/* Parses a form body (application/x-www-form-urlencoded) into params; 0 on failure (400 written). */
int sv4__form(sv4_req *req, sv4_resp *resp, sv4_param **out, size_t *n);
/* sv4__form, then the form's csrf field checked against the session; 0 on failure (400/415/403 written). */
int sv4__form_csrf(sv4_req *req, sv4_resp *resp, sv4_param **out, size_t *n);
const char *sv4__form_get(const sv4_param *p, size_t n, const char *key);
/* A local redirect target from a form/query value: "/..." but not "//..."; else fallback. */
const char *sv4__local_target(const char *v, const char *fallback);
/* Appends one record of a result list (title link, type, place, summary, SDG chips) as an <li>. */
void sv4__page_record_item(sv4_req *req, sv4_buf *b, json_t *brief);
/* pages_record.c: the labels table with evidence (review buttons for reviewers; only_open: proposed labels only),
 * the SDG profile chart of a labels array, and the objectives table with SMART flags. */
void sv4__html_labels(sv4_req *req, sv4_resp *resp, int64_t id, json_t *labels, int reviewer, int only_open);
void sv4__html_sdg_chart(sv4_req *req, sv4_buf *b, json_t *labels);
void sv4__html_objectives(sv4_req *req, sv4_buf *b, json_t *objectives);

#endif
