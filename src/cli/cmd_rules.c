/* cmd_rules.c — `smartv4 rules check|stats|explain CODE`: validate, count and show the rule sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify/internal.h"
#include "cli/cli.h"
#include "sv4/limits.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: smartv4 rules check [--no-cache]\n"
          "       smartv4 rules stats\n"
          "       smartv4 rules explain CODE [--scheme S] [--lang L]\n\n"
          "check    parses every data/rules/**/*.rules file and compiles the pattern database; errors name file:line\n"
          "stats    rules and terms per scheme, language and code; codes of the taxonomy without rules\n"
          "explain  the rules that give evidence for CODE (\"7\", \"7.2\", \"energy\"...), in every language\n\n"
          "environment: SMARTV4_DATA (data directory), XDG_CACHE_HOME (compiled database cache)\n"
          "exit codes: 0 ok, 1 rule errors or runtime error, 2 usage error\n");
}

static int load(sv4_classifier **c, int no_cache) {
  sv4_error err = {0};
  sv4_classifier_opts o = {0};
  o.no_cache = no_cache;
  sv4_rc rc = sv4_classifier_load(&o, c, &err);
  if (rc) {
    fprintf(stderr, "%s\n", err.msg[0] ? err.msg : sv4_strerror(rc));
    return sv4_rc_exit_code(rc) == 2 ? 1 : sv4_rc_exit_code(rc);
  }
  return 0;
}

/* Parses every file on its own so that one run reports an error in each broken file. Returns the count. */
static int check_each_file(void) {
  sv4_error err = {0};
  sv4_taxonomy *tax = NULL;
  char **files = NULL, *dir = sv4_data_path("rules");
  size_t n = 0;
  int bad = 0;
  if (!dir || sv4_taxonomy_load(NULL, &tax, &err) || sv4__rules_list(dir, &files, &n, &err)) {
    fprintf(stderr, "%s\n", err.msg[0] ? err.msg : "out of memory");
    free(dir);
    sv4_taxonomy_free(tax);
    return 1;
  }
  for (size_t i = 0; i < n; i++) {
    sv4_rules *r = sv4__rules_new();
    char *data = NULL;
    size_t len = 0;
    sv4_error_clear(&err);
    sv4_rc rc = r ? sv4_read_file(files[i], SV4_MAX_RULE_FILE_BYTES, &data, &len, &err) : SV4_ERR_NOMEM;
    if (!rc) rc = sv4__rules_parse(r, files[i], data, len, tax, &err);
    if (rc) {
      fprintf(stderr, "%s\n", err.msg[0] ? err.msg : sv4_strerror(rc));
      bad++;
    }
    free(data);
    sv4__rules_free(r);
    free(files[i]);
  }
  free(files);
  free(dir);
  sv4_taxonomy_free(tax);
  return bad;
}

static int cmd_check(sv4_classifier *c) {
  const sv4_rules *r = c->rules;
  printf("ok: %zu rule files, %zu rules, %zu patterns, %zu codes%s (%.1f ms)\n", r->nfiles, r->nrules, r->npats,
         r->ncodes, c->from_cache ? ", database from cache" : "", c->load_ms);
  return 0;
}

static void print_rule(const sv4__rule *u) {
  printf("rule %s -> %s    (%s:%d, %s, %s)\n", u->id, u->code, u->file, u->line, sv4_scheme_name(u->scheme),
         sv4_lang_code(u->lang));
  printf("  terms: ");
  for (size_t i = 0; i < u->nterms; i++) printf("%s%s", i ? ", " : "", u->terms[i]);
  printf("\n");
  for (size_t g = 0; g < u->nwith; g++) printf("  with %d: %zu phrase(s)\n", u->with[g].window, u->with[g].n);
  for (size_t g = 0; g < u->nnot; g++) {
    if (u->nots[g].window < 0) printf("  not: %zu phrase(s)\n", u->nots[g].n);
    else printf("  not %d: %zu phrase(s)\n", u->nots[g].window, u->nots[g].n);
  }
  printf("  weight %g%s\n\n", u->weight, u->fold ? "\n  fold" : "");
}

static int cmd_stats(sv4_classifier *c) {
  const sv4_rules *r = c->rules;
  size_t rules[SV4_SCHEME_COUNT][SV4_LANG_COUNT] = {{0}}, terms[SV4_SCHEME_COUNT][SV4_LANG_COUNT] = {{0}};
  for (size_t i = 0; i < r->nrules; i++) {
    rules[r->rules[i].scheme][r->rules[i].lang]++;
    terms[r->rules[i].scheme][r->rules[i].lang] += r->rules[i].nterms;
  }
  printf("%-10s", "scheme");
  for (int l = 1; l < SV4_LANG_COUNT; l++) printf(" %14s", sv4_lang_code((sv4_lang)l));
  printf("   (rules/terms)\n");
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) {
    printf("%-10s", sv4_scheme_name((sv4_scheme)s));
    for (int l = 1; l < SV4_LANG_COUNT; l++) {
      char cell[32];
      snprintf(cell, sizeof cell, "%zu/%zu", rules[s][l], terms[s][l]);
      printf(" %14s", cell);
    }
    printf("\n");
  }
  printf("total: %zu files, %zu rules, %zu patterns in one database%s, loaded in %.1f ms\n", r->nfiles, r->nrules,
         r->npats, c->from_cache ? " (from cache)" : "", c->load_ms);
  printf("version: %s\n", c->version);
  /* Codes without rules, per language. */
  const sv4_taxonomy *t = c->tax;
  for (int s = 0; s < SV4_SCHEME_COUNT; s++) {
    const sv4_concept *const *list;
    size_t n = sv4_taxonomy_list(t, (sv4_scheme)s, &list);
    for (int l = 1; l < SV4_LANG_COUNT; l++) {
      size_t missing = 0;
      sv4_buf b;
      sv4_buf_init(&b, 1 << 16);
      for (size_t i = 0; i < n; i++) {
        if (list[i]->parent) continue; /* targets are optional: goals must be covered */
        int found = 0;
        for (size_t k = 0; k < r->nrules && !found; k++) {
          const sv4__rule *u = &r->rules[k];
          if (u->scheme != (sv4_scheme)s || u->lang != (sv4_lang)l) continue;
          const sv4__code *cd = &r->codes[u->code_id];
          found = !strcmp(cd->code, list[i]->code) || !strcmp(r->codes[cd->label].code, list[i]->code);
        }
        if (!found) {
          sv4_buf_printf(&b, " %s", list[i]->code);
          missing++;
        }
      }
      if (missing) printf("no rules: %s/%s:%s\n", sv4_scheme_name((sv4_scheme)s), sv4_lang_code((sv4_lang)l), b.data);
      sv4_buf_free(&b);
    }
  }
  return 0;
}

static int cmd_explain(sv4_classifier *c, const char *code, int scheme, sv4_lang lang) {
  const sv4_rules *r = c->rules;
  size_t n = 0;
  for (size_t i = 0; i < r->nrules; i++) {
    const sv4__rule *u = &r->rules[i];
    const sv4__code *cd = &r->codes[u->code_id];
    if (scheme >= 0 && u->scheme != (sv4_scheme)scheme) continue;
    if (lang != SV4_LANG_UNKNOWN && u->lang != lang) continue;
    if (strcmp(cd->code, code) && strcmp(r->codes[cd->label].code, code)) continue;
    if (!n) {
      const sv4_concept *k = sv4_taxonomy_find(c->tax, u->scheme, code);
      if (k && k->title[SV4_LANG_EN]) printf("%s %s: %s\n\n", sv4_scheme_name(u->scheme), code, k->title[SV4_LANG_EN]);
    }
    print_rule(u);
    n++;
  }
  if (!n) {
    fprintf(stderr, "smartv4 rules explain: no rule gives evidence for '%s'\n", code);
    return 1;
  }
  printf("%zu rule(s)\n", n);
  return 0;
}

int sv4_cmd_rules(int argc, char **argv) {
  const char *sub = NULL, *code = NULL;
  int no_cache = 0, scheme = -1;
  sv4_lang lang = SV4_LANG_UNKNOWN;
  for (int i = 1; i < argc; i++) {
    if (sv4_cli_is_help(argv[i])) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--no-cache")) {
      no_cache = 1;
    } else if (!strcmp(argv[i], "--scheme") && i + 1 < argc) {
      scheme = sv4_scheme_from_name(argv[++i]);
      if (scheme < 0) return sv4_cli_fail("rules", SV4_ERR_USAGE, "unknown scheme '%s'", argv[i]);
    } else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
      lang = sv4_lang_from_code(argv[++i]);
      if (lang == SV4_LANG_UNKNOWN) return sv4_cli_fail("rules", SV4_ERR_USAGE, "unknown language '%s'", argv[i]);
    } else if (argv[i][0] == '-' && argv[i][1]) {
      usage(stderr);
      return 2;
    } else if (!sub) {
      sub = argv[i];
    } else if (!code) {
      code = argv[i];
    } else {
      usage(stderr);
      return 2;
    }
  }
  if (!sub || (strcmp(sub, "check") && strcmp(sub, "stats") && strcmp(sub, "explain")) ||
      (!strcmp(sub, "explain") != (code != NULL))) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(sub, "check") && check_each_file()) return 1;
  sv4_classifier *c = NULL;
  int ex = load(&c, no_cache);
  if (ex) return ex;
  if (!strcmp(sub, "check")) ex = cmd_check(c);
  else if (!strcmp(sub, "stats")) ex = cmd_stats(c);
  else ex = cmd_explain(c, code, scheme, lang);
  sv4_classifier_free(c);
  return ex;
}
