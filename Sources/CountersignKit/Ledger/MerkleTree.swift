/// RFC 9162 §2.1 tree heads and proofs, computed from stored perfect-subtree hashes.
///
/// Every range the RFC's recursion visits is either a perfect aligned subtree (one look-up) or a
/// range ending at the tree's right edge, which splits into at most log2(n) perfect subtrees. Look-ups
/// are memoised per call, so a proof costs O(log n) reads whatever the size of the log.
public struct MerkleTree {
    public let source: any SubtreeHashSource
    private var cache: [Int: Digest] = [:]

    public init(_ source: any SubtreeHashSource) {
        self.source = source
    }

    /// The root hash of the first `size` leaves.
    public mutating func root(size: Int) throws -> Digest {
        size == 0 ? MerkleHash.empty : try hash(0, size)
    }

    /// The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1).
    public mutating func inclusionProof(index: Int, size: Int) throws -> [Digest] {
        guard index >= 0, index < size else { throw LedgerError.indexOutOfRange(index: index, size: size) }
        var proof: [Digest] = []
        try path(index, start: 0, count: size, into: &proof)
        return proof
    }

    /// The consistency proof from the tree of `oldSize` leaves to that of `newSize` (RFC 9162 §2.1.4.1).
    public mutating func consistencyProof(from oldSize: Int, to newSize: Int) throws -> [Digest] {
        guard oldSize >= 0, oldSize <= newSize else {
            throw LedgerError.badConsistencyRange(old: oldSize, new: newSize)
        }
        guard oldSize > 0, oldSize < newSize else { return [] }
        var proof: [Digest] = []
        try subproof(oldSize, start: 0, count: newSize, complete: true, into: &proof)
        return proof
    }

    private mutating func path(_ m: Int, start: Int, count: Int, into proof: inout [Digest]) throws {
        guard count > 1 else { return }
        let k = largestPowerOfTwo(below: count)
        if m < k {
            try path(m, start: start, count: k, into: &proof)
            proof.append(try hash(start + k, count - k))
        } else {
            try path(m - k, start: start + k, count: count - k, into: &proof)
            proof.append(try hash(start, k))
        }
    }

    private mutating func subproof(
        _ m: Int,
        start: Int,
        count: Int,
        complete: Bool,
        into proof: inout [Digest]
    ) throws {
        if m == count {
            if !complete { proof.append(try hash(start, count)) }
            return
        }
        let k = largestPowerOfTwo(below: count)
        if m <= k {
            try subproof(m, start: start, count: k, complete: complete, into: &proof)
            proof.append(try hash(start + k, count - k))
        } else {
            try subproof(m - k, start: start + k, count: count - k, complete: false, into: &proof)
            proof.append(try hash(start, k))
        }
    }

    /// MTH of the `count` leaves from `start`: `start` is aligned to the largest power of two in
    /// `count`, so the range splits left to right into perfect subtrees of decreasing size.
    private mutating func hash(_ start: Int, _ count: Int) throws -> Digest {
        var pieces: [Digest] = []
        var offset = start
        var remaining = count
        while remaining > 0 {
            let level = Int.bitWidth - 1 - remaining.leadingZeroBitCount
            pieces.append(try perfect(level: level, index: offset >> level))
            offset += 1 << level
            remaining -= 1 << level
        }
        var result = pieces.removeLast()
        while let left = pieces.popLast() { result = MerkleHash.node(left, result) }
        return result
    }

    private mutating func perfect(level: Int, index: Int) throws -> Digest {
        let key = index << 6 | level
        if let cached = cache[key] { return cached }
        let digest = try source.subtreeHash(level: level, index: index)
        cache[key] = digest
        return digest
    }
}

/// The largest power of two strictly below `n` (n ≥ 2), the RFC's split point `k`.
func largestPowerOfTwo(below n: Int) -> Int {
    1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
}
