/* static.c — files under data/web/static/ (CSS, JS, icons), read once into memory at first use and served from
 * there with an ETag (If-None-Match → 304), Cache-Control and the right Content-Type. Only names found in the
 * directory at load time can be served, so no request path reaches the file system. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server/internal.h"

#define STATIC_MAX_FILES 64
#define STATIC_MAX_FILE_BYTES (4u << 20)

typedef struct static_file {
  char name[128];             /* relative to data/web/static, e.g. "style.css" */
  char *data;
  size_t len;
  char etag[24];              /* "\"<16 hex>\"" */
  const char *type;
} static_file;

static static_file files[STATIC_MAX_FILES];
static size_t nfiles;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static const char *content_type(const char *name) {
  static const struct { const char *ext, *type; } types[] = {
      {".css", "text/css; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},            {".png", "image/png"},
      {".ico", "image/x-icon"},             {".json", "application/json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"}, {".woff2", "font/woff2"},
  };
  const char *dot = strrchr(name, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
    if (!strcmp(dot, types[i].ext)) return types[i].type;
  return "application/octet-stream";
}

static void load_dir(const char *root, const char *rel, int depth) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
  DIR *d = opendir(path);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) && nfiles < STATIC_MAX_FILES) {
    if (e->d_name[0] == '.') continue;
    char sub[256], full[1280];
    if ((size_t)snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= sizeof files[0].name)
      continue;
    snprintf(full, sizeof full, "%s/%s", root, sub);
    struct stat st;
    if (stat(full, &st)) continue;
    if (S_ISDIR(st.st_mode)) {
      if (depth < 2) load_dir(root, sub, depth + 1);
      continue;
    }
    if (!S_ISREG(st.st_mode)) continue;
    static_file *f = &files[nfiles];
    if (sv4_read_file(full, STATIC_MAX_FILE_BYTES, &f->data, &f->len, NULL)) continue;
    memcpy(f->name, sub, strlen(sub) + 1); /* length checked above */
    snprintf(f->etag, sizeof f->etag, "\"%016llx\"", (unsigned long long)sv4_hash64(f->data, f->len, 0x5f3759df));
    f->type = content_type(f->name);
    nfiles++;
  }
  closedir(d);
}

/* Loaded once per process; the files live until exit (they are sent with MHD_RESPMEM_PERSISTENT). */
static void load_all(void) {
  char *root = sv4_data_path("web/static");
  if (root) load_dir(root, "", 0);
  free(root);
}

static const static_file *find(const char *name) {
  pthread_once(&load_once, load_all);
  for (size_t i = 0; i < nfiles; i++)
    if (!strcmp(files[i].name, name)) return &files[i];
  return NULL;
}

const char *sv4__static_etag(const char *name) {
  const static_file *f = find(name);
  return f ? f->etag : NULL;
}

/* 1 when an If-None-Match header lists etag (or is "*"). */
static int etag_matches(const char *inm, const char *etag) {
  size_t n = strlen(etag);
  while (inm && *inm) {
    while (*inm == ' ' || *inm == ',') inm++;
    if (!strncmp(inm, "W/", 2)) inm += 2;
    if (*inm == '*') return 1;
    if (!strncmp(inm, etag, n) && (inm[n] == ',' || inm[n] == ' ' || !inm[n])) return 1;
    inm += strcspn(inm, ",");
  }
  return 0;
}

void sv4__static(sv4_req *req, sv4_resp *resp) {
  const char *name = req->path + strlen("/static/");
  if (strlen(req->path) < 8 || !*name || strstr(name, "..") || strchr(name, '\\') || name[0] == '/' ||
      strlen(name) >= sizeof files[0].name) {
    sv4__resp_status_error(resp, 400, "bad_path", "not a static file name");
    return;
  }
  const static_file *f = find(name);
  if (!f) {
    sv4__resp_error(resp, SV4_ERR_NOTFOUND, "no static file '%s'", name);
    return;
  }
  sv4__resp_header(resp, "ETag", f->etag);
  /* links carry ?v=<etag>, so a versioned URL never changes; plain URLs are revalidated hourly */
  sv4__resp_header(resp, "Cache-Control",
                   sv4__req_param(req, "v") ? "public, max-age=31536000, immutable" : "public, max-age=3600");
  if (etag_matches(req->if_none_match, f->etag)) {
    resp->status = 304;
    resp->content_type = NULL;
    resp->static_data = "";
    resp->static_len = 0;
    return;
  }
  resp->status = 200;
  resp->content_type = f->type;
  resp->static_data = f->data;
  resp->static_len = f->len;
}
