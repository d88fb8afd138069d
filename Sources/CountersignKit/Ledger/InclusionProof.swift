/// Proof that one entry is in a tree of a given size (RFC 9162 §2.1.3).
public struct InclusionProof: Sendable, Equatable {
    public var index: Int
    public var size: Int
    public var leafHash: Digest
    /// The audit path, bottom up.
    public var hashes: [Digest]
    /// The root the path leads to.
    public var root: Digest

    public init(index: Int, size: Int, leafHash: Digest, hashes: [Digest], root: Digest) {
        self.index = index
        self.size = size
        self.leafHash = leafHash
        self.hashes = hashes
        self.root = root
    }

    /// Whether the path really leads from the leaf to the root.
    public var isValid: Bool {
        MerkleProofVerifier.verifyInclusion(leaf: leafHash, index: index, size: size, proof: hashes, root: root)
    }
}

/// Proof that the tree of `oldSize` entries is a prefix of the tree of `newSize` (RFC 9162 §2.1.4).
public struct ConsistencyProof: Sendable, Equatable {
    public var oldSize: Int
    public var newSize: Int
    public var oldRoot: Digest
    public var newRoot: Digest
    public var hashes: [Digest]

    public init(oldSize: Int, newSize: Int, oldRoot: Digest, newRoot: Digest, hashes: [Digest]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.oldRoot = oldRoot
        self.newRoot = newRoot
        self.hashes = hashes
    }

    /// Whether the hashes really link the two roots.
    public var isValid: Bool {
        MerkleProofVerifier.verifyConsistency(
            oldSize: oldSize,
            oldRoot: oldRoot,
            newSize: newSize,
            newRoot: newRoot,
            proof: hashes
        )
    }
}
