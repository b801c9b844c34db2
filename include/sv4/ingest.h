/* ingest.h — importers: PDF (MuPDF), DOCX and ODT (libzip + libxml2), HTML (libxml2), plain text → one UTF-8 text
 * with its structure (title, headings, paragraphs, list items, table cells) and metadata. Every importer enforces
 * the limits in sv4/limits.h and names the file and the problem on failure. */
#ifndef SV4_INGEST_H
#define SV4_INGEST_H

#include <stddef.h>

#include "sv4/error.h"
#include "sv4/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sv4_format { SV4_FMT_UNKNOWN = 0, SV4_FMT_TXT, SV4_FMT_PDF, SV4_FMT_DOCX, SV4_FMT_ODT, SV4_FMT_HTML } sv4_format;
const char *sv4_format_name(sv4_format f);       /* "txt", "pdf", ... */
const char *sv4_format_mime(sv4_format f);       /* "application/pdf", ... */
/* Guesses the format from the first bytes (magic: %PDF, a zip holding word/document.xml or an ODF text mimetype,
 * a UTF-16 BOM, HTML markup), then the file name's extension, then valid UTF-8 -> txt; else SV4_FMT_UNKNOWN. */
sv4_format sv4_format_detect(const void *data, size_t len, const char *filename);
/* The checks sv4_ingest_memory makes before importing: data present, not empty (SV4_ERR_FORMAT), within
 * SV4_MAX_UPLOAD_BYTES (SV4_ERR_LIMIT), a recognised format (else SV4_ERR_FORMAT). Sets *fmt to
 * sv4_format_detect()'s answer (SV4_FMT_UNKNOWN on failure); filename as for sv4_ingest_memory. */
sv4_rc sv4_format_check(const void *data, size_t len, const char *filename, sv4_format *fmt, sv4_error *err);

typedef enum sv4_block_kind { SV4_BLOCK_TITLE, SV4_BLOCK_HEADING, SV4_BLOCK_PARAGRAPH, SV4_BLOCK_LIST_ITEM, SV4_BLOCK_TABLE_CELL } sv4_block_kind;
const char *sv4_block_kind_name(sv4_block_kind k);

typedef struct sv4_block {
  sv4_block_kind kind;
  int level;                     /* heading level 1..6, 0 otherwise */
  size_t start, end;             /* byte span in sv4_document.text */
  int page;                      /* 1-based page for PDF, 0 when unknown */
} sv4_block;

typedef struct sv4_document {
  sv4_format format;
  char *text;                    /* valid UTF-8, NUL-terminated, no control characters; whitespace inside a block
                                  * collapsed to single spaces; blocks separated by exactly "\n\n" */
  size_t len;
  sv4_block *blocks;
  size_t nblocks;
  const char *title;             /* from metadata, else the first title block, else the first heading; may be NULL */
  const char *author;            /* may be NULL */
  const char *created;           /* ISO 8601 date or date-time when known ("2024-03-15T10:30:00"), may be NULL */
  const char *lang_hint;         /* declared language ("pl", "en-GB"...), may be NULL */
  int pages;                     /* PDF pages, 0 otherwise */
  sv4_arena *arena;              /* owns all of the above */
} sv4_document;

/* Imports a file from disk into *out (caller frees with sv4_document_free; *out is NULL on failure).
 * err->msg starts with the path and says the problem ("report.pdf: truncated or damaged PDF: ...").
 * Results: SV4_ERR_NOTFOUND / SV4_ERR_IO (reading), SV4_ERR_FORMAT (empty file, unrecognised format),
 * SV4_ERR_PARSE (truncated or damaged file, missing part, XML with a DOCTYPE), SV4_ERR_LIMIT (a limit of
 * sv4/limits.h: size, pages, zip entries, zip entry size or expansion ratio, XML depth, extracted text),
 * SV4_ERR_UTF8 (plain text that is neither UTF-8 nor UTF-16 with a BOM; the message gives the byte offset),
 * SV4_ERR_UNSUPPORTED (encrypted zip entries, password-protected PDF), SV4_ERR_NOMEM.
 * Thread-safe: calls share no state (each PDF import has its own MuPDF context). */
sv4_rc sv4_ingest_file(const char *path, sv4_document **out, sv4_error *err);
/* Imports a buffer (not kept; the document owns copies); filename (may be NULL) guides format detection and
 * names the input in messages ("(memory)" when NULL). Results as for sv4_ingest_file. */
sv4_rc sv4_ingest_memory(const void *data, size_t len, const char *filename, sv4_document **out, sv4_error *err);
/* As sv4_ingest_memory for plain text (what sv4_format_detect calls SV4_FMT_TXT), with the same checks, results
 * and messages; any other format gives SV4_ERR_UNSUPPORTED. Needs none of the other importers' libraries (MuPDF,
 * libzip, libxml2): a program that calls only this links without them. */
sv4_rc sv4_ingest_text_memory(const void *data, size_t len, const char *filename, sv4_document **out, sv4_error *err);
/* As sv4_ingest_file for plain text (sv4_ingest_text_memory's checks and results). */
sv4_rc sv4_ingest_text_file(const char *path, sv4_document **out, sv4_error *err);
/* Frees the document and everything it points to. Accepts NULL. */
void sv4_document_free(sv4_document *d);
/* Appends the document as one JSON object to out (SV4_ERR_LIMIT when out's limit is reached):
 * {"format":"pdf","title":..,"author":..,"created":..,"lang_hint":..,"pages":..,"text":..,"blocks":[
 *  {"kind":"heading","level":1,"start":0,"end":12,"page":1}...]}; absent metadata is null; kinds are
 *  sv4_block_kind_name(); start/end are byte offsets into text. */
sv4_rc sv4_document_to_json(const sv4_document *d, sv4_buf *out);

#ifdef __cplusplus
}
#endif
#endif
