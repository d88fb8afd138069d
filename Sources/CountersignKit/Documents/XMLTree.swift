internal import CLibXML2

/// Owns one libxml2 document tree; every `xmlDoc` Countersign parses lives in exactly one of these.
final class XMLTree: @unchecked Sendable {
    // @unchecked: after parsing the tree is only ever read (C14N and XPath read it; schema validation works on
    // a copy, because libxml2's validator writes ID tables into the tree it checks), so threads may share it.
    let pointer: xmlDocPtr

    init(_ pointer: xmlDocPtr) {
        self.pointer = pointer
    }

    deinit { xmlFreeDoc(pointer) }

    /// The document node, as XPath sees it.
    var node: xmlNodePtr { UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: xmlNode.self) }
}
