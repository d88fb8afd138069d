import Foundation

extension Pipeline {
    /// Loads a pipeline from its file bytes, checking everything FORMATS.md §2 asks. Throws every
    /// problem found, each at its line and column, sorted by position.
    /// - Parameters:
    ///   - path: the file as the user should see it in messages; by default schemas are found
    ///     relative to its folder.
    ///   - parties: the ids of the known parties (`PartyRegistry.partyIDs`).
    ///   - schemaDirectory: where `schema:` paths are resolved, when not the folder of `path`
    ///     (a pipeline reloaded from a case's stored bytes).
    public init(bytes: [UInt8], path: String, parties: Set<String>, schemaDirectory: URL? = nil) throws(Diagnostics) {
        let directory = schemaDirectory ?? URL(fileURLWithPath: path).deletingLastPathComponent()
        var loader = PipelineLoader(path: path, parties: parties, schemaDirectory: directory)
        self = try loader.load(bytes)
    }

    /// Reads and loads a pipeline file; `path` (default: the URL's path) names it in messages.
    public init(contentsOf url: URL, path: String? = nil, parties: Set<String>) throws(ConfigurationError) {
        let path = path ?? url.path
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            try self.init(bytes: bytes, path: path, parties: parties, schemaDirectory: url.deletingLastPathComponent())
        } catch {
            throw .invalid(error)
        }
    }
}
