/* energy_internal.h — helpers shared by the energy files of src/bim (tables, climate, variants). */
#ifndef SV4_BIM_ENERGY_INTERNAL_H
#define SV4_BIM_ENERGY_INTERNAL_H

#include <stddef.h>

#include "sv4/csv.h"
#include "sv4/error.h"

/* A data table being read row by row: the header's column names are looked up by name. */
typedef struct sv4__table {
  char *data;
  sv4_csv *csv;
  char file[128];       /* base name for messages */
  char **names;
  size_t ncols;
  size_t rows;
} sv4__table;

/* Opens path (limit SV4_MAX_BIM_TABLE_BYTES), reads the header and checks the required columns (NULL-ended
 * list). Lines whose first field starts with '#' are comments. Errors name file:line. */
sv4_rc sv4__table_open(sv4__table *t, const char *path, char sep, const char *const *required, sv4_error *err);
/* Next data row: SV4_OK, SV4_ERR_NOTFOUND at the end, SV4_ERR_LIMIT past SV4_MAX_BIM_TABLE_ROWS. */
sv4_rc sv4__table_next(sv4__table *t, sv4_error *err);
/* Field of the named column in the current row ("" when the column is absent). */
const char *sv4__table_str(const sv4__table *t, const char *col);
/* Number of the named column; SV4_ERR_PARSE "file:line: column X: not a number" when not numeric. Empty gives
 * SV4_ERR_PARSE too unless allow_empty (then *out = dflt). */
sv4_rc sv4__table_num(const sv4__table *t, const char *col, int allow_empty, double dflt, double *out,
                      sv4_error *err);
size_t sv4__table_line(const sv4__table *t);
void sv4__table_close(sv4__table *t); /* accepts a zeroed table */

#endif
