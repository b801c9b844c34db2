/* progress.c — one progress line on stderr for long commands (classify, import).
 *
 * Shown only when stderr is a terminal and the work has run for a while (1 s), redrawn at most five times a second,
 * so short runs and redirected output never see it. SMARTV4_PROGRESS=never|always overrides the terminal test and
 * SMARTV4_PROGRESS_DELAY=SECONDS the wait (tests use both through a pseudo-terminal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sv4_progress_start(sv4_progress *p, const char *what) {
  memset(p, 0, sizeof *p);
  const char *mode = getenv("SMARTV4_PROGRESS"), *delay = getenv("SMARTV4_PROGRESS_DELAY");
  if (mode && !strcmp(mode, "never")) p->on = 0;
  else if (mode && !strcmp(mode, "always")) p->on = 1;
  else p->on = isatty(STDERR_FILENO);
  p->delay = 1.0;
  if (delay && *delay) {
    char *end;
    double d = strtod(delay, &end);
    if (!*end && d >= 0 && d <= 3600) p->delay = d;
  }
  p->what = what;
  p->t0 = now_s();
}

static void draw(sv4_progress *p, size_t done, size_t total, int bytes, double t) {
  p->last = t;
  double secs = t - p->t0 > 1e-3 ? t - p->t0 : 1e-3;
  char amount[64], rate[48], bar[33];
  if (bytes) {
    snprintf(amount, sizeof amount, "%.1f MB", (double)done / 1e6);
    snprintf(rate, sizeof rate, "%.1f MB/s", (double)done / 1e6 / secs);
  } else {
    if (total) snprintf(amount, sizeof amount, "%zu/%zu", done, total);
    else snprintf(amount, sizeof amount, "%zu", done);
    snprintf(rate, sizeof rate, "%.0f/s", (double)done / secs);
  }
  if (total) {
    int pct = done >= total ? 100 : (int)(100.0 * (double)done / (double)total);
    int k = pct * 30 / 100;
    bar[0] = '[';
    for (int i = 0; i < 30; i++) bar[1 + i] = i < k ? '#' : ' ';
    bar[31] = ']';
    bar[32] = 0;
    fprintf(stderr, "\r%s %s %3d%% %s, %s\033[K", p->what, bar, pct, amount, rate);
  } else {
    fprintf(stderr, "\r%s %s, %s\033[K", p->what, amount, rate);
  }
  p->shown = 1;
}

void sv4_progress_update(sv4_progress *p, size_t done, size_t total, int bytes) {
  if (!p->on) return;
  p->done = done, p->total = total, p->bytes = bytes;
  double t = now_s();
  if (t - p->t0 < p->delay || (p->shown && t - p->last < 0.2)) return;
  draw(p, done, total, bytes, t);
}

void sv4_progress_clear(sv4_progress *p) {
  if (p->on && p->shown) fputs("\r\033[K", stderr);
  p->shown = 0;
}

void sv4_progress_end(sv4_progress *p) {
  if (!p->on) return;
  if (p->shown) { /* the last state, whatever the redraw rate; nothing when the bar never appeared */
    draw(p, p->done, p->total, p->bytes, now_s());
    fputc('\n', stderr);
  }
  p->shown = 0;
}
