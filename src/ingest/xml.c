/* xml.c — safe XML parsing for the zip-based formats: no network, no entities, no DTD, bounded depth. */
#include <pthread.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ingest/internal.h"
#include "sv4/limits.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init_once(void) { xmlInitParser(); }
void sv4__xml_init(void) { pthread_once(&xml_once, xml_init_once); }

typedef struct {
  int doctype;
} guard;

/* Any DOCTYPE stops the parse before a single entity is declared or expanded. */
static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys) {
  xmlParserCtxtPtr ctxt = ctx;
  ((guard *)ctxt->_private)->doctype = 1;
  xmlStopParser(ctxt);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pub, const xmlChar *sys,
                           xmlChar *content) {
  xmlParserCtxtPtr ctxt = ctx;
  ((guard *)ctxt->_private)->doctype = 1;
  xmlStopParser(ctxt);
}

static void silent(void *ctx, const char *msg, ...) {}
static void silent_structured(void *ctx, xmlErrorPtr e) {}

/* Deepest element nesting, iteratively (a hostile tree must not exhaust our stack). */
static size_t tree_depth(xmlNodePtr root, size_t stop) {
  size_t depth = 0, max = 0;
  xmlNodePtr n = root;
  while (n) {
    if (n->type == XML_ELEMENT_NODE && depth + 1 > max && (max = depth + 1) > stop) return max;
    if (n->children && n->type == XML_ELEMENT_NODE) {
      n = n->children;
      depth++;
      continue;
    }
    while (n && !n->next && n != root) {
      n = n->parent;
      depth--;
    }
    if (!n || n == root) break;
    n = n->next;
  }
  return max;
}

sv4_rc sv4__xml_parse(const char *data, size_t len, const char *name, const char *entry, struct _xmlDoc **out,
                      sv4_error *err) {
  xmlParserCtxtPtr ctxt = NULL;
  xmlDocPtr doc = NULL;
  guard g = {0};
  sv4_rc rc = SV4_OK;
  *out = NULL;
  sv4__xml_init();
  if (len > (size_t)INT32_MAX) return sv4_error_set(err, SV4_ERR_LIMIT, "%s: %s is too large", name, entry);
  ctxt = xmlNewParserCtxt();
  if (!ctxt) return sv4_error_set(err, SV4_ERR_NOMEM, "%s: out of memory", name);
  ctxt->_private = &g;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->externalSubset = on_internal_subset;
  ctxt->sax->entityDecl = on_entity_decl;
  ctxt->sax->error = silent;
  ctxt->sax->warning = silent;
  ctxt->sax->serror = silent_structured;
  ctxt->vctxt.error = silent;
  ctxt->vctxt.warning = silent;
  /* Not XML_PARSE_NOENT (no substitution), not DTDLOAD/DTDATTR, not HUGE (keeps libxml2's own limits). */
  doc = xmlCtxtReadMemory(ctxt, data, (int)len, entry, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (g.doctype || (doc && (doc->intSubset || doc->extSubset))) {
    rc = sv4_error_set(err, SV4_ERR_PARSE,
                       "%s: %s declares a DOCTYPE/entities, which documents of this format never do "
                       "(refused: entity expansion attack?)",
                       name, entry);
    goto done;
  }
  if (!doc || !ctxt->wellFormed) {
    const char *msg = ctxt->lastError.message ? ctxt->lastError.message : "malformed XML";
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
    sv4_rc cls = strstr(msg, "depth") ? SV4_ERR_LIMIT : SV4_ERR_PARSE;
    rc = sv4_error_set(err, cls, "%s: damaged %s (XML error at line %d: %.*s)", name, entry, ctxt->lastError.line,
                       (int)n, msg);
    goto done;
  }
  if (tree_depth(xmlDocGetRootElement(doc), SV4_MAX_XML_DEPTH) > SV4_MAX_XML_DEPTH) {
    rc = sv4_error_set(err, SV4_ERR_LIMIT, "%s: %s nests elements deeper than %u", name, entry,
                       (unsigned)SV4_MAX_XML_DEPTH);
    goto done;
  }
  *out = doc;
  doc = NULL;
done:
  if (doc) xmlFreeDoc(doc);
  xmlFreeParserCtxt(ctxt);
  return rc;
}

int sv4__xml_is(const struct _xmlNode *node, const char *ns, const char *local) {
  if (!node || node->type != XML_ELEMENT_NODE || strcmp((const char *)node->name, local)) return 0;
  if (!ns) return 1;
  return node->ns && node->ns->href && !strcmp((const char *)node->ns->href, ns);
}

char *sv4__xml_attr(const struct _xmlNode *node, const char *ns, const char *local) {
  return (char *)xmlGetNsProp((xmlNodePtr)node, (const xmlChar *)local, (const xmlChar *)ns);
}
