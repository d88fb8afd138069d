import Foundation

/// The case-head map of docs/CASE-MAP.md, written from that page alone for tests: it knows
/// nothing of Countersign's types or its map code, and hashes with `PlainSHA256`. The map's hash
/// is the page's recursive `node(S, d)` over the whole set of heads, as literally as Swift allows:
/// no tree is stored, nothing is cached, so it is slow and obviously the definition.
public enum IndependentCaseMap {
    /// One case's head: its id, how many entries it has, the leaf hash of the newest in lowercase
    /// hex, and the outcome (`open`, `completed`, `rejected`, `expired`, `withdrawn`).
    public struct Head: Sendable, Equatable {
        public var caseID: String
        public var count: Int
        public var headLeafHex: String
        public var outcome: String

        public init(caseID: String, count: Int, headLeafHex: String, outcome: String) {
            self.caseID = caseID
            self.count = count
            self.headLeafHex = headLeafHex
            self.outcome = outcome
        }

        /// The head text: five lines, each ending in a newline.
        public var text: String {
            "countersign.dev/case-head/v1\n\(caseID)\n\(count)\n\(headLeafHex)\n\(outcome)\n"
        }

        /// `k`: SHA-256 of the case id's UTF-8 bytes.
        public var key: [UInt8] { PlainSHA256.hash(Array(caseID.utf8)) }

        /// `SHA-256(0x00 || k || SHA-256(head text))`.
        public var leafHash: [UInt8] { PlainSHA256.hash([0x00] + key + PlainSHA256.hash(Array(text.utf8))) }
    }

    /// An empty subtree's hash: 32 zero bytes.
    public static let empty = [UInt8](repeating: 0, count: 32)

    /// Bit `i` of a key, most significant bit of byte 0 first.
    public static func bit(_ i: Int, of key: [UInt8]) -> Int {
        Int(key[i / 8] >> (7 - i % 8)) & 1
    }

    /// The map root over `heads` (one per case): `node(all cases, 0)`.
    public static func root(of heads: [Head]) -> [UInt8] {
        node(heads, depth: 0)
    }

    /// The siblings on the path from `caseID`'s leaf to the root, the leaf's sibling first, or
    /// `nil` when no head of `heads` is that case's.
    public static func proof(for caseID: String, in heads: [Head]) -> [[UInt8]]? {
        guard let head = heads.first(where: { $0.caseID == caseID }) else { return nil }
        return path(to: head.key, in: heads, depth: 0)
    }

    /// The page's verification: the leaf hash of `head` folded with `siblings`, leaf up, by the
    /// bits of its key.
    public static func fold(_ head: Head, siblings: [[UInt8]]) -> [UInt8] {
        var hash = head.leafHash
        for (j, sibling) in siblings.enumerated() {
            let depth = siblings.count - j
            hash =
                bit(depth - 1, of: head.key) == 0
                ? PlainSHA256.hash([0x01] + hash + sibling) : PlainSHA256.hash([0x01] + sibling + hash)
        }
        return hash
    }

    /// `data/case-head.proof`: the header, the siblings in standard base64 from the leaf up, a
    /// blank line, then `checkpoint` (the signed note, exactly as `data/checkpoint.txt`).
    public static func proofFile(for head: Head, siblings: [[UInt8]], checkpoint: String) -> String {
        "countersign.dev/case-head-proof/v1\ncase \(head.caseID)\ncount \(head.count)\nhead \(head.headLeafHex)\n"
            + "outcome \(head.outcome)\n" + siblings.map { Data($0).base64EncodedString() + "\n" }.joined() + "\n"
            + checkpoint
    }

    /// `node(S, d)`: zeros for no leaf, the leaf hash for one, else the node over both halves.
    private static func node(_ heads: [Head], depth: Int) -> [UInt8] {
        switch heads.count {
        case 0: return empty
        case 1: return heads[0].leafHash
        default:
            precondition(depth < 256, "two heads share a key: a case is listed twice")
            let (zero, one) = split(heads, at: depth)
            return PlainSHA256.hash([0x01] + node(zero, depth: depth + 1) + node(one, depth: depth + 1))
        }
    }

    /// The siblings from the leaf of `key` (which is in `heads`) up to depth `depth`.
    private static func path(to key: [UInt8], in heads: [Head], depth: Int) -> [[UInt8]] {
        guard heads.count > 1 else { return [] }
        let (zero, one) = split(heads, at: depth)
        let (mine, other) = bit(depth, of: key) == 0 ? (zero, one) : (one, zero)
        return path(to: key, in: mine, depth: depth + 1) + [node(other, depth: depth + 1)]
    }

    private static func split(_ heads: [Head], at depth: Int) -> ([Head], [Head]) {
        (heads.filter { bit(depth, of: $0.key) == 0 }, heads.filter { bit(depth, of: $0.key) == 1 })
    }
}
