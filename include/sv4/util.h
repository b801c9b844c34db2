/* util.h — small shared pieces: a growable buffer with a hard limit, an arena, file reading, data paths. */
#ifndef SV4_UTIL_H
#define SV4_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "sv4/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sv4_buf: a byte buffer that refuses to grow past `limit` (0 = no limit). Always NUL-terminated. ------ */
typedef struct sv4_buf {
  char *data;
  size_t len;
  size_t cap;
  size_t limit;
} sv4_buf;

void sv4_buf_init(sv4_buf *b, size_t limit);
/* Appends n bytes; SV4_ERR_LIMIT when len would exceed limit, SV4_ERR_NOMEM on allocation failure. */
sv4_rc sv4_buf_append(sv4_buf *b, const void *p, size_t n);
sv4_rc sv4_buf_puts(sv4_buf *b, const char *s);
sv4_rc sv4_buf_putc(sv4_buf *b, char c);
sv4_rc sv4_buf_printf(sv4_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
sv4_rc sv4_buf_vprintf(sv4_buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
/* Appends s with JSON string escaping (no surrounding quotes). */
sv4_rc sv4_buf_json_escape(sv4_buf *b, const char *s, size_t n);
/* Appends s (NULL: "") as a quoted JSON string. */
void sv4_buf_json_str(sv4_buf *b, const char *s);
/* Appends v with dec decimals; null when v is not finite (JSON has no NaN or infinity). */
void sv4_buf_json_num(sv4_buf *b, double v, int dec);
/* Appends "key": v (as sv4_buf_json_num), then ", " when comma. */
void sv4_buf_json_key_num(sv4_buf *b, const char *key, double v, int dec, int comma);
/* Appends s with HTML escaping of & < > " '. */
sv4_rc sv4_buf_html_escape(sv4_buf *b, const char *s, size_t n);
void sv4_buf_reset(sv4_buf *b);
/* Hands the data to the caller (who frees it with free()) and resets b. Never NULL on success. */
char *sv4_buf_steal(sv4_buf *b, size_t *len);
void sv4_buf_free(sv4_buf *b);

/* ---- sv4_arena: bump allocator; everything is freed at once. For per-request and per-document memory. ---- */
typedef struct sv4_arena sv4_arena;
sv4_arena *sv4_arena_new(size_t block_size);
void *sv4_arena_alloc(sv4_arena *a, size_t n); /* 16-byte aligned, NULL on OOM */
char *sv4_arena_strndup(sv4_arena *a, const char *s, size_t n);
char *sv4_arena_strdup(sv4_arena *a, const char *s);
char *sv4_arena_printf(sv4_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sv4_arena_reset(sv4_arena *a); /* keeps the first block */
void sv4_arena_free(sv4_arena *a);  /* accepts NULL */

/* ---- files and paths ------------------------------------------------------------------------------------- */
/* Reads a whole file into *data (malloc'd, NUL-terminated; caller frees). Files larger than max bytes give
 * SV4_ERR_LIMIT; errors name the path in err. */
sv4_rc sv4_read_file(const char *path, size_t max, char **data, size_t *len, sv4_error *err);
/* The regular files below dir whose names end in suffix (every name when suffix is NULL; names starting with '.'
 * are skipped), down to max_depth levels of subdirectories (0: dir itself), at most max of them, sorted by path:
 * malloc'd paths "dir/sub/name" (free with sv4_list_free). SV4_ERR_NOTFOUND when dir cannot be opened, with err
 * left for the caller to say what the directory is. */
sv4_rc sv4_list_files(const char *dir, const char *suffix, int max_depth, size_t max, char ***files, size_t *n,
                      sv4_error *err);
void sv4_list_free(char **files, size_t n);

/* The data directory: $SMARTV4_DATA; else, for an installed program (<prefix>/bin), <prefix>/share/smartv4 when it
 * exists; else the source tree's data/ (baked in at build time) when it exists, as for the programs of the build
 * tree; else /usr/share/smartv4. Decided once; static string, never NULL. */
const char *sv4_data_dir(void);

/* Joins sv4_data_dir() and rel ("rules/sdg/en.rules") into a malloc'd path; caller frees. */
char *sv4_data_path(const char *rel);

/* A fast 64-bit hash (eight bytes per step), for cache keys and in-memory tables; not cryptographic, and not stable
 * across byte orders (every cache is per machine). */
uint64_t sv4_hash64(const void *p, size_t n, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif
