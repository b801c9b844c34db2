/* test_ingest.c — importers on real files in tests/data/docs: text, block kinds and levels, metadata, and the
 * exact error class plus the file name in messages for broken and hostile files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pthread.h>

#include "ingest/internal.h"
#include "sv4/ingest.h"
#include "sv4/limits.h"

#define DOCS SV4_TEST_DATA_DIR "/docs/"

static sv4_document *load(const char *name) {
  sv4_document *d = NULL;
  sv4_error err;
  sv4_error_clear(&err);
  sv4_rc rc = sv4_ingest_file(name, &d, &err);
  if (rc) fail_msg("%s: rc=%s msg=%s", name, sv4_rc_name(rc), err.msg);
  assert_non_null(d);
  return d;
}

/* Every block: span inside the text, no separator inside, separated by exactly "\n\n"; text valid UTF-8. */
static void check_invariants(const sv4_document *d) {
  size_t bad;
  assert_int_equal(strlen(d->text), d->len);
  assert_true(sv4__utf8_check((const unsigned char *)d->text, d->len, &bad));
  size_t expect = 0;
  for (size_t i = 0; i < d->nblocks; i++) {
    const sv4_block *b = &d->blocks[i];
    assert_int_equal(b->start, expect);
    assert_true(b->end > b->start && b->end <= d->len);
    assert_null(memmem(d->text + b->start, b->end - b->start, "\n", 1));
    assert_true(d->text[b->start] != ' ' && d->text[b->end - 1] != ' ');
    assert_null(memmem(d->text + b->start, b->end - b->start, "  ", 2));
    expect = b->end + 2;
    if (i + 1 < d->nblocks) assert_memory_equal(d->text + b->end, "\n\n", 2);
  }
  assert_int_equal(d->nblocks ? d->blocks[d->nblocks - 1].end : 0, d->len);
}

/* Finds the block whose text equals s; fails when absent. */
static const sv4_block *block_eq(const sv4_document *d, const char *s) {
  for (size_t i = 0; i < d->nblocks; i++) {
    const sv4_block *b = &d->blocks[i];
    if (b->end - b->start == strlen(s) && !memcmp(d->text + b->start, s, strlen(s))) return b;
  }
  fail_msg("no block '%s' in:\n%s", s, d->text);
  return NULL;
}

static size_t count_kind(const sv4_document *d, sv4_block_kind k) {
  size_t n = 0;
  for (size_t i = 0; i < d->nblocks; i++) n += d->blocks[i].kind == k;
  return n;
}

static void expect_error(const char *path, sv4_rc want, const char *fragment) {
  sv4_document *d = NULL;
  sv4_error err;
  sv4_error_clear(&err);
  sv4_rc rc = sv4_ingest_file(path, &d, &err);
  if (rc != want) fail_msg("%s: want %s, got %s (%s)", path, sv4_rc_name(want), sv4_rc_name(rc), err.msg);
  assert_null(d);
  assert_int_equal(err.rc, want);
  if (strncmp(err.msg, path, strlen(path))) fail_msg("message does not start with the file name: %s", err.msg);
  if (fragment && !strstr(err.msg, fragment)) fail_msg("message lacks '%s': %s", fragment, err.msg);
}

static void expect_mem_error(const void *data, size_t len, const char *name, sv4_rc want, const char *fragment) {
  sv4_document *d = NULL;
  sv4_error err;
  sv4_error_clear(&err);
  sv4_rc rc = sv4_ingest_memory(data, len, name, &d, &err);
  if (rc != want) fail_msg("%s: want %s, got %s (%s)", name, sv4_rc_name(want), sv4_rc_name(rc), err.msg);
  assert_null(d);
  if (strncmp(err.msg, name, strlen(name))) fail_msg("message does not start with the file name: %s", err.msg);
  if (fragment && !strstr(err.msg, fragment)) fail_msg("message lacks '%s': %s", fragment, err.msg);
}

/* ---- detection ---------------------------------------------------------------------------------------- */
static void detects_formats(void **state) {
  (void)state;
  assert_int_equal(sv4_format_detect("%PDF-1.7\n", 9, NULL), SV4_FMT_PDF);
  assert_int_equal(sv4_format_detect("%PDF-1.7\n", 9, "x.txt"), SV4_FMT_PDF); /* magic wins */
  assert_int_equal(sv4_format_detect("junk\n%PDF-1.7\n", 14, "x.pdf"), SV4_FMT_PDF);
  assert_int_equal(sv4_format_detect("About %PDF-1.7 files", 20, NULL), SV4_FMT_TXT);
  assert_int_equal(sv4_format_detect("<!DOCTYPE html><p>x", 19, NULL), SV4_FMT_HTML);
  assert_int_equal(sv4_format_detect("  <HTML><body>x", 15, NULL), SV4_FMT_HTML);
  assert_int_equal(sv4_format_detect("plain words", 11, NULL), SV4_FMT_TXT);
  assert_int_equal(sv4_format_detect("\xff\xfe"
                                     "a\0",
                                     4, NULL),
                   SV4_FMT_TXT);
  assert_int_equal(sv4_format_detect("\x80\x81\x00", 3, NULL), SV4_FMT_UNKNOWN);
  assert_int_equal(sv4_format_detect("\x80\x81", 2, "a.txt"), SV4_FMT_TXT);
  assert_int_equal(sv4_format_detect("PK\x03\x04zzzz", 8, NULL), SV4_FMT_UNKNOWN);
  assert_int_equal(sv4_format_detect("PK\x03\x04zzzz", 8, "a.DOCX"), SV4_FMT_DOCX);
  assert_string_equal(sv4_format_name(SV4_FMT_ODT), "odt");
  assert_string_equal(sv4_format_mime(SV4_FMT_PDF), "application/pdf");
  assert_string_equal(sv4_block_kind_name(SV4_BLOCK_LIST_ITEM), "list_item");
  static const struct {
    const char *file;
    sv4_format f;
  } files[] = {{"strategy.pdf", SV4_FMT_PDF},   {"program.docx", SV4_FMT_DOCX}, {"smart-city.odt", SV4_FMT_ODT},
               {"page.html", SV4_FMT_HTML},     {"cp1250.html", SV4_FMT_HTML},  {"notes.txt", SV4_FMT_TXT},
               {"notes-utf16.txt", SV4_FMT_TXT}};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char *data = NULL;
    size_t len = 0;
    char path[512];
    snprintf(path, sizeof path, DOCS "%s", files[i].file);
    assert_int_equal(sv4_read_file(path, 1u << 24, &data, &len, NULL), SV4_OK);
    assert_int_equal(sv4_format_detect(data, len, NULL), files[i].f); /* by content alone */
    free(data);
  }
}

/* ---- PDF ---------------------------------------------------------------------------------------------- */
static void pdf_structure_and_metadata(void **state) {
  (void)state;
  sv4_document *d = load(DOCS "strategy.pdf");
  check_invariants(d);
  assert_int_equal(d->format, SV4_FMT_PDF);
  assert_int_equal(d->pages, 3);
  assert_string_equal(d->title, "Strategia rozwoju miasta");
  assert_string_equal(d->author, "Urząd Miasta Łodzi");
  assert_string_equal(d->created, "2024-03-15T10:30:00");
  assert_string_equal(d->lang_hint, "pl-PL");
  const sv4_block *b = block_eq(d, "Strategia rozwoju miasta 2030");
  assert_int_equal(b->kind, SV4_BLOCK_TITLE);
  assert_int_equal(b->page, 1);
  b = block_eq(d, "1. Energia i klimat");
  assert_int_equal(b->kind, SV4_BLOCK_HEADING);
  assert_int_equal(b->level, 1);
  b = block_eq(d, "1.1 Zrównoważona mobilność");
  assert_int_equal(b->kind, SV4_BLOCK_HEADING);
  assert_int_equal(b->level, 2);
  b = block_eq(d, "2. Cíle pro Českou republiku");
  assert_int_equal(b->level, 1);
  assert_int_equal(b->page, 2);
  b = block_eq(d, "2.1 Magyar célok");
  assert_int_equal(b->level, 2);
  b = block_eq(d, "Wskaźniki będą raportowane co roku.");
  assert_int_equal(b->kind, SV4_BLOCK_PARAGRAPH);
  assert_int_equal(b->page, 3);
  /* lines joined into one paragraph; "termomoderni-" + "zację" de-hyphenated; "Brno-" + "Praha" kept */
  assert_non_null(strstr(d->text, "ciepłowniczej oraz termomodernizację budynków"));
  assert_non_null(strstr(d->text, "linii Brno-Praha i"));
  assert_non_null(strstr(d->text, "Hőszivattyú, fűtés, őszi ütemezés."));
  assert_non_null(strstr(d->text, "Łódź, Śląsk i Żywiec"));
  /* running headers ("... – strona 2 z 3") and page numbers are not content */
  assert_null(strstr(d->text, "strona"));
  for (size_t i = 0; i < d->nblocks; i++) assert_false(d->blocks[i].end - d->blocks[i].start == 1);
  assert_int_equal(count_kind(d, SV4_BLOCK_HEADING), 5);
  sv4_document_free(d);
}

static void pdf_broken(void **state) {
  (void)state;
  expect_error(DOCS "truncated.pdf", SV4_ERR_PARSE, "truncated or damaged PDF");
  expect_error(DOCS "garbage.pdf", SV4_ERR_PARSE, "truncated or damaged PDF");
  expect_mem_error("%PDF-1.4\n", 9, "tiny.pdf", SV4_ERR_PARSE, "truncated or damaged PDF");
  expect_error(DOCS "password.pdf", SV4_ERR_UNSUPPORTED, "password-protected");
}

/* Encrypted with an owner password only: opens with the empty user password. */
static void pdf_owner_password_only(void **state) {
  (void)state;
  sv4_document *d = load(DOCS "owner-only.pdf");
  check_invariants(d);
  assert_int_equal(block_eq(d, "1. Energia i klimat")->kind, SV4_BLOCK_HEADING);
  assert_string_equal(d->author, "Urząd Miasta Łodzi");
  sv4_document_free(d);
}

/* A valid PDF with n empty pages sharing one page object, written here (xref offsets computed). */
static char *make_pages_pdf(unsigned n, size_t *len) {
  sv4_buf b;
  size_t off[4];
  sv4_buf_init(&b, 0);
  sv4_buf_puts(&b, "%PDF-1.4\n");
  off[0] = b.len;
  sv4_buf_puts(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  off[1] = b.len;
  sv4_buf_printf(&b, "2 0 obj\n<< /Type /Pages /Count %u /Kids [", n);
  for (unsigned i = 0; i < n; i++) sv4_buf_puts(&b, "3 0 R ");
  sv4_buf_puts(&b, "] >>\nendobj\n");
  off[2] = b.len;
  sv4_buf_puts(&b, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>\nendobj\n");
  size_t xref = b.len;
  sv4_buf_puts(&b, "xref\n0 4\n0000000000 65535 f \n");
  for (int i = 0; i < 3; i++) sv4_buf_printf(&b, "%010zu 00000 n \n", off[i]);
  sv4_buf_printf(&b, "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
  return sv4_buf_steal(&b, len);
}

static void pdf_page_limit(void **state) {
  (void)state;
  size_t len;
  char *pdf = make_pages_pdf(SV4_MAX_PDF_PAGES + 1, &len);
  expect_mem_error(pdf, len, "many.pdf", SV4_ERR_LIMIT, "pages");
  free(pdf);
  pdf = make_pages_pdf(2, &len); /* valid, but no text at all: an empty document, not an error */
  sv4_document *d = NULL;
  assert_int_equal(sv4_ingest_memory(pdf, len, "blank.pdf", &d, NULL), SV4_OK);
  assert_int_equal(d->pages, 2);
  assert_int_equal(d->nblocks, 0);
  assert_int_equal(d->len, 0);
  sv4_document_free(d);
  free(pdf);
}

/* ---- DOCX / ODT --------------------------------------------------------------------------------------- */
static void docx_structure_and_metadata(void **state) {
  (void)state;
  sv4_document *d = load(DOCS "program.docx");
  check_invariants(d);
  assert_int_equal(d->format, SV4_FMT_DOCX);
  assert_string_equal(d->title, "Program Zielona Energia");
  assert_string_equal(d->author, "Jan Kowalski");
  assert_string_equal(d->created, "2024-02-01T09:00:00Z");
  assert_string_equal(d->lang_hint, "pl-PL");
  assert_int_equal(block_eq(d, "Program Zielona Energia")->kind, SV4_BLOCK_TITLE);
  const sv4_block *b = block_eq(d, "Wprowadzenie"); /* localised style id "Nagwek1", name "heading 1" */
  assert_int_equal(b->kind, SV4_BLOCK_HEADING);
  assert_int_equal(b->level, 1);
  assert_int_equal(block_eq(d, "Cele szczegółowe")->level, 2); /* style id Heading2 without a styles entry */
  assert_int_equal(block_eq(d, "Podsumowanie")->level, 3);     /* direct outlineLvl 2 */
  /* runs joined, tab and break as spaces, deleted text dropped */
  assert_int_equal(block_eq(d, "Program wspiera odnawialne źródła energii.")->kind, SV4_BLOCK_PARAGRAPH);
  assert_null(strstr(d->text, "usunięty"));
  assert_null(strstr(d->text, ".....")); /* table of contents entries */
  assert_int_equal(block_eq(d, "Fotowoltaika na dachach szkół")->kind, SV4_BLOCK_LIST_ITEM);
  assert_int_equal(block_eq(d, "Pompy ciepła w budynkach komunalnych")->kind, SV4_BLOCK_LIST_ITEM);
  assert_int_equal(count_kind(d, SV4_BLOCK_TABLE_CELL), 4);
  assert_int_equal(block_eq(d, "Wskaźnik")->kind, SV4_BLOCK_TABLE_CELL);
  assert_int_equal(block_eq(d, "−40 % do 2030")->kind, SV4_BLOCK_TABLE_CELL);
  assert_non_null(strstr(d->text, "řeka, Hungarian: őszi fűtés"));
  sv4_document_free(d);
}

static void odt_structure_and_metadata(void **state) {
  (void)state;
  sv4_document *d = load(DOCS "smart-city.odt");
  check_invariants(d);
  assert_int_equal(d->format, SV4_FMT_ODT);
  assert_string_equal(d->title, "Koncepce chytrého města Brna");
  assert_string_equal(d->author, "Petra Nováková");
  assert_string_equal(d->created, "2023-11-05T14:20:00");
  assert_string_equal(d->lang_hint, "cs-CZ");
  assert_int_equal(block_eq(d, "Koncepce chytrého města")->kind, SV4_BLOCK_TITLE);
  assert_int_equal(block_eq(d, "Úvod")->level, 1);
  assert_int_equal(block_eq(d, "Opatření")->level, 2);
  assert_int_equal(block_eq(d, "Město Brno podporuje sdílenou mobilitu a zeleň.")->kind, SV4_BLOCK_PARAGRAPH);
  assert_null(strstr(d->text, "poznámka")); /* footnote bodies are not body text */
  assert_null(strstr(d->text, "....."));    /* table of contents */
  assert_int_equal(block_eq(d, "Elektrobusy")->kind, SV4_BLOCK_LIST_ITEM);
  assert_int_equal(block_eq(d, "Nabíjecí stanice")->kind, SV4_BLOCK_LIST_ITEM);
  assert_int_equal(block_eq(d, "Cíl 2030 (t CO2)")->kind, SV4_BLOCK_TABLE_CELL);
  sv4_document_free(d);
}

static void zip_hostile(void **state) {
  (void)state;
  expect_error(DOCS "zip-bomb.docx", SV4_ERR_LIMIT, "word/document.xml expands beyond 100x (zip bomb?)");
  /* header says 2000 bytes, the stream inflates to 20 MB: stopped while reading */
  expect_error(DOCS "bomb-lying-size.docx", SV4_ERR_LIMIT, "word/document.xml expands beyond 100x (zip bomb?)");
  /* header says 600 MB: refused before reading */
  expect_error(DOCS "bomb-declared.docx", SV4_ERR_LIMIT, "declares 629145600 bytes");
  expect_error(DOCS "billion-laughs.docx", SV4_ERR_PARSE, "DOCTYPE");
  expect_error(DOCS "encrypted.docx", SV4_ERR_UNSUPPORTED, "encrypted");
  expect_error(DOCS "empty.docx", SV4_ERR_FORMAT, "empty file");
  expect_error(DOCS "no-document.docx", SV4_ERR_PARSE, "word/document.xml");
  /* a DOCX cut in half: the central directory is gone */
  char *data = NULL;
  size_t len = 0;
  assert_int_equal(sv4_read_file(DOCS "program.docx", 1u << 20, &data, &len, NULL), SV4_OK);
  expect_mem_error(data, len / 2, "half.docx", SV4_ERR_PARSE, "zip");
  free(data);
}

/* A zip of n empty stored entries, written field by field (CRC of nothing is 0). */
static char *make_many_entries_zip(unsigned n, size_t *len) {
  sv4_buf body, central;
  sv4_buf_init(&body, 0);
  sv4_buf_init(&central, 0);
  for (unsigned i = 0; i < n; i++) {
    char name[32];
    int nl = snprintf(name, sizeof name, "f%05u.xml", i);
    unsigned char lh[30] = {0x50, 0x4b, 0x03, 0x04, 20}, ch[46] = {0x50, 0x4b, 0x01, 0x02, 20, 0, 20};
    lh[26] = (unsigned char)nl;
    ch[28] = (unsigned char)nl;
    size_t off = body.len;
    ch[42] = (unsigned char)off, ch[43] = (unsigned char)(off >> 8), ch[44] = (unsigned char)(off >> 16);
    sv4_buf_append(&body, lh, sizeof lh);
    sv4_buf_append(&body, name, (size_t)nl);
    sv4_buf_append(&central, ch, sizeof ch);
    sv4_buf_append(&central, name, (size_t)nl);
  }
  unsigned char eocd[22] = {0x50, 0x4b, 0x05, 0x06};
  eocd[8] = eocd[10] = (unsigned char)n, eocd[9] = eocd[11] = (unsigned char)(n >> 8);
  size_t cs = central.len, co = body.len;
  for (int k = 0; k < 4; k++)
    eocd[12 + k] = (unsigned char)(cs >> (8 * k)), eocd[16 + k] = (unsigned char)(co >> (8 * k));
  sv4_buf_append(&body, central.data, central.len);
  sv4_buf_append(&body, eocd, sizeof eocd);
  sv4_buf_free(&central);
  return sv4_buf_steal(&body, len);
}

static void zip_entry_limit(void **state) {
  (void)state;
  size_t len;
  char *z = make_many_entries_zip(SV4_MAX_ZIP_ENTRIES + 1, &len);
  expect_mem_error(z, len, "many.docx", SV4_ERR_LIMIT, "entries");
  free(z);
  z = make_many_entries_zip(3, &len); /* a sane archive that simply lacks the document */
  expect_mem_error(z, len, "few.docx", SV4_ERR_PARSE, "word/document.xml");
  expect_mem_error(z, len, "few.odt", SV4_ERR_PARSE, "content.xml");
  free(z);
}

/* Deep nesting: libxml2 stops at its own depth limit (256), reported as a limit. */
static void xml_depth_limit(void **state) {
  (void)state;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  sv4_buf_puts(&b, "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
  for (int i = 0; i < 300; i++) sv4_buf_puts(&b, "<w:sdt>");
  for (int i = 0; i < 300; i++) sv4_buf_puts(&b, "</w:sdt>");
  sv4_buf_puts(&b, "</w:body></w:document>");
  struct _xmlDoc *doc = NULL;
  sv4_error err;
  assert_int_equal(sv4__xml_parse(b.data, b.len, "deep.docx", "word/document.xml", &doc, &err), SV4_ERR_LIMIT);
  assert_null(doc);
  assert_non_null(strstr(err.msg, "deep.docx: "));
  sv4_buf_free(&b);
}

/* ---- HTML --------------------------------------------------------------------------------------------- */
static void html_structure(void **state) {
  (void)state;
  sv4_document *d = load(DOCS "page.html");
  check_invariants(d);
  assert_string_equal(d->title, "Zöld város program");
  assert_string_equal(d->author, "Kovács Anna");
  assert_string_equal(d->lang_hint, "hu");
  assert_int_equal(block_eq(d, "Zöld város")->level, 1);
  assert_int_equal(block_eq(d, "Intézkedések")->level, 2);
  assert_int_equal(block_eq(d, "A program célja az energiahatékonyság javítása & a megújuló energia.")->kind,
                   SV4_BLOCK_PARAGRAPH);
  assert_int_equal(block_eq(d, "Laza szöveg egy div-ben.")->kind, SV4_BLOCK_PARAGRAPH);
  assert_int_equal(block_eq(d, "Napelemek iskolákon")->kind, SV4_BLOCK_LIST_ITEM);
  assert_int_equal(block_eq(d, "Mutató")->kind, SV4_BLOCK_TABLE_CELL);
  assert_null(strstr(d->text, "skript"));
  assert_null(strstr(d->text, "color"));
  assert_null(strstr(d->text, "Főoldal"));      /* nav */
  assert_null(strstr(d->text, "JavaScriptet")); /* noscript */
  assert_null(strstr(d->text, "2024 Város"));   /* footer */
  sv4_document_free(d);
}

static void html_charset(void **state) {
  (void)state;
  sv4_document *d = load(DOCS "cp1250.html");
  check_invariants(d);
  assert_string_equal(d->title, "Strategie rozvoje města");
  assert_int_equal(block_eq(d, "Příliš žluťoučký kůň")->kind, SV4_BLOCK_HEADING);
  block_eq(d, "Úpěl ďábelské ódy. Zażółć gęślą jaźń.");
  sv4_document_free(d);
  /* declared UTF-8 but broken bytes: the output is still valid UTF-8 */
  const char bad[] = "<html><head><meta charset=\"utf-8\"></head><body><p>a\xff\xfe b\xc3</p></body></html>";
  assert_int_equal(sv4_ingest_memory(bad, sizeof bad - 1, "bad.html", &d, NULL), SV4_OK);
  check_invariants(d);
  sv4_document_free(d);
}

static void html_depth_limit(void **state) {
  (void)state;
  sv4_buf b;
  sv4_buf_init(&b, 0);
  sv4_buf_puts(&b, "<html><body>");
  for (int i = 0; i < 5000; i++) sv4_buf_puts(&b, "<span>");
  sv4_buf_puts(&b, "x</body></html>");
  expect_mem_error(b.data, b.len, "deep.html", SV4_ERR_LIMIT, "deeper");
  sv4_buf_free(&b);
}

/* ---- TXT ---------------------------------------------------------------------------------------------- */
static void txt_utf8_and_utf16(void **state) {
  (void)state;
  const char *files[] = {DOCS "notes.txt", DOCS "notes-utf16.txt"};
  for (int i = 0; i < 2; i++) {
    sv4_document *d = load(files[i]);
    check_invariants(d);
    assert_int_equal(d->format, SV4_FMT_TXT);
    assert_int_equal(d->nblocks, 3);
    assert_string_equal(
        d->text, "Strategia energetyczna\n\nZwiększenie udziału OZE do 40 % w 2030.\n\nČeština: řeka. Magyar: őszi.");
    sv4_document_free(d);
  }
}

static void txt_errors(void **state) {
  (void)state;
  expect_error(DOCS "latin2.txt", SV4_ERR_UTF8, "byte offset 2");
  expect_error(DOCS "empty.txt", SV4_ERR_FORMAT, "empty file");
  expect_mem_error(
      "\xef\xbb\xbf"
      "ok\n\xc3(",
      8, "bom.txt", SV4_ERR_UTF8, "byte offset 6 (line 2");
  expect_mem_error(
      "\xff\xfe"
      "a\0\x00\xd8",
      6, "u16.txt", SV4_ERR_UTF8, "surrogate");
  expect_mem_error(
      "\xff\xfe"
      "a",
      3, "odd.txt", SV4_ERR_UTF8, "odd length");
  sv4_error err;
  sv4_document *d = NULL;
  assert_int_equal(sv4_ingest_file(DOCS "does-not-exist.pdf", &d, &err), SV4_ERR_NOTFOUND);
  assert_non_null(strstr(err.msg, "does-not-exist.pdf"));
  expect_mem_error("\x01\x02\x80\x00", 4, "blob.bin", SV4_ERR_FORMAT, "unrecognised");
}

/* ---- builder: repair, NULs, whitespace, empty blocks ---------------------------------------------------- */
static void builder_repairs_and_collapses(void **state) {
  (void)state;
  sv4__builder b;
  sv4_document *d = NULL;
  assert_int_equal(sv4__builder_init(&b, SV4_FMT_TXT, "t", NULL), SV4_OK);
  assert_int_equal(sv4__builder_begin(&b, SV4_BLOCK_HEADING, 9, 4), SV4_OK);
  assert_int_equal(sv4__builder_text(&b, "  Ab\0c \t\n d\xc0\xafz\xed\xa0\x80 ", 18), SV4_OK);
  assert_int_equal(sv4__builder_begin(&b, SV4_BLOCK_PARAGRAPH, 0, 0), SV4_OK);
  assert_int_equal(sv4__builder_text(&b, " \r\n\xc2\xa0 ", 6), SV4_OK); /* only whitespace: dropped */
  assert_int_equal(sv4__builder_begin(&b, SV4_BLOCK_LIST_ITEM, 0, 0), SV4_OK);
  assert_int_equal(sv4__builder_cp(&b, 0x110000), SV4_OK);
  assert_int_equal(sv4__builder_finish(&b, &d, NULL), SV4_OK);
  check_invariants(d);
  assert_string_equal(d->text, "Abc d\xef\xbf\xbd\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n\n\xef\xbf\xbd");
  assert_int_equal(d->nblocks, 2);
  assert_int_equal(d->blocks[0].level, 6);
  assert_int_equal(d->blocks[0].page, 4);
  assert_int_equal(d->blocks[1].kind, SV4_BLOCK_LIST_ITEM);
  assert_string_equal(d->title, "Abc d\xef\xbf\xbd\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  sv4_document_free(d);
}

static void json_output(void **state) {
  (void)state;
  sv4_document *d = load(DOCS "notes.txt");
  sv4_buf out;
  sv4_buf_init(&out, 0);
  assert_int_equal(sv4_document_to_json(d, &out), SV4_OK);
  assert_string_equal(out.data,
                      "{\"format\":\"txt\",\"title\":null,\"author\":null,\"created\":null,\"lang_hint\":null,"
                      "\"pages\":0,\"text\":\"Strategia energetyczna\\n\\nZwiększenie udziału OZE do 40 % w 2030."
                      "\\n\\nČeština: řeka. Magyar: őszi.\",\"blocks\":[{\"kind\":\"paragraph\",\"level\":0,"
                      "\"start\":0,\"end\":22,\"page\":0},{\"kind\":\"paragraph\",\"level\":0,\"start\":24,\"end\":65,"
                      "\"page\":0},{\"kind\":\"paragraph\",\"level\":0,\"start\":67,\"end\":99,\"page\":0}]}");
  sv4_buf_free(&out);
  sv4_document_free(d);
}

/* Imports run concurrently share nothing: every thread gets the same text as a lone import. */
static const char *const thread_files[] = {DOCS "strategy.pdf",  DOCS "program.docx", DOCS "smart-city.odt",
                                           DOCS "page.html",     DOCS "cp1250.html",  DOCS "notes-utf16.txt",
                                           DOCS "truncated.pdf", DOCS "zip-bomb.docx"};
#define NFILES (sizeof thread_files / sizeof thread_files[0])
static char *expected[NFILES];

static void *import_all(void *arg) {
  (void)arg;
  for (int round = 0; round < 3; round++)
    for (size_t i = 0; i < NFILES; i++) {
      sv4_document *d = NULL;
      sv4_error err;
      sv4_rc rc = sv4_ingest_file(thread_files[i], &d, &err);
      const char *got = rc ? err.msg : d->text;
      if (strcmp(got, expected[i])) return (void *)thread_files[i];
      sv4_document_free(d);
    }
  return NULL;
}

static void concurrent_imports(void **state) {
  (void)state;
  for (size_t i = 0; i < NFILES; i++) {
    sv4_document *d = NULL;
    sv4_error err;
    sv4_rc rc = sv4_ingest_file(thread_files[i], &d, &err);
    expected[i] = strdup(rc ? err.msg : d->text);
    sv4_document_free(d);
  }
  pthread_t t[4];
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, import_all, NULL), 0);
  for (int i = 0; i < 4; i++) {
    void *bad = NULL;
    pthread_join(t[i], &bad);
    if (bad) fail_msg("thread result differs for %s", (const char *)bad);
  }
  for (size_t i = 0; i < NFILES; i++) free(expected[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(detects_formats),
      cmocka_unit_test(pdf_structure_and_metadata),
      cmocka_unit_test(pdf_broken),
      cmocka_unit_test(pdf_page_limit),
      cmocka_unit_test(docx_structure_and_metadata),
      cmocka_unit_test(odt_structure_and_metadata),
      cmocka_unit_test(zip_hostile),
      cmocka_unit_test(zip_entry_limit),
      cmocka_unit_test(pdf_owner_password_only),
      cmocka_unit_test(xml_depth_limit),
      cmocka_unit_test(html_structure),
      cmocka_unit_test(html_charset),
      cmocka_unit_test(html_depth_limit),
      cmocka_unit_test(txt_utf8_and_utf16),
      cmocka_unit_test(txt_errors),
      cmocka_unit_test(builder_repairs_and_collapses),
      cmocka_unit_test(json_output),
      cmocka_unit_test(concurrent_imports),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
