/* internal.h — private pieces of the importers: the document builder every importer writes into (UTF-8 repair,
 * whitespace collapsing, block spans), the safe XML/zip helpers, and one entry point per format. */
#ifndef SV4_INGEST_INTERNAL_H
#define SV4_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sv4/ingest.h"

/* ---- builder ------------------------------------------------------------------------------------------- */
/* Collects text block by block. Text appended to a block is repaired (invalid UTF-8 -> U+FFFD), stripped of
 * NUL and other control characters, and every run of whitespace becomes one space; leading/trailing spaces
 * are dropped. A block that ends up empty is removed. Blocks are separated by "\n\n". */
typedef struct sv4__builder {
  sv4_buf text;
  sv4_block *blocks;
  size_t nblocks, cap;
  int open;          /* a block is open */
  size_t open_start; /* where the open block's text starts (after the separator) */
  size_t open_mark;  /* text length before the separator, to roll back an empty block */
  int pending_space; /* whitespace seen since the last character of the open block */
  sv4_block cur;
  sv4_document *doc; /* arena + metadata */
  const char *name;  /* file name for messages */
} sv4__builder;

sv4_rc sv4__builder_init(sv4__builder *b, sv4_format fmt, const char *name, sv4_error *err);
/* Ends the open block (if any) and opens a new one. */
sv4_rc sv4__builder_begin(sv4__builder *b, sv4_block_kind kind, int level, int page);
/* Appends raw bytes (any encoding damage is repaired). Opens a paragraph when no block is open. */
sv4_rc sv4__builder_text(sv4__builder *b, const char *s, size_t n);
/* Appends one code point (invalid ones become U+FFFD). */
sv4_rc sv4__builder_cp(sv4__builder *b, uint32_t cp);
/* Ends the open block; drops it when it holds no text. */
sv4_rc sv4__builder_end(sv4__builder *b);
/* Length of the open block's text so far (0 when none is open). */
size_t sv4__builder_open_len(const sv4__builder *b);
/* Copies s[0..n) into the document arena as repaired, whitespace-collapsed UTF-8; NULL for empty results. */
const char *sv4__builder_meta(sv4__builder *b, const char *s, size_t n);
/* Finishes the document (fills title from the first title/heading block when metadata had none) and hands it
 * to *out. On failure (or when *out is not wanted) frees everything; always leaves b empty. */
sv4_rc sv4__builder_finish(sv4__builder *b, sv4_document **out, sv4_error *err);
void sv4__builder_free(sv4__builder *b);
/* Maps a builder rc (NOMEM / LIMIT from the text buffer) to an error naming the file. */
sv4_rc sv4__builder_fail(sv4__builder *b, sv4_rc rc, sv4_error *err);
/* One format's importer into a builder (fmt: what sv4_format_check detected). */
typedef sv4_rc (*sv4__importer)(const void *data, size_t len, sv4_format fmt, sv4__builder *b, sv4_error *err);
/* The import pipeline every entry point shares: argument and format checks, a builder named after filename ("(memory)"
 * when NULL), imp, the finished document. The same reading a file first (at most SV4_MAX_UPLOAD_BYTES). */
sv4_rc sv4__ingest_run(const void *data, size_t len, const char *filename, sv4__importer imp, sv4_document **out,
                       sv4_error *err);
sv4_rc sv4__ingest_file_run(const char *path, sv4__importer imp, sv4_document **out, sv4_error *err);

/* ---- UTF-8 -------------------------------------------------------------------------------------------- */
/* Decodes one code point at s[0..n); returns its length (>= 1). Invalid sequences give *cp = 0xFFFFFFFF and
 * length 1. */
size_t sv4__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Returns 1 when valid; else 0 with *bad = offset of the first invalid byte. */
int sv4__utf8_check(const unsigned char *s, size_t n, size_t *bad);

/* ---- zip (DOCX, ODT) ----------------------------------------------------------------------------------- */
typedef struct sv4__zip sv4__zip;
/* Opens an archive held in memory (not copied: data must outlive the handle). Checks the entry count. */
sv4_rc sv4__zip_open(const void *data, size_t len, const char *name, sv4__zip **out, sv4_error *err);
/* Reads one entry into a malloc'd NUL-terminated buffer, enforcing SV4_MAX_ZIP_ENTRY_BYTES and
 * SV4_MAX_ZIP_RATIO before and while reading. SV4_ERR_NOTFOUND when the entry does not exist (err untouched
 * when optional is set). */
sv4_rc sv4__zip_read(sv4__zip *z, const char *entry, int optional, char **data, size_t *len, sv4_error *err);
void sv4__zip_close(sv4__zip *z);

/* ---- XML ---------------------------------------------------------------------------------------------- */
/* libxml2 types, kept opaque here so importers include libxml headers themselves. */
struct _xmlDoc;
struct _xmlNode;
/* Parses XML with no network, no entity substitution, no DTD loading; documents with a DOCTYPE are refused
 * (OOXML and ODF never carry one: it is the billion-laughs / XXE vector). Checks SV4_MAX_XML_DEPTH. */
sv4_rc sv4__xml_parse(const char *data, size_t len, const char *name, const char *entry, struct _xmlDoc **out,
                      sv4_error *err);
/* True when node is an element with local name `local` in namespace `ns` (NULL: any namespace). */
int sv4__xml_is(const struct _xmlNode *node, const char *ns, const char *local);
/* Attribute value by namespace + local name; malloc'd by libxml (xmlFree), NULL when absent. */
char *sv4__xml_attr(const struct _xmlNode *node, const char *ns, const char *local);
/* Makes libxml2 ready for use from several threads (idempotent). */
void sv4__xml_init(void);

/* ---- importers ---------------------------------------------------------------------------------------- */
sv4_rc sv4__ingest_txt(const unsigned char *data, size_t len, sv4__builder *b, sv4_error *err);
sv4_rc sv4__ingest_html(const char *data, size_t len, sv4__builder *b, sv4_error *err);
sv4_rc sv4__ingest_docx(const void *data, size_t len, sv4__builder *b, sv4_error *err);
sv4_rc sv4__ingest_odt(const void *data, size_t len, sv4__builder *b, sv4_error *err);
/* The XML layer alone (for fuzzing and tests): word/document.xml / content.xml text into b. */
sv4_rc sv4__docx_document_xml(const char *xml, size_t len, sv4__builder *b, sv4_error *err);
sv4_rc sv4__odt_content_xml(const char *xml, size_t len, sv4__builder *b, sv4_error *err);
sv4_rc sv4__ingest_pdf(const void *data, size_t len, sv4__builder *b, sv4_error *err);

#endif
