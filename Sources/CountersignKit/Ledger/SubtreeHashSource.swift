/// Anything that can hand out the hash of a perfect, aligned subtree of the log:
/// the `2^level` leaves starting at `index * 2^level`. Stores answer from saved hashes,
/// so proofs never walk the leaves.
public protocol SubtreeHashSource {
    /// The hash of the perfect subtree at `level` (0 = a leaf) and position `index`.
    func subtreeHash(level: Int, index: Int) throws -> Digest

    /// Several subtree hashes at once (`nil` where one is missing); a store with round trips
    /// answers them in one.
    func subtreeHashes(_ keys: [(level: Int, index: Int)]) throws -> [Digest?]
}

extension SubtreeHashSource {
    public func subtreeHashes(_ keys: [(level: Int, index: Int)]) throws -> [Digest?] {
        keys.map { try? subtreeHash(level: $0.level, index: $0.index) }
    }
}

/// A subtree source over leaf hashes held in memory (tests, small trees, verification).
public struct InMemorySubtrees: SubtreeHashSource {
    /// `levels[0]` are the leaf hashes; `levels[k]` the perfect subtrees of 2^k leaves.
    public private(set) var levels: [[Digest]] = [[]]

    public init(leaves: [Digest] = []) {
        for leaf in leaves { append(leaf) }
    }

    /// Adds a leaf hash and every perfect subtree it completes.
    public mutating func append(_ leaf: Digest) {
        var hash = leaf
        var level = 0
        while true {
            if levels.count == level { levels.append([]) }
            levels[level].append(hash)
            let index = levels[level].count - 1
            guard index % 2 == 1 else { return }
            hash = MerkleHash.node(levels[level][index - 1], hash)
            level += 1
        }
    }

    public var size: Int { levels[0].count }

    public func subtreeHash(level: Int, index: Int) throws -> Digest {
        guard level < levels.count, index < levels[level].count else {
            throw LedgerError.missingSubtree(level: level, index: index)
        }
        return levels[level][index]
    }
}
