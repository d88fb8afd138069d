internal import CLibXML2
import Foundation

/// An XML Schema 1.0, loaded from a set of files in memory or from a folder on disk, reading nothing
/// else: its `xs:include`s, `xs:import`s, `xs:redefine`s and `xs:override`s may name only files of
/// the set or under the folder, never a URL, and no schema file may declare an entity (`SchemaScope`).
/// Owns libxml2's parsed schema; safe to share between threads.
public final class XMLSchema: @unchecked Sendable {
    // @unchecked: libxml2 never changes a parsed schema, and each validation gets its own validation context.
    private let schema: xmlSchemaPtr
    /// The schema file as the caller named it.
    public let path: String

    /// Loads the schema at `url`, which may include or import only files under `folder` (by default
    /// the schema's own folder). A schema that does not load throws `DocumentError.schemaNotLoaded`
    /// with every problem libxml2 reported, each naming the file (the main one or an included one) and,
    /// where libxml2 knows it, the line.
    public init(contentsOf url: URL, inside folder: URL? = nil) throws(DocumentError) {
        path = url.relativePath
        let file = url.standardizedFileURL
        let scope = (folder ?? file.deletingLastPathComponent()).standardizedFileURL
        let base = scope.path.hasSuffix("/") ? scope.path : scope.path + "/"
        guard file.path.hasPrefix(base) else {
            throw .schemaNotLoaded(
                path: path,
                problems: [XMLProblem(file: path, line: nil, column: nil, message: "it lies outside \(scope.path)")]
            )
        }
        schema = try Self.load(.folder(scope), main: String(file.path.dropFirst(base.count)), named: path)
    }

    /// Loads the schema `main` of a set of files held in memory (paths relative to one folder, as
    /// includes name them). Includes and imports are read from the set only: a file outside it,
    /// on disk or on the network, is never read.
    public init(files: [String: [UInt8]], main: String) throws(DocumentError) {
        path = main
        schema = try Self.load(.memory(files), main: main, named: main)
    }

    /// Parses the schema `main` of `files`; problems name the files of an in-memory set by their
    /// relative paths, not the folder they were read under.
    private static func load(
        _ files: SchemaScope.Files,
        main: String,
        named path: String
    ) throws(DocumentError)
        -> xmlSchemaPtr
    {
        _ = LibXML.ready
        let log = XMLErrorLog(file: path)
        var folder = ""
        let parsed: xmlSchemaPtr? = SchemaScope.with(files) { resolve in
            folder = resolve("")
            guard let parserContext = xmlSchemaNewParserCtxt(resolve(main)) else {
                preconditionFailure("libxml2 could not allocate a schema parser context")
            }
            defer { xmlSchemaFreeParserCtxt(parserContext) }
            // The schema parser reads its files with parsers of its own, which report only to the thread's handler.
            return log.capturingThreadErrors { xmlSchemaParse(parserContext) }
        }
        // A refused file is an error even where libxml2 carries on without it (an import it only warns about).
        guard let parsed, log.problems.isEmpty else {
            if let parsed { xmlSchemaFree(parsed) }
            var problems = log.problems
            if case .memory = files {
                problems = problems.map { problem in
                    var named = problem
                    if named.file.hasPrefix(folder) { named.file = String(named.file.dropFirst(folder.count)) }
                    return named
                }
            }
            throw .schemaNotLoaded(path: path, problems: problems)
        }
        return parsed
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
