internal import CLibXML2

/// One guarded libxml2 parse: owns the parser context and remembers the first thing its guards refused.
///
/// The guards are SAX hooks on this context alone. They stop the parser the moment the DTD declares an
/// entity or an attribute default or names an external DTD, so nothing is ever expanded or fetched (and,
/// with neither, libxml2 itself rejects any reference to an undeclared entity). They also bound nesting
/// depth. Errors arrive through the context's own structured handler, never through process-wide state.
final class DocumentParser {
    /// No network, CDATA merged into text, small text nodes stored inline (faster; allowed because a parsed
    /// tree is never modified). Never `NOENT`, `DTDLOAD`, `DTDATTR`, `HUGE` or `RECOVER`.
    private static let options = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
    )

    private let context: xmlParserCtxtPtr
    private let source: String
    private let maxDepth: Int
    private var failure: DocumentError?

    init(source: String, maxDepth: Int) {
        _ = LibXML.ready
        guard let context = xmlNewParserCtxt(), let sax = context.pointee.sax else {
            preconditionFailure("libxml2 could not allocate a parser context")
        }
        self.context = context
        self.source = source
        self.maxDepth = maxDepth
        sax.pointee.internalSubset = Self.internalSubset
        sax.pointee.entityDecl = Self.entityDecl
        sax.pointee.unparsedEntityDecl = Self.unparsedEntityDecl
        sax.pointee.attributeDecl = Self.attributeDecl
        sax.pointee.startElementNs = Self.startElement
        sax.pointee.serror = Self.structuredError
    }

    deinit { xmlFreeParserCtxt(context) }

    /// Parses `bytes` (encoding from the BOM or the XML declaration) into a tree, or says why not.
    func parse(_ bytes: UnsafeRawBufferPointer) throws(DocumentError) -> XMLTree {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw .malformed(XMLProblem(file: source, line: nil, column: nil, message: "the document is empty"))
        }
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        defer { context.pointee._private = nil }
        let document = xmlCtxtReadMemory(
            context,
            base.assumingMemoryBound(to: CChar.self),
            Int32(bytes.count),
            source,
            nil,
            Self.options
        )
        if let failure {
            xmlFreeDoc(document)
            throw failure
        }
        guard let document else {
            throw .malformed(XMLProblem(file: source, line: nil, column: nil, message: "libxml2 could not parse it"))
        }
        return XMLTree(document)
    }

    /// Where the parser is now, 1-based.
    private var location: SourceLocation {
        let input = context.pointee.input?.pointee
        return SourceLocation(file: source, line: Int(input?.line ?? 0), column: Int(input?.col ?? 0))
    }

    /// Records the first failure; later ones are usually its consequences.
    private func fail(_ error: DocumentError) {
        if failure == nil { failure = error }
    }

    /// Records a refusal and halts the parser where it stands.
    private func refuse(_ error: DocumentError) {
        fail(error)
        xmlStopParser(context)
    }

    /// The parser behind a SAX callback's `ctx`, which libxml2 sets to the parser context.
    private static func parser(_ ctx: UnsafeMutableRawPointer?) -> DocumentParser {
        let context = ctx!.assumingMemoryBound(to: xmlParserCtxt.self)
        return Unmanaged<DocumentParser>.fromOpaque(context.pointee._private).takeUnretainedValue()
    }

    private static func text(_ pointer: UnsafePointer<xmlChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static let internalSubset: internalSubsetSAXFunc = { ctx, name, externalID, systemID in
        guard let identifier = systemID ?? externalID else {
            xmlSAX2InternalSubset(ctx, name, nil, nil)
            return
        }
        let parser = parser(ctx)
        parser.refuse(.externalDTD(parser.location, identifier: text(identifier)))
    }

    private static let entityDecl: entityDeclSAXFunc = { ctx, name, _, _, _, _ in
        let parser = parser(ctx)
        parser.refuse(.entityDeclaration(parser.location, name: text(name)))
    }

    private static let unparsedEntityDecl: unparsedEntityDeclSAXFunc = { ctx, name, _, _, _ in
        let parser = parser(ctx)
        parser.refuse(.entityDeclaration(parser.location, name: text(name)))
    }

    private static let attributeDecl: attributeDeclSAXFunc = { ctx, element, name, type, def, value, tree in
        xmlSAX2AttributeDecl(ctx, element, name, type, def, value, tree)
        guard value != nil else { return }
        let parser = parser(ctx)
        parser.refuse(.attributeDefault(parser.location, element: text(element), attribute: text(name)))
    }

    private static let startElement: startElementNsSAX2Func = {
        ctx,
        name,
        prefix,
        uri,
        namespaceCount,
        namespaces,
        attributeCount,
        defaultedCount,
        attributes in
        let parser = parser(ctx)
        // libxml2 pushes an element's name after this callback: `nameNr` counts its ancestors.
        guard Int(parser.context.pointee.nameNr) < parser.maxDepth else {
            parser.refuse(.tooDeep(parser.location, limit: parser.maxDepth))
            return
        }
        xmlSAX2StartElementNs(
            ctx,
            name,
            prefix,
            uri,
            namespaceCount,
            namespaces,
            attributeCount,
            defaultedCount,
            attributes
        )
    }

    private static let structuredError: xmlStructuredErrorFunc = { ctx, error in
        guard let error else { return }
        let parser = parser(ctx)
        let problem = LibXML.problem(from: error.pointee, file: parser.source)
        switch xmlParserErrors(rawValue: UInt32(bitPattern: error.pointee.code)) {
        case XML_WAR_NS_URI, XML_WAR_NS_URI_RELATIVE: parser.fail(.namespaceNotAbsolute(problem))
        default: if LibXML.isError(error.pointee) { parser.fail(.malformed(problem)) }
        }
    }
}
