/* docx.c — Word documents (OOXML): word/document.xml paragraphs, headings from styles, list items, table
 * cells; docProps/core.xml metadata. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "ingest/internal.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define DC_NS "http://purl.org/dc/elements/1.1/"
#define DCTERMS_NS "http://purl.org/dc/terms/"
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"

/* What a paragraph style means for us: heading level 1..9, -1 title, 0 body; list when it numbers. */
typedef struct style {
  char *id;
  int level;
  int list;
  int toc; /* a table-of-contents entry: repeats the headings, skipped */
} style;

typedef struct docx {
  sv4__builder *b;
  style *styles;
  size_t nstyles;
} docx;

static const style *find_style(const docx *d, const char *id) {
  for (size_t i = 0; id && i < d->nstyles; i++)
    if (!strcmp(d->styles[i].id, id)) return &d->styles[i];
  return NULL;
}

static xmlNodePtr child(xmlNodePtr n, const char *local) {
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
    if (sv4__xml_is(c, W_NS, local)) return c;
  return NULL;
}

static int attr_int(xmlNodePtr n, const char *local, int dflt) {
  char *v = n ? sv4__xml_attr(n, W_NS, local) : NULL;
  int r = v ? atoi(v) : dflt;
  xmlFree(v);
  return r;
}

/* Heading level from a style name or id: "heading 2", "Heading2", "Title". */
static int level_from_name(const char *s) {
  if (!s) return 0;
  if (!strcasecmp(s, "title")) return -1;
  if (!strncasecmp(s, "heading", 7)) {
    const char *p = s + 7;
    if (*p == ' ') p++;
    if (*p >= '1' && *p <= '9' && !p[1]) return *p - '0';
  }
  return 0;
}

static sv4_rc load_styles(docx *d, xmlDocPtr doc) {
  xmlNodePtr root = xmlDocGetRootElement(doc);
  size_t n = 0;
  for (xmlNodePtr s = root ? root->children : NULL; s; s = s->next) n += sv4__xml_is(s, W_NS, "style");
  if (!n) return SV4_OK;
  d->styles = calloc(n, sizeof *d->styles);
  if (!d->styles) return SV4_ERR_NOMEM;
  for (xmlNodePtr s = root->children; s; s = s->next) {
    if (!sv4__xml_is(s, W_NS, "style")) continue;
    char *id = sv4__xml_attr(s, W_NS, "styleId");
    if (!id) continue;
    style *st = &d->styles[d->nstyles++];
    st->id = strdup(id);
    xmlFree(id);
    if (!st->id) return SV4_ERR_NOMEM;
    xmlNodePtr nm = child(s, "name");
    char *name = nm ? sv4__xml_attr(nm, W_NS, "val") : NULL;
    st->level = level_from_name(name);
    st->toc = name && (!strncasecmp(name, "toc ", 4) || !strcasecmp(name, "toc heading"));
    xmlFree(name);
    if (!st->level) st->level = level_from_name(st->id);
    xmlNodePtr ppr = child(s, "pPr");
    xmlNodePtr ol = child(ppr, "outlineLvl");
    if (!st->level && ol) {
      int v = attr_int(ol, "val", 9);
      if (v >= 0 && v < 9) st->level = v + 1;
    }
    st->list = child(ppr, "numPr") != NULL;
  }
  return SV4_OK;
}

/* Appends the visible text under n: runs' w:t, tabs and breaks as spaces; skips deleted text, field codes and
 * the fallback half of alternate content (it repeats the choice). */
static sv4_rc run_text(docx *d, xmlNodePtr n) {
  sv4_rc rc = SV4_OK;
  for (xmlNodePtr c = n->children; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (sv4__xml_is(c, W_NS, "t")) {
      for (xmlNodePtr t = c->children; t && !rc; t = t->next)
        if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content)
          rc = sv4__builder_text(d->b, (const char *)t->content, strlen((const char *)t->content));
    } else if (sv4__xml_is(c, W_NS, "tab") || sv4__xml_is(c, W_NS, "br") || sv4__xml_is(c, W_NS, "cr") ||
               sv4__xml_is(c, W_NS, "p")) {
      rc = sv4__builder_cp(d->b, ' ');
      if (!rc && sv4__xml_is(c, W_NS, "p")) rc = run_text(d, c); /* text boxes inside a run */
    } else if (sv4__xml_is(c, W_NS, "noBreakHyphen")) {
      rc = sv4__builder_cp(d->b, '-');
    } else if (sv4__xml_is(c, W_NS, "delText") || sv4__xml_is(c, W_NS, "instrText") || sv4__xml_is(c, W_NS, "del") ||
               sv4__xml_is(c, W_NS, "pPr") || sv4__xml_is(c, W_NS, "rPr") || sv4__xml_is(c, MC_NS, "Fallback")) {
      continue;
    } else {
      rc = run_text(d, c);
    }
  }
  return rc;
}

static sv4_rc paragraph(docx *d, xmlNodePtr p, int in_cell) {
  sv4_rc rc;
  if (in_cell) { /* the cell is the block; its paragraphs are separated by spaces */
    if ((rc = sv4__builder_cp(d->b, ' '))) return rc;
    return run_text(d, p);
  }
  xmlNodePtr ppr = child(p, "pPr");
  xmlNodePtr ps = child(ppr, "pStyle");
  char *sid = ps ? sv4__xml_attr(ps, W_NS, "val") : NULL;
  const style *st = find_style(d, sid);
  int level = st ? st->level : level_from_name(sid);
  int list = st ? st->list : 0;
  int toc = st ? st->toc : sid && !strncasecmp(sid, "TOC", 3);
  xmlFree(sid);
  if (toc) return SV4_OK;
  xmlNodePtr ol = child(ppr, "outlineLvl");
  if (ol) {
    int v = attr_int(ol, "val", 9);
    level = v >= 0 && v < 9 ? v + 1 : level;
  }
  if (child(ppr, "numPr")) list = 1;
  sv4_block_kind kind = level == -1 ? SV4_BLOCK_TITLE
                        : level > 0 ? SV4_BLOCK_HEADING
                        : list      ? SV4_BLOCK_LIST_ITEM
                                    : SV4_BLOCK_PARAGRAPH;
  if ((rc = sv4__builder_begin(d->b, kind, level > 6 ? 6 : level, 0))) return rc;
  if ((rc = run_text(d, p))) return rc;
  return sv4__builder_end(d->b);
}

/* Walks block-level content: paragraphs, tables (one block per cell), content controls, and so on. */
static sv4_rc body(docx *d, xmlNodePtr n, int in_cell) {
  sv4_rc rc = SV4_OK;
  for (xmlNodePtr c = n->children; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (sv4__xml_is(c, W_NS, "p")) {
      rc = paragraph(d, c, in_cell);
    } else if (sv4__xml_is(c, W_NS, "tc") && !in_cell) {
      if (!(rc = sv4__builder_begin(d->b, SV4_BLOCK_TABLE_CELL, 0, 0)) && !(rc = body(d, c, 1)))
        rc = sv4__builder_end(d->b);
    } else if (sv4__xml_is(c, W_NS, "sectPr") || sv4__xml_is(c, W_NS, "tblPr") || sv4__xml_is(c, W_NS, "tcPr") ||
               sv4__xml_is(c, W_NS, "trPr") || sv4__xml_is(c, W_NS, "tblGrid") || sv4__xml_is(c, MC_NS, "Fallback") ||
               sv4__xml_is(c, W_NS, "del")) {
      continue;
    } else {
      rc = body(d, c, in_cell);
    }
  }
  return rc;
}

static void core_meta(docx *d, xmlDocPtr doc) {
  xmlNodePtr root = xmlDocGetRootElement(doc);
  sv4_document *out = d->b->doc;
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
    const char **slot = sv4__xml_is(c, DC_NS, "title")          ? &out->title
                        : sv4__xml_is(c, DC_NS, "creator")      ? &out->author
                        : sv4__xml_is(c, DCTERMS_NS, "created") ? &out->created
                        : sv4__xml_is(c, DC_NS, "language")     ? &out->lang_hint
                                                                : NULL;
    if (!slot || *slot) continue;
    xmlChar *v = xmlNodeGetContent(c);
    if (v) *slot = sv4__builder_meta(d->b, (const char *)v, strlen((const char *)v));
    xmlFree(v);
  }
}

/* The main part's name from _rels/.rels (officeDocument relationship); word/document.xml when absent. */
static char *main_part(sv4__zip *z, const char *name, sv4_error *err) {
  char *data = NULL, *target = NULL;
  size_t len = 0;
  xmlDocPtr doc = NULL;
  sv4_error ignore;
  if (sv4__zip_read(z, "_rels/.rels", 1, &data, &len, &ignore) == SV4_OK &&
      sv4__xml_parse(data, len, name, "_rels/.rels", &doc, &ignore) == SV4_OK) {
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr c = root ? root->children : NULL; c && !target; c = c->next) {
      if (!sv4__xml_is(c, REL_NS, "Relationship")) continue;
      char *type = (char *)xmlGetProp(c, (const xmlChar *)"Type");
      char *t = (char *)xmlGetProp(c, (const xmlChar *)"Target");
      size_t tl = type ? strlen(type) : 0;
      if (t && tl >= 15 && !strcmp(type + tl - 15, "/officeDocument")) target = strdup(t[0] == '/' ? t + 1 : t);
      xmlFree(type);
      xmlFree(t);
    }
  }
  if (doc) xmlFreeDoc(doc);
  free(data);
  return target ? target : strdup("word/document.xml");
}

static sv4_rc document_xml(docx *d, const char *xml, size_t len, const char *part, sv4_error *err) {
  xmlDocPtr doc = NULL;
  sv4__builder *b = d->b;
  sv4_rc rc = sv4__xml_parse(xml, len, b->name, part, &doc, err);
  if (rc) return rc;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  xmlNodePtr bd = sv4__xml_is(root, W_NS, "document") ? child(root, "body") : NULL;
  if (!bd)
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: %s is not a WordprocessingML document (no w:document/w:body)", b->name,
                       part);
  else if ((rc = body(d, bd, 0)) || (rc = sv4__builder_end(b)))
    rc = sv4__builder_fail(b, rc, err);
  xmlFreeDoc(doc);
  return rc;
}

sv4_rc sv4__docx_document_xml(const char *xml, size_t len, sv4__builder *b, sv4_error *err) {
  docx d = {b, NULL, 0};
  sv4__xml_init();
  return document_xml(&d, xml, len, "word/document.xml", err);
}

sv4_rc sv4__ingest_docx(const void *data, size_t len, sv4__builder *b, sv4_error *err) {
  sv4__zip *z = NULL;
  char *xml = NULL, *part = NULL;
  size_t xlen = 0;
  xmlDocPtr doc = NULL;
  docx d = {b, NULL, 0};
  sv4_rc rc;
  sv4__xml_init();
  if ((rc = sv4__zip_open(data, len, b->name, &z, err))) goto done;
  if (!(part = main_part(z, b->name, err))) {
    rc = sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", b->name);
    goto done;
  }
  /* styles and metadata are optional; a damaged one is an error like any other part */
  rc = sv4__zip_read(z, "word/styles.xml", 1, &xml, &xlen, err);
  if (rc == SV4_OK) {
    if ((rc = sv4__xml_parse(xml, xlen, b->name, "word/styles.xml", &doc, err))) goto done;
    if ((rc = load_styles(&d, doc))) {
      rc = sv4__builder_fail(b, rc, err);
      goto done;
    }
    xmlFreeDoc(doc), doc = NULL;
  } else if (rc != SV4_ERR_NOTFOUND) {
    goto done;
  }
  free(xml), xml = NULL;
  rc = sv4__zip_read(z, "docProps/core.xml", 1, &xml, &xlen, err);
  if (rc == SV4_OK) {
    if ((rc = sv4__xml_parse(xml, xlen, b->name, "docProps/core.xml", &doc, err))) goto done;
    core_meta(&d, doc);
    xmlFreeDoc(doc), doc = NULL;
  } else if (rc != SV4_ERR_NOTFOUND) {
    goto done;
  }
  free(xml), xml = NULL;
  if ((rc = sv4__zip_read(z, part, 0, &xml, &xlen, err))) goto done;
  rc = document_xml(&d, xml, xlen, part, err);
done:
  if (doc) xmlFreeDoc(doc);
  for (size_t i = 0; i < d.nstyles; i++) free(d.styles[i].id);
  free(d.styles);
  free(xml);
  free(part);
  sv4__zip_close(z);
  return rc;
}
