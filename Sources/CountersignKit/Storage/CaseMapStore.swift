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
/// stored as `(depth + 7) / 8` bytes whose bits past `depth` are zero.
public struct CaseMapPosition: Sendable, Hashable {
    public let depth: Int
    public let prefix: [UInt8]

    public init(depth: Int, prefix: [UInt8]) {
        self.depth = depth
        self.prefix = prefix
    }
}

/// A stored node of the case-head map: an inner node (its children's hashes) or a leaf (its key
/// and value hash).
public struct CaseMapNode: Sendable, Hashable {
    public enum Kind: Int, Sendable {
        case leaf = 0
        case inner = 1
    }

    public var kind: Kind
    /// An inner node's left child hash, a leaf's key.
    public var first: Digest
    /// An inner node's right child hash, a leaf's value hash.
    public var second: Digest

    public init(kind: Kind, first: Digest, second: Digest) {
        self.kind = kind
        self.first = first
        self.second = second
    }
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
