/* langid.c — language identification with libexttextcat restricted to the five portal languages, plus a
 * tie-breaker on characteristic letters and words for the Czech/Slovak pair (data/langid/cs-sk.txt). */
#include <libexttextcat/textcat.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sv4/limits.h"
#include "sv4/text.h"
#include "sv4/util.h"

#define MAX_MARKERS 128
/* libexttextcat's cost grows with its input (it builds and sorts the n-gram profile of all of it); a kilobyte of
 * text is plenty for five languages with distinct n-grams. The Czech/Slovak tie-breaker looks at the same prefix. */
#define LANGID_TEXTCAT_BYTES 1024u

struct sv4_langid {
  void *tc;
  pthread_mutex_t lock; /* textcat_Classify keeps its output in the handle */
  char *markers[MAX_MARKERS]; /* " word " or "letter", normalised */
  sv4_lang marker_lang[MAX_MARKERS];
  size_t nmarkers;
};

static void load_markers(sv4_langid *li) {
  char *path = sv4_data_path("langid/cs-sk.txt"), *data = NULL;
  size_t len = 0;
  if (!path || sv4_read_file(path, 1u << 20, &data, &len, NULL)) goto done;
  for (char *line = strtok(data, "\n"); line && li->nmarkers < MAX_MARKERS; line = strtok(NULL, "\n")) {
    if (line[0] == '#' || strlen(line) < 4 || line[2] != ' ') continue;
    line[2] = 0;
    sv4_lang l = sv4_lang_from_code(line);
    char *item = sv4_normalize_term(line + 3, strlen(line + 3), 0);
    if (!item || !*item || l == SV4_LANG_UNKNOWN) {
      free(item);
      continue;
    }
    size_t n = strlen(item);
    /* Multi-byte single letters match anywhere; words only as whole words. */
    int letter = (n <= 4 && ((unsigned char)item[0] >= 0xC0) && n == ((unsigned char)item[0] < 0xE0 ? 2u : 3u));
    char *m = malloc(n + 3);
    if (!m) {
      free(item);
      continue;
    }
    if (letter) memcpy(m, item, n + 1);
    else {
      m[0] = ' ';
      memcpy(m + 1, item, n);
      m[n + 1] = ' ';
      m[n + 2] = 0;
    }
    free(item);
    li->markers[li->nmarkers] = m;
    li->marker_lang[li->nmarkers++] = l;
  }
done:
  free(path);
  free(data);
}

sv4_rc sv4_langid_new(sv4_langid **out, sv4_error *err) {
  *out = NULL;
  sv4_langid *li = calloc(1, sizeof *li);
  char *conf = sv4_data_path("langid/fpdb.conf");
  const char *models = getenv("SMARTV4_LANGID_MODELS");
  if (!li || !conf) {
    free(li);
    free(conf);
    return sv4_error_set(err, SV4_ERR_NOMEM, "out of memory");
  }
  li->tc = special_textcat_Init(conf, models && *models ? models : "/usr/share/libexttextcat/");
  if (!li->tc) {
    sv4_error_set(err, SV4_ERR_IO, "%s: cannot load language models", conf);
    free(conf);
    free(li);
    return SV4_ERR_IO;
  }
  free(conf);
  pthread_mutex_init(&li->lock, NULL);
  load_markers(li);
  *out = li;
  return SV4_OK;
}

void sv4_langid_free(sv4_langid *li) {
  if (!li) return;
  if (li->tc) textcat_Done(li->tc);
  for (size_t i = 0; i < li->nmarkers; i++) free(li->markers[i]);
  pthread_mutex_destroy(&li->lock);
  free(li);
}

static size_t count_occ(const char *hay, const char *needle) {
  size_t c = 0, n = strlen(needle);
  for (const char *p = strstr(hay, needle); p; p = strstr(p + (n > 1 && needle[0] == ' ' ? n - 1 : n), needle)) c++;
  return c;
}

/* Czech or Slovak by characteristic markers; UNKNOWN on a tie. */
static sv4_lang cs_sk_tiebreak(const sv4_langid *li, const char *text, size_t len) {
  sv4_norm n;
  sv4_norm_init(&n);
  sv4_lang r = SV4_LANG_UNKNOWN;
  if (sv4_normalize(text, len, 0, &n, NULL) == SV4_OK) {
    size_t cs = 0, sk = 0;
    for (size_t i = 0; i < li->nmarkers; i++) {
      size_t c = count_occ(n.text, li->markers[i]);
      if (li->marker_lang[i] == SV4_LANG_CS) cs += c;
      else if (li->marker_lang[i] == SV4_LANG_SK) sk += c;
    }
    if (cs > sk) r = SV4_LANG_CS;
    else if (sk > cs) r = SV4_LANG_SK;
  }
  sv4_norm_free(&n);
  return r;
}

sv4_lang sv4_langid_detect(sv4_langid *li, const char *text, size_t len) {
  if (!li || !text) return SV4_LANG_UNKNOWN;
  size_t cap = LANGID_TEXTCAT_BYTES < SV4_MAX_LANGID_BYTES ? LANGID_TEXTCAT_BYTES : SV4_MAX_LANGID_BYTES;
  if (len > cap) {
    len = cap;
    /* Do not cut a UTF-8 sequence. */
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) len--;
  }
  sv4_lang cand[SV4_LANG_COUNT];
  size_t nc = 0;
  pthread_mutex_lock(&li->lock);
  const char *r = textcat_Classify(li->tc, text, len);
  /* "[cs][sk]" — candidates, best first; or SHORT / UNKNOWN. */
  for (const char *p = r; p && *p && nc < SV4_LANG_COUNT; p++) {
    if (*p != '[') continue;
    const char *q = strchr(p, ']');
    if (!q) break;
    char code[8] = {0};
    size_t k = (size_t)(q - p - 1);
    if (k < sizeof code) {
      memcpy(code, p + 1, k);
      sv4_lang l = sv4_lang_from_code(code);
      if (l != SV4_LANG_UNKNOWN) cand[nc++] = l;
    }
    p = q;
  }
  pthread_mutex_unlock(&li->lock);
  int czsk = 0;
  for (size_t i = 0; i < nc; i++) czsk |= (cand[i] == SV4_LANG_CS || cand[i] == SV4_LANG_SK);
  if (czsk && (nc == 0 || cand[0] == SV4_LANG_CS || cand[0] == SV4_LANG_SK)) {
    sv4_lang t = cs_sk_tiebreak(li, text, len);
    if (t != SV4_LANG_UNKNOWN) return t;
  }
  if (nc == 0) {
    /* Too short for n-grams: the markers may still decide Czech vs Slovak. */
    return cs_sk_tiebreak(li, text, len);
  }
  return cand[0];
}
