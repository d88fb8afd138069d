/// Documents kept by their exact bytes: a case document's store key is its fingerprint, which two
/// byte versions of one document share (comments, layout, encoding); the exact bytes an entry
/// signs (step/v2 `attaches`) are kept under a key of their own SHA-256 as well, the key pipeline
/// version files are kept under.
extension StoredDocument {
    /// The store key of the file whose exact bytes have SHA-256 `sha256`: `file:sha256:HEX`.
    public static func exactBytesKey(_ sha256: Digest) -> String { "file:sha256:" + sha256.hex }

    /// This document's bytes keyed by their own SHA-256.
    public var exactBytes: StoredDocument {
        StoredDocument(fingerprint: Self.exactBytesKey(SHA256.hash(bytes)), bytes: bytes)
    }
}

extension NewEntry {
    /// The entry with each of its documents kept under its exact bytes' key too.
    var keepingExactBytes: NewEntry {
        var entry = self
        for document in documents
        where !documents.contains(where: { $0.fingerprint == document.exactBytes.fingerprint }) {
            entry.documents.append(document.exactBytes)
        }
        return entry
    }
}

extension LedgerStore {
    /// The exact bytes of a document an entry attaches: those stored under `sha256` when the entry
    /// signs it (step/v2), else (an older entry, or a ledger copied without them) the bytes stored
    /// under its fingerprint — which the caller checks against `sha256` when there is one.
    public func documentBytes(fingerprint: Digest, sha256: Digest?) throws -> [UInt8]? {
        if let sha256, let bytes = try document(fingerprint: StoredDocument.exactBytesKey(sha256)) { return bytes }
        return try document(fingerprint: Fingerprint(digest: fingerprint).description)
    }
}
