/* router.c — the routing table: method + path pattern → handler. "{x}" matches one path segment, "*" the rest. */
#include <string.h>

#include "server/internal.h"

static void api_export_route(sv4_req *req, sv4_resp *resp) {
  const char *f = sv4__req_param(req, "format");
  sv4__export(req, resp, f ? f : "json");
}

static void api_feed(sv4_req *req, sv4_resp *resp) { sv4__export(req, resp, "atom"); }

static void not_found(sv4_req *req, sv4_resp *resp) {
  sv4__resp_error(resp, SV4_ERR_NOTFOUND, "no such resource: %s %s", req->method, req->path);
}

static const struct route {
  const char *method; /* NULL = any */
  const char *pattern;
  sv4_handler fn;
} routes[] = {
    {"GET", "/healthz", sv4__api_health},
    {"GET", "/api/v1/openapi.json", sv4__api_openapi},
    {"GET", "/api/v1/taxonomy", sv4__api_taxonomy},
    {"GET", "/api/v1/search", sv4__api_search},
    {"GET", "/api/v1/search.atom", api_feed},
    {"GET", "/api/v1/export", api_export_route},
    {"GET", "/api/v1/compare", sv4__api_compare},
    {"POST", "/api/v1/classify", sv4__api_classify},
    {"GET", "/api/v1/records", sv4__api_records_list},
    {"POST", "/api/v1/records", sv4__api_record_create},
    {"GET", "/api/v1/records/{id}", sv4__api_record_get},
    {"PUT", "/api/v1/records/{id}", sv4__api_record_update},
    {"PATCH", "/api/v1/records/{id}", sv4__api_record_update},
    {"DELETE", "/api/v1/records/{id}", sv4__api_record_delete},
    {"POST", "/api/v1/records/{id}/documents", sv4__api_document_upload},
    {"GET", "/api/v1/records/{id}/documents/{doc}", sv4__api_document_get},
    {"POST", "/api/v1/records/{id}/labels", sv4__api_labels_review},
    {"GET", "/api/v1/records/{id}/funding", sv4__api_funding},
    {"POST", "/api/v1/buildings/assess", sv4__api_bim_assess},
    {"POST", "/api/v1/login", sv4__api_login},
    {"POST", "/api/v1/logout", sv4__api_logout},
    {"GET", "/api/v1/users", sv4__api_users},
    {"POST", "/api/v1/users", sv4__api_users},
    {"GET", "/static/*", sv4__static},
    {"GET", "/", sv4__page_home},
    {"GET", "/search", sv4__page_search},
    {"GET", "/records/{id}", sv4__page_record},
    {"GET", "/compare", sv4__page_compare},
    {"GET", "/classify", sv4__page_classify},
    {"POST", "/classify", sv4__page_classify},
    {"GET", "/review", sv4__page_review},
    {"POST", "/review", sv4__page_review},
    {"GET", "/login", sv4__page_login},
    {"POST", "/login", sv4__page_login},
    {"POST", "/logout", sv4__page_logout},
    {"GET", "/buildings", sv4__page_buildings},
    {"POST", "/buildings", sv4__page_buildings},
    {"GET", "/admin/users", sv4__page_users},
    {"POST", "/admin/users", sv4__page_users},
};

/* Matches path against pattern; fills args with arena copies of the placeholders. */
static int match(sv4_req *req, const char *pattern, const char *path) {
  size_t nargs = 0;
  while (*pattern && *path) {
    if (*pattern == '*') return 1;
    if (*pattern == '{') {
      const char *pe = strchr(pattern, '}');
      size_t n = strcspn(path, "/");
      if (!pe || n == 0 || nargs >= 4) return 0;
      req->path_args[nargs++] = sv4_arena_strndup(req->arena, path, n);
      pattern = pe + 1;
      path += n;
      continue;
    }
    if (*pattern != *path) return 0;
    pattern++;
    path++;
  }
  return *pattern == *path || (*pattern == '*' && !*path);
}

void sv4__route(sv4_req *req, sv4_resp *resp) {
  int path_matched = 0;
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
    if (!match(req, routes[i].pattern, req->path)) continue;
    path_matched = 1;
    const char *m = req->method;
    if (routes[i].method && strcmp(routes[i].method, m) && !(!strcmp(m, "HEAD") && !strcmp(routes[i].method, "GET")))
      continue;
    routes[i].fn(req, resp);
    return;
  }
  if (path_matched) {
    sv4__resp_status_error(resp, 405, "method_not_allowed", "%s is not allowed on %s", req->method, req->path);
    return;
  }
  not_found(req, resp);
}
