import Foundation

/// A 32-byte hash of the case-head map (a key, a value hash, a node) held in four words, so a map
/// of millions of cases keeps no heap buffer per hash; `LogAudit` keeps each case's head and each
/// checked document in it for the same reason. Ordered as its bytes are, most significant
/// first, so keys sort in the order of the map's paths.
struct CaseMapHash: Hashable, Comparable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The empty subtree's hash: 32 zero bytes.
    static let zero = CaseMapHash(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// The hash of 32 bytes; `nil` for any other length.
    init?(_ bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        func word(_ at: Int) -> UInt64 {
            bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        words = (word(0), word(8), word(16), word(24))
    }

    init(_ digest: Digest) {
        self.init(digest.bytes)!
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return out
    }

    var digest: Digest { Digest(bytes: bytes) }

    /// Bit `index` (0 … 255), most significant first.
    func bit(_ index: Int) -> Int {
        let word =
            switch index >> 6 {
            case 0: words.0
            case 1: words.1
            case 2: words.2
            default: words.3
            }
        return Int(truncatingIfNeeded: word >> (63 - UInt64(index & 63))) & 1
    }

    /// The first `depth` bits, the rest zero.
    func masked(_ depth: Int) -> CaseMapHash {
        func mask(_ word: UInt64, _ index: Int) -> UInt64 {
            let kept = min(max(depth - index * 64, 0), 64)
            return kept == 64 ? word : kept == 0 ? 0 : word & ~(UInt64.max >> UInt64(kept))
        }
        return CaseMapHash(words: (mask(words.0, 0), mask(words.1, 1), mask(words.2, 2), mask(words.3, 3)))
    }

    /// SHA-256 of `tag`, `first` and `second`: a map leaf (tag 0x00, key and value hash) or an
    /// inner node (tag 0x01, left and right).
    static func hash(tag: UInt8, _ first: CaseMapHash, _ second: CaseMapHash) -> CaseMapHash {
        var input = [tag]
        input.reserveCapacity(65)
        input += first.bytes
        input += second.bytes
        return CaseMapHash(SHA256.hash(input))
    }

    static func < (lhs: CaseMapHash, rhs: CaseMapHash) -> Bool {
        (lhs.words.0, lhs.words.1, lhs.words.2, lhs.words.3) < (rhs.words.0, rhs.words.1, rhs.words.2, rhs.words.3)
    }

    static func == (lhs: CaseMapHash, rhs: CaseMapHash) -> Bool {
        lhs.words == rhs.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
