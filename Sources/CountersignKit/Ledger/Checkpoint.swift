import Foundation

/// A transparency log checkpoint (c2sp.org/tlog-checkpoint): the body of a signed note naming the
/// log (origin), its tree size and its RFC 6962 root hash, optionally followed by extension lines.
/// Countersign writes two: the log time of the tree's newest entry (`logTimePrefix` and an RFC
/// 3339 UTC time), so the log's signer vouches for when the log had that many entries, and the root
/// of the case-head map (`CaseMap.extensionPrefix`, docs/CASE-MAP.md), so it vouches for every
/// case's head.
///
/// ```
/// countersign.example/mortgage-consortium
/// 42
/// BASE64-OF-THE-32-BYTE-ROOT
/// countersign.dev/log-time 2026-11-23T10:00:00Z
/// countersign.dev/case-map BASE64-OF-THE-32-BYTE-MAP-ROOT
/// ```
public struct Checkpoint: Hashable, Sendable {
    /// The extension line's first word.
    public static let logTimePrefix = "countersign.dev/log-time "
    /// The log's identity; the log's key name should equal it.
    public let origin: String
    /// The number of leaves in the tree.
    public let size: UInt64
    /// The RFC 6962 Merkle tree root at `size`.
    public let rootHash: Digest
    /// Extension lines after the root hash, as read (the log time's among them).
    public let extensions: [String]

    /// The log time of the newest entry the checkpoint covers, from its extension line; `nil` when
    /// it has none (or a malformed one).
    public var logTime: Date? {
        extensions.first { $0.hasPrefix(Self.logTimePrefix) }.flatMap {
            Timestamp.parseCanonical($0.dropFirst(Self.logTimePrefix.count))
        }
    }

    /// The case-head map's root, from its extension line; `nil` when it has none (a checkpoint
    /// signed before the map existed) or the line is not base64 of 32 bytes.
    public var caseMapRoot: Digest? {
        extensions.first { $0.hasPrefix(CaseMap.extensionPrefix) }.flatMap {
            StrictBase64.decode(String($0.dropFirst(CaseMap.extensionPrefix.count)))
        }.flatMap { $0.count == SHA256.byteCount ? Digest(bytes: $0) : nil }
    }

    /// A checkpoint carrying `logTime` and `caseMapRoot` as its extension lines.
    public init(
        origin: String,
        size: UInt64,
        rootHash: Digest,
        logTime: Date?,
        caseMapRoot: Digest? = nil
    ) throws(LedgerFormatError) {
        var extensions = logTime.map { [Self.logTimePrefix + Timestamp.format($0)] } ?? []
        if let caseMapRoot { extensions.append(CaseMap.extensionPrefix + StrictBase64.encode(caseMapRoot.bytes)) }
        try self.init(origin: origin, size: size, rootHash: rootHash, extensions: extensions)
    }

    /// A checkpoint; throws when the origin or an extension line is empty or holds a newline or
    /// control character, or the root hash is not 32 bytes.
    public init(origin: String, size: UInt64, rootHash: Digest, extensions: [String] = []) throws(LedgerFormatError) {
        guard Self.isValidLine(origin) else { throw .malformedCheckpoint("the origin must be a non-empty line") }
        guard rootHash.bytes.count == SHA256.byteCount else {
            throw .malformedCheckpoint("the root hash is \(rootHash.bytes.count) bytes; it must be 32")
        }
        guard extensions.allSatisfy(Self.isValidLine) else {
            throw .malformedCheckpoint("extension lines must be non-empty lines")
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses a checkpoint body: at least three non-empty lines, each ending in a newline; the
    /// size in decimal without leading zeros; the root hash in standard base64 of 32 bytes.
    public init(body: String) throws(LedgerFormatError) {
        guard body.utf8.last == 0x0A else { throw .malformedCheckpoint("the body must end with a newline") }
        let lines = body.utf8.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.count >= 3 else {
            throw .malformedCheckpoint("the body needs an origin, a tree size and a root hash line")
        }
        let sizeText = lines[1]
        guard let size = UInt64(sizeText), sizeText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            sizeText == "0" || !sizeText.hasPrefix("0")
        else {
            throw .malformedCheckpoint("tree size \"\(sizeText)\" is not a decimal number without leading zeros")
        }
        guard let root = StrictBase64.decode(lines[2]), root.count == SHA256.byteCount else {
            throw .malformedCheckpoint("root hash \"\(lines[2])\" is not base64 of 32 bytes")
        }
        try self.init(origin: lines[0], size: size, rootHash: Digest(bytes: root), extensions: Array(lines[3...]))
    }

    /// The note body: `origin`, size, base64 root hash and extension lines, each ending in a newline.
    public var body: String {
        ([origin, String(size), StrictBase64.encode(rootHash.bytes)] + extensions).map { $0 + "\n" }.joined()
    }

    /// The checkpoint signed by the log's key, as a note ready to be cosigned and published.
    public func signed(by signer: NoteSigner) throws(LedgerFormatError) -> SignedNote {
        try SignedNote.sign(text: body, with: signer)
    }

    /// Reads the checkpoint a signed note carries (its signatures are checked separately, with
    /// `SignedNote.verify(with:)`).
    public init(note: SignedNote) throws(LedgerFormatError) {
        try self.init(body: note.text)
    }

    private static func isValidLine(_ line: String) -> Bool {
        !line.isEmpty && !line.unicodeScalars.contains { $0.value < 0x20 }
    }
}
