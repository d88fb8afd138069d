import Foundation
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The files one schema load may read, for the thread doing the load.
///
/// libxml2's schema parser reads the main schema and every `xs:include`, `xs:import`,
/// `xs:redefine` and `xs:override` itself, through the process's one external entity loader
/// (`LibXML`). That loader serves a schema parser only what the calling thread's scope holds: the
/// files of an in-memory set (a pipeline version from the ledger or a bag), or the files under one
/// folder on disk. Anything else — a path outside the folder or the set (`../`, an absolute path, a
/// symbolic link leading out), a URL of any scheme, a load on a thread that registered no scope — is
/// refused, with a message, and never read. Every file served is first parsed as a Countersign
/// document is (`XMLDocument`): one whose DTD declares an entity or an attribute default or names an
/// external DTD, or that is too large or too deep, is refused before libxml2's schema parser (which
/// substitutes entities) can see it.
enum SchemaScope {
    /// Where the files of a scope come from.
    enum Files {
        /// Files held in memory, by path relative to one folder (as includes name them).
        case memory([String: [UInt8]])
        /// The files under a folder on disk, and nothing outside it.
        case folder(URL)
    }

    /// What the entity loader should do with a URL.
    enum Lookup {
        /// A file of the calling thread's scope, checked: its path in the scope and its bytes.
        case file(path: String, bytes: [UInt8])
        /// Not to be read, and why (naming the reference).
        case refused(String)
    }

    private struct Scope {
        /// The absolute folder path the files are resolved against, ending in `/`.
        let base: String
        let files: Files
    }

    /// The scope each thread is loading a schema in, by thread.
    private static let scopes = Mutex<[UInt: Scope]>([:])

    /// The folder in-memory sets are registered under: a path that is not on disk.
    private static let memoryRoot = "/nonexistent/countersign-schemas/"

    /// Runs `body` with `files` as the calling thread's scope; `body` gets the absolute path under
    /// which a file of the scope (a path relative to its folder) is opened.
    static func with<T>(_ files: Files, _ body: (_ resolve: (String) -> String) -> T) -> T {
        let base: String =
            switch files {
            case .memory: memoryRoot + UUID().uuidString + "/"
            case .folder(let folder): folder.standardizedFileURL.path + "/"
            }
        let thread = UInt(pthread_self())
        scopes.withLock { $0[thread] = Scope(base: base, files: files) }
        defer { _ = scopes.withLock { $0.removeValue(forKey: thread) } }
        return body { base + $0 }
    }

    /// What the calling thread may read at `url` (a path, or a `file://` URL of one), as libxml2
    /// resolved it against the including file.
    static func lookup(_ url: String) -> Lookup {
        guard let scope = scopes.withLock({ $0[UInt(pthread_self())] }) else {
            return .refused("refused to read \(url): nothing may be loaded outside a schema's own files")
        }
        var path = url
        if path.lowercased().hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        guard !path.contains("://") else {
            return .refused("refused to fetch \(url): a schema may refer only to files beside it, never to a URL")
        }
        path = path.removingPercentEncoding ?? path
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path.hasPrefix(scope.base), !components.contains(".."), !components.contains(".") else {
            return .refused(outside(url, scope))
        }
        let relative = String(path.dropFirst(scope.base.count))
        let bytes: [UInt8]
        switch scope.files {
        case .memory(let files):
            guard let file = files[relative] else { return .refused(outside(relative, scope)) }
            bytes = file
        case .folder:
            switch read(relative, in: scope.base) {
            case .success(let file): bytes = file
            case .failure(let refusal): return .refused(refusal.message)
            }
        }
        do {
            _ = try XMLDocument(bytes: bytes, source: relative)
        } catch {
            switch error {
            case .entityDeclaration, .externalDTD, .attributeDefault, .tooLarge, .tooDeep, .tooManyAttributes,
                .tooManyNamespaces:
                return .refused("refused to read schema file \(relative): \(error)")
            default:
                break  // Not well-formed: libxml2's schema parser says where, naming the file.
            }
        }
        return .file(path: relative, bytes: bytes)
    }

    private static func outside(_ reference: String, _ scope: Scope) -> String {
        switch scope.files {
        case .memory:
            "refused to read \(reference): it is not one of the pipeline version's schema files, "
                + "the only files its schemas may include or import"
        case .folder:
            "refused to read \(reference): it lies outside \(scope.base), the folder whose files "
                + "the schema may include or import"
        }
    }

    private struct Refusal: Error {
        let message: String
    }

    /// The bytes of the regular file `relative` under `base`, unless a symbolic link leads it out of
    /// `base` or it is larger than a document may be.
    private static func read(_ relative: String, in base: String) -> Result<[UInt8], Refusal> {
        guard let realBase = realPath(base), let real = realPath(base + relative) else {
            return .failure(Refusal(message: "cannot read schema file \(base + relative): no such file"))
        }
        guard real.hasPrefix(realBase.hasSuffix("/") ? realBase : realBase + "/") else {
            return .failure(
                Refusal(
                    message: "refused to read \(base + relative): a symbolic link leads it outside \(base), the "
                        + "folder whose files the schema may include or import"
                )
            )
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: real),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, size <= XMLLimits.default.maxBytes,
            let data = FileManager.default.contents(atPath: real)
        else {
            return .failure(
                Refusal(message: "cannot read schema file \(base + relative): not a readable file of a schema's size")
            )
        }
        return .success(Array(data))
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
