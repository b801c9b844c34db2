/* cmd_eval.c — `smartv4 eval --scheme sdg FILE.csv [--json]`: scores the classifier on a labelled CSV with columns
 * id,text,sdg,label (a row is predicted True when its goal is among the goals assigned to its text). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sv4/classify.h"
#include "sv4/csv.h"
#include "sv4/limits.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 eval --scheme sdg FILE.csv [--lang auto|en|pl|cs|sk|hu] [--json]\n\n"
          "Scores the classifier on a CSV with columns id,text,sdg,label (label True/False: whether the text is\n"
          "about goal sdg). A row is predicted True when its goal is among the goals assigned to its text.\n"
          "Prints a per-goal table (rows, TP, FP, FN, TN, precision, recall, F1) and micro precision, recall, F1\n"
          "and accuracy; --json prints the same as one JSON object.\n"
          "exit codes: 0 ok, 1 runtime error or malformed CSV, 2 usage error\n");
}

typedef struct counts {
  size_t tp, fp, fn, tn;
} counts;

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }
static double f1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

int sv4_cmd_eval(int argc, char **argv) {
  const char *file = NULL, *scheme = NULL;
  int json = 0;
  sv4_lang lang = SV4_LANG_UNKNOWN;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--scheme") && i + 1 < argc) {
      scheme = argv[++i];
    } else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
      i++;
      if (strcmp(argv[i], "auto") && (lang = sv4_lang_from_code(argv[i])) == SV4_LANG_UNKNOWN)
        return sv4_cli_fail("eval", SV4_ERR_USAGE, "unknown language '%s'", argv[i]);
    } else if (!strcmp(argv[i], "--json")) {
      json = 1;
    } else if (argv[i][0] == '-' || file) {
      usage(stderr);
      return 2;
    } else {
      file = argv[i];
    }
  }
  if (!file || !scheme) {
    usage(stderr);
    return 2;
  }
  if (strcmp(scheme, "sdg")) return sv4_cli_fail("eval", SV4_ERR_USAGE, "only --scheme sdg has a benchmark format");
  sv4_error err = {0};
  char *data = NULL;
  size_t len = 0, nf;
  sv4_classifier *c = NULL;
  sv4_worker *w = NULL;
  sv4_csv *csv = NULL;
  counts per[18];
  memset(per, 0, sizeof per);
  int ex = 0;
  sv4_rc rc = sv4_read_file(file, SV4_MAX_UPLOAD_BYTES, &data, &len, &err);
  if (rc) return sv4_cli_fail("eval", rc, "%s", err.msg);
  rc = sv4_classifier_load(NULL, &c, &err);
  if (!rc) rc = sv4_worker_new(c, &w, &err);
  if (rc) {
    ex = sv4_cli_fail("eval", rc, "%s", err.msg);
    goto done;
  }
  csv = sv4_csv_open(data, len, ',', file);
  if (!csv || sv4_csv_next(csv, &nf, &err)) {
    ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s: no header", file);
    goto done;
  }
  int ct = sv4_csv_column(csv, "text"), cs = sv4_csv_column(csv, "sdg"), cl = sv4_csv_column(csv, "label");
  if (ct < 0 || cs < 0 || cl < 0) {
    ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s:1: expected columns id,text,sdg,label", file);
    goto done;
  }
  size_t rows = 0;
  while ((rc = sv4_csv_next(csv, &nf, &err)) == SV4_OK) {
    const char *text = sv4_csv_field(csv, (size_t)ct), *lab = sv4_csv_field(csv, (size_t)cl);
    int goal = atoi(sv4_csv_field(csv, (size_t)cs));
    if (goal < 1 || goal > 17) {
      ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s:%zu: sdg must be 1..17", file, sv4_csv_line(csv));
      goto done;
    }
    int truth = !strcasecmp(lab, "true") || !strcmp(lab, "1");
    sv4_classify_opts o = {1u << SV4_SCHEME_SDG, lang, 0};
    sv4_result *r = NULL;
    if (sv4_classify(w, text, sv4_csv_field_len(csv, (size_t)ct), &o, &r, &err)) {
      ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s:%zu: %s", file, sv4_csv_line(csv), err.msg);
      goto done;
    }
    int pred = 0;
    for (size_t i = 0; i < r->nlabels; i++)
      if (r->labels[i].scheme == SV4_SCHEME_SDG && atoi(r->labels[i].code) == goal) pred = 1;
    sv4_result_free(r);
    counts *k = &per[goal];
    if (pred && truth) k->tp++;
    else if (pred) k->fp++;
    else if (truth) k->fn++;
    else k->tn++;
    rows++;
  }
  if (rc != SV4_ERR_NOTFOUND) {
    ex = sv4_cli_fail("eval", rc, "%s", err.msg);
    goto done;
  }
  counts all = {0, 0, 0, 0};
  for (int g = 1; g <= 17; g++) {
    all.tp += per[g].tp;
    all.fp += per[g].fp;
    all.fn += per[g].fn;
    all.tn += per[g].tn;
  }
  double P = ratio(all.tp, all.tp + all.fp), R = ratio(all.tp, all.tp + all.fn), F = f1(P, R),
         A = ratio(all.tp + all.tn, rows);
  if (json) {
    printf("{\"scheme\":\"sdg\",\"rows\":%zu,\"micro\":{\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,\"accuracy\":%.4f,"
           "\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,\"tn\":%zu},\"goals\":[",
           rows, P, R, F, A, all.tp, all.fp, all.fn, all.tn);
    int first = 1;
    for (int g = 1; g <= 17; g++) {
      counts *k = &per[g];
      size_t n = k->tp + k->fp + k->fn + k->tn;
      if (!n) continue;
      double p = ratio(k->tp, k->tp + k->fp), r = ratio(k->tp, k->tp + k->fn);
      printf("%s{\"sdg\":%d,\"rows\":%zu,\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,\"tn\":%zu,\"precision\":%.4f,\"recall\":%.4f,"
             "\"f1\":%.4f,\"accuracy\":%.4f}",
             first ? "" : ",", g, n, k->tp, k->fp, k->fn, k->tn, p, r, f1(p, r), ratio(k->tp + k->tn, n));
      first = 0;
    }
    printf("],\"version\":\"%s\"}\n", sv4_classifier_version(c));
  } else {
    printf("%-4s %5s %5s %5s %5s %5s %9s %7s %6s %8s\n", "sdg", "rows", "TP", "FP", "FN", "TN", "precision", "recall",
           "F1", "accuracy");
    for (int g = 1; g <= 17; g++) {
      counts *k = &per[g];
      size_t n = k->tp + k->fp + k->fn + k->tn;
      if (!n) continue;
      double p = ratio(k->tp, k->tp + k->fp), r = ratio(k->tp, k->tp + k->fn);
      printf("%-4d %5zu %5zu %5zu %5zu %5zu %9.3f %7.3f %6.3f %8.3f\n", g, n, k->tp, k->fp, k->fn, k->tn, p, r, f1(p, r),
             ratio(k->tp + k->tn, n));
    }
    printf("micro %zu rows: precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f\n", rows, P, R, F, A);
    printf("version: %s\n", sv4_classifier_version(c));
  }
done:
  sv4_csv_close(csv);
  sv4_worker_free(w);
  sv4_classifier_free(c);
  free(data);
  return ex;
}
