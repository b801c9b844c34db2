/* auth.c — users, sessions, roles, CSRF and the login rate limit.
 * Passwords: argon2id (libsodium crypto_pwhash_str). Sessions: 32 random bytes, only their BLAKE2b hash is stored;
 * the cookie is HttpOnly, SameSite=Strict. CSRF: a random token in the sv4csrf cookie that every form and every
 * cookie-authenticated API write repeats (double submit); scripts may use "Authorization: Bearer <session>". */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server/internal.h"

#define SESSION_SECONDS (8 * 3600)
#define LOGIN_WINDOW 300
#define LOGIN_MAX_TRIES 10

static void hex(const unsigned char *b, size_t n, char *out) {
  sodium_bin2hex(out, n * 2 + 1, b, n);
}

static void token_hash(const char *token, char out[65]) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
  hex(h, sizeof h, out);
}

sv4_rc sv4__password_hash(const char *password, char out[128]) {
  if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return SV4_ERR_NOMEM;
  return SV4_OK;
}

int sv4__password_check(const char *hash, const char *password) {
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static const char *bearer(sv4_req *req) {
  const char *a = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Authorization");
  if (a && !strncmp(a, "Bearer ", 7)) return a + 7;
  return NULL;
}

void sv4__auth_load(sv4_req *req) {
  req->user.name = NULL;
  req->user.role = SV4_ROLE_VIEWER;
  const char *cookie = req->conn ? MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Cookie") : NULL;
  req->user.csrf = cookie ? sv4__cookie(req->arena, cookie, "sv4csrf") : NULL;
  const char *tok = req->conn ? bearer(req) : NULL;
  if (!tok) tok = req->cookie_session;
  if (!tok || strlen(tok) != 64) return;
  char h[65];
  token_hash(tok, h);
  char *user = NULL;
  sv4_role role;
  if (req->app->ops->session_get(req->app->store, h, &user, &role, NULL) == SV4_OK) {
    req->user.name = sv4_arena_strdup(req->arena, user);
    req->user.role = role;
    free(user);
  }
}

int sv4__require(sv4_req *req, sv4_resp *resp, sv4_role role) {
  if (!req->user.name) {
    sv4__resp_error(resp, SV4_ERR_AUTH, "log in first");
    return 0;
  }
  if (req->user.role < role) {
    sv4__resp_error(resp, SV4_ERR_FORBIDDEN, "this needs the %s role; you are %s", sv4_role_name(role),
                    sv4_role_name(req->user.role));
    return 0;
  }
  /* A cookie-authenticated write must repeat the CSRF token (header for the API, form field for pages). */
  if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD") && !bearer(req)) {
    const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (h && req->user.csrf && sodium_memcmp(h, req->user.csrf, strlen(req->user.csrf)) == 0 &&
        strlen(h) == strlen(req->user.csrf))
      return 1;
    if (req->content_type && !strncmp(req->content_type, "application/x-www-form-urlencoded", 33)) return 1; /* form: caller checks */
    if (req->content_type && !strncmp(req->content_type, "multipart/form-data", 19)) {
      return 1; /* multipart forms carry the csrf field; the handler checks it with sv4__csrf_ok */
    }
    sv4__resp_status_error(resp, 403, "csrf", "missing or wrong X-CSRF-Token header");
    return 0;
  }
  return 1;
}

int sv4__csrf_ok(sv4_req *req, sv4_resp *resp, const char *token) {
  if (bearer(req)) return 1;
  if (token && req->user.csrf && strlen(token) == strlen(req->user.csrf) &&
      sodium_memcmp(token, req->user.csrf, strlen(token)) == 0)
    return 1;
  sv4__resp_status_error(resp, 403, "csrf", "the form has expired; reload the page and try again");
  return 0;
}

static int rate_limited(sv4_app *app, const char *addr) {
  int64_t now = (int64_t)time(NULL), window = now / LOGIN_WINDOW;
  unsigned h = 5381;
  for (const char *p = addr; *p; p++) h = h * 33 + (unsigned char)*p;
  pthread_mutex_lock(&app->rate_mu);
  struct rate_entry *e = &app->rate[h % 256];
  if (strcmp(e->addr, addr) || e->window != window) {
    snprintf(e->addr, sizeof e->addr, "%s", addr);
    e->window = window;
    e->count = 0;
  }
  int limited = ++e->count > LOGIN_MAX_TRIES;
  pthread_mutex_unlock(&app->rate_mu);
  return limited;
}

int sv4__login(sv4_req *req, sv4_resp *resp, const char *name, const char *password) {
  sv4_app *app = req->app;
  if (rate_limited(app, req->remote ? req->remote : "?")) {
    sv4__resp_status_error(resp, 429, "rate_limited", "too many login attempts; wait a few minutes");
    sv4__resp_header(resp, "Retry-After", "300");
    return 0;
  }
  char *hash = NULL;
  sv4_role role;
  int ok = name && password && app->ops->user_get(app->store, name, &hash, &role, NULL) == SV4_OK &&
           sv4__password_check(hash, password);
  free(hash);
  if (!ok) {
    sv4__resp_error(resp, SV4_ERR_AUTH, "wrong user name or password");
    return 0;
  }
  unsigned char raw[32];
  char tok[65], h[65];
  randombytes_buf(raw, sizeof raw);
  hex(raw, sizeof raw, tok);
  token_hash(tok, h);
  if (app->ops->session_put(app->store, h, name, (int64_t)time(NULL) + SESSION_SECONDS, NULL)) {
    sv4__resp_error(resp, SV4_ERR_DB, "cannot create a session");
    return 0;
  }
  sv4__resp_header(resp, "Set-Cookie",
                   sv4_arena_printf(req->arena, "sv4session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d", tok,
                                    SESSION_SECONDS));
  req->user.name = sv4_arena_strdup(req->arena, name);
  req->user.role = role;
  req->cookie_session = sv4_arena_strdup(req->arena, tok);
  return 1;
}

/* The CSRF cookie is set by any page that has none; the value is random and not secret from the user. */
const char *sv4__csrf_ensure(sv4_req *req, sv4_resp *resp) {
  if (req->user.csrf) return req->user.csrf;
  unsigned char raw[16];
  char tok[33];
  randombytes_buf(raw, sizeof raw);
  hex(raw, sizeof raw, tok);
  req->user.csrf = sv4_arena_strdup(req->arena, tok);
  sv4__resp_header(resp, "Set-Cookie", sv4_arena_printf(req->arena, "sv4csrf=%s; Path=/; SameSite=Strict", tok));
  return req->user.csrf;
}

void sv4__api_login(sv4_req *req, sv4_resp *resp) {
  json_t *body = sv4__req_json(req, resp);
  if (!body) return;
  const char *name = json_string_value(json_object_get(body, "name"));
  const char *password = json_string_value(json_object_get(body, "password"));
  if (sv4__login(req, resp, name, password)) {
    const char *csrf = sv4__csrf_ensure(req, resp);
    sv4__resp_json(resp, 200,
                   json_pack("{s:s,s:s,s:s,s:s}", "user", name, "role", sv4_role_name(req->user.role), "csrf", csrf,
                             "token", req->cookie_session));
  }
  json_decref(body);
}

void sv4__api_logout(sv4_req *req, sv4_resp *resp) {
  const char *tok = req->cookie_session;
  if (tok && strlen(tok) == 64) {
    char h[65];
    token_hash(tok, h);
    req->app->ops->session_delete(req->app->store, h, NULL);
  }
  sv4__resp_header(resp, "Set-Cookie", "sv4session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  sv4__resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

void sv4__api_users(sv4_req *req, sv4_resp *resp) {
  if (!sv4__require(req, resp, SV4_ROLE_ADMIN)) return;
  sv4_app *app = req->app;
  sv4_error e;
  if (!strcmp(req->method, "GET")) {
    json_t *users = NULL;
    if (app->ops->user_list(app->store, &users, &e)) {
      sv4__resp_error(resp, e.rc, "%s", e.msg);
      return;
    }
    sv4__resp_json(resp, 200, json_pack("{s:o}", "users", users));
    return;
  }
  json_t *body = sv4__req_json(req, resp);
  if (!body) return;
  const char *name = json_string_value(json_object_get(body, "name"));
  const char *password = json_string_value(json_object_get(body, "password"));
  int role = sv4_role_from_name(json_string_value(json_object_get(body, "role")));
  char hash[128];
  if (!name || !*name || strlen(name) > 64 || !password || strlen(password) < 8 || role < 0) {
    sv4__resp_error(resp, SV4_ERR_USAGE, "need name (≤ 64 chars), password (≥ 8 chars) and a valid role");
  } else if (sv4__password_hash(password, hash)) {
    sv4__resp_error(resp, SV4_ERR_NOMEM, "cannot hash the password");
  } else if (app->ops->user_put(app->store, name, hash, (sv4_role)role, &e)) {
    sv4__resp_error(resp, e.rc, "%s", e.msg);
  } else {
    sv4__resp_json(resp, 201, json_pack("{s:s,s:s}", "name", name, "role", sv4_role_name((sv4_role)role)));
  }
  json_decref(body);
}
