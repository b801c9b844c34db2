/* file.c — reading whole files with a limit, locating data/, hashing. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: %lld bytes exceeds the limit of %zu bytes", path, (long long)st.st_size,
                       max);
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

/* The directory of the running executable into buf (no trailing slash); 0 when it cannot be told. */
static int exe_dir(char *buf, size_t cap) {
  ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
  if (n <= 0 || (size_t)n >= cap - 1) return 0;
  buf[n] = 0;
  char *slash = strrchr(buf, '/');
  if (!slash) return 0;
  *slash = 0;
  return 1;
}

/* Whether the path p names a directory. */
static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

enum { DATA_DIR_MAX = 4096 + 64 };
static char data_dir[DATA_DIR_MAX];
static pthread_once_t data_dir_once = PTHREAD_ONCE_INIT;

static void find_data_dir(void) {
  const char *env = getenv("SMARTV4_DATA"), *pick = env && *env ? env : NULL;
  char exe[4096];
  int have_exe = !pick && exe_dir(exe, sizeof exe); /* no readlink when the environment decides */
#if defined(SV4_INSTALL_BINDIR) && defined(SV4_INSTALL_DATADIR)
  /* an installed binary, <prefix>/bin/smartv4: <prefix>/share/smartv4 */
  char inst[DATA_DIR_MAX - 1];
  size_t el = have_exe ? strlen(exe) : 0, bd = strlen(SV4_INSTALL_BINDIR);
  if (!pick && el > bd && exe[el - bd - 1] == '/' && !strcmp(exe + el - bd, SV4_INSTALL_BINDIR)) {
    snprintf(inst, sizeof inst, "%.*s/%s", (int)(el - bd - 1), exe, SV4_INSTALL_DATADIR);
    if (is_dir(inst)) pick = inst;
  }
#endif
#ifdef SV4_SOURCE_DATA_DIR
  /* a binary of the build tree (or a copy of one): the source tree's data */
  if (!pick && is_dir(SV4_SOURCE_DATA_DIR)) pick = SV4_SOURCE_DATA_DIR;
#endif
  if (!pick) pick = "/usr/share/smartv4";
  snprintf(data_dir, sizeof data_dir, "%s", pick);
}

const char *sv4_data_dir(void) {
  pthread_once(&data_dir_once, find_data_dir);
  return data_dir;
}

char *sv4_data_path(const char *rel) {
  const char *d = sv4_data_dir();
  size_t n = strlen(d) + strlen(rel) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", d, rel);
  return p;
}

uint64_t sv4_hash64(const void *p, size_t n, uint64_t seed) {
  /* Eight bytes per step (multiply, rotate, multiply), the tail bytes as one more word, the length and a final
   * avalanche: a start hashes every rule and training file, a few MB, so a byte at a time was too slow. */
  const unsigned char *s = p;
  const uint64_t k1 = 0x9E3779B97F4A7C15ull, k2 = 0xC2B2AE3D27D4EB4Full;
  uint64_t h = seed ^ (n * k1) ^ 0x27D4EB2F165667C5ull;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    w *= k2;
    w = (w << 31) | (w >> 33);
    h ^= w * k1;
    h = ((h << 27) | (h >> 37)) * k1 + 0x52DCE729u;
  }
  if (i < n) {
    uint64_t w = 0;
    memcpy(&w, s + i, n - i);
    w *= k2;
    w = (w << 31) | (w >> 33);
    h ^= w * k1;
    h = ((h << 27) | (h >> 37)) * k1 + 0x52DCE729u;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return h;
}

static int cmp_path(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static sv4_rc list_into(const char *dir, const char *suffix, int depth, int max_depth, size_t max, char ***out,
                        size_t *n, size_t *cap) {
  DIR *d = opendir(dir);
  if (!d) return depth ? SV4_OK : SV4_ERR_NOTFOUND; /* an unreadable subdirectory is passed over */
  size_t sl = suffix ? strlen(suffix) : 0;
  sv4_rc rc = SV4_OK;
  struct dirent *e;
  while (!rc && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    size_t l = strlen(dir) + strlen(e->d_name) + 2;
    char *path = malloc(l);
    if (!path) {
      rc = SV4_ERR_NOMEM;
      break;
    }
    snprintf(path, l, "%s/%s", dir, e->d_name);
    struct stat st;
    size_t nl = strlen(e->d_name);
    if (stat(path, &st) != 0) {
      free(path);
    } else if (S_ISDIR(st.st_mode)) {
      if (depth < max_depth) rc = list_into(path, suffix, depth + 1, max_depth, max, out, n, cap);
      free(path);
    } else if (S_ISREG(st.st_mode) && nl > sl && !strcmp(e->d_name + nl - sl, suffix ? suffix : "") && *n < max) {
      if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        char **q = realloc(*out, c * sizeof *q);
        if (!q) {
          free(path);
          rc = SV4_ERR_NOMEM;
          break;
        }
        *out = q;
        *cap = c;
      }
      (*out)[(*n)++] = path;
    } else {
      free(path);
    }
  }
  closedir(d);
  return rc;
}

sv4_rc sv4_list_files(const char *dir, const char *suffix, int max_depth, size_t max, char ***files, size_t *n,
                      sv4_error *err) {
  size_t cap = 0;
  *files = NULL;
  *n = 0;
  sv4_rc rc = list_into(dir, suffix, 0, max_depth, max, files, n, &cap);
  if (rc == SV4_ERR_NOMEM) sv4_error_set(err, rc, "out of memory");
  if (rc) {
    sv4_list_free(*files, *n);
    *files = NULL;
    *n = 0;
    return rc;
  }
  if (*n) qsort(*files, *n, sizeof **files, cmp_path);
  return SV4_OK;
}

void sv4_list_free(char **files, size_t n) {
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
}
