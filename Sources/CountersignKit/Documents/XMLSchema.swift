internal import CLibXML2
import Foundation

/// An XML Schema 1.0 loaded from a local file; its `xs:include`s and `xs:import`s are read from local files
/// too, never from the network. Owns libxml2's parsed schema; safe to share between threads.
public final class XMLSchema: @unchecked Sendable {
    // @unchecked: libxml2 never changes a parsed schema, and each validation gets its own validation context.
    private let schema: xmlSchemaPtr
    /// The schema file as the caller named it.
    public let path: String

    /// Loads the schema at `url`. A schema that does not load throws `DocumentError.schemaNotLoaded`
    /// with every problem libxml2 reported, each naming the file (the main one or an included one) and,
    /// where libxml2 knows it, the line.
    public init(contentsOf url: URL) throws(DocumentError) {
        _ = LibXML.ready
        path = url.relativePath
        guard let parserContext = xmlSchemaNewParserCtxt(url.path) else {
            preconditionFailure("libxml2 could not allocate a schema parser context")
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        // The schema parser reads its files with parsers of its own, which report only to the thread's handler.
        let log = XMLErrorLog(file: path)
        guard let schema = log.capturingThreadErrors({ xmlSchemaParse(parserContext) }) else {
            throw .schemaNotLoaded(path: path, problems: log.problems)
        }
        self.schema = schema
    }

    /// Loads the schema `main` of a set of files held in memory (paths relative to one folder, as
    /// includes name them). Includes and imports are read from the set only: a file outside it,
    /// on disk or on the network, is never read.
    public init(files: [String: [UInt8]], main: String) throws(DocumentError) {
        _ = LibXML.ready
        path = main
        let log = XMLErrorLog(file: main)
        var folder = ""
        let parsed: xmlSchemaPtr? = SchemaMemory.withFiles(files) { resolve in
            folder = resolve("")
            guard let parserContext = xmlSchemaNewParserCtxt(resolve(main)) else {
                preconditionFailure("libxml2 could not allocate a schema parser context")
            }
            defer { xmlSchemaFreeParserCtxt(parserContext) }
            return log.capturingThreadErrors { xmlSchemaParse(parserContext) }
        }
        guard let parsed else {
            // Problems name files by the set's relative paths, not the folder they were read under.
            let problems = log.problems.map { problem in
                var named = problem
                if named.file.hasPrefix(folder) { named.file = String(named.file.dropFirst(folder.count)) }
                return named
            }
            throw .schemaNotLoaded(path: main, problems: problems)
        }
        self.schema = parsed
    }

    deinit { xmlSchemaFree(schema) }

    /// Validates `document`, throwing `DocumentError.invalid` with every violation, each with its line.
    public func validate(_ document: XMLDocument) throws(DocumentError) {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            preconditionFailure("libxml2 could not allocate a schema validation context")
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let log = XMLErrorLog(file: document.source)
        xmlSchemaSetValidStructuredErrors(context, XMLErrorLog.handler, log.userData)
        // libxml2's validator records ID attributes in the tree it checks; documents are shared between
        // threads and never written, so it checks a private copy (line numbers are copied too).
        guard let copy = xmlCopyDoc(document.tree.pointer, 1) else {
            preconditionFailure("libxml2 could not copy a document")
        }
        let tree = XMLTree(copy)
        let result = withExtendedLifetime(log) { xmlSchemaValidateDoc(context, tree.pointer) }
        guard result == 0 else { throw .invalid(source: document.source, violations: log.problems) }
    }
}
