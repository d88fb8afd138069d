/// A SHA-256 digest held inline, in four words, with no heap allocation: for the tables that keep
/// one digest per case or per document while a whole log streams past (`LogAudit`), where a
/// `Digest`'s array would cost an allocation each.
struct InlineDigest: Hashable, Sendable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The first 32 bytes of `digest` (all of a SHA-256); shorter digests are padded with zeros.
    init(_ digest: Digest) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { inline in
            digest.bytes.prefix(32).withUnsafeBytes { inline.copyMemory(from: $0) }
        }
        self.words = words
    }

    static func == (a: InlineDigest, b: InlineDigest) -> Bool {
        a.words == b.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
