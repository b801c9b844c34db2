/* pdf.c — PDF through MuPDF: structured text per page; blocks become paragraphs (lines joined, line-end
 * hyphens removed before a lower-case continuation), headings come from font sizes larger than the body text,
 * and page-number-only blocks are dropped. Thread safety: every call creates its own fz_context (no locks are
 * needed because no MuPDF object is shared between calls). */
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <utf8proc.h>

#include "ingest/internal.h"
#include "sv4/limits.h"

#define SIZE_SLOTS 512 /* font sizes in half points, up to 255.5 pt */
#define PDF_STORE_BYTES (64u << 20)

typedef struct pblock {
  size_t off, len; /* in pdfx.text */
  int drop;        /* a running header or footer */
  int size2;       /* dominant font size in half points */
  int page;
  int lines;
} pblock;

typedef struct pdfx {
  sv4__builder *b;
  sv4_buf text; /* raw block texts, joined lines */
  pblock *blocks;
  size_t n, cap;
  size_t hist[SIZE_SLOTS]; /* characters per font size */
  sv4_rc rc;
} pdfx;

static void quiet(void *user, const char *message) {}

static int size_slot(float size) {
  if (!(size > 0)) return 0;
  float s = size * 2 + 0.5f;
  return s >= SIZE_SLOTS - 1 ? SIZE_SLOTS - 1 : (int)s;
}

static sv4_rc put_cp(sv4_buf *out, int c) {
  char tmp[4];
  utf8proc_int32_t cp = (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) ? 0xFFFD : c;
  utf8proc_ssize_t k = utf8proc_encode_char(cp, (utf8proc_uint8_t *)tmp);
  return sv4_buf_append(out, tmp, (size_t)k);
}

static int is_hyphen(int c) { return c == '-' || c == 0xAD || c == 0x2010; }
static int is_lower(int c) { return c > 0 && c <= 0x10FFFF && utf8proc_category(c) == UTF8PROC_CATEGORY_LL; }
static int is_letter(int c) {
  if (c <= 0 || c > 0x10FFFF) return 0;
  utf8proc_category_t k = utf8proc_category(c);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

/* Only digits, spaces and a little punctuation ("12", "- 3 -", "4/20"): a page number, not content. */
static int is_page_number(const char *s, size_t n) {
  int digits = 0;
  if (n == 0 || n > 12) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= '0' && c <= '9')
      digits++;
    else if (!strchr(" -/|.()[]", c))
      return 0;
  }
  return digits > 0;
}

/* Joins a block's lines: a space between lines, except after a hyphen that splits a word continued in lower
 * case ("environ-" + "mental" -> "environmental"), where the hyphen goes. */
/* Decodes the code point that ends at text[end) (walking back over continuation bytes); 0 at `start`. */
static int cp_before(const sv4_buf *t, size_t start, size_t *end) {
  size_t k = *end;
  uint32_t cp;
  if (k <= start) return 0;
  do k--;
  while (k > start && ((unsigned char)t->data[k] & 0xC0) == 0x80);
  sv4__utf8_decode((const unsigned char *)t->data + k, *end - k, &cp);
  *end = k;
  return cp == 0xFFFFFFFFu ? 0xFFFD : (int)cp;
}

static sv4_rc take_block(pdfx *x, fz_stext_block *blk, int page) {
  size_t start = x->text.len, counted = 0;
  size_t local[SIZE_SLOTS]; /* characters per font size in this block */
  int best = 0, lines = 0;
  sv4_rc rc = SV4_OK;
  memset(local, 0, sizeof local);
  for (fz_stext_line *ln = blk->u.t.first_line; ln && !rc; ln = ln->next) {
    fz_stext_char *first = ln->first_char;
    while (first && first->c == ' ') first = first->next;
    if (!first) continue;
    if (lines) {
      while (x->text.len > start && x->text.data[x->text.len - 1] == ' ') x->text.len--;
      size_t at = x->text.len, hyphen_at;
      int last = cp_before(&x->text, start, &at);
      hyphen_at = at;
      int before = cp_before(&x->text, start, &at);
      if (is_hyphen(last) && is_letter(before)) {
        if (is_lower(first->c)) x->text.len = hyphen_at; /* a split word: the hyphen goes */
        /* else a real hyphen ("Brno-" + "Praha"): kept, no space */
        x->text.data[x->text.len] = '\0';
      } else {
        rc = sv4_buf_putc(&x->text, ' ');
      }
    }
    lines++;
    for (fz_stext_char *ch = first; ch && !rc; ch = ch->next) {
      rc = put_cp(&x->text, ch->c);
      if (ch->c != ' ') {
        local[size_slot(ch->size)]++;
        counted++;
      }
    }
  }
  if (rc) return rc;
  size_t len = x->text.len - start;
  /* trim trailing spaces */
  while (len && x->text.data[start + len - 1] == ' ') len--;
  x->text.len = start + len;
  if (x->text.data) x->text.data[x->text.len] = '\0';
  if (!len || !counted) return SV4_OK;
  if (is_page_number(x->text.data + start, len)) {
    x->text.len = start;
    x->text.data[start] = '\0';
    return SV4_OK;
  }
  for (int i = 1; i < SIZE_SLOTS; i++) {
    x->hist[i] += local[i];
    if (local[i] > local[best]) best = i;
  }
  if (x->n == x->cap) {
    size_t cap = x->cap ? x->cap * 2 : 256;
    pblock *nb = realloc(x->blocks, cap * sizeof *nb);
    if (!nb) return SV4_ERR_NOMEM;
    x->blocks = nb, x->cap = cap;
  }
  x->blocks[x->n++] = (pblock){start, len, 0, best, page, lines};
  return SV4_OK;
}

static void take_page(pdfx *x, fz_stext_page *sp, int page) {
  for (fz_stext_block *blk = sp->first_block; blk && !x->rc; blk = blk->next)
    if (blk->type == FZ_STEXT_BLOCK_TEXT) x->rc = take_block(x, blk, page);
}

/* "D:20240131120500+01'00'" -> "2024-01-31T12:05:00" (or just the date); NULL when not a PDF date. */
static const char *pdf_date(sv4__builder *b, const char *s) {
  char out[24];
  size_t n = 0;
  if (!strncmp(s, "D:", 2)) s += 2;
  while (s[n] >= '0' && s[n] <= '9' && n < 14) n++;
  if (n < 4) return NULL;
  if (n >= 8 && n < 14)
    snprintf(out, sizeof out, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
  else if (n == 14)
    snprintf(out, sizeof out, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", s, s + 4, s + 6, s + 8, s + 10, s + 12);
  else
    snprintf(out, sizeof out, "%.4s", s);
  return sv4__builder_meta(b, out, strlen(out));
}

static void metadata(fz_context *ctx, fz_document *doc, pdf_document *pdf, sv4__builder *b) {
  char buf[1024];
  sv4_document *d = b->doc;
  if (fz_lookup_metadata(ctx, doc, FZ_META_INFO_TITLE, buf, sizeof buf) > 0)
    d->title = sv4__builder_meta(b, buf, strlen(buf));
  if (fz_lookup_metadata(ctx, doc, FZ_META_INFO_AUTHOR, buf, sizeof buf) > 0)
    d->author = sv4__builder_meta(b, buf, strlen(buf));
  if (fz_lookup_metadata(ctx, doc, FZ_META_INFO_CREATIONDATE, buf, sizeof buf) > 0) d->created = pdf_date(b, buf);
  pdf_obj *lang = pdf_dict_getp(ctx, pdf_trailer(ctx, pdf), "Root/Lang");
  const char *l = lang ? pdf_to_text_string(ctx, lang) : NULL;
  if (l && *l) d->lang_hint = sv4__builder_meta(b, l, strlen(l));
}

typedef struct cand {
  uint64_t key;
  size_t block;
} cand;

static int cmp_cand(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->block < y->block ? -1 : x->block > y->block;
}

/* Running headers and footers: the first or last block of a page whose text, digits ignored ("Strategy 2030 -
 * page 7"), recurs at the top or bottom of at least half the pages (and of 3 or more). They are dropped. */
static sv4_rc drop_running(pdfx *x, int npages) {
  cand *c = NULL;
  size_t nc = 0;
  if (npages < 3 || x->n == 0) return SV4_OK;
  c = malloc(2 * x->n * sizeof *c);
  if (!c) return SV4_ERR_NOMEM;
  for (size_t i = 0; i < x->n; i++) {
    pblock *p = &x->blocks[i];
    int first = i == 0 || x->blocks[i - 1].page != p->page;
    int last = i + 1 == x->n || x->blocks[i + 1].page != p->page;
    if ((!first && !last) || p->len > 160) continue;
    uint64_t h = 1469598103934665603ull ^ (uint64_t)first; /* FNV-1a over the text without digits */
    for (size_t k = 0; k < p->len; k++) {
      unsigned char ch = (unsigned char)x->text.data[p->off + k];
      if (ch >= '0' && ch <= '9') continue;
      h = (h ^ ch) * 1099511628211ull;
    }
    c[nc++] = (cand){h, i};
  }
  qsort(c, nc, sizeof *c, cmp_cand);
  for (size_t i = 0; i < nc;) {
    size_t j = i, pages = 0;
    int prev_page = 0;
    for (; j < nc && c[j].key == c[i].key; j++) {
      int pg = x->blocks[c[j].block].page;
      if (pg != prev_page) pages++, prev_page = pg;
    }
    if (pages >= 3 && pages * 2 >= (size_t)npages)
      for (size_t k = i; k < j; k++) x->blocks[c[k].block].drop = 1;
    i = j;
  }
  free(c);
  return SV4_OK;
}

static int cmp_desc(const void *a, const void *b) { return *(const int *)b - *(const int *)a; }

/* Second pass: body size = the most common; larger sizes on short blocks are headings, ranked by size. */
static sv4_rc emit(pdfx *x) {
  int body = 0, sizes[SIZE_SLOTS], nsizes = 0, title_size = 0;
  sv4_rc rc = SV4_OK;
  for (int i = 1; i < SIZE_SLOTS; i++)
    if (x->hist[i] > x->hist[body]) body = i;
  int min_head = body + (body * 15 + 99) / 100; /* >= 15 % larger than the body text */
  if (min_head <= body) min_head = body + 1;
  for (size_t i = 0; i < x->n; i++) {
    pblock *p = &x->blocks[i];
    if (p->drop || p->size2 < min_head || p->len > 300 || p->lines > 4) continue;
    int seen = 0;
    for (int k = 0; k < nsizes && !seen; k++) seen = sizes[k] == p->size2;
    if (!seen) sizes[nsizes++] = p->size2;
  }
  qsort(sizes, (size_t)nsizes, sizeof sizes[0], cmp_desc);
  if (nsizes > 1) { /* the largest size, used once and on page 1, is the document title */
    size_t uses = 0, at = 0;
    for (size_t i = 0; i < x->n; i++)
      if (!x->blocks[i].drop && x->blocks[i].size2 == sizes[0]) uses++, at = i;
    if (uses == 1 && x->blocks[at].page == 1) title_size = sizes[0];
  }
  for (size_t i = 0; i < x->n && !rc; i++) {
    pblock *p = &x->blocks[i];
    sv4_block_kind kind = SV4_BLOCK_PARAGRAPH;
    int level = 0;
    if (p->drop) continue;
    if (p->size2 >= min_head && p->len <= 300 && p->lines <= 4) {
      if (title_size && p->size2 == title_size) {
        kind = SV4_BLOCK_TITLE;
      } else {
        kind = SV4_BLOCK_HEADING;
        for (int k = title_size ? 1 : 0; k < nsizes; k++)
          if (sizes[k] == p->size2) level = k + (title_size ? 0 : 1);
      }
    }
    rc = sv4__builder_begin(x->b, kind, level, p->page);
    if (!rc) rc = sv4__builder_text(x->b, x->text.data + p->off, p->len);
    if (!rc) rc = sv4__builder_end(x->b);
  }
  return rc;
}

static int ends_with_eof(const unsigned char *d, size_t len) {
  size_t tail = len < 1024 ? len : 1024;
  return memmem(d + len - tail, tail, "%%EOF", 5) != NULL;
}

/* The fz_try blocks live in small functions so no local of the caller is modified between setjmp and longjmp. */
static int open_pdf(fz_context *ctx, const void *data, size_t len, fz_stream **stm_out, pdf_document **pdf_out,
                    int *npages, char *msg, size_t msgsize) {
  fz_stream *volatile stm = NULL;
  pdf_document *volatile pdf = NULL;
  volatile int failed = 0;
  fz_try(ctx) {
    stm = fz_open_memory(ctx, data, len);
    pdf = pdf_open_document_with_stream(ctx, stm);
    *npages = fz_count_pages(ctx, &pdf->super);
  }
  fz_catch(ctx) {
    failed = 1;
    snprintf(msg, msgsize, "%s", fz_caught_message(ctx));
  }
  *stm_out = stm;
  *pdf_out = pdf;
  return failed;
}

static void try_metadata(fz_context *ctx, pdf_document *pdf, sv4__builder *b) {
  fz_try(ctx) { metadata(ctx, &pdf->super, pdf, b); }
  fz_catch(ctx) { /* metadata is optional */
  }
}

static int page_text(fz_context *ctx, pdf_document *pdf, int i, pdfx *x, char *msg, size_t msgsize) {
  fz_page *volatile page = NULL;
  fz_stext_page *volatile sp = NULL;
  volatile int failed = 0;
  fz_try(ctx) {
    fz_stext_options opts = {0};
    page = fz_load_page(ctx, &pdf->super, i);
    sp = fz_new_stext_page_from_page(ctx, page, &opts);
    take_page(x, sp, i + 1);
  }
  fz_always(ctx) {
    fz_drop_stext_page(ctx, sp);
    fz_drop_page(ctx, page);
  }
  fz_catch(ctx) {
    failed = 1;
    snprintf(msg, msgsize, "page %d: %s", i + 1, fz_caught_message(ctx));
  }
  return failed;
}

static void close_pdf(fz_context *ctx, pdf_document *pdf, fz_stream *stm) {
  fz_try(ctx) {
    pdf_drop_document(ctx, pdf);
    fz_drop_stream(ctx, stm);
  }
  fz_catch(ctx) {}
}

sv4_rc sv4__ingest_pdf(const void *data, size_t len, sv4__builder *b, sv4_error *err) {
  fz_context *ctx = NULL;
  fz_stream *stm = NULL;
  pdf_document *pdf = NULL;
  pdfx x;
  sv4_rc rc = SV4_OK;
  int npages = 0, failed = 0;
  char msg[256] = "";
  memset(&x, 0, sizeof x);
  x.b = b;
  sv4_buf_init(&x.text, SV4_MAX_TEXT_BYTES);

  ctx = fz_new_context(NULL, NULL, PDF_STORE_BYTES);
  if (!ctx) return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory (MuPDF context)", b->name);
  fz_set_warning_callback(ctx, quiet, NULL);
  fz_set_error_callback(ctx, quiet, NULL);

  failed = open_pdf(ctx, data, len, &stm, &pdf, &npages, msg, sizeof msg);
  if (failed) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: truncated or damaged PDF: %s", b->name, msg);
    goto done;
  }
  if (fz_needs_password(ctx, &pdf->super) && !fz_authenticate_password(ctx, &pdf->super, "")) {
    rc = sv4_error_set(err, SV4_ERR_UNSUPPORTED, "%s: the PDF is password-protected (not supported)", b->name);
    goto done;
  }
  if (npages <= 0) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: truncated or damaged PDF: no pages found", b->name);
    goto done;
  }
  if ((unsigned)npages > SV4_MAX_PDF_PAGES) {
    rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: the PDF has %d pages, more than the limit of %u", b->name, npages,
                       (unsigned)SV4_MAX_PDF_PAGES);
    goto done;
  }
  if (pdf_was_repaired(ctx, pdf) && !ends_with_eof(data, len)) {
    rc = sv4_error_set(err, SV4_ERR_PARSE,
                       "%s: truncated or damaged PDF: the file ends without %%%%EOF and its "
                       "cross-reference table is broken (truncated upload?)",
                       b->name);
    goto done;
  }
  try_metadata(ctx, pdf, b);
  b->doc->pages = npages;

  for (int i = 0; i < npages && !x.rc && !failed; i++) failed = page_text(ctx, pdf, i, &x, msg, sizeof msg);
  if (failed) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: truncated or damaged PDF: %s", b->name, msg);
    goto done;
  }
  if (x.rc) {
    rc = sv4__builder_fail(b, x.rc, err);
    goto done;
  }
  if (x.n == 0 && pdf_was_repaired(ctx, pdf)) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: truncated or damaged PDF: repaired, but no text recovered", b->name);
    goto done;
  }
  if ((rc = drop_running(&x, npages)) || (rc = emit(&x))) rc = sv4__builder_fail(b, rc, err);
done:
  if (ctx) {
    close_pdf(ctx, pdf, stm);
    fz_drop_context(ctx);
  }
  sv4_buf_free(&x.text);
  free(x.blocks);
  return rc;
}
