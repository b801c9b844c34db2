/* odt.c — OpenDocument text: content.xml headings (outline level), paragraphs, list items, table cells;
 * meta.xml metadata. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "ingest/internal.h"

#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define TABLE_NS "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define OFFICE_NS "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define STYLE_NS "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define META_NS "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define DC_NS "http://purl.org/dc/elements/1.1/"

typedef struct odt {
  sv4__builder *b;
  xmlNodePtr auto_styles; /* office:automatic-styles, to resolve P1 -> its parent "Title" */
} odt;

/* True when the paragraph style (or the automatic style's parent) is the Title style. */
static int is_title_style(const odt *o, xmlNodePtr p) {
  char *sn = sv4__xml_attr(p, TEXT_NS, "style-name");
  int r = 0;
  if (!sn) return 0;
  if (!strcasecmp(sn, "Title")) r = 1;
  for (xmlNodePtr s = o->auto_styles ? o->auto_styles->children : NULL; s && !r; s = s->next) {
    if (!sv4__xml_is(s, STYLE_NS, "style")) continue;
    char *name = sv4__xml_attr(s, STYLE_NS, "name");
    if (name && !strcmp(name, sn)) {
      char *parent = sv4__xml_attr(s, STYLE_NS, "parent-style-name");
      r = parent && !strcasecmp(parent, "Title");
      xmlFree(parent);
      xmlFree(name);
      break;
    }
    xmlFree(name);
  }
  xmlFree(sn);
  return r;
}

/* Inline content: text, spaces (text:s c=N), tabs and line breaks as spaces; notes and annotations skipped. */
static sv4_rc inline_text(odt *o, xmlNodePtr n) {
  sv4_rc rc = SV4_OK;
  for (xmlNodePtr c = n->children; c && !rc; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) rc = sv4__builder_text(o->b, (const char *)c->content, strlen((const char *)c->content));
    } else if (c->type != XML_ELEMENT_NODE) {
      continue;
    } else if (sv4__xml_is(c, TEXT_NS, "s") || sv4__xml_is(c, TEXT_NS, "tab") ||
               sv4__xml_is(c, TEXT_NS, "line-break")) {
      rc = sv4__builder_cp(o->b, ' ');
    } else if (sv4__xml_is(c, TEXT_NS, "note") || sv4__xml_is(c, OFFICE_NS, "annotation") ||
               sv4__xml_is(c, TEXT_NS, "tracked-changes") || sv4__xml_is(c, TEXT_NS, "soft-page-break")) {
      continue;
    } else {
      rc = inline_text(o, c);
    }
  }
  return rc;
}

/* Block content. in_item / in_cell: the enclosing list item or cell is the block, its paragraphs join it. */
static sv4_rc blocks(odt *o, xmlNodePtr n, int in_cell) {
  sv4_rc rc = SV4_OK;
  for (xmlNodePtr c = n->children; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    int is_h = sv4__xml_is(c, TEXT_NS, "h");
    if (is_h || sv4__xml_is(c, TEXT_NS, "p")) {
      if (in_cell) {
        if (!(rc = sv4__builder_cp(o->b, ' '))) rc = inline_text(o, c);
        continue;
      }
      int level = 0;
      sv4_block_kind kind = SV4_BLOCK_PARAGRAPH;
      if (is_h) {
        char *lv = sv4__xml_attr(c, TEXT_NS, "outline-level");
        level = lv ? atoi(lv) : 1;
        xmlFree(lv);
        kind = SV4_BLOCK_HEADING;
      } else if (is_title_style(o, c)) {
        kind = SV4_BLOCK_TITLE;
      }
      if (!(rc = sv4__builder_begin(o->b, kind, level, 0)) && !(rc = inline_text(o, c))) rc = sv4__builder_end(o->b);
    } else if (sv4__xml_is(c, TEXT_NS, "list-item") && !in_cell) {
      /* an item's own paragraphs form one block; nested lists inside it give their own items */
      if ((rc = sv4__builder_begin(o->b, SV4_BLOCK_LIST_ITEM, 0, 0))) break;
      for (xmlNodePtr k = c->children; k && !rc; k = k->next) {
        if (sv4__xml_is(k, TEXT_NS, "p") || sv4__xml_is(k, TEXT_NS, "h")) {
          if (!o->b->open) rc = sv4__builder_begin(o->b, SV4_BLOCK_LIST_ITEM, 0, 0);
          if (!rc) rc = sv4__builder_cp(o->b, ' ');
          if (!rc) rc = inline_text(o, k);
        } else if (k->type == XML_ELEMENT_NODE) {
          if (!(rc = sv4__builder_end(o->b))) rc = blocks(o, k, 0);
        }
      }
      if (!rc) rc = sv4__builder_end(o->b);
    } else if (sv4__xml_is(c, TABLE_NS, "table-cell") && !in_cell) {
      if (!(rc = sv4__builder_begin(o->b, SV4_BLOCK_TABLE_CELL, 0, 0)) && !(rc = blocks(o, c, 1)))
        rc = sv4__builder_end(o->b);
    } else if (sv4__xml_is(c, TEXT_NS, "table-of-content") || sv4__xml_is(c, TEXT_NS, "alphabetical-index") ||
               sv4__xml_is(c, TEXT_NS, "illustration-index") || sv4__xml_is(c, TEXT_NS, "table-index")) {
      continue; /* generated indexes repeat the document's own text */
    } else if (sv4__xml_is(c, TEXT_NS, "tracked-changes") || sv4__xml_is(c, OFFICE_NS, "annotation") ||
               sv4__xml_is(c, TEXT_NS, "sequence-decls") || sv4__xml_is(c, TEXT_NS, "variable-decls") ||
               sv4__xml_is(c, OFFICE_NS, "forms") || sv4__xml_is(c, TABLE_NS, "table-columns") ||
               sv4__xml_is(c, TABLE_NS, "table-column")) {
      continue;
    } else {
      rc = blocks(o, c, in_cell);
    }
  }
  return rc;
}

static void meta(odt *o, xmlDocPtr doc) {
  xmlNodePtr root = xmlDocGetRootElement(doc);
  xmlNodePtr m = NULL;
  for (xmlNodePtr c = root ? root->children : NULL; c && !m; c = c->next)
    if (sv4__xml_is(c, OFFICE_NS, "meta")) m = c;
  sv4_document *d = o->b->doc;
  for (xmlNodePtr c = m ? m->children : NULL; c; c = c->next) {
    const char **slot = sv4__xml_is(c, DC_NS, "title")               ? &d->title
                        : sv4__xml_is(c, META_NS, "initial-creator") ? &d->author
                        : sv4__xml_is(c, DC_NS, "creator")           ? &d->author
                        : sv4__xml_is(c, META_NS, "creation-date")   ? &d->created
                        : sv4__xml_is(c, DC_NS, "language")          ? &d->lang_hint
                                                                     : NULL;
    if (!slot || *slot) continue;
    xmlChar *v = xmlNodeGetContent(c);
    if (v) *slot = sv4__builder_meta(o->b, (const char *)v, strlen((const char *)v));
    xmlFree(v);
  }
}

static sv4_rc content_xml(odt *o, const char *xml, size_t len, sv4_error *err) {
  xmlDocPtr doc = NULL;
  sv4__builder *b = o->b;
  sv4_rc rc = sv4__xml_parse(xml, len, b->name, "content.xml", &doc, err);
  if (rc) return rc;
  xmlNodePtr root = xmlDocGetRootElement(doc), body = NULL, text = NULL;
  for (xmlNodePtr c = sv4__xml_is(root, OFFICE_NS, "document-content") ? root->children : NULL; c; c = c->next) {
    if (sv4__xml_is(c, OFFICE_NS, "automatic-styles")) o->auto_styles = c;
    if (sv4__xml_is(c, OFFICE_NS, "body")) body = c;
  }
  for (xmlNodePtr c = body ? body->children : NULL; c && !text; c = c->next)
    if (sv4__xml_is(c, OFFICE_NS, "text")) text = c;
  if (!text)
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: content.xml has no office:body/office:text (not a text document?)",
                       b->name);
  else if ((rc = blocks(o, text, 0)) || (rc = sv4__builder_end(b)))
    rc = sv4__builder_fail(b, rc, err);
  o->auto_styles = NULL;
  xmlFreeDoc(doc);
  return rc;
}

sv4_rc sv4__odt_content_xml(const char *xml, size_t len, sv4__builder *b, sv4_error *err) {
  odt o = {b, NULL};
  sv4__xml_init();
  return content_xml(&o, xml, len, err);
}

sv4_rc sv4__ingest_odt(const void *data, size_t len, sv4__builder *b, sv4_error *err) {
  sv4__zip *z = NULL;
  char *xml = NULL;
  size_t xlen = 0;
  xmlDocPtr doc = NULL;
  odt o = {b, NULL};
  sv4_rc rc;
  sv4__xml_init();
  if ((rc = sv4__zip_open(data, len, b->name, &z, err))) goto done;
  rc = sv4__zip_read(z, "meta.xml", 1, &xml, &xlen, err);
  if (rc == SV4_OK) {
    if ((rc = sv4__xml_parse(xml, xlen, b->name, "meta.xml", &doc, err))) goto done;
    meta(&o, doc);
    xmlFreeDoc(doc), doc = NULL;
  } else if (rc != SV4_ERR_NOTFOUND) {
    goto done;
  }
  free(xml), xml = NULL;
  if ((rc = sv4__zip_read(z, "content.xml", 0, &xml, &xlen, err))) goto done;
  rc = content_xml(&o, xml, xlen, err);
done:
  if (doc) xmlFreeDoc(doc);
  free(xml);
  sv4__zip_close(z);
  return rc;
}
