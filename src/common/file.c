/* file.c — reading whole files with a limit, locating data/, hashing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sv4/util.h"

sv4_rc sv4_read_file(const char *path, size_t max, char **data, size_t *len, sv4_error *err) {
  FILE *f = NULL;
  char *p = NULL;
  struct stat st;
  sv4_rc rc = SV4_OK;
  *data = NULL;
  if (len) *len = 0;
  f = fopen(path, "rb");
  if (!f) return sv4_error_set(err, errno == ENOENT ? SV4_ERR_NOTFOUND : SV4_ERR_IO, "%s: %s", path, strerror(errno));
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    rc = sv4_error_set(err, SV4_ERR_IO, "%s: not a regular file", path);
    goto done;
  }
  if ((unsigned long long)st.st_size > (unsigned long long)max) {
    rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: %lld bytes exceeds the limit of %zu bytes", path,
                       (long long)st.st_size, max);
    goto done;
  }
  size_t n = (size_t)st.st_size;
  p = malloc(n + 1);
  if (!p) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory reading %zu bytes", path, n);
    goto done;
  }
  if (n && fread(p, 1, n, f) != n) {
    rc = sv4_error_set(err, SV4_ERR_IO, "%s: short read", path);
    goto done;
  }
  p[n] = '\0';
  *data = p;
  p = NULL;
  if (len) *len = n;
done:
  free(p);
  if (f) fclose(f);
  return rc;
}

const char *sv4_data_dir(void) {
  static const char *dir;
  if (dir) return dir;
  const char *env = getenv("SMARTV4_DATA");
#ifdef SV4_SOURCE_DATA_DIR
  struct stat st;
#endif
  if (env && *env) dir = env;
#ifdef SV4_SOURCE_DATA_DIR
  else if (stat(SV4_SOURCE_DATA_DIR, &st) == 0)
    dir = SV4_SOURCE_DATA_DIR;
#endif
  else
    dir = "/usr/share/smartv4";
  return dir;
}

char *sv4_data_path(const char *rel) {
  const char *d = sv4_data_dir();
  size_t n = strlen(d) + strlen(rel) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", d, rel);
  return p;
}

uint64_t sv4_hash64(const void *p, size_t n, uint64_t seed) {
  const unsigned char *s = p;
  uint64_t h = 1469598103934665603ull ^ seed;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 1099511628211ull;
  }
  return h;
}
