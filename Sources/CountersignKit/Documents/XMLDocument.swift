internal import CLibXML2
import Foundation

/// A well-formed XML document, parsed safely: no network, no external DTD or entity, no entity
/// declaration at all, bounded size and depth. Immutable, so it is safe to share between threads.
public struct XMLDocument: Sendable {
    /// The name used in messages, usually the file path as the user gave it.
    public let source: String
    let tree: XMLTree

    /// Parses `bytes` (UTF-8, UTF-16 with a BOM, or any encoding its XML declaration names that libxml2 knows).
    ///
    /// Throws `DocumentError` naming `source`, line and column when the bytes are not well-formed, exceed
    /// `limits`, or carry a DTD that declares entities or attribute defaults or refers to an external DTD.
    public init(bytes: some ContiguousBytes, source: String, limits: XMLLimits = .default) throws(DocumentError) {
        let parsed = bytes.withUnsafeBytes { buffer in
            Result { () throws(DocumentError) -> XMLTree in
                guard buffer.count <= limits.maxBytes else {
                    throw .tooLarge(source: source, size: buffer.count, limit: limits.maxBytes)
                }
                return try DocumentParser(source: source, maxDepth: limits.maxDepth).parse(buffer)
            }
        }
        self.source = source
        self.tree = try parsed.get()
    }

    /// Reads and parses the file at `url`; messages name it as `url.relativePath` (the path as given).
    /// A file over `limits.maxBytes` is refused before it is read.
    public init(contentsOf url: URL, limits: XMLLimits = .default) throws(DocumentError) {
        let source = url.relativePath
        let size = try Self.reading(source) { try FileManager.default.attributesOfItem(atPath: url.path)[.size] }
        if let size = size as? Int, size > limits.maxBytes {
            throw .tooLarge(source: source, size: size, limit: limits.maxBytes)
        }
        let data = try Self.reading(source) { try Data(contentsOf: url) }
        try self.init(bytes: data, source: source, limits: limits)
    }

    /// The exclusive XML canonical form (C14N 1.0, without comments): the bytes a fingerprint hashes.
    public func canonicalBytes() throws(DocumentError) -> [UInt8] {
        try withCanonicalForm { [UInt8]($0) }
    }

    /// SHA-256 of `canonicalBytes()`, hashed where libxml2 wrote them, without a copy.
    public func fingerprint() throws(DocumentError) -> Fingerprint {
        try withCanonicalForm { Fingerprint(digest: SHA256.hash($0)) }
    }

    /// Canonicalizes into a buffer of libxml2's and lends it to `body`. (Measured: faster than streaming
    /// libxml2's output through a callback into a Swift array.)
    private func withCanonicalForm<T>(_ body: (UnsafeRawBufferPointer) -> T) throws(DocumentError) -> T {
        var output: UnsafeMutablePointer<xmlChar>?
        defer { cs_xml_free(output) }
        // C14N reports its errors only to the calling thread's handler.
        let log = XMLErrorLog(file: source)
        let count = log.capturingThreadErrors {
            xmlC14NDocDumpMemory(tree.pointer, nil, Int32(XML_C14N_EXCLUSIVE_1_0.rawValue), nil, 0, &output)
        }
        guard count >= 0 else {
            throw .canonicalization(source: source, message: log.problems.first?.message ?? "no reason given")
        }
        return body(UnsafeRawBufferPointer(start: output, count: Int(count)))
    }

    /// Runs a file-system call, turning its error into `DocumentError.unreadable`.
    private static func reading<T>(_ path: String, _ body: () throws -> T) throws(DocumentError) -> T {
        do {
            return try body()
        } catch {
            let reason =
                switch (error as? CocoaError)?.code {
                case .fileReadNoSuchFile?: "no such file"
                case .fileReadNoPermission?: "permission denied"
                default: error.localizedDescription
                }
            throw .unreadable(path: path, reason: reason)
        }
    }
}
