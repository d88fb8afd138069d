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
#endif
