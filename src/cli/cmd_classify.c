/* cmd_classify.c — `smartv4 classify`: documents (any importable format) or JSON Lines against the SDGs, the
 * Green Deal, the EU Taxonomy and smart-city dimensions, with evidence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

typedef struct cctx {
  sv4_classifier *c;
  sv4_worker *w;
  sv4_classify_opts opts;
  int explain, json;
  sv4_buf out;
  int errors;
  /* progress */
  int tty;
  double t0, last;
  size_t done_bytes, total_bytes;
} cctx;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(cctx *x, int final) {
  if (!x->tty) return;
  double t = now_s();
  if (!final && (t - x->t0 < 1.0 || t - x->last < 0.2)) return;
  if (final && t - x->t0 < 1.0) return;
  x->last = t;
  double mb = (double)x->done_bytes / 1e6, rate = mb / (t - x->t0 > 0 ? t - x->t0 : 1);
  if (x->total_bytes) {
    int pct = (int)(100.0 * (double)x->done_bytes / (double)x->total_bytes);
    if (pct > 100) pct = 100;
    char bar[31];
    int k = pct * 30 / 100;
    for (int i = 0; i < 30; i++) bar[i] = i < k ? '#' : ' ';
    bar[30] = 0;
    fprintf(stderr, "\r[%s] %3d%% %.1f MB, %.1f MB/s", bar, pct, mb, rate);
  } else {
    fprintf(stderr, "\r%.1f MB, %.1f MB/s", mb, rate);
  }
  if (final) fputc('\n', stderr);
}

static void flush_out(cctx *x, int force) {
  if (x->out.len && (force || x->out.len > (1u << 20))) {
    fwrite(x->out.data, 1, x->out.len, stdout);
    sv4_buf_reset(&x->out);
  }
}

static void put_error_line(cctx *x, const char *id, size_t id_len, size_t line, const char *msg) {
  sv4_buf_puts(&x->out, "{\"id\":");
  if (id) {
    sv4_buf_putc(&x->out, '"');
    sv4_buf_json_escape(&x->out, id, id_len);
    sv4_buf_putc(&x->out, '"');
  } else {
    sv4_buf_puts(&x->out, "null");
  }
  sv4_buf_printf(&x->out, ",\"line\":%zu,\"error\":\"", line);
  sv4_buf_json_escape(&x->out, msg, strlen(msg));
  sv4_buf_puts(&x->out, "\"}\n");
  x->errors++;
}

static void do_line(cctx *x, const char *line, size_t len, size_t lineno, sv4_buf *scratch) {
  sv4_jsonl_rec rec;
  sv4_error err = {0};
  sv4_rc rc = sv4_jsonl_parse(line, len, scratch, &rec, &err);
  if (rc) {
    put_error_line(x, rec.id_present ? rec.id : NULL, rec.id_len, lineno, err.msg);
    return;
  }
  sv4_classify_opts o = x->opts;
  if (rec.lang && rec.lang_len) {
    char code[8] = {0};
    if (rec.lang_len < sizeof code) memcpy(code, rec.lang, rec.lang_len);
    /* "auto" and "und" mean: identify */
    if (!strcmp(code, "auto") || !strcmp(code, "und")) {
      o.lang = x->opts.lang;
    } else {
      o.lang = sv4_lang_from_code(code);
      if (o.lang == SV4_LANG_UNKNOWN) {
        char m[96];
        snprintf(m, sizeof m, "unsupported language \"%.*s\" (en, pl, cs, sk, hu)", (int)(rec.lang_len > 16 ? 16 : rec.lang_len),
                 rec.lang);
        put_error_line(x, rec.id_present ? rec.id : NULL, rec.id_len, lineno, m);
        return;
      }
    }
  }
  sv4_result *r = NULL;
  rc = sv4_classify(x->w, rec.text, rec.text_len, &o, &r, &err);
  if (rc) {
    put_error_line(x, rec.id_present ? rec.id : NULL, rec.id_len, lineno, err.msg[0] ? err.msg : sv4_strerror(rc));
    return;
  }
  sv4_result_to_json(r, rec.id_present ? rec.id : NULL, rec.id_len, 1, &x->out);
  sv4_buf_putc(&x->out, '\n');
  sv4_result_free(r);
}

/* Reads JSON Lines from f in large chunks; lines beyond the limit give an error line and are skipped. */
static int run_jsonl(cctx *x, FILE *f, const char *name) {
  size_t cap = 4u << 20, len = 0, lineno = 0;
  char *buf = malloc(cap);
  sv4_buf scratch;
  sv4_buf_init(&scratch, SV4_MAX_JSONL_LINE_BYTES + 16);
  int skipping = 0;
  if (!buf) return sv4_cli_fail("classify", SV4_ERR_NOMEM, "out of memory");
  for (;;) {
    if (len == cap) {
      if (cap >= SV4_MAX_JSONL_LINE_BYTES + 2) {
        /* the current line is over the limit: report it once, drop what we have, skip to its end */
        if (!skipping) {
          char m[128];
          snprintf(m, sizeof m, "line exceeds the limit of %u bytes", (unsigned)SV4_MAX_JSONL_LINE_BYTES);
          put_error_line(x, NULL, 0, lineno + 1, m);
        }
        skipping = 1;
        len = 0;
      } else {
        size_t nc = cap * 2;
        char *nb = realloc(buf, nc);
        if (!nb) {
          free(buf);
          sv4_buf_free(&scratch);
          return sv4_cli_fail("classify", SV4_ERR_NOMEM, "out of memory");
        }
        buf = nb;
        cap = nc;
      }
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    int eof = got == 0;
    if (eof && ferror(f)) {
      free(buf);
      sv4_buf_free(&scratch);
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
            put_error_line(x, NULL, 0, lineno, m);
          } else {
            do_line(x, buf + start, le - start, lineno, &scratch);
          }
        }
      }
      x->done_bytes += e + 1 - start;
      start = e + 1;
      flush_out(x, 0);
      progress(x, 0);
    }
    if (eof) {
      if (len > start && !skipping) {
        lineno++;
        size_t k = start;
        while (k < len && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\r')) k++;
        if (k < len) do_line(x, buf + start, len - start, lineno, &scratch);
        x->done_bytes += len - start;
      }
      break;
    }
    memmove(buf, buf + start, len - start);
    len -= start;
  }
  free(buf);
  sv4_buf_free(&scratch);
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
    rc = sv4_ingest_memory(in.data ? in.data : "", in.len, "stdin.txt", &d, &err);
    sv4_buf_free(&in);
  } else {
    rc = sv4_ingest_file(path, &d, &err);
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
  x.tty = isatty(2);
  x.t0 = x.last = now_s();
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
  sv4_worker_free(x.w);
  sv4_classifier_free(x.c);
  free(files);
  return ex;
}
