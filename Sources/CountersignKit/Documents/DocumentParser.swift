internal import CLibXML2
import Glibc

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
    private let limits: XMLLimits
    private var failure: DocumentError?
    /// The file being streamed, and how much of it has arrived.
    private var file: (descriptor: Int32, bytesRead: Int)?

    init(source: String, limits: XMLLimits) {
        _ = LibXML.ready
        guard let context = xmlNewParserCtxt(), let sax = context.pointee.sax else {
            preconditionFailure("libxml2 could not allocate a parser context")
        }
        self.context = context
        self.source = source
        self.limits = limits
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
        guard bytes.count <= limits.maxBytes else {
            throw .tooLarge(source: source, size: bytes.count, limit: limits.maxBytes)
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw .malformed(XMLProblem(file: source, line: nil, column: nil, message: "the document is empty"))
        }
        return try run {
            xmlCtxtReadMemory(
                context,
                base.assumingMemoryBound(to: CChar.self),
                Int32(bytes.count),
                source,
                nil,
                Self.options
            )
        }
    }

    /// Parses the open file `descriptor` as libxml2 reads it, a few kilobytes at a time, so a large file is
    /// never held twice in memory; refuses it as soon as more than `limits.maxBytes` have arrived.
    func parse(fileDescriptor descriptor: Int32) throws(DocumentError) -> XMLTree {
        file = (descriptor, 0)
        defer { file = nil }
        return try run { xmlCtxtReadIO(context, Self.readFile, nil, context, source, nil, Self.options) }
    }

    /// Runs one libxml2 read with this parser's guards attached, and keeps its tree or reports its failure.
    private func run(_ read: () -> xmlDocPtr?) throws(DocumentError) -> XMLTree {
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        defer { context.pointee._private = nil }
        let document = read()
        if let failure {
            xmlFreeDoc(document)
            throw failure
        }
        guard let document else {
            throw .malformed(XMLProblem(file: source, line: nil, column: nil, message: "libxml2 could not parse it"))
        }
        return XMLTree(document)
    }

    /// Reads the next chunk of `file` for libxml2: the byte count, or -1 after recording why not.
    private func readFile(into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int32 {
        guard let (descriptor, bytesRead) = file else { return -1 }
        var count: Int
        repeat {
            count = Glibc.read(descriptor, buffer, capacity)
        } while count < 0 && errno == EINTR
        guard count >= 0 else {
            fail(.unreadable(path: source, reason: String(cString: strerror(errno))))
            return -1
        }
        file = (descriptor, bytesRead + count)
        guard bytesRead + count <= limits.maxBytes else {
            fail(.tooLarge(source: source, size: bytesRead + count, limit: limits.maxBytes))
            return -1
        }
        return Int32(count)
    }

    private static let readFile: xmlInputReadCallback = { ctx, buffer, capacity in
        parser(ctx).readFile(into: buffer, capacity: Int(capacity))
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
        guard Int(parser.context.pointee.nameNr) < parser.limits.maxDepth else {
            parser.refuse(.tooDeep(parser.location, limit: parser.limits.maxDepth))
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
