internal import CLibXML2
import Glibc

/// One guarded libxml2 parse: owns the parser context and remembers the first thing its guards refused.
///
/// The guards are SAX hooks on this context alone. They stop the parser the moment the DTD declares an
/// entity or an attribute default or names an external DTD, so nothing is ever expanded or fetched (and,
/// with neither, libxml2 itself rejects any reference to an undeclared entity). They also bound nesting
/// depth, attributes per element and namespace declarations in scope (`XMLLimits`). Errors arrive through
/// the context's own structured handler, never through process-wide state.
///
/// libxml2 reads its input through `read`, a few kilobytes at a time, from memory or from a file alike.
/// libxml2 parses a whole start tag before any SAX hook sees it, and its work on one tag grows with the
/// square of the tag's attributes; so every read also checks the counts libxml2 has reached so far and
/// stops it within a few kilobytes of the limit, long before a huge tag costs anything.
final class DocumentParser {
    /// No network, CDATA merged into text, small text nodes stored inline (faster; allowed because a parsed
    /// tree is never modified). Never `NOENT`, `DTDLOAD`, `DTDATTR`, `HUGE` or `RECOVER`.
    private static let options = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
    )

    /// Where the bytes come from, and how many have been handed to libxml2.
    private enum Input {
        case memory(UnsafeRawBufferPointer, offset: Int)
        case file(descriptor: Int32, bytesRead: Int)
    }

    private let context: xmlParserCtxtPtr
    private let source: String
    private let limits: XMLLimits
    private var failure: DocumentError?
    private var input: Input?

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
        guard !bytes.isEmpty else {
            throw .malformed(XMLProblem(file: source, line: nil, column: nil, message: "the document is empty"))
        }
        return try run(.memory(bytes, offset: 0))
    }

    /// Parses the open file `descriptor` as libxml2 reads it, so a large file is never held twice in memory;
    /// refuses it as soon as more than `limits.maxBytes` have arrived.
    func parse(fileDescriptor descriptor: Int32) throws(DocumentError) -> XMLTree {
        try run(.file(descriptor: descriptor, bytesRead: 0))
    }

    /// Runs one libxml2 read of `input` with this parser's guards attached, and keeps its tree or reports its
    /// failure.
    private func run(_ input: Input) throws(DocumentError) -> XMLTree {
        self.input = input
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        defer {
            context.pointee._private = nil
            self.input = nil
        }
        let document = xmlCtxtReadIO(context, Self.read, nil, context, source, nil, Self.options)
        if let failure {
            xmlFreeDoc(document)
            throw failure
        }
        guard let document else {
            throw .malformed(XMLProblem(file: source, line: nil, column: nil, message: "libxml2 could not parse it"))
        }
        return XMLTree(document)
    }

    /// Hands libxml2 the next chunk of `input`: the byte count, or -1 after recording why not.
    private func read(into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int32 {
        guard let buffer, checkCounts() else { return -1 }
        switch input {
        case .memory(let bytes, let offset):
            let count = min(capacity, bytes.count - offset)
            if count > 0 {
                UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            }
            input = .memory(bytes, offset: offset + count)
            return Int32(count)
        case .file(let descriptor, let bytesRead):
            var count: Int
            repeat {
                count = Glibc.read(descriptor, buffer, capacity)
            } while count < 0 && errno == EINTR
            guard count >= 0 else {
                fail(.unreadable(path: source, reason: String(cString: strerror(errno))))
                return -1
            }
            input = .file(descriptor: descriptor, bytesRead: bytesRead + count)
            guard bytesRead + count <= limits.maxBytes else {
                fail(.tooLarge(source: source, size: bytesRead + count, limit: limits.maxBytes))
                return -1
            }
            return Int32(count)
        case nil:
            return -1
        }
    }

    private static let read: xmlInputReadCallback = { ctx, buffer, capacity in
        parser(ctx).read(into: buffer, capacity: Int(capacity))
    }

    /// Whether the counts libxml2 has reached, in the start tag it may be in the middle of, are within the
    /// limits; records the refusal if not (and the read then fails: halting the parser from inside its own
    /// read would free the buffer libxml2 is reading into).
    ///
    /// libxml2 grows its attribute array to `2 × (5n + 10)` slots when it adds an element's attribute n + 1,
    /// so a size of `10 × (maxAttributes + 2)` or more proves an element with more than `maxAttributes`
    /// (this never refuses a document within the limit; `startElement` checks the exact count). `nsNr`
    /// counts the namespace declarations in scope, those of a tag being parsed included.
    private func checkCounts() -> Bool {
        if Int(context.pointee.maxatts) >= 10 * (limits.maxAttributes + 2) {
            fail(.tooManyAttributes(location, limit: limits.maxAttributes))
        } else if Int(context.pointee.nsNr) / 2 > limits.maxNamespaces {
            fail(.tooManyNamespaces(location, limit: limits.maxNamespaces))
        }
        return failure == nil
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
        guard Int(attributeCount) <= parser.limits.maxAttributes else {
            parser.refuse(.tooManyAttributes(parser.location, limit: parser.limits.maxAttributes))
            return
        }
        guard Int(parser.context.pointee.nsNr) / 2 <= parser.limits.maxNamespaces else {
            parser.refuse(.tooManyNamespaces(parser.location, limit: parser.limits.maxNamespaces))
            return
        }
        // `namespaces` holds a prefix and a URI per declaration of this element.
        for index in 0..<Int(namespaceCount) {
            guard let href = namespaces?[2 * index + 1], cs_is_absolute_namespace(href) == 0 else { continue }
            let name = namespaces?[2 * index].map { "xmlns:" + text($0) } ?? "xmlns"
            let location = parser.location
            parser.refuse(
                .namespaceNotAbsolute(
                    XMLProblem(
                        file: parser.source,
                        line: location.line,
                        column: location.column,
                        message: "\(name): '\(text(href))' is not an absolute URI"
                    )
                )
            )
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
