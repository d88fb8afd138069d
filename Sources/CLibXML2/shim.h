#ifndef COUNTERSIGN_CLIBXML2_SHIM_H
#define COUNTERSIGN_CLIBXML2_SHIM_H
// libxml2 pulls in ICU headers, which clash with the ICU Foundation ships: switch them off first.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/c14n.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>

/// `xmlFree` is a global function-pointer variable; Swift 6 rejects touching it directly.
static inline void cs_xml_free(void *pointer) { xmlFree(pointer); }

/// A parser input over a copy of `length` bytes, named `url` (so relative includes resolve against
/// it). libxml2 2.9 has no `xmlNewInputFromMemory`; this is what it does there.
static inline xmlParserInputPtr cs_input_from_memory(xmlParserCtxtPtr context, const char *url,
                                                     const char *bytes, int length) {
    xmlParserInputBufferPtr buffer = xmlParserInputBufferCreateMem(bytes, length, XML_CHAR_ENCODING_NONE);
    if (buffer == NULL) return NULL;
    xmlParserInputPtr input = xmlNewIOInputStream(context, buffer, XML_CHAR_ENCODING_NONE);
    if (input == NULL) {
        xmlFreeParserInputBuffer(buffer);
        return NULL;
    }
    input->filename = (const char *) xmlStrdup((const xmlChar *) url);
    return input;
}
/// Whether exclusive C14N accepts `href` as a namespace name: empty, or a URI with a scheme. This is
/// c14n.c's own test (`xmlC14NCheckForRelativeNamespaces`); the parser warns about a relative URI only
/// in a default namespace, so `xmlns:a="ht?tp:x"` parses and is refused only when canonicalised.
static inline int cs_is_absolute_namespace(const xmlChar *href) {
    if (href == NULL || href[0] == 0) return 1;
    xmlURIPtr uri = xmlParseURI((const char *) href);
    if (uri == NULL) return 0;
    int absolute = uri->scheme != NULL && uri->scheme[0] != 0;
    xmlFreeURI(uri);
    return absolute;
}
#endif
