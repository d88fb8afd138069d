import Foundation

extension Pipeline {
    /// Loads a pipeline from its file bytes, checking everything FORMATS.md §2 asks. Throws every
    /// problem found, each at its line and column, sorted by position.
    /// - Parameters:
    ///   - path: the file as the user should see it in messages.
    ///   - parties: the ids of the parties in force; `nil` skips the check (a version approved
    ///     earlier, reloaded from the ledger or a bundle).
    ///   - schemas: where `schema:` paths are read from: a folder on disk (default: that of `path`),
    ///     or a version's files in memory.
    public init(bytes: [UInt8], path: String, parties: Set<String>?, schemas: SchemaSource? = nil) throws(Diagnostics) {
        let source = schemas ?? .directory(URL(fileURLWithPath: path).deletingLastPathComponent())
        var loader = PipelineLoader(path: path, parties: parties, schemaSource: source)
        self = try loader.load(bytes)
    }

    /// Loads a version from its files alone (nothing on disk is read); throws when the files do not
    /// load or hold more than the pipeline uses.
    public init(files: PipelineFiles, path: String) throws(Diagnostics) {
        try self.init(bytes: files.pipeline, path: path, parties: nil, schemas: .files(files.schemas))
        guard self.files == files else {
            let unused = Set(files.schemas.keys).subtracting(self.files.schemas.keys).sorted()
            throw Diagnostics([
                Diagnostic(
                    "the version holds files the pipeline does not load: \(unused.joined(separator: ", "))",
                    at: SourceLocation(file: path, line: 1, column: 1)
                )
            ])
        }
    }

    /// Reads and loads a pipeline file; `path` (default: the URL's path) names it in messages.
    /// Its schemas are read from the file's folder.
    public init(contentsOf url: URL, path: String? = nil, parties: Set<String>?) throws(ConfigurationError) {
        let path = path ?? url.path
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            try self.init(
                bytes: bytes,
                path: path,
                parties: parties,
                schemas: .directory(url.deletingLastPathComponent())
            )
        } catch {
            throw .invalid(error)
        }
    }
}
