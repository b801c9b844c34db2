/* http.c — libmicrohttpd glue: accepts requests, gathers bodies within the limits, builds an sv4_req, routes it,
 * and sends the sv4_resp (buffer, persistent static data or a stream) with the security headers. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/internal.h"
#include "sv4/limits.h"

struct sv4_server {
  struct MHD_Daemon *daemon;
  sv4_app app;
  int port;
};

typedef struct conn_ctx {
  sv4_arena *arena;
  sv4_buf body;
  int too_large;
  int responded;
} conn_ctx;

static const char *hdr(struct MHD_Connection *c, const char *name) {
  return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, sv4_req *req, sv4_resp *resp) {
  struct MHD_Response *r;
  if (resp->stream) {
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, (MHD_ContentReaderCallback)resp->stream,
                                          resp->stream_ud, (MHD_ContentReaderFreeCallback)resp->stream_free);
  } else if (resp->static_data) {
    r = MHD_create_response_from_buffer(resp->static_len, (void *)resp->static_data, MHD_RESPMEM_PERSISTENT);
  } else {
    size_t len = 0;
    char *data = sv4_buf_steal(&resp->body, &len);
    r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
  }
  if (!r) return MHD_NO;
  if (resp->content_type) MHD_add_response_header(r, "Content-Type", resp->content_type);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "same-origin");
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                          "frame-ancestors 'none'; form-action 'self'");
  for (size_t i = 0; i < resp->nheaders; i++) MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)resp->status, r);
  MHD_destroy_response(r);
  if (req && !req->app->quiet) {
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s %s %d\n", ts, req->method, req->path, resp->status);
  }
  return ok;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  sv4_req *req = cls;
  if (req->nquery >= 256) return MHD_NO;
  if (!(req->nquery & 15)) {
    sv4_param *p = sv4_arena_alloc(req->arena, (req->nquery + 16) * sizeof *p);
    if (!p) return MHD_NO;
    if (req->nquery) memcpy(p, req->query, req->nquery * sizeof *p);
    req->query = p;
  }
  req->query[req->nquery].key = sv4_arena_strdup(req->arena, key ? key : "");
  req->query[req->nquery].value = sv4_arena_strdup(req->arena, value ? value : "");
  req->nquery++;
  return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  (void)version;
  sv4_server *srv = cls;
  conn_ctx *ctx = *con_cls;
  if (!ctx) {
    ctx = calloc(1, sizeof *ctx);
    if (!ctx) return MHD_NO;
    ctx->arena = sv4_arena_new(16384);
    sv4_buf_init(&ctx->body, SV4_MAX_BODY_BYTES);
    *con_cls = ctx;
    const char *cl = hdr(c, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > SV4_MAX_BODY_BYTES) ctx->too_large = 1;
    if (strlen(url) > SV4_MAX_URL_BYTES) ctx->too_large = 2;
    return MHD_YES;
  }
  if (*upload_data_size) {
    if (!ctx->too_large && sv4_buf_append(&ctx->body, upload_data, *upload_data_size)) ctx->too_large = 1;
    *upload_data_size = 0;
    return MHD_YES;
  }
  sv4_resp resp = {.status = 200};
  sv4_buf_init(&resp.body, 0);
  sv4_req req = {.arena = ctx->arena, .app = &srv->app, .method = method, .path = url, .conn = c};
  if (ctx->too_large) {
    if (ctx->too_large == 2)
      sv4__resp_status_error(&resp, 414, "uri_too_long", "the URL is longer than %u bytes", SV4_MAX_URL_BYTES);
    else
      sv4__resp_error(&resp, SV4_ERR_LIMIT, "the request body is larger than %u bytes", SV4_MAX_BODY_BYTES);
    return send_resp(c, &req, &resp);
  }
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, &req);
  req.body = ctx->body.data ? ctx->body.data : "";
  req.body_len = ctx->body.len;
  req.content_type = hdr(c, "Content-Type");
  req.accept_language = hdr(c, "Accept-Language");
  req.if_none_match = hdr(c, "If-None-Match");
  const char *cookie = hdr(c, "Cookie");
  req.cookie_session = cookie ? sv4__cookie(req.arena, cookie, "sv4session") : NULL;
  req.lang = sv4__pick_lang(&req, cookie);
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  char addr[64] = "?";
  if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
    const unsigned char *b = (const unsigned char *)&((const struct sockaddr_in *)ci->client_addr)->sin_addr;
    snprintf(addr, sizeof addr, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  }
  req.remote = sv4_arena_strdup(req.arena, addr);
  sv4__auth_load(&req);
  sv4__route(&req, &resp);
  enum MHD_Result ok = send_resp(c, &req, &resp);
  sv4_buf_free(&resp.body);
  return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  conn_ctx *ctx = *con_cls;
  if (!ctx) return;
  sv4_buf_free(&ctx->body);
  sv4_arena_free(ctx->arena);
  free(ctx);
  *con_cls = NULL;
}

sv4_rc sv4_server_start(const sv4_server_opts *opts, sv4_server **out, sv4_error *err) {
  sv4_server *srv = calloc(1, sizeof *srv);
  sv4_rc rc;
  if (!srv) return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  if ((rc = sv4__app_open(&srv->app, opts, err))) {
    free(srv);
    return rc;
  }
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opts->port)};
  const char *listen = opts->listen && *opts->listen ? opts->listen : "127.0.0.1";
  if (inet_pton(AF_INET, listen, &sa.sin_addr) != 1) {
    sv4__app_close(&srv->app);
    free(srv);
    return sv4_error_set(err, SV4_ERR_USAGE, "listen address '%s' is not an IPv4 address", listen);
  }
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  unsigned threads = (unsigned)(opts->threads > 0 ? opts->threads : cores > 0 ? cores : 2);
  srv->daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, (uint16_t)opts->port, NULL, NULL, on_request,
      srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
  if (!srv->daemon) {
    sv4__app_close(&srv->app);
    free(srv);
    return sv4_error_set(err, SV4_ERR_IO, "cannot listen on %s:%d (in use?)", listen, opts->port);
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = di ? di->port : opts->port;
  *out = srv;
  return SV4_OK;
}

int sv4_server_port(const sv4_server *s) { return s->port; }

void sv4_server_stop(sv4_server *s) {
  if (!s) return;
  if (s->daemon) MHD_stop_daemon(s->daemon);
  sv4__app_close(&s->app);
  free(s);
}
