/* svg.c — charts rendered by the server as inline SVG: horizontal bars (SDG profile, energy balance), a heat map
 * (records × goals with gaps marked) and a simplified map of the V4 countries. Everything textual is escaped;
 * nothing here knows about records — callers pass labels, values and colours. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"

void sv4__svg_text(sv4_buf *b, const char *s) {
  if (s) sv4_buf_html_escape(b, s, strlen(s));
}

/* Appends at most max_chars UTF-8 characters of s (escaped), with "…" when cut. */
static void svg_text_cut(sv4_buf *b, const char *s, size_t max_chars) {
  if (!s) return;
  size_t i = 0, chars = 0;
  while (s[i] && chars < max_chars) {
    i++;
    while ((s[i] & 0xC0) == 0x80) i++;
    chars++;
  }
  sv4_buf_html_escape(b, s, i);
  if (s[i]) sv4_buf_puts(b, "…");
}

/* A colour is only used when it looks like #RGB or #RRGGBB (colours come from data files). */
static const char *safe_color(const char *c, const char *fallback) {
  if (!c || c[0] != '#') return fallback;
  size_t n = strlen(c);
  if (n != 4 && n != 7) return fallback;
  for (size_t i = 1; i < n; i++)
    if (!strchr("0123456789abcdefABCDEF", c[i])) return fallback;
  return c;
}

static void rgb_of(const char *c, int *r, int *g, int *bl) {
  unsigned v = (unsigned)strtoul(c + 1, NULL, 16);
  if (strlen(c) == 4) {
    *r = (int)((v >> 8) & 0xF) * 17;
    *g = (int)((v >> 4) & 0xF) * 17;
    *bl = (int)(v & 0xF) * 17;
  } else {
    *r = (int)((v >> 16) & 0xFF);
    *g = (int)((v >> 8) & 0xFF);
    *bl = (int)(v & 0xFF);
  }
}

/* Dark text on light fills, white on dark ones (relative luminance). */
static const char *text_on(int r, int g, int bl) {
  double l = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  return l > 150 ? "#1b1b1b" : "#ffffff";
}

static void fmt_value(char *out, size_t n, double v, const sv4_svg_bars_opts *o) {
  if (o->percent)
    snprintf(out, n, "%.0f%%", v * 100);
  else if (fabs(v) >= 100 || v == floor(v))
    snprintf(out, n, "%.0f%s", v, o->unit ? o->unit : "");
  else
    snprintf(out, n, "%.1f%s", v, o->unit ? o->unit : "");
}

void sv4__svg_bars(sv4_buf *b, const sv4_svg_bar *bars, size_t n, const sv4_svg_bars_opts *o) {
  sv4_svg_bars_opts def = {0};
  if (!o) o = &def;
  const double W = o->width ? o->width : 640, LW = W * 0.42, VW = 64, ROW = 22, BAR = 15, TOP = 6;
  const double BW = W - LW - VW - 8;
  double lo = 0, hi = 0;
  for (size_t i = 0; i < n; i++) {
    if (bars[i].value < lo) lo = bars[i].value;
    if (bars[i].value > hi) hi = bars[i].value;
  }
  if (o->max > 0 && o->max > hi) hi = o->max;
  if (hi - lo <= 0) hi = 1;
  const double x0 = LW + BW * (-lo / (hi - lo));
  const double H = TOP * 2 + ROW * (double)n;
  sv4_buf_printf(b, "<svg class=\"chart bars\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, H);
  sv4__svg_text(b, o->title);
  sv4_buf_printf(b, "\" xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMinYMin meet\"><title>");
  sv4__svg_text(b, o->title);
  sv4_buf_puts(b, "</title>");
  sv4_buf_printf(b, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.0f\" class=\"axis\" stroke=\"#888\"/>", x0, x0, H);
  for (size_t i = 0; i < n; i++) {
    const sv4_svg_bar *r = &bars[i];
    double y = TOP + ROW * (double)i, w = BW * fabs(r->value) / (hi - lo);
    double x = r->value < 0 ? x0 - w : x0;
    char val[48];
    fmt_value(val, sizeof val, r->value, o);
    sv4_buf_puts(b, "<g class=\"bar\">");
    if (r->href) {
      sv4_buf_puts(b, "<a href=\"");
      sv4__svg_text(b, r->href);
      sv4_buf_puts(b, "\">");
    }
    sv4_buf_puts(b, "<title>");
    sv4__svg_text(b, r->tip ? r->tip : r->label);
    sv4_buf_printf(b, ": %s</title>", val);
    sv4_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"label\" font-size=\"12\">", LW - 6,
                   y + BAR - 3);
    svg_text_cut(b, r->label, (size_t)(LW / 7));
    sv4_buf_puts(b, "</text>");
    sv4_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" rx=\"2\" fill=\"%s\"/>", x, y,
                   w < 0.5 && r->value != 0 ? 0.5 : w, BAR, safe_color(r->color, "#5b7083"));
    double tx = r->value < 0 ? x0 + 4 : x0 + w + 4;
    if (r->value < 0 && lo < 0 && hi <= 0) tx = x - 4;
    sv4_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\" font-size=\"11\">%s</text>", tx, y + BAR - 3, val);
    if (r->href) sv4_buf_puts(b, "</a>");
    sv4_buf_puts(b, "</g>");
  }
  sv4_buf_puts(b, "</svg>");
}

void sv4__svg_heatmap(sv4_buf *b, const char *title, const char *const *row_labels, const char *const *row_href,
                      size_t nrows, const char *const *col_labels, const char *const *col_tips,
                      const char *const *col_colors, size_t ncols, const double *values) {
  const double LW = 230, CELL = 28, GAP = 2, TOP = 34;
  const double W = LW + (CELL + GAP) * (double)ncols + 8, H = TOP + (CELL + GAP) * (double)nrows + 4;
  sv4_buf_printf(b, "<svg class=\"chart heatmap\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, H);
  sv4__svg_text(b, title);
  sv4_buf_puts(b, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
  sv4__svg_text(b, title);
  sv4_buf_puts(b,
               "</title><defs><pattern id=\"sv4gap\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
               "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f4f4f4\"/>"
               "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c9c9c9\" stroke-width=\"2\"/></pattern></defs>");
  for (size_t c = 0; c < ncols; c++) {
    const char *col = safe_color(col_colors ? col_colors[c] : NULL, "#5b7083");
    int r, g, bl;
    rgb_of(col, &r, &g, &bl);
    double x = LW + (CELL + GAP) * (double)c;
    sv4_buf_printf(b, "<g class=\"col\"><title>");
    sv4__svg_text(b, col_tips ? col_tips[c] : col_labels[c]);
    sv4_buf_printf(b, "</title><rect x=\"%.0f\" y=\"4\" width=\"%.0f\" height=\"%.0f\" fill=\"%s\"/>", x, CELL,
                   CELL - 2, col);
    sv4_buf_printf(b, "<text x=\"%.0f\" y=\"22\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" "
                      "fill=\"%s\">", x + CELL / 2, text_on(r, g, bl));
    sv4__svg_text(b, col_labels[c]);
    sv4_buf_puts(b, "</text></g>");
  }
  for (size_t r = 0; r < nrows; r++) {
    double y = TOP + (CELL + GAP) * (double)r;
    sv4_buf_puts(b, "<g class=\"row\">");
    if (row_href && row_href[r]) {
      sv4_buf_puts(b, "<a href=\"");
      sv4__svg_text(b, row_href[r]);
      sv4_buf_puts(b, "\">");
    }
    sv4_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\" font-size=\"12\" class=\"label\">", LW - 6,
                   y + CELL / 2 + 4);
    svg_text_cut(b, row_labels[r], 32);
    sv4_buf_puts(b, "<title>");
    sv4__svg_text(b, row_labels[r]);
    sv4_buf_puts(b, "</title></text>");
    if (row_href && row_href[r]) sv4_buf_puts(b, "</a>");
    for (size_t c = 0; c < ncols; c++) {
      double v = values[r * ncols + c], x = LW + (CELL + GAP) * (double)c;
      if (v < 0) v = 0;
      if (v > 1) v = 1;
      sv4_buf_puts(b, "<g class=\"cell\"><title>");
      sv4__svg_text(b, row_labels[r]);
      sv4_buf_puts(b, " — ");
      sv4__svg_text(b, col_tips ? col_tips[c] : col_labels[c]);
      if (v > 0) {
        sv4_buf_printf(b, ": %.0f%%</title>", v * 100);
        const char *col = safe_color(col_colors ? col_colors[c] : NULL, "#5b7083");
        int cr, cg, cb;
        rgb_of(col, &cr, &cg, &cb);
        double op = 0.25 + 0.75 * v;
        /* the text colour follows the blended fill */
        int mr = (int)(255 - (255 - cr) * op), mg = (int)(255 - (255 - cg) * op), mb = (int)(255 - (255 - cb) * op);
        sv4_buf_printf(b,
                       "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"%s\" fill-opacity=\"%.2f\"/>"
                       "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">%.0f</text>",
                       x, y, CELL, CELL, col, op, x + CELL / 2, y + CELL / 2 + 3.5, text_on(mr, mg, mb), v * 100);
      } else {
        sv4_buf_printf(b,
                       " (gap)</title><rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"url(#sv4gap)\" "
                       "class=\"gap\"/><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"11\" "
                       "fill=\"#777\">–</text>",
                       x, y, CELL, CELL, x + CELL / 2, y + CELL / 2 + 4);
      }
      sv4_buf_puts(b, "</g>");
    }
    sv4_buf_puts(b, "</g>");
  }
  sv4_buf_puts(b, "</svg>");
}

/* ---- the V4 map -------------------------------------------------------------------------------------------
 * Outlines drawn for this project from a handful of border points per country (longitude, latitude), shared
 * points along common borders so the countries meet. Deliberately coarse: it is a navigation picture. */
typedef struct lonlat { float lon, lat; } lonlat;

static const lonlat cz_outline[] = {
    {14.82f, 50.87f}, {15.4f, 50.8f},   {16.2f, 50.65f},  {16.35f, 50.4f},  {16.75f, 50.15f}, {16.85f, 50.45f},
    {17.7f, 50.3f},   {18.0f, 50.05f},  {18.55f, 49.9f},  {18.85f, 49.52f}, {18.4f, 49.3f},   {18.15f, 49.05f},
    {17.6f, 48.85f},  {17.2f, 48.87f},  {16.94f, 48.62f}, {16.5f, 48.8f},   {16.0f, 48.75f},  {15.25f, 49.0f},
    {14.95f, 48.95f}, {14.7f, 48.6f},   {13.84f, 48.77f}, {13.4f, 49.1f},   {12.9f, 49.35f},  {12.45f, 49.75f},
    {12.1f, 50.25f},  {12.5f, 50.4f},   {13.0f, 50.5f},   {13.5f, 50.65f},  {14.0f, 50.8f},   {14.4f, 51.02f},
};
static const lonlat hu_outline[] = {
    {17.16f, 48.01f}, {17.6f, 47.82f},  {18.0f, 47.75f},  {18.8f, 47.82f},  {19.0f, 48.05f},  {19.5f, 48.2f},
    {20.0f, 48.17f},  {20.45f, 48.45f}, {20.8f, 48.57f},  {21.45f, 48.57f}, {22.15f, 48.4f},  {22.9f, 47.95f},
    {22.0f, 47.4f},   {21.65f, 46.95f}, {21.2f, 46.4f},   {20.26f, 46.11f}, {19.6f, 46.17f},  {18.9f, 45.92f},
    {18.4f, 45.75f},  {17.6f, 45.95f},  {17.0f, 46.3f},   {16.6f, 46.48f},  {16.1f, 46.85f},  {16.45f, 47.45f},
    {16.7f, 47.6f},   {17.05f, 47.7f},
};
static const lonlat pl_outline[] = {
    {14.22f, 53.93f}, {15.5f, 54.17f},  {16.4f, 54.5f},   {17.3f, 54.75f},  {18.35f, 54.83f}, {18.6f, 54.45f},
    {19.0f, 54.35f},  {19.65f, 54.45f}, {21.0f, 54.35f},  {22.8f, 54.36f},  {23.5f, 53.95f},  {23.9f, 53.15f},
    {23.6f, 52.6f},   {23.2f, 52.25f},  {23.65f, 51.55f}, {24.1f, 50.85f},  {23.95f, 50.45f}, {23.2f, 50.05f},
    {22.7f, 49.55f},  {22.56f, 49.08f}, {21.6f, 49.43f},  {20.9f, 49.35f},  {20.3f, 49.4f},   {19.9f, 49.2f},
    {19.45f, 49.6f},  {18.85f, 49.52f}, {18.55f, 49.9f},  {18.0f, 50.05f},  {17.7f, 50.3f},   {16.85f, 50.45f},
    {16.75f, 50.15f}, {16.35f, 50.4f},  {16.2f, 50.65f},  {15.4f, 50.8f},   {14.82f, 50.87f}, {14.98f, 51.25f},
    {14.6f, 51.8f},   {14.75f, 52.1f},  {14.15f, 52.85f}, {14.4f, 53.3f},   {14.2f, 53.6f},
};
static const lonlat sk_outline[] = {
    {18.85f, 49.52f}, {19.45f, 49.6f},  {19.9f, 49.2f},   {20.3f, 49.4f},   {20.9f, 49.35f},  {21.6f, 49.43f},
    {22.56f, 49.08f}, {22.15f, 48.4f},  {21.45f, 48.57f}, {20.8f, 48.57f},  {20.45f, 48.45f}, {20.0f, 48.17f},
    {19.5f, 48.2f},   {19.0f, 48.05f},  {18.8f, 47.82f},  {18.0f, 47.75f},  {17.6f, 47.82f},  {17.16f, 48.01f},
    {16.85f, 48.4f},  {16.94f, 48.62f}, {17.2f, 48.87f},  {17.6f, 48.85f},  {18.15f, 49.05f}, {18.4f, 49.3f},
};

static const struct v4_country {
  const char *code;
  const lonlat *pts;
  size_t n;
  lonlat label;
} v4[4] = {
    {"CZ", cz_outline, sizeof cz_outline / sizeof *cz_outline, {15.35f, 49.85f}},
    {"HU", hu_outline, sizeof hu_outline / sizeof *hu_outline, {19.25f, 47.1f}},
    {"PL", pl_outline, sizeof pl_outline / sizeof *pl_outline, {19.3f, 52.25f}},
    {"SK", sk_outline, sizeof sk_outline / sizeof *sk_outline, {19.65f, 48.75f}},
};

#define MAP_K 52.0
#define MAP_PAD 10.0
static double map_x(float lon) { return ((double)lon - 11.9) * 0.66 * MAP_K + MAP_PAD; }
static double map_y(float lat) { return (55.0 - (double)lat) * MAP_K + MAP_PAD; }

void sv4__svg_v4map(sv4_buf *b, const char *title, const int64_t counts[4], const char *const names[4],
                    const char *href_prefix) {
  int64_t max = 1;
  for (int i = 0; i < 4; i++)
    if (counts[i] > max) max = counts[i];
  const double W = map_x(24.3f) + MAP_PAD, H = map_y(45.6f) + MAP_PAD;
  sv4_buf_printf(b, "<svg class=\"chart v4map\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, H);
  sv4__svg_text(b, title);
  sv4_buf_puts(b, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
  sv4__svg_text(b, title);
  sv4_buf_puts(b, "</title>");
  /* light (few records) → deep green (most) */
  static const int lo[3] = {0xdf, 0xf0, 0xe5}, hi[3] = {0x1d, 0x6b, 0x45};
  for (int i = 0; i < 4; i++) {
    double t = counts[i] > 0 ? 0.2 + 0.8 * (double)counts[i] / (double)max : 0;
    int c[3];
    for (int k = 0; k < 3; k++) c[k] = (int)(lo[k] + (hi[k] - lo[k]) * t);
    sv4_buf_puts(b, "<a class=\"country\" href=\"");
    sv4__svg_text(b, href_prefix);
    sv4__svg_text(b, v4[i].code);
    sv4_buf_printf(b, "\" data-country=\"%s\"><title>", v4[i].code);
    sv4__svg_text(b, names[i]);
    sv4_buf_printf(b, ": %lld</title><path d=\"", (long long)counts[i]);
    for (size_t p = 0; p < v4[i].n; p++)
      sv4_buf_printf(b, "%c%.1f %.1f", p ? 'L' : 'M', map_x(v4[i].pts[p].lon), map_y(v4[i].pts[p].lat));
    sv4_buf_printf(b, "Z\" fill=\"#%02x%02x%02x\" stroke=\"#ffffff\" stroke-width=\"2\" stroke-linejoin=\"round\"/>",
                   c[0], c[1], c[2]);
    const char *ink = text_on(c[0], c[1], c[2]);
    double lx = map_x(v4[i].label.lon), ly = map_y(v4[i].label.lat);
    sv4_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"15\" fill=\"%s\">", lx, ly - 4,
                   ink);
    sv4__svg_text(b, names[i]);
    sv4_buf_printf(b, "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"20\" "
                      "font-weight=\"bold\" fill=\"%s\" class=\"count\">%lld</text></a>",
                   lx, ly + 18, ink, (long long)counts[i]);
  }
  sv4_buf_puts(b, "</svg>");
}
