/* pages_auth.c — login and logout forms, and user administration for admins (list users, add one with a role). */
#include <string.h>

#include "server/internal.h"

static void login_form(sv4_req *req, sv4_resp *resp, const char *name, const char *next, const char *problem) {
  sv4__html_begin(req, resp, sv4__t(req, "login.title"), NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<section class=\"narrow\"><h1>");
  sv4__ht(req, b, "login.title");
  sv4_buf_puts(b, "</h1>");
  sv4__html_notice(b, problem, 1);
  sv4_buf_puts(b, "<form method=\"post\" action=\"/login\" class=\"login\">");
  sv4__html_csrf(req, resp);
  sv4_buf_puts(b, "<input type=\"hidden\" name=\"next\" value=\"");
  sv4__h(b, sv4__local_target(next, "/"));
  sv4_buf_puts(b, "\"><div class=\"field\"><label for=\"name\">");
  sv4__ht(req, b, "login.name");
  sv4_buf_puts(b, "</label><input type=\"text\" id=\"name\" name=\"name\" autocomplete=\"username\" required "
                  "maxlength=\"64\" value=\"");
  sv4__h(b, name);
  sv4_buf_puts(b, "\"></div><div class=\"field\"><label for=\"password\">");
  sv4__ht(req, b, "login.password");
  sv4_buf_puts(b, "</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" "
                  "required></div><button type=\"submit\">");
  sv4__ht(req, b, "login.button");
  sv4_buf_puts(b, "</button></form></section>");
  sv4__html_end(req, resp);
}

void sv4__page_login(sv4_req *req, sv4_resp *resp) {
  if (strcmp(req->method, "POST")) {
    login_form(req, resp, NULL, sv4__req_param(req, "next"), NULL);
    return;
  }
  sv4_param *p;
  size_t n;
  if (!sv4__form(req, resp, &p, &n)) return;
  const char *name = sv4__form_get(p, n, "name"), *next = sv4__form_get(p, n, "next");
  if (!sv4__csrf_ok(req, resp, sv4__form_get(p, n, "csrf"))) {
    sv4_buf_reset(&resp->body);
    resp->status = 403;
    login_form(req, resp, name, next, sv4__t(req, "error.csrf"));
    return;
  }
  if (sv4__login(req, resp, name, sv4__form_get(p, n, "password"))) {
    sv4__resp_redirect(resp, sv4__local_target(next, "/"));
    return;
  }
  /* sv4__login wrote a JSON error (401 or 429) and maybe Retry-After: keep the status, show the form */
  int status = resp->status;
  sv4_buf_reset(&resp->body);
  resp->status = status;
  login_form(req, resp, name, next, sv4__t(req, status == 429 ? "login.rate_limited" : "login.failed"));
}

void sv4__page_logout(sv4_req *req, sv4_resp *resp) {
  sv4_param *p;
  size_t n;
  if (!sv4__form_csrf(req, resp, &p, &n)) return;
  sv4__api_logout(req, resp); /* deletes the session and clears the cookie */
  sv4_buf_reset(&resp->body);
  sv4__resp_redirect(resp, "/");
}

static void users_page(sv4_req *req, sv4_resp *resp, const char *notice, const char *problem) {
  json_t *users = NULL;
  sv4_error e;
  if (req->app->ops->user_list(req->app->store, &users, &e)) {
    sv4__html_error(req, resp, 500, "error.internal", e.msg);
    return;
  }
  sv4__html_begin(req, resp, sv4__t(req, "users.title"), NULL);
  sv4_buf *b = &resp->body;
  sv4_buf_puts(b, "<h1>");
  sv4__ht(req, b, "users.title");
  sv4_buf_puts(b, "</h1>");
  sv4__html_notice(b, notice, 0);
  sv4__html_notice(b, problem, 1);
  sv4_buf_puts(b, "<div class=\"table-scroll\"><table class=\"users\"><thead><tr><th>");
  sv4__ht(req, b, "login.name");
  sv4_buf_puts(b, "</th><th>");
  sv4__ht(req, b, "users.role");
  sv4_buf_puts(b, "</th></tr></thead><tbody>");
  size_t i;
  json_t *u;
  json_array_foreach(users, i, u) {
    const char *role = json_string_value(json_object_get(u, "role"));
    sv4_buf_puts(b, "<tr><td>");
    sv4__h(b, json_string_value(json_object_get(u, "name")));
    sv4_buf_puts(b, "</td><td>");
    if (role) sv4__ht(req, b, sv4_arena_printf(req->arena, "role.%s", role));
    sv4_buf_puts(b, "</td></tr>");
  }
  sv4_buf_puts(b, "</tbody></table></div><form method=\"post\" action=\"/admin/users\" class=\"panel\"><h2>");
  sv4__ht(req, b, "users.add");
  sv4_buf_puts(b, "</h2>");
  sv4__html_csrf(req, resp);
  sv4_buf_puts(b, "<div class=\"form-grid\"><div class=\"field\"><label for=\"new-name\">");
  sv4__ht(req, b, "login.name");
  sv4_buf_puts(b, "</label><input type=\"text\" id=\"new-name\" name=\"name\" required maxlength=\"64\" "
                  "autocomplete=\"off\"></div><div class=\"field\"><label for=\"new-password\">");
  sv4__ht(req, b, "login.password");
  sv4_buf_puts(b, "</label><input type=\"password\" id=\"new-password\" name=\"password\" required minlength=\"8\" "
                  "autocomplete=\"new-password\"><div class=\"hint\">");
  sv4__ht(req, b, "users.password_hint");
  sv4_buf_puts(b, "</div></div><div class=\"field\"><label for=\"new-role\">");
  sv4__ht(req, b, "users.role");
  sv4_buf_puts(b, "</label><select id=\"new-role\" name=\"role\">");
  for (int r = SV4_ROLE_CONTRIBUTOR; r <= SV4_ROLE_ADMIN; r++) {
    sv4_buf_printf(b, "<option value=\"%s\">", sv4_role_name((sv4_role)r));
    sv4__ht(req, b, sv4_arena_printf(req->arena, "role.%s", sv4_role_name((sv4_role)r)));
    sv4_buf_puts(b, "</option>");
  }
  sv4_buf_puts(b, "</select></div></div><button type=\"submit\">");
  sv4__ht(req, b, "users.add_button");
  sv4_buf_puts(b, "</button></form>");
  json_decref(users);
  sv4__html_end(req, resp);
}

void sv4__page_users(sv4_req *req, sv4_resp *resp) {
  if (!sv4__page_require(req, resp, SV4_ROLE_ADMIN)) return;
  if (strcmp(req->method, "POST")) {
    const char *added = sv4__req_param(req, "added");
    users_page(req, resp, added ? sv4_arena_printf(req->arena, "%s: %s", sv4__t(req, "users.added"), added) : NULL,
               NULL);
    return;
  }
  sv4_param *p;
  size_t n;
  if (!sv4__form_csrf(req, resp, &p, &n)) return;
  const char *name = sv4__form_get(p, n, "name"), *password = sv4__form_get(p, n, "password");
  int role = sv4_role_from_name(sv4__form_get(p, n, "role"));
  char hash[128];
  sv4_error e;
  if (!name || !*name || strlen(name) > 64 || !password || strlen(password) < 8 || role < 0) {
    resp->status = 400;
    users_page(req, resp, NULL, sv4__t(req, "users.invalid"));
  } else if (sv4__password_hash(password, hash)) {
    sv4__html_error(req, resp, 500, "error.internal", NULL);
  } else if (req->app->ops->user_put(req->app->store, name, hash, (sv4_role)role, &e)) {
    resp->status = sv4_rc_http_status(e.rc);
    users_page(req, resp, NULL, e.msg);
  } else {
    sv4_buf u;
    sv4_buf_init(&u, 0);
    sv4_buf_puts(&u, "/admin/users?added=");
    sv4__url_encode(&u, name);
    sv4__resp_redirect(resp, sv4_arena_strdup(req->arena, u.data));
    sv4_buf_free(&u);
  }
}
