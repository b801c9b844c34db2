/* test_svg_i18n.c — the server's SVG charts (escaping, signed bars, gaps, the V4 map) and the interface language
 * choice (?lang=, cookie, Accept-Language q-values). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/internal.h"

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

static void bars_escape_and_sign(void **state) {
  (void)state;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  sv4_svg_bar bars[3] = {
      {.label = "<script>x</script>", .value = 0.5, .color = "#E5243B"},
      {.label = "losses \"walls\"", .value = -120, .color = "javascript:alert(1)"},
      {.label = "gains", .value = 80, .href = "/a?b=1&c=2"},
  };
  sv4_svg_bars_opts o = {.title = "A & B", .unit = " kWh"};
  sv4__svg_bars(&b, bars, 3, &o);
  assert_non_null(strstr(b.data, "&lt;script&gt;x&lt;/script&gt;"));
  assert_null(strstr(b.data, "<script>"));
  assert_non_null(strstr(b.data, "aria-label=\"A &amp; B\""));
  assert_non_null(strstr(b.data, "losses &quot;walls&quot;"));
  assert_null(strstr(b.data, "javascript:"));              /* a colour that is not #hex falls back */
  assert_non_null(strstr(b.data, "href=\"/a?b=1&amp;c=2\""));
  assert_non_null(strstr(b.data, "-120 kWh"));
  assert_int_equal(count(b.data, "<g class=\"bar\">"), 3);
  sv4_buf_free(&b);
}

static void heatmap_marks_gaps(void **state) {
  (void)state;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  const char *rows[2] = {"Kraków <2030>", "Brno"}, *cols[3] = {"1", "2", "3"}, *colors[3] = {"#E5243B", NULL, "#4C9F38"};
  double v[6] = {0.9, 0, 0.2, 0, 0, 1.0};
  sv4__svg_heatmap(&b, "t", rows, NULL, 2, cols, NULL, colors, 3, v);
  assert_int_equal(count(b.data, "class=\"gap\""), 3);
  assert_int_equal(count(b.data, "<g class=\"cell\">"), 6);
  assert_non_null(strstr(b.data, "Kraków &lt;2030&gt;"));
  assert_non_null(strstr(b.data, ">90</text>"));
  sv4_buf_free(&b);
}

static void v4map_links_and_counts(void **state) {
  (void)state;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  const int64_t counts[4] = {3, 0, 12, 7};
  const char *names[4] = {"Czechia", "Hungary", "Poland", "Slovakia"};
  sv4__svg_v4map(&b, "map", counts, names, "/search?country=");
  assert_int_equal(count(b.data, "<path d=\"M"), 4);
  assert_non_null(strstr(b.data, "href=\"/search?country=PL\""));
  assert_non_null(strstr(b.data, "class=\"count\">12</text>"));
  assert_non_null(strstr(b.data, "Hungary: 0"));
  sv4_buf_free(&b);
}

static const char *pick(const char *query_lang, const char *cookie, const char *accept) {
  static sv4_arena *a;
  if (!a) a = sv4_arena_new(4096);
  sv4_param p = {"lang", query_lang};
  sv4_req req = {.arena = a, .query = query_lang ? &p : NULL, .nquery = query_lang ? 1 : 0, .accept_language = accept};
  return sv4__pick_lang(&req, cookie);
}

static void language_choice(void **state) {
  (void)state;
  assert_string_equal(pick(NULL, NULL, NULL), "en");
  assert_string_equal(pick("pl", NULL, "hu"), "pl");
  assert_string_equal(pick("xx", NULL, "hu"), "hu");                     /* unsupported ?lang= is ignored */
  assert_string_equal(pick(NULL, "a=1; sv4lang=sk", "hu"), "sk");        /* cookie before header */
  assert_string_equal(pick(NULL, "sv4lang=de", "cs-CZ"), "cs");
  assert_string_equal(pick(NULL, NULL, "de-DE,de;q=0.9,hu;q=0.8,en;q=0.5"), "hu");
  assert_string_equal(pick(NULL, NULL, "en;q=0.3, sk;q=0.7, pl;q=0.5"), "sk");
  assert_string_equal(pick(NULL, NULL, "pl;q=0, en;q=0.1"), "en");       /* q=0 means not acceptable */
  assert_string_equal(pick(NULL, NULL, "fr, de"), "en");
  assert_string_equal(pick(NULL, NULL, "cz"), "cs");
  assert_string_equal(pick(NULL, NULL, "polish, hu"), "hu");
}

static void message_lookup(void **state) {
  (void)state;
  sv4_app app = {0};
  app.i18n = json_pack("{s:{s:s,s:s},s:{s:s}}", "en", "a", "A", "b", "B", "pl", "a", "Ą");
  sv4_req req = {.app = &app, .lang = "pl"};
  assert_string_equal(sv4__t(&req, "a"), "Ą");
  assert_string_equal(sv4__t(&req, "b"), "B");   /* English fallback */
  assert_string_equal(sv4__t(&req, "zz"), "zz"); /* then the key */
  json_decref(app.i18n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bars_escape_and_sign), cmocka_unit_test(heatmap_marks_gaps),
      cmocka_unit_test(v4map_links_and_counts), cmocka_unit_test(language_choice), cmocka_unit_test(message_lookup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
