import Foundation

/// The pipeline files of a workspace (`pipelines/*.yaml`), found by `pipeline:` id or by path.
public struct PipelineCatalog: Sendable {
    /// The folder holding the pipeline files.
    public let directory: URL
    /// How messages name the folder (`pipelines`).
    public let displayPath: String
    /// Party ids a pipeline may name; `nil` leaves the check out.
    public let parties: Set<String>?

    public init(directory: URL, displayPath: String, parties: Set<String>?) {
        self.directory = directory
        self.displayPath = displayPath
        self.parties = parties
    }

    /// The `.yaml` files of the folder, sorted by name.
    public func files() throws(ConfigurationError) -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadable(path: displayPath, reason: "no such folder")
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// How messages name one file of the folder.
    public func displayPath(of url: URL) -> String {
        url.deletingLastPathComponent().standardizedFileURL == directory.standardizedFileURL
            ? (displayPath as NSString).appendingPathComponent(url.lastPathComponent) : url.path
    }

    /// Loads one pipeline file.
    public func load(_ url: URL, path: String? = nil) throws(ConfigurationError) -> Pipeline {
        try Pipeline(contentsOf: url, path: path ?? displayPath(of: url), parties: parties)
    }

    /// The pipeline a user named: the path of a file, or the `pipeline:` id of a file in the folder
    /// (looked up as `ID.yaml` first, then by reading every file). `nil` when no id matches; a path
    /// (one with `/` or a `.yaml`/`.yml` name) that names no file is `unreadable`.
    public func pipeline(named name: String, relativeTo base: URL) throws(ConfigurationError) -> Pipeline? {
        let asPath = name.hasPrefix("/") ? URL(fileURLWithPath: name) : base.appendingPathComponent(name)
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
            guard FileManager.default.fileExists(atPath: asPath.path) else {
                throw .unreadable(path: name, reason: "no such file")
            }
            return try load(asPath, path: name)
        }
        let byName = directory.appendingPathComponent("\(name).yaml")
        if FileManager.default.fileExists(atPath: byName.path) {
            let pipeline = try load(byName)
            if pipeline.id == name { return pipeline }
        }
        for url in try files() where url != byName {
            if let pipeline = try? load(url), pipeline.id == name { return pipeline }
        }
        return nil
    }
}
