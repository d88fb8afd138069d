import Foundation

/// Turns a pipeline file into a `Pipeline`, collecting every problem on the way: YAML syntax, key
/// names and types, ids, references to parties, steps and documents, cycles, expressions, schemas.
struct PipelineLoader {
    /// What a reference names, for the checks run once the whole file has been read.
    enum Namespace: String {
        case party
        case step
        case document
    }

    static let topLevelRequired = ["pipeline", "title", "opened-by", "orchestrator", "steps"]
    static let topLevelOptional = ["version", "documents", "expiry"]

    let path: String
    /// The known party ids; `nil` skips the check (a version approved earlier, reloaded).
    let parties: Set<String>?
    /// Where schema files are read from.
    let schemaSource: SchemaSource
    /// Every schema file read so far, by path relative to the pipeline file.
    var schemaFiles: [String: [UInt8]] = [:]
    var reader = DefinitionReader()
    /// Every id the file refers to, checked against what it (or the party registry) defines.
    var references: [(namespace: Namespace, id: DefinitionReader.Located)] = []
    /// Step ids in file order, each once, whether or not the rest of the step is valid.
    var declaredSteps: [DefinitionReader.Located] = []
    /// Each declared step's `after` list, for the cycle check.
    var dependencies: [String: [DefinitionReader.Located]] = [:]
    /// Every XPath expression read, with its node, for the check that each `$name` is a document.
    var expressions: [(key: String, node: YAMLNode, xpath: XPathExpression)] = []

    init(path: String, parties: Set<String>?, schemaSource: SchemaSource) {
        self.path = path
        self.parties = parties
        self.schemaSource = schemaSource
    }

    mutating func load(_ bytes: [UInt8]) throws(Diagnostics) -> Pipeline {
        guard let root = reader.document(bytes, file: path) else { throw reader.problems }
        let fields = reader.fields(
            of: root,
            "the pipeline",
            required: Self.topLevelRequired,
            optional: Self.topLevelOptional
        )
        let id = fields?["pipeline"].flatMap { reader.identifier($0.value, .pipeline, for: "pipeline") }
        let title = fields?["title"].flatMap { reader.text($0.value, for: "title") }
        let version = fields?["version"].flatMap { reader.text($0.value, for: "version") }
        let openedBy = fields?["opened-by"].map { openers($0) } ?? []
        let orchestrator = fields?["orchestrator"].flatMap { reader.identifier($0.value, .party, for: "orchestrator") }
        orchestrator.map { references.append((.party, $0)) }
        let documents = fields?["documents"].map { self.documents($0.value) } ?? []
        let steps = fields?["steps"].map { self.steps($0) } ?? []
        let expiry = fields?["expiry"].flatMap { self.expiry($0.value) }

        checkReferences(documents: documents.map(\.name), steps: declaredSteps.map(\.text))
        checkExpressions(documents: documents.map(\.name))
        checkCycles()
        guard reader.diagnostics.isEmpty, let id, let title, let orchestrator else { throw reader.problems }
        let files = PipelineFiles(pipeline: bytes, schemas: schemaFiles)
        return Pipeline(
            id: id.text,
            title: title,
            version: version,
            openedBy: openedBy.map(\.text),
            orchestrator: orchestrator.text,
            documents: documents,
            expiry: expiry,
            steps: steps,
            path: path,
            files: files,
            digest: files.digestText
        )
    }

    private mutating func openers(_ entry: YAMLNode.Entry) -> [DefinitionReader.Located] {
        let openers = reader.identifiers(entry.value, .party, for: "opened-by")
        if entry.value.sequence?.isEmpty == true {
            reader.error("'opened-by' must name at least one party", at: entry.value.location)
        }
        references += openers.map { (.party, $0) }
        return openers
    }

    private mutating func documents(_ node: YAMLNode) -> [DocumentDeclaration] {
        guard let entries = node.mapping else {
            reader.error(
                "'documents' must be a mapping of document names, not \(node.kindDescription)",
                at: node.location
            )
            return []
        }
        var documents: [DocumentDeclaration] = []
        for entry in entries {
            guard IdentifierRule.document.accepts(entry.key) else {
                reader.error(IdentifierRule.document.problem(with: entry.key), at: entry.keyLocation)
                continue
            }
            let fields =
                entry.value.isNull
                ? [:]
                : reader.fields(
                    of: entry.value,
                    "document '\(entry.key)'",
                    required: [],
                    optional: ["schema", "revised-by"]
                )
            let schemaPath = fields?["schema"].flatMap { reader.text($0.value, for: "schema") }
            let schema = fields?["schema"].flatMap { entry in schemaPath.flatMap { loadSchema($0, at: entry.value) } }
            let revisedBy = fields?["revised-by"].map { reader.identifiers($0.value, .step, for: "revised-by") } ?? []
            references += revisedBy.map { (.step, $0) }
            documents.append(
                DocumentDeclaration(
                    name: entry.key,
                    schemaPath: schemaPath,
                    schema: schema,
                    revisedBy: revisedBy.map(\.text)
                )
            )
        }
        return documents
    }

    private mutating func expiry(_ node: YAMLNode) -> ExpiryPolicy? {
        guard
            let fields = reader.fields(
                of: node,
                "'expiry'",
                required: ["default"],
                optional: ["from", "key", "windows", "notice"]
            )
        else { return nil }
        var start = ExpiryPolicy.Start.open
        if let from = fields["from"], let text = reader.text(from.value, for: "from"), text != "open" {
            references.append((.step, DefinitionReader.Located(text: text, location: from.value.location)))
            start = .step(text)
        }
        let defaultWindow = fields["default"].flatMap { reader.duration($0.value, for: "default") }
        let key = fields["key"].flatMap { expression($0.value, for: "key") }
        var windows: [String: PipelineDuration] = [:]
        if let entry = fields["windows"] {
            if let rows = entry.value.mapping {
                for row in rows {
                    windows[row.key] = reader.duration(row.value, for: row.key)
                }
                if rows.isEmpty { reader.error("'windows' must list at least one window", at: entry.value.location) }
            } else {
                reader.error("'windows' must be a mapping of key values to durations", at: entry.value.location)
            }
        }
        switch (fields["key"], fields["windows"]) {
        case (nil, let windowsEntry?):
            reader.error("'windows' needs 'key', the expression that picks a window", at: windowsEntry.keyLocation)
        case (let keyEntry?, nil):
            reader.error("'key' picks one of 'windows'; add 'windows' or remove 'key'", at: keyEntry.keyLocation)
        default: break
        }
        let notice = fields["notice"].map { reader.duration($0.value, for: "notice") }
        guard let defaultWindow, notice != .some(nil) else { return nil }
        return ExpiryPolicy(
            start: start,
            defaultWindow: defaultWindow,
            key: key,
            windows: windows,
            notice: notice.flatMap { $0 } ?? ExpiryPolicy.defaultNotice
        )
    }

    /// The XML Schema at `path`, relative to the pipeline's folder, read with every file it includes
    /// from the schema source and loaded from those bytes alone; a schema that does not load is
    /// reported at the `schema:` value with libxml2's problems.
    private mutating func loadSchema(_ path: String, at node: YAMLNode) -> XMLSchema? {
        let main: String
        do {
            main = try PipelineFiles.collect(schema: path, from: schemaSource, into: &schemaFiles)
        } catch {
            reader.error("schema '\(path)' cannot be loaded: \(error)", at: node.location)
            return nil
        }
        do {
            return try XMLSchema(files: schemaFiles, main: main)
        } catch {
            let detail: String =
                switch error {
                case .schemaNotLoaded(_, let problems) where !problems.isEmpty:
                    problems.map(\.description).joined(separator: "; ")
                default: error.description
                }
            reader.error("schema '\(path)' does not load: \(detail)", at: node.location)
            return nil
        }
    }

    /// Reports each reference to a party, step or document that does not exist, suggesting the
    /// nearest defined name. `open` is a valid start for `expiry.from` and is offered as such.
    private mutating func checkReferences(documents: [String], steps: [String]) {
        for (namespace, id) in references where namespace != .party || parties != nil {
            let defined: [String] =
                switch namespace {
                case .party: parties?.sorted() ?? []
                case .step: steps
                case .document: documents
                }
            guard !defined.contains(id.text) else { continue }
            reader.error(
                Suggestion.message("undefined \(namespace.rawValue) '\(id.text)'", for: id.text, in: defined),
                at: id.location
            )
        }
    }
}
