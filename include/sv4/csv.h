/* csv.h — a small RFC 4180 reader (quoted fields, doubled quotes, CRLF) with a configurable separator.
 * Used for taxonomies, evaluation sets, TABULA tables, cost tables. */
#ifndef SV4_CSV_H
#define SV4_CSV_H

#include <stddef.h>

#include "sv4/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SV4_CSV_MAX_FIELDS 1024u
#define SV4_CSV_MAX_FIELD_BYTES (4u * 1024u * 1024u)

typedef struct sv4_csv sv4_csv;

/* Opens a reader over data[0..len) (not copied: must outlive the reader). sep is ',' or ';' etc.
 * name is used in error messages ("file.csv:12: ..."). Returns NULL on OOM. */
sv4_csv *sv4_csv_open(const char *data, size_t len, char sep, const char *name);

/* Reads the next record. On SV4_OK, *nfields is set and fields are available through sv4_csv_field until the next
 * call. Returns SV4_ERR_NOTFOUND at end of input, SV4_ERR_PARSE (unterminated quote) or SV4_ERR_LIMIT with err set.
 * A UTF-8 byte-order mark at the start is skipped. */
sv4_rc sv4_csv_next(sv4_csv *c, size_t *nfields, sv4_error *err);

/* Field i of the current record, NUL-terminated (empty string when i is out of range). */
const char *sv4_csv_field(const sv4_csv *c, size_t i);
size_t sv4_csv_field_len(const sv4_csv *c, size_t i);

/* Line number (1-based) where the current record started. */
size_t sv4_csv_line(const sv4_csv *c);

/* Index of the column named `name` in the current record (use right after reading the header), or -1. */
int sv4_csv_column(const sv4_csv *c, const char *name);

void sv4_csv_close(sv4_csv *c); /* accepts NULL */

/* Parses a number that may use a decimal comma ("0,35") or point; empty or invalid gives 0 and returns 0. */
int sv4_parse_double(const char *s, double *out);

#ifdef __cplusplus
}
#endif
#endif
