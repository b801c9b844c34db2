/* zip.c — reading DOCX/ODT containers with libzip from memory, with the zip-bomb limits of sv4/limits.h. */
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "ingest/internal.h"
#include "sv4/limits.h"

struct sv4__zip {
  zip_t *za;
  const char *name;
};

sv4_rc sv4__zip_open(const void *data, size_t len, const char *name, sv4__zip **out, sv4_error *err) {
  zip_error_t ze;
  zip_source_t *src = NULL;
  zip_t *za = NULL;
  sv4__zip *z = NULL;
  sv4_rc rc = SV4_OK;
  *out = NULL;
  zip_error_init(&ze);
  src = zip_source_buffer_create(data, len, 0, &ze);
  if (!src) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", name);
    goto done;
  }
  za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  if (!za) {
    zip_source_free(src);
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: truncated or damaged zip container: %s", name, zip_error_strerror(&ze));
    goto done;
  }
  zip_int64_t n = zip_get_num_entries(za, 0);
  if (n < 0 || (zip_uint64_t)n > SV4_MAX_ZIP_ENTRIES) {
    rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: zip has %lld entries, more than the limit of %u", name, (long long)n,
                       (unsigned)SV4_MAX_ZIP_ENTRIES);
    goto done;
  }
  z = malloc(sizeof *z);
  if (!z) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", name);
    goto done;
  }
  z->za = za;
  z->name = name;
  za = NULL;
  *out = z;
done:
  if (za) zip_discard(za);
  zip_error_fini(&ze);
  return rc;
}

/* The most an entry may expand to: the size cap, and the ratio cap for entries big enough to matter. */
static zip_uint64_t entry_cap(zip_uint64_t comp) {
  zip_uint64_t cap = SV4_MAX_ZIP_ENTRY_BYTES;
  if (comp <= cap / SV4_MAX_ZIP_RATIO && comp * SV4_MAX_ZIP_RATIO < cap) cap = comp * SV4_MAX_ZIP_RATIO;
  if (cap < SV4_ZIP_RATIO_MIN_BYTES) cap = SV4_ZIP_RATIO_MIN_BYTES;
  return cap;
}

sv4_rc sv4__zip_read(sv4__zip *z, const char *entry, int optional, char **data, size_t *len, sv4_error *err) {
  zip_stat_t st;
  zip_file_t *f = NULL;
  sv4_buf b;
  sv4_rc rc = SV4_OK;
  *data = NULL;
  *len = 0;
  sv4_buf_init(&b, 0);
  zip_int64_t idx = zip_name_locate(z->za, entry, 0);
  if (idx < 0) {
    if (optional) return SV4_ERR_NOTFOUND;
    return sv4_error_set(err, SV4_ERR_PARSE, "%s: damaged document: the zip has no %s", z->name, entry);
  }
  zip_stat_init(&st);
  if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0)
    return sv4_error_set(err, SV4_ERR_PARSE, "%s: cannot read zip entry %s: %s", z->name, entry, zip_strerror(z->za));
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    return sv4_error_set(err, SV4_ERR_UNSUPPORTED,
                         "%s: zip entry %s is encrypted (password-protected documents "
                         "are not supported)",
                         z->name, entry);
  if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
    return sv4_error_set(err, SV4_ERR_PARSE, "%s: zip entry %s has no size", z->name, entry);
  zip_uint64_t cap = entry_cap(st.comp_size);
  if (st.size > SV4_MAX_ZIP_ENTRY_BYTES)
    return sv4_error_set(err, SV4_ERR_LIMIT, "%s: zip entry %s declares %llu bytes, more than the limit of %u", z->name,
                         entry, (unsigned long long)st.size, (unsigned)SV4_MAX_ZIP_ENTRY_BYTES);
  if (st.size > cap)
    return sv4_error_set(err, SV4_ERR_LIMIT, "%s: zip entry %s expands beyond %ux (zip bomb?)", z->name, entry,
                         (unsigned)SV4_MAX_ZIP_RATIO);
  /* The declared size may lie: the buffer limit stops reading at the cap whatever the header says. */
  b.limit = (size_t)cap;
  f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
  if (!f) {
    int ze = zip_error_code_zip(zip_get_error(z->za));
    rc = sv4_error_set(err, ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD ? SV4_ERR_UNSUPPORTED : SV4_ERR_PARSE,
                       "%s: cannot open zip entry %s: %s", z->name, entry, zip_strerror(z->za));
    goto done;
  }
  char chunk[65536];
  for (;;) {
    zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
    if (n < 0) {
      rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: truncated or damaged zip entry %s: %s", z->name, entry,
                         zip_error_strerror(zip_file_get_error(f)));
      goto done;
    }
    if (n == 0) break;
    rc = sv4_buf_append(&b, chunk, (size_t)n);
    if (rc == SV4_ERR_LIMIT) {
      rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: zip entry %s expands beyond %ux (zip bomb?)", z->name, entry,
                         (unsigned)SV4_MAX_ZIP_RATIO);
      goto done;
    }
    if (rc) {
      rc = sv4_error_set(err, rc, "%s: out of memory reading %s", z->name, entry);
      goto done;
    }
  }
  if (!b.data && (rc = sv4_buf_append(&b, "", 0))) {
    rc = sv4_error_set(err, rc, "%s: out of memory reading %s", z->name, entry);
    goto done;
  }
  *data = sv4_buf_steal(&b, len);
done:
  if (f) zip_fclose(f);
  sv4_buf_free(&b);
  return rc;
}

void sv4__zip_close(sv4__zip *z) {
  if (!z) return;
  zip_discard(z->za);
  free(z);
}
