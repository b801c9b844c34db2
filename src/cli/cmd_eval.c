/* cmd_eval.c — `smartv4 eval --scheme SCHEME FILE.csv [--json]`: scores the classifier on a labelled CSV with columns
 * id,text,<scheme>,label (a row is predicted True when its code is among the codes assigned to its text). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sv4/classify.h"
#include "sv4/csv.h"
#include "sv4/limits.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 eval --scheme sdg|egd|taxonomy|smartcity FILE.csv [--lang auto|en|pl|cs|sk|hu]\n"
          "                    [--rules-only] [--json]\n\n"
          "Scores the classifier on a CSV with columns id,text,sdg,label (label True/False: whether the text is\n"
          "about goal sdg, 1..17). For the other schemes the code column is named after the scheme and holds one of\n"
          "its codes: id,text,egd,label with egd = climate, energy, circular, buildings, mobility, food,\n"
          "biodiversity or pollution; taxonomy = ccm, cca, water, ce, ppc, bio; smartcity = economy, people,\n"
          "governance, mobility, environment, living. A row is predicted True when its code is among the codes\n"
          "(SDG: goals) assigned to its text.\n"
          "Prints a per-code table (rows, TP, FP, FN, TN, precision, recall, F1) and micro precision, recall, F1\n"
          "and accuracy; --json prints the same as one JSON object. --rules-only leaves the statistical model out\n"
          "(docs/rules.md \"The model\"), to see what each half of the procedure contributes.\n"
          "exit codes: 0 ok, 1 runtime error or malformed CSV, 2 usage error\n");
}

typedef struct counts {
  size_t tp, fp, fn, tn;
} counts;

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }
static double f1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

int sv4_cmd_eval(int argc, char **argv) {
  const char *file = NULL, *scheme = NULL;
  int json = 0, rules_only = 0;
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
    } else if (!strcmp(argv[i], "--rules-only")) {
      rules_only = 1;
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
  int sch = sv4_scheme_from_name(scheme);
  if (sch < 0) return sv4_cli_fail("eval", SV4_ERR_USAGE, "unknown scheme '%s' (sdg, egd, taxonomy, smartcity)", scheme);
  int is_sdg = sch == SV4_SCHEME_SDG;
  sv4_error err = {0};
  char *data = NULL;
  size_t len = 0, nf;
  sv4_classifier *c = NULL;
  sv4_worker *w = NULL;
  sv4_csv *csv = NULL;
  const char **codes = NULL; /* the scheme's codes (SDG: goals), canonical order */
  counts *per = NULL;
  size_t ncodes = 0;
  int ex = 0;
  sv4_rc rc = sv4_read_file(file, SV4_MAX_UPLOAD_BYTES, &data, &len, &err);
  if (rc) return sv4_cli_fail("eval", rc, "%s", err.msg);
  rc = sv4_classifier_load(NULL, &c, &err);
  if (!rc) rc = sv4_worker_new(c, &w, &err);
  if (rc) {
    ex = sv4_cli_fail("eval", rc, "%s", err.msg);
    goto done;
  }
  const sv4_concept *const *list = NULL;
  size_t nlist = sv4_taxonomy_list(sv4_classifier_taxonomy(c), (sv4_scheme)sch, &list);
  codes = calloc(nlist + 1, sizeof *codes);
  per = calloc(nlist + 1, sizeof *per);
  if (!codes || !per) {
    ex = sv4_cli_fail("eval", SV4_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < nlist; i++)
    if (!list[i]->parent) codes[ncodes++] = list[i]->code;
  csv = sv4_csv_open(data, len, ',', file);
  if (!csv || sv4_csv_next(csv, &nf, &err)) {
    ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s: no header", file);
    goto done;
  }
  int ct = sv4_csv_column(csv, "text"), cc = sv4_csv_column(csv, scheme), cl = sv4_csv_column(csv, "label");
  if (ct < 0 || cc < 0 || cl < 0) {
    ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s:1: expected columns id,text,%s,label", file, scheme);
    goto done;
  }
  size_t rows = 0;
  while ((rc = sv4_csv_next(csv, &nf, &err)) == SV4_OK) {
    const char *text = sv4_csv_field(csv, (size_t)ct), *lab = sv4_csv_field(csv, (size_t)cl);
    const char *code = sv4_csv_field(csv, (size_t)cc);
    char goal[8];
    if (is_sdg) { /* "7", also " 7" or "07" */
      int g = atoi(code);
      snprintf(goal, sizeof goal, "%d", g);
      code = goal;
    }
    size_t k = 0;
    while (k < ncodes && strcmp(codes[k], code)) k++;
    if (k == ncodes) {
      if (is_sdg) ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s:%zu: sdg must be 1..17", file, sv4_csv_line(csv));
      else
        ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s:%zu: unknown %s code '%s'", file, sv4_csv_line(csv), scheme,
                          sv4_csv_field(csv, (size_t)cc));
      goto done;
    }
    int truth = !strcasecmp(lab, "true") || !strcmp(lab, "1");
    sv4_classify_opts o = {.schemes = 1u << sch, .lang = lang, .rules_only = rules_only};
    sv4_result *r = NULL;
    if (sv4_classify(w, text, sv4_csv_field_len(csv, (size_t)ct), &o, &r, &err)) {
      ex = sv4_cli_fail("eval", SV4_ERR_PARSE, "%s:%zu: %s", file, sv4_csv_line(csv), err.msg);
      goto done;
    }
    int pred = 0;
    for (size_t i = 0; i < r->nlabels; i++)
      if ((int)r->labels[i].scheme == sch && !strcmp(r->labels[i].code, codes[k])) pred = 1;
    sv4_result_free(r);
    counts *q = &per[k];
    if (pred && truth) q->tp++;
    else if (pred) q->fp++;
    else if (truth) q->fn++;
    else q->tn++;
    rows++;
  }
  if (rc != SV4_ERR_NOTFOUND) {
    ex = sv4_cli_fail("eval", rc, "%s", err.msg);
    goto done;
  }
  counts all = {0, 0, 0, 0};
  for (size_t g = 0; g < ncodes; g++) {
    all.tp += per[g].tp;
    all.fp += per[g].fp;
    all.fn += per[g].fn;
    all.tn += per[g].tn;
  }
  double P = ratio(all.tp, all.tp + all.fp), R = ratio(all.tp, all.tp + all.fn), F = f1(P, R),
         A = ratio(all.tp + all.tn, rows);
  if (json) {
    printf("{\"scheme\":\"%s\",\"rows\":%zu,\"micro\":{\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,\"accuracy\":%.4f,"
           "\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,\"tn\":%zu},\"%s\":[",
           scheme, rows, P, R, F, A, all.tp, all.fp, all.fn, all.tn, is_sdg ? "goals" : "codes");
    int first = 1;
    for (size_t g = 0; g < ncodes; g++) {
      counts *q = &per[g];
      size_t n = q->tp + q->fp + q->fn + q->tn;
      if (!n) continue;
      double p = ratio(q->tp, q->tp + q->fp), r = ratio(q->tp, q->tp + q->fn);
      if (is_sdg) printf("%s{\"sdg\":%s,", first ? "" : ",", codes[g]);
      else printf("%s{\"%s\":\"%s\",", first ? "" : ",", scheme, codes[g]);
      printf("\"rows\":%zu,\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,\"tn\":%zu,\"precision\":%.4f,\"recall\":%.4f,"
             "\"f1\":%.4f,\"accuracy\":%.4f}",
             n, q->tp, q->fp, q->fn, q->tn, p, r, f1(p, r), ratio(q->tp + q->tn, n));
      first = 0;
    }
    printf("],\"version\":\"%s\"}\n", sv4_classifier_version(c));
  } else {
    int wc = is_sdg ? 4 : 12; /* first column */
    printf("%-*s %5s %5s %5s %5s %5s %9s %7s %6s %8s\n", wc, scheme, "rows", "TP", "FP", "FN", "TN", "precision",
           "recall", "F1", "accuracy");
    for (size_t g = 0; g < ncodes; g++) {
      counts *q = &per[g];
      size_t n = q->tp + q->fp + q->fn + q->tn;
      if (!n) continue;
      double p = ratio(q->tp, q->tp + q->fp), r = ratio(q->tp, q->tp + q->fn);
      printf("%-*s %5zu %5zu %5zu %5zu %5zu %9.3f %7.3f %6.3f %8.3f\n", wc, codes[g], n, q->tp, q->fp, q->fn, q->tn, p,
             r, f1(p, r), ratio(q->tp + q->tn, n));
    }
    printf("micro %zu rows: precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f\n", rows, P, R, F, A);
    printf("version: %s\n", sv4_classifier_version(c));
  }
done:
  sv4_csv_close(csv);
  sv4_worker_free(w);
  sv4_classifier_free(c);
  free(codes);
  free(per);
  free(data);
  return ex;
}
