/* arena.c — sv4_arena: a bump allocator freed all at once (h2o's per-request pool). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv4/util.h"

typedef struct block {
  struct block *next;
  size_t cap;
  size_t used;
  _Alignas(16) unsigned char mem[];
} block;

struct sv4_arena {
  block *head;
  size_t block_size;
};

static block *block_new(size_t cap) {
  block *b = malloc(sizeof(block) + cap);
  if (!b) return NULL;
  b->next = NULL;
  b->cap = cap;
  b->used = 0;
  return b;
}

sv4_arena *sv4_arena_new(size_t block_size) {
  sv4_arena *a = malloc(sizeof *a);
  if (!a) return NULL;
  a->block_size = block_size ? block_size : 16384;
  a->head = block_new(a->block_size);
  if (!a->head) {
    free(a);
    return NULL;
  }
  return a;
}

void *sv4_arena_alloc(sv4_arena *a, size_t n) {
  size_t need = (n + 15) & ~(size_t)15;
  if (need < n) return NULL;
  block *b = a->head;
  if (b->cap - b->used < need) {
    size_t cap = need > a->block_size ? need : a->block_size;
    block *nb = block_new(cap);
    if (!nb) return NULL;
    if (need > a->block_size) { /* big allocation: keep the current block as head for small ones */
      nb->next = b->next;
      b->next = nb;
      nb->used = need;
      return nb->mem;
    }
    nb->next = b;
    a->head = nb;
    b = nb;
  }
  void *p = b->mem + b->used;
  b->used += need;
  return p;
}

char *sv4_arena_strndup(sv4_arena *a, const char *s, size_t n) {
  char *p = sv4_arena_alloc(a, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *sv4_arena_strdup(sv4_arena *a, const char *s) { return sv4_arena_strndup(a, s, strlen(s)); }

char *sv4_arena_printf(sv4_arena *a, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = n < 0 ? NULL : sv4_arena_alloc(a, (size_t)n + 1);
  if (p) vsnprintf(p, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return p;
}

void sv4_arena_reset(sv4_arena *a) {
  block *b = a->head;
  while (b->next) {
    block *next = b->next;
    free(b);
    b = next;
  }
  a->head = b;
  b->used = 0;
}

void sv4_arena_free(sv4_arena *a) {
  if (!a) return;
  block *b = a->head;
  while (b) {
    block *next = b->next;
    free(b);
    b = next;
  }
  free(a);
}
