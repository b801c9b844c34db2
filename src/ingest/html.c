/* html.c — HTML through libxml2's forgiving HTML parser: title, headings, paragraphs, list items, table cells;
 * script, style, navigation and footers are skipped; the declared charset is honoured, lang becomes lang_hint. */
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "ingest/internal.h"
#include "sv4/limits.h"

typedef struct html {
  sv4__builder *b;
  sv4_block_kind ctx; /* kind of the semantic block we are inside (li, td, ...) */
  int in_semantic;    /* inside h1-6/p/li/td/th: nested block containers do not split it */
  int too_deep;
} html;

static int name_in(const xmlChar *name, const char *const *set) {
  for (; *set; set++)
    if (!strcasecmp((const char *)name, *set)) return 1;
  return 0;
}

static const char *const skipped[] = {"script", "style",  "nav",    "footer", "noscript", "template", "head", "svg",
                                      "math",   "iframe", "object", "select", "button",   "form",     NULL};
/* Containers that start a new block but have no kind of their own. */
static const char *const containers[] = {
    "div",     "section", "article",    "main",    "header",   "aside",   "blockquote", "pre",
    "address", "figure",  "figcaption", "dl",      "dt",       "dd",      "ul",         "ol",
    "table",   "tr",      "tbody",      "thead",   "tfoot",    "caption", "body",       "html",
    "hr",      "center",  "details",    "summary", "fieldset", "legend",  NULL};

static sv4_rc walk(html *h, xmlNodePtr n, unsigned depth) {
  sv4_rc rc = SV4_OK;
  if (depth > SV4_MAX_XML_DEPTH) {
    h->too_deep = 1;
    return SV4_ERR_LIMIT;
  }
  for (xmlNodePtr c = n->children; c && !rc; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (!c->content) continue;
      if (!h->b->open) { /* loose text between blocks: only start a paragraph for visible characters */
        const char *s = (const char *)c->content;
        s += strspn(s, " \t\r\n\f");
        if (!*s) continue;
        if ((rc = sv4__builder_begin(h->b, h->in_semantic ? h->ctx : SV4_BLOCK_PARAGRAPH, 0, 0))) break;
      }
      rc = sv4__builder_text(h->b, (const char *)c->content, strlen((const char *)c->content));
      continue;
    }
    if (c->type != XML_ELEMENT_NODE || !c->name) continue;
    const char *nm = (const char *)c->name;
    if (name_in(c->name, skipped)) continue;
    int level = 0;
    sv4_block_kind kind;
    int semantic = 1;
    if ((nm[0] == 'h' || nm[0] == 'H') && nm[1] >= '1' && nm[1] <= '6' && !nm[2]) {
      kind = SV4_BLOCK_HEADING, level = nm[1] - '0';
    } else if (!strcasecmp(nm, "p")) {
      kind = SV4_BLOCK_PARAGRAPH;
    } else if (!strcasecmp(nm, "li")) {
      kind = SV4_BLOCK_LIST_ITEM;
    } else if (!strcasecmp(nm, "td") || !strcasecmp(nm, "th")) {
      kind = SV4_BLOCK_TABLE_CELL;
    } else if (!strcasecmp(nm, "br")) {
      rc = sv4__builder_cp(h->b, ' ');
      continue;
    } else if (name_in(c->name, containers)) {
      semantic = 0, kind = SV4_BLOCK_PARAGRAPH;
    } else { /* inline element */
      rc = walk(h, c, depth + 1);
      continue;
    }
    if (h->in_semantic && (kind == SV4_BLOCK_PARAGRAPH || kind == h->ctx)) {
      /* <li><p>..</p></li>, <td><div>..</div></td>: stays one block */
      if (!(rc = sv4__builder_cp(h->b, ' '))) rc = walk(h, c, depth + 1);
      continue;
    }
    sv4_block_kind saved_ctx = h->ctx;
    int saved_in = h->in_semantic;
    if ((rc = sv4__builder_end(h->b))) break;
    if (semantic) {
      if ((rc = sv4__builder_begin(h->b, kind, level, 0))) break;
      h->ctx = kind, h->in_semantic = 1;
    }
    rc = walk(h, c, depth + 1);
    if (!rc) rc = sv4__builder_end(h->b);
    h->ctx = saved_ctx, h->in_semantic = saved_in;
  }
  return rc;
}

static xmlNodePtr find_el(xmlNodePtr n, const char *name, unsigned depth) {
  for (xmlNodePtr c = n ? n->children : NULL; c && depth < 8; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (!strcasecmp((const char *)c->name, name)) return c;
    if (!strcasecmp((const char *)c->name, "body")) continue;
    xmlNodePtr r = find_el(c, name, depth + 1);
    if (r) return r;
  }
  return NULL;
}

static void head_meta(html *h, xmlDocPtr doc) {
  xmlNodePtr root = xmlDocGetRootElement(doc);
  sv4_document *d = h->b->doc;
  if (!root) return;
  xmlChar *lang = xmlGetProp(root, (const xmlChar *)"lang");
  if (!lang) lang = xmlGetProp(root, (const xmlChar *)"xml:lang");
  if (lang) d->lang_hint = sv4__builder_meta(h->b, (const char *)lang, strlen((const char *)lang));
  xmlFree(lang);
  xmlNodePtr head = find_el((xmlNodePtr)doc, "head", 0);
  xmlNodePtr title = find_el(head, "title", 0);
  if (title) {
    xmlChar *t = xmlNodeGetContent(title);
    if (t) d->title = sv4__builder_meta(h->b, (const char *)t, strlen((const char *)t));
    xmlFree(t);
  }
  for (xmlNodePtr c = head ? head->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcasecmp((const char *)c->name, "meta")) continue;
    xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
    xmlChar *content = xmlGetProp(c, (const xmlChar *)"content");
    if (name && content) {
      const char **slot = !strcasecmp((const char *)name, "author")            ? &d->author
                          : !strcasecmp((const char *)name, "dcterms.created") ? &d->created
                          : !strcasecmp((const char *)name, "date")            ? &d->created
                                                                               : NULL;
      if (slot && !*slot) *slot = sv4__builder_meta(h->b, (const char *)content, strlen((const char *)content));
    }
    xmlFree(name);
    xmlFree(content);
  }
}

static void silent(void *ctx, const char *msg, ...) {}
static void silent_structured(void *ctx, xmlErrorPtr e) {}

sv4_rc sv4__ingest_html(const char *data, size_t len, sv4__builder *b, sv4_error *err) {
  htmlParserCtxtPtr ctxt = NULL;
  xmlDocPtr doc = NULL;
  html h = {b, SV4_BLOCK_PARAGRAPH, 0, 0};
  sv4_rc rc = SV4_OK;
  sv4__xml_init();
  if (len > (size_t)INT32_MAX) return sv4_error_set(err, SV4_ERR_LIMIT, "%s: too large", b->name);
  ctxt = htmlNewParserCtxt();
  if (!ctxt) return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", b->name);
  ctxt->sax->error = silent;
  ctxt->sax->warning = silent;
  ctxt->sax->serror = silent_structured;
  doc = htmlCtxtReadMemory(ctxt, data, (int)len, b->name, NULL,
                           HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
  if (!doc || !xmlDocGetRootElement(doc)) {
    rc = sv4_error_set(err, SV4_ERR_PARSE, "%s: not parseable as HTML", b->name);
    goto done;
  }
  if (ctxt->lastError.message && strstr(ctxt->lastError.message, "depth")) { /* libxml2 stopped early */
    rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: HTML nests elements deeper than libxml2's limit", b->name);
    goto done;
  }
  head_meta(&h, doc);
  rc = walk(&h, xmlDocGetRootElement(doc), 0);
  if (!rc) rc = sv4__builder_end(b);
  if (h.too_deep)
    rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: HTML nests elements deeper than %u", b->name,
                       (unsigned)SV4_MAX_XML_DEPTH);
  else if (rc)
    rc = sv4__builder_fail(b, rc, err);
done:
  if (doc) xmlFreeDoc(doc);
  htmlFreeParserCtxt(ctxt);
  return rc;
}
