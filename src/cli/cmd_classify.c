/* cmd_classify.c — `smartv4 classify`: documents (any importable format) or JSON Lines against the SDGs, the
 * Green Deal, the EU Taxonomy and smart-city dimensions, with evidence. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "classify/internal.h"
#include "cli/cli.h"
#include "sv4/ingest.h"
#include "sv4/limits.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 classify [--scheme sdg,egd,taxonomy,smartcity] [--lang auto|en|pl|cs|sk|hu] [--explain]\n"
          "                        [--json] [--jsonl] [FILE...|-]\n\n"
          "Classifies documents (PDF, DOCX, ODT, HTML, TXT; '-' reads stdin) and prints each one's profile: the\n"
          "labels per scheme with scores; --explain adds every piece of evidence (matched text, byte offsets, rule).\n"
          "--json prints the profile as one JSON object per file.\n\n"
          "--jsonl reads JSON Lines {\"id\": \"...\", \"text\": \"...\", \"lang\": \"pl\"} (lang optional) from the files or\n"
          "stdin and writes one line per input, in order:\n"
          "  {\"id\":..,\"lang\":\"pl\",\"sdg\":[7,13],\"egd\":[\"energy\"],\"taxonomy\":[\"ccm\"],\"smartcity\":[..],\n"
          "   \"labels\":[{\"scheme\":\"sdg\",\"code\":\"7\",\"targets\":[\"7.2\"],\"score\":0.91,\n"
          "   \"evidence\":[{\"start\":10,\"end\":24,\"match\":\"...\",\"rule\":\"...\"}]}],\"version\":\"...\"}\n"
          "An invalid line gives {\"id\":..,\"line\":N,\"error\":\"...\"} on its output line; the exit code is then 1.\n\n"
          "--lang sets the language of texts that do not give one (default: identified per text).\n"
          "--no-cache compiles the rule database instead of loading the cached one.\n"
          "exit codes: 0 ok, 1 runtime error or invalid input, 2 usage error\n");
}

/* JSON Lines are classified in batches: parsed in input order, classified grouped by language (one language's
 * database and rule tables stay in the processor's caches from one text to the next, where a mixed stream would
 * evict them at every line), written in input order. */
#define BATCH_LINES 256

/* One line of a batch: what is needed to classify it, and where its output line is in the batch output. */
typedef struct bline {
  const char *line;
  size_t len, lineno;
  sv4_jsonl_rec rec;
  sv4_classify_opts o;
  int ready;         /* parsed: to classify */
  size_t out0, outn; /* its output line: bout[out0 .. out0 + outn) */
  sv4_buf scratch;   /* the line's decoded strings */
} bline;

typedef struct cctx {
  sv4_classifier *c;
  sv4_worker *w;
  sv4_classify_opts opts;
  int explain, json;
  sv4_buf out;
  int errors;
  /* the batch of JSON Lines */
  bline batch[BATCH_LINES];
  size_t nbatch;
  sv4_buf bout;
  int write_failed; /* standard output cannot be written: the rest is dropped (as fwrite would) */
  /* progress */
  sv4_progress bar;
  size_t done_bytes, total_bytes;
} cctx;

static void progress(cctx *x, int final) {
  if (final) sv4_progress_end(&x->bar);
  else sv4_progress_update(&x->bar, x->done_bytes, x->total_bytes, 1);
}

static void flush_out(cctx *x, int force) {
  if (x->out.len && (force || x->out.len > (1u << 20))) {
    fwrite(x->out.data, 1, x->out.len, stdout);
    sv4_buf_reset(&x->out);
  }
}

static void put_error_line(cctx *x, sv4_buf *out, const char *id, size_t id_len, size_t line, const char *msg) {
  sv4_buf_puts(out, "{\"id\":");
  if (id) {
    sv4_buf_putc(out, '"');
    sv4_buf_json_escape(out, id, id_len);
    sv4_buf_putc(out, '"');
  } else {
    sv4_buf_puts(out, "null");
  }
  sv4_buf_printf(out, ",\"line\":%zu,\"error\":\"", line);
  sv4_buf_json_escape(out, msg, strlen(msg));
  sv4_buf_puts(out, "\"}\n");
  x->errors++;
}

/* Parses a line into its batch slot b: ready to classify, or its error line written. */
static void parse_line(cctx *x, bline *b) {
  sv4_error err = {0};
  b->ready = 0;
  b->out0 = x->bout.len;
  sv4_rc rc = sv4_jsonl_parse(b->line, b->len, &b->scratch, &b->rec, &err);
  const sv4_jsonl_rec *rec = &b->rec;
  if (rc) {
    put_error_line(x, &x->bout, rec->id_present ? rec->id : NULL, rec->id_len, b->lineno, err.msg);
    b->outn = x->bout.len - b->out0;
    return;
  }
  b->o = x->opts;
  if (rec->lang && rec->lang_len) {
    char code[8] = {0};
    if (rec->lang_len < sizeof code) memcpy(code, rec->lang, rec->lang_len);
    /* "auto" and "und" mean: identify */
    if (!strcmp(code, "auto") || !strcmp(code, "und")) {
      b->o.lang = x->opts.lang;
    } else {
      b->o.lang = sv4_lang_from_code(code);
      if (b->o.lang == SV4_LANG_UNKNOWN) {
        char m[96];
        snprintf(m, sizeof m, "unsupported language \"%.*s\" (en, pl, cs, sk, hu)",
                 (int)(rec->lang_len > 16 ? 16 : rec->lang_len), rec->lang);
        put_error_line(x, &x->bout, rec->id_present ? rec->id : NULL, rec->id_len, b->lineno, m);
        b->outn = x->bout.len - b->out0;
        return;
      }
    }
  }
  b->outn = 0;
  b->ready = 1;
}

/* Classifies a parsed line and writes its output line. */
static void classify_line(cctx *x, bline *b) {
  sv4_error err = {0};
  const sv4_jsonl_rec *rec = &b->rec;
  const sv4_result *r = NULL;
  b->out0 = x->bout.len;
  sv4_rc rc = sv4__classify_view(x->w, rec->text, rec->text_len, &b->o, &r, &err);
  if (rc) {
    put_error_line(x, &x->bout, rec->id_present ? rec->id : NULL, rec->id_len, b->lineno,
                   err.msg[0] ? err.msg : sv4_strerror(rc));
  } else {
    sv4_result_to_json(r, rec->id_present ? rec->id : NULL, rec->id_len, 1, &x->bout);
    sv4_buf_putc(&x->bout, '\n');
  }
  b->outn = x->bout.len - b->out0;
}

/* Writes iov[0..n) to standard output, all of it (or up to an error). */
static void write_all(cctx *x, struct iovec *iov, int n) {
  while (n > 0 && !x->write_failed) {
    ssize_t k = writev(STDOUT_FILENO, iov, n);
    if (k < 0) {
      if (errno != EINTR) x->write_failed = 1;
      continue;
    }
    while (n > 0 && (size_t)k >= iov->iov_len) {
      k -= (ssize_t)iov->iov_len;
      iov++;
      n--;
    }
    if (n > 0) {
      iov->iov_base = (char *)iov->iov_base + k;
      iov->iov_len -= (size_t)k;
    }
  }
}

/* Classifies the batch, one language after the other (in input order within one), and writes its output lines in
 * input order straight from the batch output (a line that follows the one before there joins its piece). */
static void run_batch(cctx *x) {
  for (int lang = 0; lang < SV4_LANG_COUNT; lang++)
    for (size_t i = 0; i < x->nbatch; i++) {
      bline *b = &x->batch[i];
      int l = b->o.lang > SV4_LANG_UNKNOWN && b->o.lang < SV4_LANG_COUNT ? (int)b->o.lang : 0;
      if (b->ready && l == lang) classify_line(x, b);
    }
  struct iovec iov[64];
  int n = 0;
  fflush(stdout);
  for (size_t i = 0; i < x->nbatch; i++) {
    const bline *b = &x->batch[i];
    char *p = x->bout.data + b->out0;
    if (!b->outn) continue;
    if (n && (char *)iov[n - 1].iov_base + iov[n - 1].iov_len == p) {
      iov[n - 1].iov_len += b->outn;
      continue;
    }
    if (n == 64) {
      write_all(x, iov, n);
      n = 0;
    }
    iov[n].iov_base = p;
    iov[n++].iov_len = b->outn;
  }
  write_all(x, iov, n);
  x->nbatch = 0;
  sv4_buf_reset(&x->bout);
}

/* Adds a line (or, when line is NULL, the error msg for line lineno) to the batch; runs the batch when full. */
static void batch_add(cctx *x, const char *line, size_t len, size_t lineno, const char *msg) {
  bline *b = &x->batch[x->nbatch++];
  b->line = line;
  b->len = len;
  b->lineno = lineno;
  if (line) {
    parse_line(x, b);
  } else {
    b->ready = 0;
    b->out0 = x->bout.len;
    put_error_line(x, &x->bout, NULL, 0, lineno, msg);
    b->outn = x->bout.len - b->out0;
  }
  if (x->nbatch == BATCH_LINES) run_batch(x);
}

/* Reads JSON Lines from f in large chunks; lines beyond the limit give an error line and are skipped. */
static int run_jsonl(cctx *x, FILE *f, const char *name) {
  size_t cap = 4u << 20, len = 0, lineno = 0;
  char *buf = malloc(cap);
  int skipping = 0;
  if (!buf) return sv4_cli_fail("classify", SV4_ERR_NOMEM, "out of memory");
  for (;;) {
    if (len == cap) {
      if (cap >= SV4_MAX_JSONL_LINE_BYTES + 2) {
        /* the current line is over the limit: report it once, drop what we have, skip to its end */
        if (!skipping) {
          char m[128];
          snprintf(m, sizeof m, "line exceeds the limit of %u bytes", (unsigned)SV4_MAX_JSONL_LINE_BYTES);
          batch_add(x, NULL, 0, lineno + 1, m);
        }
        skipping = 1;
        len = 0;
      } else {
        size_t nc = cap * 2;
        char *nb = realloc(buf, nc);
        if (!nb) {
          free(buf);
          return sv4_cli_fail("classify", SV4_ERR_NOMEM, "out of memory");
        }
        buf = nb;
        cap = nc;
      }
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    int eof = got == 0;
    if (eof && ferror(f)) {
      run_batch(x);
      free(buf);
      return sv4_cli_fail("classify", SV4_ERR_IO, "%s: read error", name);
    }
    size_t scan_from = len;
    len += got;
    size_t start = 0;
    (void)scan_from;
    for (;;) {
      char *nl = memchr(buf + start, '\n', len - start);
      if (!nl) break;
      size_t e = (size_t)(nl - buf);
      lineno++;
      if (skipping) {
        skipping = 0;
      } else {
        size_t le = e;
        if (le > start && buf[le - 1] == '\r') le--;
        /* blank lines are skipped silently */
        size_t k = start;
        while (k < le && (buf[k] == ' ' || buf[k] == '\t')) k++;
        if (k < le) {
          if (le - start > SV4_MAX_JSONL_LINE_BYTES) {
            char m[128];
            snprintf(m, sizeof m, "line exceeds the limit of %u bytes", (unsigned)SV4_MAX_JSONL_LINE_BYTES);
            batch_add(x, NULL, 0, lineno, m);
          } else {
            batch_add(x, buf + start, le - start, lineno, NULL);
          }
        }
      }
      x->done_bytes += e + 1 - start;
      start = e + 1;
      progress(x, 0);
    }
    if (eof) {
      if (len > start && !skipping) {
        lineno++;
        size_t k = start;
        while (k < len && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\r')) k++;
        if (k < len) batch_add(x, buf + start, len - start, lineno, NULL);
        x->done_bytes += len - start;
      }
      run_batch(x);
      break;
    }
    /* the batch points into buf: run it before the unread rest moves */
    run_batch(x);
    memmove(buf, buf + start, len - start);
    len -= start;
  }
  free(buf);
  flush_out(x, 1);
  return 0;
}

static void print_profile(cctx *x, const char *name, const sv4_document *d, const char *text, size_t len,
                          const sv4_result *r) {
  const sv4_taxonomy *t = sv4_classifier_taxonomy(x->c);
  printf("%s: %s, %zu bytes, %zu paragraph(s), language %s\n", name, d ? sv4_format_name(d->format) : "txt", len,
         r->nparagraphs, sv4_lang_code(r->lang));
  if (!r->nlabels) printf("  no labels\n");
  for (size_t i = 0; i < r->nlabels; i++) {
    const sv4_label *l = &r->labels[i];
    const sv4_concept *k = sv4_taxonomy_find(t, l->scheme, l->code);
    const char *title = k ? (k->title[r->lang] ? k->title[r->lang] : k->title[SV4_LANG_EN]) : NULL;
    printf("  %-9s %-8s %.2f  %s", sv4_scheme_name(l->scheme), l->code, l->score, title ? title : "");
    if (l->ntargets) {
      printf("  [targets");
      for (size_t j = 0; j < l->ntargets; j++) printf(" %s", l->targets[j]);
      printf("]");
    }
    printf("  (%zu paragraph(s))\n", l->paragraphs);
    if (!x->explain) continue;
    for (size_t e = 0; e < l->nevidence; e++) {
      const sv4_evidence *v = &l->evidence[e];
      printf("      \"%s\"  [%zu-%zu] %s -> %s, weight %g, paragraph %zu\n", v->match, v->start, v->end, v->rule,
             v->code, v->weight, v->paragraph + 1);
    }
  }
  (void)text;
  printf("  version: %s\n", r->version);
}

static int run_file(cctx *x, const char *path) {
  sv4_error err = {0};
  sv4_document *d = NULL;
  char *data = NULL;
  const char *text;
  size_t len;
  sv4_rc rc;
  if (!strcmp(path, "-")) {
    sv4_buf in;
    sv4_buf_init(&in, SV4_MAX_UPLOAD_BYTES);
    char tmp[65536];
    size_t n;
    rc = SV4_OK;
    while (!rc && (n = fread(tmp, 1, sizeof tmp, stdin)) > 0) rc = sv4_buf_append(&in, tmp, n);
    if (rc) {
      sv4_buf_free(&in);
      x->errors++;
      return sv4_cli_fail("classify", rc, "stdin: %s", sv4_strerror(rc));
    }
    rc = sv4_cli_ingest_memory(in.data ? in.data : "", in.len, "stdin.txt", &d, &err);
    sv4_buf_free(&in);
  } else {
    rc = sv4_cli_ingest_file(path, &d, &err);
  }
  if (rc) {
    x->errors++;
    sv4_cli_fail("classify", rc, "%s", err.msg[0] ? err.msg : sv4_strerror(rc));
    return 1;
  }
  text = d->text;
  len = d->len;
  sv4_classify_opts o = x->opts;
  if (o.lang == SV4_LANG_UNKNOWN && d->lang_hint) {
    char code[3] = {d->lang_hint[0], d->lang_hint[0] ? d->lang_hint[1] : 0, 0};
    o.lang = sv4_lang_from_code(code);
  }
  sv4_result *r = NULL;
  rc = sv4_classify(x->w, text, len, &o, &r, &err);
  if (rc) {
    x->errors++;
    sv4_cli_fail("classify", rc, "%s: %s", path, err.msg[0] ? err.msg : sv4_strerror(rc));
    sv4_document_free(d);
    free(data);
    return 1;
  }
  if (x->json) {
    sv4_buf_reset(&x->out);
    sv4_result_to_json(r, path, strlen(path), x->explain, &x->out);
    sv4_buf_putc(&x->out, '\n');
    flush_out(x, 1);
  } else {
    print_profile(x, path, d, text, len, r);
  }
  sv4_result_free(r);
  sv4_document_free(d);
  free(data);
  return 0;
}

int sv4_cmd_classify(int argc, char **argv) {
  cctx x;
  memset(&x, 0, sizeof x);
  int jsonl = 0, no_cache = 0, nfiles = 0;
  char **files = calloc((size_t)argc + 1, sizeof *files);
  sv4_error err = {0};
  int ex = 0;
  if (!files) return sv4_cli_fail("classify", SV4_ERR_NOMEM, "out of memory");
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (sv4_cli_is_help(a)) {
      usage(stdout);
      free(files);
      return 0;
    } else if (!strcmp(a, "--scheme") || !strncmp(a, "--scheme=", 9)) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || sv4_scheme_mask_parse(v, &x.opts.schemes, &err)) {
        free(files);
        return sv4_cli_fail("classify", SV4_ERR_USAGE, "%s", v ? err.msg : "--scheme needs a list");
      }
    } else if (!strcmp(a, "--lang") || !strncmp(a, "--lang=", 7)) {
      const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v) {
        free(files);
        return sv4_cli_fail("classify", SV4_ERR_USAGE, "--lang needs auto|en|pl|cs|sk|hu");
      }
      if (strcmp(v, "auto")) {
        x.opts.lang = sv4_lang_from_code(v);
        if (x.opts.lang == SV4_LANG_UNKNOWN) {
          free(files);
          return sv4_cli_fail("classify", SV4_ERR_USAGE, "unknown language '%s' (auto, en, pl, cs, sk, hu)", v);
        }
      }
    } else if (!strcmp(a, "--explain")) {
      x.explain = 1;
    } else if (!strcmp(a, "--jsonl")) {
      jsonl = 1;
    } else if (!strcmp(a, "--json")) {
      x.json = 1;
    } else if (!strcmp(a, "--no-cache")) {
      no_cache = 1;
    } else if (a[0] == '-' && a[1]) {
      free(files);
      fprintf(stderr, "smartv4 classify: unknown option '%s'\n", a);
      usage(stderr);
      return 2;
    } else {
      files[nfiles++] = argv[i];
    }
  }
  if (!jsonl && !nfiles) {
    free(files);
    usage(stderr);
    return 2;
  }
  for (int i = 0; i < nfiles && !jsonl; i++)
    if ((ex = sv4_cli_route_document(files[i]))) {
      free(files);
      return ex;
    }
  sv4_classifier_opts co = {0};
  co.no_cache = no_cache;
  sv4_rc rc = sv4_classifier_load(&co, &x.c, &err);
  if (rc) {
    free(files);
    fprintf(stderr, "smartv4 classify: %s\n", err.msg[0] ? err.msg : sv4_strerror(rc));
    return 1;
  }
  rc = sv4_worker_new(x.c, &x.w, &err);
  if (rc) {
    sv4_classifier_free(x.c);
    free(files);
    return sv4_cli_fail("classify", rc, "%s", err.msg);
  }
  sv4_buf_init(&x.out, 0);
  sv4_buf_init(&x.bout, 0);
  for (size_t i = 0; i < BATCH_LINES; i++) sv4_buf_init(&x.batch[i].scratch, SV4_MAX_JSONL_LINE_BYTES + 16);
  sv4_progress_start(&x.bar, "classify");
  if (jsonl) {
    if (!nfiles) {
      ex = run_jsonl(&x, stdin, "stdin");
    } else {
      for (int i = 0; i < nfiles && !ex; i++) {
        FILE *f = !strcmp(files[i], "-") ? stdin : fopen(files[i], "rb");
        if (!f) {
          ex = sv4_cli_fail("classify", SV4_ERR_IO, "%s: cannot open", files[i]);
          break;
        }
        if (f != stdin) {
          fseek(f, 0, SEEK_END);
          long sz = ftell(f);
          fseek(f, 0, SEEK_SET);
          if (sz > 0) x.total_bytes += (size_t)sz;
        }
        ex = run_jsonl(&x, f, files[i]);
        if (f != stdin) fclose(f);
      }
    }
    progress(&x, 1);
  } else {
    for (int i = 0; i < nfiles; i++) run_file(&x, files[i]);
  }
  if (!ex && x.errors) ex = 1;
  fflush(stdout);
  sv4_buf_free(&x.out);
  sv4_buf_free(&x.bout);
  for (size_t i = 0; i < BATCH_LINES; i++) sv4_buf_free(&x.batch[i].scratch);
  sv4_worker_free(x.w);
  sv4_classifier_free(x.c);
  free(files);
  return ex;
}
