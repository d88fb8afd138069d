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
        let parser = DocumentParser(source: source, limits: limits)
        let parsed = bytes.withUnsafeBytes { buffer in
            Result { () throws(DocumentError) -> XMLTree in try parser.parse(buffer) }
        }
        self.init(source: source, tree: try parsed.get())
    }

    /// Reads and parses the file at `url`, streaming it into libxml2; messages name it as `url.relativePath`
    /// (the path as given). A file over `limits.maxBytes` is refused before it is read.
    public init(contentsOf url: URL, limits: XMLLimits = .default) throws(DocumentError) {
        let source = url.relativePath
        let size = try Self.reading(source) { try FileManager.default.attributesOfItem(atPath: url.path)[.size] }
        if let size = size as? Int, size > limits.maxBytes {
            throw .tooLarge(source: source, size: size, limit: limits.maxBytes)
        }
        let handle = try Self.reading(source) { try FileHandle(forReadingFrom: url) }
        defer { try? handle.close() }
        self.init(
            source: source,
            tree: try DocumentParser(source: source, limits: limits).parse(fileDescriptor: handle.fileDescriptor)
        )
    }

    private init(source: String, tree: XMLTree) {
        self.source = source
        self.tree = tree
    }

    /// The exclusive XML canonical form (C14N 1.0, without comments): the bytes a fingerprint hashes.
    public func canonicalBytes() throws(DocumentError) -> [UInt8] {
        try withCanonicalForm { [UInt8]($0) }
    }

    /// SHA-256 of `canonicalBytes()`, hashed where libxml2 wrote them, without a copy.
    public func fingerprint() throws(DocumentError) -> Fingerprint {
        try withCanonicalForm { Fingerprint(digest: SHA256.hash($0)) }
    }

    /// Canonicalizes into an output buffer of libxml2's and lends its content to `body`: no copy out of it.
    /// (Measured: faster than `xmlC14NDocDumpMemory`, which copies, and than a write callback into a Swift
    /// array.)
    private func withCanonicalForm<T>(_ body: (UnsafeRawBufferPointer) -> T) throws(DocumentError) -> T {
        guard let output = xmlAllocOutputBuffer(nil) else {
            preconditionFailure("libxml2 could not allocate an output buffer")
        }
        defer { xmlOutputBufferClose(output) }
        // C14N reports its errors only to the calling thread's handler.
        let log = XMLErrorLog(file: source)
        let result = log.capturingThreadErrors {
            xmlC14NDocSaveTo(tree.pointer, nil, Int32(XML_C14N_EXCLUSIVE_1_0.rawValue), nil, 0, output)
        }
        guard result >= 0 else {
            throw .canonicalization(source: source, message: log.problems.first?.message ?? "no reason given")
        }
        return body(
            UnsafeRawBufferPointer(start: xmlOutputBufferGetContent(output), count: xmlOutputBufferGetSize(output))
        )
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
