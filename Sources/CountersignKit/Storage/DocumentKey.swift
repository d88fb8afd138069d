/// The keys a store files document bytes under (the `documents` table's key column).
///
/// Documents are content-addressed by their exact bytes: `file:sha256:HEX`, the SHA-256 of the bytes
/// as stored. A revision-2 entry signs that hash beside the fingerprint, so two versions of a
/// document that differ only where the fingerprint does not look (a comment, attribute order,
/// whitespace between attributes) are two rows, and a stored row whose bytes changed no longer
/// hashes to its key. Pipeline files are kept the same way. A revision-1 entry signs only the
/// fingerprint; its documents are filed under `sha256:HEX`, the fingerprint itself.
public enum DocumentKey {
    /// The key of bytes whose SHA-256 is `sha256`.
    public static func exactBytes(_ sha256: Digest) -> String { "file:sha256:" + sha256.hex }

    /// The key of a revision-1 attachment: its fingerprint.
    public static func fingerprint(_ fingerprint: Fingerprint) -> String { fingerprint.description }

    /// Where a document is filed: by its exact bytes when the entry signs their hash (`sha256`),
    /// else by its fingerprint.
    public static func of(sha256: Digest?, fingerprint print: Fingerprint) -> String {
        sha256.map(exactBytes) ?? fingerprint(print)
    }

    /// Where an entry's attachment is filed.
    public static func of(_ attachment: Statement.Attachment) -> String {
        of(sha256: attachment.sha256, fingerprint: Fingerprint(digest: attachment.fingerprint))
    }
}

extension StoredDocument {
    /// Bytes filed by their exact SHA-256 (`DocumentKey.exactBytes`).
    public init(exactBytes bytes: [UInt8]) {
        self.init(key: DocumentKey.exactBytes(SHA256.hash(bytes)), bytes: bytes)
    }

    /// The bytes of an attachment, filed where `DocumentKey.of` says.
    public init(_ attachment: Statement.Attachment, bytes: [UInt8]) {
        self.init(key: DocumentKey.of(attachment), bytes: bytes)
    }
}
