/* test_common.c — sv4_buf limits and escaping, arena, error mappings, file reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sv4/csv.h"
#include "sv4/error.h"
#include "sv4/util.h"

static void buf_refuses_past_limit(void **state) {
  (void)state;
  sv4_buf b;
  sv4_buf_init(&b, 8);
  assert_int_equal(sv4_buf_puts(&b, "12345678"), SV4_OK);
  assert_int_equal(sv4_buf_putc(&b, 'x'), SV4_ERR_LIMIT);
  assert_int_equal(b.len, 8);
  assert_string_equal(b.data, "12345678");
  sv4_buf_free(&b);
}

static void buf_escapes(void **state) {
  (void)state;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  const char *s = "a\"b\\c\n<i>&'";
  assert_int_equal(sv4_buf_json_escape(&b, s, strlen(s)), SV4_OK);
  assert_string_equal(b.data, "a\\\"b\\\\c\\n<i>&'");
  sv4_buf_reset(&b);
  assert_int_equal(sv4_buf_html_escape(&b, s, strlen(s)), SV4_OK);
  assert_string_equal(b.data, "a&quot;b\\c\n&lt;i&gt;&amp;&#39;");
  sv4_buf_reset(&b);
  assert_int_equal(sv4_buf_printf(&b, "%d-%s", 42, "x"), SV4_OK);
  assert_string_equal(b.data, "42-x");
  sv4_buf_free(&b);
}

static void arena_allocates_large_and_small(void **state) {
  (void)state;
  sv4_arena *a = sv4_arena_new(64);
  assert_non_null(a);
  char *s = sv4_arena_strdup(a, "hello");
  char *big = sv4_arena_alloc(a, 1000);
  char *t = sv4_arena_printf(a, "%s-%d", s, 7);
  assert_non_null(big);
  memset(big, 1, 1000);
  assert_string_equal(s, "hello");
  assert_string_equal(t, "hello-7");
  assert_int_equal(((uintptr_t)big) % 16, 0);
  sv4_arena_reset(a);
  assert_non_null(sv4_arena_alloc(a, 10));
  sv4_arena_free(a);
  sv4_arena_free(NULL);
}

static void error_mappings(void **state) {
  (void)state;
  assert_int_equal(sv4_rc_exit_code(SV4_OK), 0);
  assert_int_equal(sv4_rc_exit_code(SV4_ERR_USAGE), 2);
  assert_int_equal(sv4_rc_exit_code(SV4_ERR_PARSE), 1);
  assert_int_equal(sv4_rc_http_status(SV4_ERR_NOTFOUND), 404);
  assert_int_equal(sv4_rc_http_status(SV4_ERR_LIMIT), 413);
  assert_int_equal(sv4_rc_http_status(SV4_ERR_FORBIDDEN), 403);
  for (int rc = 0; rc < SV4_RC_COUNT; rc++) {
    assert_non_null(sv4_strerror((sv4_rc)rc));
    assert_non_null(sv4_rc_name((sv4_rc)rc));
  }
  assert_string_equal(sv4_strerror((sv4_rc)999), "unknown error");
  sv4_error e;
  assert_int_equal(sv4_error_set(&e, SV4_ERR_PARSE, "line %d", 3), SV4_ERR_PARSE);
  assert_string_equal(e.msg, "line 3");
}

static void read_file_limits(void **state) {
  (void)state;
  char path[] = "/tmp/sv4testXXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "0123456789", 10), 10);
  close(fd);
  char *d;
  size_t n;
  sv4_error e;
  assert_int_equal(sv4_read_file(path, 100, &d, &n, &e), SV4_OK);
  assert_int_equal(n, 10);
  assert_string_equal(d, "0123456789");
  free(d);
  assert_int_equal(sv4_read_file(path, 5, &d, &n, &e), SV4_ERR_LIMIT);
  assert_null(d);
  assert_non_null(strstr(e.msg, path));
  unlink(path);
  assert_int_equal(sv4_read_file("/nonexistent/x", 5, &d, &n, &e), SV4_ERR_NOTFOUND);
}

/* sv4_list_files: suffix, hidden names, depth, the limit, the order, a missing directory. */
static void list_files_filters_and_sorts(void **state) {
  (void)state;
  char dir[] = "/tmp/sv4-list-test-XXXXXX", p[128];
  assert_non_null(mkdtemp(dir));
  const char *make[] = {"b.csv", "a.csv", ".hidden.csv", "c.txt", "sub/d.csv", "sub/deeper/e.csv"};
  snprintf(p, sizeof p, "mkdir -p %s/sub/deeper %s/dir.csv", dir, dir); /* dir.csv: a directory, not listed */
  assert_int_equal(system(p), 0);
  for (size_t i = 0; i < sizeof make / sizeof *make; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, make[i]);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
  }
  char **f = NULL;
  size_t n = 0;
  assert_int_equal(sv4_list_files(dir, ".csv", 0, 100, &f, &n, NULL), SV4_OK);
  assert_int_equal(n, 2);
  assert_string_equal(strrchr(f[0], '/'), "/a.csv");
  assert_string_equal(strrchr(f[1], '/'), "/b.csv");
  sv4_list_free(f, n);
  assert_int_equal(sv4_list_files(dir, ".csv", 1, 100, &f, &n, NULL), SV4_OK);
  assert_int_equal(n, 3); /* sub/d.csv, not sub/deeper/e.csv */
  assert_non_null(strstr(f[2], "/sub/d.csv"));
  sv4_list_free(f, n);
  assert_int_equal(sv4_list_files(dir, ".csv", 4, 2, &f, &n, NULL), SV4_OK);
  assert_int_equal(n, 2); /* the limit */
  sv4_list_free(f, n);
  assert_int_equal(sv4_list_files(dir, NULL, 0, 100, &f, &n, NULL), SV4_OK);
  assert_int_equal(n, 3); /* a.csv b.csv c.txt */
  sv4_list_free(f, n);
  assert_int_equal(sv4_list_files("/nonexistent-sv4-dir", ".csv", 0, 100, &f, &n, NULL), SV4_ERR_NOTFOUND);
  assert_null(f);
  assert_int_equal(n, 0);
  snprintf(p, sizeof p, "rm -rf %s", dir);
  assert_int_equal(system(p), 0);
}

static void csv_quotes_and_errors(void **state) {
  (void)state;
  const char *d = "\xEF\xBB\xBFid,text\r\n1,\"a, \"\"b\"\"\nc\"\n2,;x\n";
  sv4_csv *c = sv4_csv_open(d, strlen(d), ',', "t.csv");
  size_t n;
  sv4_error e;
  assert_int_equal(sv4_csv_next(c, &n, &e), SV4_OK);
  assert_int_equal(n, 2);
  assert_int_equal(sv4_csv_column(c, "text"), 1);
  assert_int_equal(sv4_csv_next(c, &n, &e), SV4_OK);
  assert_string_equal(sv4_csv_field(c, 1), "a, \"b\"\nc");
  assert_int_equal(sv4_csv_next(c, &n, &e), SV4_OK);
  assert_int_equal(sv4_csv_line(c), 4);
  assert_string_equal(sv4_csv_field(c, 1), ";x");
  assert_int_equal(sv4_csv_next(c, &n, &e), SV4_ERR_NOTFOUND);
  sv4_csv_close(c);
  const char *bad = "a,\"unterminated\n";
  c = sv4_csv_open(bad, strlen(bad), ',', "bad.csv");
  assert_int_equal(sv4_csv_next(c, &n, &e), SV4_ERR_PARSE);
  assert_non_null(strstr(e.msg, "bad.csv:1"));
  sv4_csv_close(c);
  double v;
  assert_true(sv4_parse_double("0,35", &v));
  assert_true(v > 0.349 && v < 0.351);
  assert_false(sv4_parse_double("x1", &v));
  assert_false(sv4_parse_double("", &v));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(buf_refuses_past_limit),
      cmocka_unit_test(buf_escapes),
      cmocka_unit_test(arena_allocates_large_and_small),
      cmocka_unit_test(error_mappings),
      cmocka_unit_test(read_file_limits),
      cmocka_unit_test(csv_quotes_and_errors),
      cmocka_unit_test(list_files_filters_and_sorts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
