import Foundation

/// One case's head as the case-head map holds it (docs/CASE-MAP.md): how many entries the case has
/// below a checkpoint's size, the leaf hash of the newest of them, and the outcome they record.
public struct CaseHead: Sendable, Hashable {
    /// The outcomes a case's entries can record (`CaseOutcome`'s raw values).
    public static let outcomes: Set<String> = ["open", "completed", "rejected", "expired", "withdrawn"]

    public var caseID: String
    public var count: Int
    public var headLeaf: Digest
    public var outcome: String

    public init(caseID: String, count: Int, headLeaf: Digest, outcome: String) {
        self.caseID = caseID
        self.count = count
        self.headLeaf = headLeaf
        self.outcome = outcome
    }

    /// Whether the outcome is final: no entry may follow it.
    public var isClosed: Bool { outcome != "open" }
}

/// A case with entries in a range of the log: its entries below the range's end, and the newest.
public struct CaseHeadChange: Sendable, Hashable {
    public var caseID: String
    /// The number of the case's entries below the range's end.
    public var count: Int
    /// The newest of them.
    public var headIndex: Int
    public var headLeaf: Digest

    public init(caseID: String, count: Int, headIndex: Int, headLeaf: Digest) {
        self.caseID = caseID
        self.count = count
        self.headIndex = headIndex
        self.headLeaf = headLeaf
    }
}

/// A position in the case-head map: a depth and the first `depth` bits of the keys below it,
/// stored as `(depth + 7) / 8` bytes whose bits past `depth` are zero. Held as a 32-byte hash with
/// the bits past `depth` zero, so a map update keeps no heap buffer per position.
public struct CaseMapPosition: Sendable, Hashable {
    public let depth: Int
    let bits: CaseMapHash

    /// The position of depth `depth` above `key`.
    init(depth: Int, key: CaseMapHash) {
        self.depth = depth
        bits = key.masked(depth)
    }

    public init(depth: Int, prefix: [UInt8]) {
        self.depth = depth
        let padded = Array(prefix.prefix(32)) + [UInt8](repeating: 0, count: max(0, 32 - prefix.count))
        bits = CaseMapHash(padded)!.masked(depth)
    }

    /// The stored prefix bytes.
    public var prefix: [UInt8] { Array(bits.bytes.prefix((depth + 7) / 8)) }
}

/// A stored node of the case-head map: an inner node (its children's hashes) or a leaf (its key
/// and value hash).
public struct CaseMapNode: Sendable, Hashable {
    public enum Kind: Int, Sendable {
        case leaf = 0
        case inner = 1
    }

    public var kind: Kind
    let firstHash: CaseMapHash
    let secondHash: CaseMapHash

    init(kind: Kind, first: CaseMapHash, second: CaseMapHash) {
        self.kind = kind
        firstHash = first
        secondHash = second
    }

    /// A node read from a store; `nil` when a hash is not 32 bytes.
    public init?(kind: Kind, first: [UInt8], second: [UInt8]) {
        guard let first = CaseMapHash(first), let second = CaseMapHash(second) else { return nil }
        self.init(kind: kind, first: first, second: second)
    }

    /// An inner node's left child hash, a leaf's key.
    public var first: Digest { firstHash.digest }
    /// An inner node's right child hash, a leaf's value hash.
    public var second: Digest { secondHash.digest }
}

/// The store's side of the case-head map, versioned by checkpoint size: each version stores only
/// the nodes and heads that changed since the one before, and a node of version `v` is the row of
/// its position with the greatest version not above `v`. A cache of what the log says, which
/// `log verify` recomputes.
public protocol CaseMapStore {
    /// The newest stored version at or below `size`, with its root.
    func caseMapVersion(atOrBelow size: Int) throws -> (version: Int, root: Digest)?

    /// The nodes at `positions` in the map of `version` (positions holding none are left out).
    func caseMapNodes(at positions: [CaseMapPosition], version: Int) throws -> [CaseMapPosition: CaseMapNode]

    /// The heads of `caseIDs` in the map of `version` (cases without one are left out).
    func caseHeads(of caseIDs: [String], version: Int) throws -> [String: CaseHead]

    /// The cases with entries in `range` (reserved chains left out), each with its entries below
    /// `range.upperBound` counted and the newest of them.
    func caseHeadChanges(in range: Range<Int>) throws -> [CaseHeadChange]

    /// Stores version `version`: its root, and the nodes and heads it changed. Storing a version
    /// that is there already keeps the stored one.
    func saveCaseMap(version: Int, root: Digest, nodes: [CaseMapPosition: CaseMapNode], heads: [CaseHead]) throws
}
