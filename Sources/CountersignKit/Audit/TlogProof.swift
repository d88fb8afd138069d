/// An offline-verifiable proof that an entry is in a transparency log (c2sp.org/tlog-proof, v1):
/// the entry's index, its RFC 9162 inclusion path, and the signed (perhaps cosigned) checkpoint the
/// path leads to.
///
/// ```
/// c2sp.org/tlog-proof@v1
/// extra BASE64            (optional, not authenticated)
/// index 7
/// BASE64-OF-A-SIBLING-HASH   (zero or more, leaf's sibling first)
///
/// countersign.example/log
/// 12
/// BASE64-ROOT
///
/// — countersign.example/log BASE64-SIGNATURE
/// ```
public struct TlogProof: Hashable, Sendable {
    /// The first line of every proof.
    public static let header = "c2sp.org/tlog-proof@v1"

    /// Opaque application data; the spec says never to trust it (it is not signed).
    public let extra: [UInt8]?
    /// The zero-based index of the entry in the log.
    public let index: UInt64
    /// The inclusion proof, from the leaf's sibling up to the root's child.
    public let hashes: [Digest]
    /// The checkpoint note, verbatim, with every signature line.
    public let note: SignedNote
    /// The checkpoint the note carries.
    public let checkpoint: Checkpoint

    /// A proof; throws when a hash is not 32 bytes, the note is not a checkpoint, or the index is
    /// not inside its tree.
    public init(extra: [UInt8]? = nil, index: UInt64, hashes: [Digest], note: SignedNote) throws(BundleError) {
        guard hashes.allSatisfy({ $0.bytes.count == SHA256.byteCount }) else {
            throw .malformedProof("every proof hash must be a 32-byte SHA-256 hash")
        }
        do {
            checkpoint = try Checkpoint(note: note)
        } catch {
            throw .malformedProof("\(error)")
        }
        guard index < checkpoint.size else {
            throw .malformedProof("index \(index) is outside the checkpoint's tree of \(checkpoint.size) entries")
        }
        self.extra = extra
        self.index = index
        self.hashes = hashes
        self.note = note
    }

    /// Parses a proof exactly as the spec writes it.
    public init(parsing bytes: [UInt8]) throws(BundleError) {
        guard let blank = Self.firstBlankLine(in: bytes) else {
            throw .malformedProof("no blank line separates the proof from the checkpoint")
        }
        let lines = bytes[..<blank].split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.first == Self.header else { throw .malformedProof("the first line must be \(Self.header)") }
        var position = 1
        var extra: [UInt8]?
        if position < lines.count, lines[position].hasPrefix("extra ") {
            guard let decoded = StrictBase64.decode(lines[position].dropFirst("extra ".count)) else {
                throw .malformedProof("the extra line is not standard base64")
            }
            extra = decoded
            position += 1
        }
        guard position < lines.count, lines[position].hasPrefix("index "),
            let index = Self.decimal(lines[position].dropFirst("index ".count))
        else {
            throw .malformedProof("expected `index N` (decimal, no leading zeros) after the header")
        }
        var hashes: [Digest] = []
        for line in lines[(position + 1)...] {
            guard let hash = StrictBase64.decode(line), hash.count == SHA256.byteCount else {
                throw .malformedProof("proof line \"\(line)\" is not base64 of a 32-byte hash")
            }
            hashes.append(Digest(bytes: hash))
        }
        let note: SignedNote
        do {
            note = try SignedNote(parsing: Array(bytes[(blank + 2)...]))
        } catch {
            throw .malformedProof("the checkpoint after the blank line: \(error)")
        }
        try self.init(extra: extra, index: index, hashes: hashes, note: note)
    }

    /// The proof as text, in the spec's exact layout.
    public var serialized: String {
        var text = Self.header + "\n"
        if let extra { text += "extra " + StrictBase64.encode(extra) + "\n" }
        text += "index \(index)\n"
        for hash in hashes { text += StrictBase64.encode(hash.bytes) + "\n" }
        return text + "\n" + note.serialized
    }

    /// The root hash the path leads to from `leafHash`, or `nil` when the path has the wrong length
    /// for the index and tree size.
    public func root(fromLeaf leafHash: Digest) -> Digest? {
        guard let index = Int(exactly: index), let size = Int(exactly: checkpoint.size) else { return nil }
        return MerkleProofVerifier.root(leaf: leafHash, index: index, size: size, proof: hashes)
    }

    /// Whether the path leads from the entry with these exact bytes to the checkpoint's root.
    public func includes(entry bytes: [UInt8]) -> Bool {
        root(fromLeaf: MerkleHash.leaf(bytes)) == checkpoint.rootHash
    }

    /// The offset of the first `\n\n`, the end of the proof lines; `nil` if there is none (also
    /// where a case-head proof's lines end).
    static func firstBlankLine(in bytes: [UInt8]) -> Int? {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    /// An ASCII decimal without leading zeros (except `0` itself).
    static func decimal(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            text == "0" || !text.hasPrefix("0")
        else { return nil }
        return UInt64(text)
    }
}
