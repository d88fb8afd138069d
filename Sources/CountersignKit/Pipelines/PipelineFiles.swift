import Foundation

/// The files one pipeline version is made of: the pipeline file and every XML Schema file it loads
/// (those its documents declare and every file they `xs:include`, `xs:import`, `xs:redefine` or
/// `xs:override`), by path relative to the pipeline file. A version's digest covers them all, so a
/// schema edit is a new version; the ledger stores them with the version, so what a case is
/// checked against never depends on the workspace (CONSORTIUM.md).
public struct PipelineFiles: Sendable, Equatable {
    /// The name the pipeline file takes in a version's manifest and in a bundle.
    public static let pipelineName = "pipeline.yaml"

    /// The pipeline file's exact bytes.
    public let pipeline: [UInt8]
    /// Schema files by path relative to the pipeline file (`schemas/valuation.xsd`).
    public let schemas: [String: [UInt8]]

    public init(pipeline: [UInt8], schemas: [String: [UInt8]] = [:]) {
        self.pipeline = pipeline
        self.schemas = schemas
    }

    /// Every file with its path: `pipeline.yaml` first, then the schemas sorted by path (bytewise).
    public var all: [(path: String, bytes: [UInt8])] {
        [(Self.pipelineName, pipeline)] + schemas.keys.sorted(by: Self.bytewise).map { ($0, schemas[$0]!) }
    }

    /// One line per file, `HEX  PATH`, in the order of `all`: exactly what `sha256sum pipeline.yaml
    /// schemas/…` prints in a folder holding the files (a bundle's `data/`).
    public var manifest: String {
        all.map { SHA256.hash($0.bytes).hex + "  " + $0.path + "\n" }.joined()
    }

    /// The version digest: SHA-256 of `manifest`.
    public var digest: Digest { SHA256.hash(Array(manifest.utf8)) }

    /// `sha256:HEX` of `digest`, how entries and commands name a version.
    public var digestText: String { "sha256:" + digest.hex }

    static func bytewise(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

/// Where the schema files of a pipeline being loaded are read from.
public enum SchemaSource: Sendable {
    /// The folder of the pipeline file, on disk (a workspace file, a proposal).
    case directory(URL)
    /// A version's files, held in memory (from the ledger store or a bundle): nothing else is read.
    case files([String: [UInt8]])

    /// The bytes of the file at `path` (relative to the pipeline file).
    func bytes(at path: String) throws(PipelineFileProblem) -> [UInt8] {
        switch self {
        case .directory(let folder):
            do {
                return Array(try Data(contentsOf: folder.appendingPathComponent(path)))
            } catch {
                throw PipelineFileProblem(path: path, reason: "cannot be read: \(error.localizedDescription)")
            }
        case .files(let files):
            guard let bytes = files[path] else {
                throw PipelineFileProblem(path: path, reason: "is not one of the pipeline version's files")
            }
            return bytes
        }
    }
}

/// Why a schema file cannot be part of a pipeline version.
public struct PipelineFileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "schema file '\(path)' \(reason)" }
}

extension PipelineFiles {
    /// Names a schema path may not begin with: a bundle's own folders and files, which schemas sit beside.
    static let reservedNames: Set<String> = [
        "parties", "entries", "governance", "proofs", "documents", "checkpoints", pipelineName, "checkpoint.txt",
        "report.html", "VERIFY.md", "log-times.txt", "case-head.proof",
    ]

    /// The `schemaLocation` attributes of a schema document bound as `$schema`.
    private static let references =
        "$schema//*[namespace-uri() = 'http://www.w3.org/2001/XMLSchema']"
        + "[local-name() = 'include' or local-name() = 'import' or local-name() = 'redefine' "
        + "or local-name() = 'override']/@schemaLocation"

    /// Reads the schema at `path` and every file it includes from `source` into `files`; returns
    /// the normalised path of `path`. Each file is parsed as a document is (no file declaring an
    /// entity gets through); a reference that is a URL (`http:`, `file:`), absolute, or leads out of
    /// the pipeline's folder is refused, naming the file that makes it: a version holds every file
    /// its schemas read, and nothing is ever fetched.
    static func collect(
        schema path: String,
        from source: SchemaSource,
        into files: inout [String: [UInt8]]
    ) throws(PipelineFileProblem) -> String {
        let main = try normalised(path, in: [])
        var pending = [main]
        while let next = pending.popLast() {
            guard files[next] == nil else { continue }
            let bytes = try source.bytes(at: next)
            files[next] = bytes
            let folder = Array(next.split(separator: "/").dropLast().map(String.init))
            for location in try locations(in: bytes, path: next) {
                guard !location.contains(":") else {
                    throw PipelineFileProblem(
                        path: next,
                        reason: "refers to '\(location)': a schema may include or import only files of the pipeline's "
                            + "folder, by relative path, never a URL"
                    )
                }
                do {
                    pending.append(try normalised(location, in: folder))
                } catch {
                    throw PipelineFileProblem(path: next, reason: "refers to '\(location)', which \(error.reason)")
                }
            }
        }
        return main
    }

    /// `path` resolved against the folder `base`, as a path that stays inside the pipeline's folder,
    /// each component of `[A-Za-z0-9._+-]` not starting with a dot (so manifests and bundles can
    /// carry it as it is).
    static func normalised(_ path: String, in base: [String]) throws(PipelineFileProblem) -> String {
        guard !path.hasPrefix("/") else {
            throw PipelineFileProblem(path: path, reason: "is an absolute path; give it relative to the pipeline file")
        }
        var components = base
        for component in path.split(separator: "/", omittingEmptySubsequences: false) where component != "." {
            if component == ".." {
                guard components.popLast() != nil else {
                    throw PipelineFileProblem(path: path, reason: "lies outside the pipeline file's folder")
                }
            } else {
                components.append(String(component))
            }
        }
        guard !components.isEmpty, components.allSatisfy(isPlainComponent) else {
            throw PipelineFileProblem(
                path: path,
                reason: "is not a plain file path inside the pipeline's folder (letters, digits, . _ + - per part)"
            )
        }
        guard !reservedNames.contains(components[0]) else {
            throw PipelineFileProblem(
                path: path,
                reason: "begins with '\(components[0])', a name bundles use themselves"
            )
        }
        return components.joined(separator: "/")
    }

    private static func isPlainComponent(_ component: String) -> Bool {
        !component.isEmpty && !component.hasPrefix(".")
            && component.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(byte)
            }
    }

    /// The `schemaLocation` of every include, import, redefine and override in a schema file.
    private static func locations(in bytes: [UInt8], path: String) throws(PipelineFileProblem) -> [String] {
        do {
            let documents = ["schema": try XMLDocument(bytes: bytes, source: path)]
            guard case .nodeSet(let count, _) = try XPathExpression(references).evaluate(with: documents) else {
                return []
            }
            return try (0..<count).map { offset throws(DocumentError) in
                let nth = try XPathExpression("string((\(references))[\(offset + 1)])")
                return try nth.evaluate(with: documents).stringValue
            }
        } catch {
            throw PipelineFileProblem(path: path, reason: "is not a readable XML file: \(error)")
        }
    }
}
