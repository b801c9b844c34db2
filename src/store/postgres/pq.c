/* pq.c — loads libpq on first use (see pq.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SV4__PQ_LOADER
#include "store/postgres/pq.h"

struct sv4__pq sv4__pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256]; /* empty when loaded */

static void load(void) {
  /* RTLD_LOCAL: its symbols stay out of the global namespace; never closed (a process loads it once) */
  void *h = dlopen(SV4__LIBPQ_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(failure, sizeof failure, "cannot load the PostgreSQL client library %s (Debian package libpq5): %s",
             SV4__LIBPQ_SONAME, e ? e : "unknown error");
    return;
  }
#define SV4__PQ_SYM(f)                                                                            \
  if (!failure[0]) {                                                                              \
    void *p = dlsym(h, #f);                                                                       \
    if (p)                                                                                        \
      memcpy(&sv4__pq.f, &p, sizeof p); /* object to function pointer, as POSIX dlsym requires */ \
    else                                                                                          \
      snprintf(failure, sizeof failure, "%s has no function %s", SV4__LIBPQ_SONAME, #f);          \
  }
  SV4__PQ_FUNCTIONS(SV4__PQ_SYM)
#undef SV4__PQ_SYM
}

sv4_rc sv4__pq_load(sv4_error *err) {
  pthread_once(&once, load);
  return failure[0] ? sv4_error_set(err, SV4_ERR_DB, "postgres: %s", failure) : SV4_OK;
}
