/* tmp_store.h — the store tests' temporary SQLite database: a fresh file name, and the removal of the database
 * with its -wal and -shm files. */
#ifndef SV4_TEST_TMP_STORE_H
#define SV4_TEST_TMP_STORE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv4/store.h"

/* A name for a database that does not exist yet, into path (at least 32 bytes). */
static inline void tmp_store_path(char *path, size_t size) {
  snprintf(path, size, "/tmp/sv4-store-test-XXXXXX");
  int fd = mkstemp(path);
  if (fd >= 0) close(fd);
  unlink(path);
}

/* Opens a new SQLite store at a fresh path; -1 (after printing why) when it cannot. */
static inline int tmp_store_open(char *path, size_t size, sv4_store **s) {
  tmp_store_path(path, size);
  sv4_error e;
  if (sv4_store_sqlite.open(path, s, &e)) {
    fprintf(stderr, "open: %s\n", e.msg);
    return -1;
  }
  return 0;
}

static inline void tmp_store_remove(const char *path) {
  char p[300];
  unlink(path);
  snprintf(p, sizeof p, "%s-wal", path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", path);
  unlink(p);
}

#endif
