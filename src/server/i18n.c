/* i18n.c — the interface language of a request (?lang=, the sv4lang cookie, Accept-Language, "en") and message
 * lookup in the catalogues of data/i18n loaded by app.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"

static const char *const supported[] = {"en", "pl", "cs", "sk", "hu"};

/* The static code for a language tag's primary subtag ("pl-PL" → "pl"), or NULL when not supported. */
static const char *supported_lang(const char *tag, size_t n) {
  size_t p = 0;
  while (p < n && isalpha((unsigned char)tag[p])) p++;
  if (p != 2 || (p < n && tag[p] != '-' && tag[p] != '_')) return NULL;
  char c0 = (char)tolower((unsigned char)tag[0]), c1 = (char)tolower((unsigned char)tag[1]);
  if (c0 == 'c' && c1 == 'z') return "cs"; /* a common mistake for Czech */
  for (size_t i = 0; i < sizeof supported / sizeof *supported; i++)
    if (supported[i][0] == c0 && supported[i][1] == c1) return supported[i];
  return NULL;
}

/* q-value of one Accept-Language item's parameters (";q=0.8"); 1 when absent, 0 when malformed. */
static double qvalue(const char *params, size_t n) {
  for (size_t i = 0; i + 1 < n; i++) {
    if (params[i] != 'q' || params[i + 1] != '=') continue;
    if (i && params[i - 1] != ';' && params[i - 1] != ' ') continue;
    char tmp[16];
    size_t len = n - (i + 2);
    if (len >= sizeof tmp) len = sizeof tmp - 1;
    memcpy(tmp, params + i + 2, len);
    tmp[len] = 0;
    char *end;
    double q = strtod(tmp, &end);
    if (end == tmp || q < 0 || q > 1) return 0;
    return q;
  }
  return 1;
}

/* Best supported language of an Accept-Language header; first listed wins among equal q-values. */
static const char *from_accept_language(const char *h) {
  const char *best = NULL;
  double best_q = 0;
  while (h && *h) {
    size_t item = strcspn(h, ",");
    const char *s = h;
    while (s < h + item && *s == ' ') s++;
    size_t tag = strcspn(s, ";, ");
    if (tag > (size_t)(h + item - s)) tag = (size_t)(h + item - s);
    const char *semi = memchr(s, ';', (size_t)(h + item - s));
    double q = semi ? qvalue(semi + 1, (size_t)(h + item - semi - 1)) : 1;
    const char *lang = supported_lang(s, tag);
    if (lang && q > best_q) {
      best = lang;
      best_q = q;
    }
    h += item;
    if (*h == ',') h++;
  }
  return best;
}

const char *sv4__pick_lang(sv4_req *req, const char *cookie_header) {
  const char *l = sv4__req_param(req, "lang");
  const char *pick = l ? supported_lang(l, strlen(l)) : NULL;
  if (pick && strlen(l) == 2) return pick;
  if (cookie_header) {
    const char *c = sv4__cookie(req->arena, cookie_header, "sv4lang");
    pick = c && strlen(c) == 2 ? supported_lang(c, 2) : NULL;
    if (pick) return pick;
  }
  pick = from_accept_language(req->accept_language);
  return pick ? pick : "en";
}

const char *sv4__t(const sv4_req *req, const char *key) {
  json_t *cats = req->app ? req->app->i18n : NULL;
  const char *v = json_string_value(json_object_get(json_object_get(cats, req->lang ? req->lang : "en"), key));
  if (!v) v = json_string_value(json_object_get(json_object_get(cats, "en"), key));
  return v ? v : key;
}
