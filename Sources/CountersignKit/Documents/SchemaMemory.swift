import Foundation
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Sets of schema files held in memory while libxml2's schema parser reads them. While a thread
/// parses a schema from a set, the entity loader (`LibXML`) serves that thread the files of the set
/// and nothing else: no file on disk, whatever path an include names. The set is registered under
/// a folder path that exists nowhere, so the parser resolves relative includes against it as it
/// would on disk. A pipeline version's schemas come from the ledger store or a bundle this way,
/// never from the workspace.
enum SchemaMemory {
    /// What the entity loader should do with a URL.
    enum Lookup {
        /// A file of the calling thread's set: its path in the set and its bytes.
        case file(path: String, bytes: [UInt8])
        /// The calling thread reads a set, and the URL is not one of its files.
        case outside(path: String)
        /// The calling thread reads no set.
        case notInMemory
    }

    /// The set each thread is reading, by thread.
    private static let sets = Mutex<[UInt: (folder: String, files: [String: [UInt8]])]>([:])

    /// The folder sets are registered under: a path that is not on disk.
    private static let root = "/nonexistent/countersign-schemas/"

    /// Runs `body` with `files` (paths relative to one folder) as the calling thread's set; `body`
    /// gets the absolute path under which a file of the set is opened.
    static func withFiles<T>(_ files: [String: [UInt8]], _ body: (_ resolve: (String) -> String) -> T) -> T {
        let folder = root + UUID().uuidString + "/"
        let thread = UInt(pthread_self())
        sets.withLock { $0[thread] = (folder, files) }
        defer { _ = sets.withLock { $0.removeValue(forKey: thread) } }
        return body { folder + $0 }
    }

    /// What the calling thread may read at `url` (a path, or a `file://` URL of one).
    static func lookup(_ url: String) -> Lookup {
        guard let set = sets.withLock({ $0[UInt(pthread_self())] }) else { return .notInMemory }
        var path = url
        if path.lowercased().hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        path = path.removingPercentEncoding ?? path
        guard path.hasPrefix(set.folder) else { return .outside(path: url) }
        let relative = String(path.dropFirst(set.folder.count))
        guard let bytes = set.files[relative] else { return .outside(path: relative) }
        return .file(path: relative, bytes: bytes)
    }
}
